//! The `marsad` command line: one verb per command (`annotate`, `ingest`, `search`, `events`,
//! `stats`, `export`, `serve`, `tag`, `train …`, `eval …`, `bench …`, `build …`). The work is
//! done by the library crates; this crate reads arguments and files, shows progress and prints.

mod cmd;
mod files;

use clap::{Parser, Subcommand};

/// mimalloc: the text layer allocates two small strings per token; glibc malloc costs a third of
/// its time (see `marsad bench text`).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
use std::process::ExitCode;

/// marsad: Arabic news to verifiable event data.
#[derive(Parser)]
#[command(name = "marsad", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Annotate a document (or JSONL documents) and print JSON with spans into the text.
    Annotate(cmd::annotate::Args),
    /// Read files and directories into the database: annotate, deduplicate, store.
    Ingest(cmd::ingest::Args),
    /// Full-text search over stored documents (normalized, clitic-insensitive).
    Search(cmd::query::SearchArgs),
    /// List stored events with filters.
    Events(cmd::query::EventsArgs),
    /// Counts over the database.
    Stats(cmd::query::StatsArgs),
    /// Export events as JSONL, CSV, ACLED-shaped CSV, GeoJSON or Parquet, streamed.
    Export(cmd::export::Args),
    /// Work the PostgreSQL ingest queue: claim batches, annotate them, write them; exits when
    /// the queue is empty (or, with --follow, keeps polling).
    Worker(cmd::worker::Args),
    /// Copy an embedded database into PostgreSQL (idempotent: a rerun adds what is missing).
    Migrate(cmd::migrate::Args),
    /// Serve the JSON API and the dashboard (map, timeline, evidence) from a database.
    Serve(cmd::serve::Args),
    /// Tag pre-tokenized text with the named-entity tagger (first column a token, blank lines
    /// between sentences).
    Tag(cmd::tag::TagArgs),
    /// Train a model from the shared data.
    #[command(subcommand)]
    Train(Box<cmd::train::Command>),
    /// Evaluate against gold data.
    #[command(subcommand)]
    Eval(cmd::eval::Command),
    /// Benchmarks over real articles: throughput, ingest, search and server latency.
    #[command(subcommand)]
    Bench(cmd::bench::Command),
    /// Build a compiled artifact (gazetteer, world outlines) from the shared data.
    #[command(subcommand)]
    Build(cmd::build::Command),
    /// Follow RSS/Atom feeds and pages, ingest what is new, and fire alert rules.
    Watch(cmd::watch::Args),
    /// List the alerts that fired, newest first.
    Alerts(cmd::watch::AlertsArgs),
}

/// Spellings of earlier releases, kept (hidden) for one release: `(old words, new words, a flag
/// the old spelling must carry, which the new one drops)`.
const RENAMED: &[(&[&str], &[&str], Option<&str>)] = &[
    (&["ner", "tag"], &["tag"], None),
    (&["gazetteer", "build"], &["build", "gazetteer"], None),
    (&["serve", "bench"], &["bench", "serve"], None),
    (&["serve", "outlines"], &["build", "outlines"], None),
    (&["eval", "events"], &["train", "detector"], Some("--train")),
];

/// The arguments with an old command spelling replaced by its new one, and a note to print.
fn renamed(args: Vec<String>) -> (Vec<String>, Option<String>) {
    for (old, new, flag) in RENAMED {
        let words = args.get(1..=old.len());
        if words.is_none_or(|w| w.iter().zip(old.iter()).any(|(a, b)| a != b)) {
            continue;
        }
        let rest = &args[1 + old.len()..];
        if flag.is_some_and(|f| !rest.iter().any(|a| a == f)) {
            continue;
        }
        let mut out = vec![args[0].clone()];
        out.extend(new.iter().map(|w| w.to_string()));
        out.extend(rest.iter().filter(|a| Some(a.as_str()) != *flag).cloned());
        let was = old.join(" ") + &flag.map(|f| format!(" {f}")).unwrap_or_default();
        let note = format!(
            "marsad: `marsad {was}` is now `marsad {}`; the old spelling goes in the next release",
            new.join(" ")
        );
        return (out, Some(note));
    }
    (args, None)
}

/// Past a file size limit (`ulimit -f`) the kernel sends SIGXFSZ, whose default action kills
/// the process without a word; ignored, the write fails with EFBIG instead, and the store's
/// error names the database and the limit.
#[cfg(unix)]
fn ignore_file_size_signal() {
    // SAFETY: called first thing in `main`, before any thread exists, so nothing races on the
    // signal disposition; SIG_IGN installs no handler code (so nothing has to be
    // async-signal-safe); SIGXFSZ is a valid signal number; the previous disposition it returns
    // is not a pointer we use.
    unsafe {
        libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
    }
}

fn main() -> ExitCode {
    #[cfg(unix)]
    ignore_file_size_signal();
    let (args, note) = renamed(std::env::args().collect());
    if let Some(n) = note {
        eprintln!("{n}");
    }
    let cli = Cli::parse_from(args);
    let result = match cli.command {
        Command::Annotate(a) => cmd::annotate::run(a),
        Command::Ingest(a) => cmd::ingest::run(a),
        Command::Search(a) => cmd::query::search(a),
        Command::Events(a) => cmd::query::events(a),
        Command::Stats(a) => cmd::query::stats(a),
        Command::Export(a) => cmd::export::run(a),
        Command::Migrate(a) => cmd::migrate::run(a),
        Command::Worker(a) => cmd::worker::run(a),
        Command::Serve(a) => cmd::serve::run(a),
        Command::Tag(a) => cmd::tag::tag(a),
        Command::Train(c) => cmd::train::run(*c),
        Command::Eval(c) => cmd::eval::run(c),
        Command::Bench(c) => cmd::bench::run(c),
        Command::Build(c) => cmd::build::run(c),
        Command::Watch(a) => cmd::watch::run(a),
        Command::Alerts(a) => cmd::watch::alerts(a),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            if is_broken_pipe(&e) {
                return ExitCode::SUCCESS;
            }
            eprintln!("marsad: error: {e:#}");
            ExitCode::from(2)
        }
    }
}

/// Whether the error is a closed stdout (`marsad … | head`), which is not a failure.
fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            || c.downcast_ref::<serde_json::Error>()
                .is_some_and(|j| j.io_error_kind() == Some(std::io::ErrorKind::BrokenPipe))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(s: &str) -> Vec<String> {
        s.split(' ').map(str::to_string).collect()
    }

    #[test]
    fn old_spellings_become_the_new_ones() {
        let (a, note) = renamed(args("marsad ner tag x.conll --format conll"));
        assert_eq!(a, args("marsad tag x.conll --format conll"));
        assert!(note.unwrap().contains("`marsad tag`"));
        let (a, _) = renamed(args(
            "marsad eval events --gsr g.csv --type ASSAULT --train --l2 0.3",
        ));
        assert_eq!(
            a,
            args("marsad train detector --gsr g.csv --type ASSAULT --l2 0.3")
        );
        let (a, _) = renamed(args("marsad gazetteer build --out g.bin"));
        assert_eq!(a, args("marsad build gazetteer --out g.bin"));
        let (a, _) = renamed(args("marsad serve outlines"));
        assert_eq!(a, args("marsad build outlines"));
        for same in [
            "marsad eval events --gsr g.csv --type ASSAULT",
            "marsad serve --db x.db",
            "marsad tag x.conll",
            "marsad",
        ] {
            let (a, note) = renamed(args(same));
            assert_eq!((a, note), (args(same), None), "{same}");
        }
        // every new spelling parses
        for new in [
            "marsad tag x.conll",
            "marsad train detector --gsr g.csv --type ASSAULT",
            "marsad build gazetteer",
            "marsad build outlines",
            "marsad bench serve --url http://127.0.0.1:1/",
        ] {
            assert!(Cli::try_parse_from(args(new)).is_ok(), "{new}");
        }
    }
}
