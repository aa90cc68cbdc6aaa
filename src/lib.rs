//! lectern as a library: the stages of a build, each a module with one job.
//! The binary (`main.rs`) only parses the command line and hands it to `commands`.

pub mod cli;
pub mod commands;
pub mod config;
pub mod content;
pub mod course;
pub mod diagnostic;
pub mod generated;
pub mod init;
pub mod interop;
pub mod layout;
pub mod markdown;
pub mod output;
pub mod pipeline;
pub mod quiz;
pub mod render;
pub mod scaffold;
pub mod search;
pub mod serve;
pub mod source_files;
pub mod yaml;
