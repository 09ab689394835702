//! The same commands over PostgreSQL and SQLite, through the real binary: ingest the bundled
//! examples into both and compare what `stats`, `events`, `search` and `export` say; `migrate`
//! copies the SQLite store into a third database with the same result, and again adds nothing.
//! Skipped, with the reason, where no throwaway PostgreSQL server can start.

mod support;

use marsad_store::testing::PgCluster;
use support::{examples, marsad, stats, succeeds};

/// What a query command prints on standard output.
fn stdout(args: &[&str]) -> String {
    String::from_utf8(succeeds(marsad().args(args)).stdout).unwrap()
}

/// `events --json` for every event, as values (each record with its sources and mentions).
fn events(db: &str) -> Vec<serde_json::Value> {
    stdout(&[
        "events",
        "--json",
        "--all-modalities",
        "--limit",
        "1000",
        "--db",
        db,
    ])
    .lines()
    .map(|l| serde_json::from_str(l).unwrap())
    .collect()
}

#[test]
fn postgres_answers_as_sqlite_does() {
    let cluster = match PgCluster::start() {
        Ok(c) => c,
        Err(why) => return marsad_record::testing::skip("postgres_answers_as_sqlite_does", &why),
    };
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("m.db");
    let file = file.to_str().unwrap();
    let pg = cluster.fresh_db().unwrap();
    let ex = examples();
    let ex = ex.to_str().unwrap();
    for db in [file, pg.as_str()] {
        succeeds(marsad().args(["ingest", "--quiet", "--db", db, ex]));
    }
    let want = stats(file);
    assert_eq!(want["documents"], 6, "{want}");
    assert_eq!(stats(&pg), want);
    let sqlite_events = events(file);
    assert!(!sqlite_events.is_empty());
    assert_eq!(events(&pg), sqlite_events);
    // MARSAD_DB selects the database as --db does
    let out = succeeds(marsad().args(["stats", "--json"]).env("MARSAD_DB", &pg));
    assert_eq!(
        serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap(),
        want
    );
    for q in ["بالانشقاق", "الموصل"] {
        let args = |db: &str| stdout(&["search", "--json", "--db", db, q]);
        assert_eq!(args(&pg), args(file), "{q}");
    }
    let export = |db: &str| stdout(&["export", "--format", "csv", "--db", db]);
    assert_eq!(export(&pg), export(file));
    // a rerun adds nothing
    let out = succeeds(marsad().args(["ingest", "--quiet", "--json", "--db", &pg, ex]));
    let sum: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        (sum["stored"].as_u64(), sum["duplicates"].as_u64()),
        (Some(0), Some(6))
    );
    assert_eq!(stats(&pg), want);

    // migrate: the same store again, and a rerun changes nothing
    let copy = cluster.fresh_db().unwrap();
    for _ in 0..2 {
        succeeds(marsad().args(["migrate", "--quiet", "--from", file, "--to", &copy]));
        assert_eq!(stats(&copy), want);
        assert_eq!(events(&copy), sqlite_events);
    }
    // serve reads PostgreSQL (tests/serve_postgres.rs), but its watcher stays on SQLite, and
    // says so
    let out = marsad()
        .args(["serve", "--db", &pg, "--watch", "watch.toml"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("SQLite database only"), "{err}");
}
