//! The one registry of routes: every path Beacon serves, its method, and who may use it. The
//! router is built from this list, each route wrapped in the check its `Access` names, so a
//! route cannot exist without a rule; the authorization matrix test walks the same list.

use crate::auth::{Viewer, to_sign_in};
use crate::error::WebError;
use crate::pages;
use crate::{AppState, Backend};
use axum::extract::{RawPathParams, Request, State};
use axum::http::Method;
use axum::middleware::{Next, from_fn_with_state};
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodRouter, get, post};
use beacon_app::access::Action;
use beacon_domain::Ref;
use beacon_domain::organisation::CouncilRef;
use std::sync::Arc;

/// Who may use a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone, signed in or not.
    Public,
    /// Anyone signed in.
    SignedIn,
    /// A user allowed the action on the council in the path (`{council}`).
    Council(Action),
    /// A user allowed the action on the unit in the path (`{unit}`) of the council.
    Unit(Action),
}

/// One route: what the matrix test needs to know of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RouteSpec {
    /// A short unique name, used by the matrix test's expectations.
    pub name: &'static str,
    pub method: &'static str,
    pub path: &'static str,
    pub access: Access,
}

impl RouteSpec {
    /// Whether the route changes state (and so needs a form token).
    pub fn writes(&self) -> bool {
        self.method != "GET"
    }
}

type Handler<S> = MethodRouter<Arc<AppState<S>>>;

const fn spec(
    name: &'static str,
    method: &'static str,
    path: &'static str,
    access: Access,
) -> RouteSpec {
    RouteSpec {
        name,
        method,
        path,
        access,
    }
}

/// Every route Beacon serves.
pub const ROUTES: &[RouteSpec] = {
    use Access::*;
    use Action::*;
    &[
        spec("home", "GET", "/", Public),
        spec("sign-in", "GET", "/sign-in", Public),
        spec("sign-in-submit", "POST", "/sign-in", Public),
        spec("sign-out", "POST", "/sign-out", SignedIn),
        spec("account", "GET", "/account", SignedIn),
        spec("account-password", "POST", "/account/password", SignedIn),
        spec("account-mfa", "GET", "/account/mfa", SignedIn),
        spec("account-mfa-submit", "POST", "/account/mfa", SignedIn),
        spec("account-mfa-off", "POST", "/account/mfa/off", SignedIn),
        spec(
            "account-mfa-codes",
            "POST",
            "/account/mfa/recovery-codes",
            SignedIn,
        ),
        spec("sign-in-code", "GET", "/sign-in/code", Public),
        spec("sign-in-code-submit", "POST", "/sign-in/code", Public),
        spec("sign-in-set-up", "GET", "/sign-in/set-up", Public),
        spec("sign-in-set-up-submit", "POST", "/sign-in/set-up", Public),
        spec("council", "GET", "/c/{council}", Council(Read)),
        spec("search", "GET", "/c/{council}/search", Council(Read)),
        spec(
            "dashboard",
            "GET",
            "/c/{council}/q/{year}/{quarter}",
            Council(Read),
        ),
        spec(
            "budget",
            "GET",
            "/c/{council}/q/{year}/{quarter}/budget",
            Council(Read),
        ),
        spec(
            "statement",
            "GET",
            "/c/{council}/q/{year}/{quarter}/budget/{statement}",
            Council(Read),
        ),
        spec(
            "statement-edit",
            "GET",
            "/c/{council}/q/{year}/{quarter}/budget/{statement}/edit",
            Council(Manage),
        ),
        spec(
            "statement-edit-submit",
            "POST",
            "/c/{council}/q/{year}/{quarter}/budget/{statement}/edit",
            Council(Manage),
        ),
        spec(
            "statement-remove",
            "GET",
            "/c/{council}/q/{year}/{quarter}/budget/{statement}/remove",
            Council(Manage),
        ),
        spec(
            "statement-remove-submit",
            "POST",
            "/c/{council}/q/{year}/{quarter}/budget/{statement}/remove",
            Council(Manage),
        ),
        spec(
            "new-statement",
            "GET",
            "/c/{council}/q/{year}/{quarter}/new-statement",
            Council(Manage),
        ),
        spec(
            "new-statement-submit",
            "POST",
            "/c/{council}/q/{year}/{quarter}/new-statement",
            Council(Manage),
        ),
        spec(
            "entry",
            "GET",
            "/c/{council}/q/{year}/{quarter}/entry/{unit}",
            Unit(Enter),
        ),
        spec(
            "entry-submit",
            "POST",
            "/c/{council}/q/{year}/{quarter}/entry/{unit}",
            Unit(Enter),
        ),
        spec(
            "workbook",
            "GET",
            "/c/{council}/q/{year}/{quarter}/entry/{unit}/workbook.xlsx",
            Unit(Enter),
        ),
        spec(
            "workbook-upload",
            "POST",
            "/c/{council}/q/{year}/{quarter}/entry/{unit}/workbook",
            Unit(Enter),
        ),
        spec(
            "sign-off",
            "GET",
            "/c/{council}/q/{year}/{quarter}/sign-off/{unit}",
            Council(Read),
        ),
        spec(
            "submit",
            "POST",
            "/c/{council}/q/{year}/{quarter}/sign-off/{unit}/submit",
            Unit(Enter),
        ),
        spec(
            "send-back",
            "POST",
            "/c/{council}/q/{year}/{quarter}/sign-off/{unit}/send-back",
            Unit(SignOff),
        ),
        spec(
            "approve",
            "POST",
            "/c/{council}/q/{year}/{quarter}/sign-off/{unit}/sign-off",
            Unit(SignOff),
        ),
        spec(
            "reopen",
            "POST",
            "/c/{council}/q/{year}/{quarter}/sign-off/{unit}/reopen",
            Unit(SignOff),
        ),
        spec(
            "publish",
            "POST",
            "/c/{council}/q/{year}/{quarter}/sign-off/{unit}/publish",
            Unit(Manage),
        ),
        spec(
            "report",
            "GET",
            "/c/{council}/q/{year}/{quarter}/report/{unit}",
            Council(Read),
        ),
        spec(
            "report-file",
            "GET",
            "/c/{council}/q/{year}/{quarter}/report/{unit}/{file}",
            Council(Read),
        ),
        spec(
            "cover-report",
            "GET",
            "/c/{council}/q/{year}/{quarter}/cover/{unit}",
            Council(Read),
        ),
        spec(
            "cover-report-file",
            "GET",
            "/c/{council}/q/{year}/{quarter}/cover/{unit}/{file}",
            Council(Read),
        ),
        spec(
            "outturn-report",
            "GET",
            "/c/{council}/y/{year}/outturn/{unit}",
            Council(Read),
        ),
        spec(
            "outturn-report-file",
            "GET",
            "/c/{council}/y/{year}/outturn/{unit}/{file}",
            Council(Read),
        ),
        spec(
            "target-review",
            "GET",
            "/c/{council}/y/{year}/target-review/{unit}",
            Council(Read),
        ),
        spec(
            "target-review-file",
            "GET",
            "/c/{council}/y/{year}/target-review/{unit}/{file}",
            Council(Read),
        ),
        spec(
            "community-report",
            "GET",
            "/c/{council}/y/{year}/community",
            Council(Read),
        ),
        spec(
            "community-report-file",
            "GET",
            "/c/{council}/y/{year}/community/{file}",
            Council(Read),
        ),
        spec(
            "missing",
            "GET",
            "/c/{council}/q/{year}/{quarter}/missing",
            Council(Manage),
        ),
        spec(
            "calendar",
            "GET",
            "/c/{council}/calendar/{year}",
            Council(Read),
        ),
        spec(
            "notices",
            "GET",
            "/c/{council}/notices",
            Council(Administer),
        ),
        spec("plan", "GET", "/c/{council}/plans/{plan}", Council(Read)),
        spec(
            "objective",
            "GET",
            "/c/{council}/plans/{plan}/objectives/{objective}",
            Council(Read),
        ),
        spec(
            "indicator",
            "GET",
            "/c/{council}/plans/{plan}/indicators/{indicator}",
            Council(Read),
        ),
        spec(
            "risks",
            "GET",
            "/c/{council}/plans/{plan}/risks",
            Council(Read),
        ),
        spec(
            "compare",
            "GET",
            "/c/{council}/plans/{plan}/compare",
            Council(Read),
        ),
        spec(
            "refresh",
            "GET",
            "/c/{council}/plans/{plan}/refresh",
            Council(Manage),
        ),
        spec(
            "refresh-submit",
            "POST",
            "/c/{council}/plans/{plan}/refresh",
            Council(Manage),
        ),
        spec(
            "edit-plan",
            "GET",
            "/c/{council}/plans/{plan}/edit",
            Council(Manage),
        ),
        spec(
            "edit-budget",
            "GET",
            "/c/{council}/plans/{plan}/edit/budget",
            Council(Manage),
        ),
        spec(
            "edit-budget-submit",
            "POST",
            "/c/{council}/plans/{plan}/edit/budget",
            Council(Manage),
        ),
        spec(
            "edit-item",
            "GET",
            "/c/{council}/plans/{plan}/edit/{what}/{item}",
            Council(Manage),
        ),
        spec(
            "edit-item-submit",
            "POST",
            "/c/{council}/plans/{plan}/edit/{what}/{item}",
            Council(Manage),
        ),
        spec("new-plan", "GET", "/c/{council}/new-plan", Council(Manage)),
        spec(
            "organisation",
            "GET",
            "/c/{council}/organisation",
            Council(Manage),
        ),
        spec(
            "organisation-item",
            "GET",
            "/c/{council}/organisation/{part}/{member}",
            Council(Manage),
        ),
        spec(
            "organisation-item-submit",
            "POST",
            "/c/{council}/organisation/{part}/{member}",
            Council(Manage),
        ),
        spec("library", "GET", "/c/{council}/library", Council(Manage)),
        spec(
            "library-entry",
            "GET",
            "/c/{council}/library/{entry}",
            Council(Manage),
        ),
        spec(
            "library-entry-submit",
            "POST",
            "/c/{council}/library/{entry}",
            Council(Manage),
        ),
        spec(
            "new-plan-submit",
            "POST",
            "/c/{council}/new-plan",
            Council(Manage),
        ),
        spec(
            "priorities",
            "GET",
            "/c/{council}/priorities",
            Council(Read),
        ),
        spec(
            "priority",
            "GET",
            "/c/{council}/priorities/{frame}",
            Council(Read),
        ),
        spec(
            "table",
            "GET",
            "/c/{council}/plans/{plan}/tables/{file}",
            Council(Read),
        ),
        spec("users", "GET", "/c/{council}/users", Council(Administer)),
        spec(
            "user",
            "GET",
            "/c/{council}/users/{user}",
            Council(Administer),
        ),
        spec(
            "user-roles",
            "POST",
            "/c/{council}/users/{user}/roles",
            Council(Administer),
        ),
        spec(
            "user-password",
            "POST",
            "/c/{council}/users/{user}/password",
            Council(Administer),
        ),
        spec(
            "user-access",
            "POST",
            "/c/{council}/users/{user}/access",
            Council(Administer),
        ),
        spec(
            "add-user",
            "GET",
            "/c/{council}/add-user",
            Council(Administer),
        ),
        spec(
            "add-user-submit",
            "POST",
            "/c/{council}/add-user",
            Council(Administer),
        ),
        spec("public", "GET", "/p/{council}", Public),
        spec(
            "publication",
            "GET",
            "/p/{council}/{unit}/{year}/{quarter}",
            Public,
        ),
        spec(
            "published-file",
            "GET",
            "/p/{council}/{unit}/{year}/{quarter}/{version}/{file}",
            Public,
        ),
        spec("css", "GET", crate::assets::CSS_URL, Public),
        spec("js", "GET", crate::assets::JS_URL, Public),
        spec("colour", "GET", "/assets/colour/{file}", Public),
        spec("script", "GET", "/assets/beacon/{file}", Public),
        spec("health", "GET", "/healthz", Public),
        spec("ready", "GET", "/readyz", Public),
        spec("account-token", "POST", "/account/tokens", SignedIn),
        spec("account-notices", "POST", "/account/notices", SignedIn),
        spec(
            "account-token-revoke",
            "POST",
            "/account/tokens/{token}/revoke",
            SignedIn,
        ),
        // The JSON API (`api`): a bearer token in place of a session, no cookies, no forms.
        spec("api-reference", "GET", "/api/v1", Public),
        spec("api-openapi", "GET", "/api/v1/openapi.json", Public),
        spec("api-councils", "GET", "/api/v1/councils", SignedIn),
        spec(
            "api-council",
            "GET",
            "/api/v1/councils/{council}",
            Council(Read),
        ),
        spec(
            "api-units",
            "GET",
            "/api/v1/councils/{council}/units",
            Council(Read),
        ),
        spec(
            "api-officers",
            "GET",
            "/api/v1/councils/{council}/officers",
            Council(Read),
        ),
        spec(
            "api-frames",
            "GET",
            "/api/v1/councils/{council}/frames",
            Council(Read),
        ),
        spec(
            "api-setup",
            "POST",
            "/api/v1/councils/{council}/setup",
            Council(Manage),
        ),
        spec(
            "api-plans",
            "GET",
            "/api/v1/councils/{council}/plans",
            Council(Read),
        ),
        spec(
            "api-plan",
            "GET",
            "/api/v1/councils/{council}/plans/{plan}",
            Council(Read),
        ),
        spec(
            "api-objectives",
            "GET",
            "/api/v1/councils/{council}/objectives",
            Council(Read),
        ),
        spec(
            "api-milestones",
            "GET",
            "/api/v1/councils/{council}/milestones",
            Council(Read),
        ),
        spec(
            "api-indicators",
            "GET",
            "/api/v1/councils/{council}/indicators",
            Council(Read),
        ),
        spec(
            "api-indicator",
            "GET",
            "/api/v1/councils/{council}/indicators/{indicator}",
            Council(Read),
        ),
        spec(
            "api-risks",
            "GET",
            "/api/v1/councils/{council}/risks",
            Council(Read),
        ),
        spec(
            "api-equality-actions",
            "GET",
            "/api/v1/councils/{council}/equality-actions",
            Council(Read),
        ),
        spec(
            "api-budget-statements",
            "GET",
            "/api/v1/councils/{council}/budget-statements",
            Council(Read),
        ),
        spec(
            "api-publications",
            "GET",
            "/api/v1/councils/{council}/publications",
            Council(Read),
        ),
        spec(
            "api-quarter-states",
            "GET",
            "/api/v1/councils/{council}/quarters/{year}/{quarter}/states",
            Council(Read),
        ),
        spec(
            "api-statuses",
            "GET",
            "/api/v1/councils/{council}/quarters/{year}/{quarter}/statuses",
            Council(Read),
        ),
        spec(
            "api-unit-quarter",
            "GET",
            "/api/v1/councils/{council}/quarters/{year}/{quarter}/units/{unit}",
            Council(Read),
        ),
        spec(
            "api-report",
            "GET",
            "/api/v1/councils/{council}/quarters/{year}/{quarter}/units/{unit}/report",
            Council(Read),
        ),
        spec(
            "api-entries",
            "POST",
            "/api/v1/councils/{council}/quarters/{year}/{quarter}/units/{unit}/entries",
            Unit(Enter),
        ),
        spec(
            "api-status",
            "PUT",
            "/api/v1/councils/{council}/quarters/{year}/{quarter}/units/{unit}/statuses/{kind}/{item}",
            Unit(Enter),
        ),
        spec(
            "api-submit",
            "POST",
            "/api/v1/councils/{council}/quarters/{year}/{quarter}/units/{unit}/submit",
            Unit(Enter),
        ),
        spec(
            "api-send-back",
            "POST",
            "/api/v1/councils/{council}/quarters/{year}/{quarter}/units/{unit}/send-back",
            Unit(SignOff),
        ),
        spec(
            "api-sign-off",
            "POST",
            "/api/v1/councils/{council}/quarters/{year}/{quarter}/units/{unit}/sign-off",
            Unit(SignOff),
        ),
        spec(
            "api-reopen",
            "POST",
            "/api/v1/councils/{council}/quarters/{year}/{quarter}/units/{unit}/reopen",
            Unit(SignOff),
        ),
        spec(
            "api-publish",
            "POST",
            "/api/v1/councils/{council}/quarters/{year}/{quarter}/units/{unit}/publish",
            Unit(Manage),
        ),
        spec(
            "api-public-publications",
            "GET",
            "/api/v1/public/councils/{council}/publications",
            Public,
        ),
        spec(
            "api-public-report",
            "GET",
            "/api/v1/public/councils/{council}/publications/{unit}/{year}/{quarter}/{version}/report",
            Public,
        ),
    ]
};

/// Whether a route's path pattern matches a path (without its query): literal segments are
/// equal and `{…}` segments are not empty.
fn matches(pattern: &str, path: &str) -> bool {
    let mut given = path.split('/').skip(1);
    let mut wanted = pattern.split('/').skip(1);
    loop {
        match (wanted.next(), given.next()) {
            (None, None) => return true,
            (Some(p), Some(g)) if p.starts_with('{') && !g.is_empty() => {}
            (Some(p), Some(g)) if p == g => {}
            _ => return false,
        }
    }
}

/// Whether a path (without its query) names a page of [`ROUTES`] that a browser can be sent
/// to: a GET route.
pub fn names_a_page(path: &str) -> bool {
    ROUTES
        .iter()
        .any(|r| r.method == "GET" && matches(r.path, path))
}

/// The largest body a workbook upload may send: the 32 MiB a workbook may be, and room for
/// the form's other fields.
pub const UPLOAD_BODY_LIMIT: usize = 32 * 1024 * 1024 + 64 * 1024;
/// The largest body any other form may send (a quarter's entry form with long commentary
/// fits many times over).
pub const FORM_BODY_LIMIT: usize = 1024 * 1024;
/// The largest body accepted from someone not signed in (the sign-in form).
pub const ANONYMOUS_BODY_LIMIT: usize = 16 * 1024;

/// The largest body a request to `path` may send: small before sign-in, a form's size for
/// forms, and a workbook's for the upload.
pub fn body_limit(path: &str, signed_in: bool) -> usize {
    if !signed_in {
        ANONYMOUS_BODY_LIMIT
    } else if ROUTES
        .iter()
        .any(|r| r.name == "workbook-upload" && matches(r.path, path))
    {
        UPLOAD_BODY_LIMIT
    } else {
        FORM_BODY_LIMIT
    }
}

/// A size in words: `16 KiB`, `1 MiB`.
pub fn size_words(bytes: usize) -> String {
    if bytes >= 1024 * 1024 {
        format!("{} MiB", bytes / (1024 * 1024))
    } else {
        format!("{} KiB", bytes.div_ceil(1024))
    }
}

/// The handler of a route in [`ROUTES`], by name.
pub(crate) fn handler<S: Backend>(name: &str) -> Option<Handler<S>> {
    Some(match name {
        "home" => get(pages::council::home::<S>),
        "sign-in" => get(pages::account::form),
        "sign-in-submit" => post(pages::account::submit::<S>),
        "sign-out" => post(pages::account::sign_out::<S>),
        "account" => get(pages::account::yours::<S>),
        "account-password" => post(pages::account::change_password::<S>),
        "account-mfa" => get(pages::mfa::setup_form::<S>),
        "account-mfa-submit" => post(pages::mfa::setup_submit::<S>),
        "account-mfa-off" => post(pages::mfa::turn_off::<S>),
        "account-mfa-codes" => post(pages::mfa::new_codes::<S>),
        "sign-in-code" => get(pages::mfa::code_form::<S>),
        "sign-in-code-submit" => post(pages::mfa::code_submit::<S>),
        "sign-in-set-up" => get(pages::mfa::pending_setup_form::<S>),
        "sign-in-set-up-submit" => post(pages::mfa::pending_setup_submit::<S>),
        "council" => get(pages::council::overview::<S>),
        "search" => get(pages::council::search::<S>),
        "dashboard" => get(pages::quarter::dashboard::<S>),
        "budget" => get(pages::budget::statements::<S>),
        "statement" => get(pages::budget::statement::<S>),
        "statement-edit" => get(pages::statement_edit::form::<S>),
        "statement-edit-submit" => post(pages::statement_edit::save::<S>),
        "statement-remove" => get(pages::statement_remove::form::<S>),
        "statement-remove-submit" => post(pages::statement_remove::submit::<S>),
        "new-statement" => get(pages::statement_edit::new_form::<S>),
        "new-statement-submit" => post(pages::statement_edit::create::<S>),
        "entry" => get(pages::entry::form::<S>),
        "entry-submit" => post(pages::entry::submit::<S>),
        "workbook" => get(pages::workbook::download::<S>),
        "workbook-upload" => post(pages::workbook::upload::<S>),
        "sign-off" => get(pages::lifecycle::page::<S>),
        "submit" => post(pages::lifecycle::submit::<S>),
        "send-back" => post(pages::lifecycle::send_back::<S>),
        "approve" => post(pages::lifecycle::sign_off::<S>),
        "reopen" => post(pages::lifecycle::reopen::<S>),
        "publish" => post(pages::lifecycle::publish::<S>),
        "report" => get(pages::report::page::<S>),
        "report-file" => get(pages::report::download::<S>),
        "cover-report" => get(pages::annual::cover_page::<S>),
        "cover-report-file" => get(pages::annual::cover_file::<S>),
        "outturn-report" => get(pages::annual::outturn_page::<S>),
        "outturn-report-file" => get(pages::annual::outturn_file::<S>),
        "target-review" => get(pages::annual::review_page::<S>),
        "target-review-file" => get(pages::annual::review_file::<S>),
        "community-report" => get(pages::annual::community_page::<S>),
        "community-report-file" => get(pages::annual::community_file::<S>),
        "missing" => get(pages::calendar::missing::<S>),
        "calendar" => get(pages::calendar::year::<S>),
        "notices" => get(pages::calendar::notices::<S>),
        "plan" => get(pages::plan::browser::<S>),
        "objective" => get(pages::plan::objective::<S>),
        "indicator" => get(pages::plan::indicator::<S>),
        "risks" => get(pages::plan::risks::<S>),
        "compare" => get(pages::compare::page::<S>),
        "refresh" => get(pages::compare::refresh_form::<S>),
        "refresh-submit" => post(pages::compare::refresh::<S>),
        "edit-plan" => get(pages::edit::plan_hub::<S>),
        "edit-item" => get(pages::edit::form::<S>),
        "edit-budget" => get(pages::plan_budget::form::<S>),
        "edit-budget-submit" => post(pages::plan_budget::submit::<S>),
        "edit-item-submit" => post(pages::edit::save_item::<S>),
        "new-plan" => get(pages::edit::new_plan_form::<S>),
        "organisation" => get(pages::organisation::list::<S>),
        "organisation-item" => get(pages::organisation::form::<S>),
        "organisation-item-submit" => post(pages::organisation::save::<S>),
        "new-plan-submit" => post(pages::edit::create_plan::<S>),
        "library" => get(pages::library::list::<S>),
        "library-entry" => get(pages::library::form::<S>),
        "library-entry-submit" => post(pages::library::save::<S>),
        "priorities" => get(pages::priority::list::<S>),
        "priority" => get(pages::priority::one::<S>),
        "table" => get(pages::export::download::<S>),
        "users" => get(pages::users::list::<S>),
        "user" => get(pages::users::one::<S>),
        "user-roles" => post(pages::users::roles::<S>),
        "user-password" => post(pages::users::password::<S>),
        "user-access" => post(pages::users::access::<S>),
        "add-user" => get(pages::users::add_form::<S>),
        "add-user-submit" => post(pages::users::add::<S>),
        "public" => get(pages::public::council::<S>),
        "publication" => get(pages::public::publication::<S>),
        "published-file" => get(pages::public::file::<S>),
        "css" => get(crate::assets::css),
        "js" => get(crate::assets::js),
        "colour" => get(crate::csp::colour),
        "script" => get(crate::csp::script),
        "health" => get(|| async { "ok" }),
        "ready" => get(crate::ops::ready_route::<S>),
        "account-token" => post(pages::tokens::create::<S>),
        "account-notices" => post(pages::contact::save::<S>),
        "account-token-revoke" => post(pages::tokens::revoke::<S>),
        name if name.starts_with("api-") => return crate::api::handler::<S>(name),
        _ => return None,
    })
}

/// Wraps a route's handler in the check its access names.
pub(crate) fn guarded<S: Backend>(
    state: &Arc<AppState<S>>,
    spec: RouteSpec,
    handler: Handler<S>,
) -> Handler<S> {
    if spec.access == Access::Public {
        return handler;
    }
    handler.layer(from_fn_with_state(
        (Arc::clone(state), spec.access),
        authorize::<S>,
    ))
}

fn param<'a>(params: &'a RawPathParams, name: &str) -> Option<&'a str> {
    params.iter().find(|(k, _)| *k == name).map(|(_, v)| v)
}

/// Lets the request through if the viewer may use the route; otherwise a sign-in redirect
/// (nobody signed in, a GET), 404 (another council's: not even its existence is shown) or 403.
/// On the API the asker is the bearer token's (never a session), and each refusal is a
/// problem body in the same words: 401 without a token in place of the sign-in redirect.
async fn authorize<S: Backend>(
    State((state, access)): State<(Arc<AppState<S>>, Access)>,
    params: RawPathParams,
    req: Request,
    next: Next,
) -> Response {
    let api = crate::api::is_api(req.uri().path());
    let refuse = |e: WebError| {
        if api {
            crate::error::problem_of(e)
        } else {
            e.into_response()
        }
    };
    let principal = if api {
        req.extensions()
            .get::<crate::api::Caller>()
            .map(|c| c.principal.clone())
    } else {
        req.extensions()
            .get::<Viewer>()
            .and_then(|v| v.principal().cloned())
    };
    let Some(principal) = principal else {
        if api {
            return crate::api::unauthenticated();
        }
        if req.method() == Method::GET {
            let next_path = req
                .uri()
                .path_and_query()
                .map_or("/", |p| p.as_str())
                .to_string();
            return to_sign_in(&next_path);
        }
        crate::security::forbidden(req.uri().path(), crate::security::client_of(&req), None);
        return WebError::Forbidden("Sign in to do this.").into_response();
    };
    let allowed = match access {
        Access::Public | Access::SignedIn => true,
        Access::Council(action) | Access::Unit(action) => {
            let Some(council) =
                param(&params, "council").and_then(|c| c.parse::<CouncilRef>().ok())
            else {
                return refuse(WebError::NotFound);
            };
            if !principal.belongs_to(&council) {
                return refuse(WebError::NotFound);
            }
            match access {
                Access::Unit(_) => {
                    let Some(unit) = param(&params, "unit").and_then(|u| u.parse::<Ref>().ok())
                    else {
                        return refuse(WebError::NotFound);
                    };
                    match state.council(council.as_str()).await {
                        Ok(data) => principal.may_on_unit(&data, &unit, action),
                        Err(e) => return refuse(e),
                    }
                }
                _ => principal.may(&council, action),
            }
        }
    };
    if allowed {
        next.run(req).await
    } else {
        crate::security::forbidden(
            req.uri().path(),
            crate::security::client_of(&req),
            Some(&principal.username),
        );
        refuse(WebError::Forbidden(
            "You do not have permission to do this. Ask your council's Beacon administrator if you need it.",
        ))
    }
}
