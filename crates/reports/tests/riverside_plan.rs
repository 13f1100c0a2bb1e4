#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! The invented council's business plan (examples/riverside) as a board member reads its plan
//! document: actions under the council's own priorities with their titles, in the plan's order;
//! indicator tables with officer, frequency, baseline and target; equality actions.

use beacon_app::{CouncilData, Store};
use beacon_reports::model::{Cell, RowKind};
use beacon_reports::{plan_document, render};

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

#[tokio::test]
async fn actions_are_grouped_under_the_councils_own_priorities_with_their_titles() {
    let data = riverside().await;
    let r = plan_document(&data, "CS-2011-12").unwrap();
    let groups: Vec<(&str, Vec<&str>)> = r
        .sections
        .iter()
        .filter(|s| s.id.starts_with("objectives-"))
        .map(|s| {
            (
                s.heading.as_str(),
                s.subsections.iter().map(|x| x.heading.as_str()).collect(),
            )
        })
        .collect();
    assert_eq!(
        groups,
        [
            (
                "BP 1 Keeping children and young people safe",
                vec!["SFS1", "SFS2"]
            ),
            (
                "BP 2 Helping families early, before problems grow",
                vec!["EH1"]
            ),
            (
                "BP 3 Raising attainment and closing the gap",
                vec!["LI1", "LI2"]
            ),
            ("BP 4 Making every pound count", vec!["CR1"]),
        ]
    );
    // The one-year plan's year is printed once.
    assert!(
        r.facts
            .iter()
            .any(|f| f.label == "Years" && f.value == "2011/12")
    );
    let html = String::from_utf8(render::html::render(&r).unwrap()).unwrap();
    // An action serving two priorities names both, with their titles.
    assert!(
        html.contains(
            "Links: BP 3 Raising attainment and closing the gap; BP 2 Helping families early, before problems grow."
        ),
        "no titled links in the HTML"
    );
    assert!(!html.contains("Links: BP 3, BP 2"));
    // Milestones are printed with their action's ref, as the council prints them.
    let sfs1 = r
        .tables()
        .into_iter()
        .find(|t| t.id == "objective-sfs1-milestones")
        .unwrap();
    let refs: Vec<String> = sfs1
        .rows
        .iter()
        .filter(|x| x.kind == RowKind::Item)
        .map(|x| x.cells[0].plain())
        .collect();
    assert_eq!(refs, ["SFS1", "SFS1", "SFS1"]);
}

#[tokio::test]
async fn indicator_tables_give_officer_frequency_baseline_and_target() {
    let data = riverside().await;
    let r = plan_document(&data, "CS-2011-12").unwrap();
    let t = r
        .tables()
        .into_iter()
        .find(|t| t.id.starts_with("indicators-business-priority-1"))
        .unwrap();
    let heads: Vec<&str> = t.columns.iter().map(|c| c.label.as_str()).collect();
    assert_eq!(
        heads,
        [
            "Ref",
            "Description",
            "Officer",
            "Frequency",
            "Baseline 2010/11",
            "Target 11/12"
        ]
    );
    let row = |code: &str| -> Vec<String> {
        t.rows
            .iter()
            .find(|x| x.cells[0].plain() == code)
            .unwrap()
            .cells
            .iter()
            .map(Cell::plain)
            .collect()
    };
    assert_eq!(
        row("CS 1")[2..],
        ["PK", "Monthly", "71.4%", "80%"].map(String::from)
    );
    assert_eq!(
        row("CS 11")[2..],
        ["HD", "Quarterly", "38", "30"].map(String::from)
    );
    // The table keeps the plan's order: CS 10 after CS 3, as the plan lists them.
    let order: Vec<String> = t
        .rows
        .iter()
        .filter(|x| x.kind == RowKind::Item)
        .map(|x| x.cells[0].plain())
        .collect();
    assert_eq!(order, ["CS 1", "CS 2", "CS 3", "CS 10", "CS 11"]);
}
