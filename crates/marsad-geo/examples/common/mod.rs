//! What the geo examples share: the benchmark articles.

use std::io::BufRead;

/// The texts of the first `n` benchmark articles (`../shared/data/news/bench-articles.jsonl`).
pub fn bench_articles(n: usize) -> Result<Vec<String>, Box<dyn std::error::Error>> {
    let f = std::fs::File::open("../shared/data/news/bench-articles.jsonl")?;
    Ok(std::io::BufReader::new(f)
        .lines()
        .map_while(Result::ok)
        .take(n)
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(&l).ok())
        .filter_map(|v| v["text"].as_str().map(str::to_string))
        .collect())
}
