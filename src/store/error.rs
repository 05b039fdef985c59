//! Store errors name the file involved.

use std::path::PathBuf;

/// Why the store could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// A filesystem operation failed.
    #[error("{action} {}: {source}", path.display())]
    Io {
        /// What we were doing, e.g. "cannot write".
        action: &'static str,
        /// The file or directory.
        path: PathBuf,
        /// The OS error.
        #[source]
        source: std::io::Error,
    },
    /// Another process holds the write lock.
    #[error("the store {} is locked by another regwatch run ({holder})", path.display())]
    Locked {
        /// The lock file.
        path: PathBuf,
        /// What the lock file says about its holder.
        holder: String,
    },
    /// The store was written by an incompatible regwatch version.
    #[error("the store {} has format {found}; this regwatch reads format {expected}", path.display())]
    Format {
        /// STORE.json.
        path: PathBuf,
        /// Its format number.
        found: u32,
        /// Ours.
        expected: u32,
    },
    /// A history or object file is damaged.
    #[error("{}{}: {message}", path.display(), line.map(|l| format!(":{l}")).unwrap_or_default())]
    Corrupt {
        /// The damaged file.
        path: PathBuf,
        /// 1-based line within it, when relevant.
        line: Option<usize>,
        /// What is wrong.
        message: String,
    },
    /// The folder holds a store's histories, objects or outbox but no
    /// `STORE.json`: it is not recreated over them.
    #[error(
        "store at {} has histories but no STORE.json; it was deleted or the store was copied in part, and regwatch will not start a new store over it",
        root.display()
    )]
    Unmarked {
        /// The store's root folder.
        root: PathBuf,
    },
    /// A version reference could not be resolved.
    #[error("{0}")]
    BadRef(String),
    /// A record (an outbox entry) could not be saved; names the record,
    /// its file, and the underlying failure.
    #[error("cannot save {record} to {}: {source}", path.display())]
    Record {
        /// What the record is, e.g. "outbox entry 1a2b… (recipient `team`)".
        record: String,
        /// The record's file.
        path: PathBuf,
        /// What failed (often a staging file in `tmp/`).
        #[source]
        source: Box<StoreError>,
    },
    /// The fetcher produced something the store cannot hold.
    #[error("feed `{feed}`: {message}")]
    Invalid {
        /// The feed id.
        feed: String,
        /// What is wrong.
        message: String,
    },
}

impl StoreError {
    pub(crate) fn io(
        action: &'static str,
        path: impl Into<PathBuf>,
        source: std::io::Error,
    ) -> Self {
        StoreError::Io {
            action,
            path: path.into(),
            source,
        }
    }
}
