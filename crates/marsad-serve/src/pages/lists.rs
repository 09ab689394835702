//! The overview, the event list, and the lists and pages of places and actors (the lists of
//! places and actors and the heads of their pages are compile-time templates).

use super::*;
use crate::html::label;
use maud::{html, Markup, PreEscaped};

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

/// A country's name with its code, isolated; nothing when unknown.
fn country_cell(iso2: Option<&str>) -> Markup {
    html! {
        @if let Some(c) = iso2.filter(|c| !c.is_empty()) {
            bdi { (html::country_name(c)) } " " span.cc { (c) }
        }
    }
}

/// A province's name (never its GeoNames code) in a country; empty when unknown.
fn province(iso2: Option<&str>, admin1: Option<&str>) -> String {
    match (iso2, admin1) {
        (Some(c), Some(a)) if !a.is_empty() => html::admin1_name(c, a),
        (None, Some(a)) => a.to_string(),
        _ => String::new(),
    }
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
    let body = html! {
        h1 { (label("Places", "الأماكن")) }
        (PreEscaped(filter_form("/places", &q, &types, &countries)))
        table {
            thead { tr {
                th { (label("Place", "المكان")) }
                th { (label("Country", "البلد")) }
                th { (label("Province", "المحافظة")) }
                th { (label("Events", "الأحداث")) }
                th { (label("Mentions", "الإشارات")) }
            } }
            tbody {
                @for pl in &list {
                    tr {
                        td { a href=(href(&format!("/places/{}", encode(&pl.key)), &q, &[("offset", None)])) {
                            (PreEscaped(place_name(pl.name_en.as_deref(), pl.name_ar.as_deref(), &pl.key)))
                        } }
                        td { (country_cell(pl.country.as_deref())) }
                        td { bdi { (province(pl.country.as_deref(), pl.admin1.as_deref())) } }
                        td.n { (pl.events) }
                        td.n { (pl.mentions) }
                    }
                }
            }
        }
        (PreEscaped(simple_pager("/places", &q, p.filter.offset, list.len())))
    };
    Ok(Html(page("Places", "/places", &body.into_string())))
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
    let head = html! {
        h1 { (PreEscaped(place_name(pl.name_en.as_deref(), pl.name_ar.as_deref(), &key))) }
        p.sub {
            (country_cell(pl.country.as_deref()))
            " · " bdi { (province(pl.country.as_deref(), pl.admin1.as_deref())) }
            @if let Some((a, o)) = pl.lat.zip(pl.lon) { " · " bdi { (format!("{a:.3}, {o:.3}")) } }
            " · " bdi.n { (pl.events) } " " (label("events", "حدثا"))
            " · " bdi.n { (pl.mentions) } " " (label("mentions", "إشارة"))
        }
    };
    let mut b = head.into_string();
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
    let body = html! {
        h1 { (label("Actors and recipients", "الفاعلون والمستهدفون")) }
        (PreEscaped(filter_form("/entities", &q, &types, &countries)))
        table {
            thead { tr {
                th { (label("Name", "الاسم")) }
                th { (label("Role", "الدور")) }
                th { (label("Country", "البلد")) }
                th { (label("Events", "الأحداث")) }
                th { (label("Mentions", "الإشارات")) }
            } }
            tbody {
                @for a in list.iter() {
                    tr {
                        td { a href=(href(&format!("/entities/{}", encode(&a.key)), &q, &[("offset", None)])) {
                            (PreEscaped(entity_name(a)))
                        } }
                        td { (a.role.as_deref().unwrap_or("")) }
                        td { (country_cell(a.country.as_deref())) }
                        td.n { (a.events) }
                        td.n { (a.mentions) }
                    }
                }
            }
        }
        (PreEscaped(simple_pager("/entities", &q, p.filter.offset, list.len())))
    };
    Ok(Html(page("Actors", "/entities", &body.into_string())))
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
    let head = html! {
        h1 { (PreEscaped(entity_name(&a))) }
        p.sub {
            (a.role.as_deref().unwrap_or("")) " · " (country_cell(a.country.as_deref()))
            " · " bdi.n { (a.events) } " " (label("events", "حدثا"))
            " · " bdi.n { (a.mentions) } " " (label("mentions", "إشارة"))
        }
    };
    let mut b = head.into_string();
    b.push_str(&scoped_body(&st, &path, &q, &p, view).await?);
    Ok(Html(page(
        a.name_en.as_deref().or(a.text.as_deref()).unwrap_or(&key),
        "/entities",
        &b,
    )))
}
