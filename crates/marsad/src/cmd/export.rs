//! `marsad export --format jsonl|csv|geojson|parquet`: events out of the store (the writers are
//! `marsad-export`'s). Files are written whole or not at all.

use super::query::Filters;
use crate::files::{open_db, write_atomic, DEFAULT_DB};
use anyhow::Result;
use marsad_export::{collect, csv_bytes_from, geojson, jsonl, parquet_bytes};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

/// Export formats.
#[derive(clap::ValueEnum, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Full event records, one JSON object per line.
    Jsonl,
    /// ACLED-like columns.
    Csv,
    /// A GeoJSON FeatureCollection of located events.
    Geojson,
    /// Parquet with a typed schema.
    Parquet,
}

/// Arguments of `marsad export`.
#[derive(clap::Args)]
pub struct Args {
    /// Output format.
    #[arg(long, value_enum)]
    format: Format,
    #[command(flatten)]
    filters: Filters,
    /// The database file.
    #[arg(long, default_value = DEFAULT_DB, env = "MARSAD_DB")]
    db: PathBuf,
    /// Output file (standard output when absent; required for parquet).
    #[arg(long, short)]
    out: Option<PathBuf>,
}

/// Runs `marsad export`.
pub fn run(a: Args) -> Result<ExitCode> {
    let store = open_db(&a.db)?;
    let events = collect(&store, &a.filters.to_filter(0, 0)?)?;
    let bytes = match a.format {
        Format::Jsonl => jsonl(&events)?,
        Format::Csv => csv_bytes_from(&store, &events)?,
        Format::Geojson => serde_json::to_vec(&geojson(&events))?,
        Format::Parquet => {
            anyhow::ensure!(a.out.is_some(), "--format parquet needs --out FILE");
            parquet_bytes(&events)?
        }
    };
    match &a.out {
        Some(p) => {
            write_atomic(p, &bytes)?;
            eprintln!("marsad: {} events written to {}", events.len(), p.display());
        }
        None => {
            let mut out = std::io::stdout().lock();
            out.write_all(&bytes)?;
            out.flush()?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
