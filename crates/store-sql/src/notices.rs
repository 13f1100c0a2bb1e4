//! The outbox (migration 0013): notices written once by their key, the ones due, marking them
//! sent or failed; each person's address and choices; the council's subscribers. A step and
//! its notices are written in one transaction.

use crate::SqlStore;
use crate::error::{db, unreadable};
use crate::exec::{Db, Row};
use crate::governance::transition;
use beacon_app::StoreError;
use beacon_app::audit::{AuditNote, parse_stamp, stamp};
use beacon_app::lifecycle::Transition;
use beacon_app::migrate::NoticeDump;
use beacon_app::notices::{Contact, Delivery, NewNotice, Notice, NoticeKind, Outbox};
use beacon_app::publication::Publication;
use beacon_domain::organisation::CouncilRef;
use chrono::{DateTime, Utc};

fn time(column: &str, s: Option<String>) -> Result<Option<DateTime<Utc>>, StoreError> {
    s.map(|s| parse_stamp(&s).ok_or_else(|| unreadable("notices", column, &s, "not a time")))
        .transpose()
}

fn get<T>(row: &Row, column: &str) -> Result<T, StoreError>
where
    T: for<'r> sqlx::Decode<'r, sqlx::Sqlite>
        + sqlx::Type<sqlx::Sqlite>
        + for<'r> sqlx::Decode<'r, sqlx::Postgres>
        + sqlx::Type<sqlx::Postgres>,
{
    row.try_get(column).map_err(db("read notices"))
}

fn delivery(s: &str) -> Result<Delivery, StoreError> {
    match s {
        "each" => Ok(Delivery::Each),
        "digest" => Ok(Delivery::Digest),
        _ => Err(unreadable("notices", "delivery", s, "not each or digest")),
    }
}

/// A row of `notice_contacts` (its scope in the column `scope`, which a join may rename).
pub(crate) fn contact(r: &Row, scope: &str) -> Result<Contact, StoreError> {
    let d: String = get(r, "delivery")?;
    let scope: String = get(r, scope)?;
    Ok(Contact {
        user_id: get(r, "user_id")?,
        email: get(r, "email")?,
        delivery: delivery(&d)?,
        essential_only: scope == "essential",
    })
}

fn notice(row: &Row) -> Result<Notice, StoreError> {
    let council: String = get(row, "council_ref")?;
    let kind: String = get(row, "kind")?;
    let created: String = get(row, "created_at")?;
    let d: String = get(row, "delivery")?;
    Ok(Notice {
        id: get(row, "id")?,
        notice: NewNotice {
            council: council
                .parse()
                .map_err(|e| unreadable("notices", "council_ref", &council, e))?,
            kind: NoticeKind::parse(&kind)
                .ok_or_else(|| unreadable("notices", "kind", &kind, "not a kind of notice"))?,
            dedupe: get(row, "dedupe")?,
            recipient: get(row, "recipient")?,
            username: get(row, "username")?,
            subject: get(row, "subject")?,
            body: get(row, "body")?,
            delivery: delivery(&d)?,
        },
        created_at: time("created_at", Some(created))?.unwrap_or_default(),
        due_at: time("due_at", get(row, "due_at")?)?,
        attempts: get(row, "attempts")?,
        sent_at: time("sent_at", get(row, "sent_at")?)?,
        failed_at: time("failed_at", get(row, "failed_at")?)?,
        last_error: get(row, "last_error")?,
    })
}

async fn enqueue(
    conn: &mut Db<'_>,
    notices: &[(NewNotice, DateTime<Utc>)],
    at: DateTime<Utc>,
) -> Result<usize, StoreError> {
    let mut new = 0;
    for (n, due) in notices {
        let done = conn
            .sql(
                "INSERT INTO notices (council_ref, kind, dedupe, recipient, username, subject, body,
                    delivery, created_at, due_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
                 ON CONFLICT (dedupe) DO NOTHING",
            )
            .bind(n.council.as_str())
            .bind(n.kind.as_str())
            .bind(n.dedupe.as_str())
            .bind(n.recipient.as_str())
            .bind(n.username.clone())
            .bind(n.subject.as_str())
            .bind(n.body.as_str())
            .bind(n.delivery.as_str())
            .bind(stamp(at))
            .bind(stamp(*due))
            .execute(&mut *conn)
            .await
            .map_err(db("insert into notices"))?;
        new += usize::try_from(done).unwrap_or(0);
    }
    Ok(new)
}

/// Writes calendars, addresses, subscribers and the outbox verbatim (`restore`): notices keep
/// their ids, so a message sent again after the move carries the same `Message-ID`.
pub(crate) async fn restore(conn: &mut Db<'_>, dump: &NoticeDump) -> Result<(), StoreError> {
    for (council, calendar) in &dump.calendars {
        crate::calendar::write_rows(conn, council, calendar).await?;
    }
    for c in &dump.contacts {
        conn.sql(
            "INSERT INTO notice_contacts (user_id, email, delivery, scope) VALUES ($1, $2, $3, $4)",
        )
        .bind(c.user_id)
        .bind(c.email.as_str())
        .bind(c.delivery.as_str())
        .bind(if c.essential_only { "essential" } else { "all" })
        .execute(&mut *conn)
        .await
        .map_err(db("insert into notice_contacts"))?;
    }
    for (council, email) in &dump.subscribers {
        conn.sql("INSERT INTO notice_subscribers (council_ref, email) VALUES ($1, $2)")
            .bind(council.as_str())
            .bind(email.as_str())
            .execute(&mut *conn)
            .await
            .map_err(db("insert into notice_subscribers"))?;
    }
    for n in &dump.outbox {
        restore_notice(conn, n).await?;
    }
    let top = dump.outbox.iter().map(|n| n.id).max();
    if let (Some(top), Some(sql)) = (top, conn.dialect.after_restoring_notices) {
        conn.sql(sql)
            .bind(top)
            .execute(&mut *conn)
            .await
            .map_err(db("move the notices id sequence on"))?;
    }
    Ok(())
}

async fn restore_notice(conn: &mut Db<'_>, n: &Notice) -> Result<(), StoreError> {
    let k = &n.notice;
    conn.sql(format!(
        "INSERT INTO notices (id, council_ref, kind, dedupe, recipient, username, subject, body,
            delivery, created_at, due_at, attempts, sent_at, failed_at, last_error) {}
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)",
        conn.dialect.keep_ids
    ))
    .bind(n.id)
    .bind(k.council.as_str())
    .bind(k.kind.as_str())
    .bind(k.dedupe.as_str())
    .bind(k.recipient.as_str())
    .bind(k.username.clone())
    .bind(k.subject.as_str())
    .bind(k.body.as_str())
    .bind(k.delivery.as_str())
    .bind(stamp(n.created_at))
    .bind(n.due_at.map(stamp))
    .bind(n.attempts)
    .bind(n.sent_at.map(stamp))
    .bind(n.failed_at.map(stamp))
    .bind(n.last_error.clone())
    .execute(&mut *conn)
    .await
    .map(|_| ())
    .map_err(db("insert into notices"))
}

impl Outbox for SqlStore {
    async fn transition_with_notices(
        &self,
        step: &Transition,
        publication: Option<&Publication>,
        notes: &[AuditNote],
        notices: &[(NewNotice, DateTime<Utc>)],
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let mut tx = self.write_tx().await?;
        let mut c = tx.db();
        let r = match transition(&mut c, step, publication, notes).await {
            Ok(()) => enqueue(&mut c, notices, at).await.map(|_| ()),
            Err(e) => Err(e),
        };
        tx.finish(r).await
    }

    async fn enqueue(
        &self,
        notices: &[(NewNotice, DateTime<Utc>)],
        at: DateTime<Utc>,
    ) -> Result<usize, StoreError> {
        let mut tx = self.write_tx().await?;
        let r = enqueue(&mut tx.db(), notices, at).await;
        tx.finish(r).await
    }

    async fn due(&self, now: DateTime<Utc>, limit: i64) -> Result<Vec<Notice>, StoreError> {
        let mut conn = self.conn().await?;
        let mut c = conn.db();
        let rows = c
            .sql("SELECT * FROM notices WHERE due_at IS NOT NULL AND due_at <= $1 ORDER BY id LIMIT $2")
            .bind(stamp(now))
            .bind(limit)
            .fetch_all(&mut c)
            .await
            .map_err(db("select from notices"))?;
        rows.iter().map(notice).collect()
    }

    async fn claim(
        &self,
        ids: &[i64],
        now: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> Result<Vec<i64>, StoreError> {
        let mut tx = self.write_tx().await?;
        let mut c = tx.db();
        let mut claimed = Vec::new();
        let mut r = Ok(());
        for id in ids {
            match c
                .sql("UPDATE notices SET due_at = $1 WHERE id = $2 AND sent_at IS NULL AND due_at IS NOT NULL AND due_at <= $3")
                .bind(stamp(until))
                .bind(*id)
                .bind(stamp(now))
                .execute(&mut c)
                .await
            {
                Ok(1) => claimed.push(*id),
                Ok(_) => {}
                Err(e) => {
                    r = Err(db("update notices")(e));
                    break;
                }
            }
        }
        tx.finish(r.map(|()| claimed)).await
    }

    async fn mark_sent(&self, ids: &[i64], at: DateTime<Utc>) -> Result<u64, StoreError> {
        let mut tx = self.write_tx().await?;
        let mut c = tx.db();
        let mut n = 0;
        let mut r = Ok(());
        for id in ids {
            match c
                .sql("UPDATE notices SET sent_at = $1, due_at = NULL, failed_at = NULL, attempts = attempts + 1 WHERE id = $2 AND sent_at IS NULL")
                .bind(stamp(at))
                .bind(*id)
                .execute(&mut c)
                .await
            {
                Ok(x) => n += x,
                Err(e) => {
                    r = Err(db("update notices")(e));
                    break;
                }
            }
        }
        tx.finish(r.map(|()| n)).await
    }

    async fn mark_failed(
        &self,
        id: i64,
        at: DateTime<Utc>,
        error: &str,
        retry: Option<DateTime<Utc>>,
    ) -> Result<(), StoreError> {
        let mut tx = self.write_tx().await?;
        let mut c = tx.db();
        let r = c
            .sql(
                "UPDATE notices SET attempts = attempts + 1, last_error = $1, due_at = $2,
                    failed_at = $3 WHERE id = $4 AND sent_at IS NULL",
            )
            .bind(error)
            .bind(retry.map(stamp))
            .bind(retry.is_none().then(|| stamp(at)))
            .bind(id)
            .execute(&mut c)
            .await
            .map(|_| ())
            .map_err(db("update notices"));
        tx.finish(r).await
    }

    async fn notices(
        &self,
        council: Option<&CouncilRef>,
        limit: i64,
    ) -> Result<Vec<Notice>, StoreError> {
        let mut conn = self.conn().await?;
        let mut c = conn.db();
        let q = match council {
            Some(k) => c
                .sql("SELECT * FROM notices WHERE council_ref = $1 ORDER BY id DESC LIMIT $2")
                .bind(k.as_str()),
            None => c
                .sql("SELECT * FROM notices WHERE $1 = $1 ORDER BY id DESC LIMIT $2")
                .bind(""),
        };
        let rows = q
            .bind(limit)
            .fetch_all(&mut c)
            .await
            .map_err(db("select from notices"))?;
        rows.iter().map(notice).collect()
    }

    async fn contacts(&self) -> Result<Vec<Contact>, StoreError> {
        let mut conn = self.conn().await?;
        let mut c = conn.db();
        let rows = c
            .sql("SELECT * FROM notice_contacts ORDER BY user_id")
            .fetch_all(&mut c)
            .await
            .map_err(db("select from notice_contacts"))?;
        rows.iter().map(|r| contact(r, "scope")).collect()
    }

    async fn set_contact(&self, contact: &Contact, note: &AuditNote) -> Result<(), StoreError> {
        let mut tx = self.write_tx().await?;
        let mut c = tx.db();
        let r = match c
            .sql(
                "INSERT INTO notice_contacts (user_id, email, delivery, scope) VALUES ($1, $2, $3, $4)
                 ON CONFLICT (user_id) DO UPDATE SET email = excluded.email,
                    delivery = excluded.delivery, scope = excluded.scope",
            )
            .bind(contact.user_id)
            .bind(contact.email.as_str())
            .bind(contact.delivery.as_str())
            .bind(if contact.essential_only { "essential" } else { "all" })
            .execute(&mut c)
            .await
            .map_err(db("write notice_contacts"))
        {
            Ok(_) => crate::governance::audit::append(&mut c, std::slice::from_ref(note)).await,
            Err(e) => Err(e),
        };
        tx.finish(r).await
    }

    async fn subscribers(&self, council: &CouncilRef) -> Result<Vec<String>, StoreError> {
        let mut conn = self.conn().await?;
        let mut c = conn.db();
        let rows = c
            .sql("SELECT email FROM notice_subscribers WHERE council_ref = $1 ORDER BY email")
            .bind(council.as_str())
            .fetch_all(&mut c)
            .await
            .map_err(db("select from notice_subscribers"))?;
        rows.iter().map(|r| get(r, "email")).collect()
    }

    async fn set_subscriber(
        &self,
        council: &CouncilRef,
        email: &str,
        subscribed: bool,
    ) -> Result<(), StoreError> {
        let sql: &'static str = if subscribed {
            "INSERT INTO notice_subscribers (council_ref, email) VALUES ($1, $2) ON CONFLICT DO NOTHING"
        } else {
            "DELETE FROM notice_subscribers WHERE council_ref = $1 AND email = $2"
        };
        let mut tx = self.write_tx().await?;
        let mut c = tx.db();
        let r = c
            .sql(sql)
            .bind(council.as_str())
            .bind(email)
            .execute(&mut c)
            .await
            .map(|_| ())
            .map_err(db("write notice_subscribers"));
        tx.finish(r).await
    }
}
