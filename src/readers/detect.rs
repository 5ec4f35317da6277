//! Content sniffing: which reader a file needs, whatever its name says.

use super::ReadError;
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
        }
    }
}

const ZIP_MAGIC: &[u8] = b"PK\x03\x04";
const OLE_MAGIC: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// Sniffs the format from the first bytes (and, for ZIP and OLE containers,
/// from the names of their entries).
pub fn detect_format(bytes: &[u8]) -> Result<Format, ReadError> {
    if bytes.starts_with(ZIP_MAGIC) || bytes.starts_with(b"PK\x05\x06") {
        return detect_zip(bytes);
    }
    if bytes.starts_with(OLE_MAGIC) {
        return detect_ole(bytes);
    }
    if bytes.starts_with(b"%PDF") {
        return Err(ReadError::Unsupported(
            "PDF: not supported; tables in PDFs need OCR or a PDF extractor".into(),
        ));
    }
    if bytes.starts_with(b"{\\rtf") {
        return Err(ReadError::Unsupported(
            "RTF document: not supported; save as .docx".into(),
        ));
    }
    if looks_binary(bytes) {
        return Err(ReadError::Unsupported(
            "binary data that is no known document format".into(),
        ));
    }
    if looks_like_html(bytes) {
        return Ok(Format::Html);
    }
    Ok(Format::Txt)
}

fn detect_zip(bytes: &[u8]) -> Result<Format, ReadError> {
    let archive = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map_err(|e| ReadError::corrupt("ZIP", e))?;
    let has = |name: &str| archive.index_for_name(name).is_some();
    if has("word/document.xml") {
        Ok(Format::Docx)
    } else if has("xl/workbook.xml") {
        Ok(Format::Xlsx)
    } else if has("content.xml") && has("mimetype") {
        Ok(Format::Ods)
    } else if has("xl/workbook.bin") {
        Err(ReadError::Unsupported(
            "XLSB workbook: not supported; save as .xlsx".into(),
        ))
    } else {
        Err(ReadError::Unsupported(
            "ZIP archive that is no Word or spreadsheet document".into(),
        ))
    }
}

/// OLE compound files hold legacy .doc, legacy .xls and encrypted OOXML.
/// The directory lists stream names in UTF-16; looking for them is enough to
/// tell the three apart without parsing the container.
fn detect_ole(bytes: &[u8]) -> Result<Format, ReadError> {
    let contains_utf16 = |name: &str| {
        let needle: Vec<u8> = name.encode_utf16().flat_map(u16::to_le_bytes).collect();
        bytes.windows(needle.len()).any(|w| w == needle.as_slice())
    };
    if contains_utf16("EncryptedPackage") {
        Err(ReadError::Encrypted)
    } else if contains_utf16("WordDocument") {
        Err(ReadError::LegacyDoc)
    } else if contains_utf16("Workbook") || contains_utf16("Book") {
        Ok(Format::Xls)
    } else {
        Err(ReadError::Unsupported(
            "OLE compound file that is no Word or Excel document".into(),
        ))
    }
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
    use super::*;

    #[test]
    fn sniffs_by_content() {
        assert_eq!(
            detect_format("<!DOCTYPE html><html>".as_bytes()).unwrap(),
            Format::Html
        );
        assert_eq!(
            detect_format("广阳镇2022年政府信息公开工作年度报告".as_bytes()).unwrap(),
            Format::Txt
        );
        assert!(matches!(
            detect_format(b"%PDF-1.4"),
            Err(ReadError::Unsupported(_))
        ));
        assert!(matches!(
            detect_format(b"PK\x03\x04garbage"),
            Err(ReadError::Corrupt { .. })
        ));
        assert!(matches!(
            detect_format(&[0u8, 1, 2, 3, 0, 0, 7]),
            Err(ReadError::Unsupported(_))
        ));
    }
}
