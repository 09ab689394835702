//! Finding and opening the files of `marsad ingest` safely: a directory walk that is linear in
//! the tree (no directory link followed, each file once) and never blocks, and an open that
//! checks what it opened (a file swapped for a FIFO after the walk is a reject, not a hang).

use crate::sources::{format_of, Item};
use marsad_store::RejectKind;
use std::path::{Path, PathBuf};

/// A file to read, found by [`expand`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    /// Its path.
    pub path: PathBuf,
    /// Named on the command line as something other than a regular file (a pipe, as from
    /// `<(zcat …)`): read as it is. Everything else must still be a regular file when opened.
    pub named_special: bool,
}

/// Expands files and directories (recursively, sorted, each file once) into the files to read.
///
/// Unreadable paths, and anything found in a directory that is not a regular file (a FIFO, a
/// socket, a device), become rejects; a pipe named on the command line is read. Symlinks inside
/// a directory are never followed into directories, and a file reached twice (by a link, or
/// named twice) is read once, so the walk is linear in the tree and never blocks.
pub fn expand(paths: &[String], rejects: &mut Vec<Item>) -> Vec<Found> {
    let mut out = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for p in paths {
        let path = PathBuf::from(p);
        match std::fs::metadata(&path) {
            Ok(m) if m.is_dir() => {
                if first_visit(&mut seen, &m) {
                    walk(&path, &mut out, rejects, &mut seen);
                }
            }
            // a path named on the command line is read as it is, a pipe included (`<(zcat …)`)
            Ok(m) => {
                if !m.is_file() || first_visit(&mut seen, &m) {
                    out.push(Found {
                        path,
                        named_special: !m.is_file(),
                    });
                }
            }
            Err(e) => rejects.push(Item::reject(
                p,
                None,
                RejectKind::Unreadable,
                format!("{p}: cannot read: {e}"),
            )),
        }
    }
    out
}

/// The identity of a file (device and inode), to visit it once; `None` where there is none.
#[cfg(unix)]
fn file_id(m: &std::fs::Metadata) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    Some((m.dev(), m.ino()))
}

/// The identity of a file (device and inode), to visit it once; `None` where there is none.
#[cfg(not(unix))]
fn file_id(_m: &std::fs::Metadata) -> Option<(u64, u64)> {
    None
}

/// Whether `m` is seen for the first time (always, where files have no identity).
fn first_visit(seen: &mut std::collections::HashSet<(u64, u64)>, m: &std::fs::Metadata) -> bool {
    file_id(m).is_none_or(|id| seen.insert(id))
}

/// The reject of a path that is neither a regular file nor a directory (never opened: opening
/// a FIFO blocks until a writer comes).
fn not_regular(src: &str, m: &std::fs::Metadata) -> Item {
    let ft = m.file_type();
    let what = {
        #[cfg(unix)]
        {
            use std::os::unix::fs::FileTypeExt;
            if ft.is_fifo() {
                "a FIFO (named pipe)"
            } else if ft.is_socket() {
                "a socket"
            } else if ft.is_block_device() || ft.is_char_device() {
                "a device"
            } else {
                "not a regular file"
            }
        }
        #[cfg(not(unix))]
        {
            let _ = ft;
            "not a regular file"
        }
    };
    Item::reject(
        src,
        None,
        RejectKind::Unreadable,
        format!("{src}: {what}, not a regular file: skipped"),
    )
}

fn walk(
    dir: &Path,
    out: &mut Vec<Found>,
    rejects: &mut Vec<Item>,
    seen: &mut std::collections::HashSet<(u64, u64)>,
) {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => {
            let d = dir.display().to_string();
            rejects.push(Item::reject(
                &d,
                None,
                RejectKind::Unreadable,
                format!("{d}: cannot read directory: {e}"),
            ));
            return;
        }
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for p in paths {
        let hidden = p
            .file_name()
            .map(|n| n.to_string_lossy().starts_with('.'))
            .unwrap_or(false);
        if hidden {
            continue;
        }
        // the entry itself, a symlink not followed
        let Ok(lm) = std::fs::symlink_metadata(&p) else {
            continue;
        };
        let m = if lm.file_type().is_symlink() {
            match std::fs::metadata(&p) {
                // a link to a directory is never followed: it could loop back up
                Ok(m) if m.is_dir() => continue,
                Ok(m) => m,
                // a dangling link to a file we would read is unreadable
                Err(e) => {
                    if format_of(&p).is_some() {
                        let d = p.display().to_string();
                        rejects.push(Item::reject(
                            &d,
                            None,
                            RejectKind::Unreadable,
                            format!("{d}: cannot read: {e}"),
                        ));
                    }
                    continue;
                }
            }
        } else {
            lm
        };
        if m.is_dir() {
            if first_visit(seen, &m) {
                walk(&p, out, rejects, seen);
            }
        } else if !m.is_file() {
            rejects.push(not_regular(&p.display().to_string(), &m));
        } else if format_of(&p).is_some() && first_visit(seen, &m) {
            out.push(Found {
                path: p,
                named_special: false,
            });
        }
    }
}

/// Opens `path` for reading without ever blocking (a FIFO with no writer opens at once) and
/// checks what was opened, not what the walk saw: a file swapped for a FIFO, a device or a
/// directory since is a reject, unless `special_ok` (a pipe named on the command line, which is
/// then read in blocking mode: to its writer's end, or at once to nothing when it has none).
pub(crate) fn open_regular(
    path: &Path,
    src: &str,
    special_ok: bool,
) -> Result<std::fs::File, Box<Item>> {
    let unreadable = |what: String| {
        Box::new(Item::reject(
            src,
            None,
            RejectKind::Unreadable,
            format!("{src}: {what}"),
        ))
    };
    let mut opts = std::fs::OpenOptions::new();
    opts.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.custom_flags(libc::O_NONBLOCK);
    }
    let file = opts
        .open(path)
        .map_err(|e| unreadable(format!("cannot open: {e}")))?;
    let m = file
        .metadata()
        .map_err(|e| unreadable(format!("cannot read: {e}")))?;
    if m.is_dir() {
        return Err(unreadable("a directory, not a file: skipped".into()));
    }
    if m.is_file() {
        return Ok(file);
    }
    if !special_ok {
        return Err(Box::new(not_regular(src, &m)));
    }
    #[cfg(unix)]
    blocking(&file).map_err(|e| unreadable(format!("cannot read: {e}")))?;
    Ok(file)
}

/// Clears `O_NONBLOCK` on an opened pipe, so that reads wait for its writer.
#[cfg(unix)]
fn blocking(file: &std::fs::File) -> std::io::Result<()> {
    use std::os::unix::io::AsRawFd;
    let fd = file.as_raw_fd();
    // SAFETY: `fd` is an open descriptor owned by `file`, which outlives both calls;
    // F_GETFL/F_SETFL read and set its status flags and touch no memory of ours.
    let flags = unsafe { libc::fcntl(fd, libc::F_GETFL) };
    if flags < 0 {
        return Err(std::io::Error::last_os_error());
    }
    // SAFETY: as above.
    if unsafe { libc::fcntl(fd, libc::F_SETFL, flags & !libc::O_NONBLOCK) } < 0 {
        return Err(std::io::Error::last_os_error());
    }
    Ok(())
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicU64;
    use std::sync::Arc;

    /// Makes a FIFO at `p`, or says why the test cannot run.
    fn mkfifo(test: &str, p: &Path) -> bool {
        let made = std::process::Command::new("mkfifo")
            .arg(p)
            .status()
            .is_ok_and(|s| s.success());
        if !made {
            marsad_record::testing::skip(test, "mkfifo is not here");
        }
        made
    }

    fn read(f: &Found) -> Vec<Item> {
        let mut out = Vec::new();
        crate::sources::read_file(f, 1 << 20, &Arc::new(AtomicU64::new(0)), &mut |i| {
            out.push(i)
        });
        out
    }

    /// A file the walk found regular but that became a FIFO before it was read was opened in
    /// blocking mode and hung the run forever; it is now a reject naming it.
    #[test]
    fn a_file_swapped_for_a_fifo_after_the_walk_is_a_reject() {
        let dir = tempfile::tempdir().unwrap();
        let x = dir.path().join("x.txt");
        std::fs::write(&x, "قتل جندي قرب الموصل.").unwrap();
        let mut rejects = Vec::new();
        let found = expand(&[dir.path().display().to_string()], &mut rejects);
        assert_eq!(found.len(), 1);
        assert!(!found[0].named_special && rejects.is_empty());
        std::fs::remove_file(&x).unwrap();
        if !mkfifo("a_file_swapped_for_a_fifo_after_the_walk_is_a_reject", &x) {
            return;
        }
        let items = read(&found[0]);
        assert_eq!(items.len(), 1);
        let (kind, why) = items[0].doc.as_ref().expect_err("a reject");
        assert_eq!(*kind, RejectKind::Unreadable);
        assert!(why.starts_with(&x.display().to_string()), "{why}");
        assert!(
            why.contains("FIFO") && why.contains("not a regular file"),
            "{why}"
        );
        // and a file swapped for a directory
        std::fs::remove_file(&x).unwrap();
        std::fs::create_dir(&x).unwrap();
        let (_, why) = read(&found[0]).remove(0).doc.expect_err("a reject");
        assert!(why.contains("a directory"), "{why}");
    }

    /// A FIFO named on the command line is read as a pipe (`<(zcat …)`), but opening it never
    /// waits for a writer: with none, it reads as empty at once.
    #[test]
    fn a_fifo_named_directly_without_a_writer_does_not_block() {
        let dir = tempfile::tempdir().unwrap();
        let x = dir.path().join("x.txt");
        if !mkfifo("a_fifo_named_directly_without_a_writer_does_not_block", &x) {
            return;
        }
        let mut rejects = Vec::new();
        let found = expand(&[x.display().to_string()], &mut rejects);
        assert_eq!(found.len(), 1);
        assert!(found[0].named_special);
        let items = read(&found[0]);
        assert_eq!(items.len(), 1);
        let doc = items[0].doc.as_ref().map_err(|e| e.1.clone()).unwrap();
        assert!(doc.text.is_empty());
    }
}
