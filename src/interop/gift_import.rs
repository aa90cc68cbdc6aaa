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

use serde_yaml::Value;

use super::bank_yaml::{BankFile, KeyPointFile, OptionFile, QuestionFile};
use super::carry;
use super::gift_parse::{self, Kind, Number, Question, Text, TextFormat};
use super::html_text::{html_to_markdown, plain_to_markdown};
use super::text::{number, parse_feedback};
use crate::diagnostic::Diagnostic;
use crate::markdown::untrusted::count_blanks;
use crate::source_files::text as source_text;

const BLANK: &str = "____";

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

/// The bank settings lectern carried: title (unless given on the command
/// line), pass mark, shuffle, time limit.
fn apply_bank(bank: &mut BankFile, fields: &serde_yaml::Mapping, title_given: bool) {
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

fn markdown(text: &Text) -> String {
    match text.format {
        TextFormat::Markdown => text.text.clone(),
        TextFormat::Html => html_to_markdown(&text.text),
        TextFormat::Plain => plain_to_markdown(&text.text),
        TextFormat::Moodle => {
            if looks_like_html(&text.text) {
                html_to_markdown(&text.text)
            } else {
                plain_to_markdown(&text.text)
            }
        }
    }
}

fn looks_like_html(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes
        .windows(2)
        .any(|w| w[0] == b'<' && (w[1].is_ascii_alphabetic() || w[1] == b'/'))
}

fn md(text: &str, format: TextFormat) -> String {
    markdown(&Text {
        text: text.to_string(),
        format,
    })
}

/// The question text as Markdown; with `blank`, the missing word's place
/// (or the end) holds a blank.
fn prompt(q: &Question, blank: bool) -> String {
    let before = md(&q.before, q.format).trim_end().to_string();
    let space_before = if q.before.ends_with(char::is_whitespace) {
        " "
    } else {
        ""
    };
    let text = match (&q.after, blank) {
        (Some(after), true) => {
            let space_after = if after.starts_with(char::is_whitespace) {
                " "
            } else {
                ""
            };
            let after = md(after, q.format);
            format!(
                "{before}{space_before}{BLANK}{space_after}{}",
                after.trim_start()
            )
        }
        (Some(after), false) => format!("{before} {}", md(after, q.format).trim_start()),
        (None, true) => format!("{before} {BLANK}"),
        (None, false) => before,
    };
    text.trim().to_string()
}

fn explanation(q: &Question, extra: &[String]) -> Option<String> {
    let mut parts: Vec<String> = q.general_feedback.iter().map(markdown).collect();
    parts.extend(extra.iter().cloned());
    let text = parts.join("\n\n").trim().to_string();
    (!text.is_empty()).then_some(text)
}

/// Tags, with lectern's `difficulty:…` tag taken out as the difficulty.
fn tags_and_difficulty(q: &Question) -> (Vec<String>, Option<String>) {
    let mut difficulty = None;
    let mut tags = Vec::new();
    for t in &q.tags {
        match t.strip_prefix("difficulty:") {
            Some(d @ ("easy" | "medium" | "hard")) => difficulty = Some(d.to_string()),
            _ => tags.push(t.clone()),
        }
    }
    (tags, difficulty)
}

/// An option's letter as the bank file writes it.
fn letter(i: usize) -> String {
    crate::quiz::choices::letter(i).to_string()
}

fn convert(q: &Question, notes: &mut Notes) -> Option<QuestionFile> {
    let (tags, difficulty) = tags_and_difficulty(q);
    let base = QuestionFile {
        tags,
        difficulty,
        ..Default::default()
    };
    match &q.kind {
        Kind::Description => None,
        Kind::Essay => {
            let feedback = q
                .general_feedback
                .as_ref()
                .map(markdown)
                .unwrap_or_default();
            let parsed = parse_feedback(&feedback);
            let mut key_points = parsed.key_points;
            if key_points.is_empty() {
                notes.warn("no key points (答题要点) found in its feedback; a placeholder was written: replace it with the scoring points");
                key_points.push("（待补充的答题要点 · key point to write）".to_string());
            }
            Some(QuestionFile {
                kind: "short".into(),
                prompt: prompt(q, q.after.is_some()),
                key_points: key_points.into_iter().map(KeyPointFile::Text).collect(),
                reference: parsed.reference,
                explanation: parsed.explanation,
                ..base
            })
        }
        Kind::TrueFalse {
            answer,
            wrong_feedback,
            right_feedback,
        } => {
            let mut extra = Vec::new();
            if let Some(f) = right_feedback {
                extra.push(markdown(f));
            }
            if let Some(f) = wrong_feedback {
                extra.push(markdown(f));
            }
            if !extra.is_empty() {
                notes.warn(
                    "the feedback for the right and the wrong answer is added to the explanation",
                );
            }
            Some(QuestionFile {
                kind: "true_false".into(),
                prompt: prompt(q, q.after.is_some()),
                answer: Some(Value::Bool(*answer)),
                explanation: explanation(q, &extra),
                ..base
            })
        }
        Kind::MultipleChoice { single, choices } => {
            if choices.len() > 26 {
                return notes.skip(format!(
                    "{} options; lectern letters them A to Z",
                    choices.len()
                ));
            }
            let options: Vec<OptionFile> = choices
                .iter()
                .map(|c| {
                    let text = markdown(&c.text);
                    match &c.feedback {
                        Some(f) => OptionFile::Detailed {
                            text,
                            pin: false,
                            feedback: Some(markdown(f)),
                        },
                        None => OptionFile::Text(text),
                    }
                })
                .collect();
            // Empty as written, or once its HTML is read (`[html]<b></b>`:
            // found by fuzzing; lectern refuses an empty option).
            let empty = |o: &OptionFile| o.text().trim().is_empty();
            if choices.iter().any(|c| c.text.text.is_empty()) || options.iter().any(empty) {
                return notes.skip("an option is empty");
            }
            let full: Vec<usize> = (0..choices.len())
                .filter(|&i| choices[i].weight >= 0.9999)
                .collect();
            let positive: Vec<usize> = (0..choices.len())
                .filter(|&i| choices[i].weight > 0.0)
                .collect();
            let weights = || {
                choices
                    .iter()
                    .map(|c| format!("{}%", number(c.weight * 100.0)))
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            if *single {
                let Some(&right) = full.first() else {
                    return notes.skip("no answer is worth 100 %");
                };
                if full.len() > 1 {
                    notes.warn(format!(
                        "{} answers are right; lectern's single choice takes the first ({})",
                        full.len(),
                        letter(right)
                    ));
                }
                if choices.iter().any(|c| c.weight != 0.0 && c.weight < 0.9999) {
                    notes.warn(format!(
                        "partial credit of the other answers is lost (weights {})",
                        weights()
                    ));
                }
                Some(QuestionFile {
                    kind: "single".into(),
                    prompt: prompt(q, q.after.is_some()),
                    options,
                    answer: Some(Value::String(letter(right))),
                    explanation: explanation(q, &[]),
                    ..base
                })
            } else {
                match positive.len() {
                    0 => notes.skip("no answer has a positive weight"),
                    1 => {
                        if choices[positive[0]].weight < 0.9999 {
                            notes.warn(format!("the one right answer is worth {}; it becomes a single choice worth full marks", weights()));
                        }
                        Some(QuestionFile {
                            kind: "single".into(),
                            prompt: prompt(q, q.after.is_some()),
                            options,
                            answer: Some(Value::String(letter(positive[0]))),
                            explanation: explanation(q, &[]),
                            ..base
                        })
                    }
                    n => {
                        let share = 1.0 / n as f64;
                        let even = positive
                            .iter()
                            .all(|&i| (choices[i].weight - share).abs() < 0.0001);
                        let wrong_zeroes = (0..choices.len())
                            .filter(|i| !positive.contains(i))
                            .all(|i| choices[i].weight <= -0.9999);
                        if !even || !wrong_zeroes {
                            notes.warn(format!("weights {} become per-option scoring (each right option an equal share, any wrong pick 0)", weights()));
                        }
                        Some(QuestionFile {
                            kind: "multiple".into(),
                            prompt: prompt(q, q.after.is_some()),
                            options,
                            answer: Some(Value::Sequence(
                                positive.iter().map(|&i| Value::String(letter(i))).collect(),
                            )),
                            explanation: explanation(q, &[]),
                            ..base
                        })
                    }
                }
            }
        }
        Kind::ShortAnswer(answers) => {
            let mut accepted = Vec::new();
            for a in answers {
                if a.weight < 0.9999 {
                    notes.warn(format!(
                        "answer `{}` worth {} % is dropped (a blank's answers are right or wrong)",
                        a.text,
                        number(a.weight * 100.0)
                    ));
                    continue;
                }
                if has_wildcard(&a.text) {
                    notes.warn(format!(
                        "answer `{}`: `*` is a wildcard in Moodle and a plain character in lectern",
                        a.text
                    ));
                }
                accepted.push(a.text.replace("\\*", "*"));
            }
            if answers.iter().any(|a| a.feedback.is_some()) {
                notes.warn("the feedback of individual answers is lost");
            }
            fill(q, vec![accepted], base, notes)
        }
        Kind::Numerical {
            answers,
            wrong_feedback,
        } => {
            let mut entries = Vec::new();
            for a in answers {
                if a.weight <= 0.0 {
                    notes.warn(format!(
                        "an answer worth {} % is dropped (lectern's numerical answers earn a share of the points)",
                        number(a.weight * 100.0)
                    ));
                    continue;
                }
                let mut m = serde_yaml::Mapping::new();
                match &a.number {
                    Number::Value {
                        value, tolerance, ..
                    } => {
                        m.insert("value".into(), Value::from(*value));
                        if *tolerance != 0.0 {
                            m.insert("tolerance".into(), Value::from(tolerance.abs()));
                        }
                    }
                    Number::Range { min, max } => {
                        m.insert("min".into(), Value::from(min.min(*max)));
                        m.insert("max".into(), Value::from(max.max(*min)));
                    }
                    Number::Any => {
                        notes.warn("the answer `*` (any number) is dropped");
                        continue;
                    }
                }
                if a.weight < 0.9999 {
                    m.insert("weight".into(), Value::from(a.weight.min(1.0) * 100.0));
                }
                entries.push(match (m.len(), m.get("value")) {
                    (1, Some(v)) => v.clone(),
                    _ => Value::Mapping(m),
                });
            }
            if answers.iter().any(|a| a.feedback.is_some()) || wrong_feedback.is_some() {
                notes.warn("the feedback of individual answers is lost");
            }
            if !answers
                .iter()
                .any(|a| a.weight >= 0.9999 && a.number != Number::Any)
            {
                return notes.skip("no answer is worth 100 %");
            }
            Some(QuestionFile {
                kind: "numerical".into(),
                prompt: prompt(q, false),
                answer: Some(match entries.len() {
                    1 => entries.remove(0),
                    _ => Value::Sequence(entries),
                }),
                explanation: explanation(q, &[]),
                ..base
            })
        }
        Kind::Matching(pairs) => {
            let mut lines = Vec::new();
            let mut blanks = Vec::new();
            for (left, right) in pairs {
                let left = markdown(left);
                if left.is_empty() {
                    continue;
                }
                lines.push(format!("- {left} → {BLANK}"));
                blanks.push(vec![right.clone()]);
            }
            notes.warn("a matching question becomes a fill question with one blank per pair");
            if pairs.iter().any(|(l, _)| l.text.is_empty()) {
                notes.warn("the extra answers that match nothing are dropped");
            }
            let intro = prompt(q, false);
            let prompt_text = format!("{intro}\n\n{}", lines.join("\n"))
                .trim()
                .to_string();
            fill_with_prompt(q, prompt_text, blanks, base, notes)
        }
    }
}

fn has_wildcard(answer: &str) -> bool {
    answer.replace("\\*", "").contains('*')
}

fn fill(
    q: &Question,
    blanks: Vec<Vec<String>>,
    base: QuestionFile,
    notes: &mut Notes,
) -> Option<QuestionFile> {
    let text = prompt(q, true);
    fill_with_prompt(q, text, blanks, base, notes)
}

fn fill_with_prompt(
    q: &Question,
    prompt: String,
    blanks: Vec<Vec<String>>,
    base: QuestionFile,
    notes: &mut Notes,
) -> Option<QuestionFile> {
    // lectern's bank reader refuses any accepted answer without a letter or
    // digit (after normalising it would match an empty response), so such
    // answers are left out; a blank left with none is not importable. (Found
    // by fuzzing: `{=ab =-}` wrote a bank that `lectern check` rejected.)
    let mut blanks = blanks;
    for blank in &mut blanks {
        let (kept, dropped): (Vec<String>, Vec<String>) = std::mem::take(blank)
            .into_iter()
            .partition(|a| a.chars().any(char::is_alphanumeric));
        if !kept.is_empty() {
            for a in &dropped {
                notes.warn(format!(
                    "answer `{a}` is dropped: it has no letter or digit"
                ));
            }
        }
        *blank = kept;
    }
    // No blank at all (a matching question whose pairs all lack a left
    // side) would be a fill question without a blank: also found by fuzzing.
    if blanks.is_empty() || blanks.iter().any(|b| b.is_empty()) {
        return notes
            .skip("no answer lectern can accept (each blank needs a text with a letter or digit)");
    }
    if count_blanks(&prompt) != blanks.len() {
        return notes.skip("its text holds runs of underscores that would read as extra blanks");
    }
    let answer = blanks
        .into_iter()
        .map(|accepted| {
            if accepted.len() == 1 {
                Value::String(accepted.into_iter().next().unwrap_or_default())
            } else {
                Value::Sequence(accepted.into_iter().map(Value::String).collect())
            }
        })
        .collect();
    Some(QuestionFile {
        kind: "fill".into(),
        prompt,
        answer: Some(Value::Sequence(answer)),
        explanation: explanation(q, &[]),
        ..base
    })
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
