//! The extractor: sentence by sentence, triggers → candidates → arguments, modality,
//! attribution, counts, money, place and date; then merging of mentions of one happening.
//!
//! One file per job: [`doc`] is the view over the tokens that every step reads, [`triggers`]
//! finds the words that name events, [`participants`] the phrases that name who takes part,
//! [`sentence`] turns a sentence's triggers into candidates, [`arguments`] picks each
//! candidate's actors and recipients, [`sources`] who reports it, [`clause`] its modality,
//! money, place and date, and [`merge`] joins the mentions of one happening. [`words`] reads
//! the word lists that linguists keep under `data/events/` (prepositions, noun hosts, quantity
//! words, relative pronouns).

mod agents;
mod arguments;
mod clause;
mod doc;
mod merge;
mod participants;
mod sentence;
mod sources;
#[cfg(test)]
mod tests;
mod triggers;
mod words;

use crate::detector::{self, Detector};
use crate::lexicon::Lexicon;
use crate::ontology::Ontology;
use crate::{
    event_id, Attribution, Category, Count, Counts, DocInput, Error, Event, EventDate, Evidence,
    Extra, Location, Modality, Money, Participant, Trigger,
};
use doc::Doc;
use marsad_text::number::Quantity;
use marsad_text::{Span, TextAnalysis};
use merge::merge;
use std::sync::OnceLock;
use words::Words;

/// The loaded lexicons and ontology; build once, share read-only.
#[derive(Debug, Clone)]
pub struct Extractor {
    lex: Lexicon,
    onto: Ontology,
    detector: Detector,
    words: &'static Words,
}

/// A candidate event before merging.
#[derive(Debug, Clone)]
struct Cand {
    sentence: usize,
    category: Category,
    modes: Vec<String>,
    context: Vec<String>,
    modality: Modality,
    actors: Vec<usize>,
    recipients: Vec<usize>,
    /// Actor made from a nisba right after the trigger (الضربة الجوية المصرية).
    nisba_actor: Option<Participant>,
    location: Option<Location>,
    destination: Option<Location>,
    date: Option<EventDate>,
    counts: Counts,
    money: Option<Money>,
    attribution: Option<Attribution>,
    trigger: Span,
    evidence: Span,
    confidence: f32,
    mentions: Vec<Span>,
    weak: bool,
}

fn count_of(q: &Quantity) -> Count {
    Count {
        value: q.value.max(0.0).round() as u64,
        approximate: q.approximate,
        bound: q.bound,
    }
}

impl Extractor {
    /// An extractor over the given lexicon, ontology and detector, with the built-in word
    /// lists (`data/events/*.txt`).
    pub fn new(lex: Lexicon, onto: Ontology, detector: Detector) -> Extractor {
        Extractor {
            lex,
            onto,
            detector,
            words: Words::builtin(),
        }
    }

    /// The built-in extractor, loaded once; the error of the first built-in data file that
    /// does not parse (lexicon, ontology, detector), on every call.
    pub fn builtin() -> Result<&'static Extractor, Error> {
        static X: OnceLock<Result<Extractor, Error>> = OnceLock::new();
        X.get_or_init(|| {
            let lex = Lexicon::builtin()?;
            let onto = Ontology::builtin()?;
            let det = Detector::builtin()?;
            Ok(Extractor::new(lex, onto, det))
        })
        .as_ref()
        .map_err(Error::clone)
    }

    /// The lexicon.
    pub fn lexicon(&self) -> &Lexicon {
        &self.lex
    }

    /// The ontology.
    pub fn ontology(&self) -> &Ontology {
        &self.onto
    }

    /// The detector.
    pub fn detector(&self) -> &Detector {
        &self.detector
    }

    /// Extracts the events of one document: the rules' candidates, kept where the detector
    /// (for the categories it was trained on) finds they report a concrete event.
    pub fn extract(
        &self,
        doc: &DocInput,
        analysis: &TextAnalysis,
        entities: &[marsad_ner::Entity],
        places: &[marsad_geo::Place],
    ) -> Vec<Event> {
        let mut events = self.candidates(doc, analysis, entities, places);
        if self.detector.models.is_empty() {
            return events;
        }
        let feats = self.features(doc.text, analysis, &events);
        let mut keep = vec![true; events.len()];
        for (k, e) in events.iter_mut().enumerate() {
            if let Some(m) = self.detector.model(e.event_type) {
                let p = m.prob(&feats[k]);
                e.confidence = p;
                keep[k] = p >= m.threshold || fully_specified(e);
            }
        }
        let mut k = 0;
        events.retain(|_| {
            k += 1;
            keep[k - 1]
        });
        events
    }

    /// Detector features of each event (see [`detector::features`]).
    pub fn features(&self, text: &str, analysis: &TextAnalysis, events: &[Event]) -> Vec<Vec<f32>> {
        events
            .iter()
            .map(|e| {
                let same = events
                    .iter()
                    .filter(|o| {
                        o.event_type == e.event_type && o.evidence.sentence == e.evidence.sentence
                    })
                    .count();
                detector::features(&self.lex, text, analysis, e, same)
            })
            .collect()
    }

    /// The rules' candidates, before the detector.
    pub fn candidates(
        &self,
        doc: &DocInput,
        analysis: &TextAnalysis,
        entities: &[marsad_ner::Entity],
        places: &[marsad_geo::Place],
    ) -> Vec<Event> {
        let d = self.prepare(doc, analysis, entities, places);
        let mut cands: Vec<Cand> = Vec::new();
        for (si, s) in analysis.sentences.iter().enumerate() {
            let r = analysis.sentence_tokens(si);
            if r.is_empty() {
                continue;
            }
            let first = cands.len();
            self.sentence(&d, doc, si, *s, r, &mut cands);
            share_recipients(&mut cands[first..]);
        }
        zero_anaphora(&mut cands);
        let cands = merge(cands, &d);
        cands
            .into_iter()
            .map(|c| self.finish(c, &d, doc, analysis))
            .collect()
    }

    fn finish(&self, c: Cand, d: &Doc, doc: &DocInput, analysis: &TextAnalysis) -> Event {
        let (cameo, acled) = self.onto.crosswalk(c.category, &c.modes);
        let mut actors: Vec<Participant> = c
            .actors
            .iter()
            .map(|&k| d.parts[k].to_participant(d.text))
            .collect();
        if let Some(n) = c.nisba_actor {
            actors.push(n);
        }
        let recipients = c
            .recipients
            .iter()
            .map(|&k| d.parts[k].to_participant(d.text))
            .collect();
        let sentence = analysis.sentences[c.sentence];
        let trigger = Trigger {
            text: d.text[c.trigger.start..c.trigger.end].to_string(),
            span: c.trigger,
        };
        Event {
            id: event_id(doc.id, c.evidence, c.category),
            doc_id: doc.id.to_string(),
            event_type: c.category,
            mode: c.modes,
            context: c.context,
            modality: c.modality,
            actors,
            recipients,
            location: c.location,
            destination: c.destination,
            date: c.date,
            counts: c.counts,
            money: c.money,
            attribution: c.attribution,
            trigger,
            evidence: Evidence {
                span: c.evidence,
                sentence,
            },
            mentions: Vec::new(),
            confidence: c.confidence.min(0.95),
            cameo,
            acled,
            extra: Extra {
                mentions: c
                    .mentions
                    .iter()
                    .map(|s| Trigger {
                        text: d.text[s.start..s.end].to_string(),
                        span: *s,
                    })
                    .collect(),
            },
        }
    }
}

/// An attack with no recipient shares that of the attack before it among `cands` (the
/// candidates of one sentence).
fn share_recipients(cands: &mut [Cand]) {
    for k in 1..cands.len() {
        if cands[k].category == Category::Assault && cands[k].recipients.is_empty() {
            if let Some(prev) = cands[..k]
                .iter()
                .rev()
                .find(|c| c.category == Category::Assault && !c.recipients.is_empty())
            {
                cands[k].recipients = prev.recipients.clone();
            }
        }
    }
}

/// Zero anaphora: an event with no actor takes the actor of the same category in the sentence
/// before.
fn zero_anaphora(cands: &mut [Cand]) {
    for k in 1..cands.len() {
        if cands[k].actors.is_empty() && cands[k].nisba_actor.is_none() {
            let (s, c) = (cands[k].sentence, cands[k].category);
            if let Some(prev) = cands[..k]
                .iter()
                .rev()
                .take_while(|p| p.sentence + 1 >= s)
                .find(|p| p.sentence + 1 == s && p.category == c && !p.actors.is_empty())
            {
                cands[k].actors = prev.actors.clone();
            }
        }
    }
}

/// Whether the rules found who did it to whom, with an armed side: such a candidate is
/// kept whatever the detector says (it learned from news sentences, where bare mentions abound).
pub fn fully_specified(e: &Event) -> bool {
    let strong = |p: &Participant| {
        matches!(
            p.role.as_deref(),
            Some("military" | "police" | "rebels" | "militia")
        )
    };
    !e.actors.is_empty()
        && !e.recipients.is_empty()
        && e.actors.iter().chain(&e.recipients).any(strong)
}
