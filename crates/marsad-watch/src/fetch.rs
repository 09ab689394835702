//! Fetching, politely: a descriptive `User-Agent`, robots.txt read per host (and its
//! `Crawl-delay`), a least delay between two requests to one host, conditional GET (ETag,
//! Last-Modified), a time limit per request, and retries with a doubling backoff for network
//! errors, 5xx and 429 answers.

use crate::config::Settings;
use crate::robots::Robots;
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// How long a host's robots.txt is kept before it is read again.
const ROBOTS_TTL: Duration = Duration::from_secs(24 * 3600);

/// What a conditional GET brought.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fetched {
    /// `304 Not Modified`: nothing new.
    NotModified,
    /// A `2xx` answer.
    Body {
        /// The body (at most the size limit).
        bytes: Vec<u8>,
        /// Its `ETag`.
        etag: Option<String>,
        /// Its `Last-Modified`.
        last_modified: Option<String>,
        /// Its `Content-Type`.
        content_type: Option<String>,
    },
}

/// What is known of one host.
#[derive(Default)]
struct Host {
    last: Option<Instant>,
    robots: Option<(Robots, Instant)>,
}

/// A polite HTTP client (one per watcher; not shared between threads).
pub struct Fetcher {
    agent: ureq::Agent,
    settings: Settings,
    product: String,
    hosts: HashMap<String, Host>,
    stop: std::sync::Arc<AtomicBool>,
}

/// The scheme and authority (`http://host:port`) and the path with query of `url`.
pub fn split_url(url: &str) -> Option<(String, String)> {
    let uri: ureq::http::Uri = url.parse().ok()?;
    let scheme = uri.scheme_str()?;
    let auth = uri.authority()?;
    let path = uri.path_and_query().map_or("/", |p| p.as_str());
    Some((format!("{scheme}://{auth}"), path.to_string()))
}

impl Fetcher {
    /// A fetcher with these settings; `stop` cuts waits (politeness, backoff) short.
    pub fn new(settings: &Settings, stop: std::sync::Arc<AtomicBool>) -> Fetcher {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .timeout_global(Some(settings.timeout))
            .http_status_as_error(false)
            .user_agent(settings.user_agent.as_str())
            .max_redirects(5)
            .build()
            .into();
        let product = settings
            .user_agent
            .split(['/', ' '])
            .next()
            .unwrap_or("marsad")
            .to_string();
        Fetcher {
            agent,
            settings: settings.clone(),
            product,
            hosts: HashMap::new(),
            stop,
        }
    }

    /// Sleeps `d`, waking early when asked to stop; false when it was.
    pub fn sleep(&self, d: Duration) -> bool {
        let end = Instant::now() + d;
        loop {
            if self.stop.load(Ordering::Relaxed) {
                return false;
            }
            let now = Instant::now();
            if now >= end {
                return true;
            }
            std::thread::sleep((end - now).min(Duration::from_millis(50)));
        }
    }

    /// Waits until `host` may be asked again, then marks the request.
    fn wait_turn(&mut self, host: &str) {
        let delay = {
            let h = self.hosts.entry(host.to_string()).or_default();
            let crawl = h
                .robots
                .as_ref()
                .and_then(|(r, _)| r.crawl_delay())
                .unwrap_or_default();
            let gap = self.settings.politeness.max(crawl);
            h.last
                .map(|l| (l + gap).saturating_duration_since(Instant::now()))
                .unwrap_or_default()
        };
        if !delay.is_zero() {
            self.sleep(delay);
        }
        self.hosts.entry(host.to_string()).or_default().last = Some(Instant::now());
    }

    /// The robots.txt rules of `host` (read when not known or stale); an error when it could
    /// not be read (a server error or no answer: nothing may be fetched, RFC 9309).
    fn robots(&mut self, host: &str) -> Result<Robots, String> {
        if let Some((r, at)) = self.hosts.get(host).and_then(|h| h.robots.as_ref()) {
            if at.elapsed() < ROBOTS_TTL {
                return Ok(r.clone());
            }
        }
        self.wait_turn(host);
        let url = format!("{host}/robots.txt");
        let got = self
            .agent
            .get(&url)
            .call()
            .map_err(|e| describe(&e, self.settings.timeout))
            .map(|mut resp| {
                let status = resp.status().as_u16();
                let body = resp
                    .body_mut()
                    .with_config()
                    .limit(512 * 1024)
                    .read_to_string()
                    .unwrap_or_default();
                (status, body)
            });
        let robots = match got {
            Ok((200..=299, body)) => Robots::parse(&body, &self.product),
            // no robots.txt (or not for us to see): everything allowed
            Ok((400..=499, _)) => Robots::allow_all(),
            // a server error or no answer: nothing allowed, asked again next time (RFC 9309)
            Ok((status, _)) => {
                return Err(format!(
                    "{url} answered HTTP {status}: nothing is fetched from {host} until it can be read (RFC 9309)"
                ))
            }
            Err(e) => {
                return Err(format!(
                    "{url} could not be read ({}): nothing is fetched from {host} until it can be",
                    e
                ))
            }
        };
        self.hosts.entry(host.to_string()).or_default().robots =
            Some((robots.clone(), Instant::now()));
        Ok(robots)
    }

    /// A conditional GET of `url`, with retries; the error says what went wrong, for the
    /// operator (and the source's state).
    pub fn get(
        &mut self,
        url: &str,
        etag: Option<&str>,
        last_modified: Option<&str>,
    ) -> Result<Fetched, String> {
        let (host, path) = split_url(url).ok_or_else(|| format!("{url}: not a valid address"))?;
        if !self.robots(&host)?.allows(&path) {
            return Err(format!(
                "disallowed by {host}/robots.txt for {} (not fetched)",
                self.product
            ));
        }
        let mut last_err = String::new();
        for attempt in 0..=self.settings.retries {
            if attempt > 0 {
                let wait = self
                    .settings
                    .backoff
                    .saturating_mul(1 << (attempt - 1).min(16));
                if !self.sleep(wait) {
                    return Err(format!("{last_err} (stopped before retrying)"));
                }
            }
            self.wait_turn(&host);
            let mut req = self.agent.get(url);
            if let Some(e) = etag {
                req = req.header("If-None-Match", e);
            }
            if let Some(m) = last_modified {
                req = req.header("If-Modified-Since", m);
            }
            let mut resp = match req.call() {
                Ok(r) => r,
                Err(e) => {
                    last_err = describe(&e, self.settings.timeout);
                    continue;
                }
            };
            let status = resp.status().as_u16();
            let header = |name: &str| {
                resp.headers()
                    .get(name)
                    .and_then(|v| v.to_str().ok())
                    .map(str::to_string)
            };
            match status {
                304 => return Ok(Fetched::NotModified),
                200..=299 => {
                    let (etag, last_modified, content_type) = (
                        header("etag"),
                        header("last-modified"),
                        header("content-type"),
                    );
                    let max = self.settings.max_bytes;
                    return match resp.body_mut().with_config().limit(max).read_to_vec() {
                        Ok(bytes) => Ok(Fetched::Body {
                            bytes,
                            etag,
                            last_modified,
                            content_type,
                        }),
                        Err(ureq::Error::BodyExceedsLimit(_)) => Err(format!(
                            "the answer is larger than the limit of {max} bytes"
                        )),
                        Err(e) => {
                            last_err = format!(
                                "reading the answer failed: {}",
                                describe(&e, self.settings.timeout)
                            );
                            continue;
                        }
                    };
                }
                429 | 500..=599 => {
                    last_err = format!("HTTP {status}");
                }
                _ => return Err(format!("HTTP {status}")),
            }
        }
        let tries = self.settings.retries + 1;
        Err(format!(
            "{last_err} ({tries} {})",
            if tries == 1 { "try" } else { "tries" }
        ))
    }

    /// POSTs `json` to `url` (a webhook), with retries; `Ok` on a 2xx answer.
    pub fn post_json(&mut self, url: &str, json: &[u8], tries: u32) -> Result<(), String> {
        let mut last_err = String::new();
        for attempt in 0..tries.max(1) {
            if attempt > 0 {
                let wait = self
                    .settings
                    .backoff
                    .saturating_mul(1 << (attempt - 1).min(16));
                if !self.sleep(wait) {
                    break;
                }
            }
            let sent = self
                .agent
                .post(url)
                .header("Content-Type", "application/json")
                .send(json);
            match sent {
                Ok(r) if r.status().is_success() => return Ok(()),
                Ok(r) => last_err = format!("HTTP {}", r.status().as_u16()),
                Err(e) => last_err = describe(&e, self.settings.timeout),
            }
        }
        Err(format!("webhook {url}: {last_err}"))
    }
}

/// A client error in words.
fn describe(e: &ureq::Error, timeout: Duration) -> String {
    match e {
        ureq::Error::Timeout(_) => format!("no complete answer within {timeout:?} (timed out)"),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_split_into_host_and_path() {
        assert_eq!(
            split_url("http://127.0.0.1:8080/a/feed.xml?x=1"),
            Some(("http://127.0.0.1:8080".into(), "/a/feed.xml?x=1".into()))
        );
        assert_eq!(
            split_url("https://example.org"),
            Some(("https://example.org".into(), "/".into()))
        );
        assert_eq!(split_url("not a url"), None);
    }
}
