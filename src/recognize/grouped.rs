//! Table 四: five columns under each of three groups, as one row of
//! fifteen values (the official layout, read by its header or the fixed
//! order), as fifteen labelled rows (transposed), or glued into one run of
//! digits after a fused header (scraped text).

use super::{glued, is_value_like, make_cell, Accumulator, Glued, NormTable};
use crate::document::Table;
use crate::report::{Cell, Row};
use crate::templates::{ColumnKey, TableSpec};

/// Table 四: five columns under each of three groups. Values are either one
/// row of fifteen (the official layout), or fifteen labelled rows with one
/// value each (a transposed table).
pub(super) fn map_grouped_columns(table: &NormTable, spec: &TableSpec, acc: &mut Accumulator) {
    let grid = table.table;
    // The value row: the last row with as many cells as the table has
    // values, nearly all of them numbers or blanks (a stray "#REF!" or "十二" is a finding later,
    // not a reason to miss the row).
    let wide = (0..grid.rows()).rev().find(|&r| {
        let origins: Vec<&str> = grid
            .row(r)
            .iter()
            .filter(|c| c.is_origin)
            .map(|c| c.text.as_str())
            .collect();
        let values = origins.iter().filter(|t| is_value_like(t)).count();
        // All blank counts too: zeros are often left blank.
        origins.len() >= spec.rows.len() * spec.columns.len() && values * 5 >= origins.len() * 4
    });
    match wide {
        Some(r) => map_wide_row(table, spec, r, acc),
        None if map_glued_wide(grid, spec, acc) => {}
        None => map_transposed(table, spec, acc),
    }
}

/// Table 四 scraped: its fifteen values glued into one cell after the fused
/// header text. Values are read when pinned; otherwise left to
/// [`Accumulator::finish`], where the three group sums can pin them.
fn map_glued_wide(grid: &Table, spec: &TableSpec, acc: &mut Accumulator) -> bool {
    let all = spec.rows.len() * spec.columns.len();
    let found = (0..grid.rows()).rev().find_map(|r| {
        let c = (0..grid.cols())
            .rev()
            .find(|&c| grid.cell(r, c).is_origin && !grid.cell(r, c).text.trim().is_empty())?;
        let run = crate::recognize::segment::Run::parse(&grid.cell(r, c).text)?;
        (run.len() >= all).then_some((r, c))
    });
    let Some((r, c)) = found else {
        return false;
    };
    let columns: Vec<ColumnKey> = spec
        .rows
        .iter()
        .flat_map(|row| row.columns.iter().copied())
        .collect();
    let Some((cells, run)) =
        glued::row_cells(&columns, &grid.cell(r, c).text, &grid.location(r, c))
    else {
        return false;
    };
    let mut cells = cells.into_iter();
    let mut added = false;
    for row_spec in spec.rows {
        let row_cells: Vec<(ColumnKey, Cell)> =
            cells.by_ref().take(row_spec.columns.len()).collect();
        added |= acc.add(Row {
            key: row_spec.key,
            cells: row_cells,
            label: String::new(),
        });
    }
    if let (true, Some(run)) = (added, run) {
        acc.glued.push(Glued { key: None, run });
    }
    true
}

/// Which group and column each grid column belongs to, read from the header
/// rows above the value row (merged header cells repeat their text over the
/// columns they cover; fused headers name both in one cell).
fn grouped_header(
    table: &NormTable,
    spec: &TableSpec,
    value_row: usize,
) -> Option<Vec<(usize, usize)>> {
    let mut out = Vec::new();
    for c in 0..table.table.cols() {
        if !table.table.cell(value_row, c).is_origin {
            continue;
        }
        let mut group = None;
        let mut column = None;
        for r in 0..value_row {
            let norm = table.norm(r, c);
            // Most specific group alias wins: 复议后起诉 also contains 复议.
            if let Some(g) = spec
                .rows
                .iter()
                .rposition(|g| g.aliases.iter().any(|a| norm.contains(a)))
            {
                group = Some(group.map_or(g, |old: usize| old.max(g)));
            }
            if let Some(k) = spec
                .columns
                .iter()
                .position(|col| col.aliases.iter().any(|a| norm.ends_with(a)))
            {
                column = Some(k);
            }
        }
        out.push((group?, column?));
    }
    let mut sorted = out.clone();
    sorted.sort_unstable();
    sorted.dedup();
    (sorted.len() == spec.rows.len() * spec.columns.len() && out.len() == sorted.len())
        .then_some(out)
}

fn map_wide_row(table: &NormTable, spec: &TableSpec, r: usize, acc: &mut Accumulator) {
    let grid = table.table;
    let value_cols: Vec<usize> = (0..grid.cols())
        .filter(|&c| grid.cell(r, c).is_origin)
        .collect();
    let mapping = grouped_header(table, spec, r).unwrap_or_else(|| {
        // Header unreadable (copied text): the template's fixed order.
        (0..spec.rows.len())
            .flat_map(|g| (0..spec.columns.len()).map(move |k| (g, k)))
            .collect()
    });
    let width = spec.columns.len();
    for (g, row_spec) in spec.rows.iter().enumerate() {
        let mut cells = Vec::with_capacity(width);
        for (k, key) in row_spec.columns.iter().enumerate() {
            let k_spec = spec.columns.iter().position(|c| c.key == *key).unwrap_or(k);
            if let Some(i) = mapping.iter().position(|&m| m == (g, k_spec)) {
                if let Some(&c) = value_cols.get(i) {
                    cells.push((*key, make_cell(grid, r, c)));
                }
            }
        }
        acc.add(Row {
            key: row_spec.key,
            cells,
            label: String::new(),
        });
    }
}

fn map_transposed(table: &NormTable, spec: &TableSpec, acc: &mut Accumulator) {
    let grid = table.table;
    let mut group: Option<usize> = None;
    let mut rows: Vec<Vec<(ColumnKey, Cell)>> = vec![Vec::new(); spec.rows.len()];
    for r in 0..grid.rows() {
        let mut column = None;
        let mut label_col = 0;
        for c in 0..grid.cols() {
            let norm = table.norm(r, c);
            if let Some(g) = spec
                .rows
                .iter()
                .rposition(|g| g.aliases.iter().any(|a| norm.contains(a)))
            {
                group = Some(g);
            }
            if let Some(k) = spec
                .columns
                .iter()
                .position(|col| col.aliases.iter().any(|a| norm.ends_with(a)))
            {
                column = Some(k);
                label_col = c;
            }
        }
        let (Some(g), Some(k)) = (group, column) else {
            continue;
        };
        // The value is the last cell right of the label; a label there means
        // this is a header row, not a transposed value row.
        let Some(c) = (label_col + 1..grid.cols())
            .rev()
            .find(|&c| grid.cell(r, c).is_origin)
        else {
            continue;
        };
        if !is_value_like(&grid.cell(r, c).text) && table.norm(r, c).chars().count() > 1 {
            continue;
        }
        let key = spec.columns[k].key;
        if !rows[g].iter().any(|(existing, _)| *existing == key) {
            rows[g].push((key, make_cell(grid, r, c)));
        }
    }
    for (g, mut cells) in rows.into_iter().enumerate() {
        if cells.is_empty() {
            continue;
        }
        let order = |key: &ColumnKey| spec.columns.iter().position(|c| c.key == *key);
        cells.sort_by_key(|(key, _)| order(key));
        acc.add(Row {
            key: spec.rows[g].key,
            cells,
            label: String::new(),
        });
    }
}
