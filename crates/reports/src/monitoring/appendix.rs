//! The appendix (8.0): the key to the progress and direction-of-travel symbols, the key to the
//! national quartile column (when the report has one), and the key to the officer initials the
//! report uses, in the order it first uses them.

use super::{Builder, col, heading, item_row, para, table};
use crate::model::{Block, Cell, ColumnKind, Section, StatusCell, Table};
use crate::symbols::{progress_cell, travel_cell};
use beacon_domain::status::{Assessed, Progress, Travel};

/// A status as the key shows it: the symbol and word, no reason.
fn key_cell(c: StatusCell) -> Cell {
    Cell::Status(StatusCell {
        reason: String::new(),
        ..c
    })
}

/// What each progress symbol means for a milestone and for an indicator.
fn progress_key() -> Table {
    let mut progress = table(
        "symbol-key-progress".into(),
        "Symbol key: progress".into(),
        vec![
            col("Progress", ColumnKind::Status),
            col("Objective / milestone", ColumnKind::Text),
            col("Performance indicator", ColumnKind::Text),
        ],
    );
    for (p, o, i) in [
        (
            Progress::Green,
            "Indicates that the objective is on course to be achieved within the appropriate timeframe.",
            "Indicates that the annual target is on course to be achieved.",
        ),
        (
            Progress::Amber,
            "Indicates that it is uncertain or too early to say at this stage whether the milestone/objective will be achieved within the appropriate timeframe.",
            "Indicates that it is uncertain or too early to say at this stage whether the annual target is on course to be achieved.",
        ),
        (
            Progress::Red,
            "Indicates that it is highly likely or certain that the objective will not be achieved within the appropriate timeframe.",
            "Indicates that the target will not be achieved unless there is an intervention or remedial action taken.",
        ),
        (
            Progress::NotAssessed,
            "Nothing to judge by: no progress recorded. Beacon never guesses a status.",
            "Nothing to judge by: no numeric target, no usable value, or no direction of better. Beacon never guesses a status.",
        ),
    ] {
        let none = Assessed::new(Progress::NotAssessed, "");
        progress.rows.push(item_row(vec![
            key_cell(progress_cell(p, &none, None)),
            Cell::text(o),
            Cell::text(i),
        ]));
    }
    progress
}

/// What each direction-of-travel symbol means.
fn travel_key() -> Table {
    let mut travel = table(
        "symbol-key-travel".into(),
        "Symbol key: direction of travel".into(),
        vec![
            col("Direction of travel", ColumnKind::Status),
            col("Meaning", ColumnKind::Text),
        ],
    );
    for (t, words) in [
        (
            Travel::Better,
            "Indicates that performance is better as compared to the same period last year.",
        ),
        (
            Travel::Same,
            "Indicates that performance is the same as compared to the same period last year.",
        ),
        (
            Travel::Worse,
            "Indicates that performance is worse as compared to the same period last year.",
        ),
        (
            Travel::NotComparable,
            "Indicates that the measure cannot be compared to the same period last year.",
        ),
    ] {
        let c = travel_cell(&Assessed::new(t, ""));
        travel
            .rows
            .push(item_row(vec![Cell::Status(c), Cell::text(words)]));
    }
    travel
}

impl<'s, 'a> Builder<'s, 'a> {
    pub(super) fn appendix(&mut self) -> Section {
        let mut blocks = vec![
            para("Symbols are used in the following manner:"),
            heading("Progress"),
            Block::Table(progress_key()),
            heading("Direction of Travel"),
            para(
                "Where possible performance measures also show a direction of travel using the following convention:",
            ),
            Block::Table(travel_key()),
        ];
        if let Some(n) = self.national {
            blocks.push(heading(&n.heading));
            blocks.push(para(n.key.clone()));
        }
        blocks.push(heading("Key to officer initials"));
        let officers = self.officers_key();
        if officers.rows.is_empty() {
            blocks.push(para("The report uses no officer initials."));
        } else {
            blocks.push(Block::Table(officers));
        }
        Section {
            id: "appendix".into(),
            number: Some("8.0".into()),
            heading: "Appendix".into(),
            blocks,
            subsections: Vec::new(),
        }
    }

    /// The officers behind the initials the report used: one row per officer, with the other
    /// initials printed for them; initials of no recorded officer say so.
    fn officers_key(&self) -> Table {
        let mut officers = table(
            "officer-initials".into(),
            "Key to officer initials".into(),
            vec![
                col("Initials", ColumnKind::Ref),
                col("Officer", ColumnKind::Text),
            ],
        );
        let data = self.scope.data;
        let mut listed: Vec<(String, Vec<String>, String)> = Vec::new();
        for i in &self.initials {
            match data.officers.iter().find(|o| o.answers_to(i)) {
                Some(o) => {
                    let who = match &o.role {
                        Some(r) => format!("{}, {r}", o.name),
                        None => o.name.clone(),
                    };
                    match listed
                        .iter_mut()
                        .find(|(r, _, _)| r == o.reference.as_str())
                    {
                        Some((_, also, _)) => {
                            if i != o.reference.as_str() && !also.contains(i) {
                                also.push(i.clone());
                            }
                        }
                        None => listed.push((
                            o.reference.to_string(),
                            if i == o.reference.as_str() {
                                vec![]
                            } else {
                                vec![i.clone()]
                            },
                            who,
                        )),
                    }
                }
                None => listed.push((i.clone(), vec![], "Not a recorded officer".into())),
            }
        }
        for (r, also, who) in listed {
            let initials = if also.is_empty() {
                r
            } else {
                format!("{r} (also printed {})", also.join(", "))
            };
            officers
                .rows
                .push(item_row(vec![Cell::text(initials), Cell::text(who)]));
        }
        officers
    }
}
