//! [`Reader`]: everything the server reads, as one object-safe trait that both backends
//! implement, so that `marsad serve` holds either store behind `&dyn Reader`.

use crate::indicators::{IndicatorQuery, Series};
use crate::{
    AggregateRow, AlertRow, Browse, EventFilter, Group, Interval, Mention, Scope, SqliteStore,
    StoreError, StoredEvent,
};

/// The reads of the HTTP API and the dashboard beyond [`Browse`].
pub trait Reader: Browse {
    /// One event by id with one page of its mentions (the earliest report first) and how many
    /// it has in all.
    fn event_page(
        &self,
        id: &str,
        limit: usize,
        offset: usize,
    ) -> Result<Option<(StoredEvent, u64, Vec<Mention>)>, StoreError>;
    /// The mention of event `event_id` in document `doc_id`, if that document reports it.
    fn event_mention(&self, event_id: &str, doc_id: &str) -> Result<Option<Mention>, StoreError>;
    /// The text of stored document `id` alone (without its annotations).
    fn document_text(&self, id: &str) -> Result<Option<String>, StoreError>;
    /// Counted events and their fatalities by period and group (see [`SqliteStore::aggregates`]).
    fn aggregates(
        &self,
        f: &EventFilter,
        scope: &Scope,
        by: Interval,
        group: Group,
    ) -> Result<Vec<AggregateRow>, StoreError>;
    /// Indicator series (see [`SqliteStore::indicators`]); not every backend offers them.
    fn indicators(&self, _f: &EventFilter, _q: &IndicatorQuery) -> Result<Vec<Series>, StoreError> {
        Err(StoreError::Unsupported(
            "indicators are computed from an embedded SQLite store only for now",
        ))
    }
    /// Alerts that fired, newest first (see [`SqliteStore::alerts`]); not every backend keeps them.
    fn alerts(&self, _rule: Option<&str>, _limit: usize) -> Result<Vec<AlertRow>, StoreError> {
        Err(StoreError::Unsupported(
            "alerts are kept in an embedded SQLite store only for now",
        ))
    }
}

impl Reader for SqliteStore {
    fn event_page(
        &self,
        id: &str,
        limit: usize,
        offset: usize,
    ) -> Result<Option<(StoredEvent, u64, Vec<Mention>)>, StoreError> {
        SqliteStore::event_page(self, id, limit, offset)
    }

    fn event_mention(&self, event_id: &str, doc_id: &str) -> Result<Option<Mention>, StoreError> {
        SqliteStore::event_mention(self, event_id, doc_id)
    }

    fn document_text(&self, id: &str) -> Result<Option<String>, StoreError> {
        SqliteStore::document_text(self, id)
    }

    fn aggregates(
        &self,
        f: &EventFilter,
        scope: &Scope,
        by: Interval,
        group: Group,
    ) -> Result<Vec<AggregateRow>, StoreError> {
        SqliteStore::aggregates(self, f, scope, by, group)
    }

    fn indicators(&self, f: &EventFilter, q: &IndicatorQuery) -> Result<Vec<Series>, StoreError> {
        SqliteStore::indicators(self, f, q)
    }

    fn alerts(&self, rule: Option<&str>, limit: usize) -> Result<Vec<AlertRow>, StoreError> {
        SqliteStore::alerts(self, rule, limit)
    }
}
