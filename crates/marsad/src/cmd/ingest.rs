//! `marsad ingest PATH...`: read, check, annotate in parallel and store in batches, with a
//! progress bar and a summary. Idempotent: a document already stored is skipped.

use crate::files::{db_name, postgres_url, DEFAULT_DB};
use anyhow::{bail, Result};
use marsad_pipeline::ingest::{self, Options, Plan, Summary};
use marsad_pipeline::Models;
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

/// Arguments of `marsad ingest`.
#[derive(clap::Args)]
pub struct Args {
    /// Files or directories: .txt, .jsonl, .jsonl.gz, .html, .rss/.atom/.xml (directories recursively).
    #[arg(required = true)]
    paths: Vec<String>,
    /// The database: a file (created when missing), or a PostgreSQL URL
    /// (postgres://USER@HOST/DB).
    #[arg(long, default_value = DEFAULT_DB, env = "MARSAD_DB")]
    db: PathBuf,
    /// Documents per transaction.
    #[arg(long, default_value_t = 512)]
    batch: usize,
    /// Largest document accepted, in bytes.
    #[arg(long, default_value_t = marsad_pipeline::input::DEFAULT_MAX_BYTES)]
    max_bytes: u64,
    /// Wall-clock milliseconds one document's annotation may take; a slower document is
    /// rejected as `too_slow` and the run goes on.
    #[arg(long, default_value_t = ingest::DEFAULT_DOC_BUDGET.as_millis() as u64)]
    doc_budget_ms: u64,
    /// Exit non-zero (1) when any input is rejected; by default a run that completes exits 0
    /// and its summary says what was rejected and why.
    #[arg(long)]
    strict: bool,
    /// Print the summary as JSON.
    #[arg(long)]
    json: bool,
    /// No progress output.
    #[arg(long, short)]
    quiet: bool,
    /// PostgreSQL only: queue the documents (in batches of --batch) and annotate and write them
    /// with N worker threads; 0 only queues them, for `marsad worker` processes to do.
    #[arg(long, value_name = "N")]
    workers: Option<usize>,
    /// With --workers: seconds a claimed batch stays a worker's without renewal (a worker that
    /// dies loses its batches to the others after this long).
    #[arg(long, default_value_t = 60, value_name = "SECONDS")]
    lease_secs: u64,
}

/// Runs `marsad ingest`.
pub fn run(args: Args) -> Result<ExitCode> {
    let started = Instant::now();
    // a path that is not there is a mistake in the command, not a rejected document: refused
    // before anything is read or any database created
    for p in &args.paths {
        if let Err(e) = std::fs::metadata(p) {
            if e.kind() == std::io::ErrorKind::NotFound {
                bail!("{p}: no such file or directory (nothing was ingested)");
            }
        }
    }
    let models = Models::load()?;
    let plan = Plan::new(&args.paths);
    let bar = Progress::new(plan.total_bytes, args.quiet);
    let opts = Options {
        batch: args.batch,
        max_bytes: args.max_bytes,
        doc_budget: Duration::from_millis(args.doc_budget_ms),
    };
    let progress = |bytes: u64, sum: &Summary| bar.update(bytes, sum);
    let result = match (postgres_url(&args.db), args.workers) {
        (Some(url), Some(n)) => {
            let lease = Duration::from_secs(args.lease_secs.max(1));
            crate::cmd::worker::ingest_queued(&models, url, plan, opts, n, lease, progress)
        }
        (None, Some(_)) => bail!(
            "--workers needs a PostgreSQL database (--db postgres://…): the work queue lives there"
        ),
        (Some(url), None) => ingest_postgres(&models, url, plan, opts, progress),
        (None, None) => Ok(ingest::run(&models, &args.db, plan, opts, progress)?),
    };
    bar.finish();
    let mut sum = result?;
    sum.seconds = started.elapsed().as_secs_f64();
    sum.docs_per_second = sum.read as f64 / sum.seconds.max(1e-9);
    // every input is stored, a duplicate, or rejected: `inputs` is their sum (`read` counts
    // the documents annotated, stored or duplicate)
    let inputs = sum.read + sum.rejected;
    if args.json {
        let mut v = serde_json::to_value(&sum)?;
        v["inputs"] = inputs.into();
        println!("{v}");
    } else {
        eprintln!(
            "marsad: {inputs} inputs = {} stored + {} duplicates + {} rejected; events {} (+{} mentions merged), near-duplicates stored in stories {}; {:.1}s ({:.0} documents/s) → {}",
            sum.stored,
            sum.duplicates,
            sum.rejected,
            sum.events,
            sum.merged_mentions,
            sum.near_duplicates,
            sum.seconds,
            sum.docs_per_second,
            db_name(&args.db)
        );
        for (why, n) in &sum.rejected_by_reason {
            eprintln!("  rejected {why}: {n}");
        }
        for note in &sum.notes {
            eprintln!("  note: {note}");
        }
    }
    Ok(if args.strict && sum.rejected > 0 {
        eprintln!(
            "marsad: {} input(s) rejected and --strict is set: exit status 1",
            sum.rejected
        );
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// Ingests into a PostgreSQL database: one connection writes, another asks what is stored.
#[cfg(feature = "postgres")]
fn ingest_postgres(
    models: &Models,
    url: &str,
    plan: Plan,
    opts: Options,
    progress: impl FnMut(u64, &Summary) + Send,
) -> Result<Summary> {
    let mut store = crate::files::open_postgres(url)?;
    let reader = crate::files::open_postgres(url)?;
    ingest::run_on(models, &mut store, &reader, plan, opts, progress)
        .map_err(anyhow::Error::from)
        .map_err(|e| e.context(format!("{}: ingest failed", marsad_store::redact_url(url))))
}

/// Ingests into a PostgreSQL database: not in a build without PostgreSQL.
#[cfg(not(feature = "postgres"))]
fn ingest_postgres(
    _: &Models,
    url: &str,
    _: Plan,
    _: Options,
    _: impl FnMut(u64, &Summary) + Send,
) -> Result<Summary> {
    match crate::files::open_postgres(url)? {}
}

/// A progress bar on a terminal, plain lines every few seconds otherwise.
struct Progress {
    bar: Option<indicatif::ProgressBar>,
    plain: bool,
    started: Instant,
    last: std::sync::Mutex<f64>,
}

impl Progress {
    fn new(total: u64, quiet: bool) -> Self {
        let tty = std::io::stderr().is_terminal();
        let bar = (!quiet && tty).then(|| {
            let b = indicatif::ProgressBar::new(total);
            b.set_style(
                indicatif::ProgressStyle::with_template(
                    "{spinner} [{elapsed_precise}] {bar:30} {bytes}/{total_bytes} {msg} ETA {eta}",
                )
                .expect("valid template"),
            );
            b
        });
        Progress {
            bar,
            plain: !quiet && !tty,
            started: Instant::now(),
            last: std::sync::Mutex::new(0.0),
        }
    }

    fn update(&self, bytes: u64, sum: &Summary) {
        let secs = self.started.elapsed().as_secs_f64();
        let rate = sum.read as f64 / secs.max(1e-9);
        if let Some(b) = &self.bar {
            b.set_position(bytes);
            b.set_message(format!(
                "{} docs, {:.0}/s, {} rejected",
                sum.read, rate, sum.rejected
            ));
        } else if self.plain {
            let Ok(mut last) = self.last.lock() else {
                return;
            };
            if secs - *last < 5.0 {
                return;
            }
            *last = secs;
            eprintln!(
                "marsad: {} documents read, {} stored, {} rejected, {:.0} documents/s",
                sum.read, sum.stored, sum.rejected, rate
            );
        }
    }

    fn finish(&self) {
        if let Some(b) = &self.bar {
            b.finish_and_clear();
        }
    }
}
