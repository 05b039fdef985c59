//! Configuration errors: always the file, and where known the line and column.

use std::fmt;
use std::path::PathBuf;

/// Why `feeds.yaml` could not be used.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file could not be read.
    #[error("cannot read config file {}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The OS error.
        #[source]
        source: std::io::Error,
    },
    /// The file was read but its contents are wrong.
    #[error("{}", Located { path, line: *line, column: *column, message })]
    Invalid {
        /// The file.
        path: PathBuf,
        /// 1-based line, 0 when unknown.
        line: u64,
        /// 1-based column, 0 when unknown.
        column: u64,
        /// What is wrong, as a lowercase phrase.
        message: String,
        /// How to fix it, when we can tell.
        hint: Option<String>,
    },
}

impl ConfigError {
    /// Returns the fix-it hint, if any.
    pub fn hint(&self) -> Option<&str> {
        match self {
            ConfigError::Invalid { hint, .. } => hint.as_deref(),
            ConfigError::Io { .. } => None,
        }
    }
}

struct Located<'a> {
    path: &'a PathBuf,
    line: u64,
    column: u64,
    message: &'a str,
}

impl fmt::Display for Located<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.line, self.column) {
            (0, _) => write!(f, "{}: {}", self.path.display(), self.message),
            (l, 0) => write!(f, "{}:{l}: {}", self.path.display(), self.message),
            (l, c) => write!(f, "{}:{l}:{c}: {}", self.path.display(), self.message),
        }
    }
}
