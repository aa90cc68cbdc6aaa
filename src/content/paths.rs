//! From source file names to output URLs: numeric prefixes order things and
//! are dropped from URLs (`01-intro.md` → `intro.html`).

/// The folder of a course that holds its pages.
pub const CONTENT_DIR: &str = "content";

/// Splits `01-intro` into (Some(1), "intro"). Accepts `-`, `_`, `.` or a
/// space after the digits.
pub fn split_prefix(name: &str) -> (Option<i64>, &str) {
    let digits = name.chars().take_while(|c| c.is_ascii_digit()).count();
    if digits == 0 || digits >= name.len() {
        return (None, name);
    }
    let rest = &name[digits..];
    match rest.chars().next() {
        Some('-' | '_' | '.' | ' ') if rest.len() > 1 => (name[..digits].parse().ok(), &rest[1..]),
        _ => (None, name),
    }
}

/// The URL of a Markdown file given its path relative to content/ (with `/`).
pub fn page_url(relative: &str) -> String {
    let parts: Vec<&str> = relative.split('/').collect();
    let mut out: Vec<String> = Vec::with_capacity(parts.len());
    for (i, part) in parts.iter().enumerate() {
        if i + 1 == parts.len() {
            let stem = part.strip_suffix(".md").unwrap_or(part);
            out.push(format!("{}.html", split_prefix(stem).1));
        } else {
            out.push(split_prefix(part).1.to_string());
        }
    }
    out.join("/")
}

/// The URL of a non-Markdown file (only folder prefixes are dropped, so a
/// page's relative image links keep working).
pub fn asset_url(relative: &str) -> String {
    let parts: Vec<&str> = relative.split('/').collect();
    let last = parts.len() - 1;
    parts
        .iter()
        .enumerate()
        .map(|(i, p)| {
            if i == last {
                (*p).to_string()
            } else {
                split_prefix(p).1.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// Resolves `link` (relative, `/`-separated) against the folder of `from`,
/// both relative to content/. None when it climbs out of content/.
pub fn resolve(from: &str, link: &str) -> Option<String> {
    let mut parts: Vec<&str> = from.split('/').collect();
    parts.pop();
    for piece in link.split('/') {
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

/// `%XX` escapes decoded, as browsers decode a link before they open it.
/// None when an escape is malformed or the bytes are not UTF-8.
pub fn percent_decode_strict(s: &str) -> Option<String> {
    if !s.contains('%') {
        return Some(s.to_string());
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        // Slicing bytes, not the &str: a multi-byte character may follow
        // the `%` (`%a客户.md` once panicked the loader; the input is kept
        // in tests/fuzz_regressions/front_matter/).
        if bytes[i] == b'%' {
            let hex = |b: u8| (b as char).to_digit(16);
            let high = hex(*bytes.get(i + 1)?)?;
            let low = hex(*bytes.get(i + 2)?)?;
            out.push((high * 16 + low) as u8);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// As `percent_decode_strict`, keeping the text as written when it is not
/// a valid escape (a page may well link to `50%.md`).
pub fn percent_decode(s: &str) -> String {
    percent_decode_strict(s).unwrap_or_else(|| s.to_string())
}

/// Relative prefix from a page at `url` (relative to the site root) back to the root.
pub fn root_prefix(url: &str) -> String {
    "../".repeat(url.matches('/').count())
}

/// A link from the page at `from` to `to` (both relative to the site root).
pub fn relative_url(from: &str, to: &str) -> String {
    let from_dirs: Vec<&str> = from.split('/').collect();
    let from_dirs = &from_dirs[..from_dirs.len() - 1];
    let to_parts: Vec<&str> = to.split('/').collect();
    let common = from_dirs
        .iter()
        .zip(to_parts.iter())
        .take_while(|(a, b)| a == b)
        .count();
    let common = common.min(to_parts.len() - 1);
    let mut out = "../".repeat(from_dirs.len() - common);
    out.push_str(&to_parts[common..].join("/"));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes() {
        assert_eq!(split_prefix("01-intro"), (Some(1), "intro"));
        assert_eq!(split_prefix("10_x"), (Some(10), "x"));
        assert_eq!(split_prefix("2024"), (None, "2024"));
        assert_eq!(split_prefix("intro"), (None, "intro"));
        assert_eq!(split_prefix("3d-models"), (None, "3d-models"));
    }

    #[test]
    fn urls() {
        assert_eq!(page_url("01-a/02-b.md"), "a/b.html");
        assert_eq!(page_url("01-a/index.md"), "a/index.html");
        assert_eq!(page_url("index.md"), "index.html");
        assert_eq!(asset_url("01-a/img/01-x.png"), "a/img/01-x.png");
    }

    #[test]
    fn resolving() {
        assert_eq!(
            resolve("01-a/02-b.md", "03-c.md").as_deref(),
            Some("01-a/03-c.md")
        );
        assert_eq!(
            resolve("01-a/02-b.md", "../02-x/index.md").as_deref(),
            Some("02-x/index.md")
        );
        assert_eq!(resolve("index.md", "../x.md"), None);
    }

    #[test]
    fn percent_escapes() {
        assert_eq!(percent_decode("a%20b%E5%AE%A2.md"), "a b客.md");
        assert_eq!(percent_decode("50%.md"), "50%.md");
        assert_eq!(percent_decode("%a客户.md"), "%a客户.md");
        assert_eq!(percent_decode_strict("%zz"), None);
        assert_eq!(percent_decode_strict("%FF"), None);
        assert_eq!(percent_decode_strict("%41"), Some("A".into()));
    }

    #[test]
    fn relative_links() {
        assert_eq!(relative_url("a/b.html", "a/c.html"), "c.html");
        assert_eq!(relative_url("a/b.html", "d/index.html"), "../d/index.html");
        assert_eq!(relative_url("index.html", "d/index.html"), "d/index.html");
        assert_eq!(relative_url("a/b.html", "index.html"), "../index.html");
        assert_eq!(relative_url("a/x/b.html", "a/y.html"), "../y.html");
        assert_eq!(root_prefix("a/b.html"), "../");
        assert_eq!(root_prefix("index.html"), "");
    }
}
