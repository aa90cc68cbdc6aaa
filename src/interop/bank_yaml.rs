//! Writing a question bank file (quizzes/*.yaml) in the format of
//! docs/format.md: the keys in the documented order, only those that say
//! something. Strings are written so that every YAML parser reads them the
//! same, YAML 1.1 ones included (where `=`, `yes`, `on` or `1:20` are not
//! strings): a string stays plain only when it starts with a letter and holds
//! nothing YAML could read otherwise; a text of several lines is a literal
//! block; anything else is double-quoted.

use serde::{Deserialize, Serialize};
use serde_yaml::Value;

use crate::quiz::choices;
use crate::quiz::model::{
    Body, Choice, Difficulty, MultipleScoring, NumberRange, NumericAnswer, Question, QuestionType,
    Rubric,
};

/// A bank as written to its file.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
#[serde(default)]
pub struct BankFile {
    pub chapter: String,
    pub title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pass_mark: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shuffle: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub multiple_scoring: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub time_limit: Option<u32>,
    pub questions: Vec<QuestionFile>,
    /// Description texts (Markdown), each with the index of the question it
    /// precedes; written as `- description: …` items among the questions.
    #[serde(skip)]
    pub descriptions: Vec<(usize, String)>,
}

/// One question as written, its keys in the order docs/format.md lists
/// them. `answer` holds what the type takes: a letter, a list of letters, a
/// boolean, or one entry per blank.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
#[serde(default, deny_unknown_fields)]
pub struct QuestionFile {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub case: Option<String>,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub prompt: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<OptionFile>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub answer: Option<serde_yaml::Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scoring: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub any_order: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shuffle: Option<bool>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub key_points: Vec<KeyPointFile>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cap: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub questions: Vec<PartFile>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub points: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub explanation: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub difficulty: Option<String>,
}

/// An option: its text alone, or with a pin or feedback.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(untagged)]
pub enum OptionFile {
    Text(String),
    Detailed {
        text: String,
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        pin: bool,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        feedback: Option<String>,
    },
}

impl OptionFile {
    pub fn text(&self) -> &str {
        match self {
            OptionFile::Text(t) | OptionFile::Detailed { text: t, .. } => t,
        }
    }
}

/// A key point: its text alone, or with synonyms or a weight.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(untagged)]
pub enum KeyPointFile {
    Text(String),
    Detailed {
        text: String,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        synonyms: Vec<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        weight: Option<f64>,
    },
}

/// A sub-question of a case question.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
#[serde(default, deny_unknown_fields)]
pub struct PartFile {
    pub prompt: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub points: Option<f64>,
    pub key_points: Vec<KeyPointFile>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cap: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
}

/// A question of the model as its bank file writes it: only what differs
/// from what the bank reader would assume (`shuffle` and `scoring` are the
/// bank's unless the question says otherwise, points the type's default).
pub fn question_file(q: &Question, shuffle: bool, scoring: MultipleScoring) -> QuestionFile {
    let letter = |i: usize| Value::String(choices::letter(i).to_string());
    let options = |options: &[Choice]| {
        options
            .iter()
            .map(|o| {
                if !o.pin && o.feedback.is_none() {
                    OptionFile::Text(o.text.clone())
                } else {
                    OptionFile::Detailed {
                        text: o.text.clone(),
                        pin: o.pin,
                        feedback: o.feedback.clone(),
                    }
                }
            })
            .collect()
    };
    let kind = q.kind();
    let mut out = QuestionFile {
        id: q.id.clone(),
        kind: kind.name().to_string(),
        prompt: q.prompt.clone(),
        explanation: q.explanation.clone(),
        points: ((q.points - kind.default_points()).abs() > 1e-9 && kind != QuestionType::Case)
            .then_some(q.points),
        tags: q.tags.clone(),
        difficulty: q.difficulty.map(|d| difficulty_name(d).to_string()),
        shuffle: (matches!(kind, QuestionType::Single | QuestionType::Multiple)
            && q.shuffle != shuffle)
            .then_some(q.shuffle),
        ..Default::default()
    };
    match &q.body {
        Body::Single { options: o, answer } => {
            out.options = options(o);
            out.answer = Some(letter(*answer));
        }
        Body::Multiple {
            options: o,
            answer,
            scoring: s,
        } => {
            out.options = options(o);
            out.answer = Some(Value::Sequence(answer.iter().map(|&i| letter(i)).collect()));
            out.scoring = (*s != scoring).then(|| scoring_name(*s).to_string());
        }
        Body::TrueFalse { answer } => out.answer = Some(Value::Bool(*answer)),
        Body::Fill { blanks, any_order } => {
            out.answer = Some(Value::Sequence(
                blanks
                    .iter()
                    .map(|accepted| match accepted.as_slice() {
                        [one] => Value::String(one.clone()),
                        many => Value::Sequence(many.iter().cloned().map(Value::String).collect()),
                    })
                    .collect(),
            ));
            out.any_order = any_order.then_some(true);
        }
        Body::Short(rubric) => {
            out.key_points = key_points(rubric);
            out.cap = rubric.cap;
            out.reference = rubric.reference.clone();
        }
        Body::Numerical { answers } => {
            let entry = |a: &NumericAnswer| {
                let mut m = serde_yaml::Mapping::new();
                match a.accepts {
                    NumberRange::Value { value, tolerance } => {
                        m.insert("value".into(), Value::from(value));
                        if tolerance != 0.0 {
                            m.insert("tolerance".into(), Value::from(tolerance));
                        }
                    }
                    NumberRange::Range { min, max } => {
                        m.insert("min".into(), Value::from(min));
                        m.insert("max".into(), Value::from(max));
                    }
                }
                if a.weight < 1.0 - 1e-12 {
                    m.insert("weight".into(), Value::from(a.weight * 100.0));
                }
                match (m.len(), m.get("value")) {
                    (1, Some(v)) => v.clone(),
                    _ => Value::Mapping(m),
                }
            };
            out.answer = Some(match answers.as_slice() {
                [one] => entry(one),
                many => Value::Sequence(many.iter().map(entry).collect()),
            });
        }
        Body::Case { case, parts } => {
            out.case = Some(case.clone());
            out.questions = parts
                .iter()
                .map(|p| PartFile {
                    prompt: p.prompt.clone(),
                    points: Some(p.points),
                    key_points: key_points(&p.rubric),
                    cap: p.rubric.cap,
                    reference: p.rubric.reference.clone(),
                })
                .collect();
        }
    }
    out
}

fn key_points(rubric: &Rubric) -> Vec<KeyPointFile> {
    rubric
        .key_points
        .iter()
        .map(|k| {
            let weight = ((k.weight - 1.0).abs() > 1e-9).then_some(k.weight);
            if k.synonyms.is_empty() && weight.is_none() {
                KeyPointFile::Text(k.text.clone())
            } else {
                KeyPointFile::Detailed {
                    text: k.text.clone(),
                    synonyms: k.synonyms.clone(),
                    weight,
                }
            }
        })
        .collect()
}

pub fn difficulty_name(d: Difficulty) -> &'static str {
    match d {
        Difficulty::Easy => "easy",
        Difficulty::Medium => "medium",
        Difficulty::Hard => "hard",
    }
}

pub fn scoring_name(s: MultipleScoring) -> &'static str {
    match s {
        MultipleScoring::AllOrNothing => "all_or_nothing",
        MultipleScoring::PerOption => "per_option",
        MultipleScoring::Partial => "partial",
    }
}

/// The bank as YAML text, after a comment saying where it came from.
pub fn to_yaml(bank: &BankFile, header: &str) -> String {
    let mut value = serde_yaml::to_value(bank).unwrap_or(Value::Null);
    if let Some(Value::Sequence(items)) = value.get_mut("questions") {
        // From the last, so the earlier indexes still hold.
        for (before, text) in bank.descriptions.iter().rev() {
            let mut item = serde_yaml::Mapping::new();
            item.insert("description".into(), Value::from(text.clone()));
            items.insert((*before).min(items.len()), Value::Mapping(item));
        }
    }
    let mut body = String::new();
    emit_mapping_body(&value, 0, &mut body);
    let mut out = String::new();
    for line in header.lines() {
        out.push_str("# ");
        out.push_str(line);
        out.push('\n');
    }
    // A blank line between questions, as the shipped banks are written.
    for line in body.lines() {
        if line.starts_with("- id:") || line.starts_with("- description:") {
            out.push('\n');
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// The entries of a mapping at `indent`, each on its own line.
fn emit_mapping_body(value: &Value, indent: usize, out: &mut String) {
    let Value::Mapping(map) = value else {
        return;
    };
    let pad = " ".repeat(indent);
    let mut first = true;
    for (key, v) in map {
        if !first {
            out.push_str(&pad);
        }
        first = false;
        out.push_str(&scalar(key, indent));
        out.push(':');
        emit_after_key(v, indent, out);
    }
}

/// A value after `key:`: a scalar on the same line, a collection below it.
fn emit_after_key(v: &Value, indent: usize, out: &mut String) {
    match v {
        Value::Mapping(m) if !m.is_empty() => {
            out.push('\n');
            out.push_str(&" ".repeat(indent + 2));
            emit_mapping_body(v, indent + 2, out);
        }
        // A list under a key sits at the key's indentation, as serde_yaml
        // and the shipped banks write it.
        Value::Sequence(items) if !items.is_empty() => {
            out.push('\n');
            emit_sequence(items, indent, out);
        }
        other => {
            out.push(' ');
            out.push_str(&scalar(other, indent + 2));
            out.push('\n');
        }
    }
}

fn emit_sequence(items: &[Value], indent: usize, out: &mut String) {
    let pad = " ".repeat(indent);
    for item in items {
        out.push_str(&pad);
        out.push_str("- ");
        emit_item(item, indent + 2, out);
    }
}

/// A list item's value, the `- ` already written.
fn emit_item(item: &Value, indent: usize, out: &mut String) {
    match item {
        Value::Mapping(m) if !m.is_empty() => emit_mapping_body(item, indent, out),
        Value::Sequence(inner) if !inner.is_empty() => {
            // `- - a`: the first inner item on the same line.
            let pad = " ".repeat(indent);
            for (i, x) in inner.iter().enumerate() {
                if i > 0 {
                    out.push_str(&pad);
                }
                out.push_str("- ");
                emit_item(x, indent + 2, out);
            }
        }
        other => {
            out.push_str(&scalar(other, indent));
            out.push('\n');
        }
    }
}

/// A scalar as YAML text; a block scalar's lines are indented by `indent`.
fn scalar(v: &Value, indent: usize) -> String {
    match v {
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        // `2`, not `2.0`: points as people write them.
        Value::Number(n) => match n.as_f64() {
            Some(x) if n.is_f64() && x.fract() == 0.0 && x.abs() < 1e15 => {
                format!("{}", x as i64)
            }
            _ => n.to_string(),
        },
        Value::String(s) => string(s, indent),
        Value::Sequence(_) => "[]".into(),
        Value::Mapping(_) => "{}".into(),
        Value::Tagged(t) => scalar(&t.value, indent),
    }
}

/// Words YAML 1.1 reads as booleans or null, whatever their case.
const RESERVED: [&str; 9] = ["y", "n", "yes", "no", "on", "off", "true", "false", "null"];

fn string(s: &str, indent: usize) -> String {
    if plain_is_safe(s) {
        return s.to_string();
    }
    if s.contains('\n') && block_is_safe(s) {
        let chomp = if s.ends_with("\n\n") {
            "+"
        } else if s.ends_with('\n') {
            ""
        } else {
            "-"
        };
        let pad = " ".repeat(indent);
        let mut out = format!("|{chomp}");
        let body = s.strip_suffix('\n').unwrap_or(s);
        for line in body.split('\n') {
            out.push('\n');
            if !line.is_empty() {
                out.push_str(&pad);
                out.push_str(line);
            }
        }
        return out;
    }
    // JSON's string syntax is YAML's double-quoted style.
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into())
}

/// A plain scalar every parser reads as this string: it starts with a
/// letter (YAML's indicators `- ? : , [ ] { } # & * ! | > ' " % @` and the
/// digits of numbers are ASCII non-letters), holds no `: ` or ` #`, does not
/// end with `:` or a space, and is not a word YAML 1.1 reads as a boolean or
/// null. Inside a block-context scalar every other character is itself.
fn plain_is_safe(s: &str) -> bool {
    let Some(first) = s.chars().next() else {
        return false;
    };
    let starts_well =
        first.is_alphabetic() || (!first.is_ascii() && !first.is_whitespace() && !special(first));
    if !starts_well
        || s.ends_with(char::is_whitespace)
        || s.ends_with(':')
        || s.contains(": ")
        || s.contains(" #")
        || s.contains('\t')
    {
        return false;
    }
    if RESERVED.contains(&s.to_ascii_lowercase().as_str()) {
        return false;
    }
    s.chars().all(|c| !c.is_control() && !special(c))
}

/// Characters YAML treats as line ends or that editors may drop.
fn special(c: char) -> bool {
    c.is_control() || matches!(c, '\u{feff}' | '\u{85}' | '\u{2028}' | '\u{2029}')
}

/// A literal block keeps every character as written, but cannot start with
/// a space (its indentation would be read from it) and holds no control
/// character but the line ends.
fn block_is_safe(s: &str) -> bool {
    !s.starts_with([' ', '\t', '\n'])
        && s.chars().all(|c| {
            (c == '\n' || !c.is_control())
                && !matches!(c, '\u{feff}' | '\u{85}' | '\u{2028}' | '\u{2029}')
        })
        && !s.contains("\r")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_the_documented_keys_only() {
        let bank = BankFile {
            chapter: "intro".into(),
            title: "Quiz: one".into(),
            questions: vec![QuestionFile {
                id: "q1".into(),
                kind: "single".into(),
                prompt: "Which #1?".into(),
                options: vec![
                    OptionFile::Text("yes".into()),
                    OptionFile::Detailed {
                        text: "no".into(),
                        pin: false,
                        feedback: Some("Not so.".into()),
                    },
                ],
                answer: Some(serde_yaml::Value::String("A".into())),
                ..Default::default()
            }],
            ..Default::default()
        };
        let text = to_yaml(&bank, "from test.gift");
        assert!(text.starts_with("# from test.gift\nchapter: intro\ntitle: \"Quiz: one\"\nquestions:\n\n- id: q1\n  type: single\n"), "{text}");
        assert!(
            text.contains("  - text: \"no\"\n    feedback: Not so.\n"),
            "{text}"
        );
        let back: serde_yaml::Value = serde_yaml::from_str(&text).unwrap();
        assert_eq!(
            back["questions"][0]["answer"],
            serde_yaml::Value::String("A".into())
        );
        assert_eq!(
            back["questions"][0]["options"][1]["text"],
            serde_yaml::Value::String("no".into())
        );
    }

    /// What YAML 1.1 parsers read as something else is quoted; plain
    /// words, Chinese text and multi-line texts stay readable.
    #[test]
    fn strings_read_the_same_in_any_yaml_parser() {
        let s = |t: &str| string(t, 2);
        assert_eq!(s("="), "\"=\"");
        assert_eq!(s("yes"), "\"yes\"");
        assert_eq!(s("On"), "\"On\"");
        assert_eq!(s("1:20"), "\"1:20\"");
        assert_eq!(s("4"), "\"4\"");
        assert_eq!(s("0x1F"), "\"0x1F\"");
        assert_eq!(s("~"), "\"~\"");
        assert_eq!(s("<<"), "\"<<\"");
        assert_eq!(s("- x"), "\"- x\"");
        assert_eq!(s("a: b"), "\"a: b\"");
        assert_eq!(s("客户服务"), "客户服务");
        assert_eq!(s("（待补充）"), "（待补充）");
        assert_eq!(s("Grant's *tomb* a\\_b"), "Grant's *tomb* a\\_b");
        assert_eq!(s("*bold*"), "\"*bold*\"");
        assert_eq!(s("a #b"), "\"a #b\"");
        assert_eq!(s("None"), "None");
        assert_eq!(s("Which one is right?"), "Which one is right?");
        assert_eq!(s("line one\nline two"), "|-\n  line one\n  line two");
        assert_eq!(s("two  \nbreak\n"), "|\n  two  \n  break");
        assert_eq!(s(" lead\nx"), "\" lead\\nx\"");
        for text in [
            "=",
            "yes",
            "1:20",
            "line one\n\nline two\n",
            "tab\there",
            "\"q\" 'a'",
            "Grant's *tomb* a\\_b",
        ] {
            let yaml = format!("k: {}\n", string(text, 2));
            let back: std::collections::BTreeMap<String, String> =
                serde_yaml::from_str(&yaml).unwrap();
            assert_eq!(back["k"], text, "{yaml}");
        }
    }
}
