//! A council's position in words and figures, as every edge prints it: the command line's
//! table, the indicator page and its table. One wording, so the page and `beacon national
//! position` say the same thing.

use crate::position::{ordinal, quartile_label};
use crate::query::CouncilPosition;
use serde::Serialize;

/// One period of a council's position, ready to print (and as the JSON API sends it).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = NationalPeriod))]
pub struct Described {
    pub indicator: String,
    pub period: String,
    /// The council's value, or "no value" (missing or suppressed).
    pub value: String,
    /// "5th of 35", "2nd (joint) of 35", or "not ranked".
    pub rank: String,
    /// "top quartile" … "bottom quartile", or "no quartile"; 1 is the best, 0 none.
    pub quartile: String,
    pub quartile_number: u8,
    /// England's figures: lower quartile (25th percentile), median, upper quartile (75th), mean,
    /// or "-" when no council has a value.
    pub q1: String,
    pub median: String,
    pub q3: String,
    pub mean: String,
    /// The boundary of the best quarter (75th percentile when higher is better, 25th when lower).
    pub top_boundary: String,
    /// Councils with a value.
    pub count: u32,
    /// Each group's average: (group's name, "30.2 (9 of 10 reported)" or "no values").
    pub groups: Vec<(String, String)>,
}

/// A figure as printed: at most two decimal places, no trailing zeros ("44.6", "12", "0.25").
/// National statistics are measurements, not money, so they are read and printed as floats.
pub fn figure(v: f64) -> String {
    if !v.is_finite() {
        return "-".into();
    }
    let s = format!("{v:.2}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" { "0".into() } else { s.into() }
}

/// Puts a position into words.
pub fn describe(p: &CouncilPosition) -> Described {
    let e = p.england;
    let (rank, quartile, quartile_number) = match (&p.place, &e) {
        (Some(pl), Some(e)) => (
            format!(
                "{}{} of {}",
                ordinal(u32::from(pl.rank)),
                if pl.tied { " (joint)" } else { "" },
                e.count
            ),
            quartile_label(pl.quartile).to_string(),
            pl.quartile,
        ),
        _ => ("not ranked".to_string(), "no quartile".to_string(), 0),
    };
    let of =
        |f: fn(&crate::position::Summary) -> f64| e.as_ref().map_or("-".into(), |s| figure(f(s)));
    Described {
        indicator: p.indicator.clone(),
        period: p.period.clone(),
        value: p.value.map_or("no value".into(), figure),
        rank,
        quartile,
        quartile_number,
        q1: of(|s| s.q1),
        median: of(|s| s.median),
        q3: of(|s| s.q3),
        mean: of(|s| s.mean),
        top_boundary: e
            .as_ref()
            .map_or("-".into(), |s| figure(s.top_boundary(p.polarity))),
        count: e.map_or(0, |s| s.count),
        groups: p
            .groups
            .iter()
            .map(|g| {
                (
                    g.name.clone(),
                    match g.mean {
                        Some(m) => {
                            format!("{} ({} of {} reported)", figure(m), g.reported, g.members)
                        }
                        None => "no values".into(),
                    },
                )
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Polarity;
    use crate::position::{Place, Summary};
    use crate::query::GroupAverage;

    #[test]
    fn figures_print_as_a_council_would_write_them() {
        assert_eq!(figure(44.6), "44.6");
        assert_eq!(figure(44.60000001), "44.6");
        assert_eq!(figure(12.0), "12");
        assert_eq!(figure(0.25), "0.25");
        assert_eq!(figure(-0.001), "0");
        assert_eq!(figure(f64::NAN), "-");
    }

    #[test]
    fn a_tied_lower_is_better_position_reads_in_words() {
        let p = CouncilPosition {
            indicator: "NI087".into(),
            period: "2011-12".into(),
            polarity: Polarity::Lower,
            value: Some(5.5),
            place: Some(Place {
                rank: 2,
                quartile: 1,
                tied: true,
            }),
            england: Some(Summary {
                count: 35,
                mean: 7.25,
                min: 5.0,
                max: 10.0,
                q1: 6.0,
                median: 7.0,
                q3: 8.5,
            }),
            groups: vec![GroupAverage {
                kind: "statistical neighbours".into(),
                name: "Halton's statistical neighbours".into(),
                mean: Some(6.875),
                reported: 9,
                members: 10,
            }],
        };
        let d = describe(&p);
        assert_eq!(d.rank, "2nd (joint) of 35");
        assert_eq!(d.quartile, "top quartile");
        // Lower is better: the best quarter's boundary is the 25th percentile.
        assert_eq!(d.top_boundary, "6");
        assert_eq!(d.median, "7");
        assert_eq!(d.groups[0].1, "6.88 (9 of 10 reported)");
        let none = describe(&CouncilPosition {
            value: None,
            place: None,
            england: None,
            ..p
        });
        assert_eq!(
            (
                none.value.as_str(),
                none.rank.as_str(),
                none.median.as_str()
            ),
            ("no value", "not ranked", "-")
        );
    }
}
