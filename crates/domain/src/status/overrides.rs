//! Overrides: a responsible officer may set another status than the computed one, only with a
//! written reason. Both are kept, with who chose and when, and reports mark the status as set
//! by hand.

use super::Progress;
use crate::Ref;
use crate::period::Quarter;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

crate::word_enum! {
    /// What kind of item a status belongs to.
    ItemKind { Indicator = "indicator", Milestone = "milestone" }
}

/// A status set by hand.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Override {
    pub plan: Ref,
    pub kind: ItemKind,
    /// The indicator or milestone ref.
    pub item: Ref,
    pub quarter: Quarter,
    /// What the rules gave when the override was set.
    pub computed: Progress,
    pub chosen: Progress,
    /// Why; never blank.
    pub reason: String,
    /// Who chose (officer ref or user name).
    pub by: String,
    /// When, given by the caller (the domain never reads the clock). Written in files and
    /// stored as RFC 3339 text, e.g. `2012-10-20T10:00:00Z`.
    #[serde(with = "rfc3339")]
    pub at: DateTime<Utc>,
}

impl Override {
    /// Checks what a person must supply: a reason that says something and who (the time is
    /// typed, so it is already a time).
    pub fn check(&self) -> Result<(), String> {
        if self.reason.trim().is_empty() {
            return Err("a reason is required to set a status by hand; say why the computed status is wrong".into());
        }
        if self.reason.chars().count() > 2000 {
            return Err("the reason is longer than 2,000 characters".into());
        }
        if self.by.trim().is_empty() {
            return Err("say who is setting the status".into());
        }
        Ok(())
    }

    /// The key an override is stored under: one per item per quarter.
    pub fn key(&self) -> (Ref, ItemKind, Ref, Quarter) {
        (
            self.plan.clone(),
            self.kind,
            self.item.clone(),
            self.quarter,
        )
    }
}

/// Reads the RFC 3339 text a file or a database holds (any offset, taken to UTC).
pub fn parse_time(s: &str) -> Result<DateTime<Utc>, String> {
    DateTime::parse_from_rfc3339(s.trim())
        .map(|t| t.with_timezone(&Utc))
        .map_err(|_| format!("{s:?} is not a time such as 2012-10-15T09:30:00Z"))
}

/// The RFC 3339 text a time is written as: whole seconds unless it has a fraction, `Z`.
pub fn time_text(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)
}

/// serde for a time as RFC 3339 text, with [`parse_time`]'s message.
mod rfc3339 {
    use chrono::{DateTime, Utc};
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(at: &DateTime<Utc>, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&super::time_text(*at))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<DateTime<Utc>, D::Error> {
        let text = String::deserialize(d)?;
        super::parse_time(&text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn o(reason: &str) -> Override {
        Override {
            plan: "P".parse().unwrap(),
            kind: ItemKind::Indicator,
            item: "NI075".parse().unwrap(),
            quarter: "2012/13 Q2".parse().unwrap(),
            computed: Progress::Red,
            chosen: Progress::Amber,
            reason: reason.into(),
            by: "TC".into(),
            at: parse_time("2012-10-15T09:30:00Z").unwrap(),
        }
    }

    #[test]
    fn a_reason_is_required() {
        assert!(
            o("  ")
                .check()
                .unwrap_err()
                .contains("a reason is required")
        );
        o("uncertain at this stage").check().unwrap();
    }

    #[test]
    fn a_time_is_read_once_and_written_back_alike() {
        assert!(
            parse_time("yesterday")
                .unwrap_err()
                .contains("not a time such as 2012-10-15T09:30:00Z")
        );
        let at = parse_time("2013-01-05T16:45:00+00:00").unwrap();
        assert_eq!(time_text(at), "2013-01-05T16:45:00Z");
        let late = parse_time("2013-01-05T17:45:00+01:00").unwrap();
        assert_eq!(late, at);
        let fine = parse_time("2012-10-20T10:00:00.123456Z").unwrap();
        assert_eq!(time_text(fine), "2012-10-20T10:00:00.123456Z");
    }
}
