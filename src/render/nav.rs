//! The navigation every page shows: chapters, the tree of their pages
//! (sections of any depth), quiz links, and an mdBook's part titles.

use std::collections::HashMap;

use serde::Serialize;

use crate::content::{Chapter, Objectives, PageKind, Site};
use crate::quiz::BankLink;

#[derive(Debug, Clone, Serialize)]
pub struct NavPage {
    pub title: String,
    /// Empty for an mdBook placeholder, which is listed but not linked.
    pub url: String,
    pub kind: PageKind,
    pub summary: Option<String>,
    /// The section number shown before the title (`1.2.`), when shown.
    pub number: Option<String>,
    /// Its own pages, when it is a section.
    pub children: Vec<NavPage>,
}

#[derive(Debug, Clone, Serialize)]
pub struct NavChapter {
    pub number: usize,
    pub slug: String,
    pub title: String,
    pub url: String,
    pub summary: Option<String>,
    pub hours: Option<f64>,
    pub objectives: Objectives,
    /// The chapter's pages: its direct children, each with its own.
    pub pages: Vec<NavPage>,
    /// The chapter's question bank, if any.
    pub quiz: Option<BankLink>,
    /// An mdBook part title shown above this chapter.
    pub part: Option<String>,
    /// An mdBook chapter's number shown before its title (`3.`).
    pub label: Option<String>,
}

#[derive(Debug, Clone, Serialize, Default)]
pub struct Nav {
    pub chapters: Vec<NavChapter>,
    /// Course-wide links: the exams, then the wrong-answer notebook.
    pub extra_links: Vec<BankLink>,
}

impl Nav {
    pub fn new(
        site: &Site,
        quiz_by_chapter: &HashMap<String, BankLink>,
        extra_links: Vec<BankLink>,
    ) -> Nav {
        let show_numbers = !site
            .config
            .book
            .as_ref()
            .is_some_and(|b| b.no_section_label);
        let chapters = site
            .chapters
            .iter()
            .map(|c| nav_chapter(c, quiz_by_chapter.get(&c.slug).cloned(), show_numbers))
            .collect();
        Nav {
            chapters,
            extra_links,
        }
    }

    pub fn chapter(&self, slug: &str) -> Option<&NavChapter> {
        self.chapters.iter().find(|c| c.slug == slug)
    }
}

fn nav_chapter(c: &Chapter, quiz: Option<BankLink>, show_numbers: bool) -> NavChapter {
    NavChapter {
        number: c.number,
        slug: c.slug.clone(),
        title: c.title().to_string(),
        url: c.index.url.clone(),
        summary: c.index.summary.clone(),
        hours: c.hours,
        objectives: c.objectives.clone(),
        pages: children(c, show_numbers),
        quiz,
        part: c.part.clone(),
        label: c.index.number.clone().filter(|_| show_numbers),
    }
}

/// The chapter's pages as a tree: one pass to find each page's children
/// (a scan per page would be quadratic in a 10,000-page chapter).
fn children(c: &Chapter, show_numbers: bool) -> Vec<NavPage> {
    let mut kids: Vec<Vec<usize>> = vec![Vec::new(); c.pages.len()];
    let mut top = Vec::new();
    for (i, p) in c.pages.iter().enumerate() {
        match p.parent {
            Some(parent) => kids[parent].push(i),
            None => top.push(i),
        }
    }
    fn build(c: &Chapter, at: &[usize], kids: &[Vec<usize>], show_numbers: bool) -> Vec<NavPage> {
        at.iter()
            .map(|&i| {
                let p = &c.pages[i];
                NavPage {
                    title: p.title.clone(),
                    url: p.url.clone(),
                    kind: p.kind,
                    summary: p.summary.clone(),
                    number: p.number.clone().filter(|_| show_numbers),
                    children: build(c, &kids[i], kids, show_numbers),
                }
            })
            .collect()
    }
    build(c, &top, &kids, show_numbers)
}

impl NavChapter {
    /// The entry of the page at `url` in this chapter's tree.
    pub fn find(&self, url: &str) -> Option<&NavPage> {
        fn search<'a>(pages: &'a [NavPage], url: &str) -> Option<&'a NavPage> {
            pages.iter().find_map(|p| {
                (p.url == url)
                    .then_some(p)
                    .or_else(|| search(&p.children, url))
            })
        }
        search(&self.pages, url)
    }
}

impl NavPage {
    /// Every page of this branch, depth first, with the URLs of the
    /// sections holding it (outermost first).
    pub fn walk<'a>(
        &'a self,
        above: &mut Vec<&'a str>,
        visit: &mut dyn FnMut(&'a NavPage, &[&'a str]),
    ) {
        visit(self, above);
        if self.children.is_empty() {
            return;
        }
        above.push(&self.url);
        for child in &self.children {
            child.walk(above, visit);
        }
        above.pop();
    }
}
