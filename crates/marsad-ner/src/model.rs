//! The linear model: feature weights per tag in a flat table indexed through an open-addressing
//! hash of feature hashes, tag-transition weights, and Viterbi decoding under IOB2 constraints.

use crate::tags::{self, NT};

/// Feature weights and transitions.
#[derive(Debug, Clone)]
pub struct Weights {
    keys: Vec<u64>,
    rows: Vec<u32>,
    mask: usize,
    w: Vec<f32>,
    /// `trans[p][c]`: weight of tag `c` after tag `p - 1` (`p = 0` is the sentence start).
    trans: [[f32; NT]; NT + 1],
}

/// A score that rules a transition out.
const NEG: f32 = -1e30;

impl Weights {
    /// Builds the model from (feature hash, weights per tag) rows and transitions.
    pub fn new(rows: Vec<(u64, [f32; NT])>, trans: [[f32; NT]; NT + 1]) -> Self {
        let cap = (rows.len() * 2).next_power_of_two().max(16);
        let mut keys = vec![0u64; cap];
        let mut idx = vec![0u32; cap];
        let mut w = Vec::with_capacity(rows.len() * NT);
        for (r, (k, ws)) in rows.into_iter().enumerate() {
            let k = k.max(1);
            let mut s = (k as usize) & (cap - 1);
            while keys[s] != 0 && keys[s] != k {
                s = (s + 1) & (cap - 1);
            }
            keys[s] = k;
            idx[s] = r as u32;
            w.extend_from_slice(&ws);
        }
        let mut trans = trans;
        for (p, row) in trans.iter_mut().enumerate() {
            let prev = p.checked_sub(1).map(|x| x as u8);
            for (c, v) in row.iter_mut().enumerate() {
                if !tags::allowed(prev, c as u8) {
                    *v = NEG;
                }
            }
        }
        Weights {
            keys,
            rows: idx,
            mask: cap - 1,
            w,
            trans,
        }
    }

    /// Number of features with weights.
    pub fn len(&self) -> usize {
        self.w.len() / NT
    }

    /// Whether the model has no feature.
    pub fn is_empty(&self) -> bool {
        self.w.is_empty()
    }

    /// The weights row of feature hash `k`.
    #[inline]
    fn row(&self, k: u64) -> Option<&[f32]> {
        let k = k.max(1);
        let mut s = (k as usize) & self.mask;
        loop {
            let key = self.keys[s];
            if key == k {
                let r = self.rows[s] as usize * NT;
                return Some(&self.w[r..r + NT]);
            }
            if key == 0 {
                return None;
            }
            s = (s + 1) & self.mask;
        }
    }

    /// Adds the weights of `feats` into `out`.
    #[inline]
    pub fn emit(&self, feats: &[u64], out: &mut [f32; NT]) {
        *out = [0.0; NT];
        for &f in feats {
            if let Some(r) = self.row(f) {
                for (o, w) in out.iter_mut().zip(r) {
                    *o += w;
                }
            }
        }
    }

    /// The transition table.
    pub fn trans(&self) -> &[[f32; NT]; NT + 1] {
        &self.trans
    }

    /// Serializes: magic, counts, transitions, a global scale, keys, and i16-quantized weights.
    pub fn to_bytes(&self, out: &mut Vec<u8>) {
        let mut rows: Vec<(u64, usize)> = self
            .keys
            .iter()
            .zip(&self.rows)
            .filter(|(k, _)| **k != 0)
            .map(|(k, r)| (*k, *r as usize))
            .collect();
        rows.sort_unstable();
        let max = self.w.iter().fold(0f32, |m, w| m.max(w.abs())).max(1e-9);
        let scale = max / 32767.0;
        out.extend_from_slice(&(rows.len() as u64).to_le_bytes());
        for row in &self.trans {
            for v in row {
                out.extend_from_slice(&v.max(-1e9).to_le_bytes());
            }
        }
        out.extend_from_slice(&scale.to_le_bytes());
        for (k, _) in &rows {
            out.extend_from_slice(&k.to_le_bytes());
        }
        for (_, r) in &rows {
            for w in &self.w[r * NT..(r + 1) * NT] {
                let q = (w / scale).round().clamp(-32767.0, 32767.0) as i16;
                out.extend_from_slice(&q.to_le_bytes());
            }
        }
    }

    /// Reads what [`Weights::to_bytes`] wrote; returns the rest of the bytes.
    pub fn from_bytes(b: &[u8]) -> Option<(Self, &[u8])> {
        let n = u64::from_le_bytes(b.get(0..8)?.try_into().ok()?) as usize;
        let mut pos = 8;
        let mut trans = [[0f32; NT]; NT + 1];
        for row in trans.iter_mut() {
            for v in row.iter_mut() {
                *v = f32::from_le_bytes(b.get(pos..pos + 4)?.try_into().ok()?);
                pos += 4;
            }
        }
        let scale = f32::from_le_bytes(b.get(pos..pos + 4)?.try_into().ok()?);
        pos += 4;
        let keys = b.get(pos..pos.checked_add(n.checked_mul(8)?)?)?;
        pos += n * 8;
        let ws = b.get(pos..pos.checked_add(n.checked_mul(NT * 2)?)?)?;
        pos += n * NT * 2;
        let rows: Vec<(u64, [f32; NT])> = keys
            .chunks_exact(8)
            .zip(ws.chunks_exact(NT * 2))
            .map(|(k, w)| {
                let mut r = [0f32; NT];
                for (o, q) in r.iter_mut().zip(w.chunks_exact(2)) {
                    *o = f32::from(i16::from_le_bytes([q[0], q[1]])) * scale;
                }
                (u64::from_le_bytes(k.try_into().unwrap_or_default()), r)
            })
            .collect();
        Some((Weights::new(rows, trans), &b[pos..]))
    }
}

/// Reusable buffers for [`viterbi`].
#[derive(Debug, Default, Clone)]
pub struct Lattice {
    back: Vec<[u8; NT]>,
}

#[allow(clippy::needless_range_loop)]
/// The best tag sequence for emission scores `em` under transitions `trans`, written to `out`.
pub fn viterbi(
    em: &[[f32; NT]],
    trans: &[[f32; NT]; NT + 1],
    link: impl Fn(usize) -> bool,
    lat: &mut Lattice,
    out: &mut Vec<u8>,
) {
    out.clear();
    let n = em.len();
    if n == 0 {
        return;
    }
    lat.back.clear();
    lat.back.resize(n, [0; NT]);
    let mut score = [0f32; NT];
    for (c, s) in score.iter_mut().enumerate() {
        *s = trans[0][c] + em[0][c];
    }
    for i in 1..n {
        let mut next = [0f32; NT];
        let joined = link(i - 1);
        for c in 0..NT {
            let mut best = (f32::MIN, 0u8);
            for (p, sp) in score.iter().enumerate() {
                if joined && p != 0 && c != p + (p % 2) {
                    // a name-link word inside a name is followed by the same name (I-X)
                    continue;
                }
                let v = sp + trans[p + 1][c];
                if v > best.0 {
                    best = (v, p as u8);
                }
            }
            next[c] = best.0 + em[i][c];
            lat.back[i][c] = best.1;
        }
        score = next;
    }
    if link(n - 1) {
        // nor does a name end on one
        for s in &mut score[1..] {
            *s = f32::MIN;
        }
    }
    let mut best = 0u8;
    for c in 1..NT {
        if score[c] > score[best as usize] {
            best = c as u8;
        }
    }
    out.resize(n, 0);
    out[n - 1] = best;
    for i in (1..n).rev() {
        best = lat.back[i][best as usize];
        out[i - 1] = best;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn viterbi_respects_transitions_and_constraints() {
        // token 1 prefers I-PERS on its own, but I-PERS cannot follow O
        let mut em = vec![[0f32; NT]; 2];
        em[0][0] = 1.0; // O
        em[1][2] = 2.0; // I-PERS
        em[1][1] = 1.5; // B-PERS
        let w = Weights::new(Vec::new(), [[0.0; NT]; NT + 1]);
        let mut lat = Lattice::default();
        let mut out = Vec::new();
        viterbi(&em, w.trans(), |_| false, &mut lat, &mut out);
        assert_eq!(out, vec![0, 1]);
        // with B-PERS first, I-PERS is allowed
        em[0][1] = 3.0;
        viterbi(&em, w.trans(), |_| false, &mut lat, &mut out);
        assert_eq!(out, vec![1, 2]);
    }

    #[test]
    fn a_name_link_word_is_followed_by_its_name() {
        // أسامة بن لادن قال: on its own the model would end the name on بن (token 1)
        let mut em = vec![[0f32; NT]; 4];
        em[0][1] = 5.0; // B-PERS
        em[1][2] = 5.0; // I-PERS
        em[2][0] = 2.0; // O
        em[2][2] = 1.0; // I-PERS
        em[3][0] = 5.0;
        let w = Weights::new(Vec::new(), [[0.0; NT]; NT + 1]);
        let (mut lat, mut out) = (Lattice::default(), Vec::new());
        viterbi(&em, w.trans(), |_| false, &mut lat, &mut out);
        assert_eq!(out, vec![1, 2, 0, 0]);
        viterbi(&em, w.trans(), |i| i == 1, &mut lat, &mut out);
        assert_eq!(out, vec![1, 2, 2, 0]);
        // a B-LOC link word goes on as I-LOC, not I-PERS
        em[1] = [0.0; NT];
        em[1][3] = 9.0; // B-LOC
        em[2][4] = 0.5; // I-LOC
        viterbi(&em, w.trans(), |i| i == 1, &mut lat, &mut out);
        assert_eq!(out, vec![1, 3, 4, 0]);
        // nor does a sentence end on a link word inside a name
        let mut em = vec![[0f32; NT]; 2];
        em[0][1] = 5.0;
        em[1][2] = 5.0;
        viterbi(&em, w.trans(), |i| i == 1, &mut lat, &mut out);
        assert_eq!(out[1], 0);
        // an O link word constrains nothing
        let mut em = vec![[0f32; NT]; 2];
        em[1][1] = 1.0;
        viterbi(&em, w.trans(), |i| i == 0, &mut lat, &mut out);
        assert_eq!(out, vec![0, 1]);
    }

    #[test]
    fn weights_round_trip() {
        let mut t = [[0.0; NT]; NT + 1];
        t[2][2] = 0.5;
        let mut r = [0f32; NT];
        r[3] = 1.25;
        let w = Weights::new(vec![(42, r), (7, [0.1; NT])], t);
        let mut b = Vec::new();
        w.to_bytes(&mut b);
        let (v, rest) = Weights::from_bytes(&b).unwrap();
        assert!(rest.is_empty());
        let mut out = [0f32; NT];
        v.emit(&[42, 99], &mut out);
        assert!((out[3] - 1.25).abs() < 1e-3);
        assert_eq!(v.len(), 2);
        assert!((v.trans()[2][2] - 0.5).abs() < 1e-6);
    }
}
