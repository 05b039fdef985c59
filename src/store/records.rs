//! Small JSON records kept beside the versions: the outbox of messages and
//! their delivery state (`outbox/<id>.json`).
//!
//! Why in the store: a summary must survive a crash between being composed
//! and being delivered, and the same rules apply as for versions: atomic
//! temp + fsync + rename writes under the store's lock, so a record is
//! either the old one or the new one, never half of each. Unlike `derived/`
//! these are not caches: deleting the outbox forgets what was sent.

use std::fs;
use std::path::PathBuf;

use super::{Store, StoreError, StoreLock, atomic};

impl Store {
    fn records_dir(&self, collection: &str) -> PathBuf {
        self.root.join(collection)
    }

    /// Writes record `name` of `collection` atomically. Needs the lock.
    pub fn write_record(
        &self,
        _lock: &StoreLock,
        collection: &str,
        name: &str,
        bytes: &[u8],
    ) -> Result<(), StoreError> {
        let dir = self.records_dir(collection);
        fs::create_dir_all(&dir).map_err(|e| StoreError::io("cannot create", &dir, e))?;
        atomic::write(&self.tmp_dir(), &dir.join(format!("{name}.json")), bytes)
    }

    /// Reads record `name` of `collection`, if it exists.
    pub fn read_record(&self, collection: &str, name: &str) -> Result<Option<Vec<u8>>, StoreError> {
        let path = self.records_dir(collection).join(format!("{name}.json"));
        match fs::read(&path) {
            Ok(b) => Ok(Some(b)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(StoreError::io("cannot read", &path, e)),
        }
    }

    /// Returns the names of the records in `collection`, sorted.
    pub fn record_names(&self, collection: &str) -> Result<Vec<String>, StoreError> {
        let dir = self.records_dir(collection);
        if !dir.exists() {
            return Ok(Vec::new());
        }
        super::list_dir(
            &dir,
            |p| p.is_file(),
            |n| n.strip_suffix(".json").map(str::to_string),
        )
    }

    /// Returns the path of record `name` (for messages pointing users at it).
    pub fn record_path(&self, collection: &str, name: &str) -> PathBuf {
        self.records_dir(collection).join(format!("{name}.json"))
    }
}
