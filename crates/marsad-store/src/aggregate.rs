//! Aggregates for analysts: counted events and their fatalities by period (month or week) and
//! by one dimension (category, country, first-level area or actor).

use crate::browse::where_sql;
use crate::{EventFilter, Interval, Scope, SqliteStore, StoreError};
use rusqlite::types::Value as V;
use serde::Serialize;

/// What aggregates are grouped by besides the period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Group {
    /// PLOVER category.
    Type,
    /// ISO 3166-1 alpha-2 country of the location.
    Country,
    /// First-level administrative area of the location (with its country).
    Admin1,
    /// Each actor (not recipients) of the event: its entity id, else English name, else the
    /// words as written; an event with two actors counts once for each.
    Actor,
}

impl Group {
    /// Every group, in the order their names are listed.
    pub const ALL: [Group; 4] = [Group::Type, Group::Country, Group::Admin1, Group::Actor];

    /// The parameter value (`type`, `country`, `admin1`, `actor`).
    pub fn as_str(self) -> &'static str {
        match self {
            Group::Type => "type",
            Group::Country => "country",
            Group::Admin1 => "admin1",
            Group::Actor => "actor",
        }
    }

    /// Parses a parameter value.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|g| g.as_str() == s)
    }
}

/// One cell: a period, a group value, the events in it and their fatalities.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AggregateRow {
    /// First day of the period (`YYYY-MM-DD`; weeks start on Monday).
    pub period: String,
    /// The group value (a category, a country code, `IQ/Nineveh`, an actor); empty when unknown.
    pub key: String,
    /// Counted events.
    pub events: u64,
    /// People killed in them, leaving out tolls marked `aggregate` (cumulative or multi-incident).
    pub fatalities: u64,
}

/// The killed count of a stored record unless its toll is marked as an aggregate.
pub(crate) const FATALITIES_SQL: &str = "CASE WHEN coalesce(json_extract(e.record, '$.counts.aggregate'), 0) THEN 0 ELSE coalesce(json_extract(e.record, '$.counts.killed.value'), 0) END";

impl SqliteStore {
    /// Counted events (whatever `f.factual_only` says) with a date, and their fatalities, by
    /// period and group, in period then group order.
    pub fn aggregates(
        &self,
        f: &EventFilter,
        scope: &Scope,
        by: Interval,
        group: Group,
    ) -> Result<Vec<AggregateRow>, StoreError> {
        let f = EventFilter {
            factual_only: true,
            ..f.clone()
        };
        let mut args: Vec<V> = Vec::new();
        let filter = where_sql(&f, scope, &mut args);
        let (key, from) = match group {
            Group::Type => ("e.event_type", String::new()),
            Group::Country => ("coalesce(e.country, '')", String::new()),
            Group::Admin1 => (
                "CASE WHEN e.admin1 IS NULL THEN '' ELSE coalesce(e.country, '') || '/' || e.admin1 END",
                String::new(),
            ),
            Group::Actor => (
                "coalesce(json_extract(a.value, '$.entity_id'), json_extract(a.value, '$.name_en'), json_extract(a.value, '$.text'), '')",
                ", json_each(e.record, '$.actors') a".to_string(),
            ),
        };
        let sql = format!(
            "SELECT p, k, count(*), sum(f) FROM (SELECT {} AS p, {key} AS k, {FATALITIES_SQL} AS f FROM events e{from}{filter} AND e.date IS NOT NULL) WHERE p IS NOT NULL GROUP BY p, k ORDER BY p, k",
            by.sql()
        );
        let mut st = self.connection().prepare(&sql)?;
        let rows = st.query_map(rusqlite::params_from_iter(args), |r| {
            Ok(AggregateRow {
                period: r.get(0)?,
                key: r.get(1)?,
                events: r.get::<_, i64>(2)? as u64,
                fatalities: r.get::<_, i64>(3)?.max(0) as u64,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{NewDocument, Store};
    use serde_json::json;

    fn store() -> SqliteStore {
        let mut s = SqliteStore::open_in_memory().unwrap();
        let ev = |id: &str, date: &str, country: &str, killed: Value, modality: &str| {
            marsad_record::testing::event(json!({
                "id": id, "event_type": "ASSAULT", "modality": modality,
                "location": {"geonameid": id.len() as u64 * 1000 + date.len() as u64, "country": country, "admin1": "A", "lat": 1.0, "lon": 1.0},
                "date": {"value": date, "precision": "day"},
                "actors": [{"text": "قوات", "entity_id": "army"}, {"text": "شرطة"}],
                "counts": killed,
            }))
        };
        use serde_json::Value;
        let k = |n: u64| json!({"killed": {"value": n, "approximate": false, "bound": "exact"}});
        let agg = |n: u64| json!({"killed": {"value": n, "approximate": false, "bound": "exact"}, "aggregate": true});
        let docs = [
            ("a", ev("e1", "2018-01-03", "IQ", k(3), "asserted")),
            ("b", ev("e22", "2018-01-20", "IQ", k(4), "reported")),
            ("c", ev("e333", "2018-02-02", "SY", json!({}), "asserted")),
            ("d", ev("e4444", "2018-02-05", "SY", k(9), "future")),
            // a total over many incidents: counted as an event, not in the fatalities
            ("e", ev("e55555", "2018-02-09", "SY", agg(5000), "reported")),
        ];
        let docs: Vec<NewDocument> = docs
            .into_iter()
            .map(|(id, e)| NewDocument {
                events: vec![e],
                ..NewDocument::from_text(id, &format!("نص {id}"))
            })
            .collect();
        s.write_batch(&docs).unwrap();
        s
    }

    #[test]
    fn counted_events_and_fatalities_by_month_and_group() {
        let s = store();
        let f = EventFilter::default();
        let rows = s
            .aggregates(&f, &Scope::All, Interval::Month, Group::Country)
            .unwrap();
        let got: Vec<_> = rows
            .iter()
            .map(|r| (r.period.as_str(), r.key.as_str(), r.events, r.fatalities))
            .collect();
        // the future event is not counted
        assert_eq!(
            got,
            [("2018-01-01", "IQ", 2, 7), ("2018-02-01", "SY", 2, 0)]
        );
        let rows = s
            .aggregates(&f, &Scope::All, Interval::Month, Group::Actor)
            .unwrap();
        let jan: Vec<_> = rows
            .iter()
            .filter(|r| r.period == "2018-01-01")
            .map(|r| (r.key.as_str(), r.events))
            .collect();
        assert_eq!(jan, [("army", 2), ("شرطة", 2)]);
        let rows = s
            .aggregates(&f, &Scope::All, Interval::Week, Group::Admin1)
            .unwrap();
        assert_eq!(rows[0].period, "2018-01-01");
        assert_eq!(rows[0].key, "IQ/A");
        assert_eq!(s.stats().unwrap().events, 5);
    }
}
