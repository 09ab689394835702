//! The dashboard: server-rendered HTML + SVG pages that work without JavaScript. This module
//! holds what the pages share (layout pieces, the filter form, event tables, pagers, the map's
//! controls, the timeline); [`lists`] the overview and the lists, [`record`] one event and one
//! document with their evidence, [`search`] the search page.

mod lists;
mod record;
mod search;

pub use lists::{entities, entity, events, overview, place, places};
pub use record::{document, event};
pub use search::search;

use crate::api::{self, stats_value, timeline_buckets, total};
use crate::html::{self, bi, category_label, esc, page, place_name, who, Layer};
use crate::params::{self, encode, parse_query, query_string, Params, Query};
use crate::problem::Problem;
use crate::svg::{self, BBox};
use crate::AppState;
use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use marsad_record::{Bound, Counts, Event, Modality, Participant};
use marsad_store::{MapPoint, Scope, StoredEvent};
use serde_json::Value;
use std::fmt::Write;

/// The stylesheet.
pub const STYLE_CSS: &str = include_str!("../../assets/style.css");
/// The optional zoom script.
pub const MAP_JS: &str = include_str!("../../assets/map.js");

/// Events per page of a list.
const PAGE: usize = 50;
/// Most points drawn on a map.
const MAX_POINTS: usize = 1000;

/// A page or an error page with the problem's status.
pub struct PageError(Problem);

impl From<Problem> for PageError {
    fn from(p: Problem) -> Self {
        PageError(p)
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let p = self.0;
        let body = format!(
            "<h1>{} <span class=\"status\">{}</span></h1><p>{}</p><p><a href=\"/\">{}</a></p>",
            esc(p.title),
            p.status.as_u16(),
            esc(&p.detail),
            bi("Back to the overview", "العودة إلى النظرة العامة")
        );
        (p.status, Html(page(p.title, "", &body))).into_response()
    }
}

type PageResult = Result<Html<String>, PageError>;

/// An HTML 404 for paths that are no page.
pub fn not_found_page(path: &str) -> Response {
    PageError(Problem::new(
        StatusCode::NOT_FOUND,
        "Not found",
        format!("there is no page at {path}"),
    ))
    .into_response()
}

/// `GET /static/{name}`: the compiled-in stylesheet and script (nothing is read from disk).
pub async fn asset(Path(name): Path<String>) -> Response {
    let (body, ctype) = match name.as_str() {
        "style.css" => (stylesheet(), "text/css; charset=utf-8"),
        "map.js" => (MAP_JS, "text/javascript; charset=utf-8"),
        _ => return not_found_page(&format!("/static/{name}")),
    };
    let mut r = body.into_response();
    r.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(ctype));
    r.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=3600"),
    );
    r
}

/// The stylesheet with one colour rule per category.
fn stylesheet() -> &'static str {
    static CSS: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    CSS.get_or_init(|| {
        let mut css = String::from(STYLE_CSS);
        for c in html::CATEGORIES {
            let _ = writeln!(
                css,
                ".dot[data-type=\"{}\"] {{ background: {}; }}",
                c.name, c.colour
            );
        }
        css
    })
}

fn href(path: &str, q: &Query, changes: &[(&str, Option<&str>)]) -> String {
    let qs = query_string(q, changes);
    if qs.is_empty() {
        path.to_string()
    } else {
        format!("{path}?{qs}")
    }
}

/// The filter form; `action` is the page it submits to.
fn filter_form(
    action: &str,
    q: &Query,
    types: &[(String, u64)],
    countries: &[(String, u64)],
) -> String {
    let v = |k: &str| esc(q.get(k).map_or("", String::as_str));
    let mut f = format!(
        "<form class=\"filters\" method=\"get\" action=\"{}\">",
        esc(action)
    );
    let _ = write!(f, "<label><span class=\"lbl\">{}</span><select name=\"type\"><option value=\"\">any · الكل</option>", bi("Category", "الفئة"));
    let cur = q.get("type").map(|s| s.to_uppercase());
    let mut names: Vec<&str> = html::CATEGORIES.iter().map(|c| c.name).collect();
    for (t, _) in types {
        if !names.contains(&t.as_str()) {
            names.push(t);
        }
    }
    for t in names {
        let n = types.iter().find(|(x, _)| x == t).map_or(0, |x| x.1);
        let sel = if cur.as_deref() == Some(t) {
            " selected"
        } else {
            ""
        };
        let label = html::category(t).map_or(t.to_string(), |c| format!("{} · {}", c.en, c.ar));
        let _ = write!(
            f,
            "<option value=\"{}\"{sel}>{} ({n})</option>",
            esc(t),
            esc(&label)
        );
    }
    f.push_str("</select></label>");
    let _ = write!(f, "<label><span class=\"lbl\">{}</span><select name=\"country\"><option value=\"\">any · الكل</option>", bi("Country", "البلد"));
    let cur = q.get("country").map(|s| s.to_uppercase());
    for (c, n) in countries.iter().take(80) {
        let sel = if cur.as_deref() == Some(c.as_str()) {
            " selected"
        } else {
            ""
        };
        let _ = write!(
            f,
            "<option value=\"{}\"{sel}>{} · {} ({n})</option>",
            esc(c),
            esc(&html::country_name(c)),
            esc(c)
        );
    }
    f.push_str("</select></label>");
    for (k, en, ar, ty) in [
        ("mode", "Mode", "النمط", "text"),
        ("actor", "Actor", "الفاعل", "text"),
        ("admin1", "Province", "المحافظة", "text"),
        ("from", "From", "من", "date"),
        ("to", "To", "إلى", "date"),
        ("q", "Words", "كلمات", "search"),
    ] {
        let dir = if matches!(k, "actor" | "q") {
            " dir=\"auto\""
        } else {
            ""
        };
        let _ = write!(f, "<label><span class=\"lbl\">{}</span><input type=\"{ty}\" name=\"{k}\" value=\"{}\"{dir}></label>", bi(en, ar), v(k));
    }
    let checked = if q.get("all").is_some_and(|a| a != "0") {
        " checked"
    } else {
        ""
    };
    let _ = write!(
        f,
        "<label class=\"check\"><input type=\"checkbox\" name=\"all\" value=\"1\"{checked}> {}</label>",
        bi("Include negated, future and hypothetical", "تضمين المنفي والمستقبلي والافتراضي")
    );
    if let Some(b) = q.get("bbox") {
        let _ = write!(
            f,
            "<input type=\"hidden\" name=\"bbox\" value=\"{}\">",
            esc(b)
        );
    }
    let _ = write!(
        f,
        "<button type=\"submit\">{}</button> <a class=\"reset\" href=\"{}\">{}</a></form>",
        bi("Filter", "تصفية"),
        esc(action),
        bi("Clear", "مسح")
    );
    f
}

fn date_of(r: &Event) -> String {
    r.date
        .as_ref()
        .map(|d| d.value.to_string())
        .unwrap_or_default()
}

/// The place of an event: its names, then its province's name (not its code) and its country
/// code, with the country's name as a tooltip.
fn location_html(r: &Event) -> String {
    let Some(l) = &r.location else {
        return esc("—");
    };
    let name = place_name(Some(&l.name_en), Some(&l.name_ar), &l.text);
    let admin1 = l
        .admin1
        .as_deref()
        .map(|a| html::admin1_name(&l.country, a))
        .filter(|a| !a.is_empty() && *a != l.name_en)
        .map_or(String::new(), |a| {
            format!(" <bdi class=\"admin1\">{}</bdi>", esc(&a))
        });
    format!(
        "{name}{admin1} <span class=\"cc\" title=\"{}\">{}</span>",
        esc(&html::country_name(&l.country)),
        esc(&l.country)
    )
}

fn participants(list: &[Participant]) -> String {
    if list.is_empty() {
        "—".into()
    } else {
        list.iter().map(who).collect::<Vec<_>>().join("، ")
    }
}

/// A table of events (a compile-time template); each links to its evidence.
fn event_table(evs: &[StoredEvent]) -> String {
    use maud::{html, PreEscaped};
    let label = html::label;
    if evs.is_empty() {
        return html! { p.empty { (label("No events match.", "لا أحداث مطابقة.")) } }.into_string();
    }
    html! {
        table.events {
            thead { tr {
                th { (label("Date", "التاريخ")) }
                th { (label("Category", "الفئة")) }
                th { (label("Place", "المكان")) }
                th { (label("Actors", "الفاعلون")) }
                th { (label("Recipients", "المستهدفون")) }
                th { (label("Trigger", "الكلمة الدالة")) }
                th { (label("Articles (mentions)", "المقالات (الإشارات)")) }
            } }
            tbody {
                @for e in evs {
                    @let r = &e.record;
                    @let ty = r.event_type.name();
                    @let link = format!("/events/{}#evidence", encode(&r.id));
                    tr {
                        td.date { a href=(link) {
                            bdi { (r.date.as_ref().map_or("—".into(), |d| d.value.to_string())) }
                        } }
                        td {
                            span.dot data-type=(ty) {}
                            (PreEscaped(category_label(ty)))
                            @if !r.mode.is_empty() { " " span.modes { (r.mode.join(", ")) } }
                            @if r.modality != Modality::Asserted { " " span.modality { (r.modality.as_str()) } }
                        }
                        td { (PreEscaped(location_html(r))) }
                        td dir="auto" { (PreEscaped(participants(&r.actors))) }
                        td dir="auto" { (PreEscaped(participants(&r.recipients))) }
                        td lang="ar" dir="rtl" { a href=(link) { bdi { (r.trigger.text) } } }
                        td.n { (PreEscaped(articles_and_mentions(r.sources.len(), e.mentions))) }
                    }
                }
            }
        }
    }
    .into_string()
}

/// An event's articles (its sources, one per article) and, when they differ, its mentions (an
/// article can report it more than once): `3 (4)`, with a tooltip that says which is which.
fn articles_and_mentions(articles: usize, mentions: u64) -> String {
    // records stored without sources count their mentions only
    if articles == 0 {
        return format!("<span title=\"{mentions} mentions · إشارة\">({mentions})</span>");
    }
    if articles as u64 == mentions {
        return format!("<span title=\"{articles} articles · مقالة\">{articles}</span>");
    }
    format!("<span title=\"{articles} articles, {mentions} mentions · {articles} مقالة، {mentions} إشارة\">{articles} <span class=\"sub\">({mentions})</span></span>")
}

/// Previous / next links for a list.
fn pager(path: &str, q: &Query, offset: usize, shown: usize, total: u64) -> String {
    let mut p = String::from("<nav class=\"pager\">");
    if offset > 0 {
        let prev = offset.saturating_sub(PAGE).to_string();
        let _ = write!(
            p,
            "<a href=\"{}\">← {}</a> ",
            esc(&href(path, q, &[("offset", Some(&prev))])),
            bi("Newer", "الأحدث")
        );
    }
    let _ = write!(
        p,
        "<span>{}–{} / {total}</span>",
        if shown == 0 { 0 } else { offset + 1 },
        offset + shown
    );
    if ((offset + shown) as u64) < total && shown > 0 {
        let next = (offset + PAGE).to_string();
        let _ = write!(
            p,
            " <a href=\"{}\">{} →</a>",
            esc(&href(path, q, &[("offset", Some(&next))])),
            bi("Older", "الأقدم")
        );
    }
    p.push_str("</nav>");
    p
}

/// Zoom and pan links around a map, keeping the other parameters.
fn map_controls(path: &str, q: &Query, view: BBox) -> String {
    let link = |b: BBox| {
        esc(&href(
            path,
            q,
            &[("bbox", Some(&svg::bbox_param(b))), ("offset", None)],
        ))
    };
    let mut c = String::from("<nav class=\"zoom\">");
    for (label, title, f, dx, dy) in [
        ("+", "Zoom in · تكبير", 2.0, 0.0, 0.0),
        ("−", "Zoom out · تصغير", 0.5, 0.0, 0.0),
        ("←", "West · غرب", 1.0, -0.33, 0.0),
        ("→", "East · شرق", 1.0, 0.33, 0.0),
        ("↑", "North · شمال", 1.0, 0.0, 0.33),
        ("↓", "South · جنوب", 1.0, 0.0, -0.33),
    ] {
        let _ = write!(
            c,
            "<a class=\"btn\" href=\"{}\" title=\"{title}\">{label}</a>",
            link(svg::zoom(view, f, dx, dy))
        );
    }
    for (_, en, ar, b) in svg::REGIONS {
        let _ = write!(c, " <a href=\"{}\">{}</a>", link(*b), bi(en, ar));
    }
    c.push_str("</nav>");
    c
}

/// The view of a map: the `bbox` parameter fitted to the map, else the chosen country's,
/// else the default.
fn view_of(p: &Params, default: BBox) -> BBox {
    if let Some(b) = p.filter.bbox {
        return svg::fit(b);
    }
    p.filter
        .country
        .as_deref()
        .and_then(svg::country_view)
        .unwrap_or_else(|| svg::fit(default))
}

async fn points(st: &AppState, p: &Params) -> Result<std::sync::Arc<Vec<MapPoint>>, Problem> {
    let (f, scope) = (p.filter.clone(), p.scope.clone());
    st.db
        .cached(p.key("points"), move |s| {
            Ok(s.map_points(&f, &scope, MAX_POINTS)?)
        })
        .await
}

fn point_link(q: &Query) -> impl Fn(&MapPoint) -> String + '_ {
    move |m: &MapPoint| {
        href(
            &format!("/places/{}", encode(&m.key)),
            q,
            &[
                ("type", Some(&m.event_type)),
                ("bbox", None),
                ("offset", None),
            ],
        )
    }
}

fn timeline_link(q: &Query) -> impl Fn(chrono::NaiveDate, chrono::NaiveDate) -> String + '_ {
    move |a, b| {
        href(
            "/events",
            q,
            &[
                ("from", Some(&a.to_string())),
                ("to", Some(&b.to_string())),
                ("offset", None),
            ],
        )
    }
}

async fn timeline_section(st: &AppState, p: &Params, q: &Query) -> Result<String, Problem> {
    let iv = api::pick_interval(st, p).await?;
    let buckets = timeline_buckets(st, p, iv).await?;
    // the axis spans the 1st to the 99th percentile of the counted events' dates, clamped to
    // the articles' publication dates (api::timeline_span): a year mentioned in passing does not
    // stretch it
    let span = api::timeline_span(st, p).await?;
    let range = span.map(|(a, b, _)| (a, b));
    let mut s = format!(
        "<section class=\"timeline\"><h2>{} <span class=\"sub\">({})</span></h2>",
        bi("Events over time", "الأحداث عبر الزمن"),
        match iv {
            marsad_store::Interval::Day => "per day · يوميا",
            marsad_store::Interval::Week => "per week · أسبوعيا",
            marsad_store::Interval::Month => "per month · شهريا",
            marsad_store::Interval::Year => "per year · سنويا",
        }
    );
    s.push_str(&svg::timeline(&buckets, iv, range, &timeline_link(q)));
    if let Some((lo, hi, _)) = span {
        let parse = |d: &str| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok();
        let outside: u64 = buckets
            .iter()
            .filter(|b| parse(&b.start).is_some_and(|d| !svg::in_range(d, iv, range)))
            .map(|b| b.events)
            .sum();
        if outside > 0 {
            let _ = write!(
                s,
                "<p class=\"note\">{}: <bdi>{lo}</bdi> – <bdi>{hi}</bdi>; <bdi>{outside}</bdi> {}</p>",
                bi("Drawn", "المعروض"),
                bi(
                    "dated events outside it are not drawn (the earliest and latest 1%, and dates outside the articles' publication dates)",
                    "حدثا خارجها غير معروضة"
                )
            );
        }
    }
    let _ = write!(s, "<p class=\"intervals\">");
    for (name, en, ar) in [
        ("day", "day", "يوم"),
        ("week", "week", "أسبوع"),
        ("month", "month", "شهر"),
        ("year", "year", "سنة"),
    ] {
        let _ = write!(
            s,
            "<a href=\"?{}\">{}</a> ",
            esc(&query_string(q, &[("interval", Some(name))])),
            bi(en, ar)
        );
    }
    s.push_str("</p></section>");
    Ok(s)
}

/// Counts by value: (value, events).
type Tally = Vec<(String, u64)>;

/// The filter facets (category and country counts) for the form, from the stats.
fn facets_of(s: &Value) -> (Tally, Tally) {
    let pairs = |k: &str| -> Vec<(String, u64)> {
        s[k].as_array()
            .into_iter()
            .flatten()
            .filter_map(|v| Some((v["value"].as_str()?.to_string(), v["events"].as_u64()?)))
            .collect()
    };
    (pairs("event_types"), pairs("countries"))
}

/// The filter facets (category and country counts) for the form.
async fn facets(st: &AppState) -> Result<(Tally, Tally), Problem> {
    Ok(facets_of(&*stats_value(st).await?))
}

/// Computes the default overview once, so that the first visitor finds its aggregates cached.
pub async fn warm(st: AppState) {
    let started = std::time::Instant::now();
    if overview(State(st), RawQuery(None)).await.is_ok() {
        eprintln!(
            "marsad: overview ready in {:.0} ms",
            started.elapsed().as_secs_f64() * 1e3
        );
    }
}

fn entity_name(a: &marsad_store::EntityCount) -> String {
    match (&a.text, &a.name_en) {
        (None, None) => html::glossed(&a.key, ""),
        (t, e) => html::glossed(t.as_deref().unwrap_or(""), e.as_deref().unwrap_or("")),
    }
}

fn export_links(q: &Query) -> String {
    let mut s = format!("<p class=\"exports\">{}: ", bi("Download", "تنزيل"));
    for f in ["csv", "geojson", "jsonl"] {
        let _ = write!(
            s,
            "<a href=\"{}\">{}</a> ",
            esc(&href(
                &format!("/api/v1/exports/{f}"),
                q,
                &[("offset", None)]
            )),
            f.to_uppercase()
        );
    }
    let _ = write!(
        s,
        "· <a href=\"{}\">JSON API</a></p>",
        esc(&href("/api/v1/events", q, &[]))
    );
    s
}

fn simple_pager(path: &str, q: &Query, offset: usize, shown: usize) -> String {
    let mut s = String::from("<nav class=\"pager\">");
    if offset > 0 {
        let prev = offset.saturating_sub(PAGE).to_string();
        let _ = write!(
            s,
            "<a href=\"{}\">← {}</a> ",
            esc(&href(path, q, &[("offset", Some(&prev))])),
            bi("Previous", "السابق")
        );
    }
    if shown == PAGE {
        let next = (offset + PAGE).to_string();
        let _ = write!(
            s,
            "<a href=\"{}\">{} →</a>",
            esc(&href(path, q, &[("offset", Some(&next))])),
            bi("Next", "التالي")
        );
    }
    s.push_str("</nav>");
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_province_is_shown_by_name_not_by_its_code() {
        let r = marsad_record::testing::event(json!({
            "id": "e", "event_type": "ASSAULT",
            "location": {"geonameid": 99072, "name_en": "Mosul", "name_ar": "الموصل",
                         "country": "IQ", "admin1": "15", "lat": 36.3, "lon": 43.1}
        }));
        let h = location_html(&r);
        assert!(
            h.contains("<bdi>Mosul</bdi> <bdi lang=\"ar\">الموصل</bdi>"),
            "{h}"
        );
        assert!(!h.contains(">15<") && !h.contains("IQ · 15"), "{h}");
        assert!(h.contains("<bdi class=\"admin1\">"), "{h}");
        assert!(h.contains("title=\"Iraq\""), "{h}");
    }

    #[test]
    fn articles_and_mentions_are_told_apart() {
        assert!(articles_and_mentions(2, 2).contains(">2<"));
        let both = articles_and_mentions(2, 3);
        assert!(both.contains("2 articles, 3 mentions"), "{both}");
    }
}
