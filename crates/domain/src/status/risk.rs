//! Risk scoring: likelihood × impact banded by a matrix. The default is the seeds' 4 × 4:
//! 1–4 Low, 5–10 Medium, 11–16 High; a council may configure another (5 × 5 is common).

use super::Assessed;
use crate::period::Quarter;
use crate::risk::{Band, RiskAssessment};
use serde::{Deserialize, Serialize};

/// A risk matrix: its side and the highest score of each band, in order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Matrix {
    pub side: u8,
    /// (highest score in the band, band), ascending; the last covers side × side.
    pub bands: Vec<(u8, Band)>,
}

impl Default for Matrix {
    fn default() -> Self {
        Matrix {
            side: 4,
            bands: vec![(4, Band::Low), (10, Band::Medium), (16, Band::High)],
        }
    }
}

impl Matrix {
    /// A matrix, checked: side 2–5, bands ascending and covering every score up to side².
    pub fn new(side: u8, bands: Vec<(u8, Band)>) -> Result<Matrix, String> {
        if !(2..=5).contains(&side) {
            return Err(format!(
                "a risk matrix is 2 × 2 to 5 × 5, not {side} × {side}"
            ));
        }
        if bands.is_empty()
            || bands
                .windows(2)
                .any(|w| w[0].0 >= w[1].0 || w[0].1 >= w[1].1)
        {
            return Err("bands must rise in score and in band (low, medium, high)".into());
        }
        if bands.last().map(|b| b.0) != Some(side * side) {
            return Err(format!("the last band must end at {}", side * side));
        }
        Ok(Matrix { side, bands })
    }

    /// The band of a score; scores above the matrix fall in its top band.
    pub fn band(&self, score: u8) -> Band {
        self.bands
            .iter()
            .find(|(max, _)| score <= *max)
            .or(self.bands.last())
            .map_or(Band::High, |b| b.1)
    }

    fn range_of(&self, band: Band) -> String {
        let mut low = 1;
        for (max, b) in &self.bands {
            if *b == band {
                return format!("{low}–{max}");
            }
            low = max + 1;
        }
        String::new()
    }

    /// Checks an assessment against this matrix: its parts agree (`RiskAssessment::check`) and
    /// lie within the council's side × side. The one rule plan files, quarter files and the
    /// entry form apply, so each refuses in the same words.
    pub fn check(&self, a: &RiskAssessment) -> Result<(), String> {
        a.check()?;
        let side = self.side;
        let most = u16::from(side) * u16::from(side);
        let beyond = [a.likelihood, a.impact]
            .into_iter()
            .flatten()
            .any(|x| x > side)
            || a.score.is_some_and(|s| u16::from(s) > most);
        if beyond {
            return Err(format!(
                "the assessment does not fit the council's {side} × {side} risk matrix: expected likelihood and impact 1 to {side}, a score 1 to {most} (a council sets its matrix in `[council.risk_matrix]`)"
            ));
        }
        Ok(())
    }

    /// A risk's quarters in order, each scored and banded by this matrix, with the way it
    /// moved from the quarter before the last. Assessments without a score are left out.
    pub fn trend(&self, assessed: &[(Quarter, RiskAssessment)]) -> Trend {
        let mut points: Vec<Point> = assessed
            .iter()
            .filter_map(|(quarter, a)| {
                a.score().map(|score| Point {
                    quarter: *quarter,
                    score,
                    band: self.band(score),
                })
            })
            .collect();
        points.sort_by_key(|p| p.quarter);
        let direction = match points.as_slice() {
            [.., before, last] => Some(match last.score.cmp(&before.score) {
                std::cmp::Ordering::Greater => Direction::Rising,
                std::cmp::Ordering::Less => Direction::Falling,
                std::cmp::Ordering::Equal => Direction::Steady,
            }),
            _ => None,
        };
        Trend { points, direction }
    }

    /// Bands an assessment: from its score, else the band recorded.
    pub fn assess(&self, a: &RiskAssessment) -> Option<Assessed<Band>> {
        match (a.score(), a.band) {
            (Some(s), _) => {
                let band = self.band(s);
                let how = match (a.likelihood, a.impact) {
                    (Some(l), Some(i)) => format!("likelihood {l} × impact {i} = {s}"),
                    _ => format!("score {s}"),
                };
                Some(Assessed::new(
                    band,
                    format!(
                        "{how}; {} is {band} on the {side}×{side} matrix → {band}",
                        self.range_of(band),
                        side = self.side
                    ),
                ))
            }
            (None, Some(b)) => Some(Assessed::new(b, format!("recorded as {b} (no score)"))),
            (None, None) => None,
        }
    }
}

crate::word_enum! {
    /// Which way a risk's score moved from one assessed quarter to the next.
    Direction { Rising = "rising", Falling = "falling", Steady = "steady" }
}

/// A risk's assessment in one quarter, scored and banded by the council's matrix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Point {
    pub quarter: Quarter,
    pub score: u8,
    pub band: Band,
}

/// A risk's assessed quarters in order and the way it last moved; in words (never colour
/// alone): "Q1 12 High → Q2 9 Medium, falling". Quarters are named by number alone when all
/// lie in one year, else with their year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Trend {
    pub points: Vec<Point>,
    /// From the quarter before the last to the last; none with fewer than two.
    pub direction: Option<Direction>,
}

impl Trend {
    pub fn is_empty(&self) -> bool {
        self.points.is_empty()
    }
}

impl std::fmt::Display for Trend {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let one_year = self
            .points
            .windows(2)
            .all(|w| w[0].quarter.year == w[1].quarter.year);
        for (n, p) in self.points.iter().enumerate() {
            if n > 0 {
                f.write_str(" → ")?;
            }
            if one_year {
                write!(f, "Q{}", p.quarter.q.number())?;
            } else {
                write!(f, "{}", p.quarter)?;
            }
            write!(f, " {} {}", p.score, p.band.label())?;
        }
        if let Some(d) = self.direction {
            write!(f, ", {d}")?;
        }
        Ok(())
    }
}

/// A matrix as a council's file writes it: its side and the highest Low and Medium scores;
/// the scores above are High, up to side × side.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MatrixForm {
    pub side: u8,
    pub low: u8,
    pub medium: u8,
}

impl TryFrom<MatrixForm> for Matrix {
    type Error = String;
    fn try_from(f: MatrixForm) -> Result<Matrix, String> {
        if !(2..=5).contains(&f.side) {
            return Err(format!(
                "a risk matrix is 2 × 2 to 5 × 5, not {side} × {side}",
                side = f.side
            ));
        }
        if f.low == 0 {
            return Err("low must be a score of 1 or more".into());
        }
        if f.low >= f.medium || u16::from(f.medium) >= u16::from(f.side) * u16::from(f.side) {
            return Err(format!(
                "expected 1 ≤ low < medium < {} (side × side) for a {side} × {side} matrix; found low {}, medium {}",
                u16::from(f.side) * u16::from(f.side),
                f.low,
                f.medium,
                side = f.side
            ));
        }
        Matrix::new(
            f.side,
            vec![
                (f.low, Band::Low),
                (f.medium, Band::Medium),
                (f.side * f.side, Band::High),
            ],
        )
    }
}

impl Matrix {
    /// The matrix as a file writes it, where it has the three bands a file can give.
    pub fn form(&self) -> Option<MatrixForm> {
        match self.bands.as_slice() {
            [(low, Band::Low), (medium, Band::Medium), (_, Band::High)] => Some(MatrixForm {
                side: self.side,
                low: *low,
                medium: *medium,
            }),
            _ => None,
        }
    }
}

/// Stored as `side/low/medium`, e.g. `4/4/10`.
impl std::fmt::Display for MatrixForm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}/{}", self.side, self.low, self.medium)
    }
}

impl std::str::FromStr for Matrix {
    type Err = String;
    fn from_str(s: &str) -> Result<Matrix, String> {
        let n: Vec<u8> = s
            .split('/')
            .map(|p| p.trim().parse::<u8>())
            .collect::<Result<_, _>>()
            .map_err(|_| format!("{s:?} is not a risk matrix such as 4/4/10"))?;
        match n.as_slice() {
            [side, low, medium] => Matrix::try_from(MatrixForm {
                side: *side,
                low: *low,
                medium: *medium,
            }),
            _ => Err(format!("{s:?} is not a risk matrix such as 4/4/10")),
        }
    }
}

/// serde for a council's matrix as its file writes it (`side`, `low`, `medium`), checked.
pub mod matrix_form {
    use super::{Matrix, MatrixForm};
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<S: Serializer>(m: &Option<Matrix>, s: S) -> Result<S::Ok, S::Error> {
        m.as_ref().and_then(Matrix::form).serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Matrix>, D::Error> {
        Option::<MatrixForm>::deserialize(d)?
            .map(|f| {
                Matrix::try_from(f)
                    .map_err(|e| serde::de::Error::custom(format!("risk_matrix: {e}")))
            })
            .transpose()
    }
}

/// True where the residual risk is banded or scored above the initial: the controls made it worse.
pub fn residual_above_initial(
    matrix: &Matrix,
    initial: &RiskAssessment,
    residual: &RiskAssessment,
) -> bool {
    match (initial.score(), residual.score()) {
        (Some(i), Some(r)) => r > i,
        _ => {
            let band = |a: &RiskAssessment| a.score().map(|s| matrix.band(s)).or(a.band);
            matches!((band(initial), band(residual)), (Some(i), Some(r)) if r > i)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn scored(s: u8) -> RiskAssessment {
        RiskAssessment {
            score: Some(s),
            likelihood: None,
            impact: None,
            band: None,
        }
    }

    #[test]
    fn a_council_matrix_is_read_from_its_form_and_written_back() {
        let m: Matrix = "5/6/14".parse().unwrap();
        assert_eq!(m.band(6), Band::Low);
        assert_eq!(m.band(7), Band::Medium);
        assert_eq!(m.band(15), Band::High);
        assert_eq!(m.form().unwrap().to_string(), "5/6/14");
        assert!(
            "5/14/6"
                .parse::<Matrix>()
                .unwrap_err()
                .contains("low < medium")
        );
        assert!("4/4/16".parse::<Matrix>().is_err());
        assert!(
            "6/4/10"
                .parse::<Matrix>()
                .unwrap_err()
                .contains("2 × 2 to 5 × 5")
        );
        assert!("four".parse::<Matrix>().is_err());
        assert!(
            "16/4/10"
                .parse::<Matrix>()
                .unwrap_err()
                .contains("not 16 × 16")
        );
    }

    #[test]
    fn the_seed_bands() {
        let m = Matrix::default();
        assert_eq!(m.band(4), Band::Low);
        assert_eq!(m.band(5), Band::Medium);
        assert_eq!(m.band(10), Band::Medium);
        assert_eq!(m.band(11), Band::High);
        assert_eq!(m.band(16), Band::High);
        let a = m.assess(&scored(16)).unwrap();
        assert_eq!(a.reason, "score 16; 11–16 is high on the 4×4 matrix → high");
        let lxi = RiskAssessment {
            score: None,
            likelihood: Some(2),
            impact: Some(4),
            band: None,
        };
        assert_eq!(
            m.assess(&lxi).unwrap().reason,
            "likelihood 2 × impact 4 = 8; 5–10 is medium on the 4×4 matrix → medium"
        );
    }

    #[test]
    fn a_council_may_use_five_by_five() {
        let m = Matrix::new(
            5,
            vec![(6, Band::Low), (14, Band::Medium), (25, Band::High)],
        )
        .unwrap();
        assert_eq!(m.band(15), Band::High);
        assert!(Matrix::new(5, vec![(6, Band::Low), (20, Band::High)]).is_err());
        assert!(Matrix::new(6, vec![(36, Band::High)]).is_err());
    }

    fn lxi(l: u8, i: u8) -> RiskAssessment {
        RiskAssessment {
            score: None,
            likelihood: Some(l),
            impact: Some(i),
            band: None,
        }
    }

    #[test]
    fn a_quarter_s_assessment_must_fit_the_council_s_matrix() {
        let m = Matrix::default();
        assert_eq!(m.check(&lxi(4, 4)), Ok(()));
        assert!(
            m.check(&lxi(5, 2))
                .unwrap_err()
                .contains("4 × 4 risk matrix")
        );
        let half = RiskAssessment {
            impact: None,
            ..lxi(3, 3)
        };
        assert_eq!(
            m.check(&half).unwrap_err(),
            "likelihood and impact must be given together"
        );
    }

    #[test]
    fn a_risk_s_trend_reads_as_words_in_quarter_order() {
        let m = Matrix::default();
        let q = |s: &str| s.parse::<Quarter>().unwrap();
        let t = m.trend(&[(q("2012/13 Q2"), lxi(3, 3)), (q("2012/13 Q1"), lxi(3, 4))]);
        assert_eq!(t.to_string(), "Q1 12 High → Q2 9 Medium, falling");
        let up = m.trend(&[(q("2012/13 Q4"), lxi(2, 2)), (q("2013/14 Q1"), lxi(2, 3))]);
        assert_eq!(
            up.to_string(),
            "2012/13 Q4 4 Low → 2013/14 Q1 6 Medium, rising"
        );
        let one = m.trend(&[(q("2012/13 Q3"), lxi(2, 2))]);
        assert_eq!((one.to_string(), one.direction), ("Q3 4 Low".into(), None));
        let same = m.trend(&[(q("2012/13 Q1"), lxi(2, 2)), (q("2012/13 Q2"), lxi(1, 4))]);
        assert_eq!(same.direction, Some(Direction::Steady));
        assert!(m.trend(&[]).is_empty());
    }

    #[test]
    fn a_residual_above_its_initial_is_flagged() {
        let m = Matrix::default();
        assert!(residual_above_initial(&m, &scored(8), &scored(12)));
        assert!(!residual_above_initial(&m, &scored(16), &scored(8)));
    }

    proptest! {
        #[test]
        fn the_band_is_monotone_in_the_score(a in 1u8..=25, b in 1u8..=25) {
            let m = Matrix::default();
            if a <= b { prop_assert!(m.band(a) <= m.band(b)); }
        }
    }
}
