//! The hand-kept entity list (`data/ner/entities.tsv`): links names and their variants to one
//! entity with an English name, and finds listed names the tagger missed.

use crate::features::WordInfo;
use crate::gazetteer::{seq_hash, IdMap};
use crate::hash::{self, str_hash};
use crate::{EntityType, NerError};

/// One listed entity.
#[derive(Debug, Clone, PartialEq)]
pub struct Listed {
    /// Its id.
    pub id: String,
    /// Its type.
    pub kind: EntityType,
    /// Its English name.
    pub name_en: String,
    /// ISO 3166-1 alpha-2 code of its home state; `None` for an international one.
    pub country: Option<String>,
    /// Its sector (the record's participant `role`: military, police, rebels …).
    pub sector: Option<String>,
    /// Its Wikidata QID, where known.
    pub wikidata: Option<String>,
}

/// The sectors an entry may name (the record's participant roles).
pub const SECTORS: [&str; 15] = [
    "military",
    "police",
    "government",
    "rebels",
    "militia",
    "civilians",
    "leaders",
    "protesters",
    "media",
    "officials",
    "members",
    "prisoners",
    "parties",
    "international",
    "ngo",
];

/// Whether the words of `long` begin with those of `short` and go on, the article of the first
/// word aside (التحالف and تحالف دعم الشرعية).
fn extends(long: &[String], short: &[String]) -> bool {
    let bare = |w: &str| w.strip_prefix("ال").unwrap_or(w).to_string();
    long.len() > short.len()
        && short.iter().zip(long).enumerate().all(
            |(k, (s, l))| {
                if k == 0 {
                    bare(s) == bare(l)
                } else {
                    s == l
                }
            },
        )
}

/// `None` for `-`, else the value if `ok` accepts it.
fn optional(s: &str, ok: impl Fn(&str) -> bool) -> Result<Option<&str>, ()> {
    match s {
        "-" => Ok(None),
        _ if ok(s) => Ok(Some(s)),
        _ => Err(()),
    }
}

fn is_country(s: &str) -> bool {
    s.len() == 2 && s.bytes().all(|b| b.is_ascii_uppercase())
}

fn is_qid(s: &str) -> bool {
    s.len() > 1 && s.starts_with('Q') && s[1..].bytes().all(|b| b.is_ascii_digit())
}

/// A variant: which entity, whether it may be added without the tagger, and whether it is a
/// short form that a longer listed name in the same document may claim (`^` in the list).
#[derive(Debug, Clone, Copy)]
struct Variant {
    entity: u32,
    add: bool,
    short: bool,
}

/// The compiled list.
#[derive(Debug, Default)]
pub struct Linker {
    entities: Vec<Listed>,
    map: IdMap<Variant>,
    max_len: usize,
    /// Per entity, the others whose names begin with one of its short forms.
    extended_by: Vec<Vec<u32>>,
}

/// A match of a listed variant: tokens `[start, end)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Match {
    /// First token.
    pub start: usize,
    /// One past the last token.
    pub end: usize,
    /// Index of the entity ([`Linker::entity`]).
    pub entity: u32,
    /// Whether the variant may be added without the tagger.
    pub add: bool,
    /// Whether the variant is a short form (see [`Linker::extended_by`]).
    pub short: bool,
}

fn parse_type(s: &str) -> Option<EntityType> {
    Some(match s {
        "PER" | "PERS" => EntityType::Per,
        "LOC" => EntityType::Loc,
        "ORG" => EntityType::Org,
        "MISC" => EntityType::Misc,
        _ => return None,
    })
}

impl Linker {
    /// Parses the TSV list (`file` names it in errors).
    pub fn parse(text: &str, file: &str) -> Result<Self, NerError> {
        let mut l = Linker::default();
        // every variant's words (folded), for the short forms' extensions
        let mut words: Vec<(u32, bool, Vec<String>)> = Vec::new();
        for (n, line) in text.lines().enumerate() {
            let line = line.trim_end_matches('\r');
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let bad = |msg: &str| NerError::BadData {
                file: file.to_string(),
                line: n + 1,
                msg: msg.to_string(),
            };
            let f: Vec<&str> = line.split('\t').collect();
            if f.len() != 7 {
                return Err(bad(&format!(
                    "want 7 TAB-separated columns (id, type, name_en, country, sector, wikidata, variants), found {}",
                    f.len()
                )));
            }
            if f[0].is_empty() || f[0] == "-" || l.entities.iter().any(|e| e.id == f[0]) {
                return Err(bad(&format!("id {:?} is empty or listed twice", f[0])));
            }
            let kind = parse_type(f[1]).ok_or_else(|| bad("type must be PER, LOC, ORG or MISC"))?;
            let country = optional(f[3], is_country)
                .map_err(|_| bad(&format!("country {:?} is not an ISO 3166 code or -", f[3])))?;
            let sector = optional(f[4], |s| SECTORS.contains(&s)).map_err(|_| {
                bad(&format!(
                    "sector {:?} is not - or one of {}",
                    f[4],
                    SECTORS.join(" ")
                ))
            })?;
            let wikidata = optional(f[5], is_qid)
                .map_err(|_| bad(&format!("wikidata {:?} is not a QID (Q123) or -", f[5])))?;
            let entity = l.entities.len() as u32;
            l.entities.push(Listed {
                id: f[0].to_string(),
                kind,
                name_en: f[2].to_string(),
                country: country.map(str::to_string),
                sector: sector.map(str::to_string),
                wikidata: wikidata.map(str::to_string),
            });
            for v in f[6].split('|') {
                let (add, v) = match v.strip_prefix('~') {
                    Some(v) => (false, v),
                    None => (true, v),
                };
                let (short, v) = match v.strip_prefix('^') {
                    Some(v) => (true, v),
                    None => (false, v),
                };
                let a = marsad_text::analyze(v);
                let keys: Vec<u64> = a.tokens.iter().map(|t| str_hash(&t.norm)).collect();
                if keys.is_empty() {
                    return Err(bad("empty variant"));
                }
                l.max_len = l.max_len.max(keys.len());
                l.map
                    .entry(seq_hash(keys))
                    .or_insert(Variant { entity, add, short });
                words.push((
                    entity,
                    short,
                    a.tokens.iter().map(|t| t.norm.clone()).collect(),
                ));
            }
        }
        l.extended_by = vec![Vec::new(); l.entities.len()];
        for (a, _, short) in words.iter().filter(|w| w.1) {
            for (b, _, long) in &words {
                if b != a && extends(long, short) && !l.extended_by[*a as usize].contains(b) {
                    l.extended_by[*a as usize].push(*b);
                }
            }
        }
        Ok(l)
    }

    /// The entities whose listed names begin with a short form of entity `i` (`^التحالف` and
    /// التحالف العربي، تحالف دعم الشرعية): in a document that names one of them and no longer
    /// name of `i`, the short form is that one (one sense per discourse).
    pub fn extended_by(&self, i: u32) -> &[u32] {
        self.extended_by.get(i as usize).map_or(&[], Vec::as_slice)
    }

    /// The entity with index `i`.
    pub fn entity(&self, i: u32) -> &Listed {
        &self.entities[i as usize]
    }

    /// The entity with id `id`.
    pub fn by_id(&self, id: &str) -> Option<&Listed> {
        self.entities.iter().find(|e| e.id == id)
    }

    /// Number of listed entities.
    pub fn len(&self) -> usize {
        self.entities.len()
    }

    /// Whether the list is empty.
    pub fn is_empty(&self) -> bool {
        self.entities.is_empty()
    }

    /// The longest variant starting at token `i` and ending at or before `limit`.
    pub fn match_at(&self, infos: &[WordInfo], i: usize, limit: usize) -> Option<Match> {
        let mut best: Option<Match> = None;
        let first = &infos[i];
        for h0 in [first.norm, first.stem, first.al_stem] {
            if h0 == 0 {
                continue;
            }
            let mut h = seq_hash([h0]);
            let mut end = i + 1;
            loop {
                if let Some(v) = self.map.get(&h) {
                    if best.is_none_or(|b| end > b.end) {
                        best = Some(Match {
                            start: i,
                            end,
                            entity: v.entity,
                            add: v.add,
                            short: v.short,
                        });
                    }
                }
                if end >= limit || end - i >= self.max_len {
                    break;
                }
                h = hash::seq(h, infos[end].norm);
                end += 1;
            }
        }
        best
    }

    /// All non-overlapping longest matches, left to right.
    pub fn matches(&self, infos: &[WordInfo]) -> Vec<Match> {
        let mut out = Vec::new();
        let mut i = 0;
        while i < infos.len() {
            match self.match_at(infos, i, infos.len()) {
                Some(m) => {
                    i = m.end;
                    out.push(m);
                }
                None => i += 1,
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clusters::Clusters;
    use crate::features::Resources;
    use crate::gazetteer::Gazetteer;

    #[test]
    fn longest_variant_and_clitics() {
        let l = Linker::parse(
            "# test\na\tORG\tanti-ISIS coalition\t-\tmilitary\t-\tالتحالف|التحالف الدولي\nb\tORG\tSaudi-led coalition\t-\tmilitary\t-\tالتحالف العربي\nc\tORG\tAl Arabiya\tAE\tmedia\t-\t~العربية\n",
            "t",
        )
        .unwrap();
        let (c, g) = (Clusters::empty(), Gazetteer::new());
        let lex = crate::lexicon::TypeLexicon::new();
        let res = Resources {
            clusters: &c,
            gazetteer: &g,
            lexicon: &lex,
        };
        let infos: Vec<WordInfo> = [
            "غارات",
            "والتحالف",
            "العربي",
            "و",
            "للتحالف",
            "اللغة",
            "العربية",
        ]
        .iter()
        .map(|w| WordInfo::of_raw(w, res))
        .collect();
        let m = l.matches(&infos);
        assert_eq!(m.len(), 3);
        assert_eq!((m[0].start, m[0].end), (1, 3));
        assert_eq!(l.entity(m[0].entity).id, "b");
        assert_eq!((m[1].start, m[1].end), (4, 5));
        assert_eq!(l.entity(m[1].entity).id, "a");
        assert!(!m[2].add);
        assert!(Linker::parse("x\tFOO\ty\t-\t-\t-\tz\n", "t").is_err());
    }

    #[test]
    fn short_forms_know_the_longer_names_that_begin_with_them() {
        let l = Linker::parse(
            "a\tORG\tanti-ISIS coalition\t-\tmilitary\t-\t^التحالف|التحالف الدولي\nb\tORG\tSaudi-led coalition\t-\tmilitary\t-\tالتحالف العربي|تحالف دعم الشرعية\nc\tORG\tSyrian army\tSY\tmilitary\t-\tالجيش السوري\nd\tORG\tFSA\t-\trebels\t-\tالجيش السوري الحر\n",
            "t",
        )
        .unwrap();
        assert_eq!(l.extended_by(0), &[1]);
        // only a form marked short is claimed
        assert!(l.extended_by(2).is_empty() && l.extended_by(1).is_empty());
    }

    #[test]
    fn malformed_lines_name_file_and_line() {
        let err = |text: &str| {
            Linker::parse(text, "data/ner/entities.tsv")
                .unwrap_err()
                .to_string()
        };
        let head = "# comment\nun\tORG\tUnited Nations\t-\tinternational\tQ1065\tالأمم المتحدة\n";
        // the old four columns
        let e = err(&format!("{head}x\tORG\tX\tس\n"));
        assert!(e.starts_with("data/ner/entities.tsv:3: want 7"), "{e}");
        let e = err(&format!("{head}x\tORG\tX\tIraq\tmilitary\t-\tس\n"));
        assert!(e.starts_with("data/ner/entities.tsv:3: country"), "{e}");
        let e = err(&format!("{head}x\tORG\tX\tIQ\tsoldiers\t-\tس\n"));
        assert!(e.contains(":3: sector"), "{e}");
        let e = err(&format!("{head}x\tORG\tX\tIQ\tmilitary\t1065\tس\n"));
        assert!(e.contains(":3: wikidata"), "{e}");
        let e = err(&format!("{head}un\tORG\tX\t-\t-\t-\tس\n"));
        assert!(e.contains(":3: id"), "{e}");
        let l = Linker::parse(head, "t").unwrap();
        let un = l.by_id("un").unwrap();
        assert_eq!(un.country, None);
        assert_eq!(un.sector.as_deref(), Some("international"));
        assert_eq!(un.wikidata.as_deref(), Some("Q1065"));
    }

    #[test]
    fn builtin_list_parses() {
        let l = Linker::parse(
            include_str!("../../../data/ner/entities.tsv"),
            "entities.tsv",
        )
        .unwrap();
        assert!(l.len() >= 100, "{} entities", l.len());
        let army = l.by_id("iraqi-army").unwrap();
        assert_eq!(
            (army.country.as_deref(), army.sector.as_deref()),
            (Some("IQ"), Some("military"))
        );
    }
}
