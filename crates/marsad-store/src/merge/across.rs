//! One happening reported by several outlets over days: a stored event of the same type that a
//! new one may join although their places, dates and words differ — a town within the province
//! another report names, a date window that widens when a date is only the publication's, and
//! something that ties them (a shared participant, the same toll, the same kind of attack).
//! Distinct incidents stay apart: two towns, tolls that differ, named sides that differ, kinds of
//! attack that differ.

use super::{days_between, shift_date};
use marsad_record::{Category, DatePrecision, Event, Precision};
use marsad_text::words::content_words;
use std::collections::BTreeSet;

/// Days two dates the texts give may lie apart and still be one happening.
const TEXT_DAYS: i64 = 1;
/// Days a date that is only an article's publication may lie after the happening it reports.
const PUBLICATION_DAYS: i64 = 7;
/// Most stored events looked at for one new event.
pub(crate) const LOOK_AT: i64 = 200;

/// Where a backend looks for stored events that `ev` may report again from another outlet: the
/// same type, country and province, factual, dated within `lo..=hi`.
pub(crate) struct Window<'a> {
    /// PLOVER category.
    pub event_type: &'a str,
    /// ISO country code.
    pub country: &'a str,
    /// First-level admin area.
    pub admin1: &'a str,
    /// Earliest date, inclusive.
    pub lo: String,
    /// Latest date, inclusive.
    pub hi: String,
}

/// The window to look in for `ev`, or `None` when it cannot join another outlet's report (no
/// place or date, or a place as wide as a country or a region, or no province, or a kind of
/// happening that is not an incident many outlets tell).
pub(crate) fn window(ev: &Event) -> Option<Window<'_>> {
    if !told_by_many(ev.event_type) {
        return None;
    }
    let (loc, date) = (ev.location.as_ref()?, ev.date.as_ref()?);
    // a country or a region is too wide to tell one incident from another
    if matches!(loc.precision, Precision::Country | Precision::Region) {
        return None;
    }
    let admin1 = loc.admin1.as_deref()?;
    let day = date.value.to_string();
    Some(Window {
        event_type: ev.event_type.name(),
        country: &loc.country,
        admin1,
        lo: shift_date(&day, -PUBLICATION_DAYS).unwrap_or_default(),
        hi: shift_date(&day, PUBLICATION_DAYS).unwrap_or_default(),
    })
}

/// Whether happenings of a category are the incidents many outlets report over days (an attack,
/// a protest, an arrest, troops sent); meetings, visits and appeals are many and alike, and a
/// bench sample joined distinct ones.
fn told_by_many(c: Category) -> bool {
    matches!(
        c,
        Category::Assault | Category::Protest | Category::Coerce | Category::Mobilize
    )
}

/// A stored event in the window: its id in the backend, its mentions, its participant keys
/// (JSON list) and its record (JSON).
pub(crate) struct Candidate<K> {
    /// The backend's key of the stored event.
    pub key: K,
    /// `events.mentions`: how many reports it gathers.
    pub mentions: i64,
    /// `events.actor_keys`.
    pub actor_keys: String,
    /// `events.record`.
    pub record: Option<String>,
}

/// The stored happening a report joins, and the stored happenings that are the same story and
/// join it first (see [`story`]).
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Joined<K> {
    /// The stored event the report joins.
    pub into: K,
    /// Stored events to fold into `into` before (their mentions become its).
    pub absorb: Vec<K>,
}

impl<K> Joined<K> {
    fn only(into: K) -> Joined<K> {
        Joined {
            into,
            absorb: Vec::new(),
        }
    }
}

/// The stored event (of `candidates`, at most [`LOOK_AT`] from [`window`]) that `ev` reports
/// again from another outlet, if any; `text_of` reads a stored document's text.
pub(crate) fn pick<K: Copy, E>(
    ev: &Event,
    keys: &[String],
    text: &str,
    candidates: impl IntoIterator<Item = Candidate<K>>,
    text_of: impl FnMut(&str) -> Result<Option<String>, E>,
) -> Result<Option<Joined<K>>, E> {
    match tied_or_compatible(ev, keys, candidates) {
        Sorted::Tied(k) => Ok(Some(Joined::only(k))),
        Sorted::Compatible(c) => alike_or_dominant(ev, text, c, text_of),
    }
}

/// The first step of [`pick`]: a candidate tied to `ev`, else the compatible ones.
pub(crate) enum Sorted<K> {
    /// A stored report tied to the new one: it joins it.
    Tied(K),
    /// Nothing tied: the compatible reports, to be told apart by their words.
    Compatible(Compatible<K>),
}

/// Compatible stored reports ([`Sorted::Compatible`]) and how many candidates were seen.
pub(crate) struct Compatible<K> {
    /// The stored reports whose place, dates, tolls, sides and kinds allow one happening, with
    /// their mentions.
    pub reports: Vec<(K, i64, Event)>,
    /// Candidates looked at.
    pub seen: i64,
}

/// A report tied to a stored one joins it; else the compatible ones (see [`alike_or_dominant`]).
pub(crate) fn tied_or_compatible<K>(
    ev: &Event,
    keys: &[String],
    candidates: impl IntoIterator<Item = Candidate<K>>,
) -> Sorted<K> {
    let (mut seen, mut reports) = (0, Vec::new());
    for c in candidates {
        seen += 1;
        let Some(other) = c
            .record
            .and_then(|r| serde_json::from_str::<Event>(&r).ok())
        else {
            continue;
        };
        let other_keys: Vec<String> = serde_json::from_str(&c.actor_keys).unwrap_or_default();
        if !compatible_reports(ev, &other) {
            continue;
        }
        if tied(ev, keys, &other, &other_keys) {
            return Sorted::Tied(c.key);
        }
        reports.push((c.key, c.mentions, other));
    }
    Sorted::Compatible(Compatible { reports, seen })
}

/// A report with nothing to tie it joins the stored report told in the same words, else the
/// happening that dominates its province and days (the story every outlet tells, see
/// [`dominant`]), never one among several alike; `text_of` reads the text of a compatible
/// report's document.
pub(crate) fn alike_or_dominant<K: Copy, E>(
    ev: &Event,
    text: &str,
    c: Compatible<K>,
    mut text_of: impl FnMut(&str) -> Result<Option<String>, E>,
) -> Result<Option<Joined<K>>, E> {
    if c.reports.is_empty() {
        return Ok(None);
    }
    let words = evidence_words(ev, text);
    for (key, _, other) in &c.reports {
        let Some(other_text) = text_of(&other.doc_id)? else {
            continue;
        };
        if told_alike(&words, &evidence_words(other, &other_text), ev, other) {
            return Ok(Some(Joined::only(*key)));
        }
    }
    if c.seen >= LOOK_AT {
        return Ok(None);
    }
    let mentions: Vec<(K, i64)> = c
        .reports
        .iter()
        .map(|(key, mentions, _)| (*key, *mentions))
        .collect();
    Ok(dominant(&mentions)
        .map(Joined::only)
        .or_else(|| story(&c.reports)))
}

/// Several stored happenings that many outlets tell (each at least [`DOMINANT_MENTIONS`]),
/// compatible with the report and with each other by every rule (place, dates, tolls, sides,
/// kinds): one story that grew in two places because each began before the other was large.
/// The report joins the largest, and the others are folded into it.
fn story<K: Copy>(reports: &[(K, i64, Event)]) -> Option<Joined<K>> {
    let large: Vec<&(K, i64, Event)> = reports
        .iter()
        .filter(|(_, m, _)| *m >= DOMINANT_MENTIONS)
        .collect();
    if large.len() < 2 {
        return None;
    }
    let together = large.iter().enumerate().all(|(i, a)| {
        large[i + 1..]
            .iter()
            .all(|b| compatible_reports(&a.2, &b.2))
    });
    if !together {
        return None;
    }
    // the largest (the first of equals, in the backend's order)
    let top = large
        .iter()
        .enumerate()
        .max_by_key(|(i, (_, m, _))| (*m, std::cmp::Reverse(*i)))
        .map(|(i, _)| i)?;
    Some(Joined {
        into: large[top].0,
        absorb: large
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != top)
            .map(|(_, (k, _, _))| *k)
            .collect(),
    })
}

/// Mentions the happening a report joins untied must have, at least.
const DOMINANT_MENTIONS: i64 = 3;
/// How many times the mentions of any other compatible happening it must have.
const DOMINANT_RATIO: i64 = 3;

/// Of the compatible happenings `(key, mentions)`, the one an untied report joins: one that
/// many outlets tell (at least three mentions, three times any other's). A lone happening with
/// fewer is no story yet: in a bench sample, such joins were mostly distinct visits and meetings.
fn dominant<K: Copy>(compatible: &[(K, i64)]) -> Option<K> {
    let (top, most) = compatible
        .iter()
        .enumerate()
        .max_by_key(|(_, (_, m))| *m)
        .map(|(i, (_, m))| (i, *m))?;
    let next = compatible
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != top)
        .map(|(_, (_, m))| *m)
        .max()
        .unwrap_or(0);
    (most >= DOMINANT_MENTIONS && most >= DOMINANT_RATIO * next).then_some(compatible[top].0)
}

/// Content words two reports of one happening must share to be told alike: the distinctive
/// words of a mosque bombing's reports (مسجد، قوات، الطوارئ) beyond its place's own name.
const ALIKE: usize = 3;

/// The content words of an event's evidence sentence (see [`marsad_text::words`]).
pub(crate) fn evidence_words(ev: &Event, text: &str) -> BTreeSet<String> {
    let sentence = ev
        .evidence
        .sentence
        .get(text)
        .or_else(|| ev.evidence.span.get(text))
        .unwrap_or("");
    content_words(sentence)
}

/// Whether two reports' evidence shares enough distinctive words, the words of their places'
/// names aside (those agree already).
fn told_alike(a: &BTreeSet<String>, b: &BTreeSet<String>, x: &Event, y: &Event) -> bool {
    let place_words: BTreeSet<String> = [x, y]
        .iter()
        .filter_map(|e| e.location.as_ref())
        .flat_map(|l| {
            content_words(&l.text)
                .into_iter()
                .chain(content_words(&l.name_ar))
        })
        .collect();
    a.intersection(b)
        .filter(|w| !place_words.contains(*w))
        .count()
        >= ALIKE
}

/// Whether two reports, of the same type in one province, tell one happening.
#[cfg(test)]
fn same_happening(a: &Event, a_keys: &[String], b: &Event, b_keys: &[String]) -> bool {
    compatible_reports(a, b) && tied(a, a_keys, b, b_keys)
}

/// Place, dates, tolls, named sides and kinds of act that allow one happening.
fn compatible_reports(a: &Event, b: &Event) -> bool {
    places_agree(a, b)
        && dates_agree(a, b)
        && !tolls_differ(a, b)
        && !named_sides_differ(a, b)
        && !kinds_differ(a, b)
}

/// One place, or a town and the province that holds it; two towns are two incidents.
fn places_agree(a: &Event, b: &Event) -> bool {
    let (Some(x), Some(y)) = (a.location.as_ref(), b.location.as_ref()) else {
        return false;
    };
    if x.key() == y.key() {
        return true;
    }
    let province = |p: Precision| p == Precision::Admin1;
    x.country == y.country
        && x.admin1.is_some()
        && x.admin1 == y.admin1
        && (province(x.precision) || province(y.precision))
}

/// Dates the texts give within a day of each other; a date that is only a publication's lies
/// on or up to a week after the happening's.
fn dates_agree(a: &Event, b: &Event) -> bool {
    let (Some(x), Some(y)) = (a.date.as_ref(), b.date.as_ref()) else {
        return false;
    };
    let told = |d: &marsad_record::EventDate| d.span.is_some() && d.precision == DatePrecision::Day;
    let (xs, ys) = (x.value.to_string(), y.value.to_string());
    let Some(apart) = days_between(&xs, &ys) else {
        return false;
    };
    match (told(x), told(y)) {
        (true, true) => apart <= TEXT_DAYS,
        // the publication's date is not before the happening's (a day's slack for time zones)
        (true, false) => y.value >= x.value - chrono::Days::new(1) && apart <= PUBLICATION_DAYS,
        (false, true) => x.value >= y.value - chrono::Days::new(1) && apart <= PUBLICATION_DAYS,
        (false, false) => apart <= TEXT_DAYS,
    }
}

/// Tolls both reports give that differ (a total over many incidents says nothing of one).
fn tolls_differ(a: &Event, b: &Event) -> bool {
    if a.counts.aggregate || b.counts.aggregate {
        return false;
    }
    matches!((a.counts.killed, b.counts.killed), (Some(x), Some(y)) if x.value != y.value)
}

/// Named sides on both that share none.
fn named_sides_differ(a: &Event, b: &Event) -> bool {
    let named = |e: &Event| -> Vec<String> {
        e.actors
            .iter()
            .filter_map(|p| p.entity_id.clone())
            .collect()
    };
    let (x, y) = (named(a), named(b));
    !x.is_empty() && !y.is_empty() && !x.iter().any(|k| y.contains(k))
}

/// Modes on both that share no family (an air strike is not a bombing in a mosque; a suicide
/// bombing is one).
fn kinds_differ(a: &Event, b: &Event) -> bool {
    marsad_record::modes_apart(&a.mode, &b.mode)
}

/// Something that ties two reports beyond type, place and time: a shared participant, the same
/// toll, or the same kind of act.
fn tied(a: &Event, a_keys: &[String], b: &Event, b_keys: &[String]) -> bool {
    let shared = a_keys.iter().any(|k| b_keys.contains(k));
    let toll = matches!((a.counts.killed, b.counts.killed), (Some(x), Some(y)) if x.value > 0 && x.value == y.value);
    let kind = marsad_record::modes_share(&a.mode, &b.mode);
    shared || toll || kind
}

#[cfg(test)]
mod tests {
    use super::*;
    use marsad_record::testing::event;
    use serde_json::{json, Value};

    fn abha() -> Value {
        json!({"geonameid": 110690, "name_en": "Abha", "country": "SA", "admin1": "11",
               "precision": "exact", "lat": 18.2, "lon": 42.5})
    }

    fn asir() -> Value {
        json!({"geonameid": 108179, "name_en": "Asir", "country": "SA", "admin1": "11",
               "precision": "admin1", "lat": 18.5, "lon": 42.8})
    }

    fn report(
        location: Value,
        date: &str,
        told: bool,
        mode: &[&str],
        killed: Option<u64>,
    ) -> Event {
        let mut v = json!({"id": "x", "event_type": "ASSAULT", "mode": mode, "location": location,
                           "date": {"value": date, "precision": if told {"day"} else {"week"}}});
        if told {
            v["date"]["span"] = json!({"start": 0, "end": 4});
        }
        if let Some(k) = killed {
            v["counts"] = json!({"killed": {"value": k, "approximate": false, "bound": "exact"}});
        }
        event(v)
    }

    /// A story set written for these rules: the same mosque bombing told by five outlets over
    /// days, and incidents near it that are others.
    #[test]
    fn one_bombing_across_outlets_and_the_incidents_beside_it() {
        let first = report(abha(), "2015-08-06", true, &["suicide-attack"], Some(15));
        // the province for the town, the next day's paper, no toll yet
        let province = report(asir(), "2015-08-07", false, &["suicide-attack"], None);
        // a later paper with the toll
        let later = report(abha(), "2015-08-10", false, &["suicide-attack"], Some(15));
        // a paper that says "the explosion", not the suicide bomber
        let blast = report(asir(), "2015-08-06", true, &["explosives"], None);
        for other in [&province, &later, &blast] {
            assert!(same_happening(&first, &[], other, &[]), "{other:#?}");
        }
        // another town of the province: another incident
        let mut town = report(abha(), "2015-08-06", true, &["suicide-attack"], Some(15));
        town.location.as_mut().unwrap().geonameid = Some(1);
        town.location.as_mut().unwrap().name_en = "Khamis Mushait".into();
        assert!(!same_happening(&first, &[], &town, &[]));
        // a toll that differs, a kind of attack that differs, days apart: others
        let toll = report(abha(), "2015-08-06", true, &["suicide-attack"], Some(3));
        let kind = report(abha(), "2015-08-06", true, &["aerial"], None);
        let days = report(abha(), "2015-08-09", true, &["suicide-attack"], None);
        for other in [&toll, &kind, &days] {
            assert!(!same_happening(&first, &[], other, &[]), "{other:#?}");
        }
        // a paper dated before the happening cannot report it
        let before = report(asir(), "2015-08-03", false, &["suicide-attack"], None);
        assert!(!same_happening(&first, &[], &before, &[]));
        // nothing to tie them: no shared participant, toll or kind
        let bare = report(asir(), "2015-08-07", false, &[], None);
        assert!(!same_happening(&first, &[], &bare, &[]));
        assert!(same_happening(
            &first,
            &["داعش".into()],
            &bare,
            &["داعش".into()]
        ));
    }

    #[test]
    fn two_large_happenings_of_one_story_are_folded_into_the_larger() {
        // the bombing told by 56 reports and, from a report dated by its sermon, by 41 more
        let a = report(asir(), "2015-08-06", true, &[], None);
        let b = report(asir(), "2015-08-06", true, &["explosives"], None);
        let small = report(abha(), "2015-08-07", true, &[], None);
        let joined = story(&[(1, 56, a.clone()), (2, 41, b.clone()), (3, 1, small)]);
        assert_eq!(
            joined,
            Some(Joined {
                into: 1,
                absorb: vec![2]
            })
        );
        // one large happening is the dominant rule's; two that cannot be one stay apart
        assert_eq!(story(&[(1, 56, a.clone())]), None);
        let toll = report(asir(), "2015-08-06", true, &[], Some(3));
        let other_toll = report(asir(), "2015-08-06", true, &[], Some(9));
        assert_eq!(story(&[(1, 56, toll), (2, 41, other_toll)]), None);
        let days = report(asir(), "2015-08-10", true, &[], None);
        assert_eq!(story(&[(1, 56, a), (2, 41, days)]), None);
    }

    #[test]
    fn an_untied_report_joins_the_only_or_the_dominant_happening() {
        assert_eq!(dominant::<i64>(&[]), None);
        assert_eq!(dominant(&[(7, 1)]), None);
        assert_eq!(dominant(&[(7, 3)]), Some(7));
        // the story every outlet tells in the province and days
        assert_eq!(dominant(&[(1, 86), (2, 2), (3, 1)]), Some(1));
        // several alike: none
        assert_eq!(dominant(&[(1, 4), (2, 2)]), None);
        assert_eq!(dominant(&[(1, 2), (2, 1), (3, 1)]), None);
    }

    #[test]
    fn reports_told_in_the_same_words_are_alike_and_function_words_do_not_count() {
        let a = content_words(
            "قال مصدر أمني إن انتحاريا فجر نفسه داخل مسجد لقوات الطوارئ في منطقة عسير أمس",
        );
        let b = content_words(
            "أدان الوزير تفجير المسجد التابع لقوات الطوارئ بمدينة أبها الذي وقع ظهر الخميس",
        );
        assert!(a.contains("مسجد") && b.contains("مسجد"), "{a:?} {b:?}");
        let x = report(asir(), "2015-08-06", true, &[], None);
        let y = report(abha(), "2015-08-06", true, &[], None);
        assert!(told_alike(&a, &b, &x, &y));
        // the same province and the same function words, but another happening
        let c = content_words("قال مصدر إن مسلحين أطلقوا النار على دورية في منطقة عسير أمس الذي");
        assert!(!told_alike(&a, &c, &x, &y));
        assert!(!content_words("الذي التي منطقة خلال").iter().any(|_| true));
    }
}
