//! Bodies that are hostile or not what the feed expects: pages nested
//! thousands of levels deep, images or random bytes served as documents,
//! truncated full texts. Each becomes a clear error or warning naming the
//! feed and item, and the other feeds and items are still stored.

use regwatch::store::Store;

use crate::common::{Reply, TEST_HTTP, TestEnv, TestServer};
use crate::fetchers::search;

/// 128k nested `<div>`s (1.4 MB): html5ever's tree builder is quadratic in
/// the nesting depth, so before the limit this took minutes.
fn nested_divs(levels: usize) -> String {
    format!(
        "<html><head><title>Deep</title></head><body>{}x{}</body></html>",
        "<div>".repeat(levels),
        "</div>".repeat(levels)
    )
}

const DEEP: usize = 128 * 1024;

/// The first eight bytes of a PNG file and some noise: what a server sends
/// when a URL now points at an image.
fn png_bytes() -> Vec<u8> {
    let mut b = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    b.extend((0..8_384u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8));
    b
}

/// Bytes with no structure at all (deterministic).
fn random_bytes() -> Vec<u8> {
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    (0..4096)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 24) as u8
        })
        .collect()
}

/// A `feeds:` list of html feeds `(id, path on the server)`.
fn html_feeds(base: &str, feeds: &[(&str, &str)]) -> String {
    let mut yaml = format!("{TEST_HTTP}feeds:\n");
    for (id, path) in feeds {
        yaml.push_str(&format!(
            "  - id: {id}\n    kind: html\n    url: {base}{path}\n"
        ));
    }
    yaml
}

fn history_len(env: &TestEnv, feed: &str, item: &str) -> usize {
    let store = Store::open(&env.store()).unwrap();
    store.history(feed, item).map(|h| h.len()).unwrap_or(0)
}

#[test]
fn deeply_nested_html_feed_is_refused_clearly_and_other_feeds_are_stored() {
    let s = TestServer::start();
    let deep = nested_divs(DEEP);
    s.route("/deep.html", vec![Reply::ok("text/html", deep.clone())]);
    s.route("/deep-selected.html", vec![Reply::ok("text/html", deep)]);
    s.route(
        "/ok.html",
        vec![Reply::ok("text/html", "<h1>Notice</h1><p>IEC</p>")],
    );
    let b = &s.base;
    let env = TestEnv::new();
    let feeds = html_feeds(
        b,
        &[
            ("deep", "/deep.html"),
            ("ok", "/ok.html"),
            ("deep-selected", "/deep-selected.html"),
        ],
    );
    env.write_config(&format!("{feeds}    selector: div\n"));
    let r = env.run(&["fetch"]);
    r.expect_code(1);
    let out = r.stdout();
    // The page without a selector is kept as received, and its model is
    // refused with a warning naming the version and the limit.
    assert!(
        out.contains("deep/page@1") && out.contains("nested deeper than 512"),
        "{out}"
    );
    assert_eq!(history_len(&env, "deep", "page"), 1, "{out}");
    // The selector is applied at fetch time: the feed fails with its address.
    assert!(
        out.contains("deep-selected") && out.contains("FAILED"),
        "{out}"
    );
    assert!(
        out.contains("deep-selected.html") && out.matches("nested deeper than 512").count() >= 2,
        "{out}"
    );
    assert_eq!(history_len(&env, "deep-selected", "page"), 0, "{out}");
    // The other feed is stored and modelled.
    assert_eq!(history_len(&env, "ok", "page"), 1, "{out}");
    let show = env.run(&["show", "ok/page@1", "--parsed"]);
    show.expect_code(0);
    assert!(show.stdout().contains("Notice"), "{}", show.stdout());
}

#[test]
fn deeply_nested_html_file_is_refused_by_parse() {
    let env = TestEnv::new();
    std::fs::write(env.path().join("deep.html"), nested_divs(DEEP)).unwrap();
    let r = env.run(&["parse", "deep.html"]);
    r.expect_code(2);
    let err = r.stderr();
    assert!(
        err.contains("deep.html") && err.contains("nested deeper than 512 levels"),
        "{err}"
    );
    // A page within the limit still parses.
    std::fs::write(env.path().join("ok.html"), nested_divs(400)).unwrap();
    env.run(&["parse", "ok.html"]).expect_code(0);
}

/// A reply with no `Content-Type` header at all.
fn untyped(body: impl Into<Vec<u8>>) -> Reply {
    let mut r = Reply::ok("text/plain", body);
    r.headers.retain(|(k, _)| k != "content-type");
    r
}

/// Routes an FR search listing `nums`, each with its document JSON whose
/// full text is at `/full/NUM.xml`.
fn fr_routes(s: &TestServer, nums: &[&str]) {
    let b = &s.base;
    let listed: Vec<(&str, &str)> = nums.iter().map(|n| (*n, b.as_str())).collect();
    s.route(
        "/api/v1/documents.json",
        vec![Reply::json(search(&listed, None))],
    );
    for n in nums {
        s.route(
            &format!("/api/v1/documents/{n}.json"),
            vec![Reply::json(
                serde_json::json!({
                    "document_number": n,
                    "title": format!("BIS rule {n}"),
                    "publication_date": "2024-09-06",
                    "full_text_xml_url": format!("{b}/full/{n}.xml"),
                })
                .to_string(),
            )],
        );
    }
}

/// A `federal_register` feed `bis` on the test server at `base`.
fn bis_feed(base: &str) -> String {
    format!(
        "  - id: bis
    kind: federal_register
    base_url: {base}
    agencies: [industry-and-security-bureau]
"
    )
}

const GOOD_RULE: &str = "<RULE><PREAMB><AGENCY>BIS</AGENCY><SUBJECT>IEC</SUBJECT></PREAMB><SUPLINF><P>Text.</P></SUPLINF></RULE>";

#[test]
fn typed_feeds_refuse_bodies_that_are_not_xml_and_keep_the_rest() {
    let s = TestServer::start();
    fr_routes(&s, &["2024-00001", "2024-00002", "2024-00003"]);
    s.route(
        "/full/2024-00001.xml",
        vec![Reply::ok("image/png", png_bytes())],
    );
    // Declared as XML, but the bytes are noise.
    s.route("/full/2024-00002.xml", vec![Reply::xml(random_bytes())]);
    s.route("/full/2024-00003.xml", vec![Reply::xml(GOOD_RULE)]);
    s.route(
        "/api/versioner/v1/versions/title-15.json?part=740",
        vec![Reply::json(
            r#"{"content_versions":[{"date":"2024-09-06","amendment_date":"2024-09-06","part":"740"}],"meta":{}}"#,
        )],
    );
    s.route(
        "/api/versioner/v1/full/2024-09-06/title-15.xml?part=740",
        vec![Reply::ok("image/png", png_bytes())],
    );
    let b = &s.base;
    let env = TestEnv::new();
    env.write_config(&format!(
        "{TEST_HTTP}feeds:
{}  - id: ear
    kind: ecfr
    base_url: {b}
    title: 15
    part: 740
",
        bis_feed(b)
    ));
    let r = env.run(&["fetch"]);
    r.expect_code(1);
    let out = r.stdout();
    let line = |key: &str| {
        out.lines()
            .find(|l| l.contains('!') && l.contains(key))
            .unwrap_or_else(|| panic!("no error line for {key}:\n{out}"))
            .to_string()
    };
    let png = line("2024-00001");
    assert!(
        png.contains("expected XML, got image/png (8.2 KB)") && png.contains("bis"),
        "{png}"
    );
    let noise = line("2024-00002");
    assert!(
        noise.contains("expected XML, got binary data") && noise.contains("application/xml"),
        "{noise}"
    );
    assert_eq!(history_len(&env, "bis", "2024-00001"), 0, "{out}");
    assert_eq!(history_len(&env, "bis", "2024-00002"), 0, "{out}");
    assert_eq!(history_len(&env, "bis", "2024-00003"), 1, "{out}");
    assert!(
        out.contains("ear") && out.contains("expected XML, got image/png (8.2 KB)"),
        "{out}"
    );
    assert_eq!(history_len(&env, "ear", "part-740"), 0, "{out}");
}

#[test]
fn untyped_feeds_store_odd_bodies_and_warn() {
    let s = TestServer::start();
    s.route("/image.html", vec![Reply::ok("image/png", png_bytes())]);
    s.route("/noise.html", vec![Reply::ok("text/html", random_bytes())]);
    s.route("/untyped.html", vec![untyped("<h1>No type</h1>")]);
    s.route("/fine.html", vec![Reply::ok("text/html", "<h1>Fine</h1>")]);
    let b = &s.base;
    s.route(
        "/feed.xml",
        vec![Reply::rss(&format!(
            "<title>P</title>\
             <item><title>Img</title><link>{b}/press/img</link><guid>img</guid></item>"
        ))],
    );
    s.route("/press/img", vec![Reply::ok("image/png", png_bytes())]);
    let env = TestEnv::new();
    std::fs::create_dir(env.path().join("notes")).unwrap();
    std::fs::write(env.path().join("notes/scan.html"), random_bytes()).unwrap();
    std::fs::write(env.path().join("notes/ok.md"), "# Note\n\nIEC.\n").unwrap();
    // `MZ` is how an executable starts, and how this memo does.
    std::fs::write(
        env.path().join("notes/memo.txt"),
        "MZ-2024 memo on licence exceptions\n\nLicense Exception STA applies.\n",
    )
    .unwrap();
    let html = html_feeds(
        b,
        &[
            ("image", "/image.html"),
            ("noise", "/noise.html"),
            ("untyped", "/untyped.html"),
            ("fine", "/fine.html"),
        ],
    );
    env.write_config(&format!(
        "{html}  - id: press
    kind: rss
    url: {b}/feed.xml
    follow_links: true
  - id: notes
    kind: file
    path: notes
"
    ));
    let r = env.run(&["fetch"]);
    r.expect_code(0);
    let out = r.stdout();
    let warned = |feed_item: &str, what: &str| {
        assert!(
            out.lines()
                .any(|l| l.contains(feed_item) && l.contains(what)),
            "no warning `{what}` for {feed_item}:\n{out}"
        );
    };
    warned(
        "image/page",
        "expected HTML, got a PNG image: image/png (8.2 KB)",
    );
    warned("noise/page", "expected HTML, got binary data");
    warned("untyped/page", "expected HTML, got no content type");
    warned("press/img", "expected HTML, got a PNG image");
    warned("notes/scan.html", "expected HTML, got binary data");
    assert!(!out.contains("fine/page:"), "{out}");
    assert!(!out.contains("notes/ok.md:"), "{out}");
    assert!(!out.contains("notes/memo.txt:"), "{out}");
    // Each warning says what was done: stored, and whether a model was built.
    warned(
        "image/page",
        "stored as received, not parsed (no model built)",
    );
    warned(
        "untyped/page",
        "stored as received, and parsed into a model",
    );
    // Stored all the same, as received.
    for (feed, item) in [
        ("image", "page"),
        ("noise", "page"),
        ("untyped", "page"),
        ("fine", "page"),
        ("press", env.stored_key("press", "img--").as_str()),
        ("notes", "scan.html"),
        ("notes", "ok.md"),
        ("notes", "memo.txt"),
    ] {
        assert_eq!(history_len(&env, feed, item), 1, "{feed}/{item}\n{out}");
    }
    let store = Store::open(&env.store()).unwrap();
    let v = &store.history("image", "page").unwrap()[0];
    let kept = v.raw.as_ref().unwrap_or(&v.content);
    assert_eq!(store.read_object(&kept.hash).unwrap(), png_bytes());
    // Warned once, when stored: the file feed re-reads its files, but an
    // unchanged file is not news, and neither is its warning.
    let again = env.run(&["fetch"]);
    again.expect_code(0);
    assert!(!again.stdout().contains('?'), "{}", again.stdout());
}

#[test]
fn truncated_federal_register_full_text_is_a_failed_item_and_retried() {
    let s = TestServer::start();
    fr_routes(&s, &["2024-00001", "2024-00002"]);
    // First run: the full text breaks off mid-document; second run: whole.
    s.route(
        "/full/2024-00001.xml",
        vec![Reply::xml(&GOOD_RULE[..60]), Reply::xml(GOOD_RULE)],
    );
    s.route("/full/2024-00002.xml", vec![Reply::xml(GOOD_RULE)]);
    let env = TestEnv::new();
    env.write_config(&format!("{TEST_HTTP}feeds:\n{}", bis_feed(&s.base)));
    let r = env.run(&["fetch"]);
    r.expect_code(1);
    let out = r.stdout();
    assert!(
        out.lines().any(|l| l.contains("2024-00001")
            && l.contains("malformed XML")
            && l.contains("truncated")),
        "{out}"
    );
    assert_eq!(history_len(&env, "bis", "2024-00001"), 0, "{out}");
    assert_eq!(history_len(&env, "bis", "2024-00002"), 1, "{out}");

    let r = env.run(&["fetch"]);
    r.expect_code(0);
    let store = Store::open(&env.store()).unwrap();
    let h = store.history("bis", "2024-00001").unwrap();
    assert_eq!(h.len(), 1, "{}", r.stdout());
    assert_eq!(h[0].seq, 1);
    assert_eq!(
        store.read_object(&h[0].content.hash).unwrap(),
        GOOD_RULE.as_bytes()
    );
    assert_eq!(history_len(&env, "bis", "2024-00002"), 1);
}

#[test]
fn run_warns_about_a_deeply_nested_page_and_stores_the_other_feed() {
    let s = TestServer::start();
    s.route(
        "/deep.html",
        vec![Reply::ok("text/html", nested_divs(DEEP))],
    );
    s.route("/ok.html", vec![Reply::ok("text/html", "<h1>Notice</h1>")]);
    let b = &s.base;
    let env = TestEnv::new();
    env.write_config(&html_feeds(
        b,
        &[("deep", "/deep.html"), ("ok", "/ok.html")],
    ));
    let r = env.run(&["run"]);
    let err = r.stderr();
    assert!(
        err.lines().any(|l| l.starts_with("warning:")
            && l.contains("deep/page@1")
            && l.contains("nested deeper than 512 levels")),
        "{err}"
    );
    assert_eq!(history_len(&env, "deep", "page"), 1, "{err}");
    assert_eq!(history_len(&env, "ok", "page"), 1, "{err}");
    // The deadlines stage meets the same version; its note names it once.
    assert!(!err.contains("deep/page@1: deep/page@1"), "{err}");
}

#[test]
fn rss_entry_records_have_a_model_so_fetch_prints_no_warning() {
    let s = TestServer::start();
    s.route(
        "/feed.xml",
        vec![Reply::ok(
            "application/rss+xml",
            "<rss version=\"2.0\"><channel><title>P</title>\
             <item><title>IEC extended to Korea</title><link>https://x.gov/iec</link><guid>iec</guid>\
             <description>&lt;p&gt;License Exception IEC now covers South Korea.&lt;/p&gt;</description></item>\
             <item><title>Plain</title><guid>plain</guid><description>Comments due 2024-11-05.</description></item>\
             </channel></rss>",
        )],
    );
    let env = TestEnv::new();
    env.write_config(&format!(
        "{TEST_HTTP}feeds:\n  - id: press\n    kind: rss\n    url: {}/feed.xml\n",
        s.base
    ));
    let r = env.run(&["fetch"]);
    r.expect_code(0);
    let out = r.stdout();
    assert!(!out.contains('?'), "{out}");
    let iec = format!("press/{}@1", env.stored_key("press", "iec--"));
    let show = env.run(&["show", &iec, "--parsed", "--format", "json"]);
    show.expect_code(0);
    let v: serde_json::Value = serde_json::from_str(show.stdout().trim()).unwrap();
    let doc = &v["data"];
    assert_eq!(doc["meta"]["title"], "IEC extended to Korea", "{doc}");
    assert!(doc.to_string().contains("now covers South Korea"), "{doc}");
    assert!(doc.to_string().contains("\"KR\""), "{doc}");
}

/// Pages a byte scan sees as shallow but html5ever nests 2 levels per
/// repeat: `</span>` is ignored above a `<div>`, `<title>` inside `<svg>`
/// holds markup, not raw text, and a table fosters its content out. Each took 10–30 s to parse; now each
/// is refused quickly with the limit it crossed.
#[test]
fn misnested_html_file_is_refused_by_parse_not_parsed_for_minutes() {
    let env = TestEnv::new();
    let pages = [
        ("span.html", "<span><div></span>x".repeat(16_000)),
        (
            "svg.html",
            "<svg><title>".to_string() + &"<div>x".repeat(16_000),
        ),
        // Foster-parented out of a table, each `<div>` inside the last.
        (
            "table.html",
            "<table>".to_string() + &"<div><span>".repeat(16_000),
        ),
    ];
    for (name, page) in pages {
        std::fs::write(env.path().join(name), page).unwrap();
        let r = env.run(&["parse", name]);
        r.expect_code(2);
        let err = r.stderr();
        assert!(
            err.contains(name) && err.contains("nested deeper than 512 levels"),
            "{err}"
        );
    }
}

/// Routes one FR document listed by the search whose document JSON has
/// the given text URL fields (below the server's base).
fn fr_document(s: &TestServer, num: &str, fields: &[(&str, &str)]) {
    let mut doc = serde_json::json!({
        "document_number": num,
        "title": format!("BIS rule {num}"),
        "publication_date": "2024-09-06",
    });
    for (field, path) in fields {
        doc[*field] = serde_json::Value::String(format!("{}{path}", s.base));
    }
    s.route(
        &format!("/api/v1/documents/{num}.json"),
        vec![Reply::json(doc.to_string())],
    );
}

#[test]
fn malformed_fr_full_text_falls_back_to_html_or_raw_text_and_fails_only_without_one() {
    let s = TestServer::start();
    let b = s.base.clone();
    let nums = ["2024-00001", "2024-00002", "2024-00003"];
    let listed: Vec<(&str, &str)> = nums.iter().map(|n| (*n, b.as_str())).collect();
    s.route(
        "/api/v1/documents.json",
        vec![Reply::json(search(&listed, None))],
    );
    let cut = &GOOD_RULE[..60];
    // 1: truncated XML, a good HTML page.
    fr_document(
        &s,
        nums[0],
        &[
            ("full_text_xml_url", "/x/1.xml"),
            ("body_html_url", "/h/1.html"),
        ],
    );
    s.route("/x/1.xml", vec![Reply::xml(cut)]);
    s.route(
        "/h/1.html",
        vec![Reply::ok(
            "text/html",
            "<h1>BIS rule</h1><p>License Exception STA.</p>",
        )],
    );
    // 2: truncated XML, an image for HTML, raw text that starts `MZ`.
    fr_document(
        &s,
        nums[1],
        &[
            ("full_text_xml_url", "/x/2.xml"),
            ("body_html_url", "/h/2.html"),
            ("raw_text_url", "/t/2.txt"),
        ],
    );
    s.route("/x/2.xml", vec![Reply::xml(cut)]);
    s.route("/h/2.html", vec![Reply::ok("image/png", png_bytes())]);
    s.route(
        "/t/2.txt",
        vec![Reply::ok(
            "text/plain",
            "MZ-2024 memo\n\nLicense Exception STA.\n",
        )],
    );
    // 3: truncated XML and no raw text (404): no usable full text.
    fr_document(
        &s,
        nums[2],
        &[
            ("full_text_xml_url", "/x/3.xml"),
            ("raw_text_url", "/t/3.txt"),
        ],
    );
    s.route("/x/3.xml", vec![Reply::xml(cut)]);
    s.route("/t/3.txt", vec![Reply::status(404)]);
    let env = TestEnv::new();
    env.write_config(&format!("{TEST_HTTP}feeds:\n{}", bis_feed(&b)));
    let r = env.run(&["fetch"]);
    r.expect_code(1);
    let out = r.stdout();
    let line = |key: &str| {
        out.lines()
            .find(|l| l.contains(key) && (l.contains("? ") || l.contains("! ")))
            .unwrap_or_else(|| panic!("no warning or error for {key}:\n{out}"))
            .to_string()
    };
    let store = Store::open(&env.store()).unwrap();
    let stored = |num: &str| {
        let h = store.history("bis", num).unwrap();
        assert_eq!(h.len(), 1, "{num}:\n{out}");
        String::from_utf8(store.read_object(&h[0].content.hash).unwrap()).unwrap()
    };
    assert!(stored(nums[0]).contains("<h1>BIS rule</h1>"), "{out}");
    let w = line(nums[0]);
    assert!(
        w.contains("malformed XML") && w.contains("stored the HTML text instead"),
        "{w}"
    );
    assert!(stored(nums[1]).starts_with("MZ-2024 memo"), "{out}");
    let w = line(nums[1]);
    assert!(
        w.contains("malformed XML")
            && w.contains("got image/png")
            && w.contains("stored the raw text instead"),
        "{w}"
    );
    assert_eq!(history_len(&env, "bis", nums[2]), 0, "{out}");
    let e = line(nums[2]);
    assert!(
        e.contains('!')
            && e.contains("no usable full text (2 text URLs tried)")
            && e.contains("malformed XML")
            && e.contains("404"),
        "{e}"
    );
}
