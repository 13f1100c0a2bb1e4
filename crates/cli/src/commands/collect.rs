//! `beacon collect template|import`: the quarter's collection workbook out and back in; and
//! `beacon export table|open-data`: lists and a quarter's open data as spreadsheets.

use crate::args::{Collect, Export};
use crate::store::AnyStore;
use beacon_app::{CouncilData, Store};
use beacon_domain::Ref;
use beacon_domain::organisation::CouncilRef;
use beacon_interchange::sheets::{
    self, Expect, Limits, TemplateRequest, open_data, problem::report, tables,
};
use std::path::Path;

fn parse_ref(flag: &str, s: &str) -> Result<Ref, String> {
    s.parse().map_err(|e| format!("{flag}: {e}"))
}

async fn data(store: &AnyStore, council: &CouncilRef) -> Result<CouncilData, String> {
    store
        .council_data(council)
        .await
        .map_err(|e| e.to_string())?
        .ok_or_else(|| format!("no council {council} in the database"))
}

fn is_csv(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("csv"))
}

fn write(path: &Path, bytes: &[u8]) -> Result<(), String> {
    std::fs::write(path, bytes).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    println!("wrote {}", path.display());
    Ok(())
}

/// Reads a file, refusing one over the limit before reading it.
pub fn read_limited(path: &Path, limits: &Limits) -> Result<Vec<u8>, String> {
    let meta =
        std::fs::metadata(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    if meta.len() > limits.max_file_bytes {
        return Err(format!(
            "{}: the file is {} bytes; at most {} are read",
            path.display(),
            meta.len(),
            limits.max_file_bytes
        ));
    }
    std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))
}

pub async fn run(store: &AnyStore, what: Collect) -> Result<(), String> {
    match what {
        Collect::Template {
            quarter,
            unit,
            plan,
            out,
        } => {
            let (council, q) = (quarter.council.clone(), quarter.quarter());
            let data = data(store, &council).await?;
            let req = TemplateRequest {
                unit: parse_ref("--unit", &unit)?,
                quarter: q,
                plan: plan.map(|p| parse_ref("--plan", &p)).transpose()?,
            };
            let bytes = if is_csv(&out) {
                sheets::template_csv(&data, &req)
            } else {
                sheets::template(&data, &req)
            }
            .map_err(|e| e.to_string())?;
            write(&out, &bytes)
        }
        Collect::Import {
            file,
            unit,
            dry_run,
        } => {
            let limits = Limits::default();
            let bytes = read_limited(&file, &limits)?;
            let name = file
                .file_name()
                .map_or("file".into(), |n| n.to_string_lossy().into_owned());
            let book = sheets::read_book(&bytes, &name, &limits)
                .map_err(|e| format!("{}: {e}", file.display()))?;
            let council: CouncilRef = match sheets::council_named(&book) {
                Some(c) => c
                    .parse()
                    .map_err(|e| format!("{}: the file's council: {e}", file.display()))?,
                None => {
                    let all = store.councils().await.map_err(|e| e.to_string())?;
                    match all.as_slice() {
                        [one] => one.reference.clone(),
                        _ => {
                            return Err(format!(
                                "{}: the file does not say which council it is for; is it a Beacon collection workbook?",
                                file.display()
                            ));
                        }
                    }
                }
            };
            let data = data(store, &council).await?;
            let expect = Expect {
                unit: unit.map(|u| parse_ref("--unit", &u)).transpose()?,
                quarter: None,
            };
            let changes = sheets::import_book(&book, &data, &expect).map_err(|ps| report(&ps))?;
            let what = format!(
                "{} {} (plan {})",
                changes.unit, changes.quarter, changes.plan
            );
            if changes.changes.is_empty() {
                println!("Nothing changed: {what} already holds everything in the file.");
                return Ok(());
            }
            if dry_run {
                println!("The file is valid; it would change {what}:");
            } else {
                sheets::apply(store, &data, &changes, &crate::actor::cli_actor())
                    .await
                    .map_err(|e| e.to_string())?;
                println!("Loaded {what}:");
            }
            for c in &changes.changes {
                println!("  {c}");
            }
            Ok(())
        }
    }
}

pub async fn export(store: &AnyStore, what: Export) -> Result<(), String> {
    match what {
        Export::Table {
            kind,
            council,
            plan,
            format,
            out,
        } => {
            let council: CouncilRef = council.parse().map_err(|e| format!("--council: {e}"))?;
            let kind: tables::TableKind = kind.parse().map_err(|e| format!("table: {e}"))?;
            let data = data(store, &council).await?;
            let plan = plan.map(|p| parse_ref("--plan", &p)).transpose()?;
            let table = tables::table(&data, kind, plan.as_ref())?;
            let csv = match format.as_deref() {
                Some("csv") => true,
                Some("xlsx") => false,
                Some(other) => return Err(format!("--format: {other:?} is not one of xlsx | csv")),
                None => is_csv(&out),
            };
            let bytes = if csv {
                tables::to_csv(&table)
            } else {
                tables::to_xlsx(std::slice::from_ref(&table))
            }
            .map_err(|e| e.to_string())?;
            write(&out, &bytes)
        }
        Export::OpenData { quarter, out } => {
            let (council, q) = (quarter.council.clone(), quarter.quarter());
            let data = data(store, &council).await?;
            // With the national position on each indicator, as publishing freezes it.
            let db = super::national::national_db(store);
            let formats = beacon_web::formats::ReportFormats {
                positions: beacon_web::formats::ReportFormats::positions(Some(&db), &data).await,
                ..Default::default()
            };
            let od = open_data::open_data(&data, q).with_national(|p, i| formats.position(p, i));
            std::fs::create_dir_all(&out)
                .map_err(|e| format!("cannot create {}: {e}", out.display()))?;
            let stem = format!(
                "{council}-{}-q{}",
                q.year.to_string().replace('/', "-"),
                q.q.number()
            );
            write(
                &out.join(format!("{stem}.csv")),
                &open_data::to_csv(&od).map_err(|e| e.to_string())?,
            )?;
            write(
                &out.join(format!("{stem}.json")),
                &open_data::to_json(&od).map_err(|e| e.to_string())?,
            )
        }
        // `export::run` writes these itself and hands only tables and open data here.
        Export::Plan { .. } | Export::Council { .. } => Err(
            "plans and councils are exported as plan files by `beacon export plan|council`".into(),
        ),
    }
}
