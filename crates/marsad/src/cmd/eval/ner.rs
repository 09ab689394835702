//! `marsad eval ner`: the tagger against a CoNLL gold file (exact spans, conlleval semantics).

use crate::cmd::nermodel::{FineArgs, ModelArgs};
use anyhow::{Context, Result};
use marsad_ner::conll;
use marsad_ner::eval::score;
use marsad_pipeline::input;
use std::io::Read;
use std::process::ExitCode;
use std::time::Instant;

/// Arguments of `marsad eval ner`.
#[derive(clap::Args)]
pub struct EvalArgs {
    /// Gold CoNLL file (token first column, tag last column; PER/MIS read as PERS/MISC).
    #[arg(long)]
    gold: String,
    #[command(flatten)]
    fine: FineArgs,
    #[command(flatten)]
    model: ModelArgs,
}

/// Runs `marsad eval ner`.
pub fn eval(a: EvalArgs) -> Result<ExitCode> {
    let tagger = a.model.load()?;
    // read once: the tag spelling picks the view, then the sentences are parsed
    let mut text = String::new();
    input::open_lines(&a.gold)?
        .read_to_string(&mut text)
        .with_context(|| format!("{}: cannot read", a.gold))?;
    let view = a.model.view_for_gold(&a.gold, &text);
    let gold = conll::Reader::new(std::io::Cursor::new(text), a.fine.map()?)
        .read_all()
        .with_context(|| format!("{}: cannot read", a.gold))?;
    let t0 = Instant::now();
    let sc = score(tagger, view, a.model.doc(tagger), &gold);
    let dt = t0.elapsed().as_secs_f64();
    println!("{}", sc.table());
    eprintln!(
        "marsad: {} sentences, {} tokens in {dt:.2}s ({:.0} tokens/s)",
        gold.len(),
        sc.tokens,
        sc.tokens as f64 / dt.max(1e-9)
    );
    Ok(ExitCode::SUCCESS)
}
