//! Country and first-level admin names for exports, from the built-in gazetteer (records carry
//! ISO codes and GeoNames admin1 codes).

use marsad_geo::{Gazetteer, Kind};
use std::collections::HashMap;
use std::sync::OnceLock;

/// English names of countries and admin1 areas.
#[derive(Debug, Default)]
pub struct Names {
    countries: HashMap<String, String>,
    admin1: HashMap<(String, String), String>,
}

impl Names {
    /// Names from the built-in gazetteer, built once (empty if it cannot be loaded).
    pub fn builtin() -> &'static Names {
        static NAMES: OnceLock<Names> = OnceLock::new();
        NAMES.get_or_init(|| {
            Gazetteer::builtin()
                .map(Names::from_gazetteer)
                .unwrap_or_default()
        })
    }

    /// Names of a gazetteer's country and admin1 entries (the most populous entry of a code wins).
    pub fn from_gazetteer(g: &Gazetteer) -> Names {
        let mut best: HashMap<(String, String), (u32, String)> = HashMap::new();
        for e in g.entries() {
            let key = match e.kind {
                Kind::Country if !e.country.is_empty() => (e.country.clone(), String::new()),
                Kind::Admin1 if !e.country.is_empty() && !e.admin1.is_empty() => {
                    (e.country.clone(), e.admin1.clone())
                }
                _ => continue,
            };
            let b = best.entry(key).or_insert((0, String::new()));
            if b.1.is_empty() || e.population > b.0 {
                *b = (e.population, e.name_en.clone());
            }
        }
        let mut n = Names::default();
        for ((c, a), (_, name)) in best {
            if a.is_empty() {
                n.countries.insert(c, name);
            } else {
                n.admin1.insert((c, a), name);
            }
        }
        n
    }

    /// Names from explicit lists (for tests).
    pub fn from_lists(countries: &[(&str, &str)], admin1: &[(&str, &str, &str)]) -> Names {
        Names {
            countries: countries
                .iter()
                .map(|(c, n)| (c.to_string(), n.to_string()))
                .collect(),
            admin1: admin1
                .iter()
                .map(|(c, a, n)| ((c.to_string(), a.to_string()), n.to_string()))
                .collect(),
        }
    }

    /// The English name of country `iso2`, else the code itself.
    pub fn country(&self, iso2: &str) -> String {
        self.countries
            .get(iso2)
            .cloned()
            .unwrap_or_else(|| iso2.to_string())
    }

    /// The English name of admin1 `code` in country `iso2`; a value that is not a known code
    /// (already a name) is returned as it is.
    pub fn admin1(&self, iso2: &str, code: &str) -> String {
        self.admin1
            .get(&(iso2.to_string(), code.to_string()))
            .cloned()
            .unwrap_or_else(|| code.to_string())
    }

    /// The admin1 name of a location, empty when it has none.
    pub fn admin1_of(&self, loc: &marsad_record::Location) -> String {
        loc.admin1
            .as_deref()
            .map(|a| self.admin1(&loc.country, a))
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_names_iraq_and_its_provinces() {
        let n = Names::builtin();
        assert_eq!(n.country("IQ"), "Iraq");
        let a = n.admin1("IQ", "15");
        assert!(!a.is_empty() && a != "15", "admin1 IQ.15 has a name: {a}");
        assert_eq!(n.admin1("IQ", "Nineveh"), "Nineveh", "names pass through");
    }
}
