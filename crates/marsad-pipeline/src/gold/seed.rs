//! The founding report's expected events (`../shared/seed/expected.json`) against what marsad
//! finds in it.

use marsad_events::{Bound, Event};
use marsad_text::normalize::key;
use marsad_text::Span;
use serde_json::Value;

/// Where a string first occurs in the article, as a span.
fn find_span(text: &str, needle: &str) -> Option<Span> {
    text.find(needle).map(|s| Span::new(s, s + needle.len()))
}

fn alternatives(v: &Value) -> Vec<String> {
    v.as_str()
        .map(|s| s.split('|').map(|x| x.trim().to_string()).collect())
        .unwrap_or_default()
}

/// Whether a participant names the expected one: by text (matching keys, containment) or by the
/// English name the expected entity list gives it.
fn names_match(p: &marsad_events::Participant, want: &str, entities: &[Value]) -> bool {
    let (pk, wk) = (key(&p.text), key(want));
    if pk.contains(&wk) {
        return true;
    }
    let en = entities
        .iter()
        .find(|e| e["text"].as_str() == Some(want))
        .and_then(|e| e["name_en"].as_str());
    en.is_some() && p.name_en.as_deref() == en
}

fn place_match(l: Option<&marsad_events::Location>, want: &Value) -> bool {
    let Some(l) = l else { return false };
    if let Some(id) = want["geonameid"].as_u64() {
        return l.geonameid == Some(id);
    }
    want["country"].as_str().is_none_or(|c| l.country == c)
}

/// Checks one predicted event against the listed fields of one expected event; returns the
/// names of the fields that are wrong.
fn check_args(e: &Event, x: &Value, entities: &[Value], text: &str) -> Vec<String> {
    let mut wrong = Vec::new();
    let mut check = |name: &str, ok: bool| {
        if !ok {
            wrong.push(name.to_string());
        }
    };
    let all = || e.actors.iter().chain(&e.recipients);
    if let Some(m) = x.get("mode") {
        let alts = alternatives(m);
        check("mode", e.mode.iter().any(|m| alts.contains(m)));
    }
    // the participant fields of expected.json: (field, which side, what of a participant)
    type Field = fn(&marsad_events::Participant, &str, &[Value]) -> bool;
    let by_name: Field = |p, want, entities| names_match(p, want, entities);
    let by_role: Field = |p, want, _| p.role.as_deref() == Some(want);
    let by_country: Field = |p, want, _| p.country.as_deref() == Some(want);
    let sides: [(&str, &[marsad_events::Participant], Field); 6] = [
        ("actor", &e.actors, by_name),
        ("recipient", &e.recipients, by_name),
        ("actor_role", &e.actors, by_role),
        ("recipient_role", &e.recipients, by_role),
        ("actor_country", &e.actors, by_country),
        ("recipient_country", &e.recipients, by_country),
    ];
    for (field, side, matches) in sides {
        if let Some(want) = x[field].as_str() {
            check(field, side.iter().any(|p| matches(p, want, entities)));
        }
    }
    if let Some(ps) = x["participants"].as_array() {
        let ok = ps
            .iter()
            .filter_map(Value::as_str)
            .all(|w| all().any(|p| names_match(p, w, entities)));
        check("participants", ok);
    }
    if let Some(locs) = x["locations"].as_array() {
        let ok = e.location.as_ref().is_some_and(|l| {
            locs.iter()
                .filter_map(Value::as_str)
                .any(|w| key(&l.text).contains(&key(w)))
        });
        check("locations", ok);
    }
    if let Some(l) = x.get("location") {
        check("location", place_match(e.location.as_ref(), l));
    }
    if let Some(l) = x.get("destination") {
        check("destination", place_match(e.destination.as_ref(), l));
    }
    if let Some(m) = x.get("money") {
        let ok = e.money.as_ref().is_some_and(|g| {
            let bound = match g.bound {
                Bound::Exact => "exact",
                Bound::AtLeast => "at least",
                Bound::UpTo => "up to",
            };
            m["amount"].as_f64() == Some(g.amount)
                && m["currency"].as_str() == Some(g.currency.as_str())
                && m["per"].as_str() == g.per.as_deref()
                && m["bound"].as_str().is_none_or(|b| b == bound)
        });
        check("money", ok);
    }
    if let Some(k) = x["killed"].as_u64() {
        check("killed", e.counts.killed.is_some_and(|c| c.value == k));
    }
    if let Some(c) = x.get("count") {
        let counts = [
            e.counts.participants,
            e.counts.killed,
            e.counts.injured,
            e.counts.arrested,
            e.counts.abducted,
        ];
        let ok = counts.iter().flatten().any(|g| {
            c["value"].as_u64() == Some(g.value)
                && c["approximate"]
                    .as_bool()
                    .is_none_or(|a| a == g.approximate)
        });
        check("count", ok);
    }
    if let Some(a) = x["attribution"].as_str() {
        let ok = match (find_span(text, a), &e.attribution) {
            (Some(s), Some(g)) => s.overlaps(&g.span),
            _ => false,
        };
        check("attribution", ok);
    }
    if let Some(m) = x["modality"].as_str() {
        let got = serde_json::to_value(e.modality).unwrap_or(Value::Null);
        check("modality", got.as_str() == Some(m));
    }
    wrong
}

/// The outcome of the seed check.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SeedReport {
    /// Expected events found with an acceptable type.
    pub found: usize,
    /// Of those, how many have every listed argument right.
    pub args_right: usize,
    /// Expected events in all.
    pub expected: usize,
    /// Whether no not-asserted expectation became an asserted event.
    pub not_asserted_ok: bool,
    /// Records that count (asserted, reported or claimed): one per happening is the aim.
    pub counted: usize,
    /// One line per expectation.
    pub lines: Vec<String>,
}

/// Whether an event tells of the passage `ev`: its evidence, its trigger or one of its further
/// mentions overlaps it.
fn covers(e: &Event, ev: &Span) -> bool {
    e.evidence.span.overlaps(ev)
        || e.trigger.span.overlaps(ev)
        || e.mentions
            .iter()
            .any(|m| m.evidence.span.overlaps(ev) || m.trigger.span.overlaps(ev))
}

/// Checks predicted events against `expected.json`; each event stands for one expectation at
/// most (two happenings in one record find only one of them).
pub fn check_seed(text: &str, events: &[Event], expected: &Value) -> SeedReport {
    let entities = expected["entities"].as_array().cloned().unwrap_or_default();
    let mut r = SeedReport {
        not_asserted_ok: true,
        counted: events.iter().filter(|e| e.modality.counts()).count(),
        ..SeedReport::default()
    };
    let mut used = vec![false; events.len()];
    for x in expected["events"].as_array().into_iter().flatten() {
        r.expected += 1;
        let id = x["id"].as_str().unwrap_or("?");
        let types = alternatives(&x["type"]);
        let Some(ev) = x["evidence"].as_str().and_then(|s| find_span(text, s)) else {
            r.lines.push(format!("{id}: evidence not in the article"));
            continue;
        };
        let mut best: Option<(usize, Vec<String>)> = None;
        for (k, e) in events.iter().enumerate() {
            if used[k] || !types.iter().any(|t| t == e.event_type.name()) || !covers(e, &ev) {
                continue;
            }
            let wrong = check_args(e, x, &entities, text);
            if best.as_ref().is_none_or(|(_, w)| wrong.len() < w.len()) {
                best = Some((k, wrong));
            }
        }
        match best {
            None => {
                let other: Vec<&str> = events
                    .iter()
                    .filter(|e| covers(e, &ev))
                    .map(|e| e.event_type.name())
                    .collect();
                r.lines.push(format!(
                    "{id}: NOT FOUND (want {}; overlapping: {})",
                    types.join("|"),
                    if other.is_empty() {
                        "none".to_string()
                    } else {
                        other.join(", ")
                    }
                ));
            }
            Some((k, wrong)) => {
                used[k] = true;
                let e = &events[k];
                r.found += 1;
                if wrong.is_empty() {
                    r.args_right += 1;
                }
                r.lines.push(format!(
                    "{id}: found {} {:?} trigger {:?}; arguments {}",
                    e.event_type.name(),
                    e.mode,
                    e.trigger.text,
                    if wrong.is_empty() {
                        "right".to_string()
                    } else {
                        format!("wrong: {}", wrong.join(", "))
                    }
                ));
            }
        }
    }
    for x in expected["not_asserted"].as_array().into_iter().flatten() {
        let Some(ev) = x["evidence"].as_str().and_then(|s| find_span(text, s)) else {
            continue;
        };
        let bad: Vec<&Event> = events
            .iter()
            .filter(|e| e.modality.counts() && e.evidence.span.overlaps(&ev))
            .collect();
        if !bad.is_empty() {
            r.not_asserted_ok = false;
        }
        r.lines.push(format!(
            "not asserted {:?}: {}",
            x["evidence"].as_str().unwrap_or(""),
            if bad.is_empty() {
                "ok".to_string()
            } else {
                format!("WRONG ({} counting event(s))", bad.len())
            }
        ));
    }
    r
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{annotate, content_id, Doc, Models};
    use std::path::Path;

    /// The seed's events through the full pipeline (skips when ../shared is missing).
    #[test]
    fn seed_golden() {
        let shared = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared");
        let Ok(text) = std::fs::read_to_string(shared.join("seed/article.txt")) else {
            marsad_record::testing::skip("seed_golden", "../shared/seed is not here");
            return;
        };
        let expected: Value = serde_json::from_str(
            &std::fs::read_to_string(shared.join("seed/expected.json")).unwrap(),
        )
        .unwrap();
        let models = Models::load().unwrap();
        let doc = Doc {
            id: content_id(&text),
            text: &text,
            date: None,
            title: None,
            url: None,
            outlet: None,
        };
        let ann = annotate(&models, &doc);
        let r = check_seed(&text, &ann.events, &expected);
        assert!(r.not_asserted_ok, "{:#?}", r.lines);
        assert!(r.found >= 9, "{:#?}", r.lines);
    }
}
