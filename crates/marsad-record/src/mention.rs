//! Mentions found in a document: named entities and resolved places.

use serde::{Deserialize, Serialize};

/// The type of a named entity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum EntityType {
    /// A person.
    #[serde(rename = "PER")]
    Per,
    /// A place (geo-political entity or location).
    #[serde(rename = "LOC")]
    Loc,
    /// An organization.
    #[serde(rename = "ORG")]
    Org,
    /// Any other name.
    #[serde(rename = "MISC")]
    Misc,
}

impl EntityType {
    /// Every type.
    pub const ALL: [EntityType; 4] = [
        EntityType::Per,
        EntityType::Loc,
        EntityType::Org,
        EntityType::Misc,
    ];

    /// The name used in JSON (`PER`, `LOC`, `ORG`, `MISC`).
    pub fn as_str(self) -> &'static str {
        match self {
            EntityType::Per => "PER",
            EntityType::Loc => "LOC",
            EntityType::Org => "ORG",
            EntityType::Misc => "MISC",
        }
    }

    /// Parses a JSON name; other names (and the CoNLL spellings PERS, MIS) are read too.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "PER" | "PERS" => Some(EntityType::Per),
            "LOC" => Some(EntityType::Loc),
            "ORG" => Some(EntityType::Org),
            "MISC" | "MIS" => Some(EntityType::Misc),
            _ => None,
        }
    }
}

/// One entity mention in a document, with its byte span in the original text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entity {
    /// First byte in the original text.
    pub start: usize,
    /// One past the last byte in the original text.
    pub end: usize,
    /// The mention as written.
    pub text: String,
    /// The entity type.
    #[serde(rename = "type")]
    pub kind: EntityType,
    /// The canonical entity this mention refers to, when the hand-kept list knows it.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub entity_id: Option<String>,
    /// The entity's English name, when known.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub name_en: Option<String>,
}

/// How precisely a place mention locates something.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Precision {
    /// A town or site is named.
    Exact,
    /// Outside, near or around a named place ("خارج الموصل", "ريف إدلب").
    Near,
    /// A first-level administrative area (governorate, province).
    Admin1,
    /// A country.
    Country,
    /// A region larger than a country or without borders (الشرق الأوسط).
    Region,
}

impl Precision {
    /// Every precision.
    pub const ALL: [Precision; 5] = [
        Precision::Exact,
        Precision::Near,
        Precision::Admin1,
        Precision::Country,
        Precision::Region,
    ];

    /// The name used in JSON (`exact`, `near`, `admin1`, `country`, `region`).
    pub fn as_str(self) -> &'static str {
        match self {
            Precision::Exact => "exact",
            Precision::Near => "near",
            Precision::Admin1 => "admin1",
            Precision::Country => "country",
            Precision::Region => "region",
        }
    }

    /// Parses a JSON name.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.as_str() == s)
    }
}

/// One place mention resolved to a gazetteer entry, with its byte span in the original text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Place {
    /// First byte in the original text.
    pub start: usize,
    /// One past the last byte in the original text.
    pub end: usize,
    /// The mention as written.
    pub text: String,
    /// GeoNames id, when the entry has one.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub geonameid: Option<u64>,
    /// English name.
    pub name_en: String,
    /// Arabic name.
    pub name_ar: String,
    /// ISO 3166-1 alpha-2 country code.
    pub country: String,
    /// First-level admin area (GeoNames admin1 code or name), when known.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub admin1: Option<String>,
    /// Latitude in degrees.
    pub lat: f64,
    /// Longitude in degrees.
    pub lon: f64,
    /// How precisely the mention locates something.
    pub precision: Precision,
    /// Feature kind: `country`, `admin1`, `admin2`, `city`, `region`, …
    pub feature: String,
}
