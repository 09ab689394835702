//! Building from GeoNames' own dump format, with small fixtures written for these tests.

use marsad_geo::compile::{compile, parse_alternate, parse_geoname, Options, Sources};
use marsad_geo::{Gazetteer, Kind};
use std::path::Path;

fn fixture(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

#[test]
fn parses_geoname_rows() {
    let text = std::fs::read_to_string(fixture("cities-mini.txt")).unwrap();
    let rows: Vec<_> = text.lines().filter_map(parse_geoname).collect();
    // the AREA row is not a kind marsad keeps
    assert_eq!(rows.len(), 5);
    let mosul = &rows[0];
    assert_eq!(mosul.geonameid, 99072);
    assert_eq!(mosul.country, "IQ");
    assert_eq!(mosul.admin1, "15");
    assert_eq!(mosul.population, 1_683_000);
    assert_eq!(mosul.kind, Kind::City);
    assert_eq!(mosul.names_ar, vec!["الموصل", "موصل"]);
    assert!((mosul.lat - 36.335).abs() < 1e-4);
    assert_eq!(rows[1].kind, Kind::Admin1);
    assert_eq!(rows[2].kind, Kind::Country);
    assert!(parse_geoname("too\tfew\tcolumns").is_none());
}

#[test]
fn parses_alternate_names() {
    let text = std::fs::read_to_string(fixture("alternateNamesV2-mini.txt")).unwrap();
    let names: Vec<_> = text.lines().filter_map(parse_alternate).collect();
    // English, historic and link rows are dropped
    assert_eq!(
        names,
        vec![
            (99072, "الموصل"),
            (92877, "نينوى"),
            (92877, "محافظة نينوى"),
            (448149, "سنجار"),
            (99237, "العراق"),
        ]
    );
}

#[test]
fn builds_a_working_gazetteer_from_the_dump() {
    let opts = Options::default();
    let mut src = Sources::new();
    src.read_dump(
        &fixture("cities-mini.txt"),
        Some(&fixture("alternateNamesV2-mini.txt")),
        Some(&fixture("admin1CodesASCII-mini.txt")),
        &opts,
    )
    .unwrap();
    let (bytes, stats) = compile(&src, &opts).unwrap();
    assert!(stats.entries >= 4, "{stats:?}");
    let gaz = Gazetteer::from_bytes(&bytes).unwrap();
    let mosul = gaz.by_geonameid(99072).expect("Mosul");
    assert_eq!(mosul.kind, Kind::City);
    let nineveh = gaz.by_geonameid(92877).expect("Nineveh");
    assert_eq!(nineveh.kind, Kind::Admin1);
    // an admin area without coordinates in the dump gets the centre of its towns
    assert!(nineveh.lat > 36.0 && nineveh.lat < 36.4, "{nineveh:?}");
    let text = "اشتباكات بالموصل وسنجار في محافظة نينوى شمال العراق";
    let ps = gaz.places(text, &marsad_text::analyze(text), &[]);
    let ids: Vec<_> = ps.iter().filter_map(|p| p.geonameid).collect();
    assert_eq!(ids, vec![99072, 448149, 92877, 99237], "{ps:?}");
}
