//! Printing results for people: aligned counts and load summaries.

use beacon_app::{LoadReport, Stats};

/// Counts, one per line, aligned.
pub fn stats(s: &Stats) -> String {
    let rows = s.rows();
    let width = rows.iter().map(|(n, _)| n.len()).max().unwrap_or(0);
    rows.iter()
        .map(|(name, n)| format!("{name:<width$}  {n:>6}\n"))
        .collect()
}

/// What a load did, in one line or a short list.
pub fn load(report: &LoadReport) -> String {
    if report.written.is_empty() {
        return format!(
            "Nothing changed: all {} items were already stored as given.\n",
            report.unchanged
        );
    }
    let mut out = format!(
        "Loaded {} item{} ({} unchanged):\n",
        report.written.len(),
        if report.written.len() == 1 { "" } else { "s" },
        report.unchanged
    );
    for w in &report.written {
        out.push_str(&format!("  {w}\n"));
    }
    out
}
