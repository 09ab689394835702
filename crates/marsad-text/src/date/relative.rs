//! Relative dates, resolved against the document date: أمس, اليوم, غدا, weekdays, the week,
//! month or year before or after, the last days, and durations back (منذ ثلاثة أيام).

use super::lexicon::{bare, modifier, plain, with_article, Dir};
use super::matcher::{Found, Scan};
use super::DatePrecision;
use crate::token::TokenKind;
use chrono::{Datelike, Days, Months, NaiveDate};

impl Scan<'_> {
    /// Relative dates starting at `i` (the document date is known).
    pub(super) fn relative(&self, i: usize, doc: NaiveDate) -> Option<Found> {
        let tok = self.tok(i).filter(|t| t.kind == TokenKind::Word)?;
        let b = bare(&tok.norm);
        // أمس الخميس, اليوم الجمعة: the day named after it says which day, where it lies within
        // a day or so of the one counted from the article's date (an article dated the morning
        // after it was written)
        let day = |n: u64, end: usize| {
            let v = doc.checked_sub_days(Days::new(n))?;
            if let Some((wend, w, ..)) = self.weekday(end, doc) {
                let back = (doc - w).num_days();
                if w != v && (0..=2).contains(&back) && back.abs_diff(n as i64) <= 1 {
                    return Some((wend, w, DatePrecision::Day, true));
                }
                if w == v {
                    return Some((wend, v, DatePrecision::Day, true));
                }
            }
            Some((end, v, DatePrecision::Day, true))
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
    pub(super) fn weekday(&self, i: usize, doc: NaiveDate) -> Option<Found> {
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
