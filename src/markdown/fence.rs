//! A code fence's info string, read the way the tools courses come from
//! write it: the language is the first word, everything after it is
//! attributes, and attributes are never shown.
//!
//! - CommonMark / GitHub: ```` ```python ````
//! - mdBook and rustdoc, after a comma: ```` ```rust,ignore ````,
//!   ```` ```rust,editable ````, ```` ```python,hidelines=!!! ````; a fence
//!   naming only rustdoc's test attributes (```` ```no_run ````) is Rust, as
//!   rustdoc reads it
//! - Zola, after commas: ```` ```rust,linenos,linenostart=20,hl_lines=1 3-5 ````
//! - Hugo and Pandoc, in braces: ```` ```go {linenos=true, hl_lines=[2,"4-5"]} ````,
//!   ```` ```{.python .numberLines} ````
//!
//! Of the attributes, lectern acts on `linenos`, `linenostart` and
//! `hl_lines`; the others are read and ignored.

/// What a fence's info string asks for.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct FenceInfo {
    /// The language as written (first word); empty when the fence names none.
    pub lang: String,
    /// Number the lines (`linenos`).
    pub linenos: bool,
    /// The first line's number (`linenostart`, 1 unless given).
    pub linenostart: usize,
    /// Lines to mark (`hl_lines`), 1-based inclusive ranges counted from
    /// the block's first line whatever `linenostart` is.
    pub hl_lines: Vec<(usize, usize)>,
    /// Attribute values lectern could not read, in words.
    pub problems: Vec<String>,
}

/// rustdoc's code block attributes: a fence with only these is Rust.
const RUSTDOC_ATTRIBUTES: &[&str] = &[
    "ignore",
    "no_run",
    "should_panic",
    "compile_fail",
    "test_harness",
    "standalone_crate",
    "allow_fail",
];

/// Words that are attributes wherever they stand (mdBook's and rustdoc's).
fn is_flag_attribute(word: &str) -> bool {
    let w = word.to_ascii_lowercase();
    RUSTDOC_ATTRIBUTES.contains(&w.as_str())
        || w.starts_with("edition")
        || w.starts_with("ignore-")
        || matches!(
            w.as_str(),
            "editable" | "noplayground" | "noplaypen" | "mdbook-runnable" | "linenos"
        )
}

fn is_rustdoc_attribute(word: &str) -> bool {
    let w = word.to_ascii_lowercase();
    RUSTDOC_ATTRIBUTES.contains(&w.as_str()) || w.starts_with("edition") || w.starts_with("ignore-")
}

/// The most lines `hl_lines` may name in one range: a typo such as
/// `1-100000000` must not make a block cost memory.
const MAX_LINE: usize = 1_000_000;

impl FenceInfo {
    /// Reads an info string. Never fails: what cannot be read is skipped and
    /// described in `problems`.
    pub fn parse(info: &str) -> FenceInfo {
        let mut fence = FenceInfo {
            linenostart: 1,
            ..FenceInfo::default()
        };
        let info = info.trim();
        // Split off a `{…}` part (Hugo, Pandoc); the rest is comma-separated
        // (mdBook, rustdoc, Zola).
        let (outside, braces) = match info.find('{') {
            Some(i) => {
                let inner = &info[i + 1..];
                let inner = inner.strip_suffix('}').unwrap_or(inner);
                (&info[..i], Some(inner))
            }
            None => (info, None),
        };
        let mut attributes: Vec<&str> = Vec::new();
        let mut rustdoc_only = false;
        for (i, part) in outside.split(',').enumerate() {
            let part = part.trim();
            if part.is_empty() {
                continue;
            }
            if i == 0 {
                // The language is the first word; further words are attributes.
                let mut words = part.split_whitespace();
                let first = words.next().unwrap_or("");
                if first.contains('=') || is_flag_attribute(first) {
                    rustdoc_only = is_rustdoc_attribute(first);
                    attributes.push(part);
                } else {
                    fence.lang = first.to_string();
                    attributes.extend(words);
                }
            } else if part.contains('=') {
                // `hl_lines=1 3-5`: the value may hold spaces.
                attributes.push(part);
            } else {
                attributes.extend(part.split_whitespace());
            }
        }
        let brace_items = braces.map(split_brace_items).unwrap_or_default();
        for item in &brace_items {
            // Pandoc: `.python` names the language, `#id` and other classes are ignored.
            if let Some(class) = item.strip_prefix('.') {
                if fence.lang.is_empty() && !class.is_empty() {
                    fence.lang = class.to_string();
                }
            } else if !item.starts_with('#') {
                if fence.lang.is_empty() && !item.contains('=') && !is_flag_attribute(item) {
                    // `{r}` (R Markdown): a bare word names the language.
                    fence.lang = item.to_string();
                } else {
                    attributes.push(item);
                }
            }
        }
        for attr in attributes {
            fence.apply(attr);
        }
        if fence.lang.is_empty() && rustdoc_only {
            fence.lang = "rust".to_string();
        }
        fence
    }

    /// Acts on one attribute (`linenos`, `linenostart=…`, `hl_lines=…`).
    fn apply(&mut self, attr: &str) {
        let (key, value) = match attr.split_once('=') {
            Some((k, v)) => (k.trim(), Some(unquote(v.trim()))),
            None => (attr.trim(), None),
        };
        match (key.to_ascii_lowercase().as_str(), value) {
            // Hugo: linenos=true|table|inline|false.
            ("linenos", None) => self.linenos = true,
            ("linenos", Some(v)) => self.linenos = !matches!(v, "false" | "no" | "0"),
            ("linenostart", Some(v)) => match v.parse::<usize>() {
                Ok(n) if n <= MAX_LINE => self.linenostart = n,
                _ => self.problems.push(format!(
                    "`linenostart={v}` is not a line number (write a whole number such as `linenostart=10`)"
                )),
            },
            ("hl_lines", Some(v)) => match parse_line_ranges(v) {
                Ok(ranges) => self.hl_lines.extend(ranges),
                Err(bad) => self.problems.push(format!(
                    "`hl_lines` has `{bad}`, which is not a line or a range of lines (write `hl_lines=1 3-5`)"
                )),
            },
            _ => {}
        }
    }

    /// Whether the `n`th line of the block (1-based) is marked by `hl_lines`.
    pub fn is_marked(&self, n: usize) -> bool {
        self.hl_lines.iter().any(|&(a, b)| a <= n && n <= b)
    }

    /// Whether the block is written line by line (numbers or marked lines).
    pub fn has_line_features(&self) -> bool {
        self.linenos || !self.hl_lines.is_empty()
    }
}

/// Splits `a=1, b=[2,"4-5"] .c` at commas and spaces outside brackets and quotes.
fn split_brace_items(inner: &str) -> Vec<&str> {
    let mut items = Vec::new();
    let (mut depth, mut quote, mut start) = (0i32, None::<char>, 0);
    for (i, c) in inner.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '[') => depth += 1,
            (None, ']') => depth -= 1,
            (None, ',' | ' ' | '\t') if depth <= 0 => {
                if !inner[start..i].trim().is_empty() {
                    items.push(inner[start..i].trim());
                }
                start = i + c.len_utf8();
            }
            _ => {}
        }
    }
    if !inner[start..].trim().is_empty() {
        items.push(inner[start..].trim());
    }
    items
}

fn unquote(v: &str) -> &str {
    v.trim_matches(|c| c == '"' || c == '\'')
}

/// `1 3-5`, `[8,"15-17"]`, `"2 4"` → inclusive ranges. Err holds the first
/// piece that is not a line or a range.
fn parse_line_ranges(value: &str) -> Result<Vec<(usize, usize)>, String> {
    let mut ranges = Vec::new();
    let cleaned = value.trim_matches(|c| c == '[' || c == ']');
    for piece in cleaned.split(|c: char| c == ',' || c.is_whitespace()) {
        let piece = unquote(piece.trim());
        if piece.is_empty() {
            continue;
        }
        let number = |s: &str| {
            s.trim()
                .parse::<usize>()
                .ok()
                .filter(|n| (1..=MAX_LINE).contains(n))
        };
        let range = match piece.split_once('-') {
            Some((a, b)) => number(a).zip(number(b)).filter(|(a, b)| a <= b),
            None => number(piece).map(|n| (n, n)),
        };
        match range {
            Some(r) => ranges.push(r),
            None => return Err(piece.to_string()),
        }
    }
    Ok(ranges)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lang(info: &str) -> String {
        FenceInfo::parse(info).lang
    }

    #[test]
    fn language_is_the_first_word() {
        assert_eq!(lang("python"), "python");
        assert_eq!(lang("  Python  "), "Python");
        assert_eq!(lang(""), "");
        assert_eq!(lang("rust ignore"), "rust");
        assert_eq!(lang("c++"), "c++");
    }

    #[test]
    fn attributes_after_a_comma_are_not_the_language() {
        assert_eq!(lang("rust,ignore"), "rust");
        assert_eq!(lang("rust,editable"), "rust");
        assert_eq!(lang("rust, no_run"), "rust");
        assert_eq!(lang("python,hidelines=!!!"), "python");
        assert_eq!(lang("rust,noplayground"), "rust");
        assert_eq!(lang("rust,edition2021,should_panic"), "rust");
    }

    #[test]
    fn attributes_in_braces_are_not_the_language() {
        assert_eq!(lang("go {linenos=true}"), "go");
        assert_eq!(lang("go{hl_lines=[1]}"), "go");
        assert_eq!(lang("{.python .numberLines}"), "python");
        assert_eq!(lang("{r}"), "r");
        assert_eq!(lang("{r echo=FALSE}"), "r");
        assert_eq!(lang("{#id .js}"), "js");
    }

    #[test]
    fn rustdoc_attributes_alone_mean_rust_and_mdbook_ones_mean_nothing() {
        assert_eq!(lang("ignore"), "rust");
        assert_eq!(lang("no_run"), "rust");
        assert_eq!(lang("should_panic,edition2018"), "rust");
        assert_eq!(lang("editable"), "");
        assert_eq!(lang("hidelines=#"), "");
        assert_eq!(lang("linenos"), "");
    }

    #[test]
    fn zola_line_attributes() {
        let f = FenceInfo::parse("rust,linenos,linenostart=20,hl_lines=1 3-5");
        assert_eq!(f.lang, "rust");
        assert!(f.linenos);
        assert_eq!(f.linenostart, 20);
        assert_eq!(f.hl_lines, vec![(1, 1), (3, 5)]);
        assert!(f.is_marked(4) && !f.is_marked(2) && !f.is_marked(6));
        assert!(f.problems.is_empty());
    }

    #[test]
    fn hugo_line_attributes() {
        let f = FenceInfo::parse(r#"go {linenos=table,hl_lines=[8,"15-17"],linenostart=199}"#);
        assert_eq!(f.lang, "go");
        assert!(f.linenos);
        assert_eq!(f.linenostart, 199);
        assert_eq!(f.hl_lines, vec![(8, 8), (15, 17)]);
        let f = FenceInfo::parse(r#"go {hl_lines="2 4-5" linenos=false}"#);
        assert!(!f.linenos);
        assert_eq!(f.hl_lines, vec![(2, 2), (4, 5)]);
    }

    #[test]
    fn unreadable_values_are_problems_not_failures() {
        let f = FenceInfo::parse("rust,hl_lines=1 x-3,linenostart=abc");
        assert_eq!(f.lang, "rust");
        assert!(f.hl_lines.is_empty());
        assert_eq!(f.problems.len(), 2, "{:?}", f.problems);
        assert!(f.problems[0].contains("x-3"));
        let f = FenceInfo::parse("rust,hl_lines=5-2");
        assert_eq!(f.problems.len(), 1);
        let f = FenceInfo::parse("rust,hl_lines=1-99999999999");
        assert_eq!(f.problems.len(), 1);
    }

    #[test]
    fn plain_fences_have_no_line_features() {
        assert!(!FenceInfo::parse("rust,ignore").has_line_features());
        assert!(FenceInfo::parse("rust,linenos").has_line_features());
        assert!(FenceInfo::parse("rust,hl_lines=2").has_line_features());
    }
}
