//! The shape of the code, checked: stages only look forward.
//!
//! lectern's modules are stages of one pipeline (docs/architecture.md draws
//! it). A module may use the modules of earlier layers and never those of a
//! later one, and inside a module no two files use each other, directly or
//! through a loop. This test reads every `use crate::…`, `super::…` and
//! inline `crate::…` path of `src/` and fails on a back edge, so the layering
//! stays true as features are added.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

/// Top-level modules from the bottom up. A module may use the modules of its
/// own layer's predecessors only; modules on one line may not use each other.
const LAYERS: &[&[&str]] = &[
    &["diagnostic", "generated"],
    &["source_files"],
    &["layout"],
    &["yaml"],
    &["config"],
    &["markdown"],
    &["content"],
    &["quiz"],
    &["course"],
    &["search"],
    &["render"],
    &["output"],
    &["pipeline", "interop", "scaffold", "init"],
    &["serve"],
    &["cli"],
    &["commands"],
];

fn layer_of(module: &str) -> Option<usize> {
    LAYERS.iter().position(|l| l.contains(&module))
}

/// `src/search/index.rs` → `["search", "index"]`; `mod.rs` names its folder.
fn module_path(src: &Path, file: &Path) -> Vec<String> {
    let rel = file.strip_prefix(src).unwrap();
    let mut parts: Vec<String> = rel
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    let last = parts.pop().unwrap();
    let stem = last.trim_end_matches(".rs");
    if stem != "mod" && stem != "lib" && stem != "main" {
        parts.push(stem.to_string());
    }
    parts
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Drops comments and string literals, which may mention paths they do not use.
fn code_only(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '/' if chars.peek() == Some(&'/') => {
                for c in chars.by_ref() {
                    if c == '\n' {
                        out.push('\n');
                        break;
                    }
                }
            }
            '"' => {
                let mut escaped = false;
                for c in chars.by_ref() {
                    if escaped {
                        escaped = false;
                    } else if c == '\\' {
                        escaped = true;
                    } else if c == '"' {
                        break;
                    }
                }
                out.push_str("\"\"");
            }
            _ => out.push(c),
        }
    }
    out
}

/// Expands `a::{b, c::{d, e}}` into `a::b`, `a::c::d`, `a::c::e`.
fn expand_use(tree: &str) -> Vec<String> {
    let tree: String = tree.chars().filter(|c| !c.is_whitespace()).collect();
    let Some(open) = tree.find('{') else {
        return vec![tree];
    };
    let prefix = &tree[..open];
    let inner = &tree[open + 1..tree.rfind('}').unwrap_or(tree.len())];
    let mut items = Vec::new();
    let (mut depth, mut start) = (0, 0);
    for (i, c) in inner.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                items.push(&inner[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    items.push(&inner[start..]);
    items
        .into_iter()
        .filter(|i| !i.is_empty())
        .flat_map(|i| expand_use(&format!("{prefix}{i}")))
        .collect()
}

/// Every path a file refers to, resolved to module paths from the crate root.
fn references(module: &[String], code: &str) -> Vec<Vec<String>> {
    let mut paths = Vec::new();
    // `use` declarations, possibly over several lines.
    let mut rest = code;
    while let Some(at) = rest.find("use ") {
        let before = rest[..at].chars().last();
        let tail = &rest[at + 4..];
        let end = tail.find(';').unwrap_or(tail.len());
        if before.is_none_or(|c| !c.is_alphanumeric() && c != '_') {
            paths.extend(expand_use(&tail[..end]));
        }
        rest = &tail[end.min(tail.len())..];
    }
    // Inline `crate::a::b` and `super::a` paths.
    for marker in ["crate::", "super::"] {
        let mut rest = code;
        while let Some(at) = rest.find(marker) {
            let before = rest[..at].chars().last();
            let tail = &rest[at..];
            let end = tail
                .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':'))
                .unwrap_or(tail.len());
            if before.is_none_or(|c| !c.is_alphanumeric() && c != '_' && c != ':') {
                paths.push(tail[..end].to_string());
            }
            rest = &tail[end.max(1)..];
        }
    }
    paths
        .into_iter()
        .filter_map(|p| {
            let segs: Vec<&str> = p.split("::").filter(|s| !s.is_empty()).collect();
            let mut iter = segs.iter().peekable();
            let mut resolved: Vec<String> = match iter.next() {
                Some(&"crate") => Vec::new(),
                Some(&"self") => module.to_vec(),
                Some(&"super") => {
                    let mut parent = module[..module.len().saturating_sub(1)].to_vec();
                    while iter.peek() == Some(&&"super") {
                        parent.pop();
                        iter.next();
                    }
                    parent
                }
                _ => return None,
            };
            for s in iter {
                resolved.push(s.to_string());
            }
            Some(resolved)
        })
        .collect()
}

struct Graph {
    /// Top-level module → the top-level modules it uses.
    modules: BTreeMap<String, BTreeSet<String>>,
    /// (top-level module, file module) → sibling files of the same module it uses.
    files: BTreeMap<String, BTreeMap<String, BTreeSet<String>>>,
}

fn graph() -> Graph {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut graph = Graph {
        modules: BTreeMap::new(),
        files: BTreeMap::new(),
    };
    let known: BTreeSet<Vec<String>> = files.iter().map(|f| module_path(&src, f)).collect();
    for file in &files {
        let module = module_path(&src, file);
        let Some(top) = module.first().cloned() else {
            continue; // lib.rs and main.rs only declare and call.
        };
        let text = fs::read_to_string(file).unwrap();
        // Unit tests sit at the end of a file, where `super` means the file
        // itself: they are not part of the shape.
        let text = text.split("#[cfg(test)]").next().unwrap_or("");
        let code = code_only(text);
        for reference in references(&module, &code) {
            let Some(target_top) = reference.first() else {
                continue;
            };
            if !known.iter().any(|k| k.first() == Some(target_top)) {
                continue; // an item of lib.rs, or not a module
            }
            if *target_top != top {
                graph
                    .modules
                    .entry(top.clone())
                    .or_default()
                    .insert(target_top.clone());
                continue;
            }
            // Within one module: the sibling file (second segment) used,
            // when both sides are files below the module's own root.
            if module.len() >= 2 && reference.len() >= 2 && module[1] != reference[1] {
                let target = vec![top.clone(), reference[1].clone()];
                if known.contains(&target) {
                    graph
                        .files
                        .entry(top.clone())
                        .or_default()
                        .entry(module[1].clone())
                        .or_default()
                        .insert(reference[1].clone());
                }
            }
        }
    }
    graph
}

/// A module never uses one of a later layer, nor one of its own layer.
#[test]
fn no_stage_uses_a_later_one() {
    let graph = graph();
    let mut problems = Vec::new();
    for (from, targets) in &graph.modules {
        let Some(from_layer) = layer_of(from) else {
            problems.push(format!(
                "module `{from}` has no layer in tests/architecture.rs"
            ));
            continue;
        };
        for to in targets {
            match layer_of(to) {
                None => problems.push(format!(
                    "module `{to}` has no layer in tests/architecture.rs"
                )),
                Some(to_layer) if to_layer >= from_layer => {
                    problems.push(format!("`{from}` uses `{to}`, a later (or the same) stage"))
                }
                Some(_) => {}
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// Inside each module, the files' uses of one another form no loop.
#[test]
fn no_two_files_of_a_module_use_each_other() {
    let graph = graph();
    let mut problems = Vec::new();
    for (top, edges) in &graph.files {
        // Depth-first search for a cycle, reporting the loop found.
        fn visit(
            node: &str,
            edges: &BTreeMap<String, BTreeSet<String>>,
            stack: &mut Vec<String>,
            done: &mut BTreeSet<String>,
            found: &mut Vec<String>,
        ) {
            if let Some(at) = stack.iter().position(|s| s == node) {
                let mut cycle = stack[at..].to_vec();
                cycle.push(node.to_string());
                found.push(cycle.join(" → "));
                return;
            }
            if !done.insert(node.to_string()) {
                return;
            }
            stack.push(node.to_string());
            for next in edges.get(node).into_iter().flatten() {
                visit(next, edges, stack, done, found);
            }
            stack.pop();
        }
        let mut done = BTreeSet::new();
        let mut found = Vec::new();
        for node in edges.keys() {
            visit(node, edges, &mut Vec::new(), &mut done, &mut found);
        }
        for cycle in found {
            problems.push(format!("in `{top}`: {cycle}"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The checker itself: grouped uses expand, `super` resolves.
#[test]
fn use_trees_expand_and_resolve() {
    assert_eq!(
        expand_use("crate::{a::{b, c}, d}"),
        ["crate::a::b", "crate::a::c", "crate::d"]
    );
    let module = vec!["search".to_string(), "index".to_string()];
    let refs = references(&module, "use super::engine::x;\nlet y = crate::quiz::z();");
    assert!(refs.contains(&vec!["search".into(), "engine".into(), "x".into()]));
    assert!(refs.contains(&vec!["quiz".into(), "z".into()]));
}
