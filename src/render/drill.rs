//! The flashcard drill: every Q&A entry of the course is a card. The cards
//! go into drill.html as data (the drill runs from file:// too, where no
//! file can be fetched); the home page gets each chapter's card keys only,
//! to count the cards due. The schedule lives in the browser
//! (static/drill-schedule.js, documented in docs/format.md).

use std::collections::HashMap;

use serde::Serialize;

use super::print::Rewrite;
use super::{json_for_script, OutputFile, Renderer};
use crate::content::{PageKind, Site};
use crate::diagnostic::Diagnostic;
use crate::generated::DRILL_PAGE;

#[derive(Serialize)]
struct Card {
    /// Stable across builds while the question stays: page URL # entry id.
    key: String,
    chapter: String,
    page: String,
    page_title: String,
    question: String,
    /// The answer, its links made relative to the site root.
    answer_html: String,
}

#[derive(Serialize)]
pub struct DrillChapter {
    slug: String,
    title: String,
    keys: Vec<String>,
}

fn key(url: &str, id: &str) -> String {
    format!("{url}#{id}")
}

/// Each chapter that has Q&A entries, with the keys of its cards.
pub fn chapters(site: &Site) -> Vec<DrillChapter> {
    site.chapters
        .iter()
        .filter_map(|c| {
            let keys: Vec<String> = c
                .pages
                .iter()
                .filter(|p| p.kind == PageKind::Qa && !p.placeholder)
                .flat_map(|p| p.qa.iter().map(|q| key(&p.url, &q.id)))
                .collect();
            (!keys.is_empty()).then(|| DrillChapter {
                slug: c.slug.clone(),
                title: c.title().to_string(),
                keys,
            })
        })
        .collect()
}

/// drill.html, or nothing when the course has no Q&A entries.
pub fn render(site: &Site, renderer: &Renderer) -> Result<Option<OutputFile>, Diagnostic> {
    let none = HashMap::new();
    let mut cards = Vec::new();
    for c in &site.chapters {
        for p in c
            .pages
            .iter()
            .filter(|p| p.kind == PageKind::Qa && !p.placeholder)
        {
            let rw = Rewrite {
                page_url: &p.url,
                anchor: "",
                doc_root: "",
                in_doc: &none,
            };
            for q in &p.qa {
                cards.push(Card {
                    key: key(&p.url, &q.id),
                    chapter: c.slug.clone(),
                    page: p.url.clone(),
                    page_title: p.title.clone(),
                    question: q.question.clone(),
                    answer_html: rw.html(&q.answer_html),
                });
            }
        }
    }
    if cards.is_empty() {
        return Ok(None);
    }
    let mut ctx = renderer.context_with_nav(DRILL_PAGE);
    ctx.insert("breadcrumbs", &Vec::<serde_json::Value>::new());
    ctx.insert("drill_chapters", &chapters(site));
    ctx.insert("cards_json", &json_for_script(&cards));
    let html = renderer.render("drill.html", &ctx)?;
    Ok(Some(OutputFile::new(DRILL_PAGE, html)))
}
