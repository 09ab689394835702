//! Export writers: stored events as full JSON lines, ACLED-like CSV, GeoJSON and Parquet, for
//! pandas, DuckDB, Spark, GIS tools and spreadsheets. `marsad export` and the API's
//! `/api/v1/exports/{format}` both write through here; each returns the whole file's bytes, so
//! callers write it whole or not at all.
#![deny(missing_docs)]

use arrow_array::builder::{
    Date32Builder, Float64Builder, Int64Builder, ListBuilder, StringBuilder,
};
use arrow_array::{ArrayRef, RecordBatch};
use arrow_schema::{DataType, Field, Schema};
use marsad_record::{Count, DatePrecision, Event, Participant, Precision};
use marsad_store::{EventFilter, SqliteStore, Store, StoreError, StoredEvent};
use serde_json::{json, Value};
use std::sync::Arc;

/// An export that could not be written.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// Reading the store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// Writing JSON failed.
    #[error("JSON: {0}")]
    Json(#[from] serde_json::Error),
    /// Writing CSV failed.
    #[error("CSV: {0}")]
    Csv(#[from] csv::Error),
    /// Building the Arrow columns failed.
    #[error("Arrow: {0}")]
    Arrow(#[from] arrow_schema::ArrowError),
    /// Writing Parquet failed.
    #[error("Parquet: {0}")]
    Parquet(#[from] parquet::errors::ParquetError),
}

type Result<T> = std::result::Result<T, ExportError>;

/// All events matching `filter` (its limit and offset are ignored), page by page.
pub fn collect(store: &dyn Store, filter: &EventFilter) -> Result<Vec<StoredEvent>> {
    let mut all = Vec::new();
    let page = 5000;
    loop {
        let got = store.events(&EventFilter {
            limit: page,
            offset: all.len(),
            ..filter.clone()
        })?;
        let n = got.len();
        all.extend(got);
        if n < page {
            return Ok(all);
        }
    }
}

/// An event record with its mention count, as exports and the API write it.
#[derive(serde::Serialize)]
pub struct WithMentions<'a> {
    /// The record.
    #[serde(flatten)]
    pub record: &'a Event,
    /// Articles that report it.
    pub mentions: u64,
}

impl<'a> From<&'a StoredEvent> for WithMentions<'a> {
    fn from(e: &'a StoredEvent) -> Self {
        WithMentions {
            record: &e.record,
            mentions: e.mentions,
        }
    }
}

/// Full records as JSON lines.
pub fn jsonl(events: &[StoredEvent]) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    for e in events {
        serde_json::to_writer(&mut out, &WithMentions::from(e))?;
        out.push(b'\n');
    }
    Ok(out)
}

/// A number as JSON writes it (`36.0`, `48.85340881347656`), for CSV cells.
fn num(x: f64) -> String {
    serde_json::Number::from_f64(x).map_or_else(String::new, |n| n.to_string())
}

/// The participants of one role, by display name, `; `-separated.
fn names(list: &[Participant]) -> String {
    list.iter()
        .map(Participant::display_name)
        .collect::<Vec<_>>()
        .join("; ")
}

/// ACLED's time precision code: 1 day, 2 week, 3 month or coarser.
fn time_precision(p: DatePrecision) -> &'static str {
    match p {
        DatePrecision::Day => "1",
        DatePrecision::Week => "2",
        DatePrecision::Month | DatePrecision::Year => "3",
    }
}

/// ACLED's geo precision code: 1 exact, 2 near, 3 larger area.
fn geo_precision(p: Precision) -> &'static str {
    match p {
        Precision::Exact => "1",
        Precision::Near => "2",
        Precision::Admin1 | Precision::Country | Precision::Region => "3",
    }
}

/// The CSV header.
pub const CSV_COLUMNS: &[&str] = &[
    "event_id",
    "event_date",
    "year",
    "time_precision",
    "event_type",
    "sub_event_type",
    "plover_type",
    "plover_mode",
    "modality",
    "actor1",
    "actor2",
    "iso",
    "admin1",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "fatalities",
    "injured",
    "arrested",
    "source",
    "notes",
    "mentions",
    "doc_id",
    "cameo",
];

/// Events as ACLED-like CSV whose notes quote the evidence from the articles in `store`.
pub fn csv_bytes_from(store: &SqliteStore, events: &[StoredEvent]) -> Result<Vec<u8>> {
    let mut cache: std::collections::HashMap<String, Option<String>> =
        std::collections::HashMap::new();
    let mut text_of = |doc_id: &str| -> Option<String> {
        cache
            .entry(doc_id.to_string())
            .or_insert_with(|| store.document_text(doc_id).ok().flatten())
            .clone()
    };
    csv_bytes_with(events, &mut text_of)
}

/// The outlets that report an event, each once, `; `-separated (ACLED's `source`).
fn outlets(r: &Event) -> String {
    let mut seen: Vec<&str> = Vec::new();
    for o in r.sources.iter().filter_map(|s| s.outlet.as_deref()) {
        if !seen.contains(&o) {
            seen.push(o);
        }
    }
    seen.join("; ")
}

/// The words behind an event for the notes column: the evidence passage quoted from the article
/// when its text is known, else the trigger.
fn notes(r: &Event, text_of: &mut dyn FnMut(&str) -> Option<String>) -> String {
    text_of(&r.doc_id)
        .and_then(|text| r.evidence.span.get(&text).map(str::to_string))
        .unwrap_or_else(|| r.trigger.text.clone())
}

/// Events as ACLED-like CSV, quoting the evidence from the articles `text_of` returns.
pub fn csv_bytes_with(
    events: &[StoredEvent],
    text_of: &mut dyn FnMut(&str) -> Option<String>,
) -> Result<Vec<u8>> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(CSV_COLUMNS)?;
    for e in events {
        let r = &e.record;
        let date = r
            .date
            .as_ref()
            .map(|d| d.value.to_string())
            .unwrap_or_default();
        let loc = r.location.as_ref();
        let count = |c: Option<Count>| c.map(|c| c.value.to_string()).unwrap_or_default();
        w.write_record([
            r.id.clone(),
            date.clone(),
            date.get(..4).unwrap_or("").to_string(),
            r.date
                .as_ref()
                .map_or("", |d| time_precision(d.precision))
                .to_string(),
            r.acled
                .as_ref()
                .map(|a| a.event_type.clone())
                .unwrap_or_default(),
            r.acled
                .as_ref()
                .map(|a| a.sub_event_type.clone())
                .unwrap_or_default(),
            r.event_type.name().to_string(),
            r.mode.join(";"),
            r.modality.as_str().to_string(),
            names(&r.actors),
            names(&r.recipients),
            loc.map(|l| l.country.clone()).unwrap_or_default(),
            loc.and_then(|l| l.admin1.clone()).unwrap_or_default(),
            loc.map(|l| l.name_en.clone()).unwrap_or_default(),
            loc.map(|l| num(l.lat)).unwrap_or_default(),
            loc.map(|l| num(l.lon)).unwrap_or_default(),
            loc.map_or("", |l| geo_precision(l.precision)).to_string(),
            count(r.counts.killed),
            count(r.counts.injured),
            count(r.counts.arrested),
            outlets(r),
            notes(r, text_of),
            e.mentions.to_string(),
            r.doc_id.clone(),
            r.cameo.clone().unwrap_or_default(),
        ])?;
    }
    w.flush().map_err(csv::Error::from)?;
    Ok(w.into_inner()
        .map_err(|e| csv::Error::from(e.into_error()))?)
}

/// Located events as a GeoJSON FeatureCollection of points.
pub fn geojson(events: &[StoredEvent]) -> Value {
    let features: Vec<Value> = events
        .iter()
        .filter_map(|e| {
            let loc = e.record.location.as_ref()?;
            Some(json!({
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [loc.lon, loc.lat]},
                "properties": WithMentions::from(e),
            }))
        })
        .collect();
    json!({"type": "FeatureCollection", "features": features})
}

/// The Parquet schema of an export.
pub fn parquet_schema() -> Schema {
    let list = DataType::List(Arc::new(Field::new("item", DataType::Utf8, true)));
    Schema::new(vec![
        Field::new("id", DataType::Utf8, false),
        Field::new("doc_id", DataType::Utf8, true),
        Field::new("event_type", DataType::Utf8, false),
        Field::new("mode", list.clone(), true),
        Field::new("modality", DataType::Utf8, true),
        Field::new("date", DataType::Date32, true),
        Field::new("date_precision", DataType::Utf8, true),
        Field::new("country", DataType::Utf8, true),
        Field::new("admin1", DataType::Utf8, true),
        Field::new("location", DataType::Utf8, true),
        Field::new("geonameid", DataType::Int64, true),
        Field::new("lat", DataType::Float64, true),
        Field::new("lon", DataType::Float64, true),
        Field::new("actors", list.clone(), true),
        Field::new("recipients", list, true),
        Field::new("killed", DataType::Int64, true),
        Field::new("injured", DataType::Int64, true),
        Field::new("arrested", DataType::Int64, true),
        Field::new("attribution", DataType::Utf8, true),
        Field::new("confidence", DataType::Float64, true),
        Field::new("mentions", DataType::Int64, false),
        Field::new("record", DataType::Utf8, false),
    ])
}

/// Events as Parquet bytes (snappy-compressed).
pub fn parquet_bytes(events: &[StoredEvent]) -> Result<Vec<u8>> {
    let schema = Arc::new(parquet_schema());
    let mut id = StringBuilder::new();
    let mut doc = StringBuilder::new();
    let mut ty = StringBuilder::new();
    let mut mode = ListBuilder::new(StringBuilder::new());
    let mut modality = StringBuilder::new();
    let mut date = Date32Builder::new();
    let mut date_prec = StringBuilder::new();
    let mut country = StringBuilder::new();
    let mut admin1 = StringBuilder::new();
    let mut location = StringBuilder::new();
    let mut geonameid = Int64Builder::new();
    let mut lat = Float64Builder::new();
    let mut lon = Float64Builder::new();
    let mut actors = ListBuilder::new(StringBuilder::new());
    let mut recipients = ListBuilder::new(StringBuilder::new());
    let mut killed = Int64Builder::new();
    let mut injured = Int64Builder::new();
    let mut arrested = Int64Builder::new();
    let mut attribution = StringBuilder::new();
    let mut confidence = Float64Builder::new();
    let mut mentions = Int64Builder::new();
    let mut record = StringBuilder::new();
    let epoch = chrono::NaiveDate::from_ymd_opt(1970, 1, 1).expect("valid date");
    for e in events {
        let r = &e.record;
        let loc = r.location.as_ref();
        id.append_value(&r.id);
        doc.append_value(&r.doc_id);
        ty.append_value(r.event_type.name());
        for m in &r.mode {
            mode.values().append_value(m);
        }
        mode.append(true);
        modality.append_value(r.modality.as_str());
        date.append_option(r.date.as_ref().map(|d| (d.value - epoch).num_days() as i32));
        date_prec.append_option(r.date.as_ref().map(|d| d.precision.as_str()));
        country.append_option(loc.map(|l| &l.country));
        admin1.append_option(loc.and_then(|l| l.admin1.as_ref()));
        location.append_option(loc.map(|l| &l.name_en));
        geonameid.append_option(loc.and_then(|l| l.geonameid).map(|g| g as i64));
        lat.append_option(loc.map(|l| l.lat));
        lon.append_option(loc.map(|l| l.lon));
        for (b, list) in [(&mut actors, &r.actors), (&mut recipients, &r.recipients)] {
            for p in list {
                b.values().append_value(p.display_name());
            }
            b.append(true);
        }
        killed.append_option(r.counts.killed.map(|c| c.value as i64));
        injured.append_option(r.counts.injured.map(|c| c.value as i64));
        arrested.append_option(r.counts.arrested.map(|c| c.value as i64));
        attribution.append_option(r.attribution.as_ref().map(|a| &a.text));
        confidence.append_value(f64::from(r.confidence));
        mentions.append_value(e.mentions as i64);
        record.append_value(serde_json::to_string(r)?);
    }
    let cols: Vec<ArrayRef> = vec![
        Arc::new(id.finish()),
        Arc::new(doc.finish()),
        Arc::new(ty.finish()),
        Arc::new(mode.finish()),
        Arc::new(modality.finish()),
        Arc::new(date.finish()),
        Arc::new(date_prec.finish()),
        Arc::new(country.finish()),
        Arc::new(admin1.finish()),
        Arc::new(location.finish()),
        Arc::new(geonameid.finish()),
        Arc::new(lat.finish()),
        Arc::new(lon.finish()),
        Arc::new(actors.finish()),
        Arc::new(recipients.finish()),
        Arc::new(killed.finish()),
        Arc::new(injured.finish()),
        Arc::new(arrested.finish()),
        Arc::new(attribution.finish()),
        Arc::new(confidence.finish()),
        Arc::new(mentions.finish()),
        Arc::new(record.finish()),
    ];
    let batch = RecordBatch::try_new(schema.clone(), cols)?;
    let mut buf = Vec::new();
    let props = parquet::file::properties::WriterProperties::builder()
        .set_compression(parquet::basic::Compression::SNAPPY)
        .build();
    let mut w = parquet::arrow::ArrowWriter::try_new(&mut buf, schema, Some(props))?;
    w.write(&batch)?;
    w.close()?;
    Ok(buf)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Vec<StoredEvent> {
        vec![StoredEvent {
            record: marsad_record::testing::event(
                json!({"id": "e1", "doc_id": "d1", "event_type": "ASSAULT", "mode": ["aerial"], "modality": "reported",
                "date": {"value": "2015-02-20", "precision": "day"},
                "location": {"name_en": "Mosul", "country": "IQ", "lat": 36.335, "lon": 43.119, "geonameid": 99072, "precision": "exact"},
                "actors": [{"text": "التحالف", "name_en": "anti-ISIS coalition"}], "recipients": [{"text": "داعش"}],
                "counts": {"killed": {"value": 15, "approximate": true, "bound": "exact"}},
                "acled": {"event_type": "Explosions/Remote violence", "sub_event_type": "Air/drone strike"},
                "trigger": {"text": "غارات, \"على\" الموصل", "span": {"start": 0, "end": 10}}}),
            ),
            mentions: 2,
        }]
    }

    #[test]
    fn csv_has_acled_like_columns_and_quotes() {
        let bytes = csv_bytes_with(&sample(), &mut |_| None).unwrap();
        let mut r = csv::Reader::from_reader(bytes.as_slice());
        let h = r.headers().unwrap().clone();
        assert_eq!(h.len(), CSV_COLUMNS.len());
        let row = r.records().next().unwrap().unwrap();
        let get = |c: &str| {
            row.get(h.iter().position(|x| x == c).unwrap())
                .unwrap()
                .to_string()
        };
        assert_eq!(get("event_date"), "2015-02-20");
        assert_eq!(get("sub_event_type"), "Air/drone strike");
        assert_eq!(get("fatalities"), "15");
        assert_eq!(get("actor1"), "anti-ISIS coalition");
        assert_eq!(get("notes"), "غارات, \"على\" الموصل");
    }

    #[test]
    fn csv_notes_quote_the_evidence_from_the_article() {
        let mut ev = sample();
        ev[0].record.evidence.span = marsad_record::Span::new(0, 10);
        ev[0].record.trigger.text = "غارات".into();
        let bytes = csv_bytes_with(&ev, &mut |id| {
            (id == "d1").then(|| "غارات على الموصل".to_string())
        })
        .unwrap();
        assert!(
            String::from_utf8(bytes).unwrap().contains(",غارات,"),
            "five two-byte letters: the span's text"
        );
        let bytes = csv_bytes_with(&ev, &mut |_| None).unwrap();
        assert!(
            String::from_utf8(bytes).unwrap().contains(",غارات,"),
            "falls back to the trigger"
        );
    }

    #[test]
    fn geojson_points_are_lon_lat() {
        let g = geojson(&sample());
        assert_eq!(
            g["features"][0]["geometry"]["coordinates"],
            json!([43.119, 36.335])
        );
        assert_eq!(g["features"][0]["properties"]["mentions"], 2);
    }

    #[test]
    fn parquet_round_trips_with_types() {
        let bytes = parquet_bytes(&sample()).unwrap();
        let reader = parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder::try_new(
            bytes::Bytes::from(bytes),
        )
        .unwrap();
        assert_eq!(
            reader.schema().field_with_name("date").unwrap().data_type(),
            &DataType::Date32
        );
        let batches: Vec<RecordBatch> = reader.build().unwrap().map(|b| b.unwrap()).collect();
        assert_eq!(batches[0].num_rows(), 1);
    }
}
