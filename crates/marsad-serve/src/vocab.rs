//! The allowed values of enum parameters (`type`, `mode`, `modality`, `precision`, `country`)
//! and their checks, shared by the API, the pages and the command line: an unknown value is an
//! error that names the parameter, the value and the values allowed, never an empty answer.

use marsad_record::{Category, Modality, Precision};
use std::sync::OnceLock;

/// The PLOVER category names (`AGREE` … `ASSAULT`).
pub fn categories() -> Vec<&'static str> {
    Category::ALL.iter().map(|c| c.name()).collect()
}

/// Every mode of every category in the built-in ontology, sorted and once each.
pub fn modes() -> &'static [String] {
    static MODES: OnceLock<Vec<String>> = OnceLock::new();
    MODES.get_or_init(|| {
        let mut all: Vec<String> = marsad_events::ontology::Ontology::builtin()
            .map(|o| {
                o.categories
                    .values()
                    .flat_map(|c| c.modes.keys().cloned())
                    .collect()
            })
            .unwrap_or_default();
        all.sort();
        all.dedup();
        all
    })
}

/// The modality names (`asserted` … `historical`).
pub fn modalities() -> Vec<&'static str> {
    Modality::ALL.iter().map(|m| m.as_str()).collect()
}

/// The location precision names (`exact` … `region`).
pub fn precisions() -> Vec<&'static str> {
    Precision::ALL.iter().map(|p| p.as_str()).collect()
}

/// `(ISO 3166-1 alpha-2 code, English name)` of every country the gazetteer knows, by code.
pub fn countries() -> &'static [(String, String)] {
    static COUNTRIES: OnceLock<Vec<(String, String)>> = OnceLock::new();
    COUNTRIES.get_or_init(|| {
        let mut all: Vec<(String, String)> =
            marsad_geo::data::parse_countries(marsad_geo::data::COUNTRIES_TSV)
                .map(|rows| rows.into_iter().map(|r| (r.iso2, r.name_en)).collect())
                .unwrap_or_default();
        all.sort();
        all
    })
}

fn unknown(param: &str, value: &str, what: &str, allowed: &[&str]) -> String {
    format!(
        "{param} {value:?} is not {what}; allowed: {}",
        allowed.join(", ")
    )
}

/// The category named by `v` (case-insensitive), or why not.
pub fn check_type(param: &str, v: &str) -> Result<Category, String> {
    Category::parse(v).ok_or_else(|| unknown(param, v, "a PLOVER category", &categories()))
}

/// `v` when it is a mode of some category (case-insensitive; given back in lower case), or why not.
pub fn check_mode(param: &str, v: &str) -> Result<String, String> {
    let l = v.trim().to_lowercase();
    if modes().contains(&l) {
        return Ok(l);
    }
    let all: Vec<&str> = modes().iter().map(String::as_str).collect();
    Err(unknown(param, v, "a mode of any category", &all))
}

/// The modality named by `v` (case-insensitive), or why not.
pub fn check_modality(param: &str, v: &str) -> Result<Modality, String> {
    Modality::parse(&v.trim().to_lowercase())
        .ok_or_else(|| unknown(param, v, "a modality", &modalities()))
}

/// The location precision named by `v` (case-insensitive), or why not.
pub fn check_precision(param: &str, v: &str) -> Result<Precision, String> {
    Precision::parse(&v.trim().to_lowercase())
        .ok_or_else(|| unknown(param, v, "a location precision", &precisions()))
}

/// The ISO 3166-1 alpha-2 code `v` in upper case when the gazetteer knows the country, or why
/// not (a country's English name gets the code it should have been).
pub fn check_country(param: &str, v: &str) -> Result<String, String> {
    let t = v.trim();
    let up = t.to_uppercase();
    if countries().iter().any(|(c, _)| *c == up) {
        return Ok(up);
    }
    let hint = countries()
        .iter()
        .find(|(_, name)| name.eq_ignore_ascii_case(t))
        .map(|(c, name)| format!(" (for {name} give {c})"))
        .unwrap_or_default();
    let codes: Vec<&str> = countries().iter().map(|(c, _)| c.as_str()).collect();
    Err(format!(
        "{param} {v:?} is not an ISO 3166-1 alpha-2 country code{hint}; allowed: {}",
        codes.join(", ")
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_checked_and_errors_list_the_allowed_ones() {
        assert_eq!(check_type("type", "assault"), Ok(Category::Assault));
        let e = check_type("type", "FOO").unwrap_err();
        assert!(
            e.starts_with("type \"FOO\" is not") && e.contains("AGREE, CONSULT"),
            "{e}"
        );
        assert_eq!(check_country("country", "iq").unwrap(), "IQ");
        let e = check_country("country", "syria").unwrap_err();
        assert!(e.contains("give SY") && e.contains("IQ, "), "{e}");
        assert!(check_country("country", "XX").is_err());
        assert_eq!(check_mode("mode", "Arrest").unwrap(), "arrest");
        assert!(check_mode("mode", "picnic").unwrap_err().contains("aerial"));
        assert_eq!(check_modality("modality", "Future"), Ok(Modality::Future));
        assert!(check_modality("modality", "maybe")
            .unwrap_err()
            .contains("asserted, reported"));
        assert_eq!(
            check_precision("precision", "admin1"),
            Ok(Precision::Admin1)
        );
        assert!(check_precision("precision", "town")
            .unwrap_err()
            .contains("exact, near"));
        assert!(modes().len() > 20 && countries().len() > 150);
    }
}
