//! K-fold cross-validation over the whole ANERcorp file.

use super::{Corpora, Inputs, Recipe};
use crate::eval::{score_into, Scores};
use crate::{NerError, Tagger};

/// The held-out scores of one block of a cross-validation.
#[derive(Debug, Clone)]
pub struct Fold {
    /// The block, 1-based.
    pub block: usize,
    /// How many blocks there are.
    pub of: usize,
    /// Its ANERcorp sentences: `start..end` of the whole file.
    pub sentences: std::ops::Range<usize>,
    /// Its scores (with the document-level pass).
    pub scores: Scores,
}

impl Fold {
    /// Its micro F1, ×100.
    pub fn f1(&self) -> f64 {
        self.scores.micro().2 * 100.0
    }
}

/// What a cross-validation found.
#[derive(Debug, Clone)]
pub struct CvReport {
    /// How many blocks the file was cut into.
    pub k: usize,
    /// ANERcorp sentences in all (the whole file).
    pub sentences: usize,
    /// The blocks that were run, in order.
    pub folds: Vec<Fold>,
    /// Their scores pooled.
    pub pooled: Scores,
    /// When asked for: every run block's held-out tagging, one `token gold predicted` line per
    /// token, sentences separated by blank lines.
    pub tagging: Option<String>,
}

impl CvReport {
    /// The mean of the blocks' F1 and its sample standard deviation.
    pub fn mean_sd(&self) -> (f64, f64) {
        let f1: Vec<f64> = self.folds.iter().map(Fold::f1).collect();
        let n = f1.len() as f64;
        let mean = f1.iter().sum::<f64>() / n;
        let var = f1.iter().map(|f| (f - mean).powi(2)).sum::<f64>() / (n - 1.0).max(1.0);
        (mean, var.sqrt())
    }
}

impl Recipe {
    /// Cross-validation ([`Recipe::cv`] blocks): cuts the whole ANERcorp file into K blocks of
    /// consecutive sentences and tags each (of [`Recipe::cv_folds`], or all) with the
    /// document-level pass by a model trained with this recipe on the other blocks and the other
    /// corpora of the mix (no dev sets; AQMAR dev.txt is not used). With self-training each block
    /// counts its own lexicon (cached under `.cvIofK`). `on_fold` sees each block's scores as it
    /// is done; with `keep_tagging` the report keeps the held-out tagging.
    pub fn cross_validate(
        &self,
        c: &Corpora,
        inp: &Inputs<'_>,
        keep_tagging: bool,
        mut on_fold: impl FnMut(&Fold),
    ) -> Result<CvReport, NerError> {
        self.check()?;
        let (aner, k) = (&c.anercorp, self.cv);
        if !(2..=aner.len()).contains(&k) {
            return Err(NerError::BadSettings(format!(
                "--cv: want between 2 and {} folds (the ANERcorp file's sentences), got {k}",
                aner.len()
            )));
        }
        if let Some(b) = self.cv_folds.iter().find(|b| !(1..=k).contains(b)) {
            return Err(NerError::BadSettings(format!(
                "--cv-folds: no block {b} of {k}"
            )));
        }
        let mut report = CvReport {
            k,
            sentences: aner.len(),
            folds: Vec::with_capacity(k),
            pooled: Scores::default(),
            tagging: keep_tagging.then(String::new),
        };
        for i in 0..k {
            if !self.cv_folds.is_empty() && !self.cv_folds.contains(&(i + 1)) {
                continue;
            }
            let (lo, hi) = (aner.len() * i / k, aner.len() * (i + 1) / k);
            let mut rest = aner[..lo].to_vec();
            rest.extend_from_slice(&aner[hi..]);
            let (data, domains, _) = self.assemble([&rest, &c.aqmar_train, &c.wikifane]);
            let cache = inp.lexicon_cache.map(|l| (l, format!(".cv{}of{k}", i + 1)));
            let (tagger, _) = self.fit(inp, &data, &domains, &[], cache)?;
            let shipped = Tagger::from_bytes(&tagger.to_bytes(), inp.cluster_bytes)?;
            let scores = score_into(
                &shipped,
                0,
                shipped.doc_config(),
                &aner[lo..hi],
                report.tagging.as_mut(),
            );
            let fold = Fold {
                block: i + 1,
                of: k,
                sentences: lo..hi,
                scores,
            };
            on_fold(&fold);
            report.pooled.merge(&fold.scores);
            report.folds.push(fold);
        }
        Ok(report)
    }
}
