//! The report model: a report as sections, text, tables, rows, cells and statuses, independent
//! of any output format. Every renderer draws from this one tree, so all formats say the same
//! thing; the JSON renderer is this tree serialised (documented in `docs/report-json.md`).

use serde::Serialize;

/// The version of the JSON form; raised when a field changes meaning or goes away.
pub const FORMAT_VERSION: u32 = 1;

/// Which report this is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum ReportKind {
    /// The quarterly monitoring report ("Directorate Performance Overview Report").
    Monitoring,
    /// A plan's objectives, milestones and indicator tables.
    Plan,
    /// The committee paper that carries a quarter's monitoring report to the board.
    Cover,
    /// Every indicator's year-end value against its target, by priority.
    Outturn,
    /// The community strategy's annual progress report, by theme.
    Community,
    /// The annual review of targets: a proposed target for next year, with its rationale.
    TargetReview,
}

/// A whole report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Report {
    pub format_version: u32,
    pub kind: ReportKind,
    /// The council's name.
    pub council: String,
    pub title: String,
    /// Labelled facts printed under the title ("Directorate", "Reporting Period").
    pub facts: Vec<Fact>,
    /// The date the data describes (`YYYY-MM-DD`): the quarter's last day, or the plan's first
    /// day. Documents that carry a date (XLSX, DOCX) use it, so output is reproducible.
    pub as_at: String,
    pub sections: Vec<Section>,
}

/// A labelled fact: "Reporting Period: Quarter 2, …".
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Fact {
    pub label: String,
    pub value: String,
}

/// A numbered section ("6.0 Performance Overview") with its blocks and subsections.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = ReportSection))]
pub struct Section {
    /// Unique in the report; used for anchors and file names.
    pub id: String,
    /// "1.0", or none for an unnumbered section.
    pub number: Option<String>,
    pub heading: String,
    pub blocks: Vec<Block>,
    pub subsections: Vec<Subsection>,
}

/// A subsection: a directorate priority of the performance overview, a budget statement, an
/// objective of a plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Subsection {
    pub id: String,
    pub heading: String,
    pub blocks: Vec<Block>,
}

/// What a section holds, in order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum Block {
    /// A minor heading ("Key Milestones", "Supporting Commentary").
    Heading(Heading),
    /// Narrative: paragraphs and lists, with the initials of the officers responsible.
    Text(TextBlock),
    Table(Table),
    /// A bar chart of how many items have each status; every bar says its status in words and
    /// its count in figures.
    Chart(Chart),
}

/// A bar chart: one bar per status, each with its count. Flat formats (CSV, XLSX) write its
/// figures as a table ([`Chart::table`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Chart {
    /// Unique in the report, like a table's id.
    pub id: String,
    pub title: String,
    /// What the bars count ("Indicators").
    pub counts: String,
    pub bars: Vec<Bar>,
    /// The chart in words, for anyone who does not see it.
    pub summary: String,
}

/// A bar: a status (shape and word) and how many have it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Bar {
    pub status: StatusCell,
    pub count: u32,
}

impl Chart {
    /// The longest bar's count (at least 1).
    pub fn max(&self) -> u32 {
        self.bars.iter().map(|b| b.count).max().unwrap_or(0).max(1)
    }

    /// A bar's length on a scale where the longest is `full`.
    pub fn length(&self, count: &u32, full: u32) -> u32 {
        count * full / self.max()
    }

    /// A bar drawn in characters, for documents without drawing (DOCX): at most 30 blocks.
    pub fn blocks(&self, count: &u32) -> String {
        "█".repeat(self.length(count, 30) as usize)
    }

    /// The chart's figures as a table: status and count.
    pub fn table(&self) -> Table {
        Table {
            id: self.id.clone(),
            title: self.title.clone(),
            columns: vec![
                Column {
                    label: "Status".into(),
                    kind: ColumnKind::Status,
                },
                Column {
                    label: self.counts.clone(),
                    kind: ColumnKind::Measure,
                },
            ],
            rows: self
                .bars
                .iter()
                .map(|b| Row {
                    kind: RowKind::Item,
                    cells: vec![
                        Cell::Status(StatusCell {
                            reason: String::new(),
                            note: None,
                            ..b.status.clone()
                        }),
                        Cell::text(b.count.to_string()),
                    ],
                })
                .collect(),
            notes: Vec::new(),
            caption: Some(self.summary.clone()),
        }
    }
}

/// A minor heading.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Heading {
    pub text: String,
}

/// Narrative text as the council wrote it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TextBlock {
    pub title: Option<String>,
    pub parts: Vec<Part>,
    /// The officers' initials, as written ("AM", "TC"); printed after the text.
    pub initials: Vec<String>,
    /// The items the text is about (milestone or indicator refs), where recorded.
    pub refs: Vec<String>,
}

impl TextBlock {
    /// The initials as printed after the text: "(AM, TC)", or nothing.
    pub fn initials_text(&self) -> String {
        if self.initials.is_empty() {
            String::new()
        } else {
            format!("({})", self.initials.join(", "))
        }
    }
}

/// A paragraph or a bulleted list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum Part {
    Paragraph(String),
    List(Vec<String>),
}

/// A table: the unit that CSV writes as a file and XLSX as a sheet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Table {
    /// Unique in the report, lower-case letters, digits and `-`: the CSV file's name.
    pub id: String,
    pub title: String,
    pub columns: Vec<Column>,
    pub rows: Vec<Row>,
    /// The reasons behind the table's statuses, numbered across the report: footnotes in print.
    pub notes: Vec<Note>,
    /// A line printed under the table (how a statement's totals reconcile).
    pub caption: Option<String>,
}

impl ColumnKind {
    /// The word used for styling (`ref`, `text`, `measure`, `money`, `status`).
    pub fn as_str(self) -> &'static str {
        match self {
            ColumnKind::Ref => "ref",
            ColumnKind::Text => "text",
            ColumnKind::Measure => "measure",
            ColumnKind::Date => "date",
            ColumnKind::Money => "money",
            ColumnKind::Status => "status",
        }
    }
}

/// A column's heading and what its cells hold.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Column {
    pub label: String,
    pub kind: ColumnKind,
}

/// What a column holds: renderers align and format by it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum ColumnKind {
    /// A ref: short, never wrapped.
    Ref,
    Text,
    /// A value or target as printed.
    Measure,
    /// A date or period ("September 2012", "termly"): short, never wrapped.
    Date,
    /// Money, right-aligned.
    Money,
    /// A status: symbol and word.
    Status,
}

/// A row of a table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Row {
    pub kind: RowKind,
    pub cells: Vec<Cell>,
}

impl RowKind {
    /// `item`, `heading` or `total`.
    pub fn as_str(self) -> &'static str {
        match self {
            RowKind::Item => "item",
            RowKind::Heading => "heading",
            RowKind::Total => "total",
        }
    }
}

/// Item rows carry data; a heading row spans the table; a total row is computed from the lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum RowKind {
    Item,
    /// One cell, spanning the table ("Expenditure", "Corporate Health").
    Heading,
    /// A total computed from the rows above it.
    Total,
}

/// A cell.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum Cell {
    Empty,
    Text(TextCell),
    Measure(MeasureCell),
    Money(MoneyCell),
    Status(StatusCell),
}

impl Cell {
    /// A text cell.
    pub fn text(s: impl Into<String>) -> Cell {
        Cell::Text(TextCell { text: s.into() })
    }

    /// What the cell holds, for styling: `empty`, `text`, `measure`, `money` or `status`.
    pub fn kind(&self) -> &'static str {
        match self {
            Cell::Empty => "empty",
            Cell::Text(_) => "text",
            Cell::Measure(_) => "measure",
            Cell::Money(_) => "money",
            Cell::Status(_) => "status",
        }
    }

    /// The cell as plain text: what CSV writes and what a reader would read aloud.
    pub fn plain(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(t) => t.text.clone(),
            Cell::Measure(m) => m.text.clone(),
            Cell::Money(m) => m.text.clone(),
            Cell::Status(s) => s.label(),
        }
    }
}

/// Words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TextCell {
    pub text: String,
}

/// A target or value as the council printed it, with the number read from it when it says one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MeasureCell {
    /// As printed, with qualifiers ("59% provisional") and the period when it is not the
    /// column's ("48.3% (AY 2011/12)").
    pub text: String,
    /// The number, exact, as a string ("59"); none for words ("Refer comment").
    pub number: Option<String>,
    pub qualifiers: Vec<String>,
    /// The period the value describes, when known.
    pub period: Option<String>,
}

/// An amount of money.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MoneyCell {
    /// Exact, in pence.
    pub pence: i64,
    /// As the statement prints it in its scale: `20,504`, `-28,647`, variances `(30)`.
    pub text: String,
    /// The statement's scale: "pounds" (£), "thousands" (£'000) or "millions" (£m); the column
    /// heading prints its symbol.
    pub scale: String,
    /// Printed in brackets when negative (variance columns: an overspend).
    pub brackets: bool,
}

/// What kind of judgement a status is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum StatusKind {
    /// Green / Amber / Red / Not assessed.
    Progress,
    /// Better / The same / Worse / N/A.
    Travel,
    /// A risk band: Low / Medium / High.
    Risk,
}

/// A status: a shape and a word (never colour alone), the reason, and whether a person set it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StatusCell {
    pub kind: StatusKind,
    /// The machine word: green, amber, red, not-assessed; better, same, worse, n/a; low…
    pub value: String,
    /// The shape printed before the word: ● ▲ ■ — ↑ → ↓.
    pub symbol: String,
    /// The word printed: "Green", "Not assessed", "The same".
    pub word: String,
    /// Why, in plain words: the rule's reason, or the reason given by the person who set it.
    pub reason: String,
    pub set_by_hand: Option<ByHand>,
    /// The number of the note (footnote in print) that gives the reason.
    pub note: Option<u32>,
}

impl StatusCell {
    /// How good the status is, for a tint beside the shape and word: `good`, `mid`, `bad` or
    /// `none`.
    pub fn tone(&self) -> &'static str {
        match self.value.as_str() {
            "green" | "better" | "low" => "good",
            "amber" | "same" | "medium" => "mid",
            "red" | "worse" | "high" => "bad",
            _ => "none",
        }
    }

    /// The symbol and word, marked when set by hand: "▲ Amber (set by hand)".
    pub fn label(&self) -> String {
        let mut s = format!("{} {}", self.symbol, self.word);
        if self.set_by_hand.is_some() {
            s.push_str(" (set by hand)");
        }
        s
    }
}

/// A status set by hand: who, when, why, and what the rules gave.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ByHand {
    pub by: String,
    pub at: String,
    pub reason: String,
    /// The word the rules gave.
    pub computed: String,
    pub computed_reason: String,
}

/// A numbered note: the reason behind a status.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Note {
    pub number: u32,
    pub text: String,
}

impl Report {
    /// Every table of the report, in order.
    pub fn tables(&self) -> Vec<&Table> {
        let mut out = Vec::new();
        for s in &self.sections {
            out.extend(blocks_tables(&s.blocks));
            for sub in &s.subsections {
                out.extend(blocks_tables(&sub.blocks));
            }
        }
        out
    }
}

fn blocks_tables(blocks: &[Block]) -> impl Iterator<Item = &Table> {
    blocks.iter().filter_map(|b| match b {
        Block::Table(t) => Some(t),
        _ => None,
    })
}

/// A table as flat formats write it: a table of the report, or a chart's figures.
pub enum Flat<'a> {
    Table(&'a Table),
    Chart(&'a Chart, Table),
}

impl Flat<'_> {
    pub fn table(&self) -> &Table {
        match self {
            Flat::Table(t) => t,
            Flat::Chart(_, t) => t,
        }
    }
}

impl Report {
    /// Every table and chart of the report, in order, as flat formats write them.
    pub fn flat(&self) -> Vec<Flat<'_>> {
        let mut out = Vec::new();
        let all = self.sections.iter().flat_map(|s| {
            s.blocks
                .iter()
                .chain(s.subsections.iter().flat_map(|x| &x.blocks))
        });
        for b in all {
            match b {
                Block::Table(t) => out.push(Flat::Table(t)),
                Block::Chart(c) => out.push(Flat::Chart(c, c.table())),
                _ => {}
            }
        }
        out
    }
}

/// Splits text as a council wrote it into paragraphs (blank-line separated) and lists (lines
/// starting `- `).
pub fn parts(text: &str) -> Vec<Part> {
    let mut out = Vec::new();
    for chunk in text.split("\n\n") {
        let lines: Vec<&str> = chunk
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect();
        if lines.is_empty() {
            continue;
        }
        let mut para: Vec<&str> = Vec::new();
        let mut list: Vec<String> = Vec::new();
        for l in lines {
            if let Some(item) = l.strip_prefix("- ").or_else(|| l.strip_prefix("• ")) {
                if !para.is_empty() {
                    out.push(Part::Paragraph(para.join(" ")));
                    para.clear();
                }
                list.push(item.trim().to_string());
            } else {
                if !list.is_empty() {
                    out.push(Part::List(std::mem::take(&mut list)));
                }
                para.push(l);
            }
        }
        if !para.is_empty() {
            out.push(Part::Paragraph(para.join(" ")));
        }
        if !list.is_empty() {
            out.push(Part::List(list));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_splits_into_paragraphs_and_lists() {
        let p = parts("First line\ncontinues.\n\nThe key changes:\n\n- one;\n- two\n\nAfter.");
        assert_eq!(
            p,
            vec![
                Part::Paragraph("First line continues.".into()),
                Part::Paragraph("The key changes:".into()),
                Part::List(vec!["one;".into(), "two".into()]),
                Part::Paragraph("After.".into()),
            ]
        );
        assert!(parts("\n\n  \n").is_empty());
    }
}
