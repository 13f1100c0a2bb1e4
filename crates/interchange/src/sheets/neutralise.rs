//! Formula neutralising for exports (OWASP "CSV injection"): a text cell that a spreadsheet
//! would read as a formula, one starting with `=`, `+`, `-`, `@`, a tab or a carriage return, is
//! written with a single quote before it, so `=HYPERLINK("http://x","y")` arrives as the inert
//! text `'=HYPERLINK("http://x","y")`. A plain number such as `-10%` or `+4.8` is left alone: a
//! spreadsheet reads it as a number, never a formula.

use beacon_domain::measure::read_number;

/// The characters that start a formula in Excel, LibreOffice or Google Sheets.
const TRIGGERS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// True if a spreadsheet could take this text for a formula.
pub fn is_formula_like(text: &str) -> bool {
    text.starts_with(TRIGGERS) && read_number(text).is_none_or(|_| text.trim() != text)
}

/// The text to write: unchanged, or with a single quote before it when it is formula-like.
pub fn neutralise(text: &str) -> String {
    if is_formula_like(text) {
        format!("'{text}")
    } else {
        text.to_string()
    }
}

/// Undoes `neutralise` on text read back from a file Beacon wrote.
pub fn restore(text: &str) -> &str {
    match text.strip_prefix('\'') {
        Some(rest) if is_formula_like(rest) => rest,
        _ => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_get_a_quote_and_numbers_do_not() {
        assert_eq!(
            neutralise("=HYPERLINK(\"http://x\",\"y\")"),
            "'=HYPERLINK(\"http://x\",\"y\")"
        );
        for f in ["+SUM(A1)", "-2+3", "@cmd", "\tx", "\r=1", "=1"] {
            assert!(neutralise(f).starts_with('\''), "{f:?}");
            assert_eq!(restore(&neutralise(f)), f);
        }
        for n in ["-10%", "+4.8", "-30", "54.1%", "text", "", "'quoted"] {
            assert_eq!(neutralise(n), n, "{n:?}");
            assert_eq!(restore(n), n);
        }
    }
}
