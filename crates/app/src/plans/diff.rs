//! Comparing two plans: a refresh with its original, or two versions of a plan. Items are
//! matched by their refs; each is added, removed or changed, and a change is listed field by
//! field with both sides, in the words the audit trail uses for the same fields.

use crate::audit::flatten;
use beacon_domain::Ref;
use beacon_domain::plan::PlanDocument;
use serde::Serialize;
use serde_json::Value;
use std::collections::BTreeMap;

/// What became of an item between the two plans.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Change {
    Added,
    Removed,
    Changed,
}

impl Change {
    /// As a page or the plain-text diff says it.
    pub fn word(self) -> &'static str {
        match self {
            Change::Added => "added",
            Change::Removed => "removed",
            Change::Changed => "changed",
        }
    }
}

/// One field that differs: its path (`targets.2013/14`, `due`) and its text on each side
/// (none where the field is not there).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldChange {
    pub field: String,
    pub from: Option<String>,
    pub to: Option<String>,
}

/// One item added, removed or changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ItemChange {
    /// What the item is: `plan`, `objective`, `milestone`, `indicator`, `risk`,
    /// `equality action`, `budget change`.
    pub kind: &'static str,
    /// Its ref (for the plan itself, the plan's ref on the later side).
    pub reference: String,
    /// Its words: a statement, a description, a milestone's text.
    pub title: String,
    pub change: Change,
    /// For a changed item, each field that differs; for an added or removed one, its fields.
    pub fields: Vec<FieldChange>,
}

/// The comparison of plan `from` with plan `to`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlanDiff {
    pub from: Ref,
    pub to: Ref,
    pub from_title: String,
    pub to_title: String,
    /// Every difference, in the order the later plan lists its items (removed items where
    /// the earlier plan listed them, after the ones that remain).
    pub items: Vec<ItemChange>,
}

impl PlanDiff {
    /// How many items of a kind were added, removed and changed.
    pub fn count(&self, kind: &str, change: Change) -> usize {
        self.items
            .iter()
            .filter(|i| i.kind == kind && i.change == change)
            .count()
    }
    /// The same plans, nothing differs.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
}

/// Every kind of item a comparison names, in the order it compares them.
pub const KINDS: [&str; 7] = [
    "plan",
    "objective",
    "milestone",
    "indicator",
    "risk",
    "equality action",
    "budget change",
];

/// Fields that are the same thing told twice, or that say which plan an item is in: left out.
const LEFT_OUT: [&str; 2] = ["milestones", "ref"];

fn fields_of<T: Serialize>(item: &T) -> BTreeMap<String, String> {
    let mut v = serde_json::to_value(item).unwrap_or(Value::Null);
    if let Value::Object(map) = &mut v {
        for k in LEFT_OUT {
            map.remove(k);
        }
    }
    let mut out = BTreeMap::new();
    flatten(&v, String::new(), &mut out);
    out
}

fn field_changes(a: &BTreeMap<String, String>, b: &BTreeMap<String, String>) -> Vec<FieldChange> {
    let keys: std::collections::BTreeSet<&String> = a.keys().chain(b.keys()).collect();
    keys.into_iter()
        .filter(|k| a.get(*k) != b.get(*k))
        .map(|k| FieldChange {
            field: k.clone(),
            from: a.get(k).cloned(),
            to: b.get(k).cloned(),
        })
        .collect()
}

/// A kind of item, with how to name it and what to call it.
struct Kind<'a, T> {
    kind: &'static str,
    key: &'a dyn Fn(&T) -> String,
    title: &'a dyn Fn(&T) -> String,
}

fn compare<T: Serialize>(k: &Kind<'_, T>, from: &[T], to: &[T], out: &mut Vec<ItemChange>) {
    let before: BTreeMap<String, &T> = from.iter().map(|x| ((k.key)(x), x)).collect();
    let after: BTreeMap<String, &T> = to.iter().map(|x| ((k.key)(x), x)).collect();
    for item in to {
        let key = (k.key)(item);
        let b = fields_of(item);
        let (change, fields) = match before.get(&key) {
            None => (Change::Added, field_changes(&BTreeMap::new(), &b)),
            Some(old) => {
                let fields = field_changes(&fields_of(*old), &b);
                if fields.is_empty() {
                    continue;
                }
                (Change::Changed, fields)
            }
        };
        out.push(ItemChange {
            kind: k.kind,
            reference: key,
            title: (k.title)(item),
            change,
            fields,
        });
    }
    for item in from {
        let key = (k.key)(item);
        if !after.contains_key(&key) {
            out.push(ItemChange {
                kind: k.kind,
                reference: key,
                title: (k.title)(item),
                change: Change::Removed,
                fields: field_changes(&fields_of(item), &BTreeMap::new()),
            });
        }
    }
}

/// Compares two plans: the plan's own fields, then its objectives, milestones, indicators
/// (targets included), risks, equality actions and budget changes. Pure.
pub fn diff(from: &PlanDocument, to: &PlanDocument) -> PlanDiff {
    let mut items = Vec::new();
    let own = field_changes(&fields_of(&from.plan), &fields_of(&to.plan));
    if !own.is_empty() {
        items.push(ItemChange {
            kind: "plan",
            reference: to.plan.reference.to_string(),
            title: to.plan.title.clone(),
            change: Change::Changed,
            fields: own,
        });
    }
    compare(
        &Kind {
            kind: "objective",
            key: &|o: &beacon_domain::objective::Objective| o.reference.to_string(),
            title: &|o| o.statement.clone(),
        },
        &from.objectives,
        &to.objectives,
        &mut items,
    );
    let milestones = |p: &PlanDocument| -> Vec<beacon_domain::objective::Milestone> {
        p.milestones().map(|(_, m)| m.clone()).collect()
    };
    compare(
        &Kind {
            kind: "milestone",
            key: &|m: &beacon_domain::objective::Milestone| m.reference.to_string(),
            title: &|m| m.text.clone(),
        },
        &milestones(from),
        &milestones(to),
        &mut items,
    );
    compare(
        &Kind {
            kind: "indicator",
            key: &|i: &beacon_domain::indicator::Indicator| i.reference.to_string(),
            title: &|i| i.description.clone(),
        },
        &from.indicators,
        &to.indicators,
        &mut items,
    );
    compare(
        &Kind {
            kind: "risk",
            key: &|r: &beacon_domain::risk::Risk| r.reference.to_string(),
            title: &|r| r.description.clone(),
        },
        &from.risks,
        &to.risks,
        &mut items,
    );
    compare(
        &Kind {
            kind: "equality action",
            key: &|e: &beacon_domain::equality::EqualityAction| e.reference.to_string(),
            title: &|e| e.action.clone(),
        },
        &from.equality_actions,
        &to.equality_actions,
        &mut items,
    );
    compare(
        &Kind {
            kind: "budget change",
            key: &|c: &beacon_domain::budget::BudgetChange| {
                format!("{} {} {}", c.kind, c.year, c.description)
            },
            title: &|c| c.description.clone(),
        },
        &from.budget_changes,
        &to.budget_changes,
        &mut items,
    );
    PlanDiff {
        from: from.plan.reference.clone(),
        to: to.plan.reference.clone(),
        from_title: from.plan.title.clone(),
        to_title: to.plan.title.clone(),
        items,
    }
}

/// The comparison as plain text, one line per field, as `beacon diff plan` prints it.
pub fn to_text(d: &PlanDiff) -> String {
    let mut s = format!(
        "Comparing {} ({}) with {} ({})\n",
        d.from, d.from_title, d.to, d.to_title
    );
    if d.is_empty() {
        s.push_str("No differences.\n");
        return s;
    }
    let mark = |c: Change| match c {
        Change::Added => '+',
        Change::Removed => '-',
        Change::Changed => '~',
    };
    for i in &d.items {
        s.push_str(&format!(
            "\n{} {} {} {}: {}\n",
            mark(i.change),
            i.kind,
            i.reference,
            i.change.word(),
            i.title
        ));
        for f in &i.fields {
            let side = |v: &Option<String>| {
                v.as_deref()
                    .map_or_else(|| "(none)".to_string(), |t| t.replace('\n', "\n        "))
            };
            match i.change {
                Change::Changed => s.push_str(&format!(
                    "    {}: {} -> {}\n",
                    f.field,
                    side(&f.from),
                    side(&f.to)
                )),
                Change::Added => s.push_str(&format!("    {}: {}\n", f.field, side(&f.to))),
                Change::Removed => s.push_str(&format!("    {}: {}\n", f.field, side(&f.from))),
            }
        }
    }
    s
}
