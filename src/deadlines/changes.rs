//! Dates one document changes of another: a notice that delays a rule's
//! effective (or compliance) date moves that rule's deadline.
//!
//! [`announced`] reads the changes a document states (a date fact with
//! `changed_from` and `of_document`); [`apply`] moves the deadline of the
//! named document when it is tracked too, matched by FR document number,
//! FR citation, RIN or title. The deadline keeps its uid (same rule, same
//! kind), so the calendar event moves in place and reminders for the old
//! date stop; `moved_from` is the date it had, `moved_by` the notice.

use chrono::{DateTime, NaiveDate, Utc};

use super::Found;
use crate::model::{DateKind, Document};
use crate::store::Version;

/// A date a document says it changes of another document.
pub(super) struct DateMove {
    kind: DateKind,
    date: NaiveDate,
    from: NaiveDate,
    /// The changed document as the text names it.
    of_document: String,
    /// The changing document: FR document number, else citation.
    by: Option<String>,
    /// Its FR document number: a notice sharing the rule's RIN must not
    /// move its own dates.
    by_number: Option<String>,
    evidence: String,
    published: Option<NaiveDate>,
    fetched: DateTime<Utc>,
}

/// The effective and compliance dates `doc` (and the documents it
/// contains) changes of other documents.
pub(super) fn announced(doc: &Document, v: &Version, out: &mut Vec<DateMove>) {
    for f in &doc.dates {
        let (Some(from), Some(of)) = (f.changed_from, &f.of_document) else {
            continue;
        };
        if !matches!(f.kind, DateKind::Effective | DateKind::Compliance) || f.provision.is_some() {
            continue;
        }
        out.push(DateMove {
            kind: f.kind,
            date: f.date,
            from,
            of_document: of.clone(),
            by: doc
                .meta
                .document_number
                .as_ref()
                .map(|n| format!("FR Doc. {n}"))
                .or_else(|| doc.meta.fr_citation.clone()),
            by_number: doc.meta.document_number.clone(),
            evidence: f.evidence.clone(),
            published: doc.meta.publication_date,
            fetched: v.fetched_at,
        });
    }
    for inner in &doc.documents {
        announced(inner, v, out);
    }
}

/// Moves the deadlines the changes name, oldest change first (so the
/// latest notice has the last word).
pub(super) fn apply(found: &mut [Found], mut moves: Vec<DateMove>, today: NaiveDate) {
    moves.sort_by_key(|m| (m.published, m.fetched));
    for m in &moves {
        for f in found.iter_mut() {
            let d = &mut f.deadline;
            if f.report
                || d.kind != m.kind
                || d.provision.is_some()
                || d.date == m.date
                || (m.by_number.is_some() && d.document == m.by_number)
                || !names(ids_of(d, &f.rins), &m.of_document)
            {
                continue;
            }
            d.moved_from = Some(m.from);
            d.date = m.date;
            d.days_left = (m.date - today).num_days();
            d.evidence = m.evidence.clone();
            d.moved_by = m.by.clone();
            d.sequence = d.sequence.saturating_add(1);
            d.updated = d.updated.max(m.fetched);
        }
    }
}

/// What a deadline's document is known by.
struct Ids<'a> {
    number: Option<&'a str>,
    citation: Option<&'a str>,
    title: Option<&'a str>,
    rins: &'a [String],
}

fn ids_of<'a>(d: &'a super::Deadline, rins: &'a [String]) -> Ids<'a> {
    Ids {
        number: d.document.as_deref(),
        citation: d.citation.as_deref(),
        title: d.title.as_deref(),
        rins,
    }
}

/// Whether `name` (`89 FR 72926`, `FR Doc. 2024-19633`, `RIN 0694-AJ60`,
/// a bare document number or a quoted title) names the document.
fn names(ids: Ids<'_>, name: &str) -> bool {
    let name = name.trim();
    let squash = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    if let Some(n) = name.strip_prefix("FR Doc.") {
        return ids.number == Some(n.trim());
    }
    if name.starts_with("RIN") {
        // The deadlines stage keeps RINs compacted (`0694AJ60`); compare
        // both sides that way.
        let r = super::compact(name);
        return ids.rins.iter().any(|x| super::compact(x) == r);
    }
    ids.number == Some(name)
        || ids.citation.is_some_and(|c| squash(c) == squash(name))
        || ids
            .title
            .is_some_and(|t| t.trim().eq_ignore_ascii_case(name))
}

#[cfg(test)]
mod tests {
    use chrono::{NaiveDate, TimeZone, Utc};

    use super::{DateMove, Ids, apply, names};
    use crate::deadlines::Found;
    use crate::deadlines::reminders::tests::deadline;
    use crate::model::DateKind;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap_or_default()
    }

    fn effective(document: &str, date: &str) -> Found {
        let mut d = deadline(date, 0);
        d.kind = DateKind::Effective;
        d.document = Some(document.into());
        Found {
            deadline: d,
            report: false,
            rins: Vec::new(),
            cites: Vec::new(),
        }
    }

    fn delay(from: &str, to: &str, by: &str, published: &str) -> DateMove {
        DateMove {
            kind: DateKind::Effective,
            date: day(to),
            from: day(from),
            of_document: "FR Doc. 2024-19633".into(),
            by: Some(format!("FR Doc. {by}")),
            by_number: Some(by.into()),
            evidence: format!("The effective date is delayed from {from} until {to}."),
            published: Some(day(published)),
            fetched: Utc.with_ymd_and_hms(2024, 12, 2, 6, 0, 0).unwrap(),
        }
    }

    #[test]
    fn the_latest_of_two_delays_has_the_last_word_and_other_rules_keep_their_dates() {
        let mut found = vec![
            effective("2024-19633", "2024-11-05"),
            effective("2024-20000", "2024-11-05"),
        ];
        // Listed newest first: applied by publication date all the same.
        let moves = vec![
            delay("2025-01-06", "2025-03-03", "2024-29000", "2024-12-01"),
            delay("2024-11-05", "2025-01-06", "2024-27001", "2024-10-30"),
        ];
        apply(&mut found, moves, day("2024-12-02"));
        let a = &found[0].deadline;
        assert_eq!(a.date, day("2025-03-03"));
        assert_eq!(a.moved_from, Some(day("2025-01-06")));
        assert_eq!(a.moved_by.as_deref(), Some("FR Doc. 2024-29000"));
        assert_eq!(a.days_left, 91);
        assert!(a.evidence.contains("until 2025-03-03"));
        assert_eq!(a.sequence, 2, "each move is a new calendar revision");
        let b = &found[1].deadline;
        assert_eq!((b.date, b.moved_from), (day("2024-11-05"), None));
    }

    #[test]
    fn a_notice_naming_the_rule_by_a_shared_rin_keeps_its_own_date() {
        let rin = vec!["0694-AJ60".to_string()];
        let mut rule = effective("2024-19633", "2024-11-05");
        rule.rins = rin.clone();
        let mut notice = effective("2024-27001", "2024-11-01");
        notice.rins = rin;
        let mut found = vec![rule, notice];
        let mut m = delay("2024-11-05", "2025-01-06", "2024-27001", "2024-10-30");
        m.of_document = "RIN 0694-AJ60".into();
        apply(&mut found, vec![m], day("2024-11-01"));
        assert_eq!(found[0].deadline.date, day("2025-01-06"));
        assert_eq!(found[1].deadline.date, day("2024-11-01"));
        assert_eq!(found[1].deadline.moved_from, None);
    }

    #[test]
    fn a_rule_is_named_by_number_citation_rin_or_title() {
        let rins = vec!["0694-AJ60".to_string()];
        let ids = || Ids {
            number: Some("2024-19633"),
            citation: Some("89 FR 72926"),
            title: Some("Commerce Control List Additions"),
            rins: &rins,
        };
        assert!(names(ids(), "FR Doc. 2024-19633"));
        assert!(names(ids(), "2024-19633"));
        assert!(names(ids(), "89 FR 72926"));
        assert!(names(ids(), "RIN 0694-AJ60"));
        assert!(names(ids(), "commerce control list additions"));
        assert!(!names(ids(), "89 FR 72927"));
        assert!(!names(ids(), "FR Doc. 2024-19634"));
        assert!(!names(ids(), "RIN 0694-AJ61"));
    }

    /// The RINs of a `Found` are compacted by `facts` (`0694AJ60`): a notice
    /// naming "RIN 0694-AJ60" still names the rule.
    #[test]
    fn a_rule_is_named_by_its_rin_as_the_deadlines_stage_stores_it() {
        let rins = vec![crate::deadlines::compact("0694-AJ60")];
        let ids = || Ids {
            number: None,
            citation: None,
            title: None,
            rins: &rins,
        };
        assert!(names(ids(), "RIN 0694-AJ60"));
        assert!(!names(ids(), "RIN 0694-AJ61"));
    }
}
