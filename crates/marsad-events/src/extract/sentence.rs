//! One sentence's candidates: which triggers are events here, and each one's arguments,
//! counts, attribution, modality, money, place, date and evidence.

use super::doc::Doc;
use super::sources::Sources;
use super::triggers::Hit;
use super::{Cand, Extractor, PlaceFrom};
use crate::lexicon::{CountKind, FormKind, TriggerEntry};
use crate::{Category, Counts, DocInput, Modality};
use marsad_text::number::Quantity;
use marsad_text::{Span, TokenKind};
use std::ops::Range;

/// A toll of at least this many killed is a total over many incidents, not one happening's.
const AGGREGATE_TOLL: u64 = 1000;

/// Modes that name a weapon: an assault by them is not an accident.
///
/// This stays in code: these are ids of ASSAULT modes in `data/ontology.toml`, not words of the
/// text, and what they mean here is part of the accident rule; a test checks that the ontology
/// has each of them.
const WEAPON_MODES: &[&str] = &[
    "explosives",
    "suicide-attack",
    "aerial",
    "heavy-weapons",
    "firearms",
];

/// A quantity the tokenizer found: first token, token after the last, and the quantity.
type QuantityAt = (usize, usize, Quantity);

/// One sentence with its triggers, and what holds for all of them.
struct Sentence {
    /// Its index in the analysis.
    index: usize,
    /// Its first token.
    s0: usize,
    /// The token after its last.
    s1: usize,
    /// Its trigger hits, in text order.
    hits: Vec<Hit>,
    /// Its sources (who reports its events).
    sources: Sources,
    /// Whether it asks a question.
    question: bool,
    /// The participants within it.
    parts: Vec<usize>,
    /// Whether a protest cue occurs in it.
    protest_cue: bool,
    /// Whether it tells of a disaster or an accident and names no attack or weapon.
    accident: bool,
    /// Per hit: whether it names an event by itself (not weak, protest or conditional).
    strong: Vec<bool>,
}

impl Extractor {
    /// Appends the candidates of sentence `si` (its span `sent`, its tokens `toks`) to `out`.
    pub(super) fn sentence(
        &self,
        d: &Doc,
        doc: &DocInput,
        si: usize,
        sent: Span,
        toks: Range<usize>,
        out: &mut Vec<Cand>,
    ) {
        let hits = self.triggers(d, toks.start, toks.end);
        if hits.is_empty() {
            return;
        }
        let s = self.sentence_context(d, si, sent, toks, hits);
        for h in &s.hits {
            if let Some(c) = self.candidate(d, doc, &s, h) {
                out.push(c);
            }
        }
    }

    /// What holds for all the trigger hits of sentence `si`.
    fn sentence_context(
        &self,
        d: &Doc,
        si: usize,
        sent: Span,
        toks: Range<usize>,
        hits: Vec<Hit>,
    ) -> Sentence {
        let (s0, s1) = (toks.start, toks.end);
        let sources = self.sources(d, si, &hits);
        let question = d.text[sent.start..sent.end].contains('؟')
            || d.is(s0, "هل")
            || (s0 + 1 < s1 && d.is(s0 + 1, "هل"));
        let parts: Vec<usize> = (0..d.parts.len())
            .filter(|&k| d.parts[k].t0 >= s0 && d.parts[k].t1 <= s1)
            .collect();
        let protest_cue = (s0..s1).any(|j| d.phrase(&self.lex.cues.protest, j).is_some());
        // a disaster or an accident (in the sentence, or the article's if it is a disaster
        // report), and no attack or weapon in the sentence: its dead and injured are not the
        // victims of an assault
        let accident = (d.disaster
            || (s0..s1).any(|j| d.phrase(&self.lex.cues.accident, j).is_some()))
            && !hits.iter().any(|h| {
                let e = &self.lex.entries[h.entry];
                e.category == Category::Assault
                    && e.count.is_none()
                    && (!e.weak || e.modes.iter().any(|m| WEAPON_MODES.contains(&m.as_str())))
            });
        let strong: Vec<bool> = hits
            .iter()
            .map(|h| {
                let e = &self.lex.entries[h.entry];
                !e.weak && !e.protest && e.needs.is_empty()
            })
            .collect();
        Sentence {
            index: si,
            s0,
            s1,
            hits,
            sources,
            question,
            parts,
            protest_cue,
            accident,
            strong,
        }
    }

    /// The candidate of hit `h`, unless the sentence does not make it an event.
    fn candidate(&self, d: &Doc, doc: &DocInput, s: &Sentence, h: &Hit) -> Option<Cand> {
        let e = &self.lex.entries[h.entry];
        let cl = d.clause[h.t0];
        if !self.conditions_hold(d, s, h) {
            return None;
        }
        let next_q = d
            .quantities
            .iter()
            .find(|(a, _, q)| *a >= h.t1 && *a <= h.t1 + 2 && d.clause[*a] == cl && q.is_count());
        if !self.supported(d, s, h, next_q) {
            return None;
        }
        let mut c = new_candidate(d, s.index, h, e);
        // a noun, or a word a preposition makes one (لقصف)
        let noun = h.kind == FormKind::Noun
            || d.tokens[h.t0]
                .prefixes
                .iter()
                .any(|p| matches!(*p, "ل" | "ب"));
        c.stated = noun && light_verb(d, h, s.s0);
        self.arguments(d, h, s.s0..s.s1, &s.parts, &s.sources, &mut c);
        self.counts(d, e, h, s.s0, next_q, &mut c);
        // an attack that caused no casualties killed nobody (لم تسفر عن أي إصابات)
        if c.category == Category::Assault
            && c.counts.killed.is_none()
            && d.any_phrase(&self.lex.cues.unharmed, h.t1, s.s1).is_some()
        {
            c.counts.killed = Some(crate::Count {
                value: 0,
                approximate: false,
                bound: crate::Bound::Exact,
            });
        }
        c.counts.aggregate = self.aggregate(d, s, h, &c.counts);
        if verbal_attack(d, &c) {
            return None;
        }
        riots_and_defections(d, e, &mut c);
        if e.flee && !flight_in_scope(d, &c) {
            return None;
        }
        if self.withdrawal_not_from_ground(d, s, h) {
            return None;
        }
        self.clause_fields(d, doc, s, h, &mut c);
        // in a sports report, force without a toll is the game's (هجوم الفريق، خطف الأضواء)
        if d.sports
            && matches!(c.category, Category::Assault | Category::Coerce)
            && c.counts.killed.is_none()
            && c.counts.injured.is_none()
        {
            return None;
        }
        c.evidence = self.evidence(d, s, h, next_q, &c);
        if !c.actors.is_empty() || !c.recipients.is_empty() {
            c.confidence += 0.1;
        }
        Some(c)
    }

    /// Whether the counts of a candidate are a total over many incidents or a period rather
    /// than the happening's own: a toll of thousands, or a word of a total in the trigger's
    /// clause (منذ بداية الحرب، في المجمل).
    fn aggregate(&self, d: &Doc, s: &Sentence, h: &Hit, counts: &Counts) -> bool {
        if counts.is_empty() {
            return false;
        }
        if counts.killed.is_some_and(|k| k.value >= AGGREGATE_TOLL) {
            return true;
        }
        let cl = d.clause[h.t0];
        let c0 = (s.s0..h.t0)
            .rev()
            .take_while(|&j| d.clause[j] == cl)
            .last()
            .unwrap_or(h.t0);
        let c1 = (h.t1..s.s1)
            .take_while(|&j| d.clause[j] == cl)
            .last()
            .map_or(h.t1, |j| j + 1);
        d.any_phrase(&self.lex.cues.cumulative, c0, c1).is_some()
    }

    /// Whether the entry's conditions hold: one of the words it needs within three words
    /// before it; for a protest word, protesters or another protest cue in the sentence.
    fn conditions_hold(&self, d: &Doc, s: &Sentence, h: &Hit) -> bool {
        let e = &self.lex.entries[h.entry];
        if !e.needs.is_empty() {
            let lo = h.t0.saturating_sub(3).max(s.s0);
            if !(lo..h.t0).any(|j| e.needs.iter().any(|w| d.is(j, w) || d.tokens[j].norm == *w)) {
                return false;
            }
        }
        if e.protest {
            let protesters = s
                .parts
                .iter()
                .any(|&k| d.parts[k].role.as_deref() == Some("protesters"));
            let protest = &self.lex.cues.protest;
            let cue = s.protest_cue
                && (d.any_phrase(protest, s.s0, h.t0.min(s.s1)).is_some()
                    || d.any_phrase(protest, h.t1.max(s.s0), s.s1).is_some());
            if !(protesters || cue) {
                return false;
            }
        }
        true
    }

    /// Whether the hit stands as an event here: no word it must not come before follows it,
    /// it does not count the dead or injured of an accident, and a weak trigger has support
    /// (another strong trigger of its category, an armed participant in its clause, or a count
    /// right after it).
    fn supported(&self, d: &Doc, s: &Sentence, h: &Hit, next_q: Option<&QuantityAt>) -> bool {
        let e = &self.lex.entries[h.entry];
        if !e.not_before.is_empty() && h.t1 < s.s1 && e.not_before.iter().any(|w| d.is(h.t1, w)) {
            return false;
        }
        // the dead, the injured and the ruins of a disaster are no assault's
        if s.accident
            && e.category == Category::Assault
            && (matches!(e.count, Some(CountKind::Killed | CountKind::Injured)) || e.weak)
        {
            return false;
        }
        if self.disposal(d, s, h) {
            return false;
        }
        if e.weak {
            let cl = d.clause[h.t0];
            let in_clause = |k: &usize| d.clause[d.parts[*k].t0] == cl;
            let other_strong = s.hits.iter().zip(&s.strong).any(|(o, strong)| {
                *strong && o.t0 != h.t0 && self.lex.entries[o.entry].category == e.category
            });
            let armed = s
                .parts
                .iter()
                .filter(|k| in_clause(k))
                .any(|&k| d.parts[k].armed);
            let counted = e.count.is_some() && next_q.is_some();
            if !(other_strong || armed || counted) {
                return false;
            }
        }
        true
    }

    /// Whether the hit is security forces detonating an explosive device (فجرت قوات الأمن عبوة
    /// ناسفة): a device within three words after an explosives trigger (or the device word
    /// itself after such a trigger), and police or soldiers in its clause and no other side —
    /// they dispose of it, it is no attack.
    fn disposal(&self, d: &Doc, s: &Sentence, h: &Hit) -> bool {
        let e = &self.lex.entries[h.entry];
        if e.category != Category::Assault || !e.modes.iter().any(|m| m == "explosives") {
            return false;
        }
        let cl = d.clause[h.t0];
        let hi = (h.t1 + 3).min(s.s1);
        let detonated = d.any_phrase(&self.lex.cues.devices, h.t1, hi).is_some();
        // the device word as the trigger, after a verb of detonating in its clause
        let device = d.phrase(&self.lex.cues.devices, h.t0).is_some()
            || (h.t0 > s.s0 && d.phrase(&self.lex.cues.devices, h.t0 - 1).is_some());
        let verb_before = (s.s0..h.t0).any(|j| {
            d.clause[j] == cl
                && s.hits.iter().any(|o| {
                    o.t0 == j
                        && self.lex.entries[o.entry]
                            .modes
                            .iter()
                            .any(|m| m == "explosives")
                })
        });
        if !(detonated || (device && verb_before)) {
            return false;
        }
        let mut sides = s
            .parts
            .iter()
            .map(|&k| &d.parts[k])
            .filter(|p| d.clause[p.t0] == cl && (p.armed || p.role.is_some()));
        let mut security = false;
        for p in sides.by_ref() {
            match p.role.as_deref() {
                Some("police" | "military") => security = true,
                _ => return false,
            }
        }
        security
    }

    /// Money, modality, attribution, place and date of a candidate, from its clause, its
    /// sentence and the article.
    fn clause_fields(&self, d: &Doc, doc: &DocInput, s: &Sentence, h: &Hit, c: &mut Cand) {
        let e = &self.lex.entries[h.entry];
        c.money = self.money(d, h, s.s0, s.s1);
        let source = s.sources.governing(h.t0);
        c.modality = self.modality(d, h, s.s0, s.s1, s.question, source.is_some());
        if c.modality == Modality::Reported
            && source.is_some_and(|x| x.claims(d, &c.actors, &c.recipients))
        {
            c.modality = Modality::Claimed;
            // a party's own act: the armed party the phrase names acts, where the clause names
            // no one ("أعلن المتحدث باسم الجيش مقتل أربعة مسلحين": the army)
            if c.actors.is_empty() && c.nisba_actor.is_none() {
                c.actors.extend(source.and_then(|x| x.armed_party(d)));
            }
        }
        // a threat told by its maker ("وقالت الوزارة: سنحتفظ بالحق في الرد") is made now: it
        // is asserted, the speaker its actor; a medium or a witness tells of another's threat
        let maker = source.filter(|x| {
            !x.prep
                && !matches!(
                    x.attribution.kind.as_str(),
                    "media" | "unnamed_sources" | "witnesses" | "residents" | "activists"
                )
        });
        if let Some(x) = maker.filter(|_| {
            e.category == crate::Category::Threaten
                && matches!(c.modality, Modality::Reported | Modality::Claimed)
        }) {
            c.modality = Modality::Asserted;
            if c.actors.is_empty() && c.nisba_actor.is_none() {
                let from = d.parts.partition_point(|p| p.t0 < x.a);
                c.actors.extend(
                    (from..d.parts.len()).find(|&k| d.parts[k].t1 <= x.b && d.parts[k].t0 < x.b),
                );
            }
        }
        if c.modality == Modality::Reported || c.modality == Modality::Claimed {
            c.attribution = source.map(|x| x.attribution.clone());
        }
        // the source's words, and a country or capital that stands for the actor, are not where
        let mut excl: Vec<(usize, usize)> = source.map(|x| (x.a, x.b)).into_iter().collect();
        if let Some(n) = c.nisba_actor.as_ref().filter(|n| n.name_en.is_some()) {
            let a = d.tokens.partition_point(|t| t.end <= n.span.start);
            let b = d.tokens.partition_point(|t| t.start < n.span.end);
            excl.push((a, b));
        }
        let (loc, from, dest) = self.place(d, h, e.flee, s.s0, s.s1, &excl);
        c.location = loc;
        c.place_from = from;
        c.destination = dest;
        c.date = self.date(d, doc, h, s.s0, s.s1);
    }

    /// The evidence of a candidate: the trigger and its arguments within the sentence (and
    /// within twelve tokens), its nisba actor, the count right after it and its money.
    fn evidence(
        &self,
        d: &Doc,
        s: &Sentence,
        h: &Hit,
        next_q: Option<&QuantityAt>,
        c: &Cand,
    ) -> Span {
        let mut ev = c.trigger;
        let mut grow = |x: Span| {
            ev.start = ev.start.min(x.start);
            ev.end = ev.end.max(x.end);
        };
        for &k in c.actors.iter().chain(&c.recipients) {
            let p = &d.parts[k];
            if p.t0 >= s.s0 && p.t1 <= s.s1 && p.t0.abs_diff(h.t0) <= 12 {
                grow(p.span);
            }
        }
        if let Some(n) = &c.nisba_actor {
            grow(n.span);
        }
        if let Some((a, b, _)) = next_q {
            grow(Span::new(d.tokens[*a].start, d.tokens[*b - 1].end));
        }
        if c.money.is_some() {
            if let Some(ms) = self.money_span(d, h, s.s1) {
                grow(ms);
            }
        }
        ev
    }
}

/// A candidate for hit `h` of entry `e` in sentence `si`, before its arguments: the trigger is
/// its evidence.
fn new_candidate(d: &Doc, si: usize, h: &Hit, e: &TriggerEntry) -> Cand {
    Cand {
        sentence: si,
        category: e.category,
        modes: e.modes.clone(),
        context: e.context.clone(),
        modality: Modality::Asserted,
        actors: Vec::new(),
        recipients: Vec::new(),
        nisba_actor: None,
        location: None,
        place_from: PlaceFrom::Article,
        destination: None,
        date: None,
        counts: Counts::default(),
        money: None,
        attribution: None,
        trigger: Span::new(d.tokens[h.t0].start, d.tokens[h.t1 - 1].end),
        evidence: Span::new(d.tokens[h.t0].start, d.tokens[h.t1 - 1].end),
        confidence: if e.weak { 0.6 } else { 0.8 },
        mentions: Vec::new(),
        weak: e.weak || e.protest || !e.needs.is_empty(),
        verbal: h.kind != FormKind::Noun,
        stated: false,
        entry: h.entry,
        apart_from: None,
    }
}

/// How many words a verb that states an act may stand before its verbal noun (شنت طائرات
/// تحالف دعم الشرعية عدة غارات؛ شهدت القرى الواقعة على الطريق بين المدينتين طوال ليل أمس
/// وصباح اليوم مواجهات عنيفة); further on, the noun is seldom its object.
const LIGHT_WINDOW: usize = 12;

/// Whether a verb that states the act (شنت، دارت، اندلعت: `light_verbs.txt`) stands right
/// after the noun trigger `h` (المعارك تدور) or up to twelve words before it, in its clause,
/// with no punctuation between.
fn light_verb(d: &Doc, h: &Hit, s0: usize) -> bool {
    if h.t1 < d.tokens.len() && d.clause[h.t1] == d.clause[h.t0] && d.is_word(h.t1, &d.words.light)
    {
        return true;
    }
    let lo = h.t0.saturating_sub(LIGHT_WINDOW).max(s0);
    for j in (lo..h.t0).rev() {
        if d.tokens[j].kind != TokenKind::Word || d.clause[j] != d.clause[h.t0] {
            return false;
        }
        if d.is_word(j, &d.words.light) {
            // a verb with a pronoun is a relative's (لكثرة ما شهدته من عمليات خطف)
            return d.tokens[j].suffixes.is_empty();
        }
    }
    false
}

/// Whether a flight is in scope: someone armed, organized or in office flees (a withdrawal or a
/// defection), or a named person; civilians fleeing fighting ("هرب عشرات الألوف عبر الممرات")
/// are displaced, which no category here codes.
fn flight_in_scope(d: &Doc, c: &Cand) -> bool {
    c.actors.iter().any(|&k| {
        let p = &d.parts[k];
        p.armed
            || p.org
            || (p.role.is_none() && p.entity_id.is_some())
            || matches!(
                p.role.as_deref(),
                Some(
                    "military"
                        | "police"
                        | "rebels"
                        | "militia"
                        | "leaders"
                        | "officials"
                        | "government"
                        | "members"
                        | "prisoners"
                )
            )
    })
}

impl Extractor {
    /// Whether a withdrawal is not from ground: from a pact or a contest — من and one of
    /// the `pacts` words of the cues within four words after the trigger, in its clause
    /// ("انسحاب واشنطن من الاتفاق النووي", "انسحب من السباق الانتخابي"); or a business leaving:
    /// a `business` word of the cues up to four words before it in its clause or right after it.
    fn withdrawal_not_from_ground(&self, d: &Doc, s: &Sentence, h: &Hit) -> bool {
        let e = &self.lex.entries[h.entry];
        if e.category != Category::Retreat || e.flee || !e.modes.iter().any(|m| m == "withdraw") {
            return false;
        }
        let cl = d.clause[h.t0];
        let hi = (h.t1 + 4).min(s.s1);
        // "أعلنت شركات أوروبية انسحابها"، "انسحاب الشركات": a business leaving
        let business =
            |j: usize| d.clause[j] == cl && d.phrase(&self.lex.cues.business, j).is_some();
        (h.t0.saturating_sub(4).max(s.s0)..h.t0).any(business)
            || (h.t1 < s.s1 && business(h.t1))
            || (h.t1..hi).any(|j| {
                d.clause[j] == cl
                    && d.is(j, "من")
                    && j + 1 < s.s1
                    && d.phrase(&self.lex.cues.pacts, j + 1).is_some()
            })
    }
}

/// Riots and defections: an act of protesters is a riot, the flight of an armed group or an
/// organization is a defection.
fn riots_and_defections(d: &Doc, e: &TriggerEntry, c: &mut Cand) {
    if e.riot
        && c.actors
            .iter()
            .any(|&k| d.parts[k].role.as_deref() == Some("protesters"))
    {
        c.category = Category::Protest;
        c.modes = vec!["riot".into()];
    }
    if e.flee && c.actors.iter().any(|&k| d.parts[k].armed || d.parts[k].org) {
        c.category = Category::Sanction;
        c.modes = vec!["withdraw".into(), "defect".into()];
    }
}

/// Whether an attack is a named person's on a named person with no toll: words, not force
/// ("يكثف أردوغان هجومه على دميرتاش").
fn verbal_attack(d: &Doc, c: &Cand) -> bool {
    let person = |k: &usize| {
        let p = &d.parts[*k];
        p.named && !p.org && !p.armed && p.role.is_none()
    };
    c.category == Category::Assault
        && !c.verbal
        && c.counts.is_empty()
        && !c.actors.is_empty()
        && !c.recipients.is_empty()
        && c.actors.iter().all(person)
        && c.recipients.iter().all(person)
}

#[cfg(test)]
mod tests {
    use super::WEAPON_MODES;
    use crate::ontology::Ontology;
    use crate::Category;

    #[test]
    fn weapon_modes_are_assault_modes() {
        let onto = Ontology::builtin().unwrap();
        for m in WEAPON_MODES {
            assert!(onto.has_mode(Category::Assault, m), "{m}");
        }
    }
}
