//! The server of marsad: the JSON API under `/api/v1` and the dashboard, from one read-only
//! database (`marsad serve`).
//!
//! Execution model: axum on a multi-threaded tokio runtime. SQLite work never runs on the async
//! workers: each query borrows one of a small pool of read-only connections ([`db::Db`]) inside
//! `spawn_blocking`, under a timeout that interrupts the query. Pages are rendered on the server
//! (HTML + SVG, no JavaScript needed); the assets (CSS, a small zoom script, the OpenAPI document,
//! the world outlines) are compiled in, and nothing is ever read from disk but the database.
//! Writes (`POST /api/v1/documents`) exist only when the server is started with a write token;
//! they go through their own bounded queue and writer threads ([`writes`]), never through the
//! blocking pool the reads use, and a write that misses its deadline is never committed.
#![deny(missing_docs)]

pub mod api;
pub mod db;
pub mod html;
pub mod indicators;
pub mod loadtest;
pub mod openapi;
pub mod outlines;
pub mod pages;
pub mod params;
pub mod problem;
pub mod svg;
pub mod vocab;
pub mod writes;

use axum::handler::Handler;
use axum::http::{header, HeaderValue, Method};
use axum::Router;
use marsad_pipeline::Models;
use marsad_store::{SqliteStore, Store, StoreError};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// The address cannot be bound.
    #[error("cannot listen on {addr}")]
    Listen {
        /// The address.
        addr: SocketAddr,
        /// The system's error.
        #[source]
        source: std::io::Error,
    },
    /// The async runtime cannot start.
    #[error("cannot start the runtime")]
    Runtime(#[source] std::io::Error),
    /// The database cannot be read.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// How to run a server.
#[derive(Debug, Clone)]
pub struct Options {
    /// The database file (read-only connections are opened on it).
    pub db: PathBuf,
    /// Address to listen on (port 0: any free port, printed at start).
    pub addr: SocketAddr,
    /// Largest request body accepted, in bytes.
    pub max_body: usize,
    /// Time limit of one request.
    pub timeout: Duration,
    /// Time a client may take to send a request's headers.
    pub header_timeout: Duration,
    /// Read-only database connections (0: two per CPU).
    pub connections: usize,
    /// Compute the default overview at start, so that the first visitor finds it cached.
    pub warm: bool,
    /// The write side's threads and queue (used with a writer).
    pub writes: writes::WriteOptions,
}

/// Settings of a server.
#[derive(Clone)]
pub struct Config {
    /// Largest request body, bytes.
    pub max_body: usize,
    /// Time limit of one request.
    pub timeout: Duration,
}

/// What every handler shares.
#[derive(Clone)]
pub struct AppState {
    /// Read-only connections.
    pub db: Arc<db::Db>,
    /// Settings.
    pub config: Config,
    /// The write side, when writes are enabled.
    pub writes: Option<Arc<writes::Writes>>,
}

/// The write side: the token, the models and one read-write connection.
pub struct Writer {
    /// The bearer token clients must send.
    pub token: String,
    /// The annotation models (loaded once).
    pub models: Models,
    /// The read-write store.
    pub store: Mutex<SqliteStore>,
}

/// Serves `backend` (an open read-only SQLite connection to `opts.db`, which proves the file is
/// a marsad database, or a PostgreSQL store) until Ctrl-C or SIGTERM; with a `writer`,
/// `POST /api/v1/documents` is enabled.
pub fn serve(
    opts: Options,
    backend: db::Backend,
    writer: Option<Arc<Writer>>,
) -> Result<(), ServeError> {
    let stats = match &backend {
        db::Backend::Sqlite { first, .. } => first.stats()?,
        #[cfg(feature = "postgres")]
        db::Backend::Postgres(pg) => pg.stats()?,
    };
    let cpus = std::thread::available_parallelism().map_or(2, |n| n.get());
    let conns = if opts.connections == 0 {
        2 * cpus
    } else {
        opts.connections
    };
    let config = Config {
        max_body: opts.max_body,
        timeout: opts.timeout.max(Duration::from_secs(1)),
    };
    let writes = match writer {
        Some(w) => Some(Arc::new(
            writes::Writes::start(w, &opts.writes).map_err(ServeError::Runtime)?,
        )),
        None => None,
    };
    let state = AppState {
        db: Arc::new(db::Db::new(backend, conns, config.timeout)),
        config,
        writes: writes.clone(),
    };
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .max_blocking_threads(conns + 4)
        .build()
        .map_err(ServeError::Runtime)?;
    let name = match opts
        .db
        .to_str()
        .filter(|s| marsad_store::is_postgres_url(s))
    {
        Some(url) => marsad_store::redact_url(url).to_string(),
        None => opts.db.display().to_string(),
    };
    let served = rt.block_on(async move {
        let listener = tokio::net::TcpListener::bind(opts.addr)
            .await
            .map_err(|source| ServeError::Listen {
                addr: opts.addr,
                source,
            })?;
        let local = listener.local_addr().map_err(|source| ServeError::Listen {
            addr: opts.addr,
            source,
        })?;
        eprintln!(
            "marsad: serving {} ({} documents, {} events) at http://{local}/ ({})",
            name,
            stats.documents,
            stats.events,
            if state.writes.is_some() {
                "writes enabled"
            } else {
                "read-only"
            }
        );
        if opts.warm {
            tokio::spawn(pages::warm(state.clone()));
        }
        accept_loop(
            listener,
            router(state),
            opts.header_timeout.max(Duration::from_secs(1)),
        )
        .await;
        Ok(())
    });
    // requests still in flight are dropped with the runtime, which gives up their writes;
    // the writer threads then finish (or roll back) what they hold
    drop(rt);
    if let Some(w) = writes {
        w.shutdown();
    }
    served
}

/// How long shutdown waits for requests in flight.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(5);

/// Serves HTTP/1.1 connections until Ctrl-C or SIGTERM, with a time limit on reading request
/// headers (which `axum::serve` does not set): a client trickling them is cut off.
async fn accept_loop(
    listener: tokio::net::TcpListener,
    app: axum::Router,
    header_timeout: Duration,
) {
    let mut conns = tokio::task::JoinSet::new();
    let stop = shutdown();
    tokio::pin!(stop);
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let stream = match accepted {
                    Ok((stream, _)) => stream,
                    Err(e) => {
                        // out of file descriptors and the like: wait a little and go on
                        eprintln!("marsad: accept failed: {e}");
                        tokio::time::sleep(Duration::from_millis(50)).await;
                        continue;
                    }
                };
                let svc = hyper_util::service::TowerToHyperService::new(app.clone());
                conns.spawn(async move {
                    let mut http = hyper::server::conn::http1::Builder::new();
                    http.timer(hyper_util::rt::TokioTimer::new())
                        .header_read_timeout(header_timeout);
                    // a client that goes away mid-request is not the server's error
                    let _ = http
                        .serve_connection(hyper_util::rt::TokioIo::new(Rewrite414::new(stream)), svc)
                        .await;
                });
                // forget connections that have finished
                while conns.try_join_next().is_some() {}
            }
            _ = &mut stop => break,
        }
    }
    drop(listener);
    let _ = tokio::time::timeout(SHUTDOWN_GRACE, async {
        while conns.join_next().await.is_some() {}
    })
    .await;
}

/// A connection whose empty 414 answers (written by hyper itself, for request lines too long
/// to parse, before any route sees them) are replaced by a problem+json 414.
struct Rewrite414 {
    inner: tokio::net::TcpStream,
    /// The replacement being written, how much of it is written, and the length it stands for.
    pending: Option<(Vec<u8>, usize, usize)>,
}

impl Rewrite414 {
    fn new(inner: tokio::net::TcpStream) -> Self {
        Rewrite414 {
            inner,
            pending: None,
        }
    }

    /// The whole response that replaces hyper's empty 414.
    fn replacement() -> Vec<u8> {
        let body = serde_json::json!({
            "type": "about:blank",
            "title": "URI too long",
            "status": 414,
            "detail": "the request line is longer than the server reads",
        })
        .to_string();
        format!(
            "HTTP/1.1 414 URI Too Long\r\ncontent-type: {}\r\ncontent-length: {}\r\nx-content-type-options: nosniff\r\nconnection: close\r\n\r\n{body}",
            problem::PROBLEM_JSON,
            body.len()
        )
        .into_bytes()
    }
}

impl tokio::io::AsyncRead for Rewrite414 {
    fn poll_read(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
        buf: &mut tokio::io::ReadBuf<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        std::pin::Pin::new(&mut self.inner).poll_read(cx, buf)
    }
}

impl tokio::io::AsyncWrite for Rewrite414 {
    fn poll_write(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
        buf: &[u8],
    ) -> std::task::Poll<std::io::Result<usize>> {
        use std::task::Poll;
        let me = &mut *self;
        if me.pending.is_none() {
            // hyper's own 414 is a head alone: status line, a few headers, no body
            if !(buf.starts_with(b"HTTP/1.1 414 ") && buf.ends_with(b"\r\n\r\n")) {
                return std::pin::Pin::new(&mut me.inner).poll_write(cx, buf);
            }
            me.pending = Some((Self::replacement(), 0, buf.len()));
        }
        while let Some((bytes, done, stands_for)) = me.pending.as_mut() {
            if *done == bytes.len() {
                let n = *stands_for;
                me.pending = None;
                return Poll::Ready(Ok(n));
            }
            match std::pin::Pin::new(&mut me.inner).poll_write(cx, &bytes[*done..]) {
                Poll::Ready(Ok(0)) => {
                    return Poll::Ready(Err(std::io::ErrorKind::WriteZero.into()))
                }
                Poll::Ready(Ok(n)) => *done += n,
                other => return other,
            }
        }
        Poll::Ready(Ok(buf.len()))
    }

    fn poll_flush(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        std::pin::Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        std::pin::Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

async fn shutdown() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
}

/// A router that also lists its routes, so that the OpenAPI document can be checked against it.
pub struct Routes {
    router: Router<AppState>,
    /// `(method, path)` of every route added.
    pub listed: Vec<(Method, &'static str)>,
}

impl Routes {
    fn new() -> Self {
        Routes {
            router: Router::new(),
            listed: Vec::new(),
        }
    }

    fn get<H: Handler<T, AppState>, T: 'static>(mut self, path: &'static str, h: H) -> Self {
        self.router = self.router.route(path, axum::routing::get(h));
        self.listed.push((Method::GET, path));
        self
    }

    fn post<H: Handler<T, AppState>, T: 'static>(mut self, path: &'static str, h: H) -> Self {
        self.router = self.router.route(path, axum::routing::post(h));
        self.listed.push((Method::POST, path));
        self
    }
}

/// The API routes.
pub fn api_routes() -> Routes {
    Routes::new()
        .get("/api/v1/openapi.json", api::openapi)
        .get("/api/v1/events", api::events)
        .get("/api/v1/events/{id}", api::event)
        .post("/api/v1/documents", api::post_documents)
        .get("/api/v1/documents/{id}", api::document)
        .get("/api/v1/search", api::search)
        .get("/api/v1/stats", api::stats)
        .get("/api/v1/places", api::places)
        .get("/api/v1/places/{key}", api::place)
        .get("/api/v1/entities", api::entities)
        .get("/api/v1/entities/{key}", api::entity)
        .get("/api/v1/timeline", api::timeline)
        .get("/api/v1/exports/{format}", api::export)
        .get("/api/v1/aggregates", api::aggregates)
        .get("/api/v1/indicators", indicators::api)
}

/// The dashboard routes.
pub fn page_routes() -> Routes {
    Routes::new()
        .get("/", pages::overview)
        .get("/events", pages::events)
        .get("/events/{id}", pages::event)
        .get("/documents/{id}", pages::document)
        .get("/places", pages::places)
        .get("/places/{key}", pages::place)
        .get("/entities", pages::entities)
        .get("/entities/{key}", pages::entity)
        .get("/search", pages::search)
        .get("/indicators", indicators::page_handler)
        .get("/static/{name}", pages::asset)
}

/// The whole application.
pub fn router(state: AppState) -> Router {
    let api = api_routes();
    let pages = page_routes();
    let timeout = state.config.timeout;
    let max_body = state.config.max_body;
    api.router
        .merge(pages.router)
        .fallback(fallback)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(axum::extract::DefaultBodyLimit::max(max_body))
        .layer(axum::middleware::from_fn(reject_bad_paths))
        .layer(axum::middleware::from_fn(
            move |req: axum::extract::Request, next: axum::middleware::Next| async move {
                // a write keeps its own deadline, so that it is never cut between its commit
                // and its answer
                if api::is_write(&req) {
                    return next.run(req).await;
                }
                match tokio::time::timeout(timeout, next.run(req)).await {
                    Ok(r) => r,
                    Err(_) => problem::Problem::timeout().into_response_owned(),
                }
            },
        ))
        .layer(tower_http::set_header::SetResponseHeaderLayer::if_not_present(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(tower_http::set_header::SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(
                "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
            ),
        ))
        .layer(tower_http::set_header::SetResponseHeaderLayer::if_not_present(
            header::REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        ))
        .layer(tower_http::compression::CompressionLayer::new())
        .with_state(state)
}

/// Longest request target (path and query) answered; longer ones get a 414 problem.
pub const MAX_URI_LEN: usize = 16 * 1024;

/// Answers a problem for request targets no route could read: too long, or a path whose
/// percent-escapes are not UTF-8 (which the path extractors would reject as text/plain).
async fn reject_bad_paths(
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let uri = req.uri();
    let len = uri.path_and_query().map_or(0, |pq| pq.as_str().len());
    if len > MAX_URI_LEN {
        return problem::Problem::uri_too_long(MAX_URI_LEN).into_response_owned();
    }
    if std::str::from_utf8(&percent_decode(uri.path().as_bytes())).is_err() {
        return problem::Problem::bad_request("the path is not UTF-8 once percent-decoded")
            .into_response_owned();
    }
    next.run(req).await
}

/// The bytes of a percent-encoded string (malformed escapes are kept as they are).
fn percent_decode(s: &[u8]) -> Vec<u8> {
    let hex = |b: u8| (b as char).to_digit(16).map(|d| d as u8);
    let mut out = Vec::with_capacity(s.len());
    let mut i = 0;
    while i < s.len() {
        if s[i] == b'%' && i + 2 < s.len() {
            if let (Some(h), Some(l)) = (hex(s[i + 1]), hex(s[i + 2])) {
                out.push(h * 16 + l);
                i += 3;
                continue;
            }
        }
        out.push(s[i]);
        i += 1;
    }
    out
}

async fn fallback(uri: axum::http::Uri) -> axum::response::Response {
    if uri.path().starts_with("/api/") {
        problem::Problem::no_route(uri.path()).into_response_owned()
    } else {
        pages::not_found_page(uri.path())
    }
}

async fn method_not_allowed(method: Method, uri: axum::http::Uri) -> axum::response::Response {
    problem::Problem::new(
        axum::http::StatusCode::METHOD_NOT_ALLOWED,
        "Method not allowed",
        format!("{method} is not allowed on {}", uri.path()),
    )
    .into_response_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_decoding_keeps_malformed_escapes() {
        assert_eq!(percent_decode(b"a%20b%zz%4"), b"a b%zz%4");
        assert_eq!(percent_decode(b"%FF"), vec![0xFF]);
    }

    /// Every route of the API is in the OpenAPI document with its method, and nothing else is.
    #[test]
    fn openapi_lists_exactly_the_api_routes() {
        let doc = openapi::document();
        assert_eq!(doc["openapi"].as_str().unwrap().get(..2), Some("3."));
        let mut documented = Vec::new();
        for (path, ops) in doc["paths"].as_object().unwrap() {
            for m in ops.as_object().unwrap().keys() {
                if m != "parameters" {
                    documented.push((m.to_uppercase(), format!("/api/v1{path}")));
                }
            }
        }
        documented.sort();
        let mut routed: Vec<(String, String)> = api_routes()
            .listed
            .iter()
            .map(|(m, p)| (m.to_string(), p.to_string()))
            .collect();
        routed.sort();
        assert_eq!(documented, routed);
    }
}
