//! One event with its articles and the evidence highlighted; one document with every annotation.

use super::*;

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

/// Sources an event's record lists before saying how many more there are.
const LISTED_SOURCES: usize = 20;

/// The outlets that report an event, each linked to its article.
fn sources_html(sources: &[marsad_record::ArticleSource]) -> String {
    let mut out: Vec<String> = sources
        .iter()
        .take(LISTED_SOURCES)
        .map(|s| outlet_link(s.outlet.as_deref(), s.url.as_deref(), ""))
        .filter(|l| !l.is_empty())
        .collect();
    if sources.len() > LISTED_SOURCES {
        out.push(format!("+{}", sources.len() - LISTED_SOURCES));
    }
    if out.is_empty() {
        "—".into()
    } else {
        out.join(", ")
    }
}

/// Articles an event's page lists.
const LISTED_MENTIONS: usize = 100;

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
            // one page of mentions, read as a page; the article asked for may lie past it
            let Some((ev, _, mut mentions)) = s.event_page(&idc, LISTED_MENTIONS, 0)? else {
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
            let pick = pick.unwrap_or(0);
            let doc = match mentions.get(pick) {
                Some(m) => s.document(&m.doc_id)?,
                None => None,
            };
            let mut titles = Vec::new();
            for m in mentions.iter().take(LISTED_MENTIONS) {
                let d = s.document(&m.doc_id)?;
                titles.push(
                    d.map(|d| (d.title, d.date, d.url, d.outlet))
                        .unwrap_or_default(),
                );
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
    row("Sources", "المصادر", sources_html(&r.sources));
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
    for (i, m) in mentions.iter().take(LISTED_MENTIONS).enumerate() {
        let (title, date, url, outlet) = titles.get(i).cloned().unwrap_or_default();
        let cur = if i == pick {
            " aria-current=\"true\""
        } else {
            ""
        };
        let _ = write!(
            b,
            "<li{cur}><a href=\"/events/{}?doc={}#article\"><span lang=\"ar\" dir=\"auto\">{}</span></a> <span class=\"sub\">{}{}</span></li>",
            encode(&id),
            encode(&m.doc_id),
            esc(title.as_deref().unwrap_or(&m.doc_id)),
            esc(date.as_deref().unwrap_or("")),
            outlet_link(outlet.as_deref(), url.as_deref(), " · ")
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
        "<h1 lang=\"ar\" dir=\"auto\">{}</h1><p class=\"sub\">{}{} · <a href=\"/api/v1/documents/{}\">JSON</a>",
        esc(d.title.as_deref().unwrap_or(&d.id)),
        esc(d.date.as_deref().unwrap_or("")),
        // the outlet, linked to the article; never the local path it was read from
        outlet_link(d.outlet.as_deref(), d.url.as_deref(), " · "),
        encode(&d.id)
    );
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
