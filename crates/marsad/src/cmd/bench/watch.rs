//! `marsad bench watch`: the watcher against a feed server and a webhook receiver of its own on
//! loopback — items/s of a first poll, poll-to-alert latency of a new item (poll, ingest, rules,
//! webhook POST received), and resident memory over thousands of polls (mostly 304s, a new item
//! every 50th).

use anyhow::{Context, Result};
use marsad_pipeline::Models;
use marsad_watch::{Config, Watcher};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex};
use std::time::Instant;

/// Arguments of `marsad bench watch`.
#[derive(clap::Args)]
pub struct Args {
    /// Items in the feed of the first poll (items/s).
    #[arg(long, default_value_t = 300)]
    items: usize,
    /// New items whose poll-to-alert latency is measured, one at a time.
    #[arg(long, default_value_t = 20)]
    alerts: usize,
    /// Polls of the memory run.
    #[arg(long, default_value_t = 3000)]
    polls: usize,
    /// Keep the database here (default: a temporary directory).
    #[arg(long)]
    keep: Option<PathBuf>,
}

/// Towns (Arabic) for the generated news items.
const TOWNS: &[&str] = &[
    "الموصل",
    "تلعفر",
    "سنجار",
    "الشرقاط",
    "بيجي",
    "تكريت",
    "سامراء",
    "الرمادي",
    "الفلوجة",
    "هيت",
    "بعقوبة",
    "كركوك",
    "الحويجة",
    "القيارة",
    "حديثة",
];
/// What happened, with a toll slot.
const WHAT: &[&str] = &[
    "قتل {n} جنود وأصيب آخرون في هجوم بسيارة مفخخة استهدف نقطة تفتيش في مدينة {t}، بحسب مصدر أمني.",
    "قتل {n} مدنيين في انفجار عبوة ناسفة داخل سوق شعبي في {t}، وفق ما أعلنت الشرطة.",
    "أعلنت قيادة العمليات مقتل {n} من عناصر تنظيم داعش في غارة جوية قرب {t}.",
    "اعتقلت القوات الأمنية {n} مشتبهين في حملة دهم وتفتيش في أحياء {t}.",
    "تظاهر المئات في {t} احتجاجا على انقطاع الكهرباء وطالبوا بإقالة المحافظ.",
];

/// The `i`-th generated item: a distinct sentence (town, toll, and a serial in the headline),
/// published `i` days before today, so that no two items report one happening (which the store
/// would merge into one event, and one alert).
fn item(i: usize) -> String {
    let day = chrono::Utc::now() - chrono::Duration::days(i as i64);
    let date = day.format("%a, %d %b %Y 08:00:00 +0000");
    let t = TOWNS[i % TOWNS.len()];
    let w = WHAT[(i / TOWNS.len()) % WHAT.len()];
    let n = 2 + (i * 7) % 23;
    let text = w.replace("{t}", t).replace("{n}", &n.to_string());
    format!(
        "<item><title>خبر رقم {i} من {t}</title><link>https://bench.example/a/{i}</link><pubDate>{date}</pubDate><description>{text} (تقرير {i})</description></item>"
    )
}

/// A feed of items `0..n`.
fn feed(n: usize) -> String {
    let mut s = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?><rss version=\"2.0\"><channel><title>وكالة القياس</title>");
    for i in 0..n {
        s.push_str(&item(i));
    }
    s.push_str("</channel></rss>");
    s
}

/// The loopback server: the feed (with an ETag = its item count) and a webhook that notes when
/// each POST arrived.
#[derive(Clone, Default)]
struct Loopback {
    items: Arc<Mutex<(usize, String)>>,
    hooks: Arc<Mutex<Vec<Instant>>>,
}

impl Loopback {
    fn set_items(&self, n: usize) {
        if let Ok(mut g) = self.items.lock() {
            *g = (n, feed(n));
        }
    }

    fn answer(&self, conn: TcpStream) -> std::io::Result<()> {
        let mut r = BufReader::new(conn.try_clone()?);
        let mut line = String::new();
        r.read_line(&mut line)?;
        let (mut len, mut inm) = (0usize, None);
        loop {
            let mut h = String::new();
            if r.read_line(&mut h)? == 0 || h.trim().is_empty() {
                break;
            }
            let (k, v) = h.split_once(':').unwrap_or(("", ""));
            match k.trim().to_ascii_lowercase().as_str() {
                "content-length" => len = v.trim().parse().unwrap_or(0),
                "if-none-match" => inm = Some(v.trim().to_string()),
                _ => {}
            }
        }
        let mut body = vec![0; len];
        r.read_exact(&mut body)?;
        let mut out = conn;
        let (status, etag, payload) = if line.starts_with("POST") {
            if let Ok(mut h) = self.hooks.lock() {
                h.push(Instant::now());
            }
            (200, String::new(), String::new())
        } else if line.contains("/feed.xml") {
            let (n, body) = self.items.lock().map(|g| g.clone()).unwrap_or_default();
            let etag = format!("\"{n}\"");
            if inm.as_deref() == Some(etag.as_str()) {
                (304, etag, String::new())
            } else {
                (200, etag, body)
            }
        } else {
            (404, String::new(), String::new())
        };
        let mut head = format!(
            "HTTP/1.1 {status} X\r\nContent-Type: application/rss+xml\r\nContent-Length: {}\r\nConnection: close\r\n",
            payload.len()
        );
        if !etag.is_empty() {
            head.push_str(&format!("ETag: {etag}\r\n"));
        }
        head.push_str("\r\n");
        out.write_all(head.as_bytes())?;
        out.write_all(payload.as_bytes())
    }
}

/// Resident memory now and at its peak (kB), from /proc (Linux).
fn rss_kb() -> (u64, u64) {
    let s = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        s.lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse().ok())
            .unwrap_or(0)
    };
    (field("VmRSS:"), field("VmHWM:"))
}

/// Runs `marsad bench watch`.
pub fn run(a: Args) -> Result<ExitCode> {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let addr = listener.local_addr()?;
    let lb = Loopback::default();
    lb.set_items(a.items);
    let server = lb.clone();
    std::thread::spawn(move || {
        for conn in listener.incoming().flatten() {
            let s = server.clone();
            std::thread::spawn(move || s.answer(conn));
        }
    });
    let tmp = tempfile::tempdir()?;
    let db = a
        .keep
        .clone()
        .unwrap_or_else(|| tmp.path().join("watch.db"));
    let config = Config::parse(&format!(
        "[watch]\npoliteness = \"0ms\"\nretries = 0\ntimeout = \"10s\"\n\n[[source]]\nurl = \"http://{addr}/feed.xml\"\n\n[[rule]]\nname = \"every\"\nstdout = false\nwebhook = \"http://{addr}/hook\"\n"
    ))
    .map_err(|e| anyhow::anyhow!(e))?;
    let stop = Arc::new(AtomicBool::new(false));
    let mut w = Watcher::new(config, &db, Models::load()?, stop)?.quiet(true);

    // 1: the first poll of a feed of `items` items
    let t = Instant::now();
    let sum = w.pass().context("first pass")?;
    let secs = t.elapsed().as_secs_f64();
    let s = &sum.sources[0];
    println!(
        "first poll: {} items in {secs:.2} s = {:.0} items/s ({} stored, {} events, {} alerts sent)",
        s.new_items,
        s.new_items as f64 / secs,
        s.stored,
        s.events,
        sum.alerts
    );

    // 2: poll-to-alert latency of one new item at a time
    let mut lat = Vec::new();
    let mut n = a.items;
    for _ in 0..a.alerts {
        let before = lb.hooks.lock().map(|h| h.len()).unwrap_or(0);
        n += 1;
        lb.set_items(n);
        let t0 = Instant::now();
        let sum = w.pass()?;
        let got = lb
            .hooks
            .lock()
            .map(|h| h[before..].to_vec())
            .unwrap_or_default();
        if sum.alerts > 0 {
            if let Some(first) = got.first() {
                lat.push(first.duration_since(t0).as_secs_f64() * 1000.0);
            }
        }
    }
    lat.sort_by(|a, b| a.total_cmp(b));
    if lat.is_empty() {
        println!("poll-to-alert: no new item made an alert");
    } else {
        println!(
            "poll-to-alert (new item in the feed → webhook POST received), {} items: p50 {:.0} ms, max {:.0} ms",
            lat.len(),
            lat[lat.len() / 2],
            lat[lat.len() - 1]
        );
    }

    // 3: memory over many polls, a new item every 50th
    let (start_rss, _) = rss_kb();
    let t = Instant::now();
    let mut samples = Vec::new();
    for i in 0..a.polls {
        if i % 50 == 49 {
            n += 1;
            lb.set_items(n);
        }
        w.pass()?;
        if i % (a.polls / 5).max(1) == 0 {
            samples.push(rss_kb().0);
        }
    }
    let (end_rss, peak) = rss_kb();
    println!(
        "{} polls in {:.1} s ({:.1} ms/poll): RSS {start_rss} kB before, {} kB along the way, {end_rss} kB after; peak {peak} kB",
        a.polls,
        t.elapsed().as_secs_f64(),
        t.elapsed().as_secs_f64() * 1000.0 / a.polls.max(1) as f64,
        samples
            .iter()
            .map(u64::to_string)
            .collect::<Vec<_>>()
            .join(" → ")
    );
    Ok(ExitCode::SUCCESS)
}
