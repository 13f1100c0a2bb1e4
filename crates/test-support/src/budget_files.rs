//! Two small files over the example council for the budget tests: a budget book (expenditure,
//! income, net in £'000 with a group and stated totals) and a plan with budget changes and the
//! totals it states for them.

/// A budget book of the Children & Families department for 2012/13.
pub const BUDGET_BOOK: &str = r#"[council]
ref = "halton"

[[statements]]
ref = "CFS-budget"
period = "2012/13"
unit = "CFS"
kind = "budget-book"
title = "Children and Families Services budget 2012/13"
scale = "thousands"

[[statements.groups]]
key = "total"
label = "Total Children and Families Services"
stated = ["9,300", "1,900", "7,400"]

[[statements.groups]]
key = "early"
parent = "total"
heading = "Early help"
label = "Total early help"
stated = ["6,800", "1,400", "5,400"]

[[statements.lines]]
group = "early"
label = "Children's centres"
amounts = ["5,200", "1,150", "4,050"]

[[statements.lines]]
group = "early"
label = "Youth service"
amounts = ["1,600", "250", "1,350"]

[[statements.lines]]
group = "total"
label = "Safeguarding"
amounts = ["2,500", "500", "2,000"]
"#;

/// A plan of the same department whose budget changes carry stated totals.
pub const PLAN_WITH_BUDGET: &str = r#"[council]
ref = "halton"

[plan]
ref = "CFS-BUDGET-2012-13"
title = "Children and Families Services plan 2012/13"
unit = "CFS"
years = "2012/13-2012/13"
status = "draft"

[[budget_changes]]
kind = "saving"
year = "2012/13"
description = "Fewer agency staff"
amount = "120"

[[budget_changes]]
kind = "saving"
year = "2012/13"
description = "A shared back office"
amount = "80"

[[budget_changes]]
kind = "investment"
year = "2012/13"
description = "Early help"
amount = "50"

[[budget_totals]]
label = "Total savings 2012/13"
kind = "saving"
year = "2012/13"
stated = "200"

[[budget_totals]]
label = "All changes 2012/13"
year = "2012/13"
stated = "250"
"#;

/// Both files as sources.
pub fn budget_sources() -> Vec<beacon_interchange::Source> {
    vec![
        crate::source("budgets/cfs-2012-13.toml", BUDGET_BOOK),
        crate::source("plans/cfs-budget-2012-13.toml", PLAN_WITH_BUDGET),
    ]
}
