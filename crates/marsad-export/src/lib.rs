//! Export writers: stored events as full JSON lines, ACLED-like CSV, ACLED's own columns, GeoJSON
//! and Parquet, for pandas, DuckDB, Spark, GIS tools and spreadsheets. `marsad export` and the
//! API's `/api/v1/exports/{format}` both write through here.
//!
//! Every format is a [`RowWriter`]: events go in one at a time and rows come out as they arrive,
//! so [`export`] streams a whole store through one SQL cursor with flat memory. The `*_bytes`
//! helpers run the same writers over a slice, for callers that already hold the events.
#![deny(missing_docs)]

mod acled;
mod cells;
mod csv;
mod geojson;
mod names;
mod parquet;
mod partition;

pub use crate::acled::{acled_bytes, inter_code, AcledWriter, ACLED_COLUMNS};
pub use crate::csv::{csv_bytes_from, csv_bytes_with, CsvWriter, CSV_COLUMNS};
pub use crate::geojson::{feature, geojson, GeoJsonWriter};
pub use crate::names::Names;
pub use crate::parquet::{parquet_bytes, parquet_schema, ParquetWriter, ROW_GROUP_SIZE};
pub use crate::partition::{export_partitioned, partition_of, PartitionSummary, NO_DATE};

use marsad_record::Event;
use marsad_store::{EventFilter, SqliteStore, Store, StoreError, StoredEvent};
use std::io::Write;

/// An export that could not be written.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// Reading the store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// Writing the output failed.
    #[error("write: {0}")]
    Io(#[from] std::io::Error),
    /// Writing JSON failed.
    #[error("JSON: {0}")]
    Json(#[from] serde_json::Error),
    /// Building the Arrow columns failed.
    #[error("Arrow: {0}")]
    Arrow(#[from] arrow_schema::ArrowError),
    /// Writing Parquet failed.
    #[error("Parquet: {0}")]
    Parquet(#[from] ::parquet::errors::ParquetError),
}

/// What the export functions return.
pub type Result<T> = std::result::Result<T, ExportError>;

/// Export formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Full event records, one JSON object per line.
    Jsonl,
    /// marsad's own columns, ACLED-like, with PLOVER and CAMEO codes.
    Csv,
    /// ACLED's columns under ACLED's names (events ACLED codes).
    Acled,
    /// A GeoJSON FeatureCollection of located events, flat properties.
    Geojson,
    /// Parquet with typed columns for the whole record.
    Parquet,
}

/// How to write an export.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// The format.
    pub format: Format,
    /// Start CSV with a UTF-8 byte-order mark, so that Excel reads it as UTF-8.
    pub bom: bool,
    /// Parquet rows per row group.
    pub row_group_size: usize,
}

impl Options {
    /// Defaults for `format`: no BOM, [`ROW_GROUP_SIZE`] rows per Parquet row group.
    pub fn new(format: Format) -> Self {
        Options {
            format,
            bom: false,
            row_group_size: ROW_GROUP_SIZE,
        }
    }
}

/// What an export wrote.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Summary {
    /// Events read from the store.
    pub events: u64,
    /// Rows (lines, features) written.
    pub rows: u64,
    /// Events left out: without a place (GeoJSON), or not coded by ACLED (ACLED).
    pub left_out: u64,
}

/// Reads a document's text by its id.
type Fetch<'a> = Box<dyn FnMut(&str) -> Option<String> + 'a>;

/// The article texts behind events, for quoting evidence: the last document is kept, so that
/// consecutive events of one article read it once.
pub struct Texts<'a> {
    fetch: Fetch<'a>,
    last: Option<(String, Option<String>)>,
}

impl<'a> Texts<'a> {
    /// Texts read by `fetch` (document id → text).
    pub fn new(fetch: impl FnMut(&str) -> Option<String> + 'a) -> Self {
        Texts {
            fetch: Box::new(fetch),
            last: None,
        }
    }

    /// Texts read from `store`.
    pub fn from_store(store: &'a SqliteStore) -> Self {
        Texts::new(move |id| store.document_text(id).ok().flatten())
    }

    /// No texts: evidence falls back to the trigger.
    pub fn none() -> Texts<'static> {
        Texts::new(|_| None)
    }

    /// The text of document `id`.
    fn get(&mut self, id: &str) -> Option<&str> {
        if self.last.as_ref().is_none_or(|(d, _)| d != id) {
            let t = (self.fetch)(id);
            self.last = Some((id.to_string(), t));
        }
        self.last.as_ref().and_then(|(_, t)| t.as_deref())
    }

    /// The words behind an event: the evidence passage quoted from its article when the text
    /// is known, else the trigger.
    pub fn evidence(&mut self, r: &Event) -> String {
        self.get(&r.doc_id)
            .and_then(|text| r.evidence.span.get(text))
            .map_or_else(|| r.trigger.text.clone(), str::to_string)
    }
}

/// The outlets that report an event, each once, `; `-separated (ACLED's `source`), from the
/// record's provenance `sources`.
pub fn outlet(r: &Event) -> Option<String> {
    let mut seen: Vec<&str> = Vec::new();
    for o in r.sources.iter().filter_map(|s| s.outlet.as_deref()) {
        if !seen.contains(&o) {
            seen.push(o);
        }
    }
    (!seen.is_empty()).then(|| seen.join("; "))
}

/// The link to the first article that reported an event with a web address.
pub fn url(r: &Event) -> Option<String> {
    r.sources.iter().find_map(|s| s.url.clone())
}

/// The record's provenance as a JSON list: one `{doc_id, external_id, outlet, url, title,
/// published}` per article that reports the event.
pub fn sources_json(r: &Event) -> String {
    serde_json::to_string(&r.sources).unwrap_or_else(|_| "[]".into())
}

/// One export format's writer: events go in one at a time, rows come out as they arrive.
pub trait RowWriter {
    /// Writes one event; whether it became a row (GeoJSON leaves out events without a place,
    /// ACLED those it does not code).
    fn row(&mut self, e: &StoredEvent, texts: &mut Texts<'_>) -> Result<bool>;
    /// Writes what closes the file and flushes it.
    fn finish(self: Box<Self>) -> Result<()>;
}

/// The writer of `opts.format` over `out`.
pub fn writer<'w, W: Write + Send + 'w>(opts: &Options, out: W) -> Result<Box<dyn RowWriter + 'w>> {
    Ok(match opts.format {
        Format::Jsonl => Box::new(JsonlWriter { out }),
        Format::Csv => Box::new(CsvWriter::new(out, opts.bom)?),
        Format::Acled => Box::new(AcledWriter::new(out, opts.bom, Names::builtin())?),
        Format::Geojson => Box::new(GeoJsonWriter::new(out)?),
        Format::Parquet => Box::new(ParquetWriter::new(out, opts.row_group_size)?),
    })
}

/// Streams every event matching `filter` (limit and offset ignored) from `store` to `out` in
/// `opts.format`, reading the store through one cursor: memory stays flat at any store size.
pub fn export(
    store: &SqliteStore,
    filter: &EventFilter,
    opts: &Options,
    out: &mut (dyn Write + Send),
) -> Result<Summary> {
    export_from(
        |each| store.each_event(filter, each),
        Texts::from_store(store),
        opts,
        out,
    )
}

/// Streams the events `read` gives (it calls `each` with every one, in order, and returns how
/// many it read) to `out` in `opts.format`, quoting evidence from `texts`: any store's cursor.
pub fn export_from(
    read: impl FnOnce(&mut dyn FnMut(StoredEvent) -> Result<()>) -> Result<u64>,
    mut texts: Texts<'_>,
    opts: &Options,
    out: &mut (dyn Write + Send),
) -> Result<Summary> {
    let mut w = writer(opts, out)?;
    let mut s = Summary::default();
    let (mut rows, mut left_out) = (0, 0);
    s.events = read(&mut |e| -> Result<()> {
        if w.row(&e, &mut texts)? {
            rows += 1;
        } else {
            left_out += 1;
        }
        Ok(())
    })?;
    (s.rows, s.left_out) = (rows, left_out);
    w.finish()?;
    Ok(s)
}

/// Writes `events` in `opts.format` into memory, with article texts from `texts`.
pub fn to_bytes(opts: &Options, events: &[StoredEvent], texts: &mut Texts<'_>) -> Result<Vec<u8>> {
    let mut buf = Vec::new();
    let mut w = writer(opts, &mut buf)?;
    for e in events {
        w.row(e, texts)?;
    }
    w.finish()?;
    Ok(buf)
}

/// All events matching `filter` (its limit and offset are ignored), page by page.
pub fn collect(store: &dyn Store, filter: &EventFilter) -> Result<Vec<StoredEvent>> {
    let mut all = Vec::new();
    let page = 5000;
    loop {
        let got = store.events(&EventFilter {
            limit: page,
            offset: all.len(),
            ..filter.clone()
        })?;
        let n = got.len();
        all.extend(got);
        if n < page {
            return Ok(all);
        }
    }
}

/// An event record with its mention count, as exports and the API write it.
#[derive(serde::Serialize)]
pub struct WithMentions<'a> {
    /// The record.
    #[serde(flatten)]
    pub record: &'a Event,
    /// Articles that report it.
    pub mentions: u64,
}

impl<'a> From<&'a StoredEvent> for WithMentions<'a> {
    fn from(e: &'a StoredEvent) -> Self {
        WithMentions {
            record: &e.record,
            mentions: e.mentions,
        }
    }
}

/// Full records as JSON lines.
struct JsonlWriter<W: Write> {
    out: W,
}

impl<W: Write> RowWriter for JsonlWriter<W> {
    fn row(&mut self, e: &StoredEvent, _: &mut Texts<'_>) -> Result<bool> {
        serde_json::to_writer(&mut self.out, &WithMentions::from(e))?;
        self.out.write_all(b"\n")?;
        Ok(true)
    }

    fn finish(mut self: Box<Self>) -> Result<()> {
        Ok(self.out.flush()?)
    }
}

/// Full records as JSON lines.
pub fn jsonl(events: &[StoredEvent]) -> Result<Vec<u8>> {
    to_bytes(&Options::new(Format::Jsonl), events, &mut Texts::none())
}

#[cfg(test)]
pub(crate) mod tests;
