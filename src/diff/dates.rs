//! Dates that matter to a compliance calendar: effective, compliance and
//! comment-period dates, document-wide and per provision ("§ 1.16(t) is
//! effective …").
//!
//! Publication and as-of dates are left out on purpose: they change with
//! every republication and say nothing about obligations.

use std::collections::BTreeMap;

use super::{DateFinding, Diff, Evidence, Finding, Flag};
use crate::model::{DateFact, DateKind, Document};

/// The kinds compared.
const KINDS: [DateKind; 4] = [
    DateKind::Effective,
    DateKind::Compliance,
    DateKind::CommentsOpen,
    DateKind::CommentsClose,
];

/// Compares the dates of two documents.
pub fn compare(before: &Document, after: &Document, label: Option<&str>, diff: &mut Diff) {
    for kind in KINDS {
        one(kind, None, before.date(kind), after.date(kind), label, diff);
        // Provision-specific dates: one per (kind, provision), first wins.
        let scoped = |d: &Document| -> BTreeMap<String, DateFact> {
            let mut m = BTreeMap::new();
            for f in d.dates.iter().filter(|f| f.kind == kind) {
                if let Some(p) = &f.provision {
                    m.entry(p.clone()).or_insert_with(|| f.clone());
                }
            }
            m
        };
        let (old, new) = (scoped(before), scoped(after));
        for (p, f) in &new {
            one(kind, Some(p), old.get(p), Some(f), label, diff);
        }
        for (p, f) in &old {
            if !new.contains_key(p) {
                one(kind, Some(p), Some(f), None, label, diff);
            }
        }
    }
}

fn one(
    kind: DateKind,
    scope: Option<&str>,
    before: Option<&DateFact>,
    after: Option<&DateFact>,
    label: Option<&str>,
    diff: &mut Diff,
) {
    let evidence = Evidence {
        before: before.map(|d| d.evidence.clone()),
        after: after.map(|d| d.evidence.clone()),
    };
    let scope = scope.map(str::to_string);
    let provision = scope
        .clone()
        .or_else(|| after.or(before).and_then(|d| d.found_in.clone()));
    let stated = |d: &DateFact| DateFinding {
        field: kind,
        date: d.date,
        scope: scope.clone(),
        provision: provision.clone(),
        evidence: evidence.clone(),
    };
    let finding = match (before, after) {
        (Some(b), Some(a)) if b.date == a.date => return,
        (Some(b), Some(a)) => Finding::DateChanged {
            field: kind,
            before: b.date,
            after: a.date,
            days: (a.date - b.date).num_days(),
            scope: scope.clone(),
            provision: provision.clone(),
            evidence: evidence.clone(),
        },
        (None, Some(a)) => Finding::DateAdded(stated(a)),
        (Some(b), None) => Finding::DateRemoved(stated(b)),
        (None, None) => return,
    };
    diff.flags.push(Flag::new(finding, label));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{DateSource, SourceFormat};
    use chrono::NaiveDate;

    fn fact(kind: DateKind, y: i32, m: u32, d: u32, evidence: &str) -> DateFact {
        DateFact {
            found_in: Some("DATES".into()),
            ..DateFact::new(
                kind,
                NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default(),
                evidence.into(),
                DateSource::Text,
            )
        }
    }

    #[test]
    fn comment_deadline_extension() {
        let mut before = Document::new(SourceFormat::FrApiJson);
        before.dates.push(fact(
            DateKind::CommentsClose,
            2024,
            11,
            5,
            "Comments must be received by November 5, 2024.",
        ));
        before.dates.push(fact(
            DateKind::Effective,
            2024,
            9,
            6,
            "Effective September 6, 2024.",
        ));
        let mut after = before.clone();
        after.dates[0] = fact(
            DateKind::CommentsClose,
            2024,
            12,
            5,
            "Comments must be received by December 5, 2024.",
        );
        let mut d = Diff::default();
        compare(&before, &after, None, &mut d);
        assert_eq!(d.flags.len(), 1);
        let Finding::DateChanged {
            field,
            before,
            after,
            days,
            scope,
            provision,
            evidence,
        } = &d.flags[0].finding
        else {
            panic!("{:#?}", d.flags[0]);
        };
        assert_eq!(*field, DateKind::CommentsClose);
        assert_eq!(before.to_string(), "2024-11-05");
        assert_eq!(after.to_string(), "2024-12-05");
        assert_eq!(*days, 30);
        assert_eq!(*scope, None);
        assert_eq!(provision.as_deref(), Some("DATES"));
        assert!(
            evidence
                .before
                .as_deref()
                .unwrap_or("")
                .contains("November")
        );
    }

    #[test]
    fn added_and_scoped_dates() {
        let before = Document::new(SourceFormat::FrXml);
        let mut after = before.clone();
        after.dates.push(fact(
            DateKind::Compliance,
            2025,
            1,
            1,
            "Compliance by January 1, 2025.",
        ));
        let mut scoped = fact(
            DateKind::Effective,
            2011,
            11,
            15,
            "§ 1.16(t) is effective …",
        );
        scoped.provision = Some("§ 1.16(t)".into());
        after.dates.push(scoped);
        let mut d = Diff::default();
        compare(&before, &after, None, &mut d);
        let got: Vec<(DateKind, Option<&str>, String)> = d
            .flags
            .iter()
            .map(|f| match &f.finding {
                Finding::DateAdded(a) => (a.field, a.scope.as_deref(), a.date.to_string()),
                other => panic!("{other:#?}"),
            })
            .collect();
        assert_eq!(
            got,
            [
                (DateKind::Effective, Some("§ 1.16(t)"), "2011-11-15".into()),
                (DateKind::Compliance, None, "2025-01-01".into())
            ]
        );
    }
}
