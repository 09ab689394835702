//! The `marsad` command line: annotate, train, evaluate and build the artifacts.

mod cmd;
mod serve;

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
    /// Export events as JSONL, CSV, GeoJSON or Parquet.
    Export(cmd::export::Args),
    /// Serve the JSON API and the dashboard (map, timeline, evidence) from a database.
    Serve(serve::Args),
    /// Train a model or build a lexicon from the shared data.
    #[command(subcommand)]
    Train(Box<cmd::train::Command>),
    /// Evaluate against gold data.
    #[command(subcommand)]
    Eval(cmd::eval::Command),
    /// Named-entity tools.
    #[command(subcommand)]
    Ner(cmd::ner::Command),
    /// Gazetteer tools.
    #[command(subcommand)]
    Gazetteer(cmd::geo::Command),
    /// Single-thread throughput benchmarks over real articles.
    #[command(subcommand)]
    Bench(cmd::bench::Command),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Annotate(a) => cmd::annotate::run(a),
        Command::Ingest(a) => cmd::ingest::run(a),
        Command::Search(a) => cmd::query::search(a),
        Command::Events(a) => cmd::query::events(a),
        Command::Stats(a) => cmd::query::stats(a),
        Command::Export(a) => cmd::export::run(a),
        Command::Serve(a) => serve::run(a),
        Command::Train(c) => cmd::train::run(*c),
        Command::Eval(c) => cmd::eval::run(c),
        Command::Ner(c) => cmd::ner::run(c),
        Command::Gazetteer(c) => cmd::geo::run(c),
        Command::Bench(c) => cmd::bench::run(c),
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
    })
}
