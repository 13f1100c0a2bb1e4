//! Bulk set-up from CSV and XLSX: indicator definitions, targets and values for many periods,
//! loaded into the example council's plans all or nothing, with every problem named.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use beacon_app::{CouncilData, Store};
use beacon_domain::period::Period;
use beacon_interchange::sheets::setup::read_setup;
use beacon_interchange::sheets::{Book, Limits, Sheet, problem::report};
use beacon_test_support::TempDb;
use std::time::Instant;

async fn data(db: &TempDb) -> CouncilData {
    db.store
        .council_data(&"halton".parse().unwrap())
        .await
        .unwrap()
        .unwrap()
}

fn csv(name: &str, text: &str) -> Book {
    Book::from_csv(text.as_bytes(), name, &Limits::default()).unwrap()
}

const INDICATORS: &str = "plan,ref,description,measure,better,frequency,data_source\n\
CED-2012-13,NEW01,Percentage of new things done,percent,higher,quarterly,\n\
CED-2012-13,NI072,,,,,DfE EYFS profile\n";
const TARGETS: &str = "plan,indicator,period,target\n\
CED-2012-13,NEW01,2012/13,60%\n\
CED-2012-13,NEW01,2013/14,Not set\n";
const VALUES: &str = "plan,indicator,period,value\n\
CED-2012-13,NEW01,2009/10,41%\n\
CED-2012-13,NEW01,2010/11,\"1,118\"\n\
CED-2012-13,NEW01,2011/12,50% (provisional)\n\
CED-2012-13,NI072,2010/11,44.2%\n";

#[tokio::test]
async fn csv_files_add_indicators_targets_and_years_of_values() {
    let db = TempDb::with_halton().await;
    let before = data(&db).await;
    let books = [
        csv("values.csv", VALUES),
        csv("indicators.csv", INDICATORS),
        csv("targets.csv", TARGETS),
    ];
    let mut seen = Vec::new();
    let changes = read_setup(&books, &before, &mut |d, t| seen.push((d, t)))
        .unwrap_or_else(|ps| panic!("{}", report(&ps)));
    assert_eq!(
        (
            changes.indicators_added,
            changes.indicators_updated,
            changes.targets,
            changes.values
        ),
        (1, 1, 2, 4)
    );
    assert_eq!(seen.last(), Some(&(8, 8)), "progress reaches every row");
    beacon_app::load(
        &db.store,
        &changes.dataset(&before),
        &beacon_test_support::tester(),
    )
    .await
    .unwrap();

    let after = data(&db).await;
    let plan = after.plan("CED-2012-13").unwrap();
    let new = plan.indicator("NEW01").unwrap();
    assert_eq!(new.description, "Percentage of new things done");
    assert_eq!(new.values.len(), 3);
    let v = &new.values[&"2011/12".parse::<Period>().unwrap()];
    assert_eq!(
        (v.text(), v.value().map(|n| n.normalize().to_string())),
        ("50% (provisional)", Some("50".into()))
    );
    assert_eq!(
        new.targets[&"2013/14".parse::<Period>().unwrap()].text(),
        "Not set"
    );
    let ni072 = plan.indicator("NI072").unwrap();
    assert_eq!(ni072.data_source.as_deref(), Some("DfE EYFS profile"));
    assert_eq!(
        ni072.description, "Early Years Foundation Stage Attainment",
        "blank cells change nothing"
    );
    assert_eq!(ni072.values.len(), 2);
    // Everything else of the council is as it was.
    assert_eq!(after.quarters, before.quarters);
    assert_eq!(after.plans.len(), before.plans.len());

    // The same files again change nothing.
    let again = read_setup(&books, &after, &mut |_, _| {}).unwrap();
    assert!(again.plans.is_empty());
}

#[tokio::test]
async fn a_workbook_with_three_sheets_loads_the_same() {
    let db = TempDb::with_halton().await;
    let before = data(&db).await;
    let mut book = Book::default();
    for (name, text) in [
        ("Indicators", INDICATORS),
        ("Targets", TARGETS),
        ("Values", VALUES),
    ] {
        let mut s = csv("x.csv", text).sheets.remove(0);
        s.name = name.into();
        s.csv = false;
        book.sheets.push(s);
    }
    let bytes = book.to_xlsx().unwrap();
    let book = Book::from_xlsx(&bytes, &Limits::default()).unwrap();
    let from_xlsx = read_setup(&[book], &before, &mut |_, _| {}).unwrap();
    let from_csv = read_setup(
        &[
            csv("i.csv", INDICATORS),
            csv("t.csv", TARGETS),
            csv("v.csv", VALUES),
        ],
        &before,
        &mut |_, _| {},
    )
    .unwrap();
    assert_eq!(from_xlsx, from_csv);
}

#[tokio::test]
async fn every_problem_is_named_and_nothing_is_loaded() {
    let db = TempDb::with_halton().await;
    let before = data(&db).await;
    let books = [
        csv(
            "indicators.csv",
            "plan,ref,description,measure,better\n\
             NOPLAN,X1,Something,percent,higher\n\
             CED-2012-13,NEW02,,percent,higher\n\
             CED-2012-13,NEW03,Third,percentage,up\n",
        ),
        csv(
            "values.csv",
            "plan,indicator,period,value\n\
             CED-2012-13,NOPE,2011/12,5\n\
             CED-2012-13,NI072,2012/13 Q5,5\n\
             CED-2012-13,NI072,2009/10,5%\n\
             CED-2012-13,NI072,2009/10,6%\n",
        ),
        csv("other.csv", "name,age\nx,1\n"),
    ];
    let ps = read_setup(&books, &before, &mut |_, _| {}).unwrap_err();
    let got: Vec<String> = ps
        .iter()
        .map(|p| format!("{} {} {}", p.at.sheet, p.at.row, p.at.column))
        .collect();
    assert_eq!(
        got,
        [
            "other.csv 0 ",
            "indicators.csv 2 plan",
            "indicators.csv 3 description",
            "indicators.csv 4 measure",
            "indicators.csv 4 better",
            "values.csv 2 indicator",
            "values.csv 3 period",
            "values.csv 5 value",
        ],
        "{}",
        report(&ps)
    );
    assert!(ps[1].message.contains("no plan NOPLAN"));
    assert!(
        ps[4].message.contains("one of higher | lower | none"),
        "{}",
        ps[4]
    );
    assert!(
        ps[7]
            .message
            .contains("given again, differently (first in row 4)"),
        "{}",
        ps[7]
    );
    assert_eq!(data(&db).await, before);
}

/// Years of history for two thousand indicators: twenty thousand rows, timed.
#[tokio::test]
async fn a_long_file_loads_in_reasonable_time() {
    let db = TempDb::with_halton().await;
    let before = data(&db).await;
    let mut defs = Sheet::new("Indicators");
    let mut values = Sheet::new("Values");
    for (c, h) in ["plan", "ref", "description", "measure"].iter().enumerate() {
        defs.set(0, c as u32, *h);
    }
    for (c, h) in ["plan", "indicator", "period", "value"].iter().enumerate() {
        values.set(0, c as u32, *h);
    }
    let mut row = 1;
    for i in 0..2_000u32 {
        let r = format!("BULK{i:04}");
        defs.set(i + 1, 0, "CED-2012-13");
        defs.set(i + 1, 1, r.clone());
        defs.set(i + 1, 2, format!("Bulk indicator {i}"));
        defs.set(i + 1, 3, "count");
        for y in 2003..2013 {
            values.set(row, 0, "CED-2012-13");
            values.set(row, 1, r.clone());
            values.set(row, 2, format!("{y}/{:02}", (y + 1) % 100));
            values.set(row, 3, format!("{},{:03}", i % 900 + 1, y % 1000));
            row += 1;
        }
    }
    let bytes = Book {
        sheets: vec![defs, values],
    }
    .to_xlsx()
    .unwrap();
    let start = Instant::now();
    let book = Book::from_xlsx(&bytes, &Limits::default()).unwrap();
    let read = start.elapsed();
    let changes =
        read_setup(&[book], &before, &mut |_, _| {}).unwrap_or_else(|ps| panic!("{}", report(&ps)));
    let checked = start.elapsed();
    beacon_app::load(
        &db.store,
        &changes.dataset(&before),
        &beacon_test_support::tester(),
    )
    .await
    .unwrap();
    let loaded = start.elapsed();
    eprintln!(
        "bulk set-up of {} bytes, 22,000 rows: read {read:?}, checked {:?}, stored {:?}",
        bytes.len(),
        checked - read,
        loaded - checked
    );
    assert_eq!((changes.indicators_added, changes.values), (2_000, 20_000));
    let plan = data(&db).await;
    assert_eq!(
        plan.plan("CED-2012-13")
            .unwrap()
            .indicator("BULK1999")
            .unwrap()
            .values
            .len(),
        10
    );
    assert!(loaded.as_secs() < 60, "took {loaded:?}");
}
