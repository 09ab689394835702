//! Writing: documents (compressed text, story by near-duplicate, search terms, entities,
//! places) and their events, merging one happening reported in several articles, and the
//! date arithmetic the merge needs.

use crate::dedup;
use crate::{BatchSummary, NewDocument, StoreError};
use marsad_record::{Entity, EntityType, Event, Participant};
use rusqlite::{params, Transaction};

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

/// Events of the same type, place and story, or with shared actors, within this many days are
/// taken to be one happening reported several times.
const MERGE_DAYS: i64 = 2;

/// The names of an event's actors and recipients for filtering (`text|name_en|entity_id|…`),
/// and the keys it is grouped by (see [`participant_key`]): only those that name an actor
/// ([`names_actor`]), so the words that describe victims (أشخاص، المدنيين) are in the record
/// but in no actor list or filter.
fn participant_names(ev: &Event, entities: &[Entity]) -> (String, Vec<String>) {
    let mut text = String::new();
    let mut keys: Vec<String> = Vec::new();
    for p in ev.participants().filter(|p| names_actor(p, entities)) {
        for f in [Some(&p.text), p.name_en.as_ref(), p.entity_id.as_ref()]
            .into_iter()
            .flatten()
        {
            text.push_str(f);
            text.push('|');
        }
        let k = participant_key(p);
        if !keys.contains(&k) {
            keys.push(k);
        }
    }
    (text, keys)
}

/// Whether participant `p` names an actor: a listed entity or an agent of an organized sector
/// ([`Participant::is_agent`]), or a name the tagger found there (a person or an organization
/// the list lacks); not words that only describe people (شخصا، مواطنين، عناصر).
pub(crate) fn names_actor(p: &Participant, entities: &[Entity]) -> bool {
    p.is_agent()
        || entities.iter().any(|e| {
            matches!(e.kind, EntityType::Per | EntityType::Org)
                && e.start < p.span.end
                && p.span.start < e.end
        })
}

/// The key a participant is grouped by: its entity id, else the matching key of its words.
pub(crate) fn participant_key(p: &Participant) -> String {
    p.entity_id
        .clone()
        .unwrap_or_else(|| marsad_text::normalize::key(&p.text))
}

pub(super) fn days_between(a: &str, b: &str) -> Option<i64> {
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

pub(super) fn shift_date(s: &str, days: i64) -> Option<String> {
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
    let (actors, keys) = participant_names(ev, entities);
    // sources are derived from the mentions when read, never stored in the record
    let record = if ev.sources.is_empty() {
        serde_json::to_string(ev)?
    } else {
        serde_json::to_string(&Event {
            sources: Vec::new(),
            ..ev.clone()
        })?
    };
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
    // else the same happening told by another outlet (a town within the province, a paper's
    // date days after, something that ties them)
    if found.is_none() && factual {
        found = super::across::match_across(tx, ev, &keys, text)?;
    }
    let event = match found {
        Some(rowid) => {
            let added = tx
                .prepare_cached("INSERT OR IGNORE INTO event_mentions (event, doc, mention_id, record) VALUES (?1, ?2, ?3, ?4)")?
                .execute(params![rowid, doc, mention_id, record])?;
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_shift_and_difference() {
        assert_eq!(shift_date("2015-03-01", -1).unwrap(), "2015-02-28");
        assert_eq!(shift_date("2016-02-28", 1).unwrap(), "2016-02-29");
        assert_eq!(shift_date("2026-12-31", 1).unwrap(), "2027-01-01");
        assert_eq!(days_between("2026-11-25", "2026-11-20"), Some(5));
    }
}
