//! Who may do what, checked over every route of the registry: each route × each role × the
//! user's own council and another council, each cell asserting the exact answer and why (let
//! through to the route's own answer, sent to sign in, refused with 403, or hidden with a 404
//! that comes from the access check, since the other council holds the same data); every
//! denied write leaves the database as it was.
//! Then CSRF (missing, wrong and cross-origin tokens on every state-changing route), sessions
//! (fixation, timeouts, signing out everywhere, disabling) and sign-in throttling.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::common;

use axum::http::StatusCode;
use beacon_app::access::Role;
use beacon_app::accounts::{self, UserChange};
use beacon_app::{Governance, Store};
use beacon_test_support::TempDb;
use beacon_test_support::contract::fixtures::{everything, other_council};
use beacon_web::routes::{Access, ROUTES, RouteSpec};
use chrono::{DateTime, Duration, TimeZone, Utc};
use common::{Client, PASSWORD, Page, halton_with_users, signed_out};
use std::sync::{Arc, Mutex};

/// Allowed, denied.
const A: bool = true;
const D: bool = false;

/// The expected outcome of every route: for anonymous, administrator, performance officer,
/// contributor (of CED), approver (of CED) and councillor on their own council, and for any
/// of the five roles on another council's data. A route without a row fails the test.
const MATRIX: &[(&str, [bool; 6], bool)] = &[
    //                       anon admin perf  contr appr  cllr   other council
    ("home", [A, A, A, A, A, A], A),
    ("sign-in", [A, A, A, A, A, A], A),
    ("sign-in-submit", [A, A, A, A, A, A], A),
    ("sign-out", [D, A, A, A, A, A], A),
    ("account", [D, A, A, A, A, A], A),
    ("account-password", [D, A, A, A, A, A], A),
    ("account-mfa", [D, A, A, A, A, A], A),
    ("account-mfa-submit", [D, A, A, A, A, A], A),
    ("account-mfa-off", [D, A, A, A, A, A], A),
    ("account-mfa-codes", [D, A, A, A, A, A], A),
    ("sign-in-code", [A, A, A, A, A, A], A),
    ("sign-in-code-submit", [A, A, A, A, A, A], A),
    ("sign-in-set-up", [A, A, A, A, A, A], A),
    ("sign-in-set-up-submit", [A, A, A, A, A, A], A),
    ("council", [D, A, A, A, A, A], D),
    ("search", [D, A, A, A, A, A], D),
    ("dashboard", [D, A, A, A, A, A], D),
    ("budget", [D, A, A, A, A, A], D),
    ("statement", [D, A, A, A, A, A], D),
    ("statement-edit", [D, A, A, D, D, D], D),
    ("statement-edit-submit", [D, A, A, D, D, D], D),
    ("statement-remove", [D, A, A, D, D, D], D),
    ("statement-remove-submit", [D, A, A, D, D, D], D),
    ("new-statement", [D, A, A, D, D, D], D),
    ("new-statement-submit", [D, A, A, D, D, D], D),
    ("entry", [D, A, A, A, D, D], D),
    ("entry-submit", [D, A, A, A, D, D], D),
    ("workbook", [D, A, A, A, D, D], D),
    ("workbook-upload", [D, A, A, A, D, D], D),
    ("sign-off", [D, A, A, A, A, A], D),
    ("submit", [D, A, A, A, D, D], D),
    ("send-back", [D, A, D, D, A, D], D),
    ("approve", [D, A, D, D, A, D], D),
    ("reopen", [D, A, D, D, A, D], D),
    ("publish", [D, A, A, D, D, D], D),
    ("report", [D, A, A, A, A, A], D),
    ("report-file", [D, A, A, A, A, A], D),
    ("cover-report", [D, A, A, A, A, A], D),
    ("cover-report-file", [D, A, A, A, A, A], D),
    ("outturn-report", [D, A, A, A, A, A], D),
    ("outturn-report-file", [D, A, A, A, A, A], D),
    ("target-review", [D, A, A, A, A, A], D),
    ("target-review-file", [D, A, A, A, A, A], D),
    ("community-report", [D, A, A, A, A, A], D),
    ("community-report-file", [D, A, A, A, A, A], D),
    ("missing", [D, A, A, D, D, D], D),
    ("calendar", [D, A, A, A, A, A], D),
    ("notices", [D, A, D, D, D, D], D),
    ("plan", [D, A, A, A, A, A], D),
    ("objective", [D, A, A, A, A, A], D),
    ("indicator", [D, A, A, A, A, A], D),
    ("risks", [D, A, A, A, A, A], D),
    ("compare", [D, A, A, A, A, A], D),
    ("refresh", [D, A, A, D, D, D], D),
    ("refresh-submit", [D, A, A, D, D, D], D),
    ("edit-plan", [D, A, A, D, D, D], D),
    ("edit-budget", [D, A, A, D, D, D], D),
    ("edit-budget-submit", [D, A, A, D, D, D], D),
    ("edit-item", [D, A, A, D, D, D], D),
    ("edit-item-submit", [D, A, A, D, D, D], D),
    ("new-plan", [D, A, A, D, D, D], D),
    ("organisation", [D, A, A, D, D, D], D),
    ("organisation-item", [D, A, A, D, D, D], D),
    ("organisation-item-submit", [D, A, A, D, D, D], D),
    ("new-plan-submit", [D, A, A, D, D, D], D),
    ("library", [D, A, A, D, D, D], D),
    ("library-entry", [D, A, A, D, D, D], D),
    ("library-entry-submit", [D, A, A, D, D, D], D),
    ("priorities", [D, A, A, A, A, A], D),
    ("priority", [D, A, A, A, A, A], D),
    ("table", [D, A, A, A, A, A], D),
    ("users", [D, A, D, D, D, D], D),
    ("user", [D, A, D, D, D, D], D),
    ("user-roles", [D, A, D, D, D, D], D),
    ("user-password", [D, A, D, D, D, D], D),
    ("user-access", [D, A, D, D, D, D], D),
    ("add-user", [D, A, D, D, D, D], D),
    ("add-user-submit", [D, A, D, D, D, D], D),
    ("public", [A, A, A, A, A, A], A),
    ("publication", [A, A, A, A, A, A], A),
    ("published-file", [A, A, A, A, A, A], A),
    ("css", [A, A, A, A, A, A], A),
    ("js", [A, A, A, A, A, A], A),
    ("colour", [A, A, A, A, A, A], A),
    ("script", [A, A, A, A, A, A], A),
    ("health", [A, A, A, A, A, A], A),
    ("ready", [A, A, A, A, A, A], A),
    ("account-token", [D, A, A, A, A, A], A),
    ("account-token-revoke", [D, A, A, A, A, A], A),
    ("account-notices", [D, A, A, A, A, A], A),
    // The API, each role with its own token (read-write where its roles write, else read).
    ("api-reference", [A, A, A, A, A, A], A),
    ("api-openapi", [A, A, A, A, A, A], A),
    ("api-councils", [D, A, A, A, A, A], A),
    ("api-council", [D, A, A, A, A, A], D),
    ("api-units", [D, A, A, A, A, A], D),
    ("api-officers", [D, A, A, A, A, A], D),
    ("api-frames", [D, A, A, A, A, A], D),
    ("api-setup", [D, A, A, D, D, D], D),
    ("api-plans", [D, A, A, A, A, A], D),
    ("api-plan", [D, A, A, A, A, A], D),
    ("api-objectives", [D, A, A, A, A, A], D),
    ("api-milestones", [D, A, A, A, A, A], D),
    ("api-indicators", [D, A, A, A, A, A], D),
    ("api-indicator", [D, A, A, A, A, A], D),
    ("api-risks", [D, A, A, A, A, A], D),
    ("api-equality-actions", [D, A, A, A, A, A], D),
    ("api-budget-statements", [D, A, A, A, A, A], D),
    ("api-publications", [D, A, A, A, A, A], D),
    ("api-quarter-states", [D, A, A, A, A, A], D),
    ("api-statuses", [D, A, A, A, A, A], D),
    ("api-unit-quarter", [D, A, A, A, A, A], D),
    ("api-report", [D, A, A, A, A, A], D),
    ("api-entries", [D, A, A, A, D, D], D),
    ("api-status", [D, A, A, A, D, D], D),
    ("api-submit", [D, A, A, A, D, D], D),
    ("api-send-back", [D, A, D, D, A, D], D),
    ("api-sign-off", [D, A, D, D, A, D], D),
    ("api-reopen", [D, A, D, D, A, D], D),
    ("api-publish", [D, A, A, D, D, D], D),
    ("api-public-publications", [A, A, A, A, A, A], A),
    ("api-public-report", [A, A, A, A, A, A], A),
];

const ROLES: [&str; 5] = [
    "admin",
    "performance",
    "contributor",
    "approver",
    "councillor",
];

/// A copy of the example council under another reference, so that every path of the matrix
/// exists on another council too: a 404 there can only come from the access check.
const TWIN: &str = "twin";

/// A path for a route, on a council.
fn sample(spec: &RouteSpec, council: &str) -> String {
    spec.path
        .replace("{council}", council)
        .replace("{year}", "2012-13")
        .replace("{quarter}", "2")
        .replace("{unit}", "CED")
        .replace("{statement}", "CED-revenue")
        .replace("{plan}", "CED-2012-13")
        .replace("{objective}", "LAS1")
        .replace("{indicator}", "SCS%20CYP09")
        .replace("{frame}", "SCS-CYP")
        .replace("{what}", "indicator")
        .replace("{part}", "unit")
        .replace("{member}", "CED")
        .replace("{entry}", "new")
        .replace(
            "{file}",
            match spec.name {
                "table" => "risks.csv",
                "colour" => "1d70b8.css",
                "script" => "init.js",
                _ => "report.json",
            },
        )
        .replace("{version}", "v1")
        .replace("{token}", "999999")
        .replace("{kind}", "indicators")
        .replace("{item}", "SCS%20CYP09")
        .replace(
            "{user}",
            if council == TWIN {
                "twinspare"
            } else {
                "spare"
            },
        )
}

/// What a cell of the matrix expects, and why.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Answer {
    /// Let through to the route: its own answer, exactly as [`THROUGH`] says.
    Through,
    /// Not signed in, asking for a page: sent to sign in, and back here afterwards.
    SignIn,
    /// Not allowed: 403 with the words saying what to do instead.
    Forbidden,
    /// Another council's: 404 from the access check (the same path is there for that
    /// council's own users, so it is not missing data).
    Hidden,
    /// The API without a token: 401 saying to send one (the API never sends anyone to sign in).
    NoToken,
}

/// What each route answers a user let through with the matrix's request: its status, and a
/// phrase of its page that says why. A 400 or a 500 is never an answer here.
const THROUGH: &[(&str, u16, &str)] = &[
    ("home", 200, "<title>Councils"),
    ("sign-in", 200, "name=\"password\""),
    ("sign-in-submit", 303, ""),
    ("sign-out", 303, ""),
    ("account", 200, "Change your password"),
    ("account-password", 422, "Enter your current password"),
    ("account-mfa", 200, "Set up multi-factor sign-in"),
    (
        "account-mfa-submit",
        422,
        "Enter the code your authenticator app shows",
    ),
    (
        "account-mfa-off",
        422,
        "Enter the code your authenticator app shows",
    ),
    (
        "account-mfa-codes",
        422,
        "Enter the code your authenticator app shows",
    ),
    ("sign-in-code", 401, "Sign in again"),
    ("sign-in-code-submit", 401, "Sign in again"),
    ("sign-in-set-up", 401, "Sign in again"),
    ("sign-in-set-up-submit", 401, "Sign in again"),
    ("council", 200, "govuk-heading-l"),
    ("search", 200, "govuk-heading-l"),
    ("dashboard", 200, "govuk-heading-l"),
    ("budget", 200, "govuk-heading-l"),
    ("statement", 200, "govuk-table"),
    ("statement-edit", 200, "Totals"),
    ("statement-edit-submit", 422, "govuk-error-summary"),
    (
        "statement-remove",
        200,
        "Are you sure you want to remove this statement?",
    ),
    (
        "statement-remove-submit",
        422,
        "Select yes to remove statement CED-revenue",
    ),
    ("new-statement", 200, "Add a budget statement"),
    ("new-statement-submit", 422, "govuk-error-summary"),
    ("entry", 200, "<title>Enter data for Quarter 2"),
    (
        "entry-submit",
        409,
        "<title>Error: Enter data for Quarter 2",
    ),
    ("workbook", 200, ""),
    ("workbook-upload", 422, "Select a collection workbook"),
    ("sign-off", 200, "quarter-state"),
    ("submit", 409, "<title>Error: Sign-off"),
    ("send-back", 409, "<title>Error: Sign-off"),
    ("approve", 409, "<title>Error: Sign-off"),
    ("reopen", 409, "<title>Error: Sign-off"),
    ("publish", 409, "<title>Error: Sign-off"),
    ("report", 200, "<iframe"),
    ("report-file", 200, "\"council\""),
    ("cover-report", 200, "<iframe"),
    ("cover-report-file", 200, "\"council\""),
    ("outturn-report", 200, "<iframe"),
    ("outturn-report-file", 200, "\"council\""),
    ("target-review", 200, "<iframe"),
    ("target-review-file", 200, "\"council\""),
    ("community-report", 200, "<iframe"),
    ("community-report-file", 200, "\"council\""),
    ("missing", 200, "Progress by unit"),
    ("calendar", 200, "Calendar 2012/13"),
    ("notices", 200, "notice-counts"),
    ("plan", 200, "govuk-heading-l"),
    ("objective", 200, "govuk-heading-l"),
    ("indicator", 200, "govuk-heading-l"),
    ("risks", 200, "govuk-table"),
    ("compare", 200, "Compare CED-2012-13 with another plan"),
    ("refresh", 200, "Refresh this plan for 2013/14"),
    ("refresh-submit", 422, "govuk-error-summary"),
    ("edit-plan", 200, "Edit Children and Enterprise Directorate"),
    ("edit-budget", 200, "Budget changes"),
    ("edit-budget-submit", 422, "govuk-error-summary"),
    ("edit-item", 200, "Change indicator SCS CYP09"),
    ("edit-item-submit", 422, "govuk-error-summary"),
    ("new-plan", 200, "Create a plan"),
    ("organisation", 200, "Organisation and priorities"),
    ("organisation-item", 200, "Change"),
    ("organisation-item-submit", 422, "govuk-error-summary"),
    ("new-plan-submit", 422, "govuk-error-summary"),
    ("library", 200, "Indicator library"),
    ("library-entry", 200, "Add a library indicator"),
    ("library-entry-submit", 422, "govuk-error-summary"),
    ("priorities", 200, "Children and Young People in Halton"),
    ("priority", 200, "Indicators that serve"),
    ("table", 200, ""),
    ("users", 200, "govuk-table"),
    ("user", 200, "govuk-heading-l"),
    ("user-roles", 422, "govuk-error-summary"),
    ("user-password", 200, "beacon-password"),
    (
        "user-access",
        422,
        "Say whether to disable or enable the account",
    ),
    ("add-user", 200, "name=\"username\""),
    ("add-user-submit", 422, "govuk-error-summary"),
    ("public", 200, "published reports"),
    ("publication", 200, "CED, Quarter 2 2012/13"),
    ("published-file", 200, "\"council\""),
    ("css", 200, ""),
    ("js", 200, ""),
    ("colour", 200, ".govuk-header"),
    ("script", 200, "js-enabled"),
    ("health", 200, "ok"),
    ("ready", 200, ""),
    ("account-token", 422, "Enter a name for the token"),
    ("account-token-revoke", 404, "Page not found"),
    (
        "account-notices",
        422,
        "Enter the email address notices should go to",
    ),
    ("api-reference", 200, "Beacon API reference"),
    ("api-openapi", 200, "\"openapi\""),
    ("api-councils", 200, "\"ref\":\"halton\""),
    ("api-council", 200, "\"name\""),
    ("api-units", 200, "\"items\""),
    ("api-officers", 200, "\"items\""),
    ("api-frames", 200, "\"items\""),
    // An empty set-up: refused, naming what was missing, and nothing loaded.
    ("api-setup", 422, "nothing was loaded"),
    ("api-plans", 200, "\"items\""),
    ("api-plan", 200, "\"objectives\""),
    ("api-objectives", 200, "\"items\""),
    ("api-milestones", 200, "\"items\""),
    ("api-indicators", 200, "\"items\""),
    ("api-indicator", 200, "\"targets\""),
    ("api-risks", 200, "\"items\""),
    ("api-equality-actions", 200, "\"items\""),
    ("api-budget-statements", 200, "\"items\""),
    ("api-publications", 200, "\"items\""),
    ("api-quarter-states", 200, "\"items\""),
    ("api-statuses", 200, "\"indicators\""),
    ("api-unit-quarter", 200, "\"status\""),
    ("api-report", 200, "\"council\""),
    // Each write with a stale If-Match: refused before anything changes.
    ("api-entries", 412, "changed since you read it"),
    ("api-status", 412, "changed since you read it"),
    ("api-submit", 412, "changed since you read it"),
    ("api-send-back", 412, "changed since you read it"),
    ("api-sign-off", 412, "changed since you read it"),
    ("api-reopen", 412, "changed since you read it"),
    ("api-publish", 412, "changed since you read it"),
    ("api-public-publications", 200, "\"items\""),
    ("api-public-report", 200, "\"council\""),
];

/// The answer a cell expects: from the matrix, the route and who is asking.
fn expected(spec: &RouteSpec, anonymous: bool, own_council: bool, allowed: bool) -> Answer {
    match (allowed, anonymous, own_council) {
        (true, _, _) => Answer::Through,
        (false, true, _) if beacon_web::api::is_api(spec.path) => Answer::NoToken,
        (false, true, _) if spec.writes() => Answer::Forbidden,
        (false, true, _) => Answer::SignIn,
        (false, false, true) => Answer::Forbidden,
        (false, false, false) => Answer::Hidden,
    }
}

/// Checks a response against the answer a cell expects, saying why it is wrong if it is.
fn check(spec: &RouteSpec, path: &str, answer: Answer, p: &Page) -> Result<(), String> {
    let got = format!(
        "{} {:?} {}",
        p.status,
        p.location,
        &p.body[..p.body.len().min(300)]
    );
    match answer {
        Answer::Through => {
            let (_, status, phrase) = THROUGH
                .iter()
                .find(|(n, _, _)| *n == spec.name)
                .ok_or_else(|| format!("route {} has no row in THROUGH", spec.name))?;
            let to_sign_in = p
                .location
                .as_deref()
                .is_some_and(|l| l.starts_with("/sign-in"))
                && spec.name != "sign-out";
            if p.status.as_u16() != *status || !p.body.contains(phrase) || to_sign_in {
                return Err(format!("expected {status} with {phrase:?}; got {got}"));
            }
        }
        Answer::SignIn => {
            let back = format!("/sign-in?next={}", beacon_web::paths::seg(path));
            if p.status != StatusCode::SEE_OTHER || p.location.as_deref() != Some(back.as_str()) {
                return Err(format!("expected a redirect to {back}; got {got}"));
            }
        }
        Answer::Forbidden => {
            let words = ["You do not have permission", "Sign in to do this"];
            if p.status != StatusCode::FORBIDDEN || !words.iter().any(|w| p.body.contains(w)) {
                return Err(format!("expected 403 saying why; got {got}"));
            }
        }
        Answer::Hidden => {
            if p.status != StatusCode::NOT_FOUND || !p.body.contains("Page not found") {
                return Err(format!("expected 404 Page not found; got {got}"));
            }
        }
        Answer::NoToken => {
            if p.status != StatusCode::UNAUTHORIZED || !p.body.contains("Send an API token") {
                return Err(format!("expected 401 asking for a token; got {got}"));
            }
        }
    }
    Ok(())
}

/// Everything a write could change.
async fn snapshot(db: &TempDb) -> String {
    let mut out = String::new();
    for c in ["halton", "knowsley", TWIN] {
        let c = c.parse().unwrap();
        out.push_str(&format!("{:?}", db.store.council_data(&c).await.unwrap()));
        out.push_str(&format!(
            "{:?}",
            db.store.quarter_statuses(&c).await.unwrap()
        ));
        out.push_str(&format!("{:?}", db.store.publications(&c).await.unwrap()));
    }
    out.push_str(&format!("{:?}", db.store.audit_trail().await.unwrap()));
    out.push_str(&format!("{:?}", db.store.users().await.unwrap()));
    out
}

/// The example council, another council, the users (and a spare one for the administrator's
/// pages to change), and the CED quarter published.
async fn setup() -> (TempDb, axum::Router) {
    let db = halton_with_users().await;
    common::add_user(&db, "spare", Role::Contributor, "halton", Some("CED")).await;
    db.store.apply(&everything(&other_council())).await.unwrap();
    let twin: Vec<_> = beacon_test_support::halton_sources()
        .into_iter()
        .map(|mut source| {
            source.text = source.text.replace("ref = \"halton\"", "ref = \"twin\"");
            source
        })
        .collect();
    beacon_test_support::load_files(&db.store, &twin)
        .await
        .unwrap();
    common::add_user(&db, "twinadmin", Role::Administrator, TWIN, None).await;
    common::add_user(&db, "twinspare", Role::Contributor, TWIN, Some("CED")).await;
    let app = beacon_web::router(db.store.clone());
    let base = "/c/halton/q/2012-13/2/sign-off/CED";
    for (who, step) in [
        ("contributor", "submit"),
        ("approver", "sign-off"),
        ("performance", "publish"),
    ] {
        let mut c = Client::signed_in(&app, who).await;
        let page = c.get(base).await;
        let form = common::form_fields_of(&page.body, &format!("{base}/{step}"));
        let done = c.post(&format!("{base}/{step}"), &form).await;
        assert_eq!(
            done.status,
            StatusCode::SEE_OTHER,
            "{who} {step}: {}",
            done.body
        );
    }
    (db, app)
}

/// A token for each user of the matrix, made through the use case: read and write where the
/// user's roles write, else read.
async fn api_tokens(db: &TempDb) -> std::collections::HashMap<String, String> {
    let mut out = std::collections::HashMap::new();
    for (who, council) in ROLES
        .iter()
        .map(|r| (*r, "halton"))
        .chain([("twinadmin", TWIN)])
    {
        let principal = accounts::acting_as(&db.store, who).await.unwrap();
        let scope = if beacon_app::tokens::may_write(&principal, &council.parse().unwrap()) {
            "read-write"
        } else {
            "read"
        };
        let req = beacon_app::tokens::TokenRequest {
            name: "matrix".into(),
            council: council.into(),
            scope: scope.into(),
            days: "30".into(),
        };
        // The router in the matrix runs on the system clock.
        #[allow(clippy::disallowed_methods)]
        let now = Utc::now();
        let made = beacon_app::tokens::create(&db.store, &principal, &req, now)
            .await
            .unwrap()
            .unwrap();
        out.insert(who.to_string(), made.token);
    }
    out
}

/// An API request as an integrator sends it: the bearer token (if any), and for a write a
/// JSON body with a stale If-Match, so that nothing is changed by it.
async fn api_request(c: &mut Client, spec: &RouteSpec, path: &str, token: Option<&str>) -> Page {
    let mut req = c.request(spec.method, path);
    if let Some(t) = token {
        req = req.header("authorization", format!("Bearer {t}"));
    }
    let body = if spec.writes() {
        req = req
            .header("content-type", "application/json")
            .header("if-match", "\"1\"");
        axum::body::Body::from(if spec.name == "api-status" {
            r#"{"status": "amber", "reason": "the matrix"}"#
        } else {
            "{}"
        })
    } else {
        axum::body::Body::empty()
    };
    c.send(req.body(body).unwrap()).await
}

async fn request(c: &mut Client, spec: &RouteSpec, path: &str) -> Page {
    if spec.name == "workbook-upload" {
        // The upload form is multipart: sent as the page sends it, without a file.
        let boundary = "matrix-boundary";
        let body = format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\n{}\r\n--{boundary}--\r\n",
            c.token.clone().unwrap_or_default()
        );
        let req = c
            .request("POST", path)
            .header(
                "content-type",
                format!("multipart/form-data; boundary={boundary}"),
            )
            .header("origin", common::ORIGIN)
            .body(axum::body::Body::from(body))
            .unwrap();
        return c.send(req).await;
    }
    if spec.writes() {
        // A well-formed form, so that a user let through gets the route's own answer (the
        // quarter's version is stale on purpose: nothing is changed by a step).
        let fields = if spec.name == "sign-in-submit" {
            vec![
                ("username".to_string(), "councillor".to_string()),
                ("password".to_string(), PASSWORD.to_string()),
            ]
        } else {
            vec![
                ("version".to_string(), "1".to_string()),
                ("reason".to_string(), "the matrix".to_string()),
            ]
        };
        c.post(path, &fields).await
    } else {
        c.get(path).await
    }
}

#[tokio::test]
async fn every_route_allows_and_denies_as_the_matrix_says() {
    let (db, app) = setup().await;
    let tokens = api_tokens(&db).await;
    let api = |spec: &RouteSpec| beacon_web::api::is_api(spec.path);
    let mut wrong = Vec::new();
    for spec in ROUTES {
        let Some((_, row, other)) = MATRIX.iter().find(|(n, _, _)| *n == spec.name) else {
            panic!(
                "route {} ({} {}) has no row in the matrix",
                spec.name, spec.method, spec.path
            );
        };
        for (i, who) in std::iter::once("anonymous").chain(ROLES).enumerate() {
            let anonymous = who == "anonymous";
            // Own council, then another council's (public routes are the same for everyone).
            let mut cases = vec![(
                sample(spec, "halton"),
                expected(spec, anonymous, true, row[i]),
            )];
            if !anonymous && spec.access != Access::Public && spec.path.contains("{council}") {
                cases.push((sample(spec, TWIN), expected(spec, false, false, *other)));
            }
            for (path, answer) in cases {
                // A fresh session each time: signing out must not spill into the next case.
                let mut c = if anonymous {
                    let mut c = Client::new(&app);
                    c.get("/sign-in").await;
                    c
                } else {
                    Client::signed_in(&app, who).await
                };
                if !anonymous {
                    c.get("/").await;
                }
                let before = snapshot(&db).await;
                let page = if api(spec) {
                    api_request(&mut c, spec, &path, tokens.get(who).map(String::as_str)).await
                } else {
                    request(&mut c, spec, &path).await
                };
                if let Err(why) = check(spec, &path, answer, &page) {
                    wrong.push(format!("{who} {} {path} ({answer:?}): {why}", spec.method));
                }
                if answer != Answer::Through || !spec.writes() {
                    assert_eq!(
                        snapshot(&db).await,
                        before,
                        "{who} {} {path} changed the database",
                        spec.method
                    );
                }
            }
        }
        // The other council's path is there for its own administrator: a 404 above came from
        // the access check, not from missing data.
        if spec.access != Access::Public && spec.path.contains("{council}") && !spec.writes() {
            let mut twin = Client::signed_in(&app, "twinadmin").await;
            let path = sample(spec, TWIN);
            let page = if api(spec) {
                api_request(
                    &mut twin,
                    spec,
                    &path,
                    tokens.get("twinadmin").map(String::as_str),
                )
                .await
            } else {
                request(&mut twin, spec, &path).await
            };
            if page.status == StatusCode::NOT_FOUND {
                wrong.push(format!(
                    "twinadmin GET {path}: the other council lacks this data"
                ));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "{} cells wrong:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
    for (name, _, _) in MATRIX {
        assert!(
            ROUTES.iter().any(|r| r.name == *name),
            "the matrix names a route that does not exist: {name}"
        );
    }
}

#[tokio::test]
async fn a_contributor_enters_only_for_their_own_units() {
    let (_db, app) = setup().await;
    let mut c = Client::signed_in(&app, "contributor").await;
    // CED-LAD is under CED: allowed. CFS is under CYPD: not.
    let own = c.get("/c/halton/q/2012-13/2/entry/CED-LAD").await;
    assert_eq!(own.status, StatusCode::OK, "{}", own.body);
    let other = c.get("/c/halton/q/2012-13/2/entry/CFS").await;
    assert_eq!(other.status, StatusCode::FORBIDDEN);
    assert!(other.body.contains("You do not have permission"));
}

/// A forged request: what it is, its fields, its Origin.
type Forgery<'a> = (&'a str, Vec<(String, String)>, Option<&'a str>);

#[tokio::test]
async fn every_state_changing_route_refuses_missing_wrong_and_cross_origin_tokens() {
    let (db, app) = setup().await;
    let writes: Vec<&RouteSpec> = ROUTES.iter().filter(|r| r.writes()).collect();
    // The API takes no cookie: a forged request carrying the session is not even let in.
    let refused = |spec: &RouteSpec| {
        if beacon_web::api::is_api(spec.path) {
            StatusCode::UNAUTHORIZED
        } else {
            StatusCode::FORBIDDEN
        }
    };
    assert!(writes.len() >= 9, "{} state-changing routes", writes.len());
    for spec in writes {
        let path = sample(spec, "halton");
        let mut c = Client::signed_in(&app, "admin").await;
        c.get("/").await;
        let good = c.token.clone().unwrap();
        let before = snapshot(&db).await;
        let cases: [Forgery; 5] = [
            ("missing token", vec![], Some(common::ORIGIN)),
            (
                "wrong token",
                vec![("csrf_token".into(), "0".repeat(good.len()))],
                Some(common::ORIGIN),
            ),
            (
                "cross-origin",
                vec![("csrf_token".into(), good.clone())],
                Some("https://evil.example"),
            ),
            (
                "look-alike origin",
                vec![("csrf_token".into(), good.clone())],
                Some("http://localhost.evil.example"),
            ),
            ("no origin", vec![("csrf_token".into(), good.clone())], None),
        ];
        for (what, fields, origin) in cases {
            let page = c.post_raw(&path, &fields, origin).await;
            assert_eq!(page.status, refused(spec), "{what} on {path}");
            assert_eq!(
                snapshot(&db).await,
                before,
                "{what} on {path} changed the database"
            );
        }
        // Still signed in: the refusals ended nothing.
        assert_eq!(c.get("/c/halton").await.status, StatusCode::OK);
    }
    // The sign-in form too: a token is needed before there is a session.
    let mut anon = Client::new(&app);
    let p = anon
        .post_raw(
            "/sign-in",
            &[
                ("username".into(), "admin".into()),
                ("password".into(), PASSWORD.into()),
            ],
            Some(common::ORIGIN),
        )
        .await;
    assert_eq!(p.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn no_get_changes_anything() {
    let (db, app) = setup().await;
    let mut c = Client::signed_in(&app, "admin").await;
    c.get("/").await;
    let before = snapshot(&db).await;
    for spec in ROUTES.iter().filter(|r| !r.writes()) {
        c.get(&sample(spec, "halton")).await;
    }
    assert_eq!(snapshot(&db).await, before);
}

/// An app whose clock the test moves.
fn app_at(db: &TempDb) -> (axum::Router, Arc<Mutex<DateTime<Utc>>>) {
    let now = Arc::new(Mutex::new(
        Utc.with_ymd_and_hms(2012, 10, 15, 9, 0, 0)
            .single()
            .unwrap(),
    ));
    let clock = Arc::clone(&now);
    let app = beacon_web::router_with(
        db.store.clone(),
        beacon_web::Options {
            clock: Arc::new(move || *clock.lock().unwrap()),
            ..beacon_web::Options::default()
        },
    );
    (app, now)
}

fn advance(now: &Arc<Mutex<DateTime<Utc>>>, by: Duration) {
    *now.lock().unwrap() += by;
}

#[tokio::test]
async fn a_session_cookie_is_secure_http_only_and_new_at_every_sign_in() {
    let db = halton_with_users().await;
    let app = beacon_web::router(db.store.clone());
    let mut c = Client::new(&app);
    c.get("/sign-in").await;
    // A session id planted before sign-in (fixation) is not kept.
    c.cookies.insert("beacon_session".into(), "ab".repeat(32));
    let req = c
        .request("POST", "/sign-in")
        .header("content-type", "application/x-www-form-urlencoded")
        .header("origin", common::ORIGIN)
        .body(axum::body::Body::from(format!(
            "username=councillor&password={}&csrf_token={}",
            common::urlencode(PASSWORD),
            c.token.clone().unwrap()
        )))
        .unwrap();
    let res = c.app.clone().oneshot_raw(req).await;
    let set = res
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .find(|v| v.starts_with("beacon_session="))
        .unwrap();
    assert!(
        set.contains("HttpOnly") && set.contains("Secure") && set.contains("SameSite=Lax"),
        "{set}"
    );
    let token = set["beacon_session=".len()..]
        .split(';')
        .next()
        .unwrap()
        .to_string();
    assert_ne!(token, "ab".repeat(32), "a new id, not the planted one");
    // The database holds the token's hash, never the token.
    assert!(db.store.session(&token).await.unwrap().is_none());
    assert!(
        db.store
            .session(&accounts::token_hash(&token))
            .await
            .unwrap()
            .is_some()
    );

    // Signing in again replaces the session: the first id no longer works.
    let mut first = Client::signed_in(&app, "councillor").await;
    let first_id = first.cookies["beacon_session"].clone();
    let mut second = first.clone();
    second.sign_in("councillor", PASSWORD).await;
    assert_ne!(second.cookies["beacon_session"], first_id);
    assert!(signed_out(&first.get("/c/halton").await));
    assert_eq!(second.get("/c/halton").await.status, StatusCode::OK);
}

/// Sends a request without the client's bookkeeping.
trait OneshotRaw {
    async fn oneshot_raw(
        self,
        req: axum::http::Request<axum::body::Body>,
    ) -> axum::response::Response;
}

impl OneshotRaw for axum::Router {
    async fn oneshot_raw(
        self,
        req: axum::http::Request<axum::body::Body>,
    ) -> axum::response::Response {
        use tower::ServiceExt;
        self.oneshot(req).await.unwrap()
    }
}

#[tokio::test]
async fn sessions_end_when_idle_after_twelve_hours_and_when_signed_out_anywhere() {
    let db = halton_with_users().await;
    let (app, now) = app_at(&db);

    let mut idle = Client::signed_in(&app, "councillor").await;
    advance(&now, Duration::minutes(29));
    assert_eq!(idle.get("/c/halton").await.status, StatusCode::OK);
    advance(&now, Duration::minutes(31));
    assert!(
        signed_out(&idle.get("/c/halton").await),
        "idle for 31 minutes"
    );

    let mut busy = Client::signed_in(&app, "councillor").await;
    for _ in 0..36 {
        advance(&now, Duration::minutes(20));
        assert_eq!(busy.get("/c/halton").await.status, StatusCode::OK);
    }
    advance(&now, Duration::minutes(20));
    assert!(
        signed_out(&busy.get("/c/halton").await),
        "past twelve hours"
    );

    // Signing out in one browser signs the user out in every browser.
    let mut laptop = Client::signed_in(&app, "approver").await;
    let mut phone = Client::signed_in(&app, "approver").await;
    laptop.get("/").await;
    let out = laptop.post("/sign-out", &[]).await;
    assert_eq!(out.status, StatusCode::SEE_OTHER);
    assert!(signed_out(&laptop.get("/c/halton").await));
    assert!(signed_out(&phone.get("/c/halton").await));

    // Disabling a user ends their sessions, and they cannot sign in again.
    let mut c = Client::signed_in(&app, "contributor").await;
    accounts::change_user(
        &db.store,
        "contributor",
        UserChange::Disable,
        &beacon_test_support::tester(),
    )
    .await
    .unwrap();
    assert!(signed_out(&c.get("/c/halton").await));
    let again = c.sign_in("contributor", PASSWORD).await;
    assert_eq!(again.status, StatusCode::UNAUTHORIZED);
    assert!(again.body.contains(accounts::REFUSED_MESSAGE));
}

#[tokio::test]
async fn sign_in_is_throttled_per_account_without_telling_which_accounts_exist() {
    let db = halton_with_users().await;
    let (app, now) = app_at(&db);
    let mut c = Client::new(&app);
    let wrong_password = c.sign_in("approver", "not the password at all").await;
    let no_such_user = c.sign_in("nobody", "not the password at all").await;
    assert_eq!(wrong_password.status, StatusCode::UNAUTHORIZED);
    assert_eq!(no_such_user.status, StatusCode::UNAUTHORIZED);
    let message = |p: &Page| {
        let at = p.body.find("govuk-error-summary__list").unwrap();
        p.body[at..at + 300].to_string()
    };
    assert_eq!(message(&wrong_password), message(&no_such_user));
    for _ in 0..4 {
        c.sign_in("approver", "not the password at all").await;
        c.sign_in("nobody", "not the password at all").await;
    }
    // Five failures in fifteen minutes: even the right password is refused for a while.
    let right = c.sign_in("approver", PASSWORD).await;
    assert_eq!(right.status, StatusCode::UNAUTHORIZED);
    assert!(right.body.contains("too many attempts"), "{}", right.body);
    let ghost = c.sign_in("nobody", PASSWORD).await;
    assert!(
        ghost.body.contains("too many attempts"),
        "the same for a name that does not exist"
    );
    // Another account is not affected.
    assert_eq!(
        c.sign_in("councillor", PASSWORD).await.status,
        StatusCode::SEE_OTHER
    );
    advance(&now, Duration::minutes(16));
    let mut later = Client::new(&app);
    assert_eq!(
        later.sign_in("approver", PASSWORD).await.status,
        StatusCode::SEE_OTHER
    );
}
