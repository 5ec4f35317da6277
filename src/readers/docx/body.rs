//! The document body: one pull-parser pass over `word/document.xml` that
//! builds paragraphs and dense table grids, no DOM.

use std::borrow::Cow;

use quick_xml::events::{BytesStart, Event};

use super::package::Lists;
use super::FORMAT;
use crate::document::{Block, Document, GridCell, Paragraph, Table, TableOrigin};
use crate::readers::container::xml::{attr, attr_num, attr_on, attr_raw, local_name, XmlPart};
use crate::readers::whitespace::collapse;
use crate::readers::{Limits, ReadError};

/// The elements whose nesting matters to the parser.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Tag {
    P,
    PPr,
    PPrRPr,
    NumPr,
    R,
    RPr,
    T,
    Tbl,
    TblGrid,
    Tr,
    TrPr,
    Tc,
    TcPr,
    Other,
}

#[derive(Debug, Default)]
pub(super) struct ParaState {
    /// Where this paragraph's text starts in `BodyParser::text`.
    pub(super) start: usize,
    pub(super) style: Option<String>,
    pub(super) num_id: Option<u32>,
    pub(super) ilvl: Option<u8>,
    pub(super) mark_deleted: bool,
    pub(super) run_hidden: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(super) enum Merge {
    #[default]
    None,
    Restart,
    Continue,
}

#[derive(Debug, Default)]
pub(super) struct CellState {
    span: usize,
    vmerge: Merge,
    hmerge: Merge,
    /// The cell's content: `TableState::blocks[start..end]`.
    start: usize,
    end: usize,
}

#[derive(Debug, Default)]
pub(super) struct RowState {
    before: usize,
    after: usize,
    deleted: bool,
    /// The row's cells: `TableState::cells[cell_start..cell_end]`; its
    /// content starts at `TableState::blocks[block_start]`.
    cell_start: usize,
    cell_end: usize,
    block_start: usize,
}

/// A table being read. Everything found inside it goes, in reading order,
/// into one `blocks` arena that cells index into: a layout table hands the
/// arena on as it is, a data table takes its cells' paragraphs out of it.
#[derive(Debug, Default)]
pub(super) struct TableState {
    grid_cols: usize,
    rows: Vec<RowState>,
    cells: Vec<CellState>,
    blocks: Vec<Block>,
    row: Option<RowState>,
    cell: Option<CellState>,
    /// A table started inside one of this table's cells: layout table.
    nested: bool,
    /// Indices of blocks found in the table outside any cell (malformed).
    loose: Vec<usize>,
}

impl TableState {
    pub(super) fn open_row(&mut self) -> RowState {
        RowState {
            cell_start: self.cells.len(),
            block_start: self.blocks.len(),
            ..RowState::default()
        }
    }
}

pub(super) struct BodyParser<'z> {
    lists: Lists<'z>,
    stack: Vec<Tag>,
    /// > 0 while inside a subtree that is not read (deletions, old properties).
    skip: usize,
    paras: Vec<ParaState>,
    tables: Vec<TableState>,
    /// Open complex fields: true while in the instruction part.
    fields: Vec<bool>,
    instr_fields: usize,
    /// Text of paragraphs whose mark was deleted: joins the next paragraph.
    carry: String,
    /// Raw text of the open paragraphs, innermost last (see `ParaState::start`).
    text: String,
    blocks: Vec<Block>,
    cells_left: usize,
    text_left: u64,
    /// `Limits::max_table_cols` and `Limits::max_grid_positions`.
    max_cols: usize,
    max_grid: usize,
}

impl<'z> BodyParser<'z> {
    pub(super) fn new(lists: Lists<'z>, limits: &Limits) -> Self {
        BodyParser {
            lists,
            stack: Vec::with_capacity(32),
            skip: 0,
            paras: Vec::new(),
            tables: Vec::new(),
            fields: Vec::new(),
            instr_fields: 0,
            carry: String::new(),
            text: String::new(),
            blocks: Vec::new(),
            cells_left: limits.max_grid_positions,
            text_left: limits.max_inflated_bytes,
            max_cols: limits.max_table_cols,
            max_grid: limits.max_grid_positions,
        }
    }

    pub(super) fn run(&mut self, part: &mut XmlPart<'_>) -> Result<(), ReadError> {
        let mut seen_root = false;
        loop {
            match part.next()? {
                Event::Start(e) => {
                    seen_root = true;
                    if self.skip > 0 {
                        self.skip += 1;
                    } else {
                        let tag = self.open(&e)?;
                        match tag {
                            Some(tag) => self.stack.push(tag),
                            None => self.skip = 1,
                        }
                    }
                }
                Event::Empty(e) => {
                    seen_root = true;
                    if self.skip == 0 {
                        if let Some(tag) = self.open(&e)? {
                            self.close(tag)?;
                        }
                    }
                }
                Event::End(_) => {
                    if self.skip > 0 {
                        self.skip -= 1;
                    } else if let Some(tag) = self.stack.pop() {
                        self.close(tag)?;
                    }
                }
                Event::Text(t) if self.collecting() => self.push_bytes(&t),
                Event::CData(t) if self.collecting() => self.push_bytes(&t),
                Event::GeneralRef(r) if self.collecting() => {
                    let c = if r.is_char_ref() {
                        r.resolve_char_ref().ok().flatten()
                    } else {
                        let name: &[u8] = &r;
                        match name {
                            b"amp" => Some('&'),
                            b"lt" => Some('<'),
                            b"gt" => Some('>'),
                            b"quot" => Some('"'),
                            b"apos" => Some('\''),
                            _ => None,
                        }
                    };
                    if let Some(c) = c {
                        let mut tmp = [0u8; 4];
                        self.push_text(c.encode_utf8(&mut tmp));
                    }
                }
                Event::Eof => break,
                _ => {}
            }
        }
        if !seen_root {
            return Err(ReadError::corrupt(FORMAT, "word/document.xml is empty"));
        }
        Ok(())
    }

    pub(super) fn parent(&self) -> Option<Tag> {
        self.stack.last().copied()
    }

    pub(super) fn collecting(&self) -> bool {
        self.skip == 0
            && self.parent() == Some(Tag::T)
            && self.instr_fields == 0
            && self.paras.last().is_some_and(|p| !p.run_hidden)
    }

    pub(super) fn push_text(&mut self, s: &str) {
        if !self.paras.is_empty() {
            self.text.push_str(s);
        }
    }

    pub(super) fn push_bytes(&mut self, b: &[u8]) {
        match std::str::from_utf8(b) {
            Ok(s) => self.push_text(s),
            Err(_) => self.push_text(&String::from_utf8_lossy(b)),
        }
    }

    pub(super) fn push_run_char(&mut self, c: char) {
        if self.instr_fields == 0 && self.paras.last().is_some_and(|p| !p.run_hidden) {
            self.text.push(c);
        }
    }

    /// Handles an opening tag; `None` means: skip its whole subtree.
    pub(super) fn open(&mut self, e: &BytesStart<'_>) -> Result<Option<Tag>, ReadError> {
        let parent = self.parent();
        let name = local_name(e.name().into_inner());
        let tag = match name {
            b"p" => {
                self.paras.push(ParaState {
                    start: self.text.len(),
                    ..ParaState::default()
                });
                Tag::P
            }
            b"r" => {
                if let Some(p) = self.paras.last_mut() {
                    p.run_hidden = false;
                }
                Tag::R
            }
            b"t" if parent == Some(Tag::R) => Tag::T,
            b"tab" | b"ptab" | b"br" | b"cr" if parent == Some(Tag::R) => {
                self.push_run_char(' ');
                Tag::Other
            }
            b"noBreakHyphen" if parent == Some(Tag::R) => {
                self.push_run_char('-');
                Tag::Other
            }
            b"fldChar" if parent == Some(Tag::R) => {
                match attr_raw(e, b"fldCharType").as_deref() {
                    Some(b"begin") => {
                        self.fields.push(true);
                        self.instr_fields += 1;
                    }
                    Some(b"separate") => {
                        if let Some(f) = self.fields.last_mut() {
                            if *f {
                                *f = false;
                                self.instr_fields -= 1;
                            }
                        }
                    }
                    Some(b"end") => {
                        if let Some(f) = self.fields.pop() {
                            if f {
                                self.instr_fields -= 1;
                            }
                        }
                    }
                    _ => {}
                }
                Tag::Other
            }
            b"rPr" if parent == Some(Tag::R) => Tag::RPr,
            b"vanish" if parent == Some(Tag::RPr) => {
                let on = attr_on(e);
                if let Some(p) = self.paras.last_mut() {
                    p.run_hidden = on;
                }
                Tag::Other
            }
            b"pPr" if parent == Some(Tag::P) => Tag::PPr,
            b"rPr" if parent == Some(Tag::PPr) => Tag::PPrRPr,
            b"pStyle" if parent == Some(Tag::PPr) => {
                // The style matters only for list numbering: a document
                // without numbering definitions needs no style names.
                if !self.lists.numbering()?.is_empty() {
                    let v = attr(e, b"val").map(Cow::into_owned);
                    if let Some(p) = self.paras.last_mut() {
                        p.style = v;
                    }
                }
                Tag::Other
            }
            b"numPr" if parent == Some(Tag::PPr) => Tag::NumPr,
            b"numId" if parent == Some(Tag::NumPr) => {
                let v = attr_num(e, b"val").map(|v| v.min(u32::MAX as u64) as u32);
                if let Some(p) = self.paras.last_mut() {
                    p.num_id = v;
                }
                Tag::Other
            }
            b"ilvl" if parent == Some(Tag::NumPr) => {
                let v = attr_num(e, b"val").map(|v| v.min(8) as u8);
                if let Some(p) = self.paras.last_mut() {
                    p.ilvl = v;
                }
                Tag::Other
            }
            b"del" | b"moveFrom" => {
                match parent {
                    Some(Tag::PPrRPr) => {
                        if let Some(p) = self.paras.last_mut() {
                            p.mark_deleted = true;
                        }
                    }
                    Some(Tag::TrPr) => {
                        if let Some(row) = self.tables.last_mut().and_then(|t| t.row.as_mut()) {
                            row.deleted = true;
                        }
                    }
                    _ => {}
                }
                return Ok(None);
            }
            b"delText" | b"delInstrText" | b"instrText" | b"sdtPr" | b"sdtEndPr" | b"Fallback" => {
                return Ok(None)
            }
            b"tbl" => {
                self.flush_carry();
                if let Some(parent) = self.tables.last_mut() {
                    parent.nested = true;
                }
                self.tables.push(TableState::default());
                Tag::Tbl
            }
            b"tblGrid" if parent == Some(Tag::Tbl) => Tag::TblGrid,
            b"gridCol" if parent == Some(Tag::TblGrid) => {
                if let Some(t) = self.tables.last_mut() {
                    t.grid_cols = (t.grid_cols + 1).min(self.max_cols);
                }
                Tag::Other
            }
            b"tr" if !self.tables.is_empty() => {
                self.end_cell();
                let t = self.tables.last_mut().expect("checked");
                Self::end_row(t);
                t.row = Some(t.open_row());
                Tag::Tr
            }
            b"trPr" if parent == Some(Tag::Tr) => Tag::TrPr,
            b"gridBefore" | b"gridAfter" if parent == Some(Tag::TrPr) => {
                let n = attr_num(e, b"val").unwrap_or(0).min(self.max_cols as u64) as usize;
                if let Some(row) = self.tables.last_mut().and_then(|t| t.row.as_mut()) {
                    if name == b"gridBefore" {
                        row.before = n;
                    } else {
                        row.after = n;
                    }
                }
                Tag::Other
            }
            b"tc" if !self.tables.is_empty() => {
                self.end_cell();
                let t = self.tables.last_mut().expect("checked");
                if t.row.is_none() {
                    t.row = Some(t.open_row());
                }
                t.cell = Some(CellState {
                    span: 1,
                    start: t.blocks.len(),
                    ..CellState::default()
                });
                Tag::Tc
            }
            b"tcPr" if parent == Some(Tag::Tc) => Tag::TcPr,
            b"gridSpan" | b"vMerge" | b"hMerge" if parent == Some(Tag::TcPr) => {
                let span = if name == b"gridSpan" {
                    attr_num(e, b"val")
                } else {
                    None
                };
                let merge = match attr_raw(e, b"val").as_deref() {
                    Some(b"restart") => Merge::Restart,
                    _ => Merge::Continue,
                };
                if let Some(cell) = self.tables.last_mut().and_then(|t| t.cell.as_mut()) {
                    match name {
                        b"gridSpan" => {
                            cell.span = span.unwrap_or(1).clamp(1, self.max_cols as u64) as usize
                        }
                        b"vMerge" => cell.vmerge = merge,
                        _ => cell.hmerge = merge,
                    }
                }
                Tag::Other
            }
            // Old properties of tracked changes (pPrChange, tblGridChange ...).
            _ if name.ends_with(b"Change") => return Ok(None),
            _ => Tag::Other,
        };
        Ok(Some(tag))
    }

    pub(super) fn close(&mut self, tag: Tag) -> Result<(), ReadError> {
        match tag {
            Tag::P => self.end_paragraph()?,
            Tag::Tc => self.end_cell(),
            Tag::Tr => {
                self.end_cell();
                if let Some(t) = self.tables.last_mut() {
                    Self::end_row(t);
                }
            }
            Tag::Tbl => self.end_table()?,
            _ => {}
        }
        Ok(())
    }

    /// Appends a finished block where it belongs: the innermost open table,
    /// or the body.
    pub(super) fn push_block(&mut self, block: Block) {
        match self.tables.last_mut() {
            Some(t) => {
                if t.cell.is_none() {
                    t.loose.push(t.blocks.len());
                }
                t.blocks.push(block);
            }
            None => self.blocks.push(block),
        }
    }

    pub(super) fn flush_carry(&mut self) {
        if !self.carry.is_empty() {
            let text = collapse(&std::mem::take(&mut self.carry));
            if !text.is_empty() {
                self.push_block(Block::Paragraph(Paragraph::new(text)));
            }
        }
    }

    pub(super) fn end_paragraph(&mut self) -> Result<(), ReadError> {
        let Some(p) = self.paras.pop() else {
            return Ok(());
        };
        // A field whose instruction never reached its separator does not
        // swallow the rest of the document.
        if self.instr_fields > 0 {
            self.fields.iter_mut().for_each(|f| *f = false);
            self.instr_fields = 0;
        }
        let start = p.start.min(self.text.len());
        if p.mark_deleted {
            self.carry.push_str(&self.text[start..]);
            self.text.truncate(start);
            return Ok(());
        }
        let label = self.lists.label(&p)?;
        let text = if self.carry.is_empty() {
            collapse(&self.text[start..])
        } else {
            self.carry.push_str(&self.text[start..]);
            let t = collapse(&self.carry);
            self.carry.clear();
            t
        };
        // Text of the enclosing paragraph (this one may sit in a text box
        // inside it) stays in the buffer.
        self.text.truncate(start);
        if text.is_empty() && label.is_none() {
            return Ok(());
        }
        self.push_block(Block::Paragraph(Paragraph {
            text,
            list_label: label,
        }));
        Ok(())
    }

    pub(super) fn end_cell(&mut self) {
        if self.tables.last().is_some_and(|t| t.cell.is_some()) {
            self.flush_carry();
        }
        if let Some(t) = self.tables.last_mut() {
            if let Some(mut cell) = t.cell.take() {
                cell.end = t.blocks.len();
                if t.row.is_none() {
                    t.row = Some(t.open_row());
                }
                t.cells.push(cell);
            }
        }
    }

    /// Closes the open row; a tracked-deleted row and its content vanish.
    pub(super) fn end_row(t: &mut TableState) {
        if let Some(mut row) = t.row.take() {
            if row.deleted {
                t.cells.truncate(row.cell_start);
                t.blocks.truncate(row.block_start);
                t.loose.retain(|&i| i < row.block_start);
            } else {
                row.cell_end = t.cells.len();
                t.rows.push(row);
            }
        }
    }

    pub(super) fn end_table(&mut self) -> Result<(), ReadError> {
        self.end_cell();
        let Some(mut t) = self.tables.pop() else {
            return Ok(());
        };
        Self::end_row(&mut t);
        if t.nested {
            // Layout table: its content in reading order, without the frame.
            for block in std::mem::take(&mut t.blocks) {
                self.push_block(block);
            }
            return Ok(());
        }
        for i in std::mem::take(&mut t.loose) {
            if let Some(b) = t.blocks.get_mut(i) {
                let b = std::mem::replace(b, Block::Paragraph(Paragraph::default()));
                self.push_block(b);
            }
        }
        if let Some(table) = self.build_grid(t)? {
            self.push_block(Block::Table(table));
        }
        Ok(())
    }

    /// Places the cells of a data table on its grid.
    pub(super) fn build_grid(&mut self, mut t: TableState) -> Result<Option<Table>, ReadError> {
        let grid_cols = t.grid_cols;
        let mut grid: Vec<Vec<GridCell>> = Vec::with_capacity(t.rows.len());
        // Which positions of the previous row a real cell covered.
        let mut prev_real: Vec<bool> = Vec::new();
        let mut real: Vec<bool> = Vec::new();
        let mut placed = 0;
        for row in &t.rows {
            let row_cells = &t.cells[row.cell_start..row.cell_end];
            let mut cells: Vec<GridCell> = Vec::with_capacity(grid_cols.max(row_cells.len()));
            real.clear();
            let before = row.before.min(self.max_cols);
            cells.resize(before, GridCell::default());
            real.resize(before, false);
            for cell in row_cells {
                let col = cells.len();
                if col >= self.max_cols {
                    break;
                }
                let room = if col < grid_cols {
                    grid_cols - col
                } else {
                    self.max_cols - col
                };
                let span = cell.span.clamp(1, room.max(1));
                let (mut text, origin) =
                    if cell.hmerge == Merge::Continue && col > 0 && real[col - 1] {
                        (cells[col - 1].text.clone(), false)
                    } else if cell.vmerge == Merge::Continue
                        && prev_real.get(col).copied().unwrap_or(false)
                    {
                        (
                            grid.last()
                                .map(|r: &Vec<GridCell>| r[col].text.clone())
                                .unwrap_or_default(),
                            false,
                        )
                    } else {
                        (cell_text(&mut t.blocks[cell.start..cell.end]).into(), true)
                    };
                self.charge(span, text.len() as u64 * span as u64)?;
                for i in 0..span {
                    let text = if i + 1 == span {
                        std::mem::take(&mut text)
                    } else {
                        text.clone()
                    };
                    cells.push(GridCell {
                        text,
                        is_origin: origin && i == 0,
                    });
                    real.push(true);
                }
            }
            let after = row
                .after
                .min(self.max_cols - cells.len().min(self.max_cols));
            cells.resize(cells.len() + after, GridCell::default());
            real.resize(cells.len(), false);
            self.charge(before + after, 0)?;
            placed += cells.len();
            std::mem::swap(&mut prev_real, &mut real);
            grid.push(cells);
        }
        if grid.is_empty() {
            return Ok(None);
        }
        let cols = grid.iter().map(Vec::len).max().unwrap_or(0);
        // Ragged rows are padded to the widest.
        self.charge(grid.len() * cols - placed, 0)?;
        Ok(Some(Table::from_grid(
            TableOrigin::Flow { index: 0 },
            cols,
            grid,
        )))
    }

    pub(super) fn charge(&mut self, cells: usize, text: u64) -> Result<(), ReadError> {
        if cells > self.cells_left || text > self.text_left {
            return Err(ReadError::over_limit(format!(
                "tables over {} grid positions or over the text limit once merged cells are expanded",
                self.max_grid
            )));
        }
        self.cells_left -= cells;
        self.text_left -= text;
        Ok(())
    }

    pub(super) fn finish(mut self) -> Result<Document, ReadError> {
        // Close anything a (complete but odd) document left open.
        while let Some(tag) = self.stack.pop() {
            self.close(tag)?;
        }
        self.flush_carry();
        let mut index = 0;
        for block in &mut self.blocks {
            if let Block::Table(t) = block {
                index += 1;
                t.origin = TableOrigin::Flow { index };
            }
        }
        Ok(Document {
            blocks: self.blocks,
            notes: Vec::new(),
        })
    }
}

/// A data cell's text: its paragraphs (with their list labels) joined with a
/// space.
pub(super) fn cell_text(blocks: &mut [Block]) -> String {
    if let [Block::Paragraph(p)] = blocks {
        if p.list_label.is_none() {
            return std::mem::take(&mut p.text);
        }
    }
    let mut out = String::new();
    for b in blocks.iter() {
        if let Block::Paragraph(p) = b {
            let parts = p
                .list_label
                .iter()
                .map(String::as_str)
                .chain(std::iter::once(p.text.as_str()));
            let empty = p.text.is_empty() && p.list_label.is_none();
            if !out.is_empty() && !empty {
                out.push(' ');
            }
            for part in parts {
                out.push_str(part);
            }
        }
    }
    out
}
