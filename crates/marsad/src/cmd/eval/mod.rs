//! `marsad eval …`: score marsad against gold data.

mod articles;
mod events;
mod geo;
mod ner;
mod seed;

use anyhow::Result;
use std::process::ExitCode;

/// What to evaluate.
#[derive(clap::Subcommand)]
pub enum Command {
    /// Named entities against a CoNLL gold file (exact spans, conlleval semantics).
    Ner(ner::EvalArgs),
    /// Geocoding against a JSONL gold file.
    Geo(geo::EvalArgs),
    /// Sentence-level event detection against the gold-standard CSV.
    Events(events::EvalArgs),
    /// The seed article against `../shared/seed/expected.json`.
    Seed(seed::SeedArgs),
    /// Whole articles against the article-level event gold (one record per happening).
    Articles(articles::ArticlesArgs),
}

/// Runs `marsad eval …`.
pub fn run(cmd: Command) -> Result<ExitCode> {
    match cmd {
        Command::Ner(a) => ner::eval(a),
        Command::Geo(a) => geo::eval(a),
        Command::Events(a) => events::eval(a),
        Command::Seed(a) => seed::seed(a),
        Command::Articles(a) => articles::run(a),
    }
}
