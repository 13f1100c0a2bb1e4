//! `beacon calendar show | set | quarter | load`: the council's calendar, through the same use
//! case as the calendar page (`beacon_app::calendar`).

use crate::actor::cli_actor;
use crate::args::CalendarCommand;
use crate::store::AnyStore;
use beacon_app::accounts::acting_as;
use beacon_app::calendar::{Calendar, calendar_of, set_calendar};
use beacon_domain::calendar::{CouncilCalendar, QuarterChange, QuarterDates};
use beacon_domain::organisation::CouncilRef;
use beacon_domain::period::FinancialYear;
use std::path::Path;

pub async fn run(store: &AnyStore, c: CalendarCommand) -> Result<(), String> {
    match c {
        CalendarCommand::Show {
            council,
            year,
            json,
        } => show(store, &council, year, json).await,
        CalendarCommand::Set {
            council,
            opens_after,
            closes_after,
            sign_off_after,
            board_after,
            papers_before,
            remind_before,
            committee,
            user,
        } => {
            let mut cal = calendar_of(store, &council)
                .await
                .map_err(|e| e.to_string())?
                .calendar;
            let r = &mut cal.rule;
            r.opens_after = opens_after.unwrap_or(r.opens_after);
            r.closes_after = closes_after.unwrap_or(r.closes_after);
            r.sign_off_after = sign_off_after.unwrap_or(r.sign_off_after);
            r.papers_before = papers_before.unwrap_or(r.papers_before);
            r.remind_before = remind_before.unwrap_or(r.remind_before);
            if let Some(c) = committee {
                r.committee = c;
            }
            if let Some(b) = board_after {
                r.board_after = match b.trim() {
                    "none" => None,
                    n => Some(n.parse().map_err(|_| {
                        format!(
                            "--board-after: {n:?} is not a number of working days (or \"none\")"
                        )
                    })?),
                };
            }
            save(store, &council, &user, &cal).await
        }
        CalendarCommand::Quarter {
            council,
            year,
            quarter,
            opens,
            closes,
            sign_off,
            papers,
            board,
            clear,
            user,
        } => {
            let mut cal = calendar_of(store, &council)
                .await
                .map_err(|e| e.to_string())?
                .calendar;
            let q = year.quarter(quarter);
            let mut change = cal
                .quarters
                .iter()
                .find(|c| c.quarter == q)
                .cloned()
                .unwrap_or_else(|| QuarterChange::new(q));
            if clear {
                change = QuarterChange::new(q);
            }
            change.opens = opens.or(change.opens);
            change.closes = closes.or(change.closes);
            change.sign_off = sign_off.or(change.sign_off);
            change.papers = papers.or(change.papers);
            change.board = board.or(change.board);
            cal.quarters.retain(|c| c.quarter != q);
            if !change.is_empty() {
                cal.quarters.push(change);
                cal.quarters.sort_by_key(|c| c.quarter);
            }
            save(store, &council, &user, &cal).await
        }
        CalendarCommand::Load {
            file,
            council,
            user,
        } => {
            let cal = read_file(&file)?;
            save(store, &council, &user, &cal).await
        }
    }
}

/// A calendar file: TOML with a `[rule]` table and `[[quarters]]`.
fn read_file(file: &Path) -> Result<CouncilCalendar, String> {
    let text = std::fs::read_to_string(file)
        .map_err(|e| format!("{}: cannot read it: {e}", file.display()))?;
    toml::from_str(&text).map_err(|e| format!("{}: {e}", file.display()))
}

async fn save(
    store: &AnyStore,
    council: &CouncilRef,
    user: &str,
    cal: &CouncilCalendar,
) -> Result<(), String> {
    let who = acting_as(store, user)
        .await
        .map_err(|e| format!("--as: {e}"))?;
    let by = cli_actor();
    let by = beacon_app::audit::Actor {
        name: who.username.clone(),
        ..by
    };
    set_calendar(store, &who, council, cal, &by)
        .await
        .map_err(|e| e.to_string())?;
    println!(
        "The calendar of {council} is set: {}.",
        beacon_app::calendar::describe(cal)
    );
    Ok(())
}

async fn show(
    store: &AnyStore,
    council: &CouncilRef,
    year: FinancialYear,
    json: bool,
) -> Result<(), String> {
    let cal = calendar_of(store, council)
        .await
        .map_err(|e| e.to_string())?;
    let dates = cal.year(year);
    if json {
        let out = serde_json::json!({ "council": council, "default": cal.default, "calendar": cal.calendar, "quarters": dates });
        println!(
            "{}",
            serde_json::to_string_pretty(&out).map_err(|e| e.to_string())?
        );
    } else {
        print!("{}", text(council, &cal, &dates));
    }
    Ok(())
}

fn day(d: chrono::NaiveDate) -> String {
    d.format("%a %-d %b %Y").to_string()
}

/// The year as text: one block per quarter; dates set by hand marked "(set by hand)".
pub fn text(council: &CouncilRef, cal: &Calendar, dates: &[QuarterDates]) -> String {
    let mut out = format!(
        "Calendar of {council}{}: {}.\n",
        if cal.default {
            " (the default rule: none set)"
        } else {
            ""
        },
        beacon_app::calendar::describe(&cal.calendar)
    );
    for d in dates {
        let hand = |k: &str| {
            if d.set_by_hand.contains(&k) {
                " (set by hand)"
            } else {
                ""
            }
        };
        out.push_str(&format!(
            "\n{} ({} to {})\n",
            d.quarter,
            day(d.quarter.first_day()),
            day(d.quarter.last_day())
        ));
        out.push_str(&format!(
            "  collection opens   {}{}\n",
            day(d.opens),
            hand("opens")
        ));
        out.push_str(&format!("  reminder           {}\n", day(d.remind)));
        out.push_str(&format!(
            "  collection closes  {}{}\n",
            day(d.closes),
            hand("closes")
        ));
        out.push_str(&format!(
            "  sign-off by        {}{}\n",
            day(d.sign_off),
            hand("sign_off")
        ));
        match (d.papers, d.board) {
            (Some(p), Some(b)) => {
                out.push_str(&format!(
                    "  papers due         {}{}\n",
                    day(p),
                    hand("papers")
                ));
                out.push_str(&format!(
                    "  {} meets {}{}\n",
                    d.committee,
                    day(b),
                    hand("board")
                ));
            }
            _ => out.push_str(&format!("  {}: no meeting date set\n", d.committee)),
        }
    }
    out
}
