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
        let g = grammars();
        let set = if self.bundled { &g.bundled } else { &g.extra };
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

/// The grammar sets and a lookup table from every lower-case name to a grammar.
struct Grammars {
    bundled: SyntaxSet,
    extra: SyntaxSet,
    by_name: HashMap<String, Language>,
}

fn grammars() -> &'static Grammars {
    static GRAMMARS: OnceLock<Grammars> = OnceLock::new();
    GRAMMARS.get_or_init(|| {
        let bundled = SyntaxSet::load_defaults_newlines();
        let set = two_face::syntax::extra_newlines();
        let mut by_name = HashMap::new();
        let extra = |i| {
            Language::Grammar(Grammar {
                bundled: false,
                index: i,
            })
        };
        let index_of = |name: &str| set.syntaxes().iter().position(|s| s.name == name);
        // Extensions first, then grammar names, then lectern's tables: each
        // later source wins. Among grammars claiming one extension the later
        // in the set wins, as in syntect's own lookup.
        for (i, s) in set.syntaxes().iter().enumerate() {
            for ext in &s.file_extensions {
                by_name.insert(ext.to_lowercase(), extra(i));
            }
        }
        for (i, s) in set.syntaxes().iter().enumerate() {
            if !s.hidden {
                by_name.insert(s.name.to_lowercase(), extra(i));
            }
        }
        for (alias, name) in ALIASES {
            if let Some(i) = index_of(name) {
                by_name.insert(alias.to_string(), extra(i));
            }
        }
        for (alias, name) in SESSIONS {
            if let Some(i) = index_of(name) {
                by_name.insert(
                    alias.to_string(),
                    Language::Session(Grammar {
                        bundled: false,
                        index: i,
                    }),
                );
            }
        }
        for plain in PLAIN {
            by_name.insert(plain.to_string(), Language::Plain);
        }
        // A grammar syntect bundles under the same name is used instead.
        let bundled_index: HashMap<&str, usize> = bundled
            .syntaxes()
            .iter()
            .enumerate()
            .map(|(i, s)| (s.name.as_str(), i))
            .collect();
        for language in by_name.values_mut() {
            if let Language::Grammar(g) | Language::Session(g) = language {
                if let Some(&i) = bundled_index.get(set.syntaxes()[g.index].name.as_str()) {
                    *g = Grammar {
                        bundled: true,
                        index: i,
                    };
                }
            }
        }
        Grammars {
            bundled,
            extra: set,
            by_name,
        }
    })
}

/// What `lang` (a fence's first word, any letter case) names. An empty name
/// is plain text and does not load the grammars.
pub fn resolve(lang: &str) -> Language {
    if lang.is_empty() {
        return Language::Plain;
    }
    let lower = lang.to_lowercase();
    if PLAIN.contains(&lower.as_str()) {
        return Language::Plain;
    }
    grammars()
        .by_name
        .get(&lower)
        .copied()
        .unwrap_or(Language::Unknown)
}

/// Every name lectern highlights (lower case, sorted), for "did you mean".
pub fn names() -> Vec<&'static str> {
    let mut names: Vec<&'static str> = grammars()
        .by_name
        .iter()
        .filter(|(_, l)| **l != Language::Plain)
        .map(|(n, _)| n.as_str())
        .collect();
    names.sort_unstable();
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_table_entry_names_a_grammar_of_the_set() {
        let set = &grammars().extra;
        for (alias, name) in ALIASES.iter().chain(SESSIONS) {
            assert!(
                set.find_syntax_by_name(name).is_some(),
                "`{alias}` names `{name}`, which the set does not have"
            );
        }
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
