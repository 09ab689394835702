//! Geocoding cost against the text layer, single thread, over the benchmark articles
//! (`../shared/data/news/bench-articles.jsonl`, first 300): `cargo bench -p marsad-geo`.

use criterion::{criterion_group, criterion_main, Criterion};
use std::io::BufRead;

fn articles() -> Vec<String> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/data/news/bench-articles.jsonl"
    );
    let Ok(f) = std::fs::File::open(path) else {
        eprintln!("skipped: {path} is missing");
        return Vec::new();
    };
    std::io::BufReader::new(f)
        .lines()
        .map_while(Result::ok)
        .take(300)
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(&l).ok())
        .filter_map(|v| v["text"].as_str().map(str::to_string))
        .collect()
}

fn bench(c: &mut Criterion) {
    let docs = articles();
    if docs.is_empty() {
        return;
    }
    let gaz = marsad_geo::Gazetteer::builtin().expect("gazetteer");
    let tokens: usize = docs
        .iter()
        .map(|d| marsad_text::analyze(d).tokens.len())
        .sum();
    let mut g = c.benchmark_group("annotate-300");
    g.sample_size(10);
    g.bench_function("text", |b| {
        b.iter(|| {
            let n: usize = docs
                .iter()
                .map(|d| marsad_text::analyze(d).tokens.len())
                .sum();
            assert_eq!(n, tokens);
        })
    });
    g.bench_function("text+geo", |b| {
        b.iter(|| {
            let mut n = 0;
            let mut p = 0;
            for d in &docs {
                let a = marsad_text::analyze(d);
                n += a.tokens.len();
                p += gaz.places(d, &a, &[]).len();
            }
            assert_eq!(n, tokens);
            assert!(p > 0);
        })
    });
    let analyses: Vec<_> = docs.iter().map(|d| marsad_text::analyze(d)).collect();
    g.bench_function("geo-only", |b| {
        b.iter(|| {
            let p: usize = docs
                .iter()
                .zip(&analyses)
                .map(|(d, a)| gaz.places(d, a, &[]).len())
                .sum();
            assert!(p > 0);
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
