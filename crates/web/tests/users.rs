//! A council's administrator managing its users from the pages, and everyone changing their own
//! password: each change takes effect at once, is in the audit trail, and never reaches
//! another council's people or locks the administrator out.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::common;

use axum::http::StatusCode;
use beacon_app::access::{Grant, Role};
use beacon_app::{Governance, Store, accounts};
use beacon_test_support::TempDb;
use beacon_test_support::contract::fixtures::{everything, other_council};
use common::{Client, PASSWORD, add_user, halton_with_users, signed_out};

/// Halton with its users, Knowsley with one of its own, and one person with roles in both.
async fn setup() -> (TempDb, axum::Router) {
    let db = halton_with_users().await;
    db.store.apply(&everything(&other_council())).await.unwrap();
    add_user(&db, "kirsty", Role::Councillor, "knowsley", None).await;
    let grants = vec![
        Grant {
            role: Role::Councillor,
            council: "halton".parse().unwrap(),
            unit: None,
        },
        Grant {
            role: Role::Councillor,
            council: "knowsley".parse().unwrap(),
            unit: None,
        },
    ];
    accounts::add_user(
        &db.store,
        "shared",
        "Test shared",
        PASSWORD,
        grants,
        &beacon_test_support::tester(),
    )
    .await
    .unwrap();
    let app = beacon_web::router(db.store.clone());
    (db, app)
}

fn field(name: &str, value: &str) -> (String, String) {
    (name.to_string(), value.to_string())
}

/// The password a page shows once.
fn shown_password(html: &str) -> String {
    let marker = "id=\"new-password\">";
    let at = html.find(marker).expect("the page shows a password") + marker.len();
    html[at..at + html[at..].find('<').unwrap()].to_string()
}

/// Users and the audit trail: what an administrator's refused change must leave alone.
async fn people(db: &TempDb) -> String {
    format!(
        "{:?}{:?}",
        db.store.users().await.unwrap(),
        db.store.audit_trail().await.unwrap()
    )
}

#[tokio::test]
async fn an_administrator_adds_a_user_who_signs_in_with_the_password_shown_once() {
    let (db, app) = setup().await;
    let mut admin = Client::signed_in(&app, "admin").await;

    let list = admin.get("/c/halton/users").await;
    assert_eq!(list.status, StatusCode::OK);
    for name in [
        "admin",
        "performance",
        "contributor",
        "approver",
        "councillor",
        "shared",
    ] {
        assert!(list.body.contains(&format!("Test {name}")), "{name} listed");
    }
    assert!(!list.body.contains("kirsty"), "another council's user");
    assert!(
        list.body
            .contains("Contributor for Children and Enterprise Directorate (CED)")
    );
    assert!(list.body.contains("6 users"));
    assert!(
        !list.body.contains("aria-current=\"page\""),
        "no section of the menu claims the users page"
    );

    let form = admin.get("/c/halton/add-user").await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.body.contains("The whole council"));
    let added = admin
        .post(
            "/c/halton/add-user",
            &[
                field("display_name", "Jo Bloggs"),
                field("username", "Jo.Bloggs@halton.gov.uk"),
                field("role", "contributor"),
                field("unit", "CED-LAD"),
            ],
        )
        .await;
    assert_eq!(added.status, StatusCode::OK, "{}", added.body);
    assert!(added.body.contains("The user has been added."));
    assert!(added.body.contains("This is the only time it is shown"));
    let password = shown_password(&added.body);
    assert_eq!(password.chars().count(), 20);
    assert!(
        added
            .body
            .contains("Contributor for Learning &#38; Achievement Department (CED-LAD)"),
        "the role is shown: {}",
        added.body
    );

    // The password is not shown again.
    let again = admin.get("/c/halton/users/jo.bloggs%40halton.gov.uk").await;
    assert_eq!(again.status, StatusCode::OK);
    assert!(!again.body.contains(&password));
    assert!(
        again.body.contains("created"),
        "the history shows the creation"
    );

    let mut jo = Client::new(&app);
    let signed = jo.sign_in("jo.bloggs@halton.gov.uk", &password).await;
    assert_eq!(signed.status, StatusCode::SEE_OTHER, "{}", signed.body);
    assert_eq!(
        jo.get("/c/halton/q/2012-13/2/entry/CED-LAD").await.status,
        StatusCode::OK
    );
    assert_eq!(
        jo.get("/c/halton/q/2012-13/2/entry/CFS").await.status,
        StatusCode::FORBIDDEN,
        "only their own part of the council"
    );
    assert_eq!(
        jo.get("/c/halton/users").await.status,
        StatusCode::FORBIDDEN
    );

    let (trail, _) = db.store.audit_trail().await.unwrap();
    let created = trail
        .iter()
        .find(|e| e.note.entity == "user jo.bloggs@halton.gov.uk")
        .expect("the addition is in the trail");
    assert_eq!(
        (created.note.actor.as_str(), created.note.field.as_str()),
        ("admin", "created")
    );
    assert!(
        trail
            .iter()
            .all(|e| !format!("{:?}", e.note).contains(&password))
    );
}

#[tokio::test]
async fn a_form_with_mistakes_says_what_each_is_and_adds_no_one() {
    let (db, app) = setup().await;
    let mut admin = Client::signed_in(&app, "admin").await;
    admin.get("/c/halton/add-user").await;
    let before = people(&db).await;

    let empty = admin.post("/c/halton/add-user", &[]).await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    for (anchor, message) in [
        ("#display_name", "Enter the person&#39;s full name"),
        ("#username", "Enter a username"),
        ("#role", "Choose a role"),
    ] {
        assert!(
            empty
                .body
                .contains(&format!("<a href=\"{anchor}\">{message}</a>")),
            "{anchor}: {}",
            empty.body
        );
    }
    assert!(empty.body.contains("<title>Error: Add a user"));

    for (fields, message) in [
        (
            vec![
                field("display_name", "Someone"),
                field("username", "councillor"),
                field("role", "councillor"),
            ],
            "The username &#34;councillor&#34; cannot be used: choose another",
        ),
        (
            vec![
                field("display_name", "Someone"),
                field("username", "jo bloggs"),
                field("role", "councillor"),
            ],
            "is not a username",
        ),
        (
            vec![
                field("display_name", "Someone"),
                field("username", "someone"),
                field("role", "approver"),
                field("unit", "NOPE"),
            ],
            "Choose a part of the council from the list",
        ),
        (
            vec![
                field("display_name", "Someone"),
                field("username", "someone"),
                field("role", "superuser"),
            ],
            "Choose a role",
        ),
    ] {
        let page = admin.post("/c/halton/add-user", &fields).await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{message}");
        assert!(page.body.contains(message), "{message}: {}", page.body);
        assert!(
            page.body.contains("value=\"Someone\""),
            "what was typed is kept"
        );
    }
    assert_eq!(people(&db).await, before, "no one was added");
}

#[tokio::test]
async fn changing_a_role_disabling_and_resetting_take_effect_at_once() {
    let (db, app) = setup().await;
    let mut admin = Client::signed_in(&app, "admin").await;
    let mut contributor = Client::signed_in(&app, "contributor").await;
    let page = admin.get("/c/halton/users/contributor").await;
    assert!(page.body.contains("Change role"));

    // Contributor of CED becomes approver of CED: signed out, and the new role applies.
    let changed = admin
        .post(
            "/c/halton/users/contributor/roles",
            &[field("role", "approver"), field("unit", "CED")],
        )
        .await;
    assert_eq!(changed.status, StatusCode::SEE_OTHER);
    let after = admin.get(changed.location.as_deref().unwrap()).await;
    assert!(after.body.contains("The role has been changed."));
    assert!(
        after
            .body
            .contains("Approver for Children and Enterprise Directorate (CED)")
    );
    assert!(
        signed_out(&contributor.get("/c/halton").await),
        "signed out"
    );
    let mut contributor = Client::signed_in(&app, "contributor").await;
    assert_eq!(
        contributor
            .get("/c/halton/q/2012-13/2/entry/CED")
            .await
            .status,
        StatusCode::FORBIDDEN,
        "an approver does not enter values"
    );

    // Disabled: signed out and refused; enabled: back in.
    let disabled = admin
        .post(
            "/c/halton/users/contributor/access",
            &[field("disabled", "true")],
        )
        .await;
    assert_eq!(disabled.status, StatusCode::SEE_OTHER);
    assert!(admin.get("/c/halton/users").await.body.contains("Disabled"));
    assert!(signed_out(&contributor.get("/c/halton").await));
    let refused = Client::new(&app).sign_in("contributor", PASSWORD).await;
    assert_eq!(refused.status, StatusCode::UNAUTHORIZED);
    let enabled = admin
        .post(
            "/c/halton/users/contributor/access",
            &[field("disabled", "false")],
        )
        .await;
    assert_eq!(enabled.status, StatusCode::SEE_OTHER);
    let mut contributor = Client::signed_in(&app, "contributor").await;

    // Reset: the old password stops working, the new one (shown once) works.
    let reset = admin
        .post("/c/halton/users/contributor/password", &[])
        .await;
    assert_eq!(reset.status, StatusCode::OK);
    assert!(reset.body.contains("The password has been reset"));
    let password = shown_password(&reset.body);
    assert!(signed_out(&contributor.get("/c/halton").await));
    assert_eq!(
        Client::new(&app)
            .sign_in("contributor", PASSWORD)
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        Client::new(&app)
            .sign_in("contributor", &password)
            .await
            .status,
        StatusCode::SEE_OTHER
    );

    let (trail, _) = db.store.audit_trail().await.unwrap();
    let said: Vec<(&str, &str, Option<&str>, Option<&str>)> = trail
        .iter()
        .filter(|e| e.note.entity == "user contributor" && e.note.actor == "admin")
        .map(|e| {
            (
                e.note.field.as_str(),
                e.note.actor.as_str(),
                e.note.old.as_deref(),
                e.note.new.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        said,
        [
            (
                "roles",
                "admin",
                Some("contributor of CED in halton"),
                Some("approver of CED in halton")
            ),
            ("disabled", "admin", Some("false"), Some("true")),
            ("disabled", "admin", Some("true"), Some("false")),
            ("password", "admin", Some("(hidden)"), Some("(changed)")),
        ]
    );
    let history = admin.get("/c/halton/users/contributor").await;
    assert!(history.body.contains("approver of CED in halton"));
}

#[tokio::test]
async fn an_administrator_cannot_lock_themselves_out_or_touch_another_councils_people() {
    let (db, app) = setup().await;
    let mut admin = Client::signed_in(&app, "admin").await;
    let own = admin.get("/c/halton/users/admin").await;
    assert!(own.body.contains("You cannot disable your own account"));
    let before = people(&db).await;

    let disable = admin
        .post("/c/halton/users/admin/access", &[field("disabled", "true")])
        .await;
    assert_eq!(disable.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(disable.body.contains("You cannot disable your own account"));
    let demote = admin
        .post(
            "/c/halton/users/admin/roles",
            &[field("role", "councillor"), field("unit", "")],
        )
        .await;
    assert_eq!(demote.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        demote
            .body
            .contains("You cannot take away your own administrator role")
    );
    assert_eq!(admin.get("/c/halton").await.status, StatusCode::OK);

    // Another council's user does not exist here, by any route.
    assert_eq!(
        admin.get("/c/halton/users/kirsty").await.status,
        StatusCode::NOT_FOUND
    );
    for (action, fields) in [
        ("access", vec![field("disabled", "true")]),
        ("password", vec![]),
        ("roles", vec![field("role", "councillor")]),
    ] {
        let p = admin
            .post(&format!("/c/halton/users/kirsty/{action}"), &fields)
            .await;
        assert_eq!(p.status, StatusCode::NOT_FOUND, "{action}");
    }

    // Someone who also works for another council is for the system administrator.
    let shared = admin.get("/c/halton/users/shared").await;
    assert_eq!(shared.status, StatusCode::OK);
    assert!(shared.body.contains("also has roles in another council"));
    assert!(!shared.body.contains("Disable account</button>"));
    for (action, fields) in [
        ("access", vec![field("disabled", "true")]),
        ("password", vec![]),
        ("roles", vec![field("role", "contributor")]),
    ] {
        let p = admin
            .post(&format!("/c/halton/users/shared/{action}"), &fields)
            .await;
        assert_eq!(p.status, StatusCode::UNPROCESSABLE_ENTITY, "{action}");
        assert!(p.body.contains("system administrator"), "{action}");
        assert!(!p.body.contains("id=\"new-password\""));
    }
    assert_eq!(people(&db).await, before, "nothing changed");
    assert_eq!(
        Client::new(&app).sign_in("shared", PASSWORD).await.status,
        StatusCode::SEE_OTHER
    );
}

#[tokio::test]
async fn users_change_their_own_password_with_their_current_one() {
    let (_db, app) = setup().await;
    let mut councillor = Client::signed_in(&app, "councillor").await;
    let mut elsewhere = Client::signed_in(&app, "councillor").await;
    let account = councillor.get("/account").await;
    assert_eq!(account.status, StatusCode::OK);
    assert!(
        account
            .body
            .contains("Councillor for the whole council of <a")
    );
    assert!(!account.body.contains("manage its users"));
    assert!(!account.body.contains("Manage users"));
    let mut admin = Client::signed_in(&app, "admin").await;
    let admins = admin.get("/c/halton").await;
    assert!(
        admins
            .body
            .contains("<a class=\"govuk-link\" href=\"/c/halton/users\">Manage users</a>")
    );

    let new = "a longer passphrase of my own";
    for (fields, message) in [
        (
            vec![
                field("current", "not my password"),
                field("new", new),
                field("confirm", new),
            ],
            "Your current password is not right",
        ),
        (
            vec![
                field("current", PASSWORD),
                field("new", new),
                field("confirm", "something else entirely"),
            ],
            "The two new passwords are not the same",
        ),
        (
            vec![
                field("current", PASSWORD),
                field("new", "short"),
                field("confirm", "short"),
            ],
            "at least 12 characters",
        ),
    ] {
        let p = councillor.post("/account/password", &fields).await;
        assert_eq!(p.status, StatusCode::UNPROCESSABLE_ENTITY, "{message}");
        assert!(p.body.contains(message), "{message}");
        assert_eq!(councillor.get("/account").await.status, StatusCode::OK);
    }

    let done = councillor
        .post(
            "/account/password",
            &[
                field("current", PASSWORD),
                field("new", new),
                field("confirm", new),
            ],
        )
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER);
    let to = done.location.unwrap();
    assert_eq!(to, "/sign-in?done=password");
    assert!(signed_out(&councillor.get("/c/halton").await));
    assert!(
        signed_out(&elsewhere.get("/c/halton").await),
        "signed out everywhere"
    );
    assert!(
        councillor
            .get(&to)
            .await
            .body
            .contains("Your password has been changed.")
    );
    assert_eq!(
        Client::new(&app)
            .sign_in("councillor", PASSWORD)
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        Client::new(&app).sign_in("councillor", new).await.status,
        StatusCode::SEE_OTHER
    );
}

#[tokio::test]
async fn guessing_the_current_password_is_throttled_like_signing_in() {
    let (_db, app) = setup().await;
    let mut councillor = Client::signed_in(&app, "councillor").await;
    councillor.get("/account").await;
    let new = "a longer passphrase of my own";
    for _ in 0..5 {
        let p = councillor
            .post(
                "/account/password",
                &[
                    field("current", "a wrong guess"),
                    field("new", new),
                    field("confirm", new),
                ],
            )
            .await;
        assert!(p.body.contains("Your current password is not right"));
    }
    let p = councillor
        .post(
            "/account/password",
            &[
                field("current", PASSWORD),
                field("new", new),
                field("confirm", new),
            ],
        )
        .await;
    assert_eq!(p.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(p.body.contains("too many wrong passwords"), "{}", p.body);
    assert_eq!(
        Client::new(&app).sign_in("councillor", new).await.status,
        StatusCode::UNAUTHORIZED,
        "the password did not change"
    );
}
