//! Offline Arabic gazetteer and geocoder for marsad: towns, governorates and countries, matched on
//! normalized text and disambiguated from the document's context.
//!
//! ```
//! use marsad_geo::{Gazetteer, Precision};
//! let text = "اشتباكات فى الموصل بالعراق وقصف على الرقة بسوريا وحواجز خارج حلب.";
//! let gaz = Gazetteer::builtin().unwrap();
//! let places = gaz.places(text, &marsad_text::analyze(text), &[]);
//! let ids: Vec<_> = places.iter().map(|p| p.geonameid).collect();
//! // الموصل, العراق, الرقة, سوريا, حلب
//! assert_eq!(ids, [Some(99072), Some(99237), Some(172955), Some(163843), Some(170063)]);
//! assert_eq!(places[0].text, "الموصل");
//! assert_eq!(places[4].precision, Precision::Near);
//! ```
//!
//! The artifact (`models/gazetteer.bin`) is built by `marsad build gazetteer` with [`compile`];
//! the hand-kept files under `data/geo/` are compiled in with `include_str!`.
#![deny(missing_docs)]

pub mod artifact;
pub mod compile;
pub mod data;
pub mod eval;
mod geocode;
mod hash;
mod hashtag;

pub use artifact::{Entry, Kind};

use std::sync::OnceLock;

pub use marsad_record::{Place, Precision};

/// The type of an entity hint from a named-entity tagger.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum HintKind {
    /// A location.
    Loc,
    /// An organization.
    Org,
    /// A person.
    Per,
    /// Any other name.
    Misc,
}

/// An entity span found by another stage (the NER tagger), used as optional evidence: a `Loc`
/// lets small or common-word places match, a `Per` or `Org` stops a place match inside it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Hint {
    /// First byte in the original text.
    pub start: usize,
    /// One past the last byte in the original text.
    pub end: usize,
    /// The entity type.
    pub kind: HintKind,
}

/// Errors of the gazetteer.
#[derive(Debug, thiserror::Error)]
pub enum GeoError {
    /// The artifact is damaged or not a gazetteer.
    #[error("gazetteer format: {0}")]
    Format(&'static str),
    /// A source or hand-kept data file is malformed.
    #[error("{0}")]
    Data(String),
    /// A file could not be read.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// What went wrong.
        source: std::io::Error,
    },
}

impl GeoError {
    pub(crate) fn io(path: &std::path::Path, source: std::io::Error) -> Self {
        GeoError::Io {
            path: path.display().to_string(),
            source,
        }
    }
}

/// The compiled gazetteer: entries, a name index and the matching lexicons.
pub struct Gazetteer {
    entries: Vec<Entry>,
    postings: Vec<u32>,
    names: fst::Map<Vec<u8>>,
    /// Hash of a word or word sequence → what it may be: a name key ([`IX_FULL`]), the start of
    /// a longer name ([`IX_PREFIX`]), a demonym ([`IX_DEMONYM`]). One probe per reading.
    index: hash::HashMap64<u64, (u8, u64)>,
    /// One bit per hash bucket of `index`, so that most misses never touch the map.
    filter: Vec<u64>,
    by_id: hash::HashMap64<u32, u32>,
    lex: data::Lexicons,
}

/// Index bit: a name key.
const IX_FULL: u8 = 1;
/// Index bit: the first words of a longer name key.
const IX_PREFIX: u8 = 2;
/// Index bit: a demonym or signal word.
const IX_DEMONYM: u8 = 4;

/// Bits of the miss filter (a power of two; 128 KiB).
const FILTER_BITS: usize = 1 << 20;

static BUILTIN: &[u8] = include_bytes!("../../../models/gazetteer.bin");

impl Gazetteer {
    /// The gazetteer compiled into the crate (`models/gazetteer.bin`), loaded once.
    pub fn builtin() -> Result<&'static Gazetteer, GeoError> {
        static GAZ: OnceLock<Result<Gazetteer, String>> = OnceLock::new();
        GAZ.get_or_init(|| Gazetteer::from_bytes(BUILTIN).map_err(|e| e.to_string()))
            .as_ref()
            .map_err(|e| GeoError::Data(format!("built-in gazetteer: {e}")))
    }

    /// Loads a gazetteer from the bytes of an artifact, with the built-in lexicons.
    pub fn from_bytes(bytes: &[u8]) -> Result<Gazetteer, GeoError> {
        let parts = artifact::decode(bytes)?;
        let names = fst::Map::new(parts.fst).map_err(|_| GeoError::Format("bad name index"))?;
        let mut index: hash::HashMap64<u64, (u8, u64)> = hash::HashMap64::default();
        {
            use fst::Streamer;
            let mut s = names.stream();
            while let Some((k, v)) = s.next() {
                let k = std::str::from_utf8(k).map_err(|_| GeoError::Format("bad key"))?;
                let e = index.entry(hash::of(k)).or_default();
                e.0 |= IX_FULL;
                e.1 = v;
                for (i, b) in k.bytes().enumerate() {
                    if b == b' ' {
                        index.entry(hash::of(&k[..i])).or_default().0 |= IX_PREFIX;
                    }
                }
            }
        }
        let mut by_id = hash::HashMap64::default();
        for (i, e) in parts.entries.iter().enumerate() {
            if e.geonameid != 0 {
                by_id.entry(e.geonameid).or_insert(i as u32);
            }
        }
        let lex = data::Lexicons::parse(data::DEMONYMS_TSV, data::CUES_TSV, data::STOPLIST_TSV)?;
        for h in lex.demonyms.keys() {
            index.entry(*h).or_default().0 |= IX_DEMONYM;
        }
        let mut filter = vec![0u64; FILTER_BITS / 64];
        for h in index.keys() {
            let b = (*h as usize) & (FILTER_BITS - 1);
            filter[b / 64] |= 1 << (b % 64);
        }
        Ok(Gazetteer {
            entries: parts.entries,
            postings: parts.postings,
            names,
            index,
            filter,
            by_id,
            lex,
        })
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the gazetteer has no entries.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Number of distinct name keys.
    pub fn key_count(&self) -> usize {
        self.names.len()
    }

    /// All entries, in artifact order (for tables built from the gazetteer, such as admin names).
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// The entry with GeoNames id `id`.
    pub fn by_geonameid(&self, id: u64) -> Option<&Entry> {
        let id = u32::try_from(id).ok()?;
        self.by_id.get(&id).map(|&i| &self.entries[i as usize])
    }

    /// The entries a name could refer to (any spelling; clitics are not split here).
    pub fn lookup(&self, name: &str) -> Vec<&Entry> {
        let Some(k) = compile::name_key(name) else {
            return Vec::new();
        };
        self.postings_of(&k)
            .iter()
            .map(|p| &self.entries[(p >> 8) as usize])
            .collect()
    }

    /// Postings of an exact name key.
    fn postings_of(&self, key: &str) -> &[u32] {
        match self.names.get(key) {
            Some(v) => self.postings_at(v),
            None => &[],
        }
    }

    /// Postings from an fst value.
    fn postings_at(&self, v: u64) -> &[u32] {
        let start = (v >> 8) as usize;
        let n = (v & 0xff) as usize;
        self.postings.get(start..start + n).unwrap_or(&[])
    }

    /// What the index knows of a hash: bits and, for a name key, its fst value.
    #[inline]
    fn probe(&self, h: u64) -> (u8, u64) {
        let b = (h as usize) & (FILTER_BITS - 1);
        if self.filter[b / 64] & (1 << (b % 64)) == 0 {
            return (0, 0);
        }
        self.index.get(&h).copied().unwrap_or((0, 0))
    }

    /// Finds and resolves the place mentions in `text`, given its text analysis and optional
    /// entity hints (pass `&[]` when no tagger ran).
    pub fn places(
        &self,
        text: &str,
        analysis: &marsad_text::TextAnalysis,
        hints: &[Hint],
    ) -> Vec<Place> {
        geocode::places(self, text, analysis, hints)
    }
}

/// Great-circle distance in kilometres.
pub fn distance_km(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let dp = p2 - p1;
    let dl = (lon2 - lon1).to_radians();
    let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * 6371.0 * a.sqrt().min(1.0).asin()
}
