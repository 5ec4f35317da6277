//! The Word 97-2003 `.doc` reader against an independent oracle: every
//! `.doc` in `samples/doc/` was written by LibreOffice from a DOCX sample
//! (`samples/doc/make_docs.sh`), so reading it must give what the DOCX
//! reader gives for the source: the same Document (paragraphs, dense grids,
//! merged positions) and the same report (every canonical cell's value, raw
//! text and location, the checks and findings).

use crate::common::samples;
use nianbao::document::{Block, Document};
use nianbao::pipeline::convert_bytes;
use nianbao::readers::{read_document, ErrorKind, Format, Limits};

fn bytes(relative: &str) -> Vec<u8> {
    let path = samples().join(relative);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// (.doc, its DOCX source).
const PAIRS: &[(&str, &str)] = &[
    (
        "doc/official-layout-libreoffice.doc",
        "docx/official-layout-libreoffice.docx",
    ),
    (
        "doc/official-layout-python-docx.doc",
        "docx/official-layout-python-docx.docx",
    ),
    ("doc/inconsistent.doc", "docx/inconsistent.docx"),
    (
        "doc/auto-numbered-headings.doc",
        "docx/auto-numbered-headings.docx",
    ),
    (
        "doc/auto-numbered-headings-libreoffice.doc",
        "docx/auto-numbered-headings-libreoffice.docx",
    ),
    (
        "doc/2019-format-town-2019.doc",
        "years/2019-format-town-2019.docx",
    ),
    // Written by LibreOffice from the HTML the DOCX was made from: a second
    // path to the same content.
    (
        "docx/legacy-doc-named.docx",
        "docx/official-layout-libreoffice.docx",
    ),
];

#[test]
fn every_doc_reads_like_its_docx_source() {
    let limits = Limits::default();
    for (doc, docx) in PAIRS {
        let (format, from_doc) = read_document(&bytes(doc), &limits).unwrap();
        assert_eq!(format, Format::Doc, "{doc}");
        let (_, from_docx) = read_document(&bytes(docx), &limits).unwrap();
        let tables = from_docx
            .blocks
            .iter()
            .filter(|b| matches!(b, Block::Table(_)))
            .count();
        assert!(tables >= 3, "{docx}: {tables} tables");
        // Paragraphs with their list labels; tables as grids: the text and
        // origin of every position.
        assert_eq!(from_doc, from_docx, "{doc} vs {docx}");
        let labels = |d: &Document| {
            d.blocks
                .iter()
                .filter(|b| matches!(b, Block::Paragraph(p) if p.list_label.is_some()))
                .count()
        };
        if doc.contains("auto-numbered") {
            assert!(labels(&from_docx) >= 6, "{docx}: numbered headings");
        }
    }
}

/// Reports as JSON, the format field aside.
fn report_json(relative: &str) -> serde_json::Value {
    let report = convert_bytes(&bytes(relative), "report", &Limits::default())
        .unwrap_or_else(|e| panic!("{relative}: {e}"));
    let mut v = serde_json::to_value(&report).unwrap();
    v.as_object_mut().unwrap().remove("format");
    v
}

#[test]
fn every_canonical_cell_and_finding_matches_the_docx_source() {
    for (doc, docx) in PAIRS {
        let (a, b) = (report_json(doc), report_json(docx));
        let cells = b["tables"].to_string().matches("\"raw\"").count();
        assert!(cells > 100, "{docx}: {cells} cells");
        assert_eq!(a, b, "{doc} vs {docx}");
    }
    // The inconsistent sample's findings come through the .doc as well.
    let findings = report_json("doc/inconsistent.doc")["findings"].clone();
    assert!(!findings.as_array().unwrap().is_empty());
}

#[test]
fn encrypted_truncated_and_renamed_files() {
    let limits = Limits::default();
    // Saved by LibreOffice with a password (RC4 CryptoAPI; FIB fEncrypted).
    let e = read_document(&bytes("doc/encrypted.doc"), &limits).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Encrypted, "{e}");
    // The first 24 KiB of a 54 KiB .doc.
    let e = read_document(&bytes("doc/corrupt-truncated.doc"), &limits).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Corrupt, "{e}");
    assert!(e.to_string().contains("truncated?"), "{e}");
    // A DOCX called .wps is a DOCX; a Word binary called .wps is a .doc.
    let ooxml = bytes("doc/ooxml-named.wps");
    assert_eq!(read_document(&ooxml, &limits).unwrap().0, Format::Docx);
    assert_eq!(
        report_json("doc/ooxml-named.wps"),
        report_json("docx/inconsistent.docx")
    );
    let binary = bytes("doc/word-binary-named.wps");
    assert_eq!(read_document(&binary, &limits).unwrap().0, Format::Doc);
    assert_eq!(
        report_json("doc/word-binary-named.wps"),
        report_json("doc/2019-format-town-2019.doc")
    );
}

/// Deterministic damage to a real .doc: byte flips in every region of the
/// file and cuts at many lengths. Each copy must end in a Document or an
/// error naming a reason, never a panic (which `read` would report as
/// a `reader_panic` error).
#[test]
fn corrupted_copies_never_panic() {
    let original = bytes("doc/official-layout-libreoffice.doc");
    let limits = Limits::default();
    let mut state = 0x9E37_79B9_7F4A_7C15u64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let (mut ok, mut failed) = (0, 0);
    for i in 0..240 {
        let mut copy = original.clone();
        if i % 4 == 3 {
            copy.truncate(next() as usize % original.len());
        } else {
            for _ in 0..1 + i % 8 {
                let at = next() as usize % copy.len();
                copy[at] = next() as u8;
            }
        }
        match read_document(&copy, &limits) {
            Ok(_) => ok += 1,
            Err(e) if e.kind() == ErrorKind::ReaderPanic => panic!("copy {i}: {e}"),
            Err(e) => {
                assert!(!e.to_string().is_empty());
                failed += 1;
            }
        }
    }
    // Both outcomes occur: the damage reaches structures that matter.
    assert!(ok > 0 && failed > 0, "{ok} read, {failed} refused");
}
