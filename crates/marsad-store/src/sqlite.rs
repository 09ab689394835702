//! The embedded store: one SQLite file in WAL mode, versioned migrations, FTS5 over normalized
//! terms.

use crate::dedup;
use crate::{
    BatchSummary, EventFilter, Mention, NewDocument, Reject, SearchHit, Stats, Store, StoreError,
    StoredDocument, StoredEvent,
};
use marsad_record::{Entity, EntityType, Event, Participant, Place, Precision};
use rusqlite::{params, Connection, OptionalExtension, Transaction};
use std::path::Path;

/// Schema migrations, in order; `PRAGMA user_version` records how many have run.
const MIGRATIONS: &[&str] = &[
    // 1: documents, stories, search, annotations, events, rejects
    r#"
    CREATE TABLE documents (
        rowid INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        source TEXT, url TEXT, title TEXT, date TEXT,
        text TEXT NOT NULL,
        simhash INTEGER NOT NULL,
        story INTEGER NOT NULL,
        ingested_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now'))
    );
    CREATE INDEX documents_story ON documents(story);
    CREATE INDEX documents_date ON documents(date);
    CREATE TABLE simhash_bands (
        band INTEGER NOT NULL, value INTEGER NOT NULL, doc INTEGER NOT NULL,
        PRIMARY KEY (band, value, doc)
    ) WITHOUT ROWID;
    CREATE VIRTUAL TABLE doc_terms USING fts5(terms, content='', tokenize='unicode61 remove_diacritics 0');
    CREATE TABLE entities (
        doc INTEGER NOT NULL, start INTEGER NOT NULL, end INTEGER NOT NULL,
        text TEXT NOT NULL, type TEXT NOT NULL, entity_id TEXT, name_en TEXT
    );
    CREATE INDEX entities_doc ON entities(doc);
    CREATE INDEX entities_entity ON entities(entity_id);
    CREATE TABLE places (
        doc INTEGER NOT NULL, start INTEGER NOT NULL, end INTEGER NOT NULL,
        text TEXT NOT NULL, geonameid INTEGER, name_en TEXT, name_ar TEXT, country TEXT, admin1 TEXT,
        lat REAL, lon REAL, precision TEXT, feature TEXT
    );
    CREATE INDEX places_doc ON places(doc);
    CREATE INDEX places_geonameid ON places(geonameid);
    CREATE TABLE events (
        rowid INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        event_type TEXT NOT NULL,
        modes TEXT NOT NULL,
        modality TEXT,
        factual INTEGER NOT NULL,
        country TEXT, admin1 TEXT, geonameid INTEGER, lat REAL, lon REAL,
        geokey TEXT NOT NULL,
        date TEXT,
        actors TEXT NOT NULL,
        actor_keys TEXT NOT NULL,
        story INTEGER NOT NULL,
        record TEXT NOT NULL,
        mentions INTEGER NOT NULL DEFAULT 1
    );
    CREATE INDEX events_match ON events(event_type, geokey, date);
    CREATE INDEX events_date ON events(date);
    CREATE INDEX events_country ON events(country, date);
    CREATE TABLE event_mentions (
        event INTEGER NOT NULL, doc INTEGER NOT NULL, mention_id TEXT NOT NULL, record TEXT NOT NULL,
        PRIMARY KEY (event, mention_id)
    ) WITHOUT ROWID;
    CREATE INDEX event_mentions_doc ON event_mentions(doc);
    CREATE TABLE rejects (
        rowid INTEGER PRIMARY KEY,
        source TEXT NOT NULL, line INTEGER, kind TEXT NOT NULL, reason TEXT NOT NULL,
        at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')),
        UNIQUE (source, line, kind)
    );
    "#,
    // 2: indexes for browsing: lists by category in date order, and a narrow covering index for
    // aggregates (map, timeline, facets, counts) that reads neither the wide `record` nor the table
    r#"
    CREATE INDEX events_type_date ON events(event_type, date);
    CREATE INDEX events_browse ON events(factual, date, event_type, country, admin1, geokey, lat, lon, mentions, actor_keys);
    CREATE INDEX events_geo ON events(factual, geokey, event_type, lat, lon, mentions, date, country);
    "#,
    // 3: an event's first mention no longer repeats its record: `events.record` holds it, and the
    // mention's `record` is NULL (read both through `COALESCE(m.record, e.record)`). New documents
    // keep their text deflate-compressed as a BLOB in `documents.text` (see `text_value`); rows
    // written before stay TEXT and read the same way.
    r#"
    CREATE TABLE event_mentions_v3 (
        event INTEGER NOT NULL, doc INTEGER NOT NULL, mention_id TEXT NOT NULL, record TEXT,
        PRIMARY KEY (event, mention_id)
    ) WITHOUT ROWID;
    INSERT INTO event_mentions_v3 (event, doc, mention_id, record)
        SELECT m.event, m.doc, m.mention_id, CASE WHEN m.mention_id = e.id THEN NULL ELSE m.record END
        FROM event_mentions m JOIN events e ON e.rowid = m.event;
    DROP TABLE event_mentions;
    ALTER TABLE event_mentions_v3 RENAME TO event_mentions;
    CREATE INDEX event_mentions_doc ON event_mentions(doc);
    "#,
];

/// Whether an error is SQLite's "busy" or "locked".
fn is_busy(e: &rusqlite::Error) -> bool {
    matches!(
        e.sqlite_error_code(),
        Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
    )
}

/// A document's text as stored: deflate-compressed (Arabic news shrinks about 2.7×).
fn text_blob(text: &str) -> Vec<u8> {
    use std::io::Write;
    let mut z = flate2::write::DeflateEncoder::new(
        Vec::with_capacity(text.len() / 2),
        flate2::Compression::default(),
    );
    // writing into a Vec cannot fail
    let _ = z.write_all(text.as_bytes());
    z.finish().unwrap_or_default()
}

/// A stored document text back: a compressed BLOB, or TEXT from databases written before
/// migration 3.
pub(crate) fn text_value(v: rusqlite::types::ValueRef<'_>) -> rusqlite::Result<String> {
    use rusqlite::types::{FromSqlError, ValueRef};
    use std::io::Read;
    match v {
        ValueRef::Text(t) => String::from_utf8(t.to_vec()).map_err(|e| {
            rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, e.into())
        }),
        ValueRef::Blob(b) => {
            let mut out = String::with_capacity(b.len() * 3);
            flate2::read::DeflateDecoder::new(b)
                .read_to_string(&mut out)
                .map_err(|e| {
                    rusqlite::Error::FromSqlConversionFailure(
                        0,
                        rusqlite::types::Type::Blob,
                        e.into(),
                    )
                })?;
            Ok(out)
        }
        _ => Err(rusqlite::Error::FromSqlConversionFailure(
            0,
            v.data_type(),
            FromSqlError::InvalidType.into(),
        )),
    }
}

/// Events of the same type, place and story, or with shared actors, within this many days are
/// taken to be one happening reported several times.
const MERGE_DAYS: i64 = 2;

/// The embedded SQLite store.
pub struct SqliteStore {
    conn: Connection,
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

    /// Opens a database file read-only (for servers and queries).
    pub fn open_read_only(path: &Path) -> Result<Self, StoreError> {
        let conn = Connection::open_with_flags(
            path,
            rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        conn.busy_timeout(std::time::Duration::from_secs(10))?;
        let found: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
        if found > MIGRATIONS.len() as i64 {
            return Err(StoreError::TooNew {
                found,
                known: MIGRATIONS.len() as i64,
            });
        }
        if found == 0 {
            return Err(StoreError::NoSchema);
        }
        Ok(SqliteStore { conn })
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
        Ok(SqliteStore { conn })
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

    /// The text of stored document `id` alone (without its annotations).
    pub fn document_text(&self, id: &str) -> Result<Option<String>, StoreError> {
        Ok(self
            .conn
            .prepare_cached("SELECT text FROM documents WHERE id = ?1")?
            .query_row([id], |r| text_value(r.get_ref(0)?))
            .optional()?)
    }
}

/// The names of an event's actors and recipients for filtering (`text|name_en|entity_id|…`),
/// and the keys it is grouped by (see [`participant_key`]).
fn participant_names(ev: &Event) -> (String, Vec<String>) {
    let mut text = String::new();
    let mut keys = Vec::new();
    for p in ev.participants() {
        for f in [Some(&p.text), p.name_en.as_ref(), p.entity_id.as_ref()]
            .into_iter()
            .flatten()
        {
            text.push_str(f);
            text.push('|');
        }
        keys.push(participant_key(p));
    }
    (text, keys)
}

/// The key a participant is grouped by: its entity id, else the matching key of its words.
pub(crate) fn participant_key(p: &Participant) -> String {
    p.entity_id
        .clone()
        .unwrap_or_else(|| marsad_text::normalize::key(&p.text))
}

/// A stored event record back as the record type: the one place stored JSON is decoded.
pub(crate) fn decode_record(json: &str) -> Result<Event, StoreError> {
    Ok(serde_json::from_str(json)?)
}

fn days_between(a: &str, b: &str) -> Option<i64> {
    let pa = chrono_like_days(a)?;
    let pb = chrono_like_days(b)?;
    Some((pa - pb).abs())
}

/// Days since 0000-03-01 of a `YYYY-MM-DD` date (no chrono needed for a difference).
fn chrono_like_days(s: &str) -> Option<i64> {
    let y: i64 = s.get(0..4)?.parse().ok()?;
    let m: i64 = s.get(5..7)?.parse().ok()?;
    let d: i64 = s.get(8..10)?.parse().ok()?;
    let (y, m) = if m <= 2 { (y - 1, m + 9) } else { (y, m - 3) };
    Some(365 * y + y / 4 - y / 100 + y / 400 + (153 * m + 2) / 5 + d - 1)
}

fn shift_date(s: &str, days: i64) -> Option<String> {
    let n = chrono_like_days(s)? + days;
    // inverse of chrono_like_days
    let y = (10000 * n + 14780) / 3652425;
    let mut ddd = n - (365 * y + y / 4 - y / 100 + y / 400);
    let mut y = y;
    if ddd < 0 {
        y -= 1;
        ddd = n - (365 * y + y / 4 - y / 100 + y / 400);
    }
    let mi = (100 * ddd + 52) / 3060;
    let mm = (mi + 2) % 12 + 1;
    let y = y + (mi + 2) / 12;
    let dd = ddd - (mi * 306 + 5) / 10 + 1;
    Some(format!("{y:04}-{mm:02}-{dd:02}"))
}

fn write_doc(
    tx: &Transaction<'_>,
    d: &NewDocument,
    sum: &mut BatchSummary,
) -> Result<(), StoreError> {
    let inserted = tx.execute(
        "INSERT OR IGNORE INTO documents (id, source, url, title, date, text, simhash, story) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 0)",
        params![
            d.id,
            d.source,
            d.url,
            d.title,
            d.date,
            text_blob(&d.text),
            d.simhash as i64
        ],
    )?;
    if inserted == 0 {
        sum.duplicates += 1;
        return Ok(());
    }
    sum.stored += 1;
    let doc = tx.last_insert_rowid();
    // story: the story of the nearest earlier document within MAX_DISTANCE, else a new one
    let mut story = doc;
    if !d.search_text.is_empty() {
        let mut q = tx.prepare_cached(
            "SELECT d.story, d.simhash FROM simhash_bands b JOIN documents d ON d.rowid = b.doc WHERE b.band = ?1 AND b.value = ?2 AND b.doc <> ?3",
        )?;
        let mut best: Option<(u32, i64)> = None;
        for (band, value) in dedup::bands(d.simhash).into_iter().enumerate() {
            let rows = q.query_map(params![band as i64, value, doc], |r| {
                Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?))
            })?;
            for row in rows {
                let (s, h) = row?;
                let dist = dedup::distance(d.simhash, h as u64);
                if dist <= dedup::MAX_DISTANCE && best.is_none_or(|(bd, _)| dist < bd) {
                    best = Some((dist, s));
                }
            }
        }
        if let Some((_, s)) = best {
            story = s;
            sum.near_duplicates += 1;
        }
        let mut ins = tx.prepare_cached(
            "INSERT OR IGNORE INTO simhash_bands (band, value, doc) VALUES (?1, ?2, ?3)",
        )?;
        for (band, value) in dedup::bands(d.simhash).into_iter().enumerate() {
            ins.execute(params![band as i64, value, doc])?;
        }
    }
    tx.execute(
        "UPDATE documents SET story = ?1 WHERE rowid = ?2",
        params![story, doc],
    )?;
    tx.prepare_cached("INSERT INTO doc_terms (rowid, terms) VALUES (?1, ?2)")?
        .execute(params![doc, d.search_text])?;
    {
        let mut ins = tx.prepare_cached(
            "INSERT INTO entities (doc, start, end, text, type, entity_id, name_en) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )?;
        for e in &d.entities {
            ins.execute(params![
                doc,
                e.start as i64,
                e.end as i64,
                e.text,
                e.kind.as_str(),
                e.entity_id,
                e.name_en,
            ])?;
        }
    }
    {
        let mut ins = tx.prepare_cached(
            "INSERT INTO places (doc, start, end, text, geonameid, name_en, name_ar, country, admin1, lat, lon, precision, feature) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
        )?;
        for p in &d.places {
            ins.execute(params![
                doc,
                p.start as i64,
                p.end as i64,
                p.text,
                p.geonameid.map(|g| g as i64),
                p.name_en,
                p.name_ar,
                p.country,
                p.admin1,
                p.lat,
                p.lon,
                p.precision.as_str(),
                p.feature,
            ])?;
        }
    }
    for ev in &d.events {
        write_event(tx, doc, story, ev, sum)?;
    }
    Ok(())
}

fn write_event(
    tx: &Transaction<'_>,
    doc: i64,
    story: i64,
    ev: &Event,
    sum: &mut BatchSummary,
) -> Result<(), StoreError> {
    let event_type = ev.event_type.name();
    let mention_id = ev.id.as_str();
    let factual = ev.modality.counts();
    let modes: String = ev.mode.iter().map(|m| format!("|{m}")).collect::<String>() + "|";
    let loc = ev.location.as_ref();
    let country = loc.map(|l| l.country.as_str());
    let geonameid = loc.and_then(|l| l.geonameid).map(|g| g as i64);
    let geokey = loc.map(|l| l.key()).unwrap_or_default();
    let date = ev.date.as_ref().map(|d| d.value.to_string());
    let date = date.as_deref();
    let (actors, keys) = participant_names(ev);
    let record = serde_json::to_string(ev)?;
    // one happening reported again: same type and place, close dates, and the same story or
    // shared participants
    let mut found: Option<i64> = None;
    if factual {
        if let Some(date) = date {
            let lo = shift_date(date, -MERGE_DAYS).unwrap_or_default();
            let hi = shift_date(date, MERGE_DAYS).unwrap_or_default();
            let mut q = tx.prepare_cached(
                "SELECT rowid, story, actor_keys, date FROM events WHERE event_type = ?1 AND geokey = ?2 AND date BETWEEN ?3 AND ?4 AND factual = 1 LIMIT 50",
            )?;
            let rows = q.query_map(params![event_type, geokey, lo, hi], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, i64>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, Option<String>>(3)?,
                ))
            })?;
            for row in rows {
                let (rowid, s, other_keys, other_date) = row?;
                let other: Vec<String> = serde_json::from_str(&other_keys).unwrap_or_default();
                let shared = keys.iter().any(|k| other.contains(k));
                let same_story = s == story;
                let close = other_date
                    .as_deref()
                    .and_then(|o| days_between(o, date))
                    .is_some_and(|d| d <= MERGE_DAYS);
                if close
                    && !geokey.is_empty()
                    && (same_story || shared || (keys.is_empty() && other.is_empty()))
                {
                    found = Some(rowid);
                    break;
                }
            }
        }
    }
    let event = match found {
        Some(rowid) => {
            let added = tx
                .prepare_cached("INSERT OR IGNORE INTO event_mentions (event, doc, mention_id, record) VALUES (?1, ?2, ?3, ?4)")?
                .execute(params![rowid, doc, mention_id, record])?;
            if added > 0 {
                tx.execute(
                    "UPDATE events SET mentions = mentions + 1 WHERE rowid = ?1",
                    params![rowid],
                )?;
                sum.merged_mentions += 1;
            }
            return Ok(());
        }
        None => {
            let inserted = tx.prepare_cached(
                "INSERT OR IGNORE INTO events (id, event_type, modes, modality, factual, country, admin1, geonameid, lat, lon, geokey, date, actors, actor_keys, story, record) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)",
            )?
            .execute(params![
                mention_id,
                event_type,
                modes,
                ev.modality.as_str(),
                factual as i64,
                country,
                loc.and_then(|l| l.admin1.as_deref()),
                geonameid,
                loc.map(|l| l.lat),
                loc.map(|l| l.lon),
                geokey,
                date,
                actors,
                serde_json::to_string(&keys)?,
                story,
                record,
            ])?;
            if inserted == 0 {
                return Ok(());
            }
            sum.events += 1;
            tx.last_insert_rowid()
        }
    };
    // the first mention's record is the event's own (events.record)
    tx.prepare_cached("INSERT OR IGNORE INTO event_mentions (event, doc, mention_id, record) VALUES (?1, ?2, ?3, NULL)")?
        .execute(params![event, doc, mention_id])?;
    Ok(())
}

/// The FTS5 query for a user query: the stems of its words, each quoted, all required.
pub(crate) fn fts_query(query: &str) -> Option<String> {
    let analysis = marsad_text::analyze(query);
    let terms = crate::search_terms(&analysis);
    let parts: Vec<String> = terms
        .split_whitespace()
        .map(|t| format!("\"{}\"", t.replace('"', "")))
        .collect();
    (!parts.is_empty()).then(|| parts.join(" "))
}

/// A passage of `text` around the first word whose stem matches one of the query's stems.
fn snippet(text: &str, query: &str) -> String {
    let q = marsad_text::analyze(query);
    let wanted: Vec<&str> = q
        .tokens
        .iter()
        .filter(|t| t.is_word() || t.kind == marsad_text::TokenKind::Number)
        .map(|t| t.stem.as_str())
        .collect();
    let a = marsad_text::analyze(text);
    let hit = a.tokens.iter().find(|t| wanted.contains(&t.stem.as_str()));
    let (s, e) = match hit {
        Some(t) => (t.start, t.end),
        None => (0, 0),
    };
    let mut from = s.saturating_sub(120);
    while !text.is_char_boundary(from) {
        from -= 1;
    }
    let mut to = (e + 120).min(text.len());
    while !text.is_char_boundary(to) {
        to += 1;
    }
    let mut out = String::new();
    if from > 0 {
        out.push('…');
    }
    out.push_str(text[from..to].trim());
    if to < text.len() {
        out.push('…');
    }
    out
}

/// Appends the `AND …` clauses of a filter (over the `events e` table) to `sql`, numbering the
/// parameters after those already in `args`. Limit and offset are the caller's.
pub(crate) fn filter_clauses(
    f: &EventFilter,
    sql: &mut String,
    args: &mut Vec<rusqlite::types::Value>,
) {
    let mut push = |sql: &mut String, clause: &str, v: rusqlite::types::Value| {
        args.push(v);
        sql.push_str(&clause.replace('?', &format!("?{}", args.len())));
    };
    use rusqlite::types::Value as V;
    if let Some(t) = &f.event_type {
        push(sql, " AND e.event_type = ?", V::Text(t.to_uppercase()));
    }
    if let Some(m) = &f.mode {
        push(sql, " AND instr(e.modes, ?) > 0", V::Text(format!("|{m}|")));
    }
    if let Some(c) = &f.country {
        push(sql, " AND e.country = ?", V::Text(c.to_uppercase()));
    }
    if let Some(a) = &f.admin1 {
        push(sql, " AND e.admin1 = ?", V::Text(a.clone()));
    }
    if let Some(a) = &f.actor {
        push(
            sql,
            " AND instr(lower(e.actors), lower(?)) > 0",
            V::Text(a.clone()),
        );
    }
    if let Some(d) = &f.from {
        push(sql, " AND e.date >= ?", V::Text(d.clone()));
    }
    if let Some(d) = &f.to {
        push(sql, " AND e.date <= ?", V::Text(d.clone()));
    }
    if let Some((x0, y0, x1, y1)) = f.bbox {
        push(sql, " AND e.lon >= ?", V::Real(x0));
        push(sql, " AND e.lat >= ?", V::Real(y0));
        push(sql, " AND e.lon <= ?", V::Real(x1));
        push(sql, " AND e.lat <= ?", V::Real(y1));
    }
    if f.factual_only {
        sql.push_str(" AND e.factual = 1");
    }
    if let Some(q) = f.query.as_deref().and_then(fts_query) {
        push(
            sql,
            " AND e.rowid IN (SELECT m.event FROM event_mentions m WHERE m.doc IN (SELECT rowid FROM doc_terms WHERE doc_terms MATCH ?))",
            V::Text(q),
        );
    }
}

impl Store for SqliteStore {
    fn write_batch(&mut self, docs: &[NewDocument]) -> Result<BatchSummary, StoreError> {
        let tx = self.conn.transaction()?;
        let mut sum = BatchSummary::default();
        for d in docs {
            write_doc(&tx, d, &mut sum)?;
        }
        tx.commit()?;
        Ok(sum)
    }

    fn record_rejects(&mut self, rejects: &[Reject]) -> Result<(), StoreError> {
        let tx = self.conn.transaction()?;
        {
            let mut ins = tx.prepare_cached("INSERT OR IGNORE INTO rejects (source, line, kind, reason) VALUES (?1, ?2, ?3, ?4)")?;
            for r in rejects {
                ins.execute(params![
                    r.source,
                    r.line.map(|l| l as i64),
                    r.kind,
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
        let Some(q) = fts_query(query) else {
            return Ok(Vec::new());
        };
        let mut stmt = self.conn.prepare_cached(
            "SELECT d.id, d.title, d.date, d.text FROM doc_terms JOIN documents d ON d.rowid = doc_terms.rowid WHERE doc_terms MATCH ?1 ORDER BY doc_terms.rowid DESC LIMIT ?2 OFFSET ?3",
        )?;
        let rows = stmt.query_map(params![q, limit as i64, offset as i64], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, Option<String>>(1)?,
                r.get::<_, Option<String>>(2)?,
                text_value(r.get_ref(3)?)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (id, title, date, text) = row?;
            out.push(SearchHit {
                id,
                title,
                date,
                snippet: snippet(&text, query),
            });
        }
        Ok(out)
    }

    fn events(&self, f: &EventFilter) -> Result<Vec<StoredEvent>, StoreError> {
        let mut sql = String::from("SELECT e.record, e.mentions FROM events e WHERE 1=1");
        let mut args: Vec<rusqlite::types::Value> = Vec::new();
        filter_clauses(f, &mut sql, &mut args);
        let mut push = |sql: &mut String, clause: &str, v: rusqlite::types::Value| {
            args.push(v);
            sql.push_str(&clause.replace('?', &format!("?{}", args.len())));
        };
        use rusqlite::types::Value as V;
        sql.push_str(" ORDER BY e.date DESC, e.rowid DESC");
        push(&mut sql, " LIMIT ?", V::Integer(f.limit.max(1) as i64));
        push(&mut sql, " OFFSET ?", V::Integer(f.offset as i64));
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(rusqlite::params_from_iter(args), |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (rec, mentions) = row?;
            out.push(StoredEvent {
                record: decode_record(&rec)?,
                mentions: mentions as u64,
            });
        }
        Ok(out)
    }

    fn event(&self, id: &str) -> Result<Option<(StoredEvent, Vec<Mention>)>, StoreError> {
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
            "SELECT d.id, COALESCE(m.record, e.record) FROM event_mentions m JOIN events e ON e.rowid = m.event JOIN documents d ON d.rowid = m.doc WHERE m.event = ?1 ORDER BY d.date, d.rowid",
        )?;
        let ms = stmt
            .query_map([rowid], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
            })?
            .map(|r| {
                let (doc_id, rec) = r?;
                Ok(Mention {
                    doc_id,
                    record: decode_record(&rec)?,
                })
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        Ok(Some((
            StoredEvent {
                record: decode_record(&rec)?,
                mentions: mentions as u64,
            },
            ms,
        )))
    }

    fn document(&self, id: &str) -> Result<Option<StoredDocument>, StoreError> {
        let row = self
            .conn
            .prepare_cached("SELECT rowid, id, source, url, title, date, text, story FROM documents WHERE id = ?1")?
            .query_row([id], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    StoredDocument {
                        id: r.get(1)?,
                        source: r.get(2)?,
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
                kind: EntityType::parse(&kind).ok_or(StoreError::Value {
                    what: "entity type",
                    value: kind,
                })?,
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
            p.precision = Precision::parse(&precision).ok_or(StoreError::Value {
                what: "place precision",
                value: precision,
            })?;
            doc.places.push(p);
        }
        let mut st = self
            .conn
            .prepare_cached("SELECT COALESCE(m.record, e.record) FROM event_mentions m JOIN events e ON e.rowid = m.event WHERE m.doc = ?1")?;
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
        let rows = st.query_map([limit as i64], |r| {
            Ok(Reject {
                source: r.get(0)?,
                line: r.get::<_, Option<i64>>(1)?.map(|l| l as u64),
                kind: r.get(2)?,
                reason: r.get(3)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn ev(id: &str, date: &str, actor: &str) -> Event {
        marsad_record::testing::event(
            json!({"id": id, "event_type": "ASSAULT", "mode": ["aerial"], "modality": "reported",
               "location": {"geonameid": 99072, "country": "IQ", "lat": 36.3, "lon": 43.1},
               "date": {"value": date, "precision": "day"},
               "actors": [{"text": actor}]}),
        )
    }

    #[test]
    fn dates_shift_and_difference() {
        assert_eq!(shift_date("2015-03-01", -1).unwrap(), "2015-02-28");
        assert_eq!(shift_date("2016-02-28", 1).unwrap(), "2016-02-29");
        assert_eq!(shift_date("2026-12-31", 1).unwrap(), "2027-01-01");
        assert_eq!(days_between("2026-11-25", "2026-11-20"), Some(5));
    }

    #[test]
    fn same_document_twice_is_stored_once() {
        let mut s = SqliteStore::open_in_memory().unwrap();
        let d = NewDocument::from_text("a", "قتل جندي في الموصل");
        assert_eq!(s.write_batch(std::slice::from_ref(&d)).unwrap().stored, 1);
        let sum = s.write_batch(&[d]).unwrap();
        assert_eq!((sum.stored, sum.duplicates), (0, 1));
        assert_eq!(s.stats().unwrap().documents, 1);
    }

    #[test]
    fn search_is_clitic_and_spelling_insensitive() {
        let mut s = SqliteStore::open_in_memory().unwrap();
        s.write_batch(&[
            NewDocument::from_text("a", "تزايد الإنشقاقات والانشقاق في صفوف التنظيم"),
            NewDocument::from_text("b", "غارة على مواقع فى كوبانى"),
        ])
        .unwrap();
        for q in ["انشقاق", "بالإنشقاق", "الانشقاق"] {
            let hits = s.search(q, 10, 0).unwrap();
            assert_eq!(hits.len(), 1, "{q}");
            assert_eq!(hits[0].id, "a");
        }
        assert_eq!(s.search("كوباني", 10, 0).unwrap()[0].id, "b");
        assert!(s.search("", 10, 0).unwrap().is_empty());
    }

    #[test]
    fn one_happening_in_two_articles_is_one_event_with_two_mentions() {
        let mut s = SqliteStore::open_in_memory().unwrap();
        let mut a = NewDocument::from_text(
            "a",
            "غارات للتحالف على الموصل أمس أسفرت عن مقتل عناصر من داعش",
        );
        a.events = vec![ev("e1", "2015-02-20", "التحالف")];
        let mut b = NewDocument::from_text(
            "b",
            "قالت مصادر إن طائرات التحالف قصفت مواقع في مدينة الموصل",
        );
        b.events = vec![ev("e2", "2015-02-21", "التحالف")];
        let mut c = NewDocument::from_text("c", "قصف على الموصل بعد أسبوعين");
        c.events = vec![ev("e3", "2015-03-10", "التحالف")];
        s.write_batch(&[a, b, c]).unwrap();
        let st = s.stats().unwrap();
        assert_eq!((st.events, st.mentions), (2, 3));
        let (e, ms) = s.event("e1").unwrap().unwrap();
        assert_eq!(e.mentions, 2);
        assert_eq!(ms.len(), 2);
        // each mention keeps its own record, though the first is stored only once
        assert_eq!(ms[0].record.id, "e1");
        assert_eq!(ms[1].record.id, "e2");
        assert_eq!(ms[0].record, e.record);
        let b = s.document("b").unwrap().unwrap();
        assert_eq!(b.events.len(), 1);
        assert_eq!(b.events[0].id, "e2");
        assert_eq!(s.document("a").unwrap().unwrap().events[0].id, "e1");
        let f = EventFilter {
            actor: Some("تحالف".into()),
            limit: 10,
            ..Default::default()
        };
        assert_eq!(s.events(&f).unwrap().len(), 2);
        let f = EventFilter {
            from: Some("2015-03-01".into()),
            limit: 10,
            ..Default::default()
        };
        assert_eq!(s.events(&f).unwrap().len(), 1);
        let f = EventFilter {
            query: Some("طائرات".into()),
            limit: 10,
            ..Default::default()
        };
        assert_eq!(s.events(&f).unwrap().len(), 1);
    }

    #[test]
    fn near_duplicates_join_one_story() {
        let base = "قتل سبعة مدنيين وأصيب أكثر من عشرين آخرين أمس في غارة جوية استهدفت سوقا شعبية في ريف إدلب شمال غربي سوريا بحسب ما أفاد به المرصد السوري لحقوق الإنسان وقال مسعفون إن فرق الإنقاذ ما زالت تبحث عن مفقودين تحت الأنقاض في المنطقة المنكوبة التي تتعرض لقصف متكرر منذ أسابيع وسط تحذيرات أممية من كارثة إنسانية";
        let copy = format!("{base}.");
        let mut s = SqliteStore::open_in_memory().unwrap();
        let a = NewDocument::from_text("a", base);
        let mut b = NewDocument::from_text("b", &copy);
        b.id = "b".into();
        let sum = s
            .write_batch(&[
                a,
                b,
                NewDocument::from_text("c", "تظاهر المئات في بيروت احتجاجا على الغلاء"),
            ])
            .unwrap();
        assert_eq!(sum.near_duplicates, 1);
        let st = s.stats().unwrap();
        assert_eq!((st.documents, st.stories, st.duplicates), (3, 2, 1));
    }

    #[test]
    fn rejects_are_kept_once() {
        let mut s = SqliteStore::open_in_memory().unwrap();
        let r = Reject {
            source: "x.jsonl".into(),
            line: Some(3),
            kind: "not_json".into(),
            reason: "x.jsonl: line 3: not JSON".into(),
        };
        s.record_rejects(std::slice::from_ref(&r)).unwrap();
        s.record_rejects(&[r]).unwrap();
        assert_eq!(s.stats().unwrap().rejected, 1);
    }

    #[test]
    fn file_store_reopens_with_its_data() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("m.db");
        {
            let mut s = SqliteStore::open(&p).unwrap();
            s.write_batch(&[NewDocument::from_text("a", "نص")]).unwrap();
        }
        let s = SqliteStore::open(&p).unwrap();
        assert_eq!(s.schema_version().unwrap(), MIGRATIONS.len() as i64);
        assert!(s.contains("a").unwrap());
        let r = SqliteStore::open_read_only(&p).unwrap();
        assert_eq!(r.stats().unwrap().documents, 1);
    }

    #[test]
    fn processes_creating_one_file_at_once_do_not_collide() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("race.db");
        let handles: Vec<_> = (0..4)
            .map(|_| {
                let p = p.clone();
                std::thread::spawn(move || SqliteStore::open(&p).map(|s| s.schema_version()))
            })
            .collect();
        for h in handles {
            let v = h.join().unwrap().unwrap().unwrap();
            assert_eq!(v, MIGRATIONS.len() as i64);
        }
    }

    #[test]
    fn read_only_open_of_a_file_without_schema_says_so() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("empty.db");
        Connection::open(&p)
            .unwrap()
            .execute_batch("CREATE TABLE t (x)")
            .unwrap();
        let e = SqliteStore::open_read_only(&p).err().unwrap();
        assert!(matches!(e, StoreError::NoSchema), "{e}");
    }

    #[test]
    fn text_is_stored_compressed_and_read_back_whole() {
        let text = "قالت مصادر إن طائرات التحالف قصفت مواقع في مدينة الموصل. ".repeat(40);
        let mut s = SqliteStore::open_in_memory().unwrap();
        s.write_batch(&[NewDocument::from_text("a", &text)])
            .unwrap();
        let (kind, stored): (String, i64) = s
            .conn
            .query_row(
                "SELECT typeof(text), length(text) FROM documents",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        assert_eq!(kind, "blob");
        assert!(
            (stored as usize) < text.len() / 2,
            "{stored} of {}",
            text.len()
        );
        assert_eq!(
            s.document_text("a").unwrap().as_deref(),
            Some(text.as_str())
        );
        assert_eq!(s.document("a").unwrap().unwrap().text, text);
        assert_eq!(s.search("طائرات", 10, 0).unwrap().len(), 1);
        assert_eq!(s.document_text("missing").unwrap(), None);
    }

    #[test]
    fn version_2_database_migrates_and_keeps_its_data() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("v2.db");
        {
            // a database as version 2 wrote it: plain text, every mention with its record
            let conn = Connection::open(&p).unwrap();
            for sql in &MIGRATIONS[..2] {
                conn.execute_batch(sql).unwrap();
            }
            conn.pragma_update(None, "user_version", 2).unwrap();
            let rec = |id: &str| {
                let e = marsad_record::testing::event(json!({"id": id, "event_type": "ASSAULT"}));
                serde_json::to_string(&e).unwrap()
            };
            let (e1, e2) = (rec("e1"), rec("e2"));
            conn.execute_batch(&format!(
                r#"INSERT INTO documents (rowid, id, text, simhash, story) VALUES (1, 'a', 'نص قديم', 0, 1), (2, 'b', 'نص آخر', 0, 2);
                INSERT INTO events (rowid, id, event_type, modes, factual, geokey, actors, actor_keys, story, record)
                    VALUES (1, 'e1', 'ASSAULT', '|', 1, '', '', '[]', 1, '{e1}');
                INSERT INTO event_mentions VALUES (1, 1, 'e1', '{e1}'), (1, 2, 'e2', '{e2}');"#,
            ))
            .unwrap();
        }
        let s = SqliteStore::open(&p).unwrap();
        assert_eq!(s.schema_version().unwrap(), MIGRATIONS.len() as i64);
        let nulls: i64 = s
            .conn
            .query_row(
                "SELECT count(*) FROM event_mentions WHERE record IS NULL",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(nulls, 1);
        let (_, ms) = s.event("e1").unwrap().unwrap();
        let ids: Vec<_> = ms.iter().map(|m| m.record.id.as_str()).collect();
        assert_eq!(ids, ["e1", "e2"]);
        assert_eq!(s.document_text("a").unwrap().as_deref(), Some("نص قديم"));
        assert_eq!(s.document("b").unwrap().unwrap().events[0].id, "e2");
    }
}
