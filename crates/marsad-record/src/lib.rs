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
mod modes;
mod source;
#[cfg(feature = "testing")]
pub mod testing;

pub use event::{
    Acled, Attribution, Category, Count, Counts, DateBasis, Event, EventDate, EventMention,
    Evidence, Extra, Location, Modality, Money, Participant, Trigger, AGENT_SECTORS,
};
pub use mention::{Entity, EntityType, Place, Precision};
pub use modes::{modes_apart, modes_share};
pub use source::{is_web_url, url_domain, ArticleSource};

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
    /// Every bound.
    pub const ALL: [Bound; 3] = [Bound::Exact, Bound::AtLeast, Bound::UpTo];

    /// Parses a JSON name.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|x| x.as_str() == s)
    }

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
    /// Every precision.
    pub const ALL: [DatePrecision; 4] = [
        DatePrecision::Day,
        DatePrecision::Week,
        DatePrecision::Month,
        DatePrecision::Year,
    ];

    /// Parses a JSON name.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|x| x.as_str() == s)
    }

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

    /// Every value of an enum is written in JSON by its `as_str` name and parsed back from it.
    fn names_round_trip<T: Serialize + Copy + PartialEq + std::fmt::Debug>(
        all: &[T],
        name: fn(T) -> &'static str,
        parse: fn(&str) -> Option<T>,
    ) {
        for &x in all {
            let json = serde_json::to_string(&x).unwrap();
            assert_eq!(json, format!("\"{}\"", name(x)));
            assert_eq!(parse(name(x)), Some(x), "{json}");
        }
    }

    #[test]
    fn every_enum_names_itself_as_in_json() {
        names_round_trip(&Bound::ALL, Bound::as_str, Bound::parse);
        names_round_trip(
            &DatePrecision::ALL,
            DatePrecision::as_str,
            DatePrecision::parse,
        );
        names_round_trip(&Precision::ALL, Precision::as_str, Precision::parse);
        names_round_trip(&EntityType::ALL, EntityType::as_str, EntityType::parse);
        names_round_trip(&Modality::ALL, Modality::as_str, Modality::parse);
        names_round_trip(&Category::ALL, Category::name, Category::parse);
        assert_eq!(Category::parse("assault"), Some(Category::Assault));
        assert_eq!(EntityType::parse("PERS"), Some(EntityType::Per));
        assert_eq!(Precision::parse("town"), None);
        assert!(Modality::Claimed.counts() && !Modality::Historical.counts());
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
