//! Merging the mentions of one happening into one candidate.

use super::doc::Doc;
use super::{Cand, Extractor, PlaceFrom};
use crate::Counts;
use std::collections::HashMap;

impl Extractor {
    /// Where the telling of another happening begins before candidate `c` (a byte offset),
    /// if it does: a sentence that turns to another matter (من جهة أخرى، قتل …) past its
    /// opener — past the opener's clause where the opener names what goes alongside
    /// (وبالتزامن مع المواجهات، شنت القوات قصفا) — or, for a toll of its own, an addition
    /// cue right before it (لقوا مصرعهم، إضافة إلى مقتل 17 عنصرا).
    pub(super) fn set_apart(&self, d: &Doc, c: &Cand) -> Option<usize> {
        let cues = &self.lex.cues;
        let t0 = d.tokens.partition_point(|t| t.end <= c.trigger.start);
        let s = d.sents.get(d.sents.partition_point(|r| r.end <= t0))?;
        if let Some(n) = d.phrase(&cues.turn, s.start) {
            let end = s.start + n;
            let from = if d.is(end - 1, "مع") {
                (end..s.end).find(|&j| d.clause[j] != d.clause[s.start])
            } else {
                Some(s.start)
            };
            if let Some(j) = from.filter(|&j| t0 >= j.max(end)) {
                return Some(d.tokens[j].start);
            }
        }
        // only a toll of its own is added to another one
        c.counts.killed?;
        (t0.saturating_sub(3).max(s.start)..t0)
            .find(|&k| d.phrase(&cues.addition, k).is_some_and(|n| k + n == t0))
            .map(|k| d.tokens[k].start)
    }
}

/// Joins the counts of two mentions of one happening: the happening's own counts win over a
/// total over many incidents (`aggregate`), which is kept, flagged, only when nothing else is
/// known; counts of one kind fill each other's gaps.
pub(super) fn merge_counts(a: &mut Counts, b: &Counts) {
    if b.is_empty() {
        return;
    }
    if a.is_empty() || (a.aggregate && !b.aggregate) {
        *a = *b;
        return;
    }
    if b.aggregate && !a.aggregate {
        return;
    }
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

/// Names the participants of a candidate (entity, English name or text key), for comparing.
fn names(c: &Cand, d: &Doc) -> Vec<String> {
    let mut v: Vec<String> = c.actors.iter().map(|&k| d.ident(&d.parts[k])).collect();
    if let Some(n) = &c.nisba_actor {
        v.push(n.country.clone().unwrap_or_default());
    }
    v
}

/// Whether two candidates can be one happening: one category and kind of modality, a shared
/// participant where both name some (`na`, `nb`: their names), and one place where both have one.
fn compatible(a: &Cand, na: &[String], b: &Cand, nb: &[String]) -> bool {
    if a.category != b.category || a.modality.counts() != b.modality.counts() {
        return false;
    }
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
    if a.location.is_none()
        || (a.place_from == PlaceFrom::Article
            && b.place_from != PlaceFrom::Article
            && b.location.is_some())
    {
        a.location = b.location;
        a.place_from = b.place_from;
    }
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
    a.verbal |= b.verbal;
    a.stated |= b.stated;
}

/// Whether `o` was told before where `c` begins to tell another happening.
fn before(o: &Cand, c: &Cand) -> bool {
    c.apart_from.is_some_and(|b| o.trigger.start < b)
}

/// Merges mentions of one happening: in a sentence, same category with compatible actors and
/// place; across sentences, also the same trigger word and the same named place.
pub(super) fn merge(cands: Vec<Cand>, d: &Doc) -> Vec<Cand> {
    let mut out: Vec<Cand> = Vec::new();
    // the names of each kept candidate's participants, kept beside it
    let mut out_names: Vec<Vec<String>> = Vec::new();
    // the candidates kept so far by trigger word, for the look-back across sentences
    let mut by_word: HashMap<&str, Vec<usize>> = HashMap::new();
    for c in cands {
        let nc = names(&c, d);
        // the candidates are in sentence order: the same sentence's are the last ones
        let same_sentence = (0..out.len())
            .rev()
            .take_while(|&k| out[k].sentence == c.sentence)
            .filter(|&k| !before(&out[k], &c))
            .find(|&k| compatible(&out[k], &out_names[k], &c, &nc));
        let key = &d.text[c.trigger.start..c.trigger.end];
        let across = || {
            by_word.get(key).and_then(|ks| {
                ks.iter().rev().copied().find(|&k| {
                    let o = &out[k];
                    o.sentence != c.sentence
                        && !before(o, &c)
                        && o.location.is_some()
                        && c.location.is_some()
                        && compatible(o, &out_names[k], &c, &nc)
                })
            })
        };
        if let Some(k) = same_sentence.or_else(across) {
            // the names of what the candidate adds (not all of them again: a happening told
            // many times gathers many actors)
            let (before, had_nisba) = (out[k].actors.len(), out[k].nisba_actor.is_some());
            absorb(&mut out[k], c);
            let added: Vec<String> = out[k].actors[before..]
                .iter()
                .map(|&p| d.ident(&d.parts[p]))
                .collect();
            out_names[k].extend(added);
            if let Some(n) = out[k].nisba_actor.as_ref().filter(|_| !had_nisba) {
                out_names[k].push(n.country.clone().unwrap_or_default());
            }
            continue;
        }
        by_word.entry(key).or_default().push(out.len());
        out.push(c);
        out_names.push(nc);
    }
    out
}

#[cfg(test)]
mod counts_tests {
    use super::merge_counts;
    use crate::{Bound, Count, Counts};

    fn killed(value: u64, aggregate: bool) -> Counts {
        Counts {
            killed: Some(Count {
                value,
                approximate: false,
                bound: Bound::Exact,
            }),
            aggregate,
            ..Default::default()
        }
    }

    /// "هجمات على مدنيين، ومقتل 185 ألف شخص منذ بداية الحرب": the total joins a mention without
    /// counts still flagged, and gives way to the happening's own toll.
    #[test]
    fn a_total_keeps_its_flag_and_gives_way_to_the_happenings_own_toll() {
        let mut a = Counts::default();
        merge_counts(&mut a, &killed(185_000, true));
        assert!(a.aggregate && a.killed.unwrap().value == 185_000);
        merge_counts(&mut a, &killed(12, false));
        assert!(!a.aggregate && a.killed.unwrap().value == 12);
        let mut own = killed(12, false);
        merge_counts(&mut own, &killed(185_000, true));
        assert!(!own.aggregate && own.killed.unwrap().value == 12);
    }
}
