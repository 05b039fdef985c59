//! A 50-feed run against a loopback server where nothing changed: every
//! feed costs one conditional GET answered 304, and the store grows by 0
//! bytes. Run with `cargo bench --bench fetch_unchanged`.

#[path = "../tests/common/server.rs"]
#[allow(dead_code)]
mod server;

use std::path::Path;

use chrono::{TimeZone, Utc};
use criterion::{Criterion, criterion_group, criterion_main};
use regwatch::config::Config;
use regwatch::fetch::HttpClient;
use regwatch::pipeline::fetch_and_store;
use regwatch::store::Store;
use server::{Reply, TestServer};

const FEEDS: usize = 50;

fn dir_bytes(dir: &Path) -> u64 {
    let mut total = 0;
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.file_name().is_some_and(|n| n != "lock") {
                total += e.metadata().map(|m| m.len()).unwrap_or(0);
            }
        }
    }
    total
}

fn bench(c: &mut Criterion) {
    let server = TestServer::start();
    let mut yaml =
        String::from("http:\n  politeness_delay_ms: 0\n  per_host_concurrency: 8\nfeeds:\n");
    for i in 0..FEEDS {
        // A realistic page body (~40 KB) so the first fetch stores something.
        let body = format!(
            "<html><body><div class=c>{}</div></body></html>",
            format!("ECCN 3B001.c.1.a item {i}. ").repeat(1500)
        );
        server.route(
            &format!("/feed{i}.html"),
            vec![Reply::ok("text/html", body)],
        );
        yaml.push_str(&format!(
            "  - id: feed-{i}\n    kind: html\n    url: {}/feed{i}.html\n    selector: div.c\n",
            server.base
        ));
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let config = Config::from_yaml(&yaml, &dir.path().join("feeds.yaml")).expect("config");
    let store = Store::create_or_open(&dir.path().join("snapshots")).expect("store");
    let client = HttpClient::new(&config.http).expect("client");
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let now = Utc
        .with_ymd_and_hms(2024, 10, 1, 6, 0, 0)
        .single()
        .expect("time");
    {
        let lock = store.lock(false, now).expect("lock");
        rt.block_on(fetch_and_store(
            &config.feeds,
            &store,
            &lock,
            &client,
            now,
            |_| {},
        ));
    }
    let before = dir_bytes(store.root());
    c.bench_function("fetch 50 unchanged feeds (all 304)", |b| {
        b.iter(|| {
            let lock = store.lock(false, now).expect("lock");
            let out = rt.block_on(fetch_and_store(
                &config.feeds,
                &store,
                &lock,
                &client,
                now,
                |_| {},
            ));
            assert!(
                out.iter()
                    .all(|o| o.bytes_added == 0 && o.errors.is_empty())
            );
        })
    });
    let after = dir_bytes(store.root());
    eprintln!(
        "store: {before} bytes before the unchanged runs, {after} after: {} bytes added; {} requests answered 304",
        after as i64 - before as i64,
        server.not_modified_count()
    );
    assert_eq!(before, after, "an unchanged run must add 0 bytes");
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = bench
}
criterion_main!(benches);
