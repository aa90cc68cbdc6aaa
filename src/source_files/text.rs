//! One reader for every text file of a course: course.yaml, pages, question
//! banks, and GIFT files brought in by `lectern import`.
//!
//! Each of them used to decode its own way (four copies, with different
//! column rules and different treatment of line endings). Here, once:
//! UTF-8 is required and the first byte that is not is located by line and
//! column (columns count characters, as every other diagnostic does); a
//! byte-order mark is dropped (Windows Notepad writes one); CRLF and lone CR
//! become LF, so line numbers agree with what editors show; and U+0000
//! becomes U+FFFD (CommonMark 2.3: a NUL truncates text in tools that read
//! the site).

use std::path::Path;

use crate::diagnostic::Diagnostic;

/// Where a file stops being UTF-8.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotUtf8 {
    pub line: usize,
    pub column: usize,
    pub byte: u8,
    pub offset: usize,
}

impl NotUtf8 {
    /// The diagnostic for `file`, with the usual hint; callers that know
    /// where such files come from (GIFT from Word) replace the hint.
    pub fn diagnostic(&self, file: &Path) -> Diagnostic {
        Diagnostic::error(
            file,
            self.line,
            self.column,
            format!(
                "the file is not UTF-8 text (invalid byte 0x{:02X} at offset {})",
                self.byte, self.offset
            ),
        )
        .with_hint("re-save it as UTF-8 (in most editors: Save with Encoding → UTF-8)")
    }
}

/// Decodes a source file's bytes (see the module's comment for the rules).
pub fn decode(bytes: Vec<u8>) -> Result<String, NotUtf8> {
    let text = String::from_utf8(bytes).map_err(|e| {
        let bytes = e.as_bytes();
        let offset = e.utf8_error().valid_up_to();
        let valid = &bytes[..offset];
        let line_start = valid.iter().rposition(|b| *b == b'\n').map_or(0, |i| i + 1);
        NotUtf8 {
            line: valid.iter().filter(|b| **b == b'\n').count() + 1,
            column: String::from_utf8_lossy(&valid[line_start..])
                .chars()
                .count()
                + 1,
            byte: bytes[offset],
            offset,
        }
    })?;
    Ok(normalize(text))
}

/// The same rules for text already known to be UTF-8.
pub fn normalize(mut text: String) -> String {
    if text.starts_with('\u{feff}') {
        text.drain(..'\u{feff}'.len_utf8());
    }
    if text.contains('\r') {
        text = text.replace("\r\n", "\n").replace('\r', "\n");
    }
    if text.contains('\0') {
        text = text.replace('\0', "\u{FFFD}");
    }
    text
}

/// Reads and decodes `path`; diagnostics name it as `shown`.
pub fn read(path: &Path, shown: &Path) -> Result<String, Diagnostic> {
    let bytes = std::fs::read(path).map_err(|e| {
        Diagnostic::error(shown, 0, 0, format!("cannot read the file: {e}"))
            .with_hint("check that the file exists and is readable")
    })?;
    decode(bytes).map_err(|e| e.diagnostic(shown))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_endings_bom_and_nul() {
        let t = decode(b"\xEF\xBB\xBFa\r\nb\rc\0".to_vec()).unwrap();
        assert_eq!(t, "a\nb\nc\u{FFFD}");
        assert_eq!(decode(b"plain\n".to_vec()).unwrap(), "plain\n");
    }

    #[test]
    fn first_bad_byte_by_line_and_character_column() {
        // "顾客\n  x" then a GBK byte: line 2, after three characters.
        let mut bytes = "顾客\n  x".as_bytes().to_vec();
        bytes.push(0xC4);
        let e = decode(bytes).unwrap_err();
        assert_eq!((e.line, e.column, e.byte, e.offset), (2, 4, 0xC4, 10));
        let d = e.diagnostic(Path::new("a.md"));
        assert!(d
            .message
            .contains("not UTF-8 text (invalid byte 0xC4 at offset 10)"));
        // A bad byte in the middle of the first line.
        let e = decode(b"ab\xFFcd".to_vec()).unwrap_err();
        assert_eq!((e.line, e.column), (1, 3));
    }
}
