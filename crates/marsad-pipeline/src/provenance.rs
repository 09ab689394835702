//! Provenance of an input document: the caller's id, the outlet, the web address, the title and
//! the publication date, from JSONL fields, HTML meta tags and feed entries. A local file path
//! is never taken for a web address.

use crate::input::InputDoc;
use marsad_record::{is_web_url, url_domain};
use serde::Deserialize;

/// What is known of where a document came from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Provenance {
    /// The caller's id (the input's `id`, a feed entry's id).
    pub external_id: Option<String>,
    /// The outlet: the input's `source` (a feed's title, a page's site name), else the URL's domain.
    pub outlet: Option<String>,
    /// The web address: `url`, else `url_or_path` when it is a web address.
    pub url: Option<String>,
    /// The headline.
    pub title: Option<String>,
    /// The publication date (`YYYY-MM-DD`).
    pub published: Option<String>,
}

/// A trimmed, non-empty copy of `s`.
fn clean(s: Option<&str>) -> Option<String> {
    s.map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

/// The provenance of an input document.
pub fn of(d: &InputDoc) -> Provenance {
    let url = [d.url.as_deref(), d.url_or_path.as_deref()]
        .into_iter()
        .flatten()
        .find(|u| is_web_url(u))
        .map(|u| u.trim().to_string());
    let outlet = clean(d.source.as_deref()).or_else(|| url.as_deref().and_then(url_domain));
    Provenance {
        external_id: clean(d.id_string().as_deref()),
        outlet,
        url,
        title: clean(d.title.as_deref()),
        published: d
            .date
            .as_deref()
            .and_then(crate::parse_date)
            .map(|d| d.to_string()),
    }
}

/// A string field that is taken only when it is a string: any other JSON value (a number, a
/// list) is no value, so that a stray type in an optional field does not reject the document.
pub fn lenient_string<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(match serde_json::Value::deserialize(d)? {
        serde_json::Value::String(s) => Some(s),
        _ => None,
    })
}

/// What a page's head says of it: `og:site_name`, its canonical address (`<link
/// rel="canonical">`, else `og:url`), `article:published_time` and `og:title`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PageMeta {
    /// `og:site_name` (or `application-name`).
    pub site_name: Option<String>,
    /// The canonical web address.
    pub url: Option<String>,
    /// `article:published_time` (or `datePublished`, `date`).
    pub published: Option<String>,
    /// `og:title`.
    pub title: Option<String>,
}

/// Bytes of a page searched for its meta tags (they live in the head).
const META_SCAN_BYTES: usize = 512 * 1024;

/// The meta tags of an HTML page ([`PageMeta`]), read from its first [`META_SCAN_BYTES`].
pub fn page_meta(html: &str) -> PageMeta {
    let mut end = html.len().min(META_SCAN_BYTES);
    while !html.is_char_boundary(end) {
        end -= 1;
    }
    let head = &html[..end];
    let lower = head.to_ascii_lowercase();
    let mut m = PageMeta::default();
    let (mut canonical, mut og_url) = (None, None);
    let mut at = 0;
    while let Some(i) = lower[at..].find('<').map(|i| i + at) {
        let rest = &lower[i + 1..];
        let name_len = rest
            .bytes()
            .take_while(|b| b.is_ascii_alphanumeric())
            .count();
        let name = &rest[..name_len];
        let close = tag_close(&lower, i + 1 + name_len);
        if name == "body" {
            break;
        }
        if name == "meta" || name == "link" {
            let attrs = attributes(&head[i + 1 + name_len..close]);
            let get = |k: &str| {
                attrs
                    .iter()
                    .find(|(n, _)| n == k)
                    .and_then(|(_, v)| clean(Some(v)))
            };
            if name == "link" {
                let rel = get("rel").unwrap_or_default().to_ascii_lowercase();
                if rel.split_whitespace().any(|r| r == "canonical") {
                    canonical = canonical.or(get("href"));
                }
            } else {
                let key = get("property")
                    .or_else(|| get("name"))
                    .or_else(|| get("itemprop"))
                    .unwrap_or_default()
                    .to_ascii_lowercase();
                let content = get("content");
                match key.as_str() {
                    "og:site_name" => m.site_name = m.site_name.take().or(content),
                    "application-name" if m.site_name.is_none() => m.site_name = content,
                    "og:url" => og_url = og_url.or(content),
                    "og:title" => m.title = m.title.take().or(content),
                    "article:published_time" => m.published = content.or(m.published.take()),
                    "datepublished" | "date" | "pubdate" if m.published.is_none() => {
                        m.published = content
                    }
                    _ => {}
                }
            }
        }
        at = close.max(i + 1);
    }
    m.url = [canonical, og_url]
        .into_iter()
        .flatten()
        .find(|u| is_web_url(u));
    m
}

/// The byte offset of the `>` that closes a tag whose attributes start at `from` (quotes
/// respected), or the end of `s`.
fn tag_close(s: &str, from: usize) -> usize {
    let b = s.as_bytes();
    let mut quote = None;
    for (j, &c) in b.iter().enumerate().skip(from) {
        match (quote, c) {
            (None, b'"' | b'\'') => quote = Some(c),
            (Some(q), _) if c == q => quote = None,
            (None, b'>') => return j,
            _ => {}
        }
    }
    b.len()
}

/// The attributes of a tag (`name="value"`, `name='value'`, `name=value`), names lowercased and
/// values with their entities decoded.
fn attributes(s: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = s.trim_start_matches('/');
    loop {
        rest = rest.trim_start_matches(|c: char| c.is_whitespace() || c == '/');
        if rest.is_empty() {
            break;
        }
        let n = rest
            .find(|c: char| c.is_whitespace() || c == '=' || c == '/')
            .unwrap_or(rest.len());
        let name = rest[..n].to_ascii_lowercase();
        rest = rest[n..].trim_start();
        let mut value = String::new();
        if let Some(r) = rest.strip_prefix('=') {
            let r = r.trim_start();
            let (v, after) = match r.chars().next() {
                Some(q @ ('"' | '\'')) => {
                    let body = &r[1..];
                    let e = body.find(q).unwrap_or(body.len());
                    (&body[..e], body.get(e + 1..).unwrap_or(""))
                }
                _ => {
                    let e = r.find(char::is_whitespace).unwrap_or(r.len());
                    (&r[..e], &r[e..])
                }
            };
            value = crate::sources::html_to_text(v);
            rest = after;
        }
        if name.is_empty() {
            // a stray `=` or quote: skip one character
            rest = rest.get(1..).unwrap_or("");
            continue;
        }
        out.push((name, value));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jsonl_fields_give_the_provenance() {
        let line = r#"{"id": "ant-SK-1156", "source": "skynews", "url_or_path": "https://www.skynewsarabia.com/business/1172293", "date": "2018-08-10T09:00:00Z", "title": " انكشاف الليرة ", "text": "نص", "corpus": "x", "category": "economy"}"#;
        let d = crate::input::parse_jsonl_line(line).unwrap();
        let p = of(&d);
        assert_eq!(p.external_id.as_deref(), Some("ant-SK-1156"));
        assert_eq!(p.outlet.as_deref(), Some("skynews"));
        assert_eq!(
            p.url.as_deref(),
            Some("https://www.skynewsarabia.com/business/1172293")
        );
        assert_eq!(p.title.as_deref(), Some("انكشاف الليرة"));
        assert_eq!(p.published.as_deref(), Some("2018-08-10"));
    }

    #[test]
    fn a_local_path_is_no_url_and_the_domain_names_a_missing_outlet() {
        let d = crate::input::parse_jsonl_line(
            r#"{"id": 17, "url_or_path": "/data/bench3000.jsonl", "text": "نص"}"#,
        )
        .unwrap();
        let p = of(&d);
        assert_eq!(p.external_id.as_deref(), Some("17"));
        assert_eq!((p.url, p.outlet), (None, None));
        let d = crate::input::parse_jsonl_line(
            r#"{"url": "http://www.aawsat.com/home/article/1", "source": 5, "text": "نص"}"#,
        )
        .unwrap();
        let p = of(&d);
        assert_eq!(p.outlet.as_deref(), Some("aawsat.com"));
        assert_eq!(p.external_id, None);
    }

    #[test]
    fn html_meta_tags_give_site_canonical_url_and_date() {
        let html = r#"<!doctype html><html><head>
            <meta charset="utf-8">
            <META PROPERTY="og:site_name" CONTENT="الشرق الأوسط">
            <meta property='og:url' content='https://aawsat.com/node/2?utm=x'>
            <link rel="canonical" href="https://aawsat.com/node/2">
            <meta name="description" content="a > b">
            <meta property="article:published_time" content="2019-05-02T10:00:00+03:00" />
            <meta property="og:title" content="عنوان &amp; آخر">
            </head><body><meta property="og:site_name" content="لا"></body></html>"#;
        let m = page_meta(html);
        assert_eq!(m.site_name.as_deref(), Some("الشرق الأوسط"));
        assert_eq!(m.url.as_deref(), Some("https://aawsat.com/node/2"));
        assert_eq!(m.published.as_deref(), Some("2019-05-02T10:00:00+03:00"));
        assert_eq!(m.title.as_deref(), Some("عنوان & آخر"));
    }

    #[test]
    fn og_url_stands_in_for_a_missing_canonical_link_and_paths_are_dropped() {
        let m = page_meta(
            r#"<head><link rel="canonical" href="/node/2"><meta property="og:url" content="https://x.org/a"></head>"#,
        );
        assert_eq!(m.url.as_deref(), Some("https://x.org/a"));
        assert_eq!(page_meta("<p>نص بلا رأس</p>"), PageMeta::default());
        // unclosed tags and stray quotes end the scan without a panic
        let m = page_meta("<meta property=\"og:site_name content='x");
        assert_eq!(m.url, None);
    }
}
