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

/// `%PDF-` at the start, after an optional BOM and white space (some web
/// servers prepend a line break to every download).
fn is_pdf(bytes: &[u8]) -> bool {
    let rest = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    rest.trim_ascii_start().starts_with(b"%PDF-")
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
    if is_pdf(bytes) {
        #[cfg(feature = "pdf")]
        return Ok(Format::Pdf);
        #[cfg(not(feature = "pdf"))]
        return Err(ReadError::Unsupported(
            "PDF: this build has no PDF reader (cargo feature \"pdf\")".into(),
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

/// The entry count a ZIP container's end-of-central-directory record (or its
/// ZIP64 record) declares, read without parsing the directory: opening a
/// container builds an entry (a few hundred bytes) for each, so a 50 MB file
/// of a million tiny entries costs over half a gigabyte before any reader
/// can look at its limits. Every end record in the last 64 KiB (where the
/// format puts it) counts, the largest wins: the ZIP library falls back to
/// an earlier record when the last one does not parse. `None` when there is
/// no end record there.
pub fn declared_zip_entries(bytes: &[u8]) -> Option<u64> {
    const EOCD: &[u8] = b"PK\x05\x06";
    let tail_start = bytes.len().saturating_sub(22 + 65_535);
    let mut most = None;
    let mut end = bytes.len();
    while let Some(found) = bytes[tail_start..end].windows(4).rposition(|w| w == EOCD) {
        let pos = tail_start + found;
        end = pos;
        let Some(eocd) = bytes.get(pos..pos + 22) else {
            continue;
        };
        let mut count = u64::from(u16::from_le_bytes([eocd[10], eocd[11]]));
        if count == 0xFFFF {
            count = zip64_entries(bytes, pos).unwrap_or(count);
        }
        most = most.max(Some(count));
    }
    most
}

/// The count in the ZIP64 end record that the locator right before the end
/// record at `eocd` points at.
fn zip64_entries(bytes: &[u8], eocd: usize) -> Option<u64> {
    let locator = bytes.get(eocd.checked_sub(20)?..eocd)?;
    if &locator[..4] != b"PK\x06\x07" {
        return None;
    }
    let offset = usize::try_from(u64::from_le_bytes(locator[8..16].try_into().ok()?)).ok()?;
    let record = bytes.get(offset..offset.checked_add(56)?)?;
    if &record[..4] != b"PK\x06\x06" {
        return None;
    }
    Some(u64::from_le_bytes(record[32..40].try_into().ok()?))
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
        #[cfg(feature = "pdf")]
        assert_eq!(detect_format(b"%PDF-1.4").unwrap(), Format::Pdf);
        #[cfg(feature = "pdf")]
        assert_eq!(detect_format(b"\r\n%PDF-1.7\n").unwrap(), Format::Pdf);
        assert!(matches!(
            detect_format(b"PK\x03\x04garbage"),
            Err(ReadError::Corrupt { .. })
        ));
        assert!(matches!(
            detect_format(&[0u8, 1, 2, 3, 0, 0, 7]),
            Err(ReadError::Unsupported(_))
        ));
    }

    #[test]
    fn declared_zip_entries_are_read_from_the_end_records() {
        let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        for name in ["a", "b", "c"] {
            w.start_file(name, zip::write::SimpleFileOptions::default())
                .unwrap();
        }
        let bytes = w.finish().unwrap().into_inner();
        assert_eq!(declared_zip_entries(&bytes), Some(3));
        assert_eq!(declared_zip_entries(b"PK\x03\x04 no end record"), None);
        // ZIP64: the 16-bit count says 0xFFFF and the ZIP64 record holds the count.
        let mut z = Vec::new();
        z.extend_from_slice(b"PK\x06\x06");
        z.extend_from_slice(&44u64.to_le_bytes());
        z.extend_from_slice(&[45, 0, 45, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        z.extend_from_slice(&5_000_000u64.to_le_bytes());
        z.extend_from_slice(&5_000_000u64.to_le_bytes());
        z.extend_from_slice(&[0; 16]);
        z.extend_from_slice(b"PK\x06\x07\0\0\0\0");
        z.extend_from_slice(&0u64.to_le_bytes());
        z.extend_from_slice(&1u32.to_le_bytes());
        z.extend_from_slice(
            b"PK\x05\x06\0\0\0\0\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\0\0",
        );
        assert_eq!(declared_zip_entries(&z), Some(5_000_000));
        // A decoy end record after the real one does not hide it.
        let mut decoy = bytes.clone();
        decoy.extend_from_slice(b"PK\x05\x06\0\0\0\0\x01\0\x01\0");
        decoy.extend_from_slice(&[0xff; 10]);
        assert_eq!(declared_zip_entries(&decoy), Some(3));
        let mut big = z.clone();
        big.extend_from_slice(b"PK\x05\x06\0\0\0\0\x01\0\x01\0");
        assert_eq!(declared_zip_entries(&big), Some(5_000_000));
    }
}
