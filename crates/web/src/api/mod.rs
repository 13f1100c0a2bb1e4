//! The JSON API under `/api/v1`: the same data the pages show and the same use cases they
//! call, for a council's other systems. A personal token (`Authorization: Bearer`) stands in
//! for a session; no cookie is read, so no form token is needed. Each route is in the one
//! registry (`routes`) with the access it needs; errors are RFC 9457 problem bodies in the
//! words of the pages.

mod auth;
mod body;
mod docs;
mod json;
pub mod openapi;
mod public;
mod read;
mod schemas;
mod setup;
mod unit;
mod write;

pub use auth::{Caller, Limits, RateLimit, Tokens};
pub(crate) use auth::{bearer, unauthenticated};

use crate::AppState;
use crate::Backend;
use axum::routing::{MethodRouter, get, post, put};
use std::sync::Arc;

/// Where the API lives.
pub const PREFIX: &str = "/api/";

/// Whether a path is the API's.
pub fn is_api(path: &str) -> bool {
    path.starts_with(PREFIX) || path == "/api"
}

/// The handler of an API route in the registry, by name.
pub(crate) fn handler<S: Backend>(name: &str) -> Option<MethodRouter<Arc<AppState<S>>>> {
    Some(match name {
        "api-reference" => get(docs::reference),
        "api-openapi" => get(docs::openapi_json),
        "api-councils" => get(read::councils::<S>),
        "api-council" => get(read::council::<S>),
        "api-units" => get(read::units::<S>),
        "api-officers" => get(read::officers::<S>),
        "api-frames" => get(read::frames::<S>),
        "api-plans" => get(read::plans::<S>),
        "api-plan" => get(read::plan::<S>),
        "api-objectives" => get(read::objectives::<S>),
        "api-milestones" => get(read::milestones::<S>),
        "api-indicators" => get(read::indicators::<S>),
        "api-indicator" => get(read::indicator::<S>),
        "api-risks" => get(read::risks::<S>),
        "api-equality-actions" => get(read::equality_actions::<S>),
        "api-budget-statements" => get(read::budget_statements::<S>),
        "api-setup" => post(setup::setup::<S>),
        "api-publications" => get(unit::publications::<S>),
        "api-quarter-states" => get(unit::states::<S>),
        "api-statuses" => get(unit::statuses::<S>),
        "api-unit-quarter" => get(unit::unit_quarter::<S>),
        "api-report" => get(unit::report::<S>),
        "api-entries" => post(write::entries::<S>),
        "api-status" => put(write::status::<S>),
        "api-submit" => post(write::submit::<S>),
        "api-send-back" => post(write::send_back::<S>),
        "api-sign-off" => post(write::sign_off::<S>),
        "api-reopen" => post(write::reopen::<S>),
        "api-publish" => post(write::publish::<S>),
        "api-public-publications" => get(public::publications::<S>),
        "api-public-report" => get(public::report::<S>),
        _ => return None,
    })
}
