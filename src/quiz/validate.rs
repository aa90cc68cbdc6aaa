//! Checks that need the whole course: the chapter a bank names, the case page
//! a case question names, ids used twice anywhere, two banks for one chapter.

use std::collections::HashMap;

use crate::content::Site;
use crate::diagnostic::{nearest, Diagnostic};

use super::bank::ParsedBank;
use super::model::{Bank, Body};

/// `understanding-customer-service/case-oriental-hotel` from the ways a
/// teacher may write it: with numeric prefixes, `content/`, `.md`.
pub fn normalize_case_ref(reference: &str) -> String {
    let r = reference
        .trim()
        .trim_start_matches("./")
        .trim_start_matches('/');
    let r = r.strip_prefix("content/").unwrap_or(r);
    let r = r.strip_suffix(".md").unwrap_or(r);
    r.split('/').map(strip_number).collect::<Vec<_>>().join("/")
}

/// `01-customers` → `customers`, by the same rule content folders follow
/// (so `01.intro` matches its chapter too).
fn strip_number(segment: &str) -> &str {
    crate::content::paths::split_prefix(segment).1
}

/// Checks the parsed banks against the site and each other, fills in what
/// depends on the site (chapter slug, default title), and returns the banks
/// in chapter order.
pub fn check_banks(
    site: &Site,
    parsed: Vec<ParsedBank>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<Bank> {
    let cases = site.cases();
    let mut case_ids: Vec<&str> = cases.keys().copied().collect();
    case_ids.sort_unstable();
    let slugs: Vec<&str> = site.chapters.iter().map(|c| c.slug.as_str()).collect();
    let mut chapter_bank: HashMap<String, (std::path::PathBuf, usize)> = HashMap::new();
    let mut ids: HashMap<String, (std::path::PathBuf, usize)> = HashMap::new();
    let mut banks = Vec::new();

    for ParsedBank {
        mut bank,
        chapter_line,
        case_lines,
    } in parsed
    {
        let file = bank.file.clone();
        match site.chapter(bank.chapter.trim()) {
            None => {
                let hint = match nearest(bank.chapter.trim(), slugs.iter().copied()) {
                    Some(best) => format!("did you mean `{best}`? chapters: {}", slugs.join(", ")),
                    None if slugs.is_empty() => {
                        "the course has no chapters: add a folder under content/".to_string()
                    }
                    None => format!("chapters: {}", slugs.join(", ")),
                };
                diagnostics.push(
                    Diagnostic::error(
                        &file,
                        chapter_line,
                        0,
                        format!("chapter `{}` does not exist", bank.chapter.trim()),
                    )
                    .with_hint(hint),
                );
            }
            Some(chapter) => {
                bank.chapter = chapter.slug.clone();
                if bank.title.is_empty() {
                    bank.title = chapter.title().to_string();
                }
                if let Some((first, line)) = chapter_bank.get(&chapter.slug) {
                    diagnostics.push(
                        Diagnostic::error(&file, chapter_line, 0, format!("chapter `{}` already has a question bank", chapter.slug))
                            .with_hint(format!("{}:{line} is its bank; put these questions there, one bank per chapter", first.display())),
                    );
                } else {
                    chapter_bank.insert(chapter.slug.clone(), (file.clone(), chapter_line));
                }
            }
        }
        for (q, case_line) in bank.questions.iter_mut().zip(case_lines) {
            if let Some((first, line)) = ids.get(&q.id) {
                diagnostics.push(
                    Diagnostic::error(
                        &file,
                        q.line,
                        0,
                        format!("question id `{}` is used twice", q.id),
                    )
                    .with_hint(format!(
                        "it is first used at {}:{line}; ids must be unique in the whole course",
                        first.display()
                    )),
                );
            } else {
                ids.insert(q.id.clone(), (file.clone(), q.line));
            }
            if let Body::Case { case, .. } = &mut q.body {
                let id = normalize_case_ref(case);
                if cases.contains_key(id.as_str()) {
                    *case = id;
                } else {
                    let hint = match nearest(&id, case_ids.iter().copied()) {
                        Some(best) => format!("did you mean `{best}`?"),
                        None if case_ids.is_empty() => {
                            "the course has no case pages (pages with `kind: case`)".to_string()
                        }
                        None => format!("case pages: {}", case_ids.join(", ")),
                    };
                    diagnostics.push(
                        Diagnostic::error(
                            &file,
                            case_line,
                            0,
                            format!("case `{case}` of question `{}` does not exist", q.id),
                        )
                        .with_hint(hint),
                    );
                }
            }
        }
        banks.push(bank);
    }
    let order = |b: &Bank| {
        site.chapters
            .iter()
            .position(|c| c.slug == b.chapter)
            .unwrap_or(usize::MAX)
    };
    banks.sort_by(|a, b| order(a).cmp(&order(b)).then_with(|| a.key.cmp(&b.key)));
    banks
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_references_in_every_spelling() {
        for r in [
            "understanding-customer-service/case-oriental-hotel",
            "01-understanding-customer-service/case-oriental-hotel.md",
            "content/01-understanding-customer-service/case-oriental-hotel.md",
        ] {
            assert_eq!(
                normalize_case_ref(r),
                "understanding-customer-service/case-oriental-hotel"
            );
        }
        assert_eq!(strip_number("2024"), "2024");
        assert_eq!(strip_number("3d-printing"), "3d-printing");
        assert_eq!(
            strip_number("01.intro"),
            "intro",
            "as content folders are read"
        );
    }
}
