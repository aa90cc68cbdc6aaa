//! Q&A pages: each `##` heading is a question, the text under it the answer.

use super::model::{QaEntry, TextSection};
use crate::markdown::{
    self, ids::IdAllocator, CodeNote, DeferredHtml, Heading, LinkRef, LinkRewriter,
};

/// A page body rendered, as the loader uses it.
pub struct RenderedParts {
    pub html: DeferredHtml,
    pub headings: Vec<Heading>,
    pub sections: Vec<TextSection>,
    pub qa: Vec<QaEntry>,
    /// Links, each with the byte offset of the part of the body it was found in.
    pub links: Vec<(LinkRef, usize)>,
    pub first_h1: Option<String>,
    pub html_anchors: Vec<String>,
    /// Code blocks to warn about, each with the offset of its part of the body.
    pub code_notes: Vec<(CodeNote, usize)>,
}

impl From<markdown::Rendered> for RenderedParts {
    fn from(r: markdown::Rendered) -> Self {
        RenderedParts {
            html: r.html,
            headings: r.headings,
            sections: r.sections,
            qa: Vec::new(),
            links: r.links.into_iter().map(|l| (l, 0)).collect(),
            first_h1: r.first_h1,
            html_anchors: r.html_anchors,
            code_notes: r.code_notes.into_iter().map(|n| (n, 0)).collect(),
        }
    }
}

/// Renders a Q&A page: the text before the first `##` as an introduction,
/// then one entry per `##` question (a `{#id}` after it names its anchor).
pub fn render_qa(body: &str, rewriter: &dyn LinkRewriter, ids: &mut IdAllocator) -> RenderedParts {
    let mut chunks: Vec<(usize, usize)> = Vec::new(); // (start of the `##` line, start of the answer)
    let mut offset = 0;
    let mut fence: Option<&str> = None;
    for line in body.split_inclusive('\n') {
        let t = line.trim_start();
        if let Some(f) = fence {
            if t.starts_with(f) {
                fence = None;
            }
        } else if t.starts_with("```") || t.starts_with("~~~") {
            fence = Some(&t[..3]);
        } else if line.starts_with("## ") {
            chunks.push((offset, offset + line.len()));
        }
        offset += line.len();
    }
    let intro_end = chunks.first().map(|c| c.0).unwrap_or(body.len());
    let mut parts: RenderedParts =
        markdown::render_with_ids(&body[..intro_end], rewriter, ids).into();
    for (i, (start, answer_start)) in chunks.iter().enumerate() {
        let end = chunks.get(i + 1).map(|c| c.0).unwrap_or(body.len());
        let raw_q = body[*start + 3..*answer_start].trim();
        let (question, explicit_id) = match raw_q.rfind("{#") {
            Some(p) if raw_q.ends_with('}') => (
                raw_q[..p].trim(),
                Some(raw_q[p + 2..raw_q.len() - 1].to_string()),
            ),
            _ => (raw_q, None),
        };
        let question = markdown::plain_text(question, markdown::options(), markdown::RawHtml::Drop);
        let id = match explicit_id {
            Some(id) => ids.unique(&id),
            None => ids.unique_for(&question),
        };
        let answer = markdown::render_with_ids(&body[*answer_start..end], rewriter, ids);
        parts
            .links
            .extend(answer.links.into_iter().map(|l| (l, *answer_start)));
        parts.html_anchors.extend(answer.html_anchors);
        parts
            .code_notes
            .extend(answer.code_notes.into_iter().map(|n| (n, *answer_start)));
        let answer_text: String = answer
            .sections
            .iter()
            .map(|s| s.text.as_str())
            .collect::<Vec<_>>()
            .join("\n");
        parts.headings.push(Heading {
            level: 2,
            id: id.clone(),
            text: question.clone(),
        });
        parts.sections.push(TextSection {
            anchor: id.clone(),
            heading: question.clone(),
            text: answer_text.clone(),
        });
        parts.qa.push(QaEntry {
            id,
            question,
            // Answers stay highlighted at load time: exports read them too,
            // and Q&A pages are few next to content pages.
            answer_html: answer.html.to_html(),
            answer_text,
        });
    }
    parts
}
