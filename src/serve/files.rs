//! From a request path to a file of the output folder, and nothing outside it.
//!
//! The request path is percent-decoded once and split into segments; any
//! segment that is `..`, hidden (`.git`), or not a plain file name (a
//! backslash, a drive prefix, a NUL) refuses the request outright instead of
//! being normalised away. The file found is then canonicalised and must still
//! lie under the canonical output folder, which rules out symbolic links that
//! point elsewhere.

use std::path::{Component, Path, PathBuf};

/// What a request path names.
#[derive(Debug, PartialEq, Eq)]
pub enum Target {
    /// A file inside the output folder (canonical path).
    File(PathBuf),
    /// A folder asked for without its trailing slash: send the browser to
    /// `Location` so the page's relative links resolve against the folder.
    Redirect(String),
    NotFound,
}

/// Resolves `request_path` (the request target, possibly with `?query`)
/// against the output folder `root`.
pub fn resolve(root: &Path, request_path: &str) -> Target {
    let path = request_path.split(['?', '#']).next().unwrap_or_default();
    let Some(rest) = path.strip_prefix('/') else {
        return Target::NotFound;
    };
    let Some(decoded) = crate::content::paths::percent_decode_strict(rest) else {
        return Target::NotFound;
    };
    let Ok(root) = root.canonicalize() else {
        return Target::NotFound;
    };
    let mut candidate = root.clone();
    for segment in decoded.split('/') {
        if segment.is_empty() {
            continue;
        }
        if !is_plain_name(segment) {
            return Target::NotFound;
        }
        candidate.push(segment);
    }
    let Ok(real) = candidate.canonicalize() else {
        return Target::NotFound;
    };
    if !real.starts_with(&root) {
        return Target::NotFound;
    }
    if real.is_dir() {
        if !path.ends_with('/') {
            let query = request_path
                .find('?')
                .map(|i| &request_path[i..])
                .unwrap_or("");
            // One leading slash only: `//host/x` would send the browser elsewhere.
            return Target::Redirect(format!("/{}/{query}", rest.trim_start_matches('/')));
        }
        let index = real.join("index.html");
        return match index.canonicalize() {
            Ok(i) if i.starts_with(&root) && i.is_file() => Target::File(i),
            _ => Target::NotFound,
        };
    }
    if real.is_file() {
        Target::File(real)
    } else {
        Target::NotFound
    }
}

/// A segment that names one entry of a folder and nothing more.
fn is_plain_name(segment: &str) -> bool {
    if segment.starts_with('.') || segment.contains(['\\', '\0']) {
        return false;
    }
    let mut components = Path::new(segment).components();
    matches!(
        (components.next(), components.next()),
        (Some(Component::Normal(_)), None)
    )
}

/// The `Content-Type` of a file, from its extension.
pub fn content_type(path: &Path) -> &'static str {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" | "map" => "application/json",
        "txt" | "md" => "text/plain; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        "tsv" => "text/tab-separated-values; charset=utf-8",
        "xml" => "application/xml",
        "yaml" | "yml" => "application/yaml",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        "ttf" => "font/ttf",
        "otf" => "font/otf",
        "pdf" => "application/pdf",
        "zip" => "application/zip",
        "wasm" => "application/wasm",
        "mp3" => "audio/mpeg",
        "ogg" => "audio/ogg",
        "wav" => "audio/wav",
        "mp4" => "video/mp4",
        "webm" => "video/webm",
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "pptx" => "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        _ => "application/octet-stream",
    }
}

pub fn is_html(path: &Path) -> bool {
    content_type(path).starts_with("text/html")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    fn site() -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("public");
        fs::create_dir_all(root.join("chapter")).unwrap();
        fs::write(root.join("index.html"), "home").unwrap();
        fs::write(root.join("chapter/index.html"), "chapter").unwrap();
        fs::write(root.join("chapter/客户.html"), "zh").unwrap();
        fs::write(root.join(".hidden"), "no").unwrap();
        fs::write(dir.path().join("secret.txt"), "secret").unwrap();
        let root = root.canonicalize().unwrap();
        (dir, root)
    }

    #[test]
    fn files_and_folders_inside_the_output() {
        let (_d, root) = site();
        assert_eq!(resolve(&root, "/"), Target::File(root.join("index.html")));
        assert_eq!(
            resolve(&root, "/index.html?x=1"),
            Target::File(root.join("index.html"))
        );
        assert_eq!(
            resolve(&root, "/chapter/"),
            Target::File(root.join("chapter/index.html"))
        );
        assert_eq!(
            resolve(&root, "/chapter?a"),
            Target::Redirect("/chapter/?a".into())
        );
        assert_eq!(
            resolve(&root, "/chapter/%E5%AE%A2%E6%88%B7.html"),
            Target::File(root.join("chapter/客户.html"))
        );
        assert_eq!(resolve(&root, "/missing.html"), Target::NotFound);
    }

    #[test]
    fn nothing_outside_the_output_folder() {
        let (_d, root) = site();
        for path in [
            "/../secret.txt",
            "/chapter/../../secret.txt",
            "/%2e%2e/secret.txt",
            "/%2E%2E%2Fsecret.txt",
            "/chapter/..%2f..%2fsecret.txt",
            "/..%5csecret.txt",
            "/.hidden",
            "/%00index.html",
            "/%zz",
            "/%ff.html",
            "secret.txt",
            "//etc/passwd",
        ] {
            assert_eq!(resolve(&root, path), Target::NotFound, "{path}");
        }
    }

    #[cfg(unix)]
    #[test]
    fn symbolic_links_out_of_the_folder_are_refused() {
        let (d, root) = site();
        std::os::unix::fs::symlink(d.path().join("secret.txt"), root.join("link.txt")).unwrap();
        std::os::unix::fs::symlink(d.path(), root.join("up")).unwrap();
        std::os::unix::fs::symlink(root.join("index.html"), root.join("inside.html")).unwrap();
        assert_eq!(resolve(&root, "/link.txt"), Target::NotFound);
        assert_eq!(resolve(&root, "/up/secret.txt"), Target::NotFound);
        assert_eq!(
            resolve(&root, "/inside.html"),
            Target::File(root.join("index.html"))
        );
    }

    #[test]
    fn content_types() {
        assert_eq!(
            content_type(Path::new("a/b.HTML")),
            "text/html; charset=utf-8"
        );
        assert_eq!(
            content_type(Path::new("s.js")),
            "text/javascript; charset=utf-8"
        );
        assert_eq!(content_type(Path::new("x.svg")), "image/svg+xml");
        assert_eq!(content_type(Path::new("noext")), "application/octet-stream");
    }
}
