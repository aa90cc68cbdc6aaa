//! One test per problem a course author can make. Each starts from a course
//! that builds (tests/fixtures/diagnostics/), builds it, breaks one file the
//! way an author would, builds again, and checks what the author reads: the
//! file and line of the problem, the message and hint, exit code 1 — and that
//! the site built before is still there, byte for byte.

mod engine_support;

use engine_support::*;

const FIRST: &str = "content/01-basics/01-first.md";
const SECOND: &str = "content/01-basics/02-second.md";

/// A course that was built once, whose output the tests compare against.
struct Broken {
    course: Course,
    before: std::collections::BTreeMap<String, Vec<u8>>,
}

impl Broken {
    fn new() -> Broken {
        let course = Course::fixture("diagnostics");
        course.build_ok(&[]);
        let before = snapshot(&course.out());
        assert!(before.contains_key("basics/first.html"));
        Broken { course, before }
    }

    /// Builds again after the test broke the course: exit code 1, nothing
    /// written (the old site intact, no staging folder left behind).
    fn build_fails(&self) -> Run {
        let run = self.course.build(&[]);
        run.assert_course_errors();
        assert!(
            run.stderr.contains("nothing was written"),
            "the summary says the site was not touched:\n{}",
            run.stderr
        );
        let after = snapshot(&self.course.out());
        assert!(
            after == self.before,
            "a failed build changed the output folder: {:?}",
            after.keys().collect::<Vec<_>>()
        );
        let leftovers: Vec<String> = std::fs::read_dir(&self.course.root)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.contains("lectern-tmp"))
            .collect();
        assert!(leftovers.is_empty(), "staging folders left: {leftovers:?}");
        run
    }
}

/// Ensure YAML that cannot be parsed in a page's front matter is reported at
/// its line in the file (the front matter starts on line 2), with a hint.
#[test]
fn unparsable_front_matter() {
    let b = Broken::new();
    b.course
        .write(SECOND, "---\ntitle: 第二节: 续\n---\n\n正文。\n");
    let run = b.build_fails();
    let d = run.diagnostic_at(&format!("{SECOND}:2"));
    assert!(d.message.contains("not valid YAML"), "{}", d.text);
    assert!(
        d.hint.as_deref().unwrap_or("").contains("quoted"),
        "{}",
        d.text
    );
    assert!(
        d.text.contains("title: 第二节: 续"),
        "the source line is quoted:\n{}",
        d.text
    );
}

/// Ensure an unclosed quote in front matter is an error in that file, not a
/// panic or a silently empty title.
#[test]
fn unterminated_string_in_front_matter() {
    let b = Broken::new();
    b.course
        .write(SECOND, "---\ntitle: \"第二节\nsummary: x\n---\n\n正文。\n");
    let run = b.build_fails();
    let d = &run.diagnostics()[0];
    assert!(
        d.location.starts_with(&format!("{SECOND}:")),
        "{}",
        run.stderr
    );
    let line: usize = d.location.split(':').nth(1).unwrap().parse().unwrap();
    assert!(
        (2..=4).contains(&line),
        "points into the front matter: {}",
        d.location
    );
}

/// Ensure YAML that cannot be parsed in course.yaml is reported at its line.
#[test]
fn unparsable_course_yaml() {
    let b = Broken::new();
    b.course.write(
        "course.yaml",
        "title: 诊断测试课程\nsearch: : :\n  enabled: false\n",
    );
    let run = b.build_fails();
    let d = run.diagnostic_at("course.yaml:2");
    assert!(d.message.contains("not valid YAML"), "{}", d.text);
}

/// Ensure an unknown key in course.yaml names the key and suggests the valid
/// one it is closest to.
#[test]
fn unknown_key_in_course_yaml() {
    let b = Broken::new();
    b.course
        .write("course.yaml", "title: 诊断测试课程\nlangauge: en\n");
    let run = b.build_fails();
    let d = run.diagnostic_at("course.yaml:2:1");
    assert!(d.message.contains("unknown field `langauge`"), "{}", d.text);
    assert!(
        d.hint
            .as_deref()
            .unwrap()
            .contains("did you mean `language`?"),
        "{}",
        d.text
    );
}

/// Ensure a course.yaml without `title` says so.
#[test]
fn missing_course_title() {
    let b = Broken::new();
    b.course
        .write("course.yaml", "author: 某人\nsearch:\n  enabled: false\n");
    let run = b.build_fails();
    let d = run.diagnostic_at("course.yaml:1");
    assert!(d.message.contains("missing field `title`"), "{}", d.text);
    assert!(d.hint.as_deref().unwrap().contains("title:"), "{}", d.text);
}

/// Ensure a page with neither a `title` nor a `# heading` is an error at the
/// top of that file.
#[test]
fn missing_page_title() {
    let b = Broken::new();
    b.course
        .write(SECOND, "---\nsummary: 没有标题\n---\n\n只有正文。\n");
    let run = b.build_fails();
    let d = run.diagnostic_at(&format!("{SECOND}:1"));
    assert!(d.message.contains("has no title"), "{}", d.text);
    assert!(
        d.hint.as_deref().unwrap().contains("title: …"),
        "{}",
        d.text
    );
}

/// Ensure a misspelt front-matter key is reported at its line with the key it
/// was probably meant to be.
#[test]
fn unknown_front_matter_key_suggests_the_nearest() {
    let b = Broken::new();
    b.course.write(
        SECOND,
        "---\ntitle: 第二节\nsumary: 一句话\n---\n\n正文。\n",
    );
    let run = b.build_fails();
    let d = run.diagnostic_at(&format!("{SECOND}:3:1"));
    assert!(d.message.contains("unknown field `sumary`"), "{}", d.text);
    assert!(
        d.hint
            .as_deref()
            .unwrap()
            .starts_with("did you mean `summary`?"),
        "{}",
        d.text
    );
}

/// Ensure two files that would build to the same page (prefixes are not part
/// of the slug) are both named, with the page they collide on.
#[test]
fn duplicate_page_slugs() {
    let b = Broken::new();
    b.course.write(
        "content/01-basics/03-first.md",
        "---\ntitle: 另一个第一节\n---\n\n正文。\n",
    );
    let run = b.build_fails();
    let a = run.diagnostic_at(FIRST);
    let c = run.diagnostic_at("content/01-basics/03-first.md");
    for d in [&a, &c] {
        assert!(d.message.contains("duplicate page slug"), "{}", d.text);
        assert!(d.message.contains("basics/first.html"), "{}", d.text);
    }
    assert!(
        a.message.contains("content/01-basics/03-first.md"),
        "{}",
        a.text
    );
    assert!(c.message.contains(FIRST), "{}", c.text);
}

/// Ensure two chapter folders with the same slug are reported too.
#[test]
fn duplicate_chapter_slugs() {
    let b = Broken::new();
    b.course.write(
        "content/03-basics/index.md",
        "---\ntitle: 又一个基础\n---\n\n正文。\n",
    );
    let run = b.build_fails();
    let d = run.diagnostic_at("content/03-basics/index.md");
    assert!(d.message.contains("basics/index.html"), "{}", d.text);
    assert!(
        d.message.contains("content/01-basics/index.md"),
        "{}",
        d.text
    );
}

/// Ensure a link to a .md file that does not exist is reported at the link's
/// line and column, with the page it probably meant.
#[test]
fn link_to_a_missing_page() {
    let b = Broken::new();
    b.course.write(
        SECOND,
        "---\ntitle: 第二节\n---\n\n正文。\n\n回到[第一节](01-frist.md)。\n",
    );
    let run = b.build_fails();
    let d = run.diagnostic_at(&format!("{SECOND}:7:3"));
    assert!(
        d.message.contains("link to a missing page `01-frist.md`"),
        "{}",
        d.text
    );
    assert!(
        d.hint
            .as_deref()
            .unwrap()
            .contains("did you mean `01-first.md`?"),
        "{}",
        d.text
    );
}

/// Ensure a link to a heading that another page does not have is reported,
/// suggesting the id it is closest to.
#[test]
fn link_to_a_missing_anchor_in_another_page() {
    let b = Broken::new();
    b.course.write(
        SECOND,
        "---\ntitle: 第二节\n---\n\n见[分类](01-first.md#客户分类)。\n",
    );
    let run = b.build_fails();
    let d = run.diagnostic_at(&format!("{SECOND}:5:2"));
    assert!(
        d.message.contains("missing anchor `#客户分类`"),
        "{}",
        d.text
    );
    assert!(
        d.hint
            .as_deref()
            .unwrap()
            .contains("did you mean `#客户的分类`?"),
        "{}",
        d.text
    );
}

/// Ensure a `#fragment` link to a heading of the same page that does not
/// exist is reported.
#[test]
fn link_to_a_missing_anchor_in_the_same_page() {
    let b = Broken::new();
    b.course.write(
        FIRST,
        "---\ntitle: 第一节\n---\n\n## 客户的分类\n\n![照片](images/photo.png)\n\n见[上文](#客户的类型)。\n",
    );
    let run = b.build_fails();
    let d = run.diagnostic_at(&format!("{FIRST}:9:2"));
    assert!(
        d.message.contains("missing anchor `#客户的类型`"),
        "{}",
        d.text
    );
}

/// Ensure an image that is not in content/ is reported at its line, with
/// where the file was expected.
#[test]
fn missing_image() {
    let b = Broken::new();
    std::fs::remove_file(b.course.path("content/01-basics/images/photo.png")).unwrap();
    let run = b.build_fails();
    let d = run.diagnostic_at(&format!("{FIRST}:7:1"));
    assert!(
        d.message.contains("missing image `images/photo.png`"),
        "{}",
        d.text
    );
    assert!(
        d.hint
            .as_deref()
            .unwrap()
            .contains("content/01-basics/images/photo.png"),
        "{}",
        d.text
    );
}

/// Ensure a file saved in another encoding (here GBK) is reported at the line
/// of its first invalid byte.
#[test]
fn non_utf8_file() {
    let b = Broken::new();
    let mut bytes = "---\ntitle: 第二节\n---\n\n第一行\n".as_bytes().to_vec();
    bytes.extend_from_slice(&[0xb5, 0xda, 0xb6, 0xfe, 0xd0, 0xd0, b'\n']); // 第二行 in GBK
    b.course.write(SECOND, bytes);
    let run = b.build_fails();
    let d = run.diagnostic_at(&format!("{SECOND}:6:1"));
    assert!(d.message.contains("not UTF-8"), "{}", d.text);
    assert!(d.hint.as_deref().unwrap().contains("UTF-8"), "{}", d.text);
}

/// Ensure an empty file (or one holding only blank lines) is an error, not a
/// page without a title or a panic.
#[test]
fn empty_file() {
    for contents in ["", "\n  \n"] {
        let b = Broken::new();
        b.course.write(SECOND, contents);
        let run = b.build_fails();
        let d = run.diagnostic_at(&format!("{SECOND}:1"));
        assert!(
            d.message.contains("the file is empty"),
            "{contents:?}: {}",
            d.text
        );
    }
}

/// Ensure front matter whose closing `---` is missing is reported at the
/// opening `---`, instead of treating the whole page as YAML.
#[test]
fn unclosed_front_matter() {
    let b = Broken::new();
    b.course.write(SECOND, "---\ntitle: 第二节\n\n正文。\n");
    let run = b.build_fails();
    let d = run.diagnostic_at(&format!("{SECOND}:1:1"));
    assert!(
        d.message.contains("front matter is not closed"),
        "{}",
        d.text
    );
    assert!(d.hint.as_deref().unwrap().contains("`---`"), "{}", d.text);
}

/// Ensure a link to a draft page is an error in a normal build (the link
/// would be broken) and fine with --drafts.
#[test]
fn link_to_a_draft_page() {
    let b = Broken::new();
    b.course
        .write(SECOND, "---\ntitle: 第二节\ndraft: true\n---\n\n正文。\n");
    let run = b.build_fails();
    let d = run.diagnostic_at("content/01-basics/index.md:6:3");
    assert!(d.message.contains("not built"), "{}", d.text);
    b.course.build(&["--drafts"]).assert_success();
}

/// Ensure every problem of a course is reported in one run — of `build` and
/// of `check` — each at its own file and line, not just the first one found.
#[test]
fn every_problem_is_reported_in_one_run() {
    let b = Broken::new();
    let c = &b.course;
    c.write(
        FIRST,
        "---\ntitle: 第一节\n---\n\n## 客户的分类\n\n![照片](images/nophoto.png)\n\n[缺页](nowhere.md) [缺锚](#nope)\n",
    );
    c.write("content/01-basics/03-empty.md", "");
    c.write(
        "content/02-more/01-typo.md",
        "---\ntitle: x\ntitel: y\n---\n",
    );
    c.write(
        "content/02-more/02-open.md",
        "---\ntitle: 没有结束\n\n正文\n",
    );
    c.write(
        "content/02-more/03-gbk.md",
        [b'-', b'-', b'-', b'\n', 0xb5, 0xda, b'\n'],
    );
    c.write("content/02-more/04-notitle.md", "只有正文，没有标题。\n");
    let expected = [
        (format!("{FIRST}:7:1"), "missing image"),
        (format!("{FIRST}:9:1"), "missing page `nowhere.md`"),
        (format!("{FIRST}:9:"), "missing anchor `#nope`"),
        ("content/01-basics/03-empty.md:1".to_string(), "empty"),
        (
            "content/02-more/01-typo.md:3:1".to_string(),
            "unknown field `titel`",
        ),
        ("content/02-more/02-open.md:1:1".to_string(), "not closed"),
        ("content/02-more/03-gbk.md:2:1".to_string(), "not UTF-8"),
        ("content/02-more/04-notitle.md:1".to_string(), "no title"),
    ];
    let build = b.build_fails();
    let check = c.check(&[]);
    check.assert_course_errors();
    for run in [&build, &check] {
        let found = run.diagnostics();
        for (location, message) in &expected {
            assert!(
                found
                    .iter()
                    .any(|d| d.location.starts_with(location.as_str())
                        && d.message.contains(message)),
                "`{}` did not report `{message}` at {location}:\n{}",
                run.args[0],
                run.stderr
            );
        }
        assert!(
            run.stderr.contains(&format!("{} error(s)", found.len())),
            "the summary counts every error:\n{}",
            run.stderr
        );
    }
}
