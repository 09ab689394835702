//! `marsad eval events`, `marsad eval seed`.

use anyhow::{Context, Result};
use marsad_events::Category;
use marsad_pipeline::gold::{self, read_gold, seed::check_seed, Scores};
use marsad_pipeline::{annotate, content_id, parse_date, Doc, Models};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Arguments of `marsad eval events`.
#[derive(clap::Args)]
pub struct EvalArgs {
    /// Gold-standard CSV (columns id, event_type, label, …, text).
    #[arg(long)]
    pub gsr: PathBuf,
    /// Event type to score: ASSAULT or PROTEST (any PLOVER category works).
    #[arg(long = "type")]
    pub kind: String,
    /// Print the false positives and false negatives.
    #[arg(long)]
    pub errors: bool,
    /// Train the detector for this type on the file instead: print its k-fold cross-validated
    /// scores and write the model trained on the whole file into `--model`.
    #[arg(long)]
    pub train: bool,
    /// Folds for `--train`.
    #[arg(long, default_value_t = 5)]
    pub folds: usize,
    /// Repeats of the cross-validation for `--train`, each with other folds (the counts are
    /// summed: with few positives one split is noisy).
    #[arg(long, default_value_t = 1)]
    pub repeats: usize,
    /// L2 penalty for `--train`.
    #[arg(long, default_value_t = 0.1)]
    pub l2: f32,
    /// The detector file `--train` updates.
    #[arg(long, default_value = "models/events-detector.toml")]
    pub model: PathBuf,
    /// For `--train`: also learn from another gold file's sentences, as `FILE:TYPE` (repeatable).
    /// Whether a sentence reports a concrete event, rather than mentioning one, looks much the
    /// same across categories, so a small category borrows evidence from a larger one. Scores
    /// and the threshold still come from `--gsr` alone.
    #[arg(long = "pool", value_name = "FILE:TYPE")]
    pub pool: Vec<String>,
}

/// Arguments of `marsad eval seed`.
#[derive(clap::Args)]
pub struct SeedArgs {
    /// The shared data folder (holds seed/article.txt and seed/expected.json).
    #[arg(long, default_value = "../shared")]
    pub shared: PathBuf,
    /// Publication date of the seed article (YYYY-MM-DD), for relative dates.
    #[arg(long)]
    pub date: Option<String>,
    /// Print every predicted event as JSON.
    #[arg(long)]
    pub verbose: bool,
}

/// Runs `marsad eval events`.
pub fn eval(a: EvalArgs) -> Result<ExitCode> {
    let cat = Category::parse(&a.kind)
        .with_context(|| format!("unknown event type {:?} (want ASSAULT, PROTEST, …)", a.kind))?;
    let (rows, skipped) = read_gold(&a.gsr)?;
    let models = Models::load()?;
    if a.train {
        return train(&a, cat, &rows, &models);
    }
    let mut s = Scores::default();
    let t = std::time::Instant::now();
    for r in &rows {
        let doc = r.doc();
        let ann = annotate(&models, &doc);
        let pred = gold::detects(&ann.events, cat);
        if a.errors && pred != r.positive {
            let what = if pred { "FP" } else { "FN" };
            let found: Vec<String> = ann
                .events
                .iter()
                .map(|e| {
                    format!(
                        "{}:{}:{:?}",
                        e.event_type.name(),
                        e.trigger.text,
                        e.modality
                    )
                })
                .collect();
            println!("{what}\t{}\t{}\t{}", r.id, found.join(" "), r.text);
        }
        s.add(r.positive, pred);
    }
    println!(
        "{} on {}: P {:.3} R {:.3} F1 {:.3} (tp {} fp {} fn {} tn {}; {} positive, {} negative, {} skipped; {:.1}s)",
        cat.name(),
        a.gsr.display(),
        s.precision(),
        s.recall(),
        s.f1(),
        s.tp,
        s.fp,
        s.fn_,
        s.tn,
        s.tp + s.fn_,
        s.fp + s.tn,
        skipped,
        t.elapsed().as_secs_f64()
    );
    Ok(ExitCode::SUCCESS)
}

/// `marsad eval events --train`: cross-validates and writes the detector for one category.
fn train(a: &EvalArgs, cat: Category, rows: &[gold::GoldRow], models: &Models) -> Result<ExitCode> {
    use marsad_events::detector::Detector;
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
    let mut pooled = Vec::new();
    for spec in &a.pool {
        let (file, kind) = spec
            .rsplit_once(':')
            .with_context(|| format!("--pool {spec:?}: want FILE:TYPE"))?;
        let other = Category::parse(kind)
            .with_context(|| format!("--pool {spec:?}: unknown event type {kind:?}"))?;
        let (rows, _) = read_gold(Path::new(file))?;
        pooled.extend(gold::detector_sentences(&rows, other, models));
    }
    let r = gold::train_detector(rows, cat, &pooled, models, a.folds, a.repeats, a.l2);
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
    let header = "# Trained by `marsad eval events --train`; see models/events-detector.md.\n";
    super::write_atomic(
        &a.model.to_string_lossy(),
        format!("{header}{}", det.to_toml()).as_bytes(),
    )?;
    eprintln!(
        "marsad: detector for {} written to {}",
        cat.name(),
        a.model.display()
    );
    Ok(ExitCode::SUCCESS)
}

/// Runs `marsad eval seed`.
pub fn seed(a: SeedArgs) -> Result<ExitCode> {
    let dir = a.shared.join("seed");
    let text = std::fs::read_to_string(dir.join("article.txt"))
        .with_context(|| format!("{}", dir.join("article.txt").display()))?;
    let expected: Value = serde_json::from_str(
        &std::fs::read_to_string(dir.join("expected.json"))
            .with_context(|| format!("{}", dir.join("expected.json").display()))?,
    )?;
    let models = Models::load()?;
    let doc = Doc {
        id: content_id(&text),
        text: &text,
        date: a.date.as_deref().and_then(parse_date),
        title: None,
        url: None,
    };
    let ann = annotate(&models, &doc);
    if a.verbose {
        for e in &ann.events {
            println!("{}", serde_json::to_string(e)?);
        }
    }
    let r = check_seed(&text, &ann.events, &expected);
    for l in &r.lines {
        println!("{l}");
    }
    let ok = r.found * 10 >= r.expected * 9 && r.args_right >= 7 && r.not_asserted_ok;
    println!(
        "seed: {}/{} expected events found with the right type, {} with every listed argument right, not-asserted check {}; {} events in all → {}",
        r.found,
        r.expected,
        r.args_right,
        if r.not_asserted_ok { "ok" } else { "FAILED" },
        ann.events.len(),
        if ok { "PASS" } else { "FAIL (want ≥ 9 found, ≥ 7 with arguments right, no asserted Mosul expectation)" }
    );
    Ok(if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}
