//! lectern as a library: the stages of a build, each a module with one job.
//! The binary (`main.rs`) only handles the command line.

pub mod cli;
pub mod config;
pub mod content;
pub mod diagnostic;
pub mod generated;
pub mod init;
pub mod interop;
pub mod markdown;
pub mod output;
pub mod pipeline;
pub mod quiz;
pub mod render;
pub mod scaffold;
pub mod search;
pub mod search_docs;
pub mod serve;
pub mod yaml;
