//! The one wire format (docs/JSON.md): every `--format json` line of every
//! command, and the summary message, is a record of a documented type at
//! the one `SCHEMA_VERSION`; errors in JSON mode are `error` records.

use std::collections::BTreeSet;
use std::path::Path;

use regwatch::report::record::{RecordType, SCHEMA_VERSION};

use crate::common::TestEnv;

/// The `type`s docs/JSON.md gives a section (`## \`name\``).
fn documented_types() -> BTreeSet<String> {
    let doc = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/JSON.md"))
        .unwrap();
    doc.lines()
        .filter_map(|l| l.strip_prefix("## `")?.strip_suffix('`'))
        .map(str::to_string)
        .collect()
}

fn all_types() -> BTreeSet<String> {
    RecordType::ALL
        .iter()
        .map(|t| t.name().to_string())
        .collect()
}

#[test]
fn every_record_type_is_documented_and_every_documented_type_exists() {
    assert_eq!(documented_types(), all_types());
}

/// Parses JSON Lines and checks each is a record; returns their types.
fn record_types(what: &str, stdout: &str) -> Vec<String> {
    stdout
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let v: serde_json::Value =
                serde_json::from_str(l).unwrap_or_else(|e| panic!("{what}: not JSON ({e}): {l}"));
            check_record(what, &v)
        })
        .collect()
}

fn check_record(what: &str, v: &serde_json::Value) -> String {
    let o = v.as_object().unwrap_or_else(|| panic!("{what}: {v}"));
    let mut keys: Vec<&str> = o.keys().map(String::as_str).collect();
    keys.retain(|k| !["id", "subject", "text"].contains(k) || o["type"] != "summary");
    assert_eq!(keys, ["data", "schema_version", "type"], "{what}: {v}");
    assert_eq!(v["schema_version"], SCHEMA_VERSION, "{what}: {v}");
    let t = v["type"].as_str().unwrap().to_string();
    assert!(all_types().contains(&t), "{what}: unknown type {t}");
    t
}

#[test]
fn every_commands_json_is_a_documented_record_and_every_type_is_produced() {
    let env = TestEnv::new();
    let demo = env.path().join("demo");
    env.run(&["demo", "--out", demo.to_str().unwrap()])
        .expect_code(0);
    let config = demo.join("feeds.yaml");
    let config = config.to_str().unwrap();
    let mut produced = BTreeSet::new();
    let runs: &[&[&str]] = &[
        // The demo's server is gone: every feed fails, still as records.
        &["fetch", "--format", "json"],
        &["log", "--format", "json"],
        &["show", "ear/part-740@1", "--format", "json"],
        &["show", "ear/part-740@1", "--parsed", "--format", "json"],
        &["verify", "--format", "json"],
        &["check", "--format", "json"],
        &["diff", "ear/part-740", "--format", "json"],
        &["diff", "ear/part-740", "--raw", "--format", "json"],
        &["changes", "--format", "json"],
        &["run", "--no-fetch", "--format", "json"],
        &["deadlines", "--format", "json"],
        &["outbox", "--all", "--format", "json"],
        &["show", "ear/part-999", "--format", "json"],
    ];
    for args in runs {
        let mut full = vec!["--config", config];
        full.extend_from_slice(args);
        let r = env.run(&full);
        let types = record_types(&args.join(" "), &r.stdout());
        assert!(
            !types.is_empty(),
            "{args:?} printed no record: {}",
            r.stderr()
        );
        produced.extend(types);
    }
    // The summary message, as the file channel writes it.
    let mail = std::fs::read_dir(demo.join("mail"))
        .unwrap()
        .flatten()
        .find(|e| e.path().extension().is_some_and(|x| x == "json"))
        .unwrap()
        .path();
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&mail).unwrap()).unwrap();
    produced.insert(check_record("the file channel's .json", &v));
    assert_eq!(produced, all_types(), "types documented but never produced");
}

#[test]
fn an_error_in_json_mode_is_an_error_record_with_file_and_line() {
    let env = TestEnv::new();
    env.write_config("feeds:\n  - id: a\n    kind: file\n    pth: x\n");
    let r = env.run(&["check", "--format", "json"]);
    r.expect_code(2);
    let types = record_types("check", &r.stdout());
    assert_eq!(types, ["error"]);
    let v: serde_json::Value = serde_json::from_str(r.stdout().trim()).unwrap();
    assert_eq!(v["data"]["kind"], "config", "{v}");
    assert_eq!(v["data"]["file"], "feeds.yaml", "{v}");
    assert_eq!(v["data"]["line"], 4, "{v}");
    assert!(
        v["data"]["message"].as_str().unwrap().contains("pth"),
        "{v}"
    );
    assert!(
        !v["data"]["hints"].as_array().unwrap().is_empty(),
        "a did-you-mean hint: {v}"
    );
    // The text still goes to stderr, for people and cron.
    assert!(r.stderr().contains("error:"), "{}", r.stderr());
    // `run` keeps its exit code 3 for a configuration error.
    let r = env.run(&["run", "--format", "json"]);
    r.expect_code(3);
    assert_eq!(record_types("run", &r.stdout()), ["error"]);
    // Text mode prints nothing on stdout.
    let r = env.run(&["check"]);
    r.expect_code(2);
    assert_eq!(r.stdout(), "");
    // A document that does not parse: its file, line and column as fields.
    let cut = env.path().join("cut.xml");
    std::fs::write(&cut, "<DIV5 N=\"740\">\n<P>text\n").unwrap();
    let r = env.run(&["parse", cut.to_str().unwrap(), "--format", "json"]);
    r.expect_code(2);
    let v: serde_json::Value = serde_json::from_str(r.stdout().trim()).unwrap();
    assert_eq!(v["data"]["kind"], "parse", "{v}");
    assert_eq!(v["data"]["file"], cut.to_str().unwrap(), "{v}");
    assert_eq!(v["data"]["line"], 3, "{v}");
    assert!(v["data"]["column"].as_u64().is_some(), "{v}");
}

#[test]
fn a_damaged_store_inside_run_keeps_its_verify_hint() {
    let env = TestEnv::new();
    env.write_config("feeds: []\n");
    env.run(&["run", "--no-fetch"]).expect_code(0);
    let outbox = env.store().join("outbox");
    std::fs::create_dir_all(&outbox).unwrap();
    std::fs::write(outbox.join("0123456789abcdef01234567.json"), "{not json").unwrap();
    let r = env.run(&["run", "--no-fetch", "--format", "json"]);
    r.expect_code(2);
    assert!(
        r.stderr().contains("hint: run `regwatch verify`"),
        "{}",
        r.stderr()
    );
    let v: serde_json::Value = serde_json::from_str(r.stdout().trim()).unwrap();
    assert_eq!(v["data"]["kind"], "store", "{v}");
    assert!(
        v["data"]["file"]
            .as_str()
            .unwrap()
            .ends_with("0123456789abcdef01234567.json"),
        "{v}"
    );
}

#[test]
fn a_feed_timeout_is_written_in_seconds_as_in_the_file() {
    let env = TestEnv::new();
    env.write_config(
        "feeds:\n  - id: a\n    kind: html\n    url: http://127.0.0.1:9/a\n    timeout_secs: 3\n  - id: b\n    kind: html\n    url: http://127.0.0.1:9/b\n    timeout_secs: 0.5\n  - id: c\n    kind: html\n    url: http://127.0.0.1:9/c\n",
    );
    let r = env.run(&["check", "--format", "json"]);
    r.expect_code(0);
    let v: serde_json::Value = serde_json::from_str(r.stdout().trim()).unwrap();
    let feeds = &v["data"]["feeds"];
    assert_eq!(feeds[0]["timeout_secs"], 3, "{v}");
    assert_eq!(feeds[1]["timeout_secs"], 0.5, "{v}");
    assert!(feeds[2]["timeout_secs"].is_null(), "{v}");
    assert!(feeds[0].get("timeout").is_none(), "{v}");
}

#[test]
fn a_command_line_refused_in_json_mode_is_a_usage_error_record() {
    let env = TestEnv::new();
    let r = env.run(&["log", "--format", "json", "--bogus"]);
    r.expect_code(2);
    assert_eq!(record_types("log --bogus", &r.stdout()), ["error"]);
    let v: serde_json::Value = serde_json::from_str(r.stdout().trim()).unwrap();
    assert_eq!(v["data"]["kind"], "usage", "{v}");
    assert!(
        v["data"]["message"].as_str().unwrap().contains("--bogus"),
        "{v}"
    );
    assert!(r.stderr().contains("--bogus"), "{}", r.stderr());
    // `--format=json` is the same request; a bad value of another option too.
    let r = env.run(&["deadlines", "--format=json", "--within", "soon"]);
    r.expect_code(2);
    assert_eq!(
        record_types("deadlines --within soon", &r.stdout()),
        ["error"]
    );
    // Without --format json stdout stays empty, and --help is no error.
    let r = env.run(&["log", "--bogus"]);
    r.expect_code(2);
    assert_eq!(r.stdout(), "");
    let r = env.run(&["log", "--format", "json", "--help"]);
    r.expect_code(0);
    assert!(!r.stdout().contains("\"type\""), "{}", r.stdout());
}
