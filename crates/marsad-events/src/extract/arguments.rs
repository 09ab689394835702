//! Actors and recipients of one trigger, by Arabic cues: the subject after the verb, على يد
//! for the agent, ضد/على for the target, passive forms giving only the recipient.

use super::doc::Doc;
use super::triggers::Hit;
use super::{Cand, Extractor};
use crate::lexicon::{CountKind, Genitive, Pos, TriggerEntry};
use crate::{Category, Participant};

/// Particles a participant phrase may open with that do not make it prepositional.
///
/// This stays in code: it is a closed class of particles (قد، لقد، أنّ and أنّ with a pronoun),
/// an exception the algorithm makes to the prepositions of `data/events/prepositions.txt`.
/// [`Doc::prep_before`] gives a clitic ب/ل/ك or the stem of a token that matches a listed
/// preposition, so these matter only where such a stem is one of them.
const SOFT: &[&str] = &["قد", "لقد", "ان", "انه", "انها", "انهم"];

/// The participants of a trigger's clause on either side of it, and its sides found so far.
struct Sides {
    /// Participants after the trigger in its clause, in text order.
    after: Vec<usize>,
    /// Participants before the trigger in its clause, nearest first.
    before: Vec<usize>,
    /// Actors, in the order found.
    actors: Vec<usize>,
    /// Recipients, in the order found.
    recips: Vec<usize>,
}

impl Sides {
    /// The participants `parts` of the sentence that stand in the clause of trigger `h`, and
    /// no sides yet.
    fn around(d: &Doc, h: &Hit, parts: &[usize]) -> Sides {
        let cl = d.clause[h.t0];
        let p = |k: usize| &d.parts[k];
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
        Sides {
            after,
            before,
            actors: Vec::new(),
            recips: Vec::new(),
        }
    }
}

/// Whether participant `k` stands free, not in a prepositional phrase.
fn free(d: &Doc, k: usize) -> bool {
    let pr = d.prep_before(d.parts[k].t0);
    pr.is_none() || SOFT.contains(&pr.as_deref().unwrap_or(""))
}

impl Extractor {
    /// Actors and recipients of one trigger.
    pub(super) fn arguments(
        &self,
        d: &Doc,
        h: &Hit,
        s0: usize,
        s1: usize,
        parts: &[usize],
        c: &mut Cand,
    ) {
        let e = &self.lex.entries[h.entry];
        let mut x = Sides::around(d, h, parts);
        // agents marked by على يد / من قبل, anywhere after the trigger in the sentence
        for &k in parts {
            let t0 = d.parts[k].t0;
            if t0 >= h.t1 && t0 <= h.t1 + 12 && d.agent_marker(t0) {
                x.actors.push(k);
            }
        }
        targets(d, h, &mut x);
        let group = group_left(d, h, e, &x.after);
        match e.pos {
            Pos::Verb => verb_sides(d, h, e, &mut x),
            Pos::Noun => {
                genitive_sides(d, h, e, &mut x);
                // a nisba right after the trigger names the actor's country
                if x.actors.is_empty() {
                    if let Some(n) = self.nisba_actor(d, h, s1) {
                        c.nisba_actor = Some(n);
                    }
                }
                let nisba = c.nisba_actor.is_some();
                noun_sides_before(d, h, e, nisba, &mut x);
                if x.actors.is_empty()
                    && !nisba
                    && (matches!(e.category, Category::Coerce | Category::Protest)
                        || (e.category == Category::Assault && e.genitive == Genitive::Recipient))
                {
                    further_back(d, h, s0, parts, &mut x);
                }
            }
        }
        if let Some(g) = group {
            if !x.recips.contains(&g) {
                x.recips.push(g);
            }
            if x.actors.is_empty() {
                x.actors.push(g);
            }
        }
        c.actors = x.actors;
        c.recipients = x.recips;
    }

    /// An actor made from a nisba right after the trigger, within the sentence (الضربة الجوية
    /// المصرية): the country it names, a military one for an assault.
    fn nisba_actor(&self, d: &Doc, h: &Hit, s1: usize) -> Option<Participant> {
        let e = &self.lex.entries[h.entry];
        let j = h.t1;
        if j >= s1 {
            return None;
        }
        let cc = self.lex.nisba_country(d.stem[j])?;
        Some(Participant {
            text: d.tokens[j].text(d.text).to_string(),
            span: d.tokens[j].span(),
            entity_id: None,
            name_en: None,
            country: Some(cc.to_string()),
            role: (e.category == Category::Assault).then(|| "military".into()),
        })
    }
}

/// Targets, soon after the trigger: ضد X, على [مواقع] X, المعادية ل X.
fn targets(d: &Doc, h: &Hit, x: &mut Sides) {
    for &k in &x.after {
        let t0 = d.parts[k].t0;
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
        if (on || hostile) && !x.actors.contains(&k) {
            x.recips.push(k);
        }
    }
}

/// For a defection or a flight, the group left, soon after the trigger: انشق عن X، هرب من X،
/// في صفوف X.
fn group_left(d: &Doc, h: &Hit, e: &TriggerEntry, after: &[usize]) -> Option<usize> {
    let defect = e.modes.iter().any(|m| m == "defect") || e.flee;
    if !defect {
        return None;
    }
    for &k in after {
        let p = &d.parts[k];
        if p.t0 > h.t1 + 3 {
            break;
        }
        if p.t0 >= 1 && (d.is_any(p.t0 - 1, &["عن", "من", "صفوف"])) && (p.org || p.armed) {
            return Some(k);
        }
    }
    None
}

/// Whether the spelling of a verb marks it passive: a damma after its first letter, counting
/// without و/ف/س (وقُتل) or with them (قُتل), or an initial اُ (اُعتقل).
fn diacritic_passive(w: &str) -> bool {
    let mut cs = w.chars().filter(|c| !matches!(c, 'و' | 'ف' | 'س'));
    cs.next();
    cs.next() == Some('\u{064F}') || w.chars().nth(1) == Some('\u{064F}') || w.starts_with("اُ")
}

/// The sides of a verb: the recipient of a passive one, else its subject and object.
fn verb_sides(d: &Doc, h: &Hit, e: &TriggerEntry, x: &mut Sides) {
    let p = |k: usize| &d.parts[k];
    let cl = d.clause[h.t0];
    let diacritic_passive = diacritic_passive(d.tokens[h.t0].text(d.text));
    let first_after = x.after.iter().copied().find(|&k| free(d, k));
    let q_first = d
        .quantities
        .iter()
        .any(|(a, _, _)| *a == h.t1 && d.clause[*a] == cl);
    // a subject right before the verb (SVO) makes it active
    let svo = x
        .before
        .first()
        .is_some_and(|&k| free(d, k) && p(k).t1 + 2 >= h.t0);
    // victims before a killing verb with no object: "10 أشخاص قتلوا" (قُتلوا)
    let victims_before = svo
        && x.before.first().is_some_and(|&k| p(k).victim)
        && matches!(e.count, Some(CountKind::Killed | CountKind::Injured))
        && first_after.is_none_or(|k| p(k).t0 > h.t1 + 3);
    let passive = e.passive
        || diacritic_passive
        || victims_before
        || (!e.intrans
            && !svo
            && (q_first || first_after.is_some_and(|k| p(k).t0 <= h.t1 + 1 && p(k).victim)));
    if passive {
        passive_sides(d, h, x);
    } else {
        active_sides(d, h, e, svo, first_after, x);
    }
}

/// The recipient of a passive verb: the first free participant soon after it, else victims
/// right before it ("20 شخصا قتلوا").
fn passive_sides(d: &Doc, h: &Hit, x: &mut Sides) {
    let p = |k: usize| &d.parts[k];
    for &k in &x.after {
        if free(d, k) && p(k).t0 <= h.t1 + 6 && !x.actors.contains(&k) {
            x.recips.push(k);
            break;
        }
    }
    if x.recips.is_empty() {
        // victims before: "20 شخصا قتلوا"
        if let Some(&k) = x.before.first() {
            if free(d, k) && p(k).t1 + 2 >= h.t0 {
                x.recips.push(k);
            }
        }
    }
}

/// The subject (actor) and, for a transitive verb, the object (recipient) of an active verb.
fn active_sides(
    d: &Doc,
    h: &Hit,
    e: &TriggerEntry,
    svo: bool,
    first_after: Option<usize>,
    x: &mut Sides,
) {
    let p = |k: usize| &d.parts[k];
    let mut subj = if svo { x.before.first().copied() } else { None };
    if let (None, Some(k)) = (subj, first_after) {
        // VSO: the subject right after the verb (an adverb may stand between)
        if p(k).t0 <= h.t1 + 2 && !x.recips.contains(&k) {
            subj = Some(k);
        }
    }
    if subj.is_none() {
        // SVO, or the antecedent of a relative clause
        for &k in &x.before {
            if free(d, k) {
                subj = Some(k);
                break;
            }
        }
        if subj.is_none() && h.t0 >= 1 && d.is_any(h.t0 - 1, &d.words.relatives) {
            subj = x.before.first().copied();
        }
    }
    if let Some(k) = subj {
        if !x.actors.contains(&k) {
            x.actors.push(k);
        }
    }
    if !e.intrans {
        if let Some(k) = x.after.iter().copied().find(|&k| {
            Some(k) != subj && free(d, k) && p(k).t0 <= h.t1 + 8 && !x.actors.contains(&k)
        }) {
            if !x.recips.contains(&k) {
                x.recips.push(k);
            }
        }
    }
}

/// The genitive of a noun trigger: the participant right after it (an adjective may stand
/// between), actor or recipient as the entry says; for a recipient genitive, else an
/// objective ل ("إعدام … لعدد من كبار قيادات داعش").
fn genitive_sides(d: &Doc, h: &Hit, e: &TriggerEntry, x: &mut Sides) {
    let p = |k: usize| &d.parts[k];
    let gen = x
        .after
        .iter()
        .copied()
        .find(|&k| p(k).t0 <= h.t1 + 1 && free(d, k));
    if let Some(k) = gen {
        if !x.actors.contains(&k) && !x.recips.contains(&k) {
            match (e.genitive, e.passive) {
                (_, true) | (Genitive::Recipient, _) => x.recips.push(k),
                (Genitive::Actor, _) => x.actors.push(k),
                (Genitive::None, _) => {}
            }
        }
    }
    if e.genitive == Genitive::Recipient && x.recips.is_empty() {
        // objective ل: "إعدام … لعدد من كبار قيادات داعش"
        for &k in &x.after {
            if p(k).t0 > h.t1 + 8 {
                break;
            }
            if d.prep_before(p(k).t0).as_deref() == Some("ل") {
                x.recips.push(k);
                break;
            }
        }
    }
}

/// The participant right before a noun trigger: the recipient of a passive noun, else the
/// subject of a light verb ("أقامت داعش حواجز") when no actor or nisba is known.
fn noun_sides_before(d: &Doc, h: &Hit, e: &TriggerEntry, nisba: bool, x: &mut Sides) {
    if e.passive && x.recips.is_empty() {
        if let Some(&k) = x.before.first() {
            if free(d, k) {
                x.recips.push(k);
            }
        }
    }
    if !e.passive && x.actors.is_empty() && !nisba {
        // a light verb's subject right before the noun: "أقامت داعش حواجز"
        if let Some(&k) = x.before.first() {
            if free(d, k) && d.parts[k].t1 + 1 >= h.t0 && !x.recips.contains(&k) {
                x.actors.push(k);
            }
        }
    }
}

/// Further back in the sentence (up to fifteen tokens): who imposes, who demonstrates; a
/// participant after على on the way is the recipient.
fn further_back(d: &Doc, h: &Hit, s0: usize, parts: &[usize], x: &mut Sides) {
    let p = |k: usize| &d.parts[k];
    let lo = h.t0.saturating_sub(15).max(s0);
    for &k in parts.iter().rev() {
        if p(k).t1 > h.t0 || p(k).t0 < lo {
            continue;
        }
        let pr = d.prep_before(p(k).t0);
        if pr.as_deref() == Some("علي") {
            if x.recips.is_empty() {
                x.recips.push(k);
            }
            continue;
        }
        if pr.is_none() || pr.as_deref() == Some("بين") {
            if !x.recips.contains(&k) {
                x.actors.push(k);
            }
            break;
        }
    }
}
