//! The one HTTP client every fetcher uses.
//!
//! Why one: politeness (a per-host concurrency limit and a delay between
//! request starts), retries with exponential backoff that honour
//! `Retry-After`, conditional GET and the body-size limit are rules for the
//! whole program, not for each source kind. A 304 is an outcome, not an error.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use reqwest::StatusCode;
use reqwest::header::{self, HeaderMap, HeaderName, HeaderValue};
use tokio::sync::Semaphore;
use url::Url;

use super::{
    BIG_DOWNLOAD, FetchError, FetchErrorKind, Progress, ProgressSink, RawBlob, Validators,
};
use crate::config::{FeedSpec, HeaderValue as ConfigHeaderValue, HttpSettings, Source};

/// Redirects followed for one request before it fails.
const MAX_REDIRECTS: usize = 10;

/// Per-request settings derived from the feed.
#[derive(Debug, Clone)]
pub struct RequestOptions {
    /// Extra headers (values already read from the environment). They are
    /// sent only to `origin`: never to another host, port or scheme, whether
    /// a redirect or a link in the feed leads there.
    pub headers: HeaderMap,
    /// The feed's own origin (scheme, host and port of its `url` or
    /// `base_url`); `None` sends `headers` nowhere.
    pub origin: Option<url::Origin>,
    /// Body size limit.
    pub max_bytes: u64,
    /// Whole-request timeout.
    pub timeout: Duration,
}

impl RequestOptions {
    /// Returns the options for `spec`, reading header values named by
    /// `value_env` from the environment now.
    pub fn for_feed(spec: &FeedSpec, settings: &HttpSettings) -> Result<Self, FetchError> {
        let mut headers = HeaderMap::new();
        for h in &spec.headers {
            let value = match &h.value {
                ConfigHeaderValue::Literal(v) => v.clone(),
                ConfigHeaderValue::Env(var) => std::env::var(var).map_err(|_| {
                    FetchError::new(
                        &spec.id,
                        None,
                        FetchErrorKind::MissingEnv { var: var.clone() },
                    )
                })?,
            };
            let name = HeaderName::from_bytes(h.name.as_bytes()).map_err(|e| {
                FetchError::new(
                    &spec.id,
                    None,
                    FetchErrorKind::Other(format!("bad header name: {e}")),
                )
            })?;
            let mut value = HeaderValue::from_str(&value).map_err(|_| {
                FetchError::new(
                    &spec.id,
                    None,
                    FetchErrorKind::Other(format!("header `{}` has an invalid value", h.name)),
                )
            })?;
            value.set_sensitive(true);
            headers.insert(name, value);
        }
        let origin = match &spec.source {
            Source::FederalRegister(fr) => Some(fr.base_url.origin()),
            Source::Ecfr(e) => Some(e.base_url.origin()),
            Source::Rss(r) => Some(r.url.origin()),
            Source::Html(h) => Some(h.url.origin()),
            Source::File(_) => None,
        };
        Ok(RequestOptions {
            headers,
            origin,
            max_bytes: spec.max_bytes.unwrap_or(settings.max_bytes),
            timeout: spec.timeout.unwrap_or(settings.timeout),
        })
    }

    /// Returns default options (no headers) for ad-hoc requests.
    pub fn defaults(settings: &HttpSettings) -> Self {
        RequestOptions {
            headers: HeaderMap::new(),
            origin: None,
            max_bytes: settings.max_bytes,
            timeout: settings.timeout,
        }
    }
}

/// What a GET produced.
#[derive(Debug)]
pub enum HttpOutcome {
    /// 304: what we hold is current.
    NotModified,
    /// 2xx with its body.
    Body(RawBlob),
}

/// Politeness state for one host.
struct HostGate {
    permits: Semaphore,
    next_start: tokio::sync::Mutex<Instant>,
}

/// A shared HTTP client; clones share connections and politeness state.
#[derive(Clone)]
pub struct HttpClient {
    inner: reqwest::Client,
    settings: Arc<HttpSettings>,
    hosts: Arc<Mutex<HashMap<String, Arc<HostGate>>>>,
    progress: Option<ProgressSink>,
}

impl HttpClient {
    /// Returns a client configured by `settings` (rustls, gzip, no cookies).
    pub fn new(settings: &HttpSettings) -> Result<Self, FetchError> {
        let inner = reqwest::Client::builder()
            .user_agent(settings.user_agent.clone())
            .connect_timeout(settings.connect_timeout)
            // Redirects are followed by `attempt`, which knows which hops may
            // carry the feed's headers (reqwest keeps custom headers across hosts).
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| {
                FetchError::new(
                    "-",
                    None,
                    FetchErrorKind::Other(format!("cannot build HTTP client: {e}")),
                )
            })?;
        Ok(HttpClient {
            inner,
            settings: Arc::new(settings.clone()),
            hosts: Arc::new(Mutex::new(HashMap::new())),
            progress: None,
        })
    }

    /// Returns this client reporting fetch progress to `sink`.
    pub fn with_progress(mut self, sink: ProgressSink) -> Self {
        self.progress = Some(sink);
        self
    }

    /// Passes `event` to the progress sink, if there is one.
    pub(crate) fn report(&self, event: Progress) {
        if let Some(sink) = &self.progress {
            sink(event);
        }
    }

    /// Returns the settings this client was built with.
    pub fn settings(&self) -> &HttpSettings {
        &self.settings
    }

    fn gate(&self, url: &Url) -> Arc<HostGate> {
        let key = format!(
            "{}:{}",
            url.host_str().unwrap_or(""),
            url.port_or_known_default().unwrap_or(0)
        );
        // A poisoned lock only means another task panicked mid-insert; the map is still usable.
        let mut hosts = self.hosts.lock().unwrap_or_else(|p| p.into_inner());
        hosts
            .entry(key)
            .or_insert_with(|| {
                Arc::new(HostGate {
                    permits: Semaphore::new(self.settings.per_host_concurrency),
                    next_start: tokio::sync::Mutex::new(Instant::now()),
                })
            })
            .clone()
    }

    /// Returns the body of `url`, or [`HttpOutcome::NotModified`] when the
    /// `validators` are still current. Retries connect errors, 429 and 5xx.
    pub async fn get(
        &self,
        feed: &str,
        url: &Url,
        validators: Option<&Validators>,
        opts: &RequestOptions,
    ) -> Result<HttpOutcome, FetchError> {
        let err = |kind| FetchError::new(feed, Some(url.as_str()), kind);
        let gate = self.gate(url);
        let mut attempt: u32 = 0;
        loop {
            attempt += 1;
            let result = {
                // Closing the semaphore never happens, so acquire only fails if it did.
                let _permit = gate
                    .permits
                    .acquire()
                    .await
                    .map_err(|_| err(FetchErrorKind::Other("client shut down".into())))?;
                {
                    let mut next = gate.next_start.lock().await;
                    let now = Instant::now();
                    if *next > now {
                        tokio::time::sleep(*next - now).await;
                    }
                    *next = Instant::now() + self.settings.politeness_delay;
                }
                self.attempt(feed, url, validators, opts).await
            };
            let retry_in = match result {
                Ok(Attempt::Done(outcome)) => return Ok(outcome),
                Ok(Attempt::Fatal(kind)) => return Err(err(kind)),
                Ok(Attempt::Retry {
                    status,
                    retry_after,
                }) => {
                    if attempt > self.settings.retries {
                        return Err(err(FetchErrorKind::Status {
                            status,
                            attempts: attempt,
                        }));
                    }
                    match retry_after {
                        Some(d) if d > self.settings.max_retry_after => {
                            return Err(err(FetchErrorKind::RetryAfterTooLong {
                                secs: d.as_secs(),
                            }));
                        }
                        Some(d) => d,
                        None => self.backoff(attempt),
                    }
                }
                Err(e) if e.is_connect() => {
                    if attempt > self.settings.retries {
                        return Err(err(FetchErrorKind::Connect(root_cause(&e))));
                    }
                    self.backoff(attempt)
                }
                Err(e) if e.is_timeout() => {
                    return Err(err(FetchErrorKind::Timeout {
                        secs: opts.timeout.as_secs_f64(),
                    }));
                }
                Err(e) if e.is_body() || e.is_decode() => {
                    return Err(err(FetchErrorKind::Other(format!(
                        "response body broken off: {}",
                        root_cause(&e)
                    ))));
                }
                Err(e) => return Err(err(FetchErrorKind::Other(root_cause(&e)))),
            };
            tokio::time::sleep(retry_in).await;
        }
    }

    fn backoff(&self, attempt: u32) -> Duration {
        self.settings
            .backoff
            .saturating_mul(1u32 << (attempt - 1).min(10))
    }

    async fn attempt(
        &self,
        feed: &str,
        url: &Url,
        validators: Option<&Validators>,
        opts: &RequestOptions,
    ) -> Result<Attempt, reqwest::Error> {
        let deadline = Instant::now() + opts.timeout;
        let mut current = url.clone();
        let mut hops = 0;
        let mut resp = loop {
            let Some(left) = deadline
                .checked_duration_since(Instant::now())
                .filter(|d| !d.is_zero())
            else {
                return Ok(Attempt::Fatal(FetchErrorKind::Timeout {
                    secs: opts.timeout.as_secs_f64(),
                }));
            };
            let mut req = self.inner.get(current.clone()).timeout(left);
            if opts.origin.as_ref() == Some(&current.origin()) {
                req = req.headers(opts.headers.clone());
            }
            if let Some(v) = validators {
                if let Some(etag) = &v.etag {
                    req = req.header(header::IF_NONE_MATCH, etag);
                }
                if let Some(lm) = &v.last_modified {
                    req = req.header(header::IF_MODIFIED_SINCE, lm);
                }
            }
            let resp = req.send().await?;
            if !resp.status().is_redirection() || resp.status() == StatusCode::NOT_MODIFIED {
                break resp;
            }
            match redirect_target(&current, &resp, hops) {
                Ok(next) => {
                    hops += 1;
                    current = next;
                }
                Err(kind) => return Ok(Attempt::Fatal(kind)),
            }
        };
        let status = resp.status();
        if status == StatusCode::NOT_MODIFIED {
            return Ok(Attempt::Done(HttpOutcome::NotModified));
        }
        if status == StatusCode::TOO_MANY_REQUESTS || status.is_server_error() {
            return Ok(Attempt::Retry {
                status: status.as_u16(),
                retry_after: retry_after(resp.headers()),
            });
        }
        if !status.is_success() {
            return Ok(Attempt::Fatal(FetchErrorKind::Status {
                status: status.as_u16(),
                attempts: 1,
            }));
        }
        if let Some(len) = resp.content_length()
            && len > opts.max_bytes
        {
            return Ok(Attempt::Fatal(FetchErrorKind::TooLarge {
                limit: opts.max_bytes,
            }));
        }
        let headers = resp.headers().clone();
        let announced = resp.content_length();
        let mut bytes: Vec<u8> = Vec::new();
        while let Some(chunk) = resp.chunk().await? {
            if (bytes.len() + chunk.len()) as u64 > opts.max_bytes {
                return Ok(Attempt::Fatal(FetchErrorKind::TooLarge {
                    limit: opts.max_bytes,
                }));
            }
            bytes.extend_from_slice(&chunk);
            let received = bytes.len() as u64;
            if announced.unwrap_or(received) >= BIG_DOWNLOAD {
                self.report(Progress::Bytes {
                    feed: feed.to_string(),
                    received,
                    total: announced,
                });
            }
        }
        let text = |name: header::HeaderName| {
            headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
        };
        Ok(Attempt::Done(HttpOutcome::Body(RawBlob {
            bytes,
            url: Some(resp.url().to_string()),
            content_type: text(header::CONTENT_TYPE),
            validators: Validators {
                etag: text(header::ETAG),
                last_modified: text(header::LAST_MODIFIED),
            },
        })))
    }
}

enum Attempt {
    Done(HttpOutcome),
    Retry {
        status: u16,
        retry_after: Option<Duration>,
    },
    Fatal(FetchErrorKind),
}

/// Returns where a redirect response sends the request next, or why it
/// cannot be followed (`hops` redirects were followed before this one).
fn redirect_target(
    current: &Url,
    resp: &reqwest::Response,
    hops: usize,
) -> Result<Url, FetchErrorKind> {
    let status = resp.status().as_u16();
    if hops >= MAX_REDIRECTS {
        return Err(FetchErrorKind::Other(format!(
            "too many redirects (more than {MAX_REDIRECTS}); last was {status} from {current}"
        )));
    }
    let location = resp
        .headers()
        .get(header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .ok_or_else(|| {
            FetchErrorKind::Other(format!(
                "redirect {status} without a usable Location header"
            ))
        })?;
    let next = current.join(location).map_err(|e| {
        FetchErrorKind::Other(format!(
            "redirect {status} to a bad Location `{location}`: {e}"
        ))
    })?;
    if !matches!(next.scheme(), "http" | "https") {
        return Err(FetchErrorKind::Other(format!(
            "redirect {status} to `{next}`, which is not http or https"
        )));
    }
    Ok(next)
}

/// Returns the `Retry-After` delay: delta-seconds or an HTTP date.
fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let v = headers.get(header::RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(secs) = v.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let when = chrono::DateTime::parse_from_rfc2822(v).ok()?;
    let secs = (when.timestamp() - chrono::Utc::now().timestamp()).max(0);
    Some(Duration::from_secs(secs.unsigned_abs()))
}

/// Returns the innermost error message: reqwest's own Display hides the cause.
fn root_cause(e: &(dyn std::error::Error + 'static)) -> String {
    let mut cur: &(dyn std::error::Error + 'static) = e;
    while let Some(next) = cur.source() {
        cur = next;
    }
    cur.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_accepts_seconds_and_dates() {
        let mut h = HeaderMap::new();
        h.insert(header::RETRY_AFTER, HeaderValue::from_static("7"));
        assert_eq!(retry_after(&h), Some(Duration::from_secs(7)));
        h.insert(
            header::RETRY_AFTER,
            HeaderValue::from_static("Wed, 21 Oct 2015 07:28:00 GMT"),
        );
        assert_eq!(retry_after(&h), Some(Duration::ZERO));
        h.insert(header::RETRY_AFTER, HeaderValue::from_static("soon"));
        assert_eq!(retry_after(&h), None);
    }
}
