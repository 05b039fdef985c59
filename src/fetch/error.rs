//! Fetch errors carry their address: the feed, and the URL or path involved.

use std::fmt;

/// A failed fetch of one feed (or of one request within it).
#[derive(Debug, thiserror::Error)]
#[error("{}", Display(self))]
pub struct FetchError {
    /// The feed id.
    pub feed: String,
    /// The URL or file path being fetched, when known.
    pub url: Option<String>,
    /// What went wrong.
    pub kind: FetchErrorKind,
}

/// The ways a fetch fails.
#[derive(Debug)]
pub enum FetchErrorKind {
    /// Could not connect (DNS, refused, TLS), after retries.
    Connect(String),
    /// The request took longer than the configured timeout.
    Timeout {
        /// The limit, in seconds.
        secs: f64,
    },
    /// The server answered with an error status (after retries for 429/5xx).
    Status {
        /// The HTTP status code.
        status: u16,
        /// Attempts made.
        attempts: u32,
    },
    /// The server asked us to wait longer than `max_retry_after_secs`.
    RetryAfterTooLong {
        /// Seconds requested.
        secs: u64,
    },
    /// The body exceeded `max_bytes`.
    TooLarge {
        /// The limit, in bytes.
        limit: u64,
    },
    /// The body was received but is not what the source kind expects.
    Malformed {
        /// What we expected, e.g. "Federal Register search JSON".
        expected: &'static str,
        /// The parser's complaint, with line/column where it gives one.
        detail: String,
    },
    /// A local file or directory could not be read.
    Io(std::io::Error),
    /// A header names an environment variable that is not set.
    MissingEnv {
        /// The variable.
        var: String,
    },
    /// Any other request failure.
    Other(String),
}

impl FetchError {
    /// Returns a new error for `feed`.
    pub fn new(feed: &str, url: Option<&str>, kind: FetchErrorKind) -> Self {
        FetchError {
            feed: feed.to_string(),
            url: url.map(str::to_string),
            kind,
        }
    }

    /// Returns true when the source could not be reached at all, so the user
    /// should check the network rather than the source.
    pub fn is_offline(&self) -> bool {
        matches!(self.kind, FetchErrorKind::Connect(_))
    }

    /// Returns true when the server itself answered with an error status.
    pub fn is_status(&self) -> bool {
        matches!(self.kind, FetchErrorKind::Status { .. })
    }
}

struct Display<'a>(&'a FetchError);

impl fmt::Display for Display<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let e = self.0;
        write!(f, "feed `{}`", e.feed)?;
        if let Some(url) = &e.url {
            write!(f, ": {url}")?;
        }
        f.write_str(": ")?;
        match &e.kind {
            FetchErrorKind::Connect(m) => write!(f, "could not connect ({m}); are you offline?"),
            FetchErrorKind::Timeout { secs } => write!(f, "timed out after {secs:.1}s"),
            FetchErrorKind::Status { status, attempts } => {
                let reason = reqwest::StatusCode::from_u16(*status)
                    .ok()
                    .and_then(|s| s.canonical_reason())
                    .unwrap_or("");
                write!(f, "server answered {status} {reason}")?;
                if *attempts > 1 {
                    write!(f, " (after {attempts} attempts)")?;
                }
                Ok(())
            }
            FetchErrorKind::RetryAfterTooLong { secs } => write!(
                f,
                "server asked to retry after {secs}s, longer than max_retry_after_secs"
            ),
            FetchErrorKind::TooLarge { limit } => {
                write!(
                    f,
                    "response is larger than the {limit}-byte limit (max_bytes)"
                )
            }
            FetchErrorKind::Malformed { expected, detail } => {
                write!(f, "not valid {expected}: {detail}")
            }
            FetchErrorKind::Io(e) => write!(f, "{e}"),
            FetchErrorKind::MissingEnv { var } => {
                write!(
                    f,
                    "environment variable {var} (named in feeds.yaml) is not set"
                )
            }
            FetchErrorKind::Other(m) => f.write_str(m),
        }
    }
}
