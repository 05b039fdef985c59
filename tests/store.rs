//! The store: dedup, refs, hash-chain verification, locking.

use chrono::{TimeZone, Utc};
use regwatch::fetch::{
    ContentFormat, FeedFetch, FetchedItem, Part, RawBlob, SourceInfo, SourceKind, Validators,
};
use regwatch::store::{ProblemKind, Store, StoreError, VersionRef};

use crate::common::{TestEnv, store_bytes};

fn item(key: &str, body: &str, as_of: Option<&str>) -> FetchedItem {
    FetchedItem {
        key: key.into(),
        title: Some(format!("title of {key}")),
        as_of: as_of.map(|d| d.parse().unwrap()),
        published: None,
        content: Part::Fetched(RawBlob {
            bytes: body.as_bytes().to_vec(),
            url: Some(format!("https://example.gov/{key}")),
            content_type: Some("text/plain".into()),
            validators: Validators {
                etag: Some("\"e1\"".into()),
                last_modified: None,
            },
        }),
        metadata: None,
        raw: None,
        fingerprint: None,
        source: None,
    }
}

fn fetch(feed: &str, items: Vec<FetchedItem>) -> FeedFetch {
    FeedFetch {
        feed: feed.into(),
        items,
        unchanged: vec![],
        errors: vec![],
        warnings: vec![],
        validators: Default::default(),
    }
}

fn at(day: u32) -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2024, 9, day, 6, 0, 0).unwrap()
}

/// A store with part-740 at three dates and two other items sharing bytes.
fn populated(env: &TestEnv) -> Store {
    let store = Store::create_or_open(&env.store()).unwrap();
    let lock = store.lock(false, at(1)).unwrap();
    store
        .record(
            &lock,
            &fetch("ear", vec![item("part-740", "v1", Some("2024-03-13"))]),
            at(1),
        )
        .unwrap();
    store
        .record(
            &lock,
            &fetch("ear", vec![item("part-740", "v2", Some("2024-09-06"))]),
            at(6),
        )
        .unwrap();
    store
        .record(
            &lock,
            &fetch("ear", vec![item("part-740", "v3", Some("2024-10-15"))]),
            at(20),
        )
        .unwrap();
    store
        .record(
            &lock,
            &fetch(
                "notes",
                vec![item("a", "same", None), item("b", "same", None)],
            ),
            at(2),
        )
        .unwrap();
    store
}

#[test]
fn identical_content_is_stored_once_and_refetching_adds_nothing() {
    let env = TestEnv::new();
    let store = populated(&env);
    let objects = std::fs::read_dir(env.store().join("objects"))
        .unwrap()
        .count();
    let before = store_bytes(&env.store());
    let lock = store.lock(false, at(21)).unwrap();
    let s = store
        .record(
            &lock,
            &fetch(
                "notes",
                vec![item("a", "same", None), item("b", "same", None)],
            ),
            at(21),
        )
        .unwrap();
    assert_eq!(s.bytes_added, 0);
    assert_eq!(store_bytes(&env.store()), before);
    assert_eq!(
        std::fs::read_dir(env.store().join("objects"))
            .unwrap()
            .count(),
        objects
    );
    let a = store.history("notes", "a").unwrap();
    let b = store.history("notes", "b").unwrap();
    assert_eq!(a[0].content.hash, b[0].content.hash);
}

#[test]
fn refs_resolve_by_number_offset_date_and_hash() {
    let env = TestEnv::new();
    let store = populated(&env);
    let r = |s: &str| store.resolve(&VersionRef::parse(s).unwrap());
    assert_eq!(r("ear/part-740@1").unwrap().seq, 1);
    assert_eq!(r("ear/part-740@latest").unwrap().seq, 3);
    assert_eq!(r("ear/part-740").unwrap().seq, 3);
    assert_eq!(r("ear/part-740@-1").unwrap().seq, 2);
    assert_eq!(r("ear/part-740@2024-09-06").unwrap().seq, 2);
    assert_eq!(r("ear/part-740@2024-10-14").unwrap().seq, 2);
    assert_eq!(r("ear@2024-12-31").unwrap().seq, 3, "single-item feed");
    let v2 = r("ear/part-740@2").unwrap();
    assert_eq!(r(&v2.hash[..10]).unwrap(), v2);
    for bad in [
        "ear/part-740@9",
        "ear/part-740@-5",
        "ear/part-740@2024-01-01",
        "notes@latest",
        "nofeed/x",
        "abcdef99",
    ] {
        let e = r(bad).unwrap_err();
        assert!(matches!(e, StoreError::BadRef(_)), "{bad}: {e}");
    }
}

/// `verify`'s problems as the lines it prints.
fn verify_text(store: &Store) -> String {
    let report = store.verify().unwrap();
    let lines: Vec<String> = report.problems.iter().map(ToString::to_string).collect();
    lines.join("\n")
}

#[test]
fn verify_passes_then_catches_tampering_and_loss() {
    let env = TestEnv::new();
    let store = populated(&env);
    assert!(store.verify().unwrap().is_ok());

    // A tampered object.
    let v2 = store.history("ear", "part-740").unwrap()[1].clone();
    std::fs::write(store.object_path(&v2.content.hash), "v2 but edited").unwrap();
    let report = store.verify().unwrap();
    assert_eq!(report.problems.len(), 1, "{:?}", report.problems);
    assert!(
        report.problems[0]
            .to_string()
            .contains("object bytes altered")
    );
    assert!(report.problems[0].to_string().contains("part-740.jsonl:2"));
    // The problem is data: its kind and fields, and the same sentence in JSON.
    let p = &report.problems[0];
    assert_eq!(p.line, None, "an object has no line: {p:?}");
    match &p.what {
        ProblemKind::ObjectAltered { role, of } => {
            assert_eq!(role, "content");
            assert!(of.ends_with("part-740.jsonl:2"), "{of}");
        }
        other => panic!("expected object_altered, got {other:?}"),
    }
    let json = serde_json::to_value(&report).unwrap();
    assert_eq!(json["problems"][0]["problem"], "object_altered", "{json}");
    assert_eq!(json["problems"][0]["role"], "content", "{json}");
    assert_eq!(
        format!(
            "{}: {}",
            p.file,
            json["problems"][0]["message"].as_str().unwrap()
        ),
        p.to_string()
    );
    assert!(
        store.read_object(&v2.content.hash).is_err(),
        "show refuses a corrupt object"
    );

    // An edited history line, and a deleted one.
    let hist = env.store().join("feeds/notes/items/a.jsonl");
    let text = std::fs::read_to_string(&hist).unwrap();
    std::fs::write(&hist, text.replace("title of a", "title of z")).unwrap();
    let path740 = env.store().join("feeds/ear/items/part-740.jsonl");
    let lines: Vec<String> = std::fs::read_to_string(&path740)
        .unwrap()
        .lines()
        .map(String::from)
        .collect();
    std::fs::write(&path740, format!("{}\n{}\n", lines[0], lines[2])).unwrap();
    let problems = verify_text(&store);
    assert!(
        problems.contains("a.jsonl:1: version record was altered"),
        "{problems}"
    );
    assert!(
        problems.contains("part-740.jsonl:2: version number 3 out of sequence"),
        "{problems}"
    );
    assert!(
        problems.contains("part-740.jsonl:2: hash chain broken"),
        "{problems}"
    );

    // Garbage in a history file is reported with its line, not a panic.
    std::fs::write(&hist, "{not json\n").unwrap();
    assert!(
        store
            .verify()
            .unwrap()
            .problems
            .iter()
            .any(|p| p.to_string().contains("a.jsonl:1"))
    );
}

#[test]
fn a_second_writer_is_refused_while_the_lock_is_held() {
    let env = TestEnv::new();
    let store = Store::create_or_open(&env.store()).unwrap();
    let held = store.lock(false, at(1)).unwrap();
    let err = store.lock(false, at(1)).unwrap_err();
    let msg = err.to_string();
    assert!(matches!(err, StoreError::Locked { .. }), "{msg}");
    assert!(
        msg.contains(&format!("pid {}", std::process::id())),
        "{msg}"
    );
    drop(held);
    assert!(store.lock(false, at(1)).is_ok());
}

#[test]
fn unsafe_keys_are_refused_not_written_outside_the_store() {
    let env = TestEnv::new();
    let store = Store::create_or_open(&env.store()).unwrap();
    let lock = store.lock(false, at(1)).unwrap();
    let s = store
        .record(
            &lock,
            &fetch("feed", vec![item("../../escape", "x", None)]),
            at(1),
        )
        .unwrap();
    assert_eq!(s.errors.len(), 1);
    assert!(!env.path().join("escape.jsonl").exists());
    assert!(store.record(&lock, &fetch("../x", vec![]), at(1)).is_err());
}

#[test]
fn a_newer_store_format_is_refused() {
    let env = TestEnv::new();
    Store::create_or_open(&env.store()).unwrap();
    std::fs::write(env.store().join("STORE.json"), "{\"format\": 99}").unwrap();
    assert!(matches!(
        Store::open(&env.store()).unwrap_err(),
        StoreError::Format { found: 99, .. }
    ));
}

// ---- A damaged history is never extended, and never costs the rest ----

/// A config with two `file` feeds: `local` (a.md, b.md) and `other` (c.md).
/// Every file states a comment deadline, so `deadlines` lists each item.
fn two_feeds(env: &TestEnv, round: u32) {
    for (dir, name, day) in [
        ("docs", "a.md", 5),
        ("docs", "b.md", 6),
        ("more", "c.md", 7),
    ] {
        std::fs::create_dir_all(env.path().join(dir)).unwrap();
        std::fs::write(
            env.path().join(dir).join(name),
            format!(
                "# Notice {name}\n\nRound {round}. Comments must be received by December {day}, 2024.\n"
            ),
        )
        .unwrap();
    }
    env.write_config(
        "feeds:\n  - id: local\n    kind: file\n    path: docs\n  - id: other\n    kind: file\n    path: more\n",
    );
}

fn lines_of(path: &std::path::Path) -> Vec<String> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(String::from)
        .collect()
}

/// Ways to damage `a.md`'s two-line history, and the line verify blames.
fn damage(kind: &str, path: &std::path::Path) -> &'static str {
    let lines = lines_of(path);
    let text = match kind {
        "edited" => format!("{}\n{}\n", lines[0].replace("a.md", "z.md"), lines[1]),
        "deleted" => format!("{}\n", lines[1]),
        "garbage" => format!("{}\n{{not json\n", lines[0]),
        _ => unreachable!(),
    };
    std::fs::write(path, text).unwrap();
    match kind {
        "edited" | "deleted" => "a.md.jsonl:1",
        _ => "a.md.jsonl:2",
    }
}

/// Two fetches of [`two_feeds`], then `a.md`'s history damaged: the
/// env, that history's path and the `FILE:LINE` verify blames.
fn damaged_store(kind: &str) -> (TestEnv, std::path::PathBuf, &'static str) {
    let env = TestEnv::new();
    for round in [1, 2] {
        two_feeds(&env, round);
        env.run(&["fetch"]).expect_code(0);
    }
    let hist = env.store().join("feeds/local/items/a.md.jsonl");
    let at = damage(kind, &hist);
    (env, hist, at)
}

#[test]
fn fetch_refuses_to_extend_a_damaged_history_and_stores_the_rest() {
    for kind in ["edited", "deleted", "garbage"] {
        let (env, hist, at) = damaged_store(kind);
        let damaged = std::fs::read(&hist).unwrap();

        two_feeds(&env, 3);
        let r = env.run(&["fetch"]);
        r.expect_code(1);
        assert_eq!(
            std::fs::read(&hist).unwrap(),
            damaged,
            "{kind}: the damaged history is left byte for byte"
        );
        let out = r.stdout();
        assert!(out.contains("! a.md: "), "{kind}: {out}");
        assert!(out.contains(at), "{kind}: names the line: {out}");
        assert!(out.contains("regwatch verify"), "{kind}: {out}");
        assert!(out.contains("~ local/b.md@3"), "{kind}: {out}");
        assert!(out.contains("~ other/c.md@3"), "{kind}: {out}");
        let store = Store::open(&env.store()).unwrap();
        assert_eq!(store.history("local", "b.md").unwrap().len(), 3);
        assert_eq!(store.history("other", "c.md").unwrap().len(), 3);

        // `run` says the same and exits 2 (a failure), the rest goes on.
        two_feeds(&env, 4);
        let r = env.run(&["run"]);
        r.expect_code(2);
        assert!(
            r.stderr().contains("regwatch verify"),
            "{kind}: {}",
            r.stderr()
        );
        assert_eq!(std::fs::read(&hist).unwrap(), damaged, "{kind}");
        assert_eq!(store.history("other", "c.md").unwrap().len(), 4);
    }
}

#[test]
fn one_unreadable_history_line_does_not_stop_log_changes_deadlines_or_run() {
    let (env, _, at) = damaged_store("garbage");

    // Each command serves the other items and names the damaged line.
    let cases: [(&[&str], i32, &[&str]); 4] = [
        (&["log"], 1, &["local/b.md", "other/c.md"]),
        (&["changes"], 0, &["local/b.md", "other/c.md"]),
        (&["deadlines"], 0, &["2024-12-06", "2024-12-07"]),
        // A run that had to skip a damaged history fails (exit 2).
        (&["run", "--no-fetch"], 2, &[]),
    ];
    for (args, code, shown) in cases {
        let r = env.run(args);
        r.expect_code(code);
        for want in shown {
            assert!(r.stdout().contains(want), "{args:?}: {}", r.stdout());
        }
        assert!(r.stderr().contains(at), "{args:?}: {}", r.stderr());
    }
    for args in [&["log"][..], &["changes"], &["run", "--no-fetch"]] {
        let r = env.run(args);
        assert!(
            r.stderr().contains("regwatch verify"),
            "{args:?}: {}",
            r.stderr()
        );
        assert!(
            !r.stderr().contains("cannot compare"),
            "{args:?}: {}",
            r.stderr()
        );
    }
}

/// A line edited by hand that still parses breaks the item's chain: the
/// reading commands say so (file, line, the verify hint) instead of using
/// it, and serve the other items.
#[test]
fn a_history_line_edited_by_hand_is_never_read_silently() {
    let (env, _, at) = damaged_store("edited");
    let r = env.run(&["log"]);
    r.expect_code(1);
    assert!(r.stderr().contains(at), "{}", r.stderr());
    assert!(r.stderr().contains("regwatch verify"), "{}", r.stderr());
    assert!(r.stdout().contains("local/b.md"), "{}", r.stdout());
    assert!(!r.stdout().contains("local/a.md"), "{}", r.stdout());
    let r = env.run(&["log", "local/a.md"]);
    r.expect_code(2);
    assert!(r.stderr().contains(at), "{}", r.stderr());
    let r = env.run(&["changes"]);
    r.expect_code(0);
    assert!(r.stderr().contains(at), "{}", r.stderr());
    assert!(!r.stdout().contains("local/a.md"), "{}", r.stdout());
}

#[test]
fn verify_tells_a_changed_recorded_size_from_altered_object_bytes() {
    let env = TestEnv::new();
    let store = populated(&env);
    let path = env.store().join("feeds/notes/items/a.jsonl");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, text.replace("\"size\":4", "\"size\":5")).unwrap();
    let problems = verify_text(&store);
    assert!(
        problems.contains("a.jsonl:1: recorded size of content is 5 bytes, the object has 4"),
        "{problems}"
    );
    assert!(
        !problems.contains("object bytes altered"),
        "the bytes are intact: {problems}"
    );
    // b.jsonl shares the object and records its size correctly.
    assert!(!problems.contains("b.jsonl"), "{problems}");

    let v1 = store.history("ear", "part-740").unwrap()[0].clone();
    std::fs::write(store.object_path(&v1.content.hash), "v9").unwrap();
    let problems = verify_text(&store);
    assert!(
        problems.contains("object bytes altered (content of feeds/ear/items/part-740.jsonl:1)"),
        "{problems}"
    );
}

#[test]
fn a_store_whose_store_json_is_gone_is_named_not_recreated() {
    let env = TestEnv::new();
    two_feeds(&env, 1);
    env.run(&["fetch"]).expect_code(0);
    std::fs::remove_file(env.store().join("STORE.json")).unwrap();
    let before = crate::common::listing(&env.store());

    for args in [&["log"][..], &["fetch"], &["run"], &["verify"]] {
        let r = env.run(args);
        r.expect_code(2);
        assert!(
            r.stderr().contains("has histories but no STORE.json"),
            "{args:?}: {}",
            r.stderr()
        );
        assert!(
            !r.stderr().contains("run `regwatch fetch` first"),
            "{}",
            r.stderr()
        );
    }
    assert!(!env.store().join("STORE.json").exists(), "not recreated");
    assert_eq!(crate::common::listing(&env.store()), before);
    assert!(Store::create_or_open(&env.store()).is_err());
    assert!(!env.store().join("STORE.json").exists());
}

#[test]
fn a_damaged_item_listed_as_unchanged_fails_too_and_the_fetcher_keeps_its_date() {
    let env = TestEnv::new();
    let store = populated(&env);
    let path = env.store().join("feeds/ear/items/part-740.jsonl");
    let lines = lines_of(&path);
    std::fs::write(&path, format!("{}\n{}\n", lines[0], lines[2])).unwrap();
    let lock = store.lock(false, at(22)).unwrap();
    let mut f = fetch("ear", vec![]);
    f.unchanged = vec!["part-740".into()];
    let s = store.record(&lock, &f, at(22)).unwrap();
    assert_eq!(s.errors.len(), 1, "{:?}", s.errors);
    assert!(
        s.errors[0]
            .message
            .contains("part-740.jsonl:2: version number 3 out of sequence"),
        "{}",
        s.errors[0].message
    );
    assert!(s.errors[0].message.contains("regwatch verify"));
    assert!(s.items.is_empty(), "not reported as unchanged");
    // The fetcher still learns what it may assume is stored.
    let state = store.fetch_state("ear").unwrap();
    assert_eq!(
        state.items["part-740"].as_of,
        Some("2024-10-15".parse().unwrap())
    );
}

/// A version line exactly as regwatch wrote it before versions recorded
/// their source (`regwatch fetch` of a `file` feed, 2024-10-15).
const LINE_WITHOUT_SOURCE: &str = r#"{"seq":1,"feed":"local-notes","item":"iec.md","fetched_at":"2024-10-15T06:00:00Z","title":"iec.md","content":{"hash":"76eb20f26d16f88e5cad3afb872453f0191558a1ef3584266bf68561a88ad5fa","size":38,"content_type":"text/markdown; charset=utf-8","url":"notes/iec.md"},"prev":null,"hash":"3897bf7f0b738d332151cc0cbf47fe053c97b7d5a9c47f302af974c95fc6f800"}"#;

#[test]
fn a_version_line_written_before_sources_were_recorded_still_verifies() {
    let env = TestEnv::new();
    let store = Store::create_or_open(&env.store()).unwrap();
    let body = b"# IEC\n\nLicense Exception IEC applies.\n";
    let object = store.object_path(&blake3::hash(body).to_hex());
    std::fs::create_dir_all(object.parent().unwrap()).unwrap();
    std::fs::write(&object, body).unwrap();
    let items = env.store().join("feeds/local-notes/items");
    std::fs::create_dir_all(&items).unwrap();
    std::fs::write(
        items.join("iec.md.jsonl"),
        format!("{LINE_WITHOUT_SOURCE}\n"),
    )
    .unwrap();

    let report = store.verify().unwrap();
    assert_eq!(report.versions, 1);
    assert!(report.problems.is_empty(), "{:?}", report.problems);
    let history = store.history("local-notes", "iec.md").unwrap();
    assert_eq!(history[0].source, None);
    assert_eq!(history[0].compute_hash(), history[0].hash);
    // Written back, the line is byte for byte what the old code wrote.
    assert_eq!(
        serde_json::to_string(&history[0]).unwrap(),
        LINE_WITHOUT_SOURCE
    );
    // And a new version appends to it, chained.
    let lock = store.lock(false, at(20)).unwrap();
    let mut next = item("iec.md", "# IEC\n\nChanged.\n", None);
    next.source = Some(SourceInfo::new(SourceKind::File, None));
    store
        .record(&lock, &fetch("local-notes", vec![next]), at(20))
        .unwrap();
    assert!(store.verify().unwrap().problems.is_empty());
}

#[test]
fn a_version_records_its_source_and_the_hash_covers_it() {
    let env = TestEnv::new();
    let store = Store::create_or_open(&env.store()).unwrap();
    let lock = store.lock(false, at(1)).unwrap();
    let mut fr = item("2024-1", "<RULE/>", None);
    fr.source = Some(SourceInfo::new(
        SourceKind::FederalRegister,
        Some(ContentFormat::FrXml),
    ));
    store.record(&lock, &fetch("fr", vec![fr]), at(1)).unwrap();
    let v = &store.history("fr", "2024-1").unwrap()[0];
    assert_eq!(
        v.source,
        Some(SourceInfo::new(
            SourceKind::FederalRegister,
            Some(ContentFormat::FrXml)
        ))
    );
    let path = env.store().join("feeds/fr/items/2024-1.jsonl");
    let line = std::fs::read_to_string(&path).unwrap();
    assert!(
        line.contains(r#""source":{"kind":"federal_register","format":"fr_xml"}"#),
        "{line}"
    );
    // Rewriting the recorded kind is tampering like any other edit.
    std::fs::write(&path, line.replace("federal_register", "rss")).unwrap();
    let problems = store.verify().unwrap().problems;
    assert!(
        problems
            .iter()
            .any(|p| p.to_string().contains("hash mismatch")),
        "{problems:?}"
    );
}

// ---- A damaged history is named on every run, never silently skipped ----

/// A `file` feed `local` (docs/a.txt, docs/b.txt) reported to a `file`
/// channel, after a first run told it both files.
fn told_store() -> TestEnv {
    let env = TestEnv::new();
    std::fs::create_dir_all(env.path().join("docs")).unwrap();
    std::fs::write(env.path().join("docs/a.txt"), "First text of a.\n").unwrap();
    std::fs::write(env.path().join("docs/b.txt"), "Text of b.\n").unwrap();
    env.write_config(
        "feeds:\n  - id: local\n    kind: file\n    path: docs\nnotify:\n  - id: desk\n    file: { dir: out, formats: [json] }\n",
    );
    env.run(&["run"]).expect_code(1);
    env
}

/// The JSON summaries written to `out/`, oldest first, as text.
fn told(env: &TestEnv) -> Vec<String> {
    env.out_json_files()
        .iter()
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect()
}

#[test]
fn a_run_fails_on_a_damaged_history_every_time_until_it_is_repaired() {
    let env = told_store();
    assert_eq!(told(&env).len(), 1);
    std::fs::write(env.path().join("docs/a.txt"), "Second text of a.\n").unwrap();
    env.run(&["fetch"]).expect_code(0);
    let hist = env.store().join("feeds/local/items/a.txt.jsonl");
    let intact = std::fs::read(&hist).unwrap();
    let lines = lines_of(&hist);
    std::fs::write(&hist, format!("{{not json\n{}\n", lines[1])).unwrap();

    for args in [
        &["run", "--no-fetch"][..],
        &["run", "--no-fetch", "-q"],
        &["run", "--no-fetch"],
        &["run", "-q"],
    ] {
        let r = env.run(args);
        r.expect_code(2);
        assert!(
            r.stderr().contains("a.txt.jsonl:1"),
            "{args:?}: {}",
            r.stderr()
        );
        assert!(
            r.stderr().contains("regwatch verify"),
            "{args:?}: {}",
            r.stderr()
        );
    }
    assert_eq!(told(&env).len(), 1, "@2 cannot be read yet");

    // Repaired: the change the damage held back is reported now.
    std::fs::write(&hist, &intact).unwrap();
    env.run(&["run", "--no-fetch"]).expect_code(1);
    let sent = told(&env);
    assert_eq!(sent.len(), 2);
    assert!(sent[1].contains("local/a.txt@2"), "{}", sent[1]);
}

#[test]
fn versions_before_a_damaged_line_are_still_reported() {
    let env = told_store();
    std::fs::write(env.path().join("docs/a.txt"), "Second text of a.\n").unwrap();
    env.run(&["fetch"]).expect_code(0);
    let hist = env.store().join("feeds/local/items/a.txt.jsonl");
    let mut text = std::fs::read(&hist).unwrap();
    text.extend_from_slice(b"{not json\n");
    std::fs::write(&hist, text).unwrap();

    let r = env.run(&["run", "--no-fetch"]);
    r.expect_code(2);
    assert!(r.stderr().contains("a.txt.jsonl:3"), "{}", r.stderr());
    let sent = told(&env);
    assert_eq!(sent.len(), 2, "{}", r.stderr());
    assert!(sent[1].contains("local/a.txt@2"), "{}", sent[1]);
}

#[test]
fn a_history_line_that_is_not_utf8_damages_only_its_item() {
    let env = TestEnv::new();
    two_feeds(&env, 1);
    env.run(&["fetch"]).expect_code(0);
    let hist = env.store().join("feeds/local/items/a.md.jsonl");
    let mut text = std::fs::read(&hist).unwrap();
    text.extend_from_slice(b"\xff\xfe\n");
    std::fs::write(&hist, &text).unwrap();

    two_feeds(&env, 2);
    let r = env.run(&["fetch"]);
    r.expect_code(1);
    let out = r.stdout();
    assert!(out.contains("! a.md: "), "{out}");
    assert!(out.contains("a.md.jsonl:2"), "{out}");
    assert!(out.contains("~ local/b.md@2"), "{out}");
    assert!(out.contains("~ other/c.md@2"), "{out}");
    assert_eq!(std::fs::read(&hist).unwrap(), text, "left as it is");

    let v = env.run(&["verify"]);
    v.expect_code(1);
    assert!(
        v.stdout().contains("a.md.jsonl:2: not UTF-8"),
        "{}",
        v.stdout()
    );
    assert!(v.stdout().contains("3 items, 5 versions"), "{}", v.stdout());
    // The fetcher still knows what is stored (no FAILED feed).
    let state = Store::open(&env.store()).unwrap().fetch_state("local");
    assert!(state.unwrap().items.contains_key("a.md"));
}

/// [`populated`], `ear/part-740`'s three lines rewritten by `edit`, verified.
fn verify_rewritten(edit: impl Fn(&[String]) -> String) -> regwatch::store::VerifyReport {
    let env = TestEnv::new();
    let store = populated(&env);
    let path = env.store().join("feeds/ear/items/part-740.jsonl");
    std::fs::write(&path, edit(&lines_of(&path))).unwrap();
    store.verify().unwrap()
}

#[test]
fn verify_reports_every_damaged_line_and_checks_the_lines_that_parse() {
    let report = verify_rewritten(|lines| {
        format!(
            "{{not json\n{}\n{}\n",
            lines[1].replace("title of part-740", "retitled"),
            lines[2]
        )
    });
    let mine: Vec<String> = report
        .problems
        .iter()
        .map(ToString::to_string)
        .filter(|p| p.contains("part-740.jsonl"))
        .collect();
    assert_eq!(mine.len(), 2, "{mine:#?}");
    assert!(
        mine[0].contains("part-740.jsonl:1: not a version record"),
        "{mine:#?}"
    );
    assert!(
        mine[0].contains("line 2"),
        "the broken link, said once: {mine:#?}"
    );
    assert!(
        mine[1].contains("part-740.jsonl:2: version record was altered"),
        "{mine:#?}"
    );
    assert_eq!(report.versions, 4, "two of part-740, a and b");
}

#[test]
fn an_intact_version_is_shown_when_a_later_line_is_damaged() {
    let (env, _, at) = damaged_store("garbage");
    let r = env.run(&["show", "local/a.md@1"]);
    r.expect_code(0);
    assert!(r.stdout().contains("Round 1"), "{}", r.stdout());
    assert!(r.stderr().contains(at), "{}", r.stderr());
    // The newest cannot be known.
    let r = env.run(&["show", "local/a.md"]);
    r.expect_code(2);
    assert!(r.stderr().contains(at), "{}", r.stderr());
}

#[test]
fn a_run_fails_on_a_damaged_history_its_fetch_did_not_touch() {
    let env = told_store();
    // b.txt is gone from the folder: no fetch mentions it again.
    std::fs::remove_file(env.path().join("docs/b.txt")).unwrap();
    let hist = env.store().join("feeds/local/items/b.txt.jsonl");
    let mut text = std::fs::read(&hist).unwrap();
    text.extend_from_slice(b"\xff\n");
    std::fs::write(&hist, text).unwrap();
    let r = env.run(&["-q", "run"]);
    r.expect_code(2);
    assert!(r.stderr().contains("failed: "), "{}", r.stderr());
    assert!(
        r.stderr().contains("b.txt.jsonl:2: not UTF-8"),
        "{}",
        r.stderr()
    );
}

#[test]
fn verify_names_a_stray_line_once_without_blaming_the_versions_after_it() {
    let problems =
        verify_rewritten(|lines| format!("{}\nstray text\n{}\n{}\n", lines[0], lines[1], lines[2]))
            .problems;
    let problems: Vec<String> = problems.iter().map(ToString::to_string).collect();
    assert_eq!(problems.len(), 1, "{problems:#?}");
    assert!(
        problems[0].contains("part-740.jsonl:2: not a version record"),
        "{problems:#?}"
    );
    assert!(problems[0].contains("line 3"), "{problems:#?}");
}
