//! One module per command family.

pub mod annotate;
pub mod eval;
pub mod events;
pub mod geo;
pub mod ner;
pub mod train;
