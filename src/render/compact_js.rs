//! Drops the comments and indentation of the default theme's own scripts
//! when they are written into a site. Their comments say why the code is as
//! it is, for the people working on lectern; a reader's browser does not
//! need them, and search-engine.js, which every first search loads, is a
//! third comments and indentation.
//!
//! Deliberately not a minifier: it only removes whole comment lines and the
//! whitespace that starts a line, which cannot change what a script means
//! provided no string or template literal spans lines (none of the theme's
//! scripts has one; `tests/js` and the browser tests run the result). A
//! comment after code on the same line stays. A course's own theme files
//! are written as they are.

/// `source` without comment-only lines, blank lines and leading whitespace.
pub fn compact_js(source: &str) -> String {
    let mut out = String::with_capacity(source.len());
    let mut in_block_comment = false;
    for line in source.lines() {
        let mut line = line.trim();
        // A block comment's lines go; what follows its end on the same line stays.
        if in_block_comment {
            let Some(end) = line.find("*/") else { continue };
            in_block_comment = false;
            line = line[end + 2..].trim();
        } else if let Some(comment) = line.strip_prefix("/*") {
            let Some(end) = comment.find("*/") else {
                in_block_comment = true;
                continue;
            };
            line = comment[end + 2..].trim();
        }
        if line.is_empty() || line.starts_with("//") {
            continue;
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::compact_js;

    #[test]
    fn comment_lines_and_indentation_go_code_stays() {
        let source = "\
// A line comment.
(function () {
  /* A block comment
   * over lines. */
  var a = 1; // stays: after code
  /* one line */ var b = '// not a comment';

  /** Doc. */
  return a /* inline */ + b;
})();
";
        assert_eq!(
            compact_js(source),
            "(function () {\nvar a = 1; // stays: after code\nvar b = '// not a comment';\nreturn a /* inline */ + b;\n})();\n"
        );
    }

    #[test]
    fn the_default_theme_scripts_lose_a_quarter_or_more() {
        let engine = include_str!("../../themes/default/static/search-engine.js");
        let compact = compact_js(engine);
        assert!(
            compact.len() * 4 < engine.len() * 3,
            "{} of {}",
            compact.len(),
            engine.len()
        );
        // Every statement line survives (no line of code starts a comment).
        let code_lines = |s: &str| {
            s.lines()
                .map(str::trim)
                .filter(|l| l.ends_with(';') && !l.starts_with("//") && !l.starts_with("/*"))
                .filter(|l| !l.starts_with('*'))
                .count()
        };
        assert_eq!(code_lines(&compact), code_lines(engine));
    }
}
