//! The format-neutral document model every reader produces.
//!
//! Readers know file formats and nothing of the annual-report template; the
//! recognizer knows the template and nothing of formats. This module is the
//! contract between the two: paragraphs and tables in reading order, where a
//! table is a dense grid with merged cells already resolved.

pub use compact_str::CompactString;
use serde::{Deserialize, Serialize};

/// A whole input file, flattened into reading order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Document {
    pub blocks: Vec<Block>,
    /// What the reader trimmed or guessed (a clipped table, a formula read
    /// without its cached value ...): recognition turns each into a
    /// diagnostic, so nothing is dropped silently.
    pub notes: Vec<String>,
}

/// One item in reading order.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    Paragraph(Paragraph),
    Table(Table),
}

/// A paragraph of running text.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Paragraph {
    pub text: String,
    /// The label that automatic list numbering would print before the text
    /// (e.g. "一、" from a DOCX `w:numPr`), when the format renders it outside
    /// the text itself. Recognition treats it as a prefix of the text.
    pub list_label: Option<String>,
}

impl Paragraph {
    pub fn new(text: impl Into<String>) -> Self {
        Paragraph {
            text: text.into(),
            list_label: None,
        }
    }

    /// The text as a reader would see it on the page: list label, then text.
    pub fn display_text(&self) -> String {
        self.display().into_owned()
    }

    /// [`Self::display_text`], borrowed when there is no list label (the
    /// usual case: section extraction asks it of every paragraph).
    pub fn display(&self) -> std::borrow::Cow<'_, str> {
        match &self.list_label {
            Some(label) => std::borrow::Cow::Owned(format!("{label}{}", self.text)),
            None => std::borrow::Cow::Borrowed(&self.text),
        }
    }
}

/// Where a table sits in its source, so every value can point an auditor back
/// to the cell it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TableOrigin {
    /// The n-th table (1-based) of a flowing document (TXT, HTML, DOCX).
    Flow { index: usize },
    /// A block of cells on a spreadsheet sheet; `first_row`/`first_col` are the
    /// 0-based sheet coordinates of the grid's top-left position.
    Sheet {
        sheet: String,
        first_row: u32,
        first_col: u32,
    },
    /// The n-th table (1-based) of a PDF, with the page and bounding box of
    /// the (merged) cell at every grid position, row-major (`rows x cols`):
    /// a table joined across pages has cells on several pages.
    Pdf { index: usize, boxes: Vec<PdfBox> },
}

/// Where a PDF cell is printed: 1-based page number and bounding box in PDF
/// user-space points `[x0, y0, x1, y1]` (origin at the page's bottom left,
/// y up, as in the PDF and in Acrobat's measuring tool), rounded to 0.1 pt.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct PdfBox {
    pub page: u32,
    pub bbox: [f32; 4],
}

// Boxes are built from finite coordinates only (the PDF reader drops
// non-finite ones), so equality is reflexive.
impl Eq for PdfBox {}

/// One position of the dense grid.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GridCell {
    /// The text of the cell covering this position (copied into every position
    /// a merged cell covers). Inline up to 24 bytes: nearly every cell is a
    /// number or a label of at most eight Han characters, so most cells
    /// cost no allocation to make, copy into merged positions, or free (the
    /// text reader on the seed report: 0.40 M -> 0.28 M instructions).
    pub text: CompactString,
    /// True only at the top-left position of the (possibly merged) cell.
    pub is_origin: bool,
}

/// A table as a dense `rows x cols` grid. Ragged source rows are padded with
/// empty non-origin cells so every row has `cols` positions.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub origin: TableOrigin,
    cols: usize,
    cells: Vec<GridCell>,
}

/// A cell's address in its source, as written to the output.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum SourceLocation {
    /// Table number (1-based, in document order), row and column (1-based) of
    /// the grid position.
    Flow {
        table: usize,
        row: usize,
        col: usize,
    },
    /// Sheet name and A1 reference.
    Sheet { sheet: String, cell: String },
    /// A PDF table's grid position (as for `Flow`) plus the page and the
    /// cell's bounding box in PDF points.
    Pdf {
        table: usize,
        row: usize,
        col: usize,
        page: u32,
        bbox: [f32; 4],
    },
}

// See `PdfBox`: coordinates are finite.
impl Eq for SourceLocation {}

/// The fields any location may have; which are present decides the variant
/// (an untagged derive would read every PDF location as `Flow`, whose
/// fields it has too).
#[derive(Deserialize)]
pub(crate) struct LocationFields {
    table: Option<usize>,
    row: Option<usize>,
    col: Option<usize>,
    page: Option<u32>,
    bbox: Option<[f32; 4]>,
    sheet: Option<String>,
    cell: Option<String>,
}

impl LocationFields {
    pub(crate) fn into_location(self) -> Option<SourceLocation> {
        Some(match self {
            LocationFields {
                sheet: Some(sheet),
                cell: Some(cell),
                ..
            } => SourceLocation::Sheet { sheet, cell },
            LocationFields {
                table: Some(table),
                row: Some(row),
                col: Some(col),
                page: Some(page),
                bbox: Some(bbox),
                ..
            } => SourceLocation::Pdf {
                table,
                row,
                col,
                page,
                bbox,
            },
            LocationFields {
                table: Some(table),
                row: Some(row),
                col: Some(col),
                ..
            } => SourceLocation::Flow { table, row, col },
            _ => return None,
        })
    }
}

impl<'de> Deserialize<'de> for SourceLocation {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        LocationFields::deserialize(d)?
            .into_location()
            .ok_or_else(|| serde::de::Error::custom("a location needs table/row/col or sheet/cell"))
    }
}

impl std::fmt::Display for SourceLocation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SourceLocation::Flow { table, row, col } => write!(f, "table {table} r{row}c{col}"),
            SourceLocation::Sheet { sheet, cell } => write!(f, "{sheet}!{cell}"),
            SourceLocation::Pdf {
                table,
                row,
                col,
                page,
                bbox: [x0, y0, x1, y1],
            } => write!(
                f,
                "table {table} r{row}c{col} p{page} [{x0:.1} {y0:.1} {x1:.1} {y1:.1}]"
            ),
        }
    }
}

/// Converts a 0-based column number to spreadsheet letters (0 -> A, 26 -> AA).
pub fn column_letters(mut col: u32) -> String {
    let mut out = Vec::new();
    loop {
        out.push(b'A' + (col % 26) as u8);
        if col < 26 {
            break;
        }
        col = col / 26 - 1;
    }
    out.reverse();
    String::from_utf8(out).expect("ASCII letters")
}

impl Table {
    /// An empty table with `cols` columns and no rows.
    pub fn new(origin: TableOrigin, cols: usize) -> Self {
        Table {
            origin,
            cols,
            cells: Vec::new(),
        }
    }

    /// Builds a grid from rows of plain (unmerged) cell texts; short rows are
    /// padded.
    pub fn from_rows(origin: TableOrigin, rows: Vec<Vec<CompactString>>) -> Self {
        let cols = rows.iter().map(Vec::len).max().unwrap_or(0);
        let mut table = Table::new(origin, cols);
        // The grid's size is known: one allocation, no vector per row (the
        // text reader's tables: 36,000 -> 15,000 instructions on the seed).
        table.cells.reserve_exact(rows.len() * cols);
        for row in rows {
            let len = row.len();
            table.cells.extend(row.into_iter().map(|text| GridCell {
                text,
                is_origin: true,
            }));
            table
                .cells
                .extend(std::iter::repeat_with(GridCell::default).take(cols - len));
        }
        table
    }

    /// Builds a grid from rows that are already dense (every row `cols` long).
    /// Rows that are shorter are padded, longer ones truncated.
    pub fn from_grid(origin: TableOrigin, cols: usize, rows: Vec<Vec<GridCell>>) -> Self {
        let mut table = Table::new(origin, cols);
        for mut row in rows {
            row.resize(cols, GridCell::default());
            table.cells.extend(row);
        }
        table
    }

    pub fn rows(&self) -> usize {
        self.cells.len().checked_div(self.cols).unwrap_or(0)
    }

    pub fn cols(&self) -> usize {
        self.cols
    }

    pub fn cell(&self, row: usize, col: usize) -> &GridCell {
        &self.cells[row * self.cols + col]
    }

    /// The texts of one row, merged positions included.
    pub fn row(&self, row: usize) -> &[GridCell] {
        &self.cells[row * self.cols..(row + 1) * self.cols]
    }

    pub fn row_texts(&self, row: usize) -> impl Iterator<Item = &str> {
        self.row(row).iter().map(|c| c.text.as_str())
    }

    /// Where the grid position (0-based) came from in the source.
    pub fn location(&self, row: usize, col: usize) -> SourceLocation {
        match &self.origin {
            TableOrigin::Flow { index } => SourceLocation::Flow {
                table: *index,
                row: row + 1,
                col: col + 1,
            },
            TableOrigin::Sheet {
                sheet,
                first_row,
                first_col,
            } => SourceLocation::Sheet {
                sheet: sheet.clone(),
                cell: format!(
                    "{}{}",
                    column_letters(first_col + col as u32),
                    first_row + row as u32 + 1
                ),
            },
            TableOrigin::Pdf { index, boxes } => {
                let b = boxes.get(row * self.cols + col).copied().unwrap_or(PdfBox {
                    page: 0,
                    bbox: [0.0; 4],
                });
                SourceLocation::Pdf {
                    table: *index,
                    row: row + 1,
                    col: col + 1,
                    page: b.page,
                    bbox: b.bbox,
                }
            }
        }
    }
}

/// Builds a dense grid from cells that carry row and column spans, as HTML
/// (`rowspan`/`colspan`) and DOCX (`gridSpan`/`vMerge`) describe them.
///
/// Spans are clamped: a hostile `colspan="1000000"` costs nothing more than
/// `max_cols` columns.
#[derive(Debug)]
pub struct GridBuilder {
    max_cols: usize,
    max_rows: usize,
    /// Rows under construction; `None` marks a position not yet filled.
    rows: Vec<Vec<Option<GridCell>>>,
    current: usize,
}

/// A cell as the source declares it, before placement.
#[derive(Debug, Clone)]
pub struct SpanCell {
    pub text: CompactString,
    pub rowspan: usize,
    pub colspan: usize,
}

impl GridBuilder {
    /// Hard caps on grid size; anything beyond is dropped (readers record why).
    pub const DEFAULT_MAX_COLS: usize = 256;
    pub const DEFAULT_MAX_ROWS: usize = 10_000;

    pub fn new() -> Self {
        Self::with_limits(Self::DEFAULT_MAX_COLS, Self::DEFAULT_MAX_ROWS)
    }

    pub fn with_limits(max_cols: usize, max_rows: usize) -> Self {
        GridBuilder {
            max_cols,
            max_rows,
            rows: Vec::new(),
            current: 0,
        }
    }

    /// Appends one source row: each cell takes the next free position left to
    /// right, skipping positions covered by rowspans from rows above.
    pub fn push_row(&mut self, cells: impl IntoIterator<Item = SpanCell>) {
        if self.current >= self.max_rows {
            return;
        }
        self.ensure_row(self.current);
        let mut col = 0;
        for cell in cells {
            while col < self.max_cols && self.is_filled(self.current, col) {
                col += 1;
            }
            if col >= self.max_cols {
                break;
            }
            let colspan = cell.colspan.clamp(1, self.max_cols - col);
            let rowspan = cell.rowspan.clamp(1, self.max_rows - self.current);
            for r in self.current..self.current + rowspan {
                self.ensure_row(r);
                if self.rows[r].len() < col + colspan {
                    self.rows[r].resize(col + colspan, None);
                }
                for c in col..col + colspan {
                    let slot = &mut self.rows[r][c];
                    if slot.is_none() {
                        *slot = Some(GridCell {
                            text: cell.text.clone(),
                            is_origin: r == self.current && c == col,
                        });
                    }
                }
            }
            col += colspan;
        }
        self.current += 1;
    }

    /// Rows grow lazily to the widest column actually used.
    fn ensure_row(&mut self, r: usize) {
        while self.rows.len() <= r {
            self.rows.push(Vec::new());
        }
    }

    fn is_filled(&self, r: usize, c: usize) -> bool {
        self.rows
            .get(r)
            .and_then(|row| row.get(c))
            .map(Option::is_some)
            .unwrap_or(false)
    }

    /// Finishes the grid. Rowspans that reach past the last source row are cut
    /// at the last row that has any declared cell.
    pub fn finish(mut self, origin: TableOrigin) -> Table {
        self.rows.truncate(self.current);
        let cols = self.rows.iter().map(Vec::len).max().unwrap_or(0);
        let rows = self
            .rows
            .into_iter()
            .map(|row| row.into_iter().map(Option::unwrap_or_default).collect())
            .collect();
        Table::from_grid(origin, cols, rows)
    }
}

impl Default for GridBuilder {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sc(text: &str, rowspan: usize, colspan: usize) -> SpanCell {
        SpanCell {
            text: text.into(),
            rowspan,
            colspan,
        }
    }

    #[test]
    fn spans_resolve_into_dense_grid() {
        let mut b = GridBuilder::new();
        b.push_row(vec![sc("A", 2, 1), sc("B", 1, 2)]);
        b.push_row(vec![sc("C", 1, 1), sc("D", 1, 1)]);
        let t = b.finish(TableOrigin::Flow { index: 1 });
        assert_eq!(t.rows(), 2);
        assert_eq!(t.cols(), 3);
        let texts: Vec<&str> = t.row_texts(1).collect();
        assert_eq!(texts, ["A", "C", "D"]);
        assert!(t.cell(0, 0).is_origin);
        assert!(!t.cell(1, 0).is_origin);
        assert!(!t.cell(0, 2).is_origin);
    }

    #[test]
    fn hostile_colspan_is_clamped() {
        let mut b = GridBuilder::new();
        b.push_row(vec![sc("x", 1_000_000, 1_000_000)]);
        let t = b.finish(TableOrigin::Flow { index: 1 });
        assert_eq!(t.cols(), GridBuilder::DEFAULT_MAX_COLS);
        assert_eq!(t.rows(), 1);
    }

    #[test]
    fn sheet_locations_are_a1() {
        let t = Table::from_rows(
            TableOrigin::Sheet {
                sheet: "表3".into(),
                first_row: 4,
                first_col: 1,
            },
            vec![vec!["a".into(), "b".into()]],
        );
        assert_eq!(t.location(0, 1).to_string(), "表3!C5");
        assert_eq!(column_letters(26), "AA");
        assert_eq!(column_letters(0), "A");
    }
}
