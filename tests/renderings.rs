//! The demo's day-2 output as reviewed snapshots (insta): the diffs of the
//! three changed items and the summary, each in text, Markdown and HTML.
//! A wording change is a diff of a `.snap` file under `tests/snapshots/`,
//! reviewed like code. With `CI` set, a missing or different snapshot
//! fails and nothing is written.

use std::path::Path;

use crate::common::TestEnv;

/// The demo's random port, the hashed item keys that carry it, and the
/// temporary folder, replaced so snapshots are stable.
fn normalise(text: &str, dir: &Path) -> String {
    let port = regex::Regex::new(r"127\.0\.0\.1:\d+").unwrap();
    let hashed = regex::Regex::new(r"--[0-9a-f]{16}\b").unwrap();
    let text = text.replace(dir.to_str().unwrap(), "DIR");
    let text = port.replace_all(&text, "127.0.0.1:PORT");
    hashed.replace_all(&text, "--HASH").into_owned()
}

/// The part of the demo's output between `from` and the next `== ` heading.
fn section<'a>(text: &'a str, from: &str) -> &'a str {
    let start = text
        .find(from)
        .unwrap_or_else(|| panic!("no {from:?}:\n{text}"));
    let rest = &text[start..];
    let end = rest[from.len()..]
        .find("\n== Version history")
        .map_or(rest.len(), |e| e + from.len());
    &rest[..end]
}

#[test]
fn demo_day_two_diffs_and_summary_read_as_reviewed() {
    let env = TestEnv::new();
    let out = env.path().join("demo");
    let r = env.run(&["demo", "--out", out.to_str().unwrap()]);
    r.expect_code(0);
    let stdout = r.stdout();
    let summary = section(&stdout, "== The day-2 summary");
    insta::assert_snapshot!("summary.txt", normalise(summary, &out));
    let mail = out.join("mail");
    let day2 = |ext: &str| {
        let name = std::fs::read_dir(&mail)
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .find(|n| n.starts_with("2024-10-15-") && n.ends_with(ext))
            .unwrap_or_else(|| panic!("no day-2 {ext} in {}", mail.display()));
        normalise(&std::fs::read_to_string(mail.join(name)).unwrap(), &out)
    };
    insta::assert_snapshot!("summary.md", day2(".md"));
    insta::assert_snapshot!("summary.html", day2(".html"));

    let store = out.join("snapshots");
    let s = store.to_str().unwrap();
    for item in ["ear/part-740", "ear/part-774", "bis-rules/2024-19633"] {
        for format in ["text", "markdown", "html"] {
            let r = env.run(&["--store", s, "diff", item, "--format", format]);
            r.expect_code(1);
            let name = format!("diff-{}.{format}", item.replace('/', "--"));
            insta::assert_snapshot!(name, normalise(&r.stdout(), &out));
        }
    }
}
