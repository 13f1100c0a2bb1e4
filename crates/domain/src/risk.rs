//! Risks: likelihood × impact scores, or a band where a plan records only the band, with
//! treatment measures.

use crate::Ref;
use serde::{Deserialize, Serialize};

crate::word_enum! {
    /// A risk band.
    Band { Low = "low", Medium = "medium", High = "high" }
}

impl Band {
    /// The band as a register or report prints it: `Low`, `Medium`, `High`.
    pub fn label(self) -> &'static str {
        match self {
            Band::Low => "Low",
            Band::Medium => "Medium",
            Band::High => "High",
        }
    }
}

/// A risk assessment as a plan records it: a score, likelihood and impact, or a band only.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RiskAssessment {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub score: Option<u8>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub likelihood: Option<u8>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub impact: Option<u8>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub band: Option<Band>,
}

impl RiskAssessment {
    /// The largest scale a council may use (5 × 5).
    pub const MAX_SIDE: u8 = 5;

    /// Checks the parts agree: something is given, likelihood and impact come together and lie
    /// in 1..=5, and a score given with them equals their product.
    pub fn check(&self) -> Result<(), String> {
        let side = 1..=Self::MAX_SIDE;
        match (self.likelihood, self.impact) {
            (Some(l), Some(i)) => {
                if !side.contains(&l) || !side.contains(&i) {
                    return Err(format!(
                        "likelihood and impact must each be 1 to {}",
                        Self::MAX_SIDE
                    ));
                }
                if let Some(s) = self.score
                    && s != l * i
                {
                    return Err(format!(
                        "score {s} is not likelihood {l} × impact {i} = {}",
                        l * i
                    ));
                }
            }
            (None, None) => {}
            _ => return Err("likelihood and impact must be given together".into()),
        }
        if let Some(s) = self.score
            && !(1..=Self::MAX_SIDE * Self::MAX_SIDE).contains(&s)
        {
            return Err(format!(
                "score {s} must be 1 to {}",
                Self::MAX_SIDE * Self::MAX_SIDE
            ));
        }
        if self.score.is_none() && self.likelihood.is_none() && self.band.is_none() {
            return Err("give a score, likelihood and impact, or a band".into());
        }
        Ok(())
    }

    /// The score: stated, or likelihood × impact.
    pub fn score(&self) -> Option<u8> {
        self.score.or(match (self.likelihood, self.impact) {
            (Some(l), Some(i)) => Some(l * i),
            _ => None,
        })
    }
}

/// A risk to an objective, with the measures that treat it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Risk {
    #[serde(rename = "ref")]
    pub reference: Ref,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub objective: Option<Ref>,
    pub description: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub initial: Option<RiskAssessment>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub residual: Option<RiskAssessment>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub treatment: Vec<String>,
}
