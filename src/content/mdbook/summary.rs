//! SUMMARY.md as mdBook reads it: an optional `# Title`, prefix chapters
//! (plain links before the list), numbered chapters (a nested list of
//! links, numbered 1, 1.1, 1.1.1 …), part titles (`# Part` between them),
//! separators (`---`), draft chapters (`- [Title]()`, listed but without a
//! page) and suffix chapters (plain links after the list).

use crate::content::paths::percent_decode;

/// One entry of the book's table of contents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub title: String,
    /// The page's source relative to the book's `src`; None for a draft.
    pub path: Option<String>,
    /// `1.2.` for numbered chapters; None for prefix and suffix chapters.
    pub number: Option<String>,
    pub children: Vec<Item>,
    /// The part title above this chapter, when a part starts here.
    pub part: Option<String>,
    /// 1-based line of SUMMARY.md, for diagnostics.
    pub line: usize,
}

#[derive(Debug, Default, PartialEq, Eq)]
pub struct Summary {
    pub title: Option<String>,
    /// Top-level chapters in order: prefix, numbered, suffix.
    pub chapters: Vec<Item>,
}

/// A line of SUMMARY.md that mdBook would refuse.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub line: usize,
    pub column: usize,
    pub message: String,
    pub hint: String,
}

#[derive(PartialEq, Eq, Clone, Copy)]
enum Stage {
    Prefix,
    Numbered,
    Suffix,
}

pub fn parse(text: &str) -> (Summary, Vec<Problem>) {
    let mut summary = Summary::default();
    let mut problems = Vec::new();
    let mut stage = Stage::Prefix;
    let mut pending_part: Option<String> = None;
    // The open list items: (indentation, path of indices into the tree).
    let mut stack: Vec<(usize, Vec<usize>)> = Vec::new();
    // Numbering of the numbered chapters, by depth.
    let mut counters: Vec<usize> = Vec::new();
    let mut in_comment = false;
    let mut seen_content = false;
    for (i, raw) in text.lines().enumerate() {
        let line_no = i + 1;
        let mut line = raw.trim_end();
        if in_comment {
            match line.find("-->") {
                Some(end) => {
                    in_comment = false;
                    line = &line[end + 3..];
                }
                None => continue,
            }
        }
        if let Some(start) = line.find("<!--") {
            match line[start..].find("-->") {
                Some(_) => {}
                None => {
                    in_comment = true;
                    line = &line[..start];
                }
            }
        }
        let trimmed = line.trim();
        if trimmed.is_empty() || (trimmed.starts_with("<!--") && trimmed.ends_with("-->")) {
            continue;
        }
        if let Some(heading) = heading_text(trimmed) {
            if !seen_content && summary.title.is_none() {
                summary.title = Some(heading);
            } else {
                // A part title: it ends the prefix chapters.
                if stage == Stage::Suffix {
                    problems.push(Problem {
                        line: line_no,
                        column: 1,
                        message: "a part title after the suffix chapters".into(),
                        hint: "part titles go between numbered chapters, before any plain link that follows the list".into(),
                    });
                }
                stage = Stage::Numbered;
                pending_part = Some(heading);
                stack.clear();
            }
            seen_content = true;
            continue;
        }
        seen_content = true;
        if is_separator(trimmed) {
            continue;
        }
        let indent = line.len() - line.trim_start().len();
        if let Some(rest) = list_item(trimmed) {
            if stage == Stage::Suffix {
                problems.push(Problem {
                    line: line_no,
                    column: indent + 1,
                    message: "a numbered chapter after the suffix chapters".into(),
                    hint: "suffix chapters (plain links) may only follow the whole list; make this link a list item or move it".into(),
                });
                continue;
            }
            stage = Stage::Numbered;
            let Some((title, dest)) = link(rest) else {
                problems.push(Problem {
                    line: line_no,
                    column: indent + 1,
                    message: format!("this list item is not a link to a page: `{trimmed}`"),
                    hint: "write each entry as `- [Title](file.md)`, or `- [Title]()` for a chapter not written yet".into(),
                });
                continue;
            };
            while stack.last().is_some_and(|(ind, _)| *ind >= indent) {
                stack.pop();
            }
            let depth = stack.len();
            counters.truncate(depth + 1);
            if counters.len() <= depth {
                counters.resize(depth + 1, 0);
            }
            counters[depth] += 1;
            let number = counters.iter().map(|n| format!("{n}.")).collect::<String>();
            let item = Item {
                title,
                path: path_of(&dest),
                number: Some(number),
                children: Vec::new(),
                part: if depth == 0 {
                    pending_part.take()
                } else {
                    None
                },
                line: line_no,
            };
            let siblings = match stack.last() {
                Some((_, path)) => children_at(&mut summary.chapters, path),
                None => &mut summary.chapters,
            };
            siblings.push(item);
            let mut path = stack.last().map(|(_, p)| p.clone()).unwrap_or_default();
            path.push(siblings.len() - 1);
            stack.push((indent, path));
            continue;
        }
        if let Some((title, dest)) = link(trimmed) {
            if stage == Stage::Numbered {
                stage = Stage::Suffix;
            }
            stack.clear();
            summary.chapters.push(Item {
                title,
                path: path_of(&dest),
                number: None,
                children: Vec::new(),
                part: None,
                line: line_no,
            });
            continue;
        }
        problems.push(Problem {
            line: line_no,
            column: indent + 1,
            message: format!("SUMMARY.md holds only links, part titles and separators, not `{trimmed}`"),
            hint: "write chapters as `[Title](file.md)` (prefix and suffix) or `- [Title](file.md)` (numbered), parts as `# Part title`".into(),
        });
    }
    (summary, problems)
}

fn children_at<'a>(items: &'a mut Vec<Item>, path: &[usize]) -> &'a mut Vec<Item> {
    let mut at = items;
    for &i in path {
        at = &mut at[i].children;
    }
    at
}

fn heading_text(line: &str) -> Option<String> {
    let hashes = line.chars().take_while(|c| *c == '#').count();
    if hashes == 0 || hashes > 6 {
        return None;
    }
    let rest = &line[hashes..];
    if !rest.is_empty() && !rest.starts_with(' ') {
        return None;
    }
    Some(rest.trim().trim_end_matches('#').trim().to_string())
}

fn is_separator(line: &str) -> bool {
    let compact: String = line.chars().filter(|c| !c.is_whitespace()).collect();
    compact.len() >= 3
        && (compact.chars().all(|c| c == '-')
            || compact.chars().all(|c| c == '*')
            || compact.chars().all(|c| c == '_'))
}

/// The text after a list marker (`- `, `* `, `+ `).
fn list_item(line: &str) -> Option<&str> {
    let mut chars = line.chars();
    let marker = chars.next()?;
    (matches!(marker, '-' | '*' | '+') && line[1..].starts_with([' ', '\t']))
        .then(|| line[1..].trim_start())
}

/// `[title](dest)` at the start of `text`: its title (inline Markdown
/// reduced to text) and destination.
fn link(text: &str) -> Option<(String, String)> {
    let rest = text.strip_prefix('[')?;
    let mut depth = 1usize;
    let mut close = None;
    let mut escaped = false;
    let mut in_code = false;
    for (i, c) in rest.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '`' => in_code = !in_code,
            '[' if !in_code => depth += 1,
            ']' if !in_code => {
                depth -= 1;
                if depth == 0 {
                    close = Some(i);
                    break;
                }
            }
            _ => {}
        }
    }
    let close = close?;
    let title = &rest[..close];
    let after = rest[close + 1..].strip_prefix('(')?;
    let end = after.rfind(')')?;
    let dest = after[..end].trim();
    // `[Title](file.md "tooltip")`: the destination is the first word.
    let dest = dest
        .strip_prefix('<')
        .and_then(|d| d.split_once('>').map(|(d, _)| d))
        .unwrap_or_else(|| dest.split_whitespace().next().unwrap_or(""));
    Some((inline_text(title), dest.to_string()))
}

/// Link text as mdBook shows it in the navigation: without Markdown marks.
fn inline_text(title: &str) -> String {
    let mut out = String::with_capacity(title.len());
    let mut escaped = false;
    for c in title.chars() {
        match c {
            _ if escaped => {
                out.push(c);
                escaped = false;
            }
            '\\' => escaped = true,
            '`' | '*' => {}
            _ => out.push(c),
        }
    }
    out.trim().to_string()
}

fn path_of(dest: &str) -> Option<String> {
    let dest = dest.split('#').next().unwrap_or("");
    if dest.is_empty() {
        return None;
    }
    let decoded = percent_decode(dest);
    Some(decoded.trim_start_matches("./").to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn titles(items: &[Item]) -> Vec<String> {
        items
            .iter()
            .map(|i| {
                format!(
                    "{}{}{}",
                    i.number.clone().unwrap_or_default(),
                    i.title,
                    if i.children.is_empty() {
                        String::new()
                    } else {
                        format!("[{}]", titles(&i.children).join(","))
                    }
                )
            })
            .collect()
    }

    #[test]
    fn every_construct() {
        let (s, problems) = parse(
            "# Summary\n\n[Introduction](README.md)\n[Foreword](foreword.md)\n\n# Part one\n\n- [First](first.md)\n    - [Nested](first/nested.md)\n        - [Deeper](first/deeper.md)\n    - [Draft]()\n- [Second](second.md)\n\n---\n\n# Part two\n\n- [Third `code` *em*](third%20x.md)\n\n---\n\n[Appendix](appendix.md)\n<!-- a comment -->\n",
        );
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(s.title.as_deref(), Some("Summary"));
        assert_eq!(
            titles(&s.chapters),
            vec![
                "Introduction",
                "Foreword",
                "1.First[1.1.Nested[1.1.1.Deeper],1.2.Draft]",
                "2.Second",
                "3.Third code em",
                "Appendix"
            ]
        );
        assert_eq!(s.chapters[2].part.as_deref(), Some("Part one"));
        assert_eq!(s.chapters[4].part.as_deref(), Some("Part two"));
        assert_eq!(s.chapters[4].path.as_deref(), Some("third x.md"));
        assert_eq!(s.chapters[2].children[1].path, None);
        assert_eq!(s.chapters[2].line, 8);
    }

    #[test]
    fn mistakes_are_located() {
        let (_, problems) =
            parse("- [A](a.md)\n- Not a link\n[Suffix](s.md)\n- [Late](late.md)\nplain words\n");
        let lines: Vec<usize> = problems.iter().map(|p| p.line).collect();
        assert_eq!(lines, vec![2, 4, 5]);
    }

    #[test]
    fn no_title_and_tab_or_two_space_indent() {
        let (s, p) = parse("- [A](a.md)\n  - [B](b.md)\n\t- [C](c.md)\n");
        assert!(p.is_empty());
        assert_eq!(s.title, None);
        assert_eq!(titles(&s.chapters), vec!["1.A[1.1.B,1.2.C]"]);
    }
}
