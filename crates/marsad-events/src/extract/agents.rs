//! Who acts, beyond the subject and the genitive: both sides of a clash, the attacker a
//! passive death is blamed on ("قتل 5 في غارة لطيران التحالف"), the subject of a verb of
//! carrying out ("هجوم نفذه X"), the speaker's own act ("أعلنت الشرطة أنها اعتقلت"); and the
//! passive light verbs (تم اعتقال) that leave a verbal noun with no actor.

use super::arguments::{further_back, Sides};
use super::doc::{is_clause_break, Doc};
use super::sources::Sources;
use super::triggers::Hit;
use super::Extractor;
use crate::Category;
use std::ops::Range;

/// Whether a passive light verb stands right before the noun trigger `h` (up to two words
/// between, no participant): "تم اعتقال"، "وجرى تنفيذ حكم الإعدام".
pub(super) fn light_passive(d: &Doc, h: &Hit, s0: usize) -> bool {
    let lo = h.t0.saturating_sub(3).max(s0);
    (lo..h.t0).any(|j| {
        d.is_word(j, &d.words.passive_light) && !d.parts.iter().any(|p| p.t0 > j && p.t0 < h.t0)
    })
}

/// The subject of a verb of carrying out whose pronoun stands for the noun trigger `h`, up to
/// three words after it in its clause (adjectives, a relative pronoun): "هجوم انتحاري نفذه
/// التنظيم"، "الاعتداء الذي تبنته الحركة".
pub(super) fn carried_out_by(d: &Doc, h: &Hit, x: &mut Sides) {
    let cl = d.clause[h.t0];
    for j in h.t1..(h.t1 + 4).min(d.tokens.len()) {
        if d.clause[j] != cl {
            return;
        }
        if d.is_word(j, &d.words.carried_out) {
            if let Some(&k) = x.after.iter().find(|&&k| d.parts[k].t0 == j + 1) {
                if !x.recips.contains(&k) {
                    x.actors.push(k);
                }
            }
            return;
        }
    }
}

/// The subject of a verb of doing that takes the noun trigger `h` with ب or على, up to ten
/// words back: "قامت امرأة بتفجير نفسها"، "أقدم مسلحون على قتل"، "قيام أحد الحراس بارتكاب جريمة
/// قتل" (a verbal noun of doing with ب may stand before the trigger).
pub(super) fn doer(d: &Doc, h: &Hit, s0: usize, parts: &[usize], x: &mut Sides) {
    let with_b = |j: usize| d.tokens[j].prefixes.contains(&"ب");
    let marked = with_b(h.t0)
        || (h.t0 > s0 && d.is(h.t0 - 1, "علي"))
        || (h.t0.saturating_sub(2).max(s0)..h.t0).any(with_b);
    if !marked {
        return;
    }
    for j in (h.t0.saturating_sub(10).max(s0)..h.t0).rev() {
        if d.is_word(j, &d.words.doers) {
            let p = |k: usize| &d.parts[k];
            if let Some(&k) = parts.iter().find(|&&k| p(k).t0 > j && p(k).t1 <= h.t0) {
                if !x.recips.contains(&k) {
                    x.actors.push(k);
                }
            }
            return;
        }
    }
}

/// Words back from a noun trigger a verb that carries it out may stand (see
/// [`Extractor::launched_by`]).
const LAUNCH_WINDOW: usize = 12;

impl Extractor {
    /// The subject of a verb that carries out the noun trigger `h` (`launchers.txt`), up to
    /// twelve words back in its clause: the participant right after the verb (a word may
    /// stand between), free of a preposition, with no verb trigger between it and `h` ("تشن
    /// القوات الحكومية منذ أسبوع حملة عسكرية"). A country or capital there stands for its
    /// government ("بدأت أنقرة حملة ضربات جوية"). A verb with no subject after it (a pronoun:
    /// "واصل الطيران شن غاراته") passes the search on to one further back.
    pub(super) fn launched_by(&self, d: &Doc, h: &Hit, s0: usize, parts: &[usize], x: &mut Sides) {
        let category = self.lex.entries[h.entry].category;
        let cl = d.clause[h.t0];
        let p = |k: usize| &d.parts[k];
        let lo = h.t0.saturating_sub(LAUNCH_WINDOW).max(s0);
        for j in (lo..h.t0).rev() {
            if d.clause[j] != cl {
                return;
            }
            if !d.tokens[j].suffixes.is_empty() || !d.is_word(j, &d.words.launchers) {
                continue;
            }
            // no verb trigger between the subject and the noun: the verb carries out `h`
            let verbs_between = |a: usize| {
                self.triggers(d, a, h.t0)
                    .iter()
                    .any(|o| o.kind != crate::lexicon::FormKind::Noun)
            };
            if let Some(&k) = parts
                .iter()
                .find(|&&k| p(k).t0 > j && p(k).t0 <= j + 2 && p(k).t1 <= h.t0)
            {
                let victim = category == Category::Assault && p(k).victim && !p(k).armed;
                if super::arguments::free(d, k)
                    && !victim
                    && !x.recips.contains(&k)
                    && !verbs_between(p(k).t1)
                {
                    x.actors.push(k);
                    // what is imposed on someone on the way: "فرض المسلحون على السكان إتاوات"
                    if x.recips.is_empty() {
                        x.recips.extend(parts.iter().copied().find(|&r| {
                            p(r).t0 >= p(k).t1
                                && p(r).t1 <= h.t0
                                && d.prep_before(p(r).t0).as_deref() == Some("علي")
                        }));
                    }
                }
                return;
            }
            if let Some(&(a, b, pl)) = d.places.iter().find(|&&(a, _, _)| a == j + 1) {
                let state = matches!(pl.feature.as_str(), "country" | "city");
                if state && d.tokens[a].prefixes.is_empty() && b <= h.t0 && !verbs_between(b) {
                    x.nisba = Some(super::arguments::state_actor(d, a, b, pl, category));
                }
                return;
            }
            // "بعد أن فرضت حصارا": the verb's hidden subject is the sentence's own
            if j >= s0 + 2 && d.is(j - 1, "ان") && d.is_any(j - 2, &["بعد", "قبل", "منذ"])
            {
                if let Some(k) = main_subject(d, s0, j - 2, parts) {
                    let victim = category == Category::Assault && p(k).victim && !p(k).armed;
                    if !victim && !x.recips.contains(&k) {
                        x.actors.push(k);
                    }
                }
                return;
            }
        }
    }
}

/// The subject of the sentence's main clause, before token `end`: the first participant free
/// of a preposition, either opening the sentence or right after its first verb ("باتت القوات
/// تتقدم"، "القوات تتقدم").
pub(super) fn main_subject(d: &Doc, s0: usize, end: usize, parts: &[usize]) -> Option<usize> {
    let k = parts
        .iter()
        .copied()
        .find(|&k| d.parts[k].t0 >= s0 && d.parts[k].t1 <= end)?;
    let t0 = d.parts[k].t0;
    let words = (s0..t0)
        .filter(|&j| d.tokens[j].kind == marsad_text::TokenKind::Word)
        .count();
    (words <= 1 && super::arguments::free(d, k) && (d.parts[k].armed || d.parts[k].org))
        .then_some(k)
}

/// Both sides of a clash, as actors with no recipient: the participants after "بين" joined by
/// و ("اشتباكات بين الشرطة والمسلحين"), or the one after "مع" beside the clash's subject ("معارك
/// مع الميليشيات" after "سيطرت القوات على البلدة").
pub(super) fn clash_sides(d: &Doc, h: &Hit, s0: usize, parts: &[usize], x: &mut Sides) {
    let p = |k: usize| &d.parts[k];
    let cl = d.clause[h.t0];
    // the word that opens the other side, an adjective or two after the trigger (a time
    // phrase may stand between too: "مواجهات عنيفة منذ أسبوع بين")
    let dated = |j: usize| d.dates.iter().any(|(a, b, _)| *a <= j && j < *b);
    let mut words = 0;
    let opener = (h.t1..d.tokens.len())
        .take_while(|&j| {
            words += usize::from(!dated(j));
            words <= 3
        })
        .find(|&j| {
            d.clause[j] == cl && d.tokens[j].suffixes.is_empty() && d.is_any(j, &["بين", "مع"])
        });
    let Some(o) = opener else {
        return;
    };
    let mut sides: Vec<usize> = Vec::new();
    for &k in &x.after {
        if p(k).t0 <= o {
            continue;
        }
        match sides.last() {
            None if p(k).t0 == o + 1 => sides.push(k),
            Some(&l)
                if d.is(o, "بين")
                    && p(k).t0 <= p(l).t1 + 2
                    && d.tokens[p(k).t0].prefixes.first() == Some(&"و") =>
            {
                sides.push(k)
            }
            _ => break,
        }
    }
    if sides.is_empty() {
        return;
    }
    // a clash has no recipient: a side named as a target is an actor too
    let mut actors: Vec<usize> = std::mem::take(&mut x.actors);
    actors.append(&mut x.recips);
    actors.retain(|k| !sides.contains(k));
    if d.is(o, "مع") && actors.is_empty() {
        let mut back = Sides {
            after: Vec::new(),
            before: Vec::new(),
            actors: Vec::new(),
            recips: Vec::new(),
            passive: false,
            nisba: None,
        };
        further_back(d, h, s0, parts, Category::Assault, &mut back);
        actors = back.actors;
    }
    for k in sides {
        if !actors.contains(&k) {
            actors.push(k);
        }
    }
    x.actors = actors;
}

/// The speaker as the actor of its own act: a trigger soon after a complementizer whose
/// pronoun agrees with the speech verb ("أعلنت الشرطة أنها تمكنت من تحرير الرهائن"), with
/// no participant between.
pub(super) fn own_act(d: &Doc, h: &Hit, sources: &Sources, x: &mut Sides) {
    let Some(s) = sources.governing(h.t0) else {
        return;
    };
    let Some(c) = s.own else {
        return;
    };
    if h.t0 <= c || h.t0 > c + 5 || d.parts.iter().any(|p| p.t0 > c && p.t0 < h.t0) {
        return;
    }
    if let Some(k) = (0..d.parts.len()).find(|&k| d.parts[k].t0 >= s.a && d.parts[k].t1 <= s.b) {
        x.actors.push(k);
    }
}

impl Extractor {
    /// The actors of the act a passive event is blamed on, named soon after it behind a word of
    /// cause ("قتل 5 في غارة للتحالف"، "جراء قصف الجيش"، "اعتقل 15 في حملة مداهمات نفذتها
    /// الشرطة"), across one comma at most: an attack for a death or an injury, an act of the
    /// same category otherwise; a noun of acts or of fighting may stand before it ("في عملية
    /// دهم"، "في تبادل لإطلاق النار بين الشرطة ومسلحين").
    pub(super) fn cause_agents(
        &self,
        d: &Doc,
        h: &Hit,
        sent: &Range<usize>,
        parts: &[usize],
        x: &mut Sides,
    ) {
        let category = self.lex.entries[h.entry].category;
        let end = (h.t1 + 12).min(sent.end);
        let mut breaks = 0;
        for j in h.t1..end {
            if is_clause_break(d.text, &d.tokens[j]) {
                breaks += 1;
                if breaks > 1 {
                    return;
                }
                continue;
            }
            let word = d.is_word(j, &d.words.cause);
            let clitic = d.tokens[j]
                .prefixes
                .iter()
                .any(|c| d.words.cause.iter().any(|w| w == c));
            if !(word || clitic) {
                continue;
            }
            let mut at = if word { j + 1 } else { j };
            let host =
                at < end && (d.is_word(at, &d.words.noun_hosts) || d.is_word(at, &d.words.clash));
            if host && at > j {
                at += 1;
            }
            let hits = self.triggers(d, j, (at + 2).min(sent.end));
            let Some(g) = hits
                .iter()
                .find(|g| g.t0 == at && self.lex.entries[g.entry].category == category)
            else {
                continue;
            };
            // the attack's own sides, among the participants after it (those before are the
            // victims)
            let ps: Vec<usize> = parts
                .iter()
                .copied()
                .filter(|&k| d.parts[k].t0 >= g.t1)
                .collect();
            let y = self.sides(d, g, sent, &ps, false);
            x.actors = y
                .actors
                .into_iter()
                .filter(|k| !x.recips.contains(k))
                .collect();
            x.nisba = y.nisba;
            return;
        }
    }
}
