//! Article-level steps, after every sentence has given its candidates: background recalled as
//! such (a dated happening weeks before the article, or after it), and coreference — the mentions
//! of one happening across the article (headline, lead, body, restatements) become one record
//! that keeps the others as `mentions`, takes its evidence from the most detailed one and its
//! arguments from all of them.

use super::{Found, PlaceFrom};
use crate::{
    Bound, DateBasis, DatePrecision, Event, EventDate, EventMention, Location, Modality,
    Participant,
};
use chrono::{Datelike, NaiveDate};
use marsad_geo::Precision;

/// A happening dated this many days or more before the article is background.
const BACKGROUND_DAYS: i64 = 28;

/// A running period that began this many days or more before the article (منذ عام 2003) is
/// background; a shorter one is the current crisis.
const SINCE_YEARS_DAYS: i64 = 365;

/// A happening told more than once is kept when one telling reaches this share of the
/// detector's threshold (chosen on the article-level dev set: 0.3–0.5 give the same figures).
const RESTATED_MARGIN: f32 = 0.5;

/// The ties a narrated mention needs to join the only happening of its kind told so far (a
/// second one needs two: see [`ties`]).
const ALONE_TIES: u8 = 1;

/// The records of an article: background marked, mentions of one happening joined.
pub(super) fn happenings(mut found: Vec<Found>, published: Option<NaiveDate>) -> Vec<Event> {
    if let Some(p) = published {
        for f in &mut found {
            background(f, p);
        }
    }
    let common = common_entities(&found);
    let mut out: Vec<Happening> = Vec::new();
    for f in found {
        let alike = out
            .iter()
            .filter(|h| {
                let e = &h.members[0].event;
                e.event_type == f.event.event_type
                    && e.modality.counts() == f.event.modality.counts()
            })
            .count();
        match out.iter().rposition(|h| h.takes(&f, &common, alike == 1)) {
            Some(k) => out[k].members.push(f),
            None => out.push(Happening { members: vec![f] }),
        }
    }
    out.into_iter()
        .filter(Happening::reported)
        .map(Happening::into_event)
        .map(|mut e| {
            if let Some(p) = published {
                no_date_after(&mut e, p);
            }
            e
        })
        .collect()
}

/// A counted happening is never dated after its article: a date one of its mentions told for
/// later (a mention of what will follow, or a yearless day read in the wrong year) gives way to
/// the publication's week.
fn no_date_after(e: &mut Event, published: NaiveDate) {
    if e.modality.counts() && e.date.as_ref().is_some_and(|d| d.value > published) {
        e.date = Some(EventDate {
            value: published,
            precision: DatePrecision::Week,
            basis: DateBasis::Publication,
            text: None,
            span: None,
        });
    }
}

/// Marks a counted event whose date the text gives as historical when it lies weeks before
/// the article, and as future when it lies after it. A date introduced by منذ ("since") starts a
/// running period: a recent one is the current crisis and counts (منذ آذار in a May report), one
/// that began years before is a long war or a multi-year total (منذ عام 2003) and does not.
fn background(f: &mut Found, published: NaiveDate) {
    let e = &mut f.event;
    if !e.modality.counts() {
        return;
    }
    let Some(d) = e.date.as_ref().filter(|d| d.span.is_some()) else {
        return;
    };
    let (first, last) = period(d.value, d.precision);
    if f.since {
        if (published - first).num_days() > SINCE_YEARS_DAYS {
            e.modality = Modality::Historical;
        }
        return;
    }
    if (published - last).num_days() >= BACKGROUND_DAYS {
        e.modality = Modality::Historical;
    } else if first > published {
        // told for a day after the article (غدا، الأسبوع المقبل): not yet happened
        e.modality = Modality::Future;
    } else if last > published {
        // a period that holds the article's day (هذا العام، الشهر الجاري): the event lies in it
        // no later than the article, so that day stands for it rather than the period's first
        if let Some(d) = e.date.as_mut() {
            d.value = published;
        }
    }
}

/// The first and last day of the period a date of some precision stands for.
fn period(v: NaiveDate, p: DatePrecision) -> (NaiveDate, NaiveDate) {
    let day = |y: i32, m: u32, d: u32| NaiveDate::from_ymd_opt(y, m, d).unwrap_or(v);
    match p {
        DatePrecision::Day => (v, v),
        DatePrecision::Week => (v, v + chrono::Days::new(6)),
        DatePrecision::Month => {
            let first = day(v.year(), v.month(), 1);
            let next = if v.month() == 12 {
                day(v.year() + 1, 1, 1)
            } else {
                day(v.year(), v.month() + 1, 1)
            };
            (first, next.pred_opt().unwrap_or(next))
        }
        DatePrecision::Year => (day(v.year(), 1, 1), day(v.year(), 12, 31)),
    }
}

/// The mentions of one happening found so far, in text order.
struct Happening {
    members: Vec<Found>,
}

impl Happening {
    /// Whether the happening is kept: one of its mentions reports it (see `Found::reports`), or
    /// it is told more than once and one of the tellings comes near the detector's threshold —
    /// a restated happening is a happening (a single sentence never qualifies, so sentence-level
    /// detection is unchanged).
    fn reported(&self) -> bool {
        self.members.iter().any(|m| m.reports)
            || (self.members.len() >= 2 && self.members.iter().any(|m| m.margin >= RESTATED_MARGIN))
    }

    /// Whether `f` tells this happening again: the same category and kind of modality, nothing
    /// that sets them apart (two towns, two days, two named sides, other kinds of act, "another
    /// attack"), and — for a mention that narrates (a verb with who did it: how a new happening
    /// is told) — enough that ties it to one of the mentions so far (see [`ties`]): two, or one
    /// when the happening is the only one of its kind so far (`alone`) and the mention brings
    /// no news (see [`Happening::news`]). A toll, a
    /// verbal noun or a passive joins the latest compatible happening.
    fn takes(&self, f: &Found, common: &[String], alone: bool) -> bool {
        let e = &f.event;
        let first = &self.members[0].event;
        if first.event_type != e.event_type {
            return false;
        }
        if first.modality.counts() != e.modality.counts() && !self.retold(f, common) {
            return false;
        }
        if self.members.iter().any(|m| apart(m, f)) {
            return false;
        }
        if f.other {
            return false;
        }
        if !f.narrates {
            return !self.placed_and_dated(f)
                || self.members.iter().any(|m| ties(m, f, common) >= 1);
        }
        let need = if alone && !self.news(f) {
            ALONE_TIES
        } else {
            2
        };
        self.members.iter().any(|m| ties(m, f, common) >= need)
    }

    /// Whether a mention told as news retells this happening that the article recalls as
    /// background from the date it gives (اعتقلت … في الثالث من أبريل 2016 … لدى اعتقالها؛
    /// وألقت السلطات القبض على المواطنة): it gives no day of its own, it is the same kind of
    /// act, and something ties it to one of the happening's mentions.
    fn retold(&self, f: &Found, common: &[String]) -> bool {
        let dated = |x: &Found| x.event.date.as_ref().is_some_and(|d| d.span.is_some());
        self.members
            .iter()
            .all(|m| m.event.modality == Modality::Historical)
            && self.members.iter().any(dated)
            && f.event.modality.counts()
            && !dated(f)
            && self.members.iter().any(|m| {
                marsad_record::modes_share(&m.event.mode, &f.event.mode) && ties(m, f, common) >= 1
            })
    }

    /// Whether a mention names its own place and the day from the text where none of the
    /// happening's mentions names either: a new incident, unless something ties it.
    fn placed_and_dated(&self, f: &Found) -> bool {
        let dated = |x: &Found| x.event.date.as_ref().is_some_and(|d| d.span.is_some());
        let placed = |x: &Found| own_place(x).is_some();
        placed(f) && dated(f) && !self.members.iter().any(|m| placed(m) || dated(m))
    }

    /// Whether a mention brings what none of the happening's mentions has — a date the text
    /// gives, or a count of a kind — as a new incident of a trend does ("وكان 15 قياديا قد
    /// هربوا قبل أسبوع" after the defections).
    fn news(&self, f: &Found) -> bool {
        let dated = |x: &Found| x.event.date.as_ref().is_some_and(|d| d.span.is_some());
        let kinds = |x: &Found| {
            let c = &x.event.counts;
            [
                c.killed.is_some(),
                c.injured.is_some(),
                c.arrested.is_some(),
                c.abducted.is_some(),
                c.participants.is_some(),
            ]
        };
        let theirs = self.members.iter().fold([false; 5], |mut acc, m| {
            for (a, k) in acc.iter_mut().zip(kinds(m)) {
                *a |= k;
            }
            acc
        });
        (dated(f) && !self.members.iter().any(dated))
            || kinds(f)
                .iter()
                .zip(theirs)
                .any(|(&mine, theirs)| mine && !theirs)
    }

    /// One record: the most detailed mention's, with the arguments the others add and the
    /// others as its mentions.
    fn into_event(mut self) -> Event {
        let best = (0..self.members.len())
            .max_by_key(|&k| (detail(&self.members[k]), std::cmp::Reverse(k)))
            .unwrap_or(0);
        let head = self.members.remove(best);
        // the lead (the first mention in the text) tells the news as the article tells it;
        // later sentences attribute its details
        let lead = self
            .members
            .iter()
            .map(|m| &m.event)
            .chain(std::iter::once(&head.event))
            .min_by_key(|e| e.trigger.span.start)
            .map(|e| e.modality);
        let mut e = head.event;
        if let Some(m) = lead {
            e.modality = m;
        }
        let mut place_from = head.place_from;
        for m in self.members {
            let o = m.event;
            e.mentions.push(EventMention {
                trigger: o.trigger.clone(),
                evidence: o.evidence,
            });
            e.mentions.extend(o.mentions.iter().cloned());
            if let Some(l) = o
                .location
                .as_ref()
                .filter(|_| m.place_from != PlaceFrom::Article)
            {
                if place_from == PlaceFrom::Article
                    || e.location
                        .as_ref()
                        .is_none_or(|x| rank(l.precision) > rank(x.precision) && contains(x, l))
                {
                    e.location = Some(l.clone());
                    place_from = m.place_from;
                }
            }
            e.destination = e.destination.take().or(o.destination);
            if e.date.as_ref().is_none_or(|d| d.span.is_none())
                && o.date.as_ref().is_some_and(|d| d.span.is_some())
            {
                e.date = o.date;
            }
            // a total over many incidents gives way to the happening's own counts
            super::merge::merge_counts(&mut e.counts, &o.counts);
            add_participants(&mut e.actors, &e.recipients, o.actors);
            add_participants(&mut e.recipients, &e.actors, o.recipients);
            e.attribution = e.attribution.take().or(o.attribution);
            e.money = e.money.take().or(o.money);
            for x in o.mode {
                if !e.mode.contains(&x) {
                    e.mode.push(x);
                }
            }
            e.confidence = e.confidence.max(o.confidence);
        }
        e.mentions.sort_by_key(|m| m.evidence.span.start);
        e
    }
}

/// How much a mention tells: its toll, its own place, who, when and according to whom.
fn detail(f: &Found) -> usize {
    let e = &f.event;
    let c = &e.counts;
    2 * [c.killed, c.injured, c.arrested, c.abducted, c.participants]
        .iter()
        .filter(|x| x.is_some())
        .count()
        + 2 * usize::from(e.location.is_some() && f.place_from != PlaceFrom::Article)
        + usize::from(!e.actors.is_empty())
        + usize::from(!e.recipients.is_empty())
        + usize::from(e.date.as_ref().is_some_and(|d| d.span.is_some()))
        + usize::from(e.attribution.is_some())
}

fn add_participants(to: &mut Vec<Participant>, other_side: &[Participant], from: Vec<Participant>) {
    for p in from {
        let known = |q: &Participant| same_participant(q, &p);
        if !to.iter().any(known) && !other_side.iter().any(known) {
            to.push(p);
        }
    }
}

fn same_participant(a: &Participant, b: &Participant) -> bool {
    match (&a.entity_id, &b.entity_id) {
        (Some(x), Some(y)) => x == y,
        _ => a.text == b.text,
    }
}

/// Narrows each happening placed in a province to the one town the article names inside it:
/// an article about a bombing "بمنطقة عسير" that names no other town of the province than
/// أبها tells of a bombing in أبها. Two towns inside it leave the area as it is.
pub(super) fn narrow_to_town(events: &mut [Event], places: &[marsad_geo::Place]) {
    for e in events {
        let Some(wide) = e.location.as_ref() else {
            continue;
        };
        // a country is too wide: a Pamplona protest in an article that names Seville too
        if wide.precision != Precision::Admin1 {
            continue;
        }
        let mut towns = places.iter().filter(|p| {
            p.feature == "city" && rank(p.precision) >= rank(Precision::Near) && {
                let l = super::clause::location_of(p);
                contains(wide, &l)
            }
        });
        let Some(first) = towns.next() else {
            continue;
        };
        if towns.all(|p| p.name_en == first.name_en) {
            e.location = Some(super::clause::location_of(first));
        }
    }
}

/// Precision as a rank: the more specific, the higher.
fn rank(p: Precision) -> u8 {
    match p {
        Precision::Exact => 4,
        Precision::Near => 3,
        Precision::Admin1 => 2,
        Precision::Country => 1,
        Precision::Region => 0,
    }
}

/// Whether place `outer` contains place `inner` (or is it): the same entry, a larger area of
/// the same country (a country holds its towns; a province the towns of its admin1), or a town
/// and a quarter of it a few kilometres from its centre.
fn contains(outer: &Location, inner: &Location) -> bool {
    if outer.geonameid.is_some() && outer.geonameid == inner.geonameid {
        return true;
    }
    if outer.name_en == inner.name_en && outer.country == inner.country {
        return true;
    }
    match outer.precision {
        Precision::Region => true,
        Precision::Country => outer.country == inner.country,
        Precision::Admin1 => {
            outer.country == inner.country
                && rank(inner.precision) > rank(Precision::Admin1)
                && outer.admin1.is_some()
                && outer.admin1 == inner.admin1
        }
        // a town holds its quarters (جوبر in دمشق): places a few kilometres apart
        Precision::Exact | Precision::Near => {
            let placed = |l: &Location| (l.lat, l.lon) != (0.0, 0.0);
            outer.country == inner.country
                && rank(inner.precision) >= rank(Precision::Near)
                && placed(outer)
                && placed(inner)
                && marsad_geo::distance_km(outer.lat, outer.lon, inner.lat, inner.lon)
                    < SAME_TOWN_KM
        }
    }
}

/// Places closer than this are one town and its quarters.
const SAME_TOWN_KM: f64 = 5.0;

/// The place of a mention when its own sentence names one.
fn own_place(f: &Found) -> Option<&Location> {
    f.event
        .location
        .as_ref()
        .filter(|_| f.place_from != PlaceFrom::Article)
}

/// Whether two mentions cannot be one happening: a running period and an incident, places that
/// do not hold each other, or other
/// places with other exact tolls (two soldiers killed in one province, one in another), dates
/// the text gives that are days apart, named sides that differ, or a side that acts in one and
/// is acted upon in the other.
fn apart(a: &Found, b: &Found) -> bool {
    // fighting that goes on since a day (منذ أسبوع) is not an incident within it
    if a.since != b.since {
        return true;
    }
    if let (Some(x), Some(y)) = (own_place(a), own_place(b)) {
        if !contains(x, y) && !contains(y, x) {
            return true;
        }
        let exact = |f: &Found| {
            let c = &f.event.counts;
            c.killed
                .filter(|k| !k.approximate && k.bound == Bound::Exact && !c.aggregate)
                .map(|k| k.value)
        };
        if x.key() != y.key() && matches!((exact(a), exact(b)), (Some(p), Some(q)) if p != q) {
            return true;
        }
    }
    let dated = |f: &Found| {
        f.event
            .date
            .as_ref()
            .filter(|d| d.span.is_some() && d.precision == DatePrecision::Day)
            .map(|d| d.value)
    };
    if let (Some(x), Some(y)) = (dated(a), dated(b)) {
        if (x - y).num_days().abs() > 1 {
            return true;
        }
    }
    let named = |f: &Found| -> Vec<String> {
        f.event
            .actors
            .iter()
            .filter_map(|p| p.entity_id.clone())
            .collect()
    };
    let (na, nb) = (named(a), named(b));
    if !na.is_empty() && !nb.is_empty() && !na.iter().any(|x| nb.contains(x)) {
        return true;
    }
    // who strikes in one is struck in the other: an attack and the counter-attack
    let struck = |f: &Found, acts: &[String]| -> Vec<String> {
        f.event
            .recipients
            .iter()
            .filter_map(|p| p.entity_id.clone())
            .filter(|id| !acts.contains(id))
            .collect()
    };
    if na.iter().any(|x| struck(b, &nb).contains(x))
        || nb.iter().any(|x| struck(a, &na).contains(x))
    {
        return true;
    }
    marsad_record::modes_apart(&a.event.mode, &b.event.mode)
}

/// The entities that take part in so many of an article's mentions (a third or more, and at
/// least three) that sharing one says nothing of being one happening.
fn common_entities(found: &[Found]) -> Vec<String> {
    let mut n: std::collections::BTreeMap<&str, usize> = Default::default();
    for f in found {
        let mut ids: Vec<&str> = f
            .event
            .participants()
            .filter_map(|p| p.entity_id.as_deref())
            .collect();
        ids.sort_unstable();
        ids.dedup();
        for id in ids {
            *n.entry(id).or_default() += 1;
        }
    }
    n.into_iter()
        .filter(|&(_, k)| k >= 3 && 3 * k >= found.len())
        .map(|(id, _)| id.to_string())
        .collect()
}

/// How strongly something ties two mentions as one happening: a definite noun referring back
/// (الهجوم، هذا الهجوم) or the same toll ties by itself (2); the same place, the same trigger
/// word or a shared named participant (one not in most of the article) each tie a little (1),
/// and two of them are needed.
pub(super) fn ties(a: &Found, b: &Found, common: &[String]) -> u8 {
    let mut t = 0;
    if b.definite {
        t += 2;
    }
    let toll = |f: &Found| f.event.counts.killed.map(|c| c.value).filter(|&v| v >= 2);
    if toll(a).is_some() && toll(a) == toll(b) {
        t += 2;
    }
    if let (Some(x), Some(y)) = (own_place(a), own_place(b)) {
        if contains(x, y) || contains(y, x) {
            t += 1;
        }
    }
    if !a.stem.is_empty() && a.stem == b.stem {
        t += 1;
    }
    let shared = a.event.actors.iter().chain(&a.event.recipients).any(|p| {
        p.entity_id.as_ref().is_some_and(|id| !common.contains(id))
            && b.event
                .actors
                .iter()
                .chain(&b.event.recipients)
                .any(|q| q.entity_id == p.entity_id)
    });
    t + u8::from(shared)
}

#[cfg(test)]
mod tests {
    use super::*;
    use marsad_record::testing::event;
    use serde_json::{json, Value};

    /// A mention: its record (partial JSON), where its place came from and what its words say.
    fn mention(v: Value, from: PlaceFrom, stem: &str, definite: bool, narrates: bool) -> Found {
        Found {
            event: event(v),
            place_from: from,
            stem: stem.into(),
            definite,
            other: false,
            named_victim: false,
            described: false,
            since: false,
            reports: true,
            narrates,
            margin: 1.0,
            stated: false,
        }
    }

    fn town(id: u64, name: &str, admin1: &str) -> Value {
        json!({"geonameid": id, "name_en": name, "country": "SY", "admin1": admin1, "precision": "exact"})
    }

    fn at(start: usize) -> Value {
        json!({"text": "x", "span": {"start": start, "end": start + 4}})
    }

    /// A place mention of the article: `feature` city (exact) or admin1.
    fn mentioned(name: &str, admin1: &str, city: bool) -> marsad_geo::Place {
        let (precision, feature) = if city {
            (Precision::Exact, "city")
        } else {
            (Precision::Admin1, "admin1")
        };
        marsad_geo::Place {
            start: 0,
            end: 4,
            text: name.into(),
            geonameid: None,
            name_en: name.into(),
            name_ar: name.into(),
            country: "SA".into(),
            admin1: Some(admin1.into()),
            lat: 18.2,
            lon: 42.5,
            precision,
            feature: feature.into(),
        }
    }

    #[test]
    fn a_province_narrows_to_the_one_town_the_article_names_in_it() {
        // "تفجير بمسجد قوة الطوارئ بمنطقة عسير" … "وصلى المصلون في أبها": the bombing was in
        // the one town of the province the article names; with a second town it stays the
        // province, and a town of another province does not count
        let bombing = || {
            event(json!({"id": "a", "event_type": "ASSAULT", "trigger": at(0),
                   "location": {"name_en": "Asir", "country": "SA", "admin1": "11",
                                "precision": "admin1"}}))
        };
        let asir = mentioned("Asir", "11", false);
        let abha = mentioned("Abha", "11", true);
        let mut ev = vec![bombing()];
        let riyadh = mentioned("Riyadh", "10", true);
        narrow_to_town(&mut ev, &[asir.clone(), abha.clone(), riyadh]);
        assert_eq!(ev[0].location.as_ref().unwrap().name_en, "Abha");
        let mut ev = vec![bombing()];
        let khamis = mentioned("Khamis Mushait", "11", true);
        narrow_to_town(&mut ev, &[asir, abha, khamis]);
        assert_eq!(ev[0].location.as_ref().unwrap().name_en, "Asir");
    }

    #[test]
    fn a_restatement_joins_the_happening_with_its_words_as_a_mention() {
        // "قتل خمسة أشخاص في غارة على سراقب أمس." … "وأوضح المصدر أن الغارة استهدفت سوقا."
        let first = mention(
            json!({"id": "a", "event_type": "ASSAULT", "mode": ["aerial"], "trigger": at(0),
                   "location": town(1, "Saraqib", "Idlib"),
                   "counts": {"killed": {"value": 5, "approximate": false, "bound": "exact"}}}),
            PlaceFrom::Clause,
            "قتل",
            false,
            true,
        );
        let again = mention(
            json!({"id": "b", "event_type": "ASSAULT", "mode": ["aerial"], "trigger": at(60)}),
            PlaceFrom::Article,
            "غاره",
            true,
            true,
        );
        let out = happenings(vec![first, again], None);
        assert_eq!(out.len(), 1, "{out:#?}");
        assert_eq!(
            out[0].id, "a",
            "the record is the mention with the toll and the place"
        );
        assert_eq!(out[0].mentions.len(), 1);
        assert_eq!(out[0].mentions[0].trigger.span.start, 60);
    }

    #[test]
    fn a_retelling_of_a_dated_background_happening_is_background() {
        // "اعتقلت الصحفية في مطار طهران في الثالث من أبريل 2016" … "وأخذت منها ابنتها لدى
        // اعتقالها": the arrest is told again, not a new one; one told with a day of its own
        // ("واعتقلت الشرطة أمس صحفيا آخر في طهران") is news
        let arrest = |id: &str, at_: usize, modality: &str, dated: bool, definite: bool| {
            let mut v = json!({"id": id, "event_type": "COERCE", "mode": ["arrest"],
                   "trigger": at(at_), "modality": modality,
                   "location": town(1, "Tehran", "26")});
            if dated {
                v["date"] = json!({"value": "2016-04-03", "precision": "day", "basis": "text",
                                   "text": "x", "span": {"start": at_ + 10, "end": at_ + 14}});
            }
            mention(v, PlaceFrom::Clause, "اعتقال", definite, !definite)
        };
        let recalled = arrest("a", 0, "historical", true, false);
        let retold = arrest("b", 200, "asserted", false, true);
        let out = happenings(vec![recalled.clone(), retold], None);
        assert_eq!(out.len(), 1, "{out:#?}");
        assert_eq!(out[0].modality, Modality::Historical);
        let mut news = arrest("c", 200, "asserted", false, false);
        news.event.date = Some(EventDate {
            value: NaiveDate::from_ymd_opt(2018, 8, 3).unwrap(),
            precision: DatePrecision::Day,
            basis: DateBasis::Text,
            text: Some("أمس".into()),
            span: Some(marsad_text::Span::new(210, 216)),
        });
        let out = happenings(vec![recalled, news], None);
        assert_eq!(out.len(), 2, "{out:#?}");
    }

    #[test]
    fn the_lead_mention_tells_how_the_happening_is_reported() {
        // "شنت طائرات غارة على سراقب." … "وقال المرصد إن الغارة قتلت خمسة أشخاص في سراقب."
        let lead = mention(
            json!({"id": "a", "event_type": "ASSAULT", "mode": ["aerial"], "trigger": at(0),
                   "modality": "asserted"}),
            PlaceFrom::Article,
            "غاره",
            false,
            true,
        );
        let told = mention(
            json!({"id": "b", "event_type": "ASSAULT", "mode": ["aerial"], "trigger": at(60),
                   "modality": "reported", "location": town(1, "Saraqib", "Idlib"),
                   "counts": {"killed": {"value": 5, "approximate": false, "bound": "exact"}}}),
            PlaceFrom::Clause,
            "غاره",
            true,
            false,
        );
        let out = happenings(vec![lead, told], None);
        assert_eq!(out.len(), 1, "{out:#?}");
        // the record is the detailed mention's, its modality the lead's
        assert_eq!(out[0].id, "b");
        assert_eq!(out[0].modality, Modality::Asserted);
    }

    #[test]
    fn two_towns_are_two_happenings_and_another_is_another() {
        let strike = |id: &str, g: u64, name: &str, start: usize| {
            mention(
                json!({"id": id, "event_type": "ASSAULT", "trigger": at(start),
                       "location": town(g, name, "Idlib")}),
                PlaceFrom::Clause,
                "غاره",
                false,
                false,
            )
        };
        let out = happenings(
            vec![strike("a", 1, "Saraqib", 0), strike("b", 2, "Ariha", 50)],
            None,
        );
        assert_eq!(out.len(), 2, "different towns");
        // the province holds its town: one happening
        let mut province = strike("c", 3, "Idlib", 50);
        province.event.location.as_mut().unwrap().precision = Precision::Admin1;
        let out = happenings(vec![strike("a", 1, "Saraqib", 0), province], None);
        assert_eq!(out.len(), 1, "a town and its province");
        // "في هجوم آخر" starts a new happening whatever else agrees
        let mut other = strike("d", 1, "Saraqib", 50);
        other.other = true;
        let out = happenings(vec![strike("a", 1, "Saraqib", 0), other], None);
        assert_eq!(out.len(), 2, "another attack");
    }

    #[test]
    fn a_town_and_its_quarter_are_one_place_and_towns_apart_are_two() {
        let at_place = |id: &str, start: usize, g: u64, name: &str, lat: f64, lon: f64| {
            mention(
                json!({"id": id, "event_type": "ASSAULT", "trigger": at(start),
                       "location": {"geonameid": g, "name_en": name, "country": "SY",
                                    "admin1": "13", "precision": "exact", "lat": lat, "lon": lon}}),
                PlaceFrom::Clause,
                "قصف",
                false,
                false,
            )
        };
        // Damascus and its quarter Jobar, some three kilometres from its centre
        let city = at_place("a", 0, 170654, "Damascus", 33.5102, 36.2913);
        let quarter = at_place("b", 60, 170000, "Jobar", 33.5270, 36.3200);
        assert_eq!(happenings(vec![quarter, city.clone()], None).len(), 1);
        // Douma, some ten kilometres away, is another town
        let douma = at_place("c", 60, 170592, "Douma", 33.5722, 36.4025);
        assert_eq!(happenings(vec![city, douma], None).len(), 2);
    }

    #[test]
    fn fighting_since_a_day_is_not_an_incident_within_it() {
        // "وتشهد المنطقة مواجهات منذ أسبوع." … "وسيطرت القوات أمس على البلدة."
        let fighting = |id: &str, start: usize, since: bool| {
            let mut f = mention(
                json!({"id": id, "event_type": "ASSAULT", "trigger": at(start),
                       "location": town(1, "Saraqib", "Idlib")}),
                PlaceFrom::Clause,
                "مواجه",
                false,
                false,
            );
            f.since = since;
            f
        };
        let out = happenings(vec![fighting("a", 0, true), fighting("b", 60, false)], None);
        assert_eq!(out.len(), 2, "{out:#?}");
        let out = happenings(
            vec![fighting("a", 0, false), fighting("b", 60, false)],
            None,
        );
        assert_eq!(out.len(), 1, "{out:#?}");
    }

    #[test]
    fn other_exact_tolls_in_other_places_of_a_country_are_two_happenings() {
        // "قتل جنديان في هجوم في شرق تركيا." … "وقتل جندي في ولاية ماردين حين انفجر لغم."
        let killed = |id: &str, start: usize, place: Value, k: u64| {
            mention(
                json!({"id": id, "event_type": "ASSAULT", "trigger": at(start), "location": place,
                       "counts": {"killed": {"value": k, "approximate": false, "bound": "exact"}}}),
                PlaceFrom::Clause,
                "قتل",
                false,
                false,
            )
        };
        let turkey = json!({"geonameid": 298795, "name_en": "Turkey", "country": "TR",
                            "precision": "country"});
        let mardin = json!({"geonameid": 304794, "name_en": "Mardin", "country": "TR",
                            "admin1": "72", "precision": "exact"});
        let out = happenings(
            vec![
                killed("a", 0, turkey.clone(), 2),
                killed("b", 60, mardin.clone(), 1),
            ],
            None,
        );
        assert_eq!(out.len(), 2, "{out:#?}");
        // the same toll told of the town: one happening
        let out = happenings(
            vec![killed("a", 0, turkey, 2), killed("b", 60, mardin, 2)],
            None,
        );
        assert_eq!(out.len(), 1, "{out:#?}");
    }

    #[test]
    fn a_mention_with_its_own_place_and_day_is_new_beside_one_with_neither() {
        // "وأفاد سكان أن المسلحين قصفوا أحياء سكنية." … "وواصلت الطائرات أمس الأحد غاراتها على
        // مواقع في محافظة صعدة." — the strikes are told with where and when, the shelling with
        // neither: two happenings
        let shelling = || {
            mention(
                json!({"id": "a", "event_type": "ASSAULT", "trigger": at(0),
                       "location": town(1, "Aden", "Aden")}),
                PlaceFrom::Article,
                "قصف",
                false,
                true,
            )
        };
        let mut strikes = mention(
            json!({"id": "b", "event_type": "ASSAULT", "trigger": at(90),
                   "location": {"geonameid": 2, "name_en": "Saada", "country": "SY",
                                "admin1": "Saada", "precision": "admin1"},
                   "date": {"value": "2015-07-26", "precision": "day",
                            "span": {"start": 70, "end": 84}}}),
            PlaceFrom::Clause,
            "غاره",
            false,
            false,
        );
        let out = happenings(vec![shelling(), strikes.clone()], None);
        assert_eq!(out.len(), 2, "{out:#?}");
        // without the day of its own it is a further word on the same happening
        strikes.event.date = None;
        let out = happenings(vec![shelling(), strikes], None);
        assert_eq!(out.len(), 1, "{out:#?}");
    }

    #[test]
    fn a_new_narrated_happening_needs_ties_and_kinds_of_act_keep_apart() {
        // "شنت طائرات غارات على مواقع للمسلحين." … "وأعدم التنظيم عشرة من عناصره."
        let strike = mention(
            json!({"id": "a", "event_type": "ASSAULT", "mode": ["aerial"], "trigger": at(0)}),
            PlaceFrom::Article,
            "شن",
            false,
            true,
        );
        let execution = mention(
            json!({"id": "b", "event_type": "ASSAULT", "mode": ["targeted"], "trigger": at(80)}),
            PlaceFrom::Article,
            "اعدم",
            false,
            false,
        );
        assert_eq!(happenings(vec![strike.clone(), execution], None).len(), 2);
        // a second narrated strike with nothing tying it stays apart too
        let mut second = strike.clone();
        second.event.id = "c".into();
        second.stem = "قصف".into();
        assert_eq!(happenings(vec![strike, second], None).len(), 2);
    }

    #[test]
    fn who_strikes_in_one_mention_and_is_struck_in_another_keeps_them_apart() {
        // "شنت القوات هجمات على جيوب للمسلحين." … "وقال سكان إن المسلحين قصفوا أحياء."
        let side = |id: &str, start: usize| json!({"text": id, "span": {"start": start, "end": start + 4}, "entity_id": id});
        let attack = mention(
            json!({"id": "a", "event_type": "ASSAULT", "trigger": at(0),
                   "recipients": [side("rebels", 30)]}),
            PlaceFrom::Article,
            "هجم",
            true,
            true,
        );
        let shelling = mention(
            json!({"id": "b", "event_type": "ASSAULT", "trigger": at(80),
                   "actors": [side("rebels", 70)]}),
            PlaceFrom::Article,
            "قصف",
            true,
            true,
        );
        assert!(apart(&attack, &shelling) && apart(&shelling, &attack));
        // a side named as both actor and recipient of one mention decides nothing
        let mut muddled = attack.clone();
        muddled
            .event
            .actors
            .push(muddled.event.recipients[0].clone());
        assert!(!apart(&muddled, &shelling));
    }

    #[test]
    fn a_narrated_mention_of_the_only_happening_of_its_kind_needs_one_tie() {
        // "قتل مسلحون 19 شخصا في اشتباكات." … "وأكد مصدر أن 19 شخصا قتلوا": the same word
        let told = |id: &str, start: usize, g: u64| {
            mention(
                json!({"id": id, "event_type": "ASSAULT", "trigger": at(start),
                       "location": town(g, "Saraqib", "Idlib")}),
                PlaceFrom::Article,
                "قتل",
                false,
                true,
            )
        };
        let out = happenings(vec![told("a", 0, 1), told("b", 90, 1)], None);
        assert_eq!(out.len(), 1, "{out:#?}");
        // one that brings a count of a kind the happening lacks is news: a new incident
        let mut news = told("b", 90, 1);
        news.event.counts.arrested = Some(marsad_record::Count {
            value: 15,
            approximate: true,
            bound: marsad_record::Bound::Exact,
        });
        let out = happenings(vec![told("a", 0, 1), news], None);
        assert_eq!(out.len(), 2, "{out:#?}");
        // with two happenings of its kind told before, one tie is not enough
        let mut other = told("c", 40, 2);
        other.stem = "اغتيال".into();
        other.event.location.as_mut().unwrap().name_en = "Ariha".into();
        other.place_from = PlaceFrom::Clause;
        let mut first = told("a", 0, 1);
        first.place_from = PlaceFrom::Clause;
        let mut third = told("b", 90, 1);
        third.place_from = PlaceFrom::Clause;
        third.stem = "مقتل".into();
        let out = happenings(vec![first, other, third], None);
        assert_eq!(out.len(), 3, "{out:#?}");
    }

    /// "قتل مسلحون ثلاثة جنود ... وسيحاكم المتهمون في 11 أيلول": a date told for what follows
    /// never dates the counted happening after its article.
    #[test]
    fn a_counted_happening_is_never_dated_after_its_article() {
        let published = NaiveDate::from_ymd_opt(2015, 8, 2).unwrap();
        let mut e = marsad_record::testing::event(json!({"id": "a", "event_type": "ASSAULT",
            "modality": "asserted",
            "date": {"value": "2015-09-11", "precision": "day", "text": "11 أيلول",
                     "span": {"start": 0, "end": 4}}}));
        no_date_after(&mut e, published);
        let d = e.date.unwrap();
        assert_eq!((d.value, d.basis), (published, DateBasis::Publication));
        assert!(d.span.is_none());
    }

    #[test]
    fn dated_weeks_before_the_article_is_background_and_after_it_is_future() {
        let dated = |value: &str, precision: &str| {
            mention(
                json!({"id": "a", "event_type": "COERCE", "trigger": at(0),
                       "date": {"value": value, "precision": precision, "text": "x",
                                "span": {"start": 10, "end": 14}}}),
                PlaceFrom::Article,
                "اعتقل",
                false,
                true,
            )
        };
        let published = NaiveDate::from_ymd_opt(2015, 2, 20);
        let modality = |f: Found| happenings(vec![f], published)[0].modality;
        assert_eq!(modality(dated("2014-03-03", "day")), Modality::Historical);
        assert_eq!(modality(dated("2014-01-01", "year")), Modality::Historical);
        assert_eq!(modality(dated("2015-02-18", "day")), Modality::Asserted);
        assert_eq!(modality(dated("2015-02-01", "month")), Modality::Asserted);
        assert_eq!(modality(dated("2015-03-10", "day")), Modality::Future);
        // tomorrow is to come too
        assert_eq!(modality(dated("2015-02-21", "day")), Modality::Future);
        // this year, this month: the article's day stands for the event
        let date = |f: Found| {
            happenings(vec![f], published)[0]
                .date
                .clone()
                .unwrap()
                .value
        };
        assert_eq!(
            date(dated("2015-01-01", "year")),
            NaiveDate::from_ymd_opt(2015, 2, 20).unwrap()
        );
        assert_eq!(
            date(dated("2015-01-01", "month")),
            NaiveDate::from_ymd_opt(2015, 1, 1).unwrap()
        );
        // "منذ آذار" starts a running period, the current crisis: not background; "منذ عام
        // 2003" a long war: background
        let mut since = dated("2015-01-03", "day");
        since.since = true;
        assert_eq!(modality(since), Modality::Asserted);
        let mut since = dated("2003-01-01", "year");
        since.since = true;
        assert_eq!(modality(since), Modality::Historical);
    }

    #[test]
    fn a_happening_told_twice_is_kept_when_one_telling_comes_near_the_threshold() {
        let weak = |id: &str, start: usize, margin: f32| {
            let mut f = mention(
                json!({"id": id, "event_type": "ASSAULT", "trigger": at(start)}),
                PlaceFrom::Article,
                "هجوم",
                true,
                false,
            );
            f.reports = false;
            f.margin = margin;
            f
        };
        assert!(happenings(vec![weak("a", 0, 0.6)], None).is_empty());
        assert_eq!(
            happenings(vec![weak("a", 0, 0.6), weak("b", 40, 0.2)], None).len(),
            1
        );
        assert!(happenings(vec![weak("a", 0, 0.2), weak("b", 40, 0.2)], None).is_empty());
    }
}
