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
    /// Revision counter for calendars: the item's version number minus one,
    /// so it only ever grows.
    pub sequence: u32,
    /// When that version was fetched (calendar `DTSTAMP`/`LAST-MODIFIED`).
    pub updated: DateTime<Utc>,
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
    let mut deadlines = drop_echoes(found);
    deadlines.sort_by(|a, b| (a.date, a.kind, a.subject()).cmp(&(b.date, b.kind, b.subject())));
    Ok(Deadlines {
        deadlines,
        problems,
    })
}

/// A deadline with what [`drop_echoes`] needs to know about its source.
struct Found {
    deadline: Deadline,
    /// From a report (press release, news page) rather than the rule itself.
    report: bool,
    /// RINs the document names.
    rins: Vec<String>,
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
                rins: doc.meta.rins.clone(),
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
    let link = meta
        .source_urls
        .iter()
        .find(|u| u.ends_with(".html") || u.contains("/documents/"))
        .or(meta.source_urls.first())
        .cloned();
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

/// Drops deadlines that only repeat another source's: a report (press
/// release, news page) giving the same kind of deadline as a tracked
/// Federal Register document on the same date, on the date that document
/// has since moved away from, or for a rule with the same RIN.
fn drop_echoes(found: Vec<Found>) -> Vec<Deadline> {
    let fr: Vec<&Found> = found.iter().filter(|f| !f.report).collect();
    let echoes = |f: &Found| -> bool {
        f.report
            && fr.iter().any(|g| {
                g.deadline.kind == f.deadline.kind
                    && (g.deadline.date == f.deadline.date
                        || g.deadline.moved_from == Some(f.deadline.date)
                        || (g.rins.iter().any(|r| f.rins.contains(r))))
            })
    };
    let keep: Vec<bool> = found.iter().map(|f| !echoes(f)).collect();
    found
        .into_iter()
        .zip(keep)
        .filter_map(|(f, k)| k.then_some(f.deadline))
        .collect()
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
