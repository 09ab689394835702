//! `marsad eval seed`: the founding report against `../shared/seed/expected.json`.

use anyhow::{Context, Result};
use marsad_pipeline::gold::seed::check_seed;
use marsad_pipeline::{annotate, content_id, parse_date, Doc, Models};
use serde_json::Value;
use std::path::PathBuf;
use std::process::ExitCode;

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
        outlet: None,
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
        "seed: {}/{} expected events found with the right type, {} with every listed argument right, not-asserted check {}; {} events in all, {} counted → {}",
        r.found,
        r.expected,
        r.args_right,
        if r.not_asserted_ok { "ok" } else { "FAILED" },
        ann.events.len(),
        r.counted,
        if ok { "PASS" } else { "FAIL (want ≥ 9 found, ≥ 7 with arguments right, no asserted Mosul expectation)" }
    );
    Ok(if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}
