//! Question banks and exams: model, loading, validation, pages. (Owned by the quiz work; see issue 3.)

use crate::content::Site;
use crate::diagnostic::Diagnostic;
use crate::output::OutputFile;
use crate::render::Renderer;
use crate::search::SearchDoc;

/// Every bank and exam of a course, validated.
#[derive(Debug, Clone, Default)]
pub struct QuizSet {}

/// A chapter's bank as the chapter and home pages link to it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct BankLink {
    /// Relative to the site root.
    pub url: String,
    pub title: String,
    pub questions: usize,
}

/// Reads quizzes/*.yaml and quizzes/exams/*.yaml under the course root.
pub fn load(site: &Site) -> (QuizSet, Vec<Diagnostic>) {
    let _ = site;
    (QuizSet::default(), Vec::new())
}

/// The bank of a chapter, for links and counts.
pub fn bank_link(quizzes: &QuizSet, chapter_slug: &str) -> Option<BankLink> {
    let _ = (quizzes, chapter_slug);
    None
}

/// Extra links for the home page and navigation (exams, 错题本).
pub fn global_links(quizzes: &QuizSet) -> Vec<BankLink> {
    let _ = quizzes;
    Vec::new()
}

/// The quiz, exam, paper, answer-key and notebook pages.
pub fn pages(
    site: &Site,
    quizzes: &QuizSet,
    renderer: &Renderer,
) -> Result<Vec<OutputFile>, Diagnostic> {
    let _ = (site, quizzes, renderer);
    Ok(Vec::new())
}

/// Quiz questions as search entries.
pub fn search_docs(site: &Site, quizzes: &QuizSet) -> Vec<SearchDoc> {
    let _ = (site, quizzes);
    Vec::new()
}

/// Case page id → URL of the quiz question about that case (with its anchor).
pub fn case_question_links(quizzes: &QuizSet) -> std::collections::HashMap<String, String> {
    let _ = quizzes;
    std::collections::HashMap::new()
}
