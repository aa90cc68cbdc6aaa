//! HTML (as Moodle's editor writes it) and plain text to Markdown, for
//! imported questions: lectern shows raw HTML in a question as text, so
//! `[html]` texts are turned into the Markdown that renders the same:
//! paragraphs, line breaks, bold, italics, code, lists, links and images.
//! Other tags are dropped and their text kept; entities are decoded.

/// Markdown for plain text: characters Markdown would read as markup are
/// escaped, and each line break stays a line break.
pub fn plain_to_markdown(text: &str) -> String {
    // Indentation would make Markdown code: a plain text's lines start at
    // their first character.
    let lines: Vec<String> = text.lines().map(|l| escape_line(l.trim_start())).collect();
    lines.join("\\\n").trim().to_string()
}

fn escape_line(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    for (i, c) in line.chars().enumerate() {
        let at_start = i == 0
            || line[..line.char_indices().nth(i).map(|(b, _)| b).unwrap_or(0)]
                .trim()
                .is_empty();
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' if c != '>' || at_start => {
                out.push('\\');
                out.push(c);
            }
            '#' | '-' | '+' | '|' if at_start => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

/// Markdown for an HTML fragment.
pub fn html_to_markdown(html: &str) -> String {
    let mut w = Writer::default();
    let mut rest = html;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix("<!--") {
            rest = after.split_once("-->").map(|(_, r)| r).unwrap_or("");
            continue;
        }
        if rest.starts_with('<') {
            if let Some(end) = rest.find('>') {
                let tag = Tag::parse(&rest[1..end]);
                rest = &rest[end + 1..];
                if let Some(tag) = tag {
                    if !tag.closing && matches!(tag.name.as_str(), "script" | "style") {
                        let close = format!("</{}", tag.name);
                        rest = match rest.to_ascii_lowercase().find(&close) {
                            Some(p) => rest[p..].split_once('>').map(|(_, r)| r).unwrap_or(""),
                            None => "",
                        };
                        continue;
                    }
                    w.tag(&tag);
                }
                continue;
            }
        }
        let end = rest.find('<').unwrap_or(rest.len()).max(1);
        w.text(&decode_entities(&rest[..end]));
        rest = &rest[end..];
    }
    w.finish()
}

struct Tag {
    name: String,
    closing: bool,
    attrs: Vec<(String, String)>,
}

impl Tag {
    fn parse(inner: &str) -> Option<Tag> {
        let inner = inner.trim().trim_end_matches('/');
        let (closing, inner) = match inner.strip_prefix('/') {
            Some(r) => (true, r),
            None => (false, inner),
        };
        let name_end = inner
            .find(|c: char| c.is_whitespace())
            .unwrap_or(inner.len());
        let name = inner[..name_end].to_ascii_lowercase();
        if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric()) {
            return None;
        }
        let mut attrs = Vec::new();
        let mut rest = &inner[name_end..];
        while let Some(eq) = rest.find('=') {
            let key = rest[..eq].trim().to_ascii_lowercase();
            let value_part = rest[eq + 1..].trim_start();
            let (value, after) = match value_part.chars().next() {
                Some(q @ ('"' | '\'')) => match value_part[1..].find(q) {
                    Some(end) => (&value_part[1..1 + end], &value_part[end + 2..]),
                    None => (&value_part[1..], ""),
                },
                _ => {
                    let end = value_part
                        .find(char::is_whitespace)
                        .unwrap_or(value_part.len());
                    (&value_part[..end], &value_part[end..])
                }
            };
            let key = key
                .rsplit(char::is_whitespace)
                .next()
                .unwrap_or("")
                .to_string();
            attrs.push((key, decode_entities(value)));
            rest = after;
        }
        Some(Tag {
            name,
            closing,
            attrs,
        })
    }

    fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

#[derive(Default)]
struct Writer {
    out: String,
    /// Open lists: numbered or not, and the next number.
    lists: Vec<(bool, usize)>,
    /// Inside `<pre>`: text is kept as it is.
    pre: bool,
    /// Open links' targets.
    links: Vec<String>,
    /// Where the text after an emphasis or code mark just opened starts.
    opened: Option<usize>,
}

impl Writer {
    /// Drops spaces, line ends and hard breaks (`\\` at a line's end) at
    /// the end of the output: `<p>asdf<br></p>` ends its paragraph with no
    /// dangling backslash.
    fn trim_end(&mut self) {
        loop {
            let trimmed = self.out.trim_end_matches([' ', '\n']).len();
            self.out.truncate(trimmed);
            // An odd run of backslashes ends in a hard break; an even one is
            // escaped backslashes, which stay.
            let run = self.out.len() - self.out.trim_end_matches('\\').len();
            if run % 2 == 1 {
                self.out.pop();
            } else {
                break;
            }
        }
    }

    fn block_break(&mut self) {
        self.trim_end();
        if !self.out.is_empty() {
            self.out.push_str("\n\n");
        }
    }

    fn line_break(&mut self) {
        let trimmed = self.out.trim_end_matches(' ').len();
        self.out.truncate(trimmed);
        if !self.out.is_empty() && !self.out.ends_with('\n') {
            self.out.push('\n');
        }
    }

    fn tag(&mut self, tag: &Tag) {
        match (tag.name.as_str(), tag.closing) {
            ("p" | "div" | "blockquote" | "table" | "section" | "article", _) => self.block_break(),
            ("br", _) => {
                if self.lists.is_empty() {
                    self.out.push_str("\\\n");
                } else {
                    self.out.push(' ');
                }
            }
            ("h1" | "h2" | "h3" | "h4" | "h5" | "h6", false) => {
                self.block_break();
                let level = tag.name[1..].parse::<usize>().unwrap_or(2);
                self.out.push_str(&"#".repeat(level));
                self.out.push(' ');
            }
            ("h1" | "h2" | "h3" | "h4" | "h5" | "h6", true) => self.block_break(),
            ("strong" | "b", false) => self.open_inline("**"),
            ("strong" | "b", true) => self.close_inline("**"),
            ("em" | "i", false) => self.open_inline("*"),
            ("em" | "i", true) => self.close_inline("*"),
            ("code", false) if !self.pre => self.open_inline("`"),
            ("code", true) if !self.pre => self.close_inline("`"),
            ("pre", false) => {
                self.block_break();
                self.out.push_str("```\n");
                self.pre = true;
            }
            ("pre", true) => {
                self.pre = false;
                if !self.out.ends_with('\n') {
                    self.out.push('\n');
                }
                self.out.push_str("```");
                self.block_break();
            }
            ("ul" | "ol", false) => {
                if self.lists.is_empty() {
                    self.block_break();
                }
                self.lists.push((tag.name == "ol", 1));
            }
            ("ul" | "ol", true) => {
                self.lists.pop();
                if self.lists.is_empty() {
                    self.block_break();
                }
            }
            ("li", false) => {
                self.line_break();
                let depth = self.lists.len().saturating_sub(1);
                self.out.push_str(&"  ".repeat(depth));
                match self.lists.last_mut() {
                    Some((true, n)) => {
                        self.out.push_str(&format!("{n}. "));
                        *n += 1;
                    }
                    _ => self.out.push_str("- "),
                }
            }
            ("tr", true) => self.line_break(),
            ("td" | "th", true) => self.out.push(' '),
            ("a", false) => {
                self.links.push(tag.attr("href").unwrap_or("").to_string());
                self.out.push('[');
            }
            ("a", true) => {
                let href = self.links.pop().unwrap_or_default();
                self.out.push_str(&format!("]({href})"));
            }
            ("img", false) => {
                let alt = tag.attr("alt").unwrap_or("");
                let src = tag.attr("src").unwrap_or("");
                self.out
                    .push_str(&format!("![{}]({src})", escape_line(alt)));
            }
            _ => {}
        }
    }

    /// An opening emphasis or code mark; a space that follows it in the
    /// HTML (`<b> x</b>`) is written before it, where Markdown needs it.
    fn open_inline(&mut self, mark: &str) {
        self.out.push_str(mark);
        self.opened = Some(self.out.len());
    }

    /// A closing mark; a space before it in the HTML (`<b>x </b>y`) moves
    /// after it, or Markdown would not close the emphasis.
    fn close_inline(&mut self, mark: &str) {
        let spaced = self.out.ends_with(' ');
        if spaced {
            self.out.pop();
        }
        self.out.push_str(mark);
        if spaced {
            self.out.push(' ');
        }
        self.opened = None;
    }

    fn text(&mut self, text: &str) {
        if self.pre {
            self.out.push_str(text);
            return;
        }
        let opened = self.opened.take();
        let collapsed: String = {
            let mut s = String::with_capacity(text.len());
            let mut space = false;
            for c in text.chars() {
                if c.is_whitespace() && c != '\u{a0}' {
                    space = true;
                } else {
                    // A leading space stays too: `<b>x</b> y` keeps the
                    // space after the closing tag.
                    if space {
                        s.push(' ');
                    }
                    space = false;
                    s.push(c);
                }
            }
            if space && !s.is_empty() {
                s.push(' ');
            }
            if space && s.is_empty() {
                s.push(' ');
            }
            s
        };
        let mut collapsed = collapsed;
        if collapsed.starts_with(' ') {
            if self.out.is_empty() || self.out.ends_with([' ', '\n']) {
                collapsed.remove(0);
            } else if let Some(at) = opened.filter(|&at| at == self.out.len()) {
                // `<b> x</b>`: the space goes before the mark.
                let mark_start = self.out[..at].trim_end_matches(['*', '`']).len();
                self.out.insert(mark_start, ' ');
                collapsed.remove(0);
            }
        }
        if collapsed.is_empty() {
            return;
        }
        let at_line_start = self.out.is_empty() || self.out.ends_with('\n');
        let escaped = if at_line_start {
            escape_line(collapsed.trim_start())
        } else {
            escape_line(&format!("x{collapsed}"))[1..].to_string()
        };
        self.out.push_str(&escaped.replace('\u{a0}', " "));
    }

    fn finish(mut self) -> String {
        self.trim_end();
        self.out.trim().to_string()
    }
}

/// `&amp;`, `&#20320;`, `&#x4F60;` and the named entities editors write.
pub fn decode_entities(text: &str) -> String {
    if !text.contains('&') {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp + 1..];
        let decoded = after.find(';').filter(|&e| e <= 10).and_then(|end| {
            let name = &after[..end];
            let c = if let Some(hex) = name.strip_prefix("#x").or_else(|| name.strip_prefix("#X")) {
                u32::from_str_radix(hex, 16).ok().and_then(char::from_u32)
            } else if let Some(dec) = name.strip_prefix('#') {
                dec.parse().ok().and_then(char::from_u32)
            } else {
                named_entity(name)
            };
            c.map(|c| (c, end))
        });
        match decoded {
            Some((c, end)) => {
                out.push(c);
                rest = &after[end + 1..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

fn named_entity(name: &str) -> Option<char> {
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => '\u{a0}',
        "ldquo" => '“',
        "rdquo" => '”',
        "lsquo" => '‘',
        "rsquo" => '’',
        "hellip" => '…',
        "mdash" => '—',
        "ndash" => '–',
        "middot" => '·',
        "times" => '×',
        "divide" => '÷',
        "copy" => '©',
        "deg" => '°',
        "plusmn" => '±',
        "le" => '≤',
        "ge" => '≥',
        "ne" => '≠',
        "rarr" => '→',
        "larr" => '←',
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn editor_html_becomes_markdown() {
        assert_eq!(
            html_to_markdown("<p>客户<strong>不一定</strong>在组织之外。</p>"),
            "客户**不一定**在组织之外。"
        );
        assert_eq!(
            html_to_markdown("<p>One</p>\n<p>Two<br>three</p>"),
            "One\n\nTwo\\\nthree"
        );
        assert_eq!(
            html_to_markdown("<ul><li>热情</li><li>尊重 &amp; <em>关注</em></li></ul>"),
            "- 热情\n- 尊重 &amp; *关注*".replace("&amp;", "&")
        );
        assert_eq!(
            html_to_markdown("<ol><li>a</li><li>b</li></ol>"),
            "1. a\n2. b"
        );
        assert_eq!(
            html_to_markdown(
                r#"See <a href="https://moodle.org/">Moodle</a> <img src="x.png" alt="logo">"#
            ),
            "See [Moodle](https://moodle.org/) ![logo](x.png)"
        );
        assert_eq!(
            html_to_markdown("a &lt;b&gt; 2*3 &#20320;&#x597D;"),
            "a \\<b> 2\\*3 你好"
        );
        assert_eq!(html_to_markdown("<script>alert(1)</script>ok"), "ok");
        // The space after a closing inline tag stays; spaces inside the
        // tags move outside the marks; a break that ends a paragraph goes.
        assert_eq!(
            html_to_markdown("an <b>activity</b> to <i>do</i> now"),
            "an **activity** to *do* now"
        );
        assert_eq!(html_to_markdown("a<b> x </b>y"), "a **x** y");
        assert_eq!(html_to_markdown("<p>asdf<br></p>"), "asdf");
        assert_eq!(html_to_markdown("<p>a<br><br></p><p>b</p>"), "a\n\nb");
        assert_eq!(html_to_markdown("a\\\\<br>"), "a\\\\\\\\");
        assert_eq!(
            html_to_markdown("<pre>let x = 1;\nx*2</pre>"),
            "```\nlet x = 1;\nx*2\n```"
        );
    }

    #[test]
    fn plain_text_is_escaped() {
        assert_eq!(
            plain_to_markdown("2*3 = 6\n# not a heading"),
            "2\\*3 = 6\\\n\\# not a heading"
        );
        assert_eq!(plain_to_markdown("a_b [c]"), "a\\_b \\[c\\]");
    }
}
