//! A scriptable HTTP server on loopback: each path answers with a sequence
//! of replies (the last one repeats), counts its hits, and can honour
//! `If-None-Match`. It runs on its own thread and runtime so both library
//! tests and tests that spawn the binary can use it.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderValue, Request, StatusCode, header};
use axum::response::Response;

/// One scripted reply.
#[derive(Clone, Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    pub delay: Duration,
    /// Answer 304 when the request's If-None-Match equals this reply's ETag.
    pub conditional: bool,
}

impl Reply {
    pub fn ok(content_type: &str, body: impl Into<Vec<u8>>) -> Reply {
        let body = body.into();
        let etag = format!("\"{}\"", &blake3::hash(&body).to_hex()[..16]);
        Reply {
            status: 200,
            headers: vec![
                ("content-type".into(), content_type.into()),
                ("etag".into(), etag),
            ],
            body,
            delay: Duration::ZERO,
            conditional: true,
        }
    }
    pub fn json(body: impl Into<Vec<u8>>) -> Reply {
        Reply::ok("application/json", body)
    }
    pub fn xml(body: impl Into<Vec<u8>>) -> Reply {
        Reply::ok("application/xml", body)
    }
    /// An RSS 2.0 feed whose channel holds `items` (`<item>…</item>`s,
    /// optionally a `<title>`).
    pub fn rss(items: &str) -> Reply {
        Reply::ok(
            "application/rss+xml",
            format!("<rss version=\"2.0\"><channel>{items}</channel></rss>"),
        )
    }
    pub fn status(status: u16) -> Reply {
        Reply {
            status,
            headers: vec![("content-type".into(), "text/plain".into())],
            body: format!("status {status}").into_bytes(),
            delay: Duration::ZERO,
            conditional: false,
        }
    }
    pub fn header(mut self, k: &str, v: &str) -> Reply {
        self.headers.push((k.into(), v.into()));
        self
    }
    pub fn delayed(mut self, d: Duration) -> Reply {
        self.delay = d;
        self
    }
    fn etag(&self) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == "etag")
            .map(|(_, v)| v.as_str())
    }
}

#[derive(Default)]
struct Routes {
    /// path+query (or path) → replies and the index of the next one.
    scripts: HashMap<String, (Vec<Reply>, usize)>,
    hits: HashMap<String, usize>,
    not_modified: usize,
    /// Every request in arrival order: the route key and the request headers.
    requests: Vec<(String, axum::http::HeaderMap)>,
}

pub struct TestServer {
    pub base: String,
    routes: Arc<Mutex<Routes>>,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl TestServer {
    pub fn start() -> TestServer {
        let listener = std::net::TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], 0))).unwrap();
        listener.set_nonblocking(true).unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let routes = Arc::new(Mutex::new(Routes::default()));
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let app = axum::Router::new()
            .fallback(handle)
            .with_state(routes.clone());
        let thread = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .unwrap();
            rt.block_on(async move {
                let listener = tokio::net::TcpListener::from_std(listener).unwrap();
                axum::serve(listener, app)
                    .with_graceful_shutdown(async move {
                        let _ = rx.await;
                    })
                    .await
                    .unwrap();
            });
        });
        TestServer {
            base,
            routes,
            shutdown: Some(tx),
            thread: Some(thread),
        }
    }

    /// Scripts `path` (matched with its query first, then without) to answer `replies` in turn.
    pub fn route(&self, path: &str, replies: Vec<Reply>) -> &Self {
        self.routes
            .lock()
            .unwrap()
            .scripts
            .insert(path.to_string(), (replies, 0));
        self
    }

    pub fn hits(&self, path: &str) -> usize {
        *self.routes.lock().unwrap().hits.get(path).unwrap_or(&0)
    }

    /// Returns the value of header `name` in each request to `path`, in arrival order.
    pub fn header_seen(&self, path: &str, name: &str) -> Vec<Option<String>> {
        self.routes
            .lock()
            .unwrap()
            .requests
            .iter()
            .filter(|(p, _)| p == path)
            .map(|(_, h)| {
                h.get(name)
                    .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
            })
            .collect()
    }

    pub fn total_hits(&self) -> usize {
        self.routes.lock().unwrap().hits.values().sum()
    }

    pub fn not_modified_count(&self) -> usize {
        self.routes.lock().unwrap().not_modified
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

async fn handle(State(routes): State<Arc<Mutex<Routes>>>, req: Request<Body>) -> Response {
    let path = req.uri().path().to_string();
    let full = match req.uri().query() {
        Some(q) => format!("{path}?{q}"),
        None => path.clone(),
    };
    let inm = req
        .headers()
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let reply = {
        let mut r = routes.lock().unwrap();
        let key = if r.scripts.contains_key(&full) {
            full
        } else {
            path
        };
        *r.hits.entry(key.clone()).or_default() += 1;
        r.requests.push((key.clone(), req.headers().clone()));
        match r.scripts.get_mut(&key) {
            None => None,
            Some((replies, next)) => {
                let i = (*next).min(replies.len() - 1);
                *next += 1;
                Some(replies[i].clone())
            }
        }
    };
    let Some(reply) = reply else {
        let mut resp = Response::new(Body::from("no such route"));
        *resp.status_mut() = StatusCode::NOT_FOUND;
        return resp;
    };
    if !reply.delay.is_zero() {
        tokio::time::sleep(reply.delay).await;
    }
    let mut resp = if reply.conditional && reply.etag().is_some() && inm.as_deref() == reply.etag()
    {
        routes.lock().unwrap().not_modified += 1;
        let mut r = Response::new(Body::empty());
        *r.status_mut() = StatusCode::NOT_MODIFIED;
        r
    } else {
        let mut r = Response::new(Body::from(reply.body.clone()));
        *r.status_mut() = StatusCode::from_u16(reply.status).unwrap();
        r
    };
    for (k, v) in &reply.headers {
        resp.headers_mut().insert(
            header::HeaderName::from_bytes(k.as_bytes()).unwrap(),
            HeaderValue::from_str(v).unwrap(),
        );
    }
    resp
}
