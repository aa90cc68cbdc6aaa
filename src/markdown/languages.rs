//! Which grammar a fence's language names.
//!
//! Two sets of grammars, both loaded once, the first time a code block names
//! a language (a course without code never loads them): syntect's own, and
//! the curated set the `bat` pager ships (the `two-face` crate: about 200,
//! adding TOML, TypeScript, Dockerfile, Kotlin, Swift, Vue, Svelte,
//! PowerShell, Zig, Nix, Terraform, GraphQL …). A language both sets have is
//! highlighted with syntect's grammar: bat's newer versions of the common
//! ones cost more (Go twice as much, JavaScript a third more), and
//! highlighting is most of a build's time (bench/code_blocks/RESULTS.md).
//!
//! Names are matched without regard to case: lectern's table of the names
//! people write (GitHub Linguist's aliases), then every grammar's own name
//! and file extensions.

use std::collections::HashMap;
use std::sync::OnceLock;

use syntect::parsing::{SyntaxReference, SyntaxSet};

/// What a code block's language resolves to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Language {
    /// No language, or one that means "plain text": escaped, no colours.
    Plain,
    /// A grammar.
    Grammar(Grammar),
    /// A terminal session: prompt lines are commands in this grammar, the
    /// other lines are output.
    Session(Grammar),
    /// A name lectern does not know: shown as plain text, and reported.
    Unknown,
}

/// One grammar: which set, and its index there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Grammar {
    bundled: bool,
    index: usize,
}

impl Grammar {
    /// The grammar and the set it belongs to (its embedded languages are
    /// looked up in that set).
    pub fn get(self) -> (&'static SyntaxReference, &'static SyntaxSet) {
        let set = if self.bundled {
            &bundled().set
        } else {
            &extra().set
        };
        (&set.syntaxes()[self.index], set)
    }
}

/// Fence names that mean plain text.
const PLAIN: &[&str] = &[
    "text",
    "plain",
    "plaintext",
    "txt",
    "output",
    "none",
    "nohighlight",
    "no-highlight",
    "verbatim",
];

/// Fence names of terminal sessions (prompts and output), and the grammar
/// of their commands.
const SESSIONS: &[(&str, &str)] = &[
    ("console", "Bourne Again Shell (bash)"),
    ("shell-session", "Bourne Again Shell (bash)"),
    ("shellsession", "Bourne Again Shell (bash)"),
    ("sh-session", "Bourne Again Shell (bash)"),
    ("bash-session", "Bourne Again Shell (bash)"),
    ("zsh-session", "Bourne Again Shell (bash)"),
    ("terminal", "Bourne Again Shell (bash)"),
    ("shell-console", "Bourne Again Shell (bash)"),
    ("pwsh-session", "PowerShell"),
    ("powershell-session", "PowerShell"),
    ("ps1con", "PowerShell"),
    ("doscon", "Batch File"),
];

/// Names people write for a grammar that are neither its name nor one of
/// its file extensions (GitHub Linguist's aliases, mostly), lower case.
const ALIASES: &[(&str, &str)] = &[
    // Shells
    ("shell", "Bourne Again Shell (bash)"),
    ("shellscript", "Bourne Again Shell (bash)"),
    ("shell-script", "Bourne Again Shell (bash)"),
    ("ksh", "Bourne Again Shell (bash)"),
    ("mksh", "Bourne Again Shell (bash)"),
    ("posix", "Bourne Again Shell (bash)"),
    ("powershell", "PowerShell"),
    ("pwsh", "PowerShell"),
    ("posh", "PowerShell"),
    ("batch", "Batch File"),
    ("batchfile", "Batch File"),
    ("dosbatch", "Batch File"),
    ("winbatch", "Batch File"),
    ("dos", "Batch File"),
    // The C family
    ("h", "C"),
    ("cplusplus", "C++"),
    ("hpp", "C++"),
    ("cuda", "C++"),
    ("cu", "C++"),
    ("arduino", "C++"),
    ("ino", "C++"),
    ("objc", "Objective-C"),
    ("objectivec", "Objective-C"),
    ("objective-c", "Objective-C"),
    ("obj-c", "Objective-C"),
    ("objc++", "Objective-C++"),
    ("objectivec++", "Objective-C++"),
    ("objective-c++", "Objective-C++"),
    ("obj-c++", "Objective-C++"),
    ("objcpp", "Objective-C++"),
    ("csharp", "C#"),
    ("c-sharp", "C#"),
    ("cake", "C#"),
    ("fsharp", "F#"),
    // GLSL claims the extension too; in Markdown `fs` is F#.
    ("fs", "F#"),
    ("f-sharp", "F#"),
    // Web
    ("javascript", "JavaScript"),
    ("js", "JavaScript"),
    // bat's JavaScript grammar that knows JSX.
    ("jsx", "JavaScript (Babel)"),
    ("node", "JavaScript"),
    ("nodejs", "JavaScript"),
    ("ecmascript", "JavaScript"),
    ("typescript", "TypeScript"),
    ("ts", "TypeScript"),
    ("tsx", "TypeScriptReact"),
    ("jsonc", "JSON"),
    ("json5", "JSON"),
    ("jsonl", "JSON"),
    ("geojson", "JSON"),
    ("webmanifest", "JSON"),
    ("ipynb", "JSON"),
    ("html5", "HTML"),
    ("xhtml", "HTML"),
    ("vue", "Vue Component"),
    ("svelte", "Svelte"),
    ("xml", "XML"),
    ("plist", "XML"),
    ("wsdl", "XML"),
    ("xsl", "XML"),
    ("atom", "XML"),
    ("csproj", "XML"),
    ("coffeescript", "CoffeeScript"),
    ("coffee-script", "CoffeeScript"),
    ("erb", "HTML (Rails)"),
    ("twig", "HTML (Twig)"),
    ("jinja", "Jinja2"),
    ("django", "Jinja2"),
    ("nunjucks", "Jinja2"),
    ("njk", "Jinja2"),
    ("liquid", "Jinja2"),
    // Data and configuration
    ("yml", "YAML"),
    ("dosini", "INI"),
    ("editorconfig", "INI"),
    ("cfg", "INI"),
    ("env", "DotENV"),
    ("dotenv", "DotENV"),
    ("properties", "Java Properties"),
    ("hcl", "Terraform"),
    ("tf", "Terraform"),
    ("protobuf", "Protocol Buffer"),
    ("proto3", "Protocol Buffer"),
    ("textproto", "Protocol Buffer (TEXT)"),
    ("gql", "GraphQL"),
    ("csv", "Separated Values"),
    ("tsv", "Tab Separated Values"),
    ("docker", "Dockerfile"),
    ("containerfile", "Dockerfile"),
    ("make", "Makefile"),
    ("mf", "Makefile"),
    ("bsdmake", "Makefile"),
    ("nginxconf", "nginx"),
    ("apache", "Apache Conf"),
    ("htaccess", "Apache Conf"),
    ("ssh-config", "SSH Config"),
    ("sshconfig", "SSH Config"),
    ("gitignore", "Git Ignore"),
    ("ignore-list", "Git Ignore"),
    ("git-config", "Git Config"),
    ("gitmodules", "Git Config"),
    ("requirements", "Requirements.txt"),
    ("pip-requirements", "Requirements.txt"),
    ("http", "HTTP Request and Response"),
    ("regex", "Regular Expression"),
    ("regexp", "Regular Expression"),
    ("graphviz", "Graphviz (DOT)"),
    ("udiff", "Diff"),
    // Names syntect's set gives another grammar (its bash claims `.fish`,
    // its Haml `.sass`, its R `.s`): bat's choice is the right one.
    ("fish", "Fish"),
    ("sass", "Sass"),
    ("s", "ARM Assembly"),
    ("inc", "x86_64 Assembly"),
    // RON (Rust Object Notation) is highlighted with Rust's grammar, as
    // GitHub does.
    ("ron", "Rust"),
    // Programming languages
    ("python3", "Python"),
    ("python2", "Python"),
    ("py2", "Python"),
    ("pycon", "Python"),
    ("sage", "Python"),
    ("starlark", "Python"),
    ("bazel", "Python"),
    ("bzl", "Python"),
    ("ruby", "Ruby"),
    ("jruby", "Ruby"),
    ("rake", "Ruby"),
    ("podspec", "Ruby"),
    ("golang", "Go"),
    ("kotlin", "Kotlin"),
    ("gradle", "Groovy"),
    ("perl5", "Perl"),
    ("rscript", "R"),
    ("splus", "R"),
    ("octave", "MATLAB"),
    ("elisp", "Lisp"),
    ("emacs-lisp", "Lisp"),
    ("common-lisp", "Lisp"),
    ("scheme", "Lisp"),
    ("racket", "Racket"),
    ("clj", "Clojure"),
    ("cljs", "Clojure"),
    ("clojurescript", "Clojure"),
    ("erlang", "Erlang"),
    ("elixir", "Elixir"),
    ("ocaml", "OCaml"),
    ("sml", "SML"),
    ("haskell", "Haskell"),
    ("idris", "Idris"),
    ("purescript", "PureScript"),
    ("lean4", "Lean 4"),
    ("fortran", "Fortran (Modern)"),
    ("delphi", "Pascal"),
    ("objectpascal", "Pascal"),
    ("asm", "x86_64 Assembly"),
    ("assembly", "x86_64 Assembly"),
    ("x86asm", "x86_64 Assembly"),
    ("x86", "x86_64 Assembly"),
    ("x86_64", "x86_64 Assembly"),
    ("gas", "x86_64 Assembly"),
    ("armasm", "ARM Assembly"),
    ("arm", "ARM Assembly"),
    ("aarch64", "ARM Assembly"),
    ("arm64", "ARM Assembly"),
    ("llvm-ir", "LLVM"),
    ("mysql", "SQL"),
    ("postgresql", "SQL"),
    ("postgres", "SQL"),
    ("psql", "SQL"),
    ("pgsql", "SQL"),
    ("plsql", "SQL"),
    ("plpgsql", "SQL"),
    ("sqlite", "SQL"),
    ("sqlite3", "SQL"),
    ("tsql", "SQL"),
    ("mssql", "SQL"),
    ("mariadb", "SQL"),
    ("hive", "SQL"),
    ("sparksql", "SQL"),
    ("gdscript", "GDScript (Godot Engine)"),
    ("godot", "GDScript (Godot Engine)"),
    ("vimscript", "VimL"),
    ("vim", "VimL"),
    ("tex", "LaTeX"),
    ("latex", "LaTeX"),
    ("bibtex", "BibTeX"),
    ("rst", "reStructuredText"),
    ("asciidoc", "AsciiDoc (Asciidoctor)"),
    ("mediawiki", "MediaWiki"),
    ("wiki", "MediaWiki"),
    ("groff", "Groff/troff"),
    ("nroff", "Groff/troff"),
    ("troff", "Groff/troff"),
    ("osascript", "AppleScript"),
    ("actionscript", "ActionScript"),
    ("solidity", "Solidity"),
    ("verilog", "Verilog"),
    ("systemverilog", "SystemVerilog"),
    ("vhdl", "VHDL"),
    ("glsl", "GLSL"),
    ("wgsl", "WGSL"),
];

/// One set of grammars, with every grammar by lower-case extension and name
/// and by its exact name.
struct GrammarSet {
    set: SyntaxSet,
    by_token: HashMap<String, usize>,
    by_name: HashMap<String, usize>,
}

impl GrammarSet {
    fn new(set: SyntaxSet) -> GrammarSet {
        let mut by_token = HashMap::new();
        let mut by_name = HashMap::new();
        // Extensions, then names: a name wins over another grammar's
        // extension. Among grammars claiming one extension the later in the
        // set wins, as in syntect's own lookup.
        for (i, s) in set.syntaxes().iter().enumerate() {
            for ext in &s.file_extensions {
                by_token.insert(ext.to_lowercase(), i);
            }
        }
        for (i, s) in set.syntaxes().iter().enumerate() {
            by_name.insert(s.name.clone(), i);
            if !s.hidden {
                by_token.insert(s.name.to_lowercase(), i);
            }
        }
        GrammarSet {
            set,
            by_token,
            by_name,
        }
    }
}

/// syntect's own grammars, loaded the first time a block names a language.
fn bundled() -> &'static GrammarSet {
    static SET: OnceLock<GrammarSet> = OnceLock::new();
    SET.get_or_init(|| GrammarSet::new(SyntaxSet::load_defaults_newlines()))
}

/// two-face's grammars, loaded the first time a block names a language
/// syntect's set does not have (about 27 million instructions, some 10 ms).
fn extra() -> &'static GrammarSet {
    static SET: OnceLock<GrammarSet> = OnceLock::new();
    SET.get_or_init(|| GrammarSet::new(two_face::syntax::extra_newlines()))
}

/// lectern's tables by lower-case name: plain names, sessions, aliases.
fn tables() -> &'static HashMap<&'static str, (Option<&'static str>, bool)> {
    static TABLES: OnceLock<HashMap<&'static str, (Option<&'static str>, bool)>> = OnceLock::new();
    TABLES.get_or_init(|| {
        let mut t = HashMap::new();
        for (alias, name) in ALIASES {
            t.insert(*alias, (Some(*name), false));
        }
        for (alias, name) in SESSIONS {
            t.insert(*alias, (Some(*name), true));
        }
        for plain in PLAIN {
            t.insert(*plain, (None, false));
        }
        t
    })
}

/// The grammar named exactly `name`: syntect's if it has one, else two-face's.
fn by_exact_name(name: &str) -> Option<Grammar> {
    if let Some(&index) = bundled().by_name.get(name) {
        return Some(Grammar {
            bundled: true,
            index,
        });
    }
    extra().by_name.get(name).map(|&index| Grammar {
        bundled: false,
        index,
    })
}

/// What `lang` (a fence's first word, any letter case) names. An empty name
/// is plain text and loads no grammar; two-face's set is loaded only for a
/// name neither lectern's tables nor syntect's set resolve.
pub fn resolve(lang: &str) -> Language {
    if lang.is_empty() {
        return Language::Plain;
    }
    let lower = lang.to_lowercase();
    if let Some(&(target, session)) = tables().get(lower.as_str()) {
        return match target.and_then(by_exact_name) {
            None if target.is_none() => Language::Plain,
            None => Language::Unknown,
            Some(g) if session => Language::Session(g),
            Some(g) => Language::Grammar(g),
        };
    }
    if let Some(&index) = bundled().by_token.get(&lower) {
        return Language::Grammar(Grammar {
            bundled: true,
            index,
        });
    }
    match extra().by_token.get(&lower) {
        Some(&index) => Language::Grammar(Grammar {
            bundled: false,
            index,
        }),
        None => Language::Unknown,
    }
}

/// Every name lectern highlights (lower case, sorted), for "did you mean".
pub fn names() -> Vec<&'static str> {
    let mut names: Vec<&'static str> = bundled()
        .by_token
        .keys()
        .chain(extra().by_token.keys())
        .map(String::as_str)
        .chain(
            tables()
                .iter()
                .filter(|(_, (target, _))| target.is_some())
                .map(|(alias, _)| *alias),
        )
        .collect();
    names.sort_unstable();
    names.dedup();
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_table_entry_names_a_grammar_of_the_set() {
        let set = &extra().set;
        for (alias, name) in ALIASES.iter().chain(SESSIONS) {
            assert!(
                set.find_syntax_by_name(name).is_some(),
                "`{alias}` names `{name}`, which the set does not have"
            );
        }
    }

    /// A name syntect's set resolves must mean the grammar two-face's set
    /// would pick (same name), unless lectern's tables say otherwise: else
    /// which grammar a fence gets would depend on which set is asked first.
    #[test]
    fn both_sets_agree_on_every_name_syntect_knows() {
        let mut differ = Vec::new();
        for (token, &i) in &bundled().by_token {
            if tables().contains_key(token.as_str()) {
                continue;
            }
            let ours = &bundled().set.syntaxes()[i].name;
            if let Some(&j) = extra().by_token.get(token) {
                let theirs = &extra().set.syntaxes()[j].name;
                if theirs != ours {
                    differ.push(format!("(\"{token}\", \"{theirs}\") // syntect: {ours}"));
                }
            }
        }
        differ.sort();
        assert!(differ.is_empty(), "add to ALIASES:\n{}", differ.join("\n"));
    }

    #[test]
    fn names_resolve_without_regard_to_case() {
        let name = |lang: &str| match resolve(lang) {
            Language::Grammar(g) => g.get().0.name.clone(),
            other => format!("{other:?}"),
        };
        assert_eq!(name("Rust"), "Rust");
        assert_eq!(name("TOML"), "TOML");
        assert_eq!(name("shell"), "Bourne Again Shell (bash)");
        assert_eq!(name("ZSH"), "Bourne Again Shell (bash)");
        assert_eq!(name("ts"), "TypeScript");
        assert_eq!(name("yml"), "YAML");
        assert_eq!(name("ps1"), "PowerShell");
        assert_eq!(name("c++"), "C++");
        assert_eq!(name("C#"), "C#");
        assert_eq!(name("Dockerfile"), "Dockerfile");
        assert_eq!(name("kt"), "Kotlin");
        assert_eq!(name("h"), "C");
        assert_eq!(name("js"), "JavaScript");
        assert_eq!(name("jsx"), "JavaScript (Babel)");
        assert!(matches!(resolve("console"), Language::Session(_)));
        // syntect's own grammar where it has one, bat's where it has none.
        let bundled = |lang: &str| match resolve(lang) {
            Language::Grammar(g) => g.bundled,
            other => panic!("{lang}: {other:?}"),
        };
        assert!(bundled("go") && bundled("javascript") && bundled("sh") && bundled("rust"));
        assert!(!bundled("toml") && !bundled("ts") && !bundled("kt"));
        assert_eq!(resolve("TEXT"), Language::Plain);
        assert_eq!(resolve(""), Language::Plain);
        assert_eq!(resolve("nosuchlang"), Language::Unknown);
    }
}
