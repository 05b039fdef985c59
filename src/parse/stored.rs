//! Models of stored versions, cached beside them in the store.
//!
//! A version's model is a pure function of its content, its metadata and
//! [`MODEL_VERSION`], so it is cached under that key
//! (`derived/model-v<N>/…`): diffs and reminders read it instead of
//! re-parsing, identical content is parsed once, and a parser upgrade
//! (new `MODEL_VERSION`) simply misses the old cache and rebuilds.

use thiserror::Error;

use super::{Input, ParseError, parse};
use crate::model::{DateFact, DateKind, DateOrigin, DateSource, Document, MODEL_VERSION};
use crate::store::{Store, StoreError, Version, VersionId};

/// Why a stored version has no model.
#[derive(Debug, Error)]
pub enum ModelError {
    /// Reading the version's objects failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The content could not be parsed.
    #[error("{version}: {source}")]
    Parse {
        /// The version (`FEED/ITEM@N`).
        version: VersionId,
        /// Why.
        source: ParseError,
    },
}

/// A stored version without a model, and why. Displays as
/// `FEED/ITEM@N: why`, naming the version once.
#[derive(Debug)]
pub struct NoModel {
    /// The version.
    pub version: VersionId,
    /// Why it has no model.
    pub error: ModelError,
}

impl std::fmt::Display for NoModel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.error {
            // A parse error names the version already.
            ModelError::Parse { .. } => write!(f, "{}", self.error),
            ModelError::Store(e) => write!(f, "{}: {e}", self.version),
        }
    }
}

impl std::error::Error for NoModel {}

fn cache_kind() -> String {
    format!("model-v{MODEL_VERSION}")
}

/// The cache key of a version's model.
/// Everything the model depends on besides the parser: content,
/// metadata, the dates the fetcher recorded for the version, and its
/// recorded source (left out when absent, so older versions keep their
/// keys).
pub fn cache_key(v: &Version) -> String {
    let meta = v.metadata.as_ref().map_or("", |m| m.hash.as_str());
    let as_of = v.as_of.map(|d| d.to_string()).unwrap_or_default();
    let published = v.published.map(|d| d.to_string()).unwrap_or_default();
    let mut key = format!("{}+{meta}+{as_of}+{published}", v.content.hash);
    if let Some(s) = v.source {
        key.push('+');
        key.push_str(&serde_json::to_string(&s).unwrap_or_default());
    }
    blake3::hash(key.as_bytes()).to_hex().to_string()
}

/// Parses a stored version (no cache).
pub fn parse_version(store: &Store, v: &Version) -> Result<Document, ModelError> {
    let content = store.read_object(&v.content.hash)?;
    let metadata = match &v.metadata {
        Some(m) => Some(store.read_object(&m.hash)?),
        None => None,
    };
    let input = Input {
        bytes: &content,
        content_type: v.content.content_type.as_deref(),
        name: v.content.url.as_deref(),
        selector: None,
        metadata: metadata.as_deref(),
        published: v.published,
        source: v.source,
    };
    let mut doc = parse(&input).map_err(|source| ModelError::Parse {
        version: v.id(),
        source,
    })?;
    // What the fetcher knew: the eCFR version date, the feed's publication date.
    if let Some(d) = v.as_of
        && doc.date(DateKind::AsOf).is_none()
    {
        doc.dates.push(DateFact {
            origin: Some(DateOrigin::Api),
            ..DateFact::new(
                DateKind::AsOf,
                d,
                format!("version date of {}", v.reference()),
                DateSource::Api,
            )
        });
    }
    Ok(doc)
}

/// The model of a stored version: from the cache when present (and
/// readable), else parsed and cached. A cache that cannot be written is
/// not an error: the model is still returned.
pub fn model_for(store: &Store, v: &Version) -> Result<Document, ModelError> {
    let kind = cache_kind();
    let key = cache_key(v);
    if let Ok(Some(bytes)) = store.read_derived(&kind, &key)
        && let Ok(doc) = serde_json::from_slice::<Document>(&bytes)
        && doc.model_version == MODEL_VERSION
    {
        return Ok(doc);
    }
    let doc = parse_version(store, v)?;
    if let Ok(bytes) = serde_json::to_vec(&doc) {
        let _ = store.write_derived(&kind, &key, &bytes);
    }
    Ok(doc)
}

#[cfg(test)]
mod tests {
    use super::{ModelError, NoModel};
    use crate::parse::ParseError;
    use crate::store::{StoreError, VersionId};

    #[test]
    fn a_version_without_a_model_is_named_once_whatever_failed() {
        let version = VersionId::new("ear", "part-740", 3);
        let parse = NoModel {
            version: version.clone(),
            error: ModelError::Parse {
                version: version.clone(),
                source: ParseError::Empty,
            },
        };
        assert_eq!(parse.to_string(), "ear/part-740@3: the input is empty");
        let read = NoModel {
            version,
            error: ModelError::Store(StoreError::BadRef("object gone".into())),
        };
        let text = read.to_string();
        assert!(text.starts_with("ear/part-740@3: "), "{text}");
        assert_eq!(text.matches("ear/part-740@3").count(), 1, "{text}");
    }
}
