//! Positions in one slice (one indicator in one period across England): quartile boundaries,
//! median, mean and count, and each council's rank and quartile, the best first whichever way
//! is better.
//!
//! The method, stated on every page that shows a position:
//! - Boundaries are the 25th, 50th and 75th percentiles by linear interpolation between the
//!   closest ranks (Hyndman and Fan's type 7: what DuckDB's `quantile_cont`, pandas' `quantile`
//!   and spreadsheets' `QUARTILE.INC` compute): for `n` values sorted ascending and
//!   `h = (n − 1)·p`, the percentile is `x[⌊h⌋] + (h − ⌊h⌋)·(x[⌊h⌋+1] − x[⌊h⌋])`.
//! - Quartile 1 is the best quarter. Higher is better: 1 at or above the 75th percentile, 2 at
//!   or above the median, 3 at or above the 25th percentile, 4 below it. Lower is better: the
//!   mirror (1 at or below the 25th percentile). A value on a boundary takes the better quartile.
//! - Rank 1 is the best. Equal values share the best of their ranks and are marked tied; the
//!   next rank skips ("1, 2, 2, 4"): standard competition ranking.
//! - A council with no value (missing or suppressed) has no rank or quartile and is not counted.
//!
//! Written by hand: it is a few lines over a sort, and must match the peer's numbers exactly.

use crate::model::Polarity;
use serde::Serialize;

/// England's figures for one slice.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Summary {
    /// Councils with a value.
    pub count: u32,
    pub mean: f64,
    pub min: f64,
    pub max: f64,
    /// The 25th percentile.
    pub q1: f64,
    pub median: f64,
    /// The 75th percentile.
    pub q3: f64,
}

impl Summary {
    /// The boundary of the best quarter: the 75th percentile when higher is better, the 25th
    /// when lower is.
    pub fn top_boundary(&self, polarity: Polarity) -> f64 {
        match polarity {
            Polarity::Higher => self.q3,
            Polarity::Lower => self.q1,
        }
    }
    /// The boundary of the worst quarter.
    pub fn bottom_boundary(&self, polarity: Polarity) -> f64 {
        match polarity {
            Polarity::Higher => self.q1,
            Polarity::Lower => self.q3,
        }
    }
}

/// One council's place in a slice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Place {
    /// 1 is the best.
    pub rank: u16,
    /// 1 is the best quarter, 4 the worst.
    pub quartile: u8,
    /// Another council has the same value.
    pub tied: bool,
}

/// Everything computed for a slice: the summary (None when no council has a value) and each
/// council's place by slot (None where it has no value).
#[derive(Debug, Clone, PartialEq)]
pub struct Positions {
    pub summary: Option<Summary>,
    pub places: Vec<Option<Place>>,
}

/// The `p` percentile of ascending `sorted` (not empty), by linear interpolation (type 7).
pub fn percentile(sorted: &[f64], p: f64) -> f64 {
    let n = sorted.len();
    if n == 0 {
        return f64::NAN;
    }
    let h = (n - 1) as f64 * p;
    let lo = h.floor() as usize;
    let hi = (lo + 1).min(n - 1);
    let frac = h - lo as f64;
    sorted[lo] + frac * (sorted[hi] - sorted[lo])
}

/// The quartile a value falls in, 1 the best.
pub fn quartile_of(value: f64, s: &Summary, polarity: Polarity) -> u8 {
    match polarity {
        Polarity::Higher => {
            if value >= s.q3 {
                1
            } else if value >= s.median {
                2
            } else if value >= s.q1 {
                3
            } else {
                4
            }
        }
        Polarity::Lower => {
            if value <= s.q1 {
                1
            } else if value <= s.median {
                2
            } else if value <= s.q3 {
                3
            } else {
                4
            }
        }
    }
}

/// Computes a slice's positions. `values` is by council slot, NaN where a council has none.
pub fn compute(values: &[f64], polarity: Polarity) -> Positions {
    // Slots of councils with a value, best first.
    let mut order: Vec<u32> = (0..values.len() as u32)
        .filter(|&i| !values[i as usize].is_nan())
        .collect();
    let mut places = vec![None; values.len()];
    if order.is_empty() {
        return Positions {
            summary: None,
            places,
        };
    }
    let key = |i: &u32| values[*i as usize];
    match polarity {
        Polarity::Higher => order.sort_unstable_by(|a, b| key(b).total_cmp(&key(a))),
        Polarity::Lower => order.sort_unstable_by(|a, b| key(a).total_cmp(&key(b))),
    }
    let mut ascending: Vec<f64> = order.iter().map(key).collect();
    if polarity == Polarity::Higher {
        ascending.reverse();
    }
    let n = ascending.len();
    let sum: f64 = ascending.iter().sum();
    let summary = Summary {
        count: n as u32,
        mean: sum / n as f64,
        min: ascending[0],
        max: ascending[n - 1],
        q1: percentile(&ascending, 0.25),
        median: percentile(&ascending, 0.5),
        q3: percentile(&ascending, 0.75),
    };
    let mut rank = 1usize;
    for (i, slot) in order.iter().enumerate() {
        let v = key(slot);
        if i > 0 && key(&order[i - 1]) != v {
            rank = i + 1;
        }
        let tied = (i > 0 && key(&order[i - 1]) == v)
            || order.get(i + 1).is_some_and(|next| key(next) == v);
        places[*slot as usize] = Some(Place {
            rank: rank.min(u16::MAX as usize) as u16,
            quartile: quartile_of(v, &summary, polarity),
            tied,
        });
    }
    Positions {
        summary: Some(summary),
        places,
    }
}

/// The mean of the values of `members` (slots) that have one, with how many had one.
pub fn group_mean(values: &[f64], members: &[u32]) -> Option<(f64, u32)> {
    let mut sum = 0.0;
    let mut n = 0u32;
    for &m in members {
        if let Some(v) = values.get(m as usize).filter(|v| !v.is_nan()) {
            sum += v;
            n += 1;
        }
    }
    (n > 0).then(|| (sum / f64::from(n), n))
}

/// "1st", "2nd", "3rd", "11th", "22nd".
pub fn ordinal(n: u32) -> String {
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

/// How a quartile reads: "top quartile", "second quartile", "third quartile", "bottom quartile".
pub fn quartile_label(q: u8) -> &'static str {
    match q {
        1 => "top quartile",
        2 => "second quartile",
        3 => "third quartile",
        4 => "bottom quartile",
        _ => "no quartile",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinals_read_as_english() {
        let got: Vec<String> = [1, 2, 3, 4, 11, 12, 13, 21, 22, 101].map(ordinal).into();
        assert_eq!(
            got,
            [
                "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "101st"
            ]
        );
    }

    #[test]
    fn percentiles_interpolate_between_closest_ranks() {
        // numpy.percentile([1,2,3,4,10], [25,50,75]) = [2, 3, 4]
        let v = [1.0, 2.0, 3.0, 4.0, 10.0];
        assert_eq!(percentile(&v, 0.25), 2.0);
        assert_eq!(percentile(&v, 0.5), 3.0);
        assert_eq!(percentile(&v, 0.75), 4.0);
        // Four values: h = 0.75 -> 10 + 0.75 * 10 = 17.5; median 25; h = 2.25 -> 32.5
        let v = [10.0, 20.0, 30.0, 40.0];
        assert_eq!(percentile(&v, 0.25), 17.5);
        assert_eq!(percentile(&v, 0.5), 25.0);
        assert_eq!(percentile(&v, 0.75), 32.5);
    }
}
