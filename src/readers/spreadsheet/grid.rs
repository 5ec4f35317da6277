//! From a sheet's cells to blocks: blank-row gaps split a sheet into
//! tables, empty edge columns are trimmed with exact A1 locations, merged
//! regions are resolved, captions become paragraphs.

#[allow(unused_imports)]
use super::*;

/// Bytes of text the grids may hold in total (merged text is copied into
/// every covered position).
pub(super) struct TextBudget {
    pub(super) left: u64,
}

impl TextBudget {
    fn spend(&mut self, n: usize, sheet: &str) -> Result<(), ReadError> {
        self.left = self.left.checked_sub(n as u64).ok_or_else(|| {
            ReadError::over_limit(format!(
                "sheet \"{sheet}\": merged cells copy more text into the grid than the inflated-size limit allows"
            ))
        })?;
        Ok(())
    }
}

/// A grid position after values and merges are resolved.
#[derive(Debug, Clone)]
pub(super) struct Pos {
    text: String,
    origin: bool,
}

pub(super) fn is_blank(text: &str) -> bool {
    text.trim().is_empty()
}

/// Turns one sheet into blocks (see the module documentation).
pub(super) fn sheet_blocks(
    sheet: SheetCells,
    budget: &mut TextBudget,
    out: &mut Vec<Block>,
) -> Result<(), ReadError> {
    let SheetCells {
        name,
        cells,
        mut merges,
    } = sheet;
    if name.contains('年') || name.contains("报告") {
        out.push(Block::Paragraph(Paragraph::new(name.trim())));
    }

    // 1. Values to text, formulas evaluated where the writer left no value.
    let mut grid: BTreeMap<(u32, u32), Pos> = BTreeMap::new();
    {
        let mut eval = formula::Evaluator::new(&name, &cells);
        for (&pos, raw) in &cells {
            let text = if formula::needs_eval(raw) {
                match eval.evaluate(pos) {
                    Some(v) => eval_text(&v),
                    None => value_text(&raw.value),
                }
            } else {
                value_text(&raw.value)
            };
            budget.spend(text.len(), &name)?;
            grid.insert(pos, Pos { text, origin: true });
        }
    }

    // 2. Merged regions: the top-left's text into every covered position.
    merges.sort();
    let mut covered_positions: u64 = 0;
    for m in &merges {
        let (r0, c0) = m.start;
        let r1 = m.end.0.min(MAX_ROWS - 1);
        let c1 = m.end.1.min(MAX_COLS - 1);
        if r0 > r1 || c0 > c1 || r0 >= MAX_ROWS || c0 >= MAX_COLS {
            continue;
        }
        covered_positions += (r1 - r0 + 1) as u64 * (c1 - c0 + 1) as u64;
        if covered_positions > MAX_ROWS as u64 * MAX_COLS as u64 {
            return Err(ReadError::over_limit(format!(
                "sheet \"{name}\": merged regions cover more than {} positions",
                MAX_ROWS as u64 * MAX_COLS as u64
            )));
        }
        let text = grid
            .get(&(r0, c0))
            .map(|p| p.text.clone())
            .unwrap_or_default();
        for r in r0..=r1 {
            for c in c0..=c1 {
                if (r, c) == (r0, c0) {
                    continue;
                }
                budget.spend(text.len(), &name)?;
                grid.insert(
                    (r, c),
                    Pos {
                        text: text.clone(),
                        origin: false,
                    },
                );
            }
        }
    }

    // 3. Blocks of consecutive non-blank rows.
    let mut rows: Vec<u32> = grid
        .iter()
        .filter(|(_, p)| !is_blank(&p.text))
        .map(|(&(r, _), _)| r)
        .collect();
    rows.dedup();
    let mut start = 0;
    while start < rows.len() {
        let mut end = start;
        while end + 1 < rows.len() && rows[end + 1] == rows[end] + 1 {
            end += 1;
        }
        emit_block(&name, &grid, rows[start], rows[end], out);
        start = end + 1;
    }
    Ok(())
}

/// One block of rows `r0..=r1`: line rows peeled into paragraphs, the rest a
/// table with empty edge columns trimmed.
pub(super) fn emit_block(
    sheet: &str,
    grid: &BTreeMap<(u32, u32), Pos>,
    r0: u32,
    r1: u32,
    out: &mut Vec<Block>,
) {
    let row_cells = |r: u32| grid.range((r, 0)..=(r, u32::MAX));
    let non_blank_cols = |a: u32, b: u32| -> Option<(u32, u32)> {
        let mut span: Option<(u32, u32)> = None;
        for r in a..=b {
            for (&(_, c), p) in row_cells(r) {
                if !is_blank(&p.text) {
                    span = Some(span.map_or((c, c), |(lo, hi)| (lo.min(c), hi.max(c))));
                }
            }
        }
        span
    };
    let Some((c0, c1)) = non_blank_cols(r0, r1) else {
        return;
    };

    // The single line a row holds, if it is a title or notes line.
    let line_of = |r: u32, leading: bool| -> Option<String> {
        let mut origin_text: Option<&str> = None;
        let mut other_texts = Vec::new();
        for (_, p) in row_cells(r) {
            if is_blank(&p.text) {
                continue;
            }
            if p.origin {
                if origin_text.is_some() {
                    return None;
                }
                origin_text = Some(&p.text);
            } else {
                other_texts.push(p.text.as_str());
            }
        }
        let text = origin_text?;
        if other_texts.iter().any(|t| *t != text) {
            return None;
        }
        let line = text.trim();
        if line.chars().count() < 8 || !line.chars().any(char::is_alphabetic) {
            return None;
        }
        if leading && is_article_caption(line) {
            return None;
        }
        Some(line.to_string())
    };

    if c0 == c1 {
        // One column: running text, not a table.
        for r in r0..=r1 {
            if let Some((_, p)) = row_cells(r).find(|(_, p)| !is_blank(&p.text)) {
                out.push(Block::Paragraph(Paragraph::new(p.text.trim())));
            }
        }
        return;
    }

    let mut top = r0;
    let mut leading = Vec::new();
    while top <= r1 {
        match line_of(top, true) {
            Some(line) => {
                leading.push(line);
                top += 1;
            }
            None => break,
        }
    }
    let mut bottom = r1;
    let mut trailing = Vec::new();
    while bottom >= top && top <= r1 {
        match line_of(bottom, false) {
            Some(line) => {
                trailing.push(line);
                if bottom == 0 {
                    break;
                }
                bottom -= 1;
            }
            None => break,
        }
    }
    trailing.reverse();

    out.extend(
        leading
            .into_iter()
            .map(|l| Block::Paragraph(Paragraph::new(l))),
    );
    if top <= bottom && top <= r1 {
        if let Some((tc0, tc1)) = non_blank_cols(top, bottom) {
            let cols = (tc1 - tc0 + 1) as usize;
            let mut rows = Vec::with_capacity((bottom - top + 1) as usize);
            for r in top..=bottom {
                let mut row = vec![
                    GridCell {
                        text: Default::default(),
                        is_origin: true
                    };
                    cols
                ];
                for (&(_, c), p) in grid.range((r, tc0)..=(r, tc1)) {
                    row[(c - tc0) as usize] = GridCell {
                        text: p.text.as_str().into(),
                        is_origin: p.origin,
                    };
                }
                rows.push(row);
            }
            let origin = TableOrigin::Sheet {
                sheet: sheet.to_string(),
                first_row: top,
                first_col: tc0,
            };
            out.push(Block::Table(Table::from_grid(origin, cols, rows)));
        }
    }
    out.extend(
        trailing
            .into_iter()
            .map(|l| Block::Paragraph(Paragraph::new(l))),
    );
}

/// `第二十条第（一）项` and the like: the caption rows of table 二.
pub(super) fn is_article_caption(line: &str) -> bool {
    let Some(rest) = line.strip_prefix('第') else {
        return false;
    };
    rest.chars().take(6).any(|c| c == '条')
}
