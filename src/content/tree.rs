//! The book's tree from the loaded pages: chapters holding pages and
//! sections, which hold pages and sections, to any depth.
//!
//! Both layouts describe the tree as an `Outline`: a lectern course by its
//! folders (`course_outline`: a folder is a section whose index.md is its
//! page, ordered by numeric prefix or `weight`), an mdBook by SUMMARY.md.
//! `chapters` then turns an outline and the loaded pages into `Chapter`s,
//! whose pages are kept flat in reading order, each with its depth and the
//! section holding it.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use super::frontmatter::FrontMatter;
use super::model::{Chapter, Objectives, Page};
use super::page::Loaded;
use super::paths::split_prefix;
use crate::diagnostic::{Diagnostic, Diagnostics};

/// One entry of the tree.
#[derive(Debug, Clone, Default)]
pub struct Node {
    /// The page's source relative to the pages folder; None for an mdBook
    /// placeholder (`- [Title]()`).
    pub rel: Option<String>,
    /// For placeholders: the title to show.
    pub title: String,
    pub number: Option<String>,
    pub children: Vec<Node>,
}

/// A top-level entry: a chapter.
#[derive(Debug, Clone, Default)]
pub struct ChapterNode {
    pub node: Node,
    /// The folder name of a lectern chapter (`01-intro`), the source path
    /// of an mdBook chapter (`ch01-intro.md`): what banks name it by.
    pub folder: String,
    /// Its name in URLs and in the navigation's state.
    pub slug: String,
    /// An mdBook part title that starts at this chapter.
    pub part: Option<String>,
    pub numbered: bool,
}

#[derive(Debug, Clone, Default)]
pub struct Outline {
    /// The home page's source, when the course has one.
    pub home: Option<String>,
    pub chapters: Vec<ChapterNode>,
}

/// The tree of a lectern course, from the folders of its loaded pages.
/// `failed` and `drafted` are the sources left out (with errors already
/// reported, or as drafts): a folder whose index.md is one of them is left
/// out whole, without another error.
pub fn course_outline(
    loaded: &HashMap<String, Loaded>,
    pages_dir: &str,
    failed: &HashSet<String>,
    drafted: &HashSet<String>,
    diags: &mut Diagnostics,
) -> Outline {
    let mut root = Folder::default();
    let mut rels: Vec<&String> = loaded.keys().collect();
    rels.sort();
    let mut home = None;
    for rel in rels {
        match rel.split_once('/') {
            None if rel == "index.md" => home = Some(rel.clone()),
            None => diags.push(
                Diagnostic::warning(&loaded[rel].page.source, 0, 0, format!("pages directly in {pages_dir}/ other than index.md are not part of any chapter and are not built"))
                    .with_hint("move the page into a chapter folder"),
            ),
            Some(_) => root.insert(rel),
        }
    }
    let skipped = |rel: &str| failed.contains(rel) || drafted.contains(rel);
    let mut chapters = Vec::new();
    for (name, folder) in root.folders {
        let index_rel = format!("{name}/index.md");
        let Some(index) = loaded.get(&index_rel) else {
            if !skipped(&index_rel) {
                missing_index(&name, &folder, pages_dir, diags);
            }
            continue;
        };
        let order = folder_order(&index.front, &name);
        let node = Node {
            rel: Some(index_rel),
            children: folder.children(&name, loaded, &skipped),
            ..Node::default()
        };
        chapters.push((
            order,
            ChapterNode {
                node,
                slug: split_prefix(&name).1.to_string(),
                folder: name,
                part: None,
                numbered: true,
            },
        ));
    }
    chapters.sort_by(|a, b| a.0.cmp(&b.0));
    Outline {
        home,
        chapters: chapters.into_iter().map(|(_, c)| c).collect(),
    }
}

/// A folder's pages and subfolders, by name.
#[derive(Default)]
struct Folder {
    files: Vec<String>,
    folders: BTreeMap<String, Folder>,
}

impl Folder {
    fn insert(&mut self, rel: &str) {
        let mut at = self;
        let segments: Vec<&str> = rel.split('/').collect();
        for s in &segments[..segments.len() - 1] {
            at = at.folders.entry(s.to_string()).or_default();
        }
        at.files.push(rel.to_string());
    }

    /// The entries of the folder `path` (its index.md excepted), sorted.
    fn children(
        self,
        path: &str,
        loaded: &HashMap<String, Loaded>,
        skipped: &dyn Fn(&str) -> bool,
    ) -> Vec<Node> {
        let mut entries = self.entries(path, loaded, skipped);
        entries.sort_by(|a, b| a.0.cmp(&b.0));
        entries.into_iter().map(|(_, n)| n).collect()
    }

    /// The folder's entries with their sort keys. A subfolder with an
    /// index.md is a section; one without only groups files, which belong
    /// to this level (as in courses from before sections nested).
    fn entries(
        self,
        path: &str,
        loaded: &HashMap<String, Loaded>,
        skipped: &dyn Fn(&str) -> bool,
    ) -> Vec<((i64, String), Node)> {
        let index_rel = format!("{path}/index.md");
        let mut entries: Vec<((i64, String), Node)> = self
            .files
            .into_iter()
            .filter(|rel| *rel != index_rel)
            .map(|rel| {
                (
                    loaded[&rel].order.clone(),
                    Node {
                        rel: Some(rel),
                        ..Node::default()
                    },
                )
            })
            .collect();
        for (name, folder) in self.folders {
            let sub = format!("{path}/{name}");
            let sub_index = format!("{sub}/index.md");
            let Some(index) = loaded.get(&sub_index) else {
                if !skipped(&sub_index) {
                    entries.extend(folder.entries(&sub, loaded, skipped));
                }
                continue;
            };
            let order = folder_order(&index.front, &name);
            let children = folder.children(&sub, loaded, skipped);
            entries.push((
                order,
                Node {
                    rel: Some(sub_index),
                    children,
                    ..Node::default()
                },
            ));
        }
        entries
    }

    fn first_file(&self) -> Option<&String> {
        self.files
            .first()
            .or_else(|| self.folders.values().find_map(Folder::first_file))
    }
}

/// Folders order by their index's `weight`, else their numeric prefix, then name.
fn folder_order(front: &FrontMatter, name: &str) -> (i64, String) {
    let (prefix, _) = split_prefix(name);
    (
        front.weight.or(prefix).unwrap_or(i64::MAX),
        name.to_string(),
    )
}

fn missing_index(path: &str, folder: &Folder, pages_dir: &str, diags: &mut Diagnostics) {
    let shown = PathBuf::from(pages_dir).join(path);
    let first = folder
        .first_file()
        .map(|f| Path::new(pages_dir).join(f))
        .unwrap_or_else(|| shown.clone());
    let (message, needs) = (
        "this chapter folder has no index.md",
        "the chapter's title and objectives",
    );
    diags.push(Diagnostic::error(&shown, 0, 0, message).with_hint(format!(
        "create {}/index.md with {needs} (first page: {})",
        shown.display(),
        first.display()
    )));
}

/// Chapters from an outline, taking each page out of `loaded`. An entry
/// whose page was not loaded (left out with an error already reported, or
/// a draft) is left out with its whole branch.
pub fn chapters(outline: Vec<ChapterNode>, loaded: &mut HashMap<String, Loaded>) -> Vec<Chapter> {
    let mut chapters = Vec::new();
    for c in outline {
        let (index, front) = match &c.node.rel {
            Some(rel) => match loaded.remove(rel) {
                Some(l) => (l.page, l.front),
                None => continue,
            },
            None => (placeholder(&c.node, &c.folder), FrontMatter::default()),
        };
        let mut pages = Vec::new();
        for child in c.node.children {
            flatten(child, 1, None, loaded, &mut pages);
        }
        chapters.push(Chapter {
            slug: c.slug,
            folder: c.folder,
            number: 0,
            hours: front.hours,
            objectives: front
                .objectives
                .map(|o| Objectives {
                    knowledge: o.knowledge,
                    skills: o.skills,
                })
                .unwrap_or_default(),
            index,
            pages,
            part: c.part,
            numbered: c.numbered,
        });
    }
    for (i, c) in chapters.iter_mut().enumerate() {
        c.number = i + 1;
    }
    chapters
}

fn flatten(
    node: Node,
    depth: usize,
    parent: Option<usize>,
    loaded: &mut HashMap<String, Loaded>,
    out: &mut Vec<Page>,
) {
    let mut page = match &node.rel {
        Some(rel) => match loaded.remove(rel) {
            Some(l) => l.page,
            None => return,
        },
        None => placeholder(&node, ""),
    };
    page.depth = depth;
    page.parent = parent;
    let me = out.len();
    out.push(page);
    for child in node.children {
        flatten(child, depth + 1, Some(me), loaded, out);
    }
}

/// A page an mdBook lists without a file.
fn placeholder(node: &Node, key: &str) -> Page {
    let mut page = Page::empty(PathBuf::new(), String::new(), node.title.clone());
    page.id = format!("draft:{key}{}", node.title);
    page.number = node.number.clone();
    page.placeholder = true;
    page
}
