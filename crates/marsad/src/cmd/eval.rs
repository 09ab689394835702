//! `marsad eval …`: score marsad against gold data.

use anyhow::Result;
use std::process::ExitCode;

/// What to evaluate.
#[derive(clap::Subcommand)]
pub enum Command {
    /// Named entities against a CoNLL gold file (exact spans, conlleval semantics).
    Ner(super::ner::EvalArgs),
    /// Geocoding against a JSONL gold file.
    Geo(super::geo::EvalArgs),
    /// Sentence-level event detection against the gold-standard CSV.
    Events(super::events::EvalArgs),
    /// The seed article against `../shared/seed/expected.json`.
    Seed(super::events::SeedArgs),
}

/// Runs `marsad eval …`.
pub fn run(cmd: Command) -> Result<ExitCode> {
    match cmd {
        Command::Ner(a) => super::ner::eval(a),
        Command::Geo(a) => super::geo::eval(a),
        Command::Events(a) => super::events::eval(a),
        Command::Seed(a) => super::events::seed(a),
    }
}
