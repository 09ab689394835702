//! A tiny string hash and an identity hasher for maps keyed by such hashes.
//!
//! The hot loop hashes each reading of a word once, so a miss (most words) costs one hash and one
//! probe per reading.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

const K: u64 = 0x517c_c1b7_2722_0a95;
const PRIME: u64 = 0x0000_0100_0000_01b3;

/// The hash of `s`: eight bytes at a time (words are short, and this runs for every reading of
/// every word).
#[inline]
pub(crate) fn of(s: &str) -> u64 {
    let b = s.as_bytes();
    let mut h = b.len() as u64;
    let mut chunks = b.chunks_exact(8);
    for c in &mut chunks {
        let mut w = [0u8; 8];
        w.copy_from_slice(c);
        h = (h.rotate_left(5) ^ u64::from_le_bytes(w)).wrapping_mul(K);
    }
    let r = chunks.remainder();
    if !r.is_empty() {
        let mut w = [0u8; 8];
        w[..r.len()].copy_from_slice(r);
        h = (h.rotate_left(5) ^ u64::from_le_bytes(w)).wrapping_mul(K);
    }
    h ^ (h >> 29)
}

/// A hasher that passes a `u64` key through (the keys are already hashes), mixed once.
#[derive(Default, Clone, Copy)]
pub(crate) struct IdHasher(u64);

impl Hasher for IdHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(PRIME);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
    fn write_u32(&mut self, n: u32) {
        self.0 = u64::from(n).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    }
}

/// A set of precomputed hashes.
pub(crate) type HashSet64 = HashSet<u64, BuildHasherDefault<IdHasher>>;
/// A map keyed by precomputed hashes or small integers.
pub(crate) type HashMap64<K, V> = HashMap<K, V, BuildHasherDefault<IdHasher>>;

#[cfg(test)]
mod tests {
    #[test]
    fn different_words_hash_apart() {
        let words = ["دير", "دير الزور", "الموصل", "موصل", "حلب", "حلبا", ""];
        for (i, a) in words.iter().enumerate() {
            for b in &words[i + 1..] {
                assert_ne!(super::of(a), super::of(b), "{a} {b}");
            }
        }
    }
}
