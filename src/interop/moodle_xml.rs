//! Question banks as Moodle XML (Question bank → Import → Moodle XML format).
//!
//! Texts are rendered from Markdown to HTML (as lectern renders them, raw
//! HTML shown as text) and written in CDATA sections; each bank starts with a
//! `<question type="category">` named after its chapter. Ids go to
//! `<idnumber>`, tags (and the difficulty, as `difficulty:easy`) to `<tags>`,
//! points to `<defaultgrade>`.
//!
//! | lectern | Moodle question type |
//! |---|---|
//! | single | multichoice, `<single>true</single>` |
//! | multiple | multichoice, `<single>false</single>`: right options share 100 %, wrong ones −100 % |
//! | true_false | truefalse |
//! | fill, one blank | shortanswer, the blank shown as `_____` |
//! | fill, several blanks | cloze: one `{n:SHORTANSWER:=a~=b}` per blank |
//! | short | essay, the key points (答题要点) in `<graderinfo>` |
//! | case | essay holding the case's text and its questions, key points in `<graderinfo>` |

use serde_yaml::{Mapping, Value};

use super::bank_yaml::{self, QuestionFile};
use super::carry;
use super::frame::{self, BankFormat};
use super::gift_export::{literal_answer, rubric_losses, scoring_loss};
use super::moodle_import;
use super::text::{case_page, moodle_accepts, number, percent, rubric_feedback, Labels};
use super::{Course, ExportFormat, Exported, Losses};
use crate::markdown::untrusted::{blanks_as_lines, fill_pieces, to_html, to_inline_html};
use crate::quiz::model::{Bank, Body, Description, MultipleScoring, NumberRange, Question};

pub fn export(course: &Course, banks: &[&Bank]) -> Exported {
    frame::write(&MoodleXml, course, banks)
}

struct MoodleXml;

impl BankFormat for MoodleXml {
    fn format(&self) -> ExportFormat {
        ExportFormat::MoodleXml
    }

    fn header(&self, course: &Course) -> String {
        format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!-- {}: question banks exported by lectern. In Moodle: Question bank → Import → Moodle XML format. -->\n<quiz>\n",
            comment(&course.site.config.title)
        )
    }

    fn footer(&self) -> String {
        "</quiz>\n".to_string()
    }

    fn bank_start(&self, course: &Course, bank: &Bank, chapter_title: &str) -> String {
        format!(
            "\n  <!-- {} ({}) -->\n  <question type=\"category\">\n{}    <category>\n      <text>{}</text>\n    </category>\n  </question>\n",
            comment(&bank.title),
            comment(&bank.file.display().to_string()),
            bank_comment(course, bank, chapter_title),
            escape(&format!(
                "$course$/top/{}/{}",
                course.site.config.title.replace('/', "//"),
                chapter_title.replace('/', "//")
            ))
        )
    }

    /// Moodle's `description` pseudo-question: text shown between
    /// questions, no grade.
    fn description(&self, bank: &Bank, n: usize, d: &Description) -> String {
        format!(
            "\n  <question type=\"description\">\n    <name>\n      <text>{}</text>\n    </name>\n    <questiontext format=\"html\">\n      <text>{}</text>\n    </questiontext>\n    <generalfeedback format=\"html\">\n      <text></text>\n    </generalfeedback>\n    <defaultgrade>0</defaultgrade>\n    <penalty>0</penalty>\n    <hidden>0</hidden>\n  </question>\n",
            escape(&format!("{}-description-{}", bank.key, n + 1)),
            cdata(&to_html(&d.text))
        )
    }

    fn question(&self, course: &Course, bank: &Bank, q: &Question, losses: &mut Losses) -> String {
        let xml = question(course, q, &Labels::of(course.quizzes.language), losses);
        with_carried(xml, q, bank)
    }
}

/// The question's XML with, after its opening tag, lectern's comment holding
/// what importing that XML would not give back as it was (everything, for a
/// cloze question, which the import does not read).
fn with_carried(xml: String, q: &Question, bank: &Bank) -> String {
    let original = bank_yaml::question_file(q, bank.shuffle, MultipleScoring::PerOption);
    let back = moodle_import::read_alone(&xml).unwrap_or_else(|| QuestionFile {
        id: original.id.clone(),
        ..QuestionFile::default()
    });
    let fields = carry::difference(&original, &back);
    if fields.is_empty() {
        return xml;
    }
    let (first, rest) = xml.split_once('\n').unwrap_or((&xml, ""));
    format!(
        "{first}\n    {}\n{rest}",
        moodle_import::comment(&carry::encode(&fields))
    )
}

/// The bank's settings the import would not know, in lectern's comment in
/// the category: its title (when not its chapter's), pass mark (when not the
/// course's), shuffle and time limit.
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
    format!("    {}\n", moodle_import::comment(&carry::encode(&fields)))
}

fn question(course: &Course, q: &Question, labels: &Labels, losses: &mut Losses) -> String {
    let (kind, prompt_html, body) = match &q.body {
        Body::Single { options, answer } => {
            if q.shuffle && options.iter().any(|o| o.pin) {
                losses.add("a pinned option (Moodle shuffles all options or none)");
            }
            let answers: Vec<String> = options
                .iter()
                .enumerate()
                .map(|(i, o)| {
                    answer_element(
                        if i == *answer { 1.0 } else { 0.0 },
                        &to_inline_html(&o.text),
                        o.feedback.as_deref(),
                    )
                })
                .collect();
            (
                "multichoice",
                to_html(&q.prompt),
                choice_settings(true, q.shuffle) + &answers.concat(),
            )
        }
        Body::Multiple {
            options,
            answer,
            scoring,
        } => {
            scoring_loss(*scoring, losses);
            if q.shuffle && options.iter().any(|o| o.pin) {
                losses.add("a pinned option (Moodle shuffles all options or none)");
            }
            let right = 1.0 / answer.len() as f64;
            if !moodle_accepts(right) {
                losses.add(format!(
                    "{} right options (Moodle's weights allow 2 to 10, or 20)",
                    answer.len()
                ));
            }
            let answers: Vec<String> = options
                .iter()
                .enumerate()
                .map(|(i, o)| {
                    let w = if answer.contains(&i) { right } else { -1.0 };
                    answer_element(w, &to_inline_html(&o.text), o.feedback.as_deref())
                })
                .collect();
            (
                "multichoice",
                to_html(&q.prompt),
                choice_settings(false, q.shuffle) + &answers.concat(),
            )
        }
        Body::TrueFalse { answer } => {
            let body = format!(
                "    <answer fraction=\"{}\" format=\"moodle_auto_format\">\n      <text>true</text>\n      <feedback format=\"html\"><text></text></feedback>\n    </answer>\n    <answer fraction=\"{}\" format=\"moodle_auto_format\">\n      <text>false</text>\n      <feedback format=\"html\"><text></text></feedback>\n    </answer>\n",
                if *answer { 100 } else { 0 },
                if *answer { 0 } else { 100 }
            );
            ("truefalse", to_html(&q.prompt), body)
        }
        Body::Fill { blanks, any_order } => {
            if blanks.len() == 1 {
                let mut body = String::from("    <usecase>0</usecase>\n");
                for accepted in &blanks[0] {
                    body.push_str(&format!(
                        "    <answer fraction=\"100\" format=\"moodle_auto_format\">\n      <text>{}</text>\n      <feedback format=\"html\"><text></text></feedback>\n    </answer>\n",
                        escape(&literal_answer(accepted))
                    ));
                }
                ("shortanswer", to_html(&blanks_as_lines(&q.prompt)), body)
            } else {
                if *any_order {
                    losses.add("answers in any order (a cloze blank has its own answers)");
                }
                let share = q.points / blanks.len() as f64;
                let weight = if (share - share.round()).abs() < 1e-9 && share >= 1.0 {
                    share.round() as u64
                } else {
                    losses.add(format!("its points ({}): a cloze blank's weight is a whole number, so each blank weighs 1", number(q.points)));
                    1
                };
                let pieces = fill_pieces(&q.prompt);
                let mut html = String::new();
                for (i, piece) in pieces.iter().enumerate() {
                    html.push_str(piece);
                    if let Some(accepted) = blanks.get(i) {
                        let alternatives: Vec<String> = accepted
                            .iter()
                            .map(|a| format!("={}", cloze_escape(a)))
                            .collect();
                        html.push_str(&format!(
                            "{{{weight}:SHORTANSWER:{}}}",
                            alternatives.join("~")
                        ));
                    }
                }
                ("cloze", html, String::new())
            }
        }
        Body::Numerical { answers } => {
            // Moodle XML has no range: a range is its midpoint give or take
            // half its width, the same interval.
            let mut body = String::new();
            for a in answers {
                if !moodle_accepts(a.weight) {
                    losses.add(format!(
                        "an answer worth {} % (Moodle's weights are 100, 90, 83.33333, 80, 75 … 5)",
                        number(a.weight * 100.0)
                    ));
                }
                let (min, max) = a.accepts.bounds();
                let (value, tolerance) = match a.accepts {
                    NumberRange::Value { value, tolerance } => (value, tolerance),
                    NumberRange::Range { .. } => ((min + max) / 2.0, (max - min) / 2.0),
                };
                body.push_str(&format!(
                    "    <answer fraction=\"{}\" format=\"moodle_auto_format\">\n      <text>{value}</text>\n      <feedback format=\"html\"><text></text></feedback>\n      <tolerance>{tolerance}</tolerance>\n    </answer>\n",
                    percent(a.weight)
                ));
            }
            body.push_str("    <unitgradingtype>0</unitgradingtype>\n    <unitpenalty>0.1000000</unitpenalty>\n    <showunits>3</showunits>\n    <unitsleft>0</unitsleft>\n");
            ("numerical", to_html(&q.prompt), body)
        }
        Body::Short(rubric) => {
            let grader = to_html(&rubric_feedback(&[(None, rubric)], None, labels));
            ("essay", to_html(&q.prompt), essay_settings(&grader))
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
            }
            let rubrics: Vec<(Option<usize>, _)> = parts
                .iter()
                .enumerate()
                .map(|(i, p)| (Some(i + 1), &p.rubric))
                .collect();
            (
                "essay",
                to_html(&prompt),
                essay_settings(&to_html(&rubric_feedback(&rubrics, None, labels))),
            )
        }
    };
    if let Body::Short(rubric) = &q.body {
        rubric_losses(rubric, losses);
    }
    if let Body::Case { parts, .. } = &q.body {
        for p in parts {
            rubric_losses(&p.rubric, losses);
        }
    }
    let general = q.explanation.as_deref().map(to_html).unwrap_or_default();
    let penalty = match kind {
        "truefalse" => "1",
        "essay" => "0",
        _ => "0.3333333",
    };
    let mut out = format!(
        "  <question type=\"{kind}\">\n    <name>\n      <text>{}</text>\n    </name>\n    <questiontext format=\"html\">\n      <text>{}</text>\n    </questiontext>\n    <generalfeedback format=\"html\">\n      <text>{}</text>\n    </generalfeedback>\n",
        escape(&q.id),
        cdata(&prompt_html),
        cdata(&general)
    );
    if kind != "cloze" {
        out.push_str(&format!(
            "    <defaultgrade>{}</defaultgrade>\n",
            number(q.points)
        ));
    }
    out.push_str(&format!(
        "    <penalty>{penalty}</penalty>\n    <hidden>0</hidden>\n    <idnumber>{}</idnumber>\n",
        escape(&q.id)
    ));
    out.push_str(&body);
    let mut tags: Vec<String> = q.tags.clone();
    if let Some(d) = q.difficulty {
        let name = serde_json::to_value(d)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default();
        tags.push(format!("difficulty:{name}"));
    }
    if !tags.is_empty() {
        out.push_str("    <tags>\n");
        for t in &tags {
            out.push_str(&format!("      <tag><text>{}</text></tag>\n", escape(t)));
        }
        out.push_str("    </tags>\n");
    }
    out.push_str("  </question>\n");
    out
}

fn choice_settings(single: bool, shuffle: bool) -> String {
    format!(
        "    <single>{single}</single>\n    <shuffleanswers>{shuffle}</shuffleanswers>\n    <answernumbering>ABCD</answernumbering>\n    <showstandardinstruction>0</showstandardinstruction>\n    <correctfeedback format=\"html\"><text></text></correctfeedback>\n    <partiallycorrectfeedback format=\"html\"><text></text></partiallycorrectfeedback>\n    <incorrectfeedback format=\"html\"><text></text></incorrectfeedback>\n"
    )
}

fn answer_element(fraction: f64, html: &str, feedback: Option<&str>) -> String {
    format!(
        "    <answer fraction=\"{}\" format=\"html\">\n      <text>{}</text>\n      <feedback format=\"html\">\n        <text>{}</text>\n      </feedback>\n    </answer>\n",
        percent(fraction),
        cdata(html),
        cdata(&feedback.map(to_html).unwrap_or_default())
    )
}

fn essay_settings(grader_html: &str) -> String {
    format!(
        "    <responseformat>editor</responseformat>\n    <responserequired>1</responserequired>\n    <responsefieldlines>10</responsefieldlines>\n    <attachments>0</attachments>\n    <attachmentsrequired>0</attachmentsrequired>\n    <graderinfo format=\"html\">\n      <text>{}</text>\n    </graderinfo>\n    <responsetemplate format=\"html\">\n      <text></text>\n    </responsetemplate>\n",
        cdata(grader_html)
    )
}

/// A CDATA section; `]]>` inside is split across two sections.
fn cdata(text: &str) -> String {
    if text.is_empty() {
        return String::new();
    }
    format!("<![CDATA[{}]]>", text.replace("]]>", "]]]]><![CDATA[>"))
}

/// Text content and attribute values of any XML lectern writes (Moodle
/// XML, the EPUB's XHTML).
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Characters XML 1.0 cannot hold at all.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

fn comment(text: &str) -> String {
    escape(&text.replace("--", "- -")).replace('\n', " ")
}

/// An answer inside a cloze `{…}`: `}`, `#`, `~`, `/`, `"` and `\` are
/// escaped with a backslash, `*` too (a wildcard otherwise); HTML-escaped as
/// it sits in the HTML question text.
fn cloze_escape(answer: &str) -> String {
    let mut out = String::new();
    for c in answer.chars() {
        if matches!(c, '}' | '#' | '~' | '/' | '"' | '\\' | '*') {
            out.push('\\');
        }
        out.push(c);
    }
    escape(&out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cdata_cannot_be_closed_early() {
        assert_eq!(cdata("a]]>b"), "<![CDATA[a]]]]><![CDATA[>b]]>");
        assert_eq!(cloze_escape("a/b}c"), "a\\/b\\}c");
        assert_eq!(escape("<&\u{1}>"), "&lt;&amp;&gt;");
    }
}
