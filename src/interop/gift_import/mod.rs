//! `lectern import gift`: GIFT questions as a lectern question bank.
//!
//! | GIFT (Moodle) | lectern |
//! |---|---|
//! | multiple choice with one `=` answer | single (partial credit of other answers is lost, with a warning) |
//! | multiple choice with `%n%` weights | multiple: the options with a positive weight are right, scored per option |
//! | true/false | true_false; per-answer feedback joins the explanation |
//! | short answer | fill with one blank, where the missing word was (or at the end) |
//! | numerical (exact, tolerance, range, several weighted answers) | numerical |
//! | matching | fill with one blank per pair, listed under the question |
//! | essay | short; key points read from the feedback's 答题要点 / Key points list |
//! | description | a description item of the bank (text between questions, not scored) |
//!
//! Texts in `[html]` (Moodle's editor), `[plain]` and `[moodle]` become
//! Markdown; `[markdown]` is kept. Ids come from `[id:…]`, else the
//! question's `::name::`, else a hash of its text, so importing the same
//! file twice gives the same ids.

use std::collections::hash_map::DefaultHasher;
use std::collections::HashSet;
use std::hash::{Hash, Hasher};
use std::path::Path;

use super::bank_import::apply_bank;
use super::bank_yaml::{BankFile, QuestionFile};
use super::carry;
use super::gift_parse::{self, Kind, Question};
use crate::diagnostic::Diagnostic;
use crate::source_files::text as source_text;
use convert::{convert, prompt};

mod convert;

#[derive(Debug, Clone)]
pub struct ImportOptions {
    /// The chapter slug the bank belongs to.
    pub chapter: String,
    pub title: Option<String>,
    /// Prefix of generated ids (the bank's file stem).
    pub id_prefix: String,
}

#[derive(Debug)]
pub struct Imported {
    pub bank: BankFile,
    /// Questions read from the file (imported or not, refused ones included).
    pub read: usize,
    pub warnings: Vec<Diagnostic>,
}

/// Reads GIFT bytes; refuses what is not UTF-8.
pub fn import(file: &Path, bytes: &[u8], options: &ImportOptions) -> Result<Imported, Diagnostic> {
    let text = source_text::decode(bytes.to_vec()).map_err(|e| {
        e.diagnostic(file)
            .with_hint("save it as UTF-8 (Moodle writes UTF-8; a file from Word or Excel may be GBK: re-save it with encoding UTF-8)")
    })?;
    let parsed = gift_parse::parse(&text);
    if parsed.questions.is_empty() && parsed.problems.is_empty() {
        let hint = "a GIFT question is its text followed by an answer block in braces (`What is 2 + 2? {=4 ~5}`), and questions are separated by blank lines";
        return Err(match parsed.category_lines.first() {
            Some(&line) => Diagnostic::error(
                file,
                line,
                0,
                format!(
                    "the file holds no question, only {} (`$CATEGORY: …`)",
                    if parsed.categories.len() == 1 {
                        "a category".to_string()
                    } else {
                        format!("{} categories", parsed.categories.len())
                    }
                ),
            ),
            None => Diagnostic::error(
                file,
                1,
                0,
                "the file holds no GIFT question (it is empty or only comments)",
            ),
        }
        .with_hint(hint));
    }
    let mut warnings: Vec<Diagnostic> = parsed
        .problems
        .iter()
        .map(|p| Diagnostic::warning(file, p.line, 0, format!("not imported: {}", p.message)))
        .collect();
    let mut ids = HashSet::new();
    let mut questions = Vec::new();
    let mut descriptions = Vec::new();
    for q in &parsed.questions {
        // A description (text with no answer block) is shown between the
        // questions, before the next one.
        if q.kind == Kind::Description {
            let text = prompt(q, false);
            if !text.trim().is_empty() {
                descriptions.push((questions.len(), text));
            }
            continue;
        }
        // What lectern carried in its comment, read first: with it, the
        // question comes back as it was, and what the GIFT text alone would
        // lose is not worth a warning.
        let carried = match q.lectern.as_deref().map(carry::decode) {
            Some(Ok(fields)) => Some(fields),
            Some(Err(e)) => {
                warnings.push(Diagnostic::warning(file, q.line, 0, format!("the `// lectern:` comment is not readable ({e}); the question is imported from its GIFT text alone")));
                None
            }
            None => None,
        };
        let mut own = Vec::new();
        let mut notes = Notes {
            file,
            q,
            warnings: &mut own,
        };
        if let Some(out) = convert(q, &mut notes) {
            // A bank question needs a text; `::name::{T}` has none, and the
            // bank written would not read back (found by fuzzing).
            if out.prompt.trim().is_empty() {
                notes.skip("the question has no text");
                warnings.append(&mut own);
                continue;
            }
            let id = unique_id(q, &options.id_prefix, &mut ids, &mut notes);
            let out = QuestionFile { id, ..out };
            let out = match carried {
                Some(fields) => match carry::apply(&out, &fields) {
                    Ok(restored) => {
                        own.retain(|d| d.message.contains("is taken by an earlier question"));
                        restored
                    }
                    Err(e) => {
                        own.push(Diagnostic::warning(file, q.line, 0, format!("the `// lectern:` comment does not fit the question ({e}); it is imported from its GIFT text alone")));
                        out
                    }
                },
                None => out,
            };
            questions.push(out);
        }
        warnings.append(&mut own);
    }
    if parsed.categories.len() > 1 {
        warnings.push(Diagnostic::warning(
            file,
            0,
            0,
            format!(
                "the file has {} categories ({}); all their questions go into this one bank",
                parsed.categories.len(),
                parsed.categories.join(", ")
            ),
        ).with_hint("to keep them apart, split the file by category and import each part into its own bank"));
    }
    let title = options.title.clone().unwrap_or_else(|| {
        parsed
            .categories
            .first()
            .and_then(|c| {
                c.replace("//", "\u{0}")
                    .rsplit('/')
                    .next()
                    .map(|s| s.replace('\u{0}', "/"))
            })
            .filter(|t| !t.trim().is_empty() && !t.starts_with('$') && t != "top")
            .unwrap_or_else(|| options.id_prefix.clone())
    });
    warnings.sort_by_key(|d| d.line);
    let mut bank = BankFile {
        chapter: options.chapter.clone(),
        title,
        multiple_scoring: questions
            .iter()
            .any(|q| q.kind == "multiple")
            .then(|| "per_option".to_string()),
        questions,
        descriptions,
        ..Default::default()
    };
    // A bank's settings, when the file is one bank lectern exported.
    if let [Some(text)] = parsed.category_lectern.as_slice() {
        match carry::decode(text) {
            Ok(fields) => apply_bank(&mut bank, &fields, options.title.is_some()),
            Err(e) => warnings.push(Diagnostic::warning(
                file,
                parsed.category_lines[0],
                0,
                format!("the `// lectern:` comment of the category is not readable ({e}); the bank's settings are left to their defaults"),
            )),
        }
    }
    Ok(Imported {
        bank,
        // What Moodle would refuse counts as read and not imported;
        // descriptions are not questions.
        read: parsed
            .questions
            .iter()
            .filter(|q| q.kind != Kind::Description)
            .count()
            + parsed.problems.len(),
        warnings,
    })
}

/// A question as this import reads it from its GIFT text alone, with no
/// warning kept: export compares it with the original to know what its
/// `// lectern:` comment must carry.
pub(crate) fn read_alone(gift: &str) -> Option<QuestionFile> {
    let parsed = gift_parse::parse(gift);
    let q = parsed.questions.first()?;
    let mut sink = Vec::new();
    let mut notes = Notes {
        file: Path::new(""),
        q,
        warnings: &mut sink,
    };
    let out = convert(q, &mut notes)?;
    let id = unique_id(q, "", &mut HashSet::new(), &mut notes);
    Some(QuestionFile { id, ..out })
}

/// Warnings about one question, naming it and its line.
struct Notes<'a> {
    file: &'a Path,
    q: &'a Question,
    warnings: &'a mut Vec<Diagnostic>,
}

impl Notes<'_> {
    fn warn(&mut self, message: impl AsRef<str>) {
        let who = match (&self.q.id, &self.q.name) {
            (Some(id), _) => format!("question `{id}`"),
            (None, Some(name)) => format!("question `{name}`"),
            (None, None) => "question".to_string(),
        };
        self.warnings.push(Diagnostic::warning(
            self.file,
            self.q.line,
            0,
            format!(
                "{who} ({}): {}",
                self.q.kind.moodle_name(),
                message.as_ref()
            ),
        ));
    }

    fn skip(&mut self, why: impl AsRef<str>) -> Option<QuestionFile> {
        self.warn(format!("not imported: {}", why.as_ref()));
        None
    }
}

/// Reads `yaml` (a bank file's text) as lectern reads question banks and
/// returns what it reports: an imported bank is checked before it is
/// written. (Checks against the course, such as the chapter, wait for
/// `lectern check`.)
pub fn check_bank_text(yaml: &str, file: &Path) -> Vec<Diagnostic> {
    let (value, spans) = match crate::yaml::parse_value(yaml, file, 0) {
        Ok(v) => v,
        Err(d) => return vec![d],
    };
    let mut reader = crate::quiz::fields::Reader::new(file, &spans);
    let key = file.file_stem().and_then(|s| s.to_str()).unwrap_or("bank");
    let _ = crate::quiz::bank::read_bank(&mut reader, &value, key, 60.0);
    reader.diagnostics
}

/// The question's id: `[id:…]`, else its name, else a hash of its text;
/// made valid (letters, digits, `-`, `_`, `.`) and unique in the file.
fn unique_id(q: &Question, prefix: &str, used: &mut HashSet<String>, notes: &mut Notes) -> String {
    let from_id = q.id.as_deref().map(slug).filter(|s| !s.is_empty());
    if let (Some(original), Some(clean)) = (&q.id, &from_id) {
        if original != clean {
            notes.warn(format!(
                "id `{original}` holds characters lectern ids cannot; it becomes `{clean}`"
            ));
        }
    }
    let base = from_id
        .or_else(|| {
            q.name
                .as_deref()
                .map(slug)
                .filter(|s| !s.is_empty() && s.chars().count() <= 60)
        })
        .map(|s| {
            if s.chars().next().is_some_and(|c| c.is_alphanumeric()) {
                s
            } else {
                format!("{prefix}{s}")
            }
        })
        .unwrap_or_else(|| {
            let mut h = DefaultHasher::new();
            (&q.before, &q.after, q.kind.moodle_name()).hash(&mut h);
            format!("{prefix}-{:08x}", h.finish() as u32)
        });
    let mut id = base.clone();
    let mut n = 2;
    while !used.insert(id.clone()) {
        id = format!("{base}-{n}");
        n += 1;
    }
    if id != base {
        notes.warn(format!(
            "id `{base}` is taken by an earlier question; this one becomes `{id}`"
        ));
    }
    id
}

/// Letters and digits (any script) kept, runs of anything else as one `-`.
fn slug(text: &str) -> String {
    let mut out = String::new();
    for c in text.trim().chars() {
        if c.is_alphanumeric() || matches!(c, '_' | '.') {
            out.extend(c.to_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches(['-', '.']).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        assert_eq!(slug("Q1: Capitals"), "q1-capitals");
        assert_eq!(slug("c1-single-x"), "c1-single-x");
        assert_eq!(slug("客户 服务"), "客户-服务");
        assert_eq!(slug("  --  "), "");
    }
}
