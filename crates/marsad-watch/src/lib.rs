//! marsad's watcher: follows RSS/Atom feeds and HTML pages on a schedule, ingests the items it
//! has not seen through the same pipeline and store as `marsad ingest`, and fires alert rules
//! over the events.
//!
//! Its state (each source's validators and failures, the items seen, the alerts sent) lives in
//! the store ([`marsad_store::watch`]), so a restart resumes where the last run stopped. A
//! source that fails is recorded with its error and retried later; it never stops the others.
//!
//! ```
//! let c = marsad_watch::Config::parse(r#"
//! [[source]]
//! url = "https://example.org/rss.xml"
//! every = "10m"
//!
//! [[rule]]
//! name = "nineveh"
//! type = "ASSAULT"
//! admin1 = "نينوى"
//! when = "count"
//! at_least = 3
//! within = "7d"
//! "#).unwrap();
//! assert_eq!(c.sources[0].every, std::time::Duration::from_secs(600));
//! assert_eq!(c.rules[0].name, "nineveh");
//! ```
#![deny(missing_docs)]

pub mod config;
pub mod deliver;
pub mod fetch;
pub mod robots;
pub mod rules;
mod watcher;

pub use config::{Config, Rule, Settings, Source};
pub use watcher::{PassSummary, SourceOutcome, Watcher};

/// Why the watcher cannot start or go on.
#[derive(Debug, thiserror::Error)]
pub enum WatchError {
    /// The configuration file cannot be read or is wrong.
    #[error("{path}: {message}")]
    Config {
        /// The file.
        path: String,
        /// What is wrong, and where.
        message: String,
    },
    /// The database failed.
    #[error("{path}: {source}")]
    Store {
        /// The database file.
        path: String,
        /// What the store said.
        #[source]
        source: marsad_store::StoreError,
    },
    /// Storing the new items failed (the batch was rolled back; a restart goes on from there).
    #[error(transparent)]
    Ingest(#[from] marsad_pipeline::ingest::IngestError),
}
