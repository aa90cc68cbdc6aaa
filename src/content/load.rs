//! Loading content/: walk the folder, read and check every file, render its
//! Markdown (in parallel), then check every link against the whole site.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::frontmatter::{self, FrontMatter};
use super::model::*;
use super::names::{self, Claim};
use super::paths::{asset_url, page_url, relative_url, resolve, split_prefix};
use crate::config::Config;
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::markdown::{
    self, ids::IdAllocator, line_col, CodeNote, DeferredHtml, LinkRef, LinkRewriter, LocatedNote,
};
use crate::source_files::{Boundary, Found};

pub use super::paths::CONTENT_DIR;

#[derive(Debug, Clone, Copy, Default)]
pub struct LoadOptions {
    pub drafts: bool,
}

/// A Markdown file found under content/, before reading.
struct SourceFile {
    /// Relative to content/, `/`-separated.
    rel: String,
    /// Relative to the course root, for diagnostics.
    display: PathBuf,
    abs: PathBuf,
    url: String,
}

/// A page after rendering, with what link checking needs.
struct Loaded {
    page: Page,
    rel: String,
    front: FrontMatter,
    links: Vec<(LinkRef, usize, usize)>,
    order: (i64, String),
    warnings: Vec<Diagnostic>,
    /// Unknown code languages and unreadable fence attributes, reported
    /// once for the whole build.
    code_notes: Vec<LocatedNote>,
}

/// Loads the site. All problems are collected; the site is returned only when
/// there is no error.
pub fn load(
    root: &Path,
    config: Config,
    options: LoadOptions,
) -> Result<(Site, Diagnostics), Diagnostics> {
    let mut diags = Diagnostics::new();
    let content = root.join(CONTENT_DIR);
    if !content.is_dir() {
        diags.push(
            Diagnostic::error(CONTENT_DIR, 0, 0, "the course has no content/ folder").with_hint(
                "create content/ with one folder per chapter, or start from `lectern init`",
            ),
        );
        return Err(diags);
    }
    let (sources, assets) = discover(root, &content, &mut diags);
    let asset_urls: Vec<(String, PathBuf)> = assets
        .iter()
        .map(|(rel, abs)| (asset_url(rel), display_path(&content, abs)))
        .collect();
    let claims: Vec<Claim> = sources
        .iter()
        .map(|s| Claim {
            rel: &s.rel,
            url: &s.url,
            display: &s.display,
            is_page: true,
        })
        .chain(
            assets
                .iter()
                .zip(&asset_urls)
                .map(|((rel, _), (url, display))| Claim {
                    rel,
                    url,
                    display,
                    is_page: false,
                }),
        )
        .collect();
    names::check(&claims, &mut diags);
    drop(claims);

    let url_of: HashMap<&str, &str> = sources
        .iter()
        .map(|s| (s.rel.as_str(), s.url.as_str()))
        .collect();
    let asset_set: HashSet<&str> = assets.iter().map(|a| a.0.as_str()).collect();

    let results: Vec<Result<Option<Loaded>, Vec<Diagnostic>>> = sources
        .par_iter()
        .map(|s| load_page(s, &url_of, &asset_set, options))
        .collect();
    let mut loaded: Vec<Loaded> = Vec::new();
    let mut failed: HashSet<String> = HashSet::new();
    let mut drafted: HashSet<String> = HashSet::new();
    let mut code_notes = Vec::new();
    for (r, source) in results.into_iter().zip(&sources) {
        match &r {
            Err(_) => {
                failed.insert(source.rel.clone());
            }
            Ok(None) => {
                drafted.insert(source.rel.clone());
            }
            Ok(Some(_)) => {}
        }
        match r {
            Ok(Some(mut l)) => {
                diags.extend(std::mem::take(&mut l.warnings));
                code_notes.append(&mut l.code_notes);
                loaded.push(l)
            }
            Ok(None) => {}
            Err(ds) => diags.extend(ds),
        }
    }
    diags.extend(markdown::code_warnings(code_notes));
    let mut html_links = Vec::new();
    check_links(&loaded, &url_of, &asset_set, &mut html_links, &mut diags);

    let assets: Vec<Asset> = assets
        .into_iter()
        .map(|(rel, abs)| Asset {
            source: abs,
            url: asset_url(&rel),
        })
        .collect();
    let site = assemble(root, config, loaded, assets, &failed, &drafted, &mut diags)
        .map(|site| Site { html_links, ..site });
    diags.sort();
    match site {
        Some(site) => Ok((site, diags)),
        None => Err(diags),
    }
}

/// Finds Markdown sources and assets. Only what may be read is found
/// (`source_files`): links out of the course, special files and link loops
/// are reported and skipped.
fn discover(
    root: &Path,
    content: &Path,
    diags: &mut Diagnostics,
) -> (Vec<SourceFile>, Vec<(String, PathBuf)>) {
    let mut sources = Vec::new();
    let mut assets = Vec::new();
    let mut skipped = Vec::new();
    let found = Boundary::new(root).walk(content, &mut skipped);
    diags.extend(skipped);
    for Found { path, rel } in found {
        // Editor droppings are not content (hidden files are never found).
        if rel.ends_with('~') {
            continue;
        }
        if rel.ends_with(".md") {
            sources.push(SourceFile {
                url: page_url(&rel),
                display: display_path(content, &path),
                abs: path,
                rel,
            });
        } else {
            assets.push((rel, path));
        }
    }
    (sources, assets)
}

fn display_path(content: &Path, p: &Path) -> PathBuf {
    match p.strip_prefix(content) {
        Ok(rel) => Path::new(CONTENT_DIR).join(rel),
        Err(_) => p.to_path_buf(),
    }
}

/// Reads, checks and renders one page. Ok(None) for drafts left out.
fn load_page(
    s: &SourceFile,
    url_of: &HashMap<&str, &str>,
    assets: &HashSet<&str>,
    options: LoadOptions,
) -> Result<Option<Loaded>, Vec<Diagnostic>> {
    let file = &s.display;
    let bytes = std::fs::read(&s.abs)
        .map_err(|e| vec![Diagnostic::error(file, 0, 0, format!("cannot read: {e}"))])?;
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
            let line = valid.iter().filter(|b| **b == b'\n').count() + 1;
            let col = String::from_utf8_lossy(
                &valid[valid
                    .iter()
                    .rposition(|b| *b == b'\n')
                    .map(|i| i + 1)
                    .unwrap_or(0)..],
            )
            .chars()
            .count()
                + 1;
            return Err(vec![Diagnostic::error(
                file,
                line,
                col,
                "the file is not UTF-8 text",
            )
            .with_hint(
                "re-save it as UTF-8 (in most editors: Save with Encoding → UTF-8)",
            )]);
        }
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let mut text = if text.contains('\r') {
        text.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        text.to_string()
    };
    // CommonMark (2.3, insecure characters): U+0000 is replaced by U+FFFD.
    // pulldown-cmark leaves it in place, and a NUL in a page can truncate
    // text in tools that read the site, so it is replaced here, once, for the
    // whole file: body, front matter and everything rendered from them.
    if text.contains('\0') {
        text = text.replace('\0', "\u{FFFD}");
    }
    if text.trim().is_empty() {
        return Err(vec![Diagnostic::error(file, 1, 1, "the file is empty").with_hint("add front matter with a title (---\\ntitle: …\\n---) and some text, or delete the file")]);
    }
    let split = frontmatter::split(&text, file).map_err(|d| vec![d])?;
    let (front, spans) = match split.front_matter {
        Some(fm) => frontmatter::parse(fm, file).map_err(|d| vec![d])?,
        None => (FrontMatter::default(), Default::default()),
    };
    if front.draft && !options.drafts {
        return Ok(None);
    }
    let kind = front.kind.unwrap_or_default();
    let mut errors = Vec::new();
    if kind != PageKind::Case && !front.questions.is_empty() {
        let pos = spans.at("questions");
        errors.push(
            Diagnostic::error(
                file,
                pos.line,
                pos.column,
                "`questions` is only for case pages",
            )
            .with_hint("add `kind: case`, or remove `questions`"),
        );
    }
    let is_index = s.rel.ends_with("index.md");
    if !is_index && (front.hours.is_some() || front.objectives.is_some()) {
        let pos = spans.at(if front.hours.is_some() {
            "hours"
        } else {
            "objectives"
        });
        errors.push(
            Diagnostic::error(
                file,
                pos.line,
                pos.column,
                "`hours` and `objectives` belong in a chapter's index.md",
            )
            .with_hint("move them to the chapter overview"),
        );
    }

    let rewriter = SiteLinks {
        from: &s.rel,
        from_url: &s.url,
        url_of,
        assets,
    };
    let mut ids = IdAllocator::default();
    let (html, headings, sections, qa, raw_links, first_h1, raw_notes) = match kind {
        PageKind::Qa => render_qa(split.body, &rewriter, &mut ids),
        _ => {
            let r = markdown::render_with_ids(split.body, &rewriter, &mut ids);
            let links = r.links.into_iter().map(|l| (l, 0usize)).collect();
            let notes = r.code_notes.into_iter().map(|n| (n, 0usize)).collect();
            (
                r.html,
                r.headings,
                r.sections,
                Vec::new(),
                links,
                r.first_h1,
                notes,
            )
        }
    };
    let links = raw_links
        .into_iter()
        .map(|(l, base): (LinkRef, usize)| {
            let (line, col) = line_col(split.body, base + l.offset);
            (l, line + split.body_line_offset, col)
        })
        .collect();
    let code_notes = raw_notes
        .into_iter()
        .map(|(n, base): (CodeNote, usize)| {
            let (line, column) = line_col(split.body, base + n.offset);
            LocatedNote {
                file: file.clone(),
                line: line + split.body_line_offset,
                column,
                kind: n.kind,
            }
        })
        .collect();

    let title_from_h1 = front.title.is_none();
    let title = match front
        .title
        .clone()
        .filter(|t| !t.trim().is_empty())
        .or(first_h1)
    {
        Some(t) => t,
        None => {
            errors.push(
                Diagnostic::error(file, 1, 1, "the page has no title").with_hint("add `title: …` to the front matter (between `---` lines at the top), or start the text with a `# heading`"),
            );
            String::new()
        }
    };
    let html = if title_from_h1 {
        html.without_first_h1()
    } else {
        html
    };
    // Case questions live in front matter, which is never trusted with raw
    // HTML (docs/security.md): they are rendered like quiz text, with raw
    // HTML shown as text and script links dropped, not like the page body.
    let case_questions = front
        .questions
        .iter()
        .map(|q| CaseQuestion {
            prompt_html: crate::markdown::untrusted::to_inline_html(&q.prompt),
            points_html: q
                .points
                .iter()
                .map(|p| crate::markdown::untrusted::to_inline_html(p))
                .collect(),
            prompt_text: crate::markdown::untrusted::plain_text(&q.prompt),
            points_text: q
                .points
                .iter()
                .map(|p| crate::markdown::untrusted::plain_text(p))
                .collect(),
        })
        .collect::<Vec<_>>();
    if kind == PageKind::Case && case_questions.is_empty() {
        errors.push(
            Diagnostic::warning(file, 1, 1, "this case page has no questions").with_hint(
                "add `questions:` with `prompt` and `points` (答题要点) to the front matter",
            ),
        );
    }
    if errors.iter().any(Diagnostic::is_error) {
        return Err(errors);
    }
    let file_name = s.rel.rsplit('/').next().unwrap_or("");
    let (prefix, _) = split_prefix(file_name.trim_end_matches(".md"));
    let order = (
        front.weight.or(prefix).unwrap_or(i64::MAX),
        file_name.to_string(),
    );
    let page = Page {
        source: s.display.clone(),
        id: s.url.trim_end_matches(".html").to_string(),
        url: s.url.clone(),
        title,
        kind,
        summary: front.summary.clone(),
        tags: front.tags.clone(),
        weight: order.0,
        draft: front.draft,
        html,
        headings,
        sections,
        case_questions,
        qa,
    };
    Ok(Some(Loaded {
        page,
        rel: s.rel.clone(),
        front,
        links,
        order,
        warnings: errors,
        code_notes,
    }))
}

type RenderedParts = (
    DeferredHtml,
    Vec<Heading>,
    Vec<TextSection>,
    Vec<QaEntry>,
    Vec<(LinkRef, usize)>,
    Option<String>,
    Vec<(CodeNote, usize)>,
);

/// A Q&A page: each `##` heading is a question, the text under it the answer.
fn render_qa(body: &str, rewriter: &dyn LinkRewriter, ids: &mut IdAllocator) -> RenderedParts {
    let mut chunks: Vec<(usize, usize)> = Vec::new(); // (start of the `##` line, start of the answer)
    let mut offset = 0;
    let mut fence: Option<&str> = None;
    for line in body.split_inclusive('\n') {
        let t = line.trim_start();
        if let Some(f) = fence {
            if t.starts_with(f) {
                fence = None;
            }
        } else if t.starts_with("```") || t.starts_with("~~~") {
            fence = Some(&t[..3]);
        } else if line.starts_with("## ") {
            chunks.push((offset, offset + line.len()));
        }
        offset += line.len();
    }
    let intro_end = chunks.first().map(|c| c.0).unwrap_or(body.len());
    let intro = markdown::render_with_ids(&body[..intro_end], rewriter, ids);
    let mut links: Vec<(LinkRef, usize)> = intro.links.into_iter().map(|l| (l, 0)).collect();
    let mut notes: Vec<(CodeNote, usize)> = intro.code_notes.into_iter().map(|n| (n, 0)).collect();
    let mut headings = intro.headings;
    let mut sections = intro.sections;
    let mut qa = Vec::new();
    for (i, (start, answer_start)) in chunks.iter().enumerate() {
        let end = chunks.get(i + 1).map(|c| c.0).unwrap_or(body.len());
        let raw_q = body[*start + 3..*answer_start].trim();
        let (question, explicit_id) = match raw_q.rfind("{#") {
            Some(p) if raw_q.ends_with('}') => (
                raw_q[..p].trim(),
                Some(raw_q[p + 2..raw_q.len() - 1].to_string()),
            ),
            _ => (raw_q, None),
        };
        let question = markdown::plain_text(question, markdown::options(), markdown::RawHtml::Drop);
        let id = ids.unique(&explicit_id.unwrap_or_else(|| markdown::ids::slugify(&question)));
        let answer = markdown::render_with_ids(&body[*answer_start..end], rewriter, ids);
        links.extend(answer.links.into_iter().map(|l| (l, *answer_start)));
        notes.extend(answer.code_notes.into_iter().map(|n| (n, *answer_start)));
        let answer_text: String = answer
            .sections
            .iter()
            .map(|s| s.text.as_str())
            .collect::<Vec<_>>()
            .join("\n");
        headings.push(Heading {
            level: 2,
            id: id.clone(),
            text: question.clone(),
        });
        sections.push(TextSection {
            anchor: id.clone(),
            heading: question.clone(),
            text: answer_text.clone(),
        });
        qa.push(QaEntry {
            id,
            question,
            // Answers stay highlighted at load time: exports read them too,
            // and Q&A pages are few next to content pages.
            answer_html: answer.html.to_html(),
            answer_text,
        });
    }
    (
        intro.html,
        headings,
        sections,
        qa,
        links,
        intro.first_h1,
        notes,
    )
}

/// Rewrites links to `.md` files into links to their built pages.
struct SiteLinks<'a> {
    from: &'a str,
    from_url: &'a str,
    url_of: &'a HashMap<&'a str, &'a str>,
    assets: &'a HashSet<&'a str>,
}

fn is_external(dest: &str) -> bool {
    dest.starts_with('/')
        || dest.starts_with("//")
        || dest.contains("://")
        || dest.starts_with("mailto:")
        || dest.starts_with("tel:")
        || dest.starts_with("data:")
        || dest.starts_with("javascript:")
}

fn split_anchor(dest: &str) -> (&str, Option<&str>) {
    match dest.split_once('#') {
        Some((p, a)) => (p, Some(a)),
        None => (dest, None),
    }
}

impl LinkRewriter for SiteLinks<'_> {
    fn rewrite(&self, link: &LinkRef) -> Option<String> {
        if is_external(&link.dest) {
            return None;
        }
        let (path, anchor) = split_anchor(&link.dest);
        if !path.ends_with(".md") {
            // Assets move with their folder, whose numeric prefix is dropped.
            let target_rel = resolve(self.from, &percent_decode(path))?;
            return self
                .assets
                .contains(target_rel.as_str())
                .then(|| relative_url(self.from_url, &asset_url(&target_rel)));
        }
        let target_rel = resolve(self.from, &percent_decode(path))?;
        let target_url = self.url_of.get(target_rel.as_str())?;
        let mut out = relative_url(self.from_url, target_url);
        if let Some(a) = anchor {
            out.push('#');
            out.push_str(a);
        }
        Some(out)
    }
}

fn percent_decode(s: &str) -> String {
    if !s.contains('%') {
        return s.to_string();
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        // Only `%` and two ASCII hex digits is an escape. (This once sliced
        // the &str at i+1..i+3, which panics when a multi-byte character
        // follows the `%`, as in a link to `%a客户.md`: found when the
        // front-matter fuzz target was extended to the loader; the input is
        // kept in tests/fuzz_regressions/front_matter/.)
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && bytes[i + 1].is_ascii_hexdigit()
            && bytes[i + 2].is_ascii_hexdigit()
        {
            let hex = |b: u8| (b as char).to_digit(16).unwrap_or(0) as u8;
            out.push(hex(bytes[i + 1]) * 16 + hex(bytes[i + 2]));
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Every `.md` link must reach a page, every `#anchor` a heading, every
/// relative image an existing file.
fn check_links(
    loaded: &[Loaded],
    url_of: &HashMap<&str, &str>,
    assets: &HashSet<&str>,
    html_links: &mut Vec<HtmlLink>,
    diags: &mut Diagnostics,
) {
    let anchors: HashMap<&str, HashSet<&str>> = loaded
        .iter()
        .map(|l| {
            let mut set: HashSet<&str> = l.page.headings.iter().map(|h| h.id.as_str()).collect();
            set.insert("");
            (l.rel.as_str(), set)
        })
        .collect();
    let files_present: HashSet<&str> = url_of.keys().copied().collect();
    for l in loaded {
        for (link, line, col) in &l.links {
            if is_external(&link.dest) {
                continue;
            }
            let (path, anchor) = split_anchor(&link.dest);
            let file = &l.page.source;
            if path.is_empty() {
                if let Some(a) = anchor {
                    check_anchor(&anchors, &l.rel, a, file, *line, *col, diags);
                }
                continue;
            }
            let decoded = percent_decode(path);
            if decoded.ends_with('/') {
                diags.push(
                    Diagnostic::error(file, *line, *col, format!("link `{}` points to a folder", link.dest))
                        .with_hint("link to a file, e.g. its index.md: a bare folder does not open from disk (file://)"),
                );
                continue;
            }
            if decoded.ends_with(".html") {
                // Generated pages (quizzes, exams) exist only at the end of the
                // build: the pipeline checks these against the files it writes.
                match resolve(&l.page.url, &decoded) {
                    Some(target) => html_links.push(HtmlLink {
                        file: file.clone(),
                        line: *line,
                        column: *col,
                        dest: link.dest.clone(),
                        target,
                    }),
                    None => diags.push(
                        Diagnostic::error(
                            file,
                            *line,
                            *col,
                            format!("link `{}` points outside the site", link.dest),
                        )
                        .with_hint("link only to pages of the course"),
                    ),
                }
                continue;
            }
            let Some(target) = resolve(&l.rel, &decoded) else {
                diags.push(
                    Diagnostic::error(
                        file,
                        *line,
                        *col,
                        format!("link `{}` points outside content/", link.dest),
                    )
                    .with_hint("link only to files inside the course's content/ folder"),
                );
                continue;
            };
            if decoded.ends_with(".md") {
                if !files_present.contains(target.as_str()) {
                    let hint =
                        match crate::diagnostic::nearest(&target, files_present.iter().copied()) {
                            Some(n) => format!("did you mean `{}`?", relative_source(&l.rel, n)),
                            None => "check the file name; links are relative to this page's folder"
                                .into(),
                        };
                    diags.push(
                        Diagnostic::error(
                            file,
                            *line,
                            *col,
                            format!("link to a missing page `{}`", link.dest),
                        )
                        .with_hint(hint),
                    );
                } else if !anchors.contains_key(target.as_str()) {
                    diags.push(Diagnostic::error(file, *line, *col, format!("link to `{}`, a page that is not built (a draft or a page with errors)", link.dest)).with_hint("build with --drafts, or remove the link"));
                } else if let Some(a) = anchor {
                    check_anchor(&anchors, &target, a, file, *line, *col, diags);
                }
            } else if !assets.contains(target.as_str()) {
                let what = if link.is_image { "image" } else { "file" };
                diags.push(Diagnostic::error(file, *line, *col, format!("missing {what} `{}`", link.dest)).with_hint(format!("put the file at content/{target}, or fix the path (relative to this page's folder)")));
            }
        }
    }
}

fn check_anchor(
    anchors: &HashMap<&str, HashSet<&str>>,
    target: &str,
    anchor: &str,
    file: &Path,
    line: usize,
    col: usize,
    diags: &mut Diagnostics,
) {
    let decoded = percent_decode(anchor);
    if let Some(set) = anchors.get(target) {
        if !set.contains(decoded.as_str()) {
            let hint = match crate::diagnostic::nearest(&decoded, set.iter().copied().filter(|s| !s.is_empty())) {
                Some(n) => format!("did you mean `#{n}`? heading ids are the heading text in lower case, spaces as `-`, punctuation removed"),
                None => "heading ids are the heading text in lower case, spaces as `-`, punctuation removed".into(),
            };
            diags.push(
                Diagnostic::error(
                    file,
                    line,
                    col,
                    format!("link to a missing anchor `#{anchor}` in {target}"),
                )
                .with_hint(hint),
            );
        }
    }
}

fn relative_source(from: &str, to: &str) -> String {
    let from_html = format!("{from}.x");
    relative_url(&from_html, to)
}

/// Builds chapters from the loaded pages.
fn assemble(
    root: &Path,
    config: Config,
    loaded: Vec<Loaded>,
    assets: Vec<Asset>,
    failed: &HashSet<String>,
    drafted: &HashSet<String>,
    diags: &mut Diagnostics,
) -> Option<Site> {
    let mut home: Option<Page> = None;
    let mut groups: HashMap<String, (Option<Loaded>, Vec<Loaded>)> = HashMap::new();
    for l in loaded {
        match l.rel.split_once('/') {
            None if l.rel == "index.md" => home = Some(l.page),
            None => diags.push(
                Diagnostic::warning(&l.page.source, 0, 0, "pages directly in content/ other than index.md are not part of any chapter and are not built")
                    .with_hint("move the page into a chapter folder"),
            ),
            Some((folder, rest)) => {
                let entry = groups.entry(folder.to_string()).or_default();
                if rest == "index.md" {
                    entry.0 = Some(l);
                } else {
                    entry.1.push(l);
                }
            }
        }
    }
    let mut chapters = Vec::new();
    for (folder, (index, mut pages)) in groups {
        let Some(index) = index else {
            let index_rel = format!("{folder}/index.md");
            if failed.contains(&index_rel) || drafted.contains(&index_rel) {
                // Its index.md is broken (already reported) or a draft, which
                // leaves the whole chapter out.
                continue;
            }
            let first = pages
                .first()
                .map(|p| p.page.source.clone())
                .unwrap_or_else(|| PathBuf::from(CONTENT_DIR).join(&folder));
            diags.push(
                Diagnostic::error(
                    PathBuf::from(CONTENT_DIR).join(&folder),
                    0,
                    0,
                    "this chapter folder has no index.md",
                )
                .with_hint(format!(
                    "create {}/index.md with the chapter's title and objectives (first page: {})",
                    PathBuf::from(CONTENT_DIR).join(&folder).display(),
                    first.display()
                )),
            );
            continue;
        };
        pages.sort_by(|a, b| a.order.cmp(&b.order));
        let (prefix, slug) = split_prefix(&folder);
        let objectives = index
            .front
            .objectives
            .clone()
            .map(|o| Objectives {
                knowledge: o.knowledge,
                skills: o.skills,
            })
            .unwrap_or_default();
        chapters.push((
            (
                index.front.weight.or(prefix).unwrap_or(i64::MAX),
                folder.clone(),
            ),
            Chapter {
                slug: slug.to_string(),
                folder,
                number: 0,
                hours: index.front.hours,
                objectives,
                index: index.page,
                pages: pages.into_iter().map(|l| l.page).collect(),
            },
        ));
    }
    chapters.sort_by(|a, b| a.0.cmp(&b.0));
    let mut chapters: Vec<Chapter> = chapters.into_iter().map(|(_, c)| c).collect();
    for (i, c) in chapters.iter_mut().enumerate() {
        c.number = i + 1;
    }
    let home = home.unwrap_or_else(|| Page {
        source: PathBuf::from(CONTENT_DIR).join("index.md"),
        id: "index".into(),
        url: crate::generated::HOME_PAGE.into(),
        title: config.title.clone(),
        kind: PageKind::Page,
        summary: config.subtitle.clone(),
        tags: Vec::new(),
        weight: 0,
        draft: false,
        html: DeferredHtml::default(),
        headings: Vec::new(),
        sections: Vec::new(),
        case_questions: Vec::new(),
        qa: Vec::new(),
    });
    Some(Site {
        html_links: Vec::new(),
        root: root.to_path_buf(),
        config,
        home,
        chapters,
        assets,
    })
}
