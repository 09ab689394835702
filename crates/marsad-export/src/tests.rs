//! Golden-ish tests of every format on small sets of events.

use super::*;
use arrow_array::{Array, RecordBatch};
use arrow_schema::DataType;
use serde_json::{json, Value};

fn event(v: Value, mentions: u64) -> StoredEvent {
    StoredEvent {
        record: marsad_record::testing::event(v),
        mentions,
    }
}

/// A located airstrike with a CAMEO code that starts with 0, and an unlocated protest.
pub(crate) fn sample() -> Vec<StoredEvent> {
    vec![
        event(
            json!({"id": "e1", "doc_id": "d1", "event_type": "ASSAULT", "mode": ["aerial"], "modality": "reported",
            "date": {"value": "2015-02-20", "precision": "day"},
            "location": {"name_en": "Mosul", "country": "IQ", "admin1": "15", "lat": 36.33500099182129, "lon": 43.11899948120117, "geonameid": 99072, "precision": "exact"},
            "actors": [{"text": "التحالف", "name_en": "anti-ISIS coalition", "role": "military"}, {"text": "الجيش العراقي", "name_en": "Iraqi Army", "role": "military"}],
            "recipients": [{"text": "المدنيين", "role": "civilians"}],
            "counts": {"killed": {"value": 15, "approximate": true, "bound": "exact"}},
            "attribution": {"text": "وكالة الأنباء", "span": {"start": 0, "end": 3}, "kind": "agency"},
            "cameo": "042",
            "sources": [{"doc_id": "d1", "external_id": "ext-1", "outlet": "وكالة الأنباء", "url": "https://example.org/a"},
                        {"doc_id": "d3", "outlet": "وكالة الأنباء"}],
            "confidence": 0.9,
            "acled": {"event_type": "Explosions/Remote violence", "sub_event_type": "Air/drone strike"},
            "trigger": {"text": "غارات, \"على\" الموصل", "span": {"start": 0, "end": 10}}}),
            2,
        ),
        event(
            json!({"id": "e2", "doc_id": "d2", "event_type": "CONSULT", "modality": "asserted",
            "trigger": {"text": "اجتماع", "span": {"start": 0, "end": 12}}}),
            1,
        ),
    ]
}

fn csv_rows(bytes: &[u8]) -> (Vec<String>, Vec<Vec<String>>) {
    let mut r = ::csv::Reader::from_reader(bytes);
    let h = r.headers().unwrap().iter().map(str::to_string).collect();
    let rows = r
        .records()
        .map(|x| x.unwrap().iter().map(str::to_string).collect())
        .collect();
    (h, rows)
}

fn cell(h: &[String], row: &[String], c: &str) -> String {
    row[h
        .iter()
        .position(|x| x == c)
        .unwrap_or_else(|| panic!("{c}"))]
    .clone()
}

#[test]
fn csv_quotes_codes_rounds_numbers_and_names_admin1() {
    let bytes = csv_bytes_with(&sample(), &mut |_| None).unwrap();
    let text = String::from_utf8(bytes.clone()).unwrap();
    assert!(
        text.starts_with("event_id,event_date,"),
        "no BOM by default"
    );
    assert!(
        text.contains(",\"042\"\r\n"),
        "cameo quoted as text: {text}"
    );
    assert!(
        text.contains(",36.335,43.119,"),
        "5 decimals, no noise: {text}"
    );
    assert!(text.contains(",0.9,"), "confidence with 2 decimals: {text}");
    let (h, rows) = csv_rows(&bytes);
    assert_eq!(h, CSV_COLUMNS);
    let r = &rows[0];
    assert_eq!(cell(&h, r, "cameo"), "042");
    assert_eq!(cell(&h, r, "country"), "Iraq");
    let a1 = cell(&h, r, "admin1");
    assert!(!a1.is_empty() && a1 != "15", "admin1 a name: {a1}");
    assert_eq!(cell(&h, r, "fatalities"), "15");
    assert_eq!(cell(&h, r, "actor1"), "anti-ISIS coalition; Iraqi Army");
    assert_eq!(cell(&h, r, "notes"), "غارات, \"على\" الموصل");
    assert_eq!(cell(&h, r, "source"), "وكالة الأنباء");
    assert_eq!(cell(&h, &rows[1], "latitude"), "");
    assert_eq!(cell(&h, r, "date_basis"), "publication");
}

#[test]
fn an_aggregate_toll_is_no_events_fatalities() {
    let mut events = sample();
    events[0].record.counts.aggregate = true;
    let (h, rows) = csv_rows(&csv_bytes_with(&events, &mut |_| None).unwrap());
    assert_eq!(cell(&h, &rows[0], "fatalities"), "");
    assert_eq!(
        geojson(&events)["features"][0]["properties"]["fatalities"],
        Value::Null
    );
}

#[test]
fn csv_bom_on_request() {
    let mut o = Options::new(Format::Csv);
    o.bom = true;
    let bytes = to_bytes(&o, &sample(), &mut Texts::none()).unwrap();
    assert_eq!(&bytes[..3], b"\xEF\xBB\xBF");
}

#[test]
fn notes_quote_the_evidence_from_the_article() {
    let mut ev = sample();
    ev[0].record.evidence.span = marsad_record::Span::new(0, 10);
    ev[0].record.trigger.text = "غارات".into();
    let bytes = csv_bytes_with(&ev, &mut |id| {
        (id == "d1").then(|| "غارات على الموصل".to_string())
    })
    .unwrap();
    assert!(
        String::from_utf8(bytes).unwrap().contains(",\"غارات\","),
        "five two-byte letters: the span's text"
    );
}

#[test]
fn acled_has_acleds_columns_and_one_row_per_coded_event() {
    let bytes = acled_bytes(&sample(), &mut Texts::none()).unwrap();
    let (h, rows) = csv_rows(&bytes);
    assert_eq!(h, ACLED_COLUMNS);
    assert_eq!(rows.len(), 1, "CONSULT is not coded by ACLED");
    let r = &rows[0];
    let want = [
        ("event_id_cnty", "IQe1"),
        ("event_date", "2015-02-20"),
        ("year", "2015"),
        ("time_precision", "1"),
        ("disorder_type", "Political violence"),
        ("event_type", "Explosions/Remote violence"),
        ("sub_event_type", "Air/drone strike"),
        ("actor1", "anti-ISIS coalition"),
        ("assoc_actor_1", "Iraqi Army"),
        ("inter1", "1"),
        ("actor2", "المدنيين"),
        ("inter2", "7"),
        ("interaction", "17"),
        ("civilian_targeting", "Civilian targeting"),
        ("iso", "368"),
        ("region", "Middle East"),
        ("country", "Iraq"),
        ("location", "Mosul"),
        ("latitude", "36.335"),
        ("longitude", "43.119"),
        ("geo_precision", "1"),
        ("source", "وكالة الأنباء"),
        ("notes", "غارات, \"على\" الموصل"),
        ("fatalities", "15"),
    ];
    for (c, v) in want {
        assert_eq!(cell(&h, r, c), v, "{c}");
    }
    assert!(cell(&h, r, "timestamp").parse::<u64>().unwrap() > 1_600_000_000);
}

#[test]
fn geojson_features_have_ids_and_flat_properties() {
    let mut buf = Vec::new();
    let mut w = writer(&Options::new(Format::Geojson), &mut buf).unwrap();
    let mut texts = Texts::none();
    let kept: Vec<bool> = sample()
        .iter()
        .map(|e| w.row(e, &mut texts).unwrap())
        .collect();
    w.finish().unwrap();
    assert_eq!(kept, [true, false], "the unlocated event is left out");
    let g: Value = serde_json::from_slice(&buf).unwrap();
    assert_eq!(g["type"], "FeatureCollection");
    let f = &g["features"][0];
    assert_eq!(f["id"], "e1");
    assert_eq!(f["geometry"]["coordinates"], json!([43.119, 36.335]));
    let p = f["properties"].as_object().unwrap();
    for k in [
        "event_date",
        "event_type",
        "mode",
        "actors",
        "fatalities",
        "country",
        "admin1",
        "location",
        "precision",
        "outlet",
        "url",
    ] {
        assert!(p.contains_key(k), "{k}");
    }
    for (k, v) in p {
        assert!(!v.is_object() && !v.is_array(), "{k} is flat: {v}");
    }
    assert_eq!(p["actors"], "anti-ISIS coalition; Iraqi Army");
    assert_eq!(p["country"], "Iraq");
    assert_eq!(p["fatalities"], 15);
    assert_eq!(geojson(&sample())["features"][0], *f);
}

#[test]
fn jsonl_is_one_record_per_line() {
    let out = String::from_utf8(jsonl(&sample()).unwrap()).unwrap();
    assert_eq!(out.lines().count(), 2);
    let v: Value = serde_json::from_str(out.lines().next().unwrap()).unwrap();
    assert_eq!(v["mentions"], 2);
}

fn read_parquet(bytes: Vec<u8>) -> (arrow_schema::SchemaRef, usize, Vec<RecordBatch>) {
    let b = ::parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder::try_new(
        bytes::Bytes::from(bytes),
    )
    .unwrap();
    let schema = b.schema().clone();
    let groups = b.metadata().num_row_groups();
    (
        schema,
        groups,
        b.build().unwrap().map(|b| b.unwrap()).collect(),
    )
}

#[test]
fn parquet_round_trips_with_typed_columns() {
    let (schema, groups, batches) = read_parquet(parquet_bytes(&sample()).unwrap());
    assert_eq!(groups, 1);
    let ty = |c: &str| schema.field_with_name(c).unwrap().data_type().clone();
    assert_eq!(ty("date"), DataType::Date32);
    assert_eq!(ty("lat"), DataType::Float64);
    assert_eq!(ty("killed"), DataType::Int64);
    assert_eq!(ty("confidence"), DataType::Float32);
    assert_eq!(ty("counted"), DataType::Boolean);
    assert!(matches!(ty("actors"), DataType::List(_)));
    for c in [
        "cameo",
        "acled_event_type",
        "acled_sub_event_type",
        "trigger",
        "evidence",
        "modality",
        "sources",
        "outlet",
        "admin1",
    ] {
        assert_eq!(ty(c), DataType::Utf8, "{c}");
    }
    assert!(schema.field_with_name("record").is_err(), "no JSON blob");
    let b = &batches[0];
    assert_eq!(b.num_rows(), 2);
    let s = |c: &str| {
        b.column_by_name(c)
            .unwrap()
            .as_any()
            .downcast_ref::<arrow_array::StringArray>()
            .unwrap()
            .value(0)
            .to_string()
    };
    assert_eq!(s("cameo"), "042");
    assert_eq!(s("acled_sub_event_type"), "Air/drone strike");
    assert_eq!(s("country"), "Iraq");
    let sources: Value = serde_json::from_str(&s("sources")).unwrap();
    assert_eq!(sources[0]["doc_id"], "d1");
    let killed = b
        .column_by_name("killed")
        .unwrap()
        .as_any()
        .downcast_ref::<arrow_array::Int64Array>()
        .unwrap()
        .clone();
    assert_eq!(killed.value(0), 15);
    assert!(killed.is_null(1));
}

#[test]
fn parquet_splits_rows_into_groups() {
    let evs: Vec<StoredEvent> = (0..2500).map(|i| sample()[i % 2].clone()).collect();
    let mut o = Options::new(Format::Parquet);
    o.row_group_size = 1000;
    let (_, groups, batches) = read_parquet(to_bytes(&o, &evs, &mut Texts::none()).unwrap());
    assert_eq!(groups, 3);
    assert_eq!(
        batches.iter().map(RecordBatch::num_rows).sum::<usize>(),
        2500
    );
}
