//! The performance overview (6.0): one subsection per directorate priority the items and
//! commentary name, in the priorities' number order, each with its key milestones and key
//! performance indicators, their statuses and reasons, and the supporting commentary.

use super::{Builder, col, heading, item_row, para, table};
use crate::cells::{measure_cell, slug};
use crate::model::{Block, Cell, ColumnKind, Section, Subsection};
use crate::symbols::{progress_cell, travel_cell};
use beacon_app::CouncilData;
use beacon_domain::Ref;
use beacon_domain::frame::{Frame, FrameKind};
use beacon_domain::period::Period;
use beacon_domain::quarter::{Commentary, CommentaryAbout};

/// The directorate priority a ref names, if it is one.
fn priority_frame<'d>(data: &'d CouncilData, r: &Option<Ref>) -> Option<&'d Frame> {
    r.as_ref().and_then(|r| {
        data.frames
            .iter()
            .find(|f| &f.reference == r && f.kind == FrameKind::DirectoratePriority)
    })
}

impl<'s, 'a> Builder<'s, 'a> {
    pub(super) fn overview(&mut self) -> Section {
        let commentary = self.commentary_in_scope();
        let mut subsections = Vec::new();
        // Items are numbered across priorities, for the exceptions page's order.
        let mut order = 0usize;
        for p in &self.priorities(&commentary) {
            subsections.push(self.priority(p, &commentary, &mut order));
        }
        let mut blocks = vec![para(
            "The following information provides a synopsis of progress for both milestones and performance indicators across the key business areas that have been identified by the Directorate.",
        )];
        if subsections.is_empty() {
            blocks.push(para(
                "No milestones or performance indicators are monitored this quarter.",
            ));
        }
        Section {
            id: "performance-overview".into(),
            number: Some("6.0".into()),
            heading: "Performance Overview".into(),
            blocks,
            subsections,
        }
    }

    /// The record's commentary that belongs in this report: all of it, or (cut down to a unit
    /// below) what is about an item in scope or, naming no item, signed by one of its officers.
    fn commentary_in_scope(&self) -> Vec<&'a Commentary> {
        let scope = self.scope;
        self.record()
            .map(|r| {
                r.commentary
                    .iter()
                    .filter(|c| {
                        scope.above.is_none()
                            || if c.refs.is_empty() {
                                scope.signed_here(&c.initials)
                            } else {
                                c.refs
                                    .iter()
                                    .any(|x| self.items.refs.iter().any(|y| y == x.as_str()))
                            }
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The priorities the items and commentary name, in their number order; priorities that
    /// are not directorate priorities after them, by ref; "none" last.
    fn priorities(&self, commentary: &[&'a Commentary]) -> Vec<Option<Ref>> {
        let mut named: Vec<Option<Ref>> = Vec::new();
        let priorities = self
            .items
            .milestones
            .iter()
            .map(|(m, _)| m.priority.clone())
            .chain(
                self.items
                    .indicators
                    .iter()
                    .map(|(_, i, _)| i.priority.clone()),
            )
            .chain(commentary.iter().map(|c| c.priority.clone()));
        for p in priorities {
            if !named.contains(&p) {
                named.push(p);
            }
        }
        let data = self.scope.data;
        named.sort_by_key(|p| match priority_frame(data, p) {
            Some(f) => (0, f.number.unwrap_or(u32::MAX), f.reference.to_string()),
            None => (
                1,
                u32::MAX,
                p.as_ref().map_or(String::from("~"), |r| r.to_string()),
            ),
        });
        named
    }

    /// One priority's subsection: its milestones and indicators, each with its commentary.
    fn priority(
        &mut self,
        p: &Option<Ref>,
        commentary: &[&'a Commentary],
        order: &mut usize,
    ) -> Subsection {
        let (id, title) = match (priority_frame(self.scope.data, p), p) {
            (Some(f), _) => (slug(f.reference.as_str()), f.title.clone()),
            (None, Some(r)) => (slug(r.as_str()), r.to_string()),
            (None, None) => (
                "other".to_string(),
                "Other milestones and measures".to_string(),
            ),
        };
        let id = format!("priority-{id}");
        let about = |a: CommentaryAbout| {
            commentary
                .iter()
                .filter(|c| p.as_ref() == c.priority.as_ref() && c.about == a)
                .copied()
                .collect::<Vec<_>>()
        };
        let mut blocks = Vec::new();
        let milestones = self.milestones_table(p, &id, &title, order);
        self.part(
            &mut blocks,
            "Key Milestones",
            milestones,
            &about(CommentaryAbout::Milestones),
        );
        let indicators = self.indicators_table(p, &id, &title, order);
        self.part(
            &mut blocks,
            "Key Performance Indicators",
            indicators,
            &about(CommentaryAbout::Indicators),
        );
        Subsection {
            id,
            heading: title,
            blocks,
        }
    }

    /// A heading, the table (if any item) and its supporting commentary (if any).
    fn part(
        &mut self,
        blocks: &mut Vec<Block>,
        title: &str,
        table: Option<Block>,
        commentary: &[&Commentary],
    ) {
        if table.is_some() || !commentary.is_empty() {
            blocks.push(heading(title));
        }
        blocks.extend(table);
        if !commentary.is_empty() {
            blocks.push(heading("Supporting Commentary"));
            for c in commentary {
                blocks.push(self.text_block(None, &c.text, &c.initials, &c.refs));
            }
        }
    }

    /// The key milestones of a priority, with their progress; `None` if it has none.
    fn milestones_table(
        &mut self,
        p: &Option<Ref>,
        id: &str,
        title: &str,
        order: &mut usize,
    ) -> Option<Block> {
        let ms: Vec<_> = self
            .items
            .milestones
            .iter()
            .filter(|(m, _)| &m.priority == p)
            .cloned()
            .collect();
        if ms.is_empty() {
            return None;
        }
        let q_label = format!("Q{}", self.scope.quarter.q.number());
        let mut t = table(
            format!("{id}-milestones"),
            format!("{title}: Key Milestones"),
            vec![
                col("Ref", ColumnKind::Ref),
                col("Milestone", ColumnKind::Text),
                col("Due", ColumnKind::Date),
                col("Lead", ColumnKind::Ref),
                col(&format!("{q_label} Progress"), ColumnKind::Status),
            ],
        );
        for (m, s) in ms {
            *order += 1;
            let cell = progress_cell(s.status, &s.computed, s.set_by_hand.as_ref());
            self.exception_milestone(*order, title, m, &s, &cell);
            if let Some(o) = &m.officer {
                self.note_initials(o);
            }
            let status = self
                .notes
                .attach(&mut t, &format!("{}, progress", m.printed_ref()), cell);
            t.rows.push(item_row(vec![
                Cell::text(m.printed_ref()),
                Cell::text(m.text_with_note()),
                Cell::text(&s.due),
                m.officer.as_ref().map_or(Cell::Empty, Cell::text),
                status,
            ]));
        }
        Some(Block::Table(t))
    }

    /// The key performance indicators of a priority: last year's actual, this year's target,
    /// the quarter's value, progress and direction of travel; `None` if it has none.
    fn indicators_table(
        &mut self,
        p: &Option<Ref>,
        id: &str,
        title: &str,
        order: &mut usize,
    ) -> Option<Block> {
        let quarter = self.scope.quarter;
        let is: Vec<_> = self
            .items
            .indicators
            .iter()
            .filter(|(_, i, _)| &i.priority == p)
            .cloned()
            .collect();
        if is.is_empty() {
            return None;
        }
        let q_label = format!("Q{}", quarter.q.number());
        let this_year = quarter.year.short();
        let last_year = quarter
            .year
            .previous()
            .map_or(String::from("Last year"), |y| y.short());
        let mut columns = vec![
            col("Ref", ColumnKind::Ref),
            col("Measure", ColumnKind::Text),
            col(&format!("{last_year} Actual"), ColumnKind::Measure),
            col(&format!("{this_year} Target"), ColumnKind::Measure),
            col(&q_label, ColumnKind::Measure),
            col("Current Progress", ColumnKind::Status),
            col("Direction of Travel", ColumnKind::Status),
        ];
        let national = self.national;
        if let Some(n) = national {
            columns.push(col(&n.heading, ColumnKind::Measure));
        }
        let mut t = table(
            format!("{id}-indicators"),
            format!("{title}: Key Performance Indicators"),
            columns,
        );
        for (_, ind, s) in is {
            *order += 1;
            let last = quarter
                .year
                .previous()
                .map(Period::FinancialYear)
                .and_then(|y| ind.values.get(&y).map(|m| (y, m)));
            let progress = progress_cell(s.status, &s.computed, s.set_by_hand.as_ref());
            self.exception_indicator(*order, title, &s, &progress);
            let codes = s.codes.clone();
            let progress =
                self.notes
                    .attach(&mut t, &format!("{codes}, current progress"), progress);
            let travel = self.notes.attach(
                &mut t,
                &format!("{codes}, direction of travel"),
                travel_cell(&s.travel),
            );
            let mut cells = vec![
                Cell::text(&codes),
                Cell::text(&s.description),
                last.map_or(Cell::Empty, |(p, m)| measure_cell(m, Some(p), false)),
                s.target.as_ref().map_or(Cell::Empty, |m| {
                    measure_cell(m, Some(Period::FinancialYear(quarter.year)), false)
                }),
                s.value.as_ref().map_or(Cell::Empty, |(p, m)| {
                    measure_cell(m, Some(*p), *p != Period::Quarter(quarter))
                }),
                progress,
                travel,
            ];
            if let Some(n) = national {
                cells.push(
                    n.cell(s.plan.as_str(), s.reference.as_str())
                        .map_or(Cell::Empty, Cell::text),
                );
            }
            t.rows.push(item_row(cells));
        }
        Some(Block::Table(t))
    }
}
