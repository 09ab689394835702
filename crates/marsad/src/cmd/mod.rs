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

/// Writing a file whole or not at all: the one path `ner` calls it through, so that `ner` does not
/// import `train` (which imports `ner`); the function lives in `train` for now.
pub use train::write_atomic;
