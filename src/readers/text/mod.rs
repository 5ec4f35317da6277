//! Plain-text reader: text copied out of web pages, Word or PDF viewers,
//! Markdown exports and crawlers' `page.txt` files.
//!
//! Tables arrive as lines of tab-separated cells (a copied HTML or Word
//! table), as Markdown-style pipe rows (PDF/OCR exports), as cells
//! separated by runs of spaces, or, in scraped page texts, as label text
//! with the row's digits glued together ([`scraped`]). Consecutive table
//! lines form one table; an empty line inside a run of table lines does not
//! end it, because copies from browsers put blank lines between rows whose
//! cells span rows. Page numbers (`— 3 —`), Markdown placeholder header
//! rows (`数据1 | 数据2`) and one- or two-character lines between table
//! rows (a vertical label, one character per line) do not end a table
//! either: the first two are dropped, the last kept as label rows.

//!
//! Tables are bounded like the HTML reader's: a line keeps at most
//! [`MAX_COLS`] cells (the rest of the line stays in the last one), a table
//! at most [`MAX_ROWS`] rows (longer runs continue as the next table), and
//! all tables of a file at most `Limits::max_grid_positions` grid positions. Short
//! rows are padded to the widest row, so without these one long line among
//! many short ones would make a grid of rows x columns positions: a 100 KB
//! file asked for 5 GB.
//!
//! Cost. Each line is classified by cheap tests first, in an order that
//! lets the common line stop early: one `memchr` for a tab, a length bound
//! before the space-run scans, and the scraped-row reader's cut points
//! found by one `match` per character ([`scraped`]). Under callgrind,
//! reading the seed report (samples/txt/guangyang-2022.txt, 8.4 KB) went
//! from 1.01 M to 0.48 M instructions; its floor (decode and split into
//! lines) is 0.15 M. Of what is left, 0.18 M is not this module's: UTF-8
//! validation (85,000), the sniff (43,000) and freeing the Document
//! (49,000). Most of the rest was one `String` per cell, which the Document
//! holds (the cells' allocation alone was 49,000): cells are now
//! `CompactString`s, inline up to 24 bytes, and with a sniff without
//! branches the read is 0.28 M (`benches/instructions.sh read_text_seed`).

mod scraped;

use super::{decode::decode, FormatReader, Probe, ReadCtx, ReadError};
use crate::document::{Block, CompactString, Document, GridBuilder, Paragraph, Table, TableOrigin};

/// A cell's text: inline up to 24 bytes (a number, a label of eight Han
/// characters), so most cells cost no allocation to make or to free.
type Cell = CompactString;
use crate::readers::Format;

/// Most cells one table line is split into.
pub const MAX_COLS: usize = GridBuilder::DEFAULT_MAX_COLS;
/// Longest line read as cells separated by runs of spaces: the longest
/// table 三 row label with seven values is under 200 bytes.
const MAX_SPACE_ROW_BYTES: usize = 1000;
/// Most rows one table holds.
pub const MAX_ROWS: usize = GridBuilder::DEFAULT_MAX_ROWS;

/// Most grid positions all tables of one file may hold (the default of
/// `Limits::max_grid_positions`; the text reader's grids are built before
/// the limits are consulted per table, so it keeps the default).
const MAX_GRID_POSITIONS: usize = 4_000_000;

/// The plain-text entry of the reader registry: whatever is text and not
/// markup.
pub(crate) struct TextReader;

impl FormatReader for TextReader {
    fn format(&self) -> Format {
        Format::Txt
    }

    fn sniff(&self, probe: &Probe<'_>) -> bool {
        probe.is_text()
    }

    fn read(&self, bytes: &[u8], _ctx: &mut ReadCtx<'_>) -> Result<Document, ReadError> {
        // Whole UTF-8 without a BOM (what `decode` would return unchanged):
        // validated once and read in place instead of validated twice and
        // copied.
        if encoding_rs::Encoding::for_bom(bytes).is_none() {
            if let Ok(text) = super::decode::utf8(bytes) {
                return parse(text);
            }
        }
        let text = decode(bytes, None);
        parse(&text)
    }
}

/// How one line of text splits into cells, if it is a table line at all.
fn split_cells(line: &str) -> Option<Vec<Cell>> {
    let trimmed = line.trim_end_matches(['\r', '\n']);
    if let Some(cells) = split_on_tabs(trimmed) {
        return Some(cells);
    }
    let t = trimmed.trim();
    if t.starts_with('|') && t.ends_with('|') && t.len() > 2 {
        let inner = &t[1..t.len() - 1];
        let cells: Vec<Cell> = inner.splitn(MAX_COLS, '|').map(clean_cell).collect();
        let separator = cells
            .iter()
            .all(|c| c.chars().all(|ch| matches!(ch, '-' | ':' | ' ')))
            && inner.contains('-');
        if separator {
            return Some(Vec::new()); // Markdown separator row: part of the table, no cells
        }
        return Some(cells);
    }
    split_on_space_runs(t)
}

/// The cells of a line with a tab, as `splitn(MAX_COLS, '\t')` cuts them
/// (a tab is one byte that no other character's UTF-8 contains). Whether
/// there is a tab is one `memchr` (prose lines are long); the cells of a
/// table line (some 50 bytes) are found by a plain byte loop, cheaper
/// there than a `memchr` call per tab (16,000 instructions on the seed
/// report's 46 table lines). The tabs are counted first so the cell vector
/// is allocated once at its size.
fn split_on_tabs(line: &str) -> Option<Vec<Cell>> {
    let bytes = line.as_bytes();
    let first = memchr::memchr(b'\t', bytes)?;
    let tabs = 1 + bytes[first + 1..].iter().filter(|&&b| b == b'\t').count();
    let mut cells = Vec::with_capacity((tabs + 1).min(MAX_COLS));
    let (mut start, mut tab) = (0, first);
    loop {
        cells.push(clean_cell(&line[start..tab]));
        start = tab + 1;
        if cells.len() + 1 == MAX_COLS {
            break;
        }
        match bytes[start..].iter().position(|&b| b == b'\t') {
            Some(i) => tab = start + i,
            None => break,
        }
    }
    cells.push(clean_cell(&line[start..]));
    Some(cells)
}

/// Columns separated by runs of two or more spaces (or U+3000), with at least
/// one cell that is a number: "本年新收政府信息公开申请数量  3  0  0".
fn split_on_space_runs(line: &str) -> Option<Vec<Cell>> {
    // A one-line body (a crawler's page.txt) has U+3000 indents between its
    // paragraphs; a table row of space-separated values is far shorter.
    // Checked first: it spares the long prose lines the scans below.
    if line.len() > MAX_SPACE_ROW_BYTES {
        return None;
    }
    // Most lines are prose: skip the regex unless a separator can be there.
    if !line.contains("  ") && !line.contains('\u{3000}') && !line.contains("\u{a0}\u{a0}") {
        return None;
    }
    let re = space_run();
    let cells: Vec<Cell> = re
        .splitn(line, MAX_COLS)
        .map(clean_cell)
        .filter(|c| !c.is_empty())
        .collect();
    let mut cells = cells;
    split_glued_first_value(&mut cells);
    let numeric = cells
        .iter()
        .filter(|c| c.chars().all(|ch| ch.is_ascii_digit() || ch == '.'))
        .count();
    (cells.len() >= 3 && numeric >= 2).then_some(cells)
}

/// "（一）予以公开1    -    -": the label touches its first value. Splits
/// trailing ASCII digits off a first cell that is label text.
fn split_glued_first_value(cells: &mut Vec<Cell>) {
    let Some(first) = cells.first() else { return };
    let digits = first.bytes().rev().take_while(u8::is_ascii_digit).count();
    let label = &first[..first.len() - digits];
    let han = label
        .chars()
        .filter(|c| ('\u{4e00}'..='\u{9fff}').contains(c))
        .count();
    let ends_han = label
        .chars()
        .last()
        .is_some_and(|c| ('\u{4e00}'..='\u{9fff}').contains(&c) || matches!(c, '）' | ')'));
    if digits > 0 && han >= 2 && ends_han {
        let value = Cell::from(&first[label.len()..]);
        let label = Cell::from(label);
        cells[0] = label;
        cells.insert(1, value);
    }
}

fn space_run() -> &'static regex::Regex {
    static RE: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    RE.get_or_init(|| {
        regex::Regex::new(r"(?:[ \u{3000}\u{a0}]{2,}|\u{3000})").expect("valid regex")
    })
}

fn clean_cell(cell: &str) -> Cell {
    Cell::from(trim_cell(cell))
}

/// `cell` without surrounding whitespace (U+3000 and U+00A0 are whitespace
/// to `char::is_whitespace`). Most cells are digits or Han text: a cell
/// whose first and last characters start with a byte no whitespace
/// character starts with is returned as it is, without decoding a
/// character (on the seed report 2,500 instructions a read fewer than
/// `trim_matches` on the Han-edged cells; `str::trim` on whole lines is
/// cheaper as it is, this test made the read dearer there).
fn trim_cell(cell: &str) -> &str {
    let b = cell.as_bytes();
    // The last character's first byte: at most three continuation bytes back.
    let last_lead = b.iter().rev().take(4).find(|&&c| c & 0xC0 != 0x80);
    match (b.first(), last_lead) {
        (Some(&first), Some(&last)) if !may_start_space(first) && !may_start_space(last) => cell,
        (None, _) => cell,
        _ => cell.trim_matches(|c: char| c.is_whitespace() || c == '\u{3000}' || c == '\u{a0}'),
    }
}

/// Whether a character starting with byte `b` can be whitespace: the
/// White_Space characters are U+0009–000D and U+0020 (ASCII), U+0085 and
/// U+00A0 (0xC2), U+1680 (0xE1), U+2000–205F (0xE2) and U+3000 (0xE3).
fn may_start_space(b: u8) -> bool {
    matches!(b, b'\t'..=b'\r' | b' ' | 0xC2 | 0xE1 | 0xE2 | 0xE3)
}

/// Splits decoded text into paragraphs and tables. Fails only when the
/// tables would hold more than [`MAX_GRID_POSITIONS`] grid positions.
pub fn parse(text: &str) -> Result<Document, ReadError> {
    let mut doc = Document::default();
    let mut rows: Vec<Vec<Cell>> = Vec::new();
    let mut tables = 0;
    let mut positions = 0usize;
    let mut flush = |rows: &mut Vec<Vec<Cell>>, doc: &mut Document| -> Result<(), ReadError> {
        if rows.is_empty() {
            return Ok(());
        }
        let cols = rows.iter().map(Vec::len).max().unwrap_or(0);
        positions = positions.saturating_add(rows.len() * cols);
        if positions > MAX_GRID_POSITIONS {
            return Err(ReadError::over_limit(format!(
                "the tables of this text hold more than {MAX_GRID_POSITIONS} cells (short rows are padded to the widest)"
            )));
        }
        tables += 1;
        let table = Table::from_rows(TableOrigin::Flow { index: tables }, std::mem::take(rows));
        doc.blocks.push(Block::Table(table));
        Ok(())
    };
    let text = scraped::strip_markup_leaks(text);
    for line in lines(&text) {
        // A row of empty cells (a table row whose zeros were all left blank)
        // is still a row; only a line with no separator at all is blank.
        if line.trim().is_empty() && (!line.contains('\t') || rows.is_empty()) {
            continue;
        }
        if scraped::is_page_footer(line) {
            continue;
        }
        macro_rules! push_row {
            ($rows:expr, $doc:expr, $cells:expr) => {{
                $rows.push($cells);
                if $rows.len() == MAX_ROWS {
                    flush($rows, $doc)?;
                }
            }};
        }
        if let Some(cells) = split_cells(line) {
            let footer = cells.iter().filter(|c| !c.is_empty()).count() == 1
                && cells.iter().any(|c| scraped::is_page_footer(c));
            if !cells.is_empty() && !footer && !scraped::is_placeholder_header(&cells) {
                push_row!(&mut rows, &mut doc, cells);
            }
            continue;
        }
        if let Some(pieces) = scraped::pieces(line) {
            for piece in pieces {
                match piece {
                    scraped::Piece::Row(cells) => push_row!(&mut rows, &mut doc, cells),
                    scraped::Piece::Label(label) => push_row!(&mut rows, &mut doc, vec![label]),
                    scraped::Piece::Text(text) => {
                        flush(&mut rows, &mut doc)?;
                        doc.blocks.push(Block::Paragraph(Paragraph::new(text)));
                    }
                }
            }
            continue;
        }
        let t = clean_cell(line);
        if !rows.is_empty() && is_label_fragment(&t) {
            push_row!(&mut rows, &mut doc, vec![t]);
            continue;
        }
        if is_value_line(&t) {
            // Values alone on a line (table 四's fifteen values under its
            // header line): the header line above joins the table.
            if rows.is_empty() {
                if let Some(Block::Paragraph(p)) = doc.blocks.last() {
                    if p.text.chars().count() <= 300 && !p.text.contains('。') {
                        let Some(Block::Paragraph(p)) = doc.blocks.pop() else {
                            unreachable!("checked")
                        };
                        rows.push(vec![p.text.into()]);
                    }
                }
            }
            push_row!(&mut rows, &mut doc, vec![t]);
            continue;
        }
        flush(&mut rows, &mut doc)?;
        doc.blocks.push(Block::Paragraph(Paragraph::new(t)));
    }
    flush(&mut rows, &mut doc)?;
    Ok(doc)
}

/// The lines of `text` exactly as `str::lines` gives them (split at `\n`,
/// one `\r` before it dropped, no empty line after a final `\n`), found
/// with `memchr`: `str::lines` cost 22,000 instructions on the seed
/// report's 89 lines; `memchr` now costs 13,000 for the lines and each
/// line's tab search together.
fn lines(text: &str) -> impl Iterator<Item = &str> {
    let mut ends = memchr::memchr_iter(b'\n', text.as_bytes());
    let mut start = 0;
    std::iter::from_fn(move || {
        let line = match ends.next() {
            Some(end) => {
                let line = &text[start..end];
                start = end + 1;
                line.strip_suffix('\r').unwrap_or(line)
            }
            None if start < text.len() => {
                let line = &text[start..];
                start = text.len();
                line
            }
            None => return None,
        };
        Some(line)
    })
}

/// A line of values only: digits, spaces and placeholders, at least seven
/// characters or three tokens ("000000000000000", "1 0 0 1 2").
fn is_value_line(t: &str) -> bool {
    let ok = t.chars().all(|c| {
        c.is_ascii_digit() || c.is_whitespace() || matches!(c, '-' | '—' | '/' | '\u{3000}')
    });
    ok && t.chars().any(|c| c.is_ascii_digit())
        && (t.chars().filter(|c| !c.is_whitespace()).count() >= 7
            || t.split_whitespace().count() >= 3)
}

/// One or two Han characters alone on a line inside a table: a vertical
/// label printed one character per line (结/果/维/持), or a label's wrap.
fn is_label_fragment(t: &str) -> bool {
    let n = t.chars().count();
    (1..=2).contains(&n) && t.chars().all(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tab_lines_form_one_table_across_blank_lines() {
        let doc = parse("标题\n\na\tb\n\nc\td\te\n结尾段落\n").unwrap();
        assert_eq!(doc.blocks.len(), 3);
        match &doc.blocks[1] {
            Block::Table(t) => {
                assert_eq!(t.rows(), 2);
                assert_eq!(t.cols(), 3);
            }
            other => panic!("expected a table, got {other:?}"),
        }
    }

    #[test]
    fn pipe_rows_and_space_runs_are_tables() {
        let doc = parse(
            "| 本年新收政府信息公开申请数量 | 705 | 3 |\n|---|---|---|\n本年度办理结果  12  0  3\n",
        )
        .unwrap();
        let Block::Table(t) = &doc.blocks[0] else {
            panic!("no table")
        };
        assert_eq!(t.rows(), 2);
        assert_eq!(
            t.row_texts(0).collect::<Vec<_>>(),
            ["本年新收政府信息公开申请数量", "705", "3", ""]
        );
        assert_eq!(
            t.row_texts(1).collect::<Vec<_>>(),
            ["本年度办理结果", "12", "0", "3"]
        );
    }

    #[test]
    fn byte_searches_split_as_the_str_methods_do() {
        // Line ends: CRLF, a lone CR kept, blank lines, no final newline.
        for text in [
            "标题\r\n\r\n一、总体情况\n2022年，本机关\r\r\n结尾\r",
            "行政许可\t0\t\t\n",
            "",
            "\n\n",
        ] {
            assert_eq!(
                lines(text).collect::<Vec<_>>(),
                text.lines().collect::<Vec<_>>()
            );
        }
        // Cells: padded with spaces, U+3000 and NBSP, empty, leading tab.
        let row = "\t(二) 部分公开\u{3000}\t 0 \t\u{a0}\t\t1\t";
        let expected: Vec<Cell> = row.splitn(MAX_COLS, '\t').map(clean_cell).collect();
        assert_eq!(expected, ["", "(二) 部分公开", "0", "", "", "1", ""]);
        assert_eq!(split_on_tabs(row).unwrap(), expected);
        assert_eq!(split_on_tabs("本年新收政府信息公开申请数量  3  0"), None);
        // A cut line keeps its rest in the last cell.
        let wide = "0\t".repeat(MAX_COLS + 3);
        let cells = split_on_tabs(&wide).unwrap();
        assert_eq!(cells.len(), MAX_COLS);
        assert_eq!(
            cells,
            wide.splitn(MAX_COLS, '\t')
                .map(clean_cell)
                .collect::<Vec<_>>()
        );
        // Vertical tab is whitespace to `char`, though not to `u8`.
        assert_eq!(trim_cell("\u{b}12\u{b}"), "12");
        // Every whitespace character, at either edge of ASCII, Han and
        // fullwidth text, trims as `trim_matches` trims it.
        let spaces = (0..=0x3000u32)
            .filter_map(char::from_u32)
            .filter(|c| c.is_whitespace())
            .collect::<Vec<_>>();
        for body in ["", "0", "予以公开", "１２", "（一）", "x"] {
            for &sp in spaces.iter().chain(&['a', '公', '）']) {
                for cell in [
                    format!("{sp}{body}"),
                    format!("{body}{sp}"),
                    format!("{sp}{body}{sp}"),
                ] {
                    let oracle = cell.trim_matches(|c: char| c.is_whitespace());
                    assert_eq!(trim_cell(&cell), oracle, "{cell:?}");
                }
            }
        }
        assert_eq!(trim_cell("x"), "x");
    }

    #[test]
    fn one_wide_line_among_many_short_ones_stays_small() {
        // 20,000 cells on one line, then 20,000 two-cell rows: unbounded,
        // the padded grid was 400 million positions (a 100 KB file).
        let text = format!("{}\n{}", "x\t".repeat(20_000), "a\t1\n".repeat(20_000));
        let doc = parse(&text).unwrap();
        let Block::Table(first) = &doc.blocks[0] else {
            panic!("no table")
        };
        assert_eq!((first.rows(), first.cols()), (MAX_ROWS, MAX_COLS));
        // The cut line keeps its rest in its last cell.
        assert!(first.cell(0, MAX_COLS - 1).text.starts_with("x\tx\t"));
        let sizes: Vec<(usize, usize)> = doc.blocks[1..]
            .iter()
            .map(|b| match b {
                Block::Table(t) => (t.rows(), t.cols()),
                _ => (0, 0),
            })
            .collect();
        assert_eq!(sizes, [(MAX_ROWS, 2), (20_001 - 2 * MAX_ROWS, 2)]);
    }

    #[test]
    fn grid_budget_is_enforced() {
        let wide = format!(
            "{}\n{}",
            "x\t".repeat(MAX_COLS),
            "a\t1\n".repeat(MAX_ROWS - 1)
        );
        let text = wide.repeat(MAX_GRID_POSITIONS / (MAX_COLS * MAX_ROWS) + 1);
        assert!(matches!(parse(&text), Err(e) if e.kind() == crate::readers::ErrorKind::OverLimit));
    }
}
