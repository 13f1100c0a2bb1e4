//! The round trip holds for generated data, not only the hand-built council: any measure
//! (words, exact decimal, qualifiers, "as at"), any due date, any amount in pence and any text
//! reads back exactly as it was applied.

// Generated values are valid by construction: a failure to build one is a broken test.
#![allow(clippy::unwrap_used)]

use beacon_app::{ChangeSet, CouncilChanges, CouncilData, Store};
use beacon_domain::Ref;
use beacon_domain::budget::{Amounts, Group, Line, Statement, StatementKind};
use beacon_domain::indicator::{
    Accumulation, Baseline, Calendar, Comparator, ComparatorKind, Frequency, Indicator,
};
use beacon_domain::measure::{Measure, Qualifier};
use beacon_domain::money::{Pence, Scale};
use beacon_domain::objective::{Due, Milestone, Objective};
use beacon_domain::organisation::Council;
use beacon_domain::period::{FinancialYear, Month, Period, QuarterNo};
use beacon_domain::plan::{Plan, PlanDocument, PlanStatus};
use beacon_store_sqlite::SqliteStore;
use proptest::prelude::*;
use rust_decimal::Decimal;
use std::collections::BTreeMap;

fn r(s: &str) -> Ref {
    s.parse().unwrap()
}

fn period() -> impl Strategy<Value = Period> {
    let fy = (1901i32..2199).prop_map(|y| FinancialYear::starting(y).unwrap());
    prop_oneof![
        fy.clone().prop_map(Period::FinancialYear),
        (fy, 1u8..=4)
            .prop_map(|(y, q)| Period::Quarter(y.quarter(QuarterNo::from_number(q).unwrap()))),
        (1901i32..2199).prop_map(Period::AcademicYear),
        (1901i32..2199).prop_map(Period::CalendarYear),
        (1901i32..2199, 1u32..=12).prop_map(|(y, m)| Period::Month(Month::new(y, m).unwrap())),
    ]
}

fn decimal() -> impl Strategy<Value = Decimal> {
    (any::<i64>(), 0u32..=28).prop_map(|(n, scale)| Decimal::new(n, scale))
}

fn measure() -> impl Strategy<Value = Measure> {
    (
        "\\PC{0,40}",
        proptest::option::of(decimal()),
        proptest::sample::subsequence(Qualifier::ALL.to_vec(), 0..=3),
        proptest::option::of(period()),
    )
        .prop_filter_map(
            "a measure needs words or a number",
            |(text, number, qualifiers, as_at)| Measure::new(&text, number, qualifiers, as_at).ok(),
        )
}

fn due() -> impl Strategy<Value = Due> {
    prop_oneof![
        Just(Due::None),
        (1901i32..2199, 1u32..=12).prop_map(|(y, m)| Due::Month(Month::new(y, m).unwrap())),
        (0u64..100_000).prop_map(|d| Due::Day(
            chrono::NaiveDate::from_ymd_opt(1950, 1, 1).unwrap() + chrono::Days::new(d)
        )),
        ".*".prop_map(Due::Recurring),
    ]
}

fn amounts() -> impl Strategy<Value = Amounts> {
    (any::<i64>(), any::<i64>(), any::<i64>()).prop_map(|(a, t, s)| Amounts {
        annual: Pence(a),
        to_date: Pence(t),
        spent: Pence(s),
    })
}

prop_compose! {
    fn council_data()(
        name in ".*",
        tolerance in proptest::option::of(decimal()),
        targets in proptest::collection::btree_map(period(), measure(), 0..6),
        values in proptest::collection::btree_map(period(), measure(), 0..6),
        baseline in proptest::option::of((period(), measure())),
        comparators in proptest::collection::vec((period(), measure()), 0..3),
        dues in proptest::collection::vec((due(), ".*"), 0..5),
        lines in proptest::collection::vec((amounts(), ".*", proptest::option::of(".*")), 0..5),
        stated in proptest::option::of(amounts()),
    ) -> CouncilData {
        let mut d = CouncilData::new(Council {
            reference: "prop".parse().unwrap(),
            name,
            tolerance_percent: tolerance,
            colour: None,
            risk_matrix: None,
            projection: None,
            exceptions: None,
        });
        let indicator = Indicator {
            reference: r("I1"),
            printed_ref: None,
            aliases: vec![],
            library: None,
            description: "generated".into(),
            unit: None,
            group: None,
            category: None,
            key: false,
            measure: None,
            better: None,
            frequency: Some(Frequency::Monthly),
            census: None,
            accumulation: Accumulation::Snapshot,
            calendar: Calendar::Calendar,
            data_source: None,
            notes: None,
            links: vec![],
            priority: None,
            tolerance_percent: tolerance,
            quality: Default::default(),
            officer: None,
            baseline: baseline.map(|(period, value)| Baseline { period, value }),
            targets,
            profile: BTreeMap::new(),
            values,
            comparators: comparators
                .into_iter()
                .map(|(period, value)| Comparator { period, kind: ComparatorKind::Regional, name: None, source: None, value })
                .collect(),
        };
        let milestones = dues
            .into_iter()
            .enumerate()
            .map(|(i, (due, text))| Milestone {
                reference: r(&format!("O1/{i}")),
                year: FinancialYear::starting(2012).unwrap(),
                text,
                due,
                officer: None,
                priority: None,
                before_plan: None,
                carried_from: None,
            })
            .collect();
        d.plans = vec![PlanDocument {
            plan: Plan {
                reference: r("P1"),
                title: "generated".into(),
                unit: r("U"),
                years: "2012/13-2013/14".parse().unwrap(),
                status: PlanStatus::Draft,
                version: 1,
                refreshes: None,
                source: None,
                sections: vec![],
                factors: vec![],
            },
            objectives: vec![Objective {
                reference: r("O1"),
                unit: None,
                statement: String::new(),
                links: vec![],
                cross_refs: vec![],
                officer: None,
                initial_risk: None,
                residual_risk: None,
                indicators: vec![],
                starts: None,
                ends: None,
                milestones,
            }],
            indicators: vec![indicator],
            risks: vec![],
            equality_actions: vec![],
            budget_changes: vec![],
            budget_totals: vec![],
        }];
        d.statements = vec![Statement {
            reference: r("S"),
            period: "2012/13 Q2".parse().unwrap(),
            unit: r("U"),
            kind: StatementKind::Revenue,
            title: "generated".into(),
            scale: Scale::Pounds,
            notes: None,
            projection: None,
            groups: vec![Group { key: r("g"), parent: None, label: "G".into(), heading: None, stated }],
            lines: lines
                .into_iter()
                .map(|(amounts, label, note)| Line { group: r("g"), label, amounts, note, source_note: None })
                .collect(),
        }];
        d.normalise();
        d
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 32, ..ProptestConfig::default() })]

    #[test]
    fn generated_data_reads_back_exactly(d in council_data()) {
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        let back = rt.block_on(async {
            let dir = tempfile::TempDir::new().unwrap();
            let store = SqliteStore::open(dir.path().join("p.db").to_str().unwrap()).await.unwrap();
            let set = ChangeSet {
                councils: vec![CouncilChanges {
                    council: d.council.clone(),
                    units: d.units.clone(),
                    officers: d.officers.clone(),
                    frames: d.frames.clone(),
                    library: d.library.clone(),
                    plans: d.plans.clone(),
                    quarters: d.quarters.clone(),
                    statements: d.statements.clone(),
                    removed_statements: vec![],
                    removed_library: vec![],
                    kept_versions: vec![],
                    overrides: d.overrides.clone(),
                }],
                ..Default::default()
            };
            store.apply(&set).await.unwrap();
            let back = store.council_data(&d.council.reference).await.unwrap().unwrap();
            store.pool().close().await;
            back
        });
        // Equal, and every decimal kept its scale too.
        prop_assert_eq!(&back, &d);
        prop_assert_eq!(format!("{back:?}"), format!("{d:?}"));
    }
}
