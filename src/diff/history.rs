//! Every change the store has seen: each version against the one before
//! it, newest first, for `regwatch changes` and the run summary.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::documents::{document_added, other_documents_dates};
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
/// An item whose history file has a damaged line is named in `problems`
/// with its file and line, on every call until the file is repaired; the
/// versions on the lines before that one are still compared and kept, the
/// later ones wait (unreported, never marked as told) for the repair.
pub fn changes_where(
    store: &Store,
    keep: &dyn Fn(&Version) -> bool,
) -> Result<History, StoreError> {
    let mut out = History::default();
    let all = store.all_histories()?;
    out.problems
        .extend(all.damaged.into_iter().map(SkippedItem));
    for (f, item, history) in all.items.iter().chain(&all.partial) {
        let mut why = remembered(|v: &Version| unreadable(store, v));
        for (i, v) in history.iter().enumerate() {
            if keep(v) {
                out.entries
                    .push(entry(store, f, item, &history[..i], v, &mut why));
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

/// `check` (why a version cannot be read), remembered by version hash: the
/// entries of one item walk back over the same versions, and each is read
/// once.
fn remembered<'a>(
    mut check: impl FnMut(&Version) -> Option<String> + 'a,
) -> impl FnMut(&Version) -> Option<String> + 'a {
    let mut known: HashMap<String, Option<String>> = HashMap::new();
    move |v: &Version| {
        known
            .entry(v.hash.clone())
            .or_insert_with(|| check(v))
            .clone()
    }
}

/// The newest of `earlier` that can be read, walking backwards and
/// stopping at the first readable one.
fn last_readable<'v>(
    earlier: &'v [Version],
    why: &mut dyn FnMut(&Version) -> Option<String>,
) -> Option<&'v Version> {
    earlier.iter().rev().find(|p| why(p).is_none())
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
fn entry(
    store: &Store,
    feed: &str,
    item: &str,
    earlier: &[Version],
    v: &Version,
    why: &mut dyn FnMut(&Version) -> Option<String>,
) -> HistoryEntry {
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
        let (flags, note) = as_new(store, item, v);
        e.summary.flags = flags.len();
        e.flags = flags;
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
    if let Some(reason) = why(v) {
        e.before = Some(prev.id());
        e.note = Some(format!("new version could not be read: {reason}"));
        return e;
    }
    let reason = why(prev).unwrap_or_else(|| diff_reason(&failed));
    let lost = format!("previous version {} unreadable: {reason}", prev.reference());
    let older = &earlier[..earlier.len().saturating_sub(1)];
    if let Some(p) = last_readable(older, why)
        && let Ok(diff) = diff_versions(store, p, v)
    {
        e.before = Some(p.id());
        e.set_diff(diff);
        e.note = Some(format!(
            "{lost}; compared with the last readable one (@{})",
            p.seq
        ));
        return e;
    }
    let (flags, _) = as_new(store, item, v);
    e.summary.flags = flags.len();
    e.flags = flags;
    e.note = Some(format!("{lost}; shown as new"));
    e
}

/// The `document_added` flag of `v` (first), with the dates it changes of
/// other documents, and why its model is missing, if it is.
fn as_new(store: &Store, item: &str, v: &Version) -> (Vec<Flag>, Option<String>) {
    match model_for(store, v) {
        Ok(doc) => {
            let mut flags = vec![document_added(&doc)];
            flags.extend(other_documents_dates(&doc));
            (flags, None)
        }
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
            (vec![f], Some(model_reason(&why)))
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

#[cfg(test)]
mod tests {
    use std::cell::Cell;

    use chrono::{TimeZone, Utc};

    use super::{last_readable, remembered};
    use crate::store::{Blob, Version};

    fn version(seq: u32) -> Version {
        Version {
            seq,
            feed: "f".into(),
            item: "i".into(),
            fetched_at: Utc.with_ymd_and_hms(2024, 10, 1, 6, 0, 0).unwrap(),
            as_of: None,
            published: None,
            title: None,
            content: Blob {
                hash: format!("{seq:064x}"),
                size: 1,
                content_type: None,
                url: None,
                etag: None,
                last_modified: None,
            },
            metadata: None,
            raw: None,
            source: None,
            prev: None,
            hash: format!("h{seq}"),
        }
    }

    #[test]
    fn each_unreadable_version_is_read_once_however_many_entries_walk_past_it() {
        // @1 readable, @2..@200 lost: every entry walks back to @1.
        let history: Vec<Version> = (1..=200).map(version).collect();
        let reads = Cell::new(0usize);
        let mut why = remembered(|v: &Version| {
            reads.set(reads.get() + 1);
            (v.seq > 1).then(|| "object missing".to_string())
        });
        for i in 1..=history.len() {
            let found = last_readable(&history[..i], &mut why);
            assert_eq!(found.map(|v| v.seq), Some(1));
        }
        assert_eq!(reads.get(), 200, "each version checked once");
        // The walk stops at the first readable one from the end.
        let mut none_lost = remembered(|_: &Version| None);
        assert_eq!(
            last_readable(&history, &mut none_lost).map(|v| v.seq),
            Some(200)
        );
    }
}
