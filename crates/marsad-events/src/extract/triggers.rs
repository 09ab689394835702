//! Triggers: the words and phrases that name events, a noun or a verb by context.

use super::doc::Doc;
use super::Extractor;
use crate::lexicon::{FormKind, Genitive, Pos, TriggerEntry};
use marsad_record::Category;
use marsad_text::TokenKind;

/// One trigger occurrence.
#[derive(Debug, Clone, Copy)]
pub(super) struct Hit {
    pub(super) entry: usize,
    pub(super) kind: FormKind,
    pub(super) t0: usize,
    pub(super) t1: usize,
}

/// Where the second word `w` of a two-word verb phrase follows the verb at `i` after a short
/// subject (one to four words, no punctuation, none behind a preposition ب or ك): "أطلقت قوات
/// الأمن النار", not "قضت المحكمة بالسجن على".
fn split_object(d: &Doc, i: usize, b: usize, w: &str) -> Option<usize> {
    for j in i + 2..(i + 6).min(b) {
        let t = &d.tokens[j - 1];
        // the subject may be counted: "لقي 10 أشخاص مصرعهم"
        if !matches!(t.kind, TokenKind::Word | TokenKind::Number)
            || t.prefixes.iter().any(|p| matches!(*p, "ب" | "ك"))
        {
            return None;
        }
        if d.is(j, w) {
            return Some(j);
        }
    }
    None
}

/// Whether what follows the phrase that ends before token `t1` (within `[.., b)`) makes it
/// another word: one of the entry's `not_before` words, a date, or a word with one of its
/// `not_before` proclitics (فجر الاثنين, فجر 10 مايو: dawn; وفرت لهم, وفرت للسكان: provided).
fn blocked_after(d: &Doc, e: &TriggerEntry, t1: usize, b: usize) -> bool {
    if t1 >= b {
        return false;
    }
    e.not_before.iter().any(|w| d.is(t1, w))
        || (e.not_before_date && d.dates.iter().any(|(a, _, _)| *a == t1))
        || e.not_before_clitic
            .iter()
            .any(|p| d.tokens[t1].prefixes.iter().any(|x| x == p))
}

impl Extractor {
    /// Whether people follow the phrase that ends before token `t1` (a number, a quantity word
    /// or a participant that is not a bare organization), for entries flagged `object`.
    fn people_after(&self, d: &Doc, t1: usize, b: usize) -> bool {
        if t1 >= b {
            return false;
        }
        let counted = d
            .quantities
            .iter()
            .any(|(a, _, q)| *a == t1 && q.is_count());
        let common_noun = |j: usize| {
            self.lex.role_forms.get(d.stem[j]).is_some_and(|hits| {
                hits.iter()
                    .any(|h| self.lex.roles[h.entry].name_en.is_none())
            })
        };
        let person = d
            .parts
            .iter()
            .any(|p| p.t0 == t1 && (common_noun(t1) || (!p.org && p.entity_id.is_some())));
        counted || d.is_word(t1, &d.words.quantity) || person
    }

    /// Whether the act a threat names is one of force: the first word within ten after the
    /// phrase (ending before `t1`, within `[.., b)`; the subject may stand between: "تعهد الرئيس
    /// التركي رجب طيب أردوغان الاثنين بتوسيع") that carries ب or is من, أن or بأن opens it, and it or one of the three words after it is a word of force or a trigger of assault or
    /// coercion ("هددت بشن عمليات", "تعهد بتوسيع نطاق الهجوم"; not "هدد بالاستقالة").
    fn force_after(&self, d: &Doc, t1: usize, b: usize) -> bool {
        // a two-letter stem keeps its ب unsplit: "بشن" is ب + شن
        let bare_b = |j: usize| {
            d.stem[j]
                .strip_prefix('ب')
                .filter(|r| r.chars().count() == 2)
        };
        let end = (t1 + 10).min(b);
        let Some(open) = (t1..end).find(|&j| {
            let t = &d.tokens[j];
            t.kind != TokenKind::Word
                || t.prefixes.contains(&"ب")
                || bare_b(j).is_some()
                || d.is_any(j, &["من", "ان"])
        }) else {
            return false;
        };
        if d.tokens[open].kind != TokenKind::Word {
            return false;
        }
        let to = (open + 4).min(b);
        let forceful = |j: usize| {
            d.tokens[j].kind == TokenKind::Word
                && [d.stem[j], d.alt[j]].iter().any(|k| {
                    self.lex.forms.get(*k).is_some_and(|hits| {
                        hits.iter().any(|h| {
                            matches!(
                                self.lex.entries[h.entry].category,
                                Category::Assault | Category::Coerce
                            )
                        })
                    })
                })
        };
        bare_b(open).is_some_and(|r| self.lex.cues.force.has(r))
            || d.any_phrase(&self.lex.cues.force, open, to).is_some()
            || (open..to).any(forceful)
    }

    /// Whether ground follows the phrase (ending before `t1`, within `[.., b)`) within six
    /// words: a place or a word of ground ("السيطرة على مدينة عفرين", "تحرير 8 مواقع").
    fn ground_after(&self, d: &Doc, t1: usize, b: usize) -> bool {
        (t1..(t1 + 6).min(b)).any(|j| {
            d.places.iter().any(|(a, _, _)| *a == j) || d.phrase(&self.lex.cues.ground, j).is_some()
        })
    }

    /// Trigger hits in `[a, b)`, one per token (the longest phrase; noun or verb by context).
    pub(super) fn triggers(&self, d: &Doc, a: usize, b: usize) -> Vec<Hit> {
        let mut out: Vec<Hit> = Vec::new();
        let mut i = a;
        while i < b {
            if d.tokens[i].kind != TokenKind::Word {
                i += 1;
                continue;
            }
            // right after a verb (its subject: قتل طالب) or a verbal noun that takes a genitive
            // (مقتل طالب), a word with no conjunction is a noun
            let noun_slot = out.last().is_some_and(|p| {
                let pe = &self.lex.entries[p.entry];
                p.t1 == i
                    && (pe.pos == Pos::Verb || pe.genitive != Genitive::None)
                    && !d.conjoined(i)
            });
            let best = self.best_hit(d, a, b, i, noun_slot);
            // "مكافحة الشغب": the name of a kind of act, not a happening; "دائرة الحقد والشر
            // والقتل"، "لغة الدم والقتل": a notion among others
            if let Some(h) = best.filter(|h| {
                self.lex.entries[h.entry].pos == Pos::Noun
                    && ((i > a && self.lex.cues.not_after.has(d.stem[i - 1]))
                        || self.among_notions(d, a, b, i, h.t1))
            }) {
                i = h.t1;
            } else if let Some(h) = best.filter(|h| {
                // "باتت القوات تحاصر صعدة": a state, not a happening
                let state = |j: usize| j >= a && d.phrase(&self.lex.cues.state, j).is_some();
                // right after the verb of becoming, or after its subject (باتت القوات تحاصر)
                h.kind == FormKind::Imperfect
                    && i > a
                    && (state(i - 1)
                        || (i > a + 1
                            && d.tokens[i - 1].kind == TokenKind::Word
                            && !d.conjoined(i - 1)
                            && state(i - 2)))
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

    /// Whether the definite verbal noun at `i..t1` is one of a list of definite nouns joined by
    /// و, beside one that names no act (الحقد والشر والقتل، الدم والقتل), with nothing of its
    /// own after it (no object, no place): it names a notion, not a happening.
    fn among_notions(&self, d: &Doc, a: usize, b: usize, i: usize, t1: usize) -> bool {
        let word = |j: usize| j < b && d.tokens[j].kind == TokenKind::Word;
        let definite = |j: usize| word(j) && d.tokens[j].has_article();
        let joined = |j: usize| d.tokens[j].prefixes.first() == Some(&"و");
        let notion = |j: usize| definite(j) && self.best_hit(d, a, b, j, true).is_none();
        if !d.tokens[i].has_article() {
            return false;
        }
        let next_in_list = word(t1) && joined(t1) && definite(t1);
        // nothing of its own after it: the list goes on, or the clause ends
        if word(t1) && !next_in_list {
            return false;
        }
        (i > a && joined(i) && notion(i - 1)) || (next_in_list && notion(t1))
    }

    /// The trigger that starts at word `i` of `[a, b)`: the longest, and of a noun and a verb
    /// spelled alike, the noun after an article or a preposition, else the verb; no verb where
    /// the word must be a noun (`noun_slot`, after a preposition or a noun host).
    pub(super) fn best_hit(
        &self,
        d: &Doc,
        a: usize,
        b: usize,
        i: usize,
        noun_slot: bool,
    ) -> Option<Hit> {
        let t = &d.tokens[i];
        // a verb of commenting whose first letter is و (وصفت): no conjunction to strip, and no
        // act (صفّى، "liquidated") behind it
        // (`norm` is the whole token's key already)
        if t.norm.starts_with('و') && d.words.stance.contains(&t.norm) {
            return None;
        }
        let mut best: Option<Hit> = None;
        let [h0, h1, _] = d.hashes[i];
        let mut keys: Vec<&str> = Vec::with_capacity(2);
        if self.lex.form_hashes.contains(&h0) {
            keys.push(d.stem[i]);
        }
        if self.lex.form_hashes.contains(&h1) && d.alt[i] != d.stem[i] {
            keys.push(d.alt[i]);
        }
        if keys.is_empty() {
            return None;
        }
        // after a preposition or a noun host (في فجر، عملية فجر) the word is a noun: no verb
        // is read there ("من" also means "who", which a verb may follow)
        let after_noun_host = noun_slot
            || i > a
                && (d.is_word(i - 1, &d.words.noun_hosts)
                    || (d.is_word(i - 1, &d.words.preps) && !d.is(i - 1, "من")));
        let nounish = t.has_article()
            || t.prefixes.iter().any(|p| matches!(*p, "ب" | "ك"))
            || after_noun_host;
        for k in keys {
            let Some(hits) = self.lex.forms.get(k) else {
                continue;
            };
            for h in hits {
                let e = &self.lex.entries[h.entry];
                if e.pos == Pos::Verb && (t.has_article() || after_noun_host) {
                    continue;
                }
                // a verb whose object follows a preposition (قبض على) takes no object pronoun:
                // "أحكمت قبضتها على" is the noun قبضة
                if e.pos == Pos::Verb
                    && !t.suffixes.is_empty()
                    && h.rest.first().is_some_and(|w| d.words.preps.contains(w))
                {
                    continue;
                }
                // the token after the trigger, and the one after the whole phrase
                let (t1, after) = if h
                    .rest
                    .iter()
                    .enumerate()
                    .all(|(m, w)| i + 1 + m < b && d.is(i + 1 + m, w))
                {
                    (i + 1 + h.rest.len(), i + 1 + h.rest.len())
                } else if let Some(j) = (e.pos == Pos::Verb && h.rest.len() == 1)
                    .then(|| split_object(d, i, b, &h.rest[0]))
                    .flatten()
                {
                    // verb, subject, object: "أطلق الجيش النار"; the trigger is the verb,
                    // so that the subject between stays an argument
                    (i + 1, j + 1)
                } else {
                    continue;
                };
                if blocked_after(d, e, after, b)
                    || (i > a && e.not_after.iter().any(|w| d.is(i - 1, w)))
                    || (e.object && !self.people_after(d, after, b))
                    || (e.threat && !self.force_after(d, after, b))
                    || (!e.then.is_empty()
                        && !(after..(after + 8).min(b)).any(|j| d.is_any(j, &e.then)))
                    || (e.ground && !self.ground_after(d, after, b))
                {
                    continue;
                }
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
                        } else if bh.kind == FormKind::Imperfect && h.kind == FormKind::Perfect {
                            // two verbs spelled alike: the perfect of one before the first
                            // person imperfect of the other (وأصيب: أُصيب, not أُصيبُ "I hit")
                            self.lex.entries[bh.entry].pos == e.pos
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
        best
    }
}
