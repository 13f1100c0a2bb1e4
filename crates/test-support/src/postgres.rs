//! A throwaway PostgreSQL server for tests: the real server from Debian's `postgresql` package,
//! started once per test binary with `initdb` and `pg_ctl` in a temporary directory, on a free
//! loopback port, with trust authentication for loopback only. Each test gets its own fresh
//! database on it, so tests run in parallel.
//!
//! The server always stops: a watchdog process started with it waits for the test binary to
//! end, however it ends (pass, fail, panic, abort or Ctrl+C), then stops the server
//! (`pg_ctl stop -m immediate`) and removes the directory. Run as root, the server runs as the
//! `postgres` user (initdb refuses root).
//!
//! `BEACON_TEST_POSTGRES_URL` (a server you run, such as `postgres://me@127.0.0.1:5432/postgres`)
//! skips all that: each test's database is made on that server instead. `BEACON_PG_BINDIR`
//! names the directory of `initdb` and `pg_ctl` when they are not in the usual places.
//!
//! No library starts a private PostgreSQL from Debian's binaries without downloading its own, so
//! this is written by hand.

use beacon_store_postgres::PostgresStore;
use beacon_store_sql::SqlStore;
use sqlx::Connection;
use sqlx::postgres::{PgConnection, PgPoolOptions};
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

/// What to tell a developer whose machine has no PostgreSQL server binaries.
const INSTALL_HINT: &str = "PostgreSQL's server programs (initdb, pg_ctl) were not found in \
     $BEACON_PG_BINDIR, /usr/lib/postgresql/*/bin or on the PATH.\n\
     Install them with `sudo apt-get install -y postgresql` (Debian/Ubuntu; ./scripts/test does \
     this when run as root), or point BEACON_TEST_POSTGRES_URL at a PostgreSQL server you run, \
     such as postgres://me@127.0.0.1:5432/postgres (the user must be allowed to CREATE DATABASE).";

/// The server this test binary uses.
pub struct PgServer {
    /// A URL of the server's `postgres` database, for creating test databases.
    admin_url: String,
    /// How long starting the server took (zero for a server given by URL).
    pub started_in: std::time::Duration,
}

static SERVER: OnceLock<Result<PgServer, String>> = OnceLock::new();
static NEXT_DB: AtomicUsize = AtomicUsize::new(0);

/// The test binary's server, started on first use. Panics, with how to install PostgreSQL,
/// when there is no server to be had: a PostgreSQL test never passes without one.
pub fn server() -> &'static PgServer {
    match SERVER.get_or_init(start) {
        Ok(s) => s,
        Err(e) => panic!("no PostgreSQL server for the tests:\n{e}"),
    }
}

fn start() -> Result<PgServer, String> {
    if let Ok(url) = std::env::var("BEACON_TEST_POSTGRES_URL")
        && !url.trim().is_empty()
    {
        return Ok(PgServer {
            admin_url: url,
            started_in: std::time::Duration::ZERO,
        });
    }
    let began = Instant::now();
    let bin = bindir().ok_or_else(|| INSTALL_HINT.to_string())?;
    let owner = Owner::find()?;
    // Run as another user, the server must be able to reach its directory: /tmp always lets it.
    let parent = match owner.other {
        Some(_) => PathBuf::from("/tmp"),
        None => std::env::temp_dir(),
    };
    let dir = tempfile::Builder::new()
        .prefix("beacon-pg-")
        .tempdir_in(parent)
        .map_err(|e| format!("cannot make a temporary directory: {e}"))?
        // The watchdog removes it once the server has stopped.
        .keep();
    let data = dir.join("data");
    let socket = dir.join("socket");
    std::fs::create_dir(&socket).map_err(|e| format!("{}: {e}", socket.display()))?;
    owner.give(&dir)?;
    owner.give(&socket)?;

    let initdb = owner.run(
        &bin.join("initdb"),
        &[
            "-D",
            path_str(&data)?,
            "-U",
            "beacon",
            "--auth=trust",
            "--encoding=UTF8",
            "--locale=C",
            "--no-sync",
        ],
    )?;
    if !initdb.status.success() {
        return Err(format!(
            "initdb failed:\n{}{}",
            String::from_utf8_lossy(&initdb.stdout),
            String::from_utf8_lossy(&initdb.stderr)
        ));
    }
    let log = dir.join("server.log");
    let pg_ctl = bin.join("pg_ctl");
    // The watchdog goes first, so that even a start that hangs or half-succeeds is cleaned up.
    spawn_watchdog(&owner, &pg_ctl, &data, &dir)?;
    let mut last_error = String::new();
    for _ in 0..3 {
        let port = free_port()?;
        let options = format!(
            "-k {} -h 127.0.0.1 -p {port} -c fsync=off -c synchronous_commit=off \
             -c full_page_writes=off -c max_connections=300 -c shared_buffers=32MB",
            path_str(&socket)?
        );
        let out = owner.run(
            &pg_ctl,
            &[
                "-D",
                path_str(&data)?,
                "-l",
                path_str(&log)?,
                "-w",
                "-t",
                "60",
                "-o",
                &options,
                "start",
            ],
        )?;
        if out.status.success() {
            return Ok(PgServer {
                admin_url: format!("postgres://beacon@127.0.0.1:{port}/postgres"),
                started_in: began.elapsed(),
            });
        }
        last_error = format!(
            "pg_ctl start failed:\n{}{}\nserver log:\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr),
            std::fs::read_to_string(&log).unwrap_or_default()
        );
    }
    Err(last_error)
}

/// A PostgreSQL program (`pg_dump`, `pg_restore`, `psql`) of the same installation as the test
/// server's, or the one on the PATH.
pub fn program(name: &str) -> PathBuf {
    bindir()
        .map(|d| d.join(name))
        .filter(|p| p.exists())
        .unwrap_or_else(|| PathBuf::from(name))
}

/// The directory of `initdb` and `pg_ctl`: `$BEACON_PG_BINDIR`, the newest
/// `/usr/lib/postgresql/N/bin`, or the one on the PATH.
fn bindir() -> Option<PathBuf> {
    if let Ok(dir) = std::env::var("BEACON_PG_BINDIR") {
        return Some(PathBuf::from(dir)).filter(|d| d.join("initdb").exists());
    }
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let n: u32 = e.file_name().to_str()?.parse().ok()?;
            let bin = e.path().join("bin");
            bin.join("initdb").exists().then_some((n, bin))
        })
        .collect();
    versions.sort();
    if let Some((_, bin)) = versions.pop() {
        return Some(bin);
    }
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .find(|p| p.join("initdb").exists() && p.join("pg_ctl").exists())
    })
}

fn path_str(p: &Path) -> Result<&str, String> {
    p.to_str()
        .ok_or_else(|| format!("{}: not a UTF-8 path", p.display()))
}

/// Who runs the server: this user, or the `postgres` user when the tests run as root.
struct Owner {
    /// `Some((user, uid, gid))` when the server must run as another user.
    other: Option<(String, u32, u32)>,
}

impl Owner {
    fn find() -> Result<Owner, String> {
        let me = std::fs::metadata("/proc/self")
            .map(|m| m.uid())
            .map_err(|e| format!("cannot tell who is running the tests: {e}"))?;
        if me != 0 {
            return Ok(Owner { other: None });
        }
        let id = |flag: &str| -> Result<u32, String> {
            let out = Command::new("id")
                .args([flag, "postgres"])
                .output()
                .map_err(|e| format!("id {flag} postgres: {e}"))?;
            String::from_utf8_lossy(&out.stdout)
                .trim()
                .parse()
                .map_err(|_| {
                    format!(
                        "the tests run as root, and initdb refuses root, but there is no \
                         `postgres` user to run the server as.\n{INSTALL_HINT}"
                    )
                })
        };
        Ok(Owner {
            other: Some(("postgres".to_string(), id("-u")?, id("-g")?)),
        })
    }

    /// Hands a directory to the server's user.
    fn give(&self, dir: &Path) -> Result<(), String> {
        if let Some((_, uid, gid)) = &self.other {
            std::os::unix::fs::chown(dir, Some(*uid), Some(*gid))
                .map_err(|e| format!("chown {}: {e}", dir.display()))?;
        }
        Ok(())
    }

    fn command(&self, program: &Path) -> Command {
        match &self.other {
            Some((user, _, _)) => {
                let mut c = Command::new("runuser");
                c.args(["-u", user, "--"]).arg(program);
                c
            }
            None => Command::new(program),
        }
    }

    fn run(&self, program: &Path, args: &[&str]) -> Result<std::process::Output, String> {
        self.command(program)
            .args(args)
            // A directory every user can enter, whatever the tests' own one is.
            .current_dir("/")
            .stdin(Stdio::null())
            .output()
            .map_err(|e| format!("cannot run {}: {e}", program.display()))
    }
}

/// Starts a process that outlives nothing: it waits until this test binary has ended, then stops
/// the server and removes its directory. It ignores Ctrl+C and hang-ups (which reach the whole
/// process group) so that it is still there to clean up after them.
fn spawn_watchdog(owner: &Owner, pg_ctl: &Path, data: &Path, dir: &Path) -> Result<(), String> {
    let stop = match &owner.other {
        Some((user, _, _)) => format!("runuser -u {user} -- "),
        None => String::new(),
    };
    let script = format!(
        "trap '' INT HUP TERM; \
         while kill -0 {pid} 2>/dev/null; do sleep 0.2; done; \
         {stop}'{pg_ctl}' -D '{data}' -m immediate stop; \
         rm -rf '{dir}'",
        pid = std::process::id(),
        pg_ctl = path_str(pg_ctl)?,
        data = path_str(data)?,
        dir = path_str(dir)?,
    );
    Command::new("sh")
        .args(["-c", &script])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map(drop)
        .map_err(|e| format!("cannot start the watchdog: {e}"))
}

/// A loopback port nobody is listening on (the server may still lose a race for it, so the
/// caller tries again).
fn free_port() -> Result<u16, String> {
    let l = std::net::TcpListener::bind("127.0.0.1:0")
        .map_err(|e| format!("cannot find a free port: {e}"))?;
    l.local_addr()
        .map(|a| a.port())
        .map_err(|e| format!("cannot find a free port: {e}"))
}

/// `url` with its database replaced by `db`.
fn with_database(url: &str, db: &str) -> String {
    let (base, query) = match url.find('?') {
        Some(i) => url.split_at(i),
        None => (url, ""),
    };
    let scheme_end = base.find("://").map_or(0, |i| i + 3);
    let base = match base[scheme_end..].find('/') {
        Some(i) => &base[..scheme_end + i],
        None => base,
    };
    format!("{base}/{db}{query}")
}

impl PgServer {
    /// Creates a new, empty database on the server and returns its URL.
    pub async fn fresh_database(&self) -> String {
        let mut conn = PgConnection::connect(&self.admin_url)
            .await
            .unwrap_or_else(|e| panic!("connect to the test server: {e}"));
        loop {
            let name = format!(
                "beacon_test_{}_{}",
                std::process::id(),
                NEXT_DB.fetch_add(1, Ordering::Relaxed)
            );
            // The name is made here from digits, never from input.
            match sqlx::query(sqlx::AssertSqlSafe(format!(
                "CREATE DATABASE \"{name}\" ENCODING 'UTF8' TEMPLATE template0"
            )))
            .execute(&mut conn)
            .await
            {
                Ok(_) => {
                    conn.close().await.ok();
                    return with_database(&self.admin_url, &name);
                }
                // Left by an earlier run with the same process id on a server given by URL.
                Err(e) if e.to_string().contains("already exists") => continue,
                Err(e) => panic!("CREATE DATABASE {name}: {e}"),
            }
        }
    }
}

/// A new, empty Beacon database of its own on the test binary's PostgreSQL server.
pub struct TempPg {
    pub store: SqlStore,
    /// The database's URL, for running `beacon --db URL`.
    pub url: String,
}

impl TempPg {
    pub async fn new() -> TempPg {
        let url = server().fresh_database().await;
        let store = PostgresStore::open_with(&url, PgPoolOptions::new().max_connections(4))
            .await
            .unwrap_or_else(|e| panic!("a new PostgreSQL database opens: {e}"));
        TempPg { store, url }
    }

    /// The database's connection pool, for tests that read or change the tables directly.
    pub fn pool(&self) -> &sqlx::PgPool {
        self.store
            .pool()
            .postgres()
            .expect("a TempPg is a PostgreSQL database")
    }

    /// A new database with the example council loaded.
    pub async fn with_halton() -> TempPg {
        let db = TempPg::new().await;
        crate::load_files(&db.store, &crate::halton_sources())
            .await
            .unwrap_or_else(|e| panic!("the example council loads:\n{e}"));
        db
    }
}

#[cfg(test)]
mod tests {
    use super::with_database;

    #[test]
    fn the_database_of_a_url_is_replaced() {
        assert_eq!(
            with_database("postgres://b@127.0.0.1:5/postgres", "t1"),
            "postgres://b@127.0.0.1:5/t1"
        );
        assert_eq!(
            with_database("postgres://b@h/postgres?sslmode=disable", "t1"),
            "postgres://b@h/t1?sslmode=disable"
        );
        assert_eq!(with_database("postgres://b@h", "t1"), "postgres://b@h/t1");
    }
}
