//! Provenance: the articles that report an event, as their publisher and caller know them.

use serde::{Deserialize, Serialize};

/// One article that reports an event: who published it, where, and the caller's id for it.
/// Never a local file path: `url` is a web address or absent.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArticleSource {
    /// The stored document (content id).
    pub doc_id: String,
    /// The caller's id for the document (the input's `id`, a feed entry's id), if given.
    #[serde(default)]
    pub external_id: Option<String>,
    /// The outlet: the input's `source`, a feed's title, a page's site name, or the URL's domain.
    #[serde(default)]
    pub outlet: Option<String>,
    /// The article's web address (`http`/`https`), if known.
    #[serde(default)]
    pub url: Option<String>,
    /// Its headline.
    #[serde(default)]
    pub title: Option<String>,
    /// Its publication date (`YYYY-MM-DD`).
    #[serde(default)]
    pub published: Option<String>,
}

impl ArticleSource {
    /// Whether it names both an outlet and the caller's id.
    pub fn is_named(&self) -> bool {
        self.outlet.is_some() && self.external_id.is_some()
    }
}

/// Whether `s` is a web address (`http://` or `https://`), not a local path.
pub fn is_web_url(s: &str) -> bool {
    let s = s.trim();
    let lower = s.get(..8).unwrap_or(s).to_ascii_lowercase();
    (lower.starts_with("http://") || lower.starts_with("https://"))
        && s.len() > lower.find("//").unwrap_or(0) + 2
}

/// The host of a web address without a leading `www.` (`https://www.bbc.com/arabic` → `bbc.com`).
pub fn url_domain(url: &str) -> Option<String> {
    if !is_web_url(url) {
        return None;
    }
    let rest = &url.trim()[url.trim().find("//")? + 2..];
    let host = rest.split(['/', '?', '#']).next()?;
    let host = host.rsplit('@').next()?;
    let host = host.split(':').next()?.to_ascii_lowercase();
    let host = host.strip_prefix("www.").unwrap_or(&host).to_string();
    (!host.is_empty() && host.contains('.')).then_some(host)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn web_addresses_and_their_domains() {
        assert!(is_web_url("https://www.bbc.com/arabic/x"));
        assert!(is_web_url("HTTP://example.org"));
        assert!(!is_web_url("bench3000.jsonl: line 1419"));
        assert!(!is_web_url("/data/news/a.html"));
        assert!(!is_web_url("file:///tmp/a.html"));
        assert!(!is_web_url("https://"));
        assert_eq!(
            url_domain("https://www.skynewsarabia.com/business/1172293").as_deref(),
            Some("skynewsarabia.com")
        );
        assert_eq!(
            url_domain("http://user@news.example.org:8080/a?b#c").as_deref(),
            Some("news.example.org")
        );
        assert_eq!(url_domain("/local/path.html"), None);
        assert_eq!(url_domain("http://localhost/x"), None);
    }

    #[test]
    fn a_source_reads_with_fields_missing() {
        let s: ArticleSource = serde_json::from_str(r#"{"doc_id":"d1"}"#).unwrap();
        assert_eq!(s.doc_id, "d1");
        assert!(!s.is_named());
    }
}
