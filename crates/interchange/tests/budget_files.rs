//! Budget statements of every kind and a plan's budget changes with stated totals: the good files
//! load and export back byte for byte; each mistake loads nothing and is named by file, line and
//! field with both figures.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use beacon_app::Store;
use beacon_domain::budget::StatementKind;
use beacon_interchange::LoadError;
use beacon_test_support::budget_files::{BUDGET_BOOK, PLAN_WITH_BUDGET, budget_sources};
use beacon_test_support::{TempDb, source};

fn council() -> beacon_domain::organisation::CouncilRef {
    "halton".parse().unwrap()
}

/// Loads `text` as `bad.toml` over the example council: nothing is loaded, and the one problem
/// is returned.
async fn one_problem(text: &str) -> beacon_interchange::Problem {
    let db = TempDb::with_halton().await;
    let before = db.store.council_data(&council()).await.unwrap();
    let err: LoadError = beacon_test_support::load_files(&db.store, &[source("bad.toml", text)])
        .await
        .unwrap_err();
    assert_eq!(db.store.council_data(&council()).await.unwrap(), before);
    assert_eq!(err.problems.len(), 1, "{err}");
    let p = err.problems[0].clone();
    assert_eq!(p.file, "bad.toml");
    p
}

fn line_of(text: &str, needle: &str) -> usize {
    text.lines().position(|l| l.contains(needle)).unwrap() + 1
}

#[tokio::test]
async fn a_budget_book_and_budget_totals_load_and_export_back_byte_for_byte() {
    let db = TempDb::with_halton().await;
    let report = beacon_test_support::load_files(&db.store, &budget_sources())
        .await
        .unwrap();
    assert!(
        report
            .written
            .iter()
            .any(|w| w == "plan CFS-BUDGET-2012-13")
    );
    let data = db.store.council_data(&council()).await.unwrap().unwrap();
    let book = data
        .statements
        .iter()
        .find(|s| s.reference.as_str() == "CFS-budget")
        .unwrap();
    assert_eq!(book.kind, StatementKind::BudgetBook);
    assert_eq!(book.period.year.to_string(), "2012/13");
    let plan = data.plan("CFS-BUDGET-2012-13").unwrap();
    assert_eq!(plan.budget_totals.len(), 2);

    // Exported: the book is written for its year, the totals with the plan; loaded into an
    // empty database and exported again, every file is the same bytes.
    let files = beacon_interchange::export::council_files(&data, None).unwrap();
    let text = |name: &str| {
        files
            .iter()
            .find(|(p, _)| p.display().to_string().contains(name))
            .map(|(_, t)| t.clone())
            .unwrap()
    };
    let budget = text("cfs-2012-13-q1");
    assert!(budget.contains("period = \"2012/13\"\n"), "{budget}");
    assert!(budget.contains("kind = \"budget-book\"\n"));
    assert!(
        budget.contains("\"5200\",\n    \"1150\",\n    \"4050\",\n"),
        "{budget}"
    );
    let plan_text = text("cfs-budget-2012-13");
    assert!(plan_text.contains("[[budget_totals]]\nlabel = \"Total savings 2012/13\"\nkind = \"saving\"\nyear = \"2012/13\"\nstated = \"200\"\nscale = \"thousands\"\n"), "{plan_text}");
    let second = TempDb::new().await;
    let sources: Vec<_> = files
        .iter()
        .map(|(p, t)| source(&p.display().to_string(), t))
        .collect();
    beacon_test_support::load_files(&second.store, &sources)
        .await
        .unwrap();
    let data2 = second
        .store
        .council_data(&council())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(data2, data);
    assert_eq!(
        beacon_interchange::export::council_files(&data2, None).unwrap(),
        files
    );
}

#[tokio::test]
async fn a_budget_book_line_whose_net_is_not_expenditure_less_income_is_refused() {
    let text = BUDGET_BOOK.replace(
        r#"amounts = ["1,600", "250", "1,350"]"#,
        r#"amounts = ["1,600", "250", "1,250"]"#,
    );
    let p = one_problem(&text).await;
    assert_eq!(p.line, line_of(&text, r#""1,250"]"#));
    assert_eq!(p.field, "statements.lines.amounts");
    assert_eq!(
        p.message,
        "net 1,250 is not expenditure 1,600 − income 250 = 1,350 (£'000); income is written as a positive amount"
    );
}

#[tokio::test]
async fn a_stated_budget_book_total_is_held_to_the_same_rule() {
    let text = BUDGET_BOOK.replace(
        r#"stated = ["6,800", "1,400", "5,400"]"#,
        r#"stated = ["6,800", "-1,400", "5,400"]"#,
    );
    let p = one_problem(&text).await;
    assert_eq!(p.line, line_of(&text, r#""-1,400""#));
    assert_eq!(p.field, "statements.groups.stated");
    assert!(
        p.message
            .starts_with("net 5,400 is not expenditure 6,800 − income -1,400 = 8,200"),
        "{}",
        p.message
    );
}

#[tokio::test]
async fn a_budget_book_needs_a_year_and_a_monitoring_statement_a_quarter() {
    let text = BUDGET_BOOK.replace(r#"period = "2012/13""#, r#"period = "2012/13 Q2""#);
    let p = one_problem(&text).await;
    assert_eq!(p.line, line_of(&text, "period ="));
    assert_eq!(p.field, "statements.period");
    assert_eq!(
        p.message,
        "a budget book is for a year: expected period = \"2012/13\", not a quarter"
    );
    let text = BUDGET_BOOK.replace(r#"kind = "budget-book""#, r#"kind = "revenue""#);
    let p = one_problem(&text).await;
    assert_eq!(p.field, "statements.period");
    assert!(p.message.starts_with("a revenue statement is as at the end of a quarter: expected a quarter such as \"2012/13 Q2\""), "{}", p.message);
}

#[tokio::test]
async fn a_budget_book_line_needs_its_three_amounts_in_its_own_words() {
    let text = BUDGET_BOOK.replace(
        r#"amounts = ["2,500", "500", "2,000"]"#,
        r#"amounts = ["2,500", "500"]"#,
    );
    let p = one_problem(&text).await;
    assert_eq!(p.line, line_of(&text, r#"["2,500", "500"]"#));
    assert_eq!(p.field, "statements.lines.amounts");
    assert_eq!(
        p.message,
        "2 amounts given; expected 3 for a budget-book statement: expenditure, income, net"
    );
}

#[tokio::test]
async fn only_a_revenue_statement_may_choose_its_projection() {
    let text = BUDGET_BOOK.replace(
        "scale = \"thousands\"\n",
        "scale = \"thousands\"\nprojection = \"profile\"\n",
    );
    let p = one_problem(&text).await;
    assert_eq!(p.line, line_of(&text, "projection ="));
    assert_eq!(p.field, "statements.projection");
    assert_eq!(
        p.message,
        "a budget-book statement has no projected outturn: only a revenue statement may set projection"
    );
}

#[tokio::test]
async fn an_unknown_kind_or_scale_lists_the_choices() {
    let text = BUDGET_BOOK.replace(r#"kind = "budget-book""#, r#"kind = "budget""#);
    let p = one_problem(&text).await;
    assert_eq!(p.line, line_of(&text, "kind ="));
    assert!(
        p.message.contains("revenue | capital | budget-book"),
        "{}",
        p.message
    );
    let text = BUDGET_BOOK.replace(r#"scale = "thousands""#, r#"scale = "billions""#);
    let p = one_problem(&text).await;
    assert!(
        p.message.contains("pounds | thousands | millions"),
        "{}",
        p.message
    );
}

#[tokio::test]
async fn a_stated_budget_total_that_the_changes_do_not_add_to_is_refused_with_both_figures() {
    let text = PLAN_WITH_BUDGET.replace(r#"stated = "200""#, r#"stated = "210""#);
    let p = one_problem(&text).await;
    assert_eq!(p.line, line_of(&text, r#"stated = "210""#));
    assert_eq!(p.field, "budget_totals.stated");
    assert_eq!(
        p.message,
        "\"Total savings 2012/13\": stated 210 £'000, but the saving changes of 2012/13 (2 of them) add to 200 £'000"
    );
}

/// The council file turns straight-line projection off; it is stored, and exported back.
#[tokio::test]
async fn the_council_file_sets_how_outturn_is_projected() {
    let mut sources = beacon_test_support::riverside_sources();
    let file = sources
        .iter_mut()
        .find(|s| s.name.ends_with("council.toml"))
        .unwrap();
    let colour = "colour = \"#6a3d9a\"\n";
    assert!(file.text.contains(colour));
    file.text = file
        .text
        .replacen(colour, &format!("{colour}projection = \"none\"\n"), 1);
    let db = TempDb::new().await;
    beacon_test_support::load_files(&db.store, &sources)
        .await
        .unwrap();
    let riverside = "riverside".parse().unwrap();
    let data = db.store.council_data(&riverside).await.unwrap().unwrap();
    assert_eq!(
        data.council.projection,
        Some(beacon_domain::budget::OutturnProjection::Off)
    );
    let files = beacon_interchange::export::council_files(&data, None).unwrap();
    assert!(
        files[0].1.contains("projection = \"none\"\n"),
        "{}",
        files[0].1
    );

    // Any other word is refused with the choices.
    let mut bad = sources.clone();
    for s in &mut bad {
        s.text = s
            .text
            .replace("projection = \"none\"", "projection = \"linear\"");
    }
    let err = beacon_test_support::load_files(&TempDb::new().await.store, &bad)
        .await
        .unwrap_err();
    assert!(
        err.to_string().contains("straight-line | profile | none"),
        "{err}"
    );
}
