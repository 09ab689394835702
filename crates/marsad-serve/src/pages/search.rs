//! The search page, in a compile-time template (maud escapes every value it is given): the
//! number of matching articles, and each hit's title, date and a passage with the hits marked.

use super::*;
use crate::html::{label, marked};
use maud::{html, Markup, PreEscaped};

/// The search form with the query `text`.
fn form(text: &str) -> Markup {
    html! {
        form.search method="get" action="/search" {
            input type="search" name="q" dir="auto" lang="ar" value=(text)
                placeholder="انشقاق، غارة، الموصل…" autofocus;
            " "
            button type="submit" { (label("Search", "ابحث")) }
        }
        p.note {
            (label(
                "Words match without clitics, diacritics or spelling variants, and with their endings: الانشقاق finds انشقاقا and انشقاقات. Put a phrase in quotes to match it exactly.",
                "تتم المطابقة دون السوابق واللواحق والتشكيل ومع تصريفات الكلمة؛ ضع العبارة بين علامتي تنصيص لمطابقتها حرفيا."
            ))
        }
    }
}

/// `GET /search?q=`: how many articles match the words, those articles with the hits marked,
/// and a link to their events.
pub async fn search(State(st): State<AppState>, RawQuery(raw): RawQuery) -> PageResult {
    let q = parse_query(raw.as_deref());
    let text = q.get("q").cloned().unwrap_or_default();
    let offset = params::uint(&q, "offset", 0, params::MAX_OFFSET)?;
    let found = if text.trim().is_empty() {
        None
    } else {
        let t = text.clone();
        Some(
            st.db
                .run(move |s| Ok((s.search(&t, PAGE, offset)?, s.search_count(&t)?)))
                .await?,
        )
    };
    let events_href = href(
        "/events",
        &Query::from([("q".to_string(), text.clone())]),
        &[],
    );
    let body = html! {
        h1 { (label("Search", "بحث")) }
        (form(&text))
        @if let Some((hits, total)) = &found {
            p.count {
                bdi.n { (total) } " " (label("articles match", "مقالة مطابقة"))
                @if !hits.is_empty() {
                    " · " (label("shown", "المعروض")) " "
                    bdi { (offset + 1) "–" (offset + hits.len()) }
                }
                " · " a href=(events_href) { (label("Events in these articles", "الأحداث في هذه المقالات")) " →" }
            }
            @if hits.is_empty() {
                p.empty { (label("No articles match.", "لا مقالات مطابقة.")) }
            } @else {
                ol.hits start=(offset + 1) {
                    @for h in hits {
                        li {
                            a href={ "/documents/" (encode(&h.id)) } lang="ar" dir="auto" {
                                bdi { (h.title.as_deref().unwrap_or(&h.id)) }
                            }
                            " "
                            span.sub { bdi { (h.date.as_deref().unwrap_or("")) } }
                            " "
                            span.sub.marks { "· " bdi { (h.marks.len()) } " " (label("marked in the passage", "مطابقة في المقطع")) }
                            p.snippet dir="rtl" lang="ar" { (marked(&h.snippet, &h.marks)) }
                        }
                    }
                }
            }
            (PreEscaped(pager("/search", &q, offset, hits.len(), *total)))
        }
    };
    Ok(Html(page("Search", "/search", &body.into_string())))
}
