//! One question bank file (quizzes/*.yaml) read into a `Bank`, with every
//! mistake of the file reported. Checks against the rest of the course
//! (chapters, cases, ids used twice) are in `validate`.

use serde_yaml::{Mapping, Value};

use super::choices::{read_choice, read_true_false, scoring_named};
use super::fields::{join, Reader};
use super::model::*;
use super::numerical::read_numerical;
use super::written::{read_case, read_fill, read_rubric};

pub const BANK_KEYS: &[&str] = &[
    "chapter",
    "title",
    "pass_mark",
    "shuffle",
    "multiple_scoring",
    "time_limit",
    "questions",
];

pub const QUESTION_KEYS: &[&str] = &[
    "id",
    "type",
    "prompt",
    "options",
    "answer",
    "explanation",
    "points",
    "tags",
    "difficulty",
    "shuffle",
    "scoring",
    "any_order",
    "key_points",
    "cap",
    "reference",
    "case",
    "questions",
];

const COMMON_KEYS: &[&str] = &[
    "id",
    "type",
    "prompt",
    "explanation",
    "points",
    "tags",
    "difficulty",
];

/// The keys a question of this type takes besides the common ones.
fn type_keys(kind: QuestionType) -> &'static [&'static str] {
    match kind {
        QuestionType::Single => &["options", "answer", "shuffle"],
        QuestionType::Multiple => &["options", "answer", "shuffle", "scoring"],
        QuestionType::TrueFalse => &["answer"],
        QuestionType::Fill => &["answer", "any_order"],
        QuestionType::Short => &["key_points", "cap", "reference"],
        QuestionType::Case => &["case", "questions"],
        QuestionType::Numerical => &["answer"],
    }
}

/// A bank as read from its file, before course-level checks.
pub struct ParsedBank {
    pub bank: Bank,
    /// Line of the `chapter:` key.
    pub chapter_line: usize,
    /// Per question: the line of its `case:` key, for case questions.
    pub case_lines: Vec<usize>,
}

/// Settings of the bank that questions inherit.
struct Defaults {
    shuffle: bool,
    scoring: MultipleScoring,
}

/// Reads a bank from its parsed YAML. `key` is the file stem. Returns `None`
/// when the file is too broken to say which chapter it belongs to; otherwise
/// the questions that could be read (the others are reported).
pub fn read_bank(
    r: &mut Reader,
    value: &Value,
    key: &str,
    default_pass_mark: f64,
) -> Option<ParsedBank> {
    let map = r.mapping(value, "", "a question bank", BANK_KEYS)?;
    let chapter = r.required_text(map, "", "chapter", "the bank");
    let title = r.text(map, "", "title").filter(|t| !t.trim().is_empty());
    let pass_mark = r.percent(map, "", "pass_mark").unwrap_or(default_pass_mark);
    let shuffle = r.boolean(map, "", "shuffle").unwrap_or(false);
    let scoring = match r.text(map, "", "multiple_scoring") {
        Some(name) => scoring_named(r, &name, "multiple_scoring"),
        None => MultipleScoring::default(),
    };
    let time_limit = minutes(r, map, "", "time_limit");
    let defaults = Defaults { shuffle, scoring };

    let mut questions = Vec::new();
    let mut descriptions = Vec::new();
    let mut case_lines = Vec::new();
    match r.list(map, "", "questions") {
        Some(items) => {
            if items.is_empty() {
                r.warning("questions", "the bank has no questions", None);
            }
            for (path, item) in items {
                if let Some(description) = read_description(r, item, &path) {
                    if let Some(text) = description {
                        descriptions.push(Description {
                            before: questions.len(),
                            text,
                        });
                    }
                    continue;
                }
                if let Some(q) = read_question(r, item, &path, &defaults) {
                    case_lines.push(r.line(&join(&path, "case")));
                    questions.push(q);
                }
            }
        }
        None if !map.contains_key("questions") => {
            r.error_hint(
                "",
                "the bank has no `questions`",
                "add `questions:` followed by a list of questions",
            );
        }
        None => {}
    }
    let chapter = chapter?;
    Some(ParsedBank {
        chapter_line: r.line("chapter"),
        bank: Bank {
            key: key.to_string(),
            file: r.file.to_path_buf(),
            title: title.unwrap_or_default(),
            chapter,
            pass_mark,
            shuffle,
            time_limit,
            questions,
            descriptions,
        },
        case_lines,
    })
}

/// `- description: 文字`: a text shown between questions, not scored.
/// `None` when the item is not a description (it is then read as a question).
/// The outer `None`: the item is not a description; the inner one: it is,
/// and it was reported.
fn read_description(r: &mut Reader, item: &Value, path: &str) -> Option<Option<String>> {
    item.as_mapping()?.get("description")?;
    let read = |r: &mut Reader| {
        let map = r.mapping(item, path, "a description", &["description"])?;
        let text = r.required_text(map, path, "description", "the description")?;
        if text.trim().is_empty() {
            r.error_hint(
                &join(path, "description"),
                "the description is empty",
                "write the text to show between the questions, or remove the item",
            );
            return None;
        }
        Some(text)
    };
    Some(read(r))
}

/// A time limit in whole minutes.
pub fn minutes(r: &mut Reader, map: &Mapping, path: &str, key: &str) -> Option<u32> {
    let n = r.integer(map, path, key)?;
    if n == 0 || n > 24 * 60 {
        r.error_hint(
            &join(path, key),
            format!("`{key}` is in minutes and must be from 1 to 1440, found {n}"),
            "e.g. `time_limit: 90`",
        );
        return None;
    }
    Some(n as u32)
}

fn read_question(
    r: &mut Reader,
    value: &Value,
    path: &str,
    defaults: &Defaults,
) -> Option<Question> {
    let errors_before = r.diagnostics.iter().filter(|d| d.is_error()).count();
    let map = r.mapping(value, path, "a question", QUESTION_KEYS)?;
    let id = r.required_text(map, path, "id", "the question");
    if let Some(id) = &id {
        if let Some(bad) = id
            .chars()
            .find(|c| !(c.is_alphanumeric() || matches!(c, '-' | '_' | '.')))
        {
            r.error_hint(
                &join(path, "id"),
                format!("question id `{id}` contains `{bad}`"),
                "ids are used in links and stored progress: use letters, digits, `-`, `_` and `.` only, e.g. c1-single-customer",
            );
        }
    }
    let kind = match r.required_text(map, path, "type", "the question") {
        Some(name) => match QuestionType::from_name(name.trim()) {
            Some(kind) => Some(kind),
            None => {
                let names: Vec<&str> = QuestionType::ALL.iter().map(|t| t.name()).collect();
                let hint = match crate::diagnostic::nearest(name.trim(), names.iter().copied()) {
                    Some(best) => {
                        format!("did you mean `{best}`? the types are {}", names.join(", "))
                    }
                    None => format!("the types are {}", names.join(", ")),
                };
                r.error_hint(
                    &join(path, "type"),
                    format!("unknown question type `{name}`"),
                    hint,
                );
                None
            }
        },
        None => None,
    };
    let kind = kind?;
    let id_text = id.clone().unwrap_or_default();
    for key in map.keys().filter_map(|k| k.as_str()) {
        if QUESTION_KEYS.contains(&key)
            && !COMMON_KEYS.contains(&key)
            && !type_keys(kind).contains(&key)
        {
            let takes: Vec<&str> = type_keys(kind).to_vec();
            r.error_hint(
                &join(path, key),
                format!(
                    "`{key}` does not apply to a {} question (`{id_text}`)",
                    kind.name()
                ),
                format!("a {} question takes {}", kind.name(), takes.join(", ")),
            );
        }
    }

    let prompt = if kind == QuestionType::Case {
        r.text(map, path, "prompt").unwrap_or_default()
    } else {
        r.required_text(map, path, "prompt", "the question")
            .unwrap_or_default()
    };
    let explanation = r
        .text(map, path, "explanation")
        .filter(|t| !t.trim().is_empty());
    let points = r.positive(map, path, "points");
    let tags = r.text_list(map, path, "tags");
    let difficulty = r.text(map, path, "difficulty").and_then(|name| {
        Difficulty::from_name(name.trim()).or_else(|| {
            r.error_hint(
                &join(path, "difficulty"),
                format!("unknown difficulty `{name}`"),
                format!("use one of {}", Difficulty::NAMES.join(", ")),
            );
            None
        })
    });
    let shuffle = r.boolean(map, path, "shuffle").unwrap_or(defaults.shuffle);

    let body = match kind {
        QuestionType::Single | QuestionType::Multiple => {
            read_choice(r, map, path, kind, defaults.scoring, &id_text)
        }
        QuestionType::TrueFalse => read_true_false(r, map, path, &id_text),
        QuestionType::Fill => read_fill(r, map, path, &prompt, &id_text),
        QuestionType::Short => read_rubric(r, map, path, &id_text).map(Body::Short),
        QuestionType::Case => read_case(r, map, path, points, &id_text),
        QuestionType::Numerical => read_numerical(r, map, path, &id_text),
    };
    let body = body?;
    let points = match &body {
        Body::Case { parts, .. } => parts.iter().map(|p| p.points).sum(),
        _ => points.unwrap_or(kind.default_points()),
    };
    let errors_after = r.diagnostics.iter().filter(|d| d.is_error()).count();
    if errors_after > errors_before {
        return None;
    }
    Some(Question {
        id: id?,
        prompt,
        body,
        explanation,
        points,
        tags,
        difficulty,
        shuffle,
        line: r.line(path),
    })
}
