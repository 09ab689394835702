//! Runs the text layer alone (`text`) or text + geocoding (`geo`) over the benchmark articles,
//! single thread, for counting with `perf stat -e instructions` (robust on a busy machine):
//! `perf stat -e instructions target/release/examples/cost geo 2000`.
use std::io::BufRead;
fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mode = std::env::args().nth(1).unwrap_or_else(|| "geo".into());
    let n: usize = std::env::args()
        .nth(2)
        .and_then(|s| s.parse().ok())
        .unwrap_or(2000);
    let f = std::fs::File::open("../shared/data/news/bench-articles.jsonl")?;
    let docs: Vec<String> = std::io::BufReader::new(f)
        .lines()
        .map_while(Result::ok)
        .take(n)
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(&l).ok())
        .filter_map(|v| v["text"].as_str().map(str::to_string))
        .collect();
    let gaz = marsad_geo::Gazetteer::builtin()?;
    let mut out = 0;
    for _ in 0..3 {
        for d in &docs {
            let a = marsad_text::analyze(d);
            out += a.tokens.len();
            if mode == "geo" {
                out += gaz.places(d, &a, &[]).len();
            }
        }
    }
    println!("{out}");
    Ok(())
}
