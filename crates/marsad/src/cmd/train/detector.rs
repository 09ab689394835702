//! `marsad train detector`: the event detector (`models/events-detector.toml`) — every model
//! from both gold sets (the gold-standard sentences and the article-level gold), or one
//! category's from a gold-standard file.

use crate::files::write_atomic;
use anyhow::{Context, Result};
use marsad_events::detector;
use marsad_events::Category;
use marsad_pipeline::gold::articles::{self, GoldArticle};
use marsad_pipeline::gold::{self, learn, read_gold};
use marsad_pipeline::{input, parse_date, Models};
use std::collections::HashMap;
use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Where the detector learns from, and its settings: shared by `train detector` (every model)
/// and `eval articles --cv`.
#[derive(clap::Args)]
pub struct DetectorData {
    /// Gold-standard CSV of assault sentences.
    #[arg(long, default_value = "../shared/data/events/gsr/assault_gsr.csv")]
    pub assault_gsr: PathBuf,
    /// Gold-standard CSV of protest sentences.
    #[arg(long, default_value = "../shared/data/events/gsr/protest_gsr.csv")]
    pub protest_gsr: PathBuf,
    /// L2 penalties of the ASSAULT, PROTEST and shared models.
    #[arg(long, value_delimiter = ',', default_value = "0.3,0.01,0.1")]
    pub l2s: Vec<f32>,
}

/// The detector's training data, read and annotated.
pub struct DetectorSet {
    assault: Vec<detector::Sentence>,
    protest: Vec<detector::Sentence>,
    articles: Vec<learn::ArticleExamples>,
    l2s: [f32; 3],
}

impl DetectorData {
    /// Reads the gold-standard files and labels the candidates of the articles.
    pub fn load(
        &self,
        models: &Models,
        docs: &[learn::ArticleDoc],
        gold: &HashMap<String, GoldArticle>,
    ) -> Result<DetectorSet> {
        let [a, p, s] = self.l2s[..] else {
            anyhow::bail!("--l2s: want three numbers (ASSAULT, PROTEST, shared)");
        };
        let sentences = |path: &Path, cat| -> Result<Vec<detector::Sentence>> {
            let (rows, _) = read_gold(path)?;
            Ok(gold::detector_sentences(&rows, cat, models))
        };
        Ok(DetectorSet {
            assault: sentences(&self.assault_gsr, Category::Assault)?,
            protest: sentences(&self.protest_gsr, Category::Protest)?,
            articles: learn::article_examples(models, docs, gold),
            l2s: [a, p, s],
        })
    }
}

impl DetectorSet {
    /// What [`learn::train`] takes.
    pub fn training(&self) -> learn::Training<'_> {
        learn::Training {
            sentences: vec![
                (Category::Assault, &self.assault, self.l2s[0]),
                (Category::Protest, &self.protest, self.l2s[1]),
            ],
            shared_l2: self.l2s[2],
            articles: &self.articles,
        }
    }
}

/// Arguments of `marsad train detector`.
#[derive(clap::Args)]
pub struct DetectorArgs {
    /// Train one category's model from this gold-standard CSV only (columns id, event_type,
    /// label, …, text); without it, every model is trained from both gold sets.
    #[arg(long, requires = "kind")]
    pub gsr: Option<PathBuf>,
    /// The category of `--gsr`: ASSAULT or PROTEST (any PLOVER category works).
    #[arg(long = "type", requires = "gsr")]
    pub kind: Option<String>,
    #[command(flatten)]
    pub data: DetectorData,
    /// The article-level gold folder (articles.jsonl, gold.jsonl), when every model is trained.
    #[arg(long, default_value = "../shared/data/events/article-gold")]
    pub articles: PathBuf,
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

/// Runs `marsad train detector`.
pub fn run(a: DetectorArgs) -> Result<ExitCode> {
    match (&a.gsr, &a.kind) {
        (Some(gsr), Some(kind)) => one(&a, gsr, kind),
        _ => all(&a),
    }
}

/// Trains every model from both gold sets, reports the gold-standard cross-validation of the
/// two sentence-level categories, and writes the file whole.
fn all(a: &DetectorArgs) -> Result<ExitCode> {
    let models = Models::load()?;
    let gold = articles::read_article_gold(&a.articles.join("gold.jsonl"))?;
    let docs = read_article_docs(&a.articles.join("articles.jsonl"))?;
    let set = a.data.load(&models, &docs, &gold)?;
    let t = set.training();
    for (cat, own, l2) in &t.sentences {
        let pooled: Vec<detector::Sentence> = t
            .sentences
            .iter()
            .filter(|(c, ..)| c != cat)
            .flat_map(|(_, s, _)| s.iter().cloned())
            .chain(
                t.articles
                    .iter()
                    .flatten()
                    .filter(|(c, ..)| c == cat)
                    .map(|(_, f, kept, y)| (vec![(f.clone(), *kept)], *y)),
            )
            .collect();
        let (tp, fp, fn_) = detector::cross_validate(own, &pooled, a.folds, a.repeats, *l2, 400);
        let cv = gold::Scores { tp, fp, fn_, tn: 0 };
        println!(
            "{} gold-standard sentences, {}-fold cross-validated ×{} (article candidates pooled): P {:.3} R {:.3} F1 {:.3}",
            cat.name(),
            a.folds,
            a.repeats.max(1),
            cv.precision(),
            cv.recall(),
            cv.f1()
        );
    }
    let det = learn::train(&t, |_| true);
    for (name, m) in &det.models {
        println!("model {name}: threshold {}", m.threshold);
    }
    let header = "# Trained by `marsad train detector` (every model, from the gold-standard sentences and the article-level gold); see models/events-detector.md.\n";
    write_atomic(&a.model, format!("{header}{}", det.to_toml()).as_bytes())?;
    eprintln!("marsad: detector written to {}", a.model.display());
    Ok(ExitCode::SUCCESS)
}

/// The articles of an article-level gold folder.
fn read_article_docs(path: &Path) -> Result<Vec<learn::ArticleDoc>> {
    let name = path.display().to_string();
    let mut out = Vec::new();
    for (n, line) in input::open_lines(&name)?.lines().enumerate() {
        let line = line.with_context(|| format!("{name}: line {}", n + 1))?;
        if line.trim().is_empty() {
            continue;
        }
        let d = input::parse_jsonl_line(&line)
            .map_err(|e| anyhow::anyhow!("{name}: line {}: {e}", n + 1))?;
        out.push(learn::ArticleDoc {
            id: d.id_string().unwrap_or_default(),
            date: d.date.as_deref().and_then(parse_date),
            text: d.text,
        });
    }
    Ok(out)
}

/// Cross-validates and writes the model of one category, learned from one gold-standard file.
fn one(a: &DetectorArgs, gsr: &Path, kind: &str) -> Result<ExitCode> {
    use marsad_events::detector::Detector;
    let cat = Category::parse(kind)
        .with_context(|| format!("unknown event type {kind:?} (want ASSAULT, PROTEST, …)"))?;
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
    let (rows, _) = read_gold(gsr)?;
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
        gsr.display(),
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
