//! Frames: a ruled box around text and tables (a report laid out inside a
//! bordered one-cell table, a bordered text box) is not part of the tables
//! inside it.
//!
//! Why: the DOCX reader unwraps such layout tables, but printed, the frame
//! is ruling lines like any other. Where an inner table shares an edge with
//! the frame (LibreOffice draws the inner table's right and bottom borders
//! on the frame's, and insets only its left one by the cell padding), the
//! two form one component, and the whole page read as one table: on 200
//! generated reports printed by LibreOffice, 11 reports lost their first
//! table and 265 cells that way.
//!
//! How a frame is told: after merging, a real table's cells are rectangles.
//! A frame's inside, less the tables in it, is not (an L or a U around
//! them), and it reaches across the whole component, wide or tall. Where
//! the frame holds only the table (a page the table fills), what is left of
//! the frame is its padding: one cell along a whole edge, narrower than
//! [`PADDING`] (LibreOffice's default cell padding is 5.5 pt; no table has a
//! column that narrow, it would not hold a digit). Rows of
//! only frame are text between tables; each run of other rows is a table of
//! its own, cut to the columns it uses. A component that is a single cell
//! is a frame with nothing ruled inside (see `lattice::build`).

use super::lattice::extents;
use std::ops::Range;

/// Widest strip along an edge that is a frame's padding, in points.
const PADDING: f32 = 8.0;

/// Base-cell row and column ranges of one table inside a frame.
pub(crate) type Part = (Range<usize>, Range<usize>);

/// The tables inside a frame, or `None` when the grid has no frame.
/// `groups` is the merged-cell index of each base cell, row major, of the
/// grid cut at `xs` (left to right) and `ys` (top first), as
/// `lattice::merged_cells` gives it.
pub(crate) fn inner_tables(groups: &[usize], xs: &[f32], ys: &[f32]) -> Option<Vec<Part>> {
    let (nr, nc) = (ys.len() - 1, xs.len() - 1);
    let frames = frame_groups(groups, xs, ys);
    if frames.is_empty() {
        return None;
    }
    let is_frame = |r: usize, c: usize| frames.contains(&groups[r * nc + c]);
    let mut parts = Vec::new();
    let mut r = 0;
    while r < nr {
        if (0..nc).all(|c| is_frame(r, c)) {
            r += 1;
            continue;
        }
        let start = r;
        while r < nr && (0..nc).any(|c| !is_frame(r, c)) {
            r += 1;
        }
        let used: Vec<usize> = (0..nc)
            .filter(|&c| (start..r).any(|row| !is_frame(row, c)))
            .collect();
        if let (Some(&first), Some(&last)) = (used.first(), used.last()) {
            parts.push((start..r, first..last + 1));
        }
    }
    Some(parts)
}

/// Merged cells that are not rectangles and span the grid's full width or
/// full height, and padding strips along an edge.
fn frame_groups(groups: &[usize], xs: &[f32], ys: &[f32]) -> Vec<usize> {
    let (nr, nc) = (ys.len() - 1, xs.len() - 1);
    let mut frames: Vec<usize> = extents(groups, nc)
        .into_iter()
        .filter(|(_, e)| {
            let wide = e.c0 == 0 && e.c1 + 1 == nc;
            let tall = e.r0 == 0 && e.r1 + 1 == nr;
            let edge_column = e.c0 == e.c1 && (e.c0 == 0 || e.c0 + 1 == nc);
            let edge_row = e.r0 == e.r1 && (e.r0 == 0 || e.r0 + 1 == nr);
            let strip = (tall && edge_column && xs[e.c0 + 1] - xs[e.c0] < PADDING)
                || (wide && edge_row && ys[e.r0] - ys[e.r0 + 1] < PADDING);
            (!e.is_rectangle() && (wide || tall)) || (strip && nr > 1 && nc > 1)
        })
        .map(|(g, _)| g)
        .collect();
    frames.sort_unstable();
    frames
}

#[cfg(test)]
mod tests {
    use super::*;

    const COLS: [f32; 4] = [0.0, 50.0, 100.0, 150.0];
    const ROWS: [f32; 4] = [300.0, 200.0, 100.0, 0.0];

    #[test]
    fn table_sharing_the_frames_edges_is_cut_out_of_it() {
        // 4 rows x 3 columns: row 0 is text above the table and column 0 the
        // frame's padding strip, one L-shaped group (0); the table is rows
        // 1-3, columns 1-2, its cells each their own.
        #[rustfmt::skip]
        let groups = [
            0, 0, 0,
            0, 4, 5,
            0, 7, 8,
            0, 10, 11,
        ];
        let xs = [85.2, 90.7, 200.0, 535.2];
        let ys = [742.4, 600.0, 500.0, 400.0, 300.0];
        assert_eq!(inner_tables(&groups, &xs, &ys), Some(vec![(1..4, 1..3)]));
    }

    #[test]
    fn text_between_two_tables_separates_them() {
        #[rustfmt::skip]
        let groups = [
            0, 1, 2,
            0, 0, 0,
            0, 7, 8,
        ];
        assert_eq!(
            inner_tables(&groups, &COLS, &ROWS),
            Some(vec![(0..1, 1..3), (2..3, 1..3)])
        );
    }

    #[test]
    fn a_tables_own_merged_cells_are_no_frame() {
        // A group label over rows 1-2 and a title row across the top are
        // rectangles; an L-shaped merge from one missing border inside the
        // table does not reach across it.
        #[rustfmt::skip]
        let rectangles = [
            0, 0, 0,
            3, 4, 5,
            3, 7, 8,
        ];
        assert_eq!(inner_tables(&rectangles, &COLS, &ROWS), None);
        #[rustfmt::skip]
        let broken_border = [
            0, 1, 2, 3,
            4, 5, 5, 7,
            8, 5, 10, 11,
        ];
        let cols = [0.0, 50.0, 100.0, 150.0, 200.0];
        assert_eq!(inner_tables(&broken_border, &cols, &ROWS), None);
    }

    #[test]
    fn padding_strip_of_a_frame_the_table_fills_is_cut_off() {
        // The frame's left padding (5.5 pt) down the whole page, the table
        // beside it: the strip goes, whatever its merge shape.
        #[rustfmt::skip]
        let groups = [
            0, 1, 2,
            0, 4, 5,
        ];
        let xs = [85.2, 90.7, 200.0, 535.2];
        assert_eq!(
            inner_tables(&groups, &xs, &[700.0, 600.0, 500.0]),
            Some(vec![(0..2, 1..3)])
        );
        // A first column 40 pt wide merged down the table is a label.
        let xs = [85.2, 125.2, 200.0, 535.2];
        assert_eq!(inner_tables(&groups, &xs, &[700.0, 600.0, 500.0]), None);
    }
}
