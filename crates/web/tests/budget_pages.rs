//! The statement page lays a budget book out in its own columns with the scale: expenditure,
//! income and net, no variance and no overspend; a revenue statement keeps its variance.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::common;

use axum::http::StatusCode;
use common::{Client, halton_with_users};

#[tokio::test]
async fn a_budget_book_page_has_expenditure_income_and_net_with_the_scale() {
    let db = halton_with_users().await;
    beacon_test_support::load_files(
        &db.store,
        &beacon_test_support::budget_files::budget_sources(),
    )
    .await
    .unwrap();
    let app = beacon_web::router(db.store.clone());
    let mut c = Client::signed_in(&app, "performance").await;
    let p = c.get("/c/halton/q/2012-13/1/budget/CFS-budget").await;
    assert_eq!(p.status, StatusCode::OK);
    let table = &p.body[p.body.find("<table").unwrap()..p.body.find("</table>").unwrap()];
    for head in ["Expenditure £", "Income £", "Net £", "000"] {
        assert!(table.contains(head), "{head} in {table}");
    }
    assert!(!table.contains("Variance"), "{table}");
    assert!(!table.contains("overspend"), "{table}");
    assert!(table.contains("4,050"));

    let p = c.get("/c/halton/q/2012-13/2/budget/CED-revenue").await;
    assert!(p.body.contains("Variance to date (overspend) £"));
    assert!(p.body.contains("overspends in brackets"));
}
