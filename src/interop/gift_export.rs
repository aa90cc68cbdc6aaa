//! Question banks as GIFT, Moodle's text format for questions.
//!
//! Every text keeps its Markdown under GIFT's `[markdown]` prefix (answers
//! and feedback inherit the question's format), with GIFT's special
//! characters `~ = # { } :` and the backslash escaped and line breaks written
//! as `\n`, since a blank line ends a question. Each bank becomes a
//! `$CATEGORY` named after its chapter; ids and tags travel in the comment
//! Moodle reads (`// [id:…] [tag:…]`), the difficulty as a
//! `difficulty:easy` tag. How each type maps:
//!
//! | lectern | GIFT |
//! |---|---|
//! | single | multiple choice, one `=` answer |
//! | multiple | multiple choice, `~%w%` weights: right options share 100 %, wrong ones −100 % |
//! | true_false | `{TRUE}` / `{FALSE}` |
//! | fill, one blank | short answer in the missing-word form `before {=a =b} after` |
//! | fill, several blanks | essay (GIFT has no cloze), the answers in the feedback |
//! | short | essay, the key points (答题要点) in the general feedback |
//! | case | essay holding the case's text and its parts, key points in the feedback |

use serde_yaml::{Mapping, Value};

use super::frame::{self, BankFormat};
use super::gift_parse::LECTERN_COMMENT;
use super::text::{case_page, moodle_accepts, number, percent, rubric_feedback, Labels};
use super::{bank_yaml, carry, gift_import, Course, ExportFormat, Exported, Losses};
use crate::markdown::untrusted::{blank_ranges, blanks_as_lines};
use crate::quiz::model::{
    Bank, Body, Description, MultipleScoring, NumberRange, NumericAnswer, Question,
};

pub fn export(course: &Course, banks: &[&Bank]) -> Exported {
    frame::write(&Gift, course, banks)
}

struct Gift;

impl BankFormat for Gift {
    fn format(&self) -> ExportFormat {
        ExportFormat::Gift
    }

    fn header(&self, course: &Course) -> String {
        format!(
            "// {}: question banks exported by lectern (GIFT format, UTF-8).\n// In Moodle: Question bank → Import → GIFT format, with \"Get category from file\" ticked.\n",
            comment_line(&course.site.config.title)
        )
    }

    fn bank_start(&self, course: &Course, bank: &Bank, chapter_title: &str) -> String {
        format!(
            "\n// {} ({})\n{}$CATEGORY: $course$/top/{}/{}\n",
            comment_line(&bank.title),
            bank.file.display(),
            bank_comment(course, bank, chapter_title),
            category_name(&course.site.config.title),
            category_name(chapter_title)
        )
    }

    /// A GIFT description (text with no answer block), which Moodle shows
    /// between questions.
    fn description(&self, _bank: &Bank, _n: usize, d: &Description) -> String {
        format!("\n// description\n[markdown]{}\n", escape(&d.text))
    }

    fn question(&self, course: &Course, bank: &Bank, q: &Question, losses: &mut Losses) -> String {
        let labels = Labels::of(course.quizzes.language);
        with_carried(question(course, q, &labels, losses), q, bank)
    }
}

/// The bank's settings a GIFT import would not know, in lectern's comment:
/// its title (when not its chapter's), pass mark (when not the course's),
/// shuffle and time limit.
fn bank_comment(course: &Course, bank: &Bank, chapter_title: &str) -> String {
    let mut fields = Mapping::new();
    if bank.title != chapter_title.trim() {
        fields.insert("title".into(), Value::from(bank.title.clone()));
    }
    if (bank.pass_mark - course.site.config.quiz.pass_mark).abs() > 1e-9 {
        fields.insert("pass_mark".into(), Value::from(bank.pass_mark));
    }
    if bank.shuffle {
        fields.insert("shuffle".into(), Value::Bool(true));
    }
    if let Some(minutes) = bank.time_limit {
        fields.insert("time_limit".into(), Value::from(minutes));
    }
    if fields.is_empty() {
        return String::new();
    }
    format!("{LECTERN_COMMENT} {}\n", carry::encode(&fields))
}

/// The question's GIFT with, after its first comment line, lectern's
/// comment holding what importing that GIFT would not give back as it was.
fn with_carried(gift: String, q: &Question, bank: &Bank) -> String {
    let original = bank_yaml::question_file(q, bank.shuffle, MultipleScoring::PerOption);
    let Some(back) = gift_import::read_alone(&gift) else {
        return gift;
    };
    let fields = carry::difference(&original, &back);
    if fields.is_empty() {
        return gift;
    }
    let (first, rest) = gift.split_once('\n').unwrap_or((&gift, ""));
    format!(
        "{first}\n{LECTERN_COMMENT} {}\n{rest}",
        carry::encode(&fields)
    )
}

/// One question: its comment line, `::name::`, text and answer block.
fn question(course: &Course, q: &Question, labels: &Labels, losses: &mut Losses) -> String {
    let mut out = String::new();
    out.push_str(&id_and_tags(q));
    if (q.points - 1.0).abs() > 1e-9 {
        losses.add(format!(
            "its points ({}; Moodle gives 1 until the quiz says otherwise)",
            number(q.points)
        ));
    }
    let head = format!("::{}::[markdown]", escape(&q.id));
    let feedback = q
        .explanation
        .as_deref()
        .map(|e| format!("\t####{}\n", escape(e)));
    match &q.body {
        Body::Single { options, answer } => {
            out.push_str(&head);
            out.push_str(&escape(&q.prompt));
            out.push_str("{\n");
            for (i, o) in options.iter().enumerate() {
                let mark = if i == *answer { "=" } else { "~" };
                out.push_str(&format!(
                    "\t{mark}{}{}\n",
                    escape(&o.text),
                    option_feedback(o.feedback.as_deref())
                ));
            }
            pins(q, losses);
            out.push_str(feedback.as_deref().unwrap_or(""));
            out.push_str("}\n");
        }
        Body::Multiple {
            options,
            answer,
            scoring,
        } => {
            out.push_str(&head);
            out.push_str(&escape(&q.prompt));
            out.push_str("{\n");
            let right = 1.0 / answer.len() as f64;
            for (i, o) in options.iter().enumerate() {
                let weight = if answer.contains(&i) { right } else { -1.0 };
                out.push_str(&format!(
                    "\t~%{}%{}{}\n",
                    percent(weight),
                    escape(&o.text),
                    option_feedback(o.feedback.as_deref())
                ));
            }
            if !moodle_accepts(right) {
                losses.add(format!(
                    "{} right options (Moodle's weights allow 2 to 10, or 20)",
                    answer.len()
                ));
            }
            scoring_loss(*scoring, losses);
            pins(q, losses);
            out.push_str(feedback.as_deref().unwrap_or(""));
            out.push_str("}\n");
        }
        Body::TrueFalse { answer } => {
            out.push_str(&head);
            out.push_str(&escape(&q.prompt));
            out.push_str(if *answer { "{TRUE\n" } else { "{FALSE\n" });
            out.push_str(feedback.as_deref().unwrap_or(""));
            out.push_str("}\n");
        }
        Body::Fill { blanks, any_order } => {
            let ranges = blank_ranges(&q.prompt);
            if blanks.len() == 1 && ranges.len() == 1 {
                let range = ranges[0].clone();
                out.push_str(&head);
                out.push_str(&escape_part(q.prompt[..range.start].trim_start()));
                out.push_str("{\n");
                for accepted in &blanks[0] {
                    out.push_str(&format!("\t={}\n", escape(&literal_answer(accepted))));
                }
                out.push_str(feedback.as_deref().unwrap_or(""));
                out.push('}');
                out.push_str(&escape_part(q.prompt[range.end..].trim_end()));
                out.push('\n');
            } else {
                losses.add(format!("{} blanks in one question (GIFT has no cloze: exported as an essay with the answers in its feedback)", blanks.len()));
                if *any_order {
                    losses.add("answers in any order");
                }
                let items: Vec<String> = blanks
                    .iter()
                    .enumerate()
                    .map(|(i, accepted)| {
                        format!("- {}：{}", labels.blank(i + 1), accepted.join(" / "))
                    })
                    .collect();
                let mut fb = format!("**{}**\n\n{}", labels.key_points, items.join("\n"));
                if let Some(e) = &q.explanation {
                    fb.push_str(&format!("\n\n**{}**\n\n{}", labels.explanation, e.trim()));
                }
                out.push_str(&head);
                out.push_str(&escape(&escape_markdown_blanks(&blanks_as_lines(
                    &q.prompt,
                ))));
                out.push_str(&format!("{{\n\t####{}\n}}\n", escape(&fb)));
            }
        }
        Body::Numerical { answers } => {
            // `{#=4}`, `{#=1822:5}`, `{#=1..5}`, `{#=a =%50%b}`.
            let one = |a: &NumericAnswer| match a.accepts {
                NumberRange::Value {
                    value,
                    tolerance: 0.0,
                } => gift_number(value),
                NumberRange::Value { value, tolerance } => {
                    format!("{}:{}", gift_number(value), gift_number(tolerance))
                }
                NumberRange::Range { min, max } => {
                    format!("{}..{}", gift_number(min), gift_number(max))
                }
            };
            out.push_str(&head);
            out.push_str(&escape(&q.prompt));
            out.push_str("{#\n");
            for a in answers {
                if !moodle_accepts(a.weight) {
                    losses.add(format!(
                        "an answer worth {} % (Moodle's weights are 100, 90, 83.33333, 80, 75 … 5)",
                        number(a.weight * 100.0)
                    ));
                }
                let weight = if a.weight >= 1.0 - 1e-9 {
                    "=".to_string()
                } else {
                    format!("=%{}%", percent(a.weight))
                };
                out.push_str(&format!("\t{weight}{}\n", one(a)));
            }
            out.push_str(feedback.as_deref().unwrap_or(""));
            out.push_str("}\n");
        }
        Body::Short(rubric) => {
            rubric_losses(rubric, losses);
            let fb = rubric_feedback(&[(None, rubric)], q.explanation.as_deref(), labels);
            out.push_str(&head);
            out.push_str(&escape(&q.prompt));
            out.push_str(&format!("{{\n\t####{}\n}}\n", escape(&fb)));
        }
        Body::Case { case, parts } => {
            losses.add("a case question's structure (exported as one essay holding the case's text and its questions)");
            let (title, narrative) =
                case_page(&course.site, case).unwrap_or_else(|| (case.clone(), String::new()));
            let mut prompt = format!("**{}**\n\n{}", title.trim(), narrative);
            if !q.prompt.trim().is_empty() {
                prompt.push_str(&format!("\n\n{}", q.prompt.trim()));
            }
            for (i, p) in parts.iter().enumerate() {
                prompt.push_str(&format!(
                    "\n\n{}. {}（{}）",
                    i + 1,
                    p.prompt.trim(),
                    labels.points(p.points)
                ));
                rubric_losses(&p.rubric, losses);
            }
            let rubrics: Vec<(Option<usize>, _)> = parts
                .iter()
                .enumerate()
                .map(|(i, p)| (Some(i + 1), &p.rubric))
                .collect();
            let fb = rubric_feedback(&rubrics, q.explanation.as_deref(), labels);
            out.push_str(&head);
            out.push_str(&escape(&prompt));
            out.push_str(&format!("{{\n\t####{}\n}}\n", escape(&fb)));
        }
    }
    out
}

/// A number in a numerical answer block: full precision, no exponent.
fn gift_number(x: f64) -> String {
    let s = format!("{x}");
    if s.contains('e') {
        format!("{x:.12}")
    } else {
        s
    }
}

/// `// [id:…] [tag:…]`, the comment Moodle (3.6 and later) reads ids and tags from.
fn id_and_tags(q: &Question) -> String {
    let mut bits = vec![format!("[id:{}]", bracket_escape(&q.id))];
    for tag in &q.tags {
        bits.push(format!("[tag:{}]", bracket_escape(tag)));
    }
    if let Some(d) = q.difficulty {
        let name = serde_json::to_value(d)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default();
        bits.push(format!("[tag:difficulty:{name}]"));
    }
    format!("// {}\n", bits.join(" "))
}

/// In a `[id:…]` or `[tag:…]` comment, `]` and `\` are escaped with a backslash.
fn bracket_escape(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace(']', "\\]")
        .replace('\n', " ")
}

fn option_feedback(feedback: Option<&str>) -> String {
    match feedback {
        Some(f) => format!("#{}", escape(f)),
        None => String::new(),
    }
}

fn pins(q: &Question, losses: &mut Losses) {
    if q.shuffle && q.options().iter().any(|o| o.pin) {
        losses.add("a pinned option (Moodle shuffles all options or none)");
    }
}

pub(crate) fn scoring_loss(scoring: MultipleScoring, losses: &mut Losses) {
    match scoring {
        MultipleScoring::PerOption => {}
        MultipleScoring::AllOrNothing => {
            losses.add("all-or-nothing scoring (exported as per-option weights)")
        }
        MultipleScoring::Partial => losses.add(
            "partial scoring, half marks for an incomplete answer (exported as per-option weights)",
        ),
    }
}

pub(crate) fn rubric_losses(rubric: &crate::quiz::model::Rubric, losses: &mut Losses) {
    if rubric.key_points.iter().any(|k| !k.synonyms.is_empty()) {
        losses.add("key-point synonyms");
    }
    if rubric
        .key_points
        .iter()
        .any(|k| (k.weight - 1.0).abs() > 1e-9)
    {
        losses.add("key-point weights");
    }
    if rubric.cap.is_some() {
        losses.add("a key-point cap");
    }
}

/// A short answer is matched literally by lectern but `*` is a wildcard in
/// Moodle: written `\*` it stands for itself.
pub(crate) fn literal_answer(answer: &str) -> String {
    answer.replace('*', "\\*")
}

/// `______` would be a rule or emphasis in Markdown: written `\_` each
/// underscore shows as itself.
fn escape_markdown_blanks(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for r in blank_ranges(text) {
        out.push_str(&text[last..r.start]);
        out.push_str(&"\\_".repeat(r.len()));
        last = r.end;
    }
    out.push_str(&text[last..]);
    out
}

/// Escapes GIFT's special characters and writes line breaks as `\n`; the
/// text is trimmed, as Moodle trims it when reading.
pub fn escape(text: &str) -> String {
    escape_part(text.trim())
}

/// As `escape`, keeping the spaces at the ends (a text cut at a blank).
fn escape_part(text: &str) -> String {
    let text = text.replace("\r\n", "\n");
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '~' | '=' | '#' | '{' | '}' | ':' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

/// A comment stays on its line.
fn comment_line(text: &str) -> String {
    text.replace(['\n', '\r'], " ")
}

/// A category name inside a `$CATEGORY` path: `/` separates categories, so
/// a slash in a name is written `//`.
fn category_name(name: &str) -> String {
    comment_line(name).trim().replace('/', "//")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn special_characters_are_escaped() {
        assert_eq!(escape("a~b=c#d{e}f:g\\h"), "a\\~b\\=c\\#d\\{e\\}f\\:g\\\\h");
        assert_eq!(escape("line one\n\nline two\n"), "line one\\n\\nline two");
        assert_eq!(category_name("A/B"), "A//B");
        assert_eq!(bracket_escape("a]b\\c"), "a\\]b\\\\c");
        assert_eq!(literal_answer("5*3"), "5\\*3");
        assert_eq!(
            escape_markdown_blanks("分为______和"),
            "分为\\_\\_\\_\\_\\_\\_和"
        );
    }
}
