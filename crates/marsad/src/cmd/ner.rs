//! `marsad train ner`, `marsad eval ner`, `marsad ner tag`.

use anyhow::Result;
use std::process::ExitCode;

/// `marsad ner …` subcommands.
#[derive(clap::Subcommand)]
pub enum Command {
    /// Tag pre-tokenized text (first column a token, blank lines between sentences).
    Tag(TagArgs),
}

/// Arguments of `marsad ner tag`.
#[derive(clap::Args)]
pub struct TagArgs {}

/// Arguments of `marsad train ner`.
#[derive(clap::Args)]
pub struct TrainArgs {}

/// Arguments of `marsad eval ner`.
#[derive(clap::Args)]
pub struct EvalArgs {}

/// Runs `marsad ner …`.
pub fn run(cmd: Command) -> Result<ExitCode> {
    match cmd {
        Command::Tag(a) => tag(a),
    }
}

/// Runs `marsad ner tag`.
pub fn tag(_a: TagArgs) -> Result<ExitCode> {
    anyhow::bail!("marsad ner tag is not built yet")
}

/// Runs `marsad train ner`.
pub fn train(_a: TrainArgs) -> Result<ExitCode> {
    anyhow::bail!("marsad train ner is not built yet")
}

/// Runs `marsad eval ner`.
pub fn eval(_a: EvalArgs) -> Result<ExitCode> {
    anyhow::bail!("marsad eval ner is not built yet")
}
