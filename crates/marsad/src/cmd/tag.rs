//! `marsad tag`: pre-tokenized text in, one `token TAG` line per token out (the NER stage alone).

use super::nermodel::ModelArgs;
use anyhow::Result;
use marsad_ner::conll;
use marsad_pipeline::input;
use std::io::Write;
use std::process::ExitCode;
use std::time::Instant;

/// Arguments of `marsad tag`.
#[derive(clap::Args)]
pub struct TagArgs {
    /// Pre-tokenized input (`-` for stdin): first column a token, blank lines between sentences.
    file: String,
    /// Input and output format.
    #[arg(long, default_value = "conll", value_parser = ["conll"])]
    format: String,
    #[command(flatten)]
    model: ModelArgs,
}

/// Runs `marsad tag`.
pub fn tag(a: TagArgs) -> Result<ExitCode> {
    let tagger = a.model.load()?;
    let t0 = Instant::now();
    let mut reader = conll::Reader::tokens_only(input::open_lines(&a.file)?);
    let stdout = std::io::stdout();
    let mut w = std::io::BufWriter::with_capacity(1 << 16, stdout.lock());
    let (view, doc) = (a.model.view(), a.model.doc(tagger));
    let n = marsad_ner::doc::tag_conll(tagger, view, doc, &mut reader, &mut w)?;
    w.flush()?;
    let dt = t0.elapsed().as_secs_f64();
    eprintln!(
        "marsad: tagged {n} tokens in {dt:.2}s ({:.0} tokens/s)",
        n as f64 / dt.max(1e-9)
    );
    Ok(ExitCode::SUCCESS)
}
