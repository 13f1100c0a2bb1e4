//! Users and the audit trail from the command line: `beacon demo` makes one user per role and
//! says how to sign in; `beacon user add|disable|enable|reset|list`; `beacon audit verify`
//! passes on an honest database and names the first broken row of a tampered one (a value
//! edited, a row deleted, rows reordered, the last rows cut off).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
use common::{beacon, text};

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

fn beacon_with_stdin(db: &Path, args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_beacon"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env_remove("BEACON_DATABASE_URL")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

/// A demo database, verified honest.
fn demo(dir: &Path) -> std::path::PathBuf {
    let db = dir.join("demo.db");
    let out = beacon(&db, &["demo", "--no-serve"]);
    assert!(out.status.success(), "{}", text(&out));
    db
}

#[test]
fn demo_users_and_user_commands() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.db");
    let out = beacon(&db, &["demo", "--no-serve"]);
    let shown = text(&out);
    assert!(
        shown.contains("Demo users (password beacon-demo-2012); sign in at /sign-in"),
        "{shown}"
    );
    for line in [
        "admin        Administrator",
        "performance  Performance officer",
        "contributor  Contributor of CED",
        "approver     Approver of CED",
        "councillor   Councillor",
    ] {
        assert!(shown.contains(line), "{line:?} in {shown}");
    }
    // Running the demo again keeps the users it made.
    assert!(beacon(&db, &["demo", "--no-serve"]).status.success());

    a_user_is_added_and_refused_twice(&db);
    a_user_is_disabled_and_enabled_again(&db);
    roles_are_granted_and_revoked_across_councils(&db);
    // Every one of those changes is in the trail, and the trail holds.
    let out = beacon(&db, &["audit", "verify"]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(
        text(&out).contains("The audit trail holds")
            && text(&out).contains("Its last row is")
            && text(&out).contains("keep this outside Beacon"),
        "{}",
        text(&out)
    );
}

/// A user added with a generated password; the same name again, or a role that is not one, is
/// refused; a password too short is refused and a good one taken without printing it.
fn a_user_is_added_and_refused_twice(db: &Path) {
    let out = beacon(
        db,
        &[
            "user",
            "add",
            "jo.bloggs",
            "--name",
            "Jo Bloggs",
            "--role",
            "contributor",
            "--council",
            "halton",
            "--unit",
            "CED-LAD",
        ],
    );
    assert!(out.status.success(), "{}", text(&out));
    let shown = text(&out);
    assert!(shown.contains("Added jo.bloggs (Jo Bloggs): contributor of CED-LAD in halton."));
    let password = shown
        .lines()
        .find_map(|l| l.strip_prefix("Password: "))
        .unwrap();
    assert_eq!(password.len(), 20, "a generated password");

    let out = beacon(
        db,
        &[
            "user",
            "add",
            "jo.bloggs",
            "--name",
            "J",
            "--role",
            "councillor",
            "--council",
            "halton",
        ],
    );
    assert!(!out.status.success());
    assert!(
        text(&out).contains("There is already a user called jo.bloggs"),
        "{}",
        text(&out)
    );
    let out = beacon(
        db,
        &[
            "user",
            "add",
            "x",
            "--name",
            "X",
            "--role",
            "mayor",
            "--council",
            "halton",
        ],
    );
    assert!(!out.status.success());
    assert!(
        text(&out).contains("\"mayor\" is not a role"),
        "{}",
        text(&out)
    );
    let out = beacon_with_stdin(
        db,
        &["user", "reset", "jo.bloggs", "--password-stdin"],
        "short\n",
    );
    assert!(!out.status.success());
    assert!(
        text(&out).contains("at least 12 characters"),
        "{}",
        text(&out)
    );
    let out = beacon_with_stdin(
        db,
        &["user", "reset", "jo.bloggs", "--password-stdin"],
        "a much longer passphrase\n",
    );
    assert!(out.status.success(), "{}", text(&out));
    assert!(
        !text(&out).contains("Password:"),
        "a password given is not printed"
    );
}

/// A user is disabled and enabled again; an unknown user is named.
fn a_user_is_disabled_and_enabled_again(db: &Path) {
    assert!(
        beacon(db, &["user", "disable", "jo.bloggs"])
            .status
            .success()
    );
    let list = text(&beacon(db, &["user", "list"]));
    assert!(
        list.contains("jo.bloggs") && list.contains("(disabled)"),
        "{list}"
    );
    assert!(
        beacon(db, &["user", "enable", "jo.bloggs"])
            .status
            .success()
    );
    assert!(!text(&beacon(db, &["user", "list"])).contains("(disabled)"));
    let out = beacon(db, &["user", "disable", "nobody"]);
    assert!(!out.status.success());
    assert!(text(&out).contains("There is no user \"nobody\""));
}

/// Roles given and taken away, for someone who works for more than one council. A council the
/// database does not hold is refused by name; a second council is loaded first.
fn roles_are_granted_and_revoked_across_councils(db: &Path) {
    let out = beacon(
        db,
        &[
            "user",
            "grant",
            "jo.bloggs",
            "--role",
            "councillor",
            "--council",
            "knowsley",
        ],
    );
    assert!(!out.status.success());
    assert!(
        text(&out).contains("there is no such council"),
        "{}",
        text(&out)
    );
    let knowsley = db.with_file_name("knowsley.toml");
    std::fs::write(
        &knowsley,
        "[council]\nref = \"knowsley\"\nname = \"Knowsley Council\"\n\n[[units]]\nref = \"CX\"\nname = \"Chief Executive's\"\nkind = \"directorate\"\n",
    )
    .unwrap();
    let out = beacon(db, &["load", knowsley.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out));
    let out = beacon(
        db,
        &[
            "user",
            "grant",
            "jo.bloggs",
            "--role",
            "councillor",
            "--council",
            "knowsley",
        ],
    );
    assert!(out.status.success(), "{}", text(&out));
    let list = text(&beacon(db, &["user", "list"]));
    let jo = list.lines().find(|l| l.starts_with("jo.bloggs")).unwrap();
    assert!(
        jo.contains("contributor of CED-LAD in halton; councillor of knowsley"),
        "{jo}"
    );
    let again = beacon(
        db,
        &[
            "user",
            "grant",
            "jo.bloggs",
            "--role",
            "councillor",
            "--council",
            "knowsley",
        ],
    );
    assert!(!again.status.success());
    assert!(text(&again).contains("already has that role"));
    let out = beacon(db, &["user", "revoke", "jo.bloggs", "--council", "halton"]);
    assert!(out.status.success(), "{}", text(&out));
    let list = text(&beacon(db, &["user", "list"]));
    let jo = list.lines().find(|l| l.starts_with("jo.bloggs")).unwrap();
    assert!(
        jo.contains("councillor of knowsley") && !jo.contains("halton"),
        "{jo}"
    );
    let none = beacon(db, &["user", "revoke", "jo.bloggs", "--council", "halton"]);
    assert!(!none.status.success());
    assert!(text(&none).contains("jo.bloggs has no such role on halton"));
}

/// Runs SQL on the database file, as someone with the file could (dropping the append-only
/// triggers first).
fn tamper(db: &Path, sql: &'static str) {
    let rt = tokio_runtime();
    rt.block_on(async {
        use sqlx::Connection;
        let mut conn = sqlx::SqliteConnection::connect(&format!("sqlite://{}", db.display()))
            .await
            .unwrap();
        for s in [
            "DROP TRIGGER IF EXISTS audit_is_append_only",
            "DROP TRIGGER IF EXISTS audit_rows_are_kept",
            sql,
        ] {
            sqlx::raw_sql(s).execute(&mut conn).await.unwrap();
        }
        conn.close().await.unwrap();
    });
}

fn tokio_runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

#[test]
fn audit_verify_names_the_first_broken_row_of_a_tampered_trail() {
    let dir = tempfile::tempdir().unwrap();
    let honest = demo(dir.path());
    let out = beacon(&honest, &["audit", "verify"]);
    assert!(out.status.success(), "{}", text(&out));
    let cases = [
        (
            "a value edited",
            "UPDATE audit SET new_value = 'tampered' WHERE seq = 3",
            "audit trail is broken at row 3: its content does not match its hash",
        ),
        (
            "a row deleted",
            "DELETE FROM audit WHERE seq = 4",
            "audit trail is broken at row 5: expected row 4 here",
        ),
        (
            "two rows swapped",
            "UPDATE audit SET seq = -1 WHERE seq = 2; UPDATE audit SET seq = 2 WHERE seq = 3; UPDATE audit SET seq = 3 WHERE seq = -1",
            "audit trail is broken at row 2:",
        ),
        (
            "the last row cut off",
            "DELETE FROM audit WHERE seq = (SELECT max(seq) FROM audit)",
            "rows were removed from its end",
        ),
        (
            "a row's content and hash rewritten together",
            "UPDATE audit SET actor = 'someone else', hash = 'ff' || substr(hash, 3) WHERE seq = 2",
            "audit trail is broken at row 2",
        ),
    ];
    for (what, sql, expected) in cases {
        let db = dir.path().join(format!("{}.db", what.replace(' ', "-")));
        std::fs::copy(&honest, &db).unwrap();
        for suffix in ["-wal", "-shm"] {
            let from = honest.with_extension(format!("db{suffix}"));
            if from.exists() {
                std::fs::copy(&from, db.with_extension(format!("db{suffix}"))).unwrap();
            }
        }
        tamper(&db, sql);
        let out = beacon(&db, &["audit", "verify"]);
        assert!(!out.status.success(), "{what} was not caught");
        assert!(text(&out).contains(expected), "{what}: {}", text(&out));
    }
}
