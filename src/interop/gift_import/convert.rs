//! One GIFT question as the closest lectern question: its type, its texts
//! as Markdown (`[html]`, `[plain]`, `[moodle]` converted, `[markdown]` kept)
//! and what it cannot keep said as a warning.

use serde_yaml::Value;

use super::Notes;
use crate::interop::bank_import::{looks_like_html, BLANK};
use crate::interop::bank_yaml::{KeyPointFile, OptionFile, QuestionFile};
use crate::interop::gift_parse::{Kind, Number, Question, Text, TextFormat};
use crate::interop::html_text::{html_to_markdown, plain_to_markdown};
use crate::interop::text::{number, parse_feedback};
use crate::markdown::untrusted::count_blanks;

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

fn md(text: &str, format: TextFormat) -> String {
    markdown(&Text {
        text: text.to_string(),
        format,
    })
}

/// The question text as Markdown; with `blank`, the missing word's place
/// (or the end) holds a blank.
pub(super) fn prompt(q: &Question, blank: bool) -> String {
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

pub(super) fn convert(q: &Question, notes: &mut Notes) -> Option<QuestionFile> {
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
