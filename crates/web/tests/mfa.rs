//! Multi-factor sign-in through the pages, as a user goes through it: turning it on from the
//! account page (the QR code and the key as text, confirmed with a code), the recovery codes
//! shown once, then signing in with the password and a code as a second page; a code used
//! twice, a recovery code, and a council that requires it of its administrators. Every code is
//! computed by the test from the key the page shows (`beacon_test_support::totp`, RFC 6238),
//! at the time of the app's clock, which the test moves on.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::common;

use axum::http::StatusCode;
use beacon_app::audit::Actor;
use beacon_app::{Governance, mfa};
use beacon_test_support::{TempDb, totp};
use chrono::{DateTime, Duration, TimeZone, Utc};
use common::{Client, PASSWORD, halton_with_users, signed_out};
use std::sync::{Arc, Mutex};

struct App {
    db: TempDb,
    app: axum::Router,
    now: Arc<Mutex<DateTime<Utc>>>,
}

impl App {
    async fn new() -> App {
        let db = halton_with_users().await;
        let now = Arc::new(Mutex::new(
            Utc.with_ymd_and_hms(2012, 10, 15, 9, 30, 0)
                .single()
                .unwrap(),
        ));
        let clock = now.clone();
        let app = beacon_web::router_with(
            db.store.clone(),
            beacon_web::Options {
                clock: Arc::new(move || *clock.lock().unwrap()),
                ..beacon_web::Options::default()
            },
        );
        App { db, app, now }
    }

    fn at(&self) -> i64 {
        self.now.lock().unwrap().timestamp()
    }

    /// Moves the app's clock on to the next 30-second step.
    fn next_step(&self) {
        *self.now.lock().unwrap() += Duration::seconds(30);
    }
}

fn field(code: &str) -> Vec<(String, String)> {
    vec![("code".to_string(), code.to_string())]
}

/// The key the setup page shows, without its spaces.
fn key_on(page: &str) -> String {
    let open = "<code id=\"secret\">";
    let start = page.find(open).expect("the key is shown") + open.len();
    let end = start + page[start..].find("</code>").unwrap();
    page[start..end].replace(' ', "")
}

fn recovery_codes_on(page: &str) -> Vec<String> {
    let list = &page[page
        .find("id=\"recovery-codes\"")
        .expect("recovery codes shown")..];
    let list = &list[..list.find("</ul>").unwrap()];
    list.split("<code>")
        .skip(1)
        .map(|c| c[..c.find("</code>").unwrap()].to_string())
        .collect()
}

/// Turns MFA on for a signed-in client; the key and the recovery codes.
async fn turn_on(app: &App, c: &mut Client) -> (String, Vec<String>) {
    let setup = c.get("/account/mfa").await;
    assert_eq!(setup.status, StatusCode::OK);
    let key = key_on(&setup.body);
    let done = c
        .post("/account/mfa", &field(&totp::code(&key, app.at())))
        .await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    (key, recovery_codes_on(&done.body))
}

#[tokio::test]
async fn a_user_turns_on_mfa_and_signs_in_with_a_code_from_their_app() {
    let app = App::new().await;
    let mut c = Client::signed_in(&app.app, "contributor").await;
    let account = c.get("/account").await;
    assert!(account.body.contains("Set up multi-factor sign-in"));
    let setup = c.get("/account/mfa").await;
    assert_eq!(setup.status, StatusCode::OK);
    assert!(
        setup
            .body
            .contains("<svg role=\"img\" aria-label=\"QR code"),
        "a QR code is drawn"
    );
    let key = key_on(&setup.body);
    assert_eq!(key.len(), 32, "160 bits in base32: {key}");
    // A wrong code is refused at the field; MFA stays off.
    let wrong = c.post("/account/mfa", &field("000000")).await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(wrong.body.contains("The code is not right"));
    assert_eq!(key_on(&wrong.body), key, "the same key is offered again");
    let code = totp::code(&key, app.at());
    let on = c.post("/account/mfa", &field(&code)).await;
    assert_eq!(on.status, StatusCode::OK);
    let codes = recovery_codes_on(&on.body);
    assert_eq!(codes.len(), 10);
    assert!(on.body.contains("shown only this once"));
    let account = c.get("/account").await;
    assert!(account.body.contains("You have 10 unused recovery codes"));

    // Signing in now takes the password, then a code on a second page.
    let mut b = Client::new(&app.app);
    let after_password = b.sign_in("contributor", PASSWORD).await;
    assert_eq!(after_password.status, StatusCode::SEE_OTHER);
    assert!(
        after_password
            .location
            .as_deref()
            .unwrap()
            .starts_with("/sign-in/code")
    );
    assert!(!b.cookies.contains_key("beacon_session"));
    assert!(signed_out(&b.get("/account").await), "not signed in yet");
    let ask = b.get("/sign-in/code").await;
    assert_eq!(ask.status, StatusCode::OK);
    assert!(ask.body.contains("Enter the code from your app"));
    // The code that turned MFA on is used up: refused within its own 30 seconds.
    let again = b.post("/sign-in/code", &field(&code)).await;
    assert_eq!(again.status, StatusCode::UNAUTHORIZED);
    assert!(again.body.contains("The code is not right"));
    assert!(again.body.contains("3 tries left") || again.body.contains("4 tries left"));
    app.next_step();
    let fresh = totp::code(&key, app.at());
    let signed_in = b.post("/sign-in/code", &field(&fresh)).await;
    assert_eq!(
        signed_in.status,
        StatusCode::SEE_OTHER,
        "{}",
        signed_in.body
    );
    assert!(b.cookies.contains_key("beacon_session"));
    assert!(!b.cookies.contains_key("beacon_mfa"));
    assert_eq!(b.get("/account").await.status, StatusCode::OK);

    // A recovery code signs in once.
    let mut d = Client::new(&app.app);
    d.sign_in("contributor", PASSWORD).await;
    let r = d.post("/sign-in/code", &field(&codes[0])).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let mut e = Client::new(&app.app);
    e.sign_in("contributor", PASSWORD).await;
    let r = e.post("/sign-in/code", &field(&codes[0])).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert!(
        d.get("/account")
            .await
            .body
            .contains("9 unused recovery codes")
    );

    // Turning it off takes a current code.
    let off = d.post("/account/mfa/off", &field("111111")).await;
    assert_eq!(off.status, StatusCode::UNPROCESSABLE_ENTITY);
    app.next_step();
    let off = d
        .post("/account/mfa/off", &field(&totp::code(&key, app.at())))
        .await;
    assert_eq!(off.status, StatusCode::SEE_OTHER);
    let mut f = Client::new(&app.app);
    let plain = f.sign_in("contributor", PASSWORD).await;
    assert_eq!(
        plain.location.as_deref(),
        Some("/"),
        "the password alone again"
    );
}

#[tokio::test]
async fn the_second_page_refuses_after_five_wrong_codes_and_without_a_password() {
    let app = App::new().await;
    let mut c = Client::signed_in(&app.app, "approver").await;
    let (key, _) = turn_on(&app, &mut c).await;
    // No password given: the code pages send the browser to sign in.
    let mut stranger = Client::new(&app.app);
    let p = stranger.get("/sign-in/code").await;
    assert_eq!(p.status, StatusCode::UNAUTHORIZED);
    assert!(p.body.contains("Sign in again"));
    stranger.get("/sign-in").await;
    let p = stranger
        .post("/sign-in/code", &field(&totp::code(&key, app.at())))
        .await;
    assert_eq!(p.status, StatusCode::UNAUTHORIZED);
    assert!(!stranger.cookies.contains_key("beacon_session"));
    let mut b = Client::new(&app.app);
    b.sign_in("approver", PASSWORD).await;
    for _ in 0..5 {
        b.post("/sign-in/code", &field("999999")).await;
    }
    app.next_step();
    let late = b
        .post("/sign-in/code", &field(&totp::code(&key, app.at())))
        .await;
    assert_eq!(late.status, StatusCode::UNAUTHORIZED);
    assert!(late.body.contains("Sign in again"));
    assert!(!b.cookies.contains_key("beacon_session"));
}

#[tokio::test]
async fn a_council_that_requires_mfa_sends_its_administrator_to_set_it_up() {
    let app = App::new().await;
    let now = *app.now.lock().unwrap();
    mfa::set_required(
        &app.db.store,
        &"halton".parse().unwrap(),
        true,
        &Actor::new("cli:root", now),
    )
    .await
    .unwrap();
    // A councillor is not asked.
    let mut cllr = Client::new(&app.app);
    assert_eq!(
        cllr.sign_in("councillor", PASSWORD)
            .await
            .location
            .as_deref(),
        Some("/")
    );
    let mut b = Client::new(&app.app);
    let p = b.sign_in("admin", PASSWORD).await;
    assert!(
        p.location
            .as_deref()
            .unwrap()
            .starts_with("/sign-in/set-up"),
        "{:?}",
        p.location
    );
    let setup = b.get(p.location.as_deref().unwrap()).await;
    assert_eq!(setup.status, StatusCode::OK);
    assert!(
        setup
            .body
            .contains("Your council requires multi-factor sign-in")
    );
    assert!(
        signed_out(&b.get("/c/halton").await),
        "not signed in until it is set up"
    );
    let key = key_on(&setup.body);
    let done = b
        .post("/sign-in/set-up", &field(&totp::code(&key, app.at())))
        .await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    assert_eq!(recovery_codes_on(&done.body).len(), 10);
    assert!(
        b.cookies.contains_key("beacon_device"),
        "a sign-in completed by setting up an app earns a device cookie"
    );
    let account = b.get("/account").await;
    assert_eq!(account.status, StatusCode::OK);
    assert!(account.body.contains("cannot be turned off"));
    let user = app.db.store.user_by_name("admin").await.unwrap().unwrap();
    assert!(app.db.store.mfa(user.id).await.unwrap().unwrap().is_on());
}

/// Finding 3 with MFA on: a browser earns its device cookie by a complete sign-in (the
/// password and then the code), not by the password alone, and with it keeps signing in
/// while strangers' wrong passwords have the account throttled for them.
#[tokio::test]
async fn a_sign_in_with_a_code_remembers_the_browser_while_strangers_are_throttled() {
    let app = App::new().await;
    let mut c = Client::signed_in(&app.app, "approver").await;
    let (key, _) = turn_on(&app, &mut c).await;

    let mut mine = Client::new(&app.app);
    let after_password = mine.sign_in("approver", PASSWORD).await;
    assert!(
        after_password
            .location
            .as_deref()
            .unwrap()
            .starts_with("/sign-in/code")
    );
    assert!(
        !mine.cookies.contains_key("beacon_device"),
        "the password alone does not earn a device cookie when a code is due"
    );
    app.next_step();
    let done = mine
        .post("/sign-in/code", &field(&totp::code(&key, app.at())))
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    assert!(mine.cookies.contains_key("beacon_session"));
    assert!(
        mine.cookies.contains_key("beacon_device"),
        "a sign-in completed with a code earns a device cookie"
    );
    assert_eq!(mine.get("/account").await.status, StatusCode::OK);
    let out = mine.post("/sign-out", &[]).await;
    assert_eq!(out.status, StatusCode::SEE_OTHER);
    assert!(!mine.cookies.contains_key("beacon_session"), "signed out");

    let mut stranger = Client::new(&app.app);
    for _ in 0..5 {
        let p = stranger.sign_in("approver", "a stranger's guess").await;
        assert_eq!(p.status, StatusCode::UNAUTHORIZED);
    }
    let p = stranger.sign_in("approver", PASSWORD).await;
    assert!(p.body.contains("too many attempts"), "{}", p.body);

    // The remembered browser is not throttled: the password, then a fresh code, signs in.
    let p = mine.sign_in("approver", PASSWORD).await;
    assert_eq!(p.status, StatusCode::SEE_OTHER, "{}", p.body);
    assert!(
        p.location.as_deref().unwrap().starts_with("/sign-in/code"),
        "{:?}",
        p.location
    );
    let ask = mine.get(p.location.as_deref().unwrap()).await;
    assert_eq!(ask.status, StatusCode::OK);
    app.next_step();
    let done = mine
        .post("/sign-in/code", &field(&totp::code(&key, app.at())))
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    assert_eq!(mine.get("/account").await.status, StatusCode::OK);
}
