//! Writing notices: who is told of a step in a quarter's life, and who is reminded that
//! collection closes; each in plain English with a link to the page to act on. Pure.

use super::deliver::digest_time;
use super::{Contact, Delivery, NewNotice, NoticeKind};
use crate::access::Role;
use crate::accounts::UserRecord;
use crate::audit::Actor;
use crate::dataset::CouncilData;
use crate::lifecycle::{Step, Transition};
use crate::missing::MissingReport;
use crate::publication::PublicationMeta;
use beacon_domain::Ref;
use beacon_domain::calendar::{QuarterDates, Reminder};
use beacon_domain::period::Quarter;
use chrono::{DateTime, Utc};

/// The links a notice carries, built by the edge that serves the pages (`web::paths`).
pub trait Links {
    /// The page where a unit's quarter is entered.
    fn entry(&self, council: &str, quarter: Quarter, unit: &str) -> String;
    /// The page where a unit's quarter is submitted, signed off and published.
    fn sign_off(&self, council: &str, quarter: Quarter, unit: &str) -> String;
    /// The public page of a unit's published quarter.
    fn publication(&self, council: &str, unit: &str, quarter: Quarter) -> String;
}

/// Who may be told: the users, their addresses and choices, and the council's subscribers.
#[derive(Debug, Clone, Copy)]
pub struct Audience<'a> {
    pub users: &'a [UserRecord],
    pub contacts: &'a [Contact],
    pub subscribers: &'a [String],
}

/// What every notice of one event shares.
struct Event<'a> {
    data: &'a CouncilData,
    kind: NoticeKind,
    key: String,
    subject: String,
    body: String,
    at: DateTime<Utc>,
}

impl Event<'_> {
    /// The notice to one user, at their address, at the time their choice says; none if they
    /// turned this kind off.
    fn to_user(&self, a: &Audience<'_>, user: &UserRecord) -> Option<(NewNotice, DateTime<Utc>)> {
        let contact = a.contacts.iter().find(|c| c.user_id == user.id);
        if contact.is_some_and(|c| c.essential_only && !self.kind.essential()) {
            return None;
        }
        let delivery = contact.map_or(Delivery::Each, |c| c.delivery);
        let due = match delivery {
            Delivery::Each => self.at,
            Delivery::Digest => digest_time(self.at),
        };
        Some((
            NewNotice {
                council: self.data.council.reference.clone(),
                kind: self.kind,
                dedupe: format!("{} to {}", self.key, user.username),
                recipient: contact.map(|c| c.email.clone()).unwrap_or_default(),
                username: Some(user.username.clone()),
                subject: self.subject.clone(),
                body: format!("Dear {},\n\n{}", user.display_name, self.body),
                delivery,
            },
            due,
        ))
    }

    fn to_users<'u>(
        &self,
        a: &Audience<'_>,
        users: impl Iterator<Item = &'u UserRecord>,
    ) -> Vec<(NewNotice, DateTime<Utc>)> {
        users.filter_map(|u| self.to_user(a, u)).collect()
    }
}

/// Users holding `role` on the unit, on a unit above it, or on the whole council.
fn with_role<'a>(
    data: &'a CouncilData,
    users: &'a [UserRecord],
    role: Role,
    unit: Option<&'a Ref>,
) -> impl Iterator<Item = &'a UserRecord> + 'a {
    let line = unit.map(|u| data.tree().line(u)).unwrap_or_default();
    users.iter().filter(move |u| {
        !u.disabled
            && u.grants.iter().any(|g| {
                g.role == role
                    && g.council == data.council.reference
                    && g.unit.as_ref().is_none_or(|x| line.contains(&x))
            })
    })
}

fn unit_name(data: &CouncilData, unit: &Ref) -> String {
    data.units
        .iter()
        .find(|u| &u.reference == unit)
        .map_or_else(|| unit.to_string(), |u| u.name.clone())
}

const SIGN: &str = "\n\nThis message was sent by Beacon. You receive it because of your role on the council; you can choose a daily digest, or only the notices your role needs, on your account page.\n";

/// The notices a step sends: submitted → the unit's approvers; sent back → whoever submitted
/// it (else the unit's contributors), with the reason; signed off → the performance
/// officers; published → the subscribers, with the public link. Reopening tells nobody.
pub fn for_step(
    data: &CouncilData,
    a: &Audience<'_>,
    t: &Transition,
    published: Option<&PublicationMeta>,
    by: &Actor,
    links: &impl Links,
) -> Vec<(NewNotice, DateTime<Utc>)> {
    let c = data.council.reference.as_str();
    let (unit, q) = (&t.to.unit, t.to.quarter);
    let name = unit_name(data, unit);
    let who = by.name.trim_start_matches("cli:");
    let key = |k: NoticeKind| format!("{k} {c} {unit} {q} v{}", t.to.version);
    let event = |kind: NoticeKind, subject: String, body: String| Event {
        data,
        kind,
        key: key(kind),
        subject,
        body: format!("{body}{SIGN}"),
        at: by.at,
    };
    match t.step {
        Step::Submit => event(
            NoticeKind::Submitted,
            format!("{name}: {q} is ready for your sign-off"),
            format!("{who} submitted {name}'s performance report for {q}. It now waits for your sign-off.\n\nSign it off, or send it back with a reason, here:\n{}", links.sign_off(c, q, unit.as_str())),
        )
        .to_users(a, with_role(data, a.users, Role::Approver, Some(unit))),
        Step::SendBack => {
            let reason = t.to.reason.clone().or_else(|| by.reason.clone()).unwrap_or_default();
            let e = event(
                NoticeKind::SentBack,
                format!("{name}: {q} was sent back"),
                format!("{who} sent {name}'s performance report for {q} back to be changed.\n\nThe reason given:\n{reason}\n\nMake the changes and submit it again here:\n{}", links.entry(c, q, unit.as_str())),
            );
            let submitter = a
                .users
                .iter()
                .filter(|u| !u.disabled && u.username == t.from.changed_by);
            let found = e.to_users(a, submitter);
            if found.is_empty() {
                e.to_users(a, with_role(data, a.users, Role::Contributor, Some(unit)))
            } else {
                found
            }
        }
        Step::SignOff => event(
            NoticeKind::SignedOff,
            format!("{name}: {q} is signed off"),
            format!("{who} signed off {name}'s performance report for {q}. It is ready to publish here:\n{}", links.sign_off(c, q, unit.as_str())),
        )
        .to_users(a, with_role(data, a.users, Role::PerformanceOfficer, None)),
        Step::Publish => published.map_or_else(Vec::new, |p| {
            let link = links.publication(c, unit.as_str(), q);
            let e = event(
                NoticeKind::Published,
                format!("{} published {name}'s report for {q}", data.council.name),
                format!("{} has published {name}'s performance report for {q} (version {}).\n\nRead it here:\n{link}", data.council.name, p.version),
            );
            a.subscribers
                .iter()
                .map(|email| {
                    (
                        NewNotice {
                            council: data.council.reference.clone(),
                            kind: e.kind,
                            dedupe: format!("{} v{} to {email}", key(e.kind), p.version),
                            recipient: email.clone(),
                            username: None,
                            subject: e.subject.clone(),
                            body: format!("Hello,\n\n{}", e.body),
                            delivery: Delivery::Each,
                        },
                        e.at,
                    )
                })
                .collect()
        }),
        Step::Reopen => Vec::new(),
    }
}

/// The reminders due on a day: to each person responsible for a missing item of a unit whose
/// quarter is still open, one message listing their items, on the reminder day and on the
/// closing day.
pub fn reminders(
    data: &CouncilData,
    a: &Audience<'_>,
    missing: &MissingReport,
    dates: &QuarterDates,
    due: Reminder,
    at: DateTime<Utc>,
    links: &impl Links,
) -> Vec<(NewNotice, DateTime<Utc>)> {
    let c = data.council.reference.as_str();
    let q = dates.quarter;
    let today = at.date_naive();
    let kind = match due {
        Reminder::Before(_) => NoticeKind::ReminderBefore,
        Reminder::OnTheDay => NoticeKind::ReminderToday,
    };
    let closes = dates.closes.format("%A %-d %B %Y");
    let mut out = Vec::new();
    for user in a.users.iter().filter(|u| !u.disabled) {
        let items: Vec<String> = missing
            .for_user(&user.username)
            .filter(|(u, _)| u.chasing())
            .map(|(u, m)| {
                format!(
                    "- {} {} ({}): {}\n  {}",
                    m.kind,
                    m.codes,
                    u.name,
                    m.gap.describe(),
                    links.entry(c, q, u.unit.as_str())
                )
            })
            .collect();
        if items.is_empty() {
            continue;
        }
        let e = Event {
            data,
            kind,
            key: format!("{kind} {c} {q} {today}"),
            subject: format!("{}: {q}, {due}", data.council.name),
            body: format!(
                "Collection of {q} closes on {closes}. These items are still to do:\n\n{}\n\nEnter them on the pages linked above.{SIGN}",
                items.join("\n")
            ),
            at,
        };
        out.extend(e.to_user(a, user));
    }
    out
}
