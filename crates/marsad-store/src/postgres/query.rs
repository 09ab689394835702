//! The SQL clauses of an event filter for PostgreSQL, with numbered parameters (prepared
//! statements only: no value is ever spliced into the SQL).

use crate::EventFilter;
use tokio_postgres::types::ToSql;

/// A parameter of a query built at run time.
pub(super) type Arg = Box<dyn ToSql + Sync + Send>;

/// The `to_tsquery` text of a user query (see [`crate::SearchQuery::tsquery`]), or `None` when
/// it has no word to search.
pub(super) fn tsquery(query: &str) -> Option<String> {
    crate::SearchQuery::parse(query).tsquery()
}

/// Appends `clause` with its `?` numbered as the next parameter, `v`.
fn push(sql: &mut String, args: &mut Vec<Arg>, clause: &str, v: Arg) {
    args.push(v);
    sql.push_str(&clause.replace('?', &format!("${}", args.len())));
}

/// Appends the `AND …` clauses of a filter (over `events e`) to `sql`, numbering the
/// parameters after those already in `args`. Limit and offset are the caller's.
pub(super) fn filter_clauses(f: &EventFilter, sql: &mut String, args: &mut Vec<Arg>) {
    if let Some(t) = &f.event_type {
        push(
            sql,
            args,
            " AND e.event_type = ?",
            Box::new(t.to_uppercase()),
        );
    }
    if let Some(m) = &f.mode {
        push(
            sql,
            args,
            " AND strpos(e.modes, ?) > 0",
            Box::new(format!("|{m}|")),
        );
    }
    if let Some(c) = &f.country {
        push(sql, args, " AND e.country = ?", Box::new(c.to_uppercase()));
    }
    if let Some(a) = &f.admin1 {
        push(sql, args, " AND e.admin1 = ?", Box::new(a.clone()));
    }
    if let Some(a) = &f.actor {
        push(
            sql,
            args,
            " AND strpos(lower(e.actors), lower(?)) > 0",
            Box::new(a.clone()),
        );
    }
    if let Some(d) = &f.from {
        push(sql, args, " AND e.date >= ?", Box::new(d.clone()));
    }
    if let Some(d) = &f.to {
        push(sql, args, " AND e.date <= ?", Box::new(d.clone()));
    }
    if let Some((x0, y0, x1, y1)) = f.bbox {
        push(sql, args, " AND e.lon >= ?", Box::new(x0));
        push(sql, args, " AND e.lat >= ?", Box::new(y0));
        push(sql, args, " AND e.lon <= ?", Box::new(x1));
        push(sql, args, " AND e.lat <= ?", Box::new(y1));
    }
    if let Some(m) = &f.modality {
        push(sql, args, " AND e.modality = ?", Box::new(m.to_lowercase()));
    }
    if let Some(p) = &f.precision {
        push(
            sql,
            args,
            " AND e.record->'location'->>'precision' = ?",
            Box::new(p.to_lowercase()),
        );
    }
    if let Some(c) = f.min_confidence {
        push(
            sql,
            args,
            " AND (e.record->>'confidence')::float8 >= ?",
            Box::new(c),
        );
    }
    if let Some(t) = &f.updated_since {
        push(
            sql,
            args,
            " AND e.updated_at >= ?::text::timestamptz",
            Box::new(t.clone()),
        );
    }
    if f.factual_only {
        sql.push_str(" AND e.factual");
    }
    // a blank query is no filter; one with no word to search (punctuation only) matches
    // nothing, as it does in a search
    match f
        .query
        .as_deref()
        .filter(|q| !q.trim().is_empty())
        .map(tsquery)
    {
        None => {}
        Some(Some(q)) => push(
            sql,
            args,
            " AND e.seq IN (SELECT m.event FROM event_mentions m JOIN documents d ON d.seq = m.doc WHERE d.search @@ to_tsquery('simple', ?))",
            Box::new(q),
        ),
        Some(None) => sql.push_str(" AND false"),
    }
}
