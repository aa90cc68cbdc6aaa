//! One question bank file (quizzes/*.yaml) read into a `Bank`, with every
//! mistake of the file reported. Checks against the rest of the course
//! (chapters, cases, ids used twice) are in `validate`.

use serde_yaml::{Mapping, Value};

use super::fields::{describe, join, scalar_text, Reader};
use super::model::*;
use crate::markdown::untrusted::count_blanks;

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
    }
}

const OPTION_KEYS: &[&str] = &["text", "pin", "feedback"];
const KEY_POINT_KEYS: &[&str] = &["text", "synonyms", "weight"];
const PART_KEYS: &[&str] = &["prompt", "points", "key_points", "cap", "reference"];

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
    let mut case_lines = Vec::new();
    match r.list(map, "", "questions") {
        Some(items) => {
            if items.is_empty() {
                r.warning("questions", "the bank has no questions", None);
            }
            for (path, item) in items {
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
        },
        case_lines,
    })
}

fn scoring_named(r: &mut Reader, name: &str, key: &str) -> MultipleScoring {
    MultipleScoring::from_name(name).unwrap_or_else(|| {
        r.error_hint(
            key,
            format!("unknown {key} `{name}`"),
            format!("use one of {}", MultipleScoring::NAMES.join(", ")),
        );
        MultipleScoring::default()
    })
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
            read_choice(r, map, path, kind, defaults, &id_text)
        }
        QuestionType::TrueFalse => read_true_false(r, map, path, &id_text),
        QuestionType::Fill => read_fill(r, map, path, &prompt, &id_text),
        QuestionType::Short => read_rubric(r, map, path, &id_text).map(Body::Short),
        QuestionType::Case => read_case(r, map, path, points, &id_text),
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

fn read_choice(
    r: &mut Reader,
    map: &Mapping,
    path: &str,
    kind: QuestionType,
    defaults: &Defaults,
    id: &str,
) -> Option<Body> {
    let options = read_options(r, map, path, id);
    let scoring = match r.text(map, path, "scoring") {
        Some(name) => scoring_named(r, &name, &join(path, "scoring")),
        None => defaults.scoring,
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

fn read_true_false(r: &mut Reader, map: &Mapping, path: &str, id: &str) -> Option<Body> {
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

fn read_fill(r: &mut Reader, map: &Mapping, path: &str, prompt: &str, id: &str) -> Option<Body> {
    let any_order = r.boolean(map, path, "any_order").unwrap_or(false);
    let Some(value) = map.get("answer") else {
        r.error_hint(
            path,
            format!("question `{id}` has no `answer`"),
            "add one accepted answer per blank: `answer: [第一空, [第二空, 另一种写法]]`",
        );
        return None;
    };
    let answer_path = join(path, "answer");
    let mut blanks: Vec<Vec<String>> = Vec::new();
    let mut ok = true;
    let items: Vec<(String, &Value)> = match value {
        Value::Sequence(items) => items
            .iter()
            .enumerate()
            .map(|(i, v)| (join(&answer_path, &i.to_string()), v))
            .collect(),
        other => vec![(answer_path.clone(), other)],
    };
    for (item_path, item) in items {
        let accepted: Vec<String> = match item {
            Value::Sequence(alts) => alts.iter().filter_map(scalar_text).collect(),
            other => scalar_text(other).into_iter().collect(),
        };
        let bad = match item {
            Value::Sequence(alts) => alts.len() != accepted.len() || accepted.is_empty(),
            _ => accepted.is_empty(),
        };
        if bad
            || accepted
                .iter()
                .any(|a| !a.chars().any(char::is_alphanumeric))
        {
            r.error_hint(
                &item_path,
                format!(
                    "blank {} of `{id}` has an empty or unreadable accepted answer",
                    blanks.len() + 1
                ),
                "give each blank a text, or a list of texts: `- [优质服务型, 优质服务]`",
            );
            ok = false;
        }
        blanks.push(accepted);
    }
    let count = count_blanks(prompt);
    if count == 0 {
        r.error_hint(
            &join(path, "prompt"),
            format!("fill question `{id}` has no blank in its prompt"),
            "mark each blank with a run of three or more underscores: 客户服务分为____和____",
        );
        return None;
    }
    if count != blanks.len() {
        r.error_hint(
            &answer_path,
            format!("the prompt of `{id}` has {count} blank{} but the answer gives {}", plural(count), blanks.len()),
            "give one answer per blank, in order; several accepted answers for one blank go in a nested list: `- [优质服务型, 优质服务]`",
        );
        return None;
    }
    ok.then_some(Body::Fill { blanks, any_order })
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

fn read_key_points(r: &mut Reader, map: &Mapping, path: &str, id: &str) -> Option<Vec<KeyPoint>> {
    let Some(items) = r.list(map, path, "key_points") else {
        if !map.contains_key("key_points") {
            r.error_hint(
                path,
                format!("`{id}` has no `key_points`"),
                "list the scoring points (答题要点): `key_points: [要点一, 要点二]`",
            );
        }
        return None;
    };
    if items.is_empty() {
        r.error_hint(
            &join(path, "key_points"),
            format!("`{id}` has an empty list of key_points"),
            "give at least one scoring point",
        );
        return None;
    }
    let mut points = Vec::new();
    for (item_path, item) in items {
        let kp = match item {
            Value::Mapping(_) => {
                let Some(m) = r.mapping(item, &item_path, "a key point", KEY_POINT_KEYS) else {
                    continue;
                };
                let text = r.required_text(m, &item_path, "text", "the key point");
                let synonyms = r
                    .text_list(m, &item_path, "synonyms")
                    .into_iter()
                    .filter(|s| !s.trim().is_empty())
                    .collect();
                let weight = r.positive(m, &item_path, "weight").unwrap_or(1.0);
                text.map(|text| KeyPoint {
                    text,
                    synonyms,
                    weight,
                })
            }
            other => r
                .text_value(other, &item_path, "key point")
                .map(|text| KeyPoint {
                    text,
                    synonyms: Vec::new(),
                    weight: 1.0,
                }),
        };
        match kp {
            Some(kp) if kp.text.trim().is_empty() => r.error_hint(
                &item_path,
                format!("a key point of `{id}` is empty"),
                "write the point's text",
            ),
            Some(kp) => points.push(kp),
            None => {}
        }
    }
    Some(points)
}

fn read_rubric(r: &mut Reader, map: &Mapping, path: &str, id: &str) -> Option<Rubric> {
    let key_points = read_key_points(r, map, path, id);
    let cap = r.positive(map, path, "cap");
    let reference = r
        .text(map, path, "reference")
        .filter(|t| !t.trim().is_empty());
    let key_points = key_points?;
    let total: f64 = key_points.iter().map(|k| k.weight).sum();
    if let Some(cap) = cap {
        if cap > total {
            r.error_hint(
                &join(path, "cap"),
                format!("`cap` {cap} of `{id}` is more than the key points' total weight {total}"),
                "cap is the weight of key points that already earns full marks; leave it out to require every point",
            );
            return None;
        }
    }
    Some(Rubric {
        key_points,
        cap,
        reference,
    })
}

fn read_case(
    r: &mut Reader,
    map: &Mapping,
    path: &str,
    points: Option<f64>,
    id: &str,
) -> Option<Body> {
    let case = r
        .required_text(map, path, "case", "the case question")
        .map(|c| c.trim().to_string());
    let Some(items) = r.list(map, path, "questions") else {
        if !map.contains_key("questions") {
            r.error_hint(
                path,
                format!("case question `{id}` has no `questions`"),
                "list the case's sub-questions, each with `prompt` and `key_points`",
            );
        }
        return None;
    };
    if items.is_empty() {
        r.error_hint(
            &join(path, "questions"),
            format!("case question `{id}` has an empty list of questions"),
            "give at least one sub-question",
        );
        return None;
    }
    let count = items.len();
    let mut parts = Vec::new();
    let mut any_points = false;
    for (item_path, item) in items {
        let Some(m) = r.mapping(item, &item_path, "a case sub-question", PART_KEYS) else {
            continue;
        };
        let prompt = r.required_text(m, &item_path, "prompt", "the sub-question");
        let part_points = r.positive(m, &item_path, "points");
        any_points |= part_points.is_some();
        let rubric = read_rubric(r, m, &item_path, id);
        if let (Some(prompt), Some(rubric)) = (prompt, rubric) {
            let points = part_points
                .or(points.map(|p| p / count as f64))
                .unwrap_or(QuestionType::Case.default_points());
            parts.push(CasePart {
                prompt,
                points,
                rubric,
            });
        }
    }
    if let (Some(total), true) = (points, any_points) {
        let sum: f64 = parts.iter().map(|p| p.points).sum();
        if parts.len() == count && (sum - total).abs() > 1e-9 {
            r.error_hint(
                &join(path, "points"),
                format!("case question `{id}` is worth {total} points but its sub-questions add up to {sum}"),
                "give points either to the case question (shared equally) or to each sub-question",
            );
            return None;
        }
    }
    Some(Body::Case { case: case?, parts })
}
