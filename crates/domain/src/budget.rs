//! Budgets: revenue and capital statements as trees of groups and lines with exact amounts,
//! and the budget changes a plan states (investments, savings, grant reductions).

use crate::Ref;
use crate::money::{Pence, Scale};
use crate::period::{FinancialYear, Quarter};
use serde::Serialize;

crate::word_enum! {
    /// Revenue (annual budget, budget to date, spend to date) or capital (allocation,
    /// allocation to date, actual to date).
    StatementKind { Revenue = "revenue", Capital = "capital" }
}

crate::word_enum! {
    /// Kinds of budget change a plan states.
    ChangeKind {
        Investment = "investment",
        Saving = "saving",
        GrantReduction = "grant-reduction",
        Other = "other",
    }
}

/// The three amounts of a line: annual budget (or allocation), budget to date, spend to date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Amounts {
    pub annual: Pence,
    pub to_date: Pence,
    pub spent: Pence,
}

impl Amounts {
    /// Variance to date: budget to date − spend to date; an overspend is negative.
    /// `None` only if the sum overflows.
    pub fn variance(&self) -> Option<Pence> {
        self.to_date.checked_sub(self.spent)
    }
    pub fn checked_add(&self, o: &Amounts) -> Option<Amounts> {
        Some(Amounts {
            annual: self.annual.checked_add(o.annual)?,
            to_date: self.to_date.checked_add(o.to_date)?,
            spent: self.spent.checked_add(o.spent)?,
        })
    }
}

/// A line of a statement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Line {
    pub group: Ref,
    pub label: String,
    pub amounts: Amounts,
    /// A footnote printed with the line.
    pub note: Option<String>,
    /// A note about the source (a transcriber's note): kept and exported, never printed.
    pub source_note: Option<String>,
}

/// A group of lines (and other groups) with a total line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Group {
    pub key: Ref,
    pub parent: Option<Ref>,
    pub label: String,
    pub heading: Option<String>,
    /// The totals the source printed, kept to check against the computed ones.
    pub stated: Option<Amounts>,
}

/// A budget statement for a unit as at the end of a quarter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Statement {
    pub reference: Ref,
    pub period: Quarter,
    pub unit: Ref,
    pub kind: StatementKind,
    pub title: String,
    pub scale: Scale,
    pub notes: Option<String>,
    /// Parents before children.
    pub groups: Vec<Group>,
    pub lines: Vec<Line>,
}

/// A group's computed total beside what the source stated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GroupTotal {
    pub key: Ref,
    pub label: String,
    pub computed: Amounts,
    pub stated: Option<Amounts>,
}

impl GroupTotal {
    /// True when there is no stated total or it equals the computed one.
    pub fn reconciles(&self) -> bool {
        self.stated.is_none_or(|s| s == self.computed)
    }
}

impl Statement {
    /// Checks the tree: group keys unique, parents known and declared first, every line in a
    /// known group. Returns what is wrong in words.
    pub fn check(&self) -> Result<(), String> {
        let mut seen: Vec<&Ref> = Vec::new();
        for g in &self.groups {
            if seen.contains(&&g.key) {
                return Err(format!("group {:?} is declared twice", g.key.as_str()));
            }
            if let Some(p) = &g.parent
                && !seen.contains(&p)
            {
                return Err(format!(
                    "group {:?} names parent {:?}, which is not a group declared before it",
                    g.key.as_str(),
                    p.as_str()
                ));
            }
            seen.push(&g.key);
        }
        if let Some(l) = self.lines.iter().find(|l| !seen.contains(&&l.group)) {
            return Err(format!(
                "line {:?} is in group {:?}, which is not declared",
                l.label,
                l.group.as_str()
            ));
        }
        if self.groups.iter().filter(|g| g.parent.is_none()).count() > 1 && self.groups.len() > 1 {
            // Several roots are allowed (a statement may be several tables), nothing to check.
        }
        Ok(())
    }

    /// The groups directly under `parent` (roots for `None`), in order.
    pub fn children<'a>(&'a self, parent: Option<&'a Ref>) -> impl Iterator<Item = &'a Group> + 'a {
        self.groups
            .iter()
            .filter(move |g| g.parent.as_ref() == parent)
    }

    /// The lines directly in a group, in order.
    pub fn lines_in<'a>(&'a self, key: &'a Ref) -> impl Iterator<Item = &'a Line> + 'a {
        self.lines.iter().filter(move |l| &l.group == key)
    }

    /// Every group's total computed from its lines and child groups, in declaration order.
    /// `None` only if a sum overflows.
    pub fn totals(&self) -> Option<Vec<GroupTotal>> {
        let mut out = Vec::with_capacity(self.groups.len());
        for g in &self.groups {
            out.push(GroupTotal {
                key: g.key.clone(),
                label: g.label.clone(),
                computed: self.total_of(&g.key, 0)?,
                stated: g.stated,
            });
        }
        Some(out)
    }

    fn total_of(&self, key: &Ref, depth: usize) -> Option<Amounts> {
        if depth > self.groups.len() {
            return None;
        }
        let mut sum = Amounts::default();
        for g in self.children(Some(key)) {
            sum = sum.checked_add(&self.total_of(&g.key, depth + 1)?)?;
        }
        for l in self.lines_in(key) {
            sum = sum.checked_add(&l.amounts)?;
        }
        Some(sum)
    }
}

/// A budget change a plan states.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BudgetChange {
    pub kind: ChangeKind,
    pub year: FinancialYear,
    pub description: String,
    pub amount: Option<Pence>,
    pub scale: Scale,
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn r(s: &str) -> Ref {
        s.parse().unwrap()
    }

    fn statement(lines: Vec<(i64, i64, i64)>) -> Statement {
        let mut st = Statement {
            reference: r("S"),
            period: "2012/13 Q2".parse().unwrap(),
            unit: r("U"),
            kind: StatementKind::Revenue,
            title: "t".into(),
            scale: Scale::Thousands,
            notes: None,
            groups: vec![
                Group {
                    key: r("net"),
                    parent: None,
                    label: "Net".into(),
                    heading: None,
                    stated: None,
                },
                Group {
                    key: r("exp"),
                    parent: Some(r("net")),
                    label: "Total Expenditure".into(),
                    heading: None,
                    stated: None,
                },
                Group {
                    key: r("inc"),
                    parent: Some(r("net")),
                    label: "Total Income".into(),
                    heading: None,
                    stated: None,
                },
            ],
            lines: Vec::new(),
        };
        for (i, (a, b, c)) in lines.into_iter().enumerate() {
            st.lines.push(Line {
                group: if i % 2 == 0 { r("exp") } else { r("inc") },
                label: format!("line {i}"),
                amounts: Amounts {
                    annual: Pence(a),
                    to_date: Pence(b),
                    spent: Pence(c),
                },
                note: None,
                source_note: None,
            });
        }
        st
    }

    #[test]
    fn refuses_a_parent_declared_later() {
        let mut st = statement(vec![]);
        st.groups.swap(0, 1);
        assert!(
            st.check()
                .unwrap_err()
                .contains("not a group declared before it")
        );
    }

    proptest! {
        #[test]
        fn a_statement_built_from_lines_always_reconciles(
            lines in proptest::collection::vec((-1_000_000_000i64..1_000_000_000, -1_000_000_000i64..1_000_000_000, -1_000_000_000i64..1_000_000_000), 0..40)
        ) {
            let mut st = statement(lines);
            st.check().unwrap();
            let totals = st.totals().unwrap();
            // State every total as computed: all reconcile, and the root is the sum of its parts.
            for (g, t) in st.groups.iter_mut().zip(&totals) {
                g.stated = Some(t.computed);
            }
            let again = st.totals().unwrap();
            prop_assert!(again.iter().all(GroupTotal::reconciles));
            let root = again[0].computed;
            let parts = again[1].computed.checked_add(&again[2].computed).unwrap();
            prop_assert_eq!(root, parts);
            let sum_var: i64 = st.lines.iter().map(|l| l.amounts.variance().unwrap().0).sum();
            prop_assert_eq!(root.variance().unwrap().0, sum_var);
        }
    }
}
