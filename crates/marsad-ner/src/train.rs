//! Training: an averaged structured perceptron over the features of [`crate::features`], with
//! first-order tag transitions and Viterbi decoding (optionally passive-aggressive steps for the
//! auxiliary corpora, [`Config::aux_pa`]). Deterministic for a given seed.

use crate::conll::Sentence;
use crate::eval::Scores;
use crate::features::{self, Resources, WordInfo};
use crate::gazetteer::IdMap;
use crate::hash::Rng;
use crate::lexicon::TypeLexicon;
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
    /// Domain views: every feature of a sentence of domain `d` also gets a copy private to `d`
    /// (for every domain, the target included), and the model keeps one weight table per domain
    /// (shared + private). Without views, only non-target sentences get private copies, and
    /// those are dropped.
    pub views: bool,
    /// Subtracted from the weight of O on the bias feature (every token has it) of each view:
    /// trades precision for recall.
    pub o_penalty: Vec<f32>,
    /// Added to the weights of each entity type's tags (PERS, LOC, ORG, MISC; B- and I-) on the
    /// bias feature of the first view: a per-type precision/recall trade.
    pub type_bias: [f32; 4],
    /// Train this many perceptrons (seeds `seed`, `seed + 1`, …) and average their weights.
    pub bags: usize,
    /// With views: keep only the first this many weight tables (0 keeps all); a corpus can help
    /// the shared features without its own view being shipped.
    pub max_views: usize,
    /// With a scale `K > 0`, the sentences of the other corpora (domain ≠ 0) are learned with
    /// passive-aggressive steps (see [`pa_step`]) instead of unit perceptron steps; the target
    /// corpus keeps unit steps. 0: unit steps everywhere.
    pub aux_pa: f32,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            epochs: 12,
            seed: 1,
            min_count: 1,
            prune: 0.0,
            views: false,
            o_penalty: Vec::new(),
            type_bias: [0.0; 4],
            bags: 1,
            max_views: 0,
            aux_pa: 0.0,
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

/// The hash of the copy of feature `f` private to domain `d`.
#[inline]
fn private_copy(d: u8, f: u64) -> u64 {
    crate::hash::feat2(200 + d, f, 0)
}

/// Jackknifed self-training lexicons (stacking): training sentence `i` sees the words' type
/// shares of `lexicons[fold[i]]`, counted by a first model that did not see that sentence's
/// block, so that the model learns how far to trust the shares of words it has not seen, as
/// at tagging time. Dev sentences see the lexicon of the [`Resources`].
#[derive(Debug, Clone, Copy)]
pub struct Jackknife<'a> {
    /// One lexicon per block.
    pub lexicons: &'a [TypeLexicon],
    /// For each training sentence, its block.
    pub fold: &'a [u8],
}

/// One word-info cache per lexicon: slot 0 for the [`Resources`]' lexicon, slot `k + 1` for
/// jackknife block `k`.
type Caches = Vec<HashMap<String, WordInfo>>;

/// Featurizes sentences with word-info caches; `f` sees each token's feature hashes.
#[allow(clippy::too_many_arguments)]
fn for_each_token(
    data: &[Sentence],
    domains: &[u8],
    views: bool,
    res: Resources<'_>,
    jk: Option<Jackknife<'_>>,
    caches: &mut Caches,
    mut f: impl FnMut(usize, &[u64], usize),
) {
    let mut infos = Vec::new();
    let mut spans = features::Marks::default();
    let mut buf = Vec::new();
    for (si, s) in data.iter().enumerate() {
        infos.clear();
        let (slot, res) = match jk.and_then(|j| j.fold.get(si).map(|&k| (j, usize::from(k)))) {
            Some((j, k)) => (
                k + 1,
                Resources {
                    lexicon: &j.lexicons[k],
                    ..res
                },
            ),
            None => (0, res),
        };
        if caches.len() <= slot {
            caches.resize_with(slot + 1, HashMap::new);
        }
        let cache = &mut caches[slot];
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
        let d = domains.get(si).copied().unwrap_or(0);
        if d != 0 {
            spans.compute_without_names(&mut infos, res.gazetteer);
        } else {
            spans.compute(&infos, res.gazetteer);
        }
        for i in 0..infos.len() {
            buf.clear();
            features::extract(&infos, &spans, i, &mut buf);
            let shared = buf.len();
            if d != 0 || views {
                // a domain-specific copy of every feature absorbs what this corpus annotates
                // differently from the others
                let n = buf.len();
                for k in 0..n {
                    buf.push(private_copy(d, buf[k]));
                }
            }
            f(si, &buf, shared);
        }
    }
}

fn featurize(
    data: &[Sentence],
    domains: &[u8],
    views: bool,
    res: Resources<'_>,
    jk: Option<Jackknife<'_>>,
    caches: &mut Caches,
    dict: &IdMap<u32>,
) -> Featurized {
    let mut out = Featurized {
        sents: Vec::with_capacity(data.len()),
        offsets: Vec::new(),
        feats: Vec::new(),
        gold: Vec::new(),
    };
    let mut last = usize::MAX;
    for_each_token(data, domains, views, res, jk, caches, |si, fs, _| {
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
    // training decodes without the name-link constraint: the weights learn from the model's
    // own mistakes
    model::viterbi(em, trans, |_| false, lat, out);
}

/// What an update from a predicted towards the gold tag sequence moves.
#[derive(Clone, Copy)]
enum Moved {
    /// A feature of a wrongly tagged token: its row, gold tag `g` up, predicted tag `p` down.
    Feature(usize),
    /// A transition that differs: into `g` from transition row `.0` (gold) up, into `p` from row
    /// `.1` (predicted) down (rows as in the model: previous tag + 1, 0 at the sentence start).
    Transition(usize, usize),
}

/// Calls `f(moved, g, p)` for everything the update from `pred` towards the gold tags of
/// sentence `s` moves.
fn for_each_difference(fz: &Featurized, s: usize, pred: &[u8], mut f: impl FnMut(Moved, u8, u8)) {
    let (a, b) = fz.sents[s];
    let gold = &fz.gold[a..b];
    for (i, (&g, &p)) in gold.iter().zip(pred).enumerate() {
        if g != p {
            let (fa, fb) = fz.offsets[a + i];
            for &x in &fz.feats[fa as usize..fb as usize] {
                f(Moved::Feature(x as usize), g, p);
            }
        }
        let gp = if i == 0 { 0 } else { gold[i - 1] as usize + 1 };
        let pp = if i == 0 { 0 } else { pred[i - 1] as usize + 1 };
        if (gp, g) != (pp, p) {
            f(Moved::Transition(gp, pp), g, p);
        }
    }
}

/// The PA-I step from `pred` towards the gold tags of sentence `s` at weights `w` and (masked)
/// transitions `trans`: `τ = min(K, (K·errors − (score(gold) − score(pred))) / ‖Δφ‖²)`, where
/// errors counts the wrong tokens and `Δφ` is the feature-vector difference of the two sequences.
/// After a step of τ (when not capped) the gold sequence outscores `pred` by `K·errors`.
fn pa_step(
    fz: &Featurized,
    s: usize,
    w: &[f32],
    trans: &[[f32; NT]; NT + 1],
    pred: &[u8],
    k: f32,
) -> f32 {
    let (a, b) = fz.sents[s];
    let errors = fz.gold[a..b]
        .iter()
        .zip(pred)
        .filter(|(g, p)| g != p)
        .count() as f32;
    // (feature index, or u64::MAX − row for a transition from that row; tag) → count in gold −
    // count in pred
    let mut delta: HashMap<(u64, u8), f32> = HashMap::new();
    let mut margin = 0f32;
    for_each_difference(fz, s, pred, |m, g, p| match m {
        Moved::Feature(f) => {
            margin += w[f * NT + g as usize] - w[f * NT + p as usize];
            *delta.entry((f as u64, g)).or_default() += 1.0;
            *delta.entry((f as u64, p)).or_default() -= 1.0;
        }
        Moved::Transition(gp, pp) => {
            margin += trans[gp][g as usize] - trans[pp][p as usize];
            *delta.entry((u64::MAX - gp as u64, g)).or_default() += 1.0;
            *delta.entry((u64::MAX - pp as u64, p)).or_default() -= 1.0;
        }
    });
    let norm: f32 = delta.values().map(|x| x * x).sum();
    if norm <= 0.0 {
        return 0.0;
    }
    ((k * errors - margin) / norm).clamp(0.0, k)
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

/// Trains weights on `data`; after each epoch, scores the averaged model on each `dev` set (read
/// in the view of its domain) and reports through `log`. Returns the weights (one table per
/// domain with [`Config::views`], else one) and the dev scores of the last epoch.
///
/// `domains[i]` is the corpus of sentence `i`: 0 for the target corpus; see [`Config::views`].
pub fn train(
    data: &[Sentence],
    domains: &[u8],
    dev: &[(&str, &[Sentence], u8)],
    res: Resources<'_>,
    cfg: &Config,
    log: impl FnMut(&str),
) -> (Vec<Weights>, Vec<Scores>) {
    train_jackknifed(data, domains, dev, res, None, cfg, log)
}

/// [`train`], the training sentences seeing the jackknifed lexicons of `jk` when given.
pub fn train_jackknifed(
    data: &[Sentence],
    domains: &[u8],
    dev: &[(&str, &[Sentence], u8)],
    res: Resources<'_>,
    jk: Option<Jackknife<'_>>,
    cfg: &Config,
    mut log: impl FnMut(&str),
) -> (Vec<Weights>, Vec<Scores>) {
    let views = cfg.views;
    let mut cache: Caches = Vec::new();
    // feature dictionary: first-seen order, so indices are deterministic
    let mut counts: IdMap<u32> = IdMap::default();
    let mut order: Vec<u64> = Vec::new();
    let mut private: IdMap<()> = IdMap::default();
    for_each_token(
        data,
        domains,
        views,
        res,
        jk,
        &mut cache,
        |_, fs, shared| {
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
        },
    );
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
        cache.iter().map(HashMap::len).max().unwrap_or(0)
    ));
    let fz = featurize(data, domains, views, res, jk, &mut cache, &dict);
    let devs: Vec<(&str, Featurized)> = dev
        .iter()
        .map(|(n, d, dom)| {
            let doms = vec![if views { *dom } else { 0 }; d.len()];
            (*n, featurize(d, &doms, views, res, None, &mut cache, &dict))
        })
        .collect();
    drop(cache);
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
    // bagging: the averages of perceptrons trained on different shuffles are averaged
    let bags = cfg.bags.max(1);
    let mut aw = vec![0f32; nf * NT];
    let mut at = [[0f32; NT]; NT + 1];
    for bag in 0..bags {
        let mut w = vec![0f32; nf * NT];
        let mut u = vec![0f64; nf * NT];
        let mut t = [[0f32; NT]; NT + 1];
        let mut tu = [[0f64; NT]; NT + 1];
        let mut c: f64 = 1.0;
        let mut rng = Rng::new(cfg.seed.wrapping_add(bag as u64));
        let mut idx: Vec<usize> = (0..fz.sents.len()).collect();
        let (mut em, mut lat, mut pred) = (Vec::new(), Lattice::default(), Vec::new());
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
                    let step = if cfg.aux_pa > 0.0 && domains.get(s).is_some_and(|&d| d != 0) {
                        pa_step(&fz, s, &w, &mt, &pred, cfg.aux_pa)
                    } else {
                        1.0
                    };
                    let sc = f64::from(step) * c;
                    for_each_difference(&fz, s, &pred, |m, g, p| match m {
                        Moved::Feature(f) => {
                            w[f * NT + g as usize] += step;
                            u[f * NT + g as usize] += sc;
                            w[f * NT + p as usize] -= step;
                            u[f * NT + p as usize] -= sc;
                        }
                        Moved::Transition(gp, pp) => {
                            t[gp][g as usize] += step;
                            tu[gp][g as usize] += sc;
                            t[pp][p as usize] -= step;
                            tu[pp][p as usize] -= sc;
                        }
                    });
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
        let (bw, bt) = (avg(&w, &u, c), avg_t(&t, &tu, c));
        for (a, b) in aw.iter_mut().zip(&bw) {
            *a += b / bags as f32;
        }
        for (ar, br) in at.iter_mut().zip(&bt) {
            for (a, b) in ar.iter_mut().zip(br) {
                *a += b / bags as f32;
            }
        }
    }
    let mut n_views = if views {
        usize::from(domains.iter().copied().max().unwrap_or(0)) + 1
    } else {
        1
    };
    if cfg.max_views > 0 {
        n_views = n_views.min(cfg.max_views);
    }
    let mut out = Vec::with_capacity(n_views);
    for view in 0..n_views {
        let rows: Vec<(u64, [f32; NT])> = keys
            .iter()
            .enumerate()
            .filter(|(_, k)| !private.contains_key(k))
            .filter_map(|(i, &k)| {
                let mut r = [0f32; NT];
                r.copy_from_slice(&aw[i * NT..(i + 1) * NT]);
                if views {
                    if let Some(&j) = dict.get(&private_copy(view as u8, k)) {
                        let j = j as usize;
                        for (o, x) in r.iter_mut().zip(&aw[j * NT..(j + 1) * NT]) {
                            *o += x;
                        }
                    }
                }
                if k == features::bias() {
                    r[0] -= cfg.o_penalty.get(view).copied().unwrap_or(0.0);
                    if view == 0 {
                        for (t, x) in cfg.type_bias.iter().enumerate() {
                            r[1 + 2 * t] += x;
                            r[2 + 2 * t] += x;
                        }
                    }
                }
                r.iter().any(|x| x.abs() > cfg.prune).then_some((k, r))
            })
            .collect();
        log(&format!(
            "ner: view {view}: {} of {nf} features kept",
            rows.len()
        ));
        out.push(Weights::new(rows, at));
    }
    (out, last_scores)
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

    /// The tiny corpus, with empty clusters, gazetteer and lexicon.
    struct Tiny {
        data: Vec<Sentence>,
        clusters: Clusters,
        gazetteer: Gazetteer,
        lexicon: crate::lexicon::TypeLexicon,
    }

    impl Tiny {
        fn new() -> Self {
            Tiny {
                data: crate::conll::Reader::new(TINY.as_bytes(), FineMap::default())
                    .read_all()
                    .unwrap(),
                clusters: Clusters::empty(),
                gazetteer: Gazetteer::new(),
                lexicon: crate::lexicon::TypeLexicon::new(),
            }
        }

        fn res(&self) -> Resources<'_> {
            Resources {
                clusters: &self.clusters,
                gazetteer: &self.gazetteer,
                lexicon: &self.lexicon,
            }
        }
    }

    /// Two corpora with views, six epochs.
    fn views_config() -> Config {
        Config {
            epochs: 6,
            views: true,
            ..Config::default()
        }
    }

    #[test]
    fn tiny_model_learns_its_data_deterministically() {
        let tiny = Tiny::new();
        let (data, res, g) = (&tiny.data[..], tiny.res(), &tiny.gazetteer);
        let cfg = Config {
            epochs: 6,
            ..Config::default()
        };
        let domains = vec![0; data.len()];
        let dev: Vec<(&str, &[Sentence], u8)> = vec![("train", data, 0)];
        let (mut w, scores) = train(data, &domains, &dev, res, &cfg, |_| {});
        let w = w.remove(0);
        assert!(scores[0].micro().2 > 0.99, "{}", scores[0].table());
        let (mut w2, _) = train(data, &domains, &[], res, &cfg, |_| {});
        let w2 = w2.remove(0);
        let (mut a, mut b) = (Vec::new(), Vec::new());
        w.to_bytes(&mut a);
        w2.to_bytes(&mut b);
        assert_eq!(a, b, "training is deterministic");
        // the shipped form tags the training data back
        let t = crate::Tagger::new(vec![w], g.clone(), Clusters::empty(), &[]).unwrap();
        let t = crate::Tagger::from_bytes(&t.to_bytes(), &[]).unwrap();
        let mut s = t.session();
        let mut out = Vec::new();
        for sent in data {
            s.tag(&sent.tokens, &mut out);
            assert_eq!(out, sent.tags);
        }
    }

    #[test]
    fn jackknife_gives_each_block_its_own_lexicon() {
        let tiny = Tiny::new();
        let (data, res) = (&tiny.data[..], tiny.res());
        // a lexicon in which سامي (sentences 3 and 4) is always a person
        let sami = WordInfo::of_raw("سامي", res).stem;
        let mut c = crate::lexicon::Counter::new();
        for _ in 0..5 {
            c.add(&[sami], &[1]);
        }
        let lexicons = [TypeLexicon::new(), c.finish(3)];
        let features = |jk: Option<Jackknife<'_>>| {
            let mut per: Vec<Vec<u64>> = vec![Vec::new(); data.len()];
            let domains = vec![0; data.len()];
            let mut caches = Vec::new();
            for_each_token(data, &domains, false, res, jk, &mut caches, |si, fs, _| {
                per[si].extend_from_slice(fs)
            });
            per
        };
        let plain = features(None);
        // blocks 0, 0, 1, 1: the last two sentences see the second lexicon
        let fold = [0u8, 0, 1, 1];
        let jk = features(Some(Jackknife {
            lexicons: &lexicons,
            fold: &fold,
        }));
        assert_eq!(plain[..2], jk[..2]);
        assert_ne!(plain[2], jk[2]);
        assert_ne!(plain[3], jk[3]);
        // with the person-lexicon for every block, sentence 1 (no سامي) is still unchanged
        let fold = [1u8, 1, 1, 1];
        let all = features(Some(Jackknife {
            lexicons: &lexicons,
            fold: &fold,
        }));
        assert_eq!(plain[..2], all[..2]);
        assert_eq!(jk[2..], all[2..]);
    }

    #[test]
    fn pa_step_closes_the_margin() {
        // two tokens, gold B-PERS I-PERS, predicted O O; features 0, 1 on the first token, 2 on
        // the second
        let fz = Featurized {
            sents: vec![(0, 2)],
            offsets: vec![(0, 2), (2, 3)],
            feats: vec![0, 1, 2],
            gold: vec![1, 2],
        };
        let mut w = vec![0f32; 3 * NT];
        let trans = masked(&[[0.0; NT]; NT + 1]);
        // ‖Δφ‖² = 6 feature entries + 4 transition entries; 2 errors, no margin yet
        assert!((pa_step(&fz, 0, &w, &trans, &[0, 0], 100.0) - 20.0).abs() < 1e-4);
        // a prediction already ahead by 3 needs a larger step; the cap bounds it
        w[0] = 3.0; // feature 0, tag O
        assert!((pa_step(&fz, 0, &w, &trans, &[0, 0], 100.0) - 20.3).abs() < 1e-4);
        assert!((pa_step(&fz, 0, &w, &trans, &[0, 0], 0.1) - 0.1).abs() < 1e-6);
        // the right answer needs no step
        assert_eq!(pa_step(&fz, 0, &w, &trans, &[1, 2], 100.0), 0.0);
    }

    #[test]
    fn aux_pa_moves_only_the_other_corpora() {
        let tiny = Tiny::new();
        let (data, res, g) = (&tiny.data[..], tiny.res(), &tiny.gazetteer);
        let cfg = views_config();
        let pa = Config {
            aux_pa: 100.0,
            ..cfg.clone()
        };
        let bytes = |w: &[Weights]| {
            let mut b = Vec::new();
            for x in w {
                x.to_bytes(&mut b);
            }
            b
        };
        // one corpus: the same model
        let one = vec![0; data.len()];
        let (a, _) = train(data, &one, &[], res, &cfg, |_| {});
        let (b, _) = train(data, &one, &[], res, &pa, |_| {});
        assert_eq!(bytes(&a), bytes(&b));
        // two corpora: another model, still deterministic and fitting its data
        let two = vec![0, 1, 0, 1];
        let (a, _) = train(data, &two, &[], res, &cfg, |_| {});
        let (b, _) = train(data, &two, &[], res, &pa, |_| {});
        let (b2, _) = train(data, &two, &[], res, &pa, |_| {});
        assert_ne!(bytes(&a), bytes(&b));
        assert_eq!(bytes(&b), bytes(&b2));
        let t = crate::Tagger::new(b, g.clone(), Clusters::empty(), &[]).unwrap();
        let mut out = Vec::new();
        for (v, sent) in data.iter().enumerate() {
            let mut s = t.session_in(two[v].into());
            s.tag(&sent.tokens, &mut out);
            assert_eq!(out, sent.tags, "sentence {v}");
        }
    }

    #[test]
    fn views_ship_one_table_per_corpus() {
        let tiny = Tiny::new();
        let (data, res, g) = (&tiny.data[..], tiny.res(), &tiny.gazetteer);
        let cfg = Config {
            o_penalty: vec![0.5, 0.0],
            ..views_config()
        };
        let domains = vec![0, 1, 0, 1];
        let (w, _) = train(data, &domains, &[], res, &cfg, |_| {});
        assert_eq!(w.len(), 2);
        let (w1, _) = train(
            data,
            &domains,
            &[],
            res,
            &Config {
                max_views: 1,
                ..cfg.clone()
            },
            |_| {},
        );
        assert_eq!(w1.len(), 1);
        // a type bias moves that type's bias-feature weights in the first view only
        let (wb, _) = train(
            data,
            &domains,
            &[],
            res,
            &Config {
                type_bias: [0.0, 0.0, 2.5, 0.0],
                ..cfg.clone()
            },
            |_| {},
        );
        let bias = [features::bias()];
        let (mut e, mut eb) = ([0.0; NT], [0.0; NT]);
        for view in 0..2 {
            w[view].emit(&bias, &mut e);
            wb[view].emit(&bias, &mut eb);
            for t in 0..NT {
                let want = if view == 0 && (t == 5 || t == 6) {
                    2.5
                } else {
                    0.0
                };
                assert!((eb[t] - e[t] - want).abs() < 1e-4, "view {view} tag {t}");
            }
        }
        let t = crate::Tagger::new(w, g.clone(), Clusters::empty(), &[]).unwrap();
        let t = crate::Tagger::from_bytes(&t.to_bytes(), &[]).unwrap();
        assert_eq!(t.views(), 2);
        let mut out = Vec::new();
        // each corpus's sentences come back in its own view
        for (v, sent) in data.iter().enumerate().take(2) {
            let mut s = t.session_in(v);
            s.tag(&sent.tokens, &mut out);
            assert_eq!(out, sent.tags, "view {v}");
        }
    }
}
