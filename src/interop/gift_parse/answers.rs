//! An answer block: its kind (Moodle's order of tests) and its answers with
//! weights and feedback.

use super::escapes::{escape_post, with_format};
use super::{Choice, Kind, Number, NumericAnswer, ShortAnswer, Text, TextFormat};

/// `%50%`, `%-33.333%`: Moodle's `/^%\-*([0-9]{1,2})\.?([0-9]*)%/`.
pub(super) fn split_weight(answer: &str) -> Option<(f64, &str)> {
    let rest = answer.strip_prefix('%')?;
    let end = rest.find('%')?;
    let number = &rest[..end];
    let digits = number.trim_start_matches('-');
    let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
    let valid = !int.is_empty()
        && int.chars().all(|c| c.is_ascii_digit())
        && frac.chars().all(|c| c.is_ascii_digit());
    if !valid {
        return None;
    }
    let negative = number.len() > digits.len();
    let value: f64 = format!("{int}.{}", if frac.is_empty() { "0" } else { frac })
        .parse()
        .ok()?;
    Some((
        if negative { -value } else { value } / 100.0,
        &rest[end + 1..],
    ))
}

/// Moodle's `commentparser`: `answer#feedback`.
fn answer_and_feedback(answer: &str, default: TextFormat) -> (Text, Option<Text>) {
    match answer.split_once('#') {
        Some((a, f)) => {
            let feedback = with_format(f, default);
            (
                with_format(a, default),
                (!feedback.text.is_empty()).then_some(feedback),
            )
        }
        None => (with_format(answer, default), None),
    }
}

/// Splits like PHP's `explode` after Moodle's trim of the first piece and
/// removal of an empty one.
fn answers(text: &str, separator: char) -> Vec<&str> {
    let mut parts: Vec<&str> = text.split(separator).collect();
    if parts.first().is_some_and(|p| p.trim().is_empty()) {
        parts.remove(0);
    }
    parts.into_iter().map(str::trim).collect()
}

/// The type and answers of an answer block (without its general feedback).
pub(super) fn read_kind(answer_text: &str, format: TextFormat) -> Result<Kind, String> {
    if answer_text.is_empty() {
        return Ok(Kind::Essay);
    }
    if let Some(numbers) = answer_text.strip_prefix('#') {
        return numerical(numbers, format);
    }
    if answer_text.contains('~') {
        let single = answer_text.contains('=');
        let replaced = answer_text.replace('=', "~=");
        let mut choices = Vec::new();
        for answer in answers(&replaced, '~') {
            let (weight, rest) = if let Some(rest) = answer.strip_prefix('=') {
                (1.0, rest)
            } else if let Some((w, rest)) = split_weight(answer) {
                (w, rest)
            } else {
                (0.0, answer)
            };
            let (text, feedback) = answer_and_feedback(rest, format);
            choices.push(Choice {
                text,
                weight,
                feedback,
            });
        }
        if choices.len() < 2 {
            return Err("a multiple-choice question needs at least two answers".into());
        }
        return Ok(Kind::MultipleChoice { single, choices });
    }
    if answer_text.contains('=') && answer_text.contains("->") {
        let mut pairs = Vec::new();
        for answer in answers(answer_text, '=') {
            let Some((left, right)) = answer.split_once("->") else {
                return Err(format!(
                    "a matching answer needs `->` between its two sides: `={answer}`"
                ));
            };
            pairs.push((
                with_format(left, format),
                escape_post(right).trim().to_string(),
            ));
        }
        if pairs.len() < 2 {
            return Err("a matching question needs at least two pairs".into());
        }
        return Ok(Kind::Matching(pairs));
    }
    let check = match answer_text.find('#') {
        Some(p) if p > 0 => answer_text[..p].trim(),
        _ => answer_text,
    };
    if matches!(check, "T" | "TRUE" | "F" | "FALSE") {
        let mut bits = answer_text.splitn(3, '#');
        let answer = bits.next().unwrap_or_default().trim();
        let feedback = |b: Option<&str>| {
            b.map(|t| with_format(t.trim(), format))
                .filter(|t| !t.text.is_empty())
        };
        let wrong_feedback = feedback(bits.next());
        let right_feedback = feedback(bits.next());
        return Ok(Kind::TrueFalse {
            answer: matches!(answer, "T" | "TRUE"),
            wrong_feedback,
            right_feedback,
        });
    }
    let mut list = Vec::new();
    for answer in answers(answer_text, '=') {
        let (weight, rest) = split_weight(answer).unwrap_or((1.0, answer));
        let (text, feedback) = answer_and_feedback(rest, TextFormat::Html);
        list.push(ShortAnswer {
            text: text.text,
            weight,
            feedback,
        });
    }
    if list.is_empty() {
        return Err("a short-answer question needs at least one answer".into());
    }
    Ok(Kind::ShortAnswer(list))
}

fn numerical(text: &str, format: TextFormat) -> Result<Kind, String> {
    let (text, wrong) = match text.find('~') {
        Some(p) => (&text[..p], Some(&text[p..])),
        None => (text, None),
    };
    let mut list = Vec::new();
    for answer in answers(text, '=') {
        let (weight, rest) = split_weight(answer).unwrap_or((1.0, answer));
        let (value, feedback) = answer_and_feedback(rest, format);
        let written = value.text;
        let bad =
            || format!("`{written}` is not a number, a `number:tolerance` or a `min..max` range");
        let number = if written == "*" {
            Number::Any
        } else if let Some((min, max)) = written.split_once("..").filter(|(a, _)| !a.is_empty()) {
            let min: f64 = min.trim().parse().map_err(|_| bad())?;
            let max: f64 = max.trim().parse().map_err(|_| bad())?;
            Number::Range { min, max }
        } else if let Some((v, t)) = written.split_once(':').filter(|(a, _)| !a.is_empty()) {
            Number::Value {
                value: v.trim().parse().map_err(|_| bad())?,
                tolerance: t.trim().parse().map_err(|_| bad())?,
                written: v.trim().to_string(),
            }
        } else {
            Number::Value {
                value: written.trim().parse().map_err(|_| bad())?,
                tolerance: 0.0,
                written: written.trim().to_string(),
            }
        };
        list.push(NumericAnswer {
            number,
            weight,
            feedback,
        });
    }
    if list.is_empty() {
        return Err("a numerical question needs at least one answer".into());
    }
    let wrong_feedback = wrong
        .map(|w| answer_and_feedback(w.trim_start_matches('~'), format).1)
        .unwrap_or(None);
    Ok(Kind::Numerical {
        answers: list,
        wrong_feedback,
    })
}
