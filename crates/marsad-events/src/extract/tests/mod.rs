//! Extraction tests, by topic; the helpers run the rules (without the detector).

mod actors;
mod arguments;
mod clause;
mod counts;
mod places;
mod sides;
mod sources;
mod threats;
mod towns;
mod triggers;
mod turns;
mod vocabulary;

use super::*;
use marsad_geo::Precision;

pub(super) fn run_with(text: &str, places: &[marsad_geo::Place]) -> Vec<Event> {
    let doc = DocInput {
        id: "t",
        text,
        date: chrono::NaiveDate::from_ymd_opt(2015, 2, 20),
    };
    Extractor::builtin()
        .expect("built-in data parses")
        .candidates(&doc, &marsad_text::analyze(text), &[], places)
}

pub(super) fn run(text: &str) -> Vec<Event> {
    run_with(text, &[])
}

/// The event of `text` whose trigger is `trigger`.
pub(super) fn event(text: &str, trigger: &str) -> Event {
    let ev = run(text);
    ev.iter()
        .find(|e| e.trigger.text == trigger)
        .cloned()
        .unwrap_or_else(|| panic!("{text}: no trigger {trigger} in {ev:#?}"))
}

/// The rules' mentions of `text`, with what the article-level steps need of them.
pub(super) fn found_with(text: &str, places: &[marsad_geo::Place]) -> Vec<Found> {
    let doc = DocInput {
        id: "t",
        text,
        date: chrono::NaiveDate::from_ymd_opt(2015, 2, 20),
    };
    Extractor::builtin().expect("built-in data parses").found(
        &doc,
        &marsad_text::analyze(text),
        &[],
        places,
    )
}

pub(super) fn place(text: &str, doc: &str, name_en: &str, country: &str) -> marsad_geo::Place {
    let start = doc.find(text).unwrap();
    marsad_geo::Place {
        start,
        end: start + text.len(),
        text: text.to_string(),
        geonameid: None,
        name_en: name_en.to_string(),
        name_ar: text.to_string(),
        country: country.to_string(),
        admin1: None,
        lat: 0.0,
        lon: 0.0,
        precision: Precision::Country,
        feature: "country".into(),
    }
}

#[test]
fn builtin_loads_once() {
    let a = Extractor::builtin().expect("built-in data parses");
    let b = Extractor::builtin().expect("built-in data parses");
    assert!(std::ptr::eq(a, b));
    assert!(!a.lexicon().entries.is_empty());
}

#[test]
fn doc_example() {
    let ev = run("وقال مصدر في الشرطة إن مسلحين اغتالوا ضابطا أمس.");
    assert_eq!(ev.len(), 1, "{ev:#?}");
    assert_eq!(ev[0].actors[0].text, "مسلحين");
    assert_eq!(ev[0].recipients[0].text, "ضابطا");
    assert_eq!(ev[0].counts.killed.map(|c| c.value), Some(1));
    let d = ev[0].date.as_ref().unwrap();
    assert_eq!(d.value.to_string(), "2015-02-19");
}

#[test]
fn ids_are_stable() {
    let a = run("قتل 20 شخصا في انفجار سيارة مفخخة.");
    let b = run("قتل 20 شخصا في انفجار سيارة مفخخة.");
    assert_eq!(a[0].id, b[0].id);
    assert_eq!(a[0].id.len(), 16);
}
