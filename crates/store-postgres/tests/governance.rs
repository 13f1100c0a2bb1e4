//! The `Governance` port and the guarded, audited change set on PostgreSQL, with what only a
//! server with many connections has to show: writers appending to the audit trail at once keep
//! one unbroken chain, writers to one quarter at once are told the quarter changed rather than
//! overwriting each other, and the trail hashes the same as on SQLite.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use beacon_app::access::{Grant, Role};
use beacon_app::accounts::{NewUser, SessionRecord, UserChange};
use beacon_app::audit::{AuditNote, verify};
use beacon_app::lifecycle::{QuarterState, QuarterStatus, Step, Transition};
use beacon_app::publication::{Publication, PublicationMeta, PublishedFile};
use beacon_app::{ChangeSet, Governance, QuarterGuard, Store, StoreError};
use beacon_domain::Ref;
use beacon_domain::organisation::CouncilRef;
use beacon_domain::period::Quarter;
use beacon_test_support::contract::fixtures::{everything, rich_council};
use beacon_test_support::{TempDb, TempPg};
use chrono::{DateTime, Duration, TimeZone, Utc};

fn at(minute: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2012, 10, 15, 9, 30, 0).unwrap()
        + Duration::minutes(minute)
        + Duration::microseconds(123_456)
}

fn council() -> CouncilRef {
    rich_council().council.reference
}

fn unit() -> Ref {
    "CFS".parse().unwrap()
}

fn q2() -> Quarter {
    "2012/13 Q2".parse().unwrap()
}

fn note(actor: &str, item: Option<&str>, new: &str, minute: i64) -> AuditNote {
    AuditNote {
        at: at(minute),
        actor: actor.into(),
        council: Some(council().as_str().into()),
        entity: format!("quarter {} {}", unit(), q2()),
        item: item.map(str::to_string),
        field: "values[NI075 @ 2012/13 Q2].value.text".into(),
        old: None,
        new: Some(new.into()),
        reason: None,
    }
}

fn new_user(name: &str) -> NewUser {
    NewUser {
        username: name.into(),
        display_name: format!("{name} (display)"),
        password_hash: "$argon2id$hash".into(),
        grants: vec![
            Grant {
                role: Role::Contributor,
                council: council(),
                unit: Some(unit()),
            },
            Grant {
                role: Role::Councillor,
                council: council(),
                unit: None,
            },
        ],
    }
}

fn guard(expected: Option<i64>, by: &str, minute: i64) -> QuarterGuard {
    QuarterGuard {
        council: council(),
        unit: unit(),
        quarter: q2(),
        expected,
        by: by.into(),
        at: at(minute),
    }
}

/// A guarded, audited write to the quarter: the rich council again, with one note.
fn guarded(expected: Option<i64>, by: &str, minute: i64) -> ChangeSet {
    ChangeSet {
        audit: vec![note(by, Some("indicator NI075"), by, minute)],
        guards: vec![guard(expected, by, minute)],
        ..everything(&rich_council())
    }
}

fn step(
    from: &QuarterStatus,
    step: Step,
    to: QuarterState,
    by: &str,
    minute: i64,
) -> (Transition, AuditNote) {
    let t = Transition {
        council: council(),
        step,
        from: from.clone(),
        to: QuarterStatus {
            state: to,
            version: from.version + 1,
            changed_by: by.into(),
            changed_at: at(minute),
            reason: None,
            ..from.clone()
        },
        expected_version: from.version,
    };
    let n = AuditNote {
        field: "state".into(),
        old: Some(from.state.as_str().into()),
        new: Some(to.as_str().into()),
        ..note(by, None, "", minute)
    };
    (t, n)
}

async fn status<G: Governance>(store: &G) -> QuarterStatus {
    let mut all = store.quarter_statuses(&council()).await.unwrap();
    assert_eq!(all.len(), 1, "{all:?}");
    all.remove(0)
}

fn refused<T: std::fmt::Debug>(r: Result<T, StoreError>) -> String {
    match r {
        Err(StoreError::Refused(m)) => m,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[tokio::test]
async fn users_sessions_and_failed_sign_ins() {
    let db = TempPg::new().await;
    let s = &db.store;
    let bob = s
        .add_user(&new_user("bob"), &note("cli:admin", None, "bob", 0))
        .await
        .unwrap();
    let alice = s
        .add_user(&new_user("alice"), &note("cli:admin", None, "alice", 1))
        .await
        .unwrap();
    let msg = refused(
        s.add_user(&new_user("bob"), &note("cli:admin", None, "bob", 2))
            .await,
    );
    assert_eq!(msg, "There is already a user called bob");

    let names: Vec<_> = s
        .users()
        .await
        .unwrap()
        .into_iter()
        .map(|u| u.username)
        .collect();
    assert_eq!(names, ["alice", "bob"]);
    let b = s.user_by_name("bob").await.unwrap().unwrap();
    assert_eq!(b.id, bob);
    assert_eq!(b.grants, new_user("bob").grants);
    assert!(!b.disabled);
    assert_eq!(s.user(alice).await.unwrap().unwrap().username, "alice");
    assert!(s.user_by_name("carol").await.unwrap().is_none());
    assert!(s.user(9999).await.unwrap().is_none());

    let session = SessionRecord {
        id_hash: "abc".into(),
        user_id: bob,
        csrf_token: "csrf".into(),
        created_at: at(3),
        last_seen_at: at(3),
    };
    s.create_session(&session).await.unwrap();
    s.touch_session("abc", at(4)).await.unwrap();
    let got = s.session("abc").await.unwrap().unwrap();
    assert_eq!(got.last_seen_at, at(4));
    assert_eq!(got.created_at, at(3));
    s.end_session("abc").await.unwrap();
    assert!(s.session("abc").await.unwrap().is_none());

    s.create_session(&session).await.unwrap();
    s.change_user(
        bob,
        &UserChange::Disable,
        &note("cli:admin", None, "disabled", 5),
    )
    .await
    .unwrap();
    assert!(s.user(bob).await.unwrap().unwrap().disabled);
    assert!(
        s.session("abc").await.unwrap().is_none(),
        "disabling ends sessions"
    );
    s.change_user(
        bob,
        &UserChange::Password("new".into()),
        &note("a", None, "pw", 6),
    )
    .await
    .unwrap();
    let b = s.user(bob).await.unwrap().unwrap();
    assert_eq!(b.password_hash, "new");
    s.change_user(bob, &UserChange::Enable, &note("a", None, "enabled", 7))
        .await
        .unwrap();
    assert!(!s.user(bob).await.unwrap().unwrap().disabled);

    for m in [10, 11, 12] {
        s.record_sign_in_failure("bob", at(m)).await.unwrap();
    }
    s.record_sign_in_failure("alice", at(11)).await.unwrap();
    assert_eq!(
        s.sign_in_failures("bob", at(11)).await.unwrap(),
        [at(11), at(12)]
    );
    s.clear_sign_in_failures("bob").await.unwrap();
    assert!(s.sign_in_failures("bob", at(0)).await.unwrap().is_empty());
    assert_eq!(s.sign_in_failures("alice", at(0)).await.unwrap(), [at(11)]);

    let (trail, head) = s.audit_trail().await.unwrap();
    assert_eq!(
        verify(&trail, head),
        Ok(5),
        "two users added, three changes"
    );
}

#[tokio::test]
async fn a_quarter_is_guarded_signed_off_and_published() {
    let db = TempPg::new().await;
    let s = &db.store;
    s.apply(&guarded(Some(0), "carol", 0)).await.unwrap();
    let now = status(s).await;
    assert_eq!((now.state, now.version), (QuarterState::Open, 1));
    assert_eq!((now.changed_by.as_str(), now.changed_at), ("carol", at(0)));

    // A form read at version 0 is refused, and writes nothing.
    let revision = s.revision(&council()).await.unwrap();
    let msg = refused(s.apply(&guarded(Some(0), "dave", 1)).await);
    assert!(
        msg.contains("was changed by carol at 09:30 on 15 October 2012"),
        "{msg}"
    );
    assert_eq!(s.revision(&council()).await.unwrap(), revision);
    assert_eq!(status(s).await.version, 1);
    // A file load does not care which version.
    s.apply(&guarded(None, "cli:load", 2)).await.unwrap();
    assert_eq!(status(s).await.version, 2);

    let (submit, n1) = step(
        &status(s).await,
        Step::Submit,
        QuarterState::Submitted,
        "carol",
        3,
    );
    s.transition(&submit, None, &[n1]).await.unwrap();
    // Taking the same step again, from the version already moved on, is refused.
    refused(s.transition(&submit, None, &[]).await);
    let (sign, n2) = step(
        &status(s).await,
        Step::SignOff,
        QuarterState::SignedOff,
        "erin",
        4,
    );
    s.transition(&sign, None, &[n2]).await.unwrap();

    let msg = refused(s.apply(&guarded(Some(4), "carol", 5)).await);
    assert!(
        msg.contains("CFS 2012/13 Q2 is signed off (by erin at 09:34 on 15 October 2012)"),
        "{msg}"
    );

    let (publish, n3) = step(
        &status(s).await,
        Step::Publish,
        QuarterState::Published,
        "pat",
        6,
    );
    let publication = Publication {
        meta: PublicationMeta {
            council: council(),
            unit: unit(),
            quarter: q2(),
            version: 1,
            published_at: at(6),
            published_by: "pat".into(),
            content_hash: "f00d".into(),
            note: None,
            files: vec![],
        },
        files: vec![
            PublishedFile {
                name: "report.pdf".into(),
                media_type: "application/pdf".into(),
                bytes: vec![0, 1, 2, 255, 0],
            },
            PublishedFile {
                name: "data.json".into(),
                media_type: "application/json".into(),
                bytes: b"{}".to_vec(),
            },
        ],
    };
    s.transition(&publish, Some(&publication), &[n3])
        .await
        .unwrap();
    assert_eq!(status(s).await.state, QuarterState::Published);
    let pubs = s.publications(&council()).await.unwrap();
    assert_eq!(pubs.len(), 1);
    assert_eq!(pubs[0].files, ["data.json", "report.pdf"]);
    assert_eq!(pubs[0].published_at, at(6));
    let f = s
        .published_file(&council(), &unit(), q2(), 1, "report.pdf")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (f.media_type.as_str(), f.bytes),
        ("application/pdf", vec![0, 1, 2, 255, 0])
    );
    assert!(
        s.published_file(&council(), &unit(), q2(), 2, "report.pdf")
            .await
            .unwrap()
            .is_none()
    );

    let (trail, head) = s.audit_trail().await.unwrap();
    assert_eq!(verify(&trail, head), Ok(5));
    let about = s
        .audit_of_item(&council(), "indicator NI075")
        .await
        .unwrap();
    let by: Vec<_> = about.iter().map(|e| e.note.actor.as_str()).collect();
    assert_eq!(by, ["carol", "cli:load"]);
}

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
    let publication = Publication {
        meta: PublicationMeta {
            council: council(),
            unit: unit(),
            quarter: q2(),
            version: 1,
            published_at: at(1),
            published_by: "pat".into(),
            content_hash: "f00d".into(),
            note: Some("first".into()),
            files: vec![],
        },
        files: vec![PublishedFile {
            name: "report.pdf".into(),
            media_type: "application/pdf".into(),
            bytes: vec![1],
        }],
    };
    s.transition(&publish, Some(&publication), &[n])
        .await
        .unwrap();
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
            .execute(s.pool())
            .await
            .unwrap_err()
            .to_string();
        assert!(err.contains(says), "{sql}: {err}");
    }
    let (trail, head) = s.audit_trail().await.unwrap();
    assert_eq!(verify(&trail, head), Ok(2));
    assert_eq!(
        s.publications(&council()).await.unwrap()[0].note.as_deref(),
        Some("first")
    );
}

/// Many writers appending at once, through every kind of write, leave one chain.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn writers_appending_at_once_keep_one_unbroken_chain() {
    let db = TempPg::new().await;
    db.store.apply(&everything(&rich_council())).await.unwrap();
    let mut tasks = Vec::new();
    for i in 0..24_i64 {
        let s = db.store.clone();
        tasks.push(tokio::spawn(async move {
            match i % 3 {
                0 => s
                    .add_user(&new_user(&format!("user{i}")), &note("a", None, "u", i))
                    .await
                    .map(|_| ()),
                1 => s.apply(&guarded(None, &format!("w{i}"), i)).await,
                _ => {
                    let notes = [note("x", None, "1", i), note("x", None, "2", i)];
                    s.apply(&ChangeSet {
                        audit: notes.to_vec(),
                        ..Default::default()
                    })
                    .await
                }
            }
        }));
    }
    for t in tasks {
        t.await.unwrap().unwrap();
    }
    let (trail, head) = db.store.audit_trail().await.unwrap();
    assert_eq!(verify(&trail, head), Ok(8 + 8 + 16));
    assert_eq!(status(&db.store).await.version, 8);
}

/// Writers who read the same version of a quarter and save at once: one lands, the others are
/// told it changed, and the quarter's version moves on once.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn writers_to_one_quarter_at_once_do_not_overwrite_each_other() {
    let db = TempPg::new().await;
    // Twice: from a quarter nobody has written to (no row to lock), and from one that has.
    for (expected, round) in [(0, 0), (1, 1)] {
        let mut tasks = Vec::new();
        for i in 0..8_i64 {
            let s = db.store.clone();
            tasks.push(tokio::spawn(async move {
                s.apply(&guarded(Some(expected), &format!("w{round}{i}"), i))
                    .await
            }));
        }
        let mut landed = 0;
        for t in tasks {
            match t.await.unwrap() {
                Ok(()) => landed += 1,
                Err(StoreError::Refused(m)) => assert!(m.contains("was changed by"), "{m}"),
                Err(e) => panic!("{e}"),
            }
        }
        assert_eq!(landed, 1, "round {round}");
        assert_eq!(status(&db.store).await.version, expected + 1);
    }

    let from = status(&db.store).await;
    let mut tasks = Vec::new();
    for i in 0..8_i64 {
        let s = db.store.clone();
        let (t, n) = step(
            &from,
            Step::Submit,
            QuarterState::Submitted,
            &format!("s{i}"),
            i,
        );
        tasks.push(tokio::spawn(
            async move { s.transition(&t, None, &[n]).await },
        ));
    }
    let mut landed = 0;
    for t in tasks {
        match t.await.unwrap() {
            Ok(()) => landed += 1,
            Err(StoreError::Refused(_)) => {}
            Err(e) => panic!("{e}"),
        }
    }
    assert_eq!(landed, 1);
    let (trail, head) = db.store.audit_trail().await.unwrap();
    assert_eq!(
        verify(&trail, head),
        Ok(3),
        "only the writes that landed are audited"
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
