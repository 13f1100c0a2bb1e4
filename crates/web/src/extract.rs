//! Typed path segments: a council, a quarter (`{year}/{quarter}`, the year written `2012-13`)
//! and a unit are parsed once, where a request arrives, into domain types. A segment that does
//! not parse is "Page not found", before any handler runs.

use crate::error::WebError;
use axum::extract::{FromRequestParts, RawPathParams};
use axum::http::request::Parts;
use beacon_domain::Ref;
use beacon_domain::organisation::CouncilRef;
use beacon_domain::period::{FinancialYear, Quarter};

/// The raw value of one named path segment.
async fn segments<S: Send + Sync>(parts: &mut Parts, state: &S) -> Result<Segments, WebError> {
    let raw = RawPathParams::from_request_parts(parts, state)
        .await
        .map_err(|_| WebError::NotFound)?;
    Ok(Segments(
        raw.iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
    ))
}

struct Segments(Vec<(String, String)>);

impl Segments {
    fn get(&self, name: &str) -> Result<&str, WebError> {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .ok_or(WebError::NotFound)
    }

    fn council(&self) -> Result<CouncilRef, WebError> {
        self.get("council")?.parse().map_err(|_| WebError::NotFound)
    }

    fn quarter(&self) -> Result<Quarter, WebError> {
        let n: u8 = self
            .get("quarter")?
            .parse()
            .map_err(|_| WebError::NotFound)?;
        crate::paths::quarter(self.get("year")?, n).ok_or(WebError::NotFound)
    }

    fn year(&self) -> Result<FinancialYear, WebError> {
        self.get("year")?
            .replace('-', "/")
            .parse()
            .map_err(|_| WebError::NotFound)
    }

    fn unit(&self) -> Result<Ref, WebError> {
        self.get("unit")?.parse().map_err(|_| WebError::NotFound)
    }
}

/// `{council}` of the path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CouncilPath(pub CouncilRef);

impl<S: Send + Sync> FromRequestParts<S> for CouncilPath {
    type Rejection = WebError;
    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, WebError> {
        Ok(CouncilPath(segments(parts, state).await?.council()?))
    }
}

/// `{council}`, `{year}` and `{quarter}` of the path: a council's quarter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuarterPath {
    pub council: CouncilRef,
    pub quarter: Quarter,
}

impl<S: Send + Sync> FromRequestParts<S> for QuarterPath {
    type Rejection = WebError;
    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, WebError> {
        let s = segments(parts, state).await?;
        Ok(QuarterPath {
            council: s.council()?,
            quarter: s.quarter()?,
        })
    }
}

/// `{council}`, `{year}`, `{quarter}` and `{unit}` of the path: one unit's quarter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitQuarterPath {
    pub council: CouncilRef,
    pub quarter: Quarter,
    pub unit: Ref,
}

impl<S: Send + Sync> FromRequestParts<S> for UnitQuarterPath {
    type Rejection = WebError;
    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, WebError> {
        let s = segments(parts, state).await?;
        Ok(UnitQuarterPath {
            council: s.council()?,
            quarter: s.quarter()?,
            unit: s.unit()?,
        })
    }
}

/// `{council}` and `{year}` of the path: a council's financial year (`2012-13`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YearPath {
    pub council: CouncilRef,
    pub year: FinancialYear,
}

impl<S: Send + Sync> FromRequestParts<S> for YearPath {
    type Rejection = WebError;
    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, WebError> {
        let s = segments(parts, state).await?;
        Ok(YearPath {
            council: s.council()?,
            year: s.year()?,
        })
    }
}

/// `{council}`, `{year}` and `{unit}` of the path: one unit's financial year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitYearPath {
    pub council: CouncilRef,
    pub year: FinancialYear,
    pub unit: Ref,
}

impl<S: Send + Sync> FromRequestParts<S> for UnitYearPath {
    type Rejection = WebError;
    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, WebError> {
        let s = segments(parts, state).await?;
        Ok(UnitYearPath {
            council: s.council()?,
            year: s.year()?,
            unit: s.unit()?,
        })
    }
}
