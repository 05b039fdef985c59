//! Stage 2 — store: fetched bytes in, an append-only, hash-chained version
//! history on disk out.
//!
//! Layout (format 1), plain enough to keep under git:
//!
//! ```text
//! snapshots/
//!   STORE.json                      {"format": 1}
//!   .gitignore                      ignores lock and tmp/
//!   lock                            advisory write lock (pid and start time inside)
//!   tmp/                            staging for atomic writes
//!   objects/ab/cdef…                content-addressed bytes, named by BLAKE3, stored as received
//!   feeds/<feed>/items/<item>.jsonl one JSON line per version, oldest first
//!   feeds/<feed>/state.json         HTTP validators and listing fingerprints (a cache)
//!   outbox/<id>.json                composed messages and their delivery state (see notify)
//! ```
//!
//! Why this shape: identical bytes are stored once, so an unchanged fetch
//! adds nothing; each version line names its predecessor's hash, so a lost,
//! edited or reordered line or a tampered object is found by [`Store::verify`];
//! every write is temp-file + fsync + rename, so a crash leaves the old state
//! or the new one. `state.json` is only a cache: deleting it costs a full
//! re-download, never a version.

mod atomic;
mod error;
mod id;
mod records;
mod refs;
mod verify;

use std::collections::BTreeMap;
use std::fs::{self, File};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::fetch::{
    FeedFetch, FetchState, FetchedItem, ItemError, KnownItem, Part, RawBlob, SourceInfo, Validators,
};

pub use atomic::write as write_atomic;
pub use error::StoreError;
pub use id::VersionId;
pub use refs::{Selector, VersionRef};
pub use verify::{Misfiled, ProblemKind, VerifyProblem, VerifyReport};

/// The on-disk format this code reads and writes.
pub const FORMAT: u32 = 1;

/// One stored byte string, by reference.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Blob {
    /// BLAKE3 of the bytes, lowercase hex; also the object's file name.
    pub hash: String,
    /// Length in bytes.
    pub size: u64,
    /// `Content-Type` as received.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content_type: Option<String>,
    /// Where the bytes came from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// `ETag` of the response.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub etag: Option<String>,
    /// `Last-Modified` of the response.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_modified: Option<String>,
}

/// One version of one item: a line of its history file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Version {
    /// 1-based position in the item's history.
    pub seq: u32,
    /// Feed id.
    pub feed: String,
    /// Item key.
    pub item: String,
    /// When regwatch fetched it (UTC).
    pub fetched_at: DateTime<Utc>,
    /// The source's own date for this version (eCFR amendment date).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub as_of: Option<NaiveDate>,
    /// Publication date of the document or entry.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<NaiveDate>,
    /// Human title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// The main content.
    pub content: Blob,
    /// Structured metadata (FR API JSON, feed entry).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata: Option<Blob>,
    /// The page as received, when `content` was derived from it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub raw: Option<Blob>,
    /// The feed kind and content format the fetcher recorded; absent on
    /// lines written before regwatch recorded it. Being optional and left
    /// out when absent, it keeps those lines' hashes valid.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<SourceInfo>,
    /// Hash of the previous version of this item; `None` for the first.
    pub prev: Option<String>,
    /// BLAKE3 of this line with `hash` set to "" (see [`Version::compute_hash`]).
    pub hash: String,
}

impl Version {
    /// Returns the hash this version should carry: BLAKE3 over its JSON
    /// encoding with `hash` emptied. Field order is fixed by the struct, so
    /// the encoding is canonical.
    pub fn compute_hash(&self) -> String {
        let mut v = self.clone();
        v.hash = String::new();
        // Serialising plain data to a Vec cannot fail.
        let bytes = serde_json::to_vec(&v).unwrap_or_default();
        blake3::hash(&bytes).to_hex().to_string()
    }

    /// Returns the date a `@YYYY-MM-DD` ref compares against: the source's
    /// own version date when it has one, else the fetch date.
    pub fn effective_date(&self) -> NaiveDate {
        self.as_of.unwrap_or_else(|| self.fetched_at.date_naive())
    }

    /// Returns `FEED/ITEM@SEQ` (the string form of [`Version::id`]).
    pub fn reference(&self) -> String {
        self.id().to_string()
    }

    fn same_bytes(&self, content: &Blob, metadata: Option<&Blob>) -> bool {
        self.content.hash == content.hash
            && self.metadata.as_ref().map(|b| &b.hash) == metadata.map(|b| &b.hash)
    }
}

/// What happened to an item when a fetch was recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemStatus {
    /// First version of a new item.
    New,
    /// A new version of a known item.
    Changed,
    /// Nothing new.
    Unchanged,
}

/// One item's result in a [`RecordSummary`].
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ItemRecord {
    /// Item key.
    pub item: String,
    /// New, changed or unchanged.
    pub status: ItemStatus,
    /// Latest version number after recording (0 when none).
    pub seq: u32,
    /// Title, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
}

/// What recording one feed's fetch did to the store.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RecordSummary {
    /// Feed id.
    pub feed: String,
    /// One entry per item touched, in the order recorded.
    pub items: Vec<ItemRecord>,
    /// Item-level failures (from the fetch, or found while recording).
    pub errors: Vec<ItemError>,
    /// Bytes of new objects and history lines written.
    pub bytes_added: u64,
    /// The versions this call appended, in order, so later stages (the
    /// parser's model cache) need not read the histories back.
    #[serde(skip)]
    pub new_versions: Vec<Version>,
}

/// Per-feed cache kept beside the histories.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
struct FeedState {
    #[serde(default)]
    validators: BTreeMap<String, Validators>,
    #[serde(default)]
    fingerprints: BTreeMap<String, String>,
}

#[derive(Debug, Serialize, Deserialize)]
struct StoreInfo {
    format: u32,
}

/// Proof that this process holds the store's write lock; released on drop.
#[derive(Debug)]
pub struct StoreLock {
    file: File,
}

impl Drop for StoreLock {
    fn drop(&mut self) {
        let _ = self.file.unlock();
    }
}

/// A snapshot store rooted at a directory.
#[derive(Debug, Clone)]
pub struct Store {
    root: PathBuf,
}

impl Store {
    /// Returns the store at `root`, creating its layout if needed. A
    /// folder that holds histories, objects or an outbox but no
    /// `STORE.json` is refused ([`StoreError::Unmarked`]), never
    /// re-marked as a fresh store.
    pub fn create_or_open(root: &Path) -> Result<Store, StoreError> {
        let store = Store {
            root: root.to_path_buf(),
        };
        store.check_marked()?;
        for dir in [
            store.root.clone(),
            store.objects_dir(),
            store.feeds_dir(),
            store.tmp_dir(),
        ] {
            fs::create_dir_all(&dir).map_err(|e| StoreError::io("cannot create", &dir, e))?;
        }
        let info = store.root.join("STORE.json");
        if info.exists() {
            store.check_format()?;
        } else {
            let body = serde_json::to_vec_pretty(&StoreInfo { format: FORMAT }).unwrap_or_default();
            atomic::write(&store.tmp_dir(), &info, &body)?;
            atomic::write(
                &store.tmp_dir(),
                &store.root.join(".gitignore"),
                b"lock\ntmp/\n",
            )?;
        }
        Ok(store)
    }

    /// Returns the existing store at `root`, without creating anything.
    pub fn open(root: &Path) -> Result<Store, StoreError> {
        let store = Store {
            root: root.to_path_buf(),
        };
        store.check_marked()?;
        if !store.root.join("STORE.json").exists() {
            return Err(StoreError::io(
                "no snapshot store at",
                &store.root,
                std::io::Error::new(std::io::ErrorKind::NotFound, "run `regwatch fetch` first"),
            ));
        }
        store.check_format()?;
        Ok(store)
    }

    /// Fails when `STORE.json` is missing from a folder that already holds
    /// a store's contents (`feeds/`, `objects/` or `outbox/` not empty).
    fn check_marked(&self) -> Result<(), StoreError> {
        if self.root.join("STORE.json").exists() {
            return Ok(());
        }
        let used = ["feeds", "objects", "outbox"].iter().any(|d| {
            fs::read_dir(self.root.join(d)).is_ok_and(|mut entries| entries.next().is_some())
        });
        if used {
            return Err(StoreError::Unmarked {
                root: self.root.clone(),
            });
        }
        Ok(())
    }

    fn check_format(&self) -> Result<(), StoreError> {
        let path = self.root.join("STORE.json");
        let bytes = fs::read(&path).map_err(|e| StoreError::io("cannot read", &path, e))?;
        let info: StoreInfo = serde_json::from_slice(&bytes).map_err(|e| StoreError::Corrupt {
            path: path.clone(),
            line: Some(e.line()),
            message: e.to_string(),
        })?;
        if info.format != FORMAT {
            return Err(StoreError::Format {
                path,
                found: info.format,
                expected: FORMAT,
            });
        }
        Ok(())
    }

    /// Returns the store's root directory.
    pub fn root(&self) -> &Path {
        &self.root
    }

    fn objects_dir(&self) -> PathBuf {
        self.root.join("objects")
    }
    fn feeds_dir(&self) -> PathBuf {
        self.root.join("feeds")
    }
    fn tmp_dir(&self) -> PathBuf {
        self.root.join("tmp")
    }
    fn history_path(&self, feed: &str, item: &str) -> PathBuf {
        self.feeds_dir()
            .join(feed)
            .join("items")
            .join(format!("{item}.jsonl"))
    }
    fn state_path(&self, feed: &str) -> PathBuf {
        self.feeds_dir().join(feed).join("state.json")
    }

    /// Returns the path of the object with this hash.
    pub fn object_path(&self, hash: &str) -> PathBuf {
        let (a, b) = hash.split_at(hash.len().min(2));
        self.objects_dir().join(a).join(b)
    }

    /// Returns the write lock, failing at once when another run holds it,
    /// or waiting for it when `wait` is set.
    pub fn lock(&self, wait: bool, now: DateTime<Utc>) -> Result<StoreLock, StoreError> {
        let path = self.root.join("lock");
        let mut file = fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(|e| StoreError::io("cannot open", &path, e))?;
        if wait {
            file.lock()
                .map_err(|e| StoreError::io("cannot lock", &path, e))?;
        } else {
            match file.try_lock() {
                Ok(()) => {}
                Err(fs::TryLockError::WouldBlock) => {
                    let mut holder = String::new();
                    let _ = file.read_to_string(&mut holder);
                    let holder = holder.trim();
                    return Err(StoreError::Locked {
                        path,
                        holder: if holder.is_empty() {
                            "unknown holder".into()
                        } else {
                            holder.to_string()
                        },
                    });
                }
                Err(fs::TryLockError::Error(e)) => {
                    return Err(StoreError::io("cannot lock", &path, e));
                }
            }
        }
        // Informational only: who holds the lock, for the next run's message.
        let _ = file.set_len(0);
        let _ = file.write_all(
            format!("pid {} since {}\n", std::process::id(), now.to_rfc3339()).as_bytes(),
        );
        let _ = file.flush();
        // Temp files left by a killed run are garbage now that we own the store.
        if let Ok(entries) = fs::read_dir(self.tmp_dir()) {
            for e in entries.flatten() {
                let _ = fs::remove_file(e.path());
            }
        }
        Ok(StoreLock { file })
    }

    /// Returns the ids of feeds with stored history, sorted.
    pub fn feed_ids(&self) -> Result<Vec<String>, StoreError> {
        list_dir(&self.feeds_dir(), |p| p.is_dir(), |n| Some(n.to_string()))
    }

    /// Returns the item keys of a feed, sorted.
    pub fn item_keys(&self, feed: &str) -> Result<Vec<String>, StoreError> {
        let dir = self.feeds_dir().join(feed).join("items");
        if !dir.exists() {
            return Ok(Vec::new());
        }
        list_dir(
            &dir,
            |p| p.is_file(),
            |n| n.strip_suffix(".jsonl").map(str::to_string),
        )
    }

    /// Returns an item's versions, oldest first (empty when unknown).
    /// Fails with [`StoreError::Corrupt`], naming the file and line, at the
    /// first line that is not a version record or breaks the item's own
    /// chain: every line names this feed and item, `seq` counts from 1,
    /// each `prev` is the line before's `hash`, and each `hash` matches its
    /// line. A history edited by hand is never read silently. Objects are
    /// not re-read (that is `verify`'s job), so this stays cheap enough to
    /// run before every append.
    pub fn history(&self, feed: &str, item: &str) -> Result<Vec<Version>, StoreError> {
        let lines = self.read_history(feed, item)?;
        match lines.damage(feed, item) {
            Some((_, e)) => Err(e),
            None => Ok(lines.versions()),
        }
    }

    /// An item's history file read line by line: the lines that parse and
    /// the ones that do not (a line that is not UTF-8 text is one bad line,
    /// not a failed file). Empty when the item is unknown; fails only when
    /// the file cannot be read at all.
    fn read_history(&self, feed: &str, item: &str) -> Result<HistoryLines, StoreError> {
        let path = self.history_path(feed, item);
        match fs::read(&path) {
            Ok(bytes) => Ok(HistoryLines::parse(path, &bytes)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                Ok(HistoryLines::parse(path, b""))
            }
            Err(e) => Err(StoreError::io("cannot read", &path, e)),
        }
    }

    /// The last line of an item's history that parses, damaged or not (what
    /// the fetcher may assume is stored; appending is refused elsewhere).
    fn last_parseable(&self, feed: &str, item: &str) -> Option<Version> {
        self.read_history(feed, item)
            .ok()?
            .good
            .pop()
            .map(|(_, v)| v)
    }

    /// Returns an object's bytes, checked against its hash.
    pub fn read_object(&self, hash: &str) -> Result<Vec<u8>, StoreError> {
        let path = self.object_path(hash);
        let bytes = fs::read(&path).map_err(|e| StoreError::io("cannot read object", &path, e))?;
        if blake3::hash(&bytes).to_hex().as_str() != hash {
            return Err(StoreError::Corrupt {
                path,
                line: None,
                message: "object does not match its hash; run `regwatch verify`".into(),
            });
        }
        Ok(bytes)
    }

    /// Where a derived artifact (e.g. a parsed model) of `kind` for `key`
    /// lives: `derived/<kind>/<ab>/<key>.json`. Derived files are caches
    /// beside the objects: rebuildable, never part of the hash chain.
    pub fn derived_path(&self, kind: &str, key: &str) -> PathBuf {
        let prefix = key.get(..2).unwrap_or("xx");
        self.root
            .join("derived")
            .join(kind)
            .join(prefix)
            .join(format!("{key}.json"))
    }

    /// Reads a derived artifact, if one was written.
    pub fn read_derived(&self, kind: &str, key: &str) -> Result<Option<Vec<u8>>, StoreError> {
        let path = self.derived_path(kind, key);
        match fs::read(&path) {
            Ok(b) => Ok(Some(b)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(StoreError::io("cannot read derived file", &path, e)),
        }
    }

    /// Writes a derived artifact atomically. No lock is needed: the
    /// content is a function of `key`, so concurrent writers write the
    /// same bytes and the rename makes either one whole.
    pub fn write_derived(&self, kind: &str, key: &str, bytes: &[u8]) -> Result<(), StoreError> {
        let path = self.derived_path(kind, key);
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir)
                .map_err(|e| StoreError::io("cannot create directory", dir, e))?;
        }
        atomic::write(&self.root.join("tmp"), &path, bytes)
    }

    /// Returns what the fetcher needs to ask only for what may have changed.
    pub fn fetch_state(&self, feed: &str) -> Result<FetchState, StoreError> {
        let state = self.read_state(feed)?;
        let mut items = BTreeMap::new();
        for key in self.item_keys(feed)? {
            // A damaged history fails its item when the fetch is recorded,
            // not the whole feed here.
            let latest = self.last_parseable(feed, &key);
            items.insert(
                key.clone(),
                KnownItem {
                    as_of: latest.and_then(|v| v.as_of),
                    fingerprint: state.fingerprints.get(&key).cloned(),
                },
            );
        }
        Ok(FetchState {
            validators: state.validators,
            items,
        })
    }

    fn read_state(&self, feed: &str) -> Result<FeedState, StoreError> {
        let path = self.state_path(feed);
        match fs::read(&path) {
            // The state is a cache: a damaged one is discarded, costing a re-download.
            Ok(bytes) => Ok(serde_json::from_slice(&bytes).unwrap_or_default()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(FeedState::default()),
            Err(e) => Err(StoreError::io("cannot read", &path, e)),
        }
    }

    /// Stores an object if it is not there yet; returns the bytes written.
    fn put_object(&self, bytes: &[u8], hash: &str) -> Result<u64, StoreError> {
        let path = self.object_path(hash);
        if path.exists() {
            return Ok(0);
        }
        atomic::write(&self.tmp_dir(), &path, bytes)?;
        Ok(bytes.len() as u64)
    }

    fn put_blob(&self, raw: &RawBlob, written: &mut u64) -> Result<Blob, StoreError> {
        let hash = blake3::hash(&raw.bytes).to_hex().to_string();
        *written += self.put_object(&raw.bytes, &hash)?;
        Ok(Blob {
            hash,
            size: raw.bytes.len() as u64,
            content_type: raw.content_type.clone(),
            url: raw.url.clone(),
            etag: raw.validators.etag.clone(),
            last_modified: raw.validators.last_modified.clone(),
        })
    }

    /// Resolves a part: fresh bytes are stored; a 304 reuses `previous`.
    fn resolve_part(
        &self,
        part: &Part,
        previous: Option<&Blob>,
        written: &mut u64,
    ) -> Result<Option<Blob>, StoreError> {
        match part {
            Part::Fetched(raw) => self.put_blob(raw, written).map(Some),
            Part::NotModified { .. } => Ok(previous.cloned()),
        }
    }

    /// Records a feed's fetch: appends a version for each item whose bytes
    /// differ from its latest version, then remembers validators. Needs the lock.
    pub fn record(
        &self,
        _lock: &StoreLock,
        fetch: &FeedFetch,
        fetched_at: DateTime<Utc>,
    ) -> Result<RecordSummary, StoreError> {
        let feed = fetch.feed.as_str();
        if !is_safe_name(feed) {
            return Err(StoreError::Invalid {
                feed: feed.into(),
                message: "unsafe feed id".into(),
            });
        }
        let mut summary = RecordSummary {
            feed: feed.to_string(),
            items: Vec::new(),
            errors: fetch.errors.clone(),
            bytes_added: 0,
            new_versions: Vec::new(),
        };
        let old_state = self.read_state(feed)?;
        let mut state = old_state.clone();
        // Histories of the items touched, chain-checked; `Err` holds why an
        // item's history is damaged (it is then never appended to).
        let mut histories: BTreeMap<String, Result<Vec<Version>, String>> = BTreeMap::new();
        let touched = fetch
            .items
            .iter()
            .map(|i| &i.key)
            .chain(&fetch.unchanged)
            .filter(|k| is_safe_name(k));
        for key in touched {
            if histories.contains_key(key) {
                continue;
            }
            // Any failure to read one item's history (a damaged line, bytes
            // that are not UTF-8, a file that cannot be opened) costs that
            // item only.
            let checked = self.history(feed, key).map_err(|e| e.to_string());
            if let Err(why) = &checked {
                summary.errors.push(ItemError {
                    key: key.clone(),
                    message: format!(
                        "{why}; the history is damaged, nothing was appended (run `regwatch verify`)"
                    ),
                });
                // Download it again next time: forget what says "unchanged".
                state.fingerprints.remove(key);
            }
            histories.insert(key.clone(), checked);
        }
        let damaged = histories.values().any(Result::is_err);
        // The listing's validators are kept only when every item could be
        // recorded; otherwise a 304 would hide the refused versions.
        if !damaged {
            for (url, v) in &fetch.validators {
                remember(&mut state.validators, url, v);
            }
        }
        for item in &fetch.items {
            if !is_safe_name(&item.key) {
                summary.errors.push(ItemError {
                    key: item.key.clone(),
                    message: "item key is not a safe file name; skipped".into(),
                });
                continue;
            }
            let Some(Ok(history)) = histories.get_mut(&item.key) else {
                continue;
            };
            match self.record_item(feed, item, history, fetched_at, &mut summary.bytes_added) {
                Ok(rec) => {
                    if rec.status != ItemStatus::Unchanged
                        && let Some(v) = history.last()
                    {
                        summary.new_versions.push(v.clone());
                    }
                    if let Some(fp) = &item.fingerprint {
                        state.fingerprints.insert(item.key.clone(), fp.clone());
                    }
                    for part in [
                        Some(&item.content),
                        item.metadata.as_ref(),
                        item.raw.as_ref(),
                    ]
                    .into_iter()
                    .flatten()
                    {
                        if let Part::Fetched(raw) = part
                            && let Some(url) = &raw.url
                        {
                            remember(&mut state.validators, url, &raw.validators);
                        }
                    }
                    // Several versions of one item in one fetch (eCFR backfill)
                    // make one entry: the latest seq, "new" if it began here.
                    match summary.items.iter_mut().find(|r| r.item == rec.item) {
                        Some(prev) => {
                            prev.seq = rec.seq;
                            if prev.status != ItemStatus::New && rec.status != ItemStatus::Unchanged
                            {
                                prev.status = rec.status;
                            }
                        }
                        None => summary.items.push(rec),
                    }
                }
                Err(RecordItemError::Missing(url)) => {
                    // The server says "unchanged" but we hold nothing: forget the
                    // validators so the next run downloads the bytes again.
                    state.validators.remove(&url);
                    state.fingerprints.remove(&item.key);
                    summary.errors.push(ItemError {
                        key: item.key.clone(),
                        message: format!(
                            "{url} answered 304 but no earlier version is stored; will refetch"
                        ),
                    });
                }
                Err(RecordItemError::Store(e)) => return Err(e),
            }
        }
        for key in &fetch.unchanged {
            if summary.items.iter().all(|r| &r.item != key) {
                let Some(Ok(history)) = histories.get(key) else {
                    continue;
                };
                let latest = history.last().cloned();
                summary.items.push(ItemRecord {
                    item: key.clone(),
                    status: ItemStatus::Unchanged,
                    seq: latest.as_ref().map_or(0, |v| v.seq),
                    title: latest.and_then(|v| v.title),
                });
            }
        }
        if state != old_state {
            let body = serde_json::to_vec_pretty(&state).unwrap_or_default();
            let path = self.state_path(feed);
            atomic::write(&self.tmp_dir(), &path, &body)?;
        }
        Ok(summary)
    }

    fn record_item(
        &self,
        feed: &str,
        item: &FetchedItem,
        history: &mut Vec<Version>,
        fetched_at: DateTime<Utc>,
        written: &mut u64,
    ) -> Result<ItemRecord, RecordItemError> {
        let latest = history.last();
        let content = match self.resolve_part(&item.content, latest.map(|v| &v.content), written)? {
            Some(b) => b,
            None => {
                let url = match &item.content {
                    Part::NotModified { url } => url.clone(),
                    Part::Fetched(_) => String::new(),
                };
                return Err(RecordItemError::Missing(url));
            }
        };
        let metadata = match &item.metadata {
            Some(p) => self.resolve_part(p, latest.and_then(|v| v.metadata.as_ref()), written)?,
            None => None,
        };
        if let Some(latest) = latest
            && latest.same_bytes(&content, metadata.as_ref())
            && item.as_of.is_none_or(|d| latest.as_of == Some(d))
        {
            return Ok(ItemRecord {
                item: item.key.clone(),
                status: ItemStatus::Unchanged,
                seq: latest.seq,
                title: latest.title.clone(),
            });
        }
        let raw = match &item.raw {
            Some(p) => self.resolve_part(p, latest.and_then(|v| v.raw.as_ref()), written)?,
            None => None,
        };
        let mut version = Version {
            seq: latest.map_or(1, |v| v.seq + 1),
            feed: feed.to_string(),
            item: item.key.clone(),
            fetched_at,
            as_of: item.as_of,
            published: item.published,
            title: item.title.clone(),
            content,
            metadata,
            raw,
            source: item.source,
            prev: latest.map(|v| v.hash.clone()),
            hash: String::new(),
        };
        version.hash = version.compute_hash();
        let status = if history.is_empty() {
            ItemStatus::New
        } else {
            ItemStatus::Changed
        };
        let mut line = serde_json::to_vec(&version).map_err(|e| StoreError::Invalid {
            feed: feed.into(),
            message: format!("cannot encode version: {e}"),
        })?;
        line.push(b'\n');
        let path = self.history_path(feed, &item.key);
        let mut file = match fs::read(&path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
            Err(e) => return Err(StoreError::io("cannot read", &path, e).into()),
        };
        // A last line without its newline (edited by hand) stays a line.
        if file.last().is_some_and(|b| *b != b'\n') {
            file.push(b'\n');
        }
        file.extend_from_slice(&line);
        atomic::write(&self.tmp_dir(), &path, &file)?;
        *written += line.len() as u64;
        let rec = ItemRecord {
            item: item.key.clone(),
            status,
            seq: version.seq,
            title: version.title.clone(),
        };
        history.push(version);
        Ok(rec)
    }

    /// Returns every version in the store, per feed and item. An item whose
    /// history file cannot be read is listed in `damaged` (its error names
    /// the file and the first bad line) instead of failing the whole walk,
    /// and the versions on the lines before that one are in `partial`.
    pub fn all_histories(&self) -> Result<AllHistories, StoreError> {
        let mut out = AllHistories::default();
        for feed in self.feed_ids()? {
            for item in self.item_keys(&feed)? {
                let lines = match self.read_history(&feed, &item) {
                    Ok(l) => l,
                    Err(e) => {
                        out.damaged.push(e);
                        continue;
                    }
                };
                match lines.damage(&feed, &item) {
                    None => out.items.push((feed.clone(), item, lines.versions())),
                    Some((line, e)) => {
                        out.damaged.push(e);
                        let before = lines.versions_before(line);
                        if !before.is_empty() {
                            out.partial.push((feed.clone(), item, before));
                        }
                    }
                }
            }
        }
        Ok(out)
    }
}

/// An item left out of a walk over the store because its history file
/// cannot be read; the error names the file and line. It stays left out,
/// and is named again, on every walk until the file is repaired.
#[derive(Debug, thiserror::Error)]
#[error(
    "{0}; nothing from there on is read until the file is repaired (run `regwatch verify` to see every damaged line)"
)]
pub struct SkippedItem(pub StoreError);

/// Every item history of a store ([`Store::all_histories`]).
#[derive(Debug, Default)]
pub struct AllHistories {
    /// Feed id, item key and versions (oldest first), by feed and item.
    pub items: Vec<(String, String, Vec<Version>)>,
    /// Items whose history file could not be read, or has a line that is
    /// not a version record (the first such line is named).
    pub damaged: Vec<StoreError>,
    /// For damaged items: the versions on the lines before the first bad
    /// one (feed, item, oldest first), when there are any.
    pub partial: Vec<(String, String, Vec<Version>)>,
}

/// One history file read line by line ([`Store::read_history`]).
#[derive(Debug)]
struct HistoryLines {
    path: PathBuf,
    /// The lines that are version records, with their 1-based numbers.
    good: Vec<(usize, Version)>,
    /// The lines that are not (1-based number, why); blank lines are neither.
    bad: Vec<(usize, String)>,
}

impl HistoryLines {
    fn parse(path: PathBuf, bytes: &[u8]) -> HistoryLines {
        let mut out = HistoryLines {
            path,
            good: Vec::new(),
            bad: Vec::new(),
        };
        for (i, raw) in bytes.split(|b| *b == b'\n').enumerate() {
            let raw = raw.strip_suffix(b"\r").unwrap_or(raw);
            let line = match std::str::from_utf8(raw) {
                Ok(l) => l,
                Err(e) => {
                    out.bad.push((
                        i + 1,
                        format!(
                            "not UTF-8 text (invalid byte at column {}); not a version record",
                            e.valid_up_to() + 1
                        ),
                    ));
                    continue;
                }
            };
            if line.trim().is_empty() {
                continue;
            }
            match serde_json::from_str::<Version>(line) {
                Ok(v) => out.good.push((i + 1, v)),
                Err(e) => out.bad.push((i + 1, format!("not a version record: {e}"))),
            }
        }
        out
    }

    /// The first damage of `feed`/`item`'s history, with its line: the
    /// first line that is not a version record, else the first break in
    /// the item's chain ([`chain_problems`]: a line edited by hand that
    /// still parses), as [`StoreError::Corrupt`]. Every reader goes
    /// through this, so none uses a damaged line silently.
    fn damage(&self, feed: &str, item: &str) -> Option<(usize, StoreError)> {
        let (line, message) = match self.bad.first() {
            Some((line, message)) => (*line, message.clone()),
            None => {
                let problems = chain_problems(feed, item, &self.good, &[]);
                let (line, what) = problems.first()?;
                let more = match problems.len() - 1 {
                    0 => String::new(),
                    1 => " (and 1 more problem)".to_string(),
                    n => format!(" (and {n} more problems)"),
                };
                (*line, format!("{what}{more}"))
            }
        };
        let error = StoreError::Corrupt {
            path: self.path.clone(),
            line: Some(line),
            message,
        };
        Some((line, error))
    }

    /// The versions on the lines before `line`.
    fn versions_before(&self, line: usize) -> Vec<Version> {
        self.good
            .iter()
            .take_while(|(l, _)| *l < line)
            .map(|(_, v)| v.clone())
            .collect()
    }

    fn versions(self) -> Vec<Version> {
        self.good.into_iter().map(|(_, v)| v).collect()
    }
}

enum RecordItemError {
    Missing(String),
    Store(StoreError),
}

impl From<StoreError> for RecordItemError {
    fn from(e: StoreError) -> Self {
        RecordItemError::Store(e)
    }
}

fn remember(map: &mut BTreeMap<String, Validators>, url: &str, v: &Validators) {
    if v.is_empty() {
        map.remove(url);
    } else {
        map.insert(url.to_string(), v.clone());
    }
}

/// Returns true for names that are safe as one path component.
fn is_safe_name(s: &str) -> bool {
    !s.is_empty()
        && !s.starts_with('.')
        && s.len() <= 200
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-' | b'~'))
}

fn list_dir(
    dir: &Path,
    keep: impl Fn(&Path) -> bool,
    name: impl Fn(&str) -> Option<String>,
) -> Result<Vec<String>, StoreError> {
    let mut out = Vec::new();
    let entries = fs::read_dir(dir).map_err(|e| StoreError::io("cannot list", dir, e))?;
    for e in entries {
        let e = e.map_err(|e| StoreError::io("cannot list", dir, e))?;
        let path = e.path();
        if !keep(&path) {
            continue;
        }
        if let Some(n) = e.file_name().to_str().and_then(&name)
            && is_safe_name(&n)
        {
            out.push(n);
        }
    }
    out.sort();
    Ok(out)
}

/// What is wrong with one item's chain of version lines, by line number:
/// misfiled lines, `seq` out of order, a `hash` that does not match its
/// line, a `prev` that is not the line before's `hash`. `bad` holds the
/// numbers of the lines that are not version records (verify checks the
/// rest): each may count as one version for `seq` or as none, and the link of the line
/// after it cannot be checked (the bad line's own report says so, once).
/// Objects are not looked at.
fn chain_problems(
    feed: &str,
    item: &str,
    lines: &[(usize, Version)],
    bad: &[usize],
) -> Vec<(usize, ProblemKind)> {
    let mut out = Vec::new();
    let mut prev: Option<(usize, &Version)> = None;
    for (i, (line, v)) in lines.iter().enumerate() {
        let bad_before = bad.iter().filter(|b| **b < *line).count();
        let after_bad = bad
            .iter()
            .any(|b| *b < *line && prev.is_none_or(|(p, _)| *b > p));
        if v.feed != feed || v.item != item {
            out.push((
                *line,
                ProblemKind::Misfiled(Misfiled {
                    records_feed: v.feed.clone(),
                    records_item: v.item.clone(),
                    filed_feed: feed.to_string(),
                    filed_item: item.to_string(),
                }),
            ));
        }
        // A bad line may have been a version or stray text: either count
        // is in sequence after it.
        let (low, high) = (i + 1, i + bad_before + 1);
        if !(low..=high).contains(&(v.seq as usize)) {
            out.push((
                *line,
                ProblemKind::OutOfSequence {
                    seq: v.seq,
                    expected_low: low,
                    expected_high: high,
                },
            ));
        }
        if v.compute_hash() != v.hash {
            out.push((*line, ProblemKind::Altered));
        }
        if !after_bad && v.prev.as_deref() != prev.map(|(_, p)| p.hash.as_str()) {
            out.push((*line, ProblemKind::ChainBroken));
        }
        prev = Some((*line, v));
    }
    out
}
