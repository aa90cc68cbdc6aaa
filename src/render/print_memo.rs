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
use std::io::{self, Write};
use std::sync::Arc;

use rayon::prelude::*;

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
    let pieces = segments(skeleton, fragments.len())?;
    let total: usize = fragments.iter().map(|f| f.len()).sum();
    let mut out = String::with_capacity(skeleton.len() + total);
    for (piece, fragment) in pieces.iter().zip(fragments) {
        out.push_str(piece);
        out.push_str(fragment);
    }
    out.push_str(pieces[fragments.len()]);
    Some(out)
}

/// The skeleton cut at its `count` markers: `count + 1` pieces, the
/// `i`th fragment going after the `i`th piece; None when the skeleton does
/// not hold markers 0 to `count - 1` exactly once each, in order.
pub(super) fn segments(skeleton: &str, count: usize) -> Option<Vec<&str>> {
    let mut pieces = Vec::with_capacity(count + 1);
    let mut rest = skeleton;
    for i in 0..count {
        let mark = marker(i);
        let at = rest.find(MARKER_HEAD)?;
        if !rest[at..].starts_with(&mark) {
            return None;
        }
        pieces.push(&rest[..at]);
        rest = &rest[at + mark.len()..];
    }
    if rest.contains(MARKER_HEAD) {
        return None;
    }
    pieces.push(rest);
    Some(pieces)
}

/// How many pages' HTML a streamed document makes at once (in parallel):
/// enough to keep the cores busy, few enough that memory stays small.
const STREAM_BATCH: usize = 64;

/// Writes the skeleton's `pieces` (from `segments`) to `out` with the
/// `i`th item's fragment after the `i`th piece, making the fragments a
/// batch at a time: the document is never in memory whole.
pub(super) fn write_spliced<T: Sync>(
    out: &mut dyn Write,
    pieces: &[&str],
    items: &[T],
    fragment: impl Fn(&T) -> String + Sync,
) -> io::Result<()> {
    for (b, batch) in items.chunks(STREAM_BATCH).enumerate() {
        let made: Vec<String> = batch.par_iter().map(&fragment).collect();
        for (i, html) in made.iter().enumerate() {
            out.write_all(pieces[b * STREAM_BATCH + i].as_bytes())?;
            out.write_all(html.as_bytes())?;
        }
    }
    out.write_all(pieces[items.len()].as_bytes())
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

    #[test]
    fn writes_what_splicing_gives_across_batches() {
        let count = STREAM_BATCH * 2 + 3;
        let skeleton: String = (0..count).map(|i| format!("<{i}>{}", marker(i))).collect();
        let skeleton = skeleton + "</end>";
        let items: Vec<usize> = (0..count).collect();
        let parts: Vec<Arc<String>> = items.iter().map(|i| Arc::new(format!("[{i}]"))).collect();
        let pieces = segments(&skeleton, count).unwrap();
        let mut out = Vec::new();
        write_spliced(&mut out, &pieces, &items, |i| format!("[{i}]")).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            splice(&skeleton, &parts).unwrap()
        );
        assert_eq!(segments(&skeleton, count + 1), None, "one marker too few");
    }
}
