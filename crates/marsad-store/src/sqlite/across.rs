//! Another outlet's report of a stored happening, read from SQLite; the rules are
//! [`crate::merge::across`]'s.

use crate::merge::across::{self, Candidate, Joined};
use crate::StoreError;
use marsad_record::Event;
use rusqlite::{params, OptionalExtension, Transaction};

/// The stored event (rowid) that `ev` reports again from another outlet, if any, and stored
/// events of the same story to fold into it first.
pub(super) fn match_across(
    tx: &Transaction<'_>,
    ev: &Event,
    keys: &[String],
    text: &str,
) -> Result<Option<Joined<i64>>, StoreError> {
    let Some(w) = across::window(ev) else {
        return Ok(None);
    };
    let mut q = tx.prepare_cached(
        "SELECT rowid, mentions, actor_keys, record FROM events WHERE event_type = ?1 AND country = ?2 AND admin1 = ?3 AND factual = 1 AND date BETWEEN ?4 AND ?5 LIMIT ?6",
    )?;
    let rows = q
        .query_map(
            params![
                w.event_type,
                w.country,
                w.admin1,
                w.lo,
                w.hi,
                across::LOOK_AT
            ],
            |r| {
                Ok(Candidate {
                    key: r.get::<_, i64>(0)?,
                    mentions: r.get(1)?,
                    actor_keys: r.get(2)?,
                    record: r.get(3)?,
                })
            },
        )?
        .collect::<Result<Vec<_>, _>>()?;
    across::pick(ev, keys, text, rows, |id| {
        tx.prepare_cached("SELECT text FROM documents WHERE id = ?1")?
            .query_row([id], |r| super::text_value(r.get_ref(0)?))
            .optional()
            .map_err(StoreError::from)
    })
}

/// Folds stored event `gone` into `into`: its mentions (its own record kept with its first
/// mention) become `into`'s, and it is deleted.
pub(super) fn absorb(tx: &Transaction<'_>, into: i64, gone: i64) -> Result<(), StoreError> {
    tx.execute(
        "UPDATE event_mentions SET record = (SELECT record FROM events WHERE rowid = ?1) WHERE event = ?1 AND record IS NULL",
        params![gone],
    )?;
    tx.execute(
        "UPDATE event_mentions SET event = ?1 WHERE event = ?2",
        params![into, gone],
    )?;
    tx.execute(
        "UPDATE events SET mentions = mentions + (SELECT mentions FROM events WHERE rowid = ?2), updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE rowid = ?1",
        params![into, gone],
    )?;
    tx.execute("DELETE FROM events WHERE rowid = ?1", params![gone])?;
    Ok(())
}
