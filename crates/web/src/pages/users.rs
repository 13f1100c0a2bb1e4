//! A council's users, for its administrator: who holds which role, adding someone (with a new
//! random password shown once), changing their role, resetting their password, and disabling
//! or enabling their account. The rules live in `beacon_app::administration`.

use crate::auth::Viewer;
use crate::error::WebError;
use crate::pages::entry::FieldError;
use crate::pages::history::HistoryRow;
use crate::paths;
use crate::view::{Chrome, Section, latest_quarter};
use crate::{AppState, Backend};
use askama::Template;
use axum::extract::{Extension, Form, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use beacon_app::access::{Grant, Principal, Role};
use beacon_app::accounts::{UserChange, UserRecord};
use beacon_app::administration;
use beacon_app::audit::Actor;
use beacon_app::{AppError, CouncilData};
use beacon_domain::Ref;
use serde::Deserialize;
use std::sync::Arc;

/// A user as the list shows them.
pub struct UserRow {
    pub name: String,
    pub username: String,
    pub href: String,
    pub roles: String,
    pub disabled: bool,
}

/// A role as a radio button.
pub struct RoleOption {
    pub value: &'static str,
    pub label: &'static str,
    pub hint: &'static str,
    pub checked: bool,
}

/// A part of the council as an option of the scope list.
pub struct UnitOption {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

/// What each role may do, as the forms explain it.
fn hint(role: Role) -> &'static str {
    match role {
        Role::Administrator => {
            "Manages the council's users, and can do everything the other roles can"
        }
        Role::PerformanceOfficer => {
            "Runs the quarter: edits definitions and targets, sets statuses by hand and publishes"
        }
        Role::Contributor => {
            "Enters values, progress and commentary, and submits the quarter, for their part of the council"
        }
        Role::Approver => {
            "An operational or strategic director: signs off their part of the council's quarters, or sends them back"
        }
        Role::Councillor => {
            "Reads everything of the council, signed off or not, and changes nothing"
        }
    }
}

fn role_options(checked: Option<Role>) -> Vec<RoleOption> {
    Role::ALL
        .into_iter()
        .map(|r| RoleOption {
            value: r.as_str(),
            label: r.label(),
            hint: hint(r),
            checked: checked == Some(r),
        })
        .collect()
}

fn unit_options(data: &CouncilData, selected: Option<&str>) -> Vec<UnitOption> {
    std::iter::once(UnitOption {
        value: String::new(),
        label: "The whole council".into(),
        selected: selected.is_none_or(str::is_empty),
    })
    .chain(data.units.iter().map(|u| UnitOption {
        value: u.reference.to_string(),
        label: format!("{} ({})", u.name, u.reference),
        selected: selected == Some(u.reference.as_str()),
    }))
    .collect()
}

/// A grant as a person reads it: "Contributor for Children and Enterprise (CED)".
fn describe(data: &CouncilData, g: &Grant) -> String {
    format!("{} for {}", g.role.label(), scope(Some(data), g))
}

/// The part of the council a grant covers: "the whole council", or "Name (REF)" (the ref
/// alone when the council's data is not at hand).
pub(crate) fn scope(data: Option<&CouncilData>, g: &Grant) -> String {
    match &g.unit {
        None => "the whole council".to_string(),
        Some(u) => data
            .and_then(|d| d.units.iter().find(|x| &x.reference == u))
            .map_or_else(|| u.to_string(), |x| format!("{} ({u})", x.name)),
    }
}

fn roles_text(data: &CouncilData, user: &UserRecord) -> String {
    administration::grants_on(user, &data.council.reference)
        .into_iter()
        .map(|g| describe(data, g))
        .collect::<Vec<_>>()
        .join("; ")
}

fn chrome(data: &CouncilData, extra: Vec<(String, String)>) -> Chrome {
    let c = data.council.reference.as_str();
    let mut crumbs = vec![(data.council.name.clone(), paths::council(c))];
    crumbs.extend(extra);
    Chrome::council(data, latest_quarter(data), Section::Administration).with_crumbs(crumbs)
}

fn principal(viewer: &Viewer) -> Result<&Principal, WebError> {
    viewer
        .principal()
        .ok_or(WebError::Forbidden("Sign in to do this."))
}

fn actor<S: Backend>(state: &AppState<S>, p: &Principal) -> Actor {
    Actor::new(p.username.clone(), (state.clock)())
}

#[derive(Template)]
#[template(path = "users.html")]
struct UsersPage {
    chrome: Chrome,
    council_name: String,
    add_href: String,
    users: Vec<UserRow>,
}

pub async fn list<S: Backend>(
    State(state): State<Arc<AppState<S>>>,
    Path(council): Path<String>,
) -> Result<Response, WebError> {
    let data = state.council(&council).await?;
    let c = data.council.reference.as_str();
    let all = state.store.users().await?;
    let users = administration::of_council(&all, &data.council.reference)
        .into_iter()
        .map(|u| UserRow {
            name: u.display_name.clone(),
            username: u.username.clone(),
            href: paths::user(c, &u.username),
            roles: roles_text(&data, u),
            disabled: u.disabled,
        })
        .collect();
    let page = UsersPage {
        chrome: chrome(&data, Vec::new()),
        council_name: data.council.name.clone(),
        add_href: paths::add_user(c),
        users,
    };
    Ok(Html(page.render()?).into_response())
}

#[derive(Template)]
#[template(path = "user.html")]
struct UserPage {
    chrome: Chrome,
    council_name: String,
    name: String,
    username: String,
    roles_text: String,
    disabled: bool,
    manageable: bool,
    yourself: bool,
    done: Option<&'static str>,
    new_password: Option<String>,
    errors: Vec<FieldError>,
    roles: Vec<RoleOption>,
    units: Vec<UnitOption>,
    roles_action: String,
    password_action: String,
    access_action: String,
    history: Vec<HistoryRow>,
}

impl UserPage {
    fn error(&self, field: &str) -> Option<&str> {
        FieldError::for_field(&self.errors, field)
    }
}

/// What the page says after a change, by the `done` query value: only these fixed words.
fn done_message(done: Option<&str>) -> Option<&'static str> {
    Some(match done? {
        "roles" => "The role has been changed. They have been signed out everywhere.",
        "disabled" => "The account has been disabled. They have been signed out everywhere.",
        "enabled" => "The account has been enabled. They can sign in again.",
        _ => return None,
    })
}

/// What the user page shows besides the user.
#[derive(Default)]
struct Outcome {
    done: Option<&'static str>,
    new_password: Option<String>,
    errors: Vec<FieldError>,
    /// The form's choices to show again after an error.
    role: Option<Role>,
    unit: Option<String>,
}

/// The user's changes from the audit trail that the council may see, newest first.
async fn history_of<S: Backend>(
    state: &AppState<S>,
    council: &beacon_domain::organisation::CouncilRef,
    username: &str,
) -> Result<Vec<HistoryRow>, WebError> {
    let entity = format!("user {username}");
    let (trail, _) = state.store.audit_trail().await?;
    let rows: Vec<_> = trail
        .into_iter()
        .filter(|e| e.note.entity == entity)
        .collect();
    Ok(administration::history_for_council(rows, council)
        .into_iter()
        .rev()
        .map(super::history::row)
        .collect())
}

async fn render_user<S: Backend>(
    state: &AppState<S>,
    data: &CouncilData,
    viewer: &Viewer,
    user: &UserRecord,
    outcome: Outcome,
) -> Result<Response, WebError> {
    let c = data.council.reference.as_str();
    let mine = administration::grants_on(user, &data.council.reference);
    let current = mine.first();
    let status = if outcome.errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let base = paths::user(c, &user.username);
    let page = UserPage {
        chrome: chrome(data, vec![("Users".to_string(), paths::users(c))]),
        council_name: data.council.name.clone(),
        name: user.display_name.clone(),
        username: user.username.clone(),
        roles_text: roles_text(data, user),
        disabled: user.disabled,
        manageable: administration::manageable(user, &data.council.reference),
        yourself: viewer.principal().is_some_and(|p| p.user_id == user.id),
        done: outcome.done,
        new_password: outcome.new_password,
        roles: role_options(outcome.role.or(current.map(|g| g.role))),
        units: unit_options(
            data,
            outcome
                .unit
                .as_deref()
                .or(current.and_then(|g| g.unit.as_ref().map(Ref::as_str))),
        ),
        errors: outcome.errors,
        roles_action: format!("{base}/roles"),
        password_action: format!("{base}/password"),
        access_action: format!("{base}/access"),
        history: history_of(state, &data.council.reference, &user.username).await?,
    };
    Ok((status, Html(page.render()?)).into_response())
}

#[derive(Deserialize, Default)]
pub struct DoneQuery {
    #[serde(default)]
    done: Option<String>,
}

pub async fn one<S: Backend>(
    State(state): State<Arc<AppState<S>>>,
    Extension(viewer): Extension<Viewer>,
    Path((council, username)): Path<(String, String)>,
    Query(q): Query<DoneQuery>,
) -> Result<Response, WebError> {
    let data = state.council(&council).await?;
    let user = administration::find(&state.store, &data.council.reference, &username).await?;
    let outcome = Outcome {
        done: done_message(q.done.as_deref()),
        ..Outcome::default()
    };
    render_user(&state, &data, &viewer, &user, outcome).await
}

#[derive(Deserialize)]
pub struct RoleFields {
    #[serde(default)]
    role: String,
    #[serde(default)]
    unit: String,
}

/// Reads a role and scope from a form, or says which field is wrong.
fn grant_from(data: &CouncilData, f: &RoleFields) -> Result<Grant, Vec<FieldError>> {
    let mut errors = Vec::new();
    let role = f.role.parse::<Role>().ok();
    if role.is_none() {
        errors.push(FieldError {
            field: "role".into(),
            message: "Choose a role".into(),
        });
    }
    let unit = match f.unit.trim() {
        "" => None,
        u => {
            let found = data.units.iter().find(|x| x.reference.as_str() == u);
            if found.is_none() {
                errors.push(FieldError {
                    field: "unit".into(),
                    message: "Choose a part of the council from the list".into(),
                });
            }
            found.map(|x| x.reference.clone())
        }
    };
    match role {
        Some(role) if errors.is_empty() => Ok(Grant {
            role,
            council: data.council.reference.clone(),
            unit,
        }),
        _ => Err(errors),
    }
}

/// The outcome of a refused change, on the field it concerns.
fn refusal(field: &str, e: AppError) -> Result<Vec<FieldError>, WebError> {
    match e {
        AppError::Invalid(m) | AppError::Refused(m) => Ok(vec![FieldError {
            field: field.into(),
            message: m,
        }]),
        other => Err(other.into()),
    }
}

type UserPath = Path<(String, String)>;

pub async fn roles<S: Backend>(
    State(state): State<Arc<AppState<S>>>,
    Extension(viewer): Extension<Viewer>,
    Path((council, username)): UserPath,
    Form(f): Form<RoleFields>,
) -> Result<Response, WebError> {
    let data = state.council(&council).await?;
    let admin = principal(&viewer)?;
    let user = administration::find(&state.store, &data.council.reference, &username).await?;
    let errors = match grant_from(&data, &f) {
        Ok(grant) => match administration::change(
            &state.store,
            admin,
            &data.council.reference,
            &user.username,
            UserChange::Grants(vec![grant]),
            &actor(&state, admin),
        )
        .await
        {
            Ok(()) => {
                let to = format!(
                    "{}?done=roles",
                    paths::user(data.council.reference.as_str(), &user.username)
                );
                return Ok(Redirect::to(&to).into_response());
            }
            Err(e) => refusal("role", e)?,
        },
        Err(errors) => errors,
    };
    let outcome = Outcome {
        errors,
        role: f.role.parse().ok(),
        unit: Some(f.unit),
        ..Outcome::default()
    };
    render_user(&state, &data, &viewer, &user, outcome).await
}

pub async fn password<S: Backend>(
    State(state): State<Arc<AppState<S>>>,
    Extension(viewer): Extension<Viewer>,
    Path((council, username)): UserPath,
) -> Result<Response, WebError> {
    let data = state.council(&council).await?;
    let admin = principal(&viewer)?;
    let user = administration::find(&state.store, &data.council.reference, &username).await?;
    let new = beacon_app::accounts::generate_password()?;
    let outcome = match administration::change(
        &state.store,
        admin,
        &data.council.reference,
        &user.username,
        UserChange::Password(new.clone()),
        &actor(&state, admin),
    )
    .await
    {
        Ok(()) => Outcome {
            new_password: Some(new),
            ..Outcome::default()
        },
        Err(e) => Outcome {
            errors: refusal("reset", e)?,
            ..Outcome::default()
        },
    };
    render_user(&state, &data, &viewer, &user, outcome).await
}

#[derive(Deserialize)]
pub struct AccessFields {
    #[serde(default)]
    disabled: String,
}

pub async fn access<S: Backend>(
    State(state): State<Arc<AppState<S>>>,
    Extension(viewer): Extension<Viewer>,
    Path((council, username)): UserPath,
    Form(f): Form<AccessFields>,
) -> Result<Response, WebError> {
    let data = state.council(&council).await?;
    let admin = principal(&viewer)?;
    let user = administration::find(&state.store, &data.council.reference, &username).await?;
    let (change, done) = match f.disabled.as_str() {
        "true" => (UserChange::Disable, "disabled"),
        "false" => (UserChange::Enable, "enabled"),
        _ => {
            let outcome = Outcome {
                errors: vec![FieldError {
                    field: "access".into(),
                    message: "Say whether to disable or enable the account".into(),
                }],
                ..Outcome::default()
            };
            return render_user(&state, &data, &viewer, &user, outcome).await;
        }
    };
    match administration::change(
        &state.store,
        admin,
        &data.council.reference,
        &user.username,
        change,
        &actor(&state, admin),
    )
    .await
    {
        Ok(()) => Ok(Redirect::to(&format!(
            "{}?done={done}",
            paths::user(data.council.reference.as_str(), &user.username)
        ))
        .into_response()),
        Err(e) => {
            let outcome = Outcome {
                errors: refusal("access", e)?,
                ..Outcome::default()
            };
            render_user(&state, &data, &viewer, &user, outcome).await
        }
    }
}

#[derive(Template)]
#[template(path = "user_add.html")]
struct AddPage {
    chrome: Chrome,
    council_name: String,
    action: String,
    errors: Vec<FieldError>,
    display_name: String,
    username: String,
    roles: Vec<RoleOption>,
    units: Vec<UnitOption>,
}

impl AddPage {
    fn error(&self, field: &str) -> Option<&str> {
        FieldError::for_field(&self.errors, field)
    }
}

fn add_page(data: &CouncilData, f: &AddFields, errors: Vec<FieldError>) -> AddPage {
    let c = data.council.reference.as_str();
    AddPage {
        chrome: chrome(data, vec![("Users".to_string(), paths::users(c))]),
        council_name: data.council.name.clone(),
        action: paths::add_user(c),
        errors,
        display_name: f.display_name.clone(),
        username: f.username.clone(),
        roles: role_options(f.role.role.parse().ok()),
        units: unit_options(data, Some(f.role.unit.as_str())),
    }
}

pub async fn add_form<S: Backend>(
    State(state): State<Arc<AppState<S>>>,
    Path(council): Path<String>,
) -> Result<Response, WebError> {
    let data = state.council(&council).await?;
    let empty = AddFields {
        display_name: String::new(),
        username: String::new(),
        role: RoleFields {
            role: String::new(),
            unit: String::new(),
        },
    };
    Ok(Html(add_page(&data, &empty, Vec::new()).render()?).into_response())
}

#[derive(Deserialize)]
pub struct AddFields {
    #[serde(default)]
    display_name: String,
    #[serde(default)]
    username: String,
    #[serde(flatten)]
    role: RoleFields,
}

pub async fn add<S: Backend>(
    State(state): State<Arc<AppState<S>>>,
    Extension(viewer): Extension<Viewer>,
    Path(council): Path<String>,
    Form(f): Form<AddFields>,
) -> Result<Response, WebError> {
    let data = state.council(&council).await?;
    let admin = principal(&viewer)?;
    let mut errors = Vec::new();
    if f.display_name.trim().is_empty() {
        errors.push(FieldError {
            field: "display_name".into(),
            message: "Enter the person's full name".into(),
        });
    }
    if f.username.trim().is_empty() {
        errors.push(FieldError {
            field: "username".into(),
            message: "Enter a username".into(),
        });
    }
    let grant = grant_from(&data, &f.role).map_err(|e| errors.extend(e));
    if let (Ok(grant), true) = (grant, errors.is_empty()) {
        match administration::add(
            &state.store,
            admin,
            &f.username,
            &f.display_name,
            grant,
            &actor(&state, admin),
        )
        .await
        {
            Ok(password) => {
                let user = administration::find(&state.store, &data.council.reference, &f.username)
                    .await?;
                let outcome = Outcome {
                    done: Some("The user has been added."),
                    new_password: Some(password),
                    ..Outcome::default()
                };
                return render_user(&state, &data, &viewer, &user, outcome).await;
            }
            Err(e) => errors = refusal("username", e)?,
        }
    }
    let page = add_page(&data, &f, errors);
    Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(page.render()?)).into_response())
}
