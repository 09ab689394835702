//! Triggers: the words and phrases that name events, a noun or a verb by context.

use super::doc::Doc;
use super::Extractor;
use crate::lexicon::{FormKind, Pos};
use marsad_text::TokenKind;

/// One trigger occurrence.
#[derive(Debug, Clone, Copy)]
pub(super) struct Hit {
    pub(super) entry: usize,
    pub(super) kind: FormKind,
    pub(super) t0: usize,
    pub(super) t1: usize,
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

impl Extractor {
    /// Trigger hits in `[a, b)`, one per token (the longest phrase; noun or verb by context).
    pub(super) fn triggers(&self, d: &Doc, a: usize, b: usize) -> Vec<Hit> {
        let mut out = Vec::new();
        let mut i = a;
        while i < b {
            if d.tokens[i].kind != TokenKind::Word {
                i += 1;
                continue;
            }
            let best = self.best_hit(d, a, b, i);
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

    /// The trigger that starts at word `i` of `[a, b)`: the longest, and of a noun and a verb
    /// spelled alike, the noun after an article or a preposition, else the verb.
    fn best_hit(&self, d: &Doc, a: usize, b: usize, i: usize) -> Option<Hit> {
        let t = &d.tokens[i];
        let mut best: Option<Hit> = None;
        let mut keys: Vec<&str> = vec![&d.stem[i], &d.alt[i]];
        keys.dedup();
        let nounish = t.has_article()
            || t.prefixes.iter().any(|p| matches!(*p, "ب" | "ك"))
            || (i > a && d.is_any(i - 1, &d.words.noun_hosts))
            || (i > a && d.is_any(i - 1, &d.words.preps));
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
