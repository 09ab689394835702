//! `marsad watch` against real HTTP servers on loopback (no mocks): feeds that change between
//! polls, a 304, a 500, an answer slower than the time limit, malformed XML, robots.txt, a
//! webhook receiver that fails once; and a stop mid-run followed by a restart.

mod support;

use serde_json::Value;
use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// What the test server answers on one path.
#[derive(Clone)]
enum Route {
    /// A body with an ETag: a request with `If-None-Match` equal to it gets a 304.
    Doc {
        body: String,
        etag: String,
        content_type: &'static str,
    },
    /// A bare status and no body.
    Status(u16),
    /// The body after a pause (longer than the watcher's time limit).
    Slow(Duration, String),
    /// A webhook: answers these statuses in turn (the last one thereafter), keeping each body.
    Hook(Vec<u16>),
}

/// One request the server got.
#[derive(Clone, Debug)]
struct Seen {
    method: String,
    path: String,
    headers: HashMap<String, String>,
    body: String,
    status: u16,
}

/// An HTTP/1.1 server on 127.0.0.1 whose routes the test changes between polls.
#[derive(Clone)]
struct Site {
    addr: SocketAddr,
    routes: Arc<Mutex<HashMap<String, Route>>>,
    seen: Arc<Mutex<Vec<Seen>>>,
}

impl Site {
    fn start() -> Site {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let site = Site {
            addr: listener.local_addr().unwrap(),
            routes: Arc::default(),
            seen: Arc::default(),
        };
        let s = site.clone();
        std::thread::spawn(move || {
            for conn in listener.incoming() {
                let Ok(conn) = conn else { break };
                let s = s.clone();
                std::thread::spawn(move || s.answer(conn));
            }
        });
        site
    }

    fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    fn set(&self, path: &str, r: Route) {
        self.routes.lock().unwrap().insert(path.to_string(), r);
    }

    fn requests(&self, path: &str) -> Vec<Seen> {
        let seen = self.seen.lock().unwrap();
        seen.iter().filter(|s| s.path == path).cloned().collect()
    }

    fn answer(&self, conn: TcpStream) {
        conn.set_read_timeout(Some(Duration::from_secs(10))).ok();
        let mut r = BufReader::new(conn.try_clone().unwrap());
        let mut line = String::new();
        if r.read_line(&mut line).unwrap_or(0) == 0 {
            return;
        }
        let mut parts = line.split_whitespace();
        let method = parts.next().unwrap_or("").to_string();
        let path = parts.next().unwrap_or("").to_string();
        let mut headers = HashMap::new();
        loop {
            let mut h = String::new();
            if r.read_line(&mut h).unwrap_or(0) == 0 || h.trim().is_empty() {
                break;
            }
            if let Some((k, v)) = h.split_once(':') {
                headers.insert(k.trim().to_ascii_lowercase(), v.trim().to_string());
            }
        }
        let len: usize = headers
            .get("content-length")
            .and_then(|l| l.parse().ok())
            .unwrap_or(0);
        let mut body = vec![0; len];
        r.read_exact(&mut body).ok();
        let route = self.routes.lock().unwrap().get(&path).cloned();
        let hook_calls = self
            .requests(&path)
            .iter()
            .filter(|s| s.method == "POST")
            .count();
        let (status, etag, ctype, payload, pause) = match route {
            None => (404, None, "text/plain", String::new(), None),
            Some(Route::Status(s)) => (s, None, "text/plain", String::new(), None),
            Some(Route::Doc {
                body,
                etag,
                content_type,
            }) => {
                if headers.get("if-none-match") == Some(&etag) {
                    (304, Some(etag), content_type, String::new(), None)
                } else {
                    (200, Some(etag), content_type, body, None)
                }
            }
            Some(Route::Slow(d, b)) => (200, None, "application/rss+xml", b, Some(d)),
            Some(Route::Hook(statuses)) => {
                let s = statuses[hook_calls.min(statuses.len() - 1)];
                (s, None, "text/plain", String::new(), None)
            }
        };
        self.seen.lock().unwrap().push(Seen {
            method,
            path,
            headers,
            body: String::from_utf8_lossy(&body).into_owned(),
            status,
        });
        if let Some(d) = pause {
            std::thread::sleep(d);
        }
        let mut out = conn;
        let mut head = format!(
            "HTTP/1.1 {status} X\r\nContent-Type: {ctype}\r\nContent-Length: {}\r\nConnection: close\r\n",
            payload.len()
        );
        if let Some(e) = etag {
            head.push_str(&format!("ETag: {e}\r\n"));
        }
        head.push_str("\r\n");
        let _ = out.write_all(head.as_bytes());
        let _ = out.write_all(payload.as_bytes());
    }
}

/// News-like sentences (written for these tests): attacks with tolls in named Iraqi towns.
const ITEMS: &[(&str, &str)] = &[
    (
        "هجوم انتحاري في تلعفر",
        "قتل خمسة جنود عراقيين وأصيب ثلاثة آخرون في هجوم انتحاري بسيارة مفخخة استهدف نقطة تفتيش للجيش في مدينة تلعفر غرب الموصل، بحسب مصدر أمني.",
    ),
    (
        "انفجار في سوق الشرقاط",
        "قتل ثلاثة مدنيين وجرح عشرة آخرون في انفجار عبوة ناسفة داخل سوق شعبي في قضاء الشرقاط جنوب الموصل، وفق ما أعلنت الشرطة العراقية.",
    ),
    (
        "هجوم على قرية قرب سنجار",
        "قتل سبعة من عناصر الحشد الشعبي في هجوم شنه مسلحون من تنظيم داعش على قرية قرب بلدة سنجار غرب الموصل.",
    ),
];

/// An RSS feed of the first `n` items, dated today, titled as an outlet.
fn feed(n: usize) -> String {
    let date = chrono::Utc::now().format("%a, %d %b %Y 08:00:00 +0000");
    let mut items = String::new();
    for (i, (title, text)) in ITEMS.iter().take(n).enumerate() {
        items.push_str(&format!(
            "<item><title>{title}</title><link>https://news.example/a/{i}</link><guid>https://news.example/a/{i}</guid><pubDate>{date}</pubDate><description>{text}</description></item>"
        ));
    }
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><rss version=\"2.0\"><channel><title>وكالة الأنباء التجريبية</title><link>https://news.example/</link>{items}</channel></rss>"
    )
}

fn doc(body: String, etag: &str) -> Route {
    Route::Doc {
        body,
        etag: format!("\"{etag}\""),
        content_type: "application/rss+xml; charset=utf-8",
    }
}

/// A watch.toml for `site`'s feeds and rules whose webhook is `hook`.
fn config(dir: &Path, site: &Site, sources: &[&str], hook: &str) -> std::path::PathBuf {
    let mut t = String::from(
        "[watch]\ntimeout = \"1s\"\nretries = 1\nbackoff = \"10ms\"\npoliteness = \"0ms\"\nwebhook_tries = 1\n",
    );
    for s in sources {
        t.push_str(&format!(
            "\n[[source]]\nurl = \"{}\"\nevery = \"1s\"\n",
            site.url(s)
        ));
    }
    t.push_str(&format!(
        "\n[[rule]]\nname = \"every-attack\"\ntype = \"ASSAULT\"\ncountry = \"IQ\"\nwebhook = \"{hook}\"\njsonl = \"{}\"\n",
        dir.join("alerts.jsonl").display()
    ));
    t.push_str("\n[[rule]]\nname = \"two-in-nineveh\"\ntype = \"ASSAULT\"\nadmin1 = \"Ninawa\"\nwhen = \"count\"\nat_least = 2\nwithin = \"7d\"\nstdout = false\njsonl = \"");
    t.push_str(&format!("{}\"\n", dir.join("counts.jsonl").display()));
    let path = dir.join("watch.toml");
    std::fs::write(&path, t).unwrap();
    path
}

/// One `marsad watch --once --json` pass: its summary by source path.
fn pass(cfg: &Path, db: &Path, site: &Site) -> HashMap<String, Value> {
    let out = support::marsad()
        .args(["watch", "--once", "--json", "--quiet", "--config"])
        .arg(cfg)
        .arg("--db")
        .arg(db)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    let last = stdout.lines().last().expect("a summary line");
    let v: Value = serde_json::from_str(last).unwrap();
    let prefix = site.url("");
    v["sources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            let url = s["url"].as_str().unwrap();
            (url.trim_start_matches(&prefix).to_string(), s.clone())
        })
        .collect()
}

fn alerts(db: &Path) -> Vec<Value> {
    let out = support::marsad()
        .args(["alerts", "--json", "--db"])
        .arg(db)
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// The alert keys the webhook accepted (a 2xx), in order.
fn accepted(hook: &Site) -> Vec<String> {
    hook.requests("/hook")
        .iter()
        .filter(|s| s.status == 200)
        .map(|s| {
            serde_json::from_str::<Value>(&s.body).unwrap()["key"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect()
}

#[test]
fn watch_ingests_exactly_the_new_items_and_keeps_going_past_failures() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("w.db");
    let site = Site::start();
    let hook = Site::start();
    // the webhook fails its first delivery: the alert is retried on the next pass
    hook.set("/hook", Route::Hook(vec![500, 200]));
    site.set("/robots.txt", Route::Status(404));
    site.set("/news.xml", doc(feed(2), "v1"));
    site.set(
        "/broken.xml",
        doc("<rss><channel><item><title>نص".into(), "b"),
    );
    site.set("/down.xml", Route::Status(500));
    site.set("/slow.xml", Route::Slow(Duration::from_secs(3), feed(1)));
    let cfg = config(
        dir.path(),
        &site,
        &["/news.xml", "/broken.xml", "/down.xml", "/slow.xml"],
        &hook.url("/hook"),
    );

    // pass 1: two new items stored; each failing source is recorded, none stops the others
    let p = pass(&cfg, &db, &site);
    assert_eq!(p["/news.xml"]["new_items"], 2, "{p:?}");
    assert_eq!(p["/news.xml"]["stored"], 2, "{p:?}");
    let err = |k: &str| p[k]["error"].as_str().unwrap_or("").to_string();
    assert!(
        err("/broken.xml").contains("not a valid RSS/Atom feed"),
        "{p:?}"
    );
    assert!(err("/down.xml").contains("HTTP 500 (2 tries)"), "{p:?}");
    assert!(err("/slow.xml").contains("timed out"), "{p:?}");
    assert!(p["/news.xml"].get("error").is_none());
    // a descriptive User-Agent, and robots.txt asked first
    let first = &site.requests("/news.xml")[0];
    assert!(
        first.headers["user-agent"].starts_with("marsad/"),
        "{first:?}"
    );
    assert!(!site.requests("/robots.txt").is_empty());

    // pass 2: nothing changed: a conditional GET answered 304, nothing ingested
    let p = pass(&cfg, &db, &site);
    assert_eq!(p["/news.xml"]["not_modified"], true, "{p:?}");
    assert_eq!(
        site.requests("/news.xml")[1].headers["if-none-match"],
        "\"v1\""
    );

    // pass 3: the feed has one item more: exactly that one is new
    site.set("/news.xml", doc(feed(3), "v2"));
    site.set("/down.xml", doc(feed(0), "empty"));
    let p = pass(&cfg, &db, &site);
    assert_eq!(
        (&p["/news.xml"]["items"], &p["/news.xml"]["new_items"]),
        (&Value::from(3), &Value::from(1)),
        "{p:?}"
    );
    assert_eq!(p["/news.xml"]["stored"], 1);
    assert!(p["/down.xml"].get("error").is_none(), "recovered: {p:?}");

    // pass 4: a new ETag over the same items: all seen, nothing new
    site.set("/news.xml", doc(feed(3), "v3"));
    let p = pass(&cfg, &db, &site);
    assert_eq!(p["/news.xml"]["new_items"], 0, "{p:?}");
    let st = support::stats(db.to_str().unwrap());
    assert_eq!(st["documents"], 3, "{st}");

    // the events keep the feed's outlet and each item's link
    let out = support::marsad()
        .args(["events", "--json", "--type", "ASSAULT", "--db"])
        .arg(&db)
        .output()
        .unwrap();
    let events: Vec<Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert!(events.len() >= 3, "{events:?}");
    for e in &events {
        let s = &e["sources"][0];
        assert_eq!(s["outlet"], "وكالة الأنباء التجريبية", "{e}");
        assert!(
            s["url"]
                .as_str()
                .unwrap()
                .starts_with("https://news.example/a/"),
            "{e}"
        );
    }

    // every alert was sent once: the webhook accepted each key once, and holds what fired
    let fired = alerts(&db);
    let every: Vec<&Value> = fired
        .iter()
        .filter(|a| a["rule"] == "every-attack")
        .collect();
    assert_eq!(
        every.len(),
        events.len(),
        "one per ASSAULT event: {fired:?}"
    );
    let mut keys = accepted(&hook);
    let n = keys.len();
    keys.sort();
    keys.dedup();
    assert_eq!(keys.len(), n, "no alert accepted twice");
    assert_eq!(
        n,
        every.len(),
        "each webhook alert accepted once (the failed one retried)"
    );
    assert!(
        fired.iter().all(|a| a["delivered_at"].is_string()),
        "{fired:?}"
    );
    // a webhook alert carries the evidence and the links
    let body: Value = serde_json::from_str(&hook.requests("/hook")[0].body).unwrap();
    let ev = &body["events"][0];
    assert!(ev["evidence"].as_str().unwrap().contains("قتل"), "{body}");
    assert!(ev["sources"][0]["url"].is_string(), "{body}");
    // the count rule (naming the province as the exports spell it, without the marks) fired once, when the second
    // attack in Nineveh came (Tal Afar, then Sinjar; al-Shirqat is in Salah ad-Din)
    let counts = std::fs::read_to_string(dir.path().join("counts.jsonl")).unwrap();
    let sizes: Vec<usize> = counts
        .lines()
        .map(|l| {
            serde_json::from_str::<Value>(l).unwrap()["events"]
                .as_array()
                .unwrap()
                .len()
        })
        .collect();
    assert_eq!(sizes, [2], "{counts}");
    let jsonl = std::fs::read_to_string(dir.path().join("alerts.jsonl")).unwrap();
    assert_eq!(jsonl.lines().count(), every.len());
}

/// A `marsad watch` process following `feed` every second, its stderr collected.
struct Watching {
    child: Child,
    log: Arc<Mutex<Vec<String>>>,
}

impl Watching {
    fn start(db: &Path, feed: &str) -> Watching {
        let mut child = support::marsad()
            .args(["watch", "--every", "1s", "--feed", feed, "--db"])
            .arg(db)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stderr = child.stderr.take().unwrap();
        let log = Arc::new(Mutex::new(Vec::new()));
        let l = log.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines() {
                let Ok(line) = line else { break };
                eprintln!("watch: {line}");
                l.lock().unwrap().push(line);
            }
        });
        Watching { child, log }
    }

    /// Waits (up to a minute: a generous bound, not a timing assertion) for a log line.
    fn wait_for(&self, needle: &str) {
        let end = Instant::now() + Duration::from_secs(60);
        while Instant::now() < end {
            if self.log.lock().unwrap().iter().any(|l| l.contains(needle)) {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!(
            "no log line with {needle:?}: {:?}",
            self.log.lock().unwrap()
        );
    }

    /// SIGTERM, then the exit status.
    fn terminate(mut self) -> std::process::ExitStatus {
        Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .unwrap();
        let end = Instant::now() + Duration::from_secs(60);
        loop {
            if let Some(s) = self.child.try_wait().unwrap() {
                return s;
            }
            assert!(Instant::now() < end, "watch did not stop on SIGTERM");
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

#[test]
fn a_restart_resumes_without_duplicates() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("w.db");
    let site = Site::start();
    site.set(
        "/robots.txt",
        Route::Doc {
            body: "User-agent: *\nDisallow: /private/\n".into(),
            etag: "r".into(),
            content_type: "text/plain",
        },
    );
    site.set("/news.xml", doc(feed(2), "v1"));
    let url = site.url("/news.xml");
    let w = Watching::start(&db, &url);
    w.wait_for("2 new: 2 stored");
    let status = w.terminate();
    assert!(
        status.success(),
        "SIGTERM ends the watch cleanly: {status:?}"
    );

    // restarted: the state is in the store, so the first poll is conditional and finds nothing
    let before = site.requests("/news.xml").len();
    let w = Watching::start(&db, &url);
    let end = Instant::now() + Duration::from_secs(60);
    while site.requests("/news.xml").len() == before {
        assert!(Instant::now() < end);
        std::thread::sleep(Duration::from_millis(20));
    }
    assert_eq!(
        site.requests("/news.xml")[before]
            .headers
            .get("if-none-match")
            .map(String::as_str),
        Some("\"v1\"")
    );
    // the feed grows while it runs: only the new item is taken
    site.set("/news.xml", doc(feed(3), "v2"));
    w.wait_for("3 items, 1 new: 1 stored");
    assert!(w.terminate().success());
    let st = support::stats(db.to_str().unwrap());
    assert_eq!(
        (&st["documents"], &st["duplicates"]),
        (&Value::from(3), &Value::from(0)),
        "{st}"
    );

    // a source robots.txt disallows is not fetched, and says why
    let out = support::marsad()
        .args([
            "watch",
            "--once",
            "--quiet",
            "--feed",
            &site.url("/private/feed.xml"),
            "--db",
        ])
        .arg(&db)
        .output()
        .unwrap();
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("disallowed by") && err.contains("robots.txt"),
        "{err}"
    );
    assert!(site.requests("/private/feed.xml").is_empty());
}

#[test]
fn a_bad_config_is_refused_with_its_name_and_the_problem() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("watch.toml");
    std::fs::write(
        &cfg,
        "[[rule]]\nname = \"x\"\nwhen = \"count\"\nwithin = \"7d\"\n",
    )
    .unwrap();
    let db = dir.path().join("w.db");
    let out = support::marsad()
        .args(["watch", "--once", "--config"])
        .arg(&cfg)
        .arg("--db")
        .arg(&db)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("watch.toml") && err.contains("at_least is missing"),
        "{err}"
    );
    assert!(!db.exists(), "no database is created for a bad config");
}

#[test]
fn serve_watch_runs_both_and_shows_indicators_and_alerts() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("w.db");
    let site = Site::start();
    site.set("/robots.txt", Route::Status(404));
    site.set("/news.xml", doc(feed(3), "v1"));
    let cfg = config(dir.path(), &site, &["/news.xml"], &site.url("/nohook"));
    let server = support::server::Server::start(&db, &["--watch", cfg.to_str().unwrap()]);
    assert!(
        server.wait_for_log("3 new: 3 stored", Duration::from_secs(120)),
        "the watcher in the server stored the feed"
    );
    // the alerts of that pass are recorded right after it
    let end = Instant::now() + Duration::from_secs(60);
    loop {
        if server.wait_for_log("alert two-in-nineveh", Duration::from_millis(100)) {
            break;
        }
        assert!(Instant::now() < end, "the count rule fired");
    }
    let r = server.get("/api/v1/indicators?dims=type,place&periods=4&baseline=3");
    assert_eq!(r.status, 200, "{}", r.text());
    let v = r.json();
    assert_eq!(v["by"], "week");
    let series = v["series"].as_array().unwrap();
    let nineveh = series
        .iter()
        .find(|s| s["event_type"] == "ASSAULT" && s["place"] == "IQ/15")
        .unwrap_or_else(|| panic!("{v}"));
    let points = nineveh["points"].as_array().unwrap();
    assert_eq!(points.len(), 4);
    assert_eq!(points[3]["events"], 2, "{nineveh}");
    assert_eq!(
        points[3]["fatalities"], 12,
        "5 in Tal Afar, 7 near Sinjar: {nineveh}"
    );
    assert_eq!(points[3]["outlets"], 1);
    assert_eq!(nineveh["spike"]["spike"], false, "2 is under min_count 3");
    let bad = server.get("/api/v1/indicators?by=day");
    assert_eq!(bad.status, 400);
    let page = server.get("/indicators");
    assert_eq!(page.status, 200);
    let html = page.text();
    assert!(
        html.contains("<svg") && html.contains("two-in-nineveh"),
        "{html}"
    );
}
