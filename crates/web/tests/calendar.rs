//! The calendar's pages: a contributor's council home lists "your items due by" the closing
//! date of the quarter being collected, each linking to the entry page, and the list goes when
//! the quarter is submitted; the performance officer's home links to what is missing; the
//! calendar page shows the year's dates; the administrator's notices page shows the outbox.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::common;

use beacon_app::Governance;
use beacon_app::notices::Outbox;
use chrono::{TimeZone, Utc};
use common::{Client, halton_with_users};
use std::sync::Arc;

fn app(db: &beacon_test_support::TempDb) -> axum::Router {
    let now = Utc
        .with_ymd_and_hms(2012, 10, 10, 9, 0, 0)
        .single()
        .unwrap();
    beacon_web::router_with(
        db.store.clone(),
        beacon_web::Options {
            clock: Arc::new(move || now),
            ..beacon_web::Options::default()
        },
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_contributor_sees_their_items_due_until_the_quarter_is_submitted() {
    let db = halton_with_users().await;
    let app = app(&db);
    let mut c = Client::signed_in(&app, "contributor").await;
    let home = c.get("/c/halton").await;
    assert_eq!(home.status.as_u16(), 200, "{}", home.body);
    assert!(
        home.body
            .contains("Your items due by Friday 19 October 2012, for Quarter 2 2012/13"),
        "{}",
        home.body
    );
    assert!(
        home.body.contains("href=\"/c/halton/q/2012-13/2/entry/CED"),
        "{}",
        home.body
    );
    assert!(
        !home
            .body
            .contains("What is missing from the quarter being collected")
    );

    // The councillor has nothing to enter.
    let mut cllr = Client::signed_in(&app, "councillor").await;
    assert!(!cllr.get("/c/halton").await.body.contains("Your items due"));

    // The performance officer is led to what is missing, and sees the same items there.
    let mut pat = Client::signed_in(&app, "performance").await;
    let home = pat.get("/c/halton").await;
    assert!(
        home.body.contains("href=\"/c/halton/q/2012-13/2/missing\""),
        "{}",
        home.body
    );
    let missing = pat.get("/c/halton/q/2012-13/2/missing").await;
    assert!(
        missing
            .body
            .contains("Collection closes on Friday 19 October 2012"),
        "{}",
        missing.body
    );
    assert!(
        missing.body.contains("contributors: contributor"),
        "{}",
        missing.body
    );

    let cal = c.get("/c/halton/calendar/2012-13").await;
    assert!(cal.body.contains("Collection closes</dt>"), "{}", cal.body);
    assert!(cal.body.contains("Friday 19 October 2012"), "{}", cal.body);
    assert!(
        cal.body.contains("Tuesday 2 April 2013"),
        "Q4 opens after Easter Monday: {}",
        cal.body
    );
    assert!(c.get("/c/halton/calendar/2012-3").await.status.as_u16() == 404);

    // Submitted, the list goes.
    let page = c.get("/c/halton/q/2012-13/2/sign-off/CED").await;
    let fields = common::form_fields_of(&page.body, "/c/halton/q/2012-13/2/sign-off/CED/submit");
    let done = c
        .post("/c/halton/q/2012-13/2/sign-off/CED/submit", &fields)
        .await;
    assert_eq!(done.status.as_u16(), 303, "{}", done.body);
    assert!(!c.get("/c/halton").await.body.contains("Your items due"));

    // The submission's notice waits in the outbox (the approver has no address yet), and the
    // administrator sees it.
    let waiting = db.store.notices(None, 10).await.unwrap();
    assert_eq!(waiting.len(), 1, "{waiting:?}");
    assert_eq!(waiting[0].notice.username.as_deref(), Some("approver"));
    let mut admin = Client::signed_in(&app, "admin").await;
    let page = admin.get("/c/halton/notices").await;
    assert!(
        page.body
            .contains("Children and Enterprise Directorate: 2012/13 Q2 is ready for your sign-off"),
        "{}",
        page.body
    );
    assert!(page.body.contains("approver (no address)"), "{}", page.body);
    assert!(page.body.contains("Waiting"), "{}", page.body);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_contributor_given_a_unit_sees_their_items_due_at_once() {
    // The overview keeps what is missing between requests; a person added with a unit (here
    // straight into the database, as `beacon user add` in another process would) is
    // responsible at once, and sees it on their next page.
    let db = halton_with_users().await;
    let app = app(&db);
    let mut pat = Client::signed_in(&app, "performance").await;
    let mut c = Client::signed_in(&app, "contributor").await;
    for _ in 0..2 {
        assert!(c.get("/c/halton").await.body.contains("Your items due"));
        assert!(!pat.get("/c/halton").await.body.contains("Your items due"));
    }
    beacon_app::accounts::add_user(
        &db.store,
        "newcomer",
        "Nia Newcomer",
        common::PASSWORD,
        vec![beacon_app::access::Grant {
            role: beacon_app::access::Role::Contributor,
            council: "halton".parse().unwrap(),
            unit: Some("CED".parse().unwrap()),
        }],
        &beacon_test_support::tester(),
    )
    .await
    .unwrap();
    let mut nia = Client::signed_in(&app, "newcomer").await;
    let home = nia.get("/c/halton").await.body;
    assert!(
        home.contains("Your items due by Friday 19 October 2012, for Quarter 2 2012/13"),
        "{home}"
    );
    assert!(
        home.contains("href=\"/c/halton/q/2012-13/2/entry/CED"),
        "{home}"
    );
    // Those already signed in see the same as before.
    assert!(c.get("/c/halton").await.body.contains("Your items due"));
}

/// The account page's notice choices, as the person sends them: the form's hidden fields with
/// one choice of each set of radios.
fn notice_form(html: &str, email: &str, delivery: &str, scope: &str) -> Vec<(String, String)> {
    let hidden = common::form_fields_of(html, "/account/notices")
        .into_iter()
        .filter(|(k, _)| !["email", "delivery", "scope"].contains(&k.as_str()))
        .collect();
    common::with(
        hidden,
        &[("email", email), ("delivery", delivery), ("scope", scope)],
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_person_chooses_on_their_account_page_how_they_are_told() {
    let db = halton_with_users().await;
    let app = app(&db);
    let mut c = Client::signed_in(&app, "contributor").await;
    let page = c.get("/account").await;
    assert!(
        page.body
            .contains("You have not given an address yet, so notices for you wait unsent."),
        "{}",
        page.body
    );

    // A mistyped address is refused at its field, and nothing is kept.
    let refused = c
        .post(
            "/account/notices",
            &notice_form(&page.body, "chris at halton", "digest", "all"),
        )
        .await;
    assert_eq!(refused.status.as_u16(), 422, "{}", refused.body);
    assert!(
        refused.body.contains("href=\"#notice-email\""),
        "{}",
        refused.body
    );
    assert!(
        refused
            .body
            .contains("is not an email address; expected one such as name@council.gov.uk"),
        "{}",
        refused.body
    );
    assert!(db.store.contacts().await.unwrap().is_empty());

    let saved = c
        .post(
            "/account/notices",
            &notice_form(&page.body, "chris@halton.test", "digest", "essential"),
        )
        .await;
    assert_eq!(saved.location.as_deref(), Some("/account#notices"));
    let page = c.get("/account").await;
    assert!(
        page.body
            .contains("Now: chris@halton.test, a daily digest, only the notices their role needs."),
        "{}",
        page.body
    );
    // The form shows the choice as made.
    assert!(
        page.body.contains("value=\"digest\" checked"),
        "{}",
        page.body
    );
    assert!(
        page.body.contains("value=\"essential\" checked"),
        "{}",
        page.body
    );
    // The same as `beacon notify contact` would have stored, and in the audit trail as theirs.
    let stored = db.store.contacts().await.unwrap();
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].email, "chris@halton.test");
    assert_eq!(stored[0].delivery, beacon_app::notices::Delivery::Digest);
    assert!(stored[0].essential_only);
    let trail = db.store.audit_trail().await.unwrap().0;
    let note = &trail.last().unwrap().note;
    assert_eq!(
        (
            note.actor.as_str(),
            note.entity.as_str(),
            note.field.as_str()
        ),
        ("contributor", "user contributor", "notices")
    );
}
