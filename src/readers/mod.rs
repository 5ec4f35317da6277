//! Readers turn the bytes of one file into a [`Document`]. One module per
//! format, all behind [`read_document`], which picks the reader by content
//! (never by file name alone: archives are full of `.docx` files that are
//! really HTML error pages or legacy `.doc`).

pub mod decode;
pub mod detect;
pub mod docx;
pub mod html;
#[cfg(feature = "pdf")]
mod pdf;
pub mod spreadsheet;
pub mod text;

use crate::document::Document;
pub use detect::{detect_format, Format};

/// Why a file could not be read. Every variant's message names the reason in
/// words a researcher can act on; the caller adds the file name.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("empty file")]
    Empty,
    #[error("legacy Word 97-2003 .doc: not supported; save as .docx")]
    LegacyDoc,
    #[error("encrypted or password-protected Office file: cannot be read")]
    Encrypted,
    #[error("encrypted PDF: needs a password to open")]
    EncryptedPdf,
    /// A PDF whose pages carry no characters (OCR is out of scope).
    #[error("no text layer: {0}")]
    NoTextLayer(String),
    #[error("unsupported format: {0}")]
    Unsupported(String),
    #[error("corrupt {format} file: {reason}")]
    Corrupt {
        format: &'static str,
        reason: String,
    },
    #[error("over the limit: {0}")]
    TooLarge(String),
    #[error("reader panicked: {0}")]
    Panic(String),
}

impl ReadError {
    pub fn corrupt(format: &'static str, reason: impl std::fmt::Display) -> Self {
        ReadError::Corrupt {
            format,
            reason: reason.to_string(),
        }
    }
}

/// Size limits that keep one hostile file from exhausting the machine. They
/// are documented in the README; each reader enforces the ones that apply.
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
            max_pdf_pages: 2_000,
            max_pdf_objects: 1_000_000,
            max_pdf_stream_bytes: 256 * 1024 * 1024,
            max_pdf_glyphs_per_page: 200_000,
        }
    }
}

/// Detects the format of `bytes` and reads them into a [`Document`].
pub fn read_document(bytes: &[u8], limits: &Limits) -> Result<(Format, Document), ReadError> {
    if bytes.is_empty() {
        return Err(ReadError::Empty);
    }
    if bytes.len() as u64 > limits.max_file_bytes {
        return Err(ReadError::TooLarge(format!(
            "file is {} bytes, the limit is {} bytes",
            bytes.len(),
            limits.max_file_bytes
        )));
    }
    // Before detection opens a ZIP container (which allocates per entry).
    if bytes.starts_with(b"PK") {
        if let Some(entries) =
            detect::declared_zip_entries(bytes).filter(|&n| n > limits.max_zip_entries as u64)
        {
            return Err(ReadError::TooLarge(format!(
                "ZIP container lists {entries} entries, the limit is {}",
                limits.max_zip_entries
            )));
        }
    }
    let format = detect_format(bytes)?;
    let doc = match format {
        Format::Txt => text::read(bytes)?,
        Format::Html => html::read(bytes, limits)?,
        Format::Docx => docx::read(bytes, limits)?,
        Format::Xlsx | Format::Xls | Format::Ods => spreadsheet::read(bytes, format, limits)?,
        #[cfg(feature = "pdf")]
        Format::Pdf => pdf::read(bytes, limits)?,
    };
    Ok((format, doc))
}
