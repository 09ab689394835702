//! One event with its articles and the evidence highlighted; one document with every annotation
//! (both compile-time templates).

use super::*;
use crate::html::label;
use marsad_record::ArticleSource;
use maud::{html, Markup, PreEscaped};

/// The article text with one event's evidence, trigger and arguments marked.
fn event_article(text: &str, r: &Event) -> String {
    let mut layers = vec![
        Layer::new("mark", "evidence"),
        Layer::new("span", "arg"),
        Layer::new("strong", "trigger"),
    ];
    // the page's anchor: `#evidence` scrolls to it and the stylesheet outlines it
    layers[0].open = String::from("<mark class=\"evidence\" id=\"evidence\"");
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

/// `prefix` and the outlet linked to the article's web address (the address's domain when the
/// outlet is unknown); nothing when neither is known. A local path is never shown.
fn outlet_link(outlet: Option<&str>, url: Option<&str>, prefix: &str) -> String {
    let url = url.filter(|u| html::safe_url(u) && marsad_record::is_web_url(u));
    let name = outlet
        .map(str::to_string)
        .or_else(|| url.and_then(marsad_record::url_domain));
    match (name, url) {
        (Some(n), Some(u)) => format!(
            "{prefix}<a class=\"outlet\" href=\"{}\" rel=\"noopener noreferrer nofollow\"><bdi>{}</bdi></a>",
            esc(u),
            esc(&n)
        ),
        (Some(n), None) => format!("{prefix}<span class=\"outlet\"><bdi>{}</bdi></span>", esc(&n)),
        _ => String::new(),
    }
}

/// Articles an event's page lists.
const LISTED_SOURCES: usize = 100;

/// The articles that report an event, one row each: outlet, headline (linked to the article
/// when it has a web address), publication date, and a link that shows the evidence in it;
/// the article shown below is marked current.
fn sources_table(id: &str, sources: &[ArticleSource], shown_doc: Option<&str>) -> Markup {
    let web = |u: &Option<String>| {
        u.as_deref()
            .filter(|u| html::safe_url(u) && marsad_record::is_web_url(u))
            .map(str::to_string)
    };
    html! {
        table.sources {
            thead { tr {
                th { (label("Outlet", "الوسيلة")) }
                th { (label("Headline", "العنوان")) }
                th { (label("Published", "النشر")) }
                th { (label("Evidence", "الدليل")) }
            } }
            tbody {
                @for s in sources.iter().take(LISTED_SOURCES) {
                    tr aria-current=[(shown_doc == Some(s.doc_id.as_str())).then_some("true")] {
                        td.outlet { bdi { (s.outlet.as_deref().unwrap_or("—")) } }
                        td lang="ar" dir="auto" {
                            @let title = s.title.as_deref().unwrap_or(&s.doc_id);
                            @if let Some(u) = web(&s.url) {
                                a href=(u) rel="noopener noreferrer nofollow" { bdi { (title) } }
                            } @else {
                                bdi { (title) }
                            }
                        }
                        td.date { bdi { (s.published.as_deref().unwrap_or("—")) } }
                        td {
                            a href={ "/events/" (encode(id)) "?doc=" (encode(&s.doc_id)) "#evidence" } {
                                (label("show", "اعرض"))
                            }
                        }
                    }
                }
            }
        }
        @if sources.len() > LISTED_SOURCES {
            p.note { "+" (sources.len() - LISTED_SOURCES) " " (label("more articles", "مقالات أخرى")) }
        }
    }
}

/// `GET /events/{id}`: the record, the articles that report it, and the evidence highlighted in
/// one of them (`#evidence` scrolls to it and outlines it).
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
            // one page of mentions, read as a page; the article asked for may lie past it
            let Some((ev, _, mut mentions)) = s.event_page(&idc, LISTED_SOURCES, 0)? else {
                return Ok(None);
            };
            let mut pick = mentions
                .iter()
                .position(|m| Some(&m.doc_id) == want_doc.as_ref());
            if let (None, Some(d)) = (pick, &want_doc) {
                if let Some(m) = s.event_mention(&idc, d)? {
                    mentions.push(m);
                    pick = Some(mentions.len() - 1);
                }
            }
            let shown = mentions.get(pick.unwrap_or(0)).cloned();
            let doc = match &shown {
                Some(m) => s.document(&m.doc_id)?,
                None => None,
            };
            Ok(Some((ev, shown, doc)))
        })
        .await?;
    let Some((ev, shown, doc)) = got else {
        return Err(Problem::not_found(format!("no event {id:?}")).into());
    };
    let r = &ev.record;
    let ty = r.event_type.name();
    let raw = |s: String| PreEscaped(s);
    let minimap = r.location.as_ref().map(|l| {
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
        svg::map(
            view,
            &[pt],
            &|m| format!("/places/{}", encode(&m.key)),
            "/?",
        )
    });
    let acled = r.acled.as_ref();
    let articles = r.sources.len();
    let body = html! {
        h1 {
            span.dot data-type=(ty) {}
            (raw(category_label(ty))) " "
            span.modes { (r.mode.join(", ")) }
        }
        p.sub {
            bdi { (r.date.as_ref().map_or("undated".into(), |d| d.value.to_string())) }
            " · " (raw(location_html(r)))
            " · " a href="#evidence" { (label("evidence", "الدليل")) " ↓" }
        }
        div.cols {
            section.record {
                dl {
                    dt { (label("Modality", "الصيغة")) } dd { (r.modality.as_str()) }
                    dt { (label("Actors", "الفاعلون")) } dd { (raw(participants(&r.actors))) }
                    dt { (label("Recipients", "المستهدفون")) } dd { (raw(participants(&r.recipients))) }
                    dt { (label("Place", "المكان")) }
                    dd {
                        (raw(location_html(r)))
                        @if let Some(l) = &r.location { " " span.sub { "(" (l.precision.as_str()) ")" } }
                    }
                    dt { (label("Date", "التاريخ")) }
                    dd {
                        bdi { (date_of(r)) } " "
                        span.sub { "(" (r.date.as_ref().map_or("—", |d| d.precision.as_str())) ")" }
                    }
                    dt { (label("Counts", "الأعداد")) } dd { (raw(counts_html(&r.counts))) }
                    dt { (label("Attribution", "المصدر")) }
                    dd {
                        @if let Some(a) = &r.attribution {
                            bdi lang="ar" { (a.text) } " " span.sub { "(" (a.kind) ")" }
                        } @else { "—" }
                    }
                    dt { (label("Reported by", "نقلته")) }
                    dd {
                        bdi.n { (articles) } " " (label("articles", "مقالة"))
                        " · " bdi.n { (ev.mentions) } " " (label("mentions", "إشارة"))
                    }
                    dt { (label("Trigger", "الكلمة الدالة")) } dd { bdi lang="ar" { (r.trigger.text) } }
                    dt { (label("Crosswalks", "المقابلات")) }
                    dd {
                        "CAMEO " (r.cameo.as_deref().unwrap_or("—")) " · ACLED "
                        (acled.map_or("—", |a| a.event_type.as_str())) " / "
                        (acled.map_or("—", |a| a.sub_event_type.as_str()))
                    }
                    dt { (label("Confidence", "الثقة")) } dd { (format!("{:.2}", f64::from(r.confidence))) }
                }
                p { a href={ "/api/v1/events/" (encode(&id)) } { "JSON" } }
            }
            @if let Some(m) = minimap { section.minimap { (raw(m)) } }
        }
        section #sources {
            h2 {
                (label("Sources", "المصادر")) " "
                span.sub { "(" bdi { (articles) } " " (label("articles", "مقالة")) ")" }
            }
            @if r.sources.is_empty() {
                p.empty { "—" }
            } @else {
                (sources_table(&id, &r.sources, shown.as_ref().map(|m| m.doc_id.as_str())))
            }
        }
        @if let (Some(d), Some(m)) = (&doc, &shown) {
            section #article {
                h2 { (label("Evidence in the article", "الدليل في المقال")) }
                p.sub {
                    a href={ "/documents/" (encode(&d.id)) } {
                        (label("whole document with all annotations", "المستند كاملا مع كل التعليقات"))
                    }
                    " · " bdi { (d.date.as_deref().unwrap_or("")) }
                    (raw(outlet_link(d.outlet.as_deref(), d.url.as_deref(), " · ")))
                }
                article.text dir="rtl" lang="ar" {
                    h3 { (d.title.as_deref().unwrap_or("")) }
                    div.body { (raw(event_article(&d.text, &m.record))) }
                }
                p.legend-text {
                    mark.evidence { (label("evidence", "الدليل")) } " "
                    strong.trigger { (label("trigger", "الكلمة الدالة")) } " "
                    span.arg { (label("actors, place, source", "الفاعلون والمكان والمصدر")) }
                }
            }
        }
    };
    Ok(Html(page(
        &format!("{ty} event"),
        "/events",
        &body.into_string(),
    )))
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
    let raw = |s: String| PreEscaped(s);
    let body = html! {
        h1 lang="ar" dir="auto" { (d.title.as_deref().unwrap_or(&d.id)) }
        p.sub {
            bdi { (d.date.as_deref().unwrap_or("")) }
            // the outlet, linked to the article; never the local path it was read from
            (raw(outlet_link(d.outlet.as_deref(), d.url.as_deref(), " · ")))
            " · " a href={ "/api/v1/documents/" (encode(&d.id)) } { "JSON" }
        }
        article.text dir="rtl" lang="ar" {
            div.body { (raw(html::highlight(&d.text, &mut layers))) }
        }
        p.legend-text {
            mark.evidence { (label("event evidence", "دليل حدث")) } " "
            span.ent { (label("entity", "كيان")) } " "
            span.place { (label("place", "مكان")) }
        }
        section {
            h2 { (label("Events found here", "الأحداث في هذا المقال")) " (" bdi { (d.events.len()) } ")" }
            ul {
                @for e in &d.events {
                    li {
                        a href={ "/events/" (encode(&e.id)) "?doc=" (encode(&d.id)) "#evidence" } {
                            (raw(category_label(e.event_type.name())))
                        }
                        " " bdi lang="ar" { (e.trigger.text) }
                        " · " (raw(location_html(e)))
                    }
                }
            }
        }
    };
    let b = body.into_string();
    Ok(Html(page(d.title.as_deref().unwrap_or("Document"), "", &b)))
}
