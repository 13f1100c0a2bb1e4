//! How the council compares with England on an indicator's page, from the national
//! benchmarking set (docs/national.md): its rank and quartile in the latest period with a
//! value, its neighbours' and region's averages, and a chart of its value against England's
//! middle half (the 25th to 75th percentile) over time, with every figure in a table beside it.
//! Positions are read as stored at import; nothing is computed again here.

use crate::chart::{BOTTOM, HEIGHT, LEFT, Point, RIGHT, Scale, Tick, WIDTH};
use crate::error::WebError;
use beacon_domain::indicator::Indicator;
use beacon_national::{Described, NationalDb, Polarity, describe};

/// The national section of an indicator page.
pub struct NationalView {
    /// The national indicator's code and name ("NI075: Achieving 5+ GCSE A*-C …").
    pub indicator: String,
    pub name: String,
    /// The council as the register names it, and its code.
    pub council: String,
    pub better: &'static str,
    /// The latest period in which the council has a value.
    pub latest: Option<Described>,
    /// Every period the set holds for the indicator, oldest first.
    pub rows: Vec<Described>,
    /// The comparison groups' names, in the order of each row's `groups`.
    pub groups: Vec<String>,
    pub chart: Option<BandChart>,
}

/// The council's position on the first of the indicator's codes that the national set holds,
/// when the council is linked to the set; None otherwise (the page then has no national
/// section). A failure to read the set is logged and leaves the section out: the rest of the
/// page is the council's own and still correct.
pub async fn for_indicator(
    db: Option<&NationalDb>,
    council: &str,
    council_name: &str,
    ind: &Indicator,
) -> Option<NationalView> {
    let db = db?;
    match read(db, council, council_name, ind).await {
        Ok(v) => v,
        Err(e) => {
            tracing::error!(council, indicator = %ind.reference, "the national set could not be read: {e:?}");
            None
        }
    }
}

async fn read(
    db: &NationalDb,
    council: &str,
    council_name: &str,
    ind: &Indicator,
) -> Result<Option<NationalView>, WebError> {
    let internal = |e: beacon_national::NationalError| WebError::Internal(e.to_string());
    let Some(link) = db.link_of(council).await.map_err(internal)? else {
        return Ok(None);
    };
    let codes = std::iter::once(&ind.reference)
        .chain(ind.printed_ref.iter())
        .chain(ind.aliases.iter());
    for code in codes {
        let Some(national) = db.indicator(code.as_str()).await.map_err(internal)? else {
            continue;
        };
        let history = db
            .council_history(&link.code, &national.code)
            .await
            .map_err(internal)?;
        if history.is_empty() {
            continue;
        }
        let polarity = history[0].polarity;
        let rows: Vec<Described> = history.iter().map(describe).collect();
        let latest = history
            .iter()
            .rposition(|p| p.value.is_some())
            .map(|i| rows[i].clone());
        return Ok(Some(NationalView {
            name: national.name.unwrap_or_default(),
            indicator: national.code,
            council: format!("{council_name} ({})", link.code),
            better: match polarity {
                Polarity::Higher => "Higher is better",
                Polarity::Lower => "Lower is better",
            },
            latest,
            groups: history[0].groups.iter().map(|g| g.name.clone()).collect(),
            chart: band_chart(&history),
            rows,
        }));
    }
    Ok(None)
}

/// The council's values against England's middle half and median, ready to draw.
pub struct BandChart {
    pub width: i64,
    pub height: i64,
    pub left: i64,
    pub bottom: i64,
    /// The band from the 25th to the 75th percentile, as polygon points.
    pub band: String,
    pub median_line: String,
    pub value_line: String,
    pub values: Vec<Point>,
    pub x_ticks: Vec<Tick>,
    pub y_ticks: Vec<Tick>,
}

/// Lays out the periods evenly from left to right. None when fewer than two periods have
/// England's figures.
fn band_chart(history: &[beacon_national::CouncilPosition]) -> Option<BandChart> {
    let with: Vec<(usize, &beacon_national::CouncilPosition)> = history
        .iter()
        .enumerate()
        .filter(|(_, p)| p.england.is_some())
        .collect();
    if with.len() < 2 {
        return None;
    }
    let mut lo = f64::MAX;
    let mut hi = f64::MIN;
    for (_, p) in &with {
        let e = p.england?;
        for v in [e.q1, e.q3, e.median].into_iter().chain(p.value) {
            lo = lo.min(v);
            hi = hi.max(v);
        }
    }
    let scale = Scale::around(lo, hi, 0.1);
    let plot_w = (WIDTH - LEFT - RIGHT) as f64;
    let n = (history.len().max(2) - 1) as f64;
    let x_of = |i: usize| LEFT + (i as f64 / n * plot_w).round() as i64;
    let y_of = |v: f64| scale.y(v);
    let join = |ps: Vec<(i64, i64)>| {
        ps.iter()
            .map(|(x, y)| format!("{x},{y}"))
            .collect::<Vec<_>>()
            .join(" ")
    };
    let upper: Vec<(i64, i64)> = with
        .iter()
        .filter_map(|(i, p)| Some((x_of(*i), y_of(p.england?.q3))))
        .collect();
    let lower: Vec<(i64, i64)> = with
        .iter()
        .rev()
        .filter_map(|(i, p)| Some((x_of(*i), y_of(p.england?.q1))))
        .collect();
    let median = with
        .iter()
        .filter_map(|(i, p)| Some((x_of(*i), y_of(p.england?.median))))
        .collect();
    let values: Vec<Point> = history
        .iter()
        .enumerate()
        .filter_map(|(i, p)| {
            Some(Point {
                x: x_of(i),
                y: y_of(p.value?),
                label: format!("{}: {}", p.period, beacon_national::figure(p.value?)),
            })
        })
        .collect();
    Some(BandChart {
        width: WIDTH,
        height: HEIGHT,
        left: LEFT,
        bottom: HEIGHT - BOTTOM,
        band: join(upper.into_iter().chain(lower).collect()),
        median_line: join(median),
        value_line: join(values.iter().map(|p| (p.x, p.y)).collect()),
        values,
        x_ticks: history
            .iter()
            .enumerate()
            .map(|(i, p)| Tick {
                at: x_of(i),
                label: p.period.clone(),
            })
            .collect(),
        y_ticks: scale.ticks(),
    })
}
