//! A quarter run headless: `beacon submit`, `sign-off`, `send-back --reason`, `reopen
//! --reason` and `publish` take CED's 2012/13 Q2 through its life on the demo database as the
//! demo users, through the same use case as the sign-off page. Each step checks the user's
//! role, the state and the reason; publishing freezes the report in every format and the
//! unit's open data, and a second publication needs a note. The trail verifies after it all.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
use common::{beacon, text};

use beacon_app::Governance;
use beacon_app::publication::{PublicationMeta, content_hash};
use beacon_domain::Ref;
use beacon_domain::organisation::CouncilRef;
use beacon_domain::period::Quarter;
use beacon_store_sql::SqlStore;
use beacon_store_sqlite::SqliteStore;
use std::path::Path;

/// Takes a step on CED 2012/13 Q2 as `user`, with more arguments; its output and success.
fn step(db: &Path, command: &str, user: &str, more: &[&str]) -> (bool, String) {
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
    let out = beacon(db, &args);
    (out.status.success(), text(&out))
}

fn ok(db: &Path, command: &str, user: &str, more: &[&str]) -> String {
    let (success, said) = step(db, command, user, more);
    assert!(success, "beacon {command} as {user} failed: {said}");
    said
}

fn refused(db: &Path, command: &str, user: &str, more: &[&str]) -> String {
    let (success, said) = step(db, command, user, more);
    assert!(
        !success,
        "beacon {command} as {user} should be refused: {said}"
    );
    said
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_quarter_is_run_from_the_command_line_to_publication_and_republication() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.db");
    let out = beacon(&db, &["demo", "--no-serve"]);
    assert!(out.status.success(), "{}", text(&out));

    steps_are_refused_to_the_wrong_roles_then_signed_off(&db);
    published_then_published_again_with_a_note(&db);
    let store = SqliteStore::open(db.to_str().unwrap()).await.unwrap();
    let second = two_versions_are_stored(&store).await;
    the_second_version_is_frozen_whole(&store, &second).await;
    the_status_and_trail_say_who_did_what(&store).await;
    let verify = beacon(&db, &["audit", "verify"]);
    assert!(verify.status.success(), "{}", text(&verify));
}

/// Who may take which step is the roles', as on the page; sending back needs a reason; signed
/// off, the quarter refuses set-status.
fn steps_are_refused_to_the_wrong_roles_then_signed_off(db: &Path) {
    let said = refused(db, "submit", "councillor", &[]);
    assert!(
        said.contains("You cannot submit for sign-off quarters of CED"),
        "{said}"
    );
    let said = refused(db, "submit", "nobody", &[]);
    assert!(said.contains("--as: There is no user \"nobody\""), "{said}");
    let said = refused(db, "sign-off", "approver", &[]);
    assert!(
        said.contains("CED 2012/13 Q2 is open: it cannot be signed off"),
        "{said}"
    );

    let said = ok(db, "submit", "contributor", &[]);
    assert!(
        said.contains("halton CED 2012/13 Q2: submitted by contributor (version 2)."),
        "{said}"
    );
    // Sending back needs a reason: clap asks for it, and a blank one is refused.
    let said = refused(db, "send-back", "approver", &[]);
    assert!(said.contains("--reason <REASON>"), "{said}");
    let said = refused(db, "send-back", "approver", &["--reason", "  "]);
    assert!(
        said.contains("Give a reason for sending the quarter back"),
        "{said}"
    );
    let said = ok(
        db,
        "send-back",
        "approver",
        &["--reason", "NI075 needs its commentary"],
    );
    assert!(said.contains("open by approver (version 3)"), "{said}");
    ok(db, "submit", "contributor", &[]);
    let said = refused(db, "publish", "performance", &[]);
    assert!(
        said.contains("is submitted: it cannot be published"),
        "{said}"
    );
    let said = refused(db, "sign-off", "contributor", &[]);
    assert!(
        said.contains("You cannot sign off quarters of CED"),
        "{said}"
    );
    ok(db, "sign-off", "approver", &[]);
    // Signed off, the quarter is locked: set-status is refused.
    let set = beacon(
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
    );
    assert!(!set.status.success(), "{}", text(&set));
}

/// Published as version 1; publishing again needs a note saying what changed; reopened,
/// corrected and published as version 2.
fn published_then_published_again_with_a_note(db: &Path) {
    let said = ok(db, "publish", "performance", &[]);
    assert!(
        said.contains("published by performance (version 6)"),
        "{said}"
    );
    assert!(said.contains("Published version 1 (SHA-256 "), "{said}");
    // Publishing again needs a note saying what changed.
    let said = refused(db, "publish", "performance", &[]);
    assert!(
        said.contains("Say what changed since the last publication"),
        "{said}"
    );
    ok(
        db,
        "reopen",
        "approver",
        &["--reason", "The Q2 value of NI075 was revised"],
    );
    ok(db, "submit", "contributor", &[]);
    ok(db, "sign-off", "approver", &[]);
    let said = ok(
        db,
        "publish",
        "performance",
        &["--note", "NI075's Q2 value revised"],
    );
    assert!(said.contains("Published version 2"), "{said}");
}

/// What was published is in the database, two versions, as the page would have published
/// them. The second.
async fn two_versions_are_stored(store: &SqlStore) -> PublicationMeta {
    let halton: CouncilRef = "halton".parse().unwrap();
    let published = store.publications(&halton).await.unwrap();
    assert_eq!(published.len(), 2);
    let (first, second) = (&published[0], &published[1]);
    assert_eq!((first.version, second.version), (1, 2));
    assert_eq!(first.published_by, "performance");
    assert_eq!(first.note, None);
    assert_eq!(second.note.as_deref(), Some("NI075's Q2 value revised"));
    assert_eq!(
        second.files,
        [
            "open-data.csv",
            "open-data.json",
            "report.docx",
            "report.html",
            "report.json",
            "report.pdf",
            "report.xlsx",
            "report.zip"
        ]
    );
    second.clone()
}

/// The second version's files match its content hash; the PDF is real and the open data holds
/// CED's plan only.
async fn the_second_version_is_frozen_whole(store: &SqlStore, second: &PublicationMeta) {
    let halton: CouncilRef = "halton".parse().unwrap();
    let ced: Ref = "CED".parse().unwrap();
    let q2: Quarter = "2012/13 Q2".parse().unwrap();
    let mut files = Vec::new();
    for name in &second.files {
        let f = store
            .published_file(&halton, &ced, q2, 2, name)
            .await
            .unwrap()
            .unwrap();
        files.push(f);
    }
    assert_eq!(content_hash(&files), second.content_hash);
    let pdf = files.iter().find(|f| f.name == "report.pdf").unwrap();
    assert!(pdf.bytes.starts_with(b"%PDF"), "a real PDF");
    // The open data is CED's plans only: no row of another directorate's plan.
    let csv = files.iter().find(|f| f.name == "open-data.csv").unwrap();
    let mut reader = csv::Reader::from_reader(csv.bytes.as_slice());
    let plan_column = reader
        .headers()
        .unwrap()
        .iter()
        .position(|h| h == "plan")
        .unwrap();
    let plans: std::collections::BTreeSet<String> = reader
        .records()
        .map(|r| r.unwrap()[plan_column].to_string())
        .collect();
    assert_eq!(
        plans.into_iter().collect::<Vec<_>>(),
        ["CED-2012-13"],
        "only CED's plan"
    );
}

/// The status, the trail and who did what.
async fn the_status_and_trail_say_who_did_what(store: &SqlStore) {
    let halton: CouncilRef = "halton".parse().unwrap();
    let ced: Ref = "CED".parse().unwrap();
    let q2: Quarter = "2012/13 Q2".parse().unwrap();
    let status = store
        .quarter_statuses(&halton)
        .await
        .unwrap()
        .into_iter()
        .find(|s| s.unit == ced && s.quarter == q2)
        .unwrap();
    assert_eq!(status.state.as_str(), "published");
    assert_eq!(status.reason.as_deref(), Some("NI075's Q2 value revised"));
    let trail = store
        .audit_of_item(&halton, "quarter CED 2012/13 Q2")
        .await
        .unwrap();
    let moves: Vec<(String, Option<String>, Option<String>)> = trail
        .iter()
        .filter(|e| e.note.field == "state")
        .map(|e| {
            (
                e.note.actor.clone(),
                e.note.new.clone(),
                e.note.reason.clone(),
            )
        })
        .collect();
    assert_eq!(moves.len(), 9, "{moves:?}");
    assert_eq!(
        moves[1],
        (
            "approver".into(),
            Some("Open".into()),
            Some("NI075 needs its commentary".into())
        )
    );
    let hashes = trail
        .iter()
        .filter(|e| e.note.field == "content_hash")
        .count();
    assert_eq!(hashes, 2);
}
