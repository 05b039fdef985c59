//! Every change the store has seen: each version against the one before
//! it, newest first, for `regwatch changes` and the run summary.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::documents::document_added;
use super::stored::diff_versions;
use super::{Flag, FlagKind, Summary};
use crate::parse::stored::model_for;
use crate::store::{Store, StoreError, Version};

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
    /// The older version (`FEED/ITEM@N`); absent for an item's first version.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub before: Option<String>,
    /// The newer version.
    pub after: String,
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
}

/// What [`changes`] found, and the versions it could not compare.
#[derive(Debug, Default)]
pub struct History {
    /// Entries, newest first.
    pub entries: Vec<HistoryEntry>,
    /// `FEED/ITEM@N: why` for versions that could not be parsed or read.
    pub problems: Vec<String>,
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
pub fn changes_where(
    store: &Store,
    keep: &dyn Fn(&Version) -> bool,
) -> Result<History, StoreError> {
    let mut out = History::default();
    for (f, item, history) in store.all_histories()? {
        for (i, v) in history.iter().enumerate() {
            if !keep(v) {
                continue;
            }
            let prev = i.checked_sub(1).and_then(|j| history.get(j));
            match entry(store, &f, &item, prev, v) {
                Ok(e) => out.entries.push(e),
                Err(why) => out.problems.push(format!("{}: {why}", v.reference())),
            }
        }
    }
    out.entries
        .sort_by_key(|e| std::cmp::Reverse((e.date, e.fetched_at)));
    Ok(out)
}

fn entry(
    store: &Store,
    feed: &str,
    item: &str,
    prev: Option<&Version>,
    v: &Version,
) -> Result<HistoryEntry, String> {
    let (flags, summary, substantive) = match prev {
        None => {
            let flag = match model_for(store, v) {
                Ok(doc) => document_added(&doc),
                Err(_) => {
                    let title = v.title.clone().unwrap_or_else(|| item.to_string());
                    let mut f = Flag::new(FlagKind::DocumentAdded, format!("New item: {title}"));
                    f.document = Some(item.to_string());
                    f.after = Some(title);
                    f
                }
            };
            let summary = Summary {
                flags: 1,
                ..Summary::default()
            };
            (vec![flag], summary, true)
        }
        Some(p) => {
            let diff = diff_versions(store, p, v).map_err(|e| e.to_string())?;
            (diff.flags, diff.summary, diff.substantive)
        }
    };
    Ok(HistoryEntry {
        feed: feed.to_string(),
        item: item.to_string(),
        title: v.title.clone(),
        before: prev.map(Version::reference),
        after: v.reference(),
        fetched_at: v.fetched_at,
        date: v.effective_date(),
        substantive,
        summary,
        flags,
    })
}
