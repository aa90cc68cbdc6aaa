//! The theme: templates, static files and UI strings. The default theme is
//! compiled into the binary; a course's `themes/<name>/` folder overrides any
//! of its files by giving a file of the same relative path.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use include_dir::{include_dir, Dir, DirEntry};

use crate::diagnostic::Diagnostic;
use crate::source_files::{Boundary, Found};

static DEFAULT_THEME: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/themes/default");

/// A theme file: where it came from (for diagnostics) and its bytes.
#[derive(Debug, Clone)]
pub struct ThemeFile {
    pub origin: PathBuf,
    pub bytes: Vec<u8>,
}

/// All files of the theme in effect, by path relative to the theme folder.
#[derive(Debug, Clone, Default)]
pub struct Theme {
    pub files: BTreeMap<String, ThemeFile>,
    /// Files of the course's theme folder that were skipped (links out of
    /// the course, special files).
    pub skipped: Vec<Diagnostic>,
}

impl Theme {
    /// The built-in theme with the course's `themes_dir/<name>/` files over it.
    pub fn load(root: &Path, themes_dir: &Path, name: &str) -> Result<Theme, Diagnostic> {
        let mut theme = Theme::default();
        add_embedded(&DEFAULT_THEME, &mut theme);
        if !crate::config::is_theme_name(name) {
            // course.yaml refuses such names at their line; this keeps any
            // other caller inside themes/ too.
            return Err(Diagnostic::error(
                crate::config::CONFIG_FILE,
                0,
                0,
                format!("`{name}` is not a theme name"),
            )
            .with_hint("name a folder of themes/ with letters, digits, `-` and `_` only"));
        }
        let dir = root.join(themes_dir).join(name);
        if dir.is_dir() {
            let found = Boundary::new(root).walk(&dir, &mut theme.skipped);
            for Found { path, rel } in found {
                let bytes = std::fs::read(&path).map_err(|e| {
                    Diagnostic::error(
                        themes_dir.join(name).join(&rel),
                        0,
                        0,
                        format!("cannot read theme file: {e}"),
                    )
                })?;
                if DEFAULT_THEME
                    .get_file(&rel)
                    .is_some_and(|f| f.contents() == bytes.as_slice())
                {
                    // A copy of the built-in file (the lectern repository's
                    // own course is built with this very folder): keep the
                    // built-in one, which may ship compacted.
                    continue;
                }
                theme.files.insert(
                    rel.clone(),
                    ThemeFile {
                        origin: themes_dir.join(name).join(&rel),
                        bytes,
                    },
                );
            }
        } else if name != "default" {
            return Err(Diagnostic::error(
                crate::config::CONFIG_FILE,
                0,
                0,
                format!("theme `{name}` not found: there is no themes/{name}/ folder"),
            )
            .with_hint("create the folder with the files to override, or use `theme: default`"));
        }
        Ok(theme)
    }

    /// Files under `prefix/` (e.g. `templates/`), with the prefix removed.
    pub fn under<'a>(
        &'a self,
        prefix: &'a str,
    ) -> impl Iterator<Item = (&'a str, &'a ThemeFile)> + 'a {
        self.files.iter().filter_map(move |(k, v)| {
            k.strip_prefix(prefix)
                .and_then(|r| r.strip_prefix('/'))
                .map(|r| (r, v))
        })
    }
}

impl Theme {
    /// Whether the file `rel` in effect is the built-in theme's, unchanged.
    pub fn is_builtin(&self, rel: &str) -> bool {
        match (DEFAULT_THEME.get_file(rel), self.files.get(rel)) {
            (Some(builtin), Some(used)) => builtin.contents() == used.bytes.as_slice(),
            _ => false,
        }
    }
}

fn add_embedded(dir: &Dir<'_>, theme: &mut Theme) {
    for entry in dir.entries() {
        match entry {
            DirEntry::Dir(d) => add_embedded(d, theme),
            DirEntry::File(f) => {
                let rel = f.path().to_string_lossy().replace('\\', "/");
                let bytes = match std::str::from_utf8(f.contents()) {
                    Ok(script) if rel.starts_with("static/") && rel.ends_with(".js") => {
                        super::compact_js::compact_js(script).into_bytes()
                    }
                    _ => f.contents().to_vec(),
                };
                theme.files.insert(
                    rel.clone(),
                    ThemeFile {
                        origin: Path::new("themes/default").join(&rel),
                        bytes,
                    },
                );
            }
        }
    }
}
