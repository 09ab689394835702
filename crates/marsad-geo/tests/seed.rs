//! The seed article's eight places (`../shared/seed/expected.json`) must all resolve.

use marsad_geo::{distance_km, Gazetteer};
use std::path::Path;

#[test]
fn seed_places_resolve() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/seed");
    let (Ok(text), Ok(expected)) = (
        std::fs::read_to_string(root.join("article.txt")),
        std::fs::read_to_string(root.join("expected.json")),
    ) else {
        marsad_record::testing::skip("marsad-geo seed", "../shared/seed is not here");
        return;
    };
    let expected: serde_json::Value = serde_json::from_str(&expected).unwrap();
    let gaz = Gazetteer::builtin().unwrap();
    let places = gaz.places(&text, &marsad_text::analyze(&text), &[]);
    let want = expected["places"].as_array().unwrap();
    assert_eq!(want.len(), 8);
    for w in want {
        let t = w["text"].as_str().unwrap();
        let found: Vec<_> = places.iter().filter(|p| p.text == t).collect();
        assert!(!found.is_empty(), "{t} not found");
        for p in found {
            assert_eq!(p.country, w["country"].as_str().unwrap(), "{t}");
            match w["geonameid"].as_u64() {
                Some(id) => assert_eq!(p.geonameid, Some(id), "{t}"),
                None => {
                    let d = distance_km(
                        p.lat,
                        p.lon,
                        w["lat"].as_f64().unwrap(),
                        w["lon"].as_f64().unwrap(),
                    );
                    assert!(
                        d <= w["tolerance_km"].as_f64().unwrap_or(25.0),
                        "{t}: {d} km"
                    );
                }
            }
        }
    }
}
