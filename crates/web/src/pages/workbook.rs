//! The collection workbook on the data-entry page: download the unit's quarter as a workbook
//! to fill in offline, and upload it back. An upload is checked whole; every problem is listed
//! by sheet, row and column, and nothing is saved unless everything is valid.

use crate::auth::Viewer;
use crate::error::WebError;
use crate::paths;
use crate::view::{Chrome, Section, latest_quarter};
use crate::{AppState, Backend};
use askama::Template;
use axum::extract::{Extension, Multipart, Path, State};
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use beacon_app::audit::Actor;
use beacon_domain::Ref;
use beacon_interchange::sheets::collect::{Expect, change_set, import_file};
use beacon_interchange::sheets::{Limits, TemplateRequest, template};
use std::sync::Arc;

type QuarterPath = Path<(String, String, u8, String)>;

pub async fn download<S: Backend>(
    State(state): State<Arc<AppState<S>>>,
    Path((council, year, quarter, unit)): QuarterPath,
) -> Result<Response, WebError> {
    let data = state.council(&council).await?;
    let q = paths::quarter(&year, quarter).ok_or(WebError::NotFound)?;
    let unit: Ref = unit.parse().map_err(|_| WebError::NotFound)?;
    let bytes = template(
        &data,
        &TemplateRequest {
            unit: unit.clone(),
            quarter: q,
            plan: None,
        },
    )
    .map_err(|e| WebError::Refused(e.to_string()))?;
    let name = format!(
        "{}-{}-{}-q{}.xlsx",
        paths::seg(data.council.reference.as_str()),
        paths::seg(unit.as_str()),
        year,
        quarter
    );
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_string(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        bytes,
    )
        .into_response())
}

#[derive(Template)]
#[template(path = "upload_problems.html")]
struct Problems {
    chrome: Chrome,
    file: String,
    problems: Vec<String>,
    entry: String,
}

pub async fn upload<S: Backend>(
    State(state): State<Arc<AppState<S>>>,
    Extension(viewer): Extension<Viewer>,
    Path((council, year, quarter, unit)): QuarterPath,
    mut form: Multipart,
) -> Result<Response, WebError> {
    let data = state.council(&council).await?;
    let q = paths::quarter(&year, quarter).ok_or(WebError::NotFound)?;
    let unit: Ref = unit.parse().map_err(|_| WebError::NotFound)?;
    let c = data.council.reference.as_str();
    let mut file: Option<(String, Vec<u8>)> = None;
    let mut version: Option<String> = None;
    while let Some(field) = form
        .next_field()
        .await
        .map_err(|e| WebError::Refused(format!("The upload could not be read: {e}")))?
    {
        match field.name() {
            Some("workbook") => {
                let name = field.file_name().unwrap_or("workbook").to_string();
                let bytes = field
                    .bytes()
                    .await
                    .map_err(|e| WebError::Refused(format!("The upload could not be read: {e}")))?;
                file = Some((name, bytes.to_vec()));
            }
            Some("version") => {
                version = field.text().await.ok();
            }
            _ => {}
        }
    }
    let problems_page = |file: String, problems: Vec<String>| -> Result<Response, WebError> {
        let page = Problems {
            chrome: Chrome::council(&data, latest_quarter(&data), Section::Quarter),
            file,
            problems,
            entry: paths::entry(c, q, unit.as_str()),
        };
        Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(page.render()?)).into_response())
    };
    let Some((name, bytes)) = file.filter(|(_, b)| !b.is_empty()) else {
        return problems_page(
            "no file".into(),
            vec!["Select a collection workbook (.xlsx) or CSV file to upload".into()],
        );
    };
    let expect = Expect {
        unit: Some(unit.clone()),
        quarter: Some(q),
    };
    let changes = match import_file(&bytes, &name, &data, &expect, &Limits::default()) {
        Ok(ch) => ch,
        Err(problems) => {
            return problems_page(name, problems.iter().map(ToString::to_string).collect());
        }
    };
    let principal = viewer
        .principal()
        .ok_or(WebError::Forbidden("Sign in to do this."))?;
    let by = Actor::new(principal.username.clone(), (state.clock)());
    let mut set = change_set(&data, &changes, &by);
    if set.councils.is_empty() {
        return Ok(Redirect::to(&paths::entry(c, q, unit.as_str())).into_response());
    }
    // The upload form carries the version of the quarter it was shown at: required.
    let expected = match beacon_app::recording::version(&beacon_app::recording::Seen::Form(version))
    {
        Ok(v) => v,
        Err(p) => return problems_page(name, vec![p.message]),
    };
    for g in &mut set.guards {
        if g.unit == unit && g.quarter == q {
            g.expected = expected;
        }
    }
    match beacon_app::Store::apply(&state.store, &set).await {
        Ok(()) => Ok(Redirect::to(&format!(
            "{}&saved=1",
            paths::dashboard(c, q, Some(unit.as_str()))
        ))
        .into_response()),
        Err(beacon_app::StoreError::Refused(m)) => problems_page(name, vec![m]),
        Err(e) => Err(e.into()),
    }
}
