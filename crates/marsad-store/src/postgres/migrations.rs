//! The PostgreSQL schema migrations, in order; the `schema_version` table records which have
//! run (one row per migration), and a transaction-scoped advisory lock keeps two processes that
//! open a new database at once from running the same migration twice.
//!
//! Dates are `text COLLATE "C"` (`YYYY-MM-DD`, compared bytewise as SQLite compares them);
//! records are `jsonb`; document texts are deflate-compressed `bytea`, as in SQLite;
//! `documents.search` is the `tsvector` of the normalized, clitic-free search keys with the
//! `simple` configuration (no stemming, no stop words: the keys are already marsad's own).

/// Schema migrations, in order.
pub(super) const MIGRATIONS: &[&str] = &[
    // 1: documents, stories, search, annotations, events, mentions, rejects
    r#"
    CREATE TABLE documents (
        seq bigserial PRIMARY KEY,
        id text NOT NULL UNIQUE,
        source text, external_id text, outlet text, url text, title text,
        date text COLLATE "C",
        text bytea NOT NULL,
        simhash bigint NOT NULL,
        story bigint NOT NULL,
        search_text text NOT NULL,
        search tsvector GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, search_text)) STORED,
        ingested_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX documents_story ON documents(story);
    CREATE INDEX documents_date ON documents(date);
    CREATE INDEX documents_search ON documents USING gin (search);
    CREATE TABLE simhash_bands (
        band smallint NOT NULL, value bigint NOT NULL,
        doc bigint NOT NULL REFERENCES documents(seq),
        PRIMARY KEY (band, value, doc)
    );
    CREATE TABLE entities (
        doc bigint NOT NULL REFERENCES documents(seq),
        start_byte bigint NOT NULL, end_byte bigint NOT NULL,
        text text NOT NULL, type text NOT NULL, entity_id text, name_en text
    );
    CREATE INDEX entities_doc ON entities(doc);
    CREATE INDEX entities_entity ON entities(entity_id);
    CREATE TABLE places (
        doc bigint NOT NULL REFERENCES documents(seq),
        start_byte bigint NOT NULL, end_byte bigint NOT NULL,
        text text NOT NULL, geonameid bigint, name_en text, name_ar text, country text,
        admin1 text, lat double precision, lon double precision, precision text, feature text
    );
    CREATE INDEX places_doc ON places(doc);
    CREATE INDEX places_geonameid ON places(geonameid);
    CREATE TABLE events (
        seq bigserial PRIMARY KEY,
        id text NOT NULL UNIQUE,
        event_type text NOT NULL,
        modes text NOT NULL,
        modality text,
        factual boolean NOT NULL,
        country text, admin1 text, geonameid bigint, lat double precision, lon double precision,
        geokey text NOT NULL,
        date text COLLATE "C",
        actors text NOT NULL,
        actor_keys text NOT NULL,
        story bigint NOT NULL,
        record jsonb NOT NULL,
        mentions bigint NOT NULL DEFAULT 1,
        updated_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX events_match ON events(event_type, geokey, date);
    CREATE INDEX events_across ON events(event_type, country, admin1, date);
    CREATE INDEX events_date ON events(date);
    CREATE INDEX events_country ON events(country, date);
    CREATE INDEX events_updated ON events(updated_at);
    CREATE TABLE event_mentions (
        seq bigserial,
        event bigint NOT NULL REFERENCES events(seq),
        doc bigint NOT NULL REFERENCES documents(seq),
        mention_id text NOT NULL,
        record jsonb,
        PRIMARY KEY (event, mention_id)
    );
    CREATE INDEX event_mentions_doc ON event_mentions(doc);
    CREATE TABLE rejects (
        seq bigserial PRIMARY KEY,
        source text NOT NULL, line bigint, kind text NOT NULL, reason text NOT NULL,
        at timestamptz NOT NULL DEFAULT now()
    );
    CREATE UNIQUE INDEX rejects_once ON rejects(source, coalesce(line, -1), kind);
    "#,
    // 2: the work queue of `marsad ingest --workers` and `marsad worker` (see `queue.rs`): a
    // batch is claimed with a lease that expires; its items are the documents, in input order
    r#"
    CREATE TABLE queue_batches (
        batch bigserial PRIMARY KEY,
        worker text,
        lease_until timestamptz,
        attempts integer NOT NULL DEFAULT 0,
        queued_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE TABLE queue_items (
        batch bigint NOT NULL REFERENCES queue_batches(batch) ON DELETE CASCADE,
        pos integer NOT NULL,
        doc_id text NOT NULL UNIQUE,
        source text NOT NULL,
        line bigint,
        payload text NOT NULL,
        PRIMARY KEY (batch, pos)
    );
    "#,
    // 3: the event list's order (newest first, as every list and page of events is read), so
    // that a page is read from the index instead of sorting every event per request
    r#"
    CREATE INDEX events_newest ON events (date DESC NULLS LAST, seq DESC);
    "#,
    // 4: what a worker was doing with a batch when it died (see `queue.rs`), so that a batch
    // that kills its workers is retried a bounded number of times: `phase` is the position of
    // the document being annotated alone, or one of the phases of the whole batch; `lost`
    // counts the tries that died with the whole batch in hand, `deaths` those that died on one
    // document
    r#"
    ALTER TABLE queue_batches ADD COLUMN phase integer;
    ALTER TABLE queue_batches ADD COLUMN lost integer NOT NULL DEFAULT 0;
    ALTER TABLE queue_items ADD COLUMN deaths integer NOT NULL DEFAULT 0;
    "#,
];
