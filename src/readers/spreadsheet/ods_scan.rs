//! What calamine does not tell about an ODS file, read from `content.xml`
//! with quick-xml: the merged cells (`table:number-columns-spanned` /
//! `table:number-rows-spanned`, which calamine 0.38 drops), and, per sheet,
//! the bounding box of non-empty cells, i.e. the dense grid calamine is about
//! to allocate (repeated rows and columns expanded). The caller refuses a file
//! whose grid would be too large *before* handing it to calamine.

use super::super::container::zip::Zip;
use super::super::{Limits, ReadError};
use calamine::Dimensions;
use quick_xml::events::{BytesStart, Event};

#[derive(Debug, Default)]
pub struct OdsSheetScan {
    pub name: String,
    pub merges: Vec<Dimensions>,
    /// Number of positions in the bounding box of non-empty cells.
    pub dense_cells: u64,
}

/// Coordinates beyond this are not followed (ODS allows 1,048,576 rows and
/// 16,384 columns; calamine caps at those too).
const MAX_COORD: u64 = 1 << 20;
const MAX_COL: u64 = 1 << 14;

pub fn scan(bytes: &[u8], limits: &Limits) -> Result<Vec<OdsSheetScan>, ReadError> {
    // Through the shared bounded container: inflated bytes counted, CRC
    // checked, damage classified.
    let content = Zip::open(bytes, limits, "ODS")?.inflate("content.xml")?;
    let mut xml = quick_xml::Reader::from_reader(content.as_slice());
    let mut buf = Vec::new();

    let mut sheets = Vec::new();
    let mut current: Option<OdsSheetScan> = None;
    // Nesting of table:table elements: only the outermost level is a sheet.
    let mut table_depth = 0usize;
    let (mut row, mut col) = (0u64, 0u64);
    let mut row_repeat = 1u64;
    // Bounding box of non-empty cells of the current sheet.
    let mut bbox: Option<(u64, u64, u64, u64)> = None;

    loop {
        buf.clear();
        let event = xml
            .read_event_into(&mut buf)
            .map_err(|e| ReadError::corrupt("ODS", e))?;
        let (start, is_empty) = match &event {
            Event::Start(e) => (Some(e), false),
            Event::Empty(e) => (Some(e), true),
            _ => (None, false),
        };
        if let Some(e) = start {
            match e.name().as_ref() {
                b"table:table" => {
                    table_depth += 1;
                    if table_depth == 1 {
                        let name = attr(e, b"table:name").unwrap_or_default();
                        current = Some(OdsSheetScan {
                            name,
                            ..Default::default()
                        });
                        row = 0;
                        bbox = None;
                        if is_empty {
                            table_depth -= 1;
                            sheets.extend(current.take());
                        }
                    } else if is_empty {
                        table_depth -= 1;
                    }
                }
                b"table:table-row" if table_depth == 1 => {
                    row_repeat = number(e, b"table:number-rows-repeated").clamp(1, MAX_COORD);
                    col = 0;
                    if is_empty {
                        row = (row + row_repeat).min(MAX_COORD);
                    }
                }
                b"table:table-cell" | b"table:covered-table-cell" if table_depth == 1 => {
                    let col_repeat = number(e, b"table:number-columns-repeated").clamp(1, MAX_COL);
                    let cs = number(e, b"table:number-columns-spanned").clamp(1, MAX_COL);
                    let rs = number(e, b"table:number-rows-spanned").clamp(1, MAX_COORD);
                    if let Some(sheet) = current.as_mut() {
                        if (cs > 1 || rs > 1)
                            && e.name().as_ref() == b"table:table-cell"
                            && row < MAX_COORD
                            && col < MAX_COL
                        {
                            sheet.merges.push(Dimensions::new(
                                (row as u32, col as u32),
                                (
                                    (row + rs - 1).min(MAX_COORD - 1) as u32,
                                    (col + cs - 1).min(MAX_COL - 1) as u32,
                                ),
                            ));
                        }
                    }
                    let non_empty = e
                        .try_get_attribute("office:value-type")
                        .ok()
                        .flatten()
                        .is_some()
                        || e.try_get_attribute("table:formula")
                            .ok()
                            .flatten()
                            .is_some();
                    if non_empty {
                        let (r1, c1) = (row + row_repeat - 1, col + col_repeat - 1);
                        bbox = Some(match bbox {
                            None => (row, col, r1, c1),
                            Some((a, b, c, d)) => (a.min(row), b.min(col), c.max(r1), d.max(c1)),
                        });
                    }
                    col = (col + col_repeat).min(MAX_COL);
                }
                _ => {}
            }
        }
        match &event {
            Event::End(e) => match e.name().as_ref() {
                b"table:table" => {
                    if table_depth == 1 {
                        if let Some(mut sheet) = current.take() {
                            if let Some((r0, c0, r1, c1)) = bbox {
                                sheet.dense_cells = (r1 - r0 + 1) * (c1 - c0 + 1);
                            }
                            sheets.push(sheet);
                        }
                    }
                    table_depth = table_depth.saturating_sub(1);
                }
                b"table:table-row" if table_depth == 1 => {
                    row = (row + row_repeat).min(MAX_COORD);
                }
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(sheets)
}

fn attr(e: &BytesStart<'_>, name: &[u8]) -> Option<String> {
    let a = e.try_get_attribute(name).ok().flatten()?;
    a.unescape_value().ok().map(|v| v.into_owned())
}

fn number(e: &BytesStart<'_>, name: &[u8]) -> u64 {
    attr(e, name)
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Cursor, Write};

    fn ods_with(content: &str) -> Vec<u8> {
        let mut out = Cursor::new(Vec::new());
        let mut w = zip::ZipWriter::new(&mut out);
        let opts = zip::write::SimpleFileOptions::default();
        w.start_file("mimetype", opts).unwrap();
        w.write_all(b"application/vnd.oasis.opendocument.spreadsheet")
            .unwrap();
        w.start_file("content.xml", opts).unwrap();
        w.write_all(content.as_bytes()).unwrap();
        w.finish().unwrap();
        out.into_inner()
    }

    #[test]
    fn finds_spans_with_repeats() {
        let xml = r#"<office:document-content><office:body><office:spreadsheet>
<table:table table:name="表三">
<table:table-row table:number-rows-repeated="2"><table:table-cell/></table:table-row>
<table:table-row>
  <table:table-cell table:number-columns-repeated="3"/>
  <table:table-cell office:value-type="string" table:number-columns-spanned="7" table:number-rows-spanned="2"><text:p>申请人情况</text:p></table:table-cell>
  <table:covered-table-cell table:number-columns-repeated="6"/>
</table:table-row>
<table:table-row table:number-rows-repeated="1048570"><table:table-cell table:number-columns-repeated="1024"/></table:table-row>
</table:table>
<table:table table:name="old"/>
</office:spreadsheet></office:body></office:document-content>"#;
        let sheets = scan(&ods_with(xml), &Limits::default()).unwrap();
        assert_eq!(sheets.len(), 2);
        assert_eq!(sheets[0].name, "表三");
        assert_eq!(sheets[0].merges, vec![Dimensions::new((2, 3), (3, 9))]);
        assert_eq!(sheets[0].dense_cells, 1);
        assert_eq!(sheets[1].name, "old");
    }

    #[test]
    fn repeated_values_count_toward_the_dense_grid() {
        let xml = r#"<table:table table:name="S"><table:table-row table:number-rows-repeated="100000"><table:table-cell office:value-type="float" office:value="1" table:number-columns-repeated="1000"/></table:table-row></table:table>"#;
        let sheets = scan(&ods_with(xml), &Limits::default()).unwrap();
        assert_eq!(sheets[0].dense_cells, 100_000_000);
    }
}
