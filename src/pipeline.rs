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

use crate::config::FeedSpec;
use crate::fetch::{FetchError, HttpClient, ItemError, fetch_feed};
use crate::parse::stored::NoModel;
use crate::store::{ItemRecord, ItemStatus, Store, StoreLock, Version};

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
    pub errors: Vec<String>,
    /// Bytes added to the store.
    pub bytes_added: u64,
    /// New versions whose content could not be parsed into a model. They
    /// are stored all the same; diffs fall back to text for them.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub parse_problems: Vec<String>,
    /// Items stored as received that are not what the feed expects (a
    /// binary body, no or a non-text content type), as `FEED/ITEM: why`;
    /// only for items that got a new version in this fetch.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
    /// The feed failed because its server could not be reached at all
    /// (DNS, refused, TLS): when every failed feed says so, the network is
    /// the likelier culprit than the sources.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub unreachable: bool,
}

impl FeedOutcome {
    /// Returns true when the feed or any of its items failed.
    pub fn has_errors(&self) -> bool {
        self.status == FeedStatus::Failed || !self.errors.is_empty()
    }

    fn failed(feed: &str, error: String) -> Self {
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
/// cache beside it (see [`crate::parse::stored`]); returns why each version
/// that has no model has none, with its item key.
fn model_new_versions(store: &Store, versions: &[Version]) -> Vec<(String, String)> {
    versions
        .iter()
        .filter_map(|v| {
            let error = crate::parse::stored::model_for(store, v).err()?;
            // `FEED/ITEM@N: why`, whether parsing or reading failed.
            let why = NoModel {
                version: v.id(),
                error,
            }
            .to_string();
            Some((v.item.clone(), why))
        })
        .collect()
}

/// A fetch warning (`… stored as received`) completed with what the parser
/// made of the item's new version.
fn warning_with_model(feed: &str, w: &ItemError, unmodelled: &[(String, String)]) -> String {
    let model = if unmodelled.iter().any(|(item, _)| *item == w.key) {
        "not parsed (no model built)"
    } else {
        "and parsed into a model"
    };
    format!("{feed}/{}: {}, {model}", w.key, w.message)
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
                    let o = FeedOutcome::failed(&spec.id, e.to_string());
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
                    format!("internal error in a fetch task: {e}; please report this bug"),
                );
                on_done(&o);
                continue;
            }
        };
        let feed = &feeds[index].id;
        let outcome = match result {
            Err(e) => FeedOutcome {
                unreachable: e.is_offline(),
                ..FeedOutcome::failed(feed, e.to_string())
            },
            Ok(fetch) => match store.record(lock, &fetch, fetched_at) {
                Err(e) => FeedOutcome::failed(feed, e.to_string()),
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
                    let unmodelled = tokio::task::spawn_blocking(move || {
                        model_new_versions(&s, &versions)
                    })
                    .await
                    .unwrap_or_else(|e| {
                        vec![(
                            String::new(),
                            format!("internal error in a parse task: {e}; please report this bug"),
                        )]
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
                        .filter(|w| stored(&w.key))
                        .map(|w| warning_with_model(feed, w, &unmodelled))
                        .collect();
                    FeedOutcome {
                        feed: feed.clone(),
                        status,
                        items: summary.items,
                        errors: summary
                            .errors
                            .iter()
                            .map(|e| format!("{}: {}", e.key, e.message))
                            .collect(),
                        bytes_added: summary.bytes_added,
                        parse_problems: unmodelled.into_iter().map(|(_, why)| why).collect(),
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
            o.unwrap_or_else(|| FeedOutcome::failed(&feeds[i].id, "fetch task was lost".into()))
        })
        .collect()
}
