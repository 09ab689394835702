//! Two towns, two events: protests or attacks that one clause places in a list of towns
//! ("مظاهرات في بغداد والنجف وبابل") are one happening in each town.

use super::doc::Doc;
use super::{Cand, Extractor, PlaceFrom};
use crate::{Category, Counts};
use marsad_geo::Precision;
use marsad_text::{Span, TokenKind};

/// Whether the tokens `[a, b)` between two places join them in a list: nothing (the second
/// carries و), or a comma, or a bare و.
fn joined(d: &Doc, a: usize, b: usize, second: usize) -> bool {
    let between = (a..b).all(|j| {
        let t = &d.tokens[j];
        (t.kind == TokenKind::Punct && matches!(t.text(d.text), "،" | ","))
            || (t.kind == TokenKind::Word && d.stem[j] == "و")
    });
    between && (a < b || d.tokens[second].prefixes.first() == Some(&"و"))
}

/// The list of towns (indexes into `d.places`) that place `k` stands in: places of its clause
/// joined by و or commas, none of them a country or a region; just `k` when it stands alone.
fn town_list(d: &Doc, k: usize) -> Vec<usize> {
    let town = |i: usize| {
        !matches!(
            d.places[i].2.precision,
            Precision::Country | Precision::Region
        )
    };
    if !town(k) {
        return vec![k];
    }
    let cl = d.clause[d.places[k].0];
    let (mut lo, mut hi) = (k, k);
    while lo > 0 {
        let (p, q) = (lo - 1, lo);
        let (_, pb, _) = d.places[p];
        let (qa, _, _) = d.places[q];
        if pb <= qa && town(p) && d.clause[d.places[p].0] == cl && joined(d, pb, qa, qa) {
            lo = p;
        } else {
            break;
        }
    }
    while hi + 1 < d.places.len() {
        let (p, q) = (hi, hi + 1);
        let (_, pb, _) = d.places[p];
        let (qa, _, _) = d.places[q];
        if pb <= qa && town(q) && d.clause[qa] == cl && joined(d, pb, qa, qa) {
            hi = q;
        } else {
            break;
        }
    }
    (lo..=hi).collect()
}

impl Extractor {
    /// Splits each protest or attack whose clause places it in a list of two or more towns into
    /// one candidate per town, in the order of the list; each takes its town, the evidence up to
    /// that town, and no toll (a number told for all the towns is no town's).
    pub(super) fn split_towns(&self, cands: Vec<Cand>, d: &Doc) -> Vec<Cand> {
        let mut out = Vec::with_capacity(cands.len());
        for c in cands {
            let list = match (&c.location, c.place_from) {
                (Some(loc), PlaceFrom::Clause)
                    if matches!(c.category, Category::Protest | Category::Assault) =>
                {
                    d.places
                        .iter()
                        .position(|(_, _, p)| p.start == loc.span.start && p.end == loc.span.end)
                        .map(|k| town_list(d, k))
                        .unwrap_or_default()
                }
                _ => Vec::new(),
            };
            // two mentions of one town ("بغداد … وبغداد") are one happening
            let mut names: Vec<&str> = list
                .iter()
                .map(|&k| d.places[k].2.name_en.as_str())
                .collect();
            names.sort_unstable();
            names.dedup();
            if names.len() < 2 || names.len() != list.len() {
                out.push(c);
                continue;
            }
            for &k in &list {
                let mut piece = c.clone();
                let loc = self.location(d, k);
                piece.evidence = Span::new(
                    c.evidence.start.min(loc.span.start),
                    loc.span.end.max(c.trigger.end),
                );
                piece.location = Some(loc);
                piece.counts = Counts::default();
                out.push(piece);
            }
        }
        out
    }
}
