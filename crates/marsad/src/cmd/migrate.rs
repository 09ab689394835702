//! `marsad migrate --from marsad.db --to postgres://…`: copies an embedded store into
//! PostgreSQL — documents with their annotations and events (merged again, in the order they
//! were stored, by the same rules), and rejects. Idempotent: a rerun skips what is there.

use crate::files::open_db;
use anyhow::{bail, Result};
use marsad_store::is_postgres_url;
use std::path::PathBuf;
use std::process::ExitCode;

/// Documents per transaction.
#[cfg(feature = "postgres")]
const BATCH: usize = 256;

/// Arguments of `marsad migrate`.
#[derive(clap::Args)]
pub struct Args {
    /// The embedded database to copy.
    #[arg(long)]
    from: PathBuf,
    /// The PostgreSQL database to copy into (postgres://USER@HOST/DB), created tables and all.
    #[arg(long)]
    to: String,
    /// No progress output.
    #[arg(long, short)]
    quiet: bool,
}

/// Runs `marsad migrate`.
pub fn run(a: Args) -> Result<ExitCode> {
    if !is_postgres_url(&a.to) {
        bail!(
            "--to {:?}: not a PostgreSQL URL (postgres://USER@HOST/DB)",
            a.to
        );
    }
    copy(&a)
}

#[cfg(feature = "postgres")]
fn copy(a: &Args) -> Result<ExitCode> {
    use anyhow::Context;
    use marsad_store::{redact_url, Store};
    let from = open_db(&a.from)?;
    let mut to = crate::files::open_postgres(&a.to)?;
    let name = redact_url(&a.to);
    let (mut after, mut sum) = (0i64, marsad_store::BatchSummary::default());
    loop {
        let docs = from
            .documents_after(after, BATCH)
            .with_context(|| format!("{}: cannot read", a.from.display()))?;
        let Some((last, _)) = docs.last() else {
            break;
        };
        after = *last;
        let docs: Vec<_> = docs.into_iter().map(|(_, d)| d).collect();
        let b = to
            .write_batch(&docs)
            .with_context(|| format!("{name}: cannot write"))?;
        sum.stored += b.stored;
        sum.duplicates += b.duplicates;
        sum.events += b.events;
        sum.merged_mentions += b.merged_mentions;
        if !a.quiet {
            eprint!("\rmarsad: {} documents copied", sum.stored + sum.duplicates);
        }
    }
    let mut rejects = from.rejects(usize::MAX)?;
    // oldest first, as they were recorded
    rejects.reverse();
    to.record_rejects(&rejects)
        .with_context(|| format!("{name}: cannot write"))?;
    let (src, dst) = (from.stats()?, to.stats()?);
    eprintln!(
        "{}marsad: {} → {name}: {} documents stored, {} already there; {} events, {} mentions merged; {} rejects",
        if a.quiet { "" } else { "\n" },
        a.from.display(),
        sum.stored,
        sum.duplicates,
        sum.events,
        sum.merged_mentions,
        rejects.len()
    );
    if (src.documents, src.events, src.mentions) != (dst.documents, dst.events, dst.mentions) {
        eprintln!(
            "marsad: note: {name} now holds {} documents, {} events, {} mentions; {} holds {}, {}, {}",
            dst.documents,
            dst.events,
            dst.mentions,
            a.from.display(),
            src.documents,
            src.events,
            src.mentions
        );
    }
    Ok(ExitCode::SUCCESS)
}

#[cfg(not(feature = "postgres"))]
fn copy(a: &Args) -> Result<ExitCode> {
    let _ = open_db(&a.from)?;
    match crate::files::open_postgres(&a.to)? {}
}
