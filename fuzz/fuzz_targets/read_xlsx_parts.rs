//! Structure-aware XLSX fuzzing (see read_docx_parts.rs for why): the input
//! is `xl/worksheets/sheet1.xml`, then optionally `xl/sharedStrings.xml` and
//! `xl/workbook.xml`, separated by PART_SEPARATOR, stored in a ZIP with the
//! usual relationships; without a workbook part, a one-sheet workbook is
//! used. fuzz/run.sh seeds it from the parts of the sample .xlsx files.
#![no_main]
use std::io::Write;

use libfuzzer_sys::fuzz_target;

#[path = "tolerate.rs"]
mod tolerate;
use nianbao::readers::{read_as, Format, Limits};

const PART_SEPARATOR: &[u8] = b"\n--NIANBAO-PART--\n";

const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>"#;
const RELS: &str = r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#;
const WORKBOOK_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>"#;
const WORKBOOK: &str = r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="表三 依申请公开" sheetId="1" r:id="rId1"/></sheets></workbook>"#;

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
    tolerate::tolerate_caught_calamine_panics();
    let parts = split(data, PART_SEPARATOR);
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let stored = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    let mut add = |name: &str, bytes: &[u8]| {
        zip.start_file(name, stored).unwrap();
        zip.write_all(bytes).unwrap();
    };
    add("[Content_Types].xml", CONTENT_TYPES.as_bytes());
    add("_rels/.rels", RELS.as_bytes());
    add("xl/_rels/workbook.xml.rels", WORKBOOK_RELS.as_bytes());
    add("xl/worksheets/sheet1.xml", parts[0]);
    if let Some(strings) = parts.get(1) {
        add("xl/sharedStrings.xml", strings);
    }
    add("xl/workbook.xml", parts.get(2).copied().unwrap_or(WORKBOOK.as_bytes()));
    let bytes = zip.finish().unwrap().into_inner();
    let _ = read_as(Format::Xlsx, &bytes, &Limits::default());
});
