//! Parquet in Hive-style date partitions: `date=YYYY-MM-DD/part-0.parquet` under one folder,
//! events without a date under `date=__HIVE_DEFAULT_PARTITION__`, which DuckDB
//! (`read_parquet('DIR/**/*.parquet', hive_partitioning = true)`), Spark and Trino read as a
//! table with a `date` column.
//!
//! Stores give events newest first, so the events of one date come one after another: one file
//! is open at a time and memory stays flat. A date met again after another (a store that does
//! not group them) gets a further part (`part-1.parquet`, …) rather than an error.

use crate::parquet::ParquetWriter;
use crate::{Options, Result, RowWriter, Summary, Texts};
use marsad_store::StoredEvent;
use std::collections::HashMap;
use std::fs::File;
use std::io::BufWriter;
use std::path::{Path, PathBuf};

/// The partition of events without a date (Hive's name for a null partition value).
pub const NO_DATE: &str = "__HIVE_DEFAULT_PARTITION__";

/// What a partitioned export wrote.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PartitionSummary {
    /// Events and rows, as for one file.
    pub summary: Summary,
    /// Partition folders written.
    pub partitions: u64,
    /// Parquet files written.
    pub files: u64,
}

/// The partition value of an event: its date, or [`NO_DATE`].
pub fn partition_of(e: &StoredEvent) -> String {
    match &e.record.date {
        Some(d) => d.value.format("%Y-%m-%d").to_string(),
        None => NO_DATE.to_string(),
    }
}

/// The file of one partition being written.
struct Open {
    key: String,
    w: Box<dyn RowWriter>,
}

/// Streams the events `read` gives into Parquet files under `dir` (which must exist and should
/// be empty), one folder per date; see [`crate::export_from`] for `read` and `texts`.
pub fn export_partitioned(
    read: impl FnOnce(&mut dyn FnMut(StoredEvent) -> Result<()>) -> Result<u64>,
    mut texts: Texts<'_>,
    opts: &Options,
    dir: &Path,
) -> Result<PartitionSummary> {
    let mut s = PartitionSummary::default();
    let mut parts: HashMap<String, u32> = HashMap::new();
    let mut open: Option<Open> = None;
    let mut rows = 0;
    let mut files = 0;
    let mut start = |key: &str| -> Result<Box<dyn RowWriter>> {
        let n = parts.entry(key.to_string()).or_insert(0);
        let folder: PathBuf = dir.join(format!("date={key}"));
        std::fs::create_dir_all(&folder)?;
        let file = File::create(folder.join(format!("part-{n}.parquet")))?;
        *n += 1;
        files += 1;
        Ok(Box::new(ParquetWriter::new(
            BufWriter::with_capacity(1 << 16, file),
            opts.row_group_size,
        )?))
    };
    s.summary.events = read(&mut |e| -> Result<()> {
        let key = partition_of(&e);
        if open.as_ref().is_none_or(|o| o.key != key) {
            if let Some(o) = open.take() {
                o.w.finish()?;
            }
            open = Some(Open {
                w: start(&key)?,
                key,
            });
        }
        if let Some(o) = open.as_mut() {
            if o.w.row(&e, &mut texts)? {
                rows += 1;
            }
        }
        Ok(())
    })?;
    if let Some(o) = open.take() {
        o.w.finish()?;
    }
    s.summary.rows = rows;
    s.files = files;
    s.partitions = parts.len() as u64;
    Ok(s)
}
