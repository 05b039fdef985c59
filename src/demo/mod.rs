//! The offline demo: a loopback HTTP server that plays a bundled two-day
//! history of BIS-like sources (Federal Register search and documents, eCFR
//! parts 740 and 774, a press-release feed, a GBK-encoded news page), and the
//! configuration that points the real fetchers at it.
//!
//! Why a real server rather than canned fetch results: the demo then
//! exercises exactly the code a cron run uses (HTTP, conditional GET,
//! pagination, charset handling, the store), so what it shows is true.
//! The facts behind the fixtures are listed in `fixtures/README.md`.

mod fixtures;

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU8, Ordering};

use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, Request, StatusCode, header};
use axum::response::Response;
use chrono::{DateTime, TimeZone, Utc};

/// The demo's feeds.yaml; `{{BASE}}` becomes the server's address.
pub const DEMO_FEEDS_YAML: &str = r#"# regwatch demo configuration (generated; every source is the local demo server)
http:
  politeness_delay_ms: 0
  retries: 1
  backoff_ms: 50
feeds:
  - id: bis-rules
    name: BIS rules and notices (Federal Register)
    kind: federal_register
    base_url: "{{BASE}}"
    agencies: [industry-and-security-bureau]
    types: [RULE, PRORULE, NOTICE]
    since: 2024-01-01
  - id: ear
    name: Export Administration Regulations (eCFR title 15)
    kind: ecfr
    base_url: "{{BASE}}"
    title: 15
    parts: [740, 774]
  - id: bis-press
    name: BIS press releases
    kind: rss
    url: "{{BASE}}/bis/press.rss"
    follow_links: true
  - id: mofcom-export-control
    name: China export control information network (MOFCOM)
    kind: html
    url: "{{BASE}}/mofcom/article/gjdt/202409/1035.html"
    selector: div.art-con
notify:
  # What a cron run would send: the summary as Markdown, HTML, JSON and the
  # email exactly as it would go out (.eml), plus a current deadlines.ics.
  - id: compliance-team
    name: Export compliance team
    profile:
      eccns: [3B001, 3C909, 4A906]
      countries: [KR, NL]
      exceptions: [IEC]
      keywords: [quantum]
    remind_days: [30, 7, 1]
    file:
      dir: mail
      formats: [md, html, json, eml]
"#;

/// The simulated fetch times of the two demo days.
pub fn demo_day_time(day: u8) -> DateTime<Utc> {
    let (m, d) = if day <= 1 { (10, 1) } else { (10, 15) };
    Utc.with_ymd_and_hms(2024, m, d, 6, 0, 0)
        .single()
        .unwrap_or_else(Utc::now)
}

struct ServerState {
    base: String,
    day: AtomicU8,
    files: HashMap<&'static str, &'static [u8]>,
}

/// A running fixture server; stops when dropped.
pub struct FixtureServer {
    state: Arc<ServerState>,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl FixtureServer {
    /// Returns a server listening on an ephemeral loopback port, serving day 1.
    pub fn start() -> std::io::Result<FixtureServer> {
        let listener = std::net::TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], 0)))?;
        listener.set_nonblocking(true)?;
        let addr = listener.local_addr()?;
        let state = Arc::new(ServerState {
            base: format!("http://{addr}"),
            day: AtomicU8::new(1),
            files: fixtures::FILES.iter().copied().collect(),
        });
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let app = axum::Router::new()
            .fallback(serve)
            .with_state(state.clone());
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        let thread = std::thread::Builder::new()
            .name("demo-server".into())
            .spawn(move || {
                rt.block_on(async move {
                    let Ok(listener) = tokio::net::TcpListener::from_std(listener) else {
                        return;
                    };
                    let _ = axum::serve(listener, app)
                        .with_graceful_shutdown(async move {
                            let _ = rx.await;
                        })
                        .await;
                });
            })?;
        Ok(FixtureServer {
            state,
            shutdown: Some(tx),
            thread: Some(thread),
        })
    }

    /// Returns `http://127.0.0.1:PORT`.
    pub fn base_url(&self) -> &str {
        &self.state.base
    }

    /// Switches the sources to day 1 or day 2.
    pub fn set_day(&self, day: u8) {
        self.state.day.store(day, Ordering::SeqCst);
    }

    /// Returns the demo configuration text pointing at this server.
    pub fn config_yaml(&self) -> String {
        DEMO_FEEDS_YAML.replace("{{BASE}}", self.base_url())
    }
}

impl Drop for FixtureServer {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// Returns the fixture path for a request: `?part=P` and `?page=N` become
/// `.part-P` / `.page-N` before the extension.
fn fixture_path(path: &str, query: Option<&str>) -> String {
    let mut suffix = String::new();
    let pairs: Vec<(String, String)> = url::form_urlencoded::parse(query.unwrap_or("").as_bytes())
        .into_owned()
        .collect();
    for key in ["part", "page"] {
        if let Some((_, v)) = pairs.iter().find(|(k, _)| k == key)
            && !(key == "page" && v == "1")
        {
            suffix.push_str(&format!(".{key}-{v}"));
        }
    }
    let path = path.trim_start_matches('/');
    let (dir, file) = path.rsplit_once('/').map_or(("", path), |(d, f)| (d, f));
    let file = match file.rsplit_once('.') {
        Some((stem, ext)) => format!("{stem}{suffix}.{ext}"),
        None => format!("{file}{suffix}"),
    };
    if dir.is_empty() {
        file
    } else {
        format!("{dir}/{file}")
    }
}

fn lookup(state: &ServerState, rel: &str) -> Option<(&'static str, &'static [u8])> {
    let day = state.day.load(Ordering::SeqCst);
    let gbk = rel.strip_suffix(".html").map(|s| format!("{s}.gbk.html"));
    let mut candidates = Vec::new();
    for d in [day, 1] {
        candidates.push(format!("day{d}/{rel}"));
        if let Some(g) = &gbk {
            candidates.push(format!("day{d}/{g}"));
        }
    }
    candidates
        .iter()
        .find_map(|c| state.files.get_key_value(c.as_str()).map(|(k, v)| (*k, *v)))
}

async fn serve(State(state): State<Arc<ServerState>>, req: Request<Body>) -> Response {
    let rel = fixture_path(req.uri().path(), req.uri().query());
    let Some((name, bytes)) = lookup(&state, &rel) else {
        return respond(
            StatusCode::NOT_FOUND,
            "text/plain",
            b"not found".to_vec(),
            None,
        );
    };
    let gbk = name.contains(".gbk.");
    let body = if gbk {
        bytes.to_vec()
    } else {
        String::from_utf8_lossy(bytes)
            .replace("{{BASE}}", &state.base)
            .into_bytes()
    };
    let etag = format!("\"{}\"", &blake3::hash(&body).to_hex()[..16]);
    if if_none_match(req.headers(), &etag) {
        return respond(StatusCode::NOT_MODIFIED, "", Vec::new(), Some(&etag));
    }
    let ct = match name.rsplit('.').next() {
        _ if gbk => "text/html; charset=GBK",
        Some("json") => "application/json; charset=utf-8",
        Some("xml") => "application/xml",
        Some("rss") => "application/rss+xml",
        Some("html") => "text/html; charset=utf-8",
        _ => "application/octet-stream",
    };
    respond(StatusCode::OK, ct, body, Some(&etag))
}

fn if_none_match(headers: &HeaderMap, etag: &str) -> bool {
    headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag || t.trim() == "*"))
}

fn respond(status: StatusCode, ct: &str, body: Vec<u8>, etag: Option<&str>) -> Response {
    let mut resp = Response::new(Body::from(body));
    *resp.status_mut() = status;
    if !ct.is_empty()
        && let Ok(v) = HeaderValue::from_str(ct)
    {
        resp.headers_mut().insert(header::CONTENT_TYPE, v);
    }
    if let Some(e) = etag.and_then(|e| HeaderValue::from_str(e).ok()) {
        resp.headers_mut().insert(header::ETAG, e);
    }
    resp
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_parameters_map_to_file_suffixes() {
        assert_eq!(
            fixture_path("/api/versioner/v1/versions/title-15.json", Some("part=740")),
            "api/versioner/v1/versions/title-15.part-740.json"
        );
        assert_eq!(
            fixture_path("/api/v1/documents.json", Some("page=2&per_page=2")),
            "api/v1/documents.page-2.json"
        );
        assert_eq!(
            fixture_path(
                "/api/v1/documents.json",
                Some("per_page=100&conditions%5Btype%5D%5B%5D=RULE")
            ),
            "api/v1/documents.json"
        );
    }

    #[test]
    fn every_fixture_file_is_embedded() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/demo/fixtures");
        let mut on_disk = Vec::new();
        let mut stack = vec![root.clone()];
        while let Some(dir) = stack.pop() {
            for e in std::fs::read_dir(&dir).unwrap() {
                let p = e.unwrap().path();
                if p.is_dir() {
                    stack.push(p);
                } else if p.file_name().is_some_and(|n| n != "README.md") {
                    on_disk.push(
                        p.strip_prefix(&root)
                            .unwrap()
                            .to_string_lossy()
                            .replace('\\', "/"),
                    );
                }
            }
        }
        on_disk.sort();
        let embedded: Vec<String> = fixtures::FILES.iter().map(|(n, _)| n.to_string()).collect();
        assert_eq!(on_disk, embedded, "regenerate src/demo/fixtures.rs");
    }
}
