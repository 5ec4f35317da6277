//! Readers turn the bytes of one file into a [`Document`]. Each format is
//! one [`FormatReader`] in [`REGISTRY`], picked by content (never by file
//! name: archives are full of `.docx` files that are really HTML error pages
//! or legacy `.doc`).
//!
//! [`read_document`] does the cross-cutting work once, so no reader can skip
//! it: the empty and size checks, one [`Probe`] of the bytes (head, ZIP entry
//! names, OLE stream names), dispatch, one `catch_unwind` (a panic in a
//! dependency fails this file, never the batch), and [`Document::finish`].
//!
//! Adding a format is one file with a `FormatReader` impl plus one line in
//! [`REGISTRY`].

pub(crate) mod container;
pub(crate) mod decode;
mod detect;
pub(crate) mod doc;
pub(crate) mod docx;
mod error;
pub(crate) mod html;
#[cfg(feature = "pdf")]
pub(crate) mod pdf;
pub(crate) mod spreadsheet;
pub(crate) mod text;
pub(crate) mod whitespace;

use crate::document::Document;
pub use detect::Format;
pub(crate) use detect::Probe;
pub use error::{ErrorKind, ReadError};

/// Size limits that keep one hostile file from exhausting the machine. They
/// are documented in the README ("Limits"), with the input behind each.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Largest input file read at all.
    pub max_file_bytes: u64,
    /// Largest total inflated size of the ZIP entries a reader opens.
    pub max_inflated_bytes: u64,
    /// Most entries a ZIP container may list.
    pub max_zip_entries: usize,
    /// Deepest element nesting followed in HTML/XML.
    pub max_depth: usize,
    /// Widest table, in grid columns (spans clamped, cells beyond refused or
    /// kept in the last cell, as each reader documents).
    pub max_table_cols: usize,
    /// Longest table, in grid rows (a longer text table continues as the
    /// next table; spreadsheet cells beyond refuse the file).
    pub max_table_rows: usize,
    /// Grid positions of all tables of one file (one sheet for workbooks).
    pub max_grid_positions: usize,
    /// Text copied into the positions merged cells cover, per file.
    pub max_grid_text_bytes: usize,
    /// Most pages read from one PDF.
    pub max_pdf_pages: u64,
    /// Most objects a PDF may hold (object headers plus object-stream counts).
    pub max_pdf_objects: u64,
    /// Most bytes all of a PDF's compressed streams may inflate to, together.
    pub max_pdf_stream_bytes: u64,
    /// Most glyphs shown on one PDF page.
    pub max_pdf_glyphs_per_page: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_file_bytes: 64 * 1024 * 1024,
            max_inflated_bytes: 256 * 1024 * 1024,
            max_zip_entries: 10_000,
            max_depth: 256,
            max_table_cols: 256,
            max_table_rows: 10_000,
            max_grid_positions: 4_000_000,
            max_grid_text_bytes: 128 * 1024 * 1024,
            max_pdf_pages: 2_000,
            max_pdf_objects: 1_000_000,
            max_pdf_stream_bytes: 256 * 1024 * 1024,
            max_pdf_glyphs_per_page: 200_000,
        }
    }
}

/// What a reader gets besides the bytes: the limits, and a place for notes
/// about what it had to trim or guess (they become report diagnostics).
pub struct ReadCtx<'a> {
    pub limits: &'a Limits,
    notes: Vec<String>,
}

impl ReadCtx<'_> {
    /// Records that the reader trimmed or guessed something the user should
    /// know about (a clipped table, a formula without a cached value ...).
    pub fn note(&mut self, note: impl Into<String>) {
        self.notes.push(note.into());
    }
}

/// One format's reader. `sniff` sees the [`Probe`] computed once per file;
/// `read` gets bytes its own `sniff` accepted (or that a caller forced with
/// [`read_as`]), and must return a [`Document`] or a [`ReadError`] for every
/// input, within the [`Limits`].
pub(crate) trait FormatReader: Sync {
    fn format(&self) -> Format;
    fn sniff(&self, probe: &Probe<'_>) -> bool;
    fn read(&self, bytes: &[u8], ctx: &mut ReadCtx<'_>) -> Result<Document, ReadError>;
}

/// Every reader, most specific first: containers before markup, markup
/// before plain text (the text reader accepts whatever is not binary).
pub(crate) static REGISTRY: &[&dyn FormatReader] = &[
    &docx::DocxReader,
    &doc::DocReader,
    &spreadsheet::XlsxReader,
    &spreadsheet::OdsReader,
    &spreadsheet::XlsReader,
    #[cfg(feature = "pdf")]
    &pdf::PdfReader,
    &html::HtmlReader,
    &text::TextReader,
];

fn reader_for(format: Format) -> Option<&'static dyn FormatReader> {
    REGISTRY.iter().copied().find(|r| r.format() == format)
}

/// Detects the format of `bytes` and reads them into a [`Document`].
pub fn read_document(bytes: &[u8], limits: &Limits) -> Result<(Format, Document), ReadError> {
    let probe = probe(bytes, limits)?;
    let reader = match REGISTRY.iter().copied().find(|r| r.sniff(&probe)) {
        Some(reader) => reader,
        None => return Err(detect::refusal(&probe)),
    };
    let format = reader.format();
    let doc = run(reader, bytes, limits).map_err(|e| e.in_format(format))?;
    Ok((format, doc))
}

/// Reads `bytes` as `format`, whatever they look like (tests, benches and
/// callers that already know the format). Bytes that are not of that format
/// are refused with what they are instead.
pub fn read_as(format: Format, bytes: &[u8], limits: &Limits) -> Result<Document, ReadError> {
    let probe = probe(bytes, limits).map_err(|e| e.in_format(format))?;
    let reader = reader_for(format)
        .ok_or_else(|| ReadError::unsupported(format!("no reader for {}", format.as_str())))?;
    if !reader.sniff(&probe) {
        let what = match REGISTRY.iter().find(|r| r.sniff(&probe)) {
            Some(other) => other.format().as_str().to_uppercase(),
            None => return Err(detect::refusal(&probe).in_format(format)),
        };
        return Err(ReadError::unsupported(format!(
            "{what} content, not a {} file",
            format.as_str().to_uppercase()
        ))
        .in_format(format));
    }
    run(reader, bytes, limits).map_err(|e| e.in_format(format))
}

/// The checks every file gets before any reader looks at it.
fn probe<'b>(bytes: &'b [u8], limits: &Limits) -> Result<Probe<'b>, ReadError> {
    if bytes.is_empty() {
        return Err(ReadError::empty());
    }
    if bytes.len() as u64 > limits.max_file_bytes {
        return Err(ReadError::over_limit(format!(
            "file is {} bytes, the limit is {} bytes",
            bytes.len(),
            limits.max_file_bytes
        )));
    }
    Probe::new(bytes, limits)
}

/// Runs one reader inside the one `catch_unwind` of the read stage, then
/// finishes the Document (reader notes attached).
fn run(reader: &dyn FormatReader, bytes: &[u8], limits: &Limits) -> Result<Document, ReadError> {
    let mut ctx = ReadCtx {
        limits,
        notes: Vec::new(),
    };
    let read = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        reader.read(bytes, &mut ctx)
    }));
    let mut doc = match read {
        Ok(result) => result?,
        Err(payload) => {
            return Err(ReadError::panic(format!(
                "{} reader: {}",
                reader.format().as_str().to_uppercase(),
                panic_message(payload.as_ref())
            )))
        }
    };
    doc.notes.append(&mut ctx.notes);
    Ok(doc)
}

/// The text of a panic payload (`panic!` gives `&str` or `String`).
pub(crate) fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".into())
}
