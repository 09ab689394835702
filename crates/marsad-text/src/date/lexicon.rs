//! The lexicon: month and weekday names (`data/text/`), the words a date expression starts
//! with, the words for past, next and current, and the splitting of proclitics off a word.

use crate::fxhash::{has_chars, FxMap};
use crate::token::Token;
use chrono::Weekday;
use std::sync::OnceLock;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Calendar {
    Gregorian,
    Hijri,
}

/// A month name: the words after the first one, its calendar and number.
pub(super) struct MonthName {
    pub(super) rest: Vec<String>,
    pub(super) calendar: Calendar,
    pub(super) month: u32,
}

pub(super) struct Tables {
    /// First word key → month names, longest first.
    pub(super) months: FxMap<String, Vec<MonthName>>,
    /// Weekday key without the article → weekday.
    pub(super) weekdays: FxMap<String, Weekday>,
    /// The words a date expression can start with, without clitics: a quick filter.
    pub(super) starters: FxMap<String, ()>,
}

/// Words that start a date expression (besides month and weekday names), as keys without
/// clitics.
const STARTERS: &[&str] = &[
    "يوم",
    "شهر",
    "عام",
    "سنه",
    "اسبوع",
    "ايام",
    "فتره",
    "اونه",
    "امس",
    "اول",
    "غدا",
    "بعد",
    "خلال",
    "في",
    "منذ",
    "قبل",
    "هذا",
    "هذه",
    // ordinal days (التاسع من أغسطس)
    "ثاني",
    "ثالث",
    "رابع",
    "خامس",
    "سادس",
    "سابع",
    "ثامن",
    "تاسع",
    "عاشر",
    "حادي",
    "عشرين",
    "ثلاثين",
];

const MONTHS: &str = include_str!("../../../../data/text/months.tsv");
const WEEKDAYS: &str = include_str!("../../../../data/text/weekdays.tsv");

fn data_lines(src: &'static str) -> impl Iterator<Item = Vec<&'static str>> {
    src.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| l.split('\t').map(str::trim).collect())
}

fn parse_weekday(s: &str) -> Option<Weekday> {
    Some(match s {
        "mon" => Weekday::Mon,
        "tue" => Weekday::Tue,
        "wed" => Weekday::Wed,
        "thu" => Weekday::Thu,
        "fri" => Weekday::Fri,
        "sat" => Weekday::Sat,
        "sun" => Weekday::Sun,
        _ => return None,
    })
}

impl Tables {
    pub(super) fn get() -> &'static Tables {
        static T: OnceLock<Tables> = OnceLock::new();
        T.get_or_init(|| {
            let mut months: FxMap<String, Vec<MonthName>> = FxMap::default();
            for f in data_lines(MONTHS) {
                let [name, cal, n] = f[..] else { continue };
                let calendar = match cal {
                    "gregorian" => Calendar::Gregorian,
                    "hijri" => Calendar::Hijri,
                    _ => continue,
                };
                let Ok(month) = n.parse::<u32>() else {
                    continue;
                };
                if !(1..=12).contains(&month) {
                    continue;
                }
                let mut words = name.split_whitespace().map(crate::normalize::key);
                let Some(first) = words.next() else { continue };
                months.entry(first).or_default().push(MonthName {
                    rest: words.collect(),
                    calendar,
                    month,
                });
            }
            for v in months.values_mut() {
                v.sort_by_key(|m| std::cmp::Reverse(m.rest.len()));
            }
            let mut weekdays = FxMap::default();
            for f in data_lines(WEEKDAYS) {
                let [name, d] = f[..] else { continue };
                if let Some(d) = parse_weekday(d) {
                    let k = crate::normalize::key(name);
                    let bare = k.strip_prefix("ال").unwrap_or(&k).to_string();
                    weekdays.insert(bare, d);
                }
            }
            let starters = months
                .keys()
                .chain(weekdays.keys())
                .cloned()
                .chain(STARTERS.iter().map(|w| w.to_string()))
                .map(|w| (w, ()))
                .collect();
            Tables {
                months,
                weekdays,
                starters,
            }
        })
    }
}

/// A word key split into its proclitics: conjunction و/ف, preposition ب/ل/ك, article, and the
/// bare rest.
#[derive(Debug, Clone, Copy)]
pub(super) struct Bare<'a> {
    pub(super) conj: bool,
    pub(super) prep: Option<char>,
    pub(super) article: bool,
    pub(super) rest: &'a str,
}

fn strip_char<'a>(s: &'a str, set: &[char], min_left: usize) -> Option<(char, &'a str)> {
    let c = s.chars().next()?;
    if !set.contains(&c) {
        return None;
    }
    let r = &s[c.len_utf8()..];
    has_chars(r, min_left).then_some((c, r))
}

/// Splits the proclitics off a key. Only splits that leave two letters or more are made.
pub(super) fn bare(key: &str) -> Bare<'_> {
    let mut b = Bare {
        conj: false,
        prep: None,
        article: false,
        rest: key,
    };
    if let Some((_, r)) = strip_char(b.rest, &['و', 'ف'], 3) {
        b.conj = true;
        b.rest = r;
    }
    if let Some((c, r)) = strip_char(b.rest, &['ب', 'ل', 'ك'], 3) {
        if c == 'ل' && r.starts_with('ل') && has_chars(r, 3) {
            // لل: ل + ال with the alef elided
            b.prep = Some(c);
            b.article = true;
            b.rest = &r['ل'.len_utf8()..];
            return b;
        }
        b.prep = Some(c);
        b.rest = r;
    }
    if let Some(r) = b.rest.strip_prefix("ال") {
        if has_chars(r, 2) {
            b.article = true;
            b.rest = r;
        }
    }
    b
}

/// Whether the bare key is the plain word (no clitics), or the word with only a conjunction.
pub(super) fn plain(b: &Bare<'_>, word: &str) -> bool {
    b.prep.is_none() && !b.article && b.rest == word
}

/// Whether the token is the article form of `word` (with at most a conjunction before it).
pub(super) fn with_article(b: &Bare<'_>, word: &str) -> bool {
    b.prep.is_none() && b.article && b.rest == word
}

const PAST: &[&str] = &[
    "ماضي",
    "ماضيه",
    "فائت",
    "فائته",
    "منصرم",
    "منصرمه",
    "سابق",
    "سابقه",
    "اخير",
    "اخيره",
];
const NEXT: &[&str] = &["مقبل", "مقبله", "قادم", "قادمه", "تالي", "تاليه"];
const CURRENT: &[&str] = &["جاري", "جاريه", "حالي", "حاليه"];

/// Which way a modifier word points.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Dir {
    Past,
    Next,
    Current,
}

pub(super) fn modifier(tok: Option<&Token>) -> Option<Dir> {
    let t = tok?;
    let r = t.norm.strip_prefix("ال")?;
    if PAST.contains(&r) {
        Some(Dir::Past)
    } else if NEXT.contains(&r) {
        Some(Dir::Next)
    } else if CURRENT.contains(&r) {
        Some(Dir::Current)
    } else {
        None
    }
}
