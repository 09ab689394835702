//! Name lists compiled at training time: places (GeoNames Arabic names, admin areas, a hand list
//! of countries and regions), person names (arabnamer), hand lists of organization and other
//! names, and cue words. Entries are stored as sequence hashes of word keys; the first word is
//! also stored without its article so that `بالموصل` (stem موصل) finds `الموصل`.

use crate::hash::{self, str_hash};
use std::collections::HashMap;

/// Flag: a place name.
pub const LOC: u8 = 1;
/// Flag: a person name.
pub const PER: u8 = 2;
/// Flag: an organization cue word (وزارة، حزب …).
pub const ORG_CUE: u8 = 4;
/// Flag: a country or region from the hand list.
pub const COUNTRY: u8 = 8;
/// Flag: a word that introduces a quoted title (برنامج، فيلم، بعنوان …).
pub const TITLE_CUE: u8 = 16;
/// Flag: a sports word (مباراة، فريق، تعادل …).
pub const SPORT: u8 = 32;
/// Flag: an organization name from the hand list (الزمالك، الأمم المتحدة، رويترز …).
pub const ORG_NAME: u8 = 64;
/// Flag: a named thing ANERcorp tags MISC (كأس العالم، نوبل، الحرب العالمية الثانية …).
pub const MISC_NAME: u8 = 128;
/// The bits of the flags that word features report (the title and sports cues have their own).
pub const FEATURE_BITS: [u64; 6] = [0, 1, 2, 3, 6, 7];

/// A hasher for keys that are already well-mixed 64-bit hashes.
#[derive(Default, Clone, Copy)]
pub struct IdHasher(u64);

impl std::hash::Hasher for IdHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = hash::mix(self.0 ^ u64::from(b));
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

/// A `HashMap` keyed by pre-mixed hashes.
pub type IdMap<V> = HashMap<u64, V, std::hash::BuildHasherDefault<IdHasher>>;

/// The hash of a sequence of word-key hashes.
pub fn seq_hash(words: impl IntoIterator<Item = u64>) -> u64 {
    words.into_iter().fold(0x51_7cc1_b727_220a, hash::seq)
}

/// Name lists keyed by sequence hash.
#[derive(Debug, Clone, Default)]
pub struct Gazetteer {
    map: IdMap<u8>,
    max_len: usize,
}

impl Gazetteer {
    /// An empty gazetteer.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a name (any text; split on spaces, each word keyed with `normalize::key`) with `flags`.
    pub fn add(&mut self, name: &str, flags: u8) {
        let words: Vec<String> = name
            .split(|c: char| c.is_whitespace() || c == '-')
            .map(marsad_text::normalize::key)
            .filter(|w| !w.is_empty())
            .collect();
        if words.is_empty() || words.len() > 6 {
            return;
        }
        if words.len() == 1 && words[0].chars().count() < 3 {
            return;
        }
        let hs: Vec<u64> = words.iter().map(|w| str_hash(w)).collect();
        self.insert(seq_hash(hs.iter().copied()), flags);
        if let Some(rest) = words[0].strip_prefix("ال") {
            if rest.chars().count() >= 2 {
                let first = str_hash(rest);
                self.insert(
                    seq_hash(std::iter::once(first).chain(hs[1..].iter().copied())),
                    flags,
                );
            }
        }
        self.max_len = self.max_len.max(words.len());
    }

    /// A copy with `flags` cleared everywhere (names left with no flag are dropped).
    pub fn without(&self, flags: u8) -> Gazetteer {
        let mut map = self.map.clone();
        map.retain(|_, f| {
            *f &= !flags;
            *f != 0
        });
        Gazetteer {
            map,
            max_len: self.max_len,
        }
    }

    fn insert(&mut self, h: u64, flags: u8) {
        *self.map.entry(h).or_insert(0) |= flags;
    }

    /// Number of stored keys.
    pub fn len(&self) -> usize {
        self.map.len()
    }

    /// Whether nothing is stored.
    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    /// The longest entry in words.
    pub fn max_len(&self) -> usize {
        self.max_len
    }

    /// The flags of a sequence hash (0 when absent).
    #[inline]
    pub fn get(&self, h: u64) -> u8 {
        self.map.get(&h).copied().unwrap_or(0)
    }

    /// The flags of one word given the hash of its key.
    #[inline]
    pub fn word(&self, h: u64) -> u8 {
        self.get(hash::seq(0x51_7cc1_b727_220a, h))
    }

    /// Serializes to bytes: count, max length, then sorted (hash, flags) pairs.
    pub fn to_bytes(&self, out: &mut Vec<u8>) {
        let mut v: Vec<(u64, u8)> = self.map.iter().map(|(k, v)| (*k, *v)).collect();
        v.sort_unstable();
        out.extend_from_slice(&(v.len() as u64).to_le_bytes());
        out.extend_from_slice(&(self.max_len as u64).to_le_bytes());
        for (k, _) in &v {
            out.extend_from_slice(&k.to_le_bytes());
        }
        out.extend(v.iter().map(|(_, f)| *f));
    }

    /// Reads what [`Gazetteer::to_bytes`] wrote, returning the rest of the bytes.
    pub fn from_bytes(b: &[u8]) -> Option<(Self, &[u8])> {
        let n = u64::from_le_bytes(b.get(0..8)?.try_into().ok()?) as usize;
        let max_len = u64::from_le_bytes(b.get(8..16)?.try_into().ok()?) as usize;
        let keys = b.get(16..16 + 8 * n)?;
        let flags = b.get(16 + 8 * n..16 + 9 * n)?;
        let mut map = IdMap::with_capacity_and_hasher(n, Default::default());
        for (k, f) in keys.chunks_exact(8).zip(flags) {
            map.insert(u64::from_le_bytes(k.try_into().ok()?), *f);
        }
        Some((Gazetteer { map, max_len }, &b[16 + 9 * n..]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn add_and_find() {
        let mut g = Gazetteer::new();
        g.add("الموصل", LOC);
        g.add("حمام العليل", LOC);
        g.add("محمد", PER);
        g.add("في", LOC); // too short: ignored
        assert_eq!(g.word(str_hash("الموصل")), LOC);
        assert_eq!(g.word(str_hash("موصل")), LOC);
        assert_eq!(g.word(str_hash("في")), 0);
        assert_eq!(g.get(seq_hash([str_hash("حمام"), str_hash("العليل")])), LOC);
        let mut b = Vec::new();
        g.to_bytes(&mut b);
        b.push(7);
        let (h, rest) = Gazetteer::from_bytes(&b).unwrap();
        assert_eq!(rest, &[7]);
        assert_eq!(h.word(str_hash("محمد")), PER);
        assert_eq!(h.max_len(), 2);
    }
}
