//! Prints the places found in each line of standard input (a debugging aid):
//! `echo 'النص' | cargo run --release -p marsad-geo --example geocode`.
use std::io::BufRead;
fn main() -> Result<(), Box<dyn std::error::Error>> {
    let gaz = marsad_geo::Gazetteer::builtin()?;
    for line in std::io::stdin().lock().lines() {
        let line = line?;
        let a = marsad_text::analyze(&line);
        for p in gaz.places(&line, &a, &[]) {
            println!(
                "{}\t{}\t{:?}\t{}\t{}\t{:?}\t{}",
                p.text, p.name_en, p.geonameid, p.country, p.feature, p.precision, p.name_ar
            );
        }
    }
    Ok(())
}
