//! Provenance on reading: the articles that report an event, derived from its mentions, so that
//! a document merged into the event later is listed too.

use crate::StoreError;
use marsad_record::{is_web_url, url_domain, ArticleSource};
use rusqlite::Connection;

/// The articles that report event `event` (its rowid), one per document, earliest first. A
/// stored address that is not a web address (a path from an older database) is left out; an
/// outlet missing from an older database is the address's domain.
pub(crate) fn sources_of(conn: &Connection, event: i64) -> Result<Vec<ArticleSource>, StoreError> {
    let mut st = conn.prepare_cached(
        "SELECT d.id, d.external_id, d.outlet, d.url, d.title, d.date FROM documents d WHERE d.rowid IN (SELECT m.doc FROM event_mentions m WHERE m.event = ?1) ORDER BY d.date, d.rowid",
    )?;
    let rows = st.query_map([event], |r| {
        let url: Option<String> = r.get::<_, Option<String>>(3)?.filter(|u| is_web_url(u));
        let outlet: Option<String> = r.get(2)?;
        Ok(ArticleSource {
            doc_id: r.get(0)?,
            external_id: r.get(1)?,
            outlet: outlet.or_else(|| url.as_deref().and_then(url_domain)),
            url,
            title: r.get(4)?,
            published: r.get(5)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// A stored record's JSON with `"sources"` added as its last field (records are stored without
/// it), without parsing the record.
pub(crate) fn with_sources(
    record: String,
    sources: &[ArticleSource],
) -> Result<String, StoreError> {
    if sources.is_empty() {
        return Ok(record);
    }
    let list = serde_json::to_string(sources)?;
    let t = record.trim_end();
    let Some(body) = t.strip_suffix('}') else {
        return Ok(record);
    };
    let body = body.trim_end();
    let sep = if body.ends_with('{') { "" } else { "," };
    Ok(format!("{body}{sep}\"sources\":{list}}}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sources_are_appended_to_the_stored_json() {
        let s = vec![ArticleSource {
            doc_id: "d1".into(),
            outlet: Some("BBC".into()),
            ..Default::default()
        }];
        let got = with_sources(r#"{"id":"e1"} "#.into(), &s).unwrap();
        let v: serde_json::Value = serde_json::from_str(&got).unwrap();
        assert_eq!(v["id"], "e1");
        assert_eq!(v["sources"][0]["outlet"], "BBC");
        let got = with_sources("{}".into(), &s).unwrap();
        assert!(
            serde_json::from_str::<serde_json::Value>(&got).is_ok(),
            "{got}"
        );
        assert_eq!(with_sources("{}".into(), &[]).unwrap(), "{}");
    }
}
