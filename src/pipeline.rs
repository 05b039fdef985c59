//! The conductor: runs fetch → store → parse for a set of feeds and reports one
//! [`FeedOutcome`] per feed.
//!
//! Why a module of its own: the CLI's `fetch`, the demo and (later) the cron
//! `run` all drive the same stages the same way. Feeds run concurrently; a
//! feed that fails becomes a `Failed` outcome and never stops the others.
//! Only this module and the CLI name more than one stage.

use chrono::{DateTime, Utc};
use serde::Serialize;
use tokio::task::JoinSet;

use std::fmt;
use std::sync::Arc;

use crate::config::FeedSpec;
use crate::fetch::{FetchError, HttpClient, ItemError, fetch_feed};
use crate::parse::stored::NoModel;
use crate::store::{ItemRecord, ItemStatus, Store, StoreError, StoreLock, Version};

/// How many feeds are fetched at once (hosts have their own limit on top).
const FEED_CONCURRENCY: usize = 8;

/// The overall result for one feed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FeedStatus {
    /// At least one item appeared for the first time.
    New,
    /// At least one known item has a new version.
    Changed,
    /// Nothing new.
    Unchanged,
    /// The feed could not be fetched or stored.
    Failed,
}

/// Why a feed, or one of its items, failed: kept typed (the CLI and tests
/// read the kind), written as one line (`Display`, and as a JSON string).
#[derive(Debug, Clone)]
pub enum FeedProblem {
    /// The feed could not be fetched (`FetchError` names the feed).
    Fetch(Arc<FetchError>),
    /// The store could not read the feed's state or record its items.
    Store(Arc<StoreError>),
    /// One item failed; the feed's other items were stored.
    Item(ItemError),
    /// A fetch task panicked or was lost: a bug, reported as such.
    Internal(String),
}

impl FeedProblem {
    /// The fetch error, when the feed failed to fetch.
    pub fn fetch_error(&self) -> Option<&FetchError> {
        match self {
            FeedProblem::Fetch(e) => Some(e),
            _ => None,
        }
    }
}

impl fmt::Display for FeedProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FeedProblem::Fetch(e) => e.fmt(f),
            FeedProblem::Store(e) => e.fmt(f),
            FeedProblem::Item(e) => write!(f, "{}: {}", e.key, e.message),
            FeedProblem::Internal(m) => f.write_str(m),
        }
    }
}

impl Serialize for FeedProblem {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// An item stored as received although it is not what its feed expects
/// (`FEED/ITEM: why`), or a warning of the whole feed, such as a `file`
/// feed's empty folder (`FEED: why`).
#[derive(Debug, Clone)]
pub struct ItemWarning {
    /// The feed id.
    pub feed: String,
    /// The item and the warning.
    pub warning: ItemError,
}

impl fmt::Display for ItemWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.warning.key.is_empty() {
            // A warning of the whole feed.
            return write!(f, "{}: {}", self.feed, self.warning.message);
        }
        write!(
            f,
            "{}/{}: {}",
            self.feed, self.warning.key, self.warning.message
        )
    }
}

/// Serialises typed notes as the lines they display as (JSON.md).
fn lines<T: fmt::Display, S: serde::Serializer>(v: &[T], s: S) -> Result<S::Ok, S::Error> {
    s.collect_seq(v.iter().map(ToString::to_string))
}

/// What one feed's fetch did.
#[derive(Debug, Clone, Serialize)]
pub struct FeedOutcome {
    /// Feed id.
    pub feed: String,
    /// Summary status.
    pub status: FeedStatus,
    /// Items touched, with their own status.
    pub items: Vec<ItemRecord>,
    /// Errors: the feed's own (when `Failed`) or its items'.
    pub errors: Vec<FeedProblem>,
    /// Bytes added to the store.
    pub bytes_added: u64,
    /// New versions whose content could not be parsed into a model. They
    /// are stored all the same; diffs fall back to text for them.
    #[serde(skip_serializing_if = "Vec::is_empty", serialize_with = "lines")]
    pub parse_problems: Vec<Arc<NoModel>>,
    /// Items stored as received that are not what the feed expects (a
    /// binary body, no or a non-text content type), as `FEED/ITEM: why`;
    /// only for items that got a new version in this fetch.
    #[serde(skip_serializing_if = "Vec::is_empty", serialize_with = "lines")]
    pub warnings: Vec<ItemWarning>,
    /// The feed failed because its server could not be reached at all
    /// (DNS, refused, TLS): when every failed feed says so, the network is
    /// the likelier culprit than the sources.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub unreachable: bool,
}

impl FeedOutcome {
    /// The warnings, then the parse problems, as the lines they display as.
    pub fn notes(&self) -> Vec<String> {
        let warnings = self.warnings.iter().map(ToString::to_string);
        warnings
            .chain(self.parse_problems.iter().map(|p| p.to_string()))
            .collect()
    }

    /// Returns true when the feed or any of its items failed.
    pub fn has_errors(&self) -> bool {
        self.status == FeedStatus::Failed || !self.errors.is_empty()
    }

    fn failed(feed: &str, error: FeedProblem) -> Self {
        FeedOutcome {
            feed: feed.to_string(),
            status: FeedStatus::Failed,
            items: Vec::new(),
            errors: vec![error],
            bytes_added: 0,
            parse_problems: Vec::new(),
            warnings: Vec::new(),
            unreachable: false,
        }
    }
}

/// Parses each version just stored, so its model sits in the store's
/// cache beside it (see [`crate::parse::stored`]).
fn model_new_versions(store: &Store, versions: &[Version]) -> Vec<Arc<NoModel>> {
    versions
        .iter()
        .filter_map(|v| {
            let error = crate::parse::stored::model_for(store, v).err()?;
            // `FEED/ITEM@N: why`, whether parsing or reading failed.
            Some(Arc::new(NoModel {
                version: v.id(),
                error,
            }))
        })
        .collect()
}

/// A fetch warning (`… stored as received`) completed with what the parser
/// made of the item's new version.
fn warning_with_model(w: &ItemError, unmodelled: &[Arc<NoModel>]) -> ItemError {
    let model = if unmodelled.iter().any(|n| n.version.item == w.key) {
        "not parsed (no model built)"
    } else {
        "and parsed into a model"
    };
    ItemError {
        key: w.key.clone(),
        message: format!("{}, {model}", w.message),
    }
}

/// Fetches `feeds` and records what is new in `store`, calling `on_done`
/// as each feed finishes; returns the outcomes in `feeds` order.
pub async fn fetch_and_store(
    feeds: &[FeedSpec],
    store: &Store,
    lock: &StoreLock,
    client: &HttpClient,
    fetched_at: DateTime<Utc>,
    mut on_done: impl FnMut(&FeedOutcome),
) -> Vec<FeedOutcome> {
    let mut outcomes: Vec<Option<FeedOutcome>> = vec![None; feeds.len()];
    let mut tasks: JoinSet<(usize, Result<crate::fetch::FeedFetch, FetchError>)> = JoinSet::new();
    let mut next = 0;
    loop {
        while next < feeds.len() && tasks.len() < FEED_CONCURRENCY {
            let spec = feeds[next].clone();
            match store.fetch_state(&spec.id) {
                Ok(state) => {
                    let client = client.clone();
                    let index = next;
                    tasks.spawn(async move { (index, fetch_feed(&spec, &state, &client).await) });
                }
                Err(e) => {
                    let o = FeedOutcome::failed(&spec.id, FeedProblem::Store(Arc::new(e)));
                    on_done(&o);
                    outcomes[next] = Some(o);
                }
            }
            next += 1;
        }
        let Some(joined) = tasks.join_next().await else {
            break;
        };
        let (index, result) = match joined {
            Ok(r) => r,
            Err(e) => {
                // A panicking fetcher is a bug; the run still finishes the other feeds.
                let o = FeedOutcome::failed(
                    "?",
                    FeedProblem::Internal(format!(
                        "internal error in a fetch task: {e}; please report this bug"
                    )),
                );
                on_done(&o);
                continue;
            }
        };
        let feed = &feeds[index].id;
        let outcome = match result {
            Err(e) => FeedOutcome {
                unreachable: e.is_offline(),
                ..FeedOutcome::failed(feed, FeedProblem::Fetch(Arc::new(e)))
            },
            Ok(fetch) => match store.record(lock, &fetch, fetched_at) {
                Err(e) => FeedOutcome::failed(feed, FeedProblem::Store(Arc::new(e))),
                Ok(summary) => {
                    let status = if summary.items.iter().any(|i| i.status == ItemStatus::New) {
                        FeedStatus::New
                    } else if summary
                        .items
                        .iter()
                        .any(|i| i.status == ItemStatus::Changed)
                    {
                        FeedStatus::Changed
                    } else {
                        FeedStatus::Unchanged
                    };
                    // Parsing is CPU-bound (html5ever up to its work bound):
                    // keep it off the async workers, so other feeds' fetches
                    // go on meanwhile.
                    let (s, versions) = (store.clone(), summary.new_versions.clone());
                    let mut errors: Vec<FeedProblem> = Vec::new();
                    let parse_problems =
                        tokio::task::spawn_blocking(move || model_new_versions(&s, &versions))
                            .await
                            .unwrap_or_else(|e| {
                                errors.push(FeedProblem::Internal(format!(
                                    "internal error in a parse task: {e}; please report this bug"
                                )));
                                Vec::new()
                            });
                    // Warned when stored: an unchanged body (a file re-read,
                    // a page without validators) is not news, nor is its warning.
                    let stored = |key: &str| {
                        summary
                            .items
                            .iter()
                            .any(|i| i.item == key && i.status != ItemStatus::Unchanged)
                    };
                    let warnings = fetch
                        .warnings
                        .iter()
                        .filter(|w| w.key.is_empty() || stored(&w.key))
                        .map(|w| ItemWarning {
                            feed: feed.clone(),
                            warning: if w.key.is_empty() {
                                w.clone()
                            } else {
                                warning_with_model(w, &parse_problems)
                            },
                        })
                        .collect();
                    FeedOutcome {
                        feed: feed.clone(),
                        status,
                        items: summary.items,
                        errors: summary
                            .errors
                            .into_iter()
                            .map(FeedProblem::Item)
                            .chain(errors)
                            .collect(),
                        bytes_added: summary.bytes_added,
                        parse_problems,
                        warnings,
                        unreachable: false,
                    }
                }
            },
        };
        on_done(&outcome);
        outcomes[index] = Some(outcome);
    }
    outcomes
        .into_iter()
        .enumerate()
        .map(|(i, o)| {
            o.unwrap_or_else(|| {
                FeedOutcome::failed(
                    &feeds[i].id,
                    FeedProblem::Internal("fetch task was lost".into()),
                )
            })
        })
        .collect()
}
