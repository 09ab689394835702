//! The embedded store: one SQLite file in WAL mode, versioned migrations, FTS5 over normalized
//! terms.

mod across;
mod copy;
mod migrations;
mod provenance;
mod query;
mod write;

use crate::{
    BatchSummary, EventFilter, Mention, NewDocument, Reject, RejectKind, SearchHit, Stats, Store,
    StoreError, StoredDocument, StoredEvent,
};
use marsad_record::{Entity, EntityType, Event, Place, Precision};
use migrations::MIGRATIONS;
use query::fts_query;
use rusqlite::{params, Connection, OptionalExtension};
use std::path::Path;
use write::write_doc;

pub(crate) use crate::merge::participant_key;
pub(crate) use provenance::{sources_of, with_sources};
pub(crate) use query::filter_clauses;

/// Whether an error is SQLite's "busy" or "locked".
fn is_busy(e: &rusqlite::Error) -> bool {
    matches!(
        e.sqlite_error_code(),
        Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
    )
}

/// A stored document text back: a compressed BLOB, or TEXT from databases written before
/// migration 3.
pub(crate) fn text_value(v: rusqlite::types::ValueRef<'_>) -> rusqlite::Result<String> {
    use rusqlite::types::{FromSqlError, ValueRef};
    match v {
        ValueRef::Text(t) => String::from_utf8(t.to_vec()).map_err(|e| {
            rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, e.into())
        }),
        ValueRef::Blob(b) => crate::merge::text_unblob(b).map_err(|e| {
            rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Blob, e.into())
        }),
        _ => Err(rusqlite::Error::FromSqlConversionFailure(
            0,
            v.data_type(),
            FromSqlError::InvalidType.into(),
        )),
    }
}

/// The embedded SQLite store.
pub struct SqliteStore {
    conn: Connection,
    immutable: bool,
}

impl SqliteStore {
    /// Opens (creating if needed) the database file at `path` and runs pending migrations.
    /// Another process creating or migrating the same file at that moment is waited for (up to
    /// about 10 s): switching to WAL can report "locked" without calling the busy handler.
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        loop {
            match Self::open_once(path) {
                Err(StoreError::Sqlite(e))
                    if is_busy(&e) && std::time::Instant::now() < deadline =>
                {
                    std::thread::sleep(std::time::Duration::from_millis(20));
                }
                r => return r,
            }
        }
    }

    fn open_once(path: &Path) -> Result<Self, StoreError> {
        let conn = Connection::open(path)?;
        conn.busy_timeout(std::time::Duration::from_secs(10))?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        Self::init(conn)
    }

    /// Opens a database file read-only (for servers and queries); immutable (see
    /// [`SqliteStore::open_read_only_in`]) when its directory is not writable.
    pub fn open_read_only(path: &Path) -> Result<Self, StoreError> {
        Self::open_read_only_in(path, dir_writable(path))
    }

    /// Opens a database file read-only, as in a directory that is writable or not. In one that
    /// is not (a read-only directory or file system), the file is opened immutable
    /// (`immutable=1`): SQLite then needs no `-wal` or `-shm` file beside it, which it could not
    /// create there, and reads the main file as it is (changes still in a `-wal` file are not
    /// seen, and nothing may write the file meanwhile).
    ///
    /// A database written by an older version is first migrated (opened read-write once) where
    /// the file can be written; where it cannot, it is read as it is, and a filter that needs a
    /// newer column (`updated_since`) fails.
    pub fn open_read_only_in(path: &Path, dir_writable: bool) -> Result<Self, StoreError> {
        use rusqlite::OpenFlags as F;
        let flags = F::SQLITE_OPEN_READ_ONLY | F::SQLITE_OPEN_NO_MUTEX;
        let open = || -> Result<Connection, StoreError> {
            let conn = if dir_writable {
                Connection::open_with_flags(path, flags)?
            } else {
                Connection::open_with_flags(immutable_uri(path), flags | F::SQLITE_OPEN_URI)?
            };
            conn.busy_timeout(std::time::Duration::from_secs(10))?;
            Ok(conn)
        };
        let mut conn = open()?;
        let mut found: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
        let writable =
            dir_writable && std::fs::metadata(path).is_ok_and(|m| !m.permissions().readonly());
        if found > 0 && found < MIGRATIONS.len() as i64 && writable {
            drop(conn);
            // runs the pending migrations, then reads through a read-only connection again
            drop(Self::open(path)?);
            conn = open()?;
            found = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
        }
        if found > MIGRATIONS.len() as i64 {
            return Err(StoreError::TooNew {
                found,
                known: MIGRATIONS.len() as i64,
            });
        }
        if found == 0 {
            return Err(StoreError::NoSchema);
        }
        Ok(SqliteStore {
            conn,
            immutable: !dir_writable,
        })
    }

    /// An in-memory store (for tests).
    pub fn open_in_memory() -> Result<Self, StoreError> {
        Self::init(Connection::open_in_memory()?)
    }

    fn init(mut conn: Connection) -> Result<Self, StoreError> {
        conn.pragma_update(None, "foreign_keys", "ON")?;
        let found: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
        let known = MIGRATIONS.len() as i64;
        if found > known {
            return Err(StoreError::TooNew { found, known });
        }
        if found < known {
            // under the write lock, and with the version read again inside it: two processes
            // opening a new file at once must not both run the same migration
            let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
            let found: i64 = tx.pragma_query_value(None, "user_version", |r| r.get(0))?;
            for sql in MIGRATIONS.iter().skip(found.max(0) as usize) {
                tx.execute_batch(sql)?;
            }
            tx.pragma_update(None, "user_version", known.max(found))?;
            tx.commit()?;
        }
        Ok(SqliteStore {
            conn,
            immutable: false,
        })
    }

    /// Writes a batch in one transaction and asks `proceed`, inside it and just before the
    /// commit, whether to commit: `false` rolls the whole batch back and gives `None`.
    /// (The server's writes use it: a request that has timed out is never committed later.)
    pub fn write_batch_if(
        &mut self,
        docs: &[NewDocument],
        proceed: impl FnOnce() -> bool,
    ) -> Result<Option<BatchSummary>, StoreError> {
        let tx = self.conn.transaction()?;
        let mut sum = BatchSummary::default();
        for d in docs {
            write_doc(&tx, d, &mut sum)?;
        }
        if !proceed() {
            tx.rollback()?;
            return Ok(None);
        }
        tx.commit()?;
        Ok(Some(sum))
    }

    /// One event by id with one page of its mentions (the earliest report first), `limit` from
    /// `offset`, and how many it has in all: the page is read with `LIMIT`/`OFFSET`, not cut
    /// from all of them (an event reported 5,000 times reads one page).
    pub fn event_page(
        &self,
        id: &str,
        limit: usize,
        offset: usize,
    ) -> Result<Option<(StoredEvent, u64, Vec<Mention>)>, StoreError> {
        let row = self
            .conn
            .prepare_cached("SELECT rowid, record, mentions FROM events WHERE id = ?1")?
            .query_row([id], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, i64>(2)?,
                ))
            })
            .optional()?;
        let Some((rowid, rec, mentions)) = row else {
            return Ok(None);
        };
        let mut stmt = self.conn.prepare_cached(
            "SELECT d.id, COALESCE(m.record, e.record) FROM event_mentions m JOIN events e ON e.rowid = m.event JOIN documents d ON d.rowid = m.doc WHERE m.event = ?1 ORDER BY d.date, d.rowid, m.mention_id LIMIT ?2 OFFSET ?3",
        )?;
        let ms = stmt
            .query_map(
                params![rowid, crate::sql_count(limit), crate::sql_count(offset)],
                |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)),
            )?
            .map(|r| {
                let (doc_id, rec) = r?;
                Ok(Mention {
                    doc_id,
                    record: decode_record(&rec)?,
                })
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        let total: i64 = self
            .conn
            .prepare_cached("SELECT count(*) FROM event_mentions WHERE event = ?1")?
            .query_row([rowid], |r| r.get(0))?;
        let mut record = decode_record(&rec)?;
        record.sources = sources_of(&self.conn, rowid)?;
        Ok(Some((
            StoredEvent {
                record,
                mentions: mentions as u64,
            },
            total as u64,
            ms,
        )))
    }

    /// The mention of event `event_id` in document `doc_id`, if that document reports it.
    pub fn event_mention(
        &self,
        event_id: &str,
        doc_id: &str,
    ) -> Result<Option<Mention>, StoreError> {
        let rec: Option<String> = self
            .conn
            .prepare_cached(
                "SELECT COALESCE(m.record, e.record) FROM event_mentions m JOIN events e ON e.rowid = m.event JOIN documents d ON d.rowid = m.doc WHERE e.id = ?1 AND d.id = ?2 LIMIT 1",
            )?
            .query_row([event_id, doc_id], |r| r.get(0))
            .optional()?;
        rec.map(|rec| {
            Ok(Mention {
                doc_id: doc_id.to_string(),
                record: decode_record(&rec)?,
            })
        })
        .transpose()
    }

    /// Whether the database was opened immutable (its directory is not writable).
    pub fn is_immutable(&self) -> bool {
        self.immutable
    }

    /// The schema version of the open database.
    pub fn schema_version(&self) -> Result<i64, StoreError> {
        Ok(self
            .conn
            .pragma_query_value(None, "user_version", |r| r.get(0))?)
    }

    /// The underlying connection, for exports that stream rows.
    pub fn connection(&self) -> &Connection {
        &self.conn
    }

    /// Bytes of article text stored (uncompressed), for size ratios.
    pub fn text_bytes(&self) -> Result<u64, StoreError> {
        let mut st = self.conn.prepare("SELECT text FROM documents")?;
        let mut rows = st.query([])?;
        let mut n = 0u64;
        while let Some(r) = rows.next()? {
            n += text_value(r.get_ref(0)?)?.len() as u64;
        }
        Ok(n)
    }

    /// Calls `each` with every event matching `f` (its limit and offset are ignored), newest
    /// first, read through one SQL cursor so that memory stays flat at any store size; stops at
    /// the first error `each` returns. Returns how many events were read.
    pub fn each_event<E: From<StoreError>>(
        &self,
        f: &EventFilter,
        mut each: impl FnMut(StoredEvent) -> Result<(), E>,
    ) -> Result<u64, E> {
        let mut sql = String::from("SELECT e.record, e.mentions, e.rowid FROM events e WHERE 1=1");
        let mut args: Vec<rusqlite::types::Value> = Vec::new();
        query::filter_clauses(f, &mut sql, &mut args);
        sql.push_str(" ORDER BY e.date DESC, e.rowid DESC");
        let mut stmt = self.conn.prepare(&sql).map_err(StoreError::from)?;
        let mut rows = stmt
            .query(rusqlite::params_from_iter(args))
            .map_err(StoreError::from)?;
        let mut n = 0u64;
        while let Some(r) = rows.next().map_err(StoreError::from)? {
            let rec: String = r.get(0).map_err(StoreError::from)?;
            let mentions: i64 = r.get(1).map_err(StoreError::from)?;
            let rowid: i64 = r.get(2).map_err(StoreError::from)?;
            let mut record = decode_record(&rec)?;
            record.sources = sources_of(&self.conn, rowid)?;
            each(StoredEvent {
                record,
                mentions: mentions as u64,
            })?;
            n += 1;
        }
        Ok(n)
    }

    /// The text of stored document `id` alone (without its annotations).
    pub fn document_text(&self, id: &str) -> Result<Option<String>, StoreError> {
        Ok(self
            .conn
            .prepare_cached("SELECT text FROM documents WHERE id = ?1")?
            .query_row([id], |r| text_value(r.get_ref(0)?))
            .optional()?)
    }
}

/// Whether SQLite could create files (`-wal`, `-shm`) beside the database at `path`: its
/// directory is writable by this process and not marked read-only for everyone (mode 0555,
/// which even root is taken to mean). An unreadable directory counts as writable, so that
/// opening reports the real error.
pub fn dir_writable(path: &Path) -> bool {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let Ok(meta) = std::fs::metadata(dir) else {
        return true;
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if meta.permissions().mode() & 0o222 == 0 {
            return false;
        }
        rustix::fs::access(dir, rustix::fs::Access::WRITE_OK).is_ok()
    }
    #[cfg(not(unix))]
    {
        !meta.permissions().readonly()
    }
}

/// The SQLite URI that opens the file at `path` immutable: `file:` and the path with every
/// byte that is not unreserved or `/` percent-escaped (`?`, `#` and `%` would be read as URI
/// syntax), then `?immutable=1`.
pub(crate) fn immutable_uri(path: &Path) -> String {
    let bytes = path.as_os_str().as_encoded_bytes();
    // an absolute path gets an empty authority, so that `//x` is not read as a host
    let mut out = String::from(if bytes.first() == Some(&b'/') {
        "file://"
    } else {
        "file:"
    });
    for &b in bytes {
        if b.is_ascii_alphanumeric() || b"-_.~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out.push_str("?immutable=1");
    out
}

/// A stored name (`what`) back as its type, or an error naming the value.
pub(crate) fn known<T>(
    what: &'static str,
    value: String,
    parse: fn(&str) -> Option<T>,
) -> Result<T, StoreError> {
    parse(&value).ok_or(StoreError::Value { what, value })
}

/// A stored event record back as the record type: the one place stored JSON is decoded.
pub(crate) fn decode_record(json: &str) -> Result<Event, StoreError> {
    Ok(serde_json::from_str(json)?)
}

impl Store for SqliteStore {
    fn write_batch(&mut self, docs: &[NewDocument]) -> Result<BatchSummary, StoreError> {
        let sum = self.write_batch_if(docs, || true)?;
        Ok(sum.unwrap_or_default())
    }

    fn record_rejects(&mut self, rejects: &[Reject]) -> Result<(), StoreError> {
        let tx = self.conn.transaction()?;
        {
            let mut ins = tx.prepare_cached("INSERT OR IGNORE INTO rejects (source, line, kind, reason) VALUES (?1, ?2, ?3, ?4)")?;
            for r in rejects {
                ins.execute(params![
                    r.source,
                    r.line.map(|l| l as i64),
                    r.kind.as_str(),
                    r.reason
                ])?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    fn contains(&self, doc_id: &str) -> Result<bool, StoreError> {
        Ok(self
            .conn
            .prepare_cached("SELECT 1 FROM documents WHERE id = ?1")?
            .query_row([doc_id], |_| Ok(()))
            .optional()?
            .is_some())
    }

    fn search(
        &self,
        query: &str,
        limit: usize,
        offset: usize,
    ) -> Result<Vec<SearchHit>, StoreError> {
        let parsed = crate::SearchQuery::parse(query);
        let Some(q) = parsed.fts() else {
            return Ok(Vec::new());
        };
        let mut stmt = self.conn.prepare_cached(
            "SELECT d.id, d.title, d.date, d.text FROM doc_terms JOIN documents d ON d.rowid = doc_terms.rowid WHERE doc_terms MATCH ?1 ORDER BY doc_terms.rowid DESC LIMIT ?2 OFFSET ?3",
        )?;
        let rows = stmt.query_map(
            params![q, crate::sql_count(limit), crate::sql_count(offset)],
            |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, Option<String>>(1)?,
                    r.get::<_, Option<String>>(2)?,
                    text_value(r.get_ref(3)?)?,
                ))
            },
        )?;
        let mut out = Vec::new();
        for row in rows {
            let (id, title, date, text) = row?;
            let (snippet, marks) = parsed.snippet(&text);
            out.push(SearchHit {
                id,
                title,
                date,
                snippet,
                marks,
            });
        }
        Ok(out)
    }

    fn search_count(&self, query: &str) -> Result<u64, StoreError> {
        let Some(q) = fts_query(query) else {
            return Ok(0);
        };
        let n: i64 = self
            .conn
            .prepare_cached("SELECT count(*) FROM doc_terms WHERE doc_terms MATCH ?1")?
            .query_row([q], |r| r.get(0))?;
        Ok(n as u64)
    }

    fn events(&self, f: &EventFilter) -> Result<Vec<StoredEvent>, StoreError> {
        let mut sql = String::from("SELECT e.record, e.mentions, e.rowid FROM events e WHERE 1=1");
        let mut args: Vec<rusqlite::types::Value> = Vec::new();
        filter_clauses(f, &mut sql, &mut args);
        let mut push = |sql: &mut String, clause: &str, v: rusqlite::types::Value| {
            args.push(v);
            sql.push_str(&clause.replace('?', &format!("?{}", args.len())));
        };
        use rusqlite::types::Value as V;
        sql.push_str(" ORDER BY e.date DESC, e.rowid DESC");
        push(
            &mut sql,
            " LIMIT ?",
            V::Integer(crate::sql_count(f.limit.max(1))),
        );
        push(
            &mut sql,
            " OFFSET ?",
            V::Integer(crate::sql_count(f.offset)),
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(rusqlite::params_from_iter(args), |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, i64>(2)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (rec, mentions, rowid) = row?;
            let mut record = decode_record(&rec)?;
            record.sources = sources_of(&self.conn, rowid)?;
            out.push(StoredEvent {
                record,
                mentions: mentions as u64,
            });
        }
        Ok(out)
    }

    fn event(&self, id: &str) -> Result<Option<(StoredEvent, Vec<Mention>)>, StoreError> {
        Ok(self
            .event_page(id, usize::MAX, 0)?
            .map(|(ev, _, mentions)| (ev, mentions)))
    }

    fn document(&self, id: &str) -> Result<Option<StoredDocument>, StoreError> {
        let row = self
            .conn
            .prepare_cached("SELECT rowid, id, source, url, title, date, text, story, external_id, outlet FROM documents WHERE id = ?1")?
            .query_row([id], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    StoredDocument {
                        id: r.get(1)?,
                        source: r.get(2)?,
                        external_id: r.get(8)?,
                        outlet: r.get(9)?,
                        url: r.get(3)?,
                        title: r.get(4)?,
                        date: r.get(5)?,
                        text: text_value(r.get_ref(6)?)?,
                        story: r.get(7)?,
                        entities: Vec::new(),
                        places: Vec::new(),
                        events: Vec::new(),
                    },
                ))
            })
            .optional()?;
        let Some((rowid, mut doc)) = row else {
            return Ok(None);
        };
        let mut st = self.conn.prepare_cached("SELECT start, end, text, type, entity_id, name_en FROM entities WHERE doc = ?1 ORDER BY start")?;
        let rows = st.query_map([rowid], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, Option<String>>(4)?,
                r.get::<_, Option<String>>(5)?,
            ))
        })?;
        for row in rows {
            let (start, end, text, kind, entity_id, name_en) = row?;
            doc.entities.push(Entity {
                start: start as usize,
                end: end as usize,
                text,
                kind: known("entity type", kind, EntityType::parse)?,
                entity_id,
                name_en,
            });
        }
        let mut st = self.conn.prepare_cached(
            "SELECT start, end, text, geonameid, name_en, name_ar, country, admin1, lat, lon, precision, feature FROM places WHERE doc = ?1 ORDER BY start",
        )?;
        let rows = st.query_map([rowid], |r| {
            Ok((
                Place {
                    start: r.get::<_, i64>(0)? as usize,
                    end: r.get::<_, i64>(1)? as usize,
                    text: r.get(2)?,
                    geonameid: r.get::<_, Option<i64>>(3)?.map(|g| g as u64),
                    name_en: r.get::<_, Option<String>>(4)?.unwrap_or_default(),
                    name_ar: r.get::<_, Option<String>>(5)?.unwrap_or_default(),
                    country: r.get::<_, Option<String>>(6)?.unwrap_or_default(),
                    admin1: r.get(7)?,
                    lat: r.get::<_, Option<f64>>(8)?.unwrap_or(f64::NAN),
                    lon: r.get::<_, Option<f64>>(9)?.unwrap_or(f64::NAN),
                    precision: Precision::Exact,
                    feature: r.get::<_, Option<String>>(11)?.unwrap_or_default(),
                },
                r.get::<_, Option<String>>(10)?.unwrap_or_default(),
            ))
        })?;
        for row in rows {
            let (mut p, precision) = row?;
            p.precision = known("place precision", precision, Precision::parse)?;
            doc.places.push(p);
        }
        let mut st = self
            .conn
            .prepare_cached("SELECT COALESCE(m.record, e.record) FROM event_mentions m JOIN events e ON e.rowid = m.event WHERE m.doc = ?1 ORDER BY m.event, m.mention_id")?;
        let recs: Vec<String> = st
            .query_map([rowid], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        doc.events = recs
            .iter()
            .map(|s| decode_record(s))
            .collect::<Result<_, _>>()?;
        Ok(Some(doc))
    }

    fn stats(&self) -> Result<Stats, StoreError> {
        let one = |sql: &str| -> Result<u64, StoreError> {
            Ok(self.conn.query_row(sql, [], |r| r.get::<_, i64>(0))? as u64)
        };
        let documents = one("SELECT count(*) FROM documents")?;
        let stories = one("SELECT count(DISTINCT story) FROM documents")?;
        Ok(Stats {
            documents,
            events: one("SELECT count(*) FROM events")?,
            stories,
            duplicates: documents - stories,
            rejected: one("SELECT count(*) FROM rejects")?,
            mentions: one("SELECT count(*) FROM event_mentions")?,
        })
    }

    fn rejects(&self, limit: usize) -> Result<Vec<Reject>, StoreError> {
        let mut st = self.conn.prepare_cached(
            "SELECT source, line, kind, reason FROM rejects ORDER BY rowid DESC LIMIT ?1",
        )?;
        let rows = st.query_map([crate::sql_count(limit)], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, Option<i64>>(1)?.map(|l| l as u64),
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (source, line, kind, reason) = row?;
            let kind = known("reject kind", kind, RejectKind::parse)?;
            out.push(Reject {
                source,
                line,
                kind,
                reason,
            });
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests;
