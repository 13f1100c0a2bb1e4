//! The API's OpenAPI 3.1 description, built with `utoipa` from the route registry: every API
//! route of `routes::ROUTES` becomes an operation with its path parameters, and [`OPERATIONS`]
//! adds what the registry does not say (a summary, the filters, the body, whether it takes
//! `If-Match`). A route missing from either fails a test.

use super::schemas::{Found, SchemaFn};
use crate::routes::{Access, ROUTES, RouteSpec};
use serde_json::{Value, json};
use utoipa::openapi::path::{
    HttpMethod, OperationBuilder, ParameterBuilder, ParameterIn, PathItem, PathsBuilder,
};
use utoipa::openapi::request_body::RequestBodyBuilder;
use utoipa::openapi::response::{ResponseBuilder, ResponsesBuilder};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityRequirement, SecurityScheme};
use utoipa::openapi::{
    ComponentsBuilder, ContentBuilder, InfoBuilder, OpenApi, OpenApiBuilder, RefOr, Required,
    Schema,
};

/// What an operation answers with.
#[derive(Debug, Clone, Copy)]
pub enum Answer {
    /// JSON, of this schema.
    Json(SchemaFn),
    /// An HTML page.
    Html,
}

/// What the description says of an API route beyond the registry.
#[derive(Debug, Clone, Copy)]
pub struct Operation {
    /// The route's name in the registry.
    pub name: &'static str,
    pub tag: &'static str,
    pub summary: &'static str,
    /// The query parameters it takes (of `plan`, `unit`, `period`, `cursor`, `limit`).
    pub query: &'static [&'static str],
    /// The schema of its JSON body, if it takes one.
    pub body: Option<SchemaFn>,
    pub answer: Answer,
}

const LIST: &[&str] = &["cursor", "limit"];
const PLAN_LIST: &[&str] = &["plan", "unit", "period", "cursor", "limit"];

const fn op(
    name: &'static str,
    tag: &'static str,
    summary: &'static str,
    query: &'static [&'static str],
    body: Option<SchemaFn>,
    answer: Answer,
) -> Operation {
    Operation {
        name,
        tag,
        summary,
        query,
        body,
        answer,
    }
}

/// Every API operation.
pub const OPERATIONS: &[Operation] = {
    use super::schemas as S;
    use Answer::*;
    &[
        op(
            "api-reference",
            "About",
            "This reference, as a page",
            &[],
            None,
            Html,
        ),
        op(
            "api-openapi",
            "About",
            "This description (OpenAPI 3.1)",
            &[],
            None,
            Json(S::openapi),
        ),
        op(
            "api-councils",
            "Councils",
            "The councils the token reaches",
            &[],
            None,
            Json(S::councils),
        ),
        op(
            "api-council",
            "Councils",
            "A council",
            &[],
            None,
            Json(S::council),
        ),
        op(
            "api-units",
            "Councils",
            "The council's units",
            LIST,
            None,
            Json(S::units),
        ),
        op(
            "api-officers",
            "Councils",
            "The council's officers (unit= filters by their unit)",
            &["unit", "cursor", "limit"],
            None,
            Json(S::officers),
        ),
        op(
            "api-frames",
            "Councils",
            "The council's strategic frames: corporate priorities, areas of focus, community-strategy themes… (kind= filters)",
            &["kind", "cursor", "limit"],
            None,
            Json(S::frames),
        ),
        op(
            "api-setup",
            "Writing",
            "Bulk set-up: indicator definitions, targets and values as rows of the set-up files, checked whole and loaded all or nothing (dry_run=true only checks)",
            &["dry_run"],
            Some(S::setup_body),
            Json(S::set_up),
        ),
        op(
            "api-plans",
            "Plans",
            "Plans, with their versions",
            PLAN_LIST,
            None,
            Json(S::plans),
        ),
        op(
            "api-plan",
            "Plans",
            "A whole plan",
            &[],
            None,
            Json(S::plan),
        ),
        op(
            "api-objectives",
            "Plans",
            "Objectives",
            PLAN_LIST,
            None,
            Json(S::objectives),
        ),
        op(
            "api-milestones",
            "Plans",
            "Milestones",
            PLAN_LIST,
            None,
            Json(S::milestones),
        ),
        op(
            "api-indicators",
            "Plans",
            "Indicators with their targets",
            PLAN_LIST,
            None,
            Json(S::indicators),
        ),
        op(
            "api-indicator",
            "Plans",
            "An indicator (by any of its codes) in each plan that has it, with its targets and recorded values",
            &["plan", "unit", "period"],
            None,
            Json(S::indicator),
        ),
        op(
            "api-risks",
            "Plans",
            "Risks",
            PLAN_LIST,
            None,
            Json(S::risks),
        ),
        op(
            "api-equality-actions",
            "Plans",
            "Equality actions",
            PLAN_LIST,
            None,
            Json(S::equality_actions),
        ),
        op(
            "api-budget-statements",
            "Budget",
            "Budget statements",
            &["unit", "period", "cursor", "limit"],
            None,
            Json(S::statements),
        ),
        op(
            "api-publications",
            "Quarters",
            "Published versions",
            &["unit", "period", "cursor", "limit"],
            None,
            Json(S::publications),
        ),
        op(
            "api-quarter-states",
            "Quarters",
            "Where each unit's quarter stands (state and version)",
            &["unit", "cursor", "limit"],
            None,
            Json(S::states),
        ),
        op(
            "api-statuses",
            "Quarters",
            "The quarter's statuses with their reasons and direction of travel",
            &["plan", "unit"],
            None,
            Json(S::statuses),
        ),
        op(
            "api-unit-quarter",
            "Quarters",
            "A unit's quarter: its state and what is recorded; its ETag is the version writes send as If-Match",
            &[],
            None,
            Json(S::unit_quarter),
        ),
        op(
            "api-report",
            "Quarters",
            "The monitoring report of a unit's quarter (the report model)",
            &[],
            None,
            Json(S::report),
        ),
        op(
            "api-entries",
            "Writing",
            "Record a unit's quarter's values, progress and commentary",
            &[],
            Some(S::entry),
            Json(S::recorded),
        ),
        op(
            "api-status",
            "Writing",
            "Set an indicator's or milestone's status by hand",
            &[],
            Some(S::status_by_hand),
            Json(S::recorded),
        ),
        op(
            "api-submit",
            "Steps",
            "Submit the unit's quarter",
            &[],
            Some(S::step),
            Json(S::stepped),
        ),
        op(
            "api-send-back",
            "Steps",
            "Send the quarter back (a reason is needed)",
            &[],
            Some(S::step),
            Json(S::stepped),
        ),
        op(
            "api-sign-off",
            "Steps",
            "Sign the quarter off",
            &[],
            Some(S::step),
            Json(S::stepped),
        ),
        op(
            "api-reopen",
            "Steps",
            "Reopen a signed-off or published quarter (a reason is needed)",
            &[],
            Some(S::step),
            Json(S::stepped),
        ),
        op(
            "api-publish",
            "Steps",
            "Publish the signed-off quarter",
            &[],
            Some(S::step),
            Json(S::stepped),
        ),
        op(
            "api-public-publications",
            "Open data",
            "Published versions (no token)",
            &["unit", "period", "cursor", "limit"],
            None,
            Json(S::public_publications),
        ),
        op(
            "api-public-report",
            "Open data",
            "A published version's report model, frozen (no token; version v1, v2… or latest)",
            &[],
            None,
            Json(S::report),
        ),
    ]
};

/// The API routes of the registry.
pub fn api_routes() -> impl Iterator<Item = &'static RouteSpec> {
    ROUTES.iter().filter(|r| super::is_api(r.path))
}

fn schema(v: Value) -> Schema {
    serde_json::from_value(v).unwrap_or_default()
}

fn text() -> Schema {
    schema(json!({"type": "string"}))
}

fn parameter(
    name: &str,
    place: ParameterIn,
    description: &str,
    s: Schema,
) -> utoipa::openapi::path::Parameter {
    ParameterBuilder::new()
        .name(name)
        .parameter_in(place.clone())
        .required(if place == ParameterIn::Path {
            Required::True
        } else {
            Required::False
        })
        .description(Some(description))
        .schema(Some(s))
        .build()
}

fn query(name: &str) -> utoipa::openapi::path::Parameter {
    let (description, s) = match name {
        "plan" => ("A plan's ref", text()),
        "unit" => ("A unit's ref", text()),
        "period" => (
            "A financial year, 2012-13",
            schema(json!({"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}$"})),
        ),
        "cursor" => ("Where the page before ended: its next_cursor", text()),
        "kind" => (
            "A kind of frame",
            schema(
                json!({"type": "string", "enum": beacon_domain::frame::FrameKind::ALL.iter().map(|k| k.as_str()).collect::<Vec<_>>()}),
            ),
        ),
        "dry_run" => (
            "true: check the rows and say what would change, loading nothing",
            schema(json!({"type": "boolean"})),
        ),
        _ => (
            "How many items a page holds",
            schema(json!({"type": "integer", "minimum": 1, "maximum": super::json::MAX_LIMIT})),
        ),
    };
    parameter(name, ParameterIn::Query, description, s)
}

fn path_parameter(name: &str) -> utoipa::openapi::path::Parameter {
    let (description, s) = match name {
        "council" => ("The council's ref", text()),
        "year" => (
            "The financial year, 2012-13",
            schema(json!({"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}$"})),
        ),
        "quarter" => (
            "The quarter of the year, 1 to 4",
            schema(json!({"type": "integer", "minimum": 1, "maximum": 4})),
        ),
        "kind" => (
            "indicators or milestones",
            schema(json!({"type": "string", "enum": ["indicators", "milestones"]})),
        ),
        "version" => (
            "A published version: v1, v2… or latest",
            schema(json!({"type": "string", "pattern": "^(v[0-9]+|latest)$"})),
        ),
        other => (
            match other {
                "unit" => "A unit's ref",
                "plan" => "A plan's ref",
                "indicator" => "An indicator's ref or any of its codes",
                _ => "An item's ref",
            },
            text(),
        ),
    };
    // Examples from the example council (`beacon demo`), so a reader (or a test tool) can
    // try each operation as written.
    let example = match name {
        "council" => json!("halton"),
        "year" => json!("2012-13"),
        "quarter" => json!(2),
        "unit" => json!("CED"),
        "plan" => json!("CED-2012-13"),
        "kind" => json!("indicators"),
        "version" => json!("latest"),
        _ => json!("SCS CYP09"),
    };
    ParameterBuilder::new()
        .name(name)
        .parameter_in(ParameterIn::Path)
        .required(Required::True)
        .description(Some(description))
        .schema(Some(s))
        .example(Some(example))
        .build()
}

fn json_content(r: &str) -> utoipa::openapi::Content {
    ContentBuilder::new()
        .schema(Some(RefOr::Ref(utoipa::openapi::Ref::from_schema_name(r))))
        .build()
}

fn problem() -> utoipa::openapi::Response {
    ResponseBuilder::new()
        .description("A problem (RFC 9457), in the words the pages use")
        .content("application/problem+json", json_content("Problem"))
        .build()
}

/// Whether a route writes to a unit's quarter, and so takes its version in `If-Match`.
pub fn takes_if_match(spec: &RouteSpec) -> bool {
    spec.writes() && matches!(spec.access, Access::Unit(_))
}

fn content(s: RefOr<Schema>) -> utoipa::openapi::Content {
    ContentBuilder::new().schema(Some(s)).build()
}

/// The refusals an operation may answer with, each a problem body.
fn refusals(spec: &RouteSpec, o: &Operation) -> Vec<(&'static str, &'static str)> {
    let mut r = vec![(
        "400",
        "The request is not what this operation takes (a parameter, a cursor, the body)",
    )];
    if spec.access != Access::Public {
        r.push((
            "401",
            "No token, or one that is unknown, expired or revoked",
        ));
        r.push(("403", "The token's owner may not do this here"));
        r.push((
            "429",
            "Too many requests for this token: wait Retry-After seconds",
        ));
    }
    r.push(("404", "No such council, unit, plan, item or publication"));
    if takes_if_match(spec) {
        r.push((
            "409",
            "The quarter cannot take this now (signed off, or not at that step)",
        ));
        r.push(("412", "The quarter has changed since its version was read"));
        r.push(("428", "If-Match is missing"));
    }
    if o.body.is_some() {
        r.push(("413", "The body is too large"));
        r.push(("415", "The body is not JSON"));
        r.push((
            "422",
            "Nothing was saved: every problem, each with where it is",
        ));
    }
    r
}

fn operation(
    spec: &RouteSpec,
    o: &Operation,
    found: &mut Found,
) -> utoipa::openapi::path::Operation {
    let mut b = OperationBuilder::new()
        .operation_id(Some(o.name.trim_start_matches("api-")))
        .tag(o.tag)
        .summary(Some(o.summary))
        .description(Some(access_words(spec.access)));
    for seg in spec
        .path
        .split('/')
        .filter_map(|s| s.strip_prefix('{')?.strip_suffix('}'))
    {
        b = b.parameter(path_parameter(seg));
    }
    for q in o.query {
        b = b.parameter(query(q));
    }
    let cached = !spec.writes() && matches!(o.answer, Answer::Json(_));
    if takes_if_match(spec) {
        b = b.parameter(parameter(
            "If-Match",
            ParameterIn::Header,
            "The quarter's version as read (the ETag of the unit's quarter); required",
            text(),
        ));
    } else if cached {
        b = b.parameter(parameter(
            "If-None-Match",
            ParameterIn::Header,
            "An ETag already held: answered 304 when it is still current",
            text(),
        ));
    }
    if let Some(body) = o.body {
        b = b.request_body(Some(
            RequestBodyBuilder::new()
                .content("application/json", content(body(found)))
                .build(),
        ));
    }
    let ok = match o.answer {
        Answer::Html => ResponseBuilder::new()
            .description("The page")
            .content("text/html", content(text().into())),
        Answer::Json(answer) => ResponseBuilder::new()
            .description("OK")
            .content("application/json", content(answer(found))),
    };
    let mut responses = ResponsesBuilder::new().response("200", ok.build());
    if cached {
        responses = responses.response(
            "304",
            ResponseBuilder::new()
                .description("Not modified: the ETag sent is current")
                .build(),
        );
    }
    for (code, words) in refusals(spec, o) {
        responses = responses.response(
            code,
            ResponseBuilder::new()
                .description(words)
                .content("application/problem+json", json_content("Problem"))
                .build(),
        );
    }
    b = b.responses(responses.response("default", problem()).build());
    if spec.access != Access::Public {
        b = b.security(SecurityRequirement::new("bearer", Vec::<String>::new()));
    }
    b.build()
}

fn access_words(a: Access) -> String {
    match a {
        Access::Public => "Open to anyone, without a token.".into(),
        Access::SignedIn => "Any live token.".into(),
        Access::Council(action) => format!(
            "A token whose owner may {} on the council.",
            action_words(action)
        ),
        Access::Unit(action) => format!(
            "A token whose owner may {} on the unit (read-write tokens only, for anything but reading).",
            action_words(action)
        ),
    }
}

fn action_words(a: beacon_app::access::Action) -> &'static str {
    use beacon_app::access::Action::*;
    match a {
        Read => "read",
        Enter => "enter data",
        SignOff => "sign off",
        Manage => "manage",
        Administer => "administer",
    }
}

fn components(found: Found) -> utoipa::openapi::Components {
    let text_or_null = json!({"type": ["string", "null"]});
    let problem = json!({
        "type": "object", "required": ["title", "status"],
        "properties": {
            "type": {"type": "string"}, "title": {"type": "string"}, "status": {"type": "integer"},
            "detail": {"type": "string"}, "version": {"type": "integer"},
            "errors": {"type": "array", "items": {"type": "object", "properties": {
                "item": text_or_null, "field": {"type": "string"}, "pointer": {"type": "string"},
                "table": {"type": "string"}, "row": {"type": "integer"}, "column": {"type": "string"},
                "message": {"type": "string"}}}}
        }
    });
    ComponentsBuilder::new()
        .security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("bcn_…")
                    .build(),
            ),
        )
        .schema("Problem", schema(problem))
        .schemas_from_iter(found)
        .build()
}

/// The description of every API operation.
pub fn document() -> OpenApi {
    let mut paths = PathsBuilder::new();
    let mut found = Found::new();
    let mut items: Vec<(String, PathItem)> = Vec::new();
    for spec in api_routes() {
        let Some(o) = OPERATIONS.iter().find(|o| o.name == spec.name) else {
            continue;
        };
        let method = match spec.method {
            "POST" => HttpMethod::Post,
            "PUT" => HttpMethod::Put,
            _ => HttpMethod::Get,
        };
        let item = PathItem::new(method, operation(spec, o, &mut found));
        match items.iter_mut().find(|(p, _)| p == spec.path) {
            Some((_, existing)) => existing.merge_operations(item),
            None => items.push((spec.path.to_string(), item)),
        }
    }
    for (p, item) in items {
        paths = paths.path(p, item);
    }
    OpenApiBuilder::new()
        .info(
            InfoBuilder::new()
                .title("Beacon API")
                .version("1")
                .description(Some("Read a council's performance data, record a quarter and take its steps with a personal token; read published quarters without one. See docs/api.md."))
                .build(),
        )
        .paths(paths.build())
        .components(Some(components(found)))
        .build()
}
