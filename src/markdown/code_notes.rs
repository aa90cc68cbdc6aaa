//! What a build tells the author about code blocks: a language lectern
//! cannot highlight (one warning per language for the whole build, with
//! where it is used and how often), and fence attributes it cannot read.

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::diagnostic::Diagnostic;

/// Something about one code block the author should hear of.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeNote {
    /// 0-based byte offset of the block's fence in the Markdown text.
    pub offset: usize,
    pub kind: CodeNoteKind,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CodeNoteKind {
    /// The fence names a language lectern has no grammar for (as written).
    UnknownLanguage(String),
    /// An attribute's value could not be read (in words).
    Attribute(String),
}

/// A note with the place it was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocatedNote {
    pub file: PathBuf,
    pub line: usize,
    pub column: usize,
    pub kind: CodeNoteKind,
}

/// How many places a warning about an unknown language lists.
const PLACES_SHOWN: usize = 5;

/// The warnings of a whole build's notes: each unknown language once (at
/// its first use, naming up to five places and the count), each unreadable
/// attribute where it is. `known` are the names lectern does highlight,
/// for a "did you mean" hint.
pub fn warnings<'a>(
    notes: impl IntoIterator<Item = LocatedNote>,
    known: impl IntoIterator<Item = &'a str> + Clone,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    // Lower-cased language → (as first written, places in order).
    let mut unknown: BTreeMap<String, (String, Vec<LocatedNote>)> = BTreeMap::new();
    let mut notes: Vec<LocatedNote> = notes.into_iter().collect();
    notes.sort_by(|a, b| (&a.file, a.line, a.column).cmp(&(&b.file, b.line, b.column)));
    for note in notes {
        match &note.kind {
            CodeNoteKind::UnknownLanguage(lang) => {
                unknown
                    .entry(lang.to_lowercase())
                    .or_insert_with(|| (lang.clone(), Vec::new()))
                    .1
                    .push(note);
            }
            CodeNoteKind::Attribute(problem) => out.push(
                Diagnostic::warning(
                    &note.file,
                    note.line,
                    note.column,
                    format!("code block attribute: {problem}"),
                )
                .with_hint("the block is shown without it"),
            ),
        }
    }
    for (lower, (lang, places)) in unknown {
        let first = &places[0];
        let mut listed: Vec<String> = places
            .iter()
            .take(PLACES_SHOWN)
            .map(|p| format!("{}:{}", p.file.display(), p.line))
            .collect();
        if places.len() > PLACES_SHOWN {
            listed.push(format!("and {} more", places.len() - PLACES_SHOWN));
        }
        let blocks = match places.len() {
            1 => "1 block".to_string(),
            n => format!("{n} blocks"),
        };
        let hint = match crate::diagnostic::nearest(&lower, known.clone()) {
            Some(near) => format!("did you mean `{near}`? Otherwise write `text` for plain text; the block is shown as plain text"),
            None => "lectern has no grammar for it and shows the block as plain text; write `text` to say it is plain text, or check the name (lectern knows the names GitHub and common editors use, such as `python`, `ts`, `shell`, `console`)".to_string(),
        };
        out.push(
            Diagnostic::warning(
                &first.file,
                first.line,
                first.column,
                format!(
                    "language `{lang}` in {blocks} ({}) is not highlighted",
                    listed.join(", ")
                ),
            )
            .with_hint(hint),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn note(file: &str, line: usize, lang: &str) -> LocatedNote {
        LocatedNote {
            file: PathBuf::from(file),
            line,
            column: 1,
            kind: CodeNoteKind::UnknownLanguage(lang.to_string()),
        }
    }

    #[test]
    fn one_warning_per_language_with_places_and_count() {
        let notes = vec![
            note("content/b.md", 3, "foo"),
            note("content/a.md", 12, "foo"),
            note("content/a.md", 20, "FOO"),
            note("content/a.md", 5, "bar"),
        ];
        let ws = warnings(notes, ["python"]);
        assert_eq!(ws.len(), 2);
        let foo = ws.iter().find(|w| w.message.contains("`foo`")).unwrap();
        assert_eq!(
            foo.message,
            "language `foo` in 3 blocks (content/a.md:12, content/a.md:20, content/b.md:3) is not highlighted"
        );
        assert_eq!((foo.file.to_str().unwrap(), foo.line), ("content/a.md", 12));
        assert!(!foo.is_error());
    }

    #[test]
    fn many_places_are_counted_not_all_listed() {
        let notes = (1..=8).map(|i| note("content/a.md", i, "zz"));
        let ws = warnings(notes, std::iter::empty());
        assert_eq!(ws.len(), 1);
        assert!(ws[0].message.contains("in 8 blocks"), "{}", ws[0].message);
        assert!(ws[0].message.contains("content/a.md:5, and 3 more"));
    }

    #[test]
    fn a_near_name_is_suggested() {
        let ws = warnings(vec![note("content/a.md", 1, "pyhton")], ["python", "rust"]);
        assert!(ws[0].hint.as_deref().unwrap().contains("`python`"));
    }
}
