//! From pages to one document: page headers and footers dropped, lines
//! grouped into paragraphs, and a table that runs over a page break joined
//! into one table (its repeated header rows dropped).
//!
//! Headers and footers are lines in the top 8% or bottom 10% of the page
//! that are page numbers (`— 3 —`, `- 3 -`, `第3页`, `第 3 页 共 12 页`,
//! `3 / 12`, `Page 3`, a bare number) or that repeat, digits aside, on at
//! least two pages and half of them (running titles). LibreOffice and Word
//! put footers 30-60 pt from the bottom edge of a 792-842 pt page.
//!
//! Paragraphs: a line starts a new paragraph when it is indented by more than
//! an em from the page's left text edge (Chinese paragraphs start with a
//! two-character indent), when the line before it ended more than two ems
//! short of the right text edge, when the gap above it is 0.4 em more than
//! the page's line gap inside paragraphs (paragraph spacing), or when its font size
//! differs from the line before by over 15% (headings). A line centred
//! under the line before, and no wider, continues it (a wrapped title). A
//! paragraph that ran to the right edge of one page without ending its
//! sentence goes on with an unindented first line on the next.

use super::chars::{join_line, Line};
use super::lattice::PageTable;
use super::stream::Item;
use crate::document::{Block, Document, GridCell, Paragraph, Table, TableOrigin};
use crate::values::CellText;
use std::collections::HashMap;

/// One page after extraction: its lines outside ruled tables and its ruled
/// tables, plus the media box height for the header/footer bands.
#[derive(Debug)]
pub(crate) struct Page {
    pub number: u32,
    pub y_min: f32,
    pub y_max: f32,
    pub lines: Vec<Line>,
    pub tables: Vec<PageTable>,
}

/// Page-number footers and headers.
fn is_page_number(text: &str) -> bool {
    static RE: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    let re = RE.get_or_init(|| {
        regex::Regex::new(
            r"(?ix)^(
                [-—–－―_~·\s]*\d{1,4}[-—–－―_~·\s]*
              | 第\s*\d{1,4}\s*页(\s*[,，/／]?\s*共\s*\d{1,4}\s*页)?
              | (共\s*\d{1,4}\s*页\s*[,，]?\s*)?第\s*\d{1,4}\s*页
              | \d{1,4}\s*[/／]\s*\d{1,4}
              | page\s*\d{1,4}(\s*(of|/)\s*\d{1,4})?
            )$",
        )
        .expect("page-number pattern")
    });
    re.is_match(text.trim())
}

fn in_band(page: &Page, line: &Line) -> bool {
    let h = page.y_max - page.y_min;
    line.y0 >= page.y_max - 0.08 * h || line.y1 <= page.y_min + 0.10 * h
}

fn digits_blanked(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_ascii_digit() { '#' } else { c })
        .filter(|c| !c.is_whitespace())
        .collect()
}

/// Drops header and footer lines from every page.
pub(crate) fn drop_headers_footers(pages: &mut [Page]) {
    let mut seen: HashMap<String, usize> = HashMap::new();
    for page in pages.iter() {
        let mut on_page: Vec<String> = page
            .lines
            .iter()
            .filter(|l| in_band(page, l))
            .map(|l| digits_blanked(&l.text()))
            .collect();
        on_page.sort();
        on_page.dedup();
        for t in on_page {
            *seen.entry(t).or_default() += 1;
        }
    }
    let n = pages.len();
    for page in pages.iter_mut() {
        let keep: Vec<bool> = page
            .lines
            .iter()
            .map(|l| {
                if !in_band(page, l) {
                    return true;
                }
                let text = l.text();
                let repeats = seen.get(&digits_blanked(&text)).copied().unwrap_or(0);
                !(is_page_number(&text) || (repeats >= 2 && repeats * 2 >= n))
            })
            .collect();
        let mut k = keep.iter();
        page.lines.retain(|_| *k.next().unwrap_or(&true));
    }
}

/// One page's content in reading order.
enum Content {
    Lines(Vec<Line>),
    Table(PageTable),
}

fn page_content(page: Page, items: Vec<Item>) -> Vec<Content> {
    // Stream items are in order; ruled tables are slotted in by their top.
    let mut tables = page.tables;
    tables.sort_by(|a, b| b.top.total_cmp(&a.top));
    let mut tables = tables.into_iter().peekable();
    let mut out: Vec<Content> = Vec::new();
    for item in items {
        let top = match &item {
            Item::Line(l) => l.y1,
            Item::Table(t) => t.top,
        };
        while let Some(t) = tables.next_if(|t| t.top >= top) {
            out.push(Content::Table(t));
        }
        match (item, out.last_mut()) {
            (Item::Line(l), Some(Content::Lines(ls))) => ls.push(l),
            (Item::Line(l), _) => out.push(Content::Lines(vec![l])),
            (Item::Table(t), _) => out.push(Content::Table(t)),
        }
    }
    out.extend(tables.map(Content::Table));
    out
}

/// The gap between lines inside a paragraph in `lines` (the smallest gap
/// under two ems: reports are mostly one-line paragraphs, so the median
/// would be the paragraph spacing), so paragraph spacing can be told apart.
fn usual_gap(lines: &[Line]) -> Option<f32> {
    let mut gaps: Vec<f32> = lines
        .windows(2)
        .filter(|w| w[0].y0 - w[1].y1 < 2.0 * w[1].size())
        .map(|w| w[0].y0 - w[1].y1)
        .filter(|&g| g > -1.0)
        .collect();
    if gaps.len() < 3 {
        return None;
    }
    gaps.sort_by(f32::total_cmp);
    Some(gaps[0].max(0.0))
}

/// Whether `line` is the next line of a centred paragraph ending in `prev`:
/// both centred on the text column's axis (within an em; two left-aligned
/// list items of one length are not) and `line` no wider. A title of 22 pt
/// wraps so ("三溪街道2022年政府信息公开工作年度报" / "告"): read as two
/// paragraphs, 71 of 200 LibreOffice-printed reports lost their title and
/// agency.
fn centred_under(prev: &Line, line: &Line, left: f32, right: f32) -> bool {
    let axis = (left + right) / 2.0;
    let centred = |l: &Line| ((l.x0 + l.x1) / 2.0 - axis).abs() <= line.size();
    centred(prev) && centred(line) && line.x1 - line.x0 <= prev.x1 - prev.x0
}

/// A paragraph read from a page's lines, with how its edges lie, so one cut
/// by a page break can be put back together ([`continues_over_break`]).
struct Para {
    text: String,
    /// Its first line starts at the text's left edge (no indent).
    flush_start: bool,
    /// Its last line runs to the text's right edge (the text goes on).
    open_end: bool,
}

/// Paragraphs from consecutive lines.
fn paragraphs(lines: &[Line], left: f32, right: f32) -> Vec<Para> {
    let usual = usual_gap(lines);
    let mut out: Vec<Para> = Vec::new();
    let mut prev: Option<&Line> = None;
    for line in lines {
        let size = line.size();
        let new = match prev {
            None => true,
            Some(p) => {
                let gap = p.y0 - line.y1;
                let spaced = match usual {
                    Some(u) => gap > u + 0.4 * size,
                    None => gap > size,
                };
                let same_size = (p.size() - size).abs() <= 0.15 * size;
                let broken = line.x0 > left + size || p.x1 < right - 2.0 * size;
                !same_size || spaced || (broken && !centred_under(p, line, left, right))
            }
        };
        if new || out.is_empty() {
            out.push(Para {
                text: String::new(),
                flush_start: line.x0 <= left + size,
                open_end: false,
            });
        }
        let para = out.last_mut().expect("pushed");
        join_line(&mut para.text, &line.text());
        para.open_end = line.x1 >= right - 2.0 * size;
        prev = Some(line);
    }
    out.retain(|p| !p.text.is_empty());
    out
}

/// Whether `next`, the first paragraph of a page, goes on with `prev`, the
/// last of the page before: `prev` ran to the right edge without ending a
/// sentence and `next` starts unindented. A paragraph cut so read as two
/// ("…畅通依申请公" / "开渠道，在门户网站公布依申请公开…") made its second
/// half look like a heading in 1 of 200 printed reports.
fn continues_over_break(prev: &Para, next: &Para) -> bool {
    let ended = prev
        .text
        .trim_end()
        .ends_with(['。', '；', '：', '！', '？', '.', ';', ':']);
    prev.open_end && !ended && next.flush_start
}

/// Whether `next` (the first table of a page) continues `prev` (the last
/// table of the page before): the same outer edges, within 3 pt, and
/// column lines that fit together (a page holding only some rows may lack
/// some of the other page's column lines).
fn continues(prev: &PageTable, next: &PageTable) -> bool {
    let close = |a: Option<&f32>, b: Option<&f32>| matches!((a, b), (Some(a), Some(b)) if (a - b).abs() <= 3.0);
    close(prev.xs.first(), next.xs.first()) && close(prev.xs.last(), next.xs.last())
}

/// Column lines of both tables together, left to right.
fn union_xs(a: &[f32], b: &[f32]) -> Vec<f32> {
    let mut all: Vec<f32> = a.iter().chain(b).copied().collect();
    all.sort_by(f32::total_cmp);
    let mut out: Vec<f32> = Vec::new();
    for x in all {
        if out.last().is_none_or(|&l| x - l > 3.0) {
            out.push(x);
        }
    }
    out
}

/// Re-cuts a table's columns at `xs` (a superset of its own): a column
/// cut in several becomes a merged cell over them.
fn regrid(t: &mut PageTable, xs: &[f32]) {
    if t.xs.len() == xs.len() {
        return;
    }
    let old = t.xs.len().saturating_sub(1);
    let new_cols = xs.len() - 1;
    // For each new column, the old column it falls in.
    let map: Vec<usize> = (0..new_cols)
        .map(|k| {
            let mid = (xs[k] + xs[k + 1]) / 2.0;
            t.xs.partition_point(|&x| x <= mid).clamp(1, old.max(1)) - 1
        })
        .collect();
    let rows = std::mem::take(&mut t.rows);
    let boxes = std::mem::take(&mut t.boxes);
    for (r, row) in rows.into_iter().enumerate() {
        let cells: Vec<GridCell> = (0..new_cols)
            .map(|k| {
                let mut cell = row[map[k]].clone();
                cell.is_origin &= k == 0 || map[k - 1] != map[k];
                cell
            })
            .collect();
        t.boxes
            .extend((0..new_cols).map(|k| boxes[r * old + map[k]]));
        t.rows.push(cells);
    }
    t.xs = xs.to_vec();
}

/// Appends `next` to `prev`, without the leading rows that repeat `prev`'s
/// first rows (a header repeated on the new page), with the cells cut by
/// the page break put back together ([`stitch`]).
fn join(prev: &mut PageTable, mut next: PageTable) {
    let xs = union_xs(&prev.xs, &next.xs);
    regrid(prev, &xs);
    regrid(&mut next, &xs);
    let cols = xs.len() - 1;
    let text = |r: &[GridCell]| r.iter().map(|c| c.text.clone()).collect::<Vec<_>>();
    let repeated = next
        .rows
        .iter()
        .zip(&prev.rows)
        .take_while(|(a, b)| text(a) == text(b) && a.iter().any(|c| !c.text.is_empty()))
        .count()
        .min(next.rows.len().saturating_sub(1));
    next.rows.drain(..repeated);
    next.boxes.drain(..repeated * cols);
    let skip = usize::from(stitch(prev, &mut next, cols));
    prev.rows.extend(next.rows.into_iter().skip(skip));
    prev.boxes.extend(next.boxes.into_iter().skip(skip * cols));
    prev.bottom = next.bottom;
}

/// A row label that starts a row of its own ("7.", "（四）", "四、").
fn starts_row(text: &str) -> bool {
    static RE: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    RE.get_or_init(|| {
        regex::Regex::new(r"^\s*([一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[)）]|\d+[.．、）)])")
            .expect("row-label pattern")
    })
    .is_match(text)
}

fn is_number(text: &str) -> bool {
    !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_digit() || ".,-%".contains(c))
}

/// A number or what stands for none in a value cell ("—", "/", "无", "０"),
/// as the value parser reads cells.
fn is_value(text: &str) -> bool {
    matches!(
        crate::values::parse_cell(text),
        CellText::Number { .. } | CellText::Placeholder
    )
}

/// Puts cells cut by a page break back together. Word and LibreOffice draw
/// a border on both sides of the break, so the cut shows in the text only:
/// in a column where the last row above the break and the first row below
/// have a cell of the same width,
/// - an empty cell below a label (not a number) continues it (a merged
///   group label such as "（三）不予公开" running over the break);
/// - the whole first row is the rest of the last row (a row split by the
///   break: label text wrapped on, numbers left above) when its texts are
///   neither numbers nor new row labels and one of its cells is empty below
///   a non-empty one.
///
/// Continued cells take the joined text in both parts (origin above).
/// Returns whether the first row below was all continuation (to drop).
fn stitch(prev: &mut PageTable, next: &mut PageTable, cols: usize) -> bool {
    let (Some(last), Some(first)) = (prev.rows.len().checked_sub(1), next.rows.first().cloned())
    else {
        return false;
    };
    let width = |b: &crate::document::PdfBox| (b.bbox[0], b.bbox[2]);
    let same: Vec<bool> = (0..cols)
        .map(|c| {
            let (a, b) = (width(&prev.boxes[last * cols + c]), width(&next.boxes[c]));
            (a.0 - b.0).abs() <= 1.0 && (a.1 - b.1).abs() <= 1.0
        })
        .collect();
    let above: Vec<&str> = prev.rows[last].iter().map(|c| c.text.as_str()).collect();
    let below: Vec<&str> = first.iter().map(|c| c.text.as_str()).collect();
    // Cells run on over the break from a data row (one with a value) or
    // from a header into a header (both without values). Not from a header
    // into a data row: the last row above the break is then a header row
    // ("结果维持 | 结果纠正 …") followed by a row of values of its own, whose
    // blank cells are blanks. Continuing them gave table 四's values the
    // header's texts, and a value to the wrong column.
    let above_data = above.iter().any(|t| is_value(t));
    let below_data = below.iter().any(|t| is_value(t));
    let may_continue = above_data || !below_data;
    let tail_row = may_continue
        && (0..cols).any(|c| same[c] && below[c].is_empty() && !above[c].is_empty())
        && (0..cols)
            .filter(|&c| same[c] && !below[c].is_empty())
            .all(|c| !is_value(below[c]) && !starts_row(below[c]) && !above[c].is_empty());
    let continued: Vec<bool> = (0..cols)
        .map(|c| {
            same[c]
                && !above[c].is_empty()
                && (tail_row || (below[c].is_empty() && !is_number(above[c]) && may_continue))
        })
        .collect();
    let tails: Vec<String> = below.iter().map(|s| s.to_string()).collect();
    for c in (0..cols).filter(|&c| continued[c]) {
        let mut merged = prev.rows[last][c].text.to_string();
        join_line(&mut merged, &tails[c]);
        // Up through the part above the break, and down through the part
        // below it: the rows of the same merged cell, which share its box.
        // (Not `is_origin`: a column re-cut by `regrid` is a horizontal
        // copy in every row, and walking up by it rewrote the whole column
        // and put row "一、本年新收…" under "（二）部分公开".)
        let above_box = prev.boxes[last * cols + c];
        let mut r = last;
        loop {
            prev.rows[r][c].text = merged.as_str().into();
            if r == 0 || prev.boxes[(r - 1) * cols + c] != above_box {
                break;
            }
            r -= 1;
        }
        let below_box = next.boxes[c];
        for (i, row) in next.rows.iter_mut().enumerate() {
            let cell = &mut row[c];
            if next.boxes[i * cols + c] != below_box || cell.text != tails[c] {
                break;
            }
            cell.text = merged.as_str().into();
            cell.is_origin = false;
        }
    }
    tail_row
        && continued
            .iter()
            .enumerate()
            .all(|(c, &k)| k || below[c].is_empty())
}

/// A block of the document being built.
enum Out {
    Para(Para),
    Table(PageTable),
}

/// Builds the document from the pages, in order.
pub(crate) fn assemble(pages: Vec<(Page, Vec<Item>)>) -> Document {
    let mut out: Vec<Out> = Vec::new();
    for (page, items) in pages {
        let lines = items.iter().filter_map(|i| match i {
            Item::Line(l) => Some(l),
            Item::Table(_) => None,
        });
        let (left, right) =
            lines.fold((f32::MAX, f32::MIN), |(a, b), l| (a.min(l.x0), b.max(l.x1)));
        for (k, c) in page_content(page, items).into_iter().enumerate() {
            match (c, out.last_mut()) {
                (Content::Table(t), Some(Out::Table(prev))) if k == 0 && continues(prev, &t) => {
                    join(prev, t)
                }
                (Content::Table(t), _) => out.push(Out::Table(t)),
                (Content::Lines(ls), last) => {
                    let mut paras = paragraphs(&ls, left, right).into_iter().peekable();
                    if let (Some(Out::Para(prev)), Some(next)) = (last, paras.peek()) {
                        if k == 0 && continues_over_break(prev, next) {
                            let next = paras.next().expect("peeked");
                            join_line(&mut prev.text, &next.text);
                            prev.open_end = next.open_end;
                        }
                    }
                    out.extend(paras.map(Out::Para))
                }
            }
        }
    }
    let mut doc = Document::default();
    let mut index = 0;
    for o in out {
        doc.blocks.push(match o {
            Out::Para(p) => Block::Paragraph(Paragraph::new(p.text)),
            Out::Table(t) => {
                index += 1;
                let cols = t.xs.len().saturating_sub(1);
                let origin = TableOrigin::Pdf {
                    index,
                    boxes: t.boxes,
                };
                Block::Table(Table::from_grid(origin, cols, t.rows))
            }
        });
    }
    doc
}
