//! Mapping source tables onto the template's three statistical tables.
//!
//! Works on any [`Table`] grid, whatever format it came from. A table is
//! classified by the labels it contains; then each of its rows is matched by
//! label to a canonical row, and its values are assigned to canonical
//! columns, by header position where the header is reliable and by order
//! otherwise. Several source tables of the same kind (a table split by a page
//! break, table 二 as four small tables) merge into one canonical table.

use rustc_hash::FxHashMap;

use crate::codes::DiagnosticCode;
use crate::document::Table;
use crate::report::{Cell, Diagnostic, KeyedTable, Reading, Row};
use crate::templates::{ColumnKey, Layout, RowKey, RowSpec, TableKey, TableSpec};
use crate::values::{normalize_label, parse_cell, CellText};

use super::glued::{self, Glued};

#[path = "grouped.rs"]
mod grouped;
#[path = "row_matcher.rs"]
pub(crate) mod row_matcher;
use super::labels;
use grouped::map_grouped_columns;

/// A table with every position's text normalized once.
pub struct NormTable<'a> {
    pub table: &'a Table,
    /// Per grid position, an index into `texts`.
    slot: Vec<u32>,
    /// Per distinct source text: its normalized form (empty unless it could
    /// be a label) and whether it could be a label (not blank, not a number
    /// or placeholder): only those are matched against aliases.
    texts: Vec<(String, bool)>,
    /// Indices into `texts` of the distinct non-empty normalized texts,
    /// sorted by text, for classification.
    distinct: Vec<u32>,
}

impl<'a> NormTable<'a> {
    pub fn new(table: &'a Table) -> Self {
        let cells = (0..table.rows()).flat_map(|r| table.row(r).iter());
        // A merged cell's text is in every position it covers: classify and
        // normalize each distinct text once, and store an index per position
        // rather than a copy (the copies were a third of this function).
        let mut seen: FxHashMap<&str, u32> = FxHashMap::default();
        let mut texts: Vec<(String, bool)> = Vec::new();
        let slot: Vec<u32> = cells
            .map(|c| {
                *seen.entry(c.text.as_str()).or_insert_with(|| {
                    texts.push(super::label_texts::normalized(&c.text));
                    (texts.len() - 1) as u32
                })
            })
            .collect();
        let mut distinct: Vec<u32> = (0..texts.len() as u32)
            .filter(|&i| !texts[i as usize].0.is_empty())
            .collect();
        distinct.sort_unstable_by(|&a, &b| texts[a as usize].0.cmp(&texts[b as usize].0));
        distinct.dedup_by(|a, b| texts[*a as usize].0 == texts[*b as usize].0);
        NormTable {
            table,
            slot,
            texts,
            distinct,
        }
    }

    fn entry(&self, row: usize, col: usize) -> &(String, bool) {
        &self.texts[self.slot(row, col)]
    }

    /// The index of the distinct text at a position, for [`Self::per_text`].
    fn slot(&self, row: usize, col: usize) -> usize {
        self.slot[row * self.table.cols() + col] as usize
    }

    /// `test` of each distinct normalized text, indexed by [`Self::slot`]: a
    /// question asked of every position is answered once per distinct text.
    fn per_text(&self, test: impl Fn(&str) -> bool) -> Vec<bool> {
        self.texts.iter().map(|(norm, _)| test(norm)).collect()
    }

    fn norm(&self, row: usize, col: usize) -> &str {
        &self.entry(row, col).0
    }

    fn is_label_like(&self, row: usize, col: usize) -> bool {
        self.entry(row, col).1
    }

    /// Distinct normalized texts of the whole table, sorted.
    fn distinct(&self) -> impl Iterator<Item = &str> + Clone {
        self.distinct
            .iter()
            .map(|&i| self.texts[i as usize].0.as_str())
    }

    /// True when the table contains `needle` in some cell.
    pub fn contains(&self, needle: &str) -> bool {
        self.distinct().any(|n| n.contains(needle))
    }
}

pub fn signature_hits(table: &NormTable, spec: &TableSpec) -> usize {
    spec.signature.iter().filter(|s| table.contains(s)).count()
}

/// Cells mapped for one canonical table, accumulated over source tables.
#[derive(Default)]
pub struct Accumulator {
    rows: Vec<Row>,
    pub diagnostics: Vec<Diagnostic>,
    /// Rows whose values arrived glued together, read in [`Self::finish`].
    glued: Vec<Glued>,
}

impl Accumulator {
    /// Adds a row (and its glued run, if its reading waits for the whole
    /// table); a second copy of a row is not added.
    fn add_glued(&mut self, row: Row, run: Option<super::segment::Run>) {
        let key = row.key;
        if self.add(row) {
            if let Some(run) = run {
                self.glued.push(Glued {
                    key: Some(key),
                    run,
                });
            }
        }
    }

    fn add(&mut self, row: Row) -> bool {
        match self.rows.iter().find(|r| r.key == row.key) {
            Some(existing) => {
                let same = existing
                    .cells
                    .iter()
                    .map(|(k, c)| (k, &c.raw))
                    .eq(row.cells.iter().map(|(k, c)| (k, &c.raw)));
                if !same {
                    self.diagnostics.push(Diagnostic::new(
                        DiagnosticCode::DuplicateRow,
                        format!(
                            "row {} appears twice with different values; the first (at {}) is kept",
                            row.key,
                            first_location(existing)
                        ),
                    ));
                }
                false
            }
            None => {
                self.rows.push(row);
                true
            }
        }
    }

    /// The canonical table in template row order; rows not found are listed
    /// as diagnostics.
    pub fn finish(mut self, spec: &TableSpec) -> (KeyedTable, Vec<Diagnostic>) {
        glued::resolve(spec, &mut self.rows, &self.glued, &mut self.diagnostics);
        let order = |key: RowKey| {
            spec.rows
                .iter()
                .position(|r| r.key == key)
                .unwrap_or(usize::MAX)
        };
        self.rows.sort_by_key(|r| order(r.key));
        let missing: Vec<&str> = spec
            .rows
            .iter()
            .filter(|s| !self.rows.iter().any(|r| r.key == s.key))
            .map(|s| s.key.as_str())
            .collect();
        if !missing.is_empty() {
            self.diagnostics.push(Diagnostic::new(
                DiagnosticCode::MissingRows,
                format!(
                    "{}: rows not found in the source: {}",
                    spec.key.as_str(),
                    missing.join(", ")
                ),
            ));
        }
        (KeyedTable { rows: self.rows }, self.diagnostics)
    }
}

fn first_location(row: &Row) -> String {
    row.cells
        .first()
        .map(|(_, c)| c.location.to_string())
        .unwrap_or_default()
}

fn make_cell(table: &Table, row: usize, col: usize) -> Cell {
    let raw = table.cell(row, col).text.trim().to_string();
    let value = match parse_cell(&raw) {
        CellText::Number { value, .. } => Some(value),
        _ => None,
    };
    Cell {
        value,
        raw,
        location: table.location(row, col),
        reading: Reading::Certain,
    }
}

fn is_value_like(text: &str) -> bool {
    !matches!(parse_cell(text), CellText::Text)
}

fn has_number(table: &Table, row: usize) -> bool {
    table
        .row(row)
        .iter()
        .any(|c| matches!(parse_cell(&c.text), CellText::Number { .. }))
}

/// Maps one source table of kind `spec.key` into `acc`.
pub fn map_table(
    table: &NormTable,
    spec: &TableSpec,
    prev_positions: &mut Option<Vec<usize>>,
    acc: &mut Accumulator,
) {
    match spec.layout {
        Layout::LabelledRows => map_labelled_rows(table, spec, prev_positions, acc),
        Layout::GroupedColumns => map_grouped_columns(table, spec, acc),
    }
}

// ------------------------------------------------------------ labelled rows

use row_matcher::{LabelMatch, RowMatcher};

/// True for header and caption rows: two or more column labels, or a header
/// marker (申请人情况, 第二十条第（一）项, 信息内容 …), and no numbers.
///
/// `markers` holds, per distinct text of the table, whether it contains a
/// header marker ([`NormTable::per_text`]).
fn is_header_row(table: &NormTable, spec: &TableSpec, markers: &[bool], row: usize) -> bool {
    if has_number(table.table, row) {
        return false;
    }
    let cols = table.table.cols();
    // Distinct columns named, so a merged "（七）总计" spanning two positions
    // is one label, not a header.
    let col_hits = spec
        .columns
        .iter()
        .filter(|col| (0..cols).any(|c| col.aliases.contains(&table.norm(row, c))))
        .count();
    let marker = (0..cols).any(|c| markers[table.slot(row, c)]);
    col_hits >= 2 || marker
}

/// Grid columns of each canonical column from the header rows, when they
/// form a strictly increasing sequence (a reliable, aligned header).
fn header_positions(
    table: &NormTable,
    spec: &TableSpec,
    header_rows: &[usize],
) -> Option<Vec<usize>> {
    let cols = table.table.cols();
    let mut positions = Vec::with_capacity(spec.columns.len());
    for column in spec.columns {
        let pos = (0..cols).find(|&c| {
            header_rows
                .iter()
                .any(|&r| column.aliases.contains(&table.norm(r, c)))
        })?;
        positions.push(pos);
    }
    // In copied text a subtotal column can share a grid column with 总计.
    let subtotal_cols: Vec<usize> = (0..cols)
        .filter(|&c| {
            header_rows
                .iter()
                .any(|&r| table.norm(r, c).contains("小计"))
        })
        .collect();
    let aligned = positions.windows(2).all(|w| w[0] < w[1])
        && !positions.iter().any(|p| subtotal_cols.contains(p));
    aligned.then_some(positions)
}

/// Whether the header shows an extra subtotal column (法人或其他组织小计),
/// which is not canonical and must be skipped, not shifted into 总计.
fn has_subtotal_column(table: &NormTable, header_rows: &[usize]) -> bool {
    header_rows
        .iter()
        .any(|&r| (0..table.table.cols()).any(|c| table.norm(r, c).contains("小计")))
}

fn map_labelled_rows(
    table: &NormTable,
    spec: &TableSpec,
    prev_positions: &mut Option<Vec<usize>>,
    acc: &mut Accumulator,
) {
    let grid = table.table;
    let markers = table.per_text(|norm| spec.header_markers.iter().any(|m| norm.contains(m)));
    let header_rows: Vec<usize> = (0..grid.rows())
        .filter(|&r| is_header_row(table, spec, &markers, r))
        .collect();
    let positions = if spec.key == TableKey::Requests {
        let found = header_positions(table, spec, &header_rows);
        if found.is_some() {
            found
        } else if header_rows.is_empty() {
            // A continuation of a split table has no header of its own.
            prev_positions.clone()
        } else {
            None
        }
    } else {
        None
    };
    *prev_positions = positions.clone();
    let subtotal = has_subtotal_column(table, &header_rows);

    let mut matcher = RowMatcher::new(spec);
    let mut pending_label = String::new();
    // A matched label with no values yet: its values may sit on the next
    // row when the label wraps over two rows.
    let mut deferred: Option<(usize, usize, Option<usize>)> = None;
    let emit_spec =
        |acc: &mut Accumulator, row_spec: &RowSpec, r: usize, label_col: Option<usize>| {
            let start = label_col.map_or(0, |c| c + 1);
            if !subtotal {
                if let Some((cells, run)) = glued_row(grid, r, start, row_spec) {
                    acc.add_glued(
                        Row {
                            key: row_spec.key,
                            cells,
                            label: source_label(grid, r, label_col),
                        },
                        run,
                    );
                    return;
                }
            }
            let cells = match (&positions, label_col) {
                (Some(pos), Some(label_col)) if aligned(grid, r, label_col, pos) => {
                    by_position(grid, r, spec, row_spec, pos)
                }
                _ => by_order(grid, r, start, row_spec, subtotal, spec, acc),
            };
            acc.add(Row {
                key: row_spec.key,
                cells,
                label: source_label(grid, r, label_col),
            });
        };
    let emit = |acc: &mut Accumulator, (row_index, r, label_col): (usize, usize, Option<usize>)| {
        emit_spec(acc, &spec.rows[row_index], r, label_col);
    };
    for r in 0..grid.rows() {
        if header_rows.contains(&r) {
            continue;
        }
        let group_before = matcher.group;
        match find_row_label(table, &mut matcher, r, &pending_label) {
            Some((row_index, label_col)) => {
                pending_label.clear();
                matcher.after_row(&spec.rows[row_index]);
                if let Some(d) = deferred.take() {
                    if d.0 != row_index {
                        emit(acc, d);
                    }
                }
                if has_values_after(grid, r, label_col) {
                    emit(acc, (row_index, r, Some(label_col)));
                } else {
                    deferred = Some((row_index, r, Some(label_col)));
                }
            }
            None if deferred.is_some() && has_number(grid, r) => {
                let (row_index, _, _) = deferred.take().expect("checked");
                emit(acc, (row_index, r, last_text_col(grid, r)));
            }
            None if matcher.group != group_before
                && has_number(grid, r)
                && only_group_label(table, &matcher, r) =>
            {
                // A group label with values of its own: （六）其他处理 printed
                // as one row (the 2019 layout) in a 2021 table.
                let group = matcher.group.expect("changed to a group");
                match one_row_group(spec, group) {
                    Some(row_spec) => {
                        acc.diagnostics.push(Diagnostic::new(
                            DiagnosticCode::LayoutMix,
                            format!(
                                "{}: the group {group} is printed as one row (as in the 2019 format) at {}; kept as row `{group}`, its sub-rows are absent",
                                spec.key.as_str(),
                                grid.location(r, 0)
                            ),
                        ));
                        emit_spec(acc, &row_spec, r, last_text_col(grid, r));
                    }
                    None => acc.diagnostics.push(Diagnostic::new(
                        DiagnosticCode::UnmappedRow,
                        format!(
                            "{}: group row \"{}\" at {} has values but no canonical row",
                            spec.key.as_str(),
                            row_label_text(grid, r),
                            grid.location(r, 0)
                        ),
                    )),
                }
                pending_label.clear();
            }
            None => {
                let label = row_label_text(grid, r);
                if has_number(grid, r) {
                    if !label.is_empty() {
                        acc.diagnostics.push(Diagnostic::new(
                            DiagnosticCode::UnmappedRow,
                            format!(
                                "{}: row \"{}\" at {} matches no canonical row",
                                spec.key.as_str(),
                                label,
                                grid.location(r, 0)
                            ),
                        ));
                    }
                    pending_label.clear();
                } else {
                    pending_label.push_str(&normalize_label(&label));
                }
            }
        }
    }
    if let Some(d) = deferred {
        emit(acc, d);
    }
}

/// Whether row `r` lines up with the header: its label ends left of the
/// first value column and the row reaches the last one. A copied row that
/// lost leading tabs is shorter than the grid (the padding is not an origin
/// cell) and is read by order instead.
fn aligned(grid: &Table, r: usize, label_col: usize, positions: &[usize]) -> bool {
    let written = grid
        .row(r)
        .iter()
        .rposition(|c| c.is_origin)
        .map_or(0, |i| i + 1);
    let first = positions.iter().copied().min().unwrap_or(0);
    let last = positions.iter().copied().max().unwrap_or(0);
    // A value written between the label and the first value column means
    // the row slid left.
    let gap_clear = (label_col + 1..first).all(|c| grid.cell(r, c).text.trim().is_empty());
    first > label_col && written > last && gap_clear
}

/// Whether any cell right of the label holds something.
fn has_values_after(grid: &Table, r: usize, label_col: usize) -> bool {
    (label_col + 1..grid.cols()).any(|c| !grid.cell(r, c).text.trim().is_empty())
}

/// The last cell of a row holding text that is not a value (the tail of a
/// wrapped label); `None` for a row of values only (its label sits on the
/// line above), whose values then start at the first column.
fn last_text_col(grid: &Table, r: usize) -> Option<usize> {
    (0..grid.cols())
        .rev()
        .find(|&c| !grid.cell(r, c).text.trim().is_empty() && !is_value_like(&grid.cell(r, c).text))
}

/// Whether the only label text of row `r` is the group's own label (a row
/// with a sub-row label that failed to match is not a one-row group).
fn only_group_label(table: &NormTable, matcher: &RowMatcher<'_, '_>, r: usize) -> bool {
    let labels: Vec<&str> = (0..table.table.cols())
        .filter(|&c| table.is_label_like(r, c) && table.table.cell(r, c).is_origin)
        .map(|c| table.norm(r, c))
        .filter(|n| !n.is_empty())
        .collect();
    !labels.is_empty()
        && labels
            .iter()
            .all(|n| matcher.group_match(n).is_some() && n.chars().count() <= 6)
}

/// A row another format prints for a whole group (the 2019 format's
/// one-row （六）其他处理 in a 2021 table, whose spec has only the sub-rows
/// `other.*`): the table's extra row of that key (`TableSpec::extra_rows`).
fn one_row_group(spec: &TableSpec, group: &'static str) -> Option<RowSpec> {
    spec.extra_row(group).copied()
}

/// A row whose values sit glued in one cell (scraped text): its cells, and
/// the run still to be read when the split needs the table's arithmetic.
fn glued_row(
    grid: &Table,
    r: usize,
    start: usize,
    row: &RowSpec,
) -> Option<super::glued::GluedRow> {
    if row.columns.len() < 2 {
        return None;
    }
    let written: Vec<usize> = (start..grid.cols())
        .filter(|&c| grid.cell(r, c).is_origin && !grid.cell(r, c).text.trim().is_empty())
        .collect();
    let [c] = written[..] else { return None };
    let origins = (start..grid.cols())
        .filter(|&c| grid.cell(r, c).is_origin)
        .count();
    if origins >= row.columns.len() {
        return None; // a cell per column: zeros left blank, not glue
    }
    glued::row_cells(row.columns, &grid.cell(r, c).text, &grid.location(r, c))
}

/// The rightmost cell of row `r` that names a canonical row, with the group
/// context updated from group labels to its left. A label wrapped over two
/// rows is matched by joining it with the previous row's label text.
fn find_row_label<'t>(
    table: &'t NormTable,
    matcher: &mut RowMatcher<'_, 't>,
    r: usize,
    pending: &str,
) -> Option<(usize, usize)> {
    let mut found = None;
    for c in (0..table.table.cols()).filter(|&c| table.is_label_like(r, c)) {
        let norm = table.norm(r, c);
        match matcher.classify(norm) {
            Some(LabelMatch::Group(g)) => matcher.group = Some(g),
            // Cells are visited left to right: the rightmost label wins.
            Some(LabelMatch::Row { index }) => found = Some((index, c)),
            None => {}
        }
    }
    if found.is_none() && !pending.is_empty() {
        for c in 0..table.table.cols() {
            let norm = table.norm(r, c);
            if norm.is_empty() || !table.is_label_like(r, c) {
                continue;
            }
            let joined = format!("{pending}{norm}");
            if let Some((index, _)) = matcher.row_match(&joined) {
                found = Some((index, c));
            }
        }
    }
    found
}

/// The label text of a row: its non-numeric origin cells joined.
fn row_label_text(grid: &Table, r: usize) -> String {
    grid.row(r)
        .iter()
        .filter(|c| c.is_origin && !c.text.trim().is_empty() && !is_value_like(&c.text))
        .map(|c| c.text.trim())
        .collect::<Vec<_>>()
        .join(" ")
}

fn by_position(
    grid: &Table,
    r: usize,
    spec: &TableSpec,
    row: &RowSpec,
    positions: &[usize],
) -> Vec<(ColumnKey, Cell)> {
    row.columns
        .iter()
        .filter_map(|key| {
            let i = spec.columns.iter().position(|c| c.key == *key)?;
            Some((*key, make_cell(grid, r, positions[i])))
        })
        .collect()
}

/// Assigns the value cells right of the label to the row's columns in order.
/// Used where the header is unreliable (copied text, whose flattened header
/// no longer lines up) and for table 二, whose blocks have different columns.
/// Empty cells at the edges are dropped only while there are more cells than
/// columns, so a blank cell inside the row keeps its place.
fn by_order(
    grid: &Table,
    r: usize,
    start: usize,
    row: &RowSpec,
    subtotal: bool,
    spec: &TableSpec,
    acc: &mut Accumulator,
) -> Vec<(ColumnKey, Cell)> {
    let want = row.columns.len() + usize::from(subtotal);
    let mut cols: Vec<usize> = (start..grid.cols())
        .filter(|&c| grid.cell(r, c).is_origin)
        .collect();
    let blank = |c: &usize| grid.cell(r, *c).text.trim().is_empty();
    while cols.len() > want && cols.last().is_some_and(blank) {
        cols.pop();
    }
    while cols.len() > want && cols.first().is_some_and(blank) {
        cols.remove(0);
    }
    if cols.len() != want {
        acc.diagnostics.push(Diagnostic::new(
            DiagnosticCode::ValueCount,
            format!(
                "{}.{}: {} value cells for {} columns at {}; assigned left to right",
                spec.key.as_str(),
                row.key,
                cols.len(),
                want,
                grid.location(r, start.saturating_sub(1))
            ),
        ));
        cols.truncate(want);
    }
    if subtotal && cols.len() == want {
        // 法人或其他组织小计 sits between 其他 and 总计.
        cols.remove(want - 2);
    }
    row.columns
        .iter()
        .zip(cols)
        .map(|(key, c)| (*key, make_cell(grid, r, c)))
        .collect()
}

/// Classifies every table and picks the template the tables follow.
pub struct Classified<'a> {
    pub kinds: Vec<Option<TableKey>>,
    pub tables: Vec<NormTable<'a>>,
}

/// Assigns a kind to each table: the best-scoring table spec with at least
/// two label hits, or one hit when it directly continues a table of the same
/// kind (a table split by a page break).
pub fn classify(tables: Vec<NormTable<'_>>) -> Classified<'_> {
    let mut kinds = Vec::with_capacity(tables.len());
    let mut previous: Option<TableKey> = None;
    for table in &tables {
        let mut best: Option<(TableKey, usize)> = None;
        for (spec, s) in super::signature::kind_scores(table.distinct()) {
            if best.is_none_or(|(_, b)| s > b) {
                best = Some((spec.key, s));
            }
        }
        let kind = match best {
            Some((k, s)) if s >= 2 => Some(k),
            Some((k, 1)) if previous == Some(k) => Some(k),
            _ => None,
        };
        previous = kind;
        kinds.push(kind);
    }
    Classified { kinds, tables }
}

/// A row's label as the source writes it (for auditors), empty without one.
fn source_label(grid: &crate::document::Table, r: usize, label_col: Option<usize>) -> String {
    label_col.map_or_else(String::new, |c| grid.cell(r, c).text.trim().to_string())
}
