#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! The monitoring report of a council linked to the national benchmarking set: each indicator
//! table has a "National quartile" column (the words come from the national set, handed in by
//! the edge) and the appendix explains it, in every format; a council not linked gets exactly
//! the report it had before.

use beacon_app::benchmark::{QuartileColumn, asks};
use beacon_app::{CouncilData, Store};
use beacon_reports::model::{Block, Report};
use beacon_reports::{MonitoringQuery, monitoring_report, monitoring_report_with, render};
use std::io::Read;

const CELL: &str = "Top quartile: 3rd of 35 (2012-13)";
const KEY: &str = "where the council stands among English councils, as a test puts it";

async fn halton() -> CouncilData {
    let db = beacon_test_support::TempDb::with_halton().await;
    db.store
        .council_data(&"halton".parse().unwrap())
        .await
        .unwrap()
        .unwrap()
}

fn query() -> MonitoringQuery {
    MonitoringQuery {
        unit: "CED".parse().unwrap(),
        quarter: "2012/13 Q2".parse().unwrap(),
    }
}

/// A column as the national set would give it: NI075 placed, every other indicator without a
/// national code.
fn column(data: &CouncilData) -> QuartileColumn {
    QuartileColumn {
        heading: "National quartile".into(),
        key: KEY.into(),
        cells: asks(data)
            .into_iter()
            .filter(|a| a.codes.iter().any(|c| c == "NI075"))
            .map(|a| (a.key, CELL.to_string()))
            .collect(),
    }
}

fn unzip(bytes: &[u8], name: &str) -> String {
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut out = String::new();
    z.by_name(name).unwrap().read_to_string(&mut out).unwrap();
    out
}

fn appendix_text(r: &Report) -> String {
    let appendix = r.sections.iter().find(|s| s.id == "appendix").unwrap();
    appendix
        .blocks
        .iter()
        .map(|b| format!("{b:?}"))
        .collect::<Vec<_>>()
        .join("\n")
}

#[tokio::test]
async fn every_indicator_table_has_the_national_quartile_column_and_the_appendix_its_key() {
    let data = halton().await;
    let col = column(&data);
    let r = monitoring_report_with(&data, &query(), Some(&col)).unwrap();
    let kpis: Vec<_> = r
        .tables()
        .into_iter()
        .filter(|t| t.id.ends_with("-indicators"))
        .collect();
    assert!(!kpis.is_empty());
    for t in &kpis {
        assert_eq!(
            t.columns.last().unwrap().label,
            "National quartile",
            "{}",
            t.id
        );
        for row in &t.rows {
            assert_eq!(row.cells.len(), t.columns.len(), "{}", t.id);
        }
    }
    // NI075's row carries its position; an indicator with no national code is blank.
    let rows: Vec<_> = kpis.iter().flat_map(|t| t.rows.iter()).collect();
    let refs: Vec<String> = rows.iter().map(|r| r.cells[0].plain()).collect();
    let ni075 = rows
        .iter()
        .find(|r| r.cells[0].plain().starts_with("NI075 "))
        .unwrap_or_else(|| panic!("no NI075 row among {refs:?}"));
    assert_eq!(ni075.cells.last().unwrap().plain(), CELL);
    let local = rows
        .iter()
        .find(|r| r.cells[0].plain().starts_with("SCS CYP09"))
        .unwrap();
    assert_eq!(local.cells.last().unwrap().plain(), "");
    let appendix = appendix_text(&r);
    assert!(appendix.contains("National quartile") && appendix.contains(KEY));

    // Every format says it.
    let html = String::from_utf8(render::html::render(&r).unwrap()).unwrap();
    assert!(html.contains("National quartile") && html.contains(CELL) && html.contains(KEY));
    let csv: String = render::csv::render(&r)
        .unwrap()
        .into_iter()
        .map(|f| String::from_utf8(f.bytes).unwrap())
        .collect();
    assert!(csv.contains("National quartile") && csv.contains(CELL));
    let json = String::from_utf8(render::json::render(&r).unwrap()).unwrap();
    assert!(json.contains("\"National quartile\"") && json.contains(CELL) && json.contains(KEY));
    let docx = unzip(&render::docx::render(&r).unwrap(), "word/document.xml");
    assert!(docx.contains("National quartile") && docx.contains(CELL) && docx.contains(KEY));
    let xlsx = unzip(&render::xlsx::render(&r).unwrap(), "xl/sharedStrings.xml");
    assert!(xlsx.contains("National quartile") && xlsx.contains(CELL));
}

#[tokio::test]
async fn a_council_with_no_national_column_gets_the_report_it_had() {
    let data = halton().await;
    let plain = monitoring_report(&data, &query()).unwrap();
    assert_eq!(
        monitoring_report_with(&data, &query(), None).unwrap(),
        plain
    );
    let json = String::from_utf8(render::json::render(&plain).unwrap()).unwrap();
    assert!(!json.contains("National quartile"));
    assert!(
        !plain
            .sections
            .iter()
            .flat_map(|s| s.blocks.iter())
            .any(|b| matches!(b, Block::Heading(h) if h.text == "National quartile"))
    );
}
