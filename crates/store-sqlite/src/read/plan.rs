//! Reading a council's plan documents: each plan with its sections, factors, objectives,
//! milestones, indicators, risks, equality actions and budget changes in their stored order.

use super::{Children, children, rows, take};
use crate::columns::Cols;
use crate::error::unreadable;
use beacon_app::StoreError;
use beacon_domain::Ref;
use beacon_domain::budget::BudgetChange;
use beacon_domain::equality::EqualityAction;
use beacon_domain::indicator::{Baseline, Comparator, Indicator};
use beacon_domain::measure::Measure;
use beacon_domain::money::Pence;
use beacon_domain::objective::{Milestone, Objective};
use beacon_domain::period::Period;
use beacon_domain::plan::{Factor, Plan, PlanDocument, Section};
use beacon_domain::risk::{Risk, RiskAssessment};
use sqlx::SqliteConnection;
use std::collections::BTreeMap;

/// Every plan document of the council, by ref.
pub(super) async fn plans(
    conn: &mut SqliteConnection,
    council_id: i64,
) -> Result<Vec<PlanDocument>, StoreError> {
    let mut sections = sections(conn, council_id).await?;
    let mut factors = factors(conn, council_id).await?;
    let mut objectives = objectives(conn, council_id).await?;
    let mut indicators = indicators(conn, council_id).await?;
    let mut risks = risks(conn, council_id).await?;
    let mut equality = equality_actions(conn, council_id).await?;
    let mut budget = budget_changes(conn, council_id).await?;
    let rows = rows(
        conn,
        "plans",
        "SELECT id, ref, title, unit, years, status, version, refreshes, source
         FROM plans WHERE council_id = ? ORDER BY ref",
        council_id,
    )
    .await?;
    rows.iter()
        .map(|r| {
            let c = Cols::new("plans", r);
            let id = c.id("id")?;
            Ok(PlanDocument {
                plan: Plan {
                    reference: c.parse("ref")?,
                    title: c.get("title")?,
                    unit: c.parse("unit")?,
                    years: c.parse("years")?,
                    status: c.parse("status")?,
                    version: c.int("version")?,
                    refreshes: c.parse_opt("refreshes")?,
                    source: c.get("source")?,
                    sections: take(&mut sections, id),
                    factors: take(&mut factors, id),
                },
                objectives: take(&mut objectives, id),
                indicators: take(&mut indicators, id),
                risks: take(&mut risks, id),
                equality_actions: take(&mut equality, id),
                budget_changes: take(&mut budget, id),
            })
        })
        .collect()
}

async fn sections(
    conn: &mut SqliteConnection,
    council_id: i64,
) -> Result<Children<Section>, StoreError> {
    let rows = rows(
        conn,
        "plan_sections",
        "SELECT s.plan_id, s.kind, s.heading, s.text
         FROM plan_sections s JOIN plans p ON p.id = s.plan_id
         WHERE p.council_id = ? ORDER BY s.plan_id, s.position",
        council_id,
    )
    .await?;
    children("plan_sections", "plan_id", &rows, |c| {
        Ok(Section {
            kind: c.parse("kind")?,
            heading: c.get("heading")?,
            text: c.get("text")?,
        })
    })
}

async fn factors(
    conn: &mut SqliteConnection,
    council_id: i64,
) -> Result<Children<Factor>, StoreError> {
    let rows = rows(
        conn,
        "plan_factors",
        "SELECT f.plan_id, f.category, f.heading, f.text
         FROM plan_factors f JOIN plans p ON p.id = f.plan_id
         WHERE p.council_id = ? ORDER BY f.plan_id, f.position",
        council_id,
    )
    .await?;
    children("plan_factors", "plan_id", &rows, |c| {
        Ok(Factor {
            category: c.parse("category")?,
            heading: c.get("heading")?,
            text: c.get("text")?,
        })
    })
}

/// Assessments by owner id, as (stage, assessment).
type Assessments = Children<(String, RiskAssessment)>;

/// Splits an owner's stored assessments into its initial and residual ones.
fn stages(
    table: &'static str,
    list: Vec<(String, RiskAssessment)>,
) -> Result<(Option<RiskAssessment>, Option<RiskAssessment>), StoreError> {
    let (mut initial, mut residual) = (None, None);
    for (stage, a) in list {
        match stage.as_str() {
            "initial" => initial = Some(a),
            "residual" => residual = Some(a),
            other => return Err(unreadable(table, "stage", other, "not initial or residual")),
        }
    }
    Ok((initial, residual))
}

async fn objectives(
    conn: &mut SqliteConnection,
    council_id: i64,
) -> Result<Children<Objective>, StoreError> {
    let rows_a = rows(
        conn,
        "objective_assessments",
        "SELECT a.objective_id, a.stage, a.score, a.likelihood, a.impact, a.band
         FROM objective_assessments a JOIN objectives o ON o.id = a.objective_id JOIN plans p ON p.id = o.plan_id
         WHERE p.council_id = ?",
        council_id,
    )
    .await?;
    let mut assessments: Assessments =
        children("objective_assessments", "objective_id", &rows_a, |c| {
            Ok((c.get("stage")?, c.assessment()?))
        })?;
    let rows_l = rows(
        conn,
        "objective_links",
        "SELECT l.objective_id, l.kind, l.ref
         FROM objective_links l JOIN objectives o ON o.id = l.objective_id JOIN plans p ON p.id = o.plan_id
         WHERE p.council_id = ? ORDER BY l.objective_id, l.kind, l.position",
        council_id,
    )
    .await?;
    let mut links: Children<(String, Ref)> =
        children("objective_links", "objective_id", &rows_l, |c| {
            Ok((c.get("kind")?, c.parse("ref")?))
        })?;
    let mut milestones = milestones(conn, council_id).await?;
    let rows = rows(
        conn,
        "objectives",
        "SELECT o.id, o.plan_id, o.ref, o.unit, o.statement, o.officer
         FROM objectives o JOIN plans p ON p.id = o.plan_id
         WHERE p.council_id = ? ORDER BY o.plan_id, o.position",
        council_id,
    )
    .await?;
    children("objectives", "plan_id", &rows, |c| {
        let id = c.id("id")?;
        let (initial_risk, residual_risk) =
            stages("objective_assessments", take(&mut assessments, id))?;
        let (mut frames, mut cross_refs, mut indicators) = (Vec::new(), Vec::new(), Vec::new());
        for (kind, r) in take(&mut links, id) {
            match kind.as_str() {
                "frame" => frames.push(r),
                "cross_ref" => cross_refs.push(r),
                "indicator" => indicators.push(r),
                other => {
                    return Err(unreadable(
                        "objective_links",
                        "kind",
                        other,
                        "not frame, cross_ref or indicator",
                    ));
                }
            }
        }
        Ok(Objective {
            reference: c.parse("ref")?,
            unit: c.parse_opt("unit")?,
            statement: c.get("statement")?,
            links: frames,
            cross_refs,
            officer: c.get("officer")?,
            initial_risk,
            residual_risk,
            indicators,
            milestones: take(&mut milestones, id),
        })
    })
}

async fn milestones(
    conn: &mut SqliteConnection,
    council_id: i64,
) -> Result<Children<Milestone>, StoreError> {
    let rows = rows(
        conn,
        "milestones",
        "SELECT m.objective_id, m.ref, m.year, m.text, m.due_kind, m.due, m.officer, m.priority
         FROM milestones m JOIN plans p ON p.id = m.plan_id
         WHERE p.council_id = ? ORDER BY m.objective_id, m.position",
        council_id,
    )
    .await?;
    children("milestones", "objective_id", &rows, |c| {
        Ok(Milestone {
            reference: c.parse("ref")?,
            year: c.parse("year")?,
            text: c.get("text")?,
            due: c.due()?,
            officer: c.get("officer")?,
            priority: c.parse_opt("priority")?,
        })
    })
}

/// An indicator's stored measures, split by kind.
#[derive(Default)]
struct Measures {
    baseline: Option<Baseline>,
    targets: BTreeMap<Period, Measure>,
    profile: BTreeMap<Period, Measure>,
    values: BTreeMap<Period, Measure>,
}

fn split_measures(list: Vec<(String, Period, Measure)>) -> Result<Measures, StoreError> {
    let mut out = Measures::default();
    for (kind, period, value) in list {
        match kind.as_str() {
            "baseline" => out.baseline = Some(Baseline { period, value }),
            "target" => {
                out.targets.insert(period, value);
            }
            "profile" => {
                out.profile.insert(period, value);
            }
            "value" => {
                out.values.insert(period, value);
            }
            other => {
                return Err(unreadable(
                    "indicator_measures",
                    "kind",
                    other,
                    "not baseline, target, profile or value",
                ));
            }
        }
    }
    Ok(out)
}

async fn indicators(
    conn: &mut SqliteConnection,
    council_id: i64,
) -> Result<Children<Indicator>, StoreError> {
    let rows_a = rows(
        conn,
        "indicator_aliases",
        "SELECT a.indicator_id, a.ref
         FROM indicator_aliases a JOIN indicators i ON i.id = a.indicator_id JOIN plans p ON p.id = i.plan_id
         WHERE p.council_id = ? ORDER BY a.indicator_id, a.position",
        council_id,
    )
    .await?;
    let mut aliases: Children<Ref> = children("indicator_aliases", "indicator_id", &rows_a, |c| {
        c.parse("ref")
    })?;
    let rows_l = rows(
        conn,
        "indicator_links",
        "SELECT l.indicator_id, l.ref
         FROM indicator_links l JOIN indicators i ON i.id = l.indicator_id JOIN plans p ON p.id = i.plan_id
         WHERE p.council_id = ? ORDER BY l.indicator_id, l.position",
        council_id,
    )
    .await?;
    let mut links: Children<Ref> = children("indicator_links", "indicator_id", &rows_l, |c| {
        c.parse("ref")
    })?;
    let rows_m = rows(
        conn,
        "indicator_measures",
        "SELECT m.indicator_id, m.kind, m.period, m.text, m.number, m.qualifiers, m.as_at
         FROM indicator_measures m JOIN indicators i ON i.id = m.indicator_id JOIN plans p ON p.id = i.plan_id
         WHERE p.council_id = ?",
        council_id,
    )
    .await?;
    let mut measures: Children<(String, Period, Measure)> =
        children("indicator_measures", "indicator_id", &rows_m, |c| {
            Ok((c.get("kind")?, c.parse("period")?, c.measure()?))
        })?;
    let rows_c = rows(
        conn,
        "indicator_comparators",
        "SELECT c.indicator_id, c.period, c.kind, c.text, c.number, c.qualifiers, c.as_at
         FROM indicator_comparators c JOIN indicators i ON i.id = c.indicator_id JOIN plans p ON p.id = i.plan_id
         WHERE p.council_id = ? ORDER BY c.indicator_id, c.position",
        council_id,
    )
    .await?;
    let mut comparators: Children<Comparator> =
        children("indicator_comparators", "indicator_id", &rows_c, |c| {
            Ok(Comparator {
                period: c.parse("period")?,
                kind: c.parse("kind")?,
                value: c.measure()?,
            })
        })?;
    let rows = rows(
        conn,
        "indicators",
        "SELECT i.id, i.plan_id, i.ref, i.printed_ref, i.description, i.unit, i.group_name, i.category,
             i.is_key, i.measure, i.better, i.frequency, i.accumulation, i.calendar, i.data_source, i.notes,
             i.priority, i.tolerance_percent, i.officer
         FROM indicators i JOIN plans p ON p.id = i.plan_id
         WHERE p.council_id = ? ORDER BY i.plan_id, i.position",
        council_id,
    )
    .await?;
    children("indicators", "plan_id", &rows, |c| {
        let id = c.id("id")?;
        let m = split_measures(take(&mut measures, id))?;
        Ok(Indicator {
            reference: c.parse("ref")?,
            printed_ref: c.parse_opt("printed_ref")?,
            aliases: take(&mut aliases, id),
            description: c.get("description")?,
            unit: c.parse_opt("unit")?,
            group: c.get("group_name")?,
            category: c.parse_opt("category")?,
            key: c.get("is_key")?,
            measure: c.parse_opt("measure")?,
            better: c.parse_opt("better")?,
            frequency: c.parse("frequency")?,
            accumulation: c.parse("accumulation")?,
            calendar: c.parse("calendar")?,
            data_source: c.get("data_source")?,
            notes: c.get("notes")?,
            links: take(&mut links, id),
            priority: c.parse_opt("priority")?,
            tolerance_percent: c.parse_opt("tolerance_percent")?,
            officer: c.get("officer")?,
            baseline: m.baseline,
            targets: m.targets,
            profile: m.profile,
            values: m.values,
            comparators: take(&mut comparators, id),
        })
    })
}

async fn risks(conn: &mut SqliteConnection, council_id: i64) -> Result<Children<Risk>, StoreError> {
    let rows_a = rows(
        conn,
        "risk_assessments",
        "SELECT a.risk_id, a.stage, a.score, a.likelihood, a.impact, a.band
         FROM risk_assessments a JOIN risks r ON r.id = a.risk_id JOIN plans p ON p.id = r.plan_id
         WHERE p.council_id = ?",
        council_id,
    )
    .await?;
    let mut assessments: Assessments = children("risk_assessments", "risk_id", &rows_a, |c| {
        Ok((c.get("stage")?, c.assessment()?))
    })?;
    let rows_t = rows(
        conn,
        "risk_treatments",
        "SELECT t.risk_id, t.text
         FROM risk_treatments t JOIN risks r ON r.id = t.risk_id JOIN plans p ON p.id = r.plan_id
         WHERE p.council_id = ? ORDER BY t.risk_id, t.position",
        council_id,
    )
    .await?;
    let mut treatments: Children<String> =
        children("risk_treatments", "risk_id", &rows_t, |c| c.get("text"))?;
    let rows = rows(
        conn,
        "risks",
        "SELECT r.id, r.plan_id, r.ref, r.objective, r.description
         FROM risks r JOIN plans p ON p.id = r.plan_id
         WHERE p.council_id = ? ORDER BY r.plan_id, r.position",
        council_id,
    )
    .await?;
    children("risks", "plan_id", &rows, |c| {
        let id = c.id("id")?;
        let (initial, residual) = stages("risk_assessments", take(&mut assessments, id))?;
        Ok(Risk {
            reference: c.parse("ref")?,
            objective: c.parse_opt("objective")?,
            description: c.get("description")?,
            initial,
            residual,
            treatment: take(&mut treatments, id),
        })
    })
}

async fn equality_actions(
    conn: &mut SqliteConnection,
    council_id: i64,
) -> Result<Children<EqualityAction>, StoreError> {
    let rows = rows(
        conn,
        "equality_actions",
        "SELECT e.plan_id, e.ref, e.area, e.impact, e.action, e.years, e.officer
         FROM equality_actions e JOIN plans p ON p.id = e.plan_id
         WHERE p.council_id = ? ORDER BY e.plan_id, e.position",
        council_id,
    )
    .await?;
    children("equality_actions", "plan_id", &rows, |c| {
        Ok(EqualityAction {
            reference: c.parse("ref")?,
            area: c.get("area")?,
            impact: c.parse("impact")?,
            action: c.get("action")?,
            years: c.list("years")?,
            officer: c.get("officer")?,
        })
    })
}

async fn budget_changes(
    conn: &mut SqliteConnection,
    council_id: i64,
) -> Result<Children<BudgetChange>, StoreError> {
    let rows = rows(
        conn,
        "budget_changes",
        "SELECT b.plan_id, b.kind, b.year, b.description, b.amount, b.scale
         FROM budget_changes b JOIN plans p ON p.id = b.plan_id
         WHERE p.council_id = ? ORDER BY b.plan_id, b.position",
        council_id,
    )
    .await?;
    children("budget_changes", "plan_id", &rows, |c| {
        Ok(BudgetChange {
            kind: c.parse("kind")?,
            year: c.parse("year")?,
            description: c.get("description")?,
            amount: c.get::<Option<i64>>("amount")?.map(Pence),
            scale: c.parse("scale")?,
        })
    })
}
