//! Dates that matter to a compliance calendar: effective, compliance and
//! comment-period dates, document-wide and per provision ("§ 1.16(t) is
//! effective …").
//!
//! Publication and as-of dates are left out on purpose: they change with
//! every republication and say nothing about obligations.

use std::collections::BTreeMap;

use super::{Diff, Flag, FlagKind};
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

fn what(kind: DateKind) -> &'static str {
    match kind {
        DateKind::Effective => "effective date",
        DateKind::Compliance => "compliance date",
        DateKind::CommentsOpen => "comment period opening",
        DateKind::CommentsClose => "comment deadline",
        DateKind::Published => "publication date",
        DateKind::AsOf => "as-of date",
        DateKind::Other => "date",
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
    let subject = match scope {
        Some(p) => format!("{} of {p}", what(kind)),
        None => what(kind).to_string(),
    };
    let mut f = match (before, after) {
        (Some(b), Some(a)) if b.date == a.date => return,
        (Some(b), Some(a)) => {
            let days = (a.date - b.date).num_days();
            let mut f = Flag::new(
                FlagKind::DateChanged,
                format!(
                    "{} moved from {} to {} ({})",
                    capitalize(&subject),
                    b.date,
                    a.date,
                    shift(kind, days)
                ),
            );
            f.days = Some(days);
            f
        }
        (None, Some(a)) => Flag::new(
            FlagKind::DateAdded,
            format!("{} set: {}", capitalize(&subject), a.date),
        ),
        (Some(b), None) => Flag::new(
            FlagKind::DateRemoved,
            format!("{} no longer stated (was {})", capitalize(&subject), b.date),
        ),
        (None, None) => return,
    };
    f.document = label.map(str::to_string);
    f.field = Some(kind.as_str().to_string());
    f.before = before.map(|d| d.date.to_string());
    f.after = after.map(|d| d.date.to_string());
    f.provision = scope
        .map(str::to_string)
        .or_else(|| after.or(before).and_then(|d| d.found_in.clone()));
    f.evidence.before = before.map(|d| d.evidence.clone());
    f.evidence.after = after.map(|d| d.evidence.clone());
    diff.flags.push(f);
}

/// "extended by 30 days", "delayed by 1 day", "brought forward by 14 days".
fn shift(kind: DateKind, days: i64) -> String {
    let n = days.unsigned_abs();
    let unit = if n == 1 { "day" } else { "days" };
    let verb = match (kind, days > 0) {
        (DateKind::CommentsClose, true) => "extended",
        (DateKind::CommentsClose, false) => "shortened",
        (_, true) => "delayed",
        (_, false) => "brought forward",
    };
    format!("{verb} by {n} {unit}")
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    c.next().map_or_else(String::new, |f| {
        f.to_uppercase().collect::<String>() + c.as_str()
    })
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
        let f = &d.flags[0];
        assert_eq!(f.kind, FlagKind::DateChanged);
        assert_eq!(
            f.message,
            "Comment deadline moved from 2024-11-05 to 2024-12-05 (extended by 30 days)"
        );
        assert_eq!(f.field.as_deref(), Some("comments_close"));
        assert_eq!(f.days, Some(30));
        assert_eq!(f.provision.as_deref(), Some("DATES"));
        assert!(
            f.evidence
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
        let got: Vec<&str> = d.flags.iter().map(|f| f.message.as_str()).collect();
        assert_eq!(
            got,
            [
                "Effective date of § 1.16(t) set: 2011-11-15",
                "Compliance date set: 2025-01-01"
            ]
        );
    }
}
