//! The page walk: paragraphs and data tables in reading order.

#[allow(unused_imports)]
use super::*;

pub(super) struct PageReader {
    layout: HashMap<NodeId, bool>,
    pub(super) blocks: Vec<Block>,
    /// What the size limits clipped (they become report diagnostics).
    pub(super) notes: Vec<String>,
    /// Raw text of the line being collected.
    line: String,
    /// Open `<pre>`-like elements, where line breaks in the text are lines.
    pre: Vec<NodeId>,
    tables: usize,
    grid_positions: usize,
    grid_text_bytes: usize,
}

impl PageReader {
    pub(super) fn new(html: &Html) -> Self {
        PageReader {
            layout: classify_tables(html),
            blocks: Vec::new(),
            notes: Vec::new(),
            line: String::new(),
            pre: Vec::new(),
            tables: 0,
            grid_positions: 0,
            grid_text_bytes: 0,
        }
    }

    pub(super) fn flush(&mut self) {
        if self.line.is_empty() {
            return;
        }
        let text: String = normalize_text(&self.line);
        self.line.clear();
        if !text.is_empty() {
            self.blocks.push(Block::Paragraph(Paragraph::new(text)));
        }
    }

    fn push_text(&mut self, text: &str) {
        if self.pre.is_empty() {
            self.line.push_str(text);
            return;
        }
        let mut parts = text.split('\n');
        if let Some(first) = parts.next() {
            self.line.push_str(first);
        }
        for part in parts {
            self.flush();
            self.line.push_str(part);
        }
    }

    /// Reads a data table and emits its captions and grid.
    fn emit_table(&mut self, table: NodeRef<'_, Node>) -> Result<(), ReadError> {
        let mut rows = RowCollector::default();
        walk(table, &mut rows)?;
        for caption in rows.captions {
            if !caption.is_empty() {
                self.blocks.push(Block::Paragraph(Paragraph::new(caption)));
            }
        }
        let source_rows = rows.rows.len();
        let source_cols = rows
            .rows
            .iter()
            .map(|row| row.iter().map(|c| c.colspan.max(1)).sum::<usize>())
            .max()
            .unwrap_or(0);
        let mut builder = GridBuilder::new();
        for (r, row) in rows.rows.into_iter().enumerate() {
            let remaining = (source_rows - r).min(GridBuilder::DEFAULT_MAX_ROWS);
            let cells: Vec<SpanCell> = row
                .into_iter()
                .map(|mut cell| {
                    cell.rowspan = cell.rowspan.clamp(1, remaining);
                    cell.colspan = cell.colspan.clamp(1, GridBuilder::DEFAULT_MAX_COLS);
                    let cost = cell.text.len().max(1) * cell.rowspan * cell.colspan;
                    if self.grid_text_bytes.saturating_add(cost) > MAX_GRID_TEXT_BYTES {
                        cell.rowspan = 1;
                        cell.colspan = 1;
                        self.grid_text_bytes += cell.text.len().max(1);
                    } else {
                        self.grid_text_bytes += cost;
                    }
                    cell
                })
                .collect();
            builder.push_row(cells);
        }
        let grid = builder.finish(TableOrigin::Flow {
            index: self.tables + 1,
        });
        if grid.rows() == 0 || grid.cols() == 0 {
            return Ok(());
        }
        let empty = (0..grid.rows()).all(|r| grid.row_texts(r).all(str::is_empty));
        if empty {
            return Ok(());
        }
        self.grid_positions += grid.rows() * grid.cols();
        if self.grid_positions > MAX_GRID_POSITIONS {
            return Err(ReadError::over_limit(format!(
                "the tables of this page hold more than {MAX_GRID_POSITIONS} cells"
            )));
        }
        self.tables += 1;
        if source_rows > grid.rows() || source_cols > grid.cols() {
            self.notes.push(format!(
                "table {}: {source_rows} rows x {source_cols} columns in the page, only the first {} x {} read (the table size limit)",
                self.tables,
                grid.rows(),
                grid.cols()
            ));
        }
        self.blocks.push(Block::Table(grid));
        Ok(())
    }
}

impl<'a> Visitor<'a> for PageReader {
    fn enter(&mut self, node: NodeRef<'a, Node>) -> Result<bool, ReadError> {
        match node.value() {
            Node::Text(text) => {
                self.push_text(text);
                Ok(false)
            }
            Node::Element(el) => {
                if is_skipped(el) {
                    return Ok(false);
                }
                let name = el.name();
                if name == "table" && !self.layout.get(&node.id()).copied().unwrap_or(true) {
                    self.flush();
                    self.emit_table(node)?;
                    return Ok(false);
                }
                if is_block(name) {
                    self.flush();
                }
                if matches!(name, "pre" | "listing" | "plaintext" | "xmp" | "textarea") {
                    self.pre.push(node.id());
                }
                Ok(true)
            }
            Node::Document | Node::Fragment => Ok(true),
            _ => Ok(false),
        }
    }

    fn leave(&mut self, node: NodeRef<'a, Node>) {
        let Some(el) = element(&node) else { return };
        if is_block(el.name()) {
            self.flush();
        }
        if self.pre.last() == Some(&node.id()) {
            self.pre.pop();
        }
    }
}

// ---------------------------------------------------------------------------
// Data tables

/// Collects the rows and captions of one data table (which holds no other
/// tables, or it would be a layout table).
#[derive(Default)]
pub(super) struct RowCollector {
    rows: Vec<Vec<SpanCell>>,
    captions: Vec<String>,
    /// The raw text of the cell being read, reused from cell to cell.
    scratch: String,
}

impl<'a> Visitor<'a> for RowCollector {
    fn enter(&mut self, node: NodeRef<'a, Node>) -> Result<bool, ReadError> {
        let Some(el) = element(&node) else {
            return Ok(false);
        };
        if is_skipped(el) {
            return Ok(false);
        }
        match el.name() {
            "tr" => {
                self.rows.push(Vec::new());
                Ok(true)
            }
            "td" | "th" => {
                if self.rows.is_empty() {
                    self.rows.push(Vec::new());
                }
                let cell = SpanCell {
                    text: cell_text(node, &mut self.scratch)?,
                    rowspan: span(el.attr("rowspan"), MAX_ROWSPAN),
                    colspan: span(el.attr("colspan"), MAX_COLSPAN),
                };
                self.rows.last_mut().expect("pushed above").push(cell);
                Ok(false)
            }
            "caption" => {
                self.captions
                    .push(cell_text(node, &mut self.scratch)?.into());
                Ok(false)
            }
            "table" => Ok(false), // cannot happen: nested tables make a layout table
            _ => Ok(true),
        }
    }

    fn leave(&mut self, _node: NodeRef<'a, Node>) {}
}

/// A span attribute as browsers read it: leading digits, 0 or garbage is 1,
/// capped at the HTML maximum.
pub(super) fn span(value: Option<&str>, max: usize) -> usize {
    let Some(value) = value else { return 1 };
    let digits: String = value
        .trim()
        .chars()
        .take_while(char::is_ascii_digit)
        .take(9)
        .collect();
    digits.parse::<usize>().unwrap_or(1).clamp(1, max)
}

/// All text of a cell; `<br>` and block boundaries inside it become spaces.
/// `scratch` holds the raw text on the way (one buffer for all cells).
pub(super) fn cell_text(
    cell: NodeRef<'_, Node>,
    scratch: &mut String,
) -> Result<CompactString, ReadError> {
    scratch.clear();
    let mut collector = CellText { raw: scratch };
    walk(cell, &mut collector)?;
    Ok(normalize_text(collector.raw))
}

pub(super) struct CellText<'s> {
    raw: &'s mut String,
}

impl<'a> Visitor<'a> for CellText<'_> {
    fn enter(&mut self, node: NodeRef<'a, Node>) -> Result<bool, ReadError> {
        match node.value() {
            Node::Text(text) => {
                self.raw.push_str(text);
                Ok(false)
            }
            Node::Element(el) => {
                if is_skipped(el) {
                    return Ok(false);
                }
                if is_block(el.name()) {
                    self.raw.push(' ');
                }
                Ok(true)
            }
            _ => Ok(false),
        }
    }

    fn leave(&mut self, node: NodeRef<'a, Node>) {
        if element(&node).is_some_and(|el| is_block(el.name())) {
            self.raw.push(' ');
        }
    }
}
