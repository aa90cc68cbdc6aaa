//! One error type for everything a user can get wrong, and one place that prints it.
//!
//! Every stage of a build collects `Diagnostic`s instead of stopping at the first
//! problem, so `lectern check` can list every mistake of a course in one run.

use std::fmt;
use std::path::{Path, PathBuf};

use codespan_reporting::diagnostic::{Diagnostic as Report, Label};
use codespan_reporting::files::SimpleFiles;
use codespan_reporting::term;
use std::collections::HashMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

/// A problem in the user's input: where it is, what is wrong, how to fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Path as the user should read it (relative to the course root where possible).
    pub file: PathBuf,
    /// 1-based line; 0 when the problem concerns the whole file.
    pub line: usize,
    /// 1-based column; 0 when unknown.
    pub column: usize,
    pub message: String,
    pub hint: Option<String>,
}

impl Diagnostic {
    pub fn error(
        file: impl Into<PathBuf>,
        line: usize,
        column: usize,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            severity: Severity::Error,
            file: file.into(),
            line,
            column,
            message: message.into(),
            hint: None,
        }
    }

    pub fn warning(
        file: impl Into<PathBuf>,
        line: usize,
        column: usize,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(file, line, column, message)
        }
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Moves the location down by `lines`: used when a fragment (front matter,
    /// a Markdown body) was parsed on its own and its line 1 is not the file's.
    pub fn shifted(mut self, lines: usize) -> Self {
        if self.line > 0 {
            self.line += lines;
        }
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// `file:line:column`, the form editors and terminals turn into links.
    pub fn location(&self) -> String {
        match (self.line, self.column) {
            (0, _) => self.file.display().to_string(),
            (l, 0) => format!("{}:{}", self.file.display(), l),
            (l, c) => format!("{}:{}:{}", self.file.display(), l, c),
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{}: {}: {}", self.location(), level, self.message)?;
        if let Some(hint) = &self.hint {
            write!(f, " (hint: {hint})")?;
        }
        Ok(())
    }
}

/// The diagnostics of one build, kept in a stable order (file, line, column).
#[derive(Debug, Default, Clone)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    /// A list of one.
    pub fn from_one(diagnostic: Diagnostic) -> Diagnostics {
        let mut ds = Diagnostics::new();
        ds.push(diagnostic);
        ds
    }

    pub fn new() -> Self {
        Self::default()
    }
    pub fn push(&mut self, d: Diagnostic) {
        self.items.push(d);
    }
    pub fn extend(&mut self, ds: impl IntoIterator<Item = Diagnostic>) {
        self.items.extend(ds);
    }
    pub fn has_errors(&self) -> bool {
        self.items.iter().any(Diagnostic::is_error)
    }
    pub fn error_count(&self) -> usize {
        self.items.iter().filter(|d| d.is_error()).count()
    }
    pub fn warning_count(&self) -> usize {
        self.items.len() - self.error_count()
    }
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter()
    }
    pub fn into_vec(self) -> Vec<Diagnostic> {
        self.items
    }
    pub fn sort(&mut self) {
        self.items.sort_by(|a, b| {
            (&a.file, a.line, a.column, a.severity, &a.message)
                .cmp(&(&b.file, b.line, b.column, b.severity, &b.message))
        });
        self.items.dedup();
    }
}

impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}

/// Renders diagnostics with the offending source line underneath, reading each
/// file from `root` (diagnostic paths are relative to it). Plain text, so the
/// same output reaches a terminal, a log and a test.
pub fn render_all(diagnostics: &Diagnostics, root: &Path) -> String {
    let config = term::Config::default();
    let mut files = SimpleFiles::new();
    let mut ids: HashMap<PathBuf, usize> = HashMap::new();
    let mut out = String::new();
    for d in diagnostics.iter() {
        let report = match d.severity {
            Severity::Error => Report::error(),
            Severity::Warning => Report::warning(),
        }
        .with_message(&d.message);
        let mut notes = vec![format!("at {}", d.location())];
        if let Some(h) = &d.hint {
            notes.push(format!("hint: {h}"));
        }
        let mut report = report.with_notes(notes);
        if d.line > 0 {
            let id = *ids.entry(d.file.clone()).or_insert_with(|| {
                let path = if d.file.is_absolute() {
                    d.file.clone()
                } else {
                    root.join(&d.file)
                };
                let bytes = std::fs::read(&path).unwrap_or_default();
                files.add(
                    d.file.display().to_string(),
                    String::from_utf8_lossy(&bytes).into_owned(),
                )
            });
            let source = files.get(id).map(|f| f.source().as_str()).unwrap_or("");
            if let Some(range) = byte_range(source, d.line, d.column) {
                report = report.with_labels(vec![Label::primary(id, range)]);
            }
        }
        match term::emit_into_string(&config, &files, &report) {
            Ok(text) => out.push_str(&text),
            Err(_) => {
                out.push_str(&d.to_string());
                out.push('\n');
            }
        }
    }
    out
}

/// Byte range of the character at `line`:`column` (1-based), or of the whole
/// line when the column is unknown.
fn byte_range(source: &str, line: usize, column: usize) -> Option<std::ops::Range<usize>> {
    let mut start = 0;
    for (i, l) in source.split_inclusive('\n').enumerate() {
        if i + 1 == line {
            let content = l.trim_end_matches(['\n', '\r']);
            if column == 0 || content.is_empty() {
                return Some(start..start + content.len());
            }
            let offset = content
                .char_indices()
                .nth(column - 1)
                .map(|(o, _)| o)
                .unwrap_or(content.len());
            let width = content[offset..]
                .chars()
                .next()
                .map(char::len_utf8)
                .unwrap_or(0);
            return Some(start + offset..start + offset + width);
        }
        start += l.len();
    }
    None
}

/// The nearest of `candidates` to `word`, for "did you mean" hints.
/// 1-based line and column (in characters) of a byte offset of `text`.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map(|i| i + 1).unwrap_or(0);
    let column = text[line_start..offset].chars().count() + 1;
    (line, column)
}

pub fn nearest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (strsim::damerau_levenshtein(word, c), c))
        .filter(|(d, c)| *d <= (c.chars().count() / 3).clamp(1, 3))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn location_forms() {
        assert_eq!(Diagnostic::error("a.md", 3, 5, "x").location(), "a.md:3:5");
        assert_eq!(Diagnostic::error("a.md", 3, 0, "x").location(), "a.md:3");
        assert_eq!(Diagnostic::error("a.md", 0, 0, "x").location(), "a.md");
    }

    #[test]
    fn nearest_suggests_close_keys_only() {
        assert_eq!(nearest("titel", ["title", "kind", "weight"]), Some("title"));
        assert_eq!(nearest("zzzzzzzz", ["title", "kind"]), None);
    }

    #[test]
    fn byte_range_handles_chinese() {
        let src = "第一行\n标题：x\n";
        assert_eq!(byte_range(src, 2, 2), Some(13..16));
        assert_eq!(byte_range(src, 9, 1), None);
    }
}
