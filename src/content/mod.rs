//! The course's content: loading its pages into the `Site` model, from a
//! lectern course's folders or an mdBook's SUMMARY.md.

mod discover;
pub mod frontmatter;
mod include;
mod links;
pub mod load;
mod mdbook;
pub mod model;
mod names;
mod page;
pub mod paths;
mod qa;
mod rewrite;
mod stamps;
mod tree;

pub use load::{load, load_cached, LoadCache, LoadedSite};
pub use model::*;
pub use page::LoadOptions;
