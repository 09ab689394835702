//! The dashboard: server-rendered HTML + SVG pages that work without JavaScript.

use super::api::{self, stats_value, timeline_buckets, total};
use super::html::{self, bi, category_label, esc, page, place_name, who, Layer};
use super::params::{self, encode, parse_query, query_string, Params, Query};
use super::problem::Problem;
use super::svg::{self, BBox};
use super::AppState;
use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use marsad_record::{Bound, Counts, Event, Modality, Participant};
use marsad_store::{Browse, MapPoint, Scope, Store, StoredEvent};
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
        let _ = write!(f, "<option value=\"{0}\"{sel}>{0} ({n})</option>", esc(c));
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

fn location_html(r: &Event) -> String {
    let Some(l) = &r.location else {
        return esc("—");
    };
    let name = place_name(Some(&l.name_en), Some(&l.name_ar), &l.text);
    format!("{name} <span class=\"cc\">{}</span>", esc(&l.country))
}

fn participants(list: &[Participant]) -> String {
    if list.is_empty() {
        "—".into()
    } else {
        list.iter().map(who).collect::<Vec<_>>().join("، ")
    }
}

/// A table of events.
fn event_table(evs: &[StoredEvent]) -> String {
    if evs.is_empty() {
        return format!(
            "<p class=\"empty\">{}</p>",
            bi("No events match.", "لا أحداث مطابقة.")
        );
    }
    let mut t = format!(
        "<table class=\"events\"><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>",
        bi("Date", "التاريخ"),
        bi("Category", "الفئة"),
        bi("Place", "المكان"),
        bi("Actors", "الفاعلون"),
        bi("Recipients", "المستهدفون"),
        bi("Trigger", "الكلمة الدالة"),
        bi("Articles", "المقالات"),
    );
    for e in evs {
        let r = &e.record;
        let id = &r.id;
        let ty = r.event_type.name();
        let m = if r.mode.is_empty() {
            String::new()
        } else {
            format!(" <span class=\"modes\">{}</span>", esc(&r.mode.join(", ")))
        };
        let modality = if r.modality == Modality::Asserted {
            String::new()
        } else {
            format!(
                " <span class=\"modality\">{}</span>",
                esc(r.modality.as_str())
            )
        };
        let _ = write!(
            t,
            "<tr><td class=\"date\"><a href=\"/events/{}\">{}</a></td><td><span class=\"dot\" data-type=\"{}\"></span>{}{m}{modality}</td><td>{}</td><td dir=\"auto\">{}</td><td dir=\"auto\">{}</td><td lang=\"ar\" dir=\"rtl\"><a href=\"/events/{}\">{}</a></td><td class=\"n\">{}</td></tr>",
            encode(id),
            esc(&r.date.as_ref().map_or("—".into(), |d| d.value.to_string())),
            esc(ty),
            category_label(ty),
            location_html(r),
            participants(&r.actors),
            participants(&r.recipients),
            encode(id),
            esc(&r.trigger.text),
            e.mentions
        );
    }
    t.push_str("</tbody></table>");
    t
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

/// The view of a map: the `bbox` parameter fitted to the map, or the default.
fn view_of(p: &Params, default: BBox) -> BBox {
    svg::fit(p.filter.bbox.unwrap_or(default))
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
    s.push_str(&svg::timeline(&buckets, iv, &timeline_link(q)));
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

/// `GET /`: map, timeline, filters, latest events, top places and actors.
pub async fn overview(State(st): State<AppState>, RawQuery(raw): RawQuery) -> PageResult {
    let q = parse_query(raw.as_deref());
    let p = Params::from_query(&q, 15, 100)?;
    let view = view_of(&p, svg::MENA);
    // the aggregates are independent: run them at once, each on its own connection
    let (f, scope) = (p.filter.clone(), p.scope.clone());
    let (f3, f4) = (f.clone(), f.clone());
    let (stats, pts, latest, top_places, top_actors, total, timeline) = tokio::try_join!(
        stats_value(&st),
        points(&st, &p),
        st.db.run(move |s| Ok(s.events_in(&f, &scope)?)),
        st.db
            .cached(p.key("top-places"), move |s| Ok(s.places(&f3, 10, 0)?)),
        st.db
            .cached(p.key("top-actors"), move |s| Ok(s.entities(&f4, 10, 0)?)),
        total(&st, &p),
        timeline_section(&st, &p, &q),
    )?;
    let (types, countries) = facets_of(&stats);
    let mut b = String::with_capacity(128 * 1024);
    let _ = write!(
        b,
        "<h1>{}</h1><p class=\"stats\">{} {} · {} {} · {} {} · {} {}</p>",
        bi("Events in Arabic news", "الأحداث في الأخبار العربية"),
        stats["documents"],
        bi("articles", "مقالة"),
        stats["factual_events"],
        bi("events", "حدثا"),
        stats["mentions"],
        bi("mentions", "إشارة"),
        total,
        bi("match the filters", "مطابقة للتصفية"),
    );
    b.push_str(&filter_form("/", &q, &types, &countries));
    let _ = write!(
        b,
        "<section class=\"mapbox\"><h2>{}</h2>",
        bi("Map", "الخريطة")
    );
    b.push_str(&map_controls("/", &q, view));
    let base = href("/", &q, &[("bbox", None), ("offset", None)]);
    b.push_str(&svg::map(view, &pts, &point_link(&q), &base));
    let mut present: Vec<(String, u64)> = Vec::new();
    for m in pts.iter() {
        match present.iter_mut().find(|(t, _)| *t == m.event_type) {
            Some(x) => x.1 += m.events,
            None => present.push((m.event_type.clone(), m.events)),
        }
    }
    present.sort_by_key(|p| std::cmp::Reverse(p.1));
    b.push_str(&svg::legend(&present));
    let _ = write!(
        b,
        "<p class=\"note\">{}</p></section>",
        bi(
            "Circles: events per place and category, sized by count; dashed circles hold events located only to a country, province or region, drawn at its centre. Click a circle for the place; click the map to zoom.",
            "الدوائر: الأحداث لكل مكان وفئة، بحجم عددها."
        )
    );
    b.push_str(&timeline);
    let _ = write!(
        b,
        "<div class=\"cols\"><section class=\"latest\"><h2>{}</h2>",
        bi("Latest events", "أحدث الأحداث")
    );
    b.push_str(&event_table(&latest));
    let _ = write!(
        b,
        "<p><a href=\"{}\">{} →</a></p></section>",
        esc(&href("/events", &q, &[])),
        bi("All events", "كل الأحداث")
    );
    let _ = write!(
        b,
        "<section class=\"side\"><h2>{}</h2><ol>",
        bi("Places", "الأماكن")
    );
    for pl in top_places.iter() {
        let _ = write!(
            b,
            "<li><a href=\"{}\">{}</a> <span class=\"n\">{}</span></li>",
            esc(&href(
                &format!("/places/{}", encode(&pl.key)),
                &q,
                &[("bbox", None)]
            )),
            place_name(pl.name_en.as_deref(), pl.name_ar.as_deref(), &pl.key),
            pl.events
        );
    }
    let _ = write!(b, "</ol><h2>{}</h2><ol>", bi("Actors", "الفاعلون"));
    for a in top_actors.iter() {
        let _ = write!(
            b,
            "<li><a href=\"{}\">{}</a> <span class=\"n\">{}</span></li>",
            esc(&href(
                &format!("/entities/{}", encode(&a.key)),
                &q,
                &[("bbox", None)]
            )),
            entity_name(a),
            a.events
        );
    }
    b.push_str("</ol></section></div>");
    Ok(Html(page("Overview", "/", &b)))
}

fn entity_name(a: &marsad_store::EntityCount) -> String {
    match (&a.text, &a.name_en) {
        (Some(t), Some(e)) => format!("<span lang=\"ar\">{}</span> ({})", esc(t), esc(e)),
        (Some(t), None) => format!("<span lang=\"ar\">{}</span>", esc(t)),
        (None, Some(e)) => esc(e),
        (None, None) => format!("<span lang=\"ar\">{}</span>", esc(&a.key)),
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

/// `GET /events`: the filtered, paginated event list.
pub async fn events(State(st): State<AppState>, RawQuery(raw): RawQuery) -> PageResult {
    let q = parse_query(raw.as_deref());
    let mut p = Params::from_query(&q, PAGE, PAGE)?;
    p.filter.limit = PAGE;
    let (types, countries) = facets(&st).await?;
    let (f, scope) = (p.filter.clone(), p.scope.clone());
    let evs = st.db.run(move |s| Ok(s.events_in(&f, &scope)?)).await?;
    let total = total(&st, &p).await?;
    let mut b = format!("<h1>{}</h1>", bi("Events", "الأحداث"));
    b.push_str(&filter_form("/events", &q, &types, &countries));
    b.push_str(&export_links(&q));
    b.push_str(&pager("/events", &q, p.filter.offset, evs.len(), total));
    b.push_str(&event_table(&evs));
    b.push_str(&pager("/events", &q, p.filter.offset, evs.len(), total));
    Ok(Html(page("Events", "/events", &b)))
}

/// The article text with one event's evidence, trigger and arguments marked.
fn event_article(text: &str, r: &Event) -> String {
    let mut layers = vec![
        Layer::new("mark", "evidence"),
        Layer::new("span", "arg"),
        Layer::new("strong", "trigger"),
    ];
    let ev = r.evidence.span;
    layers[0]
        .spans
        .push((ev.start, ev.end, Some("evidence · الدليل".into())));
    let args = [
        (
            r.actors.iter().map(|p| p.span).collect::<Vec<_>>(),
            "actor · فاعل",
        ),
        (
            r.recipients.iter().map(|p| p.span).collect(),
            "recipient · مستهدف",
        ),
        (r.location.iter().map(|l| l.span).collect(), "place · مكان"),
        (
            r.attribution.iter().map(|a| a.span).collect(),
            "source · مصدر",
        ),
        (
            r.destination.iter().map(|l| l.span).collect(),
            "destination · وجهة",
        ),
    ];
    for (spans, label) in args {
        for sp in spans {
            layers[1]
                .spans
                .push((sp.start, sp.end, Some(label.to_string())));
        }
    }
    let tr = r.trigger.span;
    layers[2].spans.push((
        tr.start,
        tr.end,
        Some(format!("trigger · الكلمة الدالة: {}", r.event_type.name())),
    ));
    html::highlight(text, &mut layers)
}

fn counts_html(c: &Counts) -> String {
    let out: Vec<String> = c
        .iter()
        .map(|(k, v)| {
            let approx = if v.approximate { "~" } else { "" };
            let bound = match v.bound {
                Bound::AtLeast => "≥ ",
                Bound::UpTo => "≤ ",
                Bound::Exact => "",
            };
            format!("{} {bound}{approx}{}", esc(k), v.value)
        })
        .collect();
    if out.is_empty() {
        "—".into()
    } else {
        out.join(", ")
    }
}

/// `GET /events/{id}`: the record, its articles, and the evidence highlighted in one of them.
pub async fn event(
    State(st): State<AppState>,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
) -> PageResult {
    let q = parse_query(raw.as_deref());
    let want_doc = q.get("doc").cloned();
    let idc = id.clone();
    let got = st
        .db
        .run(move |s| {
            let Some((ev, mentions)) = s.event(&idc)? else {
                return Ok(None);
            };
            let pick = mentions
                .iter()
                .position(|m| Some(&m.doc_id) == want_doc.as_ref())
                .unwrap_or(0);
            let doc = match mentions.get(pick) {
                Some(m) => s.document(&m.doc_id)?,
                None => None,
            };
            let mut titles = Vec::new();
            for m in mentions.iter().take(100) {
                let d = s.document(&m.doc_id)?;
                titles.push(d.map(|d| (d.title, d.date, d.url)).unwrap_or_default());
            }
            Ok(Some((ev, mentions, pick, doc, titles)))
        })
        .await?;
    let Some((ev, mentions, pick, doc, titles)) = got else {
        return Err(Problem::not_found(format!("no event {id:?}")).into());
    };
    let r = &ev.record;
    let ty = r.event_type.name();
    let mut b = String::with_capacity(32 * 1024);
    let _ = write!(
        b,
        "<h1><span class=\"dot\" data-type=\"{}\"></span>{} <span class=\"modes\">{}</span></h1><p class=\"sub\">{} · {}</p>",
        esc(ty),
        category_label(ty),
        esc(&r.mode.join(", ")),
        esc(&r.date.as_ref().map_or("undated".into(), |d| d.value.to_string())),
        location_html(r)
    );
    b.push_str("<div class=\"cols\"><section class=\"record\"><dl>");
    let mut row = |en: &str, ar: &str, v: String| {
        let _ = write!(b, "<dt>{}</dt><dd>{v}</dd>", bi(en, ar));
    };
    row("Modality", "الصيغة", esc(r.modality.as_str()));
    row("Actors", "الفاعلون", participants(&r.actors));
    row("Recipients", "المستهدفون", participants(&r.recipients));
    row("Place", "المكان", {
        let mut s = location_html(r);
        if let Some(l) = &r.location {
            let _ = write!(
                s,
                " <span class=\"sub\">({})</span>",
                esc(l.precision.as_str())
            );
        }
        s
    });
    row(
        "Date",
        "التاريخ",
        format!(
            "{} <span class=\"sub\">({})</span>",
            esc(&date_of(r)),
            esc(r.date.as_ref().map_or("—", |d| d.precision.as_str()))
        ),
    );
    row("Counts", "الأعداد", counts_html(&r.counts));
    row(
        "Attribution",
        "المصدر",
        match &r.attribution {
            Some(a) => format!(
                "<span lang=\"ar\">{}</span> <span class=\"sub\">({})</span>",
                esc(&a.text),
                esc(&a.kind)
            ),
            None => "—".into(),
        },
    );
    row(
        "Trigger",
        "الكلمة الدالة",
        format!("<span lang=\"ar\">{}</span>", esc(&r.trigger.text)),
    );
    let acled = r.acled.as_ref();
    row(
        "Crosswalks",
        "المقابلات",
        format!(
            "CAMEO {} · ACLED {}",
            esc(r.cameo.as_deref().unwrap_or("—")),
            esc(&format!(
                "{} / {}",
                acled.map_or("—", |a| a.event_type.as_str()),
                acled.map_or("—", |a| a.sub_event_type.as_str())
            ))
        ),
    );
    row(
        "Confidence",
        "الثقة",
        format!("{:.2}", f64::from(r.confidence)),
    );
    let _ = write!(
        b,
        "</dl><p><a href=\"/api/v1/events/{}\">JSON</a></p></section>",
        encode(&id)
    );
    // a small map around the place
    if let Some(l) = &r.location {
        let (lat, lon) = (l.lat, l.lon);
        let view = svg::fit((lon - 4.0, lat - 3.0, lon + 4.0, lat + 3.0));
        let pt = MapPoint {
            key: l.key(),
            event_type: ty.to_string(),
            lat,
            lon,
            name_en: Some(l.name_en.clone()),
            name_ar: Some(l.name_ar.clone()),
            events: 1,
            mentions: ev.mentions,
            precision: Some(l.precision.as_str().to_string()),
        };
        let _ = write!(
            b,
            "<section class=\"minimap\">{}</section>",
            svg::map(
                view,
                &[pt],
                &|m| format!("/places/{}", encode(&m.key)),
                "/?"
            )
        );
    }
    b.push_str("</div>");
    // the articles
    let _ = write!(
        b,
        "<section><h2>{} ({})</h2><ol class=\"mentions\">",
        bi("Articles", "المقالات"),
        ev.mentions
    );
    for (i, m) in mentions.iter().take(100).enumerate() {
        let (title, date, _) = titles.get(i).cloned().unwrap_or_default();
        let cur = if i == pick {
            " aria-current=\"true\""
        } else {
            ""
        };
        let _ = write!(
            b,
            "<li{cur}><a href=\"/events/{}?doc={}#article\"><span lang=\"ar\" dir=\"auto\">{}</span></a> <span class=\"sub\">{}</span></li>",
            encode(&id),
            encode(&m.doc_id),
            esc(title.as_deref().unwrap_or(&m.doc_id)),
            esc(date.as_deref().unwrap_or(""))
        );
    }
    b.push_str("</ol></section>");
    if let (Some(d), Some(m)) = (doc, mentions.get(pick)) {
        let _ = write!(
            b,
            "<section id=\"article\"><h2>{}</h2><p class=\"sub\"><a href=\"/documents/{}\">{}</a> · {}</p><article class=\"text\" dir=\"rtl\" lang=\"ar\"><h3>{}</h3><div class=\"body\">{}</div></article><p class=\"legend-text\"><mark class=\"evidence\">{}</mark> <strong class=\"trigger\">{}</strong> <span class=\"arg\">{}</span></p></section>",
            bi("Evidence in the article", "الدليل في المقال"),
            encode(&d.id),
            bi("whole document with all annotations", "المستند كاملا مع كل التعليقات"),
            esc(d.date.as_deref().unwrap_or("")),
            esc(d.title.as_deref().unwrap_or("")),
            event_article(&d.text, &m.record),
            bi("evidence", "الدليل"),
            bi("trigger", "الكلمة الدالة"),
            bi("actors, place, source", "الفاعلون والمكان والمصدر"),
        );
    }
    Ok(Html(page(&format!("{ty} event"), "/events", &b)))
}

/// `GET /documents/{id}`: the text with every annotation.
pub async fn document(State(st): State<AppState>, Path(id): Path<String>) -> PageResult {
    let idc = id.clone();
    let d = st.db.run(move |s| Ok(s.document(&idc)?)).await?;
    let Some(d) = d else {
        return Err(Problem::not_found(format!("no document {id:?}")).into());
    };
    let mut layers = vec![
        Layer::new("mark", "evidence"),
        Layer::new("span", "ent"),
        Layer::new("span", "place"),
    ];
    for e in &d.events {
        let ty = e.event_type.name();
        layers[0].spans.push((
            e.evidence.span.start,
            e.evidence.span.end,
            Some(format!(
                "{ty} · {}",
                html::category(ty).map_or("", |c| c.ar)
            )),
        ));
    }
    for e in &d.entities {
        let title = format!("{} {}", e.kind.as_str(), e.name_en.as_deref().unwrap_or(""));
        layers[1]
            .spans
            .push((e.start, e.end, Some(title.trim().to_string())));
    }
    for p in &d.places {
        let title = format!("{} {}", p.name_en, p.country);
        layers[2]
            .spans
            .push((p.start, p.end, Some(title.trim().to_string())));
    }
    let mut b = String::with_capacity(d.text.len() * 3 + 4096);
    let _ = write!(
        b,
        "<h1 lang=\"ar\" dir=\"auto\">{}</h1><p class=\"sub\">{} · {} · <a href=\"/api/v1/documents/{}\">JSON</a>",
        esc(d.title.as_deref().unwrap_or(&d.id)),
        esc(d.date.as_deref().unwrap_or("")),
        esc(d.source.as_deref().unwrap_or("")),
        encode(&d.id)
    );
    if let Some(u) = d.url.as_deref().filter(|u| html::safe_url(u)) {
        let _ = write!(
            b,
            " · <a href=\"{}\" rel=\"noopener noreferrer nofollow\">{}</a>",
            esc(u),
            bi("source", "المصدر")
        );
    }
    b.push_str("</p>");
    let _ = write!(
        b,
        "<article class=\"text\" dir=\"rtl\" lang=\"ar\"><div class=\"body\">{}</div></article><p class=\"legend-text\"><mark class=\"evidence\">{}</mark> <span class=\"ent\">{}</span> <span class=\"place\">{}</span></p>",
        html::highlight(&d.text, &mut layers),
        bi("event evidence", "دليل حدث"),
        bi("entity", "كيان"),
        bi("place", "مكان")
    );
    let _ = write!(
        b,
        "<section><h2>{} ({})</h2><ul>",
        bi("Events found here", "الأحداث في هذا المقال"),
        d.events.len()
    );
    for e in &d.events {
        let _ = write!(
            b,
            "<li><a href=\"/events/{}?doc={}#article\">{}</a> <span lang=\"ar\">{}</span> · {}</li>",
            encode(&e.id),
            encode(&d.id),
            category_label(e.event_type.name()),
            esc(&e.trigger.text),
            location_html(e)
        );
    }
    b.push_str("</ul></section>");
    Ok(Html(page(d.title.as_deref().unwrap_or("Document"), "", &b)))
}

/// `GET /places`
pub async fn places(State(st): State<AppState>, RawQuery(raw): RawQuery) -> PageResult {
    let q = parse_query(raw.as_deref());
    let mut p = Params::from_query(&q, PAGE, PAGE)?;
    p.filter.limit = PAGE;
    let (types, countries) = facets(&st).await?;
    let f = p.filter.clone();
    let list = st
        .db
        .run(move |s| Ok(s.places(&f, PAGE, f.offset)?))
        .await?;
    let mut b = format!("<h1>{}</h1>", bi("Places", "الأماكن"));
    b.push_str(&filter_form("/places", &q, &types, &countries));
    let _ = write!(
        b,
        "<table><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>",
        bi("Place", "المكان"),
        bi("Country", "البلد"),
        bi("Province", "المحافظة"),
        bi("Events", "الأحداث"),
        bi("Articles", "المقالات")
    );
    for pl in &list {
        let _ = write!(
            b,
            "<tr><td><a href=\"{}\">{}</a></td><td>{}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
            esc(&href(&format!("/places/{}", encode(&pl.key)), &q, &[("offset", None)])),
            place_name(pl.name_en.as_deref(), pl.name_ar.as_deref(), &pl.key),
            esc(pl.country.as_deref().unwrap_or("")),
            esc(pl.admin1.as_deref().unwrap_or("")),
            pl.events,
            pl.mentions
        );
    }
    b.push_str("</tbody></table>");
    b.push_str(&simple_pager("/places", &q, p.filter.offset, list.len()));
    Ok(Html(page("Places", "/places", &b)))
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

/// The body shared by place and entity pages: map, timeline, events.
async fn scoped_body(
    st: &AppState,
    path: &str,
    q: &Query,
    p: &Params,
    view: BBox,
) -> Result<String, Problem> {
    let (f, scope) = (p.filter.clone(), p.scope.clone());
    let evs = st.db.run(move |s| Ok(s.events_in(&f, &scope)?)).await?;
    let total = total(st, p).await?;
    let pts = points(st, p).await?;
    let mut b = String::new();
    let _ = write!(b, "<section class=\"mapbox\">");
    b.push_str(&map_controls(path, q, view));
    b.push_str(&svg::map(
        view,
        &pts,
        &point_link(q),
        &href(path, q, &[("bbox", None)]),
    ));
    b.push_str("</section>");
    b.push_str(&timeline_section(st, p, q).await?);
    let _ = write!(b, "<section><h2>{}</h2>", bi("Events", "الأحداث"));
    b.push_str(&pager(path, q, p.filter.offset, evs.len(), total));
    b.push_str(&event_table(&evs));
    b.push_str(&pager(path, q, p.filter.offset, evs.len(), total));
    b.push_str("</section>");
    Ok(b)
}

/// The query and parameters of a page about one place or actor: the page's own scope replaces
/// any place or actor filter, and the map view does not filter it.
fn scoped_params(raw: Option<String>, scope: Scope) -> Result<(Query, Params), Problem> {
    let mut q = parse_query(raw.as_deref());
    q.remove("place");
    q.remove("entity");
    let mut p = Params::from_query(&q, PAGE, PAGE)?;
    p.filter.limit = PAGE;
    p.filter.bbox = None;
    p.scope = scope;
    Ok((q, p))
}

/// `GET /places/{key}`: one place's events on a map and over time.
pub async fn place(
    State(st): State<AppState>,
    Path(key): Path<String>,
    RawQuery(raw): RawQuery,
) -> PageResult {
    let (q, p) = scoped_params(raw, Scope::Place(key.clone()))?;
    let (f, k) = (p.filter.clone(), key.clone());
    let Some(pl) = st.db.run(move |s| Ok(s.place(&f, &k)?)).await? else {
        return Err(Problem::not_found(format!(
            "no place {key:?} with events under these filters"
        ))
        .into());
    };
    let view = match (pl.lon, pl.lat, q.get("bbox")) {
        (_, _, Some(b)) => svg::fit(params::parse_bbox(b)?),
        (Some(lon), Some(lat), None) => svg::fit((lon - 5.0, lat - 3.5, lon + 5.0, lat + 3.5)),
        _ => svg::fit(svg::MENA),
    };
    let path = format!("/places/{}", encode(&key));
    let mut b = format!(
        "<h1>{}</h1><p class=\"sub\">{} · {} · {} · {} {} · {} {}</p>",
        place_name(pl.name_en.as_deref(), pl.name_ar.as_deref(), &key),
        esc(pl.country.as_deref().unwrap_or("")),
        esc(pl.admin1.as_deref().unwrap_or("")),
        pl.lat
            .zip(pl.lon)
            .map_or(String::new(), |(a, o)| format!("{a:.3}, {o:.3}")),
        pl.events,
        bi("events", "حدثا"),
        pl.mentions,
        bi("articles", "مقالة"),
    );
    b.push_str(&scoped_body(&st, &path, &q, &p, view).await?);
    Ok(Html(page(
        pl.name_en.as_deref().unwrap_or(&key),
        "/places",
        &b,
    )))
}

/// `GET /entities`
pub async fn entities(State(st): State<AppState>, RawQuery(raw): RawQuery) -> PageResult {
    let q = parse_query(raw.as_deref());
    let mut p = Params::from_query(&q, PAGE, PAGE)?;
    p.filter.limit = PAGE;
    let (types, countries) = facets(&st).await?;
    let f = p.filter.clone();
    let list = st
        .db
        .cached(p.key(&format!("entities-{}", f.offset)), move |s| {
            Ok(s.entities(&f, PAGE, f.offset)?)
        })
        .await?;
    let mut b = format!(
        "<h1>{}</h1>",
        bi("Actors and recipients", "الفاعلون والمستهدفون")
    );
    b.push_str(&filter_form("/entities", &q, &types, &countries));
    let _ = write!(
        b,
        "<table><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>",
        bi("Name", "الاسم"),
        bi("Role", "الدور"),
        bi("Country", "البلد"),
        bi("Events", "الأحداث"),
        bi("Articles", "المقالات")
    );
    for a in list.iter() {
        let _ = write!(
            b,
            "<tr><td><a href=\"{}\">{}</a></td><td>{}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
            esc(&href(&format!("/entities/{}", encode(&a.key)), &q, &[("offset", None)])),
            entity_name(a),
            esc(a.role.as_deref().unwrap_or("")),
            esc(a.country.as_deref().unwrap_or("")),
            a.events,
            a.mentions
        );
    }
    b.push_str("</tbody></table>");
    b.push_str(&simple_pager("/entities", &q, p.filter.offset, list.len()));
    Ok(Html(page("Actors", "/entities", &b)))
}

/// `GET /entities/{key}`: one participant's events on a map and over time.
pub async fn entity(
    State(st): State<AppState>,
    Path(key): Path<String>,
    RawQuery(raw): RawQuery,
) -> PageResult {
    let (q, p) = scoped_params(raw, Scope::Entity(key.clone()))?;
    let (f, k) = (p.filter.clone(), key.clone());
    let Some(a) = st.db.run(move |s| Ok(s.entity(&f, &k)?)).await? else {
        return Err(Problem::not_found(format!(
            "no actor {key:?} with events under these filters"
        ))
        .into());
    };
    let view = match q.get("bbox") {
        Some(b) => svg::fit(params::parse_bbox(b)?),
        None => svg::fit(svg::MENA),
    };
    let path = format!("/entities/{}", encode(&key));
    let mut b = format!(
        "<h1>{}</h1><p class=\"sub\">{} · {} · {} {} · {} {}</p>",
        entity_name(&a),
        esc(a.role.as_deref().unwrap_or("")),
        esc(a.country.as_deref().unwrap_or("")),
        a.events,
        bi("events", "حدثا"),
        a.mentions,
        bi("articles", "مقالة"),
    );
    b.push_str(&scoped_body(&st, &path, &q, &p, view).await?);
    Ok(Html(page(
        a.name_en.as_deref().or(a.text.as_deref()).unwrap_or(&key),
        "/entities",
        &b,
    )))
}

/// `GET /search?q=`: articles matching the words, and their events.
pub async fn search(State(st): State<AppState>, RawQuery(raw): RawQuery) -> PageResult {
    let q = parse_query(raw.as_deref());
    let text = q.get("q").cloned().unwrap_or_default();
    let offset = params::uint(&q, "offset", 0, params::MAX_OFFSET)?;
    let mut b = format!(
        "<h1>{}</h1><form class=\"search\" method=\"get\" action=\"/search\"><input type=\"search\" name=\"q\" dir=\"auto\" lang=\"ar\" value=\"{}\" placeholder=\"انشقاق، غارة، الموصل…\" autofocus> <button type=\"submit\">{}</button></form><p class=\"note\">{}</p>",
        bi("Search", "بحث"),
        esc(&text),
        bi("Search", "ابحث"),
        bi(
            "Words are matched without clitics, diacritics or spelling variants: انشقاق finds الانشقاق and بالإنشقاق.",
            "تتم المطابقة دون السوابق واللواحق والتشكيل."
        )
    );
    if !text.is_empty() {
        let t = text.clone();
        let hits = st.db.run(move |s| Ok(s.search(&t, PAGE, offset)?)).await?;
        let _ = write!(
            b,
            "<p><a href=\"{}\">{} →</a></p><ol class=\"hits\" start=\"{}\">",
            esc(&href(
                "/events",
                &Query::from([("q".to_string(), text.clone())]),
                &[]
            )),
            bi("Events in these articles", "الأحداث في هذه المقالات"),
            offset + 1
        );
        for h in &hits {
            let _ = write!(
                b,
                "<li><a href=\"/documents/{}\" lang=\"ar\" dir=\"auto\">{}</a> <span class=\"sub\">{}</span><p class=\"snippet\" dir=\"rtl\" lang=\"ar\">{}</p></li>",
                encode(&h.id),
                esc(h.title.as_deref().unwrap_or(&h.id)),
                esc(h.date.as_deref().unwrap_or("")),
                esc(&h.snippet)
            );
        }
        b.push_str("</ol>");
        if hits.is_empty() {
            let _ = write!(
                b,
                "<p class=\"empty\">{}</p>",
                bi("No articles match.", "لا مقالات مطابقة.")
            );
        }
        b.push_str(&simple_pager("/search", &q, offset, hits.len()));
    }
    Ok(Html(page("Search", "/search", &b)))
}
