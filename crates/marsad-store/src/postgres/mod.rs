//! The shared store: PostgreSQL behind the same [`Store`] trait, for a team that outgrows one
//! machine (several writers and readers on one database).
//!
//! The driver is `tokio-postgres` with a `deadpool-postgres` pool, not the synchronous
//! `postgres` crate: the later milestones (queue workers, `serve` on axum) are async and want the
//! pool as it is. The [`Store`] trait is synchronous, so a [`PgStore`] owns a small runtime (one
//! worker thread, which also drives the connections) and blocks on it in each call; it must
//! therefore not be called from inside another tokio runtime.
//!
//! Every statement with a value is a prepared statement (cached per connection); only the
//! migrations' DDL, which has no values, is sent as a simple query. Connections are plain TCP or
//! Unix sockets unless the URL says `sslmode=require`: then TLS (rustls), encrypted with no
//! check of the server's certificate, as libpq's `require` (see `tls.rs`); `prefer`, the
//! driver's default, connects without TLS.

mod browse;
mod migrations;
mod query;
mod queue;
mod tls;
mod write;

pub use queue::{Claimed, ClaimedItem, Phase, QueueCounts, QueuedItem};

use crate::redact_url;
use crate::sqlite::{decode_record, known};
use crate::{
    BatchSummary, EventFilter, Mention, NewDocument, Reject, RejectKind, SearchHit, Stats, Store,
    StoreError, StoredDocument, StoredEvent,
};
use deadpool_postgres::GenericClient;
use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod};
use marsad_record::{is_web_url, url_domain, ArticleSource, Entity, EntityType, Place, Precision};
use migrations::MIGRATIONS;
use query::{filter_clauses, tsquery, Arg};
use std::collections::HashMap;
use std::future::Future;

/// Connections a store keeps at most.
const POOL_SIZE: usize = 4;
/// The advisory lock that serializes migrations (an arbitrary constant: "marsad" in ASCII).
const MIGRATION_LOCK: i64 = 0x6d61_7273_6164;
/// Events read per round trip by [`PgStore::each_event`].
const CURSOR_ROWS: i32 = 500;

/// The PostgreSQL store.
pub struct PgStore {
    rt: tokio::runtime::Runtime,
    pool: Pool,
}

impl PgStore {
    /// Connects to the database at `url` (`postgres://USER@HOST[:PORT]/DB`, or the key=value
    /// form) and runs pending migrations.
    pub fn open(url: &str) -> Result<Self, StoreError> {
        Self::open_pool(url, POOL_SIZE)
    }

    /// Like [`PgStore::open`], with a pool of at most `size` connections (a server answering
    /// many requests at once wants more than the default).
    pub fn open_pool(url: &str, size: usize) -> Result<Self, StoreError> {
        let config: tokio_postgres::Config = url
            .parse()
            .map_err(|e| StoreError::Config(format!("{}: {e}", redact_url(url))))?;
        // one thread drives every connection and is not the limit: serving the event list
        // with 50 clients, two threads gave the same throughput on this project's 2 cores
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("marsad-pg")
            .enable_all()
            .build()
            .map_err(StoreError::Runtime)?;
        let mc = ManagerConfig {
            recycling_method: RecyclingMethod::Fast,
        };
        let manager = match config.get_ssl_mode() {
            tokio_postgres::config::SslMode::Require => {
                Manager::from_config(config, tls::require()?, mc)
            }
            _ => Manager::from_config(config, tokio_postgres::NoTls, mc),
        };
        let pool = Pool::builder(manager)
            .max_size(size.max(1))
            .build()
            .map_err(|e| StoreError::Config(e.to_string()))?;
        let store = PgStore { rt, pool };
        store.block(store.migrate())?;
        Ok(store)
    }

    fn block<T>(&self, f: impl Future<Output = Result<T, StoreError>>) -> Result<T, StoreError> {
        self.rt.block_on(f)
    }

    async fn migrate(&self) -> Result<(), StoreError> {
        let mut client = self.pool.get().await?;
        let tx = client.transaction().await?;
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])
            .await?;
        tx.batch_execute(
            "CREATE TABLE IF NOT EXISTS schema_version (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())",
        )
        .await?;
        let found: i64 = tx
            .query_one(
                "SELECT coalesce(max(version), 0)::bigint FROM schema_version",
                &[],
            )
            .await?
            .get(0);
        let known = MIGRATIONS.len() as i64;
        if found > known {
            return Err(StoreError::TooNew { found, known });
        }
        for (i, sql) in MIGRATIONS.iter().enumerate().skip(found.max(0) as usize) {
            tx.batch_execute(sql).await?;
            tx.execute(
                "INSERT INTO schema_version (version) VALUES ($1)",
                &[&(i as i32 + 1)],
            )
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// The schema version of the database (how many migrations have run).
    pub fn schema_version(&self) -> Result<i64, StoreError> {
        self.block(async {
            let c = self.pool.get().await?;
            let st = c
                .prepare_cached("SELECT coalesce(max(version), 0)::bigint FROM schema_version")
                .await?;
            Ok(c.query_one(&st, &[]).await?.get(0))
        })
    }

    /// Records rejects, as [`Store::record_rejects`] does, through a shared handle.
    pub fn add_rejects(&self, rejects: &[Reject]) -> Result<(), StoreError> {
        if rejects.is_empty() {
            return Ok(());
        }
        self.block(async {
            let mut client = self.pool.get().await?;
            let tx = client.transaction().await?;
            write::write_rejects(&tx, rejects).await?;
            tx.commit().await?;
            Ok(())
        })
    }

    /// The text of stored document `id` alone (without its annotations).
    pub fn document_text(&self, id: &str) -> Result<Option<String>, StoreError> {
        self.block(async {
            let c = self.pool.get().await?;
            let st = c
                .prepare_cached("SELECT text FROM documents WHERE id = $1")
                .await?;
            match c.query_opt(&st, &[&id]).await? {
                Some(r) => Ok(Some(
                    crate::merge::text_unblob(r.get(0)).map_err(StoreError::Text)?,
                )),
                None => Ok(None),
            }
        })
    }

    /// Calls `each` with every event matching `f` (its limit and offset are ignored), newest
    /// first, read through a server-side cursor [`CURSOR_ROWS`] at a time, so that memory stays
    /// flat at any store size; stops at the first error `each` returns. Returns how many events
    /// were read.
    pub fn each_event<E: From<StoreError>>(
        &self,
        f: &EventFilter,
        mut each: impl FnMut(StoredEvent) -> Result<(), E>,
    ) -> Result<u64, E> {
        let mut client = self.block(async { Ok(self.pool.get().await?) })?;
        let tx = self
            .rt
            .block_on(client.transaction())
            .map_err(StoreError::from)?;
        let mut sql =
            String::from("SELECT e.record::text, e.mentions, e.seq FROM events e WHERE true");
        let mut args: Vec<Arg> = Vec::new();
        filter_clauses(f, &mut sql, &mut args);
        sql.push_str(" ORDER BY e.date DESC NULLS LAST, e.seq DESC");
        let portal = self.block(async {
            let st = tx.prepare(&sql).await?;
            Ok(tx
                .bind_raw(
                    &st,
                    args.iter()
                        .map(|a| a.as_ref() as &(dyn tokio_postgres::types::ToSql + Sync)),
                )
                .await?)
        })?;
        let mut n = 0u64;
        loop {
            let rows = self.block(async {
                let rows = tx.query_portal(&portal, CURSOR_ROWS).await?;
                self.stored_events(&tx, &rows).await
            })?;
            let last = rows.len() < CURSOR_ROWS as usize;
            for e in rows {
                each(e)?;
                n += 1;
            }
            if last {
                break;
            }
        }
        Ok(n)
    }

    /// Rows `(record, mentions, seq)` as stored events with their sources, in the rows' order;
    /// the sources of all of them are read in one query.
    async fn stored_events(
        &self,
        c: &impl GenericClient,
        rows: &[tokio_postgres::Row],
    ) -> Result<Vec<StoredEvent>, StoreError> {
        let seqs: Vec<i64> = rows.iter().map(|r| r.get(2)).collect();
        let mut sources = sources_of_all(c, &seqs).await?;
        rows.iter()
            .map(|r| {
                let rec: String = r.get(0);
                let mentions: i64 = r.get(1);
                let mut record = decode_record(&rec)?;
                record.sources = sources.remove(&r.get::<_, i64>(2)).unwrap_or_default();
                Ok(StoredEvent {
                    record,
                    mentions: mentions as u64,
                })
            })
            .collect()
    }
}

/// The SQL of a page of events (`(record, mentions, seq)` rows, newest first) whose `WHERE`
/// clause is `filter` and whose limit and offset are parameters `$limit` and `$offset`. The
/// page's events are found first and only their records read: a record converted to text
/// for every matching event before the sort cost 100-175 ms on 12k events.
fn page_sql(filter: &str, limit: usize, offset: usize) -> String {
    format!(
        "SELECT e.record::text, e.mentions, e.seq FROM events e JOIN (SELECT e.seq FROM events e{filter} ORDER BY e.date DESC NULLS LAST, e.seq DESC LIMIT ${limit} OFFSET ${offset}) p ON p.seq = e.seq ORDER BY e.date DESC NULLS LAST, e.seq DESC"
    )
}

/// The articles that report event `event` (its seq), one per document, earliest first (see
/// the SQLite store's `sources_of`).
async fn sources_of(c: &impl GenericClient, event: i64) -> Result<Vec<ArticleSource>, StoreError> {
    Ok(sources_of_all(c, &[event])
        .await?
        .remove(&event)
        .unwrap_or_default())
}

/// The sources of each of `events` (seqs), as [`sources_of`] gives them, in one query.
async fn sources_of_all(
    c: &impl GenericClient,
    events: &[i64],
) -> Result<HashMap<i64, Vec<ArticleSource>>, StoreError> {
    let mut out: HashMap<i64, Vec<ArticleSource>> = HashMap::new();
    if events.is_empty() {
        return Ok(out);
    }
    let st = c
        .prepare_cached(
            "SELECT m.event, d.id, d.external_id, d.outlet, d.url, d.title, d.date FROM (SELECT DISTINCT event, doc FROM event_mentions WHERE event = ANY($1)) m JOIN documents d ON d.seq = m.doc ORDER BY m.event, d.date NULLS FIRST, d.seq",
        )
        .await?;
    for r in c.query(&st, &[&events]).await? {
        let url: Option<String> = r.get::<_, Option<String>>(4).filter(|u| is_web_url(u));
        let outlet: Option<String> = r.get(3);
        out.entry(r.get(0)).or_default().push(ArticleSource {
            doc_id: r.get(1),
            external_id: r.get(2),
            outlet: outlet.or_else(|| url.as_deref().and_then(url_domain)),
            url,
            title: r.get(5),
            published: r.get(6),
        });
    }
    Ok(out)
}

impl Store for PgStore {
    fn write_batch(&mut self, docs: &[NewDocument]) -> Result<BatchSummary, StoreError> {
        self.block(async {
            let mut client = self.pool.get().await?;
            let tx = client.transaction().await?;
            write::lock_merges(&tx, docs).await?;
            let mut sum = BatchSummary::default();
            for d in docs {
                write::write_doc(&tx, d, &mut sum).await?;
            }
            tx.commit().await?;
            Ok(sum)
        })
    }

    fn record_rejects(&mut self, rejects: &[Reject]) -> Result<(), StoreError> {
        self.add_rejects(rejects)
    }

    fn contains(&self, doc_id: &str) -> Result<bool, StoreError> {
        self.block(async {
            let c = self.pool.get().await?;
            let st = c
                .prepare_cached("SELECT 1 FROM documents WHERE id = $1")
                .await?;
            Ok(c.query_opt(&st, &[&doc_id]).await?.is_some())
        })
    }

    fn search(
        &self,
        query: &str,
        limit: usize,
        offset: usize,
    ) -> Result<Vec<SearchHit>, StoreError> {
        let parsed = crate::SearchQuery::parse(query);
        let Some(keys) = parsed.tsquery() else {
            return Ok(Vec::new());
        };
        let rows = self.block(async {
            let c = self.pool.get().await?;
            let st = c
                .prepare_cached(
                    "SELECT d.id, d.title, d.date, d.text FROM documents d WHERE d.search @@ to_tsquery('simple', $1) ORDER BY d.seq DESC LIMIT $2 OFFSET $3",
                )
                .await?;
            Ok(c.query(
                &st,
                &[&keys, &crate::sql_count(limit), &crate::sql_count(offset)],
            )
            .await?)
        })?;
        rows.iter()
            .map(|r| {
                let text = crate::merge::text_unblob(r.get(3)).map_err(StoreError::Text)?;
                let (snippet, marks) = parsed.snippet(&text);
                Ok(SearchHit {
                    id: r.get(0),
                    title: r.get(1),
                    date: r.get(2),
                    snippet,
                    marks,
                })
            })
            .collect()
    }

    fn search_count(&self, query: &str) -> Result<u64, StoreError> {
        let Some(q) = tsquery(query) else {
            return Ok(0);
        };
        let n: i64 = self.block(async {
            let mut c = self.pool.get().await?;
            // always through the GIN index: the planner costs `@@` as cheap and scans the whole
            // table for a common word, but that detoasts and decompresses every document's
            // tsvector (350-400 ms for a word in 41% of 59k articles), while the index's bitmap
            // needs no recheck (100-140 ms, 0.4 ms for a rare word)
            let tx = c.transaction().await?;
            tx.batch_execute("SET LOCAL enable_seqscan = off").await?;
            let st = tx
                .prepare_cached(
                    "SELECT count(*) FROM documents d WHERE d.search @@ to_tsquery('simple', $1)",
                )
                .await?;
            let n = tx.query_one(&st, &[&q]).await?.get(0);
            tx.commit().await?;
            Ok(n)
        })?;
        Ok(n as u64)
    }

    fn events(&self, f: &EventFilter) -> Result<Vec<StoredEvent>, StoreError> {
        let mut filter = String::from(" WHERE true");
        let mut args: Vec<Arg> = Vec::new();
        filter_clauses(f, &mut filter, &mut args);
        args.push(Box::new(crate::sql_count(f.limit.max(1))));
        args.push(Box::new(crate::sql_count(f.offset)));
        let sql = page_sql(&filter, args.len() - 1, args.len());
        self.block(async {
            let c = self.pool.get().await?;
            let st = c.prepare_cached(&sql).await?;
            let params: Vec<&(dyn tokio_postgres::types::ToSql + Sync)> =
                args.iter().map(|a| a.as_ref() as _).collect();
            let rows = c.query(&st, &params).await?;
            self.stored_events(&c, &rows).await
        })
    }

    fn event(&self, id: &str) -> Result<Option<(StoredEvent, Vec<Mention>)>, StoreError> {
        self.block(async {
            let c = self.pool.get().await?;
            let st = c
                .prepare_cached("SELECT record::text, mentions, seq FROM events WHERE id = $1")
                .await?;
            let Some(row) = c.query_opt(&st, &[&id]).await? else {
                return Ok(None);
            };
            let ev = self
                .stored_events(&c, std::slice::from_ref(&row))
                .await?
                .remove(0);
            let seq: i64 = row.get(2);
            let st = c
                .prepare_cached(
                    "SELECT d.id, COALESCE(m.record, e.record)::text FROM event_mentions m JOIN events e ON e.seq = m.event JOIN documents d ON d.seq = m.doc WHERE m.event = $1 ORDER BY d.date NULLS FIRST, d.seq, m.mention_id COLLATE \"C\"",
                )
                .await?;
            let mut mentions = Vec::new();
            for r in c.query(&st, &[&seq]).await? {
                let rec: String = r.get(1);
                mentions.push(Mention {
                    doc_id: r.get(0),
                    record: decode_record(&rec)?,
                });
            }
            Ok(Some((ev, mentions)))
        })
    }

    fn document(&self, id: &str) -> Result<Option<StoredDocument>, StoreError> {
        self.block(async {
            let c = self.pool.get().await?;
            let st = c
                .prepare_cached(
                    "SELECT seq, id, source, url, title, date, text, story, external_id, outlet FROM documents WHERE id = $1",
                )
                .await?;
            let Some(r) = c.query_opt(&st, &[&id]).await? else {
                return Ok(None);
            };
            let seq: i64 = r.get(0);
            let mut doc = StoredDocument {
                id: r.get(1),
                source: r.get(2),
                external_id: r.get(8),
                outlet: r.get(9),
                url: r.get(3),
                title: r.get(4),
                date: r.get(5),
                text: crate::merge::text_unblob(r.get(6)).map_err(StoreError::Text)?,
                story: r.get(7),
                entities: Vec::new(),
                places: Vec::new(),
                events: Vec::new(),
            };
            let st = c
                .prepare_cached(
                    "SELECT start_byte, end_byte, text, type, entity_id, name_en FROM entities WHERE doc = $1 ORDER BY start_byte",
                )
                .await?;
            for r in c.query(&st, &[&seq]).await? {
                doc.entities.push(Entity {
                    start: r.get::<_, i64>(0) as usize,
                    end: r.get::<_, i64>(1) as usize,
                    text: r.get(2),
                    kind: known("entity type", r.get(3), EntityType::parse)?,
                    entity_id: r.get(4),
                    name_en: r.get(5),
                });
            }
            let st = c
                .prepare_cached(
                    "SELECT start_byte, end_byte, text, geonameid, name_en, name_ar, country, admin1, lat, lon, precision, feature FROM places WHERE doc = $1 ORDER BY start_byte",
                )
                .await?;
            for r in c.query(&st, &[&seq]).await? {
                let precision: Option<String> = r.get(10);
                doc.places.push(Place {
                    start: r.get::<_, i64>(0) as usize,
                    end: r.get::<_, i64>(1) as usize,
                    text: r.get(2),
                    geonameid: r.get::<_, Option<i64>>(3).map(|g| g as u64),
                    name_en: r.get::<_, Option<String>>(4).unwrap_or_default(),
                    name_ar: r.get::<_, Option<String>>(5).unwrap_or_default(),
                    country: r.get::<_, Option<String>>(6).unwrap_or_default(),
                    admin1: r.get(7),
                    lat: r.get::<_, Option<f64>>(8).unwrap_or(f64::NAN),
                    lon: r.get::<_, Option<f64>>(9).unwrap_or(f64::NAN),
                    precision: known(
                        "place precision",
                        precision.unwrap_or_default(),
                        Precision::parse,
                    )?,
                    feature: r.get::<_, Option<String>>(11).unwrap_or_default(),
                });
            }
            let st = c
                .prepare_cached(
                    "SELECT COALESCE(m.record, e.record)::text FROM event_mentions m JOIN events e ON e.seq = m.event WHERE m.doc = $1 ORDER BY m.event, m.mention_id COLLATE \"C\"",
                )
                .await?;
            for r in c.query(&st, &[&seq]).await? {
                let rec: String = r.get(0);
                doc.events.push(decode_record(&rec)?);
            }
            Ok(Some(doc))
        })
    }

    fn stats(&self) -> Result<Stats, StoreError> {
        self.block(async {
            let c = self.pool.get().await?;
            let st = c
                .prepare_cached(
                    "SELECT (SELECT count(*) FROM documents), (SELECT count(DISTINCT story) FROM documents), (SELECT count(*) FROM events), (SELECT count(*) FROM rejects), (SELECT count(*) FROM event_mentions)",
                )
                .await?;
            let r = c.query_one(&st, &[]).await?;
            let n = |i: usize| r.get::<_, i64>(i) as u64;
            Ok(Stats {
                documents: n(0),
                events: n(2),
                stories: n(1),
                duplicates: n(0) - n(1),
                rejected: n(3),
                mentions: n(4),
            })
        })
    }

    fn rejects(&self, limit: usize) -> Result<Vec<Reject>, StoreError> {
        let rows = self.block(async {
            let c = self.pool.get().await?;
            let st = c
                .prepare_cached(
                    "SELECT source, line, kind, reason FROM rejects ORDER BY seq DESC LIMIT $1",
                )
                .await?;
            Ok(c.query(&st, &[&crate::sql_count(limit)]).await?)
        })?;
        rows.iter()
            .map(|r| {
                Ok(Reject {
                    source: r.get(0),
                    line: r.get::<_, Option<i64>>(1).map(|l| l as u64),
                    kind: known("reject kind", r.get(2), RejectKind::parse)?,
                    reason: r.get(3),
                })
            })
            .collect()
    }
}
