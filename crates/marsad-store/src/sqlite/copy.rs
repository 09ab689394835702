//! Reading a whole store back as the documents that built it, in the order they were stored,
//! for copying it into another backend (`marsad migrate`).

use super::SqliteStore;
use crate::{NewDocument, StoreError};

impl SqliteStore {
    /// Up to `limit` stored documents after the one at position `after` (0: from the first), in
    /// the order they were stored, each with its position, ready to write into another store:
    /// text, provenance, entities, places and the event records found in it (in text order).
    /// Search terms are recomputed from the text (the index keeps none it could give back).
    pub fn documents_after(
        &self,
        after: i64,
        limit: usize,
    ) -> Result<Vec<(i64, NewDocument)>, StoreError> {
        let rows: Vec<(i64, String, i64)> = self
            .conn
            .prepare_cached(
                "SELECT rowid, id, simhash FROM documents WHERE rowid > ?1 ORDER BY rowid LIMIT ?2",
            )?
            .query_map(rusqlite::params![after, crate::sql_count(limit)], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })?
            .collect::<Result<_, _>>()?;
        let mut out = Vec::with_capacity(rows.len());
        for (rowid, id, simhash) in rows {
            let Some(d) = crate::Store::document(self, &id)? else {
                continue;
            };
            let mut events = d.events;
            events.sort_by_key(|e| (e.evidence.span.start, e.trigger.span.start));
            let analysis = marsad_text::analyze(&d.text);
            out.push((
                rowid,
                NewDocument {
                    id: d.id,
                    source: d.source,
                    external_id: d.external_id,
                    outlet: d.outlet,
                    url: d.url,
                    title: d.title,
                    date: d.date,
                    search_text: crate::search_terms(&analysis),
                    simhash: simhash as u64,
                    text: d.text,
                    entities: d.entities,
                    places: d.places,
                    events,
                },
            ));
        }
        Ok(out)
    }
}
