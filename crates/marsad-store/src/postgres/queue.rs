//! The work queue of `marsad ingest --workers` and `marsad worker`: documents waiting to be
//! annotated and written, in batches, in the order they were queued.
//!
//! - **Enqueue** ([`PgStore::enqueue`]): one batch row and its items in one transaction; an item
//!   whose content id is stored already, or queued already, is left out (`ON CONFLICT`), so
//!   queueing the same input twice queues it once.
//! - **Claim** ([`PgStore::claim`]): the lowest batch that nobody holds, or whose holder's lease
//!   has run out, with `SELECT … FOR UPDATE SKIP LOCKED`; the claim sets the lease (the
//!   database's clock decides when it runs out) and commits at once, so the annotation that
//!   follows holds no transaction open.
//! - **Complete** ([`PgStore::complete`]): in ONE transaction, the batch row is locked and
//!   checked to be still this worker's, the documents and rejects are written, and the batch is
//!   deleted. A worker killed at any moment leaves either the whole batch written and gone from
//!   the queue, or nothing of it written and the batch back in the queue once its lease runs out.
//! - **Order**: batches are written in the order they were queued ([`PgStore::turn`]: a batch is
//!   written only when no earlier one is left), while annotation, the costly part, runs in every
//!   worker at once. The merge rules are order-dependent (which report comes first names the
//!   event), so this is what makes N workers end with exactly the store one sequential run
//!   makes.
//! - **Tries** ([`PgStore::set_phase`]): a worker records what it is doing with a batch it holds
//!   (annotating it whole, annotating one of its documents alone, waiting for its turn, writing
//!   it). A claim of a batch whose last holder never completed it reads that record and blames
//!   the death on what was in hand: one document ([`ClaimedItem::deaths`]), the whole batch
//!   ([`Claimed::lost`]), or nothing (a batch that only waited for its turn did not kill its
//!   worker). The worker retries a batch that failed one document at a time, and gives up on
//!   a document, as a reject, once it has been blamed for as many failed tries as allowed.

use super::{write, PgStore};
use crate::{BatchSummary, NewDocument, Reject, StoreError};
use std::time::Duration;

/// One document waiting in the queue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueuedItem {
    /// Its content id (the store's document id).
    pub doc_id: String,
    /// Where it was read from.
    pub source: String,
    /// Its line in a JSONL file, when it has one.
    pub line: Option<u64>,
    /// The input document as the caller serialized it (the pipeline's JSON).
    pub payload: String,
}

/// A batch a worker has claimed.
#[derive(Debug, Clone)]
pub struct Claimed {
    /// The batch number (its place in the queue's order).
    pub batch: i64,
    /// How many times it has been claimed, this claim included.
    pub attempts: i32,
    /// Earlier claims that ended without the batch written while its holder had the whole
    /// batch in hand (annotating it whole or writing it): each may have been any document's doing.
    pub lost: i32,
    /// Its documents, in queue order.
    pub items: Vec<ClaimedItem>,
}

/// A document of a claimed batch.
#[derive(Debug, Clone)]
pub struct ClaimedItem {
    /// Its position in the batch (what [`Phase::Item`] names).
    pub pos: i32,
    /// Earlier claims that ended without the batch written while this document was being
    /// annotated alone.
    pub deaths: i32,
    /// The document.
    pub item: QueuedItem,
}

/// What a worker is doing with a batch it holds (recorded, so that the next claim of a batch
/// whose holder died knows what was in hand).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// Annotating the whole batch at once (set by the claim).
    Batch,
    /// Annotating the document at this position alone.
    Item(i32),
    /// Annotated, waiting for its turn to be written (a death now is not this batch's doing).
    Waiting,
    /// Being written.
    Writing,
}

impl Phase {
    /// The stored form: a position, or a negative code.
    fn code(self) -> i32 {
        match self {
            Phase::Item(pos) => pos.max(0),
            Phase::Batch => -1,
            Phase::Waiting => -2,
            Phase::Writing => -3,
        }
    }
}

/// What is in the queue.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct QueueCounts {
    /// Batches not yet written.
    pub batches: u64,
    /// Of those, batches held under a lease that has not run out.
    pub leased: u64,
    /// Documents not yet written.
    pub items: u64,
}

/// The lease as seconds for SQL (`make_interval`).
fn secs(lease: Duration) -> f64 {
    lease.as_secs_f64()
}

impl PgStore {
    /// Queues `items` as one batch, after every batch queued before it; items stored or queued
    /// already are left out. Returns how many were queued (0: no batch was made).
    pub fn enqueue(&self, items: &[QueuedItem]) -> Result<usize, StoreError> {
        if items.is_empty() {
            return Ok(0);
        }
        self.block(async {
            let mut client = self.pool.get().await?;
            let tx = client.transaction().await?;
            let batch: i64 = tx
                .query_one("INSERT INTO queue_batches DEFAULT VALUES RETURNING batch", &[])
                .await?
                .get(0);
            let st = tx
                .prepare_cached(
                    "INSERT INTO queue_items (batch, pos, doc_id, source, line, payload) SELECT $1, $2, $3, $4, $5, $6 WHERE NOT EXISTS (SELECT 1 FROM documents WHERE id = $3) ON CONFLICT (doc_id) DO NOTHING",
                )
                .await?;
            let mut queued = 0;
            for (pos, it) in items.iter().enumerate() {
                let line = it.line.map(|l| l as i64);
                queued += tx
                    .execute(
                        &st,
                        &[
                            &batch,
                            &(pos as i32),
                            &it.doc_id,
                            &it.source,
                            &line,
                            &it.payload,
                        ],
                    )
                    .await? as usize;
            }
            if queued == 0 {
                // nothing new: no empty batch is left behind
                tx.rollback().await?;
                return Ok(0);
            }
            tx.commit().await?;
            Ok(queued)
        })
    }

    /// Claims for `worker` the lowest batch that nobody holds or whose lease has run out (only
    /// one numbered below `below`, when given), under a lease of `lease` from now; `None` when
    /// there is none. A batch claimed before and not written blames its last holder's death on
    /// what that holder recorded it was doing (see [`PgStore::set_phase`]); the claim starts in
    /// [`Phase::Batch`].
    pub fn claim(
        &self,
        worker: &str,
        lease: Duration,
        below: Option<i64>,
    ) -> Result<Option<Claimed>, StoreError> {
        self.block(async {
            let mut client = self.pool.get().await?;
            let tx = client.transaction().await?;
            let st = tx
                .prepare_cached(
                    "WITH c AS (SELECT batch, attempts AS tried, phase AS was FROM queue_batches WHERE (lease_until IS NULL OR lease_until < now()) AND ($3::bigint IS NULL OR batch < $3) ORDER BY batch LIMIT 1 FOR UPDATE SKIP LOCKED) UPDATE queue_batches q SET worker = $1, lease_until = now() + make_interval(secs => $2), attempts = q.attempts + 1, lost = q.lost + CASE WHEN c.tried > 0 AND (c.was IS NULL OR c.was IN (-1, -3)) THEN 1 ELSE 0 END, phase = -1 FROM c WHERE q.batch = c.batch RETURNING q.batch, q.attempts, q.lost, c.tried, c.was",
                )
                .await?;
            let Some(row) = tx.query_opt(&st, &[&worker, &secs(lease), &below]).await? else {
                return Ok(None);
            };
            let (batch, attempts, lost): (i64, i32, i32) = (row.get(0), row.get(1), row.get(2));
            let (tried, was): (i32, Option<i32>) = (row.get(3), row.get(4));
            if let Some(pos) = was.filter(|&p| tried > 0 && p >= 0) {
                // the last holder died annotating this document alone
                let st = tx
                    .prepare_cached(
                        "UPDATE queue_items SET deaths = deaths + 1 WHERE batch = $1 AND pos = $2",
                    )
                    .await?;
                tx.execute(&st, &[&batch, &pos]).await?;
            }
            let st = tx
                .prepare_cached(
                    "SELECT doc_id, source, line, payload, pos, deaths FROM queue_items WHERE batch = $1 ORDER BY pos",
                )
                .await?;
            let items = tx
                .query(&st, &[&batch])
                .await?
                .iter()
                .map(|r| ClaimedItem {
                    pos: r.get(4),
                    deaths: r.get(5),
                    item: QueuedItem {
                        doc_id: r.get(0),
                        source: r.get(1),
                        line: r.get::<_, Option<i64>>(2).map(|l| l as u64),
                        payload: r.get(3),
                    },
                })
                .collect();
            tx.commit().await?;
            Ok(Some(Claimed {
                batch,
                attempts,
                lost,
                items,
            }))
        })
    }

    /// Records what `worker` is doing with `batch` (when it still holds it), at once, outside
    /// any transaction: what the next claim blames if this worker dies now.
    pub fn set_phase(&self, worker: &str, batch: i64, phase: Phase) -> Result<(), StoreError> {
        self.block(async {
            let c = self.pool.get().await?;
            let st = c
                .prepare_cached(
                    "UPDATE queue_batches SET phase = $3 WHERE batch = $1 AND worker = $2",
                )
                .await?;
            c.execute(&st, &[&batch, &worker, &phase.code()]).await?;
            Ok(())
        })
    }

    /// Extends to `lease` from now the leases `worker` still holds on `batches`.
    pub fn renew(&self, worker: &str, batches: &[i64], lease: Duration) -> Result<(), StoreError> {
        if batches.is_empty() {
            return Ok(());
        }
        self.block(async {
            let c = self.pool.get().await?;
            let st = c
                .prepare_cached(
                    "UPDATE queue_batches SET lease_until = now() + make_interval(secs => $3) WHERE batch = ANY($1) AND worker = $2",
                )
                .await?;
            c.execute(&st, &[&batches, &worker, &secs(lease)]).await?;
            Ok(())
        })
    }

    /// Whether it is `batch`'s turn to be written: no batch queued before it is left.
    pub fn turn(&self, batch: i64) -> Result<bool, StoreError> {
        self.block(async {
            let c = self.pool.get().await?;
            let st = c
                .prepare_cached("SELECT NOT EXISTS (SELECT 1 FROM queue_batches WHERE batch < $1)")
                .await?;
            Ok(c.query_one(&st, &[&batch]).await?.get(0))
        })
    }

    /// Writes the documents and rejects of `batch` and removes it from the queue, in one
    /// transaction, if `worker` still holds it; `None` (nothing written) when its lease ran out
    /// and another worker claimed it, or it is gone.
    pub fn complete(
        &self,
        worker: &str,
        batch: i64,
        docs: &[NewDocument],
        rejects: &[Reject],
    ) -> Result<Option<BatchSummary>, StoreError> {
        self.block(async {
            let mut client = self.pool.get().await?;
            let tx = client.transaction().await?;
            let st = tx
                .prepare_cached("SELECT worker FROM queue_batches WHERE batch = $1 FOR UPDATE")
                .await?;
            let holder: Option<String> = match tx.query_opt(&st, &[&batch]).await? {
                Some(r) => r.get(0),
                None => None,
            };
            if holder.as_deref() != Some(worker) {
                tx.rollback().await?;
                return Ok(None);
            }
            write::lock_merges(&tx, docs).await?;
            let mut sum = BatchSummary::default();
            for d in docs {
                write::write_doc(&tx, d, &mut sum).await?;
            }
            write::write_rejects(&tx, rejects).await?;
            let st = tx
                .prepare_cached("DELETE FROM queue_batches WHERE batch = $1")
                .await?;
            tx.execute(&st, &[&batch]).await?;
            tx.commit().await?;
            Ok(Some(sum))
        })
    }

    /// What is in the queue now.
    pub fn queue_counts(&self) -> Result<QueueCounts, StoreError> {
        self.block(async {
            let c = self.pool.get().await?;
            let st = c
                .prepare_cached(
                    "SELECT (SELECT count(*) FROM queue_batches), (SELECT count(*) FROM queue_batches WHERE lease_until >= now()), (SELECT count(*) FROM queue_items)",
                )
                .await?;
            let r = c.query_one(&st, &[]).await?;
            Ok(QueueCounts {
                batches: r.get::<_, i64>(0) as u64,
                leased: r.get::<_, i64>(1) as u64,
                items: r.get::<_, i64>(2) as u64,
            })
        })
    }
}
