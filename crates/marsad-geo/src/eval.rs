//! Scoring the geocoder against gold JSONL: one document per line,
//! `{"id", "text", "places": [{"text", "country", "geonameid"} | {"text", "country", "lat", "lon",
//! "tolerance_km"}]}`.
//!
//! A gold place is *found* when a predicted place overlaps the gold text's span (its n-th
//! occurrence for the n-th gold place with that text), *resolved* when the prediction has the gold
//! geonameid or lies within `tolerance_km` (default 25) of the gold coordinates, *right country*
//! when the countries agree, and *within 161 km* when the prediction lies within 161 km of the gold
//! coordinates (from the gazetteer for id-only gold).

use crate::{distance_km, Gazetteer, Place};
use serde::Deserialize;

/// One gold document.
#[derive(Debug, Clone, Deserialize)]
pub struct GoldDoc {
    /// Document id.
    #[serde(default)]
    pub id: serde_json::Value,
    /// The text.
    pub text: String,
    /// Its places.
    #[serde(default)]
    pub places: Vec<GoldPlace>,
}

/// One gold place.
#[derive(Debug, Clone, Deserialize)]
pub struct GoldPlace {
    /// The mention as written (a substring of the text).
    pub text: String,
    /// ISO2 country.
    #[serde(default)]
    pub country: String,
    /// GeoNames id.
    #[serde(default)]
    pub geonameid: Option<u64>,
    /// Latitude.
    #[serde(default)]
    pub lat: Option<f64>,
    /// Longitude.
    #[serde(default)]
    pub lon: Option<f64>,
    /// Tolerance for coordinate gold, in km.
    #[serde(default)]
    pub tolerance_km: Option<f64>,
}

/// Counts over a gold set.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Scores {
    /// Documents.
    pub docs: usize,
    /// Gold places.
    pub gold: usize,
    /// Predicted places.
    pub predicted: usize,
    /// Gold places with an overlapping prediction.
    pub found: usize,
    /// … resolved to the right entry or within tolerance.
    pub resolved: usize,
    /// … with the right country.
    pub country: usize,
    /// … within 161 km.
    pub within_161: usize,
    /// Predictions that overlap no gold place.
    pub spurious: usize,
}

impl Scores {
    /// `n / gold` as a fraction.
    pub fn rate(&self, n: usize) -> f64 {
        if self.gold == 0 {
            0.0
        } else {
            n as f64 / self.gold as f64
        }
    }

    /// Fraction of predictions that overlap a gold place.
    pub fn precision(&self) -> f64 {
        if self.predicted == 0 {
            0.0
        } else {
            (self.predicted - self.spurious) as f64 / self.predicted as f64
        }
    }
}

/// A gold place that was not resolved, or a spurious prediction, for error analysis.
#[derive(Debug, Clone)]
pub struct Miss {
    /// Document id.
    pub doc: String,
    /// The gold text (or the spurious prediction's text).
    pub text: String,
    /// What was wrong.
    pub what: String,
}

/// Parses gold JSONL text.
pub fn parse_gold(text: &str) -> Result<Vec<GoldDoc>, crate::GeoError> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| {
            serde_json::from_str(l)
                .map_err(|e| crate::GeoError::Data(format!("gold line {}: {e}", i + 1)))
        })
        .collect()
}

fn gold_span(text: &str, needle: &str, nth: usize) -> Option<(usize, usize)> {
    let mut from = 0;
    let mut seen = 0;
    while let Some(i) = text[from..].find(needle) {
        let s = from + i;
        if seen == nth {
            return Some((s, s + needle.len()));
        }
        seen += 1;
        from = s + needle.len();
    }
    None
}

/// Scores one document's predictions against its gold places.
pub fn score_doc(
    gaz: &Gazetteer,
    doc: &GoldDoc,
    pred: &[Place],
    s: &mut Scores,
    misses: &mut Vec<Miss>,
) {
    let id = match &doc.id {
        serde_json::Value::String(s) => s.clone(),
        v => v.to_string(),
    };
    s.docs += 1;
    s.predicted += pred.len();
    let mut used = vec![false; pred.len()];
    for (gi, g) in doc.places.iter().enumerate() {
        s.gold += 1;
        let nth = doc.places[..gi].iter().filter(|o| o.text == g.text).count();
        let span = gold_span(&doc.text, &g.text, nth).or_else(|| gold_span(&doc.text, &g.text, 0));
        let hit = span.and_then(|(a, b)| {
            (0..pred.len()).find(|&k| !used[k] && pred[k].start < b && a < pred[k].end)
        });
        let Some(k) = hit else {
            misses.push(Miss {
                doc: id.clone(),
                text: g.text.clone(),
                what: "not found".into(),
            });
            continue;
        };
        used[k] = true;
        let p = &pred[k];
        s.found += 1;
        let gold_coords = match (g.lat, g.lon) {
            (Some(a), Some(b)) => Some((a, b)),
            _ => g
                .geonameid
                .and_then(|id| gaz.by_geonameid(id))
                .map(|e| (f64::from(e.lat), f64::from(e.lon))),
        };
        let d = gold_coords.map(|(a, b)| distance_km(a, b, p.lat, p.lon));
        let resolved = match g.geonameid {
            Some(id) => p.geonameid == Some(id),
            None => d.is_some_and(|d| d <= g.tolerance_km.unwrap_or(25.0)),
        };
        if resolved {
            s.resolved += 1;
        }
        if !g.country.is_empty() && p.country.eq_ignore_ascii_case(&g.country) {
            s.country += 1;
        }
        if resolved || d.is_some_and(|d| d <= 161.0) {
            s.within_161 += 1;
        }
        if !resolved {
            misses.push(Miss {
                doc: id.clone(),
                text: g.text.clone(),
                what: format!(
                    "got {} {} {:?} ({}), want {} {:?}{}",
                    p.name_en,
                    p.country,
                    p.geonameid,
                    p.text,
                    g.country,
                    g.geonameid,
                    d.map(|d| format!(", {d:.0} km off")).unwrap_or_default()
                ),
            });
        }
    }
    for (k, p) in pred.iter().enumerate() {
        if !used[k] {
            s.spurious += 1;
            misses.push(Miss {
                doc: id.clone(),
                text: p.text.clone(),
                what: format!("spurious: {} {} {:?}", p.name_en, p.country, p.geonameid),
            });
        }
    }
}

/// Runs the geocoder (text layer + places, no entity hints) over gold documents and scores it.
pub fn evaluate(gaz: &Gazetteer, docs: &[GoldDoc]) -> (Scores, Vec<Miss>) {
    let mut s = Scores::default();
    let mut misses = Vec::new();
    for d in docs {
        let a = marsad_text::analyze(&d.text);
        let pred = gaz.places(&d.text, &a, &[]);
        score_doc(gaz, d, &pred, &mut s, &mut misses);
    }
    (s, misses)
}
