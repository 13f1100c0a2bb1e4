//! Money: exact amounts in pence, read from the forms budget statements print (`20,504` in
//! £'000, `(30)` for an overspend) and printed back the same way. Never floating point.

use crate::ParseError;
use std::fmt;

crate::word_enum! {
    /// The unit a statement's amounts are written in: £, £'000 or £m.
    Scale {
        Pounds = "pounds",
        Thousands = "thousands",
        Millions = "millions",
    }
}

impl Scale {
    /// Pence in one unit of this scale.
    pub fn pence_per_unit(self) -> i64 {
        match self {
            Scale::Pounds => 100,
            Scale::Thousands => 100_000,
            Scale::Millions => 100_000_000,
        }
    }
    /// The column unit a report prints: `£`, `£'000` or `£m`.
    pub fn label(self) -> &'static str {
        match self {
            Scale::Pounds => "£",
            Scale::Thousands => "£'000",
            Scale::Millions => "£m",
        }
    }
}

/// An exact amount of money in pence.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Default,
    serde::Serialize,
    serde::Deserialize,
)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(transparent)]
pub struct Pence(pub i64);

impl Pence {
    pub const ZERO: Pence = Pence(0);

    /// Reads an amount written in `scale`: `20,504`, `-45`, `(30)`, `432.30`, `£1,000`.
    /// Fractions finer than a penny are refused, never rounded.
    pub fn parse(text: &str, scale: Scale) -> Result<Pence, ParseError> {
        let expected = format!(
            "an amount in {} such as 20,504, -45 or (30), exact to the penny",
            scale.label()
        );
        let err = || ParseError::new(text, expected.clone());
        let t = text.trim();
        let (neg, t) = match t.strip_prefix('(').and_then(|r| r.strip_suffix(')')) {
            Some(inner) => (true, inner.trim()),
            None => (false, t),
        };
        let n = crate::measure::read_number(t).ok_or_else(err)?;
        if t.ends_with('%') {
            return Err(err());
        }
        let pence = n
            .checked_mul(rust_decimal::Decimal::from(scale.pence_per_unit()))
            .ok_or_else(err)?;
        if !pence.fract().is_zero() {
            return Err(err());
        }
        let p = i64::try_from(pence).map_err(|_| err())?;
        Ok(Pence(if neg { -p } else { p }))
    }

    pub fn checked_add(self, o: Pence) -> Option<Pence> {
        self.0.checked_add(o.0).map(Pence)
    }
    pub fn checked_sub(self, o: Pence) -> Option<Pence> {
        self.0.checked_sub(o.0).map(Pence)
    }

    /// The amount in `scale` as the source would write it, exact: `20504`, `-45`, `432.3`.
    pub fn in_scale(self, scale: Scale) -> String {
        let d = rust_decimal::Decimal::new(self.0, 0)
            / rust_decimal::Decimal::from(scale.pence_per_unit());
        d.normalize().to_string()
    }

    /// Printed as a statement prints it: thousands commas, negatives in brackets when
    /// `brackets` is set (variance columns), else with a minus sign.
    pub fn display(self, scale: Scale, brackets: bool) -> String {
        let plain = self.in_scale(scale);
        let (neg, digits) = match plain.strip_prefix('-') {
            Some(d) => (true, d.to_string()),
            None => (false, plain),
        };
        let (int, frac) = digits
            .split_once('.')
            .map_or((digits.as_str(), None), |(a, b)| (a, Some(b)));
        let mut grouped = String::new();
        for (i, c) in int.chars().enumerate() {
            if i > 0 && (int.len() - i) % 3 == 0 {
                grouped.push(',');
            }
            grouped.push(c);
        }
        if let Some(f) = frac {
            grouped = format!("{grouped}.{f:0<2}");
        }
        match (neg, brackets) {
            (true, true) => format!("({grouped})"),
            (true, false) => format!("-{grouped}"),
            (false, _) => grouped,
        }
    }
}

impl fmt::Display for Pence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&Pence::display(*self, Scale::Pounds, false))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn reads_statement_forms() {
        let k = Scale::Thousands;
        assert_eq!(Pence::parse("20,504", k).unwrap(), Pence(2_050_400_000));
        assert_eq!(Pence::parse("(30)", k).unwrap(), Pence(-3_000_000));
        assert_eq!(Pence::parse("-45", k).unwrap(), Pence(-4_500_000));
        assert_eq!(
            Pence::parse("432.30", Scale::Pounds).unwrap(),
            Pence(43_230)
        );
        assert!(Pence::parse("1.005", Scale::Pounds).is_err());
        assert!(Pence::parse("ten", k).is_err());
        assert!(Pence::parse("5%", k).is_err());
        assert!(Pence::parse("99999999999999999999", k).is_err());
    }

    #[test]
    fn prints_statement_forms() {
        let k = Scale::Thousands;
        assert_eq!(Pence(4_891_100_000).display(k, true), "48,911");
        assert_eq!(Pence(-3_000_000).display(k, true), "(30)");
        assert_eq!(Pence(-3_000_000).display(k, false), "-30");
        assert_eq!(Pence(43_230).display(Scale::Pounds, false), "432.30");
        assert_eq!(Pence(0).display(k, true), "0");
        let m = Scale::Millions;
        assert_eq!(Pence::parse("1.25", m).unwrap(), Pence(125_000_000));
        assert_eq!(Pence(125_000_000).display(m, false), "1.25");
        assert_eq!(m.label(), "£m");
    }

    proptest! {
        #[test]
        fn printing_then_reading_is_exact(p in -10_000_000_000_000i64..10_000_000_000_000) {
            prop_assert_eq!(Pence::parse(&Pence(p).display(Scale::Pounds, true), Scale::Pounds).unwrap(), Pence(p));
            let k = Pence(p / 100_000 * 100_000);
            prop_assert_eq!(Pence::parse(&k.display(Scale::Thousands, true), Scale::Thousands).unwrap(), k);
        }
    }
}
