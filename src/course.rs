//! One loader for a whole course, whatever its layout: its settings (read
//! once), its pages and its question banks, validated together. `build`,
//! `check` and `serve` load through `pipeline::render`, which adds its
//! caches around the same two steps (`load_site`, then `quiz::load`);
//! `export` loads here.

use std::path::Path;

use crate::config::Config;
use crate::content::{self, LoadOptions, LoadedSite, Site};
use crate::diagnostic::Diagnostics;
use crate::quiz::{self, QuizSet};

/// A loaded, validated course.
pub struct Course {
    pub site: Site,
    pub quizzes: QuizSet,
}

/// Loads the course at `root`; its warnings come back with it, its errors
/// instead of it.
pub fn load(root: &Path, options: LoadOptions) -> Result<(Course, Diagnostics), Diagnostics> {
    let config = Config::load(root).map_err(Diagnostics::from_one)?;
    let LoadedSite {
        site,
        diagnostics: mut diags,
    } = load_site(root, config, options)?;
    let (quizzes, quiz_diags) = quiz::load(&site);
    diags.extend(quiz_diags);
    diags.sort();
    if diags.has_errors() {
        return Err(diags);
    }
    Ok((Course { site, quizzes }, diags))
}

/// The pages of the course whose settings are `config`: the site with
/// every page that could be loaded, and every problem found on the way
/// (see `content::load`).
pub fn load_site(
    root: &Path,
    config: Config,
    options: LoadOptions,
) -> Result<LoadedSite, Diagnostics> {
    content::load(root, config, options)
}

/// As `load_site`, reusing the pages of `cache` whose files are unchanged.
pub fn load_site_cached(
    root: &Path,
    config: Config,
    options: LoadOptions,
    cache: &mut content::LoadCache,
) -> Result<LoadedSite, Diagnostics> {
    content::load_cached(root, config, options, cache)
}
