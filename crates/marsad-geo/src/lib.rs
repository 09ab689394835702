//! Offline Arabic gazetteer and geocoder for marsad: towns, governorates and countries, matched on
//! normalized text and disambiguated from the document's context.
#![deny(missing_docs)]

use serde::{Deserialize, Serialize};

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
