//! One sentence's candidates: which triggers are events here, and each one's arguments,
//! counts, attribution, modality, money, place, date and evidence.

use super::doc::Doc;
use super::{count_of, Cand, Extractor};
use crate::lexicon::CountKind;
use crate::{Bound, Category, Count, Counts, DocInput, Modality};
use marsad_text::Span;

/// Modes that name a weapon: an assault by them is not an accident.
const WEAPON_MODES: &[&str] = &[
    "explosives",
    "suicide-attack",
    "aerial",
    "heavy-weapons",
    "firearms",
];

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

impl Extractor {
    #[allow(clippy::too_many_arguments)]
    pub(super) fn sentence(
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
}
