//! The command line (clap only; the work is done elsewhere).

use std::path::PathBuf;

use clap::{Parser, Subcommand};

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
    },
    /// Load and validate everything, print every problem, write nothing
    Check {
        #[arg(long, default_value = ".")]
        root: PathBuf,
        #[arg(long)]
        drafts: bool,
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
