//! `marsad watch`: follow feeds and pages, ingest what is new, fire alert rules; `marsad alerts`:
//! what fired.

use crate::files::{open_db, postgres_url, DEFAULT_DB};
use anyhow::{bail, Context, Result};
use marsad_pipeline::Models;
use marsad_watch::config::{parse_duration, Settings};
use marsad_watch::{Config, Source, Watcher};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;

/// Arguments of `marsad watch`.
#[derive(clap::Args)]
pub struct Args {
    /// The sources, settings and alert rules (see examples/watch.toml).
    #[arg(long, required_unless_present = "feed")]
    config: Option<PathBuf>,
    /// A feed (or page) to follow, besides or instead of the file's sources; repeatable.
    #[arg(long)]
    feed: Vec<String>,
    /// Poll interval of the --feed sources (15m, 30s, 1h).
    #[arg(long, default_value = "15m")]
    every: String,
    /// The database file (created when missing).
    #[arg(long, default_value = DEFAULT_DB, env = "MARSAD_DB")]
    db: PathBuf,
    /// Poll every source once, evaluate the rules, print a summary and exit (0 when the pass
    /// completed, even if a source failed: the summary names it).
    #[arg(long)]
    once: bool,
    /// Print the summary of --once as JSON.
    #[arg(long)]
    json: bool,
    /// No progress lines.
    #[arg(long, short)]
    quiet: bool,
}

/// The configuration of `a`: the file's, with the --feed sources added.
fn config_of(a: &Args) -> Result<Config> {
    let mut c = match &a.config {
        Some(p) => Config::read(p)?,
        None => Config {
            settings: Settings::default(),
            sources: Vec::new(),
            rules: Vec::new(),
        },
    };
    let every = parse_duration(&a.every).map_err(|e| anyhow::anyhow!("--every: {e}"))?;
    if every.is_zero() {
        bail!("--every: must be more than zero");
    }
    for f in &a.feed {
        if !marsad_watch::config::is_http_url(f) {
            bail!("--feed {f:?}: not an http:// or https:// address");
        }
        if !c.sources.iter().any(|s| &s.url == f) {
            c.sources.push(Source {
                url: f.clone(),
                every,
                kind: None,
            });
        }
    }
    if c.sources.is_empty() {
        bail!(
            "{}: no [[source]] to watch (add one, or give --feed URL)",
            a.config
                .as_deref()
                .map_or("the configuration".into(), |p| p.display().to_string())
        );
    }
    Ok(c)
}

/// Builds a watcher over `db` (shared with `marsad serve --watch`).
pub fn watcher(config: Config, db: &Path, stop: Arc<AtomicBool>) -> Result<Watcher> {
    if let Some(url) = postgres_url(db) {
        bail!(
            "{}: `marsad watch` keeps its state in an embedded SQLite database only for now",
            marsad_store::redact_url(url)
        );
    }
    let models = Models::load()?;
    Ok(Watcher::new(config, db, models, stop)?)
}

/// SIGINT and SIGTERM set `stop` (the watch finishes the batch in flight); a second one ends
/// the process at once.
pub fn stop_on_signals() -> Result<Arc<AtomicBool>> {
    let stop = Arc::new(AtomicBool::new(false));
    for sig in [signal_hook::consts::SIGINT, signal_hook::consts::SIGTERM] {
        signal_hook::flag::register_conditional_shutdown(sig, 1, Arc::clone(&stop))
            .context("cannot install a signal handler")?;
        signal_hook::flag::register(sig, Arc::clone(&stop))
            .context("cannot install a signal handler")?;
    }
    Ok(stop)
}

/// Runs `marsad watch`.
pub fn run(a: Args) -> Result<ExitCode> {
    let config = config_of(&a)?;
    let stop = stop_on_signals()?;
    let mut w = watcher(config, &a.db, stop)?.quiet(a.quiet);
    if !a.once {
        if !a.quiet {
            eprintln!(
                "marsad watch: following {} sources with {} rules into {} (Ctrl-C to stop)",
                w.config().sources.len(),
                w.config().rules.len(),
                a.db.display()
            );
        }
        w.run()?;
        return Ok(ExitCode::SUCCESS);
    }
    let sum = w.pass()?;
    if a.json {
        println!("{}", serde_json::to_string(&sum)?);
    } else {
        let failed = sum.failed().count();
        let (mut new, mut stored, mut dup, mut rej, mut events, mut not_mod) = (0, 0, 0, 0, 0, 0);
        for s in &sum.sources {
            new += s.new_items;
            stored += s.stored;
            dup += s.duplicates;
            rej += s.rejected;
            events += s.events;
            not_mod += u64::from(s.not_modified);
        }
        eprintln!(
            "marsad watch: {} sources polled: {} ok ({not_mod} not modified), {failed} failed; {new} new items = {stored} stored + {dup} duplicates + {rej} rejected; {events} events; {} alerts → {}",
            sum.sources.len(),
            sum.sources.len() - failed,
            sum.alerts,
            a.db.display()
        );
        for f in sum.failed() {
            eprintln!(
                "  failed {}: {}",
                f.url,
                f.error.as_deref().unwrap_or("unknown error")
            );
        }
        for e in &sum.delivery_errors {
            eprintln!("  alert not delivered (retried on the next pass): {e}");
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Arguments of `marsad alerts`.
#[derive(clap::Args)]
pub struct AlertsArgs {
    /// The database file.
    #[arg(long, default_value = DEFAULT_DB, env = "MARSAD_DB")]
    db: PathBuf,
    /// Only this rule's alerts.
    #[arg(long)]
    rule: Option<String>,
    /// At most this many, newest first.
    #[arg(long, default_value_t = 50)]
    limit: usize,
    /// One JSON object per line (with the payload delivered).
    #[arg(long)]
    json: bool,
}

/// Runs `marsad alerts`.
pub fn alerts(a: AlertsArgs) -> Result<ExitCode> {
    use std::io::Write;
    let store = open_db(&a.db)?;
    let rows = store
        .alerts(a.rule.as_deref(), a.limit)
        .with_context(|| format!("{}: cannot read the alerts", a.db.display()))?;
    let mut out = std::io::stdout().lock();
    for r in &rows {
        if a.json {
            writeln!(out, "{}", serde_json::to_string(r)?)?;
        } else {
            let state = match (&r.delivered_at, &r.last_error) {
                (Some(_), _) => "delivered".to_string(),
                (None, Some(e)) => format!("NOT delivered after {} tries: {e}", r.attempts),
                (None, None) => "pending".to_string(),
            };
            writeln!(out, "{}\t{}\t{}\t{state}", r.fired_at, r.rule, r.summary)?;
        }
    }
    if rows.is_empty() && !a.json {
        eprintln!("marsad: no alerts in {}", a.db.display());
    }
    Ok(ExitCode::SUCCESS)
}

/// A watcher running on a thread of its own (`marsad serve --watch`).
pub struct Running {
    stop: Arc<AtomicBool>,
    thread: std::thread::JoinHandle<Result<()>>,
}

/// Starts watching `config` into `db` on a thread of its own; the server's own signal handling
/// ends it through [`Running::stop`].
pub fn spawn(config: &Path, db: &Path) -> Result<Running> {
    let config = Config::read(config)?;
    let stop = Arc::new(AtomicBool::new(false));
    let mut w = watcher(config, db, Arc::clone(&stop))?;
    eprintln!(
        "marsad watch: following {} sources with {} rules into {}",
        w.config().sources.len(),
        w.config().rules.len(),
        db.display()
    );
    let thread = std::thread::Builder::new()
        .name("watch".into())
        .spawn(move || Ok(w.run()?))
        .context("cannot start the watcher thread")?;
    Ok(Running { stop, thread })
}

impl Running {
    /// Asks the watcher to stop after the step in flight and waits for it.
    pub fn stop(self) -> Result<()> {
        self.stop.store(true, std::sync::atomic::Ordering::Relaxed);
        self.thread
            .join()
            .map_err(|_| anyhow::anyhow!("the watcher thread panicked"))?
    }
}
