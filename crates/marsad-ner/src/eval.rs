//! Exact-span scoring with conlleval semantics: a chunk is correct only when its type and both
//! boundaries match; an I- tag that does not continue a chunk of its type starts a new chunk.

use crate::conll::Sentence;
use crate::doc::{DocConfig, DocTagger};
use crate::tags::{self, NT, TAGS, TYPES};
use crate::Tagger;

/// One chunk: tokens `[start, end)` of type `kind`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Chunk {
    /// First token.
    pub start: usize,
    /// One past the last token.
    pub end: usize,
    /// Type index into [`TYPES`].
    pub kind: usize,
}

/// The chunks of a tag sequence, as conlleval reads them.
pub fn chunks(tags: &[u8]) -> Vec<Chunk> {
    let mut out = Vec::new();
    let mut cur: Option<Chunk> = None;
    for (i, &t) in tags.iter().enumerate() {
        debug_assert!((t as usize) < NT);
        let ty = tags::type_of(t);
        let starts = match (ty, &cur) {
            (None, _) => false,
            (Some(_), None) => true,
            (Some(k), Some(c)) => tags::is_begin(t) || c.kind != k,
        };
        if ty.is_none() || starts {
            if let Some(c) = cur.take() {
                out.push(Chunk { end: i, ..c });
            }
        }
        if starts {
            cur = Some(Chunk {
                start: i,
                end: i + 1,
                kind: ty.unwrap_or(0),
            });
        }
    }
    if let Some(c) = cur {
        out.push(Chunk {
            end: tags.len(),
            ..c
        });
    }
    out
}

/// Counts per type: correct, predicted, gold.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Scores {
    /// Correct chunks per type.
    pub correct: [usize; 4],
    /// Predicted chunks per type.
    pub predicted: [usize; 4],
    /// Gold chunks per type.
    pub gold: [usize; 4],
    /// Tokens seen.
    pub tokens: usize,
}

/// Precision, recall and F1 from counts.
pub fn prf(correct: usize, predicted: usize, gold: usize) -> (f64, f64, f64) {
    let p = if predicted == 0 {
        0.0
    } else {
        correct as f64 / predicted as f64
    };
    let r = if gold == 0 {
        0.0
    } else {
        correct as f64 / gold as f64
    };
    let f = if p + r == 0.0 {
        0.0
    } else {
        2.0 * p * r / (p + r)
    };
    (p, r, f)
}

impl Scores {
    /// Adds one sentence: gold and predicted tags of the same tokens.
    pub fn add(&mut self, gold: &[u8], pred: &[u8]) {
        let g = chunks(gold);
        let p = chunks(pred);
        self.tokens += gold.len();
        for c in &g {
            self.gold[c.kind] += 1;
        }
        for c in &p {
            self.predicted[c.kind] += 1;
            if g.contains(c) {
                self.correct[c.kind] += 1;
            }
        }
    }

    /// Adds the counts of `other` (e.g. another cross-validation fold) to these.
    pub fn merge(&mut self, other: &Scores) {
        for k in 0..4 {
            self.correct[k] += other.correct[k];
            self.predicted[k] += other.predicted[k];
            self.gold[k] += other.gold[k];
        }
        self.tokens += other.tokens;
    }

    /// Micro-averaged (P, R, F1) over all types.
    pub fn micro(&self) -> (f64, f64, f64) {
        prf(
            self.correct.iter().sum(),
            self.predicted.iter().sum(),
            self.gold.iter().sum(),
        )
    }

    /// (P, R, F1) of type `k`.
    pub fn of_type(&self, k: usize) -> (f64, f64, f64) {
        prf(self.correct[k], self.predicted[k], self.gold[k])
    }

    /// A Markdown table: one row per type and a micro row.
    pub fn table(&self) -> String {
        let mut s = String::from("| type | P | R | F1 | gold |\n|---|---|---|---|---|\n");
        for (k, name) in TYPES.iter().enumerate() {
            let (p, r, f) = self.of_type(k);
            s.push_str(&format!(
                "| {name} | {:.2} | {:.2} | {:.2} | {} |\n",
                p * 100.0,
                r * 100.0,
                f * 100.0,
                self.gold[k]
            ));
        }
        let (p, r, f) = self.micro();
        s.push_str(&format!(
            "| micro | {:.2} | {:.2} | {:.2} | {} |\n",
            p * 100.0,
            r * 100.0,
            f * 100.0,
            self.gold.iter().sum::<usize>()
        ));
        s
    }
}

/// Scores `data` tagged in view `view` with the document-level settings `cfg`; `-DOCSTART-`
/// marks end documents, otherwise the whole of `data` is one document.
pub fn score(tagger: &Tagger, view: usize, cfg: DocConfig, data: &[Sentence]) -> Scores {
    score_into(tagger, view, cfg, data, None)
}

/// [`score`], also appending each sentence's `token gold predicted` lines (and a blank line) to
/// `out` when given.
pub fn score_into(
    tagger: &Tagger,
    view: usize,
    cfg: DocConfig,
    data: &[Sentence],
    mut out: Option<&mut String>,
) -> Scores {
    let mut session = tagger.session_in(view);
    let mut doc = DocTagger::new(tagger, view, cfg);
    let mut sc = Scores::default();
    let mut take = |doc: &mut DocTagger<'_, &Sentence>, sc: &mut Scores| {
        while let Some((s, tags)) = doc.pop() {
            sc.add(&s.tags, &tags);
            if let Some(out) = out.as_deref_mut() {
                for ((tok, &g), &p) in s.tokens.iter().zip(&s.tags).zip(&tags) {
                    out.push_str(&format!(
                        "{tok} {} {}\n",
                        TAGS[g as usize], TAGS[p as usize]
                    ));
                }
                out.push('\n');
            }
        }
    };
    for s in data {
        if s.is_docstart() {
            doc.flush();
        } else {
            let infos = session.infos_of(&s.tokens);
            doc.push(infos, s);
        }
        take(&mut doc, &mut sc);
    }
    doc.flush();
    take(&mut doc, &mut sc);
    sc
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> Vec<u8> {
        s.split_whitespace()
            .map(|x| tags::TAGS.iter().position(|t| *t == x).unwrap() as u8)
            .collect()
    }

    #[test]
    fn chunk_table() {
        type Case = (&'static str, &'static [(usize, usize, usize)]);
        let cases: &[Case] = &[
            ("O O", &[]),
            ("B-PERS I-PERS O B-LOC", &[(0, 2, 0), (3, 4, 1)]),
            // I- after O starts a chunk
            ("O I-ORG I-ORG", &[(1, 3, 2)]),
            // a type change inside starts a new chunk
            ("B-PERS I-LOC", &[(0, 1, 0), (1, 2, 1)]),
            ("B-LOC B-LOC", &[(0, 1, 1), (1, 2, 1)]),
        ];
        for (tags, want) in cases {
            let got: Vec<_> = chunks(&t(tags))
                .iter()
                .map(|c| (c.start, c.end, c.kind))
                .collect();
            assert_eq!(&got, want, "{tags}");
        }
    }

    #[test]
    fn scoring_table() {
        let mut s = Scores::default();
        // one right, one wrong boundary, one wrong type, one missed
        s.add(
            &t("B-PERS I-PERS O B-LOC I-LOC O B-ORG O B-MISC"),
            &t("B-PERS I-PERS O B-LOC O O B-LOC O O"),
        );
        assert_eq!(s.correct, [1, 0, 0, 0]);
        assert_eq!(s.predicted, [1, 2, 0, 0]);
        assert_eq!(s.gold, [1, 1, 1, 1]);
        let (p, r, f) = s.micro();
        assert!((p - 1.0 / 3.0).abs() < 1e-9);
        assert!((r - 0.25).abs() < 1e-9);
        assert!((f - 2.0 * p * r / (p + r)).abs() < 1e-9);
        assert!(s.table().contains("| micro |"));
        // merging two scorings counts both
        let mut m = s.clone();
        m.merge(&s);
        assert_eq!(m.correct, [2, 0, 0, 0]);
        assert_eq!(m.gold, [2, 2, 2, 2]);
        assert_eq!(m.tokens, 18);
        assert!((m.micro().2 - f).abs() < 1e-9);
    }
}
