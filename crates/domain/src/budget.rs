//! Budgets: statements of three kinds (the quarterly revenue monitoring statement, the capital
//! programme's monitoring, the annual budget book by service line) as trees of groups and lines
//! with exact amounts, each kind with its own columns and rules; the budget changes a plan
//! states (investments, savings, grant reductions) and the totals it states for them.

use crate::Ref;
use crate::money::{Pence, Scale};
use crate::period::{FinancialYear, Quarter};
use serde::{Deserialize, Serialize};

crate::word_enum! {
    /// What a statement is; it decides the three columns, what is computed from them and how
    /// they are checked. `revenue`: the quarterly monitoring statement (annual budget, budget to
    /// date, spend to date; variance to date and a projected outturn). `capital`: the capital
    /// programme's monitoring, scheme by scheme (allocation for the year, allocation to date,
    /// actual spend to date; variance to date, never a projection: schemes do not spend
    /// evenly). `budget-book`: the annual budget by service line (expenditure, income, net; net
    /// is expenditure − income on every line and total; no variance, no projection).
    StatementKind { Revenue = "revenue", Capital = "capital", BudgetBook = "budget-book" }
}

impl StatementKind {
    /// The three columns' labels, as reports print them.
    pub fn columns(self) -> [&'static str; 3] {
        match self {
            StatementKind::Revenue => ["Annual Budget", "Budget to Date", "Expenditure to Date"],
            StatementKind::Capital => {
                ["Capital Allocation", "Allocation to Date", "Actual to Date"]
            }
            StatementKind::BudgetBook => ["Expenditure", "Income", "Net"],
        }
    }

    /// The column computed from the three, where the kind has one.
    pub fn derived_column(self) -> Option<&'static str> {
        match self {
            StatementKind::Revenue | StatementKind::Capital => Some("Variance to Date (overspend)"),
            StatementKind::BudgetBook => None,
        }
    }

    /// Variance to date (budget to date − spend to date; an overspend is negative) for the
    /// kinds that monitor spending; `None` for a budget book, or if the sum overflows.
    pub fn variance(self, a: &Amounts) -> Option<Pence> {
        self.derived_column()?;
        a.variance()
    }

    /// True for the kind whose outturn may be projected (revenue monitoring).
    pub fn projects(self) -> bool {
        self == StatementKind::Revenue
    }

    /// Whether a year (a budget book) or a quarter (monitoring) is the statement's period.
    pub fn is_annual(self) -> bool {
        self == StatementKind::BudgetBook
    }

    /// The three amounts a line gives, in words for messages.
    pub fn expected_amounts(self) -> &'static str {
        match self {
            StatementKind::Revenue => "annual budget, budget to date, spend to date",
            StatementKind::Capital => "allocation, allocation to date, actual to date",
            StatementKind::BudgetBook => "expenditure, income, net",
        }
    }

    /// The kind's rule on one line's (or stated total's) amounts: a budget book's net is its
    /// expenditure less its income (income written as a positive amount). Says what is wrong
    /// with both figures.
    pub fn check_amounts(self, a: &Amounts, scale: Scale) -> Result<(), String> {
        if self != StatementKind::BudgetBook {
            return Ok(());
        }
        let Some(net) = a.annual.checked_sub(a.to_date) else {
            return Err("the amounts are too large to subtract".into());
        };
        if net == a.spent {
            return Ok(());
        }
        let show = |p: Pence| p.display(scale, false);
        Err(format!(
            "net {} is not expenditure {} − income {} = {} ({}); income is written as a positive amount",
            show(a.spent),
            show(a.annual),
            show(a.to_date),
            show(net),
            scale.label()
        ))
    }
}

crate::word_enum! {
    /// How a revenue statement's outturn at year end is projected. `straight-line`: spend to date
    /// extended evenly to four quarters (labelled as such wherever it is printed; it misleads
    /// for budgets charged unevenly, such as asset rentals charged at year end). `profile`: by
    /// the statement's own profile, its budget to date (spend to date × annual budget ÷ budget
    /// to date). `none`: no projection.
    OutturnProjection {
        StraightLine = "straight-line",
        Profile = "profile",
        Off = "none",
    }
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

/// The three amounts of a line, whose meaning is the statement kind's: annual budget (or
/// allocation), budget to date (or allocation to date), spend to date (or actual to date); for
/// a budget book, expenditure, income and net.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Amounts {
    pub annual: Pence,
    pub to_date: Pence,
    pub spent: Pence,
}

impl Amounts {
    /// Variance to date: budget to date − spend to date; an overspend is negative.
    /// `None` only if the sum overflows. Meaningful only for the kinds that have a variance:
    /// ask [`StatementKind::variance`].
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

/// A budget statement for a unit as at the end of a quarter; a budget book is for a year, and
/// holds the year's first quarter as its period (its file writes the year).
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
    /// How this statement's outturn is projected, where it says (else the council's setting).
    pub projection: Option<OutturnProjection>,
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
    /// Checks the tree ([`Statement::check_tree`]) and every line's and stated total's amounts
    /// against the kind's rule. Returns what is wrong in words.
    pub fn check(&self) -> Result<(), String> {
        self.check_tree()?;
        for l in &self.lines {
            self.kind
                .check_amounts(&l.amounts, self.scale)
                .map_err(|m| format!("line {:?}: {m}", l.label))?;
        }
        for g in &self.groups {
            if let Some(a) = &g.stated {
                self.kind
                    .check_amounts(a, self.scale)
                    .map_err(|m| format!("total {:?}: {m}", g.label))?;
            }
        }
        Ok(())
    }

    /// Checks the tree: group keys unique, parents known and declared first, every line in a
    /// known group. Returns what is wrong in words.
    pub fn check_tree(&self) -> Result<(), String> {
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
        // Several roots are allowed (a statement may be several tables).
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BudgetChange {
    pub kind: ChangeKind,
    pub year: FinancialYear,
    pub description: String,
    pub amount: Option<Pence>,
    pub scale: Scale,
}

/// A total a plan states for its budget changes: of one kind, one year, both, or all of them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChangeTotal {
    pub label: String,
    /// The kind of change it adds up; every kind when none.
    pub kind: Option<ChangeKind>,
    /// The year it adds up; every year when none.
    pub year: Option<FinancialYear>,
    pub stated: Pence,
    pub scale: Scale,
}

impl ChangeTotal {
    /// True for a change this total counts.
    pub fn covers(&self, c: &BudgetChange) -> bool {
        self.kind.is_none_or(|k| k == c.kind) && self.year.is_none_or(|y| y == c.year)
    }

    /// The sum of the amounts of the changes it counts (a change without an amount adds
    /// nothing); `None` only if the sum overflows.
    pub fn computed(&self, changes: &[BudgetChange]) -> Option<Pence> {
        changes
            .iter()
            .filter(|c| self.covers(c))
            .filter_map(|c| c.amount)
            .try_fold(Pence::ZERO, Pence::checked_add)
    }

    /// Checks the stated total against the changes it counts; says both figures when they
    /// differ.
    pub fn reconcile(&self, changes: &[BudgetChange]) -> Result<(), String> {
        let which = match (self.kind, self.year) {
            (Some(k), Some(y)) => format!("the {k} changes of {y}"),
            (Some(k), None) => format!("the {k} changes"),
            (None, Some(y)) => format!("the changes of {y}"),
            (None, None) => "all the changes".to_string(),
        };
        let n = changes.iter().filter(|c| self.covers(c)).count();
        let Some(sum) = self.computed(changes) else {
            return Err(format!("{which} are too large to add up"));
        };
        if sum == self.stated {
            return Ok(());
        }
        let unit = self.scale.label();
        Err(format!(
            "stated {} {unit}, but {which} ({n} of them) add to {} {unit}",
            self.stated.display(self.scale, false),
            sum.display(self.scale, false),
        ))
    }
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
            projection: None,
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

    fn amounts(a: i64, b: i64, c: i64) -> Amounts {
        Amounts {
            annual: Pence(a * 100_000),
            to_date: Pence(b * 100_000),
            spent: Pence(c * 100_000),
        }
    }

    #[test]
    fn a_budget_book_line_nets_income_from_expenditure() {
        let mut st = statement(vec![]);
        st.kind = StatementKind::BudgetBook;
        st.lines.push(Line {
            group: r("exp"),
            label: "Children's centres".into(),
            amounts: amounts(5_200, 1_150, 4_050),
            note: None,
            source_note: None,
        });
        st.check().unwrap();
        // Income written negative, as a monitoring statement would, is refused with the sum.
        st.lines[0].amounts = amounts(5_200, -1_150, 4_050);
        assert_eq!(
            st.check().unwrap_err(),
            "line \"Children's centres\": net 4,050 is not expenditure 5,200 − income -1,150 = 6,350 (£'000); income is written as a positive amount"
        );
        // A stated total is held to the same rule.
        st.lines[0].amounts = amounts(5_200, 1_150, 4_050);
        st.groups[1].stated = Some(amounts(5_200, 1_150, 4_000));
        assert!(
            st.check()
                .unwrap_err()
                .starts_with("total \"Total Expenditure\": net 4,000")
        );
        // No variance and no projection for a budget book.
        assert_eq!(st.kind.variance(&st.lines[0].amounts), None);
        assert!(!st.kind.projects());
        assert_eq!(st.kind.columns(), ["Expenditure", "Income", "Net"]);
        assert_eq!(st.kind.derived_column(), None);
    }

    #[test]
    fn monitoring_kinds_have_a_variance_and_only_revenue_projects() {
        let a = amounts(100, 50, 80);
        for kind in [StatementKind::Revenue, StatementKind::Capital] {
            assert_eq!(kind.variance(&a), Some(Pence(-3_000_000)));
            assert_eq!(kind.derived_column(), Some("Variance to Date (overspend)"));
            // Their three amounts have no arithmetic rule between them.
            assert!(kind.check_amounts(&a, Scale::Thousands).is_ok());
        }
        assert!(StatementKind::Revenue.projects());
        assert!(!StatementKind::Capital.projects());
        assert_eq!(
            StatementKind::Capital.columns(),
            ["Capital Allocation", "Allocation to Date", "Actual to Date"]
        );
    }

    #[test]
    fn a_change_total_counts_its_kind_and_year() {
        let y: FinancialYear = "2011/12".parse().unwrap();
        let change = |kind, amount: i64| BudgetChange {
            kind,
            year: y,
            description: "d".into(),
            amount: Some(Pence(amount * 100_000)),
            scale: Scale::Thousands,
        };
        let changes = vec![
            change(ChangeKind::Saving, 120),
            change(ChangeKind::Saving, 80),
            change(ChangeKind::Investment, 50),
        ];
        let mut total = ChangeTotal {
            label: "Total savings".into(),
            kind: Some(ChangeKind::Saving),
            year: Some(y),
            stated: Pence(20_000_000),
            scale: Scale::Thousands,
        };
        assert_eq!(total.reconcile(&changes), Ok(()));
        total.stated = Pence(21_000_000);
        assert_eq!(
            total.reconcile(&changes).unwrap_err(),
            "stated 210 £'000, but the saving changes of 2011/12 (2 of them) add to 200 £'000"
        );
        total.kind = None;
        total.stated = Pence(25_000_000);
        assert_eq!(total.reconcile(&changes), Ok(()));
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
