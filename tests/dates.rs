//! The date precision suite: what the parser extracts from the corpus's real
//! Federal Register documents, compared with a truth table built by reading
//! their DATES sections (and, for documents without one, the comment
//! deadlines in their body): tests/fixtures/dates/truth.tsv.
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
    let bytes = std::fs::read(dir.join(file)).unwrap();
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
    let dir = c.join("fr_xml");
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
