//! Checks on a council's data as a whole, after the files are merged with what is stored:
//! every ref names something that exists, refs are unique where they must be, years fit.
//! Each finding names the item and field; the loader turns that into a file and line.

use crate::parse::ItemKey;
use beacon_app::CouncilData;
use beacon_domain::Ref;
use beacon_domain::plan::PlanDocument;
use beacon_domain::status::overrides::ItemKind;
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

/// Checks a merged council dataset.
pub fn check(data: &CouncilData) -> Vec<Finding> {
    let mut c = Checker {
        findings: Vec::new(),
    };
    let units = refs(&data.units, |u| &u.reference);
    let frames = refs(&data.frames, |f| &f.reference);
    let mut officers: HashSet<&str> = refs(&data.officers, |o| &o.reference);
    officers.extend(
        data.officers
            .iter()
            .flat_map(|o| o.aliases.iter().map(Ref::as_str)),
    );
    let plans: HashMap<&str, &PlanDocument> = data
        .plans
        .iter()
        .map(|p| (p.plan.reference.as_str(), p))
        .collect();

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
    for u in &data.units {
        let key = ItemKey::Unit(u.reference.clone());
        if let Some(p) = &u.parent {
            c.known(&units, p, &key, "parent", "unit");
            if p == &u.reference {
                c.add(
                    key.clone(),
                    "parent",
                    "a unit cannot be its own parent".into(),
                );
            }
        }
        if let Some(h) = &u.head {
            c.known(&officers, h, &key, "head", "officer");
        }
    }
    // The organisation tree must be a tree: following parents never comes back round.
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
    for o in &data.officers {
        if let Some(u) = &o.unit {
            c.known(
                &units,
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
                &frames,
                p,
                &ItemKey::Frame(f.reference.clone()),
                "parent",
                "frame",
            );
        }
    }
    for p in &data.plans {
        check_plan(&mut c, p, &units, &frames, &plans);
    }
    for q in &data.quarters {
        let h = &q.header;
        let qk = ItemKey::Quarter(h.unit.clone(), h.period);
        c.known(&units, &h.unit, &qk, "unit", "unit");
        let Some(plan) = plans.get(h.plan.as_str()) else {
            c.add(
                qk,
                "plan",
                format!(
                    "unknown plan {:?}: no plan has that ref in this council",
                    h.plan.as_str()
                ),
            );
            continue;
        };
        if !plan.plan.years.contains(h.period.year) {
            c.add(
                qk.clone(),
                "period",
                format!(
                    "{} is outside the plan's years {}",
                    h.period, plan.plan.years
                ),
            );
        }
        let item =
            |list: &'static str, n: usize| ItemKey::QuarterItem(h.unit.clone(), h.period, list, n);
        let initials = |c: &mut Checker, list: &'static str, n: usize, inits: &[Ref]| {
            for i in inits {
                c.known(&officers, i, &item(list, n), "initials", "officer");
            }
        };
        for (n, x) in q.key_developments.iter().enumerate() {
            initials(&mut c, "key_developments", n, &x.initials);
        }
        for (n, x) in q.emerging_issues.iter().enumerate() {
            initials(&mut c, "emerging_issues", n, &x.initials);
        }
        let risks: HashSet<&str> = plan
            .risks
            .iter()
            .map(|r| r.reference.as_str())
            .chain(plan.objectives.iter().map(|o| o.reference.as_str()))
            .collect();
        for (n, x) in q.risk_updates.iter().enumerate() {
            initials(&mut c, "risk_updates", n, &x.initials);
            if !risks.contains(x.risk.as_str()) {
                c.add(
                    item("risk_updates", n),
                    "risk",
                    format!(
                        "unknown risk {:?}; expected a risk or objective ref of plan {}",
                        x.risk.as_str(),
                        h.plan
                    ),
                );
            }
        }
        let actions = refs(&plan.equality_actions, |a| &a.reference);
        for (n, x) in q.equality_updates.iter().enumerate() {
            initials(&mut c, "equality_updates", n, &x.initials);
            if !actions.contains(x.action.as_str()) {
                c.add(
                    item("equality_updates", n),
                    "action",
                    format!(
                        "unknown equality action {:?} in plan {}",
                        x.action.as_str(),
                        h.plan
                    ),
                );
            }
        }
        for (n, x) in q.values.iter().enumerate() {
            if plan.indicator(x.indicator.as_str()).is_none() {
                c.add(item("values", n), "indicator", format!("unknown indicator {:?}; expected a ref or alias of an indicator in plan {}", x.indicator.as_str(), h.plan));
            }
            if let Some(o) = &x.officer {
                c.known(&officers, o, &item("values", n), "officer", "officer");
            }
        }
        let milestones: HashSet<&str> = plan
            .milestones()
            .map(|(_, m)| m.reference.as_str())
            .collect();
        for (n, x) in q.progress.iter().enumerate() {
            initials(&mut c, "progress", n, &x.initials);
            if !milestones.contains(x.milestone.as_str()) {
                c.add(
                    item("progress", n),
                    "milestone",
                    format!(
                        "unknown milestone {:?}; expected a milestone ref of plan {}",
                        x.milestone.as_str(),
                        h.plan
                    ),
                );
            }
        }
        for (n, x) in q.commentary.iter().enumerate() {
            initials(&mut c, "commentary", n, &x.initials);
            if let Some(pf) = &x.priority {
                c.known(&frames, pf, &item("commentary", n), "priority", "frame");
            }
        }
    }
    for o in &data.overrides {
        let key = ItemKey::Override(o.plan.clone(), o.kind, o.item.clone(), o.quarter);
        if let Err(m) = o.check() {
            c.add(key.clone(), "reason", m);
        }
        let Some(plan) = plans.get(o.plan.as_str()) else {
            c.add(
                key,
                "plan",
                format!(
                    "unknown plan {:?}: no plan has that ref in this council",
                    o.plan.as_str()
                ),
            );
            continue;
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
        if !plan.plan.years.contains(o.quarter.year) {
            c.add(
                key,
                "quarter",
                format!(
                    "{} is outside the plan's years {}",
                    o.quarter, plan.plan.years
                ),
            );
        }
    }
    for s in &data.statements {
        c.known(
            &units,
            &s.unit,
            &ItemKey::Statement(s.reference.clone(), s.period),
            "unit",
            "unit",
        );
    }
    c.findings
}

fn check_plan(
    c: &mut Checker,
    p: &PlanDocument,
    units: &HashSet<&str>,
    frames: &HashSet<&str>,
    plans: &HashMap<&str, &PlanDocument>,
) {
    let pr = &p.plan.reference;
    let pk = ItemKey::Plan(pr.clone());
    c.known(units, &p.plan.unit, &pk, "unit", "unit");
    if let Some(r) = &p.plan.refreshes
        && !plans.contains_key(r.as_str())
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
        if i.description.trim().is_empty() {
            c.add(
                key.clone(),
                "description",
                "the description is blank; expected the indicator's description".into(),
            );
        }
    }
    let objective_refs: HashSet<&str> = p.objectives.iter().map(|o| o.reference.as_str()).collect();
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
            if let Some(Err(m)) = r.as_ref().map(|r| r.check()) {
                c.add(key.clone(), field, m);
            }
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
            if let Some(Err(m)) = a.as_ref().map(|a| a.check()) {
                c.add(key.clone(), field, m);
            }
        }
    }
}
