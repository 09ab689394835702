//! `marsad eval articles`: whole articles against the article-level event gold — one record per
//! happening, background and non-events left out, arguments right.

use anyhow::{Context, Result};
use marsad_pipeline::gold::articles::{self, ArticleScores};
use marsad_pipeline::{annotate_staged, input, parse_date, Doc, EventStage, Models, StageTimes};
use rayon::prelude::*;
use std::io::{BufRead, Write};
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `marsad eval articles`.
#[derive(clap::Args)]
pub struct ArticlesArgs {
    /// The gold (`{id, events: […]}` per line).
    #[arg(long, default_value = "../shared/data/events/article-gold/gold.jsonl")]
    gold: PathBuf,
    /// The articles (`{id, text, date, …}` per line).
    #[arg(
        long,
        default_value = "../shared/data/events/article-gold/articles.jsonl"
    )]
    articles: String,
    /// Score this `marsad annotate --jsonl` output instead of annotating the articles.
    #[arg(long)]
    pred: Option<String>,
    /// Write every false positive, miss and wrong argument here, with its words.
    #[arg(long)]
    errors: Option<PathBuf>,
    /// Print the scores as one JSON object.
    #[arg(long)]
    json: bool,
    /// Score the rules' candidates as they are, before the detector and the article-level
    /// steps (background, one record per happening): for error analysis.
    #[arg(long, conflicts_with = "pred")]
    candidates: bool,
}

/// Reads JSONL documents (`-` for stdin), failing on the first bad line with its number.
fn read_docs(path: &str) -> Result<Vec<input::InputDoc>> {
    let mut out = Vec::new();
    for (n, line) in input::open_lines(path)?.lines().enumerate() {
        let line = line.with_context(|| format!("{path}: line {}", n + 1))?;
        if line.trim().is_empty() {
            continue;
        }
        out.push(
            input::parse_jsonl_line(&line)
                .map_err(|e| anyhow::anyhow!("{path}: line {}: {e}", n + 1))?,
        );
    }
    Ok(out)
}

/// Runs `marsad eval articles`.
pub fn run(a: ArticlesArgs) -> Result<ExitCode> {
    let gold = articles::read_article_gold(&a.gold)?;
    let docs = read_docs(&a.articles)?;
    let ids: Vec<(String, String)> = docs
        .iter()
        .map(|d| (d.id_string().unwrap_or_default(), d.text.clone()))
        .collect();
    let pred = match &a.pred {
        Some(p) => articles::read_predictions(input::open_lines(p)?)
            .with_context(|| format!("{p}: not an annotate output"))?,
        None => {
            let models = Models::load()?;
            docs.par_iter()
                .zip(&ids)
                .map(|(d, (id, _))| {
                    let doc = Doc {
                        id: id.clone(),
                        text: &d.text,
                        date: d.date.as_deref().and_then(parse_date),
                        title: d.title.clone(),
                        url: d.url.clone(),
                    };
                    let stage = if a.candidates {
                        EventStage::Candidates
                    } else {
                        EventStage::Full
                    };
                    let mut times = StageTimes::default();
                    let ann = annotate_staged(&models, &doc, &mut times, stage);
                    (id.clone(), ann.events)
                })
                .collect()
        }
    };
    let s = articles::score(&ids, &gold, &pred);
    if let Some(path) = &a.errors {
        let mut w = std::io::BufWriter::new(
            std::fs::File::create(path)
                .with_context(|| format!("{}: cannot write", path.display()))?,
        );
        for e in &s.errors {
            writeln!(
                w,
                "{}\t{}\t{}\t{}\t{}\t«{}»\t«{}»",
                e.kind,
                e.article,
                e.event_type,
                e.modality,
                e.wrong.join(","),
                e.trigger,
                e.evidence
            )?;
        }
        w.flush()?;
    }
    if a.json {
        println!("{}", serde_json::to_string(&json(&s))?);
    } else {
        print!("{}", report(&s));
    }
    Ok(ExitCode::SUCCESS)
}

/// The scores as JSON.
fn json(s: &ArticleScores) -> serde_json::Value {
    let counts = |c: &articles::Counts| {
        serde_json::json!({"tp": c.tp, "fp": c.fp, "fn": c.fn_, "precision": c.precision(),
                           "recall": c.recall(), "f1": c.f1()})
    };
    serde_json::json!({
        "articles": s.articles,
        "events": counts(&s.all),
        "by_type": s.by_type.iter().map(|(k, c)| (k.clone(), counts(c))).collect::<serde_json::Map<_, _>>(),
        "arguments": s.args.iter().map(|(k, t)| (k.to_string(), serde_json::json!({"right": t.right, "asked": t.asked}))).collect::<serde_json::Map<_, _>>(),
        "modality": s.modality,
    })
}

/// The scores as text: `score.py`'s two lines first, then by type and the modality table.
fn report(s: &ArticleScores) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    let args: Vec<String> = s
        .args
        .iter()
        .map(|(k, t)| format!("{k} {}/{}", t.right, t.asked))
        .collect();
    let _ = writeln!(out, "arguments on matched events: {}", args.join(", "));
    let c = &s.all;
    let _ = writeln!(
        out,
        "events tp={} fp={} fn={} P={:.3} R={:.3} F1={:.3}",
        c.tp,
        c.fp,
        c.fn_,
        c.precision(),
        c.recall(),
        c.f1()
    );
    let _ = writeln!(out, "\n{} articles; by type:", s.articles);
    for (k, c) in &s.by_type {
        let _ = writeln!(
            out,
            "  {k:<9} P {:.3} R {:.3} F1 {:.3}  (tp {} fp {} fn {})",
            c.precision(),
            c.recall(),
            c.f1(),
            c.tp,
            c.fp,
            c.fn_
        );
    }
    let mut cols: Vec<String> = articles::modality_names()
        .into_iter()
        .map(String::from)
        .collect();
    cols.push("-".into());
    let _ = writeln!(
        out,
        "\nmodality: gold (rows) against the prediction of the same happening (columns; - none)"
    );
    let _ = write!(out, "  {:<13}", "");
    for c in &cols {
        let _ = write!(out, "{:>6}", &c[..c.len().min(5)]);
    }
    let _ = writeln!(out);
    for r in &cols {
        let Some(row) = s.modality.get(r) else {
            continue;
        };
        let _ = write!(out, "  {r:<13}");
        for c in &cols {
            let _ = write!(out, "{:>6}", row.get(c).copied().unwrap_or(0));
        }
        let _ = writeln!(out);
    }
    out
}
