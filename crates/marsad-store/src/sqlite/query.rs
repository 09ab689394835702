//! Searching: the FTS5 query for a user query, snippets around a hit, and the SQL clauses of
//! an event filter.

use crate::EventFilter;

/// The FTS5 query for a user query: the stems of its words, each quoted, all required.
pub(crate) fn fts_query(query: &str) -> Option<String> {
    let analysis = marsad_text::analyze(query);
    let terms = crate::search_terms(&analysis);
    let parts: Vec<String> = terms
        .split_whitespace()
        .map(|t| format!("\"{}\"", t.replace('"', "")))
        .collect();
    (!parts.is_empty()).then(|| parts.join(" "))
}

/// A passage of `text` around the first word whose stem matches one of the query's stems.
pub(crate) fn snippet(text: &str, query: &str) -> String {
    let q = marsad_text::analyze(query);
    let wanted: Vec<&str> = q
        .tokens
        .iter()
        .filter(|t| t.is_word() || t.kind == marsad_text::TokenKind::Number)
        .map(|t| t.stem.as_str())
        .collect();
    let a = marsad_text::analyze(text);
    let hit = a.tokens.iter().find(|t| wanted.contains(&t.stem.as_str()));
    let (s, e) = match hit {
        Some(t) => (t.start, t.end),
        None => (0, 0),
    };
    let mut from = s.saturating_sub(120);
    while !text.is_char_boundary(from) {
        from -= 1;
    }
    let mut to = (e + 120).min(text.len());
    while !text.is_char_boundary(to) {
        to += 1;
    }
    let mut out = String::new();
    if from > 0 {
        out.push('…');
    }
    out.push_str(text[from..to].trim());
    if to < text.len() {
        out.push('…');
    }
    out
}

/// Appends the `AND …` clauses of a filter (over the `events e` table) to `sql`, numbering the
/// parameters after those already in `args`. Limit and offset are the caller's.
pub(crate) fn filter_clauses(
    f: &EventFilter,
    sql: &mut String,
    args: &mut Vec<rusqlite::types::Value>,
) {
    let mut push = |sql: &mut String, clause: &str, v: rusqlite::types::Value| {
        args.push(v);
        sql.push_str(&clause.replace('?', &format!("?{}", args.len())));
    };
    use rusqlite::types::Value as V;
    if let Some(t) = &f.event_type {
        push(sql, " AND e.event_type = ?", V::Text(t.to_uppercase()));
    }
    if let Some(m) = &f.mode {
        push(sql, " AND instr(e.modes, ?) > 0", V::Text(format!("|{m}|")));
    }
    if let Some(c) = &f.country {
        push(sql, " AND e.country = ?", V::Text(c.to_uppercase()));
    }
    if let Some(a) = &f.admin1 {
        push(sql, " AND e.admin1 = ?", V::Text(a.clone()));
    }
    if let Some(a) = &f.actor {
        push(
            sql,
            " AND instr(lower(e.actors), lower(?)) > 0",
            V::Text(a.clone()),
        );
    }
    if let Some(d) = &f.from {
        push(sql, " AND e.date >= ?", V::Text(d.clone()));
    }
    if let Some(d) = &f.to {
        push(sql, " AND e.date <= ?", V::Text(d.clone()));
    }
    if let Some((x0, y0, x1, y1)) = f.bbox {
        push(sql, " AND e.lon >= ?", V::Real(x0));
        push(sql, " AND e.lat >= ?", V::Real(y0));
        push(sql, " AND e.lon <= ?", V::Real(x1));
        push(sql, " AND e.lat <= ?", V::Real(y1));
    }
    if let Some(m) = &f.modality {
        push(sql, " AND e.modality = ?", V::Text(m.to_lowercase()));
    }
    if let Some(p) = &f.precision {
        push(
            sql,
            " AND json_extract(e.record, '$.location.precision') = ?",
            V::Text(p.to_lowercase()),
        );
    }
    if let Some(c) = f.min_confidence {
        push(
            sql,
            " AND json_extract(e.record, '$.confidence') >= ?",
            V::Real(c),
        );
    }
    if let Some(t) = &f.updated_since {
        push(sql, " AND e.updated_at >= ?", V::Text(t.clone()));
    }
    if f.factual_only {
        sql.push_str(" AND e.factual = 1");
    }
    // a blank query is no filter; one with no word to search (punctuation only) matches
    // nothing, as it does in a search
    match f.query.as_deref().filter(|q| !q.trim().is_empty()).map(fts_query) {
        None => {}
        Some(Some(q)) => push(
            sql,
            " AND e.rowid IN (SELECT m.event FROM event_mentions m WHERE m.doc IN (SELECT rowid FROM doc_terms WHERE doc_terms MATCH ?))",
            V::Text(q),
        ),
        Some(None) => sql.push_str(" AND 0"),
    }
}
