//! `numerical` questions (计算题): the accepted numbers of `answer` — an
//! exact value, a value with a tolerance, a range, or a list of these with
//! weights for partly right answers.

use serde_yaml::{Mapping, Value};

use super::fields::{describe, join, Reader};
use super::model::*;

const ANSWER_KEYS: &[&str] = &["value", "tolerance", "min", "max", "weight"];

const EXAMPLE: &str = "`answer: 4`, `answer: {value: 1822, tolerance: 5}`, `answer: {min: 1, max: 5}`, or a list of these, e.g. `- {value: 5, weight: 50}` for half the points";

pub(super) fn read_numerical(r: &mut Reader, map: &Mapping, path: &str, id: &str) -> Option<Body> {
    let answer_path = join(path, "answer");
    let Some(value) = map.get("answer") else {
        r.error_hint(
            path,
            format!("question `{id}` has no `answer`"),
            format!("give the accepted number: {EXAMPLE}"),
        );
        return None;
    };
    let items: Vec<(String, &Value)> = match value {
        Value::Sequence(list) => list
            .iter()
            .enumerate()
            .map(|(i, v)| (format!("{answer_path}[{i}]"), v))
            .collect(),
        one => vec![(answer_path.clone(), one)],
    };
    if items.is_empty() {
        r.error_hint(
            &answer_path,
            format!("question `{id}` accepts no number"),
            format!("give at least one: {EXAMPLE}"),
        );
        return None;
    }
    let mut answers = Vec::new();
    let mut ok = true;
    for (item_path, item) in items {
        match read_answer(r, item, &item_path, id) {
            Some(a) => answers.push(a),
            None => ok = false,
        }
    }
    if !ok {
        return None;
    }
    if !answers.iter().any(|a| a.weight >= 1.0 - 1e-9) {
        r.error_hint(
            &answer_path,
            format!("no answer of `{id}` earns full points"),
            "leave `weight` out (100) on the right answer; weights below 100 are for partly right ones",
        );
        return None;
    }
    Some(Body::Numerical { answers })
}

fn number_of(value: &Value) -> Option<f64> {
    match value {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
    .filter(|x: &f64| x.is_finite())
}

fn read_answer(r: &mut Reader, item: &Value, path: &str, id: &str) -> Option<NumericAnswer> {
    if let Some(value) = number_of(item) {
        return Some(NumericAnswer {
            accepts: NumberRange::Value {
                value,
                tolerance: 0.0,
            },
            weight: 1.0,
        });
    }
    if !item.is_mapping() {
        r.error_hint(
            path,
            format!(
                "an answer of `{id}` should be a number or a mapping, found {}",
                describe(item)
            ),
            EXAMPLE,
        );
        return None;
    }
    let m = r.mapping(item, path, "a numerical answer", ANSWER_KEYS)?;
    let weight = match m.get("weight") {
        Some(_) => {
            let w = r.percent(m, path, "weight")?;
            if w <= 0.0 {
                r.error_hint(
                    &join(path, "weight"),
                    "an answer worth 0 % accepts nothing: leave it out",
                    "a weight is a percentage of the points, from above 0 to 100",
                );
                return None;
            }
            w / 100.0
        }
        None => 1.0,
    };
    let has = |k: &str| m.contains_key(k);
    let accepts = if has("value") {
        if has("min") || has("max") {
            r.error_hint(
                path,
                format!("an answer of `{id}` gives both `value` and `min`/`max`"),
                "give `value` (with an optional `tolerance`) or a range `min` and `max`",
            );
            return None;
        }
        let value = r.number(m, path, "value")?;
        let tolerance = match m.get("tolerance") {
            Some(_) => r.number(m, path, "tolerance")?,
            None => 0.0,
        };
        if tolerance < 0.0 {
            r.error_hint(
                &join(path, "tolerance"),
                format!("`tolerance` cannot be negative, found {tolerance}"),
                "the answer is right from value − tolerance to value + tolerance",
            );
            return None;
        }
        NumberRange::Value { value, tolerance }
    } else if has("min") && has("max") {
        if has("tolerance") {
            r.error_hint(
                &join(path, "tolerance"),
                "`tolerance` belongs with `value`, not with a range",
                "widen `min` and `max` instead",
            );
            return None;
        }
        let min = r.number(m, path, "min")?;
        let max = r.number(m, path, "max")?;
        if min > max {
            r.error_hint(
                path,
                format!("the range of `{id}` runs from {min} down to {max}"),
                "write the smaller number as `min`",
            );
            return None;
        }
        NumberRange::Range { min, max }
    } else {
        r.error_hint(
            path,
            format!("an answer of `{id}` has no `value` and no `min` and `max`"),
            EXAMPLE,
        );
        return None;
    };
    Some(NumericAnswer { accepts, weight })
}
