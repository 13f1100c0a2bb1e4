//! Any two versions of one plan compared: a performance officer changes an approved plan twice
//! on screen (each change a new version, with a reason); the plan page links each version to
//! its comparison with the one before, and the comparison of version 1 with version 3 lists
//! exactly the changes made.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::common;

use axum::http::StatusCode;
use common::{Client, Page, halton_with_users};

const PLAN: &str = "/c/halton/plans/CED-2012-13";

/// A form that posts to itself, filled in.
async fn fill(c: &mut Client, form: &str, changes: &[(&str, &str)]) -> Page {
    common::fill(c, form, form, changes).await
}

#[tokio::test]
async fn two_changes_to_an_approved_plan_are_compared_version_1_with_version_3() {
    let db = halton_with_users().await;
    let app = beacon_web::router(db.store.clone());
    let mut c = Client::signed_in(&app, "performance").await;
    let objective = format!("{PLAN}/edit/objective/LAS1");
    let p = fill(
        &mut c,
        &objective,
        &[
            ("statement", "Support schools to improve"),
            ("reason", "The board's wording"),
        ],
    )
    .await;
    assert_eq!(p.status, StatusCode::SEE_OTHER, "{}", p.body);
    assert!(p.location.unwrap().contains("saved-v2"));
    let indicator = format!("{PLAN}/edit/indicator/SCS%20CYP09");
    let p = fill(
        &mut c,
        &indicator,
        &[
            ("targets", "2012/13: 86%"),
            ("key", ""),
            ("reason", "Raised after the Ofsted results"),
        ],
    )
    .await;
    assert_eq!(p.status, StatusCode::SEE_OTHER, "{}", p.body);
    assert!(p.location.unwrap().contains("saved-v3"));

    // The plan page links each change to its comparison with the version before.
    let page = c.get(PLAN).await.body;
    for href in ["compare?from=1&#38;to=2", "compare?from=2&#38;to=3"] {
        assert!(page.contains(href), "{href} in {page}");
    }
    assert!(page.contains("Compare with previous"));

    // Version 1 with version 3: the two changes made, and the version itself; nothing else.
    let cmp = c.get(&format!("{PLAN}/compare?from=1&to=3")).await;
    assert_eq!(cmp.status, StatusCode::OK, "{}", cmp.body);
    let body = cmp.body;
    assert!(
        body.contains("What version 3 changed from version 1"),
        "{body}"
    );
    let changed: Vec<&str> = body
        .split("<h3 class=\"govuk-heading-s\">")
        .skip(1)
        .map(|h| h[..h.find(" <strong").unwrap()].trim())
        .collect();
    assert_eq!(
        changed,
        ["plan CED-2012-13", "objective LAS1", "indicator SCS CYP09"],
        "{body}"
    );
    for cell in [
        ">statement</th><td class=\"govuk-table__cell\"></td><td class=\"govuk-table__cell\">Support schools to improve<",
        ">targets.2012/13</th><td class=\"govuk-table__cell\">84%</td><td class=\"govuk-table__cell\">86%<",
        ">version</th><td class=\"govuk-table__cell\">(none)</td><td class=\"govuk-table__cell\">3<",
    ] {
        assert!(body.contains(cell), "{cell} in {body}");
    }
    // The form offers the kept versions; a version never kept is not found.
    assert!(body.contains("Compare two versions of CED-2012-13"));
    assert_eq!(
        c.get(&format!("{PLAN}/compare?from=7&to=3")).await.status,
        StatusCode::NOT_FOUND
    );
}
