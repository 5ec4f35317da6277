//! Tables of a Word binary file as dense grids.
//!
//! A `.doc` has no table grid: each row-end mark carries its own row
//! definition (`sprmTDefTable`), the x positions of its cell edges (twips)
//! and per-cell merge flags. The grid's columns are the union of all rows'
//! edges, so a cell spanning two columns of another row spans two grid
//! columns here, as `w:gridSpan` does in DOCX. Edges closer than
//! [`EDGE_TOLERANCE`] are one column: Word moves edges by a few twips when
//! a table is edited row by row, which would otherwise split a column into
//! a real one and a sliver. Vertical merges (`fVertMerge`/`fVertRestart`
//! in the TC80 flags or `sprmTVertMerge`) and legacy horizontal merges
//! (`fMerged`) copy the text of the merged cell into every position it
//! covers, exactly as the DOCX reader does, with one origin.
//!
//! Bounds are the DOCX reader's, from [`Limits`]: `max_table_cols` columns
//! (edges past them are dropped), `max_table_rows` rows per table (later
//! rows are dropped), `max_grid_positions` positions per file and
//! `max_grid_text_bytes` of text copied into merged positions.

use crate::document::{GridCell, Table, TableOrigin};
use crate::readers::{Limits, ReadError};
/// Cell edges this close (in twips, 1/1440 inch; 20 twips is 0.35 mm) are
/// one grid line.
const EDGE_TOLERANCE: i32 = 20;
/// Bytes of one TC80 (cell flags, width, four borders).
const TC80: usize = 20;

/// How a cell continues a merged one.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct CellDef {
    /// Continues the cell to its left (legacy `fMerged` without `fFirstMerged`).
    pub(crate) h_continue: bool,
    /// Continues the cell above (`fVertMerge` without `fVertRestart`).
    pub(crate) v_continue: bool,
}

/// One row definition (`sprmTDefTable`).
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct RowDef {
    /// Cell edges, left to right: one more than there are cells.
    pub(crate) edges: Vec<i32>,
    pub(crate) cells: Vec<CellDef>,
}

impl RowDef {
    /// Parses a TDefTableOperand after its size field: itcMac, itcMac+1
    /// edges, then up to itcMac TC80s.
    pub(crate) fn parse(op: &[u8]) -> Option<RowDef> {
        let itc = *op.first()? as usize;
        let edges: Vec<i32> = op
            .get(1..1 + 2 * (itc + 1))?
            .chunks_exact(2)
            .map(|c| i32::from(i16::from_le_bytes([c[0], c[1]])))
            .collect();
        let tcs = op.get(1 + 2 * (itc + 1)..).unwrap_or(&[]);
        let mut cells: Vec<CellDef> = tcs
            .chunks_exact(TC80)
            .take(itc)
            .map(|tc| {
                let flags = u16::from_le_bytes([tc[0], tc[1]]);
                CellDef {
                    h_continue: flags & 0x03 == 0x02,
                    v_continue: flags & 0x60 == 0x20,
                }
            })
            .collect();
        cells.resize(itc, CellDef::default());
        Some(RowDef { edges, cells })
    }

    /// `sprmTVertMerge`: 0 none, 1 continues the cell above, 3 starts a merge.
    pub(crate) fn set_vert_merge(&mut self, itc: usize, flags: u8) {
        if let Some(c) = self.cells.get_mut(itc) {
            c.v_continue = flags == 1;
        }
    }
}

/// A row as read: its cells' texts and its definition.
#[derive(Debug, Clone, Default)]
pub(crate) struct Row {
    pub(crate) cells: Vec<String>,
    pub(crate) def: Option<RowDef>,
}

/// The grid caps of a file and what it may still spend.
#[derive(Debug)]
pub(crate) struct Budget {
    pub(crate) max_cols: usize,
    pub(crate) max_rows: usize,
    max_cells: usize,
    cells: usize,
    text: u64,
    /// A table lost columns or rows to the caps (said in a reader note).
    pub(crate) clipped: bool,
}

impl Budget {
    pub(crate) fn new(limits: &Limits) -> Self {
        Budget {
            max_cols: limits.max_table_cols.max(1),
            max_rows: limits.max_table_rows,
            max_cells: limits.max_grid_positions,
            cells: limits.max_grid_positions,
            text: limits.max_grid_text_bytes as u64,
            clipped: false,
        }
    }

    fn charge(&mut self, cells: usize, text: u64) -> Result<(), ReadError> {
        if cells > self.cells || text > self.text {
            return Err(ReadError::over_limit(format!(
                "tables over {} grid positions or over the text limit once merged cells are expanded",
                self.max_cells
            )));
        }
        self.cells -= cells;
        self.text -= text;
        Ok(())
    }
}

/// The grid lines of a table: every row's edges, sorted, near ones merged.
fn grid_lines(rows: &[Row], max_cols: usize) -> Vec<i32> {
    let mut all: Vec<i32> = rows
        .iter()
        .filter_map(|r| r.def.as_ref())
        .flat_map(|d| d.edges.iter().copied())
        .collect();
    all.sort_unstable();
    let mut lines: Vec<i32> = Vec::new();
    for x in all {
        if lines.last().is_none_or(|&l| x - l > EDGE_TOLERANCE) {
            lines.push(x);
        }
    }
    lines.truncate(max_cols + 1);
    lines
}

/// The grid line an edge falls on.
fn line_of(lines: &[i32], x: i32) -> usize {
    let i = lines.partition_point(|&l| l <= x + EDGE_TOLERANCE);
    i.saturating_sub(1)
}

/// Places the rows of one table on their grid.
pub(crate) fn build(rows: Vec<Row>, budget: &mut Budget) -> Result<Option<Table>, ReadError> {
    let (max_cols, max_rows) = (budget.max_cols, budget.max_rows);
    let lines = grid_lines(&rows, max_cols);
    let mut grid: Vec<Vec<GridCell>> = Vec::with_capacity(rows.len().min(max_rows));
    let mut prev_real: Vec<bool> = Vec::new();
    let mut placed = 0;
    for row in rows.into_iter().take(max_rows) {
        let mut cells: Vec<GridCell> = Vec::new();
        let mut real: Vec<bool> = Vec::new();
        for (k, text) in row.cells.into_iter().enumerate() {
            let def = row.def.as_ref();
            let span_at = |k: usize| def.and_then(|d| Some(line_of(&lines, *d.edges.get(k)?)));
            let col = span_at(k).unwrap_or(cells.len()).max(cells.len());
            if col >= max_cols {
                budget.clipped = true;
                break;
            }
            let end = span_at(k + 1).unwrap_or(col + 1);
            let span = end.saturating_sub(col).clamp(1, max_cols - col);
            cells.resize(col, GridCell::default());
            real.resize(col, false);
            let flags = def
                .and_then(|d| d.cells.get(k))
                .copied()
                .unwrap_or_default();
            let (mut text, origin) = if flags.h_continue && col > 0 && real[col - 1] {
                (cells[col - 1].text.clone(), false)
            } else if flags.v_continue && prev_real.get(col).copied().unwrap_or(false) {
                (
                    grid.last().map(|r| r[col].text.clone()).unwrap_or_default(),
                    false,
                )
            } else {
                (text.into(), true)
            };
            budget.charge(span, text.len() as u64 * span as u64)?;
            for i in 0..span {
                let t = if i + 1 == span {
                    std::mem::take(&mut text)
                } else {
                    text.clone()
                };
                cells.push(GridCell {
                    text: t,
                    is_origin: origin && i == 0,
                });
                real.push(true);
            }
        }
        placed += cells.len();
        prev_real = real;
        grid.push(cells);
    }
    if grid.is_empty() {
        return Ok(None);
    }
    let cols = grid.iter().map(Vec::len).max().unwrap_or(0);
    // Ragged rows are padded to the widest.
    budget.charge(grid.len() * cols - placed, 0)?;
    Ok(Some(Table::from_grid(
        TableOrigin::Flow { index: 0 },
        cols,
        grid,
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn def(edges: &[i32], flags: &[u16]) -> RowDef {
        let mut op = vec![(edges.len() - 1) as u8];
        for e in edges {
            op.extend_from_slice(&(*e as i16).to_le_bytes());
        }
        for f in flags {
            let mut tc = [0u8; TC80];
            tc[..2].copy_from_slice(&f.to_le_bytes());
            op.extend_from_slice(&tc);
        }
        RowDef::parse(&op).unwrap()
    }

    fn row(cells: &[&str], d: RowDef) -> Row {
        Row {
            cells: cells.iter().map(|s| s.to_string()).collect(),
            def: Some(d),
        }
    }

    fn texts(t: &Table) -> Vec<Vec<String>> {
        (0..t.rows())
            .map(|r| t.row_texts(r).map(String::from).collect())
            .collect()
    }

    #[test]
    fn union_of_edges_gives_spans_and_vertical_merges_copy() {
        // Row 1: a cell over two columns (0..2000), then 2000..3000.
        // Row 2: 0..1000 starts a vertical merge, 1000..2000, 2000..3000.
        // Row 3: continues the merge (edges off by 5 twips).
        let rows = vec![
            row(&["收到申请", "x"], def(&[0, 2000, 3000], &[0, 0])),
            row(&["A", "B", "1"], def(&[0, 1000, 2000, 3000], &[0x60, 0, 0])),
            row(&["", "C", "2"], def(&[5, 1003, 2000, 2995], &[0x20, 0, 0])),
        ];
        let t = build(rows, &mut Budget::new(&Limits::default()))
            .unwrap()
            .unwrap();
        assert_eq!(
            texts(&t),
            [
                ["收到申请", "收到申请", "x"],
                ["A", "B", "1"],
                ["A", "C", "2"],
            ]
        );
        assert!(t.cell(0, 0).is_origin && !t.cell(0, 1).is_origin);
        assert!(t.cell(1, 0).is_origin && !t.cell(2, 0).is_origin);
    }

    #[test]
    fn legacy_horizontal_merge_and_missing_definitions() {
        let rows = vec![
            row(
                &["合计", "", "9"],
                def(&[0, 100, 200, 300], &[0x01, 0x02, 0]),
            ),
            Row {
                cells: vec!["a".into(), "b".into()],
                def: None,
            },
        ];
        let t = build(rows, &mut Budget::new(&Limits::default()))
            .unwrap()
            .unwrap();
        assert_eq!(texts(&t), [["合计", "合计", "9"], ["a", "b", ""]]);
        assert!(!t.cell(0, 1).is_origin);
        // Past the column cap, cells are dropped and the budget says so.
        let narrow = Limits {
            max_table_cols: 2,
            ..Limits::default()
        };
        let mut budget = Budget::new(&narrow);
        let rows = vec![row(&["a", "b", "c"], def(&[0, 100, 200, 300], &[0, 0, 0]))];
        let t = build(rows, &mut budget).unwrap().unwrap();
        assert_eq!(texts(&t), [["a", "b"]]);
        assert!(budget.clipped);
    }

    #[test]
    fn the_budget_refuses_amplification() {
        let rows = vec![row(&["x"], def(&[0, 30000], &[0])); 5];
        let limits = Limits {
            max_grid_positions: 3,
            ..Limits::default()
        };
        let e = build(rows, &mut Budget::new(&limits)).unwrap_err();
        assert_eq!(e.kind(), crate::readers::ErrorKind::OverLimit, "{e}");
    }
}
