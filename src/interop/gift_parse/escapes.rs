//! The text of a GIFT item: Moodle's escapes, a leading `[format]`, and the
//! `[id:…]`/`[tag:…]` of its comments.

use super::{Text, TextFormat, LECTERN_COMMENT};

/// Escaped characters stand in as private-use characters while the
/// structure is read, as Moodle's `escapedchar_pre` does with `&&058;`…
const ESCAPES: [(char, char); 7] = [
    (':', '\u{F8E0}'),
    ('#', '\u{F8E1}'),
    ('=', '\u{F8E2}'),
    ('{', '\u{F8E3}'),
    ('}', '\u{F8E4}'),
    ('~', '\u{F8E5}'),
    ('n', '\u{F8E6}'),
];

pub(super) fn escape_pre(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.peek().copied() {
                Some('\\') => {
                    chars.next();
                    out.push('\\');
                    continue;
                }
                Some(next) => {
                    if let Some((_, mark)) = ESCAPES.iter().find(|(e, _)| *e == next) {
                        chars.next();
                        out.push(*mark);
                        continue;
                    }
                }
                None => {}
            }
        }
        out.push(c);
    }
    out
}

pub(super) fn escape_post(text: &str) -> String {
    text.chars()
        .map(|c| match ESCAPES.iter().find(|(_, mark)| *mark == c) {
            Some(('n', _)) => '\n',
            Some((e, _)) => *e,
            None => c,
        })
        .collect()
}

/// Moodle's `parse_text_with_format`: a leading `[format]` sets the format,
/// then escapes are resolved and the text trimmed.
/// The prefix is read after leading spaces too: Moodle's own test file
/// writes feedback as `~red # [html]wrong`, and Moodle strips the prefix.
pub(super) fn with_format(text: &str, default: TextFormat) -> Text {
    let mut format = default;
    let text = text.trim_start();
    let mut body = text;
    if let Some(rest) = text.strip_prefix('[') {
        if let Some(end) = rest.find(']') {
            let named = match &rest[..end] {
                "html" => Some(TextFormat::Html),
                "plain" => Some(TextFormat::Plain),
                "markdown" => Some(TextFormat::Markdown),
                "moodle" => Some(TextFormat::Moodle),
                _ => None,
            };
            if let Some(f) = named {
                format = f;
                body = &rest[end + 1..];
            }
        }
    }
    Text {
        text: escape_post(body).trim().to_string(),
        format,
    }
}

/// `[id:…]` and `[tag:…]` in the comments; `\]` and `\\` escape inside them.
pub(super) fn id_and_tags(comments: &str) -> (Option<String>, Vec<String>) {
    let mut id = None;
    let mut tags = Vec::new();
    // lectern's own comment may quote any text; it names no id or tag.
    let comments: String = comments
        .lines()
        .filter(|l| !l.starts_with(LECTERN_COMMENT))
        .map(|l| format!("{l}\n"))
        .collect();
    let mut rest = comments.as_str();
    while let Some(open) = rest.find('[') {
        let after = &rest[open + 1..];
        let kind = if after.starts_with("id:") {
            Some(("id", 3))
        } else if after.starts_with("tag:") {
            Some(("tag", 4))
        } else {
            None
        };
        let Some((kind, skip)) = kind else {
            rest = after;
            continue;
        };
        let mut value = String::new();
        let mut chars = after[skip..].char_indices();
        let mut end = None;
        while let Some((i, c)) = chars.next() {
            match c {
                '\\' => match chars.next() {
                    Some((_, n)) => value.push(n),
                    None => break,
                },
                ']' => {
                    end = Some(skip + i + 1);
                    break;
                }
                c => value.push(c),
            }
        }
        let Some(end) = end else { break };
        let value = value.trim().to_string();
        if !value.is_empty() {
            if kind == "id" {
                id.get_or_insert(value);
            } else {
                tags.push(value);
            }
        }
        rest = &after[end..];
    }
    (id, tags)
}
