//! eCFR versioner API: one tracked item per CFR part, one version per
//! amendment date.
//!
//! `versions/title-N.json?part=P` lists the dates on which the part changed;
//! only dates newer than the latest stored one are downloaded from
//! `full/{date}/title-N.xml?part=P`, so history is built from the
//! regulator's own dates rather than from when we happened to look.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use serde::Deserialize;
use url::Url;

use super::{
    ContentFormat, FeedFetch, FetchError, FetchErrorKind, FetchState, FetchedItem, HttpClient,
    HttpOutcome, ItemError, Part, Progress, RequestOptions, SourceInfo, SourceKind, api_url, body,
};
use crate::config::EcfrSpec;

#[derive(Debug, Deserialize)]
struct VersionsResponse {
    content_versions: Vec<ContentVersion>,
}

#[derive(Debug, Deserialize)]
struct ContentVersion {
    #[serde(default)]
    date: Option<String>,
    #[serde(default)]
    amendment_date: Option<String>,
}

/// Returns the item key for a part.
pub(crate) fn part_key(part: &str) -> String {
    format!("part-{part}")
}

pub(super) async fn fetch(
    feed: &str,
    spec: &EcfrSpec,
    state: &FetchState,
    client: &HttpClient,
    opts: &RequestOptions,
) -> Result<FeedFetch, FetchError> {
    let mut out = FeedFetch::new(feed);
    let mut failures = Vec::new();
    client.report(Progress::Items {
        feed: feed.to_string(),
        total: spec.parts.len() as u64,
        unit: "eCFR parts",
    });
    for part in &spec.parts {
        match fetch_part(feed, spec, part, state, client, opts, &mut out).await {
            Ok(()) => {}
            Err(e) => failures.push(e.within(format!("part {part}"))),
        }
        client.report(Progress::ItemDone {
            feed: feed.to_string(),
            item: part_key(part),
        });
    }
    // One part failing must not cost the others their versions; only when
    // every part failed is the feed as a whole a failure.
    let parts = spec.parts.len();
    if failures.len() == parts
        && let Some(first) = failures.into_iter().next()
    {
        return Err(if parts > 1 {
            let which = first.within.clone().unwrap_or_default();
            first.within(format!("{which}; all {parts} parts failed"))
        } else {
            first
        });
    }
    Ok(out)
}

async fn fetch_part(
    feed: &str,
    spec: &EcfrSpec,
    part: &str,
    state: &FetchState,
    client: &HttpClient,
    opts: &RequestOptions,
    out: &mut FeedFetch,
) -> Result<(), FetchError> {
    let key = part_key(part);
    let mut versions_url = api_url(
        &spec.base_url,
        &format!("api/versioner/v1/versions/title-{}.json", spec.title),
    );
    versions_url.query_pairs_mut().append_pair("part", part);
    let record_err = |out: &mut FeedFetch, e: &FetchError| {
        out.errors.push(ItemError {
            key: key.clone(),
            message: e.to_string(),
        });
    };
    let body = match client
        .get(
            feed,
            &versions_url,
            state.validators.get(versions_url.as_str()),
            opts,
        )
        .await
    {
        Ok(HttpOutcome::NotModified) => {
            out.unchanged.push(key);
            return Ok(());
        }
        Ok(HttpOutcome::Body(b)) => b,
        Err(e) => {
            record_err(out, &e);
            return Err(e);
        }
    };
    let parsed: VersionsResponse = match serde_json::from_slice(&body.bytes) {
        Ok(p) => p,
        Err(e) => {
            let e = FetchError::new(
                feed,
                Some(versions_url.as_str()),
                FetchErrorKind::Malformed {
                    expected: "eCFR versions JSON",
                    detail: format!("line {} column {}: {e}", e.line(), e.column()),
                },
            );
            record_err(out, &e);
            return Err(e);
        }
    };
    let dates: BTreeSet<NaiveDate> = parsed
        .content_versions
        .iter()
        .filter_map(|v| v.amendment_date.as_deref().or(v.date.as_deref()))
        .filter_map(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
        .collect();
    let known = state.items.get(&key).and_then(|k| k.as_of);
    let wanted: Vec<NaiveDate> = match (known, spec.since) {
        (Some(latest), _) => dates.iter().copied().filter(|d| *d > latest).collect(),
        (None, Some(since)) => dates.iter().copied().filter(|d| *d >= since).collect(),
        (None, None) => dates.iter().next_back().copied().into_iter().collect(),
    };
    if wanted.is_empty() {
        out.unchanged.push(key);
        out.validators
            .insert(versions_url.to_string(), body.validators);
        return Ok(());
    }
    for date in wanted {
        let url = full_url(&spec.base_url, spec.title, part, date);
        match client.get(feed, &url, None, opts).await {
            Ok(HttpOutcome::Body(b)) => {
                if let Err(detail) = body::check_typed(body::Expected::Xml, &b) {
                    let e = FetchError::new(
                        feed,
                        Some(url.as_str()),
                        FetchErrorKind::Malformed {
                            expected: "eCFR XML",
                            detail,
                        },
                    );
                    record_err(out, &e);
                    return Err(e);
                }
                out.items.push(FetchedItem {
                    key: key.clone(),
                    title: Some(format!("{} CFR part {part}", spec.title)),
                    as_of: Some(date),
                    published: None,
                    content: Part::Fetched(b),
                    metadata: None,
                    raw: None,
                    fingerprint: None,
                    source: Some(SourceInfo::new(
                        SourceKind::Ecfr,
                        Some(ContentFormat::EcfrXml),
                    )),
                });
            }
            Ok(HttpOutcome::NotModified) => {
                out.unchanged.push(key.clone());
            }
            Err(e) => {
                // Keep the dates already fetched; the rest come next run
                // because the versions validators are not saved.
                record_err(out, &e);
                return Err(e);
            }
        }
    }
    out.validators
        .insert(versions_url.to_string(), body.validators);
    Ok(())
}

fn full_url(base: &Url, title: u32, part: &str, date: NaiveDate) -> Url {
    let mut url = api_url(
        base,
        &format!("api/versioner/v1/full/{date}/title-{title}.xml"),
    );
    url.query_pairs_mut().append_pair("part", part);
    url
}
