//! The command line (clap only; the work is done elsewhere).

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(name = "lectern", version, about = "Build a course (Markdown chapters, cases, Q&A, YAML quizzes) into a static site that works offline", long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the site into the output folder (course.yaml's `output`, default public/)
    Build {
        /// The course folder (holding course.yaml)
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Output folder (overrides course.yaml)
        #[arg(long, short)]
        out: Option<PathBuf>,
        /// Include pages marked `draft: true`
        #[arg(long)]
        drafts: bool,
        /// Build into a folder that holds files lectern did not write, keeping
        /// them (lectern never deletes or overwrites a file it did not write)
        #[arg(long)]
        force: bool,
        /// Neither read nor write the build cache (.lectern/cache/)
        #[arg(long)]
        no_cache: bool,
    },
    /// Load and validate everything, print every problem, write nothing
    Check {
        #[arg(long, default_value = ".")]
        root: PathBuf,
        #[arg(long)]
        drafts: bool,
    },
    /// Build, serve the site on 127.0.0.1 and rebuild and reload the open pages on every change
    Serve {
        /// The course folder (holding course.yaml)
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Output folder (overrides course.yaml)
        #[arg(long, short)]
        out: Option<PathBuf>,
        /// Port on 127.0.0.1 (default: 3000 or the next free one; 0: any free port)
        #[arg(long, short)]
        port: Option<u16>,
        /// Open the site in the default browser
        #[arg(long)]
        open: bool,
        /// Include pages marked `draft: true`
        #[arg(long)]
        drafts: bool,
        /// Build into a folder that holds files lectern did not write, keeping
        /// them (lectern never deletes or overwrites a file it did not write)
        #[arg(long)]
        force: bool,
    },
    /// Start a new chapter, page, case, Q&A page or question bank, numbered after the last one
    New {
        /// What to create
        #[arg(value_enum)]
        kind: NewKind,
        /// Its name (letters, digits, `-`); a page may be written CHAPTER/NAME; for a quiz, the chapter
        name: String,
        /// The chapter of a page, case or Q&A page (slug or folder name)
        #[arg(long)]
        chapter: Option<String>,
        /// Title (default: from the name)
        #[arg(long)]
        title: Option<String>,
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
    /// Export question banks for Moodle (GIFT, Moodle XML) or Anki (tab-separated flashcards), or the whole course as an EPUB book
    Export {
        /// gift, moodle-xml, anki or epub
        #[arg(long, short, value_enum)]
        format: ExportFormatArg,
        /// Banks to export (file stem or chapter slug, e.g. 01-understanding-customer-service); all when none
        banks: Vec<String>,
        /// File to write (default: standard output); never a file of the course
        #[arg(long, short)]
        output: Option<PathBuf>,
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Replace the output file if it exists
        #[arg(long)]
        force: bool,
    },
    /// Import questions from another format into a new question bank
    Import {
        /// The format of FILE: gift or moodle-xml
        #[arg(value_enum)]
        format: ImportFormatArg,
        /// The file to read
        file: PathBuf,
        /// The bank file to write, e.g. quizzes/03-receiving-customers.yaml
        #[arg(long, short)]
        output: PathBuf,
        /// Chapter slug of the bank (default: the output file's name without its number)
        #[arg(long)]
        chapter: Option<String>,
        /// Title of the bank (default: the file's first category)
        #[arg(long)]
        title: Option<String>,
        /// Replace the output file if it exists
        #[arg(long)]
        force: bool,
    },
    /// Create a new course that builds at once
    Init {
        /// Folder to create (must be empty or not exist)
        dir: PathBuf,
        /// Course title
        #[arg(long)]
        title: Option<String>,
        /// UI language: zh-CN or en
        #[arg(long, default_value = "zh-CN")]
        language: String,
    },
}

/// What `lectern new` creates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum NewKind {
    /// content/NN-NAME/index.md
    Chapter,
    /// content/CHAPTER/NN-NAME.md
    Page,
    /// A case study page (kind: case)
    Case,
    /// A Q&A page (kind: qa)
    Qa,
    /// quizzes/CHAPTER.yaml, the chapter's question bank
    Quiz,
}

/// The formats of `lectern export`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormatArg {
    /// Moodle's GIFT text format
    Gift,
    /// Moodle XML
    MoodleXml,
    /// Anki: tab-separated cards with Anki's header lines
    Anki,
    /// The whole course as an EPUB 3 book (needs -o)
    Epub,
}

/// The formats of `lectern import`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ImportFormatArg {
    /// Moodle's GIFT text format
    Gift,
    /// Moodle XML (Question bank → Export → Moodle XML format)
    MoodleXml,
}
