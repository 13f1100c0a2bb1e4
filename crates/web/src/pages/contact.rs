//! A person's own notice choices on their account page: the address notices go to, each one
//! as it happens or a daily digest, every notice or only those their role needs; through
//! `app::notices::contacts`, the use case `beacon notify contact` calls.

use super::account::account_page_with;
use crate::auth::Viewer;
use crate::error::WebError;
use crate::pages::entry::FieldError;
use crate::{AppState, Backend};
use axum::extract::{Extension, Form, State};
use axum::response::{IntoResponse, Redirect, Response};
use beacon_app::AppError;
use beacon_app::audit::Actor;
use beacon_app::notices::Delivery;
use beacon_app::notices::contacts::{self, ContactChoice};
use serde::Deserialize;
use std::sync::Arc;

/// The form as filled in, and as the page shows it.
#[derive(Debug, Clone, Deserialize)]
pub struct ContactForm {
    #[serde(default)]
    pub email: String,
    /// `each` or `digest`.
    #[serde(default)]
    pub delivery: String,
    /// `all` or `essential`.
    #[serde(default)]
    pub scope: String,
}

/// What the account page shows: the choice in words (none yet: notices wait unsent), and the
/// form.
pub struct ContactPart {
    pub current: Option<String>,
    pub form: ContactForm,
}

/// The account page's notices part, from the user's contact as read.
pub(crate) fn part(
    current: Option<beacon_app::notices::Contact>,
    form: Option<ContactForm>,
) -> ContactPart {
    let form = form.unwrap_or_else(|| match &current {
        Some(c) => ContactForm {
            email: c.email.clone(),
            delivery: c.delivery.as_str().into(),
            scope: if c.essential_only { "essential" } else { "all" }.into(),
        },
        None => ContactForm {
            email: String::new(),
            delivery: Delivery::Each.as_str().into(),
            scope: "all".into(),
        },
    });
    ContactPart {
        current: current.as_ref().map(contacts::describe),
        form,
    }
}

/// Saves the viewer's choice, or shows the form again with the address's problem.
pub async fn save<S: Backend>(
    State(state): State<Arc<AppState<S>>>,
    Extension(viewer): Extension<Viewer>,
    Form(f): Form<ContactForm>,
) -> Result<Response, WebError> {
    let p = viewer
        .principal()
        .ok_or(WebError::Forbidden("Sign in to do this."))?;
    let choice = ContactChoice {
        email: f.email.clone(),
        digest: f.delivery == "digest",
        essential_only: f.scope == "essential",
    };
    let by = Actor::new(p.username.clone(), (state.clock)());
    match contacts::set_contact(&state.store, p.user_id, &p.username, &choice, &by).await {
        Ok(_) => Ok(Redirect::to("/account#notices").into_response()),
        Err(AppError::Invalid(message)) => {
            let errors = vec![FieldError {
                field: "notice-email".into(),
                message: if f.email.trim().is_empty() {
                    "Enter the email address notices should go to".into()
                } else {
                    message
                },
            }];
            account_page_with(&state, &viewer, errors, Default::default(), None, Some(f)).await
        }
        Err(e) => Err(e.into()),
    }
}
