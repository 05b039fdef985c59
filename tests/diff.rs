//! The diff engine on real data (../shared/corpus, skipped when absent),
//! on our export-control fixtures (tests/fixtures/diff, see its README),
//! through the CLI, on bad input and on pathological input.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde_json::json;

use regwatch::diff::lines::line_diff;
use regwatch::diff::raw::compare_source;
use regwatch::diff::stored::add_source_comparison;
use regwatch::diff::words::word_diff;
use regwatch::diff::{
    ChangeKind, Diff, Finding, Flag, FlagKind, FormattingKind, FormattingScope, compare,
};
use regwatch::model::{Document, ProvisionKind};
use regwatch::parse::{Input, parse, parse_pair};

use crate::common::{TestEnv, corpus};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/diff")
        .join(name)
}

fn model(path: &Path) -> (Document, Vec<u8>) {
    let bytes = std::fs::read(path).unwrap();
    let name = path.to_string_lossy().into_owned();
    let doc = parse(&Input {
        name: Some(&name),
        ..Input::new(&bytes)
    })
    .unwrap_or_else(|e| panic!("{name}: {e}"));
    (doc, bytes)
}

/// The whole library diff of two files, as `regwatch diff` computes it.
fn diff_files(a: &Path, b: &Path) -> Diff {
    let (da, ba) = model(a);
    let (db, bb) = model(b);
    let mut d = compare(&da, &db);
    add_source_comparison(&mut d, &ba, &bb);
    d
}

fn pair(stem: &str, ext: &str) -> Diff {
    diff_files(
        &fixture(&format!("{stem}-before.{ext}")),
        &fixture(&format!("{stem}-after.{ext}")),
    )
}

/// A flag in words, as every report says it.
fn msg(f: &Flag) -> String {
    regwatch::report::describe::headline(f)
}

/// A string field of a flag's JSON.
fn json_str(f: &Flag, key: &str) -> Option<String> {
    serde_json::to_value(f).unwrap()[key]
        .as_str()
        .map(str::to_string)
}

fn kinds(d: &Diff) -> Vec<FlagKind> {
    d.flags.iter().map(|f| f.kind()).collect()
}

/// `§ 1.16(t)` → `§ 1.16`.
fn section_of(provision: &str) -> String {
    provision
        .split('(')
        .next()
        .unwrap_or(provision)
        .trim()
        .to_string()
}

// ---------------------------------------------------------------- real data

#[test]
fn fr_issue_dash_variants_are_formatting_only() {
    let Some(c) = corpus() else { return };
    let d = diff_files(
        &c.join("fr_xml/FR-2024-02-12.full-issue.current-endash.xml"),
        &c.join("fr_xml/FR-2024-02-12.full-issue.updated-hyphen.xml"),
    );
    assert!(!d.substantive, "{:#?}", &d.flags[..d.flags.len().min(3)]);
    assert!(d.flags.is_empty() && d.changes.is_empty());
    assert!(d.warnings.is_empty(), "{:?}", d.warnings);
    let source = d
        .formatting_only
        .iter()
        .find(|f| f.scope == FormattingScope::Source)
        .expect("the source comparison counts the retypeset passages");
    // `diff` finds 1,062 changed passages between the files; all are dashes.
    assert!(source.places > 1000, "{}", source.places);
    assert_eq!(source.kinds, vec![FormattingKind::Dashes]);
    assert_eq!(
        (d.summary.formatting, d.summary.source_formatting),
        (0, source.places)
    );
}

/// `parse_pair` finishes a document the two sides share once: the result
/// must be what two separate parses give, whether the sides share every
/// document (the dash variants), all but one (a word changed in one
/// notice), or few or none (two API search pages; an issue against a CFR
/// title).
#[test]
fn parsing_a_pair_gives_what_two_parses_give() {
    let Some(c) = corpus() else { return };
    let old = std::fs::read(c.join("fr_xml/FR-2024-02-12.full-issue.current-endash.xml")).unwrap();
    let new = std::fs::read(c.join("fr_xml/FR-2024-02-12.full-issue.updated-hyphen.xml")).unwrap();
    // One notice's text changed: the first paragraph of the last document.
    let text = String::from_utf8(new.clone()).unwrap();
    let last_p = text.rfind("<P>").unwrap();
    let edited = format!("{}<P>Edited: {}", &text[..last_p], &text[last_p + 3..]).into_bytes();
    let title1 = std::fs::read(c.join("cfr_xml/ECFR-title1.current-endash.xml")).unwrap();
    let search = std::fs::read(c.join("fr_api_json/fr-api_search_2024_newest_page1.json")).unwrap();
    let epa =
        std::fs::read(c.join("fr_api_json/fr-api_search_epa-rules-2024_all-fields_page1.json"))
            .unwrap();
    fn input(bytes: &[u8]) -> Input<'_> {
        Input {
            bytes,
            ..Input::default()
        }
    }
    let pairs = [
        (&old, &new),
        (&new, &edited),
        (&old, &old),
        (&old, &title1),
        (&search, &epa),
        (&epa, &search),
    ];
    for (a, b) in pairs {
        let (pa, pb) = parse_pair(&input(a), &input(b));
        let (pa, pb) = (pa.unwrap(), pb.unwrap());
        assert!(pa == parse(&input(a)).unwrap(), "old side differs");
        assert!(pb == parse(&input(b)).unwrap(), "new side differs");
    }
    // The edit is seen: the last document differs between the sides.
    let (pa, pb) = parse_pair(&input(&new), &input(&edited));
    let (pa, pb) = (pa.unwrap(), pb.unwrap());
    assert!(pa.documents.len() > 90, "{}", pa.documents.len());
    assert!(pa.documents.last() != pb.documents.last());
    assert!(pa.documents[..pa.documents.len() - 1] == pb.documents[..pb.documents.len() - 1]);
}

#[test]
fn ecfr_title1_dash_variants_are_formatting_only() {
    let Some(c) = corpus() else { return };
    let d = diff_files(
        &c.join("cfr_xml/ECFR-title1.current-endash.xml"),
        &c.join("cfr_xml/ECFR-title1.updated-hyphen.xml"),
    );
    assert!(!d.substantive);
    assert!(d.summary.source_formatting > 50, "{:?}", d.summary);
    assert!(
        d.formatting_only
            .iter()
            .any(|f| f.kinds.contains(&FormattingKind::Dashes))
    );
}

#[test]
fn cfr_37_part_1_editions_report_exactly_the_reworded_sections() {
    let Some(c) = corpus() else { return };
    let d = diff_files(
        &c.join("cfr_xml/CFR-2011-title37-vol1-part1.xml"),
        &c.join("cfr_xml/CFR-2012-title37-vol1-part1.xml"),
    );
    assert!(d.substantive);
    let sections: BTreeSet<String> = d.changes.iter().map(|c| section_of(&c.provision)).collect();
    let expected: BTreeSet<String> = [
        "1.16", "1.17", "1.19", "1.102", "1.197", "1.445", "1.704", "1.824", "1.913", "1.915",
        "1.923", "1.927", "1.931",
    ]
    .iter()
    .map(|s| format!("§ {s}"))
    .collect();
    assert_eq!(sections, expected);
    // § 1.16 gains paragraph (t); no section comes or goes.
    assert!(
        d.changes
            .iter()
            .any(|c| c.kind == ChangeKind::Added && c.provision == "§ 1.16(t)")
    );
    assert!(
        !d.changes
            .iter()
            .any(|c| c.level == Some(ProvisionKind::Section)
                && matches!(c.kind, ChangeKind::Added | ChangeKind::Removed)),
        "no section added or removed"
    );
    // The punctuation changes are substantive: § 1.824 gains a comma.
    let comma = d
        .changes
        .iter()
        .find(|c| c.provision.starts_with("§ 1.824"))
        .unwrap();
    assert!(
        comma.words.iter().any(|w| w.text == ","),
        "{:?}",
        comma.words
    );
    // The sections whose page markers and emphasis moved are counted as
    // formatting (in the source), not reported as changes.
    let source = d
        .formatting_only
        .iter()
        .find(|f| f.scope == FormattingScope::Source)
        .unwrap();
    assert!(source.places > 100, "{}", source.places);
    assert!(source.kinds.contains(&FormattingKind::PageMarkers));
    assert!(source.kinds.contains(&FormattingKind::Markup));
}

// ----------------------------------------------------------- our fixtures

const NEW_ECCNS: [&str; 18] = [
    "2B910", "2D910", "2E903", "2E910", "3A901", "3A904", "3B903", "3B904", "3C907", "3C908",
    "3C909", "3D901", "3D907", "3E901", "3E905", "4A906", "4D906", "4E906",
];

#[test]
fn ccl_before_and_after_the_2024_09_06_rule() {
    let d = pair("ccl", "xml");
    let added: BTreeSet<&str> = d
        .flags_of(FlagKind::EccnAdded)
        .map(|f| f.finding.eccn().unwrap())
        .collect();
    assert_eq!(added, NEW_ECCNS.into_iter().collect());
    assert_eq!(d.flags_of(FlagKind::EccnAdded).count(), 18);
    for f in d.flags_of(FlagKind::EccnAdded) {
        assert_eq!(
            msg(f),
            format!(
                "ECCN {} added (Supplement No. 1 to Part 774)",
                f.finding.eccn().unwrap()
            )
        );
        assert!(
            f.evidence()
                .after
                .as_deref()
                .unwrap()
                .starts_with(f.finding.eccn().unwrap())
        );
    }
    assert_eq!(d.flags_of(FlagKind::EccnRemoved).count(), 0);
    // 3B001 gains .c.1.a, .c.1.c and .q (and an IEC line); nothing else changes.
    let modified: Vec<_> = d.flags_of(FlagKind::EccnModified).collect();
    assert_eq!(modified.len(), 1, "{modified:#?}");
    let m = modified[0];
    assert_eq!(m.finding.eccn(), Some("3B001"));
    assert_eq!(json_str(m, "field").as_deref(), Some("items"));
    assert_eq!(msg(m), "ECCN 3B001: items c.1.a, c.1.c, q added");
    assert!(m.evidence().after.as_deref().unwrap().contains("EUV"));
    let iec: Vec<_> = d.flags_of(FlagKind::LicenseExceptionAdded).collect();
    assert_eq!(iec.len(), 1);
    assert_eq!(
        (iec[0].finding.eccn(), iec[0].finding.exception()),
        (Some("3B001"), Some("IEC"))
    );
    // 4A003 was only retypeset (curly → straight quotes).
    assert!(!d.changes.iter().any(|c| c.provision.contains("4A003")));
    assert!(
        d.formatting_only
            .iter()
            .any(|f| f.provision.as_deref() == Some("ECCN 4A003.g")
                && f.kinds == vec![FormattingKind::Quotes])
    );
    // Each new entry is one structural addition, its items folded in.
    let added_entries = d
        .changes
        .iter()
        .filter(|c| c.kind == ChangeKind::Added && c.level == Some(ProvisionKind::Eccn))
        .count();
    assert_eq!(added_entries, 18);
}

#[test]
fn country_moving_columns_of_the_country_groups_table() {
    let d = pair("country-groups", "xml");
    let got: Vec<(FlagKind, &str, &str)> = d
        .flags
        .iter()
        .map(|f| (f.kind(), f.finding.country().unwrap(), f.finding.names()[0]))
        .collect();
    assert_eq!(
        got,
        [
            (FlagKind::CountryAdded, "IN", "Country Group A:5"),
            (FlagKind::CountryRemoved, "IN", "Country Group A:6"),
        ]
    );
    assert_eq!(msg(&d.flags[0]), "India (IN) added to Country Group A:5");
    assert_eq!(d.flags[0].provision(), Some("Supplement No. 1 to Part 740"));
}

#[test]
fn iec_eligibility_gains_a_country() {
    let d = pair("iec", "xml");
    assert_eq!(kinds(&d), [FlagKind::CountryAdded]);
    let f = &d.flags[0];
    let Finding::CountryAdded(c) = &f.finding else {
        panic!("{f:#?}")
    };
    assert_eq!((c.country.as_str(), c.label.as_str()), ("ES", "Spain"));
    assert_eq!(c.provision, "§ 740.24(b)");
    assert!(c.list.contains("Eligible destinations"));
    assert!(c.evidence.after.as_deref().unwrap().contains("Spain"));
    assert!(!c.evidence.before.as_deref().unwrap().contains("Spain"));
    let c = &d.changes[0];
    assert_eq!(
        (c.kind, c.provision.as_str()),
        (ChangeKind::Modified, "§ 740.24(b)")
    );
    assert!(c.words.iter().any(|w| w.text.contains("Spain")));
}

#[test]
fn comment_period_extension_moves_the_deadline() {
    let d = pair("comment-extension", "json");
    let f = d.flags_of(FlagKind::DateChanged).next().unwrap();
    // The JSON a script reads.
    let v = serde_json::to_value(f).unwrap();
    assert_eq!(
        v,
        serde_json::json!({
            "kind": "date_changed",
            "field": "comments_close",
            "before": "2024-11-05",
            "after": "2024-12-05",
            "days": 30,
            "evidence": f.evidence(),
        })
    );
    assert_eq!(
        msg(f),
        "Comment deadline moved from 2024-11-05 to 2024-12-05 (extended by 30 days)"
    );
    assert_eq!(d.flags.len(), 1, "effective date unchanged: {:#?}", d.flags);
}

#[test]
fn a_version_compared_with_itself_has_nothing_to_report() {
    for name in [
        "ccl-after.xml",
        "iec-before.xml",
        "comment-extension-after.json",
    ] {
        let d = diff_files(&fixture(name), &fixture(name));
        assert!(!d.substantive && d.formatting_only.is_empty(), "{name}");
    }
}

// ---------------------------------------------------------------- the CLI

fn path(name: &str) -> String {
    fixture(name).to_string_lossy().into_owned()
}

#[test]
fn cli_diff_of_two_files_in_every_format() {
    let env = TestEnv::new();
    let (a, b) = (path("iec-before.xml"), path("iec-after.xml"));
    let r = env.run(&["diff", &a, &b]);
    r.expect_code(1);
    let text = r.stdout();
    assert!(
        text.contains("Substantive changes: 1 flag; 1 provision modified"),
        "{text}"
    );
    assert!(text.contains("+ Spain (ES) added to"), "{text}");
    assert!(text.contains("{+Spain; +}"), "{text}");

    let r = env.run(&["diff", &a, &b, "--format", "json"]);
    r.expect_code(1);
    let v: serde_json::Value = serde_json::from_str(&r.stdout()).unwrap();
    assert_eq!(v["type"], "diff");
    assert_eq!(v["data"]["substantive"], true);
    let flag = &v["data"]["flags"][0];
    assert_eq!(flag["kind"], "country_added");
    assert_eq!(flag["country"], "ES");
    assert_eq!(flag["provision"], "§ 740.24(b)");
    assert!(
        flag["list"]
            .as_str()
            .unwrap()
            .contains("Eligible destinations")
    );
    assert!(
        flag["evidence"]["after"]
            .as_str()
            .unwrap()
            .contains("Spain")
    );
    assert_eq!(v["data"]["changes"][0]["kind"], "modified");
    assert!(v["data"]["formatting_only"].as_array().unwrap().is_empty());

    let r = env.run(&["diff", &a, &b, "--format", "html"]);
    let html = r.stdout();
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("<ins>Spain; </ins>"), "{html}");
    assert!(!html.contains("<script") && !html.contains("<link"));

    let r = env.run(&["diff", &a, &b, "--format", "markdown"]);
    assert!(r.stdout().contains("## What changed"));
    assert!(r.stdout().contains("**Spain;**"), "{}", r.stdout());

    let r = env.run(&["diff", &a, &b, "--format", "unified"]);
    let u = r.stdout();
    assert!(u.starts_with(&format!("--- {a}\n+++ {b}\n@@ ")), "{u}");
    assert!(u.contains("@@ § 740.24(b)"), "{u}");
    assert!(
        u.lines().any(|l| l.starts_with('+') && l.contains("Spain")),
        "{u}"
    );
    let r = env.run(&["diff", &a, &b, "--format", "unified", "--word"]);
    assert!(r.stdout().contains("{+Spain; +}"), "{}", r.stdout());

    let r = env.run(&["diff", &a, &b, "--raw", "--format", "unified"]);
    r.expect_code(1);
    assert!(r.stdout().contains("+<P>(b)") || r.stdout().contains("Spain"));

    // Same file twice: nothing to say, exit 0.
    let r = env.run(&["diff", &a, &a]);
    r.expect_code(0);
    assert!(r.stdout().contains("No substantive change."));

    // HTML to a file.
    let out = env.path().join("d.html");
    env.run(&[
        "diff",
        &a,
        &b,
        "--format",
        "html",
        "-o",
        out.to_str().unwrap(),
    ])
    .expect_code(1);
    assert!(std::fs::read_to_string(&out).unwrap().contains("Spain"));
}

#[test]
fn cli_diff_errors_exit_2_with_a_reason() {
    let env = TestEnv::new();
    let a = path("iec-before.xml");
    let r = env.run(&["diff", &a, "nope.xml"]);
    r.expect_code(2);
    assert!(r.stderr().contains("nope.xml"), "{}", r.stderr());
    std::fs::write(env.path().join("bad.xml"), "<PART><SECTION>unclosed").unwrap();
    let r = env.run(&["diff", &a, "bad.xml"]);
    r.expect_code(2);
    assert!(r.stderr().contains("bad.xml"), "{}", r.stderr());
    let r = env.run(&["diff", &a]);
    r.expect_code(2);
    assert!(r.stderr().contains("give two files"), "{}", r.stderr());
    let r = env.run(&["diff", &a, &a, "--raw", "--format", "html"]);
    r.expect_code(2);
}

#[test]
fn cli_diff_and_changes_over_the_demo_store() {
    let env = TestEnv::new();
    let out = env.path().join("demo");
    let r = env.run(&["demo", "--out", out.to_str().unwrap()]);
    r.expect_code(0);
    // Day 2's three kinds of news, in words, are the snapshots of
    // tests/renderings.rs; the pages the demo writes are those of
    // `diff --format html`.
    let store = out.join("snapshots");
    let s = store.to_str().unwrap();
    for (f, item) in [
        ("ear--part-740.html", "ear/part-740"),
        ("ear--part-774.html", "ear/part-774"),
        ("bis-rules--2024-19633.html", "bis-rules/2024-19633"),
    ] {
        let page = std::fs::read_to_string(out.join("diffs").join(f)).unwrap();
        let cli = env.run(&["--store", s, "diff", item, "--format", "html"]);
        assert_eq!(page, cli.stdout(), "{f}");
    }

    // One reference: previous vs that version.
    let r = env.run(&["--store", s, "diff", "ear/part-740"]);
    r.expect_code(1);
    assert!(
        r.stdout().contains("ear/part-740@1 → ear/part-740@2"),
        "{}",
        r.stdout()
    );
    let r = env.run(&["--store", s, "diff", "ear/part-740@1"]);
    r.expect_code(2);
    assert!(r.stderr().contains("first version"), "{}", r.stderr());
    // Two references, by number, date and @latest.
    let r = env.run(&[
        "--store",
        s,
        "diff",
        "ear/part-774@2024-09-06",
        "ear/part-774@latest",
        "--format",
        "json",
    ]);
    r.expect_code(1);
    let v: serde_json::Value = serde_json::from_str(&r.stdout()).unwrap();
    assert_eq!(v["data"]["before"]["ref"], "ear/part-774@1");
    assert_eq!(v["schema_version"], 3, "flags are typed findings");
    assert_eq!(v["data"]["flags"][0]["kind"], "eccn_added");
    assert_eq!(v["data"]["flags"][0]["eccn"], "3C909");
    assert_eq!(
        v["data"]["flags"][0]["heading"],
        "Silicon, silicon oxides, germanium, or germanium oxides containing any of the following (see List of Items Controlled)"
    );
    assert_eq!(
        v["data"]["flags"][0]["within"],
        "Supplement No. 1 to Part 774"
    );
    assert_eq!(
        v["data"]["flags"][0]["message"],
        "ECCN 3C909 added (Supplement No. 1 to Part 774)"
    );
    // A hash prefix names a version too.
    let r = env.run(&["--store", s, "show", "ear/part-740@1", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&r.stdout()).unwrap();
    let prefix = &v["data"]["hash"].as_str().unwrap()[..10];
    let r = env.run(&["--store", s, "diff", prefix, "ear/part-740@2"]);
    r.expect_code(1);
    assert!(r.stdout().contains("Korea, South"), "{}", r.stdout());
    // A version against itself.
    env.run(&["--store", s, "diff", "ear/part-774@1", "ear/part-774@1"])
        .expect_code(0);

    // Every flag in the store, newest first.
    let r = env.run(&["--store", s, "changes"]);
    r.expect_code(0);
    let c = r.stdout();
    let day2 = c.find("ECCN 3C909 added").unwrap();
    let day1 = c.find("2024-09-06  ear/part-774@1").unwrap_or(usize::MAX);
    assert!(day2 < day1, "newest first:\n{c}");
    let r = env.run(&["--store", s, "changes", "ear", "--format", "json"]);
    let lines: Vec<serde_json::Value> = r
        .stdout()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert!(
        lines
            .iter()
            .all(|l| l["type"] == "change" && l["data"]["feed"] == "ear")
    );
    let korea = lines
        .iter()
        .map(|l| &l["data"]["flags"][0])
        .find(|f| f["kind"] == "country_added")
        .unwrap();
    assert_eq!(
        (&korea["country"], &korea["label"], &korea["message"]),
        (
            &json!("KR"),
            &json!("Korea, South"),
            &json!(
                "Korea, South (KR) added to License Exception Implemented Export Controls (IEC) — Eligible destinations (§ 740.24(b))"
            )
        )
    );
    assert!(lines.iter().all(|l| l["schema_version"] == 3));
    let r = env.run(&["--store", s, "changes", "--since", "2030-01-01"]);
    assert!(r.stdout().contains("No changes recorded."));
    env.run(&["--store", s, "changes", "nosuchfeed"])
        .expect_code(2);
}

/// Applies a unified diff (as printed by `diff --raw --format unified`)
/// to the old text's lines.
fn apply_unified(old: &str, patch: &str) -> Vec<String> {
    let old: Vec<&str> = old.lines().collect();
    let mut out: Vec<String> = Vec::new();
    let mut i = 0;
    for line in patch.lines().skip(2) {
        if let Some(h) = line.strip_prefix("@@ -") {
            let range = h.split(' ').next().unwrap();
            let mut parts = range.split(',');
            let start: usize = parts.next().unwrap().parse().unwrap();
            let len: usize = parts.next().map_or(1, |n| n.parse().unwrap());
            let at = if len == 0 { start } else { start - 1 };
            out.extend(old[i..at].iter().map(|s| s.to_string()));
            i = at;
        } else if let Some(t) = line.strip_prefix(' ') {
            assert_eq!(old[i], t, "context line {i} matches");
            out.push(t.to_string());
            i += 1;
        } else if let Some(t) = line.strip_prefix('-') {
            assert_eq!(old[i], t, "deleted line {i} matches");
            i += 1;
        } else if let Some(t) = line.strip_prefix('+') {
            out.push(t.to_string());
        }
    }
    out.extend(old[i..].iter().map(|s| s.to_string()));
    out
}

#[test]
fn raw_unified_output_is_a_valid_patch() {
    let env = TestEnv::new();
    let mut pairs: Vec<(PathBuf, PathBuf)> = ["ccl", "country-groups", "iec"]
        .iter()
        .map(|s| {
            (
                fixture(&format!("{s}-before.xml")),
                fixture(&format!("{s}-after.xml")),
            )
        })
        .collect();
    if let Some(c) = corpus() {
        pairs.push((
            c.join("cfr_xml/CFR-2011-title37-vol1-part1.xml"),
            c.join("cfr_xml/CFR-2012-title37-vol1-part1.xml"),
        ));
    }
    for (a, b) in pairs {
        let (sa, sb) = (a.to_str().unwrap(), b.to_str().unwrap());
        let r = env.run(&["diff", "--raw", "--format", "unified", sa, sb]);
        r.expect_code(1);
        let old = std::fs::read_to_string(&a).unwrap();
        let new = std::fs::read_to_string(&b).unwrap();
        let rebuilt = apply_unified(&old, &r.stdout());
        assert!(
            rebuilt == new.lines().collect::<Vec<_>>(),
            "{sa}: patch does not rebuild {sb}"
        );
    }
}

// ------------------------------------------------------- pathological input

#[test]
fn pathological_inputs_finish() {
    // 100k identical lines with one change in the middle.
    let mut a = "the same line\n".repeat(100_000);
    let half = "the same line\n".repeat(50_000);
    let b = format!("{half}X\n{half}");
    let d = line_diff(&a, &b, 3);
    assert_eq!((d.deleted, d.inserted), (0, 1));
    // One huge line (5 MB) against a slightly different one.
    a = "word ".repeat(1_000_000);
    let b = format!("{a}end");
    let d = line_diff(&a, &b, 3);
    assert_eq!(d.hunks.len(), 1);
    let started = Instant::now();
    let w = word_diff(&a, &b);
    assert!(w.iter().any(|e| e.text == "end"));
    let c = compare_source(&a, &b, Instant::now() + Duration::from_secs(2));
    assert_eq!(c.other, 1);
    // Not a timing test: the bound only catches a hang (the deadlines are 2 s).
    assert!(started.elapsed() < Duration::from_secs(60));
    // Two unrelated texts of 100k lines each: the deadline keeps it bounded.
    let x: String = (0..100_000).map(|i| format!("a{i}\n")).collect();
    let y: String = (0..100_000).map(|i| format!("b{i}\n")).collect();
    let d = line_diff(&x, &y, 0);
    assert_eq!((d.deleted, d.inserted), (100_000, 100_000));
}

/// About `n` bytes of one line with no spaces (minified markup, base64).
fn one_long_line(n: usize) -> String {
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    (0..n)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            char::from(b'a' + (x % 26) as u8)
        })
        .collect()
}

#[test]
fn a_huge_single_line_diff_is_shortened_and_says_so() {
    let env = TestEnv::new();
    let a = one_long_line(2_000_000);
    // One character changed in the middle, and (second pair) a word
    // changed every 50 words so no excerpt can be small by luck.
    let mut b = a.clone();
    b.replace_range(1_000_000..1_000_001, "Z");
    let words: Vec<String> = (0..300_000).map(|i| format!("w{}", i * 7 % 1000)).collect();
    let mut changed = words.clone();
    for w in changed.iter_mut().step_by(50) {
        w.push('X');
    }
    let files = [
        ("a.txt", a),
        ("b.txt", b),
        ("c.txt", words.join(" ")),
        ("d.txt", changed.join(" ")),
    ];
    for (name, text) in &files {
        std::fs::write(env.path().join(name), text).unwrap();
    }
    // Text and Markdown: a few KB (4,000 characters of excerpt per change
    // plus headers), HTML: 100,000 characters per change; the inputs are
    // 2 MB, so anything near that means the cap is gone.
    for (x, y) in [("a.txt", "b.txt"), ("c.txt", "d.txt")] {
        for (format, limit) in [("text", 8_000), ("markdown", 8_000), ("html", 120_000)] {
            let r = env.run(&["diff", x, y, "--format", format]);
            r.expect_code(1);
            let out = r.stdout();
            assert!(
                out.len() < limit,
                "{x} {y} --format {format}: {} bytes",
                out.len()
            );
            assert!(
                out.contains(" more characters)"),
                "{format}: says it was shortened"
            );
            if x == "a.txt" {
                let change = match format {
                    "text" => "{+Z+}",
                    "markdown" => "**Z**",
                    _ => "<ins>Z</ins>",
                };
                assert!(out.contains(change), "{format} shows the change: {out}");
            }
        }
    }
}

/// A daily issue whose contained document's comment deadline moved.
fn issue_with_deadline(day: u32) -> Document {
    use regwatch::model::{DateFact, DateKind, DocKind, SourceFormat};
    let mut inner = Document::new(SourceFormat::FrXml);
    inner.meta.kind = DocKind::Rule;
    inner.meta.document_number = Some("2024-19633".into());
    inner.meta.title = Some("Commerce Control List Additions".into());
    inner.dates.push(DateFact::new(
        DateKind::CommentsClose,
        chrono::NaiveDate::from_ymd_opt(2024, 11, day).unwrap(),
        format!("Comments must be received by November {day}, 2024."),
        regwatch::model::DateSource::Text,
    ));
    let mut issue = Document::new(SourceFormat::FrXml);
    issue.meta.kind = DocKind::Collection;
    issue.documents.push(inner);
    issue
}

/// Inside a collection, a finding names its document once: as `document`
/// (the "in …" line), not again in front of the sentence.
#[test]
fn a_finding_in_a_collection_names_its_document_once() {
    let d = compare(&issue_with_deadline(5), &issue_with_deadline(20));
    assert_eq!(kinds(&d), [FlagKind::DateChanged]);
    assert_eq!(d.flags[0].document.as_deref(), Some("2024-19633"));
    let text = regwatch::report::diff_text::render_string(
        &d,
        &Default::default(),
        regwatch::report::output::Output::Plain,
        regwatch::report::diff_text::TextOptions {
            full: false,
            context: 8,
        },
    );
    let what: Vec<&str> = text
        .lines()
        .skip_while(|l| *l != "What changed")
        .skip(1)
        .take(2)
        .collect();
    assert_eq!(
        what,
        [
            "  ~ Comment deadline moved from 2024-11-05 to 2024-11-20 (extended by 15 days)",
            "      in 2024-19633"
        ],
        "{text}"
    );
    // One-line lists (summary, `changes`, JSON `message`) lead with it.
    assert_eq!(
        msg(&d.flags[0]),
        "2024-19633: Comment deadline moved from 2024-11-05 to 2024-11-20 (extended by 15 days)"
    );
}

/// Two different FR documents are not two versions of one: the diff says
/// so (a new user's try: a date "moved" between two ATF rules), while two
/// versions of one document get no such warning.
#[test]
fn comparing_two_different_fr_documents_says_so() {
    let Some(c) = corpus() else { return };
    let a = c.join("fr_xml/FR-2014-02580_ATF_27CFR447-479.xml");
    let b = c.join("fr_xml/FR-2014-06778_ATF_27CFR447_IFR.xml");
    let d = diff_files(&a, &b);
    assert!(
        d.warnings
            .iter()
            .any(|w| w.contains("different Federal Register documents")
                && w.contains("2014-02580")
                && w.contains("2014-06778")),
        "{:?}",
        d.warnings
    );
    let same = diff_files(&a, &a);
    assert!(
        !same
            .warnings
            .iter()
            .any(|w| w.contains("different Federal Register documents")),
        "{:?}",
        same.warnings
    );
}
