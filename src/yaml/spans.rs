//! The position-only pass: yaml-rust2's marked events give where each key
//! and list item starts, which serde does not.

use std::collections::HashMap;

use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::Marker;

use super::Pos;

/// Positions of every node of `text`, and of every key written a second time
/// in the same mapping.
pub(super) struct Recorded {
    pub(super) map: HashMap<String, Pos>,
    pub(super) duplicates: Vec<(String, Pos)>,
}

pub(super) fn spans_of(text: &str) -> Recorded {
    let mut recorder = SpanRecorder::default();
    let mut parser = Parser::new_from_str(text);
    // serde_yaml already accepted the text (or is reporting why not); a
    // disagreement here only costs positions.
    let _ = parser.load(&mut recorder, false);
    Recorded {
        map: recorder.map,
        duplicates: recorder.duplicates,
    }
}

enum Frame {
    /// In a mapping: the path of the mapping and the key waiting for its value.
    Map { path: String, key: Option<String> },
    /// In a sequence: the path and the index of the next item.
    Seq { path: String, next: usize },
}

#[derive(Default)]
struct SpanRecorder {
    stack: Vec<Frame>,
    map: HashMap<String, Pos>,
    duplicates: Vec<(String, Pos)>,
}

impl SpanRecorder {
    /// The path of the node that starts now, advancing the parent's state.
    /// Returns None for a mapping key (recorded separately).
    fn next_path(&mut self, scalar: Option<&str>, pos: Pos) -> Option<String> {
        match self.stack.last_mut() {
            None => Some(String::new()),
            Some(Frame::Seq { path, next }) => {
                let p = join(path, &next.to_string());
                *next += 1;
                Some(p)
            }
            Some(Frame::Map { path, key }) => match key.take() {
                Some(k) => Some(join(path, &k)),
                None => {
                    let k = scalar.unwrap_or("?").to_string();
                    let p = join(path, &k);
                    if self.map.contains_key(&p) {
                        self.duplicates.push((p.clone(), pos));
                    }
                    self.map.insert(p, pos);
                    *key = Some(k);
                    None
                }
            },
        }
    }
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}/{key}")
    }
}

impl MarkedEventReceiver for SpanRecorder {
    fn on_event(&mut self, ev: Event, mark: Marker) {
        // yaml-rust2 reports 1-based lines and 0-based columns.
        let pos = Pos {
            line: mark.line(),
            column: mark.col() + 1,
        };
        match ev {
            Event::Scalar(value, ..) => {
                if let Some(p) = self.next_path(Some(&value), pos) {
                    self.map.entry(p).or_insert(pos);
                }
            }
            Event::Alias(_) => {
                if let Some(p) = self.next_path(None, pos) {
                    self.map.entry(p).or_insert(pos);
                }
            }
            Event::SequenceStart(..) => {
                let p = self.next_path(None, pos).unwrap_or_default();
                self.map.entry(p.clone()).or_insert(pos);
                self.stack.push(Frame::Seq { path: p, next: 0 });
            }
            Event::MappingStart(..) => {
                let p = self.next_path(None, pos).unwrap_or_default();
                self.map.entry(p.clone()).or_insert(pos);
                self.stack.push(Frame::Map { path: p, key: None });
            }
            Event::SequenceEnd | Event::MappingEnd => {
                self.stack.pop();
            }
            _ => {}
        }
    }
}
