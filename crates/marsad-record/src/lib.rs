//! The marsad record: the one definition of what every output carries — annotate's JSON, the
//! store, the API, the exports and the dashboard. Serde derives fix the JSON shape here and
//! nowhere else (`docs/event-record.md` describes it field by field).
//!
//! The crate is a leaf (serde and chrono only), so a program that reads marsad's output can
//! depend on it without the models.
//!
//! ```
//! use marsad_record::{Category, Event, Modality};
//! let json = r#"{"id":"e1","doc_id":"d1","event_type":"ASSAULT","mode":["aerial"],"context":[],
//!   "modality":"reported","actors":[],"recipients":[],
//!   "trigger":{"text":"قصفت","span":{"start":0,"end":8}},
//!   "evidence":{"span":{"start":0,"end":40},"sentence":{"start":0,"end":40}},"confidence":0.9}"#;
//! let e: Event = serde_json::from_str(json).unwrap();
//! assert_eq!(e.event_type, Category::Assault);
//! assert!(e.modality.counts());
//! ```
#![deny(missing_docs)]

mod event;
mod mention;
#[cfg(feature = "testing")]
pub mod testing;

pub use event::{
    Acled, Attribution, Category, Count, Counts, Event, EventDate, Evidence, Extra, Location,
    Modality, Money, Participant, Trigger,
};
pub use mention::{Entity, EntityType, Place, Precision};

use serde::{Deserialize, Serialize};

/// A byte span `[start, end)` into the original text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Span {
    /// First byte of the span.
    pub start: usize,
    /// One past the last byte of the span.
    pub end: usize,
}

impl Span {
    /// Builds a span; `start <= end` is the caller's promise.
    pub fn new(start: usize, end: usize) -> Self {
        debug_assert!(start <= end);
        Span { start, end }
    }

    /// The text this span covers in `text`.
    pub fn slice<'a>(&self, text: &'a str) -> &'a str {
        &text[self.start..self.end]
    }

    /// The text this span covers in `text`, or `None` when it is empty, out of range or not on
    /// character boundaries (a record read from elsewhere may not fit the text at hand).
    pub fn get<'a>(&self, text: &'a str) -> Option<&'a str> {
        (self.start < self.end).then(|| text.get(self.start..self.end))?
    }

    /// Whether two spans share at least one byte.
    pub fn overlaps(&self, other: &Span) -> bool {
        self.start < other.end && other.start < self.end
    }
}

/// How a quantity's value relates to the real number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Bound {
    /// The value itself (possibly approximate).
    Exact,
    /// At least the value (أكثر من, ما لا يقل عن, عشرات).
    AtLeast,
    /// At most the value (أقل من, حتى, تصل إلى).
    UpTo,
}

impl Bound {
    /// The name used in JSON (`exact`, `at_least`, `up_to`).
    pub fn as_str(self) -> &'static str {
        match self {
            Bound::Exact => "exact",
            Bound::AtLeast => "at_least",
            Bound::UpTo => "up_to",
        }
    }
}

/// How precise a date is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DatePrecision {
    /// A day.
    Day,
    /// A week (or a few days); the value is the first day of the period.
    Week,
    /// A month; the value is its first day.
    Month,
    /// A year; the value is its first day.
    Year,
}

impl DatePrecision {
    /// The name used in JSON (`day`, `week`, `month`, `year`).
    pub fn as_str(self) -> &'static str {
        match self {
            DatePrecision::Day => "day",
            DatePrecision::Week => "week",
            DatePrecision::Month => "month",
            DatePrecision::Year => "year",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn json<T: Serialize>(v: &T) -> String {
        serde_json::to_string(v).unwrap()
    }

    /// The `as_str` names are the serde names.
    #[test]
    fn names_match_json() {
        for b in [Bound::Exact, Bound::AtLeast, Bound::UpTo] {
            assert_eq!(json(&b), format!("\"{}\"", b.as_str()));
        }
        for p in [
            DatePrecision::Day,
            DatePrecision::Week,
            DatePrecision::Month,
            DatePrecision::Year,
        ] {
            assert_eq!(json(&p), format!("\"{}\"", p.as_str()));
        }
    }

    #[test]
    fn spans_slice_and_check() {
        let text = "قصف الموصل";
        let s = Span::new(0, 6);
        assert_eq!(s.slice(text), "قصف");
        assert_eq!(s.get(text), Some("قصف"));
        assert_eq!(Span::new(1, 6).get(text), None, "inside a letter");
        assert_eq!(Span::new(0, 99).get(text), None, "past the end");
        assert_eq!(Span::new(3, 3).get(text), None, "empty");
        assert!(s.overlaps(&Span::new(5, 8)));
        assert!(!s.overlaps(&Span::new(6, 8)));
    }
}
