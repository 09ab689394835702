//! `marsad train …`: build the learned artifacts from the shared data.

use anyhow::{Context, Result};
use marsad_pipeline::input;
use std::io::BufRead;
use std::process::ExitCode;

/// What to train.
// Parsed once per run: the size difference between the variants costs nothing.
#[allow(clippy::large_enum_variant)]
#[derive(clap::Subcommand)]
pub enum Command {
    /// Count word forms in the news corpus into the clitic lexicon (models/wordfreq.fst).
    Lexicon(LexiconArgs),
    /// Train the named-entity tagger (models/ner.*).
    Ner(super::ner::TrainArgs),
    /// Learn word clusters from the news corpus for the NER features (models/clusters.bin).
    Clusters(super::ner::ClustersArgs),
}

/// Arguments of `marsad train lexicon`.
#[derive(clap::Args)]
pub struct LexiconArgs {
    /// The news corpus (JSONL, optionally gzipped, with a `text` field).
    #[arg(long, default_value = "../shared/data/news/corpus.jsonl.gz")]
    corpus: String,
    /// Keep words seen at least this many times.
    #[arg(long, default_value_t = 3)]
    min_count: u64,
    /// Where to write the lexicon.
    #[arg(long, default_value = "models/wordfreq.fst")]
    out: String,
}

/// Runs `marsad train …`.
pub fn run(cmd: Command) -> Result<ExitCode> {
    match cmd {
        Command::Lexicon(a) => lexicon(a),
        Command::Ner(a) => super::ner::train(a),
        Command::Clusters(a) => super::ner::train_clusters(a),
    }
}

fn lexicon(a: LexiconArgs) -> Result<ExitCode> {
    let reader = input::open_lines(&a.corpus)?;
    let mut docs = 0usize;
    let texts = reader.lines().map_while(|l| l.ok()).filter_map(|l| {
        let d = input::parse_jsonl_line(&l).ok()?;
        docs += 1;
        Some(d.text)
    });
    let bytes = marsad_text::clitic::build_lexicon(texts, a.min_count);
    write_atomic(&a.out, &bytes)?;
    let lex = marsad_text::clitic::Lexicon::from_bytes(bytes)?;
    eprintln!(
        "marsad: {} words from {docs} documents written to {}",
        lex.len(),
        a.out
    );
    Ok(ExitCode::SUCCESS)
}

/// Writes `bytes` to `path` through a temporary file and a rename, so no half file is left.
pub fn write_atomic(path: &str, bytes: &[u8]) -> Result<()> {
    let tmp = format!("{path}.tmp");
    std::fs::write(&tmp, bytes).with_context(|| format!("{tmp}: cannot write"))?;
    std::fs::rename(&tmp, path).with_context(|| format!("{path}: cannot replace"))?;
    Ok(())
}
