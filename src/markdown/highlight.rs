//! Build-time code highlighting with syntect. Code becomes spans with CSS
//! classes; the theme ships one stylesheet with a light and a dark palette,
//! so no highlighter runs in the browser.
//!
//! A block is written in one of two shapes. Most blocks are one run of
//! classed spans, as syntect writes them. A block that numbers or marks lines
//! (`linenos`, `hl_lines`) or is a terminal session is written line by line:
//! each line is a `<span class="line">` whose spans are closed at its end and
//! reopened on the next, so a line can be styled, numbered (from a
//! `data-n` attribute, never as text, so a selection or the copy button never
//! takes the numbers) or left out of what the copy button copies.

use syntect::highlighting::ThemeSet;
use syntect::html::{
    css_for_theme_with_class_style, line_tokens_to_classed_spans, ClassStyle, ClassedHTMLGenerator,
};
use syntect::parsing::{ParseState, ScopeStack, SyntaxReference, SyntaxSet};
use syntect::util::LinesWithEndings;

use super::console::{self, SessionLine};
use super::fence::FenceInfo;
use super::languages::{self, Language};

const CLASS_STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };

/// Highlights `code` as its fence asks: `<div class="code-block">` around a
/// `<pre class="code"><code>` with classed spans. Languages lectern does not
/// know and plain text are escaped as they are.
pub fn highlight(code: &str, fence: &FenceInfo) -> String {
    let language = languages::resolve(&fence.lang);
    let mut classes = String::from("code");
    if fence.linenos {
        classes.push_str(" linenos");
    }
    if matches!(language, Language::Session(_)) {
        classes.push_str(" session");
    }
    let lang_attr = if fence.lang.is_empty() {
        String::new()
    } else {
        format!(" data-lang=\"{}\"", escape(&fence.lang))
    };
    let body = match language {
        Language::Session(g) => session(code, fence, g.get()),
        Language::Grammar(g) if fence.has_line_features() => by_line(code, fence, g.get()),
        Language::Grammar(g) => classed(code, g.get()),
        Language::Plain | Language::Unknown => None,
    };
    let body = body.unwrap_or_else(|| {
        if fence.has_line_features() {
            plain_lines(code, fence)
        } else {
            escape(code)
        }
    });
    format!(
        "<div class=\"code-block\"><pre class=\"{classes}\"{lang_attr}><code>{body}</code></pre></div>\n"
    )
}

/// One run of classed spans; None if the grammar fails on this code.
fn classed(code: &str, (syntax, set): (&SyntaxReference, &SyntaxSet)) -> Option<String> {
    let mut generator = ClassedHTMLGenerator::new_with_class_style(syntax, set, CLASS_STYLE);
    for line in LinesWithEndings::from(code) {
        generator
            .parse_html_for_line_which_includes_newline(line)
            .ok()?;
    }
    Some(generator.finalize())
}

/// Highlights one line at a time, each line's spans balanced.
struct LineHighlighter<'a> {
    set: &'a SyntaxSet,
    state: ParseState,
    stack: ScopeStack,
}

impl<'a> LineHighlighter<'a> {
    fn new(syntax: &SyntaxReference, set: &'a SyntaxSet) -> Self {
        LineHighlighter {
            set,
            state: ParseState::new(syntax),
            stack: ScopeStack::new(),
        }
    }

    /// The HTML of `line` (which ends with its `\n`, if it has one), without
    /// the `\n`, with the spans open at its start reopened and those open at
    /// its end closed.
    fn line(&mut self, line: &str) -> Option<String> {
        let ops = self.state.parse_line(line, self.set).ok()?;
        let mut html = String::with_capacity(line.len() * 2);
        for scope in self.stack.as_slice() {
            html.push_str("<span class=\"");
            for (k, atom) in scope.build_string().split('.').enumerate() {
                if k > 0 {
                    html.push(' ');
                }
                html.push_str("hl-");
                html.push_str(atom);
            }
            html.push_str("\">");
        }
        let (body, _) =
            line_tokens_to_classed_spans(line, &ops, CLASS_STYLE, &mut self.stack).ok()?;
        html.push_str(&body);
        // The line's own `\n` is its last character of text; markup has none.
        if line.ends_with('\n') {
            if let Some(at) = html.rfind('\n') {
                html.remove(at);
            }
        }
        for _ in 0..self.stack.len() {
            html.push_str("</span>");
        }
        Some(html)
    }
}

/// The lines of `code` without their `\n`.
fn lines(code: &str) -> impl Iterator<Item = &str> {
    code.strip_suffix('\n').unwrap_or(code).split('\n')
}

/// Opens line `n` (1-based) of a block written line by line.
fn open_line(out: &mut String, fence: &FenceInfo, n: usize, extra: &str) {
    out.push_str("<span class=\"line");
    if fence.is_marked(n) {
        out.push_str(" hl");
    }
    out.push_str(extra);
    out.push_str("\">");
    if fence.linenos {
        out.push_str(&format!(
            "<span class=\"ln\" data-n=\"{}\" aria-hidden=\"true\"></span>",
            fence.linenostart.saturating_add(n - 1)
        ));
    }
}

/// A highlighted block written line by line.
fn by_line(
    code: &str,
    fence: &FenceInfo,
    (syntax, set): (&SyntaxReference, &SyntaxSet),
) -> Option<String> {
    let mut highlighter = LineHighlighter::new(syntax, set);
    let mut out = String::with_capacity(code.len() * 3);
    for (i, line) in LinesWithEndings::from(code).enumerate() {
        open_line(&mut out, fence, i + 1, "");
        out.push_str(&highlighter.line(line)?);
        out.push_str("\n</span>");
    }
    Some(out)
}

/// A plain block written line by line (for `linenos` and `hl_lines`).
fn plain_lines(code: &str, fence: &FenceInfo) -> String {
    let mut out = String::with_capacity(code.len() * 2);
    for (i, line) in lines(code).enumerate() {
        open_line(&mut out, fence, i + 1, "");
        out.push_str(&escape(line));
        out.push_str("\n</span>");
    }
    out
}

/// A terminal session: prompts marked (and never copied), commands
/// highlighted with the shell's grammar, output left plain.
fn session(
    code: &str,
    fence: &FenceInfo,
    (shell, set): (&SyntaxReference, &SyntaxSet),
) -> Option<String> {
    let mut highlighter = LineHighlighter::new(shell, set);
    let kinds = console::classify(lines(code));
    let mut out = String::with_capacity(code.len() * 3);
    for (i, (line, kind)) in lines(code).zip(kinds).enumerate() {
        let prompt = match kind {
            SessionLine::Command { prompt } => {
                // Each command starts from a fresh state: a quote left open by
                // one command must not colour the output and commands after it.
                highlighter = LineHighlighter::new(shell, set);
                prompt
            }
            SessionLine::Continuation { prompt } => prompt,
            SessionLine::Output => {
                open_line(&mut out, fence, i + 1, " output");
                out.push_str(&escape(line));
                out.push_str("\n</span>");
                continue;
            }
        };
        open_line(&mut out, fence, i + 1, " command");
        if prompt > 0 {
            out.push_str("<span class=\"prompt\">");
            out.push_str(&escape(&line[..prompt]));
            out.push_str("</span>");
        }
        let command = format!("{}\n", &line[prompt..]);
        out.push_str(&highlighter.line(&command)?);
        out.push_str("\n</span>");
    }
    Some(out)
}

/// The stylesheet for highlighted code: a light palette, and a dark one that
/// applies when the page is dark (system setting or the theme toggle). Print
/// is black on white (style.css), so the dark palette is for screens only.
pub fn stylesheet() -> String {
    let themes = ThemeSet::load_defaults();
    let light = light_palette(&themes);
    let dark = css_for_theme_with_class_style(&themes.themes["base16-ocean.dark"], CLASS_STYLE)
        .unwrap_or_default();
    let mut css = String::from(
        "/* Generated by lectern from syntect's InspiredGitHub and base16-ocean.dark themes. */\n",
    );
    css.push_str(&light);
    css.push_str("\n@media screen and (prefers-color-scheme: dark) {\n");
    css.push_str(&scope(&dark, ":root:not([data-theme=\"light\"])"));
    css.push_str("}\n@media screen {\n");
    css.push_str(&scope(&dark, ":root[data-theme=\"dark\"]"));
    css.push_str("}\n");
    css
}

/// The light palette alone, for readers that style pages themselves (the
/// EPUB: an e-reader has its own night mode).
pub fn light_stylesheet() -> String {
    let mut css = String::from("/* Generated by lectern from syntect's InspiredGitHub theme. */\n");
    css.push_str(&light_palette(&ThemeSet::load_defaults()));
    css
}

fn light_palette(themes: &ThemeSet) -> String {
    css_for_theme_with_class_style(&themes.themes["InspiredGitHub"], CLASS_STYLE)
        .unwrap_or_default()
}

/// Prefixes every selector of a flat stylesheet with `prefix`.
fn scope(css: &str, prefix: &str) -> String {
    let mut out = String::new();
    for block in css.split_inclusive('}') {
        match block.find('{') {
            Some(i) => {
                let (selectors, body) = block.split_at(i);
                let selectors = selectors.trim();
                if selectors.starts_with("/*") || selectors.is_empty() {
                    // A comment before the rule: keep only the rule.
                    let rule_start = selectors.rfind("*/").map(|j| j + 2).unwrap_or(0);
                    let sel = selectors[rule_start..].trim();
                    if sel.is_empty() {
                        continue;
                    }
                    out.push_str(&prefixed(sel, prefix));
                } else {
                    out.push_str(&prefixed(selectors, prefix));
                }
                out.push_str(body);
                out.push('\n');
            }
            None => out.push_str(block),
        }
    }
    out
}

fn prefixed(selectors: &str, prefix: &str) -> String {
    selectors
        .split(',')
        .map(|s| format!("{prefix} {}", s.trim()))
        .collect::<Vec<_>>()
        .join(", ")
}

pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    for ch in text.chars() {
        match ch {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(ch),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hl(code: &str, info: &str) -> String {
        highlight(code, &FenceInfo::parse(info))
    }

    #[test]
    fn known_language_gets_classes() {
        let html = hl("fn main() {}\n", "rust");
        assert!(html.contains("class=\"hl-"), "{html}");
        assert!(html.contains("data-lang=\"rust\""));
        assert!(html.starts_with("<div class=\"code-block\"><pre class=\"code\""));
        assert!(html.ends_with("</pre></div>\n"));
    }

    #[test]
    fn unknown_language_is_escaped() {
        let html = hl("<script>\n", "nosuchlang");
        assert!(html.contains("<code>&lt;script&gt;\n</code>"), "{html}");
        assert!(!html.contains("hl-"));
    }

    #[test]
    fn attributes_are_never_shown() {
        let html = hl("fn main() {}\n", "rust,ignore,hidelines=#");
        assert!(html.contains("data-lang=\"rust\""), "{html}");
        assert!(!html.contains("ignore") && !html.contains("hidelines"));
        assert!(html.contains("hl-"));
    }

    #[test]
    fn line_numbers_are_attributes_not_text() {
        let html = hl("a = 1\nb = 2\n", "toml,linenos,linenostart=9");
        assert!(html.contains("class=\"code linenos\""), "{html}");
        assert!(html.contains("<span class=\"ln\" data-n=\"9\" aria-hidden=\"true\"></span>"));
        assert!(html.contains("data-n=\"10\""));
        assert!(!html.contains("data-n=\"11\""));
        assert_eq!(html.matches("<span class=\"line\">").count(), 2);
    }

    #[test]
    fn marked_lines() {
        let html = hl("1\n2\n3\n4\n5\n6\n", "python,hl_lines=1 3-5");
        let marked: Vec<usize> = html
            .split("<span class=\"line")
            .skip(1)
            .enumerate()
            .filter(|(_, l)| l.starts_with(" hl\""))
            .map(|(i, _)| i + 1)
            .collect();
        assert_eq!(marked, vec![1, 3, 4, 5], "{html}");
        assert!(!html.contains("linenos"));
        // Marked lines of a plain block too.
        let html = hl("a\nb\n", "text,hl_lines=2");
        assert!(
            html.contains("<span class=\"line hl\">b\n</span>"),
            "{html}"
        );
    }

    /// Each line's spans are balanced, so a line can be a block of its own:
    /// a multi-line comment is closed at each line's end and reopened.
    #[test]
    fn lines_are_balanced() {
        let html = hl("/* one\ntwo */\nint x;\n", "c,linenos");
        for line in html.split("<span class=\"line\">").skip(1) {
            let line = line.split("\n</span>").next().unwrap();
            assert_eq!(
                line.matches("<span").count(),
                line.matches("</span>").count(),
                "{line}"
            );
        }
        // The comment's span is reopened on its second line.
        assert!(
            html.contains("<span class=\"hl-comment hl-block hl-c\">two "),
            "{html}"
        );
    }

    #[test]
    fn session_marks_prompts_and_leaves_output_plain() {
        let html = hl("$ echo \"hi\" > out.txt\nhi\n# whoami\nroot\n", "console");
        assert!(html.contains("class=\"code session\""), "{html}");
        assert_eq!(html.matches("<span class=\"prompt\">$ </span>").count(), 1);
        assert_eq!(html.matches("<span class=\"prompt\"># </span>").count(), 1);
        assert!(
            html.contains("<span class=\"line output\">hi\n</span>"),
            "{html}"
        );
        assert!(html.contains("<span class=\"line output\">root\n</span>"));
        // The command is highlighted as shell: the string is a string.
        let command = html.split("line command").nth(1).unwrap();
        assert!(command.contains("hl-string"), "{command}");
        // `&gt;` is escaped inside the command.
        assert!(command.contains("&gt;"));
    }

    #[test]
    fn stylesheet_has_both_palettes() {
        let css = stylesheet();
        assert!(css.contains("prefers-color-scheme: dark"));
        assert!(css.contains(":root[data-theme=\"dark\"] .hl-"));
    }
}
