//! mdBook's link preprocessor, as real books use it: `{{#include file}}`
//! with a line range (`:N`, `:N:M`, `:N:`, `::M`) or an anchor (`:name`,
//! between `ANCHOR: name` and `ANCHOR_END: name` lines),
//! `{{#rustdoc_include}}` (the same, lines outside the range left out),
//! `{{#playground file}}` (the file as a Rust code block) and
//! `{{#title …}}`. `\{{#…}}` is kept as written without the backslash; any
//! other `{{#…}}` is a warning at its line.
//!
//! Included files are read through the course's trust boundary: a path
//! that leads out of the book (or a special file) is refused with a
//! warning, never read.

use std::path::{Path, PathBuf};

use crate::content::discover::SourceFile;
use crate::diagnostic::Diagnostic;
use crate::source_files::{text, Boundary};

/// How deep includes may nest (mdBook's own limit).
const MAX_DEPTH: usize = 10;

/// What expanding a page's directives gives.
#[derive(Debug, Default)]
pub struct Expanded {
    pub text: String,
    /// From `{{#title …}}`: the page's title in the browser's tab.
    pub title: Option<String>,
}

/// Expands the directives of the page `s` (whose text is `source`).
pub fn expand(
    source: &str,
    s: &SourceFile,
    root: &Path,
    warnings: &mut Vec<Diagnostic>,
) -> Expanded {
    let mut out = Expanded::default();
    let base = s.abs.parent().map(Path::to_path_buf).unwrap_or_default();
    let context = Context {
        boundary: Boundary::new(root),
        page: &s.display,
    };
    out.text = context.expand(source, &base, 0, warnings, &mut out.title);
    out
}

struct Context<'a> {
    boundary: Boundary,
    page: &'a Path,
}

impl Context<'_> {
    fn expand(
        &self,
        source: &str,
        base: &Path,
        depth: usize,
        warnings: &mut Vec<Diagnostic>,
        title: &mut Option<String>,
    ) -> String {
        if !source.contains("{{") {
            return source.to_string();
        }
        let mut out = String::with_capacity(source.len());
        let mut rest = source;
        let mut consumed = 0usize;
        while let Some(at) = rest.find("{{") {
            let escaped = at > 0 && rest.as_bytes()[at - 1] == b'\\';
            let after = &rest[at + 2..];
            let Some(end) = after.find("}}") else { break };
            let inner = &after[..end];
            let Some(directive) = inner.trim_start().strip_prefix('#') else {
                out.push_str(&rest[..at + 2]);
                consumed += at + 2;
                rest = &rest[at + 2..];
                continue;
            };
            if inner.contains('\n') {
                out.push_str(&rest[..at + 2]);
                consumed += at + 2;
                rest = &rest[at + 2..];
                continue;
            }
            let whole_len = 2 + end + 2;
            if escaped {
                out.push_str(&rest[..at - 1]);
                out.push_str(&rest[at..at + whole_len]);
            } else {
                out.push_str(&rest[..at]);
                let line = depth_line(source, consumed + at);
                let (name, args) = match directive.trim().split_once(char::is_whitespace) {
                    Some((n, a)) => (n, a.trim()),
                    None => (directive.trim(), ""),
                };
                match name {
                    // mdBook only expands a directive that names a file:
                    // `{{#include}}` alone (in prose about mdBook) stays text.
                    "include" | "rustdoc_include" | "playground" | "playpen" if args.is_empty() => {
                        out.push_str(&rest[at..at + whole_len]);
                    }
                    "include" | "rustdoc_include" => {
                        if let Some(t) = self.include(args, base, depth, line, warnings, title) {
                            out.push_str(&t);
                        }
                    }
                    "playground" | "playpen" => {
                        let file = args.split_whitespace().next().unwrap_or("");
                        if let Some(t) = self.include(file, base, depth, line, warnings, title) {
                            out.push_str("```rust\n");
                            out.push_str(t.trim_end_matches('\n'));
                            out.push_str("\n```");
                        }
                    }
                    "title" => *title = Some(args.to_string()),
                    other => warnings.push(
                        Diagnostic::warning(
                            self.page,
                            line,
                            0,
                            format!("unknown mdBook directive `{{{{#{other}}}}}`, kept as written"),
                        )
                        .with_hint("lectern understands {{#include}}, {{#rustdoc_include}}, {{#playground}} and {{#title}}; write `\\{{#…}}` to show the text as it is"),
                    ),
                }
                if !matches!(
                    name,
                    "include" | "rustdoc_include" | "playground" | "playpen" | "title"
                ) {
                    out.push_str(&rest[at..at + whole_len]);
                }
            }
            consumed += at + whole_len;
            rest = &rest[at + whole_len..];
        }
        out.push_str(rest);
        out
    }

    fn include(
        &self,
        args: &str,
        base: &Path,
        depth: usize,
        line: usize,
        warnings: &mut Vec<Diagnostic>,
        title: &mut Option<String>,
    ) -> Option<String> {
        let spec = args.split_whitespace().next().unwrap_or("");
        let (file, selector) = split_selector(spec);
        if file.is_empty() {
            warnings.push(
                Diagnostic::warning(self.page, line, 0, "`{{#include}}` names no file")
                    .with_hint("write `{{#include path/to/file.rs}}`, relative to this page"),
            );
            return None;
        }
        if depth >= MAX_DEPTH {
            warnings.push(
                Diagnostic::warning(
                    self.page,
                    line,
                    0,
                    format!("`{file}` is included more than {MAX_DEPTH} levels deep, left out"),
                )
                .with_hint("an included file probably includes itself"),
            );
            return None;
        }
        let path: PathBuf = base.join(file);
        let shown = self.boundary.display(&path);
        if let Err(d) = self.boundary.check(&path) {
            // A warning, as mdBook only logs it: the directive is dropped.
            warnings.push(Diagnostic {
                severity: crate::diagnostic::Severity::Warning,
                file: self.page.to_path_buf(),
                line,
                column: 0,
                message: format!("cannot include `{file}`: {}", d.message),
                ..d
            });
            return None;
        }
        let content = match text::read(&path, &shown) {
            Ok(t) => t,
            Err(d) => {
                warnings.push(
                    Diagnostic::warning(
                        self.page,
                        line,
                        0,
                        format!("cannot include `{file}`: {}", d.message),
                    )
                    .with_hint(format!(
                        "check the path: it is relative to this page's folder ({})",
                        shown.display()
                    )),
                );
                return None;
            }
        };
        let selected = match selector {
            Selector::All => without_anchor_lines(content.lines()),
            Selector::Lines(start, end) => {
                let lines: Vec<&str> = content.lines().collect();
                let from = start.saturating_sub(1).min(lines.len());
                let to = end.unwrap_or(lines.len()).min(lines.len()).max(from);
                without_anchor_lines(lines[from..to].iter().copied())
            }
            Selector::Anchor(name) => match anchored(&content, name) {
                Some(t) => t,
                None => {
                    warnings.push(
                        Diagnostic::warning(self.page, line, 0, format!("`{file}` has no anchor `{name}`"))
                            .with_hint("mark the lines in that file with `ANCHOR: name` and `ANCHOR_END: name` comments"),
                    );
                    String::new()
                }
            },
        };
        let nested_base = path.parent().map(Path::to_path_buf).unwrap_or_default();
        Some(self.expand(&selected, &nested_base, depth + 1, warnings, title))
    }
}

enum Selector<'a> {
    All,
    /// 1-based, inclusive.
    Lines(usize, Option<usize>),
    Anchor(&'a str),
}

fn split_selector(spec: &str) -> (&str, Selector<'_>) {
    let Some((file, sel)) = spec.split_once(':') else {
        return (spec, Selector::All);
    };
    let number = |s: &str| s.trim().parse::<usize>().ok();
    let selector = match sel.split_once(':') {
        Some((a, b)) => match (a.trim(), b.trim()) {
            ("", "") => Selector::All,
            ("", b) => Selector::Lines(1, number(b)),
            (a, "") => Selector::Lines(number(a).unwrap_or(1), None),
            (a, b) => Selector::Lines(number(a).unwrap_or(1), number(b)),
        },
        None if sel.trim().is_empty() => Selector::All,
        None => match number(sel) {
            Some(n) => Selector::Lines(n, Some(n)),
            None => Selector::Anchor(sel.trim()),
        },
    };
    (file, selector)
}

fn is_anchor_line(line: &str) -> bool {
    marker(line, "ANCHOR:").is_some() || marker(line, "ANCHOR_END:").is_some()
}

/// The anchor name after `tag` in a line (`// ANCHOR: here` → `here`).
fn marker<'a>(line: &'a str, tag: &str) -> Option<&'a str> {
    let at = line.find(tag)?;
    let name: &str = line[at + tag.len()..].trim_start();
    let end = name
        .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-'))
        .unwrap_or(name.len());
    (end > 0).then(|| &name[..end])
}

fn without_anchor_lines<'a>(lines: impl Iterator<Item = &'a str>) -> String {
    let kept: Vec<&str> = lines.filter(|l| !is_anchor_line(l)).collect();
    kept.join("\n")
}

fn anchored(content: &str, name: &str) -> Option<String> {
    let mut kept = Vec::new();
    let mut inside = false;
    let mut found = false;
    for line in content.lines() {
        if inside {
            if marker(line, "ANCHOR_END:") == Some(name) {
                inside = false;
                continue;
            }
            if !is_anchor_line(line) {
                kept.push(line);
            }
        } else if marker(line, "ANCHOR:") == Some(name) {
            inside = true;
            found = true;
        }
    }
    found.then(|| kept.join("\n"))
}

/// The 1-based line of a byte offset (includes count the lines of the page
/// they are written in, not of what they bring in).
fn depth_line(source: &str, offset: usize) -> usize {
    source[..offset.min(source.len())].matches('\n').count() + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn selectors() {
        assert!(matches!(split_selector("a.rs"), ("a.rs", Selector::All)));
        assert!(matches!(
            split_selector("a.rs:3"),
            ("a.rs", Selector::Lines(3, Some(3)))
        ));
        assert!(matches!(
            split_selector("a.rs:2:4"),
            ("a.rs", Selector::Lines(2, Some(4)))
        ));
        assert!(matches!(
            split_selector("a.rs:2:"),
            ("a.rs", Selector::Lines(2, None))
        ));
        assert!(matches!(
            split_selector("a.rs::4"),
            ("a.rs", Selector::Lines(1, Some(4)))
        ));
        assert!(matches!(
            split_selector("a.rs:here"),
            ("a.rs", Selector::Anchor("here"))
        ));
    }

    #[test]
    fn anchors_are_cut_and_their_markers_dropped() {
        let src = "fn a() {}\n// ANCHOR: here\nfn b() {}\n// ANCHOR: other\nfn c() {}\n// ANCHOR_END: other\n// ANCHOR_END: here\nfn d() {}\n";
        assert_eq!(anchored(src, "here").unwrap(), "fn b() {}\nfn c() {}");
        assert_eq!(anchored(src, "missing"), None);
        assert_eq!(
            without_anchor_lines(src.lines()),
            "fn a() {}\nfn b() {}\nfn c() {}\nfn d() {}"
        );
    }
}
