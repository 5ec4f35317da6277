//! Structure-aware DOCX fuzzing: mutating a whole .docx mostly breaks its
//! deflate streams and CRCs, so the XML is rarely reached. Here the input is
//! the XML itself: `word/document.xml`, then optionally `word/numbering.xml`
//! and `word/styles.xml`, separated by PART_SEPARATOR, stored (uncompressed)
//! in a ZIP with the usual relationships. fuzz/run.sh seeds it from the
//! parts of the sample .docx files.
#![no_main]
use std::io::Write;

use libfuzzer_sys::fuzz_target;
use nianbao::readers::{read_as, Format, Limits};

const PART_SEPARATOR: &[u8] = b"\n--NIANBAO-PART--\n";

const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#;
const RELS: &str = r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#;
const DOC_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering" Target="numbering.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>"#;

fn split<'a>(mut data: &'a [u8], sep: &[u8]) -> Vec<&'a [u8]> {
    let mut parts = Vec::new();
    while let Some(at) = data.windows(sep.len()).position(|w| w == sep) {
        parts.push(&data[..at]);
        data = &data[at + sep.len()..];
    }
    parts.push(data);
    parts
}

fuzz_target!(|data: &[u8]| {
    let parts = split(data, PART_SEPARATOR);
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let stored = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    let mut add = |name: &str, bytes: &[u8]| {
        zip.start_file(name, stored).unwrap();
        zip.write_all(bytes).unwrap();
    };
    add("[Content_Types].xml", CONTENT_TYPES.as_bytes());
    add("_rels/.rels", RELS.as_bytes());
    add("word/_rels/document.xml.rels", DOC_RELS.as_bytes());
    for (name, bytes) in ["word/document.xml", "word/numbering.xml", "word/styles.xml"].iter().zip(&parts) {
        add(name, bytes);
    }
    let bytes = zip.finish().unwrap().into_inner();
    let _ = read_as(Format::Docx, &bytes, &Limits::default());
});
