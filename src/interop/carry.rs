//! What a format cannot carry, carried in a comment the other system
//! ignores: `// lectern: points=2; pin=C; scoring=partial` in GIFT. Export
//! writes the fields of a question (or a bank) that its import would not
//! give back as they were; import lays them over what it read, so lectern →
//! GIFT → lectern returns the same bank.
//!
//! The comment is `key=value` pairs separated by `;`. A value is a bare word
//! (letters, digits, `_ . , -`: a number, `true`/`false`, `null` for "not
//! set", or a text) or JSON (a quoted text, a list, an object). `pin=A,C`
//! pins the options with those letters.

use serde_yaml::{Mapping, Value};

use super::bank_yaml::{OptionFile, QuestionFile};
use crate::quiz::choices::letter;

/// The fields of `original` that `imported` (what the import of the
/// exported text gives) lacks or has otherwise, with `null` for a field the
/// import adds.
pub fn difference(original: &QuestionFile, imported: &QuestionFile) -> Mapping {
    let (Ok(Value::Mapping(a)), Ok(Value::Mapping(b))) = (
        serde_yaml::to_value(original),
        serde_yaml::to_value(imported),
    ) else {
        return Mapping::new();
    };
    let mut out = Mapping::new();
    for (key, value) in &a {
        if b.get(key) != Some(value) {
            if key.as_str() == Some("options") {
                if let Some(pins) = pins_only(original, imported) {
                    out.insert(Value::from("pin"), Value::from(pins));
                    continue;
                }
            }
            out.insert(key.clone(), value.clone());
        }
    }
    for key in b.keys() {
        if !a.contains_key(key) {
            out.insert(key.clone(), Value::Null);
        }
    }
    out
}

/// `A,C` when the options differ only in these letters being pinned.
fn pins_only(original: &QuestionFile, imported: &QuestionFile) -> Option<String> {
    let unpinned: Vec<OptionFile> = original.options.iter().map(unpin).collect();
    if unpinned != imported.options {
        return None;
    }
    let letters: Vec<String> = original
        .options
        .iter()
        .enumerate()
        .filter(|(_, o)| matches!(o, OptionFile::Detailed { pin: true, .. }))
        .map(|(i, _)| letter(i).to_string())
        .collect();
    Some(letters.join(","))
}

fn unpin(o: &OptionFile) -> OptionFile {
    match o {
        OptionFile::Detailed {
            text,
            feedback: None,
            ..
        } => OptionFile::Text(text.clone()),
        OptionFile::Detailed { text, feedback, .. } => OptionFile::Detailed {
            text: text.clone(),
            pin: false,
            feedback: feedback.clone(),
        },
        other => other.clone(),
    }
}

/// `fields` laid over the question `q`.
pub fn apply(q: &QuestionFile, fields: &Mapping) -> Result<QuestionFile, String> {
    let Ok(Value::Mapping(mut map)) = serde_yaml::to_value(q) else {
        return Err("the question cannot be written".into());
    };
    let mut pins = None;
    for (key, value) in fields {
        match key.as_str() {
            Some("pin") => pins = Some(value.clone()),
            _ if value.is_null() => {
                map.remove(key);
            }
            _ => {
                map.insert(key.clone(), value.clone());
            }
        }
    }
    let mut out: QuestionFile =
        serde_yaml::from_value(Value::Mapping(map)).map_err(|e| e.to_string())?;
    if let Some(pins) = pins {
        let text = pins.as_str().unwrap_or_default().to_string();
        for name in text.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            let index = out
                .options
                .iter()
                .enumerate()
                .position(|(i, _)| letter(i).to_string() == name)
                .ok_or_else(|| format!("`pin={text}` names no option `{name}`"))?;
            let o = &mut out.options[index];
            *o = OptionFile::Detailed {
                text: o.text().to_string(),
                pin: true,
                feedback: match o {
                    OptionFile::Detailed { feedback, .. } => feedback.clone(),
                    OptionFile::Text(_) => None,
                },
            };
        }
    }
    Ok(out)
}

/// The comment's text for `fields` (without the `// lectern:` marker).
pub fn encode(fields: &Mapping) -> String {
    let parts: Vec<String> = fields
        .iter()
        .map(|(k, v)| format!("{}={}", k.as_str().unwrap_or_default(), value_text(v)))
        .collect();
    parts.join("; ")
}

fn value_text(v: &Value) -> String {
    if let Value::String(s) = v {
        if bare_word(s) && matches!(bare_value(s), Value::String(_)) {
            return s.clone();
        }
    }
    if let Some(x) = v.as_f64().filter(|x| x.fract() == 0.0 && x.abs() < 1e15) {
        return format!("{}", x as i64);
    }
    if let Value::Number(_) | Value::Bool(_) | Value::Null = v {
        if let Ok(text) = serde_json::to_string(v) {
            return text;
        }
    }
    let json = serde_json::to_string(v).unwrap_or_else(|_| "null".into());
    // Moodle reads `[id:…]` and `[tag:…]` in any comment: inside a JSON text
    // the bracket is written as an escape so no quoted text names one.
    json.replace("[id:", "\\u005bid:")
        .replace("[tag:", "\\u005btag:")
}

fn bare_word(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | ',' | '-'))
}

fn bare_value(s: &str) -> Value {
    match s {
        "true" => Value::Bool(true),
        "false" => Value::Bool(false),
        "null" => Value::Null,
        _ => match s.parse::<i64>() {
            Ok(n) => Value::from(n),
            Err(_) => match s.parse::<f64>() {
                Ok(x) if x.is_finite() => Value::from(x),
                _ => Value::String(s.to_string()),
            },
        },
    }
}

/// Reads the comment's text back into fields.
pub fn decode(text: &str) -> Result<Mapping, String> {
    let mut out = Mapping::new();
    let mut rest = text.trim();
    while !rest.is_empty() {
        let Some(eq) = rest.find('=') else {
            return Err(format!("`{rest}` is not `key=value`"));
        };
        let key = rest[..eq].trim();
        if key.is_empty() || !key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            return Err(format!("`{key}` is not a field name"));
        }
        let after = rest[eq + 1..].trim_start();
        let (value, remaining) = if after.starts_with(['"', '[', '{']) {
            let mut stream =
                serde_json::Deserializer::from_str(after).into_iter::<serde_json::Value>();
            let json = match stream.next() {
                Some(Ok(v)) => v,
                Some(Err(e)) => return Err(format!("the value of `{key}`: {e}")),
                None => return Err(format!("`{key}` has no value")),
            };
            let used = stream.byte_offset();
            let value = serde_yaml::to_value(json).map_err(|e| e.to_string())?;
            (value, &after[used..])
        } else {
            let end = after.find(';').unwrap_or(after.len());
            (bare_value(after[..end].trim()), &after[end..])
        };
        out.insert(Value::from(key), value);
        rest = remaining.trim_start();
        if let Some(r) = rest.strip_prefix(';') {
            rest = r.trim_start();
        } else if !rest.is_empty() {
            return Err(format!("expected `;` before `{rest}`"));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_round_trip_through_the_comment() {
        let mut fields = Mapping::new();
        fields.insert("points".into(), Value::from(2.5));
        fields.insert("pin".into(), Value::from("A,C"));
        fields.insert("scoring".into(), Value::from("partial"));
        fields.insert("explanation".into(), Value::Null);
        fields.insert("prompt".into(), Value::from("a; b = \"c\"\n[tag:x]"));
        fields.insert("id".into(), Value::from("123"));
        fields.insert(
            "answer".into(),
            serde_yaml::from_str::<Value>("[[a, b], c]").unwrap(),
        );
        let text = encode(&fields);
        assert!(
            text.starts_with("points=2.5; pin=A,C; scoring=partial; explanation=null; prompt=\""),
            "{text}"
        );
        assert!(!text.contains("[tag:"), "{text}");
        assert!(!text.contains('\n'), "{text}");
        assert_eq!(decode(&text).unwrap(), fields);
        assert!(decode("points").is_err());
        assert!(decode("prompt=\"open").is_err());
    }
}
