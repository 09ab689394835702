//! Word vectors from positional co-occurrence: positive PMI over the two tokens on either side
//! (each position its own block of context columns), reduced to a few dozen dimensions by a
//! seeded randomized SVD. Everything runs in a fixed order, so the vectors are deterministic.

use crate::hash::Rng;

/// A sparse matrix in compressed rows.
pub struct Sparse {
    /// Number of columns.
    pub cols: usize,
    indptr: Vec<usize>,
    idx: Vec<u32>,
    vals: Vec<f32>,
}

impl Sparse {
    /// Number of rows.
    pub fn rows(&self) -> usize {
        self.indptr.len() - 1
    }

    /// Number of stored entries.
    pub fn nnz(&self) -> usize {
        self.vals.len()
    }

    fn row(&self, r: usize) -> (&[u32], &[f32]) {
        let (a, b) = (self.indptr[r], self.indptr[r + 1]);
        (&self.idx[a..b], &self.vals[a..b])
    }

    /// `self · x` for a dense column `x` (one entry per column).
    fn mul(&self, x: &[f64]) -> Vec<f64> {
        (0..self.rows())
            .map(|r| {
                let (ix, vs) = self.row(r);
                ix.iter()
                    .zip(vs)
                    .map(|(&c, &v)| f64::from(v) * x[c as usize])
                    .sum()
            })
            .collect()
    }

    /// `selfᵀ · y` for a dense column `y` (one entry per row).
    fn mul_t(&self, y: &[f64]) -> Vec<f64> {
        let mut z = vec![0f64; self.cols];
        for (r, &yr) in y.iter().enumerate() {
            let (ix, vs) = self.row(r);
            for (&c, &v) in ix.iter().zip(vs) {
                z[c as usize] += f64::from(v) * yr;
            }
        }
        z
    }
}

/// Token id that separates documents (as in [`crate::clusters`]).
const BREAK: u32 = u32::MAX;

/// The positive-PMI matrix of `rows` words (row of token id `t`: `row_of[t]`, `u32::MAX` when
/// not counted) against `nc` context tokens (column of `t`: `col_of[t]`) at offsets −2, −1, +1
/// and +2, each offset its own block of `nc` columns. The context distribution is smoothed to
/// the power 0.75.
pub fn positional_ppmi(
    stream: &[u32],
    row_of: &[u32],
    col_of: &[u32],
    rows: usize,
    nc: usize,
) -> Sparse {
    const OFFSETS: [isize; 4] = [-2, -1, 1, 2];
    let mut pairs: Vec<u64> = Vec::new();
    for (i, &t) in stream.iter().enumerate() {
        if t == BREAK || row_of[t as usize] == u32::MAX {
            continue;
        }
        let row = u64::from(row_of[t as usize]);
        for (b, &off) in OFFSETS.iter().enumerate() {
            let j = i as isize + off;
            if j < 0 || j as usize >= stream.len() {
                continue;
            }
            let j = j as usize;
            // never across a document break
            let (lo, hi) = if j < i { (j, i) } else { (i + 1, j + 1) };
            if stream[lo..hi].contains(&BREAK) {
                continue;
            }
            let c = col_of[stream[j] as usize];
            if c != u32::MAX {
                pairs.push(row << 32 | (b * nc + c as usize) as u64);
            }
        }
    }
    pairs.sort_unstable();
    let width = 4 * nc;
    let mut indptr = vec![0usize; rows + 1];
    let mut idx = Vec::new();
    let mut counts: Vec<f64> = Vec::new();
    let mut row_sum = vec![0f64; rows];
    let mut col_sum = vec![0f64; width];
    let mut k = 0;
    while k < pairs.len() {
        let key = pairs[k];
        let mut e = k;
        while e < pairs.len() && pairs[e] == key {
            e += 1;
        }
        let (r, c) = ((key >> 32) as usize, (key & 0xffff_ffff) as usize);
        let n = (e - k) as f64;
        indptr[r + 1] += 1;
        idx.push(c as u32);
        counts.push(n);
        row_sum[r] += n;
        col_sum[c] += n;
        k = e;
    }
    drop(pairs);
    for r in 0..rows {
        indptr[r + 1] += indptr[r];
    }
    let smooth: Vec<f64> = col_sum.iter().map(|c| c.powf(0.75)).collect();
    let total: f64 = smooth.iter().sum::<f64>().max(1.0);
    let mut out_ptr = vec![0usize; rows + 1];
    let mut out_idx = Vec::new();
    let mut vals = Vec::new();
    for r in 0..rows {
        for e in indptr[r]..indptr[r + 1] {
            let c = idx[e] as usize;
            let pmi = (counts[e] / row_sum[r] / (smooth[c] / total)).ln();
            if pmi > 0.0 {
                out_idx.push(c as u32);
                vals.push(pmi as f32);
            }
        }
        out_ptr[r + 1] = vals.len();
    }
    Sparse {
        cols: width,
        indptr: out_ptr,
        idx: out_idx,
        vals,
    }
}

/// Makes the columns orthonormal (modified Gram–Schmidt, run twice for stability).
fn orthonormalize(cols: &mut [Vec<f64>]) {
    for _ in 0..2 {
        for j in 0..cols.len() {
            let (done, rest) = cols.split_at_mut(j);
            let v = &mut rest[0];
            for u in done.iter() {
                let d: f64 = u.iter().zip(v.iter()).map(|(a, b)| a * b).sum();
                v.iter_mut().zip(u).for_each(|(x, a)| *x -= d * a);
            }
            let n = v.iter().map(|x| x * x).sum::<f64>().sqrt();
            if n > 1e-12 {
                v.iter_mut().for_each(|x| *x /= n);
            } else {
                v.iter_mut().for_each(|x| *x = 0.0);
            }
        }
    }
}

/// Eigenvalues and eigenvectors of the symmetric `n × n` matrix `a` (row-major), by cyclic
/// Jacobi rotations: `(values, vectors)` with eigenvector `i` in column `i` of `vectors`.
pub fn symmetric_eigen(mut a: Vec<f64>, n: usize) -> (Vec<f64>, Vec<f64>) {
    let mut v = vec![0f64; n * n];
    for i in 0..n {
        v[i * n + i] = 1.0;
    }
    let scale: f64 = a.iter().map(|x| x * x).sum::<f64>().max(1e-300);
    for _ in 0..100 {
        let mut off = 0f64;
        for p in 0..n {
            for q in p + 1..n {
                off += a[p * n + q] * a[p * n + q];
            }
        }
        if off <= scale * 1e-30 {
            break;
        }
        for p in 0..n {
            for q in p + 1..n {
                let apq = a[p * n + q];
                if apq == 0.0 {
                    continue;
                }
                let theta = (a[q * n + q] - a[p * n + p]) / (2.0 * apq);
                let t = if theta == 0.0 {
                    1.0
                } else {
                    theta.signum() / (theta.abs() + (theta * theta + 1.0).sqrt())
                };
                let c = 1.0 / (t * t + 1.0).sqrt();
                let s = t * c;
                for k in 0..n {
                    let (kp, kq) = (a[k * n + p], a[k * n + q]);
                    a[k * n + p] = c * kp - s * kq;
                    a[k * n + q] = s * kp + c * kq;
                }
                for k in 0..n {
                    let (pk, qk) = (a[p * n + k], a[q * n + k]);
                    a[p * n + k] = c * pk - s * qk;
                    a[q * n + k] = s * pk + c * qk;
                }
                for k in 0..n {
                    let (kp, kq) = (v[k * n + p], v[k * n + q]);
                    v[k * n + p] = c * kp - s * kq;
                    v[k * n + q] = s * kp + c * kq;
                }
            }
        }
    }
    ((0..n).map(|i| a[i * n + i]).collect(), v)
}

/// A standard normal sample (Box–Muller).
fn gaussian(rng: &mut Rng) -> f64 {
    let u1 = ((rng.next_u64() >> 11) as f64 + 0.5) / (1u64 << 53) as f64;
    let u2 = (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
    (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
}

/// The rows of `p` reduced to `dims` dimensions: the left singular vectors scaled by the square
/// roots of the singular values (randomized SVD with two power iterations), L2-normalized;
/// row-major, `p.rows() × dims`.
pub fn svd_rows(p: &Sparse, dims: usize, seed: u64, mut log: impl FnMut(&str)) -> Vec<f32> {
    let k = dims + 10;
    let mut rng = Rng::new(seed);
    let omega: Vec<Vec<f64>> = (0..k)
        .map(|_| (0..p.cols).map(|_| gaussian(&mut rng)).collect())
        .collect();
    let mut y: Vec<Vec<f64>> = omega.iter().map(|w| p.mul(w)).collect();
    orthonormalize(&mut y);
    for it in 0..2 {
        let mut z: Vec<Vec<f64>> = y.iter().map(|q| p.mul_t(q)).collect();
        orthonormalize(&mut z);
        y = z.iter().map(|w| p.mul(w)).collect();
        orthonormalize(&mut y);
        log(&format!("embedding: power iteration {}", it + 1));
    }
    // B = Qᵀ P; its Gram matrix B Bᵀ = Zᵀ Z with Z = Pᵀ Q
    let z: Vec<Vec<f64>> = y.iter().map(|q| p.mul_t(q)).collect();
    let mut g = vec![0f64; k * k];
    for i in 0..k {
        for j in i..k {
            let d: f64 = z[i].iter().zip(&z[j]).map(|(a, b)| a * b).sum();
            g[i * k + j] = d;
            g[j * k + i] = d;
        }
    }
    let (vals, vecs) = symmetric_eigen(g, k);
    let mut order: Vec<usize> = (0..k).collect();
    order.sort_by(|&a, &b| vals[b].total_cmp(&vals[a]).then(a.cmp(&b)));
    let n = p.rows();
    let mut out = vec![0f32; n * dims];
    for (d, &e) in order.iter().take(dims).enumerate() {
        // singular value s = sqrt(λ); the column is U·sqrt(s)
        let w = vals[e].max(0.0).sqrt().sqrt();
        let mut u = vec![0f64; n];
        for (j, q) in y.iter().enumerate() {
            let c = vecs[j * k + e];
            u.iter_mut().zip(q).for_each(|(x, a)| *x += c * a);
        }
        for (r, x) in u.iter().enumerate() {
            out[r * dims + d] = (x * w) as f32;
        }
    }
    out.chunks_mut(dims)
        .for_each(crate::clusters::normalize_vec);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jacobi_diagonalizes_a_symmetric_matrix() {
        let a = vec![4.0, 1.0, 2.0, 1.0, 3.0, 0.5, 2.0, 0.5, 1.0];
        let (vals, v) = symmetric_eigen(a.clone(), 3);
        // A v_i = λ_i v_i
        for i in 0..3 {
            for r in 0..3 {
                let av: f64 = (0..3).map(|c| a[r * 3 + c] * v[c * 3 + i]).sum();
                assert!((av - vals[i] * v[r * 3 + i]).abs() < 1e-9);
            }
        }
        let trace: f64 = vals.iter().sum();
        assert!((trace - 8.0).abs() < 1e-9);
    }

    #[test]
    fn words_in_the_same_contexts_get_close_vectors() {
        // ids: 0 ذهب, 1 محمد, 2 علي, 3 الى, 4 القاهرة, 5 بغداد, 6 اكل, 7 خبز
        let docs: [&[u32]; 6] = [
            &[0, 1, 3, 4],
            &[0, 2, 3, 5],
            &[0, 1, 3, 5],
            &[0, 2, 3, 4],
            &[6, 1, 7],
            &[6, 2, 7],
        ];
        let mut stream = Vec::new();
        for d in docs {
            stream.extend_from_slice(d);
            stream.push(BREAK);
        }
        let ids: Vec<u32> = (0..8).collect();
        let p = positional_ppmi(&stream, &ids, &ids, 8, 8);
        assert_eq!(p.rows(), 8);
        assert!(p.nnz() > 0);
        let e = svd_rows(&p, 3, 1, |_| {});
        let dot = |a: usize, b: usize| -> f32 { (0..3).map(|d| e[a * 3 + d] * e[b * 3 + d]).sum() };
        assert!(dot(1, 2) > 0.99, "محمد ~ علي: {}", dot(1, 2));
        assert!(dot(4, 5) > dot(4, 1));
        assert_eq!(e, svd_rows(&p, 3, 1, |_| {}));
    }
}
