//! The JSON API under `/api/v1` (described by [`crate::openapi`], served at
//! `/api/v1/openapi.json`).

use crate::params::{self, parse_query, Params, Query, DEFAULT_LIMIT, MAX_LIMIT};
use crate::problem::Problem;
use crate::svg;
use crate::AppState;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use marsad_export as export;
use marsad_store::{EventFilter, Facet, Group, Interval, Scope, StoredEvent};
use serde_json::{json, Value};

/// Most events one export returns.
pub const MAX_EXPORT: usize = 100_000;
/// Events one export returns by default.
pub const DEFAULT_EXPORT: usize = 10_000;
/// Most documents one `POST /api/v1/documents` takes.
pub const MAX_POST_DOCS: usize = 100;

type ApiResult = Result<Response, Problem>;

fn json_response(status: StatusCode, v: &Value) -> Response {
    let mut r = (status, v.to_string()).into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    r
}

fn ok(v: &Value) -> ApiResult {
    Ok(json_response(StatusCode::OK, v))
}

/// An event record with its mention count, as the API returns it.
pub fn event_json(e: &StoredEvent) -> export::WithMentions<'_> {
    export::WithMentions::from(e)
}

/// `GET /api/v1/openapi.json`
pub async fn openapi() -> Response {
    let mut r = crate::openapi::text().into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    r
}

fn query_params(raw: Option<String>) -> Query {
    parse_query(raw.as_deref())
}

/// The total number of events under a filter and scope (cached briefly).
pub async fn total(st: &AppState, p: &Params) -> Result<u64, Problem> {
    let (f, scope) = (p.filter.clone(), p.scope.clone());
    let n = st
        .db
        .cached(p.key("count"), move |s| Ok(s.count_events(&f, &scope)?))
        .await?;
    Ok(*n)
}

/// Appends a stored record with its mention count as one JSON object, without parsing it.
pub fn push_record(out: &mut String, record: &str, mentions: u64) {
    let t = record.trim();
    match t.strip_prefix('{') {
        Some(rest) if rest.trim_start().starts_with('}') => {
            out.push_str(&format!("{{\"mentions\":{mentions}}}"));
        }
        Some(rest) => {
            out.push_str(&format!("{{\"mentions\":{mentions},"));
            out.push_str(rest);
        }
        None => out.push_str(&format!("{{\"mentions\":{mentions},\"record\":{t}}}")),
    }
}

/// `GET /api/v1/events`; a `q` with no word to search (punctuation only) matches no event,
/// as in `/search` (a blank `q` is no filter).
pub async fn events(State(st): State<AppState>, RawQuery(raw): RawQuery) -> ApiResult {
    let q = query_params(raw);
    let p = Params::from_query(&q, DEFAULT_LIMIT, MAX_LIMIT)?;
    let (f, scope) = (p.filter.clone(), p.scope.clone());
    let evs = st.db.run(move |s| Ok(s.events_raw(&f, &scope)?)).await?;
    let total = total(&st, &p).await?;
    let (limit, offset) = (p.filter.limit, p.filter.offset);
    let next = (offset + evs.len() < total as usize && !evs.is_empty()).then(|| {
        let off = (offset + limit).to_string();
        let lim = limit.to_string();
        format!(
            "/api/v1/events?{}",
            params::query_string(&q, &[("offset", Some(&off)), ("limit", Some(&lim))])
        )
    });
    // records pass through as stored: no parse and re-serialization per request
    let mut body = String::with_capacity(evs.iter().map(|e| e.0.len() + 16).sum::<usize>() + 256);
    body.push_str(&format!(
        "{{\"total\":{total},\"limit\":{limit},\"offset\":{offset},\"next\":{},\"events\":[",
        json!(next)
    ));
    for (i, (rec, m)) in evs.iter().enumerate() {
        if i > 0 {
            body.push(',');
        }
        push_record(&mut body, rec, *m);
    }
    body.push_str("]}");
    let mut r = (StatusCode::OK, body).into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    Ok(r)
}

/// Mentions one `GET /api/v1/events/{id}` returns by default.
pub const DEFAULT_MENTIONS: usize = 100;
/// Most mentions one `GET /api/v1/events/{id}` returns.
pub const MAX_MENTIONS: usize = 1_000;
/// Mentions of a page that carry the article's metadata and the evidence text.
const DETAILED_MENTIONS: usize = 50;

/// `GET /api/v1/events/{id}`: the event and one page of its mentions, `mentions_limit`
/// (default 100, at most 1000) from `mentions_offset` (default 0), with `mentions_total`.
pub async fn event(
    State(st): State<AppState>,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
) -> ApiResult {
    let q = query_params(raw);
    let limit = params::uint(&q, "mentions_limit", DEFAULT_MENTIONS, MAX_MENTIONS)?;
    if limit == 0 {
        return Err(Problem::bad_request("mentions_limit must be at least 1"));
    }
    let offset = params::uint(&q, "mentions_offset", 0, params::MAX_OFFSET)?;
    let idc = id.clone();
    let got = st
        .db
        .run(move |s| {
            let Some((ev, total, mentions)) = s.event_page(&idc, limit, offset)? else {
                return Ok(None);
            };
            let mut out = Vec::new();
            for (i, m) in mentions.iter().enumerate() {
                let mut o = json!({"doc_id": m.doc_id, "record": m.record});
                // the article's metadata and the evidence as written, for the first mentions
                if i < DETAILED_MENTIONS {
                    if let Some(d) = s.document(&m.doc_id)? {
                        o["title"] = json!(d.title);
                        o["date"] = json!(d.date);
                        o["url"] = json!(d.url.filter(|u| marsad_record::is_web_url(u)));
                        o["outlet"] = json!(d.outlet);
                        o["external_id"] = json!(d.external_id);
                        let (ev, tr) = (&m.record.evidence, &m.record.trigger);
                        o["evidence"] = json!({
                            "span": ev.span,
                            "sentence": ev.sentence,
                            "text": ev.span.get(&d.text),
                        });
                        o["trigger"] = json!({
                            "span": tr.span,
                            "text": tr.span.get(&d.text),
                        });
                    }
                }
                out.push(o);
            }
            Ok(Some((ev, total, out)))
        })
        .await?;
    let Some((ev, total, mentions)) = got else {
        return Err(Problem::not_found(format!("no event {id:?}")));
    };
    ok(&json!({
        "event": event_json(&ev),
        "mentions_total": total,
        "mentions_limit": limit,
        "mentions_offset": offset,
        "mentions": mentions,
    }))
}

/// `GET /api/v1/documents/{id}`
pub async fn document(State(st): State<AppState>, Path(id): Path<String>) -> ApiResult {
    let idc = id.clone();
    let d = st.db.run(move |s| Ok(s.document(&idc)?)).await?;
    match d {
        Some(d) => ok(&serde_json::to_value(&d).map_err(Problem::internal)?),
        None => Err(Problem::not_found(format!("no document {id:?}"))),
    }
}

/// `GET /api/v1/search?q=`; a `q` with no word to search (punctuation only) gives no hits,
/// as in `/events`.
pub async fn search(State(st): State<AppState>, RawQuery(raw): RawQuery) -> ApiResult {
    let q = query_params(raw);
    let Some(text) = q.get("q").cloned() else {
        return Err(Problem::bad_request("q is required"));
    };
    let limit = params::uint(&q, "limit", 20, MAX_LIMIT)?.max(1);
    let offset = params::uint(&q, "offset", 0, params::MAX_OFFSET)?;
    let t = text.clone();
    let (hits, total) = st
        .db
        .run(move |s| Ok((s.search(&t, limit, offset)?, s.search_count(&t)?)))
        .await?;
    ok(&json!({"query": text, "total": total, "limit": limit, "offset": offset, "hits": hits}))
}

/// Counts for the whole store, cached briefly.
pub async fn stats_value(st: &AppState) -> Result<std::sync::Arc<Value>, Problem> {
    st.db
        .cached("stats".into(), |s| {
            let factual = EventFilter {
                factual_only: true,
                limit: 1,
                ..Default::default()
            };
            let pairs = |v: Vec<(String, u64)>| -> Value {
                v.into_iter()
                    .map(|(k, n)| json!({"value": k, "events": n}))
                    .collect()
            };
            let mut v = serde_json::to_value(s.stats()?).map_err(Problem::internal)?;
            v["factual_events"] = s.count_events(&factual, &Scope::All)?.into();
            v["event_types"] = pairs(s.facet(&factual, Facet::EventType)?);
            v["countries"] = pairs(s.facet(&factual, Facet::Country)?);
            v["date_range"] = json!(s.date_range(&factual, &Scope::All)?);
            Ok(v)
        })
        .await
}

/// `GET /api/v1/stats`
pub async fn stats(State(st): State<AppState>) -> ApiResult {
    let v = stats_value(&st).await?;
    ok(&v)
}

/// `GET /api/v1/places`
pub async fn places(State(st): State<AppState>, RawQuery(raw): RawQuery) -> ApiResult {
    let q = query_params(raw);
    let p = Params::from_query(&q, DEFAULT_LIMIT, MAX_LIMIT)?;
    let f = p.filter.clone();
    let list = st
        .db
        .run(move |s| Ok(s.places(&f, f.limit, f.offset)?))
        .await?;
    ok(&json!({"limit": p.filter.limit, "offset": p.filter.offset, "places": list}))
}

/// The quantiles of counted event dates a timeline spans: the 1st to the 99th percentile, so
/// that a stray date (a year mentioned in passing, 1631 or 2030) does not stretch the axis.
pub const TIMELINE_QUANTILES: (f64, f64) = (0.01, 0.99);

/// Days before the first article's publication that a timeline still shows (an article reports
/// what happened days or weeks before it).
pub const TIMELINE_LEAD_DAYS: i64 = 31;

/// The dates a timeline of a scope spans and how many dated events there are (cached briefly):
/// the [`TIMELINE_QUANTILES`] of its counted events' dates, clamped to the publication dates
/// of the articles (from [`TIMELINE_LEAD_DAYS`] before the first to the last), since more than
/// 1% of dates can be years mentioned in passing; the quantiles alone when the two do not meet.
pub async fn timeline_span(
    st: &AppState,
    p: &Params,
) -> Result<Option<(chrono::NaiveDate, chrono::NaiveDate, u64)>, Problem> {
    let (f, scope) = (p.filter.clone(), p.scope.clone());
    let (lo, hi) = TIMELINE_QUANTILES;
    let span = st
        .db
        .cached(p.key("span"), move |s| Ok(s.date_span(&f, &scope, lo, hi)?))
        .await?;
    let published = st
        .db
        .cached("publication-range".into(), |s| Ok(s.publication_range()?))
        .await?;
    let parse = |d: &str| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok();
    let Some((a, b, n)) = span
        .as_ref()
        .as_ref()
        .and_then(|(a, b, n)| Some((parse(a)?, parse(b)?, *n)))
    else {
        return Ok(None);
    };
    let published = published
        .as_ref()
        .as_ref()
        .and_then(|(pa, pb)| Some((parse(pa)?, parse(pb)?)));
    let (a, b) = clamp_span((a, b), published);
    Ok(Some((a, b, n)))
}

/// Event dates `span` clamped to the `published` range (from [`TIMELINE_LEAD_DAYS`] before its
/// first day to its last); `span` itself when there is none or the two do not meet.
pub fn clamp_span(
    span: (chrono::NaiveDate, chrono::NaiveDate),
    published: Option<(chrono::NaiveDate, chrono::NaiveDate)>,
) -> (chrono::NaiveDate, chrono::NaiveDate) {
    published
        .map(|(pa, pb)| {
            let first = pa - chrono::Duration::days(TIMELINE_LEAD_DAYS);
            (span.0.max(first), span.1.min(pb))
        })
        .filter(|(x, y)| x <= y)
        .unwrap_or(span)
}

/// The interval for a scope: the one asked for, or the finest that fits its timeline's span.
pub async fn pick_interval(st: &AppState, p: &Params) -> Result<Interval, Problem> {
    if let Some(iv) = p.interval {
        return Ok(iv);
    }
    Ok(match timeline_span(st, p).await? {
        Some((a, b, _)) => svg::auto_interval(a, b),
        None => Interval::Day,
    })
}

/// Timeline buckets for a scope (cached briefly).
pub async fn timeline_buckets(
    st: &AppState,
    p: &Params,
    iv: Interval,
) -> Result<std::sync::Arc<Vec<marsad_store::Bucket>>, Problem> {
    let (f, scope) = (p.filter.clone(), p.scope.clone());
    st.db
        .cached(p.key(&format!("timeline-{iv:?}")), move |s| {
            Ok(s.timeline(&f, &scope, iv)?)
        })
        .await
}

async fn scoped(st: AppState, raw: Option<String>, scope: Scope) -> ApiResult {
    let mut q = query_params(raw);
    q.remove("place");
    q.remove("entity");
    let mut p = Params::from_query(&q, DEFAULT_LIMIT, MAX_LIMIT)?;
    p.scope = scope.clone();
    let (f, sc) = (p.filter.clone(), scope.clone());
    let (head, events) = st
        .db
        .run(move |s| {
            let head = match &sc {
                Scope::Place(k) => s.place(&f, k)?.map(|p| json!(p)),
                Scope::Entity(k) => s.entity(&f, k)?.map(|e| json!(e)),
                Scope::All => None,
            };
            let events = if head.is_some() {
                s.events_in(&f, &sc)?
            } else {
                Vec::new()
            };
            Ok((head, events))
        })
        .await?;
    let (name, key) = match &scope {
        Scope::Place(k) => ("place", k),
        Scope::Entity(k) => ("entity", k),
        Scope::All => ("all", &String::new()),
    };
    let Some(head) = head else {
        return Err(Problem::not_found(format!(
            "no {name} {key:?} with events under these filters"
        )));
    };
    let iv = pick_interval(&st, &p).await?;
    let buckets = timeline_buckets(&st, &p, iv).await?;
    let list: Vec<_> = events.iter().map(event_json).collect();
    ok(&json!({name: head, "interval": iv, "timeline": *buckets, "events": list}))
}

/// `GET /api/v1/places/{key}`
pub async fn place(
    State(st): State<AppState>,
    Path(key): Path<String>,
    RawQuery(raw): RawQuery,
) -> ApiResult {
    scoped(st, raw, Scope::Place(key)).await
}

/// `GET /api/v1/entities`
pub async fn entities(State(st): State<AppState>, RawQuery(raw): RawQuery) -> ApiResult {
    let q = query_params(raw);
    let p = Params::from_query(&q, DEFAULT_LIMIT, MAX_LIMIT)?;
    let f = p.filter.clone();
    let list = st
        .db
        .cached(p.page_key("entities"), move |s| {
            Ok(s.entities(&f, f.limit, f.offset)?)
        })
        .await?;
    ok(&json!({"limit": p.filter.limit, "offset": p.filter.offset, "entities": *list}))
}

/// `GET /api/v1/entities/{key}`
pub async fn entity(
    State(st): State<AppState>,
    Path(key): Path<String>,
    RawQuery(raw): RawQuery,
) -> ApiResult {
    scoped(st, raw, Scope::Entity(key)).await
}

/// `GET /api/v1/timeline`
pub async fn timeline(State(st): State<AppState>, RawQuery(raw): RawQuery) -> ApiResult {
    let q = query_params(raw);
    let p = Params::from_query(&q, DEFAULT_LIMIT, MAX_LIMIT)?;
    let iv = pick_interval(&st, &p).await?;
    let buckets = timeline_buckets(&st, &p, iv).await?;
    ok(&json!({"interval": iv, "buckets": *buckets}))
}

/// `GET /api/v1/exports/{format}`: `csv`, `geojson` or `jsonl`, one page of `limit` events
/// (default 10,000, at most 100,000) from `offset`. Exports are paged, never cut silently:
/// every answer says how many events match (`X-Total-Count`) and, when more follow, where the
/// next page is (`Link: <…>; rel="next"`, and `X-Next-Offset`).
pub async fn export(
    State(st): State<AppState>,
    Path(format): Path<String>,
    RawQuery(raw): RawQuery,
) -> ApiResult {
    let (ctype, ext) = match format.as_str() {
        "csv" => ("text/csv; charset=utf-8", "csv"),
        "geojson" => ("application/geo+json", "geojson"),
        "jsonl" => ("application/x-ndjson", "jsonl"),
        _ => {
            return Err(Problem::not_found(format!(
                "no export format {format:?} (csv, geojson, jsonl)"
            )))
        }
    };
    let q = query_params(raw);
    let p = Params::from_query(&q, DEFAULT_EXPORT, MAX_EXPORT)?;
    let (f, scope) = (p.filter.clone(), p.scope.clone());
    let (bytes, n) = st
        .db
        .run(move |s| {
            let evs = s.events_in(&f, &scope)?;
            let b = match ext {
                "csv" => export::csv_bytes_with(&evs, &mut |id| s.document_text(id).ok().flatten()),
                "geojson" => serde_json::to_vec(&export::geojson(&evs)).map_err(Into::into),
                _ => export::jsonl(&evs),
            };
            Ok((b.map_err(Problem::internal)?, evs.len()))
        })
        .await?;
    let total = total(&st, &p).await?;
    let (limit, offset) = (p.filter.limit, p.filter.offset);
    let mut r = bytes.into_response();
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(ctype));
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"marsad-events.{ext}\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    h.insert("x-total-count", HeaderValue::from(total));
    let next_offset = offset + n;
    if n > 0 && (next_offset as u64) < total {
        let (off, lim) = (next_offset.to_string(), limit.to_string());
        let url = format!(
            "/api/v1/exports/{ext}?{}",
            params::query_string(&q, &[("offset", Some(&off)), ("limit", Some(&lim))])
        );
        if let Ok(v) = HeaderValue::from_str(&format!("<{url}>; rel=\"next\"")) {
            h.insert(header::LINK, v);
        }
        h.insert("x-next-offset", HeaderValue::from(next_offset));
    }
    h.insert(
        header::ACCESS_CONTROL_EXPOSE_HEADERS,
        HeaderValue::from_static("link, x-total-count, x-next-offset"),
    );
    Ok(r)
}

/// `GET /api/v1/aggregates`: counted events and their fatalities (tolls marked `aggregate`
/// left out) by `by` (`month`, the default, or `week`) and `group` (`type`, the default,
/// `country`, `admin1` or `actor`), under the usual filters and scope.
pub async fn aggregates(State(st): State<AppState>, RawQuery(raw): RawQuery) -> ApiResult {
    let q = query_params(raw);
    let p = Params::from_query(&q, DEFAULT_LIMIT, MAX_LIMIT)?;
    if !p.filter.factual_only {
        return Err(Problem::bad_request(
            "aggregates count only counted events (asserted, reported, claimed): leave out all and modality",
        ));
    }
    let by = match q.get("by").map(String::as_str) {
        None | Some("month") => Interval::Month,
        Some("week") => Interval::Week,
        Some(v) => {
            return Err(Problem::bad_request(format!(
                "by {v:?} is not a period; allowed: month, week"
            )))
        }
    };
    let group = match q.get("group") {
        None => Group::Type,
        Some(v) => Group::parse(v).ok_or_else(|| {
            let all: Vec<&str> = Group::ALL.iter().map(|g| g.as_str()).collect();
            Problem::bad_request(format!(
                "group {v:?} is not a grouping; allowed: {}",
                all.join(", ")
            ))
        })?,
    };
    let (f, scope) = (p.filter.clone(), p.scope.clone());
    let key = format!("{}|{by:?}|{}", p.key("aggregates"), group.as_str());
    let rows = st
        .db
        .cached(key, move |s| Ok(s.aggregates(&f, &scope, by, group)?))
        .await?;
    let (events, fatalities) = rows
        .iter()
        .fold((0, 0), |(e, k), r| (e + r.events, k + r.fatalities));
    ok(&json!({
        "by": if by == Interval::Week { "week" } else { "month" },
        "group": group.as_str(),
        "rows": *rows,
        "total": {"events": events, "fatalities": fatalities},
    }))
}

/// Whether the request carries the write token.
fn authorize(
    st: &AppState,
    headers: &HeaderMap,
) -> Result<std::sync::Arc<crate::writes::Writes>, Problem> {
    let Some(ws) = &st.writes else {
        return Err(Problem::forbidden(
            "this server is read-only (start it with --write-token to accept documents)",
        ));
    };
    let Some(auth) = headers.get(header::AUTHORIZATION) else {
        return Err(Problem::unauthorized());
    };
    let given = auth
        .to_str()
        .ok()
        .and_then(|a| {
            a.strip_prefix("Bearer ")
                .or_else(|| a.strip_prefix("bearer "))
        })
        .map(str::trim);
    let Some(given) = given else {
        return Err(Problem::unauthorized());
    };
    // compare without stopping at the first difference
    let (a, b) = (given.as_bytes(), ws.writer.token.as_bytes());
    let mut diff = a.len() ^ b.len();
    for (i, &x) in b.iter().enumerate() {
        diff |= usize::from(x ^ a.get(i).copied().unwrap_or(0));
    }
    if diff != 0 {
        return Err(Problem::forbidden("wrong write token"));
    }
    Ok(ws.clone())
}

/// Whether a request is a write (`POST /api/v1/documents`), which keeps its own deadline.
pub fn is_write(req: &axum::extract::Request) -> bool {
    req.method() == axum::http::Method::POST && req.uri().path() == "/api/v1/documents"
}

/// Reads a request body of at most `limit` bytes before `deadline`.
async fn read_body(
    body: axum::body::Body,
    limit: usize,
    deadline: std::time::Instant,
) -> Result<Bytes, Problem> {
    match tokio::time::timeout_at(deadline.into(), axum::body::to_bytes(body, limit)).await {
        Err(_) => Err(Problem::timeout()),
        Ok(Ok(b)) => Ok(b),
        Ok(Err(e)) => {
            let too_large = std::error::Error::source(&e)
                .is_some_and(|s| s.is::<http_body_util::LengthLimitError>())
                || e.to_string().contains("length limit");
            if too_large {
                Err(Problem::too_large(limit))
            } else {
                Err(Problem::bad_request(format!(
                    "the body cannot be read: {e}"
                )))
            }
        }
    }
}

/// `POST /api/v1/documents`: one document object or a list of them (`text`, optional `title`,
/// `url`, `date`); annotated by the ingest pipeline and stored. Needs the write token.
/// Writes wait in a bounded queue for the writer threads: a full queue answers 503 with
/// `Retry-After`, and a write not committed within the time limit answers 503 Timeout and is
/// never committed afterwards.
pub async fn post_documents(
    State(st): State<AppState>,
    headers: HeaderMap,
    body: axum::body::Body,
) -> ApiResult {
    let deadline = std::time::Instant::now() + st.config.timeout;
    let writes = authorize(&st, &headers)?;
    let body = read_body(body, st.config.max_body, deadline).await?;
    let v: Value = serde_json::from_slice(&body)
        .map_err(|e| Problem::bad_request(format!("the body is not JSON: {e}")))?;
    let items = match v {
        Value::Array(a) => a,
        o @ Value::Object(_) => vec![o],
        _ => {
            return Err(Problem::bad_request(
                "send a document object or a list of them",
            ))
        }
    };
    if items.is_empty() || items.len() > MAX_POST_DOCS {
        return Err(Problem::bad_request(format!(
            "send between 1 and {MAX_POST_DOCS} documents"
        )));
    }
    let mut docs = Vec::with_capacity(items.len());
    for (i, it) in items.into_iter().enumerate() {
        let d: marsad_pipeline::input::InputDoc = serde_json::from_value(it)
            .map_err(|e| Problem::bad_request(format!("document {i}: {e}")))?;
        docs.push(d);
    }
    let written = writes
        .write(docs, st.config.max_body as u64, deadline)
        .await?;
    st.db.invalidate();
    let docs: Vec<Value> = written
        .ids
        .iter()
        .zip(&written.events)
        .map(|(id, n)| json!({"id": id, "events_found": n, "href": format!("/api/v1/documents/{id}")}))
        .collect();
    Ok(json_response(
        StatusCode::CREATED,
        &json!({"summary": written.summary, "documents": docs}),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_timeline_span_is_clamped_to_the_publication_dates() {
        let d = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let published = Some((d("2015-01-10"), d("2018-10-20")));
        // 1988 (a year mentioned in passing) to 2030 becomes a month before the first article
        // to the last one
        assert_eq!(
            clamp_span((d("1988-01-01"), d("2030-01-01")), published),
            (d("2014-12-10"), d("2018-10-20"))
        );
        // inside, the span stays; with nothing in common, too
        let inside = (d("2016-02-01"), d("2017-03-01"));
        assert_eq!(clamp_span(inside, published), inside);
        let before = (d("1990-01-01"), d("1991-01-01"));
        assert_eq!(clamp_span(before, published), before);
        assert_eq!(clamp_span(inside, None), inside);
    }

    #[test]
    fn records_pass_through_with_their_mention_count() {
        for (rec, want) in [
            (
                r#"{"id":"e1","event_type":"ASSAULT"}"#,
                json!({"mentions": 3, "id": "e1", "event_type": "ASSAULT"}),
            ),
            ("{}", json!({"mentions": 3})),
            (" { } ", json!({"mentions": 3})),
            ("[1]", json!({"mentions": 3, "record": [1]})),
        ] {
            let mut out = String::new();
            push_record(&mut out, rec, 3);
            assert_eq!(serde_json::from_str::<Value>(&out).unwrap(), want, "{rec}");
        }
    }
}
