//! The budget story: a budget book (expenditure, income, net) and a capital programme stored and
//! read back with their kinds, years and amounts; a plan's stated budget totals and the
//! council's outturn projection kept; the quarter's statuses give each kind only what it has.

use super::fixtures::*;
use beacon_app::Store;
use beacon_app::status::{StatusQuery, status_report};
use beacon_domain::budget::{OutturnProjection, StatementKind};
use beacon_domain::money::Pence;

/// Store a budget book and a capital statement beside a revenue statement, with the council's
/// projection turned off: each reads back as stored, and only what its kind has is computed.
pub async fn a_budget_book_and_a_capital_programme_read_back_with_their_kinds<S: Store>(store: &S) {
    let mut d = rich_council();
    d.council.projection = Some(OutturnProjection::Off);
    let mut revenue = revenue_statement();
    revenue.projection = None;
    revenue.groups.clear();
    revenue.lines.clear();
    d.statements = vec![revenue, capital_statement(), budget_book_statement()];
    d.normalise();
    store.apply(&everything(&d)).await.unwrap();
    let back = store
        .council_data(&d.council.reference)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(back, d);
    assert_eq!(back.council.projection, Some(OutturnProjection::Off));

    let book = back
        .statements
        .iter()
        .find(|s| s.kind == StatementKind::BudgetBook)
        .expect("the budget book is stored as a budget book");
    assert_eq!(book.period.year.to_string(), "2011/12");
    book.check()
        .expect("every line's net is its expenditure less its income");
    let total = &book.totals().unwrap()[0];
    assert_eq!(total.computed.spent, Pence(740_000_000), "net £7,400k");
    assert!(total.reconciles());

    let plan = back.plan("CYPD-2011-14").unwrap();
    assert_eq!(plan.budget_totals.len(), 1);
    assert_eq!(
        plan.budget_totals[0].reconcile(&plan.budget_changes),
        Ok(())
    );

    // The budget book's quarter: no variance and no projection for it.
    let r = status_report(
        &back,
        &StatusQuery {
            quarter: book.period,
            plan: None,
            unit: None,
        },
    );
    let s = r
        .statements
        .iter()
        .find(|s| s.kind == StatementKind::BudgetBook)
        .unwrap();
    assert_eq!((s.variance, &s.projected), (None, &None));
    assert!(s.reconciliation.status.reconciles);
    // The capital statement's quarter: a variance, never a projection; the revenue statement
    // is not projected either, as the council has turned projection off.
    let capital = back
        .statements
        .iter()
        .find(|s| s.kind == StatementKind::Capital)
        .unwrap();
    let r = status_report(
        &back,
        &StatusQuery {
            quarter: capital.period,
            plan: None,
            unit: None,
        },
    );
    let s = r
        .statements
        .iter()
        .find(|s| s.kind == StatementKind::Capital)
        .unwrap();
    assert_eq!(s.projection, OutturnProjection::Off);
    assert!(s.projected.is_none());
}
