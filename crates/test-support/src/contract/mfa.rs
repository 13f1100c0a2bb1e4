//! The contract's multi-factor sign-in stories, on any store that is also `Governance`: setting
//! up an app and confirming it with a code the test computes itself (`crate::totp`), each code
//! accepted once even by two sign-ins at the same moment, one step of clock skew, recovery codes
//! used once, the second step of sign-in and its limit on wrong codes, a council requiring MFA
//! of administrators and performance officers, and an administrator's reset; every change in
//! the audit trail.

use crate::totp;
use beacon_app::access::{Grant, Role};
use beacon_app::accounts::{self, SignIn, UserRecord};
use beacon_app::audit::{Actor, verify};
use beacon_app::mfa::{self, AfterPassword, Confirmed, SecondStep};
use beacon_app::{AppError, Governance, Store};
use beacon_domain::organisation::CouncilRef;
use chrono::{DateTime, Duration, TimeZone, Utc};

const PASSWORD: &str = "correct horse battery";

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2012, 10, 15, 9, 30, 0)
        .single()
        .unwrap()
}

fn halton() -> CouncilRef {
    "halton".parse().unwrap()
}

async fn user<G: Governance>(store: &G, name: &str, role: Role) -> UserRecord {
    let grant = Grant {
        role,
        council: halton(),
        unit: None,
    };
    accounts::add_user(
        store,
        name,
        name,
        PASSWORD,
        vec![grant],
        &Actor::new("cli:admin", t0()),
    )
    .await
    .unwrap();
    store.user_by_name(name).await.unwrap().unwrap()
}

/// Sets up and confirms an app for the user at `at`; the secret and recovery codes.
async fn turn_on<G: Governance>(
    store: &G,
    u: &UserRecord,
    at: DateTime<Utc>,
) -> (String, Vec<String>) {
    let setup = mfa::begin_setup(store, u).await.unwrap();
    assert!(
        setup
            .uri
            .starts_with(&format!("otpauth://totp/Beacon:{}?secret=", u.username))
    );
    let code = totp::code(&setup.secret, at.timestamp());
    match mfa::confirm_setup(store, u, &code, &Actor::new(u.username.clone(), at))
        .await
        .unwrap()
    {
        Confirmed::On { recovery_codes } => (setup.secret, recovery_codes),
        Confirmed::WrongCode => panic!("the app's code at {at} was refused"),
    }
}

fn audit_rows(trail: &beacon_app::audit::AuditTrail, field: &str) -> Vec<(String, String)> {
    trail
        .0
        .iter()
        .filter(|e| e.note.field == field)
        .map(|e| {
            (
                e.note.entity.clone(),
                e.note.new.clone().unwrap_or_default(),
            )
        })
        .collect()
}

pub async fn mfa_is_confirmed_with_a_code_and_each_code_works_once<S: Store + Governance>(
    store: &S,
) {
    let ann = user(store, "ann", Role::Contributor).await;
    let setup = mfa::begin_setup(store, &ann).await.unwrap();
    // Reloading the setup page shows the same secret until it is confirmed.
    assert_eq!(mfa::begin_setup(store, &ann).await.unwrap(), setup);
    let wrong = Actor::new("ann", t0());
    let stale = totp::code(&setup.secret, (t0() - Duration::minutes(5)).timestamp());
    assert_eq!(
        mfa::confirm_setup(store, &ann, &stale, &wrong)
            .await
            .unwrap(),
        Confirmed::WrongCode,
        "a code from five minutes ago does not confirm"
    );
    assert!(!store.mfa(ann.id).await.unwrap().unwrap().is_on());
    let now = totp::code(&setup.secret, t0().timestamp());
    let Confirmed::On { recovery_codes } =
        mfa::confirm_setup(store, &ann, &now, &wrong).await.unwrap()
    else {
        panic!("the current code confirms");
    };
    assert_eq!(recovery_codes.len(), mfa::RECOVERY_CODES);
    let stored = store.mfa(ann.id).await.unwrap().unwrap();
    assert!(stored.is_on());
    assert_eq!(stored.recovery_left, 10);
    // The code that confirmed cannot sign in again within its window.
    assert!(!mfa::use_code(store, &ann, &now, t0()).await.unwrap());
    // The next step's code is accepted once, 30 s late (one step of skew) too.
    let next = totp::code(&setup.secret, (t0() + Duration::seconds(30)).timestamp());
    assert!(
        mfa::use_code(store, &ann, &next, t0() + Duration::seconds(59))
            .await
            .unwrap()
    );
    assert!(
        !mfa::use_code(store, &ann, &next, t0() + Duration::seconds(59))
            .await
            .unwrap()
    );
    // Two steps late is too late.
    let old = totp::code(&setup.secret, (t0() + Duration::seconds(60)).timestamp());
    assert!(
        !mfa::use_code(store, &ann, &old, t0() + Duration::seconds(150))
            .await
            .unwrap()
    );
    // A recovery code works once, however it is typed.
    let typed = recovery_codes[3].to_uppercase().replace('-', " ");
    assert!(mfa::use_code(store, &ann, &typed, t0()).await.unwrap());
    assert!(
        !mfa::use_code(store, &ann, &recovery_codes[3], t0())
            .await
            .unwrap()
    );
    assert_eq!(store.mfa(ann.id).await.unwrap().unwrap().recovery_left, 9);
    // Setting up again is refused while it is on.
    assert!(matches!(
        mfa::begin_setup(store, &ann).await,
        Err(AppError::Refused(_))
    ));
    let trail = store.audit_trail().await.unwrap();
    assert_eq!(
        audit_rows(&trail, "mfa"),
        vec![("user ann".to_string(), "on".to_string())]
    );
    assert_eq!(
        audit_rows(&trail, "mfa recovery code"),
        vec![("user ann".to_string(), "9 unused".to_string())]
    );
    assert!(verify(&trail.0, trail.1.clone()).is_ok());
}

pub async fn two_sign_ins_with_one_code_at_once_let_only_one_in<S: Store + Governance>(store: &S) {
    let bob = user(store, "bob", Role::Contributor).await;
    let (secret, codes) = turn_on(store, &bob, t0()).await;
    for round in 1..=5i64 {
        let at = t0() + Duration::seconds(30 * round);
        let code = totp::code(&secret, at.timestamp());
        let (a, b) = tokio::join!(
            mfa::use_code(store, &bob, &code, at),
            mfa::use_code(store, &bob, &code, at)
        );
        assert_eq!(
            u8::from(a.unwrap()) + u8::from(b.unwrap()),
            1,
            "round {round}: exactly one of two uses of one code passes"
        );
    }
    let (a, b) = tokio::join!(
        mfa::use_code(store, &bob, &codes[0], t0()),
        mfa::use_code(store, &bob, &codes[0], t0())
    );
    assert_eq!(u8::from(a.unwrap()) + u8::from(b.unwrap()), 1);
}

pub async fn sign_in_asks_for_the_code_after_the_password<S: Store + Governance>(store: &S) {
    let cy = user(store, "cy", Role::Contributor).await;
    let (secret, codes) = turn_on(store, &cy, t0()).await;
    let at = t0() + Duration::minutes(1);
    let SignIn::Ok { session, user, .. } =
        accounts::sign_in(store, "cy", PASSWORD, at).await.unwrap()
    else {
        panic!("the password is right");
    };
    let AfterPassword::Code { token } = mfa::after_password(store, &session, &user, at)
        .await
        .unwrap()
    else {
        panic!("a user with MFA on is asked for a code");
    };
    assert!(
        store.session(&session.id_hash).await.unwrap().is_none(),
        "the password alone leaves no session"
    );
    // Wrong codes count down; the fifth ends the sign-in, and then even a right code fails.
    for left in (1..mfa::MAX_CODE_FAILURES).rev() {
        assert_eq!(
            mfa::verify_pending(store, &token, "000000", at)
                .await
                .unwrap(),
            SecondStep::Wrong { tries_left: left }
        );
    }
    assert_eq!(
        mfa::verify_pending(store, &token, "000000", at)
            .await
            .unwrap(),
        SecondStep::Expired
    );
    let right = totp::code(&secret, at.timestamp());
    assert_eq!(
        mfa::verify_pending(store, &token, &right, at)
            .await
            .unwrap(),
        SecondStep::Expired
    );
    // A fresh sign-in with a recovery code gets in; a pending sign-in times out after ten minutes.
    let SignIn::Ok { session, user, .. } =
        accounts::sign_in(store, "cy", PASSWORD, at).await.unwrap()
    else {
        panic!("the password is right");
    };
    let AfterPassword::Code { token } = mfa::after_password(store, &session, &user, at)
        .await
        .unwrap()
    else {
        panic!("asked for a code");
    };
    let late = at + mfa::PENDING_TIMEOUT + Duration::seconds(1);
    assert_eq!(
        mfa::verify_pending(store, &token, &codes[0], late)
            .await
            .unwrap(),
        SecondStep::Expired
    );
    let SignIn::Ok { session, user, .. } =
        accounts::sign_in(store, "cy", PASSWORD, at).await.unwrap()
    else {
        panic!("the password is right");
    };
    let AfterPassword::Code { token } = mfa::after_password(store, &session, &user, at)
        .await
        .unwrap()
    else {
        panic!("asked for a code");
    };
    match mfa::verify_pending(store, &token, &codes[0], at)
        .await
        .unwrap()
    {
        SecondStep::SignedIn { session, .. } => {
            assert!(store.session(&session.id_hash).await.unwrap().is_some())
        }
        other => panic!("a recovery code signs in, got {other:?}"),
    }
    // The pending sign-in is used up.
    assert_eq!(
        mfa::verify_pending(store, &token, &codes[1], at)
            .await
            .unwrap(),
        SecondStep::Expired
    );
}

pub async fn a_council_can_require_mfa_of_administrators_and_performance_officers<
    S: Store + Governance,
>(
    store: &S,
) {
    let admin = user(store, "dee", Role::Administrator).await;
    let officer = user(store, "eve", Role::PerformanceOfficer).await;
    let contributor = user(store, "fay", Role::Contributor).await;
    let by = Actor::new("cli:root", t0());
    assert!(
        mfa::set_required(store, &halton(), true, &by)
            .await
            .unwrap()
    );
    assert!(
        !mfa::set_required(store, &halton(), true, &by)
            .await
            .unwrap(),
        "already required"
    );
    assert_eq!(store.mfa_required_councils().await.unwrap(), vec![halton()]);
    for (u, required) in [(&admin, true), (&officer, true), (&contributor, false)] {
        assert_eq!(
            mfa::required_for(store, u).await.unwrap(),
            required,
            "{}",
            u.username
        );
        let SignIn::Ok { session, user, .. } =
            accounts::sign_in(store, &u.username, PASSWORD, t0())
                .await
                .unwrap()
        else {
            panic!("the password is right");
        };
        let next = mfa::after_password(store, &session, &user, t0())
            .await
            .unwrap();
        assert_eq!(
            matches!(next, AfterPassword::Setup { .. }),
            required,
            "{}",
            u.username
        );
        if let AfterPassword::Setup { token } = next {
            // The administrator sets up an app in the middle of signing in.
            let setup = mfa::pending_setup(store, &token, t0())
                .await
                .unwrap()
                .unwrap();
            let code = totp::code(&setup.secret, t0().timestamp());
            match mfa::confirm_pending_setup(store, &token, &code, t0())
                .await
                .unwrap()
            {
                SecondStep::SetUp { recovery_codes, .. } => assert_eq!(recovery_codes.len(), 10),
                other => panic!("set up and signed in, got {other:?}"),
            }
        }
    }
    // Required, so it cannot be turned off; the administrator's reset clears it.
    let (secret, _) = (store.mfa(admin.id).await.unwrap().unwrap().secret, ());
    let later = t0() + Duration::minutes(2);
    let code = totp::code(&secret, later.timestamp());
    assert!(matches!(
        mfa::turn_off(store, &admin, &code, &Actor::new("dee", later)).await,
        Err(AppError::Refused(_))
    ));
    assert!(mfa::reset(store, "DEE", &by).await.unwrap());
    assert!(store.mfa(admin.id).await.unwrap().is_none());
    assert!(!mfa::reset(store, "dee", &by).await.unwrap());
    assert!(
        mfa::set_required(store, &halton(), false, &by)
            .await
            .unwrap()
    );
    assert!(store.mfa_required_councils().await.unwrap().is_empty());
    let trail = store.audit_trail().await.unwrap();
    assert_eq!(
        audit_rows(&trail, "mfa required"),
        vec![
            ("council halton".to_string(), "yes".to_string()),
            ("council halton".to_string(), "no".to_string())
        ]
    );
    assert_eq!(
        audit_rows(&trail, "mfa"),
        vec![
            ("user dee".to_string(), "on".to_string()),
            ("user eve".to_string(), "on".to_string()),
            ("user dee".to_string(), "reset".to_string())
        ]
    );
    assert!(verify(&trail.0, trail.1.clone()).is_ok());
}

pub async fn turning_mfa_off_needs_a_current_code<S: Store + Governance>(store: &S) {
    let gil = user(store, "gil", Role::Contributor).await;
    let (secret, _) = turn_on(store, &gil, t0()).await;
    let later = t0() + Duration::minutes(1);
    let by = Actor::new("gil", later);
    assert!(!mfa::turn_off(store, &gil, "123456", &by).await.unwrap());
    assert!(store.mfa(gil.id).await.unwrap().unwrap().is_on());
    let code = totp::code(&secret, later.timestamp());
    assert!(mfa::turn_off(store, &gil, &code, &by).await.unwrap());
    assert!(store.mfa(gil.id).await.unwrap().is_none());
    let trail = store.audit_trail().await.unwrap();
    assert_eq!(
        audit_rows(&trail, "mfa"),
        vec![
            ("user gil".to_string(), "on".to_string()),
            ("user gil".to_string(), "off".to_string())
        ]
    );
}

/// The account page reads a user's second factor, tokens and contact in one go, and what it
/// reads is what each read alone gives: nothing for a new user, then the app switched on with
/// its recovery codes, both tokens newest first, and the address; never another user's.
pub async fn the_account_page_reads_a_users_own_records_in_one_go<
    S: Store + Governance + beacon_app::notices::Outbox,
>(
    store: &S,
) {
    let ann = user(store, "ann", Role::PerformanceOfficer).await;
    let bob = user(store, "bob", Role::PerformanceOfficer).await;
    let nothing = accounts::own_records(store, ann.id).await.unwrap();
    assert_eq!(nothing.mfa, None);
    assert!(nothing.tokens.is_empty());
    assert_eq!(nothing.contact, None);

    let (_, codes) = turn_on(store, &ann, t0()).await;
    let token = |name: &str| beacon_app::tokens::TokenRequest {
        name: name.into(),
        council: halton().to_string(),
        scope: "read".into(),
        days: "30".into(),
    };
    for (who, name) in [(&ann, "warehouse"), (&ann, "dashboard"), (&bob, "bobs")] {
        beacon_app::tokens::create(store, &who.principal(), &token(name), t0())
            .await
            .unwrap()
            .unwrap();
    }
    let choice = beacon_app::notices::contacts::ContactChoice {
        email: "ann@halton.test".into(),
        digest: true,
        essential_only: false,
    };
    beacon_app::notices::contacts::set_contact(
        store,
        ann.id,
        "ann",
        &choice,
        &Actor::new("ann", t0()),
    )
    .await
    .unwrap();

    let own = accounts::own_records(store, ann.id).await.unwrap();
    let mfa = own.mfa.clone().unwrap();
    assert!(mfa.is_on());
    assert_eq!(mfa.recovery_left, i64::try_from(codes.len()).unwrap());
    assert_eq!(own.mfa, store.mfa(ann.id).await.unwrap());
    let names: Vec<&str> = own.tokens.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(
        names,
        ["dashboard", "warehouse"],
        "newest first, only ann's"
    );
    assert_eq!(own.tokens, store.tokens_of(ann.id).await.unwrap());
    let contact = own.contact.clone().unwrap();
    assert_eq!(contact.email, "ann@halton.test");
    assert_eq!(
        own.contact,
        beacon_app::notices::contacts::contact_of(store, ann.id)
            .await
            .unwrap()
    );

    let bobs = accounts::own_records(store, bob.id).await.unwrap();
    assert_eq!(bobs.mfa, None);
    assert_eq!(bobs.contact, None);
    assert_eq!(bobs.tokens.len(), 1);
    assert_eq!(bobs.tokens[0].name, "bobs");
}
