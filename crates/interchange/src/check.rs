//! Checks on a council's data as a whole, after the files are merged with what is stored:
//! every ref names something that exists, refs are unique where they must be, years fit.
//! Each finding names the item and field; the loader turns that into a file and line.

use crate::parse::ItemKey;
use beacon_app::CouncilData;
use beacon_domain::Ref;
use beacon_domain::plan::PlanDocument;
use beacon_domain::quarter::QuarterRecord;
use beacon_domain::risk::RiskAssessment;
use beacon_domain::status::overrides::{ItemKind, Override};
use beacon_domain::status::risk::Matrix;
use std::collections::{HashMap, HashSet};

/// One finding: the item, the field, what is wrong and what was expected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub item: ItemKey,
    pub field: &'static str,
    pub message: String,
}

struct Checker {
    findings: Vec<Finding>,
}

impl Checker {
    fn add(&mut self, item: ItemKey, field: &'static str, message: String) {
        self.findings.push(Finding {
            item,
            field,
            message,
        });
    }

    /// `r` must be in `known`; `what` names the kind of thing for the message.
    fn known(
        &mut self,
        known: &HashSet<&str>,
        r: &Ref,
        item: &ItemKey,
        field: &'static str,
        what: &str,
    ) {
        if !known.contains(r.as_str()) {
            self.add(
                item.clone(),
                field,
                format!(
                    "unknown {what} {:?}: no {what} has that ref in this council",
                    r.as_str()
                ),
            );
        }
    }

    fn unique<'a>(
        &mut self,
        refs: impl Iterator<Item = (&'a Ref, ItemKey)>,
        field: &'static str,
        what: &str,
    ) {
        let mut seen = HashSet::new();
        for (r, key) in refs {
            if !seen.insert(r.as_str()) {
                self.add(
                    key,
                    field,
                    format!("duplicate {what} ref {:?}; each must be unique", r.as_str()),
                );
            }
        }
    }
}

fn refs<'a, T>(items: &'a [T], f: impl Fn(&'a T) -> &'a Ref) -> HashSet<&'a str> {
    items.iter().map(|x| f(x).as_str()).collect()
}

/// The refs the council's items may name.
struct Known<'a> {
    units: HashSet<&'a str>,
    frames: HashSet<&'a str>,
    /// The council's indicator library.
    library: HashSet<&'a str>,
    /// Officers' refs and their aliases.
    officers: HashSet<&'a str>,
    plans: HashMap<&'a str, &'a PlanDocument>,
    /// The council's risk matrix: assessments score within it.
    matrix: Matrix,
}

impl<'a> Known<'a> {
    fn of(data: &'a CouncilData) -> Self {
        let mut officers: HashSet<&str> = refs(&data.officers, |o| &o.reference);
        officers.extend(
            data.officers
                .iter()
                .flat_map(|o| o.aliases.iter().map(Ref::as_str)),
        );
        Known {
            units: refs(&data.units, |u| &u.reference),
            frames: refs(&data.frames, |f| &f.reference),
            library: refs(&data.library, |d| &d.reference),
            officers,
            plans: data
                .plans
                .iter()
                .map(|p| (p.plan.reference.as_str(), p))
                .collect(),
            matrix: data.settings().matrix,
        }
    }

    /// The plan `r` names, or a finding at `key`'s `field` that no plan has that ref.
    fn plan(&self, c: &mut Checker, r: &Ref, key: &ItemKey) -> Option<&'a PlanDocument> {
        let found = self.plans.get(r.as_str()).copied();
        if found.is_none() {
            c.add(
                key.clone(),
                "plan",
                format!(
                    "unknown plan {:?}: no plan has that ref in this council",
                    r.as_str()
                ),
            );
        }
        found
    }
}

/// Checks a merged council dataset.
pub fn check(data: &CouncilData) -> Vec<Finding> {
    let mut c = Checker {
        findings: Vec::new(),
    };
    let known = Known::of(data);
    check_colour(&mut c, data);
    check_organisation(&mut c, data, &known);
    check_library(&mut c, data);
    for p in &data.plans {
        check_plan(&mut c, p, &known);
    }
    for q in &data.quarters {
        check_quarter(&mut c, q, &known);
    }
    for o in &data.overrides {
        check_override(&mut c, o, &known);
    }
    for s in &data.statements {
        c.known(
            &known.units,
            &s.unit,
            &ItemKey::Statement(s.reference.clone(), s.period),
            "unit",
            "unit",
        );
    }
    c.findings
}

/// The library's definitions: each says what it measures; a census definition names its
/// return and only a census definition does.
fn check_library(c: &mut Checker, data: &CouncilData) {
    use beacon_domain::indicator::Frequency;
    for d in &data.library {
        let key = ItemKey::Library(d.reference.clone());
        if d.description.trim().is_empty() {
            c.add(
                key.clone(),
                "description",
                "the description is blank; expected the indicator's description".into(),
            );
        }
        match (d.frequency == Some(Frequency::Census), &d.census) {
            (true, None) => c.add(key, "census", "a census indicator needs its return and the months it reports in: census = { return = \"School Census\", months = [\"January\"] }".into()),
            (false, Some(_)) => c.add(key, "census", "census is given but the frequency is not \"census\"; expected frequency = \"census\" with it".into()),
            _ => {}
        }
    }
}

/// The council's colour, where it sets one, is `#rrggbb`.
fn check_colour(c: &mut Checker, data: &CouncilData) {
    if let Some(colour) = &data.council.colour {
        let ok = colour.len() == 7
            && colour.starts_with('#')
            && colour.chars().skip(1).all(|ch| ch.is_ascii_hexdigit());
        if !ok {
            c.add(
                ItemKey::Council,
                "colour",
                format!("{colour:?} is not a colour; expected #rrggbb such as #005ea5"),
            );
        }
    }
}

/// Units, officers and frames name units, officers and frames that exist, and the units form
/// a tree.
fn check_organisation(c: &mut Checker, data: &CouncilData, k: &Known) {
    for u in &data.units {
        let key = ItemKey::Unit(u.reference.clone());
        if let Some(p) = &u.parent {
            c.known(&k.units, p, &key, "parent", "unit");
            if p == &u.reference {
                c.add(
                    key.clone(),
                    "parent",
                    "a unit cannot be its own parent".into(),
                );
            }
        }
        if let Some(h) = &u.head {
            c.known(&k.officers, h, &key, "head", "officer");
        }
    }
    check_tree(c, data);
    for o in &data.officers {
        if let Some(u) = &o.unit {
            c.known(
                &k.units,
                u,
                &ItemKey::Officer(o.reference.clone()),
                "unit",
                "unit",
            );
        }
    }
    for f in &data.frames {
        if let Some(p) = &f.parent {
            c.known(
                &k.frames,
                p,
                &ItemKey::Frame(f.reference.clone()),
                "parent",
                "frame",
            );
        }
    }
}

/// The organisation tree must be a tree: following parents never comes back round.
fn check_tree(c: &mut Checker, data: &CouncilData) {
    for u in &data.units {
        let mut seen = HashSet::new();
        let mut at = u;
        while let Some(p) = at
            .parent
            .as_ref()
            .and_then(|p| data.units.iter().find(|x| &x.reference == p))
        {
            if !seen.insert(p.reference.as_str()) || p.reference == u.reference {
                c.add(
                    ItemKey::Unit(u.reference.clone()),
                    "parent",
                    "the parents of this unit go round in a circle; the organisation must be a tree".into(),
                );
                break;
            }
            at = p;
        }
    }
}

/// A quarterly record's unit, plan and period, and everything its lists name.
fn check_quarter(c: &mut Checker, q: &QuarterRecord, k: &Known) {
    let h = &q.header;
    let qk = ItemKey::Quarter(h.unit.clone(), h.period);
    c.known(&k.units, &h.unit, &qk, "unit", "unit");
    let Some(plan) = k.plan(c, &h.plan, &qk) else {
        return;
    };
    if !plan.reaches(h.period.year) {
        c.add(
            qk.clone(),
            "period",
            format!(
                "{} is outside the plan's years {} and no milestone of the plan is due in it",
                h.period, plan.plan.years
            ),
        );
    }
    check_updates(c, q, plan, k);
    check_entries(c, q, plan, k);
}

/// The item of list `list` at `n` in quarter `q`.
fn quarter_item(q: &QuarterRecord, list: &'static str, n: usize) -> ItemKey {
    ItemKey::QuarterItem(q.header.unit.clone(), q.header.period, list, n)
}

/// Each initial in `inits` names an officer.
fn check_initials(
    c: &mut Checker,
    k: &Known,
    q: &QuarterRecord,
    list: &'static str,
    n: usize,
    inits: &[Ref],
) {
    for i in inits {
        c.known(
            &k.officers,
            i,
            &quarter_item(q, list, n),
            "initials",
            "officer",
        );
    }
}

/// Key developments, emerging issues, risk and equality updates.
fn check_updates(c: &mut Checker, q: &QuarterRecord, plan: &PlanDocument, k: &Known) {
    for (n, x) in q.key_developments.iter().enumerate() {
        check_initials(c, k, q, "key_developments", n, &x.initials);
    }
    for (n, x) in q.emerging_issues.iter().enumerate() {
        check_initials(c, k, q, "emerging_issues", n, &x.initials);
    }
    let risks: HashSet<&str> = plan
        .risks
        .iter()
        .map(|r| r.reference.as_str())
        .chain(plan.objectives.iter().map(|o| o.reference.as_str()))
        .collect();
    for (n, x) in q.risk_updates.iter().enumerate() {
        check_initials(c, k, q, "risk_updates", n, &x.initials);
        let key = quarter_item(q, "risk_updates", n);
        check_assessment(c, &key, "likelihood", x.assessment().as_ref(), &k.matrix);
        if !risks.contains(x.risk.as_str()) {
            c.add(
                quarter_item(q, "risk_updates", n),
                "risk",
                format!(
                    "unknown risk {:?}; expected a risk or objective ref of plan {}",
                    x.risk.as_str(),
                    q.header.plan
                ),
            );
        }
    }
    let actions = refs(&plan.equality_actions, |a| &a.reference);
    for (n, x) in q.equality_updates.iter().enumerate() {
        check_initials(c, k, q, "equality_updates", n, &x.initials);
        if !actions.contains(x.action.as_str()) {
            c.add(
                quarter_item(q, "equality_updates", n),
                "action",
                format!(
                    "unknown equality action {:?} in plan {}",
                    x.action.as_str(),
                    q.header.plan
                ),
            );
        }
    }
}

/// Values, milestone progress and commentary name the plan's items.
fn check_entries(c: &mut Checker, q: &QuarterRecord, plan: &PlanDocument, k: &Known) {
    let pr = &q.header.plan;
    for (n, x) in q.values.iter().enumerate() {
        if plan.indicator(x.indicator.as_str()).is_none() {
            c.add(
                quarter_item(q, "values", n),
                "indicator",
                format!(
                    "unknown indicator {:?}; expected a ref or alias of an indicator in plan {pr}",
                    x.indicator.as_str()
                ),
            );
        }
        if let Some(o) = &x.officer {
            c.known(
                &k.officers,
                o,
                &quarter_item(q, "values", n),
                "officer",
                "officer",
            );
        }
    }
    let milestones: HashSet<&str> = plan
        .milestones()
        .map(|(_, m)| m.reference.as_str())
        .collect();
    for (n, x) in q.progress.iter().enumerate() {
        check_initials(c, k, q, "progress", n, &x.initials);
        if !milestones.contains(x.milestone.as_str()) {
            c.add(
                quarter_item(q, "progress", n),
                "milestone",
                format!(
                    "unknown milestone {:?}; expected a milestone ref of plan {pr}",
                    x.milestone.as_str(),
                ),
            );
        }
    }
    for (n, x) in q.commentary.iter().enumerate() {
        check_initials(c, k, q, "commentary", n, &x.initials);
        if let Some(pf) = &x.priority {
            c.known(
                &k.frames,
                pf,
                &quarter_item(q, "commentary", n),
                "priority",
                "frame",
            );
        }
    }
}

/// A status set by hand: a reason, a plan that has the item, a quarter in the plan's years.
fn check_override(c: &mut Checker, o: &Override, k: &Known) {
    let key = ItemKey::Override(o.plan.clone(), o.kind, o.item.clone(), o.quarter);
    if let Err(m) = o.check() {
        c.add(key.clone(), "reason", m);
    }
    let Some(plan) = k.plan(c, &o.plan, &key) else {
        return;
    };
    let known = match o.kind {
        ItemKind::Indicator => plan.indicator(o.item.as_str()).is_some(),
        ItemKind::Milestone => plan.milestones().any(|(_, m)| m.reference == o.item),
    };
    if !known {
        c.add(
            key.clone(),
            "item",
            format!(
                "unknown {} {:?} in plan {}",
                o.kind,
                o.item.as_str(),
                o.plan
            ),
        );
    }
    if !plan.reaches(o.quarter.year) {
        c.add(
            key,
            "quarter",
            format!(
                "{} is outside the plan's years {} and no milestone of the plan is due in it",
                o.quarter, plan.plan.years
            ),
        );
    }
}

/// A plan: its unit and the plan it refreshes exist, its refs are unique, its items name what
/// exists.
fn check_plan(c: &mut Checker, p: &PlanDocument, k: &Known) {
    let pr = &p.plan.reference;
    let pk = ItemKey::Plan(pr.clone());
    c.known(&k.units, &p.plan.unit, &pk, "unit", "unit");
    if let Some(r) = &p.plan.refreshes
        && !k.plans.contains_key(r.as_str())
    {
        c.add(
            pk.clone(),
            "refreshes",
            format!(
                "unknown plan {:?}: no plan has that ref in this council",
                r.as_str()
            ),
        );
    }
    check_unique(c, p);
    check_indicators(c, p, k);
    check_objectives(c, p, k);
    check_risks(c, p, &k.matrix);
}

/// Objective, milestone, indicator, risk and equality action refs are unique in the plan.
fn check_unique(c: &mut Checker, p: &PlanDocument) {
    let pr = &p.plan.reference;
    c.unique(
        p.objectives.iter().map(|o| {
            (
                &o.reference,
                ItemKey::Objective(pr.clone(), o.reference.clone()),
            )
        }),
        "ref",
        "objective",
    );
    c.unique(
        p.milestones().map(|(_, m)| {
            (
                &m.reference,
                ItemKey::Milestone(pr.clone(), m.reference.clone()),
            )
        }),
        "ref",
        "milestone",
    );
    c.unique(
        p.indicators.iter().map(|i| {
            (
                &i.reference,
                ItemKey::Indicator(pr.clone(), i.reference.clone()),
            )
        }),
        "ref",
        "indicator",
    );
    c.unique(
        p.risks
            .iter()
            .map(|r| (&r.reference, ItemKey::Risk(pr.clone(), r.reference.clone()))),
        "ref",
        "risk",
    );
    c.unique(
        p.equality_actions.iter().map(|a| {
            (
                &a.reference,
                ItemKey::EqualityAction(pr.clone(), a.reference.clone()),
            )
        }),
        "ref",
        "equality action",
    );
}

/// Indicators: aliases name only one indicator, units and frames exist, a description.
fn check_indicators(c: &mut Checker, p: &PlanDocument, k: &Known) {
    let pr = &p.plan.reference;
    let (units, frames) = (&k.units, &k.frames);
    let indicator_refs: HashSet<&str> = p.indicators.iter().map(|i| i.reference.as_str()).collect();
    for i in &p.indicators {
        let key = ItemKey::Indicator(pr.clone(), i.reference.clone());
        for a in &i.aliases {
            if indicator_refs.contains(a.as_str()) && a != &i.reference {
                c.add(key.clone(), "aliases", format!("alias {:?} is the ref of another indicator in this plan; an alias must name only one indicator", a.as_str()));
            }
        }
        if let Some(u) = &i.unit {
            c.known(units, u, &key, "unit", "unit");
        }
        for l in &i.links {
            c.known(frames, l, &key, "links", "frame");
        }
        if let Some(pf) = &i.priority {
            c.known(frames, pf, &key, "priority", "frame");
        }
        check_collection(c, &key, i);
        if let Some(l) = &i.library {
            c.known(&k.library, l, &key, "library", "library indicator");
        } else if i.description.trim().is_empty() {
            c.add(
                key.clone(),
                "description",
                "the description is blank; expected the indicator's description".into(),
            );
        }
    }
}

/// A census indicator names its return and months, and only a census indicator does; a
/// comparator of another council or a group names it.
fn check_collection(c: &mut Checker, key: &ItemKey, i: &beacon_domain::indicator::Indicator) {
    use beacon_domain::indicator::Frequency;
    match (i.frequency == Some(Frequency::Census), &i.census) {
        (true, None) => c.add(key.clone(), "census", "a census indicator needs its return and the months it reports in: census = { return = \"School Census\", months = [\"January\", \"May\", \"October\"] }".into()),
        (true, Some(cs)) if cs.months.is_empty() || cs.name.trim().is_empty() => c.add(key.clone(), "census", "expected the return's name and at least one month, such as months = [\"January\"]".into()),
        (false, Some(_)) => c.add(key.clone(), "census", "census is given but the frequency is not \"census\"; expected frequency = \"census\" with it".into()),
        _ => {}
    }
    for cp in &i.comparators {
        if cp.kind.needs_name() && cp.name.as_deref().is_none_or(|n| n.trim().is_empty()) {
            c.add(
                key.clone(),
                "comparators",
                format!(
                    "a {} comparator ({}) needs the council or group named: name = \"…\"",
                    cp.kind, cp.period
                ),
            );
        }
    }
}

/// Objectives and their milestones: units, frames and indicators exist, risks are sound, an
/// action starts before it ends, milestones are listed in the plan's years and say something.
fn check_objectives(c: &mut Checker, p: &PlanDocument, k: &Known) {
    let pr = &p.plan.reference;
    let (units, frames) = (&k.units, &k.frames);
    for o in &p.objectives {
        let key = ItemKey::Objective(pr.clone(), o.reference.clone());
        if let Some(u) = &o.unit {
            c.known(units, u, &key, "unit", "unit");
        }
        for l in &o.links {
            c.known(frames, l, &key, "links", "frame");
        }
        for i in &o.indicators {
            if p.indicator(i.as_str()).is_none() {
                c.add(key.clone(), "indicators", format!("unknown indicator {:?}; expected a ref or alias of an indicator in this plan", i.as_str()));
            }
        }
        for (field, r) in [
            ("initial_risk", &o.initial_risk),
            ("residual_risk", &o.residual_risk),
        ] {
            check_assessment(c, &key, field, r.as_ref(), &k.matrix);
        }
        if let (Some(a), Some(b)) = (o.starts, o.ends)
            && a.first_day() > b.last_day()
        {
            c.add(
                key.clone(),
                "ends",
                format!("the action ends ({b}) before it starts ({a}); expected an end on or after its start"),
            );
        }
        for m in &o.milestones {
            let mk = ItemKey::Milestone(pr.clone(), m.reference.clone());
            if !p.plan.years.contains(m.year) {
                c.add(
                    mk.clone(),
                    "year",
                    format!("{} is outside the plan's years {}", m.year, p.plan.years),
                );
            }
            if let Some(pf) = &m.priority {
                c.known(frames, pf, &mk, "priority", "frame");
            }
            if m.text.trim().is_empty() {
                c.add(mk, "text", "the milestone text is blank".into());
            }
        }
    }
}

/// Risks name an objective of the plan and their assessments are sound.
fn check_risks(c: &mut Checker, p: &PlanDocument, matrix: &Matrix) {
    let pr = &p.plan.reference;
    let objective_refs: HashSet<&str> = p.objectives.iter().map(|o| o.reference.as_str()).collect();
    for r in &p.risks {
        let key = ItemKey::Risk(pr.clone(), r.reference.clone());
        if let Some(o) = &r.objective
            && !objective_refs.contains(o.as_str())
        {
            c.add(
                key.clone(),
                "objective",
                format!(
                    "unknown objective {:?}; expected an objective ref of this plan",
                    o.as_str()
                ),
            );
        }
        for (field, a) in [("initial", &r.initial), ("residual", &r.residual)] {
            check_assessment(c, &key, field, a.as_ref(), matrix);
        }
    }
}

/// A risk assessment's parts agree and fit the council's matrix (the domain's one rule).
fn check_assessment(
    c: &mut Checker,
    key: &ItemKey,
    field: &'static str,
    a: Option<&RiskAssessment>,
    matrix: &Matrix,
) {
    if let Some(Err(m)) = a.map(|a| matrix.check(a)) {
        c.add(key.clone(), field, m);
    }
}

/// An item as a page names it: `milestone CFS1/2`, `indicator NI075`.
fn item_name(key: &ItemKey) -> String {
    match key {
        ItemKey::Council => "the council".into(),
        ItemKey::Unit(r) => format!("unit {r}"),
        ItemKey::Officer(r) => format!("officer {r}"),
        ItemKey::Frame(r) => format!("frame {r}"),
        ItemKey::Library(r) => format!("library indicator {r}"),
        ItemKey::Plan(r) => format!("plan {r}"),
        ItemKey::Objective(_, r) => format!("objective {r}"),
        ItemKey::Milestone(_, r) => format!("milestone {r}"),
        ItemKey::Indicator(_, r) => format!("indicator {r}"),
        ItemKey::Risk(_, r) => format!("risk {r}"),
        ItemKey::EqualityAction(_, r) => format!("equality action {r}"),
        ItemKey::BudgetChange(_, n) => format!("budget change {}", n + 1),
        ItemKey::Quarter(u, q) => format!("{u}'s quarter {q}"),
        ItemKey::QuarterItem(u, q, list, n) => format!("{u}'s quarter {q}, {list} {}", n + 1),
        ItemKey::Statement(r, q) => format!("statement {r} {q}"),
        ItemKey::Override(_, kind, r, q) => format!("the status of {kind} {r} in {q}"),
    }
}

/// The checks plan files pass, for a change made on screen: the problems with the council as
/// it would be (`after`) that it does not have now (`before`), each naming its item and field.
/// `app::plans::edit` takes this as its checks, so a page refuses what a file would.
pub fn new_findings(
    before: &CouncilData,
    after: &CouncilData,
) -> Vec<beacon_app::plans::edit::Finding> {
    let old = check(before);
    check(after)
        .into_iter()
        .filter(|f| !old.contains(f))
        .map(|f| beacon_app::plans::edit::Finding {
            item: item_name(&f.item),
            field: f.field.to_string(),
            message: f.message,
        })
        .collect()
}
