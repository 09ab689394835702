//! Counts: how many were killed, injured, arrested, abducted or took part. From the number right
//! after the trigger, the participants it names (a number before them, a dual, or the sum of
//! conjoined ones: ضابط وثلاثة جنود = 4, القائد و61 آخرين = 62), or one for a single victim. A
//! count of a part (بينهم 40 طفلا) is not the total.

use super::doc::{Doc, Part};
use super::triggers::Hit;
use super::{count_of, Cand, Extractor};
use crate::lexicon::{CountKind, FormKind, Pos, TriggerEntry};
use crate::{Bound, Count, Counts};
use marsad_text::normalize::key;
use marsad_text::number::Quantity;

/// A quantity the tokenizer found: first token, token after the last, and the quantity.
type QuantityAt = (usize, usize, Quantity);

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

const ONE: Count = Count {
    value: 1,
    approximate: false,
    bound: Bound::Exact,
};

impl Extractor {
    /// The count the entry fills, for the hit `h` in the sentence that starts at token `s0`:
    /// the total of conjoined participants right after the trigger or among those it counts;
    /// for a noun that names the victims, the number before it; else the quantity right after
    /// the trigger (unless another trigger stands between: قتلا وأصيب 24); else the one before a
    /// participant it counts (not a part of the count before, بينهم); for a verb that agrees
    /// with a plural or dual subject before it, that subject's number (أكثر من 30 عنصرا …
    /// لقوا مصرعهم) or two; else one for a single victim of a killing.
    pub(super) fn counts(
        &self,
        d: &Doc,
        e: &TriggerEntry,
        h: &Hit,
        s0: usize,
        next_q: Option<&QuantityAt>,
        c: &mut Cand,
    ) {
        let Some(kind) = e.count else {
            return;
        };
        // a noun that names the victims is counted by the number before it: "51 قتيلا"
        if e.pos == Pos::Noun && e.passive {
            if let Some((_, _, q)) = d
                .quantities
                .iter()
                .find(|(_, b, q)| *b == h.t0 && q.is_count())
            {
                set_count(&mut c.counts, kind, count_of(q));
                return;
            }
        }
        // a number after a word of part (بينهم 40) counts a part, not the total; one after
        // another trigger counts that one's
        let next_q = next_q.filter(|(a, _, _)| {
            (*a == 0 || !d.is_word(a - 1, &d.words.subsets)) && !self.trigger_in(d, h.t1, *a)
        });
        let from = if kind == CountKind::Participants {
            &c.actors
        } else {
            &c.recipients
        };
        // the participant right after the trigger, or after the number right after it
        let after = next_q
            .filter(|(a, _, _)| *a == h.t1)
            .map_or(h.t1, |(_, b, _)| *b);
        let after = if after > h.t1 && d.is(after, "من") {
            after + 1
        } else {
            after
        };
        // a participant across another trigger of a count is that one's (قتل … وأصيب ثلاثة جنود)
        let near = |k: &usize| {
            let p = &d.parts[*k];
            let (a, b) = if p.t0 >= h.t1 {
                (h.t1, p.t0)
            } else {
                (p.t1, h.t0)
            };
            !self.trigger_in(d, a, b)
        };
        let first_after = d.parts.iter().position(|p| p.t0 == after);
        if let Some(v) = first_after
            .into_iter()
            .chain(from.iter().copied().filter(|k| near(k)))
            .find_map(|k| group_total(d, k))
        {
            set_count(&mut c.counts, kind, v);
            return;
        }
        if let Some((_, _, q)) = next_q {
            set_count(&mut c.counts, kind, count_of(q));
        }
        if let Some(v) = from
            .iter()
            .filter(|&&k| !is_subset(d, &d.parts[k]) && near(&k))
            .find_map(|&k| d.parts[k].count)
        {
            set_count(&mut c.counts, kind, v);
        }
        if matches!(kind, CountKind::Killed | CountKind::Injured)
            && e.pos == Pos::Verb
            && h.kind == FormKind::Perfect
            && slot(&c.counts, kind).is_none()
        {
            if let Some(v) = self.subject_before(d, e, h, s0) {
                set_count(&mut c.counts, kind, v);
            }
        }
        if kind == CountKind::Killed && c.counts.killed.is_none() {
            if let [only] = c.recipients[..] {
                let p = &d.parts[only];
                if p.singular && (p.victim || p.entity_id.is_some() || p.name_en.is_none()) {
                    c.counts.killed = Some(ONE);
                }
            }
        }
    }

    /// Whether a word in `[a, b)` is a trigger of a count of its own (وأصيب).
    fn trigger_in(&self, d: &Doc, a: usize, b: usize) -> bool {
        (a..b).any(|j| {
            [d.stem[j], d.alt[j]].iter().any(|k| {
                self.lex.forms.get(*k).is_some_and(|hits| {
                    hits.iter()
                        .any(|f| f.rest.is_empty() && self.lex.entries[f.entry].count.is_some())
                })
            })
        })
    }

    /// The count of the subject before a perfect verb in the plural or dual (لقوا، قتلا،
    /// استشهدا): the nearest counted participant before it in the sentence, with no trigger of a
    /// count between; else two for a dual of a verb that names the victims. One for a singular
    /// victim right before a killing verb in the singular that has no object (جنديا قتل).
    fn subject_before(&self, d: &Doc, e: &TriggerEntry, h: &Hit, s0: usize) -> Option<Count> {
        let base = e.form.split_whitespace().next().map(key)?;
        let word = [d.stem[h.t0], d.alt[h.t0]];
        let ending = |suf: &[&str]| {
            word.iter().any(|w| {
                w.strip_prefix(base.as_str())
                    .or_else(|| base.strip_suffix('ي').and_then(|b| w.strip_prefix(b)))
                    .is_some_and(|rest| suf.contains(&rest))
            })
        };
        let plural = ending(&["وا"]);
        let dual = ending(&["ا", "تا"]);
        if !(plural || dual) {
            // a singular victim right before a bare verb with no object: "أن جنديا قتل في …"
            let single = ending(&["", "ت"])
                && e.count == Some(CountKind::Killed)
                && d.parts
                    .iter()
                    .any(|p| p.t1 == h.t0 && p.t0 >= s0 && p.singular && p.victim)
                && !d.parts.iter().any(|p| p.t0 == h.t1);
            return single.then_some(ONE);
        }
        let subject = d
            .parts
            .iter()
            .rev()
            .filter(|p| p.t0 >= s0 && p.t1 <= h.t0 && !is_subset(d, p))
            .find(|p| p.count.is_some())
            .filter(|p| !self.trigger_in(d, p.t1, h.t0))
            .and_then(|p| p.count);
        subject.or((dual && e.passive).then_some(Count {
            value: 2,
            approximate: false,
            bound: Bound::Exact,
        }))
    }
}

/// The count of `kind` in `c`.
fn slot(c: &Counts, kind: CountKind) -> Option<Count> {
    match kind {
        CountKind::Killed => c.killed,
        CountKind::Injured => c.injured,
        CountKind::Arrested => c.arrested,
        CountKind::Abducted => c.abducted,
        CountKind::Participants => c.participants,
    }
}

/// Whether the participant is a part of a count named before it: "بينهم 40 طفلا".
fn is_subset(d: &Doc, p: &Part) -> bool {
    let first = if p.t0 > 0 {
        d.qstart[p.t0 - 1].unwrap_or(p.t0)
    } else {
        p.t0
    };
    first > 0 && d.is_word(first - 1, &d.words.subsets)
}

/// How many one participant names: its number or dual, else one when it is singular.
fn member(p: &Part) -> Option<Count> {
    p.count.or(p.singular.then_some(ONE))
}

/// The token after participant `p` and the definite adjectives that agree with it (up to two
/// words with the article after a definite head: القائد الميداني).
fn skip_adjectives(d: &Doc, p: &Part) -> usize {
    let mut j = p.t1;
    if !d.tokens[p.t1 - 1].has_article() {
        return j;
    }
    while j < p.t1 + 2
        && d.tokens.get(j).is_some_and(|t| {
            t.prefixes == ["ال"] && d.qstart[j].is_none() && !d.parts.iter().any(|q| q.t0 == j)
        })
    {
        j += 1;
    }
    j
}

/// The index after a conjunction و at token `j` (the word و, or و on the word itself).
fn after_and(d: &Doc, j: usize) -> Option<usize> {
    let t = d.tokens.get(j)?;
    if t.norm == "و" {
        Some(j + 1)
    } else {
        (t.prefixes.first() == Some(&"و")).then_some(j)
    }
}

/// The total of participant `k` and those conjoined after it in its clause ("ضابط وثلاثة
/// جنود", "15 طفلا وامرأتان", "القائد و61 آخرين"), when there are several and each is counted.
fn group_total(d: &Doc, k: usize) -> Option<Count> {
    let first = &d.parts[k];
    let cl = d.clause[first.t0];
    let mut total = member(first)?;
    let mut members = 1;
    let mut end = skip_adjectives(d, first);
    while let Some(next) = after_and(d, end).filter(|&j| j < d.tokens.len() && d.clause[j] == cl) {
        let q = d
            .quantities
            .iter()
            .find(|(a, _, q)| *a == next && q.is_count());
        let (add, to) = if let Some((_, b, q)) = q {
            let b = *b;
            if let Some(p) = d
                .parts
                .iter()
                .find(|p| p.t0 == b || (p.t0 == b + 1 && d.is(b, "من")))
            {
                (count_of(q), p.t1)
            } else if d.is_word(b, &d.words.others) {
                (count_of(q), b + 1)
            } else {
                break;
            }
        } else if let Some(p) = d.parts.iter().find(|p| p.t0 == next) {
            (member(p)?, skip_adjectives(d, p))
        } else {
            break;
        };
        total = Count {
            value: total.value + add.value,
            approximate: total.approximate || add.approximate,
            bound: if total.bound == Bound::Exact {
                add.bound
            } else {
                total.bound
            },
        };
        members += 1;
        end = to;
    }
    (members > 1).then_some(total)
}
