//! Stage 1 — fetch: a [`FeedSpec`] plus what the store already knows
//! ([`FetchState`]) in, the new bytes of that feed ([`FeedFetch`]) out.
//!
//! Each source kind has its own module and knows its API's shape; all of them
//! go through one [`HttpClient`], which owns politeness, retries, conditional
//! GET and the body-size limit, so no fetcher can forget them. Nothing here
//! writes to disk: the store decides what is new.

pub mod body;
mod ecfr;
mod error;
mod federal_register;
mod file;
mod html;
pub mod html_limit;
mod http;
mod rss;

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The kind of feed that fetched a version: defined with the feed kinds
/// of feeds.yaml.
pub use crate::config::SourceKind;
use crate::config::{FeedSpec, Source};

pub use body::human_bytes;
pub use error::{FetchError, FetchErrorKind, short_url};
pub use html::decode_html;
pub use http::{HttpClient, HttpOutcome, RequestOptions};
pub use rss::{FeedEntry, parse_feed};

/// How far a feed's fetch has got, passed out as plain data: the library
/// prints nothing; a caller that wants a progress display gives the
/// [`HttpClient`] a [`ProgressSink`] ([`HttpClient::with_progress`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Progress {
    /// The feed will fetch `total` items (documents, eCFR parts, pages).
    Items {
        /// Feed id.
        feed: String,
        /// How many.
        total: u64,
        /// What they are, plural (`documents`, `eCFR parts`).
        unit: &'static str,
    },
    /// One of those items is done (fetched or failed).
    ItemDone {
        /// Feed id.
        feed: String,
        /// Item key.
        item: String,
    },
    /// Bytes received so far of one large download (at least
    /// [`BIG_DOWNLOAD`] bytes, or of unknown size past that).
    Bytes {
        /// Feed id.
        feed: String,
        /// Received so far.
        received: u64,
        /// The size the server announced, if it did.
        total: Option<u64>,
    },
}

/// Receives [`Progress`] events, from any task (so `Send + Sync`).
pub type ProgressSink = std::sync::Arc<dyn Fn(Progress) + Send + Sync>;

/// Downloads at least this large report their bytes as they arrive.
pub const BIG_DOWNLOAD: u64 = 1024 * 1024;

/// HTTP cache validators remembered from a previous response.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Validators {
    /// The `ETag` header, sent back as `If-None-Match`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub etag: Option<String>,
    /// The `Last-Modified` header, sent back as `If-Modified-Since`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_modified: Option<String>,
}

impl Validators {
    /// Returns true when there is nothing to send back.
    pub fn is_empty(&self) -> bool {
        self.etag.is_none() && self.last_modified.is_none()
    }
}

/// What the store already holds for a feed: enough for a fetcher to ask only
/// for what may have changed. Built by the store, read here.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct FetchState {
    /// Validators per URL from earlier responses.
    #[serde(default)]
    pub validators: BTreeMap<String, Validators>,
    /// Per item key: what was last recorded.
    #[serde(default)]
    pub items: BTreeMap<String, KnownItem>,
}

/// The store's knowledge of one item.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct KnownItem {
    /// The source date of the latest stored version (eCFR amendment date).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub as_of: Option<NaiveDate>,
    /// Fingerprint of the listing entry that produced the latest version; an
    /// unchanged fingerprint means the item need not be fetched again.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fingerprint: Option<String>,
}

/// Bytes received for one part of an item.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RawBlob {
    /// The bytes, exactly as received (or, for derived parts, as produced).
    pub bytes: Vec<u8>,
    /// Where they came from.
    pub url: Option<String>,
    /// The `Content-Type` (or the type we gave a derived part).
    pub content_type: Option<String>,
    /// Validators from the response.
    pub validators: Validators,
}

/// One part of an item: either new bytes, or the server's word that the bytes
/// we already hold for `url` are still current (HTTP 304).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub enum Part {
    /// Fresh bytes.
    Fetched(RawBlob),
    /// Unchanged since the last version.
    NotModified {
        /// The URL that answered 304.
        url: String,
    },
}

/// What the fetcher knows the content to be, so the parser need not guess.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ContentFormat {
    /// One Federal Register API document record (no text URL was given).
    FrApiJson,
    /// Federal Register full-text XML.
    FrXml,
    /// eCFR versioner XML.
    EcfrXml,
    /// An HTML page (or the part a selector chose).
    Html,
    /// Plain text.
    Text,
    /// The entry record an `rss` feed without `follow_links` writes
    /// ([`FeedEntry`]).
    FeedEntry,
}

/// Where a version came from: the feed kind, and the content's format when
/// the fetcher knows it. Recorded on each stored version; absent on
/// versions stored before it existed and on ad-hoc files, which the parser
/// reads by sniffing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceInfo {
    /// The feed kind.
    pub kind: SourceKind,
    /// The content's format, when known for certain.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format: Option<ContentFormat>,
}

impl SourceInfo {
    /// A source of `kind` with content of `format`.
    pub fn new(kind: SourceKind, format: Option<ContentFormat>) -> SourceInfo {
        SourceInfo { kind, format }
    }
}

/// The format a page's declared content type names for certain: `Html` for
/// HTML, `Text` for `text/plain`, else `None` (the parser sniffs).
pub(crate) fn page_format(content_type: Option<&str>) -> Option<ContentFormat> {
    match body::media_type(content_type)?.as_str() {
        "text/html" | "application/xhtml+xml" => Some(ContentFormat::Html),
        "text/plain" => Some(ContentFormat::Text),
        _ => None,
    }
}

/// One version of one tracked item, as fetched.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FetchedItem {
    /// Stable key, unique within the feed, safe as a file name.
    pub key: String,
    /// Human title, when the source gives one.
    pub title: Option<String>,
    /// The source's own date for this version (eCFR amendment date); it
    /// orders versions and answers `@YYYY-MM-DD` refs.
    pub as_of: Option<NaiveDate>,
    /// Publication date of the document or entry.
    pub published: Option<NaiveDate>,
    /// The main content: the text users diff.
    pub content: Part,
    /// Structured metadata beside the content (FR API JSON, feed entry).
    pub metadata: Option<Part>,
    /// The page as received, kept when `content` was derived from it.
    pub raw: Option<Part>,
    /// Fingerprint of the listing entry (see [`KnownItem::fingerprint`]).
    pub fingerprint: Option<String>,
    /// The feed kind and content format, recorded on the stored version.
    #[serde(default)]
    pub source: Option<SourceInfo>,
}

/// A failure confined to one item; the feed's other items still count.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ItemError {
    /// The item key.
    pub key: String,
    /// What went wrong.
    pub message: String,
}

/// Everything one feed fetch produced.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FeedFetch {
    /// The feed id.
    pub feed: String,
    /// New or possibly changed item versions, oldest first per item.
    pub items: Vec<FetchedItem>,
    /// Items known to be unchanged without downloading them again.
    pub unchanged: Vec<String>,
    /// Items that failed while the rest of the feed succeeded.
    pub errors: Vec<ItemError>,
    /// Items stored as received but not what the feed expects (a binary
    /// body, no or a non-text content type): see [`body::warning`]. An
    /// empty `key` warns of the whole feed (a `file` feed's empty folder).
    #[serde(default)]
    pub warnings: Vec<ItemError>,
    /// Validators to remember for listing URLs (search pages, feeds).
    pub validators: BTreeMap<String, Validators>,
}

impl FeedFetch {
    fn new(feed: &str) -> Self {
        FeedFetch {
            feed: feed.to_string(),
            items: Vec::new(),
            unchanged: Vec::new(),
            errors: Vec::new(),
            warnings: Vec::new(),
            validators: BTreeMap::new(),
        }
    }
}

/// Returns the feed's new content, fetched with `client`, asking only for
/// what `state` says may have changed.
pub async fn fetch_feed(
    spec: &FeedSpec,
    state: &FetchState,
    client: &HttpClient,
) -> Result<FeedFetch, FetchError> {
    let opts = RequestOptions::for_feed(spec, client.settings())?;
    match &spec.source {
        Source::FederalRegister(fr) => {
            federal_register::fetch(&spec.id, fr, state, client, &opts).await
        }
        Source::Ecfr(e) => ecfr::fetch(&spec.id, e, state, client, &opts).await,
        Source::Rss(r) => rss::fetch(&spec.id, r, state, client, &opts).await,
        Source::Html(h) => html::fetch(&spec.id, h, state, client, &opts).await,
        Source::File(f) => file::fetch(&spec.id, f, opts.max_bytes).await,
    }
}

/// Returns `s` made safe as an item key: ASCII letters, digits, `.`, `_`,
/// `-` and `~` kept, runs of anything else become one `-`; never empty, never
/// starting with a dot, at most 120 characters, never containing `--`.
///
/// Lossy: different strings can give the same key (`a b`, `a-b`, `a?b`), so
/// fetchers key items with [`lossless_key`] or [`hashed_key`], built on it.
pub fn item_key(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        let c = match c {
            '\u{2010}'..='\u{2015}' => '-',
            c if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '~') => c,
            _ => '-',
        };
        if c == '-' && out.ends_with('-') {
            continue;
        }
        out.push(c);
    }
    let trimmed = out.trim_matches(|c| c == '-' || c == '.');
    let mut key: String = trimmed.chars().take(120).collect();
    if key.is_empty() {
        key = "item".into();
    }
    key
}

/// Returns a key that names `identity` without loss: a readable part made
/// from `readable` by [`item_key`] (at most 100 characters), then `--` and
/// the first 16 hex digits (64 bits) of the BLAKE3 hash of `identity`.
///
/// Why `--`: [`item_key`] collapses runs of `-`, so no plain key contains
/// `--`, and a hashed key can never equal a plain one (nor a key written by
/// an older regwatch, which only wrote plain keys). The fixed-length suffix
/// makes two hashed keys equal only when the identities' hashes are.
pub(crate) fn hashed_key(readable: &str, identity: &str) -> String {
    hashed_key_of(readable, identity.as_bytes())
}

/// [`hashed_key`] of an identity that is bytes (a file path that is not
/// UTF-8).
pub(crate) fn hashed_key_of(readable: &str, identity: &[u8]) -> String {
    let slug: String = item_key(readable).chars().take(100).collect();
    let slug = slug.trim_end_matches(['-', '.']);
    let slug = if slug.is_empty() { "item" } else { slug };
    format!("{slug}--{}", &fingerprint(identity)[..16])
}

/// Returns the key for a source id without loss: the id itself when
/// [`item_key`] keeps it unchanged (`2024-19633`), else [`hashed_key`] of it
/// (`item--3f9a…` for `..`). Two different ids never share a key.
pub(crate) fn lossless_key(id: &str) -> String {
    let plain = item_key(id);
    if plain == id {
        plain
    } else {
        hashed_key(id, id)
    }
}

/// Returns `base` with `path` appended to its own path, so a `base_url`
/// with a prefix (a proxy, a mirror) keeps it.
pub(crate) fn api_url(base: &url::Url, path: &str) -> url::Url {
    let mut url = base.clone();
    url.set_path(&format!(
        "{}/{}",
        base.path().trim_end_matches('/'),
        path.trim_start_matches('/')
    ));
    url
}

/// Returns the BLAKE3 hex digest of `bytes`, used for fingerprints.
pub(crate) fn fingerprint(bytes: &[u8]) -> String {
    blake3::hash(bytes).to_hex().to_string()
}

#[cfg(test)]
mod tests {
    use super::{hashed_key, item_key, lossless_key};

    #[test]
    fn item_keys_are_file_safe() {
        assert_eq!(item_key("2024\u{2013}19633"), "2024-19633");
        assert_eq!(item_key("https://x.gov/a b?c=1"), "https-x.gov-a-b-c-1");
        assert_eq!(item_key("../etc/passwd"), "etc-passwd");
        assert_eq!(item_key("///"), "item");
        assert_eq!(item_key("sub~a.md"), "sub~a.md");
    }

    #[test]
    fn lossless_keys_keep_plain_ids_and_never_merge_two_ids() {
        assert_eq!(lossless_key("2024-19633"), "2024-19633");
        assert_eq!(lossless_key("part-740"), "part-740");
        let ids = [
            "..",
            ".",
            "-",
            "",
            "item",
            "a b",
            "a-b",
            "a--b",
            "A B",
            "a\u{2013}b",
        ];
        let keys: std::collections::BTreeSet<_> = ids.iter().map(|i| lossless_key(i)).collect();
        assert_eq!(keys.len(), ids.len(), "{keys:?}");
        for k in &keys {
            let safe = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '~');
            assert!(
                k.chars().all(safe) && !k.starts_with('.'),
                "{k} is not a safe key"
            );
        }
        assert_eq!(lossless_key(".."), lossless_key(".."), "stable");
        assert!(lossless_key("..").starts_with("item--"));
        let long = hashed_key(&"x".repeat(300), "id");
        assert!(long.len() <= 118 && long.starts_with("xxx"), "{long}");
    }
}
