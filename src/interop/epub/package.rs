//! The EPUB container: the package document (metadata, manifest, spine),
//! the navigation document, and the zip that holds them.
//!
//! The bytes depend on the course alone: files are stored in sorted order
//! (the `mimetype` file first and uncompressed, as OCF requires) with a
//! fixed timestamp, the identifier is derived from the course's title,
//! author and language (an e-reader keeps its place across new editions),
//! and `dcterms:modified` is `SOURCE_DATE_EPOCH` when set, else a fixed date.

use std::io::{Cursor, Write};

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

use super::xhtml::{escape, href};

/// One file of the book, its path relative to the content folder `OEBPS/`.
pub struct Item {
    pub path: String,
    pub media_type: &'static str,
    pub bytes: Vec<u8>,
    /// In the reading order (the spine), at this position.
    pub spine: Option<usize>,
    /// OPF `properties` (`nav`).
    pub properties: Option<&'static str>,
}

/// The book's metadata.
pub struct Metadata<'a> {
    pub title: &'a str,
    pub language: &'a str,
    pub author: Option<&'a str>,
    pub description: Option<&'a str>,
}

/// A navigation entry: a title, its document (None: a heading only) and
/// the entries under it.
pub struct NavEntry {
    pub title: String,
    pub href: Option<String>,
    pub children: Vec<NavEntry>,
}

/// The navigation document (`nav.xhtml`): the table of contents as nested
/// lists, as deep as the course's sections go.
pub fn nav_document(meta: &Metadata, heading: &str, entries: &[NavEntry]) -> String {
    fn list(entries: &[NavEntry], depth: usize, out: &mut String) {
        let pad = "  ".repeat(depth + 2);
        out.push_str(&format!("{pad}<ol>\n"));
        for e in entries {
            let label = match &e.href {
                Some(href) => format!("<a href=\"{}\">{}</a>", escape(href), escape(&e.title)),
                None => format!("<span>{}</span>", escape(&e.title)),
            };
            out.push_str(&format!("{pad}  <li>{label}"));
            if !e.children.is_empty() {
                out.push('\n');
                list(&e.children, depth + 2, out);
                out.push_str(&format!("{pad}  "));
            }
            out.push_str("</li>\n");
        }
        out.push_str(&format!("{pad}</ol>\n"));
    }
    let mut body = String::new();
    list(entries, 0, &mut body);
    format!(
        "{}<body>\n  <nav epub:type=\"toc\" id=\"toc\">\n    <h1>{}</h1>\n{body}  </nav>\n</body>\n</html>\n",
        document_head(meta.language, heading, ""),
        escape(heading)
    )
}

/// The start of an XHTML document up to `<body>`; `stylesheet` is the
/// relative path of the book's stylesheet (none when empty).
pub fn document_head(language: &str, title: &str, stylesheet: &str) -> String {
    let link = if stylesheet.is_empty() {
        String::new()
    } else {
        format!(
            "  <link rel=\"stylesheet\" type=\"text/css\" href=\"{}\" />\n",
            escape(stylesheet)
        )
    };
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" xmlns:epub=\"http://www.idpf.org/2007/ops\" xml:lang=\"{0}\" lang=\"{0}\">\n<head>\n  <meta charset=\"UTF-8\" />\n  <title>{1}</title>\n{link}</head>\n",
        escape(language),
        escape(title)
    )
}

/// The package document (`content.opf`).
fn package_document(meta: &Metadata, items: &[Item]) -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<package xmlns=\"http://www.idpf.org/2007/opf\" version=\"3.0\" unique-identifier=\"book-id\"",
    );
    out.push_str(&format!(" xml:lang=\"{}\">\n", escape(meta.language)));
    out.push_str("  <metadata xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\n");
    out.push_str(&format!(
        "    <dc:identifier id=\"book-id\">{}</dc:identifier>\n",
        identifier(meta)
    ));
    out.push_str(&format!(
        "    <dc:title>{}</dc:title>\n",
        escape(meta.title)
    ));
    out.push_str(&format!(
        "    <dc:language>{}</dc:language>\n",
        escape(meta.language)
    ));
    if let Some(author) = meta.author.filter(|a| !a.trim().is_empty()) {
        out.push_str(&format!(
            "    <dc:creator>{}</dc:creator>\n",
            escape(author)
        ));
    }
    if let Some(d) = meta.description.filter(|d| !d.trim().is_empty()) {
        out.push_str(&format!(
            "    <dc:description>{}</dc:description>\n",
            escape(d)
        ));
    }
    out.push_str(&format!(
        "    <meta property=\"dcterms:modified\">{}</meta>\n",
        modified()
    ));
    out.push_str("  </metadata>\n  <manifest>\n");
    for (i, item) in items.iter().enumerate() {
        let properties = item
            .properties
            .map(|p| format!(" properties=\"{p}\""))
            .unwrap_or_default();
        out.push_str(&format!(
            "    <item id=\"f{}\" href=\"{}\" media-type=\"{}\"{properties} />\n",
            i + 1,
            escape(&href(&item.path)),
            item.media_type
        ));
    }
    out.push_str("  </manifest>\n  <spine>\n");
    let mut spine: Vec<(usize, usize)> = items
        .iter()
        .enumerate()
        .filter_map(|(i, item)| item.spine.map(|at| (at, i)))
        .collect();
    spine.sort();
    for (_, i) in spine {
        out.push_str(&format!("    <itemref idref=\"f{}\" />\n", i + 1));
    }
    out.push_str("  </spine>\n</package>\n");
    out
}

/// `urn:uuid:` of a UUID (version 8: made by lectern's own rule) from two
/// FNV-1a hashes of the course's title, author and language.
fn identifier(meta: &Metadata) -> String {
    let key = format!(
        "{}\u{0}{}\u{0}{}",
        meta.title,
        meta.author.unwrap_or_default(),
        meta.language
    );
    let fnv = |seed: u64| {
        let mut h: u64 = 0xcbf2_9ce4_8422_2325 ^ seed;
        for b in key.bytes() {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
        h
    };
    let mut bytes = [0u8; 16];
    bytes[..8].copy_from_slice(&fnv(0).to_be_bytes());
    bytes[8..].copy_from_slice(&fnv(0x9e37_79b9_7f4a_7c15).to_be_bytes());
    bytes[6] = (bytes[6] & 0x0f) | 0x80;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!(
        "urn:uuid:{}-{}-{}-{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..]
    )
}

/// `SOURCE_DATE_EPOCH` (the reproducible-builds convention) as an ISO date,
/// else a fixed one: the same course gives the same bytes.
fn modified() -> String {
    let seconds = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .filter(|s| *s >= 0)
        .unwrap_or(946_684_800); // 2000-01-01T00:00:00Z
    let days = seconds.div_euclid(86_400);
    let rem = seconds.rem_euclid(86_400);
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

const CONTAINER: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<container version=\"1.0\" xmlns=\"urn:oasis:names:tc:opendocument:xmlns:container\">\n  <rootfiles>\n    <rootfile full-path=\"OEBPS/content.opf\" media-type=\"application/oebps-package+xml\" />\n  </rootfiles>\n</container>\n";

/// The book as the bytes of an EPUB file. `items` are sorted by path here.
pub fn zip(meta: &Metadata, mut items: Vec<Item>) -> std::io::Result<Vec<u8>> {
    items.sort_by(|a, b| a.path.cmp(&b.path));
    let opf = package_document(meta, &items);
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    let time = DateTime::default();
    let stored = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Stored)
        .last_modified_time(time)
        .unix_permissions(0o644);
    let deflated = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .last_modified_time(time)
        .unix_permissions(0o644);
    zip.start_file("mimetype", stored)?;
    zip.write_all(b"application/epub+zip")?;
    zip.start_file("META-INF/container.xml", deflated)?;
    zip.write_all(CONTAINER.as_bytes())?;
    zip.start_file("OEBPS/content.opf", deflated)?;
    zip.write_all(opf.as_bytes())?;
    for item in &items {
        // Images are compressed already.
        let options = if item.media_type.starts_with("image/") && item.media_type != "image/svg+xml"
        {
            stored
        } else {
            deflated
        };
        zip.start_file(format!("OEBPS/{}", item.path), options)?;
        zip.write_all(&item.bytes)?;
    }
    Ok(zip.finish()?.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_identifiers_are_fixed() {
        if std::env::var_os("SOURCE_DATE_EPOCH").is_none() {
            assert_eq!(modified(), "2000-01-01T00:00:00Z");
        }
        let meta = Metadata {
            title: "客户服务实务",
            language: "zh-CN",
            author: None,
            description: None,
        };
        let id = identifier(&meta);
        assert_eq!(id, identifier(&meta));
        assert_eq!(id.len(), "urn:uuid:".len() + 36);
        assert_eq!(&id[9 + 14..9 + 15], "8");
    }
}
