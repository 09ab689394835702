//! Ingest: read sources, check and annotate documents in parallel, and store them in batches.
//! Idempotent (a document already stored is skipped before annotation) and crash-safe (each
//! batch is one transaction). `marsad ingest` and `POST /api/v1/documents` share it.

use crate::sources::{self, Item};
use crate::{annotate_until, content_id, parse_date, Doc, Models};
use marsad_store::{NewDocument, Reject, RejectKind, SqliteStore, Store, StoreError};
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Why an ingest run stopped.
#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    /// The database cannot be opened.
    #[error("{path}: cannot open the database")]
    Open {
        /// The database file.
        path: String,
        /// What the store said.
        #[source]
        source: StoreError,
    },
    /// Reading or writing the database failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The disk, or the process's file size limit, ran out while writing the database.
    #[error("{path}: cannot write the database: {why}; the batch being written was rolled back (what was stored before it is kept, and a rerun goes on from there)")]
    NoRoom {
        /// The database file.
        path: String,
        /// `disk full`, or `file size limit reached (…)`.
        why: String,
        /// What the store said.
        #[source]
        source: StoreError,
    },
    /// Reading or writing the database failed otherwise.
    #[error("{path}: reading or writing the database failed")]
    Database {
        /// The database file.
        path: String,
        /// What the store said.
        #[source]
        source: StoreError,
    },
    /// The writer thread panicked (a bug).
    #[error("the database writer panicked")]
    WriterPanicked,
}

/// Counts over one ingest run.
#[derive(Debug, Default, Clone, serde::Serialize)]
pub struct Summary {
    /// Inputs read (documents and duplicates; rejects are counted apart).
    pub read: u64,
    /// Documents stored.
    pub stored: u64,
    /// Documents already stored (same content id).
    pub duplicates: u64,
    /// Stored documents that joined an existing story.
    pub near_duplicates: u64,
    /// New events stored.
    pub events: u64,
    /// Event mentions merged into events already stored.
    pub merged_mentions: u64,
    /// Inputs rejected.
    pub rejected: u64,
    /// Rejected inputs by reason.
    pub rejected_by_reason: BTreeMap<String, u64>,
    /// Wall time of the run (set by the caller, who knows when it started).
    pub seconds: f64,
    /// Documents read per second of [`Summary::seconds`].
    pub docs_per_second: f64,
    /// What the user should know about how some inputs were read (an HTML page read without
    /// the article reader, …), one line each.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

/// The wall-clock time one document's annotation may take by default; past it the document is
/// rejected as `too_slow` and the batch goes on.
pub const DEFAULT_DOC_BUDGET: Duration = Duration::from_secs(10);

/// Settings of one run.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// Documents per transaction.
    pub batch: usize,
    /// Largest document accepted, in bytes.
    pub max_bytes: u64,
    /// Wall-clock time one document's checks and annotation may take ([`DEFAULT_DOC_BUDGET`]).
    pub doc_budget: Duration,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            batch: 512,
            max_bytes: crate::input::DEFAULT_MAX_BYTES,
            doc_budget: DEFAULT_DOC_BUDGET,
        }
    }
}

/// What a run will read, found before it starts: the files (directories walked), the paths
/// that could not be read (rejects), and the bytes to read (for a progress bar).
pub struct Plan {
    pub(crate) files: Vec<sources::Found>,
    /// Items stored before the files are read: the paths that could not be read (rejects), or
    /// the items of [`Plan::of_items`].
    pub(crate) rejects: Vec<Item>,
    /// Bytes of all the files (compressed size for `.gz`).
    pub total_bytes: u64,
}

impl Plan {
    /// Expands files and directories.
    pub fn new(paths: &[String]) -> Plan {
        let mut rejects = Vec::new();
        let files = sources::expand(paths, &mut rejects);
        let total_bytes = files
            .iter()
            .filter_map(|f| std::fs::metadata(&f.path).ok())
            .map(|m| m.len())
            .sum();
        Plan {
            files,
            rejects,
            total_bytes,
        }
    }

    /// A run over items already read (by `marsad watch`, from the feeds and pages it fetched):
    /// each is checked, annotated and stored like an item read from a file.
    pub fn of_items(items: Vec<Item>) -> Plan {
        Plan {
            files: Vec::new(),
            rejects: items,
            total_bytes: 0,
        }
    }
}

/// Runs an ingest into the database at `db` (created when missing).
///
/// Two stages overlap: this thread reads and annotates a batch (in parallel) while a writer
/// thread stores the batch before it in one transaction. `progress` is called on the writer
/// thread after each batch with the bytes read so far and the counts.
pub fn run(
    models: &Models,
    db: &Path,
    plan: Plan,
    opts: Options,
    progress: impl FnMut(u64, &Summary) + Send,
) -> Result<Summary, IngestError> {
    let open = || {
        SqliteStore::open(db).map_err(|source| match no_room(db, source) {
            IngestError::Database { path, source } => IngestError::Open { path, source },
            e => e,
        })
    };
    let mut store = open()?;
    // a second connection, for "is it stored already?" while the writer holds the first; not
    // read-only, so that whichever closes last can checkpoint the write-ahead log into the file
    let reader = open()?;
    run_on(models, &mut store, &reader, plan, opts, progress).map_err(|e| match e {
        IngestError::Store(source) => no_room(db, source),
        e => e,
    })
}

/// Runs an ingest into any store: `store` is written (on a thread of its own), `reader` asks
/// whether a document is stored already (it may be a second handle on the same database).
pub fn run_on(
    models: &Models,
    store: &mut (dyn Store + Send),
    reader: &dyn Store,
    plan: Plan,
    opts: Options,
    mut progress: impl FnMut(u64, &Summary) + Send,
) -> Result<Summary, IngestError> {
    let read_bytes = Arc::new(AtomicU64::new(0));
    let (to_writer, batches) = std::sync::mpsc::sync_channel::<Vec<Prepared>>(1);
    std::thread::scope(|scope| -> Result<Summary, IngestError> {
        let read_w = Arc::clone(&read_bytes);
        let writer = scope.spawn(move || -> Result<Summary, IngestError> {
            let mut sum = Summary::default();
            for batch in batches {
                store_batch(store, batch, &mut sum)?;
                progress(read_w.load(Ordering::Relaxed), &sum);
            }
            Ok(sum)
        });
        // capped: `--batch` is a user option, and a huge one must not overflow the allocation
        let mut pending: Vec<Item> = Vec::with_capacity(opts.batch.min(4096));
        // false once the writer has stopped (on an error, which its result carries)
        let flush = |pending: &mut Vec<Item>| -> Result<bool, IngestError> {
            if pending.is_empty() {
                return Ok(true);
            }
            let batch = annotate_batch(models, reader, std::mem::take(pending), opts)?;
            Ok(to_writer.send(batch).is_ok())
        };
        pending.extend(plan.rejects);
        let mut read_err: Option<IngestError> = None;
        let mut open = true;
        let mut notes = Vec::new();
        for f in &plan.files {
            sources::read_file(f, opts.max_bytes, &read_bytes, &mut |mut item| {
                if read_err.is_some() || !open {
                    return;
                }
                notes.extend(item.note.take());
                pending.push(item);
                if pending.len() >= opts.batch {
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
        let written = writer.join().map_err(|_| IngestError::WriterPanicked)?;
        match read_err {
            Some(e) => Err(e),
            None => written.map(|sum| Summary { notes, ..sum }),
        }
    })
}

/// A store error named by the database `db`: [`IngestError::NoRoom`] when a write found no
/// room (saying whether the file size limit or the disk ran out), else
/// [`IngestError::Database`].
fn no_room(db: &Path, source: StoreError) -> IngestError {
    let path = db.display().to_string();
    let why = match (source.no_room(), file_size_limit()) {
        (Some(_), Some(limit)) => {
            format!("file size limit reached (ulimit -f allows {limit} bytes per file)")
        }
        (Some(marsad_store::NoRoom::Full), None) => "disk full".to_string(),
        _ => return IngestError::Database { path, source },
    };
    IngestError::NoRoom { path, why, source }
}

/// The process's file size limit in bytes (`ulimit -f`), or `None` when there is none.
#[cfg(unix)]
fn file_size_limit() -> Option<u64> {
    let mut lim = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit writes one `rlimit` through the pointer, which points to a live, aligned
    // and writable local of exactly that type; it keeps no pointer after it returns, and
    // RLIMIT_FSIZE is a valid resource.
    let rc = unsafe { libc::getrlimit(libc::RLIMIT_FSIZE, &mut lim) };
    #[allow(clippy::unnecessary_cast)] // rlim_t is u64 on Linux, not everywhere
    (rc == 0 && lim.rlim_cur != libc::RLIM_INFINITY).then_some(lim.rlim_cur as u64)
}

/// The process's file size limit in bytes: none known where there is no `getrlimit`.
#[cfg(not(unix))]
fn file_size_limit() -> Option<u64> {
    None
}

/// What happened to one item before storage.
pub(crate) enum Prepared {
    Doc(Box<NewDocument>),
    Duplicate,
    Reject(Reject),
}

fn reject(item_source: &str, line: Option<u64>, kind: RejectKind, reason: String) -> Prepared {
    Prepared::Reject(Reject {
        source: item_source.to_string(),
        line,
        kind,
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
    opts: Options,
) -> Prepared {
    let src = &item.source;
    let d = match item.doc {
        Ok(d) => d,
        Err((kind, msg)) => return reject(src, item.line, kind, msg),
    };
    if known {
        return Prepared::Duplicate;
    }
    let id = id.unwrap_or_else(|| content_id(&d.text));
    let budget = Some(opts.doc_budget);
    match prepare_doc_within(models, d, id, src, item.line, opts.max_bytes, budget) {
        Ok(new) => Prepared::Doc(Box::new(new)),
        Err(r) => Prepared::Reject(r),
    }
}

/// [`prepare`], with a panic inside it (a bug met on one document) caught and turned into a
/// reject naming the document and the message, so that the batch goes on.
fn prepare_guarded(
    models: &Models,
    item: Item,
    id: Option<String>,
    known: bool,
    opts: Options,
) -> Prepared {
    let (src, line) = (item.source.clone(), item.line);
    let run = std::panic::AssertUnwindSafe(|| prepare(models, item, id, known, opts));
    match std::panic::catch_unwind(run) {
        Ok(p) => p,
        Err(panic) => {
            let where_ = match line {
                Some(n) => format!("{src}: line {n}"),
                None => src.clone(),
            };
            reject(
                &src,
                line,
                RejectKind::Internal,
                format!(
                    "{where_}: processing failed inside marsad (a bug): {}",
                    sources::panic_message(&*panic)
                ),
            )
        }
    }
}

/// Checks one document (not empty, within `max_bytes`, Arabic) and annotates it into what the
/// store takes; `id` is its content id ([`content_id`]), `source` and `line` say where it came
/// from. Shared with `POST /api/v1/documents`.
pub fn prepare_doc(
    models: &Models,
    d: crate::input::InputDoc,
    id: String,
    src: &str,
    line: Option<u64>,
    max_bytes: u64,
) -> Result<NewDocument, Reject> {
    prepare_doc_within(models, d, id, src, line, max_bytes, None)
}

/// [`prepare_doc`] within a wall-clock `budget` (from now; `None`: none): a document whose
/// annotation is still running when it runs out is rejected as `too_slow`, naming the document
/// and the budget. The deadline is checked between stages ([`crate::annotate_until`]), so no
/// thread is abandoned.
pub fn prepare_doc_within(
    models: &Models,
    d: crate::input::InputDoc,
    id: String,
    src: &str,
    line: Option<u64>,
    max_bytes: u64,
    budget: Option<Duration>,
) -> Result<NewDocument, Reject> {
    // an unrepresentable deadline (a budget of centuries) is no deadline
    let deadline = budget.and_then(|b| Instant::now().checked_add(b));
    let where_ = match line {
        Some(n) => format!("{src}: line {n}"),
        None => src.to_string(),
    };
    let reject = |kind: RejectKind, reason: String| Reject {
        source: src.to_string(),
        line,
        kind,
        reason,
    };
    if d.text.trim().is_empty() {
        return Err(reject(RejectKind::Empty, format!("{where_}: empty text")));
    }
    if d.text.len() as u64 > max_bytes {
        return Err(reject(
            RejectKind::TooLarge,
            format!("{where_}: larger than the limit of {max_bytes} bytes"),
        ));
    }
    if !is_arabic(&d.text) {
        return Err(reject(
            RejectKind::NotArabic,
            format!("{where_}: not Arabic text"),
        ));
    }
    let date = d.date.as_deref().and_then(parse_date);
    let doc = Doc {
        id: id.clone(),
        text: &d.text,
        date,
        title: d.title.clone(),
        url: d.url.clone(),
        outlet: None,
    };
    let ann = match annotate_until(models, &doc, deadline) {
        Ok(a) => a,
        Err(over) => {
            let ms = budget.unwrap_or_default().as_millis();
            return Err(reject(
                RejectKind::TooSlow,
                format!(
                    "{where_}: annotation took longer than the budget of {ms} ms (stopped after the {} stage; raise it with --doc-budget-ms)",
                    over.stage
                ),
            ));
        }
    };
    let prov = crate::provenance::of(&d);
    let new = NewDocument {
        id,
        source: Some(where_),
        external_id: prov.external_id,
        outlet: prov.outlet,
        url: prov.url,
        title: prov.title,
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
pub(crate) fn annotate_batch(
    models: &Models,
    reader: &dyn Store,
    items: Vec<Item>,
    opts: Options,
) -> Result<Vec<Prepared>, StoreError> {
    // content ids once, in parallel
    let ids: Vec<Option<String>> = items
        .par_iter()
        .map(|it| it.doc.as_ref().ok().map(|d| content_id(&d.text)))
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
        .map(|((it, id), k)| prepare_guarded(models, it, id, k, opts))
        .collect())
}

/// Stores one annotated batch in one transaction (and its rejects) and adds it to `sum`.
fn store_batch(
    store: &mut (dyn Store + Send),
    prepared: Vec<Prepared>,
    sum: &mut Summary,
) -> Result<(), StoreError> {
    let (docs, rejects) = split(prepared, sum);
    let b = store.write_batch(&docs)?;
    store.record_rejects(&rejects)?;
    sum.add(&b);
    Ok(())
}

/// The documents to write and the rejects to record of an annotated batch, counted in `sum`
/// (documents read, duplicates found before annotation, rejects by reason).
pub(crate) fn split(prepared: Vec<Prepared>, sum: &mut Summary) -> (Vec<NewDocument>, Vec<Reject>) {
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
                sum.count_reject(r.kind);
                rejects.push(r);
            }
        }
    }
    (docs, rejects)
}

impl Summary {
    /// Adds what one batch write did.
    pub fn add(&mut self, b: &marsad_store::BatchSummary) {
        self.stored += b.stored as u64;
        self.duplicates += b.duplicates as u64;
        self.near_duplicates += b.near_duplicates as u64;
        self.events += b.events as u64;
        self.merged_mentions += b.merged_mentions as u64;
    }

    /// Counts one reject of kind `kind`.
    pub(crate) fn count_reject(&mut self, kind: RejectKind) {
        self.rejected += 1;
        *self.rejected_by_reason.entry(kind.to_string()).or_default() += 1;
    }

    /// Adds the counts of another run (the documents of one worker to those of another).
    pub fn merge(&mut self, o: &Summary) {
        self.read += o.read;
        self.stored += o.stored;
        self.duplicates += o.duplicates;
        self.near_duplicates += o.near_duplicates;
        self.events += o.events;
        self.merged_mentions += o.merged_mentions;
        self.rejected += o.rejected;
        for (k, n) in &o.rejected_by_reason {
            *self.rejected_by_reason.entry(k.clone()).or_default() += n;
        }
        self.notes.extend(o.notes.iter().cloned());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::InputDoc;

    fn doc(text: &str) -> InputDoc {
        InputDoc {
            id: None,
            text: text.to_string(),
            date: None,
            title: None,
            url: None,
            source: None,
            url_or_path: None,
        }
    }

    /// A zero budget is spent before the first stage ends, whatever the machine's speed: the
    /// document is a `too_slow` reject naming it and the budget, not a stuck batch.
    #[test]
    fn a_document_over_its_budget_is_rejected_as_too_slow() {
        let models = Models::load().unwrap();
        let text = "قتل جندي في هجوم على حاجز عسكري قرب الموصل أمس.";
        let id = content_id(text);
        let r = prepare_doc_within(
            &models,
            doc(text),
            id.clone(),
            "slow.txt",
            None,
            1 << 20,
            Some(Duration::ZERO),
        )
        .unwrap_err();
        assert_eq!(r.kind, RejectKind::TooSlow);
        assert_eq!((r.source.as_str(), r.line), ("slow.txt", None));
        assert!(
            r.reason
                .starts_with("slow.txt: annotation took longer than the budget of 0 ms"),
            "{}",
            r.reason
        );
        // the same document with no budget, or one too large to represent, is annotated
        for budget in [None, Some(Duration::MAX)] {
            let new = prepare_doc_within(
                &models,
                doc(text),
                id.clone(),
                "ok.txt",
                None,
                1 << 20,
                budget,
            )
            .unwrap();
            assert!(!new.events.is_empty(), "{budget:?}");
        }
    }

    /// A write without room names the database and says which room ran out; other store errors
    /// name the database too.
    #[test]
    fn store_errors_name_the_database_and_say_when_room_ran_out() {
        let db = Path::new("/data/m.db");
        let full = StoreError::Sqlite(rusqlite_full());
        let e = no_room(db, full);
        let msg = e.to_string();
        assert!(
            msg.starts_with("/data/m.db: cannot write the database: "),
            "{msg}"
        );
        match file_size_limit() {
            None => assert!(msg.contains("disk full"), "{msg}"),
            Some(_) => assert!(msg.contains("file size limit reached"), "{msg}"),
        }
        let other = no_room(db, StoreError::NoSchema).to_string();
        assert_eq!(other, "/data/m.db: reading or writing the database failed");
    }

    /// SQLite's "database or disk is full".
    fn rusqlite_full() -> rusqlite::Error {
        rusqlite::Error::SqliteFailure(rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_FULL), None)
    }

    /// Through a whole run: the over-budget document is recorded as a reject with its reason
    /// and counted under `too_slow`; the run itself completes.
    #[test]
    fn a_run_with_a_zero_budget_rejects_every_document_and_completes() {
        let models = Models::load().unwrap();
        let dir = tempfile::tempdir().unwrap();
        for (i, place) in ["الموصل", "بيروت"].iter().enumerate() {
            std::fs::write(
                dir.path().join(format!("{i}.txt")),
                format!("قتل جندي في هجوم على حاجز عسكري قرب {place} أمس."),
            )
            .unwrap();
        }
        let db = dir.path().join("m.db");
        let plan = Plan::new(&[
            dir.path().join("0.txt").display().to_string(),
            dir.path().join("1.txt").display().to_string(),
        ]);
        let opts = Options {
            doc_budget: Duration::ZERO,
            ..Options::default()
        };
        let sum = run(&models, &db, plan, opts, |_, _| {}).unwrap();
        assert_eq!((sum.read, sum.stored, sum.rejected), (0, 0, 2), "{sum:?}");
        assert_eq!(sum.rejected_by_reason.get("too_slow"), Some(&2));
        let store = SqliteStore::open_read_only(&db).unwrap();
        let rejects = store.rejects(10).unwrap();
        assert!(
            rejects
                .iter()
                .all(|r| r.kind == RejectKind::TooSlow && r.reason.contains("budget of 0 ms")),
            "{rejects:?}"
        );
        // the library default is generous
        assert_eq!(Options::default().doc_budget, DEFAULT_DOC_BUDGET);
    }
}
