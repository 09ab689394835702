//! Indicators: weekly or monthly series of counted events per category × place × actor (events,
//! fatalities leaving out aggregate tolls, distinct outlets), each with a spike test of its last
//! period against the periods before it.
//!
//! The spike test ([`spike_test`]): with `x₁…xₙ` the counts of the `n` periods before the last
//! (the baseline), `μ` their mean and `σ` their population standard deviation, the last count `y`
//! is a spike when `y ≥ min_count` and `y > μ + k·σ`. Defaults: `n = 8`, `k = 2`,
//! `min_count = 3`. It is a screen for a human to look at, not a significance test.

use crate::aggregate::FATALITIES_SQL;
use crate::browse::where_sql;
use crate::{EventFilter, Interval, Scope, SqliteStore, StoreError};
use chrono::{Datelike, Duration, NaiveDate};
use rusqlite::types::Value as V;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Which dimensions split the series (an unsplit dimension is summed over).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Dims {
    /// One series per PLOVER category.
    pub event_type: bool,
    /// One series per place: the first-level area (`IQ/Nineveh`), else the country.
    pub place: bool,
    /// One series per actor (entity id, else English name, else the words as written); an event
    /// with two actors counts in both.
    pub actor: bool,
}

impl Dims {
    /// Parses a comma-separated list of `type`, `place`, `actor` (blank: none, one series).
    pub fn parse(s: &str) -> Result<Dims, String> {
        let mut d = Dims::default();
        for w in s.split(',').map(str::trim).filter(|w| !w.is_empty()) {
            match w {
                "type" => d.event_type = true,
                "place" => d.place = true,
                "actor" => d.actor = true,
                _ => return Err(format!("{w:?} is not a dimension (type, place, actor)")),
            }
        }
        Ok(d)
    }
}

/// The settings of the spike test.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SpikeTest {
    /// Periods before the last one that make the baseline.
    pub baseline: usize,
    /// Standard deviations above the baseline mean.
    pub k: f64,
    /// The least count of the last period that can be a spike.
    pub min_count: u64,
}

impl Default for SpikeTest {
    fn default() -> Self {
        SpikeTest {
            baseline: 8,
            k: 2.0,
            min_count: 3,
        }
    }
}

/// The outcome of the spike test on one series.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Spike {
    /// The last period's count.
    pub last: u64,
    /// Mean of the baseline periods.
    pub mean: f64,
    /// Population standard deviation of the baseline periods.
    pub sd: f64,
    /// `mean + k·sd`: the count the last period must exceed.
    pub threshold: f64,
    /// Whether the last period is a spike.
    pub spike: bool,
}

/// The spike test on `values` (oldest first): the last value against the `t.baseline` values
/// before it (fewer when the series is shorter; none gives no spike).
pub fn spike_test(values: &[u64], t: SpikeTest) -> Spike {
    let Some((&last, before)) = values.split_last() else {
        return Spike {
            last: 0,
            mean: 0.0,
            sd: 0.0,
            threshold: 0.0,
            spike: false,
        };
    };
    let base = &before[before.len().saturating_sub(t.baseline)..];
    let n = base.len() as f64;
    let (mean, sd) = if base.is_empty() {
        (0.0, 0.0)
    } else {
        let mean = base.iter().map(|&v| v as f64).sum::<f64>() / n;
        let var = base.iter().map(|&v| (v as f64 - mean).powi(2)).sum::<f64>() / n;
        (mean, var.sqrt())
    };
    let threshold = mean + t.k * sd;
    Spike {
        last,
        mean,
        sd,
        threshold,
        spike: !base.is_empty() && last >= t.min_count && last as f64 > threshold,
    }
}

/// One period of a series.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Point {
    /// First day of the period (`YYYY-MM-DD`; weeks start on Monday).
    pub period: String,
    /// Counted events.
    pub events: u64,
    /// People killed in them, tolls marked aggregate left out.
    pub fatalities: u64,
    /// Distinct outlets that reported them.
    pub outlets: u64,
}

/// One series: its dimension values, its periods (every one, zeros included) and its spike test.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Series {
    /// The category, when split by it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub event_type: Option<String>,
    /// The place (`IQ/Nineveh`, or a country code), when split by it; empty when unknown.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub place: Option<String>,
    /// The actor, when split by it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub actor: Option<String>,
    /// Counted events over all the periods shown.
    pub total: u64,
    /// The periods, oldest first.
    pub points: Vec<Point>,
    /// The spike test of the last period.
    pub spike: Spike,
}

/// What to compute.
#[derive(Debug, Clone)]
pub struct IndicatorQuery {
    /// Weeks or months (a day interval is read as weeks).
    pub by: Interval,
    /// How the series are split.
    pub dims: Dims,
    /// Periods per series, ending with the one that holds `until`.
    pub periods: usize,
    /// The last day shown; `None`: the latest date of a counted event that passes the filter.
    pub until: Option<NaiveDate>,
    /// At most this many series, the largest (most events) first.
    pub top: usize,
    /// The spike test.
    pub test: SpikeTest,
}

impl Default for IndicatorQuery {
    fn default() -> Self {
        IndicatorQuery {
            by: Interval::Week,
            dims: Dims {
                event_type: true,
                place: true,
                actor: false,
            },
            periods: 12,
            until: None,
            top: 24,
            test: SpikeTest::default(),
        }
    }
}

/// The first day of the period of `by` holding `d`.
pub fn period_start(by: Interval, d: NaiveDate) -> NaiveDate {
    match by {
        Interval::Month => d.with_day(1).unwrap_or(d),
        _ => d - Duration::days(i64::from(d.weekday().num_days_from_monday())),
    }
}

/// The first days of the `n` periods of `by` ending with the one holding `until`, oldest first.
pub fn period_starts(by: Interval, until: NaiveDate, n: usize) -> Vec<NaiveDate> {
    let mut out = Vec::with_capacity(n);
    let mut p = period_start(by, until);
    for _ in 0..n {
        out.push(p);
        p = match by {
            Interval::Month => {
                let prev = p - Duration::days(1);
                prev.with_day(1).unwrap_or(prev)
            }
            _ => p - Duration::days(7),
        };
    }
    out.reverse();
    out
}

/// The period SQL of `by` (weeks for a day interval).
fn period_sql(by: Interval) -> &'static str {
    match by {
        Interval::Month => Interval::Month.sql(),
        _ => Interval::Week.sql(),
    }
}

type Key = (Option<String>, Option<String>, Option<String>);

/// One cell being summed: events (and their fatalities) once each, outlets as a set.
#[derive(Default)]
struct Cell {
    events: BTreeMap<i64, u64>,
    outlets: BTreeSet<String>,
}

/// One row of an indicator query: an event (by its backend key) with one of its reporting
/// outlets, in its period, with its type, place and (when split by actor) one actor.
pub(crate) struct IndicatorRow {
    /// Period start (YYYY-MM-DD), `None` when the date does not parse.
    pub period: Option<String>,
    /// PLOVER category.
    pub event_type: String,
    /// `CC` or `CC/admin1`.
    pub place: String,
    /// Actor key, or empty.
    pub actor: String,
    /// The event's key in its backend.
    pub event: i64,
    /// Its own toll (0 for an aggregate).
    pub fatalities: i64,
    /// One reporting outlet, or empty.
    pub outlet: String,
}

/// What an indicator query reads, in either store: the counted events of `f` from the first of
/// `q.periods` periods to `q.until` (or to the latest date `latest` finds for them), and the
/// periods' starts; `None` when no counted event has a date.
pub(crate) fn indicator_scope(
    f: &EventFilter,
    q: &IndicatorQuery,
    latest: impl FnOnce(&EventFilter) -> Result<Option<NaiveDate>, StoreError>,
) -> Result<Option<(EventFilter, Vec<NaiveDate>)>, StoreError> {
    let mut f = EventFilter {
        factual_only: true,
        ..f.clone()
    };
    let until = match q.until {
        Some(u) => u,
        None => match latest(&f)? {
            Some(d) => d,
            None => return Ok(None),
        },
    };
    let starts = period_starts(q.by, until, q.periods.max(1));
    f.from = Some(starts[0].to_string());
    f.to = Some(until.to_string());
    Ok(Some((f, starts)))
}

/// The place key of an indicator row: `CC` or `CC/admin1` (the same SQL in both stores).
pub(crate) const PLACE_KEY_SQL: &str = "CASE WHEN e.admin1 IS NULL THEN coalesce(e.country, '') ELSE coalesce(e.country, '') || '/' || e.admin1 END";

/// The series of the rows of an indicator query, split by `q.dims`, with every period of
/// `starts` (zeros included), a spike test each, the largest `q.top` first.
pub(crate) fn series(
    rows: impl IntoIterator<Item = IndicatorRow>,
    q: &IndicatorQuery,
    starts: &[NaiveDate],
) -> Vec<Series> {
    let mut cells: HashMap<Key, HashMap<String, Cell>> = HashMap::new();
    for r in rows {
        let Some(period) = r.period else {
            continue;
        };
        let key: Key = (
            q.dims.event_type.then_some(r.event_type),
            q.dims.place.then_some(r.place),
            q.dims.actor.then_some(r.actor),
        );
        let cell = cells.entry(key).or_default().entry(period).or_default();
        cell.events.insert(r.event, r.fatalities.max(0) as u64);
        if !r.outlet.is_empty() {
            cell.outlets.insert(r.outlet);
        }
    }
    let mut out: Vec<Series> = cells
        .into_iter()
        .map(|((event_type, place, actor), by_period)| {
            let points: Vec<Point> = starts
                .iter()
                .map(|s| {
                    let period = s.to_string();
                    let c = by_period.get(&period);
                    Point {
                        events: c.map_or(0, |c| c.events.len() as u64),
                        fatalities: c.map_or(0, |c| c.events.values().sum()),
                        outlets: c.map_or(0, |c| c.outlets.len() as u64),
                        period,
                    }
                })
                .collect();
            let counts: Vec<u64> = points.iter().map(|p| p.events).collect();
            Series {
                event_type,
                place,
                actor,
                total: counts.iter().sum(),
                spike: spike_test(&counts, q.test),
                points,
            }
        })
        .collect();
    out.sort_by(|a, b| {
        b.total.cmp(&a.total).then_with(|| {
            (&a.event_type, &a.place, &a.actor).cmp(&(&b.event_type, &b.place, &b.actor))
        })
    });
    out.truncate(q.top.max(1));
    out
}

impl SqliteStore {
    /// Indicator series of counted, dated events that pass `f` (whatever `f.factual_only`
    /// says), split by `q.dims`, with every period (zeros included) and a spike test each.
    pub fn indicators(
        &self,
        f: &EventFilter,
        q: &IndicatorQuery,
    ) -> Result<Vec<Series>, StoreError> {
        let Some((f, starts)) = indicator_scope(f, q, |f| self.latest_date(f))? else {
            return Ok(Vec::new());
        };
        let mut args: Vec<V> = Vec::new();
        let filter = where_sql(&f, &Scope::All, &mut args);
        let place = PLACE_KEY_SQL;
        let actor = "coalesce(json_extract(a.value, '$.entity_id'), json_extract(a.value, '$.name_en'), json_extract(a.value, '$.text'), '')";
        let sql = format!(
            "SELECT {p}, e.event_type, {place}, {actor_col}, e.rowid, {FATALITIES_SQL}, coalesce(d.outlet, d.url, '') \
             FROM events e{actor_from} LEFT JOIN event_mentions m ON m.event = e.rowid LEFT JOIN documents d ON d.rowid = m.doc{filter} AND e.date IS NOT NULL",
            p = period_sql(q.by),
            actor_col = if q.dims.actor { actor } else { "''" },
            actor_from = if q.dims.actor { ", json_each(e.record, '$.actors') a" } else { "" },
        );
        let mut st = self.connection().prepare(&sql)?;
        let mut rows = st.query(rusqlite::params_from_iter(args))?;
        let mut got = Vec::new();
        while let Some(r) = rows.next()? {
            got.push(IndicatorRow {
                period: r.get(0)?,
                event_type: r.get(1)?,
                place: r.get(2)?,
                actor: r.get(3)?,
                event: r.get(4)?,
                fatalities: r.get(5)?,
                outlet: r.get(6)?,
            });
        }
        Ok(series(got, q, &starts))
    }

    /// The latest date of an event passing `f`.
    fn latest_date(&self, f: &EventFilter) -> Result<Option<NaiveDate>, StoreError> {
        let mut args: Vec<V> = Vec::new();
        let filter = where_sql(f, &Scope::All, &mut args);
        let sql = format!("SELECT max(e.date) FROM events e{filter} AND e.date IS NOT NULL");
        let d: Option<String> =
            self.connection()
                .query_row(&sql, rusqlite::params_from_iter(args), |r| r.get(0))?;
        Ok(d.and_then(|d| NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{NewDocument, Store};
    use serde_json::json;

    const T: SpikeTest = SpikeTest {
        baseline: 8,
        k: 2.0,
        min_count: 3,
    };

    /// (values, spike?) — the last value against the ones before it.
    const SPIKES: &[(&[u64], bool)] = &[
        (&[0, 0, 0, 0, 3], true),
        (&[0, 0, 0, 0, 2], false),                     // under min_count
        (&[2, 3, 2, 3, 2, 3, 2, 3, 4], true),          // mean 2.5, sd 0.5: threshold 3.5
        (&[1, 5, 1, 5, 1, 5, 1, 5, 6], false),         // mean 3, sd 2: threshold 7
        (&[9, 9, 9, 0, 0, 0, 0, 0, 0, 0, 0, 4], true), // only the last 8 are the baseline
        (&[5], false),                                 // no baseline
        (&[], false),
    ];

    #[test]
    fn spike_test_table() {
        for (values, want) in SPIKES {
            let s = spike_test(values, T);
            assert_eq!(s.spike, *want, "{values:?}: {s:?}");
        }
        let s = spike_test(&[2, 3, 2, 3, 4], T);
        assert_eq!((s.mean, s.sd, s.threshold), (2.5, 0.5, 3.5));
    }

    #[test]
    fn periods_end_with_the_one_holding_until() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        // 2026-03-05 is a Thursday
        let w = period_starts(Interval::Week, d("2026-03-05"), 3);
        assert_eq!(w, [d("2026-02-16"), d("2026-02-23"), d("2026-03-02")]);
        let m = period_starts(Interval::Month, d("2026-03-05"), 3);
        assert_eq!(m, [d("2026-01-01"), d("2026-02-01"), d("2026-03-01")]);
        assert!(Dims::parse("type,bogus").is_err());
        assert_eq!(
            Dims::parse("place, actor").unwrap(),
            Dims {
                event_type: false,
                place: true,
                actor: true
            }
        );
    }

    #[test]
    fn series_count_events_own_tolls_and_outlets_with_zero_periods() {
        let mut s = SqliteStore::open_in_memory().unwrap();
        let ev = |id: &str, date: &str, killed: u64, aggregate: bool| {
            marsad_record::testing::event(json!({
                "id": id, "event_type": "ASSAULT", "modality": "asserted",
                "location": {"geonameid": 1, "country": "IQ", "admin1": "Nineveh", "lat": 36.3, "lon": 43.1},
                "date": {"value": date, "precision": "day"},
                "actors": [{"text": "داعش", "entity_id": "isis"}],
                "counts": {"killed": {"value": killed, "approximate": false, "bound": "exact"}, "aggregate": aggregate},
            }))
        };
        let docs = [
            ("a", "وكالة أ", ev("e1", "2026-03-02", 3, false)),
            ("b", "وكالة ب", ev("e2", "2026-03-08", 500, true)),
            ("c", "وكالة ب", ev("e3", "2026-02-17", 1, false)),
        ];
        let docs: Vec<NewDocument> = docs
            .into_iter()
            .map(|(id, outlet, e)| NewDocument {
                outlet: Some(outlet.to_string()),
                events: vec![e],
                ..NewDocument::from_text(id, &format!("نص مختلف تماما رقم {id} {id} {id}"))
            })
            .collect();
        s.write_batch(&docs).unwrap();
        let q = IndicatorQuery {
            periods: 3,
            ..Default::default()
        };
        let series = s.indicators(&EventFilter::default(), &q).unwrap();
        assert_eq!(series.len(), 1, "{series:?}");
        let x = &series[0];
        assert_eq!(x.event_type.as_deref(), Some("ASSAULT"));
        assert_eq!(x.place.as_deref(), Some("IQ/Nineveh"));
        let got: Vec<_> = x
            .points
            .iter()
            .map(|p| (p.period.as_str(), p.events, p.fatalities, p.outlets))
            .collect();
        assert_eq!(
            got,
            [
                ("2026-02-16", 1, 1, 1),
                ("2026-02-23", 0, 0, 0),
                ("2026-03-02", 2, 3, 2)
            ]
        );
        let by_actor = IndicatorQuery {
            dims: Dims::parse("actor").unwrap(),
            by: Interval::Month,
            periods: 2,
            ..Default::default()
        };
        let a = s.indicators(&EventFilter::default(), &by_actor).unwrap();
        assert_eq!(a[0].actor.as_deref(), Some("isis"));
        assert_eq!(a[0].points[1].events, 2);
        assert_eq!(s.stats().unwrap().events, 3);
    }
}
