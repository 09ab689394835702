//! Ingest through the PostgreSQL work queue (feature `postgres`): [`enqueue`] reads the inputs
//! and queues their documents in batches; [`work`] is one worker, which claims a batch,
//! annotates it with the pipeline of [`crate::ingest`], and writes it and takes it off the queue
//! in one transaction (see `marsad_store`'s `PgStore::complete`). Any number of workers, in one
//! process or on many machines, share one queue.
//!
//! A worker holds each batch it claimed under a lease that a thread of its own renews while it
//! lives; a worker that dies (`kill -9`) stops renewing, and once the lease runs out another
//! worker claims the batch and does it again. Batches are written in the order they were queued
//! (a worker whose batch is annotated waits for the batches before it), so the store ends as
//! one sequential run leaves it; a worker that waits claims the batch it waits for when that
//! batch's lease has run out.
//!
//! A batch whose worker dies on it (an abort or a crash, not a caught panic, which is a reject
//! like any other) is not retried for ever: the store blames each death on what the worker
//! recorded it had in hand (`PgStore::set_phase`), a batch that failed before is annotated one
//! document at a time, and a document blamed for [`WorkOptions::max_tries`] failed tries is
//! recorded as a reject with the reason and not tried again, while the rest of its batch and of
//! the queue goes on. Blame is per process: `ingest --workers N` runs N workers in one process,
//! and a death there is blamed on every batch the process had in hand.

use crate::ingest::{annotate_batch, split, IngestError, Options, Plan, Prepared, Summary};
use crate::sources::{self, Item};
use crate::{content_id, Models};
use marsad_store::{ClaimedItem, NewDocument, PgStore, Phase, QueuedItem, Reject, RejectKind};
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::sync::atomic::AtomicU64;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Settings of a worker.
#[derive(Debug, Clone, Copy)]
pub struct WorkOptions {
    /// Size limit and time budget of a document (its `batch` is the enqueuer's, not used here).
    pub ingest: Options,
    /// How long a claimed batch stays this worker's without a renewal.
    pub lease: Duration,
    /// Keep polling for work when the queue is empty, instead of returning.
    pub follow: bool,
    /// How long to wait before asking again when there is nothing to claim.
    pub poll: Duration,
    /// Failed tries a document may be blamed for before it is given up as a reject.
    pub max_tries: u32,
}

impl Default for WorkOptions {
    fn default() -> Self {
        WorkOptions {
            ingest: Options::default(),
            lease: DEFAULT_LEASE,
            follow: false,
            poll: Duration::from_millis(500),
            max_tries: DEFAULT_MAX_TRIES,
        }
    }
}

/// The lease on a claimed batch by default.
pub const DEFAULT_LEASE: Duration = Duration::from_secs(60);

/// Failed tries a document may be blamed for by default.
pub const DEFAULT_MAX_TRIES: u32 = 3;

/// Test-only hook: a worker aborts its process (as a crash would) just before annotating a
/// document whose text contains the value of this variable. The tests of the bounded retries
/// use it; it is not meant to be set anywhere else.
pub const TEST_ABORT_ENV: &str = "MARSAD_TEST_ABORT_ON";

/// Batches a worker holds at most (one being written or waiting for its turn, one annotated).
const MAX_HELD: usize = 2;

/// How long a worker waits between two looks at whether its batch's turn has come.
const TURN_POLL: Duration = Duration::from_millis(10);

/// Reads the inputs of `plan` and queues their documents, `opts.batch` to a batch, in input
/// order; inputs that cannot be read are recorded as rejects at once, and documents stored or
/// queued already are counted as duplicates. `progress` is called after each batch with the
/// bytes read and the counts.
pub fn enqueue(
    store: &PgStore,
    plan: Plan,
    opts: Options,
    mut progress: impl FnMut(u64, &Summary),
) -> Result<Summary, IngestError> {
    let read_bytes = Arc::new(AtomicU64::new(0));
    let mut sum = Summary::default();
    let mut pending: Vec<Item> = plan.rejects;
    let mut err: Option<IngestError> = None;
    let flush = |pending: &mut Vec<Item>, sum: &mut Summary| -> Result<(), IngestError> {
        let items = std::mem::take(pending);
        let (queued, rejects): (Vec<_>, Vec<_>) = items
            .into_par_iter()
            .map(|it| match it.doc {
                Ok(d) => Ok(QueuedItem {
                    doc_id: content_id(&d.text),
                    source: it.source,
                    line: it.line,
                    payload: serde_json::to_string(&d).unwrap_or_default(),
                }),
                Err((kind, reason)) => Err(Reject {
                    source: it.source,
                    line: it.line,
                    kind,
                    reason,
                }),
            })
            .partition_map(|r| match r {
                Ok(q) => rayon::iter::Either::Left(q),
                Err(r) => rayon::iter::Either::Right(r),
            });
        store.add_rejects(&rejects)?;
        for r in &rejects {
            sum.count_reject(r.kind);
        }
        let n = store.enqueue(&queued)?;
        sum.read += queued.len() as u64;
        sum.duplicates += (queued.len() - n) as u64;
        Ok(())
    };
    for f in &plan.files {
        sources::read_file(f, opts.max_bytes, &read_bytes, &mut |mut item| {
            if err.is_some() {
                return;
            }
            sum.notes.extend(item.note.take());
            pending.push(item);
            if pending.len() >= opts.batch.max(1) {
                if let Err(e) = flush(&mut pending, &mut sum) {
                    err = Some(e);
                }
                progress(read_bytes.load(std::sync::atomic::Ordering::Relaxed), &sum);
            }
        });
        if let Some(e) = err {
            return Err(e);
        }
    }
    flush(&mut pending, &mut sum)?;
    progress(read_bytes.load(std::sync::atomic::Ordering::Relaxed), &sum);
    Ok(sum)
}

/// An annotated batch waiting for its turn to be written.
struct Ready {
    docs: Vec<NewDocument>,
    rejects: Vec<Reject>,
    /// Its counts (added to the worker's once written).
    sum: Summary,
}

/// Runs one worker named `worker` (unique among the workers of the queue) until the queue is
/// empty (or, with `follow`, for ever); returns what it wrote. `progress` is called after each
/// batch written.
pub fn work(
    models: &Models,
    store: &PgStore,
    worker: &str,
    opts: WorkOptions,
    mut progress: impl FnMut(&Summary),
) -> Result<Summary, IngestError> {
    let held_ids: Mutex<Vec<i64>> = Mutex::new(Vec::new());
    let (stop, stopped) = std::sync::mpsc::channel::<()>();
    std::thread::scope(|scope| {
        // the lease keeper: renews every held batch's lease three times per lease
        let held_ids = &held_ids;
        let keeper = scope.spawn(move || -> Result<(), IngestError> {
            loop {
                match stopped.recv_timeout(opts.lease / 3) {
                    Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {
                        let ids = held_ids.lock().map(|v| v.clone()).unwrap_or_default();
                        store.renew(worker, &ids, opts.lease)?;
                    }
                    _ => return Ok(()),
                }
            }
        });
        let r = work_loop(models, store, worker, opts, held_ids, &mut progress);
        drop(stop);
        let kept = keeper.join().map_err(|_| IngestError::WriterPanicked)?;
        let sum = r?;
        kept?;
        Ok(sum)
    })
}

fn work_loop(
    models: &Models,
    store: &PgStore,
    worker: &str,
    opts: WorkOptions,
    held_ids: &Mutex<Vec<i64>>,
    progress: &mut impl FnMut(&Summary),
) -> Result<Summary, IngestError> {
    let mut sum = Summary::default();
    let mut held: BTreeMap<i64, Ready> = BTreeMap::new();
    let abort_on = std::env::var(TEST_ABORT_ENV).ok().filter(|m| !m.is_empty());
    let set_held = |held: &BTreeMap<i64, Ready>, extra: Option<i64>| {
        if let Ok(mut v) = held_ids.lock() {
            *v = held.keys().copied().chain(extra).collect();
        }
    };
    loop {
        // write, lowest first, every held batch whose turn has come
        while let Some((&batch, _)) = held.first_key_value() {
            if !store.turn(batch)? {
                break;
            }
            let Some(ready) = held.remove(&batch) else {
                break;
            };
            set_held(&held, None);
            store.set_phase(worker, batch, Phase::Writing)?;
            // `None`: the lease ran out and another worker claimed the batch; it writes it
            if let Some(b) = store.complete(worker, batch, &ready.docs, &ready.rejects)? {
                let mut done = ready.sum;
                done.add(&b);
                sum.merge(&done);
                progress(&sum);
            }
        }
        // claim the lowest free batch (only one before those held, when holding enough)
        let below = (held.len() >= MAX_HELD)
            .then(|| held.first_key_value().map(|(k, _)| *k))
            .flatten();
        if let Some(c) = store.claim(worker, opts.lease, below)? {
            set_held(&held, Some(c.batch));
            let suspect = c.lost > 0 || c.items.iter().any(|i| i.deaths > 0);
            let prepared = if suspect {
                // a worker died on this batch before: one document at a time, each recorded
                // first, so that a death is blamed on that document alone
                let mut out = Vec::with_capacity(c.items.len());
                for ci in c.items {
                    let blamed = c.lost + ci.deaths;
                    if blamed >= opts.max_tries.max(1) as i32 {
                        out.push(given_up(&ci, c.lost));
                        continue;
                    }
                    store.set_phase(worker, c.batch, Phase::Item(ci.pos))?;
                    let item = queued_item(ci.item);
                    abort_hook(abort_on.as_deref(), std::slice::from_ref(&item));
                    out.extend(annotate_batch(models, store, vec![item], opts.ingest)?);
                }
                out
            } else {
                let items: Vec<Item> = c.items.into_iter().map(|i| queued_item(i.item)).collect();
                abort_hook(abort_on.as_deref(), &items);
                annotate_batch(models, store, items, opts.ingest)?
            };
            store.set_phase(worker, c.batch, Phase::Waiting)?;
            let mut bsum = Summary::default();
            let (docs, rejects) = split(prepared, &mut bsum);
            held.insert(
                c.batch,
                Ready {
                    docs,
                    rejects,
                    sum: bsum,
                },
            );
            continue;
        }
        if held.is_empty() {
            if !opts.follow && store.queue_counts()?.batches == 0 {
                return Ok(sum);
            }
            std::thread::sleep(opts.poll);
        } else {
            std::thread::sleep(TURN_POLL);
        }
    }
}

/// A queued document as an input item (a payload that cannot be read back is a reject).
fn queued_item(q: QueuedItem) -> Item {
    let doc = serde_json::from_str(&q.payload).map_err(|e| {
        (
            RejectKind::Internal,
            format!("{}: the queued document cannot be read back: {e}", q.source),
        )
    });
    Item {
        source: q.source,
        line: q.line,
        doc,
        note: None,
    }
}

/// The reject of a document given up after the failed tries it is blamed for (`lost` of them
/// with its whole batch in hand).
fn given_up(ci: &ClaimedItem, lost: i32) -> Prepared {
    let q = &ci.item;
    Prepared::Reject(Reject {
        source: q.source.clone(),
        line: q.line,
        kind: RejectKind::Internal,
        reason: format!(
            "{}: given up after {} tries that stopped the worker ({} while annotating this document alone, {lost} with its whole batch in hand): an abort, a crash or running out of memory, not a caught panic; see the workers' logs",
            q.source,
            lost + ci.deaths,
            ci.deaths
        ),
    })
}

/// The test-only hook of [`TEST_ABORT_ENV`]: aborts the process when a document of `items`
/// contains `marker`.
fn abort_hook(marker: Option<&str>, items: &[Item]) {
    let Some(m) = marker else {
        return;
    };
    if items
        .iter()
        .any(|it| it.doc.as_ref().is_ok_and(|d| d.text.contains(m)))
    {
        eprintln!("marsad worker: a document contains ${TEST_ABORT_ENV}: aborting (test hook)");
        std::process::abort();
    }
}
