//! The hand-kept data files under `data/geo/`, compiled into the crate with `include_str!`:
//! countries and aliases (inputs of the build), demonyms, cue words and the stoplist (used when
//! matching, so editing them needs no rebuild of the artifact).

use crate::artifact::Kind;
use crate::hash::{self, HashMap64};
use marsad_text::normalize;

/// `data/geo/countries.tsv`: ISO2, GeoNames id, English name, Arabic names.
pub const COUNTRIES_TSV: &str = include_str!("../../../data/geo/countries.tsv");
/// `data/geo/aliases.tsv`: local spellings, towns GeoNames lacks, regions.
pub const ALIASES_TSV: &str = include_str!("../../../data/geo/aliases.tsv");
/// `data/geo/demonyms.tsv`: nisba adjectives and other words that signal a country.
pub const DEMONYMS_TSV: &str = include_str!("../../../data/geo/demonyms.tsv");
/// `data/geo/cues.tsv`: words around place names (جنوب، ريف، محافظة …).
pub const CUES_TSV: &str = include_str!("../../../data/geo/cues.tsv");
/// `data/geo/stoplist.tsv`: words that are place names but far more often something else.
pub const STOPLIST_TSV: &str = include_str!("../../../data/geo/stoplist.tsv");

/// Non-comment, non-blank lines of a TSV file, split on tabs, with their 1-based line numbers.
pub(crate) fn rows(text: &str) -> impl Iterator<Item = (usize, Vec<&str>)> {
    text.lines().enumerate().filter_map(|(i, l)| {
        let l = l.trim_end_matches('\r');
        if l.trim().is_empty() || l.starts_with('#') {
            None
        } else {
            Some((i + 1, l.split('\t').map(str::trim).collect()))
        }
    })
}

/// One hand-kept country row.
#[derive(Debug, Clone)]
pub struct CountryRow {
    /// ISO 3166-1 alpha-2 code.
    pub iso2: String,
    /// GeoNames id.
    pub geonameid: u32,
    /// English name.
    pub name_en: String,
    /// Arabic names, the first being the usual one; `(name, weak)`.
    pub names_ar: Vec<(String, bool)>,
}

/// Parses `countries.tsv`.
pub fn parse_countries(text: &str) -> Result<Vec<CountryRow>, crate::GeoError> {
    let mut out = Vec::new();
    for (line, f) in rows(text) {
        let bad = |why: &str| crate::GeoError::Data(format!("countries.tsv line {line}: {why}"));
        if f.len() < 4 {
            return Err(bad("want 4 tab-separated columns"));
        }
        let geonameid = f[1].parse().map_err(|_| bad("geonameid is not a number"))?;
        let names_ar = f[3]
            .split('|')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| match s.strip_prefix('!') {
                Some(w) => (w.to_string(), true),
                None => (s.to_string(), false),
            })
            .collect();
        out.push(CountryRow {
            iso2: f[0].to_string(),
            geonameid,
            name_en: f[2].to_string(),
            names_ar,
        });
    }
    Ok(out)
}

/// One hand-kept alias row.
#[derive(Debug, Clone)]
pub struct AliasRow {
    /// The name as written in Arabic.
    pub name: String,
    /// Needs place context to match.
    pub weak: bool,
    /// GeoNames id, when the place has one.
    pub geonameid: Option<u32>,
    /// English name (empty to take the GeoNames entry's).
    pub name_en: String,
    /// ISO2 country (empty for regions across countries or to take the entry's).
    pub country: String,
    /// Admin1 code.
    pub admin1: String,
    /// Coordinates, when given.
    pub coords: Option<(f32, f32)>,
    /// Kind, when given.
    pub kind: Option<Kind>,
    /// Population, when given.
    pub population: u32,
}

fn field<'a>(f: &[&'a str], i: usize) -> &'a str {
    match f.get(i) {
        Some(v) if *v != "-" => v,
        _ => "",
    }
}

/// Parses `aliases.tsv`: name, geonameid, name_en, country, admin1, lat, lon, kind, population
/// (`-` or nothing for an unknown field; a name starting with `!` needs place context).
pub fn parse_aliases(text: &str) -> Result<Vec<AliasRow>, crate::GeoError> {
    let mut out = Vec::new();
    for (line, f) in rows(text) {
        let bad = |why: &str| crate::GeoError::Data(format!("aliases.tsv line {line}: {why}"));
        let raw = field(&f, 0);
        if raw.is_empty() {
            return Err(bad("empty name"));
        }
        let (name, weak) = match raw.strip_prefix('!') {
            Some(n) => (n.to_string(), true),
            None => (raw.to_string(), false),
        };
        let geonameid = match field(&f, 1) {
            "" => None,
            s => Some(s.parse().map_err(|_| bad("geonameid is not a number"))?),
        };
        let coords = match (field(&f, 5), field(&f, 6)) {
            ("", "") => None,
            (a, b) => Some((
                a.parse().map_err(|_| bad("bad latitude"))?,
                b.parse().map_err(|_| bad("bad longitude"))?,
            )),
        };
        let kind = match field(&f, 7) {
            "" => None,
            k => Some(Kind::parse(k).ok_or_else(|| bad("unknown kind"))?),
        };
        let population = match field(&f, 8) {
            "" => 0,
            p => p.parse().map_err(|_| bad("bad population"))?,
        };
        if geonameid.is_none() && coords.is_none() {
            return Err(bad("a row needs a geonameid or coordinates"));
        }
        out.push(AliasRow {
            name,
            weak,
            geonameid,
            name_en: field(&f, 2).to_string(),
            country: field(&f, 3).to_string(),
            admin1: field(&f, 4).to_string(),
            coords,
            kind,
            population,
        });
    }
    Ok(out)
}

/// What a cue word says about the name after it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cue {
    /// Outside, near or around the place (جنوب، ريف، خارج): precision `near`.
    Near,
    /// An administrative area follows (محافظة، ولاية).
    Admin,
    /// A town, village, camp or district follows (مدينة، بلدة، قرية، مخيم).
    Town,
    /// A capital follows (العاصمة).
    Capital,
    /// A person's name goes on (أبو، ابن، بن): the next word is not a place.
    Person,
    /// A preposition of place (في، من، إلى): weak place context.
    Prep,
}

/// The matching-time lexicons: demonyms, cues, stoplist.
pub(crate) struct Lexicons {
    /// Demonym or signal word (bare key) → country code.
    pub demonyms: HashMap64<u64, [u8; 2]>,
    /// Cue word (bare key) → cue.
    pub cues: HashMap64<u64, Cue>,
    /// Stoplisted bare keys.
    pub stop: crate::hash::HashSet64,
    /// Keys stoplisted only without the article (`=عقبة`).
    pub stop_bare: crate::hash::HashSet64,
    /// First words of compound place names (`>عين`: عين كاوة، تل تمر): followed by another word
    /// they head a longer name, not the place named by the word alone.
    pub heads: crate::hash::HashSet64,
}

/// The key of a word with the article taken off, as the matcher sees it.
pub(crate) fn bare(word: &str) -> String {
    let k = normalize::key(word);
    match without_article(&k) {
        Some(r) => r.to_string(),
        None => k,
    }
}

/// A key with its article ال taken off, where it has one and two letters or more follow.
pub(crate) fn without_article(key: &str) -> Option<&str> {
    key.strip_prefix("ال").filter(|r| r.chars().count() >= 2)
}

fn country2(s: &str) -> Option<[u8; 2]> {
    let b = s.as_bytes();
    (b.len() == 2 && b.iter().all(u8::is_ascii_uppercase)).then(|| [b[0], b[1]])
}

impl Lexicons {
    /// Parses the three files.
    pub(crate) fn parse(demonyms: &str, cues: &str, stop: &str) -> Result<Self, crate::GeoError> {
        let mut d = HashMap64::default();
        for (line, f) in rows(demonyms) {
            let bad = |why: &str| crate::GeoError::Data(format!("demonyms.tsv line {line}: {why}"));
            let c = country2(field(&f, 1)).ok_or_else(|| bad("want an ISO2 country"))?;
            let w = bare(field(&f, 0));
            match field(&f, 2) {
                "" | "nisba" => {
                    // سوري → سوري، سوريه، سوريون، سوريين، سوريات، سوريان
                    for suf in ["", "ه", "ون", "ين", "ات", "ان", "تان", "تين"] {
                        d.insert(hash::of(&format!("{w}{suf}")), c);
                    }
                }
                "word" => {
                    d.insert(hash::of(&w), c);
                }
                _ => return Err(bad("kind must be nisba or word")),
            }
        }
        let mut cm = HashMap64::default();
        for (line, f) in rows(cues) {
            let cue = match field(&f, 1) {
                "near" => Cue::Near,
                "admin" => Cue::Admin,
                "town" => Cue::Town,
                "capital" => Cue::Capital,
                "person" => Cue::Person,
                "prep" => Cue::Prep,
                _ => {
                    return Err(crate::GeoError::Data(format!(
                        "cues.tsv line {line}: unknown cue"
                    )))
                }
            };
            cm.insert(hash::of(&bare(field(&f, 0))), cue);
        }
        let mut s = crate::hash::HashSet64::default();
        let mut sb = crate::hash::HashSet64::default();
        let mut heads = crate::hash::HashSet64::default();
        for (_, f) in rows(stop) {
            let w = field(&f, 0);
            if let Some(w) = w.strip_prefix('=') {
                sb.insert(hash::of(&normalize::key(w)));
            } else if let Some(w) = w.strip_prefix('>') {
                heads.insert(hash::of(&normalize::key(w)));
            } else {
                s.insert(hash::of(&bare(w)));
            }
        }
        Ok(Lexicons {
            demonyms: d,
            cues: cm,
            stop: s,
            stop_bare: sb,
            heads,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_files_parse() {
        let c = parse_countries(COUNTRIES_TSV).unwrap();
        assert!(c.len() > 150);
        assert!(c.iter().any(|r| r.iso2 == "IQ" && r.geonameid == 99237));
        let a = parse_aliases(ALIASES_TSV).unwrap();
        assert!(a.iter().any(|r| r.geonameid == Some(172256)));
        let l = Lexicons::parse(DEMONYMS_TSV, CUES_TSV, STOPLIST_TSV).unwrap();
        assert_eq!(l.demonyms.get(&hash::of("سوريه")), Some(b"SY"));
        assert_eq!(l.demonyms.get(&hash::of("عراقيين")), Some(b"IQ"));
        assert_eq!(l.cues.get(&hash::of("ريف")), Some(&Cue::Near));
    }

    #[test]
    fn bare_takes_the_article_off() {
        assert_eq!(bare("الموصل"), "موصل");
        assert_eq!(bare("الرقة"), "رقه");
        assert_eq!(bare("ال"), "ال");
    }
}
