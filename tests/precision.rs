//! Precision suite: pairs of real EAR markup (see
//! tests/fixtures/precision/README.md), each with the exact set of flags a
//! reader should get. Reports per-pair and overall precision and recall;
//! fails below 95% precision or when an expected flag is missing. Also:
//! every corpus file and every committed real-markup fixture diffed
//! against itself gives no flag.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use regwatch::diff::compare;
use regwatch::model::Document;
use regwatch::parse::{Input, parse};

use crate::common::corpus;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn read(rel: &str) -> String {
    let p = root().join(rel);
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

fn model(name: &str, text: &[u8]) -> Document {
    parse(&Input {
        name: Some(name),
        ..Input::new(text)
    })
    .unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// Every flag of a pair, as its headline (what every report says).
fn flags(name: &str, before: &str, after: &str) -> BTreeSet<String> {
    let d = compare(
        &model(name, before.as_bytes()),
        &model(name, after.as_bytes()),
    );
    d.flags
        .iter()
        .map(regwatch::report::describe::headline)
        .collect()
}

/// An edit of a real excerpt; panics when the text to replace is absent,
/// so a pair can never silently be a self-diff.
fn edit(text: &str, from: &str, to: &str) -> String {
    assert!(text.contains(from), "edit target not found: {from}");
    text.replacen(from, to, 1)
}

/// Lines `from..=to` (1-based) of a text removed.
fn cut_lines(text: &str, from: usize, to: usize) -> String {
    text.lines()
        .enumerate()
        .filter(|(i, _)| *i + 1 < from || *i + 1 > to)
        .map(|(_, l)| format!("{l}\n"))
        .collect()
}

/// The CCL excerpt without the entry of ECCN 0A503 (its lines up to the
/// heading of 0A504).
fn without_0a503(ccl: &str) -> String {
    let at = |heading: &str| ccl.lines().position(|l| l.starts_with(heading));
    let (Some(first), Some(next)) = (at("<FP-2><B>0A503 "), at("<FP-2><B>0A504 ")) else {
        panic!("0A503 or 0A504 not in the CCL excerpt")
    };
    cut_lines(ccl, first + 1, next)
}

struct Pair {
    name: &'static str,
    file: &'static str,
    before: String,
    after: String,
    expected: &'static [&'static str],
}

fn pairs() -> Vec<Pair> {
    let ccl = read("parse/ecfr/ccl-774-excerpt.xml");
    let groups = read("parse/ecfr/country-groups-740-supp1-excerpt.xml");
    let chart = read("ear/country-chart-excerpt.xml");
    let entities = read("ear/entity-list-excerpt.xml");
    vec![
        Pair {
            name: "§ 740.2 pre-2022 → 2026: (a)(6) sanctioned destinations",
            file: "precision/740.2.xml",
            before: read("precision/740.2-2017.xml"),
            after: read("precision/740.2-2026.xml"),
            expected: &[
                "Belarus (BY) added to Restrictions on all License Exceptions (§ 740.2(a)(6)) — limited sanction",
                "Russia (RU) added to Restrictions on all License Exceptions (§ 740.2(a)(6)) — limited sanction",
                "so-called Donetsk People's Republic (DNR) region of Ukraine (UA-DNR) added to Restrictions on all License Exceptions (§ 740.2(a)(6)) — sanctioned destination",
                "so-called Luhansk People's Republic (LNR) region of Ukraine (UA-LNR) added to Restrictions on all License Exceptions (§ 740.2(a)(6)) — sanctioned destination",
            ],
        },
        Pair {
            name: "§ 740.2: 4E091 joins the ECCNs of (a)(9)(ii)(A)",
            file: "precision/740.2.xml",
            before: edit(
                &read("precision/740.2-2026.xml"),
                "(A) Controlled under ECCNs 3A090, 4A090, 4E091, or associated",
                "(A) Controlled under ECCNs 3A090, 4A090, or associated",
            ),
            after: read("precision/740.2-2026.xml"),
            expected: &[
                "ECCN 4E091 added to ECCNs: Restrictions on all License Exceptions (§ 740.2(a)(9)(ii)(A)) — under ECCNs",
            ],
        },
        Pair {
            name: "§ 744.21 pre-2020 → 2026: military end use and end user",
            file: "precision/744.21.xml",
            before: read("precision/744.21-2017.xml"),
            after: read("precision/744.21-2026.xml"),
            expected: &[
                "Belarus (BY) added to Restrictions on certain 'military end uses' or 'military end users' — Additional prohibition on those informed by BIS (§ 744.21(b))",
                "Burma (MM) added to Restrictions on certain 'military end uses' or 'military end users' — Additional prohibition on those informed by BIS (§ 744.21(b))",
                "Cambodia (KH) added to Restrictions on certain 'military end uses' or 'military end users' — Additional prohibition on those informed by BIS (§ 744.21(b))",
                "Nicaragua (NI) added to Restrictions on certain 'military end uses' or 'military end users' — Additional prohibition on those informed by BIS (§ 744.21(b))",
                "Belarus (BY) added to Restrictions on certain 'military end uses' or 'military end users' — General prohibition (§ 744.21(a)(2))",
                "Burma (MM) added to Restrictions on certain 'military end uses' or 'military end users' — General prohibition (§ 744.21(a)(1))",
                "Cambodia (KH) added to Restrictions on certain 'military end uses' or 'military end users' — General prohibition (§ 744.21(a)(1))",
                "Nicaragua (NI) added to Restrictions on certain 'military end uses' or 'military end users' — General prohibition (§ 744.21(a)(1))",
                "License review policy changed in § 744.21(e)(1): case-by-case → presumption of denial, policy of denial, case-by-case",
                "Defined term 'military end user' introduced in § 744.21(a)(1) (as defined in paragraph (g) of this section)",
            ],
        },
        Pair {
            name: "CCL: ECCN 0A503 removed",
            file: "ccl.xml",
            before: ccl.clone(),
            after: without_0a503(&ccl),
            expected: &["ECCN 0A503 removed (Supplement No. 1 to Part 774)"],
        },
        Pair {
            name: "CCL: ECCN 0A503 added",
            file: "ccl.xml",
            before: without_0a503(&ccl),
            after: ccl.clone(),
            expected: &["ECCN 0A503 added (Supplement No. 1 to Part 774)"],
        },
        Pair {
            name: "CCL: 1A008.d threshold changed",
            file: "ccl.xml",
            before: ccl.clone(),
            after: edit(
                &ccl,
                "having a NEQ greater than 3.5 kg",
                "having a NEQ greater than 2.5 kg",
            ),
            expected: &["ECCN 1A008: item d reworded"],
        },
        Pair {
            name: "CCL 2026-07 → 2026-09 (91 FR 46261): UAE in 4A090's RS row, 9D001/9D004 rewritten",
            file: "precision/ccl-774.xml",
            before: read("precision/ccl-774-2026-07.xml"),
            after: read("precision/ccl-774-2026-09.xml"),
            // 5D001 and 7D001 changed only "AT Column 1" → "AT Column 1."
            // and "Supplement No." → "supplement no.": no flag.
            expected: &[
                "United Arab Emirates (AE) added to ECCN 4A090's license requirement: RS applies to 4A090.b",
                "ECCN 9D001: license requirement row “NS applies to “software” for equipment controlled by 9A001 to 9A004, 9A012 (except 9A012.a.1), 9B001 to 9B010, and technology controlled by 9E003” added; license requirement row “NS applies to “software” for equipment controlled by 9A001 to 9A004, 9A012, 9B001 to 9B010, and technology controlled by 9E003” removed",
                "ECCN 9D001: Related Controls changed",
                "ECCN 9D004: license requirement row “NS applies to entire entry, except 9D004.e for 9A012.a.1 items” added; license requirement row “NS applies to entire entry” removed",
                "ECCN 9D004: notes changed (Note reworded)",
            ],
        },
        Pair {
            name: "Country Groups: India moves from A:5 to A:6",
            file: "groups.xml",
            before: groups.clone(),
            after: edit(
                &groups,
                "<TD class=\"left border-right-single\">India</TD>\n<TD class=\"center border-right-single\">X</TD>\n<TD class=\"center border-right-single\">X</TD>\n<TD class=\"center border-right-single\">X</TD>\n<TD class=\"center border-right-single\"/>\n<TD class=\"center border-right-single\">X\n</TD>\n<TD class=\"center\"/>",
                "<TD class=\"left border-right-single\">India</TD>\n<TD class=\"center border-right-single\">X</TD>\n<TD class=\"center border-right-single\">X</TD>\n<TD class=\"center border-right-single\">X</TD>\n<TD class=\"center border-right-single\"/>\n<TD class=\"center border-right-single\"/>\n<TD class=\"center\">X</TD>",
            ),
            expected: &[
                "India (IN) added to Country Group A:6",
                "India (IN) removed from Country Group A:5",
            ],
        },
        Pair {
            name: "Country Chart: Canada loses its CB 1 X",
            file: "chart.xml",
            before: chart.clone(),
            after: edit(
                &chart,
                "<TD class=\"left border-right-single\">Canada</TD>\n<TD class=\"center border-right-single\">X</TD>",
                "<TD class=\"left border-right-single\">Canada</TD>\n<TD class=\"center border-right-single\"></TD>",
            ),
            expected: &["Commerce Country Chart: Canada, CB1 changed from X to blank"],
        },
        Pair {
            name: "Entity List: a row added and a row's review policy changed",
            file: "entities.xml",
            before: entities.clone(),
            after: {
                // The review policy of the real Abdul Satar Ghoura row
                // changes.
                let t = edit(
                    &entities,
                    "(See alternate addresses under Pakistan).</TD>\n<TD class=\"left border-right-single\">For all items subject to the EAR. (See &#xA7; 744.11 of the EAR)</TD>\n<TD class=\"left border-right-single\">Presumption of denial</TD>",
                    "(See alternate addresses under Pakistan).</TD>\n<TD class=\"left border-right-single\">For all items subject to the EAR. (See &#xA7; 744.11 of the EAR)</TD>\n<TD class=\"left border-right-single\">Policy of denial</TD>",
                );
                // A new party: the real FISCA row re-listed under a new
                // (invented) name, so every cell but the name is real markup.
                let fisca = t
                    .find("<TR>\n<TD class=\"left border-right-single\">BURMA</TD>")
                    .and_then(|at| {
                        t[at..]
                            .find("</TR>")
                            .map(|end| t[at..at + end + 5].to_string())
                    })
                    .expect("FISCA row");
                let copy = fisca.replacen(">BURMA</TD>", "> </TD>", 1).replacen(
                    "FISCA Security &amp; Communication Co., Ltd.",
                    "Yangon Example Signals Co., Ltd.",
                    1,
                );
                edit(&t, &fisca, &format!("{fisca}\n{copy}"))
            },
            expected: &[
                "Entity List: Abdul Satar Ghoura (AFGHANISTAN): review policy changed (76 FR 71869, 2011-11-21)",
                "Entity List: Yangon Example Signals Co., Ltd. (BURMA) added (88 FR 13675, 2023-03-06)",
            ],
        },
    ]
}

/// Runs every pair, prints the table, and fails under 95% precision or
/// on any missing expected flag.
#[test]
fn precision_and_recall_on_real_ear_pairs() {
    let (mut true_pos, mut got_total, mut expected_total) = (0usize, 0usize, 0usize);
    let mut problems = Vec::new();
    for p in pairs() {
        let got = flags(p.file, &p.before, &p.after);
        let expected: BTreeSet<String> = p.expected.iter().map(|s| s.to_string()).collect();
        let hit = got.intersection(&expected).count();
        true_pos += hit;
        got_total += got.len();
        expected_total += expected.len();
        println!(
            "{:<70} flags {:>3}  true {:>3}  expected {:>3}",
            p.name,
            got.len(),
            hit,
            expected.len()
        );
        for f in got.difference(&expected) {
            println!("    FALSE   {f}");
            problems.push(format!("{}: false flag: {f}", p.name));
        }
        for f in expected.difference(&got) {
            println!("    MISSING {f}");
            problems.push(format!("{}: missing flag: {f}", p.name));
        }
    }
    let ratio = |a: usize, b: usize| if b == 0 { 1.0 } else { a as f64 / b as f64 };
    let (precision, recall) = (ratio(true_pos, got_total), ratio(true_pos, expected_total));
    println!(
        "overall: {got_total} flags, {true_pos} true, {expected_total} expected — precision {:.1}%, recall {:.1}%",
        precision * 100.0,
        recall * 100.0
    );
    let missing: Vec<&String> = problems.iter().filter(|p| p.contains("missing")).collect();
    assert!(missing.is_empty(), "expected flags missing:\n{missing:#?}");
    assert!(
        precision >= 0.95,
        "precision {:.1}% under 95%:\n{problems:#?}",
        precision * 100.0
    );
}

/// Every file under `dir` (recursively), sorted.
fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap_or_else(|e| panic!("{}: {e}", d.display())) {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// Flags of a file diffed against itself, as headlines. The corpus's
/// derived data sets (`derived_ecfr_title15/`, JSON extracted by another
/// project, not a published document) are the only files allowed not to
/// parse; any other failure fails the test.
fn self_flags(path: &Path) -> Vec<String> {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let name = path.to_string_lossy().into_owned();
    let doc = match parse(&Input {
        name: Some(&name),
        ..Input::new(&bytes)
    }) {
        Ok(doc) => doc,
        Err(_) if name.contains("/derived_ecfr_title15/") => return Vec::new(),
        Err(e) => panic!("{name}: {e}"),
    };
    compare(&doc, &doc)
        .flags
        .iter()
        .map(|f| format!("{name}: {}", regwatch::report::describe::headline(f)))
        .collect()
}

#[test]
fn every_corpus_file_and_real_fixture_diffed_against_itself_has_no_flag() {
    let mut files: Vec<PathBuf> = ["parse/ecfr", "ear", "precision"]
        .iter()
        .flat_map(|d| files_under(&root().join(d)))
        .filter(|p| p.extension().is_some_and(|e| e == "xml"))
        .collect();
    let Some(corpus) = corpus() else { return };
    files.extend(
        files_under(&corpus)
            .into_iter()
            .filter(|p| p.file_name().is_some_and(|n| n != "MANIFEST.md")),
    );
    assert!(files.len() > 10, "{files:#?}");
    let flags: Vec<String> = files.iter().flat_map(|p| self_flags(p)).collect();
    assert!(
        flags.is_empty(),
        "{} self-diff flags:\n{flags:#?}",
        flags.len()
    );
}

/// Every license exception section of part 740, with its real heading
/// (from the corpus's catalogue of the eCFR), names its symbols.
#[test]
fn every_part_740_exception_symbol_is_recognised_from_its_section_heading() {
    let Some(corpus) = corpus() else { return };
    let catalog: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(
            corpus.join("derived_ecfr_title15/license-exception-catalog.ecfr-2026-07-23.json"),
        )
        .unwrap(),
    )
    .unwrap();
    let sections = catalog["exceptions"].as_array().unwrap();
    assert_eq!(sections.len(), 27);
    let mut xml = String::from(
        "<?xml version=\"1.0\"?>\n<DIV5 N=\"740\" TYPE=\"PART\">\n<HEAD>PART 740&#x2014;LICENSE EXCEPTIONS</HEAD>\n",
    );
    for s in sections {
        let (n, title) = (
            s["sectionNumber"].as_str().unwrap(),
            s["title"].as_str().unwrap(),
        );
        xml.push_str(&format!(
            "<DIV8 N=\"{n}\" TYPE=\"SECTION\">\n<HEAD>&#xA7; {n} {}</HEAD>\n<P>(a) Scope.</P>\n</DIV8>\n",
            title.replace('&', "&amp;")
        ));
    }
    xml.push_str("</DIV5>\n");
    let doc = model("part-740-headings.xml", xml.as_bytes());
    let mut missing = Vec::new();
    for s in sections {
        let n = s["sectionNumber"].as_str().unwrap();
        for sym in s["symbols"].as_array().unwrap() {
            let sym = sym.as_str().unwrap();
            let found = doc.entities.iter().any(|e| {
                e.kind == regwatch::model::EntityKind::LicenseException
                    && e.id == sym
                    && e.provisions.iter().any(|p| p == &format!("§ {n}"))
            });
            if !found {
                missing.push(format!("{sym} (§ {n})"));
            }
        }
    }
    assert!(missing.is_empty(), "not recognised: {missing:?}");
}
