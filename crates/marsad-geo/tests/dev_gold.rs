//! The evaluation scores the project's dev gold (`data/eval/geo-dev.jsonl`); this pins its figures
//! so that a regression shows (the same numbers `marsad eval geo` prints).

use marsad_geo::eval::{evaluate, parse_gold};
use marsad_geo::Gazetteer;
use std::path::Path;

#[test]
fn dev_gold_scores() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/eval/geo-dev.jsonl");
    let docs = parse_gold(&std::fs::read_to_string(path).unwrap()).unwrap();
    assert!(docs.len() >= 60);
    let (s, misses) = evaluate(Gazetteer::builtin().unwrap(), &docs);
    eprintln!("{s:?}");
    for m in &misses {
        eprintln!("{} {} {}", m.doc, m.text, m.what);
    }
    assert_eq!(s.gold, 135);
    assert!(s.rate(s.found) >= 0.97, "{s:?}");
    assert!(s.rate(s.resolved) >= 0.95, "{s:?}");
    assert!(s.rate(s.within_161) >= 0.97, "{s:?}");
    assert!(s.precision() >= 0.97, "{s:?}");
}

#[test]
fn scoring_counts_what_it_should() {
    let gold = r#"{"id": "t1", "text": "قصف على الموصل وطرابلس", "places": [{"text": "الموصل", "country": "IQ", "geonameid": 99072}, {"text": "طرابلس", "country": "LB", "geonameid": 266826}, {"text": "حلبجة", "country": "IQ", "lat": 35.18, "lon": 45.98, "tolerance_km": 10}]}"#;
    let docs = parse_gold(gold).unwrap();
    let (s, _) = evaluate(Gazetteer::builtin().unwrap(), &docs);
    assert_eq!((s.gold, s.found, s.resolved), (3, 2, 1));
    // Tripoli in Libya: wrong id, wrong country, far away
    assert_eq!((s.country, s.within_161, s.spurious), (1, 1, 0));
}
