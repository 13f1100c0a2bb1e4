//! Plans: a directorate or service plan covering several financial years, with its narrative,
//! and the whole plan document (objectives, indicators, risks, equality actions, budget changes).

use crate::Ref;
use crate::budget::{BudgetChange, ChangeTotal};
use crate::equality::EqualityAction;
use crate::indicator::Indicator;
use crate::objective::Objective;
use crate::period::YearSpan;
use crate::risk::Risk;
use serde::{Deserialize, Serialize};

crate::word_enum! {
    /// Whether a plan has been approved.
    PlanStatus { Draft = "draft", Approved = "approved" }
}

crate::word_enum! {
    /// What a narrative section of a plan is.
    SectionKind {
        Foreword = "foreword",
        Introduction = "introduction",
        KeyMessages = "key-messages",
        Resources = "resources",
        Structure = "structure",
        Other = "other",
    }
}

crate::word_enum! {
    /// The PESTLE grouping of factors affecting a service.
    FactorCategory {
        Political = "political",
        Economic = "economic",
        Social = "social",
        Technological = "technological",
        Legislative = "legislative",
        Environmental = "environmental",
    }
}

/// A narrative section: foreword, key messages, resources…
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Section {
    pub kind: SectionKind,
    pub heading: String,
    pub text: String,
}

/// A factor affecting the service, in its PESTLE category.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Factor {
    pub category: FactorCategory,
    pub heading: String,
    pub text: String,
}

fn one() -> u32 {
    1
}
fn is_one(v: &u32) -> bool {
    *v == 1
}

/// A plan's own fields: what it is, whose, for which years.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Plan {
    #[serde(rename = "ref")]
    pub reference: Ref,
    pub title: String,
    /// The owning unit.
    pub unit: Ref,
    pub years: YearSpan,
    pub status: PlanStatus,
    #[serde(default = "one", skip_serializing_if = "is_one")]
    pub version: u32,
    /// The plan this one refreshes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refreshes: Option<Ref>,
    /// Where the plan came from (a document, a seed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sections: Vec<Section>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub factors: Vec<Factor>,
}

/// A whole plan: its fields and everything it holds, in the order the plan lists them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PlanDocument {
    pub plan: Plan,
    pub objectives: Vec<Objective>,
    pub indicators: Vec<Indicator>,
    pub risks: Vec<Risk>,
    pub equality_actions: Vec<EqualityAction>,
    pub budget_changes: Vec<BudgetChange>,
    /// The totals the plan states for its budget changes, each checked against them at load.
    pub budget_totals: Vec<ChangeTotal>,
}

impl PlanDocument {
    /// Finds an indicator by its ref, printed ref or any alias.
    pub fn indicator(&self, code: &str) -> Option<&Indicator> {
        self.indicators
            .iter()
            .find(|i| i.reference.as_str() == code)
            .or_else(|| self.indicators.iter().find(|i| i.answers_to(code)))
    }
    /// Whether the plan is reported on in `year`: one of its years, or a later year in which
    /// one of its milestones' dates falls.
    pub fn reaches(&self, year: crate::period::FinancialYear) -> bool {
        self.plan.years.contains(year)
            || self
                .milestones()
                .any(|(_, m)| m.judged_in(year, self.plan.years))
    }
    /// All milestones of all objectives, with their objective.
    pub fn milestones(&self) -> impl Iterator<Item = (&Objective, &crate::objective::Milestone)> {
        self.objectives
            .iter()
            .flat_map(|o| o.milestones.iter().map(move |m| (o, m)))
    }
}
