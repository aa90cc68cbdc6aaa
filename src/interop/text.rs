//! Text shared by the formats: the labelled feedback that carries key points
//! (答题要点) through formats that have no place for them, Moodle's grade
//! fractions, and a case page's narrative as Markdown.

use crate::config::Language;
use crate::content::{frontmatter, Site};
use crate::quiz::model::Rubric;
use crate::source_files::text as source_text;

/// Section labels of the feedback written for free-text questions. Import
/// recognises the labels of every language, whatever the course's.
pub struct Labels {
    pub key_points: &'static str,
    pub reference: &'static str,
    pub explanation: &'static str,
    pub answers: &'static str,
    pub language: Language,
}

impl Labels {
    pub fn of(language: Language) -> Labels {
        match language {
            Language::ZhCn => Labels {
                key_points: "答题要点",
                reference: "参考答案",
                explanation: "解析",
                answers: "答案",
                language,
            },
            Language::En => Labels {
                key_points: "Key points",
                reference: "Reference answer",
                explanation: "Explanation",
                answers: "Answers",
                language,
            },
        }
    }

    /// "第 2 问" / "question 2": a case question's part.
    pub fn part(&self, n: usize) -> String {
        match self.language {
            Language::ZhCn => format!("第 {n} 问"),
            Language::En => format!("question {n}"),
        }
    }

    /// "第 2 空" / "blank 2".
    pub fn blank(&self, n: usize) -> String {
        match self.language {
            Language::ZhCn => format!("第 {n} 空"),
            Language::En => format!("blank {n}"),
        }
    }

    pub fn points(&self, p: f64) -> String {
        match self.language {
            Language::ZhCn => format!("{} 分", number(p)),
            Language::En => format!("{} points", number(p)),
        }
    }
}

const KEY_POINT_LABELS: [&str; 2] = ["答题要点", "Key points"];
const REFERENCE_LABELS: [&str; 2] = ["参考答案", "Reference answer"];
const EXPLANATION_LABELS: [&str; 2] = ["解析", "Explanation"];

/// `**label**` on a line of its own: a section heading of the feedback.
fn heading(label: &str) -> String {
    format!("**{label}**")
}

/// Markdown feedback holding a rubric's key points and model answer, then the
/// explanation. `part` numbers the key points of a case question's part.
pub fn rubric_feedback(
    rubrics: &[(Option<usize>, &Rubric)],
    explanation: Option<&str>,
    labels: &Labels,
) -> String {
    let mut blocks: Vec<String> = Vec::new();
    for (part, rubric) in rubrics {
        let title = match part {
            Some(n) => format!("{}（{}）", labels.key_points, labels.part(*n)),
            None => labels.key_points.to_string(),
        };
        let items: Vec<String> = rubric
            .key_points
            .iter()
            .map(|k| format!("- {}", one_line(&k.text)))
            .collect();
        blocks.push(format!("{}\n\n{}", heading(&title), items.join("\n")));
        if let Some(reference) = &rubric.reference {
            let title = match part {
                Some(n) => format!("{}（{}）", labels.reference, labels.part(*n)),
                None => labels.reference.to_string(),
            };
            blocks.push(format!("{}\n\n{}", heading(&title), reference.trim()));
        }
    }
    if let Some(e) = explanation {
        blocks.push(format!("{}\n\n{}", heading(labels.explanation), e.trim()));
    }
    blocks.join("\n\n")
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// What `rubric_feedback` wrote, read back (or whatever feedback a teacher
/// wrote: text under no label is the explanation).
#[derive(Debug, Default, PartialEq)]
pub struct ParsedFeedback {
    pub key_points: Vec<String>,
    pub reference: Option<String>,
    pub explanation: Option<String>,
}

pub fn parse_feedback(markdown: &str) -> ParsedFeedback {
    #[derive(PartialEq, Clone, Copy)]
    enum Section {
        None,
        KeyPoints,
        Reference,
        Explanation,
    }
    let mut section = Section::None;
    let mut key_points = Vec::new();
    let mut reference: Vec<String> = Vec::new();
    let mut explanation: Vec<String> = Vec::new();
    for line in markdown.lines() {
        let trimmed = line.trim();
        if let Some(label) = trimmed
            .strip_prefix("**")
            .and_then(|l| l.strip_suffix("**"))
        {
            let starts = |labels: &[&str]| labels.iter().any(|l| label.starts_with(l));
            let next = if starts(&KEY_POINT_LABELS) {
                Some(Section::KeyPoints)
            } else if starts(&REFERENCE_LABELS) {
                Some(Section::Reference)
            } else if starts(&EXPLANATION_LABELS) {
                Some(Section::Explanation)
            } else {
                None
            };
            if let Some(next) = next {
                section = next;
                continue;
            }
        }
        match section {
            Section::KeyPoints => {
                let item = trimmed
                    .strip_prefix("- ")
                    .or_else(|| trimmed.strip_prefix("* "))
                    .or_else(|| {
                        trimmed
                            .split_once(". ")
                            .filter(|(n, _)| n.chars().all(|c| c.is_ascii_digit()) && !n.is_empty())
                            .map(|(_, rest)| rest)
                    });
                match item {
                    Some(text) if !text.trim().is_empty() => {
                        key_points.push(text.trim().to_string())
                    }
                    _ if trimmed.is_empty() => {}
                    // A line that is not an item continues the previous one.
                    _ => match key_points.last_mut() {
                        Some(last) => {
                            last.push(' ');
                            last.push_str(trimmed);
                        }
                        None => explanation.push(line.to_string()),
                    },
                }
            }
            Section::Reference => reference.push(line.to_string()),
            Section::Explanation | Section::None => explanation.push(line.to_string()),
        }
    }
    let join = |lines: Vec<String>| {
        let text = lines.join("\n").trim().to_string();
        (!text.is_empty()).then_some(text)
    };
    ParsedFeedback {
        key_points,
        reference: join(reference),
        explanation: join(explanation),
    }
}

/// The accepted numbers of a numerical question as people write them
/// (`1822 ± 5`, `5（50%）`).
pub fn numbers(body: &crate::quiz::model::Body) -> Vec<String> {
    match body {
        crate::quiz::model::Body::Numerical { answers } => {
            answers.iter().map(|a| a.display()).collect()
        }
        _ => Vec::new(),
    }
}

/// A number as people write it: `2`, `2.5`, `33.33333`.
pub fn number(x: f64) -> String {
    let s = format!("{:.5}", x);
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" {
        "0".into()
    } else {
        s.to_string()
    }
}

/// Moodle accepts only these grade fractions for an answer (and their
/// negatives); importing any other fails there.
const MOODLE_FRACTIONS: [f64; 21] = [
    1.0,
    0.9,
    0.833_333_3,
    0.8,
    0.75,
    0.7,
    0.666_666_7,
    0.6,
    0.5,
    0.4,
    0.333_333_3,
    0.3,
    0.25,
    0.2,
    0.166_666_7,
    0.142_857_1,
    0.125,
    0.111_111_1,
    0.1,
    0.05,
    0.0,
];

/// Whether Moodle accepts `fraction` (within the tolerance its importer uses).
pub fn moodle_accepts(fraction: f64) -> bool {
    MOODLE_FRACTIONS
        .iter()
        .any(|f| (f - fraction.abs()).abs() < 0.00001)
}

/// A fraction as a Moodle percentage: `33.33333`.
pub fn percent(fraction: f64) -> String {
    number(fraction * 100.0)
}

/// The case page `case_id` names: its title and its narrative as Markdown
/// (the page's source without front matter).
pub fn case_page(site: &Site, case_id: &str) -> Option<(String, String)> {
    let cases = site.cases();
    let page = cases.get(case_id)?;
    let text = source_text::read(&site.root.join(&page.source), &page.source).unwrap_or_default();
    let body = match frontmatter::split(&text, &page.source) {
        Ok(split) => split.body.trim().to_string(),
        Err(_) => String::new(),
    };
    Some((page.title.clone(), body))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::quiz::model::KeyPoint;

    fn rubric(points: &[&str], reference: Option<&str>) -> Rubric {
        Rubric {
            key_points: points
                .iter()
                .map(|t| KeyPoint {
                    text: t.to_string(),
                    synonyms: vec![],
                    weight: 1.0,
                })
                .collect(),
            cap: None,
            reference: reference.map(str::to_string),
        }
    }

    #[test]
    fn feedback_round_trips() {
        let labels = Labels::of(Language::ZhCn);
        let r = rubric(&["热情", "尊重"], Some("要保持良好的服务质量。"));
        let text = rubric_feedback(&[(None, &r)], Some("见任务三。"), &labels);
        assert_eq!(text, "**答题要点**\n\n- 热情\n- 尊重\n\n**参考答案**\n\n要保持良好的服务质量。\n\n**解析**\n\n见任务三。");
        let back = parse_feedback(&text);
        assert_eq!(back.key_points, vec!["热情", "尊重"]);
        assert_eq!(back.reference.as_deref(), Some("要保持良好的服务质量。"));
        assert_eq!(back.explanation.as_deref(), Some("见任务三。"));
    }

    #[test]
    fn case_parts_and_plain_feedback() {
        let labels = Labels::of(Language::En);
        let a = rubric(&["one"], None);
        let b = rubric(&["two", "three"], None);
        let text = rubric_feedback(&[(Some(1), &a), (Some(2), &b)], None, &labels);
        assert!(text.starts_with("**Key points（question 1）**"));
        assert_eq!(
            parse_feedback(&text).key_points,
            vec!["one", "two", "three"]
        );
        let plain = parse_feedback("Just a remark.\n\n1. not a key point list");
        assert!(plain.key_points.is_empty());
        assert_eq!(
            plain.explanation.as_deref(),
            Some("Just a remark.\n\n1. not a key point list")
        );
    }

    #[test]
    fn numbers_and_fractions() {
        assert_eq!(number(2.0), "2");
        assert_eq!(number(2.5), "2.5");
        assert_eq!(percent(1.0 / 3.0), "33.33333");
        assert_eq!(percent(-1.0), "-100");
        assert!(moodle_accepts(1.0 / 3.0) && moodle_accepts(1.0 / 7.0) && moodle_accepts(-1.0));
        assert!(!moodle_accepts(1.0 / 11.0));
    }
}
