//! The pages, one module per area of the product.

pub mod account;
pub mod annual;
pub mod budget;
pub mod calendar;
pub mod compare;
pub mod contact;
pub mod council;
pub mod edit;
pub mod entry;
pub mod export;
pub mod history;
pub mod library;
pub mod lifecycle;
pub mod mfa;
pub mod national;
pub mod organisation;
pub mod plan;
pub mod plan_budget;
pub mod priority;
pub mod public;
pub mod quarter;
pub mod report;
pub mod statement_edit;
pub mod statement_remove;
pub mod tokens;
pub mod users;
pub mod workbook;

use crate::error::WebError;
use askama::Template;
use axum::response::Html;

/// Renders a page template.
pub fn render<T: Template>(t: &T) -> Result<Html<String>, WebError> {
    Ok(Html(t.render()?))
}
