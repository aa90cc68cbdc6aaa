//! Links in a page rewritten while it renders: a link to a `.md` source
//! becomes a link to its built page, a link to a file follows the file to
//! where it is copied.

use std::collections::HashMap;

use super::paths::{percent_decode, relative_url, resolve};
use crate::markdown::{LinkRef, LinkRewriter};

/// Rewrites links to `.md` files into links to their built pages.
pub struct SiteLinks<'a> {
    pub from: &'a str,
    pub from_url: &'a str,
    pub url_of: &'a HashMap<&'a str, &'a str>,
    pub assets: &'a HashMap<&'a str, &'a str>,
}

pub fn is_external(dest: &str) -> bool {
    dest.starts_with('/')
        || dest.starts_with("//")
        || dest.contains("://")
        || dest.starts_with("mailto:")
        || dest.starts_with("tel:")
        || dest.starts_with("data:")
        || dest.starts_with("javascript:")
}

pub fn split_anchor(dest: &str) -> (&str, Option<&str>) {
    match dest.split_once('#') {
        Some((p, a)) => (p, Some(a)),
        None => (dest, None),
    }
}

impl LinkRewriter for SiteLinks<'_> {
    fn rewrite(&self, link: &LinkRef) -> Option<String> {
        if is_external(&link.dest) {
            return None;
        }
        let (path, anchor) = split_anchor(&link.dest);
        if !path.ends_with(".md") {
            // Assets move with their folder, whose numeric prefix is dropped.
            let target_rel = resolve(self.from, &percent_decode(path))?;
            return self
                .assets
                .get(target_rel.as_str())
                .map(|url| relative_url(self.from_url, url));
        }
        let target_rel = resolve(self.from, &percent_decode(path))?;
        let target_url = self.url_of.get(target_rel.as_str())?;
        let mut out = relative_url(self.from_url, target_url);
        if let Some(a) = anchor {
            out.push('#');
            out.push_str(a);
        }
        Some(out)
    }
}
