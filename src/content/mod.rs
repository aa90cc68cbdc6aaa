//! The course's content: loading content/ into the `Site` model.

pub mod frontmatter;
pub mod load;
pub mod model;
mod names;
pub mod paths;

pub use load::{load, LoadOptions};
pub use model::*;
