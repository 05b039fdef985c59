//! Real Federal Register and eCFR data from ../shared/corpus, served from a
//! loopback server: the fetchers must build a correct version history from
//! it. Skips (with a message) when the corpus is absent.

use regwatch::pipeline::FeedStatus;
use regwatch::store::Store;
use serde_json::Value;

use crate::common::{Reply, TEST_HTTP, TestEnv, TestServer, corpus, fetch_on, store_bytes};

fn run(env: &TestEnv, yaml: &str, day: u32) -> Vec<regwatch::pipeline::FeedOutcome> {
    fetch_on(env, &env.config(yaml), day)
}

#[test]
fn real_bis_search_results_become_115_documents() {
    let Some(corpus) = corpus() else { return };
    let records: Vec<Value> = serde_json::from_slice(
        &std::fs::read(corpus.join("fr_api_json/bis_rules_2022-10_to_2026-07.fr-api-subset.json"))
            .unwrap(),
    )
    .unwrap();
    assert_eq!(records.len(), 115);
    let s = TestServer::start();
    let b = s.base.clone();
    // Serve the real records as a newest-first search, 50 per page, each
    // with a json_url on loopback whose document JSON is the record itself.
    let mut newest: Vec<Value> = records.clone();
    newest.reverse();
    let pages: Vec<&[Value]> = newest.chunks(50).collect();
    for (i, page) in pages.iter().enumerate() {
        let results: Vec<Value> = page
            .iter()
            .map(|r| {
                let mut r = r.clone();
                let num = r["document_number"].as_str().unwrap().to_string();
                r["json_url"] = Value::String(format!("{b}/api/v1/documents/{num}.json"));
                s.route(
                    &format!("/api/v1/documents/{num}.json"),
                    vec![Reply::json(r.to_string())],
                );
                r
            })
            .collect();
        let next =
            (i + 1 < pages.len()).then(|| format!("{b}/api/v1/documents.json?page={}", i + 2));
        let body = serde_json::json!({"count": 115, "total_pages": pages.len(), "next_page_url": next, "results": results});
        let path = if i == 0 {
            "/api/v1/documents.json".to_string()
        } else {
            format!("/api/v1/documents.json?page={}", i + 1)
        };
        s.route(&path, vec![Reply::json(body.to_string())]);
    }
    let env = TestEnv::new();
    let yaml = format!(
        "{TEST_HTTP}feeds:\n  - id: bis\n    kind: federal_register\n    base_url: {b}\n    agencies: [industry-and-security-bureau]\n    types: [RULE]\n    since: 2022-10-01\n    per_page: 50\n"
    );
    let o = run(&env, &yaml, 1);
    assert!(o[0].errors.is_empty(), "{:?}", o[0].errors);
    assert_eq!(o[0].items.len(), 115);
    let store = Store::open(&env.store()).unwrap();
    assert_eq!(store.item_keys("bis").unwrap().len(), 115);
    let ifr = &store.history("bis", "2024-19633").unwrap()[0];
    assert_eq!(ifr.published.unwrap().to_string(), "2024-09-06");
    let meta: Value = serde_json::from_slice(
        &store
            .read_object(&ifr.metadata.as_ref().unwrap().hash)
            .unwrap(),
    )
    .unwrap();
    assert_eq!(meta["effective_on"], "2024-09-06");
    // Records with a null effective date are kept like any other.
    let nulls = records
        .iter()
        .filter(|r| r["effective_on"].is_null())
        .count();
    assert_eq!(nulls, 5);
    for r in records.iter().filter(|r| r["effective_on"].is_null()) {
        let key = r["document_number"].as_str().unwrap();
        assert_eq!(store.history("bis", key).unwrap().len(), 1, "{key}");
    }
    // A second run costs one 304 and adds nothing.
    let before = store_bytes(&env.store());
    let hits = s.total_hits();
    let o = run(&env, &yaml, 2);
    assert_eq!(o[0].status, FeedStatus::Unchanged);
    assert_eq!(s.total_hits() - hits, 1);
    assert_eq!(store_bytes(&env.store()), before);
    assert!(store.verify().unwrap().is_ok());
}

#[test]
fn real_ecfr_editions_become_dated_versions_kept_byte_for_byte() {
    let Some(corpus) = corpus() else { return };
    let endash = std::fs::read(corpus.join("cfr_xml/ECFR-title1.current-endash.xml")).unwrap();
    let hyphen = std::fs::read(corpus.join("cfr_xml/ECFR-title1.updated-hyphen.xml")).unwrap();
    let s = TestServer::start();
    let versions = |dates: &[&str]| {
        let v: Vec<Value> = dates
            .iter()
            .map(|d| serde_json::json!({"date": d, "amendment_date": d}))
            .collect();
        serde_json::json!({"content_versions": v}).to_string()
    };
    s.route(
        "/api/versioner/v1/versions/title-1.json?part=1",
        vec![
            Reply::json(versions(&["2022-12-29"])),
            Reply::json(versions(&["2022-12-29", "2024-03-01"])),
        ],
    );
    s.route(
        "/api/versioner/v1/full/2022-12-29/title-1.xml?part=1",
        vec![Reply::xml(endash.clone())],
    );
    s.route(
        "/api/versioner/v1/full/2024-03-01/title-1.xml?part=1",
        vec![Reply::xml(hyphen.clone())],
    );
    let env = TestEnv::new();
    let yaml = format!(
        "{TEST_HTTP}feeds:\n  - id: cfr1\n    kind: ecfr\n    base_url: {}\n    title: 1\n    part: 1\n",
        s.base
    );
    run(&env, &yaml, 1);
    run(&env, &yaml, 2);
    let store = Store::open(&env.store()).unwrap();
    let h = store.history("cfr1", "part-1").unwrap();
    assert_eq!(h.len(), 2);
    assert_eq!(h[0].as_of.unwrap().to_string(), "2022-12-29");
    assert_eq!(h[1].as_of.unwrap().to_string(), "2024-03-01");
    assert_eq!(store.read_object(&h[0].content.hash).unwrap(), endash);
    assert_eq!(store.read_object(&h[1].content.hash).unwrap(), hyphen);
    assert!(store.verify().unwrap().is_ok());
}

#[test]
fn real_fr_full_text_xml_is_kept_as_received() {
    let Some(corpus) = corpus() else { return };
    let xml = std::fs::read(corpus.join("fr_xml/FR-2014-06778_ATF_27CFR447_IFR.xml")).unwrap();
    let doc = std::fs::read(corpus.join("fr_api_json/fr-api_document_2024-31396.json")).unwrap();
    let s = TestServer::start();
    let b = s.base.clone();
    let mut rec: Value = serde_json::from_slice(&doc).unwrap();
    rec["json_url"] = Value::String(format!("{b}/doc.json"));
    rec["full_text_xml_url"] = Value::String(format!("{b}/full.xml"));
    s.route(
        "/api/v1/documents.json",
        vec![Reply::json(
            serde_json::json!({"results": [rec.clone()]}).to_string(),
        )],
    );
    s.route("/doc.json", vec![Reply::json(rec.to_string())]);
    s.route("/full.xml", vec![Reply::xml(xml.clone())]);
    let env = TestEnv::new();
    run(
        &env,
        &format!("{TEST_HTTP}feeds:\n  - id: epa\n    kind: federal_register\n    base_url: {b}\n"),
        1,
    );
    let store = Store::open(&env.store()).unwrap();
    let v = &store.history("epa", "2024-31396").unwrap()[0];
    assert_eq!(store.read_object(&v.content.hash).unwrap(), xml);
    assert_eq!(v.published.unwrap().to_string(), "2024-12-31");
}
