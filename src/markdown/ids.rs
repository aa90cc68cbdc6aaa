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

/// Hands out unique ids for one page: the second `概述` becomes `概述-1`.
#[derive(Debug, Default)]
pub struct IdAllocator {
    seen: HashMap<String, usize>,
}

impl IdAllocator {
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
    fn repeats_get_numbers() {
        let mut ids = IdAllocator::default();
        assert_eq!(ids.unique("概述"), "概述");
        assert_eq!(ids.unique("概述"), "概述-1");
        assert_eq!(ids.unique("概述"), "概述-2");
        assert_eq!(ids.unique(""), "section");
    }
}
