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

mod absolute;
mod hijri;
mod lexicon;
mod matcher;
mod relative;

use crate::token::{Token, TokenKind};
use chrono::NaiveDate;
use lexicon::{bare, Tables};
use matcher::Scan;
use serde::{Deserialize, Serialize};

pub use hijri::{gregorian_to_hijri, hijri_to_gregorian};
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

#[cfg(test)]
mod tests;
