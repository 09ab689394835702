//! The PLOVER ontology (`data/ontology.toml`): categories, modes, contexts, marsad's extensions and
//! the CAMEO and ACLED crosswalks.

use crate::{Acled, Category, Error};
use serde::Deserialize;
use std::collections::BTreeMap;

/// The ontology file as shipped.
pub const ONTOLOGY_TOML: &str = include_str!("../../../data/ontology.toml");

/// One mode of a category.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Mode {
    /// CAMEO code of events of this category and mode.
    #[serde(default)]
    pub cameo: Option<String>,
    /// ACLED `[event_type, sub_event_type]`.
    #[serde(default)]
    pub acled: Option<[String; 2]>,
    /// Whether marsad added it (PLOVER has no such mode).
    #[serde(default)]
    pub extension: bool,
}

/// One PLOVER category.
#[derive(Debug, Clone, Deserialize)]
pub struct CategoryDef {
    /// PLOVER quad category.
    pub quad: String,
    /// CAMEO root code.
    pub cameo: String,
    /// ACLED types for events with no more specific mode.
    #[serde(default)]
    pub acled: Option<[String; 2]>,
    /// What it covers.
    pub description: String,
    /// Modes by name.
    #[serde(default)]
    pub modes: BTreeMap<String, Mode>,
}

/// One row of the CAMEO → PLOVER table.
#[derive(Debug, Clone, Deserialize)]
pub struct CameoRow {
    /// CAMEO code.
    pub code: String,
    /// PLOVER category name.
    pub category: String,
    /// PLOVER mode, if any.
    #[serde(default)]
    pub mode: Option<String>,
    /// PLOVER contexts.
    #[serde(default)]
    pub context: Vec<String>,
    /// CAMEO's label.
    pub label: String,
}

/// The whole ontology.
#[derive(Debug, Clone, Deserialize)]
pub struct Ontology {
    /// PLOVER contexts.
    pub contexts: Vec<String>,
    /// Categories by PLOVER name.
    pub categories: BTreeMap<String, CategoryDef>,
    /// The CAMEO → PLOVER table.
    pub cameo: Vec<CameoRow>,
}

impl Ontology {
    /// Parses an ontology file.
    pub fn parse(text: &str) -> Result<Ontology, Error> {
        toml::from_str(text).map_err(|source| Error::Toml {
            file: "data/ontology.toml",
            source,
        })
    }

    /// The built-in ontology.
    pub fn builtin() -> Result<Ontology, Error> {
        Ontology::parse(ONTOLOGY_TOML)
    }

    /// The definition of a category.
    pub fn category(&self, c: Category) -> Option<&CategoryDef> {
        self.categories.get(c.name())
    }

    /// Whether `mode` is a mode of category `c`.
    pub fn has_mode(&self, c: Category, mode: &str) -> bool {
        self.category(c).is_some_and(|d| d.modes.contains_key(mode))
    }

    /// CAMEO code and ACLED types of an event of category `c` with `modes`: the first mode that
    /// has them, else the category's own.
    pub fn crosswalk(&self, c: Category, modes: &[String]) -> (Option<String>, Option<Acled>) {
        let Some(def) = self.category(c) else {
            return (None, None);
        };
        let mut cameo = None;
        let mut acled = None;
        for m in modes {
            if let Some(md) = def.modes.get(m) {
                if cameo.is_none() {
                    cameo.clone_from(&md.cameo);
                }
                if acled.is_none() {
                    acled.clone_from(&md.acled);
                }
            }
        }
        let cameo = cameo.or_else(|| Some(def.cameo.clone()));
        let acled = acled.or_else(|| def.acled.clone()).map(|[t, s]| Acled {
            event_type: t,
            sub_event_type: s,
        });
        (cameo, acled)
    }

    /// The PLOVER category, mode and contexts of a CAMEO code (its longest listed prefix).
    pub fn from_cameo(&self, code: &str) -> Option<&CameoRow> {
        (1..=code.len())
            .rev()
            .find_map(|n| self.cameo.iter().find(|r| r.code == code[..n]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn has_sixteen_categories_and_each_parses() {
        let o = Ontology::builtin().unwrap();
        assert_eq!(o.categories.len(), 16);
        for c in Category::ALL {
            assert!(o.category(c).is_some(), "{}", c.name());
        }
        for name in o.categories.keys() {
            assert!(Category::parse(name).is_some(), "{name}");
        }
    }

    #[test]
    fn cameo_rows_name_known_categories_and_contexts() {
        let o = Ontology::builtin().unwrap();
        assert!(o.cameo.len() > 200);
        for r in &o.cameo {
            assert!(Category::parse(&r.category).is_some(), "{}", r.code);
            for c in &r.context {
                assert!(o.contexts.contains(c), "{} {c}", r.code);
            }
        }
    }

    #[test]
    fn mode_cameo_codes_exist() {
        let o = Ontology::builtin().unwrap();
        for (name, def) in &o.categories {
            for (m, md) in &def.modes {
                if let Some(code) = &md.cameo {
                    assert!(
                        code.len() == 2 || o.cameo.iter().any(|r| &r.code == code),
                        "{name}.{m}: {code}"
                    );
                }
            }
        }
    }

    #[test]
    fn defect_is_a_sanction_extension() {
        let o = Ontology::builtin().unwrap();
        let d = &o.category(Category::Sanction).unwrap().modes["defect"];
        assert!(d.extension);
        assert!(!o.has_mode(Category::Retreat, "defect"));
    }

    #[test]
    fn crosswalks() {
        let o = Ontology::builtin().unwrap();
        let table: &[(Category, &[&str], &str, Option<&str>)] = &[
            (
                Category::Assault,
                &["aerial"],
                "195",
                Some("Air/drone strike"),
            ),
            (Category::Assault, &[], "18", Some("Attack")),
            (
                Category::Protest,
                &["riot"],
                "145",
                Some("Violent demonstration"),
            ),
            (Category::Coerce, &["arrest"], "173", Some("Arrests")),
            (Category::Consult, &["visit"], "042", None),
        ];
        for (c, modes, cameo, sub) in table {
            let modes: Vec<String> = modes.iter().map(|s| s.to_string()).collect();
            let (code, acled) = o.crosswalk(*c, &modes);
            assert_eq!(code.as_deref(), Some(*cameo));
            assert_eq!(acled.map(|a| a.sub_event_type).as_deref(), *sub);
        }
        assert_eq!(o.from_cameo("1831").unwrap().category, "ASSAULT");
        assert_eq!(o.from_cameo("14").map(|r| r.code.as_str()), None);
    }
}
