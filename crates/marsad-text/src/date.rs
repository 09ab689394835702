//! Dates: absolute and relative date expressions resolved against the document date.
//!
//! Absolute dates: a day and a month name with or without a year (25 نوفمبر 2026, 25 تشرين الثاني
//! 2026, 25 تشرين الثاني with the year taken from the document), numeric dates (25/11/2026,
//! 2026-11-25, 25.11.2026), a month and a year (نوفمبر 2026), a year (عام 2015, 2015م). Month
//! names (`data/text/months.tsv`) are the Egyptian/Gulf ones (يناير …), the Levantine ones
//! (كانون الثاني …), the Maghrebi ones and the Hijri ones; Hijri dates (with هـ or a Hijri month)
//! are converted with the arithmetic (tabular) Islamic calendar.
//!
//! Relative dates need the document date and are skipped without it: أمس, أمس الأول, اليوم,
//! غدا, weekdays (الثلاثاء الماضي, يوم الثلاثاء: the most recent such day on or before the
//! document date; الثلاثاء المقبل: the next one after it), الأسبوع/الشهر/العام الماضي (and المقبل,
//! الجاري, هذا العام), خلال الأيام الأخيرة, الفترة الأخيرة, منذ/قبل ثلاثة أيام.
//!
//! Values: the day for day precision; the first day of the period for month and year precision;
//! for week precision the first day of the seven days meant (الأسبوع الماضي and الأيام الأخيرة →
//! the document date − 7 days; الأسبوع المقبل → the day after the document date).
//!
//! ```
//! use chrono::NaiveDate;
//! use marsad_text::date::{find_dates, DatePrecision};
//! let text = "هربوا خلال الأيام الأخيرة، وفي 25 نوفمبر 2026";
//! let doc = NaiveDate::from_ymd_opt(2026, 12, 1);
//! let d = find_dates(text, &marsad_text::token::tokenize(text), doc);
//! assert_eq!(&text[d[0].start..d[0].end], "خلال الأيام الأخيرة");
//! assert_eq!((d[0].value.to_string(), d[0].precision), ("2026-11-24".into(), DatePrecision::Week));
//! assert_eq!(d[1].value.to_string(), "2026-11-25");
//! ```

use crate::fxhash::{has_chars, FxMap};
use crate::token::{Token, TokenKind};
use chrono::{Datelike, Days, Months, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};
use std::sync::OnceLock;

pub use marsad_record::DatePrecision;

/// A date found in a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DateMention {
    /// First byte in the original text.
    pub start: usize,
    /// One past the last byte in the original text.
    pub end: usize,
    /// The date (the first day of the period for week, month and year precision).
    pub value: NaiveDate,
    /// How precise the date is.
    pub precision: DatePrecision,
    /// Whether the document date was needed to resolve it (أمس, الأسبوع الماضي, a missing year).
    pub relative: bool,
}

impl DateMention {
    /// The mention's span.
    pub fn span(&self) -> crate::Span {
        crate::Span::new(self.start, self.end)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Calendar {
    Gregorian,
    Hijri,
}

/// A month name: the words after the first one, its calendar and number.
struct MonthName {
    rest: Vec<String>,
    calendar: Calendar,
    month: u32,
}

struct Tables {
    /// First word key → month names, longest first.
    months: FxMap<String, Vec<MonthName>>,
    /// Weekday key without the article → weekday.
    weekdays: FxMap<String, Weekday>,
    /// The words a date expression can start with, without clitics: a quick filter.
    starters: FxMap<String, ()>,
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
];

const MONTHS: &str = include_str!("../../../data/text/months.tsv");
const WEEKDAYS: &str = include_str!("../../../data/text/weekdays.tsv");

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
    fn get() -> &'static Tables {
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
struct Bare<'a> {
    conj: bool,
    prep: Option<char>,
    article: bool,
    rest: &'a str,
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
fn bare(key: &str) -> Bare<'_> {
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
fn plain(b: &Bare<'_>, word: &str) -> bool {
    b.prep.is_none() && !b.article && b.rest == word
}

/// Whether the token is the article form of `word` (with at most a conjunction before it).
fn with_article(b: &Bare<'_>, word: &str) -> bool {
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
enum Dir {
    Past,
    Next,
    Current,
}

fn modifier(tok: Option<&Token>) -> Option<Dir> {
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

/// Days since the Hijri epoch, as an R.D. day count (day 1 = 1 January of year 1, proleptic
/// Gregorian), in the arithmetic Islamic calendar.
fn hijri_fixed(y: i64, m: i64, d: i64) -> i64 {
    const EPOCH: i64 = 227_015; // 16 July 622 Julian
    EPOCH - 1 + (y - 1) * 354 + (3 + 11 * y).div_euclid(30) + 29 * (m - 1) + m / 2 + d
}

/// Converts a date of the arithmetic Islamic calendar to the Gregorian calendar.
pub fn hijri_to_gregorian(year: i32, month: u32, day: u32) -> Option<NaiveDate> {
    if !(1..=9000).contains(&year) || !(1..=12).contains(&month) {
        return None;
    }
    let leap = (14 + 11 * i64::from(year)).rem_euclid(30) < 11;
    let len = if month % 2 == 1 || (month == 12 && leap) {
        30
    } else {
        29
    };
    if day == 0 || day > len {
        return None;
    }
    let rd = hijri_fixed(i64::from(year), i64::from(month), i64::from(day));
    NaiveDate::from_num_days_from_ce_opt(i32::try_from(rd).ok()?)
}

/// Converts a Gregorian date to the arithmetic Islamic calendar: (year, month, day).
pub fn gregorian_to_hijri(date: NaiveDate) -> (i32, u32, u32) {
    const EPOCH: i64 = 227_015;
    let rd = i64::from(date.num_days_from_ce());
    let year = (30 * (rd - EPOCH) + 10646).div_euclid(10631);
    let prior = rd - hijri_fixed(year, 1, 1);
    let month = ((11 * prior + 330).div_euclid(325)).clamp(1, 12);
    let day = rd - hijri_fixed(year, month, 1) + 1;
    (year as i32, month as u32, day as u32)
}

/// An integer written in digits only (no separators), with at most `max_len` digits.
fn int_token(tok: Option<&Token>, max_len: usize) -> Option<u32> {
    let t = tok?;
    if t.kind != TokenKind::Number || t.norm.len() > max_len {
        return None;
    }
    if !t.norm.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    t.norm.parse().ok()
}

struct Scan<'a> {
    text: &'a str,
    tokens: &'a [Token],
    doc: Option<NaiveDate>,
    t: &'static Tables,
}

/// A match: index after it, value, precision, relative.
type Found = (usize, NaiveDate, DatePrecision, bool);

impl Scan<'_> {
    fn tok(&self, j: usize) -> Option<&Token> {
        self.tokens.get(j)
    }

    fn norm(&self, j: usize) -> &str {
        self.tokens.get(j).map_or("", |t| t.norm.as_str())
    }

    fn punct(&self, j: usize) -> &str {
        match self.tokens.get(j) {
            Some(t) if t.kind == TokenKind::Punct => &self.text[t.start..t.end],
            _ => "",
        }
    }

    fn glued(&self, a: usize, b: usize) -> bool {
        match (self.tokens.get(a), self.tokens.get(b)) {
            (Some(x), Some(y)) => x.end == y.start,
            _ => false,
        }
    }

    /// A month name at `j` (the first word may carry و/ف/ب/ل): (calendar, month, index after).
    /// A second name after `/` (تشرين الثاني/نوفمبر) is taken in.
    fn month_at(&self, j: usize) -> Option<(Calendar, u32, usize)> {
        let t = self.tok(j).filter(|t| t.kind == TokenKind::Word)?;
        let names = self.t.months.get(t.norm.as_str()).or_else(|| {
            let b = bare(&t.norm);
            if b.article || !has_chars(b.rest, 3) {
                return None;
            }
            self.t.months.get(b.rest)
        })?;
        let (cal, month, mut end) = names.iter().find_map(|m| {
            let n = m.rest.len();
            (m.rest
                .iter()
                .enumerate()
                .all(|(k, w)| self.norm(j + 1 + k) == w))
            .then_some((m.calendar, m.month, j + 1 + n))
        })?;
        if self.punct(end) == "/" {
            if let Some(other) = self.tok(end + 1).and_then(|t| self.t.months.get(&t.norm)) {
                if let Some(m) = other.iter().find(|m| {
                    m.month == month
                        && m.calendar == cal
                        && m.rest
                            .iter()
                            .enumerate()
                            .all(|(k, w)| self.norm(end + 2 + k) == w)
                }) {
                    end += 2 + m.rest.len();
                }
            }
        }
        Some((cal, month, end))
    }

    /// A year at `j` with an optional era mark after it: (year, calendar mark, index after).
    fn year_at(&self, j: usize) -> Option<(i32, Option<Calendar>, usize)> {
        let tok = self.tok(j)?;
        if tok.kind != TokenKind::Number || !(3..=4).contains(&tok.norm.len()) {
            return None;
        }
        let y = int_token(Some(tok), 4).filter(|y| (100..3000).contains(y))?;
        let mark = match self.norm(j + 1) {
            "م" | "ميلادي" | "ميلاديه" => Some(Calendar::Gregorian),
            "ه" | "هجري" | "هجريه" => Some(Calendar::Hijri),
            _ => None,
        };
        Some((y as i32, mark, j + 1 + usize::from(mark.is_some())))
    }

    /// The year a day and month without a year refer to: the document's year, or the one before
    /// or after when that puts the date within six months of the document.
    fn infer_year(&self, cal: Calendar, month: u32, day: u32) -> Option<NaiveDate> {
        let doc = self.doc?;
        let (base, _, _) = match cal {
            Calendar::Gregorian => (doc.year(), 0, 0),
            Calendar::Hijri => gregorian_to_hijri(doc),
        };
        let make = |y: i32| match cal {
            Calendar::Gregorian => NaiveDate::from_ymd_opt(y, month, day),
            Calendar::Hijri => hijri_to_gregorian(y, month, day),
        };
        let d = make(base)?;
        let half = i64::from(if cal == Calendar::Gregorian { 183 } else { 177 });
        let diff = (d - doc).num_days();
        if diff > half {
            make(base - 1)
        } else if diff < -half {
            make(base + 1)
        } else {
            Some(d)
        }
    }

    fn make(cal: Calendar, y: i32, m: u32, d: u32) -> Option<NaiveDate> {
        match cal {
            Calendar::Gregorian => NaiveDate::from_ymd_opt(y, m, d),
            Calendar::Hijri => hijri_to_gregorian(y, m, d),
        }
    }

    /// Absolute dates starting at `i`.
    fn absolute(&self, i: usize) -> Option<Found> {
        let tok = self.tok(i)?;
        // يوم 25 نوفمبر
        if tok.kind == TokenKind::Word && plain(&bare(&tok.norm), "يوم") {
            let (end, v, p, r) = self.absolute(i + 1)?;
            return (p == DatePrecision::Day).then_some((end, v, p, r));
        }
        if tok.kind == TokenKind::Number {
            if let Some(f) = self.numeric(i) {
                return Some(f);
            }
            // 25 نوفمبر 2026, 25 من تشرين الثاني
            if let Some(day) = int_token(Some(tok), 2).filter(|d| (1..=31).contains(d)) {
                let m_at = if self.norm(i + 1) == "من" {
                    i + 2
                } else {
                    i + 1
                };
                if let Some((cal, month, end)) = self.month_at(m_at) {
                    let y_at = if matches!(self.norm(end), "عام" | "سنه") {
                        end + 1
                    } else {
                        end
                    };
                    if let Some((y, mark, yend)) = self.year_at(y_at) {
                        let cal = if mark == Some(Calendar::Hijri) {
                            Calendar::Hijri
                        } else {
                            cal
                        };
                        if let Some(v) = Self::make(cal, y, month, day) {
                            return Some((yend, v, DatePrecision::Day, false));
                        }
                    }
                    let v = self.infer_year(cal, month, day)?;
                    return Some((end, v, DatePrecision::Day, true));
                }
            }
            // 2015م, 1436 هـ
            if let Some((y, Some(cal), end)) = self.year_at(i) {
                let v = Self::make(cal, y, 1, 1)?;
                return Some((end, v, DatePrecision::Year, false));
            }
            return None;
        }
        if tok.kind != TokenKind::Word {
            return None;
        }
        let b = bare(&tok.norm);
        // عام 2015, العام 2015, لعام 1436 هـ
        if matches!(b.rest, "عام" | "سنه") {
            let (y, mark, end) = self.year_at(i + 1)?;
            let cal = mark.unwrap_or(Calendar::Gregorian);
            let v = Self::make(cal, y, 1, 1)?;
            return Some((end, v, DatePrecision::Year, false));
        }
        // شهر نوفمبر 2026 / شهر نوفمبر / نوفمبر 2026 / نوفمبر الماضي
        let (month_start, after_shahr) = if plain(&b, "شهر") || with_article(&b, "شهر") {
            (i + 1, true)
        } else {
            (i, false)
        };
        let (cal, month, end) = self.month_at(month_start)?;
        let y_at = if matches!(self.norm(end), "عام" | "سنه") {
            end + 1
        } else {
            end
        };
        if let Some((y, mark, yend)) = self.year_at(y_at) {
            let cal = if mark == Some(Calendar::Hijri) {
                Calendar::Hijri
            } else {
                cal
            };
            let v = Self::make(cal, y, month, 1)?;
            return Some((yend, v, DatePrecision::Month, false));
        }
        let doc = self.doc?;
        let (dy, dm) = match cal {
            Calendar::Gregorian => (doc.year(), doc.month()),
            Calendar::Hijri => {
                let (y, m, _) = gregorian_to_hijri(doc);
                (y, m)
            }
        };
        match modifier(self.tok(end)) {
            Some(Dir::Past) => {
                let y = if month < dm { dy } else { dy - 1 };
                let v = Self::make(cal, y, month, 1)?;
                Some((end + 1, v, DatePrecision::Month, true))
            }
            Some(Dir::Next) => {
                let y = if month > dm { dy } else { dy + 1 };
                let v = Self::make(cal, y, month, 1)?;
                Some((end + 1, v, DatePrecision::Month, true))
            }
            Some(Dir::Current) => {
                let v = Self::make(cal, dy, month, 1)?;
                Some((end + 1, v, DatePrecision::Month, true))
            }
            None if after_shahr => {
                let v = self.infer_year(cal, month, 1)?;
                Some((end, v, DatePrecision::Month, true))
            }
            None => None,
        }
    }

    /// 25/11/2026, 2026-11-25, 25.11.2026.
    fn numeric(&self, i: usize) -> Option<Found> {
        let tok = self.tok(i)?;
        let (parts, end): ([&str; 3], usize) =
            if tok.norm.bytes().filter(|&b| b == b'.').count() == 2 {
                let mut it = tok.norm.split('.');
                ([it.next()?, it.next()?, it.next()?], i + 1)
            } else {
                let sep = self.punct(i + 1);
                if !matches!(sep, "/" | "-")
                    || !self.glued(i, i + 1)
                    || !self.glued(i + 1, i + 2)
                    || self.punct(i + 3) != sep
                    || !self.glued(i + 2, i + 3)
                    || !self.glued(i + 3, i + 4)
                {
                    return None;
                }
                let num = |j: usize| {
                    self.tok(j)
                        .filter(|t| t.kind == TokenKind::Number)
                        .map(|t| t.norm.as_str())
                };
                ([num(i)?, num(i + 2)?, num(i + 4)?], i + 5)
            };
        if parts
            .iter()
            .any(|p| p.is_empty() || p.len() > 4 || !p.bytes().all(|b| b.is_ascii_digit()))
        {
            return None;
        }
        let mut n = [0u32; 3];
        for (v, p) in n.iter_mut().zip(parts) {
            *v = p.parse().ok()?;
        }
        let (y, m, d) = if parts[0].len() == 4 && parts[2].len() <= 2 {
            (n[0], n[1], n[2])
        } else if parts[2].len() == 4 && parts[0].len() <= 2 {
            (n[2], n[1], n[0])
        } else {
            return None;
        };
        // 25/11/1436 هـ: a Hijri mark after the date, or a year too early to be Gregorian
        let hijri_mark = matches!(self.norm(end), "ه" | "هجري" | "هجريه");
        let cal = if hijri_mark || y < 1600 {
            Calendar::Hijri
        } else {
            Calendar::Gregorian
        };
        let v = Self::make(cal, y as i32, m, d)?;
        Some((end + usize::from(hijri_mark), v, DatePrecision::Day, false))
    }

    /// Relative dates starting at `i` (the document date is known).
    fn relative(&self, i: usize, doc: NaiveDate) -> Option<Found> {
        let tok = self.tok(i).filter(|t| t.kind == TokenKind::Word)?;
        let b = bare(&tok.norm);
        let day = |n: u64, end: usize| {
            Some((
                end,
                doc.checked_sub_days(Days::new(n))?,
                DatePrecision::Day,
                true,
            ))
        };
        // أمس, الأمس, بالأمس, أمس الأول
        if b.rest == "امس" && (b.prep.is_none() || (b.prep == Some('ب') && b.article)) {
            if self.norm(i + 1) == "الاول" {
                return day(2, i + 2);
            }
            return day(1, i + 1);
        }
        // أول أمس, أول من أمس
        if plain(&b, "اول") {
            if self.norm(i + 1) == "امس" {
                return day(2, i + 2);
            }
            if self.norm(i + 1) == "من" && self.norm(i + 2) == "امس" {
                return day(2, i + 3);
            }
        }
        // اليوم (not اليوم العالمي, ذلك اليوم)
        if with_article(&b, "يوم") {
            let prev = if i > 0 { self.norm(i - 1) } else { "" };
            let next = self.tok(i + 1);
            let adjective = next.is_some_and(|n| {
                n.kind == TokenKind::Word
                    && n.norm.starts_with("ال")
                    && !self.t.weekdays.contains_key(&n.norm["ال".len()..])
            });
            if !adjective && !matches!(prev, "ذلك" | "نفس" | "ذات" | "ذاك" | "تلك") {
                return day(0, i + 1);
            }
            return None;
        }
        // غدا, بعد غد
        if plain(&b, "غدا") {
            return Some((
                i + 1,
                doc.checked_add_days(Days::new(1))?,
                DatePrecision::Day,
                true,
            ));
        }
        if plain(&b, "بعد") && self.norm(i + 1) == "غد" {
            return Some((
                i + 2,
                doc.checked_add_days(Days::new(2))?,
                DatePrecision::Day,
                true,
            ));
        }
        // يوم الثلاثاء, الثلاثاء الماضي
        if let Some(f) = self.weekday(i, doc) {
            return Some(f);
        }
        // الأسبوع/الشهر/العام الماضي, هذا العام
        let this = matches!(b.rest, "هذا" | "هذه") && b.prep.is_none();
        let pb = if this { bare(self.norm(i + 1)) } else { b };
        if pb.article && matches!(pb.rest, "اسبوع" | "شهر" | "عام" | "سنه") {
            let k = i + usize::from(this);
            let (dir, end) = match modifier(self.tok(k + 1)) {
                Some(d) if !this => (d, k + 2),
                None if this => (Dir::Current, k + 1),
                _ => return None,
            };
            let (v, p) = period(doc, pb.rest, dir)?;
            return Some((end, v, p, true));
        }
        // خلال الأيام الأخيرة, في الأيام القليلة الماضية
        let k = if plain(&b, "خلال") || plain(&b, "في") {
            i + 1
        } else {
            i
        };
        let kb = bare(self.norm(k));
        if kb.article && matches!(kb.rest, "ايام" | "فتره" | "اونه") {
            let mut end = k + 1;
            if self.norm(end) == "القليله" {
                end += 1;
            }
            if modifier(self.tok(end)) == Some(Dir::Past) {
                let end = end + 1;
                if kb.rest == "ايام" {
                    let v = doc.checked_sub_days(Days::new(7))?;
                    return Some((end, v, DatePrecision::Week, true));
                }
                let v = first_of_month(doc.checked_sub_months(Months::new(1))?);
                return Some((end, v, DatePrecision::Month, true));
            }
        }
        // منذ ثلاثة أيام, قبل يومين
        if plain(&b, "منذ") || plain(&b, "قبل") {
            return self.ago(i + 1, doc);
        }
        None
    }

    /// A weekday at `i` (with يوم before it, a modifier after it, or alone).
    fn weekday(&self, i: usize, doc: NaiveDate) -> Option<Found> {
        let tok = self.tok(i)?;
        let b = bare(&tok.norm);
        let (wd_at, yawm) = if plain(&b, "يوم") {
            (i + 1, true)
        } else {
            (i, false)
        };
        let wb = bare(self.norm(wd_at));
        if !wb.article || wb.prep.is_some() || (yawm && wb.conj) {
            return None;
        }
        let &wd = self.t.weekdays.get(wb.rest)?;
        // الأحد عشر (eleven), صلاة الجمعة, كلا الاثنين
        let prev = if wd_at > 0 { self.norm(wd_at - 1) } else { "" };
        if !yawm
            && (matches!(self.norm(wd_at + 1), "عشر" | "عشره")
                || matches!(prev, "صلاه" | "خطبه" | "كلا" | "بين"))
        {
            return None;
        }
        let dir = modifier(self.tok(wd_at + 1));
        let end = wd_at + 1 + usize::from(dir.is_some());
        let from = doc.weekday().num_days_from_monday();
        let to = wd.num_days_from_monday();
        let v = match dir {
            Some(Dir::Next) => {
                let ahead = (to + 7 - from) % 7;
                doc.checked_add_days(Days::new(u64::from(if ahead == 0 { 7 } else { ahead })))?
            }
            _ => doc.checked_sub_days(Days::new(u64::from((from + 7 - to) % 7)))?,
        };
        Some((end, v, DatePrecision::Day, true))
    }

    /// The duration after منذ/قبل at `j`: (index after, date, precision).
    fn ago(&self, j: usize, doc: NaiveDate) -> Option<Found> {
        let (n, unit_at) = match crate::number::number_at(self.text, self.tokens, j) {
            Some((end, v, false)) if v >= 1.0 && v.fract() == 0.0 && v <= 10_000.0 => {
                (Some(v as u32), end)
            }
            Some(_) => return None,
            None => (None, j),
        };
        let u = self.tok(unit_at).filter(|t| t.kind == TokenKind::Word)?;
        // (unit, count implied by the word: 1 singular, 2 dual, 0 plural)
        let (unit, implied) = match u.norm.as_str() {
            "يوم" | "يوما" => ('d', 1),
            "يومين" | "يومان" => ('d', 2),
            "ايام" => ('d', 0),
            "اسبوع" | "اسبوعا" => ('w', 1),
            "اسبوعين" | "اسبوعان" => ('w', 2),
            "اسابيع" => ('w', 0),
            "شهر" | "شهرا" => ('m', 1),
            "شهرين" | "شهران" => ('m', 2),
            "اشهر" | "شهور" => ('m', 0),
            "عام" | "عاما" | "سنه" => ('y', 1),
            "عامين" | "عامان" | "سنتين" | "سنتان" => ('y', 2),
            "اعوام" | "سنوات" | "سنين" => ('y', 0),
            _ => return None,
        };
        let end = unit_at + 1;
        // منذ عام 2015, قبل يومين من الانتخابات, منذ شهر رمضان: not counted back from the document
        let next = self.tok(end);
        if next.is_some_and(|t| t.kind == TokenKind::Number)
            || matches!(self.norm(end), "من" | "علي")
            || self.month_at(end).is_some()
        {
            return None;
        }
        let count = match (n, implied) {
            (Some(n), 0 | 1) => n,
            (None, 0) if unit == 'd' => {
                // منذ أيام: some days ago, the week before the document
                let v = doc.checked_sub_days(Days::new(7))?;
                return Some((end, v, DatePrecision::Week, true));
            }
            (None, 0) => return None,
            (None, k) => k,
            (Some(_), _) => return None, // 3 يومين
        };
        let c = u64::from(count);
        let (v, p) = match unit {
            'd' => (doc.checked_sub_days(Days::new(c))?, DatePrecision::Day),
            'w' => (doc.checked_sub_days(Days::new(7 * c))?, DatePrecision::Week),
            'm' => (
                first_of_month(doc.checked_sub_months(Months::new(count))?),
                DatePrecision::Month,
            ),
            _ => (
                NaiveDate::from_ymd_opt(doc.year().checked_sub(i32::try_from(count).ok()?)?, 1, 1)?,
                DatePrecision::Year,
            ),
        };
        Some((end, v, p, true))
    }
}

fn first_of_month(d: NaiveDate) -> NaiveDate {
    d.with_day(1).unwrap_or(d)
}

/// The period الأسبوع/الشهر/العام + direction, relative to `doc`.
fn period(doc: NaiveDate, unit: &str, dir: Dir) -> Option<(NaiveDate, DatePrecision)> {
    Some(match (unit, dir) {
        ("اسبوع", Dir::Past) => (doc.checked_sub_days(Days::new(7))?, DatePrecision::Week),
        ("اسبوع", Dir::Next) => (doc.checked_add_days(Days::new(1))?, DatePrecision::Week),
        ("اسبوع", Dir::Current) => (
            doc.checked_sub_days(Days::new(u64::from(doc.weekday().num_days_from_sunday())))?,
            DatePrecision::Week,
        ),
        ("شهر", Dir::Past) => (
            first_of_month(doc.checked_sub_months(Months::new(1))?),
            DatePrecision::Month,
        ),
        ("شهر", Dir::Next) => (
            first_of_month(doc.checked_add_months(Months::new(1))?),
            DatePrecision::Month,
        ),
        ("شهر", Dir::Current) => (first_of_month(doc), DatePrecision::Month),
        (_, d) => {
            let y = match d {
                Dir::Past => doc.year().checked_sub(1)?,
                Dir::Next => doc.year().checked_add(1)?,
                Dir::Current => doc.year(),
            };
            (NaiveDate::from_ymd_opt(y, 1, 1)?, DatePrecision::Year)
        }
    })
}

/// Finds the dates in `text` (tokenized as `tokens`), in order, never overlapping. Relative
/// dates are resolved against `doc_date` and skipped without it.
pub fn find_dates(text: &str, tokens: &[Token], doc_date: Option<NaiveDate>) -> Vec<DateMention> {
    let scan = Scan {
        text,
        tokens,
        doc: doc_date,
        t: Tables::get(),
    };
    let mut out = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        let tok = &tokens[i];
        let may_start = match tok.kind {
            TokenKind::Number => true,
            TokenKind::Word => {
                scan.t.starters.contains_key(tok.norm.as_str())
                    || scan.t.starters.contains_key(bare(&tok.norm).rest)
            }
            _ => false,
        };
        if !may_start {
            i += 1;
            continue;
        }
        match scan.at(i) {
            Some((start, (end, value, precision, relative))) if end > i => {
                out.push(DateMention {
                    start: tokens[start].start,
                    end: tokens[end - 1].end,
                    value,
                    precision,
                    relative,
                });
                i = end;
            }
            _ => i += 1,
        }
    }
    out
}

impl Scan<'_> {
    /// The date starting at token `i`: (first token, match).
    fn at(&self, i: usize) -> Option<(usize, Found)> {
        // a weekday (يوم الخميس،) before an absolute date belongs to it
        if let Some(doc) = self.doc {
            if let Some((wend, ..)) = self.weekday(i, doc) {
                let next = if self.punct(wend) == "،" || self.punct(wend) == "," {
                    wend + 1
                } else {
                    wend
                };
                if let Some(f) = self.absolute(next) {
                    return Some((i, f));
                }
            }
        }
        if let Some(f) = self.absolute(i) {
            return Some((i, f));
        }
        let doc = self.doc?;
        let f = self.relative(i, doc)?;
        Some((i, f))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use DatePrecision::*;

    fn ymd(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    /// (text, [(span text, date, precision, relative)]) with the document dated 2026-11-25 (a
    /// Wednesday).
    type DCase = (
        &'static str,
        &'static [(&'static str, &'static str, DatePrecision, bool)],
    );
    const DATES: &[DCase] = &[
        ("وصل أمس", &[("أمس", "2026-11-24", Day, true)]),
        ("وصل أمس الأول", &[("أمس الأول", "2026-11-23", Day, true)]),
        ("وصل أول أمس", &[("أول أمس", "2026-11-23", Day, true)]),
        ("وصل بالأمس", &[("بالأمس", "2026-11-24", Day, true)]),
        ("قال اليوم إن", &[("اليوم", "2026-11-25", Day, true)]),
        ("يصل غداً", &[("غداً", "2026-11-26", Day, true)]),
        (
            "الثلاثاء الماضي",
            &[("الثلاثاء الماضي", "2026-11-24", Day, true)],
        ),
        ("يوم الثلاثاء", &[("يوم الثلاثاء", "2026-11-24", Day, true)]),
        ("قال، الجمعة، إن", &[("الجمعة", "2026-11-20", Day, true)]),
        ("الأربعاء", &[("الأربعاء", "2026-11-25", Day, true)]),
        (
            "الخميس المقبل",
            &[("الخميس المقبل", "2026-11-26", Day, true)],
        ),
        (
            "الأسبوع الماضي",
            &[("الأسبوع الماضي", "2026-11-18", Week, true)],
        ),
        (
            "الشهر الماضي",
            &[("الشهر الماضي", "2026-10-01", Month, true)],
        ),
        (
            "الشهر المقبل",
            &[("الشهر المقبل", "2026-12-01", Month, true)],
        ),
        (
            "العام الماضي",
            &[("العام الماضي", "2025-01-01", Year, true)],
        ),
        (
            "السنة الماضية",
            &[("السنة الماضية", "2025-01-01", Year, true)],
        ),
        ("هذا العام", &[("هذا العام", "2026-01-01", Year, true)]),
        (
            "خلال العام الجاري",
            &[("العام الجاري", "2026-01-01", Year, true)],
        ),
        (
            "هربوا خلال الأيام الأخيرة",
            &[("خلال الأيام الأخيرة", "2026-11-18", Week, true)],
        ),
        (
            "في الأيام القليلة الماضية",
            &[("في الأيام القليلة الماضية", "2026-11-18", Week, true)],
        ),
        (
            "في الفترة الأخيرة",
            &[("في الفترة الأخيرة", "2026-10-01", Month, true)],
        ),
        (
            "منذ ثلاثة أيام",
            &[("منذ ثلاثة أيام", "2026-11-22", Day, true)],
        ),
        ("قبل 3 أيام", &[("قبل 3 أيام", "2026-11-22", Day, true)]),
        ("قبل يومين", &[("قبل يومين", "2026-11-23", Day, true)]),
        ("منذ أسبوعين", &[("منذ أسبوعين", "2026-11-11", Week, true)]),
        ("منذ 3 أشهر", &[("منذ 3 أشهر", "2026-08-01", Month, true)]),
        ("منذ عامين", &[("منذ عامين", "2024-01-01", Year, true)]),
        ("منذ أيام", &[("منذ أيام", "2026-11-18", Week, true)]),
        ("منذ عام 2015", &[("عام 2015", "2015-01-01", Year, false)]),
        (
            "في العام 2015",
            &[("العام 2015", "2015-01-01", Year, false)],
        ),
        ("حتى 2015م", &[("2015م", "2015-01-01", Year, false)]),
        (
            "في 25 نوفمبر 2026",
            &[("25 نوفمبر 2026", "2026-11-25", Day, false)],
        ),
        (
            "في ٢٥ نوفمبر ٢٠٢٦",
            &[("٢٥ نوفمبر ٢٠٢٦", "2026-11-25", Day, false)],
        ),
        (
            "25 تشرين الثاني 2026",
            &[("25 تشرين الثاني 2026", "2026-11-25", Day, false)],
        ),
        (
            "25 تشرين الثاني/نوفمبر 2026",
            &[("25 تشرين الثاني/نوفمبر 2026", "2026-11-25", Day, false)],
        ),
        (
            "25 تشرين الثاني",
            &[("25 تشرين الثاني", "2026-11-25", Day, true)],
        ),
        ("3 يناير", &[("3 يناير", "2027-01-03", Day, true)]),
        ("5 آب الماضي", &[("5 آب", "2026-08-05", Day, true)]),
        (
            "الخميس 19 نوفمبر 2026",
            &[("الخميس 19 نوفمبر 2026", "2026-11-19", Day, false)],
        ),
        ("في 25/11/2026", &[("25/11/2026", "2026-11-25", Day, false)]),
        ("في 2026-11-25", &[("2026-11-25", "2026-11-25", Day, false)]),
        ("في 25.11.2026", &[("25.11.2026", "2026-11-25", Day, false)]),
        (
            "في نوفمبر 2026",
            &[("نوفمبر 2026", "2026-11-01", Month, false)],
        ),
        (
            "في تشرين الثاني 2026",
            &[("تشرين الثاني 2026", "2026-11-01", Month, false)],
        ),
        (
            "في مارس الماضي",
            &[("مارس الماضي", "2026-03-01", Month, true)],
        ),
        (
            "في نوفمبر الماضي",
            &[("نوفمبر الماضي", "2025-11-01", Month, true)],
        ),
        ("خلال شهر يناير", &[("شهر يناير", "2027-01-01", Month, true)]),
        (
            "1 رمضان 1436 هـ",
            &[("1 رمضان 1436 هـ", "2015-06-18", Day, false)],
        ),
        (
            "في 1 محرم 1447هـ",
            &[("1 محرم 1447هـ", "2025-06-27", Day, false)],
        ),
        (
            "رمضان 1436 هـ",
            &[("رمضان 1436 هـ", "2015-06-18", Month, false)],
        ),
        ("عام 1436 هـ", &[("عام 1436 هـ", "2014-10-25", Year, false)]),
        // not dates
        ("باب الدار", &[]),
        ("مارس الضغط", &[]),
        ("بعد صلاة الجمعة", &[]),
        ("اليوم العالمي للمرأة", &[]),
        ("الأحد عشر", &[]),
        ("قبل يومين من الانتخابات", &[]),
        ("في ذلك اليوم", &[]),
        // an impossible day leaves the month
        (
            "25/13/2026 و 31 فبراير 2026",
            &[("فبراير 2026", "2026-02-01", Month, false)],
        ),
    ];

    #[test]
    fn date_table() {
        let doc = Some(ymd("2026-11-25"));
        for (text, want) in DATES {
            let toks = crate::token::tokenize(text);
            let got: Vec<_> = find_dates(text, &toks, doc)
                .iter()
                .map(|d| {
                    (
                        &text[d.start..d.end],
                        d.value.to_string(),
                        d.precision,
                        d.relative,
                    )
                })
                .collect();
            let want: Vec<_> = want
                .iter()
                .map(|(s, v, p, r)| (*s, v.to_string(), *p, *r))
                .collect();
            assert_eq!(got, want, "dates of {text:?}");
        }
    }

    #[test]
    fn relative_dates_need_a_document_date() {
        let text = "وصل أمس في 25 تشرين الثاني، وغادر في 25 نوفمبر 2026 الأسبوع الماضي";
        let d = find_dates(text, &crate::token::tokenize(text), None);
        assert_eq!(d.len(), 1);
        assert_eq!(&text[d[0].start..d[0].end], "25 نوفمبر 2026");
    }

    #[test]
    fn hijri_round_trip() {
        assert_eq!(hijri_to_gregorian(1, 1, 1), Some(ymd("0622-07-19")));
        for y in [1, 2, 1300, 1436, 1446, 1447, 1500] {
            for m in 1..=12 {
                for d in [1, 15, 29] {
                    let g = hijri_to_gregorian(y, m, d).unwrap();
                    assert_eq!(gregorian_to_hijri(g), (y, m, d), "{y}-{m}-{d}");
                }
            }
        }
        assert_eq!(hijri_to_gregorian(1436, 2, 30), None, "Safar has 29 days");
        // the day after the last of a year is 1 Muharram of the next
        let last = hijri_to_gregorian(1446, 12, 29).unwrap();
        let next = last.checked_add_days(Days::new(1)).unwrap();
        let (y, m, d) = gregorian_to_hijri(next);
        assert!((y, m, d) == (1447, 1, 1) || (y, m, d) == (1446, 12, 30));
    }

    #[test]
    fn serde_names() {
        assert_eq!(serde_json::to_string(&Week).unwrap(), "\"week\"");
    }
}
