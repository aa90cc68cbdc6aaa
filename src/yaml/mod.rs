//! Every YAML document of a course is parsed here and nowhere else.
//!
//! serde_yaml is archived upstream: keeping it behind this one module means a
//! fork can replace it by editing one file. serde gives no positions for
//! values, so a second, position-only pass (yaml-rust2's marked events) records
//! where each key and list item starts; validation that happens after
//! deserialising (duplicate ids, out-of-range answers) uses it to point at the
//! right line.

use std::borrow::Cow;
use std::collections::HashMap;
use std::path::Path;

use serde::de::DeserializeOwned;
mod expansion;

use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::{Marker, TScalarStyle};

use crate::diagnostic::{nearest, Diagnostic};

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

fn to_diagnostic(
    err: &serde_yaml::Error,
    text: &str,
    file: &Path,
    line_offset: usize,
) -> Diagnostic {
    let (mut line, mut column) = err
        .location()
        .map(|l| (l.line() + line_offset, l.column()))
        .unwrap_or((line_offset.max(1), 0));
    let full = err.to_string();
    // serde_yaml appends " at line L column C"; the location is printed separately.
    let message = match full.find(" at line ") {
        Some(i) => full[..i].to_string(),
        None => full.clone(),
    };
    // An unclosed quote or bracket is found where the file ends (or where the
    // next line no longer fits), often far below the mistake; libyaml also
    // says where the quoted value or the list started, which is the line to
    // fix.
    if let Some((what, l, c)) = unclosed_context(&full) {
        let d = Diagnostic::error(
            file,
            l + line_offset,
            c,
            format!("this is not valid YAML: {what} is not closed"),
        );
        return d.with_hint(match what {
            "a quoted value" => {
                "close the quote on the same value: every \" or ' needs its partner"
            }
            "a `[` list" => "close the list with `]`, or write one `- item` per line",
            _ => "close the mapping with `}`, or write one `key: value` per line",
        });
    }
    if let Some(d) = plain_words_for(&full, text, file, line_offset, (line, column)) {
        return d;
    }
    let mut hint = hint_for(&message);
    let mut message = humanize(&message);
    // YAML forbids tabs in indentation; the parser only says it met a
    // character that cannot start a token.
    if full.contains("cannot start any token") {
        let source_line = text.lines().nth(line.saturating_sub(line_offset + 1));
        let tab_indent = |l: &str| {
            l.chars()
                .take_while(|c| c.is_whitespace())
                .any(|c| c == '\t')
        };
        if source_line.is_some_and(tab_indent) {
            message = "this is not valid YAML: a tab is used for indentation".into();
            hint = Some("indent with spaces only: YAML does not allow tabs".into());
        }
    }
    // A key written twice: serde points at the mapping that holds it; the
    // position pass knows where the second one is.
    if let Some(key) = duplicated_key(&message) {
        if let Some(pos) = spans_of(text)
            .duplicates
            .iter()
            .find(|(path, _)| path.rsplit('/').next() == Some(key.as_str()))
            .map(|(_, pos)| *pos)
        {
            line = pos.line + line_offset;
            column = pos.column;
        }
        message = format!("the key `{key}` is written twice");
        hint = Some(format!("keep one `{key}:` line and delete the other"));
    }
    let mut d = Diagnostic::error(file, line, column, message);
    if let Some(hint) = hint {
        d = d.with_hint(hint);
    }
    d
}

/// For "… not closed" syntax errors: what was left open and where it
/// started (1-based line and column within the parsed text).
fn unclosed_context(full: &str) -> Option<(&'static str, usize, usize)> {
    let (problem, context) = full.split_once(", while ")?;
    let what = if context.starts_with("scanning a quoted scalar") {
        "a quoted value"
    } else if context.starts_with("parsing a flow sequence") {
        "a `[` list"
    } else if context.starts_with("parsing a flow mapping") {
        "a `{` mapping"
    } else {
        return None;
    };
    if !(problem.contains("unexpected end of stream") || problem.contains("did not find expected"))
    {
        return None;
    }
    let at = context.split(" at line ").nth(1)?;
    let mut numbers = at.split(" column ");
    let line = numbers.next()?.trim().parse().ok()?;
    let column = numbers
        .next()?
        .trim()
        .trim_end_matches(|c: char| !c.is_ascii_digit())
        .parse()
        .ok()?;
    Some((what, line, column))
}

/// serde_yaml's messages that name no line or speak of Rust, each said as
/// what to change at the line it concerns.
fn plain_words_for(
    full: &str,
    text: &str,
    file: &Path,
    line_offset: usize,
    (line, column): (usize, usize),
) -> Option<Diagnostic> {
    // `title：标题` (a Chinese keyboard's colon) is no key at all to YAML,
    // whose complaint then points at indentation or types: find the line.
    if let Some((i, col)) = text
        .lines()
        .enumerate()
        .find_map(|(i, l)| fullwidth_colon_key(l).map(|c| (i, c)))
    {
        return Some(
            Diagnostic::error(
                file,
                i + 1 + line_offset,
                col,
                "this line uses a full-width colon `：`; YAML needs an ASCII colon `:` followed by a space",
            )
            .with_hint("write `key: value` with the colon of an English keyboard"),
        );
    }
    if full.contains("more than one document is not supported") {
        let (i, _) = text
            .lines()
            .enumerate()
            .skip(1)
            .find(|(_, l)| l.trim_end() == "---" || l.starts_with("--- "))
            .unwrap_or((line.saturating_sub(line_offset + 1), ""));
        return Some(
            Diagnostic::error(
                file,
                i + 1 + line_offset,
                1,
                "a second YAML document starts here (`---`); a file holds one document",
            )
            .with_hint("remove this `---` line, or move what follows it into a file of its own"),
        );
    }
    if full.contains("as u128") || full.contains("as i128") {
        return Some(
            Diagnostic::error(file, line, column, "this number is too large")
                .with_hint("write a whole number of at most 19 digits"),
        );
    }
    if full.contains("recursion limit exceeded") {
        return Some(
            Diagnostic::error(
                file,
                line,
                column,
                "this value nests lists or mappings too deeply",
            )
            .with_hint("YAML here may nest at most a hundred levels: flatten the structure"),
        );
    }
    if full.contains("repetition limit exceeded") {
        return Some(
            Diagnostic::error(file, line, column, "the aliases of this document repeat values too often")
                .with_hint("an alias (`*name`) repeats the value its anchor (`&name`) names: write the values out instead"),
        );
    }
    None
}

/// The column of a `：` ending a key (`title：…`, no ASCII colon before it).
fn fullwidth_colon_key(line: &str) -> Option<usize> {
    let at = line.find('：')?;
    let key = line[..at].trim_start().trim_start_matches("- ");
    let is_key = !key.is_empty()
        && !line[..at].contains(':')
        && !line.trim_start().starts_with('#')
        && key
            .chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '-');
    is_key.then(|| line[..at].chars().count() + 1)
}

/// The key of "duplicate field `x`" (structs) or "duplicate entry with key "x"" (mappings).
fn duplicated_key(message: &str) -> Option<String> {
    if let Some(rest) = message.split("duplicate field `").nth(1) {
        return rest.split('`').next().map(str::to_string);
    }
    let rest = message.split("duplicate entry with key \"").nth(1)?;
    rest.split('"').next().map(str::to_string)
}

/// Turns serde's wording into something a teacher can act on.
fn humanize(message: &str) -> String {
    if message.contains("unexpected end of stream") {
        "this is not valid YAML: a quoted value or bracket is not closed".to_string()
    } else if message.contains("did not find expected")
        || message.contains("mapping values are not allowed")
        || message.contains("found character that cannot start")
    {
        format!("this is not valid YAML: {message}")
    } else {
        plain_types(message)
    }
}

/// serde names Rust types ("expected i64", "expected struct FrontMatter");
/// say what the teacher has to write instead.
fn plain_types(message: &str) -> String {
    let mut out = message.to_string();
    if let Some(i) = out.find("expected struct ") {
        let end = out[i + 16..]
            .find(|c: char| !c.is_alphanumeric() && c != '_')
            .map(|e| i + 16 + e)
            .unwrap_or(out.len());
        out.replace_range(i..end, "expected a mapping of `key: value` lines");
    }
    for (rust, plain) in [
        ("expected i64", "expected a whole number"),
        ("expected u64", "expected a whole number of 0 or more"),
        ("expected u32", "expected a whole number of 0 or more"),
        ("expected usize", "expected a whole number of 0 or more"),
        ("expected f64", "expected a number"),
    ] {
        if out.ends_with(rust) {
            out = format!("{}{plain}", &out[..out.len() - rust.len()]);
        }
    }
    out
}

fn hint_for(message: &str) -> Option<String> {
    if let Some(rest) = message.split("unknown field `").nth(1) {
        let unknown = rest.split('`').next().unwrap_or("");
        let expected: Vec<&str> = message
            .split("expected one of ")
            .nth(1)
            .or_else(|| message.split("expected ").nth(1))
            .map(|list| {
                list.split([',', ' '])
                    .filter(|s| !s.is_empty() && *s != "or")
                    .map(|s| s.trim().trim_matches('`'))
                    .collect()
            })
            .unwrap_or_default();
        return Some(match nearest(unknown, expected.iter().copied()) {
            Some(best) => format!("did you mean `{best}`? valid keys: {}", expected.join(", ")),
            None => format!("valid keys: {}", expected.join(", ")),
        });
    }
    if let Some(rest) = message.split("missing field `").nth(1) {
        let field = rest.split('`').next().unwrap_or("");
        return Some(format!("add `{field}: …`"));
    }
    if message.contains("unknown variant") {
        if let Some(list) = message
            .split("expected one of ")
            .nth(1)
            .or_else(|| message.split("expected ").nth(1))
        {
            return Some(format!("use one of {list}"));
        }
    }
    if message.contains("unexpected end of stream")
        || message.contains("while scanning a quoted scalar")
    {
        return Some(
            "a quote or bracket is not closed: check that every \" ' [ { has its partner".into(),
        );
    }
    if message.contains("mapping values are not allowed") {
        return Some("a value containing `: ` must be quoted, e.g. title: \"A: B\"".into());
    }
    if message.contains("invalid type") && message.contains("expected struct ") {
        return Some(
            "this takes keys of its own: write them on the lines below, each `key: value` indented by two spaces".into(),
        );
    }
    if message.contains("invalid type") && message.ends_with("expected a boolean") {
        return Some("write `true` or `false`".into());
    }
    if message.contains("invalid type")
        && ["i64", "u64", "u32", "usize", "f64"]
            .iter()
            .any(|t| message.ends_with(&format!("expected {t}")))
    {
        return Some("write a number without quotes or units, e.g. `weight: 2`".into());
    }
    if message.contains("invalid type") {
        return Some(
            "check the indentation and whether this should be a list (`- item`) or a single value"
                .into(),
        );
    }
    None
}

/// Positions of every node of `text`, and of every key written a second time
/// in the same mapping.
struct Recorded {
    map: HashMap<String, Pos>,
    duplicates: Vec<(String, Pos)>,
}

fn spans_of(text: &str) -> Recorded {
    let mut recorder = SpanRecorder::default();
    let mut parser = Parser::new_from_str(text);
    // serde_yaml already accepted the text (or is reporting why not); a
    // disagreement here only costs positions.
    let _ = parser.load(&mut recorder, false);
    Recorded {
        map: recorder.map,
        duplicates: recorder.duplicates,
    }
}

enum Frame {
    /// In a mapping: the path of the mapping and the key waiting for its value.
    Map { path: String, key: Option<String> },
    /// In a sequence: the path and the index of the next item.
    Seq { path: String, next: usize },
}

#[derive(Default)]
struct SpanRecorder {
    stack: Vec<Frame>,
    map: HashMap<String, Pos>,
    duplicates: Vec<(String, Pos)>,
}

impl SpanRecorder {
    /// The path of the node that starts now, advancing the parent's state.
    /// Returns None for a mapping key (recorded separately).
    fn next_path(&mut self, scalar: Option<&str>, pos: Pos) -> Option<String> {
        match self.stack.last_mut() {
            None => Some(String::new()),
            Some(Frame::Seq { path, next }) => {
                let p = join(path, &next.to_string());
                *next += 1;
                Some(p)
            }
            Some(Frame::Map { path, key }) => match key.take() {
                Some(k) => Some(join(path, &k)),
                None => {
                    let k = scalar.unwrap_or("?").to_string();
                    let p = join(path, &k);
                    if self.map.contains_key(&p) {
                        self.duplicates.push((p.clone(), pos));
                    }
                    self.map.insert(p, pos);
                    *key = Some(k);
                    None
                }
            },
        }
    }
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}/{key}")
    }
}

impl MarkedEventReceiver for SpanRecorder {
    fn on_event(&mut self, ev: Event, mark: Marker) {
        // yaml-rust2 reports 1-based lines and 0-based columns.
        let pos = Pos {
            line: mark.line(),
            column: mark.col() + 1,
        };
        match ev {
            Event::Scalar(value, ..) => {
                if let Some(p) = self.next_path(Some(&value), pos) {
                    self.map.entry(p).or_insert(pos);
                }
            }
            Event::Alias(_) => {
                if let Some(p) = self.next_path(None, pos) {
                    self.map.entry(p).or_insert(pos);
                }
            }
            Event::SequenceStart(..) => {
                let p = self.next_path(None, pos).unwrap_or_default();
                self.map.entry(p.clone()).or_insert(pos);
                self.stack.push(Frame::Seq { path: p, next: 0 });
            }
            Event::MappingStart(..) => {
                let p = self.next_path(None, pos).unwrap_or_default();
                self.map.entry(p.clone()).or_insert(pos);
                self.stack.push(Frame::Map { path: p, key: None });
            }
            Event::SequenceEnd | Event::MappingEnd => {
                self.stack.pop();
            }
            _ => {}
        }
    }
}

/// `text` with every way of writing U+0000 replaced by U+FFFD, as CommonMark
/// does for Markdown: a NUL byte (which YAML itself refuses), and the escapes
/// `\0`, `\x00`, `\u0000` and `\U00000000` of double-quoted strings, which
/// would otherwise carry a NUL into titles, questions and the pages built
/// from them. Every YAML document passes here, so no string read from YAML
/// holds a NUL. The escapes are rewritten as `\uFFFD` only inside the
/// double-quoted scalars the YAML parser found to hold a NUL, so a `\0` in a
/// plain or block scalar (a backslash and a zero, as written) stays as it is.
fn without_nul(text: &str) -> Cow<'_, str> {
    let escaped = ["\\0", "\\x00", "\\u0000", "\\U00000000"]
        .iter()
        .any(|e| text.contains(e));
    if !escaped && !text.contains('\0') {
        return Cow::Borrowed(text);
    }
    let text = text.replace('\0', "\u{FFFD}");
    if !escaped {
        return Cow::Owned(text);
    }
    #[derive(Default)]
    struct NulScalars(Vec<usize>);
    impl MarkedEventReceiver for NulScalars {
        fn on_event(&mut self, ev: Event, mark: Marker) {
            if let Event::Scalar(value, TScalarStyle::DoubleQuoted, _, _) = &ev {
                if value.contains('\0') {
                    self.0.push(mark.index());
                }
            }
        }
    }
    let mut found = NulScalars::default();
    // A document the parser refuses is left as it is: serde_yaml reports why.
    let _ = Parser::new_from_str(&text).load(&mut found, true);
    // The marker counts characters; the rewrite works on bytes.
    let starts: Vec<usize> = found
        .0
        .iter()
        .filter_map(|&chars| text.char_indices().nth(chars).map(|(b, _)| b))
        .filter(|&b| text[b..].starts_with('"'))
        .collect();
    let mut out = String::with_capacity(text.len() + 16);
    let mut copied = 0;
    for start in starts {
        if start < copied {
            continue;
        }
        let bytes = text.as_bytes();
        let mut i = start + 1;
        while i < bytes.len() && bytes[i] != b'"' {
            if bytes[i] != b'\\' {
                i += 1;
                continue;
            }
            let rest = &text[i + 1..];
            let nul = ["0", "x00", "u0000", "U00000000"]
                .into_iter()
                .find(|e| rest.starts_with(e));
            match nul {
                Some(e) => {
                    out.push_str(&text[copied..i]);
                    out.push_str("\\uFFFD");
                    i += 1 + e.len();
                    copied = i;
                }
                // Any other escape: skip the escaped character (which may
                // be a `"` or a multi-byte one).
                None => i += 1 + rest.chars().next().map_or(0, char::len_utf8),
            }
        }
    }
    out.push_str(&text[copied..]);
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

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
