//! `marsad train clusters`: word clusters from the news corpus for the NER features.

use super::news_texts;
use crate::files::write_atomic;
use anyhow::Result;
use marsad_ner::clusters::Clusters;
use std::process::ExitCode;

/// Arguments of `marsad train clusters`.
#[derive(clap::Args)]
pub struct ClustersArgs {
    /// The news corpus (JSONL, optionally gzipped, with a `text` field).
    #[arg(long, default_value = "../shared/data/news/corpus.jsonl.gz")]
    corpus: String,
    /// How many of the most frequent words get a cluster.
    #[arg(long, default_value_t = 50_000)]
    vocab: usize,
    /// Number of fine clusters.
    #[arg(long, default_value_t = 320)]
    fine: usize,
    /// Number of coarse clusters.
    #[arg(long, default_value_t = 48)]
    coarse: usize,
    /// Cluster counts of the three embedding levels (SVD word vectors); `0,0,0` leaves them out.
    #[arg(long, value_delimiter = ',', num_args = 3, default_values_t = [100, 400, 1500])]
    emb_levels: Vec<usize>,
    /// Dimensions of the SVD word vectors behind the embedding levels.
    #[arg(long, default_value_t = 64)]
    emb_dims: usize,
    /// What the fine and coarse clusters are k-means over: the SVD word vectors, or a random
    /// projection of left/right neighbour counts (the clusters before 2026-11-26).
    #[arg(long, default_value = "svd", value_parser = ["svd", "projection"])]
    fine_from: String,
    /// Random seed.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Where to write the clusters.
    #[arg(long, default_value = "models/clusters.bin")]
    out: String,
}

/// Runs `marsad train clusters`.
pub fn train_clusters(a: ClustersArgs) -> Result<ExitCode> {
    let t0 = std::time::Instant::now();
    let texts = news_texts(&a.corpus)?;
    let cfg = marsad_ner::clusters::Config {
        vocab: a.vocab,
        fine: a.fine,
        coarse: a.coarse,
        seed: a.seed,
        emb_levels: [a.emb_levels[0], a.emb_levels[1], a.emb_levels[2]],
        emb_dims: a.emb_dims,
        fine_from_svd: a.fine_from == "svd",
        ..Default::default()
    };
    let bytes = marsad_ner::clusters::train(texts, &cfg, |m| eprintln!("marsad: {m}"))?;
    write_atomic(&a.out, &bytes)?;
    let c = Clusters::from_bytes(bytes)?;
    eprintln!(
        "marsad: {} words in {} fine / {} coarse clusters and embedding levels {:?} written to {} in {:.1}s",
        c.len(),
        a.fine,
        a.coarse,
        a.emb_levels,
        a.out,
        t0.elapsed().as_secs_f64()
    );
    Ok(ExitCode::SUCCESS)
}
