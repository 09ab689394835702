//! Absolute dates: a day and a month name with or without a year, numeric dates, a month and a
//! year, a year; Gregorian or Hijri.

use super::hijri::{gregorian_to_hijri, hijri_to_gregorian};
use super::lexicon::{bare, modifier, plain, with_article, Calendar, Dir};
use super::matcher::{Found, Scan};
use super::DatePrecision;
use crate::fxhash::has_chars;
use crate::token::{Token, TokenKind};
use chrono::{Datelike, NaiveDate};

/// The ordinals of the first ten days, as keys without the article (الأول … العاشر); "الحادي"
/// stands for one only before عشر or a ten.
const ORDINALS: [&str; 10] = [
    "اول", "ثاني", "ثالث", "رابع", "خامس", "سادس", "سابع", "ثامن", "تاسع", "عاشر",
];

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

impl Scan<'_> {
    /// A month name at `j` (the first word may carry و/ف/ب/ل): (calendar, month, index after).
    /// A second name after `/` (تشرين الثاني/نوفمبر) or in parentheses (أغسطس (آب)) is taken in.
    pub(super) fn month_at(&self, j: usize) -> Option<(Calendar, u32, usize)> {
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
        // the same month in the other naming, in parentheses: أغسطس (آب)
        if self.punct(end) == "(" && self.punct(end + 2) == ")" {
            if let Some(other) = self.tok(end + 1).and_then(|t| self.t.months.get(&t.norm)) {
                if other
                    .iter()
                    .any(|m| m.month == month && m.calendar == cal && m.rest.is_empty())
                {
                    end += 3;
                }
            }
        }
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

    /// The year right after a month name ending at `end` (عام/سنة may stand between), with the
    /// calendar a Hijri mark after it sets: (year, calendar, index after).
    fn year_after_month(&self, end: usize, cal: Calendar) -> Option<(i32, Calendar, usize)> {
        let y_at = if matches!(self.norm(end), "عام" | "سنه") {
            end + 1
        } else {
            end
        };
        let (y, mark, yend) = self.year_at(y_at)?;
        let cal = if mark == Some(Calendar::Hijri) {
            Calendar::Hijri
        } else {
            cal
        };
        Some((y, cal, yend))
    }

    /// A day and the month name at `m_at`, with the year after it if one is given (else the
    /// year the document's date makes likely).
    fn day_of_month(&self, day: u32, m_at: usize) -> Option<Found> {
        let (cal, month, end) = self.month_at(m_at)?;
        if let Some((y, cal, yend)) = self.year_after_month(end, cal) {
            if let Some(v) = Self::make(cal, y, month, day) {
                return Some((yend, v, DatePrecision::Day, false));
            }
        }
        let v = self.infer_year(cal, month, day)?;
        Some((end, v, DatePrecision::Day, true))
    }

    /// A day of the month as an ordinal with the article at `i` (التاسع، الحادي عشر، الحادي
    /// والعشرين، الثلاثين): (day, index after).
    fn ordinal_day(&self, i: usize) -> Option<(u32, usize)> {
        let b = bare(self.norm(i));
        if !b.article || b.prep.is_some() {
            return None;
        }
        let tens = |w: &str| match w {
            "عشرين" => Some(20),
            "ثلاثين" => Some(30),
            _ => None,
        };
        if let Some(t) = tens(b.rest) {
            return Some((t, i + 1));
        }
        let one = b.rest == "حادي";
        let unit = if one {
            1
        } else {
            ORDINALS.iter().position(|w| *w == b.rest)? as u32 + 1
        };
        let next = bare(self.norm(i + 1));
        if unit < 10 && next.prep.is_none() && !next.article && !next.conj && next.rest == "عشر"
        {
            return Some((10 + unit, i + 2));
        }
        if unit < 10 && next.conj && next.article && next.prep.is_none() {
            if let Some(t) = tens(next.rest).filter(|&t| t + unit <= 31) {
                return Some((t + unit, i + 2));
            }
        }
        (!one).then_some((unit, i + 1))
    }

    /// Absolute dates starting at `i`.
    pub(super) fn absolute(&self, i: usize) -> Option<Found> {
        let tok = self.tok(i)?;
        // يوم 25 نوفمبر
        if tok.kind == TokenKind::Word && plain(&bare(&tok.norm), "يوم") {
            let (end, v, p, r) = self.absolute(i + 1)?;
            return (p == DatePrecision::Day).then_some((end, v, p, r));
        }
        // التاسع من أغسطس 2013, الحادي والعشرين من مارس
        if tok.kind == TokenKind::Word {
            if let Some((day, after)) = self.ordinal_day(i) {
                if self.norm(after) == "من" {
                    if let Some(f) = self.day_of_month(day, after + 1) {
                        return Some(f);
                    }
                }
            }
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
                if let Some(f) = self.day_of_month(day, m_at) {
                    return Some(f);
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
        if let Some((y, cal, yend)) = self.year_after_month(end, cal) {
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
}
