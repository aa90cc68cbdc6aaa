//! No string read from YAML holds a NUL.

use std::borrow::Cow;

use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::{Marker, TScalarStyle};

/// does for Markdown: a NUL byte (which YAML itself refuses), and the escapes
/// `\0`, `\x00`, `\u0000` and `\U00000000` of double-quoted strings, which
/// would otherwise carry a NUL into titles, questions and the pages built
/// from them. Every YAML document passes here, so no string read from YAML
/// holds a NUL. The escapes are rewritten as `\uFFFD` only inside the
/// double-quoted scalars the YAML parser found to hold a NUL, so a `\0` in a
/// plain or block scalar (a backslash and a zero, as written) stays as it is.
pub(super) fn without_nul(text: &str) -> Cow<'_, str> {
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
