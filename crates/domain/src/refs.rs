//! References: the codes councils give their units, plans, objectives and indicators
//! (`CFS1`, `NI075`, `SCS CYP09`, `CYPD-2011-14`).

use crate::ParseError;
use std::fmt;
use std::str::FromStr;

/// A code that identifies something within its scope. Trimmed, not empty, at most 64
/// characters, printable on one line. Case and inner spaces are kept: `SCS CYP09` is a ref.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Ref(String);

impl Ref {
    pub const MAX_LEN: usize = 64;

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl FromStr for Ref {
    type Err = ParseError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim();
        let expected = "a ref: 1 to 64 printable characters on one line";
        if t.is_empty() || t.chars().count() > Self::MAX_LEN || t.chars().any(char::is_control) {
            return Err(ParseError::new(s, expected));
        }
        Ok(Ref(t.to_string()))
    }
}

impl fmt::Display for Ref {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl AsRef<str> for Ref {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

crate::serde_via_str!(Ref);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_inner_spaces_and_trims() {
        assert_eq!(" SCS CYP09 ".parse::<Ref>().unwrap().as_str(), "SCS CYP09");
    }

    #[test]
    fn refuses_empty_multiline_and_long() {
        assert!("  ".parse::<Ref>().is_err());
        assert!("A\nB".parse::<Ref>().is_err());
        assert!("x".repeat(65).parse::<Ref>().is_err());
    }
}
