//! The parser on real data (../shared/corpus, skipped when absent), on our
//! own fixtures, on bad input, and through the CLI.

use std::path::{Path, PathBuf};

use regwatch::model::{
    DateKind, DateSource, DocKind, Document, EntityKind, ListKind, SourceFormat,
};
use regwatch::parse::{Input, ParseError, parse, parse_as};

use crate::common::{Reply, TEST_HTTP, TestEnv, TestServer, corpus, fetch_on};

fn parse_file(path: &Path) -> Document {
    let bytes = std::fs::read(path).unwrap();
    let name = path.to_string_lossy().into_owned();
    parse(&Input {
        name: Some(&name),
        ..Input::new(&bytes)
    })
    .unwrap()
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/parse")
        .join(name)
}

fn demo_fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("src/demo/fixtures")
        .join(rel)
}

fn date(doc: &Document, kind: DateKind) -> Option<String> {
    doc.date(kind).map(|f| f.date.to_string())
}

fn ids(doc: &Document, kind: EntityKind) -> Vec<String> {
    doc.entities_of(kind).map(|e| e.id.clone()).collect()
}

fn count(doc: &Document, kind: regwatch::model::ProvisionKind) -> usize {
    let mut n = 0;
    doc.walk_provisions(&mut |p| n += usize::from(p.kind == kind));
    n
}

fn list<'a>(doc: &'a Document, name_part: &str) -> Vec<&'a str> {
    let l = doc
        .lists
        .iter()
        .find(|l| l.name.contains(name_part))
        .unwrap_or_else(|| {
            panic!(
                "no list named like {name_part:?}: {:?}",
                doc.lists.iter().map(|l| &l.name).collect::<Vec<_>>()
            )
        });
    l.members.iter().map(|m| m.id.as_str()).collect()
}

// ---- real data ----------------------------------------------------------

#[test]
fn atf_interim_final_rule_dates_with_evidence() {
    let Some(c) = corpus() else { return };
    let d = parse_file(&c.join("fr_xml/FR-2014-06778_ATF_27CFR447_IFR.xml"));
    assert_eq!(d.format, SourceFormat::FrXml);
    assert_eq!(d.meta.kind, DocKind::Rule);
    assert_eq!(d.meta.rins, ["1140-AA45"]);
    assert_eq!(d.meta.document_number.as_deref(), Some("2014-06778"));
    assert_eq!(
        d.meta.action.as_deref(),
        Some("Interim final rule with request for comments.")
    );
    let eff = d.date(DateKind::Effective).unwrap();
    assert_eq!(eff.date.to_string(), "2014-04-28");
    assert!(
        eff.evidence
            .contains("This interim final rule is effective April 28, 2014"),
        "{}",
        eff.evidence
    );
    assert_eq!(eff.found_in.as_deref(), Some("DATES"));
    let com = d.date(DateKind::CommentsClose).unwrap();
    assert_eq!(com.date.to_string(), "2014-06-25");
    assert!(
        com.evidence.contains("on or before June 25, 2014"),
        "{}",
        com.evidence
    );
    // The U.S. Munitions Import List restarts its lettering per category.
    assert!(d.provision("§ 447.21 Category VII(h)(1)").is_some());
    assert_eq!(d.meta.start_page, Some(17024));
}

#[test]
fn uspto_rule_is_effective_on_publication_and_amends_two_sections() {
    let Some(c) = corpus() else { return };
    let d = parse_file(&c.join("fr_xml/FR-2011-29462_USPTO_37CFR1.xml"));
    assert_eq!(date(&d, DateKind::Effective).as_deref(), Some("2011-11-15"));
    let amended: Vec<&str> = d
        .amendments
        .iter()
        .flat_map(|a| a.sections.iter().map(String::as_str))
        .collect();
    assert!(
        amended.contains(&"§ 1.16") && amended.contains(&"§ 1.445"),
        "{amended:?}"
    );
    assert!(d.provision("§ 1.16(t)").is_some());
    assert!(d.provision("§ 1.445(a)(1)").is_some());
    assert_eq!(d.meta.cfr_parts, ["37 CFR 1"]);
}

#[test]
fn daily_issue_splits_into_its_documents_and_dash_variants_agree() {
    let Some(c) = corpus() else { return };
    let a = parse_file(&c.join("fr_xml/FR-2024-02-12.full-issue.current-endash.xml"));
    let b = parse_file(&c.join("fr_xml/FR-2024-02-12.full-issue.updated-hyphen.xml"));
    assert_eq!(a.format, SourceFormat::FrIssueXml);
    let kinds = |k: DocKind| a.documents.iter().filter(|d| d.meta.kind == k).count();
    assert_eq!(kinds(DocKind::Rule), 13);
    assert_eq!(kinds(DocKind::ProposedRule), 7);
    assert_eq!(kinds(DocKind::Notice), 75);
    // The issue also carries one proclamation; it is a document too.
    assert_eq!(kinds(DocKind::PresidentialDocument), 1);
    assert_eq!(a.documents.len(), 96);
    for d in &a.documents {
        let n = d
            .meta
            .document_number
            .as_deref()
            .unwrap_or_else(|| panic!("no number: {:?}", d.meta.title));
        assert!(!n.contains('\u{2013}'), "{n}");
        assert_eq!(
            date(d, DateKind::Published).as_deref(),
            Some("2024-02-12"),
            "{n}"
        );
        assert!(
            d.meta
                .fr_citation
                .as_deref()
                .is_some_and(|c| c.starts_with("89 FR ")),
            "{n}"
        );
    }
    let with = |n: &str| {
        a.documents
            .iter()
            .find(|d| d.meta.document_number.as_deref() == Some(n))
            .unwrap()
    };
    assert_eq!(
        with("2024-02801").meta.fr_citation.as_deref(),
        Some("89 FR 9834")
    );
    let rules_with_effective = a
        .documents
        .iter()
        .filter(|d| d.meta.kind == DocKind::Rule && d.date(DateKind::Effective).is_some())
        .count();
    assert!(
        rules_with_effective >= 11,
        "{rules_with_effective} of 13 rules have an effective date"
    );
    assert_eq!(
        serde_json::to_string(&a).unwrap(),
        serde_json::to_string(&b).unwrap(),
        "dash variants must give identical models"
    );
}

#[test]
fn bis_api_subset_dates_null_and_retroactive() {
    let Some(c) = corpus() else { return };
    let d = parse_file(&c.join("fr_api_json/bis_rules_2022-10_to_2026-07.fr-api-subset.json"));
    assert_eq!(d.format, SourceFormat::FrApiSearch);
    assert_eq!(d.documents.len(), 115);
    let ifr = d
        .documents
        .iter()
        .find(|x| x.meta.document_number.as_deref() == Some("2024-19633"))
        .unwrap();
    assert_eq!(
        date(ifr, DateKind::Published).as_deref(),
        Some("2024-09-06")
    );
    assert_eq!(
        date(ifr, DateKind::Effective).as_deref(),
        Some("2024-09-06")
    );
    assert_eq!(
        ifr.date(DateKind::Effective).unwrap().source,
        DateSource::Api
    );
    let null_effective = d
        .documents
        .iter()
        .filter(|x| x.date(DateKind::Effective).is_none())
        .count();
    assert_eq!(null_effective, 5);
    let retro = d
        .documents
        .iter()
        .filter(|x| x.warnings.iter().any(|w| w.contains("retroactive")))
        .count();
    assert_eq!(retro, 51);
    assert!(
        d.documents
            .iter()
            .all(|x| x.meta.publication_date.is_some())
    );
}

#[test]
fn fr_api_documents_agree_with_their_dates_text() {
    let Some(c) = corpus() else { return };
    let d = parse_file(&c.join("fr_api_json/fr-api_document_2024-31396.json"));
    assert_eq!(date(&d, DateKind::Effective).as_deref(), Some("2025-01-30"));
    assert!(d.date_conflicts.is_empty());
    assert!(
        d.dates
            .iter()
            .any(|f| f.source == DateSource::Text && f.kind == DateKind::Effective)
    );
    let rin = parse_file(&c.join("fr_api_json/fr-api_document_2024-29463.json"));
    assert_eq!(rin.meta.rins, ["2060-AS35"]);
    let p = parse_file(&c.join("fr_api_json/fr-api_document_2026-19417_presidential.json"));
    assert_eq!(p.meta.kind, DocKind::PresidentialDocument);
    assert!(p.date(DateKind::Effective).is_none() && p.date(DateKind::CommentsClose).is_none());
    let s = parse_file(&c.join("fr_api_json/fr-api_search_epa-rules-2024_all-fields_page1.json"));
    assert_eq!(s.documents.len(), 2);
    assert!(
        s.documents
            .iter()
            .all(|x| x.date(DateKind::Effective).is_some())
    );
}

#[test]
fn annual_cfr_editions_have_326_nested_sections() {
    let Some(c) = corpus() else { return };
    for (file, as_of) in [
        ("CFR-2011-title37-vol1-part1.xml", "2011-07-01"),
        ("CFR-2012-title37-vol1-part1.xml", "2012-07-01"),
    ] {
        let d = parse_file(&c.join("cfr_xml").join(file));
        assert_eq!(d.format, SourceFormat::CfrXml);
        assert_eq!(
            count(&d, regwatch::model::ProvisionKind::Section),
            326,
            "{file}"
        );
        assert_eq!(date(&d, DateKind::AsOf).as_deref(), Some(as_of));
        assert!(
            d.provision("§ 1.17(a)(1)").is_some(),
            "{file}: paragraphs nest"
        );
        let mut deepest = 0;
        d.walk_provisions(&mut |p| deepest = deepest.max(p.id.matches('(').count()));
        assert!(
            deepest >= 3,
            "{file}: deepest paragraph has {deepest} markers"
        );
    }
    let y2012 = parse_file(&c.join("cfr_xml/CFR-2012-title37-vol1-part1.xml"));
    assert!(y2012.provision("§ 1.16(t)").is_some());
    let y2011 = parse_file(&c.join("cfr_xml/CFR-2011-title37-vol1-part1.xml"));
    assert!(y2011.provision("§ 1.16(t)").is_none());
}

#[test]
fn ecfr_title_1_has_36_parts_and_288_sections() {
    let Some(c) = corpus() else { return };
    let a = parse_file(&c.join("cfr_xml/ECFR-title1.current-endash.xml"));
    let b = parse_file(&c.join("cfr_xml/ECFR-title1.updated-hyphen.xml"));
    assert_eq!(a.format, SourceFormat::EcfrXml);
    assert_eq!(count(&a, regwatch::model::ProvisionKind::Part), 36);
    assert_eq!(count(&a, regwatch::model::ProvisionKind::Section), 288);
    assert_eq!(date(&a, DateKind::AsOf).as_deref(), Some("2022-12-29"));
    assert_eq!(
        serde_json::to_value(&a).unwrap(),
        serde_json::to_value(&b).unwrap()
    );
}

#[test]
fn part_447_country_list_is_a_named_list() {
    let Some(c) = corpus() else { return };
    let d = parse_file(&c.join("cfr_xml/CFR-2003-title27-vol2-part447.xml"));
    let lists: Vec<_> = d
        .lists
        .iter()
        .filter(|l| l.provision.starts_with("§ 447.52"))
        .collect();
    let members: Vec<&str> = lists
        .iter()
        .flat_map(|l| l.members.iter().map(|m| m.id.as_str()))
        .collect();
    let b1 = list(&d, "(§ 447.52(b)(1))");
    assert_eq!(
        b1,
        ["GE", "KZ", "KG", "MD", "RU", "TM", "UA", "UZ"],
        "old spellings (Kazakstan) included"
    );
    for code in ["CU", "IR", "KP", "SY", "BY", "MM", "CN", "CD"] {
        assert!(
            members.contains(&code),
            "{code} missing from § 447.52 lists: {members:?}"
        );
    }
}

#[test]
fn seed_report_card_facts() {
    let seed = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/seeds/bis-quantum-semiconductor-controls-2024.md");
    if !crate::common::require("../shared/seeds", seed.exists()) {
        return;
    }
    let d = parse_file(&seed);
    assert_eq!(d.format, SourceFormat::Markdown);
    assert!(d.meta.title.as_deref().unwrap().starts_with("美国对量子"));
    assert!(
        d.meta
            .agencies
            .iter()
            .any(|a| a == "Bureau of Industry and Security"),
        "{:?}",
        d.meta.agencies
    );
    assert_eq!(date(&d, DateKind::Effective).as_deref(), Some("2024-09-06"));
    assert_eq!(
        date(&d, DateKind::CommentsClose).as_deref(),
        Some("2024-11-05")
    );
    assert_eq!(date(&d, DateKind::Published).as_deref(), Some("2024-09-18"));
    let mut partners = list(&d, "Partner Countries");
    partners.sort_unstable();
    assert_eq!(partners, ["AU", "CA", "EU", "GB", "JP", "KR", "NL", "TW"]);
    assert_eq!(list(&d, "Restricted Destinations"), ["CN", "RU"]);
    let tech = ids(&d, EntityKind::Technology);
    assert!(
        tech.contains(&"quantum computing".to_string())
            && tech.contains(&"semiconductor manufacturing equipment".to_string()),
        "{tech:?}"
    );
    assert!(
        d.provision("Key Provisions ¶3")
            .is_some_and(|p| p.heading.as_deref() == Some("License Exceptions for Partners"))
    );
}

// ---- our fixtures -------------------------------------------------------

#[test]
fn ecfr_part_740_country_groups_and_iec_list_per_day() {
    let day1 = parse_file(&demo_fixture(
        "day1/api/versioner/v1/full/2024-09-06/title-15.part-740.xml",
    ));
    let day2 = parse_file(&demo_fixture(
        "day2/api/versioner/v1/full/2024-10-15/title-15.part-740.xml",
    ));
    assert!(!list(&day1, "Eligible destinations").contains(&"KR"));
    assert!(list(&day2, "Eligible destinations").contains(&"KR"));
    assert_eq!(list(&day2, "Country Group D:1"), ["CN", "KP", "MO", "RU"]);
    assert_eq!(
        day2.meta.cfr_parts,
        ["15 CFR 740"],
        "title taken from the versioner URL"
    );
    let bytes = std::fs::read(demo_fixture(
        "day2/api/versioner/v1/full/2024-10-15/title-15.part-740.xml",
    ))
    .unwrap();
    assert!(parse_as(SourceFormat::EcfrXml, &Input::new(&bytes)).is_ok());
    let e = parse_as(SourceFormat::CfrXml, &Input::new(&bytes)).unwrap_err();
    assert_eq!(e.to_string(), "not cfr_xml: the input is ecfr_xml");
    assert!(list(&day2, "Country Group A:1").contains(&"GB"));
    assert!(ids(&day2, EntityKind::LicenseException).contains(&"IEC".to_string()));
    // "(c) Restrictions. (1) … China and Russia are therefore not IEC eligible" is named for (c).
    assert!(day2.lists.iter().any(|l| l.name
        == "License Exception Implemented Export Controls (IEC) — Restrictions (§ 740.24(c)(1))"));
    for e in &day2.entities {
        let mut p = e.provisions.clone();
        p.sort();
        p.dedup();
        assert_eq!(
            p.len(),
            e.provisions.len(),
            "{} lists a provision twice",
            e.id
        );
    }
    assert_eq!(
        day2.lists
            .iter()
            .find(|l| l.name.contains("Eligible destinations"))
            .unwrap()
            .kind,
        ListKind::Countries
    );
}

#[test]
fn ccl_entries_from_ecfr_part_774() {
    let d = parse_file(&demo_fixture(
        "day2/api/versioner/v1/full/2024-10-15/title-15.part-774.xml",
    ));
    let e = d.eccn_entries.iter().find(|e| e.eccn == "3B001").unwrap();
    assert_eq!(e.reasons_for_control, ["NS", "RS", "AT"]);
    assert!(
        e.heading
            .starts_with("Equipment for manufacturing semiconductor devices")
    );
    assert!(d.provision("ECCN 3B001").is_some());
    let items = d.provision("ECCN 3A001.a.1").map(|p| p.children.len());
    assert_eq!(items, Some(3), "a.1.a–a.1.c nest under a.1");
    assert!(
        d.eccn_entries
            .iter()
            .any(|e| e.license_exceptions.iter().any(|l| l.symbol == "IEC"))
    );
}

#[test]
fn federal_register_xml_with_api_metadata_merges_and_keeps_unknown_elements() {
    let xml = std::fs::read(fixture("unknown-elements.xml")).unwrap();
    let d = parse(&Input::new(&xml)).unwrap();
    assert_eq!(d.meta.document_number.as_deref(), Some("2024-21409"));
    assert_eq!(d.meta.rins, ["0694-AJ71"]);
    // Unknown elements keep their text.
    let mut all = String::new();
    d.walk_provisions(&mut |p| all.push_str(&p.text));
    assert!(
        all.contains("equivalent controls") && all.contains("Text GPO added"),
        "{all}"
    );
    // "except § 740.24(c), which is effective January 2, 2025"
    let scoped = d.dates.iter().find(|f| f.provision.is_some()).unwrap();
    assert_eq!(
        (
            scoped.provision.as_deref(),
            scoped.date.to_string().as_str()
        ),
        (Some("§ 740.24(c)"), "2025-01-02")
    );
    assert_eq!(date(&d, DateKind::Effective).as_deref(), Some("2024-10-15"));
    assert!(list(&d, "Eligible destinations").contains(&"KR"));

    // With the API record beside it: structured dates win, the conflict is reported.
    let meta = std::fs::read(fixture("api-conflict.json")).unwrap();
    let merged = parse(&Input {
        metadata: Some(&meta),
        ..Input::new(&xml)
    })
    .unwrap();
    assert_eq!(
        date(&merged, DateKind::Effective).as_deref(),
        Some("2024-09-30")
    );
    assert_eq!(merged.meta.fr_citation.as_deref(), Some("89 FR 79841"));
    assert_eq!(merged.date_conflicts.len(), 1);
    assert_eq!(merged.date_conflicts[0].text[0].to_string(), "2024-10-15");
    assert_eq!(merged.meta.dockets, ["240920-0245"]);
    let api_only = parse_file(&fixture("api-conflict.json"));
    assert_eq!(
        api_only.date_conflicts.len(),
        1,
        "the API's own dates text disagrees too"
    );
}

#[test]
fn markdown_relative_and_chinese_dates() {
    let d = parse_file(&fixture("relative-dates.md"));
    assert_eq!(date(&d, DateKind::Published).as_deref(), Some("2024-07-01"));
    let c = d.date(DateKind::CommentsClose).unwrap();
    assert_eq!(
        (c.date.to_string().as_str(), c.derived),
        ("2024-08-30", true)
    );
    assert_eq!(date(&d, DateKind::Effective).as_deref(), Some("2024-09-30"));
    assert_eq!(list(&d, "Scope"), ["JP", "DE", "SG"]);
    assert_eq!(list(&d, "ECCNs"), ["5A002", "5D002", "5E002"]);
    assert!(ids(&d, EntityKind::LicenseException).contains(&"ENC".to_string()));
}

#[test]
fn gbk_html_page_is_decoded_and_read() {
    let bytes = std::fs::read(demo_fixture(
        "day1/mofcom/article/gjdt/202409/1035.gbk.html",
    ))
    .unwrap();
    assert!(std::str::from_utf8(&bytes).is_err(), "fixture is GBK");
    let d = parse(&Input {
        selector: Some("div.art-con"),
        ..Input::new(&bytes)
    })
    .unwrap();
    assert_eq!(d.format, SourceFormat::Html);
    assert_eq!(d.meta.language.as_deref(), Some("zh"));
    assert!(d.meta.title.as_deref().unwrap().contains("量子"));
    let countries = ids(&d, EntityKind::Country);
    assert!(countries.contains(&"US".to_string()), "{countries:?}");
    assert!(!d.provisions.is_empty());
    let err = parse(&Input {
        selector: Some("div.nothing-here"),
        ..Input::new(&bytes)
    })
    .unwrap_err();
    assert!(err.to_string().contains("matches nothing"), "{err}");
}

// ---- bad input ----------------------------------------------------------

#[test]
fn malformed_input_is_an_error_with_a_location_never_a_panic() {
    let xml = std::fs::read_to_string(fixture("unknown-elements.xml")).unwrap();
    let truncated = &xml[..xml.len() / 2];
    match parse(&Input::new(truncated.as_bytes())) {
        Err(ParseError::Xml { line, message, .. }) => assert!(
            line > 1 && message.contains("truncated"),
            "{line} {message}"
        ),
        other => panic!("{other:?}"),
    }
    match parse(&Input::new(b"<RULE><PREAMB></RULE>")) {
        Err(ParseError::Xml { line: 1, .. }) => {}
        other => panic!("{other:?}"),
    }
    match parse(&Input::new(
        b"{\"document_number\": \"2024-1\",\n  \"title\": }",
    )) {
        Err(ParseError::Json { line: 2, .. }) => {}
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        parse(&Input::new(b"  \n")),
        Err(ParseError::Empty)
    ));
    let e = parse(&Input::new(b"{\"hello\": 1}")).unwrap_err();
    assert!(
        e.to_string()
            .contains("neither a Federal Register API document"),
        "{e}"
    );
    let e = parse(&Input::new(b"<?xml version=\"1.0\"?><INVOICE/>")).unwrap_err();
    assert!(e.to_string().contains("XML root <INVOICE>"), "{e}");
    let e = parse_as(SourceFormat::CfrXml, &Input::new(b"# A heading")).unwrap_err();
    assert!(matches!(e, ParseError::WrongFormat { .. }), "{e}");
    // Deep nesting is refused, not recursed into.
    let deep = format!("<RULE>{}{}</RULE>", "<P>".repeat(5000), "</P>".repeat(5000));
    assert!(parse(&Input::new(deep.as_bytes())).is_err());
    // So is deeply nested HTML: read, not recursed into.
    let html = format!(
        "<html><body>{}deep text{}</body></html>",
        "<div>".repeat(500),
        "</div>".repeat(500)
    );
    let d = parse(&Input::new(html.as_bytes())).unwrap();
    assert!(d.provisions.iter().any(|p| p.text.contains("deep text")));
    // Past the documented limit it is refused before html5ever sees it.
    let html = format!("<html><body>{}deep text", "<div>".repeat(1_000));
    match parse(&Input::new(html.as_bytes())) {
        Err(ParseError::TooComplex { line: 1, .. }) => {}
        other => panic!("{other:?}"),
    }
    // Binary files are refused, not printed.
    let e = parse(&Input::new(
        b"\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x03\x00>\x00",
    ))
    .unwrap_err();
    assert!(e.to_string().contains("binary input"), "{e}");
    // Legacy bytes parse with a warning.
    let d = parse(&Input::new(b"# Caf\xe9 rule\n\nEffective Date: 2024-09-06")).unwrap();
    assert!(
        d.warnings.iter().any(|w| w.contains("Windows-1252")),
        "{:?}",
        d.warnings
    );
}

// ---- CLI ----------------------------------------------------------------

#[test]
fn cli_parse_file_url_and_stored_version() {
    let env = TestEnv::new();
    let f = fixture("unknown-elements.xml");
    let r = env.run(&["parse", f.to_str().unwrap()]);
    r.expect_code(0);
    let out = r.stdout();
    assert!(
        out.contains("License Exception IEC: Addition of Korea, South"),
        "{out}"
    );
    assert!(out.contains("Effective       2024-10-15"), "{out}");
    assert!(out.contains("RIN 0694-AJ71"), "{out}");
    let r = env.run(&["parse", f.to_str().unwrap(), "--format", "markdown"]);
    r.expect_code(0);
    assert!(
        r.stdout().starts_with("# License Exception IEC"),
        "{}",
        r.stdout()
    );
    let r = env.run(&["parse", f.to_str().unwrap(), "--format", "json"]);
    r.expect_code(0);
    let v: serde_json::Value = serde_json::from_str(r.stdout().trim()).unwrap();
    assert_eq!(v["type"], "document");
    assert_eq!(v["data"]["meta"]["document_number"], "2024-21409");

    let bad = env.path().join("broken.xml");
    std::fs::write(&bad, "<RULE><P>unclosed").unwrap();
    let r = env.run(&["parse", bad.to_str().unwrap()]);
    r.expect_code(2);
    assert!(
        r.stderr().contains("broken.xml") && r.stderr().contains("line 1"),
        "{}",
        r.stderr()
    );
    env.run(&["parse", "no/such/file.xml"]).expect_code(2);

    // A URL, fetched over loopback.
    let s = TestServer::start();
    s.route(
        "/notice.md",
        vec![Reply::ok(
            "text/markdown",
            "# Notice\n\n**Effective Date:** 2024-09-06\n",
        )],
    );
    let r = env.run(&[
        "parse",
        &format!("{}/notice.md", s.base),
        "--format",
        "json",
    ]);
    r.expect_code(0);
    let v: serde_json::Value = serde_json::from_str(r.stdout().trim()).unwrap();
    assert_eq!(v["data"]["dates"][0]["date"], "2024-09-06");

    // A stored version: fetched, parsed once into the cache, shown parsed.
    s.route(
        "/rule.xml",
        vec![Reply::xml(std::fs::read_to_string(&f).unwrap())],
    );
    let config = env.config(&format!(
        "{TEST_HTTP}feeds:\n  - id: rule\n    kind: file\n    path: {}\n",
        f.display()
    ));
    let _ = s;
    let outcomes = fetch_on(&env, &config, 1);
    assert!(
        outcomes.iter().all(|o| o.parse_problems.is_empty()),
        "{outcomes:?}"
    );
    let cached = walk_count(&env.store().join("derived"));
    assert_eq!(cached, 1, "one model cached beside the new version");
    let r = env.run(&["show", "rule@latest", "--parsed"]);
    r.expect_code(0);
    assert!(
        r.stdout().contains("Eligible destinations"),
        "{}",
        r.stdout()
    );
    let r = env.run(&["parse", "rule@1", "--format", "json"]);
    r.expect_code(0);
    assert!(r.stdout().contains("\"document_number\":\"2024-21409\""));
    env.run(&["verify"]).expect_code(0);
}

fn walk_count(dir: &Path) -> usize {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    entries
        .flatten()
        .map(|e| {
            if e.path().is_dir() {
                walk_count(&e.path())
            } else {
                1
            }
        })
        .sum()
}

// ---- the documented JSON contract ---------------------------------------

/// A small checker for the subset of JSON Schema docs/model.schema.json
/// uses: `$ref`, `type`, `properties`, `required`, `additionalProperties:
/// false`, `items`, `enum`, `pattern` (dates only), `minItems`.
fn check(
    schema: &serde_json::Value,
    root: &serde_json::Value,
    v: &serde_json::Value,
    path: &str,
    errors: &mut Vec<String>,
) {
    use serde_json::Value;
    if let Some(r) = schema.get("$ref").and_then(Value::as_str) {
        let target = if r == "#" {
            root
        } else {
            &root["$defs"][r.trim_start_matches("#/$defs/")]
        };
        return check(target, root, v, path, errors);
    }
    if let Some(values) = schema.get("enum").and_then(Value::as_array)
        && !values.contains(v)
    {
        errors.push(format!("{path}: {v} not in enum"));
    }
    let ty = schema.get("type");
    let type_ok = |t: &str| match t {
        "object" => v.is_object(),
        "array" => v.is_array(),
        "string" => v.is_string(),
        "integer" => v.is_u64() || v.is_i64(),
        "number" => v.is_number(),
        "boolean" => v.is_boolean(),
        "null" => v.is_null(),
        _ => true,
    };
    match ty {
        Some(Value::String(t)) if !type_ok(t) => errors.push(format!("{path}: not {t}")),
        Some(Value::Array(ts)) if !ts.iter().filter_map(Value::as_str).any(type_ok) => {
            errors.push(format!("{path}: wrong type"))
        }
        _ => {}
    }
    if let Some(obj) = v.as_object() {
        let props = schema.get("properties").and_then(Value::as_object);
        for req in schema
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            if let Some(k) = req.as_str()
                && !obj.contains_key(k)
            {
                errors.push(format!("{path}: missing required {k}"));
            }
        }
        for (k, val) in obj {
            match props.and_then(|p| p.get(k)) {
                Some(s) => check(s, root, val, &format!("{path}.{k}"), errors),
                None if schema.get("additionalProperties") == Some(&Value::Bool(false)) => {
                    errors.push(format!("{path}: undocumented key {k}"))
                }
                None => {}
            }
        }
    }
    if let (Some(items), Some(arr)) = (schema.get("items"), v.as_array()) {
        for (i, x) in arr.iter().enumerate() {
            check(items, root, x, &format!("{path}[{i}]"), errors);
        }
    }
}

#[test]
fn models_match_the_documented_json_schema() {
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/model.schema.json"),
        )
        .unwrap(),
    )
    .unwrap();
    let mut docs = vec![
        parse_file(&fixture("unknown-elements.xml")),
        parse_file(&fixture("relative-dates.md")),
        parse_file(&fixture("api-conflict.json")),
        parse_file(&demo_fixture(
            "day2/api/versioner/v1/full/2024-10-15/title-15.part-774.xml",
        )),
        parse_file(&demo_fixture(
            "day2/api/versioner/v1/full/2024-10-15/title-15.part-740.xml",
        )),
        parse_file(&demo_fixture(
            "day1/mofcom/article/gjdt/202409/1035.gbk.html",
        )),
        parse_file(
            &Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/fixtures/ear/country-chart-excerpt.xml"),
        ),
        parse_file(
            &Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/fixtures/ear/entity-list-excerpt.xml"),
        ),
    ];
    if let Some(c) = corpus() {
        docs.push(parse_file(
            &c.join("fr_xml/FR-2014-06778_ATF_27CFR447_IFR.xml"),
        ));
        docs.push(parse_file(&c.join(
            "fr_api_json/fr-api_search_epa-rules-2024_all-fields_page1.json",
        )));
        docs.push(parse_file(
            &c.join("cfr_xml/CFR-2003-title27-vol2-part447.xml"),
        ));
    }
    for d in docs {
        let v = serde_json::to_value(&d).unwrap();
        let mut errors = Vec::new();
        check(&schema, &schema, &v, "data", &mut errors);
        assert!(
            errors.is_empty(),
            "{:?}: {:?}",
            d.meta.title,
            &errors[..errors.len().min(10)]
        );
    }
    // The checker itself catches a wrong document.
    let mut errors = Vec::new();
    check(
        &schema,
        &schema,
        &serde_json::json!({"model_version": 1, "format": "pdf", "meta": {}, "surprise": 1}),
        "data",
        &mut errors,
    );
    assert!(
        errors.iter().any(|e| e.contains("not in enum"))
            && errors
                .iter()
                .any(|e| e.contains("undocumented key surprise")),
        "{errors:?}"
    );
}
