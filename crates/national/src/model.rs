//! The national set's vocabulary: councils in the register, their types, which way an indicator
//! is better, and the codes that name councils, indicators and periods.

use serde::Serialize;
use std::fmt;

/// The type of a council in England.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum CouncilType {
    County,
    District,
    Unitary,
    Metropolitan,
    LondonBorough,
}

impl CouncilType {
    /// Reads the names registers and published tables use ("Shire county", "Unitary authority",
    /// "Metropolitan district", "London borough", "Non-metropolitan district", ...).
    pub fn parse(text: &str) -> Option<CouncilType> {
        let t = text.trim().to_ascii_lowercase().replace(['_', '-'], " ");
        let t = t.as_str();
        if t.starts_with("london") {
            Some(CouncilType::LondonBorough)
        } else if t.starts_with("metropolitan") || t == "md" || t == "met" {
            Some(CouncilType::Metropolitan)
        } else if t.contains("unitary") || t == "ua" {
            Some(CouncilType::Unitary)
        } else if t.contains("district") || t == "sd" || t == "nmd" {
            Some(CouncilType::District)
        } else if t.contains("county") || t == "sc" {
            Some(CouncilType::County)
        } else {
            None
        }
    }

    /// The stored and printed key.
    pub fn key(self) -> &'static str {
        match self {
            CouncilType::County => "county",
            CouncilType::District => "district",
            CouncilType::Unitary => "unitary",
            CouncilType::Metropolitan => "metropolitan",
            CouncilType::LondonBorough => "london-borough",
        }
    }

    /// Reads a stored key back.
    pub fn from_key(key: &str) -> Option<CouncilType> {
        Some(match key {
            "county" => CouncilType::County,
            "district" => CouncilType::District,
            "unitary" => CouncilType::Unitary,
            "metropolitan" => CouncilType::Metropolitan,
            "london-borough" => CouncilType::LondonBorough,
            _ => return None,
        })
    }
}

impl fmt::Display for CouncilType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            CouncilType::County => "county council",
            CouncilType::District => "district council",
            CouncilType::Unitary => "unitary authority",
            CouncilType::Metropolitan => "metropolitan borough",
            CouncilType::LondonBorough => "London borough",
        })
    }
}

/// Which way an indicator is better.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Polarity {
    Higher,
    Lower,
}

impl Polarity {
    /// Reads "higher", "high", "higher is better", "up", "lower", "low", "down", ...
    pub fn parse(text: &str) -> Option<Polarity> {
        let t = text.trim().to_ascii_lowercase();
        if t.starts_with("high") || t == "up" || t == "bigger is better" {
            Some(Polarity::Higher)
        } else if t.starts_with("low") || t == "down" || t == "smaller is better" {
            Some(Polarity::Lower)
        } else {
            None
        }
    }
    pub fn key(self) -> &'static str {
        match self {
            Polarity::Higher => "higher",
            Polarity::Lower => "lower",
        }
    }
}

impl fmt::Display for Polarity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Polarity::Higher => "higher is better",
            Polarity::Lower => "lower is better",
        })
    }
}

/// A council in the national register.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RegisteredCouncil {
    pub code: String,
    pub name: String,
    pub region: Option<String>,
    pub kind: Option<CouncilType>,
}

/// The longest code, label or name the set stores.
pub const MAX_TEXT: usize = 120;

/// Checks a code, label or name read from a file: not empty, not too long, no control
/// characters. Returns what was wrong.
pub fn check_text(text: &str, what: &str) -> Result<(), String> {
    if text.is_empty() {
        return Err(format!("the {what} is empty"));
    }
    if text.len() > MAX_TEXT {
        return Err(format!(
            "the {what} is {} bytes long; at most {MAX_TEXT} are allowed",
            text.len()
        ));
    }
    if text.chars().any(char::is_control) {
        return Err(format!("the {what} contains a control character"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn council_types_are_read_from_the_names_published_tables_use() {
        assert_eq!(
            CouncilType::parse("Shire county"),
            Some(CouncilType::County)
        );
        assert_eq!(
            CouncilType::parse("Non-metropolitan district"),
            Some(CouncilType::District)
        );
        assert_eq!(
            CouncilType::parse("Metropolitan district"),
            Some(CouncilType::Metropolitan)
        );
        assert_eq!(
            CouncilType::parse("Unitary authority"),
            Some(CouncilType::Unitary)
        );
        assert_eq!(
            CouncilType::parse("London borough"),
            Some(CouncilType::LondonBorough)
        );
        assert_eq!(CouncilType::parse("parish"), None);
    }

    #[test]
    fn text_with_control_characters_is_refused() {
        assert!(check_text("E06000006", "council code").is_ok());
        assert!(check_text("E06\u{7}", "council code").is_err());
        assert!(check_text("", "council code").is_err());
    }
}
