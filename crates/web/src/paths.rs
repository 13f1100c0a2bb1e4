//! Every URL Beacon's pages link to, built in one place. Refs may hold spaces and slashes
//! (`SCS CYP09`, `CFS1/1`), so path segments are percent-encoded; financial years are written
//! `2012-13` in URLs.

use beacon_domain::period::{FinancialYear, Quarter, QuarterNo};

/// Percent-encodes one path segment: everything but unreserved characters (RFC 3986).
/// Written by hand: ten lines, and the only encoding Beacon needs.
pub fn seg(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// `2012-13` for 2012/13.
pub fn year(y: FinancialYear) -> String {
    y.to_string().replace('/', "-")
}

/// Reads a year and quarter number from URL segments.
pub fn quarter(year: &str, q: u8) -> Option<Quarter> {
    let fy: FinancialYear = year.replace('-', "/").parse().ok()?;
    Some(fy.quarter(QuarterNo::from_number(q).ok()?))
}

pub fn council(c: &str) -> String {
    format!("/c/{}", seg(c))
}
pub fn dashboard(c: &str, q: Quarter, unit: Option<&str>) -> String {
    let base = format!("{}/q/{}/{}", council(c), year(q.year), q.q.number());
    match unit {
        Some(u) => format!("{base}?unit={}", seg(u)),
        None => base,
    }
}
pub fn plan(c: &str, p: &str) -> String {
    format!("{}/plans/{}", council(c), seg(p))
}
pub fn indicator(c: &str, p: &str, i: &str) -> String {
    format!("{}/indicators/{}", plan(c, p), seg(i))
}
pub fn objective(c: &str, p: &str, o: &str) -> String {
    format!("{}/objectives/{}", plan(c, p), seg(o))
}
/// One of a plan's lists as a spreadsheet: `indicators.xlsx`, `risks.csv`…
pub fn table(c: &str, p: &str, file: &str) -> String {
    format!("{}/tables/{}", plan(c, p), seg(file))
}
/// Two plans side by side: what `p` changed from `with`.
pub fn compare(c: &str, p: &str, with: &str) -> String {
    format!("{}/compare?with={}", plan(c, p), seg(with))
}
/// The form that refreshes a plan for the next year.
pub fn refresh(c: &str, p: &str) -> String {
    format!("{}/refresh", plan(c, p))
}
/// The council's strategic frame: priorities, areas of focus, themes.
pub fn priorities(c: &str) -> String {
    format!("{}/priorities", council(c))
}
/// What serves one priority, area of focus or theme.
pub fn priority(c: &str, f: &str) -> String {
    format!("{}/{}", priorities(c), seg(f))
}
pub fn risks(c: &str, p: &str) -> String {
    format!("{}/risks", plan(c, p))
}
pub fn budget(c: &str, q: Quarter) -> String {
    format!("{}/budget", dashboard(c, q, None))
}
pub fn statement(c: &str, q: Quarter, s: &str) -> String {
    format!("{}/{}", budget(c, q), seg(s))
}
pub fn entry(c: &str, q: Quarter, unit: &str) -> String {
    format!("{}/entry/{}", dashboard(c, q, None), seg(unit))
}
pub fn report(c: &str, q: Quarter, unit: &str) -> String {
    format!("{}/report/{}", dashboard(c, q, None), seg(unit))
}
/// The board's cover report of a unit's quarter.
pub fn cover(c: &str, q: Quarter, unit: &str) -> String {
    format!("{}/cover/{}", dashboard(c, q, None), seg(unit))
}
/// A financial year's reports: `/c/{council}/y/{year}`.
fn year_reports(c: &str, y: FinancialYear) -> String {
    format!("{}/y/{}", council(c), year(y))
}
/// A unit's annual outturn report.
pub fn outturn(c: &str, y: FinancialYear, unit: &str) -> String {
    format!("{}/outturn/{}", year_reports(c, y), seg(unit))
}
/// A unit's annual review of targets.
pub fn target_review(c: &str, y: FinancialYear, unit: &str) -> String {
    format!("{}/target-review/{}", year_reports(c, y), seg(unit))
}
/// The community strategy's annual progress report.
pub fn community(c: &str, y: FinancialYear) -> String {
    format!("{}/community", year_reports(c, y))
}
pub fn sign_off(c: &str, q: Quarter, unit: &str) -> String {
    format!("{}/sign-off/{}", dashboard(c, q, None), seg(unit))
}
pub fn workbook(c: &str, q: Quarter, unit: &str) -> String {
    format!("{}/workbook.xlsx", entry(c, q, unit))
}
pub fn workbook_upload(c: &str, q: Quarter, unit: &str) -> String {
    format!("{}/workbook", entry(c, q, unit))
}
/// The public pages of a council: only what has been published.
pub fn public(c: &str) -> String {
    format!("/p/{}", seg(c))
}
/// A unit's published quarter: its latest version and every version before it.
pub fn publication(c: &str, unit: &str, q: Quarter) -> String {
    format!(
        "{}/{}/{}/{}",
        public(c),
        seg(unit),
        year(q.year),
        q.q.number()
    )
}
/// One file of one published version: never changes once published.
pub fn published_file(c: &str, unit: &str, q: Quarter, version: i64, file: &str) -> String {
    format!("{}/v{version}/{}", publication(c, unit, q), seg(file))
}
pub fn search(c: &str) -> String {
    format!("{}/search", council(c))
}
/// The council's users, for its administrator.
pub fn users(c: &str) -> String {
    format!("{}/users", council(c))
}
pub fn user(c: &str, username: &str) -> String {
    format!("{}/{}", users(c), seg(username))
}
pub fn add_user(c: &str) -> String {
    format!("{}/add-user", council(c))
}
/// The signed-in user's own account: their roles and their password.
pub const ACCOUNT: &str = "/account";

/// A council's calendar: the dates of each quarter of a year.
pub fn calendar(c: &str, y: FinancialYear) -> String {
    format!("{}/calendar/{}", council(c), year(y))
}
/// What is missing from a quarter, unit by unit.
pub fn missing(c: &str, q: Quarter) -> String {
    format!("{}/missing", dashboard(c, q, None))
}
/// The outbox: notices sent, waiting and failed.
pub fn notices(c: &str) -> String {
    format!("{}/notices", council(c))
}

/// The links notices carry: these paths, after the origin users reach Beacon at (the
/// `--public-origin`); without one, the paths alone.
#[derive(Debug, Clone, Default)]
pub struct PageLinks {
    origin: String,
}

impl PageLinks {
    pub fn new(origin: Option<&str>) -> PageLinks {
        PageLinks {
            origin: origin.unwrap_or("").trim_end_matches('/').to_string(),
        }
    }
}

impl beacon_app::notices::compose::Links for PageLinks {
    fn entry(&self, c: &str, q: Quarter, unit: &str) -> String {
        format!("{}{}", self.origin, entry(c, q, unit))
    }
    fn sign_off(&self, c: &str, q: Quarter, unit: &str) -> String {
        format!("{}{}", self.origin, sign_off(c, q, unit))
    }
    fn publication(&self, c: &str, unit: &str, q: Quarter) -> String {
        format!("{}{}", self.origin, publication(c, unit, q))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refs_with_spaces_and_slashes_are_one_segment() {
        assert_eq!(seg("SCS CYP09"), "SCS%20CYP09");
        assert_eq!(seg("CFS1/1"), "CFS1%2F1");
        let q = quarter("2012-13", 2).unwrap();
        assert_eq!(
            dashboard("halton", q, Some("CED")),
            "/c/halton/q/2012-13/2?unit=CED"
        );
        assert!(quarter("2012-14", 2).is_none());
        assert!(quarter("2012-13", 5).is_none());
    }
}
