//! The API's OpenAPI 3.1 description, built with `utoipa` from the route registry: every API
//! route of `routes::ROUTES` becomes an operation with its path parameters, and [`OPERATIONS`]
//! adds what the registry does not say (a summary, the filters, the body, whether it takes
//! `If-Match`). A route missing from either fails a test.

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
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    /// One JSON object.
    Object,
    /// A JSON array.
    Array,
    /// A page of a list (`items`, `next_cursor`).
    Page,
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
    /// The schema of its JSON body (a component's name), if it takes one.
    pub body: Option<&'static str>,
    pub answer: Answer,
}

const LIST: &[&str] = &["cursor", "limit"];
const PLAN_LIST: &[&str] = &["plan", "unit", "period", "cursor", "limit"];

const fn op(
    name: &'static str,
    tag: &'static str,
    summary: &'static str,
    query: &'static [&'static str],
    body: Option<&'static str>,
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
            Object,
        ),
        op(
            "api-councils",
            "Councils",
            "The councils the token reaches",
            &[],
            None,
            Array,
        ),
        op("api-council", "Councils", "A council", &[], None, Object),
        op(
            "api-units",
            "Councils",
            "The council's units",
            LIST,
            None,
            Page,
        ),
        op(
            "api-plans",
            "Plans",
            "Plans, with their versions",
            PLAN_LIST,
            None,
            Page,
        ),
        op("api-plan", "Plans", "A whole plan", &[], None, Object),
        op(
            "api-objectives",
            "Plans",
            "Objectives",
            PLAN_LIST,
            None,
            Page,
        ),
        op(
            "api-milestones",
            "Plans",
            "Milestones",
            PLAN_LIST,
            None,
            Page,
        ),
        op(
            "api-indicators",
            "Plans",
            "Indicators with their targets",
            PLAN_LIST,
            None,
            Page,
        ),
        op(
            "api-indicator",
            "Plans",
            "An indicator (by any of its codes) in each plan that has it, with its targets and recorded values",
            &["plan", "unit", "period"],
            None,
            Array,
        ),
        op("api-risks", "Plans", "Risks", PLAN_LIST, None, Page),
        op(
            "api-equality-actions",
            "Plans",
            "Equality actions",
            PLAN_LIST,
            None,
            Page,
        ),
        op(
            "api-budget-statements",
            "Budget",
            "Budget statements",
            &["unit", "period", "cursor", "limit"],
            None,
            Page,
        ),
        op(
            "api-publications",
            "Quarters",
            "Published versions",
            &["unit", "period", "cursor", "limit"],
            None,
            Page,
        ),
        op(
            "api-quarter-states",
            "Quarters",
            "Where each unit's quarter stands (state and version)",
            &["unit", "cursor", "limit"],
            None,
            Page,
        ),
        op(
            "api-statuses",
            "Quarters",
            "The quarter's statuses with their reasons and direction of travel",
            &["plan", "unit"],
            None,
            Object,
        ),
        op(
            "api-unit-quarter",
            "Quarters",
            "A unit's quarter: its state and what is recorded; its ETag is the version writes send as If-Match",
            &[],
            None,
            Object,
        ),
        op(
            "api-report",
            "Quarters",
            "The monitoring report of a unit's quarter (the report model)",
            &[],
            None,
            Object,
        ),
        op(
            "api-entries",
            "Writing",
            "Record a unit's quarter's values, progress and commentary",
            &[],
            Some("Entry"),
            Object,
        ),
        op(
            "api-status",
            "Writing",
            "Set an indicator's or milestone's status by hand",
            &[],
            Some("StatusByHand"),
            Object,
        ),
        op(
            "api-submit",
            "Steps",
            "Submit the unit's quarter",
            &[],
            Some("Step"),
            Object,
        ),
        op(
            "api-send-back",
            "Steps",
            "Send the quarter back (a reason is needed)",
            &[],
            Some("Step"),
            Object,
        ),
        op(
            "api-sign-off",
            "Steps",
            "Sign the quarter off",
            &[],
            Some("Step"),
            Object,
        ),
        op(
            "api-reopen",
            "Steps",
            "Reopen a signed-off or published quarter (a reason is needed)",
            &[],
            Some("Step"),
            Object,
        ),
        op(
            "api-publish",
            "Steps",
            "Publish the signed-off quarter",
            &[],
            Some("Step"),
            Object,
        ),
        op(
            "api-public-publications",
            "Open data",
            "Published versions (no token)",
            &["unit", "period", "cursor", "limit"],
            None,
            Page,
        ),
        op(
            "api-public-report",
            "Open data",
            "A published version's report model, frozen (no token; version v1, v2… or latest)",
            &[],
            None,
            Object,
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
    parameter(name, ParameterIn::Path, description, s)
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

fn operation(spec: &RouteSpec, o: &Operation) -> utoipa::openapi::path::Operation {
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
    if spec.writes() {
        b = b.parameter(parameter(
            "If-Match",
            ParameterIn::Header,
            "The quarter's version as read (the ETag of the unit's quarter); required",
            text(),
        ));
    } else if o.answer != Answer::Html {
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
                .content("application/json", json_content(body))
                .build(),
        ));
    }
    let ok = match o.answer {
        Answer::Html => ResponseBuilder::new().description("The page").content(
            "text/html",
            ContentBuilder::new().schema(Some(text())).build(),
        ),
        a => ResponseBuilder::new().description("OK").content(
            "application/json",
            match a {
                Answer::Page => json_content("Page"),
                Answer::Array => ContentBuilder::new()
                    .schema(Some(schema(json!({"type": "array"}))))
                    .build(),
                _ => ContentBuilder::new()
                    .schema(Some(schema(json!({"type": "object"}))))
                    .build(),
            },
        ),
    };
    let mut responses = ResponsesBuilder::new().response("200", ok.build());
    if !spec.writes() && o.answer != Answer::Html {
        responses = responses.response(
            "304",
            ResponseBuilder::new()
                .description("Not modified: the ETag sent is current")
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

fn components() -> utoipa::openapi::Components {
    let text_or_null = json!({"type": ["string", "null"]});
    let item = |key: &str| {
        json!({
            "type": "object", "required": [key], "additionalProperties": false,
            "properties": {
                key: {"type": "string"}, "progress": text_or_null, "completed": text_or_null,
                "period": text_or_null, "value": text_or_null, "words": text_or_null,
                "qualifier": text_or_null, "commentary": text_or_null, "status": text_or_null,
                "reason": text_or_null, "officer": text_or_null
            }
        })
    };
    let mut indicator = item("indicator");
    let mut milestone = item("milestone");
    for (v, drop) in [
        (&mut indicator, ["progress", "completed"]),
        (&mut milestone, ["period", "value"]),
    ] {
        if let Some(p) = v.get_mut("properties").and_then(Value::as_object_mut) {
            for d in drop {
                p.remove(d);
            }
        }
    }
    if let Some(p) = milestone
        .get_mut("properties")
        .and_then(Value::as_object_mut)
    {
        p.remove("words");
        p.remove("qualifier");
    }
    let entries = [
        (
            "Problem",
            json!({
                "type": "object", "required": ["title", "status"],
                "properties": {
                    "type": {"type": "string"}, "title": {"type": "string"}, "status": {"type": "integer"},
                    "detail": {"type": "string"},
                    "errors": {"type": "array", "items": {"type": "object", "properties": {
                        "item": text_or_null, "field": {"type": "string"}, "pointer": {"type": "string"},
                        "message": {"type": "string"}}}}
                }
            }),
        ),
        (
            "Page",
            json!({
                "type": "object", "required": ["items"],
                "properties": {"items": {"type": "array"}, "next_cursor": {"type": "string"}}
            }),
        ),
        (
            "Entry",
            json!({
                "type": "object", "additionalProperties": false,
                "properties": {
                    "plan": text_or_null, "on_behalf_of": text_or_null,
                    "indicators": {"type": "array", "items": indicator},
                    "milestones": {"type": "array", "items": milestone},
                    "narratives": {"type": "array", "items": {
                        "type": "object", "additionalProperties": false,
                        "required": ["kind", "title", "text"],
                        "properties": {"kind": {"enum": ["key-development", "emerging-issue"]},
                                       "title": {"type": "string"}, "text": {"type": "string"}}}}
                }
            }),
        ),
        (
            "StatusByHand",
            json!({
                "type": "object", "additionalProperties": false, "required": ["status"],
                "properties": {"status": {"type": "string"}, "reason": {"type": "string"}, "plan": text_or_null}
            }),
        ),
        (
            "Step",
            json!({
                "type": "object", "additionalProperties": false,
                "properties": {"reason": text_or_null}
            }),
        ),
    ];
    let mut c = ComponentsBuilder::new().security_scheme(
        "bearer",
        SecurityScheme::Http(
            HttpBuilder::new()
                .scheme(HttpAuthScheme::Bearer)
                .bearer_format("bcn_…")
                .build(),
        ),
    );
    for (name, v) in entries {
        c = c.schema(name, schema(v));
    }
    c.build()
}

/// The description of every API operation.
pub fn document() -> OpenApi {
    let mut paths = PathsBuilder::new();
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
        let item = PathItem::new(method, operation(spec, o));
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
        .components(Some(components()))
        .build()
}
