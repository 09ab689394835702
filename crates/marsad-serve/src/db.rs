//! A small pool of read-only SQLite connections, used from `spawn_blocking`.
//!
//! `rusqlite::Connection` is `Send` but not `Sync`: a query takes a connection out of the pool,
//! runs on a blocking thread, and puts it back. A semaphore bounds the queries running at once to
//! the number of connections; a query that outlives the request's time limit is interrupted
//! (`sqlite3_interrupt`) and its connection returns to the pool when it stops.
//! A PostgreSQL store ([`Backend::Postgres`]) is one shared handle with its own connection
//! pool: a query runs on a blocking thread too, and one that outlives the time limit is
//! answered 503 while it finishes on its own.
//! A cache keeps aggregates (counts, overview figures) that many requests repeat; entries older
//! than 30 s are recomputed in the background while the old value is still served.

use crate::problem::Problem;
use marsad_store::{Reader, SqliteStore, StoreError};
use std::any::Any;
use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::Semaphore;

/// How long a cached aggregate is served.
const CACHE_TTL: Duration = Duration::from_secs(30);
/// Most cached aggregates kept.
const CACHE_MAX: usize = 512;

type Cached = (Instant, Arc<dyn Any + Send + Sync>);

/// Where the server reads from.
pub enum Backend {
    /// An embedded SQLite file: read-only connections opened on demand, kept idle for reuse.
    Sqlite {
        /// The database file.
        path: PathBuf,
        /// An open read-only connection to it.
        first: SqliteStore,
    },
    /// A shared PostgreSQL store (its own connection pool).
    #[cfg(feature = "postgres")]
    Postgres(Arc<marsad_store::PgStore>),
}

enum Source {
    Sqlite {
        path: PathBuf,
        idle: Mutex<Vec<SqliteStore>>,
    },
    #[cfg(feature = "postgres")]
    Postgres(Arc<marsad_store::PgStore>),
}

/// The read side of the server.
pub struct Db {
    source: Source,
    permits: Arc<Semaphore>,
    timeout: Duration,
    cache: Mutex<HashMap<String, Cached>>,
    refreshing: Mutex<HashSet<String>>,
}

impl Db {
    /// A pool over `backend` running at most `size` queries at once.
    pub fn new(backend: Backend, size: usize, timeout: Duration) -> Self {
        let source = match backend {
            Backend::Sqlite { path, first } => Source::Sqlite {
                path,
                idle: Mutex::new(vec![first]),
            },
            #[cfg(feature = "postgres")]
            Backend::Postgres(pg) => Source::Postgres(pg),
        };
        Db {
            source,
            permits: Arc::new(Semaphore::new(size.max(1))),
            timeout,
            cache: Mutex::new(HashMap::new()),
            refreshing: Mutex::new(HashSet::new()),
        }
    }

    fn take(
        path: &std::path::Path,
        idle: &Mutex<Vec<SqliteStore>>,
    ) -> Result<SqliteStore, StoreError> {
        let conn = idle.lock().map(|mut v| v.pop()).unwrap_or(None);
        match conn {
            Some(c) => Ok(c),
            None => SqliteStore::open_read_only(path),
        }
    }

    // one variant only in a build without PostgreSQL
    #[allow(irrefutable_let_patterns)]
    fn put(&self, s: SqliteStore) {
        if let Source::Sqlite { idle, .. } = &self.source {
            if let Ok(mut v) = idle.lock() {
                v.push(s);
            }
        }
    }

    /// Runs `f` with a read-only connection on a blocking thread, within the time limit.
    pub async fn run<T, F>(self: &Arc<Self>, f: F) -> Result<T, Problem>
    where
        T: Send + 'static,
        F: FnOnce(&dyn Reader) -> Result<T, Problem> + Send + 'static,
    {
        let permit = self
            .permits
            .clone()
            .acquire_owned()
            .await
            .map_err(Problem::internal)?;
        let (path, idle) = match &self.source {
            Source::Sqlite { path, idle } => (path, idle),
            #[cfg(feature = "postgres")]
            Source::Postgres(pg) => {
                let pg = pg.clone();
                let job = tokio::task::spawn_blocking(move || {
                    let r = f(pg.as_ref());
                    drop(permit);
                    r
                });
                return match tokio::time::timeout(self.timeout, job).await {
                    Ok(Ok(r)) => r,
                    Ok(Err(e)) => Err(Problem::internal(e)),
                    Err(_) => Err(Problem::timeout()),
                };
            }
        };
        let store = Self::take(path, idle)?;
        let interrupt = store.connection().get_interrupt_handle();
        let mut job = tokio::task::spawn_blocking(move || {
            let r = f(&store);
            drop(permit);
            (store, r)
        });
        match tokio::time::timeout(self.timeout, &mut job).await {
            Ok(Ok((store, r))) => {
                self.put(store);
                r
            }
            Ok(Err(e)) => Err(Problem::internal(e)),
            Err(_) => {
                interrupt.interrupt();
                let me = self.clone();
                tokio::spawn(async move {
                    if let Ok((store, _)) = job.await {
                        me.put(store);
                    }
                });
                Err(Problem::timeout())
            }
        }
    }

    /// Like [`Db::run`], but answers from the cache when the same `key` was computed recently.
    /// An expired entry is still answered at once while one background task recomputes it
    /// (stale-while-revalidate), so a dashboard never waits twice for the same aggregate.
    pub async fn cached<T, F>(self: &Arc<Self>, key: String, f: F) -> Result<Arc<T>, Problem>
    where
        T: Send + Sync + 'static,
        F: FnOnce(&dyn Reader) -> Result<T, Problem> + Send + 'static,
    {
        if let Some((fresh, hit)) = self.cache_get::<T>(&key) {
            if !fresh && self.start_refresh(&key) {
                let me = self.clone();
                tokio::spawn(async move {
                    if let Ok(v) = me.run(f).await {
                        me.cache_put(key.clone(), Arc::new(v));
                    }
                    if let Ok(mut r) = me.refreshing.lock() {
                        r.remove(&key);
                    }
                });
            }
            return Ok(hit);
        }
        let v = Arc::new(self.run(f).await?);
        self.cache_put(key, v.clone());
        Ok(v)
    }

    fn start_refresh(&self, key: &str) -> bool {
        self.refreshing
            .lock()
            .map(|mut r| r.insert(key.to_string()))
            .unwrap_or(false)
    }

    fn cache_put<T: Send + Sync + 'static>(&self, key: String, v: Arc<T>) {
        if let Ok(mut c) = self.cache.lock() {
            if c.len() >= CACHE_MAX && !c.contains_key(&key) {
                let now = Instant::now();
                c.retain(|_, (t, _)| now.duration_since(*t) < CACHE_TTL);
                if c.len() >= CACHE_MAX {
                    c.clear();
                }
            }
            c.insert(key, (Instant::now(), v as Arc<dyn Any + Send + Sync>));
        }
    }

    /// A cached value and whether it is still fresh.
    fn cache_get<T: Send + Sync + 'static>(&self, key: &str) -> Option<(bool, Arc<T>)> {
        let c = self.cache.lock().ok()?;
        let (t, v) = c.get(key)?;
        let fresh = t.elapsed() < CACHE_TTL;
        v.clone().downcast::<T>().ok().map(|v| (fresh, v))
    }

    /// Forgets every cached aggregate (after a write).
    pub fn invalidate(&self) {
        if let Ok(mut c) = self.cache.lock() {
            c.clear();
        }
    }
}
