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
use marsad_text::Span;
use serde::{Deserialize, Serialize};

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

/// A PLOVER event category.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Category {
    /// Agree to, promise or indicate willingness to cooperate.
    Agree,
    /// Meet, discuss, visit, negotiate.
    Consult,
    /// Praise, endorse, defend verbally.
    Support,
    /// Yield, ease restrictions, accede to demands.
    Concede,
    /// Material cooperation.
    Cooperate,
    /// Provide aid.
    Aid,
    /// Withdraw, release, disarm, ceasefire, resign.
    Retreat,
    /// Demand, ask, appeal.
    Request,
    /// Disapprove, investigate, allege.
    Accuse,
    /// Reject, refuse.
    Reject,
    /// Threaten.
    Threaten,
    /// Demonstrate, riot, strike, boycott, obstruct.
    Protest,
    /// Convict, expel, withdraw, discontinue; marsad's `defect`.
    Sanction,
    /// Mobilize troops, weapons, police, militia.
    Mobilize,
    /// Seize, restrict, arrest, deport, curfew…
    Coerce,
    /// Physical violence.
    Assault,
}

impl Category {
    /// All categories in PLOVER order.
    pub const ALL: [Category; 16] = [
        Category::Agree,
        Category::Consult,
        Category::Support,
        Category::Concede,
        Category::Cooperate,
        Category::Aid,
        Category::Retreat,
        Category::Request,
        Category::Accuse,
        Category::Reject,
        Category::Threaten,
        Category::Protest,
        Category::Sanction,
        Category::Mobilize,
        Category::Coerce,
        Category::Assault,
    ];

    /// The PLOVER name (`ASSAULT`).
    pub fn name(self) -> &'static str {
        match self {
            Category::Agree => "AGREE",
            Category::Consult => "CONSULT",
            Category::Support => "SUPPORT",
            Category::Concede => "CONCEDE",
            Category::Cooperate => "COOPERATE",
            Category::Aid => "AID",
            Category::Retreat => "RETREAT",
            Category::Request => "REQUEST",
            Category::Accuse => "ACCUSE",
            Category::Reject => "REJECT",
            Category::Threaten => "THREATEN",
            Category::Protest => "PROTEST",
            Category::Sanction => "SANCTION",
            Category::Mobilize => "MOBILIZE",
            Category::Coerce => "COERCE",
            Category::Assault => "ASSAULT",
        }
    }

    /// Parses a PLOVER name, case-insensitively.
    pub fn parse(s: &str) -> Option<Category> {
        Category::ALL
            .into_iter()
            .find(|c| c.name().eq_ignore_ascii_case(s.trim()))
    }
}

/// Whether and how the text says the event happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Modality {
    /// The text states it happened.
    Asserted,
    /// The text attributes it to a source.
    Reported,
    /// A party claims it (responsibility).
    Claimed,
    /// Someone denies it happened.
    Denied,
    /// The text says it did not happen.
    Negated,
    /// It is expected, planned or threatened.
    Future,
    /// A condition, question, fear or allegation.
    Hypothetical,
    /// A past happening recalled as background (منذ اغتيال…).
    Historical,
}

impl Modality {
    /// Whether the event counts in aggregate figures (asserted, reported or claimed).
    pub fn counts(self) -> bool {
        matches!(
            self,
            Modality::Asserted | Modality::Reported | Modality::Claimed
        )
    }
}

/// A participant (actor or recipient).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Participant {
    /// The words that name it.
    pub text: String,
    /// Their span in the original text.
    pub span: Span,
    /// The canonical entity, when the NER stage linked one.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub entity_id: Option<String>,
    /// English name, when known.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub name_en: Option<String>,
    /// ISO 3166-1 alpha-2 country, when known.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub country: Option<String>,
    /// Sector: military, police, government, rebels, militia, civilians, leaders, protesters…
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub role: Option<String>,
}

/// Where an event happened (or where a movement went).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Location {
    /// The place as written.
    pub text: String,
    /// Its span in the original text.
    pub span: Span,
    /// GeoNames id, when the gazetteer entry has one.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub geonameid: Option<u64>,
    /// English name.
    pub name_en: String,
    /// Arabic name.
    pub name_ar: String,
    /// ISO 3166-1 alpha-2 country.
    pub country: String,
    /// First-level admin area, when known.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub admin1: Option<String>,
    /// Latitude.
    pub lat: f64,
    /// Longitude.
    pub lon: f64,
    /// How precisely it locates the event.
    pub precision: marsad_geo::Precision,
}

pub use marsad_text::date::DatePrecision;

/// When an event happened.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventDate {
    /// The date (for coarser precisions, a day inside the period).
    pub value: NaiveDate,
    /// How precise it is.
    pub precision: DatePrecision,
    /// The words that give it, when the text does.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub text: Option<String>,
    /// Their span, when the text gives it.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub span: Option<Span>,
}

pub use marsad_text::number::Bound;

/// A count of people.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Count {
    /// How many.
    pub value: u64,
    /// Whether the text gives it as approximate (حوالي، نحو، العشرات).
    pub approximate: bool,
    /// Exact or a bound.
    pub bound: Bound,
}

/// The people counts of an event.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Counts {
    /// Killed.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub killed: Option<Count>,
    /// Injured.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub injured: Option<Count>,
    /// Arrested or detained.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub arrested: Option<Count>,
    /// Abducted.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub abducted: Option<Count>,
    /// Taking part (protesters, defectors).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub participants: Option<Count>,
}

impl Counts {
    /// Whether no count is known.
    pub fn is_empty(&self) -> bool {
        self.killed.is_none()
            && self.injured.is_none()
            && self.arrested.is_none()
            && self.abducted.is_none()
            && self.participants.is_none()
    }
}

/// Money an event involves (ransom, bribe, fine).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Money {
    /// The amount.
    pub amount: f64,
    /// ISO 4217 currency.
    pub currency: String,
    /// What the amount is for (`person`), when the text says.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub per: Option<String>,
    /// Exact or a bound.
    pub bound: Bound,
}

/// Who says so.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Attribution {
    /// The source as written.
    pub text: String,
    /// Its span.
    pub span: Span,
    /// media, officials, witnesses, residents, activists, party or unnamed_sources.
    pub kind: String,
}

/// The word or phrase that names the event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Trigger {
    /// As written.
    pub text: String,
    /// Its span.
    pub span: Span,
}

/// The passage that supports the record.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Evidence {
    /// The smallest passage that supports the record.
    pub span: Span,
    /// The sentence it is in.
    pub sentence: Span,
}

/// ACLED event type and sub-event type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Acled {
    /// ACLED event type.
    pub event_type: String,
    /// ACLED sub-event type.
    pub sub_event_type: String,
}

/// What the record carries beyond the common fields.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Extra {
    /// Triggers of other mentions merged into this event.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub mentions: Vec<Trigger>,
}

impl Extra {
    /// Whether there is nothing extra.
    pub fn is_empty(&self) -> bool {
        self.mentions.is_empty()
    }
}

/// One event record (`docs/event-record.md`). Absent fields are unknown.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    /// Stable id: xxh3 of document id, evidence span and type, as 16 hex digits.
    pub id: String,
    /// The document it came from.
    pub doc_id: String,
    /// PLOVER category.
    pub event_type: Category,
    /// PLOVER modes (and marsad extensions).
    pub mode: Vec<String>,
    /// PLOVER contexts.
    pub context: Vec<String>,
    /// Whether and how the text says it happened.
    pub modality: Modality,
    /// Participants who act.
    pub actors: Vec<Participant>,
    /// Participants acted upon.
    pub recipients: Vec<Participant>,
    /// Where it happened.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub location: Option<Location>,
    /// Where a movement went.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub destination: Option<Location>,
    /// When it happened.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub date: Option<EventDate>,
    /// People counts.
    #[serde(skip_serializing_if = "Counts::is_empty", default)]
    pub counts: Counts,
    /// Money involved.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub money: Option<Money>,
    /// Who says so.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub attribution: Option<Attribution>,
    /// The word that names it.
    pub trigger: Trigger,
    /// The supporting passage.
    pub evidence: Evidence,
    /// 0..1 from the extractor.
    pub confidence: f32,
    /// CAMEO code (crosswalk).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub cameo: Option<String>,
    /// ACLED types (crosswalk); absent where ACLED does not code such events.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub acled: Option<Acled>,
    /// Anything else.
    #[serde(skip_serializing_if = "Extra::is_empty", default)]
    pub extra: Extra,
}

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
