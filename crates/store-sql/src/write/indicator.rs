//! Writing an indicator with its aliases, links, baseline, targets, profile, values and
//! comparators.

use super::ids_by_position;
use crate::encode::{opt_text, position};
use crate::error::db;
use crate::exec::{Db, Inserts};
use beacon_app::StoreError;
use beacon_domain::indicator::Indicator;
use beacon_domain::measure::Measure;
use beacon_domain::period::Period;

/// The rows of a plan's indicators' lists, sent together once every indicator's row is in.
pub(super) struct IndicatorRows {
    aliases: Inserts,
    links: Inserts,
    measures: Inserts,
    comparators: Inserts,
}

impl IndicatorRows {
    pub(super) fn new() -> Self {
        IndicatorRows {
            aliases: Inserts::new(
                "INSERT INTO indicator_aliases (council_id, indicator_id, position, ref)",
                4,
                "insert into indicator_aliases",
            ),
            links: Inserts::new(
                "INSERT INTO indicator_links (council_id, indicator_id, position, ref)",
                4,
                "insert into indicator_links",
            ),
            measures: Inserts::new(
                "INSERT INTO indicator_measures (council_id, indicator_id, kind, period, text,
                     number, qualifiers, as_at)",
                8,
                "insert into indicator_measures",
            ),
            comparators: Inserts::new(
                "INSERT INTO indicator_comparators (council_id, indicator_id, position, period,
                     kind, text, number, qualifiers, as_at, name, source)",
                11,
                "insert into indicator_comparators",
            ),
        }
    }

    /// Sends the rows not yet sent.
    pub(super) async fn finish(self, conn: &mut Db<'_>) -> Result<(), StoreError> {
        self.aliases.finish(conn).await?;
        self.links.finish(conn).await?;
        self.measures.finish(conn).await?;
        self.comparators.finish(conn).await
    }
}

/// Inserts a plan's indicators, a few statements for all of them, then each one's census and
/// lists.
pub(super) async fn indicators(
    conn: &mut Db<'_>,
    rows: &mut IndicatorRows,
    council_id: i64,
    plan_id: i64,
    list: &[Indicator],
) -> Result<(), StoreError> {
    const DOING: &str = "insert into indicators";
    let mut inserts = Inserts::new(
        "INSERT INTO indicators (council_id, plan_id, position, ref, printed_ref, description,
             unit, group_name, category, is_key, measure, better, frequency, accumulation,
             calendar, data_source, notes, priority, tolerance_percent, officer,
             quality_minimum, quality_maximum, quality_fractions, library_ref)",
        24,
        DOING,
    )
    .returning("id, position");
    for (i, ind) in list.iter().enumerate() {
        let position = position("indicators", i)?;
        inserts
            .add(conn, |q| {
                q.bind(council_id)
                    .bind(plan_id)
                    .bind(position)
                    .bind(ind.reference.as_str())
                    .bind(ind.printed_ref.as_ref().map(|r| r.as_str()))
                    .bind(&ind.description)
                    .bind(ind.unit.as_ref().map(|r| r.as_str()))
                    .bind(&ind.group)
                    .bind(ind.category.map(|c| c.as_str()))
                    .bind(ind.key)
                    .bind(ind.measure.map(|m| m.as_str()))
                    .bind(ind.better.map(|b| b.as_str()))
                    .bind(ind.frequency.map(|f| f.as_str()))
                    .bind(ind.accumulation.as_str())
                    .bind(ind.calendar.as_str())
                    .bind(&ind.data_source)
                    .bind(&ind.notes)
                    .bind(ind.priority.as_ref().map(|r| r.as_str()))
                    .bind(opt_text(ind.tolerance_percent.as_ref()))
                    .bind(&ind.officer)
                    .bind(opt_text(ind.quality.minimum.as_ref()))
                    .bind(opt_text(ind.quality.maximum.as_ref()))
                    .bind(ind.quality.fractions)
                    .bind(ind.library.as_ref().map(|r| r.as_str()))
            })
            .await?;
    }
    let returned = inserts.finish_returning(conn).await?;
    for (ind, id) in list
        .iter()
        .zip(ids_by_position(returned, list.len(), DOING)?)
    {
        lists(conn, rows, council_id, id, ind).await?;
    }
    Ok(())
}

/// An indicator's census return and its lists, once its row is in as `id`.
async fn lists(
    conn: &mut Db<'_>,
    rows: &mut IndicatorRows,
    council_id: i64,
    id: i64,
    ind: &Indicator,
) -> Result<(), StoreError> {
    if let Some(census) = &ind.census {
        conn.sql(
            "UPDATE indicators SET census_return = $1, census_months = $2
             WHERE council_id = $3 AND id = $4",
        )
        .bind(&census.name)
        .words(&census.months)
        .bind(council_id)
        .bind(id)
        .execute(&mut *conn)
        .await
        .map_err(db("set an indicator's census"))?;
    }

    for (table, list, refs) in [
        ("indicator_aliases", &mut rows.aliases, &ind.aliases),
        ("indicator_links", &mut rows.links, &ind.links),
    ] {
        for (j, r) in refs.iter().enumerate() {
            let position = position(table, j)?;
            list.add(conn, |q| {
                q.bind(council_id).bind(id).bind(position).bind(r.as_str())
            })
            .await?;
        }
    }
    if let Some(b) = &ind.baseline {
        measure(conn, rows, council_id, id, "baseline", &b.period, &b.value).await?;
    }
    for (kind, map) in [
        ("target", &ind.targets),
        ("profile", &ind.profile),
        ("value", &ind.values),
    ] {
        for (period, m) in map {
            measure(conn, rows, council_id, id, kind, period, m).await?;
        }
    }
    for (j, c) in ind.comparators.iter().enumerate() {
        let position = position("indicator_comparators", j)?;
        rows.comparators
            .add(conn, |q| {
                q.bind(council_id)
                    .bind(id)
                    .bind(position)
                    .bind(c.period.to_string())
                    .bind(c.kind.as_str())
                    .measure(&c.value)
                    .bind(&c.name)
                    .bind(&c.source)
            })
            .await?;
    }
    Ok(())
}

async fn measure(
    conn: &mut Db<'_>,
    rows: &mut IndicatorRows,
    council_id: i64,
    indicator_id: i64,
    kind: &'static str,
    period: &Period,
    value: &Measure,
) -> Result<(), StoreError> {
    rows.measures
        .add(conn, |q| {
            q.bind(council_id)
                .bind(indicator_id)
                .bind(kind)
                .bind(period.to_string())
                .measure(value)
        })
        .await
}
