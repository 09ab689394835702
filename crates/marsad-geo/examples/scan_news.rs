//! Geocodes the benchmark articles and lists the most frequent mentions with what they resolved
//! to (a review aid for the stoplist and aliases):
//! `cargo run --release -p marsad-geo --example scan_news -- [N]`.
use std::collections::HashMap;
use std::io::BufRead;
fn main() -> Result<(), Box<dyn std::error::Error>> {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(2000);
    let gaz = marsad_geo::Gazetteer::builtin()?;
    let f = std::fs::File::open("../shared/data/news/bench-articles.jsonl")?;
    let mut counts: HashMap<(String, String), usize> = HashMap::new();
    let mut places = 0;
    for line in std::io::BufReader::new(f).lines().take(n) {
        let v: serde_json::Value = serde_json::from_str(&line?)?;
        let text = v["text"].as_str().unwrap_or("");
        let a = marsad_text::analyze(text);
        for p in gaz.places(text, &a, &[]) {
            places += 1;
            let what = format!(
                "{} {} {:?} {}",
                p.name_en, p.country, p.geonameid, p.feature
            );
            *counts
                .entry((marsad_text::normalize::key(&p.text), what))
                .or_default() += 1;
        }
    }
    let mut v: Vec<_> = counts.into_iter().collect();
    v.sort_by_key(|x| std::cmp::Reverse(x.1));
    println!("{places} places in {n} articles");
    for ((t, w), c) in v {
        println!("{c}\t{t}\t{w}");
    }
    Ok(())
}
