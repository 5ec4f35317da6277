//! PDF reader (text layer): positioned characters and ruling lines from
//! `pdf_oxide`, the grid built here.
//!
//! Why `pdf_oxide`: measured on the repository's LibreOffice exports and on
//! hostile inputs (see the README), it decodes CJK fonts through ToUnicode
//! and predefined CMaps, gives every glyph's box and every path in page
//! space, is pure Rust (no PDFium binary, thread-safe, so it runs on the
//! batch's rayon workers) and returns errors rather than panicking on
//! damaged files. Its own table extractor is not used: tables come from the
//! ruling lines ([`lattice`]), with a fallback for borderless tables
//! ([`stream`]); pages are joined in [`pages`].
//!
//! Failures name their reason: a PDF whose pages carry no characters at all
//! is "no text layer: scanned image" when it holds images (OCR is out of
//! scope), a PDF that needs a password is [`encrypted()`] (one
//! with only an owner password, the common case, is read), and the
//! limits in [`Limits`] (pages, objects, inflated stream bytes, glyphs per
//! page) refuse a file before it can exhaust memory ([`limits`]).

mod chars;
mod frame;
mod lattice;
mod limits;
mod pages;
mod stream;
mod strike;

use super::{ErrorKind, Format, FormatReader, Limits, Probe, ReadCtx, ReadError};
use crate::document::Document;
use pdf_oxide::PdfDocument;

const FORMAT: &str = "PDF";

/// The PDF entry of the reader registry.
pub(crate) struct PdfReader;

impl FormatReader for PdfReader {
    fn format(&self) -> Format {
        Format::Pdf
    }

    /// `%PDF-` at the start, after an optional BOM and white space (some web
    /// servers prepend a line break to every download).
    fn sniff(&self, probe: &Probe<'_>) -> bool {
        let rest = probe
            .bytes
            .strip_prefix(b"\xEF\xBB\xBF")
            .unwrap_or(probe.bytes);
        rest.trim_ascii_start().starts_with(b"%PDF-")
    }

    fn read(&self, bytes: &[u8], ctx: &mut ReadCtx<'_>) -> Result<Document, ReadError> {
        read(bytes, ctx.limits)
    }
}

/// Reads the text layer of a PDF into a [`Document`] (the read stage's
/// `catch_unwind` turns a panic inside the PDF library into a failed file).
pub(crate) fn read(bytes: &[u8], limits: &Limits) -> Result<Document, ReadError> {
    limits::preflight(bytes, limits)?;
    let doc = PdfDocument::from_bytes(bytes.to_vec()).map_err(open_error)?;
    if doc.is_encrypted() && !doc.authenticate(b"").unwrap_or(false) {
        return Err(encrypted());
    }
    let count = doc
        .page_count()
        .map_err(|e| ReadError::corrupt(FORMAT, e))?;
    if count as u64 > limits.max_pdf_pages {
        return Err(ReadError::over_limit(format!(
            "PDF has {count} pages, the limit is {}",
            limits.max_pdf_pages
        )));
    }
    let mut pages = Vec::with_capacity(count);
    let mut glyphs = 0usize;
    for index in 0..count {
        let (page, on_page) = read_page(&doc, index, limits)?;
        glyphs += on_page;
        pages.push(page);
    }
    if glyphs == 0 {
        return Err(no_text_layer(&doc, count));
    }
    pages::drop_headers_footers(&mut pages);
    let pages = pages
        .into_iter()
        .map(|mut p| {
            let lines = std::mem::take(&mut p.lines);
            let items = stream::find_tables(lines, p.number);
            (p, items)
        })
        .collect();
    Ok(pages::assemble(pages))
}

/// Extracts one page: glyphs, ruled tables (their glyphs taken out), and the
/// remaining glyphs as lines; and how many glyphs the page has.
fn read_page(
    doc: &PdfDocument,
    index: usize,
    limits: &Limits,
) -> Result<(pages::Page, usize), ReadError> {
    let content = doc.get_page_content_data(index).unwrap_or_default();
    limits::check_glyphs(index, limits::glyph_bound(&content), limits)?;
    drop(content);
    let raw = doc
        .extract_chars(index)
        .map_err(|e| ReadError::corrupt(FORMAT, format!("page {}: {e}", index + 1)))?;
    limits::check_glyphs(index, raw.len() as u64, limits)?;
    let mut glyphs = chars::from_text_chars(&raw);
    let count = glyphs.len();
    drop(raw);
    let paths = doc.extract_paths(index).unwrap_or_default();
    let (mut h, v) = lattice::segments(&paths);
    drop(paths);
    strike::drop_struck(&mut h, &mut glyphs);
    let number = index as u32 + 1;
    let mut tables = Vec::new();
    // A page of more hairlines than any table has is art, not a table.
    if h.len() + v.len() <= lattice::MAX_SEGMENTS {
        let mut components = lattice::components(&h, &v);
        components.sort_by(|a, b| lattice::area(a).total_cmp(&lattice::area(b)));
        for (th, tv) in components {
            tables.extend(lattice::build(&th, &tv, &mut glyphs, number));
        }
    }
    let (_, y_min, _, y_max) = doc
        .get_page_media_box(index)
        .ok()
        .filter(|b| [b.0, b.1, b.2, b.3].iter().all(|v| v.is_finite()))
        .unwrap_or((0.0, 0.0, 612.0, 792.0));
    let page = pages::Page {
        number,
        y_min: y_min.min(y_max),
        y_max: y_max.max(y_min),
        lines: chars::lines(&glyphs),
        tables,
    };
    Ok((page, count))
}

/// No page has a character: a scan (pages of images) or an empty document.
fn no_text_layer(doc: &PdfDocument, count: usize) -> ReadError {
    let images = (0..count).any(|i| {
        doc.extract_images(i)
            .map(|v| !v.is_empty())
            .unwrap_or(false)
    });
    ReadError::no_text_layer(if images {
        "scanned image"
    } else {
        "no text on any page"
    })
}

fn encrypted() -> ReadError {
    ReadError::new(
        ErrorKind::Encrypted,
        "encrypted PDF: needs a password to open",
    )
}

fn open_error(e: pdf_oxide::Error) -> ReadError {
    let msg = e.to_string();
    if msg.to_ascii_lowercase().contains("password") || msg.to_ascii_lowercase().contains("encrypt")
    {
        encrypted()
    } else {
        ReadError::corrupt(FORMAT, msg)
    }
}
