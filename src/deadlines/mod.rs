//! Deadlines: the comment deadlines, effective and compliance dates of every
//! tracked document, each with the sentence it came from and days left.
//!
//! Why a stage of its own: the run's reminders, the `deadlines` command and
//! the iCalendar feed all need the same list, read from the latest version of
//! each item. A deadline's identity ([`Deadline::uid`]) is the document, the
//! kind of date and the provision it applies to, never the date itself, so a
//! comment period that is extended is the *same* deadline with a new date:
//! calendars update the event in place and reminders for the old date stop.

mod changes;
mod condition;
pub mod ics;
mod reminders;

pub use condition::condition;
pub use reminders::{
    BadReminderKey, Reminder, ReminderKey, ReminderKind, ReminderSlot, Sent, reminders,
};

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::model::{DateFact, DateKind, DateSource, DocKind, Document};
use crate::parse::stored::{NoModel, model_for};
use crate::store::{SkippedItem, Store, StoreError, Version, VersionId};

/// One dated obligation or opportunity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deadline {
    /// Stable identity (`<16 hex>@regwatch`): same document, kind and
    /// provision → same uid, whatever the date.
    pub uid: String,
    /// `comments_close`, `effective` or `compliance`.
    pub kind: DateKind,
    /// The date.
    pub date: NaiveDate,
    /// For a date that holds only if a condition is met (a records notice
    /// effective "a minimum of 30 days after publication" if no comments
    /// arrive, a direct final rule): the condition, from the evidence
    /// ("if no public comment is received …"). Absent for a plain date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub condition: Option<String>,
    /// Days from today (negative when past).
    pub days_left: i64,
    /// The date the previous version of the document gave, when it
    /// differed, or the date another document changed (see `moved_by`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub moved_from: Option<NaiveDate>,
    /// The document that moved the date, when another document did (a
    /// notice delaying this rule's effective date): `FR Doc. 2024-27001`,
    /// else its FR citation. `evidence` is then that document's sentence.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub moved_by: Option<String>,
    /// Feed id.
    pub feed: String,
    /// Item key.
    pub item: String,
    /// The version the date was read from (`FEED/ITEM@N`).
    pub version: VersionId,
    /// FR document number, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document: Option<String>,
    /// Document title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// FR citation (`89 FR 72926`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub citation: Option<String>,
    /// The provision the date applies to, when narrower than the document.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provision: Option<String>,
    /// The sentence (or API field) the date came from.
    pub evidence: String,
    /// Where to read the document.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link: Option<String>,
    /// Other documents that state the same period of the same rule (an
    /// extension notice, a press release), each kept as evidence. Absent
    /// when there are none, and in outbox entries written before it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<DeadlineSource>,
    /// Revision counter for calendars: the item's version number minus one,
    /// so it only ever grows.
    pub sequence: u32,
    /// When that version was fetched (calendar `DTSTAMP`/`LAST-MODIFIED`).
    pub updated: DateTime<Utc>,
}

/// Another document stating the same deadline ([`Deadline::sources`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeadlineSource {
    /// The date it states (the deadline's own).
    pub date: NaiveDate,
    /// Its sentence or API field giving that date.
    pub evidence: String,
    /// Its version (`FEED/ITEM@N`).
    pub version: VersionId,
    /// Its FR document number, when it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document: Option<String>,
    /// Its title, when it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Its page, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link: Option<String>,
}

impl DeadlineSource {
    /// A short name: document number, else title, else item.
    pub fn name(&self) -> String {
        match (&self.document, &self.title) {
            (Some(n), _) => format!("FR Doc. {n}"),
            (None, Some(t)) => crate::diff::words::shorten(t, 60),
            (None, None) => self.version.to_string(),
        }
    }
}

impl Deadline {
    /// "Comment deadline", "Effective date", "Compliance date".
    pub fn label(&self) -> &'static str {
        label(self.kind)
    }

    /// "2024-03-13", or "2024-03-13 if no public comment is received …"
    /// for a conditional date.
    pub fn when(&self) -> String {
        match &self.condition {
            Some(c) => format!("{} {c}", self.date),
            None => self.date.to_string(),
        }
    }

    /// "moved from 2024-11-05", with "by FR Doc. 2024-27001" when another
    /// document moved it; `None` when the date did not move.
    pub fn moved_note(&self) -> Option<String> {
        let from = self.moved_from?;
        Some(match &self.moved_by {
            Some(by) => format!("moved from {from} by {by}"),
            None => format!("moved from {from}"),
        })
    }

    /// A short name for the document: title, else document number, else item.
    pub fn subject(&self) -> &str {
        self.title
            .as_deref()
            .or(self.document.as_deref())
            .unwrap_or(&self.item)
    }
}

/// The human name of a deadline kind.
pub fn label(kind: DateKind) -> &'static str {
    match kind {
        DateKind::CommentsClose => "Comment deadline",
        DateKind::Effective => "Effective date",
        DateKind::Compliance => "Compliance date",
        other => other.label(),
    }
}

/// The date kinds that are deadlines.
pub const KINDS: [DateKind; 3] = [
    DateKind::CommentsClose,
    DateKind::Effective,
    DateKind::Compliance,
];

/// What [`collect`] found, and the items it could not read.
#[derive(Debug, Default)]
pub struct Deadlines {
    /// Every deadline, soonest first.
    pub deadlines: Vec<Deadline>,
    /// Versions whose model could not be built, and histories that cannot
    /// be read.
    pub problems: Vec<DeadlineProblem>,
}

/// Why [`collect`] could not read an item's deadlines.
#[derive(Debug, thiserror::Error)]
pub enum DeadlineProblem {
    /// The item's history cannot be read (`FILE:LINE: why; item skipped`).
    #[error(transparent)]
    Skipped(#[from] SkippedItem),
    /// Its latest version has no model (`FEED/ITEM@N: why`).
    #[error(transparent)]
    NoModel(#[from] NoModel),
}

/// Reads every deadline stated by the latest version of every stored item.
/// A document tracked by two feeds (the FR API and its RSS view) is listed
/// once, from the most recently fetched version.
pub fn collect(store: &Store, today: NaiveDate) -> Result<Deadlines, StoreError> {
    let mut by_uid: BTreeMap<String, Found> = BTreeMap::new();
    let mut moves = Vec::new();
    let all = store.all_histories()?;
    let mut problems: Vec<DeadlineProblem> = all
        .damaged
        .into_iter()
        .map(|e| SkippedItem(e).into())
        .collect();
    for (feed, item, history) in all.items {
        let Some(latest) = history.last() else {
            continue;
        };
        let doc = match model_for(store, latest) {
            Ok(d) => d,
            Err(error) => {
                problems.push(
                    NoModel {
                        version: latest.id(),
                        error,
                    }
                    .into(),
                );
                continue;
            }
        };
        changes::announced(&doc, latest, &mut moves);
        let mut found = Vec::new();
        facts(&doc, &feed, &item, latest, today, &mut found);
        if found.is_empty() {
            continue;
        }
        // The previous version tells whether a date moved.
        if let Some(prev) = history.len().checked_sub(2).and_then(|i| history.get(i))
            && let Ok(old) = model_for(store, prev)
        {
            let mut before = Vec::new();
            facts(&old, &feed, &item, prev, today, &mut before);
            for f in &mut found {
                let d = &mut f.deadline;
                if let Some(o) = before.iter().find(|o| o.deadline.uid == d.uid)
                    && o.deadline.date != d.date
                {
                    d.moved_from = Some(o.deadline.date);
                }
            }
        }
        for f in found {
            match by_uid.get(&f.deadline.uid) {
                Some(have) if have.deadline.updated >= f.deadline.updated => {}
                _ => {
                    by_uid.insert(f.deadline.uid.clone(), f);
                }
            }
        }
    }
    let mut found: Vec<Found> = by_uid.into_values().collect();
    changes::apply(&mut found, moves, today);
    let mut deadlines = merge_periods(found);
    deadlines.sort_by(|a, b| (a.date, a.kind, a.subject()).cmp(&(b.date, b.kind, b.subject())));
    Ok(Deadlines {
        deadlines,
        problems,
    })
}

/// A deadline with what [`merge_periods`] needs to know about its source.
struct Found {
    deadline: Deadline,
    /// From a report (press release, news page) rather than the rule itself.
    report: bool,
    /// RINs and dockets the document names.
    rins: Vec<String>,
    /// FR citations the document's text names (an extension notice cites
    /// the rule it extends).
    cites: Vec<String>,
}

/// Keeps the deadlines from today on (or all with `all`) within `within`
/// days.
pub fn upcoming(list: &[Deadline], within: Option<u32>, all: bool) -> Vec<Deadline> {
    list.iter()
        .filter(|d| all || d.days_left >= 0)
        .filter(|d| within.is_none_or(|w| d.days_left <= i64::from(w)))
        .cloned()
        .collect()
}

/// The deadlines of one document and the documents it contains.
fn facts(
    doc: &Document,
    feed: &str,
    item: &str,
    v: &Version,
    today: NaiveDate,
    out: &mut Vec<Found>,
) {
    for kind in KINDS {
        // The document-wide date (API field wins over text), then dates tied
        // to one provision ("except § 1.16(t), which is effective …").
        let general = doc.date(kind);
        let narrow = doc
            .dates
            .iter()
            .filter(|f| f.kind == kind && f.provision.is_some());
        for fact in general.into_iter().chain(narrow) {
            out.push(Found {
                deadline: deadline(doc, fact, feed, item, v, today),
                report: doc.meta.document_number.is_none()
                    && matches!(doc.meta.kind, DocKind::Report | DocKind::Unknown),
                rins: doc
                    .meta
                    .rins
                    .iter()
                    .chain(&doc.meta.dockets)
                    .map(|r| compact(r))
                    .collect(),
                cites: doc
                    .entities_of(crate::model::EntityKind::FrCitation)
                    .map(|e| compact(&e.id))
                    .collect(),
            });
        }
    }
    for inner in &doc.documents {
        facts(inner, feed, item, v, today, out);
    }
}

fn deadline(
    doc: &Document,
    fact: &DateFact,
    feed: &str,
    item: &str,
    v: &Version,
    today: NaiveDate,
) -> Deadline {
    let meta = &doc.meta;
    // Identity: the FR document number when there is one (shared by every
    // feed that carries the document), else this feed's item.
    let owner = match &meta.document_number {
        Some(n) => format!("fr:{n}"),
        None => format!("item:{feed}/{item}"),
    };
    let key = format!(
        "{owner}|{}|{}",
        fact.kind.as_str(),
        fact.provision.as_deref().unwrap_or("")
    );
    let hash = blake3::hash(key.as_bytes()).to_hex();
    let link = reading_link(&meta.source_urls);
    Deadline {
        uid: format!("{}@regwatch", &hash.as_str()[..16]),
        kind: fact.kind,
        date: fact.date,
        condition: fact.conditional.then(|| condition(&fact.evidence)),
        days_left: (fact.date - today).num_days(),
        moved_from: None,
        moved_by: None,
        feed: feed.to_string(),
        item: item.to_string(),
        version: v.id(),
        document: meta.document_number.clone(),
        title: meta.title.clone().or_else(|| v.title.clone()),
        citation: meta.fr_citation.clone(),
        provision: fact.provision.clone(),
        evidence: sentence_for(doc, fact),
        link,
        sources: Vec::new(),
        sequence: v.seq.saturating_sub(1),
        updated: v.fetched_at,
    }
}

/// The evidence to show: an API field's date is better explained by the
/// document's own sentence giving the same date, when there is one.
fn sentence_for(doc: &Document, fact: &DateFact) -> String {
    if fact.source == DateSource::Api
        && let Some(t) = doc.dates.iter().find(|f| {
            f.kind == fact.kind
                && f.date == fact.date
                && f.source == DateSource::Text
                && f.provision == fact.provision
        })
    {
        return t.evidence.clone();
    }
    fact.evidence.clone()
}

/// Where a person reads a document: its web page (not an API, XML, JSON
/// or PDF address) when it has one, else an eCFR API address turned into
/// its reader page, else its first URL.
pub fn reading_link(urls: &[String]) -> Option<String> {
    let page = |u: &&String| {
        let path = u.split(['?', '#']).next().unwrap_or(u);
        !path.contains("/api/") && ![".xml", ".json", ".pdf"].iter().any(|x| path.ends_with(x))
    };
    urls.iter()
        .find(page)
        .cloned()
        .or_else(|| urls.iter().find_map(|u| ecfr_reader_page(u)))
        .or_else(|| urls.first().cloned())
}

/// `…/api/versioner/v1/full/2024-10-15/title-15.xml?part=740` →
/// `…/on/2024-10-15/title-15/part-740`, the eCFR's page for that part on
/// that date.
fn ecfr_reader_page(u: &str) -> Option<String> {
    let url = url::Url::parse(u).ok()?;
    let rest = url.path().split("/api/versioner/v1/full/").nth(1)?;
    let (date, title) = rest.split_once('/')?;
    let title = title.strip_suffix(".xml")?;
    let mut page = format!("{}/on/{date}/{title}", url.origin().ascii_serialization());
    if let Some((_, part)) = url.query_pairs().find(|(k, _)| k == "part") {
        page.push_str(&format!("/part-{part}"));
    }
    Some(page)
}

/// An identifier compared loosely: "RIN 0694–AJ60" and "0694-AJ60" agree.
pub(super) fn compact(s: &str) -> String {
    s.trim_start_matches("RIN")
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .flat_map(char::to_uppercase)
        .collect()
}

/// Whether `other` states the same period as `primary`: the same kind of
/// date for the same provision, of the same rule. For a Federal Register
/// document: the same date and a shared RIN or docket, or one citing the
/// other. For a report (press release, news page): the same date, the date
/// `primary` has since moved away from, or a shared RIN.
fn same_period(primary: &Found, other: &Found) -> bool {
    let (p, o) = (&primary.deadline, &other.deadline);
    if p.kind != o.kind || p.provision != o.provision {
        return false;
    }
    let shared = primary.rins.iter().any(|r| other.rins.contains(r));
    if other.report {
        !primary.report && (p.date == o.date || p.moved_from == Some(o.date) || shared)
    } else {
        !primary.report
            && p.date == o.date
            && (shared || cites(primary, other) || cites(other, primary))
    }
}

/// Whether `a`'s text cites `b`'s FR citation (an extension notice citing
/// the rule it extends).
fn cites(a: &Found, b: &Found) -> bool {
    b.deadline
        .citation
        .as_deref()
        .is_some_and(|c| a.cites.contains(&compact(c)))
}

/// One comment period is one deadline: merges deadlines that state the
/// same period of the same rule ([`same_period`]), keeping the rule's own
/// (the one the others cite, else the one whose date moved) and every
/// other document as a [`DeadlineSource`].
fn merge_periods(mut found: Vec<Found>) -> Vec<Deadline> {
    // Rules before reports; a moved date before one stated once.
    found.sort_by_key(|f| (f.report, f.deadline.moved_from.is_none()));
    let mut kept: Vec<Found> = Vec::new();
    for f in found {
        match kept.iter_mut().find(|k| same_period(k, &f)) {
            Some(k) => {
                // The document the other cites is the rule itself.
                let mut f = f;
                let cited = cites(&f, k);
                let cites_f = cites(k, &f);
                if !f.report && cites_f && !cited {
                    std::mem::swap(k, &mut f);
                    k.deadline.sources = std::mem::take(&mut f.deadline.sources);
                    if k.deadline.moved_from.is_none() {
                        k.deadline.moved_from = f.deadline.moved_from;
                    }
                }
                // A report still giving the date the rule moved away
                // from is an echo, not evidence for the new date.
                if f.deadline.date == k.deadline.date {
                    k.deadline.sources.push(source(&f.deadline));
                }
            }
            None => kept.push(f),
        }
    }
    kept.into_iter().map(|f| f.deadline).collect()
}

fn source(d: &Deadline) -> DeadlineSource {
    DeadlineSource {
        version: d.version.clone(),
        document: d.document.clone(),
        title: d.title.clone(),
        date: d.date,
        evidence: d.evidence.clone(),
        link: d.link.clone(),
    }
}

/// An API-field evidence string (`comments_close_on: 2024-12-05`, as the
/// parser records a Federal Register API date) in words: "Federal
/// Register: comments close 2024-12-05", with " (was 2024-11-05)" when
/// `was` gives an earlier date. `None` for anything else (a sentence).
pub fn api_evidence_words(evidence: &str, was: Option<NaiveDate>) -> Option<String> {
    let (field, value) = evidence.split_once(": ")?;
    let what = match field {
        "comments_close_on" => "comments close",
        "effective_on" => "effective",
        "publication_date" => "published",
        _ => return None,
    };
    let value = value.trim();
    let mut s = format!("Federal Register: {what} {value}");
    if let Some(w) = was
        && w.to_string() != value
    {
        s.push_str(&format!(" (was {w})"));
    }
    Some(s)
}

/// Evidence as a reader sees it: an API field in words
/// ([`api_evidence_words`]), a sentence in quotes.
pub fn evidence_words(evidence: &str, was: Option<NaiveDate>) -> String {
    api_evidence_words(evidence, was).unwrap_or_else(|| format!("“{evidence}”"))
}

/// "in 7 days", "tomorrow", "today", "3 days ago".
pub fn days_phrase(days: i64) -> String {
    match days {
        0 => "today".into(),
        1 => "tomorrow".into(),
        -1 => "yesterday".into(),
        d if d > 1 => format!("in {d} days"),
        d => format!("{} days ago", -d),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn found(doc: &str, date: &str, moved: Option<&str>, rins: &[&str], cites: &[&str]) -> Found {
        let day = |s: &str| s.parse::<NaiveDate>().unwrap();
        Found {
            deadline: Deadline {
                uid: format!("{doc}@regwatch"),
                kind: DateKind::CommentsClose,
                date: day(date),
                condition: None,
                days_left: 51,
                moved_from: moved.map(day),
                moved_by: None,
                feed: "bis-rules".into(),
                item: doc.into(),
                version: VersionId::new("bis-rules", doc, 2),
                document: Some(doc.into()),
                title: Some(format!("Rule {doc}")),
                citation: Some(format!("89 FR {}", doc.len() * 1000)),
                provision: None,
                evidence: format!("comments_close_on: {date}"),
                link: None,
                sources: Vec::new(),
                sequence: 1,
                updated: Utc.with_ymd_and_hms(2024, 10, 15, 6, 0, 0).unwrap(),
            },
            report: false,
            rins: rins.iter().map(|r| compact(r)).collect(),
            cites: cites.iter().map(|c| compact(c)).collect(),
        }
    }

    /// A rule's moved comment deadline and the notice announcing the same
    /// extension are one deadline, with the notice kept as evidence.
    #[test]
    fn one_comment_period_is_one_deadline() {
        let rule = found(
            "2024-19633",
            "2024-12-05",
            Some("2024-11-05"),
            &["RIN 0694-AJ60"],
            &[],
        );
        let notice = found("2024-99001", "2024-12-05", None, &["RIN 0694–AJ60"], &[]);
        let merged = merge_periods(vec![notice, rule]);
        assert_eq!(merged.len(), 1, "{merged:#?}");
        assert_eq!(merged[0].item, "2024-19633");
        assert_eq!(merged[0].sources.len(), 1);
        assert_eq!(merged[0].sources[0].document.as_deref(), Some("2024-99001"));
        assert_eq!(
            merged[0].sources[0].evidence,
            "comments_close_on: 2024-12-05"
        );
    }

    /// A notice citing the rule merges into the rule even without a RIN,
    /// and the rule stays the deadline whichever comes first.
    #[test]
    fn a_notice_citing_the_rule_is_the_same_period() {
        let rule = found("2024-19633", "2024-12-05", None, &[], &[]);
        let cite = rule.deadline.citation.clone().unwrap();
        let notice = found("2024-99001", "2024-12-05", None, &[], &[&cite]);
        let merged = merge_periods(vec![notice, rule]);
        assert_eq!(merged.len(), 1, "{merged:#?}");
        assert_eq!(merged[0].item, "2024-19633");
        assert_eq!(merged[0].sources[0].version.item, "2024-99001");
    }

    /// Different rules, or another date, stay apart.
    #[test]
    fn other_rules_and_dates_stay_apart() {
        let a = found("2024-19633", "2024-12-05", None, &["0694-AJ60"], &[]);
        let b = found("2024-20000", "2024-12-05", None, &["0694-AJ99"], &[]);
        let c = found("2024-20001", "2024-12-20", None, &["0694-AJ60"], &[]);
        assert_eq!(merge_periods(vec![a, b, c]).len(), 3);
    }

    #[test]
    fn api_fields_read_as_words() {
        let was = "2024-11-05".parse().ok();
        assert_eq!(
            evidence_words("comments_close_on: 2024-12-05", was),
            "Federal Register: comments close 2024-12-05 (was 2024-11-05)"
        );
        assert_eq!(
            evidence_words("Comments must be received by December 5, 2024.", None),
            "“Comments must be received by December 5, 2024.”"
        );
    }
}
