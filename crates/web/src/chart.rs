//! A line chart of an indicator's values against its targets over time, drawn by Beacon as SVG
//! (coordinates computed here, markup in a template). The same data is shown as a table beside
//! it for screen readers and for anyone who prefers numbers.

use beacon_domain::measure::Measure;
use beacon_domain::period::Period;
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use std::collections::BTreeMap;

/// A point with its screen position and what it says.
pub struct Point {
    pub x: i64,
    pub y: i64,
    pub label: String,
}

/// An x-axis or y-axis label.
pub struct Tick {
    pub at: i64,
    pub label: String,
}

/// The chart, ready to draw.
pub struct Chart {
    pub width: i64,
    pub height: i64,
    pub left: i64,
    pub bottom: i64,
    pub values: Vec<Point>,
    pub targets: Vec<Point>,
    pub x_ticks: Vec<Tick>,
    pub y_ticks: Vec<Tick>,
    pub value_line: String,
    pub target_line: String,
}

pub const WIDTH: i64 = 640;
pub const HEIGHT: i64 = 280;
pub const LEFT: i64 = 60;
pub const RIGHT: i64 = 60;
const TOP: i64 = 20;
pub const BOTTOM: i64 = 50;

/// A chart's vertical scale: the range drawn, padded a little beyond the figures, and where
/// a figure falls on the page. Shared by every chart Beacon draws.
pub struct Scale {
    lo: f64,
    hi: f64,
}

impl Scale {
    /// From the lowest and highest figure drawn, padded by `pad` of the span at each end (a
    /// flat line gets a span of 1).
    pub fn around(lo: f64, mut hi: f64, pad: f64) -> Scale {
        if (hi - lo).abs() < f64::EPSILON {
            hi = lo + 1.0;
        }
        let span = hi - lo;
        Scale {
            lo: lo - span * pad,
            hi: hi + span * pad,
        }
    }

    /// Where a figure falls, from the top of the drawing.
    pub fn y(&self, v: f64) -> i64 {
        let plot_h = (HEIGHT - TOP - BOTTOM) as f64;
        TOP + ((self.hi - v) / (self.hi - self.lo) * plot_h).round() as i64
    }

    /// Five labels up the axis, to one decimal place.
    pub fn ticks(&self) -> Vec<Tick> {
        (0..=4)
            .map(|i| {
                let v = self.lo + (self.hi - self.lo) * f64::from(i) / 4.0;
                Tick {
                    at: self.y(v),
                    label: Decimal::from_f64_retain(v)
                        .map_or_else(String::new, |d| d.round_dp(1).normalize().to_string()),
                }
            })
            .collect()
    }
}

/// Lays out values and targets by the end date of their periods. `None` when there are fewer
/// than two numbers to draw.
pub fn layout(
    values: &BTreeMap<Period, Measure>,
    targets: &BTreeMap<Period, Measure>,
) -> Option<Chart> {
    let numbers = |m: &BTreeMap<Period, Measure>| -> Vec<(Period, f64, String)> {
        m.iter()
            .filter_map(|(p, v)| Some((*p, v.value()?.to_f64()?, v.text().to_string())))
            .collect()
    };
    // Plotting positions only: the figures shown are the measures' own words.
    let vs = numbers(values);
    let ts = numbers(targets);
    if vs.len() + ts.len() < 2 {
        return None;
    }
    let mut periods: Vec<Period> = vs.iter().chain(&ts).map(|(p, _, _)| *p).collect();
    periods.sort_by_key(|p| (p.last_day(), *p));
    periods.dedup();
    let all: Vec<f64> = vs.iter().chain(&ts).map(|(_, n, _)| *n).collect();
    let (mut lo, hi) = all
        .iter()
        .fold((f64::MAX, f64::MIN), |(a, b), n| (a.min(*n), b.max(*n)));
    if lo > 0.0 && lo < hi * 0.5 {
        lo = 0.0;
    }
    let scale = Scale::around(lo, hi, 0.05);
    let plot_w = (WIDTH - LEFT - RIGHT) as f64;
    let n = periods.len().max(2) as f64 - 1.0;
    let x_of = |p: &Period| {
        let i = periods.iter().position(|q| q == p).unwrap_or(0) as f64;
        LEFT + (i / n * plot_w).round() as i64
    };
    let y_of = |v: f64| scale.y(v);
    let points = |xs: &[(Period, f64, String)]| -> Vec<Point> {
        xs.iter()
            .map(|(p, v, t)| Point {
                x: x_of(p),
                y: y_of(*v),
                label: format!("{p}: {t}"),
            })
            .collect()
    };
    let line = |ps: &[Point]| {
        ps.iter()
            .map(|p| format!("{},{}", p.x, p.y))
            .collect::<Vec<_>>()
            .join(" ")
    };
    let values = points(&vs);
    let targets = points(&ts);
    let y_ticks = scale.ticks();
    Some(Chart {
        width: WIDTH,
        height: HEIGHT,
        left: LEFT,
        bottom: HEIGHT - BOTTOM,
        value_line: line(&values),
        target_line: line(&targets),
        x_ticks: periods
            .iter()
            .map(|p| Tick {
                at: x_of(p),
                label: p.to_string(),
            })
            .collect(),
        y_ticks,
        values,
        targets,
    })
}
