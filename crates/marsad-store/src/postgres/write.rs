//! Writing to PostgreSQL: documents, their story, annotations and events in one transaction,
//! with the merge rules of [`crate::merge`].
//!
//! Merging one happening across articles is decided under the database's locks, not by a
//! read-then-write race between writers: before it looks for anything, a batch takes a
//! transaction-scoped advisory lock for every (type, place) and (type, country, province) its
//! events may merge in ([`EventColumns::lock_keys`]), all of them up front and in one order, so
//! two writers of reports of one happening take turns (the second sees the first's event) and
//! two batches never wait on each other in a cycle.
//!
//! Candidates are read in the order SQLite reads them (the `events_browse` index: date, then
//! place, mentions, keys, insertion), so that both backends pick the same event where several
//! match. A document's id is unique, so the same
//! document written twice at once is stored once (`ON CONFLICT DO NOTHING`).

use crate::dedup;
use crate::merge::across::{self, Candidate, Sorted};
use crate::merge::{text_blob, text_unblob, EventColumns};
use crate::{BatchSummary, NewDocument, Reject, StoreError};
use deadpool_postgres::Transaction;
use marsad_record::{Entity, Event};

/// The advisory lock number of a lock key: a stable 64-bit hash (the same in every process and
/// version).
fn lock_number(key: &str) -> i64 {
    xxhash_rust::xxh3::xxh3_64(key.as_bytes()) as i64
}

/// Takes, in ascending order, the advisory locks of every event of `docs` that may merge.
pub(super) async fn lock_merges(
    tx: &Transaction<'_>,
    docs: &[NewDocument],
) -> Result<(), StoreError> {
    let mut locks: Vec<i64> = Vec::new();
    for d in docs {
        for ev in &d.events {
            let c = EventColumns::of(ev, &d.entities)?;
            locks.extend(c.lock_keys(ev).iter().map(|k| lock_number(k)));
        }
    }
    locks.sort_unstable();
    locks.dedup();
    if locks.is_empty() {
        return Ok(());
    }
    let st = tx
        .prepare_cached("SELECT pg_advisory_xact_lock(k) FROM unnest($1::bigint[]) AS k ORDER BY k")
        .await?;
    tx.execute(&st, &[&locks]).await?;
    Ok(())
}

/// Records rejects (the same reject twice is kept once).
pub(super) async fn write_rejects(
    tx: &Transaction<'_>,
    rejects: &[Reject],
) -> Result<(), StoreError> {
    let st = tx
        .prepare_cached(
            "INSERT INTO rejects (source, line, kind, reason) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
        )
        .await?;
    for r in rejects {
        let line = r.line.map(|l| l as i64);
        tx.execute(&st, &[&r.source, &line, &r.kind.as_str(), &r.reason])
            .await?;
    }
    Ok(())
}

/// Writes one document and everything found in it.
pub(super) async fn write_doc(
    tx: &Transaction<'_>,
    d: &NewDocument,
    sum: &mut BatchSummary,
) -> Result<(), StoreError> {
    let st = tx
        .prepare_cached(
            "INSERT INTO documents (id, source, url, title, date, text, simhash, story, external_id, outlet, search_text) VALUES ($1, $2, $3, $4, $5, $6, $7, 0, $8, $9, $10) ON CONFLICT (id) DO NOTHING RETURNING seq",
        )
        .await?;
    let row = tx
        .query_opt(
            &st,
            &[
                &d.id,
                &d.source,
                &d.url,
                &d.title,
                &d.date,
                &text_blob(&d.text),
                &(d.simhash as i64),
                &d.external_id,
                &d.outlet,
                &d.search_text,
            ],
        )
        .await?;
    let Some(row) = row else {
        sum.duplicates += 1;
        return Ok(());
    };
    sum.stored += 1;
    let doc: i64 = row.get(0);
    // story: the story of the nearest earlier document within MAX_DISTANCE, else a new one
    let mut story = doc;
    if !d.search_text.is_empty() {
        // every band at once (one round trip each way), read in the order band by band
        // lookups gave: band, then document
        let bands = dedup::bands(d.simhash);
        let band_nos: Vec<i16> = (0..bands.len() as i16).collect();
        let q = tx
            .prepare_cached(
                "SELECT d.story, d.simhash FROM simhash_bands b JOIN documents d ON d.seq = b.doc WHERE (b.band, b.value) IN (SELECT * FROM unnest($1::smallint[], $2::bigint[])) AND b.doc <> $3 ORDER BY b.band, b.doc",
            )
            .await?;
        let mut best: Option<(u32, i64)> = None;
        for r in tx.query(&q, &[&band_nos, &bands.as_slice(), &doc]).await? {
            let (s, h): (i64, i64) = (r.get(0), r.get(1));
            let dist = dedup::distance(d.simhash, h as u64);
            if dist <= dedup::MAX_DISTANCE && best.is_none_or(|(bd, _)| dist < bd) {
                best = Some((dist, s));
            }
        }
        if let Some((_, s)) = best {
            story = s;
            sum.near_duplicates += 1;
        }
        let ins = tx
            .prepare_cached(
                "INSERT INTO simhash_bands (band, value, doc) SELECT b, v, $3 FROM unnest($1::smallint[], $2::bigint[]) AS t(b, v) ON CONFLICT DO NOTHING",
            )
            .await?;
        tx.execute(&ins, &[&band_nos, &bands.as_slice(), &doc])
            .await?;
    }
    let st = tx
        .prepare_cached("UPDATE documents SET story = $1 WHERE seq = $2")
        .await?;
    tx.execute(&st, &[&story, &doc]).await?;
    // the annotations in one statement per table (arrays unnested in their order), not one
    // round trip per row
    if !d.entities.is_empty() {
        let ins = tx
            .prepare_cached(
                "INSERT INTO entities (doc, start_byte, end_byte, text, type, entity_id, name_en) SELECT $1, a, b, c, t, e, n FROM unnest($2::bigint[], $3::bigint[], $4::text[], $5::text[], $6::text[], $7::text[]) WITH ORDINALITY AS u(a, b, c, t, e, n, i) ORDER BY i",
            )
            .await?;
        let es = &d.entities;
        let start: Vec<i64> = es.iter().map(|e| e.start as i64).collect();
        let end: Vec<i64> = es.iter().map(|e| e.end as i64).collect();
        let text: Vec<&str> = es.iter().map(|e| e.text.as_str()).collect();
        let kind: Vec<&str> = es.iter().map(|e| e.kind.as_str()).collect();
        let id: Vec<Option<&str>> = es.iter().map(|e| e.entity_id.as_deref()).collect();
        let en: Vec<Option<&str>> = es.iter().map(|e| e.name_en.as_deref()).collect();
        tx.execute(&ins, &[&doc, &start, &end, &text, &kind, &id, &en])
            .await?;
    }
    if !d.places.is_empty() {
        let ins = tx
            .prepare_cached(
                "INSERT INTO places (doc, start_byte, end_byte, text, geonameid, name_en, name_ar, country, admin1, lat, lon, precision, feature) SELECT $1, a, b, c, g, ne, na, co, ad, la, lo, pr, fe FROM unnest($2::bigint[], $3::bigint[], $4::text[], $5::bigint[], $6::text[], $7::text[], $8::text[], $9::text[], $10::float8[], $11::float8[], $12::text[], $13::text[]) WITH ORDINALITY AS u(a, b, c, g, ne, na, co, ad, la, lo, pr, fe, i) ORDER BY i",
            )
            .await?;
        let ps = &d.places;
        // NaN is what SQLite stores as NULL (a place without coordinates)
        let coord = |v: f64| (!v.is_nan()).then_some(v);
        let start: Vec<i64> = ps.iter().map(|p| p.start as i64).collect();
        let end: Vec<i64> = ps.iter().map(|p| p.end as i64).collect();
        let text: Vec<&str> = ps.iter().map(|p| p.text.as_str()).collect();
        let geo: Vec<Option<i64>> = ps.iter().map(|p| p.geonameid.map(|g| g as i64)).collect();
        let name_en: Vec<&str> = ps.iter().map(|p| p.name_en.as_str()).collect();
        let name_ar: Vec<&str> = ps.iter().map(|p| p.name_ar.as_str()).collect();
        let country: Vec<&str> = ps.iter().map(|p| p.country.as_str()).collect();
        let admin1: Vec<Option<&str>> = ps.iter().map(|p| p.admin1.as_deref()).collect();
        let lat: Vec<Option<f64>> = ps.iter().map(|p| coord(p.lat)).collect();
        let lon: Vec<Option<f64>> = ps.iter().map(|p| coord(p.lon)).collect();
        let precision: Vec<&str> = ps.iter().map(|p| p.precision.as_str()).collect();
        let feature: Vec<&str> = ps.iter().map(|p| p.feature.as_str()).collect();
        tx.execute(
            &ins,
            &[
                &doc, &start, &end, &text, &geo, &name_en, &name_ar, &country, &admin1, &lat, &lon,
                &precision, &feature,
            ],
        )
        .await?;
    }
    for ev in &d.events {
        write_event(tx, doc, story, ev, &d.text, &d.entities, sum).await?;
    }
    Ok(())
}

/// Writes one event: a further mention of a stored happening, or a new event.
async fn write_event(
    tx: &Transaction<'_>,
    doc: i64,
    story: i64,
    ev: &Event,
    text: &str,
    entities: &[Entity],
    sum: &mut BatchSummary,
) -> Result<(), StoreError> {
    let c = EventColumns::of(ev, entities)?;
    let mut found: Option<i64> = None;
    if let Some((lo, hi)) = c.near_window() {
        let q = tx
            .prepare_cached(
                "SELECT seq, story, actor_keys, date FROM events WHERE event_type = $1 AND geokey = $2 AND date BETWEEN $3 AND $4 AND factual ORDER BY date, lat, lon, mentions, actor_keys COLLATE \"C\", seq LIMIT 50",
            )
            .await?;
        for r in tx.query(&q, &[&c.event_type, &c.geokey, &lo, &hi]).await? {
            let other_date: Option<String> = r.get(3);
            if c.same_as_near(story, r.get(1), r.get(2), other_date.as_deref()) {
                found = Some(r.get(0));
                break;
            }
        }
    }
    if found.is_none() && c.factual {
        if let Some(j) = match_across(tx, ev, &c.keys, text).await? {
            for gone in j.absorb {
                absorb(tx, j.into, gone).await?;
            }
            found = Some(j.into);
        }
    }
    if let Some(event) = found {
        let st = tx
            .prepare_cached(
                "INSERT INTO event_mentions (event, doc, mention_id, record) VALUES ($1, $2, $3, $4::text::jsonb) ON CONFLICT DO NOTHING",
            )
            .await?;
        if tx
            .execute(&st, &[&event, &doc, &c.mention_id, &c.record])
            .await?
            > 0
        {
            let st = tx
                .prepare_cached(
                    "UPDATE events SET mentions = mentions + 1, updated_at = clock_timestamp() WHERE seq = $1",
                )
                .await?;
            tx.execute(&st, &[&event]).await?;
            sum.merged_mentions += 1;
        }
        return Ok(());
    }
    let st = tx
        .prepare_cached(
            "INSERT INTO events (id, event_type, modes, modality, factual, country, admin1, geonameid, lat, lon, geokey, date, actors, actor_keys, story, record, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16::text::jsonb, clock_timestamp()) ON CONFLICT (id) DO NOTHING RETURNING seq",
        )
        .await?;
    let keys = serde_json::to_string(&c.keys)?;
    let Some(row) = tx
        .query_opt(
            &st,
            &[
                &c.mention_id,
                &c.event_type,
                &c.modes,
                &c.modality,
                &c.factual,
                &c.country,
                &c.admin1,
                &c.geonameid,
                &c.lat,
                &c.lon,
                &c.geokey,
                &c.date,
                &c.actors,
                &keys,
                &story,
                &c.record,
            ],
        )
        .await?
    else {
        return Ok(());
    };
    sum.events += 1;
    let event: i64 = row.get(0);
    // the first mention's record is the event's own (events.record)
    let st = tx
        .prepare_cached(
            "INSERT INTO event_mentions (event, doc, mention_id, record) VALUES ($1, $2, $3, NULL) ON CONFLICT DO NOTHING",
        )
        .await?;
    tx.execute(&st, &[&event, &doc, &c.mention_id]).await?;
    Ok(())
}

/// Folds stored event `gone` into `into`: its mentions (its own record kept with its first
/// mention) become `into`'s, and it is deleted (as the SQLite store does).
async fn absorb(tx: &Transaction<'_>, into: i64, gone: i64) -> Result<(), StoreError> {
    tx.execute(
        "UPDATE event_mentions SET record = (SELECT record FROM events WHERE seq = $1) WHERE event = $1 AND record IS NULL",
        &[&gone],
    )
    .await?;
    tx.execute(
        "UPDATE event_mentions SET event = $1 WHERE event = $2",
        &[&into, &gone],
    )
    .await?;
    tx.execute(
        "UPDATE events SET mentions = mentions + (SELECT mentions FROM events WHERE seq = $2), updated_at = clock_timestamp() WHERE seq = $1",
        &[&into, &gone],
    )
    .await?;
    tx.execute("DELETE FROM events WHERE seq = $1", &[&gone])
        .await?;
    Ok(())
}

/// The stored event (seq) that `ev` reports again from another outlet, if any, and stored
/// events of the same story to fold into it first.
async fn match_across(
    tx: &Transaction<'_>,
    ev: &Event,
    keys: &[String],
    text: &str,
) -> Result<Option<across::Joined<i64>>, StoreError> {
    let Some(w) = across::window(ev) else {
        return Ok(None);
    };
    let q = tx
        .prepare_cached(
            "SELECT seq, mentions, actor_keys, record::text FROM events WHERE event_type = $1 AND country = $2 AND admin1 = $3 AND factual AND date BETWEEN $4 AND $5 ORDER BY date, geokey COLLATE \"C\", lat, lon, mentions, actor_keys COLLATE \"C\", seq LIMIT $6",
        )
        .await?;
    let rows = tx
        .query(
            &q,
            &[
                &w.event_type,
                &w.country,
                &w.admin1,
                &w.lo,
                &w.hi,
                &across::LOOK_AT,
            ],
        )
        .await?;
    let candidates = rows.iter().map(|r| Candidate {
        key: r.get::<_, i64>(0),
        mentions: r.get(1),
        actor_keys: r.get(2),
        record: r.get(3),
    });
    let compatible = match across::tied_or_compatible(ev, keys, candidates) {
        Sorted::Tied(k) => {
            return Ok(Some(across::Joined {
                into: k,
                absorb: Vec::new(),
            }))
        }
        Sorted::Compatible(c) => c,
    };
    // the texts the rule compares, read before it runs (it is synchronous)
    let mut texts = std::collections::HashMap::new();
    let st = tx
        .prepare_cached("SELECT text FROM documents WHERE id = $1")
        .await?;
    for (_, _, other) in &compatible.reports {
        if texts.contains_key(&other.doc_id) {
            continue;
        }
        let t = match tx.query_opt(&st, &[&other.doc_id]).await? {
            Some(r) => Some(text_unblob(r.get(0)).map_err(StoreError::Text)?),
            None => None,
        };
        texts.insert(other.doc_id.clone(), t);
    }
    across::alike_or_dominant(ev, text, compatible, |id| {
        Ok::<_, StoreError>(texts.get(id).cloned().flatten())
    })
}
