//! Links between pages: rewritten from `.md` sources to the built `.html`
//! pages while rendering (`SiteLinks`), then checked against the whole site
//! once every page is loaded (`check`): every page, file and `#anchor` must
//! exist. Whether a broken link fails the build is the course's
//! `links` setting (`LinkPolicy`).

use std::collections::{HashMap, HashSet};
use std::path::Path;

use super::model::HtmlLink;
use super::page::Loaded;
use super::paths::{percent_decode, relative_url, resolve};
use super::rewrite::{is_external, split_anchor};
use crate::config::LinkPolicy;
use crate::diagnostic::{Diagnostic, Diagnostics};

/// Every `.md` link must reach a page, every `#anchor` a heading, every
/// relative image an existing file.
pub fn check(
    loaded: &[Loaded],
    url_of: &HashMap<&str, &str>,
    assets: &HashMap<&str, &str>,
    pages_dir: &str,
    policy: LinkPolicy,
    html_links: &mut Vec<HtmlLink>,
    out: &mut Diagnostics,
) {
    let mut found = Diagnostics::new();
    check_all(loaded, url_of, assets, pages_dir, html_links, &mut found);
    out.extend(found.into_vec().into_iter().map(|d| match policy {
        LinkPolicy::Error => d,
        LinkPolicy::Warn => Diagnostic {
            severity: crate::diagnostic::Severity::Warning,
            ..d
        },
    }));
}

fn check_all(
    loaded: &[Loaded],
    url_of: &HashMap<&str, &str>,
    assets: &HashMap<&str, &str>,
    pages_dir: &str,
    html_links: &mut Vec<HtmlLink>,
    diags: &mut Diagnostics,
) {
    // A page's anchors: its headings' ids, and every `id` or `name` of its
    // raw HTML (`<a id="x"></a>`, as mdBook books write them).
    let anchors: HashMap<&str, HashSet<&str>> = loaded
        .iter()
        .map(|l| {
            let mut set: HashSet<&str> = l.page.headings.iter().map(|h| h.id.as_str()).collect();
            set.extend(l.html_anchors.iter().map(String::as_str));
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
                        format!("link `{}` points outside {pages_dir}/", link.dest),
                    )
                    .with_hint(format!(
                        "link only to files inside the course's {pages_dir}/ folder"
                    )),
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
            } else if !assets.contains_key(target.as_str()) {
                let what = if link.is_image { "image" } else { "file" };
                diags.push(Diagnostic::error(file, *line, *col, format!("missing {what} `{}`", link.dest)).with_hint(format!("put the file at {pages_dir}/{target}, or fix the path (relative to this page's folder)")));
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
