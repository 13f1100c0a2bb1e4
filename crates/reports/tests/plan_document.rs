#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! The plan document of seed 000's Children & Young People's Directorate Plan 2011–14, read
//! from a real SQLite database: all 12 objectives with their milestones year by year, and every
//! one of the 96 indicator rows with its baseline and targets as the plan words them.

use beacon_app::Store;
use beacon_reports::model::{Cell, RowKind};
use beacon_reports::{plan_document, render};

#[tokio::test]
async fn lists_all_12_objectives_and_every_indicator_row() {
    let db = beacon_test_support::TempDb::with_halton().await;
    let data = db
        .store
        .council_data(&"halton".parse().unwrap())
        .await
        .unwrap()
        .unwrap();
    let r = plan_document(&data, "CYPD-2011-14").unwrap();
    let objectives: Vec<&str> = r
        .sections
        .iter()
        .filter(|s| s.id.starts_with("objectives-"))
        .flat_map(|s| s.subsections.iter().map(|x| x.heading.as_str()))
        .collect();
    assert_eq!(
        objectives,
        [
            "CFS1", "CFS2", "CFS3", "CFS4", "COPS1", "COPS2", "COPS3", "COPS4", "LAS1", "LAS2",
            "LAS3", "LAS4"
        ]
    );
    let units: Vec<&str> = r
        .sections
        .iter()
        .filter(|s| s.id.starts_with("objectives-"))
        .map(|s| s.heading.as_str())
        .collect();
    assert_eq!(units[0], "Children & Families Services Objectives");
    // CFS1's milestones, under their years.
    let cfs1 = r
        .tables()
        .into_iter()
        .find(|t| t.id == "objective-cfs1-milestones")
        .unwrap();
    let rows: Vec<Vec<String>> = cfs1
        .rows
        .iter()
        .map(|x| x.cells.iter().map(Cell::plain).collect())
        .collect();
    assert_eq!(rows[0], ["Key Milestone(s) 11/12"]);
    assert_eq!(
        rows[1][1],
        "Evaluate the implementation of the supervision policy by March 2012"
    );
    assert_eq!(rows[1][2], "March 2012");
    assert!(rows.iter().any(|x| x == &["Key Milestone(s) 13/14"]));
    // Every indicator row, each table with its category headings.
    let tables: Vec<_> = r
        .tables()
        .into_iter()
        .filter(|t| t.id.starts_with("indicators-"))
        .collect();
    assert_eq!(tables.len(), 6);
    let rows: Vec<Vec<String>> = tables
        .iter()
        .flat_map(|t| t.rows.iter().filter(|x| x.kind == RowKind::Item))
        .map(|x| x.cells.iter().map(Cell::plain).collect())
        .collect();
    assert_eq!(rows.len(), 96);
    let plan = data.plan("CYPD-2011-14").unwrap();
    for i in &plan.indicators {
        assert!(
            rows.iter()
                .any(|x| x[0] == i.all_codes() && x[1] == i.description),
            "no row for {}",
            i.reference
        );
    }
    let cfs = tables[0];
    let heads: Vec<&str> = cfs.columns.iter().map(|c| c.label.as_str()).collect();
    assert_eq!(
        heads,
        [
            "Ref",
            "Description",
            "Frequency",
            "Baseline 2009/10",
            "Target 10/11",
            "Target 11/12",
            "Target 12/13",
            "Target 13/14"
        ]
    );
    let nqsw = cfs
        .rows
        .iter()
        .find(|x| x.cells[0].plain() == "LPI01CFS")
        .unwrap();
    let cells: Vec<String> = nqsw.cells.iter().map(Cell::plain).collect();
    assert_eq!(cells[3..], ["New indicator", "", "100%", "100%", "100%"]);
    let headings: Vec<String> = cfs
        .rows
        .iter()
        .filter(|x| x.kind == RowKind::Heading)
        .map(|x| x.cells[0].plain())
        .collect();
    assert_eq!(
        headings,
        [
            "Corporate Health",
            "Cost & Efficiency",
            "Quality",
            "Fair Access",
            "Service Delivery"
        ]
    );
    // The words kept, in the HTML a reader gets.
    let html = String::from_utf8(render::html::render(&r).unwrap()).unwrap();
    assert!(html.contains("Awaiting information on audited CAF to set target"));
}
