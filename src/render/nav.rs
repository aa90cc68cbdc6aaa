//! The navigation every page shows: chapters, their pages, quiz links.

use std::collections::HashMap;

use serde::Serialize;

use crate::content::{Chapter, Objectives, PageKind, Site};
use crate::quiz::BankLink;

#[derive(Debug, Clone, Serialize)]
pub struct NavPage {
    pub title: String,
    pub url: String,
    pub kind: PageKind,
    pub summary: Option<String>,
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
    pub pages: Vec<NavPage>,
    /// The chapter's question bank, if any.
    pub quiz: Option<BankLink>,
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
        let chapters = site
            .chapters
            .iter()
            .map(|c| nav_chapter(c, quiz_by_chapter.get(&c.slug).cloned()))
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

fn nav_chapter(c: &Chapter, quiz: Option<BankLink>) -> NavChapter {
    NavChapter {
        number: c.number,
        slug: c.slug.clone(),
        title: c.title().to_string(),
        url: c.index.url.clone(),
        summary: c.index.summary.clone(),
        hours: c.hours,
        objectives: c.objectives.clone(),
        pages: c
            .pages
            .iter()
            .map(|p| NavPage {
                title: p.title.clone(),
                url: p.url.clone(),
                kind: p.kind,
                summary: p.summary.clone(),
            })
            .collect(),
        quiz,
    }
}
