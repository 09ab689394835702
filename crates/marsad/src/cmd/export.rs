//! `marsad export --format jsonl|csv|acled|geojson|parquet`: events streamed out of the store
//! (the writers are `marsad-export`'s) to a file or standard output, with flat memory. A file is
//! written whole or not at all.

use super::query::Filters;
use crate::files::{open_any, write_atomic_with, write_dir_atomic, Db, DEFAULT_DB};
use anyhow::{bail, Result};
use clap::builder::TypedValueParser;
use marsad_export::{export, Options, Summary, ROW_GROUP_SIZE};
use marsad_store::EventFilter;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

/// Export formats.
#[derive(clap::ValueEnum, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Full event records, one JSON object per line.
    Jsonl,
    /// marsad's ACLED-like columns with PLOVER and CAMEO codes.
    Csv,
    /// ACLED's columns under ACLED's names (events ACLED codes).
    Acled,
    /// A GeoJSON FeatureCollection of located events, flat properties.
    Geojson,
    /// Parquet with typed columns for the whole record.
    Parquet,
}

impl From<Format> for marsad_export::Format {
    fn from(f: Format) -> Self {
        match f {
            Format::Jsonl => Self::Jsonl,
            Format::Csv => Self::Csv,
            Format::Acled => Self::Acled,
            Format::Geojson => Self::Geojson,
            Format::Parquet => Self::Parquet,
        }
    }
}

/// What a partitioned export is partitioned by.
#[derive(clap::ValueEnum, Clone, Copy, PartialEq, Eq)]
pub enum Partition {
    /// The event's date (`date=YYYY-MM-DD`).
    Date,
}

/// Arguments of `marsad export`.
#[derive(clap::Args)]
pub struct Args {
    /// Output format.
    #[arg(long, value_enum)]
    format: Format,
    #[command(flatten)]
    filters: Filters,
    /// The database: a file, or a PostgreSQL URL (postgres://USER@HOST/DB).
    #[arg(long, default_value = DEFAULT_DB, env = "MARSAD_DB")]
    db: PathBuf,
    /// Output file; `-` or absent: standard output.
    #[arg(long, short)]
    out: Option<PathBuf>,
    /// Start CSV (csv, acled) with a UTF-8 byte-order mark, for Excel.
    #[arg(long)]
    bom: bool,
    /// Write Parquet as Hive-style partitions under the folder -o names:
    /// `date=YYYY-MM-DD/part-0.parquet`, events without a date under
    /// `date=__HIVE_DEFAULT_PARTITION__`; the folder appears whole or not at all.
    #[arg(long, value_enum, value_name = "BY")]
    partition: Option<Partition>,
    /// Parquet rows per row group.
    #[arg(long, default_value_t = ROW_GROUP_SIZE, value_parser = clap::value_parser!(u32).range(1..).map(|n| n as usize))]
    row_group_size: usize,
}

/// What was written, for standard error.
fn said(format: Format, s: &Summary) -> String {
    match format {
        Format::Geojson => format!(
            "{} events: {} features, {} without a place",
            s.events, s.rows, s.left_out
        ),
        Format::Acled => format!(
            "{} events: {} rows, {} not coded by ACLED or not counted (negated, future, …)",
            s.events, s.rows, s.left_out
        ),
        _ => format!("{} events written", s.rows),
    }
}

/// Runs `marsad export`.
pub fn run(a: Args) -> Result<ExitCode> {
    if a.partition.is_some() {
        if a.format != Format::Parquet {
            bail!("--partition writes Parquet only (--format parquet)");
        }
        let Some(dir) = a.out.as_ref().filter(|p| p.as_os_str() != "-") else {
            bail!("--partition writes a folder of files: name it with -o DIR");
        };
        let store = open_any(&a.db)?;
        let filter = a.filters.to_filter(0, 0)?;
        let opts = Options {
            format: marsad_export::Format::Parquet,
            bom: false,
            row_group_size: a.row_group_size,
        };
        let s = write_dir_atomic(dir, |tmp| {
            Ok(export_db_partitioned(&store, &filter, &opts, tmp)?)
        })?;
        eprintln!(
            "marsad: {} events written in {} files, {} date partitions, to {}",
            s.summary.rows,
            s.files,
            s.partitions,
            dir.display()
        );
        return Ok(ExitCode::SUCCESS);
    }
    let store = open_any(&a.db)?;
    let filter = a.filters.to_filter(0, 0)?;
    let opts = Options {
        format: a.format.into(),
        bom: a.bom,
        row_group_size: a.row_group_size,
    };
    match a.out.as_ref().filter(|p| p.as_os_str() != "-") {
        Some(p) => {
            let s = write_atomic_with(p, |w| Ok(export_db(&store, &filter, &opts, w)?))?;
            eprintln!("marsad: {} to {}", said(a.format, &s), p.display());
        }
        None => {
            let mut out = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout());
            let s = export_db(&store, &filter, &opts, &mut out)?;
            out.flush()?;
            eprintln!("marsad: {}", said(a.format, &s));
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Streams the events of either kind of database (see [`marsad_export::export`]).
fn export_db(
    db: &Db,
    filter: &EventFilter,
    opts: &Options,
    out: &mut (dyn Write + Send),
) -> marsad_export::Result<Summary> {
    match db {
        Db::Sqlite(s) => export(s, filter, opts, out),
        #[cfg(feature = "postgres")]
        Db::Postgres(s) => marsad_export::export_from(
            |each| s.each_event(filter, each),
            marsad_export::Texts::new(|id| s.document_text(id).ok().flatten()),
            opts,
            out,
        ),
    }
}

/// Streams the events of either kind of database into date partitions under `dir` (see
/// [`marsad_export::export_partitioned`]).
fn export_db_partitioned(
    db: &Db,
    filter: &EventFilter,
    opts: &Options,
    dir: &std::path::Path,
) -> marsad_export::Result<marsad_export::PartitionSummary> {
    match db {
        Db::Sqlite(s) => marsad_export::export_partitioned(
            |each| s.each_event(filter, each),
            marsad_export::Texts::from_store(s),
            opts,
            dir,
        ),
        #[cfg(feature = "postgres")]
        Db::Postgres(s) => marsad_export::export_partitioned(
            |each| s.each_event(filter, each),
            marsad_export::Texts::new(|id| s.document_text(id).ok().flatten()),
            opts,
            dir,
        ),
    }
}
