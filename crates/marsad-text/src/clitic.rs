//! Clitic splitting: proclitics (و ف ب ل ك س and ال, with their combinations) and enclitics
//! (ه ها هم هما هن نا …), split conservatively.
//!
//! A split is made only when the stem left is long enough to be a word and, for the ambiguous
//! one-letter proclitics and for enclitics, when the corpus word-frequency lexicon says the stem
//! is a word in its own right (a stem at least 5% as frequent as the whole form). Without a
//! lexicon only the article combinations are split. The lexicon is learned from the news corpus
//! by [`build_lexicon`] (see `models/wordfreq.md`).

use crate::normalize;
use std::sync::OnceLock;

/// Word frequencies (matching keys → counts) used to decide ambiguous splits.
pub struct Lexicon {
    map: Option<fst::Map<Vec<u8>>>,
}

static BUILTIN: &[u8] = include_bytes!("../../../models/wordfreq.fst");

impl Lexicon {
    /// A lexicon that knows no word: only unambiguous splits are made.
    pub fn empty() -> Self {
        Lexicon { map: None }
    }

    /// The lexicon compiled into the crate (`models/wordfreq.fst`).
    pub fn builtin() -> &'static Lexicon {
        static LEX: OnceLock<Lexicon> = OnceLock::new();
        LEX.get_or_init(|| {
            Lexicon::from_bytes(BUILTIN.to_vec()).unwrap_or_else(|_| Lexicon::empty())
        })
    }

    /// Loads a lexicon from the bytes of an fst map.
    pub fn from_bytes(bytes: Vec<u8>) -> Result<Self, fst::Error> {
        if bytes.is_empty() {
            return Ok(Lexicon::empty());
        }
        Ok(Lexicon {
            map: Some(fst::Map::new(bytes)?),
        })
    }

    /// Whether the lexicon has any words.
    pub fn is_empty(&self) -> bool {
        self.map.as_ref().is_none_or(|m| m.is_empty())
    }

    /// How often the word with matching key `key` was seen (0 when unknown).
    pub fn count(&self, key: &str) -> u64 {
        self.map.as_ref().and_then(|m| m.get(key)).unwrap_or(0)
    }

    /// Number of distinct words.
    pub fn len(&self) -> usize {
        self.map.as_ref().map_or(0, |m| m.len())
    }
}

/// Builds the bytes of a lexicon from an iterator over texts, keeping words seen `min_count`
/// times or more.
pub fn build_lexicon<I, S>(texts: I, min_count: u64) -> Vec<u8>
where
    I: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    let mut counts: std::collections::HashMap<String, u64> = std::collections::HashMap::new();
    let mut buf = String::new();
    for text in texts {
        let text = text.as_ref();
        for (s, e, kind) in crate::token::spans(text) {
            if kind == crate::TokenKind::Word {
                normalize::key_into(&text[s..e], &mut buf);
                if let Some(n) = counts.get_mut(buf.as_str()) {
                    *n += 1;
                } else {
                    counts.insert(buf.clone(), 1);
                }
            }
        }
    }
    let mut words: Vec<(String, u64)> = counts
        .into_iter()
        .filter(|(_, n)| *n >= min_count)
        .collect();
    words.sort_unstable();
    let mut b = fst::MapBuilder::memory();
    for (w, n) in words {
        b.insert(w, n).expect("sorted, unique keys");
    }
    b.into_inner().expect("in-memory fst")
}

/// The result of splitting one word.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split {
    /// Proclitics, outermost first.
    pub prefixes: Vec<&'static str>,
    /// The stem in the orthographic normal form ([`normalize::normalize`]).
    pub stem: String,
    /// Enclitics, innermost first.
    pub suffixes: Vec<&'static str>,
}

/// Proclitic strings (in the orthographic form) and the parts they stand for, longest first.
const PROCLITICS: &[(&str, &[&str])] = &[
    ("وبال", &["و", "ب", "ال"]),
    ("فبال", &["ف", "ب", "ال"]),
    ("وكال", &["و", "ك", "ال"]),
    ("فكال", &["ف", "ك", "ال"]),
    ("ولل", &["و", "ل", "ال"]),
    ("فلل", &["ف", "ل", "ال"]),
    ("وال", &["و", "ال"]),
    ("فال", &["ف", "ال"]),
    ("بال", &["ب", "ال"]),
    ("كال", &["ك", "ال"]),
    ("لل", &["ل", "ال"]),
    ("ال", &["ال"]),
    ("وس", &["و", "س"]),
    ("فس", &["ف", "س"]),
    ("وب", &["و", "ب"]),
    ("فب", &["ف", "ب"]),
    ("ول", &["و", "ل"]),
    ("فل", &["ف", "ل"]),
    ("وك", &["و", "ك"]),
    ("س", &["س"]),
    ("و", &["و"]),
    ("ف", &["ف"]),
    ("ب", &["ب"]),
    ("ل", &["ل"]),
    ("ك", &["ك"]),
];

/// Enclitics split off the end, longest first. ي, ني, ك, كم are left alone: in news text they
/// are far more often part of a stem (nisba adjectives, ذلك, هناك) than pronouns.
const ENCLITICS: &[&str] = &["هما", "ها", "هم", "هن", "نا", "ه"];

/// Words that look like article + stem but are not (matching keys).
const NOT_ARTICLE: &[&str] = &[
    "الله",
    "الذي",
    "التي",
    "الذين",
    "اللذان",
    "اللتان",
    "اللذين",
    "اللتين",
    "اللاتي",
    "اللواتي",
    "اللائي",
    "الا",
    "الي",
    "الا",
    "الان",
    "الف",
    "الاف",
    "الفا",
    "اليوم",
    "الهي",
    "الهيه",
];

/// Short words that take pronoun suffixes (عليه، منها، فيه، لديهم) with a stem under three letters.
const SHORT_HOSTS: &[&str] = &[
    "في", "عن", "من", "علي", "الي", "مع", "لدي", "عند", "بين", "ان", "لكن", "ل", "ب", "منذ", "حول",
    "ضد", "عبر", "لان", "كان", "بعد", "قبل", "امام", "خلف", "فوق", "تحت", "نحو", "مثل", "دون",
    "حيث", "لعل", "ليت",
];

fn chars(s: &str) -> usize {
    s.chars().count()
}

/// Ratio a stem's frequency must reach, relative to the whole form, for an ambiguous split.
const MIN_RATIO: f64 = 0.05;

fn plausible(lex: &Lexicon, whole: &str, stem: &str) -> bool {
    let w = lex.count(&normalize::key(whole));
    let s = lex.count(&normalize::key(stem));
    s >= 3 && (s as f64) >= MIN_RATIO * (w as f64)
}

/// Splits a word given in the orthographic normal form ([`normalize::normalize`]).
pub fn split(word: &str, lex: &Lexicon) -> Split {
    let mut prefixes: Vec<&'static str> = Vec::new();
    let mut rest = word;
    let key = normalize::key(word);
    // a preposition with a pronoun (اليه، عليهم، منها) has no proclitic
    let host_with_pronoun = ENCLITICS.iter().any(|e| {
        key.strip_suffix(e)
            .is_some_and(|h| SHORT_HOSTS.contains(&h))
    });
    if !NOT_ARTICLE.contains(&key.as_str()) && !host_with_pronoun {
        for (p, parts) in PROCLITICS {
            let Some(r) = rest.strip_prefix(p) else {
                continue;
            };
            let has_article = parts.last() == Some(&"ال");
            let n = chars(r);
            let ok = if has_article {
                // ال + a stem of two letters or more, and not a word that only looks like it
                n >= 2 && !NOT_ARTICLE.contains(&normalize::key(&format!("ال{r}")).as_str())
            } else if parts.contains(&"س") {
                // future س only before an imperfect verb prefix
                n >= 3
                    && r.starts_with(['ي', 'ت', 'ن', 'ا'])
                    && !lex.is_empty()
                    && plausible(lex, rest, r)
            } else {
                n >= 3 && !lex.is_empty() && plausible(lex, rest, r)
            };
            if ok {
                prefixes.extend_from_slice(parts);
                rest = r;
                break;
            }
        }
    }
    let mut suffixes: Vec<&'static str> = Vec::new();
    let mut stem = rest.to_string();
    if !lex.is_empty() {
        for s in ENCLITICS {
            let Some(r) = rest.strip_suffix(s) else {
                continue;
            };
            let rkey = normalize::key(r);
            let n = chars(r);
            let host = SHORT_HOSTS.contains(&rkey.as_str());
            if !(host || n >= 3) {
                continue;
            }
            // عصيانا is an accusative with tanween, not عصيا + نا
            if *s == "نا" && r.ends_with('ا') {
                continue;
            }
            // ta marbuta becomes ت before a suffix: مدينتها = مدينة + ها
            let restored = r.strip_suffix('ت').map(|b| format!("{b}ة"));
            let via_ta = restored.as_deref().filter(|t| {
                plausible(lex, rest, t) && lex.count(&normalize::key(t)) > lex.count(&rkey)
            });
            if let Some(t) = via_ta {
                stem = t.to_string();
                suffixes.push(s);
                break;
            }
            if host || plausible(lex, rest, r) {
                stem = r.to_string();
                suffixes.push(s);
                break;
            }
        }
    }
    Split {
        prefixes,
        stem,
        suffixes,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(word: &str) -> (Vec<&'static str>, String, Vec<&'static str>) {
        let s = split(&normalize::normalize(word), Lexicon::builtin());
        (s.prefixes, normalize::key(&s.stem), s.suffixes)
    }

    #[test]
    fn article_combinations() {
        assert_eq!(parts("الموصل"), (vec!["ال"], "موصل".into(), vec![]));
        assert_eq!(parts("بالموصل"), (vec!["ب", "ال"], "موصل".into(), vec![]));
        assert_eq!(parts("للتنظيم"), (vec!["ل", "ال"], "تنظيم".into(), vec![]));
        assert_eq!(
            parts("وبالإنشقاق"),
            (vec!["و", "ب", "ال"], "انشقاق".into(), vec![])
        );
        assert_eq!(parts("والتي").0, vec!["و"]);
    }

    #[test]
    fn never_too_short() {
        for w in [
            "الى", "إلى", "الله", "التي", "الذي", "ألف", "فى", "في", "لا", "بها", "له",
        ] {
            assert!(parts(w).0.is_empty(), "{w} has no proclitic");
        }
    }
}
