//! The schema migrations, in order.

/// Schema migrations, in order; `PRAGMA user_version` records how many have run.
pub(super) const MIGRATIONS: &[&str] = &[
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
    // 4: rejects are kept once even without a line: `UNIQUE (source, line, kind)` never matched a
    // whole-file reject (`line` NULL), so every rerun added it again. Keep the first of each
    // (source, line, kind) and make the key NULL-safe with an expression index.
    r#"
    DELETE FROM rejects WHERE rowid NOT IN (
        SELECT min(rowid) FROM rejects GROUP BY source, coalesce(line, -1), kind
    );
    CREATE UNIQUE INDEX rejects_once ON rejects(source, coalesce(line, -1), kind);
    "#,
    // 5: provenance: the caller's id and the outlet of every document (`source` stays the local
    // path it was read from, for the operator). Documents stored before keep NULL in both.
    r#"
    ALTER TABLE documents ADD COLUMN external_id TEXT;
    ALTER TABLE documents ADD COLUMN outlet TEXT;
    "#,
    // 6: when each event's row last changed (inserted, or a further mention merged into it), for
    // `updated_since`: UTC with milliseconds. Events stored before take the time their latest
    // reporting document was ingested.
    r#"
    ALTER TABLE events ADD COLUMN updated_at TEXT;
    UPDATE events SET updated_at = (
        SELECT strftime('%Y-%m-%dT%H:%M:%fZ', max(d.ingested_at))
        FROM event_mentions m JOIN documents d ON d.rowid = m.doc WHERE m.event = events.rowid
    );
    UPDATE events SET updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE updated_at IS NULL;
    CREATE INDEX events_updated ON events(updated_at);
    "#,
    // 7: `marsad watch`: per-source fetch state (conditional GET validators, failures), the feed
    // items already seen, when each alert rule was first seen, and the alerts that fired (each
    // once: `key` is the rule and the event ids)
    r#"
    CREATE TABLE watch_sources (
        url TEXT PRIMARY KEY,
        etag TEXT, last_modified TEXT,
        last_poll TEXT, last_ok TEXT, next_poll TEXT,
        polls INTEGER NOT NULL DEFAULT 0,
        failures INTEGER NOT NULL DEFAULT 0,
        last_error TEXT,
        items INTEGER NOT NULL DEFAULT 0
    );
    CREATE TABLE watch_seen (
        key TEXT PRIMARY KEY,
        source TEXT NOT NULL,
        at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
    ) WITHOUT ROWID;
    CREATE TABLE watch_rules (
        rule TEXT PRIMARY KEY,
        since TEXT NOT NULL
    ) WITHOUT ROWID;
    CREATE TABLE alerts (
        rowid INTEGER PRIMARY KEY,
        rule TEXT NOT NULL,
        key TEXT NOT NULL UNIQUE,
        fired_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
        summary TEXT NOT NULL,
        payload TEXT NOT NULL,
        delivered_at TEXT,
        attempts INTEGER NOT NULL DEFAULT 0,
        last_error TEXT
    );
    CREATE INDEX alerts_rule ON alerts(rule, fired_at);
    "#,
];
