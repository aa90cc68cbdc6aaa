//! UI strings in every supported language, from the theme's i18n/*.yaml files
//! (`key: { zh-CN: "…", en: "…" }`), merged file by file.

use std::collections::BTreeMap;
use std::path::Path;

use super::theme::Theme;
use crate::config::Language;
use crate::diagnostic::Diagnostic;
use crate::yaml;

/// The strings for one language. A key missing in that language falls back
/// to Chinese, then English, so a page never shows an empty label.
pub fn strings(
    theme: &Theme,
    language: Language,
) -> Result<BTreeMap<String, String>, Vec<Diagnostic>> {
    let mut out = BTreeMap::new();
    let mut errors = Vec::new();
    for (name, file) in theme.under("i18n") {
        if !name.ends_with(".yaml") && !name.ends_with(".yml") {
            continue;
        }
        let text = String::from_utf8_lossy(&file.bytes);
        match yaml::parse::<BTreeMap<String, BTreeMap<String, String>>>(
            &text,
            Path::new(&file.origin),
            0,
        ) {
            Ok((table, _)) => {
                for (key, langs) in table {
                    let value = langs
                        .get(language.code())
                        .or_else(|| langs.get("zh-CN"))
                        .or_else(|| langs.get("en"))
                        .cloned()
                        .unwrap_or_default();
                    out.insert(key, value);
                }
            }
            Err(d) => errors.push(d),
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}
