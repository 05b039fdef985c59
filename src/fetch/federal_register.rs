//! Federal Register API v1: `documents.json` search, then each document's
//! API JSON (metadata) and full text (content).
//!
//! Why this shape: the search is one cheap conditional request per run; a
//! document is only fetched again when its search record (which includes
//! dates, corrections and title) changed, so a daily run over hundreds of BIS
//! rules costs one request when nothing happened.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Deserialize;
use serde_json::Value;
use tokio::task::JoinSet;
use url::Url;

use super::{
    ContentFormat, FeedFetch, FetchError, FetchErrorKind, FetchState, FetchedItem, HttpClient,
    HttpOutcome, ItemError, Part, Progress, RawBlob, RequestOptions, SourceInfo, SourceKind,
    api_url, body, fingerprint, lossless_key,
};
use crate::config::FederalRegisterSpec;

/// Fields requested in the search: what identifies a document and what
/// changes when the document does.
const SEARCH_FIELDS: [&str; 14] = [
    "document_number",
    "title",
    "type",
    "action",
    "publication_date",
    "effective_on",
    "comments_close_on",
    "dates",
    "corrections",
    "html_url",
    "json_url",
    "full_text_xml_url",
    "body_html_url",
    "raw_text_url",
];

/// Hard cap on search pages, against a server that never stops paginating.
const MAX_PAGES: usize = 1000;

#[derive(Debug, Deserialize)]
struct SearchPage {
    #[serde(default)]
    results: Vec<Value>,
    #[serde(default)]
    next_page_url: Option<String>,
}

/// Returns the first search page URL for `spec`, one per search term.
pub(crate) fn search_urls(spec: &FederalRegisterSpec) -> Vec<Url> {
    let terms: Vec<Option<&str>> = if spec.terms.is_empty() {
        vec![None]
    } else {
        spec.terms.iter().map(|t| Some(t.as_str())).collect()
    };
    terms
        .into_iter()
        .map(|term| {
            let mut url = api_url(&spec.base_url, "api/v1/documents.json");
            {
                let mut q = url.query_pairs_mut();
                q.append_pair("per_page", &spec.per_page.to_string());
                q.append_pair("order", "newest");
                for a in &spec.agencies {
                    q.append_pair("conditions[agencies][]", a);
                }
                for t in &spec.types {
                    q.append_pair("conditions[type][]", t);
                }
                if let Some(since) = spec.since {
                    q.append_pair("conditions[publication_date][gte]", &since.to_string());
                }
                if let Some(term) = term {
                    q.append_pair("conditions[term]", term);
                }
                for f in SEARCH_FIELDS {
                    q.append_pair("fields[]", f);
                }
            }
            url
        })
        .collect()
}

pub(super) async fn fetch(
    feed: &str,
    spec: &FederalRegisterSpec,
    state: &FetchState,
    client: &HttpClient,
    opts: &RequestOptions,
) -> Result<FeedFetch, FetchError> {
    let mut out = FeedFetch::new(feed);
    // (key, document number, search record), in first-seen (newest-first) order.
    let mut records: Vec<(String, String, Value)> = Vec::new();
    // Key → document number, to tell a repeat (the same document on two
    // pages or under two terms) from two numbers that would share a key.
    let mut seen: BTreeMap<String, String> = BTreeMap::new();
    let mut all_not_modified = true;
    let mut first_pages = BTreeMap::new();
    for first in search_urls(spec) {
        let mut url = first.clone();
        let mut page = 0;
        loop {
            page += 1;
            // Only the first page is asked conditionally: later pages are
            // fetched only when the first one changed.
            // With several term searches a 304 on one would hide its items,
            // so only a single search is asked conditionally.
            let validators = (page == 1 && spec.terms.len() <= 1)
                .then(|| state.validators.get(first.as_str()))
                .flatten();
            let body = match client.get(feed, &url, validators, opts).await? {
                HttpOutcome::NotModified => break,
                HttpOutcome::Body(b) => b,
            };
            all_not_modified = false;
            if page == 1 {
                first_pages.insert(first.to_string(), body.validators.clone());
            }
            let parsed: SearchPage = serde_json::from_slice(&body.bytes).map_err(|e| {
                FetchError::new(
                    feed,
                    Some(url.as_str()),
                    FetchErrorKind::Malformed {
                        expected: "Federal Register search JSON",
                        detail: format!("line {} column {}: {e}", e.line(), e.column()),
                    },
                )
            })?;
            for (i, rec) in parsed.results.into_iter().enumerate() {
                let Some(num) = rec.get("document_number").and_then(Value::as_str) else {
                    out.errors.push(ItemError {
                        key: "?".into(),
                        message: format!(
                            "feed `{feed}`: {url}: search result {} has no document_number; skipped",
                            i + 1
                        ),
                    });
                    continue;
                };
                let key = lossless_key(num);
                match seen.get(&key) {
                    Some(first) if first == num => {}
                    Some(first) => out.errors.push(ItemError {
                        key: key.clone(),
                        message: format!(
                            "feed `{feed}`: document numbers `{first}` and `{num}` map to the same item key; `{num}` ({url}) skipped"
                        ),
                    }),
                    None if records.len() < spec.max_documents as usize => {
                        seen.insert(key.clone(), num.to_string());
                        records.push((key, num.to_string(), rec));
                    }
                    None => {}
                }
            }
            match parsed.next_page_url {
                Some(next) if page < MAX_PAGES && records.len() < spec.max_documents as usize => {
                    url = Url::parse(&next).map_err(|e| {
                        FetchError::new(
                            feed,
                            Some(url.as_str()),
                            FetchErrorKind::Malformed {
                                expected: "Federal Register search JSON",
                                detail: format!("bad next_page_url `{next}`: {e}"),
                            },
                        )
                    })?;
                }
                _ => break,
            }
        }
    }
    if all_not_modified {
        out.unchanged = state.items.keys().cloned().collect();
        return Ok(out);
    }

    let mut tasks = JoinSet::new();
    let validators = std::sync::Arc::new(state.validators.clone());
    for (index, (key, number, rec)) in records.into_iter().enumerate() {
        let fp = fingerprint(rec.to_string().as_bytes());
        if state.items.get(&key).and_then(|k| k.fingerprint.as_deref()) == Some(fp.as_str()) {
            out.unchanged.push(key);
            continue;
        }
        let job = DocJob {
            feed: feed.to_string(),
            base: spec.base_url.clone(),
            key,
            number,
            rec,
            fp,
            state_validators: validators.clone(),
            opts: opts.clone(),
        };
        let client = client.clone();
        tasks.spawn(async move { (index, job.run(&client).await) });
    }
    client.report(Progress::Items {
        feed: feed.to_string(),
        total: tasks.len() as u64,
        unit: "documents",
    });
    type Done = Result<(FetchedItem, Option<ItemError>), ItemError>;
    let mut done: Vec<(usize, Done)> = Vec::new();
    while let Some(joined) = tasks.join_next().await {
        client.report(Progress::ItemDone {
            feed: feed.to_string(),
            item: match &joined {
                Ok((_, Ok((item, _)))) => item.key.clone(),
                Ok((_, Err(e))) => e.key.clone(),
                Err(_) => "?".into(),
            },
        });
        match joined {
            Ok(r) => done.push(r),
            Err(e) => out.errors.push(ItemError {
                key: "?".into(),
                message: format!("document task failed: {e}"),
            }),
        }
    }
    // Oldest first, so the store appends in publication order.
    done.sort_by_key(|(i, _)| std::cmp::Reverse(*i));
    for (_, r) in done {
        match r {
            Ok((item, warning)) => {
                out.items.push(item);
                out.warnings.extend(warning);
            }
            Err(e) => out.errors.push(e),
        }
    }
    // Remember the search validators only when every document made it, so a
    // failed document is retried on the next run instead of hiding behind a 304.
    if out.errors.is_empty() {
        out.validators = first_pages;
    }
    Ok(out)
}

/// Returns `/api/v1/documents/{number}.json` below `base`, the number
/// escaped as one path segment.
fn document_url(base: &Url, number: &str) -> Url {
    let mut url = api_url(base, "api/v1/documents");
    if let Ok(mut segments) = url.path_segments_mut() {
        segments.pop_if_empty().push(&format!("{number}.json"));
    }
    url
}

struct DocJob {
    feed: String,
    base: Url,
    key: String,
    /// The document number as the search gave it.
    number: String,
    rec: Value,
    fp: String,
    state_validators: std::sync::Arc<BTreeMap<String, super::Validators>>,
    opts: RequestOptions,
}

impl DocJob {
    /// Refuses a body that is not the document kind its URL promises
    /// ([`body::check_typed`]), as an item error naming feed, item and URL.
    fn check(&self, expected: body::Expected, url: &Url, b: &RawBlob) -> Result<(), ItemError> {
        body::check_typed(expected, b).map_err(|why| ItemError {
            key: self.key.clone(),
            message: format!("feed `{}`: {url}: {why}", self.feed),
        })
    }

    /// The document as an item, with a warning when its first text URL's
    /// body was refused and a later one stored instead.
    async fn run(self, client: &HttpClient) -> Result<(FetchedItem, Option<ItemError>), ItemError> {
        let fail = |e: FetchError| ItemError {
            key: self.key.clone(),
            message: e.to_string(),
        };
        let json_url = self
            .rec
            .get("json_url")
            .and_then(Value::as_str)
            .and_then(|u| Url::parse(u).ok())
            .unwrap_or_else(|| document_url(&self.base, &self.number));
        let meta = match client
            .get(
                &self.feed,
                &json_url,
                self.state_validators.get(json_url.as_str()),
                &self.opts,
            )
            .await
            .map_err(fail)?
        {
            HttpOutcome::NotModified => Part::NotModified {
                url: json_url.to_string(),
            },
            HttpOutcome::Body(b) => {
                self.check(body::Expected::Json, &json_url, &b)?;
                Part::Fetched(b)
            }
        };
        // The document JSON has the authoritative text URLs; fall back to the search record.
        let doc: Value = match &meta {
            Part::Fetched(b) => serde_json::from_slice(&b.bytes).unwrap_or(Value::Null),
            Part::NotModified { .. } => Value::Null,
        };
        let field = |name: &str| -> Option<String> {
            doc.get(name)
                .or_else(|| self.rec.get(name))
                .and_then(Value::as_str)
                .map(str::to_string)
        };
        let candidates: Vec<(Url, body::Expected, ContentFormat)> = [
            (
                "full_text_xml_url",
                body::Expected::Xml,
                ContentFormat::FrXml,
            ),
            ("body_html_url", body::Expected::Html, ContentFormat::Html),
            ("raw_text_url", body::Expected::Text, ContentFormat::Text),
        ]
        .iter()
        .filter_map(|(f, expected, format)| {
            Some((Url::parse(&field(f)?).ok()?, *expected, *format))
        })
        .collect();
        let mut content = None;
        // Why each text URL tried was not used, and which of those were
        // refused bodies (rather than missing ones).
        let mut tried: Vec<String> = Vec::new();
        let mut refused: Vec<String> = Vec::new();
        for (url, expected, format) in &candidates {
            match client
                .get(
                    &self.feed,
                    url,
                    self.state_validators.get(url.as_str()),
                    &self.opts,
                )
                .await
            {
                Ok(HttpOutcome::NotModified) => {
                    content = Some((
                        Part::NotModified {
                            url: url.to_string(),
                        },
                        *format,
                    ));
                    break;
                }
                Ok(HttpOutcome::Body(b)) => match self.check(*expected, url, &b) {
                    Ok(()) => {
                        content = Some((Part::Fetched(b), *format));
                        break;
                    }
                    // A truncated full text or an image is no good version:
                    // the next format may be.
                    Err(e) => {
                        tried.push(e.message.clone());
                        refused.push(e.message);
                    }
                },
                // A missing full text falls back to the next format.
                Err(e) if e.is_status() => tried.push(e.to_string()),
                Err(e) => return Err(fail(e)),
            }
        }
        let (content, format, warning) = match content {
            Some((c, format)) => {
                // Stored from a later format because an earlier body was refused.
                let warning = (!refused.is_empty()).then(|| ItemError {
                    key: self.key.clone(),
                    message: format!(
                        "{}; stored the {} text instead",
                        refused.join("; "),
                        format_name(format)
                    ),
                });
                (c, format, warning)
            }
            // No text URL at all: the API JSON is the only content there is.
            None if tried.is_empty() => (meta.clone(), ContentFormat::FrApiJson, None),
            // A failed item: nothing stored, fetched again on the next run.
            None => {
                let message = match tried.as_slice() {
                    [one] => one.clone(),
                    all => format!(
                        "no usable full text ({} text URLs tried): {}",
                        all.len(),
                        all.join("; ")
                    ),
                };
                return Err(ItemError {
                    key: self.key.clone(),
                    message,
                });
            }
        };
        let published =
            field("publication_date").and_then(|d| NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok());
        let item = FetchedItem {
            key: self.key.clone(),
            title: field("title"),
            as_of: None,
            published,
            content,
            metadata: Some(meta),
            raw: None,
            fingerprint: Some(self.fp.clone()),
            source: Some(SourceInfo::new(SourceKind::FederalRegister, Some(format))),
        };
        Ok((item, warning))
    }
}

/// `HTML` for the document's `body_html_url` text, and so on.
fn format_name(format: ContentFormat) -> &'static str {
    match format {
        ContentFormat::FrXml => "XML",
        ContentFormat::Html => "HTML",
        ContentFormat::Text => "raw",
        _ => "API JSON",
    }
}
