//! The compiled gazetteer's file format (`models/gazetteer.bin`), little-endian:
//!
//! ```text
//! "MRSDGAZ1"                       magic and version
//! u32 n, then n entries:           u32 geonameid (0 = none), f32 lat, f32 lon, u32 population,
//!                                  u8 kind, 2 bytes country, u8+bytes admin1,
//!                                  u16+bytes name_en, u16+bytes name_ar
//! u32 m, then m postings:          u32 (entry index << 8 | flags)
//! u32 k, then k bytes:             an fst map: name key -> (first posting << 8 | count)
//! ```
//!
//! Name keys are matching keys ([`marsad_text::normalize::key`]) of the name's words joined by
//! one space, with the article ال taken off the first word (see [`crate::compile::name_key`]).

use crate::GeoError;

const MAGIC: &[u8; 8] = b"MRSDGAZ1";

/// What kind of thing a gazetteer entry is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    /// A country or territory.
    Country = 0,
    /// A first-level administrative area.
    Admin1 = 1,
    /// A second-level administrative area.
    Admin2 = 2,
    /// A populated place.
    City = 3,
    /// A region without borders or larger than a country.
    Region = 4,
}

impl Kind {
    /// The `feature` string of a [`crate::Place`].
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Country => "country",
            Kind::Admin1 => "admin1",
            Kind::Admin2 => "admin2",
            Kind::City => "city",
            Kind::Region => "region",
        }
    }

    /// Parses a kind name as written in `data/geo/aliases.tsv`.
    pub fn parse(s: &str) -> Option<Kind> {
        Some(match s {
            "country" => Kind::Country,
            "admin1" => Kind::Admin1,
            "admin2" => Kind::Admin2,
            "city" | "town" | "village" | "site" | "camp" => Kind::City,
            "region" => Kind::Region,
            _ => return None,
        })
    }

    fn from_u8(b: u8) -> Option<Kind> {
        Some(match b {
            0 => Kind::Country,
            1 => Kind::Admin1,
            2 => Kind::Admin2,
            3 => Kind::City,
            4 => Kind::Region,
            _ => return None,
        })
    }
}

/// One gazetteer entry.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// GeoNames id (0 when the entry comes from the alias file without one).
    pub geonameid: u32,
    /// English name.
    pub name_en: String,
    /// Arabic name.
    pub name_ar: String,
    /// ISO 3166-1 alpha-2 country code (empty for regions that span countries).
    pub country: String,
    /// GeoNames admin1 code within the country (empty when unknown).
    pub admin1: String,
    /// Latitude in degrees.
    pub lat: f32,
    /// Longitude in degrees.
    pub lon: f32,
    /// Population (0 when unknown).
    pub population: u32,
    /// What kind of place this is.
    pub kind: Kind,
}

/// Posting flag: the name comes from the hand-kept alias or country file.
pub const F_ALIAS: u8 = 1;
/// Posting flag: the name is also a common word or the place is small: it needs place context.
pub const F_WEAK: u8 = 2;
/// Posting flag: a Latin-script name.
pub const F_LATIN: u8 = 4;
/// Posting flag: the name is a common word in news text: it needs a cue word or a LOC hint.
pub const F_COMMON: u8 = 8;
/// Posting flag: every name of the place with this key opens with the article (العين): the text
/// must write it too, a bare عين ("eye", the first word of عين كاوة) is not the place.
pub const F_ARTICLE: u8 = 16;

/// The decoded parts of an artifact.
pub(crate) struct Parts {
    pub entries: Vec<Entry>,
    pub postings: Vec<u32>,
    pub fst: Vec<u8>,
}

fn put_str8(out: &mut Vec<u8>, s: &str) {
    let b = &s.as_bytes()[..s.len().min(255)];
    out.push(b.len() as u8);
    out.extend_from_slice(b);
}

fn put_str16(out: &mut Vec<u8>, s: &str) {
    let b = &s.as_bytes()[..s.len().min(u16::MAX as usize)];
    out.extend_from_slice(&(b.len() as u16).to_le_bytes());
    out.extend_from_slice(b);
}

/// Encodes an artifact.
pub(crate) fn encode(entries: &[Entry], postings: &[u32], fst: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(entries.len() * 48 + postings.len() * 4 + fst.len() + 32);
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&(entries.len() as u32).to_le_bytes());
    for e in entries {
        out.extend_from_slice(&e.geonameid.to_le_bytes());
        out.extend_from_slice(&e.lat.to_le_bytes());
        out.extend_from_slice(&e.lon.to_le_bytes());
        out.extend_from_slice(&e.population.to_le_bytes());
        out.push(e.kind as u8);
        let c = e.country.as_bytes();
        out.push(c.first().copied().unwrap_or(b' '));
        out.push(c.get(1).copied().unwrap_or(b' '));
        put_str8(&mut out, &e.admin1);
        put_str16(&mut out, &e.name_en);
        put_str16(&mut out, &e.name_ar);
    }
    out.extend_from_slice(&(postings.len() as u32).to_le_bytes());
    for p in postings {
        out.extend_from_slice(&p.to_le_bytes());
    }
    out.extend_from_slice(&(fst.len() as u32).to_le_bytes());
    out.extend_from_slice(fst);
    out
}

struct Reader<'a> {
    b: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], GeoError> {
        let s = self
            .b
            .get(self.at..self.at + n)
            .ok_or(GeoError::Format("truncated gazetteer"))?;
        self.at += n;
        Ok(s)
    }
    fn u8(&mut self) -> Result<u8, GeoError> {
        Ok(self.take(1)?[0])
    }
    fn u16(&mut self) -> Result<u16, GeoError> {
        let s = self.take(2)?;
        Ok(u16::from_le_bytes([s[0], s[1]]))
    }
    fn u32(&mut self) -> Result<u32, GeoError> {
        let s = self.take(4)?;
        Ok(u32::from_le_bytes([s[0], s[1], s[2], s[3]]))
    }
    fn f32(&mut self) -> Result<f32, GeoError> {
        Ok(f32::from_bits(self.u32()?))
    }
    fn string(&mut self, n: usize) -> Result<String, GeoError> {
        let s = self.take(n)?;
        std::str::from_utf8(s)
            .map(str::to_string)
            .map_err(|_| GeoError::Format("gazetteer string is not UTF-8"))
    }
}

/// Decodes an artifact.
pub(crate) fn decode(bytes: &[u8]) -> Result<Parts, GeoError> {
    let mut r = Reader { b: bytes, at: 0 };
    if r.take(8)? != MAGIC {
        return Err(GeoError::Format("not a marsad gazetteer (bad magic)"));
    }
    let n = r.u32()? as usize;
    if n > bytes.len() / 16 {
        return Err(GeoError::Format("entry count larger than the file"));
    }
    let mut entries = Vec::with_capacity(n);
    for _ in 0..n {
        let geonameid = r.u32()?;
        let lat = r.f32()?;
        let lon = r.f32()?;
        let population = r.u32()?;
        let kind = Kind::from_u8(r.u8()?).ok_or(GeoError::Format("unknown entry kind"))?;
        let c = r.take(2)?;
        let country = std::str::from_utf8(c)
            .map_err(|_| GeoError::Format("bad country code"))?
            .trim()
            .to_string();
        let l = r.u8()? as usize;
        let admin1 = r.string(l)?;
        let l = r.u16()? as usize;
        let name_en = r.string(l)?;
        let l = r.u16()? as usize;
        let name_ar = r.string(l)?;
        entries.push(Entry {
            geonameid,
            name_en,
            name_ar,
            country,
            admin1,
            lat,
            lon,
            population,
            kind,
        });
    }
    let m = r.u32()? as usize;
    let raw = r.take(
        m.checked_mul(4)
            .ok_or(GeoError::Format("bad posting count"))?,
    )?;
    let postings: Vec<u32> = raw
        .chunks_exact(4)
        .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
        .collect();
    if postings.iter().any(|p| (p >> 8) as usize >= entries.len()) {
        return Err(GeoError::Format("posting points past the entries"));
    }
    let k = r.u32()? as usize;
    let fst = r.take(k)?.to_vec();
    Ok(Parts {
        entries,
        postings,
        fst,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
        let e = Entry {
            geonameid: 99072,
            name_en: "Mosul".into(),
            name_ar: "الموصل".into(),
            country: "IQ".into(),
            admin1: "15".into(),
            lat: 36.335,
            lon: 43.119,
            population: 1_683_000,
            kind: Kind::City,
        };
        let bytes = encode(std::slice::from_ref(&e), &[1], b"xyz");
        let p = decode(&bytes).unwrap();
        assert_eq!(p.entries, vec![e]);
        assert_eq!(p.postings, vec![1]);
        assert_eq!(p.fst, b"xyz");
        assert!(decode(&bytes[..bytes.len() - 1]).is_err());
        assert!(decode(b"nonsense").is_err());
    }
}
