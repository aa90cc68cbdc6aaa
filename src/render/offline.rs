//! The installable offline site's fixed files: the web app manifest and the
//! app icons, drawn at build time (PNG through the `png` crate, and an SVG).
//! The service worker itself is made last, from every file of the build
//! (`pipeline::offline`), because its precache list must name them all.

use crate::config::Config;
use crate::generated::{STATIC_DIR, WEB_MANIFEST};
use crate::render::OutputFile;

/// The theme's accent colour (style.css `--accent`), the app's theme colour.
pub const THEME_COLOUR: &str = "#0b6bcb";
const THEME_RGB: [u8; 3] = [0x0b, 0x6b, 0xcb];
pub const BACKGROUND_COLOUR: &str = "#ffffff";

/// Where the icons go, under static/.
pub fn icon_url(name: &str) -> String {
    format!("{STATIC_DIR}/icons/{name}")
}

/// The manifest and its icons.
pub fn files(config: &Config) -> Vec<OutputFile> {
    let mut files = vec![
        OutputFile::new(icon_url("icon.svg"), svg_icon()),
        OutputFile::new(icon_url("icon-192.png"), png_icon(192, false)),
        OutputFile::new(icon_url("icon-512.png"), png_icon(512, false)),
        OutputFile::new(icon_url("icon-maskable-512.png"), png_icon(512, true)),
    ];
    files.push(OutputFile::new(WEB_MANIFEST, web_manifest(config)));
    files
}

/// The web app manifest: every URL in it is relative to the manifest, which
/// sits at the site's root, so the same file works at a root and under a
/// sub-path (the scope is the folder the site is in).
fn web_manifest(config: &Config) -> String {
    let short: String = config.title.chars().take(12).collect();
    let icon = |name: &str, size: &str, kind: &str, purpose: &str| serde_json::json!({"src": icon_url(name), "sizes": size, "type": kind, "purpose": purpose});
    let manifest = serde_json::json!({
        "name": config.title,
        "short_name": short,
        "description": config.description.clone().or_else(|| config.subtitle.clone()).unwrap_or_default(),
        "lang": config.language.code(),
        "dir": "ltr",
        "start_url": "./index.html",
        "scope": "./",
        "display": "standalone",
        "theme_color": THEME_COLOUR,
        "background_color": BACKGROUND_COLOUR,
        "icons": [
            icon("icon-192.png", "192x192", "image/png", "any"),
            icon("icon-512.png", "512x512", "image/png", "any"),
            icon("icon-maskable-512.png", "512x512", "image/png", "maskable"),
            icon("icon.svg", "any", "image/svg+xml", "any"),
        ],
    });
    serde_json::to_string_pretty(&manifest).unwrap_or_default() + "\n"
}

/// The same open book as the pages' inline favicon (base.html).
fn svg_icon() -> String {
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 32 32\"><rect width=\"32\" height=\"32\" rx=\"6\" fill=\"{THEME_COLOUR}\"/><path d=\"M8 9h7a3 3 0 0 1 3 3v12a3 3 0 0 0-3-3H8zM24 9h-3a3 3 0 0 0-3 3v12a3 3 0 0 1 3-3h3z\" fill=\"#fff\"/></svg>\n"
    )
}

/// Whether the point (x, y) of the 32×32 design is inside the white book.
fn in_book(x: f32, y: f32) -> bool {
    // Two pages meeting at the spine (x = 16), their lower edges bending
    // down towards it, as an open book seen from the front.
    let sag = |d: f32| 2.5 * (1.0 - d / 8.5).max(0.0);
    let page = |d: f32| (0.6..=8.5).contains(&d) && y >= 9.0 + sag(d) * 0.4 && y <= 22.0 + sag(d);
    page(16.0 - x) || page(x - 16.0)
}

/// Whether (x, y) is inside the rounded square (corner radius 6 of 32).
fn in_rounded_square(x: f32, y: f32) -> bool {
    let r = 6.0;
    let cx = x.clamp(r, 32.0 - r);
    let cy = y.clamp(r, 32.0 - r);
    (x - cx).powi(2) + (y - cy).powi(2) <= r * r
}

/// A square PNG icon of `size` pixels, antialiased by 4×4 supersampling.
/// A maskable icon fills the whole square (the platform cuts its own shape)
/// and keeps the book inside the central safe zone.
fn png_icon(size: u32, maskable: bool) -> Vec<u8> {
    let mut rgba = Vec::with_capacity((size * size * 4) as usize);
    let scale = 32.0 / size as f32;
    // The maskable safe zone is the central 80 %: the book shrinks to fit.
    let (zoom, shift) = if maskable {
        (1.0 / 0.7, -16.0 * (1.0 / 0.7 - 1.0))
    } else {
        (1.0, 0.0)
    };
    for py in 0..size {
        for px in 0..size {
            let (mut bg, mut book) = (0u32, 0u32);
            for sy in 0..4 {
                for sx in 0..4 {
                    let x = (px as f32 + (sx as f32 + 0.5) / 4.0) * scale;
                    let y = (py as f32 + (sy as f32 + 0.5) / 4.0) * scale;
                    if maskable || in_rounded_square(x, y) {
                        bg += 1;
                        if in_book(x * zoom + shift, y * zoom + shift) {
                            book += 1;
                        }
                    }
                }
            }
            // Colour: the book's white over the accent, in proportion.
            let mix = |c: u8| ((c as u32 * (bg - book) + 255 * book) / bg.max(1)) as u8;
            rgba.extend_from_slice(&[
                mix(THEME_RGB[0]),
                mix(THEME_RGB[1]),
                mix(THEME_RGB[2]),
                (bg * 255 / 16) as u8,
            ]);
        }
    }
    let mut out = Vec::new();
    {
        let mut encoder = png::Encoder::new(&mut out, size, size);
        encoder.set_color(png::ColorType::Rgba);
        encoder.set_depth(png::BitDepth::Eight);
        // Writing into memory cannot fail; an empty icon would only be ugly.
        if let Ok(mut writer) = encoder.write_header() {
            let _ = writer.write_image_data(&rgba);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn icons_are_pngs_of_their_size_and_deterministic() {
        let a = png_icon(192, false);
        assert_eq!(&a[1..4], b"PNG");
        let decoder = png::Decoder::new(std::io::Cursor::new(a.clone()));
        let reader = decoder.read_info().unwrap();
        assert_eq!(reader.info().width, 192);
        assert_eq!(a, png_icon(192, false));
    }

    #[test]
    fn manifest_is_relative_to_its_folder() {
        let config: Config =
            serde_yaml::from_str("title: 客户服务实务\nlanguage: zh-CN\n").unwrap();
        let m: serde_json::Value = serde_json::from_str(&web_manifest(&config)).unwrap();
        assert_eq!(m["scope"], "./");
        assert_eq!(m["start_url"], "./index.html");
        assert_eq!(m["lang"], "zh-CN");
        assert_eq!(m["icons"][0]["src"], "static/icons/icon-192.png");
    }
}
