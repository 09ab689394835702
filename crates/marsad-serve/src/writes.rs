//! The write side of the server: `POST /api/v1/documents` hands its documents to a bounded
//! queue served by dedicated writer threads, so that annotating and storing documents never
//! takes the threads that reads run on (tokio's blocking pool).
//!
//! A full queue is answered at once with 503 and `Retry-After`. A write that is not committed
//! by the request's deadline is never committed: the request and the writer race for one flag,
//! and the writer reads it inside the transaction, just before the commit. Either the writer
//! wins (it commits, and the request waits the moment the commit takes, then answers 201) or
//! the request wins (it answers 503 Timeout, and the writer rolls the transaction back).

use crate::problem::Problem;
use crate::Writer;
use marsad_pipeline::input::InputDoc;
use marsad_store::BatchSummary;
use std::panic::AssertUnwindSafe;
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::mpsc::{self, Receiver, SyncSender, TrySendError};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};
use tokio::sync::oneshot;

/// Seconds a client is told to wait (`Retry-After`) when the queue is full.
pub const RETRY_AFTER_S: u64 = 2;

/// The write has been neither committed nor given up.
const PENDING: u8 = 0;
/// The writer is committing it: it will be stored.
const COMMITTING: u8 = 1;
/// The request gave up on it (deadline passed, or the client went away): never stored.
const ABANDONED: u8 = 2;

/// How the write side runs.
#[derive(Debug, Clone)]
pub struct WriteOptions {
    /// Writer threads (at least one).
    pub workers: usize,
    /// Writes that may wait for a writer; more are answered 503 with `Retry-After`.
    pub queue: usize,
    /// For tests only: how long a writer holds each write, inside its transaction, before it
    /// decides whether to commit (zero in use).
    pub hold: Duration,
}

impl Default for WriteOptions {
    fn default() -> Self {
        WriteOptions {
            workers: 1,
            queue: 16,
            hold: Duration::ZERO,
        }
    }
}

/// What a committed write stored.
#[derive(Debug)]
pub struct Written {
    /// The store's summary of the batch.
    pub summary: BatchSummary,
    /// The content id of every document sent, in order.
    pub ids: Vec<String>,
    /// The events found in every document sent, in order.
    pub events: Vec<usize>,
}

/// The fate of one write, shared by its request and its writer.
struct Fate(AtomicU8);

impl Fate {
    /// The writer's claim, just before the commit: true when the write may be committed.
    fn commit(&self, deadline: Instant) -> bool {
        if Instant::now() >= deadline {
            let _ =
                self.0
                    .compare_exchange(PENDING, ABANDONED, Ordering::AcqRel, Ordering::Acquire);
            return false;
        }
        self.0
            .compare_exchange(PENDING, COMMITTING, Ordering::AcqRel, Ordering::Acquire)
            .is_ok()
    }

    /// The request's give-up: true unless the writer is already committing.
    fn abandon(&self) -> bool {
        match self
            .0
            .compare_exchange(PENDING, ABANDONED, Ordering::AcqRel, Ordering::Acquire)
        {
            Ok(_) => true,
            Err(now) => now == ABANDONED,
        }
    }

    /// Whether the write was given up (or its deadline has passed).
    fn abandoned(&self, deadline: Instant) -> bool {
        self.0.load(Ordering::Acquire) == ABANDONED || Instant::now() >= deadline
    }
}

/// Gives the write up when its request is dropped before it has an answer (the client went
/// away): a write nobody waits for is not committed.
struct GiveUpOnDrop(Arc<Fate>);

impl Drop for GiveUpOnDrop {
    fn drop(&mut self) {
        self.0.abandon();
    }
}

/// One write waiting for a writer.
struct Job {
    docs: Vec<InputDoc>,
    max_bytes: u64,
    deadline: Instant,
    fate: Arc<Fate>,
    reply: oneshot::Sender<Result<Written, Problem>>,
}

/// The queue of writes and the threads that serve it.
pub struct Writes {
    /// The token, the models and the read-write store.
    pub writer: Arc<Writer>,
    tx: Mutex<Option<SyncSender<Job>>>,
    workers: Mutex<Vec<JoinHandle<()>>>,
    queue: usize,
}

impl Writes {
    /// Starts the writer threads.
    pub fn start(writer: Arc<Writer>, opts: &WriteOptions) -> std::io::Result<Self> {
        let queue = opts.queue.max(1);
        let (tx, rx) = mpsc::sync_channel::<Job>(queue);
        let rx = Arc::new(Mutex::new(rx));
        let mut workers = Vec::new();
        for i in 0..opts.workers.max(1) {
            let (rx, w, hold) = (rx.clone(), writer.clone(), opts.hold);
            workers.push(
                std::thread::Builder::new()
                    .name(format!("marsad-writer-{i}"))
                    .spawn(move || work(&rx, &w, hold))?,
            );
        }
        Ok(Writes {
            writer,
            tx: Mutex::new(Some(tx)),
            workers: Mutex::new(workers),
            queue,
        })
    }

    /// Annotates and stores `docs` unless `deadline` passes first: 503 with `Retry-After` when
    /// the queue is full, 503 Timeout (and nothing stored, ever) when the deadline passes.
    pub async fn write(
        &self,
        docs: Vec<InputDoc>,
        max_bytes: u64,
        deadline: Instant,
    ) -> Result<Written, Problem> {
        let fate = Arc::new(Fate(AtomicU8::new(PENDING)));
        let guard = GiveUpOnDrop(fate.clone());
        let (reply, mut answer) = oneshot::channel();
        let job = Job {
            docs,
            max_bytes,
            deadline,
            fate: fate.clone(),
            reply,
        };
        let sent = match self.tx.lock() {
            Ok(tx) => match tx.as_ref() {
                Some(tx) => tx.try_send(job),
                None => Err(TrySendError::Disconnected(job)),
            },
            Err(_) => Err(TrySendError::Disconnected(job)),
        };
        match sent {
            Ok(()) => {}
            Err(TrySendError::Full(_)) => return Err(Problem::busy(self.queue, RETRY_AFTER_S)),
            Err(TrySendError::Disconnected(_)) => {
                return Err(Problem::internal("the writer threads have stopped"))
            }
        }
        let got = match tokio::time::timeout_at(deadline.into(), &mut answer).await {
            Ok(got) => got,
            Err(_) if fate.abandon() => return Err(Problem::write_timeout()),
            // the writer is committing: its answer is a moment away
            Err(_) => answer.await,
        };
        drop(guard);
        got.map_err(|_| Problem::internal("a writer stopped before answering"))?
    }

    /// Stops taking writes and waits for the writer threads to finish the ones they hold.
    pub fn shutdown(&self) {
        if let Ok(mut tx) = self.tx.lock() {
            tx.take();
        }
        let workers = self
            .workers
            .lock()
            .map(|mut w| std::mem::take(&mut *w))
            .unwrap_or_default();
        for w in workers {
            let _ = w.join();
        }
    }
}

/// A writer thread: takes writes from the queue until it is closed.
fn work(rx: &Mutex<Receiver<Job>>, writer: &Writer, hold: Duration) {
    loop {
        let job = match rx.lock() {
            Ok(rx) => match rx.recv() {
                Ok(job) => job,
                Err(_) => return,
            },
            Err(_) => return,
        };
        let Job {
            docs,
            max_bytes,
            deadline,
            fate,
            reply,
        } = job;
        let n = docs.len();
        let done = std::panic::catch_unwind(AssertUnwindSafe(|| {
            store(writer, docs, max_bytes, deadline, &fate, hold)
        }));
        match done {
            Ok(Ok(Some(w))) => {
                let _ = reply.send(Ok(w));
            }
            Ok(Ok(None)) => eprintln!(
                "marsad: a write of {n} document(s) was given up (its deadline passed or its client went away) before its commit and was not stored"
            ),
            Ok(Err(p)) => {
                let _ = reply.send(Err(p));
            }
            Err(_) => {
                let _ = reply.send(Err(Problem::internal("a write panicked; nothing was stored")));
            }
        }
    }
}

/// Annotates and stores one write; `None` when it was given up (nothing stored).
fn store(
    writer: &Writer,
    docs: Vec<InputDoc>,
    max_bytes: u64,
    deadline: Instant,
    fate: &Fate,
    hold: Duration,
) -> Result<Option<Written>, Problem> {
    let mut prepared = Vec::with_capacity(docs.len());
    for (i, d) in docs.into_iter().enumerate() {
        if fate.abandoned(deadline) {
            return Ok(None);
        }
        let id = marsad_pipeline::content_id(&d.text);
        // the annotation stops at the write's deadline: a document still running then is
        // given up with the write (503), not finished for nothing
        let budget = deadline.saturating_duration_since(Instant::now());
        match marsad_pipeline::ingest::prepare_doc_within(
            &writer.models,
            d,
            id,
            "api",
            Some(i as u64),
            max_bytes,
            Some(budget),
        ) {
            Ok(n) => prepared.push(n),
            Err(r) if r.kind == marsad_store::RejectKind::TooSlow => return Ok(None),
            Err(r) => return Err(Problem::bad_request(format!("document {i}: {}", r.reason))),
        }
    }
    if fate.abandoned(deadline) {
        return Ok(None);
    }
    let ids: Vec<String> = prepared.iter().map(|d| d.id.clone()).collect();
    let events: Vec<usize> = prepared.iter().map(|d| d.events.len()).collect();
    // a writer that panicked rolled its transaction back: the store is sound
    let mut store = writer
        .store
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let summary = store.write_batch_if(&prepared, || {
        if !hold.is_zero() {
            eprintln!(
                "marsad: holding a write for {} ms (test hold)",
                hold.as_millis()
            );
            std::thread::sleep(hold);
        }
        fate.commit(deadline)
    })?;
    Ok(summary.map(|summary| Written {
        summary,
        ids,
        events,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_request_and_the_writer_never_both_win() {
        let far = Instant::now() + Duration::from_secs(60);
        let f = Fate(AtomicU8::new(PENDING));
        assert!(f.commit(far));
        assert!(!f.abandon(), "a committing write cannot be given up");
        let f = Fate(AtomicU8::new(PENDING));
        assert!(f.abandon());
        assert!(!f.commit(far), "a given-up write is never committed");
        assert!(f.abandon());
        let f = Fate(AtomicU8::new(PENDING));
        assert!(!f.commit(Instant::now()), "past its deadline");
        assert!(f.abandon());
    }
}
