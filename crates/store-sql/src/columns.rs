//! Reading a row's columns back into domain values, with errors that name the table, the
//! column and the stored value.

use crate::error::unreadable;
use crate::exec::Row;
use beacon_app::StoreError;
use beacon_domain::budget::Amounts;
use beacon_domain::measure::Measure;
use beacon_domain::money::Pence;
use beacon_domain::objective::Due;
use beacon_domain::risk::RiskAssessment;
use rust_decimal::Decimal;
use sqlx::{Decode, Postgres, Sqlite, Type};
use std::fmt::Display;
use std::str::FromStr;

/// One row of a named table.
pub(crate) struct Cols<'r> {
    row: &'r Row,
    table: &'static str,
}

impl<'r> Cols<'r> {
    pub(crate) fn new(table: &'static str, row: &'r Row) -> Self {
        Cols { row, table }
    }

    /// A column as sqlx decodes it.
    pub(crate) fn get<T>(&self, column: &str) -> Result<T, StoreError>
    where
        T: Decode<'r, Sqlite> + Type<Sqlite> + Decode<'r, Postgres> + Type<Postgres>,
    {
        self.row
            .try_get(column)
            .map_err(|e| StoreError::Failed(format!("{}.{column}: {e}", self.table)))
    }

    /// A BIGINT column: the row's `id`, a parent id or a count.
    pub(crate) fn id(&self, column: &str) -> Result<i64, StoreError> {
        self.get(column)
    }

    fn read<T>(&self, column: &str, text: &str) -> Result<T, StoreError>
    where
        T: FromStr,
        T::Err: Display,
    {
        text.parse()
            .map_err(|e| unreadable(self.table, column, text, e))
    }

    /// A text column parsed as the domain value it holds.
    pub(crate) fn parse<T>(&self, column: &str) -> Result<T, StoreError>
    where
        T: FromStr,
        T::Err: Display,
    {
        let text: String = self.get(column)?;
        self.read(column, &text)
    }

    /// A nullable text column parsed as the domain value it holds.
    pub(crate) fn parse_opt<T>(&self, column: &str) -> Result<Option<T>, StoreError>
    where
        T: FromStr,
        T::Err: Display,
    {
        let text: Option<String> = self.get(column)?;
        text.map(|t| self.read(column, &t)).transpose()
    }

    /// A list of words, each parsed as the domain value it holds.
    pub(crate) fn list<T>(&self, column: &str) -> Result<Vec<T>, StoreError>
    where
        T: FromStr,
        T::Err: Display,
    {
        let words = self
            .row
            .words(column)
            .map_err(|e| StoreError::Failed(format!("{}.{column}: {e}", self.table)))?;
        words.iter().map(|w| self.read(column, w)).collect()
    }

    /// A BIGINT column that must fit `T`.
    pub(crate) fn big<T>(&self, column: &str) -> Result<T, StoreError>
    where
        T: TryFrom<i64>,
        T::Error: Display,
    {
        let n: i64 = self.get(column)?;
        T::try_from(n).map_err(|e| unreadable(self.table, column, &n.to_string(), e))
    }

    /// A nullable BIGINT column that must fit `T`.
    pub(crate) fn opt_big<T>(&self, column: &str) -> Result<Option<T>, StoreError>
    where
        T: TryFrom<i64>,
        T::Error: Display,
    {
        let n: Option<i64> = self.get(column)?;
        n.map(|n| T::try_from(n).map_err(|e| unreadable(self.table, column, &n.to_string(), e)))
            .transpose()
    }

    /// A nullable INTEGER column that must fit `T`.
    pub(crate) fn opt_int<T>(&self, column: &str) -> Result<Option<T>, StoreError>
    where
        T: TryFrom<i32>,
        T::Error: Display,
    {
        let n: Option<i32> = self.get(column)?;
        n.map(|n| T::try_from(n).map_err(|e| unreadable(self.table, column, &n.to_string(), e)))
            .transpose()
    }

    /// The measure in the columns `text`, `number`, `qualifiers` and `as_at`.
    pub(crate) fn measure(&self) -> Result<Measure, StoreError> {
        let text: String = self.get("text")?;
        let number: Option<Decimal> = self.parse_opt("number")?;
        let measure = Measure::new(
            &text,
            number,
            self.list("qualifiers")?,
            self.parse_opt("as_at")?,
        )
        .map_err(|e| unreadable(self.table, "text", &text, e))?;
        if measure.text() != text {
            return Err(unreadable(self.table, "text", &text, "it is not trimmed"));
        }
        Ok(measure)
    }

    /// A milestone's due date from `due_kind` and `due`, or `due_written`.
    pub(crate) fn due(&self) -> Result<Due, StoreError> {
        if let Some(written) = self.parse_opt::<Due>("due_written")? {
            return Ok(written);
        }
        let kind: Option<String> = self.get("due_kind")?;
        let text: Option<String> = self.get("due")?;
        match (kind.as_deref(), text) {
            (None, None) => Ok(Due::None),
            (Some("month"), Some(t)) => self.read("due", &t).map(Due::Month),
            (Some("day"), Some(t)) => self.read("due", &t).map(Due::Day),
            (Some("recurring"), Some(t)) => Ok(Due::Recurring(t)),
            (k, t) => Err(unreadable(
                self.table,
                "due_kind",
                k.unwrap_or("NULL"),
                format!("not a due date kind to go with due {t:?}"),
            )),
        }
    }

    /// A risk assessment from `score`, `likelihood`, `impact` and `band`.
    pub(crate) fn assessment(&self) -> Result<RiskAssessment, StoreError> {
        Ok(RiskAssessment {
            score: self.opt_int("score")?,
            likelihood: self.opt_int("likelihood")?,
            impact: self.opt_int("impact")?,
            band: self.parse_opt("band")?,
        })
    }

    /// Three amounts in pence from the BIGINT columns `{prefix}annual`, `{prefix}to_date` and
    /// `{prefix}spent`; `None` when all three are NULL.
    pub(crate) fn amounts(&self, prefix: &str) -> Result<Option<Amounts>, StoreError> {
        let names = [
            format!("{prefix}annual"),
            format!("{prefix}to_date"),
            format!("{prefix}spent"),
        ];
        let [a, t, s] = [
            self.get::<Option<i64>>(&names[0])?,
            self.get::<Option<i64>>(&names[1])?,
            self.get::<Option<i64>>(&names[2])?,
        ];
        match (a, t, s) {
            (Some(a), Some(t), Some(s)) => Ok(Some(Amounts {
                annual: Pence(a),
                to_date: Pence(t),
                spent: Pence(s),
            })),
            (None, None, None) => Ok(None),
            other => Err(unreadable(
                self.table,
                &names[0],
                &format!("{other:?}"),
                "the three amounts must be all set or all NULL",
            )),
        }
    }
}
