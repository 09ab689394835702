//! Alert rules over the stored events: a filter picks the events, a condition says when they
//! make an alert. The conditions are pure functions over [`Hit`]s (an event's id, date and own
//! toll), so they are tested without a store.

use crate::config::{Condition, Filter, Near, Rule};
use chrono::{Duration, NaiveDate};
use marsad_store::indicators::{period_start, period_starts, spike_test, Spike, SpikeTest};
use marsad_store::{EventFilter, Interval, SqliteStore, Store, StoreError, StoredEvent};
use std::collections::BTreeMap;

/// What a condition needs of an event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    /// The event's id.
    pub id: String,
    /// Its date, when known.
    pub date: Option<NaiveDate>,
    /// Its own toll (aggregate tolls left out).
    pub killed: u64,
}

impl Hit {
    /// The hit of a stored event.
    pub fn of(e: &StoredEvent) -> Hit {
        Hit {
            id: e.record.id.clone(),
            date: e.record.date.as_ref().map(|d| d.value),
            killed: e.record.counts.own_killed().map_or(0, |c| c.value),
        }
    }
}

/// An alert about to be sent: the rule, its deduplication key, one line, and the events.
#[derive(Debug, Clone)]
pub struct Firing {
    /// The rule's name.
    pub rule: String,
    /// The rule and the sorted ids of the events: an alert with the same key is sent once.
    pub key: String,
    /// One line saying what happened.
    pub summary: String,
    /// The spike test, for a spike rule.
    pub spike: Option<Spike>,
    /// The events behind it.
    pub events: Vec<StoredEvent>,
}

/// The dedup key of `rule` over these event ids (sorted).
pub fn alert_key(rule: &str, ids: &[&str]) -> String {
    let mut ids: Vec<&str> = ids.to_vec();
    ids.sort_unstable();
    ids.dedup();
    format!("{rule}:{}", ids.join(","))
}

/// The hits dated within the `days` days that end today (and tomorrow, for time zones ahead of
/// UTC).
pub fn in_window(hits: &[Hit], today: NaiveDate, days: u32) -> Vec<&Hit> {
    let first = today - Duration::days(i64::from(days.max(1)) - 1);
    let last = today + Duration::days(1);
    hits.iter()
        .filter(|h| h.date.is_some_and(|d| d >= first && d <= last))
        .collect()
}

/// `Count`: the hits in the window when there are at least `at_least`.
pub fn check_count(hits: &[Hit], today: NaiveDate, at_least: u64, days: u32) -> Option<Vec<&Hit>> {
    let w = in_window(hits, today, days);
    (w.len() as u64 >= at_least).then_some(w)
}

/// `Toll`: the hits in the window when their own tolls add up to at least `at_least`.
pub fn check_toll(hits: &[Hit], today: NaiveDate, at_least: u64, days: u32) -> Option<Vec<&Hit>> {
    let w = in_window(hits, today, days);
    let toll: u64 = w.iter().map(|h| h.killed).sum();
    (toll >= at_least).then_some(w)
}

/// `Spike`: this week's hits (weeks start on Monday) when their count is a spike against the
/// `t.baseline` weeks before ([`spike_test`]), with the test.
pub fn check_spike(hits: &[Hit], today: NaiveDate, t: SpikeTest) -> Option<(Spike, Vec<&Hit>)> {
    let weeks = period_starts(Interval::Week, today, t.baseline + 1);
    let mut counts: BTreeMap<NaiveDate, u64> = weeks.iter().map(|w| (*w, 0)).collect();
    let this_week = *weeks.last()?;
    let mut last = Vec::new();
    for h in hits {
        let Some(d) = h.date.filter(|d| *d <= today + Duration::days(1)) else {
            continue;
        };
        let w = period_start(Interval::Week, d);
        if let Some(c) = counts.get_mut(&w) {
            *c += 1;
        }
        if w >= this_week {
            last.push(h);
        }
    }
    let values: Vec<u64> = counts.values().copied().collect();
    let s = spike_test(&values, t);
    s.spike.then_some((s, last))
}

/// Whether an event is located within the circle.
fn within(e: &StoredEvent, n: &Near) -> bool {
    e.record
        .location
        .as_ref()
        .is_some_and(|l| marsad_geo::distance_km(n.lat, n.lon, l.lat, l.lon) <= n.km)
}

/// A Latin name without case and the marks of transliteration (`Nīnawá` → `ninawa`).
fn fold(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            'ā' | 'á' | 'â' | 'à' | 'Ā' => 'a',
            'ī' | 'í' | 'Ī' => 'i',
            'ū' | 'ú' | 'Ū' => 'u',
            'ē' | 'é' => 'e',
            'ō' | 'ó' => 'o',
            c => c.to_ascii_lowercase(),
        })
        .filter(|c| !matches!(c, '‘' | '’' | '\'' | 'ʿ' | 'ʾ'))
        .collect()
}

/// The `(country, code)` pairs a first-level area named `want` may be: its code as stored
/// (`15`, any country), or the codes of the gazetteer's first-level areas of that Arabic name in
/// any spelling it knows (`نينوى`, `محافظة نينوى`).
fn admin1_codes(want: &str) -> Vec<(Option<String>, String)> {
    let mut out = vec![(None, want.to_string())];
    if let Ok(g) = marsad_geo::Gazetteer::builtin() {
        for e in g.lookup(want) {
            if e.kind == marsad_geo::Kind::Admin1 && !e.admin1.is_empty() {
                out.push((Some(e.country.clone()), e.admin1.clone()));
            }
        }
    }
    out
}

/// Whether an event lies in one of the first-level areas of [`admin1_codes`], or in one whose
/// English name is `want` (without case or transliteration marks: `Ninawa` for `Nīnawá`).
fn admin1_matches(e: &StoredEvent, want: &str, codes: &[(Option<String>, String)]) -> bool {
    e.record.location.as_ref().is_some_and(|l| {
        l.admin1.as_deref().is_some_and(|code| {
            codes
                .iter()
                .any(|(c, a)| a == code && c.as_ref().is_none_or(|c| *c == l.country))
                || fold(&marsad_export::Names::builtin().admin1(&l.country, code)) == fold(want)
        })
    })
}

/// The events that pass `f`, dated from `from` (when given), stored or reported again since
/// `updated_since` (when given).
pub fn candidates(
    store: &SqliteStore,
    f: &Filter,
    from: Option<NaiveDate>,
    updated_since: Option<&str>,
) -> Result<Vec<StoredEvent>, StoreError> {
    let types: Vec<Option<&String>> = if f.types.is_empty() {
        vec![None]
    } else {
        f.types.iter().map(Some).collect()
    };
    let keywords: Vec<Option<&String>> = if f.keywords.is_empty() {
        vec![None]
    } else {
        f.keywords.iter().map(Some).collect()
    };
    // a box around the circle narrows the query; the distance decides
    let bbox = f.near.map(|n| {
        let dlat = n.km / 111.0;
        let dlon = n.km / (111.0 * n.lat.to_radians().cos().abs().max(0.01));
        (n.lon - dlon, n.lat - dlat, n.lon + dlon, n.lat + dlat)
    });
    let codes = f.admin1.as_deref().map(admin1_codes).unwrap_or_default();
    let mut out: BTreeMap<String, StoredEvent> = BTreeMap::new();
    for t in &types {
        for k in &keywords {
            let q = EventFilter {
                event_type: t.cloned(),
                mode: f.mode.clone(),
                country: f.country.clone(),
                // matched below: by code or by name
                admin1: None,
                actor: f.actor.clone(),
                query: k.cloned(),
                bbox,
                from: from.map(|d| d.to_string()),
                updated_since: updated_since.map(str::to_string),
                factual_only: f.counted,
                limit: 100_000,
                ..Default::default()
            };
            for e in store.events(&q)? {
                if f.near.as_ref().is_none_or(|n| within(&e, n))
                    && f.admin1
                        .as_deref()
                        .is_none_or(|a| admin1_matches(&e, a, &codes))
                {
                    out.insert(e.record.id.clone(), e);
                }
            }
        }
    }
    Ok(out.into_values().collect())
}

/// The alerts `rule` makes now (`today` in UTC; `since`: when the rule was first seen, for
/// `Every`). Alerts that fired before are left to the caller's deduplication.
pub fn evaluate(
    rule: &Rule,
    store: &SqliteStore,
    today: NaiveDate,
    since: &str,
) -> Result<Vec<Firing>, StoreError> {
    let firing = |events: Vec<StoredEvent>, summary: String, spike: Option<Spike>| {
        let ids: Vec<&str> = events.iter().map(|e| e.record.id.as_str()).collect();
        Firing {
            rule: rule.name.clone(),
            key: alert_key(&rule.name, &ids),
            summary,
            spike,
            events,
        }
    };
    let pick = |all: &[StoredEvent], hits: &[&Hit]| -> Vec<StoredEvent> {
        all.iter()
            .filter(|e| hits.iter().any(|h| h.id == e.record.id))
            .cloned()
            .collect()
    };
    Ok(match rule.condition {
        Condition::Every => candidates(store, &rule.filter, None, Some(since))?
            .into_iter()
            .map(|e| {
                let s = format!("{}: {}", rule.name, describe(&e));
                firing(vec![e], s, None)
            })
            .collect(),
        Condition::Count {
            at_least,
            within_days,
        } => {
            let from = today - Duration::days(i64::from(within_days) - 1);
            let all = candidates(store, &rule.filter, Some(from), None)?;
            let hits: Vec<Hit> = all.iter().map(Hit::of).collect();
            match check_count(&hits, today, at_least, within_days) {
                Some(w) => {
                    let s = format!(
                        "{}: {} events within {within_days} days (at least {at_least})",
                        rule.name,
                        w.len()
                    );
                    vec![firing(pick(&all, &w), s, None)]
                }
                None => Vec::new(),
            }
        }
        Condition::Toll {
            at_least,
            within_days,
        } => {
            let from = today - Duration::days(i64::from(within_days) - 1);
            let all = candidates(store, &rule.filter, Some(from), None)?;
            let hits: Vec<Hit> = all.iter().map(Hit::of).collect();
            match check_toll(&hits, today, at_least, within_days) {
                Some(w) => {
                    let toll: u64 = w.iter().map(|h| h.killed).sum();
                    let s = format!(
                        "{}: {toll} killed in {} events within {within_days} days (at least {at_least})",
                        rule.name,
                        w.len()
                    );
                    vec![firing(pick(&all, &w), s, None)]
                }
                None => Vec::new(),
            }
        }
        Condition::Spike(t) => {
            let from = period_starts(Interval::Week, today, t.baseline + 1)[0];
            let all = candidates(store, &rule.filter, Some(from), None)?;
            let hits: Vec<Hit> = all.iter().map(Hit::of).collect();
            match check_spike(&hits, today, t) {
                Some((sp, w)) => {
                    let s = format!(
                        "{}: {} events this week against {:.1} ± {:.1} a week over the {} weeks before (threshold {:.1})",
                        rule.name, sp.last, sp.mean, sp.sd, t.baseline, sp.threshold
                    );
                    vec![firing(pick(&all, &w), s, Some(sp))]
                }
                None => Vec::new(),
            }
        }
    })
}

/// One event in words: its category, place, date and toll.
pub fn describe(e: &StoredEvent) -> String {
    let r = &e.record;
    let mut s = r.event_type.name().to_string();
    if let Some(l) = &r.location {
        s.push_str(&format!(" in {}", l.name_en));
        match &l.admin1 {
            Some(a) => s.push_str(&format!(" ({}/{a})", l.country)),
            None => s.push_str(&format!(" ({})", l.country)),
        }
    }
    if let Some(d) = &r.date {
        s.push_str(&format!(", {}", d.value));
    }
    if let Some(k) = r.counts.own_killed() {
        s.push_str(&format!(", {} killed", k.value));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn hit(id: &str, date: &str, killed: u64) -> Hit {
        Hit {
            id: id.into(),
            date: Some(d(date)),
            killed,
        }
    }

    #[test]
    fn count_and_toll_over_a_window() {
        let today = d("2026-03-10");
        let hits = [
            hit("a", "2026-03-04", 2), // the first day of a 7-day window
            hit("b", "2026-03-09", 5),
            hit("c", "2026-03-10", 0),
            hit("old", "2026-03-03", 50),
            Hit {
                id: "undated".into(),
                date: None,
                killed: 9,
            },
        ];
        let w = check_count(&hits, today, 3, 7).unwrap();
        let ids: Vec<_> = w.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["a", "b", "c"]);
        assert!(check_count(&hits, today, 4, 7).is_none());
        assert!(check_toll(&hits, today, 7, 7).is_some());
        assert!(check_toll(&hits, today, 8, 7).is_none());
        // a window of one day is today (and tomorrow)
        assert_eq!(in_window(&hits, today, 1).len(), 1);
    }

    #[test]
    fn spike_this_week_against_the_weeks_before() {
        let today = d("2026-03-11"); // a Wednesday; the week starts 2026-03-09
        let t = SpikeTest {
            baseline: 4,
            k: 2.0,
            min_count: 3,
        };
        let mut hits = vec![
            hit("w1", "2026-02-10", 0),
            hit("w2", "2026-02-17", 0),
            hit("w3", "2026-02-24", 0),
            hit("w4", "2026-03-03", 0),
        ];
        assert!(check_spike(&hits, today, t).is_none());
        hits.push(hit("n1", "2026-03-09", 0));
        hits.push(hit("n2", "2026-03-10", 0));
        assert!(
            check_spike(&hits, today, t).is_none(),
            "2 is under min_count"
        );
        hits.push(hit("n3", "2026-03-11", 0));
        let (s, last) = check_spike(&hits, today, t).unwrap();
        assert_eq!((s.last, s.mean, s.sd), (3, 1.0, 0.0));
        let ids: Vec<_> = last.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["n1", "n2", "n3"]);
    }

    #[test]
    fn keys_and_distances() {
        assert_eq!(alert_key("r", &["b", "a", "b"]), "r:a,b");
        // Mosul to Baghdad: about 350 km
        let km = marsad_geo::distance_km(36.34, 43.13, 33.31, 44.36);
        assert!((340.0..370.0).contains(&km), "{km}");
        assert_eq!(marsad_geo::distance_km(1.0, 1.0, 1.0, 1.0), 0.0);
    }
}

#[cfg(test)]
mod admin1_tests {
    use super::*;

    /// Stored admin1 values are GeoNames codes: a rule names the province in words.
    #[test]
    fn a_province_is_found_by_its_arabic_name_or_code() {
        assert_eq!(fold("Nīnawá"), "ninawa");
        for name in ["نينوى", "15"] {
            let codes = admin1_codes(name);
            assert!(
                codes
                    .iter()
                    .any(|(c, a)| a == "15" && c.as_deref().is_none_or(|c| c == "IQ")),
                "{name}: {codes:?}"
            );
        }
    }
}
