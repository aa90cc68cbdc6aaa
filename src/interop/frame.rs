//! The frame every question-bank export shares, in the spirit of mdBook's
//! `Renderer`: a format says how to write its header, the start of a bank
//! (its category), a description and a question; `write` walks the chosen
//! banks in course order, puts descriptions before the question they precede,
//! collects each question's losses as one warning and counts the questions.
//! GIFT and Moodle XML implement it; a new bank format implements it too.

use super::{Course, ExportFormat, Exported, Losses};
use crate::quiz::model::{Bank, Description, Question};

pub(crate) trait BankFormat {
    fn format(&self) -> ExportFormat;
    /// Text before the first bank.
    fn header(&self, course: &Course) -> String;
    /// Text after the last bank.
    fn footer(&self) -> String {
        String::new()
    }
    /// The start of a bank: its category; `chapter_title` is its chapter's.
    fn bank_start(&self, course: &Course, bank: &Bank, chapter_title: &str) -> String;
    /// The `n`th description of the bank.
    fn description(&self, bank: &Bank, n: usize, description: &Description) -> String;
    /// One question; what the format cannot carry goes to `losses`.
    fn question(&self, course: &Course, bank: &Bank, q: &Question, losses: &mut Losses) -> String;
}

/// `banks` of `course` in `format`.
pub(crate) fn write(format: &dyn BankFormat, course: &Course, banks: &[&Bank]) -> Exported {
    let mut exported = Exported::default();
    let mut out = format.header(course);
    for bank in banks {
        let chapter_title = course
            .site
            .chapter(&bank.chapter)
            .map(|c| c.title().to_string())
            .unwrap_or_else(|| bank.title.clone());
        out.push_str(&format.bank_start(course, bank, &chapter_title));
        for i in 0..=bank.questions.len() {
            for (n, d) in bank.descriptions.iter().enumerate() {
                if d.before == i {
                    out.push_str(&format.description(bank, n, d));
                }
            }
            let Some(q) = bank.questions.get(i) else {
                continue;
            };
            let mut losses = Losses::new(format.format(), bank, q);
            out.push('\n');
            out.push_str(&format.question(course, bank, q, &mut losses));
            losses.finish(&mut exported.warnings);
            exported.items += 1;
        }
    }
    out.push_str(&format.footer());
    exported.text = out;
    exported
}
