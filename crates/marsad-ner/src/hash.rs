//! Stable hashing of strings and features (xxh3 and a splitmix finalizer), and a small seeded
//! random number generator for deterministic training.

/// The stable 64-bit hash of a string.
#[inline]
pub fn str_hash(s: &str) -> u64 {
    xxhash_rust::xxh3::xxh3_64(s.as_bytes())
}

/// The stable 64-bit hash of bytes.
#[inline]
pub fn str_hash_bytes(b: &[u8]) -> u64 {
    xxhash_rust::xxh3::xxh3_64(b)
}

/// The splitmix64 finalizer: a cheap, well-mixing bijection on `u64`.
#[inline]
pub fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// The hash of feature template `t` with value `v`.
#[inline]
pub fn feat(t: u8, v: u64) -> u64 {
    mix(v ^ (u64::from(t) << 56) ^ 0x9e37_79b9_7f4a_7c15)
}

/// The hash of feature template `t` over two values.
#[inline]
pub fn feat2(t: u8, a: u64, b: u64) -> u64 {
    feat(t, mix(a).rotate_left(17) ^ b)
}

/// Extends a sequence hash `acc` with one more item.
#[inline]
pub fn seq(acc: u64, item: u64) -> u64 {
    mix(acc.rotate_left(23) ^ item ^ 0x2545_f491_4f6c_dd1d)
}

/// A seeded splitmix64 generator.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator started from `seed`.
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        mix(self.0)
    }

    /// A number in `0..n` (`n > 0`).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    /// Shuffles `v` in place (Fisher–Yates).
    pub fn shuffle<T>(&mut self, v: &mut [T]) {
        for i in (1..v.len()).rev() {
            let j = self.below(i + 1);
            v.swap(i, j);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stable_values() {
        // these values are baked into trained models: they must never change
        assert_eq!(mix(0), 0);
        assert_eq!(str_hash(""), xxhash_rust::xxh3::xxh3_64(b""));
        assert_ne!(feat(1, 5), feat(2, 5));
        assert_ne!(feat2(1, 5, 6), feat2(1, 6, 5));
        let mut a = Rng::new(7);
        let mut b = Rng::new(7);
        assert_eq!(a.next_u64(), b.next_u64());
    }
}
