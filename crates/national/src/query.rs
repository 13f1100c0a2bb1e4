//! Reading positions back as they were stored at import: England's summary for one indicator or
//! every indicator in a period, one council's place on every indicator, and one council's
//! history on one indicator. Nothing here sorts or computes a quartile again: it reads the
//! stored summary columns and the council's bytes of each packed array (`substr`).

use crate::codec::{self, GROUP_BYTES, PLACE_BYTES, VALUE_BYTES};
use crate::db::{NationalDb, on_pool};
use crate::model::Polarity;
use crate::position::{Place, Summary};
use crate::problem::NationalError;
use serde::Serialize;
use sqlx::Row;

/// England's figures for one indicator in one period.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SliceSummary {
    pub indicator: String,
    pub period: String,
    pub polarity: Polarity,
    /// None when no council has a value.
    pub england: Option<Summary>,
}

/// A group's average beside a council's value.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupAverage {
    pub kind: String,
    pub name: String,
    pub mean: Option<f64>,
    /// Members with a value.
    pub reported: u32,
    pub members: u32,
}

/// One council's position on one indicator in one period.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CouncilPosition {
    pub indicator: String,
    pub period: String,
    pub polarity: Polarity,
    pub value: Option<f64>,
    /// None when the council has no value (missing or suppressed).
    pub place: Option<Place>,
    pub england: Option<Summary>,
    /// The council's region and its neighbour groups.
    pub groups: Vec<GroupAverage>,
}

/// A council and the groups it belongs to, by id, for reading its bytes.
pub(crate) struct Who {
    slot: i32,
    groups: Vec<(i32, String, String, u32)>,
}

const SUMMARY: &str = "s.count, s.mean, s.min, s.max, s.q1, s.median, s.q3";

fn summary_of<R: Row>(r: &R) -> Result<Option<Summary>, sqlx::Error>
where
    for<'a> i32: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
    for<'a> Option<f64>: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
    for<'a> &'a str: sqlx::ColumnIndex<R>,
{
    let count: i32 = r.try_get("count")?;
    let get = |c: &str| -> Result<f64, sqlx::Error> {
        Ok(r.try_get::<Option<f64>, _>(c)?.unwrap_or(f64::NAN))
    };
    Ok((count > 0)
        .then_some(Summary {
            count: count as u32,
            mean: get("mean")?,
            min: get("min")?,
            max: get("max")?,
            q1: get("q1")?,
            median: get("median")?,
            q3: get("q3")?,
        })
        .filter(|s| !s.mean.is_nan()))
}

impl NationalDb {
    /// England's summary of one indicator in one period; None when not stored.
    pub async fn summary(
        &self,
        indicator: &str,
        period: &str,
    ) -> Result<Option<SliceSummary>, NationalError> {
        let sql = format!(
            "SELECT s.polarity, {SUMMARY} FROM national_slices s \
             JOIN national_indicators i ON i.id = s.indicator_id \
             JOIN national_periods p ON p.id = s.period_id \
             WHERE i.code = $1 AND p.label = $2"
        );
        on_pool!(self, pool => {
            let row = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(indicator).bind(period).fetch_optional(pool).await?;
            match row {
                None => Ok(None),
                Some(r) => Ok(Some(SliceSummary {
                    indicator: indicator.to_string(),
                    period: period.to_string(),
                    polarity: Polarity::parse(&r.try_get::<String, _>("polarity")?).unwrap_or(Polarity::Higher),
                    england: summary_of(&r)?,
                })),
            }
        })
    }

    /// England's summary of every indicator in one period, by indicator code.
    pub async fn period_summaries(&self, period: &str) -> Result<Vec<SliceSummary>, NationalError> {
        let sql = format!(
            "SELECT i.code, s.polarity, {SUMMARY} FROM national_slices s \
             JOIN national_indicators i ON i.id = s.indicator_id \
             WHERE s.period_id = (SELECT id FROM national_periods WHERE label = $1) \
             ORDER BY i.code"
        );
        on_pool!(self, pool => {
            sqlx::query(sqlx::AssertSqlSafe(sql)).bind(period).fetch_all(pool).await?
                .iter()
                .map(|r| Ok(SliceSummary {
                    indicator: r.try_get("code")?,
                    period: period.to_string(),
                    polarity: Polarity::parse(&r.try_get::<String, _>("polarity")?).unwrap_or(Polarity::Higher),
                    england: summary_of(r)?,
                }))
                .collect::<Result<Vec<_>, sqlx::Error>>()
                .map_err(NationalError::from)
        })
    }

    /// The council's slot and its groups (region and the groups it owns), with member counts.
    pub(crate) async fn who(&self, council: &str) -> Result<Who, NationalError> {
        on_pool!(self, pool => {
            let slot: Option<i32> = sqlx::query_scalar("SELECT slot FROM national_councils WHERE code = $1")
                .bind(council).fetch_optional(pool).await?;
            let slot = slot.ok_or_else(|| NationalError::NotFound(format!("{council:?} is not in the national set")))?;
            let groups = sqlx::query(
                "SELECT g.id, g.kind, g.name, (SELECT COUNT(*) FROM national_group_members m WHERE m.group_id = g.id) AS members \
                 FROM national_groups g \
                 WHERE g.owner = $1 OR EXISTS (SELECT 1 FROM national_group_members m \
                       WHERE m.group_id = g.id AND m.council = $1 AND g.kind = 'region') \
                 ORDER BY g.kind, g.id")
                .bind(slot).fetch_all(pool).await?
                .iter()
                .map(|r| Ok((r.try_get::<i32, _>(0)?, r.try_get::<String, _>(1)?, r.try_get::<String, _>(2)?, r.try_get::<i64, _>(3)? as u32)))
                .collect::<Result<Vec<_>, sqlx::Error>>()?;
            Ok(Who { slot, groups })
        })
    }

    /// The council's columns: its value and place, and each of its groups' means.
    fn council_columns(who: &Who) -> String {
        let mut cols = format!(
            "substr(s.vals, {}, {VALUE_BYTES}) AS v, substr(s.positions, {}, {PLACE_BYTES}) AS pl",
            who.slot as usize * VALUE_BYTES + 1,
            who.slot as usize * PLACE_BYTES + 1
        );
        for (k, (id, ..)) in who.groups.iter().enumerate() {
            // Integers made here, never input.
            cols.push_str(&format!(
                ", substr(s.group_means, {}, {GROUP_BYTES}) AS g{k}",
                *id as usize * GROUP_BYTES + 1
            ));
        }
        cols
    }

    /// One council's position on every indicator in one period, by indicator code.
    pub async fn council_positions(
        &self,
        council: &str,
        period: &str,
    ) -> Result<Vec<CouncilPosition>, NationalError> {
        let who = self.who(council).await?;
        let sql = format!(
            "SELECT i.code, s.polarity, {SUMMARY}, {} FROM national_slices s \
             JOIN national_indicators i ON i.id = s.indicator_id \
             WHERE s.period_id = (SELECT id FROM national_periods WHERE label = $1) \
             ORDER BY i.code",
            Self::council_columns(&who)
        );
        on_pool!(self, pool => {
            sqlx::query(sqlx::AssertSqlSafe(sql)).bind(period).fetch_all(pool).await?
                .iter()
                .map(|r| position_of(r, &who, r.try_get("code")?, period.to_string()))
                .collect::<Result<Vec<_>, sqlx::Error>>()
                .map_err(NationalError::from)
        })
    }

    /// One council's position on one indicator in every stored period, oldest first.
    pub async fn council_history(
        &self,
        council: &str,
        indicator: &str,
    ) -> Result<Vec<CouncilPosition>, NationalError> {
        let who = self.who(council).await?;
        self.history_of(&who, indicator).await
    }

    /// The history of a council already looked up.
    pub(crate) async fn history_of(
        &self,
        who: &Who,
        indicator: &str,
    ) -> Result<Vec<CouncilPosition>, NationalError> {
        let sql = format!(
            "SELECT p.label, s.polarity, {SUMMARY}, {} FROM national_slices s \
             JOIN national_periods p ON p.id = s.period_id \
             WHERE s.indicator_id = (SELECT id FROM national_indicators WHERE code = $1)",
            Self::council_columns(who)
        );
        let mut out = on_pool!(self, pool => {
            sqlx::query(sqlx::AssertSqlSafe(sql)).bind(indicator).fetch_all(pool).await?
                .iter()
                .map(|r| position_of(r, who, indicator.to_string(), r.try_get("label")?))
                .collect::<Result<Vec<_>, sqlx::Error>>()?
        });
        out.sort_by(|a, b| period_order(&a.period).cmp(&period_order(&b.period)));
        Ok(out)
    }

    /// Every indicator code the set holds.
    pub async fn indicator_codes(&self) -> Result<Vec<String>, NationalError> {
        on_pool!(self, pool => {
            Ok(sqlx::query_scalar("SELECT code FROM national_indicators ORDER BY code").fetch_all(pool).await?)
        })
    }

    /// Every period label the set holds, oldest first.
    pub async fn periods(&self) -> Result<Vec<String>, NationalError> {
        let mut labels: Vec<String> = on_pool!(self, pool => {
            sqlx::query_scalar("SELECT label FROM national_periods").fetch_all(pool).await?
        });
        labels.sort_by(|a, b| period_order(a).cmp(&period_order(b)));
        Ok(labels)
    }
}

/// Orders period labels: whole numbers numerically, other labels ("2022-23", "2023 Q1") as text.
pub fn period_order(label: &str) -> (u8, u64, &str) {
    match label.parse::<u64>() {
        Ok(n) => (0, n, label),
        Err(_) => (1, 0, label),
    }
}

fn position_of<R: Row>(
    r: &R,
    who: &Who,
    indicator: String,
    period: String,
) -> Result<CouncilPosition, sqlx::Error>
where
    for<'a> i32: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
    for<'a> Option<f64>: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
    for<'a> String: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
    for<'a> Vec<u8>: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
    for<'a> &'a str: sqlx::ColumnIndex<R>,
{
    let v: Vec<u8> = r.try_get("v")?;
    let pl: Vec<u8> = r.try_get("pl")?;
    let mut groups = Vec::with_capacity(who.groups.len());
    for (k, (_, kind, name, members)) in who.groups.iter().enumerate() {
        let g: Vec<u8> = r.try_get(format!("g{k}").as_str())?;
        let mean = codec::group_at(&g);
        groups.push(GroupAverage {
            kind: kind.clone(),
            name: name.clone(),
            mean: mean.map(|m| m.0),
            reported: mean.map_or(0, |m| m.1),
            members: *members,
        });
    }
    Ok(CouncilPosition {
        indicator,
        period,
        polarity: Polarity::parse(&r.try_get::<String, _>("polarity")?).unwrap_or(Polarity::Higher),
        value: codec::value_at(&v),
        place: codec::place_at(&pl),
        england: summary_of(r)?,
        groups,
    })
}
