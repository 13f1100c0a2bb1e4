//! What only PostgreSQL has to show about governance; everything backend-neutral (users,
//! sign-in, sessions, guards, the life of a quarter, publications, writers at once) is in the
//! contract suite that both backends run (`beacon_test_support::contract`). Here: the database
//! itself refuses to change the audit trail or a publication, even by `TRUNCATE`, and the
//! same changes give the same trail, hash for hash, as on SQLite.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use beacon_app::audit::verify;
use beacon_app::lifecycle::{QuarterState, Step};
use beacon_app::publication::{AuditAnchor, PublicationMeta};
use beacon_app::{ChangeSet, Governance, Store};
use beacon_test_support::contract::fixtures::governance::{
    council, file, guarded, new_user, note, publication, status, step,
};
use beacon_test_support::{TempDb, TempPg};

#[tokio::test]
async fn publications_and_the_audit_trail_are_never_changed() {
    let db = TempPg::new().await;
    let s = &db.store;
    s.apply(&guarded(Some(0), "carol", 0)).await.unwrap();
    let (publish, n) = step(
        &status(s).await,
        Step::Publish,
        QuarterState::Published,
        "pat",
        1,
    );
    let first = publication(
        1,
        "pat",
        1,
        Some("first"),
        vec![file("report.pdf", "application/pdf", &[1])],
    );
    s.transition(&publish, Some(&first), &[n]).await.unwrap();
    for (sql, says) in [
        (
            "UPDATE audit SET actor = 'mallory'",
            "the audit trail is append-only",
        ),
        (
            "DELETE FROM audit WHERE seq = 2",
            "the audit trail is append-only",
        ),
        ("TRUNCATE audit", "the audit trail is append-only"),
        (
            "UPDATE publications SET note = 'x'",
            "publications are never changed",
        ),
        ("DELETE FROM publications", "publications are never deleted"),
        (
            "TRUNCATE publications CASCADE",
            "publications are never deleted",
        ),
        (
            "UPDATE publication_files SET bytes = '\\x00'",
            "publications are never changed",
        ),
        (
            "DELETE FROM publication_files",
            "publications are never deleted",
        ),
        (
            "TRUNCATE publication_files",
            "publications are never deleted",
        ),
    ] {
        let err = sqlx::query(sql)
            .execute(s.pool().postgres().unwrap())
            .await
            .unwrap_err()
            .to_string();
        assert!(err.contains(says), "{sql}: {err}");
    }
    let (trail, head) = s.audit_trail().await.unwrap();
    assert_eq!(verify(&trail, head), Ok(2));
    // Stored as given, but anchored at the trail's last row when published (the first).
    let stored = s.publications(&council()).await.unwrap();
    assert_eq!(
        stored,
        [PublicationMeta {
            anchor: Some(AuditAnchor {
                seq: 1,
                hash: trail[0].hash.clone()
            }),
            ..first.meta
        }]
    );
}

/// The same changes give the same trail, hash for hash, on SQLite and on PostgreSQL.
#[tokio::test]
async fn the_trail_hashes_the_same_as_on_sqlite() {
    async fn run<S: Store + Governance>(s: &S) {
        s.add_user(&new_user("bob"), &note("cli:admin", None, "bob", 0))
            .await
            .unwrap();
        s.apply(&guarded(Some(0), "carol", 1)).await.unwrap();
        let mut unicode = note("zoë", Some("objective CFS1"), "naïve — “quoted”\n", 2);
        unicode.reason = Some("because".into());
        unicode.council = None;
        s.apply(&ChangeSet {
            audit: vec![unicode],
            ..Default::default()
        })
        .await
        .unwrap();
        let (sub, n) = step(
            &status(s).await,
            Step::Submit,
            QuarterState::Submitted,
            "carol",
            3,
        );
        s.transition(&sub, None, &[n]).await.unwrap();
    }
    let pg = TempPg::new().await;
    let lite = TempDb::new().await;
    run(&pg.store).await;
    run(&lite.store).await;
    let on_pg = pg.store.audit_trail().await.unwrap();
    let on_lite = lite.store.audit_trail().await.unwrap();
    assert_eq!(verify(&on_pg.0, on_pg.1.clone()), Ok(4));
    assert_eq!(on_pg, on_lite);
    assert_eq!(
        pg.store.quarter_statuses(&council()).await.unwrap(),
        lite.store.quarter_statuses(&council()).await.unwrap()
    );
}
