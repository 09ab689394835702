//! Errors of the named-entity crate.

/// An error from something the caller supplies: the news corpus of self-training, a lexicon
/// cache.
pub type BoxError = Box<dyn std::error::Error + Send + Sync>;

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
    /// Training settings out of range (the message names the `marsad train` option).
    #[error("{0}")]
    BadSettings(String),
    /// The caller's news corpus or lexicon cache failed.
    #[error(transparent)]
    External(BoxError),
    /// Reading input failed.
    #[error(transparent)]
    Io(#[from] std::io::Error),
}
