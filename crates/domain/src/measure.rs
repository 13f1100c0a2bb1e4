//! Measures: a target, actual, baseline or comparator as a council prints it: an optional number,
//! the words, qualifiers (`provisional`, `unvalidated`, `estimated`) and an optional "as at" date.

use crate::ParseError;
use crate::period::Period;
use rust_decimal::Decimal;
use std::fmt;
use std::str::FromStr;

crate::word_enum! {
    /// A mark on a value that says how far it can be relied on.
    Qualifier {
        Provisional = "provisional",
        Unvalidated = "unvalidated",
        Estimated = "estimated",
    }
}

/// Words that mean "no number, on purpose". Kept as written; the status rules read them.
pub const KNOWN_WORDS: &[&str] = &[
    "New indicator",
    "New calculation",
    "TBA",
    "TBC",
    "Baseline TBA",
    "Not set",
    "No target",
    "Not applicable",
    "N/A",
    "Target not appropriate",
    "Awaiting information to set target",
    "Awaiting national guidance to set targets",
    "Definition of indicator to be confirmed",
    "Placeholder",
    "Refer comment",
];

/// A value as printed: the words are kept exactly; the number is what they say, when they say
/// one number.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Measure {
    text: String,
    number: Option<Decimal>,
    qualifiers: Vec<Qualifier>,
    as_at: Option<Period>,
}

impl Measure {
    const MAX_LEN: usize = 500;

    /// Builds a measure from its parts. The text must not be blank unless there is a number,
    /// in which case the text defaults to the number as written.
    pub fn new(
        text: &str,
        number: Option<Decimal>,
        mut qualifiers: Vec<Qualifier>,
        as_at: Option<Period>,
    ) -> Result<Self, ParseError> {
        let text = text.trim();
        if text.chars().count() > Self::MAX_LEN {
            return Err(ParseError::new(text, "at most 500 characters"));
        }
        let text = match (text.is_empty(), number) {
            (false, _) => text.to_string(),
            (true, Some(n)) => n.normalize().to_string(),
            (true, None) => return Err(ParseError::new(text, "a value: a number or words")),
        };
        qualifiers.sort();
        qualifiers.dedup();
        Ok(Measure {
            text,
            number,
            qualifiers,
            as_at,
        })
    }

    /// Reads a printed value: keeps the words, finds the qualifiers in them and the number when
    /// the rest is a single number (`54%`, `-10%`, `£432.30`, `1,118`, `50% (provisional)`).
    pub fn parse(text: &str) -> Result<Self, ParseError> {
        let qualifiers = find_qualifiers(text);
        let number = read_number(&strip_qualifiers(text));
        Measure::new(text, number, qualifiers, None)
    }

    /// A measure that is just a number.
    pub fn number(n: Decimal) -> Self {
        Measure {
            text: n.normalize().to_string(),
            number: Some(n),
            qualifiers: Vec::new(),
            as_at: None,
        }
    }

    pub fn text(&self) -> &str {
        &self.text
    }
    pub fn value(&self) -> Option<Decimal> {
        self.number
    }
    pub fn qualifiers(&self) -> &[Qualifier] {
        &self.qualifiers
    }
    pub fn as_at(&self) -> Option<Period> {
        self.as_at
    }
    pub fn has(&self, q: Qualifier) -> bool {
        self.qualifiers.contains(&q)
    }
    /// True when reading the text alone gives this same measure, so the short string form
    /// in a plan file says everything.
    pub fn is_plain(&self) -> bool {
        Measure::parse(&self.text).is_ok_and(|m| m == *self)
    }
    /// The words when they say something beyond the number ("New indicator", "rolling
    /// quarterly average"); `None` when the text is only the number.
    pub fn words(&self) -> Option<&str> {
        match self.number {
            Some(_) if read_number(&strip_qualifiers(&self.text)).is_some() => None,
            _ => Some(&self.text),
        }
    }
}

impl FromStr for Measure {
    type Err = ParseError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Measure::parse(s)
    }
}

impl fmt::Display for Measure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)?;
        for q in &self.qualifiers {
            if !self.text.to_lowercase().contains(q.as_str()) {
                write!(f, " ({q})")?;
            }
        }
        Ok(())
    }
}

fn find_qualifiers(text: &str) -> Vec<Qualifier> {
    let lower = text.to_lowercase();
    Qualifier::ALL
        .iter()
        .copied()
        .filter(|q| lower.contains(q.as_str()))
        .collect()
}

fn strip_qualifiers(text: &str) -> String {
    let mut out = text.to_lowercase();
    for q in Qualifier::ALL {
        out = out.replace(q.as_str(), "");
    }
    out.replace(['(', ')'], " ").trim().to_string()
}

/// Reads one number with an optional sign, `£`, thousands commas and `%`; `None` for anything
/// else. Written by hand: the forms are the council's, not a locale's.
pub fn read_number(text: &str) -> Option<Decimal> {
    let t = text.trim();
    let (neg, t) = match t.chars().next()? {
        '-' | '−' => (true, &t[t.chars().next()?.len_utf8()..]),
        '+' => (false, &t[1..]),
        _ => (false, t),
    };
    let t = t.trim_start().strip_prefix('£').unwrap_or(t.trim_start());
    let t = t.strip_suffix('%').unwrap_or(t).trim_end();
    if t.is_empty() || !t.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let (int, frac) = t.split_once('.').unwrap_or((t, ""));
    if !frac.chars().all(|c| c.is_ascii_digit()) || (t.contains('.') && frac.is_empty()) {
        return None;
    }
    if int.contains(',') {
        let groups: Vec<&str> = int.split(',').collect();
        let first_ok = groups.first().is_some_and(|g| (1..=3).contains(&g.len()));
        let rest_ok = groups.iter().skip(1).all(|g| g.len() == 3);
        if !first_ok || !rest_ok {
            return None;
        }
    }
    if !int.chars().all(|c| c.is_ascii_digit() || c == ',') {
        return None;
    }
    // The number as written: "90" stays 90 (not 90.0), "5.50" keeps its two places.
    let int = int.replace(',', "");
    let digits = if frac.is_empty() {
        int
    } else {
        format!("{int}.{frac}")
    };
    let n = Decimal::from_str(&digits).ok()?;
    Some(if neg { -n } else { n })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn num(s: &str) -> Option<Decimal> {
        Measure::parse(s).unwrap().value()
    }

    #[test]
    fn reads_the_numbers_councils_print() {
        assert_eq!(num("54%"), Some(Decimal::new(54, 0)));
        assert_eq!(num("55.5%"), Some(Decimal::new(555, 1)));
        assert_eq!(num("-10%"), Some(Decimal::new(-10, 0)));
        assert_eq!(num("+4.8%"), Some(Decimal::new(48, 1)));
        assert_eq!(num("£432.30"), Some(Decimal::new(43230, 2)));
        assert_eq!(num("1,118"), Some(Decimal::new(1118, 0)));
        assert_eq!(num("0.63"), Some(Decimal::new(63, 2)));
        // Written back as written: no fraction gained, none lost.
        for (written, back) in [
            ("90", "90"),
            ("5.50", "5.50"),
            ("1,118", "1118"),
            ("-3%", "-3"),
        ] {
            assert_eq!(read_number(written).unwrap().to_string(), back);
        }
    }

    #[test]
    fn keeps_words_and_finds_qualifiers() {
        let m = Measure::parse("50% (provisional)").unwrap();
        assert_eq!(m.value(), Some(Decimal::new(50, 0)));
        assert_eq!(m.qualifiers(), &[Qualifier::Provisional]);
        assert_eq!(m.text(), "50% (provisional)");
        assert!(m.words().is_none());
        let m = Measure::parse("54.1 unvalidated").unwrap();
        assert_eq!(m.value(), Some(Decimal::new(541, 1)));
        assert!(m.has(Qualifier::Unvalidated));
        for words in [
            "Not set",
            "454 (A4E) 1118 (Ingeus)",
            "New indicator",
            "Refer comment *",
            "1,11,8",
            "12.",
            "2 (23 months)",
        ] {
            let m = Measure::parse(words).unwrap();
            assert_eq!(m.value(), None, "{words}");
            assert_eq!(m.words(), Some(words));
            assert!(m.is_plain());
        }
        assert!(Measure::parse("   ").is_err());
    }

    #[test]
    fn a_table_form_measure_is_not_plain() {
        let m = Measure::new(
            "63.3 rolling quarterly average",
            Some(Decimal::new(633, 1)),
            vec![],
            None,
        )
        .unwrap();
        assert!(!m.is_plain());
        assert_eq!(m.words(), Some("63.3 rolling quarterly average"));
    }
}

/// The table form of a measure in files and JSON: every part stated.
#[derive(serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
struct MeasureTable {
    text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    number: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    qualifiers: Vec<Qualifier>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    as_at: Option<Period>,
}

#[derive(serde::Deserialize)]
#[serde(untagged)]
enum MeasureForm {
    Text(String),
    Table(MeasureTable),
}

impl serde::Serialize for Measure {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if self.is_plain() {
            return s.serialize_str(&self.text);
        }
        MeasureTable {
            text: self.text.clone(),
            number: self.number.map(|n| n.to_string()),
            qualifiers: self.qualifiers.clone(),
            as_at: self.as_at,
        }
        .serialize(s)
    }
}

impl<'de> serde::Deserialize<'de> for Measure {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        match MeasureForm::deserialize(d).map_err(|_| {
            D::Error::custom(
                "expected a value: words such as \"54%\" or \"Not set\", or a table { text = \"…\", number = \"…\", qualifiers = […], as_at = \"2012-03\" }",
            )
        })? {
            MeasureForm::Text(t) => Measure::parse(&t).map_err(D::Error::custom),
            MeasureForm::Table(t) => {
                let number = match t.number {
                    Some(n) => Some(read_number(&n).ok_or_else(|| {
                        D::Error::custom(ParseError::new(n, "a number such as 63.3, written as a string"))
                    })?),
                    None => None,
                };
                Measure::new(&t.text, number, t.qualifiers, t.as_at).map_err(D::Error::custom)
            }
        }
    }
}

/// A measure in the JSON API's description: its words alone, or the table with every part.
#[cfg(feature = "openapi")]
impl utoipa::PartialSchema for Measure {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{ObjectBuilder, OneOfBuilder, Type};
        OneOfBuilder::new()
            .item(
                ObjectBuilder::new()
                    .schema_type(Type::String)
                    .description(Some("The words as printed, such as \"54%\" or \"Not set\"")),
            )
            .item(<MeasureTable as utoipa::PartialSchema>::schema())
            .into()
    }
}

#[cfg(feature = "openapi")]
impl utoipa::ToSchema for Measure {
    fn schemas(
        schemas: &mut Vec<(
            String,
            utoipa::openapi::RefOr<utoipa::openapi::schema::Schema>,
        )>,
    ) {
        <MeasureTable as utoipa::ToSchema>::schemas(schemas);
    }
}
