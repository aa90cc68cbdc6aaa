//! The question-bank and exam readers, fed any bytes as a quizzes/*.yaml file.
//!
//! The same steps as `quiz::load` for one file: UTF-8, byte order mark, YAML
//! (serde_yaml for values, yaml-rust2 for positions), the field-by-field
//! reader that reports every mistake, then the same text read as an exam
//! drawing from the bank just read, then the Markdown of every prompt,
//! option and explanation to inert HTML, and the diagnostics as printed.
//!
//! Shared by the fuzz target (fuzz/fuzz_targets/question_bank.rs) and by the
//! regression tests on stable Rust (tests/fuzz_regressions.rs).

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use lectern::diagnostic::{render_all, Diagnostics};
use lectern::markdown::untrusted as markup;
use lectern::quiz::{bank, exam, fields, Body};
use lectern::yaml;

fn scratch() -> &'static PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("lectern-fuzz-qb-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("quizzes")).expect("scratch folder");
        dir
    })
}

/// One input: any bytes. Panics on a bug.
pub fn run(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return;
    }
    let file = Path::new("quizzes/bank.yaml");
    let mut diagnostics = Diagnostics::new();
    match yaml::parse_value(text, file, 0) {
        Err(d) => diagnostics.push(d),
        Ok((value, spans)) => {
            let mut r = fields::Reader::new(file, &spans);
            let parsed = bank::read_bank(&mut r, &value, "bank", 60.0);
            let banks: Vec<_> = parsed.into_iter().map(|p| p.bank).collect();
            for b in &banks {
                for q in &b.questions {
                    let _ = markup::to_html(&q.prompt);
                    let _ = markup::fill_pieces(&q.prompt);
                    let _ = markup::plain_text(&markup::blanks_as_lines(&q.prompt));
                    for o in q.options() {
                        let _ = markup::to_inline_html(&o.text);
                    }
                    if let Some(e) = &q.explanation {
                        let _ = markup::to_html(e);
                    }
                    if let Body::Case { parts, .. } = &q.body {
                        for p in parts {
                            let _ = markup::to_html(&p.prompt);
                        }
                    }
                }
            }
            diagnostics.extend(r.diagnostics);
            // The same document as an exam over the bank just read.
            let mut r = fields::Reader::new(file, &spans);
            let chapters = [("chapter", "01-chapter")];
            let _ = exam::read_exam(&mut r, &value, "exam", &banks, &chapters, 60.0);
            diagnostics.extend(r.diagnostics);
        }
    }
    if !diagnostics.is_empty() {
        let root = scratch();
        std::fs::write(root.join(file), data).expect("scratch file");
        let _ = render_all(&diagnostics, root);
    }
}
