//! Layout analysis: which tables wrap the report (layout tables, read as
//! content) and which hold data.

#[allow(unused_imports)]
use super::*;

#[derive(Default)]
pub(super) struct TableStats {
    nested: bool,
    cells: usize,
    row_cells: usize,
    max_row_cells: usize,
    prose_cell: bool,
}

#[derive(Default)]
pub(super) struct CellStats {
    /// Depth of the table stack when the cell opened.
    depth: usize,
    blocks: usize,
    chars: usize,
}

/// A cell of running prose: several blocks and more text than any table
/// label or note. Used only to spot narrow page-layout tables.
pub(super) const PROSE_BLOCKS: usize = 3;
pub(super) const PROSE_CHARS: usize = 300;

/// One pass over the whole tree deciding, for every table, whether it is a
/// layout table (see the module docs). Linear in the page size whatever the
/// nesting.
pub(super) fn classify_tables(html: &Html) -> HashMap<NodeId, bool> {
    let mut layout = HashMap::new();
    let mut tables: Vec<(NodeId, TableStats)> = Vec::new();
    let mut cells: Vec<CellStats> = Vec::new();
    for edge in html.tree.root().traverse() {
        match edge {
            ego_tree::iter::Edge::Open(node) => match node.value() {
                Node::Element(el) => match el.name() {
                    "table" => {
                        if let Some((_, parent)) = tables.last_mut() {
                            parent.nested = true;
                        }
                        tables.push((node.id(), TableStats::default()));
                    }
                    "tr" => {
                        if let Some((_, t)) = tables.last_mut() {
                            t.row_cells = 0;
                        }
                    }
                    "td" | "th" => {
                        if let Some((_, t)) = tables.last_mut() {
                            t.cells += 1;
                            t.row_cells += 1;
                            t.max_row_cells = t.max_row_cells.max(t.row_cells);
                            cells.push(CellStats {
                                depth: tables.len(),
                                ..CellStats::default()
                            });
                        }
                    }
                    name if is_block(name) => {
                        if let Some(cell) = cells.last_mut() {
                            if cell.depth == tables.len() {
                                cell.blocks += 1;
                            }
                        }
                    }
                    _ => {}
                },
                Node::Text(text) => {
                    if let Some(cell) = cells.last_mut() {
                        if cell.depth == tables.len() {
                            cell.chars += text.chars().filter(|c| !c.is_whitespace()).count();
                        }
                    }
                }
                _ => {}
            },
            ego_tree::iter::Edge::Close(node) => {
                let Some(el) = element(&node) else { continue };
                match el.name() {
                    "table" => {
                        if let Some((id, t)) = tables.pop() {
                            let is_layout =
                                t.nested || t.cells == 1 || (t.max_row_cells <= 3 && t.prose_cell);
                            layout.insert(id, is_layout);
                        }
                    }
                    "td" | "th" if cells.last().is_some_and(|c| c.depth == tables.len()) => {
                        let cell = cells.pop().expect("checked by the guard");
                        if cell.blocks >= PROSE_BLOCKS && cell.chars > PROSE_CHARS {
                            if let Some((_, t)) = tables.last_mut() {
                                t.prose_cell = true;
                            }
                        }
                    }
                    _ => {}
                }
            }
        }
    }
    layout
}
