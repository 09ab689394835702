//! Query parameters shared by the API and the pages: event filters, scope, pagination.

use crate::problem::Problem;
use crate::vocab;
use marsad_store::{EventFilter, Interval, Scope};
use std::collections::BTreeMap;

/// Largest page of events the API returns.
pub const MAX_LIMIT: usize = 500;
/// Default page size.
pub const DEFAULT_LIMIT: usize = 50;
/// Largest offset accepted (deeper pages: narrow the filter).
pub const MAX_OFFSET: usize = 1_000_000;

/// Raw query parameters (last value wins).
pub type Query = BTreeMap<String, String>;

/// Parses a raw query string (`a=1&b=x%20y`) into parameters; empty values are dropped.
pub fn parse_query(raw: Option<&str>) -> Query {
    let mut q = Query::new();
    for pair in raw.unwrap_or("").split('&') {
        if pair.is_empty() {
            continue;
        }
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        let (k, v) = (decode(k), decode(v));
        let v = v.trim().to_string();
        if !v.is_empty() {
            q.insert(k, v);
        }
    }
    q
}

/// Decodes `application/x-www-form-urlencoded` text (`+` is a space); bad escapes stay as they are.
pub fn decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < b.len() => {
                let hex = |c: u8| (c as char).to_digit(16);
                match (hex(b[i + 1]), hex(b[i + 2])) {
                    (Some(h), Some(l)) => {
                        out.push((h * 16 + l) as u8);
                        i += 2;
                    }
                    _ => out.push(b'%'),
                }
            }
            c => out.push(c),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Percent-encodes a path segment or query value (everything but unreserved characters).
pub fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 3);
    for &b in s.as_bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The names of the filter parameters, in the order links repeat them.
pub const FILTER_KEYS: &[&str] = &[
    "type",
    "mode",
    "country",
    "admin1",
    "actor",
    "from",
    "to",
    "q",
    "bbox",
    "all",
    "modality",
    "precision",
    "updated_since",
    "min_confidence",
];

/// Event filters, scope and page from query parameters.
#[derive(Debug, Clone)]
pub struct Params {
    /// The store filter (limit and offset included).
    pub filter: EventFilter,
    /// Place or entity scope.
    pub scope: Scope,
    /// The filter parameters as given, for links that keep them.
    pub kept: Query,
    /// Timeline bucket width, when asked for.
    pub interval: Option<Interval>,
}

fn bool_param(v: &str) -> Result<bool, Problem> {
    match v {
        "1" | "true" | "on" | "yes" => Ok(true),
        "0" | "false" | "off" | "no" => Ok(false),
        _ => Err(Problem::bad_request(format!("{v:?} is not a boolean"))),
    }
}

/// Parses `minlon,minlat,maxlon,maxlat`.
pub fn parse_bbox(v: &str) -> Result<(f64, f64, f64, f64), Problem> {
    let bad = || {
        Problem::bad_request(format!(
            "bbox {v:?} must be minlon,minlat,maxlon,maxlat in degrees, min < max"
        ))
    };
    let n: Vec<f64> = v
        .split(',')
        .map(|x| x.trim().parse::<f64>())
        .collect::<Result<_, _>>()
        .map_err(|_| bad())?;
    let [x0, y0, x1, y1] = n[..] else {
        return Err(bad());
    };
    let lon = -180.0..=180.0;
    let lat = -90.0..=90.0;
    if !(lon.contains(&x0) && lon.contains(&x1) && lat.contains(&y0) && lat.contains(&y1))
        || x0 >= x1
        || y0 >= y1
    {
        return Err(bad());
    }
    Ok((x0, y0, x1, y1))
}

/// Parses a strict ISO date (`2020-01-31`, midnight UTC) or an RFC 3339 timestamp
/// (`2020-01-31T12:00:00Z`, `2020-01-31T15:00:00+03:00`) into the stored form of
/// `updated_at`: UTC with milliseconds (`2020-01-31T12:00:00.000Z`).
pub fn parse_instant(param: &str, v: &str) -> Result<String, String> {
    let utc = if marsad_store::is_iso_date(v) {
        chrono::NaiveDate::parse_from_str(v, "%Y-%m-%d")
            .ok()
            .and_then(|d| d.and_hms_opt(0, 0, 0))
            .map(|t| t.and_utc())
    } else {
        chrono::DateTime::parse_from_rfc3339(v)
            .ok()
            .map(|t| t.with_timezone(&chrono::Utc))
    };
    utc.map(|t| t.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string())
        .ok_or_else(|| {
            format!(
                "{param} {v:?} is neither a YYYY-MM-DD date nor an RFC 3339 timestamp (2020-01-31T12:00:00Z)"
            )
        })
}

/// Parses a non-negative integer parameter with a maximum.
pub fn uint(q: &Query, key: &str, default: usize, max: usize) -> Result<usize, Problem> {
    match q.get(key) {
        None => Ok(default),
        Some(v) => match v.parse::<usize>() {
            Ok(n) if n <= max => Ok(n),
            Ok(_) => Err(Problem::bad_request(format!("{key} must be at most {max}"))),
            Err(_) => Err(Problem::bad_request(format!(
                "{key} {v:?} is not a non-negative integer"
            ))),
        },
    }
}

impl Params {
    /// Reads filters, scope (`place`, `entity`), `limit` (up to `max_limit`), `offset`, `interval`.
    pub fn from_query(q: &Query, default_limit: usize, max_limit: usize) -> Result<Self, Problem> {
        let get = |k: &str| q.get(k).cloned();
        let all = q
            .get("all")
            .map(|v| bool_param(v))
            .transpose()?
            .unwrap_or(false);
        let limit = uint(q, "limit", default_limit, max_limit)?;
        let offset = uint(q, "offset", 0, MAX_OFFSET)?;
        let checked = |k: &str, check: fn(&str, &str) -> Result<String, String>| {
            q.get(k)
                .map(|v| check(k, v).map_err(Problem::bad_request))
                .transpose()
        };
        let modality = checked("modality", |k, v| {
            vocab::check_modality(k, v).map(|m| m.as_str().to_string())
        })?;
        let mut filter = EventFilter {
            event_type: checked("type", |k, v| {
                vocab::check_type(k, v).map(|c| c.name().to_string())
            })?,
            mode: checked("mode", vocab::check_mode)?,
            country: checked("country", vocab::check_country)?,
            admin1: get("admin1"),
            actor: get("actor"),
            from: get("from"),
            to: get("to"),
            query: get("q"),
            bbox: None,
            // a modality asked for is shown whether it counts or not
            factual_only: !all && modality.is_none(),
            modality,
            precision: checked("precision", |k, v| {
                vocab::check_precision(k, v).map(|p| p.as_str().to_string())
            })?,
            updated_since: checked("updated_since", parse_instant)?,
            min_confidence: get("min_confidence")
                .map(|v| parse_confidence(&v))
                .transpose()
                .map_err(Problem::bad_request)?,
            limit,
            offset,
        };
        filter.check_dates().map_err(Problem::bad_request)?;
        if limit == 0 {
            return Err(Problem::bad_request("limit must be at least 1"));
        }
        if let Some(b) = q.get("bbox") {
            filter.bbox = Some(parse_bbox(b)?);
        }
        let scope = match (q.get("place"), q.get("entity")) {
            (Some(_), Some(_)) => {
                return Err(Problem::bad_request("give place or entity, not both"))
            }
            (Some(p), None) => Scope::Place(p.clone()),
            (None, Some(e)) => Scope::Entity(e.clone()),
            (None, None) => Scope::All,
        };
        let interval = match q.get("interval") {
            None => None,
            Some(v) => Some(Interval::parse(v).ok_or_else(|| {
                Problem::bad_request(format!("interval {v:?} must be day, week, month or year"))
            })?),
        };
        let kept = q
            .iter()
            .filter(|(k, _)| FILTER_KEYS.contains(&k.as_str()))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        Ok(Params {
            filter,
            scope,
            kept,
            interval,
        })
    }

    /// A cache key for aggregates under these filters and scope (not the page).
    pub fn key(&self, what: &str) -> String {
        let mut k = format!("{what}|{:?}|", self.scope);
        k.push_str(&query_string(&self.kept, &[]));
        k
    }

    /// A cache key for one page under these filters and scope: the aggregate key plus limit and offset.
    pub fn page_key(&self, what: &str) -> String {
        format!(
            "{}|limit={}|offset={}",
            self.key(what),
            self.filter.limit,
            self.filter.offset
        )
    }
}

/// `k=v&…` of the parameters (encoded), with some replaced or removed (`None`).
pub fn query_string(q: &Query, changes: &[(&str, Option<&str>)]) -> String {
    let mut m = q.clone();
    for (k, v) in changes {
        match v {
            Some(v) => {
                m.insert(k.to_string(), v.to_string());
            }
            None => {
                m.remove(*k);
            }
        }
    }
    m.iter()
        .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// A confidence floor between 0 and 1, or why not.
fn parse_confidence(v: &str) -> Result<f64, String> {
    match v.trim().parse::<f64>() {
        Ok(c) if (0.0..=1.0).contains(&c) => Ok(c),
        _ => Err(format!(
            "min_confidence={v}: not a confidence between 0 and 1"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `limit=1&offset=1000000` and `limit=2` once shared a cache entry (`limit*1_000_000+offset`).
    #[test]
    fn page_keys_differ_for_every_limit_and_offset() {
        let key = |raw: &str| {
            Params::from_query(&parse_query(Some(raw)), 10, MAX_LIMIT)
                .unwrap()
                .page_key("entities")
        };
        assert_ne!(key("limit=1&offset=1000000"), key("limit=2"));
        assert_ne!(key("limit=1&offset=0"), key("limit=2&offset=0"));
        assert_eq!(key("limit=2&offset=0"), key("offset=0&limit=2"));
        assert_ne!(key("limit=2&type=assault"), key("limit=2"));
    }

    #[test]
    fn query_strings_decode_and_encode() {
        let q = parse_query(Some(
            "q=%D8%BA%D8%A7%D8%B1%D8%A9&type=assault&x=&bad=%zz&p=a+b",
        ));
        assert_eq!(q["q"], "غارة");
        assert_eq!(q["bad"], "%zz");
        assert_eq!(q["p"], "a b");
        assert!(!q.contains_key("x"));
        assert_eq!(encode("غ a/b"), "%D8%BA%20a%2Fb");
        assert_eq!(decode(&encode("<script>&\"'")), "<script>&\"'");
        assert_eq!(decode("%"), "%");
        assert_eq!(decode("%4"), "%4");
    }

    #[test]
    fn bbox_is_checked() {
        assert_eq!(parse_bbox("35,29,49,38").unwrap(), (35.0, 29.0, 49.0, 38.0));
        for bad in [
            "35,29,49",
            "49,29,35,38",
            "a,b,c,d",
            "0,0,200,10",
            "NaN,0,1,1",
        ] {
            assert!(parse_bbox(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn params_validate_dates_limits_and_scope() {
        let p = |s: &str| Params::from_query(&parse_query(Some(s)), 50, 500);
        let ok = p("type=ASSAULT&from=2018-01-01&limit=10&offset=20&place=g1").unwrap();
        assert_eq!((ok.filter.limit, ok.filter.offset), (10, 20));
        assert_eq!(ok.scope, Scope::Place("g1".into()));
        assert!(ok.filter.factual_only);
        assert!(!p("all=1").unwrap().filter.factual_only);
        let m = p("modality=Future&precision=ADMIN1&type=assault&country=iq").unwrap();
        assert!(!m.filter.factual_only);
        assert_eq!(m.filter.modality.as_deref(), Some("future"));
        assert_eq!(m.filter.precision.as_deref(), Some("admin1"));
        assert_eq!(m.filter.event_type.as_deref(), Some("ASSAULT"));
        assert_eq!(m.filter.country.as_deref(), Some("IQ"));
        assert_eq!(
            p("min_confidence=0.6").unwrap().filter.min_confidence,
            Some(0.6)
        );
        let t = |v: &str| parse_instant("updated_since", v);
        assert_eq!(t("2020-01-31").unwrap(), "2020-01-31T00:00:00.000Z");
        assert_eq!(
            t("2020-01-31T15:00:00+03:00").unwrap(),
            "2020-01-31T12:00:00.000Z"
        );
        assert_eq!(
            t("2020-01-31T12:00:00.5Z").unwrap(),
            "2020-01-31T12:00:00.500Z"
        );
        for bad in [
            "from=yesterday",
            "limit=501",
            "limit=0",
            "offset=-1",
            "place=a&entity=b",
            "interval=hour",
            "all=maybe",
            "type=FOO",
            "country=syria",
            "mode=picnic",
            "modality=maybe",
            "precision=town",
            "updated_since=2020-1-1",
            "updated_since=yesterday",
            "min_confidence=2",
            "min_confidence=sure",
        ] {
            let e = p(bad).unwrap_err();
            assert_eq!(e.status, 400, "{bad}");
        }
    }
}
