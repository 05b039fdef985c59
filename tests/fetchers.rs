//! Every fetcher against a real HTTP server on loopback: success, 304,
//! errors, retries, limits, encodings, and one feed failing among others.

use std::time::{Duration, Instant};

use regwatch::config::Config;
use regwatch::pipeline::{FeedOutcome, FeedStatus};
use regwatch::store::{ItemStatus, Store};

use crate::common::{Reply, TEST_HTTP, TestEnv, TestServer, fetch_on, store_bytes};

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
    assert_eq!(items, vec!["iec"]);
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
    let ext = &store.history("press", "ext").unwrap()[0];
    assert_eq!(
        store.read_object(&ext.content.hash).unwrap(),
        b"<h1>Extension</h1>"
    );
    assert_eq!(ext.published.unwrap().to_string(), "2024-10-15");
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
        let all = f.errors.join("\n");
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
    assert!(
        down.errors[0].contains("502 Bad Gateway (after 3 attempts)"),
        "{:?}",
        down.errors
    );
    assert_eq!(s.hits("/down.html"), 3);
    assert!(outcome(&o, "patience").errors[0].contains("retry after 3600s"));
    assert_eq!(s.hits("/wait-too-long.html"), 1);
}

#[test]
fn connection_refused_is_reported_as_offline() {
    // Bind then drop a listener: its port now refuses connections.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let env = TestEnv::new();
    let config = env.config(&format!(
        "{TEST_HTTP}feeds:\n  - id: dead\n    kind: html\n    url: http://127.0.0.1:{port}/\n"
    ));
    let o = fetch_all(&env, &config);
    assert!(
        o[0].errors[0].contains("could not connect"),
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
