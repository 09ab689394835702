//! Throughput of the text layer over real articles: the first articles of
//! `../shared/data/news/bench-articles.jsonl` when present, else the seed article, else a built-in
//! paragraph. Run with `cargo bench -p marsad-text --bench text`.

use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};
use std::path::PathBuf;

/// How many articles of the benchmark file to use.
const ARTICLES: usize = 300;

/// Written for this benchmark (no corpus text is shipped).
const PARAGRAPH: &str = "قالت مصادر محلية فى مدينة الموصل، يوم الثلاثاء الماضي، إن حوالى 15 من \
قيادات التنظيم غادروا المدينة خلال الأيام الأخيرة، وإن أكثر من 1,500 شخص نزحوا منذ ثلاثة أيام. \
وذكر مسؤول فى وزارة الداخلية أن رشاوى تصل إلى 500 دولار للفرد فُرضت على السكان، وأن عشرات \
العائلات وصلت إلى مخيمات قرب أربيل فى 25 تشرين الثاني 2026.\n\
وأضاف: «لن نسمح بتكرار ما حدث العام الماضي»، مشيرا إلى أن الحكومة خصصت 2.5 مليون دولار \
لإعادة الإعمار، وأن خمسة وعشرين مركزا صحيا افتُتحت هذا الشهر.";

fn corpus() -> (Vec<(String, Option<chrono::NaiveDate>)>, &'static str) {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared");
    if let Ok(s) = std::fs::read_to_string(root.join("data/news/bench-articles.jsonl")) {
        let docs: Vec<_> =
            s.lines()
                .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
                .filter_map(|v| {
                    let text = v.get("text")?.as_str()?.to_string();
                    let date = v.get("date").and_then(|d| d.as_str()).and_then(|d| {
                        chrono::NaiveDate::parse_from_str(d.get(..10)?, "%Y-%m-%d").ok()
                    });
                    Some((text, date))
                })
                .take(ARTICLES)
                .collect();
        if !docs.is_empty() {
            return (docs, "bench-articles");
        }
    }
    if let Ok(s) = std::fs::read_to_string(root.join("seed/article.txt")) {
        return (
            vec![(s, chrono::NaiveDate::from_ymd_opt(2015, 2, 20))],
            "seed",
        );
    }
    (
        vec![(
            PARAGRAPH.to_string(),
            chrono::NaiveDate::from_ymd_opt(2026, 11, 27),
        )],
        "paragraph",
    )
}

fn bench(c: &mut Criterion) {
    let (docs, name) = corpus();
    let bytes: usize = docs.iter().map(|(t, _)| t.len()).sum();
    let tokens: usize = docs
        .iter()
        .map(|(t, _)| marsad_text::analyze(t).tokens.len())
        .sum();
    let mut g = c.benchmark_group(format!("text/{name}"));
    g.throughput(Throughput::Bytes(bytes as u64));
    g.bench_function("analyze", |b| {
        b.iter(|| {
            let n: usize = docs
                .iter()
                .map(|(t, _)| marsad_text::analyze(black_box(t)).tokens.len())
                .sum();
            assert_eq!(n, tokens);
        })
    });
    let mut reuse = marsad_text::TextAnalysis::default();
    g.bench_function("analyze_into", |b| {
        b.iter(|| {
            let mut n = 0;
            for (t, _) in &docs {
                marsad_text::analyze_into(black_box(t), &mut reuse);
                n += reuse.tokens.len();
            }
            assert_eq!(n, tokens);
        })
    });
    g.bench_function("tokenize", |b| {
        b.iter(|| {
            let n: usize = docs
                .iter()
                .map(|(t, _)| marsad_text::token::tokenize(black_box(t)).len())
                .sum();
            assert_eq!(n, tokens);
        })
    });
    g.bench_function("analyze+quantities+dates", |b| {
        b.iter(|| {
            let mut n = 0;
            for (t, d) in &docs {
                marsad_text::analyze_into(black_box(t), &mut reuse);
                let a = &reuse;
                n += a.tokens.len();
                black_box(marsad_text::number::find_quantities(t, &a.tokens));
                black_box(marsad_text::date::find_dates(t, &a.tokens, *d));
            }
            assert_eq!(n, tokens);
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
