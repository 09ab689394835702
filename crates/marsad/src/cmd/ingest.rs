//! `marsad ingest PATH...`: read, check, annotate in parallel and store in batches, with a
//! progress bar and a summary. Idempotent: a document already stored is skipped.

use crate::pipeline::{self, Doc, Models};
use crate::sources::{self, Item};
use anyhow::{Context, Result};
use marsad_store::{NewDocument, Reject, SqliteStore, Store};
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Instant;

/// The database file used when `--db` is not given.
pub const DEFAULT_DB: &str = "marsad.db";

/// Arguments of `marsad ingest`.
#[derive(clap::Args)]
pub struct Args {
    /// Files or directories: .txt, .jsonl, .jsonl.gz, .html, .rss/.atom/.xml (directories recursively).
    #[arg(required = true)]
    paths: Vec<String>,
    /// The database file.
    #[arg(long, default_value = DEFAULT_DB, env = "MARSAD_DB")]
    db: PathBuf,
    /// Documents per transaction.
    #[arg(long, default_value_t = 512)]
    batch: usize,
    /// Largest document accepted, in bytes.
    #[arg(long, default_value_t = crate::input::DEFAULT_MAX_BYTES)]
    max_bytes: u64,
    /// Print the summary as JSON.
    #[arg(long)]
    json: bool,
    /// No progress output.
    #[arg(long, short)]
    quiet: bool,
}

/// Counts over one ingest run.
#[derive(Default, serde::Serialize)]
struct Summary {
    read: u64,
    stored: u64,
    duplicates: u64,
    near_duplicates: u64,
    events: u64,
    merged_mentions: u64,
    rejected: u64,
    rejected_by_reason: BTreeMap<String, u64>,
    seconds: f64,
    docs_per_second: f64,
}

/// Runs `marsad ingest`.
///
/// Two stages overlap: this thread reads and annotates a batch (in parallel) while a writer
/// thread stores the batch before it in one transaction.
pub fn run(args: Args) -> Result<ExitCode> {
    let started = Instant::now();
    let models = Models::load()?;
    let mut store = SqliteStore::open(&args.db)
        .with_context(|| format!("{}: cannot open the database", args.db.display()))?;
    // a second connection, for "is it stored already?" while the writer holds the first; not
    // read-only, so that whichever closes last can checkpoint the write-ahead log into the file
    let reader = SqliteStore::open(&args.db)
        .with_context(|| format!("{}: cannot open the database", args.db.display()))?;
    let mut pre_rejects = Vec::new();
    let files = sources::expand(&args.paths, &mut pre_rejects);
    let total_bytes: u64 = files
        .iter()
        .filter_map(|f| std::fs::metadata(f).ok())
        .map(|m| m.len())
        .sum();
    let progress = Arc::new(AtomicU64::new(0));
    let bar = Progress::new(total_bytes, args.quiet);
    let (to_writer, batches) = std::sync::mpsc::sync_channel::<Vec<Prepared>>(1);
    let mut sum = std::thread::scope(|scope| -> Result<Summary> {
        let progress_w = Arc::clone(&progress);
        let writer = scope.spawn(move || -> Result<Summary> {
            let mut sum = Summary::default();
            for batch in batches {
                store_batch(&mut store, batch, &mut sum)?;
                bar.update(progress_w.load(Ordering::Relaxed), &sum);
            }
            bar.finish();
            Ok(sum)
        });
        let mut pending: Vec<Item> = Vec::with_capacity(args.batch);
        // false once the writer has stopped (on an error, which its result carries)
        let flush = |pending: &mut Vec<Item>| -> Result<bool> {
            if pending.is_empty() {
                return Ok(true);
            }
            let batch = annotate_batch(&models, &reader, std::mem::take(pending), args.max_bytes)?;
            Ok(to_writer.send(batch).is_ok())
        };
        pending.extend(pre_rejects);
        let mut read_err: Option<anyhow::Error> = None;
        let mut open = true;
        for f in &files {
            sources::read_file(f, args.max_bytes, &progress, &mut |item| {
                if read_err.is_some() || !open {
                    return;
                }
                pending.push(item);
                if pending.len() >= args.batch {
                    match flush(&mut pending) {
                        Ok(o) => open = o,
                        Err(e) => read_err = Some(e),
                    }
                }
            });
            if read_err.is_some() || !open {
                break;
            }
        }
        if read_err.is_none() && open {
            if let Err(e) = flush(&mut pending) {
                read_err = Some(e);
            }
        }
        drop(to_writer);
        let written = writer
            .join()
            .map_err(|_| anyhow::anyhow!("the database writer panicked"))?;
        match read_err {
            Some(e) => Err(e),
            None => written,
        }
    })?;
    sum.seconds = started.elapsed().as_secs_f64();
    sum.docs_per_second = sum.read as f64 / sum.seconds.max(1e-9);
    if args.json {
        println!("{}", serde_json::to_string(&sum)?);
    } else {
        eprintln!(
            "marsad: read {}, stored {}, duplicates {} (near-duplicates stored in stories: {}), events {} (+{} mentions merged), rejected {} in {:.1}s ({:.0} documents/s) → {}",
            sum.read,
            sum.stored,
            sum.duplicates,
            sum.near_duplicates,
            sum.events,
            sum.merged_mentions,
            sum.rejected,
            sum.seconds,
            sum.docs_per_second,
            args.db.display()
        );
        for (why, n) in &sum.rejected_by_reason {
            eprintln!("  rejected {why}: {n}");
        }
    }
    Ok(if sum.rejected > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// What happened to one item before storage.
enum Prepared {
    Doc(Box<NewDocument>),
    Duplicate,
    Reject(Reject),
}

fn reject(item_source: &str, line: Option<u64>, kind: &str, reason: String) -> Prepared {
    Prepared::Reject(Reject {
        source: item_source.to_string(),
        line,
        kind: kind.to_string(),
        reason,
    })
}

/// Whether `text` is Arabic (not Persian, Urdu or another language).
fn is_arabic(text: &str) -> bool {
    let sample: String = text.chars().take(2000).collect();
    match whatlang::detect(&sample) {
        Some(info) => {
            info.script() == whatlang::Script::Arabic
                && !(matches!(info.lang(), whatlang::Lang::Pes | whatlang::Lang::Urd)
                    && info.is_reliable())
        }
        None => false,
    }
}

fn prepare(
    models: &Models,
    item: Item,
    id: Option<String>,
    known: bool,
    max_bytes: u64,
) -> Prepared {
    let src = &item.source;
    let d = match item.doc {
        Ok(d) => d,
        Err((kind, msg)) => return reject(src, item.line, &kind, msg),
    };
    if known {
        return Prepared::Duplicate;
    }
    let id = id.unwrap_or_else(|| pipeline::content_id(&d.text));
    match prepare_doc(models, d, id, src, item.line, max_bytes) {
        Ok(new) => Prepared::Doc(Box::new(new)),
        Err(r) => Prepared::Reject(r),
    }
}

/// Checks one document (not empty, within `max_bytes`, Arabic) and annotates it into what the
/// store takes; `id` is its content id ([`pipeline::content_id`]), `source` and `line` say where
/// it came from. Shared with `POST /api/v1/documents`.
pub fn prepare_doc(
    models: &Models,
    d: crate::input::InputDoc,
    id: String,
    src: &str,
    line: Option<u64>,
    max_bytes: u64,
) -> Result<NewDocument, Reject> {
    let where_ = match line {
        Some(n) => format!("{src}: line {n}"),
        None => src.to_string(),
    };
    let reject = |kind: &str, reason: String| Reject {
        source: src.to_string(),
        line,
        kind: kind.to_string(),
        reason,
    };
    if d.text.trim().is_empty() {
        return Err(reject("empty", format!("{where_}: empty text")));
    }
    if d.text.len() as u64 > max_bytes {
        return Err(reject(
            "too_large",
            format!("{where_}: larger than the limit of {max_bytes} bytes"),
        ));
    }
    if !is_arabic(&d.text) {
        return Err(reject("not_arabic", format!("{where_}: not Arabic text")));
    }
    let date = d.date.as_deref().and_then(pipeline::parse_date);
    let doc = Doc {
        id: id.clone(),
        text: &d.text,
        date,
        title: d.title.clone(),
        url: d.url.clone(),
    };
    let ann = pipeline::annotate(models, &doc);
    let new = NewDocument {
        id,
        source: Some(where_),
        url: d.url.clone(),
        title: d.title.clone(),
        date: date.map(|d| d.to_string()),
        search_text: marsad_store::search_terms(&ann.text),
        simhash: marsad_store::dedup::simhash_tokens(&ann.text.tokens),
        entities: ann.entities,
        places: ann.places,
        events: ann.events,
        text: d.text,
    };
    Ok(new)
}

/// Checks and annotates one batch in parallel; documents `reader` already holds are skipped
/// before annotation (a rerun costs only the reading).
fn annotate_batch(
    models: &Models,
    reader: &SqliteStore,
    items: Vec<Item>,
    max_bytes: u64,
) -> Result<Vec<Prepared>> {
    // content ids once, in parallel
    let ids: Vec<Option<String>> = items
        .par_iter()
        .map(|it| it.doc.as_ref().ok().map(|d| pipeline::content_id(&d.text)))
        .collect();
    let mut known = Vec::with_capacity(items.len());
    for id in &ids {
        known.push(match id {
            Some(id) => reader.contains(id)?,
            None => false,
        });
    }
    Ok(items
        .into_par_iter()
        .zip(ids)
        .zip(known)
        .map(|((it, id), k)| prepare(models, it, id, k, max_bytes))
        .collect())
}

/// Stores one annotated batch in one transaction (and its rejects) and adds it to `sum`.
fn store_batch(store: &mut SqliteStore, prepared: Vec<Prepared>, sum: &mut Summary) -> Result<()> {
    let mut docs = Vec::new();
    let mut rejects = Vec::new();
    for p in prepared {
        match p {
            Prepared::Doc(d) => {
                sum.read += 1;
                docs.push(*d);
            }
            Prepared::Duplicate => {
                sum.read += 1;
                sum.duplicates += 1;
            }
            Prepared::Reject(r) => {
                sum.rejected += 1;
                *sum.rejected_by_reason.entry(r.kind.clone()).or_default() += 1;
                rejects.push(r);
            }
        }
    }
    let b = store.write_batch(&docs)?;
    store.record_rejects(&rejects)?;
    sum.stored += b.stored as u64;
    sum.duplicates += b.duplicates as u64;
    sum.near_duplicates += b.near_duplicates as u64;
    sum.events += b.events as u64;
    sum.merged_mentions += b.merged_mentions as u64;
    Ok(())
}

/// A progress bar on a terminal, plain lines every few seconds otherwise.
struct Progress {
    bar: Option<indicatif::ProgressBar>,
    plain: bool,
    started: Instant,
    last: std::cell::Cell<f64>,
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
            last: std::cell::Cell::new(0.0),
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
        } else if self.plain && secs - self.last.get() >= 5.0 {
            self.last.set(secs);
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
