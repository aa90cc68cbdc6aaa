//! Markdown to HTML with pulldown-cmark: heading ids, table of contents,
//! build-time highlighting, link rewriting, and the plain text search indexes.

pub mod code_cache;
pub mod code_notes;
mod console;
pub mod deferred;
pub mod fence;
pub mod highlight;
pub mod ids;
pub mod languages;
pub mod untrusted;

use serde::Serialize;

use pulldown_cmark::{CodeBlockKind, CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

pub use code_notes::{CodeNote, CodeNoteKind, LocatedNote};
pub use deferred::DeferredHtml;
use deferred::Piece;
use fence::FenceInfo;
use ids::IdAllocator;

pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// A link or image found in a page, as written, with its position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkRef {
    pub dest: String,
    pub is_image: bool,
    /// 0-based byte offset in the Markdown text.
    pub offset: usize,
}

/// Decides what a link in a page becomes. Returning None keeps it as written.
pub trait LinkRewriter {
    fn rewrite(&self, link: &LinkRef) -> Option<String>;
}

/// Keeps every link as written.
pub struct NoRewrite;
impl LinkRewriter for NoRewrite {
    fn rewrite(&self, _: &LinkRef) -> Option<String> {
        None
    }
}

/// A heading of a page, for the table of contents and search.
#[derive(Debug, Clone, Serialize, Hash)]
pub struct Heading {
    pub level: u8,
    pub id: String,
    /// Plain text of the heading.
    pub text: String,
}

/// A stretch of a page under one heading (or before the first): the unit
/// search indexes, so a result can open at its anchor.
#[derive(Debug, Clone, Serialize, Hash)]
pub struct TextSection {
    /// Anchor of the heading that starts it; empty for the text before the first heading.
    pub anchor: String,
    pub heading: String,
    pub text: String,
}

/// The result of rendering one Markdown document.
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    /// Code blocks are highlighted by `DeferredHtml::to_html`, not here.
    pub html: DeferredHtml,
    pub headings: Vec<Heading>,
    /// Plain text by heading, for search.
    pub sections: Vec<TextSection>,
    pub links: Vec<LinkRef>,
    /// Text of the first `#` heading, used as the title when front matter has none.
    pub first_h1: Option<String>,
    /// The `id` and `name` attributes of the page's raw HTML: links may
    /// point at them (`<a id="setup"></a>`, as mdBook books write anchors).
    pub html_anchors: Vec<String>,
    /// Code blocks the author should hear about (see `code_warnings`).
    pub code_notes: Vec<CodeNote>,
}

/// Renders a page body. `reserved_ids` are ids the page uses elsewhere (so
/// headings don't collide with them).
pub fn render(markdown: &str, rewriter: &dyn LinkRewriter) -> Rendered {
    let mut ids = IdAllocator::default();
    render_with_ids(markdown, rewriter, &mut ids)
}

pub fn render_with_ids(
    markdown: &str,
    rewriter: &dyn LinkRewriter,
    ids: &mut IdAllocator,
) -> Rendered {
    let events: Vec<(Event, std::ops::Range<usize>)> = Parser::new_ext(markdown, options())
        .into_offset_iter()
        .collect();
    let mut out_events: Vec<Piece> = Vec::with_capacity(events.len() + 16);
    let mut rendered = Rendered::default();
    let mut section = TextSection {
        anchor: String::new(),
        heading: String::new(),
        text: String::new(),
    };

    let mut i = 0;
    while i < events.len() {
        let (event, range) = &events[i];
        match event {
            Event::Start(Tag::Heading {
                level,
                id,
                classes,
                attrs,
            }) => {
                // Gather the heading's events to know its text before choosing an id.
                let mut j = i + 1;
                let mut text = String::new();
                while j < events.len() && !matches!(events[j].0, Event::End(TagEnd::Heading(_))) {
                    if let Event::Text(t) | Event::Code(t) = &events[j].0 {
                        text.push_str(t);
                    }
                    j += 1;
                }
                let text = text.trim().to_string();
                let unique = match id {
                    Some(id) => ids.unique(id),
                    None => ids.unique_for(&text),
                };
                if *level == HeadingLevel::H1 && rendered.first_h1.is_none() {
                    rendered.first_h1 = Some(text.clone());
                }
                rendered.headings.push(Heading {
                    level: *level as u8,
                    id: unique.clone(),
                    text: text.clone(),
                });
                if !section.text.trim().is_empty() || !section.heading.is_empty() {
                    rendered.sections.push(std::mem::replace(
                        &mut section,
                        TextSection {
                            anchor: String::new(),
                            heading: String::new(),
                            text: String::new(),
                        },
                    ));
                }
                section = TextSection {
                    anchor: unique.clone(),
                    heading: text,
                    text: String::new(),
                };
                out_events.push(Piece::Event(Event::Start(Tag::Heading {
                    level: *level,
                    id: Some(CowStr::from(unique.clone())),
                    classes: classes.clone(),
                    attrs: attrs.clone(),
                })));
                for (ev, r) in &events[i + 1..j] {
                    out_events.push(Piece::Event(rewrite_event(
                        ev.clone(),
                        r,
                        rewriter,
                        &mut rendered.links,
                    )));
                }
                out_events.push(Piece::Event(Event::Html(CowStr::from(format!(
                    "<a class=\"heading-anchor\" href=\"#{}\" aria-hidden=\"true\" tabindex=\"-1\">#</a>",
                    highlight::escape(&unique)
                )))));
                if j < events.len() {
                    out_events.push(Piece::Event(events[j].0.clone()));
                }
                i = j + 1;
                continue;
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                let fence = match kind {
                    CodeBlockKind::Fenced(info) => FenceInfo::parse(info),
                    CodeBlockKind::Indented => FenceInfo::parse(""),
                };
                if languages::resolve(&fence.lang) == languages::Language::Unknown {
                    rendered.code_notes.push(CodeNote {
                        offset: range.start,
                        kind: CodeNoteKind::UnknownLanguage(fence.lang.clone()),
                    });
                }
                for problem in &fence.problems {
                    rendered.code_notes.push(CodeNote {
                        offset: range.start,
                        kind: CodeNoteKind::Attribute(problem.clone()),
                    });
                }
                let mut code = String::new();
                let mut j = i + 1;
                while j < events.len() && !matches!(events[j].0, Event::End(TagEnd::CodeBlock)) {
                    if let Event::Text(t) = &events[j].0 {
                        code.push_str(t);
                    }
                    j += 1;
                }
                section.text.push_str(&code);
                section.text.push('\n');
                out_events.push(Piece::Code { code, fence });
                i = j + 1;
                continue;
            }
            Event::Start(Tag::Table(_)) => {
                out_events.push(Piece::Event(Event::Html(CowStr::from(
                    "<div class=\"table-wrap\">",
                ))));
                out_events.push(Piece::Event(event.clone()));
            }
            Event::End(TagEnd::Table) => {
                out_events.push(Piece::Event(event.clone()));
                out_events.push(Piece::Event(Event::Html(CowStr::from("</div>"))));
            }
            Event::Text(t) | Event::Code(t) => {
                section.text.push_str(t);
                out_events.push(Piece::Event(event.clone()));
            }
            Event::Html(t) | Event::InlineHtml(t) => {
                html_anchors(t, &mut rendered.html_anchors);
                out_events.push(Piece::Event(event.clone()));
            }
            Event::SoftBreak | Event::HardBreak => {
                section.text.push(' ');
                out_events.push(Piece::Event(event.clone()));
            }
            Event::End(
                TagEnd::Paragraph | TagEnd::Item | TagEnd::TableCell | TagEnd::BlockQuote(_),
            ) => {
                section.text.push('\n');
                out_events.push(Piece::Event(event.clone()));
            }
            _ => out_events.push(Piece::Event(rewrite_event(
                event.clone(),
                range,
                rewriter,
                &mut rendered.links,
            ))),
        }
        i += 1;
    }
    if !section.text.trim().is_empty() || !section.heading.is_empty() {
        rendered.sections.push(section);
    }
    for s in &mut rendered.sections {
        s.text = tight(std::mem::take(&mut s.text));
    }
    rendered.html = deferred::write(out_events, markdown.len() * 3 / 2);
    rendered
}

/// Collects the values of `id="…"` and `name="…"` attributes in raw HTML.
fn html_anchors(html: &str, out: &mut Vec<String>) {
    let bytes = html.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let rest = &html[i..];
        // Compared as bytes: the text around may hold any character (a
        // `’` three bytes long once made a slice here panic).
        let head = rest.as_bytes();
        let name_len = if head.len() >= 3 && head[..3].eq_ignore_ascii_case(b"id=") {
            3
        } else if head.len() >= 5 && head[..5].eq_ignore_ascii_case(b"name=") {
            5
        } else {
            i += rest.chars().next().map_or(1, char::len_utf8);
            continue;
        };
        // An attribute name starts after white space (not `data-id=`).
        if i == 0 || !bytes[i - 1].is_ascii_whitespace() {
            i += name_len;
            continue;
        }
        let value = &rest[name_len..];
        let (text, used) = match value.chars().next() {
            Some(q @ ('"' | '\'')) => match value[1..].find(q) {
                Some(end) => (&value[1..1 + end], end + 2),
                None => ("", 1),
            },
            _ => {
                let end = value
                    .find(|c: char| c.is_ascii_whitespace() || c == '>' || c == '/')
                    .unwrap_or(value.len());
                (&value[..end], end)
            }
        };
        if !text.is_empty() {
            out.push(text.to_string());
        }
        i += name_len + used;
    }
}

/// The warnings of a build's code notes: each language lectern cannot
/// highlight once, with its places and count; each unreadable attribute.
pub fn code_warnings(notes: Vec<LocatedNote>) -> Vec<crate::diagnostic::Diagnostic> {
    if notes.is_empty() {
        return Vec::new();
    }
    let names = languages::names();
    code_notes::warnings(notes, names.iter().copied())
}

/// `s` without its unused capacity. A string built by pushing keeps up to
/// half of it unused, and the loaded site keeps every page's text and HTML
/// until the end of the build (at 10,000 pages, 66 of the 300 MB it held
/// were unused capacity). Copied rather than `shrink_to_fit`: mimalloc
/// keeps a block that shrinks by less than half.
pub(crate) fn tight(s: String) -> String {
    if s.capacity() - s.len() > s.len() / 8 {
        s.as_str().to_owned()
    } else {
        s
    }
}

fn rewrite_event<'a>(
    event: Event<'a>,
    range: &std::ops::Range<usize>,
    rewriter: &dyn LinkRewriter,
    links: &mut Vec<LinkRef>,
) -> Event<'a> {
    match event {
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) => {
            let link = LinkRef {
                dest: dest_url.to_string(),
                is_image: false,
                offset: range.start,
            };
            let new = rewriter.rewrite(&link);
            links.push(link);
            Event::Start(Tag::Link {
                link_type,
                dest_url: new.map(CowStr::from).unwrap_or(dest_url),
                title,
                id,
            })
        }
        Event::Start(Tag::Image {
            link_type,
            dest_url,
            title,
            id,
        }) => {
            let link = LinkRef {
                dest: dest_url.to_string(),
                is_image: true,
                offset: range.start,
            };
            let new = rewriter.rewrite(&link);
            links.push(link);
            Event::Start(Tag::Image {
                link_type,
                dest_url: new.map(CowStr::from).unwrap_or(dest_url),
                title,
                id,
            })
        }
        other => other,
    }
}

/// What plain text keeps of raw HTML: a page body's tags are markup and
/// dropped (`<kbd>Ctrl</kbd>` reads `Ctrl`); untrusted text shows them as
/// the characters they are, as its HTML does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RawHtml {
    Drop,
    AsText,
}

/// The text of some Markdown without markup, blocks and line breaks joined
/// by one space (for search, for matching answers, for Q&A questions), read
/// with the extensions of `options` (trusted and untrusted text differ).
pub fn plain_text(markdown: &str, options: Options, raw_html: RawHtml) -> String {
    let mut out = String::new();
    for event in Parser::new_ext(markdown, options) {
        match event {
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            Event::Html(t) | Event::InlineHtml(t) if raw_html == RawHtml::AsText => {
                out.push_str(&t)
            }
            Event::SoftBreak
            | Event::HardBreak
            | Event::End(
                TagEnd::Paragraph
                | TagEnd::Item
                | TagEnd::Heading(_)
                | TagEnd::CodeBlock
                | TagEnd::TableCell,
            ) if !out.ends_with(' ') && !out.is_empty() => out.push(' '),
            _ => {}
        }
    }
    out.trim_end().to_string()
}

/// HTML of one line without the paragraph pulldown-cmark wraps it in (an
/// option, a key point); several paragraphs stay as they are.
pub fn without_paragraph(html: String) -> String {
    let trimmed = html.trim_end();
    match trimmed
        .strip_prefix("<p>")
        .and_then(|s| s.strip_suffix("</p>"))
    {
        Some(inner) if !inner.contains("<p>") => inner.to_string(),
        _ => html,
    }
}

pub use crate::diagnostic::line_col;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_html_ids_and_names_are_anchors() {
        let r = render(
            "<a id=\"head\"></a>\n\nText <span name='inline' data-id=\"no\">x</span> <div ID=bare>y</div>\n",
            &NoRewrite,
        );
        assert_eq!(r.html_anchors, vec!["head", "inline", "bare"]);
        // Any character may stand next to where an attribute is looked for.
        let r = render(
            "<span class=\"caption\">Listing: we’re not allowed ’s items</span>\n\n<a title=\"客’\" id=\"x’y\">z</a>\n",
            &NoRewrite,
        );
        assert_eq!(r.html_anchors, vec!["x’y"]);
        let r = render("<a id=’ name=客>x</a>\n", &NoRewrite);
        assert_eq!(r.html_anchors, vec!["’", "客"]);
    }

    #[test]
    fn headings_get_unique_chinese_ids() {
        let r = render(
            "# 标题\n\n## 概述\n\n正文\n\n## 概述\n\n## Custom {#my-id}\n",
            &NoRewrite,
        );
        let ids: Vec<&str> = r.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["标题", "概述", "概述-1", "my-id"]);
        let html = r.html.to_html();
        assert!(html.contains("<h2 id=\"概述-1\">"), "{html}");
        assert_eq!(r.first_h1.as_deref(), Some("标题"));
    }

    #[test]
    fn extensions_are_on() {
        let r = render(
            "| a | b |\n|---|---|\n| 1 | 2 |\n\n~~x~~\n\n- [x] done\n\nnote[^1]\n\n[^1]: foot\n",
            &NoRewrite,
        );
        let html = r.html.to_html();
        assert!(html.contains("<table>"));
        assert!(html.contains("table-wrap"));
        assert!(html.contains("<del>x</del>"));
        assert!(html.contains("type=\"checkbox\""));
        assert!(html.contains("footnote"));
    }

    #[test]
    fn sections_split_text_by_heading() {
        let r = render(
            "引言文字\n\n## 第一节\n\n甲乙丙\n\n## 第二节\n\n丁戊\n",
            &NoRewrite,
        );
        assert_eq!(r.sections.len(), 3);
        assert_eq!(r.sections[0].anchor, "");
        assert_eq!(r.sections[1].anchor, "第一节");
        assert!(r.sections[1].text.contains("甲乙丙"));
        assert!(r.sections[2].text.contains("丁戊"));
    }

    #[test]
    fn code_is_highlighted_at_build_time() {
        let r = render("```python\nprint('hi')\n```\n", &NoRewrite);
        let html = r.html.to_html();
        assert!(html.contains("hl-"), "{html}");
        assert!(!html.contains("language-python"));
    }

    struct Upper;
    impl LinkRewriter for Upper {
        fn rewrite(&self, link: &LinkRef) -> Option<String> {
            link.dest
                .ends_with(".md")
                .then(|| link.dest.replace(".md", ".html"))
        }
    }

    #[test]
    fn links_are_recorded_and_rewritten() {
        let text = "看 [这里](a.md) 和 ![图](img.png)\n";
        let r = render(text, &Upper);
        assert!(r.html.to_html().contains("href=\"a.html\""));
        assert_eq!(r.links.len(), 2);
        assert!(r.links[1].is_image);
        assert_eq!(line_col(text, r.links[0].offset), (1, 3));
    }

    #[test]
    fn inline_and_plain() {
        assert_eq!(
            without_paragraph("<p><strong>粗</strong> 体</p>\n".into()),
            "<strong>粗</strong> 体"
        );
        let two = "<p>a</p>\n<p>b</p>\n".to_string();
        assert_eq!(without_paragraph(two.clone()), two);
        let text = "**粗** `x` <kbd>Ctrl</kbd>\n\nnext";
        assert_eq!(plain_text(text, options(), RawHtml::Drop), "粗 x Ctrl next");
        assert_eq!(
            plain_text(text, options(), RawHtml::AsText),
            "粗 x <kbd>Ctrl</kbd> next"
        );
    }
}
