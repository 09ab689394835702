//! `marsad serve bench`: a bounded load test of a running server on loopback.
//!
//! `--clients` connections (HTTP/1.1 keep-alive) send GET requests for the given URLs in turn
//! until `--requests` have been sent or `--max-seconds` have passed; the latency of every request
//! is recorded and the percentiles printed. Only loopback addresses are accepted.

use anyhow::{bail, Context, Result};
use http_body_util::{BodyExt, Empty};
use hyper::body::Bytes;
use std::net::{IpAddr, SocketAddr, ToSocketAddrs};
use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Arguments of `marsad serve bench`.
#[derive(clap::Args)]
pub struct Args {
    /// URL to request (repeat for a mix, requested in turn): http://127.0.0.1:PORT/path?query.
    #[arg(long, required = true)]
    url: Vec<String>,
    /// Concurrent clients (one connection each).
    #[arg(long, default_value_t = 50)]
    clients: usize,
    /// Requests in all (after the warm-up).
    #[arg(long, default_value_t = 2000)]
    requests: usize,
    /// Requests sent first and not measured.
    #[arg(long, default_value_t = 100)]
    warmup: usize,
    /// Stop after this many seconds whatever the count.
    #[arg(long, default_value_t = 120)]
    max_seconds: u64,
    /// Print the result as JSON.
    #[arg(long)]
    json: bool,
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
    let Some(rest) = url.strip_prefix("http://") else {
        bail!("{url}: only http:// URLs are supported");
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
        .with_context(|| format!("{url}: cannot resolve {hostport}"))?
        .collect();
    let Some(addr) = addrs.iter().copied().find(|a| is_loopback(a.ip())) else {
        bail!("{url}: the load test only targets loopback addresses (127.0.0.0/8, ::1, localhost)");
    };
    if addrs.iter().any(|a| !is_loopback(a.ip())) {
        bail!("{url}: {hostport} resolves to addresses off this machine");
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

async fn connect(t: &Target) -> Result<hyper::client::conn::http1::SendRequest<Empty<Bytes>>> {
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

/// Runs `marsad serve bench`.
pub fn run(a: Args) -> Result<ExitCode> {
    anyhow::ensure!(
        a.clients >= 1 && a.clients <= 1000,
        "--clients must be 1..=1000"
    );
    anyhow::ensure!(
        a.requests >= 1 && a.requests <= 1_000_000,
        "--requests must be 1..=1000000"
    );
    let targets: Vec<Target> = a
        .url
        .iter()
        .map(|u| parse_target(u))
        .collect::<Result<_>>()?;
    let targets = Arc::new(targets);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let (o, secs) = rt.block_on(async {
        let deadline = Instant::now() + Duration::from_secs(a.max_seconds.max(1));
        if a.warmup > 0 {
            round(targets.clone(), a.clients.min(a.warmup), a.warmup, deadline).await;
        }
        let started = Instant::now();
        let o = round(targets.clone(), a.clients, a.requests, deadline).await;
        (o, started.elapsed().as_secs_f64())
    });
    let mut l = o.latencies_ms;
    l.sort_by(f64::total_cmp);
    let ok = l.len();
    let r = serde_json::json!({
        "urls": a.url,
        "clients": a.clients,
        "requests": ok + o.errors,
        "ok": ok,
        "errors": o.errors,
        "seconds": secs,
        "requests_per_second": ok as f64 / secs.max(1e-9),
        "mean_bytes": if ok > 0 { o.bytes / ok as u64 } else { 0 },
        "p50_ms": percentile(&l, 50.0),
        "p95_ms": percentile(&l, 95.0),
        "p99_ms": percentile(&l, 99.0),
        "max_ms": l.last().copied().unwrap_or(f64::NAN),
    });
    if a.json {
        println!("{r}");
    } else {
        println!(
            "{} clients, {} requests ({} errors) in {:.2}s: {:.0} req/s, {} bytes each; latency p50 {:.2} ms, p95 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
            a.clients,
            ok + o.errors,
            o.errors,
            secs,
            r["requests_per_second"].as_f64().unwrap_or(0.0),
            r["mean_bytes"],
            r["p50_ms"].as_f64().unwrap_or(f64::NAN),
            r["p95_ms"].as_f64().unwrap_or(f64::NAN),
            r["p99_ms"].as_f64().unwrap_or(f64::NAN),
            r["max_ms"].as_f64().unwrap_or(f64::NAN),
        );
    }
    Ok(if o.errors > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
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
