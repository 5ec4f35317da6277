//! Lattice tables: the grid is built from the ruling lines (table borders),
//! as pdfplumber's "lines" strategy does, never from a library's own table
//! guesser (on real reports those lost merged and multi-line row labels).
//!
//! 1. Path operations become axis-aligned segments: stroked `l` lines,
//!    rectangles (their four edges when stroked; a filled rectangle thinner
//!    than 2 pt is a line: Word and WPS draw borders that way). Fill-only
//!    larger rectangles are cell shading or page backgrounds, not borders.
//! 2. Collinear segments within [`SNAP`] of one another are snapped to one
//!    position and joined where they touch (LibreOffice draws every cell's
//!    edge separately).
//! 3. Segments that cross or touch form tables (connected components with at
//!    least two horizontal and two vertical lines).
//! 4. The distinct x of the verticals and y of the horizontals cut the table
//!    into base cells; two neighbouring base cells are one (merged) cell when
//!    no ruling line covers at least half of the edge between them. The
//!    merged groups give rowspan and colspan directly.
//! 5. Each glyph goes to the cell holding its centre. A component that is
//!    one tall cell after merging is a frame, not a table ([`build`] returns
//!    none and its glyphs stay text); components are built smallest first,
//!    so a table drawn inside a frame keeps its own glyphs.

use super::chars::{block_text, Glyph};
use crate::document::{GridCell, PdfBox};
use pdf_oxide::elements::{PathContent, PathOperation};

/// Positions closer than this (points) are the same line: double borders
/// and LibreOffice's per-cell edges differ by up to ~1 pt.
const SNAP: f32 = 2.0;
/// Segments this close end to end are one line; also the slack for "touches".
const JOIN: f32 = 3.0;
/// A one-cell component taller than this (points) is a frame around text.
/// A shorter one is a row: a table's merged title row ("第二十条第（一）项")
/// left alone at the foot of a page, to be joined to the rest of its table
/// on the next (a row with a label wrapped over five lines is about 90 pt).
const FRAME_HEIGHT: f32 = 100.0;
/// Widest and tallest grid built (as for the other readers).
pub(crate) const MAX_COLS: usize = 256;
pub(crate) const MAX_ROWS: usize = 10_000;
/// Most segments used on a page: real tables have hundreds; the component
/// search is quadratic in them (a page of 20,000 hairlines took seconds).
pub(crate) const MAX_SEGMENTS: usize = 4_000;

/// An axis-aligned ruling line: at `pos` (y for horizontal, x for vertical),
/// from `lo` to `hi` along its axis.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Seg {
    pub pos: f32,
    pub lo: f32,
    pub hi: f32,
}

/// A table found on one page: a dense grid plus each position's box.
#[derive(Debug, Clone)]
pub(crate) struct PageTable {
    pub rows: Vec<Vec<GridCell>>,
    pub boxes: Vec<PdfBox>,
    /// Column boundaries (x, left to right), for joining across pages.
    pub xs: Vec<f32>,
    /// Top and bottom y of the table.
    pub top: f32,
    pub bottom: f32,
}

/// Horizontal and vertical segments from a page's paths.
pub(crate) fn segments(paths: &[PathContent]) -> (Vec<Seg>, Vec<Seg>) {
    let (mut h, mut v) = (Vec::new(), Vec::new());
    for p in paths {
        let stroked = p.stroke_color.is_some();
        let mut add = |x0: f32, y0: f32, x1: f32, y1: f32| {
            if ![x0, y0, x1, y1].iter().all(|c| c.is_finite()) {
                return;
            }
            if (y0 - y1).abs() <= 1.0 && (x1 - x0).abs() > 1.0 {
                h.push(seg((y0 + y1) / 2.0, x0, x1));
            } else if (x0 - x1).abs() <= 1.0 && (y1 - y0).abs() > 1.0 {
                v.push(seg((x0 + x1) / 2.0, y0, y1));
            }
        };
        let (mut cur, mut start) = ((0.0f32, 0.0f32), (0.0f32, 0.0f32));
        for op in &p.operations {
            match *op {
                PathOperation::MoveTo(x, y) => {
                    cur = (x, y);
                    start = cur;
                }
                PathOperation::LineTo(x, y) => {
                    if stroked {
                        add(cur.0, cur.1, x, y);
                    }
                    cur = (x, y);
                }
                PathOperation::CurveTo(.., x, y) => cur = (x, y),
                PathOperation::ClosePath => {
                    if stroked {
                        add(cur.0, cur.1, start.0, start.1);
                    }
                    cur = start;
                }
                PathOperation::Rectangle(x, y, w, hgt) => {
                    let (x1, y1) = (x + w, y + hgt);
                    if w.abs() <= 2.0 || hgt.abs() <= 2.0 {
                        add(x, (y + y1) / 2.0, x1, (y + y1) / 2.0);
                        add((x + x1) / 2.0, y, (x + x1) / 2.0, y1);
                    } else if stroked {
                        add(x, y, x1, y);
                        add(x, y1, x1, y1);
                        add(x, y, x, y1);
                        add(x1, y, x1, y1);
                    }
                    cur = (x, y);
                    start = cur;
                }
            }
        }
    }
    (merge(h), merge(v))
}

fn seg(pos: f32, a: f32, b: f32) -> Seg {
    Seg {
        pos,
        lo: a.min(b),
        hi: a.max(b),
    }
}

/// Snaps collinear segments to one position and joins touching ones.
pub(crate) fn merge(mut segs: Vec<Seg>) -> Vec<Seg> {
    segs.sort_by(|a, b| a.pos.total_cmp(&b.pos));
    let mut groups: Vec<Vec<Seg>> = Vec::new();
    for s in segs {
        match groups.last_mut() {
            Some(g) if s.pos - g[0].pos <= SNAP => g.push(s),
            _ => groups.push(vec![s]),
        }
    }
    let mut out = Vec::new();
    for mut g in groups {
        let pos = g.iter().map(|s| s.pos).sum::<f32>() / g.len() as f32;
        g.sort_by(|a, b| a.lo.total_cmp(&b.lo));
        let mut cur = Seg { pos, ..g[0] };
        for s in &g[1..] {
            if s.lo <= cur.hi + JOIN {
                cur.hi = cur.hi.max(s.hi);
            } else {
                out.push(cur);
                cur = Seg { pos, ..*s };
            }
        }
        out.push(cur);
    }
    out
}

fn crosses(h: &Seg, v: &Seg) -> bool {
    v.pos >= h.lo - JOIN && v.pos <= h.hi + JOIN && h.pos >= v.lo - JOIN && h.pos <= v.hi + JOIN
}

/// Groups of crossing segments: (horizontals, verticals) per table.
pub(crate) fn components(h: &[Seg], v: &[Seg]) -> Vec<(Vec<Seg>, Vec<Seg>)> {
    let n = h.len();
    let mut parent: Vec<usize> = (0..n + v.len()).collect();
    fn find(p: &mut [usize], mut i: usize) -> usize {
        while p[i] != i {
            p[i] = p[p[i]];
            i = p[i];
        }
        i
    }
    for (i, hs) in h.iter().enumerate() {
        for (j, vs) in v.iter().enumerate() {
            if crosses(hs, vs) {
                let (a, b) = (find(&mut parent, i), find(&mut parent, n + j));
                parent[a] = b;
            }
        }
    }
    let mut groups: std::collections::BTreeMap<usize, (Vec<Seg>, Vec<Seg>)> = Default::default();
    for (i, s) in h.iter().enumerate() {
        let root = find(&mut parent, i);
        groups.entry(root).or_default().0.push(*s);
    }
    for (j, s) in v.iter().enumerate() {
        let root = find(&mut parent, n + j);
        groups.entry(root).or_default().1.push(*s);
    }
    groups
        .into_values()
        .filter(|(h, v)| h.len() >= 2 && v.len() >= 2)
        .collect()
}

/// The area of a component's bounding box (square points).
pub(crate) fn area((h, v): &(Vec<Seg>, Vec<Seg>)) -> f32 {
    let span = |segs: &[Seg]| {
        let lo = segs.iter().map(|s| s.pos).fold(f32::MAX, f32::min);
        let hi = segs.iter().map(|s| s.pos).fold(f32::MIN, f32::max);
        (hi - lo).max(0.0)
    };
    span(h) * span(v)
}

/// Distinct positions, ascending, closer ones snapped together.
fn cuts(mut positions: Vec<f32>) -> Vec<f32> {
    positions.sort_by(f32::total_cmp);
    let mut out: Vec<f32> = Vec::new();
    for p in positions {
        match out.last() {
            Some(&last) if p - last <= SNAP => {}
            _ => out.push(p),
        }
    }
    out
}

/// Share of `[lo, hi]` covered by the segments at `pos`.
fn coverage(segs: &[Seg], pos: f32, lo: f32, hi: f32) -> f32 {
    let len = hi - lo;
    if len <= 0.0 {
        return 1.0;
    }
    let covered: f32 = segs
        .iter()
        .filter(|s| (s.pos - pos).abs() <= SNAP)
        .map(|s| (s.hi.min(hi) - s.lo.max(lo)).max(0.0))
        .sum();
    covered / len
}

/// Builds the tables of one component and takes their glyphs out of
/// `glyphs`: one table, or the tables inside a frame ([`super::frame`]), or
/// none (a frame around text only, or a grid over the limits).
pub(crate) fn build(h: &[Seg], v: &[Seg], glyphs: &mut Vec<Glyph>, page: u32) -> Vec<PageTable> {
    let Some((xs, ys)) = grid_lines(h, v) else {
        return Vec::new();
    };
    let groups = merged_cells(h, v, &xs, &ys);
    match super::frame::inner_tables(&groups, &xs, &ys) {
        None => table(groups, &xs, &ys, glyphs, page).into_iter().collect(),
        Some(parts) => parts
            .into_iter()
            .filter_map(|(rows, cols)| {
                let xs = &xs[cols.start..=cols.end];
                let ys = &ys[rows.start..=rows.end];
                table(merged_cells(h, v, xs, ys), xs, ys, glyphs, page)
            })
            .collect(),
    }
}

/// Column cuts (x, left to right) and row cuts (y, top first) of a
/// component, or `None` when it makes no grid within the limits.
fn grid_lines(h: &[Seg], v: &[Seg]) -> Option<(Vec<f32>, Vec<f32>)> {
    let mut xs = cuts(v.iter().map(|s| s.pos).collect());
    // Open tables (no outer side borders): the horizontals reach further.
    let (hl, hr) = h
        .iter()
        .fold((f32::MAX, f32::MIN), |(l, r), s| (l.min(s.lo), r.max(s.hi)));
    if xs.first().is_some_and(|&x| hl < x - 2.0 * JOIN) {
        xs.insert(0, hl);
    }
    if xs.last().is_some_and(|&x| hr > x + 2.0 * JOIN) {
        xs.push(hr);
    }
    let mut ys = cuts(h.iter().map(|s| s.pos).collect());
    // Rows cut by a page break may have no line at the page's edge: the
    // verticals reach further.
    let (vb, vt) = v
        .iter()
        .fold((f32::MAX, f32::MIN), |(b, t), s| (b.min(s.lo), t.max(s.hi)));
    if ys.first().is_some_and(|&y| vb < y - 2.0 * JOIN) {
        ys.insert(0, vb);
    }
    if ys.last().is_some_and(|&y| vt > y + 2.0 * JOIN) {
        ys.push(vt);
    }
    ys.reverse(); // top first
    let (nr, nc) = (ys.len().checked_sub(1)?, xs.len().checked_sub(1)?);
    if nr == 0 || nc == 0 || nr > MAX_ROWS || nc > MAX_COLS || nr * nc > 1_000_000 {
        return None;
    }
    Some((xs, ys))
}

/// The table on the grid `xs` by `ys` with merged cells `groups`, taking
/// the glyphs inside it; `None` when the grid is one tall cell (a frame).
fn table(
    groups: Vec<usize>,
    xs: &[f32],
    ys: &[f32],
    glyphs: &mut Vec<Glyph>,
    page: u32,
) -> Option<PageTable> {
    if groups.iter().all(|&g| g == 0) && ys[0] - ys[ys.len() - 1] > FRAME_HEIGHT {
        // One tall cell: a frame around text (a report laid out inside a
        // bordered one-cell table prints as a ruled box on every page), not
        // a table. Its glyphs stay text.
        return None;
    }
    let (nr, nc) = (ys.len() - 1, xs.len() - 1);
    let mut texts: Vec<Vec<Glyph>> = vec![Vec::new(); nr * nc];
    let (top, bottom) = (ys[0], ys[nr]);
    glyphs.retain(|g| {
        let (cx, cy) = (g.cx(), g.cy());
        if cx < xs[0] || cx > xs[nc] || cy > top || cy < bottom {
            return true;
        }
        let c = xs.partition_point(|&x| x <= cx).clamp(1, nc) - 1;
        let r = ys.partition_point(|&y| y >= cy).clamp(1, nr) - 1;
        texts[groups[r * nc + c]].push(*g);
        false
    });
    Some(assemble(&groups, &texts, xs, ys, page))
}

/// For every base cell, the index of the (merged) cell it belongs to: the
/// row-major index of that cell's first base cell.
fn merged_cells(h: &[Seg], v: &[Seg], xs: &[f32], ys: &[f32]) -> Vec<usize> {
    let (nr, nc) = (ys.len() - 1, xs.len() - 1);
    let mut parent: Vec<usize> = (0..nr * nc).collect();
    fn find(p: &mut [usize], mut i: usize) -> usize {
        while p[i] != i {
            p[i] = p[p[i]];
            i = p[i];
        }
        i
    }
    let union = |p: &mut Vec<usize>, a: usize, b: usize| {
        let (ra, rb) = (find(p, a), find(p, b));
        let (lo, hi) = (ra.min(rb), ra.max(rb));
        p[hi] = lo;
    };
    for r in 0..nr {
        for c in 0..nc {
            let i = r * nc + c;
            if c + 1 < nc && coverage(v, xs[c + 1], ys[r + 1], ys[r]) < 0.5 {
                union(&mut parent, i, i + 1);
            }
            if r + 1 < nr && coverage(h, ys[r + 1], xs[c], xs[c + 1]) < 0.5 {
                union(&mut parent, i, i + nc);
            }
        }
    }
    (0..nr * nc).map(|i| find(&mut parent, i)).collect()
}

/// The base cells a merged cell covers: bounding rows and columns
/// (inclusive) and how many base cells it has.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Extent {
    pub r0: usize,
    pub c0: usize,
    pub r1: usize,
    pub c1: usize,
    pub cells: usize,
}

impl Extent {
    /// Whether the merged cell fills its bounding rectangle.
    pub fn is_rectangle(&self) -> bool {
        self.cells == (self.r1 - self.r0 + 1) * (self.c1 - self.c0 + 1)
    }
}

/// The extent of every merged cell of `groups` (as [`merged_cells`] gives
/// them, `nc` base cells a row), by group.
pub(crate) fn extents(groups: &[usize], nc: usize) -> std::collections::HashMap<usize, Extent> {
    let mut out: std::collections::HashMap<usize, Extent> = Default::default();
    for (i, &g) in groups.iter().enumerate() {
        let (r, c) = (i / nc, i % nc);
        let e = out.entry(g).or_insert(Extent {
            r0: r,
            c0: c,
            r1: r,
            c1: c,
            cells: 0,
        });
        (e.r0, e.c0, e.r1, e.c1) = (e.r0.min(r), e.c0.min(c), e.r1.max(r), e.c1.max(c));
        e.cells += 1;
    }
    out
}

fn round1(v: f32) -> f32 {
    (v * 10.0).round() / 10.0
}

/// The dense grid: every position gets its merged cell's text and box.
fn assemble(
    groups: &[usize],
    texts: &[Vec<Glyph>],
    xs: &[f32],
    ys: &[f32],
    page: u32,
) -> PageTable {
    let (nr, nc) = (ys.len() - 1, xs.len() - 1);
    let extent: std::collections::HashMap<usize, (usize, usize, usize, usize)> =
        extents(groups, nc)
            .into_iter()
            .map(|(g, e)| (g, (e.r0, e.c0, e.r1, e.c1)))
            .collect();
    let text: std::collections::HashMap<usize, String> =
        extent.keys().map(|&g| (g, block_text(&texts[g]))).collect();
    let mut rows = Vec::with_capacity(nr);
    let mut boxes = Vec::with_capacity(nr * nc);
    for r in 0..nr {
        let mut row = Vec::with_capacity(nc);
        for c in 0..nc {
            let g = groups[r * nc + c];
            let (r0, c0, r1, c1) = extent[&g];
            row.push(GridCell {
                text: text[&g].as_str().into(),
                is_origin: g == r * nc + c,
            });
            boxes.push(PdfBox {
                page,
                bbox: [
                    round1(xs[c0]),
                    round1(ys[r1 + 1]),
                    round1(xs[c1 + 1]),
                    round1(ys[r0]),
                ],
            });
        }
        rows.push(row);
    }
    PageTable {
        rows,
        boxes,
        xs: xs.to_vec(),
        top: ys[0],
        bottom: ys[nr],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hs(pos: f32, lo: f32, hi: f32) -> Seg {
        Seg { pos, lo, hi }
    }

    #[test]
    fn merged_label_spans_two_rows() {
        // 2 columns x 2 rows; the left column has no line between its rows.
        let h = vec![
            hs(100.0, 0.0, 200.0),
            hs(80.0, 100.0, 200.0),
            hs(60.0, 0.0, 200.0),
        ];
        let v = vec![
            hs(0.0, 60.0, 100.0),
            hs(100.0, 60.0, 100.0),
            hs(200.0, 60.0, 100.0),
        ];
        let mk = |ch, x: f32, y: f32| Glyph {
            ch,
            x0: x,
            x1: x + 8.0,
            y0: y,
            y1: y + 8.0,
            size: 8.0,
        };
        let mut glyphs = vec![
            mk('甲', 10.0, 76.0),
            mk('1', 150.0, 86.0),
            mk('2', 150.0, 66.0),
            mk('外', 300.0, 70.0),
        ];
        let comps = components(&merge(h), &merge(v));
        assert_eq!(comps.len(), 1);
        let t = build(&comps[0].0, &comps[0].1, &mut glyphs, 3).remove(0);
        let texts: Vec<Vec<&str>> = t
            .rows
            .iter()
            .map(|r| r.iter().map(|c| c.text.as_str()).collect())
            .collect();
        assert_eq!(texts, [["甲", "1"], ["甲", "2"]]);
        assert!(t.rows[0][0].is_origin && !t.rows[1][0].is_origin);
        assert_eq!(
            t.boxes[2],
            PdfBox {
                page: 3,
                bbox: [0.0, 60.0, 100.0, 100.0]
            }
        );
        assert_eq!(glyphs.len(), 1, "the glyph outside the table stays");
    }

    #[test]
    fn per_cell_edges_snap_and_join() {
        let merged = merge(vec![
            hs(10.0, 0.0, 50.0),
            hs(10.6, 50.5, 100.0),
            hs(40.0, 0.0, 10.0),
        ]);
        assert_eq!(merged.len(), 2);
        assert_eq!((merged[0].lo, merged[0].hi), (0.0, 100.0));
    }
}
