//! `lectern import moodle-xml`: Moodle XML questions as a lectern bank.
//!
//! | Moodle XML | lectern |
//! |---|---|
//! | multichoice, `<single>true</single>` | single (the first answer worth 100 %) |
//! | multichoice, `<single>false</single>` | multiple: the answers with a positive fraction are right |
//! | truefalse | true_false |
//! | shortanswer | fill with one blank (where `___` stands, else at the end) |
//! | numerical | numerical (value and tolerance; several weighted answers) |
//! | essay | short; key points read from `<graderinfo>` (答题要点 / Key points) |
//! | description | a description item of the bank |
//! | category | the bank's title (its last part) |
//! | cloze and other types | refused, each with a warning at its line |
//!
//! What Moodle has no field for, lectern's export writes in a comment inside
//! the question (`<!-- lectern: points=2; pin=C -->`), which Moodle ignores;
//! read back here, the question comes back as it was exported.

use std::collections::hash_map::DefaultHasher;
use std::collections::HashSet;
use std::hash::{Hash, Hasher};
use std::path::Path;

use roxmltree::{Document, Node};

use super::bank_import::apply_bank;
use super::bank_yaml::{BankFile, QuestionFile};
use super::carry;
use super::gift_import::{ImportOptions, Imported};
use crate::diagnostic::Diagnostic;
use crate::source_files::text as source_text;
use convert::{convert, rich_text};

mod convert;

/// The marker of lectern's comment in a question or a category.
pub const LECTERN_MARK: &str = "lectern:";

/// Reads Moodle XML bytes into a bank.
pub fn import(file: &Path, bytes: &[u8], options: &ImportOptions) -> Result<Imported, Diagnostic> {
    let text = source_text::decode(bytes.to_vec()).map_err(|e| {
        e.diagnostic(file)
            .with_hint("save it as UTF-8 (Moodle writes UTF-8)")
    })?;
    let doc = parse(&text).map_err(|(line, column, message)| {
        Diagnostic::error(file, line, column, format!("the file is not well-formed XML: {message}"))
            .with_hint("a Moodle XML file is `<quiz>` holding `<question type=\"…\">` elements; check the tag named here")
    })?;
    let quiz = doc.root_element();
    if !quiz.has_tag_name("quiz") {
        return Err(Diagnostic::error(
            file,
            line_of(&doc, quiz),
            0,
            format!(
                "the file's outer element is `<{}>`, not `<quiz>`",
                quiz.tag_name().name()
            ),
        )
        .with_hint(
            "export questions from Moodle with Question bank → Export → Moodle XML format",
        ));
    }
    let mut warnings = Vec::new();
    let mut questions = Vec::new();
    let mut descriptions = Vec::new();
    let mut categories: Vec<(usize, String, Option<String>)> = Vec::new();
    let mut ids = HashSet::new();
    let mut read = 0;
    for node in quiz.children().filter(|n| n.has_tag_name("question")) {
        let line = line_of(&doc, node);
        let kind = node.attribute("type").unwrap_or_default();
        let carried_text = lectern_comment(node);
        match kind {
            "category" => {
                let name = child_text(node, &["category", "text"]).unwrap_or_default();
                categories.push((line, name, carried_text));
                continue;
            }
            "description" => {
                let text = rich_text(node, "questiontext");
                if !text.trim().is_empty() {
                    descriptions.push((questions.len(), text));
                }
                continue;
            }
            _ => read += 1,
        }
        let carried = match carried_text.as_deref().map(carry::decode) {
            Some(Ok(fields)) => Some(fields),
            Some(Err(e)) => {
                warnings.push(Diagnostic::warning(file, line, 0, format!("the `<!-- lectern: -->` comment is not readable ({e}); the question is imported from its Moodle XML alone")));
                None
            }
            None => None,
        };
        let mut own = Vec::new();
        let mut notes = Notes {
            file,
            line,
            kind,
            name: child_text(node, &["name", "text"]),
            warnings: &mut own,
        };
        let converted = convert(node, &mut notes);
        // A cloze question lectern exported comes back whole from its
        // comment, which carries every field.
        let converted = match (converted, &carried) {
            (None, Some(fields)) if fields.contains_key("type") => {
                own.clear();
                Some(QuestionFile::default())
            }
            (c, _) => c,
        };
        if let Some(out) = converted {
            let id = unique_id(node, &options.id_prefix, &mut ids, &mut own, file, line);
            let out = QuestionFile { id, ..out };
            let out = match carried {
                Some(fields) => match carry::apply(&out, &fields) {
                    Ok(restored) => {
                        own.retain(|d| d.message.contains("is taken by an earlier question"));
                        restored
                    }
                    Err(e) => {
                        own.push(Diagnostic::warning(file, line, 0, format!("the `<!-- lectern: -->` comment does not fit the question ({e}); it is imported from its Moodle XML alone")));
                        out
                    }
                },
                None => out,
            };
            if out.prompt.trim().is_empty() && out.kind != "case" {
                own.push(Diagnostic::warning(
                    file,
                    line,
                    0,
                    format!("question ({kind}): not imported: the question has no text"),
                ));
            } else {
                questions.push(out);
            }
        }
        warnings.append(&mut own);
    }
    if read == 0 && descriptions.is_empty() {
        return Err(match categories.first() {
            Some((line, _, _)) => Diagnostic::error(
                file,
                *line,
                0,
                "the file holds no question, only categories",
            ),
            None => Diagnostic::error(file, line_of(&doc, quiz), 0, "the file holds no question"),
        }
        .with_hint("a Moodle XML question is `<question type=\"multichoice\">` (or truefalse, shortanswer, numerical, essay, description) inside `<quiz>`"));
    }
    if categories.len() > 1 {
        let names: Vec<&str> = categories.iter().map(|(_, n, _)| n.as_str()).collect();
        warnings.push(Diagnostic::warning(
            file,
            categories[1].0,
            0,
            format!(
                "the file has {} categories ({}); all their questions go into this one bank",
                categories.len(),
                names.join(", ")
            ),
        ).with_hint("to keep them apart, export each category from Moodle on its own and import each into its own bank"));
    }
    let title = options.title.clone().unwrap_or_else(|| {
        categories
            .first()
            .and_then(|(_, c, _)| {
                c.replace("//", "\u{0}")
                    .rsplit('/')
                    .next()
                    .map(|s| s.replace('\u{0}', "/"))
            })
            .filter(|t| !t.trim().is_empty() && !t.starts_with('$') && t != "top")
            .unwrap_or_else(|| options.id_prefix.clone())
    });
    let mut bank = BankFile {
        chapter: options.chapter.clone(),
        title,
        multiple_scoring: questions
            .iter()
            .any(|q| q.kind == "multiple")
            .then(|| "per_option".to_string()),
        questions,
        descriptions,
        ..Default::default()
    };
    if let [(line, _, Some(text))] = categories.as_slice() {
        match carry::decode(text) {
            Ok(fields) => apply_bank(&mut bank, &fields, options.title.is_some()),
            Err(e) => warnings.push(Diagnostic::warning(
                file,
                *line,
                0,
                format!("the `<!-- lectern: -->` comment of the category is not readable ({e}); the bank's settings are left to their defaults"),
            )),
        }
    }
    warnings.sort_by_key(|d| d.line);
    Ok(Imported {
        bank,
        read,
        warnings,
    })
}

/// One `<question>` element (as lectern's export writes it) read from its
/// XML alone: export compares it with the original to know what its
/// comment must carry.
pub(crate) fn read_alone(question: &str) -> Option<QuestionFile> {
    let xml = format!("<quiz>{question}</quiz>");
    let doc = parse(&xml).ok()?;
    let node = doc
        .root_element()
        .children()
        .find(|n| n.has_tag_name("question"))?;
    let mut sink = Vec::new();
    let mut notes = Notes {
        file: Path::new(""),
        line: 0,
        kind: node.attribute("type").unwrap_or_default(),
        name: None,
        warnings: &mut sink,
    };
    let out = convert(node, &mut notes)?;
    let id = unique_id(node, "", &mut HashSet::new(), &mut sink, Path::new(""), 0);
    Some(QuestionFile { id, ..out })
}

/// Wraps lectern's fields as the comment export writes: `--` cannot stand
/// in an XML comment, so `%` and `-` runs are escaped reversibly.
pub fn comment(fields_text: &str) -> String {
    let text = fields_text.replace('%', "%25").replace("--", "-%2D");
    let text = text
        .strip_suffix('-')
        .map(|t| format!("{t}%2D"))
        .unwrap_or(text);
    format!("<!-- {LECTERN_MARK} {text} -->")
}

fn lectern_comment(node: Node) -> Option<String> {
    node.children()
        .filter(|n| n.is_comment())
        .filter_map(|n| n.text())
        .find_map(|t| t.trim().strip_prefix(LECTERN_MARK).map(str::to_string))
        .map(|t| t.trim().replace("%2D", "-").replace("%25", "%"))
}

fn parse(text: &str) -> Result<Document<'_>, (usize, usize, String)> {
    let options = roxmltree::ParsingOptions {
        allow_dtd: true,
        ..Default::default()
    };
    Document::parse_with_options(text, options).map_err(|e| {
        let pos = e.pos();
        (pos.row as usize, pos.col as usize, e.to_string())
    })
}

fn line_of(doc: &Document, node: Node) -> usize {
    doc.text_pos_at(node.range().start).row as usize
}

/// The text of the element at `path` under `node`.
fn child_text(node: Node, path: &[&str]) -> Option<String> {
    let mut at = node;
    for name in path {
        at = at.children().find(|n| n.has_tag_name(*name))?;
    }
    Some(at.children().filter_map(|n| n.text()).collect::<String>())
}

/// Warnings about one question, naming it and its line.
struct Notes<'a> {
    file: &'a Path,
    line: usize,
    kind: &'a str,
    name: Option<String>,
    warnings: &'a mut Vec<Diagnostic>,
}

impl Notes<'_> {
    fn warn(&mut self, message: impl AsRef<str>) {
        let who = match &self.name {
            Some(n) if !n.trim().is_empty() => format!("question `{}`", n.trim()),
            _ => "question".to_string(),
        };
        self.warnings.push(Diagnostic::warning(
            self.file,
            self.line,
            0,
            format!("{who} ({}): {}", self.kind, message.as_ref()),
        ));
    }

    fn skip(&mut self, why: impl AsRef<str>) -> Option<QuestionFile> {
        self.warn(format!("not imported: {}", why.as_ref()));
        None
    }
}

/// The question's id: `<idnumber>`, else its name, else a hash of its text;
/// made valid and unique in the file.
fn unique_id(
    node: Node,
    prefix: &str,
    used: &mut HashSet<String>,
    warnings: &mut Vec<Diagnostic>,
    file: &Path,
    line: usize,
) -> String {
    let clean = |s: String| Some(slug(&s)).filter(|s| !s.is_empty() && s.chars().count() <= 60);
    let base = child_text(node, &["idnumber"])
        .and_then(clean)
        .or_else(|| child_text(node, &["name", "text"]).and_then(clean))
        .map(|s| {
            if s.chars().next().is_some_and(|c| c.is_alphanumeric()) {
                s
            } else {
                format!("{prefix}{s}")
            }
        })
        .unwrap_or_else(|| {
            let mut h = DefaultHasher::new();
            child_text(node, &["questiontext", "text"]).hash(&mut h);
            format!("{prefix}-{:08x}", h.finish() as u32)
        });
    let mut id = base.clone();
    let mut n = 2;
    while !used.insert(id.clone()) {
        id = format!("{base}-{n}");
        n += 1;
    }
    if id != base {
        warnings.push(Diagnostic::warning(
            file,
            line,
            0,
            format!("id `{base}` is taken by an earlier question; this one becomes `{id}`"),
        ));
    }
    id
}

/// Letters and digits (any script) kept, runs of anything else as one `-`.
fn slug(text: &str) -> String {
    let mut out = String::new();
    for c in text.trim().chars() {
        if c.is_alphanumeric() || matches!(c, '_' | '.' | '-') {
            out.extend(c.to_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches(['-', '.']).to_string()
}

#[cfg(test)]
mod tests {
    use super::convert::with_blank;
    use super::*;

    #[test]
    fn comments_escape_what_xml_forbids() {
        let c = comment("prompt=\"a -- b 5%\"; x=y-");
        assert!(!c[4..c.len() - 3].contains("--"), "{c}");
        let xml = format!("<question type=\"essay\">{c}</question>");
        let doc = Document::parse(&xml).unwrap();
        assert_eq!(
            lectern_comment(doc.root_element()).unwrap(),
            "prompt=\"a -- b 5%\"; x=y-"
        );
        assert_eq!(
            with_blank("The \\_\\_\\_\\_\\_ is red."),
            "The ____ is red."
        );
        assert_eq!(with_blank("Capital of France?"), "Capital of France? ____");
    }
}
