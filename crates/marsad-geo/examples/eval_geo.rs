//! Scores the built-in gazetteer on a gold JSONL file, like `marsad eval geo -v`, without
//! building the whole binary: `cargo run --release -p marsad-geo --example eval_geo -- FILE`.

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "data/eval/geo-dev.jsonl".into());
    let gaz = marsad_geo::Gazetteer::builtin()?;
    let docs = marsad_geo::eval::parse_gold(&std::fs::read_to_string(path)?)?;
    let (s, misses) = marsad_geo::eval::evaluate(gaz, &docs);
    for m in &misses {
        println!("{}\t{}\t{}", m.doc, m.text, m.what);
    }
    println!(
        "gold {} found {:.3} resolved {:.3} country {:.3} 161km {:.3} precision {:.3} ({} spurious)",
        s.gold,
        s.rate(s.found),
        s.rate(s.resolved),
        s.rate(s.country),
        s.rate(s.within_161),
        s.precision(),
        s.spurious
    );
    Ok(())
}
