//! `marsad eval events`: sentence-level event detection against the Arabic event gold standard.

use anyhow::{Context, Result};
use marsad_events::Category;
use marsad_pipeline::gold::{self, read_gold, Scores};
use marsad_pipeline::{annotate, Models};
use std::path::PathBuf;
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
}

/// Runs `marsad eval events`.
pub fn eval(a: EvalArgs) -> Result<ExitCode> {
    let cat = Category::parse(&a.kind)
        .with_context(|| format!("unknown event type {:?} (want ASSAULT, PROTEST, …)", a.kind))?;
    let (rows, skipped) = read_gold(&a.gsr)?;
    let models = Models::load()?;
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
