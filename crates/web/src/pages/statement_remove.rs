//! Removing a budget statement entered by mistake: a page that asks "Are you sure?" as a yes or
//! no question (the GOV.UK pattern for a change that cannot be undone), then
//! `app::budget::remove_statement`, which refuses it where the quarter is signed off and keeps
//! the statement as it was in the audit trail.

use super::entry::FieldError;
use super::{render, statement_edit};
use crate::auth::Viewer;
use crate::error::WebError;
use crate::paths;
use crate::view::{Chrome, Section, latest_quarter};
use crate::{AppState, Backend};
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use beacon_app::audit::Actor;
use beacon_app::budget::remove_statement;
use beacon_app::{AppError, CouncilData};
use beacon_domain::budget::Statement;
use beacon_domain::period::Quarter;
use std::collections::HashMap;
use std::sync::Arc;

/// `/c/{council}/q/{year}/{quarter}/budget/{statement}/remove`.
pub fn remove_path(c: &str, q: Quarter, s: &str) -> String {
    format!("{}/remove", paths::statement(c, q, s))
}

#[derive(Template)]
#[template(path = "statement_remove.html")]
struct RemovePage {
    chrome: Chrome,
    title: String,
    reference: String,
    quarter: String,
    groups: usize,
    lines: usize,
    action: String,
    back: String,
    errors: Vec<FieldError>,
    /// The yes-or-no question's error, if any.
    error: String,
}

fn page(data: &CouncilData, st: &Statement, errors: Vec<FieldError>) -> RemovePage {
    let c = data.council.reference.as_str();
    let q = st.period;
    let r = st.reference.as_str();
    RemovePage {
        chrome: Chrome::council(data, latest_quarter(data), Section::Budget).with_crumbs(vec![
            (data.council.name.clone(), paths::council(c)),
            (
                format!("Quarter {} {}", q.q.number(), q.year),
                paths::dashboard(c, q, None),
            ),
            ("Budget".into(), paths::budget(c, q)),
            (st.title.clone(), paths::statement(c, q, r)),
        ]),
        title: st.title.clone(),
        reference: r.to_string(),
        quarter: format!("Quarter {} {}", q.q.number(), q.year),
        groups: st.groups.len(),
        lines: st.lines.len(),
        action: remove_path(c, q, r),
        back: paths::statement(c, q, r),
        error: FieldError::for_field(&errors, "confirm")
            .unwrap_or_default()
            .to_string(),
        errors,
    }
}

/// The statement a page's path names, or not found.
fn find<'a>(
    data: &'a CouncilData,
    year: &str,
    quarter: u8,
    r: &str,
) -> Result<&'a Statement, WebError> {
    statement_edit::find(data, statement_edit::quarter_of(year, quarter)?, r)
}

pub async fn form<S: Backend>(
    State(state): State<Arc<AppState<S>>>,
    Path((council, year, quarter, statement)): Path<(String, String, u8, String)>,
) -> Result<Html<String>, WebError> {
    let data = state.council(&council).await?;
    let st = find(&data, &year, quarter, &statement)?;
    render(&page(&data, st, Vec::new()))
}

/// "Yes" removes the statement and goes to the quarter's statements; "No" goes back to it;
/// neither asks again (422).
pub async fn submit<S: Backend>(
    State(state): State<Arc<AppState<S>>>,
    Extension(viewer): Extension<Viewer>,
    Path((council, year, quarter, statement)): Path<(String, String, u8, String)>,
    Form(typed): Form<HashMap<String, String>>,
) -> Result<Response, WebError> {
    let who = viewer
        .principal()
        .ok_or(WebError::Forbidden("Sign in to do this."))?;
    let data = state.council(&council).await?;
    let st = find(&data, &year, quarter, &statement)?;
    let c = data.council.reference.as_str();
    let again = |message: String| {
        let errors = vec![FieldError {
            field: "confirm".into(),
            message,
        }];
        Ok::<Response, WebError>(
            (
                StatusCode::UNPROCESSABLE_ENTITY,
                render(&page(&data, st, errors))?,
            )
                .into_response(),
        )
    };
    match typed.get("confirm").map(String::as_str) {
        Some("no") => Ok(
            Redirect::to(&paths::statement(c, st.period, st.reference.as_str())).into_response(),
        ),
        Some("yes") => {
            let by = Actor::new(who.username.clone(), (state.clock)());
            match remove_statement(&state.store, who, &data, &st.reference, st.period, &by).await {
                Ok(()) => Ok(Redirect::to(&format!(
                    "{}?done=removed",
                    paths::budget(c, st.period)
                ))
                .into_response()),
                Err(AppError::Refused(m) | AppError::Invalid(m)) => again(m),
                Err(e) => Err(e.into()),
            }
        }
        _ => again(format!(
            "Select yes to remove statement {}, or no to keep it",
            st.reference
        )),
    }
}
