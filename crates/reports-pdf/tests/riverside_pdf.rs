#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! The invented council's business plan (examples/riverside) as PDF: its equality actions in a
//! table sized to fit, read back with poppler's `pdftotext`.

use beacon_app::{CouncilData, Store};
use beacon_reports::plan_document;

async fn riverside() -> CouncilData {
    let db = beacon_test_support::TempDb::new().await;
    beacon_test_support::load_files(&db.store, &beacon_test_support::riverside_sources())
        .await
        .unwrap();
    db.store
        .council_data(&"riverside".parse().unwrap())
        .await
        .unwrap()
        .unwrap()
}

/// Sixteen equality actions, each with a long officer's title, fit on at most two PDF pages.
#[tokio::test]
async fn sixteen_equality_actions_fit_on_two_pdf_pages() {
    let mut data = riverside().await;
    let plan = data
        .plans
        .iter_mut()
        .find(|p| p.plan.reference.as_str() == "CS-2011-12")
        .unwrap();
    let first = plan.equality_actions[0].clone();
    plan.equality_actions = (1..=16)
        .map(|n| {
            let mut a = first.clone();
            a.reference = format!("EQ{n}").parse().unwrap();
            a.officer =
                Some("Head of Safeguarding & Family Support and all service managers".into());
            a.years = vec!["2011/12".parse().unwrap(), "2012/13".parse().unwrap()];
            a
        })
        .collect();
    let r = plan_document(&data, "CS-2011-12").unwrap();
    let t = r
        .tables()
        .into_iter()
        .find(|t| t.id == "equality-actions")
        .unwrap();
    assert_eq!(t.rows[0].cells[4].plain(), "2011/12 \u{2013} 2012/13");
    assert_eq!(t.rows[0].cells[2].plain(), "High");
    let pdf = beacon_reports_pdf::render(&r).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("plan.pdf");
    std::fs::write(&path, &pdf).unwrap();
    let out = std::process::Command::new("pdftotext")
        .arg(&path)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) runs");
    let text = String::from_utf8(out.stdout).unwrap();
    let pages: Vec<&str> = text.split('\u{c}').collect();
    let page_of = |needle: &str| {
        pages
            .iter()
            .rposition(|p| p.contains(needle))
            .unwrap_or_else(|| panic!("{needle} is not in the PDF"))
    };
    let start = pages
        .iter()
        .position(|p| p.contains("Equality actions") && p.contains("EQ1"))
        .unwrap();
    let end = page_of("EQ16");
    assert!(
        end - start < 2,
        "the equality actions run over {} pages",
        end - start + 1
    );
}
