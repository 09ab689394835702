//! `marsad train detector`: the event detector of one category, trained on the Arabic event gold
//! standard (`models/events-detector.toml`).

use crate::files::write_atomic;
use anyhow::{Context, Result};
use marsad_events::Category;
use marsad_pipeline::gold::{self, read_gold};
use marsad_pipeline::Models;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Arguments of `marsad train detector`.
#[derive(clap::Args)]
pub struct DetectorArgs {
    /// Gold-standard CSV (columns id, event_type, label, …, text).
    #[arg(long)]
    pub gsr: PathBuf,
    /// Event type to train: ASSAULT or PROTEST (any PLOVER category works).
    #[arg(long = "type")]
    pub kind: String,
    /// Folds of the cross-validation.
    #[arg(long, default_value_t = 5)]
    pub folds: usize,
    /// Repeats of the cross-validation, each with other folds (the counts are summed: with few
    /// positives one split is noisy).
    #[arg(long, default_value_t = 1)]
    pub repeats: usize,
    /// L2 penalty.
    #[arg(long, default_value_t = 0.1)]
    pub l2: f32,
    /// The detector file to update (the other categories' models in it are kept).
    #[arg(long, default_value = "models/events-detector.toml")]
    pub model: PathBuf,
    /// Also learn from another gold file's sentences, as `FILE:TYPE` (repeatable). Whether a
    /// sentence reports a concrete event, rather than mentioning one, looks much the same across
    /// categories, so a small category borrows evidence from a larger one. Scores and the
    /// threshold still come from `--gsr` alone.
    #[arg(long = "pool", value_name = "FILE:TYPE")]
    pub pool: Vec<String>,
}

/// Runs `marsad train detector`: cross-validates and writes the detector for one category.
pub fn run(a: DetectorArgs) -> Result<ExitCode> {
    use marsad_events::detector::Detector;
    let cat = Category::parse(&a.kind)
        .with_context(|| format!("unknown event type {:?} (want ASSAULT, PROTEST, …)", a.kind))?;
    // the file is updated, not replaced: a file that does not parse is an error, never reset
    let mut det = match std::fs::read_to_string(&a.model) {
        Ok(t) => Detector::parse(&t).map_err(|e| {
            anyhow::anyhow!(
                "{}: not a detector file ({e}); fix it or remove it to start afresh",
                a.model.display()
            )
        })?,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Detector::default(),
        Err(e) => return Err(e).with_context(|| format!("{}: cannot read", a.model.display())),
    };
    let (rows, _) = read_gold(&a.gsr)?;
    let models = Models::load()?;
    let mut pooled = Vec::new();
    for spec in &a.pool {
        let (file, kind) = spec
            .rsplit_once(':')
            .with_context(|| format!("--pool {spec:?}: want FILE:TYPE"))?;
        let other = Category::parse(kind)
            .with_context(|| format!("--pool {spec:?}: unknown event type {kind:?}"))?;
        let (rows, _) = read_gold(Path::new(file))?;
        pooled.extend(gold::detector_sentences(&rows, other, &models));
    }
    let r = gold::train_detector(&rows, cat, &pooled, &models, a.folds, a.repeats, a.l2);
    let (rules, cv, fit) = (r.rules, r.cv, r.fit);
    println!(
        "{} on {}: rules alone P {:.3} R {:.3} F1 {:.3}; rules + detector, {}-fold cross-validated ×{} P {:.3} R {:.3} F1 {:.3}; trained on all (in-sample) P {:.3} R {:.3} F1 {:.3}, threshold {}",
        cat.name(),
        a.gsr.display(),
        rules.precision(),
        rules.recall(),
        rules.f1(),
        a.folds,
        a.repeats.max(1),
        cv.precision(),
        cv.recall(),
        cv.f1(),
        fit.precision(),
        fit.recall(),
        fit.f1(),
        r.model.threshold
    );
    det.features = marsad_events::detector::feature_names();
    det.models.insert(cat.name().to_string(), r.model);
    let header = "# Trained by `marsad train detector`; see models/events-detector.md.\n";
    write_atomic(&a.model, format!("{header}{}", det.to_toml()).as_bytes())?;
    eprintln!(
        "marsad: detector for {} written to {}",
        cat.name(),
        a.model.display()
    );
    Ok(ExitCode::SUCCESS)
}
