//! References: the codes councils give their units, plans, objectives and indicators
//! (`CFS1`, `NI075`, `SCS CYP09`, `CYPD-2011-14`), the order a reader expects them in
//! (`BCI 2` before `BCI 10`), and the ref a milestone is printed with.

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

impl Ref {
    /// The order a reader expects: runs of digits compare as numbers, so `BCI 2` comes before
    /// `BCI 10` and `NI8` before `NI75`; otherwise character by character; equal numbers
    /// written differently (`07`, `7`) and otherwise equal refs fall back to plain order.
    pub fn natural_cmp(&self, other: &Ref) -> std::cmp::Ordering {
        natural_cmp(&self.0, &other.0)
    }
}

/// [`Ref::natural_cmp`] on text.
pub fn natural_cmp(a: &str, b: &str) -> std::cmp::Ordering {
    use std::cmp::Ordering;
    let (mut x, mut y) = (a, b);
    loop {
        match (x.chars().next(), y.chars().next()) {
            (None, None) => return a.cmp(b),
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(c), Some(d)) if c.is_ascii_digit() && d.is_ascii_digit() => {
                let n = x.find(|ch: char| !ch.is_ascii_digit()).unwrap_or(x.len());
                let m = y.find(|ch: char| !ch.is_ascii_digit()).unwrap_or(y.len());
                let (p, q) = (
                    x[..n].trim_start_matches('0'),
                    y[..m].trim_start_matches('0'),
                );
                let by_number = p.len().cmp(&q.len()).then_with(|| p.cmp(q));
                if by_number != Ordering::Equal {
                    return by_number;
                }
                (x, y) = (&x[n..], &y[m..]);
            }
            (Some(c), Some(d)) => {
                if c != d {
                    return c.cmp(&d);
                }
                (x, y) = (&x[c.len_utf8()..], &y[d.len_utf8()..]);
            }
        }
    }
}

impl crate::objective::Milestone {
    /// The ref a report prints for the milestone: a ref of the form `<objective>/<n>` (the one
    /// Beacon gives a milestone written without a ref) is printed as its objective's ref, as
    /// councils print milestones (`LAS1`, not `LAS1/1`); any other ref as written.
    pub fn printed_ref(&self) -> &str {
        let r = self.reference.as_str();
        match r.rsplit_once('/') {
            Some((objective, n))
                if !objective.is_empty()
                    && !n.is_empty()
                    && n.chars().all(|c| c.is_ascii_digit()) =>
            {
                objective
            }
            _ => r,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_inner_spaces_and_trims() {
        assert_eq!(" SCS CYP09 ".parse::<Ref>().unwrap().as_str(), "SCS CYP09");
    }

    #[test]
    fn natural_order_reads_numbers_as_numbers() {
        let mut refs: Vec<Ref> = ["BCI 10", "BCI 2", "BCI 1", "NI75", "NI8", "A", "BCI 02"]
            .iter()
            .map(|s| s.parse().unwrap())
            .collect();
        refs.sort_by(Ref::natural_cmp);
        let order: Vec<&str> = refs.iter().map(Ref::as_str).collect();
        assert_eq!(
            order,
            ["A", "BCI 1", "BCI 02", "BCI 2", "BCI 10", "NI8", "NI75"]
        );
    }

    #[test]
    fn a_generated_milestone_ref_prints_as_its_objective() {
        let m = |r: &str| crate::objective::Milestone {
            reference: r.parse().unwrap(),
            year: "2012/13".parse().unwrap(),
            text: String::new(),
            due: crate::objective::Due::None,
            officer: None,
            priority: None,
            before_plan: None,
            carried_from: None,
        };
        assert_eq!(m("LAS1/1").printed_ref(), "LAS1");
        assert_eq!(m("SCS CYP 2/12").printed_ref(), "SCS CYP 2");
        assert_eq!(m("M4").printed_ref(), "M4");
        assert_eq!(m("LAS1/a").printed_ref(), "LAS1/a");
        assert_eq!(m("/1").printed_ref(), "/1");
    }

    #[test]
    fn refuses_empty_multiline_and_long() {
        assert!("  ".parse::<Ref>().is_err());
        assert!("A\nB".parse::<Ref>().is_err());
        assert!("x".repeat(65).parse::<Ref>().is_err());
    }
}
