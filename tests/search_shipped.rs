//! Search over the shipped course, built by the real binary:
//!
//! - recall equals substring search: for a few hundred substrings of 2–6
//!   characters sampled from the course's own text, every section containing
//!   the substring is among the results (the Ctrl+F ground truth);
//! - the browser's engine (themes/default/static/search-engine.js, as the
//!   built site ships it, run by Node) returns the same sections with the same scores as the Rust
//!   reference engine, so that recall holds in the browser too.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;

use lectern::search::engine::{group_pages, search, search_text, Outcome};
use lectern::search::fold::fold_str;
use lectern::search::query::parse;
use lectern::search::reader::{read_index, IndexFiles};

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The shipped course built once into a temporary folder (kept for the process).
fn shipped_site() -> &'static Path {
    static SITE: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    &SITE
        .get_or_init(|| {
            let tmp = tempfile::tempdir().unwrap();
            let site = tmp.path().join("site");
            let out = Command::new(env!("CARGO_BIN_EXE_lectern"))
                .args(["build", "--root"])
                .arg(repo())
                .arg("--out")
                .arg(&site)
                .output()
                .unwrap();
            assert!(
                out.status.success(),
                "building the shipped course failed:\n{}",
                String::from_utf8_lossy(&out.stderr)
            );
            (tmp, site)
        })
        .1
}

fn shipped_index() -> &'static IndexFiles {
    static INDEX: OnceLock<IndexFiles> = OnceLock::new();
    INDEX.get_or_init(|| read_index(shipped_site()).unwrap())
}

/// xorshift64*: a fixed sample, the same on every run and machine.
struct Rng(u64);
impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 33) as usize % n
    }
}

/// Substrings of 2–6 characters of the sections' own text (bodies, and some
/// headings) that contain at least one letter, digit or CJK character. A
/// quarter start inside a word of Latin letters or digits: the course is
/// mostly Chinese, and uniform samples would rarely test a fragment like
/// "mer" that must find "customer".
fn sampled_queries(index: &IndexFiles, count: usize) -> Vec<String> {
    let mut rng = Rng(0x1ec7e2);
    let inside_words: Vec<(usize, usize)> = index
        .docs
        .iter()
        .enumerate()
        .flat_map(|(d, doc)| {
            let chars: Vec<char> = doc.5.chars().collect();
            (1..chars.len())
                .filter(move |&i| {
                    chars[i].is_ascii_alphanumeric() && chars[i - 1].is_ascii_alphanumeric()
                })
                .map(move |i| (d, i))
        })
        .collect();
    let mut out = Vec::new();
    while out.len() < count {
        let (doc, anchored) = if out.len() % 4 == 0 && !inside_words.is_empty() {
            let (d, i) = inside_words[rng.below(inside_words.len())];
            (&index.docs[d], Some(i))
        } else {
            (&index.docs[rng.below(index.docs.len())], None)
        };
        let field = if anchored.is_none() && rng.below(10) == 0 {
            &doc.3
        } else {
            &doc.5
        };
        let chars: Vec<char> = field.chars().collect();
        if chars.len() < 2 {
            continue;
        }
        let len = 2 + rng.below(5).min(chars.len() - 2);
        let start = anchored.map_or_else(
            || rng.below(chars.len() - len + 1),
            |i| i.min(chars.len() - len),
        );
        let q: String = chars[start..start + len].iter().collect();
        if !parse(&q).is_empty() && !out.contains(&q) {
            out.push(q);
        }
    }
    out
}

/// Ensure every section containing a sampled substring is found (recall =
/// Ctrl+F), and that results are exact matches, not relaxed ones.
#[test]
fn recall_equals_substring_search_on_the_shipped_course() {
    let index = shipped_index();
    let folded: Vec<[String; 3]> = index
        .docs
        .iter()
        .map(|d| [fold_str(&d.2), fold_str(&d.3), fold_str(&d.5)])
        .collect();
    let queries = sampled_queries(index, 400);
    let mut failures = Vec::new();
    for q in &queries {
        let needle = fold_str(q);
        let truth: Vec<u32> = (0..folded.len() as u32)
            .filter(|&d| folded[d as usize].iter().any(|f| f.contains(&needle)))
            .collect();
        assert!(!truth.is_empty(), "sampled {q:?} is in no section");
        let outcome = search(index, &parse(q));
        let found: Vec<u32> = outcome.hits.iter().map(|h| h.doc).collect();
        let missed: Vec<u32> = truth
            .iter()
            .copied()
            .filter(|d| !found.contains(d))
            .collect();
        if outcome.partial || !missed.is_empty() {
            failures.push(format!(
                "{q:?}: partial={} missed sections {missed:?} of {truth:?}",
                outcome.partial
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} queries lost recall:\n{}",
        failures.len(),
        queries.len(),
        failures.join("\n")
    );
}

/// Ensure the ranking puts the section about a topic first for a few
/// hand-picked Chinese queries (named sections, as a student would expect).
#[test]
fn named_sections_rank_first_on_the_shipped_course() {
    let index = shipped_index();
    for (q, heading) in [
        ("客户的分类", "客户的分类"),
        ("忠诚客户", "忠诚客户"),
        ("服务补救", "服务补救"),
    ] {
        let outcome = search(index, &parse(q));
        let top: Vec<&str> = outcome
            .hits
            .iter()
            .take(3)
            .map(|h| index.docs[h.doc as usize].3.as_str())
            .collect();
        assert!(
            top.iter().any(|h| h.contains(heading)),
            "{q:?}: top 3 headings {top:?} lack {heading:?}"
        );
    }
}

#[test]
fn the_shipped_course_ships_the_compacted_engine() {
    // The repository's course builds with the repository's themes/default/
    // folder, whose files equal the built-in ones: the built-in (compacted)
    // scripts must win, so that js_search below tests what sites ship.
    let shipped = std::fs::read_to_string(shipped_site().join("static/search-engine.js")).unwrap();
    let source =
        std::fs::read_to_string(repo().join("themes/default/static/search-engine.js")).unwrap();
    assert_eq!(shipped, lectern::render::compact_js::compact_js(&source));
}

/// Results by page as search-engine.js groups them: (the first pages, each
/// as (page, its sections), pages in all, sections in all).
type JsGroups = (Vec<(u32, Vec<u32>)>, usize, usize);

/// One query's answer from search-engine.js: (hits as (section, score, matches),
/// partial, the hits grouped by page).
type JsOutcome = (Vec<(u32, f64, Vec<(u32, u32)>)>, bool, JsGroups);

/// Runs search-engine.js under Node on the built index; returns, per query,
/// (hits as (section, score), partial, the hits grouped by page as the
/// search box shows them: five pages of up to three sections).
fn js_search(site: &Path, queries: &[String]) -> Vec<JsOutcome> {
    const SCRIPT: &str = r#"
        const fs = require('fs'), path = require('path'), vm = require('vm');
        const [engineFile, site] = [process.env.ENGINE, process.env.SITE];
        const E = require(engineFile);
        let last;
        globalThis.__lecternSearch = { register(kind, n, payload) { last = payload; } };
        const name = (kind, n) => kind === 'meta' ? 'meta.js' : `${kind}-${n}.js`;
        const open = (loaded = []) => E.createIndex((kind, n) => {
          loaded.push(kind);
          vm.runInThisContext(fs.readFileSync(path.join(site, 'search', name(kind, n)), 'utf8'));
          return Promise.resolve(last);
        });
        (async () => {
          // A character in hundreds of sections, asked for eight results, is
          // answered from its head with its true count; all results need its tail.
          const loaded = [], idx = open(loaded);
          const eight = await idx.search('客', 8);
          if (loaded.includes('tail') || !eight.totalExact || eight.total <= eight.meta.head)
            throw new Error(`head-only search of 客 loaded ${loaded} and counted ${eight.total}`);
          const all = await idx.search('客');
          if (!loaded.includes('tail') || all.hits.length !== eight.total)
            throw new Error(`complete search of 客 loaded ${loaded}, ${all.hits.length} hits of ${eight.total}`);
          const out = [];
          for (const q of JSON.parse(fs.readFileSync(0, 'utf8'))) {
            // Every result, then (on a fresh index, as a page would) only the
            // first eight: heads alone must give the same eight.
            const r = await open().search(q);
            const top = await open().search(q, 8);
            // (Scores of a head-only search may differ: a section count of
            // several terms together is not known from heads.)
            const same = top.hits.slice(0, 8).every((h, k) => h.doc === r.hits[k].doc)
              && top.hits.length >= Math.min(8, r.hits.length) && top.total >= Math.min(r.hits.length, top.hits.length)
              && (!top.totalExact || top.total === r.hits.length);
            if (!same) throw new Error(`first eight of ${JSON.stringify(q)} differ: ${JSON.stringify(top.hits.slice(0, 8).map((h) => h.doc))} vs ${JSON.stringify(r.hits.slice(0, 8).map((h) => h.doc))}`);
            const g = E.groupPages(r.meta, r.hits, 3, null, 5);
            out.push([r.hits.map((h) => [h.doc, h.score, h.matches]), r.partial,
              [g.pages.map((p) => [p.page, p.hits.map((h) => h.doc)]), g.count, g.sections]]);
          }
          process.stdout.write(JSON.stringify(out));
        })().catch((e) => { console.error(e); process.exit(1); });
    "#;
    let mut child = Command::new("node")
        .arg("-e")
        .arg(SCRIPT)
        // The engine as the site ships it (comments and indentation dropped).
        .env("ENGINE", site.join("static/search-engine.js"))
        .env("SITE", site)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("node (Node.js 20+) runs the browser engine in this test; install it (apt-get install nodejs)");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(serde_json::to_string(queries).unwrap().as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "node failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// Ensure the browser engine finds the same sections with the same scores and
/// order as the Rust engine, for sampled and hand-written queries.
#[test]
fn browser_engine_agrees_with_the_rust_engine() {
    let index = shipped_index();
    let mut queries = sampled_queries(index, 300);
    for q in [
        "客",
        "投诉",
        "服务 补救",
        "客户，服务",
        "CRM系统",
        "crm",
        "Cust",
        "ustomer",
        "smart 原则",
        "voc",
        "客户满意度调查问卷",
        "量子纠缠",
        "ＳＭＡＲＴ",
        "4s店",
        "80%",
        "蛋塔",
        "抱怨",
        "服務補救",
        "客戶滿意度測評",
        "傾聽 技巧",
        "KFC",
    ] {
        queries.push(q.to_string());
    }
    let js = js_search(shipped_site(), &queries);
    let mut failures = Vec::new();
    for (q, (js_hits, js_partial, js_groups)) in queries.iter().zip(js) {
        // As the browser runs a query: with its synonyms (search.synonyms).
        let rust: Outcome = search_text(index, q).0;
        // Grouped by page alike: the counts always, the pages shown when
        // both list the sections in one order (equal scores may swap).
        let grouped = group_pages(index, &rust.hits, 3, None, 5);
        let rust_groups: Vec<(u32, Vec<u32>)> = grouped
            .pages
            .iter()
            .map(|p| (p.page, p.hits.iter().map(|h| h.doc).collect()))
            .collect();
        let same_order = rust
            .hits
            .iter()
            .map(|h| h.doc)
            .eq(js_hits.iter().map(|h| h.0));
        // What each section marks (with synonyms, every variant's words).
        if let Some((r, js)) = rust
            .hits
            .iter()
            .zip(&js_hits)
            .find(|(r, js)| r.doc == js.0 && r.matches != js.2)
        {
            failures.push(format!(
                "{q:?}: section {} marks {:?} in rust, {:?} in js",
                r.doc, r.matches, js.2
            ));
        }
        if (grouped.count, grouped.sections) != (js_groups.1, js_groups.2)
            || (same_order && rust_groups != js_groups.0)
        {
            failures.push(format!(
                "{q:?}: grouped by page, rust {rust_groups:?} of {} pages, {} sections / js {:?}",
                grouped.count, grouped.sections, js_groups
            ));
        }
        let same_len = rust.hits.len() == js_hits.len() && rust.partial == js_partial;
        // Scores may differ in the last bits (Math.log vs ln): compare with a
        // tolerance, and accept swapped order only between equal scores.
        let same = same_len
            && rust.hits.iter().zip(&js_hits).all(|(r, &(doc, score, _))| {
                (r.score - score).abs() <= 1e-9 * r.score.abs().max(1.0)
                    && (r.doc == doc
                        || rust.hits.iter().any(|o| {
                            o.doc == doc
                                && (o.score - r.score).abs() <= 1e-9 * r.score.abs().max(1.0)
                        }))
            });
        if !same {
            let r: Vec<(u32, f64)> = rust.hits.iter().take(5).map(|h| (h.doc, h.score)).collect();
            failures.push(format!(
                "{q:?}: rust {r:?} partial={} / js {:?} partial={js_partial}",
                rust.partial,
                &js_hits[..js_hits.len().min(5)]
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} queries differ:\n{}",
        failures.len(),
        queries.len(),
        failures.join("\n")
    );
}
