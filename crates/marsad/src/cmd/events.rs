//! `marsad eval events`, `marsad eval seed`.

use anyhow::Result;
use std::process::ExitCode;

/// Arguments of `marsad eval events`.
#[derive(clap::Args)]
pub struct EvalArgs {}

/// Arguments of `marsad eval seed`.
#[derive(clap::Args)]
pub struct SeedArgs {}

/// Runs `marsad eval events`.
pub fn eval(_a: EvalArgs) -> Result<ExitCode> {
    anyhow::bail!("marsad eval events is not built yet")
}

/// Runs `marsad eval seed`.
pub fn seed(_a: SeedArgs) -> Result<ExitCode> {
    anyhow::bail!("marsad eval seed is not built yet")
}
