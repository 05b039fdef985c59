//! [`VersionId`]: the exact name of one stored version, `FEED/ITEM@N`.
//!
//! Why a type: outbox entries, history entries and deadlines name the
//! versions they are about. As strings they were re-parsed wherever they
//! were used; as a value they are compared and resolved directly, and their
//! JSON form stays the `FEED/ITEM@N` string older outbox entries hold.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::refs::{Selector, VersionRef};
use super::{Store, StoreError, Version};

/// One stored version: feed id, item key and 1-based sequence number.
/// Displays, parses and serialises as `FEED/ITEM@N`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct VersionId {
    /// Feed id.
    pub feed: String,
    /// Item key.
    pub item: String,
    /// 1-based position in the item's history.
    pub seq: u32,
}

impl VersionId {
    /// The id of version `seq` of `feed`/`item`.
    pub fn new(feed: &str, item: &str, seq: u32) -> VersionId {
        VersionId {
            feed: feed.to_string(),
            item: item.to_string(),
            seq,
        }
    }
}

impl fmt::Display for VersionId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}@{}", self.feed, self.item, self.seq)
    }
}

impl FromStr for VersionId {
    type Err = StoreError;

    /// Parses `FEED/ITEM@N` exactly (no `@latest`, offsets, dates or
    /// hashes: those are [`VersionRef`]s, resolved against a store).
    fn from_str(s: &str) -> Result<VersionId, StoreError> {
        let bad = |why: &str| {
            StoreError::BadRef(format!("bad version id `{s}`: {why} (form: FEED/ITEM@N)"))
        };
        let (path, seq) = s.rsplit_once('@').ok_or_else(|| bad("no `@N`"))?;
        let (feed, item) = path.split_once('/').ok_or_else(|| bad("no `/ITEM`"))?;
        if feed.is_empty() || item.is_empty() || item.contains('/') {
            return Err(bad("needs one feed and one item"));
        }
        let seq: u32 = seq
            .parse()
            .map_err(|_| bad("the part after `@` is not a version number"))?;
        if seq == 0 {
            return Err(bad("versions count from 1"));
        }
        Ok(VersionId::new(feed, item, seq))
    }
}

impl TryFrom<String> for VersionId {
    type Error = StoreError;

    fn try_from(s: String) -> Result<VersionId, StoreError> {
        s.parse()
    }
}

impl From<VersionId> for String {
    fn from(id: VersionId) -> String {
        id.to_string()
    }
}

impl From<&VersionId> for VersionRef {
    fn from(id: &VersionId) -> VersionRef {
        VersionRef::Item {
            feed: id.feed.clone(),
            item: Some(id.item.clone()),
            selector: Selector::Seq(id.seq),
        }
    }
}

impl Version {
    /// Returns this version's id (`FEED/ITEM@SEQ`).
    pub fn id(&self) -> VersionId {
        VersionId::new(&self.feed, &self.item, self.seq)
    }
}

impl Store {
    /// Returns the version `id` names; a [`StoreError::BadRef`] when the
    /// store holds no such version.
    pub fn version(&self, id: &VersionId) -> Result<Version, StoreError> {
        self.resolve(&VersionRef::from(id))
    }
}

#[cfg(test)]
mod tests {
    use super::VersionId;

    #[test]
    fn version_ids_round_trip_through_their_string_form() {
        let id = VersionId::new("bis-rules", "2024-19633", 2);
        assert_eq!(id.to_string(), "bis-rules/2024-19633@2");
        assert_eq!("bis-rules/2024-19633@2".parse::<VersionId>().unwrap(), id);
        let hashed: VersionId = "press/iec--3f9a0c1d2e4b5a69@11".parse().unwrap();
        assert_eq!(hashed.item, "iec--3f9a0c1d2e4b5a69");
        assert_eq!(hashed.seq, 11);
        let json = serde_json::to_string(&id).unwrap();
        assert_eq!(json, "\"bis-rules/2024-19633@2\"");
        assert_eq!(serde_json::from_str::<VersionId>(&json).unwrap(), id);
    }

    #[test]
    fn version_ids_refuse_what_is_not_one_exact_version() {
        for bad in [
            "",
            "feed",
            "feed/item",
            "feed@3",
            "feed/item@latest",
            "feed/item@-1",
            "feed/item@0",
            "feed/item@2024-09-06",
            "/item@1",
            "feed/@1",
            "feed/a/b@1",
        ] {
            let err = bad.parse::<VersionId>().unwrap_err().to_string();
            assert!(err.contains("FEED/ITEM@N"), "{bad}: {err}");
        }
        assert!(serde_json::from_str::<VersionId>("\"feed/item@x\"").is_err());
    }
}
