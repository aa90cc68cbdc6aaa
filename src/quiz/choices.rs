//! Questions answered by choosing: single and multiple choice (options,
//! answer letters, scoring of several answers) and true/false.

use serde_yaml::{Mapping, Value};

use super::fields::{describe, join, scalar_text, Reader};
use super::model::*;

const OPTION_KEYS: &[&str] = &["text", "pin", "feedback"];

pub(super) fn scoring_named(r: &mut Reader, name: &str, key: &str) -> MultipleScoring {
    MultipleScoring::from_name(name).unwrap_or_else(|| {
        r.error_hint(
            key,
            format!("unknown {key} `{name}`"),
            format!("use one of {}", MultipleScoring::NAMES.join(", ")),
        );
        MultipleScoring::default()
    })
}

fn read_options(r: &mut Reader, map: &Mapping, path: &str, id: &str) -> Option<Vec<Choice>> {
    let Some(items) = r.list(map, path, "options") else {
        if !map.contains_key("options") {
            r.error_hint(
                path,
                format!("question `{id}` has no `options`"),
                "add `options: [第一项, 第二项, …]`",
            );
        }
        return None;
    };
    let options_path = join(path, "options");
    if items.is_empty() {
        r.error_hint(
            &options_path,
            format!("question `{id}` has an empty list of options"),
            "give at least two options",
        );
        return None;
    }
    if items.len() > 26 {
        r.error_hint(
            &options_path,
            format!(
                "question `{id}` has {} options; letters run out after 26 (Z)",
                items.len()
            ),
            "split the question",
        );
        return None;
    }
    let mut options = Vec::new();
    for (item_path, item) in items {
        let choice = match item {
            Value::Mapping(_) => {
                let Some(m) = r.mapping(item, &item_path, "an option", OPTION_KEYS) else {
                    continue;
                };
                let text = r.required_text(m, &item_path, "text", "the option");
                let pin = r.boolean(m, &item_path, "pin").unwrap_or(false);
                let feedback = r
                    .text(m, &item_path, "feedback")
                    .filter(|t| !t.trim().is_empty());
                text.map(|text| Choice {
                    text,
                    pin,
                    feedback,
                })
            }
            other => match r.text_value(other, &item_path, "option") {
                Some(text) if text.trim().is_empty() => {
                    r.error_hint(
                        &item_path,
                        format!("option {} of `{id}` is empty", letter(options.len())),
                        "write the option's text",
                    );
                    None
                }
                Some(text) => Some(Choice {
                    text,
                    pin: false,
                    feedback: None,
                }),
                None => None,
            },
        };
        if let Some(c) = choice {
            options.push(c);
        }
    }
    if options.len() < 2 {
        r.error_hint(
            &options_path,
            format!("question `{id}` has only {} option", options.len()),
            "give at least two options",
        );
        return None;
    }
    Some(options)
}

pub(super) fn read_choice(
    r: &mut Reader,
    map: &Mapping,
    path: &str,
    kind: QuestionType,
    default_scoring: MultipleScoring,
    id: &str,
) -> Option<Body> {
    let options = read_options(r, map, path, id);
    let scoring = match r.text(map, path, "scoring") {
        Some(name) => scoring_named(r, &name, &join(path, "scoring")),
        None => default_scoring,
    };
    let answer_path = join(path, "answer");
    let Some(answer) = map.get("answer") else {
        let example = if kind == QuestionType::Single {
            "answer: B"
        } else {
            "answer: [A, C]"
        };
        r.error_hint(
            path,
            format!("question `{id}` has no `answer`"),
            format!("add the letter(s) of the right option(s), e.g. `{example}`"),
        );
        return None;
    };
    let letters = match answer_letters(answer) {
        Ok(letters) => letters,
        Err(message) => {
            r.error_hint(
                &answer_path,
                format!("answer of `{id}`: {message}"),
                "write option letters: `answer: B`, `answer: [A, C]` or `answer: AC`",
            );
            return None;
        }
    };
    let options = options?;
    let last = letter(options.len() - 1);
    for &i in &letters {
        if i >= options.len() {
            r.error_hint(
                &answer_path,
                format!(
                    "answer `{}` of `{id}` is out of range: the question has {} options (A–{last})",
                    letter(i),
                    options.len()
                ),
                format!("use a letter from A to {last}"),
            );
            return None;
        }
    }
    match kind {
        QuestionType::Single => {
            if letters.len() != 1 {
                r.error_hint(
                    &answer_path,
                    format!(
                        "a single question takes exactly one answer; `{id}` gives {}",
                        letters.len()
                    ),
                    "use `type: multiple` for a question with several right options",
                );
                return None;
            }
            Some(Body::Single {
                options,
                answer: letters[0],
            })
        }
        _ => {
            if letters.len() < 2 {
                r.error_hint(
                    &answer_path,
                    format!(
                        "a multiple question needs at least two right answers; `{id}` gives {}",
                        letters.len()
                    ),
                    "give two or more letters, or use `type: single`",
                );
                return None;
            }
            Some(Body::Multiple {
                options,
                answer: letters,
                scoring,
            })
        }
    }
}

/// Letters as written in YAML (`B`, `[A, C]`, `AC`, `A,C`, `A、C`) to option indexes, sorted.
pub fn answer_letters(value: &Value) -> Result<Vec<usize>, String> {
    let mut texts = Vec::new();
    match value {
        Value::Sequence(items) => {
            for item in items {
                texts.push(
                    scalar_text(item)
                        .ok_or_else(|| format!("expected letters, found {}", describe(item)))?,
                );
            }
        }
        Value::Null => return Err("the answer is empty".into()),
        other => texts.push(
            scalar_text(other)
                .ok_or_else(|| format!("expected letters, found {}", describe(other)))?,
        ),
    }
    let mut letters = Vec::new();
    for text in &texts {
        for c in text.chars() {
            if c.is_whitespace() || matches!(c, ',' | '，' | '、' | ';' | '；') {
                continue;
            }
            // Full-width letters (Ａ) are common in text pasted from Word.
            let c = match c {
                'Ａ'..='Ｚ' => char::from_u32(c as u32 - 'Ａ' as u32 + 'A' as u32).unwrap_or(c),
                'ａ'..='ｚ' => char::from_u32(c as u32 - 'ａ' as u32 + 'A' as u32).unwrap_or(c),
                _ => c.to_ascii_uppercase(),
            };
            if !c.is_ascii_uppercase() {
                return Err(format!("`{text}` is not an option letter"));
            }
            let i = (c as u8 - b'A') as usize;
            if letters.contains(&i) {
                return Err(format!("`{c}` is given twice"));
            }
            letters.push(i);
        }
    }
    if letters.is_empty() {
        return Err("the answer is empty".into());
    }
    letters.sort_unstable();
    Ok(letters)
}

pub fn letter(i: usize) -> char {
    char::from(b'A' + (i.min(25) as u8))
}

pub(super) fn read_true_false(r: &mut Reader, map: &Mapping, path: &str, id: &str) -> Option<Body> {
    let Some(value) = map.get("answer") else {
        r.error_hint(
            path,
            format!("question `{id}` has no `answer`"),
            "add `answer: true` or `answer: false` (对 / 错)",
        );
        return None;
    };
    let answer = match value {
        Value::Bool(b) => Some(*b),
        other => scalar_text(other).and_then(|s| truth(&s)),
    };
    if answer.is_none() {
        r.error_hint(
            &join(path, "answer"),
            format!(
                "the answer of true_false question `{id}` should be true or false, found {}",
                describe(value)
            ),
            "write `answer: true` or `answer: false` (对 / 错)",
        );
    }
    Some(Body::TrueFalse { answer: answer? })
}

/// true/false as teachers write them.
fn truth(s: &str) -> Option<bool> {
    match s.trim().to_lowercase().as_str() {
        "true" | "t" | "yes" | "对" | "正确" | "是" | "√" | "✓" | "✔" => Some(true),
        "false" | "f" | "no" | "错" | "错误" | "否" | "×" | "✗" | "✘" | "x" => Some(false),
        _ => None,
    }
}
