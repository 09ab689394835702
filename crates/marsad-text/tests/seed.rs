//! Golden test: the text layer's output on the seed article (`../shared/seed/article.txt`)
//! against `tests/golden/seed.tsv`. Rewrite the golden file with `UPDATE_GOLDEN=1 cargo test -p
//! marsad-text --test seed` and review the diff.

use std::fmt::Write;
use std::path::PathBuf;

fn render(text: &str) -> String {
    let a = marsad_text::analyze(text);
    let mut out = String::new();
    out.push_str(
        "# marsad-text on ../shared/seed/article.txt (UPDATE_GOLDEN=1 rewrites this file)\n",
    );
    out.push_str("# T start end text norm prefixes stem suffixes | S start end | Q start end text value bound approximate\n");
    out.push_str("# D start end text value precision relative, with the document dated 2015-02-20 (assumed: the seed has no date)\n");
    let join = |v: &[&str]| {
        if v.is_empty() {
            "-".to_string()
        } else {
            v.join("+")
        }
    };
    for t in &a.tokens {
        writeln!(
            out,
            "T\t{}\t{}\t{}\t{}\t{}\t{}\t{}",
            t.start,
            t.end,
            t.text(text),
            t.norm,
            join(&t.prefixes),
            t.stem,
            join(&t.suffixes)
        )
        .unwrap();
    }
    for s in &a.sentences {
        writeln!(out, "S\t{}\t{}", s.start, s.end).unwrap();
    }
    for q in marsad_text::number::find_quantities(text, &a.tokens) {
        writeln!(
            out,
            "Q\t{}\t{}\t{}\t{}\t{:?}\t{}",
            q.start,
            q.end,
            &text[q.start..q.end],
            q.value,
            q.bound,
            q.approximate
        )
        .unwrap();
    }
    let doc = chrono::NaiveDate::from_ymd_opt(2015, 2, 20);
    for d in marsad_text::date::find_dates(text, &a.tokens, doc) {
        writeln!(
            out,
            "D\t{}\t{}\t{}\t{}\t{:?}\t{}",
            d.start,
            d.end,
            &text[d.start..d.end],
            d.value,
            d.precision,
            d.relative
        )
        .unwrap();
    }
    out
}

#[test]
fn seed_golden() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let seed = root.join("../../../shared/seed/article.txt");
    let Ok(text) = std::fs::read_to_string(&seed) else {
        marsad_record::testing::skip(
            "marsad-text seed_golden",
            &format!("{} is missing (../shared is not here)", seed.display()),
        );
        return;
    };
    let got = render(&text);
    let golden = root.join("tests/golden/seed.tsv");
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&golden, &got).unwrap();
        println!("rewrote {}", golden.display());
        return;
    }
    let want = std::fs::read_to_string(&golden).unwrap_or_default();
    if got != want {
        let diff: Vec<String> = want
            .lines()
            .zip(got.lines())
            .filter(|(w, g)| w != g)
            .take(20)
            .map(|(w, g)| format!("- {w}\n+ {g}"))
            .collect();
        panic!(
            "seed output differs from {} ({} vs {} lines); first differences:\n{}\n\
             If the change is right, rewrite it with UPDATE_GOLDEN=1 and review the diff.",
            golden.display(),
            want.lines().count(),
            got.lines().count(),
            diff.join("\n")
        );
    }
}

/// Egyptian spellings in the seed match the standard ones.
#[test]
fn egyptian_spellings() {
    use marsad_text::normalize::key;
    assert_eq!(key("فى"), key("في"));
    assert_eq!(key("إنشقاق"), key("انشقاق"));
    assert_eq!(key("كوبانى"), key("كوباني"));
    assert_eq!(key("الأهالى"), key("الأهالي"));
}
