//! Heading ids: readable, stable, unique within a page, and working for Chinese.

use std::collections::HashMap;

/// Turns heading text into an id: lower case, letters and digits of any
/// script kept (so `客户的分类` stays `客户的分类`), runs of spaces and
/// dashes become one `-`, everything else dropped.
pub fn slugify(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut dash = false;
    for ch in text.chars() {
        if ch.is_alphanumeric() || ch == '_' {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            out.extend(ch.to_lowercase());
        } else if ch.is_whitespace() || ch == '-' {
            dash = true;
        }
    }
    out
}

/// mdBook's heading ids (`normalize_id` in mdBook's utils), so that links
/// and bookmarks into an existing book keep working: letters, digits, `_`
/// and `-` kept (ASCII letters lower-cased, others as they are), every
/// white-space character a `-`, everything else dropped. Unlike `slugify`,
/// runs of spaces are not folded (`a  b` → `a--b`).
pub fn mdbook_slug(text: &str) -> String {
    text.trim()
        .trim_start_matches('#')
        .trim()
        .chars()
        .filter_map(|ch| {
            if ch.is_alphanumeric() || ch == '_' || ch == '-' {
                Some(ch.to_ascii_lowercase())
            } else if ch.is_whitespace() {
                Some('-')
            } else {
                None
            }
        })
        .collect()
}

/// How a page's heading ids are made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum IdStyle {
    /// `slugify`, repeats numbered past ids already taken.
    #[default]
    Lectern,
    /// mdBook's: `mdbook_slug`, the n-th repeat of an id gets `-n`.
    MdBook,
}

/// Hands out unique ids for one page: the second `概述` becomes `概述-1`.
#[derive(Debug, Default)]
pub struct IdAllocator {
    seen: HashMap<String, usize>,
    style: IdStyle,
}

impl IdAllocator {
    /// Ids as mdBook makes them, for pages of an mdBook.
    pub fn mdbook() -> IdAllocator {
        IdAllocator {
            style: IdStyle::MdBook,
            ..IdAllocator::default()
        }
    }

    /// The id of a heading with this text.
    pub fn unique_for(&mut self, text: &str) -> String {
        match self.style {
            IdStyle::Lectern => self.unique(&slugify(text)),
            IdStyle::MdBook => {
                // mdBook counts repeats of each id and appends the count,
                // without checking the result against other ids.
                let id = mdbook_slug(text);
                let n = self.seen.entry(id.clone()).or_insert(0);
                let out = if *n == 0 { id } else { format!("{id}-{n}") };
                *n += 1;
                out
            }
        }
    }

    pub fn reserve(&mut self, id: &str) {
        self.seen.entry(id.to_string()).or_insert(0);
    }

    pub fn unique(&mut self, wanted: &str) -> String {
        let base = if wanted.is_empty() {
            "section".to_string()
        } else {
            wanted.to_string()
        };
        let Some(&start) = self.seen.get(&base) else {
            self.seen.insert(base.clone(), 0);
            return base;
        };
        let mut n = start;
        loop {
            n += 1;
            let candidate = format!("{base}-{n}");
            if !self.seen.contains_key(&candidate) {
                self.seen.insert(base, n);
                self.seen.insert(candidate.clone(), 0);
                return candidate;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_headings_keep_their_characters() {
        assert_eq!(slugify("客户的分类"), "客户的分类");
        assert_eq!(slugify("一、客户的内涵（概述）"), "一客户的内涵概述");
        assert_eq!(slugify("任务1 理解客户服务"), "任务1-理解客户服务");
        assert_eq!(slugify("RATER 模型"), "rater-模型");
        assert_eq!(slugify("Hello, World!"), "hello-world");
        assert_eq!(slugify("  a -- b  "), "a-b");
    }

    #[test]
    fn mdbook_ids_match_mdbook() {
        // Expected values are what mdBook's `normalize_id`/`unique_id_from_content` give.
        assert_eq!(mdbook_slug("Hello, World!"), "hello-world");
        assert_eq!(mdbook_slug("A - B"), "a---b");
        assert_eq!(mdbook_slug("代码Debug"), "代码debug");
        assert_eq!(mdbook_slug("Ünïcode Straße"), "Ünïcode-straße");
        assert_eq!(
            mdbook_slug("snake_case and kebab-case"),
            "snake_case-and-kebab-case"
        );
        assert_eq!(mdbook_slug("1.2 版本"), "12-版本");
        let mut ids = IdAllocator::mdbook();
        assert_eq!(ids.unique_for("Example"), "example");
        assert_eq!(ids.unique_for("Example"), "example-1");
        assert_eq!(ids.unique_for("Example"), "example-2");
        assert_eq!(ids.unique_for("?"), "");
    }

    #[test]
    fn repeats_get_numbers() {
        let mut ids = IdAllocator::default();
        assert_eq!(ids.unique("概述"), "概述");
        assert_eq!(ids.unique("概述"), "概述-1");
        assert_eq!(ids.unique("概述"), "概述-2");
        assert_eq!(ids.unique(""), "section");
    }
}
