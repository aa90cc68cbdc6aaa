//! `lectern new chapter|page|case|qa|quiz NAME`: starts a file with its front
//! matter (or bank header) and the next number in its folder's order, and
//! never overwrites anything.
//!
//! Numbers follow the course's own convention: a two-digit prefix (`07-`)
//! one above the highest one in the folder. A name that already carries a
//! prefix (`03-intro`) is taken as it is. A name whose slug is already used
//! (by any prefix) is refused, since both files would build to one URL.

use std::fs::OpenOptions;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::config::{Config, Language};
use crate::content::paths::split_prefix;
use crate::diagnostic::{nearest, Diagnostic};

/// What `lectern new` creates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A chapter folder with its index.md.
    Chapter,
    /// A section of a chapter.
    Page,
    /// A case study page (`kind: case`).
    Case,
    /// A Q&A page (`kind: qa`).
    Qa,
    /// A chapter's question bank under quizzes/.
    Quiz,
}

#[derive(Debug, Clone)]
pub struct NewOptions {
    pub root: PathBuf,
    pub kind: Kind,
    /// `slug`, `NN-slug`, or for pages `chapter/slug`.
    pub name: String,
    /// The chapter of a page, case, Q&A or quiz (slug or folder name).
    pub chapter: Option<String>,
    pub title: Option<String>,
}

/// Creates the file and returns its path relative to the course root.
pub fn create(options: &NewOptions) -> Result<PathBuf, Diagnostic> {
    let config = Config::load(&options.root)?;
    let english = config.language == Language::En;
    let content = options.root.join("content");
    match options.kind {
        Kind::Chapter => {
            let name = check_name(&options.name)?;
            let chapters = chapter_folders(&content);
            refuse_taken_slug(
                &name,
                chapters.iter().map(String::as_str),
                "content",
                "a chapter",
                "",
            )?;
            let folder = numbered(&name, chapters.iter().map(String::as_str));
            let title = options.title.clone().unwrap_or_else(|| humanize(&name));
            let rel = PathBuf::from("content").join(&folder).join("index.md");
            write_new(&options.root, &rel, &chapter_text(&title, english))?;
            Ok(rel)
        }
        Kind::Page | Kind::Case | Kind::Qa => {
            let (chapter_name, page_name) = match options.name.split_once('/') {
                Some((c, p)) => (Some(c.to_string()), p.to_string()),
                None => (options.chapter.clone(), options.name.clone()),
            };
            let folder = find_chapter(&content, chapter_name.as_deref())?;
            let name = check_name(&page_name)?;
            let dir = content.join(&folder);
            let pages = page_stems(&dir);
            let place = format!("content/{folder}");
            refuse_taken_slug(
                &name,
                pages.iter().map(String::as_str),
                &place,
                "a page",
                ".md",
            )?;
            let stem = numbered(&name, pages.iter().map(String::as_str));
            let title = options.title.clone().unwrap_or_else(|| humanize(&name));
            let text = match options.kind {
                Kind::Page => page_text(&title, english),
                Kind::Case => case_text(&title, english),
                _ => qa_text(&title, english),
            };
            let rel = PathBuf::from("content")
                .join(&folder)
                .join(format!("{stem}.md"));
            write_new(&options.root, &rel, &text)?;
            Ok(rel)
        }
        Kind::Quiz => {
            let folder = find_chapter(
                &content,
                Some(options.chapter.as_deref().unwrap_or(&options.name)),
            )?;
            let slug = split_prefix(&folder).1.to_string();
            if let Some(existing) = bank_of_chapter(&options.root.join("quizzes"), &slug, &folder) {
                return Err(Diagnostic::error(
                    &existing,
                    0,
                    0,
                    format!("chapter `{slug}` already has a question bank"),
                )
                .with_hint(format!("add the questions to {}", existing.display())));
            }
            let chapter_title =
                chapter_title(&content.join(&folder)).unwrap_or_else(|| humanize(&slug));
            let title = options.title.clone().unwrap_or_else(|| {
                if english {
                    format!("{chapter_title}: quiz")
                } else {
                    format!("{chapter_title} 练习题")
                }
            });
            let rel = PathBuf::from("quizzes").join(format!("{folder}.yaml"));
            write_new(&options.root, &rel, &quiz_text(&slug, &title, english))?;
            Ok(rel)
        }
    }
}

/// A name becomes a folder or file name and a URL: letters, digits, `-`, `_`.
fn check_name(name: &str) -> Result<String, Diagnostic> {
    let name = name.trim().trim_end_matches(".md");
    let bad = name
        .chars()
        .find(|c| !(c.is_alphanumeric() || matches!(c, '-' | '_')));
    if name.is_empty() || bad.is_some() || name == "index" {
        let what = match bad {
            Some(c) => format!("`{name}` contains `{c}`"),
            None if name == "index" => "`index` is the chapter overview's name".to_string(),
            None => "the name is empty".to_string(),
        };
        return Err(Diagnostic::error(name, 0, 0, format!("cannot use this name: {what}"))
            .with_hint("names become file names and URLs: use letters, digits and `-`, e.g. handling-complaints"));
    }
    Ok(name.to_string())
}

/// The chapter folders of content/, sorted.
fn chapter_folders(content: &Path) -> Vec<String> {
    let mut folders: Vec<String> = std::fs::read_dir(content)
        .into_iter()
        .flatten()
        .filter_map(Result::ok)
        .filter(|e| e.path().is_dir())
        .filter_map(|e| e.file_name().to_str().map(str::to_string))
        .filter(|n| !n.starts_with('.'))
        .collect();
    folders.sort();
    folders
}

/// The Markdown files of a chapter folder (without `.md`), index.md excepted.
fn page_stems(dir: &Path) -> Vec<String> {
    let mut stems: Vec<String> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .filter_map(Result::ok)
        .filter_map(|e| e.file_name().to_str().map(str::to_string))
        .filter(|n| !n.starts_with('.'))
        .filter_map(|n| n.strip_suffix(".md").map(str::to_string))
        .filter(|n| n != "index")
        .collect();
    stems.sort();
    stems
}

/// The folder of the chapter named by slug or folder name; when no chapter
/// is named, the course's only chapter.
fn find_chapter(content: &Path, name: Option<&str>) -> Result<String, Diagnostic> {
    let folders = chapter_folders(content);
    let slugs: Vec<&str> = folders.iter().map(|f| split_prefix(f).1).collect();
    let Some(name) = name else {
        return match folders.as_slice() {
            [only] => Ok(only.clone()),
            [] => Err(
                Diagnostic::error("content", 0, 0, "the course has no chapter yet")
                    .with_hint("create one first: lectern new chapter NAME"),
            ),
            _ => Err(
                Diagnostic::error("content", 0, 0, "which chapter? the course has several")
                    .with_hint(format!(
                        "write CHAPTER/NAME or pass --chapter; chapters: {}",
                        slugs.join(", ")
                    )),
            ),
        };
    };
    let name = name
        .trim()
        .trim_start_matches("content/")
        .trim_end_matches('/');
    if let Some(f) = folders
        .iter()
        .find(|f| f.as_str() == name || split_prefix(f).1 == name)
    {
        return Ok(f.clone());
    }
    let hint = match nearest(name, slugs.iter().copied()) {
        Some(best) => format!("did you mean `{best}`? chapters: {}", slugs.join(", ")),
        None if slugs.is_empty() => "create it first: lectern new chapter NAME".to_string(),
        None => format!("chapters: {}", slugs.join(", ")),
    };
    Err(Diagnostic::error(
        Path::new("content").join(name),
        0,
        0,
        format!("chapter `{name}` does not exist"),
    )
    .with_hint(hint))
}

/// Refuses a name whose slug a file of the folder already builds to.
fn refuse_taken_slug<'a>(
    name: &str,
    existing: impl Iterator<Item = &'a str>,
    place: &str,
    what: &str,
    extension: &str,
) -> Result<(), Diagnostic> {
    let slug = split_prefix(name).1;
    for e in existing {
        if split_prefix(e).1 == slug {
            return Err(Diagnostic::error(
                Path::new(place).join(format!("{e}{extension}")),
                0,
                0,
                format!("{what} named `{slug}` already exists; refusing to overwrite it or to add a second one"),
            )
            .with_hint("choose another name"));
        }
    }
    Ok(())
}

/// `name` with the next two-digit prefix of the folder, unless it has one.
fn numbered<'a>(name: &str, existing: impl Iterator<Item = &'a str>) -> String {
    if split_prefix(name).0.is_some() {
        return name.to_string();
    }
    let mut width = 2;
    let mut highest = 0;
    for e in existing {
        if let (Some(n), _) = split_prefix(e) {
            highest = highest.max(n);
            width = width.max(e.chars().take_while(char::is_ascii_digit).count());
        }
    }
    format!("{:0width$}-{name}", highest + 1)
}

/// `handling-complaints` → `Handling complaints`.
fn humanize(slug: &str) -> String {
    let words = slug.replace(['-', '_'], " ");
    let mut chars = words.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => words,
    }
}

/// The bank file under quizzes/ that belongs to the chapter, if any: named
/// after it, or naming it in its `chapter:` line.
fn bank_of_chapter(quizzes: &Path, slug: &str, folder: &str) -> Option<PathBuf> {
    let entries = std::fs::read_dir(quizzes).ok()?;
    let mut files: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| matches!(p.extension().and_then(|e| e.to_str()), Some("yaml" | "yml")))
        .collect();
    files.sort();
    files.into_iter().find_map(|path| {
        let stem = path.file_stem()?.to_str()?.to_string();
        let named = stem == folder || split_prefix(&stem).1 == slug;
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        let names_it = text.lines().any(|l| {
            l.strip_prefix("chapter:")
                .map(|v| {
                    let v = v
                        .split('#')
                        .next()
                        .unwrap_or("")
                        .trim()
                        .trim_matches(['"', '\'']);
                    v == slug || v == folder
                })
                .unwrap_or(false)
        });
        let name = path.file_name()?;
        (named || names_it).then(|| PathBuf::from("quizzes").join(name))
    })
}

/// The chapter's title from its index.md front matter, for the bank title.
fn chapter_title(dir: &Path) -> Option<String> {
    let text = std::fs::read_to_string(dir.join("index.md")).ok()?;
    let front = text.strip_prefix("---\n")?.split("\n---").next()?;
    // Through `yaml`, like every YAML lectern reads: its aliases are bounded.
    let (value, _) = crate::yaml::parse_value(front, &dir.join("index.md"), 1).ok()?;
    value.get("title")?.as_str().map(str::to_string)
}

/// Creates `root/rel` with `text`; never replaces an existing file.
fn write_new(root: &Path, rel: &Path, text: &str) -> Result<(), Diagnostic> {
    let path = root.join(rel);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .map_err(|e| Diagnostic::error(rel, 0, 0, format!("cannot create the folder: {e}")))?;
    }
    let mut file = OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
        .map_err(|e| {
            if e.kind() == std::io::ErrorKind::AlreadyExists {
                Diagnostic::error(
                    rel,
                    0,
                    0,
                    "the file already exists; refusing to overwrite it",
                )
                .with_hint("choose another name, or edit the existing file")
            } else {
                Diagnostic::error(rel, 0, 0, format!("cannot create the file: {e}"))
            }
        })?;
    file.write_all(text.as_bytes())
        .map_err(|e| Diagnostic::error(rel, 0, 0, format!("cannot write the file: {e}")))
}

/// A YAML string that is safe whatever the title holds (`:`, `#`, quotes).
fn quoted(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_else(|_| "\"\"".into())
}

fn chapter_text(title: &str, english: bool) -> String {
    let title = quoted(title);
    if english {
        format!("---\ntitle: {title}\nhours: 2\nsummary: One line shown in the table of contents.\nobjectives:\n  knowledge:\n    - What the learner will know\n  skills:\n    - What the learner will be able to do\n---\n\nWhat this chapter is about, and how it is organised.\n\n## Introductory case\n\nA short story that raises the chapter's question.\n")
    } else {
        format!("---\ntitle: {title}\nhours: 2\nsummary: 在目录中显示的一句话简介。\nobjectives:\n  knowledge:\n    - 知识目标\n  skills:\n    - 能力目标\n---\n\n本项目的概述：学什么、为什么学、怎样安排。\n\n## 案例导入\n\n用一个小案例引出本项目的问题。\n")
    }
}

fn page_text(title: &str, english: bool) -> String {
    let title = quoted(title);
    if english {
        format!("---\ntitle: {title}\nsummary: One line shown in lists.\n---\n\nIntroduce the section.\n\n## First topic\n\nText, lists, tables and [links to other pages](index.md).\n")
    } else {
        format!("---\ntitle: {title}\nsummary: 在列表中显示的一句话简介。\n---\n\n本任务的引言。\n\n## 第一个知识点\n\n正文、列表、表格，以及[指向其他页面的链接](index.md)。\n")
    }
}

fn case_text(title: &str, english: bool) -> String {
    let title = quoted(title);
    if english {
        format!("---\ntitle: {title}\nkind: case\nsummary: One line on what the case shows.\nquestions:\n  - prompt: The first question about the case\n    points:\n      - A scoring point of the answer\n      - Another scoring point\n---\n\nThe narrative of the case.\n")
    } else {
        format!("---\ntitle: {title}\nkind: case\nsummary: 一句话说明案例的要点。\nquestions:\n  - prompt: 关于案例的第一个问题？\n    points:\n      - 答题要点一\n      - 答题要点二\n---\n\n案例正文。\n")
    }
}

fn qa_text(title: &str, english: bool) -> String {
    let title = quoted(title);
    if english {
        format!("---\ntitle: {title}\nkind: qa\nsummary: Review questions with reference answers.\n---\n\n## The first question?\n\nIts reference answer, shown when the learner asks for it.\n")
    } else {
        format!("---\ntitle: {title}\nkind: qa\nsummary: 课后思考题及参考答案。\n---\n\n## 第一个问题？\n\n参考答案，学习者点击后显示。\n")
    }
}

fn quiz_text(slug: &str, title: &str, english: bool) -> String {
    let title = quoted(title);
    let (prompt, options, explanation, others) = if english {
        (
            "Which of these is right?",
            "[The right option, A wrong option, Another wrong option]",
            "Why the right option is right.",
            "Other types",
        )
    } else {
        (
            "下列说法正确的是哪一项？",
            "[正确的选项, 错误的选项, 另一个错误的选项]",
            "为什么这一项正确。",
            "其他题型",
        )
    };
    format!(
        "# The question bank of chapter `{slug}` (see docs/format.md for every key).\n\
chapter: {slug}\n\
title: {title}\n\
shuffle: true\n\
multiple_scoring: partial\n\
questions:\n\
\x20 - id: {slug}-single-1   # unique in the course; never change it once published\n\
\x20   type: single\n\
\x20   prompt: {prompt}\n\
\x20   options: {options}\n\
\x20   answer: A\n\
\x20   explanation: {explanation}\n\
\n\
\x20 # {others}:\n\
\x20 # - id: {slug}-multiple-1\n\
\x20 #   type: multiple\n\
\x20 #   prompt: …\n\
\x20 #   options: [甲, 乙, 丙, 丁]\n\
\x20 #   answer: [A, C]\n\
\x20 # - id: {slug}-tf-1\n\
\x20 #   type: true_false\n\
\x20 #   prompt: …\n\
\x20 #   answer: false\n\
\x20 # - id: {slug}-fill-1\n\
\x20 #   type: fill\n\
\x20 #   prompt: 客户服务分为____和____。\n\
\x20 #   answer: [第一空, [第二空, 另一种写法]]\n\
\x20 # - id: {slug}-short-1\n\
\x20 #   type: short\n\
\x20 #   prompt: …\n\
\x20 #   key_points: [要点一, 要点二]\n\
\x20 # - id: {slug}-case-1\n\
\x20 #   type: case\n\
\x20 #   case: {slug}/case-page-name\n\
\x20 #   questions:\n\
\x20 #     - prompt: …\n\
\x20 #       key_points: [要点一]\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbering_follows_the_folder() {
        let existing = ["01-a", "02-b", "case-x", "review"];
        assert_eq!(numbered("c", existing.iter().copied()), "03-c");
        assert_eq!(numbered("07-c", existing.iter().copied()), "07-c");
        assert_eq!(numbered("c", std::iter::empty()), "01-c");
        assert_eq!(numbered("c", ["009-a"].iter().copied()), "010-c");
    }

    #[test]
    fn names_and_titles() {
        assert!(check_name("handling-complaints").is_ok());
        assert!(check_name("客户档案").is_ok());
        assert!(check_name("../x").is_err());
        assert!(check_name("a b").is_err());
        assert!(check_name("index").is_err());
        assert_eq!(humanize("handling-complaints"), "Handling complaints");
    }
}
