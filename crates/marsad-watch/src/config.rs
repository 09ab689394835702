//! `watch.toml`: the sources to follow, how politely, and the alert rules. Read whole and checked
//! before anything is fetched: a mistake is an error naming the file and the problem.
//!
//! ```toml
//! [watch]                      # optional; these are the defaults
//! every = "15m"                # poll interval of a source that does not set its own
//! timeout = "20s"              # one request, connect to last byte
//! retries = 2                  # further tries of a request that failed on the network or a 5xx
//! backoff = "2s"               # wait before the first retry, doubled each time
//! politeness = "2s"            # least time between two requests to one host
//!
//! [[source]]
//! url = "https://example.org/rss.xml"
//! every = "10m"                # optional
//! kind = "feed"                # or "page"; by default read from the answer
//!
//! [[rule]]
//! name = "nineveh-attacks"
//! type = "ASSAULT"             # filters, all optional: type, mode, country, admin1, actor,
//! admin1 = "نينوى"              # near = { lat, lon, km }, keywords = [...], counted = true
//! when = "count"               # "every" (default), "count", "toll" or "spike"
//! at_least = 3
//! within = "7d"
//! webhook = "http://127.0.0.1:9000/hook"   # deliveries: webhook, jsonl = "FILE", stdout = true
//! ```

use crate::WatchError;
use marsad_record::Category;
use serde::Deserialize;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// A whole `watch.toml`.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    /// Politeness and retry settings.
    pub settings: Settings,
    /// The sources, in the file's order.
    pub sources: Vec<Source>,
    /// The alert rules, in the file's order.
    pub rules: Vec<Rule>,
}

/// How the watcher fetches.
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    /// Poll interval of a source that does not set its own.
    pub every: Duration,
    /// Time limit of one request.
    pub timeout: Duration,
    /// Further tries of a request that failed on the network, with a 5xx or a 429.
    pub retries: u32,
    /// Wait before the first retry (doubled for each next one).
    pub backoff: Duration,
    /// Least time between two requests to one host.
    pub politeness: Duration,
    /// The `User-Agent` sent; its first word (`marsad`) is the name robots.txt rules are read for.
    pub user_agent: String,
    /// Largest answer read, in bytes.
    pub max_bytes: u64,
    /// Delivery tries of a webhook before an alert is left undelivered (kept in `marsad alerts`).
    pub webhook_tries: u32,
}

/// The `User-Agent` marsad sends by default.
pub const USER_AGENT: &str = concat!(
    "marsad/",
    env!("CARGO_PKG_VERSION"),
    " (news event monitor; follows robots.txt; +https://example.invalid/marsad)"
);

impl Default for Settings {
    fn default() -> Self {
        Settings {
            every: Duration::from_secs(15 * 60),
            timeout: Duration::from_secs(20),
            retries: 2,
            backoff: Duration::from_secs(2),
            politeness: Duration::from_secs(2),
            user_agent: USER_AGENT.to_string(),
            max_bytes: 16 << 20,
            webhook_tries: 3,
        }
    }
}

/// What a source is read as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// An RSS or Atom feed: one document per entry.
    Feed,
    /// An HTML page: its article.
    Page,
}

/// One source to follow.
#[derive(Debug, Clone, PartialEq)]
pub struct Source {
    /// Its address (http or https).
    pub url: String,
    /// Its poll interval.
    pub every: Duration,
    /// Feed or page; `None`: read from the answer's type and first bytes.
    pub kind: Option<Kind>,
}

/// A circle on the map.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Near {
    /// Latitude of the centre.
    pub lat: f64,
    /// Longitude of the centre.
    pub lon: f64,
    /// Radius in kilometres.
    pub km: f64,
}

/// Which events a rule looks at.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Filter {
    /// PLOVER categories (any of them); empty: any.
    pub types: Vec<String>,
    /// A mode of the category.
    pub mode: Option<String>,
    /// ISO country code of the location.
    pub country: Option<String>,
    /// First-level area of the location: its Arabic name (`نينوى`), its English name as the
    /// exports write it without the marks (`Ninawa`), or its code as stored (`15`).
    pub admin1: Option<String>,
    /// Events located within this circle.
    pub near: Option<Near>,
    /// An actor or recipient (Arabic as written, or English), a substring.
    pub actor: Option<String>,
    /// Any of these words in the article (the search's matching: clitic- and
    /// spelling-insensitive; a quoted phrase is exact).
    pub keywords: Vec<String>,
    /// Only events that count (asserted, reported, claimed); true by default.
    pub counted: bool,
}

/// When a rule fires.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Condition {
    /// On every new matching event (stored after the rule was first seen), one alert each.
    Every,
    /// When at least `at_least` matching events are dated within the last `within` days.
    Count {
        /// The least count.
        at_least: u64,
        /// The window, in days (today included).
        within_days: u32,
    },
    /// When the matching events dated within the last `within` days killed at least `at_least`
    /// (tolls marked aggregate left out).
    Toll {
        /// The least toll.
        at_least: u64,
        /// The window, in days (today included).
        within_days: u32,
    },
    /// When this week's matching events are a spike against the `baseline` weeks before
    /// ([`marsad_store::indicators::spike_test`]).
    Spike(marsad_store::indicators::SpikeTest),
}

/// Where an alert goes.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Deliveries {
    /// A URL that gets a JSON POST per alert (retried).
    pub webhook: Option<String>,
    /// A file that gets a JSON line per alert (appended).
    pub jsonl: Option<PathBuf>,
    /// A JSON line per alert on standard output.
    pub stdout: bool,
}

/// One alert rule.
#[derive(Debug, Clone, PartialEq)]
pub struct Rule {
    /// Its name (unique in the file): alerts are kept under it.
    pub name: String,
    /// Which events it looks at.
    pub filter: Filter,
    /// When it fires.
    pub condition: Condition,
    /// Where its alerts go.
    pub deliver: Deliveries,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawSettings {
    every: Option<String>,
    timeout: Option<String>,
    retries: Option<u32>,
    backoff: Option<String>,
    politeness: Option<String>,
    user_agent: Option<String>,
    max_bytes: Option<u64>,
    webhook_tries: Option<u32>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSource {
    url: String,
    every: Option<String>,
    kind: Option<Kind>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRule {
    name: String,
    #[serde(rename = "type")]
    types: Option<OneOrMany>,
    mode: Option<String>,
    country: Option<String>,
    admin1: Option<String>,
    near: Option<Near>,
    actor: Option<String>,
    keywords: Option<Vec<String>>,
    counted: Option<bool>,
    when: Option<String>,
    at_least: Option<u64>,
    within: Option<String>,
    baseline: Option<usize>,
    k: Option<f64>,
    min_count: Option<u64>,
    webhook: Option<String>,
    jsonl: Option<PathBuf>,
    stdout: Option<bool>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    #[serde(default)]
    watch: RawSettings,
    #[serde(default)]
    source: Vec<RawSource>,
    #[serde(default)]
    rule: Vec<RawRule>,
}

/// Parses a duration: a whole number and a unit, `ms`, `s`, `m`, `h` or `d` (`15m`, `7d`).
pub fn parse_duration(s: &str) -> Result<Duration, String> {
    let t = s.trim();
    let split = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (num, unit) = t.split_at(split);
    let n: u64 = num
        .parse()
        .map_err(|_| format!("{s:?} is not a duration (a number and ms, s, m, h or d: 15m)"))?;
    let secs = match unit.trim() {
        "ms" => return Ok(Duration::from_millis(n)),
        "s" => 1,
        "m" => 60,
        "h" => 3600,
        "d" => 86_400,
        _ => {
            return Err(format!(
                "{s:?} is not a duration (a number and ms, s, m, h or d: 15m)"
            ))
        }
    };
    n.checked_mul(secs)
        .map(Duration::from_secs)
        .ok_or_else(|| format!("{s:?} is too long a duration"))
}

/// Whether `url` is an absolute http(s) address with a host.
pub fn is_http_url(url: &str) -> bool {
    let rest = url
        .strip_prefix("http://")
        .or_else(|| url.strip_prefix("https://"));
    rest.is_some_and(|r| {
        let host = r.split(['/', '?', '#']).next().unwrap_or("");
        !host.is_empty() && !host.contains(char::is_whitespace)
    }) && url.parse::<ureq::http::Uri>().is_ok()
}

impl Config {
    /// Reads and checks the file at `path`.
    pub fn read(path: &Path) -> Result<Config, WatchError> {
        let text = std::fs::read_to_string(path).map_err(|e| WatchError::Config {
            path: path.display().to_string(),
            message: format!("cannot read it: {e}"),
        })?;
        Config::parse(&text).map_err(|message| WatchError::Config {
            path: path.display().to_string(),
            message,
        })
    }

    /// Parses and checks a `watch.toml`; the message says what is wrong and where.
    pub fn parse(text: &str) -> Result<Config, String> {
        let raw: RawConfig = toml::from_str(text).map_err(|e| e.to_string().trim().to_string())?;
        let d = Settings::default();
        let dur = |what: &str, v: &Option<String>, default: Duration| -> Result<Duration, String> {
            match v {
                None => Ok(default),
                Some(s) => parse_duration(s).map_err(|e| format!("{what}: {e}")),
            }
        };
        let w = &raw.watch;
        let settings = Settings {
            every: dur("[watch] every", &w.every, d.every)?,
            timeout: dur("[watch] timeout", &w.timeout, d.timeout)?,
            retries: w.retries.unwrap_or(d.retries),
            backoff: dur("[watch] backoff", &w.backoff, d.backoff)?,
            politeness: dur("[watch] politeness", &w.politeness, d.politeness)?,
            user_agent: w.user_agent.clone().unwrap_or(d.user_agent),
            max_bytes: w.max_bytes.unwrap_or(d.max_bytes),
            webhook_tries: w.webhook_tries.unwrap_or(d.webhook_tries).max(1),
        };
        if settings.every.is_zero() {
            return Err("[watch] every: must be more than zero".into());
        }
        if settings.timeout.is_zero() {
            return Err("[watch] timeout: must be more than zero".into());
        }
        if settings.user_agent.trim().is_empty() {
            return Err("[watch] user_agent: must not be blank".into());
        }
        let mut sources = Vec::new();
        for (i, s) in raw.source.iter().enumerate() {
            let at = format!("source {} ({:?})", i + 1, s.url);
            if !is_http_url(&s.url) {
                return Err(format!("{at}: url must be an http:// or https:// address"));
            }
            if sources.iter().any(|o: &Source| o.url == s.url) {
                return Err(format!("{at}: listed twice"));
            }
            let every = dur(&format!("{at}: every"), &s.every, settings.every)?;
            if every.is_zero() {
                return Err(format!("{at}: every must be more than zero"));
            }
            sources.push(Source {
                url: s.url.clone(),
                every,
                kind: s.kind,
            });
        }
        let mut rules: Vec<Rule> = Vec::new();
        for (i, r) in raw.rule.iter().enumerate() {
            let at = format!("rule {} ({:?})", i + 1, r.name);
            rules.push(rule(r, &at)?);
            if r.name.trim().is_empty() {
                return Err(format!("rule {}: name must not be blank", i + 1));
            }
            if rules[..i].iter().any(|o| o.name == r.name) {
                return Err(format!("{at}: another rule has the same name"));
            }
        }
        Ok(Config {
            settings,
            sources,
            rules,
        })
    }
}

/// One rule checked.
fn rule(r: &RawRule, at: &str) -> Result<Rule, String> {
    let types = match &r.types {
        None => Vec::new(),
        Some(OneOrMany::One(t)) => vec![t.clone()],
        Some(OneOrMany::Many(ts)) => ts.clone(),
    };
    for t in &types {
        if Category::parse(t).is_none() {
            return Err(format!(
                "{at}: type {t:?} is not a PLOVER category (ASSAULT, COERCE, PROTEST, …)"
            ));
        }
    }
    if let Some(c) = &r.country {
        if c.len() != 2 || !c.chars().all(|c| c.is_ascii_uppercase()) {
            return Err(format!(
                "{at}: country {c:?} is not an ISO 3166-1 alpha-2 code (IQ, SY)"
            ));
        }
    }
    if let Some(n) = r.near {
        if !(-90.0..=90.0).contains(&n.lat) || !(-180.0..=180.0).contains(&n.lon) {
            return Err(format!("{at}: near: lat/lon out of range"));
        }
        if !(n.km > 0.0 && n.km.is_finite()) {
            return Err(format!("{at}: near: km must be more than zero"));
        }
    }
    let keywords: Vec<String> = r.keywords.clone().unwrap_or_default();
    if keywords.iter().any(|k| k.trim().is_empty()) {
        return Err(format!("{at}: keywords: a keyword is blank"));
    }
    let within_days = |default: Option<u32>| -> Result<u32, String> {
        match (&r.within, default) {
            (Some(s), _) => {
                let d = parse_duration(s).map_err(|e| format!("{at}: within: {e}"))?;
                let days = d.as_secs().div_ceil(86_400);
                if days == 0 || days > 3660 {
                    return Err(format!("{at}: within must be between 1d and 3660d"));
                }
                Ok(days as u32)
            }
            (None, Some(d)) => Ok(d),
            (None, None) => Err(format!("{at}: within is missing (e.g. within = \"7d\")")),
        }
    };
    let at_least = || -> Result<u64, String> {
        match r.at_least {
            Some(n) if n >= 1 => Ok(n),
            Some(_) => Err(format!("{at}: at_least must be at least 1")),
            None => Err(format!("{at}: at_least is missing")),
        }
    };
    let when = r.when.as_deref().unwrap_or("every");
    let spike_only = r.baseline.is_some() || r.k.is_some() || r.min_count.is_some();
    if spike_only && when != "spike" {
        return Err(format!(
            "{at}: baseline, k and min_count are for when = \"spike\""
        ));
    }
    let condition = match when {
        "every" => {
            if r.at_least.is_some() || r.within.is_some() {
                return Err(format!(
                    "{at}: at_least and within are for when = \"count\" or \"toll\""
                ));
            }
            Condition::Every
        }
        "count" => Condition::Count {
            at_least: at_least()?,
            within_days: within_days(None)?,
        },
        "toll" => Condition::Toll {
            at_least: at_least()?,
            within_days: within_days(None)?,
        },
        "spike" => {
            if r.at_least.is_some() || r.within.is_some() {
                return Err(format!(
                    "{at}: a spike rule compares weeks: use baseline, k and min_count, not at_least or within"
                ));
            }
            let d = marsad_store::indicators::SpikeTest::default();
            let t = marsad_store::indicators::SpikeTest {
                baseline: r.baseline.unwrap_or(d.baseline),
                k: r.k.unwrap_or(d.k),
                min_count: r.min_count.unwrap_or(d.min_count),
            };
            if t.baseline < 2 || t.baseline > 520 {
                return Err(format!("{at}: baseline must be between 2 and 520 weeks"));
            }
            if !(t.k >= 0.0 && t.k.is_finite()) {
                return Err(format!("{at}: k must be zero or more"));
            }
            Condition::Spike(t)
        }
        other => {
            return Err(format!(
                "{at}: when = {other:?} is not one of \"every\", \"count\", \"toll\", \"spike\""
            ))
        }
    };
    if let Some(w) = &r.webhook {
        if !is_http_url(w) {
            return Err(format!(
                "{at}: webhook must be an http:// or https:// address"
            ));
        }
    }
    let mut deliver = Deliveries {
        webhook: r.webhook.clone(),
        jsonl: r.jsonl.clone(),
        stdout: r.stdout.unwrap_or(false),
    };
    if deliver.webhook.is_none() && deliver.jsonl.is_none() && r.stdout.is_none() {
        deliver.stdout = true;
    }
    Ok(Rule {
        name: r.name.clone(),
        filter: Filter {
            types,
            mode: r.mode.clone(),
            country: r.country.clone(),
            admin1: r.admin1.clone(),
            near: r.near,
            actor: r.actor.clone(),
            keywords,
            counted: r.counted.unwrap_or(true),
        },
        condition,
        deliver,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"
[watch]
every = "10m"
politeness = "500ms"

[[source]]
url = "https://example.org/rss.xml"

[[source]]
url = "http://127.0.0.1:8000/page.html"
every = "1h"
kind = "page"

[[rule]]
name = "defections"
type = ["SANCTION", "RETREAT"]
mode = "defect"
admin1 = "نينوى"
when = "count"
at_least = 3
within = "7d"
jsonl = "alerts.jsonl"

[[rule]]
name = "near-mosul"
near = { lat = 36.34, lon = 43.13, km = 50 }
keywords = ["مفخخة", "انتحاري"]
webhook = "http://127.0.0.1:9000/hook"

[[rule]]
name = "spikes"
type = "ASSAULT"
when = "spike"
k = 3.0
"#;

    #[test]
    fn a_full_file_is_read() {
        let c = Config::parse(GOOD).unwrap();
        assert_eq!(c.settings.every, Duration::from_secs(600));
        assert_eq!(c.settings.politeness, Duration::from_millis(500));
        assert_eq!(c.sources.len(), 2);
        assert_eq!(c.sources[0].every, Duration::from_secs(600));
        assert_eq!(c.sources[1].kind, Some(Kind::Page));
        let r = &c.rules[0];
        assert_eq!(r.filter.types, ["SANCTION", "RETREAT"]);
        assert!(r.filter.counted);
        assert_eq!(
            r.condition,
            Condition::Count {
                at_least: 3,
                within_days: 7
            }
        );
        assert_eq!(r.deliver.jsonl.as_deref(), Some(Path::new("alerts.jsonl")));
        assert!(!r.deliver.stdout);
        assert_eq!(c.rules[1].condition, Condition::Every);
        assert_eq!(c.rules[1].filter.near.unwrap().km, 50.0);
        match c.rules[2].condition {
            Condition::Spike(t) => assert_eq!((t.baseline, t.k, t.min_count), (8, 3.0, 3)),
            other => panic!("{other:?}"),
        }
        // no delivery named: standard output
        assert!(c.rules[2].deliver.stdout);
    }

    /// Each bad file, and words its error must contain.
    const BAD: &[(&str, &str)] = &[
        (
            "[[source]]\nurl = \"ftp://x/y\"",
            "source 1 (\"ftp://x/y\"): url must be an http",
        ),
        (
            "[[source]]\nurl = \"http://a/\"\n[[source]]\nurl = \"http://a/\"",
            "listed twice",
        ),
        (
            "[[source]]\nurl = \"http://a/\"\nevery = \"5 minutes\"",
            "is not a duration",
        ),
        (
            "[[source]]\nurl = \"http://a/\"\nevry = \"5m\"",
            "unknown field `evry`",
        ),
        (
            "[[rule]]\nname = \"x\"\ntype = \"BOMB\"",
            "type \"BOMB\" is not a PLOVER category",
        ),
        (
            "[[rule]]\nname = \"x\"\ncountry = \"Iraq\"",
            "not an ISO 3166-1 alpha-2",
        ),
        (
            "[[rule]]\nname = \"x\"\nwhen = \"count\"\nwithin = \"7d\"",
            "at_least is missing",
        ),
        (
            "[[rule]]\nname = \"x\"\nwhen = \"toll\"\nat_least = 5",
            "within is missing",
        ),
        (
            "[[rule]]\nname = \"x\"\nwhen = \"often\"",
            "when = \"often\" is not one of",
        ),
        (
            "[[rule]]\nname = \"x\"\nat_least = 2",
            "are for when = \"count\"",
        ),
        (
            "[[rule]]\nname = \"x\"\nk = 2.0",
            "are for when = \"spike\"",
        ),
        (
            "[[rule]]\nname = \"x\"\nnear = { lat = 36.0, lon = 43.0, km = 0 }",
            "km must be more than zero",
        ),
        (
            "[[rule]]\nname = \"x\"\n[[rule]]\nname = \"x\"",
            "rule 2 (\"x\"): another rule has the same name",
        ),
        ("[[rule]]\nname = \"\"", "name must not be blank"),
        (
            "[[rule]]\nname = \"x\"\nwebhook = \"localhost:9000\"",
            "webhook must be an http",
        ),
        ("[watch]\nevery = \"0s\"", "every: must be more than zero"),
        ("[[source]\nurl = 1", "TOML parse error"),
    ];

    #[test]
    fn bad_files_say_what_is_wrong() {
        for (text, want) in BAD {
            let e = Config::parse(text).unwrap_err();
            assert!(e.contains(want), "{text:?}: {e}");
        }
    }

    #[test]
    fn durations() {
        assert_eq!(parse_duration("15m"), Ok(Duration::from_secs(900)));
        assert_eq!(parse_duration("7d"), Ok(Duration::from_secs(7 * 86_400)));
        assert_eq!(parse_duration("250ms"), Ok(Duration::from_millis(250)));
        for bad in ["", "m", "15", "1.5h", "-1s", "99999999999999999999d"] {
            assert!(parse_duration(bad).is_err(), "{bad}");
        }
    }
}

#[cfg(test)]
mod example_tests {
    /// The example in `examples/watch.toml` stays valid.
    #[test]
    fn the_bundled_example_is_valid() {
        let path =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/watch.toml");
        let c = super::Config::read(&path).unwrap();
        assert_eq!((c.sources.len(), c.rules.len()), (2, 4));
    }
}
