//! Regression tests for hostile input (issue 21), through the real binary: one poisonous file
//! must never abort, stall or empty a batch.

mod support;

use support::stats;

/// `<html><body>` + `<b><i>` × 100,000 + Arabic text (600 KB) overflowed the stack of the HTML
/// reader and aborted the whole ingest (rc 134): the files after it were never read.
#[test]
fn deeply_nested_html_does_not_abort_a_directory_ingest() {
    let dir = tempfile::tempdir().unwrap();
    let inp = dir.path().join("in");
    std::fs::create_dir(&inp).unwrap();
    let text = "قتل جندي في هجوم على حاجز عسكري قرب الموصل. ";
    let deep = format!(
        "<html><body>{}{}</body></html>",
        "<b><i>".repeat(100_000),
        text.repeat(20)
    );
    assert!(deep.len() > 600_000);
    // sorted first, so that the good file comes after it
    std::fs::write(inp.join("a-deep.html"), &deep).unwrap();
    std::fs::write(
        inp.join("b-good.txt"),
        "تظاهر المئات في بيروت احتجاجا على الغلاء وارتفاع الأسعار.",
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
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let sum: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(sum["stored"], 2, "both files stored: {sum}");
    assert_eq!(sum["rejected"], 0, "{sum}");
    let notes = sum["notes"].as_array().expect("a note on the deep page");
    assert_eq!(notes.len(), 1, "{sum}");
    let note = notes[0].as_str().unwrap();
    assert!(
        note.contains("a-deep.html") && note.contains("deeper than 256"),
        "{note}"
    );
    assert_eq!(stats(db.to_str().unwrap())["documents"], 2);
    // its text was read: a search finds it
    let out = support::run(&["search", "--json", "--db", db.to_str().unwrap(), "حاجز"]);
    assert!(out.status.success());
    assert_eq!(String::from_utf8_lossy(&out.stdout).lines().count(), 1);
}

/// The entities cache was keyed by `limit*1_000_000 + offset`: a client asking for
/// `?limit=1&offset=1000000` (an empty page) emptied `?limit=2` for everyone after it.
#[test]
fn an_empty_entities_page_does_not_poison_another_page_in_the_cache() {
    use support::server::{fresh_db, Server};
    let (_dir, db) = fresh_db();
    let srv = Server::start(&db, &[]);
    let far = srv.get("/api/v1/entities?limit=1&offset=1000000");
    assert_eq!(far.status, 200, "{}", far.text());
    assert_eq!(far.json()["entities"].as_array().unwrap().len(), 0);
    let two = srv.get("/api/v1/entities?limit=2");
    assert_eq!(two.status, 200, "{}", two.text());
    assert_eq!(two.json()["entities"].as_array().unwrap().len(), 2);
}

/// Whole-file rejects (no line) were recorded again by every rerun (3 → 5 → 7): the unique key
/// `(source, line, kind)` never matched a NULL line.
#[test]
fn rerunning_an_ingest_adds_no_rejects() {
    let dir = tempfile::tempdir().unwrap();
    let inp = dir.path().join("in");
    std::fs::create_dir(&inp).unwrap();
    std::fs::write(inp.join("binary.txt"), [0u8, 159, 146, 150, 0, 1, 2, 3]).unwrap();
    std::fs::write(inp.join("empty.txt"), "").unwrap();
    std::fs::write(
        inp.join("good.txt"),
        "تظاهر المئات في بيروت احتجاجا على الغلاء وارتفاع الأسعار.",
    )
    .unwrap();
    let db = dir.path().join("m.db");
    let db = db.to_str().unwrap();
    let mut counts = Vec::new();
    for _ in 0..3 {
        let out = support::run(&["ingest", "--quiet", "--db", db, inp.to_str().unwrap()]);
        // 1 says that some input was rejected
        assert!(
            matches!(out.status.code(), Some(0 | 1)),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        counts.push(stats(db)["rejected"].as_u64().unwrap());
    }
    assert_eq!(counts, [2, 2, 2]);
}

/// Symlinks pointing back up (`d/up -> ..`, `d/again -> ../d`) made the directory walk
/// exponential, a self-link read a file many times, and a FIFO named `x.txt` blocked forever.
#[cfg(unix)]
#[test]
fn a_directory_walk_follows_no_directory_links_and_skips_fifos() {
    use std::os::unix::fs::symlink;
    let dir = tempfile::tempdir().unwrap();
    let inp = dir.path().join("in");
    let d = inp.join("d");
    std::fs::create_dir_all(&d).unwrap();
    std::fs::write(
        d.join("good.txt"),
        "تظاهر المئات في بيروت احتجاجا على الغلاء وارتفاع الأسعار.",
    )
    .unwrap();
    symlink("..", d.join("up")).unwrap();
    symlink("../d", d.join("again")).unwrap();
    symlink(".", d.join("self")).unwrap();
    symlink("good.txt", d.join("link.txt")).unwrap();
    let fifo = inp.join("x.txt");
    let made_fifo = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .is_ok_and(|s| s.success());
    if !made_fifo {
        support::skip(
            "a_directory_walk_follows_no_directory_links_and_skips_fifos",
            "mkfifo is not here: the FIFO part is not tried",
        );
    }
    let db = dir.path().join("m.db");
    let mut child = support::marsad()
        .args(["ingest", "--quiet", "--json", "--db"])
        .arg(&db)
        .arg(&inp)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let start = std::time::Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > std::time::Duration::from_secs(60) {
            child.kill().unwrap();
            panic!("the ingest did not finish in 60 s");
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    let sum: serde_json::Value = serde_json::from_slice(&out.stdout).expect(&stderr);
    assert_eq!(sum["stored"], 1, "the good file once: {sum}");
    assert_eq!(stats(db.to_str().unwrap())["documents"], 1);
    if made_fifo {
        assert_eq!(out.status.code(), Some(1), "{stderr}");
        assert_eq!(sum["rejected"], 1, "the FIFO: {sum}");
        use marsad_store::Store;
        let store = marsad_store::SqliteStore::open_read_only(&db).unwrap();
        let rejects = store.rejects(10).unwrap();
        assert_eq!(rejects.len(), 1, "{rejects:?}");
        assert!(rejects[0].source.ends_with("x.txt"), "{rejects:?}");
        assert!(rejects[0].reason.contains("FIFO"), "{rejects:?}");
    } else {
        assert_eq!(out.status.code(), Some(0), "{stderr}");
    }
}
