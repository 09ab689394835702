//! Integration tests of ingest, queries and exports through the real binary.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn marsad(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_marsad"))
        .args(args)
        .output()
        .expect("marsad runs")
}

fn examples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples")
}

fn stats(db: &str) -> serde_json::Value {
    let out = marsad(&["stats", "--json", "--db", db]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn ingest_is_idempotent_and_searchable() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("m.db");
    let db = db.to_str().unwrap();
    let ex = examples();
    let out = marsad(&["ingest", "--quiet", "--db", db, ex.to_str().unwrap()]);
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
    let out = marsad(&[
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
    let out = marsad(&["search", "--json", "--db", db, "بالانشقاق"]);
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
    let out = marsad(&[
        "ingest",
        "--quiet",
        "--json",
        "--db",
        db.to_str().unwrap(),
        inp.to_str().unwrap(),
        "/nonexistent/path",
    ]);
    assert_eq!(out.status.code(), Some(1), "rejects make the exit code 1");
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
        ("unreadable", 1),
    ] {
        assert_eq!(by[k], n, "{k} in {by}");
    }
    assert_eq!(stats(db.to_str().unwrap())["rejected"], 7);
}

#[test]
fn exports_in_every_format() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("m.db");
    let db = db.to_str().unwrap();
    let out = marsad(&[
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
    let out = marsad(&["export", "--format", "csv", "--db", db]);
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("event_id,event_date"));
    let out = marsad(&["export", "--format", "geojson", "--db", db]);
    let g: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(g["type"], "FeatureCollection");
    let out = marsad(&["export", "--format", "jsonl", "--db", db]);
    assert!(out.status.success());
    let pq = dir.path().join("e.parquet");
    let out = marsad(&[
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
    let out = marsad(&["export", "--format", "parquet", "--db", db]);
    assert!(!out.status.success(), "parquet needs --out");
}

#[test]
fn queries_on_a_missing_database_say_so() {
    let out = marsad(&["stats", "--db", "/nonexistent/m.db"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("no such database"));
}
