//! Actors and recipients of one trigger, by Arabic cues: the subject after the verb, على يد
//! for the agent, ضد/على for the target; passive forms and constructions (an unvowelled verb
//! with a victim or a count as its only noun, تم + verbal noun) give only the recipient. The
//! speaker of a report is no side of it; [`super::agents`] adds the sides of a clash, the
//! attacker a passive death is blamed on, and the speaker's own act.

use super::doc::Doc;
use super::sources::Sources;
use super::triggers::Hit;
use super::{Cand, Extractor};
use crate::lexicon::{CountKind, FormKind, Genitive, Pos, TriggerEntry};
use crate::{Category, Participant};
use marsad_text::{Span, TokenKind};
use std::ops::Range;

/// Particles a participant phrase may open with that do not make it prepositional.
///
/// This stays in code: it is a closed class of particles (قد، لقد، أنّ and أنّ with a pronoun),
/// an exception the algorithm makes to the prepositions of `data/events/prepositions.txt`.
/// [`Doc::prep_before`] gives a clitic ب/ل/ك or the stem of a token that matches a listed
/// preposition, so these matter only where such a stem is one of them.
const SOFT: &[&str] = &["قد", "لقد", "ان", "انه", "انها", "انهم"];

/// The participants of a trigger's clause on either side of it, and its sides found so far.
pub(super) struct Sides {
    /// Participants after the trigger in its clause, in text order.
    pub(super) after: Vec<usize>,
    /// Participants before the trigger in its clause, nearest first.
    pub(super) before: Vec<usize>,
    /// Actors, in the order found.
    pub(super) actors: Vec<usize>,
    /// Recipients, in the order found.
    pub(super) recips: Vec<usize>,
    /// Whether the trigger is read as passive (its participants are what was done to).
    pub(super) passive: bool,
    /// Actor made from a nisba right after the trigger (الضربة الجوية المصرية).
    pub(super) nisba: Option<Participant>,
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
            passive: false,
            nisba: None,
        }
    }
}

/// Whether participant `k` stands free, not in a prepositional phrase.
pub(super) fn free(d: &Doc, k: usize) -> bool {
    let pr = d.prep_before(d.parts[k].t0);
    pr.is_none() || SOFT.contains(&pr.as_deref().unwrap_or(""))
}

impl Extractor {
    /// Actors and recipients of one trigger in sentence `sent` (its tokens), among the
    /// participants `parts` of the sentence; a participant in a source phrase of `sources`
    /// speaks of the events and takes no side in them.
    pub(super) fn arguments(
        &self,
        d: &Doc,
        h: &Hit,
        sent: Range<usize>,
        parts: &[usize],
        sources: &Sources,
        c: &mut Cand,
    ) {
        let parts: Vec<usize> = parts
            .iter()
            .copied()
            .filter(|&k| !sources.in_source(d.parts[k].t0, h.t0))
            .collect();
        let mut x = self.sides(d, h, &sent, &parts, true);
        if x.actors.is_empty() && x.nisba.is_none() && !x.passive {
            super::agents::own_act(d, h, sources, &mut x);
        }
        if x.actors.is_empty() && x.nisba.is_none() && !x.passive {
            x.nisba = self
                .place_actor(d, h, sent.end)
                .or_else(|| self.state_before(d, h, sent.start));
        }
        c.actors = x.actors;
        c.recipients = x.recips;
        c.nisba_actor = x.nisba;
    }

    /// The sides of trigger `h` among `parts`; with `cause`, a passive event with no agent takes
    /// the actors of the act it is blamed on ([`Extractor::cause_agents`]).
    pub(super) fn sides(
        &self,
        d: &Doc,
        h: &Hit,
        sent: &Range<usize>,
        parts: &[usize],
        cause: bool,
    ) -> Sides {
        let (s0, s1) = (sent.start, sent.end);
        let e = &self.lex.entries[h.entry];
        let mut x = Sides::around(d, h, parts);
        // agents marked by على يد / من قبل after the trigger in the sentence: within twelve
        // words, or twenty with no other trigger between
        for &k in parts {
            let t0 = d.parts[k].t0;
            if t0 >= h.t1
                && t0 <= h.t1 + 20
                && (d.agent_marker(t0)
                    // held by: "توقيف شخص لدى السلطات"
                    || (e.category == Category::Coerce && t0 >= 1 && d.is(t0 - 1, "لدي")))
                && (t0 <= h.t1 + 12 || self.triggers(d, h.t1, t0.min(s1)).is_empty())
            {
                x.actors.push(k);
            }
        }
        targets(d, h, &mut x);
        let group = group_left(d, h, e, &x.after);
        // a verb's form after ب/ل/ك is its verbal noun ("قاموا برشق الشرطة"): its doer acts, the
        // noun right after it is what is done to
        let masdar = e.pos == Pos::Verb
            && h.kind == FormKind::Perfect
            && d.tokens[h.t0]
                .prefixes
                .iter()
                .any(|c| matches!(*c, "ب" | "ل" | "ك"));
        match e.pos {
            Pos::Verb if masdar => {
                super::agents::doer(d, h, s0, parts, &mut x);
                if let Some(k) = x
                    .after
                    .iter()
                    .copied()
                    .find(|&k| free(d, k) && d.parts[k].t0 <= h.t1 + 1)
                {
                    if !x.actors.contains(&k) && !x.recips.contains(&k) {
                        x.recips.push(k);
                    }
                }
            }
            Pos::Verb => {
                // "أنها اعتقلت …": the pronoun of the complementizer is the verb's subject
                let pronoun = h.t0 > s0
                    && d.phrase(&self.lex.cues.complementizers, h.t0 - 1).is_some()
                    && d.tokens[h.t0 - 1]
                        .suffixes
                        .iter()
                        .any(|s| matches!(*s, "ها" | "هم" | "هما"));
                verb_sides(d, h, e, pronoun, &mut x);
                // the victims of a verbal noun right before are not the next verb's subject
                // ("مقتل أربعة متمردين وأسر 119 آخرين")
                x.actors
                    .retain(|&k| d.parts[k].t0 > h.t0 || !self.victims_of_other(d, h, k));
                // the craft of a حيث clause are the sentence subject's ("الجيش كثف عملياته، حيث
                // قصفت طائرات حربية المنطقة": the army's planes)
                let craft = |k: &usize| {
                    let p = &d.parts[*k];
                    p.t1 == p.t0 + 1
                        && d.is_word(p.t0, &d.words.craft)
                        && !p.named
                        && p.entity_id.is_none()
                        && p.country.is_none()
                };
                if let Some(w) = (h.t0.saturating_sub(3).max(s0)..h.t0).rfind(|&j| d.is(j, "حيث"))
                {
                    if !x.actors.is_empty() && x.actors.iter().all(craft) {
                        // the clause it elaborates opens the sentence or a reported clause
                        let from = (s0..w)
                            .rfind(|&j| {
                                d.phrase(&self.lex.cues.complementizers, j).is_some()
                                    && !d.tokens[j].has_article()
                            })
                            .map_or(s0, |j| j + 1);
                        if let Some(k) = super::agents::main_subject(d, from, w, parts) {
                            if !craft(&k) && !x.recips.contains(&k) {
                                x.actors = vec![k];
                            }
                        }
                    }
                }
                // an act as the verb's subject (استهدفت ضربة جوية المسلحين): the people after
                // it are its object, not who acted
                let act_subject = h.t1 < s1
                    && self
                        .triggers(d, h.t1, (h.t1 + 2).min(s1))
                        .iter()
                        .any(|o| o.t0 == h.t1 && self.lex.entries[o.entry].pos == Pos::Noun);
                if act_subject {
                    if let Some(i) = x
                        .actors
                        .iter()
                        .position(|&k| d.parts[k].t0 > h.t0 && d.parts[k].t0 <= h.t1 + 4)
                    {
                        let k = x.actors.remove(i);
                        if !x.recips.contains(&k) {
                            x.recips.insert(0, k);
                        }
                    }
                }
            }
            Pos::Noun => {
                // "تم اعتقال …": the verbal noun of a passive light verb names no actor
                let light = super::agents::light_passive(d, h, s0);
                x.passive = e.passive || light;
                if x.actors.is_empty() {
                    super::agents::carried_out_by(d, h, &mut x);
                }
                genitive_sides(d, h, e, &mut x);
                if x.actors.is_empty() && !light {
                    super::agents::doer(d, h, s0, parts, &mut x);
                }
                // a nisba right after the trigger names the actor's country
                if x.actors.is_empty() {
                    x.nisba = self.nisba_actor(d, h, s1);
                }
                if x.actors.is_empty() && x.nisba.is_none() && !e.passive {
                    x.nisba = state_genitive(d, h, e.category, s1);
                }
                // the subject of "condemned", "described" is the speaker, no side of the act
                let stance = stance_before(d, h, s0);
                if x.actors.is_empty() && x.nisba.is_none() && !light && !stance && !e.passive {
                    self.launched_by(d, h, s0, parts, &mut x);
                }
                let nisba = x.nisba.is_some();
                if !light && !stance {
                    // the victims of another verbal noun right before ("مقتل ثلاثة مسلحين
                    // واعتقال اثنين") are not this one's subject
                    let taken = x
                        .before
                        .first()
                        .is_some_and(|&k| self.victims_of_other(d, h, k));
                    noun_sides_before(d, h, e, nisba || taken, &mut x);
                }
                if x.actors.is_empty()
                    && !nisba
                    && !light
                    && !stance
                    && !e.passive
                    && (matches!(e.category, Category::Coerce | Category::Protest)
                        || (e.category == Category::Assault && e.genitive == Genitive::Recipient))
                {
                    // the victims of another verbal noun ("مقتل أربعة متمردين وأسر 119")
                    // are not who acts here
                    let lo = h.t0.saturating_sub(15).max(s0);
                    let parts: Vec<usize> = parts
                        .iter()
                        .copied()
                        .filter(|&k| {
                            let p = &d.parts[k];
                            p.t1 <= h.t0 && p.t0 >= lo && !self.victims_of_other(d, h, k)
                        })
                        .collect();
                    further_back(d, h, s0, &parts, e.category, &mut x);
                }
            }
        }
        // a word of fighting, or one before the trigger ("تبادل لإطلاق النار")
        if d.is_word(h.t0, &d.words.clash) || (h.t0 > s0 && d.is_word(h.t0 - 1, &d.words.clash)) {
            super::agents::clash_sides(d, h, s0, parts, &mut x);
        }
        if let Some(g) = group {
            if !x.recips.contains(&g) {
                x.recips.push(g);
            }
            if x.actors.is_empty() {
                x.actors.push(g);
            }
        }
        if cause && x.passive && x.actors.is_empty() && x.nisba.is_none() {
            self.cause_agents(d, h, sent, parts, &mut x);
        }
        if x.recips.is_empty() {
            if let Some(k) = self.others_of(d, h, s0, parts) {
                x.actors.retain(|&a| a != k);
                x.recips.push(k);
            }
        }
        x
    }

    /// The people "others" after the trigger stand for: "مقتل أربعة متمردين وأسر 119 آخرين"
    /// took 119 more rebels, the victims of the verbal noun before.
    fn others_of(&self, d: &Doc, h: &Hit, s0: usize, parts: &[usize]) -> Option<usize> {
        let mut j = h.t1;
        if let Some((_, b, _)) = d.quantities.iter().find(|(a, _, _)| *a == j) {
            j = *b;
        }
        if j == h.t1 || j >= d.tokens.len() || !d.is_word(j, &d.words.others) {
            return None;
        }
        parts.iter().copied().rev().find(|&k| {
            let p = &d.parts[k];
            p.t1 <= h.t0 && p.t0 >= s0 && self.victims_of_other(d, h, k)
        })
    }

    /// Whether participant `k` (or the quantity that counts it) stands right after a verbal
    /// noun other than `h` that takes its victim as genitive (مقتل، اعتقال): it is what that act
    /// was done to.
    fn victims_of_other(&self, d: &Doc, h: &Hit, k: usize) -> bool {
        let p = &d.parts[k];
        let a = d
            .quantities
            .iter()
            .find(|(_, b, _)| *b == p.t0)
            .map_or(p.t0, |(a, _, _)| *a);
        a > 0
            && self.triggers(d, a.saturating_sub(3), a).iter().any(|o| {
                let oe = &self.lex.entries[o.entry];
                o.t1 == a
                    && o.t0 != h.t0
                    && o.kind == FormKind::Noun
                    && (oe.passive || oe.genitive == Genitive::Recipient)
            })
    }

    /// The state the sentence before opens with as its subject, for a feminine verb that opens
    /// this one with و and has no subject of its own: "وتشعر أنقرة بالغضب من … . وهددت بشن
    /// عمليات أخرى" (Ankara threatened).
    fn state_before(&self, d: &Doc, h: &Hit, s0: usize) -> Option<Participant> {
        let e = &self.lex.entries[h.entry];
        let t = &d.tokens[h.t0];
        let opens = (s0..h.t0).all(|j| d.tokens[j].kind != TokenKind::Word);
        let feminine = t.norm.ends_with('ت') || t.stem.starts_with('ت');
        if h.kind == FormKind::Noun
            || e.pos != Pos::Verb
            || !opens
            || !t.text(d.text).starts_with('و')
            || !feminine
            || s0 == 0
        {
            return None;
        }
        // no subject after the verb: no participant or place named right after it
        let next = h.t1;
        if d.parts.iter().any(|p| p.t0 == next || p.t0 == next + 1)
            || d.places.iter().any(|&(a, _, _)| a == next)
        {
            return None;
        }
        let si = d.sents.partition_point(|r| r.end <= s0.saturating_sub(1));
        let prev = d.sents.get(si.min(d.sents.len() - 1))?.clone();
        if prev.start >= s0 {
            return None;
        }
        let first = (prev.start..prev.end).find(|&j| d.tokens[j].kind == TokenKind::Word)?;
        let &(a, b, p) = d.places.iter().find(|&&(a, _, _)| a == first + 1)?;
        let state = matches!(p.feature.as_str(), "country" | "city");
        (state && d.tokens[a].prefixes.is_empty()).then(|| state_actor(d, a, b, p, e.category))
    }

    /// An actor made from a nisba right after the trigger, within the sentence (الضربة الجوية
    /// المصرية): the country it names, a military one for an assault.
    /// A country or capital right after a verb is its subject, standing for its government
    /// (هددت أنقرة، أعلنت واشنطن، قصفت إسرائيل مواقع).
    fn place_actor(&self, d: &Doc, h: &Hit, s1: usize) -> Option<Participant> {
        if h.kind == FormKind::Noun || h.t1 >= s1 {
            return None;
        }
        let e = &self.lex.entries[h.entry];
        // a place after a verb of going or visiting is where (زار تركيا، فر إلى)
        if e.flee || e.category == Category::Consult {
            return None;
        }
        let &(_, b, p) = d.places.iter().find(|&&(a, _, _)| a == h.t1)?;
        // a town after a verb of force is more often its object (قصفت حلب)
        let state =
            p.feature == "country" || (p.feature == "city" && e.category != Category::Assault);
        if !state || !d.tokens[h.t1].prefixes.is_empty() {
            return None;
        }
        Some(state_actor(d, h.t1, b, p, e.category))
    }

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

/// A country or capital (tokens `a..b`, place `p`) standing for its government as the actor of
/// an act of `category`: a military one for an assault.
pub(super) fn state_actor(
    d: &Doc,
    a: usize,
    b: usize,
    p: &marsad_geo::Place,
    category: Category,
) -> Participant {
    Participant {
        text: d.text[d.tokens[a].start..d.tokens[b - 1].end].to_string(),
        span: Span::new(d.tokens[a].start, d.tokens[b - 1].end),
        entity_id: None,
        name_en: Some(p.name_en.clone()),
        country: Some(p.country.clone()),
        role: Some(
            if category == Category::Assault {
                "military"
            } else {
                "government"
            }
            .into(),
        ),
    }
}

/// A country or capital as the genitive of a noun trigger, its target after it with على or ضد
/// (up to five words between): the state that acts ("سيطرة أنقرة مع فصائل موالية على مدينة عفرين"،
/// "هجوم موسكو على المدينة"); without a target after it, the name is where ("معركة الموصل").
fn state_genitive(d: &Doc, h: &Hit, category: Category, s1: usize) -> Option<Participant> {
    let &(a, b, p) = d.places.iter().find(|&&(a, _, _)| a == h.t1)?;
    let state = matches!(p.feature.as_str(), "country" | "city");
    if !state || !d.tokens[a].prefixes.is_empty() {
        return None;
    }
    let cl = d.clause[h.t0];
    let target = (b..(b + 6).min(s1))
        .take_while(|&j| d.clause[j] == cl)
        .any(|j| d.is_any(j, &["علي", "ضد"]));
    target.then(|| state_actor(d, a, b, p, category))
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

/// Whether the unvowelled spelling of the verb form `h` of entry `e` is also that of its
/// passive: a perfect or imperfect with no object pronoun whose verb has no long vowel after its
/// first letter (قتل، اعتقل، أعدم are read قُتل، اُعتقل، أُعدم too; هاجم، اغتال، اعتدى are not:
/// هوجم، اغتيل، اعتُدي are spelled otherwise).
fn passive_spelled_alike(d: &Doc, h: &Hit, e: &TriggerEntry) -> bool {
    matches!(h.kind, FormKind::Perfect | FormKind::Imperfect)
        && d.tokens[h.t0].suffixes.is_empty()
        && !e.form.chars().skip(1).any(|c| matches!(c, 'ا' | 'ى' | 'آ'))
}

/// The sides of a verb: the recipient of a passive one, else its subject and object.
///
/// An unvowelled verb of killing, injuring, arresting or abducting whose passive is spelled
/// alike is read passive when its only noun names victims or a count ("قتل 20 شخصا"، "قتل
/// عناصر من الشرطة"، "10 أشخاص قتلوا"), or when an agent phrase follows it ("اعتقل ناشط
/// على يد الشرطة"), armed or not ("قتل مسلح وأصيب شرطي"); a `pronoun` subject keeps it active
/// ("أنها اعتقلت خمسة").
fn verb_sides(d: &Doc, h: &Hit, e: &TriggerEntry, pronoun: bool, x: &mut Sides) {
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
    let alike = passive_spelled_alike(d, h, e) && !e.intrans && !pronoun;
    let of_persons = matches!(
        e.count,
        Some(CountKind::Killed | CountKind::Injured | CountKind::Arrested | CountKind::Abducted)
    );
    let counted = |k: usize| p(k).victim || p(k).count.is_some();
    // something that can be an object from token `from` on, before a word with و that opens
    // another clause ("قتل مسلح وأصيب شرطي"): a free participant or a quantity
    let object_from = |from: usize| {
        let stop = (from..(from + 7).min(d.tokens.len()))
            .find(|&j| d.tokens[j].prefixes.first() == Some(&"و") || d.clause[j] != cl)
            .unwrap_or(from + 7);
        x.after
            .iter()
            .any(|&o| free(d, o) && p(o).t0 >= from && p(o).t0 < stop)
            || d.quantities
                .iter()
                .any(|(a, _, _)| *a >= from && *a <= from + 2 && *a < stop)
    };
    // the nearest free participant before the verb, its subject if it is active
    let before = x
        .before
        .iter()
        .copied()
        .find(|&k| free(d, k) && p(k).t1 + 6 >= h.t0);
    // victims or a count before a killing verb with no object: "10 أشخاص قتلوا" (قُتلوا)
    let victims_before = of_persons
        && !pronoun
        && before.is_some_and(counted)
        && !q_first
        && first_after.is_none_or(|k| p(k).t0 > h.t1 + 1);
    // the only noun after the verb: "قتل عناصر من الشرطة"
    let lone = first_after.filter(|&k| p(k).t0 <= h.t1 + 2 && !object_from(p(k).t1));
    let agent = x.actors.iter().any(|&k| d.clause[p(k).t0] == cl);
    let passive = e.passive
        || diacritic_passive
        || victims_before
        || (!e.intrans
            && !pronoun
            && !svo
            && (q_first || first_after.is_some_and(|k| p(k).t0 <= h.t1 + 1 && p(k).victim)))
        || (alike && agent)
        || (alike && of_persons && !svo && lone.is_some());
    x.passive = passive;
    if passive {
        passive_sides(d, h, before, victims_before, x);
    } else {
        active_sides(d, h, e, svo, first_after, pronoun, x);
    }
}

/// The recipient of a passive verb: the free participant right after it (a quantity or an
/// adverb may stand between), else the one before it (`before`, "20 شخصا قتلوا"; first when it
/// made the verb passive, `subject_first`), else the first free one soon after it.
fn passive_sides(d: &Doc, h: &Hit, before: Option<usize>, subject_first: bool, x: &mut Sides) {
    let p = |k: usize| &d.parts[k];
    let after = |within: usize| {
        x.after
            .iter()
            .copied()
            .find(|&k| free(d, k) && p(k).t0 <= h.t1 + within && !x.actors.contains(&k))
    };
    let before = before.filter(|k| !x.actors.contains(k));
    let k = if subject_first {
        before.or_else(|| after(3))
    } else {
        after(3).or(before)
    };
    let k = k.or_else(|| after(8));
    if let Some(k) = k {
        x.recips.push(k);
    }
}

/// The subject (actor) and, for a transitive verb, the object (recipient) of an active verb; a
/// `pronoun` subject leaves no subject to find and the noun after the verb its object.
fn active_sides(
    d: &Doc,
    h: &Hit,
    e: &TriggerEntry,
    svo: bool,
    first_after: Option<usize>,
    pronoun: bool,
    x: &mut Sides,
) {
    let p = |k: usize| &d.parts[k];
    // a relative clause: its subject is the antecedent, the noun after the verb its object;
    // the antecedent right before the pronoun is the actor, even in a prepositional phrase
    // ("خلفا للمسؤول الذي استقال"), but not before a relative that goes on with و ("الطائرة
    // التابعة للجيش والتي قصفت")
    let relative =
        h.t0 >= 2 && d.is_word(h.t0 - 1, &d.words.relatives) && d.tokens[h.t0].suffixes.is_empty();
    let (svo, first_after) = if pronoun || relative {
        (false, None)
    } else {
        (svo, first_after)
    };
    let antecedent = x.before.first().copied().filter(|&k| {
        relative && p(k).t1 + 1 == h.t0 && !d.tokens[h.t0 - 1].prefixes.contains(&"و")
    });
    let mut subj = if svo {
        x.before.first().copied()
    } else {
        antecedent
    };
    if let (None, Some(k)) = (subj, first_after) {
        // VSO: the subject right after the verb (an adverb may stand between)
        if p(k).t0 <= h.t1 + 2 && !x.recips.contains(&k) {
            subj = Some(k);
        }
    }
    if subj.is_none() && !pronoun && !relative {
        // SVO, a few words back (an adverb or a nisba between); unarmed victims (أطفال،
        // مدنيون) do not attack
        subj = x.before.iter().copied().find(|&k| {
            free(d, k)
                && p(k).t1 + 4 >= h.t0
                && !(e.category == Category::Assault && p(k).victim && !p(k).armed)
        });
    }
    if let Some(k) = subj {
        if !x.actors.contains(&k) {
            x.actors.push(k);
        }
        // subjects joined by و after the verb are all actors ("قصفت طائرات حربية وطائرات
        // هليكوبتر المنطقة"): the next participant with و, a word or two on, no preposition
        let mut last = k;
        if p(k).t0 > h.t0 {
            for &k2 in x.after.iter().filter(|&&k2| p(k2).t0 >= p(k).t1) {
                let t = &d.tokens[p(k2).t0];
                let joined = p(k2).t0 <= p(last).t1 + 2
                    && t.prefixes.first() == Some(&"و")
                    && t.prefixes.iter().all(|x| matches!(*x, "و" | "ال"))
                    && free(d, k2);
                if !joined {
                    break;
                }
                if !x.actors.contains(&k2) {
                    x.actors.push(k2);
                }
                last = k2;
            }
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
    // a quantity may open the genitive: "مقتل ما لا يقل عن عشرين شخصا"
    let q_end = d
        .quantities
        .iter()
        .find(|(a, _, _)| *a == h.t1)
        .map(|(_, b, _)| *b);
    let gen =
        x.after.iter().copied().find(|&k| {
            free(d, k) && (p(k).t0 <= h.t1 + 1 || q_end.is_some_and(|b| p(k).t0 <= b + 1))
        });
    if let Some(k) = gen {
        if !x.actors.contains(&k) && !x.recips.contains(&k) {
            match (e.genitive, e.passive) {
                (_, true) | (Genitive::Recipient, _) => x.recips.push(k),
                (Genitive::Actor, _) => x.actors.push(k),
                (Genitive::None, _) => {}
            }
        }
    }
    if e.genitive != Genitive::Recipient && !e.passive && gen.is_none() && x.actors.is_empty() {
        // a possessive ل names the actor, an adjective between: "القصف المدفعي للجيش"
        if let Some(k) = x.after.iter().copied().find(|&k| {
            p(k).t0 <= h.t1 + 1
                && d.tokens[p(k).t0].prefixes.contains(&"ل")
                && !p(k).victim
                && !x.recips.contains(&k)
        }) {
            x.actors.push(k);
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

/// Words back from a noun trigger a verb of commenting may stand (see [`stance_before`]).
const STANCE_WINDOW: usize = 15;

/// Whether a verb of commenting on an act (استنكر، أدان، وصف: `stance_verbs.txt`) governs noun
/// trigger `h`: it stands up to fifteen words before it, in its clause, with no verb that states
/// the act between ("استنكر الأمين العام للهيئة التفجير الإرهابي").
fn stance_before(d: &Doc, h: &Hit, s0: usize) -> bool {
    let lo = h.t0.saturating_sub(STANCE_WINDOW).max(s0);
    for j in (lo..h.t0).rev() {
        if d.clause[j] != d.clause[h.t0] || d.is_word(j, &d.words.light) {
            return false;
        }
        if d.is_word(j, &d.words.stance) {
            return true;
        }
    }
    false
}

/// The participant right before a noun trigger: the recipient of a passive noun, else the
/// subject of a light verb ("أقامت داعش حواجز") when no actor is known and `skip_subject` (a
/// nisba actor, or victims of another act) does not rule it out.
fn noun_sides_before(d: &Doc, h: &Hit, e: &TriggerEntry, skip_subject: bool, x: &mut Sides) {
    if e.passive && x.recips.is_empty() {
        if let Some(&k) = x.before.first() {
            if free(d, k) {
                x.recips.push(k);
            }
        }
    }
    if !e.passive && x.actors.is_empty() && !skip_subject {
        // a light verb's subject right before the noun: "أقامت داعش حواجز" (a word may stand
        // between, not a preposition or a word of cause: "مقتل مئة مدني جراء الغارة")
        // a quantity of the noun may stand between too: "شن الطيران أكثر من 20 غارة"
        if let Some(&k) = x.before.first() {
            let p = &d.parts[k];
            let gap =
                p.t1 < h.t0 && (d.is_word(p.t1, &d.words.preps) || d.is_word(p.t1, &d.words.cause));
            let counted = |j: usize| d.quantities.iter().any(|(a, b, _)| *a <= j && j < *b);
            let between = (p.t1..h.t0).filter(|&j| !counted(j)).count();
            let quantity = (p.t1..h.t0).any(counted);
            let gap = gap && !(quantity && counted(p.t1));
            let victim = e.category == Category::Assault && p.victim && !p.armed;
            if free(d, k) && between <= 1 && !gap && !victim && !x.recips.contains(&k) {
                x.actors.push(k);
            }
        }
    }
}

/// Further back in the sentence (up to fifteen tokens): who imposes, who demonstrates; a
/// participant after على on the way is the recipient (not of a protest), and for an attack
/// unarmed victims are passed over, as is the object of a verbal noun ("لطرد المسلحين").
pub(super) fn further_back(
    d: &Doc,
    h: &Hit,
    s0: usize,
    parts: &[usize],
    category: Category,
    x: &mut Sides,
) {
    let assault = category == Category::Assault;
    let p = |k: usize| &d.parts[k];
    let lo = h.t0.saturating_sub(15).max(s0);
    for &k in parts.iter().rev() {
        if p(k).t1 > h.t0 || p(k).t0 < lo {
            continue;
        }
        let pr = d.prep_before(p(k).t0);
        if pr.as_deref() == Some("علي") {
            // what is imposed on someone (فرض حظر التجول على السكان); a protest has no such
            // target before it
            if x.recips.is_empty() && category != Category::Protest {
                x.recips.push(k);
            }
            continue;
        }
        let object = p(k).t0 > s0 && !d.tokens[p(k).t0 - 1].prefixes.is_empty() && {
            let t = &d.tokens[p(k).t0 - 1];
            t.prefixes.iter().any(|c| matches!(*c, "ل" | "ب"))
                && !d.parts.iter().any(|q| q.t1 == p(k).t0)
        };
        if (assault && p(k).victim && !p(k).armed) || object {
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
