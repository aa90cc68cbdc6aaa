//! Code blocks as readers and authors meet them (issue 15): every fence name
//! people write highlights with its language's grammar, names lectern cannot
//! highlight come out as escaped plain text and are reported once per
//! language with their places, terminal sessions mark their prompts, and
//! `linenos` / `hl_lines` are rendered at build time.

mod engine_support;

use engine_support::*;

/// Each fence of `content/01-code/01-languages.md`, in order, with the
/// grammar's top scope its block must carry.
const LANGUAGES: &[(&str, &str)] = &[
    ("shell", "source.shell.bash"),
    ("sh", "source.shell.bash"),
    ("bash", "source.shell.bash"),
    ("zsh", "source.shell.bash"),
    ("ksh", "source.shell.bash"),
    ("Shell", "source.shell.bash"),
    ("fish", "source.shell.fish"),
    ("powershell", "source.powershell"),
    ("ps1", "source.powershell"),
    ("pwsh", "source.powershell"),
    ("PowerShell", "source.powershell"),
    ("bat", "source.dosbatch"),
    ("batch", "source.dosbatch"),
    ("cmd", "source.dosbatch"),
    ("c", "source.c"),
    ("h", "source.c"),
    ("C", "source.c"),
    ("cpp", "source.c++"),
    ("c++", "source.c++"),
    ("cxx", "source.c++"),
    ("cc", "source.c++"),
    ("hpp", "source.c++"),
    ("cuda", "source.c++"),
    ("objc", "source.objc"),
    ("objective-c", "source.objc"),
    ("objc++", "source.objc++"),
    ("cs", "source.cs"),
    ("csharp", "source.cs"),
    ("c#", "source.cs"),
    ("fs", "source.fsharp"),
    ("fsharp", "source.fsharp"),
    ("js", "source.js"),
    ("javascript", "source.js"),
    ("JavaScript", "source.js"),
    ("jsx", "source.js"),
    ("mjs", "source.js"),
    ("cjs", "source.js"),
    ("node", "source.js"),
    ("ts", "source.ts"),
    ("typescript", "source.ts"),
    ("TypeScript", "source.ts"),
    ("tsx", "source.tsx"),
    ("json", "source.json"),
    ("JSON", "source.json"),
    ("jsonc", "source.json"),
    ("json5", "source.json"),
    ("yaml", "source.yaml"),
    ("yml", "source.yaml"),
    ("YAML", "source.yaml"),
    ("toml", "source.toml"),
    ("TOML", "source.toml"),
    ("ini", "source.ini"),
    ("cfg", "source.ini"),
    ("env", "source.env"),
    ("properties", "source.java-props"),
    ("xml", "text.xml"),
    ("svg", "text.xml"),
    ("html", "text.html.basic"),
    ("htm", "text.html.basic"),
    ("HTML", "text.html.basic"),
    ("css", "source.css"),
    ("scss", "source.scss"),
    ("sass", "source.sass"),
    ("less", "source.less"),
    ("vue", "text.html.vue"),
    ("svelte", "text.html.svelte"),
    ("py", "source.python"),
    ("python", "source.python"),
    ("Python", "source.python"),
    ("python3", "source.python"),
    ("rb", "source.ruby"),
    ("ruby", "source.ruby"),
    ("rs", "source.rust"),
    ("rust", "source.rust"),
    ("Rust", "source.rust"),
    ("ron", "source.rust"),
    ("go", "source.go"),
    ("golang", "source.go"),
    ("kt", "source.Kotlin"),
    ("kotlin", "source.Kotlin"),
    ("kts", "source.Kotlin"),
    ("java", "source.java"),
    ("scala", "source.scala"),
    ("groovy", "source.groovy"),
    ("gradle", "source.groovy"),
    ("swift", "source.swift"),
    ("pl", "source.perl"),
    ("perl", "source.perl"),
    ("lua", "source.lua"),
    ("r", "source.r"),
    ("R", "source.r"),
    ("hs", "source.haskell"),
    ("haskell", "source.haskell"),
    ("ml", "source.ocaml"),
    ("ocaml", "source.ocaml"),
    ("ex", "source.elixir"),
    ("elixir", "source.elixir"),
    ("erl", "source.erlang"),
    ("erlang", "source.erlang"),
    ("clj", "source.clojure"),
    ("clojure", "source.clojure"),
    ("lisp", "source.lisp"),
    ("elisp", "source.lisp"),
    ("scheme", "source.lisp"),
    ("racket", "source.racket"),
    ("dart", "source.dart"),
    ("julia", "source.julia"),
    ("jl", "source.julia"),
    ("nim", "source.nim"),
    ("zig", "source.zig"),
    ("nix", "source.nix"),
    ("tf", "source.terraform"),
    ("terraform", "source.terraform"),
    ("hcl", "source.terraform"),
    ("graphql", "source.graphql"),
    ("gql", "source.graphql"),
    ("proto", "source.proto"),
    ("protobuf", "source.proto"),
    ("sql", "source.sql"),
    ("SQL", "source.sql"),
    ("mysql", "source.sql"),
    ("postgresql", "source.sql"),
    ("dockerfile", "source.dockerfile"),
    ("Dockerfile", "source.dockerfile"),
    ("docker", "source.dockerfile"),
    ("makefile", "source.makefile"),
    ("make", "source.makefile"),
    ("Makefile", "source.makefile"),
    ("cmake", "source.cmake"),
    ("nginx", "source.nginx"),
    ("diff", "source.diff"),
    ("patch", "source.diff"),
    ("md", "text.html.markdown"),
    ("markdown", "text.html.markdown"),
    ("tex", "text.tex.latex"),
    ("latex", "text.tex.latex"),
    ("asm", "source.asm.x86_64"),
    ("nasm", "source.asm.x86_64"),
    ("arm", "source.asm.arm"),
    ("llvm", "source.llvm"),
    ("http", "text.http-request-response"),
    ("jinja", "source.jinja2"),
    ("j2", "source.jinja2"),
    ("awk", "source.awk"),
    ("vim", "source.viml"),
    ("elm", "source.elm"),
    ("d", "source.d"),
    ("fortran", "source.modern-fortran"),
    ("ada", "source.ada"),
    ("verilog", "source.verilog"),
    ("vhdl", "source.vhdl"),
    ("glsl", "source.glsl"),
    ("matlab", "source.matlab"),
    ("solidity", "source.solidity"),
    ("typst", "text.typst"),
    ("rst", "text.restructuredtext"),
    ("adoc", "text.asciidoc"),
    ("csv", "text.csv"),
    ("log", "text.log"),
    ("gitignore", "text.git.ignore"),
    ("crystal", "source.crystal"),
    ("coffee", "source.coffee"),
    ("pascal", "source.pascal"),
    ("tcl", "source.tcl"),
    ("applescript", "source.applescript"),
    ("gdscript", "source.gdscript"),
    ("purescript", "source.purescript"),
    ("idris", "source.idris2"),
    ("sml", "source.sml"),
    ("lean", "source.lean4"),
    ("odin", "source.odin"),
    ("wgsl", "source.wgsl"),
    ("jq", "source.jq"),
    ("jsonnet", "source.jsonnet"),
    ("puppet", "source.puppet"),
    ("qml", "source.qml"),
    ("dot", "source.dot"),
    ("regex", "source.regexp"),
    ("requirements", "source.requirements-txt"),
    ("rust,ignore", "source.rust"),
    ("rust,editable", "source.rust"),
    ("rust,noplayground", "source.rust"),
    ("rust,no_run,edition2021", "source.rust"),
    ("python,hidelines=!!!", "source.python"),
    ("no_run", "source.rust"),
    ("go {linenos=false}", "source.go"),
    ("{.python}", "source.python"),
    ("{r echo=FALSE}", "source.r"),
];

/// The `<div class="code-block">…</div>` elements of a page, in order.
fn code_blocks(html: &str) -> Vec<&str> {
    html.split("<div class=\"code-block\">")
        .skip(1)
        .map(|rest| &rest[..rest.find("</pre></div>").expect("a block ends") + 12])
        .collect()
}

/// The `class` value syntect writes for a scope: `source.rust` → `hl-source hl-rust`.
fn classes_of(scope: &str) -> String {
    scope
        .split('.')
        .map(|atom| format!("hl-{atom}"))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The text of a block as the browser shows it: tags dropped, entities decoded.
fn code_text(block: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for ch in block.chars() {
        match ch {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    decode_entities(&out)
}

fn built() -> (Course, Run, Site) {
    let course = Course::fixture("code-blocks");
    let run = course.build(&[]);
    run.assert_success();
    let site = Site { dir: course.out() };
    (course, run, site)
}

#[test]
fn every_alias_is_highlighted_with_its_grammar() {
    let (_course, _run, site) = built();
    let html = site.page("code/languages.html");
    let blocks = code_blocks(&html);
    assert_eq!(blocks.len(), LANGUAGES.len(), "one block per fence");
    for (block, (info, scope)) in blocks.iter().zip(LANGUAGES) {
        let want = format!("<code><span class=\"{}\">", classes_of(scope));
        assert!(
            block.contains(&want),
            "```{info} should be highlighted as {scope}:\n{block}"
        );
        // The language is the first word; attributes never reach the page.
        let lang = engine_support::tags(block)
            .into_iter()
            .find(|t| t.name == "pre")
            .and_then(|t| t.attr("data-lang").map(str::to_string))
            .unwrap_or_default();
        let first = info
            .trim_start_matches(['{', '.'])
            .split([',', ' ', '}'])
            .next()
            .unwrap();
        let first = if first == "no_run" { "rust" } else { first };
        assert_eq!(lang, first, "```{info}");
        // Nothing else of the fence reaches the page.
        let pre = engine_support::tags(block)
            .into_iter()
            .find(|t| t.name == "pre")
            .unwrap();
        let names: Vec<&str> = pre.attrs.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["class", "data-lang"], "```{info}");
        assert_eq!(pre.attr("class"), Some("code"), "```{info}");
        // The code is escaped inside the spans.
        assert!(
            code_text(block).contains("x = 1 # \"two\" <three> & four"),
            "{block}"
        );
        assert!(!block.contains("<three>"), "{block}");
    }
}

#[test]
fn plain_blocks_are_escaped_and_not_reported() {
    let (_course, run, site) = built();
    let html = site.page("code/index.html");
    let blocks = code_blocks(&html);
    assert_eq!(blocks.len(), 3, "{html}");
    for block in &blocks {
        assert!(
            !block.contains("hl-"),
            "plain text has no highlight classes:\n{block}"
        );
    }
    assert!(blocks[0].contains("&lt;b&gt;plain&lt;/b&gt; text is escaped"));
    assert!(blocks[2].contains("&lt;i&gt;as well&lt;/i&gt;"));
    for d in run.diagnostics() {
        assert!(
            !d.message.contains("`plain`")
                && !d.message.contains("`output`")
                && !d.message.contains("`text`"),
            "{}",
            d.text
        );
    }
}

#[test]
fn unknown_languages_are_plain_and_reported_once_each_with_their_places() {
    let (_course, run, site) = built();
    let html = site.page("code/unknown.html");
    let blocks = code_blocks(&html);
    assert_eq!(blocks.len(), 3);
    for block in &blocks {
        assert!(!block.contains("hl-"), "{block}");
    }
    assert!(
        blocks[0].contains("&lt;script&gt;alert(&quot;foo&quot;)&lt;/script&gt;"),
        "{}",
        blocks[0]
    );
    // An unknown language still gets its line numbers.
    assert!(blocks[1].contains("data-n=\"1\""), "{}", blocks[1]);

    let unknown: Vec<Reported> = run
        .diagnostics()
        .into_iter()
        .filter(|d| d.message.contains("is not highlighted"))
        .collect();
    assert_eq!(
        unknown.len(),
        2,
        "one warning per language:\n{}",
        run.stderr
    );
    let foo = unknown
        .iter()
        .find(|d| d.message.contains("foolang"))
        .unwrap();
    assert_eq!(foo.severity, "warning");
    assert_eq!(
        foo.message,
        "language `foolang` in 3 blocks (content/01-code/02-unknown.md:8, \
         content/01-code/02-unknown.md:14, content/01-code/03-more-unknown.md:5) is not highlighted"
    );
    assert_eq!(foo.location, "content/01-code/02-unknown.md:8:1");
    let klingon = unknown
        .iter()
        .find(|d| d.message.contains("klingon"))
        .unwrap();
    // Q&A answers count too, at their line in the file.
    assert_eq!(
        klingon.message,
        "language `klingon` in 2 blocks (content/01-code/02-unknown.md:18, \
         content/01-code/05-qa.md:8) is not highlighted"
    );
    // A warning, not an error: the build wrote the site.
    assert!(site.has("code/unknown.html"));
}

#[test]
fn console_sessions_mark_prompts_and_leave_output_plain() {
    let (_course, _run, site) = built();
    let html = site.page("code/features.html");
    let session = code_blocks(&html)[0];
    assert!(session.contains("class=\"code session\""), "{session}");
    let lines: Vec<&str> = session.split("<span class=\"line").skip(1).collect();
    assert_eq!(lines.len(), 6, "{session}");
    let kinds: Vec<&str> = lines
        .iter()
        .map(|l| l.split('"').next().unwrap().trim())
        .collect();
    assert_eq!(
        kinds,
        ["command", "output", "command", "command", "command", "output"]
    );
    assert!(
        lines[0].starts_with(" command\"><span class=\"prompt\">$ </span>"),
        "{}",
        lines[0]
    );
    assert!(
        lines[4].starts_with(" command\"><span class=\"prompt\"># </span>"),
        "{}",
        lines[4]
    );
    // The continuation's `>` is its secondary prompt.
    assert!(
        lines[3].starts_with(" command\"><span class=\"prompt\">&gt; </span>"),
        "{}",
        lines[3]
    );
    // Commands are highlighted as shell, output is not highlighted.
    assert!(lines[2].contains("hl-string"), "{}", lines[2]);
    assert!(!lines[1].contains("hl-"), "{}", lines[1]);
    assert!(!lines[5].contains("hl-"), "{}", lines[5]);

    // A session without a single prompt is commands written bare.
    let bare = code_blocks(&html)[6];
    assert!(
        code_text(bare).contains("cargo build --release\ncargo test"),
        "{bare}"
    );
    assert_eq!(
        bare.matches("<span class=\"line command\">").count(),
        2,
        "{bare}"
    );
    assert!(bare.contains("hl-source hl-shell"), "{bare}");
    assert!(!bare.contains("prompt"), "{bare}");
}

#[test]
fn line_numbers_and_marked_lines_are_built_in() {
    let (_course, run, site) = built();
    let html = site.page("code/features.html");
    let blocks = code_blocks(&html);
    let numbered = blocks[1];
    assert!(
        numbered.contains("<pre class=\"code linenos\" data-lang=\"rust\">"),
        "{numbered}"
    );
    let numbers: Vec<&str> = numbered
        .split("data-n=\"")
        .skip(1)
        .map(|s| s.split('"').next().unwrap())
        .collect();
    assert_eq!(numbers, ["10", "11", "12"]);
    // Numbers are attributes, never text a reader could select.
    assert!(!code_text(numbered).contains("10"), "{numbered}");
    assert!(numbered.contains("hl-rust"));

    let marked = blocks[2];
    let lines: Vec<&str> = marked.split("<span class=\"line").skip(1).collect();
    let marks: Vec<bool> = lines.iter().map(|l| l.starts_with(" hl\"")).collect();
    assert_eq!(marks, [true, false, true, true, false], "{marked}");
    assert!(
        !marked.contains("data-n"),
        "no numbers unless asked: {marked}"
    );

    let hugo = blocks[3];
    assert!(hugo.contains("linenos"), "{hugo}");
    let lines: Vec<&str> = hugo.split("<span class=\"line").skip(1).collect();
    assert!(
        lines[1].starts_with(" hl\"") && !lines[0].starts_with(" hl\""),
        "{hugo}"
    );

    // An unreadable attribute is a warning at its block; the block is shown.
    let bad = run.diagnostic_at("content/01-code/04-features.md:49");
    assert_eq!(bad.severity, "warning");
    assert!(bad.message.contains("`two`"), "{}", bad.text);
    assert!(blocks[5].contains("hl-rust"));
}
