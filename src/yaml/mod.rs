//! Every YAML document of a course is parsed here and nowhere else.
//!
//! serde_yaml is archived upstream: keeping it behind this one module means a
//! fork can replace it by editing one file. serde gives no positions for
//! values, so a second, position-only pass (yaml-rust2's marked events) records
//! where each key and list item starts; validation that happens after
//! deserialising (duplicate ids, out-of-range answers) uses it to point at the
//! right line.

mod errors;
mod expansion;
mod nul;
mod spans;

use std::collections::HashMap;
use std::path::Path;

use serde::de::DeserializeOwned;

use crate::diagnostic::Diagnostic;
use errors::to_diagnostic;
use nul::without_nul;
use spans::spans_of;

/// A 1-based position in the file the YAML came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Pos {
    pub line: usize,
    pub column: usize,
}

/// Where each node of a document starts, by path: `""` is the root,
/// `"questions/2/answer"` the key `answer` of the third question.
#[derive(Debug, Default, Clone)]
pub struct Spans {
    map: HashMap<String, Pos>,
}

impl Spans {
    pub fn get(&self, path: &str) -> Option<Pos> {
        self.map.get(path).copied()
    }

    /// The position of `path`, or of its nearest recorded ancestor.
    pub fn at(&self, path: &str) -> Pos {
        let mut p = path;
        loop {
            if let Some(pos) = self.map.get(p) {
                return *pos;
            }
            match p.rfind('/') {
                Some(i) => p = &p[..i],
                None => {
                    return self
                        .map
                        .get("")
                        .copied()
                        .unwrap_or(Pos { line: 1, column: 1 })
                }
            }
        }
    }
}

/// Parses `text` into `T`. `line_offset` is the number of lines of the file
/// above `text` (front matter starts below its `---`).
pub fn parse<T: DeserializeOwned>(
    text: &str,
    file: &Path,
    line_offset: usize,
) -> Result<(T, Spans), Diagnostic> {
    let text = &*without_nul(text);
    let text_for_serde = if text.trim().is_empty() { "{}" } else { text };
    // Before serde_yaml builds anything: aliases could make it build gigabytes.
    if let Some(d) = expansion::check(text, file, line_offset) {
        return Err(d);
    }
    match serde_yaml::from_str::<T>(text_for_serde) {
        Ok(value) => {
            let mut spans = Spans {
                map: spans_of(text).map,
            };
            if line_offset > 0 {
                for pos in spans.map.values_mut() {
                    pos.line += line_offset;
                }
            }
            Ok((value, spans))
        }
        Err(err) => Err(to_diagnostic(&err, text, file, line_offset)),
    }
}

/// Parses a document into a generic value (used where the shape is checked by hand).
pub fn parse_value(
    text: &str,
    file: &Path,
    line_offset: usize,
) -> Result<(serde_yaml::Value, Spans), Diagnostic> {
    parse::<serde_yaml::Value>(text, file, line_offset)
}

#[cfg(test)]
mod tests {
    use super::*;
    use errors::fullwidth_colon_key;
    use std::borrow::Cow;

    #[test]
    fn no_string_read_from_yaml_holds_a_nul() {
        let text = "z: 中文中文\na: \"x\\0y\\x00z\\u0000w\\U00000000v\"\nb: \"\\\\0 \\\" \\0\"\nc: plain\\0\nd: |\n  block \\0\ne: \"客\\0户\"\nf: raw\0nul\n";
        let (v, _) = parse_value(text, Path::new("t.yaml"), 0).unwrap();
        let get = |k: &str| v.get(k).and_then(|s| s.as_str()).unwrap().to_string();
        assert_eq!(get("a"), "x\u{FFFD}y\u{FFFD}z\u{FFFD}w\u{FFFD}v");
        // `\\0` is a backslash and a zero; `\"` does not end the string.
        assert_eq!(get("b"), "\\0 \" \u{FFFD}");
        // Outside double quotes a backslash is a backslash.
        assert_eq!(get("c"), "plain\\0");
        assert_eq!(get("d"), "block \\0\n");
        assert_eq!(get("e"), "客\u{FFFD}户");
        assert_eq!(get("f"), "raw\u{FFFD}nul");
        // Nothing to do: the text is not copied.
        assert!(matches!(without_nul("a: b\n"), Cow::Borrowed(_)));
    }
    use serde::Deserialize;

    #[derive(Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Doc {
        title: String,
        #[serde(default)]
        items: Vec<Item>,
    }
    #[derive(Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Item {
        id: String,
        #[serde(default)]
        answer: Option<String>,
    }

    #[test]
    fn records_positions_of_keys_and_items() {
        let text = "title: 标题\nitems:\n  - id: a\n    answer: B\n  - id: b\n";
        let (_doc, spans): (Doc, _) = parse(text, Path::new("x.yaml"), 0).unwrap();
        assert_eq!(spans.get("title").unwrap().line, 1);
        assert_eq!(spans.get("items/0").unwrap().line, 3);
        assert_eq!(spans.get("items/0/answer").unwrap().line, 4);
        assert_eq!(spans.get("items/1/id").unwrap().line, 5);
        assert_eq!(spans.at("items/1/answer").line, 5);
    }

    #[test]
    fn fullwidth_colons_after_keys_only() {
        assert_eq!(fullwidth_colon_key("title：客户"), Some(6));
        assert_eq!(fullwidth_colon_key("  - id：q1"), Some(7));
        assert_eq!(
            fullwidth_colon_key("title: 客户：服务"),
            None,
            "in a value it is text"
        );
        assert_eq!(fullwidth_colon_key("# 注意：这是注释"), None);
        assert_eq!(fullwidth_colon_key("客户 服务：x"), None, "not a key");
    }

    #[test]
    fn offset_moves_lines() {
        let (_doc, spans): (Doc, _) = parse("title: t\n", Path::new("x.md"), 1).unwrap();
        assert_eq!(spans.get("title").unwrap().line, 2);
    }

    #[test]
    fn unknown_key_suggests_nearest() {
        let err = parse::<Doc>("titel: x\n", Path::new("x.yaml"), 0).unwrap_err();
        assert!(
            err.message.contains("unknown field `titel`"),
            "{}",
            err.message
        );
        let hint = err.hint.clone().unwrap_or_default();
        assert!(hint.contains("did you mean `title`"), "{hint}");
        assert_eq!(err.line, 1);
    }

    #[test]
    fn syntax_error_has_line() {
        let err =
            parse::<Doc>("title: x\nitems:\n  - id: [a\n", Path::new("x.yaml"), 10).unwrap_err();
        assert!(err.line >= 13, "{:?}", err);
    }
}
