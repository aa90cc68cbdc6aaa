//! Reading a parsed YAML value field by field, so that every mistake of a file
//! is reported with its line, not only the first one serde would stop at.
//!
//! serde's derive stops at the first error and says nothing of where a value
//! was; question banks are long and written by hand, so the bank and exam
//! readers walk the generic value instead and record each problem with the
//! position that `yaml::Spans` kept for its path.

use std::path::Path;

use serde_yaml::{Mapping, Value};

use crate::diagnostic::{nearest, Diagnostic};
use crate::yaml::Spans;

/// Where diagnostics go while one file is read.
pub struct Reader<'a> {
    pub file: &'a Path,
    pub spans: &'a Spans,
    pub diagnostics: Vec<Diagnostic>,
}

impl<'a> Reader<'a> {
    pub fn new(file: &'a Path, spans: &'a Spans) -> Self {
        Reader {
            file,
            spans,
            diagnostics: Vec::new(),
        }
    }

    /// The line of `path` (or of its nearest recorded ancestor).
    pub fn line(&self, path: &str) -> usize {
        self.spans.at(path).line
    }

    pub fn error(&mut self, path: &str, message: impl Into<String>) -> &mut Diagnostic {
        let pos = self.spans.at(path);
        self.diagnostics
            .push(Diagnostic::error(self.file, pos.line, pos.column, message));
        self.diagnostics.last_mut().expect("just pushed")
    }

    pub fn error_hint(&mut self, path: &str, message: impl Into<String>, hint: impl Into<String>) {
        let d = self.error(path, message);
        d.hint = Some(hint.into());
    }

    pub fn warning(&mut self, path: &str, message: impl Into<String>, hint: Option<String>) {
        let pos = self.spans.at(path);
        let mut d = Diagnostic::warning(self.file, pos.line, pos.column, message);
        d.hint = hint;
        self.diagnostics.push(d);
    }

    /// `value` as a mapping whose keys are all in `known`; unknown keys are
    /// reported with the nearest valid one.
    pub fn mapping<'v>(
        &mut self,
        value: &'v Value,
        path: &str,
        what: &str,
        known: &[&str],
    ) -> Option<&'v Mapping> {
        let Some(map) = value.as_mapping() else {
            self.error_hint(
                path,
                format!(
                    "{what} should be a mapping of `key: value` lines, found {}",
                    describe(value)
                ),
                format!("valid keys: {}", known.join(", ")),
            );
            return None;
        };
        for key in map.keys() {
            let name = scalar_text(key).unwrap_or_default();
            if !known.contains(&name.as_str()) {
                let hint = match nearest(&name, known.iter().copied()) {
                    Some(best) => {
                        format!("did you mean `{best}`? valid keys: {}", known.join(", "))
                    }
                    None => format!("valid keys: {}", known.join(", ")),
                };
                self.error_hint(
                    &join(path, &name),
                    format!("unknown key `{name}` in {what}"),
                    hint,
                );
            }
        }
        Some(map)
    }

    /// A text field: strings, and numbers or booleans written bare (`options: [20%, 50]`).
    pub fn text(&mut self, map: &Mapping, path: &str, key: &str) -> Option<String> {
        let value = map.get(key)?;
        self.text_value(value, &join(path, key), key)
    }

    pub fn text_value(&mut self, value: &Value, path: &str, what: &str) -> Option<String> {
        match scalar_text(value) {
            Some(s) => Some(s),
            None if value.is_null() => {
                self.error_hint(
                    path,
                    format!("`{what}` is empty"),
                    "write a value after the colon, or remove the line",
                );
                None
            }
            None => {
                self.error_hint(
                    path,
                    format!("`{what}` should be text, found {}", describe(value)),
                    "quote text that YAML would read as something else, e.g. \"[A] 选项\"",
                );
                None
            }
        }
    }

    /// A required, non-blank text field.
    pub fn required_text(
        &mut self,
        map: &Mapping,
        path: &str,
        key: &str,
        what: &str,
    ) -> Option<String> {
        if !map.contains_key(key) {
            self.error_hint(
                path,
                format!("{what} has no `{key}`"),
                format!("add `{key}: …`"),
            );
            return None;
        }
        let text = self.text(map, path, key)?;
        if text.trim().is_empty() {
            self.error_hint(
                &join(path, key),
                format!("`{key}` is empty"),
                format!("write the {key} after the colon"),
            );
            return None;
        }
        Some(text)
    }

    pub fn number(&mut self, map: &Mapping, path: &str, key: &str) -> Option<f64> {
        let value = map.get(key)?;
        match value {
            Value::Number(n) if n.as_f64().is_some_and(f64::is_finite) => n.as_f64(),
            _ => {
                self.error_hint(
                    &join(path, key),
                    format!("`{key}` should be a number, found {}", describe(value)),
                    format!("e.g. `{key}: 2`"),
                );
                None
            }
        }
    }

    /// A number that must be positive and at most `MAX_POINTS` (points,
    /// weights, caps): sums of such numbers over any bank or exam stay
    /// finite, where `points: 1e308` twice once added up to "inf".
    pub fn positive(&mut self, map: &Mapping, path: &str, key: &str) -> Option<f64> {
        let n = self.number(map, path, key)?;
        if n <= 0.0 {
            self.error_hint(
                &join(path, key),
                format!("`{key}` must be greater than 0, found {n}"),
                format!("e.g. `{key}: 2`"),
            );
            return None;
        }
        if n > MAX_POINTS || !n.is_finite() {
            self.error_hint(
                &join(path, key),
                format!(
                    "`{key}` {} is too large: at most {MAX_POINTS}",
                    // 1e308 would print as 309 digits.
                    if n < 1e6 {
                        n.to_string()
                    } else {
                        format!("{n:e}")
                    }
                ),
                format!("a question is usually worth 1 to 100 points, e.g. `{key}: 2`"),
            );
            return None;
        }
        Some(n)
    }

    pub fn percent(&mut self, map: &Mapping, path: &str, key: &str) -> Option<f64> {
        let n = self.number(map, path, key)?;
        if !(0.0..=100.0).contains(&n) {
            self.error_hint(
                &join(path, key),
                format!("`{key}` {n} is not a percentage"),
                "use a number from 0 to 100",
            );
            return None;
        }
        Some(n)
    }

    pub fn integer(&mut self, map: &Mapping, path: &str, key: &str) -> Option<u64> {
        let value = map.get(key)?;
        match value.as_u64() {
            Some(n) => Some(n),
            None => {
                self.error_hint(
                    &join(path, key),
                    format!(
                        "`{key}` should be a whole number of 0 or more, found {}",
                        describe(value)
                    ),
                    format!("e.g. `{key}: 10`"),
                );
                None
            }
        }
    }

    pub fn boolean(&mut self, map: &Mapping, path: &str, key: &str) -> Option<bool> {
        let value = map.get(key)?;
        match value.as_bool() {
            Some(b) => Some(b),
            None => {
                self.error_hint(
                    &join(path, key),
                    format!("`{key}` should be true or false, found {}", describe(value)),
                    format!("`{key}: true` or `{key}: false`"),
                );
                None
            }
        }
    }

    /// A list of texts; a single text is a list of one (`tags: 投诉`).
    pub fn text_list(&mut self, map: &Mapping, path: &str, key: &str) -> Vec<String> {
        let Some(value) = map.get(key) else {
            return Vec::new();
        };
        let path = join(path, key);
        match value {
            Value::Sequence(items) => items
                .iter()
                .enumerate()
                .filter_map(|(i, item)| self.text_value(item, &join(&path, &i.to_string()), key))
                .collect(),
            Value::Null => Vec::new(),
            other => self.text_value(other, &path, key).into_iter().collect(),
        }
    }

    /// The items of a list field, each with its path.
    pub fn list<'v>(
        &mut self,
        map: &'v Mapping,
        path: &str,
        key: &str,
    ) -> Option<Vec<(String, &'v Value)>> {
        let value = map.get(key)?;
        let path = join(path, key);
        match value {
            Value::Sequence(items) => Some(
                items
                    .iter()
                    .enumerate()
                    .map(|(i, v)| (join(&path, &i.to_string()), v))
                    .collect(),
            ),
            other => {
                self.error_hint(
                    &path,
                    format!("`{key}` should be a list, found {}", describe(other)),
                    "write each item on its own line starting with `- `",
                );
                None
            }
        }
    }
}

/// A scalar as the text a teacher wrote (`20%`, `3`, `true`).
pub fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Tagged(t) => scalar_text(&t.value),
        _ => None,
    }
}

/// What a value is, in words, for "expected …, found …" messages.
pub fn describe(value: &Value) -> String {
    match value {
        Value::Null => "nothing".into(),
        Value::Bool(b) => format!("`{b}`"),
        Value::Number(n) => format!("the number {n}"),
        Value::String(s) => format!("the text \"{}\"", s.chars().take(30).collect::<String>()),
        Value::Sequence(_) => "a list".into(),
        Value::Mapping(_) => "a mapping".into(),
        Value::Tagged(t) => describe(&t.value),
    }
}

/// The most one question, sub-question, key point or exam section's
/// questions may be worth.
pub const MAX_POINTS: f64 = 1000.0;

pub fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}/{key}")
    }
}
