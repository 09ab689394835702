//! Event extraction for marsad: PLOVER event records from Arabic text, with participants, place,
//! date, counts, money, attribution and modality, each backed by evidence spans.
//!
//! The extractor works sentence by sentence: triggers from a reviewable lexicon
//! (`data/events/triggers.tsv`: verbs by stem, verbal nouns, phrases) become candidates; their
//! participants come from the entities of the NER stage and from role nouns
//! (`data/events/roles.tsv`), placed by Arabic cues (the subject after the verb, على يد for the
//! agent, ضد/على for the target, passive forms giving only the recipient); place, date, counts,
//! money, attribution and modality come from the clause, then the sentence, then the article.
//!
//! ```
//! use marsad_events::{extract, DocInput, Category, Modality};
//! let text = "وقال مصدر في الشرطة إن مسلحين اغتالوا ضابطا أمس.";
//! let doc = DocInput { id: "d1", text, date: None };
//! let events = extract(&doc, &marsad_text::analyze(text), &[], &[])?;
//! let e = &events[0];
//! assert_eq!(e.event_type, Category::Assault);
//! assert_eq!(e.mode, vec!["targeted".to_string()]);
//! assert_eq!(e.modality, Modality::Reported);
//! assert_eq!(e.actors[0].text, "مسلحين");
//! assert_eq!(e.recipients[0].text, "ضابطا");
//! # Ok::<(), marsad_events::Error>(())
//! ```
#![deny(missing_docs)]

pub mod detector;
mod extract;
pub mod lexicon;
pub mod ontology;

pub use extract::{fully_specified, Extractor};

use chrono::NaiveDate;

/// Errors from loading the event data files.
#[derive(Debug, Clone, thiserror::Error)]
pub enum Error {
    /// A TOML file did not parse.
    #[error("{file}: {source}")]
    Toml {
        /// Which file.
        file: &'static str,
        /// The parser's error.
        source: toml::de::Error,
    },
    /// A line of a TSV file is malformed.
    #[error("{file}:{line}: {msg}")]
    Line {
        /// Which file.
        file: &'static str,
        /// 1-based line number.
        line: usize,
        /// What is wrong.
        msg: String,
    },
}

/// One document as the extractor sees it.
#[derive(Debug, Clone, Copy)]
pub struct DocInput<'a> {
    /// The document id (content hash).
    pub id: &'a str,
    /// The original text.
    pub text: &'a str,
    /// Publication date, to resolve relative dates.
    pub date: Option<NaiveDate>,
}

pub use marsad_record::{
    Acled, Attribution, Bound, Category, Count, Counts, DateBasis, DatePrecision, Event, EventDate,
    EventMention, Evidence, Extra, Location, Modality, Money, Participant, Span, Trigger,
};

/// The stable id of an event: xxh3 of document id, evidence span and type.
pub fn event_id(doc_id: &str, evidence: Span, category: Category) -> String {
    let key = format!(
        "{doc_id}\u{1f}{}\u{1f}{}\u{1f}{}",
        evidence.start,
        evidence.end,
        category.name()
    );
    format!("{:016x}", xxhash_rust::xxh3::xxh3_64(key.as_bytes()))
}

/// Extracts events from one analysed document with the built-in extractor
/// ([`Extractor::builtin`]); an error if a built-in data file does not parse.
pub fn extract(
    doc: &DocInput,
    analysis: &marsad_text::TextAnalysis,
    entities: &[marsad_ner::Entity],
    places: &[marsad_geo::Place],
) -> Result<Vec<Event>, Error> {
    Ok(Extractor::builtin()?.extract(doc, analysis, entities, places))
}
