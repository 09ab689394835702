//! Runs the text layer alone (`text`) or text + geocoding (`geo`) over the benchmark articles,
//! single thread, for counting with `perf stat -e instructions` (robust on a busy machine):
//! `perf stat -e instructions target/release/examples/cost geo 2000`.
mod common;
fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mode = std::env::args().nth(1).unwrap_or_else(|| "geo".into());
    let n: usize = std::env::args()
        .nth(2)
        .and_then(|s| s.parse().ok())
        .unwrap_or(2000);
    let docs = common::bench_articles(n)?;
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
