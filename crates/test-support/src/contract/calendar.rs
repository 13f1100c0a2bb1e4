//! The calendar and the outbox (migration 0013) on every backend: a calendar is kept whole
//! with its audit note and refused whole when its dates are out of order; a notice is written
//! once by its key, waits until due, is retried after a failure and is sent once.

use super::governance::{add, by, halton, pat, when};
use beacon_app::calendar::{CalendarStore, calendar_of, set_calendar};
use beacon_app::notices::{Contact, Delivery, NewNotice, NoticeKind, NoticeState, Outbox};
use beacon_app::{AppError, Governance, Store};
use beacon_domain::calendar::{CouncilCalendar, QuarterChange, Rule};
use chrono::Duration;

/// A performance officer sets the rule and one quarter's meeting; it reads back as set, with a
/// note in the audit trail. A calendar out of order is refused whole and nothing changes.
pub async fn a_calendar_is_kept_whole_and_refused_when_out_of_order<
    S: Store + Governance + CalendarStore,
>(
    store: &S,
) {
    assert!(calendar_of(store, &halton()).await.unwrap().default);
    let q2 = "2012/13 Q2".parse().unwrap();
    let cal = CouncilCalendar {
        rule: Rule {
            closes_after: 10,
            board_after: None,
            committee: "Children and Young People Policy and Performance Board".into(),
            ..Rule::default()
        },
        quarters: vec![QuarterChange {
            board: Some("2013-01-03".parse().unwrap()),
            ..QuarterChange::new(q2)
        }],
    };
    set_calendar(store, &pat(), &halton(), &cal, &by("pat", 1))
        .await
        .unwrap();
    let back = calendar_of(store, &halton()).await.unwrap();
    assert!(!back.default);
    assert_eq!(back.calendar, cal);
    let trail = store.audit_trail().await.unwrap();
    let note = &trail.0.last().unwrap().note;
    assert_eq!(
        (note.entity.as_str(), note.actor.as_str()),
        ("calendar halton", "pat")
    );
    assert!(
        note.new
            .as_deref()
            .unwrap()
            .contains("closes 10 working days")
    );

    let mut bad = cal.clone();
    bad.quarters[0].closes = Some("2012-09-20".parse().unwrap());
    match set_calendar(store, &pat(), &halton(), &bad, &by("pat", 2)).await {
        Err(AppError::Invalid(m)) => assert!(
            m.contains("collection closes on 20 September 2012 is not after collection opens"),
            "{m}"
        ),
        other => panic!("expected the calendar refused, got {other:?}"),
    }
    assert_eq!(calendar_of(store, &halton()).await.unwrap().calendar, cal);
    assert_eq!(store.audit_trail().await.unwrap().0.len(), trail.0.len());
}

fn notice(key: &str) -> NewNotice {
    NewNotice {
        council: halton(),
        kind: NoticeKind::Submitted,
        dedupe: key.into(),
        recipient: "alex@halton.test".into(),
        username: Some("alex".into()),
        subject: "CED: 2012/13 Q2 is ready for your sign-off".into(),
        body: "Dear Alex,\n\nSign it off here: /c/halton/q/2012-13/2/sign-off/CED\n".into(),
        delivery: Delivery::Each,
    }
}

/// A notice is written once by its key, is due at its time, is tried again after a failure
/// (not before), and once sent is never due again.
pub async fn the_outbox_writes_each_notice_once_and_sends_it_once<
    S: Store + Governance + Outbox,
>(
    store: &S,
) {
    let at = when(0);
    let n = notice("submitted halton CED 2012/13 Q2 v2 to alex");
    assert_eq!(store.enqueue(&[(n.clone(), at)], at).await.unwrap(), 1);
    assert_eq!(store.enqueue(&[(n.clone(), at)], at).await.unwrap(), 0);
    assert!(
        store
            .due(at - Duration::seconds(1), 10)
            .await
            .unwrap()
            .is_empty()
    );
    let due = store.due(at, 10).await.unwrap();
    assert_eq!(due.len(), 1);
    assert_eq!(due[0].notice, n);
    assert_eq!(due[0].state(), NoticeState::Waiting);
    let id = due[0].id;

    store
        .mark_failed(
            id,
            at,
            "connection refused",
            Some(at + Duration::minutes(1)),
        )
        .await
        .unwrap();
    assert!(
        store
            .due(at + Duration::seconds(30), 10)
            .await
            .unwrap()
            .is_empty()
    );
    let again = store.due(at + Duration::minutes(1), 10).await.unwrap();
    assert_eq!(
        (again[0].attempts, again[0].last_error.as_deref()),
        (1, Some("connection refused"))
    );
    assert_eq!(
        store
            .mark_sent(&[id], at + Duration::minutes(2))
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        store
            .mark_sent(&[id], at + Duration::minutes(3))
            .await
            .unwrap(),
        0
    );
    assert!(
        store
            .due(at + Duration::days(1), 10)
            .await
            .unwrap()
            .is_empty()
    );
    let listed = store.notices(Some(&halton()), 10).await.unwrap();
    assert_eq!(listed[0].state(), NoticeState::Sent);
    assert_eq!(listed[0].sent_at, Some(at + Duration::minutes(2)));
}

/// A notice given up on (no next try) is failed, and never due again.
pub async fn a_notice_given_up_is_failed_and_never_due_again<S: Store + Governance + Outbox>(
    store: &S,
) {
    let at = when(0);
    let m = notice("signed-off halton CED 2012/13 Q2 v4 to pat");
    store.enqueue(&[(m, at)], at).await.unwrap();
    let id = store.due(at, 10).await.unwrap()[0].id;
    store
        .mark_failed(id, at, "mailbox unavailable", None)
        .await
        .unwrap();
    assert!(
        store
            .due(at + Duration::days(1), 10)
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        store.notices(None, 10).await.unwrap()[0].state(),
        NoticeState::Failed
    );
}

/// A person's choice of address, digest and essential notices is kept, with one audit note
/// saying it in words; the same choice again writes nothing, and a bad address is refused and
/// changes nothing.
pub async fn a_person_chooses_how_they_are_told<S: Store + Governance + Outbox>(store: &S) {
    let user_id = add(store, "them", "correct horse battery").await;
    let c = Contact {
        user_id,
        email: "a@halton.test".into(),
        delivery: Delivery::Digest,
        essential_only: true,
    };
    let choice = beacon_app::notices::contacts::ContactChoice {
        email: " a@halton.test ".into(),
        digest: true,
        essential_only: true,
    };
    let set = beacon_app::notices::contacts::set_contact;
    assert_eq!(
        set(store, user_id, "them", &choice, &by("them", 3))
            .await
            .unwrap(),
        c
    );
    assert_eq!(store.contacts().await.unwrap(), vec![c.clone()]);
    let note = store
        .audit_trail()
        .await
        .unwrap()
        .0
        .last()
        .unwrap()
        .note
        .clone();
    assert_eq!(
        (
            note.entity.as_str(),
            note.field.as_str(),
            note.new.as_deref()
        ),
        (
            "user them",
            "notices",
            Some("a@halton.test, a daily digest, only the notices their role needs")
        )
    );
    // The same choice again writes nothing; a bad address is refused and changes nothing.
    let rows = store.audit_trail().await.unwrap().0.len();
    set(store, user_id, "them", &choice, &by("them", 4))
        .await
        .unwrap();
    let bad = beacon_app::notices::contacts::ContactChoice {
        email: "them at halton".into(),
        ..choice
    };
    assert!(matches!(
        set(store, user_id, "them", &bad, &by("them", 5)).await,
        Err(AppError::Invalid(m)) if m.contains("is not an email address")
    ));
    assert_eq!(store.audit_trail().await.unwrap().0.len(), rows);
    assert_eq!(store.contacts().await.unwrap(), vec![c]);
}

/// A subscriber to a council's publications is kept once, however often added, and removed.
pub async fn a_subscriber_is_kept_once_and_removed<S: Store + Governance + Outbox>(store: &S) {
    store
        .set_subscriber(&halton(), "reader@example.test", true)
        .await
        .unwrap();
    store
        .set_subscriber(&halton(), "reader@example.test", true)
        .await
        .unwrap();
    assert_eq!(
        store.subscribers(&halton()).await.unwrap(),
        vec!["reader@example.test".to_string()]
    );
    store
        .set_subscriber(&halton(), "reader@example.test", false)
        .await
        .unwrap();
    assert!(store.subscribers(&halton()).await.unwrap().is_empty());
}

/// Two senders at once (the server's scheduler and a `beacon notify` run) never take the same
/// notice: the first claim wins and the second gets nothing. A sender that dies holding its
/// claim leaves the notice due again when the claim runs out, and it is then sent once.
pub async fn a_notice_is_claimed_by_one_sender_and_freed_when_it_dies<S: Store + Outbox>(
    store: &S,
) {
    let at = when(0);
    let n = notice("reminder halton CED 2012/13 Q2 2012-10-16 to chris");
    store.enqueue(&[(n, at)], at).await.unwrap();
    let id = store.due(at, 10).await.unwrap()[0].id;
    let lease = at + Duration::minutes(10);
    assert_eq!(store.claim(&[id], at, lease).await.unwrap(), [id]);
    assert!(
        store
            .claim(&[id], at + Duration::seconds(1), lease)
            .await
            .unwrap()
            .is_empty(),
        "a second sender took a notice already claimed"
    );
    assert!(
        store
            .due(at + Duration::minutes(9), 10)
            .await
            .unwrap()
            .is_empty()
    );
    // The first sender died: the notice is due again once its claim runs out.
    let later = at + Duration::minutes(10);
    assert_eq!(store.due(later, 10).await.unwrap()[0].id, id);
    assert_eq!(
        store
            .claim(&[id], later, later + Duration::minutes(10))
            .await
            .unwrap(),
        [id]
    );
    assert_eq!(store.mark_sent(&[id], later).await.unwrap(), 1);
    assert!(
        store
            .claim(
                &[id],
                later + Duration::hours(1),
                later + Duration::hours(2)
            )
            .await
            .unwrap()
            .is_empty(),
        "a notice sent was claimed again"
    );
}
