//! Flashcards for Anki: a UTF-8 tab-separated file with Anki's header lines
//! (File → Import; Anki 2.1.55 or later reads the headers).
//!
//! Columns: a GUID, the deck, the front, the back and the tags, mapped by
//! position (see `HEADER`). The GUID is
//! derived from the question id (or the Q&A entry's page and anchor), so
//! importing a newer export updates the cards instead of adding copies; each
//! chapter is a subdeck (`Course::Chapter`). Cards come from every question
//! of the chosen banks, and from the Q&A pages and case studies of their
//! chapters. Fields are HTML (`#html:true`): Markdown rendered as lectern
//! renders it, tabs and line breaks removed, quotes doubled as Anki's
//! reader expects.

use super::text::{case_page, Labels};
use super::{Course, Exported};
use crate::config::Language;
use crate::content::{Chapter, PageKind};
use crate::markdown::untrusted::{blanks_as_lines, to_html, to_inline_html};
use crate::quiz::choices::letter;
use crate::quiz::model::{Bank, Body, Question};

/// Anki's file headers. There is deliberately no `#columns:` line: column
/// names make Anki map fields by name, and the stock note type's fields are
/// not called Front and Back in every language (in a Chinese Anki the
/// first field would get nothing or the GUID). Without names Anki maps by
/// position: the GUID, deck and tags columns are set aside and the note
/// type's first two fields take columns 3 and 4, whatever they are called.
/// `#notetype:Basic` names the stock type where it has that name; where it
/// does not, Anki keeps the note type chosen in its import dialog.
const HEADER: &str =
    "#separator:tab\n#html:true\n#notetype:Basic\n#guid column:1\n#deck column:2\n#tags column:5\n";

pub fn export(course: &Course, banks: &[&Bank]) -> Exported {
    let labels = Labels::of(course.quizzes.language);
    let english = course.quizzes.language == Language::En;
    let course_title = course.site.config.title.as_str();
    let mut rows: Vec<[String; 5]> = Vec::new();
    for bank in banks {
        let chapter = course.site.chapter(&bank.chapter);
        let deck = deck_name(
            course_title,
            chapter.map(|c| c.title()).unwrap_or(&bank.title),
        );
        if let Some(chapter) = chapter {
            page_cards(course, chapter, &deck, &mut rows);
        }
        for q in &bank.questions {
            question_cards(course, bank, q, &deck, &labels, english, &mut rows);
        }
    }
    let mut text = String::from(HEADER);
    for row in &rows {
        let fields: Vec<String> = row.iter().map(|f| field(f)).collect();
        text.push_str(&fields.join("\t"));
        text.push('\n');
    }
    Exported {
        text,
        items: rows.len(),
        ..Exported::default()
    }
}

/// `Course::Chapter`: Anki's `::` makes the chapter a subdeck.
fn deck_name(course: &str, chapter: &str) -> String {
    let clean = |s: &str| s.replace("::", ":").trim().to_string();
    format!("{}::{}", clean(course), clean(chapter))
}

/// Tags are separated by spaces in Anki.
fn tags(list: impl IntoIterator<Item = String>) -> String {
    list.into_iter()
        .map(|t| t.split_whitespace().collect::<Vec<_>>().join("_"))
        .filter(|t| !t.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The Q&A entries and case questions of a chapter's pages.
fn page_cards(course: &Course, chapter: &Chapter, deck: &str, rows: &mut Vec<[String; 5]>) {
    for page in &chapter.pages {
        match page.kind {
            PageKind::Qa => {
                for entry in &page.qa {
                    rows.push([
                        format!("lectern:{}#{}", page.id, entry.id),
                        deck.to_string(),
                        escape_text(&entry.question),
                        entry.answer_html.clone(),
                        tags(
                            page.tags
                                .iter()
                                .cloned()
                                .chain([chapter.slug.clone(), "qa".to_string()]),
                        ),
                    ]);
                }
            }
            PageKind::Case => {
                for (i, cq) in page.case_questions.iter().enumerate() {
                    let points: String = cq
                        .points_html
                        .iter()
                        .map(|p| format!("<li>{p}</li>"))
                        .collect();
                    rows.push([
                        format!("lectern:{}#q{}", page.id, i + 1),
                        deck.to_string(),
                        format!(
                            "<p><b>{}</b></p><p>{}</p>",
                            escape_text(&page.title),
                            cq.prompt_html
                        ),
                        format!("<ul>{points}</ul>"),
                        tags(
                            page.tags
                                .iter()
                                .cloned()
                                .chain([chapter.slug.clone(), "case".to_string()]),
                        ),
                    ]);
                }
            }
            PageKind::Page => {}
        }
    }
    let _ = course;
}

fn question_cards(
    course: &Course,
    bank: &Bank,
    q: &Question,
    deck: &str,
    labels: &Labels,
    english: bool,
    rows: &mut Vec<[String; 5]>,
) {
    let mut tag_list: Vec<String> = q.tags.clone();
    tag_list.push(bank.chapter.clone());
    tag_list.push(q.kind().name().to_string());
    if let Some(d) = q.difficulty {
        if let Some(name) = serde_json::to_value(d)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
        {
            tag_list.push(format!("difficulty::{name}"));
        }
    }
    let tag_text = tags(tag_list);
    let explanation = q.explanation.as_deref().map(to_html).unwrap_or_default();
    let mut push = |guid: String, front: String, back: String| {
        rows.push([guid, deck.to_string(), front, back, tag_text.clone()]);
    };
    let guid = format!("lectern:{}", q.id);
    match &q.body {
        Body::Single { options, .. } | Body::Multiple { options, .. } => {
            let list: String = options
                .iter()
                .enumerate()
                .map(|(i, o)| format!("<li>{}. {}</li>", letter(i), to_inline_html(&o.text)))
                .collect();
            let right: Vec<usize> = match &q.body {
                Body::Single { answer, .. } => vec![*answer],
                Body::Multiple { answer, .. } => answer.clone(),
                _ => Vec::new(),
            };
            let answer: Vec<String> = right
                .iter()
                .map(|&i| {
                    format!(
                        "{}. {}",
                        letter(i),
                        options
                            .get(i)
                            .map(|o| to_inline_html(&o.text))
                            .unwrap_or_default()
                    )
                })
                .collect();
            push(
                guid,
                format!(
                    "{}<ul style=\"list-style:none\">{list}</ul>",
                    to_html(&q.prompt)
                ),
                format!("<p><b>{}</b></p>{explanation}", answer.join("<br>")),
            );
        }
        Body::TrueFalse { answer } => {
            let word = match (answer, english) {
                (true, false) => "正确（对）",
                (false, false) => "错误（错）",
                (true, true) => "True",
                (false, true) => "False",
            };
            push(
                guid,
                to_html(&q.prompt),
                format!("<p><b>{word}</b></p>{explanation}"),
            );
        }
        Body::Fill { blanks, .. } => {
            let answers: Vec<String> = blanks
                .iter()
                .enumerate()
                .map(|(i, accepted)| {
                    format!(
                        "{}：{}",
                        labels.blank(i + 1),
                        escape_text(&accepted.join(" / "))
                    )
                })
                .collect();
            push(
                guid,
                to_html(&blanks_as_lines(&q.prompt)),
                format!("<p><b>{}</b></p>{explanation}", answers.join("<br>")),
            );
        }
        Body::Short(rubric) => {
            let mut back = format!(
                "<p><b>{}</b></p><ul>{}</ul>",
                labels.key_points,
                key_points(rubric)
            );
            if let Some(r) = &rubric.reference {
                back.push_str(&format!("<p><b>{}</b></p>{}", labels.reference, to_html(r)));
            }
            back.push_str(&explanation);
            push(guid, to_html(&q.prompt), back);
        }
        Body::Numerical { .. } => {
            push(
                guid,
                to_html(&q.prompt),
                format!(
                    "<p><b>{}</b></p>{explanation}",
                    escape_text(&super::text::numbers(&q.body).join(" / "))
                ),
            );
        }
        Body::Case { case, parts } => {
            let title = case_page(&course.site, case)
                .map(|(t, _)| t)
                .unwrap_or_else(|| case.clone());
            for (i, part) in parts.iter().enumerate() {
                push(
                    format!("{guid}#{}", i + 1),
                    format!(
                        "<p><b>{}</b></p>{}",
                        escape_text(&title),
                        to_html(&part.prompt)
                    ),
                    format!(
                        "<p><b>{}</b></p><ul>{}</ul>",
                        labels.key_points,
                        key_points(&part.rubric)
                    ),
                );
            }
        }
    }
}

fn key_points(rubric: &crate::quiz::model::Rubric) -> String {
    rubric
        .key_points
        .iter()
        .map(|k| format!("<li>{}</li>", to_inline_html(&k.text)))
        .collect()
}

fn escape_text(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// One field: no tab or line break may remain (they would split the
/// record), and a field holding `"` is quoted with inner quotes doubled.
fn field(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_pre = false;
    let mut rest = html;
    while let Some(c) = rest.chars().next() {
        if rest.starts_with("<pre") {
            in_pre = true;
        } else if rest.starts_with("</pre>") {
            in_pre = false;
        }
        match c {
            '\n' if in_pre => out.push_str("<br>"),
            '\n' | '\r' => {
                if !out.ends_with('>') && !rest[1..].starts_with('<') && !out.is_empty() {
                    out.push(' ');
                }
            }
            '\t' => out.push_str(if in_pre { "&#9;" } else { " " }),
            c => out.push(c),
        }
        rest = &rest[c.len_utf8()..];
    }
    let out = out.trim().to_string();
    if out.contains('"') {
        format!("\"{}\"", out.replace('"', "\"\""))
    } else {
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_stay_on_one_line() {
        assert_eq!(field("<p>a</p>\n<p>b\nc</p>\n"), "<p>a</p><p>b c</p>");
        assert_eq!(
            field("<pre><code>x\n\ty</code></pre>"),
            "<pre><code>x<br>&#9;y</code></pre>"
        );
        assert_eq!(field("<a href=\"x\">y</a>"), "\"<a href=\"\"x\"\">y</a>\"");
        assert_eq!(
            deck_name("客户服务实务", "项目一 理解客户服务"),
            "客户服务实务::项目一 理解客户服务"
        );
        assert_eq!(
            tags(["客户 服务".to_string(), "c1".to_string()]),
            "客户_服务 c1"
        );
    }
}
