//! The YAML shape of `feeds.yaml`, exactly as written by users.
//!
//! These structs only mirror the file: every field is optional and carries its
//! source location, so that [`super::validate`] can turn mistakes into errors
//! that point at a line and column. Nothing here is used past validation.

use serde::Deserialize;
use serde_saphyr::Spanned;

/// The whole file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawConfig {
    pub store: Option<Spanned<String>>,
    pub http: Option<RawHttp>,
    pub feeds: Option<Vec<Spanned<RawFeed>>>,
}

/// The optional `http:` section.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawHttp {
    pub user_agent: Option<Spanned<String>>,
    pub connect_timeout_secs: Option<Spanned<f64>>,
    pub timeout_secs: Option<Spanned<f64>>,
    pub retries: Option<u32>,
    pub backoff_ms: Option<u64>,
    pub max_retry_after_secs: Option<u64>,
    pub per_host_concurrency: Option<Spanned<usize>>,
    pub politeness_delay_ms: Option<u64>,
    pub max_bytes: Option<Spanned<u64>>,
}

/// One entry of `feeds:`. Every kind's keys live side by side here; the
/// validator rejects keys that do not belong to the entry's `kind`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawFeed {
    pub id: Option<Spanned<String>>,
    pub kind: Option<Spanned<String>>,
    pub name: Option<String>,
    // federal_register
    pub agencies: Option<Spanned<Vec<String>>>,
    pub types: Option<Spanned<Vec<String>>>,
    pub terms: Option<Spanned<Vec<String>>>,
    pub since: Option<Spanned<String>>,
    pub per_page: Option<Spanned<u32>>,
    pub max_documents: Option<Spanned<u32>>,
    // ecfr
    pub title: Option<Spanned<u32>>,
    pub part: Option<Spanned<StringOrNumber>>,
    pub parts: Option<Spanned<Vec<StringOrNumber>>>,
    // network kinds
    pub base_url: Option<Spanned<String>>,
    pub url: Option<Spanned<String>>,
    // rss
    pub follow_links: Option<Spanned<bool>>,
    // html
    pub selector: Option<Spanned<String>>,
    // file
    pub path: Option<Spanned<String>>,
    // every network kind
    pub headers: Option<Spanned<Vec<RawHeader>>>,
    pub max_bytes: Option<Spanned<u64>>,
    pub timeout_secs: Option<Spanned<f64>>,
}

/// An extra request header; the value comes literally or from an environment
/// variable (for API keys, which never belong in the file).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawHeader {
    pub name: String,
    pub value: Option<String>,
    pub value_env: Option<String>,
}

/// eCFR part numbers are written both as `740` and as `"740"`.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub(super) enum StringOrNumber {
    Number(u64),
    String(String),
}
