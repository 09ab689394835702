//! A self-trained type lexicon: how often a first-pass tagger tags each word (by stem key) as
//! part of a PERS, LOC, ORG or MISC name across unlabelled news. A name the training data never
//! shows can still have been tagged in thousands of news sentences whose contexts gave it away
//! (`شركة نيسان`, `قال جوزيه`), and the bucketed shares become features of the second pass.

use crate::gazetteer::IdMap;
use crate::Tagger;

/// Word (stem-key hash) → packed share buckets: 3 bits per type (PERS, LOC, ORG, MISC), and
/// bit 12 set for a word seen often enough to count.
#[derive(Debug, Clone, Default)]
pub struct TypeLexicon {
    map: IdMap<u16>,
}

/// The flag of a word seen often enough, whatever its shares.
const SEEN: u16 = 1 << 12;

/// The bucket of a share of occurrences (0 for none or almost none).
pub(crate) fn bucket(part: u32, total: u32) -> u16 {
    let r = f64::from(part) / f64::from(total.max(1));
    match r {
        r if r < 0.02 => 0,
        r if r < 0.1 => 1,
        r if r < 0.3 => 2,
        r if r < 0.6 => 3,
        r if r < 0.9 => 4,
        _ => 5,
    }
}

impl TypeLexicon {
    /// An empty lexicon: no word has shares.
    pub fn new() -> Self {
        Self::default()
    }

    /// The packed shares of a word's stem-key hash (0 when unknown).
    #[inline]
    pub fn get(&self, stem: u64) -> u16 {
        self.map.get(&stem).copied().unwrap_or(0)
    }

    /// The feature values of packed shares: `1 + 8·type + bucket` for each type with a share,
    /// or 0 alone for a word seen often but never in a name.
    pub fn values(code: u16) -> impl Iterator<Item = u64> {
        let none = code == SEEN;
        (0u16..4)
            .filter_map(move |k| {
                let b = (code >> (3 * k)) & 7;
                (b != 0).then_some(1 + 8 * u64::from(k) + u64::from(b))
            })
            .chain(none.then_some(0))
    }

    /// Number of words.
    pub fn len(&self) -> usize {
        self.map.len()
    }

    /// Whether no word is known.
    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    /// Serializes to bytes: count, then sorted (hash, code) pairs.
    pub fn to_bytes(&self, out: &mut Vec<u8>) {
        let mut v: Vec<(u64, u16)> = self.map.iter().map(|(k, v)| (*k, *v)).collect();
        v.sort_unstable();
        out.extend_from_slice(&(v.len() as u64).to_le_bytes());
        for (k, _) in &v {
            out.extend_from_slice(&k.to_le_bytes());
        }
        for (_, c) in &v {
            out.extend_from_slice(&c.to_le_bytes());
        }
    }

    /// Reads what [`TypeLexicon::to_bytes`] wrote, returning the rest of the bytes.
    pub fn from_bytes(b: &[u8]) -> Option<(Self, &[u8])> {
        let n = u64::from_le_bytes(b.get(0..8)?.try_into().ok()?) as usize;
        let end = n.checked_mul(10)?.checked_add(8)?;
        let keys = b.get(8..8 + 8 * n)?;
        let codes = b.get(8 + 8 * n..end)?;
        let mut map = IdMap::with_capacity_and_hasher(n, Default::default());
        for (k, c) in keys.chunks_exact(8).zip(codes.chunks_exact(2)) {
            map.insert(
                u64::from_le_bytes(k.try_into().ok()?),
                u16::from_le_bytes([c[0], c[1]]),
            );
        }
        Some((TypeLexicon { map }, &b[end..]))
    }
}

/// Counts, per stem key, the tags a tagger gives across a corpus.
#[derive(Debug, Default)]
pub struct Counter {
    counts: IdMap<[u32; 5]>,
}

impl Counter {
    /// An empty counter.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds one tagged sentence: `stems[i]` is the stem-key hash of token `i`.
    pub fn add(&mut self, stems: &[u64], tags: &[u8]) {
        for (&s, &t) in stems.iter().zip(tags) {
            let k = crate::tags::type_of(t).map_or(0, |k| k + 1);
            self.counts.entry(s).or_insert([0; 5])[k] += 1;
        }
    }

    /// Tags every sentence of `texts` (split by `marsad_text`) with `tagger` (view 0, without the
    /// name-link constraint: [`crate::Session::tag_unlinked`]) and adds it.
    pub fn add_texts<I, S>(&mut self, tagger: &Tagger, texts: I)
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let mut session = tagger.session();
        let mut a = marsad_text::TextAnalysis::default();
        let mut stems = Vec::new();
        let mut tags = Vec::new();
        for text in texts {
            let text = text.as_ref();
            marsad_text::analyze_into(text, &mut a);
            for si in 0..a.sentences.len() {
                let ts = &a.tokens[a.sentence_tokens(si)];
                let toks: Vec<&str> = ts.iter().map(|t| t.text(text)).collect();
                session.tag_unlinked(&toks, &mut tags);
                stems.clear();
                stems.extend(session.stems());
                self.add(&stems, &tags);
            }
        }
    }

    /// The lexicon of the words seen at least `min` times.
    pub fn finish(&self, min: u32) -> TypeLexicon {
        let mut map = IdMap::default();
        for (&w, c) in &self.counts {
            let total: u32 = c.iter().sum();
            if total < min {
                continue;
            }
            let mut code = SEEN;
            for k in 0..4 {
                code |= bucket(c[k + 1], total) << (3 * k);
            }
            map.insert(w, code);
        }
        TypeLexicon { map }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_round_trip() {
        let mut c = Counter::new();
        // word 1: PERS 9 times of 10; word 2: never a name; word 3: too rare
        for i in 0..10 {
            c.add(&[1, 2], &[if i == 0 { 0 } else { 1 }, 0]);
        }
        c.add(&[3], &[3]);
        let lex = c.finish(3);
        assert_eq!(lex.len(), 2);
        assert_eq!(
            TypeLexicon::values(lex.get(1)).collect::<Vec<_>>(),
            vec![1 + 5]
        );
        assert_eq!(TypeLexicon::values(lex.get(2)).collect::<Vec<_>>(), vec![0]);
        assert_eq!(lex.get(3), 0);
        let mut b = Vec::new();
        lex.to_bytes(&mut b);
        b.push(9);
        let (l2, rest) = TypeLexicon::from_bytes(&b).unwrap();
        assert_eq!(rest, &[9]);
        assert_eq!(l2.get(1), lex.get(1));
    }
}
