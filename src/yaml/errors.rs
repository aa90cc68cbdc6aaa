//! serde_yaml's errors, said in words: where the mistake is (not where the
//! parser gave up), what is wrong and how to fix it.

use std::path::Path;

use super::spans::spans_of;
use crate::diagnostic::{nearest, Diagnostic};

pub(super) fn to_diagnostic(
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
pub(super) fn fullwidth_colon_key(line: &str) -> Option<usize> {
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
