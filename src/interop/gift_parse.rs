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

/// Escaped characters stand in as private-use characters while the
/// structure is read, as Moodle's `escapedchar_pre` does with `&&058;`…
const ESCAPES: [(char, char); 7] = [
    (':', '\u{F8E0}'),
    ('#', '\u{F8E1}'),
    ('=', '\u{F8E2}'),
    ('{', '\u{F8E3}'),
    ('}', '\u{F8E4}'),
    ('~', '\u{F8E5}'),
    ('n', '\u{F8E6}'),
];

fn escape_pre(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.peek().copied() {
                Some('\\') => {
                    chars.next();
                    out.push('\\');
                    continue;
                }
                Some(next) => {
                    if let Some((_, mark)) = ESCAPES.iter().find(|(e, _)| *e == next) {
                        chars.next();
                        out.push(*mark);
                        continue;
                    }
                }
                None => {}
            }
        }
        out.push(c);
    }
    out
}

fn escape_post(text: &str) -> String {
    text.chars()
        .map(|c| match ESCAPES.iter().find(|(_, mark)| *mark == c) {
            Some(('n', _)) => '\n',
            Some((e, _)) => *e,
            None => c,
        })
        .collect()
}

/// Moodle's `parse_text_with_format`: a leading `[format]` sets the format,
/// then escapes are resolved and the text trimmed.
/// The prefix is read after leading spaces too: Moodle's own test file
/// writes feedback as `~red # [html]wrong`, and Moodle strips the prefix.
fn with_format(text: &str, default: TextFormat) -> Text {
    let mut format = default;
    let text = text.trim_start();
    let mut body = text;
    if let Some(rest) = text.strip_prefix('[') {
        if let Some(end) = rest.find(']') {
            let named = match &rest[..end] {
                "html" => Some(TextFormat::Html),
                "plain" => Some(TextFormat::Plain),
                "markdown" => Some(TextFormat::Markdown),
                "moodle" => Some(TextFormat::Moodle),
                _ => None,
            };
            if let Some(f) = named {
                format = f;
                body = &rest[end + 1..];
            }
        }
    }
    Text {
        text: escape_post(body).trim().to_string(),
        format,
    }
}

/// `%50%`, `%-33.333%`: Moodle's `/^%\-*([0-9]{1,2})\.?([0-9]*)%/`.
fn split_weight(answer: &str) -> Option<(f64, &str)> {
    let rest = answer.strip_prefix('%')?;
    let end = rest.find('%')?;
    let number = &rest[..end];
    let digits = number.trim_start_matches('-');
    let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
    let valid = !int.is_empty()
        && int.chars().all(|c| c.is_ascii_digit())
        && frac.chars().all(|c| c.is_ascii_digit());
    if !valid {
        return None;
    }
    let negative = number.len() > digits.len();
    let value: f64 = format!("{int}.{}", if frac.is_empty() { "0" } else { frac })
        .parse()
        .ok()?;
    Some((
        if negative { -value } else { value } / 100.0,
        &rest[end + 1..],
    ))
}

/// Moodle's `commentparser`: `answer#feedback`.
fn answer_and_feedback(answer: &str, default: TextFormat) -> (Text, Option<Text>) {
    match answer.split_once('#') {
        Some((a, f)) => {
            let feedback = with_format(f, default);
            (
                with_format(a, default),
                (!feedback.text.is_empty()).then_some(feedback),
            )
        }
        None => (with_format(answer, default), None),
    }
}

/// Splits like PHP's `explode` after Moodle's trim of the first piece and
/// removal of an empty one.
fn answers(text: &str, separator: char) -> Vec<&str> {
    let mut parts: Vec<&str> = text.split(separator).collect();
    if parts.first().is_some_and(|p| p.trim().is_empty()) {
        parts.remove(0);
    }
    parts.into_iter().map(str::trim).collect()
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

/// The type and answers of an answer block (without its general feedback).
fn read_kind(answer_text: &str, format: TextFormat) -> Result<Kind, String> {
    if answer_text.is_empty() {
        return Ok(Kind::Essay);
    }
    if let Some(numbers) = answer_text.strip_prefix('#') {
        return numerical(numbers, format);
    }
    if answer_text.contains('~') {
        let single = answer_text.contains('=');
        let replaced = answer_text.replace('=', "~=");
        let mut choices = Vec::new();
        for answer in answers(&replaced, '~') {
            let (weight, rest) = if let Some(rest) = answer.strip_prefix('=') {
                (1.0, rest)
            } else if let Some((w, rest)) = split_weight(answer) {
                (w, rest)
            } else {
                (0.0, answer)
            };
            let (text, feedback) = answer_and_feedback(rest, format);
            choices.push(Choice {
                text,
                weight,
                feedback,
            });
        }
        if choices.len() < 2 {
            return Err("a multiple-choice question needs at least two answers".into());
        }
        return Ok(Kind::MultipleChoice { single, choices });
    }
    if answer_text.contains('=') && answer_text.contains("->") {
        let mut pairs = Vec::new();
        for answer in answers(answer_text, '=') {
            let Some((left, right)) = answer.split_once("->") else {
                return Err(format!(
                    "a matching answer needs `->` between its two sides: `={answer}`"
                ));
            };
            pairs.push((
                with_format(left, format),
                escape_post(right).trim().to_string(),
            ));
        }
        if pairs.len() < 2 {
            return Err("a matching question needs at least two pairs".into());
        }
        return Ok(Kind::Matching(pairs));
    }
    let check = match answer_text.find('#') {
        Some(p) if p > 0 => answer_text[..p].trim(),
        _ => answer_text,
    };
    if matches!(check, "T" | "TRUE" | "F" | "FALSE") {
        let mut bits = answer_text.splitn(3, '#');
        let answer = bits.next().unwrap_or_default().trim();
        let feedback = |b: Option<&str>| {
            b.map(|t| with_format(t.trim(), format))
                .filter(|t| !t.text.is_empty())
        };
        let wrong_feedback = feedback(bits.next());
        let right_feedback = feedback(bits.next());
        return Ok(Kind::TrueFalse {
            answer: matches!(answer, "T" | "TRUE"),
            wrong_feedback,
            right_feedback,
        });
    }
    let mut list = Vec::new();
    for answer in answers(answer_text, '=') {
        let (weight, rest) = split_weight(answer).unwrap_or((1.0, answer));
        let (text, feedback) = answer_and_feedback(rest, TextFormat::Html);
        list.push(ShortAnswer {
            text: text.text,
            weight,
            feedback,
        });
    }
    if list.is_empty() {
        return Err("a short-answer question needs at least one answer".into());
    }
    Ok(Kind::ShortAnswer(list))
}

fn numerical(text: &str, format: TextFormat) -> Result<Kind, String> {
    let (text, wrong) = match text.find('~') {
        Some(p) => (&text[..p], Some(&text[p..])),
        None => (text, None),
    };
    let mut list = Vec::new();
    for answer in answers(text, '=') {
        let (weight, rest) = split_weight(answer).unwrap_or((1.0, answer));
        let (value, feedback) = answer_and_feedback(rest, format);
        let written = value.text;
        let bad =
            || format!("`{written}` is not a number, a `number:tolerance` or a `min..max` range");
        let number = if written == "*" {
            Number::Any
        } else if let Some((min, max)) = written.split_once("..").filter(|(a, _)| !a.is_empty()) {
            let min: f64 = min.trim().parse().map_err(|_| bad())?;
            let max: f64 = max.trim().parse().map_err(|_| bad())?;
            Number::Range { min, max }
        } else if let Some((v, t)) = written.split_once(':').filter(|(a, _)| !a.is_empty()) {
            Number::Value {
                value: v.trim().parse().map_err(|_| bad())?,
                tolerance: t.trim().parse().map_err(|_| bad())?,
                written: v.trim().to_string(),
            }
        } else {
            Number::Value {
                value: written.trim().parse().map_err(|_| bad())?,
                tolerance: 0.0,
                written: written.trim().to_string(),
            }
        };
        list.push(NumericAnswer {
            number,
            weight,
            feedback,
        });
    }
    if list.is_empty() {
        return Err("a numerical question needs at least one answer".into());
    }
    let wrong_feedback = wrong
        .map(|w| answer_and_feedback(w.trim_start_matches('~'), format).1)
        .unwrap_or(None);
    Ok(Kind::Numerical {
        answers: list,
        wrong_feedback,
    })
}

/// `[id:…]` and `[tag:…]` in the comments; `\]` and `\\` escape inside them.
fn id_and_tags(comments: &str) -> (Option<String>, Vec<String>) {
    let mut id = None;
    let mut tags = Vec::new();
    // lectern's own comment may quote any text; it names no id or tag.
    let comments: String = comments
        .lines()
        .filter(|l| !l.starts_with(LECTERN_COMMENT))
        .map(|l| format!("{l}\n"))
        .collect();
    let mut rest = comments.as_str();
    while let Some(open) = rest.find('[') {
        let after = &rest[open + 1..];
        let kind = if after.starts_with("id:") {
            Some(("id", 3))
        } else if after.starts_with("tag:") {
            Some(("tag", 4))
        } else {
            None
        };
        let Some((kind, skip)) = kind else {
            rest = after;
            continue;
        };
        let mut value = String::new();
        let mut chars = after[skip..].char_indices();
        let mut end = None;
        while let Some((i, c)) = chars.next() {
            match c {
                '\\' => match chars.next() {
                    Some((_, n)) => value.push(n),
                    None => break,
                },
                ']' => {
                    end = Some(skip + i + 1);
                    break;
                }
                c => value.push(c),
            }
        }
        let Some(end) = end else { break };
        let value = value.trim().to_string();
        if !value.is_empty() {
            if kind == "id" {
                id.get_or_insert(value);
            } else {
                tags.push(value);
            }
        }
        rest = &after[end..];
    }
    (id, tags)
}

#[cfg(test)]
mod tests {
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
