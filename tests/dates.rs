//! The date precision suite: what the parser extracts from the corpus's real
//! Federal Register documents, compared with a truth table built by reading
//! their DATES sections (and, for documents without one, the comment
//! deadlines in their body), and the `dates` strings of the FR API JSON
//! records: tests/fixtures/dates/truth.tsv.
//!
//! Prints precision and recall per kind. Fails on any false or missed
//! comment deadline, on a flag the truth asks for (`derived`, `conditional`,
//! `body`) that the fact lacks, and when overall precision is below 95%.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use regwatch::model::{DateSource, Document};
use regwatch::parse::{Input, parse};

use crate::common::corpus;

/// One truth row: (file, document number, kind, date) and its flags.
struct Row {
    key: (String, String, String, String),
    flags: Vec<String>,
    quote: String,
}

fn truth() -> Vec<Row> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/dates/truth.tsv");
    let text = std::fs::read_to_string(&p).unwrap();
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.starts_with('#') && !l.trim().is_empty())
        .map(|(i, l)| {
            let f: Vec<&str> = l.split('\t').collect();
            assert_eq!(f.len(), 6, "truth.tsv line {}: 6 columns expected", i + 1);
            Row {
                key: (f[0].into(), f[1].into(), f[2].into(), f[3].into()),
                flags: f[4]
                    .split(',')
                    .filter(|x| *x != "-")
                    .map(str::to_string)
                    .collect(),
                quote: f[5].into(),
            }
        })
        .collect()
}

/// Every text-derived date fact of every FR document in `file`, keyed like
/// the truth, with the fact's JSON (for its flags).
fn extracted(
    dir: &Path,
    file: &str,
) -> BTreeMap<(String, String, String, String), serde_json::Value> {
    let sub = if file.ends_with(".json") {
        "fr_api_json"
    } else {
        "fr_xml"
    };
    let bytes = std::fs::read(dir.join(sub).join(file)).unwrap();
    let doc = parse(&Input {
        name: Some(file),
        ..Input::new(&bytes)
    })
    .unwrap();
    let docs: Vec<&Document> = if doc.documents.is_empty() {
        vec![&doc]
    } else {
        doc.documents.iter().collect()
    };
    let mut out = BTreeMap::new();
    for d in docs {
        let number = d.meta.document_number.clone().unwrap_or_else(|| "?".into());
        for f in d.dates.iter().filter(|f| f.source == DateSource::Text) {
            let key = (
                file.to_string(),
                number.clone(),
                f.kind.as_str().to_string(),
                f.date.to_string(),
            );
            out.entry(key)
                .or_insert_with(|| serde_json::to_value(f).unwrap());
        }
    }
    out
}

fn has_flag(fact: &serde_json::Value, flag: &str) -> bool {
    match flag {
        "derived" => fact["derived"] == true,
        "conditional" => fact["conditional"] == true,
        "body" => fact["origin"] == "body",
        _ => panic!("unknown flag {flag} in truth.tsv"),
    }
}

#[test]
fn date_precision_suite_on_real_federal_register_documents() {
    let Some(c) = corpus() else { return };
    let dir = c;
    let rows = truth();
    let files: BTreeSet<&str> = rows.iter().map(|r| r.key.0.as_str()).collect();
    let mut got = BTreeMap::new();
    for f in &files {
        got.extend(extracted(&dir, f));
    }
    let want: BTreeMap<_, _> = rows.iter().map(|r| (r.key.clone(), r)).collect();
    let kinds: BTreeSet<&str> = want
        .keys()
        .chain(got.keys())
        .map(|k| k.2.as_str())
        .collect();
    let mut report = String::new();
    let (mut tp_all, mut got_all, mut want_all) = (0, 0, 0);
    for kind in &kinds {
        let g: Vec<_> = got.keys().filter(|k| k.2 == *kind).collect();
        let w: Vec<_> = want.keys().filter(|k| k.2 == *kind).collect();
        let tp = g.iter().filter(|k| want.contains_key(**k)).count();
        tp_all += tp;
        got_all += g.len();
        want_all += w.len();
        let pct = |a: usize, b: usize| {
            if b == 0 {
                100.0
            } else {
                100.0 * a as f64 / b as f64
            }
        };
        report.push_str(&format!(
            "{kind:<15} precision {:5.1}% ({tp}/{})  recall {:5.1}% ({tp}/{})\n",
            pct(tp, g.len()),
            g.len(),
            pct(tp, w.len()),
            w.len()
        ));
    }
    let precision = 100.0 * tp_all as f64 / got_all.max(1) as f64;
    let recall = 100.0 * tp_all as f64 / want_all.max(1) as f64;
    report.push_str(&format!(
        "overall         precision {precision:5.1}% ({tp_all}/{got_all})  recall {recall:5.1}% ({tp_all}/{want_all})\n"
    ));
    let mut failures = Vec::new();
    for (k, fact) in &got {
        if !want.contains_key(k) {
            let line = format!("extra   {k:?}: {}", fact["evidence"]);
            report.push_str(&line);
            report.push('\n');
            if k.2 == "comments_close" {
                failures.push(format!("false comment deadline: {line}"));
            }
        }
    }
    for (k, row) in &want {
        match got.get(k) {
            None => {
                let line = format!("missed  {k:?}: {}", row.quote);
                report.push_str(&line);
                report.push('\n');
                if k.2 == "comments_close" {
                    failures.push(format!("missed comment deadline: {line}"));
                }
            }
            Some(fact) => {
                for flag in &row.flags {
                    if !has_flag(fact, flag) {
                        failures.push(format!("{k:?} is not marked {flag}: {fact}"));
                    }
                }
            }
        }
    }
    if precision < 95.0 {
        failures.push(format!("overall precision {precision:.1}% < 95%"));
    }
    println!("{report}");
    assert!(failures.is_empty(), "{report}\n{}", failures.join("\n"));
}

fn parse_bytes(name: &str, bytes: &[u8]) -> Document {
    parse(&Input {
        name: Some(name),
        ..Input::new(bytes)
    })
    .unwrap()
}

/// The text facts of one document as JSON objects (flags included).
fn facts(doc: &Document) -> Vec<serde_json::Value> {
    doc.dates
        .iter()
        .filter(|f| f.source == DateSource::Text)
        .map(|f| serde_json::to_value(f).unwrap())
        .collect()
}

fn issue_document(c: &Path, number: &str) -> Document {
    let bytes =
        std::fs::read(c.join("fr_xml/FR-2024-02-12.full-issue.current-endash.xml")).unwrap();
    let issue = parse_bytes("FR-2024-02-12.xml", &bytes);
    issue
        .documents
        .into_iter()
        .find(|d| d.meta.document_number.as_deref() == Some(number))
        .unwrap_or_else(|| panic!("{number} not in the issue"))
}

fn kinds_dates(facts: &[serde_json::Value]) -> Vec<(String, String)> {
    facts
        .iter()
        .map(|f| {
            (
                f["kind"].as_str().unwrap_or("").to_string(),
                f["date"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

/// A one-rule FR XML document whose DATES section is `dates`.
fn rule_with_dates(dates: &str) -> Document {
    let xml = format!(
        "<?xml version=\"1.0\"?>\n<RULE><PREAMB><AGENCY>BUREAU OF CONSUMER FINANCIAL PROTECTION</AGENCY><SUBJECT>Test</SUBJECT>\n<DATES><HD SOURCE=\"HED\">DATES:</HD><P>{dates}</P></DATES></PREAMB>\n<FRDOC>[FR Doc. 2015-18239 Filed 7-23-15; 8:45 am]</FRDOC></RULE>\n"
    );
    parse_bytes("rule.xml", xml.as_bytes())
}

#[test]
fn commentary_and_a_changed_effective_date_in_a_rules_dates() {
    // CFPB (2013), the sentence quoted in the issue.
    let d = rule_with_dates(
        "This rule changes the effective date from January 10, 2014, to January 1, 2014, for the amendments to §§ 1026.35(b)(2)(iii) and 1026.36(a) and commentary to §§ 1026.35 and 1026.36.",
    );
    let f = facts(&d);
    assert_eq!(kinds_dates(&f), [("effective".into(), "2014-01-01".into())]);
    assert_eq!(f[0]["changed_from"], "2014-01-10");
    let d = rule_with_dates(
        "This final rule delays the effective date from August 1, 2015, until October 3, 2015.",
    );
    let f = facts(&d);
    assert_eq!(kinds_dates(&f), [("effective".into(), "2015-10-03".into())]);
    assert_eq!(f[0]["changed_from"], "2015-08-01");
}

#[test]
fn a_compliance_date_months_after_the_effective_date_is_resolved() {
    let d = rule_with_dates(
        "This rule is effective January 10, 2014. Covered persons must comply no later than 12 months from the effective date of this final rule.",
    );
    let f = facts(&d);
    assert_eq!(
        kinds_dates(&f),
        [
            ("effective".into(), "2014-01-10".into()),
            ("compliance".into(), "2015-01-10".into())
        ]
    );
    assert_eq!(f[1]["derived"], true);
}

#[test]
fn omb_decision_window_is_not_a_comment_deadline() {
    let Some(c) = corpus() else { return };
    // FWS 2024-02182: OMB's 30-to-60-day window is not a comment deadline.
    let f = facts(&issue_document(&c, "2024-02182"));
    assert_eq!(
        kinds_dates(&f),
        [
            ("effective".into(), "2024-04-12".into()),
            ("comments_close".into(), "2024-03-13".into())
        ]
    );
}

#[test]
fn a_comment_date_after_a_time_of_day_in_a_notice_without_dates() {
    let Some(c) = corpus() else { return };
    // FERC 2024-02815 (no DATES section): "Comment Date: 5:00 p.m. Eastern Time on February 21, 2024."
    let f = facts(&issue_document(&c, "2024-02815"));
    assert_eq!(
        kinds_dates(&f),
        [("comments_close".into(), "2024-02-21".into())]
    );
    assert_eq!(f[0]["origin"], "body");
}

#[test]
fn an_effective_date_that_needs_no_comments_is_conditional() {
    let Some(c) = corpus() else { return };
    // FERC 2024-02813: effective only if no comments arrive.
    let f = facts(&issue_document(&c, "2024-02813"));
    let eff = f.iter().find(|x| x["kind"] == "effective").unwrap();
    assert_eq!(eff["date"], "2024-03-13");
    assert_eq!(eff["conditional"], true);
    assert!(
        eff["evidence"]
            .as_str()
            .unwrap()
            .starts_with("If no public comment")
    );
    assert_eq!(eff["origin"], "dates_section");
}

#[test]
fn the_press_release_extension_is_the_new_deadline_not_the_rules_date() {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join(
        "src/demo/fixtures/day2/bis/press/2024-10-15-bis-extends-comment-period-advanced-technologies-rule.html",
    );
    let d = parse_bytes("press.html", &std::fs::read(p).unwrap());
    let f = facts(&d);
    let closes: Vec<_> = f
        .iter()
        .filter(|x| x["kind"] == "comments_close")
        .map(|x| (x["date"].clone(), x["changed_from"].clone()))
        .collect();
    assert_eq!(closes, [("2024-12-05".into(), "2024-11-05".into())]);
}

#[test]
fn a_document_without_dates_says_so() {
    let d = parse_bytes("note.txt", b"A note\n\nNothing is dated here.\n");
    let v = serde_json::to_value(&d).unwrap();
    assert_eq!(v["dates"], serde_json::json!([]));
}

#[test]
fn old_style_fr_document_numbers() {
    let Some(c) = corpus() else { return };
    let d = parse_bytes(
        "FR-E8-23178.xml",
        &std::fs::read(c.join("fr_xml/FR-E8-23178_ATF_27CFR447-478-479-555.xml")).unwrap(),
    );
    assert_eq!(d.meta.document_number.as_deref(), Some("E8-23178"));
}

#[test]
fn a_malformed_tag_deep_in_a_rule_keeps_its_dates() {
    let Some(c) = corpus() else { return };
    // A bad tag deep in the regulatory text costs only what follows it.
    let text =
        std::fs::read_to_string(c.join("fr_xml/FR-2014-06778_ATF_27CFR447_IFR.xml")).unwrap();
    let mut lines: Vec<&str> = text.lines().collect();
    let bad = lines.len() - 20;
    lines.insert(bad, "<P>broken <E T=\"03\">tag</P>");
    let broken = lines.join("\n");
    let d = parse_bytes("FR-2014-06778.xml", broken.as_bytes());
    assert_eq!(
        kinds_dates(&facts(&d)),
        [
            ("effective".into(), "2014-04-28".into()),
            ("comments_close".into(), "2014-06-25".into())
        ]
    );
    let w = d.warnings.join("\n");
    assert!(w.contains(&format!("line {}", bad + 1)), "{w}");
}
