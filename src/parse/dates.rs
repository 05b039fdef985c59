//! Dates and what they mean, from sentences.
//!
//! A sentence may hold several dates ("effective March 1, 2024, except
//! § 1.16(t), which is effective July 1, 2024"), so each date is classified
//! by the cue word nearest *before* it within its clause (then after it),
//! not by the sentence as a whole. "Published September 6, 2024" in a
//! notice's DATES usually names another document, so publication cues give
//! `other`; a document's own publication date comes from structured data.

use chrono::{Duration, Months, NaiveDate};

use super::patterns::{
    DATE, DATE_PAIR, FR_CITE, FR_DOC, NUMERIC_DATE, RELATIVE, RELATIVE_TO_DATE, RIN, SECTION_CITE,
};
use super::text;
use crate::model::{DateFact, DateKind, DateOrigin, DateSource};

/// A date found in a text, with its byte span.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Found {
    pub start: usize,
    pub end: usize,
    pub date: NaiveDate,
    pub derived: bool,
}

impl Found {
    fn at(start: usize, end: usize, date: NaiveDate, derived: bool) -> Found {
        Found {
            start,
            end,
            date,
            derived,
        }
    }
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
            Some(Found::at(m.start(), m.end(), date, false))
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

/// Dates a relative phrase can be counted from.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Anchors {
    /// The document's publication date.
    pub published: Option<NaiveDate>,
    /// The document's own effective date, once known.
    pub effective: Option<NaiveDate>,
}

/// Phrases before a relative period that make it someone else's window
/// ("OMB is required to make a decision … between 30 and 60 days after
/// publication"; "SSA will submit it to OMB within 60 days"), not a date
/// the public must meet.
const OTHER_ACTOR: &[&str] = &[
    "make a decision",
    "decision concerning",
    "decision about",
    "submit it to omb",
    "submit them to omb",
];

/// "60 days after publication", "12 months from the effective date"
/// phrases, resolved against the anchor they name; phrases whose anchor is
/// unknown, and other actors' windows, are skipped.
fn find_relative(s: &str, anchors: Anchors) -> Vec<Found> {
    // Lower-cased only when a period is found (most sentences have none).
    let mut lower: Option<String> = None;
    RELATIVE
        .captures_iter(s)
        .filter_map(|c| {
            let m = c.get(0)?;
            let lower = lower.get_or_insert_with(|| s.to_lowercase());
            let before = lower.get(..m.start()).unwrap_or("");
            let near =
                &before[text::floor_char_boundary(before, before.len().saturating_sub(24))..];
            if near.contains("between") || OTHER_ACTOR.iter().any(|p| before.contains(p)) {
                return None;
            }
            let n = number(c.name("n")?.as_str())?;
            let anchor = c.name("anchor")?.as_str().to_ascii_lowercase();
            let from = if anchor.contains("effective") {
                anchors.effective?
            } else {
                anchors.published?
            };
            let date = add_period(from, n, c.name("unit")?.as_str())?;
            Some(Found::at(m.start(), m.end(), date, true))
        })
        .collect()
}

/// `from` plus `n` days, weeks, months or years (calendar months for the
/// last two).
fn add_period(from: NaiveDate, n: i64, unit: &str) -> Option<NaiveDate> {
    let unit = unit.to_ascii_lowercase();
    if unit.starts_with("day") {
        from.checked_add_signed(Duration::days(n))
    } else if unit.starts_with("week") {
        from.checked_add_signed(Duration::weeks(n))
    } else {
        let months = if unit.starts_with("year") { n * 12 } else { n };
        from.checked_add_months(Months::new(u32::try_from(months).ok()?))
    }
}

/// A date counted from another date in the sentence: "30 days after
/// March 11, 2024" is April 10, 2024 (derived), spanning the phrase.
fn counted_from(s: &str, f: Found) -> Found {
    let before = &s[text::floor_char_boundary(s, f.start.saturating_sub(60))..f.start];
    let Some(c) = RELATIVE_TO_DATE.captures(before) else {
        return f;
    };
    let (Some(m), Some(n), Some(unit)) = (c.get(0), c.name("n"), c.name("unit")) else {
        return f;
    };
    let lower = s[..f.start].to_lowercase();
    let near =
        &lower[text::floor_char_boundary(&lower, lower.len().saturating_sub(m.len() + 24))..];
    if near.contains("between") || OTHER_ACTOR.iter().any(|p| lower.contains(p)) {
        return f;
    }
    match number(n.as_str()).and_then(|n| add_period(f.date, n, unit.as_str())) {
        Some(date) => Found::at(f.start - before.len() + m.start(), f.end, date, true),
        None => f,
    }
}

/// "2/20/24" and "2/1/2024" (month first, as the FR prints them).
fn find_numeric(s: &str) -> Vec<Found> {
    NUMERIC_DATE
        .captures_iter(s)
        .filter_map(|c| {
            let m = c.get(0)?;
            let y: i32 = c.name("y")?.as_str().parse().ok()?;
            let y = if y < 100 { 2000 + y } else { y };
            let date = NaiveDate::from_ymd_opt(
                y,
                c.name("m")?.as_str().parse().ok()?,
                c.name("d")?.as_str().parse().ok()?,
            )?;
            Some(Found::at(m.start(), m.end(), date, false))
        })
        .collect()
}

/// "May 20 and 21, 2024": both days (the second spans the year).
fn find_pairs(s: &str) -> Vec<Found> {
    DATE_PAIR
        .captures_iter(s)
        .filter_map(|c| {
            let m = c.get(0)?;
            let y = c.name("y")?.as_str().parse().ok()?;
            let mo = month_number(c.name("m")?.as_str())?;
            let d1 = NaiveDate::from_ymd_opt(y, mo, c.name("d1")?.as_str().parse().ok()?)?;
            let d2 = NaiveDate::from_ymd_opt(y, mo, c.name("d2")?.as_str().parse().ok()?)?;
            let split = c.name("d2")?.start();
            Some([
                Found::at(m.start(), c.name("d1")?.end(), d1, false),
                Found::at(split, m.end(), d2, false),
            ])
        })
        .flatten()
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
        "four" => 4,
        "five" => 5,
        "six" => 6,
        "seven" => 7,
        "ten" => 10,
        "twelve" => 12,
        "fourteen" => 14,
        "fifteen" => 15,
        "eighteen" => 18,
        "twenty" => 20,
        "twenty-four" => 24,
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

/// Whether the cue at `i` is the word itself: "comment" and "comments"
/// are cues, "commentary" and "commenters" are not.
fn whole_cue(lower: &str, i: usize, cue: &str) -> bool {
    if cue != "comment" {
        return true;
    }
    let rest = &lower[i + cue.len()..];
    let rest = rest.strip_prefix('s').unwrap_or(rest);
    !rest.chars().next().is_some_and(char::is_alphabetic)
}

/// Finds the cue nearest the end of `window` (`from_end`) or its start.
fn nearest_cue(window: &str, from_end: bool) -> Option<(DateKind, usize)> {
    let lower = window.to_lowercase();
    let mut best: Option<(DateKind, usize)> = None;
    for (cue, kind) in CUES {
        let pos = if from_end {
            lower
                .rmatch_indices(cue)
                .find(|(i, _)| whole_cue(&lower, *i, cue))
                .map(|(i, _)| i + cue.len())
        } else {
            lower
                .match_indices(cue)
                .find(|(i, _)| whole_cue(&lower, *i, cue))
                .map(|(i, _)| i)
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
    /// Running text of a report: only cued dates count.
    Prose,
    /// The body of an FR document: only comment deadlines, and only when
    /// deadline words ("by", "on or before", "no later than", "Comment
    /// Date:") stand between the cue and the date. Numeric dates
    /// ("2/20/24") count here.
    Body,
}

/// Words between a comment cue and a date that make the date a deadline.
const DEADLINE_WORDS: &[&str] = &[
    " by ",
    "on or before",
    "no later than",
    "not later than",
    "until",
    "through",
    "due",
    "within",
    "date:",
    "before",
];

/// A comment deadline in an FR document's body: a comment cue (or SEC's
/// "All submissions … should be submitted") before the date, and deadline
/// words right before it ("… not later than February 27, 2024").
/// "Notice and comment" names a procedure, not comments anyone may send.
fn body_deadline(window: &str) -> Option<DateKind> {
    let lower = window
        .to_lowercase()
        .replace("notice and comment", "notice and procedure");
    let cued = nearest_cue(&lower, true).is_some_and(|(k, _)| k == DateKind::CommentsClose)
        || lower.contains("all submissions");
    let tail = &lower[text::floor_char_boundary(&lower, lower.len().saturating_sub(40))..];
    let tail = format!("{tail} ");
    (cued && DEADLINE_WORDS.iter().any(|w| tail.contains(w))).then_some(DateKind::CommentsClose)
}

/// Phrases that make a stated date conditional.
const CONDITIONS: &[&str] = &[
    "if no ",
    "unless ",
    "a minimum of",
    "whichever is later",
    "if adverse",
    "if significant adverse",
    "if we receive",
];

/// Verbs that announce a changed date ("delays the effective date from X
/// until Y", "Comments, which were originally due X, will now be accepted
/// through Y").
const CHANGE_VERBS: &[&str] = &[
    "delay",
    "chang",
    "extend",
    "postpon",
    "defer",
    "originally",
    "previously",
    "instead of",
];

/// Whether dates `x` and `y` (in that order) are an old date and its
/// replacement: "from X to Y", "from X, until Y", "originally due X, will
/// now be accepted through Y", with a change verb before X. `lower` is the
/// sentence lower-cased (offsets as in the sentence).
fn change_pair(lower: &str, x: &Found, y: &Found) -> bool {
    let (Some(before), Some(between)) = (lower.get(..x.start), lower.get(x.end..y.start)) else {
        return false;
    };
    let between: Vec<&str> = between
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let joins = between.len() <= 8
        && between
            .last()
            .is_some_and(|w| matches!(*w, "to" | "until" | "through" | "till"));
    let b = before.trim_end_matches([' ', ',']);
    let near = &b[text::floor_char_boundary(b, b.len().saturating_sub(40))..];
    let from = b.ends_with("from") || near.contains("originally") || near.contains("previously");
    joins && from && CHANGE_VERBS.iter().any(|v| before.contains(v))
}

/// Whether the date names a document rather than stating one of its
/// dates: "its September 6, 2024 interim final rule", "the document
/// published on December 13, 2023 (88 FR 86333)", or is a date that no
/// longer holds ("originally due November 5, 2024"). `lower` is the
/// sentence lower-cased.
fn names_document(lower: &str, f: &Found) -> bool {
    let after = lower.get(f.end..).unwrap_or("");
    let after = after.trim_start_matches([',', ' ']);
    let after = match after.strip_prefix('(') {
        Some(a) if a.split(')').next().is_some_and(|c| c.contains(" fr ")) => a
            .split_once(')')
            .map_or("", |(_, r)| r)
            .trim_start_matches([',', ' ']),
        _ => after,
    };
    let mut words = after.split_whitespace();
    let mut named = false;
    for w in words.by_ref().take(4) {
        let w = w.trim_matches(|c: char| !c.is_alphanumeric());
        match w {
            "interim" | "final" | "proposed" | "direct" | "temporary" | "advance" => continue,
            "rule" | "rules" | "rulemaking" | "notice" | "document" | "regulation"
            | "regulations" => {
                named = true;
                break;
            }
            _ => break,
        }
    }
    if named {
        return true;
    }
    let before = lower.get(..f.start).unwrap_or("").trim_end();
    [
        "published on",
        "published in the federal register on",
        "published",
        "issued on",
        "dated",
        "originally due",
        "previously due",
        "originally scheduled for",
        "originally set for",
    ]
    .iter()
    .any(|p| before.ends_with(p))
}

/// The other document a changed date belongs to, when the sentence names
/// one: an FR citation, an FR document number, a RIN or a quoted title.
fn named_document(sentence: &str) -> Option<String> {
    if let Some(c) = FR_CITE.captures(sentence) {
        return Some(format!("{} FR {}", &c["vol"], &c["page"]));
    }
    if let Some(i) = sentence.find("FR Doc")
        && let Some(c) = FR_DOC.captures(&sentence[i..])
    {
        return Some(format!("FR Doc. {}", &c["num"]));
    }
    if let Some(c) = RIN.captures(sentence) {
        return Some(format!("RIN {}", &c["rin"]));
    }
    let open = sentence.find(['\u{201C}', '"'])?;
    let rest = &sentence[open..];
    let first = rest.chars().next()?;
    let body = &rest[first.len_utf8()..];
    let close = body.find(['\u{201D}', '"'])?;
    let title = body[..close].trim().trim_end_matches(',');
    (title.split_whitespace().count() >= 3).then(|| title.to_string())
}

/// Every date in a sentence: absolute, paired ("May 20 and 21, 2024"),
/// numeric (body only) and relative, in text order, overlaps removed.
fn dates_in(sentence: &str, scope: Scope, anchors: Anchors) -> Vec<Found> {
    let mut found = find_pairs(sentence);
    for f in find_dates(sentence) {
        if !found.iter().any(|p| p.start < f.end && f.start < p.end) {
            found.push(counted_from(sentence, f));
        }
    }
    if scope == Scope::Body {
        // "2/20/24": nothing to find without a slash.
        if sentence.contains('/') {
            found.extend(find_numeric(sentence));
        }
    }
    if names_an_anchor(sentence.as_bytes()) {
        found.extend(find_relative(sentence, anchors));
    }
    found.sort_by_key(|f| (f.start, std::cmp::Reverse(f.end)));
    let mut out: Vec<Found> = Vec::with_capacity(found.len());
    for f in found {
        if out.last().is_none_or(|l| f.start >= l.end) {
            out.push(f);
        }
    }
    out
}

/// Whether [`dates_in`] can find anything in `s`: every date form it reads
/// has an ASCII digit, except a period counted in words ("thirty days
/// after publication", "… following the effective date"), which names
/// the publication or the effective date. Most sentences have neither and
/// skip the regular expressions.
fn may_hold_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.iter().any(u8::is_ascii_digit) || names_an_anchor(b)
}

/// Whether a period counted from the publication or the effective date
/// ([`RELATIVE`]) can be in `s`: it names one of them.
fn names_an_anchor(s: &[u8]) -> bool {
    contains_ascii_ci(s, b"publication") || contains_ascii_ci(s, b"effective")
}

/// Whether a comment deadline can be in `s`, as [`body_deadline`] reads
/// one: it needs a comment cue ([`CUES`]) or "all submissions" before
/// the date. A body text without either is skipped whole (an FR issue's
/// notices are mostly such text).
fn may_hold_deadline(s: &str) -> bool {
    let b = s.as_bytes();
    contains_ascii_ci(b, b"comment")
        || contains_ascii_ci(b, b"all submissions")
        || CUES.iter().any(|(cue, kind)| {
            *kind == DateKind::CommentsClose && !cue.is_ascii() && s.contains(cue)
        })
}

/// ASCII case-insensitive substring test (`needle` in lower case, led by
/// a letter): candidates are found by their first byte in either case.
fn contains_ascii_ci(haystack: &[u8], needle: &[u8]) -> bool {
    let Some((&first, rest)) = needle.split_first() else {
        return true;
    };
    memchr::memchr2_iter(first, first.to_ascii_uppercase(), haystack).any(|i| {
        haystack
            .get(i + 1..i + needle.len())
            .is_some_and(|w| w.eq_ignore_ascii_case(rest))
    })
}

/// Extracts dated facts from one block of text.
pub(crate) fn extract(
    block: &str,
    found_in: Option<&str>,
    scope: Scope,
    anchors: Anchors,
    out: &mut Vec<DateFact>,
) {
    let origin = match scope {
        Scope::DatesBlock => DateOrigin::DatesSection,
        Scope::Prose | Scope::Body => DateOrigin::Body,
    };
    // Body text keeps only comment deadlines: text naming no comment cue
    // holds none.
    let wanted = |s: &str| may_hold_date(s) && (scope != Scope::Body || may_hold_deadline(s));
    if !wanted(block) {
        return;
    }
    for sentence in text::sentences(block) {
        if !wanted(sentence) {
            continue;
        }
        let found = dates_in(sentence, scope, anchors);
        if found.is_empty() {
            continue;
        }
        let lower = sentence.to_lowercase();
        let conditional = CONDITIONS.iter().any(|c| lower.contains(c));
        // An old date and its replacement: only the new one is a fact.
        let mut replaced: Vec<Option<NaiveDate>> = vec![None; found.len()];
        let mut old = vec![false; found.len()];
        for i in 1..found.len() {
            if change_pair(&lower, &found[i - 1], &found[i]) {
                old[i - 1] = true;
                replaced[i] = Some(found[i - 1].date);
            }
        }
        let mut prev_end = 0;
        for (i, f) in found.iter().enumerate() {
            if old[i] {
                continue; // history: the cue before it classifies the new date
            }
            let window = &sentence[prev_end.min(f.start)..f.start];
            let next_start = found.get(i + 1).map_or(sentence.len(), |n| n.start);
            let after = &sentence[f.end..next_start.max(f.end)];
            let names_doc = replaced[i].is_none() && names_document(&lower, f);
            let before_cue = nearest_cue(window, true);
            let kind = if names_doc {
                Some(DateKind::Other)
            } else if scope == Scope::Body {
                body_deadline(window)
            } else {
                before_cue
                    .or_else(|| nearest_cue(after, false))
                    .map(|(k, _)| k)
            };
            // A date naming a rule is transparent: the cue before it still
            // classifies the next date ("extends the comment period on its
            // September 6, 2024 interim final rule to December 5").
            if !names_doc {
                prev_end = f.end;
            }
            let kind = match (kind, scope) {
                (Some(k), _) => k,
                (None, Scope::DatesBlock) => DateKind::Other,
                (None, _) => continue,
            };
            if scope == Scope::Body && kind != DateKind::CommentsClose {
                continue;
            }
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
                    provision,
                    found_in: found_in.map(str::to_string),
                    derived: f.derived,
                    origin: Some(origin),
                    changed_from: replaced[i],
                    of_document: replaced[i].and_then(|_| named_document(sentence)),
                    conditional: conditional
                        && !matches!(kind, DateKind::CommentsClose | DateKind::CommentsOpen),
                    ..DateFact::new(kind, f.date, sentence.to_string(), DateSource::Text)
                },
            );
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
        origin: Some(DateOrigin::Api),
        ..DateFact::new(kind, date, format!("{field}: {value}"), DateSource::Api)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(text: &str, published: Option<NaiveDate>) -> Vec<(DateKind, String, Option<String>)> {
        let mut out = Vec::new();
        extract(
            text,
            None,
            Scope::DatesBlock,
            Anchors {
                published,
                effective: None,
            },
            &mut out,
        );
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
            Anchors::default(),
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
    /// Every fact of `text` read in `scope`, in full.
    fn all(text: &str, scope: Scope, anchors: Anchors) -> Vec<DateFact> {
        let mut out = Vec::new();
        extract(text, Some("DATES"), scope, anchors, &mut out);
        out
    }

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
    }

    /// 2024-02-12, the publication date of the corpus's full FR issue.
    fn issue() -> Anchors {
        Anchors {
            published: Some(ymd(2024, 2, 12)),
            effective: None,
        }
    }

    fn brief(f: &[DateFact]) -> Vec<(DateKind, String)> {
        f.iter().map(|f| (f.kind, f.date.to_string())).collect()
    }

    #[test]
    fn commentary_is_not_a_comment_and_a_changed_effective_date_reads_forward() {
        // CFPB (2013), as quoted in the issue.
        let got = all(
            "This rule changes the effective date from January 10, 2014, to January 1, 2014, for the amendments to §§ 1026.35(b)(2)(iii) and 1026.36(a) and commentary to §§ 1026.35 and 1026.36.",
            Scope::DatesBlock,
            Anchors::default(),
        );
        assert_eq!(
            brief(&got),
            vec![(DateKind::Effective, "2014-01-01".into())]
        );
        assert_eq!(got[0].changed_from, Some(ymd(2014, 1, 10)));
        // "commenters" is no cue either: this date stays uncued.
        let got = all(
            "Two commenters referred to the rule published on September 22, 2023.",
            Scope::Prose,
            Anchors::default(),
        );
        assert_eq!(brief(&got), vec![(DateKind::Other, "2023-09-22".into())]);
    }

    #[test]
    fn a_delayed_effective_date_is_the_new_date_with_the_old_one_and_the_rule_named() {
        let got = all(
            "This final rule delays the effective date from August 1, 2015, until October 3, 2015.",
            Scope::DatesBlock,
            Anchors::default(),
        );
        assert_eq!(
            brief(&got),
            vec![(DateKind::Effective, "2015-10-03".into())]
        );
        assert_eq!(got[0].changed_from, Some(ymd(2015, 8, 1)));
        assert_eq!(got[0].of_document, None);
        // The same sentence naming the rule it delays (constructed around
        // the real citation of the TILA-RESPA rule, 78 FR 79730).
        let got = all(
            "The Bureau delays the effective date of the TILA-RESPA Integrated Disclosure rule (78 FR 79730) from August 1, 2015, to October 3, 2015.",
            Scope::DatesBlock,
            Anchors::default(),
        );
        assert_eq!(
            brief(&got),
            vec![(DateKind::Effective, "2015-10-03".into())]
        );
        assert_eq!(got[0].of_document.as_deref(), Some("78 FR 79730"));
    }

    #[test]
    fn an_extended_comment_period_is_the_new_deadline_not_the_rules_date() {
        // The demo's BIS press release of 2024-10-15.
        let got = all(
            "WASHINGTON, D.C. \u{2014} The Bureau of Industry and Security (BIS) is extending by thirty days the public comment period on its September 6, 2024 interim final rule controlling certain quantum computing, semiconductor manufacturing, and additive manufacturing items (89 FR 72926). Comments, which were originally due November 5, 2024, will now be accepted through December 5, 2024.",
            Scope::Prose,
            Anchors::default(),
        );
        assert_eq!(
            brief(&got),
            vec![
                (DateKind::Other, "2024-09-06".into()),
                (DateKind::CommentsClose, "2024-12-05".into()),
            ]
        );
        assert_eq!(got[1].changed_from, Some(ymd(2024, 11, 5)));
        // FDA notice 2024-02836 (FR 2024-02-12), DATES.
        let got = all(
            "FDA is extending the comment period on the document published on December 13, 2023 (88 FR 86333). Either electronic or written comments must be submitted by March 13, 2024.",
            Scope::DatesBlock,
            issue(),
        );
        assert_eq!(
            brief(&got),
            vec![
                (DateKind::Other, "2023-12-13".into()),
                (DateKind::CommentsClose, "2024-03-13".into()),
            ]
        );
    }

    #[test]
    fn another_actors_window_is_not_a_deadline() {
        // FWS rule 2024-02182 (FR 2024-02-12), DATES.
        let got = all(
            "Effective April 12, 2024. Information Collection Requirements: If you wish to comment on the information collection requirements in this rule, please note that the Office of Management and Budget (OMB) is required to make a decision concerning the collection of information contained in this rule between 30 and 60 days after the date of publication of this rule in the Federal Register . Therefore, comments should be submitted to OMB by March 13, 2024.",
            Scope::DatesBlock,
            issue(),
        );
        assert_eq!(
            brief(&got),
            vec![
                (DateKind::Effective, "2024-04-12".into()),
                (DateKind::CommentsClose, "2024-03-13".into()),
            ]
        );
        // SSA notice 2024-02766: SSA's own window to submit to OMB.
        let got = all(
            "SSA will submit it to OMB within 60 days from the date of this publication.",
            Scope::Body,
            issue(),
        );
        assert!(got.is_empty(), "{got:?}");
    }

    #[test]
    fn relative_dates_count_from_the_effective_date_in_months() {
        let anchors = Anchors {
            published: Some(ymd(2013, 12, 31)),
            effective: Some(ymd(2014, 1, 10)),
        };
        let got = all(
            "Covered persons must comply no later than 12 months from the effective date of this final rule.",
            Scope::DatesBlock,
            anchors,
        );
        assert_eq!(
            brief(&got),
            vec![(DateKind::Compliance, "2015-01-10".into())]
        );
        assert!(got[0].derived);
        // Without a known effective date the phrase gives nothing.
        let got = all(
            "Covered persons must comply no later than 12 months from the effective date of this final rule.",
            Scope::DatesBlock,
            Anchors::default(),
        );
        assert!(got.is_empty(), "{got:?}");
    }

    #[test]
    fn times_of_day_do_not_end_a_sentence() {
        // FERC notice 2024-02815 (FR 2024-02-12), body: the cue is before "p.m.".
        let got = all(
            "Comment Date: 5:00 p.m. Eastern Time on February 21, 2024.",
            Scope::Body,
            issue(),
        );
        assert_eq!(
            brief(&got),
            vec![(DateKind::CommentsClose, "2024-02-21".into())]
        );
        // MARAD notice 2024-02785, DATES.
        let s = "Nominations for immediate consideration for appointment must be received on or before 5 p.m. ET on March 15, 2024. After that date, MARAD will continue to accept applications.";
        assert_eq!(
            text::sentences(s),
            vec![
                "Nominations for immediate consideration for appointment must be received on or before 5 p.m. ET on March 15, 2024.",
                "After that date, MARAD will continue to accept applications."
            ]
        );
    }

    #[test]
    fn body_comment_deadlines_with_their_evidence_rules() {
        let body = |s: &str| brief(&all(s, Scope::Body, issue()));
        let close = |d: &str| vec![(DateKind::CommentsClose, d.to_string())];
        // SEC 2024-02753.
        assert_eq!(
            body(
                "All submissions should refer to file number SR-CboeBZX-2024-013 and should be submitted on or before March 4, 2024."
            ),
            close("2024-03-04")
        );
        // DOJ 2024-02738: relative to this notice's publication.
        assert_eq!(
            body(
                "All comments must be submitted no later than thirty (30) days after the publication date of this notice."
            ),
            close("2024-03-13")
        );
        // Federal Reserve 2024-02807.
        assert_eq!(
            body(
                "Comments regarding each of these applications must be received at the Reserve Bank indicated or the offices of the Board of Governors, Ann E. Misback, Secretary of the Board, 20th Street and Constitution Avenue NW, Washington DC 20551-0001, not later than February 27, 2024."
            ),
            close("2024-02-27")
        );
        // FERC 2024-02816: numeric dates, the filing date is not a deadline.
        assert_eq!(
            body(
                "Filed Date: 2/6/24.\nAccession Number: 20240206-5044.\nComment Date: 5 p.m. ET 2/20/24."
            ),
            close("2024-02-20")
        );
        // SEC 2024-02751: within 60 days of this publication, by April 12.
        assert_eq!(
            body(
                "Consideration will be given to comments and suggestions submitted in writing within 60 days of this publication by April 12, 2024."
            ),
            close("2024-04-12")
        );
        // Not deadlines: a past comment period, a date far from deadline words.
        assert!(body("The proposed rule change was published for comment in the Federal Register on November 8, 2023.").is_empty());
        assert!(body("It is impracticable to go through the full notice and comment rulemaking process because the Coast Guard must establish this safety zone by February 10, 2024, and lacks sufficient time to provide a reasonable comment period.").is_empty());
        let got = all("Comment Date: 5 p.m. ET 2/20/24.", Scope::Body, issue());
        assert_eq!(got[0].origin, Some(DateOrigin::Body));
    }

    #[test]
    fn a_records_notice_effective_only_without_comments_is_conditional() {
        // FERC Privacy Act notice 2024-02813 (FR 2024-02-12), DATES.
        let got = all(
            "Comments on this modified system of records must be received no later than 30 days after date of publication in the Federal Register . If no public comment is received during the period allowed for comment or unless otherwise published in the Federal Register by FERC, the modified system of records will become effective a minimum of 30 days after date of publication in the Federal Register .",
            Scope::DatesBlock,
            issue(),
        );
        assert_eq!(
            brief(&got),
            vec![
                (DateKind::CommentsClose, "2024-03-13".into()),
                (DateKind::Effective, "2024-03-13".into()),
            ]
        );
        assert!(!got[0].conditional);
        assert!(got[1].conditional && got[1].derived);
        assert_eq!(got[1].origin, Some(DateOrigin::DatesSection));
    }

    #[test]
    fn two_days_of_one_month() {
        // FDA notice 2024-02841, DATES.
        let got = all(
            "The public workshop will be held on May 20 and 21, 2024.",
            Scope::DatesBlock,
            issue(),
        );
        assert_eq!(
            brief(&got),
            vec![
                (DateKind::Other, "2024-05-20".into()),
                (DateKind::Other, "2024-05-21".into()),
            ]
        );
    }

    #[test]
    fn a_period_counted_from_a_date_in_the_same_sentence() {
        let got = all(
            "The requirements of § 1026.43(e)(4) apply to covered transactions consummated 30 days after January 10, 2014.",
            Scope::DatesBlock,
            Anchors::default(),
        );
        assert_eq!(brief(&got), vec![(DateKind::Other, "2014-02-09".into())]);
        assert!(got[0].derived);
    }

    #[test]
    fn an_original_due_date_alone_is_history_not_a_deadline() {
        // The demo press release's sentence, cut before its new date.
        let got = all(
            "Comments, which were originally due November 5, 2024, will now be accepted for thirty more days.",
            Scope::Prose,
            Anchors::default(),
        );
        assert_eq!(brief(&got), vec![(DateKind::Other, "2024-11-05".into())]);
    }
}
