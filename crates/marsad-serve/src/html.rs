//! HTML building blocks: escaping, the page layout, bilingual labels, and article text with its
//! annotations (evidence, trigger, participants) marked up by byte spans.

use marsad_record::Participant;
use std::fmt::Write;

/// Escapes text for HTML element content and quoted attribute values.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A PLOVER category: its Arabic label and its colour on maps and charts.
pub struct Category {
    /// PLOVER name.
    pub name: &'static str,
    /// Arabic label.
    pub ar: &'static str,
    /// English label.
    pub en: &'static str,
    /// Fill colour.
    pub colour: &'static str,
}

/// The sixteen PLOVER categories, violent ones first.
pub const CATEGORIES: &[Category] = &[
    Category {
        name: "ASSAULT",
        ar: "اعتداء",
        en: "Assault",
        colour: "#c62828",
    },
    Category {
        name: "COERCE",
        ar: "إكراه",
        en: "Coerce",
        colour: "#ef6c00",
    },
    Category {
        name: "MOBILIZE",
        ar: "تعبئة",
        en: "Mobilize",
        colour: "#8d6e63",
    },
    Category {
        name: "THREATEN",
        ar: "تهديد",
        en: "Threaten",
        colour: "#f9a825",
    },
    Category {
        name: "SANCTION",
        ar: "عقوبة",
        en: "Sanction",
        colour: "#7b1fa2",
    },
    Category {
        name: "PROTEST",
        ar: "احتجاج",
        en: "Protest",
        colour: "#d81b60",
    },
    Category {
        name: "ACCUSE",
        ar: "اتهام",
        en: "Accuse",
        colour: "#a1887f",
    },
    Category {
        name: "REJECT",
        ar: "رفض",
        en: "Reject",
        colour: "#757575",
    },
    Category {
        name: "REQUEST",
        ar: "طلب",
        en: "Request",
        colour: "#00897b",
    },
    Category {
        name: "RETREAT",
        ar: "انسحاب",
        en: "Retreat",
        colour: "#80cbc4",
    },
    Category {
        name: "CONCEDE",
        ar: "تنازل",
        en: "Concede",
        colour: "#9ccc65",
    },
    Category {
        name: "AID",
        ar: "مساعدة",
        en: "Aid",
        colour: "#2e7d32",
    },
    Category {
        name: "COOPERATE",
        ar: "تعاون",
        en: "Cooperate",
        colour: "#1565c0",
    },
    Category {
        name: "SUPPORT",
        ar: "دعم",
        en: "Support",
        colour: "#4fc3f7",
    },
    Category {
        name: "CONSULT",
        ar: "تشاور",
        en: "Consult",
        colour: "#3949ab",
    },
    Category {
        name: "AGREE",
        ar: "اتفاق",
        en: "Agree",
        colour: "#558b2f",
    },
];

/// The category of a PLOVER name (case-insensitive).
pub fn category(name: &str) -> Option<&'static Category> {
    CATEGORIES
        .iter()
        .find(|c| c.name.eq_ignore_ascii_case(name))
}

/// The colour of a category (grey for unknown ones).
pub fn colour(name: &str) -> &'static str {
    category(name).map_or("#616161", |c| c.colour)
}

/// `English · العربية` for a category, the Arabic isolated.
pub fn category_label(name: &str) -> String {
    match category(name) {
        Some(c) => format!("{} · <bdi lang=\"ar\">{}</bdi>", c.en, c.ar),
        None => esc(name),
    }
}

/// A bilingual label: English, then Arabic, the Arabic isolated (`<bdi>`) so that neither
/// reorders the other or the text around them.
pub fn bi(en: &str, ar: &str) -> String {
    format!(
        "{} <bdi class=\"ar\" lang=\"ar\" dir=\"rtl\">{}</bdi>",
        esc(en),
        esc(ar)
    )
}

/// [`bi`] for compile-time templates.
pub fn label(en: &str, ar: &str) -> maud::Markup {
    maud::html! { (en) " " bdi.ar lang="ar" dir="rtl" { (ar) } }
}

/// A name as written and its English gloss, each isolated: `<bdi>داعش</bdi> <bdi>(Islamic
/// State (ISIS))</bdi>` reads right in right-to-left and left-to-right text alike (without
/// isolation the gloss's parentheses are reordered around the Arabic).
pub fn glossed(ar: &str, en: &str) -> String {
    match (ar.is_empty(), en.is_empty()) {
        (false, false) => format!(
            "<bdi lang=\"ar\">{}</bdi> <bdi dir=\"ltr\">({})</bdi>",
            esc(ar),
            esc(en)
        ),
        (false, true) => format!("<bdi lang=\"ar\">{}</bdi>", esc(ar)),
        (true, false) => format!("<bdi>{}</bdi>", esc(en)),
        _ => String::from("—"),
    }
}

/// Text with the byte spans `marks` (sorted, not overlapping) wrapped in `<mark class="hit">`;
/// spans not on character boundaries are skipped.
pub fn marked(text: &str, marks: &[(usize, usize)]) -> maud::Markup {
    let mut parts: Vec<(&str, bool)> = Vec::new();
    let mut at = 0;
    for &(s, e) in marks {
        if s < at || valid_span(text, (s, e)).is_none() {
            continue;
        }
        parts.push((&text[at..s], false));
        parts.push((&text[s..e], true));
        at = e;
    }
    parts.push((&text[at..], false));
    maud::html! {
        @for (t, hit) in parts {
            @if hit { mark.hit { (t) } } @else { (t) }
        }
    }
}

/// The navigation entries: path, English, Arabic.
const NAV: &[(&str, &str, &str)] = &[
    ("/", "Overview", "نظرة عامة"),
    ("/events", "Events", "الأحداث"),
    ("/places", "Places", "الأماكن"),
    ("/entities", "Actors", "الفاعلون"),
    ("/search", "Search", "بحث"),
    ("/indicators", "Indicators", "المؤشرات"),
    ("/api/v1/openapi.json", "API", "الواجهة البرمجية"),
];

/// Whether `c` is a bidi embedding, override or isolate control (U+202A–U+202E, U+2066–U+2069).
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// `s` without bidi controls, between U+2068 FIRST STRONG ISOLATE and U+2069 POP DIRECTIONAL
/// ISOLATE: in a `<title>`, where no markup can isolate it, a title cannot reorder the text
/// after it (an unclosed U+202E reversed the rest of the tab title).
pub fn isolated(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 6);
    out.push('\u{2068}');
    out.extend(s.chars().filter(|&c| !is_bidi_control(c)));
    out.push('\u{2069}');
    out
}

/// A whole page around `body`; its title is [`isolated`].
pub fn page(title: &str, active: &str, body: &str) -> String {
    let mut nav = String::new();
    for (href, en, ar) in NAV {
        let cur = if *href == active {
            " aria-current=\"page\""
        } else {
            ""
        };
        let _ = write!(nav, "<a href=\"{href}\"{cur}>{}</a>", bi(en, ar));
    }
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{} · marsad مرصد</title>\n<link rel=\"stylesheet\" href=\"/static/style.css\">\n<script src=\"/static/map.js\" defer></script>\n</head>\n<body>\n<header><a class=\"brand\" href=\"/\">marsad <span lang=\"ar\">مرصد</span></a><nav>{nav}</nav></header>\n<main>\n{body}\n</main>\n<footer>marsad — {} · <span lang=\"ar\">أحداث من الأخبار العربية مع أدلتها</span> · <a href=\"/api/v1/openapi.json\">API</a></footer>\n</body>\n</html>\n",
        esc(&isolated(title)),
        esc("events from Arabic news, with their evidence"),
    )
}

/// A span that is valid in `text`: non-empty, in range, on character boundaries.
pub fn valid_span(text: &str, (s, e): (usize, usize)) -> Option<(usize, usize)> {
    (s < e && e <= text.len() && text.is_char_boundary(s) && text.is_char_boundary(e))
        .then_some((s, e))
}

/// One kind of mark-up: the tag it opens and the spans it covers (non-overlapping after
/// [`highlight`] drops overlaps within the layer).
pub struct Layer {
    /// Opening tag, e.g. `<mark class="evidence">`.
    pub open: String,
    /// Closing tag, e.g. `</mark>`.
    pub close: &'static str,
    /// Byte spans `[start, end)`, each with an optional `title` tooltip.
    pub spans: Vec<(usize, usize, Option<String>)>,
}

impl Layer {
    /// A layer of spans with one tag.
    pub fn new(tag: &str, class: &str) -> Self {
        let close = match tag {
            "mark" => "</mark>",
            "strong" => "</strong>",
            _ => "</span>",
        };
        Layer {
            open: format!("<{tag} class=\"{class}\""),
            close,
            spans: Vec::new(),
        }
    }
}

/// The text with each layer's spans wrapped in its tag, properly nested (the first layer
/// outermost) and everything escaped. Invalid spans are skipped.
pub fn highlight(text: &str, layers: &mut [Layer]) -> String {
    // keep valid, non-overlapping spans per layer
    for l in layers.iter_mut() {
        l.spans
            .retain(|&(s, e, _)| valid_span(text, (s, e)).is_some());
        l.spans.sort_by_key(|&(s, e, _)| (s, std::cmp::Reverse(e)));
        let mut last_end = 0;
        l.spans.retain(|&(s, e, _)| {
            if s >= last_end {
                last_end = e;
                true
            } else {
                false
            }
        });
    }
    let mut cuts: Vec<usize> = vec![0, text.len()];
    for l in layers.iter() {
        for &(s, e, _) in &l.spans {
            cuts.push(s);
            cuts.push(e);
        }
    }
    cuts.sort_unstable();
    cuts.dedup();
    let mut out = String::with_capacity(text.len() * 2);
    // open: (layer, span index) from outermost to innermost
    let mut open: Vec<(usize, usize)> = Vec::new();
    let mut cursor = vec![0usize; layers.len()];
    for w in cuts.windows(2) {
        let (a, b) = (w[0], w[1]);
        let mut want: Vec<(usize, usize)> = Vec::new();
        for (li, l) in layers.iter().enumerate() {
            while cursor[li] < l.spans.len() && l.spans[cursor[li]].1 <= a {
                cursor[li] += 1;
            }
            if let Some(&(s, e, _)) = l.spans.get(cursor[li]) {
                if s <= a && b <= e {
                    want.push((li, cursor[li]));
                }
            }
        }
        let common = open.iter().zip(&want).take_while(|(x, y)| x == y).count();
        while open.len() > common {
            if let Some((li, _)) = open.pop() {
                out.push_str(layers[li].close);
            }
        }
        for &(li, si) in &want[common..] {
            out.push_str(&layers[li].open);
            if let Some(t) = &layers[li].spans[si].2 {
                let _ = write!(out, " title=\"{}\"", esc(t));
            }
            out.push('>');
            open.push((li, si));
        }
        out.push_str(&esc(&text[a..b]));
    }
    while let Some((li, _)) = open.pop() {
        out.push_str(layers[li].close);
    }
    out
}

/// The display name of a participant: as written, with the English name when known
/// ([`glossed`]).
pub fn who(p: &Participant) -> String {
    glossed(p.text.as_str(), p.name_en.as_deref().unwrap_or(""))
}

/// A place name for display: English and Arabic when known, each isolated.
pub fn place_name(en: Option<&str>, ar: Option<&str>, fallback: &str) -> String {
    match (en, ar) {
        (Some(e), Some(a)) if !e.is_empty() && !a.is_empty() => {
            format!("<bdi>{}</bdi> <bdi lang=\"ar\">{}</bdi>", esc(e), esc(a))
        }
        (Some(e), _) if !e.is_empty() => format!("<bdi>{}</bdi>", esc(e)),
        (_, Some(a)) if !a.is_empty() => format!("<bdi lang=\"ar\">{}</bdi>", esc(a)),
        _ => format!("<bdi>{}</bdi>", esc(fallback)),
    }
}

/// The English name of a country code (the code itself when unknown), from the gazetteer's
/// names that the exports use.
pub fn country_name(iso2: &str) -> String {
    marsad_export::Names::builtin().country(iso2)
}

/// The English name of a province (admin1) code in a country (the value itself when it is no
/// known code, as when the record already holds a name).
pub fn admin1_name(iso2: &str, admin1: &str) -> String {
    marsad_export::Names::builtin().admin1(iso2, admin1)
}

/// Whether a URL may be a link (only http and https).
pub fn safe_url(u: &str) -> bool {
    let l = u.trim_start().to_ascii_lowercase();
    l.starts_with("http://") || l.starts_with("https://")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_title_is_isolated_and_carries_no_bidi_controls() {
        let html = page("خبر\u{202E}evil\u{2066}x", "/", "<p>body</p>");
        let start = html.find("<title>").unwrap() + "<title>".len();
        let end = html.find("</title>").unwrap();
        let title = &html[start..end];
        assert!(!title.contains('\u{202E}'), "{title:?}");
        assert_eq!(title, "\u{2068}خبرevilx\u{2069} · marsad مرصد");
        assert!(!html.contains('\u{202E}'));
    }

    #[test]
    fn escaping_covers_markup_and_quotes() {
        assert_eq!(
            esc("<script>alert('x')</script> & \"q\""),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;"
        );
    }

    #[test]
    fn highlight_nests_and_escapes() {
        let text = "قال <b> إن الجيش قصف المدينة";
        let ev_s = text.find("الجيش").unwrap();
        let tr_s = text.find("قصف").unwrap();
        let mut layers = vec![
            Layer::new("mark", "evidence"),
            Layer::new("strong", "trigger"),
        ];
        layers[0].spans.push((ev_s, text.len(), None));
        layers[1]
            .spans
            .push((tr_s, tr_s + "قصف".len(), Some("ASSAULT".into())));
        let h = highlight(text, &mut layers);
        assert_eq!(
            h,
            "قال &lt;b&gt; إن <mark class=\"evidence\">الجيش <strong class=\"trigger\" title=\"ASSAULT\">قصف</strong> المدينة</mark>"
        );
    }

    #[test]
    fn highlight_skips_bad_spans_and_splits_crossing_ones() {
        let text = "أبجد هوز";
        // 1 is inside the first letter (2 bytes): not a boundary
        let mut layers = vec![Layer::new("mark", "a"), Layer::new("span", "b")];
        layers[0].spans = vec![(1, 4, None), (0, 4, None), (2, 100, None)];
        layers[1].spans = vec![(2, 9, None)];
        let h = highlight(text, &mut layers);
        assert_eq!(
            h,
            "<mark class=\"a\">أ<span class=\"b\">ب</span></mark><span class=\"b\">جد </span>هوز"
        );
    }

    #[test]
    fn glosses_are_isolated_from_the_arabic_they_follow() {
        assert_eq!(
            glossed("داعش", "Islamic State (ISIS)"),
            "<bdi lang=\"ar\">داعش</bdi> <bdi dir=\"ltr\">(Islamic State (ISIS))</bdi>"
        );
        assert_eq!(glossed("", "<x>"), "<bdi>&lt;x&gt;</bdi>");
        assert!(bi("Places", "الأماكن").contains("<bdi class=\"ar\""));
    }

    #[test]
    fn hits_are_marked_and_escaped() {
        let t = "قال <b> إن الانشقاقات تزايدت";
        let s = t.find("الانشقاقات").unwrap();
        let m = marked(t, &[(s, s + "الانشقاقات".len()), (1, 2)]).into_string();
        assert_eq!(
            m,
            "قال &lt;b&gt; إن <mark class=\"hit\">الانشقاقات</mark> تزايدت"
        );
    }

    #[test]
    fn only_web_urls_are_links() {
        assert!(safe_url("https://example.invalid/x"));
        assert!(!safe_url("javascript:alert(1)"));
        assert!(!safe_url(" data:text/html,x"));
    }
}
