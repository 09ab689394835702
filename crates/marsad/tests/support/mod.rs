//! The harness every integration test shares: running the real `marsad` binary, the bundled
//! examples, the shared data (skipped with a printed reason where it is missing), and — in
//! [`server`] — a hand-made database, a `marsad serve` process on loopback and an HTTP client.
#![allow(dead_code)]

pub mod server;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// A command that runs the binary under test.
pub fn marsad() -> Command {
    Command::new(env!("CARGO_BIN_EXE_marsad"))
}

/// Runs the binary with `args`, whatever its exit status.
pub fn run(args: &[&str]) -> Output {
    marsad().args(args).output().expect("marsad runs")
}

/// Runs the binary with `args` and `stdin` as its standard input.
pub fn run_with_stdin(args: &[&str], stdin: &[u8]) -> Output {
    let mut child = marsad()
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("marsad runs");
    child.stdin.take().unwrap().write_all(stdin).unwrap();
    child.wait_with_output().unwrap()
}

/// Runs a prepared command and checks that it exits normally (stderr in the message if not).
pub fn succeeds(cmd: &mut Command) -> Output {
    let out = cmd.output().expect("marsad runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// The folder of bundled example articles.
pub fn examples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples")
}

/// One bundled example article.
pub fn example(name: &str) -> PathBuf {
    examples().join(name)
}

/// `../shared/<rel>` beside the checkout, or `None` with a printed reason (a fresh clone has no
/// shared data; the test that asked should then return).
pub fn shared(test: &str, rel: &str) -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared")
        .join(rel);
    if p.exists() {
        Some(p)
    } else {
        skip(
            test,
            &format!("../shared/{rel} is not here (a fresh clone)"),
        );
        None
    }
}

pub use marsad_record::testing::skip;

/// `marsad stats --json` of a database.
pub fn stats(db: &str) -> serde_json::Value {
    let out = succeeds(marsad().args(["stats", "--json", "--db", db]));
    serde_json::from_slice(&out.stdout).unwrap()
}
