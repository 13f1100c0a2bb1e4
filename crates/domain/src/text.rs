//! Text Beacon stores: any characters but control characters. A NUL cannot be stored by
//! PostgreSQL at all and would come out raw in published pages; the other C0 controls (bar tab,
//! line feed and carriage return, which commentary uses) are never typed on purpose. Every edge
//! refuses them with [`control_character`] before text reaches the domain, so both stores hold
//! the same text.

/// The first control character in `text` that Beacon does not store, if any.
pub fn control_character(text: &str) -> Option<char> {
    text.chars()
        .find(|c| (c.is_ascii_control() && !matches!(c, '\t' | '\n' | '\r')) || *c == '\u{7f}')
}

/// A control character named for a message: `NUL (U+0000)`, `U+001B`.
pub fn describe(c: char) -> String {
    match c {
        '\0' => "NUL (U+0000)".to_string(),
        c => format!("U+{:04X}", u32::from(c)),
    }
}

/// The message for text holding a control character, naming where it was.
pub fn refusal(c: char, place: &str) -> String {
    format!(
        "{place} contains the control character {}, which Beacon does not store; remove it and try again",
        describe(c)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nul_and_other_controls_are_found_but_tabs_and_line_breaks_are_text() {
        assert_eq!(control_character("a\0b"), Some('\0'));
        assert_eq!(control_character("esc \u{1b}[31m"), Some('\u{1b}'));
        assert_eq!(control_character("del\u{7f}"), Some('\u{7f}'));
        assert_eq!(control_character("one\ttwo\r\nthree\n£ é"), None);
        assert_eq!(describe('\0'), "NUL (U+0000)");
        assert_eq!(describe('\u{1b}'), "U+001B");
    }
}
