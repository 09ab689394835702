//! The matcher: a scan over a text's tokens, the token helpers the patterns share, and the
//! date that starts at a token (absolute first, then relative).

use super::lexicon::Tables;
use super::DatePrecision;
use crate::token::{Token, TokenKind};
use chrono::NaiveDate;

pub(super) struct Scan<'a> {
    pub(super) text: &'a str,
    pub(super) tokens: &'a [Token],
    pub(super) doc: Option<NaiveDate>,
    pub(super) t: &'static Tables,
}

/// A match: index after it, value, precision, relative.
pub(super) type Found = (usize, NaiveDate, DatePrecision, bool);

impl Scan<'_> {
    pub(super) fn tok(&self, j: usize) -> Option<&Token> {
        self.tokens.get(j)
    }

    pub(super) fn norm(&self, j: usize) -> &str {
        self.tokens.get(j).map_or("", |t| t.norm.as_str())
    }

    pub(super) fn punct(&self, j: usize) -> &str {
        match self.tokens.get(j) {
            Some(t) if t.kind == TokenKind::Punct => &self.text[t.start..t.end],
            _ => "",
        }
    }

    pub(super) fn glued(&self, a: usize, b: usize) -> bool {
        match (self.tokens.get(a), self.tokens.get(b)) {
            (Some(x), Some(y)) => x.end == y.start,
            _ => false,
        }
    }
}

impl Scan<'_> {
    /// The date starting at token `i`: (first token, match).
    pub(super) fn at(&self, i: usize) -> Option<(usize, Found)> {
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
