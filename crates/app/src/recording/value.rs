//! Reading an indicator's value as entered: a number in one of the indicator's own forms, or
//! words from the allowed list, with qualifiers; and the data-quality rules every value must
//! pass (a percentage from 0 to 100, a count that is whole and not negative, and any bounds
//! the council set on the indicator).

use super::problem::{Field, Problems};
use beacon_domain::indicator::{Indicator, MeasureUnit};
use beacon_domain::measure::{KNOWN_WORDS, Measure, Qualifier, read_number};
use rust_decimal::Decimal;

/// The numbers an indicator takes, in words for messages.
fn number_forms(unit: Option<MeasureUnit>) -> &'static str {
    match unit {
        Some(MeasureUnit::Percent) => "a percentage such as 54.1% or 54.1",
        Some(MeasureUnit::Pounds) => "an amount such as £432.30 or 1,118",
        Some(_) => "a number such as 1,118 or 54.1",
        None => "a number such as 54.1%, 1,118 or £432.30",
    }
}

/// Qualifiers, separated by commas or semicolons.
pub(crate) fn qualifiers(text: &str, p: &mut Problems<'_>) -> Vec<Qualifier> {
    let mut out = Vec::new();
    for part in text
        .split([',', ';'])
        .map(str::trim)
        .filter(|x| !x.is_empty())
    {
        match part.to_lowercase().parse::<Qualifier>() {
            Ok(q) => out.push(q),
            Err(_) => p.at(
                Field::Qualifier,
                format!(
                    "{part:?} is not a qualifier; expected one of {}, or blank for a final value",
                    Qualifier::choices()
                ),
            ),
        }
    }
    out
}

/// The value of `ind` as entered: `Ok(None)` when both boxes are blank (no value), `Err(())`
/// after reporting a problem. `stored` is the value held now: its own words are accepted
/// back even when they are not on the list.
pub(crate) fn read(
    ind: &Indicator,
    value: &str,
    words: &str,
    qualifier: &str,
    stored: Option<&Measure>,
    p: &mut Problems<'_>,
) -> Result<Option<Measure>, ()> {
    let before = p.list.len();
    let qualifiers = qualifiers(qualifier, p);
    let (value, words) = (value.trim(), words.trim());
    let codes = ind.all_codes();
    let m = match (value.is_empty(), words.is_empty()) {
        (true, true) => {
            if !qualifiers.is_empty() {
                p.at(
                    Field::Qualifier,
                    format!(
                        "{codes}: a qualifier needs a value: give the value, or clear the qualifier"
                    ),
                );
            }
            None
        }
        (false, false) => {
            p.at(
                Field::Words,
                format!("{codes}: both a value ({value:?}) and words ({words:?}) are given; give a number as the value or words, not both"),
            );
            None
        }
        (false, true) => number(ind, value, qualifiers, stored, p),
        (true, false) => {
            if let Some(s) = stored.filter(|s| s.text() == words) {
                // The stored value sent back as it was shown.
                Some(s.clone())
            } else if KNOWN_WORDS.iter().any(|w| w.eq_ignore_ascii_case(words)) {
                match Measure::new(words, None, qualifiers, None) {
                    Ok(m) => Some(m),
                    Err(e) => {
                        p.at(Field::Words, format!("{codes}: {e}"));
                        None
                    }
                }
            } else {
                p.at(
                    Field::Words,
                    format!(
                        "{words:?} is not one of the allowed words for {codes}; expected one of: {}, or a number as the value",
                        KNOWN_WORDS.join(", ")
                    ),
                );
                None
            }
        }
    };
    if p.list.len() > before {
        Err(())
    } else {
        Ok(m)
    }
}

fn number(
    ind: &Indicator,
    value: &str,
    qualifiers: Vec<Qualifier>,
    stored: Option<&Measure>,
    p: &mut Problems<'_>,
) -> Option<Measure> {
    let codes = ind.all_codes();
    let forms = number_forms(ind.measure);
    let Some(n) = read_number(value) else {
        p.at(
            Field::Value,
            format!("{value:?} is not a number: enter the value of {codes} as {forms}, or leave it blank and enter words such as \"Refer comment\""),
        );
        return None;
    };
    // A value already stored is not judged again: sending it back as it was shown is no entry.
    // The same number written another way ("45%" for a stored 45) is a new entry.
    let kept = stored.is_some_and(|s| s.value() == Some(n) && as_entered(s).0 == value);
    let wrong_sign = !kept
        && match ind.measure {
            Some(MeasureUnit::Percent) | None => value.contains('£'),
            Some(MeasureUnit::Pounds) => value.contains('%'),
            Some(_) => value.contains('%') || value.contains('£'),
        };
    if wrong_sign {
        let unit = ind.measure.map_or("value".to_string(), |m| m.to_string());
        p.at(
            Field::Value,
            format!(
                "{value:?} does not fit indicator {}, measured in {unit}; expected {forms}",
                ind.reference
            ),
        );
        return None;
    }
    if let Some(why) = out_of_range(ind, n).filter(|_| !kept) {
        p.at(
            Field::Value,
            format!("{value:?} is not a possible value of {codes}: {why}"),
        );
        return None;
    }
    match Measure::new(value, Some(n), qualifiers, None) {
        Ok(m) => Some(m),
        Err(e) => {
            p.at(Field::Value, format!("{codes}: {e}"));
            None
        }
    }
}

/// Why `n` cannot be a value of `ind`, if it cannot: the bounds the indicator declares, else
/// those its unit implies (a percentage from 0 to 100; a count is whole and not negative).
pub fn out_of_range(ind: &Indicator, n: Decimal) -> Option<String> {
    let q = &ind.quality;
    let (floor, ceiling) = match ind.measure {
        Some(MeasureUnit::Percent) => (Some(Decimal::ZERO), Some(Decimal::ONE_HUNDRED)),
        Some(MeasureUnit::Count) => (Some(Decimal::ZERO), None),
        _ => (None, None),
    };
    let (min, max) = (q.minimum.or(floor), q.maximum.or(ceiling));
    let show = |d: Decimal| d.normalize().to_string();
    let range = match (min, max) {
        (Some(a), Some(b)) => format!("expected a number from {} to {}", show(a), show(b)),
        (Some(a), None) => format!("expected a number of at least {}", show(a)),
        (None, Some(b)) => format!("expected a number of at most {}", show(b)),
        (None, None) => String::new(),
    };
    let declared = if q.minimum.is_some() || q.maximum.is_some() {
        " (the indicator's own limits)"
    } else {
        ""
    };
    if min.is_some_and(|a| n < a) || max.is_some_and(|b| n > b) {
        return Some(format!("{range}{declared}"));
    }
    if ind.measure == Some(MeasureUnit::Count) && !q.fractions && n.fract() != Decimal::ZERO {
        return Some("a count is a whole number".into());
    }
    None
}

/// The text of a measure without its qualifier words: `50% (provisional)` is `50%`.
fn without_qualifiers(text: &str) -> String {
    let mut out = text.to_string();
    for q in Qualifier::ALL {
        let lower = out.to_lowercase();
        if let Some(i) = lower.find(q.as_str()) {
            out.replace_range(i..i + q.as_str().len(), "");
        }
    }
    out.replace("()", "").trim().to_string()
}

/// A stored measure as the (value, words, qualifier) an entry form or workbook shows, so that
/// sending them back unchanged reads as the same value.
pub fn as_entered(m: &Measure) -> (String, String, String) {
    let qualifier = m
        .qualifiers()
        .iter()
        .map(|q| q.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    match m.value() {
        Some(_) if m.words().is_none() => (without_qualifiers(m.text()), String::new(), qualifier),
        Some(n) => (n.normalize().to_string(), String::new(), qualifier),
        None => (String::new(), m.text().to_string(), qualifier),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ind(json: serde_json::Value) -> Indicator {
        serde_json::from_value(json).unwrap()
    }

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn a_percentage_is_from_0_to_100_and_a_count_whole_and_not_negative() {
        let pc = ind(serde_json::json!({"ref": "P1", "description": "p", "measure": "percent"}));
        assert_eq!(out_of_range(&pc, d("100")), None);
        assert_eq!(out_of_range(&pc, d("0")), None);
        assert_eq!(
            out_of_range(&pc, d("100.1")).as_deref(),
            Some("expected a number from 0 to 100")
        );
        assert!(out_of_range(&pc, d("-0.5")).is_some());
        let count = ind(serde_json::json!({"ref": "C1", "description": "c", "measure": "count"}));
        assert_eq!(out_of_range(&count, d("1118")), None);
        assert_eq!(
            out_of_range(&count, d("-1")).as_deref(),
            Some("expected a number of at least 0")
        );
        assert_eq!(
            out_of_range(&count, d("2.5")).as_deref(),
            Some("a count is a whole number")
        );
        let rate = ind(serde_json::json!({"ref": "R1", "description": "r", "measure": "rate"}));
        assert_eq!(
            out_of_range(&rate, d("-3.2")),
            None,
            "no limits unless declared"
        );
    }

    #[test]
    fn an_indicator_may_declare_its_own_limits() {
        let change = ind(serde_json::json!({
            "ref": "P2", "description": "change", "measure": "percent",
            "quality": {"minimum": "-50", "maximum": "150"}
        }));
        assert_eq!(out_of_range(&change, d("-20")), None);
        assert_eq!(out_of_range(&change, d("140")), None);
        assert_eq!(
            out_of_range(&change, d("151")).as_deref(),
            Some("expected a number from -50 to 150 (the indicator's own limits)")
        );
        let average = ind(serde_json::json!({
            "ref": "C2", "description": "avg", "measure": "count", "quality": {"fractions": true}
        }));
        assert_eq!(out_of_range(&average, d("2.5")), None);
        let capped = ind(serde_json::json!({
            "ref": "C3", "description": "c", "measure": "count", "quality": {"maximum": "10"}
        }));
        assert!(out_of_range(&capped, d("11")).is_some());
        assert!(
            out_of_range(&capped, d("-1")).is_some(),
            "the count's floor stays"
        );
    }
}
