//! Numbers and dates for the events stage.
//!
//! marsad-text is getting `number::find_quantities` and `date::find_dates`; until they land, this
//! module holds a small stand-in with the same shapes (digits and the common number words;
//! yesterday/today/recent days). It is the one place to switch when they do.

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use marsad_text::{Token, TokenKind};

/// A number in the text.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Quantity {
    /// First byte (including an approximator before it).
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
    /// The value.
    pub value: f64,
    /// Approximate (حوالي، نحو، عشرات).
    pub approximate: bool,
    /// Exact or a bound.
    pub bound: crate::Bound,
}

/// A date expression resolved against the publication date.
#[derive(Debug, Clone, PartialEq)]
pub struct DateMention {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
    /// The date.
    pub value: NaiveDate,
    /// Its precision.
    pub precision: crate::DatePrecision,
}

const WORDS: &[(&str, f64, bool)] = &[
    ("واحد", 1.0, false),
    ("واحده", 1.0, false),
    ("اثنان", 2.0, false),
    ("اثنين", 2.0, false),
    ("ثلاثه", 3.0, false),
    ("ثلاث", 3.0, false),
    ("اربعه", 4.0, false),
    ("اربع", 4.0, false),
    ("خمسه", 5.0, false),
    ("خمس", 5.0, false),
    ("سته", 6.0, false),
    ("ست", 6.0, false),
    ("سبعه", 7.0, false),
    ("سبع", 7.0, false),
    ("ثمانيه", 8.0, false),
    ("ثماني", 8.0, false),
    ("تسعه", 9.0, false),
    ("تسع", 9.0, false),
    ("عشره", 10.0, false),
    ("عشر", 10.0, false),
    ("عشرين", 20.0, false),
    ("عشرون", 20.0, false),
    ("ثلاثين", 30.0, false),
    ("ثلاثون", 30.0, false),
    ("اربعين", 40.0, false),
    ("اربعون", 40.0, false),
    ("خمسين", 50.0, false),
    ("خمسون", 50.0, false),
    ("ستين", 60.0, false),
    ("سبعين", 70.0, false),
    ("ثمانين", 80.0, false),
    ("تسعين", 90.0, false),
    ("مئه", 100.0, false),
    ("مائه", 100.0, false),
    ("الف", 1000.0, false),
    ("مليون", 1_000_000.0, false),
    ("عشرات", 10.0, true),
    ("مئات", 100.0, true),
    ("الاف", 1000.0, true),
    ("الوف", 1000.0, true),
    ("ملايين", 1_000_000.0, true),
];

const APPROX: &[&str] = &[
    "حوالي",
    "نحو",
    "قرابه",
    "زهاء",
    "حواليي",
    "ما يقارب",
    "يقارب",
];

/// Whether a stem is a number word.
pub fn is_number_word(stem: &str) -> bool {
    word_value(stem).is_some()
}

fn word_value(stem: &str) -> Option<(f64, bool)> {
    WORDS
        .iter()
        .find(|(w, _, _)| *w == stem)
        .map(|&(_, v, a)| (v, a))
}

/// Numbers in `text` (digits and number words), with approximators and bounds before them.
pub fn find_quantities(text: &str, tokens: &[Token]) -> Vec<Quantity> {
    let _ = text;
    let mut out = Vec::new();
    for (i, t) in tokens.iter().enumerate() {
        let (value, mut approximate) = match t.kind {
            TokenKind::Number => {
                let digits: String = t.norm.chars().filter(|c| *c != ',').collect();
                match digits.parse::<f64>() {
                    Ok(v) => (v, false),
                    Err(_) => continue,
                }
            }
            TokenKind::Word => match word_value(&t.stem) {
                Some(v) => v,
                None => continue,
            },
            _ => continue,
        };
        let mut start = t.start;
        let mut bound = if approximate {
            crate::Bound::AtLeast
        } else {
            crate::Bound::Exact
        };
        // approximators and bounds before
        if i >= 1 {
            let p = &tokens[i - 1];
            if APPROX.contains(&p.stem.as_str()) {
                approximate = true;
                start = p.start;
            } else if p.stem == "من" && i >= 2 {
                let pp = &tokens[i - 2];
                if matches!(pp.stem.as_str(), "اكثر" | "ازيد") {
                    bound = crate::Bound::AtLeast;
                    start = pp.start;
                } else if pp.stem == "اقل" {
                    bound = crate::Bound::UpTo;
                    start = pp.start;
                }
            }
        }
        let mut end = t.end;
        // "على الأقل" after the number or after the counted noun
        for j in i + 1..(i + 4).min(tokens.len()) {
            if tokens[j].stem == "علي" && tokens.get(j + 1).is_some_and(|n| n.stem == "اقل") {
                bound = crate::Bound::AtLeast;
                if j == i + 1 {
                    end = tokens[j + 1].end;
                }
                break;
            }
        }
        out.push(Quantity {
            start,
            end,
            value,
            approximate,
            bound,
        });
    }
    out
}

fn weekday(stem: &str) -> Option<Weekday> {
    Some(match stem {
        "سبت" => Weekday::Sat,
        "احد" => Weekday::Sun,
        "اثنين" => Weekday::Mon,
        "ثلاثاء" => Weekday::Tue,
        "اربعاء" => Weekday::Wed,
        "خميس" => Weekday::Thu,
        "جمعه" => Weekday::Fri,
        _ => return None,
    })
}

/// Relative date expressions in `text`, resolved against `pub_date`.
pub fn find_dates(text: &str, tokens: &[Token], pub_date: Option<NaiveDate>) -> Vec<DateMention> {
    use crate::DatePrecision as P;
    let _ = text;
    let Some(d) = pub_date else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        let t = &tokens[i];
        let next = tokens.get(i + 1).map(|n| n.stem.as_str()).unwrap_or("");
        let found: Option<(usize, NaiveDate, P)> = match t.stem.as_str() {
            "امس" => Some((1, d - Duration::days(1), P::Day)),
            "اليوم" => Some((1, d, P::Day)),
            "ايام" if matches!(next, "اخيره" | "ماضيه" | "قليله") => {
                Some((2, d - Duration::days(3), P::Week))
            }
            "اسبوع" if matches!(next, "ماضي" | "منصرم") => {
                Some((2, d - Duration::days(7), P::Week))
            }
            "فتره" if matches!(next, "اخيره" | "ماضيه") => {
                Some((2, d - Duration::days(15), P::Month))
            }
            "شهر" if matches!(next, "ماضي" | "منصرم") => {
                let m = d - Duration::days(d.day() as i64);
                Some((2, m, P::Month))
            }
            s => weekday(s).filter(|_| t.has_article()).map(|w| {
                let back = (d.weekday().num_days_from_monday() as i64
                    - w.num_days_from_monday() as i64)
                    .rem_euclid(7);
                (1, d - Duration::days(back), P::Day)
            }),
        };
        if let Some((n, value, precision)) = found {
            out.push(DateMention {
                start: t.start,
                end: tokens[i + n - 1].end,
                value,
                precision,
            });
            i += n;
        } else {
            i += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Bound;

    #[test]
    fn quantities() {
        let table: &[(&str, f64, bool, Bound)] = &[
            ("مقتل 15 شخصا", 15.0, false, Bound::Exact),
            ("إصابة العشرات", 10.0, true, Bound::AtLeast),
            ("اعتقال ثلاثة", 3.0, false, Bound::Exact),
            ("حوالى 15 من قيادات", 15.0, true, Bound::Exact),
            ("أكثر من 20 شخصا", 20.0, false, Bound::AtLeast),
            ("مقتل عشرة اشخاص على الاقل", 10.0, false, Bound::AtLeast),
        ];
        for (text, v, a, b) in table {
            let a0 = marsad_text::analyze(text);
            let q = find_quantities(text, &a0.tokens);
            assert_eq!(q.len(), 1, "{text}");
            assert_eq!(
                (q[0].value, q[0].approximate, q[0].bound),
                (*v, *a, *b),
                "{text}"
            );
        }
    }

    #[test]
    fn dates() {
        let d = NaiveDate::from_ymd_opt(2015, 2, 20).unwrap();
        let text = "قتل أمس وهربوا خلال الأيام الأخيرة";
        let a = marsad_text::analyze(text);
        let m = find_dates(text, &a.tokens, Some(d));
        assert_eq!(m.len(), 2);
        assert_eq!(m[0].value, NaiveDate::from_ymd_opt(2015, 2, 19).unwrap());
        assert_eq!(m[1].precision, crate::DatePrecision::Week);
    }
}
