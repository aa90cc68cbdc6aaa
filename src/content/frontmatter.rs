//! Splitting a Markdown file into its YAML front matter and body, and reading
//! the front matter's keys.

use std::path::Path;

use serde::Deserialize;

use crate::content::model::PageKind;
use crate::diagnostic::Diagnostic;
use crate::yaml::{self, Spans};

/// A file cut in two. Lines are counted so that diagnostics in either part
/// point at the right line of the file.
#[derive(Debug, PartialEq, Eq)]
pub struct Split<'a> {
    /// YAML text between the `---` lines (None when the file has no front matter).
    pub front_matter: Option<&'a str>,
    pub body: &'a str,
    /// Number of file lines above the body.
    pub body_line_offset: usize,
}

/// Splits `text` (already without BOM, with `\n` line ends). Front matter
/// starts with `---` on the first line and ends at the next line that is
/// `---` or `...`.
pub fn split<'a>(text: &'a str, file: &Path) -> Result<Split<'a>, Diagnostic> {
    let first_line = text.lines().next().unwrap_or("");
    if first_line.trim_end() != "---" {
        return Ok(Split {
            front_matter: None,
            body: text,
            body_line_offset: 0,
        });
    }
    let fm_start = first_line.len() + 1;
    let mut offset = fm_start.min(text.len());
    // The opening `---` is line 1, so the n-th line after it is line n + 2.
    for (n, line) in text[offset..].split_inclusive('\n').enumerate() {
        let line_no = n + 2;
        let trimmed = line.trim_end();
        if trimmed == "---" || trimmed == "..." {
            let fm = &text[fm_start..offset];
            let body_start = (offset + line.len()).min(text.len());
            return Ok(Split {
                front_matter: Some(fm),
                body: &text[body_start..],
                body_line_offset: line_no,
            });
        }
        offset += line.len();
    }
    Err(Diagnostic::error(
        file,
        1,
        1,
        "front matter is not closed: the `---` on line 1 has no closing `---`",
    )
    .with_hint("end the front matter with a line holding only `---`, before the Markdown text"))
}

/// One question of a case study as written in front matter.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct CaseQuestionSource {
    pub prompt: String,
    /// Scoring points (答题要点).
    #[serde(default)]
    pub points: Vec<String>,
}

#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct ObjectivesSource {
    #[serde(default)]
    pub knowledge: Vec<String>,
    #[serde(default)]
    pub skills: Vec<String>,
}

/// Every key a page's front matter may hold; anything else is a typo.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct FrontMatter {
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub kind: Option<PageKind>,
    #[serde(default)]
    pub weight: Option<i64>,
    #[serde(default)]
    pub summary: Option<String>,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub draft: bool,
    #[serde(default)]
    pub hours: Option<f64>,
    #[serde(default)]
    pub objectives: Option<ObjectivesSource>,
    #[serde(default)]
    pub questions: Vec<CaseQuestionSource>,
}

/// Parses front matter text; `line_offset` is 1 (the opening `---`).
pub fn parse(text: &str, file: &Path) -> Result<(FrontMatter, Spans), Diagnostic> {
    yaml::parse::<FrontMatter>(text, file, 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p() -> &'static Path {
        Path::new("a.md")
    }

    #[test]
    fn splits_front_matter_and_counts_lines() {
        let s = split("---\ntitle: x\n---\n# Body\n", p()).unwrap();
        assert_eq!(s.front_matter, Some("title: x\n"));
        assert_eq!(s.body, "# Body\n");
        assert_eq!(s.body_line_offset, 3);
    }

    #[test]
    fn no_front_matter() {
        let s = split("# Only body\n", p()).unwrap();
        assert_eq!(s.front_matter, None);
        assert_eq!(s.body_line_offset, 0);
    }

    #[test]
    fn empty_front_matter_at_end_of_file() {
        let s = split("---\n---", p()).unwrap();
        assert_eq!(s.front_matter, Some(""));
        assert_eq!(s.body, "");
    }

    #[test]
    fn unclosed_front_matter_is_an_error_on_line_1() {
        let e = split("---\ntitle: x\n# Body\n", p()).unwrap_err();
        assert_eq!(e.line, 1);
        assert!(e.message.contains("not closed"));
    }

    #[test]
    fn unknown_key_and_kind() {
        let e = parse("titel: x\n", p()).unwrap_err();
        assert_eq!(e.line, 2);
        assert!(e.hint.unwrap().contains("`title`"));
        let e = parse("kind: quiz\n", p()).unwrap_err();
        assert!(e.message.contains("quiz"), "{}", e.message);
    }
}
