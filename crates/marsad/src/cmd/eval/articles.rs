//! `marsad eval articles`: whole articles against the article-level event gold — one record per
//! happening, background and non-events left out, arguments right.

use anyhow::{Context, Result};
use marsad_pipeline::gold::articles::{self, ArticleScores};
use marsad_pipeline::gold::learn;
use marsad_pipeline::{annotate_staged, input, parse_date, Doc, EventStage, Models, StageTimes};
use rayon::prelude::*;
use std::collections::HashMap;
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
    /// Write the events scored here, one article per line (`{id, events}`): with `--cv`, the
    /// held-out folds' records, for error analysis of the cross-validated figure.
    #[arg(long)]
    events_out: Option<PathBuf>,
    /// Print the scores as one JSON object.
    #[arg(long)]
    json: bool,
    /// Score the rules' candidates as they are, before the detector and the article-level
    /// steps (background, one record per happening): for error analysis.
    #[arg(long, conflicts_with = "pred")]
    candidates: bool,
    /// Cross-validate the detector over the articles: each of K blocks of articles is annotated
    /// with a detector learned from the gold-standard sentences and the other blocks (the honest
    /// figure for a detector that learned from these articles).
    #[arg(long, default_value_t = 0, conflicts_with_all = ["pred", "candidates"])]
    cv: usize,
    /// Abstain on events the detector is less sure of: one floor for every type (`0.6`) or
    /// floors by type (`ASSAULT=0.6,COERCE=0.5`; other types keep all), as `marsad events
    /// --min-confidence` and the API's `min_confidence` would.
    #[arg(long, value_parser = parse_floors)]
    min_confidence: Option<Floors>,
    #[command(flatten)]
    detector: crate::cmd::train::DetectorData,
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

/// The articles as the learner and the annotator take them.
fn article_docs(docs: &[input::InputDoc]) -> Vec<learn::ArticleDoc> {
    docs.iter()
        .map(|d| learn::ArticleDoc {
            id: d.id_string().unwrap_or_default(),
            text: d.text.clone(),
            date: d.date.as_deref().and_then(parse_date),
        })
        .collect()
}

/// The events of the articles at `which`, annotated in parallel.
fn annotate_all(
    models: &Models,
    docs: &[learn::ArticleDoc],
    which: &[usize],
    stage: EventStage,
) -> HashMap<String, Vec<marsad_events::Event>> {
    which
        .par_iter()
        .map(|&i| {
            let d = &docs[i];
            let doc = Doc {
                id: d.id.clone(),
                text: &d.text,
                date: d.date,
                title: None,
                url: None,
                outlet: None,
            };
            let ann = annotate_staged(models, &doc, &mut StageTimes::default(), stage);
            (d.id.clone(), ann.events)
        })
        .collect()
}

/// Confidence floors: one for every type, or one per type.
#[derive(Debug, Clone, PartialEq)]
pub struct Floors {
    all: Option<f64>,
    by_type: Vec<(String, f64)>,
}

impl Floors {
    /// Whether an event of `event_type` and `confidence` clears its floor.
    fn keeps(&self, event_type: &str, confidence: f64) -> bool {
        let floor = self
            .by_type
            .iter()
            .find(|(t, _)| t == event_type)
            .map(|(_, c)| *c)
            .or(self.all);
        floor.is_none_or(|f| confidence >= f)
    }
}

/// Parses `0.6` or `ASSAULT=0.6,COERCE=0.5`.
fn parse_floors(s: &str) -> Result<Floors, String> {
    let floor = |v: &str| match v.trim().parse::<f64>() {
        Ok(c) if (0.0..=1.0).contains(&c) => Ok(c),
        _ => Err(format!("{v:?} is not a confidence between 0 and 1")),
    };
    if !s.contains('=') {
        return Ok(Floors {
            all: Some(floor(s)?),
            by_type: Vec::new(),
        });
    }
    let mut by_type = Vec::new();
    for part in s.split(',') {
        let (t, v) = part
            .split_once('=')
            .ok_or_else(|| format!("{part:?}: expected TYPE=FLOOR"))?;
        let t = marsad_serve::vocab::check_type("--min-confidence", t.trim())?;
        by_type.push((t.name().to_string(), floor(v)?));
    }
    Ok(Floors { all: None, by_type })
}

/// Runs `marsad eval articles`.
pub fn run(a: ArticlesArgs) -> Result<ExitCode> {
    let gold = articles::read_article_gold(&a.gold)?;
    let docs = read_docs(&a.articles)?;
    let ids: Vec<(String, String)> = docs
        .iter()
        .map(|d| (d.id_string().unwrap_or_default(), d.text.clone()))
        .collect();
    let stage = if a.candidates {
        EventStage::Candidates
    } else {
        EventStage::Full
    };
    let pred = match &a.pred {
        Some(p) => articles::read_predictions(input::open_lines(p)?)
            .with_context(|| format!("{p}: not an annotate output"))?,
        None if a.cv >= 2 => {
            let models = Models::load()?;
            let adocs = article_docs(&docs);
            let t = a.detector.load(&models, &adocs, &gold)?;
            let mut pred = HashMap::new();
            for k in 0..a.cv {
                let det = learn::train(&t.training(), |i| i % a.cv != k);
                let fold = learn::with_detector(&models, det);
                let held: Vec<usize> = (0..docs.len()).filter(|i| i % a.cv == k).collect();
                pred.extend(annotate_all(&fold, &adocs, &held, stage));
            }
            pred
        }
        None => {
            let models = Models::load()?;
            let adocs = article_docs(&docs);
            let all: Vec<usize> = (0..docs.len()).collect();
            annotate_all(&models, &adocs, &all, stage)
        }
    };
    let mut pred = pred;
    if let Some(floors) = &a.min_confidence {
        for events in pred.values_mut() {
            events.retain(|e| floors.keeps(e.event_type.name(), e.confidence as f64));
        }
    }
    if let Some(path) = &a.events_out {
        write_events(path, &ids, &pred)?;
    }
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

/// Writes the events of each article, in the articles' order, as `{id, events}` lines, whole
/// or not at all.
fn write_events(
    path: &std::path::Path,
    ids: &[(String, String)],
    pred: &HashMap<String, Vec<marsad_record::Event>>,
) -> Result<()> {
    crate::files::write_atomic_with(path, |w| {
        for (id, _) in ids {
            let events = pred.get(id).map(Vec::as_slice).unwrap_or(&[]);
            writeln!(w, "{}", serde_json::json!({"id": id, "events": events}))?;
        }
        Ok(())
    })
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floors_are_one_for_all_or_one_per_type() {
        let all = parse_floors("0.6").unwrap();
        assert!(all.keeps("ASSAULT", 0.6) && !all.keeps("PROTEST", 0.59));
        let by = parse_floors("assault=0.7, COERCE=0.5").unwrap();
        assert!(!by.keeps("ASSAULT", 0.69) && by.keeps("COERCE", 0.5) && by.keeps("PROTEST", 0.1));
        for bad in ["1.5", "ASSAULT", "FOO=0.5", "ASSAULT=x"] {
            assert!(parse_floors(bad).is_err(), "{bad}");
        }
    }
}
