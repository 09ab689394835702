//! For tests (feature `testing`): a throwaway PostgreSQL server in a temporary directory —
//! `initdb` and `pg_ctl` on a free loopback port, trust authentication, stopped and removed on
//! drop. Tests that cannot start one skip with the reason ([`PgCluster::start`] returns it).
//!
//! `initdb` refuses to run as root: as root, the server runs as the `postgres` user (Debian's
//! package creates it) through `runuser`, in a directory that user owns.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicU32, Ordering};

/// A running throwaway PostgreSQL server.
pub struct PgCluster {
    dir: PathBuf,
    bin: PathBuf,
    port: u16,
    run_as: Option<String>,
    next_db: AtomicU32,
}

/// Where `initdb` and `pg_ctl` are: `$MARSAD_PG_BIN`, the newest `/usr/lib/postgresql/*/bin`,
/// or a directory of `$PATH`.
fn bin_dir() -> Option<PathBuf> {
    if let Some(d) = std::env::var_os("MARSAD_PG_BIN") {
        return Some(PathBuf::from(d));
    }
    let mut debian: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path().join("bin"))
        .filter(|b| b.join("initdb").is_file() && b.join("pg_ctl").is_file())
        .collect();
    debian.sort_by_key(|p| {
        p.parent()
            .and_then(|v| v.file_name()?.to_str()?.parse::<u32>().ok())
            .unwrap_or(0)
    });
    if let Some(b) = debian.pop() {
        return Some(b);
    }
    std::env::split_paths(&std::env::var_os("PATH")?)
        .find(|d| d.join("initdb").is_file() && d.join("pg_ctl").is_file())
}

/// Whether this process runs as root (`initdb` refuses root).
fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

/// A free TCP port on loopback (free when asked: the server binds it a moment later).
fn free_port() -> std::io::Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port())
}

/// What a failed command said, in one line.
fn said(o: &Output) -> String {
    let mut s = String::from_utf8_lossy(&o.stderr).trim().to_string();
    if s.is_empty() {
        s = String::from_utf8_lossy(&o.stdout).trim().to_string();
    }
    s.lines().last().unwrap_or("").to_string()
}

impl PgCluster {
    /// Starts a server, or says why it cannot (no binaries, no `postgres` user as root, a
    /// failed `initdb` or start): the caller skips with that reason.
    pub fn start() -> Result<PgCluster, String> {
        Self::start_with(false)
    }

    /// Like [`PgCluster::start`], with TLS on (a self-signed certificate made with the
    /// `openssl` command) and every TCP connection without TLS refused (`hostnossl … reject`).
    pub fn start_tls() -> Result<PgCluster, String> {
        Self::start_with(true)
    }

    fn start_with(tls: bool) -> Result<PgCluster, String> {
        let bin = bin_dir().ok_or("no PostgreSQL binaries (initdb, pg_ctl): apt-get install postgresql, or set MARSAD_PG_BIN")?;
        let run_as = if is_root() {
            let ok = Command::new("id")
                .args(["-u", "postgres"])
                .output()
                .is_ok_and(|o| o.status.success());
            if !ok {
                return Err(
                    "running as root and there is no `postgres` user to run initdb as".into(),
                );
            }
            Some("postgres".to_string())
        } else {
            None
        };
        static N: AtomicU32 = AtomicU32::new(0);
        let dir = std::env::temp_dir().join(format!(
            "marsad-pg-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        let port = free_port().map_err(|e| format!("no free port: {e}"))?;
        let cluster = PgCluster {
            dir,
            bin,
            port,
            run_as,
            next_db: AtomicU32::new(0),
        };
        if let Some(user) = &cluster.run_as {
            let o = Command::new("chown")
                .arg(user)
                .arg(&cluster.dir)
                .output()
                .map_err(|e| format!("chown: {e}"))?;
            if !o.status.success() {
                return Err(format!("chown {user}: {}", said(&o)));
            }
        }
        let data = cluster.dir.join("data");
        let o = cluster.run(
            "initdb",
            &[
                "-D".as_ref(),
                data.as_os_str(),
                "--auth=trust".as_ref(),
                "--username=marsad".as_ref(),
                "--encoding=UTF8".as_ref(),
                "--no-locale".as_ref(),
                "--no-sync".as_ref(),
            ],
        )?;
        if !o.status.success() {
            return Err(format!("initdb failed: {}", said(&o)));
        }
        let mut opts = format!(
            "-c listen_addresses=127.0.0.1 -p {port} -k {} -c fsync=off -c synchronous_commit=off -c full_page_writes=off",
            cluster.dir.display()
        );
        if tls {
            let o = cluster.run_program(
                Path::new("openssl"),
                &[
                    "req",
                    "-x509",
                    "-newkey",
                    "rsa:2048",
                    "-nodes",
                    "-days",
                    "2",
                    "-subj",
                    "/CN=localhost",
                    "-keyout",
                    "server.key",
                    "-out",
                    "server.crt",
                ]
                .map(std::ffi::OsStr::new),
            )?;
            if !o.status.success() {
                return Err(format!("openssl req (a test certificate): {}", said(&o)));
            }
            // the server refuses a key others can read
            let o = cluster.run_program(
                Path::new("chmod"),
                &["600", "server.key"].map(std::ffi::OsStr::new),
            )?;
            if !o.status.success() {
                return Err(format!("chmod server.key: {}", said(&o)));
            }
            std::fs::write(
                data.join("pg_hba.conf"),
                "local all all trust\nhostssl all all 127.0.0.1/32 trust\nhostnossl all all 127.0.0.1/32 reject\n",
            )
            .map_err(|e| format!("pg_hba.conf: {e}"))?;
            opts.push_str(&format!(
                " -c ssl=on -c ssl_cert_file={0}/server.crt -c ssl_key_file={0}/server.key",
                cluster.dir.display()
            ));
        }
        let log = cluster.dir.join("server.log");
        let o = cluster.run(
            "pg_ctl",
            &[
                "-D".as_ref(),
                data.as_os_str(),
                "-l".as_ref(),
                log.as_os_str(),
                "-o".as_ref(),
                opts.as_ref(),
                "-w".as_ref(),
                "-t".as_ref(),
                "30".as_ref(),
                "start".as_ref(),
            ],
        )?;
        if !o.status.success() {
            let tail = std::fs::read_to_string(&log).unwrap_or_default();
            return Err(format!(
                "pg_ctl start failed: {} {}",
                said(&o),
                tail.lines().last().unwrap_or("")
            ));
        }
        Ok(cluster)
    }

    /// Runs one of the server's programs (as the server's user when this process is root).
    fn run(&self, program: &str, args: &[&std::ffi::OsStr]) -> Result<Output, String> {
        self.run_program(&self.bin.join(program), args)
    }

    /// Runs `exe` in the server's directory (as the server's user when this process is root).
    fn run_program(&self, exe: &Path, args: &[&std::ffi::OsStr]) -> Result<Output, String> {
        let mut cmd = match &self.run_as {
            Some(user) => {
                let mut c = Command::new("runuser");
                c.args(["-u", user, "--"]).arg(exe);
                c
            }
            None => Command::new(exe),
        };
        // the user's own directory may not be readable by the server's user
        cmd.current_dir(&self.dir)
            .args(args)
            .output()
            .map_err(|e| format!("{}: {e}", exe.display()))
    }

    /// The loopback port the server listens on.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The directory the server lives in (data, log, socket).
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Creates a new, empty database and returns its URL (`postgres://marsad@127.0.0.1:PORT/tN`).
    pub fn fresh_db(&self) -> Result<String, String> {
        let name = format!("t{}", self.next_db.fetch_add(1, Ordering::Relaxed));
        let port = self.port.to_string();
        let o = self.run(
            "createdb",
            &[
                "-h".as_ref(),
                "127.0.0.1".as_ref(),
                "-p".as_ref(),
                port.as_ref(),
                "-U".as_ref(),
                "marsad".as_ref(),
                name.as_ref(),
            ],
        )?;
        if !o.status.success() {
            return Err(format!("createdb {name}: {}", said(&o)));
        }
        Ok(format!("postgres://marsad@127.0.0.1:{}/{name}", self.port))
    }
}

impl Drop for PgCluster {
    fn drop(&mut self) {
        let data = self.dir.join("data");
        let _ = self.run(
            "pg_ctl",
            &[
                "-D".as_ref(),
                data.as_os_str(),
                "-m".as_ref(),
                "fast".as_ref(),
                "-w".as_ref(),
                "stop".as_ref(),
            ],
        );
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
