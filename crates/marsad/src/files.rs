//! Files the binary writes and opens: every artifact and export is written whole or not at all.

use anyhow::{bail, Context, Result};
#[cfg(feature = "postgres")]
use marsad_store::PgStore;
use marsad_store::{is_postgres_url, redact_url, SqliteStore, Store};
use std::io::Write;
use std::path::Path;

/// The database file used when `--db` is not given.
pub const DEFAULT_DB: &str = "marsad.db";

/// Writes `bytes` to `path` through a temporary file beside it (synced, then renamed over
/// `path`), so that a reader or a crash never sees half a file.
pub fn write_atomic(path: impl AsRef<Path>, bytes: &[u8]) -> Result<()> {
    write_atomic_with(path, |w| Ok(w.write_all(bytes)?))
}

/// Streams what `write` writes to `path` through a buffered temporary file beside it (synced,
/// then renamed over `path`), so that a reader or a crash never sees half a file; on error the
/// temporary file is removed and `path` is left as it was.
pub fn write_atomic_with<T>(
    path: impl AsRef<Path>,
    write: impl FnOnce(&mut (dyn Write + Send)) -> Result<T>,
) -> Result<T> {
    let path = path.as_ref();
    let name = path
        .file_name()
        .with_context(|| format!("{}: not a file name", path.display()))?;
    let mut tmp_name = std::ffi::OsString::from(".");
    tmp_name.push(name);
    tmp_name.push(format!(".{}.tmp", std::process::id()));
    let tmp = path.with_file_name(tmp_name);
    let file =
        std::fs::File::create(&tmp).with_context(|| format!("{}: cannot write", path.display()))?;
    let mut buf = std::io::BufWriter::with_capacity(1 << 16, file);
    let out = match write(&mut buf) {
        Ok(out) => out,
        Err(e) => {
            drop(buf);
            let _ = std::fs::remove_file(&tmp);
            return Err(e.context(format!("{}: not written", path.display())));
        }
    };
    let done = buf
        .into_inner()
        .map_err(std::io::IntoInnerError::into_error)
        .and_then(|f| f.sync_all())
        .and_then(|()| std::fs::rename(&tmp, path));
    if let Err(e) = done {
        let _ = std::fs::remove_file(&tmp);
        return Err(e).with_context(|| format!("{}: cannot write", path.display()));
    }
    Ok(out)
}

/// Writes a folder of files at `path` whole or not at all: `write` fills a temporary folder
/// beside it, whose files are then synced, and the folder is renamed to `path`. A folder
/// already at `path` is swapped for the new one in one step (`renameat2` with
/// `RENAME_EXCHANGE`) and then removed, so a reader sees the old tree or the new one, never a
/// mix; on error the temporary folder is removed and `path` is left as it was.
pub fn write_dir_atomic<T>(path: &Path, write: impl FnOnce(&Path) -> Result<T>) -> Result<T> {
    let name = path
        .file_name()
        .with_context(|| format!("{}: not a folder name", path.display()))?;
    let mut tmp_name = std::ffi::OsString::from(".");
    tmp_name.push(name);
    tmp_name.push(format!(".{}.tmp", std::process::id()));
    let tmp = path.with_file_name(tmp_name);
    let _ = std::fs::remove_dir_all(&tmp);
    std::fs::create_dir(&tmp).with_context(|| format!("{}: cannot write", path.display()))?;
    let done = write(&tmp).and_then(|out| {
        sync_tree(&tmp).with_context(|| format!("{}: cannot write", path.display()))?;
        swap_in(&tmp, path).with_context(|| format!("{}: cannot write", path.display()))?;
        Ok(out)
    });
    if done.is_err() {
        let _ = std::fs::remove_dir_all(&tmp);
    }
    done.map_err(|e| e.context(format!("{}: not written", path.display())))
}

/// Syncs every file under `dir`, and the folders themselves.
fn sync_tree(dir: &Path) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let p = entry?.path();
        if p.is_dir() {
            sync_tree(&p)?;
        } else {
            std::fs::File::open(&p)?.sync_all()?;
        }
    }
    std::fs::File::open(dir)?.sync_all()
}

/// Puts the folder `tmp` at `path`: a rename when nothing (or an empty folder) is there, else
/// an exchange of the two, after which the old tree (now at `tmp`) is removed.
fn swap_in(tmp: &Path, path: &Path) -> std::io::Result<()> {
    match std::fs::symlink_metadata(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return std::fs::rename(tmp, path),
        Err(e) => return Err(e),
        Ok(m) if !m.is_dir() => {
            return Err(std::io::Error::other(
                "a file is there, not a folder: refusing to replace it",
            ))
        }
        Ok(_) => {}
    }
    if std::fs::rename(tmp, path).is_ok() {
        return Ok(()); // an empty folder was there
    }
    exchange(tmp, path)?;
    std::fs::remove_dir_all(tmp)
}

/// Swaps two folders in one step.
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    use rustix::fs::{renameat_with, RenameFlags, CWD};
    Ok(renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE)?)
}

/// Swaps two folders: not offered where there is no `renameat2`.
#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, b: &Path) -> std::io::Result<()> {
    Err(std::io::Error::other(format!(
        "{} exists: remove it first (it cannot be replaced in one step here)",
        b.display()
    )))
}

/// Opens an existing database read-only, with a clear message when it is missing.
pub fn open_db(path: &Path) -> Result<SqliteStore> {
    if !path.exists() {
        bail!(
            "{}: no such database (create it with `marsad ingest PATH --db {}`)",
            path.display(),
            path.display()
        );
    }
    let store = SqliteStore::open_read_only(path)
        .with_context(|| format!("{}: cannot open the database", path.display()))?;
    if store.is_immutable() {
        let mut wal = path.as_os_str().to_owned();
        wal.push("-wal");
        let pending = std::fs::metadata(&wal).is_ok_and(|m| m.len() > 0);
        eprintln!(
            "marsad: note: {} is opened immutable (read-only, no -wal or -shm files) because its directory is not writable{}",
            path.display(),
            if pending {
                "; changes still in its -wal file are not seen"
            } else {
                ""
            }
        );
    }
    Ok(store)
}

/// An open database of either kind.
pub enum Db {
    /// An embedded SQLite file.
    Sqlite(SqliteStore),
    /// A PostgreSQL database.
    #[cfg(feature = "postgres")]
    Postgres(PgStore),
}

impl Db {
    /// The store behind it.
    pub fn store(&self) -> &dyn Store {
        match self {
            Db::Sqlite(s) => s,
            #[cfg(feature = "postgres")]
            Db::Postgres(s) => s,
        }
    }
}

/// The PostgreSQL URL `db` names, if it names one (`postgres://…`, `postgresql://…`).
pub fn postgres_url(db: &Path) -> Option<&str> {
    db.to_str().filter(|s| is_postgres_url(s))
}

/// How a database is named in messages: a file's path, or a URL without its password.
pub fn db_name(db: &Path) -> String {
    match postgres_url(db) {
        Some(url) => redact_url(url),
        None => db.display().to_string(),
    }
}

/// Connects to the PostgreSQL database at `url` (migrating it when needed).
#[cfg(feature = "postgres")]
pub fn open_postgres(url: &str) -> Result<PgStore> {
    PgStore::open(url).with_context(|| format!("{}: cannot open the database", redact_url(url)))
}

/// Connects to the PostgreSQL database at `url`: not in a build without PostgreSQL.
#[cfg(not(feature = "postgres"))]
pub fn open_postgres(url: &str) -> Result<std::convert::Infallible> {
    bail!(
        "{}: this marsad was built without PostgreSQL support (cargo feature `postgres`)",
        redact_url(url)
    )
}

/// Opens an existing database for queries: a file read-only ([`open_db`]), or a PostgreSQL URL.
pub fn open_any(db: &Path) -> Result<Db> {
    if let Some(url) = postgres_url(db) {
        #[cfg(feature = "postgres")]
        return Ok(Db::Postgres(open_postgres(url)?));
        #[cfg(not(feature = "postgres"))]
        match open_postgres(url)? {}
    }
    open_db(db).map(Db::Sqlite)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atomic_writes_replace_whole_and_leave_no_temporary() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("model.bin");
        write_atomic(&p, b"first").unwrap();
        write_atomic(&p, b"second").unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"second");
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(names.len(), 1, "{names:?}");
        let e = write_atomic(dir.path().join("no/such/dir/x.bin"), b"x").unwrap_err();
        assert!(format!("{e:#}").contains("x.bin: cannot write"), "{e:#}");
    }
}
