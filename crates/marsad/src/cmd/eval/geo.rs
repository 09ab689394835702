//! `marsad eval geo`: geocoding against a JSONL gold file.

use anyhow::{Context, Result};
use marsad_geo::Gazetteer;
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `marsad eval geo`.
#[derive(clap::Args)]
pub struct EvalArgs {
    /// Gold JSONL: `{"id", "text", "places": [{"text", "country", "geonameid" | "lat", "lon",
    /// "tolerance_km"}]}` per line.
    #[arg(long, default_value = "data/eval/geo-dev.jsonl")]
    gold: PathBuf,
    /// A gazetteer artifact to use instead of the built-in one.
    #[arg(long)]
    gazetteer: Option<PathBuf>,
    /// Print every miss and spurious prediction.
    #[arg(long, short)]
    verbose: bool,
    /// Print the scores as one JSON object.
    #[arg(long)]
    json: bool,
}

/// Runs `marsad eval geo`.
pub fn eval(a: EvalArgs) -> Result<ExitCode> {
    let gaz: &Gazetteer = match &a.gazetteer {
        None => Gazetteer::builtin()?,
        Some(p) => {
            let b = std::fs::read(p).with_context(|| format!("{}: cannot read", p.display()))?;
            Box::leak(Box::new(Gazetteer::from_bytes(&b)?))
        }
    };
    let text = std::fs::read_to_string(&a.gold)
        .with_context(|| format!("{}: cannot read", a.gold.display()))?;
    let docs = marsad_geo::eval::parse_gold(&text)?;
    let (s, misses) = marsad_geo::eval::evaluate(gaz, &docs);
    if a.verbose {
        for m in &misses {
            println!("{}\t{}\t{}", m.doc, m.text, m.what);
        }
    }
    if a.json {
        println!(
            "{}",
            serde_json::json!({
                "docs": s.docs, "gold": s.gold, "predicted": s.predicted,
                "found": s.rate(s.found), "resolved": s.rate(s.resolved),
                "country": s.rate(s.country), "within_161km": s.rate(s.within_161),
                "precision": s.precision(), "spurious": s.spurious,
            })
        );
    } else {
        println!(
            "{} documents, {} gold places, {} predicted",
            s.docs, s.gold, s.predicted
        );
        println!("found          {:>4}  {:.3}", s.found, s.rate(s.found));
        println!(
            "resolved       {:>4}  {:.3}",
            s.resolved,
            s.rate(s.resolved)
        );
        println!("right country  {:>4}  {:.3}", s.country, s.rate(s.country));
        println!(
            "within 161 km  {:>4}  {:.3}",
            s.within_161,
            s.rate(s.within_161)
        );
        println!(
            "precision      {:>4}  {:.3}  ({} spurious)",
            s.predicted - s.spurious,
            s.precision(),
            s.spurious
        );
    }
    Ok(ExitCode::SUCCESS)
}
