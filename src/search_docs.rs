//! What of the content goes into the search index: one entry per section of
//! every page (so a result opens at its heading), per case and per Q&A entry.

use crate::content::{PageKind, Site};
use crate::search::{DocKind, SearchDoc};

pub fn from_site(site: &Site) -> Vec<SearchDoc> {
    let mut docs = Vec::new();
    for page in site.pages() {
        let chapter = site
            .chapters
            .iter()
            .find(|c| c.index.url == page.url || c.pages.iter().any(|p| p.url == page.url));
        let mut crumbs: Vec<String> = chapter
            .map(|c| vec![c.title().to_string()])
            .unwrap_or_default();
        if chapter.is_none_or(|c| c.index.url != page.url) {
            crumbs.push(page.title.clone());
        }
        match page.kind {
            PageKind::Qa => {
                for (i, s) in page.sections.iter().enumerate() {
                    let is_entry = page.qa.iter().any(|q| q.id == s.anchor);
                    if !is_entry && s.text.trim().is_empty() {
                        continue;
                    }
                    let _ = i;
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
