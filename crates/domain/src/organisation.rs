//! Councils and their organisation: the tree of directorates, departments, divisions and teams,
//! and the officers who answer for objectives, indicators and commentary.

use crate::Ref;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// A council. One database can hold several: shared services and partnerships are real.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Council {
    #[serde(rename = "ref")]
    pub reference: CouncilRef,
    pub name: String,
    /// Default tolerance band (percent of target) that separates Amber from Red.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "crate::organisation::opt_decimal"
    )]
    pub tolerance_percent: Option<Decimal>,
    /// The council's colour on pages, `#rrggbb`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub colour: Option<String>,
    /// The council's risk matrix, where it sets one (else the seeds' 4 × 4).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "crate::status::risk::matrix_form"
    )]
    pub risk_matrix: Option<crate::status::risk::Matrix>,
    /// How revenue statements' outturn is projected where a statement does not say; not set:
    /// `straight-line`, labelled as such.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub projection: Option<crate::budget::OutturnProjection>,
    /// Where the quarterly report lists its exceptions, where the council chooses (else after
    /// the appendix, so the report opens as the council's own does).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exceptions: Option<ExceptionsPlacement>,
}

crate::word_enum! {
    /// Where the quarterly monitoring report lists its exceptions (every Red, every status set
    /// by hand, every missing value): `appendix`, after the report's own sections, so that it
    /// opens with its introduction as the council's does (the default); or `first`, before the
    /// introduction.
    #[derive(Default)]
    ExceptionsPlacement { #[default] Appendix = "appendix", First = "first" }
}

/// A council's ref: lower-case letters, digits and `-`, as it appears in URLs.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CouncilRef(String);

impl CouncilRef {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::str::FromStr for CouncilRef {
    type Err = crate::ParseError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim();
        let ok = !t.is_empty()
            && t.len() <= 40
            && t.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            && !t.starts_with('-');
        if ok {
            Ok(CouncilRef(t.to_string()))
        } else {
            Err(crate::ParseError::new(
                s,
                "a council ref: 1 to 40 lower-case letters, digits and '-', such as halton",
            ))
        }
    }
}

impl std::fmt::Display for CouncilRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}
crate::serde_via_str!(CouncilRef);

crate::word_enum! {
    /// Where a unit sits in the organisation tree.
    UnitKind {
        CouncilWide = "council-wide",
        Directorate = "directorate",
        Department = "department",
        Division = "division",
        Team = "team",
        Partnership = "partnership",
    }
}

/// A directorate, department, division, team or partnership.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Unit {
    #[serde(rename = "ref")]
    pub reference: Ref,
    pub name: String,
    pub kind: UnitKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<Ref>,
    /// The officer who heads it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub head: Option<Ref>,
}

/// A named officer, known in reports by initials (`SN`, `AMc`, `TC`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Officer {
    /// The initials reports print.
    #[serde(rename = "ref")]
    pub reference: Ref,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<Ref>,
    /// Other initials printed for the same person (`AM` for `AMc`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<Ref>,
}

impl Officer {
    /// True if these initials are this officer's.
    pub fn answers_to(&self, initials: &str) -> bool {
        self.reference.as_str() == initials || self.aliases.iter().any(|a| a.as_str() == initials)
    }
}

/// Serde for optional decimals written as strings ("5"), never floats.
pub mod opt_decimal {
    use rust_decimal::Decimal;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(v: &Option<Decimal>, s: S) -> Result<S::Ok, S::Error> {
        match v {
            Some(d) => s.collect_str(d),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Decimal>, D::Error> {
        let s: Option<String> = Option::deserialize(d)?;
        s.map(|s| {
            crate::measure::read_number(&s).ok_or_else(|| {
                serde::de::Error::custom(crate::ParseError::new(
                    s,
                    "a number written as a string, such as \"5\"",
                ))
            })
        })
        .transpose()
    }
}
