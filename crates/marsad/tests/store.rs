//! Integration tests of ingest, queries and exports through the real binary.

mod support;

use std::path::{Path, PathBuf};
use support::{examples, stats};

#[test]
fn ingest_is_idempotent_and_searchable() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("m.db");
    let db = db.to_str().unwrap();
    let ex = examples();
    let out = support::run(&["ingest", "--quiet", "--db", db, ex.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let first = stats(db);
    for k in ["documents", "events", "stories", "duplicates", "rejected"] {
        assert!(first.get(k).is_some(), "stats has {k}");
    }
    assert_eq!(
        first["documents"], 6,
        "the seed report and five sample articles"
    );
    // the same input again adds nothing
    let out = support::run(&[
        "ingest",
        "--quiet",
        "--json",
        "--db",
        db,
        ex.to_str().unwrap(),
    ]);
    assert!(out.status.success());
    let sum: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(sum["stored"], 0);
    assert_eq!(sum["duplicates"], 6);
    assert_eq!(stats(db), first);
    // clitic- and spelling-insensitive search
    let out = support::run(&["search", "--json", "--db", db, "بالانشقاق"]);
    assert!(out.status.success());
    let hits: Vec<serde_json::Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(hits.len(), 1);
    assert!(hits[0]["snippet"].as_str().unwrap().contains("إنشقاق"));
}

#[test]
fn bad_inputs_are_recorded_and_the_batch_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let inp = dir.path().join("in");
    std::fs::create_dir(&inp).unwrap();
    std::fs::write(
        inp.join("good.txt"),
        "تظاهر المئات في بيروت احتجاجا على الغلاء وارتفاع الأسعار.",
    )
    .unwrap();
    std::fs::write(inp.join("empty.txt"), "").unwrap();
    std::fs::write(
        inp.join("latin.txt"),
        "This is an English text about the weather and nothing else at all.",
    )
    .unwrap();
    std::fs::write(inp.join("bin.txt"), [0u8, 1, 2, 3, 0xff]).unwrap();
    std::fs::write(inp.join("bad.txt"), b"\xd9\x82\xff\xfe").unwrap();
    std::fs::write(
        inp.join("docs.jsonl"),
        "{\"text\": \"قتل جندي في هجوم على حاجز عسكري قرب الموصل.\"}\nnot json\n{\"id\": 3}\n",
    )
    .unwrap();
    let db = dir.path().join("m.db");
    let out = support::run(&[
        "ingest",
        "--quiet",
        "--json",
        "--db",
        db.to_str().unwrap(),
        inp.to_str().unwrap(),
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "a run that completes exits 0, rejects or not: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let sum: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(sum["stored"], 2);
    let by = &sum["rejected_by_reason"];
    for (k, n) in [
        ("empty", 1),
        ("not_arabic", 1),
        ("binary", 1),
        ("not_utf8", 1),
        ("not_json", 1),
        ("no_text", 1),
    ] {
        assert_eq!(by[k], n, "{k} in {by}");
    }
    let db = db.to_str().unwrap();
    assert_eq!(stats(db)["rejected"], 6);
    // with --strict any reject is fatal (exit 1), and the summary still says why
    let out = support::run(&[
        "ingest",
        "--quiet",
        "--strict",
        "--db",
        db,
        inp.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("rejected not_json: 1") && err.contains("--strict"),
        "{err}"
    );
    assert_eq!(stats(db)["rejected"], 6);
}

#[test]
fn exports_in_every_format() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("m.db");
    let db = db.to_str().unwrap();
    let out = support::run(&[
        "ingest",
        "--quiet",
        "--db",
        db,
        examples().join("articles.jsonl").to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = support::run(&["export", "--format", "csv", "--db", db]);
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("event_id,event_date"));
    let out = support::run(&["export", "--format", "geojson", "--db", db]);
    let g: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(g["type"], "FeatureCollection");
    let out = support::run(&["export", "--format", "jsonl", "--db", db]);
    assert!(out.status.success());
    let pq = dir.path().join("e.parquet");
    let out = support::run(&[
        "export",
        "--format",
        "parquet",
        "--db",
        db,
        "--out",
        pq.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(&std::fs::read(&pq).unwrap()[..4], b"PAR1");
    let out = support::run(&["export", "--format", "parquet", "--db", db]);
    assert!(out.status.success(), "parquet to standard output");
    assert_eq!(&out.stdout[..4], b"PAR1");
}

#[test]
fn queries_on_a_missing_database_say_so() {
    let out = support::run(&["stats", "--db", "/nonexistent/m.db"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("no such database"));
}

/// A JSONL file of `n` distinct articles built from the examples (each gets its own closing line,
/// so each has its own content id), plus one bad line to be rejected.
fn many_articles(dir: &Path, n: usize) -> PathBuf {
    let base: Vec<serde_json::Value> = std::fs::read_to_string(examples().join("articles.jsonl"))
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let mut out = String::new();
    for i in 0..n {
        let mut a = base[i % base.len()].clone();
        let text = format!(
            "{}\nأعد هذا التقرير رقم {} مراسل الوكالة.",
            a["text"].as_str().unwrap(),
            i + 1
        );
        a["text"] = text.into();
        a["id"] = format!("many-{i}").into();
        out.push_str(&serde_json::to_string(&a).unwrap());
        out.push('\n');
        if i == n / 2 {
            out.push_str("{not json\n");
        }
    }
    let p = dir.join("many.jsonl");
    std::fs::write(&p, out).unwrap();
    p
}

/// What a database holds, as the stats command counts it.
fn counts(db: &str) -> Vec<(String, serde_json::Value)> {
    let s = stats(db);
    ["documents", "events", "mentions", "stories", "rejected"]
        .iter()
        .map(|k| (k.to_string(), s[*k].clone()))
        .collect()
}

#[test]
fn kill_9_during_ingest_then_rerun_loses_nothing_and_duplicates_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let input = many_articles(dir.path(), 160);
    let input = input.to_str().unwrap();
    // the reference: one uninterrupted run
    let clean = dir.path().join("clean.db");
    let clean = clean.to_str().unwrap();
    let out = support::run(&["ingest", "--quiet", "--batch", "8", "--db", clean, input]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "one line is rejected, the run completes"
    );
    let want = counts(clean);
    assert_eq!(want[0].1, 160);
    // killed twice at different moments, then run to the end
    let db = dir.path().join("crash.db");
    let db = db.to_str().unwrap();
    let mut interrupted = 0;
    for (round, at_least) in [(0, 1u64), (1, 60)] {
        let mut child = support::marsad()
            .args(["ingest", "--quiet", "--batch", "8", "--db", db, input])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let t0 = std::time::Instant::now();
        loop {
            std::thread::sleep(std::time::Duration::from_millis(20));
            if child.try_wait().unwrap().is_some() {
                break;
            }
            // the database may not exist yet, or still be getting its schema
            let out = support::run(&["stats", "--json", "--db", db]);
            let n = serde_json::from_slice::<serde_json::Value>(&out.stdout)
                .ok()
                .and_then(|s| s["documents"].as_u64())
                .unwrap_or(0);
            if n >= at_least || t0.elapsed().as_secs() > 120 {
                interrupted += 1;
                break;
            }
        }
        // SIGKILL: no destructor, no checkpoint, possibly inside a transaction
        child.kill().unwrap();
        child.wait().unwrap();
        let partial = stats(db)["documents"].as_u64().unwrap();
        eprintln!("round {round}: killed with {partial} of 160 documents stored");
        assert!(partial <= 160, "round {round}: {partial} documents");
    }
    assert!(
        interrupted > 0,
        "the ingest finished before it could be killed"
    );
    let out = support::run(&["ingest", "--quiet", "--batch", "8", "--db", db, input]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(counts(db), want);
    // and once more: nothing new
    let out = support::run(&["ingest", "--quiet", "--json", "--db", db, input]);
    let sum: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(sum["stored"], 0);
    assert_eq!(counts(db), want);
}

#[test]
fn bench_ingest_and_bench_search_report_their_figures() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("b.db");
    let ex = examples();
    let out = support::succeeds(
        support::marsad()
            .args(["bench", "ingest", "--keep"])
            .arg(&db)
            .arg(&ex),
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["stored"], 6);
    assert!(v["articles_per_second"].as_f64().unwrap() > 0.0);
    let ratio = v["database_over_article_text"].as_f64().unwrap();
    assert!(ratio > 0.0, "{v}");
    // a database that exists is refused: the figures are for a fresh one
    let again = support::marsad()
        .args(["bench", "ingest", "--keep"])
        .arg(&db)
        .arg(&ex)
        .output()
        .unwrap();
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("fresh database"));
    let queries = dir.path().join("q.txt");
    std::fs::write(
        &queries,
        "# comment\nالموصل\nغارة جوية\n\nلا توجد هذه الكلمة\n",
    )
    .unwrap();
    let out = support::succeeds(
        support::marsad()
            .args(["bench", "search", "--json", "--rounds", "2", "--db"])
            .arg(&db)
            .arg("--queries")
            .arg(&queries),
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        (v["queries"].as_u64(), v["timed_searches"].as_u64()),
        (Some(3), Some(6))
    );
    assert_eq!(v["documents"], 6);
    assert!(v["hits_per_query"].as_f64().unwrap() > 0.0);
    assert!(v["p95_ms"].as_f64().unwrap() >= v["p50_ms"].as_f64().unwrap());
}

#[test]
fn two_ingests_into_one_new_database_at_once_store_everything_once() {
    let dir = tempfile::tempdir().unwrap();
    let input = many_articles(dir.path(), 40);
    let input = input.to_str().unwrap();
    let single = dir.path().join("single.db");
    let single = single.to_str().unwrap();
    support::run(&["ingest", "--quiet", "--batch", "8", "--db", single, input]);
    let want = counts(single);
    let db = dir.path().join("both.db");
    let db = db.to_str().unwrap();
    let spawn = || {
        support::marsad()
            .args(["ingest", "--quiet", "--batch", "8", "--db", db, input])
            .output()
    };
    let (a, b) = std::thread::scope(|s| {
        let a = s.spawn(spawn);
        let b = s.spawn(spawn);
        (a.join().unwrap().unwrap(), b.join().unwrap().unwrap())
    });
    for out in [&a, &b] {
        // 0: the one bad line is rejected and the run completes; never 2 (an error such as a
        // locked database)
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    assert_eq!(counts(db), want);
}
