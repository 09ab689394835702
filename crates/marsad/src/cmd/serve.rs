//! `marsad serve`: the JSON API and the dashboard (`marsad-serve`) over a database.

use crate::files::{open_db, DEFAULT_DB};
use anyhow::{Context, Result};
use marsad_pipeline::Models;
use marsad_serve::db::Backend;
use marsad_serve::writes::WriteOptions;
use marsad_serve::{Options, Writer};
use marsad_store::SqliteStore;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Arguments of `marsad serve`.
#[derive(clap::Args, Clone)]
pub struct Args {
    /// The database file.
    #[arg(long, default_value = DEFAULT_DB, env = "MARSAD_DB")]
    db: PathBuf,
    /// Address to listen on (port 0: any free port, printed at start).
    #[arg(long, default_value = "127.0.0.1:8080")]
    addr: SocketAddr,
    /// Enable `POST /api/v1/documents` for clients that send `Authorization: Bearer TOKEN`.
    #[arg(long, env = "MARSAD_WRITE_TOKEN", hide_env_values = true)]
    write_token: Option<String>,
    /// Largest request body accepted, in bytes.
    #[arg(long, default_value_t = 1 << 20)]
    max_body: usize,
    /// Time limit of one request, in seconds.
    #[arg(long, default_value_t = 15)]
    timeout: u64,
    /// Time a client may take to send a request's headers, in seconds (against slow-header
    /// attacks that hold connections open).
    #[arg(long, default_value_t = 10)]
    header_timeout: u64,
    /// Read-only database connections (0: two per CPU).
    #[arg(long, default_value_t = 0)]
    connections: usize,
    /// Do not compute the default overview at start (for measuring cold pages).
    #[arg(long)]
    no_warm: bool,
    /// Writer threads that annotate and store posted documents (apart from the threads that
    /// answer reads).
    #[arg(long, default_value_t = 1)]
    write_workers: usize,
    /// Writes that may wait for a writer thread; more are answered 503 with Retry-After.
    #[arg(long, default_value_t = 16)]
    write_queue: usize,
    /// Also follow the sources and fire the alert rules of this watch.toml, in the same process
    /// (see `marsad watch`).
    #[arg(long)]
    watch: Option<PathBuf>,
    /// For tests only: hold every write this many milliseconds before its commit.
    #[arg(long, default_value_t = 0, hide = true)]
    write_hold_ms: u64,
}

/// Runs `marsad serve`.
pub fn run(a: Args) -> Result<ExitCode> {
    let cpus = std::thread::available_parallelism().map_or(2, |n| n.get());
    let conns = if a.connections == 0 {
        2 * cpus
    } else {
        a.connections
    };
    if let Some(url) = crate::files::postgres_url(&a.db) {
        let name = marsad_store::redact_url(url);
        anyhow::ensure!(
            a.write_token.is_none(),
            "{name}: `marsad serve` does not take writes (--write-token) into PostgreSQL yet: ingest with `marsad ingest --db {name}` or `marsad worker`"
        );
        anyhow::ensure!(
            a.watch.is_none(),
            "{name}: `marsad serve --watch` follows sources into an embedded SQLite database only for now"
        );
        return serve_postgres(&a, url, conns);
    }
    let writer = match &a.write_token {
        Some(t) => {
            anyhow::ensure!(
                t.len() >= 16,
                "--write-token must be at least 16 characters"
            );
            // creates the database (and runs migrations) when it does not exist yet
            let store = SqliteStore::open(&a.db)
                .with_context(|| format!("{}: cannot open the database", a.db.display()))?;
            Some(Arc::new(Writer {
                token: t.clone(),
                models: Models::load()?,
                store: Mutex::new(store),
            }))
        }
        None => None,
    };
    // the watcher (when asked for) starts first: it creates the database when missing
    let watch = match &a.watch {
        Some(path) => Some(crate::cmd::watch::spawn(path, &a.db)?),
        None => None,
    };
    // fail early, with a clear message, when the database is missing or unreadable
    let first = open_db(&a.db)?;
    let backend = Backend::Sqlite {
        path: a.db.clone(),
        first,
    };
    let opts = options(a, conns);
    let served = marsad_serve::serve(opts, backend, writer);
    if let Some(w) = watch {
        w.stop()?;
    }
    served?;
    Ok(ExitCode::SUCCESS)
}

/// Serves from PostgreSQL: read-only, stateless (any number of processes on one database).
#[cfg(feature = "postgres")]
fn serve_postgres(a: &Args, url: &str, conns: usize) -> Result<ExitCode> {
    let store = marsad_store::PgStore::open_pool(url, conns).with_context(|| {
        format!(
            "{}: cannot open the database",
            marsad_store::redact_url(url)
        )
    })?;
    let backend = Backend::Postgres(Arc::new(store));
    marsad_serve::serve(options(a.clone(), conns), backend, None)?;
    Ok(ExitCode::SUCCESS)
}

/// Serving from PostgreSQL: not in a build without PostgreSQL.
#[cfg(not(feature = "postgres"))]
fn serve_postgres(_: &Args, url: &str, _: usize) -> Result<ExitCode> {
    match crate::files::open_postgres(url)? {}
}

fn options(a: Args, connections: usize) -> Options {
    Options {
        db: a.db,
        addr: a.addr,
        max_body: a.max_body,
        timeout: Duration::from_secs(a.timeout),
        header_timeout: Duration::from_secs(a.header_timeout),
        connections,
        warm: !a.no_warm,
        writes: WriteOptions {
            workers: a.write_workers,
            queue: a.write_queue,
            hold: Duration::from_millis(a.write_hold_ms),
        },
    }
}
