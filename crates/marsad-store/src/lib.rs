//! The store of marsad: documents, their annotations, events with their mentions across articles,
//! story clusters of near-duplicate articles, rejects, and full-text search over normalized text.
//!
//! One trait, [`Store`], is the boundary; [`SqliteStore`] is the embedded default (one file, WAL
//! mode, versioned migrations). A PostgreSQL backend can implement the same trait.
//!
//! ```
//! use marsad_store::{NewDocument, SqliteStore, Store};
//! let mut store = SqliteStore::open_in_memory().unwrap();
//! let doc = NewDocument::from_text("d1", "أعلن الجيش انشقاق عشرات المقاتلين");
//! let summary = store.write_batch(&[doc]).unwrap();
//! assert_eq!(summary.stored, 1);
//! // clitic- and spelling-insensitive search: بالإنشقاق finds انشقاق
//! assert_eq!(store.search("بالإنشقاق", 10, 0).unwrap().len(), 1);
//! ```
#![deny(missing_docs)]

mod aggregate;
mod browse;
pub mod dedup;
pub mod indicators;
mod merge;
#[cfg(feature = "postgres")]
mod postgres;
mod postgres_url;
mod reader;
pub mod search;
mod sqlite;
#[cfg(feature = "testing")]
pub mod testing;
pub mod watch;

pub use aggregate::{AggregateRow, Group};
pub use browse::{Browse, Bucket, EntityCount, Facet, Interval, MapPoint, PlaceCount, Scope};
#[cfg(feature = "postgres")]
pub use postgres::{Claimed, ClaimedItem, PgStore, Phase, QueueCounts, QueuedItem};
pub use postgres_url::{is_postgres_url, redact_url};
pub use reader::Reader;
pub use search::SearchQuery;
pub use sqlite::SqliteStore;
pub use watch::{AlertRow, SourceState};

use marsad_record::{Entity, Event, Place};
use serde::Serialize;

/// Errors of the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database failed.
    #[error("database: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// A stored record could not be read back.
    #[error("stored JSON: {0}")]
    Json(#[from] serde_json::Error),
    /// A stored value is not one the record allows.
    #[error("stored {what}: {value:?} is not a known value")]
    Value {
        /// Which column.
        what: &'static str,
        /// What was found.
        value: String,
    },
    /// The database was written by a newer marsad.
    #[error("database schema version {found} is newer than this marsad knows ({known})")]
    TooNew {
        /// Version found in the file.
        found: i64,
        /// Latest version this build knows.
        known: i64,
    },
    /// A read-only open found no marsad schema in the file.
    #[error(
        "no marsad schema in the file (an empty or foreign database, or one still being created)"
    )]
    NoSchema,
    /// PostgreSQL failed.
    #[cfg(feature = "postgres")]
    #[error("postgres: {}", pg_message(.0))]
    Postgres(#[from] tokio_postgres::Error),
    /// No PostgreSQL connection could be had from the pool.
    #[cfg(feature = "postgres")]
    #[error("postgres connection: {0}")]
    Pool(#[from] deadpool_postgres::PoolError),
    /// A database address or setting that cannot be used.
    #[error("database address: {0}")]
    Config(String),
    /// The store's runtime could not start.
    #[error("cannot start the store's runtime: {0}")]
    Runtime(std::io::Error),
    /// A stored compressed text could not be read back.
    #[error("stored text: {0}")]
    Text(std::io::Error),
    /// What this backend does not offer (yet).
    #[error("{0}")]
    Unsupported(&'static str),
}

/// A PostgreSQL error with the server's own message (the driver's alone says "db error").
#[cfg(feature = "postgres")]
fn pg_message(e: &tokio_postgres::Error) -> String {
    match e.as_db_error() {
        Some(d) => format!("{e}: {}", d.message()),
        None => e.to_string(),
    }
}

/// Why a write found no room ([`StoreError::no_room`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoRoom {
    /// SQLite's "database or disk is full" (ENOSPC, or a write cut short by a file size limit).
    Full,
    /// The system refused a write or a resize of the file (EFBIG under a file size limit, EIO).
    WriteRefused,
}

impl StoreError {
    /// Whether a write failed for want of room, and how; `None` for every other error. SQLite
    /// rolls the transaction back in both cases: nothing of it is kept.
    pub fn no_room(&self) -> Option<NoRoom> {
        use rusqlite::ffi;
        let StoreError::Sqlite(rusqlite::Error::SqliteFailure(e, _)) = self else {
            return None;
        };
        match e.code {
            rusqlite::ErrorCode::DiskFull => Some(NoRoom::Full),
            rusqlite::ErrorCode::SystemIoFailure
                if matches!(
                    e.extended_code,
                    ffi::SQLITE_IOERR_WRITE
                        | ffi::SQLITE_IOERR_TRUNCATE
                        | ffi::SQLITE_IOERR_FSYNC
                        | ffi::SQLITE_IOERR_SHMSIZE
                ) =>
            {
                Some(NoRoom::WriteRefused)
            }
            _ => None,
        }
    }
}

/// A document ready to store: its text, what the pipeline found, and its search terms.
#[derive(Debug, Clone, Default)]
pub struct NewDocument {
    /// Content id (hash of the normalized text).
    pub id: String,
    /// Where it was read from (path, feed, line): kept for the operator, never shown.
    pub source: Option<String>,
    /// The caller's id for it (the input's `id`).
    pub external_id: Option<String>,
    /// The outlet that published it.
    pub outlet: Option<String>,
    /// Its web address (never a local path).
    pub url: Option<String>,
    /// Headline.
    pub title: Option<String>,
    /// Publication date (YYYY-MM-DD).
    pub date: Option<String>,
    /// The original text.
    pub text: String,
    /// Space-joined clitic-free matching keys of its words (see [`search_terms`]).
    pub search_text: String,
    /// SimHash of its word shingles (see [`dedup::simhash`]).
    pub simhash: u64,
    /// Entity mentions.
    pub entities: Vec<Entity>,
    /// Place mentions.
    pub places: Vec<Place>,
    /// Event records.
    pub events: Vec<Event>,
}

impl NewDocument {
    /// A document with only text (search terms and SimHash computed from it).
    pub fn from_text(id: &str, text: &str) -> Self {
        let analysis = marsad_text::analyze(text);
        NewDocument {
            id: id.to_string(),
            text: text.to_string(),
            search_text: search_terms(&analysis),
            simhash: dedup::simhash_tokens(&analysis.tokens),
            ..Default::default()
        }
    }
}

/// Whether `s` is exactly a zero-padded `YYYY-MM-DD` calendar date (dates are compared as text).
pub fn is_iso_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b.iter().enumerate().all(|(i, c)| match i {
            4 | 7 => *c == b'-',
            _ => c.is_ascii_digit(),
        })
        && chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").is_ok()
}

/// A count or position as an SQL integer, saturating at `i64::MAX` (a cast wrapped to negative).
pub(crate) fn sql_count(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// The search terms of a document: the stems (clitics split off, matching keys) of its words and
/// numbers, space-joined, so that انشقاق finds الانشقاق and بالإنشقاق.
pub fn search_terms(analysis: &marsad_text::TextAnalysis) -> String {
    let mut out = String::with_capacity(analysis.tokens.len() * 6);
    for t in &analysis.tokens {
        if matches!(
            t.kind,
            marsad_text::TokenKind::Word
                | marsad_text::TokenKind::Latin
                | marsad_text::TokenKind::Number
                | marsad_text::TokenKind::Hashtag
        ) {
            let stem = t.stem.trim_start_matches('#');
            if !stem.is_empty() {
                if !out.is_empty() {
                    out.push(' ');
                }
                out.push_str(stem);
            }
        }
    }
    out
}

/// What one batch write did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct BatchSummary {
    /// Documents stored.
    pub stored: usize,
    /// Documents already in the store (same content id), not stored again.
    pub duplicates: usize,
    /// Stored documents that joined an existing story (near-duplicates).
    pub near_duplicates: usize,
    /// New events stored.
    pub events: usize,
    /// Event mentions merged into an event already stored.
    pub merged_mentions: usize,
}

/// Why an input was not stored: the class of [`Reject::reason`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RejectKind {
    /// A file or directory that cannot be opened or read.
    Unreadable,
    /// Larger than the size limit.
    TooLarge,
    /// A binary file, not text.
    Binary,
    /// Not valid UTF-8.
    NotUtf8,
    /// An HTML page with no readable article.
    BadHtml,
    /// An RSS/Atom feed that does not parse.
    BadFeed,
    /// A JSONL line that is not a JSON object.
    NotJson,
    /// A JSONL object without a string `text`.
    NoText,
    /// A JSONL object with a field of the wrong type.
    BadField,
    /// Empty text.
    Empty,
    /// Not Arabic (another script, or Persian or Urdu).
    NotArabic,
    /// Processing it failed inside marsad (a bug: a panic, caught); the batch went on.
    #[serde(rename = "internal_error")]
    Internal,
    /// Its annotation ran past the per-document time budget; the batch went on.
    TooSlow,
}

impl RejectKind {
    /// Every kind.
    pub const ALL: [RejectKind; 13] = [
        RejectKind::Unreadable,
        RejectKind::TooLarge,
        RejectKind::Binary,
        RejectKind::NotUtf8,
        RejectKind::BadHtml,
        RejectKind::BadFeed,
        RejectKind::NotJson,
        RejectKind::NoText,
        RejectKind::BadField,
        RejectKind::Empty,
        RejectKind::NotArabic,
        RejectKind::Internal,
        RejectKind::TooSlow,
    ];

    /// The name stored and printed (`not_json`, `too_large`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            RejectKind::Unreadable => "unreadable",
            RejectKind::TooLarge => "too_large",
            RejectKind::Binary => "binary",
            RejectKind::NotUtf8 => "not_utf8",
            RejectKind::BadHtml => "bad_html",
            RejectKind::BadFeed => "bad_feed",
            RejectKind::NotJson => "not_json",
            RejectKind::NoText => "no_text",
            RejectKind::BadField => "bad_field",
            RejectKind::Empty => "empty",
            RejectKind::NotArabic => "not_arabic",
            RejectKind::Internal => "internal_error",
            RejectKind::TooSlow => "too_slow",
        }
    }

    /// Parses a stored name.
    pub fn parse(s: &str) -> Option<Self> {
        RejectKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

impl std::fmt::Display for RejectKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An input that could not be stored, with the reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reject {
    /// The file (and line) it came from.
    pub source: String,
    /// Line number in a JSONL file, when it has one.
    pub line: Option<u64>,
    /// The class of the reason.
    pub kind: RejectKind,
    /// The full message.
    pub reason: String,
}

/// A search result.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SearchHit {
    /// Document id.
    pub id: String,
    /// Headline.
    pub title: Option<String>,
    /// Publication date.
    pub date: Option<String>,
    /// A passage with the matched words, from the original text.
    pub snippet: String,
    /// The matched words in `snippet`: byte spans `[start, end)` into it.
    pub marks: Vec<(usize, usize)>,
}

/// Filters for event queries; `None` means any.
#[derive(Debug, Clone, Default)]
pub struct EventFilter {
    /// PLOVER category (ASSAULT, PROTEST, …).
    pub event_type: Option<String>,
    /// A mode of the category (aerial, arrest, …).
    pub mode: Option<String>,
    /// ISO country code of the location.
    pub country: Option<String>,
    /// First-level admin area of the location.
    pub admin1: Option<String>,
    /// Actor or recipient name (Arabic as written, or English), matched as a substring.
    pub actor: Option<String>,
    /// Earliest event date (YYYY-MM-DD), inclusive.
    pub from: Option<String>,
    /// Latest event date (YYYY-MM-DD), inclusive.
    pub to: Option<String>,
    /// Text query over the articles the event was found in: blank is no filter, and one with no
    /// word to search (punctuation only) matches nothing.
    pub query: Option<String>,
    /// Bounding box `(min_lon, min_lat, max_lon, max_lat)`.
    pub bbox: Option<(f64, f64, f64, f64)>,
    /// Modality (`asserted`, `future`, …).
    pub modality: Option<String>,
    /// Location precision (`exact`, `near`, `admin1`, `country`, `region`).
    pub precision: Option<String>,
    /// Only events whose stored row changed at or after this instant (UTC, RFC 3339 with
    /// milliseconds: `2020-01-31T00:00:00.000Z`).
    pub updated_since: Option<String>,
    /// Only events the detector is at least this sure of (`confidence`, 0–1): a higher floor
    /// abstains on more events for higher precision.
    pub min_confidence: Option<f64>,
    /// Only events that count in aggregates (asserted, reported, claimed).
    pub factual_only: bool,
    /// Maximum number of events.
    pub limit: usize,
    /// Events to skip (pagination).
    pub offset: usize,
}

impl EventFilter {
    /// Checks that `from` and `to` are exactly `YYYY-MM-DD`; the message names the field and value.
    pub fn check_dates(&self) -> Result<(), String> {
        for (name, d) in [("from", &self.from), ("to", &self.to)] {
            match d {
                Some(d) if !is_iso_date(d) => {
                    return Err(format!(
                        "{name} {d:?} is not a YYYY-MM-DD date (zero-padded, e.g. 2020-01-31)"
                    ))
                }
                _ => {}
            }
        }
        Ok(())
    }
}

/// An event as stored: the record, with the number of articles that mention it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StoredEvent {
    /// The event record, as the events stage produced it for its first mention.
    pub record: Event,
    /// How many article mentions were merged into it.
    pub mentions: u64,
}

/// One article mention of an event.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Mention {
    /// The document.
    pub doc_id: String,
    /// The event record as found in that document.
    pub record: Event,
}

/// A stored document with everything found in it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StoredDocument {
    /// Content id.
    pub id: String,
    /// Where it was read from (a local path and line): for the operator only, never serialized.
    #[serde(skip_serializing)]
    pub source: Option<String>,
    /// The caller's id for it.
    pub external_id: Option<String>,
    /// The outlet that published it.
    pub outlet: Option<String>,
    /// Its web address.
    pub url: Option<String>,
    /// Headline.
    pub title: Option<String>,
    /// Publication date.
    pub date: Option<String>,
    /// The original text.
    pub text: String,
    /// Story cluster id.
    pub story: i64,
    /// Entity mentions.
    pub entities: Vec<Entity>,
    /// Place mentions.
    pub places: Vec<Place>,
    /// Event records found in this document.
    pub events: Vec<Event>,
}

/// Counts over the whole store.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Stats {
    /// Documents stored.
    pub documents: u64,
    /// Distinct events (after merging mentions across articles).
    pub events: u64,
    /// Story clusters (near-duplicate groups).
    pub stories: u64,
    /// Stored documents that are near-duplicates of an earlier one (documents − stories).
    pub duplicates: u64,
    /// Inputs rejected, with their reasons in the rejects table.
    pub rejected: u64,
    /// Event mentions (one per article and event).
    pub mentions: u64,
}

/// The storage boundary: the embedded SQLite store implements it; a PostgreSQL one can follow.
pub trait Store {
    /// Writes documents and everything found in them in one transaction: all or nothing.
    fn write_batch(&mut self, docs: &[NewDocument]) -> Result<BatchSummary, StoreError>;
    /// Records inputs that could not be stored (idempotent: the same reject twice is kept once).
    fn record_rejects(&mut self, rejects: &[Reject]) -> Result<(), StoreError>;
    /// Whether a document with this content id is stored.
    fn contains(&self, doc_id: &str) -> Result<bool, StoreError>;
    /// Full-text search over normalized, clitic-free terms; newest first.
    fn search(
        &self,
        query: &str,
        limit: usize,
        offset: usize,
    ) -> Result<Vec<SearchHit>, StoreError>;
    /// How many documents a search matches.
    fn search_count(&self, query: &str) -> Result<u64, StoreError>;
    /// Events matching a filter, newest first.
    fn events(&self, filter: &EventFilter) -> Result<Vec<StoredEvent>, StoreError>;
    /// One event by id, with its mentions.
    fn event(&self, id: &str) -> Result<Option<(StoredEvent, Vec<Mention>)>, StoreError>;
    /// One document by id, with its annotations.
    fn document(&self, id: &str) -> Result<Option<StoredDocument>, StoreError>;
    /// Counts over the store.
    fn stats(&self) -> Result<Stats, StoreError>;
    /// Rejected inputs, newest first.
    fn rejects(&self, limit: usize) -> Result<Vec<Reject>, StoreError>;
}

#[cfg(test)]
mod date_tests {
    use super::*;

    /// `2020-1-1` passed chrono's lenient parse and was then compared as text with stored dates.
    #[test]
    fn only_zero_padded_iso_dates_are_filters() {
        for ok in ["2020-01-01", "1999-12-31", "2024-02-29"] {
            assert!(is_iso_date(ok), "{ok}");
        }
        for bad in [
            "2020-1-1",
            "2020-01-1",
            " 2020-01-01",
            "2020-01-01T00:00",
            "2021-02-29",
            "2020/01/01",
            "+020-01-01",
            "٢٠٢٠-٠١-٠١",
            "",
        ] {
            assert!(!is_iso_date(bad), "{bad}");
        }
        let f = EventFilter {
            to: Some("2020-1-1".into()),
            ..Default::default()
        };
        let e = f.check_dates().unwrap_err();
        assert!(e.starts_with("to \"2020-1-1\""), "{e}");
    }
}
