//! The OpenAPI document served at `/api/v1/openapi.json`: the hand-written paths of
//! `assets/openapi.json`, completed here with what the code knows, so that the two cannot drift:
//! the event record's schemas with their enums and required fields (from `marsad-record`'s
//! value lists), and the enum filter parameters (`type`, `mode`, `country`, `modality`,
//! `precision`) with the values [`crate::vocab`] accepts.

use crate::vocab;
use marsad_record::{Bound, DateBasis, DatePrecision};
use serde_json::{json, Map, Value};
use std::sync::OnceLock;

/// The hand-written part of the document (paths, responses, the non-record schemas).
pub const TEMPLATE: &str = include_str!("../assets/openapi.json");

/// The whole document.
pub fn document() -> &'static Value {
    static DOC: OnceLock<Value> = OnceLock::new();
    DOC.get_or_init(|| {
        let mut doc: Value = serde_json::from_str(TEMPLATE).unwrap_or_else(|_| json!({}));
        complete(&mut doc);
        doc
    })
}

/// The whole document as JSON text.
pub fn text() -> &'static str {
    static TEXT: OnceLock<String> = OnceLock::new();
    TEXT.get_or_init(|| document().to_string())
}

fn string_enum(values: &[&str]) -> Value {
    json!({"type": "string", "enum": values})
}

fn span_ref() -> Value {
    json!({"$ref": "#/components/schemas/Span"})
}

fn strings() -> Value {
    json!({"type": "array", "items": {"type": "string"}})
}

/// The schemas of the event record, as `marsad-record` serializes it.
pub fn record_schemas() -> Map<String, Value> {
    let s = |r: &str| json!({"$ref": format!("#/components/schemas/{r}")});
    let dates: Vec<&str> = DatePrecision::ALL.iter().map(|d| d.as_str()).collect();
    let bounds: Vec<&str> = Bound::ALL.iter().map(|b| b.as_str()).collect();
    let count = s("Count");
    let mut m = Map::new();
    m.insert(
        "Span".into(),
        json!({"type": "object", "description": "byte offsets [start, end) into the document text",
            "required": ["start", "end"],
            "properties": {"start": {"type": "integer", "minimum": 0}, "end": {"type": "integer", "minimum": 0}}}),
    );
    m.insert(
        "Participant".into(),
        json!({"type": "object", "required": ["text", "span"], "properties": {
            "text": {"type": "string", "description": "the words that name it"},
            "span": span_ref(),
            "entity_id": {"type": "string"},
            "name_en": {"type": "string"},
            "country": {"type": "string", "description": "ISO 3166-1 alpha-2"},
            "role": {"type": "string", "description": "sector: military, police, government, rebels, militia, civilians, leaders, protesters…"}}}),
    );
    m.insert(
        "Location".into(),
        json!({"type": "object",
            "required": ["text", "span", "name_en", "name_ar", "country", "lat", "lon", "precision"],
            "properties": {
                "text": {"type": "string", "description": "the place as written"},
                "span": span_ref(),
                "geonameid": {"type": "integer"},
                "name_en": {"type": "string"},
                "name_ar": {"type": "string"},
                "country": {"type": "string", "description": "ISO 3166-1 alpha-2"},
                "admin1": {"type": "string", "description": "first-level administrative area"},
                "lat": {"type": "number"},
                "lon": {"type": "number"},
                "precision": string_enum(&vocab::precisions())}}),
    );
    m.insert(
        "EventDate".into(),
        json!({"type": "object", "required": ["value", "precision", "basis"], "properties": {
            "value": {"type": "string", "format": "date", "description": "for coarser precisions, the first day of the period"},
            "precision": string_enum(&dates),
            "basis": {"type": "string", "enum": DateBasis::ALL.iter().map(|b| b.as_str()).collect::<Vec<_>>(),
                      "description": "text: words of the article date the event; publication: it gives none, and the event lies on or before the article's date"},
            "text": {"type": "string"},
            "span": span_ref()}}),
    );
    m.insert(
        "Count".into(),
        json!({"type": "object", "required": ["value", "approximate", "bound"], "properties": {
            "value": {"type": "integer", "minimum": 0},
            "approximate": {"type": "boolean"},
            "bound": string_enum(&bounds)}}),
    );
    m.insert(
        "Counts".into(),
        json!({"type": "object", "properties": {
            "killed": count, "injured": count, "arrested": count, "abducted": count,
            "participants": count}}),
    );
    m.insert(
        "Money".into(),
        json!({"type": "object", "required": ["amount", "currency", "bound"], "properties": {
            "amount": {"type": "number"},
            "currency": {"type": "string", "description": "ISO 4217"},
            "per": {"type": "string"},
            "bound": string_enum(&bounds)}}),
    );
    m.insert(
        "Attribution".into(),
        json!({"type": "object", "required": ["text", "span", "kind"], "properties": {
            "text": {"type": "string"},
            "span": span_ref(),
            "kind": {"type": "string", "description": "media, officials, witnesses, residents, activists, party or unnamed_sources"}}}),
    );
    m.insert(
        "Trigger".into(),
        json!({"type": "object", "required": ["text", "span"], "properties": {
            "text": {"type": "string"}, "span": span_ref()}}),
    );
    m.insert(
        "Evidence".into(),
        json!({"type": "object", "required": ["span", "sentence"], "properties": {
            "span": span_ref(), "sentence": span_ref()}}),
    );
    m.insert(
        "EventMention".into(),
        json!({"type": "object", "required": ["trigger", "evidence"], "properties": {
            "trigger": s("Trigger"), "evidence": s("Evidence")}}),
    );
    m.insert(
        "Acled".into(),
        json!({"type": "object", "required": ["event_type", "sub_event_type"], "properties": {
            "event_type": {"type": "string"}, "sub_event_type": {"type": "string"}}}),
    );
    m.insert(
        "Event".into(),
        json!({"type": "object",
            "description": "the event record of docs/event-record.md, plus mentions; absent optional fields are unknown",
            "required": ["id", "doc_id", "event_type", "mode", "context", "modality", "actors",
                         "recipients", "trigger", "evidence", "confidence"],
            "properties": {
                "id": {"type": "string"},
                "doc_id": {"type": "string"},
                "event_type": string_enum(&vocab::categories()),
                "mode": strings(),
                "context": strings(),
                "modality": string_enum(&vocab::modalities()),
                "actors": {"type": "array", "items": s("Participant")},
                "recipients": {"type": "array", "items": s("Participant")},
                "location": s("Location"),
                "destination": s("Location"),
                "date": s("EventDate"),
                "counts": s("Counts"),
                "money": s("Money"),
                "attribution": s("Attribution"),
                "trigger": s("Trigger"),
                "evidence": s("Evidence"),
                "confidence": {"type": "number", "minimum": 0, "maximum": 1},
                "cameo": {"type": "string", "description": "CAMEO code (crosswalk), a string: \"042\""},
                "acled": s("Acled"),
                "extra": {"type": "object", "properties": {
                    "mentions": {"type": "array", "items": s("Trigger")}}},
                "mentions": {"description": "in the API and exports, the number of articles that report the event; a record with further mentions in its own article (a headline, a restatement) also writes them under this key, as a list, after the number",
                    "oneOf": [{"type": "integer"}, {"type": "array", "items": s("EventMention")}]}}}),
    );
    m
}

/// The enum filter parameters every filtered route takes, with the values accepted.
fn filter_params() -> Vec<Value> {
    let codes: Vec<&str> = vocab::countries().iter().map(|(c, _)| c.as_str()).collect();
    let modes: Vec<&str> = vocab::modes().iter().map(String::as_str).collect();
    vec![
        json!({"name": "type", "in": "query", "required": false, "example": "ASSAULT",
               "description": "PLOVER category, case-insensitive; another value is a 400 problem listing these",
               "schema": string_enum(&vocab::categories())}),
        json!({"name": "mode", "in": "query", "required": false,
               "description": "a mode of the category; another value is a 400 problem listing these",
               "schema": string_enum(&modes)}),
        json!({"name": "country", "in": "query", "required": false, "example": "IQ",
               "description": "ISO 3166-1 alpha-2 code of the event's location, case-insensitive (a name such as syria is a 400 problem naming its code)",
               "schema": string_enum(&codes)}),
        json!({"name": "modality", "in": "query", "required": false,
               "description": "only events of this modality (shown whether it counts or not)",
               "schema": string_enum(&vocab::modalities())}),
        json!({"name": "precision", "in": "query", "required": false,
               "description": "only events located this precisely",
               "schema": string_enum(&vocab::precisions())}),
        json!({"name": "updated_since", "in": "query", "required": false,
               "example": "2020-01-31T12:00:00Z",
               "description": "only events whose record changed (stored, or reported again by another article) at or after this instant: a YYYY-MM-DD date (midnight UTC) or an RFC 3339 timestamp",
               "schema": {"type": "string"}}),
        json!({"name": "min_confidence", "in": "query", "required": false, "example": 0.6,
               "description": "only events the detector is at least this sure of: a higher floor abstains on more events for higher precision (on the article-level dev set, 0.6 gives precision 0.82 at recall 0.25)",
               "schema": {"type": "number", "minimum": 0, "maximum": 1}}),
    ]
}

/// Puts the record schemas and the enum parameters into a document.
fn complete(doc: &mut Value) {
    if let Some(schemas) = doc
        .pointer_mut("/components/schemas")
        .and_then(Value::as_object_mut)
    {
        schemas.extend(record_schemas());
    }
    let enums = filter_params();
    let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) else {
        return;
    };
    for op in paths.values_mut().filter_map(Value::as_object_mut) {
        for op in op.values_mut() {
            let Some(params) = op.get_mut("parameters").and_then(Value::as_array_mut) else {
                continue;
            };
            // a route with the filters takes them all
            if !params.iter().any(|p| p["name"] == "type") {
                continue;
            }
            params.retain(|p| !enums.iter().any(|e| e["name"] == p["name"]));
            let at = params
                .iter()
                .position(|p| p["name"] == "admin1")
                .unwrap_or(0);
            for (i, e) in enums.iter().enumerate() {
                params.insert((at + i).min(params.len()), e.clone());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Resolves `$ref`s and walks `v` against `schema`: every key `v` has is a property of the
    /// schema, and every required property is present; `path` names the place in messages.
    fn conforms(doc: &Value, schema: &Value, v: &Value, path: &str) {
        let schema = match schema["$ref"].as_str() {
            Some(r) => doc
                .pointer(&r.replacen("#", "", 1))
                .unwrap_or_else(|| panic!("{path}: no schema {r}")),
            None => schema,
        };
        // of `oneOf` branches, the one of the value's JSON type
        if let Some(branches) = schema["oneOf"].as_array() {
            let ty = match v {
                Value::Array(_) => "array",
                Value::Number(_) => "integer",
                _ => "object",
            };
            let b = branches
                .iter()
                .find(|b| b["type"] == ty)
                .unwrap_or_else(|| panic!("{path}: no {ty} branch"));
            return conforms(doc, b, v, path);
        }
        match v {
            Value::Object(o) => {
                let props = schema["properties"]
                    .as_object()
                    .unwrap_or_else(|| panic!("{path}: an object without properties"));
                for (k, x) in o {
                    let p = props
                        .get(k)
                        .unwrap_or_else(|| panic!("{path}.{k} is not in the schema"));
                    conforms(doc, p, x, &format!("{path}.{k}"));
                }
                for r in schema["required"].as_array().into_iter().flatten() {
                    assert!(o.contains_key(r.as_str().unwrap()), "{path}: {r} missing");
                }
            }
            Value::Array(a) => {
                for x in a {
                    conforms(doc, &schema["items"], x, &format!("{path}[]"));
                }
            }
            Value::String(s) => {
                if let Some(e) = schema["enum"].as_array() {
                    assert!(e.iter().any(|x| x == s), "{path}: {s:?} not in {e:?}");
                }
            }
            _ => {}
        }
    }

    /// Every field the record serializes, filled in to the last optional one, is in the schema
    /// with an allowed value: a field added to the record without its schema fails here.
    #[test]
    fn every_field_the_record_serializes_is_in_the_schema() {
        let span = json!({"start": 0, "end": 3});
        let who = json!({"text": "الجيش", "span": span, "entity_id": "x", "name_en": "Army",
                         "country": "IQ", "role": "military"});
        let place = json!({"text": "الموصل", "span": span, "geonameid": 99072,
                           "name_en": "Mosul", "name_ar": "الموصل", "country": "IQ",
                           "admin1": "Nineveh", "lat": 36.3, "lon": 43.1, "precision": "exact"});
        let count = json!({"value": 3, "approximate": true, "bound": "at_least"});
        let ev = marsad_record::testing::event(json!({
            "id": "e1", "doc_id": "d1", "event_type": "ASSAULT", "mode": ["aerial"],
            "context": ["x"], "modality": "reported", "actors": [who], "recipients": [who],
            "location": place, "destination": place,
            "date": {"value": "2018-03-05", "precision": "day", "text": "أمس", "span": span},
            "counts": {"killed": count, "injured": count, "arrested": count,
                       "abducted": count, "participants": count},
            "money": {"amount": 5.0, "currency": "USD", "per": "person", "bound": "exact"},
            "attribution": {"text": "مصادر", "span": span, "kind": "media"},
            "trigger": {"text": "قصف", "span": span},
            "evidence": {"span": span, "sentence": span},
            "confidence": 0.9, "cameo": "195",
            "acled": {"event_type": "Battles", "sub_event_type": "Armed clash"},
            "extra": {"mentions": [{"text": "قصف", "span": span}]},
            "mentions": [{"trigger": {"text": "قصف", "span": span},
                          "evidence": {"span": span, "sentence": span}}],
        }));
        // the record alone (its own `mentions` list), then as the API writes it (the number)
        let doc = document();
        let event = json!({"$ref": "#/components/schemas/Event"});
        let alone = serde_json::to_value(&ev).unwrap();
        assert!(alone["mentions"].is_array());
        conforms(doc, &event, &alone, "Event");
        let stored = marsad_store::StoredEvent {
            record: ev,
            mentions: 2,
        };
        let v = serde_json::to_value(marsad_export::WithMentions::from(&stored)).unwrap();
        let doc = document();
        conforms(
            doc,
            &json!({"$ref": "#/components/schemas/Event"}),
            &v,
            "Event",
        );
        // a minimal record (only what is always written) conforms too
        let bare = marsad_record::testing::event(json!({"id": "e2", "event_type": "PROTEST"}));
        let stored = marsad_store::StoredEvent {
            record: bare,
            mentions: 1,
        };
        let v = serde_json::to_value(marsad_export::WithMentions::from(&stored)).unwrap();
        conforms(
            doc,
            &json!({"$ref": "#/components/schemas/Event"}),
            &v,
            "Event",
        );
    }

    #[test]
    fn filtered_routes_take_every_enum_parameter_with_its_values() {
        let doc = document();
        let params = doc["paths"]["/events"]["get"]["parameters"]
            .as_array()
            .unwrap();
        let find = |n: &str| params.iter().find(|p| p["name"] == n).unwrap().clone();
        assert!(find("type")["schema"]["enum"]
            .as_array()
            .unwrap()
            .contains(&json!("ASSAULT")));
        assert!(find("country")["schema"]["enum"]
            .as_array()
            .unwrap()
            .contains(&json!("SY")));
        assert_eq!(find("modality")["schema"]["enum"][0], "asserted");
        assert_eq!(find("precision")["schema"]["enum"][0], "exact");
        assert!(find("updated_since")["description"].is_string());
        let names: Vec<_> = params.iter().map(|p| p["name"].as_str().unwrap()).collect();
        let mut once = names.clone();
        once.sort();
        once.dedup();
        assert_eq!(once.len(), names.len(), "{names:?}");
        // no schema left untyped where the record has structure
        assert_eq!(
            doc["components"]["schemas"]["Event"]["properties"]["location"]["$ref"],
            "#/components/schemas/Location"
        );
    }
}
