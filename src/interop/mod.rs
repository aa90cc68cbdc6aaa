//! Moving questions between lectern and other systems: `lectern export`
//! (GIFT and Moodle XML for Moodle, a tab-separated file for Anki) and
//! `lectern import gift`.
//!
//! Export reads the course as a build does (so every bank is validated and
//! case questions can carry their case's text), then each format module
//! turns `quiz::Bank`s into text. Whatever a format cannot carry is a
//! warning that names the question, never a silent loss. Import parses GIFT
//! the way Moodle does (`gift_parse`), maps each question to the closest
//! lectern type (`gift_import`) and writes a bank file (`bank_yaml`).

pub mod anki;
mod bank_import;
pub mod bank_yaml;
pub mod carry;
pub mod epub;
mod frame;
pub mod gift_export;
pub mod gift_import;
pub mod gift_parse;
pub mod html_text;
pub mod moodle_import;
pub mod moodle_xml;
pub mod text;

use std::path::Path;

use crate::diagnostic::{nearest, Diagnostic, Diagnostics};
use crate::quiz::{Bank, Question, QuizSet};

/// The formats `lectern export` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    /// Moodle's GIFT text format.
    Gift,
    /// Moodle XML.
    MoodleXml,
    /// A UTF-8 tab-separated file with Anki's header lines.
    Anki,
    /// The whole course as an EPUB 3 book.
    Epub,
}

impl ExportFormat {
    pub fn name(self) -> &'static str {
        match self {
            ExportFormat::Gift => "GIFT",
            ExportFormat::MoodleXml => "Moodle XML",
            ExportFormat::Anki => "Anki",
            ExportFormat::Epub => "EPUB",
        }
    }
}

/// The course loader export uses (kept here under the names export's
/// callers know).
pub use crate::course::Course;

/// Loads the course at `root` as a build does; its warnings come back with
/// it, its errors instead of it.
pub fn load_course(root: &Path) -> Result<(Course, Diagnostics), Diagnostics> {
    crate::course::load(root, crate::content::LoadOptions { drafts: false })
}

/// The banks named on the command line (by file stem, chapter slug, chapter
/// folder or path), in course order; all of them when none is named.
pub fn select_banks<'a>(
    quizzes: &'a QuizSet,
    names: &[String],
) -> Result<Vec<&'a Bank>, Diagnostic> {
    if names.is_empty() {
        return Ok(quizzes.banks.iter().collect());
    }
    let mut chosen: Vec<&Bank> = Vec::new();
    for name in names {
        let stem = Path::new(name)
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or(name);
        let found = quizzes.banks.iter().find(|b| {
            b.key == *name
                || b.key == stem
                || b.chapter == *name
                || crate::content::paths::split_prefix(&b.key).1 == stem
        });
        match found {
            Some(b) => {
                if !chosen.iter().any(|c| c.key == b.key) {
                    chosen.push(b);
                }
            }
            None => {
                let keys: Vec<&str> = quizzes.banks.iter().map(|b| b.key.as_str()).collect();
                let hint = match nearest(stem, keys.iter().copied()) {
                    Some(best) => format!("did you mean `{best}`? banks: {}", keys.join(", ")),
                    None if keys.is_empty() => {
                        "the course has no question banks under quizzes/".to_string()
                    }
                    None => format!("banks: {}", keys.join(", ")),
                };
                return Err(
                    Diagnostic::error(name, 0, 0, format!("no question bank `{name}`"))
                        .with_hint(hint),
                );
            }
        }
    }
    let order = |b: &&Bank| quizzes.banks.iter().position(|x| x.key == b.key);
    chosen.sort_by_key(order);
    Ok(chosen)
}

/// What an export produced.
#[derive(Debug, Default)]
pub struct Exported {
    pub text: String,
    /// A binary format's file (EPUB), `text` being empty then.
    pub bytes: Option<Vec<u8>>,
    /// Questions (or, for Anki, cards) written.
    pub items: usize,
    pub warnings: Vec<Diagnostic>,
}

/// Exports `banks` of `course` in `format`.
pub fn export(course: &Course, banks: &[&Bank], format: ExportFormat) -> Exported {
    match format {
        ExportFormat::Gift => gift_export::export(course, banks),
        ExportFormat::MoodleXml => moodle_xml::export(course, banks),
        ExportFormat::Anki => anki::export(course, banks),
        // The book holds the whole course, not chosen banks; what stops it
        // is the one warning (`lectern export` calls `epub::export` itself
        // and fails on it).
        ExportFormat::Epub => epub::export(course).unwrap_or_else(|d| Exported {
            warnings: vec![d],
            ..Exported::default()
        }),
    }
}

/// Collects what a format cannot carry of one question, and turns it into
/// one warning naming the question.
pub(crate) struct Losses<'a> {
    format: ExportFormat,
    bank: &'a Bank,
    question: &'a Question,
    items: Vec<String>,
}

impl<'a> Losses<'a> {
    pub(crate) fn new(format: ExportFormat, bank: &'a Bank, question: &'a Question) -> Self {
        Losses {
            format,
            bank,
            question,
            items: Vec::new(),
        }
    }

    pub(crate) fn add(&mut self, what: impl Into<String>) {
        self.items.push(what.into());
    }

    pub(crate) fn finish(self, warnings: &mut Vec<Diagnostic>) {
        if self.items.is_empty() {
            return;
        }
        warnings.push(Diagnostic::warning(
            &self.bank.file,
            self.question.line,
            0,
            format!(
                "question `{}`: {} cannot carry {}",
                self.question.id,
                self.format.name(),
                self.items.join("; ")
            ),
        ));
    }
}
