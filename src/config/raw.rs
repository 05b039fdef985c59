//! The YAML shape of `feeds.yaml`, exactly as written by users.
//!
//! These structs only mirror the file: every field is optional and carries its
//! source location, so that [`super::validate`] can turn mistakes into errors
//! that point at a line and column. Nothing here is used past validation.

use serde::{Deserialize, Deserializer};
use serde_saphyr::Spanned;

/// A list key given either as a list or, where one value is obviously
/// meant, as that value alone: `to: team@example.com` is `to:
/// [team@example.com]`, `parts: 740` is `parts: [740]`.
#[derive(Deserialize)]
#[serde(untagged)]
enum OneOrMany<T> {
    Many(Vec<T>),
    One(T),
}

impl<T> From<OneOrMany<T>> for Vec<T> {
    fn from(v: OneOrMany<T>) -> Vec<T> {
        match v {
            OneOrMany::Many(v) => v,
            OneOrMany::One(x) => vec![x],
        }
    }
}

/// `deserialize_with` for an optional, located list key (see [`OneOrMany`]).
fn list<'de, D, T>(d: D) -> Result<Option<Spanned<Vec<T>>>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    let v: Option<Spanned<OneOrMany<T>>> = Option::deserialize(d)?;
    Ok(v.map(|s| Spanned::new(s.value.into(), s.referenced, s.defined)))
}

/// `deserialize_with` for an optional list key without a location.
fn plain_list<'de, D, T>(d: D) -> Result<Option<Vec<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    let v: Option<OneOrMany<T>> = Option::deserialize(d)?;
    Ok(v.map(Vec::from))
}

/// The whole file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawConfig {
    pub store: Option<Spanned<String>>,
    pub http: Option<RawHttp>,
    pub feeds: Option<Vec<Spanned<RawFeed>>>,
    pub notify: Option<Vec<Spanned<RawRecipient>>>,
    pub links: Option<Spanned<RawLinks>>,
}

/// The optional `links:` section.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawLinks {
    pub base_url: Option<Spanned<String>>,
    pub dir: Option<Spanned<String>>,
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
/// validator rejects keys that do not belong to the entry's `kind`
/// (`validate::kind_keys`, an exhaustive match on `SourceKind`).
///
/// Not a `#[serde(tag = "kind")]` enum on purpose: serde buffers an
/// internally tagged enum's fields before it knows the variant, and
/// `serde_saphyr::Spanned` documents that it loses its locations there
/// (as in `flatten` and `untagged`), so every error inside a feed would
/// lose its line and column. The typed, per-kind form is built from this
/// one (`config::Source`, one struct per kind).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawFeed {
    pub id: Option<Spanned<String>>,
    pub kind: Option<Spanned<String>>,
    pub name: Option<String>,
    // federal_register
    #[serde(default, deserialize_with = "list")]
    pub agencies: Option<Spanned<Vec<String>>>,
    #[serde(default, deserialize_with = "list")]
    pub types: Option<Spanned<Vec<String>>>,
    #[serde(default, deserialize_with = "list")]
    pub terms: Option<Spanned<Vec<String>>>,
    pub since: Option<Spanned<String>>,
    pub per_page: Option<Spanned<u32>>,
    pub max_documents: Option<Spanned<u32>>,
    // ecfr
    pub title: Option<Spanned<u32>>,
    pub part: Option<Spanned<StringOrNumber>>,
    #[serde(default, deserialize_with = "list")]
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
    #[serde(default, deserialize_with = "list")]
    pub feeds: Option<Spanned<Vec<String>>>,
    pub profile: Option<Spanned<RawProfile>>,
    #[serde(default, deserialize_with = "list")]
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
    #[serde(default, deserialize_with = "plain_list")]
    pub eccns: Option<Vec<String>>,
    #[serde(default, deserialize_with = "plain_list")]
    pub countries: Option<Vec<String>>,
    #[serde(default, deserialize_with = "plain_list")]
    pub exceptions: Option<Vec<String>>,
    #[serde(default, deserialize_with = "plain_list")]
    pub keywords: Option<Vec<String>>,
    pub only_matching: Option<bool>,
}

/// `email:` channel.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawEmail {
    pub smtp: Option<Spanned<RawSmtp>>,
    pub from: Option<Spanned<String>>,
    #[serde(default, deserialize_with = "list")]
    pub to: Option<Spanned<Vec<String>>>,
    #[serde(default, deserialize_with = "list")]
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
    #[serde(default, deserialize_with = "list")]
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
