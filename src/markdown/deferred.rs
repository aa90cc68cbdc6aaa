//! A document's HTML with its code blocks not yet highlighted.
//!
//! Highlighted code is most of a page's HTML (each `<span class="hl-…">`
//! costs more than the character it colours: at 10,000 pages of the
//! benchmark corpus, 22 MB of code become most of 526 MB of body HTML), and
//! the loaded site keeps every page until all are rendered. So loading keeps
//! only the code and its language, and each page's code is highlighted when
//! that page is rendered, then freed with it: a big site's highlighted HTML
//! is never all in memory at once. Highlighting is a pure function of the
//! code and the language, so the bytes written are the same as highlighting
//! at load time.

use std::cell::Cell;
use std::fmt;
use std::sync::Arc;

use pulldown_cmark::{CowStr, Event};
use serde::{Serialize, Serializer};

use super::code_cache::{self, CodeKey, CodeStore, NoStore};
use super::fence::FenceInfo;
use super::highlight;

/// A code block waiting to be highlighted.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct CodeBlock {
    /// Byte offset in `DeferredHtml::text` of the `\n` standing for the block.
    at: usize,
    code: String,
    /// What the fence's info string asks for.
    fence: FenceInfo,
}

/// HTML in which each code block is a single `\n` plus the block's source,
/// highlighted by `to_html`.
///
/// The stand-in is a `\n` because every highlighted block ends with one:
/// pulldown-cmark's writer only remembers of what it last wrote whether it
/// ended a line, so the HTML around a stand-in comes out byte for byte as
/// around the block.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct DeferredHtml {
    text: String,
    blocks: Vec<CodeBlock>,
}

/// What a code block's highlighted HTML is replaced with until `to_html`.
const STAND_IN: &str = "\n";

impl DeferredHtml {
    /// The finished HTML, code highlighted.
    pub fn to_html(&self) -> String {
        self.to_html_with(&NoStore)
    }

    /// The finished HTML, taking highlighted code from `store` where it has
    /// it (a page's blocks together, or each block) and giving it what had
    /// to be highlighted. The bytes are those of `to_html` either way.
    pub fn to_html_with(&self, store: &dyn CodeStore) -> String {
        if self.blocks.is_empty() {
            return self.text.clone();
        }
        let keys: Vec<CodeKey> = self
            .blocks
            .iter()
            .map(|b| code_cache::block_key(&b.code, &b.fence))
            .collect();
        let page = code_cache::page_key(&keys);
        // Highlighted first, so the result is allocated once at its size.
        let code: Vec<Arc<str>> = match store.page(page) {
            Some(kept) if kept.len() == self.blocks.len() => {
                kept.into_iter().map(Arc::from).collect()
            }
            _ => {
                let code: Vec<Arc<str>> = self
                    .blocks
                    .iter()
                    .zip(&keys)
                    .map(|(b, &key)| {
                        store.block(key).unwrap_or_else(|| {
                            let html: Arc<str> = highlight::highlight(&b.code, &b.fence).into();
                            store.keep_block(key, &html);
                            html
                        })
                    })
                    .collect();
                store.keep_page(page, &code);
                code
            }
        };
        let size = self.text.len() - self.blocks.len() * STAND_IN.len()
            + code.iter().map(|c| c.len()).sum::<usize>();
        let mut out = String::with_capacity(size);
        let mut from = 0;
        for (b, html) in self.blocks.iter().zip(&code) {
            out.push_str(&self.text[from..b.at]);
            out.push_str(html);
            from = b.at + STAND_IN.len();
        }
        out.push_str(&self.text[from..]);
        out
    }

    /// Whether the finished HTML is empty (no text, no code).
    pub fn is_empty(&self) -> bool {
        self.text.is_empty() && self.blocks.is_empty()
    }

    /// Whether any code is left to highlight.
    pub fn has_code(&self) -> bool {
        !self.blocks.is_empty()
    }

    /// Already finished HTML (no code left to highlight).
    pub fn finished(html: String) -> DeferredHtml {
        DeferredHtml {
            text: html,
            blocks: Vec::new(),
        }
    }

    /// Removes the first `<h1…` … `</h1>` (the title, when the page takes it
    /// from its first heading), exactly as it would be cut from `to_html`'s
    /// result. Neither string can occur in highlighted code nor across its
    /// edges (all its `<` are tags of its own: `<pre`, `<code>`, `<span`,
    /// closing tags; it ends with `\n`), nor in or across a `\n` stand-in, so
    /// the first matches here are the first matches there.
    pub fn without_first_h1(self) -> DeferredHtml {
        let (Some(a), Some(b)) = (self.text.find("<h1"), self.text.find("</h1>")) else {
            return self;
        };
        if a >= b {
            return self;
        }
        let end = b + "</h1>".len();
        let removed = end - a;
        let mut text = String::with_capacity(self.text.len() - removed);
        text.push_str(&self.text[..a]);
        text.push_str(&self.text[end..]);
        let blocks = self
            .blocks
            .into_iter()
            .filter(|blk| blk.at < a || blk.at >= end)
            .map(|blk| CodeBlock {
                at: if blk.at >= end {
                    blk.at - removed
                } else {
                    blk.at
                },
                ..blk
            })
            .collect();
        DeferredHtml { text, blocks }
    }
}

/// Serialises as the finished HTML: templates see `page.html` as before.
/// This is where a page's code gets highlighted, once, when its template
/// context is built.
impl Serialize for DeferredHtml {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.to_html())
    }
}

/// Events for pulldown-cmark's HTML writer, with code blocks as stand-ins.
pub(super) enum Piece<'a> {
    Event(Event<'a>),
    Code { code: String, fence: FenceInfo },
}

/// Writes `pieces` as pulldown-cmark's `push_html` would, code blocks
/// deferred.
pub(super) fn write(pieces: Vec<Piece>, capacity: usize) -> DeferredHtml {
    // The writer pulls one event and writes it before pulling the next, and
    // writes an `Event::Html` with exactly one `write_str` of its text: so
    // the first write after a stand-in was pulled is that stand-in's.
    let stand_in_next = Cell::new(false);
    let mut blocks = Vec::new();
    let events = pieces.into_iter().map(|piece| match piece {
        Piece::Event(e) => e,
        Piece::Code { code, fence } => {
            blocks.push((code, fence));
            stand_in_next.set(true);
            Event::Html(CowStr::Borrowed(STAND_IN))
        }
    });
    let mut sink = Sink {
        text: String::with_capacity(capacity),
        offsets: Vec::new(),
        stand_in_next: &stand_in_next,
    };
    // Writing to a String cannot fail.
    let _ = pulldown_cmark::html::write_html_fmt(&mut sink, events);
    let Sink { text, offsets, .. } = sink;
    debug_assert_eq!(
        offsets.len(),
        blocks.len(),
        "one stand-in written per block"
    );
    DeferredHtml {
        text: super::tight(text),
        blocks: offsets
            .into_iter()
            .zip(blocks)
            .map(|(at, (code, fence))| CodeBlock { at, code, fence })
            .collect(),
    }
}

struct Sink<'a> {
    text: String,
    offsets: Vec<usize>,
    stand_in_next: &'a Cell<bool>,
}

impl fmt::Write for Sink<'_> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        if self.stand_in_next.replace(false) {
            self.offsets.push(self.text.len());
        }
        self.text.push_str(s);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pulldown_cmark::{CodeBlockKind, Parser, Tag, TagEnd};

    const SAMPLES: &[&str] = &[
        "```rust\nfn main() {}\n```\n",
        "# T\n\ntext\n\n```python\nprint(1)\n```\nafter\n\n```\nplain <b>\n```\n```js\nx\n```\n",
        "- item\n\n  ```sh\n  ls\n  ```\n- two\n\n> ```c\n> int x;\n> ```\n\nend",
        "note[^1]\n\n[^1]: foot\n\n    indented code\n\n| a |\n|---|\n| b |\n",
        "<h1>raw</h1>\n\n```rust\nlet a = 1;\n```\n\n# Heading\n",
        "<h1>\n\n```toml\na = 1\n```\n\n</h1>\n\ntail\n\n```rust\nfn f() {}\n```\n",
        "```nosuchlang\n<script>\n```",
        "```console\n$ ls\nout\n```\n\n```rust,linenos,hl_lines=2\nfn a() {}\n/* x\ny */\n```\n",
        "",
    ];

    /// The pieces of `markdown`, code blocks deferred, and the events of the
    /// same document with code highlighted in place (what rendering did
    /// before highlighting was deferred).
    fn both(markdown: &str) -> (Vec<Piece<'_>>, Vec<Event<'_>>) {
        let events: Vec<Event> = Parser::new_ext(markdown, crate::markdown::options()).collect();
        let (mut pieces, mut eager) = (Vec::new(), Vec::new());
        let mut i = 0;
        while i < events.len() {
            if let Event::Start(Tag::CodeBlock(kind)) = &events[i] {
                let lang = match kind {
                    CodeBlockKind::Fenced(info) => info.to_string(),
                    CodeBlockKind::Indented => String::new(),
                };
                let mut code = String::new();
                i += 1;
                while !matches!(events[i], Event::End(TagEnd::CodeBlock)) {
                    if let Event::Text(t) = &events[i] {
                        code.push_str(t);
                    }
                    i += 1;
                }
                let fence = FenceInfo::parse(&lang);
                eager.push(Event::Html(CowStr::from(highlight::highlight(
                    &code, &fence,
                ))));
                pieces.push(Piece::Code { code, fence });
            } else {
                eager.push(events[i].clone());
                pieces.push(Piece::Event(events[i].clone()));
            }
            i += 1;
        }
        (pieces, eager)
    }

    fn eager_html(events: Vec<Event>) -> String {
        let mut html = String::new();
        pulldown_cmark::html::push_html(&mut html, events.into_iter());
        html
    }

    #[test]
    fn deferred_code_renders_as_highlighting_in_place() {
        for md in SAMPLES {
            let (pieces, eager) = both(md);
            let deferred = write(pieces, 0);
            assert_eq!(deferred.to_html(), eager_html(eager), "{md}");
        }
    }

    #[test]
    fn first_h1_is_cut_as_from_the_finished_html() {
        // The cut as it was made on the finished HTML.
        fn cut(html: &str) -> String {
            match (html.find("<h1"), html.find("</h1>")) {
                (Some(a), Some(b)) if a < b => format!("{}{}", &html[..a], &html[b + 5..]),
                _ => html.to_string(),
            }
        }
        for md in SAMPLES {
            let (pieces, eager) = both(md);
            let deferred = write(pieces, 0);
            assert_eq!(
                deferred.without_first_h1().to_html(),
                cut(&eager_html(eager)),
                "{md}"
            );
        }
    }

    #[test]
    fn serialises_as_the_finished_html() {
        let (pieces, eager) = both(SAMPLES[1]);
        let json = serde_json::to_value(write(pieces, 0)).unwrap();
        assert_eq!(json, serde_json::Value::String(eager_html(eager)));
    }
}
