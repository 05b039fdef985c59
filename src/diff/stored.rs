//! Diffs of stored versions, cached beside them.
//!
//! A diff is a pure function of the two versions' models and bytes, so
//! it is cached under `derived/diff-v<DIFF>-m<MODEL>/` keyed by both
//! versions' model keys: `regwatch changes` walks an item's history
//! without recomputing old diffs, and a new diff or parser version simply
//! misses the old cache.

use std::time::{Duration, Instant};

use thiserror::Error;

use super::raw::compare_source;
use super::{DIFF_VERSION, Diff, compare, raw};
use crate::model::MODEL_VERSION;
use crate::parse::stored::{ModelError, cache_key, model_for};
use crate::parse::text::decode_borrowed;
use crate::store::{Store, StoreError, Version};

/// Time allowed for the source line comparison of one version pair.
const SOURCE_BUDGET: Duration = Duration::from_secs(2);

/// Why two stored versions could not be compared.
#[derive(Debug, Error)]
pub enum DiffError {
    /// A version's model could not be built.
    #[error(transparent)]
    Model(#[from] ModelError),
    /// The store could not be read.
    #[error(transparent)]
    Store(#[from] StoreError),
}

fn cache_kind() -> String {
    format!("diff-v{DIFF_VERSION}-m{MODEL_VERSION}")
}

/// Compares two bodies of source bytes and folds the result into `diff`:
/// the formatting the model hides, counted by kind.
pub fn add_source_comparison(diff: &mut Diff, old: &[u8], new: &[u8]) {
    if let Some(source) = source_comparison(old, new) {
        raw::attach(diff, &source);
    }
}

/// The line comparison of two stored byte strings that
/// [`add_source_comparison`] attaches, computed on its own (so a caller can
/// run it beside the parsing of both sides); `None` when the bytes are equal.
pub fn source_comparison(old: &[u8], new: &[u8]) -> Option<raw::SourceComparison> {
    if old == new {
        return None;
    }
    let (a, _) = decode_borrowed(old);
    let (b, _) = decode_borrowed(new);
    Some(compare_source(&a, &b, Instant::now() + SOURCE_BUDGET))
}

/// The diff between two stored versions (cached).
pub fn diff_versions(store: &Store, before: &Version, after: &Version) -> Result<Diff, DiffError> {
    let kind = cache_kind();
    let key = blake3::hash(format!("{}>{}", cache_key(before), cache_key(after)).as_bytes())
        .to_hex()
        .to_string();
    if let Ok(Some(bytes)) = store.read_derived(&kind, &key)
        && let Ok(diff) = serde_json::from_slice::<Diff>(&bytes)
    {
        return Ok(diff);
    }
    let old = model_for(store, before)?;
    let new = model_for(store, after)?;
    let mut diff = compare(&old, &new);
    if before.content.hash != after.content.hash {
        let a = store.read_object(&before.content.hash)?;
        let b = store.read_object(&after.content.hash)?;
        add_source_comparison(&mut diff, &a, &b);
    }
    if let Ok(bytes) = serde_json::to_vec(&diff) {
        let _ = store.write_derived(&kind, &key, &bytes);
    }
    Ok(diff)
}
