//! Legacy Word 97-2003 `.doc` (and WPS Writer `.wps`, which is the same
//! binary format) reader, on the shared compound-file walker
//! ([`crate::readers::container::cfb`]).
//!
//! A `.doc` is an OLE compound file. Its `WordDocument` stream starts with
//! the file information block ([`fib`]); the piece table ([`pieces`]) says
//! where each run of characters sits (8-bit or UTF-16); the paragraph
//! properties ([`papx`]) say which paragraph marks end a table cell or a
//! table row and give each row's cell edges and merges, from which
//! [`tables`] builds the same dense grids the DOCX reader builds.
//!
//! What is read, as Word prints it: the main text (headers, footers,
//! footnotes, comments and text boxes are other parts and are not read);
//! fields show their result, never their instruction; tabs, line breaks and
//! non-breaking spaces are spaces, whitespace runs collapse; pictures and
//! other control characters are dropped. A table with tables in its cells is
//! a layout table and is replaced by its content in reading order (as in
//! DOCX). Automatic list numbering is rendered into
//! [`Paragraph::list_label`] ([`lists`]). Not read: hidden text and tracked
//! deletions (character properties), so a `.doc` with unaccepted deletions
//! reads the deleted text too.
//!
//! Why an own reader and not `office_oxide` or the `cfb` crate: this needs
//! only the structures above (~1,400 lines here with the tests), the
//! compound-file walking is shared with the XLS pre-flight scan (which must
//! mirror calamine's walk anyway), and it adds no dependency or compile
//! time. Bounds: streams are read whole but none can be longer than the
//! file; characters are capped at [`pieces::MAX_TEXT_CHARS`]; grids as in
//! DOCX ([`tables`]). Encrypted or obfuscated files (FIB `fEncrypted`)
//! fail as encrypted ([`ErrorKind::Encrypted`](super::ErrorKind)); Word
//! 6/95 files are refused by name. No panic is known (none on Apache POI's
//! 156 test files, fuzzer finds included, nor on 240 damaged copies in
//! `tests/integration/doc_reader.rs`); `read_document` would catch one.

mod fib;
mod lists;
mod papx;
mod pieces;
mod tables;

use super::container::cfb::{CfbError, CompoundFile};
use super::whitespace::collapse;
use super::{Format, FormatReader, Limits, Probe, ReadCtx, ReadError};
use crate::document::{Block, Document, Paragraph, TableOrigin};
use papx::{Papx, ParaProps};
use tables::{Budget, Row};

const FORMAT: &str = "Word .doc";

pub(crate) fn corrupt(reason: impl std::fmt::Display) -> ReadError {
    ReadError::corrupt(FORMAT, reason)
}

pub(crate) fn u16_at(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(
        b.get(at..at.checked_add(2)?)?.try_into().ok()?,
    ))
}

pub(crate) fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(
        b.get(at..at.checked_add(4)?)?.try_into().ok()?,
    ))
}

/// The Word binary entry of the reader registry: an OLE compound file whose
/// root storage holds a `WordDocument` stream (Word's `.doc`, WPS Writer's
/// `.wps`, whatever the name).
pub(crate) struct DocReader;

impl FormatReader for DocReader {
    fn format(&self) -> Format {
        Format::Doc
    }

    fn sniff(&self, probe: &Probe<'_>) -> bool {
        !probe.ole_has("EncryptedPackage") && probe.ole_has("WordDocument")
    }

    fn read(&self, bytes: &[u8], ctx: &mut ReadCtx<'_>) -> Result<Document, ReadError> {
        // A clipped table is said in `Document::notes` (kept by `run`).
        read(bytes, ctx.limits)
    }
}

fn container_error(e: CfbError) -> ReadError {
    match e {
        CfbError::Unfollowed(m) | CfbError::Hazard(m) => corrupt(m),
    }
}

/// A whole stream, refusing one cut short by the end of the file.
fn stream(cf: &CompoundFile<'_>, name: &str) -> Result<Option<Vec<u8>>, ReadError> {
    let Some(entry) = cf.find(name) else {
        return Ok(None);
    };
    let data = cf.read(&entry).map_err(container_error)?;
    if (data.len() as u64) < entry.size {
        return Err(corrupt(format!(
            "the {name} stream is cut short by the end of the file ({} of {} bytes): truncated?",
            data.len(),
            entry.size
        )));
    }
    Ok(Some(data))
}

/// Reads a Word binary document (panics are caught by `read_document`).
pub(crate) fn read(bytes: &[u8], limits: &Limits) -> Result<Document, ReadError> {
    let cf = CompoundFile::open(bytes).map_err(container_error)?;
    let wd = stream(&cf, "WordDocument")?
        .ok_or_else(|| corrupt("the compound file has no WordDocument stream"))?;
    let fib = fib::Fib::parse(&wd)?;
    let table = stream(&cf, fib.table_stream())?.ok_or_else(|| {
        corrupt(format!(
            "the {} stream the document refers to is missing",
            fib.table_stream()
        ))
    })?;
    let data = stream(&cf, "Data")?.unwrap_or_default();
    let pieces = pieces::parse_clx(&table, fib.clx)?;
    let papx = Papx::parse(&table, fib.bte_papx, &wd, &data)?;
    let lists = lists::Lists::parse(&table, fib.plf_lst, fib.plf_lfo, fib.stsh);
    let mut walker = Walker::new(&papx, lists, limits);
    pieces::for_each_char(&pieces, &wd, fib.ccp_text, |unit, fc| walker.push(unit, fc))?;
    walker.finish()
}

/// A table being read: finished rows, the open row and cell, and every
/// block inside it in reading order (used when it turns out to be a layout
/// table).
#[derive(Default)]
struct TableState {
    rows: Vec<Row>,
    row_cells: Vec<String>,
    cell_paras: Vec<String>,
    blocks: Vec<Block>,
    /// It holds another table: a layout table.
    nested: bool,
}

/// Splits the character stream into paragraphs and table cells.
struct Walker<'p, 'a> {
    papx: &'p Papx<'a>,
    lists: lists::Lists,
    text: Vec<u16>,
    /// Open fields, innermost last: `true` while in the instruction.
    fields: Vec<bool>,
    tables: Vec<TableState>,
    blocks: Vec<Block>,
    budget: Budget,
    error: Option<ReadError>,
}

impl<'p, 'a> Walker<'p, 'a> {
    fn new(papx: &'p Papx<'a>, lists: lists::Lists, limits: &Limits) -> Self {
        Walker {
            papx,
            lists,
            text: Vec::new(),
            fields: Vec::new(),
            tables: Vec::new(),
            blocks: Vec::new(),
            budget: Budget::new(limits),
            error: None,
        }
    }

    fn push(&mut self, unit: u16, fc: u32) {
        if self.error.is_some() {
            return;
        }
        match unit {
            0x13 => self.fields.push(true),
            0x14 => {
                if let Some(f) = self.fields.last_mut() {
                    *f = false;
                }
            }
            0x15 => {
                self.fields.pop();
            }
            0x0D | 0x07 | 0x0C => {
                if let Err(e) = self.mark(unit, fc) {
                    self.error = Some(e);
                }
            }
            _ if self.fields.contains(&true) => {}
            0x09 | 0x0B | 0xA0 => self.text.push(u16::from(b' ')),
            0x1E => self.text.push(u16::from(b'-')),
            0..=0x1F => {}
            _ => self.text.push(unit),
        }
    }

    /// A paragraph, cell or row mark at stream offset `fc`.
    fn mark(&mut self, unit: u16, fc: u32) -> Result<(), ReadError> {
        let text = collapse(&String::from_utf16_lossy(&self.text));
        self.text.clear();
        // An instruction never reaches past its paragraph: a field left
        // without its separator does not swallow the rest of the document.
        self.fields.iter_mut().for_each(|f| *f = false);
        let props = self.papx.props_at(fc);
        let depth = props.depth() as usize;
        while self.tables.len() > depth {
            self.close_table()?;
        }
        while self.tables.len() < depth {
            self.tables.push(TableState::default());
        }
        let (row_end, cell_end) = ends(&props, unit, depth);
        let label = if row_end {
            None
        } else {
            self.lists.label(&props)
        };
        let Some(t) = self.tables.last_mut() else {
            if !text.is_empty() || label.is_some() {
                self.blocks.push(Block::Paragraph(Paragraph {
                    text,
                    list_label: label,
                }));
            }
            return Ok(());
        };
        if row_end {
            end_cell(t);
            let cells = std::mem::take(&mut t.row_cells);
            if t.rows.len() < self.budget.max_rows {
                t.rows.push(Row {
                    cells,
                    def: props.row,
                });
            } else {
                self.budget.clipped = true;
            }
            return Ok(());
        }
        if !text.is_empty() || label.is_some() {
            // In a cell the label is part of the text (as in DOCX).
            t.cell_paras
                .push(format!("{}{text}", label.as_deref().unwrap_or_default()));
            t.blocks.push(Block::Paragraph(Paragraph {
                text,
                list_label: label,
            }));
        }
        if cell_end {
            t.row_cells.push(t.cell_paras.join(" "));
            t.cell_paras.clear();
        }
        Ok(())
    }

    fn close_table(&mut self) -> Result<(), ReadError> {
        let Some(mut t) = self.tables.pop() else {
            return Ok(());
        };
        // A row the document never ended (a damaged file) still counts.
        end_cell(&mut t);
        if !t.row_cells.is_empty() {
            t.rows.push(Row {
                cells: std::mem::take(&mut t.row_cells),
                def: None,
            });
        }
        let out = match self.tables.last_mut() {
            Some(parent) => {
                parent.nested = true;
                &mut parent.blocks
            }
            None => &mut self.blocks,
        };
        if t.nested {
            out.append(&mut t.blocks);
        } else if let Some(table) = tables::build(t.rows, &mut self.budget)? {
            out.push(Block::Table(table));
        }
        Ok(())
    }

    fn finish(mut self) -> Result<Document, ReadError> {
        if let Some(e) = self.error.take() {
            return Err(e);
        }
        if !self.text.is_empty() {
            self.mark(0x0D, u32::MAX)?;
        }
        while !self.tables.is_empty() {
            self.close_table()?;
        }
        let mut index = 0;
        for block in &mut self.blocks {
            if let Block::Table(t) = block {
                index += 1;
                t.origin = TableOrigin::Flow { index };
            }
        }
        let mut notes = Vec::new();
        if self.budget.clipped {
            notes.push(format!(
                "a table of the .doc is wider than {} columns or longer than {} rows; the rest was dropped",
                self.budget.max_cols, self.budget.max_rows
            ));
        }
        Ok(Document {
            blocks: self.blocks,
            notes,
        })
    }
}

/// Whether a mark ends a row or a cell: at depth 1 a cell mark (0x07) ends
/// a cell, and the row, when the paragraph is a row-end (TTP) paragraph;
/// in nested tables paragraph marks with the inner flags do.
fn ends(props: &ParaProps, unit: u16, depth: usize) -> (bool, bool) {
    if depth == 1 {
        (props.ttp && unit == 0x07, unit == 0x07 && !props.ttp)
    } else {
        (props.inner_ttp, props.inner_cell && !props.inner_ttp)
    }
}

/// Text left in an open cell (a cell without its mark) becomes a cell.
fn end_cell(t: &mut TableState) {
    if !t.cell_paras.is_empty() {
        t.row_cells.push(t.cell_paras.join(" "));
        t.cell_paras.clear();
    }
}
