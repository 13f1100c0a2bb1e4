//! The national set's tables (migration 0006) on SQLite or PostgreSQL, taking the store's pool.
//! The same SQL runs on both (`$n` parameters, `ON CONFLICT`, `substr` of bytes); only the bulk
//! write differs: prepared inserts in one transaction on SQLite, binary `COPY` on PostgreSQL.

use crate::catalog::{Catalog, Group, NationalIndicator};
use crate::model::{CouncilType, Polarity, RegisteredCouncil};
use crate::problem::NationalError;
use sqlx::Row;
use sqlx::{PgPool, SqlitePool};

/// The database the national set lives in.
#[derive(Debug, Clone)]
pub enum NationalDb {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// Runs the same code on whichever pool: the body is compiled once per backend.
macro_rules! on_pool {
    ($db:expr, $p:ident => $body:expr) => {
        match $db {
            NationalDb::Sqlite($p) => $body,
            NationalDb::Postgres($p) => $body,
        }
    };
}
pub(crate) use on_pool;

/// One slice ready to store.
pub struct SliceRow {
    pub period: u32,
    pub indicator: u32,
    pub polarity: Polarity,
    pub summary: Option<crate::position::Summary>,
    pub vals: Vec<u8>,
    pub positions: Vec<u8>,
    pub group_means: Vec<u8>,
}

impl NationalDb {
    /// Reads the register, indicators, periods and groups.
    pub async fn catalog(&self) -> Result<Catalog, NationalError> {
        on_pool!(self, p => {
            let councils = sqlx::query("SELECT slot, code, name, region, kind FROM national_councils ORDER BY slot")
                .fetch_all(p).await?
                .iter()
                .map(|r| Ok(RegisteredCouncil {
                    code: r.try_get("code")?,
                    name: r.try_get("name")?,
                    region: r.try_get("region")?,
                    kind: r.try_get::<Option<String>, _>("kind")?.as_deref().and_then(CouncilType::from_key),
                }))
                .collect::<Result<Vec<_>, sqlx::Error>>()?;
            let indicators = sqlx::query("SELECT code, name, polarity, polarity_stated FROM national_indicators ORDER BY id")
                .fetch_all(p).await?
                .iter()
                .map(|r| Ok(NationalIndicator {
                    code: r.try_get("code")?,
                    name: r.try_get("name")?,
                    polarity: Polarity::parse(&r.try_get::<String, _>("polarity")?).unwrap_or(Polarity::Higher),
                    polarity_stated: r.try_get("polarity_stated")?,
                }))
                .collect::<Result<Vec<_>, sqlx::Error>>()?;
            let periods = sqlx::query("SELECT label FROM national_periods ORDER BY id")
                .fetch_all(p).await?
                .iter()
                .map(|r| r.try_get("label"))
                .collect::<Result<Vec<String>, sqlx::Error>>()?;
            let mut groups = sqlx::query("SELECT id, kind, name, owner FROM national_groups ORDER BY id")
                .fetch_all(p).await?
                .iter()
                .map(|r| Ok(Group {
                    kind: r.try_get("kind")?,
                    name: r.try_get("name")?,
                    owner: r.try_get::<Option<i32>, _>("owner")?.map(|o| o as u32),
                    members: Vec::new(),
                }))
                .collect::<Result<Vec<_>, sqlx::Error>>()?;
            for r in sqlx::query("SELECT group_id, council FROM national_group_members ORDER BY group_id, council")
                .fetch_all(p).await?
            {
                let g: i32 = r.try_get("group_id")?;
                let c: i32 = r.try_get("council")?;
                if let Some(g) = groups.get_mut(g as usize) {
                    g.members.push(c as u32);
                }
            }
            Ok(Catalog::from_parts(councils, indicators, periods, groups))
        })
    }

    /// Every stored slice's (indicator, period).
    pub async fn slice_keys(&self) -> Result<Vec<(u32, u32)>, NationalError> {
        on_pool!(self, p => {
            sqlx::query("SELECT indicator_id, period_id FROM national_slices")
                .fetch_all(p).await?
                .iter()
                .map(|r| Ok((r.try_get::<i32, _>(0)? as u32, r.try_get::<i32, _>(1)? as u32)))
                .collect::<Result<Vec<_>, sqlx::Error>>()
                .map_err(NationalError::from)
        })
    }

    /// Stored slices' values by slot, by (indicator, period), for those of `keys` stored.
    pub async fn slices_values(
        &self,
        keys: &[(u32, u32)],
    ) -> Result<std::collections::HashMap<(u32, u32), Vec<f64>>, NationalError> {
        let mut out = std::collections::HashMap::with_capacity(keys.len());
        for chunk in keys.chunks(CATALOG_ROWS) {
            let rows = on_pool!(self, p => {
                let mut q = sqlx::QueryBuilder::new(
                    "SELECT indicator_id, period_id, vals FROM national_slices \
                     WHERE (period_id, indicator_id) IN (",
                );
                q.push_values(chunk, |mut b, (indicator, period)| {
                    b.push_bind(*period as i32).push_bind(*indicator as i32);
                });
                q.push(")");
                q.build()
                    .fetch_all(p)
                    .await?
                    .iter()
                    .map(|r| {
                        Ok((
                            (r.try_get::<i32, _>(0)? as u32, r.try_get::<i32, _>(1)? as u32),
                            crate::codec::decode_values(&r.try_get::<Vec<u8>, _>(2)?),
                        ))
                    })
                    .collect::<Result<Vec<_>, sqlx::Error>>()?
            });
            out.extend(rows);
        }
        Ok(out)
    }
}

/// Rows a catalog statement writes at most: each multi-row statement is one hand-off to
/// SQLite's worker or one round trip to PostgreSQL, where a statement a row cost a load of a few
/// councils more than its slices did; a few thousand values a statement stay well inside
/// either's limit on parameters.
pub const CATALOG_ROWS: usize = 500;

/// Writes the catalog inside a transaction: councils, indicators and periods upserted (never
/// removed: stored arrays are indexed by them), groups replaced. `$db` is the database type
/// (`Sqlite` or `Postgres`); rows go out [`CATALOG_ROWS`] to a statement.
macro_rules! write_catalog {
    ($tx:expr, $c:expr, $db:ty) => {{
        let tx = $tx;
        let c: &Catalog = $c;
        let councils: Vec<_> = c.councils.iter().enumerate().collect();
        for chunk in councils.chunks($crate::db::CATALOG_ROWS) {
            let mut q = sqlx::QueryBuilder::<$db>::new(
                "INSERT INTO national_councils (slot, code, name, region, kind) ",
            );
            q.push_values(chunk, |mut b, (slot, k)| {
                b.push_bind(*slot as i32)
                    .push_bind(&k.code)
                    .push_bind(&k.name)
                    .push_bind(&k.region)
                    .push_bind(k.kind.map($crate::model::CouncilType::key));
            });
            q.push(
                " ON CONFLICT (slot) DO UPDATE SET code = excluded.code, name = excluded.name, \
                 region = excluded.region, kind = excluded.kind",
            );
            q.build().execute(&mut **tx).await?;
        }
        let indicators: Vec<_> = c.indicators.iter().enumerate().collect();
        for chunk in indicators.chunks($crate::db::CATALOG_ROWS) {
            let mut q = sqlx::QueryBuilder::<$db>::new(
                "INSERT INTO national_indicators (id, code, name, polarity, polarity_stated) ",
            );
            q.push_values(chunk, |mut b, (id, i)| {
                b.push_bind(*id as i32)
                    .push_bind(&i.code)
                    .push_bind(&i.name)
                    .push_bind(i.polarity.key())
                    .push_bind(i.polarity_stated);
            });
            q.push(
                " ON CONFLICT (id) DO UPDATE SET code = excluded.code, name = excluded.name, \
                 polarity = excluded.polarity, polarity_stated = excluded.polarity_stated",
            );
            q.build().execute(&mut **tx).await?;
        }
        let periods: Vec<_> = c.periods.iter().enumerate().collect();
        for chunk in periods.chunks($crate::db::CATALOG_ROWS) {
            let mut q = sqlx::QueryBuilder::<$db>::new("INSERT INTO national_periods (id, label) ");
            q.push_values(chunk, |mut b, (id, label)| {
                b.push_bind(*id as i32).push_bind(*label);
            });
            q.push(" ON CONFLICT (id) DO NOTHING");
            q.build().execute(&mut **tx).await?;
        }
        sqlx::query("DELETE FROM national_group_members")
            .execute(&mut **tx)
            .await?;
        sqlx::query("DELETE FROM national_groups")
            .execute(&mut **tx)
            .await?;
        let groups: Vec<_> = c.groups.iter().enumerate().collect();
        for chunk in groups.chunks($crate::db::CATALOG_ROWS) {
            let mut q = sqlx::QueryBuilder::<$db>::new(
                "INSERT INTO national_groups (id, kind, name, owner) ",
            );
            q.push_values(chunk, |mut b, (id, g)| {
                b.push_bind(*id as i32)
                    .push_bind(&g.kind)
                    .push_bind(&g.name)
                    .push_bind(g.owner.map(|o| o as i32));
            });
            q.build().execute(&mut **tx).await?;
        }
        let members: Vec<(i32, i32)> = c
            .groups
            .iter()
            .enumerate()
            .flat_map(|(id, g)| g.members.iter().map(move |m| (id as i32, *m as i32)))
            .collect();
        for chunk in members.chunks($crate::db::CATALOG_ROWS) {
            let mut q = sqlx::QueryBuilder::<$db>::new(
                "INSERT INTO national_group_members (group_id, council) ",
            );
            q.push_values(chunk, |mut b, (group, council)| {
                b.push_bind(*group).push_bind(*council);
            });
            q.build().execute(&mut **tx).await?;
        }
    }};
}
pub(crate) use write_catalog;

/// The statement that moves the set's revision on (migration 0017), run in the transaction of
/// every write to the set: a load, a contribution, groups, a link.
pub const BUMP_REVISION: &str = "UPDATE national_revision SET revision = revision + 1 WHERE id = 1";

/// Removes the stored slices about to be written again, given as (indicator, period),
/// [`CATALOG_ROWS`] to a statement. `$db` is the database type (`Sqlite` or `Postgres`).
macro_rules! delete_slices {
    ($tx:expr, $keys:expr, $db:ty) => {{
        let keys: &[(u32, u32)] = $keys;
        for chunk in keys.chunks($crate::db::CATALOG_ROWS) {
            let mut q = sqlx::QueryBuilder::<$db>::new(
                "DELETE FROM national_slices WHERE (period_id, indicator_id) IN (",
            );
            q.push_values(chunk, |mut b, (indicator, period)| {
                b.push_bind(*period as i32).push_bind(*indicator as i32);
            });
            q.push(")");
            q.build().execute(&mut **$tx).await?;
        }
    }};
}
pub(crate) use delete_slices;

/// The columns of a stored slice, in the order both writers give them.
pub const SLICE_COLUMNS: &str = "period_id, indicator_id, polarity, count, mean, min, max, q1, \
                                 median, q3, vals, positions, group_means";

/// A Beacon council's place in the national set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    /// Its code in the national register.
    pub code: String,
    /// Whether its published values go into the national set when it publishes.
    pub contribute: bool,
}

impl NationalDb {
    /// Records a Beacon council's code in the national register, and whether it contributes.
    pub async fn link(
        &self,
        council: &str,
        code: &str,
        contribute: bool,
    ) -> Result<(), NationalError> {
        crate::model::check_text(code, "national code").map_err(NationalError::NotFound)?;
        on_pool!(self, p => {
            let mut tx = p.begin().await?;
            sqlx::query(
                "INSERT INTO national_links (council, code, contribute) VALUES ($1, $2, $3) \
                 ON CONFLICT (council) DO UPDATE SET code = excluded.code, contribute = excluded.contribute")
                .bind(council).bind(code).bind(contribute)
                .execute(&mut *tx).await?;
            sqlx::query(BUMP_REVISION).execute(&mut *tx).await?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// The set's revision: a number that moves on with every load, contribution, groups file
    /// and link, whichever process made it. Reading it is one primary-key lookup, so a page
    /// cache can ask it on every request.
    pub async fn revision(&self) -> Result<i64, NationalError> {
        on_pool!(self, p => {
            let r: Option<i64> = sqlx::query_scalar("SELECT revision FROM national_revision WHERE id = 1")
                .fetch_optional(p).await?;
            Ok(r.unwrap_or(0))
        })
    }

    /// A Beacon council's link to the national set, if it has one.
    pub async fn link_of(&self, council: &str) -> Result<Option<Link>, NationalError> {
        on_pool!(self, p => {
            let row = sqlx::query("SELECT code, contribute FROM national_links WHERE council = $1")
                .bind(council).fetch_optional(p).await?;
            match row {
                None => Ok(None),
                Some(r) => Ok(Some(Link { code: r.try_get(0)?, contribute: r.try_get(1)? })),
            }
        })
    }

    /// A national indicator's name, polarity and whether the polarity was stated.
    pub async fn indicator(&self, code: &str) -> Result<Option<NationalIndicator>, NationalError> {
        on_pool!(self, p => {
            let row = sqlx::query("SELECT code, name, polarity, polarity_stated FROM national_indicators WHERE code = $1")
                .bind(code).fetch_optional(p).await?;
            match row {
                None => Ok(None),
                Some(r) => Ok(Some(NationalIndicator {
                    code: r.try_get("code")?,
                    name: r.try_get("name")?,
                    polarity: Polarity::parse(&r.try_get::<String, _>("polarity")?).unwrap_or(Polarity::Higher),
                    polarity_stated: r.try_get("polarity_stated")?,
                })),
            }
        })
    }
}
