//! `marsad train …`: learn the models from the shared data (each model's card names its
//! command).

mod clusters;
mod detector;
mod ner;

pub use detector::{DetectorArgs, DetectorData};

use crate::files::write_atomic;
use anyhow::Result;
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
    Ner(ner::TrainArgs),
    /// Learn word clusters from the news corpus for the NER features (models/clusters.bin).
    Clusters(clusters::ClustersArgs),
    /// Train the event detector (models/events-detector.toml): every model from the gold-standard
    /// sentences and the article-level gold, or one category's from `--gsr`.
    Detector(DetectorArgs),
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
        Command::Ner(a) => ner::train(a),
        Command::Clusters(a) => clusters::train_clusters(a),
        Command::Detector(a) => detector::run(a),
    }
}

/// The texts of a JSONL news corpus (optionally gzipped; the `text` field of each line that
/// reads).
fn news_texts(path: &str) -> Result<impl Iterator<Item = String>> {
    Ok(input::open_lines(path)?
        .lines()
        .map_while(|l| l.ok())
        .filter_map(|l| input::parse_jsonl_line(&l).ok().map(|d| d.text)))
}

fn lexicon(a: LexiconArgs) -> Result<ExitCode> {
    let mut docs = 0usize;
    let texts = news_texts(&a.corpus)?.inspect(|_| docs += 1);
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
