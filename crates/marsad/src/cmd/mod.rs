//! One module per command (`marsad VERB`); `train`, `eval`, `bench` and `build` group their
//! subjects (`marsad train ner`).

pub mod annotate;
pub mod bench;
pub mod build;
pub mod eval;
pub mod export;
pub mod ingest;
pub mod migrate;
pub mod nermodel;
pub mod query;
pub mod serve;
pub mod tag;
pub mod train;
pub mod watch;
pub mod worker;
