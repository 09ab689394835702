//! Errors of the named-entity crate.

/// What can go wrong loading or training a tagger.
#[derive(Debug, thiserror::Error)]
pub enum NerError {
    /// No model was compiled in (models/ner.bin is empty): run `marsad train ner`.
    #[error("no NER model is compiled in: run `marsad train ner` and rebuild")]
    NoModel,
    /// The model bytes are not a model of this version.
    #[error("bad NER model file: {0}")]
    BadModel(String),
    /// The word clusters are not a valid map.
    #[error("bad word clusters: {0}")]
    BadClusters(String),
    /// A data file (gazetteer, entity list) has a bad line.
    #[error("{file}:{line}: {msg}")]
    BadData {
        /// The file.
        file: String,
        /// The 1-based line.
        line: usize,
        /// What is wrong.
        msg: String,
    },
    /// Reading input failed.
    #[error(transparent)]
    Io(#[from] std::io::Error),
}
