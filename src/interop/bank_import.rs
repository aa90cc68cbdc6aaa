//! What every import into a question bank shares: the blank a fill question
//! writes, the bank settings lectern carries in a comment, and telling HTML
//! from plain text.

use serde_yaml::Value;

use super::bank_yaml::BankFile;

/// The blank of a fill question as an imported bank writes it.
pub(crate) const BLANK: &str = "____";

/// The bank settings lectern carried in its export's comment.
pub(crate) fn apply_bank(bank: &mut BankFile, fields: &serde_yaml::Mapping, title_given: bool) {
    for (key, value) in fields {
        match (key.as_str().unwrap_or_default(), value) {
            ("title", Value::String(t)) if !title_given => bank.title = t.clone(),
            ("pass_mark", v) => bank.pass_mark = v.as_f64(),
            ("shuffle", v) => bank.shuffle = v.as_bool(),
            ("time_limit", v) => bank.time_limit = v.as_u64().map(|n| n as u32),
            _ => {}
        }
    }
}

/// Whether a text in Moodle's "auto" format holds HTML tags.
pub(crate) fn looks_like_html(text: &str) -> bool {
    text.as_bytes()
        .windows(2)
        .any(|w| w[0] == b'<' && (w[1].is_ascii_alphabetic() || w[1] == b'/'))
}
