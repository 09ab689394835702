//! `marsad gazetteer build`, `marsad eval geo`.

use anyhow::Result;
use std::process::ExitCode;

/// `marsad gazetteer …` subcommands.
#[derive(clap::Subcommand)]
pub enum Command {
    /// Compile the gazetteer artifact from GeoNames data and the project's alias file.
    Build(BuildArgs),
}

/// Arguments of `marsad gazetteer build`.
#[derive(clap::Args)]
pub struct BuildArgs {}

/// Arguments of `marsad eval geo`.
#[derive(clap::Args)]
pub struct EvalArgs {}

/// Runs `marsad gazetteer …`.
pub fn run(cmd: Command) -> Result<ExitCode> {
    match cmd {
        Command::Build(a) => build(a),
    }
}

/// Runs `marsad gazetteer build`.
pub fn build(_a: BuildArgs) -> Result<ExitCode> {
    anyhow::bail!("marsad gazetteer build is not built yet")
}

/// Runs `marsad eval geo`.
pub fn eval(_a: EvalArgs) -> Result<ExitCode> {
    anyhow::bail!("marsad eval geo is not built yet")
}
