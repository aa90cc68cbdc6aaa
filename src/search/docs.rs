//! What of the course goes into the search index: one entry per section of
//! every page (so a result opens at its heading), per case and per Q&A
//! entry, and one per quiz question.

use std::collections::{HashMap, HashSet};

use super::{DocKind, SearchDoc};
use crate::content::{Chapter, PageKind, Site};
use crate::markdown::untrusted as markup;
use crate::quiz::{anchor, bank_url, Body, QuizSet};

pub fn from_site(site: &Site) -> Vec<SearchDoc> {
    // Page URL → the first chapter holding it (as overview or page) and its
    // index there, looked up once per page: scanning every chapter's pages
    // for each page was quadratic (5·10⁷ comparisons at 10,000 pages).
    let mut chapter_of: HashMap<&str, (&Chapter, Option<usize>)> = HashMap::new();
    for c in &site.chapters {
        chapter_of.entry(c.index.url.as_str()).or_insert((c, None));
        for (i, p) in c.pages.iter().enumerate() {
            chapter_of.entry(p.url.as_str()).or_insert((c, Some(i)));
        }
    }
    let mut docs = Vec::new();
    for page in site.pages() {
        let place = chapter_of.get(page.url.as_str()).copied();
        // The full path to the page: chapter, every section holding it, the page.
        let mut crumbs: Vec<String> = Vec::new();
        if let Some((c, index)) = place {
            if !c.index.placeholder {
                crumbs.push(c.title().to_string());
            }
            if let Some(i) = index {
                crumbs.extend(c.ancestors(i).into_iter().map(|a| a.title.clone()));
            }
        }
        if place.is_none_or(|(c, _)| c.index.url != page.url) {
            crumbs.push(page.title.clone());
        }
        match page.kind {
            PageKind::Qa => {
                let entries: HashSet<&str> = page.qa.iter().map(|q| q.id.as_str()).collect();
                for s in &page.sections {
                    let is_entry = entries.contains(s.anchor.as_str());
                    if !is_entry && s.text.trim().is_empty() {
                        continue;
                    }
                    docs.push(SearchDoc {
                        url: anchored(&page.url, &s.anchor),
                        title: page.title.clone(),
                        heading: s.heading.clone(),
                        breadcrumb: crumbs.clone(),
                        kind: if is_entry {
                            DocKind::Qa
                        } else {
                            DocKind::Section
                        },
                        text: s.text.clone(),
                    });
                }
            }
            PageKind::Case => {
                // A case is one entry: its narrative and its questions.
                let mut text: String = page
                    .sections
                    .iter()
                    .map(|s| format!("{}\n{}\n", s.heading, s.text))
                    .collect();
                for q in &page.case_questions {
                    text.push_str(&q.prompt_text);
                    text.push('\n');
                    for p in &q.points_text {
                        text.push_str(p);
                        text.push('\n');
                    }
                }
                docs.push(SearchDoc {
                    url: page.url.clone(),
                    title: page.title.clone(),
                    heading: String::new(),
                    breadcrumb: crumbs.clone(),
                    kind: DocKind::Case,
                    text,
                });
            }
            PageKind::Page => {
                for s in &page.sections {
                    docs.push(SearchDoc {
                        url: anchored(&page.url, &s.anchor),
                        title: page.title.clone(),
                        heading: s.heading.clone(),
                        breadcrumb: crumbs.clone(),
                        kind: if s.anchor.is_empty() {
                            DocKind::Page
                        } else {
                            DocKind::Section
                        },
                        text: s.text.clone(),
                    });
                }
                if page.sections.is_empty() {
                    docs.push(SearchDoc {
                        url: page.url.clone(),
                        title: page.title.clone(),
                        heading: String::new(),
                        breadcrumb: crumbs.clone(),
                        kind: DocKind::Page,
                        text: String::new(),
                    });
                }
            }
        }
    }
    docs
}

fn anchored(url: &str, anchor: &str) -> String {
    if anchor.is_empty() {
        url.to_string()
    } else {
        format!("{url}#{anchor}")
    }
}

/// Quiz questions as search entries, each opening the question on its bank page.
pub fn from_quizzes(site: &Site, quizzes: &QuizSet) -> Vec<SearchDoc> {
    let mut docs = Vec::with_capacity(quizzes.question_count());
    for bank in &quizzes.banks {
        let chapter_title = site
            .chapter(&bank.chapter)
            .map(|c| c.title().to_string())
            .unwrap_or_default();
        for q in &bank.questions {
            let prompt = markup::plain_text(&markup::blanks_as_lines(&q.prompt));
            let mut text = prompt.clone();
            for o in q.options() {
                text.push(' ');
                text.push_str(&markup::plain_text(&o.text));
            }
            if let Body::Case { parts, .. } = &q.body {
                for p in parts {
                    text.push(' ');
                    text.push_str(&markup::plain_text(&p.prompt));
                }
            }
            if let Some(e) = &q.explanation {
                text.push(' ');
                text.push_str(&markup::plain_text(e));
            }
            let heading: String = if prompt.is_empty() {
                q.id.clone()
            } else {
                prompt.chars().take(60).collect()
            };
            docs.push(SearchDoc {
                url: format!("{}#{}", bank_url(&bank.key), anchor(&q.id)),
                title: bank.title.clone(),
                heading,
                breadcrumb: vec![chapter_title.clone(), bank.title.clone()],
                kind: DocKind::Question,
                text,
            });
        }
    }
    docs
}
