//! Alerts as JSON, and where they go: standard output, a JSONL file, a webhook.

use crate::config::Deliveries;
use crate::rules::Firing;
use marsad_store::{SqliteStore, StoreError, StoredEvent};
use serde_json::{json, Value};
use std::io::Write;

/// The evidence sentence of an event, from its document's text.
fn evidence_text(store: &SqliteStore, e: &StoredEvent) -> Result<Option<String>, StoreError> {
    let r = &e.record;
    let Some(text) = store.document_text(&r.doc_id)? else {
        return Ok(None);
    };
    let s = r.evidence.sentence;
    Ok(text
        .get(s.start..s.end)
        .or_else(|| text.get(r.evidence.span.start..r.evidence.span.end))
        .map(|t| t.trim().to_string()))
}

/// One event in an alert: what, where, when, who, how many, the evidence and the links.
fn event_json(store: &SqliteStore, e: &StoredEvent) -> Result<Value, StoreError> {
    let r = &e.record;
    Ok(json!({
        "id": r.id,
        "event_type": r.event_type.name(),
        "mode": r.mode,
        "modality": r.modality.as_str(),
        "date": r.date.as_ref().map(|d| d.value.to_string()),
        "location": r.location.as_ref().map(|l| json!({
            "name_en": l.name_en, "name_ar": l.name_ar, "country": l.country,
            "admin1": l.admin1, "lat": l.lat, "lon": l.lon,
        })),
        "actors": r.actors.iter().map(|a| a.display_name()).collect::<Vec<_>>(),
        "killed": r.counts.own_killed().map(|c| c.value),
        "trigger": r.trigger.text,
        "evidence": evidence_text(store, e)?,
        "sources": r.sources,
        "mentions": e.mentions,
    }))
}

/// The JSON of an alert.
pub fn payload(store: &SqliteStore, f: &Firing) -> Result<Value, StoreError> {
    let events = f
        .events
        .iter()
        .map(|e| event_json(store, e))
        .collect::<Result<Vec<_>, _>>()?;
    let mut v = json!({
        "rule": f.rule,
        "key": f.key,
        "fired_at": chrono::Utc::now().format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string(),
        "summary": f.summary,
        "events": events,
    });
    if let Some(s) = f.spike {
        v["spike"] = json!(s);
    }
    Ok(v)
}

/// Delivers an alert to standard output and the JSONL file of `d` (the local targets, once,
/// when it fires); the webhook is the caller's, since it is retried.
pub fn deliver_local(d: &Deliveries, payload: &Value) -> Result<(), String> {
    let line = format!("{payload}\n");
    if d.stdout {
        let mut out = std::io::stdout().lock();
        out.write_all(line.as_bytes())
            .and_then(|_| out.flush())
            .map_err(|e| format!("standard output: {e}"))?;
    }
    if let Some(path) = &d.jsonl {
        let mut f = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .map_err(|e| format!("{}: cannot open: {e}", path.display()))?;
        // one write of the whole line: a reader never sees half an alert
        f.write_all(line.as_bytes())
            .map_err(|e| format!("{}: cannot write: {e}", path.display()))?;
    }
    Ok(())
}
