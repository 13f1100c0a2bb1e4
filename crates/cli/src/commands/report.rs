//! `beacon report`: the quarterly monitoring report of a unit, its cover report for the board,
//! the year's outturn report, community strategy progress report and target review, or a plan
//! document, written as HTML, PDF, DOCX, XLSX, CSV or JSON.

use crate::args::{ReportCommand, ReportFormat, ReportOutput};
use crate::store::AnyStore;
use beacon_app::{CouncilData, Store};
use beacon_domain::organisation::CouncilRef;
use beacon_reports::model::Report;
use beacon_reports::render;
use std::io::Write;
use std::path::{Path, PathBuf};

/// The council named, or the only one the database holds.
async fn council(store: &AnyStore, reference: Option<&str>) -> Result<CouncilData, String> {
    let cref: CouncilRef = match reference {
        Some(r) => r.parse().map_err(|e| format!("--council: {e}"))?,
        None => {
            let all = store.councils().await.map_err(|e| e.to_string())?;
            match all.as_slice() {
                [one] => one.reference.clone(),
                [] => return Err("the database holds no council".into()),
                _ => {
                    let names: Vec<String> = all.iter().map(|c| c.reference.to_string()).collect();
                    return Err(format!(
                        "the database holds several councils ({}); name one with --council",
                        names.join(", ")
                    ));
                }
            }
        }
    };
    store
        .council_data(&cref)
        .await
        .map_err(|e| e.to_string())?
        .ok_or_else(|| format!("no council {cref} in the database"))
}

/// Builds the report a command asks for, with a file stem for the default output name.
pub async fn build(store: &AnyStore, what: &ReportCommand) -> Result<(Report, String), String> {
    match what {
        ReportCommand::Monitoring { quarter, unit, .. } => {
            let data = council(store, Some(quarter.council.as_str())).await?;
            let (year, n, q) = (quarter.year, quarter.quarter.number(), quarter.quarter());
            let query = beacon_reports::MonitoringQuery {
                unit: unit.parse().map_err(|e| format!("--unit: {e}"))?,
                quarter: q,
            };
            let report =
                beacon_reports::monitoring_report(&data, &query).map_err(|e| e.to_string())?;
            let stem = format!(
                "{}-{}-{}-q{}",
                data.council.reference,
                slug(unit),
                slug(&year.to_string()),
                n
            );
            Ok((report, stem))
        }
        ReportCommand::Cover {
            quarter,
            unit,
            text,
            ..
        } => {
            let data = council(store, Some(quarter.council.as_str())).await?;
            let q = quarter.quarter();
            let query = beacon_reports::MonitoringQuery {
                unit: unit.parse().map_err(|e| format!("--unit: {e}"))?,
                quarter: q,
            };
            let text = cover_text(store, &quarter.council, q, text.as_deref()).await?;
            let report =
                beacon_reports::cover_report(&data, &query, &text).map_err(|e| e.to_string())?;
            let stem = format!(
                "{}-{}-{}-q{}-cover",
                data.council.reference,
                slug(unit),
                slug(&quarter.year.to_string()),
                quarter.quarter.number()
            );
            Ok((report, stem))
        }
        ReportCommand::Outturn { year, unit, .. }
        | ReportCommand::TargetReview { year, unit, .. } => {
            let data = council(store, Some(year.council.as_str())).await?;
            let query = beacon_reports::YearQuery {
                unit: unit.parse().map_err(|e| format!("--unit: {e}"))?,
                year: year.year,
            };
            let (report, what) = if matches!(what, ReportCommand::Outturn { .. }) {
                (beacon_reports::outturn_report(&data, &query), "outturn")
            } else {
                (
                    beacon_reports::target_review(&data, &query),
                    "target-review",
                )
            };
            let report = report.map_err(|e| e.to_string())?;
            let stem = format!(
                "{}-{}-{}-{what}",
                data.council.reference,
                slug(unit),
                slug(&year.year.to_string())
            );
            Ok((report, stem))
        }
        ReportCommand::Community { year, .. } => {
            let data = council(store, Some(year.council.as_str())).await?;
            let report = beacon_reports::community_report(
                &data,
                &beacon_reports::CommunityQuery { year: year.year },
            )
            .map_err(|e| e.to_string())?;
            let stem = format!(
                "{}-{}-community",
                data.council.reference,
                slug(&year.year.to_string())
            );
            Ok((report, stem))
        }
        ReportCommand::Plan {
            plan, council: c, ..
        } => {
            let data = council(store, c.as_deref()).await?;
            let report = beacon_reports::plan_document(&data, plan).map_err(|e| e.to_string())?;
            Ok((report, format!("{}-{}", data.council.reference, slug(plan))))
        }
    }
}

/// The officer's words for a cover report, from `--text` (TOML; every key optional), with the
/// committee and meeting date from the council's calendar where the file does not give them.
async fn cover_text(
    store: &AnyStore,
    council: &CouncilRef,
    quarter: beacon_domain::period::Quarter,
    file: Option<&Path>,
) -> Result<beacon_reports::CoverText, String> {
    let mut text: beacon_reports::CoverText = match file {
        Some(path) => {
            let raw = std::fs::read_to_string(path)
                .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
            toml::from_str(&raw).map_err(|e| {
                format!(
                    "{}: {}; expected any of committee, meeting, officer, purpose, recommendation, policy, financial, risk, equality, each a string",
                    path.display(),
                    e.to_string().trim_end()
                )
            })?
        }
        None => beacon_reports::CoverText::default(),
    };
    let dates = beacon_app::calendar::calendar_of(store, council)
        .await
        .map_err(|e| e.to_string())?
        .calendar
        .dates(quarter);
    if text.committee.is_none() && !dates.committee.trim().is_empty() {
        text.committee = Some(dates.committee.clone());
    }
    if text.meeting.is_none() {
        text.meeting = dates.board.map(|d| d.format("%-d %B %Y").to_string());
    }
    Ok(text)
}

fn slug(s: &str) -> String {
    beacon_reports::cells::slug(s)
}

/// A report rendered: one file's bytes, or CSV's files.
pub enum Rendered {
    File(Vec<u8>),
    Csv(Vec<render::csv::CsvFile>),
}

/// Renders a report in a format.
pub fn render(report: &Report, format: ReportFormat) -> Result<Rendered, String> {
    let e = |x: beacon_reports::ReportError| x.to_string();
    Ok(match format {
        ReportFormat::Html => Rendered::File(render::html::render(report).map_err(e)?),
        ReportFormat::Json => Rendered::File(render::json::render(report).map_err(e)?),
        ReportFormat::Xlsx => Rendered::File(render::xlsx::render(report).map_err(e)?),
        ReportFormat::Docx => Rendered::File(render::docx::render(report).map_err(e)?),
        ReportFormat::Pdf => {
            Rendered::File(beacon_reports_pdf::render(report).map_err(|x| x.to_string())?)
        }
        ReportFormat::Csv => Rendered::Csv(render::csv::render(report).map_err(e)?),
    })
}

fn extension(f: ReportFormat) -> &'static str {
    match f {
        ReportFormat::Html => "html",
        ReportFormat::Pdf => "pdf",
        ReportFormat::Docx => "docx",
        ReportFormat::Xlsx => "xlsx",
        ReportFormat::Csv => "csv",
        ReportFormat::Json => "json",
    }
}

pub async fn run(store: &AnyStore, what: ReportCommand) -> Result<(), String> {
    let (report, stem) = build(store, &what).await?;
    let ReportOutput { format, out } = match &what {
        ReportCommand::Monitoring { output, .. }
        | ReportCommand::Cover { output, .. }
        | ReportCommand::Outturn { output, .. }
        | ReportCommand::Community { output, .. }
        | ReportCommand::TargetReview { output, .. }
        | ReportCommand::Plan { output, .. } => output,
    };
    let format = *format;
    let out = out.clone().unwrap_or_else(|| match format {
        ReportFormat::Csv => PathBuf::from(&stem),
        f => PathBuf::from(format!("{stem}.{}", extension(f))),
    });
    match render(&report, format)? {
        Rendered::File(bytes) if out.as_os_str() == "-" => std::io::stdout()
            .write_all(&bytes)
            .map_err(|e| format!("cannot write to standard output: {e}")),
        Rendered::File(bytes) => {
            write_file(&out, &bytes)?;
            eprintln!("wrote {} ({} bytes)", out.display(), bytes.len());
            Ok(())
        }
        Rendered::Csv(_) if out.as_os_str() == "-" => {
            Err("CSV is one file per table: give -o a directory, or a file ending .zip".into())
        }
        Rendered::Csv(files) => {
            if out
                .extension()
                .is_some_and(|x| x.eq_ignore_ascii_case("zip"))
            {
                let bytes = render::csv::zip(&report).map_err(|e| e.to_string())?;
                write_file(&out, &bytes)?;
                eprintln!("wrote {} ({} tables)", out.display(), files.len());
            } else {
                std::fs::create_dir_all(&out)
                    .map_err(|e| format!("cannot create the directory {}: {e}", out.display()))?;
                for f in &files {
                    write_file(&out.join(&f.name), &f.bytes)?;
                }
                eprintln!("wrote {} tables into {}", files.len(), out.display());
            }
            Ok(())
        }
    }
}

fn write_file(path: &Path, bytes: &[u8]) -> Result<(), String> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)
            .map_err(|e| format!("cannot create the directory {}: {e}", dir.display()))?;
    }
    std::fs::write(path, bytes).map_err(|e| format!("cannot write {}: {e}", path.display()))
}
