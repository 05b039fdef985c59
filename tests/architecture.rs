//! Guards on the shape of the code base.

use std::path::Path;

/// Stage order: a module may `use crate::` only modules at or before it.
/// `model` comes first: it is the shared vocabulary (types, country and
/// exception tables) and imports nothing.
const ORDER: [&str; 13] = [
    "model",
    "config",
    "fetch",
    "store",
    "parse",
    "diff",
    "deadlines",
    "summary",
    "report",
    "notify",
    "pipeline",
    "job",
    "demo",
];

#[test]
fn imports_flow_forward_only() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut violations = Vec::new();
    for (rank, stage) in ORDER.iter().enumerate() {
        let mut files = Vec::new();
        let dir = src.join(stage);
        if dir.is_dir() {
            for e in std::fs::read_dir(&dir).unwrap() {
                files.push(e.unwrap().path());
            }
        } else {
            files.push(src.join(format!("{stage}.rs")));
        }
        for f in files
            .into_iter()
            .filter(|f| f.extension().is_some_and(|e| e == "rs"))
        {
            let text = std::fs::read_to_string(&f).unwrap();
            for later in &ORDER[rank + 1..] {
                if text.contains(&format!("crate::{later}")) {
                    violations.push(format!("{} names later stage `{later}`", f.display()));
                }
            }
            if text.contains("crate::cli") {
                violations.push(format!("{} names the CLI", f.display()));
            }
        }
    }
    assert!(
        violations.is_empty(),
        "backward imports:\n{}",
        violations.join("\n")
    );
}

#[test]
fn every_test_file_is_registered() {
    let tests = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests");
    let runner = std::fs::read_to_string(tests.join("runner.rs")).unwrap();
    for e in std::fs::read_dir(&tests).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "rs") {
            let stem = p.file_stem().unwrap().to_string_lossy().into_owned();
            if stem != "runner" {
                assert!(
                    runner.contains(&format!("mod {stem};")),
                    "tests/{stem}.rs is not in runner.rs"
                );
            }
        }
    }
}

#[test]
fn no_unwrap_or_expect_in_library_code() {
    // Tests modules are exempt; library code must not panic on outside data.
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut stack = vec![src];
    let mut bad = Vec::new();
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
                continue;
            }
            if p.extension().is_none_or(|x| x != "rs") {
                continue;
            }
            let text = std::fs::read_to_string(&p).unwrap();
            let code = text.split("#[cfg(test)]").next().unwrap();
            for (i, line) in code.lines().enumerate() {
                if line.contains(".unwrap()") || line.contains(".expect(") {
                    bad.push(format!("{}:{}: {}", p.display(), i + 1, line.trim()));
                }
            }
        }
    }
    assert!(
        bad.is_empty(),
        "unwrap/expect outside tests:\n{}",
        bad.join("\n")
    );
}
