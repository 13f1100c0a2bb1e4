//! The council's indicator library: an indicator defined once (its codes, description, measure,
//! polarity, frequency, accumulation, calendar, data source, notes, tolerance and data-quality
//! limits), which a plan's indicator refers to by `library` and completes with its own
//! baseline, targets, profile and comparators.

use crate::Ref;
use crate::indicator::{
    Accumulation, Better, Calendar, Census, Frequency, Indicator, MeasureUnit, Quality, financial,
    is_financial, is_snapshot, snapshot,
};
use crate::plan::PlanDocument;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// One definition in the council's library.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct LibraryIndicator {
    /// Unique in the council's library; plans name it in `library`.
    #[serde(rename = "ref")]
    pub reference: Ref,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<Ref>,
    pub description: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub measure: Option<MeasureUnit>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub better: Option<Better>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub frequency: Option<Frequency>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub census: Option<Census>,
    #[serde(default = "snapshot", skip_serializing_if = "is_snapshot")]
    pub accumulation: Accumulation,
    #[serde(default = "financial", skip_serializing_if = "is_financial")]
    pub calendar: Calendar,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data_source: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "crate::organisation::opt_decimal"
    )]
    pub tolerance_percent: Option<Decimal>,
    #[serde(default, skip_serializing_if = "Quality::is_default")]
    pub quality: Quality,
}

/// The definition fields, listed once: what a library entry gives a plan's indicator.
macro_rules! definition {
    ($($field:ident),+ $(,)?) => {
        impl LibraryIndicator {
            /// The fields a library entry defines, as plan files name them.
            pub const FIELDS: &'static [&'static str] = &[$(stringify!($field)),+];

            /// An entry with nothing defined yet but its ref.
            pub fn blank(reference: Ref) -> Self {
                LibraryIndicator {
                    reference,
                    aliases: Vec::new(),
                    description: String::new(),
                    measure: None,
                    better: None,
                    frequency: None,
                    census: None,
                    accumulation: snapshot(),
                    calendar: financial(),
                    data_source: None,
                    notes: None,
                    tolerance_percent: None,
                    quality: Quality::default(),
                }
            }
            /// Gives `indicator` this definition (its own fields are kept).
            pub fn apply_to(&self, indicator: &mut Indicator) {
                $(indicator.$field = self.$field.clone();)+
            }
            /// The definition `indicator` carries, as an entry with ref `reference`.
            pub fn from_indicator(reference: Ref, indicator: &Indicator) -> Self {
                LibraryIndicator { reference, $($field: indicator.$field.clone()),+ }
            }
            /// The definition fields `indicator` gives itself (not left to the library).
            pub fn redefined(indicator: &Indicator) -> Vec<&'static str> {
                let blank = LibraryIndicator::blank(indicator.reference.clone());
                let mut out = Vec::new();
                $(if indicator.$field != blank.$field { out.push(stringify!($field)); })+
                out
            }
        }
    };
}

definition!(
    aliases,
    description,
    measure,
    better,
    frequency,
    census,
    accumulation,
    calendar,
    data_source,
    notes,
    tolerance_percent,
    quality,
);

impl LibraryIndicator {
    /// A plan's indicator with only its own fields: what a plan file says of an indicator that
    /// refers to the library.
    pub fn own_fields(indicator: &Indicator) -> Indicator {
        let mut own = indicator.clone();
        if own.library.is_some() {
            LibraryIndicator::blank(own.reference.clone()).apply_to(&mut own);
        }
        own
    }
    /// True if the code is this entry's ref or an alias.
    pub fn answers_to(&self, code: &str) -> bool {
        self.reference.as_str() == code || self.aliases.iter().any(|a| a.as_str() == code)
    }
}

/// The entry with ref `reference`.
pub fn find<'a>(library: &'a [LibraryIndicator], reference: &Ref) -> Option<&'a LibraryIndicator> {
    library.iter().find(|d| &d.reference == reference)
}

/// Gives every indicator of `plan` that refers to the library its entry's definition; an
/// indicator naming no entry is left as it is (the plan checks refuse it). True if anything
/// changed.
pub fn resolve(plan: &mut PlanDocument, library: &[LibraryIndicator]) -> bool {
    let mut changed = false;
    for i in &mut plan.indicators {
        let Some(d) = i.library.as_ref().and_then(|r| find(library, r)) else {
            continue;
        };
        let before = i.clone();
        d.apply_to(i);
        changed |= *i != before;
    }
    changed
}

/// Whether any indicator of `plan` refers to the entry `reference`.
pub fn uses(plan: &PlanDocument, reference: &Ref) -> bool {
    plan.indicators
        .iter()
        .any(|i| i.library.as_ref() == Some(reference))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn indicator(v: serde_json::Value) -> Indicator {
        serde_json::from_value(v).unwrap()
    }

    #[test]
    fn an_indicator_takes_the_definition_and_keeps_its_own_targets() {
        let d: LibraryIndicator = serde_json::from_value(serde_json::json!({
            "ref": "NI 155", "description": "Affordable homes delivered", "better": "higher",
            "measure": "count", "accumulation": "cumulative"
        }))
        .unwrap();
        let mut i = indicator(serde_json::json!({
            "ref": "NI155", "library": "NI 155", "targets": { "2012/13": "200" }
        }));
        assert!(LibraryIndicator::redefined(&i).is_empty());
        let mut doc_indicator = i.clone();
        d.apply_to(&mut doc_indicator);
        assert_eq!(doc_indicator.description, "Affordable homes delivered");
        assert_eq!(doc_indicator.better, Some(Better::Higher));
        assert_eq!(doc_indicator.targets.len(), 1);
        assert_eq!(LibraryIndicator::own_fields(&doc_indicator), i);
        i.better = Some(Better::Lower);
        assert_eq!(LibraryIndicator::redefined(&i), ["better"]);
    }
}
