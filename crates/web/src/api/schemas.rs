//! The schemas of the API's bodies and answers, derived (`utoipa::ToSchema`) from the types
//! the handlers read and serialise: the domain's and the use cases' own types, and the few
//! wrappers the API adds (an item with its plan, a page of a list). Each operation names its
//! schema as a function that adds what it refers to into the document's components.

use super::read::{IndicatorValues, NationalPosition};
use super::setup::{SetupDone, TABLES};
use super::unit::UnitQuarter;
use super::write::{EntryBody, Recorded, StatusBody, StepBody, Stepped};
use beacon_app::lifecycle::QuarterStatus;
use beacon_app::publication::PublicationMeta;
use beacon_app::status::StatusReport;
use beacon_domain::budget::Statement;
use beacon_domain::equality::EqualityAction;
use beacon_domain::frame::Frame;
use beacon_domain::indicator::Indicator;
use beacon_domain::objective::{Milestone, Objective};
use beacon_domain::organisation::{Council, Officer, Unit};
use beacon_domain::plan::{Plan, PlanDocument};
use beacon_domain::risk::Risk;
use beacon_reports::model::Report;
use serde_json::json;
use utoipa::ToSchema;
use utoipa::openapi::schema::{ArrayBuilder, ObjectBuilder, Schema, Type};
use utoipa::openapi::{Ref, RefOr};

/// The schemas found so far, by name.
pub type Found = Vec<(String, RefOr<Schema>)>;

/// Adds a schema (and what it refers to) to `found` and answers with a reference to it.
pub type SchemaFn = fn(&mut Found) -> RefOr<Schema>;

fn reference(name: &str) -> RefOr<Schema> {
    RefOr::Ref(Ref::from_schema_name(name))
}

/// `T`'s schema, by reference.
pub fn of<T: ToSchema>(found: &mut Found) -> RefOr<Schema> {
    found.push((T::name().into_owned(), T::schema()));
    T::schemas(found);
    reference(&T::name())
}

/// An array of `T`.
pub fn list<T: ToSchema>(found: &mut Found) -> RefOr<Schema> {
    ArrayBuilder::new().items(of::<T>(found)).into()
}

fn page_of(items: RefOr<Schema>) -> RefOr<Schema> {
    ObjectBuilder::new()
        .property("items", ArrayBuilder::new().items(items))
        .required("items")
        .property(
            "next_cursor",
            ObjectBuilder::new()
                .schema_type(Type::String)
                .description(Some(
                    "Give this as cursor for the next page; absent on the last page",
                )),
        )
        .into()
}

/// A page of a list of `T`.
pub fn page<T: ToSchema>(found: &mut Found) -> RefOr<Schema> {
    page_of(of::<T>(found))
}

/// `T`'s object with the refs of what it belongs to added before its own fields (the JSON of
/// `read::InPlan` and `read::MilestoneItem`, which flatten the item beside them), under a name
/// of its own.
fn beside<T: ToSchema>(found: &mut Found, name: &str, owners: &[&str]) -> RefOr<Schema> {
    let _ = of::<T>(found);
    let mut object = match T::schema() {
        RefOr::T(Schema::Object(o)) => o,
        _ => ObjectBuilder::new().build(),
    };
    for owner in owners {
        object
            .properties
            .insert((*owner).to_string(), reference("Ref"));
        object.required.push((*owner).to_string());
    }
    found.push((name.to_string(), RefOr::T(Schema::Object(object))));
    reference(name)
}

macro_rules! in_plan_page {
    ($fn:ident, $t:ty, $name:literal) => {
        pub fn $fn(found: &mut Found) -> RefOr<Schema> {
            let item = beside::<$t>(found, $name, &["plan"]);
            page_of(item)
        }
    };
}

in_plan_page!(objectives, Objective, "ObjectiveInPlan");
in_plan_page!(indicators, Indicator, "IndicatorInPlan");
in_plan_page!(risks, Risk, "RiskInPlan");
in_plan_page!(equality_actions, EqualityAction, "EqualityActionInPlan");

pub fn milestones(found: &mut Found) -> RefOr<Schema> {
    let item = beside::<Milestone>(found, "MilestoneInPlan", &["plan", "objective"]);
    page_of(item)
}

pub fn council(f: &mut Found) -> RefOr<Schema> {
    of::<Council>(f)
}
pub fn councils(f: &mut Found) -> RefOr<Schema> {
    list::<Council>(f)
}
pub fn units(f: &mut Found) -> RefOr<Schema> {
    page::<Unit>(f)
}
pub fn officers(f: &mut Found) -> RefOr<Schema> {
    page::<Officer>(f)
}
pub fn frames(f: &mut Found) -> RefOr<Schema> {
    page::<Frame>(f)
}
pub fn plans(f: &mut Found) -> RefOr<Schema> {
    page::<Plan>(f)
}
pub fn plan(f: &mut Found) -> RefOr<Schema> {
    of::<PlanDocument>(f)
}
pub fn indicator(f: &mut Found) -> RefOr<Schema> {
    let _ = of::<NationalPosition>(f);
    list::<IndicatorValues<'static>>(f)
}
pub fn statements(f: &mut Found) -> RefOr<Schema> {
    page::<Statement>(f)
}
pub fn publications(f: &mut Found) -> RefOr<Schema> {
    page::<PublicationMeta>(f)
}
pub fn states(f: &mut Found) -> RefOr<Schema> {
    page::<QuarterStatus>(f)
}
pub fn statuses(f: &mut Found) -> RefOr<Schema> {
    of::<StatusReport>(f)
}
pub fn unit_quarter(f: &mut Found) -> RefOr<Schema> {
    of::<UnitQuarter<'static>>(f)
}
pub fn report(f: &mut Found) -> RefOr<Schema> {
    of::<Report>(f)
}
pub fn recorded(f: &mut Found) -> RefOr<Schema> {
    of::<Recorded>(f)
}
pub fn stepped(f: &mut Found) -> RefOr<Schema> {
    of::<Stepped>(f)
}
pub fn set_up(f: &mut Found) -> RefOr<Schema> {
    of::<SetupDone>(f)
}
pub fn public_publications(f: &mut Found) -> RefOr<Schema> {
    page::<super::public::Published>(f)
}
pub fn entry(f: &mut Found) -> RefOr<Schema> {
    of::<EntryBody>(f)
}
pub fn status_by_hand(f: &mut Found) -> RefOr<Schema> {
    of::<StatusBody>(f)
}
pub fn step(f: &mut Found) -> RefOr<Schema> {
    of::<StepBody>(f)
}

/// The description itself: an OpenAPI 3.1 document.
pub fn openapi(f: &mut Found) -> RefOr<Schema> {
    f.push((
        "OpenApiDocument".into(),
        schema(json!({
            "type": "object", "required": ["openapi", "info", "paths"],
            "properties": {
                "openapi": {"type": "string"}, "info": {"type": "object"},
                "paths": {"type": "object"}, "components": {"type": "object"}
            }
        })),
    ));
    reference("OpenApiDocument")
}

/// The set-up body: a table each, its rows with the columns of the set-up files.
pub fn setup_body(f: &mut Found) -> RefOr<Schema> {
    let cell = json!({"type": ["string", "number"]});
    let mut tables = serde_json::Map::new();
    for (key, _, table) in TABLES {
        let columns = table.columns();
        let props: serde_json::Map<String, serde_json::Value> = columns
            .iter()
            .map(|c| (c.key.to_string(), cell.clone()))
            .collect();
        tables.insert(
            key.to_string(),
            json!({"type": "array", "items": {
                "type": "object", "additionalProperties": false, "properties": props
            }}),
        );
    }
    f.push((
        "Setup".into(),
        schema(json!({"type": "object", "additionalProperties": false, "properties": tables})),
    ));
    reference("Setup")
}

/// A schema written as JSON (for the few the API states itself).
pub fn schema(v: serde_json::Value) -> RefOr<Schema> {
    RefOr::T(serde_json::from_value(v).unwrap_or_default())
}
