//! `marsad eval …`.

use anyhow::Result;
use std::process::ExitCode;

/// Subcommands.
#[derive(clap::Subcommand)]
pub enum Command {}

/// Runs the subcommand.
pub fn run(cmd: Command) -> Result<ExitCode> {
    match cmd {}
}
