//! Content sniffing: what a file is, whatever its name says. The [`Probe`]
//! is computed once per file and shared by every reader's `sniff`; what no
//! reader claims gets a [`refusal`] that says what the file is instead.

use super::container::cfb::{CfbError, CompoundFile};
use super::container::zip::Zip;
use super::{Limits, ReadError};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Txt,
    Html,
    Docx,
    /// Word 97-2003 binary, whatever the file is called (WPS Writer's
    /// `.wps` files are this format too).
    Doc,
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
            Format::Doc => "doc",
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
/// the entry names (listed once, through the bounded [`Zip`]), for an OLE
/// compound file its root stream names (through the shared walker).
pub(crate) struct Probe<'a> {
    pub(crate) bytes: &'a [u8],
    zip_names: Option<Vec<String>>,
    ole: Option<Ole>,
}

/// An OLE compound file as detection sees it.
struct Ole {
    /// The streams of the root storage, when the directory can be walked
    /// (so a workbook embedding a Word object is still a workbook).
    names: Option<Vec<String>>,
    /// Why the directory cannot be walked, when the file is cut short or
    /// hostile there.
    hazard: Option<String>,
}

impl Ole {
    fn new(bytes: &[u8]) -> Self {
        match CompoundFile::open(bytes) {
            Ok(cf) => Ole {
                names: Some(cf.root_streams().into_iter().map(|s| s.name).collect()),
                hazard: None,
            },
            Err(CfbError::Hazard(reason)) => Ole {
                names: None,
                hazard: Some(reason),
            },
            Err(CfbError::Unfollowed(_)) => Ole {
                names: None,
                hazard: None,
            },
        }
    }
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
            ole: bytes.starts_with(OLE_MAGIC).then(|| Ole::new(bytes)),
        })
    }

    /// Whether the bytes are a ZIP container holding entry `name`.
    pub(crate) fn zip_has(&self, name: &str) -> bool {
        self.zip_names
            .as_ref()
            .is_some_and(|names| names.iter().any(|n| n == name))
    }

    /// Whether the bytes are an OLE compound file whose root storage holds
    /// a stream `name` (names compare without case, as the format says).
    /// When the directory cannot be walked (a truncated file), the UTF-16
    /// name anywhere in the bytes counts, so the reader of what the file
    /// was words the error.
    pub(crate) fn ole_has(&self, name: &str) -> bool {
        let Some(ole) = &self.ole else {
            return false;
        };
        if let Some(names) = &ole.names {
            return names.iter().any(|n| n.eq_ignore_ascii_case(name));
        }
        let needle: Vec<u8> = name.encode_utf16().flat_map(u16::to_le_bytes).collect();
        self.bytes
            .windows(needle.len())
            .any(|w| w == needle.as_slice())
    }

    /// Not a container and not binary: text in some encoding (HTML or not).
    pub(crate) fn is_text(&self) -> bool {
        self.zip_names.is_none()
            && self.ole.is_none()
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
    if let Some(ole) = &probe.ole {
        return if probe.ole_has("EncryptedPackage") {
            ReadError::encrypted()
        } else if let Some(reason) = &ole.hazard {
            // Cut short before its directory (which LibreOffice and Word
            // write last): what it is cannot be told, why it cannot be
            // read can.
            ReadError::corrupt("OLE compound", reason)
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
    head.contains(&0) || control_bytes(head) * 20 > head.len()
}

/// The C0 controls in `head` other than tab, LF, FF, CR and ESC. Summed
/// without branches so the loop vectorizes: the filter-and-count it
/// replaces cost 10 instructions a byte (43,000 on the seed report's
/// first 4 KiB, a tenth of reading it), this costs under 2.
fn control_bytes(head: &[u8]) -> usize {
    // A u8 count per chunk of 255 bytes cannot overflow, and lets the
    // compiler count 16 bytes an instruction.
    head.chunks(255)
        .map(|chunk| {
            let n = chunk.iter().fold(0u8, |n, &b| {
                let allowed =
                    (b == b'\t') | (b == b'\n') | (b == b'\r') | (b == 0x0C) | (b == 0x1B);
                n + u8::from((b < 0x20) & !allowed)
            });
            usize::from(n)
        })
        .sum()
}

fn looks_like_html(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(2048)];
    // One pass over the `<`s of the head, each followed (any letter case) by
    // one of the names.
    const NAMES: [&[u8]; 6] = [
        b"!doctype html",
        b"html",
        b"body",
        b"table",
        b"div",
        b"meta",
    ];
    let tagged = head.iter().enumerate().any(|(i, &c)| {
        c == b'<'
            && NAMES.iter().any(|name| {
                head.get(i + 1..i + 1 + name.len())
                    .is_some_and(|w| w.eq_ignore_ascii_case(name))
            })
    });
    tagged || mostly_markup(&bytes[..bytes.len().min(64 * 1024)])
}

/// An article fragment (`<p>`, `<span>`, `<td>` with no `<html>`, often a
/// CMS export): HTML when tags take at least a third of the bytes of the
/// first 64 KiB and there are at least four of them. A scraped text with a
/// few leaked comments (`<!--[if !supportLists]-->`) stays text: its tags
/// are a small share of its bytes.
fn mostly_markup(head: &[u8]) -> bool {
    let (mut in_tag, mut tag_bytes, mut tags) = (false, 0usize, 0usize);
    for (i, &b) in head.iter().enumerate() {
        if !in_tag
            && b == b'<'
            && head
                .get(i + 1)
                .is_some_and(|n| n.is_ascii_alphabetic() || *n == b'/')
        {
            in_tag = true;
            tags += 1;
        }
        if in_tag {
            tag_bytes += 1;
            if b == b'>' {
                in_tag = false;
            }
        }
    }
    let text = head.iter().filter(|b| !b.is_ascii_whitespace()).count();
    tags >= 4 && tag_bytes * 3 >= text
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
        // An article fragment with no <html>, <body>, <table> or <div> in
        // its first 2 KiB is still HTML.
        let fragment = "<p style=\"text-indent:2em\"><span>一、总体情况</span></p>".repeat(60)
            + "<p><span style=\"font-family:宋体\">（一）予以公开</span></p>";
        assert_eq!(format(fragment.as_bytes()), Ok(Format::Html));
        // A scraped text with a leaked comment is text.
        let leaked =
            "<!--[if !supportLists]-->一、<!--[endif]-->总体情况。本机关共收到申请1件。".repeat(3);
        assert_eq!(format(leaked.as_bytes()), Ok(Format::Txt));
    }

    /// The branch-free count against the plain filter it replaced, on
    /// heads that straddle its 255-byte chunks and hold every byte value.
    #[test]
    fn control_byte_count_matches_the_plain_filter() {
        let plain = |h: &[u8]| {
            h.iter()
                .filter(|&&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0C | 0x1B))
                .count()
        };
        let every: Vec<u8> = (0..=255u8).cycle().take(4096).collect();
        let controls: Vec<u8> = std::iter::repeat_n(0x01u8, 300).collect();
        for head in [
            &every[..],
            &every[..255],
            &every[..256],
            &every[17..1000],
            &controls,
        ] {
            assert_eq!(
                super::control_bytes(head),
                plain(head),
                "{} bytes",
                head.len()
            );
        }
        assert_eq!(super::control_bytes(&controls), 300);
        // Text with 4% stray controls is still text; with 6% it is not.
        let text = |controls: usize| {
            let mut t = "公开".repeat(100 - controls).into_bytes(); // 6 bytes a repeat
            t.extend(std::iter::repeat_n(0x07u8, controls * 6));
            t
        };
        assert!(!super::looks_binary(&text(4)));
        assert!(super::looks_binary(&text(6)));
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
        // Read as a .doc, and refused for what is missing.
        assert_eq!(format(&ole("WordDocument")), Err(ErrorKind::Corrupt));
        assert_eq!(format(&ole("Other")), Err(ErrorKind::Unsupported));
    }
}
