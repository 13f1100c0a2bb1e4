//! The council's calendar (migration 0013): the rule in `council_calendars`, the quarters
//! changed by hand in `calendar_quarters`, replaced whole with the audit note.

use crate::SqlStore;
use crate::error::{db, unreadable};
use crate::exec::{Db, Row};
use crate::governance::audit::append;
use beacon_app::StoreError;
use beacon_app::audit::AuditNote;
use beacon_app::calendar::CalendarStore;
use beacon_domain::calendar::{CouncilCalendar, QuarterChange, Rule};
use beacon_domain::organisation::CouncilRef;
use beacon_domain::period::{FinancialYear, QuarterNo};
use chrono::NaiveDate;

fn days(row: &Row, column: &str) -> Result<u16, StoreError> {
    let n: i64 = row.try_get(column).map_err(db("read council_calendars"))?;
    u16::try_from(n).map_err(|e| unreadable("council_calendars", column, &n.to_string(), e))
}

fn date(row: &Row, column: &str) -> Result<Option<NaiveDate>, StoreError> {
    let s: Option<String> = row.try_get(column).map_err(db("read calendar_quarters"))?;
    s.map(|s| {
        s.parse()
            .map_err(|e| unreadable("calendar_quarters", column, &s, e))
    })
    .transpose()
}

async fn read(
    conn: &mut Db<'_>,
    council: &CouncilRef,
) -> Result<Option<CouncilCalendar>, StoreError> {
    let Some(row) = conn
        .sql("SELECT * FROM council_calendars WHERE council_ref = $1")
        .bind(council.as_str())
        .fetch_optional(&mut *conn)
        .await
        .map_err(db("select from council_calendars"))?
    else {
        return Ok(None);
    };
    let board: Option<i64> = row
        .try_get("board_after")
        .map_err(db("read council_calendars"))?;
    let rule = Rule {
        opens_after: days(&row, "opens_after")?,
        closes_after: days(&row, "closes_after")?,
        sign_off_after: days(&row, "sign_off_after")?,
        board_after: board
            .map(|n| {
                u16::try_from(n)
                    .map_err(|e| unreadable("council_calendars", "board_after", &n.to_string(), e))
            })
            .transpose()?,
        papers_before: days(&row, "papers_before")?,
        remind_before: days(&row, "remind_before")?,
        committee: row
            .try_get("committee")
            .map_err(db("read council_calendars"))?,
    };
    let rows = conn
        .sql("SELECT * FROM calendar_quarters WHERE council_ref = $1 ORDER BY year, quarter")
        .bind(council.as_str())
        .fetch_all(&mut *conn)
        .await
        .map_err(db("select from calendar_quarters"))?;
    let mut quarters = Vec::new();
    for r in &rows {
        let y: i64 = r.try_get("year").map_err(db("read calendar_quarters"))?;
        let q: i64 = r.try_get("quarter").map_err(db("read calendar_quarters"))?;
        let year = i32::try_from(y)
            .ok()
            .and_then(|y| FinancialYear::starting(y).ok())
            .ok_or_else(|| unreadable("calendar_quarters", "year", &y.to_string(), "not a year"))?;
        let q = u8::try_from(q)
            .ok()
            .and_then(|q| QuarterNo::from_number(q).ok())
            .ok_or_else(|| {
                unreadable("calendar_quarters", "quarter", &q.to_string(), "not 1 to 4")
            })?;
        quarters.push(QuarterChange {
            quarter: year.quarter(q),
            opens: date(r, "opens")?,
            closes: date(r, "closes")?,
            sign_off: date(r, "sign_off")?,
            papers: date(r, "papers")?,
            board: date(r, "board")?,
        });
    }
    Ok(Some(CouncilCalendar { rule, quarters }))
}

async fn write(
    conn: &mut Db<'_>,
    council: &CouncilRef,
    c: &CouncilCalendar,
    note: &AuditNote,
) -> Result<(), StoreError> {
    // The council's revision moves with its calendar, so pages kept per revision (the council
    // overview's dates) show the change at once, whichever process made it.
    crate::governance::lock_council(conn, council).await?;
    write_rows(conn, council, c).await?;
    append(conn, std::slice::from_ref(note)).await
}

/// Replaces the council's calendar rows, with no audit note (a restore carries its own trail).
pub(crate) async fn write_rows(
    conn: &mut Db<'_>,
    council: &CouncilRef,
    c: &CouncilCalendar,
) -> Result<(), StoreError> {
    conn.sql("DELETE FROM council_calendars WHERE council_ref = $1")
        .bind(council.as_str())
        .execute(&mut *conn)
        .await
        .map_err(db("delete from council_calendars"))?;
    let r = &c.rule;
    conn.sql(
        "INSERT INTO council_calendars (council_ref, opens_after, closes_after, sign_off_after,
            board_after, papers_before, remind_before, committee)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(council.as_str())
    .bind(i64::from(r.opens_after))
    .bind(i64::from(r.closes_after))
    .bind(i64::from(r.sign_off_after))
    .bind(r.board_after.map(i64::from))
    .bind(i64::from(r.papers_before))
    .bind(i64::from(r.remind_before))
    .bind(r.committee.as_str())
    .execute(&mut *conn)
    .await
    .map_err(db("insert into council_calendars"))?;
    for q in &c.quarters {
        let iso = |d: Option<NaiveDate>| d.map(|d| d.format("%Y-%m-%d").to_string());
        conn.sql(
            "INSERT INTO calendar_quarters (council_ref, year, quarter, opens, closes, sign_off,
                papers, board)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(council.as_str())
        .bind(i64::from(q.quarter.year.start_year()))
        .bind(i64::from(q.quarter.q.number()))
        .bind(iso(q.opens))
        .bind(iso(q.closes))
        .bind(iso(q.sign_off))
        .bind(iso(q.papers))
        .bind(iso(q.board))
        .execute(&mut *conn)
        .await
        .map_err(db("insert into calendar_quarters"))?;
    }
    Ok(())
}

impl CalendarStore for SqlStore {
    async fn calendar(&self, council: &CouncilRef) -> Result<Option<CouncilCalendar>, StoreError> {
        read(&mut self.conn().await?.db(), council).await
    }

    async fn set_calendar(
        &self,
        council: &CouncilRef,
        calendar: &CouncilCalendar,
        note: &AuditNote,
    ) -> Result<(), StoreError> {
        let mut tx = self.write_tx().await?;
        let r = write(&mut tx.db(), council, calendar, note).await;
        tx.finish(r).await
    }
}
