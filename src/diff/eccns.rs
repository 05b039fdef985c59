//! The Commerce Control List and license exceptions.
//!
//! ECCN entries are matched by ECCN. An entry that appears is
//! `eccn_added`; one that goes is `eccn_removed`; a kept entry whose
//! heading, reasons for control, item paragraphs or other text change is
//! `eccn_modified` (one flag per aspect, so "3B001 gains items c.1.a,
//! c.1.c and q" and "3B001's IEC line changed" are separate claims). A
//! license exception line an entry gains or loses is
//! `license_exception_added` / `_removed` with the `eccn`; a section of
//! part 740 that starts (or stops) defining an exception is the same flag
//! without one.

use std::collections::{BTreeSet, HashMap};

use super::normalize::{normalize, same_substance};
use super::words::excerpt_pair;
use super::{
    CountryFinding, Diff, EccnField, EccnFinding, Evidence, ExceptionFinding, Finding, Flag,
};
use crate::model::countries::region;
use crate::model::vocab::LICENSE_EXCEPTIONS;
use crate::model::{
    Document, EccnEntry, EntityKind, ExceptionLine, LicenseRequirementRow, Provision, ProvisionKind,
};
use crate::parse::places_named;

/// Longest evidence text kept per flag side.
const MAX_EVIDENCE: usize = 1_000;

/// Compares the CCL entries of two documents.
pub fn compare(before: &Document, after: &Document, label: Option<&str>, diff: &mut Diff) {
    if before.eccn_entries.is_empty() && after.eccn_entries.is_empty() {
        return;
    }
    let old: HashMap<&str, &EccnEntry> = before
        .eccn_entries
        .iter()
        .map(|e| (e.eccn.as_str(), e))
        .collect();
    let new: HashMap<&str, &EccnEntry> = after
        .eccn_entries
        .iter()
        .map(|e| (e.eccn.as_str(), e))
        .collect();
    // Each kept entry looks its provision up on both sides: index them
    // once instead of walking the whole tree per entry.
    let (old_provisions, new_provisions) = (provisions_by_id(before), provisions_by_id(after));
    for e in &after.eccn_entries {
        match old.get(e.eccn.as_str()) {
            None => {
                let evidence = Evidence {
                    before: None,
                    after: Some(entry_evidence(e)),
                };
                let f = Finding::EccnAdded(eccn_finding(after, e, evidence));
                diff.flags.push(Flag::new(f, label));
            }
            Some(b) => {
                let pb = old_provisions.get(b.provision.as_str()).copied();
                let pa = new_provisions.get(e.provision.as_str()).copied();
                modified(b, pb, e, pa, label, diff)
            }
        }
    }
    for e in &before.eccn_entries {
        if !new.contains_key(e.eccn.as_str()) {
            let evidence = Evidence {
                before: Some(entry_evidence(e)),
                after: None,
            };
            let f = Finding::EccnRemoved(eccn_finding(before, e, evidence));
            diff.flags.push(Flag::new(f, label));
        }
    }
}

/// Every provision of a document by id; the first in document order wins,
/// as with [`Document::provision`].
fn provisions_by_id(doc: &Document) -> HashMap<&str, &Provision> {
    fn walk<'a>(ps: &'a [Provision], out: &mut HashMap<&'a str, &'a Provision>) {
        for p in ps {
            out.entry(p.id.as_str()).or_insert(p);
            walk(&p.children, out);
        }
    }
    let mut out = HashMap::new();
    walk(&doc.provisions, &mut out);
    out
}

fn eccn_finding(doc: &Document, e: &EccnEntry, evidence: Evidence) -> EccnFinding {
    EccnFinding {
        eccn: e.eccn.clone(),
        heading: e.heading.clone(),
        within: container(doc, e),
        provision: e.provision.clone(),
        evidence,
    }
}

/// Where the CCL lives in this document ("Supplement No. 1 to Part 774"):
/// the nearest supplement above the entry's provision.
fn container(doc: &Document, e: &EccnEntry) -> Option<String> {
    fn walk<'a>(ps: &'a [Provision], id: &str, path: &mut Vec<&'a Provision>) -> bool {
        for p in ps {
            if p.id == id {
                return true;
            }
            path.push(p);
            if walk(&p.children, id, path) {
                return true;
            }
            path.pop();
        }
        false
    }
    let mut path = Vec::new();
    walk(&doc.provisions, &e.provision, &mut path)
        .then(|| {
            path.iter()
                .rev()
                .find(|p| p.kind == ProvisionKind::Supplement)
                .map(|p| p.id.clone())
        })
        .flatten()
}

fn entry_evidence(e: &EccnEntry) -> String {
    let mut s = format!("{} {}", e.eccn, e.heading);
    if !e.reasons_for_control.is_empty() {
        s.push_str(&format!(
            " Reason for Control: {}.",
            e.reasons_for_control.join(", ")
        ));
    }
    clip(s)
}

fn clip(s: String) -> String {
    if s.len() <= MAX_EVIDENCE {
        return s;
    }
    let end = crate::parse::text::floor_char_boundary(&s, MAX_EVIDENCE);
    format!("{}…", &s[..end])
}

/// One aspect of a kept entry that changed, before it becomes an
/// `eccn_modified` finding.
struct Aspect {
    field: EccnField,
    exception: Option<String>,
    added: Vec<String>,
    removed: Vec<String>,
    reworded: Vec<String>,
    before: String,
    after: String,
}

impl Aspect {
    fn new(field: EccnField, before: String, after: String) -> Aspect {
        Aspect {
            field,
            exception: None,
            added: Vec::new(),
            removed: Vec::new(),
            reworded: Vec::new(),
            before,
            after,
        }
    }

    fn finding(self, eccn: &str, provision: &str) -> Finding {
        let some = |s: String| (!s.is_empty()).then_some(s);
        Finding::EccnModified {
            eccn: eccn.to_string(),
            field: self.field,
            exception: self.exception,
            added: self.added,
            removed: self.removed,
            reworded: self.reworded,
            evidence: Evidence {
                before: some(clip(self.before.clone())),
                after: some(clip(self.after.clone())),
            },
            before: some(self.before),
            after: some(self.after),
            provision: provision.to_string(),
        }
    }
}

/// A license exception line of an ECCN entry that came (`added`) or went.
fn exception_line(eccn: &str, line: &ExceptionLine, provision: &str, added: bool) -> Finding {
    // A line that only limits the exception ("License Exception STA may
    // not be used to ship …", "N/A") grants nothing: it arriving is not
    // the exception becoming available, so it is a change of the entry's
    // exception lines, never `license_exception_added`.
    if restricts(&line.text) {
        let (before, after) = if added {
            (String::new(), line.text.clone())
        } else {
            (line.text.clone(), String::new())
        };
        let x = Aspect {
            exception: Some(line.symbol.clone()),
            ..Aspect::new(EccnField::LicenseExceptions, before, after)
        };
        return x.finding(eccn, provision);
    }
    let x = ExceptionFinding {
        exception: line.symbol.clone(),
        eccn: Some(eccn.to_string()),
        line: Some(line.text.clone()),
        provision: provision.to_string(),
        evidence: Evidence::default(),
    };
    came_or_went(x, added, format!("{}: {}", line.symbol, line.text))
}

/// Whether an exception line limits or denies the exception instead of
/// making it available: "N/A", "No", "… may not be used …", "… is not
/// available …", "… not eligible …".
fn restricts(text: &str) -> bool {
    let t = text.trim().trim_end_matches('.').to_ascii_lowercase();
    t == "n/a"
        || t == "no"
        || t.starts_with("n/a ")
        || t.starts_with("no,")
        || [
            "may not be used",
            "is not available",
            "not eligible",
            "may not be exported",
        ]
        .iter()
        .any(|p| t.contains(p))
}

/// `x` as an arrival (`added`) or a departure, `said` its evidence on
/// that side.
fn came_or_went(mut x: ExceptionFinding, added: bool, said: String) -> Finding {
    if added {
        x.evidence.after = Some(said);
        Finding::LicenseExceptionAdded(x)
    } else {
        x.evidence.before = Some(said);
        Finding::LicenseExceptionRemoved(x)
    }
}

/// The flags of an entry kept from `b` to `a`; `pb` and `pa` are their
/// provisions.
fn modified(
    b: &EccnEntry,
    pb: Option<&Provision>,
    a: &EccnEntry,
    pa: Option<&Provision>,
    label: Option<&str>,
    diff: &mut Diff,
) {
    let eccn = a.eccn.as_str();
    let here = a.provision.as_str();
    let mut out: Vec<Finding> = Vec::new();
    if !same_substance(&b.heading, &a.heading) {
        let x = Aspect::new(EccnField::Heading, b.heading.clone(), a.heading.clone());
        out.push(x.finding(eccn, here));
    }
    let rb: BTreeSet<&str> = b.reasons_for_control.iter().map(String::as_str).collect();
    let ra: BTreeSet<&str> = a.reasons_for_control.iter().map(String::as_str).collect();
    if rb != ra {
        let x = Aspect {
            added: ra.difference(&rb).map(|s| s.to_string()).collect(),
            removed: rb.difference(&ra).map(|s| s.to_string()).collect(),
            ..Aspect::new(
                EccnField::ReasonsForControl,
                b.reasons_for_control.join(", "),
                a.reasons_for_control.join(", "),
            )
        };
        out.push(x.finding(eccn, here));
    }
    // License exception lines.
    for line in &a.license_exceptions {
        match b
            .license_exceptions
            .iter()
            .find(|l| l.symbol == line.symbol)
        {
            None => out.push(exception_line(eccn, line, here, true)),
            Some(old) if !same_substance(&old.text, &line.text) => {
                let x = Aspect {
                    exception: Some(line.symbol.clone()),
                    ..Aspect::new(
                        EccnField::LicenseExceptions,
                        old.text.clone(),
                        line.text.clone(),
                    )
                };
                out.push(x.finding(eccn, here));
            }
            Some(_) => {}
        }
    }
    for line in &b.license_exceptions {
        if !a.license_exceptions.iter().any(|l| l.symbol == line.symbol) {
            out.push(exception_line(eccn, line, here, false));
        }
    }
    // License Requirements rows (reasons for control and Country Chart
    // columns, or a rule such as "To or within Macau or … D:5").
    requirements(b, a, here, &mut out);
    let (rb, ra) = (
        b.related_controls.as_deref().unwrap_or(""),
        a.related_controls.as_deref().unwrap_or(""),
    );
    if !same_substance(rb, ra) {
        let x = Aspect::new(EccnField::RelatedControls, rb.to_string(), ra.to_string());
        out.push(x.finding(eccn, here));
    }
    if let Some(x) = notes(b, a) {
        out.push(x.finding(eccn, here));
    }
    let mut explained = !out.is_empty();
    // Item paragraphs (3B001.c.1.a …).
    if let (Some(pb), Some(pa)) = (pb, pa) {
        if let Some(x) = items(pb, pa) {
            out.push(x.finding(eccn, here));
            explained = true;
        }
        if !explained && !same_substance(&pb.text, &pa.text) {
            let (eb, ea) = excerpt_pair(&pb.text, &pa.text);
            out.push(Aspect::new(EccnField::Text, eb, ea).finding(eccn, here));
        }
    }
    diff.flags
        .extend(out.into_iter().map(|f| Flag::new(f, label)));
}

/// The License Requirements rows of a kept entry: a country a row's rule
/// newly names (or no longer names) is `country_added` (`_removed`) with
/// the row as its list ("United Arab Emirates added to ECCN 3A001's
/// license requirement: RS applies to 3A001.z…"); rows gained or lost, and
/// rows changed otherwise, are one `eccn_modified` aspect
/// (`license_requirements`). Rows are matched by what they control.
fn requirements(b: &EccnEntry, a: &EccnEntry, here: &str, out: &mut Vec<Finding>) {
    let key = |r: &LicenseRequirementRow| normalize(&r.control);
    let mut aspect = Aspect::new(EccnField::LicenseRequirements, String::new(), String::new());
    let mut changed_rows: Vec<(&LicenseRequirementRow, &LicenseRequirementRow)> = Vec::new();
    for row in &a.country_chart {
        match b.country_chart.iter().find(|o| key(o) == key(row)) {
            None => aspect.added.push(row.control.clone()),
            Some(old) if !same_substance(&old.chart, &row.chart) => {
                changed_rows.push((old, row));
            }
            Some(_) => {}
        }
    }
    for row in &b.country_chart {
        if !a.country_chart.iter().any(|r| key(r) == key(row)) {
            aspect.removed.push(row.control.clone());
        }
    }
    let row_text = |r: &LicenseRequirementRow| format!("{} | {}", r.control, r.chart);
    for (old, new) in changed_rows {
        let before = places_named(&old.chart);
        let after = places_named(&new.chart);
        let list = format!("ECCN {}'s license requirement: {}", a.eccn, new.control);
        let evidence = Evidence {
            before: Some(clip(row_text(old))),
            after: Some(clip(row_text(new))),
        };
        let found = out.len();
        let arrived: fn(CountryFinding) -> Finding = Finding::CountryAdded;
        let went: fn(CountryFinding) -> Finding = Finding::CountryRemoved;
        for (these, others, finding) in [(&after, &before, arrived), (&before, &after, went)] {
            for (id, label) in these {
                if !others.iter().any(|(o, _)| o == id) {
                    out.push(finding(place(id, label, &list, here, &evidence)));
                }
            }
        }
        if out.len() == found {
            aspect.reworded.push(new.control.clone());
        }
    }
    if !(aspect.added.is_empty() && aspect.removed.is_empty() && aspect.reworded.is_empty()) {
        let rows = |e: &EccnEntry| {
            e.country_chart
                .iter()
                .map(row_text)
                .collect::<Vec<_>>()
                .join("; ")
        };
        aspect.before = rows(b);
        aspect.after = rows(a);
        out.push(aspect.finding(&a.eccn, here));
    }
}

/// A place named in a license requirement row, as a country finding.
fn place(
    id: &str,
    label: &str,
    list: &str,
    provision: &str,
    evidence: &Evidence,
) -> CountryFinding {
    let (country, region) = match region(id) {
        Some(r) => (r.parent.to_string(), Some(id.to_string())),
        None => (id.to_string(), None),
    };
    CountryFinding {
        country,
        region,
        label: label.to_string(),
        list: list.to_string(),
        provision: provision.to_string(),
        evidence: evidence.clone(),
    }
}

/// The notes an entry gained, lost or reworded, as one aspect; a note is
/// named by its heading ("Note 1 to paragraph 0A502.e", "Technical Note"),
/// an unheaded one by its place ("note 2"). A renumbering ("Note 1" that
/// became "Note 3" with the same text) is a note removed and one added.
fn notes(b: &EccnEntry, a: &EccnEntry) -> Option<Aspect> {
    // Several notes may share a heading ("Note:"): the second is "Note (2)".
    let named = |e: &EccnEntry| -> Vec<(String, String)> {
        let mut seen: HashMap<String, usize> = HashMap::new();
        e.notes
            .iter()
            .enumerate()
            .map(|(i, n)| {
                let mut name = if n.heading.trim().is_empty() {
                    format!("note {}", i + 1)
                } else {
                    n.heading.trim().trim_end_matches(':').to_string()
                };
                let count = seen.entry(name.clone()).or_insert(0);
                *count += 1;
                if *count > 1 {
                    name = format!("{name} ({count})");
                }
                (name, normalize(&n.text))
            })
            .collect()
    };
    let (old, new) = (named(b), named(a));
    let find =
        |v: &[(String, String)], k: &str| v.iter().find(|(n, _)| n == k).map(|(_, t)| t.clone());
    let mut x = Aspect::new(
        EccnField::Notes,
        b.notes
            .iter()
            .map(|n| n.text.as_str())
            .collect::<Vec<_>>()
            .join(" "),
        a.notes
            .iter()
            .map(|n| n.text.as_str())
            .collect::<Vec<_>>()
            .join(" "),
    );
    for (name, text) in &new {
        match find(&old, name) {
            None => x.added.push(name.clone()),
            Some(t) if t != *text => x.reworded.push(name.clone()),
            Some(_) => {}
        }
    }
    for (name, _) in &old {
        if find(&new, name).is_none() {
            x.removed.push(name.clone());
        }
    }
    (!(x.added.is_empty() && x.removed.is_empty() && x.reworded.is_empty())).then_some(x)
}

/// The item paragraphs an entry gained, lost or reworded, as one aspect.
fn items(before: &Provision, after: &Provision) -> Option<Aspect> {
    fn collect(p: &Provision) -> Vec<(String, &str)> {
        let mut v = Vec::new();
        fn walk<'a>(p: &'a Provision, prefix: &str, v: &mut Vec<(String, &'a str)>) {
            for c in &p.children {
                if c.kind == ProvisionKind::EccnItem {
                    let short =
                        c.id.strip_prefix(prefix)
                            .unwrap_or(&c.id)
                            .trim_start_matches('.')
                            .to_string();
                    v.push((short, c.text.as_str()));
                }
                walk(c, prefix, v);
            }
        }
        walk(p, &p.id, &mut v);
        v
    }
    let old = collect(before);
    let new = collect(after);
    let old_map: HashMap<&str, &str> = old.iter().map(|(k, t)| (k.as_str(), *t)).collect();
    let new_map: HashMap<&str, &str> = new.iter().map(|(k, t)| (k.as_str(), *t)).collect();
    let added: Vec<&(String, &str)> = new
        .iter()
        .filter(|(k, _)| !old_map.contains_key(k.as_str()))
        .collect();
    let removed: Vec<&(String, &str)> = old
        .iter()
        .filter(|(k, _)| !new_map.contains_key(k.as_str()))
        .collect();
    let reworded: Vec<&(String, &str)> = new
        .iter()
        .filter(|(k, t)| {
            old_map
                .get(k.as_str())
                .is_some_and(|o| !same_substance(o, t))
        })
        .collect();
    if added.is_empty() && removed.is_empty() && reworded.is_empty() {
        return None;
    }
    let texts = |v: &[&(String, &str)], side: &HashMap<&str, &str>| {
        v.iter()
            .filter_map(|(k, _)| side.get(k.as_str()).map(|t| t.to_string()))
            .collect::<Vec<_>>()
            .join("\n")
    };
    let before_text = [texts(&removed, &old_map), texts(&reworded, &old_map)]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join("\n");
    let after_text = [texts(&added, &new_map), texts(&reworded, &new_map)]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join("\n");
    let names = |v: &[&(String, &str)]| v.iter().map(|(k, _)| k.clone()).collect();
    Some(Aspect {
        added: names(&added),
        removed: names(&removed),
        reworded: names(&reworded),
        ..Aspect::new(EccnField::Items, before_text, after_text)
    })
}

/// License exceptions a document *defines*: those whose own section of
/// part 740 (`§ 740.24` for IEC) is among the provisions that name them.
fn defined_exceptions(doc: &Document) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    for e in doc.entities_of(EntityKind::LicenseException) {
        let Some(x) = LICENSE_EXCEPTIONS.iter().find(|x| x.symbol == e.id) else {
            continue;
        };
        if x.section.is_empty() {
            continue;
        }
        let section = format!("§ {}", x.section);
        if e.provisions.contains(&section) && !out.iter().any(|(s, _)| *s == x.symbol) {
            out.push((x.symbol, section));
        }
    }
    out
}

/// Compares which license exceptions two documents define.
pub fn compare_defined_exceptions(
    before: &Document,
    after: &Document,
    label: Option<&str>,
    diff: &mut Diff,
) {
    let old = defined_exceptions(before);
    let new = defined_exceptions(after);
    let describe = |doc: &Document, section: &str| -> String {
        doc.provision(section).map_or_else(String::new, |p| {
            let mut s = p.heading.clone().unwrap_or_default();
            let first = if p.text.is_empty() {
                p.children.first().map(|c| c.text.as_str()).unwrap_or("")
            } else {
                p.text.as_str()
            };
            if !first.is_empty() {
                s.push(' ');
                s.push_str(first);
            }
            clip(s)
        })
    };
    for (added, mine, theirs, doc) in [(true, &new, &old, after), (false, &old, &new, before)] {
        for (symbol, section) in mine {
            if !theirs.iter().any(|(s, _)| s == symbol) {
                let x = ExceptionFinding {
                    exception: symbol.to_string(),
                    eccn: None,
                    line: None,
                    provision: section.clone(),
                    evidence: Evidence::default(),
                };
                let f = came_or_went(x, added, describe(doc, section));
                diff.flags.push(Flag::new(f, label));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(notes: &[(&str, &str)], rows: &[(&str, &str)]) -> EccnEntry {
        let notes: Vec<_> = notes
            .iter()
            .map(|(h, t)| serde_json::json!({"heading": h, "text": t}))
            .collect();
        let rows: Vec<_> = rows
            .iter()
            .map(|(c, ch)| serde_json::json!({"control": c, "chart": ch}))
            .collect();
        serde_json::from_value(serde_json::json!({
            "eccn": "5D001", "heading": "Software", "provision": "ECCN 5D001",
            "notes": notes, "country_chart": rows,
        }))
        .unwrap()
    }

    #[test]
    fn notes_sharing_a_heading_are_told_apart_by_their_place() {
        let b = entry(&[("Note:", "first."), ("Note:", "second.")], &[]);
        assert!(notes(&b, &b).is_none(), "a self-diff has no notes aspect");
        let a = entry(&[("Note:", "first."), ("Note:", "second, reworded.")], &[]);
        let x = notes(&b, &a).unwrap();
        assert_eq!(x.reworded, vec!["Note (2)".to_string()]);
        assert!(x.added.is_empty() && x.removed.is_empty());
        let c = entry(&[("Note:", "First")], &[]);
        assert!(notes(&b, &c).unwrap().removed == vec!["Note (2)".to_string()]);
        // Case and a closing full stop are editorial, not a reworded note.
        assert!(notes(&entry(&[("Note:", "first")], &[]), &c).is_none());
    }

    #[test]
    fn a_place_a_requirement_row_newly_names_is_a_country_added_other_rows_an_aspect() {
        let rs = "RS applies to 3A001.z";
        let b = entry(
            &[],
            &[
                ("NS applies to entire entry", "NS Column 2"),
                (rs, "China, Macau or a destination in Country Group D:5"),
            ],
        );
        let a = entry(
            &[],
            &[
                (
                    rs,
                    "China, Macau, United Arab Emirates or a destination in Country Group D:5",
                ),
                ("CC applies to entire entry", "CC Column 1"),
            ],
        );
        let mut out = Vec::new();
        requirements(&b, &a, "ECCN 5D001", &mut out);
        let added: Vec<_> = out
            .iter()
            .filter_map(|f| match f {
                Finding::CountryAdded(c) => Some((c.country.as_str(), c.list.as_str())),
                _ => None,
            })
            .collect();
        assert_eq!(
            added,
            vec![(
                "AE",
                "ECCN 5D001's license requirement: RS applies to 3A001.z"
            )]
        );
        let aspect = out.iter().find_map(|f| match f {
            Finding::EccnModified {
                field,
                added,
                removed,
                reworded,
                ..
            } => Some((*field, added, removed, reworded)),
            _ => None,
        });
        let (field, added, removed, reworded) = aspect.unwrap();
        assert_eq!(field, EccnField::LicenseRequirements);
        assert_eq!(added, &vec!["CC applies to entire entry".to_string()]);
        assert_eq!(removed, &vec!["NS applies to entire entry".to_string()]);
        assert!(
            reworded.is_empty(),
            "the RS row is explained by the country"
        );
        let mut none = Vec::new();
        requirements(&a, &a, "ECCN 5D001", &mut none);
        assert!(none.is_empty());
    }

    #[test]
    fn a_line_that_limits_an_exception_is_never_the_exception_added() {
        // Real: 9A012's STA line of 91 FR 46261 (2026).
        let sta = ExceptionLine {
            symbol: "STA".into(),
            text: "License Exception STA may not be used to ship commodities in 9A012.a that are controlled for missile technology (MT) reasons".into(),
        };
        assert!(matches!(
            exception_line("9A012", &sta, "ECCN 9A012", true),
            Finding::EccnModified {
                field: EccnField::LicenseExceptions,
                ..
            }
        ));
        let na = ExceptionLine {
            symbol: "GBS".into(),
            text: "N/A".into(),
        };
        assert!(matches!(
            exception_line("9A012", &na, "ECCN 9A012", false),
            Finding::EccnModified { .. }
        ));
        let iec = ExceptionLine {
            symbol: "IEC".into(),
            text:
                "Yes, for 3B001.c.1.a, c.1.c, and .q, see § 740.2(a)(22) and § 740.24 of the EAR."
                    .into(),
        };
        assert!(matches!(
            exception_line("3B001", &iec, "ECCN 3B001", true),
            Finding::LicenseExceptionAdded(_)
        ));
    }
}
