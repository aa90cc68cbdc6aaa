//! A page's HTML as the XHTML an EPUB holds: every tag closed, only XML's
//! own entities, and every link and image pointing inside the book.
//!
//! lectern's Markdown renderer already writes well-formed markup (`<br />`,
//! escaped text); what needs care is raw HTML an author wrote and links to
//! what the book does not hold (quiz pages, the search page, files that are
//! not images). A page that still is not well-formed XML after these fixes
//! is reported and written as its plain text, so the book stays valid.

use std::collections::{BTreeMap, BTreeSet};

use crate::content::paths::relative_url;

/// What the book holds: site paths (as the pages' links name them) and
/// where each is in the book.
pub struct Holdings<'a> {
    /// Reading documents: a page's site path (`a/b.html`) → its path in
    /// the book (`a/b.xhtml`, the extension EPUB readers expect).
    pub documents: &'a BTreeMap<String, String>,
    /// Images, at the same path in the site and the book.
    pub images: &'a BTreeSet<String>,
}

/// Where a piece of HTML was written (`site`, the page its links are
/// relative to) and where it goes in the book (`book`: the same page under
/// its book name, or the appendix of answers).
#[derive(Clone, Copy)]
pub struct Place<'a> {
    pub site: &'a str,
    pub book: &'a str,
}

/// What fixing one page's HTML changed that its reader would notice.
#[derive(Debug, Default)]
pub struct Fixed {
    pub html: String,
    /// Links whose target the book does not hold (kept as their text).
    pub unlinked: Vec<String>,
    /// Images the book does not hold (replaced by their alt text).
    pub dropped_images: Vec<String>,
    /// The images shown, as paths from the book's root.
    pub images_used: Vec<String>,
}

const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr",
];

/// Fixes `html` written at `at`.
pub fn fix(html: &str, at: Place, holds: &Holdings) -> Fixed {
    let mut out = Fixed {
        html: String::with_capacity(html.len()),
        ..Fixed::default()
    };
    let mut rest = html;
    while let Some(start) = rest.find('<') {
        out.html.push_str(&entities(&rest[..start]));
        let tail = &rest[start..];
        let Some(end) = tag_end(tail) else {
            out.html.push_str(&entities(tail));
            rest = "";
            break;
        };
        let tag = &tail[..end];
        let fixed = fix_tag(tag, at, holds, &mut out);
        out.html.push_str(&fixed);
        rest = &tail[end..];
    }
    out.html.push_str(&entities(rest));
    out
}

/// The length of the tag starting `text` (through its `>`), quotes honoured;
/// comments and `<!…>` whole.
fn tag_end(text: &str) -> Option<usize> {
    if text.starts_with("<!--") {
        return text.find("-->").map(|i| i + 3);
    }
    let mut quote = None;
    for (i, c) in text.char_indices().skip(1) {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '>') => return Some(i + 1),
            _ => {}
        }
    }
    None
}

fn tag_name(tag: &str) -> String {
    tag.trim_start_matches('<')
        .trim_start_matches('/')
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect::<String>()
        .to_ascii_lowercase()
}

fn fix_tag(tag: &str, at: Place, holds: &Holdings, out: &mut Fixed) -> String {
    if tag.starts_with("<!--") || tag.starts_with("</") || tag.starts_with("<!") {
        return tag.to_string();
    }
    let name = tag_name(tag);
    if name.is_empty() {
        // A `<` that starts no tag: text.
        return entities(tag).replace('<', "&lt;");
    }
    let mut tag = tag.to_string();
    if name == "a" {
        if let Some(href) = attribute(&tag, "href") {
            match link(&href, at, holds) {
                Some(target) if target == href => {}
                Some(target) => tag = set_attribute(&tag, "href", &target),
                None => {
                    out.unlinked.push(href.clone());
                    tag = remove_attribute(&tag, "href");
                }
            }
        }
    }
    if name == "img" {
        let src = attribute(&tag, "src").unwrap_or_default();
        let held = match path_of(&src) {
            Some(path) if !src.contains(['#', '?']) => {
                resolve(at.site, &path).filter(|p| holds.images.contains(p))
            }
            _ => None,
        };
        let Some(path) = held else {
            out.dropped_images.push(src);
            let alt = attribute(&tag, "alt").unwrap_or_default();
            return format!("<span class=\"missing-image\">{}</span>", escape(&alt));
        };
        tag = set_attribute(&tag, "src", &relative_url(at.book, &path));
        out.images_used.push(path);
        if attribute(&tag, "alt").is_none() {
            tag = tag.replacen("<img", "<img alt=\"\"", 1);
        }
    }
    if VOID.contains(&name.as_str()) && !tag.ends_with("/>") {
        tag.truncate(tag.len() - 1);
        tag.push_str(" />");
    }
    tag
}

/// Where a link written at `at` points in the book: the same text for a
/// web link, or a path relative to `at.book`; None when the book does not
/// hold its target.
fn link(url: &str, at: Place, holds: &Holdings) -> Option<String> {
    if let Some(colon) = url.find(':') {
        if url[..colon]
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        {
            return matches!(
                url[..colon].to_ascii_lowercase().as_str(),
                "http" | "https" | "mailto"
            )
            .then(|| url.to_string());
        }
    }
    let (path, fragment) = match url.split_once('#') {
        Some((p, f)) => (p, Some(f)),
        None => (url, None),
    };
    let path = path.split('?').next().unwrap_or_default();
    let target = if path.is_empty() {
        at.site.to_string()
    } else {
        resolve(at.site, &decode(path))?
    };
    let book = holds.documents.get(&target)?;
    let mut out = if book == at.book {
        String::new()
    } else {
        href(&relative_url(at.book, book))
    };
    if let Some(f) = fragment {
        out.push('#');
        out.push_str(f);
    }
    Some(out)
}

/// An image's path as written, `%XX` decoded; None for a web address.
fn path_of(src: &str) -> Option<String> {
    if src.is_empty() || src.contains(':') {
        return None;
    }
    Some(decode(src))
}

/// `rel` seen from the document at `at`, as a path from the book's root;
/// None when it climbs out.
pub fn resolve(at: &str, rel: &str) -> Option<String> {
    let mut parts: Vec<&str> = at.split('/').collect();
    parts.pop();
    if rel.starts_with('/') {
        return None;
    }
    for piece in rel.split('/') {
        match piece {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    Some(parts.join("/"))
}

/// `%XX` escapes decoded (lectern's own links to pages with non-ASCII
/// names are written encoded).
fn decode(path: &str) -> String {
    let bytes = path.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() && path.is_char_boundary(i + 3) {
            if let Ok(b) = u8::from_str_radix(&path[i + 1..i + 3], 16) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| path.to_string())
}

/// The value of attribute `name` in `tag`, unescaped as far as `&amp;`.
fn attribute(tag: &str, name: &str) -> Option<String> {
    let (start, end) = attribute_span(tag, name)?;
    let raw = &tag[start..end];
    let value = raw.split_once('=').map(|(_, v)| v.trim()).unwrap_or("");
    let value = value.trim_matches(|c| c == '"' || c == '\'');
    Some(value.replace("&amp;", "&"))
}

fn set_attribute(tag: &str, name: &str, value: &str) -> String {
    match attribute_span(tag, name) {
        Some((start, end)) => format!(
            "{}{name}=\"{}\"{}",
            &tag[..start],
            escape(value),
            &tag[end..]
        ),
        None => tag.to_string(),
    }
}

fn remove_attribute(tag: &str, name: &str) -> String {
    match attribute_span(tag, name) {
        Some((start, end)) => format!("{}{}", tag[..start].trim_end(), &tag[end..]),
        None => tag.to_string(),
    }
}

/// Where ` name="value"` sits in `tag` (from the name to the end of the
/// value), quotes honoured.
fn attribute_span(tag: &str, name: &str) -> Option<(usize, usize)> {
    let bytes = tag.as_bytes();
    let mut i = 1 + tag_name(tag).len();
    while i < bytes.len() {
        while i < bytes.len() && (bytes[i] as char).is_ascii_whitespace() {
            i += 1;
        }
        let name_start = i;
        while i < bytes.len() && !b" \t\n\r=/>".contains(&bytes[i]) {
            i += 1;
        }
        if i == name_start {
            i += 1;
            continue;
        }
        let found = tag[name_start..i].eq_ignore_ascii_case(name);
        let mut j = i;
        while j < bytes.len() && (bytes[j] as char).is_ascii_whitespace() {
            j += 1;
        }
        if j < bytes.len() && bytes[j] == b'=' {
            j += 1;
            while j < bytes.len() && (bytes[j] as char).is_ascii_whitespace() {
                j += 1;
            }
            if j < bytes.len() && (bytes[j] == b'"' || bytes[j] == b'\'') {
                let q = bytes[j];
                j += 1;
                while j < bytes.len() && bytes[j] != q {
                    j += 1;
                }
                j = (j + 1).min(bytes.len());
            } else {
                while j < bytes.len() && !b" \t\n\r>".contains(&bytes[j]) {
                    j += 1;
                }
            }
            i = j;
        }
        if found {
            return Some((name_start, i));
        }
    }
    None
}

/// HTML's named entities written as numbers (XML knows only five names);
/// a name not known here is left for the well-formedness check to catch.
fn entities(text: &str) -> String {
    if !text.contains('&') {
        return text.to_string();
    }
    const NAMED: &[(&str, u32)] = &[
        ("nbsp", 160),
        ("copy", 169),
        ("reg", 174),
        ("deg", 176),
        ("middot", 183),
        ("times", 215),
        ("divide", 247),
        ("laquo", 171),
        ("raquo", 187),
        ("ndash", 8211),
        ("mdash", 8212),
        ("lsquo", 8216),
        ("rsquo", 8217),
        ("ldquo", 8220),
        ("rdquo", 8221),
        ("hellip", 8230),
        ("bull", 8226),
        ("trade", 8482),
        ("larr", 8592),
        ("rarr", 8594),
        ("ensp", 8194),
        ("emsp", 8195),
        ("thinsp", 8201),
        ("zwj", 8205),
        ("zwnj", 8204),
    ];
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        let name_end = tail[1..]
            .find(|c: char| !c.is_ascii_alphanumeric() && c != '#')
            .map(|j| j + 1);
        match name_end {
            Some(j) if tail[j..].starts_with(';') && j > 1 => {
                let name = &tail[1..j];
                match NAMED.iter().find(|(n, _)| *n == name) {
                    Some((_, code)) => out.push_str(&format!("&#{code};")),
                    None => out.push_str(&tail[..=j]),
                }
                rest = &tail[j + 1..];
            }
            _ => {
                out.push_str("&amp;");
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// A path as a URL: characters outside URLs' own escaped (a file name in
/// Chinese stays readable to readers that decode it, and valid to those
/// that do not).
pub fn href(path: &str) -> String {
    let mut out = String::new();
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Text for XHTML content and attribute values (XML's escaping, as Moodle
/// XML's).
pub fn escape(text: &str) -> String {
    crate::interop::moodle_xml::escape(text)
}

/// Whether `document` is well-formed XML.
pub fn well_formed(document: &str) -> Result<(), String> {
    let options = roxmltree::ParsingOptions {
        allow_dtd: true,
        ..Default::default()
    };
    roxmltree::Document::parse_with_options(document, options)
        .map(|_| ())
        .map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(items: &[&str]) -> BTreeSet<String> {
        items.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn links_inside_the_book_stay_and_others_become_text() {
        let docs: BTreeMap<String, String> =
            [("a/b.html", "a/b.xhtml"), ("c/index.html", "c/index.xhtml")]
                .iter()
                .map(|(a, b)| (a.to_string(), b.to_string()))
                .collect();
        let images = set(&["a/pic.png"]);
        let holds = Holdings {
            documents: &docs,
            images: &images,
        };
        let page = Place {
            site: "a/b.html",
            book: "a/b.xhtml",
        };
        let f = fix(
            "<p><a href=\"../c/index.html#x\">c</a> <a href=\"../quiz/a.html\">q</a> <a href=\"https://e.org/?a=1&amp;b=2\">w</a><br><img src=\"pic.png\"><img src=\"gone.png\" alt=\"Gone &amp; lost\"> &nbsp;&unknownentity; a & b <a href=\"#top\">t</a></p>",
            page,
            &holds,
        );
        assert_eq!(
            f.html,
            "<p><a href=\"../c/index.xhtml#x\">c</a> <a>q</a> <a href=\"https://e.org/?a=1&amp;b=2\">w</a><br /><img alt=\"\" src=\"pic.png\" /><span class=\"missing-image\">Gone &amp; lost</span> &#160;&unknownentity; a &amp; b <a href=\"#top\">t</a></p>"
        );
        assert_eq!(f.unlinked, vec!["../quiz/a.html"]);
        assert_eq!(f.dropped_images, vec!["gone.png"]);
        assert_eq!(f.images_used, vec!["a/pic.png"]);
        // The same HTML moved to the appendix at the book's root.
        let moved = Place {
            site: "a/b.html",
            book: "answers.xhtml",
        };
        let f = fix(
            "<a href=\"#top\">t</a><img src=\"pic.png\"/>",
            moved,
            &holds,
        );
        assert_eq!(
            f.html,
            "<a href=\"a/b.xhtml#top\">t</a><img alt=\"\" src=\"a/pic.png\"/>"
        );
    }

    #[test]
    fn paths_resolve_and_never_climb_out() {
        assert_eq!(
            resolve("a/b.html", "../c/d.png").as_deref(),
            Some("c/d.png")
        );
        assert_eq!(resolve("a/b.html", "../../x"), None);
        assert_eq!(decode("%E5%AE%A2.png"), "客.png");
        assert_eq!(href("a b/客.png"), "a%20b/%E5%AE%A2.png");
    }
}
