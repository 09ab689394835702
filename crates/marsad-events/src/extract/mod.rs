//! The extractor: sentence by sentence, triggers → candidates → arguments, modality,
//! attribution, counts, money, place and date; then merging of mentions of one happening.
//!
//! One file per job: [`doc`] is the view over the tokens that every step reads, [`triggers`]
//! finds the words that name events, [`participants`] the phrases that name who takes part,
//! [`sentence`] turns a sentence's triggers into candidates, [`arguments`] picks each
//! candidate's actors and recipients, [`sources`] who reports it, [`clause`] its modality,
//! money, place and date, and [`merge`] joins the mentions of one happening; [`towns`] splits a
//! happening told of a list of towns into one per town. [`words`] reads the word lists that
//! linguists keep under `data/events/` (prepositions, noun hosts, quantity words, relative
//! pronouns).

mod actors;
mod agents;
mod arguments;
mod clause;
mod coref;
mod counts;
mod doc;
mod merge;
mod participants;
mod places;
mod sentence;
mod sources;
#[cfg(test)]
mod tests;
mod towns;
mod triggers;
mod words;

use crate::detector::{self, Detector};
use crate::lexicon::Lexicon;
use crate::ontology::Ontology;
use crate::{
    event_id, Attribution, Category, Count, Counts, DocInput, Error, Event, EventDate,
    EventMention, Evidence, Extra, Location, Modality, Money, Participant, Trigger,
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

/// Where the place of a candidate was found: in its clause, elsewhere in its sentence, or (the
/// place the article names most often) nowhere near it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PlaceFrom {
    Clause,
    Sentence,
    Article,
}

/// An event found in a sentence, with what the article-level steps need to know of it.
#[derive(Debug, Clone)]
struct Found {
    event: Event,
    /// Where its place came from.
    place_from: PlaceFrom,
    /// The trigger's word as the lexicon lists it (قتلوا and وقتل are قتل): a restatement
    /// often repeats it.
    stem: String,
    /// Whether the trigger is a definite noun (الهجوم، هذا الهجوم): it refers back to a
    /// happening already told.
    definite: bool,
    /// Whether "another" follows the trigger (هجوم آخر): a happening not told yet.
    other: bool,
    /// Whether a recipient is a person the NER stage named (الهجوم على سيرغي سكريبال).
    named_victim: bool,
    /// Whether the trigger is a definite noun a relative clause describes (التفجير الذي استهدف
    /// المسجد): the sentence takes the happening as known.
    described: bool,
    /// Whether its date is introduced by منذ ("since"): the start of a running period.
    since: bool,
    /// Whether the detector (or the rules, where it has no model) finds that it reports a
    /// concrete event; a happening is kept when one of its mentions does.
    reports: bool,
    /// Whether it narrates: a verb with who did it (شنت طائرات … غارات) — how a new happening is
    /// told; a toll, a verbal noun or a passive more often tells one already told again.
    narrates: bool,
    /// The detector's probability over its threshold (1 where it has no model).
    margin: f32,
    /// Whether a verb in the perfect states the act of its noun trigger (شنت … غارات): the
    /// rules keep it whatever the detector says.
    stated: bool,
}

impl Found {
    /// Whether a verb states the act and its own clause says who did it or where (شنت طائرات
    /// التحالف غارات؛ اندلعت اشتباكات في المدينة), which no detector may veto.
    fn stated_here(&self) -> bool {
        self.stated && (!self.event.actors.is_empty() || self.place_from == PlaceFrom::Clause)
    }

    /// Whether the mention tells a whole incident — a toll, named victims or a relative clause
    /// that describes it (التفجير الذي استهدف المسجد), a place its own sentence names, and a time
    /// the text gives — which no detector may veto.
    fn incident(&self) -> bool {
        let e = &self.event;
        let who = !e.counts.is_empty()
            || self.described
            || self.named_victim
            || e.recipients
                .iter()
                .any(|p| p.entity_id.is_some() || p.name_en.is_some());
        who && e.location.is_some()
            && self.place_from != PlaceFrom::Article
            && e.date.as_ref().is_some_and(|d| d.span.is_some())
    }
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
    place_from: PlaceFrom,
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
    /// Whether the trigger is a verb (not a verbal noun).
    verbal: bool,
    /// Whether a verb in the perfect states the act of the noun trigger (شنت … غارات).
    stated: bool,
    /// The lexicon entry of its trigger.
    entry: usize,
    /// Where the telling of another happening begins before the trigger (byte offset), if it
    /// does (see [`Extractor::set_apart`]): it is not one with what was told before there.
    apart_from: Option<usize>,
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
    /// (for the categories it was trained on) finds they report a concrete event or where they
    /// tell a whole incident; then the article-level steps (`coref`): background recalled as
    /// such, and one record per happening; last, the participants as the actor list knows them
    /// and the ACLED type their sides give.
    pub fn extract(
        &self,
        doc: &DocInput,
        analysis: &TextAnalysis,
        entities: &[marsad_ner::Entity],
        places: &[marsad_geo::Place],
    ) -> Vec<Event> {
        let mut found = self.found(doc, analysis, entities, places);
        let events: Vec<Event> = found.iter().map(|f| f.event.clone()).collect();
        let feats = self.features(doc.text, analysis, &events);
        for (k, f) in found.iter_mut().enumerate() {
            if let Some(m) = self.detector.model(f.event.event_type) {
                let p = m.prob(&feats[k]);
                f.event.confidence = p;
                f.margin = p / m.threshold.max(1e-6);
                f.reports = p >= m.threshold
                    || fully_specified(&f.event)
                    || f.incident()
                    || f.stated_here();
            }
        }
        let mut events = coref::happenings(found, doc.date);
        coref::narrow_to_town(&mut events, places);
        for e in &mut events {
            self.finish_actors(e);
        }
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

    /// The rules' candidates, before the detector and the article-level steps.
    pub fn candidates(
        &self,
        doc: &DocInput,
        analysis: &TextAnalysis,
        entities: &[marsad_ner::Entity],
        places: &[marsad_geo::Place],
    ) -> Vec<Event> {
        self.found(doc, analysis, entities, places)
            .into_iter()
            .map(|f| f.event)
            .collect()
    }

    /// The rules' candidates with what the article-level steps need.
    fn found(
        &self,
        doc: &DocInput,
        analysis: &TextAnalysis,
        entities: &[marsad_ner::Entity],
        places: &[marsad_geo::Place],
    ) -> Vec<Found> {
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
        for c in &mut cands {
            c.apart_from = self.set_apart(&d, c);
        }
        let cands = merge(cands, &d);
        let cands = self.split_towns(cands, &d);
        cands
            .into_iter()
            .map(|c| {
                let place_from = c.place_from;
                let stated = c.stated;
                let narrates =
                    c.stated || c.verbal && (!c.actors.is_empty() || c.nisba_actor.is_some());
                let t0 = d.tokens.partition_point(|t| t.end <= c.trigger.start);
                let stem = marsad_text::normalize::key(&self.lex.entries[c.entry].form);
                // a noun with the article, a demonstrative or a pronoun of its own (هجومه،
                // اعتقالها: "his attack", "her arrest")
                let noun = self.lex.entries[c.entry].pos == crate::lexicon::Pos::Noun;
                let definite = d.tokens.get(t0).is_some_and(|t| {
                    t.prefixes.contains(&"ال") || (noun && !t.suffixes.is_empty())
                }) || (t0 > 0 && d.is_any(t0 - 1, &DEMONSTRATIVES));
                let t1 = d.tokens.partition_point(|t| t.end <= c.trigger.end);
                let other = c.apart_from.is_some()
                    || (t1..(t1 + 3).min(d.tokens.len())).any(|j| d.is_any(j, &OTHER));
                let named_victim = c
                    .recipients
                    .iter()
                    .any(|&k| d.parts[k].named && !d.parts[k].org);
                let described = noun && d.describing(t0, t1).is_some();
                let since = c.date.as_ref().and_then(|x| x.span).is_some_and(|sp| {
                    let j = d.tokens.partition_point(|t| t.end <= sp.start);
                    // منذ before the date, or opening it (منذ أسبوع)
                    (j.saturating_sub(2)..=j).any(|k| d.is(k, "منذ"))
                });
                Found {
                    event: self.finish(c, &d, doc, analysis),
                    place_from,
                    stem,
                    definite,
                    other,
                    named_victim,
                    described,
                    since,
                    reports: true,
                    narrates,
                    margin: 1.0,
                    stated,
                }
            })
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
            mentions: c
                .mentions
                .iter()
                .map(|s| EventMention {
                    trigger: Trigger {
                        text: d.text[s.start..s.end].to_string(),
                        span: *s,
                    },
                    evidence: Evidence {
                        span: c.evidence,
                        sentence,
                    },
                })
                .collect(),
            confidence: c.confidence.min(0.95),
            cameo,
            acled,
            extra: Extra::default(),
            sources: Vec::new(),
        }
    }
}

/// Demonstratives before an event noun: "هذا الهجوم" refers to a happening already told.
/// A closed grammatical class, part of the coreference rule, so it stays in code.
const DEMONSTRATIVES: [&str; 5] = ["هذا", "هذه", "ذلك", "تلك", "هذين"];

/// "Another" after an event noun (هجوم آخر، حادثة أخرى، هجمات منفصلة): a happening not told yet.
/// A closed class of words, part of the coreference rule, so it stays in code (as keys).
const OTHER: [&str; 6] = ["اخر", "اخري", "اخرين", "اخرون", "منفصل", "منفصله"];

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
