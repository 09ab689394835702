//! Merging the mentions of one happening into one candidate.

use super::doc::Doc;
use super::{Cand, PlaceFrom};
use crate::Counts;

fn merge_counts(a: &mut Counts, b: &Counts) {
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

fn compatible(a: &Cand, b: &Cand, d: &Doc) -> bool {
    if a.category != b.category || a.modality.counts() != b.modality.counts() {
        return false;
    }
    let (na, nb) = (names(a, d), names(b, d));
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

/// Merges mentions of one happening: in a sentence, same category with compatible actors and
/// place; across sentences, also the same trigger word and the same named place.
pub(super) fn merge(cands: Vec<Cand>, d: &Doc) -> Vec<Cand> {
    let mut out: Vec<Cand> = Vec::new();
    for c in cands {
        let same_sentence = out
            .iter()
            .rposition(|o| o.sentence == c.sentence && compatible(o, &c, d));
        if let Some(k) = same_sentence {
            absorb(&mut out[k], c);
            continue;
        }
        let key = d.text[c.trigger.start..c.trigger.end].to_string();
        let across = out.iter().rposition(|o| {
            o.sentence != c.sentence
                && compatible(o, &c, d)
                && o.location.is_some()
                && c.location.is_some()
                && d.text[o.trigger.start..o.trigger.end] == key
        });
        if let Some(k) = across {
            absorb(&mut out[k], c);
            continue;
        }
        out.push(c);
    }
    out
}
