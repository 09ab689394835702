//! What analysts asked of the command line (issue 20): unknown enum options are errors that list
//! the allowed values, ingest counts add up, `| head` is quiet, "0 events" is said, and the
//! README's example query prints events on the README's own example data.

use crate::support::{example, examples, marsad, succeeds};
use std::process::Stdio;

/// `events --type FOO` exited 0 with nothing; now exit 2 with the allowed values.
#[test]
fn unknown_enum_options_are_errors_listing_the_allowed_values() {
    let (_dir, db) = crate::support::server::fresh_db();
    let db = db.to_str().unwrap();
    for (opt, v, listed) in [
        ("--type", "FOO", "AGREE, CONSULT"),
        ("--country", "syria", "give SY"),
        ("--mode", "picnic", "aerial"),
    ] {
        let out = marsad()
            .args(["events", "--db", db, opt, v])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{opt} {v}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains(&format!("{opt} {v:?}")) && err.contains(listed),
            "{err}"
        );
        assert!(out.stdout.is_empty());
    }
    // known values in any case
    let out =
        succeeds(marsad().args(["events", "--db", db, "--type", "protest", "--country", "iq"]));
    assert_eq!(String::from_utf8_lossy(&out.stdout).lines().count(), 1);
}

/// A query that finds nothing says so (on stderr; stdout stays empty for pipes).
#[test]
fn an_empty_answer_says_0_events() {
    let (_dir, db) = crate::support::server::fresh_db();
    let out = succeeds(marsad().args([
        "events",
        "--db",
        db.to_str().unwrap(),
        "--from",
        "2030-01-01",
    ]));
    assert!(out.stdout.is_empty());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("0 events"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// `annotate --pretty … | head` failed with "Broken pipe": a reader that goes away ends the
/// output quietly, exit 0.
#[test]
fn a_closed_pipe_ends_annotate_quietly() {
    let mut child = marsad()
        .args(["annotate", "--pretty"])
        .arg(example("mosul-report.txt"))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // the reader closes before the first byte is written (the models take a moment to load)
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(!err.to_lowercase().contains("broken pipe"), "{err}");
}

/// "read 9999" for 10,000 lines: every input is stored, a duplicate or rejected, and the
/// summary's `inputs` is their sum.
#[test]
fn ingest_counts_add_up_to_the_inputs() {
    let dir = tempfile::tempdir().unwrap();
    let inp = dir.path().join("in.jsonl");
    let line = |id: &str, text: &str| serde_json::json!({"id": id, "text": text}).to_string();
    let lines = [
        line("a", "قتل ثلاثة أشخاص في انفجار سيارة مفخخة في بغداد أمس."),
        line("b", "تظاهر المئات في البصرة احتجاجا على انقطاع الكهرباء."),
        line("c", "قتل ثلاثة أشخاص في انفجار سيارة مفخخة في بغداد أمس."),
        "{not json".to_string(),
        line(
            "e",
            "The quick brown fox jumps over the lazy dog, in English.",
        ),
    ];
    std::fs::write(&inp, lines.join("\n") + "\n").unwrap();
    let db = dir.path().join("m.db");
    let out = marsad()
        .args(["ingest", "--quiet", "--json", "--db"])
        .arg(&db)
        .arg(&inp)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    let s: serde_json::Value = serde_json::from_slice(&out.stdout).expect(&err);
    let n = |k: &str| s[k].as_u64().unwrap();
    assert_eq!(n("inputs"), 5, "{s}");
    assert_eq!(
        n("stored") + n("duplicates") + n("rejected"),
        n("inputs"),
        "{s}"
    );
    assert!(n("rejected") >= 1, "{s}");
    // the text summary says the same sum
    let db2 = dir.path().join("m2.db");
    let out = marsad()
        .args(["ingest", "--quiet", "--db"])
        .arg(&db2)
        .arg(&inp)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    let want = format!(
        "5 inputs = {} stored + {} duplicates + {} rejected",
        n("stored"),
        n("duplicates"),
        n("rejected")
    );
    assert!(err.contains(&want), "{want}\n{err}");
}

/// The README's example query, run on the README's own example data (`ingest examples/`),
/// prints events.
#[test]
fn the_readme_events_example_prints_events_on_the_examples() {
    let readme = std::fs::read_to_string(examples().join("../README.md")).expect("README.md");
    let cmd = readme
        .lines()
        .find(|l| l.starts_with("marsad events "))
        .expect("a `marsad events` line in README.md");
    let args: Vec<&str> = cmd
        .split('#')
        .next()
        .unwrap()
        .split_whitespace()
        .skip(1)
        .collect();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("m.db");
    succeeds(
        marsad()
            .args(["ingest", "--quiet", "--db"])
            .arg(&db)
            .arg(examples()),
    );
    let out = succeeds(marsad().args(&args).arg("--db").arg(&db));
    let table = String::from_utf8_lossy(&out.stdout);
    assert!(
        table.lines().count() >= 1,
        "{cmd} printed nothing: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}
