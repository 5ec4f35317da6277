//! Stream tables: borderless tables found from aligned text, the fallback
//! for text outside any ruled table (pdfplumber's "text" strategy, simpler).
//!
//! A line is a table row when its glyphs fall into two or more runs
//! separated by gaps wider than [`RUN_GAP`] em (word spacing is under 0.5 em,
//! table columns in reports are separated by several). Two or more such rows
//! in a row (with single-run lines between them allowed, as a table's
//! sub-heading rows) form a table. The columns are the union of the x-ranges
//! of the runs of the widest rows; every run then goes to the column under its
//! centre (a single-run row: under its left edge), and a run spanning several
//! columns is a merged cell.

use super::chars::{join_glyphs, Glyph, Line};
use super::lattice::{PageTable, MAX_COLS};
use crate::document::{GridCell, PdfBox};

/// Gap between runs, in ems of the smaller neighbouring glyph.
const RUN_GAP: f32 = 1.5;
/// Most vertical distance between rows of one table, in ems.
const ROW_GAP: f32 = 2.5;

/// A run of glyphs on a line.
#[derive(Debug, Clone)]
struct Run {
    x0: f32,
    x1: f32,
    text: String,
}

fn runs(line: &Line) -> Vec<Run> {
    let mut out: Vec<Vec<Glyph>> = Vec::new();
    for g in &line.glyphs {
        match out.last_mut() {
            Some(run)
                if g.x0 - run.last().map_or(g.x0, |p| p.x1)
                    <= RUN_GAP * g.size.min(run.last().map_or(g.size, |p| p.size)) =>
            {
                run.push(*g)
            }
            _ => out.push(vec![*g]),
        }
    }
    out.into_iter()
        .map(|glyphs| Run {
            x0: glyphs.iter().map(|g| g.x0).fold(f32::MAX, f32::min),
            x1: glyphs.iter().map(|g| g.x1).fold(f32::MIN, f32::max),
            text: join_glyphs(&glyphs),
        })
        .collect()
}

/// What the lines of a page region are: paragraph lines or stream tables.
#[derive(Debug)]
pub(crate) enum Item {
    Line(Line),
    Table(PageTable),
}

/// Splits lines (top to bottom) into paragraph lines and borderless tables.
pub(crate) fn find_tables(lines: Vec<Line>, page: u32) -> Vec<Item> {
    let line_runs: Vec<Vec<Run>> = lines.iter().map(runs).collect();
    let mut items = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let end = table_end(&lines, &line_runs, i);
        if end > i {
            let rows: Vec<(&Line, &Vec<Run>)> =
                lines[i..end].iter().zip(&line_runs[i..end]).collect();
            if let Some(t) = build(&rows, page) {
                items.push(Item::Table(t));
                i = end;
                continue;
            }
        }
        items.push(Item::Line(lines[i].clone()));
        i += 1;
    }
    items
}

/// The end (exclusive) of a stream table starting at line `start`, or
/// `start` when none starts there.
fn table_end(lines: &[Line], runs: &[Vec<Run>], start: usize) -> usize {
    if runs[start].len() < 2 {
        return start;
    }
    let (mut end, mut multi) = (start + 1, 1);
    let mut j = start + 1;
    while j < lines.len() {
        let gap = lines[j - 1].y0 - lines[j].y1;
        if gap > ROW_GAP * lines[j].size() {
            break;
        }
        if runs[j].len() >= 2 {
            multi += 1;
            end = j + 1;
        } else if runs.get(j + 1).is_none_or(|r| r.len() < 2) {
            break;
        }
        j += 1;
    }
    if multi >= 2 {
        end
    } else {
        start
    }
}

/// Column x-ranges: the union of the runs of the rows with the most runs.
fn columns(rows: &[(&Line, &Vec<Run>)]) -> Vec<(f32, f32)> {
    let widest = rows.iter().map(|(_, r)| r.len()).max().unwrap_or(0);
    let mut spans: Vec<(f32, f32)> = rows
        .iter()
        .filter(|(_, r)| r.len() == widest)
        .flat_map(|(_, r)| r.iter().map(|run| (run.x0, run.x1)))
        .collect();
    spans.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut cols: Vec<(f32, f32)> = Vec::new();
    for (a, b) in spans {
        match cols.last_mut() {
            Some(last) if a <= last.1 => last.1 = last.1.max(b),
            _ => cols.push((a, b)),
        }
    }
    cols.truncate(MAX_COLS);
    cols
}

fn column_at(cols: &[(f32, f32)], x: f32) -> usize {
    // The last column starting at or before x, else the first.
    cols.iter().rposition(|c| c.0 <= x + 1.0).unwrap_or(0)
}

fn build(rows: &[(&Line, &Vec<Run>)], page: u32) -> Option<PageTable> {
    let cols = columns(rows);
    if cols.len() < 2 {
        return None;
    }
    let nc = cols.len();
    let mut xs: Vec<f32> = cols.iter().map(|c| c.0).collect();
    xs.push(cols[nc - 1].1);
    let mut grid = Vec::new();
    let mut boxes = Vec::new();
    for (line, line_runs) in rows {
        let mut row = vec![GridCell::default(); nc];
        let (y0, y1) = (
            (line.y0 * 10.0).round() / 10.0,
            (line.y1 * 10.0).round() / 10.0,
        );
        let mut row_boxes: Vec<PdfBox> = (0..nc)
            .map(|c| PdfBox {
                page,
                bbox: [xs[c], y0, xs[c + 1], y1],
            })
            .collect();
        for run in line_runs.iter() {
            let anchor = if line_runs.len() == 1 {
                run.x0
            } else {
                (run.x0 + run.x1) / 2.0
            };
            let c0 = column_at(&cols, anchor);
            let c1 = column_at(&cols, run.x1 - 1.0).max(c0);
            let cell = &mut row[c0];
            if !cell.text.is_empty() {
                cell.text.push(' ');
            }
            cell.text.push_str(&run.text);
            cell.is_origin = true;
            for c in c0 + 1..=c1 {
                row[c] = GridCell {
                    text: row[c0].text.clone(),
                    is_origin: false,
                };
            }
            let b = PdfBox {
                page,
                bbox: [xs[c0], y0, xs[c1 + 1], y1],
            };
            row_boxes[c0..=c1].fill(b);
        }
        // Positions no run reached are empty cells of their own.
        for cell in row.iter_mut().filter(|c| c.text.is_empty()) {
            cell.is_origin = true;
        }
        grid.push(row);
        boxes.extend(row_boxes);
    }
    Some(PageTable {
        rows: grid,
        boxes,
        xs,
        top: rows[0].0.y1,
        bottom: rows[rows.len() - 1].0.y0,
    })
}
