//! One module per command family.

pub mod annotate;
pub mod bench;
pub mod eval;
pub mod events;
pub mod export;
pub mod geo;
pub mod ingest;
pub mod ner;
pub mod query;
pub mod train;
