//! Reading a council's indicators with their aliases, links, baseline, targets, profile,
//! values and comparators.

use super::{Children, children, rows, take};
use crate::error::unreadable;
use crate::exec::Db;
use beacon_app::StoreError;
use beacon_domain::Ref;
use beacon_domain::indicator::{Baseline, Census, Comparator, Indicator, Quality};
use beacon_domain::measure::Measure;
use beacon_domain::period::Period;
use std::collections::BTreeMap;

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

pub(super) async fn indicators(
    conn: &mut Db<'_>,
    council_id: i64,
) -> Result<Children<Indicator>, StoreError> {
    let rows_a = rows(
        conn,
        "indicator_aliases",
        "SELECT a.indicator_id, a.ref
         FROM indicator_aliases a
         WHERE a.council_id = $1 ORDER BY a.indicator_id, a.position",
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
         FROM indicator_links l
         WHERE l.council_id = $1 ORDER BY l.indicator_id, l.position",
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
         FROM indicator_measures m
         WHERE m.council_id = $1",
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
        "SELECT c.indicator_id, c.period, c.kind, c.text, c.number, c.qualifiers, c.as_at,
             c.name, c.source
         FROM indicator_comparators c
         WHERE c.council_id = $1 ORDER BY c.indicator_id, c.position",
        council_id,
    )
    .await?;
    let mut comparators: Children<Comparator> =
        children("indicator_comparators", "indicator_id", &rows_c, |c| {
            Ok(Comparator {
                period: c.parse("period")?,
                kind: c.parse("kind")?,
                name: c.get("name")?,
                source: c.get("source")?,
                value: c.measure()?,
            })
        })?;
    let rows = rows(
        conn,
        "indicators",
        "SELECT i.id, i.plan_id, i.ref, i.printed_ref, i.description, i.unit, i.group_name, i.category,
             i.is_key, i.measure, i.better, i.frequency, i.accumulation, i.calendar, i.data_source, i.notes,
             i.priority, i.tolerance_percent, i.officer, i.quality_minimum, i.quality_maximum,
             i.quality_fractions, i.census_return, i.census_months, i.library_ref
         FROM indicators i
         WHERE i.council_id = $1 ORDER BY i.plan_id, i.position",
        council_id,
    )
    .await?;
    children("indicators", "plan_id", &rows, |c| {
        let id = c.id("id")?;
        let m = split_measures(take(&mut measures, id))?;
        let census = match c.get::<Option<String>>("census_return")? {
            Some(name) => Some(Census {
                name,
                months: c.list("census_months")?,
            }),
            None => None,
        };
        Ok(Indicator {
            reference: c.parse("ref")?,
            printed_ref: c.parse_opt("printed_ref")?,
            aliases: take(&mut aliases, id),
            library: c.parse_opt("library_ref")?,
            description: c.get("description")?,
            unit: c.parse_opt("unit")?,
            group: c.get("group_name")?,
            category: c.parse_opt("category")?,
            key: c.get("is_key")?,
            measure: c.parse_opt("measure")?,
            better: c.parse_opt("better")?,
            frequency: c.parse_opt("frequency")?,
            census,
            accumulation: c.parse("accumulation")?,
            calendar: c.parse("calendar")?,
            data_source: c.get("data_source")?,
            notes: c.get("notes")?,
            links: take(&mut links, id),
            priority: c.parse_opt("priority")?,
            tolerance_percent: c.parse_opt("tolerance_percent")?,
            quality: Quality {
                minimum: c.parse_opt("quality_minimum")?,
                maximum: c.parse_opt("quality_maximum")?,
                fractions: c.get("quality_fractions")?,
            },
            officer: c.get("officer")?,
            baseline: m.baseline,
            targets: m.targets,
            profile: m.profile,
            values: m.values,
            comparators: take(&mut comparators, id),
        })
    })
}
