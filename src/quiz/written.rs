//! Questions answered in writing: fill-in blanks, short answers with key
//! points (答题要点) and case questions made of such parts.

use serde_yaml::{Mapping, Value};

use super::fields::{join, scalar_text, Reader};
use super::model::*;
use crate::markdown::untrusted::count_blanks;

const KEY_POINT_KEYS: &[&str] = &["text", "synonyms", "weight"];
const PART_KEYS: &[&str] = &["prompt", "points", "key_points", "cap", "reference"];

pub(super) fn read_fill(
    r: &mut Reader,
    map: &Mapping,
    path: &str,
    prompt: &str,
    id: &str,
) -> Option<Body> {
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

pub(super) fn read_rubric(r: &mut Reader, map: &Mapping, path: &str, id: &str) -> Option<Rubric> {
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

pub(super) fn read_case(
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
