//! Spreadsheet reader: `.xlsx`, `.xls` and `.ods` through calamine.
//!
//! # What a workbook becomes
//!
//! Every *visible* worksheet, in workbook order (hidden and very hidden sheets
//! hold old data or lookups, not the report; chart sheets hold no cells):
//!
//! 1. The sheet name as a [`Paragraph`] when it looks like a title (contains
//!    `年` or `报告`), since agency and year are often only there.
//! 2. Its non-empty cells, split into blocks at blank rows: one or more rows
//!    with no text (whitespace, U+3000 included, counts as none). So "one sheet
//!    per table" and "all tables on one sheet, a blank row between them" both
//!    give one table per table.
//! 3. Per block, leading and trailing *line rows* become paragraphs: a row whose
//!    only non-blank content is one cell starting in that row (merged across
//!    the table or simply overflowing, as titles typed into A1 do), with at
//!    least 8 characters of which at least one is a letter or CJK character.
//!    Leading rows naming a regulation article (`第二十条第（一）项`, the
//!    caption rows of table 二) stay in the table. A block one column wide is
//!    all paragraphs. Only the block's top and bottom are peeled, so caption
//!    rows inside a table stay where they are.
//! 4. The rest of the block is a [`Table`]: fully empty leading and trailing
//!    columns are trimmed, and `TableOrigin::Sheet { first_row, first_col }` is
//!    the sheet position of the grid's top-left, so `table.location(r, c)` is
//!    the cell's true A1 reference. Merged regions are resolved: every covered
//!    position carries the top-left's text, `is_origin` only at the top-left.
//!
//! # Values to text
//!
//! Numbers print as Excel shows them in a General cell: at most 15 significant
//! digits, integers without a fraction (`3.0` -> `3`), others in the shortest
//! form. Text is kept as written (numbers stored as text, full-width digits and
//! U+3000 padding included: recognition parses them). Dates print as ISO dates
//! (`2023-01-05`, with ` HH:MM:SS` when there is a time) so they are never
//! taken for counts; booleans as `TRUE`/`FALSE`; error cells as their error
//! text (`#REF!`). Formula cells show their cached value, except where the
//! writer left none, see [`formula`].
//!
//! # Limits
//!
//! calamine aborts or exhausts memory on some small hostile files (a failed
//! allocation aborts the process; no `catch_unwind` stops that), so these are
//! refused before calamine sees them:
//!
//! - ZIP containers (XLSX, ODS) listing more than `limits.max_zip_entries`
//!   entries or declaring more than `limits.max_inflated_bytes` inflated bytes
//!   (the zip crate enforces declared sizes while inflating), and XLSX whose
//!   shared-strings part claims more strings than it has bytes (calamine
//!   reserves the claimed count up front);
//! - ODS sheets whose dense grid (what calamine allocates) would exceed
//!   [`MAX_DENSE_CELLS`], measured by [`ods_scan`];
//! - XLS sheets whose cell records span, or whose DIMENSIONS record claims,
//!   more than [`MAX_DENSE_CELLS`], and XLS whose compound-file sector chains
//!   loop, found by [`xls_scan`].
//!
//! Only rows below [`MAX_ROWS`] and columns below [`MAX_COLS`] are read: a
//! non-blank cell beyond them refuses the file with `TooLarge` naming the cell
//! (the document model has no channel to report a silent clip, and no report
//! goes that far). Merely formatted cells, as in a used range of
//! `A1:XFD1048576`, are empty and cost nothing, because XLSX cells are
//! streamed. Merged text copied into covered positions counts against
//! `limits.max_inflated_bytes`. calamine runs inside the read stage's
//! `catch_unwind` (`readers::read_document`): a panic on a malformed file
//! (calamine overflows u32 arithmetic on reversed dimensions or overlong
//! column letters in debug builds) fails the file as a reader panic.

mod formula;
mod grid;
mod ods_scan;
mod values;
mod xls_scan;

use grid::*;
use values::*;

use super::container::zip::Zip;
use super::{Format, FormatReader, Limits, Probe, ReadCtx, ReadError};
use crate::document::{column_letters, Block, Document, GridCell, Paragraph, Table, TableOrigin};
use calamine::{
    CellErrorType, Data, DataRef, Dimensions, ExcelDateTime, Ods, Reader, SheetType, SheetVisible,
    Xls, Xlsx,
};
use std::collections::BTreeMap;
use std::io::Cursor;

/// Rows read per sheet (0-based rows `0..MAX_ROWS`).
pub(crate) const MAX_ROWS: u32 = 10_000;
/// Columns read per sheet (`A` to `IV`).
pub(crate) const MAX_COLS: u32 = 256;
/// Largest dense grid an ODS sheet may make calamine allocate.
pub(crate) const MAX_DENSE_CELLS: u64 = 4_000_000;

/// A cell value as read, before it becomes text.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Value {
    Empty,
    Number(f64),
    Text(String),
    Bool(bool),
    /// Already rendered as ISO text.
    Date(String),
    /// Error text such as `#REF!`.
    Error(String),
}

/// One stored cell: its (cached) value and its formula, if any.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Raw {
    pub value: Value,
    pub formula: Option<String>,
}

/// One visible sheet as read from the workbook, positions absolute 0-based.
#[derive(Debug, Default)]
struct SheetCells {
    name: String,
    cells: BTreeMap<(u32, u32), Raw>,
    merges: Vec<Dimensions>,
}

impl SheetCells {
    fn new(name: &str) -> Self {
        SheetCells {
            name: name.to_string(),
            ..Default::default()
        }
    }

    /// Stores a cell; blank cells without a formula are dropped. A non-blank
    /// cell outside the read window refuses the file.
    fn put(
        &mut self,
        pos: (u32, u32),
        value: Value,
        formula: Option<String>,
    ) -> Result<(), ReadError> {
        let formula = formula.filter(|f| !f.trim().is_empty());
        let blank = match &value {
            Value::Empty => true,
            Value::Text(t) => t.trim().is_empty(),
            _ => false,
        };
        if blank && formula.is_none() {
            if matches!(value, Value::Text(_)) && pos.0 < MAX_ROWS && pos.1 < MAX_COLS {
                // Keep padding text (U+3000) as written; it never extends a block.
                self.cells.insert(
                    pos,
                    Raw {
                        value,
                        formula: None,
                    },
                );
            }
            return Ok(());
        }
        if pos.0 >= MAX_ROWS || pos.1 >= MAX_COLS {
            return Err(ReadError::over_limit(format!(
                "sheet \"{}\" has content at {}{}, beyond the {} rows x {} columns (A1:{}{}) the reader reads",
                self.name,
                column_letters(pos.1),
                pos.0 as u64 + 1,
                MAX_ROWS,
                MAX_COLS,
                column_letters(MAX_COLS - 1),
                MAX_ROWS
            )));
        }
        self.cells.insert(pos, Raw { value, formula });
        Ok(())
    }
}

/// The XLSX entry of the reader registry.
pub(crate) struct XlsxReader;
/// The ODS entry of the reader registry.
pub(crate) struct OdsReader;
/// The legacy XLS entry of the reader registry.
pub(crate) struct XlsReader;

impl FormatReader for XlsxReader {
    fn format(&self) -> Format {
        Format::Xlsx
    }

    fn sniff(&self, probe: &Probe<'_>) -> bool {
        probe.zip_has("xl/workbook.xml")
    }

    fn read(&self, bytes: &[u8], ctx: &mut ReadCtx<'_>) -> Result<Document, ReadError> {
        read(bytes, Format::Xlsx, ctx.limits)
    }
}

impl FormatReader for OdsReader {
    fn format(&self) -> Format {
        Format::Ods
    }

    fn sniff(&self, probe: &Probe<'_>) -> bool {
        probe.zip_has("content.xml") && probe.zip_has("mimetype")
    }

    fn read(&self, bytes: &[u8], ctx: &mut ReadCtx<'_>) -> Result<Document, ReadError> {
        read(bytes, Format::Ods, ctx.limits)
    }
}

impl FormatReader for XlsReader {
    fn format(&self) -> Format {
        Format::Xls
    }

    fn sniff(&self, probe: &Probe<'_>) -> bool {
        !probe.ole_has("EncryptedPackage")
            && !probe.ole_has("WordDocument")
            && (probe.ole_has("Workbook") || probe.ole_has("Book"))
    }

    fn read(&self, bytes: &[u8], ctx: &mut ReadCtx<'_>) -> Result<Document, ReadError> {
        read(bytes, Format::Xls, ctx.limits)
    }
}

/// Reads a workbook into a [`Document`]. See the module documentation.
fn read(bytes: &[u8], format: Format, limits: &Limits) -> Result<Document, ReadError> {
    let label = match format {
        Format::Xlsx => "XLSX",
        Format::Xls => "XLS",
        _ => "ODS",
    };
    if matches!(format, Format::Xlsx | Format::Ods) {
        check_zip(bytes, limits, label)?;
    }
    let sheets = load(bytes, format, limits, label)?;
    let mut budget = TextBudget {
        left: limits.max_inflated_bytes,
    };
    let mut doc = Document::default();
    for sheet in sheets {
        sheet_blocks(sheet, &mut budget, &mut doc.blocks)?;
    }
    Ok(doc)
}

/// Refuses ZIP containers whose directory claims too much, before calamine
/// (which trusts the directory) opens them.
fn check_zip(bytes: &[u8], limits: &Limits, label: &'static str) -> Result<(), ReadError> {
    let mut zip = Zip::open(bytes, limits, label)?;
    let total = zip.declared_total()?;
    if total > limits.max_inflated_bytes {
        return Err(ReadError::over_limit(format!(
            "{label} container inflates to {total} bytes, the limit is {} bytes",
            limits.max_inflated_bytes
        )));
    }
    // calamine reserves room for as many shared strings as `<sst uniqueCount>`
    // claims; an absurd claim aborts the process. Every string takes more
    // than one byte of the part, so a claim above its size is a lie.
    let parts: Vec<String> = zip
        .names()
        .filter(|n| n.to_ascii_lowercase().ends_with("sharedstrings.xml"))
        .map(str::to_string)
        .collect();
    for name in parts {
        let size = zip.declared_size(&name)?;
        let head = zip.head(&name, 4096)?;
        if let Some(claimed) = unique_count(&head) {
            if claimed > size {
                return Err(ReadError::over_limit(format!(
                    "{label} shared strings claim {claimed} entries in {size} bytes"
                )));
            }
        }
    }
    Ok(())
}

/// The `uniqueCount` of the `<sst>` element at the start of a shared-strings
/// part; `u64::MAX` for a number too large to parse.
fn unique_count(head: &[u8]) -> Option<u64> {
    let text = String::from_utf8_lossy(head);
    let sst = text.find("sst")?;
    let tag_end = text[sst..].find('>').map_or(text.len(), |e| sst + e);
    let tag = &text[sst..tag_end];
    let at = tag.find("uniqueCount")? + "uniqueCount".len();
    let value = tag[at..].trim_start().strip_prefix('=')?.trim_start();
    let digits: String = value
        .trim_start_matches(['"', '\''])
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    if digits.is_empty() {
        return None;
    }
    Some(digits.parse().unwrap_or(u64::MAX))
}

/// Opens the workbook with calamine and collects the visible sheets' cells.
fn load(
    bytes: &[u8],
    format: Format,
    limits: &Limits,
    label: &'static str,
) -> Result<Vec<SheetCells>, ReadError> {
    let corrupt = |e: &dyn std::fmt::Display| ReadError::corrupt(label, e);
    let mut out = Vec::new();
    match format {
        Format::Xlsx => {
            let mut wb: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(|e| corrupt(&e))?;
            for name in visible_sheets(wb.sheets_metadata()) {
                let mut sheet = SheetCells::new(&name);
                sheet.merges = wb
                    .merge_cells_by_sheet_name(&name)
                    .map_err(|e| corrupt(&e))?;
                // Streamed cell by cell: calamine's worksheet_range would
                // allocate the whole bounding box first.
                let mut cells = wb.worksheet_cells_reader(&name).map_err(|e| corrupt(&e))?;
                while let Some(cell) = cells.next_cell_with_formula().map_err(|e| corrupt(&e))? {
                    sheet.put(cell.pos, value_ref(&cell.value), cell.formula)?;
                }
                out.push(sheet);
            }
        }
        Format::Xls => {
            let scans =
                xls_scan::scan(bytes).map_err(|reason| ReadError::corrupt(label, reason))?;
            for (i, scan) in scans.iter().enumerate() {
                let cells = scan.reserved_cells.max(scan.dense_cells);
                if cells > MAX_DENSE_CELLS {
                    return Err(ReadError::over_limit(format!(
                        "sheet {} (in workbook order) claims {cells} cells, the limit is {MAX_DENSE_CELLS}",
                        i + 1
                    )));
                }
            }
            let mut wb: Xls<_> = Xls::new(Cursor::new(bytes)).map_err(|e| corrupt(&e))?;
            for name in visible_sheets(wb.sheets_metadata()) {
                let mut sheet = SheetCells::new(&name);
                sheet.merges = wb
                    .merge_cells_by_sheet_name(&name)
                    .map_err(|e| corrupt(&e))?;
                let range = wb.worksheet_range(&name).map_err(|e| corrupt(&e))?;
                let formulas = wb.worksheet_formula(&name).map_err(|e| corrupt(&e))?;
                fill_from_ranges(&mut sheet, &range, &formulas)?;
                out.push(sheet);
            }
        }
        Format::Ods => {
            let scans = ods_scan::scan(bytes, limits)?;
            if let Some(big) = scans.iter().find(|s| s.dense_cells > MAX_DENSE_CELLS) {
                return Err(ReadError::over_limit(format!(
                    "sheet \"{}\" spans {} cells from its first to its last value, the limit is {}",
                    big.name, big.dense_cells, MAX_DENSE_CELLS
                )));
            }
            let mut wb: Ods<_> = Ods::new(Cursor::new(bytes)).map_err(|e| corrupt(&e))?;
            for name in visible_sheets(wb.sheets_metadata()) {
                let mut sheet = SheetCells::new(&name);
                if let Some(scan) = scans.iter().find(|s| s.name == name) {
                    sheet.merges = scan.merges.clone();
                }
                let range = wb.worksheet_range(&name).map_err(|e| corrupt(&e))?;
                let formulas = wb.worksheet_formula(&name).map_err(|e| corrupt(&e))?;
                fill_from_ranges(&mut sheet, &range, &formulas)?;
                out.push(sheet);
            }
        }
        _ => unreachable!("checked by read"),
    }
    Ok(out)
}

fn visible_sheets(meta: &[calamine::Sheet]) -> Vec<String> {
    meta.iter()
        .filter(|s| s.visible == SheetVisible::Visible && s.typ == SheetType::WorkSheet)
        .map(|s| s.name.clone())
        .collect()
}

fn fill_from_ranges(
    sheet: &mut SheetCells,
    range: &calamine::Range<Data>,
    formulas: &calamine::Range<String>,
) -> Result<(), ReadError> {
    let mut fmap: BTreeMap<(u32, u32), String> = BTreeMap::new();
    if let Some((r0, c0)) = formulas.start() {
        for (r, c, f) in formulas.used_cells() {
            if !f.is_empty() {
                fmap.insert((r0 + r as u32, c0 + c as u32), f.clone());
            }
        }
    }
    if let Some((r0, c0)) = range.start() {
        for (r, c, v) in range.used_cells() {
            let pos = (r0 + r as u32, c0 + c as u32);
            let f = fmap.remove(&pos);
            sheet.put(pos, value_data(v), f)?;
        }
    }
    // Formula cells whose cached value is empty are not "used" cells.
    for (pos, f) in fmap {
        sheet.put(pos, Value::Empty, Some(f))?;
    }
    Ok(())
}
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shared_string_claims_are_read() {
        assert_eq!(
            unique_count(br#"<?xml version="1.0"?><sst xmlns="x" count="12" uniqueCount="9"><si>"#),
            Some(9)
        );
        assert_eq!(
            unique_count(b"<sst uniqueCount='99999999999999999999999'>"),
            Some(u64::MAX)
        );
        assert_eq!(unique_count(b"<sst count=\"3\">"), None);
    }

    #[test]
    fn numbers_print_like_excel_general() {
        assert_eq!(number_text(3.0), "3");
        assert_eq!(number_text(-0.0), "0");
        assert_eq!(number_text(12.5), "12.5");
        assert_eq!(number_text(0.1 + 0.2), "0.3");
        assert_eq!(number_text(1234.5678), "1234.5678");
        assert_eq!(number_text(1e20), "100000000000000000000");
        assert_eq!(number_text(f64::NAN), "#NUM!");
    }

    #[test]
    fn dates_print_as_iso() {
        use calamine::ExcelDateTimeType::*;
        assert_eq!(
            excel_date(&ExcelDateTime::new(44931.0, DateTime, false)),
            "2023-01-05"
        );
        assert_eq!(
            excel_date(&ExcelDateTime::new(44931.5, DateTime, false)),
            "2023-01-05 12:00:00"
        );
        assert_eq!(
            excel_date(&ExcelDateTime::new(0.25, DateTime, false)),
            "06:00:00"
        );
        assert_eq!(iso_date("2023-01-05T00:00:00"), "2023-01-05");
    }

    fn sheet_of(cells: &[((u32, u32), &str)], merges: Vec<Dimensions>) -> Vec<Block> {
        let mut s = SheetCells::new("Sheet1");
        for &(pos, text) in cells {
            s.put(pos, Value::Text(text.into()), None).unwrap();
        }
        s.merges = merges;
        let mut out = Vec::new();
        sheet_blocks(s, &mut TextBudget { left: u64::MAX }, &mut out).unwrap();
        out
    }

    fn tables(blocks: &[Block]) -> Vec<&Table> {
        blocks
            .iter()
            .filter_map(|b| {
                if let Block::Table(t) = b {
                    Some(t)
                } else {
                    None
                }
            })
            .collect()
    }

    #[test]
    fn blank_rows_split_blocks_and_titles_become_paragraphs() {
        let blocks = sheet_of(
            &[
                ((0, 1), "青松县教育局2023年政府信息公开工作年度报告统计表"),
                ((1, 1), "信息内容"),
                ((1, 2), "本年制发件数"),
                ((2, 1), "规章"),
                ((2, 2), "0"),
                ((3, 1), "注：本表数据截至2023年12月31日。"),
                ((5, 2), "a"),
                ((5, 3), "b"),
            ],
            vec![Dimensions::new((0, 1), (0, 4))],
        );
        assert!(matches!(&blocks[0], Block::Paragraph(p) if p.text.starts_with("青松县")));
        let t = tables(&blocks);
        assert_eq!(t.len(), 2);
        assert_eq!((t[0].rows(), t[0].cols()), (2, 2));
        assert_eq!(t[0].location(0, 0).to_string(), "Sheet1!B2");
        assert!(matches!(&blocks[2], Block::Paragraph(p) if p.text.starts_with("注：")));
        assert_eq!(t[1].location(0, 0).to_string(), "Sheet1!C6");
    }

    #[test]
    fn article_captions_stay_in_the_table_and_merges_fill() {
        let blocks = sheet_of(
            &[
                ((0, 0), "第二十条第（一）项"),
                ((1, 0), "信息内容"),
                ((1, 1), "本年制发件数"),
                ((1, 2), "现行有效件数"),
            ],
            vec![Dimensions::new((0, 0), (0, 2))],
        );
        let t = tables(&blocks);
        assert_eq!(t.len(), 1);
        assert_eq!(t[0].rows(), 2);
        assert_eq!(t[0].cell(0, 2).text, "第二十条第（一）项");
        assert!(t[0].cell(0, 0).is_origin && !t[0].cell(0, 1).is_origin);
    }

    #[test]
    fn far_content_is_refused_with_the_reason() {
        let mut s = SheetCells::new("S");
        let err = s
            .put((1_048_575, 16_383), Value::Number(1.0), None)
            .unwrap_err();
        assert!(err.to_string().contains("XFD1048576"), "{err}");
        // Formatting-only or blank cells far away cost nothing.
        s.put((1_048_575, 16_383), Value::Empty, None).unwrap();
        assert!(s.cells.is_empty());
    }

    #[test]
    fn huge_merges_are_clipped_and_budgeted() {
        let mut s = SheetCells::new("S");
        s.put((0, 0), Value::Text("x".repeat(1000)), None).unwrap();
        s.merges = vec![Dimensions::new((0, 0), (1_048_575, 16_383))];
        let err = sheet_blocks(s, &mut TextBudget { left: 1 << 20 }, &mut Vec::new()).unwrap_err();
        assert!(err.kind() == crate::readers::ErrorKind::OverLimit);
    }
}
