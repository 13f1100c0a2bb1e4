//! Writing an indicator with its aliases, links, baseline, targets, profile, values and
//! comparators.

use crate::encode::{opt_text, position};
use crate::error::db;
use crate::exec::Db;
use beacon_app::StoreError;
use beacon_domain::Ref;
use beacon_domain::indicator::Indicator;
use beacon_domain::measure::Measure;
use beacon_domain::period::Period;

pub(super) async fn indicator(
    conn: &mut Db<'_>,
    council_id: i64,
    plan_id: i64,
    i: usize,
    ind: &Indicator,
) -> Result<(), StoreError> {
    let row = conn.sql(
        "INSERT INTO indicators (council_id, plan_id, position, ref, printed_ref, description, unit,
             group_name, category, is_key, measure, better, frequency, accumulation, calendar,
             data_source, notes, priority, tolerance_percent, officer, quality_minimum,
             quality_maximum, quality_fractions, library_ref)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18,
             $19, $20, $21, $22, $23, $24)
         RETURNING id",
    )
    .bind(council_id)
    .bind(plan_id)
    .bind(position("indicators", i)?)
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
    .fetch_one(&mut *conn)
    .await
    .map_err(db("insert into indicators"))?;
    let id: i64 = row.try_get("id").map_err(db("insert into indicators"))?;
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

    refs(
        conn,
        "INSERT INTO indicator_aliases (council_id, indicator_id, position, ref) VALUES ($1, $2, $3, $4)",
        "insert into indicator_aliases",
        council_id,
        id,
        &ind.aliases,
    )
    .await?;
    refs(
        conn,
        "INSERT INTO indicator_links (council_id, indicator_id, position, ref) VALUES ($1, $2, $3, $4)",
        "insert into indicator_links",
        council_id,
        id,
        &ind.links,
    )
    .await?;
    if let Some(b) = &ind.baseline {
        measure(conn, council_id, id, "baseline", &b.period, &b.value).await?;
    }
    for (kind, map) in [
        ("target", &ind.targets),
        ("profile", &ind.profile),
        ("value", &ind.values),
    ] {
        for (period, m) in map {
            measure(conn, council_id, id, kind, period, m).await?;
        }
    }
    for (j, c) in ind.comparators.iter().enumerate() {
        conn.sql(
            "INSERT INTO indicator_comparators (council_id, indicator_id, position, period, kind,
                 text, number, qualifiers, as_at, name, source)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
        )
        .bind(council_id)
        .bind(id)
        .bind(position("indicator_comparators", j)?)
        .bind(c.period.to_string())
        .bind(c.kind.as_str())
        .measure(&c.value)
        .bind(&c.name)
        .bind(&c.source)
        .execute(&mut *conn)
        .await
        .map_err(db("insert into indicator_comparators"))?;
    }
    Ok(())
}

async fn measure(
    conn: &mut Db<'_>,
    council_id: i64,
    indicator_id: i64,
    kind: &str,
    period: &Period,
    value: &Measure,
) -> Result<(), StoreError> {
    conn.sql(
        "INSERT INTO indicator_measures (council_id, indicator_id, kind, period, text, number,
             qualifiers, as_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(council_id)
    .bind(indicator_id)
    .bind(kind)
    .bind(period.to_string())
    .measure(value)
    .execute(&mut *conn)
    .await
    .map_err(db("insert into indicator_measures"))?;
    Ok(())
}

/// Inserts a list of refs as `(council, owner, position, ref)` rows.
async fn refs(
    conn: &mut Db<'_>,
    sql: &'static str,
    doing: &'static str,
    council_id: i64,
    owner: i64,
    list: &[Ref],
) -> Result<(), StoreError> {
    for (j, r) in list.iter().enumerate() {
        conn.sql(sql)
            .bind(council_id)
            .bind(owner)
            .bind(position(doing, j)?)
            .bind(r.as_str())
            .execute(&mut *conn)
            .await
            .map_err(db(doing))?;
    }
    Ok(())
}
