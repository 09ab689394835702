//! `marsad worker --db postgres://…`: one worker of the PostgreSQL ingest queue, and the queue
//! behind `marsad ingest --workers N` (see `marsad_pipeline::queue`).

use anyhow::Result;
use marsad_pipeline::ingest::{Options, Plan, Summary};
use marsad_pipeline::Models;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

/// Failed tries a document may be blamed for (the queue's default; the flag exists in a build
/// without PostgreSQL too, which refuses to run it).
#[cfg(feature = "postgres")]
const DEFAULT_MAX_TRIES: u32 = marsad_pipeline::queue::DEFAULT_MAX_TRIES;
#[cfg(not(feature = "postgres"))]
const DEFAULT_MAX_TRIES: u32 = 3;

/// Arguments of `marsad worker`.
#[derive(clap::Args)]
pub struct Args {
    /// The PostgreSQL database whose queue to work (postgres://USER@HOST/DB).
    #[arg(long, env = "MARSAD_DB")]
    db: PathBuf,
    /// Seconds a claimed batch stays this worker's without renewal (renewed every third of it
    /// while the worker lives; a worker that dies loses its batches to the others after it).
    #[arg(long, default_value_t = 60, value_name = "SECONDS")]
    lease_secs: u64,
    /// Keep polling when the queue is empty instead of exiting.
    #[arg(long)]
    follow: bool,
    /// Milliseconds to wait before asking again when there is nothing to claim.
    #[arg(long, default_value_t = 500)]
    poll_ms: u64,
    /// Failed tries (the worker died: an abort, a crash, out of memory) a document may be
    /// blamed for before it is given up and recorded as a reject; a batch that failed is
    /// retried one document at a time to find the one to blame.
    #[arg(long, default_value_t = DEFAULT_MAX_TRIES, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    max_tries: u32,
    /// Largest document accepted, in bytes.
    #[arg(long, default_value_t = marsad_pipeline::input::DEFAULT_MAX_BYTES)]
    max_bytes: u64,
    /// Wall-clock milliseconds one document's annotation may take (see `marsad ingest`).
    #[arg(long, default_value_t = marsad_pipeline::ingest::DEFAULT_DOC_BUDGET.as_millis() as u64)]
    doc_budget_ms: u64,
    /// Print the summary as JSON.
    #[arg(long)]
    json: bool,
    /// No progress output.
    #[arg(long, short)]
    quiet: bool,
}

/// This worker's name in the queue: host, process and thread, unique among live workers.
#[cfg(feature = "postgres")]
fn worker_name(thread: usize) -> String {
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname")
        .map(|h| h.trim().to_string())
        .unwrap_or_else(|_| "host".to_string());
    format!("{host}:{}:{thread}", std::process::id())
}

/// Runs `marsad worker`.
pub fn run(args: Args) -> Result<ExitCode> {
    let Some(url) = crate::files::postgres_url(&args.db) else {
        anyhow::bail!(
            "{}: marsad worker works the queue of a PostgreSQL database (--db postgres://USER@HOST/DB)",
            args.db.display()
        );
    };
    run_on(&args, url)
}

#[cfg(feature = "postgres")]
fn run_on(args: &Args, url: &str) -> Result<ExitCode> {
    use marsad_pipeline::queue::{self, WorkOptions};
    use std::time::Instant;
    let started = Instant::now();
    let models = Models::load()?;
    let store = crate::files::open_postgres(url)?;
    let opts = WorkOptions {
        ingest: Options {
            max_bytes: args.max_bytes,
            doc_budget: Duration::from_millis(args.doc_budget_ms),
            ..Options::default()
        },
        lease: Duration::from_secs(args.lease_secs.max(1)),
        follow: args.follow,
        poll: Duration::from_millis(args.poll_ms.max(1)),
        max_tries: args.max_tries,
    };
    let name = worker_name(0);
    let quiet = args.quiet;
    let mut last = Instant::now();
    let sum = queue::work(&models, &store, &name, opts, |s| {
        if !quiet && last.elapsed() >= Duration::from_secs(5) {
            last = Instant::now();
            eprintln!(
                "marsad worker {name}: {} documents stored, {} rejected",
                s.stored, s.rejected
            );
        }
    })
    .map_err(|e| {
        anyhow::Error::from(e).context(format!(
            "{}: worker failed",
            crate::files::db_name(&args.db)
        ))
    })?;
    let secs = started.elapsed().as_secs_f64();
    if args.json {
        let mut v = serde_json::to_value(&sum)?;
        v["seconds"] = secs.into();
        v["worker"] = name.into();
        println!("{v}");
    } else if !quiet {
        eprintln!(
            "marsad worker {name}: {} stored + {} duplicates + {} rejected; events {} (+{} mentions merged); {secs:.1}s; the queue is empty",
            sum.stored, sum.duplicates, sum.rejected, sum.events, sum.merged_mentions
        );
    }
    Ok(ExitCode::SUCCESS)
}

#[cfg(not(feature = "postgres"))]
fn run_on(_: &Args, url: &str) -> Result<ExitCode> {
    match crate::files::open_postgres(url)? {}
}

/// `marsad ingest --workers N --db postgres://…`: queues the documents of `plan`, then works
/// the queue with `workers` threads (each with its own connections) until it is empty; with 0
/// workers it only queues them. The summary adds what the queue and every worker did.
#[cfg(feature = "postgres")]
pub fn ingest_queued(
    models: &Models,
    url: &str,
    plan: Plan,
    opts: Options,
    workers: usize,
    lease: Duration,
    progress: impl FnMut(u64, &Summary) + Send,
) -> Result<Summary> {
    use marsad_pipeline::queue::{self, WorkOptions};
    use std::sync::Mutex;
    let name = marsad_store::redact_url(url);
    let store = crate::files::open_postgres(url)?;
    let total = plan.total_bytes;
    let progress = Mutex::new(progress);
    let queued = queue::enqueue(&store, plan, opts, |b, s| {
        if let Ok(mut p) = progress.lock() {
            p(b, s)
        }
    })
    .map_err(|e| anyhow::Error::from(e).context(format!("{name}: queueing failed")))?;
    if workers == 0 {
        let mut sum = queued;
        let fresh = sum.read - sum.duplicates;
        sum.notes.push(format!(
            "{fresh} documents queued for `marsad worker --db {name}` ({} stored or queued already)",
            sum.duplicates
        ));
        sum.read = sum.duplicates;
        return Ok(sum);
    }
    let wopts = WorkOptions {
        ingest: opts,
        lease,
        ..WorkOptions::default()
    };
    // the latest counts of each worker, added up for the progress line
    let done = Mutex::new(vec![Summary::default(); workers]);
    let results: Vec<Result<Summary>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|i| {
                let (progress, done) = (&progress, &done);
                scope.spawn(move || -> Result<Summary> {
                    let store = crate::files::open_postgres(url)?;
                    let sum = queue::work(models, &store, &worker_name(i), wopts, |s| {
                        if let (Ok(mut d), Ok(mut p)) = (done.lock(), progress.lock()) {
                            d[i] = s.clone();
                            let mut all = Summary::default();
                            d.iter().for_each(|w| all.merge(w));
                            p(total, &all);
                        }
                    })?;
                    Ok(sum)
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|_| Err(anyhow::anyhow!("a worker thread panicked")))
            })
            .collect()
    });
    let mut sum = Summary {
        read: queued.duplicates,
        duplicates: queued.duplicates,
        rejected: queued.rejected,
        rejected_by_reason: queued.rejected_by_reason,
        notes: queued.notes,
        ..Summary::default()
    };
    for r in results {
        let w = r.map_err(|e| e.context(format!("{name}: ingest failed")))?;
        sum.merge(&w);
    }
    Ok(sum)
}

/// `marsad ingest --workers`: not in a build without PostgreSQL.
#[cfg(not(feature = "postgres"))]
pub fn ingest_queued(
    _: &Models,
    url: &str,
    _: Plan,
    _: Options,
    _: usize,
    _: Duration,
    _: impl FnMut(u64, &Summary) + Send,
) -> Result<Summary> {
    match crate::files::open_postgres(url)? {}
}
