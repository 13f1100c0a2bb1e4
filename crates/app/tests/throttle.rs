//! Sign-in throttling against the attacks of the security review, on a real SQLite file: a
//! burst of simultaneous guesses gets no more password checks than the limit, strangers cannot
//! lock out a browser that signed in before, and password checks run a few at a time.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use beacon_app::Governance;
use beacon_app::access::{Grant, Role};
use beacon_app::accounts::{self, Client, MAX_FAILURES, SignIn, THROTTLE_WINDOW};
use beacon_app::throttle::{self, MAX_CONCURRENT_HASHES, MAX_STRANGER_FAILURES};
use beacon_test_support::TempDb;
use chrono::{DateTime, Duration, Utc};
use std::net::IpAddr;
use std::sync::Arc;

const PASSWORD: &str = "correct horse battery staple";

fn at(seconds: i64) -> DateTime<Utc> {
    DateTime::<Utc>::UNIX_EPOCH + Duration::days(20_000) + Duration::seconds(seconds)
}

async fn with_bob() -> Arc<TempDb> {
    let db = TempDb::new().await;
    let grant = Grant {
        role: Role::Councillor,
        council: "halton".parse().unwrap(),
        unit: None,
    };
    accounts::add_user(
        &db.store,
        "bob",
        "Bob",
        PASSWORD,
        vec![grant],
        &beacon_test_support::tester(),
    )
    .await
    .unwrap();
    Arc::new(db)
}

fn from(ip: [u8; 4]) -> Client<'static> {
    Client {
        address: Some(IpAddr::from(ip)),
        device: None,
    }
}

/// 40 guesses at once: the count and the check are one step, so no more than the limit are
/// checked, the rest are throttled, and the right password sent in the next burst is refused.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn forty_simultaneous_guesses_get_at_most_the_limit_of_password_checks() {
    let db = with_bob().await;
    let burst = |password: &'static str| {
        let tasks: Vec<_> = (0..40)
            .map(|_| {
                let db = Arc::clone(&db);
                tokio::spawn(async move {
                    accounts::sign_in_from(&db.store, "bob", password, &from([192, 0, 2, 1]), at(0))
                        .await
                        .unwrap()
                })
            })
            .collect();
        async move {
            let mut out = Vec::new();
            for t in tasks {
                out.push(t.await.unwrap());
            }
            out
        }
    };
    let answers = burst("a wrong guess").await;
    let checked = answers.iter().filter(|a| **a == SignIn::Refused).count();
    assert_eq!(checked as i64, MAX_FAILURES, "{answers:?}");
    assert!(
        answers
            .iter()
            .all(|a| matches!(a, SignIn::Refused | SignIn::Throttled { .. }))
    );
    // The right password, forty times at once, while throttled: not one signs in.
    let answers = burst(PASSWORD).await;
    assert!(
        answers
            .iter()
            .all(|a| matches!(a, SignIn::Throttled { .. })),
        "{answers:?}"
    );
}

/// Five wrong passwords from one address throttle that address only; strangers together are
/// throttled at a higher limit; a browser that signed in before keeps signing in throughout.
#[tokio::test]
async fn strangers_cannot_lock_out_a_browser_that_signed_in_before() {
    let db = with_bob().await;
    let store = &db.store;
    // Bob signs in from his own browser: it is given a device cookie.
    let SignIn::Ok { user, .. } =
        accounts::sign_in_from(store, "bob", PASSWORD, &from([198, 51, 100, 9]), at(0))
            .await
            .unwrap()
    else {
        panic!("bob signs in");
    };
    let cookie = throttle::device_cookie(&user).unwrap();
    let bobs_browser = Client {
        address: Some(IpAddr::from([198, 51, 100, 9])),
        device: Some(&cookie),
    };

    // An attacker at one address: five failures, then throttled, even with the right password.
    for i in 0..MAX_FAILURES {
        let a = accounts::sign_in_from(store, "bob", "guess", &from([203, 0, 113, 1]), at(i)).await;
        assert_eq!(a.unwrap(), SignIn::Refused);
    }
    let a = accounts::sign_in_from(store, "bob", PASSWORD, &from([203, 0, 113, 1]), at(10)).await;
    assert!(matches!(a.unwrap(), SignIn::Throttled { .. }));
    // Another address is not throttled by the first.
    let a = accounts::sign_in_from(store, "bob", PASSWORD, &from([203, 0, 113, 2]), at(11)).await;
    assert!(matches!(a.unwrap(), SignIn::Ok { .. }));

    // Strangers at many addresses: throttled together once they reach their limit…
    for i in 0..MAX_STRANGER_FAILURES - MAX_FAILURES {
        let ip = [203, 0, 113, 100 + u8::try_from(i).unwrap()];
        let a = accounts::sign_in_from(store, "bob", "guess", &from(ip), at(20 + i)).await;
        assert_eq!(a.unwrap(), SignIn::Refused, "stranger {i}");
    }
    let a = accounts::sign_in_from(store, "bob", PASSWORD, &from([203, 0, 113, 250]), at(60)).await;
    assert!(matches!(a.unwrap(), SignIn::Throttled { .. }));
    // …while Bob's browser still signs in.
    let a = accounts::sign_in_from(store, "bob", PASSWORD, &bobs_browser, at(61)).await;
    assert!(matches!(a.unwrap(), SignIn::Ok { .. }));
    // A forged device cookie is a stranger's.
    let forged = format!(
        "{}{}",
        &cookie[..95],
        if cookie.ends_with('0') { "1" } else { "0" }
    );
    let a = accounts::sign_in_from(
        store,
        "bob",
        PASSWORD,
        &Client {
            address: Some(IpAddr::from([203, 0, 113, 251])),
            device: Some(&forged),
        },
        at(62),
    )
    .await;
    assert!(matches!(a.unwrap(), SignIn::Throttled { .. }));
    // A trusted browser has its own limit: five wrong passwords throttle it too.
    for i in 0..MAX_FAILURES {
        let a = accounts::sign_in_from(store, "bob", "typo", &bobs_browser, at(70 + i)).await;
        assert_eq!(a.unwrap(), SignIn::Refused);
    }
    let a = accounts::sign_in_from(store, "bob", PASSWORD, &bobs_browser, at(80)).await;
    assert!(matches!(a.unwrap(), SignIn::Throttled { .. }));
}

/// Failures under made-up names are forgotten once they leave the window: the table does not
/// grow without bound.
#[tokio::test]
async fn failures_under_new_names_are_forgotten_after_the_window() {
    let db = with_bob().await;
    for i in 0..30 {
        let name = format!("made-up-{i}");
        let a = accounts::sign_in_from(&db.store, &name, "x", &from([203, 0, 113, 7]), at(i)).await;
        assert_eq!(a.unwrap(), SignIn::Refused);
    }
    assert_eq!(
        db.store
            .sign_in_failures("made-up-3 from 203.0.113.7", at(0))
            .await
            .unwrap()
            .len(),
        1
    );
    // A failure after the window: every older one is gone, whatever its name.
    let later = at(40) + THROTTLE_WINDOW + Duration::minutes(2);
    let a = accounts::sign_in_from(&db.store, "another", "x", &from([203, 0, 113, 7]), later).await;
    assert_eq!(a.unwrap(), SignIn::Refused);
    for i in 0..30 {
        let key = format!("made-up-{i} strangers");
        assert!(
            db.store
                .sign_in_failures(&key, at(0))
                .await
                .unwrap()
                .is_empty(),
            "{key}"
        );
    }
}

/// Sixteen sign-ins at once under different names: no more than the bound of password checks
/// run at the same time, each on a blocking thread.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn password_checks_run_a_few_at_a_time() {
    let db = with_bob().await;
    let tasks: Vec<_> = (0..16)
        .map(|i| {
            let db = Arc::clone(&db);
            tokio::spawn(async move {
                let name = format!("someone-{i}");
                accounts::sign_in_from(&db.store, &name, "x", &from([192, 0, 2, 9]), at(0))
                    .await
                    .unwrap()
            })
        })
        .collect();
    for t in tasks {
        assert_eq!(t.await.unwrap(), SignIn::Refused);
    }
    let peak = throttle::peak_concurrent_hashes();
    assert!(
        (1..=MAX_CONCURRENT_HASHES).contains(&peak),
        "at most {MAX_CONCURRENT_HASHES} at once, saw {peak}"
    );
}
