//! A bounded load test of a running server on loopback (`marsad bench serve`).
//!
//! `clients` connections (HTTP/1.1 keep-alive) send GET requests for the given URLs in turn
//! until `requests` have been sent or `max_time` has passed; the latency of every request is
//! recorded and the percentiles reported. Only loopback addresses are accepted.

use http_body_util::{BodyExt, Empty};
use hyper::body::Bytes;
use std::net::{IpAddr, SocketAddr, ToSocketAddrs};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// A load test that cannot run (the message names the option or URL).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct LoadTestError(pub String);

type Result<T> = std::result::Result<T, LoadTestError>;

/// What to run.
#[derive(Debug, Clone)]
pub struct LoadTest {
    /// URLs requested in turn (http://127.0.0.1:PORT/path?query).
    pub urls: Vec<String>,
    /// Concurrent clients (one connection each), 1..=1000.
    pub clients: usize,
    /// Requests in all (after the warm-up), 1..=1,000,000.
    pub requests: usize,
    /// Requests sent first and not measured.
    pub warmup: usize,
    /// Stop after this long whatever the count.
    pub max_time: Duration,
}

/// What a load test measured.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Report {
    /// The URLs requested.
    pub urls: Vec<String>,
    /// Concurrent clients.
    pub clients: usize,
    /// Requests sent (measured ones).
    pub requests: usize,
    /// Requests answered with a success status.
    pub ok: usize,
    /// Requests that failed or got another status.
    pub errors: usize,
    /// Wall time of the measured round.
    pub seconds: f64,
    /// Successful requests per second.
    pub requests_per_second: f64,
    /// Mean body size of the successful requests.
    pub mean_bytes: u64,
    /// Median latency, ms.
    pub p50_ms: f64,
    /// 95th percentile latency, ms.
    pub p95_ms: f64,
    /// 99th percentile latency, ms.
    pub p99_ms: f64,
    /// Slowest request, ms.
    pub max_ms: f64,
}

/// A parsed `http://host:port/path` URL on loopback.
#[derive(Debug, Clone, PartialEq)]
pub struct Target {
    /// Socket address.
    pub addr: SocketAddr,
    /// Host header.
    pub host: String,
    /// Path and query.
    pub path: String,
}

/// Parses a URL and checks that it points at this machine.
pub fn parse_target(url: &str) -> Result<Target> {
    let bail = |msg: String| Err(LoadTestError(msg));
    let Some(rest) = url.strip_prefix("http://") else {
        return bail(format!("{url}: only http:// URLs are supported"));
    };
    let (hostport, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/"),
    };
    let with_port = if hostport.starts_with('[') {
        if hostport.contains("]:") {
            hostport.to_string()
        } else {
            format!("{hostport}:80")
        }
    } else if hostport.contains(':') {
        hostport.to_string()
    } else {
        format!("{hostport}:80")
    };
    let addrs: Vec<SocketAddr> = with_port
        .to_socket_addrs()
        .map_err(|e| LoadTestError(format!("{url}: cannot resolve {hostport}: {e}")))?
        .collect();
    let Some(addr) = addrs.iter().copied().find(|a| is_loopback(a.ip())) else {
        return bail(format!(
            "{url}: the load test only targets loopback addresses (127.0.0.0/8, ::1, localhost)"
        ));
    };
    if addrs.iter().any(|a| !is_loopback(a.ip())) {
        return bail(format!(
            "{url}: {hostport} resolves to addresses off this machine"
        ));
    }
    Ok(Target {
        addr,
        host: hostport.to_string(),
        path: path.to_string(),
    })
}

fn is_loopback(ip: IpAddr) -> bool {
    ip.is_loopback()
}

/// Latency percentiles (milliseconds) of a sorted list of durations.
pub fn percentile(sorted_ms: &[f64], p: f64) -> f64 {
    if sorted_ms.is_empty() {
        return f64::NAN;
    }
    let rank = ((p / 100.0) * sorted_ms.len() as f64).ceil() as usize;
    sorted_ms[rank.clamp(1, sorted_ms.len()) - 1]
}

struct Outcome {
    latencies_ms: Vec<f64>,
    errors: usize,
    bytes: u64,
}

async fn client(
    targets: Arc<Vec<Target>>,
    next: Arc<AtomicUsize>,
    total: usize,
    deadline: Instant,
) -> Outcome {
    let mut out = Outcome {
        latencies_ms: Vec::new(),
        errors: 0,
        bytes: 0,
    };
    let mut sender: Option<hyper::client::conn::http1::SendRequest<Empty<Bytes>>> = None;
    loop {
        let i = next.fetch_add(1, Ordering::Relaxed);
        if i >= total || Instant::now() >= deadline {
            return out;
        }
        let t = &targets[i % targets.len()];
        if sender.as_ref().is_none_or(|s| s.is_closed()) {
            sender = connect(t).await.ok();
        }
        let Some(s) = sender.as_mut() else {
            out.errors += 1;
            continue;
        };
        let req = hyper::Request::get(&t.path)
            .header(hyper::header::HOST, &t.host)
            .body(Empty::<Bytes>::new());
        let Ok(req) = req else {
            out.errors += 1;
            continue;
        };
        let started = Instant::now();
        let res = tokio::time::timeout(Duration::from_secs(30), async {
            let resp = s.send_request(req).await?;
            let status = resp.status();
            let body = resp.into_body().collect().await?.to_bytes();
            Ok::<_, hyper::Error>((status, body.len()))
        })
        .await;
        match res {
            Ok(Ok((status, n))) if status.is_success() => {
                out.latencies_ms.push(started.elapsed().as_secs_f64() * 1e3);
                out.bytes += n as u64;
            }
            _ => {
                out.errors += 1;
                sender = None;
            }
        }
    }
}

async fn connect(
    t: &Target,
) -> std::result::Result<
    hyper::client::conn::http1::SendRequest<Empty<Bytes>>,
    Box<dyn std::error::Error>,
> {
    let stream = tokio::net::TcpStream::connect(t.addr).await?;
    stream.set_nodelay(true)?;
    let (sender, conn) =
        hyper::client::conn::http1::handshake(hyper_util::rt::TokioIo::new(stream)).await?;
    tokio::spawn(async move {
        let _ = conn.await;
    });
    Ok(sender)
}

async fn round(
    targets: Arc<Vec<Target>>,
    clients: usize,
    total: usize,
    deadline: Instant,
) -> Outcome {
    let next = Arc::new(AtomicUsize::new(0));
    let mut tasks = Vec::new();
    for _ in 0..clients.max(1) {
        tasks.push(tokio::spawn(client(
            targets.clone(),
            next.clone(),
            total,
            deadline,
        )));
    }
    let mut all = Outcome {
        latencies_ms: Vec::new(),
        errors: 0,
        bytes: 0,
    };
    for t in tasks {
        if let Ok(o) = t.await {
            all.latencies_ms.extend(o.latencies_ms);
            all.errors += o.errors;
            all.bytes += o.bytes;
        }
    }
    all
}

/// Runs a load test against a server on this machine.
pub fn run(t: &LoadTest) -> Result<Report> {
    if !(1..=1000).contains(&t.clients) {
        return Err(LoadTestError("--clients must be 1..=1000".into()));
    }
    if !(1..=1_000_000).contains(&t.requests) {
        return Err(LoadTestError("--requests must be 1..=1000000".into()));
    }
    let targets: Vec<Target> = t
        .urls
        .iter()
        .map(|u| parse_target(u))
        .collect::<Result<_>>()?;
    let targets = Arc::new(targets);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| LoadTestError(format!("cannot start the runtime: {e}")))?;
    let (o, secs) = rt.block_on(async {
        let deadline = Instant::now() + t.max_time.max(Duration::from_secs(1));
        if t.warmup > 0 {
            round(targets.clone(), t.clients.min(t.warmup), t.warmup, deadline).await;
        }
        let started = Instant::now();
        let o = round(targets.clone(), t.clients, t.requests, deadline).await;
        (o, started.elapsed().as_secs_f64())
    });
    let mut l = o.latencies_ms;
    l.sort_by(f64::total_cmp);
    let ok = l.len();
    Ok(Report {
        urls: t.urls.clone(),
        clients: t.clients,
        requests: ok + o.errors,
        ok,
        errors: o.errors,
        seconds: secs,
        requests_per_second: ok as f64 / secs.max(1e-9),
        mean_bytes: if ok > 0 { o.bytes / ok as u64 } else { 0 },
        p50_ms: percentile(&l, 50.0),
        p95_ms: percentile(&l, 95.0),
        p99_ms: percentile(&l, 99.0),
        max_ms: l.last().copied().unwrap_or(f64::NAN),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_loopback_targets() {
        let t = parse_target("http://127.0.0.1:8080/api/v1/events?limit=5").unwrap();
        assert_eq!(t.addr, "127.0.0.1:8080".parse().unwrap());
        assert_eq!(t.path, "/api/v1/events?limit=5");
        assert_eq!(parse_target("http://[::1]:9/").unwrap().addr.port(), 9);
        assert_eq!(parse_target("http://127.0.0.1:8080").unwrap().path, "/");
        for bad in [
            "http://10.0.0.1:80/",
            "http://192.168.1.2/",
            "https://127.0.0.1/",
            "http://8.8.8.8:80/",
        ] {
            assert!(parse_target(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn percentiles_by_rank() {
        let v: Vec<f64> = (1..=100).map(f64::from).collect();
        assert_eq!(percentile(&v, 50.0), 50.0);
        assert_eq!(percentile(&v, 95.0), 95.0);
        assert_eq!(percentile(&v, 100.0), 100.0);
        assert!(percentile(&[], 50.0).is_nan());
    }
}
