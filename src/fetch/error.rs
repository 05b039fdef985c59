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
    /// Which part of the feed failed (`part 740`), when the feed has
    /// several and the URL alone does not say it plainly.
    pub within: Option<String>,
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
            within: None,
            kind,
        }
    }

    /// Returns the error saying which part of the feed failed (`part 740`).
    pub fn within(mut self, what: impl Into<String>) -> Self {
        self.within = Some(what.into());
        self
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
        // An ad-hoc fetch (`regwatch parse URL`) has no feed to name.
        if !e.feed.is_empty() {
            write!(f, "feed `{}`", e.feed)?;
            if let Some(w) = &e.within {
                write!(f, " ({w})")?;
            }
            f.write_str(": ")?;
        }
        if let Some(url) = &e.url {
            write!(f, "{}: ", short_url(url))?;
        }
        match &e.kind {
            // Whether the network is down is for the caller to say, once
            // for a whole run, not once per feed ([`FetchError::is_offline`]).
            FetchErrorKind::Connect(m) => write!(f, "could not connect ({m})"),
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

/// Returns `url` short enough for a one-line message: whole when it is at
/// most [`SHORT_URL`] characters, else its scheme, host and path with the
/// query (a Federal Register search can carry 900 characters of it) cut to
/// `?…`, and a long path cut in the middle.
pub fn short_url(url: &str) -> String {
    if url.chars().count() <= SHORT_URL {
        return url.to_string();
    }
    let base = url.split(['?', '#']).next().unwrap_or(url);
    let cut = if base.len() < url.len() { "?…" } else { "" };
    let chars: Vec<char> = base.chars().collect();
    if chars.len() + cut.len() <= SHORT_URL {
        return format!("{base}{cut}");
    }
    let head: String = chars[..SHORT_URL / 2].iter().collect();
    let tail: String = chars[chars.len() - SHORT_URL / 3..].iter().collect();
    format!("{head}…{tail}{cut}")
}

/// The longest URL a message quotes whole.
const SHORT_URL: usize = 100;

#[cfg(test)]
mod tests {
    use super::short_url;

    #[test]
    fn long_urls_are_cut_to_their_path() {
        let fr = format!(
            "https://www.federalregister.gov/api/v1/documents.json?{}",
            "conditions%5Btype%5D%5B%5D=RULE&".repeat(30)
        );
        assert_eq!(
            short_url(&fr),
            "https://www.federalregister.gov/api/v1/documents.json?…"
        );
        let part = "https://www.ecfr.gov/api/versioner/v1/versions/title-15.json?part=738";
        assert_eq!(short_url(part), part);
        let long = format!("https://x.gov/{}", "a".repeat(300));
        let s = short_url(&long);
        assert!(s.chars().count() <= 100 && s.starts_with("https://x.gov/aaa") && s.contains('…'));
    }
}
