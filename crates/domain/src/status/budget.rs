//! Budget statements: variance to date, reconciliation of every total with its lines, and the
//! projected outturn at year end.

use super::Assessed;
use crate::budget::{Amounts, OutturnProjection, Statement};
use crate::money::Pence;
use crate::period::Quarter;
use serde::Serialize;

/// A statement's reconciliation: every total whose stated figure differs from its lines.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Reconciliation {
    pub reconciles: bool,
    /// (total's label, stated, computed) for each total that does not reconcile.
    pub differences: Vec<(String, Amounts, Amounts)>,
}

/// Checks every stated total of a statement against the sum of its lines.
pub fn reconcile(st: &Statement) -> Assessed<Reconciliation> {
    let Some(totals) = st.totals() else {
        return Assessed::new(
            Reconciliation {
                reconciles: false,
                differences: Vec::new(),
            },
            "the amounts are too large to add up",
        );
    };
    let differences: Vec<_> = totals
        .iter()
        .filter(|t| !t.reconciles())
        .filter_map(|t| t.stated.map(|s| (t.label.clone(), s, t.computed)))
        .collect();
    let stated = totals.iter().filter(|t| t.stated.is_some()).count();
    let reason = if differences.is_empty() {
        format!("all {stated} stated totals equal the sum of their lines")
    } else {
        let words: Vec<String> = differences
            .iter()
            .map(|(label, s, c)| {
                let d = |a: Pence, b: Pence| a.checked_sub(b).map_or("?".into(), |x| x.display(st.scale, false));
                format!(
                    "{label}: stated {} / {} / {}, lines add to {} / {} / {} (difference {} / {} / {})",
                    s.annual.display(st.scale, false),
                    s.to_date.display(st.scale, false),
                    s.spent.display(st.scale, false),
                    c.annual.display(st.scale, false),
                    c.to_date.display(st.scale, false),
                    c.spent.display(st.scale, false),
                    d(s.annual, c.annual),
                    d(s.to_date, c.to_date),
                    d(s.spent, c.spent),
                )
            })
            .collect();
        format!("does not reconcile: {}", words.join("; "))
    };
    Assessed::new(
        Reconciliation {
            reconciles: differences.is_empty(),
            differences,
        },
        reason,
    )
}

impl OutturnProjection {
    /// The projection's name wherever its figure is printed.
    pub fn label(self) -> &'static str {
        match self {
            OutturnProjection::StraightLine => "Projected outturn (straight line)",
            OutturnProjection::Profile => "Projected outturn (by budget profile)",
            OutturnProjection::Off => "No projected outturn",
        }
    }
}

/// How a statement's outturn is projected: never for a kind that does not project (capital,
/// budget books); else the statement's own choice, else the council's.
pub fn projection_for(st: &Statement, council: OutturnProjection) -> OutturnProjection {
    if st.kind.projects() {
        st.projection.unwrap_or(council)
    } else {
        OutturnProjection::Off
    }
}

/// The projected outturn of a line or total at year end, with how it was projected; `None`
/// when projection is off, or by profile when nothing is profiled to date.
pub fn projected_outturn(
    a: &Amounts,
    quarter: Quarter,
    how: OutturnProjection,
) -> Option<Assessed<Pence>> {
    let spent = i128::from(a.spent.0);
    let (value, words) = match how {
        OutturnProjection::Off => return None,
        OutturnProjection::StraightLine => {
            let q = i128::from(quarter.elapsed());
            (
                spent * 4 / q,
                format!(
                    "straight line: spend to date over {} quarter(s), extended to four; not a forecast, and wrong for budgets charged unevenly, such as asset rentals charged at year end",
                    quarter.elapsed()
                ),
            )
        }
        OutturnProjection::Profile => {
            if a.to_date.0 == 0 {
                return None;
            }
            (
                spent * i128::from(a.annual.0) / i128::from(a.to_date.0),
                "by the budget profile: spend to date in proportion to the budget profiled to date"
                    .to_string(),
            )
        }
    };
    let p = Pence(i64::try_from(value).ok()?);
    Some(Assessed::new(p, words))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::budget::{Group, Line, StatementKind};
    use crate::money::Scale;

    fn k(n: i64) -> Pence {
        Pence(n * 100_000)
    }

    #[test]
    fn a_misstated_total_is_reported_with_the_difference() {
        let r = |s: &str| s.parse().unwrap();
        let st = Statement {
            reference: r("S"),
            period: "2012/13 Q2".parse().unwrap(),
            unit: r("U"),
            kind: StatementKind::Revenue,
            title: "t".into(),
            scale: Scale::Thousands,
            notes: None,
            projection: None,
            groups: vec![Group {
                key: r("e"),
                parent: None,
                label: "Total Expenditure".into(),
                heading: None,
                stated: Some(Amounts {
                    annual: k(100),
                    to_date: k(50),
                    spent: k(40),
                }),
            }],
            lines: vec![Line {
                group: r("e"),
                label: "Employees".into(),
                amounts: Amounts {
                    annual: k(90),
                    to_date: k(50),
                    spent: k(40),
                },
                note: None,
                source_note: None,
            }],
        };
        let a = reconcile(&st);
        assert!(!a.status.reconciles);
        assert_eq!(
            a.reason,
            "does not reconcile: Total Expenditure: stated 100 / 50 / 40, lines add to 90 / 50 / 40 (difference 10 / 0 / 0)"
        );
    }

    #[test]
    fn projections() {
        let a = Amounts {
            annual: k(48_911),
            to_date: k(21_200),
            spent: k(20_430),
        };
        let q2: Quarter = "2012/13 Q2".parse().unwrap();
        assert_eq!(
            projected_outturn(&a, q2, OutturnProjection::StraightLine)
                .unwrap()
                .status,
            k(40_860)
        );
        let p = projected_outturn(&a, q2, OutturnProjection::Profile)
            .unwrap()
            .status;
        assert_eq!(p.0, 20_430 * 48_911 * 100_000 / 21_200);
        assert!(projected_outturn(&a, q2, OutturnProjection::Off).is_none());
    }

    #[test]
    fn asset_rentals_charged_at_year_end_project_by_their_profile() {
        // Halton's "Asset Rental Support Costs": 6,693 budgeted, 16 to date, 16 spent at Q2.
        let a = Amounts {
            annual: k(6_693),
            to_date: k(16),
            spent: k(16),
        };
        let q2: Quarter = "2012/13 Q2".parse().unwrap();
        let straight = projected_outturn(&a, q2, OutturnProjection::StraightLine).unwrap();
        assert_eq!(straight.status, k(32));
        assert!(straight.reason.starts_with("straight line:"));
        let profile = projected_outturn(&a, q2, OutturnProjection::Profile).unwrap();
        assert_eq!(profile.status, k(6_693));
    }

    #[test]
    fn only_revenue_statements_project_and_a_statement_may_choose() {
        let r = |s: &str| s.parse().unwrap();
        let mut st = Statement {
            reference: r("S"),
            period: "2012/13 Q2".parse().unwrap(),
            unit: r("U"),
            kind: StatementKind::Revenue,
            title: "t".into(),
            scale: Scale::Thousands,
            notes: None,
            projection: None,
            groups: Vec::new(),
            lines: Vec::new(),
        };
        let council = OutturnProjection::Off;
        assert_eq!(projection_for(&st, council), OutturnProjection::Off);
        st.projection = Some(OutturnProjection::Profile);
        assert_eq!(projection_for(&st, council), OutturnProjection::Profile);
        for kind in [StatementKind::Capital, StatementKind::BudgetBook] {
            st.kind = kind;
            assert_eq!(
                projection_for(&st, OutturnProjection::StraightLine),
                OutturnProjection::Off
            );
        }
    }
}
