//! `marsad bench adversarial`: the worst inputs found so far (issue 21), generated in code at
//! growing sizes, each timed through the stage it attacks, so that linearity can be read off the
//! rows: deep HTML of each kind through the HTML reader, and text without sentence breaks or of
//! one repeated trigger, place, number or punctuation mark through the whole annotation.

use anyhow::Result;
use marsad_pipeline as pipeline;
use marsad_pipeline::sources::{self, Format};
use std::process::ExitCode;
use std::time::Instant;

/// Arguments of `marsad bench adversarial`.
#[derive(clap::Args)]
pub struct Args {
    /// Input sizes in bytes, each case generated at every size.
    #[arg(long, value_delimiter = ',', default_values_t = [250_000usize, 500_000, 1_000_000])]
    sizes: Vec<usize>,
    /// Print one JSON object per row.
    #[arg(long)]
    json: bool,
}

/// A case: its name, what it attacks, and the text it repeats (or how it builds the input).
struct Case {
    name: &'static str,
    html: bool,
    make: fn(usize) -> String,
}

/// `unit` repeated to about `size` bytes.
fn repeat(unit: &str, size: usize) -> String {
    unit.repeat((size / unit.len()).max(1))
}

/// One nest of `open` tags, as deep as `size` allows, with text inside and nothing closed.
fn nest(open: &str, size: usize) -> String {
    let text = "قتل جندي في هجوم على حاجز عسكري قرب الموصل. ";
    format!("<html><body>{}{text}</body></html>", repeat(open, size))
}

/// Blocks nested `depth` deep (just inside the depth limit), closed, one after another.
fn blocks(open: &str, close: &str, per_level: usize, size: usize) -> String {
    let levels = 250 / per_level;
    let block = format!(
        "{}قتل جندي قرب الموصل. {}",
        open.repeat(levels),
        close.repeat(levels)
    );
    format!("<html><body>{}</body></html>", repeat(&block, size))
}

const CASES: &[Case] = &[
    Case {
        name: "html: <div> nested to the end",
        html: true,
        make: |n| nest("<div>", n),
    },
    Case {
        name: "html: <b><i> nested to the end",
        html: true,
        make: |n| nest("<b><i>", n),
    },
    Case {
        name: "html: <table><tr><td> nested to the end",
        html: true,
        make: |n| nest("<table><tr><td>", n),
    },
    Case {
        name: "html: <div> blocks 250 deep",
        html: true,
        make: |n| blocks("<div>", "</div>", 1, n),
    },
    Case {
        name: "html: <b><i> blocks 250 deep",
        html: true,
        make: |n| blocks("<b><i>", "</i></b>", 2, n),
    },
    Case {
        name: "html: <table><tr><td> blocks 249 deep",
        html: true,
        make: |n| blocks("<table><tr><td>", "</td></tr></table>", 3, n),
    },
    Case {
        name: "text: no sentence break",
        html: false,
        make: |n| repeat("قال الجيش إن قواته قصفت مواقع المسلحين في الموصل و", n),
    },
    Case {
        name: "text: trigger and comma (قتل، )",
        html: false,
        make: |n| repeat("قتل، ", n),
    },
    Case {
        name: "text: place and comma (الموصل، )",
        html: false,
        make: |n| repeat("الموصل، ", n),
    },
    Case {
        name: "text: number and comma (15 ، )",
        html: false,
        make: |n| repeat("15 ، ", n),
    },
    Case {
        name: "text: punctuation (، ؛ - : )",
        html: false,
        make: |n| repeat("، ؛ - : ", n),
    },
];

/// Runs `marsad bench adversarial`.
pub fn run(a: Args) -> Result<ExitCode> {
    let models = pipeline::Models::load()?;
    // warm the lexicons and tables
    let warm = pipeline::Doc {
        id: String::new(),
        text: "قتل جندي في الموصل.",
        date: None,
        title: None,
        url: None,
        outlet: None,
    };
    pipeline::annotate(&models, &warm);
    if !a.json {
        println!(
            "one thread; CPU seconds of this thread (wall seconds), peak RSS of the process so far"
        );
        println!(
            "{:<42} {:>9} {:>8} {:>8} {:>8} {:>8}",
            "case", "bytes", "cpu s", "wall s", "s/MB", "peak MB"
        );
    }
    for case in CASES {
        for &size in &a.sizes {
            let input = (case.make)(size);
            let c0 = super::thread_cpu_ns();
            let t0 = Instant::now();
            let out = if case.html {
                read_html(&input)
            } else {
                annotate(&models, &input)
            };
            let wall = t0.elapsed().as_secs_f64();
            let cpu = match (c0, super::thread_cpu_ns()) {
                (Some(x), Some(y)) if y > x => (y - x) as f64 / 1e9,
                _ => wall,
            };
            let per_mb = cpu / (input.len() as f64 / 1e6);
            let peak = peak_rss_mb();
            if a.json {
                println!(
                    "{}",
                    serde_json::json!({
                        "case": case.name, "bytes": input.len(), "cpu_seconds": cpu,
                        "wall_seconds": wall, "seconds_per_mb": per_mb,
                        "peak_rss_mb": peak, "output": out,
                    })
                );
            } else {
                println!(
                    "{:<42} {:>9} {:>8.3} {:>8.3} {:>8.3} {:>8}   {out}",
                    case.name,
                    input.len(),
                    cpu,
                    wall,
                    per_mb,
                    peak.map_or("-".to_string(), |p| format!("{p:.0}")),
                );
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Reads `html` as `marsad ingest` reads an `.html` file; says what came out.
fn read_html(html: &str) -> String {
    let mut reader = std::io::Cursor::new(html.as_bytes());
    let mut out = String::new();
    sources::read_from(
        "bench.html",
        Format::Html,
        &mut reader,
        u64::MAX - 1,
        &mut |it| {
            out = match &it.doc {
                Ok(d) => format!(
                    "{} bytes of text{}",
                    d.text.len(),
                    if it.note.is_some() {
                        ", plain reader"
                    } else {
                        ""
                    }
                ),
                Err((kind, _)) => format!("rejected: {kind}"),
            };
        },
    );
    out
}

/// Annotates `text` with every stage; says what came out.
fn annotate(models: &pipeline::Models, text: &str) -> String {
    let doc = pipeline::Doc {
        id: String::new(),
        text,
        date: None,
        title: None,
        url: None,
        outlet: None,
    };
    let ann = pipeline::annotate(models, &doc);
    format!(
        "{} tokens, {} sentences, {} places, {} events",
        ann.text.tokens.len(),
        ann.text.sentences.len(),
        ann.places.len(),
        ann.events.len()
    )
}

/// The peak resident memory of this process so far, in MB (Linux `/proc/self/status`).
fn peak_rss_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}
