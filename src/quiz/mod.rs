//! Question banks and exams: model, loading, validation, and the URLs of
//! their pages.
//!
//! `load` reads quizzes/*.yaml (one bank per chapter) and quizzes/exams/*.yaml,
//! checks them against the site and reports every problem of every file.
//! Their pages are rendered by `render::quiz_pages`; the grading itself
//! happens in the browser (themes/default/static/grade.js).

pub mod bank;
pub mod choices;
pub mod exam;
pub mod fields;
pub mod model;
pub mod numerical;
pub mod validate;
pub mod written;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::config::Language;
use crate::content::Site;
use crate::diagnostic::Diagnostic;
use crate::source_files::{text, Boundary, Kind};
use crate::yaml;

pub use model::{Bank, Body, Exam, Question, QuestionType};

/// Every bank and exam of a course, validated.
#[derive(Debug, Clone, Default)]
pub struct QuizSet {
    /// In chapter order.
    pub banks: Vec<Bank>,
    pub exams: Vec<Exam>,
    pub language: Language,
}

impl QuizSet {
    pub fn bank_of_chapter(&self, slug: &str) -> Option<&Bank> {
        self.banks.iter().find(|b| b.chapter == slug)
    }

    pub fn question_count(&self) -> usize {
        self.banks.iter().map(|b| b.questions.len()).sum()
    }
}

/// A chapter's bank (or an exam, or the notebook) as other pages link to it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct BankLink {
    /// Relative to the site root.
    pub url: String,
    pub title: String,
    pub questions: usize,
    /// Key of the bank or exam in stored progress (its file stem); `notebook` for the 错题本.
    pub key: String,
    /// `bank`, `exam` or `notebook`.
    pub kind: &'static str,
}

pub fn bank_url(key: &str) -> String {
    format!("{}/{key}.html", crate::generated::QUIZZES_DIR)
}

/// The script that hands a bank's questions to the notebook.
pub fn bank_script_url(key: &str) -> String {
    format!("{}/{key}.js", crate::generated::QUIZZES_DIR)
}

/// The printable paper (`paper`) or answer key (`key`) of an exam.
pub fn exam_print_url(key: &str, which: &str) -> String {
    format!("{}/{key}-{which}.html", crate::generated::EXAMS_DIR)
}

pub fn exam_url(key: &str) -> String {
    format!("{}/{key}.html", crate::generated::EXAMS_DIR)
}

pub const NOTEBOOK_URL: &str = crate::generated::NOTEBOOK_PAGE;

/// Reads quizzes/*.yaml and quizzes/exams/*.yaml under the course root.
/// Diagnostics come sorted by file and line; a file with errors still
/// contributes the questions that were readable, so one run reports the
/// problems that depend on them too (duplicate ids, exam draws).
pub fn load(site: &Site) -> (QuizSet, Vec<Diagnostic>) {
    let default_pass_mark = site.config.quiz.pass_mark;
    let mut diagnostics = Vec::new();

    let layout = &site.config.layout;
    let bank_files = yaml_files(&site.root, &layout.quizzes, &mut diagnostics);
    let read: Vec<(Option<bank::ParsedBank>, Vec<Diagnostic>)> = bank_files
        .par_iter()
        .map(|rel| {
            with_yaml(&site.root, rel, |r, value, key| {
                bank::read_bank(r, value, key, default_pass_mark)
            })
        })
        .collect();
    let mut parsed = Vec::new();
    for (bank, diags) in read {
        diagnostics.extend(diags);
        parsed.extend(bank);
    }
    let banks = validate::check_banks(site, parsed, &mut diagnostics);

    let chapters: Vec<(&str, &str)> = site
        .chapters
        .iter()
        .map(|c| (c.slug.as_str(), c.folder.as_str()))
        .collect();
    let mut exams = Vec::new();
    for rel in yaml_files(&site.root, &layout.exams(), &mut diagnostics) {
        let (exam, diags) = with_yaml(&site.root, &rel, |r, value, key| {
            exam::read_exam(r, value, key, &banks, &chapters, default_pass_mark)
        });
        diagnostics.extend(diags);
        exams.extend(exam);
    }

    diagnostics.sort_by(|a, b| (&a.file, a.line, a.column).cmp(&(&b.file, b.line, b.column)));
    (
        QuizSet {
            banks,
            exams,
            language: site.config.language,
        },
        diagnostics,
    )
}

/// The `.yaml`/`.yml` files directly in `root/dir`, relative to `root`, sorted.
fn yaml_files(root: &Path, dir: &Path, diagnostics: &mut Vec<Diagnostic>) -> Vec<PathBuf> {
    let folder = root.join(dir);
    // A missing folder is no bank; a folder (or link) that may not be read
    // is reported, and nothing under it is listed.
    if std::fs::symlink_metadata(&folder).is_err() {
        return Vec::new();
    }
    let boundary = Boundary::new(root);
    match boundary.check(&folder) {
        Ok(Kind::Dir) => {}
        Ok(Kind::File) => return Vec::new(),
        Err(d) => {
            diagnostics.push(d);
            return Vec::new();
        }
    }
    let Ok(entries) = std::fs::read_dir(&folder) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| matches!(p.extension().and_then(|e| e.to_str()), Some("yaml" | "yml")))
        .filter(|p| match boundary.check(p) {
            Ok(kind) => kind == Kind::File,
            Err(d) => {
                diagnostics.push(d);
                false
            }
        })
        .filter_map(|p| p.file_name().map(|n| dir.join(n)))
        .collect();
    files.sort();
    for f in &files {
        let stem = f.file_stem().and_then(|s| s.to_str()).unwrap_or("");
        if stem.is_empty()
            || stem.starts_with('.')
            || !stem
                .chars()
                .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.'))
        {
            diagnostics.push(
                Diagnostic::error(f, 0, 0, "this file name cannot become a page name")
                    .with_hint("name banks with letters, digits, `-` and `_` only, e.g. quizzes/01-understanding-customer-service.yaml"),
            );
        }
    }
    files.retain(|f| {
        f.file_stem().and_then(|s| s.to_str()).is_some_and(|s| {
            !s.is_empty()
                && !s.starts_with('.')
                && s.chars()
                    .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.'))
        })
    });
    files
}

/// Reads, decodes and parses one YAML file, then hands it to `read`.
fn with_yaml<T>(
    root: &Path,
    rel: &Path,
    read: impl FnOnce(&mut fields::Reader, &serde_yaml::Value, &str) -> Option<T>,
) -> (Option<T>, Vec<Diagnostic>) {
    let key = rel
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or_default()
        .to_string();
    let text = match text::read(&root.join(rel), rel) {
        Ok(t) => t,
        Err(d) => return (None, vec![d]),
    };
    let text = text.as_str();
    if text.trim().is_empty() {
        return (
            None,
            vec![Diagnostic::error(rel, 1, 1, "the file is empty").with_hint(
                "start with `chapter: <chapter-slug>` and `questions:`, or delete the file",
            )],
        );
    }
    let (value, spans) = match yaml::parse_value(text, rel, 0) {
        Ok(v) => v,
        Err(d) => return (None, vec![d]),
    };
    let mut reader = fields::Reader::new(rel, &spans);
    let out = read(&mut reader, &value, &key);
    (out, reader.diagnostics)
}

/// The bank of a chapter, for links and counts.
pub fn bank_link(quizzes: &QuizSet, chapter_slug: &str) -> Option<BankLink> {
    quizzes.bank_of_chapter(chapter_slug).map(|b| BankLink {
        url: bank_url(&b.key),
        title: b.title.clone(),
        questions: b.questions.len(),
        key: b.key.clone(),
        kind: "bank",
    })
}

/// Extra links for the home page and navigation: the exams, then the 错题本.
pub fn global_links(quizzes: &QuizSet) -> Vec<BankLink> {
    let mut links: Vec<BankLink> = quizzes
        .exams
        .iter()
        .map(|e| BankLink {
            url: exam_url(&e.key),
            title: e.title.clone(),
            questions: e.sections.iter().map(|s| s.questions.len()).sum(),
            key: e.key.clone(),
            kind: "exam",
        })
        .collect();
    if !quizzes.banks.is_empty() {
        links.push(BankLink {
            url: NOTEBOOK_URL.to_string(),
            title: notebook_title(quizzes.language).to_string(),
            questions: 0,
            key: "notebook".into(),
            kind: "notebook",
        });
    }
    links
}

/// The notebook's name in links (the page itself takes its title from the theme's strings).
pub(crate) fn notebook_title(language: Language) -> &'static str {
    match language {
        Language::ZhCn => "错题本",
        Language::En => "Wrong-answer notebook",
    }
}

/// The HTML id of a question, also its anchor in links.
pub fn anchor(id: &str) -> String {
    format!("q-{id}")
}

/// Case page id → URL of the quiz question about that case (with its anchor).
pub fn case_question_links(quizzes: &QuizSet) -> HashMap<String, String> {
    let mut links = HashMap::new();
    for bank in &quizzes.banks {
        for q in &bank.questions {
            if let Body::Case { case, .. } = &q.body {
                links
                    .entry(case.clone())
                    .or_insert_with(|| format!("{}#{}", bank_url(&bank.key), anchor(&q.id)));
            }
        }
    }
    links
}
