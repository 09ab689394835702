//! Aggregates for browsing: places and participants with their event counts, map points, the
//! timeline, facet counts and scoped event lists. The HTTP API and the dashboard read these.
//!
//! ```
//! use marsad_store::{Browse, EventFilter, Interval, NewDocument, Scope, SqliteStore, Store};
//! let mut store = SqliteStore::open_in_memory().unwrap();
//! let mut doc = NewDocument::from_text("d1", "قصفت طائرات حربية مدينة الموصل");
//! let span = serde_json::json!({"start": 0, "end": 10});
//! doc.events = vec![serde_json::from_value(serde_json::json!({
//!     "id": "e1", "doc_id": "d1", "event_type": "ASSAULT", "modality": "asserted",
//!     "location": {"text": "الموصل", "span": span, "geonameid": 99072, "name_en": "Mosul",
//!                  "name_ar": "الموصل", "country": "IQ", "lat": 36.34, "lon": 43.13, "precision": "exact"},
//!     "date": {"value": "2015-02-20", "precision": "day"},
//!     "actors": [{"text": "طائرات حربية", "span": span}],
//!     "trigger": {"text": "قصفت", "span": span}, "evidence": {"span": span, "sentence": span},
//!     "confidence": 0.9}))
//! .unwrap()];
//! store.write_batch(&[doc]).unwrap();
//! let all = EventFilter { limit: 10, ..Default::default() };
//! let places = store.places(&all, 10, 0).unwrap();
//! assert_eq!((places[0].key.as_str(), places[0].events), ("g99072", 1));
//! let t = store.timeline(&all, &Scope::Place("g99072".into()), Interval::Week).unwrap();
//! assert_eq!(t[0].start, "2015-02-16"); // the Monday of that week
//! ```

use crate::sqlite::{decode_record, filter_clauses, participant_key, sources_of, with_sources};
use crate::{EventFilter, SqliteStore, Store, StoreError, StoredEvent};
use marsad_record::Location;
use rusqlite::types::Value as V;
use rusqlite::OptionalExtension;
use serde::Serialize;

/// What a query is limited to beyond its filter.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Scope {
    /// Every event that passes the filter.
    #[default]
    All,
    /// Events at one place (its key: `g<geonameid>` or `c<country>`).
    Place(String),
    /// Events with one participant (its key: entity id or normalized name).
    Entity(String),
}

/// A place with the number of events located there.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlaceCount {
    /// Stable key: `g<geonameid>` or `c<ISO country>`.
    pub key: String,
    /// GeoNames id, when resolved to one.
    pub geonameid: Option<i64>,
    /// English name.
    pub name_en: Option<String>,
    /// Arabic name.
    pub name_ar: Option<String>,
    /// ISO country code.
    pub country: Option<String>,
    /// First-level admin area.
    pub admin1: Option<String>,
    /// Latitude.
    pub lat: Option<f64>,
    /// Longitude.
    pub lon: Option<f64>,
    /// Location precision of its first event (`exact`, `near`, `admin1`, `country`, `region`).
    pub precision: Option<String>,
    /// Distinct events.
    pub events: u64,
    /// Article mentions of those events.
    pub mentions: u64,
}

/// A participant (actor or recipient) with the number of events it takes part in.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EntityCount {
    /// Stable key: the entity id, or the normalized name as written.
    pub key: String,
    /// The name as written in its first event.
    pub text: Option<String>,
    /// English name.
    pub name_en: Option<String>,
    /// Entity id.
    pub entity_id: Option<String>,
    /// ISO country code.
    pub country: Option<String>,
    /// Sector (`military`, `government`, `rebels`, …).
    pub role: Option<String>,
    /// Distinct events.
    pub events: u64,
    /// Article mentions of those events.
    pub mentions: u64,
}

/// Events of one category at one place: one point on a map.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MapPoint {
    /// Place key (see [`PlaceCount::key`]).
    pub key: String,
    /// PLOVER category.
    pub event_type: String,
    /// Latitude.
    pub lat: f64,
    /// Longitude.
    pub lon: f64,
    /// English place name.
    pub name_en: Option<String>,
    /// Arabic place name.
    pub name_ar: Option<String>,
    /// Distinct events.
    pub events: u64,
    /// Article mentions of those events.
    pub mentions: u64,
    /// How precisely the place locates them (`exact`, `near`, `admin1`, `country`, `region`).
    pub precision: Option<String>,
}

/// Events of one category in one time bucket.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Bucket {
    /// First day of the bucket (YYYY-MM-DD).
    pub start: String,
    /// PLOVER category.
    pub event_type: String,
    /// Distinct events.
    pub events: u64,
}

/// Width of a timeline bucket.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Interval {
    /// One day.
    Day,
    /// A week starting on Monday.
    Week,
    /// A calendar month.
    Month,
    /// A calendar year.
    Year,
}

impl Interval {
    /// The SQL expression for the first day of the bucket of `e.date`.
    pub(crate) fn sql(self) -> &'static str {
        match self {
            Interval::Day => "date(e.date)",
            Interval::Week => "date(e.date, '-6 days', 'weekday 1')",
            Interval::Month => "date(e.date, 'start of month')",
            Interval::Year => "date(e.date, 'start of year')",
        }
    }

    /// Parses `day`, `week`, `month` or `year`.
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "day" => Interval::Day,
            "week" => Interval::Week,
            "month" => Interval::Month,
            "year" => Interval::Year,
            _ => return None,
        })
    }
}

/// A column events can be counted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Facet {
    /// PLOVER category.
    EventType,
    /// ISO country code of the location.
    Country,
    /// Modality (asserted, reported, …).
    Modality,
}

/// Browsing queries over a store: aggregates for maps, timelines and lists.
pub trait Browse: Store {
    /// Events matching a filter within a scope, newest first.
    fn events_in(&self, f: &EventFilter, scope: &Scope) -> Result<Vec<StoredEvent>, StoreError>;
    /// Like [`Browse::events_in`], but each record as its stored JSON text, with its mention
    /// count (for servers that pass records through without parsing them).
    fn events_raw(&self, f: &EventFilter, scope: &Scope) -> Result<Vec<(String, u64)>, StoreError>;
    /// How many events match a filter within a scope (limit and offset ignored).
    fn count_events(&self, f: &EventFilter, scope: &Scope) -> Result<u64, StoreError>;
    /// Places with their event counts, most events first.
    fn places(
        &self,
        f: &EventFilter,
        limit: usize,
        offset: usize,
    ) -> Result<Vec<PlaceCount>, StoreError>;
    /// One place by key, with its event counts under the filter.
    fn place(&self, f: &EventFilter, key: &str) -> Result<Option<PlaceCount>, StoreError>;
    /// Participants with their event counts, most events first.
    fn entities(
        &self,
        f: &EventFilter,
        limit: usize,
        offset: usize,
    ) -> Result<Vec<EntityCount>, StoreError>;
    /// One participant by key, with its event counts under the filter.
    fn entity(&self, f: &EventFilter, key: &str) -> Result<Option<EntityCount>, StoreError>;
    /// Located events grouped by place and category, largest first, at most `limit` points.
    fn map_points(
        &self,
        f: &EventFilter,
        scope: &Scope,
        limit: usize,
    ) -> Result<Vec<MapPoint>, StoreError>;
    /// Events per bucket and category, oldest first.
    fn timeline(
        &self,
        f: &EventFilter,
        scope: &Scope,
        interval: Interval,
    ) -> Result<Vec<Bucket>, StoreError>;
    /// The first and last event date matching a filter within a scope.
    fn date_range(
        &self,
        f: &EventFilter,
        scope: &Scope,
    ) -> Result<Option<(String, String)>, StoreError>;
    /// The dates of the events at the `lo` and `hi` quantiles (0.0–1.0) of the dated events
    /// matching a filter within a scope, and how many dated events there are: the range a
    /// timeline draws without a stray far-past or far-future date stretching it.
    fn date_span(
        &self,
        f: &EventFilter,
        scope: &Scope,
        lo: f64,
        hi: f64,
    ) -> Result<Option<(String, String, u64)>, StoreError>;
    /// The first and last publication date of the stored documents.
    fn publication_range(&self) -> Result<Option<(String, String)>, StoreError>;
    /// Event counts by a column, largest first.
    fn facet(&self, f: &EventFilter, by: Facet) -> Result<Vec<(String, u64)>, StoreError>;
}

/// `WHERE …` for a filter and a scope; parameters appended to `args`.
pub(crate) fn where_sql(f: &EventFilter, scope: &Scope, args: &mut Vec<V>) -> String {
    let mut sql = String::from(" WHERE 1=1");
    filter_clauses(f, &mut sql, args);
    match scope {
        Scope::All => {}
        Scope::Place(k) => {
            args.push(V::Text(k.clone()));
            sql.push_str(&format!(" AND e.geokey = ?{}", args.len()));
        }
        Scope::Entity(k) => {
            // actor_keys is a JSON array of strings: match the quoted key exactly
            args.push(V::Text(
                serde_json::to_string(k).unwrap_or_else(|_| format!("\"{k}\"")),
            ));
            sql.push_str(&format!(" AND instr(e.actor_keys, ?{}) > 0", args.len()));
        }
    }
    sql
}

fn limit_offset(sql: &mut String, args: &mut Vec<V>, limit: usize, offset: usize) {
    args.push(V::Integer(crate::sql_count(limit.max(1))));
    args.push(V::Integer(crate::sql_count(offset)));
    sql.push_str(&format!(
        " LIMIT ?{} OFFSET ?{}",
        args.len() - 1,
        args.len()
    ));
}

/// The names and precision of a stored record's location (its JSON), for lists and maps.
#[derive(Default)]
pub(crate) struct LocationNames {
    pub(crate) name_en: Option<String>,
    pub(crate) name_ar: Option<String>,
    pub(crate) precision: Option<String>,
}

pub(crate) fn location_names(json: Option<String>) -> LocationNames {
    match json.and_then(|l| serde_json::from_str::<Location>(&l).ok()) {
        Some(l) => LocationNames {
            name_en: Some(l.name_en),
            name_ar: Some(l.name_ar),
            precision: Some(l.precision.as_str().to_string()),
        },
        None => LocationNames::default(),
    }
}

impl SqliteStore {
    fn place_rows(
        &self,
        f: &EventFilter,
        key: Option<&str>,
        limit: usize,
        offset: usize,
    ) -> Result<Vec<PlaceCount>, StoreError> {
        let mut args = Vec::new();
        let scope = key.map_or(Scope::All, |k| Scope::Place(k.to_string()));
        let mut inner = format!(
            "SELECT e.geokey AS k, count(*) AS n, sum(e.mentions) AS m, min(e.rowid) AS r FROM events e{} AND e.geokey <> '' GROUP BY e.geokey ORDER BY n DESC, k",
            where_sql(f, &scope, &mut args)
        );
        limit_offset(&mut inner, &mut args, limit, offset);
        let sql = format!(
            "SELECT g.k, g.n, g.m, x.geonameid, x.country, x.admin1, x.lat, x.lon, json_extract(x.record, '$.location') FROM ({inner}) g JOIN events x ON x.rowid = g.r ORDER BY g.n DESC, g.k"
        );
        let mut st = self.connection().prepare_cached(&sql)?;
        let rows = st.query_map(rusqlite::params_from_iter(args), |r| {
            Ok((
                PlaceCount {
                    key: r.get(0)?,
                    events: r.get::<_, i64>(1)? as u64,
                    mentions: r.get::<_, i64>(2)? as u64,
                    geonameid: r.get(3)?,
                    country: r.get(4)?,
                    admin1: r.get(5)?,
                    lat: r.get(6)?,
                    lon: r.get(7)?,
                    name_en: None,
                    name_ar: None,
                    precision: None,
                },
                r.get::<_, Option<String>>(8)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (mut p, loc) = row?;
            let names = location_names(loc);
            (p.name_en, p.name_ar, p.precision) = (names.name_en, names.name_ar, names.precision);
            out.push(p);
        }
        Ok(out)
    }

    fn entity_rows(
        &self,
        f: &EventFilter,
        key: Option<&str>,
        limit: usize,
        offset: usize,
    ) -> Result<Vec<EntityCount>, StoreError> {
        let mut args = Vec::new();
        let scope = key.map_or(Scope::All, |k| Scope::Entity(k.to_string()));
        let mut inner = format!(
            "SELECT j.value AS k, count(*) AS n, sum(e.mentions) AS m, min(e.rowid) AS r FROM events e, json_each(e.actor_keys) j{}",
            where_sql(f, &scope, &mut args)
        );
        if let Some(k) = key {
            args.push(V::Text(k.to_string()));
            inner.push_str(&format!(" AND j.value = ?{}", args.len()));
        }
        inner.push_str(" GROUP BY j.value ORDER BY n DESC, k");
        limit_offset(&mut inner, &mut args, limit, offset);
        let sql = format!(
            "SELECT g.k, g.n, g.m, x.record FROM ({inner}) g JOIN events x ON x.rowid = g.r ORDER BY g.n DESC, g.k"
        );
        let mut st = self.connection().prepare_cached(&sql)?;
        let rows = st.query_map(rusqlite::params_from_iter(args), |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, i64>(2)?,
                r.get::<_, String>(3)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (key, n, m, record) = row?;
            let record = decode_record(&record)?;
            let who = record.participants().find(|p| participant_key(p) == key);
            out.push(EntityCount {
                text: who.map(|p| p.text.clone()),
                name_en: who.and_then(|p| p.name_en.clone()),
                entity_id: who.and_then(|p| p.entity_id.clone()),
                country: who.and_then(|p| p.country.clone()),
                role: who.and_then(|p| p.role.clone()),
                key,
                events: n as u64,
                mentions: m as u64,
            });
        }
        Ok(out)
    }
}

impl Browse for SqliteStore {
    fn events_in(&self, f: &EventFilter, scope: &Scope) -> Result<Vec<StoredEvent>, StoreError> {
        self.events_raw(f, scope)?
            .into_iter()
            .map(|(rec, mentions)| {
                Ok(StoredEvent {
                    record: decode_record(&rec)?,
                    mentions,
                })
            })
            .collect()
    }

    fn events_raw(&self, f: &EventFilter, scope: &Scope) -> Result<Vec<(String, u64)>, StoreError> {
        let mut args = Vec::new();
        let mut sql = format!(
            "SELECT e.record, e.mentions, e.rowid FROM events e{} ORDER BY e.date DESC, e.rowid DESC",
            where_sql(f, scope, &mut args)
        );
        limit_offset(&mut sql, &mut args, f.limit, f.offset);
        let mut st = self.connection().prepare_cached(&sql)?;
        let rows = st.query_map(rusqlite::params_from_iter(args), |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, i64>(1)? as u64,
                r.get::<_, i64>(2)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (rec, mentions, rowid) = row?;
            let sources = sources_of(self.connection(), rowid)?;
            out.push((with_sources(rec, &sources)?, mentions));
        }
        Ok(out)
    }

    fn count_events(&self, f: &EventFilter, scope: &Scope) -> Result<u64, StoreError> {
        let mut args = Vec::new();
        let sql = format!(
            "SELECT count(*) FROM events e{}",
            where_sql(f, scope, &mut args)
        );
        let n: i64 = self
            .connection()
            .prepare_cached(&sql)?
            .query_row(rusqlite::params_from_iter(args), |r| r.get(0))?;
        Ok(n as u64)
    }

    fn places(
        &self,
        f: &EventFilter,
        limit: usize,
        offset: usize,
    ) -> Result<Vec<PlaceCount>, StoreError> {
        self.place_rows(f, None, limit, offset)
    }

    fn place(&self, f: &EventFilter, key: &str) -> Result<Option<PlaceCount>, StoreError> {
        Ok(self.place_rows(f, Some(key), 1, 0)?.into_iter().next())
    }

    fn entities(
        &self,
        f: &EventFilter,
        limit: usize,
        offset: usize,
    ) -> Result<Vec<EntityCount>, StoreError> {
        self.entity_rows(f, None, limit, offset)
    }

    fn entity(&self, f: &EventFilter, key: &str) -> Result<Option<EntityCount>, StoreError> {
        Ok(self.entity_rows(f, Some(key), 1, 0)?.into_iter().next())
    }

    fn map_points(
        &self,
        f: &EventFilter,
        scope: &Scope,
        limit: usize,
    ) -> Result<Vec<MapPoint>, StoreError> {
        let mut args = Vec::new();
        let mut inner = format!(
            "SELECT e.geokey AS k, e.event_type AS t, count(*) AS n, sum(e.mentions) AS m, min(e.rowid) AS r FROM events e{} AND e.lat IS NOT NULL AND e.lon IS NOT NULL GROUP BY e.geokey, e.event_type ORDER BY n DESC, k, t",
            where_sql(f, scope, &mut args)
        );
        limit_offset(&mut inner, &mut args, limit, 0);
        let sql = format!(
            "SELECT g.k, g.t, x.lat, x.lon, json_extract(x.record, '$.location'), g.n, g.m FROM ({inner}) g JOIN events x ON x.rowid = g.r ORDER BY g.n DESC, g.k, g.t"
        );
        let mut st = self.connection().prepare_cached(&sql)?;
        let rows = st.query_map(rusqlite::params_from_iter(args), |r| {
            let names = location_names(r.get(4)?);
            Ok(MapPoint {
                key: r.get(0)?,
                event_type: r.get(1)?,
                lat: r.get(2)?,
                lon: r.get(3)?,
                name_en: names.name_en,
                name_ar: names.name_ar,
                events: r.get::<_, i64>(5)? as u64,
                mentions: r.get::<_, i64>(6)? as u64,
                precision: names.precision,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn timeline(
        &self,
        f: &EventFilter,
        scope: &Scope,
        interval: Interval,
    ) -> Result<Vec<Bucket>, StoreError> {
        let mut args = Vec::new();
        let sql = format!(
            "SELECT b, t, n FROM (SELECT {} AS b, e.event_type AS t, count(*) AS n FROM events e{} AND e.date IS NOT NULL GROUP BY b, t) WHERE b IS NOT NULL ORDER BY b, t",
            interval.sql(),
            where_sql(f, scope, &mut args)
        );
        let mut st = self.connection().prepare_cached(&sql)?;
        let rows = st.query_map(rusqlite::params_from_iter(args), |r| {
            Ok(Bucket {
                start: r.get(0)?,
                event_type: r.get(1)?,
                events: r.get::<_, i64>(2)? as u64,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn date_range(
        &self,
        f: &EventFilter,
        scope: &Scope,
    ) -> Result<Option<(String, String)>, StoreError> {
        let mut args = Vec::new();
        let sql = format!(
            "SELECT min(date(e.date)), max(date(e.date)) FROM events e{} AND e.date IS NOT NULL",
            where_sql(f, scope, &mut args)
        );
        let (a, b): (Option<String>, Option<String>) = self
            .connection()
            .prepare_cached(&sql)?
            .query_row(rusqlite::params_from_iter(args), |r| {
                Ok((r.get(0)?, r.get(1)?))
            })?;
        Ok(a.zip(b))
    }

    fn date_span(
        &self,
        f: &EventFilter,
        scope: &Scope,
        lo: f64,
        hi: f64,
    ) -> Result<Option<(String, String, u64)>, StoreError> {
        let mut args = Vec::new();
        let from = format!(
            "FROM events e{} AND e.date IS NOT NULL",
            where_sql(f, scope, &mut args)
        );
        let n: i64 = self
            .connection()
            .prepare_cached(&format!("SELECT count(*) {from}"))?
            .query_row(rusqlite::params_from_iter(args.iter()), |r| r.get(0))?;
        if n <= 0 {
            return Ok(None);
        }
        let at = |q: f64| -> Result<Option<String>, StoreError> {
            // the date of the event with this rank in date order
            let k = ((n as f64 * q.clamp(0.0, 1.0)).ceil() as i64 - 1).clamp(0, n - 1);
            let mut a = args.clone();
            a.push(V::Integer(k));
            Ok(self
                .connection()
                .prepare_cached(&format!(
                    "SELECT date(e.date) {from} ORDER BY e.date LIMIT 1 OFFSET ?{}",
                    a.len()
                ))?
                .query_row(rusqlite::params_from_iter(a), |r| r.get(0))
                .optional()?
                .flatten())
        };
        Ok(match (at(lo)?, at(hi)?) {
            (Some(a), Some(b)) => Some((a, b, n as u64)),
            _ => None,
        })
    }

    fn publication_range(&self) -> Result<Option<(String, String)>, StoreError> {
        let (a, b): (Option<String>, Option<String>) = self
            .connection()
            .prepare_cached(
                "SELECT min(date(date)), max(date(date)) FROM documents WHERE date IS NOT NULL",
            )?
            .query_row([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(a.zip(b))
    }

    fn facet(&self, f: &EventFilter, by: Facet) -> Result<Vec<(String, u64)>, StoreError> {
        let col = match by {
            Facet::EventType => "e.event_type",
            Facet::Country => "e.country",
            Facet::Modality => "e.modality",
        };
        let mut args = Vec::new();
        let sql = format!(
            "SELECT {col} AS v, count(*) AS n FROM events e{} AND {col} IS NOT NULL GROUP BY v ORDER BY n DESC, v",
            where_sql(f, &Scope::All, &mut args)
        );
        let mut st = self.connection().prepare_cached(&sql)?;
        let rows = st.query_map(rusqlite::params_from_iter(args), |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)? as u64))
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::NewDocument;
    use serde_json::json;

    #[allow(clippy::too_many_arguments)]
    fn ev(
        id: &str,
        ty: &str,
        date: &str,
        g: i64,
        name: &str,
        lat: f64,
        lon: f64,
        actor: &str,
    ) -> marsad_record::Event {
        marsad_record::testing::event(json!({"id": id, "event_type": ty, "modality": "asserted",
               "location": {"geonameid": g, "name_en": name, "name_ar": "مكان", "country": "SY", "admin1": "Idlib", "lat": lat, "lon": lon, "precision": "exact"},
               "date": {"value": date, "precision": "day"},
               "actors": [{"text": actor, "role": "military"}], "recipients": [{"text": "المدنيين", "entity_id": "civ"}]}))
    }

    fn store() -> SqliteStore {
        let mut s = SqliteStore::open_in_memory().unwrap();
        let docs = [
            (
                "a",
                "قصف الجيش بلدة سراقب بالمدفعية",
                vec![ev(
                    "e1",
                    "ASSAULT",
                    "2018-03-05",
                    1,
                    "Saraqib",
                    35.86,
                    36.8,
                    "الجيش",
                )],
            ),
            (
                "b",
                "تظاهر المئات في إدلب ضد القصف",
                vec![ev(
                    "e2",
                    "PROTEST",
                    "2018-03-07",
                    2,
                    "Idlib",
                    35.93,
                    36.63,
                    "المتظاهرون",
                )],
            ),
            (
                "c",
                "غارة على إدلب بعد شهر أسفرت عن قتلى",
                vec![ev(
                    "e3",
                    "ASSAULT",
                    "2018-04-20",
                    2,
                    "Idlib",
                    35.93,
                    36.63,
                    "الجيش",
                )],
            ),
        ];
        let docs: Vec<NewDocument> = docs
            .into_iter()
            .map(|(id, text, events)| NewDocument {
                events,
                ..NewDocument::from_text(id, text)
            })
            .collect();
        s.write_batch(&docs).unwrap();
        s
    }

    fn all() -> EventFilter {
        EventFilter {
            limit: 100,
            ..Default::default()
        }
    }

    #[test]
    fn places_count_events_and_carry_names() {
        let s = store();
        let p = s.places(&all(), 10, 0).unwrap();
        assert_eq!(p.len(), 2);
        assert_eq!((p[0].key.as_str(), p[0].events), ("g2", 2));
        assert_eq!(p[0].name_en.as_deref(), Some("Idlib"));
        assert_eq!(p[0].precision.as_deref(), Some("exact"));
        assert_eq!(s.places(&all(), 10, 1).unwrap().len(), 1);
        assert_eq!(s.place(&all(), "g1").unwrap().unwrap().events, 1);
        assert!(s.place(&all(), "g9").unwrap().is_none());
    }

    #[test]
    fn entities_group_by_key_with_names() {
        let s = store();
        let e = s.entities(&all(), 10, 0).unwrap();
        assert_eq!((e[0].key.as_str(), e[0].events), ("civ", 3));
        let army = marsad_text::normalize::key("الجيش");
        let a = s.entity(&all(), &army).unwrap().unwrap();
        assert_eq!((a.events, a.text.as_deref()), (2, Some("الجيش")));
        assert_eq!(a.role.as_deref(), Some("military"));
        let evs = s.events_in(&all(), &Scope::Entity(army.clone())).unwrap();
        assert_eq!(evs.len(), 2);
        assert_eq!(s.count_events(&all(), &Scope::Entity(army)).unwrap(), 2);
    }

    #[test]
    fn map_points_split_place_by_category() {
        let s = store();
        let pts = s.map_points(&all(), &Scope::All, 100).unwrap();
        assert_eq!(pts.len(), 3);
        let f = EventFilter {
            event_type: Some("assault".into()),
            ..all()
        };
        let pts = s.map_points(&f, &Scope::Place("g2".into()), 100).unwrap();
        assert_eq!(pts.len(), 1);
        assert_eq!(
            (pts[0].events, pts[0].name_en.as_deref()),
            (1, Some("Idlib"))
        );
    }

    #[test]
    fn timeline_buckets_by_interval() {
        let s = store();
        let t = s.timeline(&all(), &Scope::All, Interval::Month).unwrap();
        let got: Vec<(&str, &str, u64)> = t
            .iter()
            .map(|b| (b.start.as_str(), b.event_type.as_str(), b.events))
            .collect();
        assert_eq!(
            got,
            [
                ("2018-03-01", "ASSAULT", 1),
                ("2018-03-01", "PROTEST", 1),
                ("2018-04-01", "ASSAULT", 1)
            ]
        );
        let w = s.timeline(&all(), &Scope::All, Interval::Week).unwrap();
        assert_eq!(w[0].start, "2018-03-05"); // a Monday stays itself
        assert_eq!(
            s.date_range(&all(), &Scope::All).unwrap(),
            Some(("2018-03-05".into(), "2018-04-20".into()))
        );
        let none = EventFilter {
            country: Some("EG".into()),
            ..all()
        };
        assert_eq!(s.date_range(&none, &Scope::All).unwrap(), None);
        assert_eq!(s.date_span(&none, &Scope::All, 0.01, 0.99).unwrap(), None);
        // three events: the quantiles are the first and the last; the median the middle one
        let span = s.date_span(&all(), &Scope::All, 0.01, 0.99).unwrap();
        assert_eq!(span, Some(("2018-03-05".into(), "2018-04-20".into(), 3)));
        let mid = s.date_span(&all(), &Scope::All, 0.5, 0.5).unwrap().unwrap();
        assert_eq!(mid.0, mid.1);
        // the documents here carry no publication date
        assert_eq!(s.publication_range().unwrap(), None);
    }

    #[test]
    fn facets_count_by_column() {
        let s = store();
        assert_eq!(
            s.facet(&all(), Facet::EventType).unwrap(),
            [("ASSAULT".to_string(), 2), ("PROTEST".to_string(), 1)]
        );
        assert_eq!(
            s.facet(&all(), Facet::Country).unwrap(),
            [("SY".to_string(), 3)]
        );
    }
}
