//! Versions that cannot be read are still reported: a new version whose
//! predecessor cannot be parsed (or whose object is gone) is compared with
//! the last readable one or shown as new, and a new version that cannot be
//! parsed is announced with the reason. Driven end to end with the real
//! binary, a `file` feed and the `file` and `stdout` channels.

use std::path::{Path, PathBuf};

use crate::common::TestEnv;

const DAY1: &str = "2024-10-01T06:00:00Z";
const DAY2: &str = "2024-10-15T06:00:00Z";
const DAY3: &str = "2024-10-29T06:00:00Z";

fn fixture(name: &str) -> String {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/diff")
        .join(name);
    std::fs::read_to_string(&p).unwrap()
}

/// The text cut in the middle of a tag, as a dropped connection leaves it.
fn truncated(text: &str) -> String {
    let cut = text[text.len() / 2..].find('<').unwrap() + text.len() / 2 + 3;
    text[..cut].to_string()
}

fn setup(notify: &str) -> TestEnv {
    let env = TestEnv::new();
    std::fs::create_dir_all(env.path().join("docs")).unwrap();
    env.write_config(&format!(
        "feeds:\n  - id: local\n    name: Local copies\n    kind: file\n    path: docs\n{notify}"
    ));
    env
}

const FILE_NOTIFY: &str = "notify:
  - id: desk
    file: { dir: out, formats: [md, json] }
";

fn put(env: &TestEnv, text: &str) {
    std::fs::write(env.path().join("docs/part-740.xml"), text).unwrap();
}

/// The summaries written so far (JSON, `data` of the envelope), oldest first.
fn summaries(env: &TestEnv) -> Vec<serde_json::Value> {
    files(env, "json")
        .iter()
        .map(|p| serde_json::from_slice::<serde_json::Value>(&std::fs::read(p).unwrap()).unwrap())
        .map(|v| v["data"].clone())
        .collect()
}

fn files(env: &TestEnv, ext: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(env.path().join("out"))
        .map(|d| d.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    files.retain(|p| p.extension().is_some_and(|e| e == ext));
    files.sort();
    files
}

/// The one entry (new or changed) of the summary, and which section holds it.
fn only_entry(summary: &serde_json::Value) -> (&'static str, serde_json::Value) {
    let feeds = summary["feeds"].as_array().unwrap();
    assert_eq!(feeds.len(), 1, "{summary:#}");
    let mut found = Vec::new();
    for (section, list) in [("new", "new_documents"), ("changed", "changed")] {
        for e in feeds[0][list].as_array().unwrap() {
            found.push((section, e.clone()));
        }
    }
    assert_eq!(found.len(), 1, "{summary:#}");
    found.pop().unwrap()
}

/// Puts `text` in place, runs the job at `now` (news: exit 1), and returns
/// that run's summary entry: `count` summaries exist afterwards.
fn day(env: &TestEnv, now: &str, text: &str, count: usize) -> (&'static str, serde_json::Value) {
    put(env, text);
    env.run_at(now, &["run"]).expect_code(1);
    let s = summaries(env);
    assert_eq!(s.len(), count, "one summary per day");
    only_entry(&s[count - 1])
}

#[test]
fn a_version_after_an_unreadable_one_is_reported_as_new_with_the_reason() {
    let env = setup(FILE_NOTIFY);
    // Day 1: the copy is cut off mid-tag.
    let (section, e) = day(&env, DAY1, &truncated(&fixture("iec-before.xml")), 1);
    assert_eq!(section, "new", "{e:#}");
    let note = e["note"].as_str().unwrap_or_default();
    assert!(note.contains("could not be read"), "{e:#}");
    assert!(note.contains("malformed XML"), "{e:#}");

    // Day 2: a good copy. It must reach the reader, with the reason.
    put(&env, &fixture("iec-before.xml"));
    let day2 = env.run_at(DAY2, &["run"]);
    day2.expect_code(1);
    assert!(
        !day2.stderr().contains("nothing new to send"),
        "{}",
        day2.stderr()
    );
    let s = summaries(&env);
    assert_eq!(s.len(), 2, "day 2 sends one summary");
    let (_, e) = only_entry(&s[1]);
    assert_eq!(
        e["version"].as_str().or(e["after"].as_str()),
        Some("local/part-740.xml@2")
    );
    let note = e["note"].as_str().unwrap_or_default();
    assert!(
        note.contains("previous version local/part-740.xml@1 unreadable"),
        "{e:#}"
    );
    assert!(note.contains("malformed XML"), "{e:#}");
    assert!(note.contains("shown as new"), "{e:#}");
    let md = std::fs::read_to_string(files(&env, "md").last().unwrap()).unwrap();
    assert!(md.contains("unreadable"), "{md}");
    assert!(
        md.contains("LICENSE EXCEPTIONS"),
        "the good copy is shown: {md}"
    );

    // Day 3: nothing new, nothing repeated.
    env.run_at(DAY3, &["run"]).expect_code(0);
    assert_eq!(summaries(&env).len(), 2);
}

#[test]
fn an_unreadable_new_version_is_announced_and_the_next_compared_with_the_last_readable_one() {
    let env = setup(FILE_NOTIFY);
    put(&env, &fixture("iec-before.xml"));
    env.run_at(DAY1, &["run"]).expect_code(1);

    // Day 2: the new copy is cut off. The reader hears that it arrived.
    let (section, e) = day(&env, DAY2, &truncated(&fixture("iec-after.xml")), 2);
    assert_eq!(section, "changed", "{e:#}");
    assert_eq!(e["after"], "local/part-740.xml@2");
    let note = e["note"].as_str().unwrap_or_default();
    assert!(note.contains("new version could not be read"), "{e:#}");
    assert!(note.contains("malformed XML"), "{e:#}");

    // Day 3: a good copy, compared with @1, the last readable version.
    let (section, e) = day(&env, DAY3, &fixture("iec-after.xml"), 3);
    assert_eq!(section, "changed", "{e:#}");
    assert_eq!(e["before"], "local/part-740.xml@1", "{e:#}");
    assert_eq!(e["after"], "local/part-740.xml@3", "{e:#}");
    let note = e["note"].as_str().unwrap_or_default();
    assert!(
        note.contains("previous version local/part-740.xml@2 unreadable"),
        "{e:#}"
    );
    assert!(
        note.contains("compared with the last readable one (@1)"),
        "{e:#}"
    );
    let flags = e["flags"].to_string();
    assert!(
        flags.contains("Spain (ES) added"),
        "the real change is flagged: {e:#}"
    );

    // `changes` says it too.
    let changes = env.run_at(DAY3, &["changes"]);
    changes.expect_code(0);
    assert!(
        changes
            .stdout()
            .contains("compared with the last readable one (@1)"),
        "{}",
        changes.stdout()
    );
    assert!(
        changes.stdout().contains("new version could not be read"),
        "{}",
        changes.stdout()
    );
}

#[test]
fn a_missing_object_does_not_hide_the_next_version_even_with_quiet() {
    let env = setup(
        "notify:
  - id: desk
    stdout: true
",
    );
    put(&env, &fixture("iec-before.xml"));
    env.run_at(DAY1, &["run", "-q"]).expect_code(1);
    // The object of version 1 disappears from objects/.
    let store = regwatch::store::Store::open(&env.store()).unwrap();
    let v1 = store.history("local", "part-740.xml").unwrap()[0].clone();
    std::fs::remove_file(store.object_path(&v1.content.hash)).unwrap();

    put(&env, &fixture("iec-after.xml"));
    let day2 = env.run_at(DAY2, &["run", "-q"]);
    day2.expect_code(1);
    let out = day2.stdout();
    assert!(out.contains("Part 740 — LICENSE EXCEPTIONS"), "{out}");
    assert!(
        out.contains("previous version local/part-740.xml@1 unreadable"),
        "{out}"
    );
    assert!(out.contains("cannot read object"), "{out}");

    // Told once: the next run has nothing to say.
    let day3 = env.run_at(DAY3, &["run", "-q"]);
    day3.expect_code(0);
    assert!(!day3.stdout().contains("part-740"), "{}", day3.stdout());
}

#[test]
fn only_matching_does_not_hide_a_version_that_cannot_be_read() {
    let env = setup(
        "notify:
  - id: desk
    profile: { eccns: [4A906], only_matching: true }
    file: { dir: out, formats: [json] }
",
    );
    // Day 1: readable and outside the profile: nothing is sent.
    put(&env, &fixture("iec-before.xml"));
    env.run_at(DAY1, &["run"]).expect_code(0);
    assert!(summaries(&env).is_empty());
    // Day 2: unreadable. Whether it touches the profile cannot be known,
    // so the reader hears of it.
    let (section, e) = day(&env, DAY2, &truncated(&fixture("iec-after.xml")), 1);
    assert_eq!(section, "changed", "{e:#}");
    let note = e["note"].as_str().unwrap_or_default();
    assert!(note.contains("new version could not be read"), "{e:#}");
}
