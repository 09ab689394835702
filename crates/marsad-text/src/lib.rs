//! The Arabic text layer of marsad.
//!
//! Everything here keeps byte spans `[start, end)` into the original UTF-8 text: normalization
//! produces a matching key for comparison but never changes the text it came from.
//!
//! ```
//! use marsad_text::{analyze, normalize::key};
//! let text = "هرب 15 من قيادات داعش فى الموصل.";
//! let a = analyze(text);
//! assert_eq!(key("فى"), key("في"));
//! assert_eq!(a.sentences.len(), 1);
//! let mosul = a.tokens.iter().find(|t| t.stem == "موصل").unwrap();
//! assert_eq!(&text[mosul.start..mosul.end], "الموصل");
//! assert_eq!(mosul.prefixes, vec!["ال"]);
//! ```
#![deny(missing_docs)]

pub mod clitic;
pub mod date;
pub mod fxhash;
pub mod normalize;
pub mod number;
pub mod sentence;
pub mod token;
pub mod words;

pub use token::{Token, TokenKind};

use serde::Serialize;

pub use marsad_record::Span;

/// The text layer's view of a document: tokens and sentences, each with spans into the text.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct TextAnalysis {
    /// Sentences in order; each span starts at its first token and ends after its last.
    pub sentences: Vec<Span>,
    /// Tokens in order; they never overlap.
    pub tokens: Vec<Token>,
}

impl TextAnalysis {
    /// Indices `[first, last)` of the tokens inside sentence `i`.
    pub fn sentence_tokens(&self, i: usize) -> std::ops::Range<usize> {
        let s = self.sentences[i];
        let first = self.tokens.partition_point(|t| t.start < s.start);
        let last = self.tokens.partition_point(|t| t.start < s.end);
        first..last
    }
}

/// Tokenizes, splits clitics and finds sentences in `text` with the built-in stem lexicon.
pub fn analyze(text: &str) -> TextAnalysis {
    let tokens = token::tokenize(text);
    let sentences = sentence::split(text, &tokens);
    TextAnalysis { sentences, tokens }
}

/// [`analyze`] into `out`, reusing its buffers (the tokens' strings too): for loops over many
/// documents, where it allocates almost nothing once `out` has grown.
///
/// ```
/// let mut a = marsad_text::TextAnalysis::default();
/// for doc in ["قتل 15 شخصا أمس.", "وصل الوفد إلى الموصل."] {
///     marsad_text::analyze_into(doc, &mut a);
///     assert_eq!(a, marsad_text::analyze(doc));
/// }
/// ```
pub fn analyze_into(text: &str, out: &mut TextAnalysis) {
    token::tokenize_into(text, clitic::Lexicon::shared(), &mut out.tokens);
    sentence::split_into(text, &out.tokens, &mut out.sentences);
}
