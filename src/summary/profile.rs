//! Watch-profile matching: which terms of a recipient's profile (ECCNs,
//! countries, license exceptions, keywords) a flag or a new document
//! touches. It reads typed findings and document models, never the
//! sentences the report words them in.

use crate::config::WatchProfile;
use crate::diff::Flag;
use crate::model::{Document, EntityKind};

/// Whether `eccn` (possibly with sub-items) falls under a watched ECCN.
fn eccn_hit(watched: &str, eccn: &str) -> bool {
    let e = eccn.to_ascii_uppercase();
    e == watched || e.starts_with(&format!("{watched}."))
}

pub(crate) fn keyword_hits(text: &str, profile: &WatchProfile) -> Vec<String> {
    let lower = text.to_lowercase();
    profile
        .keywords
        .iter()
        .filter(|k| lower.contains(k.as_str()))
        .map(|k| format!("keyword {k}"))
        .collect()
}

/// The profile terms a flag touches, from its typed fields: its ECCN,
/// country and license exception, and the words of its evidence and
/// names (a list's name, a title, a heading) for exceptions named in
/// passing, ECCNs and keywords. Never the rendered sentence.
pub fn flag_matches(f: &Flag, profile: &WatchProfile) -> Vec<String> {
    let found = &f.finding;
    let mut out = Vec::new();
    if let Some(e) = found.eccn() {
        for w in profile.eccns.iter().filter(|w| eccn_hit(w, e)) {
            out.push(format!("ECCN {w}"));
        }
    }
    if let Some(c) = found.country()
        && profile.countries.iter().any(|w| w == c)
    {
        out.push(format!("country {c}"));
    }
    let ev = found.evidence();
    let mut text = String::new();
    for s in [&ev.before, &ev.after]
        .into_iter()
        .flatten()
        .map(String::as_str)
        .chain(found.names())
    {
        text.push('\n');
        text.push_str(s);
    }
    for x in &profile.exceptions {
        let named = found.exception() == Some(x.as_str())
            || text.contains(&format!("License Exception {x}"))
            || text.contains(&format!("({x})"));
        if named {
            out.push(format!("exception {x}"));
        }
    }
    for w in &profile.eccns {
        let term = format!("ECCN {w}");
        if !out.contains(&term) && text.contains(w.as_str()) {
            out.push(term);
        }
    }
    out.extend(keyword_hits(&text, profile));
    out
}

/// The profile terms a new document touches (its entities, title, summary).
pub fn document_matches(d: &Document, profile: &WatchProfile) -> Vec<String> {
    let mut out = Vec::new();
    let mut eccns: Vec<&str> = d
        .entities_of(EntityKind::Eccn)
        .map(|e| e.id.as_str())
        .collect();
    eccns.extend(d.eccn_entries.iter().map(|e| e.eccn.as_str()));
    for w in &profile.eccns {
        if eccns.iter().any(|e| eccn_hit(w, e)) {
            out.push(format!("ECCN {w}"));
        }
    }
    for c in &profile.countries {
        if d.entities_of(EntityKind::Country).any(|e| &e.id == c) {
            out.push(format!("country {c}"));
        }
    }
    for x in &profile.exceptions {
        if d.entities_of(EntityKind::LicenseException)
            .any(|e| &e.id == x)
        {
            out.push(format!("exception {x}"));
        }
    }
    let mut text = d.meta.title.clone().unwrap_or_default();
    if let Some(s) = &d.meta.summary {
        text.push('\n');
        text.push_str(s);
    }
    for t in d.entities_of(EntityKind::Technology) {
        text.push('\n');
        text.push_str(&t.id);
    }
    out.extend(keyword_hits(&text, profile));
    for inner in &d.documents {
        for m in document_matches(inner, profile) {
            if !out.contains(&m) {
                out.push(m);
            }
        }
    }
    out
}

/// A test flag: the comment deadline moved from 2024-11-05 to 2024-12-05.
#[cfg(test)]
pub(crate) fn comment_deadline_moved() -> Flag {
    use crate::diff::{Evidence, Finding};
    use crate::model::DateKind;
    let day = |m, d| chrono::NaiveDate::from_ymd_opt(2024, m, d).unwrap_or_default();
    Flag::new(
        Finding::DateChanged {
            field: DateKind::CommentsClose,
            before: day(11, 5),
            after: day(12, 5),
            days: 30,
            scope: None,
            provision: None,
            evidence: Evidence {
                before: Some("Comments must be received by November 5.".into()),
                after: Some("Comments must be received by December 5.".into()),
            },
        },
        None,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::{CountryFinding, Evidence, Finding};

    pub(crate) fn profile(
        keywords: &[&str],
        exceptions: &[&str],
        countries: &[&str],
    ) -> WatchProfile {
        let own = |v: &[&str]| v.iter().map(|s| s.to_string()).collect();
        WatchProfile {
            keywords: own(keywords),
            exceptions: own(exceptions),
            countries: own(countries),
            ..WatchProfile::default()
        }
    }

    /// A profile matches what a flag says (its fields, evidence and
    /// names), not the words a report wraps it in.
    #[test]
    fn profile_matching_reads_the_finding_not_its_sentence() {
        let moved = comment_deadline_moved();
        // "extended by 30 days" is the report's wording, not the rule's
        // (report::digest_render's tests check that the wording says it).
        assert_eq!(
            flag_matches(&moved, &profile(&["extended"], &[], &[])),
            Vec::<String>::new()
        );
        assert_eq!(
            flag_matches(&moved, &profile(&["received"], &[], &[])),
            ["keyword received"]
        );
        let joined = Flag::new(
            Finding::CountryAdded(CountryFinding {
                country: "KR".into(),
                region: None,
                label: "Korea, South".into(),
                list: "License Exception Implemented Export Controls (IEC) — Eligible destinations"
                    .into(),
                provision: "§ 740.24(b)".into(),
                evidence: Evidence::default(),
            }),
            None,
        );
        assert_eq!(
            flag_matches(&joined, &profile(&["eligible"], &["IEC"], &["KR"])),
            ["country KR", "exception IEC", "keyword eligible"]
        );
        // A region of Ukraine reaches whoever watches Ukraine.
        let region = Flag::new(
            Finding::CountryAdded(CountryFinding {
                country: "UA".into(),
                region: Some("UA-DNR".into()),
                label: "so-called Donetsk People's Republic (DNR)".into(),
                list: "Restrictions on all License Exceptions (§ 740.2(a)(6)) — sanctioned destination"
                    .into(),
                provision: "§ 740.2(a)(6)".into(),
                evidence: Evidence::default(),
            }),
            None,
        );
        assert_eq!(
            flag_matches(&region, &profile(&[], &[], &["UA"])),
            ["country UA"]
        );
    }
}
