//! Numbers: digits and Arabic number words to values, with approximators as bounds.
//!
//! Digits come in ASCII, Arabic-Indic and Persian forms with `.`/`٫` decimals and `,`/`٬`
//! thousands (15, ١٥, 2٫5, 1,500). Number words (`data/text/number-words.tsv`) combine as Arabic
//! counts do: خمسة وعشرون, ثلاثة عشر, ثلاث مئة, 2.5 مليون, 15 ألف, مليون و200 ألف. The vague plurals
//! عشرات, مئات, آلاف give an approximate lower bound (عشرات → at least 20). Words around the
//! number (`data/text/quantity-bounds.tsv`) make it approximate (حوالى, نحو, قرابة) or a bound
//! (أكثر من → at least, تصل إلى → up to). Clitics on the words are handled: وثلاثة, بنحو, بالآلاف.
//!
//! ```
//! use marsad_text::number::{find_quantities, parse_number, Bound};
//! let text = "رشاوى تصل إلى 500 دولار، وهرب حوالى 15 من القادة";
//! let q = find_quantities(text, &marsad_text::token::tokenize(text));
//! assert_eq!((q[0].value, q[0].bound), (500.0, Bound::UpTo));
//! assert_eq!(&text[q[0].start..q[0].end], "تصل إلى 500");
//! assert!(q[1].approximate && q[1].value == 15.0);
//! assert_eq!(parse_number("خمسة وعشرون"), Some(25.0));
//! assert_eq!(parse_number("2.5 مليون"), Some(2_500_000.0));
//! ```

use crate::fxhash::{has_chars, FxMap};
use crate::token::{Token, TokenKind};
use serde::{Deserialize, Serialize};
use std::sync::OnceLock;

pub use marsad_record::Bound;

/// A quantity found in a text: its span (approximator words included), value and bound.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Quantity {
    /// First byte in the original text.
    pub start: usize,
    /// One past the last byte in the original text.
    pub end: usize,
    /// The number.
    pub value: f64,
    /// Whether the text says the number is approximate (حوالى, نحو) or vague (عشرات).
    pub approximate: bool,
    /// Whether the number is a lower or upper bound.
    pub bound: Bound,
    /// What it measures, when a unit follows it (`data/text/units.tsv`): then it counts no
    /// people (48 ساعة, 12 عاما, 10 في المئة).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<Unit>,
}

impl Quantity {
    /// The quantity's span.
    pub fn span(&self) -> crate::Span {
        crate::Span::new(self.start, self.end)
    }

    /// Whether it may count people or things: no unit of measure follows it.
    pub fn is_count(&self) -> bool {
        self.unit.is_none()
    }
}

/// A unit of measure after a number (`data/text/units.tsv`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    /// Seconds to centuries: a duration, an age, a time ago.
    Time,
    /// Metres, kilometres, miles.
    Length,
    /// A share: في المئة, %.
    Percent,
    /// Tonnes, kilograms.
    Weight,
    /// A currency.
    Money,
    /// Repetitions: مرة, مرات.
    Times,
}

fn parse_unit(s: &str) -> Option<Unit> {
    Some(match s {
        "time" => Unit::Time,
        "length" => Unit::Length,
        "percent" => Unit::Percent,
        "weight" => Unit::Weight,
        "money" => Unit::Money,
        "times" => Unit::Times,
        _ => return None,
    })
}

/// What part a number word plays (see `data/text/number-words.tsv`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Unit,
    Teen,
    Ten,
    Hundred,
    Scale,
    Dual,
    Plural,
    Vague,
    Fraction,
}

/// A phrase that qualifies a number.
#[derive(Debug, Clone)]
struct Phrase {
    /// Words after the first one, as matching keys.
    rest: Vec<String>,
    bound: Bound,
    approximate: bool,
}

/// The number words, bound phrases and units, loaded once.
struct Tables {
    words: FxMap<String, (f64, Kind)>,
    /// First word → phrases before a number, longest first.
    before: FxMap<String, Vec<Phrase>>,
    /// First word → phrases after a number, longest first.
    after: FxMap<String, Vec<Phrase>>,
    /// First word → (other words, unit), longest first.
    units: FxMap<String, Vec<(Vec<String>, Unit)>>,
    /// Words right before a number that make it a measure (الساعة 10).
    units_before: FxMap<String, Unit>,
    /// Words right before a four-digit number that make it a year (منذ 2011).
    years_after: FxMap<String, Unit>,
}

fn data_lines(src: &'static str) -> impl Iterator<Item = Vec<&'static str>> {
    src.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| l.split('\t').map(str::trim).collect())
}

fn parse_kind(s: &str) -> Option<Kind> {
    Some(match s {
        "unit" => Kind::Unit,
        "teen" => Kind::Teen,
        "ten" => Kind::Ten,
        "hundred" => Kind::Hundred,
        "scale" => Kind::Scale,
        "dual" => Kind::Dual,
        "plural" => Kind::Plural,
        "vague" => Kind::Vague,
        "fraction" => Kind::Fraction,
        _ => return None,
    })
}

fn parse_bound(s: &str) -> Option<Bound> {
    Some(match s {
        "exact" => Bound::Exact,
        "at_least" => Bound::AtLeast,
        "up_to" => Bound::UpTo,
        _ => return None,
    })
}

const NUMBER_WORDS: &str = include_str!("../../../../data/text/number-words.tsv");
const BOUND_PHRASES: &str = include_str!("../../../../data/text/quantity-bounds.tsv");
const UNITS: &str = include_str!("../../../../data/text/units.tsv");

impl Tables {
    fn get() -> &'static Tables {
        static T: OnceLock<Tables> = OnceLock::new();
        T.get_or_init(Tables::load)
    }

    fn load() -> Tables {
        let mut words = FxMap::default();
        for f in data_lines(NUMBER_WORDS) {
            if let [w, v, k] = f[..] {
                if let (Ok(v), Some(k)) = (v.parse::<f64>(), parse_kind(k)) {
                    words.insert(crate::normalize::key(w), (v, k));
                }
            }
        }
        let mut before: FxMap<String, Vec<Phrase>> = FxMap::default();
        let mut after: FxMap<String, Vec<Phrase>> = FxMap::default();
        for f in data_lines(BOUND_PHRASES) {
            let [p, b, a, w] = f[..] else { continue };
            let Some(bound) = parse_bound(b) else {
                continue;
            };
            let mut keys = p.split_whitespace().map(crate::normalize::key);
            let Some(first) = keys.next() else { continue };
            let phrase = Phrase {
                rest: keys.collect(),
                bound,
                approximate: a == "yes",
            };
            let map = if w == "after" {
                &mut after
            } else {
                &mut before
            };
            map.entry(first).or_default().push(phrase);
        }
        for v in before.values_mut().chain(after.values_mut()) {
            v.sort_by_key(|p| std::cmp::Reverse(p.rest.len()));
        }
        let mut units: FxMap<String, Vec<(Vec<String>, Unit)>> = FxMap::default();
        let mut units_before = FxMap::default();
        let mut years_after = FxMap::default();
        for f in data_lines(UNITS) {
            let (p, u, place) = match f[..] {
                [p, u] => (p, u, "after"),
                [p, u, w] => (p, u, w),
                _ => continue,
            };
            let Some(unit) = parse_unit(u) else { continue };
            match place {
                "before" => {
                    units_before.insert(crate::normalize::key(p), unit);
                }
                "year" => {
                    years_after.insert(crate::normalize::key(p), unit);
                }
                _ => {
                    let mut keys = p.split_whitespace().map(crate::normalize::key);
                    let Some(first) = keys.next() else { continue };
                    units.entry(first).or_default().push((keys.collect(), unit));
                }
            }
        }
        for v in units.values_mut() {
            v.sort_by_key(|(rest, _)| std::cmp::Reverse(rest.len()));
        }
        Tables {
            words,
            before,
            after,
            units,
            units_before,
            years_after,
        }
    }

    /// The unit a word right before the number at token `i` gives it: a measure word before
    /// any number (الساعة 10), a year word before a year (منذ 2011: four digits, 1900–2100).
    fn unit_before(&self, tokens: &[Token], i: usize, value: f64) -> Option<Unit> {
        let prev = tokens.get(i.checked_sub(1)?)?;
        if prev.kind != TokenKind::Word {
            return None;
        }
        // the word as it is, its stem, or without a conjunction و/ف (وفي، ومنذ)
        let bare = strip_first(&prev.norm, &['و', 'ف']).unwrap_or(&prev.norm);
        let get = |m: &FxMap<String, Unit>| {
            m.get(&prev.norm)
                .or_else(|| m.get(&prev.stem))
                .or_else(|| m.get(bare))
                .copied()
        };
        let tok = &tokens[i];
        let year = tok.kind == TokenKind::Number
            && tok.norm.len() == 4
            && tok.norm.bytes().all(|b| b.is_ascii_digit())
            && (1900.0..=2100.0).contains(&value);
        get(&self.units_before).or(if year { get(&self.years_after) } else { None })
    }

    /// The unit that starts at token `i`, if any: a word or phrase of `data/text/units.tsv`,
    /// each word compared on its key or its stem.
    fn unit_at(&self, text: &str, tokens: &[Token], i: usize) -> Option<Unit> {
        let tok = tokens.get(i)?;
        let is = |t: &Token, w: &str| t.norm == w || t.stem == w;
        let first: &str = match tok.kind {
            TokenKind::Word => &tok.stem,
            TokenKind::Symbol | TokenKind::Punct => &text[tok.start..tok.end],
            _ => return None,
        };
        let found = self
            .units
            .get(first)
            .or_else(|| self.units.get(&tok.norm))?;
        found.iter().find_map(|(rest, unit)| {
            (i + 1 + rest.len() <= tokens.len()
                && rest.iter().zip(&tokens[i + 1..]).all(|(w, t)| is(t, w)))
            .then_some(*unit)
        })
    }

    /// Looks up a word token's key, stripping و/ف, ب/ل/ك and ال as needed. Returns the value,
    /// the kind and whether a conjunction و/ف was stripped.
    fn word(&self, key: &str) -> Option<(f64, Kind, bool)> {
        if let Some(&(v, k)) = self.words.get(key) {
            return Some((v, k, false));
        }
        let (conj, rest) = match strip_first(key, &['و', 'ف']) {
            Some(r) if has_chars(r, 2) => (true, r),
            _ => (false, key),
        };
        if conj {
            if let Some(&(v, k)) = self.words.get(rest) {
                return Some((v, k, true));
            }
        }
        let rest = match strip_first(rest, &['ب', 'ل', 'ك']) {
            Some(r) if has_chars(r, 3) => {
                if let Some(&(v, k)) = self.words.get(r) {
                    return Some((v, k, conj));
                }
                // لل: ل + ال with the alef elided (للعشرات)
                if let Some(bare) = rest.strip_prefix("لل") {
                    if let Some(&(v, k)) = self.words.get(bare) {
                        return article_ok(bare, k).then_some((v, k, conj));
                    }
                }
                r
            }
            _ => rest,
        };
        let bare = rest.strip_prefix("ال")?;
        let &(v, k) = self.words.get(bare)?;
        article_ok(bare, k).then_some((v, k, conj))
    }

    /// The bound phrases of `map` that start at token `i`: (phrase, index after it).
    fn phrases_at<'t>(
        &'t self,
        map: &'t FxMap<String, Vec<Phrase>>,
        tokens: &[Token],
        i: usize,
    ) -> impl Iterator<Item = (&'t Phrase, usize)> + 't {
        let first = tokens.get(i).filter(|t| t.kind == TokenKind::Word);
        let found: Option<&Vec<Phrase>> = first.and_then(|t| {
            let k = t.norm.as_str();
            map.get(k).or_else(|| {
                let r = strip_first(k, &['و', 'ف']).unwrap_or(k);
                map.get(r).or_else(|| {
                    strip_first(r, &['ب', 'ل'])
                        .filter(|s| has_chars(s, 2))
                        .and_then(|s| map.get(s))
                })
            })
        });
        let mut out: Vec<(&Phrase, usize)> = Vec::new();
        for p in found.into_iter().flatten() {
            let n = p.rest.len();
            if i + 1 + n <= tokens.len()
                && p.rest
                    .iter()
                    .zip(&tokens[i + 1..])
                    .all(|(w, t)| *w == t.norm)
            {
                out.push((p, i + 1 + n));
            }
        }
        out.into_iter()
    }
}

/// Whether a number word may carry the article: not المئة (percent), الاثنين (Monday), الأحد.
fn article_ok(bare: &str, k: Kind) -> bool {
    !matches!(k, Kind::Hundred | Kind::Teen | Kind::Fraction) && bare != "اثنين"
}

fn strip_first<'a>(s: &'a str, firsts: &[char]) -> Option<&'a str> {
    let c = s.chars().next()?;
    firsts
        .contains(&c)
        .then(|| &s[c.len_utf8()..])
        .filter(|r| !r.is_empty())
}

/// Parses a run of digits in the matching-key form (ASCII digits, `.` and `,`).
///
/// A single `.` is a decimal point; several `.` or `,` are thousands separators when every group
/// after the first has three digits; a single `,` that does not group thousands is a decimal
/// comma; with both, the last one is the decimal separator.
pub(crate) fn parse_digits(s: &str) -> Option<f64> {
    if s.is_empty()
        || !s
            .bytes()
            .all(|b| b.is_ascii_digit() || b == b'.' || b == b',')
    {
        return None;
    }
    let dots = s.bytes().filter(|&b| b == b'.').count();
    let commas = s.bytes().filter(|&b| b == b',').count();
    let grouped = |sep: char, s: &str| {
        let mut parts = s.split(sep);
        parts
            .next()
            .is_some_and(|f| (1..=3).contains(&f.len()) && f.bytes().all(|b| b.is_ascii_digit()))
            && parts.all(|p| p.len() == 3 && p.bytes().all(|b| b.is_ascii_digit()))
    };
    let (thousands, decimal) = match (dots, commas) {
        (0, 0) => (None, None),
        (1, 0) => (None, Some('.')),
        (_, 0) if grouped('.', s) => (Some('.'), None),
        (0, _) if grouped(',', s) => (Some(','), None),
        (0, 1) => (None, Some(',')),
        (d, c) if d > 0 && c > 0 => {
            let last_dot = s.rfind('.')?;
            let last_comma = s.rfind(',')?;
            let (t, dsep, dcount) = if last_dot > last_comma {
                (',', '.', d)
            } else {
                ('.', ',', c)
            };
            if dcount != 1 {
                return None;
            }
            let (int, _) = s.split_once(dsep)?;
            if !grouped(t, int) {
                return None;
            }
            (Some(t), Some(dsep))
        }
        _ => return None,
    };
    let mut clean = String::with_capacity(s.len());
    for c in s.chars() {
        if Some(c) == thousands {
            continue;
        }
        clean.push(if Some(c) == decimal { '.' } else { c });
    }
    let v: f64 = clean.parse().ok()?;
    v.is_finite().then_some(v)
}

/// What the parser saw last.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Last {
    None,
    Digit,
    Unit(f64),
    /// The first word of 11/12 (incomplete without عشر).
    Teen(f64),
    /// A complete teen or tens word.
    Tens,
    Hundred,
    Scale,
    Vague,
    /// نصف/ربع (incomplete without a scale).
    Fraction,
}

impl Last {
    fn complete(self) -> bool {
        !matches!(self, Last::None | Last::Teen(_) | Last::Fraction)
    }
    /// Whether a scale word may multiply what came before.
    fn is_count(self) -> bool {
        matches!(
            self,
            Last::Digit | Last::Unit(_) | Last::Tens | Last::Hundred | Last::Vague | Last::Fraction
        )
    }
    /// Whether a و-joined smaller number may follow (after مئة, ألف, مليون).
    fn closed(self) -> bool {
        matches!(self, Last::Hundred | Last::Scale)
    }
}

/// One number element read from the tokens.
#[derive(Debug, Clone, Copy)]
enum El {
    Digits(f64),
    Word(f64, Kind),
}

/// Whether the number token `j` is part of a date or time written with `/`, `:` or `-`
/// (25/11/2026, 10:30): those are not quantities.
fn in_numeric_chain(text: &str, tokens: &[Token], j: usize) -> bool {
    let glued_sep = |a: usize, b: usize| {
        tokens[a].end == tokens[b].start
            && tokens[b].kind == TokenKind::Punct
            && matches!(&text[tokens[b].start..tokens[b].end], "/" | ":" | "-")
            && tokens
                .get(b + 1)
                .is_some_and(|n| n.start == tokens[b].end && n.kind == TokenKind::Number)
    };
    let before = j >= 2
        && tokens[j - 2].kind == TokenKind::Number
        && glued_sep(j - 2, j - 1)
        && tokens[j - 1].end == tokens[j].start;
    let after = j + 1 < tokens.len() && glued_sep(j, j + 1);
    before || after
}

/// Parses the longest number expression starting at token `i`: (index after it, value, vague).
fn parse_at(t: &Tables, text: &str, tokens: &[Token], i: usize) -> Option<(usize, f64, bool)> {
    // reads the element at `j`: (element, joined by و, index after)
    let item = |j: usize, first: bool| -> Option<(El, bool, usize)> {
        let tok = tokens.get(j)?;
        match tok.kind {
            TokenKind::Number => {
                if in_numeric_chain(text, tokens, j) {
                    return None;
                }
                Some((El::Digits(parse_digits(&tok.norm)?), false, j + 1))
            }
            TokenKind::Word if tok.norm == "و" => {
                if first {
                    return None;
                }
                let next = tokens.get(j + 1)?;
                match next.kind {
                    TokenKind::Number if !in_numeric_chain(text, tokens, j + 1) => {
                        Some((El::Digits(parse_digits(&next.norm)?), true, j + 2))
                    }
                    TokenKind::Word => {
                        let (v, k, c) = t.word(&next.norm)?;
                        (!c).then_some((El::Word(v, k), true, j + 2))
                    }
                    _ => None,
                }
            }
            TokenKind::Word => {
                let (v, k, conj) = t.word(&tok.norm)?;
                Some((El::Word(v, k), conj, j + 1))
            }
            _ => None,
        }
    };
    let mut total = 0.0f64;
    let mut cur = 0.0f64;
    let mut last = Last::None;
    let mut limit = f64::INFINITY; // a و-joined number must stay under this
    let mut max_scale = 0.0f64;
    let mut vague = false;
    let mut best = None;
    let mut j = i;
    while let Some((el, conj, next)) = item(j, last == Last::None) {
        let started = last != Last::None;
        let joined = started && conj;
        let after_closed = joined && last.closed();
        let ok = match el {
            El::Digits(v) => {
                if !started || (after_closed && v < limit) {
                    cur += v;
                    last = Last::Digit;
                    true
                } else {
                    false
                }
            }
            El::Word(v, Kind::Unit) => {
                if !started || (after_closed && v < limit) {
                    cur += v;
                    last = Last::Unit(v);
                    true
                } else if !joined && v == 10.0 {
                    match last {
                        Last::Unit(u) if (1.0..10.0).contains(&u) => {
                            cur += 10.0;
                            last = Last::Tens;
                            true
                        }
                        Last::Teen(_) => {
                            cur += 10.0;
                            last = Last::Tens;
                            true
                        }
                        _ => false,
                    }
                } else {
                    false
                }
            }
            El::Word(v, Kind::Teen) => {
                if !started || (after_closed && v + 10.0 < limit) {
                    cur += v;
                    last = Last::Teen(v);
                    true
                } else {
                    false
                }
            }
            El::Word(v, Kind::Ten) => {
                let after_unit = joined && matches!(last, Last::Unit(u) if u < 10.0);
                if !started || after_unit || (after_closed && v < limit) {
                    cur += v;
                    last = Last::Tens;
                    true
                } else {
                    false
                }
            }
            El::Word(v, Kind::Hundred) => {
                let unit_before = !joined
                    && v == 100.0
                    && matches!(last, Last::Unit(_) | Last::Digit)
                    && (1.0..10.0).contains(&cur)
                    && cur.fract() == 0.0;
                if unit_before {
                    cur *= 100.0;
                } else if !started || (after_closed && v < limit) {
                    cur += v;
                } else {
                    // a digit or unit already counted, or not a continuation
                    return best;
                }
                last = Last::Hundred;
                limit = 100.0;
                true
            }
            El::Word(s, k @ (Kind::Scale | Kind::Plural)) => {
                if !started {
                    total = if k == Kind::Plural { 2.0 * s } else { s };
                    vague |= k == Kind::Plural;
                } else if !joined && last.is_count() {
                    let group = if cur == 0.0 { 1.0 } else { cur };
                    if s > max_scale {
                        total = (total + group) * s;
                    } else {
                        total += group * s;
                    }
                    cur = 0.0;
                } else if !joined && last == Last::Scale && s > limit {
                    total *= s;
                } else {
                    return best;
                }
                max_scale = max_scale.max(s);
                limit = s;
                last = Last::Scale;
                true
            }
            El::Word(s, Kind::Dual) => {
                if !started || (after_closed && 2.0 * s < limit) {
                    total += 2.0 * s;
                    max_scale = max_scale.max(s);
                    limit = s;
                    last = Last::Scale;
                    true
                } else {
                    false
                }
            }
            El::Word(v, Kind::Vague) => {
                if !started {
                    cur = v;
                    vague = true;
                    last = Last::Vague;
                    true
                } else {
                    false
                }
            }
            El::Word(v, Kind::Fraction) => {
                if !started {
                    cur = v;
                    last = Last::Fraction;
                    true
                } else {
                    false
                }
            }
        };
        if !ok {
            break;
        }
        j = next;
        if last.complete() {
            let value = total + cur;
            if value.is_finite() {
                best = Some((j, value, vague));
            }
        }
    }
    best
}

/// The number expression starting at token `i`, if any: (index after it, value, vague).
pub(crate) fn number_at(text: &str, tokens: &[Token], i: usize) -> Option<(usize, f64, bool)> {
    parse_at(Tables::get(), text, tokens, i)
}

/// Finds the quantities in `text` (tokenized as `tokens`), in order, never overlapping.
pub fn find_quantities(text: &str, tokens: &[Token]) -> Vec<Quantity> {
    let t = Tables::get();
    let mut out = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        let tok = &tokens[i];
        if !matches!(tok.kind, TokenKind::Word | TokenKind::Number) {
            i += 1;
            continue;
        }
        // a bound phrase followed by a number, or a number alone
        let mut found = None;
        for (p, after) in t.phrases_at(&t.before, tokens, i) {
            if let Some((end, value, vague)) = parse_at(t, text, tokens, after) {
                found = Some((end, value, vague, p.bound, p.approximate));
                break;
            }
        }
        if found.is_none() {
            if let Some((end, value, vague)) = parse_at(t, text, tokens, i) {
                found = Some((end, value, vague, Bound::Exact, false));
            }
        }
        let Some((mut end, value, vague, mut bound, mut approximate)) = found else {
            i += 1;
            continue;
        };
        let unit = t
            .unit_at(text, tokens, end)
            .or_else(|| t.unit_before(tokens, i, value));
        // a bound phrase after the number, or after the word counted (12 شخصا على الأقل)
        let counted = tokens.get(end).is_some_and(|n| {
            n.kind == TokenKind::Word && !t.after.contains_key(&n.norm) && t.word(&n.norm).is_none()
        });
        let post = t.phrases_at(&t.after, tokens, end).next().or_else(|| {
            counted
                .then(|| t.phrases_at(&t.after, tokens, end + 1).next())
                .flatten()
        });
        if let Some((p, after)) = post {
            if bound == Bound::Exact || p.bound == Bound::Exact {
                if p.bound != Bound::Exact {
                    bound = p.bound;
                }
                approximate |= p.approximate;
                end = after;
            }
        }
        if vague {
            approximate = true;
            if bound == Bound::Exact {
                bound = Bound::AtLeast;
            }
        }
        out.push(Quantity {
            start: tok.start,
            end: tokens[end - 1].end,
            value,
            approximate,
            bound,
            unit,
        });
        i = end;
    }
    out
}

/// Parses one number written in digits or words (a token or a phrase: "١٥", "1,500",
/// "خمسة وعشرون", "2.5 مليون", "عشرات"); `None` unless the whole of `s` is one number.
pub fn parse_number(s: &str) -> Option<f64> {
    let tokens = crate::token::tokenize(s);
    let (end, value, _) = parse_at(Tables::get(), s, &tokens, 0)?;
    (end == tokens.len()).then_some(value)
}

#[cfg(test)]
mod tests;
