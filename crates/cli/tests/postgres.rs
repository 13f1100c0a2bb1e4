//! The `beacon` binary on PostgreSQL, as a user runs it: every command works with
//! `--db postgres://…`; the status listings, stats and exported files of the example council are
//! byte for byte the same from SQLite and PostgreSQL; and `beacon copy` moves a whole database
//! SQLite → PostgreSQL → SQLite with nothing lost, table by table.
//!
//! The PostgreSQL server is the test binary's own throwaway one (`beacon_test_support::postgres`).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
use common::beacon;

use beacon_app::accounts::{self, NewUser, SignIn, UserChange};
use beacon_app::audit::{Actor, AuditNote, verify};
use beacon_app::calendar::CalendarStore;
use beacon_app::mfa::{self, AfterPassword, Confirmed, SecondStep};
use beacon_app::migrate::{GovernanceDump, export_governance};
use beacon_app::notices::Outbox;
use beacon_app::status::{OverrideRequest, set_status};
use beacon_app::{Governance, Store};
use beacon_domain::status::Progress;
use beacon_domain::status::overrides::ItemKind;
use beacon_store_sqlite::SqliteStore;
use beacon_test_support::{TempPg, halton_dir, totp};
use chrono::{DateTime, Duration, TimeZone, Utc};
use sqlx::Row;
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// Runs beacon and returns its standard output, failing the test with its errors if it fails.
fn ok(db: &str, args: &[&str]) -> Vec<u8> {
    let out = beacon(db, args);
    assert!(
        out.status.success(),
        "beacon {args:?} failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).unwrap()
}

/// Every file under `dir`, by path relative to it.
fn files(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<PathBuf, Vec<u8>>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let path = e.unwrap().path();
            if path.is_dir() {
                walk(root, &path, out);
            } else {
                out.insert(
                    path.strip_prefix(root).unwrap().to_path_buf(),
                    std::fs::read(&path).unwrap(),
                );
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

/// The same override, at the same time, on any backend (set through the use case, so the
/// time is ours and not the clock's).
async fn override_one<S: Store>(store: &S) {
    set_status(
        store,
        &"halton".parse().unwrap(),
        OverrideRequest {
            plan: "CED-2012-13".parse().unwrap(),
            kind: ItemKind::Indicator,
            item: "SCS CYP09".parse().unwrap(),
            quarter: "2012/13 Q2".parse().unwrap(),
            chosen: Progress::Amber,
            reason: "Provisional — «awaiting validation»".into(),
            by: "Tracey Coffey".into(),
            at: "2012-10-20T10:00:00Z".parse().unwrap(),
        },
    )
    .await
    .unwrap();
}

/// What each command prints, and what `export` writes, for the example council.
fn everything_shown(db: &str, out: &Path) -> Vec<(String, Vec<u8>)> {
    let mut shown = Vec::new();
    for quarter in ["1", "2", "3", "4"] {
        for json in [true, false] {
            let mut args = vec![
                "status",
                "--council",
                "halton",
                "--year",
                "2012/13",
                "--quarter",
                quarter,
            ];
            if json {
                args.push("--json");
            }
            shown.push((format!("{args:?}"), ok(db, &args)));
        }
    }
    for args in [
        vec![
            "status",
            "--council",
            "halton",
            "--year",
            "2011/12",
            "--quarter",
            "4",
            "--json",
            "--plan",
            "CYPD-2011-14",
        ],
        vec!["stats", "--json"],
        vec!["stats"],
    ] {
        shown.push((format!("{args:?}"), ok(db, &args)));
    }
    // Every report in every format (CSV is a directory of tables).
    let reports = out.join("reports");
    for format in ["html", "json", "csv", "xlsx", "docx", "pdf"] {
        let monitoring = reports.join(format!("monitoring.{format}"));
        ok(
            db,
            &[
                "report",
                "monitoring",
                "--council",
                "halton",
                "--year",
                "2012/13",
                "--quarter",
                "2",
                "--unit",
                "CED",
                "--format",
                format,
                "-o",
                monitoring.to_str().unwrap(),
            ],
        );
        let plan = reports.join(format!("plan.{format}"));
        ok(
            db,
            &[
                "report",
                "plan",
                "--plan",
                "CYPD-2011-14",
                "--format",
                format,
                "-o",
                plan.to_str().unwrap(),
            ],
        );
    }
    for (path, bytes) in files(&reports) {
        shown.push((format!("report: {}", path.display()), bytes));
    }
    let council_dir = out.join("council");
    ok(
        db,
        &[
            "export",
            "council",
            "halton",
            "-o",
            council_dir.to_str().unwrap(),
        ],
    );
    for (path, bytes) in files(&council_dir) {
        shown.push((format!("export council: {}", path.display()), bytes));
    }
    shown
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn status_stats_and_exports_are_byte_identical_from_sqlite_and_postgres() {
    let dir = tempfile::tempdir().unwrap();
    let sqlite = dir.path().join("halton.db");
    let sqlite = sqlite.to_str().unwrap();
    let pg = TempPg::new().await;
    let halton = halton_dir();
    for db in [sqlite, pg.url.as_str()] {
        ok(db, &["init", halton.to_str().unwrap()]);
    }
    override_one(&SqliteStore::open(sqlite).await.unwrap()).await;
    override_one(&pg.store).await;

    let from_sqlite = everything_shown(sqlite, &dir.path().join("sqlite"));
    let from_pg = everything_shown(&pg.url, &dir.path().join("pg"));
    assert_eq!(
        from_sqlite.iter().map(|(what, _)| what).collect::<Vec<_>>(),
        from_pg.iter().map(|(what, _)| what).collect::<Vec<_>>()
    );
    assert!(from_sqlite.len() > 20, "{} outputs", from_sqlite.len());
    for ((what, a), (_, b)) in from_sqlite.iter().zip(&from_pg) {
        assert!(!a.is_empty(), "{what} printed something");
        if a != b {
            let at = a.iter().zip(b.iter()).take_while(|(x, y)| x == y).count();
            let around = |v: &[u8]| {
                let (from, to) = (at.saturating_sub(200), (at + 200).min(v.len()));
                String::from_utf8_lossy(&v[from..to]).into_owned()
            };
            panic!(
                "{what} differs from byte {at} ({} and {} bytes):\n--- sqlite\n{}\n--- postgres\n{}",
                a.len(),
                b.len(),
                around(a),
                around(b)
            );
        }
    }
    // They are real outputs: the override and the values are in them.
    let q2 = text(&from_pg[2].1);
    assert!(q2.contains("Provisional — «awaiting validation»"), "{q2}");
    assert!(q2.contains("\"SCS CYP09\""), "{q2}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_command_works_on_postgres() {
    let pg = TempPg::new().await;
    let db = pg.url.as_str();
    let demo = text(&ok(db, &["demo", "--no-serve"]));
    assert!(demo.contains("Halton Borough Council (halton):"), "{demo}");
    assert!(
        demo.contains("12 objectives, 84 milestones, 96 indicators"),
        "{demo}"
    );
    assert!(text(&ok(db, &["demo", "--no-serve"])).contains("Nothing changed"));

    a_status_is_set_by_hand_and_listed(db);
    let stats: serde_json::Value = serde_json::from_slice(&ok(db, &["stats", "--json"])).unwrap();
    assert_eq!(
        (&stats["plans"], &stats["indicators"], &stats["overrides"]),
        (&4.into(), &157.into(), &1.into())
    );

    a_plan_is_exported_and_a_bad_file_changes_nothing(db, &stats);
    a_quarter_runs_to_publication(db).await;
    serve_answers_from_postgres(db);
}

/// `set-status` and `status` on PostgreSQL.
fn a_status_is_set_by_hand_and_listed(db: &str) {
    let set = text(&ok(
        db,
        &[
            "set-status",
            "--council",
            "halton",
            "--year",
            "2012/13",
            "--quarter",
            "2",
            "--plan",
            "CED-2012-13",
            "--indicator",
            "SCS CYP09",
            "--status",
            "red",
            "--reason",
            "Below the national average",
            "--by",
            "TC",
        ],
    ));
    assert!(set.contains("set by hand to Red"), "{set}");
    let listing = text(&ok(
        db,
        &[
            "status",
            "--council",
            "halton",
            "--year",
            "2012/13",
            "--quarter",
            "2",
        ],
    ));
    assert!(listing.contains("Red (set by hand)"), "{listing}");
}

/// A plan is exported; a bad file changes nothing on PostgreSQL either.
fn a_plan_is_exported_and_a_bad_file_changes_nothing(db: &str, stats: &serde_json::Value) {
    let out = tempfile::tempdir().unwrap();
    let plan_dir = out.path().join("plan");
    ok(
        db,
        &[
            "export",
            "plan",
            "SS-2009-12",
            "-o",
            plan_dir.to_str().unwrap(),
        ],
    );
    assert!(plan_dir.join("ss-2009-12.toml").exists());

    // A bad file changes nothing on PostgreSQL either.
    let bad = out.path().join("bad.toml");
    std::fs::write(&bad, "[council]\nref = \"Halton Council\"\nname = \"x\"\n").unwrap();
    let failed = beacon(db, &["load", bad.to_str().unwrap()]);
    assert!(!failed.status.success());
    assert!(text(&failed.stderr).contains("bad.toml:2: field `ref`"));
    let again: serde_json::Value = serde_json::from_slice(&ok(db, &["stats", "--json"])).unwrap();
    assert_eq!(&again, stats);
}

/// A quarter runs through its life to publication, and again with a note, on PostgreSQL too.
async fn a_quarter_runs_to_publication(db: &str) {
    let step = |command: &str, user: &str, more: &[&str]| {
        let mut args = vec![
            command,
            "--council",
            "halton",
            "--unit",
            "CED",
            "--year",
            "2012/13",
            "--quarter",
            "2",
            "--as",
            user,
        ];
        args.extend_from_slice(more);
        beacon(db, &args)
    };
    for (command, user) in [
        ("submit", "contributor"),
        ("sign-off", "approver"),
        ("publish", "performance"),
    ] {
        let out = step(command, user, &[]);
        assert!(out.status.success(), "{}", text(&out.stderr));
    }
    let again = step("publish", "performance", &[]);
    assert!(!again.status.success());
    assert!(text(&again.stderr).contains("Say what changed since the last publication"));
    let republished = step("publish", "performance", &["--note", "Typo in CED1"]);
    assert!(
        text(&republished.stdout).contains("Published version 2 (SHA-256 "),
        "{}",
        text(&republished.stderr)
    );
    let pg_store = beacon_store_postgres::PostgresStore::open(db)
        .await
        .unwrap();
    let halton: beacon_domain::organisation::CouncilRef = "halton".parse().unwrap();
    let published = pg_store.publications(&halton).await.unwrap();
    assert_eq!(published.len(), 2);
    assert_eq!(published[1].note.as_deref(), Some("Typo in CED1"));
    let pdf = pg_store
        .published_file(
            &halton,
            &"CED".parse().unwrap(),
            "2012/13 Q2".parse().unwrap(),
            2,
            "report.pdf",
        )
        .await
        .unwrap()
        .unwrap();
    assert!(pdf.bytes.starts_with(b"%PDF"));
    ok(db, &["audit", "verify"]);
}

/// `serve` answers from PostgreSQL.
fn serve_answers_from_postgres(db: &str) {
    let mut server = Command::new(env!("CARGO_BIN_EXE_beacon"))
        .args(["--db", db, "serve", "--addr", "127.0.0.1:0"])
        .env_remove("BEACON_DATABASE_URL")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    // Keep the pipe open while the server runs: it writes more lines after the first (the
    // notice scheduler among them), and a closed pipe would end it.
    let mut said = BufReader::new(server.stdout.take().unwrap());
    said.read_line(&mut line).unwrap();
    let addr = line
        .split("http://")
        .nth(1)
        .and_then(|s| s.split('/').next())
        .unwrap_or_else(|| panic!("serve said where: {line}"))
        .to_string();
    let mut conn = std::net::TcpStream::connect(&addr).unwrap();
    write!(
        conn,
        "GET / HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut page = String::new();
    conn.read_to_string(&mut page).unwrap();
    server.kill().unwrap();
    drop(said);
    server.wait().unwrap();
    assert!(page.starts_with("HTTP/1.1 200"), "{page}");
    assert!(page.contains("Halton"), "{page}");
}

#[tokio::test]
async fn a_wrong_postgres_url_is_refused_without_showing_the_password() {
    let out = beacon(
        "postgres://beacon:hunter2@127.0.0.1:1/beacon?connect_timeout=2",
        &["stats"],
    );
    assert!(!out.status.success());
    let err = text(&out.stderr);
    assert!(err.contains("cannot open the PostgreSQL database"), "{err}");
    assert!(err.contains("beacon:***@127.0.0.1:1"), "{err}");
    assert!(!err.contains("hunter2"), "{err}");
}

/// Every row of every table of a SQLite database, each column quoted as SQL, without the
/// surrogate ids (`id` and `*_id`), which only say where a row was put, and without the
/// councils' `revision`, a cache counter that starts again in a new database.
async fn table_dump(path: &str) -> BTreeMap<String, Vec<String>> {
    let store = SqliteStore::open(path).await.unwrap();
    let pool = store.pool().sqlite().unwrap();
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT name FROM sqlite_master WHERE type = 'table'
           AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_sqlx%' ORDER BY name",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    let mut dump = BTreeMap::new();
    for table in tables {
        let columns: Vec<String> = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT name FROM pragma_table_info('{table}')"
        )))
        .fetch_all(pool)
        .await
        .unwrap()
        .iter()
        .map(|r| r.get::<String, _>("name"))
        .filter(|c| c != "id" && !c.ends_with("_id") && c != "revision")
        .collect();
        // A table of nothing but those (the national set's revision counter) has nothing to
        // compare.
        if columns.is_empty() {
            continue;
        }
        let select = columns
            .iter()
            .map(|c| format!("quote(\"{c}\")"))
            .collect::<Vec<_>>()
            .join(" || '|' || ");
        let mut rows: Vec<String> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
            "SELECT {select} FROM \"{table}\""
        )))
        .fetch_all(pool)
        .await
        .unwrap();
        rows.sort();
        dump.insert(table, rows);
    }
    store.pool().close().await;
    dump
}

/// Takes CED's 2012/13 Q2 through its life with the lifecycle commands, as the demo users:
/// submitted, signed off, then published (the report in every format and its open data); and
/// disables the councillor.
async fn sign_off_publish_and_disable(path: &str) {
    for (command, name) in [
        ("submit", "contributor"),
        ("sign-off", "approver"),
        ("publish", "performance"),
    ] {
        ok(
            path,
            &[
                command,
                "--council",
                "halton",
                "--unit",
                "CED",
                "--year",
                "2012/13",
                "--quarter",
                "2",
                "--as",
                name,
            ],
        );
    }
    let store = SqliteStore::open(path).await.unwrap();
    let councillor = store.user_by_name("councillor").await.unwrap().unwrap();
    let by = Actor::new(
        "cli:admin",
        Utc.with_ymd_and_hms(2012, 10, 21, 9, 5, 0).unwrap(),
    );
    store
        .change_user(
            councillor.id,
            &UserChange::Disable,
            &AuditNote {
                at: by.at,
                actor: by.name.clone(),
                council: None,
                entity: "user councillor".into(),
                item: None,
                field: "disabled".into(),
                old: Some("false".into()),
                new: Some("true".into()),
                reason: None,
            },
        )
        .await
        .unwrap();
    store.pool().close().await;
}

/// The password of the demo users.
const DEMO_PASSWORD: &str = "beacon-demo-2012";

/// The performance officer sets Halton's calendar and moves one board meeting; the approver
/// gives an address for notices; a resident subscribes to the council's publications.
fn set_calendar_and_notices(db: &str) {
    let performance = ["--as", "performance"];
    let mut set = vec![
        "calendar",
        "set",
        "--council",
        "halton",
        "--closes-after",
        "10",
    ];
    set.extend(performance);
    ok(db, &set);
    let mut quarter = vec![
        "calendar",
        "quarter",
        "--council",
        "halton",
        "--year",
        "2012/13",
        "--quarter",
        "2",
        "--board",
        "2013-01-03",
    ];
    quarter.extend(performance);
    ok(db, &quarter);
    ok(
        db,
        &[
            "notify",
            "contact",
            "approver",
            "--email",
            "approver@halton.test",
        ],
    );
    ok(
        db,
        &[
            "notify",
            "subscribe",
            "--council",
            "halton",
            "reader@example.test",
        ],
    );
}

/// When the approver turned on multi-factor sign-in on the laptop.
fn mfa_at() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2012, 10, 21, 9, 10, 0).unwrap()
}

/// The approver turns on multi-factor sign-in with a code from their app (computed here from
/// the secret) and uses one recovery code; Halton then requires it of its administrators and
/// performance officers. The secret, the used recovery code and an unused one.
async fn turn_on_mfa(path: &str) -> (String, String, String) {
    let store = SqliteStore::open(path).await.unwrap();
    let approver = store.user_by_name("approver").await.unwrap().unwrap();
    let at = mfa_at();
    let setup = mfa::begin_setup(&store, &approver).await.unwrap();
    let code = totp::code(&setup.secret, at.timestamp());
    let by = Actor::new("approver", at);
    let Confirmed::On { recovery_codes } = mfa::confirm_setup(&store, &approver, &code, &by)
        .await
        .unwrap()
    else {
        panic!("the app's code was refused");
    };
    assert!(
        mfa::use_code(&store, &approver, &recovery_codes[0], at)
            .await
            .unwrap()
    );
    let halton = "halton".parse().unwrap();
    mfa::set_required(&store, &halton, true, &Actor::new("cli:admin", at))
        .await
        .unwrap();
    store.pool().close().await;
    (
        setup.secret,
        recovery_codes[0].clone(),
        recovery_codes[1].clone(),
    )
}

/// The pending sign-in after `username`'s right password: `Code` or `Setup`.
async fn after_password<G: Governance>(
    store: &G,
    username: &str,
    now: DateTime<Utc>,
) -> AfterPassword {
    let SignIn::Ok { session, user, .. } = accounts::sign_in(store, username, DEMO_PASSWORD, now)
        .await
        .unwrap()
    else {
        panic!("{username}'s password is refused");
    };
    mfa::after_password(store, &session, &user, now)
        .await
        .unwrap()
}

/// On a copy, the approver still needs their code after the password: the code used on the
/// laptop (its time step) and the used recovery code are refused, a new code or an unused
/// recovery code signs in. Halton's administrator, who has no app yet, must set one up.
async fn mfa_still_asked<G: Governance>(store: &G, secret: &str, used: &str, unused: &str) {
    // The next 30-second step: the laptop's code is still within the allowed clock skew, so
    // only its recorded use refuses it.
    let now = mfa_at() + Duration::seconds(30);
    let pending = |p: AfterPassword| match p {
        AfterPassword::Code { token } => token,
        other => panic!("the code is not asked for: {other:?}"),
    };
    let token = pending(after_password(store, "approver", now).await);
    let used_step = totp::code(secret, mfa_at().timestamp());
    for refused in [used_step.as_str(), used] {
        let step = mfa::verify_pending(store, &token, refused, now)
            .await
            .unwrap();
        assert!(
            matches!(step, SecondStep::Wrong { .. }),
            "{refused}: {step:?}"
        );
    }
    let fresh = totp::code(secret, now.timestamp());
    let step = mfa::verify_pending(store, &token, &fresh, now)
        .await
        .unwrap();
    assert!(matches!(step, SecondStep::SignedIn { .. }), "{step:?}");
    let token = pending(after_password(store, "approver", now).await);
    let step = mfa::verify_pending(store, &token, unused, now)
        .await
        .unwrap();
    assert!(matches!(step, SecondStep::SignedIn { .. }), "{step:?}");
    assert!(
        matches!(
            after_password(store, "admin", now).await,
            AfterPassword::Setup { .. }
        ),
        "Halton still requires it of its administrator"
    );
}

/// The store's governance, its audit chain verified.
async fn governance<S: Store + Governance + CalendarStore + Outbox>(store: &S) -> GovernanceDump {
    let dump = export_governance(store).await.unwrap();
    let rows = verify(&dump.audit, dump.audit_head.clone())
        .unwrap_or_else(|b| panic!("the audit trail breaks: {b}"));
    assert_eq!(rows, dump.audit.len());
    dump
}

/// A user added through the port after a copy, to see which id the store gives.
fn newcomer() -> (NewUser, AuditNote) {
    let at = Utc.with_ymd_and_hms(2012, 10, 22, 9, 0, 0).unwrap();
    (
        NewUser {
            username: "newcomer".into(),
            display_name: "New Comer".into(),
            password_hash: "$argon2id$hash".into(),
            grants: vec![],
        },
        AuditNote {
            at,
            actor: "cli:admin".into(),
            council: None,
            entity: "user newcomer".into(),
            item: None,
            field: String::new(),
            old: None,
            new: Some("created".into()),
            reason: None,
        },
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn copy_round_trips_sqlite_to_postgres_to_sqlite_with_nothing_lost() {
    let dir = tempfile::tempdir().unwrap();
    let first = dir.path().join("laptop.db");
    let first = first.to_str().unwrap();
    let back = dir.path().join("back.db");
    let back = back.to_str().unwrap();
    ok(first, &["demo", "--no-serve"]);
    ok(
        first,
        &[
            "set-status",
            "--council",
            "halton",
            "--year",
            "2012/13",
            "--quarter",
            "2",
            "--plan",
            "CED-2012-13",
            "--indicator",
            "SCS CYP09",
            "--status",
            "amber",
            "--reason",
            "Provisional",
            "--by",
            "TC",
        ],
    );
    sign_off_publish_and_disable(first).await;
    a_second_version_of_a_plan(first).await;
    let (secret, used, unused) = turn_on_mfa(first).await;
    set_calendar_and_notices(first);
    let pg = TempPg::new().await;

    copied_there_and_back(first, &pg.url, back);
    the_same_council_everywhere(first, back, &pg).await;
    let source = the_same_governance_everywhere(first, back, &pg).await;
    every_table_came_back_row_for_row(first, back, &source).await;
    both_targets_carry_on(back, &pg, &source).await;
    let b = SqliteStore::open(back).await.unwrap();
    // Multi-factor sign-in came along: the second step is still asked for on both targets.
    mfa_still_asked(&pg.store, &secret, &used, &unused).await;
    mfa_still_asked(&b, &secret, &used, &unused).await;
}

/// CED's approved plan changed to its version 2, so that its version 1 is kept beside it.
async fn a_second_version_of_a_plan(first: &str) {
    let store = SqliteStore::open(first).await.unwrap();
    let data = store
        .council_data(&"halton".parse().unwrap())
        .await
        .unwrap()
        .unwrap();
    let mut plan = data.plan("CED-2012-13").unwrap().clone();
    assert_eq!(plan.plan.version, 1);
    plan.plan.version = 2;
    plan.plan.title.push_str(" (revised)");
    let mut changes = beacon_app::CouncilChanges::council_only(&data.council);
    changes.plans.push(plan);
    store
        .apply(&beacon_app::ChangeSet {
            councils: vec![changes],
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(
        store
            .plan_versions(&data.council.reference, &"CED-2012-13".parse().unwrap())
            .await
            .unwrap(),
        [1, 2]
    );
}

/// SQLite to PostgreSQL and back to SQLite, saying what was carried; copying again is refused.
fn copied_there_and_back(first: &str, pg_url: &str, back: &str) {
    let out = beacon("unused.db", &["copy", "--from", first, "--to", pg_url]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let said = text(&out.stdout);
    assert!(said.contains("Copied 1 council from"), "{said}");
    assert!(said.contains("every council reads back the same"), "{said}");
    assert!(said.contains(" rows, chain verified"), "{said}");
    assert!(said.contains("users: 5\n"), "{said}");
    assert!(said.contains("publications: 1\n"), "{said}");
    assert!(
        said.contains("multi-factor sign-in: on for 1 users, required by 1 councils"),
        "{said}"
    );
    // The notices the demo's submission and sign-off wrote, with the calendar, an address and
    // a subscriber set before the copy.
    assert!(
        said.contains("calendars: 1\nnotices: 2 (with 1 addresses and 1 subscribers)"),
        "{said}"
    );
    let said = text(&ok("unused.db", &["copy", "--from", pg_url, "--to", back]));
    assert!(said.contains("Copied 1 council"), "{said}");
    assert!(!Path::new("unused.db").exists(), "copy does not open --db");
    // Copying again is refused: the target holds the council, its users and its trail.
    let again = beacon("unused.db", &["copy", "--from", first, "--to", pg_url]);
    assert!(!again.status.success());
}

/// The three databases hold the same council and the same counts.
async fn the_same_council_everywhere(first: &str, back: &str, pg: &TempPg) {
    let halton = "halton".parse().unwrap();
    let a = SqliteStore::open(first).await.unwrap();
    let b = SqliteStore::open(back).await.unwrap();
    let original = a.council_data(&halton).await.unwrap().unwrap();
    assert_eq!(original.overrides.len(), 1);
    assert_eq!(
        pg.store.council_data(&halton).await.unwrap().as_ref(),
        Some(&original)
    );
    assert_eq!(
        b.council_data(&halton).await.unwrap().as_ref(),
        Some(&original)
    );
    assert_eq!(pg.store.stats().await.unwrap(), a.stats().await.unwrap());
    assert_eq!(b.stats().await.unwrap(), a.stats().await.unwrap());
}

/// The same users (ids, password hashes, grants), quarter states, publications with their
/// files, and audit trail, hash for hash, verifying on every backend. The source's governance.
async fn the_same_governance_everywhere(first: &str, back: &str, pg: &TempPg) -> GovernanceDump {
    let a = SqliteStore::open(first).await.unwrap();
    let b = SqliteStore::open(back).await.unwrap();
    let source = governance(&a).await;
    assert_eq!(source.users.len(), 5);
    assert!(source.users.iter().any(|u| u.disabled));
    assert!(
        source
            .users
            .iter()
            .all(|u| u.password_hash.starts_with("$argon2id$"))
    );
    assert_eq!(source.publications.len(), 1);
    assert_eq!(source.publications[0].files.len(), 8);
    assert_eq!(source.mfa.len(), 1);
    assert_eq!(source.mfa[0].recovery_codes.len(), 10);
    assert_eq!(source.mfa_required.len(), 1);
    assert!(source.quarter_count() >= 1);
    assert!(source.audit.len() > 10, "{} audit rows", source.audit.len());
    let on_pg = governance(&pg.store).await;
    assert_eq!(on_pg, source);
    assert_eq!(governance(&b).await, source);
    let said = text(&ok(first, &["audit", "verify"]));
    assert_eq!(said, text(&ok(&pg.url, &["audit", "verify"])));
    assert_eq!(said, text(&ok(back, &["audit", "verify"])));
    drop((a, b));

    source
}

/// Every table of the SQLite file came back row for row, column for column. The national
/// benchmarking set is shared reference data, not a council's: `beacon copy` copies councils,
/// and the national set is loaded with `beacon national load`. The revocation counter only
/// tells running servers that sessions changed; it is not copied.
async fn every_table_came_back_row_for_row(first: &str, back: &str, source: &GovernanceDump) {
    let councils_only = |dump: BTreeMap<String, Vec<String>>| -> BTreeMap<String, Vec<String>> {
        dump.into_iter()
            .filter(|(t, _)| !t.starts_with("national_") && t != "revocations")
            .collect()
    };
    let before = councils_only(table_dump(first).await);
    let after = councils_only(table_dump(back).await);
    assert!(before.len() >= 32, "{:?}", before.keys());
    for (table, rows) in &before {
        assert_eq!(Some(rows), after.get(table), "table {table}");
    }
    assert_eq!(before, after);
    assert!(before["indicator_measures"].len() > 500);
    assert_eq!(before["status_overrides"].len(), 1);
    assert_eq!(before["users"].len(), 5);
    assert_eq!(before["publication_files"].len(), 8);
    assert_eq!(before["audit"].len(), source.audit.len());
    assert!(before["sessions"].is_empty() && before["sign_in_failures"].is_empty());
    assert_eq!(before["user_mfa"].len(), 1);
    assert_eq!(before["mfa_recovery_codes"].len(), 10);
    assert_eq!(before["council_mfa"].len(), 1);
    assert!(before["mfa_pending"].is_empty());
    assert_eq!(before["council_calendars"].len(), 1);
    assert_eq!(before["calendar_quarters"].len(), 1);
    assert_eq!(before["notice_contacts"].len(), 1);
    assert_eq!(before["notice_subscribers"].len(), 1);
    assert_eq!(before["notices"].len(), 2);
    // Both versions of CED's plan, beside the other approved plans' one each.
    let ced = before["plan_versions"]
        .iter()
        .filter(|r| r.starts_with("'CED-2012-13'|"))
        .count();
    assert_eq!(ced, 2, "{:?}", before["plan_versions"]);
}

/// Both targets carry on: the next user takes the id after the copied ones, and the chain
/// goes on from the copied head.
async fn both_targets_carry_on(back: &str, pg: &TempPg, source: &GovernanceDump) {
    let next = source.users.iter().map(|u| u.id).max().unwrap() + 1;
    let (user, note) = newcomer();
    assert_eq!(pg.store.add_user(&user, &note).await.unwrap(), next);
    let b = SqliteStore::open(back).await.unwrap();
    assert_eq!(b.add_user(&user, &note).await.unwrap(), next);
    for trail in [
        governance(&pg.store).await.audit,
        governance(&b).await.audit,
    ] {
        assert_eq!(trail.len(), source.audit.len() + 1);
        assert_eq!(trail[..source.audit.len()], source.audit[..]);
    }
}

#[tokio::test]
async fn copy_refuses_a_target_that_holds_data_a_missing_source_and_itself() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.db");
    let a = a.to_str().unwrap();
    ok(a, &["demo", "--no-serve"]);
    let pg = TempPg::with_halton().await;
    let before = pg.store.stats().await.unwrap();

    let out = beacon("x.db", &["copy", "--from", a, "--to", &pg.url]);
    assert!(!out.status.success());
    let err = text(&out.stderr);
    assert!(err.contains("already holds a council (halton)"), "{err}");
    assert_eq!(pg.store.stats().await.unwrap(), before);

    let missing = dir.path().join("missing.db");
    let out = beacon(
        "x.db",
        &["copy", "--from", missing.to_str().unwrap(), "--to", &pg.url],
    );
    assert!(text(&out.stderr).contains("no such database file"));
    assert!(!missing.exists(), "a missing source is not created");

    let out = beacon("x.db", &["copy", "--from", a, "--to", a]);
    assert!(text(&out.stderr).contains("the same database"));

    // A target with no council but a user (and so an audit trail) is refused too, unchanged.
    let users_only = dir.path().join("users-only.db");
    let users_only = users_only.to_str().unwrap();
    let store = SqliteStore::open(users_only).await.unwrap();
    let (user, note) = newcomer();
    store.add_user(&user, &note).await.unwrap();
    let out = beacon("x.db", &["copy", "--from", a, "--to", users_only]);
    assert!(!out.status.success());
    let err = text(&out.stderr);
    assert!(
        err.contains("already holds users or an audit trail (1 users, 1 audit rows)"),
        "{err}"
    );
    assert!(store.councils().await.unwrap().is_empty());
    assert_eq!(store.audit_trail().await.unwrap().0.len(), 1);
}

/// The backup and restore test of docs/deployment.md: a `pg_dump` of a live database, restored
/// with `pg_restore` into a new one, reads back the same in every output.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pg_dump_backup_restores_to_the_same_beacon() {
    let live = TempPg::with_halton().await;
    override_one(&live.store).await;
    let dir = tempfile::tempdir().unwrap();
    let dump = dir.path().join("beacon.dump");
    let run = |program: &str, args: &[&str]| {
        let out = Command::new(beacon_test_support::postgres::program(program))
            .args(args)
            .output()
            .unwrap_or_else(|e| panic!("{program}: {e}"));
        assert!(
            out.status.success(),
            "{program} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    run(
        "pg_dump",
        &[
            "--format=custom",
            "--file",
            dump.to_str().unwrap(),
            "--dbname",
            &live.url,
        ],
    );
    let restored = beacon_test_support::postgres::server()
        .fresh_database()
        .await;
    run(
        "pg_restore",
        &["--no-owner", "--dbname", &restored, dump.to_str().unwrap()],
    );
    let a = everything_shown(&live.url, &dir.path().join("live"));
    let b = everything_shown(&restored, &dir.path().join("restored"));
    assert_eq!(a, b);
    assert!(text(&b[2].1).contains("awaiting validation"));
    // The restored database takes new writes: its migrations and identity columns came along.
    override_one(
        &beacon_store_postgres::PostgresStore::open(&restored)
            .await
            .unwrap(),
    )
    .await;
    let q3 = dir.path().join("ced-2012-13-q3.toml");
    let q2_text =
        std::fs::read_to_string(halton_dir().join("quarters/ced-2012-13-q2.toml")).unwrap();
    std::fs::write(&q3, q2_text.replace("\"2012/13 Q2\"", "\"2012/13 Q3\"")).unwrap();
    let loaded = text(&ok(&restored, &["load", q3.to_str().unwrap()]));
    assert!(loaded.contains("quarter CED 2012/13 Q3"), "{loaded}");
}

/// The test server's URL for another database (or user) than `url`'s.
fn url_with(url: &str, user: Option<&str>, database: &str) -> String {
    let rest = url.strip_prefix("postgres://").unwrap();
    let (authority, _) = rest.split_once('/').unwrap();
    let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    match user {
        Some(u) => format!("postgres://{u}@{host}/{database}"),
        None => format!("postgres://{host}/{database}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_missing_database_is_named_without_the_servers_source_line() {
    let pg = TempPg::new().await;
    let out = beacon(url_with(&pg.url, Some("beacon"), "no_such_db"), &["stats"]);
    assert!(!out.status.success());
    let err = text(&out.stderr);
    assert!(
        err.contains("database \"no_such_db\" does not exist"),
        "{err}"
    );
    assert!(!err.contains(" at line "), "{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_url_without_a_user_connects_as_the_operating_system_user() {
    let pg = TempPg::with_halton().await;
    let os_user = beacon_store_postgres::os_user().unwrap();
    assert!(
        os_user
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_')
    );
    // The role of the OS user's name, as `createuser` makes it for peer authentication.
    let exists: bool =
        sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $1)")
            .bind(&os_user)
            .fetch_one(pg.pool())
            .await
            .unwrap();
    if !exists {
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "CREATE ROLE \"{os_user}\" LOGIN"
        )))
        .execute(pg.pool())
        .await
        .ok();
    }
    let database = pg.url.rsplit('/').next().unwrap().to_string();
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "GRANT SELECT ON ALL TABLES IN SCHEMA public TO \"{os_user}\""
    )))
    .execute(pg.pool())
    .await
    .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_beacon"))
        .args([
            "--db",
            &url_with(&pg.url, None, &database),
            "stats",
            "--json",
        ])
        .env_remove("BEACON_DATABASE_URL")
        .env_remove("PGUSER")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stats: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(stats["councils"], 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_role_that_may_only_read_and_write_rows_runs_beacon_on_an_up_to_date_database() {
    let pg = TempPg::with_halton().await;
    let role = format!("dml_{}", std::process::id());
    for sql in [
        format!("CREATE ROLE {role} LOGIN"),
        format!("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}"),
        format!("GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {role}"),
        format!("REVOKE CREATE ON SCHEMA public FROM {role}"),
    ] {
        sqlx::query(sqlx::AssertSqlSafe(sql))
            .execute(pg.pool())
            .await
            .unwrap();
    }
    let database = pg.url.rsplit('/').next().unwrap().to_string();
    let url = url_with(&pg.url, Some(&role), &database);
    let out = beacon(&url, &["stats", "--json"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("schema up to date"),
        "{}",
        text(&out.stderr)
    );
    ok(&url, &["audit", "verify"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn backup_and_restore_verify_on_postgres_compare_every_table() {
    let pg = TempPg::with_halton().await;
    ok(
        &pg.url,
        &[
            "user",
            "add",
            "ada",
            "--name",
            "Ada",
            "--role",
            "administrator",
            "--council",
            "halton",
        ],
    );
    let dir = tempfile::tempdir().unwrap();
    let dump = dir.path().join("b.dump");
    let dump_s = dump.to_str().unwrap();
    let said = text(&ok(&pg.url, &["backup", "--to", dump_s]));
    assert!(said.contains("mode 0600"), "{said}");
    use std::os::unix::fs::PermissionsExt;
    for f in [dump.clone(), dir.path().join("b.dump.manifest.json")] {
        assert_eq!(
            std::fs::metadata(&f).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }
    let target = beacon_test_support::postgres::server()
        .fresh_database()
        .await;
    let restored = text(&ok(&target, &["restore", "--from", dump_s, "--verify"]));
    assert!(restored.contains("Verified:"), "{restored}");
    ok(&target, &["audit", "verify"]);
    // Restoring into a database that is not empty changes nothing and says so.
    let again = beacon(&target, &["restore", "--from", dump_s]);
    assert!(!again.status.success());
    assert!(
        text(&again.stderr).contains("must be an empty database"),
        "{}",
        text(&again.stderr)
    );
}
