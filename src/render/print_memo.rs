//! What the dev server keeps of the print pages between rebuilds.
//!
//! print.html is the whole course in one document (25 MB at 1,000 prose
//! pages): rendering it through tera on every save cost half a second. A
//! print document is its skeleton (cover, contents, every part's title and
//! its case questions and Q&A entries) with each page's HTML placed in it
//! as it is. So the memo keeps, by the key of their inputs:
//!
//! - each page's HTML as rewritten for one document (its links and ids);
//! - each document's skeleton, rendered by tera with a marker where each
//!   page's HTML goes, and the fragments spliced in after;
//! - which documents the last render made, by the key of all of that: a
//!   document whose key is unchanged is not made again (its file is kept).
//!
//! Splicing gives the bytes tera would only when the template places each
//! page's HTML once, unchanged (`{{ p.html | safe }}`): it is done for the
//! built-in print.html only, and a skeleton whose markers are not each
//! found once, in order, is rendered whole instead.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use crate::markdown::code_cache::CodeKey;

/// The start of every marker (a control character no template writes).
const MARKER_HEAD: &str = "\u{1}lectern-print-";

/// Fragments, skeletons and the documents of the last render.
#[derive(Debug, Default)]
pub struct PrintMemo {
    /// A page's HTML rewritten for one document, by `fragment_key`.
    pub(super) fragments: HashMap<CodeKey, Arc<String>>,
    /// A document's skeleton, by the key of its context with markers.
    pub(super) skeletons: HashMap<CodeKey, Arc<String>>,
    /// The keys of the documents the last render made.
    pub(super) documents: HashSet<CodeKey>,
}

impl PrintMemo {
    /// Forgets which documents the last render made (the output folder was
    /// written by something else since), keeping what only spares work.
    pub fn forget_documents(&mut self) {
        self.documents.clear();
    }
}

/// The marker standing for the `i`th page's HTML in a skeleton.
pub(super) fn marker(i: usize) -> String {
    format!("{MARKER_HEAD}{i}\u{1}")
}

/// The skeleton with the `fragments` in place of their markers; None when
/// the skeleton does not hold each marker exactly once, in order (a
/// template that repeats, drops or changes the page's HTML).
pub(super) fn splice(skeleton: &str, fragments: &[Arc<String>]) -> Option<String> {
    let total: usize = fragments.iter().map(|f| f.len()).sum();
    let mut out = String::with_capacity(skeleton.len() + total);
    let mut rest = skeleton;
    for (i, fragment) in fragments.iter().enumerate() {
        let mark = marker(i);
        let at = rest.find(MARKER_HEAD)?;
        if !rest[at..].starts_with(&mark) {
            return None;
        }
        out.push_str(&rest[..at]);
        out.push_str(fragment);
        rest = &rest[at + mark.len()..];
    }
    if rest.contains(MARKER_HEAD) {
        return None;
    }
    out.push_str(rest);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splices_each_marker_once_in_order() {
        let parts = [Arc::new("<p>a</p>".to_string()), Arc::new("B".to_string())];
        let skeleton = format!("<x>{}</x><y>{}</y>", marker(0), marker(1));
        assert_eq!(
            splice(&skeleton, &parts).as_deref(),
            Some("<x><p>a</p></x><y>B</y>")
        );
        let twice = format!("{}{}{}", marker(0), marker(1), marker(1));
        assert_eq!(splice(&twice, &parts), None, "a repeated marker");
        let swapped = format!("{}{}", marker(1), marker(0));
        assert_eq!(splice(&swapped, &parts), None, "out of order");
        assert_eq!(splice(&marker(0), &parts), None, "a missing marker");
    }
}
