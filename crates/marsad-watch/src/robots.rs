//! robots.txt (RFC 9309): the groups for our product token (else `*`), their `Allow` and
//! `Disallow` rules (the longest match wins, `Allow` on a tie; `*` matches any run of characters,
//! a final `$` the end of the path) and `Crawl-delay`.

use std::time::Duration;

/// One `Allow` or `Disallow` line.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Rule {
    allow: bool,
    pattern: String,
}

/// The rules of a robots.txt that apply to one product token.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Robots {
    rules: Vec<Rule>,
    crawl_delay: Option<Duration>,
    /// Everything is disallowed (robots.txt could not be fetched for a server error).
    deny_all: bool,
}

impl Robots {
    /// Everything allowed (no robots.txt: a 4xx answer).
    pub fn allow_all() -> Robots {
        Robots::default()
    }

    /// Everything disallowed (what RFC 9309 asks while robots.txt is unreachable).
    pub fn deny_all() -> Robots {
        Robots {
            deny_all: true,
            ..Robots::default()
        }
    }

    /// The rules of `text` for the product token `agent` (matched without case; `marsad`).
    pub fn parse(text: &str, agent: &str) -> Robots {
        let agent = agent.to_ascii_lowercase();
        // (agents of the group, rules, crawl-delay), in file order
        let mut groups: Vec<(Vec<String>, Vec<Rule>, Option<Duration>)> = Vec::new();
        let mut in_agents = false;
        for line in text.lines() {
            let line = line.split('#').next().unwrap_or("").trim();
            let Some((key, value)) = line.split_once(':') else {
                continue;
            };
            let key = key.trim().to_ascii_lowercase();
            let value = value.trim();
            match key.as_str() {
                "user-agent" => {
                    if !in_agents {
                        groups.push((Vec::new(), Vec::new(), None));
                        in_agents = true;
                    }
                    if let Some(g) = groups.last_mut() {
                        g.0.push(value.to_ascii_lowercase());
                    }
                }
                "allow" | "disallow" => {
                    in_agents = false;
                    if let Some(g) = groups.last_mut() {
                        // an empty Disallow allows everything: no rule
                        if !value.is_empty() {
                            g.1.push(Rule {
                                allow: key == "allow",
                                pattern: value.to_string(),
                            });
                        }
                    }
                }
                "crawl-delay" => {
                    in_agents = false;
                    if let Some(g) = groups.last_mut() {
                        g.2 = value
                            .parse::<f64>()
                            .ok()
                            .filter(|s| s.is_finite() && *s >= 0.0)
                            .map(|s| Duration::from_secs_f64(s.min(3600.0)));
                    }
                }
                _ => {}
            }
        }
        let ours: Vec<_> = groups
            .iter()
            .filter(|g| {
                g.0.iter()
                    .any(|a| a != "*" && agent.starts_with(a.as_str()))
            })
            .collect();
        let chosen = if ours.is_empty() {
            groups
                .iter()
                .filter(|g| g.0.iter().any(|a| a == "*"))
                .collect()
        } else {
            ours
        };
        Robots {
            rules: chosen.iter().flat_map(|g| g.1.iter().cloned()).collect(),
            crawl_delay: chosen.iter().filter_map(|g| g.2).max(),
            deny_all: false,
        }
    }

    /// Whether `path` (with its query, `/news?id=1`) may be fetched.
    pub fn allows(&self, path: &str) -> bool {
        if self.deny_all {
            return false;
        }
        let path = if path.is_empty() { "/" } else { path };
        // robots.txt itself is always allowed
        if path == "/robots.txt" {
            return true;
        }
        let mut best: Option<(usize, bool)> = None;
        for r in &self.rules {
            if matches(&r.pattern, path) {
                let len = r.pattern.len();
                best = match best {
                    Some((l, a)) if l > len || (l == len && a) => Some((l, a)),
                    _ => Some((len, r.allow)),
                };
            }
        }
        best.is_none_or(|(_, allow)| allow)
    }

    /// The `Crawl-delay` asked of us, if any.
    pub fn crawl_delay(&self) -> Option<Duration> {
        self.crawl_delay
    }
}

/// Whether a robots.txt pattern matches the start of `path`.
fn matches(pattern: &str, path: &str) -> bool {
    let (pattern, anchored) = match pattern.strip_suffix('$') {
        Some(p) => (p, true),
        None => (pattern, false),
    };
    let parts: Vec<&str> = pattern.split('*').collect();
    let Some(first) = parts.first() else {
        return true;
    };
    if !path.starts_with(first) {
        return false;
    }
    let mut at = first.len();
    let last = parts.len() - 1;
    for (i, part) in parts.iter().enumerate().skip(1) {
        if i == last && anchored {
            return path.len() >= at + part.len() && path.ends_with(part);
        }
        match path[at..].find(part) {
            Some(j) => at += j + part.len(),
            None => return false,
        }
    }
    !anchored || at == path.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    const TXT: &str = "
# a comment
User-agent: *
Disallow: /private/
Allow: /private/news/
Disallow: /*.pdf$
Crawl-delay: 5

User-agent: badbot
Disallow: /

User-agent: Marsad
User-agent: other
Disallow: /archive
Allow: /archive/today
";

    /// (agent, path, allowed)
    const CASES: &[(&str, &str, bool)] = &[
        ("somebot", "/", true),
        ("somebot", "/private/x", false),
        ("somebot", "/private/news/1", true),
        ("somebot", "/files/a.pdf", false),
        ("somebot", "/files/a.pdf?x=1", true),
        ("badbot", "/anything", false),
        ("badbot", "/robots.txt", true),
        // marsad has its own group: the `*` group does not apply to it
        ("marsad", "/private/x", true),
        ("marsad", "/archive/2015", false),
        ("marsad", "/archive/today/1", true),
        ("marsad", "/archived", false),
    ];

    #[test]
    fn groups_longest_match_and_wildcards() {
        for (agent, path, want) in CASES {
            let r = Robots::parse(TXT, agent);
            assert_eq!(r.allows(path), *want, "{agent} {path}");
        }
        assert_eq!(
            Robots::parse(TXT, "somebot").crawl_delay(),
            Some(Duration::from_secs(5))
        );
        assert_eq!(Robots::parse(TXT, "marsad").crawl_delay(), None);
    }

    #[test]
    fn empty_missing_and_unreachable() {
        assert!(Robots::parse("", "marsad").allows("/x"));
        assert!(Robots::parse("User-agent: *\nDisallow:\n", "marsad").allows("/x"));
        assert!(Robots::allow_all().allows("/x"));
        assert!(!Robots::deny_all().allows("/feed.xml"));
        // a tie between Allow and Disallow of the same length: allowed
        let tie = Robots::parse("User-agent: *\nDisallow: /a\nAllow: /a\n", "marsad");
        assert!(tie.allows("/a"));
        // garbage lines are skipped
        let junk = Robots::parse("<html>not robots</html>\nUser-agent *\n", "marsad");
        assert!(junk.allows("/x"));
    }

    #[test]
    fn pattern_matching() {
        assert!(matches("/a*b", "/axxb/c"));
        assert!(!matches("/a*b$", "/axxb/c"));
        assert!(matches("/a*b$", "/axxb"));
        assert!(matches("*", "/anything"));
        assert!(matches("/$", "/"));
        assert!(!matches("/$", "/x"));
    }
}
