//! A bound on what aliases expand to. YAML's `*alias` repeats the node its
//! `&anchor` names, and serde_yaml copies that node for every alias: a
//! 160 KB front matter aliasing one 100 KB value 20,000 times asked for 2 GB
//! and more (nested anchors grow it exponentially, the "billion laughs").
//! serde_yaml's own guard counts how often aliases repeat, not the bytes they
//! make. So the document is first read as events (which never expand an
//! alias), the size every anchored node stands for is added up, and a
//! document that would expand past the budget is an error at the alias that
//! crosses it, before anything is built.

use std::collections::HashMap;
use std::path::Path;

use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::Marker;

use crate::diagnostic::Diagnostic;

/// A document may expand to this many times its own size, plus `SLACK`:
/// ordinary reuse of an anchor (a shared list of options, default points)
/// stays far below it, and what serde_yaml then builds stays in the tens of
/// megabytes at worst.
const FACTOR: usize = 8;
const SLACK: usize = 4 << 20;
/// What a node costs besides its text (a value, a string header, a map entry).
const NODE_COST: usize = 16;

pub fn budget(source_len: usize) -> usize {
    source_len.saturating_mul(FACTOR).saturating_add(SLACK)
}

/// An error at the alias where `text` would expand past its budget.
pub fn check(text: &str, file: &Path, line_offset: usize) -> Option<Diagnostic> {
    if !text.contains('*') {
        return None; // no alias: nothing to expand (the common case, at no cost)
    }
    let mut counter = Counter {
        budget: budget(text.len()),
        ..Counter::default()
    };
    let mut parser = Parser::new_from_str(text);
    // A syntax error is serde_yaml's to report, with its own words.
    let _ = parser.load(&mut counter, false);
    let (at, total) = counter.exceeded?;
    Some(
        Diagnostic::error(
            file,
            at.line() + line_offset,
            at.col() + 1,
            format!(
                "the aliases of this document would expand it to more than {} MB (this alias reaches {} MB)",
                counter.budget >> 20,
                total >> 20
            ),
        )
        .with_hint(
            "an alias (`*name`) repeats the whole value its anchor (`&name`) names: write the value out where it is needed, or repeat a smaller one",
        ),
    )
}

#[derive(Default)]
struct Counter {
    budget: usize,
    /// Size of each anchored node, by anchor id.
    anchors: HashMap<usize, usize>,
    /// Open collections: their anchor id (0: none) and size so far.
    open: Vec<(usize, usize)>,
    /// What the whole document expands to so far.
    total: usize,
    exceeded: Option<(Marker, usize)>,
}

impl Counter {
    /// Adds a finished node of `size` to its parent, and remembers it if anchored.
    fn node(&mut self, anchor: usize, size: usize) {
        if anchor > 0 {
            self.anchors.insert(anchor, size);
        }
        if let Some((_, parent)) = self.open.last_mut() {
            *parent = parent.saturating_add(size);
        }
    }
}

impl MarkedEventReceiver for Counter {
    fn on_event(&mut self, ev: Event, mark: Marker) {
        if self.exceeded.is_some() {
            return;
        }
        match ev {
            Event::Scalar(value, _, anchor, _) => {
                let size = value.len() + NODE_COST;
                self.total = self.total.saturating_add(size);
                self.node(anchor, size);
            }
            Event::Alias(anchor) => {
                let size = self.anchors.get(&anchor).copied().unwrap_or(NODE_COST);
                self.total = self.total.saturating_add(size);
                self.node(0, size);
                if self.total > self.budget {
                    self.exceeded = Some((mark, self.total));
                }
            }
            Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _) => {
                self.total = self.total.saturating_add(NODE_COST);
                self.open.push((anchor, NODE_COST));
            }
            Event::SequenceEnd | Event::MappingEnd => {
                if let Some((anchor, size)) = self.open.pop() {
                    self.node(anchor, size);
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn laughs(levels: usize) -> String {
        let mut text = String::from(
            "a0: &a0 [\"ha\", \"ha\", \"ha\", \"ha\", \"ha\", \"ha\", \"ha\", \"ha\", \"ha\"]\n",
        );
        for i in 1..levels {
            let items = vec![format!("*a{}", i - 1); 9].join(", ");
            text.push_str(&format!("a{i}: &a{i} [{items}]\n"));
        }
        text
    }

    #[test]
    fn a_billion_laughs_is_stopped_at_the_alias_that_crosses_the_budget() {
        let d = check(&laughs(9), Path::new("bank.yaml"), 0).expect("refused");
        assert!(
            d.message.contains("would expand it to more than 4 MB"),
            "{}",
            d.message
        );
        // Line 6 (a5) holds 9^6 "ha"s, ~10 MB counted: the budget is crossed there.
        assert_eq!(d.line, 6);
        assert!(d.column > 1);
    }

    #[test]
    fn one_big_value_aliased_many_times_is_refused() {
        let big = "x".repeat(100_000);
        let mut text = format!("big: &big \"{big}\"\nlist:\n");
        for _ in 0..100 {
            text.push_str("  - *big\n");
        }
        let d = check(&text, Path::new("p.md"), 1).expect("refused");
        assert!(d.line > 3);
    }

    #[test]
    fn ordinary_reuse_is_fine() {
        let text = "defaults: &d {points: 2, tags: [a, b]}\nq1: *d\nq2: *d\nq3: *d\n";
        assert!(check(text, Path::new("x.yaml"), 0).is_none());
        assert!(check(&laughs(4), Path::new("x.yaml"), 0).is_none());
    }
}
