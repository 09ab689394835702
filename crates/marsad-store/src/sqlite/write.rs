//! Writing: documents (compressed text, story by near-duplicate, search terms, entities,
//! places) and their events, merging one happening reported in several articles, and the
//! date arithmetic the merge needs.

use crate::dedup;
use crate::merge::{text_blob, EventColumns};
use crate::{BatchSummary, NewDocument, StoreError};
use marsad_record::{Entity, Event};
use rusqlite::{params, Transaction};

pub(super) fn write_doc(
    tx: &Transaction<'_>,
    d: &NewDocument,
    sum: &mut BatchSummary,
) -> Result<(), StoreError> {
    let inserted = tx.execute(
        "INSERT OR IGNORE INTO documents (id, source, url, title, date, text, simhash, story, external_id, outlet) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 0, ?8, ?9)",
        params![
            d.id,
            d.source,
            d.url,
            d.title,
            d.date,
            text_blob(&d.text),
            d.simhash as i64,
            d.external_id,
            d.outlet,
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
        write_event(tx, doc, story, ev, &d.text, &d.entities, sum)?;
    }
    Ok(())
}

fn write_event(
    tx: &Transaction<'_>,
    doc: i64,
    story: i64,
    ev: &Event,
    text: &str,
    entities: &[Entity],
    sum: &mut BatchSummary,
) -> Result<(), StoreError> {
    let c = EventColumns::of(ev, entities)?;
    // one happening reported again: same type and place, close dates, and the same story or
    // shared participants
    let mut found: Option<i64> = None;
    if let Some((lo, hi)) = c.near_window() {
        let mut q = tx.prepare_cached(
            "SELECT rowid, story, actor_keys, date FROM events WHERE event_type = ?1 AND geokey = ?2 AND date BETWEEN ?3 AND ?4 AND factual = 1 LIMIT 50",
        )?;
        let rows = q.query_map(params![c.event_type, c.geokey, lo, hi], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, Option<String>>(3)?,
            ))
        })?;
        for row in rows {
            let (rowid, s, other_keys, other_date) = row?;
            if c.same_as_near(story, s, &other_keys, other_date.as_deref()) {
                found = Some(rowid);
                break;
            }
        }
    }
    // else the same happening told by another outlet (a town within the province, a paper's
    // date days after, something that ties them)
    if found.is_none() && c.factual {
        if let Some(j) = super::across::match_across(tx, ev, &c.keys, text)? {
            for gone in j.absorb {
                super::across::absorb(tx, j.into, gone)?;
            }
            found = Some(j.into);
        }
    }
    let event = match found {
        Some(rowid) => {
            let added = tx
                .prepare_cached("INSERT OR IGNORE INTO event_mentions (event, doc, mention_id, record) VALUES (?1, ?2, ?3, ?4)")?
                .execute(params![rowid, doc, c.mention_id, c.record])?;
            if added > 0 {
                tx.execute(
                    "UPDATE events SET mentions = mentions + 1, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE rowid = ?1",
                    params![rowid],
                )?;
                sum.merged_mentions += 1;
            }
            return Ok(());
        }
        None => {
            let inserted = tx.prepare_cached(
                "INSERT OR IGNORE INTO events (id, event_type, modes, modality, factual, country, admin1, geonameid, lat, lon, geokey, date, actors, actor_keys, story, record, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))",
            )?
            .execute(params![
                c.mention_id,
                c.event_type,
                c.modes,
                c.modality,
                c.factual as i64,
                c.country,
                c.admin1,
                c.geonameid,
                c.lat,
                c.lon,
                c.geokey,
                c.date,
                c.actors,
                serde_json::to_string(&c.keys)?,
                story,
                c.record,
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
        .execute(params![event, doc, c.mention_id])?;
    Ok(())
}
