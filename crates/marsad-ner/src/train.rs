//! Training: an averaged structured perceptron over the features of [`crate::features`], with
//! first-order tag transitions and Viterbi decoding. Deterministic for a given seed.

use crate::conll::Sentence;
use crate::eval::Scores;
use crate::features::{self, Resources, WordInfo};
use crate::gazetteer::IdMap;
use crate::hash::Rng;
use crate::model::{self, Lattice, Weights};
use crate::tags::NT;
use std::collections::HashMap;

/// Settings of [`train`].
#[derive(Debug, Clone)]
pub struct Config {
    /// Passes over the data.
    pub epochs: usize,
    /// Seed of the shuffling.
    pub seed: u64,
    /// Keep features seen at least this often.
    pub min_count: u32,
    /// Drop features whose averaged weights are all smaller than this in absolute value.
    pub prune: f32,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            epochs: 12,
            seed: 1,
            min_count: 1,
            prune: 0.0,
        }
    }
}

/// Sentences turned into feature-index lists.
struct Featurized {
    /// For each sentence: token range into `offsets`.
    sents: Vec<(usize, usize)>,
    /// Per token: range into `feats`.
    offsets: Vec<(u32, u32)>,
    feats: Vec<u32>,
    gold: Vec<u8>,
}

/// Featurizes sentences with a word-info cache; `f` sees each token's feature hashes.
fn for_each_token(
    data: &[Sentence],
    domains: &[u8],
    res: Resources<'_>,
    cache: &mut HashMap<String, WordInfo>,
    mut f: impl FnMut(usize, &[u64], usize),
) {
    let mut infos = Vec::new();
    let mut spans = Vec::new();
    let mut buf = Vec::new();
    for (si, s) in data.iter().enumerate() {
        infos.clear();
        for t in &s.tokens {
            let info = match cache.get(t) {
                Some(i) => *i,
                None => {
                    let i = WordInfo::of_raw(t, res);
                    cache.insert(t.clone(), i);
                    i
                }
            };
            infos.push(info);
        }
        features::gazetteer_spans(&infos, res.gazetteer, &mut spans);
        let d = domains.get(si).copied().unwrap_or(0);
        for i in 0..infos.len() {
            buf.clear();
            features::extract(&infos, &spans, i, &mut buf);
            let shared = buf.len();
            if d != 0 {
                // a domain-specific copy of every feature absorbs what this corpus annotates
                // differently from the target (ANERcorp); only the shared features are kept
                let n = buf.len();
                for k in 0..n {
                    buf.push(crate::hash::feat2(200 + d, buf[k], 0));
                }
            }
            f(si, &buf, shared);
        }
    }
}

fn featurize(
    data: &[Sentence],
    domains: &[u8],
    res: Resources<'_>,
    cache: &mut HashMap<String, WordInfo>,
    dict: &IdMap<u32>,
) -> Featurized {
    let mut out = Featurized {
        sents: Vec::with_capacity(data.len()),
        offsets: Vec::new(),
        feats: Vec::new(),
        gold: Vec::new(),
    };
    let mut last = usize::MAX;
    for_each_token(data, domains, res, cache, |si, fs, _| {
        if si != last {
            out.sents.push((out.offsets.len(), out.offsets.len()));
            last = si;
        }
        let start = out.feats.len() as u32;
        out.feats
            .extend(fs.iter().filter_map(|h| dict.get(h).copied()));
        out.offsets.push((start, out.feats.len() as u32));
        if let Some(s) = out.sents.last_mut() {
            s.1 += 1;
        }
    });
    for s in data {
        out.gold.extend_from_slice(&s.tags);
    }
    out
}

fn decode(
    fz: &Featurized,
    s: usize,
    w: &[f32],
    trans: &[[f32; NT]; NT + 1],
    em: &mut Vec<[f32; NT]>,
    lat: &mut Lattice,
    out: &mut Vec<u8>,
) {
    let (a, b) = fz.sents[s];
    em.clear();
    for &(fa, fb) in &fz.offsets[a..b] {
        let mut e = [0f32; NT];
        for &f in &fz.feats[fa as usize..fb as usize] {
            let r = &w[f as usize * NT..f as usize * NT + NT];
            for (o, x) in e.iter_mut().zip(r) {
                *o += x;
            }
        }
        em.push(e);
    }
    model::viterbi(em, trans, lat, out);
}

fn masked(trans: &[[f32; NT]; NT + 1]) -> [[f32; NT]; NT + 1] {
    *Weights::new(Vec::new(), *trans).trans()
}

fn score(fz: &Featurized, w: &[f32], trans: &[[f32; NT]; NT + 1]) -> Scores {
    let trans = masked(trans);
    let mut sc = Scores::default();
    let (mut em, mut lat, mut out) = (Vec::new(), Lattice::default(), Vec::new());
    for s in 0..fz.sents.len() {
        decode(fz, s, w, &trans, &mut em, &mut lat, &mut out);
        let (a, b) = fz.sents[s];
        sc.add(&fz.gold[a..b], &out);
    }
    sc
}

/// Trains weights on `data`; after each epoch, scores the averaged model on each `dev` set and
/// reports through `log`. Returns the weights and the dev scores of the last epoch.
///
/// `domains[i]` is the corpus of sentence `i`: 0 for the target corpus; for others, every feature
/// also gets a copy private to that corpus, which is dropped from the model.
pub fn train(
    data: &[Sentence],
    domains: &[u8],
    dev: &[(&str, &[Sentence])],
    res: Resources<'_>,
    cfg: &Config,
    mut log: impl FnMut(&str),
) -> (Weights, Vec<Scores>) {
    let mut cache = HashMap::new();
    // feature dictionary: first-seen order, so indices are deterministic
    let mut counts: IdMap<u32> = IdMap::default();
    let mut order: Vec<u64> = Vec::new();
    let mut private: IdMap<()> = IdMap::default();
    for_each_token(data, domains, res, &mut cache, |_, fs, shared| {
        for &h in &fs[shared..] {
            private.insert(h, ());
        }
        for &h in fs {
            let c = counts.entry(h).or_insert_with(|| {
                order.push(h);
                0
            });
            *c += 1;
        }
    });
    let mut dict: IdMap<u32> = IdMap::default();
    let mut keys: Vec<u64> = Vec::new();
    for h in order {
        if counts[&h] >= cfg.min_count {
            dict.insert(h, keys.len() as u32);
            keys.push(h);
        }
    }
    drop(counts);
    let nf = keys.len();
    log(&format!(
        "ner: {} sentences, {nf} features, {} word types",
        data.len(),
        cache.len()
    ));
    let fz = featurize(data, domains, res, &mut cache, &dict);
    let devs: Vec<(&str, Featurized)> = dev
        .iter()
        .map(|(n, d)| (*n, featurize(d, &[], res, &mut cache, &dict)))
        .collect();
    drop(cache);
    let mut w = vec![0f32; nf * NT];
    let mut u = vec![0f64; nf * NT];
    let mut t = [[0f32; NT]; NT + 1];
    let mut tu = [[0f64; NT]; NT + 1];
    let mut c: f64 = 1.0;
    let mut rng = Rng::new(cfg.seed);
    let mut idx: Vec<usize> = (0..fz.sents.len()).collect();
    let (mut em, mut lat, mut pred) = (Vec::new(), Lattice::default(), Vec::new());
    let mut last_scores = Vec::new();
    let avg = |w: &[f32], u: &[f64], c: f64| -> Vec<f32> {
        w.iter()
            .zip(u)
            .map(|(w, u)| (f64::from(*w) - u / c) as f32)
            .collect()
    };
    let avg_t = |t: &[[f32; NT]; NT + 1], tu: &[[f64; NT]; NT + 1], c: f64| {
        let mut a = [[0f32; NT]; NT + 1];
        for p in 0..=NT {
            for q in 0..NT {
                a[p][q] = (f64::from(t[p][q]) - tu[p][q] / c) as f32;
            }
        }
        a
    };
    for epoch in 0..cfg.epochs {
        rng.shuffle(&mut idx);
        let mut errors = 0usize;
        for &s in &idx {
            let mt = masked(&t);
            decode(&fz, s, &w, &mt, &mut em, &mut lat, &mut pred);
            let (a, b) = fz.sents[s];
            let gold = &fz.gold[a..b];
            if pred.as_slice() != gold {
                errors += 1;
                for (i, (&g, &p)) in gold.iter().zip(&pred).enumerate() {
                    let (fa, fb) = fz.offsets[a + i];
                    if g != p {
                        for &f in &fz.feats[fa as usize..fb as usize] {
                            let base = f as usize * NT;
                            w[base + g as usize] += 1.0;
                            u[base + g as usize] += c;
                            w[base + p as usize] -= 1.0;
                            u[base + p as usize] -= c;
                        }
                    }
                    let gp = if i == 0 { 0 } else { gold[i - 1] as usize + 1 };
                    let pp = if i == 0 { 0 } else { pred[i - 1] as usize + 1 };
                    if (gp, g) != (pp, p) {
                        t[gp][g as usize] += 1.0;
                        tu[gp][g as usize] += c;
                        t[pp][p as usize] -= 1.0;
                        tu[pp][p as usize] -= c;
                    }
                }
            }
            c += 1.0;
        }
        let mut line = format!(
            "ner: epoch {} — {errors} of {} sentences wrong",
            epoch + 1,
            idx.len()
        );
        if !devs.is_empty() && (epoch + 1 == cfg.epochs || epoch % 2 == 1) {
            let aw = avg(&w, &u, c);
            let at = avg_t(&t, &tu, c);
            last_scores.clear();
            for (name, d) in &devs {
                let sc = score(d, &aw, &at);
                line.push_str(&format!("; {name} F1 {:.2}", sc.micro().2 * 100.0));
                last_scores.push(sc);
            }
        }
        log(&line);
    }
    let aw = avg(&w, &u, c);
    let at = avg_t(&t, &tu, c);
    let rows: Vec<(u64, [f32; NT])> = keys
        .iter()
        .enumerate()
        .filter_map(|(i, &k)| {
            let mut r = [0f32; NT];
            r.copy_from_slice(&aw[i * NT..(i + 1) * NT]);
            (r.iter().any(|x| x.abs() > cfg.prune) && !private.contains_key(&k)).then_some((k, r))
        })
        .collect();
    log(&format!("ner: {} of {nf} features kept", rows.len()));
    (Weights::new(rows, at), last_scores)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clusters::Clusters;
    use crate::gazetteer::Gazetteer;
    use crate::tags::FineMap;

    const TINY: &str = "زار B-PERS\nأحمد I-PERS\nبغداد B-LOC\nأمس O\n\n\
                        قال O\nوزير O\nخارجية B-ORG\nمصر I-ORG\n\n\
                        وصل O\nسامي B-PERS\nإلى O\nدمشق B-LOC\n\n\
                        زار B-PERS\nسامي I-PERS\nالقاهرة B-LOC\n\n";

    #[test]
    fn tiny_model_learns_its_data_deterministically() {
        let data = crate::conll::Reader::new(TINY.as_bytes(), FineMap::default())
            .read_all()
            .unwrap();
        let (c, g) = (Clusters::empty(), Gazetteer::new());
        let res = Resources {
            clusters: &c,
            gazetteer: &g,
        };
        let cfg = Config {
            epochs: 6,
            ..Config::default()
        };
        let domains = vec![0; data.len()];
        let dev: Vec<(&str, &[Sentence])> = vec![("train", &data)];
        let (w, scores) = train(&data, &domains, &dev, res, &cfg, |_| {});
        assert!(scores[0].micro().2 > 0.99, "{}", scores[0].table());
        let (w2, _) = train(&data, &domains, &[], res, &cfg, |_| {});
        let (mut a, mut b) = (Vec::new(), Vec::new());
        w.to_bytes(&mut a);
        w2.to_bytes(&mut b);
        assert_eq!(a, b, "training is deterministic");
        // the shipped form tags the training data back
        let t = crate::Tagger::new(w, g.clone(), Clusters::empty(), &[]).unwrap();
        let t = crate::Tagger::from_bytes(&t.to_bytes(), &[]).unwrap();
        let mut s = t.session();
        let mut out = Vec::new();
        for sent in &data {
            s.tag(&sent.tokens, &mut out);
            assert_eq!(out, sent.tags);
        }
    }
}
