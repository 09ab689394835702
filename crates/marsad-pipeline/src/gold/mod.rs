//! The gold data `marsad eval` scores against, and the scorers: the Arabic event gold standard
//! (sentences judged as reporting an event or not; [`read_gold`], [`Scores`]), the training data
//! of the event detector drawn from it ([`train_detector`]), and the founding report's expected
//! events ([`seed`]).

pub mod articles;
pub mod learn;
pub mod seed;

use crate::{annotate, content_id, Doc, Models};
use marsad_events::detector::{self, Model};
use marsad_events::{Category, Event};
use std::path::Path;

/// A gold file that cannot be read.
#[derive(Debug, thiserror::Error)]
pub enum GoldError {
    /// The CSV does not open or parse.
    #[error("{path}: {source}")]
    Csv {
        /// The file.
        path: String,
        /// The reader's error.
        #[source]
        source: csv::Error,
    },
    /// A column the scorer needs is missing.
    #[error("{path}: no column {column}")]
    Column {
        /// The file.
        path: String,
        /// The column.
        column: &'static str,
    },
    /// The file cannot be read.
    #[error("{path}: cannot read")]
    Io {
        /// The file.
        path: String,
        /// The system's error.
        #[source]
        source: std::io::Error,
    },
    /// A line of a JSONL gold file does not parse.
    #[error("{path}: line {line}: {message}")]
    Line {
        /// The file.
        path: String,
        /// 1-based line number.
        line: usize,
        /// What is wrong.
        message: String,
    },
}

/// A gold row that is scored: its id, text and whether it is positive.
#[derive(Debug, Clone, PartialEq)]
pub struct GoldRow {
    /// Sentence id.
    pub id: String,
    /// The sentence.
    pub text: String,
    /// `yes` → true, `easy no` → false.
    pub positive: bool,
}

impl GoldRow {
    /// The sentence as a document, dated from its Gigaword-style id.
    pub fn doc(&self) -> Doc<'_> {
        Doc {
            id: content_id(&self.text),
            text: &self.text,
            date: id_date(&self.id),
            title: None,
            url: None,
            outlet: None,
        }
    }
}

/// Reads the gold CSV; returns the scored rows and how many were skipped (difficult no,
/// ambiguous).
pub fn read_gold(path: &Path) -> Result<(Vec<GoldRow>, usize), GoldError> {
    let csv_err = |source| GoldError::Csv {
        path: path.display().to_string(),
        source,
    };
    let mut rd = csv::Reader::from_path(path).map_err(csv_err)?;
    let headers = rd.headers().map_err(csv_err)?.clone();
    let col = |column: &'static str| {
        headers
            .iter()
            .position(|h| h == column)
            .ok_or_else(|| GoldError::Column {
                path: path.display().to_string(),
                column,
            })
    };
    let (ci, cl, ct) = (col("id")?, col("label")?, col("text")?);
    let mut rows = Vec::new();
    let mut skipped = 0;
    for rec in rd.records() {
        let rec = rec.map_err(csv_err)?;
        let label = rec.get(cl).unwrap_or("").trim();
        let positive = match label {
            "yes" => true,
            "easy no" => false,
            _ => {
                skipped += 1;
                continue;
            }
        };
        rows.push(GoldRow {
            id: rec.get(ci).unwrap_or("").to_string(),
            text: rec.get(ct).unwrap_or("").to_string(),
            positive,
        });
    }
    Ok((rows, skipped))
}

/// Precision, recall, F1 and the counts behind them.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Scores {
    /// True positives.
    pub tp: usize,
    /// False positives.
    pub fp: usize,
    /// False negatives.
    pub fn_: usize,
    /// True negatives.
    pub tn: usize,
}

impl Scores {
    /// Adds one judgement.
    pub fn add(&mut self, gold: bool, predicted: bool) {
        match (gold, predicted) {
            (true, true) => self.tp += 1,
            (false, true) => self.fp += 1,
            (true, false) => self.fn_ += 1,
            (false, false) => self.tn += 1,
        }
    }
    /// Precision.
    pub fn precision(&self) -> f64 {
        ratio(self.tp, self.tp + self.fp)
    }
    /// Recall.
    pub fn recall(&self) -> f64 {
        ratio(self.tp, self.tp + self.fn_)
    }
    /// F1.
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

/// The publication date in a Gigaword-style id (`AAW_ARB_20071026.0026-2`).
fn id_date(id: &str) -> Option<chrono::NaiveDate> {
    let digits: String = id
        .split('_')
        .find(|p| p.len() >= 8 && p[..8].chars().all(|c| c.is_ascii_digit()))?
        .chars()
        .take(8)
        .collect();
    chrono::NaiveDate::parse_from_str(&digits, "%Y%m%d").ok()
}

/// Whether the events of a sentence count as a detection of `cat`.
pub fn detects(events: &[Event], cat: Category) -> bool {
    events
        .iter()
        .any(|e| e.event_type == cat && e.modality.counts())
}

/// What training the detector of one category found.
pub struct DetectorReport {
    /// The rules alone (a sentence is positive when it has a candidate).
    pub rules: Scores,
    /// Rules and detector, cross-validated.
    pub cv: Scores,
    /// The model trained on all the sentences, scored on them (in-sample).
    pub fit: Scores,
    /// The model trained on all the sentences.
    pub model: Model,
}

/// Trains the detector of `cat` on the gold `rows` (and on `pooled` examples of other
/// categories, which borrow their evidence): `folds`-fold cross-validation repeated `repeats`
/// times, then a model fitted on everything.
pub fn train_detector(
    rows: &[GoldRow],
    cat: Category,
    pooled: &[detector::Sentence],
    models: &Models,
    folds: usize,
    repeats: usize,
    l2: f32,
) -> DetectorReport {
    let sentences = detector_sentences(rows, cat, models);
    let epochs = 400;
    let mut rules = Scores::default();
    for (c, y) in &sentences {
        rules.add(*y, !c.is_empty());
    }
    let (tp, fp, fn_) = detector::cross_validate(&sentences, pooled, folds, repeats, l2, epochs);
    let cv = Scores { tp, fp, fn_, tn: 0 };
    let model = detector::fit(&sentences, pooled, l2, epochs);
    let (tp, fp, fn_) = detector::sentence_counts(&model, &sentences, model.threshold);
    let fit = Scores { tp, fp, fn_, tn: 0 };
    DetectorReport {
        rules,
        cv,
        fit,
        model,
    }
}

/// The candidates of category `cat` in each gold sentence, as detector examples.
pub fn detector_sentences(
    rows: &[GoldRow],
    cat: Category,
    models: &Models,
) -> Vec<marsad_events::detector::Sentence> {
    let x = models.events;
    let mut sentences = Vec::with_capacity(rows.len());
    for r in rows {
        let doc = r.doc();
        let ann = annotate(models, &doc);
        let input = marsad_events::DocInput {
            id: &doc.id,
            text: doc.text,
            date: doc.date,
        };
        let cands = x.candidates(&input, &ann.text, &ann.entities, &ann.places);
        let feats = x.features(doc.text, &ann.text, &cands);
        let f: Vec<(Vec<f32>, bool)> = cands
            .iter()
            .zip(feats)
            .filter(|(e, _)| e.event_type == cat && e.modality.counts())
            .map(|(e, f)| (f, marsad_events::fully_specified(e)))
            .collect();
        sentences.push((f, r.positive));
    }
    sentences
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gold_csv_scoring() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("g.csv");
        std::fs::write(
            &path,
            "id,event_type,label,accept,reject,total,text\n\
             a_20080101.1-1,ASSAULT,yes,3,0,3,\"قتل مسلحون خمسة جنود في هجوم.\"\n\
             a_20080101.1-2,ASSAULT,easy no,0,3,3,وزار الوزير المدينة أمس.\n\
             a_20080101.1-3,ASSAULT,difficult no,1,2,3,اغتيال\n\
             a_20080101.1-4,ASSAULT,ambiguous,1,1,2,قتل\n\
             a_20080101.1-5,ASSAULT,easy no,0,3,3,\"لم يقتل أحد، قال المتحدث.\"\n",
        )
        .unwrap();
        let (rows, skipped) = read_gold(&path).unwrap();
        assert_eq!(rows.len(), 3);
        assert_eq!(skipped, 2);
        let models = Models::load().unwrap();
        let mut s = Scores::default();
        for r in &rows {
            let doc = r.doc();
            s.add(
                r.positive,
                detects(&annotate(&models, &doc).events, Category::Assault),
            );
        }
        assert_eq!((s.tp, s.fp, s.fn_, s.tn), (1, 0, 0, 2));
        assert_eq!(s.f1(), 1.0);
    }

    #[test]
    fn scores() {
        let mut s = Scores::default();
        for (g, p) in [(true, true), (true, false), (false, true), (false, false)] {
            s.add(g, p);
        }
        assert_eq!(s.precision(), 0.5);
        assert_eq!(s.recall(), 0.5);
        assert_eq!(s.f1(), 0.5);
        assert_eq!(
            id_date("AAW_ARB_20071026.0026-2")
                .map(|d| d.to_string())
                .as_deref(),
            Some("2007-10-26")
        );
    }
}
