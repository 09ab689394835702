//! `marsad bench …`: throughput of a stage over real articles, whole-pipeline ingest,
//! full-text search latency over a database, and the cost of the worst inputs known.

mod adversarial;
mod watch;

use anyhow::{bail, Context, Result};
use marsad_pipeline as pipeline;
use marsad_pipeline::input;
use std::io::BufRead;
use std::process::ExitCode;
use std::time::Instant;

/// What to benchmark.
#[derive(clap::Subcommand)]
pub enum Command {
    /// The text layer (tokens, clitics, sentences; then numbers and dates) on one thread.
    Text(TextArgs),
    /// The whole annotation pipeline on one thread: articles/s and each stage's share of the time.
    Pipeline(TextArgs),
    /// Whole-pipeline ingest into a fresh database: articles/s and database size over text size.
    Ingest(IngestArgs),
    /// Full-text search latency over a database: p50/p95/p99 of a list of queries.
    Search(SearchArgs),
    /// Load-test a running `marsad serve` on loopback: concurrent clients, latency percentiles.
    Serve(ServeArgs),
    /// The worst inputs known (deep HTML, text without sentence breaks, one word repeated) at
    /// growing sizes: time and memory of each, to read linearity off the rows.
    Adversarial(adversarial::Args),
    /// The watcher against its own feed server and webhook receiver on loopback: items/s,
    /// poll-to-alert latency, memory over thousands of polls.
    Watch(watch::Args),
}

/// Arguments of `marsad bench serve`.
#[derive(clap::Args)]
pub struct ServeArgs {
    /// URL to request (repeat for a mix, requested in turn): http://127.0.0.1:PORT/path?query.
    #[arg(long, required = true)]
    url: Vec<String>,
    /// Concurrent clients (one connection each).
    #[arg(long, default_value_t = 50)]
    clients: usize,
    /// Requests in all (after the warm-up).
    #[arg(long, default_value_t = 2000)]
    requests: usize,
    /// Requests sent first and not measured.
    #[arg(long, default_value_t = 100)]
    warmup: usize,
    /// Stop after this many seconds whatever the count.
    #[arg(long, default_value_t = 120)]
    max_seconds: u64,
    /// Print the result as JSON.
    #[arg(long)]
    json: bool,
}

/// Arguments of `marsad bench ingest`.
#[derive(clap::Args)]
pub struct IngestArgs {
    /// Articles to ingest (any input `marsad ingest` takes).
    #[arg(default_value = "../shared/data/news/bench-articles.jsonl")]
    paths: Vec<String>,
    /// Keep the database here instead of a temporary folder.
    #[arg(long)]
    keep: Option<std::path::PathBuf>,
}

/// Arguments of `marsad bench search`.
#[derive(clap::Args)]
pub struct SearchArgs {
    /// The database to search: a file, or a PostgreSQL URL (postgres://USER@HOST/DB).
    #[arg(long, default_value = crate::files::DEFAULT_DB, env = "MARSAD_DB")]
    db: std::path::PathBuf,
    /// Queries, one per line (`#` starts a comment).
    #[arg(long, default_value = "data/eval/search-queries.txt")]
    queries: std::path::PathBuf,
    /// Timed rounds over all the queries (after one warm-up round).
    #[arg(long, default_value_t = 5)]
    rounds: usize,
    /// Hits per query, as `marsad search` shows by default.
    #[arg(long, default_value_t = 20)]
    limit: usize,
    /// Print the figures as JSON.
    #[arg(long)]
    json: bool,
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
        Command::Pipeline(a) => pipeline_stages(a),
        Command::Ingest(a) => ingest(a),
        Command::Search(a) => search(a),
        Command::Serve(a) => serve(a),
        Command::Adversarial(a) => adversarial::run(a),
        Command::Watch(a) => watch::run(a),
    }
}

/// Runs `marsad bench serve`.
fn serve(a: ServeArgs) -> Result<ExitCode> {
    let r = marsad_serve::loadtest::run(&marsad_serve::loadtest::LoadTest {
        urls: a.url,
        clients: a.clients,
        requests: a.requests,
        warmup: a.warmup,
        max_time: std::time::Duration::from_secs(a.max_seconds),
    })?;
    if a.json {
        println!("{}", serde_json::to_string(&r)?);
    } else {
        println!(
            "{} clients, {} requests ({} errors) in {:.2}s: {:.0} req/s, {} bytes each; latency p50 {:.2} ms, p95 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
            r.clients,
            r.requests,
            r.errors,
            r.seconds,
            r.requests_per_second,
            r.mean_bytes,
            r.p50_ms,
            r.p95_ms,
            r.p99_ms,
            r.max_ms,
        );
    }
    Ok(if r.errors > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// Runs the real `marsad ingest` (this binary) into a fresh database and reports its summary,
/// the database size and its ratio to the input size.
fn ingest(a: IngestArgs) -> Result<ExitCode> {
    let tmp = tempfile::tempdir().context("cannot create a temporary folder")?;
    let db = a
        .keep
        .clone()
        .unwrap_or_else(|| tmp.path().join("bench.db"));
    anyhow::ensure!(
        !db.exists(),
        "{}: exists; bench ingest needs a fresh database",
        db.display()
    );
    let input_bytes: u64 = a
        .paths
        .iter()
        .map(|p| {
            std::fs::metadata(p)
                .map(|m| m.len())
                .with_context(|| format!("{p}: cannot read"))
        })
        .sum::<Result<u64>>()?;
    let exe = std::env::current_exe().context("cannot find the marsad binary")?;
    let out = std::process::Command::new(exe)
        .arg("ingest")
        .arg("--json")
        .arg("--quiet")
        .arg("--db")
        .arg(&db)
        .args(&a.paths)
        .output()
        .context("cannot run marsad ingest")?;
    let stdout = String::from_utf8_lossy(&out.stdout);
    let summary: serde_json::Value = serde_json::from_str(stdout.trim()).with_context(|| {
        format!(
            "marsad ingest gave no summary: {}",
            String::from_utf8_lossy(&out.stderr)
        )
    })?;
    // the store closes cleanly, so the write-ahead log is checkpointed into the file
    let db_bytes: u64 = ["", "-wal", "-shm"]
        .iter()
        .filter_map(|ext| std::fs::metadata(format!("{}{ext}", db.display())).ok())
        .map(|m| m.len())
        .sum();
    let text_bytes = marsad_store::SqliteStore::open_read_only(&db)?.text_bytes()?;
    println!(
        "{}",
        serde_json::to_string_pretty(&serde_json::json!({
            "input": a.paths,
            "input_bytes": input_bytes,
            "articles_read": summary["read"],
            "stored": summary["stored"],
            "events": summary["events"],
            "rejected": summary["rejected"],
            "seconds": summary["seconds"],
            "articles_per_second": summary["docs_per_second"],
            "threads": rayon::current_num_threads(),
            "database_bytes": db_bytes,
            "article_text_bytes": text_bytes,
            "database_over_input": db_bytes as f64 / input_bytes.max(1) as f64,
            "database_over_article_text": db_bytes as f64 / text_bytes.max(1) as f64,
        }))?
    );
    Ok(ExitCode::SUCCESS)
}

/// Times every query of the list `rounds` times through the store's search (what
/// `marsad search` and the API run) and reports latency percentiles.
fn search(a: SearchArgs) -> Result<ExitCode> {
    let db = crate::files::open_any(&a.db)?;
    let store = db.store();
    let list = std::fs::read_to_string(&a.queries)
        .with_context(|| format!("{}: cannot read the queries", a.queries.display()))?;
    let queries: Vec<&str> = list
        .lines()
        .map(|l| l.split('#').next().unwrap_or("").trim())
        .filter(|l| !l.is_empty())
        .collect();
    anyhow::ensure!(!queries.is_empty(), "{}: no queries", a.queries.display());
    let documents = store.stats()?.documents;
    let mut hits = 0usize;
    for q in &queries {
        hits += store.search(q, a.limit, 0)?.len();
    }
    let mut ms: Vec<f64> = Vec::with_capacity(queries.len() * a.rounds);
    for _ in 0..a.rounds.max(1) {
        for q in &queries {
            let t = Instant::now();
            let r = store.search(q, a.limit, 0)?;
            ms.push(t.elapsed().as_secs_f64() * 1e3);
            std::hint::black_box(r);
        }
    }
    ms.sort_by(f64::total_cmp);
    let pct = |p: f64| ms[((ms.len() as f64 * p).ceil() as usize).clamp(1, ms.len()) - 1];
    let v = serde_json::json!({
        "database": crate::files::db_name(&a.db),
        "documents": documents,
        "queries": queries.len(),
        "timed_searches": ms.len(),
        "hits_per_query": hits as f64 / queries.len() as f64,
        "p50_ms": pct(0.50),
        "p95_ms": pct(0.95),
        "p99_ms": pct(0.99),
        "max_ms": ms.last().copied().unwrap_or(0.0),
    });
    if a.json {
        println!("{}", serde_json::to_string(&v)?);
    } else {
        println!(
            "{} searches ({} queries × {} rounds, {} hits each at most) over {} documents: p50 {:.2} ms, p95 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
            ms.len(),
            queries.len(),
            a.rounds.max(1),
            a.limit,
            documents,
            pct(0.50),
            pct(0.95),
            pct(0.99),
            ms.last().copied().unwrap_or(0.0)
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// The articles of a JSONL file (at most `limit`, 0: all) with their dates.
fn load_articles(a: &TextArgs) -> Result<Vec<(String, Option<chrono::NaiveDate>)>> {
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
    Ok(docs)
}

/// Runs every stage over the articles on this thread (best of the passes) and reports the
/// time of each.
fn pipeline_stages(a: TextArgs) -> Result<ExitCode> {
    let docs = load_articles(&a)?;
    let models = pipeline::Models::load()?;
    let bytes: usize = docs.iter().map(|(t, _)| t.len()).sum();
    let mut best: Option<(f64, pipeline::StageTimes)> = None;
    let (mut tokens, mut events) = (0usize, 0usize);
    for _ in 0..a.passes.max(1) {
        let mut times = pipeline::StageTimes::default();
        let t0 = Instant::now();
        let (mut nt, mut ne) = (0usize, 0usize);
        for (text, date) in &docs {
            let doc = pipeline::Doc {
                id: String::new(),
                text,
                date: *date,
                title: None,
                url: None,
                outlet: None,
            };
            let ann = pipeline::annotate_timed(&models, &doc, &mut times);
            nt += ann.text.tokens.len();
            ne += ann.events.len();
        }
        (tokens, events) = (nt, ne);
        let wall = t0.elapsed().as_secs_f64();
        if best.as_ref().is_none_or(|(w, _)| wall < *w) {
            best = Some((wall, times));
        }
    }
    let (wall, t) = best.expect("at least one pass");
    let total = (t.text + t.ner + t.geo + t.events).as_secs_f64().max(1e-9);
    println!(
        "{} articles ({:.1} MB, {} tokens, {} events), 1 thread, best of {} passes: {:.2} s, {:.0} articles/s, {:.0} k tokens/s",
        docs.len(),
        bytes as f64 / 1e6,
        tokens,
        events,
        a.passes.max(1),
        wall,
        docs.len() as f64 / wall,
        tokens as f64 / wall / 1e3
    );
    for (name, d) in [
        ("text", t.text),
        ("entities", t.ner),
        ("places", t.geo),
        ("events", t.events),
    ] {
        println!(
            "  {name:<9} {:>7.2} s {:>5.1}%",
            d.as_secs_f64(),
            100.0 * d.as_secs_f64() / total
        );
    }
    println!(
        "  events add {:.1}% to the other stages' time",
        100.0 * t.events.as_secs_f64() / (total - t.events.as_secs_f64()).max(1e-9)
    );
    Ok(ExitCode::SUCCESS)
}

fn text(a: TextArgs) -> Result<ExitCode> {
    let docs = load_articles(&a)?;
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
