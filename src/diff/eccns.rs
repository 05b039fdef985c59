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

use super::normalize::normalize;
use super::words::{excerpt_pair, shorten};
use super::{Diff, Flag, FlagKind};
use crate::model::vocab::LICENSE_EXCEPTIONS;
use crate::model::{Document, EccnEntry, EntityKind, Provision, ProvisionKind};

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
    for e in &after.eccn_entries {
        match old.get(e.eccn.as_str()) {
            None => {
                let mut f = Flag::new(
                    FlagKind::EccnAdded,
                    format!("ECCN {} added ({})", e.eccn, container(after, e)),
                );
                f.eccn = Some(e.eccn.clone());
                f.after = Some(e.heading.clone());
                f.evidence.after = Some(entry_evidence(e));
                push(diff, f, label, &e.provision);
            }
            Some(b) => modified(before, b, after, e, label, diff),
        }
    }
    for e in &before.eccn_entries {
        if !new.contains_key(e.eccn.as_str()) {
            let mut f = Flag::new(
                FlagKind::EccnRemoved,
                format!("ECCN {} removed ({})", e.eccn, container(before, e)),
            );
            f.eccn = Some(e.eccn.clone());
            f.before = Some(e.heading.clone());
            f.evidence.before = Some(entry_evidence(e));
            push(diff, f, label, &e.provision);
        }
    }
}

fn push(diff: &mut Diff, mut f: Flag, label: Option<&str>, provision: &str) {
    f.document = label.map(str::to_string);
    f.provision = Some(provision.to_string());
    diff.flags.push(f);
}

/// Where the CCL lives in this document ("Supplement No. 1 to Part 774"):
/// the nearest supplement above the entry's provision.
fn container(doc: &Document, e: &EccnEntry) -> String {
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
        .unwrap_or_else(|| "Commerce Control List".to_string())
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

fn modified(
    before_doc: &Document,
    b: &EccnEntry,
    after_doc: &Document,
    a: &EccnEntry,
    label: Option<&str>,
    diff: &mut Diff,
) {
    let eccn = &a.eccn;
    let mut explained = false;
    let mut flag = |field: &str, message: String, before: String, after: String| {
        let mut f = Flag::new(FlagKind::EccnModified, message);
        f.eccn = Some(eccn.clone());
        f.field = Some(field.to_string());
        let some = |s: String| (!s.is_empty()).then_some(s);
        f.evidence.before = some(clip(before.clone()));
        f.evidence.after = some(clip(after.clone()));
        f.before = some(before);
        f.after = some(after);
        f
    };
    let mut out = Vec::new();
    if normalize(&b.heading) != normalize(&a.heading) {
        out.push(flag(
            "heading",
            format!("ECCN {eccn}: heading changed"),
            b.heading.clone(),
            a.heading.clone(),
        ));
    }
    let rb: BTreeSet<&str> = b.reasons_for_control.iter().map(String::as_str).collect();
    let ra: BTreeSet<&str> = a.reasons_for_control.iter().map(String::as_str).collect();
    if rb != ra {
        let gained: Vec<&str> = ra.difference(&rb).copied().collect();
        let lost: Vec<&str> = rb.difference(&ra).copied().collect();
        let mut what = Vec::new();
        if !gained.is_empty() {
            what.push(format!("{} added", gained.join(", ")));
        }
        if !lost.is_empty() {
            what.push(format!("{} removed", lost.join(", ")));
        }
        out.push(flag(
            "reasons_for_control",
            format!(
                "ECCN {eccn}: reasons for control changed ({})",
                what.join("; ")
            ),
            b.reasons_for_control.join(", "),
            a.reasons_for_control.join(", "),
        ));
    }
    // License exception lines.
    for line in &a.license_exceptions {
        match b
            .license_exceptions
            .iter()
            .find(|l| l.symbol == line.symbol)
        {
            None => {
                let mut f = Flag::new(
                    FlagKind::LicenseExceptionAdded,
                    format!(
                        "ECCN {eccn}: License Exception {} line added ({})",
                        line.symbol,
                        shorten(&line.text, 80)
                    ),
                );
                f.eccn = Some(eccn.clone());
                f.exception = Some(line.symbol.clone());
                f.after = Some(line.text.clone());
                f.evidence.after = Some(format!("{}: {}", line.symbol, line.text));
                out.push(f);
            }
            Some(old) if normalize(&old.text) != normalize(&line.text) => {
                let mut f = flag(
                    "license_exceptions",
                    format!(
                        "ECCN {eccn}: License Exception {} line changed",
                        line.symbol
                    ),
                    old.text.clone(),
                    line.text.clone(),
                );
                f.exception = Some(line.symbol.clone());
                out.push(f);
            }
            Some(_) => {}
        }
    }
    for line in &b.license_exceptions {
        if !a.license_exceptions.iter().any(|l| l.symbol == line.symbol) {
            let mut f = Flag::new(
                FlagKind::LicenseExceptionRemoved,
                format!(
                    "ECCN {eccn}: License Exception {} line removed",
                    line.symbol
                ),
            );
            f.eccn = Some(eccn.clone());
            f.exception = Some(line.symbol.clone());
            f.before = Some(line.text.clone());
            f.evidence.before = Some(format!("{}: {}", line.symbol, line.text));
            out.push(f);
        }
    }
    explained |= !out.is_empty();
    // Item paragraphs (3B001.c.1.a …).
    let pb = before_doc.provision(&b.provision);
    let pa = after_doc.provision(&a.provision);
    if let (Some(pb), Some(pa)) = (pb, pa) {
        if let Some(f) = items(eccn, pb, pa, &mut flag) {
            out.push(f);
            explained = true;
        }
        if !explained && normalize(&pb.text) != normalize(&pa.text) {
            let (eb, ea) = excerpt_pair(&pb.text, &pa.text);
            out.push(flag(
                "text",
                format!("ECCN {eccn}: entry text changed"),
                eb,
                ea,
            ));
        }
    }
    for f in out {
        push(diff, f, label, &a.provision);
    }
}

/// One flag for the item paragraphs an entry gained, lost or reworded.
fn items(
    eccn: &str,
    before: &Provision,
    after: &Provision,
    flag: &mut dyn FnMut(&str, String, String, String) -> Flag,
) -> Option<Flag> {
    let collect = |p: &Provision| -> Vec<(String, String)> {
        let mut v = Vec::new();
        fn walk(p: &Provision, prefix: &str, v: &mut Vec<(String, String)>) {
            for c in &p.children {
                if c.kind == ProvisionKind::EccnItem {
                    let short =
                        c.id.strip_prefix(prefix)
                            .unwrap_or(&c.id)
                            .trim_start_matches('.')
                            .to_string();
                    v.push((short, c.text.clone()));
                }
                walk(c, prefix, v);
            }
        }
        walk(p, &p.id, &mut v);
        v
    };
    let old = collect(before);
    let new = collect(after);
    let old_map: HashMap<&str, &str> = old.iter().map(|(k, t)| (k.as_str(), t.as_str())).collect();
    let new_map: HashMap<&str, &str> = new.iter().map(|(k, t)| (k.as_str(), t.as_str())).collect();
    let added: Vec<&(String, String)> = new
        .iter()
        .filter(|(k, _)| !old_map.contains_key(k.as_str()))
        .collect();
    let removed: Vec<&(String, String)> = old
        .iter()
        .filter(|(k, _)| !new_map.contains_key(k.as_str()))
        .collect();
    let reworded: Vec<&(String, String)> = new
        .iter()
        .filter(|(k, t)| {
            old_map
                .get(k.as_str())
                .is_some_and(|o| normalize(o) != normalize(t))
        })
        .collect();
    if added.is_empty() && removed.is_empty() && reworded.is_empty() {
        return None;
    }
    let names = |v: &[&(String, String)]| {
        v.iter()
            .map(|(k, _)| k.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut what = Vec::new();
    if !added.is_empty() {
        what.push(format!(
            "{} added",
            plural_items(&names(&added), added.len())
        ));
    }
    if !removed.is_empty() {
        what.push(format!(
            "{} removed",
            plural_items(&names(&removed), removed.len())
        ));
    }
    if !reworded.is_empty() {
        what.push(format!(
            "{} reworded",
            plural_items(&names(&reworded), reworded.len())
        ));
    }
    let texts = |v: &[&(String, String)], side: &HashMap<&str, &str>| {
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
    Some(flag(
        "items",
        format!("ECCN {eccn}: {}", what.join("; ")),
        before_text,
        after_text,
    ))
}

fn plural_items(names: &str, n: usize) -> String {
    if n == 1 {
        format!("item {names}")
    } else {
        format!("items {names}")
    }
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
    for (symbol, section) in &new {
        if !old.iter().any(|(s, _)| s == symbol) {
            let mut f = Flag::new(
                FlagKind::LicenseExceptionAdded,
                format!("License Exception {symbol} added ({section})"),
            );
            f.exception = Some(symbol.to_string());
            f.evidence.after = Some(describe(after, section));
            push(diff, f, label, section);
        }
    }
    for (symbol, section) in &old {
        if !new.iter().any(|(s, _)| s == symbol) {
            let mut f = Flag::new(
                FlagKind::LicenseExceptionRemoved,
                format!("License Exception {symbol} removed ({section})"),
            );
            f.exception = Some(symbol.to_string());
            f.evidence.before = Some(describe(before, section));
            push(diff, f, label, section);
        }
    }
}
