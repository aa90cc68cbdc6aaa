//! One `<question>` element as the closest lectern question: its type, its
//! texts as Markdown by their `format`, and what it cannot keep said as a
//! warning.

use roxmltree::Node;
use serde_yaml::Value;

use super::{child_text, Notes};
use crate::interop::bank_import::{looks_like_html, BLANK};
use crate::interop::bank_yaml::{KeyPointFile, OptionFile, QuestionFile};
use crate::interop::html_text::{html_to_markdown, plain_to_markdown};
use crate::interop::text::{number, parse_feedback};
use crate::quiz::model::QuestionType;

/// A formatted text (`<x format="html"><text>…</text></x>`) as Markdown.
pub(super) fn rich_text(node: Node, name: &str) -> String {
    match node.children().find(|n| n.has_tag_name(name)) {
        Some(el) => formatted(el),
        None => String::new(),
    }
}

fn formatted(el: Node) -> String {
    let text = child_text(el, &["text"]).unwrap_or_default();
    let html = || html_to_markdown(&text);
    match el.attribute("format").unwrap_or("html") {
        "markdown" => text.trim().to_string(),
        "plain_text" => plain_to_markdown(&text),
        "moodle_auto_format" if !looks_like_html(&text) => plain_to_markdown(&text),
        _ => html(),
    }
    .trim()
    .to_string()
}

/// An answer: its fraction (0 to 1), text as Markdown, raw text, feedback.
struct Answer {
    fraction: f64,
    markdown: String,
    raw: String,
    feedback: Option<String>,
    tolerance: f64,
}

fn answers(node: Node) -> Vec<Answer> {
    node.children()
        .filter(|n| n.has_tag_name("answer"))
        .map(|a| {
            let raw = child_text(a, &["text"]).unwrap_or_default();
            let feedback = a
                .children()
                .find(|n| n.has_tag_name("feedback"))
                .map(formatted)
                .filter(|f| !f.is_empty());
            Answer {
                fraction: a
                    .attribute("fraction")
                    .and_then(|f| f.trim().parse::<f64>().ok())
                    .unwrap_or(0.0)
                    / 100.0,
                markdown: formatted(a),
                raw: raw.trim().to_string(),
                feedback,
                tolerance: child_text(a, &["tolerance"])
                    .and_then(|t| t.trim().parse::<f64>().ok())
                    .unwrap_or(0.0),
            }
        })
        .collect()
}

fn flag(node: Node, name: &str) -> Option<bool> {
    child_text(node, &[name]).map(|t| matches!(t.trim(), "true" | "1"))
}

fn letter(i: usize) -> Value {
    Value::String(crate::quiz::choices::letter(i).to_string())
}

pub(super) fn convert(node: Node, notes: &mut Notes) -> Option<QuestionFile> {
    let kind = node.attribute("type").unwrap_or_default();
    let lectern_kind = match kind {
        "multichoice" => QuestionType::Single,
        "truefalse" => QuestionType::TrueFalse,
        "shortanswer" => QuestionType::Fill,
        "numerical" => QuestionType::Numerical,
        "essay" => QuestionType::Short,
        "cloze" => return notes.skip("a cloze (embedded answers) question has no lectern counterpart; write its blanks as a fill question"),
        other => return notes.skip(format!("Moodle's `{other}` question type has no lectern counterpart (lectern imports multichoice, truefalse, shortanswer, numerical, essay and description)")),
    };
    let mut tags = Vec::new();
    let mut difficulty = None;
    for t in node
        .children()
        .filter(|n| n.has_tag_name("tags"))
        .flat_map(|n| n.children().filter(|c| c.has_tag_name("tag")))
        .filter_map(|t| child_text(t, &["text"]))
    {
        match t.trim().strip_prefix("difficulty:") {
            Some(d @ ("easy" | "medium" | "hard")) => difficulty = Some(d.to_string()),
            _ => tags.push(t.trim().to_string()),
        }
    }
    let points = |kind: QuestionType| {
        child_text(node, &["defaultgrade"])
            .and_then(|g| g.trim().parse::<f64>().ok())
            .filter(|g| *g > 0.0 && (g - kind.default_points()).abs() > 1e-9)
    };
    let explanation = Some(rich_text(node, "generalfeedback")).filter(|e| !e.is_empty());
    let prompt = rich_text(node, "questiontext");
    let base = QuestionFile {
        prompt: prompt.clone(),
        tags,
        difficulty,
        explanation,
        ..Default::default()
    };
    let all = answers(node);
    match lectern_kind {
        QuestionType::Single => {
            if all.len() > 26 {
                return notes.skip(format!(
                    "{} answers; lectern letters them A to Z",
                    all.len()
                ));
            }
            if all.iter().any(|a| a.markdown.trim().is_empty()) {
                return notes.skip("an answer is empty");
            }
            let options: Vec<OptionFile> = all
                .iter()
                .map(|a| match &a.feedback {
                    Some(f) => OptionFile::Detailed {
                        text: a.markdown.clone(),
                        pin: false,
                        feedback: Some(f.clone()),
                    },
                    None => OptionFile::Text(a.markdown.clone()),
                })
                .collect();
            let shuffle = flag(node, "shuffleanswers").filter(|s| *s);
            let positive: Vec<usize> = (0..all.len()).filter(|&i| all[i].fraction > 0.0).collect();
            let weights = || {
                all.iter()
                    .map(|a| format!("{}%", number(a.fraction * 100.0)))
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            let single = flag(node, "single").unwrap_or(true);
            if single || positive.len() == 1 {
                let Some(right) = (0..all.len()).find(|&i| all[i].fraction >= 0.9999) else {
                    return notes.skip("no answer is worth 100 %");
                };
                if all.iter().any(|a| a.fraction != 0.0 && a.fraction < 0.9999) {
                    notes.warn(format!(
                        "partial credit of the other answers is lost (weights {})",
                        weights()
                    ));
                }
                Some(QuestionFile {
                    kind: "single".into(),
                    options,
                    answer: Some(letter(right)),
                    shuffle,
                    points: points(QuestionType::Single),
                    ..base
                })
            } else {
                if positive.is_empty() {
                    return notes.skip("no answer has a positive fraction");
                }
                let share = 1.0 / positive.len() as f64;
                let even = positive
                    .iter()
                    .all(|&i| (all[i].fraction - share).abs() < 0.0001);
                if !even {
                    notes.warn(format!("fractions {} become per-option scoring (each right option an equal share, any wrong pick 0)", weights()));
                }
                Some(QuestionFile {
                    kind: "multiple".into(),
                    options,
                    answer: Some(Value::Sequence(
                        positive.iter().map(|&i| letter(i)).collect(),
                    )),
                    shuffle,
                    points: points(QuestionType::Multiple),
                    ..base
                })
            }
        }
        QuestionType::TrueFalse => {
            let right = all.iter().find(|a| a.fraction >= 0.9999)?;
            let answer = match right.raw.to_lowercase().as_str() {
                "true" | "正确" | "对" => true,
                "false" | "错误" | "错" => false,
                other => {
                    return notes.skip(format!(
                        "the right answer `{other}` is neither true nor false"
                    ))
                }
            };
            Some(QuestionFile {
                kind: "true_false".into(),
                answer: Some(Value::Bool(answer)),
                points: points(QuestionType::TrueFalse),
                ..base
            })
        }
        QuestionType::Fill => {
            let mut accepted = Vec::new();
            for a in &all {
                if a.fraction < 0.9999 {
                    notes.warn(format!(
                        "answer `{}` worth {} % is dropped (a blank's answers are right or wrong)",
                        a.raw,
                        number(a.fraction * 100.0)
                    ));
                    continue;
                }
                if !a.raw.chars().any(char::is_alphanumeric) {
                    notes.warn(format!(
                        "answer `{}` is dropped: it has no letter or digit",
                        a.raw
                    ));
                    continue;
                }
                if a.raw.replace("\\*", "").contains('*') {
                    notes.warn(format!(
                        "answer `{}`: `*` is a wildcard in Moodle and a plain character in lectern",
                        a.raw
                    ));
                }
                accepted.push(a.raw.replace("\\*", "*"));
            }
            if accepted.is_empty() {
                return notes.skip("no answer worth 100 % that lectern can accept");
            }
            if all.iter().any(|a| a.feedback.is_some()) {
                notes.warn("the feedback of individual answers is lost");
            }
            let prompt = with_blank(&prompt);
            if crate::markdown::untrusted::count_blanks(&prompt) != 1 {
                return notes
                    .skip("its text holds runs of underscores that would read as extra blanks");
            }
            let answer = match accepted.len() {
                1 => Value::String(accepted.remove(0)),
                _ => Value::Sequence(accepted.into_iter().map(Value::String).collect()),
            };
            Some(QuestionFile {
                kind: "fill".into(),
                prompt,
                answer: Some(Value::Sequence(vec![answer])),
                points: points(QuestionType::Fill),
                ..base
            })
        }
        QuestionType::Numerical => {
            let mut entries = Vec::new();
            for a in &all {
                if a.fraction <= 0.0 {
                    notes.warn(format!("an answer worth {} % is dropped (lectern's numerical answers earn a share of the points)", number(a.fraction * 100.0)));
                    continue;
                }
                if a.raw == "*" {
                    notes.warn("the answer `*` (any number) is dropped");
                    continue;
                }
                let Ok(value) = a.raw.parse::<f64>() else {
                    notes.warn(format!(
                        "the answer `{}` is not a number and is dropped",
                        a.raw
                    ));
                    continue;
                };
                let mut m = serde_yaml::Mapping::new();
                m.insert("value".into(), Value::from(value));
                if a.tolerance != 0.0 {
                    m.insert("tolerance".into(), Value::from(a.tolerance.abs()));
                }
                if a.fraction < 0.9999 {
                    m.insert("weight".into(), Value::from(a.fraction.min(1.0) * 100.0));
                }
                entries.push(match m.len() {
                    1 => Value::from(value),
                    _ => Value::Mapping(m),
                });
            }
            if !all
                .iter()
                .any(|a| a.fraction >= 0.9999 && a.raw.parse::<f64>().is_ok())
            {
                return notes.skip("no number is worth 100 %");
            }
            if all.iter().any(|a| a.feedback.is_some()) {
                notes.warn("the feedback of individual answers is lost");
            }
            if node.children().any(|n| n.has_tag_name("units")) {
                notes.warn("its units are dropped (lectern's numerical answers are plain numbers)");
            }
            Some(QuestionFile {
                kind: "numerical".into(),
                answer: Some(match entries.len() {
                    1 => entries.remove(0),
                    _ => Value::Sequence(entries),
                }),
                points: points(QuestionType::Numerical),
                ..base
            })
        }
        _ => {
            let grader = rich_text(node, "graderinfo");
            let parsed = parse_feedback(&grader);
            let mut key_points = parsed.key_points;
            if key_points.is_empty() {
                notes.warn("no key points (答题要点) found in its information for graders; a placeholder was written: replace it with the scoring points");
                key_points.push("（待补充的答题要点 · key point to write）".to_string());
            }
            let explanation = match (base.explanation.clone(), parsed.explanation) {
                (Some(a), Some(b)) => Some(format!("{a}\n\n{b}")),
                (a, b) => a.or(b),
            };
            Some(QuestionFile {
                kind: "short".into(),
                key_points: key_points.into_iter().map(KeyPointFile::Text).collect(),
                reference: parsed.reference,
                points: points(QuestionType::Short),
                explanation,
                ..base
            })
        }
    }
}

/// A short answer's text with its blank: where a run of three or more
/// underscores stands (escaped or not), else at the end.
pub(super) fn with_blank(prompt: &str) -> String {
    let unescaped = prompt.replace("\\_", "_");
    if let Some(start) = unescaped.find("___") {
        let end = unescaped[start..]
            .find(|c| c != '_')
            .map(|i| start + i)
            .unwrap_or(unescaped.len());
        return format!("{}{BLANK}{}", &unescaped[..start], &unescaped[end..])
            .trim()
            .to_string();
    }
    format!("{} {BLANK}", prompt.trim()).trim().to_string()
}
