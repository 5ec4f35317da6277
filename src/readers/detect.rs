//! Content sniffing: what a file is, whatever its name says. The [`Probe`]
//! is computed once per file and shared by every reader's `sniff`; what no
//! reader claims gets a [`refusal`] that says what the file is instead.

use super::container::zip::Zip;
use super::{Limits, ReadError};
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Txt,
    Html,
    Docx,
    Xlsx,
    Xls,
    Ods,
    #[cfg(feature = "pdf")]
    Pdf,
}

impl Format {
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Txt => "txt",
            Format::Html => "html",
            Format::Docx => "docx",
            Format::Xlsx => "xlsx",
            Format::Xls => "xls",
            Format::Ods => "ods",
            #[cfg(feature = "pdf")]
            Format::Pdf => "pdf",
        }
    }
}

const ZIP_MAGIC: &[u8] = b"PK\x03\x04";
const OLE_MAGIC: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// What the readers' `sniff` look at: the bytes, and for a ZIP container
/// the entry names (listed once, through the bounded [`Zip`]).
pub(crate) struct Probe<'a> {
    pub(crate) bytes: &'a [u8],
    zip_names: Option<Vec<String>>,
    ole: bool,
}

impl<'a> Probe<'a> {
    /// Fails only for a ZIP container that cannot be opened (damaged, or
    /// over the entry limit): no reader could read it.
    pub(crate) fn new(bytes: &'a [u8], limits: &Limits) -> Result<Self, ReadError> {
        let zip_names = if bytes.starts_with(ZIP_MAGIC) || bytes.starts_with(b"PK\x05\x06") {
            let zip = Zip::open(bytes, limits, "ZIP")?;
            Some(zip.names().map(str::to_string).collect())
        } else {
            None
        };
        Ok(Probe {
            bytes,
            zip_names,
            ole: bytes.starts_with(OLE_MAGIC),
        })
    }

    /// Whether the bytes are a ZIP container holding entry `name`.
    pub(crate) fn zip_has(&self, name: &str) -> bool {
        self.zip_names
            .as_ref()
            .is_some_and(|names| names.iter().any(|n| n == name))
    }

    /// Whether the bytes are an OLE compound file whose directory names a
    /// stream `name`. Directory names are UTF-16: looking for them is
    /// enough to tell .doc, .xls and encrypted OOXML apart without parsing.
    pub(crate) fn ole_has(&self, name: &str) -> bool {
        if !self.ole {
            return false;
        }
        let needle: Vec<u8> = name.encode_utf16().flat_map(u16::to_le_bytes).collect();
        self.bytes
            .windows(needle.len())
            .any(|w| w == needle.as_slice())
    }

    /// Not a container and not binary: text in some encoding (HTML or not).
    pub(crate) fn is_text(&self) -> bool {
        self.zip_names.is_none()
            && !self.ole
            && !KNOWN_BINARY
                .iter()
                .any(|(magic, _)| self.bytes.starts_with(magic))
            && !looks_binary(self.bytes)
    }

    /// Text whose head is HTML markup.
    pub(crate) fn is_html(&self) -> bool {
        self.is_text() && looks_like_html(self.bytes)
    }
}

/// Formats recognised by their first bytes that no reader reads (yet).
const KNOWN_BINARY: &[(&[u8], &str)] = &[
    // With the `pdf` feature the PDF reader claims these first.
    (
        b"%PDF",
        "PDF: this build has no PDF reader (cargo feature \"pdf\")",
    ),
    (b"{\\rtf", "RTF document: not supported; save as .docx"),
];

/// Why no reader claims these bytes, in words a researcher can act on.
pub(crate) fn refusal(probe: &Probe<'_>) -> ReadError {
    if probe.zip_names.is_some() {
        return if probe.zip_has("xl/workbook.bin") {
            ReadError::unsupported("XLSB workbook: not supported; save as .xlsx")
        } else {
            ReadError::unsupported("ZIP archive that is no Word or spreadsheet document")
        };
    }
    if probe.ole {
        return if probe.ole_has("EncryptedPackage") {
            ReadError::encrypted()
        } else if probe.ole_has("WordDocument") {
            ReadError::legacy("legacy Word 97-2003 .doc: not supported; save as .docx")
        } else {
            ReadError::unsupported("OLE compound file that is no Word or Excel document")
        };
    }
    if let Some((_, what)) = KNOWN_BINARY
        .iter()
        .find(|(magic, _)| probe.bytes.starts_with(magic))
    {
        return ReadError::unsupported(what);
    }
    ReadError::unsupported("binary data that is no known document format")
}

/// NUL bytes or many control characters in the first 4 KiB: not text in any
/// of the encodings reports come in (UTF-16 reports would need a BOM).
fn looks_binary(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(4096)];
    if head.starts_with(&[0xFF, 0xFE]) || head.starts_with(&[0xFE, 0xFF]) {
        return false;
    }
    let controls = head
        .iter()
        .filter(|&&b| b == 0 || (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0C | 0x1B)))
        .count();
    head.contains(&0) || controls * 20 > head.len()
}

fn looks_like_html(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(2048)];
    let lower: Vec<u8> = head.iter().map(u8::to_ascii_lowercase).collect();
    let find = |needle: &[u8]| lower.windows(needle.len()).any(|w| w == needle);
    find(b"<!doctype html")
        || find(b"<html")
        || find(b"<body")
        || find(b"<table")
        || find(b"<div")
        || find(b"<meta")
}

#[cfg(test)]
mod tests {
    use crate::readers::{read_document, ErrorKind, Format, Limits};

    fn format(bytes: &[u8]) -> Result<Format, ErrorKind> {
        read_document(bytes, &Limits::default())
            .map(|(f, _)| f)
            .map_err(|e| e.kind())
    }

    #[test]
    fn sniffs_by_content() {
        assert_eq!(format("<!DOCTYPE html><html>".as_bytes()), Ok(Format::Html));
        assert_eq!(
            format("广阳镇2022年政府信息公开工作年度报告".as_bytes()),
            Ok(Format::Txt)
        );
        #[cfg(feature = "pdf")]
        assert_eq!(format(b"%PDF-1.4"), Err(ErrorKind::Corrupt));
        #[cfg(not(feature = "pdf"))]
        assert_eq!(format(b"%PDF-1.4"), Err(ErrorKind::Unsupported));
        assert_eq!(format(b"{\\rtf1 x}"), Err(ErrorKind::Unsupported));
        assert_eq!(format(b"PK\x03\x04garbage"), Err(ErrorKind::Corrupt));
        assert_eq!(
            format(&[0u8, 1, 2, 3, 0, 0, 7]),
            Err(ErrorKind::Unsupported)
        );
    }

    #[test]
    fn ole_files_are_told_apart_by_their_stream_names() {
        let ole = |stream: &str| {
            let mut b = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
            b.extend(std::iter::repeat_n(0u8, 504));
            b.extend(stream.encode_utf16().flat_map(u16::to_le_bytes));
            b
        };
        assert_eq!(format(&ole("EncryptedPackage")), Err(ErrorKind::Encrypted));
        assert_eq!(format(&ole("WordDocument")), Err(ErrorKind::LegacyFormat));
        assert_eq!(format(&ole("Other")), Err(ErrorKind::Unsupported));
    }
}
