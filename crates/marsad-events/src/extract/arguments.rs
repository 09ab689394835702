//! Actors and recipients of one trigger, by Arabic cues: the subject after the verb, على يد
//! for the agent, ضد/على for the target, passive forms giving only the recipient.

use super::doc::Doc;
use super::triggers::Hit;
use super::{Cand, Extractor};
use crate::lexicon::{CountKind, Genitive, Pos};
use crate::{Category, Participant};

/// Words that mark the subject of a relative clause as the antecedent (الذين ينشقون).
const RELATIVES: &[&str] = &["الذين", "الذي", "التي", "اللذين", "اللتين", "اللواتي"];

/// Particles a participant phrase may open with that do not make it prepositional.
const SOFT: &[&str] = &["قد", "لقد", "ان", "انه", "انها", "انهم"];

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
}
