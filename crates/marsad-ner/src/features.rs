//! Feature extraction. Each word type gets a [`WordInfo`] once (hashes of its key, stem and
//! affixes, shape, clusters, gazetteer flags); the features of a token are hashes combining its
//! own info with that of its neighbours in a ±2 window.

use crate::clusters::Clusters;
use crate::gazetteer::{self, Gazetteer};
use crate::hash::{feat, feat2, str_hash};
use crate::lexicon::TypeLexicon;
use marsad_text::{clitic, normalize};

/// What the features look words up in.
#[derive(Clone, Copy)]
pub struct Resources<'a> {
    /// Word clusters.
    pub clusters: &'a Clusters,
    /// Name lists.
    pub gazetteer: &'a Gazetteer,
    /// Self-trained type shares.
    pub lexicon: &'a TypeLexicon,
}

/// The gazetteer flags that the context features (neighbours' flags, multi-word spans, sports
/// and nisba combinations) see in sentences of the other corpora (domain ≠ 0) and when tagging
/// in a view other than ANERcorp's: the hand-listed organization and MISC names left out, since
/// Wikipedia's corpora mark such names differently (`models/ner.experiments.md`). A word's own
/// flags stay, in every view.
pub const NO_NAMES: u8 = !(gazetteer::ORG_NAME | gazetteer::MISC_NAME);

/// Most own features a word has.
const OWN: usize = 29;
/// No cluster.
pub const NO_CLUSTER: u16 = u16::MAX;

// feature templates
const T_BIAS: u8 = 1;
const T_W: u8 = 2;
const T_S: u8 = 3;
const T_PRE2: u8 = 4;
const T_PRE3: u8 = 5;
const T_SUF1: u8 = 6;
const T_SUF2: u8 = 7;
const T_SUF3: u8 = 8;
const T_PFX: u8 = 9;
const T_SFX: u8 = 10;
const T_SHAPE: u8 = 11;
const T_CF: u8 = 12;
const T_CC: u8 = 13;
const T_CSF: u8 = 14;
const T_G: u8 = 15;
const T_WM1: u8 = 20;
const T_WP1: u8 = 21;
const T_WM2: u8 = 22;
const T_WP2: u8 = 23;
const T_SM1: u8 = 24;
const T_SP1: u8 = 25;
const T_WWM: u8 = 26;
const T_WWP: u8 = 27;
const T_CM1: u8 = 28;
const T_CP1: u8 = 29;
const T_CCM2: u8 = 30;
const T_CCP2: u8 = 31;
const T_GM1: u8 = 32;
const T_GP1: u8 = 33;
const T_GSPAN: u8 = 34;
const T_FIRST: u8 = 35;
const T_SHM1: u8 = 36;
const T_SHP1: u8 = 37;
const T_GM2: u8 = 38;
const T_PFXM1: u8 = 39;
const T_FREQ: u8 = 40;
const T_ALR: u8 = 41;
const T_LEX: u8 = 59;
const T_QIN: u8 = 42;
const T_QCUE: u8 = 43;
const T_QTC: u8 = 44;
const T_SPORT: u8 = 45;
const T_SPORTC: u8 = 46;
const T_NISBA: u8 = 47;
const T_OCUE: u8 = 50;
const T_QOPEN: u8 = 51;
/// The word's embedding-level clusters (coarse to fine).
const T_EMB: [u8; 3] = [52, 53, 54];

/// What the features need to know about one word type.
#[derive(Debug, Clone, Copy)]
pub struct WordInfo {
    /// Hash of the matching key of the whole token.
    pub norm: u64,
    /// Hash of the stem's key.
    pub stem: u64,
    /// Hash of ال + stem when the token has the article (0 otherwise).
    pub al_stem: u64,
    /// Fine cluster of the key (or of the stem), [`NO_CLUSTER`] when unknown.
    pub fine: u16,
    /// Coarse cluster.
    pub coarse: u16,
    /// Gazetteer flags of the key or the stem.
    pub gaz: u8,
    /// Shape class.
    pub shape: u8,
    /// Hash of the proclitic pattern.
    pub pfx: u64,
    /// Packed self-trained type shares of the stem ([`TypeLexicon`]).
    pub lex: u16,
    /// Quote mark: 0 none, 1 opening (`«`), 2 closing (`»`), 3 either way (`"`).
    pub quote: u8,
    /// Whether the stem has the article and ends in ي / ية (a nisba adjective such as الفرنسي).
    pub nisba: bool,
    /// Whether the token is a name-link word (`data/ner/name-links.txt`: بن، أبو، عبد …).
    pub link: bool,
    own: [u64; OWN],
    n_own: u8,
}

/// The split of one raw token: key, proclitics, stem key, enclitics.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parts {
    /// Matching key of the token.
    pub norm: String,
    /// Proclitics.
    pub prefixes: Vec<&'static str>,
    /// Key of the stem.
    pub stem: String,
    /// Enclitics.
    pub suffixes: Vec<&'static str>,
}

fn has_arabic(s: &str) -> bool {
    s.chars().any(|c| ('\u{0621}'..='\u{064A}').contains(&c))
}

/// Splits a raw token as `marsad_text` does for a word token.
pub fn parts(raw: &str) -> Parts {
    if !has_arabic(raw) {
        let norm = normalize::key(raw);
        return Parts {
            stem: norm.clone(),
            norm,
            prefixes: Vec::new(),
            suffixes: Vec::new(),
        };
    }
    let mut scratch = String::with_capacity(raw.len());
    for c in raw.chars() {
        normalize::push_folded(c, false, &mut scratch);
    }
    let norm = normalize::key(&scratch);
    // the raw word: its alefs still show the hamza that tells a word from the article
    let split = clitic::split(raw, clitic::Lexicon::shared());
    let stem = if split.prefixes.is_empty() && split.suffixes.is_empty() {
        norm.clone()
    } else {
        normalize::key(&split.stem)
    };
    Parts {
        norm,
        prefixes: split.prefixes,
        stem,
        suffixes: split.suffixes,
    }
}

fn shape(raw: &str, len: usize) -> u8 {
    let (mut ar, mut lat, mut dig, mut other) = (false, false, false, false);
    for c in raw.chars() {
        if c.is_alphabetic() && ('\u{0600}'..='\u{06FF}').contains(&c) {
            ar = true;
        } else if c.is_alphabetic() {
            lat = true;
        } else if c.is_numeric() {
            dig = true;
        } else if !normalize::is_dropped(c) {
            other = true;
        }
    }
    let class = match (ar, lat, dig, other) {
        (true, false, false, false) => 1,
        (false, true, false, false) => 2,
        (false, false, true, false) => 3,
        (false, false, false, true) => 4,
        (true, _, _, true) => 5,
        _ => 6,
    };
    let bucket = match len {
        0..=2 => 0,
        3 => 1,
        4..=5 => 2,
        6..=8 => 3,
        _ => 4,
    };
    class * 8 + bucket
}

fn affix(s: &str, n: usize, front: bool) -> Option<&str> {
    let count = s.chars().count();
    if count <= n {
        return None;
    }
    if front {
        s.char_indices().nth(n).map(|(i, _)| &s[..i])
    } else {
        s.char_indices().nth(count - n).map(|(i, _)| &s[i..])
    }
}

/// The log-frequency bucket of a count in the news corpus (0 = unseen).
fn freq_bucket(n: u64) -> u64 {
    if n == 0 {
        0
    } else {
        1 + u64::from(n.ilog2() / 2).min(8)
    }
}

/// How often the stem is written with the article in the news corpus: common nouns and
/// adjectives take it, most names never do. A bucket of `with / (with + without)`, combined with
/// whether this token has it.
fn al_ratio(lex: &clitic::Lexicon, stem: &str, has_al: bool) -> u64 {
    let with = lex.count(&format!("ال{stem}"));
    let without = lex.count(stem);
    let total = with + without;
    let b = if total < 3 {
        0
    } else {
        // the same share buckets as the type lexicon, from 1
        u64::from(crate::lexicon::bucket(
            u32::try_from(with).unwrap_or(u32::MAX),
            u32::try_from(total).unwrap_or(u32::MAX),
        )) + 1
    };
    b * 2 + u64::from(has_al)
}

/// The quote-mark kind of a raw token (see [`WordInfo::quote`]).
fn quote_kind(raw: &str) -> u8 {
    match raw.trim() {
        "«" | "“" => 1,
        "»" | "”" => 2,
        "\"" | "''" | "``" => 3,
        _ => 0,
    }
}

/// Whether a stem (without the article) looks like a nisba adjective: four or more letters
/// ending in ي or ية.
fn is_nisba(stem: &str) -> bool {
    let n = stem.chars().count();
    (n >= 4 && stem.ends_with('ي')) || (n >= 5 && stem.ends_with("ية"))
}

/// A token without the characters matching drops (diacritics, tatweel, direction marks).
fn undotted(raw: &str) -> impl Iterator<Item = char> + '_ {
    raw.chars().filter(|&c| !normalize::is_dropped(c))
}

/// Whether a raw token is a name-link word ([`crate::NAME_LINKS`]). Compared as written, but
/// for diacritics and tatweel: the matching key would fold آل into the article ال.
fn is_link(raw: &str) -> bool {
    static LINKS: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    let links = LINKS.get_or_init(|| {
        crate::data_lines(crate::NAME_LINKS)
            .map(|l| undotted(l).collect())
            .collect()
    });
    links.iter().any(|l| undotted(raw).eq(l.chars()))
}

fn join_hash(parts: &[&str]) -> u64 {
    let mut h = 0x1234_5678u64;
    for p in parts {
        h = crate::hash::seq(h, str_hash(p));
    }
    h
}

impl WordInfo {
    /// The info of a raw token (split here).
    pub fn of_raw(raw: &str, res: Resources<'_>) -> Self {
        let p = parts(raw);
        Self::new(raw, &p.norm, &p.stem, &p.prefixes, &p.suffixes, res)
    }

    /// The info of a `marsad_text` token.
    pub fn of_token(t: &marsad_text::Token, text: &str, res: Resources<'_>) -> Self {
        Self::new(
            t.text(text),
            &t.norm,
            &t.stem,
            &t.prefixes,
            &t.suffixes,
            res,
        )
    }

    /// The info of a token from its parts.
    pub fn new(
        raw: &str,
        norm: &str,
        stem: &str,
        prefixes: &[&str],
        suffixes: &[&str],
        res: Resources<'_>,
    ) -> Self {
        let hn = str_hash(norm);
        let hs = str_hash(stem);
        let has_al = prefixes.last() == Some(&"ال");
        // the stem with the article, the way the gazetteer and the clusters may list it
        let al_key = has_al.then(|| format!("ال{stem}"));
        let al_stem = al_key.as_deref().map_or(0, str_hash);
        let cl = res.clusters;
        let (vn, vs) = (cl.value(norm), cl.value(stem));
        let (fine, coarse) = vn
            .and_then(Clusters::fine_coarse)
            .or_else(|| vs.and_then(Clusters::fine_coarse))
            .unwrap_or((NO_CLUSTER, NO_CLUSTER));
        let stem_fine = vs
            .and_then(Clusters::fine_coarse)
            .map_or(NO_CLUSTER, |c| c.0);
        let emb = vn
            .and_then(Clusters::levels)
            .or_else(|| vs.and_then(Clusters::levels))
            .or_else(|| al_key.as_deref().and_then(|k| cl.emb(k)));
        let g = res.gazetteer;
        let mut gaz = g.word(hn) | g.word(hs);
        if al_stem != 0 {
            gaz |= g.word(al_stem);
        }
        let sh = shape(raw, stem.chars().count());
        let pfx = join_hash(prefixes);
        let mut info = WordInfo {
            norm: hn,
            stem: hs,
            al_stem,
            fine,
            coarse,
            gaz,
            shape: sh,
            pfx,
            lex: res.lexicon.get(hs),
            quote: quote_kind(raw),
            nisba: has_al && is_nisba(stem),
            link: is_link(raw),
            own: [0; OWN],
            n_own: 0,
        };
        info.push(feat(T_W, hn));
        info.push(feat(T_S, hs));
        for (t, n, front) in [
            (T_PRE2, 2, true),
            (T_PRE3, 3, true),
            (T_SUF1, 1, false),
            (T_SUF2, 2, false),
            (T_SUF3, 3, false),
        ] {
            if let Some(a) = affix(stem, n, front) {
                info.push(feat(t, str_hash(a)));
            }
        }
        info.push(feat(T_PFX, pfx));
        info.push(feat(T_SFX, join_hash(suffixes)));
        info.push(feat(T_SHAPE, u64::from(sh)));
        info.push(feat(T_CF, u64::from(fine)));
        info.push(feat(T_CC, u64::from(coarse)));
        if stem_fine != fine {
            info.push(feat(T_CSF, u64::from(stem_fine)));
        }
        if let Some(e) = emb {
            for (t, c) in T_EMB.iter().zip(e) {
                info.push(feat(*t, u64::from(c)));
            }
        }
        for bit in gazetteer::FEATURE_BITS {
            if gaz & (1 << bit) != 0 {
                info.push(feat(T_G, bit));
            }
        }
        for v in TypeLexicon::values(info.lex) {
            info.push(feat(T_LEX, v));
        }
        if has_arabic(raw) {
            let lex = clitic::Lexicon::shared();
            info.push(feat(T_FREQ, freq_bucket(lex.count(norm))));
            info.push(feat(T_ALR, al_ratio(lex, stem, has_al)));
        }
        info
    }

    fn push(&mut self, f: u64) {
        if (self.n_own as usize) < OWN {
            self.own[self.n_own as usize] = f;
            self.n_own += 1;
        }
    }

    /// The word's own features.
    pub fn own(&self) -> &[u64] {
        &self.own[..self.n_own as usize]
    }
}

/// The kind of a multi-word match in [`gazetteer_spans`]: the lowest flag bit, or for a name
/// from the organization or MISC lists 8 + those two bits, + 4 when it is also a place or person
/// name (so `ريال مدريد` is not read as a place, and a city that is also a club stays apart).
fn span_code(f: u8) -> u8 {
    let named = f & (gazetteer::ORG_NAME | gazetteer::MISC_NAME);
    if named == 0 {
        f.trailing_zeros() as u8
    } else {
        8 + (named >> 6) + 4 * u8::from(f & (gazetteer::LOC | gazetteer::PER) != 0)
    }
}

/// Marks multi-word gazetteer matches: `out[i]` = 0 (none) or `1 + 2·flag-bit + (0 begin | 1 inside)`
/// for the longest match of two or more words covering token `i`.
pub fn gazetteer_spans(infos: &[WordInfo], g: &Gazetteer, mask: u8, out: &mut Vec<u8>) {
    out.clear();
    out.resize(infos.len(), 0);
    let max = g.max_len();
    if max < 2 {
        return;
    }
    let mut i = 0;
    while i < infos.len() {
        let mut best = (0usize, 0u8);
        for first in [infos[i].norm, infos[i].stem, infos[i].al_stem] {
            if first == 0 {
                continue;
            }
            let mut h = gazetteer::seq_hash([first]);
            for (len, info) in infos.iter().enumerate().skip(i + 1).take(max - 1) {
                h = crate::hash::seq(h, info.norm);
                let f = g.get(h) & mask;
                let n = len - i + 1;
                if f != 0 && n > best.0 {
                    best = (n, f);
                }
            }
        }
        if best.0 >= 2 {
            let code = span_code(best.1);
            out[i] = 1 + 2 * code;
            for o in &mut out[i + 1..i + best.0] {
                *o = 2 + 2 * code;
            }
            i += best.0;
        } else {
            i += 1;
        }
    }
}

/// The flags that the sports and nisba features combine with: the four name flags and the
/// hand-listed organization and MISC names.
const NAME_MASK: u8 = 15 | gazetteer::ORG_NAME | gazetteer::MISC_NAME;

/// Longest quote, in tokens, read as a title (a longer one is reported speech).
const QUOTE_MAX: usize = 8;
/// How far back an organization cue word still marks a token.
const OCUE_MAX: usize = 5;

/// Sentence-level context of each token, computed once per sentence by [`Marks::compute`].
#[derive(Debug, Clone, Default)]
pub struct Marks {
    /// Multi-word gazetteer marks ([`gazetteer_spans`]).
    pub spans: Vec<u8>,
    /// Inside a short quote: `(hash of the word before the opening mark, position)` with
    /// position 0 = not quoted, 1 = first word, 2 = later word.
    pub quote: Vec<(u64, u8)>,
    /// Distance (1..=[`OCUE_MAX`]) to the nearest organization cue word before the token with no
    /// punctuation between, 0 when none.
    pub ocue: Vec<u8>,
    /// Whether the sentence has a sports word.
    pub sport: bool,
}

impl Marks {
    /// Computes the marks of a sentence.
    pub fn compute(&mut self, infos: &[WordInfo], g: &Gazetteer) {
        self.compute_with(infos, g, u8::MAX);
    }

    /// [`Marks::compute`] for a sentence of another corpus than ANERcorp (or tagged in another
    /// view): first clears the hand-listed name flags of `infos` ([`NO_NAMES`]), so that neither
    /// the context features nor the multi-word spans see those names.
    pub fn compute_without_names(&mut self, infos: &mut [WordInfo], g: &Gazetteer) {
        for x in infos.iter_mut() {
            x.gaz &= NO_NAMES;
        }
        self.compute_with(infos, g, NO_NAMES);
    }

    /// [`Marks::compute`] with only the gazetteer flags of `mask` marking multi-word spans.
    fn compute_with(&mut self, infos: &[WordInfo], g: &Gazetteer, mask: u8) {
        gazetteer_spans(infos, g, mask, &mut self.spans);
        let n = infos.len();
        self.quote.clear();
        self.quote.resize(n, (0, 0));
        self.ocue.clear();
        self.ocue.resize(n, 0);
        self.sport = infos.iter().any(|x| x.gaz & gazetteer::SPORT != 0);
        let mut i = 0;
        while i < n {
            let q = infos[i].quote;
            if q == 1 || q == 3 {
                let close = (i + 1..n.min(i + 2 + QUOTE_MAX))
                    .find(|&j| infos[j].quote == 2 || infos[j].quote == 3 || infos[j].quote == 1);
                if let Some(j) = close.filter(|&j| j > i + 1 && infos[j].quote != 1) {
                    let cue = if i > 0 {
                        infos[i - 1].stem
                    } else {
                        0xdead_beef
                    };
                    for (k, m) in self.quote[i + 1..j].iter_mut().enumerate() {
                        *m = (cue, if k == 0 { 1 } else { 2 });
                    }
                    i = j + 1;
                    continue;
                }
            }
            i += 1;
        }
        let mut last: Option<usize> = None;
        for (i, (x, o)) in infos.iter().zip(self.ocue.iter_mut()).enumerate() {
            if let Some(c) = last {
                let d = i - c;
                if d <= OCUE_MAX {
                    *o = d as u8;
                }
            }
            if x.gaz & gazetteer::ORG_CUE != 0 {
                last = Some(i);
            } else if x.shape / 8 == 4 {
                // punctuation ends the cue's reach
                last = None;
            }
        }
    }
}

/// The hash of the bias feature, which every token has.
pub fn bias() -> u64 {
    feat(T_BIAS, 0)
}

/// Appends the features of token `i` to `out`.
pub fn extract(infos: &[WordInfo], marks: &Marks, i: usize, out: &mut Vec<u64>) {
    let spans = &marks.spans;
    let w = &infos[i];
    out.push(feat(T_BIAS, 0));
    out.extend_from_slice(w.own());
    let get = |d: isize| -> Option<&WordInfo> {
        let j = i as isize + d;
        (j >= 0).then(|| infos.get(j as usize)).flatten()
    };
    const EDGE: u64 = 0xdead_beef;
    let m1 = get(-1);
    let p1 = get(1);
    let m2 = get(-2);
    let p2 = get(2);
    out.push(feat(T_WM1, m1.map_or(EDGE, |x| x.norm)));
    out.push(feat(T_WP1, p1.map_or(EDGE, |x| x.norm)));
    out.push(feat(T_WM2, m2.map_or(EDGE, |x| x.norm)));
    out.push(feat(T_WP2, p2.map_or(EDGE, |x| x.norm)));
    out.push(feat(T_SM1, m1.map_or(EDGE, |x| x.stem)));
    out.push(feat(T_SP1, p1.map_or(EDGE, |x| x.stem)));
    out.push(feat2(T_WWM, m1.map_or(EDGE, |x| x.norm), w.norm));
    out.push(feat2(T_WWP, w.norm, p1.map_or(EDGE, |x| x.norm)));
    out.push(feat(T_CM1, m1.map_or(EDGE, |x| u64::from(x.fine))));
    out.push(feat(T_CP1, p1.map_or(EDGE, |x| u64::from(x.fine))));
    out.push(feat(T_CCM2, m2.map_or(EDGE, |x| u64::from(x.coarse))));
    out.push(feat(T_CCP2, p2.map_or(EDGE, |x| u64::from(x.coarse))));
    out.push(feat(T_SHM1, m1.map_or(EDGE, |x| u64::from(x.shape))));
    out.push(feat(T_SHP1, p1.map_or(EDGE, |x| u64::from(x.shape))));
    out.push(feat(T_PFXM1, m1.map_or(EDGE, |x| x.pfx)));
    for (t, x) in [(T_GM1, m1), (T_GP1, p1), (T_GM2, m2)] {
        if let Some(x) = x {
            for bit in gazetteer::FEATURE_BITS {
                if x.gaz & (1 << bit) != 0 {
                    out.push(feat(t, bit));
                }
            }
        }
    }
    if spans[i] != 0 {
        out.push(feat(T_GSPAN, u64::from(spans[i])));
    }
    if i == 0 {
        out.push(feat(T_FIRST, 0));
    }
    quote_features(infos, marks, i, out);
    if marks.sport {
        // in a match report a city name is often a club
        out.push(feat(T_SPORT, u64::from(w.gaz & NAME_MASK)));
        out.push(feat(T_SPORTC, u64::from(w.coarse)));
    }
    if p1.is_some_and(|x| x.nisba) {
        // ليل الفرنسي: a name followed by a nationality adjective
        out.push(feat(T_NISBA, u64::from(w.gaz & NAME_MASK)));
    }
    if let Some(&d) = marks.ocue.get(i).filter(|&&d| d > 0) {
        out.push(feat(T_OCUE, u64::from(d)));
    }
    if w.quote == 1 || w.quote == 3 {
        // an opening mark: the word before it, and whether a title follows
        let cue = m1.map_or(EDGE, |x| x.stem);
        let opens = marks.quote.get(i + 1).is_some_and(|q| q.1 == 1);
        out.push(feat2(T_QOPEN, cue, u64::from(opens)));
    }
}

/// The features of token `i` from the short quote around it.
fn quote_features(infos: &[WordInfo], marks: &Marks, i: usize, out: &mut Vec<u64>) {
    let (cue, pos) = marks.quote.get(i).copied().unwrap_or((0, 0));
    if pos != 0 {
        out.push(feat(T_QIN, u64::from(pos)));
        out.push(feat2(T_QCUE, cue, u64::from(pos)));
        // whether the word before the opening mark is a title cue (برنامج، فيلم، بعنوان …)
        let open = (0..i)
            .rev()
            .find(|&j| infos[j].quote == 1 || infos[j].quote == 3);
        let title = open
            .and_then(|j| j.checked_sub(1))
            .is_some_and(|j| infos[j].gaz & gazetteer::TITLE_CUE != 0);
        out.push(feat(T_QTC, 2 * u64::from(pos - 1) + u64::from(title)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_table() {
        let p = parts("بالموصل");
        assert_eq!(p.norm, "بالموصل");
        assert_eq!(p.prefixes, vec!["ب", "ال"]);
        assert_eq!(p.stem, "موصل");
        // name-link words, in any hamza spelling, and not with a clitic or inside another word
        assert!(["بن", "أبو", "ابو", "أبي", "عبد", "عَبْد", "آل", "ولد"].map(is_link) == [true; 8]);
        // not the article on its own (الـ), nor a word with a clitic or a longer word
        assert!(["الـ", "ال", "وبن", "عبدالله", "محمد", "أبوظبي"].map(is_link) == [false; 6]);
        let p = parts("\u{200e}Obama");
        assert_eq!(p.norm, "obama");
        assert_eq!(p.stem, "obama");
    }

    #[test]
    fn affixes_and_shapes() {
        assert_eq!(affix("موصل", 2, true), Some("مو"));
        assert_eq!(affix("موصل", 3, false), Some("وصل"));
        assert_eq!(affix("من", 2, true), None);
        assert_ne!(shape("بغداد", 5), shape("Baghdad", 5));
        assert_eq!(shape("2015", 4) / 8, 3);
        assert_eq!(shape("،", 1) / 8, 4);
    }

    #[test]
    fn window_features_and_gazetteer_spans() {
        let mut g = Gazetteer::new();
        g.add("حمام العليل", gazetteer::LOC);
        g.add("محمد", gazetteer::PER);
        let c = Clusters::empty();
        let l = TypeLexicon::new();
        let res = Resources {
            clusters: &c,
            gazetteer: &g,
            lexicon: &l,
        };
        let words = ["زار", "محمد", "حمام", "العليل"];
        let infos: Vec<WordInfo> = words.iter().map(|w| WordInfo::of_raw(w, res)).collect();
        assert_eq!(infos[1].gaz, gazetteer::PER);
        let mut spans = Marks::default();
        spans.compute(&infos, &g);
        assert_eq!(spans.spans, vec![0, 0, 1, 2]);
        let mut f = Vec::new();
        extract(&infos, &spans, 0, &mut f);
        let n0 = f.len();
        assert!(f.contains(&feat(T_FIRST, 0)));
        assert!(f.contains(&feat(T_WP1, infos[1].norm)));
        assert!(f.contains(&feat(T_GP1, 1))); // PER flag of the next word
        f.clear();
        extract(&infos, &spans, 2, &mut f);
        assert!(f.contains(&feat(T_GSPAN, 1)));
        assert!(!f.contains(&feat(T_FIRST, 0)));
        assert!(n0 > 20);
    }

    #[test]
    fn hand_listed_names_are_found_with_article_and_clitics() {
        let mut g = Gazetteer::new();
        for n in crate::sources::hand_names(crate::ORG_NAMES) {
            g.add(n, gazetteer::ORG_NAME);
        }
        g.add("مدريد", gazetteer::LOC);
        // a one-word name with the article, with و, with ب + article, and without the article
        for w in [
            "الزمالك",
            "والزمالك",
            "بالزمالك",
            "للزمالك",
            "رويترز",
            "لرويترز",
        ] {
            let i = infos_with(&g, &[w]);
            assert_ne!(i[0].gaz & gazetteer::ORG_NAME, 0, "{w}");
        }
        // a multi-word name after لـ (لل + أمم) and و, and one that is not a place
        let words = ["قال", "للأمم", "المتحدة", "وريال", "مدريد", "في", "مدريد"];
        let infos = infos_with(&g, &words);
        let mut m = Marks::default();
        m.compute(&infos, &g);
        let org = span_code(gazetteer::ORG_NAME);
        let club = span_code(gazetteer::ORG_NAME | gazetteer::LOC);
        assert_eq!(
            m.spans,
            vec![0, 1 + 2 * org, 2 + 2 * org, 1 + 2 * org, 2 + 2 * org, 0, 0]
        );
        assert_ne!(org, club);
        assert_eq!(span_code(gazetteer::LOC), 0);
        let mut f = Vec::new();
        extract(&infos, &m, 6, &mut f);
        assert!(f.contains(&feat(T_G, 0)) && !f.contains(&feat(T_G, 6)));
        f.clear();
        extract(&infos, &m, 2, &mut f);
        assert!(f.contains(&feat(T_GSPAN, u64::from(2 + 2 * org))));
    }

    /// Word infos of `words` with gazetteer `g` and no clusters or lexicon.
    fn infos_with(g: &Gazetteer, words: &[&str]) -> Vec<WordInfo> {
        let (c, l) = (Clusters::empty(), TypeLexicon::new());
        let res = Resources {
            clusters: &c,
            gazetteer: g,
            lexicon: &l,
        };
        words.iter().map(|w| WordInfo::of_raw(w, res)).collect()
    }

    #[test]
    fn quotes_mark_short_titles_with_their_cue() {
        let mut g = Gazetteer::new();
        g.add("برنامج", gazetteer::TITLE_CUE);
        let words = ["برنامج", "«", "الناس", "وأنا", "»", "قال", "«", "نعم", "»"];
        let infos = infos_with(&g, &words);
        assert_eq!(infos[1].quote, 1);
        assert_eq!(infos[4].quote, 2);
        let mut m = Marks::default();
        m.compute(&infos, &g);
        let cue = infos[0].stem;
        assert_eq!(m.quote[2], (cue, 1));
        assert_eq!(m.quote[3], (cue, 2));
        assert_eq!(m.quote[4].1, 0);
        assert_eq!(m.quote[7], (infos[5].stem, 1));
        assert_eq!(m.quote[0].1 + m.quote[1].1 + m.quote[5].1, 0);
        let mut f = Vec::new();
        extract(&infos, &m, 2, &mut f);
        assert!(f.contains(&feat(T_QIN, 1)) && f.contains(&feat(T_QTC, 1)));
        assert!(f.contains(&feat2(T_QCUE, cue, 1)));
        f.clear();
        extract(&infos, &m, 3, &mut f);
        assert!(f.contains(&feat(T_QTC, 3)));
        f.clear();
        extract(&infos, &m, 1, &mut f);
        assert!(f.contains(&feat2(T_QOPEN, cue, 1)));
        f.clear();
        extract(&infos, &m, 7, &mut f);
        assert!(f.contains(&feat(T_QTC, 0)));
        // an unclosed or long quote is not a title
        let long: Vec<&str> = std::iter::once("«")
            .chain(std::iter::repeat_n("كلمة", QUOTE_MAX + 1))
            .chain(std::iter::once("»"))
            .collect();
        let infos = infos_with(&g, &long);
        m.compute(&infos, &g);
        assert!(m.quote.iter().all(|q| q.1 == 0));
    }

    #[test]
    fn sport_flag_nisba_and_org_cue_distance() {
        let mut g = Gazetteer::new();
        g.add("مباراة", gazetteer::SPORT);
        g.add("شركة", gazetteer::ORG_CUE);
        let words = [
            "مباراة",
            "ليل",
            "الفرنسي",
            "مع",
            "شركة",
            "سياك",
            "موتور",
            "،",
            "كورب",
        ];
        let infos = infos_with(&g, &words);
        assert!(infos[2].nisba);
        assert!(!infos[1].nisba && !infos[3].nisba);
        let mut m = Marks::default();
        m.compute(&infos, &g);
        assert!(m.sport);
        assert_eq!(m.ocue, vec![0, 0, 0, 0, 0, 1, 2, 3, 0]);
        let mut f = Vec::new();
        extract(&infos, &m, 1, &mut f);
        assert!(f.contains(&feat(T_NISBA, 0)));
        assert!(f.contains(&feat(T_SPORT, 0)));
        f.clear();
        extract(&infos, &m, 6, &mut f);
        assert!(f.contains(&feat(T_OCUE, 2)));
        m.compute(&infos[1..], &g);
        assert!(!m.sport);
    }
}
