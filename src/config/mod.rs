//! Stage 0 — configuration: `feeds.yaml` in, a validated [`Config`] out.
//!
//! The file is read once, every mistake is reported with file, line and
//! column, and the rest of the program only ever sees the typed result: a list
//! of [`FeedSpec`]s, each with exactly the settings its [`Source`] kind needs.
//! Defaults live in one place ([`HttpSettings::default`]) so the README table
//! and the code cannot drift apart.

mod error;
mod notify;
mod raw;
mod validate;

use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::NaiveDate;
use serde::Serialize;
use url::Url;

pub use error::ConfigError;
pub use notify::{
    Channel, DEFAULT_DEADLINE_DAYS, DEFAULT_REMIND_DAYS, EmailChannel, FileChannel, Links,
    Recipient, SmtpSecurity, SmtpSettings, StdoutChannel, SummaryFormat, WatchProfile,
    WebhookChannel, WebhookStyle,
};

/// The whole validated configuration.
#[derive(Debug, Clone, Serialize)]
pub struct Config {
    /// Where the file was read from (shown in error messages).
    pub path: PathBuf,
    /// The snapshot store directory, resolved against the config file's folder.
    pub store: PathBuf,
    /// Network behaviour shared by every feed.
    pub http: HttpSettings,
    /// The feeds, in file order.
    pub feeds: Vec<FeedSpec>,
    /// Who is told about changes and how (the `notify:` section).
    pub notify: Vec<Recipient>,
    /// Where summaries link each changed item (the `links:` section).
    pub links: Links,
}

impl Config {
    /// Returns the configuration read and validated from `path`.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let text = std::fs::read(path).map_err(|source| ConfigError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        let text = String::from_utf8(text).map_err(|e| ConfigError::Invalid {
            path: path.to_path_buf(),
            line: 0,
            column: 0,
            message: format!(
                "file is not valid UTF-8 (byte {})",
                e.utf8_error().valid_up_to()
            ),
            hint: Some("save feeds.yaml as UTF-8".into()),
        })?;
        Self::from_yaml(&text, path)
    }

    /// Returns the configuration parsed from YAML text; `path` names the text
    /// in errors and anchors the relative `store` and `file` paths.
    pub fn from_yaml(text: &str, path: &Path) -> Result<Config, ConfigError> {
        validate::validate(text, path)
    }

    /// Returns the feed with this id.
    pub fn feed(&self, id: &str) -> Option<&FeedSpec> {
        self.feeds.iter().find(|f| f.id == id)
    }
}

/// Network settings (the `http:` section). Values are already defaulted.
#[derive(Debug, Clone, Serialize)]
pub struct HttpSettings {
    /// Sent with every request so server operators know who is calling.
    pub user_agent: String,
    /// Time allowed to open a TCP/TLS connection.
    pub connect_timeout: Duration,
    /// Time allowed for a whole request, body included.
    pub timeout: Duration,
    /// Further attempts after a connect error, 429 or 5xx (a request that
    /// times out is not repeated: a stalled server would stall the run).
    pub retries: u32,
    /// First backoff delay; doubles with each retry.
    pub backoff: Duration,
    /// Longest `Retry-After` honoured; a longer one fails the request instead
    /// of stalling a cron run.
    pub max_retry_after: Duration,
    /// Requests in flight to one host at once.
    pub per_host_concurrency: usize,
    /// Pause between two request starts to the same host.
    pub politeness_delay: Duration,
    /// Largest response body accepted, in bytes.
    pub max_bytes: u64,
}

impl Default for HttpSettings {
    fn default() -> Self {
        HttpSettings {
            user_agent: format!(
                "regwatch/{} (regulatory change monitor)",
                env!("CARGO_PKG_VERSION")
            ),
            connect_timeout: Duration::from_secs(10),
            timeout: Duration::from_secs(60),
            retries: 3,
            backoff: Duration::from_millis(500),
            max_retry_after: Duration::from_secs(120),
            per_host_concurrency: 2,
            politeness_delay: Duration::from_millis(250),
            max_bytes: 64 * 1024 * 1024,
        }
    }
}

/// One tracked source.
#[derive(Debug, Clone, Serialize)]
pub struct FeedSpec {
    /// Unique, `[a-z0-9-]+`; names the feed in the store and on the command line.
    pub id: String,
    /// Optional human name for reports.
    pub name: Option<String>,
    /// What to fetch and how.
    pub source: Source,
    /// Extra request headers.
    pub headers: Vec<HeaderSpec>,
    /// Per-feed override of [`HttpSettings::max_bytes`].
    pub max_bytes: Option<u64>,
    /// Per-feed override of [`HttpSettings::timeout`]. Serialised as
    /// `timeout_secs`, a number of seconds, as written in the file.
    #[serde(rename = "timeout_secs", serialize_with = "secs_or_null")]
    pub timeout: Option<Duration>,
}

/// A duration as seconds (`30`, `0.5`), the way the config file gives it.
fn secs_or_null<S: serde::Serializer>(d: &Option<Duration>, s: S) -> Result<S::Ok, S::Error> {
    match d {
        Some(d) if d.subsec_nanos() == 0 => s.serialize_u64(d.as_secs()),
        Some(d) => s.serialize_f64(d.as_secs_f64()),
        None => s.serialize_none(),
    }
}

/// The feed kinds (feeds.yaml `kind:`), the one list of them. A new kind
/// is a new variant here: every `match` on it (the keys the validator
/// accepts, the spec it builds, the fetcher, the stored `source.kind`)
/// then fails to compile until it handles the kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SourceKind {
    /// The Federal Register API.
    FederalRegister,
    /// The eCFR versioner API.
    Ecfr,
    /// An RSS or Atom feed.
    Rss,
    /// One web page.
    Html,
    /// A local file or folder.
    File,
}

impl SourceKind {
    /// Every kind, in documentation order (a unit test checks that each
    /// variant is here once).
    pub const ALL: [SourceKind; 5] = [
        SourceKind::FederalRegister,
        SourceKind::Ecfr,
        SourceKind::Rss,
        SourceKind::Html,
        SourceKind::File,
    ];

    /// The feeds.yaml name.
    pub fn as_str(self) -> &'static str {
        match self {
            SourceKind::FederalRegister => "federal_register",
            SourceKind::Ecfr => "ecfr",
            SourceKind::Rss => "rss",
            SourceKind::Html => "html",
            SourceKind::File => "file",
        }
    }

    /// The kind a feeds.yaml name stands for.
    pub fn parse(name: &str) -> Option<SourceKind> {
        SourceKind::ALL.into_iter().find(|k| k.as_str() == name)
    }

    /// True for kinds fetched over HTTP (they accept `headers`,
    /// `max_bytes` and `timeout_secs`).
    pub fn is_network(self) -> bool {
        match self {
            SourceKind::FederalRegister | SourceKind::Ecfr | SourceKind::Rss | SourceKind::Html => {
                true
            }
            SourceKind::File => false,
        }
    }
}

/// A feed's validated source: one spec per [`SourceKind`]; the names match
/// `kind:` in the file.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Source {
    /// Federal Register API v1 document search.
    FederalRegister(FederalRegisterSpec),
    /// eCFR versioner API: one item per CFR part.
    Ecfr(EcfrSpec),
    /// An RSS 0.9x/1.0/2.0, Atom or JSON Feed.
    Rss(RssSpec),
    /// One web page, optionally narrowed by a CSS selector.
    Html(HtmlSpec),
    /// A local file or directory.
    File(FileSpec),
}

impl Source {
    /// The kind of this source.
    pub fn kind(&self) -> SourceKind {
        match self {
            Source::FederalRegister(_) => SourceKind::FederalRegister,
            Source::Ecfr(_) => SourceKind::Ecfr,
            Source::Rss(_) => SourceKind::Rss,
            Source::Html(_) => SourceKind::Html,
            Source::File(_) => SourceKind::File,
        }
    }

    /// Returns the `kind:` name of this source.
    pub fn kind_name(&self) -> &'static str {
        self.kind().as_str()
    }
}

/// `kind: federal_register`.
#[derive(Debug, Clone, Serialize)]
pub struct FederalRegisterSpec {
    /// API root, default `https://www.federalregister.gov`.
    pub base_url: Url,
    /// Agency slugs, e.g. `industry-and-security-bureau`.
    pub agencies: Vec<String>,
    /// Document types: `RULE`, `PRORULE`, `NOTICE`, `PRESDOCU`.
    pub types: Vec<String>,
    /// Full-text search terms (each one searched; results merged).
    pub terms: Vec<String>,
    /// Only documents published on or after this date.
    pub since: Option<NaiveDate>,
    /// Page size for the search (the API allows up to 1000).
    pub per_page: u32,
    /// Stop after this many documents (a guard against a runaway search).
    pub max_documents: u32,
}

/// `kind: ecfr`.
#[derive(Debug, Clone, Serialize)]
pub struct EcfrSpec {
    /// API root, default `https://www.ecfr.gov`.
    pub base_url: Url,
    /// CFR title number, e.g. 15.
    pub title: u32,
    /// CFR parts, e.g. `["740"]`; each is one tracked item.
    pub parts: Vec<String>,
    /// Backfill every amendment date on or after this one on the first run;
    /// without it only the latest version is fetched at first.
    pub since: Option<NaiveDate>,
}

/// `kind: rss`.
#[derive(Debug, Clone, Serialize)]
pub struct RssSpec {
    /// The feed's URL.
    pub url: Url,
    /// Fetch each entry's link and keep that page as the item's content.
    pub follow_links: bool,
}

/// `kind: html`.
#[derive(Debug, Clone, Serialize)]
pub struct HtmlSpec {
    /// The page's URL.
    pub url: Url,
    /// CSS selector whose matches form the content; whole page when absent.
    pub selector: Option<String>,
}

/// `kind: file`.
#[derive(Debug, Clone, Serialize)]
pub struct FileSpec {
    /// A file or directory, resolved against the config file's folder.
    pub path: PathBuf,
}

/// An extra request header.
#[derive(Debug, Clone, Serialize)]
pub struct HeaderSpec {
    /// Header name.
    pub name: String,
    /// Where the value comes from.
    pub value: HeaderValue,
}

/// A header value: literal, or read from the environment at fetch time.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum HeaderValue {
    /// Written in the file (not for secrets).
    Literal(String),
    /// Name of an environment variable holding the value.
    Env(String),
}

#[cfg(test)]
mod tests {
    use super::SourceKind;

    #[test]
    fn every_source_kind_is_listed_once_and_named_as_serde_names_it() {
        // Exhaustive: a new variant must get a place here, and so in ALL.
        let place = |k: SourceKind| match k {
            SourceKind::FederalRegister => 0,
            SourceKind::Ecfr => 1,
            SourceKind::Rss => 2,
            SourceKind::Html => 3,
            SourceKind::File => 4,
        };
        for (i, k) in SourceKind::ALL.iter().enumerate() {
            assert_eq!(place(*k), i, "{k:?}");
            assert_eq!(SourceKind::parse(k.as_str()), Some(*k));
            assert_eq!(
                serde_json::to_value(k).unwrap_or_default(),
                serde_json::Value::String(k.as_str().into())
            );
        }
        assert_eq!(SourceKind::parse("files"), None);
    }
}
