//! `beacon diff plan REF@1 REF@3`: two versions of one plan compared on the command line, in
//! plain text and JSON, after the plan was changed twice through the use case the plan pages
//! use (each change a new version with a reason).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use beacon_app::Store;
use beacon_app::access::{Grant, Principal, Role};
use beacon_app::plans::edit::{Edit, Item, save};
use std::process::Command;

fn beacon(db: &std::path::Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_beacon"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env_remove("BEACON_DATABASE_URL")
        .output()
        .expect("beacon runs")
}

#[tokio::test]
async fn two_versions_of_a_plan_are_compared_in_text_and_json() {
    let db = beacon_test_support::TempDb::with_halton().await;
    let council = "halton".parse().unwrap();
    let officer = Principal {
        user_id: 1,
        username: "tester".into(),
        display_name: "Tester".into(),
        grants: vec![Grant {
            role: Role::PerformanceOfficer,
            council: "halton".parse().unwrap(),
            unit: None,
        }],
    };
    let checks = |a: &beacon_app::CouncilData, b: &beacon_app::CouncilData| {
        beacon_interchange::check::new_findings(a, b)
    };
    for (n, reason) in [(0, "The board's wording"), (1, "Raised after Ofsted")] {
        let data = db.store.council_data(&council).await.unwrap().unwrap();
        let plan = data.plan("CED-2012-13").unwrap();
        let item = if n == 0 {
            let mut o = plan.objectives[0].clone();
            o.statement = "Support schools to improve".into();
            Item::Objective(Box::new(o))
        } else {
            let mut i = plan.indicator("SCS CYP09").unwrap().clone();
            i.targets
                .insert("2012/13".parse().unwrap(), "86%".parse().unwrap());
            Item::Indicator(Box::new(i))
        };
        let was = match &item {
            Item::Objective(o) => o.reference.clone(),
            Item::Indicator(i) => i.reference.clone(),
            _ => unreachable!(),
        };
        let edit = Edit {
            plan: "CED-2012-13".parse().unwrap(),
            was: Some(was),
            item,
            remove: false,
        };
        let by = beacon_test_support::tester().because(reason);
        save(&db.store, &officer, &data, &edit, &by, &checks)
            .await
            .unwrap_or_else(|e| panic!("{e:?}"));
    }

    let out = beacon(
        &db.path,
        &["diff", "plan", "CED-2012-13@1", "CED-2012-13@3"],
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(text.contains("version 1: "), "{text}");
    assert!(text.contains("~ objective LAS1 changed"), "{text}");
    assert!(
        text.contains("statement:  -> Support schools to improve"),
        "{text}"
    );
    assert!(text.contains("~ indicator SCS CYP09 changed"), "{text}");
    assert!(text.contains("targets.2012/13: 84% -> 86%"), "{text}");

    let out = beacon(
        &db.path,
        &["diff", "plan", "CED-2012-13@1", "CED-2012-13@3", "--json"],
    );
    assert!(out.status.success());
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let items: Vec<(String, String)> = json["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["kind"].as_str().unwrap().to_string(),
                i["reference"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        items,
        [
            ("plan".to_string(), "CED-2012-13".to_string()),
            ("objective".into(), "LAS1".into()),
            ("indicator".into(), "SCS CYP09".into()),
        ]
    );

    // A version never kept: said so, and the command fails.
    let out = beacon(&db.path, &["diff", "plan", "CED-2012-13@7", "CED-2012-13"]);
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("version 7 of plan CED-2012-13 is not kept"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
