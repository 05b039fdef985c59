//! Cost of the reporting half of a cron run, on the demo's two-day store
//! (built once through the real fetchers and the loopback demo server).
//! Run with `cargo bench --bench notify`.
//!
//! - `collect_deadlines`: every deadline from the latest version of every
//!   item (cached models), with moved-from detection and echo dropping.
//! - `compose_summary`: a new recipient's whole summary: unreported
//!   versions found, compared (cached diffs), profile matched, reminders.
//! - `render_email`: the MIME multipart message (text + HTML) of it.
//! - `ics_1000_deadlines`: the iCalendar text of 1,000 deadlines.

use chrono::{Duration as Days, NaiveDate, TimeZone, Utc};
use criterion::{Criterion, criterion_group, criterion_main};
use regwatch::config::{Channel, Config};
use regwatch::deadlines::{self, Deadline, ics};
use regwatch::demo::{FixtureServer, demo_day_time};
use regwatch::fetch::HttpClient;
use regwatch::job;
use regwatch::model::DateKind;
use regwatch::notify::email;
use regwatch::pipeline::fetch_and_store;
use regwatch::store::{Store, VersionId};

const NOTIFY: &str = "notify:
  - id: desk
    profile: { eccns: [3B001, 3C909], countries: [KR], exceptions: [IEC], keywords: [quantum] }
    email:
      smtp: { host: 127.0.0.1, port: 2525, security: none }
      from: regwatch@example.com
      to: [exports@example.com]
";

fn demo_store(dir: &std::path::Path) -> Option<(Config, Store)> {
    let server = FixtureServer::start().ok()?;
    let yaml = server.config_yaml();
    let yaml = format!("{}\n{NOTIFY}", yaml.split("\nnotify:").next()?);
    let config = Config::from_yaml(&yaml, &dir.join("feeds.yaml")).ok()?;
    let store = Store::create_or_open(&dir.join("snapshots")).ok()?;
    let rt = tokio::runtime::Runtime::new().ok()?;
    let client = HttpClient::new(&config.http).ok()?;
    for day in [1, 2] {
        server.set_day(day);
        let now = demo_day_time(day);
        let lock = store.lock(false, now).ok()?;
        rt.block_on(fetch_and_store(
            &config.feeds,
            &store,
            &lock,
            &client,
            now,
            |_| {},
        ));
    }
    Some((config, store))
}

fn synthetic(n: usize) -> Vec<Deadline> {
    let base = NaiveDate::from_ymd_opt(2024, 11, 5).unwrap_or_default();
    (0..n)
        .map(|i| Deadline {
            uid: format!("{i:016x}@regwatch"),
            kind: DateKind::CommentsClose,
            date: base + Days::days((i % 120) as i64),
            days_left: (i % 120) as i64,
            moved_from: (i % 7 == 0).then_some(base),
            moved_by: None,
            condition: None,
            feed: "bis-rules".into(),
            item: format!("2024-{:05}", 10000 + i),
            version: VersionId::new("bis-rules", &format!("2024-{:05}", 10000 + i), 2),
            document: Some(format!("2024-{:05}", 10000 + i)),
            title: Some("Commerce Control List Additions and Revisions; Implementation of Controls on Advanced Technologies Consistent With Controls Implemented by International Partners".into()),
            citation: Some("89 FR 72926".into()),
            provision: None,
            evidence: "Comments must be received by BIS no later than November 5, 2024, referencing RIN 0694-AJ60.".into(),
            link: Some("https://www.federalregister.gov/documents/2024/09/06/2024-19633".into()),
            sources: Vec::new(),
            sequence: 1,
            updated: Utc.with_ymd_and_hms(2024, 10, 15, 6, 0, 0).single().unwrap_or_default(),
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("notify");
    g.sample_size(30);
    let Ok(dir) = tempfile::tempdir() else { return };
    let Some((config, store)) = demo_store(dir.path()) else {
        eprintln!("SKIP: could not build the demo store");
        return;
    };
    let now = demo_day_time(2);
    let today = now.date_naive();
    g.bench_function("collect_deadlines", |b| {
        b.iter(|| deadlines::collect(&store, today).map(|d| d.deadlines.len()))
    });
    let found = deadlines::collect(&store, today)
        .map(|d| d.deadlines)
        .unwrap_or_default();
    let r = &config.notify[0];
    g.bench_function("compose_summary", |b| {
        b.iter(|| {
            job::compose(&store, &config, r, &found, &[], now, None).map(|(e, _)| e.is_some())
        })
    });
    if let Ok((Some(entry), _)) = job::compose(&store, &config, r, &found, &[], now, None)
        && let Some(Channel::Email(ch)) = r.channels.first()
    {
        g.bench_function("render_email", |b| {
            b.iter(|| email::build(&entry, ch).map(|m| m.formatted().len()))
        });
    }
    let many = synthetic(1000);
    g.bench_function("ics_1000_deadlines", |b| {
        b.iter(|| ics::render(&many, "bench").len())
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
