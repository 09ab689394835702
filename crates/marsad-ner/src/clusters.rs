//! Word clusters learned from raw news text: each frequent word (by matching key) gets a fine
//! cluster and a coarse cluster, and three embedding-level clusters.
//!
//! The method is a fast, deterministic stand-in for Brown clustering: word vectors from the PPMI
//! of positional neighbour counts reduced by a randomized SVD ([`crate::embed`]), spherical
//! k-means over them (fine clusters, and the three embedding levels), then k-means over the fine
//! centroids (coarse clusters). The older vectors (left/right counts, PPMI, a seeded random ±1
//! projection) remain as an option. The result is an fst map from the key to the clusters.

use crate::hash::Rng;
use crate::NerError;
use marsad_text::{normalize, TokenKind};
use std::collections::HashMap;

/// Word → (fine, coarse) cluster ids.
pub struct Clusters {
    map: Option<fst::Map<Vec<u8>>>,
}

impl Clusters {
    /// No clusters: every lookup misses.
    pub fn empty() -> Self {
        Clusters { map: None }
    }

    /// Loads clusters from the bytes of an fst map (empty bytes give [`Clusters::empty`]).
    pub fn from_bytes(bytes: Vec<u8>) -> Result<Self, NerError> {
        if bytes.is_empty() {
            return Ok(Clusters::empty());
        }
        let map = fst::Map::new(bytes).map_err(|e| NerError::BadClusters(e.to_string()))?;
        Ok(Clusters { map: Some(map) })
    }

    /// The stored value of the word with matching key `key` (decode it with [`Clusters::fine_coarse`]
    /// and [`Clusters::levels`]).
    #[inline]
    pub fn value(&self, key: &str) -> Option<u64> {
        self.map.as_ref()?.get(key)
    }

    /// The (fine, coarse) clusters in a stored value.
    #[inline]
    pub fn fine_coarse(v: u64) -> Option<(u16, u16)> {
        let fine = (v & 0xffff) as u16;
        (fine != 0xffff).then_some((fine, ((v >> 16) & 0xffff) as u16))
    }

    /// The three embedding-level clusters in a stored value.
    #[inline]
    pub fn levels(v: u64) -> Option<[u16; 3]> {
        (v & EMB_FLAG != 0).then(|| {
            let level = |l: usize| ((v >> EMB_SHIFT[l]) & ((1 << EMB_BITS[l]) - 1)) as u16;
            [level(0), level(1), level(2)]
        })
    }

    /// The (fine, coarse) clusters of the word with matching key `key`.
    #[inline]
    pub fn get(&self, key: &str) -> Option<(u16, u16)> {
        self.value(key).and_then(Self::fine_coarse)
    }

    /// The three embedding-level clusters of the word with matching key `key`.
    #[inline]
    pub fn emb(&self, key: &str) -> Option<[u16; 3]> {
        self.value(key).and_then(Self::levels)
    }

    /// Number of words with a cluster.
    pub fn len(&self) -> usize {
        self.map.as_ref().map_or(0, |m| m.len())
    }

    /// Whether no word has a cluster.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Settings of [`learn`].
#[derive(Debug, Clone)]
pub struct Config {
    /// How many of the most frequent words get a cluster.
    pub vocab: usize,
    /// How many of the most frequent tokens serve as context features.
    pub contexts: usize,
    /// Dimensions after random projection.
    pub dims: usize,
    /// Number of fine clusters.
    pub fine: usize,
    /// Number of coarse clusters.
    pub coarse: usize,
    /// k-means iterations.
    pub iters: usize,
    /// Random seed.
    pub seed: u64,
    /// Cluster counts of the three embedding levels (0 = no embedding levels); at most 256,
    /// 1,024 and 4,096.
    pub emb_levels: [usize; 3],
    /// Dimensions of the embedding vectors.
    pub emb_dims: usize,
    /// How many of the most frequent words get an embedding.
    pub emb_vocab: usize,
    /// Fewest occurrences for a word to get an embedding.
    pub emb_min: u64,
    /// How many of the most frequent tokens serve as embedding contexts (at each of 4 offsets).
    pub emb_contexts: usize,
    /// How many of the most frequent embedded words the embedding k-means is fitted on.
    pub emb_fit: usize,
    /// Whether the fine and coarse clusters are k-means over the SVD vectors (else over the
    /// random projection of left/right neighbour counts).
    pub fine_from_svd: bool,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            vocab: 50_000,
            contexts: 1_000,
            dims: 192,
            fine: 320,
            coarse: 48,
            iters: 15,
            seed: 1,
            emb_levels: [100, 400, 1500],
            emb_dims: 64,
            emb_vocab: 100_000,
            emb_min: 5,
            emb_contexts: 3_000,
            emb_fit: 60_000,
            fine_from_svd: true,
        }
    }
}

impl Config {
    /// Checks the settings: the embedding levels hold at most 256, 1,024 and 4,096 clusters (the
    /// message names the option of `marsad train clusters`).
    pub fn check(&self) -> Result<(), NerError> {
        if self
            .emb_levels
            .iter()
            .zip([256, 1024, 4096])
            .any(|(&k, m)| k > m)
        {
            return Err(NerError::BadSettings(format!(
                "--emb-levels {:?}: the levels hold at most 256, 1024 and 4096 clusters",
                self.emb_levels
            )));
        }
        Ok(())
    }
}

/// `marsad train clusters`: checks `cfg` ([`Config::check`]), then learns clusters from `texts`
/// ([`learn`]) and returns the bytes of the fst map.
pub fn train<I, S>(texts: I, cfg: &Config, log: impl FnMut(&str)) -> Result<Vec<u8>, NerError>
where
    I: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    cfg.check()?;
    Ok(learn(texts, cfg, log))
}

/// Token id that separates documents and stands for tokens outside the interner.
const BREAK: u32 = u32::MAX;

/// Learns clusters from `texts` and returns the bytes of the fst map; `log` gets progress lines.
pub fn learn<I, S>(texts: I, cfg: &Config, mut log: impl FnMut(&str)) -> Vec<u8>
where
    I: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    // 1. intern every token's key, keep the token stream
    let mut ids: HashMap<String, u32> = HashMap::new();
    let mut words: Vec<(String, bool)> = Vec::new();
    let mut counts: Vec<u64> = Vec::new();
    let mut stream: Vec<u32> = Vec::new();
    let mut buf = String::new();
    let mut docs = 0usize;
    for text in texts {
        let text = text.as_ref();
        for (s, e, kind) in marsad_text::token::spans(text) {
            let is_word = matches!(kind, TokenKind::Word | TokenKind::Latin);
            if kind == TokenKind::Number {
                buf.clear();
                buf.push_str("<num>");
            } else {
                normalize::key_into(&text[s..e], &mut buf);
            }
            let id = match ids.get(buf.as_str()) {
                Some(&id) => id,
                None => {
                    let id = words.len() as u32;
                    ids.insert(buf.clone(), id);
                    words.push((buf.clone(), is_word));
                    counts.push(0);
                    id
                }
            };
            counts[id as usize] += 1;
            stream.push(id);
        }
        stream.push(BREAK);
        docs += 1;
        if docs.is_multiple_of(10_000) {
            log(&format!(
                "clusters: {docs} documents, {} tokens",
                stream.len()
            ));
        }
    }
    drop(ids);
    log(&format!(
        "clusters: {docs} documents, {} tokens, {} types",
        stream.len(),
        words.len()
    ));
    // 2. ranks: by count, then by key for determinism
    let mut order: Vec<u32> = (0..words.len() as u32).collect();
    order.sort_by(|&a, &b| {
        counts[b as usize]
            .cmp(&counts[a as usize])
            .then_with(|| words[a as usize].0.cmp(&words[b as usize].0))
    });
    let mut vrow = vec![u32::MAX; words.len()];
    let mut vocab: Vec<u32> = Vec::new();
    for &id in &order {
        if vocab.len() >= cfg.vocab {
            break;
        }
        if words[id as usize].1 {
            vrow[id as usize] = vocab.len() as u32;
            vocab.push(id);
        }
    }
    let embedding = embedding_levels(&stream, &order, &words, &counts, cfg, &mut log);
    let (svd, svd_row) = (&embedding.vecs, &embedding.row_of);
    let (vecs, d) = if cfg.fine_from_svd && !svd.is_empty() {
        // the fine and coarse clusters over the SVD vectors
        let ed = cfg.emb_dims;
        let mut v = vec![0f32; vocab.len() * ed];
        for (r, &id) in vocab.iter().enumerate() {
            let sr = svd_row[id as usize] as usize;
            if sr != u32::MAX as usize {
                v[r * ed..(r + 1) * ed].copy_from_slice(&svd[sr * ed..(sr + 1) * ed]);
            }
        }
        (v, ed)
    } else {
        projection_vectors(&stream, &order, &vocab, &vrow, words.len(), cfg, &mut log)
    };
    drop(stream);
    // 5. spherical k-means: fine over words, coarse over fine centroids
    let fine = kmeans(&vecs, d, cfg.fine.min(vocab.len()), cfg.iters, &mut log);
    let coarse = kmeans(
        &fine.centroids,
        d,
        cfg.coarse.min(fine.k),
        cfg.iters * 2,
        &mut |_| {},
    );
    // 6. the fst map: fine | coarse << 16 (both 0xffff for a word with embedding levels only),
    // embedding levels in bits 32.. with bit 63 set
    let mut entries: std::collections::BTreeMap<&str, u64> = std::collections::BTreeMap::new();
    for (r, &id) in vocab.iter().enumerate() {
        let f = fine.assign[r];
        let c = coarse.assign[f as usize];
        entries.insert(
            words[id as usize].0.as_str(),
            u64::from(f) | u64::from(c) << 16,
        );
    }
    for &(id, levels) in &embedding.levels {
        let v = entries
            .entry(words[id as usize].0.as_str())
            .or_insert(0xffff_ffff);
        *v |= EMB_FLAG;
        for (l, &c) in levels.iter().enumerate() {
            *v |= u64::from(c) << EMB_SHIFT[l];
        }
    }
    let mut b = fst::MapBuilder::memory();
    for (w, v) in entries {
        b.insert(w, v).expect("sorted, unique keys");
    }
    b.into_inner().expect("in-memory fst")
}

/// The random-projection vectors of the `vocab` words (row of token id `t`: `vrow[t]`): left and
/// right neighbour counts over the `cfg.contexts` most frequent tokens, PPMI, a seeded ±1
/// projection to `cfg.dims`, L2-normalized.
fn projection_vectors(
    stream: &[u32],
    order: &[u32],
    vocab: &[u32],
    vrow: &[u32],
    n_words: usize,
    cfg: &Config,
    log: &mut impl FnMut(&str),
) -> (Vec<f32>, usize) {
    let mut ccol = vec![u32::MAX; n_words];
    for (j, &id) in order.iter().take(cfg.contexts).enumerate() {
        ccol[id as usize] = j as u32;
    }
    let nc = cfg.contexts.min(order.len());
    let width = 2 * nc;
    // 3. neighbour counts (left block, right block)
    let mut m = vec![0u32; vocab.len() * width];
    for w in stream.windows(3) {
        let (l, c, r) = (w[0], w[1], w[2]);
        if c == BREAK {
            continue;
        }
        let row = vrow[c as usize];
        if row == u32::MAX {
            continue;
        }
        let base = row as usize * width;
        if l != BREAK && ccol[l as usize] != u32::MAX {
            m[base + ccol[l as usize] as usize] += 1;
        }
        if r != BREAK && ccol[r as usize] != u32::MAX {
            m[base + nc + ccol[r as usize] as usize] += 1;
        }
    }
    // 4. PPMI with context smoothing (0.75), random ±1 projection, L2 normalization
    let mut col = vec![0f64; width];
    for row in m.chunks(width) {
        for (j, &c) in row.iter().enumerate() {
            col[j] += f64::from(c);
        }
    }
    let smooth: Vec<f64> = col.iter().map(|c| c.powf(0.75)).collect();
    let ssum: f64 = smooth.iter().sum::<f64>().max(1.0);
    let pc: Vec<f64> = smooth.iter().map(|s| s / ssum).collect();
    let mut rng = Rng::new(cfg.seed);
    let d = cfg.dims;
    let proj: Vec<f32> = (0..width * d)
        .map(|_| if rng.next_u64() & 1 == 0 { 1.0 } else { -1.0 })
        .collect();
    let mut vecs = vec![0f32; vocab.len() * d];
    for (r, row) in m.chunks(width).enumerate() {
        let total: f64 = row.iter().map(|&c| f64::from(c)).sum();
        if total == 0.0 {
            continue;
        }
        let out = &mut vecs[r * d..(r + 1) * d];
        for (j, &c) in row.iter().enumerate() {
            if c == 0 || pc[j] == 0.0 {
                continue;
            }
            let pmi = ((f64::from(c) / total) / pc[j]).ln();
            if pmi <= 0.0 {
                continue;
            }
            let p = &proj[j * d..(j + 1) * d];
            let pmi = pmi as f32;
            for (o, &s) in out.iter_mut().zip(p) {
                *o += pmi * s;
            }
        }
        normalize_vec(out);
    }
    drop(m);
    log(&format!(
        "clusters: {} word vectors of {d} dims",
        vocab.len()
    ));
    (vecs, d)
}

/// The SVD vectors and embedding levels of [`embedding_levels`].
#[derive(Default)]
struct Embedding {
    /// (token id, levels) of each embedded word (empty when no level is asked for).
    levels: Vec<(u32, [u16; 3])>,
    /// The vectors, row-major.
    vecs: Vec<f32>,
    /// The row of each token id (`u32::MAX`: none).
    row_of: Vec<u32>,
}

/// Bit set in the fst value of a word with embedding levels.
const EMB_FLAG: u64 = 1 << 63;
/// Where each embedding level's cluster id starts in the fst value.
const EMB_SHIFT: [u32; 3] = [32, 40, 50];
/// Bits of each embedding level.
const EMB_BITS: [u32; 3] = [8, 10, 12];

/// The embedding levels of the most frequent words: positional PPMI vectors reduced by SVD,
/// then spherical k-means at each level, fitted on the most frequent words and applied to all.
fn embedding_levels(
    stream: &[u32],
    order: &[u32],
    words: &[(String, bool)],
    counts: &[u64],
    cfg: &Config,
    log: &mut impl FnMut(&str),
) -> Embedding {
    if cfg.emb_levels.iter().all(|&k| k == 0) && !cfg.fine_from_svd {
        return Embedding::default();
    }
    let mut row_of = vec![u32::MAX; words.len()];
    let mut rows: Vec<u32> = Vec::new();
    for &id in order {
        if rows.len() >= cfg.emb_vocab || counts[id as usize] < cfg.emb_min {
            break;
        }
        if words[id as usize].1 {
            row_of[id as usize] = rows.len() as u32;
            rows.push(id);
        }
    }
    let mut col_of = vec![u32::MAX; words.len()];
    let nc = cfg.emb_contexts.min(order.len());
    for (j, &id) in order.iter().take(nc).enumerate() {
        col_of[id as usize] = j as u32;
    }
    let p = crate::embed::positional_ppmi(stream, &row_of, &col_of, rows.len(), nc);
    log(&format!(
        "embedding: {} words × {} contexts, {} positive entries",
        p.rows(),
        p.cols,
        p.nnz()
    ));
    let d = cfg.emb_dims;
    let vecs = crate::embed::svd_rows(&p, d, cfg.seed, &mut *log);
    drop(p);
    let fit = cfg.emb_fit.min(rows.len());
    let mut levels = vec![[0u16; 3]; rows.len()];
    for (l, &k) in cfg.emb_levels.iter().enumerate() {
        if k == 0 {
            continue;
        }
        let k = k.min(1 << EMB_BITS[l]);
        let km = kmeans(&vecs[..fit * d], d, k, cfg.iters, &mut |_| {});
        for (r, lv) in levels.iter_mut().enumerate() {
            lv[l] = nearest(&vecs[r * d..(r + 1) * d], &km.centroids, d) as u16;
        }
        log(&format!("embedding: level {} ({k} clusters) done", l + 1));
    }
    let levels = if cfg.emb_levels.iter().all(|&k| k == 0) {
        Vec::new()
    } else {
        rows.into_iter().zip(levels).collect()
    };
    Embedding {
        levels,
        vecs,
        row_of,
    }
}

/// The index of the centroid (rows of `centroids`, length `d`) with the largest dot product.
fn nearest(x: &[f32], centroids: &[f32], d: usize) -> usize {
    let mut best = (f32::MIN, 0usize);
    for (c, y) in centroids.chunks(d).enumerate() {
        let s: f32 = x.iter().zip(y).map(|(a, b)| a * b).sum();
        if s > best.0 {
            best = (s, c);
        }
    }
    best.1
}

/// Scales `v` to unit length (a zero vector stays zero).
pub(crate) fn normalize_vec(v: &mut [f32]) {
    let n: f32 = v.iter().map(|x| x * x).sum::<f32>().sqrt();
    if n > 0.0 {
        v.iter_mut().for_each(|x| *x /= n);
    }
}

struct KMeans {
    k: usize,
    centroids: Vec<f32>,
    assign: Vec<u32>,
}

/// Spherical k-means over the rows of `data` (row length `d`), started from evenly spaced rows
/// (the rows are in frequency order, so every frequency band seeds some clusters).
fn kmeans(data: &[f32], d: usize, k: usize, iters: usize, log: &mut impl FnMut(&str)) -> KMeans {
    let n = data.len() / d;
    let k = k.max(1).min(n.max(1));
    let mut centroids = vec![0f32; k * d];
    for c in 0..k {
        let r = c * n / k;
        centroids[c * d..(c + 1) * d].copy_from_slice(&data[r * d..(r + 1) * d]);
    }
    let mut assign = vec![0u32; n];
    for it in 0..iters {
        let mut moved = 0usize;
        for (r, a) in assign.iter_mut().enumerate() {
            let best = nearest(&data[r * d..(r + 1) * d], &centroids, d) as u32;
            if *a != best {
                moved += 1;
            }
            *a = best;
        }
        let mut sums = vec![0f32; k * d];
        let mut sizes = vec![0usize; k];
        for (r, &a) in assign.iter().enumerate() {
            let a = a as usize;
            sizes[a] += 1;
            for (s, x) in sums[a * d..(a + 1) * d]
                .iter_mut()
                .zip(&data[r * d..(r + 1) * d])
            {
                *s += x;
            }
        }
        for c in 0..k {
            if sizes[c] > 0 {
                let s = &mut sums[c * d..(c + 1) * d];
                normalize_vec(s);
                centroids[c * d..(c + 1) * d].copy_from_slice(s);
            }
        }
        log(&format!(
            "clusters: k-means({k}) iteration {it}: {moved} moved"
        ));
        if moved == 0 {
            break;
        }
    }
    KMeans {
        k,
        centroids,
        assign,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn oversized_embedding_levels_are_refused_naming_the_option() {
        let cfg = Config {
            emb_levels: [100, 2000, 1500],
            ..Config::default()
        };
        let e = train(["ذهب محمد"], &cfg, |_| {}).unwrap_err().to_string();
        assert!(e.starts_with("--emb-levels [100, 2000, 1500]:"), "{e}");
        assert!(Config::default().check().is_ok());
    }

    #[test]
    fn learns_tiny_clusters_deterministically() {
        let texts = [
            "ذهب محمد الى القاهرة",
            "ذهب علي الى بغداد",
            "ذهب محمد الى بغداد",
            "ذهب علي الى القاهرة",
        ];
        let cfg = Config {
            vocab: 10,
            contexts: 10,
            dims: 16,
            fine: 3,
            coarse: 2,
            iters: 5,
            seed: 3,
            emb_levels: [2, 3, 0],
            emb_dims: 3,
            emb_vocab: 10,
            emb_min: 1,
            emb_contexts: 10,
            emb_fit: 10,
            fine_from_svd: false,
        };
        let a = learn(texts, &cfg, |_| {});
        let b = learn(texts, &cfg, |_| {});
        assert_eq!(a, b);
        let c = Clusters::from_bytes(a).unwrap();
        assert!(c.get("محمد").is_some());
        assert!(c.get("غير").is_none());
        // words in the same contexts share a cluster
        assert_eq!(c.get("محمد"), c.get("علي"));
        let e = c.emb("محمد").unwrap();
        assert_eq!(Some(e), c.emb("علي"));
        assert!(e[0] < 2 && e[1] < 3 && e[2] == 0);
        assert!(c.emb("غير").is_none());
        // the fine and coarse clusters from the SVD vectors
        let c = Clusters::from_bytes(learn(
            texts,
            &Config {
                fine_from_svd: true,
                ..cfg
            },
            |_| {},
        ))
        .unwrap();
        assert!(c.get("محمد").is_some());
        assert_eq!(c.get("محمد"), c.get("علي"));
    }
}
