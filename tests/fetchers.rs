//! Every fetcher against a real HTTP server on loopback: success, 304,
//! errors, retries, limits, encodings, and one feed failing among others.

use std::time::{Duration, Instant};

use regwatch::config::Config;
use regwatch::fetch::{ContentFormat, FetchErrorKind, SourceInfo, SourceKind};
use regwatch::pipeline::{FeedOutcome, FeedStatus};
use regwatch::store::{ItemStatus, Store};

use crate::common::{Reply, TEST_HTTP, TestEnv, TestServer, errors_text, fetch_on, store_bytes};

fn fetch_all(env: &TestEnv, config: &Config) -> Vec<FeedOutcome> {
    fetch_on(env, config, 1)
}

fn outcome<'a>(o: &'a [FeedOutcome], id: &str) -> &'a FeedOutcome {
    o.iter().find(|x| x.feed == id).unwrap()
}

pub(crate) fn search(results: &[(&str, &str)], next: Option<String>) -> String {
    let items: Vec<serde_json::Value> = results
        .iter()
        .map(|(num, base)| {
            serde_json::json!({
                "document_number": num,
                "title": format!("BIS rule {num}"),
                "type": "Rule",
                "publication_date": "2024-09-06",
                "json_url": format!("{base}/api/v1/documents/{num}.json"),
            })
        })
        .collect();
    serde_json::json!({"count": results.len(), "results": items, "next_page_url": next}).to_string()
}

fn doc_json(num: &str, base: &str, comments_close: &str) -> String {
    serde_json::json!({
        "document_number": num,
        "title": format!("BIS rule {num}"),
        "publication_date": "2024-09-06",
        "comments_close_on": comments_close,
        "full_text_xml_url": format!("{base}/full/{num}.xml"),
        "body_html_url": format!("{base}/html/{num}.html"),
    })
    .to_string()
}

#[test]
fn federal_register_paginates_keeps_json_and_full_text_then_costs_one_304() {
    let s = TestServer::start();
    let b = s.base.clone();
    s.route(
        "/api/v1/documents.json",
        vec![Reply::json(search(
            &[("2024-19633", &b)],
            Some(format!("{b}/api/v1/documents.json?page=2")),
        ))],
    );
    s.route(
        "/api/v1/documents.json?page=2",
        vec![Reply::json(search(&[("2024-05267", &b)], None))],
    );
    s.route(
        "/api/v1/documents/2024-19633.json",
        vec![Reply::json(doc_json("2024-19633", &b, "2024-11-05"))],
    );
    s.route(
        "/api/v1/documents/2024-05267.json",
        vec![Reply::json(doc_json("2024-05267", &b, "2024-04-12"))],
    );
    s.route(
        "/full/2024-19633.xml",
        vec![Reply::xml(
            "<RULE><PREAMB><AGENCY>BIS</AGENCY></PREAMB></RULE>",
        )],
    );
    // No XML for the second document: the fetcher falls back to the HTML full text.
    s.route("/full/2024-05267.xml", vec![Reply::status(404)]);
    s.route(
        "/html/2024-05267.html",
        vec![Reply::ok("text/html", "<p>GOV</p>")],
    );
    let env = TestEnv::new();
    let config = env.config(&format!(
        "{TEST_HTTP}feeds:\n  - id: bis\n    kind: federal_register\n    base_url: {b}\n    agencies: [industry-and-security-bureau]\n"
    ));
    let o = fetch_all(&env, &config);
    let bis = outcome(&o, "bis");
    assert_eq!(bis.status, FeedStatus::New, "{bis:?}");
    assert!(bis.errors.is_empty(), "{:?}", bis.errors);
    assert_eq!(bis.items.len(), 2);
    let store = Store::open(&env.store()).unwrap();
    let v = store.history("bis", "2024-19633").unwrap();
    assert_eq!(v.len(), 1);
    assert_eq!(v[0].published, chrono::NaiveDate::from_ymd_opt(2024, 9, 6));
    assert_eq!(
        store.read_object(&v[0].content.hash).unwrap(),
        b"<RULE><PREAMB><AGENCY>BIS</AGENCY></PREAMB></RULE>"
    );
    let meta = store
        .read_object(&v[0].metadata.as_ref().unwrap().hash)
        .unwrap();
    assert!(String::from_utf8(meta).unwrap().contains("2024-11-05"));
    let gov = store.history("bis", "2024-05267").unwrap();
    assert_eq!(
        store.read_object(&gov[0].content.hash).unwrap(),
        b"<p>GOV</p>"
    );
    // Each version says what fetched it and which full text it holds.
    let fr = |format| Some(SourceInfo::new(SourceKind::FederalRegister, Some(format)));
    assert_eq!(v[0].source, fr(ContentFormat::FrXml));
    assert_eq!(gov[0].source, fr(ContentFormat::Html));

    // Second run: the first search page answers 304 and nothing else is asked.
    let before = store_bytes(&env.store());
    let hits = s.total_hits();
    let o = fetch_all(&env, &config);
    assert_eq!(outcome(&o, "bis").status, FeedStatus::Unchanged);
    assert_eq!(
        s.total_hits() - hits,
        1,
        "only the search page is requested"
    );
    assert_eq!(s.not_modified_count(), 1);
    assert_eq!(
        store_bytes(&env.store()),
        before,
        "an unchanged source adds 0 bytes"
    );
}

#[test]
fn federal_register_refetches_only_documents_whose_record_changed() {
    let s = TestServer::start();
    let b = s.base.clone();
    let rec = |close: &str| {
        serde_json::json!({"results": [
            {"document_number": "2024-19633", "comments_close_on": close, "json_url": format!("{b}/d/19633.json")},
            {"document_number": "2024-05267", "comments_close_on": "2024-04-12", "json_url": format!("{b}/d/05267.json")}
        ], "next_page_url": null})
        .to_string()
    };
    s.route(
        "/api/v1/documents.json",
        vec![
            Reply::json(rec("2024-11-05")),
            Reply::json(rec("2024-12-05")),
        ],
    );
    s.route(
        "/d/19633.json",
        vec![
            Reply::json(doc_json("2024-19633", &b, "2024-11-05")),
            Reply::json(doc_json("2024-19633", &b, "2024-12-05")),
        ],
    );
    s.route(
        "/d/05267.json",
        vec![Reply::json(doc_json("2024-05267", &b, "2024-04-12"))],
    );
    s.route("/full/2024-19633.xml", vec![Reply::xml("<RULE/>")]);
    s.route("/full/2024-05267.xml", vec![Reply::xml("<RULE>gov</RULE>")]);
    let env = TestEnv::new();
    let config = env.config(&format!(
        "{TEST_HTTP}feeds:\n  - id: bis\n    kind: federal_register\n    base_url: {b}\n"
    ));
    fetch_all(&env, &config);
    let o = fetch_all(&env, &config);
    let bis = outcome(&o, "bis");
    assert_eq!(bis.status, FeedStatus::Changed, "{bis:?}");
    let changed: Vec<_> = bis
        .items
        .iter()
        .filter(|i| i.status == ItemStatus::Changed)
        .map(|i| i.item.as_str())
        .collect();
    assert_eq!(changed, vec!["2024-19633"]);
    assert_eq!(
        s.hits("/d/05267.json"),
        1,
        "unchanged record is not refetched"
    );
    // The full text answered 304, so version 2 reuses version 1's content object.
    let store = Store::open(&env.store()).unwrap();
    let h = store.history("bis", "2024-19633").unwrap();
    assert_eq!(h.len(), 2);
    assert_eq!(h[0].content.hash, h[1].content.hash);
    assert_ne!(h[0].metadata, h[1].metadata);
    assert_eq!(h[1].prev.as_deref(), Some(h[0].hash.as_str()));
}

fn ecfr_versions(dates: &[&str]) -> String {
    let v: Vec<_> = dates
        .iter()
        .map(|d| serde_json::json!({"date": d, "amendment_date": d, "part": "740", "identifier": "740.24", "type": "section"}))
        .collect();
    serde_json::json!({"content_versions": v, "meta": {}}).to_string()
}

#[test]
fn ecfr_builds_one_version_per_amendment_date_in_order() {
    let s = TestServer::start();
    s.route(
        "/api/versioner/v1/versions/title-15.json?part=740",
        vec![
            Reply::json(ecfr_versions(&["2024-03-13", "2024-09-06"])),
            Reply::json(ecfr_versions(&["2024-03-13", "2024-09-06", "2024-10-15"])),
        ],
    );
    s.route(
        "/api/versioner/v1/full/2024-03-13/title-15.xml?part=740",
        vec![Reply::xml("<DIV5 N=\"740\"><P>GOV</P></DIV5>")],
    );
    s.route(
        "/api/versioner/v1/full/2024-09-06/title-15.xml?part=740",
        vec![Reply::xml("<DIV5 N=\"740\"><P>IEC</P></DIV5>")],
    );
    s.route(
        "/api/versioner/v1/full/2024-10-15/title-15.xml?part=740",
        vec![Reply::xml("<DIV5 N=\"740\"><P>IEC Korea</P></DIV5>")],
    );
    let env = TestEnv::new();
    let config = env.config(&format!(
        "{TEST_HTTP}feeds:\n  - id: ear\n    kind: ecfr\n    base_url: {}\n    title: 15\n    part: 740\n    since: 2024-01-01\n",
        s.base
    ));
    let o = fetch_all(&env, &config);
    assert_eq!(outcome(&o, "ear").status, FeedStatus::New);
    let store = Store::open(&env.store()).unwrap();
    let dates: Vec<_> = store
        .history("ear", "part-740")
        .unwrap()
        .iter()
        .map(|v| v.as_of.unwrap().to_string())
        .collect();
    assert_eq!(dates, vec!["2024-03-13", "2024-09-06"]);
    let o = fetch_all(&env, &config);
    assert_eq!(outcome(&o, "ear").status, FeedStatus::Changed);
    let h = store.history("ear", "part-740").unwrap();
    assert_eq!(h.len(), 3);
    assert_eq!(h[2].as_of.unwrap().to_string(), "2024-10-15");
    assert_eq!(
        s.hits("/api/versioner/v1/full/2024-09-06/title-15.xml?part=740"),
        1,
        "old dates are never refetched"
    );
    // Unchanged third run: one request, a 304, no bytes.
    let before = store_bytes(&env.store());
    let o = fetch_all(&env, &config);
    assert_eq!(outcome(&o, "ear").status, FeedStatus::Unchanged);
    assert_eq!(store_bytes(&env.store()), before);
}

#[test]
fn gbk_page_is_stored_as_utf8_with_the_raw_page_beside_it() {
    let s = TestServer::start();
    let article = "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=gb2312\"><title>出口管制</title></head>\
        <body><div class=\"nav\">首页</div><div class=\"art-con\"><p>美国商务部工业与安全局于2024年9月5日发布临时最终规则。</p></div></body></html>";
    let (gbk, _, _) = encoding_rs::GBK.encode(article);
    s.route("/gbk.html", vec![Reply::ok("text/html", gbk.to_vec())]);
    let env = TestEnv::new();
    let config = env.config(&format!(
        "{TEST_HTTP}feeds:\n  - id: mofcom\n    kind: html\n    url: {}/gbk.html\n    selector: div.art-con\n",
        s.base
    ));
    let o = fetch_all(&env, &config);
    assert_eq!(outcome(&o, "mofcom").status, FeedStatus::New, "{o:?}");
    let store = Store::open(&env.store()).unwrap();
    let v = &store.history("mofcom", "page").unwrap()[0];
    let content = String::from_utf8(store.read_object(&v.content.hash).unwrap()).unwrap();
    assert_eq!(
        content,
        "<div class=\"art-con\"><p>美国商务部工业与安全局于2024年9月5日发布临时最终规则。</p></div>"
    );
    assert_eq!(v.title.as_deref(), Some("出口管制"));
    assert_eq!(
        store.read_object(&v.raw.as_ref().unwrap().hash).unwrap(),
        gbk.to_vec()
    );
}

#[test]
fn rss_entries_become_items_and_linked_pages_are_kept() {
    let s = TestServer::start();
    let b = s.base.clone();
    let feed = |extra: &str| {
        format!(
            "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>BIS</title>{extra}\
             <item><title>IEC rule</title><link>{b}/press/iec.html</link><guid>{b}/press/iec.html</guid>\
             <pubDate>Thu, 05 Sep 2024 10:00:00 -0400</pubDate></item></channel></rss>"
        )
    };
    let newer = format!(
        "<item><title>Extension</title><link>{b}/press/ext.html</link><pubDate>Tue, 15 Oct 2024 10:00:00 -0400</pubDate></item>"
    );
    s.route(
        "/press.rss",
        vec![
            Reply::ok("application/rss+xml", feed("")),
            Reply::ok("application/rss+xml", feed(&newer)),
        ],
    );
    s.route(
        "/press/iec.html",
        vec![Reply::ok("text/html", "<h1>IEC</h1>")],
    );
    s.route(
        "/press/ext.html",
        vec![Reply::ok("text/html", "<h1>Extension</h1>")],
    );
    let env = TestEnv::new();
    let config = env.config(&format!("{TEST_HTTP}feeds:\n  - id: press\n    kind: rss\n    url: {b}/press.rss\n    follow_links: true\n"));
    let o = fetch_all(&env, &config);
    let items: Vec<_> = outcome(&o, "press")
        .items
        .iter()
        .map(|i| i.item.clone())
        .collect();
    // The key is the link's slug and a hash of the entry's guid.
    assert_eq!(items.len(), 1);
    assert!(items[0].starts_with("iec--"), "{items:?}");
    let o = fetch_all(&env, &config);
    let p = outcome(&o, "press");
    assert_eq!(p.status, FeedStatus::New);
    assert_eq!(
        p.items
            .iter()
            .filter(|i| i.status == ItemStatus::New)
            .count(),
        1
    );
    assert_eq!(
        s.hits("/press/iec.html"),
        1,
        "unchanged entries are not refetched"
    );
    let store = Store::open(&env.store()).unwrap();
    let ext_key = store
        .item_keys("press")
        .unwrap()
        .into_iter()
        .find(|k| k.starts_with("ext--"))
        .unwrap();
    let ext = &store.history("press", &ext_key).unwrap()[0];
    assert_eq!(
        store.read_object(&ext.content.hash).unwrap(),
        b"<h1>Extension</h1>"
    );
    assert_eq!(ext.published.unwrap().to_string(), "2024-10-15");
    assert_eq!(
        ext.source,
        Some(SourceInfo::new(SourceKind::Rss, Some(ContentFormat::Html))),
        "a followed link served as HTML is recorded as HTML"
    );
}

#[test]
fn file_feed_versions_each_file() {
    let env = TestEnv::new();
    let notes = env.path().join("notes");
    std::fs::create_dir_all(notes.join("2024")).unwrap();
    std::fs::write(notes.join("iec.md"), "# IEC\nCanada added.\n").unwrap();
    std::fs::write(notes.join("2024/memo.txt"), "ECCN 4A906").unwrap();
    std::fs::write(notes.join(".hidden"), "x").unwrap();
    let config = env.config("feeds:\n  - id: notes\n    kind: file\n    path: notes\n");
    let o = fetch_all(&env, &config);
    let keys: Vec<_> = outcome(&o, "notes")
        .items
        .iter()
        .map(|i| i.item.clone())
        .collect();
    assert_eq!(keys, vec!["2024~memo.txt", "iec.md"]);
    std::fs::write(
        notes.join("iec.md"),
        "# IEC\nCanada and Korea, South added.\n",
    )
    .unwrap();
    let o = fetch_all(&env, &config);
    let n = outcome(&o, "notes");
    assert_eq!(n.status, FeedStatus::Changed);
    assert_eq!(
        Store::open(&env.store())
            .unwrap()
            .history("notes", "iec.md")
            .unwrap()
            .len(),
        2
    );
}

#[test]
fn errors_are_clear_and_never_cost_other_feeds_their_results() {
    let s = TestServer::start();
    let b = s.base.clone();
    s.route(
        "/ok.html",
        vec![Reply::ok("text/html", "<div id=c>ok</div>")],
    );
    s.route("/missing.html", vec![Reply::status(404)]);
    s.route(
        "/bad/api/v1/documents.json",
        vec![Reply::json("{\"results\": [ {\"document_number\": ")],
    );
    s.route(
        "/bad/api/versioner/v1/versions/title-15.json",
        vec![Reply::json(ecfr_versions(&["2024-09-06"]))],
    );
    s.route(
        "/api/versioner/v1/versions/title-15.json",
        vec![Reply::json(ecfr_versions(&["2024-09-06"]))],
    );
    s.route(
        "/api/versioner/v1/full/2024-09-06/title-15.xml",
        vec![Reply::xml("<DIV5><P>truncated")],
    );
    s.route(
        "/feed.rss",
        vec![Reply::ok(
            "text/html",
            "<html><body>Not a feed</body></html>",
        )],
    );
    s.route("/big.html", vec![Reply::ok("text/html", vec![b'x'; 5000])]);
    s.route(
        "/slow.html",
        vec![Reply::ok("text/html", "late").delayed(Duration::from_secs(3))],
    );
    let env = TestEnv::new();
    let yaml = format!(
        "{TEST_HTTP}feeds:
  - id: good
    kind: html
    url: {b}/ok.html
  - id: gone
    kind: html
    url: {b}/missing.html
  - id: bad-json
    kind: federal_register
    base_url: {b}/bad
  - id: bad-xml
    kind: ecfr
    base_url: {b}
    title: 15
    part: 740
  - id: bad-feed
    kind: rss
    url: {b}/feed.rss
  - id: huge
    kind: html
    url: {b}/big.html
    max_bytes: 1000
  - id: slow
    kind: html
    url: {b}/slow.html
    timeout_secs: 0.5
"
    );
    let config = env.config(&yaml);
    let o = fetch_all(&env, &config);
    assert_eq!(outcome(&o, "good").status, FeedStatus::New);
    let expect = [
        ("gone", "missing.html: server answered 404 Not Found"),
        (
            "bad-json",
            "not valid Federal Register search JSON: line 1 column",
        ),
        ("bad-xml", "not valid eCFR XML"),
        (
            "bad-feed",
            "not valid RSS, Atom or JSON Feed: root element is <html>",
        ),
        ("huge", "larger than the 1000-byte limit"),
        ("slow", "timed out after 0.5s"),
    ];
    for (id, text) in expect {
        let f = outcome(&o, id);
        assert!(f.has_errors(), "{id} should fail: {f:?}");
        let all = errors_text(&f.errors);
        assert!(
            all.contains(&format!("feed `{id}`")),
            "{id}: error does not name the feed: {all}"
        );
        assert!(all.contains(text), "{id}: expected `{text}` in: {all}");
    }
    let store = Store::open(&env.store()).unwrap();
    assert_eq!(store.history("good", "page").unwrap().len(), 1);
    assert!(
        store.history("bad-xml", "part-740").unwrap().is_empty(),
        "malformed XML is never stored"
    );
}

#[test]
fn retries_honour_retry_after_and_recover_from_5xx() {
    let s = TestServer::start();
    s.route(
        "/limited.html",
        vec![
            Reply::status(429).header("retry-after", "1"),
            Reply::ok("text/html", "<p>after 429</p>"),
        ],
    );
    s.route(
        "/flaky.html",
        vec![
            Reply::status(500),
            Reply::status(503),
            Reply::ok("text/html", "<p>after 5xx</p>"),
        ],
    );
    s.route("/down.html", vec![Reply::status(502)]);
    s.route(
        "/wait-too-long.html",
        vec![Reply::status(503).header("retry-after", "3600")],
    );
    let env = TestEnv::new();
    let config = env.config(&format!(
        "{TEST_HTTP}feeds:
  - id: limited
    kind: html
    url: {b}/limited.html
  - id: flaky
    kind: html
    url: {b}/flaky.html
  - id: down
    kind: html
    url: {b}/down.html
  - id: patience
    kind: html
    url: {b}/wait-too-long.html
",
        b = s.base
    ));
    let start = Instant::now();
    let o = fetch_all(&env, &config);
    assert!(
        start.elapsed() >= Duration::from_millis(950),
        "Retry-After: 1 was not honoured"
    );
    assert_eq!(outcome(&o, "limited").status, FeedStatus::New);
    assert_eq!(s.hits("/limited.html"), 2);
    assert_eq!(outcome(&o, "flaky").status, FeedStatus::New);
    assert_eq!(s.hits("/flaky.html"), 3);
    let down = outcome(&o, "down");
    // Typed: the feed's FetchError, not only its text.
    let kind = down.errors[0].fetch_error().map(|e| &e.kind);
    assert!(
        matches!(
            kind,
            Some(FetchErrorKind::Status {
                status: 502,
                attempts: 3
            })
        ),
        "{:?}",
        down.errors
    );
    assert!(
        down.errors[0]
            .to_string()
            .contains("502 Bad Gateway (after 3 attempts)"),
        "{:?}",
        down.errors
    );
    assert_eq!(s.hits("/down.html"), 3);
    let patience = &outcome(&o, "patience").errors[0];
    assert!(
        matches!(
            patience.fetch_error().map(|e| &e.kind),
            Some(FetchErrorKind::RetryAfterTooLong { secs: 3600 })
        ),
        "{patience:?}"
    );
    assert!(patience.to_string().contains("retry after 3600s"));
    assert_eq!(s.hits("/wait-too-long.html"), 1);
}

#[test]
fn connection_refused_is_reported_as_offline() {
    let port = crate::common::unused_port();
    let env = TestEnv::new();
    let config = env.config(&format!(
        "{TEST_HTTP}feeds:\n  - id: dead\n    kind: html\n    url: http://127.0.0.1:{port}/\n"
    ));
    let o = fetch_all(&env, &config);
    assert!(
        matches!(
            o[0].errors[0].fetch_error().map(|e| &e.kind),
            Some(FetchErrorKind::Connect(_))
        ),
        "{:?}",
        o[0].errors
    );
    assert!(
        o[0].errors[0].to_string().contains("could not connect"),
        "{:?}",
        o[0].errors
    );
}

#[test]
fn per_host_politeness_spaces_requests() {
    let s = TestServer::start();
    for i in 0..4 {
        s.route(
            &format!("/p{i}.html"),
            vec![Reply::ok("text/html", format!("<p>{i}</p>"))],
        );
    }
    let env = TestEnv::new();
    let mut yaml =
        "http:\n  politeness_delay_ms: 150\n  per_host_concurrency: 1\nfeeds:\n".to_string();
    for i in 0..4 {
        yaml.push_str(&format!(
            "  - id: p{i}\n    kind: html\n    url: {}/p{i}.html\n",
            s.base
        ));
    }
    let config = env.config(&yaml);
    let start = Instant::now();
    let o = fetch_all(&env, &config);
    assert!(o.iter().all(|f| f.status == FeedStatus::New));
    // Four requests to one host, 150 ms apart: at least 450 ms in all.
    assert!(
        start.elapsed() >= Duration::from_millis(440),
        "{:?}",
        start.elapsed()
    );
}

#[test]
fn feed_headers_go_only_to_the_feeds_own_origin() {
    let s1 = TestServer::start();
    let s2 = TestServer::start();
    let (b1, b2) = (s1.base.clone(), s2.base.clone());
    s1.route(
        "/same",
        vec![Reply::status(302).header("location", "/final")],
    );
    s1.route("/final", vec![Reply::ok("text/html", "<p>same</p>")]);
    s1.route(
        "/away",
        vec![Reply::status(302).header("location", &format!("{b2}/landing"))],
    );
    s2.route("/landing", vec![Reply::ok("text/html", "<p>other</p>")]);
    s1.route(
        "/feed.rss",
        vec![Reply::ok(
            "application/rss+xml",
            format!(
                "<rss version=\"2.0\"><channel><item><title>x</title><link>{b2}/linked.html</link></item></channel></rss>"
            ),
        )],
    );
    s2.route(
        "/linked.html",
        vec![Reply::ok("text/html", "<p>linked</p>")],
    );
    s1.route(
        "/loop",
        vec![Reply::status(302).header("location", "/loop")],
    );
    let env = TestEnv::new();
    let key = "headers:\n      - name: X-Api-Key\n        value: s3cret\n";
    let config = env.config(&format!(
        "{TEST_HTTP}feeds:
  - id: same
    kind: html
    url: {b1}/same
    {key}  - id: away
    kind: html
    url: {b1}/away
    {key}  - id: links
    kind: rss
    url: {b1}/feed.rss
    follow_links: true
    {key}  - id: loop
    kind: html
    url: {b1}/loop
    {key}"
    ));
    let o = fetch_all(&env, &config);
    for id in ["same", "away", "links"] {
        assert_eq!(outcome(&o, id).status, FeedStatus::New, "{o:?}");
    }
    let secret = Some("s3cret".to_string());
    assert_eq!(s1.header_seen("/same", "x-api-key"), vec![secret.clone()]);
    assert_eq!(
        s1.header_seen("/final", "x-api-key"),
        vec![secret.clone()],
        "a same-origin redirect keeps the feed's headers"
    );
    assert_eq!(s1.header_seen("/away", "x-api-key"), vec![secret.clone()]);
    assert_eq!(
        s2.header_seen("/landing", "x-api-key"),
        vec![None],
        "a redirect to another origin must not carry the feed's headers"
    );
    assert_eq!(s1.header_seen("/feed.rss", "x-api-key"), vec![secret]);
    assert_eq!(
        s2.header_seen("/linked.html", "x-api-key"),
        vec![None],
        "an entry link on another origin must not get the feed's headers"
    );
    let store = Store::open(&env.store()).unwrap();
    let away = &store.history("away", "page").unwrap()[0];
    assert_eq!(
        store.read_object(&away.content.hash).unwrap(),
        b"<p>other</p>"
    );
    let lp = outcome(&o, "loop");
    assert!(
        errors_text(&lp.errors).contains("too many redirects"),
        "{:?}",
        lp.errors
    );
}

/// Returns an RSS 2.0 feed holding `items` (`<item>` elements).
/// Returns the RSS `id` recorded in each version of every item of `feed`
/// (the record is the content, or the metadata with `follow_links`).
fn recorded_ids(store: &Store, feed: &str) -> Vec<(String, Vec<String>)> {
    store
        .item_keys(feed)
        .unwrap()
        .into_iter()
        .map(|key| {
            let ids = store
                .history(feed, &key)
                .unwrap()
                .iter()
                .map(|v| {
                    let blob = v.metadata.as_ref().unwrap_or(&v.content);
                    let rec: serde_json::Value =
                        serde_json::from_slice(&store.read_object(&blob.hash).unwrap()).unwrap();
                    rec["id"].as_str().unwrap().to_string()
                })
                .collect();
            (key, ids)
        })
        .collect()
}

#[test]
fn rss_item_identity_follows_the_guid_not_the_order_or_the_slug() {
    let s = TestServer::start();
    let b = s.base.clone();
    let item = |guid: &str, title: &str| {
        format!(
            "<item><title>{title}</title><guid>{guid}</guid><description>{title} text</description></item>"
        )
    };
    let rss = |items: &[String]| Reply::rss(&items.concat());
    let iec = item("https://bis.gov/press/iec.html", "IEC");
    let other = item("https://bis.gov/archive/iec.htm", "Archived IEC");
    let crafted = item("https://evil.example/x/iec", "Crafted");
    s.route(
        "/feed.rss",
        vec![
            rss(&[iec.clone(), other.clone()]),
            // The older entry drops off: the other one must not inherit its history.
            rss(std::slice::from_ref(&iec)),
            // A crafted entry with the same slug, listed last (oldest).
            rss(&[iec.clone(), crafted]),
            rss(&[other, iec]),
        ],
    );
    let env = TestEnv::new();
    let config = env.config(&format!(
        "{TEST_HTTP}feeds:\n  - id: press\n    kind: rss\n    url: {b}/feed.rss\n"
    ));
    for day in 1..=4 {
        let o = fetch_on(&env, &config, day);
        assert!(!outcome(&o, "press").has_errors(), "{o:?}");
    }
    let store = Store::open(&env.store()).unwrap();
    let ids = recorded_ids(&store, "press");
    assert_eq!(ids.len(), 3, "one item per guid: {ids:?}");
    for (key, versions) in &ids {
        assert_eq!(versions.len(), 1, "{key} holds other entries: {versions:?}");
        let v = &store.history("press", key).unwrap()[0];
        assert_eq!(
            v.source,
            Some(SourceInfo::new(
                SourceKind::Rss,
                Some(ContentFormat::FeedEntry)
            ))
        );
        let doc = regwatch::parse::stored::model_for(&store, v).unwrap();
        assert_eq!(doc.meta.kind, regwatch::model::DocKind::Report, "{key}");
    }
}

#[test]
fn file_keys_never_merge_two_files() {
    let env = TestEnv::new();
    let notes = env.path().join("notes");
    std::fs::create_dir_all(notes.join("sub")).unwrap();
    let names = [
        "iec.md",
        "sub/a.txt",
        "sub~a.txt",
        "a b.txt",
        "a-b.txt",
        "a--b.txt",
        "出口.md",
        "进口.md",
    ];
    for n in names {
        std::fs::write(notes.join(n), format!("content of {n}")).unwrap();
    }
    let config = env.config("feeds:\n  - id: notes\n    kind: file\n    path: notes\n");
    fetch_on(&env, &config, 1);
    let o = fetch_on(&env, &config, 2);
    assert_eq!(outcome(&o, "notes").status, FeedStatus::Unchanged, "{o:?}");
    let store = Store::open(&env.store()).unwrap();
    let keys = store.item_keys("notes").unwrap();
    assert_eq!(keys.len(), names.len(), "{keys:?}");
    let mut seen = Vec::new();
    for key in &keys {
        let h = store.history("notes", key).unwrap();
        assert_eq!(h.len(), 1, "{key} alternates between files");
        let content = String::from_utf8(store.read_object(&h[0].content.hash).unwrap()).unwrap();
        let name = content.strip_prefix("content of ").unwrap().to_string();
        assert_eq!(h[0].title.as_deref(), Some(name.as_str()));
        seen.push(name);
    }
    seen.sort();
    let mut want: Vec<_> = names.iter().map(|n| n.to_string()).collect();
    want.sort();
    assert_eq!(seen, want);
    // Ordinary paths keep the keys they always had.
    assert_eq!(
        store.history("notes", "iec.md").unwrap()[0]
            .title
            .as_deref(),
        Some("iec.md")
    );
    assert_eq!(
        store.history("notes", "sub~a.txt").unwrap()[0]
            .title
            .as_deref(),
        Some("sub/a.txt")
    );
    assert_eq!(
        store.history("notes", "a-b.txt").unwrap()[0]
            .title
            .as_deref(),
        Some("a-b.txt")
    );
}

#[test]
fn federal_register_document_numbers_never_share_a_key() {
    let s = TestServer::start();
    let b = s.base.clone();
    let nums = ["2024-19633", "..", ".", "-", "2024 19633"];
    let mut results: Vec<serde_json::Value> = nums
        .iter()
        .enumerate()
        .map(|(i, n)| {
            serde_json::json!({
                "document_number": n,
                "title": format!("doc {n}"),
                "json_url": format!("{b}/d/{i}.json"),
            })
        })
        .collect();
    results.push(serde_json::json!({"title": "no number", "json_url": format!("{b}/d/x.json")}));
    s.route(
        "/api/v1/documents.json",
        vec![Reply::json(
            serde_json::json!({"results": results, "next_page_url": null}).to_string(),
        )],
    );
    for (i, n) in nums.iter().enumerate() {
        s.route(
            &format!("/d/{i}.json"),
            vec![Reply::json(
                serde_json::json!({"document_number": n, "raw_text_url": format!("{b}/t/{i}.txt")})
                    .to_string(),
            )],
        );
        s.route(
            &format!("/t/{i}.txt"),
            vec![Reply::ok("text/plain", format!("text of {n}"))],
        );
    }
    let env = TestEnv::new();
    let config = env.config(&format!(
        "{TEST_HTTP}feeds:\n  - id: bis\n    kind: federal_register\n    base_url: {b}\n"
    ));
    let o = fetch_on(&env, &config, 1);
    let bis = outcome(&o, "bis");
    let errors = errors_text(&bis.errors);
    assert!(
        errors.contains("no document_number"),
        "a record without a number is reported, not dropped: {errors}"
    );
    let store = Store::open(&env.store()).unwrap();
    let keys = store.item_keys("bis").unwrap();
    assert_eq!(keys.len(), nums.len(), "{keys:?}");
    let mut texts: Vec<String> = keys
        .iter()
        .map(|k| {
            let h = store.history("bis", k).unwrap();
            assert_eq!(h.len(), 1);
            String::from_utf8(store.read_object(&h[0].content.hash).unwrap()).unwrap()
        })
        .collect();
    texts.sort();
    let mut want: Vec<String> = nums.iter().map(|n| format!("text of {n}")).collect();
    want.sort();
    assert_eq!(texts, want);
    assert_eq!(store.history("bis", "2024-19633").unwrap().len(), 1);
}

/// A small deterministic PRNG (SplitMix64) for the property tests.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    /// Returns a random subset of `0..n` in random order.
    fn pick(&mut self, n: usize) -> Vec<usize> {
        let mut v: Vec<usize> = (0..n).filter(|_| self.below(3) > 0).collect();
        for i in (1..v.len()).rev() {
            v.swap(i, self.below(i + 1));
        }
        v
    }
}

/// Checks that each item of `feed` holds one source only and each source
/// lives in one item: `label` reads the source's label out of a version.
fn assert_one_source_per_item(
    store: &Store,
    feed: &str,
    seed: u64,
    label: impl Fn(&regwatch::store::Version, &str) -> String,
) -> usize {
    let mut owner: std::collections::BTreeMap<String, String> = Default::default();
    for key in store.item_keys(feed).unwrap() {
        for v in store.history(feed, &key).unwrap() {
            let content = String::from_utf8(store.read_object(&v.content.hash).unwrap()).unwrap();
            let who = label(&v, &content);
            let prev = owner.insert(who.clone(), key.clone());
            assert!(
                prev.as_ref().is_none_or(|p| p == &key),
                "seed {seed}: `{who}` is stored under two keys, {prev:?} and {key}"
            );
            let first = store.history(feed, &key).unwrap()[0].clone();
            let first_content =
                String::from_utf8(store.read_object(&first.content.hash).unwrap()).unwrap();
            assert_eq!(
                label(&first, &first_content),
                who,
                "seed {seed}: item {key} holds versions of two sources"
            );
        }
    }
    owner.len()
}

#[test]
fn property_rss_items_keep_their_own_history_whatever_the_feed_does() {
    // (guid, link, title, date): same slugs, ids differing only in
    // punctuation or case, no guid, and neither guid nor link.
    let pool: &[(Option<&str>, Option<&str>, &str, &str)] = &[
        (
            Some("https://bis.gov/press/iec.html"),
            None,
            "IEC",
            "2024-09-05",
        ),
        (
            Some("https://bis.gov/archive/iec.htm"),
            None,
            "IEC",
            "2024-09-05",
        ),
        (Some("https://evil.example/iec"), None, "IEC", "2024-09-05"),
        (Some("iec"), None, "IEC", "2024-09-05"),
        (Some("IEC"), None, "IEC", "2024-09-05"),
        (Some("i.e.c"), None, "IEC", "2024-09-05"),
        (Some("i-e-c"), None, "IEC", "2024-09-05"),
        (Some("i e c"), None, "IEC", "2024-09-05"),
        (Some("i--e--c"), None, "IEC", "2024-09-05"),
        (Some("tag:a/b"), None, "AB", "2024-09-06"),
        (Some("tag:a~b"), None, "AB", "2024-09-06"),
        (Some(".."), None, "dots", "2024-09-06"),
        (Some("-"), None, "dash", "2024-09-06"),
        (
            None,
            Some("https://bis.gov/l/iec.html?x=1"),
            "IEC",
            "2024-09-05",
        ),
        (
            None,
            Some("https://bis.gov/l/iec.html?x=2"),
            "IEC",
            "2024-09-05",
        ),
        (None, None, "IEC", "2024-09-05"),
        (None, None, "IEC", "2024-09-06"),
        (None, None, "IEC!", "2024-09-06"),
    ];
    let rounds = 6;
    for seed in [1u64, 7, 42] {
        let mut rng = Rng(seed);
        let mut revs = vec![0u32; pool.len()];
        let replies: Vec<Reply> = (0..rounds)
            .map(|_| {
                let mut items = String::new();
                for i in rng.pick(pool.len()) {
                    if rng.below(4) == 0 {
                        revs[i] += 1;
                    }
                    let (guid, link, title, date) = pool[i];
                    let guid = guid.map_or(String::new(), |g| format!("<guid>{g}</guid>"));
                    let link = link.map_or(String::new(), |l| format!("<link>{l}</link>"));
                    items.push_str(&format!(
                        "<item><title>{title}</title>{guid}{link}<pubDate>{date}</pubDate>\
                         <description>who:{i} rev:{}</description></item>",
                        revs[i]
                    ));
                }
                Reply::rss(&items)
            })
            .collect();
        let s = TestServer::start();
        s.route("/feed.rss", replies);
        let env = TestEnv::new();
        let config = env.config(&format!(
            "{TEST_HTTP}feeds:\n  - id: press\n    kind: rss\n    url: {}/feed.rss\n",
            s.base
        ));
        for day in 1..=rounds {
            let o = fetch_on(&env, &config, day);
            assert!(!outcome(&o, "press").has_errors(), "seed {seed}: {o:?}");
        }
        let store = Store::open(&env.store()).unwrap();
        let sources = assert_one_source_per_item(&store, "press", seed, |_, content| {
            let rec: serde_json::Value = serde_json::from_str(content).unwrap();
            let summary = rec["summary"].as_str().unwrap();
            summary.split(' ').next().unwrap().to_string()
        });
        assert_eq!(sources, store.item_keys("press").unwrap().len());
    }
}

#[test]
fn property_file_items_keep_their_own_history_whatever_the_folder_does() {
    let pool = [
        "sub/a.txt",
        "sub~a.txt",
        "sub-a.txt",
        "sub a.txt",
        "sub--a.txt",
        "Sub/a.txt",
        "sub/a/b.txt",
        "sub~a~b.txt",
        "sub/a~b.txt",
        "sub~a/b.txt",
        "a..b",
        "a.b",
        "出口.md",
        "进口.md",
        "notes/iec.md",
    ];
    let rounds = 6;
    for seed in [3u64, 11, 99] {
        let mut rng = Rng(seed);
        let env = TestEnv::new();
        let root = env.path().join("notes");
        std::fs::create_dir_all(&root).unwrap();
        let config = env.config("feeds:\n  - id: notes\n    kind: file\n    path: notes\n");
        let mut revs = [0u32; 15];
        for day in 1..=rounds {
            let present = rng.pick(pool.len());
            for (i, rel) in pool.iter().enumerate() {
                let path = root.join(rel);
                if present.contains(&i) {
                    if rng.below(4) == 0 {
                        revs[i] += 1;
                    }
                    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
                    std::fs::write(&path, format!("who:{rel} rev:{}", revs[i])).unwrap();
                } else {
                    let _ = std::fs::remove_file(&path);
                }
            }
            let o = fetch_on(&env, &config, day);
            assert!(!outcome(&o, "notes").has_errors(), "seed {seed}: {o:?}");
        }
        let store = Store::open(&env.store()).unwrap();
        assert_one_source_per_item(&store, "notes", seed, |v, content| {
            let who = content.rsplit_once(" rev:").unwrap().0.to_string();
            assert_eq!(
                Some(who.trim_start_matches("who:")),
                v.title.as_deref(),
                "seed {seed}: the title names another file"
            );
            who
        });
        // Every file at once: one item each, and ordinary paths keep their plain keys.
        for rel in pool {
            let path = root.join(rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, format!("who:{rel} rev:last")).unwrap();
        }
        fetch_on(&env, &config, rounds + 1);
        assert_eq!(store.item_keys("notes").unwrap().len(), pool.len());
        for (rel, key) in [
            ("notes/iec.md", "notes~iec.md"),
            ("sub/a.txt", "sub~a.txt"),
            ("Sub/a.txt", "Sub~a.txt"),
            ("sub-a.txt", "sub-a.txt"),
            ("a.b", "a.b"),
        ] {
            let h = store.history("notes", key).unwrap();
            assert_eq!(h.last().unwrap().title.as_deref(), Some(rel), "seed {seed}");
        }
    }
}

#[test]
fn rss_never_writes_to_an_item_key_an_older_regwatch_wrote() {
    use regwatch::fetch::{FeedFetch, FetchedItem, Part, RawBlob, Validators};
    let env = TestEnv::new();
    // A store as an older regwatch left it: `iec` holds the entry whose guid
    // was https://bis.gov/press/iec.html (the old key was the URL's slug).
    let old_record = br#"{"id": "https://bis.gov/press/iec.html", "title": "IEC"}"#.to_vec();
    {
        let store = Store::create_or_open(&env.store()).unwrap();
        let now = chrono::Utc::now();
        let lock = store.lock(false, now).unwrap();
        let item = FetchedItem {
            key: "iec".into(),
            title: Some("IEC".into()),
            as_of: None,
            published: None,
            content: Part::Fetched(RawBlob {
                bytes: old_record.clone(),
                url: None,
                content_type: Some("application/json".into()),
                validators: Validators::default(),
            }),
            metadata: None,
            raw: None,
            fingerprint: None,
            source: None,
        };
        let fetch = FeedFetch {
            feed: "press".into(),
            items: vec![item],
            unchanged: vec![],
            errors: vec![],
            warnings: vec![],
            validators: Default::default(),
        };
        store.record(&lock, &fetch, now).unwrap();
    }
    // Now the feed has an entry whose guid is literally `iec`, and the old one.
    let s = TestServer::start();
    s.route(
        "/feed.rss",
        vec![Reply::ok(
            "application/rss+xml",
            "<rss version=\"2.0\"><channel>\
             <item><title>Other</title><guid>iec</guid></item>\
             <item><title>IEC</title><guid>https://bis.gov/press/iec.html</guid></item>\
             </channel></rss>",
        )],
    );
    let config = env.config(&format!(
        "{TEST_HTTP}feeds:\n  - id: press\n    kind: rss\n    url: {}/feed.rss\n",
        s.base
    ));
    let o = fetch_on(&env, &config, 2);
    assert!(!outcome(&o, "press").has_errors(), "{o:?}");
    let store = Store::open(&env.store()).unwrap();
    let old = store.history("press", "iec").unwrap();
    assert_eq!(old.len(), 1, "the old item was written to again");
    assert_eq!(store.read_object(&old[0].content.hash).unwrap(), old_record);
    let ids = recorded_ids(&store, "press");
    assert_eq!(ids.len(), 3, "{ids:?}");
    for (key, versions) in ids.iter().filter(|(k, _)| k != "iec") {
        assert_eq!(versions.len(), 1, "{key}: {versions:?}");
        assert!(key.contains("--"), "{key} is not in the new key form");
    }
}

#[test]
fn rss_entry_listed_twice_is_one_item_and_a_differing_repeat_is_reported() {
    let s = TestServer::start();
    let item = |title: &str| format!("<item><title>{title}</title><guid>bis-1</guid></item>");
    let rss = |items: &[String]| Reply::rss(&items.concat());
    s.route("/same.rss", vec![rss(&[item("A"), item("A")])]);
    s.route("/differ.rss", vec![rss(&[item("New"), item("Old")])]);
    let env = TestEnv::new();
    let config = env.config(&format!(
        "{TEST_HTTP}feeds:\n  - id: same\n    kind: rss\n    url: {b}/same.rss\n  - id: differ\n    kind: rss\n    url: {b}/differ.rss\n",
        b = s.base
    ));
    for round in 1..=2 {
        let o = fetch_on(&env, &config, round);
        assert!(!outcome(&o, "same").has_errors(), "{o:?}");
        // A warning, not a failure: the run would fail every time otherwise.
        assert!(!outcome(&o, "differ").has_errors(), "{o:?}");
        // Warned when the kept entry is stored (like every fetch warning).
        let differ = outcome(&o, "differ")
            .warnings
            .iter()
            .map(|w| w.to_string())
            .collect::<Vec<_>>()
            .join("\n");
        assert_eq!(
            differ.contains("entry `bis-1` is listed more than once with different content"),
            round == 1,
            "round {round}: {differ}"
        );
    }
    let store = Store::open(&env.store()).unwrap();
    for feed in ["same", "differ"] {
        let keys = store.item_keys(feed).unwrap();
        assert_eq!(keys.len(), 1, "{feed}: one guid, one item: {keys:?}");
        assert_eq!(store.history(feed, &keys[0]).unwrap().len(), 1);
    }
    let kept = &store
        .history("differ", &store.item_keys("differ").unwrap()[0])
        .unwrap()[0];
    assert_eq!(
        kept.title.as_deref(),
        Some("New"),
        "the first listed is kept"
    );
}

#[test]
fn an_html_feed_serving_search_shaped_json_is_not_read_as_a_federal_register_search() {
    let s = TestServer::start();
    let body =
        r#"{"results": [{"document_number": "2024-1", "title": "Status page, not a rule"}]}"#;
    s.route("/status", vec![Reply::json(body.to_string())]);
    s.route(
        "/page",
        vec![Reply::ok("text/html; charset=utf-8", "<p>Hello</p>")],
    );
    let env = TestEnv::new();
    let config = env.config(&format!(
        "{TEST_HTTP}feeds:\n  - id: status\n    kind: html\n    url: {b}/status\n  - id: page\n    kind: html\n    url: {b}/page\n",
        b = s.base
    ));
    fetch_all(&env, &config);
    let store = Store::open(&env.store()).unwrap();
    let v = &store.history("status", "page").unwrap()[0];
    assert_eq!(v.source, Some(SourceInfo::new(SourceKind::Html, None)));
    let doc = regwatch::parse::stored::model_for(&store, v).unwrap();
    assert_ne!(doc.format, regwatch::model::SourceFormat::FrApiSearch);
    assert!(doc.documents.is_empty(), "{:?}", doc.documents);
    assert_eq!(doc.format, regwatch::model::SourceFormat::Text);
    // A page served as HTML is recorded as HTML.
    let page = &store.history("page", "page").unwrap()[0];
    assert_eq!(
        page.source,
        Some(SourceInfo::new(SourceKind::Html, Some(ContentFormat::Html)))
    );
}

#[cfg(unix)]
#[test]
fn a_file_name_that_is_not_utf8_keeps_its_key_however_the_folder_is_written() {
    use std::os::unix::ffi::OsStrExt;
    let env = TestEnv::new();
    let docs = env.path().join("docs");
    std::fs::create_dir_all(&docs).unwrap();
    std::fs::write(
        docs.join(std::ffi::OsStr::from_bytes(b"caf\xe9.txt")),
        "Menu du jour.\n",
    )
    .unwrap();
    let absolute = docs.display().to_string();
    for (round, path) in ["./docs", "docs", absolute.as_str()].iter().enumerate() {
        env.write_config(&format!(
            "feeds:\n  - id: local\n    kind: file\n    path: {path}\n"
        ));
        env.run(&["fetch"]).expect_code(0);
        let store = Store::open(&env.store()).unwrap();
        let keys = store.item_keys("local").unwrap();
        assert_eq!(keys.len(), 1, "round {round} ({path}): {keys:?}");
        assert!(keys[0].starts_with("caf"), "{keys:?}");
        assert_eq!(store.history("local", &keys[0]).unwrap().len(), 1);
    }
}

#[test]
fn feed_warnings_are_typed_and_read_as_one_line() {
    let env = TestEnv::new();
    std::fs::create_dir(env.path().join("notes")).unwrap();
    std::fs::write(
        env.path().join("notes/scan.html"),
        [0u8, 159, 146, 150, 0, 1],
    )
    .unwrap();
    let config = env.config("feeds:\n  - id: notes\n    kind: file\n    path: notes\n");
    let o = fetch_on(&env, &config, 1);
    let w = &outcome(&o, "notes").warnings;
    assert_eq!(w.len(), 1, "{w:?}");
    assert_eq!(
        (w[0].feed.as_str(), w[0].warning.key.as_str()),
        ("notes", "scan.html")
    );
    assert!(
        w[0].to_string()
            .starts_with("notes/scan.html: expected HTML"),
        "{}",
        w[0]
    );
    // It is not parsed either: a typed parse problem names the version.
    let p = &outcome(&o, "notes").parse_problems;
    assert_eq!(p.len(), 1, "{p:?}");
    assert_eq!(p[0].version.to_string(), "notes/scan.html@1");
    assert_eq!(
        outcome(&o, "notes").notes(),
        [w[0].to_string(), p[0].to_string()]
    );
}
