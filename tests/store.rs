//! The store: dedup, refs, hash-chain verification, locking.

use chrono::{TimeZone, Utc};
use regwatch::fetch::{FeedFetch, FetchedItem, Part, RawBlob, Validators};
use regwatch::store::{Store, StoreError, VersionRef};

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
    assert!(report.problems[0].contains("object altered"));
    assert!(report.problems[0].contains("part-740.jsonl:2"));
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
    let problems = store.verify().unwrap().problems.join("\n");
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
            .join("\n")
            .contains("a.jsonl:1")
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
