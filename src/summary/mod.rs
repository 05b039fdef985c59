//! Summary stage: composes the summary one run sends one recipient: what
//! is new and what changed, grouped by feed, newest first, with the
//! deadlines coming up and the reminders due.
//!
//! Why a plain serde type built in one place: the email (text + HTML), the
//! Markdown and JSON files, the webhook and `--dry-run` all render this same
//! value (`report::digest_render`), so they can never disagree about what
//! changed. A recipient's watch profile is applied here ([`profile`]):
//! every entry says which profile terms it touches (`matches`), and with
//! `only_matching` the others are counted in `hidden` instead of listed.
//!
//! There is no English here: a flag is carried as the typed [`Flag`], and
//! the report words it. Outbox entries written before that carry the
//! sentences instead (`FlagNote::message`, `KeyChange::brief` and
//! `message`), which the report shows as stored.

use std::collections::BTreeMap;
use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::config::{Recipient, WatchProfile};
use crate::deadlines::Deadline;
use crate::deadlines::{api_evidence_words, reading_link};
use crate::diff::history::HistoryEntry;
use crate::diff::words::{WordEdit, excerpt, one_line, shorten, word_diff};
use crate::diff::{Finding, Flag, FlagKind};
use crate::model::{DateKind, DateSource, DocKind, Document};
use crate::store::VersionId;

pub mod profile;

use profile::keyword_hits;
pub use profile::{document_matches, flag_matches};

/// Flags listed per changed document; the rest are counted.
pub const MAX_FLAGS: usize = 12;
/// Documents listed per feed and section; the rest are counted.
pub const MAX_DOCUMENTS: usize = 40;
/// Characters of evidence kept around a change.
const EXCERPT_CONTEXT: usize = 8;

/// The summary for one recipient.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Digest {
    /// Recipient id.
    pub recipient: String,
    /// When the run composed it.
    pub generated_at: DateTime<Utc>,
    /// Set when this re-reports a window (`run --since`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub since: Option<NaiveDate>,
    /// The recipient's profile, when it names anything.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub profile: Option<WatchProfile>,
    /// Counts for the subject line and headline.
    pub counts: Counts,
    /// The flags of the changed documents, one line each, those that touch
    /// the profile first (then by importance): the "Key changes" block at
    /// the top and the subject line. Absent in outbox entries written
    /// before it (renderers then start with the per-feed listing).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub key_changes: Vec<KeyChange>,
    /// What happened, per feed (feeds with the newest news first).
    pub feeds: Vec<FeedDigest>,
    /// Reminders due now and deadlines that moved.
    pub reminders: Vec<ReminderNote>,
    /// Deadlines from today within the recipient's horizon, soonest first.
    pub deadlines: Vec<Deadline>,
}

/// Counts of a [`Digest`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    /// New documents listed.
    pub new_documents: usize,
    /// Documents with substantive changes listed.
    pub changed_documents: usize,
    /// Documents whose change was formatting only.
    pub formatting_only: usize,
    /// Semantic flags across the changed documents.
    pub flags: usize,
    /// Listed entries that touch the profile.
    pub matching: usize,
    /// Entries left out because they touch nothing in the profile.
    pub hidden: usize,
    /// Reminders due and moved deadlines.
    pub reminders: usize,
    /// The soonest upcoming deadline's days left, if any deadline is listed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_deadline_days: Option<i64>,
}

/// One feed's part of the summary.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FeedDigest {
    /// Feed id.
    pub feed: String,
    /// Feed name from feeds.yaml.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// New documents, newest first.
    pub new_documents: Vec<NewDocument>,
    /// Changed documents, newest first.
    pub changed: Vec<ChangedDocument>,
    /// Items whose change was formatting only (collapsed to one line).
    pub formatting_only: Vec<ItemRef>,
    /// Entries not listed because of the per-section cap.
    #[serde(default)]
    pub more: usize,
}

/// One line of the "Key changes" block.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KeyChange {
    /// Flag kind (docs/DIFF.md).
    pub kind: FlagKind,
    /// The change in a few words ("ECCN 3C909 added"), for the subject.
    /// Empty when composed (the report words `flag`); filled when the
    /// outbox stores the summary (`report::digest_render::with_words`), so
    /// the entry renders even if a later version cannot read its flag.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub brief: String,
    /// The change in one sentence (as in the per-feed listing); empty
    /// when composed, filled when stored, as `brief`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub message: String,
    /// The document it is in (title, else item key).
    pub document: String,
    /// The version it appeared in (`FEED/ITEM@N`).
    pub version: String,
    /// Profile terms it touches.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub matches: Vec<String>,
    /// Where to read it: the rendered diff page when `links.base_url` is
    /// set, else the source document.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link: Option<String>,
    /// The flag, for the report to word. Absent in outbox entries written
    /// before it (they carry `brief` and `message`); read leniently
    /// ([`lenient_flag`]).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient_flag"
    )]
    pub flag: Option<Flag>,
}

/// Lines in the "Key changes" block; the rest are in the listing below.
pub const MAX_KEY_CHANGES: usize = 10;

/// Reads a stored flag, or `None` when this version cannot read it (a
/// finding kind or field changed since the entry was written): the outbox
/// is a record kept for good, so its entries must load whatever the
/// finding types become; the entry then renders from the words stored
/// beside the flag (`message`, `brief`).
fn lenient_flag<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Flag>, D::Error> {
    let value = Option::<serde_json::Value>::deserialize(d)?;
    Ok(value.and_then(|v| serde_json::from_value(v).ok()))
}

/// An item named briefly.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ItemRef {
    /// Item key.
    pub item: String,
    /// Title, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// The version (`FEED/ITEM@N`).
    pub version: String,
}

/// A document seen for the first time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewDocument {
    /// Item key.
    pub item: String,
    /// The version (`FEED/ITEM@N`).
    pub version: String,
    /// Title.
    pub title: String,
    /// Issuing agency, most specific.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agency: Option<String>,
    /// Rule, proposed rule, notice, …
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub doc_type: Option<String>,
    /// Action line ("Interim final rule; request for comments.").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action: Option<String>,
    /// FR document number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document_number: Option<String>,
    /// FR citation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub citation: Option<String>,
    /// Key dates: published, effective, comments close, compliance.
    pub dates: Vec<KeyDate>,
    /// What the document changes of other documents
    /// (`effective_date_changed`, `compliance_date_changed`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub news: Vec<FlagNote>,
    /// Where to read it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link: Option<String>,
    /// Profile terms the document touches.
    pub matches: Vec<String>,
    /// When regwatch fetched it.
    pub fetched_at: DateTime<Utc>,
    /// Why it is shown this way: it could not be read, or an earlier
    /// version could not (`HistoryEntry::note`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// A dated fact of a new document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyDate {
    /// Which date.
    pub kind: DateKind,
    /// The date.
    pub date: NaiveDate,
    /// For a conditional date, the condition ("if no public comment is
    /// received …"); absent for a plain date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub condition: Option<String>,
}

/// A document with substantive changes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChangedDocument {
    /// Item key.
    pub item: String,
    /// Title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Older version (`FEED/ITEM@N`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub before: Option<String>,
    /// Newer version.
    pub after: String,
    /// When the newer version was fetched.
    pub fetched_at: DateTime<Utc>,
    /// The flags in plain English, most newsworthy first.
    pub flags: Vec<FlagNote>,
    /// Flags not listed (over [`MAX_FLAGS`]).
    #[serde(default)]
    pub more_flags: usize,
    /// Counts of the diff.
    pub summary: crate::diff::Summary,
    /// The source document (its page, else its first URL).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link: Option<String>,
    /// The rendered diff page, when `links.base_url` is set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub diff_link: Option<String>,
    /// Profile terms the change touches.
    pub matches: Vec<String>,
    /// Why this is not a plain comparison with the previous version: the
    /// new version could not be read, or it was compared with the last
    /// readable one (`HistoryEntry::note`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// One semantic flag, as a summary shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FlagNote {
    /// Flag kind (docs/DIFF.md).
    pub kind: FlagKind,
    /// The finding in plain English; empty when composed (the report
    /// words `flag`), filled when the outbox stores the summary, as
    /// [`KeyChange::brief`].
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub message: String,
    /// The provision the evidence sits in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provision: Option<String>,
    /// A short word-level excerpt of the evidence (deleted, inserted and
    /// unchanged runs); empty when the flag has one side only.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub excerpt: Vec<WordEdit>,
    /// The sentence, when the flag has one side only (or, for a date read
    /// from an API field, the document's own sentence giving that date).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evidence: Option<String>,
    /// A date read from a structured field, in words: "Federal Register:
    /// comments close 2024-12-05 (was 2024-11-05)". Shown instead of the
    /// field's raw text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stated: Option<String>,
    /// Profile terms the flag touches.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub matches: Vec<String>,
    /// The flag, for the report to word. Absent in outbox entries written
    /// before it (they carry `message`); read leniently ([`lenient_flag`]).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient_flag"
    )]
    pub flag: Option<Flag>,
}

/// A reminder due now, or a deadline that moved: decided by
/// [`crate::deadlines::reminders`], rendered here.
pub use crate::deadlines::{Reminder as ReminderNote, ReminderKind};

/// What [`build`] needs besides the entries.
pub struct DigestInput<'a> {
    /// Who it is for.
    pub recipient: &'a Recipient,
    /// Feed names by id.
    pub feed_names: &'a BTreeMap<String, String>,
    /// Unreported history entries (any order).
    pub entries: &'a [HistoryEntry],
    /// Models of the entries' newer versions, by version reference.
    pub models: &'a BTreeMap<VersionId, Document>,
    /// Reminders and moved notices due.
    pub reminders: Vec<ReminderNote>,
    /// Every known deadline (filtered here by the recipient's horizon).
    pub deadlines: &'a [Deadline],
    /// Composition time.
    pub now: DateTime<Utc>,
    /// Re-report window, if any.
    pub since: Option<NaiveDate>,
    /// `links.base_url`: where the diff pages are published.
    pub diff_base_url: Option<&'a str>,
}

impl Digest {
    /// True when there is nothing worth sending: no new or changed document
    /// and no reminder. Formatting-only changes alone are not news.
    pub fn is_empty(&self) -> bool {
        self.counts.new_documents == 0
            && self.counts.changed_documents == 0
            && self.counts.reminders == 0
    }
}

/// Builds the summary for one recipient.
pub fn build(input: DigestInput<'_>) -> Digest {
    let r = input.recipient;
    let profile = &r.profile;
    let mut counts = Counts::default();
    let mut by_feed: BTreeMap<String, FeedDigest> = BTreeMap::new();
    let mut entries: Vec<&HistoryEntry> = input
        .entries
        .iter()
        .filter(|e| r.wants_feed(&e.feed))
        .collect();
    entries.sort_by_key(|e| std::cmp::Reverse((e.fetched_at, e.date)));
    let mut newest: BTreeMap<String, DateTime<Utc>> = BTreeMap::new();
    let mut key_changes: Vec<(bool, u8, KeyChange)> = Vec::new();
    for e in entries {
        let section = by_feed.entry(e.feed.clone()).or_insert_with(|| FeedDigest {
            feed: e.feed.clone(),
            name: input.feed_names.get(&e.feed).cloned(),
            new_documents: Vec::new(),
            changed: Vec::new(),
            formatting_only: Vec::new(),
            more: 0,
        });
        let model = input.models.get(&e.after);
        // A version that cannot be read may touch the profile or not:
        // only_matching never hides it (no model for a new document, no
        // flags for a changed one, and a note saying why).
        let unknown = e.note.is_some()
            && if e.before.is_none() {
                model.is_none()
            } else {
                e.flags.is_empty()
            };
        if e.before.is_none() {
            let doc = new_document(e, model, profile);
            if profile.only_matching && doc.matches.is_empty() && !unknown {
                counts.hidden += 1;
                continue;
            }
            if section.new_documents.len() >= MAX_DOCUMENTS {
                section.more += 1;
                continue;
            }
            counts.new_documents += 1;
            counts.matching += usize::from(!doc.matches.is_empty());
            newest.entry(e.feed.clone()).or_insert(e.fetched_at);
            section.new_documents.push(doc);
        } else if !e.substantive && e.note.is_none() {
            counts.formatting_only += 1;
            section.formatting_only.push(ItemRef {
                item: e.item.clone(),
                title: e.title.as_deref().map(one_line),
                version: e.after.to_string(),
            });
        } else {
            let (doc, keys) = changed_document(e, model, profile, input.diff_base_url);
            if profile.only_matching && doc.matches.is_empty() && !unknown {
                counts.hidden += 1;
                continue;
            }
            if section.changed.len() >= MAX_DOCUMENTS {
                section.more += 1;
                continue;
            }
            counts.changed_documents += 1;
            counts.flags += doc.flags.len() + doc.more_flags;
            key_changes.extend(keys);
            counts.matching += usize::from(!doc.matches.is_empty());
            newest.entry(e.feed.clone()).or_insert(e.fetched_at);
            section.changed.push(doc);
        }
    }
    let mut feeds: Vec<FeedDigest> = by_feed
        .into_values()
        .filter(|f| {
            !f.new_documents.is_empty() || !f.changed.is_empty() || !f.formatting_only.is_empty()
        })
        .collect();
    feeds.sort_by_key(|f| {
        (
            std::cmp::Reverse(newest.get(&f.feed).copied()),
            f.feed.clone(),
        )
    });
    let deadlines: Vec<Deadline> = input
        .deadlines
        .iter()
        .filter(|d| r.wants_feed(&d.feed))
        .filter(|d| d.days_left >= 0 && d.days_left <= i64::from(r.deadline_days))
        .cloned()
        .collect();
    // Those touching the profile first, then by importance; stable, so
    // newest first within a rank.
    // Matching ones take turns between what they match.
    let turns = turns(key_changes.iter().map(|(_, _, k)| k.matches.as_slice()));
    let mut key_changes: Vec<_> = key_changes.into_iter().zip(turns).collect();
    key_changes.sort_by_key(|((matching, rank, _), turn)| (!matching, *turn, *rank));
    let key_changes: Vec<KeyChange> = key_changes
        .into_iter()
        .map(|(k, _)| k)
        .take(MAX_KEY_CHANGES)
        .map(|(_, _, k)| k)
        .collect();
    counts.reminders = input.reminders.len();
    counts.next_deadline_days = deadlines.iter().map(|d| d.days_left).min();
    Digest {
        recipient: r.id.clone(),
        generated_at: input.now,
        since: input.since,
        profile: (!profile.is_empty()).then(|| profile.clone()),
        counts,
        key_changes,
        feeds,
        reminders: input.reminders,
        deadlines,
    }
}

fn doc_type(kind: DocKind) -> Option<&'static str> {
    Some(match kind {
        DocKind::Rule => "Rule",
        DocKind::ProposedRule => "Proposed rule",
        DocKind::Notice => "Notice",
        DocKind::PresidentialDocument => "Presidential document",
        DocKind::Regulation => "Regulation",
        DocKind::Collection => "Collection",
        DocKind::Report => "Report",
        DocKind::Unknown => return None,
    })
}

fn new_document(e: &HistoryEntry, model: Option<&Document>, profile: &WatchProfile) -> NewDocument {
    let flag = e.flags.first();
    // A title is a one-line label: a line break in a file name or a feed
    // entry must not start a line of its own in the summary.
    let title = model
        .and_then(|d| d.meta.title.as_deref())
        .or(e.title.as_deref())
        .map_or_else(|| e.item.clone(), one_line);
    let mut doc = NewDocument {
        item: e.item.clone(),
        version: e.after.to_string(),
        title,
        agency: None,
        doc_type: None,
        action: None,
        document_number: None,
        citation: None,
        dates: Vec::new(),
        news: e
            .flags
            .iter()
            .filter(|f| f.kind() != FlagKind::DocumentAdded)
            .map(|f| flag_note(f, flag_matches(f, profile), None))
            .collect(),
        link: None,
        matches: Vec::new(),
        fetched_at: e.fetched_at,
        note: e.note.clone(),
    };
    if let Some(d) = model {
        let m = &d.meta;
        doc.agency = m.agencies.last().cloned();
        doc.doc_type = doc_type(m.kind).map(str::to_string);
        doc.action = m.action.clone();
        doc.document_number = m.document_number.clone();
        doc.citation = m.fr_citation.clone();
        doc.link = source_link(d);
        for kind in [
            DateKind::Published,
            DateKind::Effective,
            DateKind::CommentsClose,
            DateKind::Compliance,
        ] {
            if let Some(f) = d.date(kind) {
                doc.dates.push(KeyDate {
                    kind,
                    date: f.date,
                    condition: f
                        .conditional
                        .then(|| crate::deadlines::condition(&f.evidence)),
                });
            }
        }
        doc.matches = document_matches(d, profile);
    } else if let Some(f) = flag {
        doc.matches = flag_matches(f, profile);
    }
    doc
}

/// Where a person reads a document ([`reading_link`]).
fn source_link(d: &Document) -> Option<String> {
    reading_link(&d.meta.source_urls)
}

/// The file name of a version's diff page (`ear--part-740--2.html`), as
/// `run` writes it and `links.base_url` links to it.
pub fn page_name(version: &VersionId) -> String {
    format!("{}--{}--{}.html", version.feed, version.item, version.seq)
}

/// The address of a version's diff page under `links.base_url`.
pub fn diff_page_url(base: &str, version: &VersionId) -> String {
    format!("{}/{}", base.trim_end_matches('/'), page_name(version))
}

/// For each item, by what it matches first: its turn among the items
/// matching the same (1 for the first, 2 for the second, …; 0 when it
/// matches nothing). Sorting by turn lets a profile's terms take turns, so
/// seventeen flags about a watched country do not hide the one about a
/// watched ECCN.
fn turns<'a>(matches: impl Iterator<Item = &'a [String]>) -> Vec<usize> {
    let mut seen: HashMap<&'a str, usize> = HashMap::new();
    matches
        .map(|m| {
            m.first().map_or(0, |first| {
                let c = seen.entry(first.as_str()).or_insert(0);
                *c += 1;
                *c
            })
        })
        .collect()
}

fn changed_document(
    e: &HistoryEntry,
    model: Option<&Document>,
    profile: &WatchProfile,
    diff_base_url: Option<&str>,
) -> (ChangedDocument, Vec<(bool, u8, KeyChange)>) {
    let mut flags: Vec<&Flag> = e.flags.iter().collect();
    flags.sort_by_key(|f| f.rank());
    let mut matches: Vec<String> = Vec::new();
    let mut notes = Vec::new();
    let link = model.and_then(source_link);
    let diff_link = diff_base_url.map(|b| diff_page_url(b, &e.after));
    let title = e.title.as_deref().map(one_line);
    let mut keys = Vec::new();
    for f in &flags {
        let m = flag_matches(f, profile);
        for t in &m {
            if !matches.contains(t) {
                matches.push(t.clone());
            }
        }
        keys.push((
            !m.is_empty(),
            f.rank(),
            KeyChange {
                kind: f.kind(),
                brief: String::new(),
                message: String::new(),
                document: title.clone().unwrap_or_else(|| e.item.clone()),
                version: e.after.to_string(),
                matches: m.clone(),
                link: diff_link.clone().or_else(|| link.clone()),
                flag: Some((*f).clone()),
            },
        ));
        notes.push(flag_note(f, m, model));
    }
    if let Some(t) = &e.title {
        for k in keyword_hits(t, profile) {
            if !matches.contains(&k) {
                matches.push(k);
            }
        }
    }
    // With a profile, listed flags put the matching ones first, taking
    // turns between what they match: seventeen flags about a watched
    // country must not hide every flag about a watched ECCN.
    if !profile.is_empty() {
        let turns = turns(notes.iter().map(|n| n.matches.as_slice()));
        let mut keyed: Vec<_> = notes.into_iter().zip(turns).collect();
        keyed.sort_by_key(|(n, turn)| (n.matches.is_empty(), *turn));
        notes = keyed.into_iter().map(|(n, _)| n).collect();
    }
    let more_flags = notes.len().saturating_sub(MAX_FLAGS);
    notes.truncate(MAX_FLAGS);
    let doc = ChangedDocument {
        item: e.item.clone(),
        title,
        before: e.before.as_ref().map(ToString::to_string),
        after: e.after.to_string(),
        fetched_at: e.fetched_at,
        flags: notes,
        more_flags,
        summary: e.summary,
        link,
        diff_link,
        matches,
        note: e.note.clone(),
    };
    (doc, keys)
}

/// A flag's evidence for the summary. A date read from an API field
/// (`comments_close_on: 2024-12-05`) is said in words, with the
/// document's own sentence for that date when its text has one; other
/// evidence is a word-level excerpt (both sides) or the sentence.
fn flag_note(f: &Flag, matches: Vec<String>, model: Option<&Document>) -> FlagNote {
    let ev = f.evidence();
    let dated = match &f.finding {
        Finding::DateChanged {
            field,
            before,
            after,
            ..
        } => Some((*field, *after, Some(*before))),
        Finding::DateAdded(d) | Finding::DateRemoved(d) => Some((d.field, d.date, None)),
        _ => None,
    };
    let side = ev.after.as_deref().or(ev.before.as_deref());
    if let Some((kind, date, was)) = dated
        && let Some(words) = side.and_then(|s| api_evidence_words(s, was))
    {
        let sentence = model.and_then(|d| {
            d.dates
                .iter()
                .find(|x| x.kind == kind && x.date == date && x.source == DateSource::Text)
                .map(|x| shorten(&x.evidence, 300))
        });
        return FlagNote {
            kind: f.kind(),
            message: String::new(),
            provision: f.provision().map(str::to_string),
            excerpt: Vec::new(),
            evidence: sentence,
            stated: Some(words),
            matches,
            flag: Some(f.clone()),
        };
    }
    let (excerpt_edits, evidence) = match (&ev.before, &ev.after) {
        (Some(b), Some(a)) if b != a => (excerpt(&word_diff(b, a), EXCERPT_CONTEXT), None),
        (Some(b), None) => (Vec::new(), Some(shorten(b, 300))),
        (_, Some(a)) => (Vec::new(), Some(shorten(a, 300))),
        _ => (Vec::new(), None),
    };
    FlagNote {
        kind: f.kind(),
        message: String::new(),
        provision: f.provision().map(str::to_string),
        excerpt: excerpt_edits,
        evidence,
        stated: None,
        matches,
        flag: Some(f.clone()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::{CountryFinding, Evidence};

    /// A changed version (`ear/ITEM@1` → `@2`) with `flags`.
    fn changed_entry(item: &str, title: &str, flags: Vec<Flag>) -> HistoryEntry {
        let at = DateTime::<Utc>::default();
        let after = VersionId {
            feed: "ear".into(),
            item: item.into(),
            seq: 2,
        };
        HistoryEntry {
            feed: "ear".into(),
            item: item.into(),
            title: Some(title.into()),
            before: Some(VersionId {
                seq: 1,
                ..after.clone()
            }),
            after,
            fetched_at: at,
            date: at.date_naive(),
            substantive: true,
            summary: crate::diff::Summary::default(),
            flags,
            note: None,
        }
    }

    /// The summary of one history entry for a recipient with `profile`.
    fn digest_of(entry: &HistoryEntry, profile: WatchProfile) -> Digest {
        let recipient = Recipient {
            id: "desk".into(),
            name: None,
            feeds: Vec::new(),
            profile,
            remind_days: Vec::new(),
            deadline_days: 90,
            channels: Vec::new(),
        };
        build(DigestInput {
            recipient: &recipient,
            feed_names: &BTreeMap::new(),
            entries: std::slice::from_ref(entry),
            models: &BTreeMap::new(),
            reminders: Vec::new(),
            deadlines: &[],
            now: entry.fetched_at,
            since: None,
            diff_base_url: None,
        })
    }

    #[test]
    fn links_go_to_pages_people_read() {
        let mut d = Document::new(crate::model::SourceFormat::FrApiJson);
        d.meta.source_urls = vec![
            "https://www.federalregister.gov/documents/full_text/xml/2024/09/06/2024-19633.xml"
                .into(),
            "https://www.federalregister.gov/documents/2024/09/06/2024-19633/commerce".into(),
        ];
        assert_eq!(
            source_link(&d).as_deref(),
            Some("https://www.federalregister.gov/documents/2024/09/06/2024-19633/commerce")
        );
        d.meta.source_urls = vec![
            "https://www.ecfr.gov/api/versioner/v1/full/2024-10-15/title-15.xml?part=740".into(),
        ];
        assert_eq!(
            source_link(&d).as_deref(),
            Some("https://www.ecfr.gov/on/2024-10-15/title-15/part-740")
        );
    }

    /// The summary keeps the typed flag, not a sentence: the report words
    /// it when it renders, so the outbox holds data.
    #[test]
    fn the_summary_carries_flags_not_sentences() {
        let flag = Flag::new(
            Finding::CountryAdded(CountryFinding {
                country: "KR".into(),
                region: None,
                label: "Korea, South".into(),
                list: "License Exception IEC — Eligible destinations".into(),
                provision: "§ 740.24(b)".into(),
                evidence: Evidence::default(),
            }),
            None,
        );
        let entry = changed_entry(
            "part-740",
            "Part 740\n  License Exceptions",
            vec![flag.clone()],
        );
        let d = digest_of(
            &entry,
            WatchProfile {
                countries: vec!["KR".into()],
                ..WatchProfile::default()
            },
        );
        let changed = &d.feeds[0].changed[0];
        assert_eq!(
            changed.title.as_deref(),
            Some("Part 740 License Exceptions")
        );
        assert_eq!(changed.flags[0].flag.as_ref(), Some(&flag));
        assert_eq!(changed.flags[0].message, "");
        assert_eq!(changed.flags[0].matches, ["country KR"]);
        let key = &d.key_changes[0];
        assert_eq!(key.flag.as_ref(), Some(&flag));
        assert!(key.brief.is_empty() && key.message.is_empty());
        // What the outbox stores: the flag's fields, no sentence.
        let stored = serde_json::to_value(&d).unwrap();
        let note = &stored["feeds"][0]["changed"][0]["flags"][0];
        assert_eq!(note["flag"]["country"], "KR");
        assert!(note.get("message").is_none(), "{note}");
        assert!(stored["key_changes"][0].get("brief").is_none());
        let back: Digest = serde_json::from_value(stored).unwrap();
        assert_eq!(back, d);
    }

    /// Seventeen flags about a watched country do not hide the one about
    /// a watched ECCN (real CCL pair of July 2026: 17 × UAE, then 9A012).
    #[test]
    fn a_profile_s_terms_take_turns_in_what_is_listed() {
        let mut flags: Vec<Flag> = (0..17)
            .map(|i| {
                Flag::new(
                    Finding::CountryAdded(CountryFinding {
                        country: "AE".into(),
                        region: None,
                        label: "United Arab Emirates".into(),
                        list: format!(
                            "ECCN 3A{i:03}'s license requirement: RS applies to 3A{i:03}.z"
                        ),
                        provision: format!("ECCN 3A{i:03}"),
                        evidence: Evidence::default(),
                    }),
                    None,
                )
            })
            .collect();
        let eccn: Finding = serde_json::from_value(serde_json::json!({
            "kind": "eccn_modified", "eccn": "9A012", "field": "items",
            "reworded": ["a.2"], "provision": "ECCN 9A012",
            "evidence": {"before": null, "after": null}
        }))
        .unwrap();
        flags.push(Flag::new(eccn, None));
        let entry = changed_entry("part-774", "Part 774", flags);
        let d = digest_of(
            &entry,
            WatchProfile {
                countries: vec!["AE".into()],
                eccns: vec!["9A012".into()],
                ..WatchProfile::default()
            },
        );
        let listed = &d.feeds[0].changed[0].flags;
        assert_eq!(listed.len(), MAX_FLAGS);
        assert_eq!(listed[1].matches, ["ECCN 9A012"], "{:?}", listed[1].matches);
        assert_eq!(d.key_changes[1].matches, ["ECCN 9A012"]);
        assert_eq!(d.key_changes[0].matches, ["country AE"]);
    }
}
