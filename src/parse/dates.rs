//! Dates and what they mean, from sentences.
//!
//! A sentence may hold several dates ("effective March 1, 2024, except
//! § 1.16(t), which is effective July 1, 2024"), so each date is classified
//! by the cue word nearest *before* it within its clause (then after it),
//! not by the sentence as a whole. "Published September 6, 2024" in a
//! notice's DATES usually names another document, so publication cues give
//! `other`; a document's own publication date comes from structured data.

use chrono::{Duration, NaiveDate};

use super::patterns::{DATE, RELATIVE, SECTION_CITE};
use super::text;
use crate::model::{DateFact, DateKind, DateSource};

/// A date found in a text, with its byte span.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Found {
    pub start: usize,
    pub end: usize,
    pub date: NaiveDate,
    pub derived: bool,
}

/// Every absolute date in `s`.
pub(crate) fn find_dates(s: &str) -> Vec<Found> {
    DATE.captures_iter(s)
        .filter_map(|c| {
            let m = c.get(0)?;
            let (y, mo, d) = if let Some(month) = c.name("m") {
                (
                    c.name("y")?.as_str(),
                    month_number(month.as_str())?,
                    c.name("d")?.as_str(),
                )
            } else if let Some(month) = c.name("m2") {
                (
                    c.name("y2")?.as_str(),
                    month_number(month.as_str())?,
                    c.name("d2")?.as_str(),
                )
            } else if let Some(y) = c.name("iy") {
                (
                    y.as_str(),
                    c.name("im")?.as_str().parse().ok()?,
                    c.name("id")?.as_str(),
                )
            } else {
                (
                    c.name("cy")?.as_str(),
                    c.name("cm")?.as_str().parse().ok()?,
                    c.name("cd")?.as_str(),
                )
            };
            let date = NaiveDate::from_ymd_opt(y.parse().ok()?, mo, d.parse().ok()?)?;
            Some(Found {
                start: m.start(),
                end: m.end(),
                date,
                derived: false,
            })
        })
        .collect()
}

/// Parses one date written any way [`find_dates`] understands.
pub(crate) fn parse_one(s: &str) -> Option<NaiveDate> {
    find_dates(s).first().map(|f| f.date)
}

fn month_number(m: &str) -> Option<u32> {
    let m = m.trim_end_matches('.').to_ascii_lowercase();
    let n = match m.get(..3)? {
        "jan" => 1,
        "feb" => 2,
        "mar" => 3,
        "apr" => 4,
        "may" => 5,
        "jun" => 6,
        "jul" => 7,
        "aug" => 8,
        "sep" => 9,
        "oct" => 10,
        "nov" => 11,
        "dec" => 12,
        _ => return None,
    };
    Some(n)
}

/// "60 days after publication" phrases, resolved against `published`.
fn find_relative(s: &str, published: NaiveDate) -> Vec<Found> {
    RELATIVE
        .captures_iter(s)
        .filter_map(|c| {
            let m = c.get(0)?;
            let n = number(c.name("n")?.as_str())?;
            Some(Found {
                start: m.start(),
                end: m.end(),
                date: published.checked_add_signed(Duration::days(n))?,
                derived: true,
            })
        })
        .collect()
}

fn number(word: &str) -> Option<i64> {
    if let Ok(n) = word.parse() {
        return Some(n);
    }
    let n = match word.to_ascii_lowercase().replace(" and ", " ").as_str() {
        "one" => 1,
        "two" => 2,
        "three" => 3,
        "five" => 5,
        "seven" => 7,
        "ten" => 10,
        "fourteen" => 14,
        "fifteen" => 15,
        "twenty" => 20,
        "thirty" => 30,
        "forty-five" => 45,
        "sixty" => 60,
        "seventy-five" => 75,
        "ninety" => 90,
        "one hundred twenty" => 120,
        "one hundred eighty" => 180,
        _ => return None,
    };
    Some(n)
}

/// Cue words and the date kind they signal. Order does not matter: the
/// occurrence nearest the date wins.
const CUES: &[(&str, DateKind)] = &[
    ("effective", DateKind::Effective),
    ("take effect", DateKind::Effective),
    ("takes effect", DateKind::Effective),
    ("took effect", DateKind::Effective),
    ("生效", DateKind::Effective),
    ("施行", DateKind::Effective),
    ("实施", DateKind::Effective),
    ("compliance", DateKind::Compliance),
    ("comply", DateKind::Compliance),
    ("comment", DateKind::CommentsClose),
    ("意见", DateKind::CommentsClose),
    ("评论", DateKind::CommentsClose),
    ("征求", DateKind::CommentsClose),
    ("published", DateKind::Other),
    ("publication", DateKind::Other),
    ("issued", DateKind::Other),
    ("signed", DateKind::Other),
    ("dated", DateKind::Other),
    ("filed", DateKind::Other),
    ("announced", DateKind::Other),
    ("released", DateKind::Other),
    ("发布", DateKind::Other),
    ("公布", DateKind::Other),
];

/// Phrases just before a comment date that mean the period *opens* then.
const OPENS: &[&str] = &[
    "opens on",
    "begins on",
    "beginning on",
    "reopened on",
    "open on",
    "starting",
];

/// Finds the cue nearest the end of `window` (`from_end`) or its start.
fn nearest_cue(window: &str, from_end: bool) -> Option<(DateKind, usize)> {
    let lower = window.to_lowercase();
    let mut best: Option<(DateKind, usize)> = None;
    for (cue, kind) in CUES {
        let pos = if from_end {
            lower.rfind(cue).map(|i| i + cue.len())
        } else {
            lower.find(cue)
        };
        if let Some(p) = pos {
            let better = match best {
                None => true,
                Some((_, b)) => (from_end && p > b) || (!from_end && p < b),
            };
            if better {
                best = Some((*kind, p));
            }
        }
    }
    best.map(|(kind, p)| {
        if kind == DateKind::CommentsClose
            && OPENS
                .iter()
                .any(|o| lower[p.min(lower.len())..].contains(o))
        {
            (DateKind::CommentsOpen, p)
        } else {
            (kind, p)
        }
    })
}

/// Where to look for dates and how strictly.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Scope {
    /// A DATES block: every date counts, uncued ones as `other`.
    DatesBlock,
    /// Running text: only cued dates count.
    Prose,
}

/// Extracts dated facts from one block of text.
pub(crate) fn extract(
    block: &str,
    found_in: Option<&str>,
    scope: Scope,
    published: Option<NaiveDate>,
    out: &mut Vec<DateFact>,
) {
    for sentence in text::sentences(block) {
        let mut found = find_dates(sentence);
        if let Some(p) = published {
            found.extend(find_relative(sentence, p));
        }
        if found.is_empty() {
            continue;
        }
        found.sort_by_key(|f| f.start);
        let mut prev_end = 0;
        for (i, f) in found.iter().enumerate() {
            if f.start < prev_end {
                continue; // overlapping forms of one date
            }
            let window = &sentence[prev_end..f.start];
            let next_start = found.get(i + 1).map_or(sentence.len(), |n| n.start);
            let after = &sentence[f.end..next_start.max(f.end)];
            let kind = nearest_cue(window, true)
                .or_else(|| nearest_cue(after, false))
                .map(|(k, _)| k);
            let kind = match (kind, scope) {
                (Some(k), _) => k,
                (None, Scope::DatesBlock) => DateKind::Other,
                (None, Scope::Prose) => {
                    prev_end = f.end;
                    continue;
                }
            };
            let provision = window
                .to_lowercase()
                .contains("except")
                .then(|| {
                    SECTION_CITE.captures_iter(window).last().map(|c| {
                        format!(
                            "§ {}{}",
                            &c["sec"],
                            c.name("par").map_or("", |m| m.as_str())
                        )
                    })
                })
                .flatten();
            push_unique(
                out,
                DateFact {
                    kind,
                    date: f.date,
                    evidence: sentence.to_string(),
                    provision,
                    found_in: found_in.map(str::to_string),
                    source: DateSource::Text,
                    derived: f.derived,
                },
            );
            prev_end = f.end;
        }
    }
}

/// Adds a fact unless the same kind, date and provision is already known
/// (the first evidence is kept: it is usually the DATES sentence).
pub(crate) fn push_unique(out: &mut Vec<DateFact>, fact: DateFact) {
    let dup = out.iter().any(|f| {
        f.kind == fact.kind
            && f.date == fact.date
            && f.provision == fact.provision
            && f.source == fact.source
    });
    if !dup {
        out.push(fact);
    }
}

/// A structured (API) date fact.
pub(crate) fn api_fact(kind: DateKind, date: NaiveDate, field: &str, value: &str) -> DateFact {
    DateFact {
        kind,
        date,
        evidence: format!("{field}: {value}"),
        provision: None,
        found_in: None,
        source: DateSource::Api,
        derived: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(text: &str, published: Option<NaiveDate>) -> Vec<(DateKind, String, Option<String>)> {
        let mut out = Vec::new();
        extract(text, None, Scope::DatesBlock, published, &mut out);
        out.into_iter()
            .map(|f| (f.kind, f.date.to_string(), f.provision))
            .collect()
    }

    #[test]
    fn effective_and_comment_dates_from_one_block() {
        let got = facts(
            "Effective date: This interim final rule is effective April 28, 2014. Comment date: Written comments must be postmarked and electronic comments must be submitted on or before June 25, 2014.",
            None,
        );
        assert_eq!(
            got,
            vec![
                (DateKind::Effective, "2014-04-28".into(), None),
                (DateKind::CommentsClose, "2014-06-25".into(), None),
            ]
        );
    }

    #[test]
    fn except_clause_ties_the_second_date_to_its_section() {
        let got = facts(
            "This rule is effective March 1, 2024, except for the amendment to § 740.24(b), which is effective April 15, 2024.",
            None,
        );
        assert_eq!(
            got,
            vec![
                (DateKind::Effective, "2024-03-01".into(), None),
                (
                    DateKind::Effective,
                    "2024-04-15".into(),
                    Some("§ 740.24(b)".into())
                ),
            ]
        );
    }

    #[test]
    fn relative_dates_resolve_against_publication() {
        let p = NaiveDate::from_ymd_opt(2024, 9, 6);
        let got = facts(
            "This rule is effective 60 days after publication in the Federal Register.",
            p,
        );
        assert_eq!(got, vec![(DateKind::Effective, "2024-11-05".into(), None)]);
        let got = facts(
            "Comments must be received within thirty (30) days following the date of publication.",
            p,
        );
        assert_eq!(
            got,
            vec![(DateKind::CommentsClose, "2024-10-06".into(), None)]
        );
    }

    #[test]
    fn a_referenced_publication_is_not_the_comment_deadline() {
        let got = facts(
            "The comment period for the interim final rule published September 6, 2024 (89 FR 72926), is extended. Comments must be received by December 5, 2024.",
            None,
        );
        assert_eq!(
            got,
            vec![
                (DateKind::Other, "2024-09-06".into(), None),
                (DateKind::CommentsClose, "2024-12-05".into(), None),
            ]
        );
    }

    #[test]
    fn compliance_and_reopened_comment_periods() {
        let got = facts(
            "This rule is effective January 2, 2025. The compliance date for the reporting requirements in § 743.8 is delayed until June 30, 2025.",
            None,
        );
        assert_eq!(
            got,
            vec![
                (DateKind::Effective, "2025-01-02".into(), None),
                (DateKind::Compliance, "2025-06-30".into(), None),
            ]
        );
        let got = facts(
            "The comment period reopened on March 3, 2025. Comments must be received by April 2, 2025.",
            None,
        );
        assert_eq!(
            got,
            vec![
                (DateKind::CommentsOpen, "2025-03-03".into(), None),
                (DateKind::CommentsClose, "2025-04-02".into(), None),
            ]
        );
    }

    #[test]
    fn chinese_iso_and_abbreviated_forms() {
        assert_eq!(
            parse_one("2024年9月5日"),
            NaiveDate::from_ymd_opt(2024, 9, 5)
        );
        assert_eq!(
            parse_one("Sept. 6, 2024"),
            NaiveDate::from_ymd_opt(2024, 9, 6)
        );
        assert_eq!(
            parse_one("6 September 2024"),
            NaiveDate::from_ymd_opt(2024, 9, 6)
        );
        assert_eq!(parse_one("2024-09-06"), NaiveDate::from_ymd_opt(2024, 9, 6));
        assert_eq!(parse_one("February 30, 2024"), None);
        let got = facts(
            "该规则自2024年9月6日起生效，意见征求截止日期为2024年11月5日。",
            None,
        );
        assert_eq!(
            got,
            vec![
                (DateKind::Effective, "2024-09-06".into(), None),
                (DateKind::CommentsClose, "2024-11-05".into(), None),
            ]
        );
    }

    #[test]
    fn prose_keeps_only_cued_dates() {
        let mut out = Vec::new();
        extract(
            "On September 5, 2024, BIS issued a rule. Nothing happened on May 1, 2020. The rule took effect September 6, 2024.",
            None,
            Scope::Prose,
            None,
            &mut out,
        );
        let got: Vec<_> = out.iter().map(|f| (f.kind, f.date.to_string())).collect();
        assert_eq!(
            got,
            vec![
                (DateKind::Other, "2024-09-05".into()),
                (DateKind::Effective, "2024-09-06".into())
            ]
        );
    }
}
