//! The server's reads ([`Browse`], [`Reader`]) for PostgreSQL: the same queries as the SQLite
//! store's, in PostgreSQL's SQL, answering the same rows in the same order (text keys are
//! ordered bytewise, `COLLATE "C"`, as SQLite orders them).

use super::query::{filter_clauses, Arg};
use super::{page_sql, sources_of, PgStore};
use crate::browse::{location_names, LocationNames};
use crate::indicators::{
    indicator_scope, series, IndicatorQuery, IndicatorRow, Series, PLACE_KEY_SQL,
};
use crate::sqlite::{decode_record, participant_key};
use crate::{
    AggregateRow, Browse, Bucket, EntityCount, EventFilter, Facet, Group, Interval, MapPoint,
    Mention, PlaceCount, Reader, Scope, StoreError, StoredEvent,
};
use chrono::NaiveDate;
use tokio_postgres::types::ToSql;
use tokio_postgres::Row;

/// The first day of the bucket of `e.date` (a `YYYY-MM-DD` text), as `YYYY-MM-DD`.
fn bucket_sql(i: Interval) -> &'static str {
    match i {
        Interval::Day => "to_char(e.date::date, 'YYYY-MM-DD')",
        Interval::Week => "to_char(date_trunc('week', e.date::date), 'YYYY-MM-DD')",
        Interval::Month => "to_char(date_trunc('month', e.date::date), 'YYYY-MM-DD')",
        Interval::Year => "to_char(date_trunc('year', e.date::date), 'YYYY-MM-DD')",
    }
}

/// The killed count of a stored record unless its toll is marked as an aggregate.
const FATALITIES_SQL: &str = "CASE WHEN coalesce((e.record->'counts'->>'aggregate')::boolean, false) THEN 0 ELSE coalesce((e.record->'counts'->'killed'->>'value')::bigint, 0) END";

/// ` WHERE …` for a filter and a scope over `events e`; parameters appended to `args`.
fn where_sql(f: &EventFilter, scope: &Scope, args: &mut Vec<Arg>) -> String {
    let mut sql = String::from(" WHERE true");
    filter_clauses(f, &mut sql, args);
    match scope {
        Scope::All => {}
        Scope::Place(k) => {
            args.push(Box::new(k.clone()));
            sql.push_str(&format!(" AND e.geokey = ${}", args.len()));
        }
        Scope::Entity(k) => {
            // actor_keys is a JSON array of strings: match the quoted key exactly
            args.push(Box::new(
                serde_json::to_string(k).unwrap_or_else(|_| format!("\"{k}\"")),
            ));
            sql.push_str(&format!(" AND strpos(e.actor_keys, ${}) > 0", args.len()));
        }
    }
    sql
}

fn limit_offset(sql: &mut String, args: &mut Vec<Arg>, limit: usize, offset: usize) {
    args.push(Box::new(crate::sql_count(limit.max(1))));
    args.push(Box::new(crate::sql_count(offset)));
    sql.push_str(&format!(
        " LIMIT ${} OFFSET ${}",
        args.len() - 1,
        args.len()
    ));
}

fn count(r: &Row, i: usize) -> u64 {
    r.get::<_, i64>(i).max(0) as u64
}

impl PgStore {
    /// Runs one prepared statement with `args` and gives its rows.
    fn rows(&self, sql: &str, args: &[Arg]) -> Result<Vec<Row>, StoreError> {
        self.block(async {
            let c = self.pool.get().await?;
            let st = c.prepare_cached(sql).await?;
            let params: Vec<&(dyn ToSql + Sync)> = args.iter().map(|a| a.as_ref() as _).collect();
            Ok(c.query(&st, &params).await?)
        })
    }

    fn events_scoped(
        &self,
        f: &EventFilter,
        scope: &Scope,
    ) -> Result<Vec<StoredEvent>, StoreError> {
        let mut args = Vec::new();
        let filter = where_sql(f, scope, &mut args);
        args.push(Box::new(crate::sql_count(f.limit.max(1))));
        args.push(Box::new(crate::sql_count(f.offset)));
        let sql = page_sql(&filter, args.len() - 1, args.len());
        self.block(async {
            let c = self.pool.get().await?;
            let st = c.prepare_cached(&sql).await?;
            let params: Vec<&(dyn ToSql + Sync)> = args.iter().map(|a| a.as_ref() as _).collect();
            let rows = c.query(&st, &params).await?;
            self.stored_events(&c, &rows).await
        })
    }

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
            "SELECT e.geokey AS k, count(*) AS n, sum(e.mentions)::bigint AS m, min(e.seq) AS r FROM events e{} AND e.geokey <> '' GROUP BY e.geokey ORDER BY n DESC, e.geokey COLLATE \"C\"",
            where_sql(f, &scope, &mut args)
        );
        limit_offset(&mut inner, &mut args, limit, offset);
        let sql = format!(
            "SELECT g.k, g.n, g.m, x.geonameid, x.country, x.admin1, x.lat, x.lon, (x.record->'location')::text FROM ({inner}) g JOIN events x ON x.seq = g.r ORDER BY g.n DESC, g.k COLLATE \"C\""
        );
        Ok(self
            .rows(&sql, &args)?
            .iter()
            .map(|r| {
                let LocationNames {
                    name_en,
                    name_ar,
                    precision,
                } = location_names(r.get(8));
                PlaceCount {
                    key: r.get(0),
                    events: count(r, 1),
                    mentions: count(r, 2),
                    geonameid: r.get(3),
                    country: r.get(4),
                    admin1: r.get(5),
                    lat: r.get(6),
                    lon: r.get(7),
                    name_en,
                    name_ar,
                    precision,
                }
            })
            .collect())
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
            "SELECT j.value AS k, count(*) AS n, sum(e.mentions)::bigint AS m, min(e.seq) AS r FROM events e CROSS JOIN LATERAL jsonb_array_elements_text(e.actor_keys::jsonb) AS j(value){}",
            where_sql(f, &scope, &mut args)
        );
        if let Some(k) = key {
            args.push(Box::new(k.to_string()));
            inner.push_str(&format!(" AND j.value = ${}", args.len()));
        }
        inner.push_str(" GROUP BY j.value ORDER BY n DESC, j.value COLLATE \"C\"");
        limit_offset(&mut inner, &mut args, limit, offset);
        let sql = format!(
            "SELECT g.k, g.n, g.m, x.record::text FROM ({inner}) g JOIN events x ON x.seq = g.r ORDER BY g.n DESC, g.k COLLATE \"C\""
        );
        let mut out = Vec::new();
        for r in self.rows(&sql, &args)? {
            let key: String = r.get(0);
            let record = decode_record(r.get(3))?;
            let who = record.participants().find(|p| participant_key(p) == key);
            out.push(EntityCount {
                text: who.map(|p| p.text.clone()),
                name_en: who.and_then(|p| p.name_en.clone()),
                entity_id: who.and_then(|p| p.entity_id.clone()),
                country: who.and_then(|p| p.country.clone()),
                role: who.and_then(|p| p.role.clone()),
                key,
                events: count(&r, 1),
                mentions: count(&r, 2),
            });
        }
        Ok(out)
    }
}

impl Browse for PgStore {
    fn events_in(&self, f: &EventFilter, scope: &Scope) -> Result<Vec<StoredEvent>, StoreError> {
        self.events_scoped(f, scope)
    }

    fn events_raw(&self, f: &EventFilter, scope: &Scope) -> Result<Vec<(String, u64)>, StoreError> {
        // jsonb keeps its own key order: the record is written again in the record's order
        self.events_scoped(f, scope)?
            .into_iter()
            .map(|e| Ok((serde_json::to_string(&e.record)?, e.mentions)))
            .collect()
    }

    fn count_events(&self, f: &EventFilter, scope: &Scope) -> Result<u64, StoreError> {
        let mut args = Vec::new();
        let sql = format!(
            "SELECT count(*) FROM events e{}",
            where_sql(f, scope, &mut args)
        );
        Ok(self.rows(&sql, &args)?.first().map_or(0, |r| count(r, 0)))
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
            "SELECT e.geokey AS k, e.event_type AS t, count(*) AS n, sum(e.mentions)::bigint AS m, min(e.seq) AS r FROM events e{} AND e.lat IS NOT NULL AND e.lon IS NOT NULL GROUP BY e.geokey, e.event_type ORDER BY n DESC, e.geokey COLLATE \"C\", e.event_type COLLATE \"C\"",
            where_sql(f, scope, &mut args)
        );
        limit_offset(&mut inner, &mut args, limit, 0);
        let sql = format!(
            "SELECT g.k, g.t, x.lat, x.lon, (x.record->'location')::text, g.n, g.m FROM ({inner}) g JOIN events x ON x.seq = g.r ORDER BY g.n DESC, g.k COLLATE \"C\", g.t COLLATE \"C\""
        );
        Ok(self
            .rows(&sql, &args)?
            .iter()
            .map(|r| {
                let names = location_names(r.get(4));
                MapPoint {
                    key: r.get(0),
                    event_type: r.get(1),
                    lat: r.get(2),
                    lon: r.get(3),
                    name_en: names.name_en,
                    name_ar: names.name_ar,
                    events: count(r, 5),
                    mentions: count(r, 6),
                    precision: names.precision,
                }
            })
            .collect())
    }

    fn timeline(
        &self,
        f: &EventFilter,
        scope: &Scope,
        interval: Interval,
    ) -> Result<Vec<Bucket>, StoreError> {
        let mut args = Vec::new();
        let sql = format!(
            "SELECT b, t, n FROM (SELECT {} AS b, e.event_type AS t, count(*) AS n FROM events e{} AND e.date IS NOT NULL GROUP BY b, t) g WHERE b IS NOT NULL ORDER BY b COLLATE \"C\", t COLLATE \"C\"",
            bucket_sql(interval),
            where_sql(f, scope, &mut args)
        );
        Ok(self
            .rows(&sql, &args)?
            .iter()
            .map(|r| Bucket {
                start: r.get(0),
                event_type: r.get(1),
                events: count(r, 2),
            })
            .collect())
    }

    fn date_range(
        &self,
        f: &EventFilter,
        scope: &Scope,
    ) -> Result<Option<(String, String)>, StoreError> {
        let mut args = Vec::new();
        let sql = format!(
            "SELECT min(e.date), max(e.date) FROM events e{} AND e.date IS NOT NULL",
            where_sql(f, scope, &mut args)
        );
        let rows = self.rows(&sql, &args)?;
        Ok(rows.first().and_then(|r| {
            r.get::<_, Option<String>>(0)
                .zip(r.get::<_, Option<String>>(1))
        }))
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
        let n = self
            .rows(&format!("SELECT count(*) {from}"), &args)?
            .first()
            .map_or(0, |r| r.get::<_, i64>(0));
        if n <= 0 {
            return Ok(None);
        }
        let at = |q: f64| -> Result<Option<String>, StoreError> {
            // the date of the event with this rank in date order
            let k = ((n as f64 * q.clamp(0.0, 1.0)).ceil() as i64 - 1).clamp(0, n - 1);
            let mut a = Vec::new();
            let from = format!(
                "FROM events e{} AND e.date IS NOT NULL",
                where_sql(f, scope, &mut a)
            );
            a.push(Box::new(k));
            let sql = format!(
                "SELECT e.date {from} ORDER BY e.date LIMIT 1 OFFSET ${}",
                a.len()
            );
            Ok(self.rows(&sql, &a)?.first().and_then(|r| r.get(0)))
        };
        Ok(match (at(lo)?, at(hi)?) {
            (Some(a), Some(b)) => Some((a, b, n as u64)),
            _ => None,
        })
    }

    fn publication_range(&self) -> Result<Option<(String, String)>, StoreError> {
        let rows = self.rows(
            "SELECT min(left(date, 10)), max(left(date, 10)) FROM documents WHERE date IS NOT NULL",
            &[],
        )?;
        Ok(rows.first().and_then(|r| {
            r.get::<_, Option<String>>(0)
                .zip(r.get::<_, Option<String>>(1))
        }))
    }

    fn facet(&self, f: &EventFilter, by: Facet) -> Result<Vec<(String, u64)>, StoreError> {
        let col = match by {
            Facet::EventType => "e.event_type",
            Facet::Country => "e.country",
            Facet::Modality => "e.modality",
        };
        let mut args = Vec::new();
        let sql = format!(
            "SELECT {col} AS v, count(*) AS n FROM events e{} AND {col} IS NOT NULL GROUP BY v ORDER BY n DESC, {col} COLLATE \"C\"",
            where_sql(f, &Scope::All, &mut args)
        );
        Ok(self
            .rows(&sql, &args)?
            .iter()
            .map(|r| (r.get(0), count(r, 1)))
            .collect())
    }
}

impl PgStore {
    /// Indicator series of counted, dated events that pass `f`, as the SQLite store computes
    /// them (`SqliteStore::indicators`): the same periods, splits, tolls, outlets and spike
    /// tests.
    pub fn indicators(
        &self,
        f: &EventFilter,
        q: &IndicatorQuery,
    ) -> Result<Vec<Series>, StoreError> {
        let Some((f, starts)) = indicator_scope(f, q, |f| {
            let mut args = Vec::new();
            let filter = where_sql(f, &Scope::All, &mut args);
            let sql = format!("SELECT max(e.date) FROM events e{filter} AND e.date IS NOT NULL");
            let latest: Option<String> = self.rows(&sql, &args)?.first().and_then(|r| r.get(0));
            Ok(latest.and_then(|d| NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok()))
        })?
        else {
            return Ok(Vec::new());
        };
        let mut args = Vec::new();
        let filter = where_sql(&f, &Scope::All, &mut args);
        // weeks for a day interval, as in SQLite
        let period = match q.by {
            Interval::Month => bucket_sql(Interval::Month),
            _ => bucket_sql(Interval::Week),
        };
        let place = PLACE_KEY_SQL;
        let (actor, actor_from) = if q.dims.actor {
            (
                "coalesce(a.value->>'entity_id', a.value->>'name_en', a.value->>'text', '')",
                " CROSS JOIN LATERAL jsonb_array_elements(CASE WHEN jsonb_typeof(e.record->'actors') = 'array' THEN e.record->'actors' ELSE '[]'::jsonb END) AS a(value)",
            )
        } else {
            ("''", "")
        };
        let sql = format!(
            "SELECT {period}, e.event_type, {place}, {actor}, e.seq, {FATALITIES_SQL}, coalesce(d.outlet, d.url, '') \
             FROM events e{actor_from} LEFT JOIN event_mentions m ON m.event = e.seq LEFT JOIN documents d ON d.seq = m.doc{filter} AND e.date IS NOT NULL"
        );
        let rows = self.rows(&sql, &args)?;
        Ok(series(
            rows.iter().map(|r| IndicatorRow {
                period: r.get(0),
                event_type: r.get(1),
                place: r.get(2),
                actor: r.get(3),
                event: r.get(4),
                fatalities: r.get(5),
                outlet: r.get(6),
            }),
            q,
            &starts,
        ))
    }
}

impl Reader for PgStore {
    fn event_page(
        &self,
        id: &str,
        limit: usize,
        offset: usize,
    ) -> Result<Option<(StoredEvent, u64, Vec<Mention>)>, StoreError> {
        self.block(async {
            let c = self.pool.get().await?;
            let st = c
                .prepare_cached("SELECT record::text, mentions, seq FROM events WHERE id = $1")
                .await?;
            let Some(row) = c.query_opt(&st, &[&id]).await? else {
                return Ok(None);
            };
            let seq: i64 = row.get(2);
            let mut record = decode_record(row.get(0))?;
            record.sources = sources_of(&c, seq).await?;
            let st = c
                .prepare_cached(
                    "SELECT d.id, COALESCE(m.record, e.record)::text FROM event_mentions m JOIN events e ON e.seq = m.event JOIN documents d ON d.seq = m.doc WHERE m.event = $1 ORDER BY d.date NULLS FIRST, d.seq, m.mention_id COLLATE \"C\" LIMIT $2 OFFSET $3",
                )
                .await?;
            let mut mentions = Vec::new();
            for r in c
                .query(
                    &st,
                    &[&seq, &crate::sql_count(limit), &crate::sql_count(offset)],
                )
                .await?
            {
                mentions.push(Mention {
                    doc_id: r.get(0),
                    record: decode_record(r.get(1))?,
                });
            }
            let st = c
                .prepare_cached("SELECT count(*) FROM event_mentions WHERE event = $1")
                .await?;
            let total: i64 = c.query_one(&st, &[&seq]).await?.get(0);
            Ok(Some((
                StoredEvent {
                    record,
                    mentions: row.get::<_, i64>(1).max(0) as u64,
                },
                total.max(0) as u64,
                mentions,
            )))
        })
    }

    fn event_mention(&self, event_id: &str, doc_id: &str) -> Result<Option<Mention>, StoreError> {
        let rows = self.rows(
            "SELECT COALESCE(m.record, e.record)::text FROM event_mentions m JOIN events e ON e.seq = m.event JOIN documents d ON d.seq = m.doc WHERE e.id = $1 AND d.id = $2 LIMIT 1",
            &[Box::new(event_id.to_string()), Box::new(doc_id.to_string())],
        )?;
        rows.first()
            .map(|r| {
                Ok(Mention {
                    doc_id: doc_id.to_string(),
                    record: decode_record(r.get(0))?,
                })
            })
            .transpose()
    }

    fn document_text(&self, id: &str) -> Result<Option<String>, StoreError> {
        PgStore::document_text(self, id)
    }

    fn aggregates(
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
        let mut args = Vec::new();
        let filter = where_sql(&f, scope, &mut args);
        let (key, from) = match group {
            Group::Type => ("e.event_type", ""),
            Group::Country => ("coalesce(e.country, '')", ""),
            Group::Admin1 => (
                "CASE WHEN e.admin1 IS NULL THEN '' ELSE coalesce(e.country, '') || '/' || e.admin1 END",
                "",
            ),
            Group::Actor => (
                "coalesce(a.value->>'entity_id', a.value->>'name_en', a.value->>'text', '')",
                " CROSS JOIN LATERAL jsonb_array_elements(CASE WHEN jsonb_typeof(e.record->'actors') = 'array' THEN e.record->'actors' ELSE '[]'::jsonb END) AS a(value)",
            ),
        };
        let sql = format!(
            "SELECT p, k, count(*), sum(f)::bigint FROM (SELECT {} AS p, {key} AS k, {FATALITIES_SQL} AS f FROM events e{from}{filter} AND e.date IS NOT NULL) g WHERE p IS NOT NULL GROUP BY p, k ORDER BY p COLLATE \"C\", k COLLATE \"C\"",
            bucket_sql(by)
        );
        Ok(self
            .rows(&sql, &args)?
            .iter()
            .map(|r| AggregateRow {
                period: r.get(0),
                key: r.get(1),
                events: count(r, 2),
                fatalities: r.get::<_, Option<i64>>(3).unwrap_or(0).max(0) as u64,
            })
            .collect())
    }

    fn indicators(&self, f: &EventFilter, q: &IndicatorQuery) -> Result<Vec<Series>, StoreError> {
        PgStore::indicators(self, f, q)
    }
}
