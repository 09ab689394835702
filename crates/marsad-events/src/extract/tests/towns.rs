//! Two towns, two events.

use super::{place, run_with};
use crate::Category;
use marsad_geo::Precision;

fn town(text: &str, doc: &str, name_en: &str) -> marsad_geo::Place {
    marsad_geo::Place {
        precision: Precision::Exact,
        feature: "city".into(),
        ..place(text, doc, name_en, "IQ")
    }
}

#[test]
fn a_protest_in_three_towns_is_three_protests() {
    let doc = "وخرجت مظاهرات حاشدة في بغداد والنجف، وبابل احتجاجا على انقطاع الكهرباء.";
    let places = [
        town("بغداد", doc, "Baghdad"),
        town("النجف", doc, "Najaf"),
        town("بابل", doc, "Babil"),
    ];
    let ev: Vec<_> = run_with(doc, &places)
        .into_iter()
        .filter(|e| e.event_type == Category::Protest)
        .collect();
    let towns: Vec<_> = ev
        .iter()
        .filter_map(|e| e.location.as_ref().map(|l| l.text.as_str()))
        .collect();
    assert_eq!(towns, ["بغداد", "النجف", "بابل"], "{ev:#?}");
    // each record has its own id and its evidence ends at its town
    assert!(ev[1].id != ev[0].id && ev[2].id != ev[1].id);
    assert!(doc[ev[1].evidence.span.start..ev[1].evidence.span.end].ends_with("النجف"));
}

#[test]
fn a_town_in_its_country_is_one_place() {
    // a town and the country it lies in, or a town named twice, are no list of towns
    let doc = "وقتل خمسة مدنيين في قصف على بغداد في العراق.";
    let mut iraq = place("العراق", doc, "Iraq", "IQ");
    iraq.precision = Precision::Country;
    let places = [town("بغداد", doc, "Baghdad"), iraq];
    let ev: Vec<_> = run_with(doc, &places)
        .into_iter()
        .filter(|e| e.event_type == Category::Assault)
        .collect();
    assert_eq!(ev.len(), 1, "{ev:#?}");
    assert_eq!(ev[0].counts.killed.map(|c| c.value), Some(5));
}

#[test]
fn a_neighbour_is_not_the_place() {
    let doc = "وقتل جنديان في هجوم على موقع للجيش في الإقليم الشرقي المتاخم لإيران.";
    let places = [place("إيران", doc, "Iran", "IR")];
    for e in run_with(doc, &places) {
        assert!(
            e.location.as_ref().is_none_or(|l| l.country != "IR"),
            "{e:#?}"
        );
    }
}
