//! Open data: for a quarter, one row per indicator per period (the quarter's value with its
//! target, status and direction of travel, each with its reason), as CSV and JSON. The columns
//! are the schema documented in `docs/spreadsheet-formats.md`; `SCHEMA` names its version.
//! The council's national position on each indicator (rank and quartile in England, as the
//! indicator page says it) is filled in by the edge that can read the national set
//! ([`OpenData::with_national`]); without one those columns are empty.

use crate::sheets::neutralise::neutralise;
use crate::sheets::problem::SheetError;
use beacon_app::CouncilData;
use beacon_app::status::{StatusQuery, status_report};
use beacon_domain::measure::Measure;
use beacon_domain::period::Quarter;
use serde::Serialize;

/// The schema's name and version, written in the JSON file.
pub const SCHEMA: &str = "beacon-open-data-2";

/// One indicator's figures for the quarter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OpenDataRow {
    pub council: String,
    pub quarter: String,
    pub plan: String,
    pub indicator: String,
    /// Every code the indicator carries, as reports print them.
    pub codes: String,
    pub description: String,
    pub measured_in: String,
    pub better: String,
    pub target: String,
    pub target_number: String,
    /// The period the value describes (may be earlier than the quarter).
    pub period: String,
    pub value: String,
    pub value_number: String,
    pub qualifiers: String,
    /// Green, Amber, Red or Not assessed.
    pub status: String,
    pub status_reason: String,
    pub set_by_hand: bool,
    /// Better, The same, Worse or N/A.
    pub direction_of_travel: String,
    pub travel_reason: String,
    /// The national indicator's code the position is on ("" when none).
    pub national_indicator: String,
    /// The period of the position: the latest in which the council has a value.
    pub national_period: String,
    /// "5th of 35", "2nd (joint) of 35" or "not ranked".
    pub national_rank: String,
    /// "top quartile" … "bottom quartile", or "no quartile".
    pub national_quartile: String,
}

/// The council's national position on one indicator, in the indicator page's words.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NationalCells {
    pub indicator: String,
    pub period: String,
    pub rank: String,
    pub quartile: String,
}

/// A quarter's open data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OpenData {
    pub schema: &'static str,
    pub council: String,
    pub council_name: String,
    pub quarter: String,
    pub rows: Vec<OpenDataRow>,
}

fn parts(m: Option<&Measure>) -> (String, String, String) {
    match m {
        None => (String::new(), String::new(), String::new()),
        Some(m) => (
            m.text().to_string(),
            m.value()
                .map(|n| n.normalize().to_string())
                .unwrap_or_default(),
            m.qualifiers()
                .iter()
                .map(|q| q.as_str())
                .collect::<Vec<_>>()
                .join(", "),
        ),
    }
}

/// The open data of a quarter: every indicator of every plan covering it.
pub fn open_data(data: &CouncilData, quarter: Quarter) -> OpenData {
    let report = status_report(
        data,
        &StatusQuery {
            quarter,
            plan: None,
            unit: None,
        },
    );
    let rows = report
        .indicators
        .iter()
        .map(|s| {
            let ind = data
                .plan(s.plan.as_str())
                .and_then(|p| p.indicator(s.reference.as_str()));
            let (target, target_number, _) = parts(s.target.as_ref());
            let (value, value_number, qualifiers) = parts(s.value.as_ref().map(|(_, m)| m));
            OpenDataRow {
                council: data.council.reference.to_string(),
                quarter: quarter.to_string(),
                plan: s.plan.to_string(),
                indicator: s.reference.to_string(),
                codes: s.codes.clone(),
                description: s.description.clone(),
                measured_in: ind
                    .and_then(|i| i.measure)
                    .map(|m| m.to_string())
                    .unwrap_or_default(),
                better: ind
                    .and_then(|i| i.better)
                    .map(|b| b.to_string())
                    .unwrap_or_default(),
                target,
                target_number,
                period: s
                    .value
                    .as_ref()
                    .map(|(p, _)| p.to_string())
                    .unwrap_or_default(),
                value,
                value_number,
                qualifiers,
                status: s.status.label().to_string(),
                status_reason: match &s.set_by_hand {
                    Some(h) => format!(
                        "Set by hand by {}: {} (the rules gave {}: {})",
                        h.by,
                        h.reason,
                        s.computed.status.label(),
                        s.computed.reason
                    ),
                    None => s.computed.reason.clone(),
                },
                set_by_hand: s.set_by_hand.is_some(),
                direction_of_travel: s.travel.status.label().to_string(),
                travel_reason: s.travel.reason.clone(),
                national_indicator: String::new(),
                national_period: String::new(),
                national_rank: String::new(),
                national_quartile: String::new(),
            }
        })
        .collect();
    OpenData {
        schema: SCHEMA,
        council: data.council.reference.to_string(),
        council_name: data.council.name.clone(),
        quarter: quarter.to_string(),
        rows,
    }
}

impl OpenData {
    /// Fills in each row's national position, from `position(plan, indicator)`.
    pub fn with_national(mut self, position: impl Fn(&str, &str) -> Option<NationalCells>) -> Self {
        for r in &mut self.rows {
            if let Some(n) = position(&r.plan, &r.indicator) {
                r.national_indicator = n.indicator;
                r.national_period = n.period;
                r.national_rank = n.rank;
                r.national_quartile = n.quartile;
            }
        }
        self
    }
}

/// The CSV columns, in order.
pub const CSV_COLUMNS: &[&str] = &[
    "council",
    "quarter",
    "plan",
    "indicator",
    "codes",
    "description",
    "measured_in",
    "better",
    "target",
    "target_number",
    "period",
    "value",
    "value_number",
    "qualifiers",
    "status",
    "status_reason",
    "set_by_hand",
    "direction_of_travel",
    "travel_reason",
    "national_indicator",
    "national_period",
    "national_rank",
    "national_quartile",
];

/// The open data as CSV: a heading row, then a row per indicator; text neutralised.
pub fn to_csv(d: &OpenData) -> Result<Vec<u8>, SheetError> {
    let err = |e: csv::Error| SheetError::Write(e.to_string());
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(CSV_COLUMNS).map_err(err)?;
    for r in &d.rows {
        let cells = [
            &r.council,
            &r.quarter,
            &r.plan,
            &r.indicator,
            &r.codes,
            &r.description,
            &r.measured_in,
            &r.better,
            &r.target,
            &r.target_number,
            &r.period,
            &r.value,
            &r.value_number,
            &r.qualifiers,
            &r.status,
            &r.status_reason,
            &if r.set_by_hand { "true" } else { "false" }.to_string(),
            &r.direction_of_travel,
            &r.travel_reason,
            &r.national_indicator,
            &r.national_period,
            &r.national_rank,
            &r.national_quartile,
        ];
        w.write_record(cells.iter().map(|c| neutralise(c)))
            .map_err(err)?;
    }
    w.into_inner().map_err(|e| SheetError::Write(e.to_string()))
}

/// The open data as pretty JSON: `{ schema, council, council_name, quarter, rows: [...] }`.
pub fn to_json(d: &OpenData) -> Result<Vec<u8>, SheetError> {
    serde_json::to_vec_pretty(d).map_err(|e| SheetError::Write(e.to_string()))
}
