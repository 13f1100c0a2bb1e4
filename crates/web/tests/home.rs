//! The home page lists each council's plans and quarters from the database.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use axum::body::Body;
use axum::http::{Request, StatusCode};
use beacon_test_support::TempDb;
use http_body_util::BodyExt;
use tower::ServiceExt;

async fn get(app: axum::Router, path: &str) -> (StatusCode, String) {
    let res = app
        .oneshot(Request::builder().uri(path).body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = res.status();
    let body = res.into_body().collect().await.unwrap().to_bytes();
    (status, String::from_utf8(body.to_vec()).unwrap())
}

#[tokio::test]
async fn the_home_page_lists_the_example_councils_plans() {
    let db = TempDb::with_halton().await;
    let (status, html) = get(beacon_web::router(db.store.clone()), "/").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains("<h2 id=\"council-halton\">Halton Borough Council</h2>"),
        "{html}"
    );
    assert!(
        html.contains(
            "<td>CYPD-2011-14</td><td>Children &#38; Young People&#39;s Directorate Plan</td>"
        ),
        "{html}"
    );
    assert!(html.contains("Directorate Performance Overview Report: CED 2012/13 Q2"));
}

#[tokio::test]
async fn an_empty_database_says_how_to_load_a_council() {
    let db = TempDb::new().await;
    let (status, html) = get(beacon_web::router(db.store.clone()), "/").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("No council is loaded yet"));
}
