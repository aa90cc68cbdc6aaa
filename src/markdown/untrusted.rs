//! Markdown of prompts, options and explanations to inert HTML.
//!
//! Question text comes from banks that teachers paste together from Word
//! files, GIFT imports and web pages, so unlike a chapter body (where raw
//! HTML is the author's deliberate choice) it is never trusted: raw HTML is
//! shown as text, and links or images with a script-capable scheme
//! (`javascript:`, `vbscript:`, `data:` other than images) lose their target.
//! A prompt holding `</script><script>` or `<img onerror=…>` therefore reads
//! as exactly that and runs nothing.

use pulldown_cmark::{html, CowStr, Event, Options, Parser, Tag, TagEnd};

/// Marks a blank of a fill prompt while its Markdown is rendered (a private-use
/// character: nothing a teacher types, and untouched by Markdown and escaping).
const BLANK_MARK: char = '\u{E000}';

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_TASKLISTS
}

/// Whether a link target could run script when followed.
fn is_unsafe_url(url: &str, image: bool) -> bool {
    let lower: String = url
        .trim_start()
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .take(16)
        .collect::<String>()
        .to_ascii_lowercase();
    if lower.starts_with("data:") {
        return !(image
            && lower.starts_with("data:image/")
            && !lower.starts_with("data:image/svg"));
    }
    lower.starts_with("javascript:") || lower.starts_with("vbscript:")
}

fn inert(event: Event<'_>) -> Event<'_> {
    match event {
        Event::Html(s) | Event::InlineHtml(s) => Event::Text(s),
        Event::Start(Tag::HtmlBlock) => Event::Start(Tag::Paragraph),
        Event::End(TagEnd::HtmlBlock) => Event::End(TagEnd::Paragraph),
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) if is_unsafe_url(&dest_url, false) => Event::Start(Tag::Link {
            link_type,
            dest_url: CowStr::Borrowed("#"),
            title,
            id,
        }),
        Event::Start(Tag::Image {
            link_type,
            dest_url,
            title,
            id,
        }) if is_unsafe_url(&dest_url, true) => Event::Start(Tag::Image {
            link_type,
            dest_url: CowStr::Borrowed(""),
            title,
            id,
        }),
        other => other,
    }
}

/// Block Markdown to HTML, with raw HTML escaped.
pub fn to_html(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len() * 3 / 2 + 16);
    html::push_html(&mut out, Parser::new_ext(markdown, options()).map(inert));
    out
}

/// Markdown of one line (an option, a key point) to HTML without the wrapping paragraph.
pub fn to_inline_html(markdown: &str) -> String {
    super::without_paragraph(to_html(markdown))
}

/// The text of some Markdown, for search and for matching answers; raw HTML
/// reads as the characters it is.
pub fn plain_text(markdown: &str) -> String {
    super::plain_text(markdown, options(), super::RawHtml::AsText)
}

/// Byte ranges of the blanks of a fill prompt: runs of three or more
/// underscores, half-width (`___`) or full-width (`＿＿＿`).
pub fn blank_ranges(prompt: &str) -> Vec<std::ops::Range<usize>> {
    let mut ranges = Vec::new();
    let mut run: Option<(usize, char, usize)> = None; // (start, char, count)
    for (i, c) in prompt
        .char_indices()
        .chain(std::iter::once((prompt.len(), '\0')))
    {
        match run {
            Some((start, rc, n)) if rc == c => run = Some((start, rc, n + 1)),
            _ => {
                if let Some((start, _, n)) = run.take() {
                    if n >= 3 {
                        ranges.push(start..i);
                    }
                }
                if c == '_' || c == '＿' {
                    run = Some((i, c, 1));
                }
            }
        }
    }
    ranges
}

pub fn count_blanks(prompt: &str) -> usize {
    blank_ranges(prompt).len()
}

/// A fill prompt rendered to HTML and cut at its blanks: `n` blanks give
/// `n + 1` pieces, between which the page puts its inputs.
pub fn fill_pieces(prompt: &str) -> Vec<String> {
    let clean: String = prompt.chars().filter(|&c| c != BLANK_MARK).collect();
    let mut marked = String::with_capacity(clean.len());
    let mut last = 0;
    for range in blank_ranges(&clean) {
        marked.push_str(&clean[last..range.start]);
        marked.push(BLANK_MARK);
        last = range.end;
    }
    marked.push_str(&clean[last..]);
    let html = to_html(&marked);
    html.split(BLANK_MARK).map(str::to_string).collect()
}

/// `prompt` with each blank shown as a line to write on (for the printed paper and search).
pub fn blanks_as_lines(prompt: &str) -> String {
    let mut out = String::with_capacity(prompt.len());
    let mut last = 0;
    for range in blank_ranges(prompt) {
        out.push_str(&prompt[last..range.start]);
        // Escaped so Markdown reads them as text, not as emphasis markers:
        // search snippets and results then show the blank as a line.
        out.push_str("\\_\\_\\_\\_");
        last = range.end;
    }
    out.push_str(&prompt[last..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_html_is_shown_as_text() {
        let html = to_html("a </script><script>alert(1)</script> <img src=x onerror=alert(2)>");
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("<img"), "{html}");
        assert!(html.contains("&lt;/script&gt;&lt;script&gt;"), "{html}");
        let block = to_html("<div onclick=\"x()\">hi</div>\n");
        assert!(block.contains("&lt;div"), "{block}");
    }

    #[test]
    fn script_urls_lose_their_target() {
        let html = to_html("[x](javascript:alert(1)) [y](JaVaScRiPt:alert(1)) ![i](data:text/html,x) [ok](https://example.com)");
        assert!(!html.to_lowercase().contains("javascript:"), "{html}");
        assert!(!html.contains("data:text"), "{html}");
        assert!(html.contains("https://example.com"));
    }

    #[test]
    fn inline_strips_the_paragraph() {
        assert_eq!(
            to_inline_html("**粗体** 文字"),
            "<strong>粗体</strong> 文字"
        );
        assert_eq!(to_inline_html("20%"), "20%");
    }

    #[test]
    fn blanks_are_runs_of_three_underscores() {
        assert_eq!(count_blanks("分为____、___和＿＿＿，不是__"), 3);
        assert_eq!(count_blanks("snake_case_name"), 0);
        assert_eq!(count_blanks("末尾____"), 1);
    }

    #[test]
    fn fill_pieces_survive_markdown_emphasis_rules() {
        // Two underscore runs would otherwise become <strong>…</strong>.
        let pieces = fill_pieces("分为漠不关心型、____、热情友好型和____四种类型。");
        assert_eq!(pieces.len(), 3, "{pieces:?}");
        assert!(pieces[0].starts_with("<p>分为漠不关心型、"));
        assert!(!pieces.concat().contains("<strong>"));
    }

    #[test]
    fn plain_text_of_markdown() {
        assert_eq!(
            plain_text("**客户**是`上帝`吗？\n\n- 是\n- 否"),
            "客户是上帝吗？ 是 否"
        );
    }
}
