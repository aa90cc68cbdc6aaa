//! GIFT read the way Moodle reads it (question/format/gift/format.php), so a
//! file behaves here as it does there:
//!
//! - questions are separated by blank lines; lines starting with `//` are
//!   comments, from which `[id:…]` and `[tag:…]` are taken;
//! - `\\`, `\:`, `\#`, `\=`, `\{`, `\}`, `\~` and `\n` are escapes, resolved
//!   before anything else is looked at;
//! - `$CATEGORY: path` switches the category; `::name::` names a question;
//!   `[html]`, `[markdown]`, `[plain]` or `[moodle]` opens a text with its format;
//! - the answer block is the text from the first `{` to the first `}`; text
//!   after it makes the missing-word form (`_____` where the block was);
//!   `####` starts the general feedback;
//! - the type follows from the answer block, in Moodle's order: no block is
//!   a description, an empty one an essay, `#…` numerical, any `~` multiple
//!   choice, `=` with `->` matching, `T`/`TRUE`/`F`/`FALSE` true/false, and
//!   anything else short answer;
//! - answers carry `%n%` weights (decimals and negatives allowed) and `#…`
//!   feedback.
//!
//! Parsing only: what lectern makes of each question is `gift_import`'s job.
//! `escapes.rs` reads texts (escapes, `[format]`, ids and tags), `answers.rs`
//! an answer block.

mod answers;
mod escapes;

use answers::read_kind;
use escapes::{escape_post, escape_pre, id_and_tags, with_format};

/// The format a text is written in (`[html]` …); Moodle's default is `moodle`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextFormat {
    Moodle,
    Html,
    Plain,
    Markdown,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Text {
    pub text: String,
    pub format: TextFormat,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Choice {
    pub text: Text,
    /// Fraction of the marks: 1 for `=`, `%50%` is 0.5, none is 0.
    pub weight: f64,
    pub feedback: Option<Text>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ShortAnswer {
    pub text: String,
    pub weight: f64,
    pub feedback: Option<Text>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Number {
    /// `value` or `value:tolerance`.
    Value {
        value: f64,
        tolerance: f64,
        written: String,
    },
    /// `min..max`.
    Range { min: f64, max: f64 },
    /// `*`: any number.
    Any,
}

#[derive(Debug, Clone, PartialEq)]
pub struct NumericAnswer {
    pub number: Number,
    pub weight: f64,
    pub feedback: Option<Text>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Kind {
    Description,
    Essay,
    TrueFalse {
        answer: bool,
        /// Shown for a wrong answer.
        wrong_feedback: Option<Text>,
        /// Shown for the right answer.
        right_feedback: Option<Text>,
    },
    MultipleChoice {
        /// Moodle's "one answer only": the block has an `=` answer.
        single: bool,
        choices: Vec<Choice>,
    },
    ShortAnswer(Vec<ShortAnswer>),
    Matching(Vec<(Text, String)>),
    Numerical {
        answers: Vec<NumericAnswer>,
        /// The `~` feedback for any other number.
        wrong_feedback: Option<Text>,
    },
}

impl Kind {
    /// Moodle's name of the type.
    pub fn moodle_name(&self) -> &'static str {
        match self {
            Kind::Description => "description",
            Kind::Essay => "essay",
            Kind::TrueFalse { .. } => "true/false",
            Kind::MultipleChoice { .. } => "multiple choice",
            Kind::ShortAnswer(_) => "short answer",
            Kind::Matching(_) => "matching",
            Kind::Numerical { .. } => "numerical",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Question {
    /// First line of the question in the file.
    pub line: usize,
    pub category: Option<String>,
    pub name: Option<String>,
    /// From a `[id:…]` comment.
    pub id: Option<String>,
    pub tags: Vec<String>,
    pub format: TextFormat,
    /// The question text before the answer block (all of it for a description).
    pub before: String,
    /// The text after the block; `Some` is the missing-word form, where the
    /// block's place is a blank.
    pub after: Option<String>,
    pub general_feedback: Option<Text>,
    pub kind: Kind,
    /// What lectern wrote in a `// lectern: …` comment: the fields GIFT
    /// cannot carry (`gift_import` reads them).
    pub lectern: Option<String>,
}

/// The marker of lectern's own comment line, which Moodle ignores.
pub const LECTERN_COMMENT: &str = "// lectern:";

/// The text of the first `// lectern:` line of a block's comments.
fn lectern_comment(comments: &str) -> Option<String> {
    comments
        .lines()
        .find_map(|l| l.strip_prefix(LECTERN_COMMENT))
        .map(|rest| rest.trim().to_string())
}

/// Something Moodle would refuse, with the line of its question.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    pub line: usize,
    pub message: String,
}

#[derive(Debug, Default)]
pub struct GiftFile {
    pub questions: Vec<Question>,
    /// The categories in the order they appear.
    pub categories: Vec<String>,
    /// The line of each category.
    pub category_lines: Vec<usize>,
    /// The `// lectern:` comment of each category (a bank's settings).
    pub category_lectern: Vec<Option<String>>,
    pub problems: Vec<Problem>,
}

/// Reads a whole GIFT file (already known to be UTF-8).
pub fn parse(source: &str) -> GiftFile {
    let source = source.strip_prefix('\u{feff}').unwrap_or(source);
    let mut file = GiftFile::default();
    let mut category: Option<String> = None;
    let mut block: Vec<(usize, &str)> = Vec::new();
    let lines: Vec<&str> = source
        .split('\n')
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .collect();
    for (i, line) in lines.iter().chain(std::iter::once(&"")).enumerate() {
        let trimmed = line.trim();
        // PHP's empty() is also true for "0": Moodle ends a question there too.
        if trimmed.is_empty() || trimmed == "0" {
            if !block.is_empty() {
                read_block(&block, &mut category, &mut file);
                block.clear();
            }
        } else {
            // Moodle keeps a line as written (only comments are recognised
            // trimmed): the two trailing spaces of a Markdown hard break
            // must survive.
            block.push((i + 1, line));
        }
    }
    file
}

fn read_block(block: &[(usize, &str)], category: &mut Option<String>, file: &mut GiftFile) {
    // The question's own first line, below any comments.
    let line = block
        .iter()
        .find(|(_, l)| !l.trim().starts_with("//"))
        .map_or(block[0].0, |(n, _)| *n);
    let mut comments = String::new();
    let mut text_lines = Vec::new();
    for (_, l) in block {
        let l = l.trim();
        if l.starts_with("//") {
            comments.push_str(l);
            comments.push('\n');
        }
    }
    for (_, l) in block {
        if !l.trim().starts_with("//") {
            text_lines.push(*l);
        }
    }
    let text = text_lines.join("\n");
    let text = text.trim();
    if text.is_empty() {
        return;
    }
    let text = escape_pre(text);
    let problem =
        |file: &mut GiftFile, message: String| file.problems.push(Problem { line, message });

    if let Some(path) = text.strip_prefix("$CATEGORY:") {
        let path = escape_post(path).trim().to_string();
        file.categories.push(path.clone());
        file.category_lines.push(line);
        file.category_lectern.push(lectern_comment(&comments));
        *category = Some(path);
        return;
    }

    let mut text: &str = &text;
    let mut name = None;
    if let Some(rest) = text.strip_prefix("::") {
        text = rest;
        if let Some(end) = rest.find("::") {
            name = Some(escape_post(&rest[..end]).trim().to_string());
            text = rest[end + 2..].trim();
        }
    }
    let (id, tags) = id_and_tags(&comments);

    let start = text.find('{');
    let finish = text.find('}');
    let (before, after, answer_text) = match (start, finish) {
        (None, None) => (text.to_string(), None, None),
        (Some(s), Some(f)) if s < f => {
            let block = text[s + 1..f].trim().to_string();
            if text.ends_with('}') {
                // No blank: the block is removed and any text after it kept.
                (
                    format!("{}{}", &text[..s], &text[f + 1..]),
                    None,
                    Some(block),
                )
            } else {
                // The missing-word form: the block's place becomes a blank.
                (
                    text[..s].to_string(),
                    Some(text[f + 1..].to_string()),
                    Some(block),
                )
            }
        }
        _ => {
            problem(file, "the answer braces `{…}` do not match: an opening `{` needs a closing `}` after it (write `\\{` and `\\}` for the characters)".into());
            return;
        }
    };

    let mut question_text = with_format(&before, TextFormat::Moodle);
    if after.is_some() {
        // Before a blank, the space that separates it from the text stays.
        let trailing = before.len() - before.trim_end().len();
        question_text
            .text
            .push_str(&before[before.len() - trailing..]);
    }
    let format = question_text.format;
    let after = after.map(|a| escape_post(&a).trim_end().to_string());
    let mut general_feedback = None;
    let kind = match answer_text {
        None => Kind::Description,
        Some(mut answer_text) => {
            if let Some(pos) = answer_text.rfind("####") {
                let fb = with_format(&answer_text[pos + 4..], format);
                general_feedback = (!fb.text.is_empty()).then_some(fb);
                answer_text = answer_text[..pos].trim().to_string();
            }
            match read_kind(&answer_text, format) {
                Ok(kind) => kind,
                Err(message) => return problem(file, message),
            }
        }
    };
    file.questions.push(Question {
        line,
        category: category.clone(),
        name: name.filter(|n| !n.is_empty()),
        id,
        tags,
        format,
        before: question_text.text,
        after,
        general_feedback,
        kind,
        lectern: lectern_comment(&comments),
    });
}

#[cfg(test)]
mod tests {
    use super::answers::split_weight;
    use super::*;

    fn one(source: &str) -> Question {
        let file = parse(source);
        assert!(file.problems.is_empty(), "{:?}", file.problems);
        assert_eq!(file.questions.len(), 1, "{:?}", file.questions);
        file.questions.into_iter().next().unwrap()
    }

    #[test]
    fn escapes_resolve_before_structure() {
        assert_eq!(
            escape_post(&escape_pre(r"a\:b\#c\=d\{e\}f\~g\nh\\i")),
            "a:b#c=d{e}f~g\nh\\i"
        );
        // `\\` is a backslash; the `{` after it is a real brace.
        let q = one(r"Path C:\\{=x}");
        assert_eq!(q.before, "Path C:\\");
        assert_eq!(
            q.kind,
            Kind::ShortAnswer(vec![ShortAnswer {
                text: "x".into(),
                weight: 1.0,
                feedback: None
            }])
        );
    }

    #[test]
    fn weights() {
        assert_eq!(split_weight("%50%x"), Some((0.5, "x")));
        assert_eq!(
            split_weight("%-33.33333%x").map(|(w, r)| ((w * 1e7f64).round(), r)),
            Some((-3333333.0, "x"))
        );
        assert_eq!(split_weight("%100%x"), Some((1.0, "x")));
        assert_eq!(split_weight("%abc%x"), None);
        assert_eq!(split_weight("50%x"), None);
    }

    #[test]
    fn comments_carry_id_and_tags() {
        let (id, tags) = id_and_tags("// [id:q-1] [tag:a b] [tag:x\\]y]\n// [note] [tag:z]\n");
        assert_eq!(id.as_deref(), Some("q-1"));
        assert_eq!(tags, vec!["a b", "x]y", "z"]);
    }

    #[test]
    fn unbalanced_braces_are_a_problem() {
        let file = parse("\n\nWhat {is this?\n");
        assert_eq!(file.problems.len(), 1);
        assert_eq!(file.problems[0].line, 3);
        assert!(file.questions.is_empty());
    }
}
