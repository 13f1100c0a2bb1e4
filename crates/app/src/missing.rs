//! What is missing from a quarter: for each unit, the items expected and entered, commentary
//! missing where it is required, whether the quarter is submitted or signed off, and who is
//! responsible for each missing item (the item's officer, else the unit's contributors). The
//! one use case behind the performance officer's page, a contributor's "due" panel,
//! `beacon missing` and the reminders.

use crate::access::Role;
use crate::accounts::UserRecord;
use crate::dataset::CouncilData;
use crate::error::AppError;
use crate::lifecycle::{QuarterState, QuarterStatus};
use crate::ports::{Governance, Store};
use crate::recording::{is_officer, required};
use crate::status::{StatusQuery, status_report};
use beacon_domain::Ref;
use beacon_domain::organisation::CouncilRef;
use beacon_domain::period::Quarter;
use beacon_domain::plan::PlanDocument;
use beacon_domain::quarter::{ProgressStatus, QuarterRecord};
use serde::Serialize;

/// What is missing of an item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "gap", content = "why")]
pub enum Gap {
    /// No value for the indicator this quarter.
    Value,
    /// No progress for the milestone this quarter.
    Progress,
    /// Commentary is required, and there is none; why it is required.
    Commentary(String),
}

impl Gap {
    pub fn describe(&self) -> String {
        match self {
            Gap::Value => "value not entered".into(),
            Gap::Progress => "progress not entered".into(),
            Gap::Commentary(why) => format!("commentary missing: {why}"),
        }
    }
}

/// Who should enter a missing item: the officer named on it, if any, and the accounts to tell
/// (the officer's own, else the contributors of the unit).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Responsible {
    /// The officer's initials and name.
    pub officer: Option<(String, String)>,
    /// Usernames: the officer's accounts, or (when the officer has none, or none is named)
    /// the unit's contributors; perhaps nobody.
    pub users: Vec<String>,
    /// Whether `users` are the unit's contributors rather than the officer.
    pub contributors: bool,
}

impl Responsible {
    pub fn describe(&self) -> String {
        let who = if self.users.is_empty() {
            "no contributor has been given this unit".to_string()
        } else {
            format!("contributors: {}", self.users.join(", "))
        };
        match (&self.officer, self.contributors) {
            (Some((i, n)), false) => format!("{n} ({i})"),
            (Some((i, n)), true) => format!("{n} ({i}), who has no account; {who}"),
            (None, _) => who,
        }
    }

    /// The usernames to tell.
    pub fn users(&self) -> &[String] {
        &self.users
    }
}

/// One missing item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MissingItem {
    /// `indicator` or `milestone`.
    pub kind: &'static str,
    pub reference: Ref,
    /// The codes a report prints, or the milestone's ref.
    pub codes: String,
    pub title: String,
    pub gap: Gap,
    pub responsible: Responsible,
}

/// One unit's progress with the quarter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnitProgress {
    pub unit: Ref,
    pub name: String,
    /// The plan the unit reports on.
    pub plan: Ref,
    /// Values and progress expected this quarter.
    pub expected: usize,
    /// Of those, entered.
    pub entered: usize,
    /// Items whose required commentary is missing.
    pub commentary_missing: usize,
    /// The unit's quarter, or (while it is open) that of the nearest unit above it that has
    /// moved on.
    pub state: QuarterState,
    pub missing: Vec<MissingItem>,
}

impl UnitProgress {
    /// Whether its missing items are still being chased: the quarter is open (not yet
    /// submitted, signed off or published).
    pub fn chasing(&self) -> bool {
        self.state == QuarterState::Open
    }
}

/// The quarter's progress, unit by unit in the council's order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MissingReport {
    pub council: CouncilRef,
    pub quarter: Quarter,
    pub units: Vec<UnitProgress>,
}

impl MissingReport {
    /// The items a user is responsible for, with their unit.
    pub fn for_user<'a>(
        &'a self,
        username: &'a str,
    ) -> impl Iterator<Item = (&'a UnitProgress, &'a MissingItem)> + 'a {
        self.units.iter().flat_map(move |u| {
            u.missing
                .iter()
                .filter(move |m| m.responsible.users().iter().any(|x| x == username))
                .map(move |m| (u, m))
        })
    }

    /// Every item missing, across units.
    pub fn total_missing(&self) -> usize {
        self.units.iter().map(|u| u.missing.len()).sum()
    }
}

/// The plans the quarter is recorded against: for each unit that owns a plan covering the
/// year, its newest such plan (as `recording::Home` chooses).
fn plans_for(data: &CouncilData, quarter: Quarter) -> Vec<&PlanDocument> {
    let mut chosen: Vec<&PlanDocument> = Vec::new();
    for p in data.plans.iter().filter(|p| p.reaches(quarter.year)) {
        match chosen.iter_mut().find(|c| c.plan.unit == p.plan.unit) {
            Some(c) if c.plan.years.first() < p.plan.years.first() => *c = p,
            Some(_) => {}
            None => chosen.push(p),
        }
    }
    chosen
}

/// The unit an item falls to: its own (if the council has it), else the plan's.
fn owner(data: &CouncilData, plan: &PlanDocument, unit: Option<&Ref>) -> Ref {
    unit.filter(|u| data.units.iter().any(|x| &x.reference == *u))
        .cloned()
        .unwrap_or_else(|| plan.plan.unit.clone())
}

/// Who answers for an item of a unit.
fn responsible(
    data: &CouncilData,
    users: &[UserRecord],
    officer: Option<&str>,
    unit: &Ref,
) -> Responsible {
    let officer = officer.and_then(|t| data.officers.iter().find(|o| o.answers_to(t.trim())));
    let accounts: Vec<String> = officer
        .map(|o| {
            users
                .iter()
                .filter(|u| !u.disabled && u.has_role_on(&data.council.reference))
                .filter(|u| is_officer(o, &u.username, &u.display_name))
                .map(|u| u.username.clone())
                .collect()
        })
        .unwrap_or_default();
    let contributors = accounts.is_empty();
    let users = if contributors {
        let line = data.tree().line(unit);
        users
            .iter()
            .filter(|u| !u.disabled)
            .filter(|u| {
                u.grants.iter().any(|g| {
                    g.role == Role::Contributor
                        && g.council == data.council.reference
                        && g.unit.as_ref().is_some_and(|x| line.contains(&x))
                })
            })
            .map(|u| u.username.clone())
            .collect()
    } else {
        accounts
    };
    Responsible {
        officer: officer.map(|o| (o.reference.to_string(), o.name.clone())),
        users,
        contributors,
    }
}

/// A milestone completed in an earlier quarter of the year is not expected again.
fn completed_before(data: &CouncilData, plan: &PlanDocument, m: &Ref, quarter: Quarter) -> bool {
    data.quarters.iter().any(|r| {
        r.header.plan == plan.plan.reference
            && r.header.period.year == quarter.year
            && r.header.period < quarter
            && r.progress
                .iter()
                .any(|p| &p.milestone == m && p.status == ProgressStatus::Complete)
    })
}

struct Tally {
    unit: Ref,
    plan: Ref,
    expected: usize,
    entered: usize,
    commentary: usize,
    missing: Vec<MissingItem>,
}

fn tally<'a>(tallies: &'a mut Vec<Tally>, unit: Ref, plan: &Ref) -> &'a mut Tally {
    let at = match tallies.iter().position(|t| t.unit == unit) {
        Some(i) => i,
        None => {
            tallies.push(Tally {
                unit,
                plan: plan.clone(),
                expected: 0,
                entered: 0,
                commentary: 0,
                missing: Vec::new(),
            });
            tallies.len() - 1
        }
    };
    &mut tallies[at]
}

fn plan_items(
    data: &CouncilData,
    users: &[UserRecord],
    plan: &PlanDocument,
    quarter: Quarter,
    tallies: &mut Vec<Tally>,
) {
    let record: Option<&QuarterRecord> = data.quarters.iter().find(|r| {
        r.header.unit == plan.plan.unit
            && r.header.period == quarter
            && r.header.plan == plan.plan.reference
    });
    let report = status_report(
        data,
        &StatusQuery {
            quarter,
            plan: Some(plan.plan.reference.clone()),
            unit: None,
        },
    );
    let own_year = plan.plan.years.contains(quarter.year);
    for ind in plan
        .indicators
        .iter()
        .filter(|i| own_year && i.expected_in(quarter.q))
    {
        let measured_by = plan
            .objectives
            .iter()
            .find(|o| o.indicators.iter().any(|r| ind.answers_to(r.as_str())))
            .and_then(|o| o.unit.as_ref());
        let unit = owner(data, plan, ind.unit.as_ref().or(measured_by));
        let entered = record.is_some_and(|r| {
            r.values
                .iter()
                .any(|v| ind.answers_to(v.indicator.as_str()))
        });
        let gap = match record {
            Some(r) if entered => required::for_value(&report, r, ind)
                .filter(|_| !required::said(r, &ind.reference, &|x| ind.answers_to(x)))
                .map(|why| Gap::Commentary(why.into())),
            _ => Some(Gap::Value),
        };
        let t = tally(tallies, unit.clone(), &plan.plan.reference);
        t.expected += 1;
        t.entered += usize::from(entered);
        if let Some(gap) = gap {
            t.commentary += usize::from(matches!(gap, Gap::Commentary(_)));
            t.missing.push(MissingItem {
                kind: "indicator",
                reference: ind.reference.clone(),
                codes: ind.all_codes(),
                title: ind.description.clone(),
                gap,
                responsible: responsible(data, users, ind.officer.as_deref(), &unit),
            });
        }
    }
    for (o, m) in plan
        .milestones()
        .filter(|(_, m)| m.judged_in(quarter.year, plan.plan.years))
    {
        if completed_before(data, plan, &m.reference, quarter) {
            continue;
        }
        let unit = owner(data, plan, o.unit.as_ref());
        let progress = record.and_then(|r| r.progress.iter().find(|p| p.milestone == m.reference));
        let gap = match (record, progress) {
            (Some(r), Some(p)) => (required::for_progress(p.status)
                && !required::said(r, &m.reference, &|_| false))
            .then(|| Gap::Commentary(format!("it is {}", p.status))),
            _ => Some(Gap::Progress),
        };
        let t = tally(tallies, unit.clone(), &plan.plan.reference);
        t.expected += 1;
        t.entered += usize::from(progress.is_some());
        if let Some(gap) = gap {
            t.commentary += usize::from(matches!(gap, Gap::Commentary(_)));
            let officer = m.officer.as_deref().or(o.officer.as_deref());
            t.missing.push(MissingItem {
                kind: "milestone",
                reference: m.reference.clone(),
                codes: m.reference.to_string(),
                title: m.text.clone(),
                gap,
                responsible: responsible(data, users, officer, &unit),
            });
        }
    }
}

/// The unit's state; while it is open, that of the nearest unit above it that has moved on (a
/// directorate submits, and is signed off, for the departments whose entries its record holds).
fn state(
    data: &CouncilData,
    statuses: &[QuarterStatus],
    unit: &Ref,
    quarter: Quarter,
) -> QuarterState {
    let own = QuarterStatus::of(statuses, unit, quarter).state;
    if own != QuarterState::Open {
        return own;
    }
    data.tree()
        .ancestors(unit)
        .into_iter()
        .map(|a| QuarterStatus::of(statuses, a, quarter).state)
        .find(|s| *s != QuarterState::Open)
        .unwrap_or(own)
}

/// The quarter's progress, computed from the council's data, the quarters' states and the
/// users. Pure.
pub fn missing_report(
    data: &CouncilData,
    statuses: &[QuarterStatus],
    users: &[UserRecord],
    quarter: Quarter,
) -> MissingReport {
    let mut tallies = Vec::new();
    for plan in plans_for(data, quarter) {
        plan_items(data, users, plan, quarter, &mut tallies);
    }
    let units = data
        .units
        .iter()
        .filter_map(|u| {
            let t = tallies.iter().position(|t| t.unit == u.reference)?;
            let t = tallies.swap_remove(t);
            Some(UnitProgress {
                state: state(data, statuses, &u.reference, quarter),
                unit: t.unit,
                name: u.name.clone(),
                plan: t.plan,
                expected: t.expected,
                entered: t.entered,
                commentary_missing: t.commentary,
                missing: t.missing,
            })
        })
        .collect();
    MissingReport {
        council: data.council.reference.clone(),
        quarter,
        units,
    }
}

/// Reads the council, its quarters' states and the users, and works out what is missing.
pub async fn missing<S: Store + Governance>(
    store: &S,
    council: &CouncilRef,
    quarter: Quarter,
) -> Result<MissingReport, AppError> {
    let data = store
        .council_data(council)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("no council {council} in the database")))?;
    let statuses = store.quarter_statuses(council).await?;
    let users = store.users().await?;
    Ok(missing_report(&data, &statuses, &users, quarter))
}
