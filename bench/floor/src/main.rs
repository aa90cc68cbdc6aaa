//! floor CONTENT_DIR OUT_DIR
//!
//! Reads every .md file under CONTENT_DIR, drops its YAML front matter, turns
//! the Markdown into HTML with pulldown-cmark (the options lectern uses),
//! highlights fenced code with syntect as classed spans, and writes one HTML
//! file per page under OUT_DIR. Pages are processed in parallel with rayon.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::Instant;

use pulldown_cmark::{CodeBlockKind, CowStr, Event, Options, Parser, Tag, TagEnd};
use rayon::prelude::*;
use syntect::html::{ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;

fn syntaxes() -> &'static SyntaxSet {
    static SET: OnceLock<SyntaxSet> = OnceLock::new();
    SET.get_or_init(SyntaxSet::load_defaults_newlines)
}

fn escape(text: &str, out: &mut String) {
    for ch in text.chars() {
        match ch {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            _ => out.push(ch),
        }
    }
}

fn highlight(code: &str, lang: &str) -> String {
    let set = syntaxes();
    let lang = lang.split([' ', ',', '{']).next().unwrap_or("").trim();
    let mut out = String::with_capacity(code.len() * 3);
    out.push_str("<pre class=\"code\"><code>");
    let syntax = (!lang.is_empty())
        .then(|| set.find_syntax_by_token(lang))
        .flatten();
    match syntax {
        Some(syntax) => {
            let mut gen = ClassedHTMLGenerator::new_with_class_style(
                syntax,
                set,
                ClassStyle::SpacedPrefixed { prefix: "hl-" },
            );
            for line in LinesWithEndings::from(code) {
                gen.parse_html_for_line_which_includes_newline(line)
                    .expect("highlighting failed");
            }
            out.push_str(&gen.finalize());
        }
        None => escape(code, &mut out),
    }
    out.push_str("</code></pre>\n");
    out
}

fn body(text: &str) -> &str {
    if let Some(rest) = text.strip_prefix("---\n") {
        if let Some(end) = rest.find("\n---\n") {
            return &rest[end + 5..];
        }
    }
    text
}

fn render(markdown: &str) -> String {
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES;
    let mut events = Vec::new();
    let mut code: Option<(String, String)> = None;
    for event in Parser::new_ext(markdown, options) {
        match event {
            Event::Start(Tag::CodeBlock(kind)) => {
                let lang = match kind {
                    CodeBlockKind::Fenced(info) => info.to_string(),
                    CodeBlockKind::Indented => String::new(),
                };
                code = Some((lang, String::new()));
            }
            Event::Text(t) if code.is_some() => code.as_mut().unwrap().1.push_str(&t),
            Event::End(TagEnd::CodeBlock) => {
                let (lang, text) = code.take().unwrap();
                events.push(Event::Html(CowStr::from(highlight(&text, &lang))));
            }
            e => events.push(e),
        }
    }
    let mut html = String::with_capacity(markdown.len() * 2);
    html.push_str("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"></head><body>\n");
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    html.push_str("</body></html>\n");
    html
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() != 3 {
        eprintln!("usage: floor CONTENT_DIR OUT_DIR");
        std::process::exit(2);
    }
    let started = Instant::now();
    let src = PathBuf::from(&args[1]);
    let out = PathBuf::from(&args[2]);
    let files: Vec<PathBuf> = walkdir::WalkDir::new(&src)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "md"))
        .map(|e| e.into_path())
        .collect();
    // Load the syntaxes once, before the parallel part (lectern does the same).
    let _ = syntaxes();
    files.par_iter().for_each(|path| {
        let text = std::fs::read_to_string(path).expect("read");
        let html = render(body(&text));
        let rel = path.strip_prefix(&src).unwrap();
        let dest: PathBuf = out.join(rel).with_extension("html");
        std::fs::create_dir_all(dest.parent().unwrap_or(Path::new("."))).expect("mkdir");
        std::fs::write(&dest, html).expect("write");
    });
    eprintln!("floor: {} pages in {:.3}s", files.len(), started.elapsed().as_secs_f64());
}
