//! `marsad bench …`: single-thread throughput of a stage over real articles.

use crate::input;
use crate::pipeline;
use anyhow::{bail, Context, Result};
use std::io::BufRead;
use std::process::ExitCode;
use std::time::Instant;

/// What to benchmark.
#[derive(clap::Subcommand)]
pub enum Command {
    /// The text layer (tokens, clitics, sentences; then numbers and dates) on one thread.
    Text(TextArgs),
}

/// Arguments of `marsad bench text`.
#[derive(clap::Args)]
pub struct TextArgs {
    /// JSONL articles with a `text` field (and an optional `date`).
    #[arg(default_value = "../shared/data/news/bench-articles.jsonl")]
    file: String,
    /// Use at most this many articles (0: all).
    #[arg(long, default_value_t = 0)]
    limit: usize,
    /// Passes over the articles; the best pass is reported.
    #[arg(long, default_value_t = 3)]
    passes: usize,
}

/// Runs `marsad bench …`.
pub fn run(c: Command) -> Result<ExitCode> {
    match c {
        Command::Text(a) => text(a),
    }
}

fn text(a: TextArgs) -> Result<ExitCode> {
    let mut docs: Vec<(String, Option<chrono::NaiveDate>)> = Vec::new();
    let mut r = input::open_lines(&a.file)?;
    let mut line = String::new();
    let mut n = 0usize;
    loop {
        line.clear();
        if r.read_line(&mut line)
            .with_context(|| format!("{}: reading line {}", a.file, n + 1))?
            == 0
        {
            break;
        }
        n += 1;
        if line.trim().is_empty() {
            continue;
        }
        let d =
            input::parse_jsonl_line(&line).map_err(|e| anyhow::anyhow!("{}:{n}: {e}", a.file))?;
        let date = d.date.as_deref().and_then(pipeline::parse_date);
        docs.push((d.text, date));
        if a.limit > 0 && docs.len() >= a.limit {
            break;
        }
    }
    if docs.is_empty() {
        bail!("{}: no articles", a.file);
    }
    let bytes: usize = docs.iter().map(|(t, _)| t.len()).sum();
    let mb = bytes as f64 / 1e6;
    println!(
        "{} articles, {:.1} MB of text, 1 thread, best of {} passes",
        docs.len(),
        mb,
        a.passes.max(1)
    );
    // warm the lexicon and tables
    let warm = marsad_text::analyze("قال 15 شخصا أمس");
    let _ = marsad_text::number::find_quantities("قال 15 شخصا أمس", &warm.tokens);

    let passes = a.passes.max(1);
    let mut an = marsad_text::TextAnalysis::default();
    let (mut tokens, mut sentences, mut quantities, mut dates) = (0usize, 0usize, 0usize, 0usize);
    let reuse = best_of(passes, || {
        let (mut nt, mut ns) = (0usize, 0usize);
        for (text, _) in &docs {
            marsad_text::analyze_into(text, &mut an);
            nt += an.tokens.len();
            ns += an.sentences.len();
        }
        tokens = nt;
        sentences = ns;
    });
    let fresh = best_of(passes, || {
        let n: usize = docs
            .iter()
            .map(|(t, _)| marsad_text::analyze(t).tokens.len())
            .sum();
        assert_eq!(n, tokens);
    });
    let all = best_of(passes, || {
        let (mut nq, mut nd) = (0usize, 0usize);
        for (text, date) in &docs {
            marsad_text::analyze_into(text, &mut an);
            nq += marsad_text::number::find_quantities(text, &an.tokens).len();
            nd += marsad_text::date::find_dates(text, &an.tokens, *date).len();
        }
        quantities = nq;
        dates = nd;
    });
    println!("{tokens} tokens, {sentences} sentences, {quantities} quantities, {dates} dates");
    println!("MB/s by wall time, and by this thread's CPU time (what a free core would give):");
    for (name, t) in [
        (
            "text layer (tokens + clitics + sentences), buffers reused",
            reuse,
        ),
        ("text layer, fresh allocations (analyze)", fresh),
        ("text layer + numbers + dates", all),
    ] {
        println!(
            "  {name:<58} {:>6.1} MB/s wall {:>6.1} MB/s cpu {:>5.2} M tokens/s cpu",
            mb / t.wall,
            mb / t.cpu,
            tokens as f64 / t.cpu / 1e6
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// The best wall and CPU times (seconds) of `passes` runs of `f`.
struct Times {
    wall: f64,
    cpu: f64,
}

fn best_of(passes: usize, mut f: impl FnMut()) -> Times {
    let mut best = Times {
        wall: f64::INFINITY,
        cpu: f64::INFINITY,
    };
    for _ in 0..passes {
        let c0 = thread_cpu_ns();
        let t0 = Instant::now();
        f();
        let wall = t0.elapsed().as_secs_f64();
        let cpu = match (c0, thread_cpu_ns()) {
            (Some(a), Some(b)) if b > a => (b - a) as f64 / 1e9,
            _ => wall,
        };
        best.wall = best.wall.min(wall);
        best.cpu = best.cpu.min(cpu);
    }
    best
}

/// Nanoseconds this thread has run on a CPU (Linux `/proc/thread-self/schedstat`).
fn thread_cpu_ns() -> Option<u64> {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()?
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}
