//! The extractor: sentence by sentence, triggers → candidates → arguments, modality,
//! attribution, counts, money, place and date; then merging of mentions of one happening.

use crate::detector::{self, Detector};
use crate::lexicon::{CountKind, FormKind, Genitive, Lexicon, Phrases, Pos};
use crate::ontology::Ontology;
use crate::{
    event_id, Attribution, Bound, Category, Count, Counts, DatePrecision, DocInput, Event,
    EventDate, Evidence, Extra, Location, Modality, Money, Participant, Trigger,
};
use marsad_geo::Precision;
use marsad_ner::EntityType;
use marsad_text::date::{find_dates, DateMention};
use marsad_text::number::{find_quantities, Quantity};
use marsad_text::{Span, TextAnalysis, Token, TokenKind};
use std::sync::OnceLock;

/// Modes that name a weapon: an assault by them is not an accident.
const WEAPON_MODES: &[&str] = &[
    "explosives",
    "suicide-attack",
    "aerial",
    "heavy-weapons",
    "firearms",
];

/// The loaded lexicons and ontology; build once, share read-only.
#[derive(Debug, Clone)]
pub struct Extractor {
    lex: Lexicon,
    onto: Ontology,
    detector: Detector,
}

/// Prepositions that keep a noun phrase from being a subject or object (keys).
const PREPS: &[&str] = &[
    "في",
    "من",
    "عن",
    "الي",
    "علي",
    "ضد",
    "مع",
    "بين",
    "لدي",
    "عند",
    "حول",
    "نحو",
    "منذ",
    "خلال",
    "بعد",
    "قبل",
    "داخل",
    "خارج",
    "قرب",
    "امام",
    "تحت",
    "فوق",
    "عبر",
    "اثر",
    "اثناء",
    "وسط",
];

/// Words before a noun that make a following homograph a noun rather than a verb.
const NOUN_HOSTS: &[&str] = &[
    "عمليه",
    "عمليات",
    "طريقه",
    "محاوله",
    "بعد",
    "اثر",
    "عقب",
    "منذ",
    "جريمه",
    "حادث",
    "حادثه",
];

/// Words that stand for a quantity before a counted noun (keys).
const QUANTITY_WORDS: &[&str] = &["عدد", "بعض", "كل", "جميع", "عشرات", "مئات", "الاف", "العديد"];

/// Words that mark the subject of a relative clause as the antecedent (الذين ينشقون).
const RELATIVES: &[&str] = &["الذين", "الذي", "التي", "اللذين", "اللتين", "اللواتي"];

/// Particles a participant phrase may open with that do not make it prepositional.
const SOFT: &[&str] = &["قد", "لقد", "ان", "انه", "انها", "انهم"];

#[derive(Debug, Clone)]
struct Part {
    /// Token range.
    t0: usize,
    t1: usize,
    span: Span,
    role: Option<String>,
    armed: bool,
    victim: bool,
    singular: bool,
    entity_id: Option<String>,
    name_en: Option<String>,
    country: Option<String>,
    /// Whether it is a named organization (entity ORG or a named group).
    org: bool,
    /// Quantity right before it ("15 من قيادات").
    count: Option<Count>,
}

impl Part {
    fn to_participant(&self, text: &str) -> Participant {
        Participant {
            text: text[self.span.start..self.span.end].to_string(),
            span: self.span,
            entity_id: self.entity_id.clone(),
            name_en: self.name_en.clone(),
            country: self.country.clone(),
            role: self.role.clone(),
        }
    }
}

/// One trigger occurrence.
#[derive(Debug, Clone, Copy)]
struct Hit {
    entry: usize,
    kind: FormKind,
    t0: usize,
    t1: usize,
}

/// Per-document working state.
struct Doc<'a> {
    text: &'a str,
    tokens: &'a [Token],
    /// Match word per token: the stem (a key, clitics split off).
    stem: Vec<&'a str>,
    /// Second match word: the whole token's key without و/ف and the article.
    alt: Vec<&'a str>,
    /// Clause index per token.
    clause: Vec<usize>,
    parts: Vec<Part>,
    quantities: Vec<(usize, usize, Quantity)>,
    /// Per token: the first token of the quantity it is part of, if any.
    qstart: Vec<Option<usize>>,
    dates: Vec<(usize, usize, DateMention)>,
    places: Vec<(usize, usize, &'a marsad_geo::Place)>,
}

impl Doc<'_> {
    fn is(&self, j: usize, w: &str) -> bool {
        j < self.stem.len() && (self.stem[j] == w || self.alt[j] == w)
    }

    fn is_any(&self, j: usize, ws: &[&str]) -> bool {
        ws.iter().any(|w| self.is(j, w))
    }

    fn phrase(&self, p: &Phrases, i: usize) -> Option<usize> {
        if i >= self.stem.len() {
            return None;
        }
        p.at(self.stem.len(), i, [self.stem[i], self.alt[i]], |j, w| {
            self.is(j, w)
        })
    }

    /// Whether a cue phrase starts anywhere in `[a, b)`.
    fn any_phrase(&self, p: &Phrases, a: usize, b: usize) -> Option<usize> {
        (a..b).find(|&j| self.phrase(p, j).is_some())
    }

    /// The preposition governing the phrase that starts at token `t0`.
    fn prep_before(&self, t0: usize) -> Option<String> {
        let t = &self.tokens[t0];
        if let Some(p) = t.prefixes.iter().find(|p| matches!(**p, "ب" | "ل" | "ك")) {
            return Some((*p).to_string());
        }
        if t0 == 0 {
            return None;
        }
        let mut j = t0 - 1;
        // quote marks may stand between
        while j > 0 && is_quote(self.text, &self.tokens[j]) {
            j -= 1;
        }
        // a quantity, partitive or not: "15 من قيادات"، "ستة مدنيين"، "لعدد من كبار"
        let is_q = |j: usize| {
            self.tokens[j].kind == TokenKind::Number
                || self.is_any(j, QUANTITY_WORDS)
                || self.qstart[j].is_some()
        };
        // the whole quantity, from its first word ("أكثر من 20"، "خمسة وعشرون")
        let q_first = |j: usize| self.qstart[j].unwrap_or(j);
        let mut skipped_q = None;
        if self.is(j, "من") && j >= 1 && is_q(j - 1) {
            skipped_q = Some(q_first(j - 1));
        } else if is_q(j) {
            skipped_q = Some(q_first(j));
        }
        if let Some(q) = skipped_q {
            if let Some(p) = self.tokens[q]
                .prefixes
                .iter()
                .find(|p| matches!(**p, "ب" | "ل"))
            {
                return Some((*p).to_string());
            }
            if q == 0 {
                return None;
            }
            j = q - 1;
            while j > 0 && self.is_any(j, &["حوالي", "نحو", "قرابه", "زهاء"]) {
                j -= 1;
            }
        }
        if self.is_any(j, PREPS) {
            return Some(self.stem[j].to_string());
        }
        None
    }

    /// Whether "على يد"/"على أيدي"/"من قبل"/"برصاص"/"بنيران" comes right before token `t0`.
    fn agent_marker(&self, t0: usize) -> bool {
        t0 >= 2
            && ((self.is(t0 - 2, "علي") && self.is_any(t0 - 1, &["يد", "ايدي"]))
                || (self.is(t0 - 2, "من") && self.is(t0 - 1, "قبل")))
            || t0 >= 1 && self.is(t0 - 1, "بيد")
            || t0 >= 1
                && self.tokens[t0 - 1].prefixes.last() == Some(&"ب")
                && self.is_any(t0 - 1, &["رصاص", "رصاصه", "نيران", "نار"])
    }
}

/// Whether the second word `w` of a two-word verb phrase follows the verb at `i` after a short
/// subject (one to four words, no punctuation): "أطلقت قوات الأمن النار".
fn split_object(d: &Doc, i: usize, b: usize, w: &str) -> bool {
    for j in i + 2..(i + 6).min(b) {
        if d.tokens[j - 1].kind != TokenKind::Word {
            return false;
        }
        if d.is(j, w) {
            return true;
        }
    }
    false
}

fn is_quote(text: &str, t: &Token) -> bool {
    t.kind == TokenKind::Punct && matches!(t.text(text), "\"" | "«" | "»" | "“" | "”" | "'")
}

fn is_clause_break(text: &str, t: &Token) -> bool {
    t.kind == TokenKind::Punct && matches!(t.text(text), "،" | "," | "؛" | ";" | ":" | "(" | ")")
}

/// Token index range covering byte span `[s, e)`.
fn token_range(tokens: &[Token], s: usize, e: usize) -> Option<(usize, usize)> {
    let a = tokens.partition_point(|t| t.end <= s);
    let b = tokens.partition_point(|t| t.start < e);
    (a < b).then_some((a, b))
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

fn set_count(c: &mut Counts, kind: CountKind, v: Count) {
    let slot = match kind {
        CountKind::Killed => &mut c.killed,
        CountKind::Injured => &mut c.injured,
        CountKind::Arrested => &mut c.arrested,
        CountKind::Abducted => &mut c.abducted,
        CountKind::Participants => &mut c.participants,
    };
    if slot.is_none() {
        *slot = Some(v);
    }
}

fn merge_counts(a: &mut Counts, b: &Counts) {
    a.killed = a.killed.or(b.killed);
    a.injured = a.injured.or(b.injured);
    a.arrested = a.arrested.or(b.arrested);
    a.abducted = a.abducted.or(b.abducted);
    a.participants = a.participants.or(b.participants);
}

fn push_unique(v: &mut Vec<String>, s: &str) {
    if !v.iter().any(|x| x == s) {
        v.push(s.to_string());
    }
}

impl Extractor {
    /// An extractor over the given lexicon and ontology.
    pub fn new(lex: Lexicon, onto: Ontology, detector: Detector) -> Extractor {
        Extractor {
            lex,
            onto,
            detector,
        }
    }

    /// The built-in extractor, loaded once.
    pub fn builtin() -> &'static Extractor {
        static X: OnceLock<Extractor> = OnceLock::new();
        X.get_or_init(|| {
            // the data files are compiled in and checked by the tests
            let lex = Lexicon::builtin().expect("built-in event lexicon parses");
            let onto = Ontology::builtin().expect("built-in ontology parses");
            let det = Detector::builtin().expect("built-in detector parses");
            Extractor::new(lex, onto, det)
        })
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
            self.sentence(&d, doc, si, *s, r.start, r.end, &mut cands);
            // an attack with no recipient shares that of the attack before it in the sentence
            for k in first + 1..cands.len() {
                if cands[k].category == Category::Assault && cands[k].recipients.is_empty() {
                    if let Some(prev) = cands[first..k]
                        .iter()
                        .rev()
                        .find(|c| c.category == Category::Assault && !c.recipients.is_empty())
                    {
                        cands[k].recipients = prev.recipients.clone();
                    }
                }
            }
        }
        // zero anaphora: an event with no actor takes the actor of the same category in the
        // sentence before
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
        let cands = merge(cands, &d);
        cands
            .into_iter()
            .map(|c| self.finish(c, &d, doc, analysis))
            .collect()
    }

    fn prepare<'a>(
        &self,
        doc: &DocInput<'a>,
        analysis: &'a TextAnalysis,
        entities: &[marsad_ner::Entity],
        places: &'a [marsad_geo::Place],
    ) -> Doc<'a> {
        let text = doc.text;
        let tokens = &analysis.tokens[..];
        let mut stem = Vec::with_capacity(tokens.len());
        let mut alt = Vec::with_capacity(tokens.len());
        for t in tokens {
            stem.push(t.stem.as_str());
            let mut a: &str = &t.norm;
            if t.prefixes.is_empty() && a.chars().count() > 3 {
                if let Some(r) = a.strip_prefix('و').or_else(|| a.strip_prefix('ف')) {
                    a = r;
                }
            }
            alt.push(crate::lexicon::strip_article_str(a));
        }
        let mut clause = Vec::with_capacity(tokens.len());
        let mut c = 0;
        let mut si = 0;
        for t in tokens {
            while si < analysis.sentences.len() && analysis.sentences[si].end <= t.start {
                si += 1;
                c += 1;
            }
            if is_clause_break(text, t) {
                c += 1;
            }
            clause.push(c);
        }
        let mut d = Doc {
            text,
            tokens,
            stem,
            alt,
            clause,
            parts: Vec::new(),
            quantities: Vec::new(),
            qstart: vec![None; tokens.len()],
            dates: Vec::new(),
            places: Vec::new(),
        };
        for q in find_quantities(text, tokens) {
            if let Some((a, b)) = token_range(tokens, q.start, q.end) {
                d.qstart[a..b].fill(Some(a));
                d.quantities.push((a, b, q));
            }
        }
        for m in find_dates(text, tokens, doc.date) {
            if let Some((a, b)) = token_range(tokens, m.start, m.end) {
                d.dates.push((a, b, m));
            }
        }
        for p in places {
            if let Some((a, b)) = token_range(tokens, p.start, p.end) {
                d.places.push((a, b, p));
            }
        }
        d.parts = self.participants(&d, entities);
        d
    }

    /// Participants: entities, role nouns, their genitive chains, nisbas and resolved
    /// generic nouns (التنظيم).
    fn participants(&self, d: &Doc, entities: &[marsad_ner::Entity]) -> Vec<Part> {
        let n = d.tokens.len();
        // one slot per token: which raw participant covers it
        let mut raw: Vec<Part> = Vec::new();
        for e in entities {
            if !matches!(e.kind, EntityType::Org | EntityType::Per) {
                continue;
            }
            if let Some((a, b)) = token_range(d.tokens, e.start, e.end) {
                let role = if e.kind == EntityType::Org {
                    // a named group the role list knows keeps its role
                    self.role_at(d, a)
                        .and_then(|(r, _, _)| self.lex.roles[r.entry].role.clone())
                } else {
                    None
                };
                let armed = self
                    .role_at(d, a)
                    .is_some_and(|(r, _, _)| self.lex.roles[r.entry].armed);
                raw.push(Part {
                    t0: a,
                    t1: b,
                    span: Span::new(e.start, e.end),
                    role,
                    armed,
                    victim: false,
                    singular: e.kind == EntityType::Per,
                    entity_id: e.entity_id.clone(),
                    name_en: e.name_en.clone(),
                    country: None,
                    org: e.kind == EntityType::Org,
                    count: None,
                });
            }
        }
        let covered = |raw: &[Part], i: usize| raw.iter().any(|p| p.t0 <= i && i < p.t1);
        let mut i = 0;
        while i < n {
            if covered(&raw, i) {
                i += 1;
                continue;
            }
            if let Some((hit, len, _)) = self.role_at(d, i) {
                let r = &self.lex.roles[hit.entry];
                raw.push(Part {
                    t0: i,
                    t1: i + len,
                    span: Span::new(d.tokens[i].start, d.tokens[i + len - 1].end),
                    role: r.role.clone(),
                    armed: r.armed,
                    victim: r.victim,
                    singular: hit.singular,
                    entity_id: None,
                    name_en: r.name_en.clone(),
                    country: None,
                    org: r.name_en.is_some(),
                    count: None,
                });
                i += len;
                continue;
            }
            i += 1;
        }
        raw.sort_by_key(|p| p.t0);
        // resolve generic nouns (التنظيم) to the organization the article names with that noun
        // ("تنظيم داعش"), else to the one it names most often before
        let ident = |p: &Part| {
            p.entity_id
                .clone()
                .or_else(|| p.name_en.clone())
                .unwrap_or_else(|| d.stem[p.t0..p.t1].join(" "))
        };
        let mut titled: Vec<(String, Part)> = Vec::new();
        for p in raw.iter().filter(|p| p.org && p.t0 >= 1) {
            let prev = &d.stem[p.t0 - 1];
            if !d.tokens[p.t0 - 1].has_article()
                && self.lex.cues.org_nouns.has(prev)
                && !titled.iter().any(|(n, _)| n == prev)
            {
                titled.push((prev.to_string(), p.clone()));
            }
        }
        let mut seen: Vec<(String, usize, Part)> = Vec::new();
        let mut resolved: Vec<Part> = Vec::new();
        let mut last_org: Option<Part> = None;
        let mut ri = 0;
        let mut i = 0;
        while i < n {
            if ri < raw.len() && raw[ri].t0 == i {
                if raw[ri].org {
                    let id = ident(&raw[ri]);
                    match seen.iter_mut().find(|(n, _, _)| *n == id) {
                        Some(x) => x.1 += 1,
                        None => seen.push((id, 1, raw[ri].clone())),
                    }
                    // the most often named so far (the latest among equals)
                    last_org = seen
                        .iter()
                        .rev()
                        .max_by_key(|(_, n, _)| *n)
                        .map(|(_, _, p)| p.clone());
                }
                resolved.push(raw[ri].clone());
                i = raw[ri].t1;
                ri += 1;
                continue;
            }
            let t = &d.tokens[i];
            let next_is_named = raw.get(ri).is_some_and(|p| p.t0 == i + 1 && p.org);
            if t.has_article() && self.lex.cues.org_nouns.has(d.stem[i]) && !next_is_named {
                let titled_org = titled.iter().find(|(n, _)| *n == d.stem[i]).map(|(_, p)| p);
                if let Some(o) = titled_org.or(last_org.as_ref()) {
                    let mut p = o.clone();
                    p.t0 = i;
                    p.t1 = i + 1;
                    p.span = t.span();
                    resolved.push(p);
                }
            }
            i += 1;
        }
        // genitive chains: قيادات داعش، قوات البشمرجة، الطيار الأردني "معاذ الكساسبة"
        let mut out: Vec<Part> = Vec::new();
        let mut k = 0;
        while k < resolved.len() {
            let mut p = resolved[k].clone();
            k += 1;
            loop {
                // skip nisbas and quote marks after the head
                let mut j = p.t1;
                while j < n && j < p.t1 + 3 {
                    if let Some(c) = self.lex.nisba_country(d.stem[j]) {
                        if p.country.is_none() {
                            p.country = Some(c.to_string());
                        }
                        j += 1;
                    } else if is_quote(d.text, &d.tokens[j]) {
                        j += 1;
                    } else {
                        break;
                    }
                }
                let Some(next) = resolved.get(k) else { break };
                if next.t0 != j || d.clause[next.t0] != d.clause[p.t0] {
                    if j > p.t1 {
                        p.t1 = j;
                        p.span.end = d.tokens[j - 1].end;
                        trim_quote_end(&mut p, d);
                    }
                    break;
                }
                // a prepositional or conjoined phrase is not a genitive
                if !d.tokens[next.t0].prefixes.is_empty()
                    && d.tokens[next.t0].prefixes.iter().any(|x| *x != "ال")
                {
                    break;
                }
                let n2 = next.clone();
                k += 1;
                p.t1 = n2.t1;
                p.span.end = n2.span.end;
                // the head's role, the named one's identity
                if p.role.is_none() || p.role.as_deref() == Some("members") {
                    p.role = n2.role.clone().or(p.role.take());
                }
                p.armed |= n2.armed;
                if n2.name_en.is_some() || n2.entity_id.is_some() {
                    p.name_en = n2.name_en.clone();
                    p.entity_id = n2.entity_id.clone();
                    p.org |= n2.org;
                }
                p.country = p.country.take().or(n2.country);
                p.victim &= n2.victim;
            }
            trim_quote_end(&mut p, d);
            out.push(p);
        }
        // a quantity right before (15 من قيادات، ستة مدنيين)
        for p in &mut out {
            for (a, b, q) in &d.quantities {
                let (a, b) = (*a, *b);
                // or a quantity that takes the noun in ("10 أشخاص")
                if b == p.t0 || (b + 1 == p.t0 && d.is(b, "من")) || (a < p.t0 && p.t0 < b) {
                    p.count = Some(count_of(q));
                }
            }
        }
        out
    }

    /// The role noun starting at token `i`: (hit, length in tokens, _).
    fn role_at<'l>(
        &'l self,
        d: &Doc,
        i: usize,
    ) -> Option<(&'l crate::lexicon::RoleHit, usize, ())> {
        let mut best: Option<(&crate::lexicon::RoleHit, usize, ())> = None;
        for k in [&d.stem[i], &d.alt[i]] {
            let Some(hits) = self.lex.role_forms.get(*k) else {
                continue;
            };
            for h in hits {
                if h.article && !d.tokens[i].has_article() && !d.tokens[i].norm.contains("ال") {
                    continue;
                }
                if h.rest.iter().enumerate().all(|(m, w)| d.is(i + 1 + m, w)) {
                    let len = 1 + h.rest.len();
                    if best.is_none_or(|(_, l, _)| len > l) {
                        best = Some((h, len, ()));
                    }
                }
            }
        }
        best
    }

    /// Trigger hits in `[a, b)`, one per token (the longest phrase; noun or verb by context).
    fn triggers(&self, d: &Doc, a: usize, b: usize) -> Vec<Hit> {
        let mut out = Vec::new();
        let mut i = a;
        while i < b {
            let t = &d.tokens[i];
            if t.kind != TokenKind::Word {
                i += 1;
                continue;
            }
            let mut best: Option<Hit> = None;
            let mut keys: Vec<&str> = vec![&d.stem[i], &d.alt[i]];
            keys.dedup();
            let nounish = t.has_article()
                || t.prefixes.iter().any(|p| matches!(*p, "ب" | "ك"))
                || (i > a && d.is_any(i - 1, NOUN_HOSTS))
                || (i > a && d.is_any(i - 1, PREPS));
            for k in keys {
                let Some(hits) = self.lex.forms.get(k) else {
                    continue;
                };
                for h in hits {
                    let e = &self.lex.entries[h.entry];
                    if e.pos == Pos::Verb && t.has_article() {
                        continue;
                    }
                    let t1 = if h
                        .rest
                        .iter()
                        .enumerate()
                        .all(|(m, w)| i + 1 + m < b && d.is(i + 1 + m, w))
                    {
                        i + 1 + h.rest.len()
                    } else if e.pos == Pos::Verb
                        && h.rest.len() == 1
                        && split_object(d, i, b, &h.rest[0])
                    {
                        // verb, subject, object: "أطلق الجيش النار"; the trigger is the verb,
                        // so that the subject between stays an argument
                        i + 1
                    } else {
                        continue;
                    };
                    let hit = Hit {
                        entry: h.entry,
                        kind: h.kind,
                        t0: i,
                        t1,
                    };
                    let better = match best {
                        None => true,
                        Some(bh) => {
                            let (bl, hl) = (bh.t1 - bh.t0, hit.t1 - hit.t0);
                            if hl != bl {
                                hl > bl
                            } else {
                                // a homograph: noun after an article or a preposition, else verb
                                let bp = self.lex.entries[bh.entry].pos;
                                bp != e.pos && ((e.pos == Pos::Noun) == nounish)
                            }
                        }
                    };
                    if better {
                        best = Some(hit);
                    }
                }
            }
            // "مكافحة الشغب": the name of a kind of act, not a happening
            if let Some(h) = best.filter(|h| {
                self.lex.entries[h.entry].pos == Pos::Noun
                    && i > a
                    && self.lex.cues.not_after.has(d.stem[i - 1])
            }) {
                i = h.t1;
            } else if let Some(h) = best {
                out.push(h);
                i = h.t1;
            } else {
                i += 1;
            }
        }
        out
    }

    #[allow(clippy::too_many_arguments)]
    fn sentence(
        &self,
        d: &Doc,
        doc: &DocInput,
        si: usize,
        sent: Span,
        s0: usize,
        s1: usize,
        out: &mut Vec<Cand>,
    ) {
        let hits = self.triggers(d, s0, s1);
        if hits.is_empty() {
            return;
        }
        let attribution = self.attribution(d, s0, s1);
        let question = d.text[sent.start..sent.end].contains('؟')
            || d.is(s0, "هل")
            || (s0 + 1 < s1 && d.is(s0 + 1, "هل"));
        let parts: Vec<usize> = (0..d.parts.len())
            .filter(|&k| d.parts[k].t0 >= s0 && d.parts[k].t1 <= s1)
            .collect();
        let protest_cue = (s0..s1).any(|j| d.phrase(&self.lex.cues.protest, j).is_some());
        // a disaster or an accident, and no attack or weapon in the sentence: its dead and
        // injured are not the victims of an assault
        let accident = (s0..s1).any(|j| d.phrase(&self.lex.cues.accident, j).is_some())
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
        for (hi, h) in hits.iter().enumerate() {
            let e = &self.lex.entries[h.entry];
            let cl = d.clause[h.t0];
            let in_clause = |k: &usize| d.clause[d.parts[*k].t0] == cl;
            // conditions
            if !e.needs.is_empty() {
                let lo = h.t0.saturating_sub(3).max(s0);
                if !(lo..h.t0).any(|j| e.needs.iter().any(|w| d.is(j, w) || d.tokens[j].norm == *w))
                {
                    continue;
                }
            }
            if e.protest {
                let protesters = parts
                    .iter()
                    .any(|&k| d.parts[k].role.as_deref() == Some("protesters"));
                let cue = protest_cue
                    && (s0..s1).any(|j| {
                        (j < h.t0 || j >= h.t1) && d.phrase(&self.lex.cues.protest, j).is_some()
                    });
                if !(protesters || cue) {
                    continue;
                }
            }
            let next_q = d
                .quantities
                .iter()
                .find(|(a, _, _)| *a >= h.t1 && *a <= h.t1 + 2 && d.clause[*a] == cl);
            if !e.not_before.is_empty() && h.t1 < s1 && e.not_before.iter().any(|w| d.is(h.t1, w)) {
                continue;
            }
            if accident
                && e.category == Category::Assault
                && matches!(e.count, Some(CountKind::Killed | CountKind::Injured))
            {
                continue;
            }
            if e.weak {
                let other_strong = hits.iter().zip(&strong).any(|(o, s)| {
                    *s && o.t0 != h.t0 && self.lex.entries[o.entry].category == e.category
                });
                let armed = parts
                    .iter()
                    .filter(|k| in_clause(k))
                    .any(|&k| d.parts[k].armed);
                let counted = e.count.is_some() && next_q.is_some();
                if !(other_strong || armed || counted) {
                    continue;
                }
            }
            let mut c = Cand {
                sentence: si,
                category: e.category,
                modes: e.modes.clone(),
                context: e.context.clone(),
                modality: Modality::Asserted,
                actors: Vec::new(),
                recipients: Vec::new(),
                nisba_actor: None,
                location: None,
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
            };
            let _ = hi;
            self.arguments(d, h, s0, s1, &parts, &mut c);
            // counts
            if let (Some(kind), Some((_, _, q))) = (e.count, next_q) {
                set_count(&mut c.counts, kind, count_of(q));
            }
            if let Some(kind) = e.count {
                let from = if kind == CountKind::Participants {
                    &c.actors
                } else {
                    &c.recipients
                };
                if let Some(v) = from.iter().find_map(|&k| d.parts[k].count) {
                    set_count(&mut c.counts, kind, v);
                }
                if kind == CountKind::Killed && c.counts.killed.is_none() {
                    if let [only] = c.recipients[..] {
                        let p = &d.parts[only];
                        if p.singular && (p.victim || p.entity_id.is_some() || p.name_en.is_none())
                        {
                            c.counts.killed = Some(Count {
                                value: 1,
                                approximate: false,
                                bound: Bound::Exact,
                            });
                        }
                    }
                }
            }
            // riots and defections
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
            c.money = self.money(d, h, s0, s1);
            c.modality = self.modality(d, h, s0, s1, question, attribution.is_some());
            if c.modality == Modality::Reported || c.modality == Modality::Claimed {
                c.attribution = attribution.clone().map(|(a, _)| a);
            }
            let excl = attribution.as_ref().map(|(_, r)| *r);
            let (loc, dest) = self.place(d, h, e.flee, s0, s1, excl);
            c.location = loc;
            c.destination = dest;
            c.date = self.date(d, doc, h, s0, s1);
            // evidence: the trigger and its arguments within the sentence
            let mut ev = c.trigger;
            let mut grow = |s: Span| {
                ev.start = ev.start.min(s.start);
                ev.end = ev.end.max(s.end);
            };
            for &k in c.actors.iter().chain(&c.recipients) {
                let p = &d.parts[k];
                if p.t0 >= s0 && p.t1 <= s1 && p.t0.abs_diff(h.t0) <= 12 {
                    grow(p.span);
                }
            }
            if let Some(n) = &c.nisba_actor {
                grow(n.span);
            }
            if let Some((a, b, _)) = next_q {
                grow(Span::new(d.tokens[*a].start, d.tokens[*b - 1].end));
            }
            if let Some(m) = &c.money {
                let _ = m;
                if let Some(ms) = self.money_span(d, h, s0, s1) {
                    grow(ms);
                }
            }
            c.evidence = ev;
            if !c.actors.is_empty() || !c.recipients.is_empty() {
                c.confidence += 0.1;
            }
            out.push(c);
        }
    }

    /// Actors and recipients of one trigger.
    fn arguments(&self, d: &Doc, h: &Hit, s0: usize, s1: usize, parts: &[usize], c: &mut Cand) {
        let e = &self.lex.entries[h.entry];
        let cl = d.clause[h.t0];
        let p = |k: usize| &d.parts[k];
        let mut actors: Vec<usize> = Vec::new();
        let mut recips: Vec<usize> = Vec::new();
        let after: Vec<usize> = parts
            .iter()
            .copied()
            .filter(|&k| p(k).t0 >= h.t1 && d.clause[p(k).t0] == cl)
            .collect();
        let before: Vec<usize> = parts
            .iter()
            .copied()
            .rev()
            .filter(|&k| p(k).t1 <= h.t0 && d.clause[p(k).t0] == cl)
            .collect();
        // agents marked by على يد / من قبل, anywhere after the trigger in the sentence
        for &k in parts {
            if p(k).t0 >= h.t1 && p(k).t0 <= h.t1 + 12 && d.agent_marker(p(k).t0) {
                actors.push(k);
            }
        }
        // targets: ضد X, على [مواقع] X, المعادية ل X
        for &k in &after {
            let t0 = p(k).t0;
            if t0 > h.t1 + 5 {
                break;
            }
            let prep = d.prep_before(t0);
            let on = (t0 >= 1 && d.is_any(t0 - 1, &["ضد", "علي"]) && !d.agent_marker(t0))
                || (t0 >= 2 && d.is_any(t0 - 2, &["ضد", "علي"]) && !d.is(t0 - 1, "يد"));
            let hostile = t0 >= 1
                && d.is_any(t0 - 1, &["معاديه", "معادي", "مناهضه", "مناهض", "مناهضين"])
                || (prep.as_deref() == Some("ل")
                    && t0 >= 1
                    && d.is_any(t0 - 1, &["معاديه", "معادي", "مناهضه", "مناهض"]));
            let hostile = hostile
                || (t0 >= 1
                    && d.tokens[t0].prefixes.contains(&"ل")
                    && d.is_any(t0 - 1, &["معاديه", "معادي", "مناهضه", "مناهض"]));
            if (on || hostile) && !actors.contains(&k) {
                recips.push(k);
            }
        }
        let free = |k: usize| {
            let pr = d.prep_before(p(k).t0);
            pr.is_none() || SOFT.contains(&pr.as_deref().unwrap_or(""))
        };
        let defect = e.modes.iter().any(|m| m == "defect") || e.flee;
        // the group left: انشق عن X، هرب من X، في صفوف X
        let mut group: Option<usize> = None;
        if defect {
            for &k in &after {
                let t0 = p(k).t0;
                if t0 > h.t1 + 3 {
                    break;
                }
                if t0 >= 1 && (d.is_any(t0 - 1, &["عن", "من", "صفوف"])) && (p(k).org || p(k).armed)
                {
                    group = Some(k);
                    break;
                }
            }
        }
        match e.pos {
            Pos::Verb => {
                let diacritic_passive = {
                    let w = d.tokens[h.t0].text(d.text);
                    let mut cs = w.chars().filter(|c| !matches!(c, 'و' | 'ف' | 'س'));
                    cs.next();
                    cs.next() == Some('\u{064F}')
                        || w.chars().nth(1) == Some('\u{064F}')
                        || w.starts_with("اُ")
                };
                let first_after = after.iter().copied().find(|&k| free(k));
                let q_first = d
                    .quantities
                    .iter()
                    .any(|(a, _, _)| *a == h.t1 && d.clause[*a] == cl);
                // a subject right before the verb (SVO) makes it active
                let svo = before
                    .first()
                    .is_some_and(|&k| free(k) && p(k).t1 + 2 >= h.t0);
                // victims before a killing verb with no object: "10 أشخاص قتلوا" (قُتلوا)
                let victims_before = svo
                    && before.first().is_some_and(|&k| p(k).victim)
                    && matches!(e.count, Some(CountKind::Killed | CountKind::Injured))
                    && first_after.is_none_or(|k| p(k).t0 > h.t1 + 3);
                let passive = e.passive
                    || diacritic_passive
                    || victims_before
                    || (!e.intrans
                        && !svo
                        && (q_first
                            || first_after.is_some_and(|k| p(k).t0 <= h.t1 + 1 && p(k).victim)));
                if passive {
                    for &k in &after {
                        if free(k) && p(k).t0 <= h.t1 + 6 && !actors.contains(&k) {
                            recips.push(k);
                            break;
                        }
                    }
                    if recips.is_empty() {
                        // victims before: "20 شخصا قتلوا"
                        if let Some(&k) = before.first() {
                            if free(k) && p(k).t1 + 2 >= h.t0 {
                                recips.push(k);
                            }
                        }
                    }
                } else {
                    let mut subj = if svo { before.first().copied() } else { None };
                    if let (None, Some(k)) = (subj, first_after) {
                        // VSO: the subject right after the verb (an adverb may stand between)
                        if p(k).t0 <= h.t1 + 2 && !recips.contains(&k) {
                            subj = Some(k);
                        }
                    }
                    if subj.is_none() {
                        // SVO, or the antecedent of a relative clause
                        for &k in &before {
                            if free(k) {
                                subj = Some(k);
                                break;
                            }
                        }
                        if subj.is_none() && h.t0 >= 1 && d.is_any(h.t0 - 1, RELATIVES) {
                            subj = before.first().copied();
                        }
                    }
                    if let Some(k) = subj {
                        if !actors.contains(&k) {
                            actors.push(k);
                        }
                    }
                    if !e.intrans {
                        if let Some(k) = after.iter().copied().find(|&k| {
                            Some(k) != subj
                                && free(k)
                                && p(k).t0 <= h.t1 + 8
                                && !actors.contains(&k)
                        }) {
                            if !recips.contains(&k) {
                                recips.push(k);
                            }
                        }
                    }
                }
            }
            Pos::Noun => {
                // the genitive: the participant right after the trigger (an adjective may stand
                // between)
                let gen = after
                    .iter()
                    .copied()
                    .find(|&k| p(k).t0 <= h.t1 + 1 && free(k));
                if let Some(k) = gen {
                    if !actors.contains(&k) && !recips.contains(&k) {
                        match (e.genitive, e.passive) {
                            (_, true) | (Genitive::Recipient, _) => recips.push(k),
                            (Genitive::Actor, _) => actors.push(k),
                            (Genitive::None, _) => {}
                        }
                    }
                }
                if e.genitive == Genitive::Recipient && recips.is_empty() {
                    // objective ل: "إعدام … لعدد من كبار قيادات داعش"
                    for &k in &after {
                        if p(k).t0 > h.t1 + 8 {
                            break;
                        }
                        if d.prep_before(p(k).t0).as_deref() == Some("ل") {
                            recips.push(k);
                            break;
                        }
                    }
                }
                // a nisba right after the trigger names the actor's country
                let mut j = h.t1;
                while j < s1 && j < h.t1 + 1 {
                    if let Some(cc) = self.lex.nisba_country(d.stem[j]) {
                        if actors.is_empty() {
                            c.nisba_actor = Some(Participant {
                                text: d.tokens[j].text(d.text).to_string(),
                                span: d.tokens[j].span(),
                                entity_id: None,
                                name_en: None,
                                country: Some(cc.to_string()),
                                role: (e.category == Category::Assault).then(|| "military".into()),
                            });
                        }
                        break;
                    }
                    j += 1;
                }
                if e.passive && recips.is_empty() {
                    if let Some(&k) = before.first() {
                        if free(k) {
                            recips.push(k);
                        }
                    }
                }
                if !e.passive && actors.is_empty() && c.nisba_actor.is_none() {
                    // a light verb's subject right before the noun: "أقامت داعش حواجز"
                    if let Some(&k) = before.first() {
                        if free(k) && p(k).t1 + 1 >= h.t0 && !recips.contains(&k) {
                            actors.push(k);
                        }
                    }
                }
                if actors.is_empty()
                    && c.nisba_actor.is_none()
                    && (matches!(e.category, Category::Coerce | Category::Protest)
                        || (e.category == Category::Assault && e.genitive == Genitive::Recipient))
                {
                    // further back in the sentence: who imposes, who demonstrates
                    let lo = h.t0.saturating_sub(15).max(s0);
                    for &k in parts.iter().rev() {
                        if p(k).t1 > h.t0 || p(k).t0 < lo {
                            continue;
                        }
                        let pr = d.prep_before(p(k).t0);
                        if pr.as_deref() == Some("علي") {
                            if recips.is_empty() {
                                recips.push(k);
                            }
                            continue;
                        }
                        if pr.is_none() || pr.as_deref() == Some("بين") {
                            if !recips.contains(&k) {
                                actors.push(k);
                            }
                            break;
                        }
                    }
                }
            }
        }
        if let Some(g) = group {
            if !recips.contains(&g) {
                recips.push(g);
            }
            if actors.is_empty() {
                actors.push(g);
            }
        }
        let _ = s0;
        c.actors = actors;
        c.recipients = recips;
    }

    /// The attribution of a sentence and the token range of its source phrase.
    fn attribution(&self, d: &Doc, s0: usize, s1: usize) -> Option<(Attribution, (usize, usize))> {
        let cues = &self.lex.cues;
        let stop = |j: usize| {
            d.is_any(j, &["ان", "انه", "انها", "انهم", "بان", "بانه"])
                || is_clause_break(d.text, &d.tokens[j])
                || d.tokens[j].text(d.text) == "«"
                || d.tokens[j].text(d.text) == "."
        };
        let np = |a: usize| -> Option<(usize, usize)> {
            let mut b = a;
            while b < s1 && b < a + 8 && !stop(b) {
                b += 1;
            }
            (b > a).then_some((a, b))
        };
        let is_source = |j: usize| cues.kinds.iter().any(|(_, ph)| d.phrase(ph, j).is_some());
        let mut found: Option<(usize, usize)> = None;
        for j in s0..s1 {
            if d.phrase(&cues.source_preps, j).is_some() {
                let len = d.phrase(&cues.source_preps, j).unwrap_or(1);
                if let Some(r) = np(j + len) {
                    found = Some(r);
                    break;
                }
            }
            if d.phrase(&cues.speech_verbs, j).is_some() {
                match np(j + 1) {
                    Some(r) => {
                        found = Some(r);
                    }
                    None => {
                        // "يقول أن …" with no subject: the first source named before the verb
                        if let Some(k) = (s0..j).find(|&k| is_source(k)) {
                            found = np(k).map(|(a, b)| (a, b.min(j)));
                        }
                    }
                }
                if found.is_some() {
                    break;
                }
            }
        }
        let (a, b) = found?;
        // trim trailing quote marks and keep a closing quote that belongs to a name
        let mut b = b;
        while b > a + 1
            && d.tokens[b - 1].kind == TokenKind::Punct
            && !is_quote(d.text, &d.tokens[b - 1])
        {
            b -= 1;
        }
        let kind = cues
            .kinds
            .iter()
            .find(|(_, ph)| (a..b).any(|j| d.phrase(ph, j).is_some()))
            .map(|(k, _)| k.clone())
            .or_else(|| {
                d.parts
                    .iter()
                    .any(|p| p.t0 >= a && p.t1 <= b && p.entity_id.is_some())
                    .then(|| "officials".to_string())
            })
            .unwrap_or_else(|| "unnamed_sources".to_string());
        let span = Span::new(d.tokens[a].start, d.tokens[b - 1].end);
        Some((
            Attribution {
                text: d.text[span.start..span.end].to_string(),
                span,
                kind,
            },
            (a, b),
        ))
    }

    fn modality(
        &self,
        d: &Doc,
        h: &Hit,
        s0: usize,
        s1: usize,
        question: bool,
        attributed: bool,
    ) -> Modality {
        let cues = &self.lex.cues;
        let cl = d.clause[h.t0];
        let lo3 = h.t0.saturating_sub(3).max(s0);
        if d.any_phrase(&cues.negation, lo3, h.t0).is_some() {
            return Modality::Negated;
        }
        if d.any_phrase(&cues.denial, s0, h.t0).is_some() {
            return Modality::Denied;
        }
        if question || d.any_phrase(&cues.hypothetical, s0, h.t0).is_some() {
            return Modality::Hypothetical;
        }
        let future_form = h.kind == FormKind::Future
            || (h.kind == FormKind::Imperfect && d.tokens[h.t0].prefixes.contains(&"س"));
        let lo6 = h.t0.saturating_sub(6).max(s0);
        let hi = (h.t1 + 3).min(s1);
        let fut_before = (lo6..h.t0)
            .filter(|&j| d.clause[j] == cl)
            .any(|j| d.phrase(&cues.future, j).is_some());
        let fut_after = (h.t1..hi)
            .any(|j| d.clause[j] == cl && d.is_any(j, &["مقبل", "مقبله", "قادم", "قادمه"]));
        if future_form || fut_before || fut_after {
            return Modality::Future;
        }
        let lo2 = h.t0.saturating_sub(2).max(s0);
        if self.lex.entries[h.entry].pos == Pos::Noun
            && d.any_phrase(&cues.historical, lo2, h.t0).is_some()
        {
            return Modality::Historical;
        }
        if d.any_phrase(&cues.claimed, s0, s1).is_some() {
            return Modality::Claimed;
        }
        if attributed {
            return Modality::Reported;
        }
        Modality::Asserted
    }

    fn money_span(&self, d: &Doc, h: &Hit, s0: usize, s1: usize) -> Option<Span> {
        let _ = s0;
        let cl = d.clause[h.t0];
        for (a, b, _) in &d.quantities {
            let (a, b) = (*a, *b);
            if a < h.t0 || a > h.t1 + 6 || b >= s1 || d.clause[a] != cl {
                continue;
            }
            if self.lex.cues.currencies.contains_key(d.stem[b])
                || self.lex.cues.currencies.contains_key(d.alt[b])
            {
                let mut end = b + 1;
                if end < s1 && d.phrase(&self.lex.cues.per_person, end).is_some() {
                    end += d.phrase(&self.lex.cues.per_person, end).unwrap_or(0);
                }
                return Some(Span::new(d.tokens[h.t0].start, d.tokens[end - 1].end));
            }
        }
        None
    }

    fn money(&self, d: &Doc, h: &Hit, s0: usize, s1: usize) -> Option<Money> {
        let cl = d.clause[h.t0];
        for (a, b, q) in &d.quantities {
            let (a, b) = (*a, *b);
            if a < h.t0 || a > h.t1 + 6 || b >= s1 || d.clause[a] != cl {
                continue;
            }
            let cur = self
                .lex
                .cues
                .currencies
                .get(d.stem[b])
                .or_else(|| self.lex.cues.currencies.get(d.alt[b]))?;
            let mut bound = q.bound;
            let lo = a.saturating_sub(3).max(s0);
            if (lo..a).any(|j| {
                d.phrase(&self.lex.cues.up_to, j)
                    .is_some_and(|n| j + n == a)
            }) {
                bound = Bound::UpTo;
            } else if (lo..a).any(|j| {
                d.phrase(&self.lex.cues.at_least, j)
                    .is_some_and(|n| j + n == a)
            }) {
                bound = Bound::AtLeast;
            }
            let per = (b + 1 < s1 && d.phrase(&self.lex.cues.per_person, b + 1).is_some())
                .then(|| "person".to_string());
            return Some(Money {
                amount: q.value,
                currency: cur.clone(),
                per,
                bound,
            });
        }
        None
    }

    /// Location (clause, then sentence, then article) and destination of one trigger.
    fn place(
        &self,
        d: &Doc,
        h: &Hit,
        flee: bool,
        s0: usize,
        s1: usize,
        exclude: Option<(usize, usize)>,
    ) -> (Option<Location>, Option<Location>) {
        let cl = d.clause[h.t0];
        let mut dest_idx = None;
        if flee {
            dest_idx = d.places.iter().position(|(a, _, _)| {
                *a >= h.t1 && *a < s1 && *a >= 1 && d.phrase(&self.lex.cues.to, *a - 1).is_some()
            });
        }
        let usable = |k: usize| {
            let (a, b, _) = d.places[k];
            Some(k) != dest_idx && !exclude.is_some_and(|(x, y)| a >= x && b <= y)
        };
        let dist = |k: usize| {
            let (a, _, _) = d.places[k];
            if a >= h.t1 {
                a - h.t1
            } else {
                // places before the trigger count a little further
                (h.t0 - a) + 2
            }
        };
        let in_clause = (0..d.places.len())
            .filter(|&k| usable(k) && d.clause[d.places[k].0] == cl)
            .min_by_key(|&k| dist(k));
        let in_sentence = || {
            (0..d.places.len())
                .filter(|&k| usable(k) && d.places[k].0 >= s0 && d.places[k].1 <= s1)
                .min_by_key(|&k| dist(k))
        };
        let in_article = || {
            // the place the article names most often
            let mut best: Option<(usize, usize)> = None;
            for k in (0..d.places.len()).filter(|&k| Some(k) != dest_idx) {
                let n = d
                    .places
                    .iter()
                    .filter(|(_, _, p)| p.name_en == d.places[k].2.name_en)
                    .count();
                if best.is_none_or(|(_, bn)| n > bn) {
                    best = Some((k, n));
                }
            }
            best.map(|(k, _)| k)
        };
        let loc = in_clause
            .or_else(in_sentence)
            .or_else(in_article)
            .map(|k| self.location(d, k));
        let dest = dest_idx.map(|k| self.location(d, k));
        (loc, dest)
    }

    fn location(&self, d: &Doc, k: usize) -> Location {
        let (a, _, p) = d.places[k];
        let mut precision = p.precision;
        if precision == Precision::Exact {
            let lo = a.saturating_sub(2);
            if (lo..a).any(|j| d.phrase(&self.lex.cues.near, j).is_some()) {
                precision = Precision::Near;
            }
        }
        Location {
            text: p.text.clone(),
            span: Span::new(p.start, p.end),
            geonameid: p.geonameid,
            name_en: p.name_en.clone(),
            name_ar: p.name_ar.clone(),
            country: p.country.clone(),
            admin1: p.admin1.clone(),
            lat: p.lat,
            lon: p.lon,
            precision,
        }
    }

    fn date(&self, d: &Doc, doc: &DocInput, h: &Hit, s0: usize, s1: usize) -> Option<EventDate> {
        let cl = d.clause[h.t0];
        let pick = |f: &dyn Fn(usize) -> bool| {
            d.dates
                .iter()
                .filter(|(a, _, _)| f(*a))
                .min_by_key(|(a, _, _)| a.abs_diff(h.t0))
        };
        let m = pick(&|a| d.clause[a] == cl).or_else(|| pick(&|a| a >= s0 && a < s1));
        if let Some((_, _, m)) = m {
            return Some(EventDate {
                value: m.value,
                precision: m.precision,
                text: Some(d.text[m.start..m.end].to_string()),
                span: Some(Span::new(m.start, m.end)),
            });
        }
        // no date in the text: on or before publication, within the week that ends with it
        doc.date.map(|v| EventDate {
            value: v,
            precision: DatePrecision::Week,
            text: None,
            span: None,
        })
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

fn trim_quote_end(p: &mut Part, d: &Doc) {
    // keep a closing quote only when the phrase has an opening one
    while p.t1 > p.t0 + 1 && is_quote(d.text, &d.tokens[p.t1 - 1]) {
        let opens = (p.t0..p.t1 - 1)
            .filter(|&j| is_quote(d.text, &d.tokens[j]))
            .count();
        if opens % 2 == 1 {
            break;
        }
        p.t1 -= 1;
        p.span.end = d.tokens[p.t1 - 1].end;
    }
}

/// Names the participants of a candidate (entity, English name or text key), for comparing.
fn names(c: &Cand, d: &Doc) -> Vec<String> {
    let mut v: Vec<String> = c
        .actors
        .iter()
        .map(|&k| {
            let p = &d.parts[k];
            p.entity_id
                .clone()
                .or_else(|| p.name_en.clone())
                .unwrap_or_else(|| d.stem[p.t0..p.t1].join(" "))
        })
        .collect();
    if let Some(n) = &c.nisba_actor {
        v.push(n.country.clone().unwrap_or_default());
    }
    v
}

fn compatible(a: &Cand, b: &Cand, d: &Doc) -> bool {
    if a.category != b.category || a.modality.counts() != b.modality.counts() {
        return false;
    }
    let (na, nb) = (names(a, d), names(b, d));
    if !na.is_empty() && !nb.is_empty() && !na.iter().any(|x| nb.contains(x)) {
        return false;
    }
    match (&a.location, &b.location) {
        (Some(x), Some(y)) => x.name_en == y.name_en,
        _ => true,
    }
}

fn absorb(a: &mut Cand, b: Cand) {
    for m in &b.modes {
        push_unique(&mut a.modes, m);
    }
    for m in &b.context {
        push_unique(&mut a.context, m);
    }
    for k in b.actors {
        // one participant is not both sides of one happening
        if !a.actors.contains(&k) && !a.recipients.contains(&k) {
            a.actors.push(k);
        }
    }
    for k in b.recipients {
        if !a.recipients.contains(&k) && !a.actors.contains(&k) {
            a.recipients.push(k);
        }
    }
    if a.nisba_actor.is_none() {
        a.nisba_actor = b.nisba_actor;
    }
    merge_counts(&mut a.counts, &b.counts);
    a.money = a.money.take().or(b.money);
    a.location = a.location.take().or(b.location);
    a.destination = a.destination.take().or(b.destination);
    if a.date.as_ref().is_none_or(|x| x.span.is_none())
        && b.date.as_ref().is_some_and(|x| x.span.is_some())
    {
        a.date = b.date;
    }
    a.attribution = a.attribution.take().or(b.attribution);
    if a.sentence == b.sentence {
        a.evidence.start = a.evidence.start.min(b.evidence.start);
        a.evidence.end = a.evidence.end.max(b.evidence.end);
    }
    a.mentions.push(b.trigger);
    a.mentions.extend(b.mentions);
    a.confidence = a.confidence.max(b.confidence) + 0.05;
    a.weak &= b.weak;
}

/// Merges mentions of one happening: in a sentence, same category with compatible actors and
/// place; across sentences, also the same trigger word and the same named place.
fn merge(cands: Vec<Cand>, d: &Doc) -> Vec<Cand> {
    let mut out: Vec<Cand> = Vec::new();
    for c in cands {
        let same_sentence = out
            .iter()
            .rposition(|o| o.sentence == c.sentence && compatible(o, &c, d));
        if let Some(k) = same_sentence {
            absorb(&mut out[k], c);
            continue;
        }
        let key = d.text[c.trigger.start..c.trigger.end].to_string();
        let across = out.iter().rposition(|o| {
            o.sentence != c.sentence
                && compatible(o, &c, d)
                && o.location.is_some()
                && c.location.is_some()
                && d.text[o.trigger.start..o.trigger.end] == key
        });
        if let Some(k) = across {
            absorb(&mut out[k], c);
            continue;
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run_with(text: &str, places: &[marsad_geo::Place]) -> Vec<Event> {
        let doc = DocInput {
            id: "t",
            text,
            date: chrono::NaiveDate::from_ymd_opt(2015, 2, 20),
        };
        Extractor::builtin().candidates(&doc, &marsad_text::analyze(text), &[], places)
    }

    fn run(text: &str) -> Vec<Event> {
        run_with(text, &[])
    }

    fn place(text: &str, doc: &str, name_en: &str, country: &str) -> marsad_geo::Place {
        let start = doc.find(text).unwrap();
        marsad_geo::Place {
            start,
            end: start + text.len(),
            text: text.to_string(),
            geonameid: None,
            name_en: name_en.to_string(),
            name_ar: text.to_string(),
            country: country.to_string(),
            admin1: None,
            lat: 0.0,
            lon: 0.0,
            precision: Precision::Country,
            feature: "country".into(),
        }
    }

    #[test]
    fn doc_example() {
        let ev = run("وقال مصدر في الشرطة إن مسلحين اغتالوا ضابطا أمس.");
        assert_eq!(ev.len(), 1, "{ev:#?}");
        assert_eq!(ev[0].actors[0].text, "مسلحين");
        assert_eq!(ev[0].recipients[0].text, "ضابطا");
        assert_eq!(ev[0].counts.killed.map(|c| c.value), Some(1));
        let d = ev[0].date.as_ref().unwrap();
        assert_eq!(d.value.to_string(), "2015-02-19");
    }

    /// (sentence, category, trigger, actor contains, recipient contains, count, modes)
    type Case = (
        &'static str,
        Category,
        &'static str,
        Option<&'static str>,
        Option<&'static str>,
        Option<(&'static str, u64)>,
        &'static [&'static str],
    );

    const CASES: &[Case] = &[
        (
            "اعتقلت قوات الأمن ثلاثة ناشطين في المدينة.",
            Category::Coerce,
            "اعتقلت",
            Some("قوات الأمن"),
            Some("ناشطين"),
            Some(("arrested", 3)),
            &["arrest"],
        ),
        (
            "قتل 20 شخصا في انفجار سيارة مفخخة.",
            Category::Assault,
            "قتل",
            None,
            Some("شخصا"),
            Some(("killed", 20)),
            &["explosives"],
        ),
        (
            "قتل الصحفي على يد مسلحين مجهولين.",
            Category::Assault,
            "قتل",
            Some("مسلحين"),
            Some("الصحفي"),
            Some(("killed", 1)),
            &[],
        ),
        (
            "شنت طائرات التحالف غارات على مواقع المسلحين.",
            Category::Assault,
            "غارات",
            Some("طائرات التحالف"),
            Some("المسلحين"),
            None,
            &["aerial"],
        ),
        (
            "تظاهر آلاف المحتجين أمام البرلمان.",
            Category::Protest,
            "تظاهر",
            Some("المحتجين"),
            None,
            // آلاف: thousands, at least two (marsad-text's reading of vague plurals)
            Some(("participants", 2000)),
            &["demo"],
        ),
        (
            "أحرق متظاهرون غاضبون إطارات السيارات.",
            Category::Protest,
            "أحرق",
            Some("متظاهرون"),
            None,
            None,
            &["riot"],
        ),
        (
            "أقامت الميليشيات حواجز على الطرق.",
            Category::Coerce,
            "حواجز",
            Some("الميليشيات"),
            None,
            None,
            &["restrict"],
        ),
        (
            "اختطف مسلحون خمسة عمال أجانب.",
            Category::Assault,
            "اختطف",
            Some("مسلحون"),
            Some("عمال"),
            Some(("abducted", 5)),
            &["abduct"],
        ),
    ];

    #[test]
    fn extraction_rules() {
        for (text, cat, trig, actor, recip, count, modes) in CASES {
            let ev = run(text);
            let e = ev
                .iter()
                .find(|e| e.event_type == *cat)
                .unwrap_or_else(|| panic!("{text}: no {cat:?} in {ev:#?}"));
            assert_eq!(e.trigger.text, *trig, "{text}");
            if let Some(a) = actor {
                assert!(
                    e.actors.iter().any(|p| p.text.contains(a)),
                    "{text}: actors {:?}",
                    e.actors
                );
            }
            if let Some(r) = recip {
                assert!(
                    e.recipients.iter().any(|p| p.text.contains(r)),
                    "{text}: recipients {:?}",
                    e.recipients
                );
            }
            if let Some((kind, v)) = count {
                let c = match *kind {
                    "killed" => e.counts.killed,
                    "arrested" => e.counts.arrested,
                    "abducted" => e.counts.abducted,
                    _ => e.counts.participants,
                };
                assert_eq!(c.map(|c| c.value), Some(*v), "{text}: {:?}", e.counts);
            }
            for m in *modes {
                assert!(e.mode.iter().any(|x| x == m), "{text}: modes {:?}", e.mode);
            }
        }
    }

    const MODALITY: &[(&str, Modality)] = &[
        ("اغتال مسلحون ضابطا في المدينة.", Modality::Asserted),
        ("لم تعتقل الشرطة أحدا من المحتجين.", Modality::Negated),
        ("نفت الحكومة اعتقال الصحفيين.", Modality::Denied),
        ("سوف تقصف الطائرات المدينة.", Modality::Future),
        ("ستقصف الطائرات المدينة غدا.", Modality::Future),
        (
            "إذا هاجم المسلحون القرية سيرد الجيش.",
            Modality::Hypothetical,
        ),
        ("هل اغتال الجيش القائد؟", Modality::Hypothetical),
        ("تبنى التنظيم تفجير السيارة في السوق.", Modality::Claimed),
        ("منذ اغتيال الرئيس تغيرت البلاد.", Modality::Historical),
        ("قال مسؤول إن الجيش قصف القرية.", Modality::Reported),
        (
            "وبحسب شهود عيان اعتقلت الشرطة عشرة أشخاص.",
            Modality::Reported,
        ),
    ];

    #[test]
    fn modality_table() {
        for (text, want) in MODALITY {
            let ev = run(text);
            assert!(!ev.is_empty(), "{text}: no event");
            assert_eq!(ev[0].modality, *want, "{text}: {ev:#?}");
        }
    }

    #[test]
    fn attribution_kinds() {
        let table = [
            ("وبحسب شهود عيان اعتقلت الشرطة عشرة أشخاص.", "witnesses"),
            (
                "وذكرت مصادر من سكان المدينة أن مسلحين هاجموا السوق.",
                "residents",
            ),
            ("وقال ناشطون إن الجيش قصف الحي.", "activists"),
            ("وأفادت وكالة الأنباء بأن انفجارا وقع في السوق.", "media"),
            (
                "وقال المتحدث باسم الشرطة إن مسلحين اغتالوا ضابطا.",
                "officials",
            ),
        ];
        for (text, kind) in table {
            let ev = run(text);
            let a = ev[0]
                .attribution
                .as_ref()
                .unwrap_or_else(|| panic!("{text}"));
            assert_eq!(a.kind, kind, "{text}: {a:?}");
        }
    }

    #[test]
    fn money_with_bound_and_per_person() {
        let ev = run("وفرض المسلحون على السكان رشاوى تصل إلى 500 دولار للفرد.");
        let e = ev
            .iter()
            .find(|e| e.event_type == Category::Coerce)
            .unwrap();
        let m = e.money.as_ref().unwrap();
        assert_eq!((m.amount, m.currency.as_str()), (500.0, "USD"));
        assert_eq!((m.per.as_deref(), m.bound), (Some("person"), Bound::UpTo));
        assert!(
            e.actors.iter().any(|p| p.text == "المسلحون"),
            "{:?}",
            e.actors
        );
        assert!(
            e.recipients.iter().any(|p| p.text == "السكان"),
            "{:?}",
            e.recipients
        );
    }

    #[test]
    fn one_happening_one_event() {
        let ev = run("انفجرت سيارة مفخخة في السوق ما أسفر عن مقتل ستة مدنيين وإصابة عشرة آخرين.");
        let a: Vec<&Event> = ev
            .iter()
            .filter(|e| e.event_type == Category::Assault)
            .collect();
        assert_eq!(a.len(), 1, "{a:#?}");
        assert_eq!(a[0].counts.killed.map(|c| c.value), Some(6));
        assert_eq!(a[0].counts.injured.map(|c| c.value), Some(10));
    }

    #[test]
    fn organization_noun_resolves_and_flight_is_defection() {
        let text = "سيطر تنظيم داعش على المدينة. وقد هرب 15 من قيادات التنظيم إلى تركيا.";
        let tr = place("تركيا", text, "Turkey", "TR");
        let ev = run_with(text, &[tr]);
        let e = ev.iter().find(|e| e.trigger.text == "هرب").unwrap();
        assert_eq!(e.event_type, Category::Sanction);
        assert_eq!(e.mode, vec!["withdraw".to_string(), "defect".to_string()]);
        let a = &e.actors[0];
        assert_eq!(a.name_en.as_deref(), Some("Islamic State (ISIS)"));
        assert_eq!(a.role.as_deref(), Some("leaders"));
        assert_eq!(
            e.destination.as_ref().map(|d| d.country.as_str()),
            Some("TR")
        );
        assert!(e.location.is_none(), "the destination is not the location");
        assert_eq!(e.counts.participants.map(|c| c.value), Some(15));
    }

    #[test]
    fn disasters_and_accidents_are_not_assaults_but_attacks_in_them_are() {
        let assault = |t: &str| run(t).iter().any(|e| e.event_type == Category::Assault);
        assert!(!assault(
            "قتل 11 شخصا على الأقل بسبب زلزال ضرب هايتي مساء السبت."
        ));
        assert!(!assault("وأسفر الحريق عن مقتل 6 أشخاص وإصابة عشرة آخرين."));
        assert!(!assault("قتل 3 أشخاص في حادث اصطدام حافلة بشاحنة."));
        assert!(assault(
            "قتل 5 أشخاص في انفجار عبوة ناسفة أدى إلى حريق في السوق."
        ));
        assert!(assault("أحرق مسلحون منزلا ما أدى إلى حريق ومقتل امرأة."));
        assert!(assault("وقتل 20 شخصا في هجوم على القرية."));
    }

    #[test]
    fn dawn_is_not_a_detonation() {
        let ev = run("ضرب زلزال بقوة 6 درجات فجر الاثنين قبالة السواحل.");
        assert!(ev.iter().all(|e| e.trigger.text != "فجر"), "{ev:#?}");
        let ev = run("فجر انتحاري نفسه في السوق.");
        assert!(ev.iter().any(|e| e.trigger.text == "فجر"), "{ev:#?}");
    }

    #[test]
    fn verb_phrases_match_with_the_article_and_around_the_subject() {
        for (text, actor, recip) in [
            (
                "أطلق الجيش النار على المتظاهرين في بغداد.",
                "الجيش",
                "المتظاهرين",
            ),
            (
                "وأطلقت قوات الأمن النار على المحتجين.",
                "قوات الأمن",
                "المحتجين",
            ),
            ("أطلق مسلحون مجهولون النار على الشرطة.", "مسلحون", "الشرطة"),
        ] {
            let ev = run(text);
            let e = ev
                .iter()
                .find(|e| e.event_type == Category::Assault && e.trigger.text.contains("أطلق"))
                .unwrap_or_else(|| panic!("{text}: {ev:#?}"));
            assert!(
                e.actors.iter().any(|p| p.text.starts_with(actor)),
                "{text}: {e:#?}"
            );
            assert!(
                e.recipients.iter().any(|p| p.text == recip),
                "{text}: {e:#?}"
            );
        }
        assert!(run("وأعلنت السلطات تسليم أسد الله أسدي إلى بلجيكا.").is_empty());
        assert!(run("أسقطت الدفاعات الطائرات المسيرة.")
            .iter()
            .all(|e| e.event_type != Category::Protest));
        assert!(run("أطلقت السلطات سراح المعتقلين.")
            .iter()
            .all(|e| e.event_type != Category::Assault));
        let ev = run("وقال الحاكم إن 10 أشخاص على الأقل قتلوا في الهجوم.");
        let e = ev.iter().find(|e| e.trigger.text == "قتلوا").unwrap();
        assert!(e.actors.is_empty(), "{e:#?}");
        assert_eq!(e.recipients[0].text, "أشخاص", "{e:#?}");
        assert_eq!(e.counts.killed.map(|c| c.value), Some(10), "{e:#?}");
        let ev = run("وقال الحاكم إن مواطنين قتلوا جنديا في الهجوم.");
        let e = ev.iter().find(|e| e.trigger.text == "قتلوا").unwrap();
        assert_eq!(e.actors[0].text, "مواطنين", "{e:#?}");
        let ev = run("قتل شاب فلسطيني برصاص الجيش الإسرائيلي في الخليل.");
        assert!(ev[0].actors[0].text.starts_with("الجيش"), "{ev:#?}");
        assert_eq!(ev[0].recipients[0].text, "شاب فلسطيني", "{ev:#?}");
    }

    #[test]
    fn ids_are_stable() {
        let a = run("قتل 20 شخصا في انفجار سيارة مفخخة.");
        let b = run("قتل 20 شخصا في انفجار سيارة مفخخة.");
        assert_eq!(a[0].id, b[0].id);
        assert_eq!(a[0].id.len(), 16);
    }
}
