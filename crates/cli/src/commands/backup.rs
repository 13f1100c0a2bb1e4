//! `beacon backup --to FILE`: the whole database in one new file that only its owner can read
//! (it holds every password hash), with a manifest beside it (`FILE.manifest.json`) that
//! `beacon restore --verify` checks a restored database against.
//!
//! SQLite is copied with `VACUUM INTO`: one consistent, self-contained file. PostgreSQL is
//! dumped by `pg_dump --format=custom` (the PostgreSQL client programs, from
//! `$BEACON_PG_BINDIR` or the PATH), with the password, if any, passed in its environment, not
//! on its command line.

use crate::store::AnyStore;
use beacon_app::migrate::export_governance;
use beacon_app::publication::content_hash;
use beacon_store_sql::Pool;
use beacon_store_sqlite::SqliteStore;
use serde_json::{Value, json};
use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

/// Tables that change by the second on a live service and are not compared: sessions and
/// failed sign-ins (everyone signs in again after a restore anyway), and the migrations'
/// own record (a restore may upgrade the schema).
const NOT_COMPARED: [&str; 3] = ["sessions", "sign_in_failures", "_sqlx_migrations"];

pub async fn run(store: &AnyStore, db: &str, to: &Path) -> Result<(), String> {
    let manifest_path = manifest_path(to);
    for p in [to, manifest_path.as_path()] {
        if p.exists() {
            return Err(format!(
                "--to {}: the file exists; a backup never overwrites one",
                p.display()
            ));
        }
    }
    let result = write_backup(store, db, to).await;
    let manifest = match result {
        Ok(m) => m,
        Err(e) => {
            // Leave no half-written backup behind to be mistaken for a good one.
            let _ = std::fs::remove_file(to);
            return Err(e);
        }
    };
    let text = serde_json::to_string_pretty(&manifest).map_err(|e| e.to_string())?;
    private_file(&manifest_path)
        .and_then(|mut f| f.write_all(text.as_bytes()).map_err(|e| e.to_string()))
        .map_err(|e| format!("{}: {e}", manifest_path.display()))?;
    let rows: i64 = manifest["tables"]
        .as_object()
        .map(|t| t.values().filter_map(Value::as_i64).sum())
        .unwrap_or(0);
    println!(
        "Backed up {} to {} (mode 0600): {} tables, {rows} rows, {} audit rows, {} publications.\n\
         Manifest: {} (for `beacon restore --verify`).",
        crate::store::describe(db),
        to.display(),
        manifest["tables"].as_object().map_or(0, |t| t.len()),
        manifest["audit_rows"],
        manifest["publications"].as_array().map_or(0, Vec::len),
        manifest_path.display()
    );
    Ok(())
}

/// Writes the backup and answers its manifest.
async fn write_backup(store: &AnyStore, db: &str, to: &Path) -> Result<Value, String> {
    // Created empty, readable by the owner only, before anything is written into it.
    drop(private_file(to).map_err(|e| format!("--to {}: {e}", to.display()))?);
    match store.pool() {
        Pool::Sqlite(_) => {
            SqliteStore::vacuum_into(store, to)
                .await
                .map_err(|e| e.to_string())?;
            // The manifest is read from the copy itself.
            let copy = crate::store::open_reporting(&to.to_string_lossy(), false)
                .await?
                .0;
            let m = manifest(&copy).await;
            copy.close().await.map_err(|e| e.to_string())?;
            m
        }
        Pool::Postgres(_) => {
            // pg_dump reads one snapshot; the manifest is read before and after it, and the
            // two must agree, so that it describes the dump.
            let before = manifest(store).await?;
            pg_dump(db, to)?;
            let after = manifest(store).await?;
            if before != after {
                return Err(
                    "the database changed while it was being dumped, so the manifest could not \
                     be checked against the dump; nothing was kept. Run the backup again (or \
                     with the service stopped)"
                        .to_string(),
                );
            }
            Ok(after)
        }
    }
}

/// What `restore --verify` checks: every table's row count, the audit trail's length and
/// head (after checking that its chain holds), and every publication with its content hash
/// (after checking its files against it).
pub async fn manifest(store: &AnyStore) -> Result<Value, String> {
    let tables: serde_json::Map<String, Value> = store
        .table_counts()
        .await
        .map_err(|e| e.to_string())?
        .into_iter()
        .filter(|(t, _)| !NOT_COMPARED.contains(&t.as_str()))
        .map(|(t, n)| (t, json!(n)))
        .collect();
    let gov = export_governance(store)
        .await
        .map_err(|e| format!("reading the governance tables: {e}"))?;
    let rows = beacon_app::audit::verify(&gov.audit, gov.audit_head.clone())
        .map_err(|b| format!("the audit trail is broken at row {}: {}", b.seq, b.why))?;
    let mut publications = Vec::new();
    for p in &gov.publications {
        let m = &p.meta;
        if content_hash(&p.files) != m.content_hash {
            return Err(format!(
                "the files of publication {} {} {} version {} do not match their content hash",
                m.council, m.unit, m.quarter, m.version
            ));
        }
        publications.push(json!({
            "council": m.council.to_string(),
            "unit": m.unit.to_string(),
            "quarter": m.quarter.to_string(),
            "version": m.version,
            "content_hash": m.content_hash,
            "files": p.files.len(),
        }));
    }
    Ok(json!({
        "format": "beacon-backup-manifest/1",
        "beacon": env!("CARGO_PKG_VERSION"),
        "tables": tables,
        "audit_rows": rows,
        "audit_head": gov.audit_head,
        "publications": publications,
    }))
}

/// Where a backup's manifest is kept.
pub fn manifest_path(backup: &Path) -> PathBuf {
    let mut name = backup.as_os_str().to_owned();
    name.push(".manifest.json");
    PathBuf::from(name)
}

/// A new file only its owner can read and write; refuses to replace one.
pub fn private_file(path: &Path) -> Result<std::fs::File, String> {
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
        .map_err(|e| e.to_string())
}

/// A PostgreSQL client program: from `$BEACON_PG_BINDIR` when set, else the PATH.
pub fn pg_program(name: &str) -> PathBuf {
    std::env::var_os("BEACON_PG_BINDIR")
        .map(|d| Path::new(&d).join(name))
        .filter(|p| p.exists())
        .unwrap_or_else(|| PathBuf::from(name))
}

/// Runs a PostgreSQL client program against the database at `db`: the URL as libpq reads it
/// (sqlx's own parameters left out), without its password, which goes in `PGPASSWORD`.
pub fn pg_command(program: &str, db: &str) -> Result<std::process::Command, String> {
    let shown = crate::store::describe(db);
    let with_user = beacon_store_postgres::with_user(
        db,
        std::env::var("PGUSER").ok(),
        beacon_store_postgres::os_user(),
    )?;
    let mut url = url::Url::parse(&with_user).map_err(|e| format!("{shown}: {e}"))?;
    let password = url.password().map(|p| {
        percent_encoding::percent_decode_str(p)
            .decode_utf8_lossy()
            .into_owned()
    });
    let _ = url.set_password(None);
    const LIBPQ: [&str; 10] = [
        "host",
        "hostaddr",
        "port",
        "dbname",
        "user",
        "sslmode",
        "sslrootcert",
        "sslcert",
        "sslkey",
        "options",
    ];
    let mut query_password = None;
    let kept: Vec<(String, String)> = url
        .query_pairs()
        .filter_map(|(k, v)| {
            if k == "password" {
                query_password = Some(v.into_owned());
                return None;
            }
            LIBPQ
                .contains(&k.as_ref())
                .then(|| (k.into_owned(), v.into_owned()))
        })
        .collect();
    url.set_query(None);
    if !kept.is_empty() {
        url.query_pairs_mut().extend_pairs(kept);
    }
    let mut cmd = std::process::Command::new(pg_program(program));
    cmd.arg(format!("--dbname={url}"));
    if let Some(p) = password.or(query_password) {
        cmd.env("PGPASSWORD", p);
    }
    Ok(cmd)
}

/// Dumps the database into `to` (already created, mode 0600) in pg_dump's custom format.
fn pg_dump(db: &str, to: &Path) -> Result<(), String> {
    let mut cmd = pg_command("pg_dump", db)?;
    cmd.arg("--format=custom")
        .arg(format!("--file={}", to.display()));
    run_tool("pg_dump", &mut cmd)
}

/// Runs a client program, answering its standard error when it fails.
pub fn run_tool(name: &str, cmd: &mut std::process::Command) -> Result<(), String> {
    let out = cmd.output().map_err(|e| {
        format!(
            "cannot run {name}: {e}. Install the PostgreSQL client programs \
             (apt-get install postgresql-client) or set BEACON_PG_BINDIR"
        )
    })?;
    if out.status.success() {
        return Ok(());
    }
    Err(format!(
        "{name} failed: {}",
        String::from_utf8_lossy(&out.stderr).trim()
    ))
}
