//! `beacon notify`: write the day's reminders and send what the outbox holds (or, with
//! `--dry-run`, print it); set a person's address and choices and the council's subscribers;
//! list the outbox. Also the scheduler `beacon serve` runs every minute.

use crate::actor::cli_actor;
use crate::args::{MailArgs, NotifyArgs, NotifyCommand};
use crate::mail::Smtp;
use crate::store::AnyStore;
use beacon_app::Governance;
use beacon_app::accounts::username_key;
use beacon_app::notices::contacts::{self, ContactChoice};
use beacon_app::notices::deliver::{DIGEST_HOUR, deliver};
use beacon_app::notices::schedule::remind;
use beacon_app::notices::{Notice, NoticeState, Outbox, check_email};
use beacon_web::paths::PageLinks;
use chrono::{DateTime, Timelike, Utc};
use std::time::Duration;

fn links() -> PageLinks {
    PageLinks::new(std::env::var("BEACON_PUBLIC_ORIGIN").ok().as_deref())
}

/// The mailer `--smtp` names, if any.
pub fn mailer(mail: &MailArgs) -> Result<Option<Smtp>, String> {
    mail.smtp
        .as_deref()
        .filter(|u| !u.trim().is_empty())
        .map(|u| Smtp::new(u, &mail.mail_from))
        .transpose()
}

// The edge reads the clock; the domain is given the time.
#[allow(clippy::disallowed_methods)]
fn now() -> DateTime<Utc> {
    Utc::now()
}

pub async fn run(store: &AnyStore, args: NotifyArgs) -> Result<(), String> {
    match args.command {
        Some(NotifyCommand::Contact {
            username,
            email,
            digest,
            essential_only,
        }) => {
            let user = store
                .user_by_name(&username_key(&username))
                .await
                .map_err(|e| e.to_string())?
                .ok_or_else(|| format!("there is no user {username:?}"))?;
            let choice = ContactChoice {
                email,
                digest,
                essential_only,
            };
            let contact =
                contacts::set_contact(store, user.id, &user.username, &choice, &cli_actor())
                    .await
                    .map_err(|e| format!("--email: {e}"))?;
            println!(
                "{} will be told at {}{}{}.",
                user.username,
                contact.email,
                if digest { ", once a day" } else { "" },
                if essential_only {
                    ", only what their role needs"
                } else {
                    ""
                }
            );
            Ok(())
        }
        Some(NotifyCommand::Subscribe {
            council,
            email,
            remove,
        }) => {
            let email = check_email(&email)?;
            store
                .set_subscriber(&council, &email, !remove)
                .await
                .map_err(|e| e.to_string())?;
            if remove {
                println!("{email} will no longer be told of {council}'s publications.");
            } else {
                println!("{email} will be told of each report {council} publishes.");
            }
            Ok(())
        }
        Some(NotifyCommand::List { council, limit }) => {
            let list = store
                .notices(council.as_ref(), limit)
                .await
                .map_err(|e| e.to_string())?;
            for n in &list {
                println!("{}", line(n));
            }
            Ok(())
        }
        None => send(store, args.dry_run, args.at.unwrap_or_else(now), &args.mail).await,
    }
}

/// One notice as a line of the listing.
fn line(n: &Notice) -> String {
    let when = match n.state() {
        NoticeState::Sent => n.sent_at.map(|t| format!(" at {t}")).unwrap_or_default(),
        NoticeState::Waiting => n
            .due_at
            .map(|t| format!(", next try {t}"))
            .unwrap_or_default(),
        NoticeState::Failed => n.failed_at.map(|t| format!(" at {t}")).unwrap_or_default(),
    };
    let error = n
        .last_error
        .as_deref()
        .map(|e| format!(" ({e})"))
        .unwrap_or_default();
    format!(
        "#{} {}{when}: {} to {}: {}{error}",
        n.id,
        n.state().label(),
        n.notice.kind,
        if n.notice.recipient.is_empty() {
            n.notice.username.as_deref().unwrap_or("?")
        } else {
            &n.notice.recipient
        },
        n.notice.subject
    )
}

async fn send(
    store: &AnyStore,
    dry_run: bool,
    at: DateTime<Utc>,
    mail: &MailArgs,
) -> Result<(), String> {
    let reminders = remind(store, &links(), at, dry_run)
        .await
        .map_err(|e| e.to_string())?;
    if dry_run {
        println!("Would write {} reminder(s):", reminders.due.len());
        for n in &reminders.due {
            let to = if n.recipient.is_empty() {
                "(no address)"
            } else {
                &n.recipient
            };
            println!("\nTo: {to}\nSubject: {}\n\n{}", n.subject, n.body);
        }
        let due = store.due(at, 1000).await.map_err(|e| e.to_string())?;
        println!("\n{} notice(s) waiting to be sent:", due.len());
        for n in &due {
            println!("{}", line(n));
        }
        return Ok(());
    }
    let Some(smtp) = mailer(mail)? else {
        let due = store.due(at, 1000).await.map_err(|e| e.to_string())?;
        println!(
            "{} reminder(s) written; {} notice(s) wait in the outbox: no SMTP server is configured (--smtp or BEACON_SMTP_URL).",
            reminders.written,
            due.len()
        );
        return Ok(());
    };
    let done = deliver(store, &smtp, at).await.map_err(|e| e.to_string())?;
    println!(
        "{} reminder(s) written; {} notice(s) sent in {} message(s), {} to be tried again, {} given up.",
        reminders.written, done.sent, done.messages, done.retrying, done.given_up
    );
    Ok(())
}

/// The scheduler inside `beacon serve`: every minute, the day's reminders (from the digest
/// hour on) and whatever the outbox holds that is due. Errors are logged, never fatal.
pub async fn scheduler(store: AnyStore, mail: MailArgs, links: PageLinks) {
    let smtp = match mailer(&mail) {
        Ok(m) => m,
        Err(e) => {
            tracing::error!(target: "beacon::notices", "notices will not be sent: {e}");
            None
        }
    };
    let mut tick = tokio::time::interval(Duration::from_secs(60));
    loop {
        tick.tick().await;
        let at = now();
        if at.hour() >= DIGEST_HOUR
            && let Err(e) = remind(&store, &links, at, false).await
        {
            tracing::error!(target: "beacon::notices", "writing reminders failed: {e}");
        }
        if let Some(smtp) = &smtp {
            match deliver(&store, smtp, at).await {
                Ok(d) if d.sent + d.retrying + d.given_up > 0 => {
                    tracing::info!(target: "beacon::notices", sent = d.sent, retrying = d.retrying, given_up = d.given_up, "notices delivered");
                }
                Ok(_) => {}
                Err(e) => tracing::error!(target: "beacon::notices", "sending notices failed: {e}"),
            }
        }
    }
}
