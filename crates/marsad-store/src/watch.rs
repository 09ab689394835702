//! What `marsad watch` keeps between runs, in the embedded store (migration 7): each source's
//! fetch state (ETag, Last-Modified, failures, when to poll next), the feed items already seen,
//! when each alert rule was first seen, and the alerts that fired, each once.

use crate::{SqliteStore, StoreError};
use rusqlite::{params, OptionalExtension};
use serde::Serialize;

/// The fetch state of one watched source.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SourceState {
    /// The source's address.
    pub url: String,
    /// The validator of the last good answer (`ETag`), sent back as `If-None-Match`.
    pub etag: Option<String>,
    /// The `Last-Modified` of the last good answer, sent back as `If-Modified-Since`.
    pub last_modified: Option<String>,
    /// When it was last polled (UTC, RFC 3339).
    pub last_poll: Option<String>,
    /// When a poll last succeeded (a 200 or a 304).
    pub last_ok: Option<String>,
    /// When it is due next (UTC, RFC 3339).
    pub next_poll: Option<String>,
    /// Polls so far.
    pub polls: u64,
    /// Failed polls in a row (0 after a success).
    pub failures: u64,
    /// What the last failed poll met (kept after a success, for the operator).
    pub last_error: Option<String>,
    /// New items taken from it so far.
    pub items: u64,
}

/// An alert that fired: the rule, the events behind it and the JSON delivered.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AlertRow {
    /// The store's number for it.
    pub id: i64,
    /// The rule's name.
    pub rule: String,
    /// The deduplication key: the rule and the ids of its events.
    pub key: String,
    /// When it fired (UTC, RFC 3339).
    pub fired_at: String,
    /// One line saying what happened.
    pub summary: String,
    /// The JSON document delivered (events, evidence, links).
    pub payload: serde_json::Value,
    /// When every delivery of it succeeded; `None` while one is still to be retried.
    pub delivered_at: Option<String>,
    /// Delivery attempts so far.
    pub attempts: u64,
    /// What the last failed delivery met.
    pub last_error: Option<String>,
}

fn source_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<SourceState> {
    Ok(SourceState {
        url: r.get(0)?,
        etag: r.get(1)?,
        last_modified: r.get(2)?,
        last_poll: r.get(3)?,
        last_ok: r.get(4)?,
        next_poll: r.get(5)?,
        polls: r.get::<_, i64>(6)?.max(0) as u64,
        failures: r.get::<_, i64>(7)?.max(0) as u64,
        last_error: r.get(8)?,
        items: r.get::<_, i64>(9)?.max(0) as u64,
    })
}

const SOURCE_COLS: &str =
    "url, etag, last_modified, last_poll, last_ok, next_poll, polls, failures, last_error, items";

fn alert_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<AlertRow> {
    let payload: String = r.get(5)?;
    Ok(AlertRow {
        id: r.get(0)?,
        rule: r.get(1)?,
        key: r.get(2)?,
        fired_at: r.get(3)?,
        summary: r.get(4)?,
        payload: serde_json::from_str(&payload).unwrap_or(serde_json::Value::Null),
        delivered_at: r.get(6)?,
        attempts: r.get::<_, i64>(7)?.max(0) as u64,
        last_error: r.get(8)?,
    })
}

const ALERT_COLS: &str =
    "rowid, rule, key, fired_at, summary, payload, delivered_at, attempts, last_error";

impl SqliteStore {
    /// The state of the source at `url`, or `None` when it was never polled.
    pub fn watch_source(&self, url: &str) -> Result<Option<SourceState>, StoreError> {
        let sql = format!("SELECT {SOURCE_COLS} FROM watch_sources WHERE url = ?1");
        Ok(self
            .connection()
            .query_row(&sql, [url], source_row)
            .optional()?)
    }

    /// Every watched source's state, by address.
    pub fn watch_sources(&self) -> Result<Vec<SourceState>, StoreError> {
        let sql = format!("SELECT {SOURCE_COLS} FROM watch_sources ORDER BY url");
        let mut st = self.connection().prepare(&sql)?;
        let rows = st.query_map([], source_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Saves a source's state (inserted or replaced whole).
    pub fn save_watch_source(&self, s: &SourceState) -> Result<(), StoreError> {
        self.connection().execute(
            &format!("INSERT OR REPLACE INTO watch_sources ({SOURCE_COLS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"),
            params![
                s.url,
                s.etag,
                s.last_modified,
                s.last_poll,
                s.last_ok,
                s.next_poll,
                crate::sql_count(s.polls as usize),
                crate::sql_count(s.failures as usize),
                s.last_error,
                crate::sql_count(s.items as usize)
            ],
        )?;
        Ok(())
    }

    /// Which of `keys` (item addresses or ids) were seen before, as a flag per key.
    pub fn watch_seen(&self, keys: &[String]) -> Result<Vec<bool>, StoreError> {
        let mut st = self
            .connection()
            .prepare_cached("SELECT 1 FROM watch_seen WHERE key = ?1")?;
        keys.iter()
            .map(|k| Ok(st.exists([k])?))
            .collect::<Result<_, StoreError>>()
    }

    /// Marks `keys` as seen from `source`, in one transaction (a key seen before stays).
    pub fn mark_watch_seen(&self, source: &str, keys: &[String]) -> Result<(), StoreError> {
        let tx = self.connection().unchecked_transaction()?;
        {
            let mut st = tx
                .prepare_cached("INSERT OR IGNORE INTO watch_seen (key, source) VALUES (?1, ?2)")?;
            for k in keys {
                st.execute(params![k, source])?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// When the rule `rule` was first seen (UTC, RFC 3339 with milliseconds), recorded as `now`
    /// the first time it is asked for: a rule that fires on every match fires for events stored
    /// from then on, not for the whole history.
    pub fn watch_rule_since(&self, rule: &str, now: &str) -> Result<String, StoreError> {
        let c = self.connection();
        c.execute(
            "INSERT OR IGNORE INTO watch_rules (rule, since) VALUES (?1, ?2)",
            params![rule, now],
        )?;
        Ok(c.query_row(
            "SELECT since FROM watch_rules WHERE rule = ?1",
            [rule],
            |r| r.get(0),
        )?)
    }

    /// Records an alert unless one with the same `key` fired before: its number when new,
    /// `None` when it is a repeat (which is then not delivered again).
    pub fn insert_alert(
        &self,
        rule: &str,
        key: &str,
        summary: &str,
        payload: &serde_json::Value,
    ) -> Result<Option<i64>, StoreError> {
        let c = self.connection();
        let n = c.execute(
            "INSERT OR IGNORE INTO alerts (rule, key, summary, payload) VALUES (?1, ?2, ?3, ?4)",
            params![rule, key, summary, payload.to_string()],
        )?;
        Ok((n == 1).then(|| c.last_insert_rowid()))
    }

    /// Whether an alert with this key fired before.
    pub fn alert_fired(&self, key: &str) -> Result<bool, StoreError> {
        Ok(self
            .connection()
            .prepare_cached("SELECT 1 FROM alerts WHERE key = ?1")?
            .exists([key])?)
    }

    /// Records a delivery attempt of alert `id`: delivered (every target took it) or failed
    /// with `error`.
    pub fn alert_attempt(&self, id: i64, error: Option<&str>) -> Result<(), StoreError> {
        self.connection().execute(
            "UPDATE alerts SET attempts = attempts + 1, last_error = ?2, delivered_at = CASE WHEN ?2 IS NULL THEN strftime('%Y-%m-%dT%H:%M:%fZ','now') ELSE NULL END WHERE rowid = ?1",
            params![id, error],
        )?;
        Ok(())
    }

    /// Alerts whose delivery is still to be retried (failed before), oldest first.
    pub fn undelivered_alerts(&self, max_attempts: u64) -> Result<Vec<AlertRow>, StoreError> {
        let sql = format!("SELECT {ALERT_COLS} FROM alerts WHERE delivered_at IS NULL AND attempts < ?1 ORDER BY rowid");
        let mut st = self.connection().prepare(&sql)?;
        let rows = st.query_map([crate::sql_count(max_attempts as usize)], alert_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Alerts that fired, newest first; only rule `rule`'s when given.
    pub fn alerts(&self, rule: Option<&str>, limit: usize) -> Result<Vec<AlertRow>, StoreError> {
        let sql = format!("SELECT {ALERT_COLS} FROM alerts WHERE ?1 IS NULL OR rule = ?1 ORDER BY rowid DESC LIMIT ?2");
        let mut st = self.connection().prepare(&sql)?;
        let rows = st.query_map(params![rule, crate::sql_count(limit)], alert_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn source_state_round_trips_and_seen_items_stay_seen() {
        let s = SqliteStore::open_in_memory().unwrap();
        assert_eq!(s.watch_source("http://a/feed").unwrap(), None);
        let st = SourceState {
            url: "http://a/feed".into(),
            etag: Some("\"v1\"".into()),
            failures: 2,
            last_error: Some("HTTP 500".into()),
            ..Default::default()
        };
        s.save_watch_source(&st).unwrap();
        assert_eq!(s.watch_source("http://a/feed").unwrap(), Some(st.clone()));
        assert_eq!(s.watch_sources().unwrap(), vec![st]);
        let keys = vec!["url:http://a/1".to_string(), "url:http://a/2".to_string()];
        assert_eq!(s.watch_seen(&keys).unwrap(), [false, false]);
        s.mark_watch_seen("http://a/feed", &keys[..1]).unwrap();
        s.mark_watch_seen("http://a/feed", &keys[..1]).unwrap();
        assert_eq!(s.watch_seen(&keys).unwrap(), [true, false]);
    }

    #[test]
    fn an_alert_fires_once_per_key_and_is_retried_until_delivered() {
        let s = SqliteStore::open_in_memory().unwrap();
        let p = json!({"rule": "r", "events": []});
        let id = s.insert_alert("r", "r:e1", "one", &p).unwrap().unwrap();
        assert_eq!(s.insert_alert("r", "r:e1", "one", &p).unwrap(), None);
        assert!(s.alert_fired("r:e1").unwrap());
        s.alert_attempt(id, Some("connection refused")).unwrap();
        let pending = s.undelivered_alerts(5).unwrap();
        assert_eq!(pending.len(), 1);
        assert_eq!(pending[0].attempts, 1);
        assert_eq!(pending[0].payload, p);
        s.alert_attempt(id, None).unwrap();
        assert!(s.undelivered_alerts(5).unwrap().is_empty());
        let all = s.alerts(Some("r"), 10).unwrap();
        assert!(all[0].delivered_at.is_some() && all[0].last_error.is_none());
        assert!(s.alerts(Some("other"), 10).unwrap().is_empty());
    }

    #[test]
    fn a_rule_keeps_the_time_it_was_first_seen() {
        let s = SqliteStore::open_in_memory().unwrap();
        let a = s.watch_rule_since("r", "2026-01-01T00:00:00.000Z").unwrap();
        let b = s.watch_rule_since("r", "2026-02-01T00:00:00.000Z").unwrap();
        assert_eq!(
            (a.as_str(), b.as_str()),
            ("2026-01-01T00:00:00.000Z", a.as_str())
        );
    }
}
