//! The view over one document's tokens that every step reads: match words, clauses, the
//! quantities, dates, places and participants found in it, and the cues around a phrase.

use super::words::Words;
use super::Extractor;
use crate::lexicon::Phrases;
use crate::{Count, DocInput, Participant};
use marsad_text::date::{find_dates, DateMention};
use marsad_text::number::{find_quantities, Quantity};
use marsad_text::{Span, TextAnalysis, Token, TokenKind};

/// A phrase that names a participant, with what the lexicons and the NER stage know of it.
#[derive(Debug, Clone)]
pub(super) struct Part {
    /// Token range.
    pub(super) t0: usize,
    pub(super) t1: usize,
    pub(super) span: Span,
    pub(super) role: Option<String>,
    pub(super) armed: bool,
    pub(super) victim: bool,
    pub(super) singular: bool,
    pub(super) entity_id: Option<String>,
    pub(super) name_en: Option<String>,
    pub(super) country: Option<String>,
    /// Whether it is a named organization (entity ORG or a named group).
    pub(super) org: bool,
    /// Quantity right before it ("15 من قيادات").
    pub(super) count: Option<Count>,
    /// Whether the NER stage named it (a person or an organization).
    pub(super) named: bool,
}

impl Part {
    pub(super) fn to_participant(&self, text: &str) -> Participant {
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

/// Per-document working state.
pub(super) struct Doc<'a> {
    pub(super) text: &'a str,
    pub(super) tokens: &'a [Token],
    /// Match word per token: the stem (a key, clitics split off).
    pub(super) stem: Vec<&'a str>,
    /// Second match word: the whole token's key without و/ف and the article.
    pub(super) alt: Vec<&'a str>,
    /// Third match word: the stem without a و or ف the analyser left on it (وتحذره: تحذر).
    pub(super) bare: Vec<&'a str>,
    /// Clause index per token.
    pub(super) clause: Vec<usize>,
    /// The token range of each sentence.
    /// Per token: [`crate::lexicon::key_hash`] of its stem, alt and bare forms.
    pub(super) hashes: Vec<[u64; 3]>,
    pub(super) sents: Vec<std::ops::Range<usize>>,
    pub(super) parts: Vec<Part>,
    pub(super) quantities: Vec<(usize, usize, Quantity)>,
    /// Per token: the first token of the quantity it is part of, if any.
    pub(super) qstart: Vec<Option<usize>>,
    pub(super) dates: Vec<(usize, usize, DateMention)>,
    pub(super) places: Vec<(usize, usize, &'a marsad_geo::Place)>,
    /// The word lists (`data/events/*.txt`).
    pub(super) words: &'a Words,
    /// A sports report: words of the game (`sports` in the cues) three times or more.
    pub(super) sports: bool,
    /// A disaster report: its first sentence tells of a disaster (`accident` in the cues) and
    /// the article names one again; its deaths with no attack in their sentence are the
    /// disaster's ("وقتل 76 شخصا في الولاية").
    pub(super) disaster: bool,
    /// Where the phrases of a cue list start in the document (keyed by the list's address),
    /// found the first time [`Doc::any_phrase`] looks through a long range for that list.
    pub(super) phrase_starts: std::cell::RefCell<Vec<(usize, Vec<usize>)>>,
    /// The place the article names most often (see `Extractor::place`), found once.
    pub(super) article_place: std::cell::OnceCell<Option<usize>>,
    /// Whether the article names a town the gazetteer does not know (مدينة بامبلونا), found
    /// once per article when asked.
    pub(super) unknown_town: std::cell::OnceCell<bool>,
}

/// A range longer than this is searched for a cue phrase through [`Doc::phrase_starts`] (a
/// binary search) rather than token by token, so that looking back from every trigger of a
/// long sentence stays linear in its length.
const SCAN_MAX: usize = 64;

impl Doc<'_> {
    /// Where the word of token `j` starts, past a conjunction written onto it (والطيران:
    /// الطيران); a preposition stays, since with the article it changes the letters (للتحالف).
    pub(super) fn word_start(&self, j: usize) -> usize {
        let t = &self.tokens[j];
        let conj = t.prefixes.first().filter(|p| matches!(**p, "و" | "ف"));
        match conj {
            Some(c) if t.prefixes.len() > 1 || t.stem.chars().count() > 1 => {
                let text = t.text(self.text);
                if text.starts_with(c) {
                    t.start + c.len()
                } else {
                    t.start
                }
            }
            _ => t.start,
        }
    }

    /// The indices of the places that start in `[a, b)` (the places are in text order).
    pub(super) fn places_in(&self, a: usize, b: usize) -> std::ops::Range<usize> {
        let lo = self.places.partition_point(|&(x, _, _)| x < a);
        let hi = self.places.partition_point(|&(x, _, _)| x < b);
        lo..hi.max(lo)
    }

    pub(super) fn is(&self, j: usize, w: &str) -> bool {
        j < self.stem.len() && (self.stem[j] == w || self.alt[j] == w || self.bare[j] == w)
    }

    pub(super) fn is_any<W: AsRef<str>>(&self, j: usize, ws: &[W]) -> bool {
        ws.iter().any(|w| self.is(j, w.as_ref()))
    }

    /// Whether token `j` (its stem, or its whole form without و/ف and the article) is a word
    /// of the list `ws` (a set look-up: [`Doc::is_any`] for lists of the data files).
    pub(super) fn is_word(&self, j: usize, ws: &super::words::WordSet) -> bool {
        if j >= self.stem.len() {
            return false;
        }
        let [h0, h1, h2] = self.hashes[j];
        ws.has_hashed(self.stem[j], h0)
            || ws.has_hashed(self.alt[j], h1)
            || ws.has_hashed(self.bare[j], h2)
    }

    /// Whether a phrase of `p` ends right before token `a`, or with at most `gap` words between
    /// (المتاخم لإيران؛ التي تسكن في شمال لندن).
    pub(super) fn cue_before(&self, p: &Phrases, a: usize, gap: usize) -> bool {
        (a.saturating_sub(gap + 1)..a).any(|j| {
            self.phrase(p, j)
                .is_some_and(|n| j + n <= a && a <= j + n + gap)
        })
    }

    /// The relative pronoun that describes the definite word at `t0` ending before `t1`, past
    /// up to three definite adjectives (التفجير الانتحاري الجبان الذي …), if one does: the
    /// sentence takes what the word names as known.
    pub(super) fn describing(&self, t0: usize, t1: usize) -> Option<usize> {
        let definite = |j: usize| self.tokens.get(j).is_some_and(Token::has_article);
        if !definite(t0) {
            return None;
        }
        let mut r = t1;
        while r < t1 + 3 && definite(r) && !self.is_word(r, &self.words.relatives) {
            r += 1;
        }
        self.is_word(r, &self.words.relatives).then_some(r)
    }

    /// Whether token `j` opens with the conjunction و or ف (وأصيب، فقتل).
    pub(super) fn conjoined(&self, j: usize) -> bool {
        self.tokens[j]
            .prefixes
            .first()
            .is_some_and(|c| matches!(*c, "و" | "ف"))
    }

    pub(super) fn phrase(&self, p: &Phrases, i: usize) -> Option<usize> {
        if i >= self.stem.len() {
            return None;
        }
        let [h0, h1, h2] = self.hashes[i];
        p.at_hashed(
            self.stem.len(),
            i,
            &[(self.stem[i], h0), (self.alt[i], h1), (self.bare[i], h2)],
            |j, w| self.is(j, w),
        )
    }

    /// What identifies a participant, for comparing: its entity, English name or text key.
    pub(super) fn ident(&self, p: &Part) -> String {
        p.entity_id
            .clone()
            .or_else(|| p.name_en.clone())
            .unwrap_or_else(|| self.stem[p.t0..p.t1].join(" "))
    }

    /// Whether a cue phrase starts anywhere in `[a, b)`.
    pub(super) fn any_phrase(&self, p: &Phrases, a: usize, b: usize) -> Option<usize> {
        if b <= a + SCAN_MAX {
            return (a..b).find(|&j| self.phrase(p, j).is_some());
        }
        let key = p as *const Phrases as usize;
        let mut cache = self.phrase_starts.borrow_mut();
        let k = match cache.iter().position(|(q, _)| *q == key) {
            Some(k) => k,
            None => {
                let starts = (0..self.stem.len())
                    .filter(|&j| self.phrase(p, j).is_some())
                    .collect();
                cache.push((key, starts));
                cache.len() - 1
            }
        };
        let starts = &cache[k].1;
        let at = starts.partition_point(|&j| j < a);
        starts.get(at).copied().filter(|&j| j < b)
    }

    /// The preposition governing the phrase that starts at token `t0` (a clitic on it, or the
    /// word before it past quote marks, a demonstrative and a quantity).
    pub(super) fn prep_before(&self, t0: usize) -> Option<String> {
        let t = &self.tokens[t0];
        if let Some(p) = t.prefixes.iter().find(|p| matches!(**p, "ب" | "ل" | "ك")) {
            return Some((*p).to_string());
        }
        if t0 == 0 {
            return None;
        }
        let mut j = t0 - 1;
        // quote marks and a demonstrative may stand between ("عن هذين الصحفيين")
        while j > 0 && is_quote(self.text, &self.tokens[j]) {
            j -= 1;
        }
        if self.is_word(j, &self.words.demonstratives) {
            if let Some(p) = self.tokens[j]
                .prefixes
                .iter()
                .find(|p| matches!(**p, "ب" | "ل" | "ك"))
            {
                return Some((*p).to_string());
            }
            if j == 0 {
                return None;
            }
            j -= 1;
        }
        // a quantity, partitive or not: "15 من قيادات"، "ستة مدنيين"، "لعدد من كبار"
        let is_q = |j: usize| {
            self.tokens[j].kind == TokenKind::Number
                || self.is_word(j, &self.words.quantity)
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
        // a preposition with a pronoun is a whole phrase: "سيطر عليها متمردون"
        if self.is_word(j, &self.words.preps) && self.tokens[j].suffixes.is_empty() {
            return Some(self.stem[j].to_string());
        }
        None
    }

    /// Whether "على يد"/"على أيدي"/"من قبل"/"برصاص"/"بنيران" comes right before token `t0`.
    pub(super) fn agent_marker(&self, t0: usize) -> bool {
        t0 >= 2
            && ((self.is(t0 - 2, "علي") && self.is_any(t0 - 1, &["يد", "ايدي"]))
                || (self.is(t0 - 2, "من") && self.is(t0 - 1, "قبل")))
            || t0 >= 1 && self.is(t0 - 1, "بيد")
            || t0 >= 1
                && self.tokens[t0 - 1].prefixes.last() == Some(&"ب")
                && self.is_any(t0 - 1, &["رصاص", "رصاصه", "نيران", "نار"])
    }
}

/// Words of the game that make an article a sports report (a match is no clash, a forward no
/// attack: هجوم الهلال، مواجهات العملاقين، خطف الأضواء).
const SPORTS_WORDS: usize = 3;

pub(super) fn is_quote(text: &str, t: &Token) -> bool {
    t.kind == TokenKind::Punct && matches!(t.text(text), "\"" | "«" | "»" | "“" | "”" | "'")
}

pub(super) fn is_clause_break(text: &str, t: &Token) -> bool {
    t.kind == TokenKind::Punct && matches!(t.text(text), "،" | "," | "؛" | ";" | ":" | "(" | ")")
}

/// Token index range covering byte span `[s, e)`.
pub(super) fn token_range(tokens: &[Token], s: usize, e: usize) -> Option<(usize, usize)> {
    let a = tokens.partition_point(|t| t.end <= s);
    let b = tokens.partition_point(|t| t.start < e);
    (a < b).then_some((a, b))
}

impl Extractor {
    pub(super) fn prepare<'a>(
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
        let mut bare = Vec::with_capacity(tokens.len());
        for t in tokens {
            stem.push(t.stem.as_str());
            let s = t.stem.as_str();
            bare.push(
                s.strip_prefix('و')
                    .or_else(|| s.strip_prefix('ف'))
                    .filter(|r| t.prefixes.is_empty() && r.chars().count() >= 3)
                    .unwrap_or(s),
            );
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
        let hashes = (0..tokens.len())
            .map(|j| {
                let h0 = crate::lexicon::key_hash(stem[j]);
                let h1 = if alt[j] == stem[j] {
                    h0
                } else {
                    crate::lexicon::key_hash(alt[j])
                };
                let h2 = if bare[j] == stem[j] {
                    h0
                } else {
                    crate::lexicon::key_hash(bare[j])
                };
                [h0, h1, h2]
            })
            .collect();
        let mut d = Doc {
            hashes,
            text,
            tokens,
            stem,
            alt,
            bare,
            clause,
            sents: (0..analysis.sentences.len())
                .map(|i| analysis.sentence_tokens(i))
                .collect(),
            parts: Vec::new(),
            quantities: Vec::new(),
            qstart: vec![None; tokens.len()],
            dates: Vec::new(),
            places: Vec::new(),
            words: self.words,
            sports: false,
            disaster: false,
            phrase_starts: Default::default(),
            article_place: Default::default(),
            unknown_town: Default::default(),
        };
        d.sports = (0..tokens.len())
            .filter(|&j| d.phrase(&self.lex.cues.sports, j).is_some())
            .count()
            >= SPORTS_WORDS;
        let disasters = |r: std::ops::Range<usize>| {
            r.filter(|&j| d.phrase(&self.lex.cues.accident, j).is_some())
                .count()
        };
        let lead = analysis
            .sentences
            .first()
            .map_or(0..0, |_| analysis.sentence_tokens(0));
        d.disaster = disasters(lead) > 0 && disasters(0..tokens.len()) >= 2;
        for m in find_dates(text, tokens, doc.date) {
            if let Some((a, b)) = token_range(tokens, m.start, m.end) {
                d.dates.push((a, b, m));
            }
        }
        for q in find_quantities(text, tokens) {
            if let Some((a, b)) = token_range(tokens, q.start, q.end) {
                // a day of the month or a year (4 مارس, عام 2014) is part of a date, no quantity
                if d.dates.iter().any(|(da, db, _)| a < *db && *da < b) {
                    continue;
                }
                d.qstart[a..b].fill(Some(a));
                d.quantities.push((a, b, q));
            }
        }
        for p in places {
            if let Some((a, b)) = token_range(tokens, p.start, p.end) {
                d.places.push((a, b, p));
            }
        }
        // in text order, which the look-ups by position rely on
        d.places.sort_by_key(|&(a, _, _)| a);
        self.anaphoric_towns(&mut d);
        d.parts = self.participants(&d, entities);
        d
    }
}
