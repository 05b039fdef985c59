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
    pub notify: Option<Vec<Spanned<RawRecipient>>>,
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

/// One entry of `notify:`: a recipient with its profile and channels.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawRecipient {
    pub id: Option<Spanned<String>>,
    pub name: Option<String>,
    pub feeds: Option<Spanned<Vec<String>>>,
    pub profile: Option<Spanned<RawProfile>>,
    pub remind_days: Option<Spanned<Vec<i64>>>,
    pub deadline_days: Option<Spanned<i64>>,
    pub email: Option<Spanned<RawEmail>>,
    pub stdout: Option<Spanned<BoolOr<RawStdout>>>,
    pub file: Option<Spanned<RawFileChannel>>,
    pub webhook: Option<Spanned<RawWebhook>>,
}

/// `profile:` — what a recipient cares about.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawProfile {
    pub eccns: Option<Vec<String>>,
    pub countries: Option<Vec<String>>,
    pub exceptions: Option<Vec<String>>,
    pub keywords: Option<Vec<String>>,
    pub only_matching: Option<bool>,
}

/// `email:` channel.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawEmail {
    pub smtp: Option<Spanned<RawSmtp>>,
    pub from: Option<Spanned<String>>,
    pub to: Option<Spanned<Vec<String>>>,
    pub cc: Option<Spanned<Vec<String>>>,
}

/// `email.smtp:` server settings.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawSmtp {
    pub host: Option<Spanned<String>>,
    pub port: Option<Spanned<u16>>,
    pub security: Option<Spanned<String>>,
    pub username_env: Option<Spanned<String>>,
    pub password_env: Option<Spanned<String>>,
    pub allow_plaintext_auth: Option<Spanned<bool>>,
    pub timeout_secs: Option<Spanned<f64>>,
}

/// `stdout:` channel options.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawStdout {
    pub format: Option<Spanned<String>>,
}

/// `file:` channel.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawFileChannel {
    pub dir: Option<Spanned<String>>,
    pub formats: Option<Spanned<Vec<String>>>,
}

/// `webhook:` channel.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawWebhook {
    pub url: Option<Spanned<String>>,
    pub style: Option<Spanned<String>>,
    pub headers: Option<Spanned<Vec<RawHeader>>>,
    pub timeout_secs: Option<Spanned<f64>>,
}

/// `stdout: true` or `stdout: { format: markdown }`.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub(super) enum BoolOr<T> {
    Bool(bool),
    Table(T),
}
