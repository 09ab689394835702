//! GeoJSON: one Point feature per located event, with the event id as the feature `id` and flat
//! properties (strings and numbers, lists joined with "; ") that GIS tools show as columns.

use crate::cells::round;
use crate::csv::names;
use crate::{names::Names, outlet, url, Result, RowWriter, Texts};
use marsad_store::StoredEvent;
use serde_json::{json, Value};
use std::io::Write;

/// The feature of a located event (`None` for an event without a place).
pub fn feature(e: &StoredEvent, names_of: &Names) -> Option<Value> {
    let r = &e.record;
    let loc = r.location.as_ref()?;
    let acled = r.acled.as_ref();
    Some(json!({
        "type": "Feature",
        "id": r.id,
        "geometry": {"type": "Point", "coordinates": [round(loc.lon, 5), round(loc.lat, 5)]},
        "properties": {
            "event_id": r.id,
            "event_date": r.date.as_ref().map(|d| d.value.to_string()),
            "date_precision": r.date.as_ref().map(|d| d.precision.as_str()),
            "date_basis": r.date.as_ref().map(|d| d.basis.as_str()),
            "event_type": r.event_type.name(),
            "mode": r.mode.join("; "),
            "modality": r.modality.as_str(),
            "acled_event_type": acled.map(|a| a.event_type.as_str()),
            "acled_sub_event_type": acled.map(|a| a.sub_event_type.as_str()),
            "cameo": r.cameo,
            "actors": names(&r.actors),
            "recipients": names(&r.recipients),
            "fatalities": r.counts.own_killed().map(|c| c.value),
            "injured": r.counts.injured.map(|c| c.value),
            "arrested": r.counts.arrested.map(|c| c.value),
            "country": names_of.country(&loc.country),
            "iso": loc.country,
            "admin1": names_of.admin1_of(loc),
            "location": loc.name_en,
            "location_ar": loc.name_ar,
            "precision": loc.precision.as_str(),
            "outlet": outlet(r),
            "url": url(r),
            "trigger": r.trigger.text,
            "mentions": e.mentions,
            "confidence": round(f64::from(r.confidence), 2),
            "doc_id": r.doc_id,
        },
    }))
}

/// Writes a FeatureCollection feature by feature.
pub struct GeoJsonWriter<W: Write> {
    out: W,
    names: &'static Names,
    first: bool,
}

impl<W: Write> GeoJsonWriter<W> {
    /// Writes the collection's opening to `out`.
    pub fn new(mut out: W) -> Result<Self> {
        out.write_all(br#"{"type":"FeatureCollection","features":["#)?;
        Ok(GeoJsonWriter {
            out,
            names: Names::builtin(),
            first: true,
        })
    }
}

impl<W: Write> RowWriter for GeoJsonWriter<W> {
    fn row(&mut self, e: &StoredEvent, _: &mut Texts<'_>) -> Result<bool> {
        let Some(f) = feature(e, self.names) else {
            return Ok(false);
        };
        if !self.first {
            self.out.write_all(b",\n")?;
        }
        self.first = false;
        serde_json::to_writer(&mut self.out, &f)?;
        Ok(true)
    }

    fn finish(mut self: Box<Self>) -> Result<()> {
        self.out.write_all(b"]}\n")?;
        Ok(self.out.flush()?)
    }
}

/// Located events as a GeoJSON FeatureCollection of points (in memory, for small sets).
pub fn geojson(events: &[StoredEvent]) -> Value {
    let names = Names::builtin();
    let features: Vec<Value> = events.iter().filter_map(|e| feature(e, names)).collect();
    json!({"type": "FeatureCollection", "features": features})
}
