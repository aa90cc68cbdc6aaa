//! Which output path each file of content/ claims, and whether it may: one
//! owner per path. A name must be usable in a web address, must not land on
//! a name lectern generates (`crate::generated`), and must not build to the
//! same path as another file; names that differ only in letter case get a
//! warning, since they are one file on case-insensitive disks.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::generated;

/// A file of content/ and the output path it builds to.
pub struct Claim<'a> {
    /// Relative to content/, `/`-separated.
    pub rel: &'a str,
    /// Relative to the site root.
    pub url: &'a str,
    /// For diagnostics.
    pub display: &'a Path,
    pub is_page: bool,
}

/// Reports every claim that cannot be granted.
pub fn check(claims: &[Claim], pages_dir: &str, diags: &mut Diagnostics) {
    let unusable = check_web_names(claims, pages_dir, diags);
    let reserved = check_reserved(claims, pages_dir, diags);
    let rest: Vec<&Claim> = claims
        .iter()
        .enumerate()
        .filter(|(i, _)| !unusable.contains(i) && !reserved.contains(i))
        .map(|(_, c)| c)
        .collect();
    check_duplicates(&rest, diags);
    check_letter_case(&rest, diags);
}

/// Why `c` may not appear in a web address, if it may not. Spaces and
/// non-ASCII letters (Chinese names) are fine: browsers encode them and
/// servers and file:// decode them back.
fn unusable_char(c: char) -> Option<&'static str> {
    match c {
        '#' => Some("`#` starts the anchor part of a web address"),
        '?' => Some("`?` starts the query part of a web address"),
        '%' => Some("`%` starts an escape such as `%20` in a web address"),
        '\\' => Some("browsers read `\\` as `/` in a web address"),
        c if c.is_control() => Some("it holds a control character (a line break or a tab), which browsers drop from web addresses"),
        _ => None,
    }
}

/// Names that cannot be part of a link: reported once at the outermost
/// folder or file that has one. Returns the claims concerned.
fn check_web_names(claims: &[Claim], pages_dir: &str, diags: &mut Diagnostics) -> HashSet<usize> {
    let mut reported: HashSet<String> = HashSet::new();
    let mut unusable = HashSet::new();
    for (i, claim) in claims.iter().enumerate() {
        let mut prefix = String::new();
        for (depth, segment) in claim.rel.split('/').enumerate() {
            if depth > 0 {
                prefix.push('/');
            }
            prefix.push_str(segment);
            let Some((c, why)) = segment
                .chars()
                .find_map(|c| unusable_char(c).map(|why| (c, why)))
            else {
                continue;
            };
            unusable.insert(i);
            if reported.insert(prefix.clone()) {
                let is_folder = depth + 1 < claim.rel.split('/').count();
                // The name is printed escaped: a line break in a path would
                // break the diagnostic's own lines.
                let shown = escaped(&prefix);
                let what = if is_folder { "folder" } else { "file" };
                let character = if c.is_control() {
                    c.escape_default().to_string()
                } else {
                    c.to_string()
                };
                diags.push(
                    Diagnostic::error(
                        Path::new(pages_dir).join(&shown),
                        0,
                        0,
                        format!(
                            "this {what}'s name cannot be part of a link: {why} (`{character}` in `{}`)",
                            escaped(segment)
                        ),
                    )
                    .with_hint(format!(
                        "rename the {what} without `#`, `?`, `%`, `\\` or line breaks; letters of any language, digits, spaces, `-` and `_` are fine"
                    )),
                );
            }
            break;
        }
    }
    unusable
}

fn escaped(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_control() {
                c.escape_default().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// URLs on or under a name lectern generates: reported once per chapter
/// folder (`content/02-static/`), or at the file when it sits directly in
/// content/. Returns the claims concerned.
fn check_reserved(claims: &[Claim], pages_dir: &str, diags: &mut Diagnostics) -> HashSet<usize> {
    let mut reported: HashSet<&str> = HashSet::new();
    let mut taken = HashSet::new();
    for (i, claim) in claims.iter().enumerate() {
        // The one file that builds the home page (an mdBook's README.md
        // becomes index.html, as mdBook makes it).
        if claim.rel == "index.md"
            || (claim.rel == "README.md" && claim.url == generated::HOME_PAGE)
        {
            continue;
        }
        let Some(r) = generated::reserved(claim.url) else {
            continue;
        };
        taken.insert(i);
        let (place, what) = match claim.rel.split_once('/') {
            Some((folder, _)) => (folder, "folder"),
            None => (claim.rel, "file"),
        };
        if !reported.insert(place) {
            continue;
        }
        let (name, example) = if r.is_dir {
            (format!("{}/", r.name), format!("{}-pages", r.name))
        } else {
            (r.name.to_string(), format!("my-{}", r.name))
        };
        let hint = if what == "folder" {
            format!("rename the folder, e.g. to `{example}`; a numeric prefix like `02-` is not part of the name, and letter case does not count")
        } else if r.name == generated::HOME_PAGE {
            "the home page is written from content/index.md: rename this file".to_string()
        } else {
            format!("rename the file, e.g. to `{example}`; letter case does not count")
        };
        diags.push(
            Diagnostic::error(
                Path::new(pages_dir).join(place),
                0,
                0,
                format!(
                    "this {what} builds to `{name}`, which lectern reserves for {}",
                    r.purpose
                ),
            )
            .with_hint(hint),
        );
    }
    taken
}

/// Two files that build to the same path: an error at each, naming the others.
fn check_duplicates(claims: &[&Claim], diags: &mut Diagnostics) {
    let mut by_url: HashMap<&str, Vec<&Claim>> = HashMap::new();
    for c in claims {
        by_url.entry(c.url).or_default().push(c);
    }
    let mut dups: Vec<_> = by_url.into_iter().filter(|(_, v)| v.len() > 1).collect();
    dups.sort_by_key(|(url, _)| *url);
    for (url, files) in dups {
        let all_pages = files.iter().all(|c| c.is_page);
        for f in &files {
            let others: Vec<String> = files
                .iter()
                .filter(|o| o.rel != f.rel)
                .map(|o| o.display.display().to_string())
                .collect();
            let d = if all_pages {
                Diagnostic::error(
                    f.display,
                    0,
                    0,
                    format!(
                        "duplicate page slug: this file and {} would both be built as {url}",
                        others.join(", ")
                    ),
                )
                .with_hint(
                    "rename one of them; numeric prefixes like `01-` are not part of the slug",
                )
            } else {
                Diagnostic::error(
                    f.display,
                    0,
                    0,
                    format!(
                        "this file and {} would both be built as {url}",
                        others.join(", ")
                    ),
                )
                .with_hint("rename one of them; a page `x.md` builds to `x.html`, and numeric prefixes like `01-` of folders are not part of the path")
            };
            diags.push(d);
        }
    }
}

/// Output paths (or folders) whose names differ only in letter case: one
/// file on Windows and macOS disks and on servers that ignore case, so one
/// would overwrite the other. A warning, once for the outermost such name.
fn check_letter_case(claims: &[&Claim], diags: &mut Diagnostics) {
    // Lower-cased path → its spellings, each with the first file claiming it.
    let mut names: BTreeMap<String, BTreeMap<&str, &Claim>> = BTreeMap::new();
    for c in claims {
        let mut end = 0;
        for segment in c.url.split('/') {
            end += segment.len();
            let path = &c.url[..end];
            names
                .entry(path.to_lowercase())
                .or_default()
                .entry(path)
                .or_insert(c);
            end += 1;
        }
    }
    let mut reported: Vec<String> = Vec::new();
    for (lower, spellings) in &names {
        if spellings.len() < 2
            || reported
                .iter()
                .any(|r| lower.starts_with(r.as_str()) && lower[r.len()..].starts_with('/'))
        {
            continue;
        }
        reported.push(lower.clone());
        let mut iter = spellings.iter();
        let Some((first_name, first)) = iter.next() else {
            continue;
        };
        for (name, claim) in iter {
            let is_folder = claim.url.len() > name.len();
            let (a, b) = if is_folder {
                (format!("folder `{name}/`"), format!("`{first_name}/`"))
            } else {
                (format!("`{name}`"), format!("`{first_name}`"))
            };
            diags.push(
                Diagnostic::warning(
                    claim.display,
                    0,
                    0,
                    format!(
                        "this file builds to the {a} and {} to {b}: names that differ only in letter case are the same on Windows and macOS disks and on many servers, so one would replace the other",
                        first.display.display()
                    ),
                )
                .with_hint("rename one of them so that the names differ in more than letter case"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn display_of(rel: &str) -> PathBuf {
        Path::new("content").join(rel)
    }

    fn run(files: &[(&str, &str, bool)]) -> Vec<Diagnostic> {
        let displays: Vec<PathBuf> = files.iter().map(|(rel, _, _)| display_of(rel)).collect();
        let claims: Vec<Claim> = files
            .iter()
            .zip(&displays)
            .map(|((rel, url, is_page), display)| Claim {
                rel,
                url,
                display,
                is_page: *is_page,
            })
            .collect();
        let mut diags = Diagnostics::new();
        check(&claims, "content", &mut diags);
        diags.into_vec()
    }

    #[test]
    fn a_chapter_folder_on_a_reserved_name_is_reported_once_at_the_folder() {
        let d = run(&[
            ("02-static/index.md", "static/index.html", true),
            ("02-static/style.css", "static/style.css", false),
        ]);
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(d[0].file, Path::new("content/02-static"));
        assert!(d[0].message.contains("`static/`"), "{}", d[0].message);
        assert!(d[0].message.contains("the theme's files"));
    }

    #[test]
    fn the_home_page_is_content_index_md_alone() {
        assert!(run(&[("index.md", "index.html", true)]).is_empty());
        let d = run(&[("index.html", "index.html", false)]);
        assert_eq!(d.len(), 1);
        assert!(d[0].message.contains("`index.html`"));
        // A chapter's own index page is not the home page.
        assert!(run(&[("01-a/index.md", "a/index.html", true)]).is_empty());
    }

    #[test]
    fn two_assets_on_one_path_are_both_named() {
        let d = run(&[
            ("01-a/x.png", "a/x.png", false),
            ("a/x.png", "a/x.png", false),
        ]);
        assert_eq!(d.len(), 2);
        assert!(d[0].message.contains("content/a/x.png"), "{}", d[0].message);
        assert!(
            d[1].message.contains("content/01-a/x.png"),
            "{}",
            d[1].message
        );
    }

    #[test]
    fn names_that_cannot_be_links() {
        let d = run(&[
            ("01-a/b#c.md", "a/b#c.html", true),
            ("01-a/q?.png", "a/q?.png", false),
            ("01-a/100%.md", "a/100%.html", true),
            ("01-a\nb/x.md", "a\nb/x.html", true),
            ("01-a\nb/y.md", "a\nb/y.html", true),
        ]);
        assert_eq!(d.len(), 4, "{d:?}");
        assert!(d
            .iter()
            .any(|d| d.file == Path::new("content/01-a\\nb")
                && d.message.contains("this folder's name")));
        // Spaces and Chinese are fine.
        assert!(run(&[("01-客户/服务 流程.md", "客户/服务 流程.html", true)]).is_empty());
    }

    #[test]
    fn letter_case_clashes_warn_once_for_the_outermost_name() {
        let d = run(&[
            ("01-a/Intro.md", "a/Intro.html", true),
            ("01-a/intro.md", "a/intro.html", true),
        ]);
        assert_eq!(d.len(), 1);
        assert!(!d[0].is_error());
        assert!(
            d[0].message.contains("content/01-a/Intro.md"),
            "{}",
            d[0].message
        );
        let d = run(&[
            ("01-Guide/index.md", "Guide/index.html", true),
            ("02-guide/index.md", "guide/index.html", true),
        ]);
        assert_eq!(d.len(), 1, "{d:?}");
        assert!(d[0].message.contains("folder `guide/`"), "{}", d[0].message);
    }
}
