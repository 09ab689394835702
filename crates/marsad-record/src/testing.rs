//! For the tests of the crates that read, store and show records (feature `testing`): an event
//! from the JSON fields a test cares about, the required ones filled in; and [`skip`], how a test
//! that cannot run here says so.

use crate::Event;
use serde_json::{json, Value};
use std::io::Write;

/// Says that `test` is skipped and why: on standard error, and as a line of the file named by
/// `$MARSAD_SKIPPED` when it is set (`.ci/run` prints that file as its summary).
pub fn skip(test: &str, why: &str) {
    eprintln!("skipped: {test}: {why}");
    if let Some(path) = std::env::var_os("MARSAD_SKIPPED") {
        let file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path);
        if let Ok(mut f) = file {
            let _ = writeln!(f, "{test}: {why}");
        }
    }
}

/// Fills the keys of `defaults` that `v` lacks.
fn fill(v: &mut Value, defaults: Value) {
    if let (Some(o), Value::Object(d)) = (v.as_object_mut(), defaults) {
        for (k, x) in d {
            o.entry(k).or_insert(x);
        }
    }
}

/// An event from partial JSON: `doc_id`, `modality` (asserted), `confidence` (1), an empty
/// `trigger` and `evidence`, and the spans, names and precision of participants and places are
/// filled in where absent. Panics on JSON that is no event (a test's mistake).
pub fn event(mut v: Value) -> Event {
    let span = json!({"start": 0, "end": 0});
    fill(
        &mut v,
        json!({"doc_id": "", "modality": "asserted", "confidence": 1.0,
               "trigger": {"text": "", "span": span},
               "evidence": {"span": span, "sentence": span}}),
    );
    for role in ["actors", "recipients"] {
        let list = v.get_mut(role).and_then(Value::as_array_mut);
        for p in list.into_iter().flatten() {
            fill(p, json!({"text": "", "span": span}));
        }
    }
    for place in ["location", "destination"] {
        if let Some(l) = v.get_mut(place).filter(|l| l.is_object()) {
            fill(
                l,
                json!({"text": "", "span": span, "name_en": "", "name_ar": "", "country": "",
                       "lat": 0.0, "lon": 0.0, "precision": "exact"}),
            );
        }
    }
    serde_json::from_value(v).unwrap_or_else(|e| panic!("not an event record: {e}"))
}

#[cfg(test)]
mod tests {
    #[test]
    fn partial_json_becomes_an_event() {
        let e = super::event(serde_json::json!({"id": "e1", "event_type": "ASSAULT",
            "location": {"geonameid": 99072, "country": "IQ"}, "actors": [{"text": "الجيش"}]}));
        assert_eq!(e.location.unwrap().key(), "g99072");
        assert_eq!(e.actors[0].text, "الجيش");
    }
}
