//! `beacon restore --from FILE [--verify]`: puts a backup made by `beacon backup` into `--db`,
//! brings its schema up to date (so restoring an older backup is also an upgrade), and with
//! `--verify` checks it against the backup's manifest: every table's row count, the audit
//! trail's chain and head, every publication's files against their content hash. Any
//! difference is named and the command fails.
//!
//! A SQLite target must not exist (the backup is copied into a new file, mode 0600); a
//! PostgreSQL target must exist and be empty (`createdb`), and is filled by `pg_restore` in
//! one transaction.

use super::backup::{manifest, manifest_path, pg_command, private_file, run_tool};
use crate::store::{check_scheme, sqlite_path};
use serde_json::Value;
use std::path::Path;

pub async fn run(db: &str, from: &Path, verify: bool) -> Result<(), String> {
    check_scheme(db)?;
    let shown = crate::store::describe(db);
    if !from.is_file() {
        return Err(format!("--from {}: no such backup file", from.display()));
    }
    let expected = if verify {
        let path = manifest_path(from);
        let text = std::fs::read_to_string(&path).map_err(|e| {
            format!(
                "--verify needs the backup's manifest {}: {e}",
                path.display()
            )
        })?;
        Some(
            serde_json::from_str::<Value>(&text)
                .map_err(|e| format!("{}: not a manifest: {e}", path.display()))?,
        )
    } else {
        None
    };
    if beacon_store_postgres::is_postgres_url(db) {
        let mut cmd = pg_command("pg_restore", db)?;
        cmd.args(["--exit-on-error", "--single-transaction", "--no-owner"])
            .arg(from);
        run_tool("pg_restore", &mut cmd).map_err(|e| {
            format!(
                "{e}\nNothing was restored into {shown}; it must be an empty database (createdb)"
            )
        })?;
    } else {
        let target = sqlite_path(db);
        let mut out = private_file(target).map_err(|e| {
            format!("--db {shown}: {e} (restore writes a new file; it never overwrites one)")
        })?;
        let copied = std::fs::File::open(from).and_then(|mut f| std::io::copy(&mut f, &mut out));
        if let Err(e) = copied {
            let _ = std::fs::remove_file(target);
            return Err(format!("copying {} to {shown}: {e}", from.display()));
        }
    }
    let (store, applied) = crate::store::open_reporting(db, false).await?;
    println!(
        "Restored {} into {shown}{}.",
        from.display(),
        if applied.is_empty() {
            String::new()
        } else {
            format!("; applied migrations {}", applied.join(", "))
        }
    );
    if let Some(expected) = expected {
        let got = manifest(&store).await?;
        let differences = compare(&expected, &got);
        if !differences.is_empty() {
            return Err(format!(
                "the restored database {shown} is not the backup:\n  {}",
                differences.join("\n  ")
            ));
        }
        println!(
            "Verified: {} tables with the same row counts, the audit trail's {} rows chained to the same head, {} publications whose files match their content hashes.",
            expected["tables"].as_object().map_or(0, |t| t.len()),
            got["audit_rows"],
            got["publications"].as_array().map_or(0, Vec::len)
        );
    }
    store.close().await.map_err(|e| e.to_string())
}

/// Every way the restored database's manifest differs from the backup's.
fn compare(want: &Value, got: &Value) -> Vec<String> {
    let mut out = Vec::new();
    let empty = serde_json::Map::new();
    let got_tables = got["tables"].as_object().unwrap_or(&empty);
    for (table, n) in want["tables"].as_object().unwrap_or(&empty) {
        match got_tables.get(table) {
            None => out.push(format!("table {table} is missing")),
            Some(m) if m != n => out.push(format!("table {table} has {m} rows, the backup {n}")),
            Some(_) => {}
        }
    }
    for key in ["audit_rows", "audit_head"] {
        if want[key] != got[key] {
            out.push(format!("{key} is {}, the backup's {}", got[key], want[key]));
        }
    }
    if want["publications"] != got["publications"] {
        out.push(format!(
            "the publications differ: {} in the backup, {} restored",
            want["publications"].as_array().map_or(0, Vec::len),
            got["publications"].as_array().map_or(0, Vec::len)
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::compare;
    use serde_json::json;

    #[test]
    fn every_difference_is_named() {
        let want = json!({"tables": {"councils": 1, "users": 5}, "audit_rows": 9,
            "audit_head": [9, "ab"], "publications": [{"version": 1}]});
        let got = json!({"tables": {"councils": 1}, "audit_rows": 8,
            "audit_head": [8, "cd"], "publications": []});
        let d = compare(&want, &got);
        assert_eq!(d.len(), 4, "{d:?}");
        assert!(d[0].contains("users is missing"));
        assert!(compare(&want, &want).is_empty());
    }
}
