//! Times the text layer alone and text + geocoding over the benchmark articles, single thread:
//! `cargo run --release -p marsad-geo --example timing -- [N]`.
mod common;
use std::time::Instant;
fn main() -> Result<(), Box<dyn std::error::Error>> {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(10_000);
    let docs = common::bench_articles(n)?;
    let t0 = Instant::now();
    let gaz = marsad_geo::Gazetteer::builtin()?;
    let load = t0.elapsed();
    for round in 0..3 {
        let t = Instant::now();
        let mut tok = 0;
        for d in &docs {
            tok += marsad_text::analyze(d).tokens.len();
        }
        let text = t.elapsed();
        let t = Instant::now();
        let mut places = 0;
        for d in &docs {
            let a = marsad_text::analyze(d);
            tok += a.tokens.len();
            places += gaz.places(d, &a, &[]).len();
        }
        let both = t.elapsed();
        let analyses: Vec<_> = docs.iter().map(|d| marsad_text::analyze(d)).collect();
        let t = Instant::now();
        for (d, a) in docs.iter().zip(&analyses) {
            places += gaz.places(d, a, &[]).len();
        }
        let geo = t.elapsed();
        println!(
            "  geo alone {:.2} s ({:.1}% of text)",
            geo.as_secs_f64(),
            100.0 * geo.as_secs_f64() / text.as_secs_f64()
        );
        println!(
            "round {round}: {} docs, text {:.2} s, text+geo {:.2} s (+{:.1}%), {places} places, {tok} tokens; gazetteer load {:.1} ms",
            docs.len(),
            text.as_secs_f64(),
            both.as_secs_f64(),
            100.0 * (both.as_secs_f64() / text.as_secs_f64() - 1.0),
            load.as_secs_f64() * 1000.0
        );
    }
    Ok(())
}
