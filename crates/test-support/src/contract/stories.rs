//! The contract's stories. Each starts from an empty database, works through the `Store` port
//! and the use cases a person would run (load files, record a quarter, override a status,
//! export), and checks what that person would see.

use super::fixtures::*;
use crate::{halton_sources, source};
use beacon_app::status::{OverrideRequest, StatusQuery, quarter_status, set_status};
use beacon_app::{ChangeSet, CouncilChanges, CouncilData, Stats, Store};
use beacon_domain::budget::{BudgetChange, ChangeKind, Line, Statement};
use beacon_domain::measure::Measure;
use beacon_domain::money::{Pence, Scale};
use beacon_domain::organisation::{Council, CouncilRef, Unit, UnitKind};
use beacon_domain::plan::{Section, SectionKind};
use beacon_domain::status::Progress;
use beacon_domain::status::overrides::ItemKind;
use beacon_domain::status::overrides::time_text;
use rust_decimal::Decimal;

fn halton() -> CouncilRef {
    "halton".parse().unwrap()
}

async fn read<S: Store>(store: &S, council: &CouncilRef) -> CouncilData {
    store
        .council_data(council)
        .await
        .unwrap()
        .unwrap_or_else(|| panic!("council {council} is stored"))
}

async fn load_halton<S: Store>(store: &S) {
    crate::load_files(store, &halton_sources())
        .await
        .unwrap_or_else(|e| panic!("the example council loads:\n{e}"));
}

/// Only the council's own row, for change sets that add one thing.
fn nothing_but(council: &Council) -> CouncilChanges {
    CouncilChanges::council_only(council)
}

// --- The example council ---------------------------------------------------------------------

/// Load the example council: what is stored is what its files say, counted as the report
/// prints it.
pub async fn the_example_council_loads_and_reads_back_as_its_files_say<S: Store>(store: &S) {
    let sources = halton_sources();
    let mut expected = beacon_interchange::read_dataset(store, &sources)
        .await
        .unwrap()
        .councils
        .remove(0);
    expected.normalise();
    let report = crate::load_files(store, &sources).await.unwrap();
    assert!(report.written.iter().any(|w| w == "plan CYPD-2011-14"));
    assert_eq!(read(store, &halton()).await, expected);
    assert_eq!(store.councils().await.unwrap(), vec![expected.council]);
    let s = store.stats().await.unwrap();
    assert_eq!(
        (
            s.councils,
            s.plans,
            s.objectives,
            s.milestones,
            s.indicators
        ),
        (1, 4, 33, 191, 157)
    );
    assert_eq!(
        (
            s.quarters,
            s.quarter_values,
            s.commentary,
            s.budget_statements
        ),
        (1, 23, 39, 6)
    );
}

/// Loading the example council twice writes nothing the second time.
pub async fn loading_the_same_files_again_changes_nothing<S: Store>(store: &S) {
    load_halton(store).await;
    let before = (store.stats().await.unwrap(), read(store, &halton()).await);
    let again = crate::load_files(store, &halton_sources()).await.unwrap();
    assert!(again.written.is_empty(), "{:?}", again.written);
    assert!(again.unchanged > 0);
    assert_eq!(
        (store.stats().await.unwrap(), read(store, &halton()).await),
        before
    );
}

/// An officer records the next quarter as a file, then corrects one value and records it again:
/// the correction replaces the quarter, the quarter before is untouched.
pub async fn a_quarter_is_recorded_and_re_recorded_from_a_file<S: Store>(store: &S) {
    load_halton(store).await;
    let q2_file =
        std::fs::read_to_string(crate::halton_dir().join("quarters/ced-2012-13-q2.toml")).unwrap();
    let q3_file = q2_file.replace("\"2012/13 Q2\"", "\"2012/13 Q3\"");
    let report = crate::load_files(store, &[source("quarters/ced-2012-13-q3.toml", &q3_file)])
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(report.written, ["quarter CED 2012/13 Q3"]);

    let data = read(store, &halton()).await;
    let periods: Vec<String> = data
        .quarters
        .iter()
        .map(|q| q.header.period.to_string())
        .collect();
    assert_eq!(periods, ["2012/13 Q2", "2012/13 Q3"]);
    let (q2, q3) = (&data.quarters[0], &data.quarters[1]);
    assert_eq!(q3.values.len(), 23);
    assert_eq!(q3.commentary, q2.commentary);
    assert_eq!(q3.values[0].value.text(), "76%");

    // A correction: the first value was 78%, not 76%.
    let corrected = q3_file.replacen("value = \"76%\"", "value = \"78% (provisional)\"", 1);
    assert_ne!(corrected, q3_file);
    let report = crate::load_files(store, &[source("quarters/ced-2012-13-q3.toml", &corrected)])
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(report.written, ["quarter CED 2012/13 Q3"]);
    let after = read(store, &halton()).await;
    assert_eq!(after.quarters[0], *q2, "the quarter before is untouched");
    let v = &after.quarters[1].values[0].value;
    assert_eq!(v.text(), "78% (provisional)");
    assert_eq!(v.value(), Some(dec("78")));
    assert_eq!(after.quarters[1].values.len(), 23, "no value left twice");
    assert_eq!(store.stats().await.unwrap().quarter_values, 46);

    // The status listing for the new quarter reads the new value.
    let query = StatusQuery {
        quarter: "2012/13 Q3".parse().unwrap(),
        plan: None,
        unit: None,
    };
    let listing = quarter_status(store, &halton(), &query).await.unwrap();
    let recorded = listing
        .indicators
        .iter()
        .filter_map(|i| i.value.as_ref())
        .filter(|(period, _)| period.to_string() == "2012/13 Q3")
        .count();
    assert!(recorded > 0, "the Q3 listing shows Q3 values");
}

/// A quarter written as a change set (as the web forms will) reads back exactly, and a second
/// change set with the same unit and period replaces it whole.
pub async fn a_quarter_is_recorded_as_a_change_set<S: Store>(store: &S) {
    let d = rich_council();
    store.apply(&everything(&d)).await.unwrap();
    let mut q4 = rich_quarter();
    q4.header.period = "2012/13 Q4".parse().unwrap();
    let mut changes = nothing_but(&d.council);
    changes.quarters = vec![q4.clone()];
    store
        .apply(&ChangeSet {
            councils: vec![changes.clone()],
            ..Default::default()
        })
        .await
        .unwrap();
    let back = read(store, &d.council.reference).await;
    assert_eq!(back.quarters.len(), 3);
    assert_eq!(
        back.quarters
            .iter()
            .find(|q| q.header.period == q4.header.period),
        Some(&q4)
    );

    let mut shorter = bare_quarter("CED", "2012/13 Q4");
    shorter.values = q4.values[..1].to_vec();
    changes.quarters = vec![shorter.clone()];
    store
        .apply(&ChangeSet {
            councils: vec![changes],
            ..Default::default()
        })
        .await
        .unwrap();
    let back = read(store, &d.council.reference).await;
    assert!(back.quarters.contains(&shorter));
    assert!(!back.quarters.contains(&q4));
    let s = store.stats().await.unwrap();
    assert_eq!((s.quarters, s.quarter_values), (3, 2 + 1));
}

/// A performance officer overrides a computed status with a reason; the listing shows the
/// chosen status, the computed one beside it, who and why; setting it again replaces it; a blank
/// reason is refused and changes nothing.
pub async fn a_status_is_overridden_with_a_reason<S: Store>(store: &S) {
    load_halton(store).await;
    let query = StatusQuery {
        quarter: "2012/13 Q2".parse().unwrap(),
        plan: Some(r("CED-2012-13")),
        unit: None,
    };
    let before = quarter_status(store, &halton(), &query).await.unwrap();
    let item = before
        .indicators
        .iter()
        .find(|i| i.value.is_some())
        .expect("an indicator with a Q2 value")
        .clone();
    let other = |p: Progress| {
        if p == Progress::Green {
            Progress::Amber
        } else {
            Progress::Green
        }
    };
    let request = |chosen: Progress, reason: &str, at: &str| OverrideRequest {
        plan: r("CED-2012-13"),
        kind: ItemKind::Indicator,
        item: item.reference.clone(),
        quarter: query.quarter,
        chosen,
        reason: reason.into(),
        by: "Tracey Coffey".into(),
        at: at.parse().unwrap(),
    };
    let first = other(item.computed.status);
    set_status(
        store,
        &halton(),
        request(
            first,
            "Provisional data — «awaiting validation»",
            "2012-10-20T10:00:00Z",
        ),
    )
    .await
    .unwrap();
    let after = quarter_status(store, &halton(), &query).await.unwrap();
    let shown = after
        .indicators
        .iter()
        .find(|i| i.reference == item.reference)
        .unwrap();
    assert_eq!(shown.status, first);
    assert_eq!(shown.computed, item.computed, "the computed status is kept");
    let hand = shown.set_by_hand.as_ref().expect("marked as set by hand");
    assert_eq!(
        (
            hand.by.as_str(),
            time_text(hand.at).as_str(),
            hand.reason.as_str()
        ),
        (
            "Tracey Coffey",
            "2012-10-20T10:00:00Z",
            "Provisional data — «awaiting validation»"
        )
    );

    // Set again: the latest choice replaces the first.
    set_status(
        store,
        &halton(),
        request(
            Progress::Red,
            "Validated: below target",
            "2012-10-27T09:30:00Z",
        ),
    )
    .await
    .unwrap();
    let data = read(store, &halton()).await;
    assert_eq!(data.overrides.len(), 1);
    assert_eq!(data.overrides[0].chosen, Progress::Red);
    assert_eq!(time_text(data.overrides[0].at), "2012-10-27T09:30:00Z");

    // A blank reason is refused, and nothing changes.
    let stats = store.stats().await.unwrap();
    assert!(
        set_status(
            store,
            &halton(),
            request(Progress::Green, "  ", "2012-10-28T09:00:00Z")
        )
        .await
        .is_err()
    );
    assert_eq!(read(store, &halton()).await, data);
    assert_eq!(store.stats().await.unwrap(), stats);
}

/// The council exported as files loads back into the same database without changing anything:
/// the export says exactly what is stored.
pub async fn an_exported_council_loads_back_unchanged<S: Store>(store: &S) {
    load_halton(store).await;
    let before = read(store, &halton()).await;
    let files = beacon_interchange::export::council_files(&before, None).unwrap();
    assert!(files.len() >= 9, "{} files", files.len());
    let sources: Vec<_> = files
        .iter()
        .map(|(path, text)| source(&path.display().to_string(), text))
        .collect();
    let report = crate::load_files(store, &sources)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(report.written.is_empty(), "{:?}", report.written);
    assert_eq!(read(store, &halton()).await, before);
}

// --- Exactness ---------------------------------------------------------------------------------

/// Every field and list of a council reads back exactly, lists in the order given.
pub async fn a_rich_council_reads_back_exactly<S: Store>(store: &S) {
    let d = rich_council();
    store.apply(&everything(&d)).await.unwrap();
    let back = read(store, &d.council.reference).await;
    assert_eq!(back, d);
    // Decimals keep their scale, not only their value (Decimal's == ignores the scale).
    assert_eq!(back.council.tolerance_percent.unwrap().to_string(), "5.50");
    let ind = &back.plan("CYPD-2011-14").unwrap().indicators[0];
    assert_eq!(
        ind.targets[&p("2012/13")].value().unwrap().to_string(),
        "5.80"
    );
    assert_eq!(ind.values[&p("2012/13 Q4")].value(), Some(Decimal::MAX));
    let objectives: Vec<&str> = back
        .plan("CYPD-2011-14")
        .unwrap()
        .objectives
        .iter()
        .map(|o| o.reference.as_str())
        .collect();
    assert_eq!(objectives, ["CFS1", "CFS2", "AA0"]);
    assert_eq!(store.councils().await.unwrap(), vec![d.council.clone()]);
    assert!(
        store
            .council_data(&"nobody".parse().unwrap())
            .await
            .unwrap()
            .is_none()
    );
}

/// Targets and values are words and numbers together: the words are kept as printed, the
/// number with its scale ("5.50" is not "5.5"), qualifiers and "as at" periods with them.
pub async fn words_and_numbers_keep_their_words_and_their_scale<S: Store>(store: &S) {
    let mut d = rich_council();
    let values: Vec<(&str, Measure)> = vec![
        ("2001/02", m("Not set")),
        ("2002/03", m("50% (provisional)")),
        ("2003/04", m("n/a")),
        ("2004/05", m("£1,234.50")),
        ("2005/06", Measure::number(dec("5.50"))),
        ("2006/07", Measure::number(dec("0.000"))),
        ("2007/08", Measure::number(dec("-0.5"))),
        ("2008/09", Measure::number(dec("-12.30"))),
        ("2009/10", Measure::number(Decimal::MAX)),
        ("2010/11", Measure::number(Decimal::MIN)),
        (
            "2011/12",
            Measure::number(dec("0.0000000000000000000000000001")),
        ),
        ("2012/13", Measure::number(dec("-0.00"))),
        ("2013/14", m("454 (A4E) 1118 (Ingeus)")),
    ];
    let plan = &mut d.plans[0];
    assert_eq!(plan.plan.reference.as_str(), "CED-2012-13");
    let mut ind = rich_plan().indicators.remove(1);
    ind.tolerance_percent = Some(dec("0.10"));
    for (period, v) in &values {
        ind.values.insert(p(period), v.clone());
    }
    plan.indicators = vec![ind];
    store.apply(&everything(&d)).await.unwrap();

    let back = read(store, &d.council.reference).await;
    assert_eq!(back, d);
    let ind = &back.plan("CED-2012-13").unwrap().indicators[0];
    assert_eq!(ind.tolerance_percent.unwrap().to_string(), "0.10");
    for (period, v) in &values {
        let got = &ind.values[&p(period)];
        assert_eq!(got.text(), v.text(), "{period}");
        assert_eq!(
            got.value().map(|n| n.to_string()),
            v.value().map(|n| n.to_string()),
            "{period}: the number keeps its scale"
        );
        assert_eq!(got.qualifiers(), v.qualifiers());
    }
    assert_eq!(ind.values[&p("2001/02")].value(), None);
    assert_eq!(ind.values[&p("2002/03")].value(), Some(dec("50")));
}

/// Money is whole pence, with no rounding anywhere: a penny either side of zero and the
/// largest and smallest amounts read back exactly.
pub async fn money_is_kept_to_the_penny_at_the_limits<S: Store>(store: &S) {
    let mut d = rich_council();
    let pennies = [
        1,
        -1,
        99,
        123_456_789,     // £1,234,567.89
        -98_765_432_101, // -£987,654,321.01
        i64::MAX,
        i64::MIN,
        i64::MAX - 1,
        i64::MIN + 1,
        0,
    ];
    let statement = Statement {
        lines: pennies
            .iter()
            .enumerate()
            .map(|(i, &n)| Line {
                group: r("expenditure"),
                label: format!("Line {i}"),
                amounts: amounts(n, n.wrapping_neg(), n / 3),
                note: None,
                source_note: None,
            })
            .collect(),
        ..revenue_statement()
    };
    d.statements = vec![statement.clone(), capital_statement()];
    d.plans[0].budget_changes = pennies
        .iter()
        .map(|&n| BudgetChange {
            kind: ChangeKind::Saving,
            year: "2012/13".parse().unwrap(),
            description: format!("{n} pence"),
            amount: Some(Pence(n)),
            scale: Scale::Pounds,
        })
        .collect();
    d.normalise();
    store.apply(&everything(&d)).await.unwrap();
    let back = read(store, &d.council.reference).await;
    assert_eq!(back, d);
    let lines = &back
        .statements
        .iter()
        .find(|s| s.reference == statement.reference)
        .unwrap()
        .lines;
    let annual: Vec<i64> = lines.iter().map(|l| l.amounts.annual.0).collect();
    assert_eq!(annual, pennies);
    let changes: Vec<Option<Pence>> = back.plans[0]
        .budget_changes
        .iter()
        .map(|b| b.amount)
        .collect();
    assert_eq!(
        changes,
        pennies.iter().map(|&n| Some(Pence(n))).collect::<Vec<_>>()
    );
}

/// Text comes back byte for byte: any script, emoji and combining marks, quotes and
/// backslashes, SQL-looking text, blank lines and carriage returns, and long text.
pub async fn unicode_and_long_text_are_kept_exactly<S: Store>(store: &S) {
    let awkward = [
        "Halton’s “Children & Young People” — naïve café résumé",
        "e\u{301} (combining acute) and \u{1F469}\u{200D}\u{1F467} (a joined emoji) 🚸✓",
        "Cyngor Bwrdeistref Halton · 日本語 · العربية · עברית · Ελληνικά",
        "'; DROP TABLE plans; -- \\N \\\\ %_ $1 ? :name",
        "line one\r\nline two\n\n\ttabbed\u{a0}nbsp\u{2028}separator",
        " leading and trailing spaces ",
        "",
    ];
    let long: String = "Narrowing the gap — £1,234.56 ✓ 日本語 🚸\n".repeat(50_000);
    assert!(long.len() > 2_000_000);
    let mut d = rich_council();
    d.council.name = awkward[0].into();
    let plan = &mut d.plans[0];
    plan.plan.sections = awkward
        .iter()
        .chain([&long.as_str()])
        .map(|t| Section {
            kind: SectionKind::Introduction,
            heading: t.to_string(),
            text: t.to_string(),
        })
        .collect();
    d.units.push(Unit {
        reference: r("LAS"),
        name: awkward[1].into(),
        kind: UnitKind::Team,
        parent: None,
        head: None,
    });
    d.normalise();
    store.apply(&everything(&d)).await.unwrap();
    let back = read(store, &d.council.reference).await;
    assert_eq!(back, d);
    let sections = &back.plan("CED-2012-13").unwrap().plan.sections;
    for (got, want) in sections.iter().zip(awkward.iter().chain([&long.as_str()])) {
        assert_eq!(got.text.as_bytes(), want.as_bytes());
    }
    assert_eq!(store.councils().await.unwrap()[0].name, awkward[0]);
}

// --- Integrity ---------------------------------------------------------------------------------

/// The counts `beacon stats` prints.
pub async fn stats_count_each_kind_of_row<S: Store>(store: &S) {
    assert_eq!(store.stats().await.unwrap(), Stats::default());
    store.apply(&everything(&rich_council())).await.unwrap();
    let expected = Stats {
        councils: 1,
        units: 2,
        officers: 2,
        frames: 3,
        plans: 2,
        objectives: 3,
        milestones: 5,
        indicators: 2,
        targets: 4,
        values: 7,
        comparators: 2,
        risks: 2,
        equality_actions: 2,
        budget_changes: 2,
        quarters: 2,
        narratives: 3 + 2 + 1,
        quarter_values: 2,
        milestone_progress: 2,
        commentary: 3,
        budget_statements: 2,
        budget_lines: 4,
        overrides: 2,
    };
    assert_eq!(store.stats().await.unwrap(), expected);
}

pub async fn applying_the_same_change_twice_changes_nothing<S: Store>(store: &S) {
    let d = rich_council();
    store.apply(&everything(&d)).await.unwrap();
    let first = store.stats().await.unwrap();
    store.apply(&everything(&d)).await.unwrap();
    assert_eq!(store.stats().await.unwrap(), first);
    assert_eq!(read(store, &d.council.reference).await, d);
}

/// Replacing a plan, quarter and statement removes every row of the old one; upserting a unit
/// and the council updates them in place (its risk matrix and tolerance cleared).
pub async fn a_replaced_plan_leaves_no_orphans_and_upserts_update<S: Store>(store: &S) {
    let mut d = rich_council();
    store.apply(&everything(&d)).await.unwrap();
    let mut changes = CouncilChanges {
        council: Council {
            name: "Halton BC".into(),
            tolerance_percent: None,
            risk_matrix: None,
            projection: None,
            exceptions: None,
            ..d.council.clone()
        },
        units: vec![Unit {
            name: "Renamed".into(),
            ..d.units[0].clone()
        }],
        plans: vec![bare_plan("CYPD-2011-14")],
        quarters: vec![bare_quarter("CED", "2012/13 Q2")],
        statements: vec![Statement {
            groups: vec![],
            lines: vec![],
            ..revenue_statement()
        }],
        ..nothing_but(&d.council)
    };
    store
        .apply(&ChangeSet {
            councils: vec![changes.clone()],
            ..Default::default()
        })
        .await
        .unwrap();
    d.council = changes.council.clone();
    d.units[0] = changes.units.remove(0);
    for doc in &mut d.plans {
        if doc.plan.reference.as_str() == "CYPD-2011-14" {
            *doc = bare_plan("CYPD-2011-14");
        }
    }
    for q in &mut d.quarters {
        if q.header.period.to_string() == "2012/13 Q2" {
            *q = bare_quarter("CED", "2012/13 Q2");
        }
    }
    for s in &mut d.statements {
        if s.reference.as_str() == "CED-revenue" {
            s.groups.clear();
            s.lines.clear();
        }
    }
    d.normalise();
    assert_eq!(read(store, &d.council.reference).await, d);
    let s = store.stats().await.unwrap();
    assert_eq!(
        (
            s.plans,
            s.objectives,
            s.milestones,
            s.indicators,
            s.targets,
            s.values,
            s.comparators,
            s.risks,
            s.equality_actions,
            s.budget_changes
        ),
        (2, 0, 0, 0, 0, 0, 0, 0, 0, 0)
    );
    assert_eq!(
        (
            s.quarters,
            s.narratives,
            s.quarter_values,
            s.milestone_progress,
            s.commentary,
            s.budget_lines
        ),
        (2, 0, 0, 0, 0, 0)
    );
}

/// A statement removed is gone with its groups and lines; the council's other statements stay.
pub async fn a_removed_statement_leaves_no_orphans<S: Store>(store: &S) {
    let mut d = rich_council();
    store.apply(&everything(&d)).await.unwrap();
    let lines_before = store.stats().await.unwrap().budget_lines;
    let gone = revenue_statement();
    assert!(
        d.statements.contains(&gone),
        "the fixture holds the statement"
    );
    let mut changes = nothing_but(&d.council);
    changes.removed_statements.push(gone.clone());
    store
        .apply(&ChangeSet {
            councils: vec![changes],
            ..Default::default()
        })
        .await
        .unwrap();
    d.statements.retain(|s| s != &gone);
    d.normalise();
    assert_eq!(read(store, &d.council.reference).await, d);
    assert_eq!(
        store.stats().await.unwrap().budget_lines,
        lines_before - u64::try_from(gone.lines.len()).unwrap(),
        "its lines went with it"
    );
}

/// Two councils in one database share refs and never see each other's data.
pub async fn councils_are_kept_apart<S: Store>(store: &S) {
    let (a, b) = (rich_council(), other_council());
    let mut both = everything(&a);
    both.councils.extend(everything(&b).councils);
    store.apply(&both).await.unwrap();
    assert_eq!(read(store, &a.council.reference).await, a);
    assert_eq!(read(store, &b.council.reference).await, b);
    let refs: Vec<CouncilRef> = store
        .councils()
        .await
        .unwrap()
        .into_iter()
        .map(|c| c.reference)
        .collect();
    assert_eq!(
        refs,
        [a.council.reference.clone(), b.council.reference.clone()]
    );
    store.apply(&everything(&b)).await.unwrap();
    assert_eq!(read(store, &a.council.reference).await, a);
    assert_eq!(read(store, &b.council.reference).await, b);
}

/// A change set that fails part-way (a repeated objective ref, after much has been written)
/// leaves the database as it was, and the database still works.
pub async fn a_failing_apply_changes_nothing<S: Store>(store: &S) {
    let d = rich_council();
    store.apply(&everything(&d)).await.unwrap();
    let before = store.stats().await.unwrap();
    let mut bad = bare_plan("BAD");
    let mut objective = rich_plan().objectives.remove(1);
    bad.objectives = vec![objective.clone(), {
        objective.statement = "same ref again".into();
        objective
    }];
    let mut changes = everything(&d).councils.remove(0);
    changes.council.name = "Renamed in a failed change".into();
    changes.units.push(Unit {
        reference: r("NEW"),
        name: "New".into(),
        kind: UnitKind::Team,
        parent: None,
        head: None,
    });
    changes.plans = vec![bare_plan("CYPD-2011-14"), bad];
    let mut set = ChangeSet {
        councils: vec![changes],
        ..Default::default()
    };
    set.councils.extend(everything(&other_council()).councils);
    let err = store.apply(&set).await.unwrap_err();
    assert!(err.to_string().contains("objectives"), "{err}");
    assert_eq!(store.stats().await.unwrap(), before);
    assert_eq!(read(store, &d.council.reference).await, d);
    assert_eq!(store.councils().await.unwrap().len(), 1);
    store.apply(&everything(&other_council())).await.unwrap();
    assert_eq!(store.councils().await.unwrap().len(), 2);
}

pub async fn a_failing_apply_on_an_empty_database_leaves_it_empty<S: Store>(store: &S) {
    let mut changes = everything(&rich_council()).councils.remove(0);
    let mut dup = revenue_statement();
    dup.groups.push(dup.groups[0].clone());
    changes.statements.push(dup);
    let err = store
        .apply(&ChangeSet {
            councils: vec![changes],
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert!(err.to_string().contains("statement_groups"), "{err}");
    assert_eq!(store.stats().await.unwrap(), Stats::default());
    assert!(store.councils().await.unwrap().is_empty());
}

// --- Concurrent writers ------------------------------------------------------------------------

/// How many writers the concurrency stories run at once.
const WRITERS: usize = 8;

fn council_named(n: usize) -> CouncilData {
    let mut d = rich_council();
    d.council.reference = format!("council-{n}").parse().unwrap();
    d.council.name = format!("Council {n}");
    d
}

/// Eight councils written at once, each in its own transaction: every one lands whole.
pub async fn concurrent_writers_to_different_councils_all_land<S: Store + Clone + 'static>(
    store: &S,
) {
    let mut tasks = tokio::task::JoinSet::new();
    for n in 0..WRITERS {
        let store = store.clone();
        tasks.spawn(async move { store.apply(&everything(&council_named(n))).await });
    }
    while let Some(done) = tasks.join_next().await {
        done.unwrap().unwrap();
    }
    for n in 0..WRITERS {
        let want = council_named(n);
        assert_eq!(read(store, &want.council.reference).await, want);
    }
    assert_eq!(store.stats().await.unwrap().councils as usize, WRITERS);
}

/// Eight officers record different quarters and overrides of one council at once: every
/// quarter and override lands.
pub async fn concurrent_writers_to_one_council_all_land<S: Store + Clone + 'static>(store: &S) {
    let d = rich_council();
    store.apply(&everything(&d)).await.unwrap();
    let mut tasks = tokio::task::JoinSet::new();
    for n in 0..WRITERS {
        let store = store.clone();
        let council = d.council.clone();
        let mut o = d.overrides[0].clone();
        o.item = r(&format!("ITEM{n}"));
        tasks.spawn(async move {
            let mut changes = nothing_but(&council);
            changes.quarters = vec![bare_quarter(
                "CED",
                &format!("{}/{:02} Q1", 2020 + n, (21 + n) % 100),
            )];
            changes.overrides = vec![o];
            store
                .apply(&ChangeSet {
                    councils: vec![changes],
                    ..Default::default()
                })
                .await
        });
    }
    while let Some(done) = tasks.join_next().await {
        done.unwrap().unwrap();
    }
    let back = read(store, &d.council.reference).await;
    assert_eq!(back.quarters.len(), 2 + WRITERS);
    assert_eq!(back.overrides.len(), 2 + WRITERS);
    assert_eq!(back.plans, d.plans);
}

/// Six writers replace the same plan at once with different versions: each succeeds in turn,
/// and what is left is exactly one of the versions, never a mixture or a duplicate.
pub async fn concurrent_replacements_of_one_plan_leave_one_whole_plan<
    S: Store + Clone + 'static,
>(
    store: &S,
) {
    let d = rich_council();
    store.apply(&everything(&d)).await.unwrap();
    let version = |n: usize| {
        let mut plan = rich_plan();
        plan.plan.title = format!("Version {n}");
        plan.objectives.truncate(n % 3 + 1);
        plan
    };
    let mut tasks = tokio::task::JoinSet::new();
    for n in 0..6 {
        let store = store.clone();
        let council = d.council.clone();
        let plan = version(n);
        tasks.spawn(async move {
            let mut changes = nothing_but(&council);
            changes.plans = vec![plan];
            store
                .apply(&ChangeSet {
                    councils: vec![changes],
                    ..Default::default()
                })
                .await
        });
    }
    while let Some(done) = tasks.join_next().await {
        done.unwrap().unwrap();
    }
    let back = read(store, &d.council.reference).await;
    let stored = back.plan("CYPD-2011-14").unwrap();
    assert!(
        (0..6).any(|n| *stored == version(n)),
        "the stored plan is one whole version: {}",
        stored.plan.title
    );
    let s = store.stats().await.unwrap();
    assert_eq!(s.plans, 2);
    assert_eq!(s.objectives as usize, stored.objectives.len());
}

/// A reader running while a writer swaps a plan back and forth sees the old plan or the new
/// one, whole, every time.
pub async fn reads_while_writing_see_a_whole_council<S: Store + Clone + 'static>(store: &S) {
    let d = rich_council();
    store.apply(&everything(&d)).await.unwrap();
    let (rich, bare) = (rich_plan(), bare_plan("CYPD-2011-14"));
    let writer = {
        let store = store.clone();
        let council = d.council.clone();
        let (rich, bare) = (rich.clone(), bare.clone());
        tokio::spawn(async move {
            for i in 0..20 {
                let mut changes = nothing_but(&council);
                changes.plans = vec![if i % 2 == 0 {
                    bare.clone()
                } else {
                    rich.clone()
                }];
                store
                    .apply(&ChangeSet {
                        councils: vec![changes],
                        ..Default::default()
                    })
                    .await?;
            }
            Ok::<(), beacon_app::StoreError>(())
        })
    };
    let mut reads = 0;
    while !writer.is_finished() || reads < 5 {
        let back = read(store, &d.council.reference).await;
        let plan = back.plan("CYPD-2011-14").unwrap();
        assert!(
            *plan == rich || *plan == bare,
            "a half-written plan was read"
        );
        reads += 1;
    }
    writer.await.unwrap().unwrap();
}

/// The revision readers cache by moves on with every change to the council and with nothing
/// else; a council that does not exist has none.
pub async fn a_council_s_revision_moves_on_with_every_change<S: Store>(store: &S) {
    let (a, b) = (rich_council(), other_council());
    assert_eq!(store.revision(&a.council.reference).await.unwrap(), None);
    store.apply(&everything(&a)).await.unwrap();
    store.apply(&everything(&b)).await.unwrap();
    let first = store.revision(&a.council.reference).await.unwrap();
    assert!(first.is_some());
    let other = store.revision(&b.council.reference).await.unwrap();
    read(store, &a.council.reference).await;
    store.stats().await.unwrap();
    assert_eq!(store.revision(&a.council.reference).await.unwrap(), first);

    let mut changes = nothing_but(&a.council);
    changes.quarters = vec![bare_quarter("CED", "2013/14 Q1")];
    store
        .apply(&ChangeSet {
            councils: vec![changes],
            ..Default::default()
        })
        .await
        .unwrap();
    let second = store.revision(&a.council.reference).await.unwrap();
    assert!(second > first, "{second:?} after {first:?}");
    assert_eq!(store.revision(&b.council.reference).await.unwrap(), other);
}
