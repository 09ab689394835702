//! The watch loop: poll the sources that are due, ingest their new items, evaluate the rules,
//! deliver the alerts, sleep until the next source is due; stop between two steps when asked.

use crate::config::{Config, Kind, Source};
use crate::fetch::{Fetched, Fetcher};
use crate::{deliver, rules, WatchError};
use chrono::{DateTime, Utc};
use marsad_pipeline::ingest::{self, Options, Plan};
use marsad_pipeline::sources::{read_from, Format, Item};
use marsad_pipeline::{content_id, Models};
use marsad_store::{SourceState, SqliteStore};
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// Delivery tries of an alert's webhook over successive passes before it is given up (kept in
/// `marsad alerts` with its error).
const MAX_ALERT_ATTEMPTS: u64 = 10;

/// What one poll of one source did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SourceOutcome {
    /// The source.
    pub url: String,
    /// Whether the answer was `304 Not Modified`.
    pub not_modified: bool,
    /// Items in the answer.
    pub items: u64,
    /// Items not seen before, sent to the pipeline.
    pub new_items: u64,
    /// Documents stored.
    pub stored: u64,
    /// New items whose text was stored already (same content id).
    pub duplicates: u64,
    /// New items rejected (empty, not Arabic, …), as `marsad ingest` rejects them.
    pub rejected: u64,
    /// New events stored.
    pub events: u64,
    /// Why the poll failed, when it did.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// What one pass over the sources did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct PassSummary {
    /// One outcome per source polled.
    pub sources: Vec<SourceOutcome>,
    /// Alerts that fired (new ones only).
    pub alerts: u64,
    /// Alert deliveries that failed (kept for a retry).
    pub delivery_errors: Vec<String>,
}

impl PassSummary {
    /// The sources that failed, with their errors.
    pub fn failed(&self) -> impl Iterator<Item = &SourceOutcome> {
        self.sources.iter().filter(|s| s.error.is_some())
    }
}

/// A watcher over one database.
pub struct Watcher {
    config: Config,
    db: PathBuf,
    models: Models,
    store: SqliteStore,
    reader: SqliteStore,
    fetcher: Fetcher,
    stop: Arc<AtomicBool>,
    /// When each rule was first seen.
    since: Vec<String>,
    /// When the rules were last evaluated (a minute's margin taken off): `Every` rules look at
    /// the events stored since then only.
    evaluated: Option<String>,
    /// The day (UTC) of the last evaluation: windows move with it.
    evaluated_on: Option<chrono::NaiveDate>,
    quiet: bool,
}

/// Now, as the store keeps instants.
fn now_rfc() -> String {
    Utc::now().format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()
}

fn rfc(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()
}

fn parse_rfc(s: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

impl Watcher {
    /// A watcher of `config`'s sources and rules over the database at `db` (created when
    /// missing); `stop` set (by a signal handler) ends [`Watcher::run`] after the step in flight.
    pub fn new(
        config: Config,
        db: &Path,
        models: Models,
        stop: Arc<AtomicBool>,
    ) -> Result<Watcher, WatchError> {
        let store_err = |source| WatchError::Store {
            path: db.display().to_string(),
            source,
        };
        let store = SqliteStore::open(db).map_err(store_err)?;
        let reader = SqliteStore::open(db).map_err(store_err)?;
        let now = now_rfc();
        let since = config
            .rules
            .iter()
            .map(|r| store.watch_rule_since(&r.name, &now))
            .collect::<Result<_, _>>()
            .map_err(store_err)?;
        let fetcher = Fetcher::new(&config.settings, Arc::clone(&stop));
        Ok(Watcher {
            config,
            db: db.to_path_buf(),
            models,
            store,
            reader,
            fetcher,
            stop,
            since,
            evaluated: None,
            evaluated_on: None,
            quiet: false,
        })
    }

    /// No progress lines on standard error.
    pub fn quiet(mut self, quiet: bool) -> Self {
        self.quiet = quiet;
        self
    }

    /// The configuration watched.
    pub fn config(&self) -> &Config {
        &self.config
    }

    fn store_err(&self, source: marsad_store::StoreError) -> WatchError {
        WatchError::Store {
            path: self.db.display().to_string(),
            source,
        }
    }

    fn log(&self, line: &str) {
        if !self.quiet {
            eprintln!("marsad watch: {line}");
        }
    }

    fn stopped(&self) -> bool {
        self.stop.load(Ordering::Relaxed)
    }

    /// Polls every source once (due or not), then evaluates the rules and delivers.
    pub fn pass(&mut self) -> Result<PassSummary, WatchError> {
        let sources = self.config.sources.clone();
        self.pass_over(&sources)
    }

    fn pass_over(&mut self, sources: &[Source]) -> Result<PassSummary, WatchError> {
        let mut sum = PassSummary::default();
        for s in sources {
            if self.stopped() {
                break;
            }
            sum.sources.push(self.poll(s)?);
        }
        self.alerts(&mut sum)?;
        Ok(sum)
    }

    /// Runs until asked to stop: polls each source when it is due, evaluates the rules after
    /// every pass that stored something (and retries undelivered webhooks).
    pub fn run(&mut self) -> Result<(), WatchError> {
        let mut first = true;
        while !self.stopped() {
            let now = Utc::now();
            let mut due = Vec::new();
            let mut next: Option<DateTime<Utc>> = None;
            for s in &self.config.sources {
                let at = self
                    .store
                    .watch_source(&s.url)
                    .map_err(|e| self.store_err(e))?
                    .and_then(|st| st.next_poll)
                    .and_then(|t| parse_rfc(&t));
                match at {
                    Some(t) if t > now => next = Some(next.map_or(t, |n| n.min(t))),
                    _ => due.push(s.clone()),
                }
            }
            if !due.is_empty() || first {
                first = false;
                let sum = self.pass_over(&due)?;
                for f in sum.failed() {
                    self.log(&format!(
                        "{}: failed: {}",
                        f.url,
                        f.error.as_deref().unwrap_or("")
                    ));
                }
                continue;
            }
            // sleep until the next source is due (a second at a time, to notice a stop)
            let wait = next
                .map(|t| (t - Utc::now()).to_std().unwrap_or_default())
                .unwrap_or(Duration::from_secs(1))
                .min(Duration::from_secs(1));
            self.fetcher.sleep(wait.max(Duration::from_millis(10)));
        }
        self.log("stopped");
        Ok(())
    }

    /// One poll of one source: fetch, read the items, ingest the new ones, save the state.
    pub fn poll(&mut self, s: &Source) -> Result<SourceOutcome, WatchError> {
        let mut st = self
            .store
            .watch_source(&s.url)
            .map_err(|e| self.store_err(e))?
            .unwrap_or_else(|| SourceState {
                url: s.url.clone(),
                ..Default::default()
            });
        let started = Utc::now();
        st.polls += 1;
        st.last_poll = Some(rfc(started));
        let result = self.fetch_and_ingest(s, &mut st);
        let mut out = match result {
            Ok(o) => o,
            Err(FetchStep::Fatal(e)) => {
                // the source's state is not touched: the poll is redone after a restart
                return Err(e);
            }
            Err(FetchStep::Failed(msg)) => SourceOutcome {
                url: s.url.clone(),
                error: Some(msg),
                ..Default::default()
            },
        };
        out.url = s.url.clone();
        let now = Utc::now();
        match &out.error {
            None => {
                st.failures = 0;
                st.last_ok = Some(rfc(now));
                st.items += out.stored;
                st.next_poll = Some(rfc(now + chrono_dur(s.every)));
            }
            Some(e) => {
                st.failures += 1;
                st.last_error = Some(e.clone());
                // retried sooner than the interval at first: the backoff doubles per failure
                let backoff = self
                    .config
                    .settings
                    .backoff
                    .max(Duration::from_millis(100))
                    .saturating_mul(1 << st.failures.min(16))
                    .min(s.every);
                st.next_poll = Some(rfc(now + chrono_dur(backoff)));
            }
        }
        self.store
            .save_watch_source(&st)
            .map_err(|e| self.store_err(e))?;
        if out.error.is_none() && !out.not_modified {
            self.log(&format!(
                "{}: {} items, {} new: {} stored, {} duplicates, {} rejected; {} events",
                s.url,
                out.items,
                out.new_items,
                out.stored,
                out.duplicates,
                out.rejected,
                out.events
            ));
        }
        Ok(out)
    }

    fn fetch_and_ingest(
        &mut self,
        s: &Source,
        st: &mut SourceState,
    ) -> Result<SourceOutcome, FetchStep> {
        let fetched = self
            .fetcher
            .get(&s.url, st.etag.as_deref(), st.last_modified.as_deref())
            .map_err(FetchStep::Failed)?;
        let (bytes, content_type) = match fetched {
            Fetched::NotModified => {
                return Ok(SourceOutcome {
                    not_modified: true,
                    ..Default::default()
                })
            }
            Fetched::Body {
                bytes,
                etag,
                last_modified,
                content_type,
            } => {
                st.etag = etag;
                st.last_modified = last_modified;
                (bytes, content_type)
            }
        };
        let format = match s.kind {
            Some(Kind::Feed) => Format::Feed,
            Some(Kind::Page) => Format::Html,
            None => {
                let ct = content_type.unwrap_or_default().to_ascii_lowercase();
                if ct.contains("html") {
                    Format::Html
                } else if ct.contains("xml") || ct.contains("rss") || ct.contains("atom") {
                    Format::Feed
                } else {
                    // sniffed from the first bytes
                    Format::Text
                }
            }
        };
        let mut items: Vec<Item> = Vec::new();
        let mut cursor = std::io::Cursor::new(bytes);
        read_from(
            &s.url,
            format,
            &mut cursor,
            self.config.settings.max_bytes,
            &mut |i| items.push(i),
        );
        // the whole answer unreadable (a malformed feed, not UTF-8): the source failed
        if let [one] = items.as_slice() {
            if let (Err((_, msg)), None) = (&one.doc, one.line) {
                return Err(FetchStep::Failed(msg.clone()));
            }
        }
        let mut out = SourceOutcome {
            items: items.len() as u64,
            ..Default::default()
        };
        // the keys of feed entries (their link, else their id, else their text); a page is
        // read whole each time and its text decides (the store's content id)
        let keys: Vec<Option<String>> = items
            .iter()
            .map(|i| {
                let d = i.doc.as_ref().ok()?;
                i.line?;
                Some(match (&d.url, d.id_string()) {
                    (Some(u), _) => format!("url:{u}"),
                    (None, Some(id)) => format!("id:{id}"),
                    (None, None) => format!("text:{}", content_id(&d.text)),
                })
            })
            .collect();
        let asked: Vec<String> = keys.iter().flatten().cloned().collect();
        let seen = self
            .store
            .watch_seen(&asked)
            .map_err(|e| FetchStep::Fatal(self.store_err(e)))?;
        let seen: std::collections::HashSet<&String> = asked
            .iter()
            .zip(&seen)
            .filter(|(_, s)| **s)
            .map(|(k, _)| k)
            .collect();
        let mut new_items = Vec::new();
        let mut new_keys = Vec::new();
        for (mut item, key) in items.into_iter().zip(keys) {
            if key.as_ref().is_some_and(|k| seen.contains(k)) {
                continue;
            }
            if let Ok(d) = item.doc.as_mut() {
                // a page (or an entry without a link) keeps the address it was fetched from
                if d.url.is_none() && d.url_or_path.is_none() && item.line.is_none() {
                    d.url_or_path = Some(s.url.clone());
                }
            }
            new_keys.extend(key);
            new_items.push(item);
        }
        out.new_items = new_items.len() as u64;
        if new_items.is_empty() {
            return Ok(out);
        }
        let opts = Options {
            batch: 256,
            max_bytes: self.config.settings.max_bytes,
            ..Options::default()
        };
        let sum = ingest::run_on(
            &self.models,
            &mut self.store,
            &self.reader,
            Plan::of_items(new_items),
            opts,
            |_, _| {},
        )
        .map_err(|e| FetchStep::Fatal(e.into()))?;
        // marked seen only once stored: a stop or crash before this point refetches them,
        // and the content ids keep them from being stored twice
        self.store
            .mark_watch_seen(&s.url, &new_keys)
            .map_err(|e| FetchStep::Fatal(self.store_err(e)))?;
        out.stored = sum.stored;
        out.duplicates = sum.duplicates;
        out.rejected = sum.rejected;
        out.events = sum.events;
        Ok(out)
    }

    /// Evaluates every rule, records and delivers the new alerts, and retries the webhooks of
    /// alerts not yet delivered.
    fn alerts(&mut self, sum: &mut PassSummary) -> Result<(), WatchError> {
        let now = Utc::now();
        let today = now.date_naive();
        // the rules see nothing new unless something was stored or the day changed
        let stored = sum.sources.iter().any(|s| s.stored > 0);
        let evaluate = stored || self.evaluated.is_none() || self.evaluated_on != Some(today);
        let rules = self.config.rules.clone();
        let cursor = self.evaluated.clone();
        if evaluate {
            self.evaluated = Some(rfc(now - chrono::Duration::seconds(60)));
            self.evaluated_on = Some(today);
        }
        for (rule, since) in rules.iter().zip(self.since.clone()) {
            if !evaluate {
                break;
            }
            // alerts are deduplicated by key anyway: the cursor only spares work
            let since = match &cursor {
                Some(c) if *c > since => c.clone(),
                _ => since,
            };
            let firings =
                rules::evaluate(rule, &self.store, today, &since).map_err(|e| self.store_err(e))?;
            for f in firings {
                if self
                    .store
                    .alert_fired(&f.key)
                    .map_err(|e| self.store_err(e))?
                {
                    continue;
                }
                let payload = deliver::payload(&self.store, &f).map_err(|e| self.store_err(e))?;
                let Some(id) = self
                    .store
                    .insert_alert(&f.rule, &f.key, &f.summary, &payload)
                    .map_err(|e| self.store_err(e))?
                else {
                    continue;
                };
                sum.alerts += 1;
                self.log(&format!("alert {}", f.summary));
                let mut error = deliver::deliver_local(&rule.deliver, &payload).err();
                if let Some(url) = &rule.deliver.webhook {
                    let body = payload.to_string().into_bytes();
                    let tries = self.config.settings.webhook_tries;
                    if let Err(e) = self.fetcher.post_json(url, &body, tries) {
                        error = Some(e);
                    }
                }
                if let Some(e) = &error {
                    sum.delivery_errors.push(format!("{}: {e}", f.key));
                }
                self.store
                    .alert_attempt(id, error.as_deref())
                    .map_err(|e| self.store_err(e))?;
            }
        }
        // webhooks that failed before
        let pending = self
            .store
            .undelivered_alerts(MAX_ALERT_ATTEMPTS)
            .map_err(|e| self.store_err(e))?;
        for a in pending {
            if self.stopped() {
                break;
            }
            let Some(url) = rules
                .iter()
                .find(|r| r.name == a.rule)
                .and_then(|r| r.deliver.webhook.clone())
            else {
                continue;
            };
            let body = a.payload.to_string().into_bytes();
            let tries = self.config.settings.webhook_tries;
            let r = self.fetcher.post_json(&url, &body, tries).err();
            if let Some(e) = &r {
                sum.delivery_errors.push(format!("{}: {e}", a.key));
            }
            self.store
                .alert_attempt(a.id, r.as_deref())
                .map_err(|e| self.store_err(e))?;
        }
        Ok(())
    }
}

/// Why a poll stopped: the source failed (recorded, the watch goes on), or the database did
/// (the watch stops).
enum FetchStep {
    Failed(String),
    Fatal(WatchError),
}

fn chrono_dur(d: Duration) -> chrono::Duration {
    chrono::Duration::from_std(d.min(Duration::from_secs(3650 * 86_400)))
        .unwrap_or(chrono::Duration::days(3650))
}
