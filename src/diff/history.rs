//! Every change the store has seen: each version against the one before
//! it, newest first, for `regwatch changes` and the run summary.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::documents::document_added;
use super::stored::{DiffError, diff_versions};
use super::{DocumentFinding, Evidence, Finding, Flag, Summary};
use crate::parse::stored::{ModelError, model_for};
use crate::store::{SkippedItem, Store, StoreError, Version, VersionId};

/// One step of an item's history.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct HistoryEntry {
    /// Feed id.
    pub feed: String,
    /// Item key.
    pub item: String,
    /// Item title, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// The version compared with (`FEED/ITEM@N`): the previous one, or the
    /// last readable one (see `note`); absent for an item's first version
    /// and for a version shown as new.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub before: Option<VersionId>,
    /// The newer version.
    pub after: VersionId,
    /// When regwatch fetched the newer version.
    pub fetched_at: DateTime<Utc>,
    /// The newer version's own date (eCFR as-of date, else fetch day).
    pub date: NaiveDate,
    /// True when more than formatting changed (always true for a new item).
    pub substantive: bool,
    /// Counts of the underlying diff (zero for a new item).
    pub summary: Summary,
    /// The flags: `document_added` for a new item, else the diff's flags.
    pub flags: Vec<Flag>,
    /// Why this entry is not a plain comparison with the version before:
    /// the new version could not be read, or the previous one could not
    /// (then `before` is the last readable version, or absent when there is
    /// none and the version is shown as new). Absent normally.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// What [`changes`] found, and the versions it could not compare.
#[derive(Debug, Default)]
pub struct History {
    /// Entries, newest first.
    pub entries: Vec<HistoryEntry>,
    /// Items whose history file could not be read (file, line, why); their
    /// versions are not in `entries`.
    pub problems: Vec<SkippedItem>,
}

/// Walks the histories of `feed` (or all feeds), comparing each version
/// with its predecessor, keeping versions dated on or after `since`.
pub fn changes(
    store: &Store,
    feed: Option<&str>,
    since: Option<NaiveDate>,
) -> Result<History, StoreError> {
    changes_where(store, &|v: &Version| {
        feed.is_none_or(|want| want == v.feed) && since.is_none_or(|s| v.effective_date() >= s)
    })
}

/// Like [`changes`], for the versions `keep` accepts (the run asks for the
/// versions a recipient has not been told about). Only kept versions are
/// compared, so the cost follows what is new, not the store's size.
///
/// A kept version is never dropped: when it cannot be compared with its
/// predecessor, it becomes an entry whose `note` says why (see [`entry`]).
/// Only an item whose history file cannot be read is left out, named in
/// `problems` with its file and line.
pub fn changes_where(
    store: &Store,
    keep: &dyn Fn(&Version) -> bool,
) -> Result<History, StoreError> {
    let mut out = History::default();
    let all = store.all_histories()?;
    out.problems
        .extend(all.damaged.into_iter().map(SkippedItem));
    for (f, item, history) in &all.items {
        for (i, v) in history.iter().enumerate() {
            if keep(v) {
                out.entries.push(entry(store, f, item, &history[..i], v));
            }
        }
    }
    out.entries
        .sort_by_key(|e| std::cmp::Reverse((e.date, e.fetched_at)));
    Ok(out)
}

/// Why a stored version cannot be read: its model cannot be built or its
/// content object cannot be read back.
fn unreadable(store: &Store, v: &Version) -> Option<String> {
    if let Err(e) = model_for(store, v) {
        return Some(model_reason(&e));
    }
    store
        .read_object(&v.content.hash)
        .err()
        .map(|e| e.to_string())
}

/// The reason in a [`ModelError`], without the version it names.
fn model_reason(e: &ModelError) -> String {
    match e {
        ModelError::Parse { source, .. } => source.to_string(),
        ModelError::Store(s) => s.to_string(),
    }
}

fn diff_reason(e: &DiffError) -> String {
    match e {
        DiffError::Model(m) => model_reason(m),
        DiffError::Store(s) => s.to_string(),
    }
}

/// The entry for `v`, whose earlier versions are `earlier` (oldest first).
///
/// - First version: `document_added` (from its model, or from its title
///   with a note when it cannot be read).
/// - Otherwise the diff with the previous version. When that fails:
///   - the new version cannot be read: an entry with no flags whose note
///     says so;
///   - the previous one cannot be read: compared with the last readable
///     earlier version, or shown as new when there is none, with a note.
fn entry(store: &Store, feed: &str, item: &str, earlier: &[Version], v: &Version) -> HistoryEntry {
    let mut e = HistoryEntry {
        feed: feed.to_string(),
        item: item.to_string(),
        title: v.title.clone(),
        before: None,
        after: v.id(),
        fetched_at: v.fetched_at,
        date: v.effective_date(),
        substantive: true,
        summary: Summary::default(),
        flags: Vec::new(),
        note: None,
    };
    let Some(prev) = earlier.last() else {
        let (flag, note) = as_new(store, item, v);
        e.flags = vec![flag];
        e.summary.flags = 1;
        e.note = note.map(|why| format!("could not be read: {why}"));
        return e;
    };
    let failed = match diff_versions(store, prev, v) {
        Ok(diff) => {
            e.before = Some(prev.id());
            e.set_diff(diff);
            return e;
        }
        Err(failed) => failed,
    };
    if let Some(why) = unreadable(store, v) {
        e.before = Some(prev.id());
        e.note = Some(format!("new version could not be read: {why}"));
        return e;
    }
    let why = unreadable(store, prev).unwrap_or_else(|| diff_reason(&failed));
    let lost = format!("previous version {} unreadable: {why}", prev.reference());
    let older = earlier.len().saturating_sub(1);
    for p in earlier[..older].iter().rev() {
        if let Ok(diff) = diff_versions(store, p, v) {
            e.before = Some(p.id());
            e.set_diff(diff);
            e.note = Some(format!(
                "{lost}; compared with the last readable one (@{})",
                p.seq
            ));
            return e;
        }
    }
    let (flag, _) = as_new(store, item, v);
    e.flags = vec![flag];
    e.summary.flags = 1;
    e.note = Some(format!("{lost}; shown as new"));
    e
}

/// The `document_added` flag of `v`, and why its model is missing, if it is.
fn as_new(store: &Store, item: &str, v: &Version) -> (Flag, Option<String>) {
    match model_for(store, v) {
        Ok(doc) => (document_added(&doc), None),
        Err(why) => {
            let title = v.title.clone().unwrap_or_else(|| item.to_string());
            let found = DocumentFinding {
                doc_type: None,
                number: None,
                title: Some(title),
                citation: None,
                evidence: Evidence::default(),
            };
            let f = Flag::new(Finding::DocumentAdded(found), Some(item));
            (f, Some(model_reason(&why)))
        }
    }
}

impl HistoryEntry {
    fn set_diff(&mut self, diff: super::Diff) {
        self.flags = diff.flags;
        self.summary = diff.summary;
        self.substantive = diff.substantive;
    }
}
