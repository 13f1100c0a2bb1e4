//! The year's other reports on the council's pages: the council page links the board's cover
//! report of each quarter and each year's outturn report, review of targets and community
//! strategy report; each link opens the report's page with downloads in every format, and the
//! downloads read back (JSON parsed, XLSX with calamine, PDF with pdftotext). The dashboard and
//! the monitoring report's page link the cover report too.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::common;

use axum::http::StatusCode;
use common::{Client, halton_with_users};

async fn signed_in(role: &str) -> (beacon_test_support::TempDb, Client) {
    let db = halton_with_users().await;
    let app = beacon_web::router(db.store.clone());
    let c = Client::signed_in(&app, role).await;
    (db, c)
}

const COVER: &str = "/c/halton/q/2012-13/2/cover/CED";
const OUTTURN: &str = "/c/halton/y/2012-13/outturn/CED";
const REVIEW: &str = "/c/halton/y/2012-13/target-review/CED";
const COMMUNITY: &str = "/c/halton/y/2012-13/community";

#[tokio::test]
async fn the_council_page_links_every_report_of_the_year_and_each_opens_with_its_downloads() {
    let (_db, mut c) = signed_in("councillor").await;
    let home = c.get("/c/halton").await;
    assert_eq!(home.status, StatusCode::OK);
    for (href, title) in [
        (
            COVER,
            "Performance Management Report for Quarter 2 of 2012/13",
        ),
        (OUTTURN, "Annual Outturn Report 2012/13"),
        (REVIEW, "Annual Review of Targets 2013/14"),
        (
            COMMUNITY,
            "Community Strategy Annual Progress Report 2012/13",
        ),
    ] {
        assert!(
            home.body.contains(&format!("href=\"{href}\"")),
            "the council page links {href}"
        );
        let page = c.get(href).await;
        assert_eq!(page.status, StatusCode::OK, "{href}");
        assert!(page.body.contains(title), "{href} is headed {title}");
        assert!(
            page.body
                .contains(&format!("<iframe src=\"{href}/report.html\""))
        );
        for ext in ["html", "pdf", "docx", "xlsx", "zip", "json"] {
            assert!(
                page.body.contains(&format!("{href}/report.{ext}")),
                "{href} offers {ext}"
            );
        }
        let json = c.get(&format!("{href}/report.json")).await;
        assert_eq!(json.status, StatusCode::OK);
        let v: serde_json::Value = serde_json::from_slice(&json.bytes).unwrap();
        assert_eq!(v["title"], title);
        let html = c.get(&format!("{href}/report.html")).await;
        assert!(html.body.contains(&format!("<title>{title}")));
    }
    // The quarter's dashboard and its monitoring report link the cover report.
    let dash = c.get("/c/halton/q/2012-13/2?unit=CED").await;
    assert!(dash.body.contains(&format!("href=\"{COVER}\"")));
    assert!(dash.body.contains(&format!("href=\"{OUTTURN}\"")));
    let report = c.get("/c/halton/q/2012-13/2/report/CED").await;
    assert!(report.body.contains(&format!("href=\"{COVER}\"")));
    // The year's reports link each other.
    let outturn = c.get(OUTTURN).await;
    assert!(outturn.body.contains(&format!("href=\"{REVIEW}\"")));
    assert!(outturn.body.contains(&format!("href=\"{COMMUNITY}\"")));
    // Nothing for a year or a unit without data; a format Beacon does not write is not found.
    for path in [
        "/c/halton/y/2012-13/outturn/NOPE",
        "/c/halton/y/1999-00/community/report.json",
        "/c/halton/y/2012-13/outturn/CED/report.exe",
        "/c/halton/y/nonsense/community",
    ] {
        assert_eq!(c.get(path).await.status, StatusCode::NOT_FOUND, "{path}");
    }
}

#[tokio::test]
async fn the_downloads_read_back_with_the_years_figures() {
    use calamine::{Data, Reader, Xlsx};
    let (_db, mut c) = signed_in("performance").await;
    let xlsx = c.get(&format!("{OUTTURN}/report.xlsx")).await;
    assert_eq!(xlsx.status, StatusCode::OK);
    let mut wb: Xlsx<_> = Xlsx::new(std::io::Cursor::new(xlsx.bytes.clone())).unwrap();
    let names = wb.sheet_names();
    let sheet = names
        .iter()
        .find(|n| n.starts_with("Early Help & Support Outturn"))
        .unwrap_or_else(|| panic!("no outturn sheet in {names:?}"))
        .clone();
    let rows: Vec<Vec<String>> = wb
        .worksheet_range(&sheet)
        .unwrap()
        .rows()
        .map(|r| {
            r.iter()
                .map(|v| match v {
                    Data::String(s) => s.clone(),
                    Data::Empty => String::new(),
                    other => format!("{other:?}"),
                })
                .collect()
        })
        .collect();
    let ni072 = rows.iter().find(|r| r[0] == "NI072 SCS CYP01").unwrap();
    assert_eq!(&ni072[2..5], ["48.3%", "56%", "54.1% (2012/13 Q2)"]);
    assert_eq!(ni072[5], "■ Red");
    let pdf = c.get(&format!("{COMMUNITY}/report.pdf")).await;
    assert!(pdf.bytes.starts_with(b"%PDF"));
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("community.pdf");
    std::fs::write(&path, &pdf.bytes).unwrap();
    let out = std::process::Command::new("pdftotext")
        .arg(&path)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) runs");
    let text = String::from_utf8(out.stdout).unwrap();
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(text.contains("Children and Young People in Halton"));
    assert!(text.contains("46.9%"));
    let docx = c.get(&format!("{COVER}/report.docx")).await;
    assert_eq!(docx.status, StatusCode::OK);
    assert!(docx.bytes.starts_with(b"PK"));
    let disposition = docx_name(&mut c, &format!("{COVER}/report.docx")).await;
    assert!(
        disposition.contains("halton-CED-2012-13-q2-cover.docx"),
        "{disposition}"
    );
}

/// The file name a download is offered as.
async fn docx_name(c: &mut Client, path: &str) -> String {
    let req = c
        .request("GET", path)
        .body(axum::body::Body::empty())
        .unwrap();
    let res = tower::ServiceExt::oneshot(c.app.clone(), req)
        .await
        .unwrap();
    res.headers()
        .get("content-disposition")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default()
}
