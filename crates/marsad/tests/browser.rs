//! The dashboard in headless Chromium: the overview map has points, the event page highlights
//! the evidence, lists its sources and scrolls to the evidence, search marks its hits, a chosen
//! country zooms the map, and screenshots are saved for people to look at. Skips (with the reason printed)
//! when Chromium is not installed (`apt-get install -y chromium`; `.ci/run` installs it).

mod support;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use support::server::{fresh_db, Server};

const CHROMIUM: &str = "/usr/bin/chromium";

/// Runs headless Chromium on `url` with `args`, within a time limit; returns its stdout.
fn chromium(profile: &Path, url: &str, args: &[String]) -> String {
    let out_path = profile.join(format!("stdout-{}.txt", args.len()));
    let out = std::fs::File::create(&out_path).expect("stdout file");
    let mut child = Command::new(CHROMIUM)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-dev-shm-usage",
            "--hide-scrollbars",
        ])
        .arg(format!(
            "--user-data-dir={}",
            profile.join("profile").display()
        ))
        .args(args)
        .arg(url)
        .stdin(Stdio::null())
        .stdout(out)
        .stderr(Stdio::null())
        .spawn()
        .expect("start chromium");
    let started = Instant::now();
    loop {
        match child.try_wait() {
            Ok(Some(_)) => break,
            Ok(None) if started.elapsed() < Duration::from_secs(90) => {
                std::thread::sleep(Duration::from_millis(100))
            }
            _ => {
                let _ = child.kill();
                let _ = child.wait();
                panic!("chromium did not finish within 90 s on {url}");
            }
        }
    }
    std::fs::read_to_string(&out_path).unwrap_or_default()
}

fn shots_dir() -> PathBuf {
    let d = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("screenshots");
    std::fs::create_dir_all(&d).expect("screenshot dir");
    d
}

#[test]
fn dashboard_in_headless_chromium() {
    if !Path::new(CHROMIUM).exists() {
        support::skip(
            "dashboard_in_headless_chromium",
            &format!("{CHROMIUM} is not installed (apt-get install -y chromium)"),
        );
        return;
    }
    let (dir, db) = fresh_db();
    let srv = Server::start(&db, &[]);
    let base = format!("http://{}", srv.addr);

    // the overview, as the browser built it: a map with points
    let dom = chromium(dir.path(), &format!("{base}/"), &["--dump-dom".into()]);
    assert!(
        dom.contains("<svg class=\"map\""),
        "no map in:\n{}",
        &dom[..dom.len().min(2000)]
    );
    let points = dom.matches("<circle class=\"pt\"").count();
    assert!(points >= 3, "{points} points on the map");

    // the event page: the evidence highlighted in the right-to-left article
    let dom = chromium(
        dir.path(),
        &format!("{base}/events/ev-saraqib"),
        &["--dump-dom".into()],
    );
    assert!(dom.contains("<mark class=\"evidence\""), "no evidence mark");
    assert!(dom.contains("<strong class=\"trigger\""), "no trigger");
    assert!(dom.contains("<article class=\"text\" dir=\"rtl\" lang=\"ar\">"));
    assert!(!dom.contains("<script>alert"));

    // the event page names its sources and anchors the evidence; isolated names survive the parser
    let dom = chromium(
        dir.path(),
        &format!("{base}/events/ev-saraqib?doc=doc-saraqib-2#evidence"),
        &["--dump-dom".into()],
    );
    assert!(
        dom.contains("<table class=\"sources\">"),
        "no sources table"
    );
    assert!(dom.contains("<mark class=\"evidence\" id=\"evidence\""));
    assert!(dom.contains("<bdi lang=\"ar\">طائرات حربية</bdi>"));

    // search: the hits marked, the count shown
    let dom = chromium(
        dir.path(),
        &format!("{base}/search?q=%D8%A7%D9%84%D8%A7%D8%AD%D8%AA%D8%AC%D8%A7%D8%AC"),
        &["--dump-dom".into()],
    );
    assert!(
        dom.contains("<mark class=\"hit\">احتجاجا</mark>"),
        "no marked hit"
    );
    assert!(dom.contains("articles match"));

    // choosing a country zooms the map to it
    let dom = chromium(
        dir.path(),
        &format!("{base}/?country=IQ"),
        &["--dump-dom".into()],
    );
    assert!(dom.contains("<svg class=\"map\""));
    assert!(
        !dom.contains(&format!("data-bbox=\"{}\"", "-18.00")),
        "still the region"
    );

    // (that opening #evidence scrolls is the browser's part and is not asserted: headless
    // Chromium's --screenshot paints a fragment-scrolled page blank)

    let shots = shots_dir();
    for (name, path, size) in [
        ("overview.png", "/", "1280,1500"),
        ("event.png", "/events/ev-saraqib", "1280,1200"),
        (
            "search.png",
            "/search?q=%22%D8%B3%D8%B1%D8%A7%D9%82%D8%A8%22",
            "1280,700",
        ),
        ("country.png", "/?country=IQ", "1280,1500"),
    ] {
        let file = shots.join(name);
        let _ = std::fs::remove_file(&file);
        chromium(
            dir.path(),
            &format!("{base}{path}"),
            &[
                format!("--screenshot={}", file.display()),
                format!("--window-size={size}"),
            ],
        );
        let len = std::fs::metadata(&file).map(|m| m.len()).unwrap_or(0);
        assert!(len > 10_000, "{} is {len} bytes", file.display());
        eprintln!("screenshot: {}", file.display());
    }
}
