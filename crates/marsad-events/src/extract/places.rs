//! Place mentions the gazetteer cannot see: words that refer back to a town already named.

use super::doc::Doc;
use super::Extractor;

impl Extractor {
    /// Adds, for each definite "the city / the town / the village" (في المدينة، على البلدة)
    /// that names no town itself, a mention of the town last named before it: the noun refers
    /// back to that town, and the gazetteer cannot see it.
    pub(super) fn anaphoric_towns(&self, d: &mut Doc) {
        let mut added = Vec::new();
        let longest = d.places.iter().map(|&(a, b, _)| b - a).max().unwrap_or(0);
        for j in 0..d.tokens.len() {
            let t = &d.tokens[j];
            if !t.prefixes.contains(&"ال") || d.phrase(&self.lex.cues.anaphoric, j).is_none() {
                continue;
            }
            // part of a name (المدينة المنورة) or followed by the name it introduces
            // (only places that start no further back than the longest one is long)
            if d.places_in(j.saturating_sub(longest), j + 2)
                .any(|k| j < d.places[k].1)
            {
                continue;
            }
            // the last town told as a place, in this sentence or the two before it, with no
            // unknown one of the same kind named since (قرية المعش … مقبرة القرية)
            let si = d.sents.partition_point(|r| r.end <= j);
            let from = d.sents[si.saturating_sub(2)].start;
            let antecedent = d
                .places_in(from, j)
                .map(|k| &d.places[k])
                .filter(|&&(a, b, p)| b <= j && p.feature == "city" && self.locative(d, a))
                .max_by_key(|&&(a, _, _)| a)
                .filter(|&&(_, b, _)| {
                    !(b..j).any(|k| {
                        !d.tokens[k].has_article()
                            && d.phrase(&self.lex.cues.anaphoric, k).is_some()
                    })
                });
            if let Some(&(_, _, p)) = antecedent {
                added.push((j, j + 1, p));
            }
        }
        if !added.is_empty() {
            d.places.extend(added);
            d.places.sort_by_key(|&(a, _, _)| a);
        }
    }

    /// Whether the place mention at token `a` is told as a place: after a preposition (في بغداد،
    /// من عفرين), a word of ground (مدينة الحديدة) or of direction (شمال حلب). A bare name may
    /// stand for its government (سيطرة أنقرة، أعلنت واشنطن).
    pub(super) fn locative(&self, d: &Doc, a: usize) -> bool {
        let cues = &self.lex.cues;
        d.prep_before(a).is_some()
            || (a >= 1
                && (d.phrase(&cues.ground, a - 1).is_some()
                    || d.phrase(&cues.near, a - 1).is_some()))
    }

    /// The town that narrows a wide place `k` (a country, region or province): one in the same
    /// country after "including" (`narrowing` in the cues) within four words of it — "في شمال
    /// سوريا بما في ذلك في مدينة منبج", "في عدة محافظات ولا سيما بغداد".
    pub(super) fn narrowed(&self, d: &Doc, k: usize) -> Option<usize> {
        let (_, b, p) = d.places[k];
        if p.feature == "city" {
            return None;
        }
        let cue = (b..(b + 4).min(d.tokens.len()))
            .find(|&j| d.phrase(&self.lex.cues.narrowing, j).is_some())?;
        let after = cue + d.phrase(&self.lex.cues.narrowing, cue).unwrap_or(1);
        d.places.iter().position(|&(a, _, q)| {
            a >= after && a <= after + 3 && q.feature == "city" && q.country == p.country
        })
    }
}
