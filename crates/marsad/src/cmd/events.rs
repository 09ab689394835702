//! `marsad eval events`, `marsad eval seed`.

use crate::pipeline::{annotate, content_id, parse_date, Doc, Models};
use anyhow::{Context, Result};
use marsad_events::{Bound, Category, Event};
use marsad_text::normalize::key;
use marsad_text::Span;
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
    fn doc(&self) -> Doc<'_> {
        Doc {
            id: content_id(&self.text),
            text: &self.text,
            date: id_date(&self.id),
            title: None,
            url: None,
        }
    }
}

/// Reads the gold CSV; returns the scored rows and how many were skipped (difficult no,
/// ambiguous).
pub fn read_gold(path: &Path) -> Result<(Vec<GoldRow>, usize)> {
    let mut rd = csv::Reader::from_path(path).with_context(|| format!("{}", path.display()))?;
    let headers = rd.headers()?.clone();
    let col = |name: &str| {
        headers
            .iter()
            .position(|h| h == name)
            .with_context(|| format!("{}: no column {name}", path.display()))
    };
    let (ci, cl, ct) = (col("id")?, col("label")?, col("text")?);
    let mut rows = Vec::new();
    let mut skipped = 0;
    for rec in rd.records() {
        let rec = rec?;
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
        let pred = detects(&ann.events, cat);
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
fn train(a: &EvalArgs, cat: Category, rows: &[GoldRow], models: &Models) -> Result<ExitCode> {
    use marsad_events::detector::{self, Detector};
    let sentences = detector_sentences(rows, cat, models);
    let mut pooled = Vec::new();
    for spec in &a.pool {
        let (file, kind) = spec
            .rsplit_once(':')
            .with_context(|| format!("--pool {spec:?}: want FILE:TYPE"))?;
        let other = Category::parse(kind)
            .with_context(|| format!("--pool {spec:?}: unknown event type {kind:?}"))?;
        let (rows, _) = read_gold(Path::new(file))?;
        pooled.extend(detector_sentences(&rows, other, models));
    }
    let epochs = 400;
    let rules = {
        let mut s = Scores::default();
        for (c, y) in &sentences {
            s.add(*y, !c.is_empty());
        }
        s
    };
    let (tp, fp, fn_) =
        detector::cross_validate(&sentences, &pooled, a.folds, a.repeats, a.l2, epochs);
    let cv = Scores { tp, fp, fn_, tn: 0 };
    let model = detector::fit(&sentences, &pooled, a.l2, epochs);
    let (tp, fp, fn_) = detector::sentence_counts(&model, &sentences, model.threshold);
    let fit = Scores { tp, fp, fn_, tn: 0 };
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
        model.threshold
    );
    let mut det = std::fs::read_to_string(&a.model)
        .ok()
        .and_then(|t| Detector::parse(&t).ok())
        .unwrap_or_default();
    det.features = detector::feature_names();
    det.models.insert(cat.name().to_string(), model);
    let header = "# Trained by `marsad eval events --train`; see models/events-detector.md.\n";
    std::fs::write(&a.model, format!("{header}{}", det.to_toml()))
        .with_context(|| format!("{}", a.model.display()))?;
    eprintln!(
        "marsad: detector for {} written to {}",
        cat.name(),
        a.model.display()
    );
    Ok(ExitCode::SUCCESS)
}

/// The candidates of category `cat` in each gold sentence, as detector examples.
fn detector_sentences(
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

/// Where a string first occurs in the article, as a span.
fn find_span(text: &str, needle: &str) -> Option<Span> {
    text.find(needle).map(|s| Span::new(s, s + needle.len()))
}

fn alternatives(v: &Value) -> Vec<String> {
    v.as_str()
        .map(|s| s.split('|').map(|x| x.trim().to_string()).collect())
        .unwrap_or_default()
}

/// Whether a participant names the expected one: by text (matching keys, containment) or by the
/// English name the expected entity list gives it.
fn names_match(p: &marsad_events::Participant, want: &str, entities: &[Value]) -> bool {
    let (pk, wk) = (key(&p.text), key(want));
    if pk.contains(&wk) {
        return true;
    }
    let en = entities
        .iter()
        .find(|e| e["text"].as_str() == Some(want))
        .and_then(|e| e["name_en"].as_str());
    en.is_some() && p.name_en.as_deref() == en
}

fn place_match(l: Option<&marsad_events::Location>, want: &Value) -> bool {
    let Some(l) = l else { return false };
    if let Some(id) = want["geonameid"].as_u64() {
        return l.geonameid == Some(id);
    }
    want["country"].as_str().is_none_or(|c| l.country == c)
}

/// Checks one predicted event against the listed fields of one expected event; returns the
/// names of the fields that are wrong.
fn check_args(e: &Event, x: &Value, entities: &[Value], text: &str) -> Vec<String> {
    let mut wrong = Vec::new();
    let mut check = |name: &str, ok: bool| {
        if !ok {
            wrong.push(name.to_string());
        }
    };
    let all = || e.actors.iter().chain(&e.recipients);
    if let Some(m) = x.get("mode") {
        let alts = alternatives(m);
        check("mode", e.mode.iter().any(|m| alts.contains(m)));
    }
    // the participant fields of expected.json: (field, which side, what of a participant)
    type Field = fn(&marsad_events::Participant, &str, &[Value]) -> bool;
    let by_name: Field = |p, want, entities| names_match(p, want, entities);
    let by_role: Field = |p, want, _| p.role.as_deref() == Some(want);
    let by_country: Field = |p, want, _| p.country.as_deref() == Some(want);
    let sides: [(&str, &[marsad_events::Participant], Field); 6] = [
        ("actor", &e.actors, by_name),
        ("recipient", &e.recipients, by_name),
        ("actor_role", &e.actors, by_role),
        ("recipient_role", &e.recipients, by_role),
        ("actor_country", &e.actors, by_country),
        ("recipient_country", &e.recipients, by_country),
    ];
    for (field, side, matches) in sides {
        if let Some(want) = x[field].as_str() {
            check(field, side.iter().any(|p| matches(p, want, entities)));
        }
    }
    if let Some(ps) = x["participants"].as_array() {
        let ok = ps
            .iter()
            .filter_map(Value::as_str)
            .all(|w| all().any(|p| names_match(p, w, entities)));
        check("participants", ok);
    }
    if let Some(locs) = x["locations"].as_array() {
        let ok = e.location.as_ref().is_some_and(|l| {
            locs.iter()
                .filter_map(Value::as_str)
                .any(|w| key(&l.text).contains(&key(w)))
        });
        check("locations", ok);
    }
    if let Some(l) = x.get("location") {
        check("location", place_match(e.location.as_ref(), l));
    }
    if let Some(l) = x.get("destination") {
        check("destination", place_match(e.destination.as_ref(), l));
    }
    if let Some(m) = x.get("money") {
        let ok = e.money.as_ref().is_some_and(|g| {
            let bound = match g.bound {
                Bound::Exact => "exact",
                Bound::AtLeast => "at least",
                Bound::UpTo => "up to",
            };
            m["amount"].as_f64() == Some(g.amount)
                && m["currency"].as_str() == Some(g.currency.as_str())
                && m["per"].as_str() == g.per.as_deref()
                && m["bound"].as_str().is_none_or(|b| b == bound)
        });
        check("money", ok);
    }
    if let Some(k) = x["killed"].as_u64() {
        check("killed", e.counts.killed.is_some_and(|c| c.value == k));
    }
    if let Some(c) = x.get("count") {
        let counts = [
            e.counts.participants,
            e.counts.killed,
            e.counts.injured,
            e.counts.arrested,
            e.counts.abducted,
        ];
        let ok = counts.iter().flatten().any(|g| {
            c["value"].as_u64() == Some(g.value)
                && c["approximate"]
                    .as_bool()
                    .is_none_or(|a| a == g.approximate)
        });
        check("count", ok);
    }
    if let Some(a) = x["attribution"].as_str() {
        let ok = match (find_span(text, a), &e.attribution) {
            (Some(s), Some(g)) => s.overlaps(&g.span),
            _ => false,
        };
        check("attribution", ok);
    }
    if let Some(m) = x["modality"].as_str() {
        let got = serde_json::to_value(e.modality).unwrap_or(Value::Null);
        check("modality", got.as_str() == Some(m));
    }
    wrong
}

/// The outcome of the seed check.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SeedReport {
    /// Expected events found with an acceptable type.
    pub found: usize,
    /// Of those, how many have every listed argument right.
    pub args_right: usize,
    /// Expected events in all.
    pub expected: usize,
    /// Whether no not-asserted expectation became an asserted event.
    pub not_asserted_ok: bool,
    /// One line per expectation.
    pub lines: Vec<String>,
}

/// Checks predicted events against `expected.json`.
pub fn check_seed(text: &str, events: &[Event], expected: &Value) -> SeedReport {
    let entities = expected["entities"].as_array().cloned().unwrap_or_default();
    let mut r = SeedReport {
        not_asserted_ok: true,
        ..SeedReport::default()
    };
    for x in expected["events"].as_array().into_iter().flatten() {
        r.expected += 1;
        let id = x["id"].as_str().unwrap_or("?");
        let types = alternatives(&x["type"]);
        let Some(ev) = x["evidence"].as_str().and_then(|s| find_span(text, s)) else {
            r.lines.push(format!("{id}: evidence not in the article"));
            continue;
        };
        let mut best: Option<(&Event, Vec<String>)> = None;
        for e in events {
            if !types.iter().any(|t| t == e.event_type.name()) || !e.evidence.span.overlaps(&ev) {
                continue;
            }
            let wrong = check_args(e, x, &entities, text);
            if best.as_ref().is_none_or(|(_, w)| wrong.len() < w.len()) {
                best = Some((e, wrong));
            }
        }
        match best {
            None => {
                let other: Vec<&str> = events
                    .iter()
                    .filter(|e| e.evidence.span.overlaps(&ev))
                    .map(|e| e.event_type.name())
                    .collect();
                r.lines.push(format!(
                    "{id}: NOT FOUND (want {}; overlapping: {})",
                    types.join("|"),
                    if other.is_empty() {
                        "none".to_string()
                    } else {
                        other.join(", ")
                    }
                ));
            }
            Some((e, wrong)) => {
                r.found += 1;
                if wrong.is_empty() {
                    r.args_right += 1;
                }
                r.lines.push(format!(
                    "{id}: found {} {:?} trigger {:?}; arguments {}",
                    e.event_type.name(),
                    e.mode,
                    e.trigger.text,
                    if wrong.is_empty() {
                        "right".to_string()
                    } else {
                        format!("wrong: {}", wrong.join(", "))
                    }
                ));
            }
        }
    }
    for x in expected["not_asserted"].as_array().into_iter().flatten() {
        let Some(ev) = x["evidence"].as_str().and_then(|s| find_span(text, s)) else {
            continue;
        };
        let bad: Vec<&Event> = events
            .iter()
            .filter(|e| e.modality.counts() && e.evidence.span.overlaps(&ev))
            .collect();
        if !bad.is_empty() {
            r.not_asserted_ok = false;
        }
        r.lines.push(format!(
            "not asserted {:?}: {}",
            x["evidence"].as_str().unwrap_or(""),
            if bad.is_empty() {
                "ok".to_string()
            } else {
                format!("WRONG ({} counting event(s))", bad.len())
            }
        ));
    }
    r
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

    /// The seed's events through the full pipeline (skips when ../shared is missing).
    #[test]
    fn seed_golden() {
        let shared = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared");
        let Ok(text) = std::fs::read_to_string(shared.join("seed/article.txt")) else {
            eprintln!("skipping seed_golden: ../shared/seed missing");
            return;
        };
        let expected: Value = serde_json::from_str(
            &std::fs::read_to_string(shared.join("seed/expected.json")).unwrap(),
        )
        .unwrap();
        let models = Models::load().unwrap();
        let doc = Doc {
            id: content_id(&text),
            text: &text,
            date: None,
            title: None,
            url: None,
        };
        let ann = annotate(&models, &doc);
        let r = check_seed(&text, &ann.events, &expected);
        assert!(r.not_asserted_ok, "{:#?}", r.lines);
        assert!(r.found >= 9, "{:#?}", r.lines);
    }
}
