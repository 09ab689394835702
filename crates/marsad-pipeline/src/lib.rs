//! The pipeline of marsad: documents in (the input readers of [`input`] and [`sources`], the safe
//! directory walk and open of [`walk`]), every stage over one document ([`annotate`]: text →
//! entities → places → events, as plain functions; [`annotate_until`] with a deadline), and out
//! into a store ([`ingest`]). The CLI, `POST /api/v1/documents` and `marsad eval` share it;
//! [`gold`] reads the gold data `marsad eval` scores against.
//!
//! ```
//! use marsad_pipeline::{annotate, content_id, Doc, Models};
//! let models = Models::load().unwrap();
//! let text = "قصفت طائرات التحالف مواقع لداعش في الموصل أمس.";
//! let doc = Doc { id: content_id(text), text, date: None, title: None, url: None, outlet: None };
//! let ann = annotate(&models, &doc);
//! assert!(ann.places.iter().any(|p| p.name_en == "Mosul"));
//! assert!(ann.events.iter().any(|e| e.event_type.name() == "ASSAULT"));
//! ```
#![deny(missing_docs)]

pub mod gold;
pub mod html;
pub mod ingest;
pub mod input;
pub mod provenance;
#[cfg(feature = "postgres")]
pub mod queue;
pub mod sources;
pub mod walk;

use chrono::NaiveDate;
use marsad_text::{Span, TextAnalysis, Token};
use serde::Serialize;

/// A built-in model or data file does not load (each names itself).
#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    /// The clitic lexicon.
    #[error(transparent)]
    Lexicon(#[from] marsad_text::clitic::LexiconError),
    /// The NER model.
    #[error(transparent)]
    Ner(#[from] marsad_ner::NerError),
    /// The gazetteer.
    #[error(transparent)]
    Geo(#[from] marsad_geo::GeoError),
    /// The event lexicons, ontology or detector.
    #[error(transparent)]
    Events(#[from] marsad_events::Error),
}

/// Everything the stages load once and share read-only across threads.
pub struct Models {
    // STAGE-FIELDS: each stage adds its model here (ner, geo, events)
    /// The named-entity tagger (loaded once).
    pub ner: &'static marsad_ner::Tagger,
    /// The gazetteer (place names, loaded once).
    pub geo: &'static marsad_geo::Gazetteer,
    /// The event extractor (lexicons and ontology).
    pub events: &'static marsad_events::Extractor,
}

impl Models {
    /// Loads the built-in models.
    pub fn load() -> Result<Self, ModelError> {
        marsad_text::clitic::Lexicon::builtin()?;
        Ok(Models {
            // STAGE-LOAD: each stage loads its model here
            ner: marsad_ner::Tagger::builtin()?,
            geo: marsad_geo::Gazetteer::builtin()?,
            events: marsad_events::Extractor::builtin()?,
        })
    }
}

/// One document to annotate.
pub struct Doc<'a> {
    /// Its id (the caller's, or the content hash).
    pub id: String,
    /// The original text.
    pub text: &'a str,
    /// Publication date, for relative dates.
    pub date: Option<NaiveDate>,
    /// Headline, when known.
    pub title: Option<String>,
    /// Where it came from, when known.
    pub url: Option<String>,
    /// The outlet that published it, when known.
    pub outlet: Option<String>,
}

/// The content id of a text: a stable hash of its matching key, as 16 hex digits.
pub fn content_id(text: &str) -> String {
    let key = marsad_text::normalize::key(text);
    let norm: Vec<&str> = key.split_whitespace().collect();
    format!(
        "{:016x}",
        xxhash_rust::xxh3::xxh3_64(norm.join(" ").as_bytes())
    )
}

/// Parses a publication date: `YYYY-MM-DD` or an RFC 3339 timestamp.
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    NaiveDate::parse_from_str(s.get(..10).unwrap_or(s), "%Y-%m-%d").ok()
}

/// What every stage found in one document.
pub struct Annotated<'a> {
    /// The document.
    pub doc: &'a Doc<'a>,
    /// Tokens and sentences.
    pub text: TextAnalysis,
    /// Named-entity mentions.
    pub entities: Vec<marsad_ner::Entity>,
    /// Resolved place mentions.
    pub places: Vec<marsad_geo::Place>,
    /// Event records.
    pub events: Vec<marsad_events::Event>,
}

/// Time spent in each stage, summed over documents (`marsad bench pipeline`).
#[derive(Debug, Default, Clone, Copy)]
pub struct StageTimes {
    /// Tokens, clitics and sentences.
    pub text: std::time::Duration,
    /// Named entities.
    pub ner: std::time::Duration,
    /// Places.
    pub geo: std::time::Duration,
    /// Events.
    pub events: std::time::Duration,
}

/// Runs every stage over one document.
pub fn annotate<'a>(models: &Models, doc: &'a Doc<'a>) -> Annotated<'a> {
    annotate_timed(models, doc, &mut StageTimes::default())
}

/// How far the events stage goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventStage {
    /// The whole stage: candidates, the detector, background and one record per happening.
    Full,
    /// The rules' candidates alone (for error analysis: `marsad eval articles --candidates`).
    Candidates,
}

/// [`annotate`], adding the time of each stage to `times`.
pub fn annotate_timed<'a>(
    models: &Models,
    doc: &'a Doc<'a>,
    times: &mut StageTimes,
) -> Annotated<'a> {
    annotate_staged(models, doc, times, EventStage::Full)
}

/// [`annotate_timed`] with the events stage run as far as `stage`.
pub fn annotate_staged<'a>(
    models: &Models,
    doc: &'a Doc<'a>,
    times: &mut StageTimes,
    stage: EventStage,
) -> Annotated<'a> {
    match annotate_inner(models, doc, times, stage, None) {
        Ok(a) => a,
        Err(over) => unreachable!("no deadline, yet {over}"),
    }
}

/// A document whose annotation ran past its deadline ([`annotate_until`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("annotation ran past its time budget (stopped after the {stage} stage)")]
pub struct OverBudget {
    /// The last stage finished (`text`, `entities`, `places`, `events`).
    pub stage: &'static str,
}

/// [`annotate`] with a deadline, checked after each stage: a document still being annotated
/// when `deadline` has passed is given up ([`OverBudget`]) before the next stage starts. Every
/// stage is linear in the document's size (over-long sentences are split), so a document
/// overshoots its deadline by at most one stage; no thread is left running. `None`: no deadline.
pub fn annotate_until<'a>(
    models: &Models,
    doc: &'a Doc<'a>,
    deadline: Option<std::time::Instant>,
) -> Result<Annotated<'a>, OverBudget> {
    annotate_inner(
        models,
        doc,
        &mut StageTimes::default(),
        EventStage::Full,
        deadline,
    )
}

fn annotate_inner<'a>(
    models: &Models,
    doc: &'a Doc<'a>,
    times: &mut StageTimes,
    stage: EventStage,
    deadline: Option<std::time::Instant>,
) -> Result<Annotated<'a>, OverBudget> {
    let mut clock = std::time::Instant::now();
    let mut lap = |slot: &mut std::time::Duration, done: &'static str| {
        let now = std::time::Instant::now();
        *slot += now - clock;
        clock = now;
        match deadline {
            Some(d) if now >= d => Err(OverBudget { stage: done }),
            _ => Ok(()),
        }
    };
    let text = marsad_text::analyze(doc.text);
    lap(&mut times.text, "text")?;
    // STAGE ner: entities from the tagger
    let entities = models.ner.entities(doc.text, &text);
    lap(&mut times.ner, "entities")?;
    // STAGE geo: places from the gazetteer (entity spans, when the tagger ran, are hints)
    let hints: Vec<marsad_geo::Hint> = entities
        .iter()
        .map(|e: &marsad_ner::Entity| marsad_geo::Hint {
            start: e.start,
            end: e.end,
            kind: match e.kind {
                marsad_ner::EntityType::Loc => marsad_geo::HintKind::Loc,
                marsad_ner::EntityType::Org => marsad_geo::HintKind::Org,
                marsad_ner::EntityType::Per => marsad_geo::HintKind::Per,
                marsad_ner::EntityType::Misc => marsad_geo::HintKind::Misc,
            },
        })
        .collect();
    let places = models.geo.places(doc.text, &text, &hints);
    lap(&mut times.geo, "places")?;
    // STAGE events: events from triggers, entities and places
    let input = marsad_events::DocInput {
        id: &doc.id,
        text: doc.text,
        date: doc.date,
    };
    let events = match stage {
        EventStage::Full => models.events.extract(&input, &text, &entities, &places),
        EventStage::Candidates => models.events.candidates(&input, &text, &entities, &places),
    };
    // the last stage is done: its result is kept even past the deadline
    let _ = lap(&mut times.events, "events");
    Ok(Annotated {
        doc,
        text,
        entities,
        places,
        events,
    })
}

#[derive(Serialize)]
struct TokenOut<'a> {
    start: usize,
    end: usize,
    text: &'a str,
    norm: &'a str,
    prefixes: &'a [&'static str],
    stem: &'a str,
    suffixes: &'a [&'static str],
}

impl<'a> TokenOut<'a> {
    fn new(t: &'a Token, text: &'a str) -> Self {
        TokenOut {
            start: t.start,
            end: t.end,
            text: t.text(text),
            norm: &t.norm,
            prefixes: &t.prefixes,
            stem: &t.stem,
            suffixes: &t.suffixes,
        }
    }
}

#[derive(Serialize)]
struct Out<'a> {
    id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    date: Option<NaiveDate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    title: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    outlet: Option<&'a str>,
    sentences: &'a [Span],
    tokens: Vec<TokenOut<'a>>,
    entities: &'a [marsad_ner::Entity],
    places: &'a [marsad_geo::Place],
    events: &'a [marsad_events::Event],
}

impl Annotated<'_> {
    /// The JSON object `marsad annotate` prints, as one line.
    pub fn to_json(&self) -> String {
        let text = self.doc.text;
        let out = Out {
            id: &self.doc.id,
            date: self.doc.date,
            title: self.doc.title.as_deref(),
            url: self.doc.url.as_deref(),
            outlet: self.doc.outlet.as_deref(),
            sentences: &self.text.sentences,
            tokens: self
                .text
                .tokens
                .iter()
                .map(|t| TokenOut::new(t, text))
                .collect(),
            entities: &self.entities,
            places: &self.places,
            events: &self.events,
        };
        serde_json::to_string(&out).expect("annotation serializes")
    }
}
