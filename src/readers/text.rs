//! Plain-text reader: text copied out of web pages, Word or PDF viewers.
//!
//! Tables arrive as lines of tab-separated cells (a copied HTML or Word
//! table), as Markdown-style pipe rows (PDF/OCR exports), or as cells
//! separated by runs of spaces. Consecutive table lines form one table; an
//! empty line inside a run of table lines does not end it, because copies
//! from browsers put blank lines between rows whose cells span rows.

use super::{decode::decode, ReadError};
use crate::document::{Block, Document, Paragraph, Table, TableOrigin};

pub fn read(bytes: &[u8]) -> Result<Document, ReadError> {
    let text = decode(bytes, None);
    Ok(parse(&text))
}

/// How one line of text splits into cells, if it is a table line at all.
fn split_cells(line: &str) -> Option<Vec<String>> {
    let trimmed = line.trim_end_matches(['\r', '\n']);
    if trimmed.contains('\t') {
        return Some(trimmed.split('\t').map(clean_cell).collect());
    }
    let t = trimmed.trim();
    if t.starts_with('|') && t.ends_with('|') && t.len() > 2 {
        let inner = &t[1..t.len() - 1];
        let cells: Vec<String> = inner.split('|').map(clean_cell).collect();
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

/// Columns separated by runs of two or more spaces (or U+3000), with at least
/// one cell that is a number: "本年新收政府信息公开申请数量  3  0  0".
fn split_on_space_runs(line: &str) -> Option<Vec<String>> {
    // Most lines are prose: skip the regex unless a separator can be there.
    if !line.contains("  ") && !line.contains('\u{3000}') && !line.contains("\u{a0}\u{a0}") {
        return None;
    }
    let re = space_run();
    let cells: Vec<String> = re
        .split(line)
        .map(clean_cell)
        .filter(|c| !c.is_empty())
        .collect();
    let numeric = cells
        .iter()
        .filter(|c| c.chars().all(|ch| ch.is_ascii_digit() || ch == '.'))
        .count();
    (cells.len() >= 3 && numeric >= 2).then_some(cells)
}

fn space_run() -> &'static regex::Regex {
    static RE: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    RE.get_or_init(|| {
        regex::Regex::new(r"(?:[ \u{3000}\u{a0}]{2,}|\u{3000})").expect("valid regex")
    })
}

fn clean_cell(cell: &str) -> String {
    cell.trim_matches(|c: char| c.is_whitespace() || c == '\u{3000}' || c == '\u{a0}')
        .to_string()
}

/// Splits decoded text into paragraphs and tables.
pub fn parse(text: &str) -> Document {
    let mut doc = Document::default();
    let mut rows: Vec<Vec<String>> = Vec::new();
    let mut pending_blank = false;
    let mut tables = 0;
    let flush = |rows: &mut Vec<Vec<String>>, doc: &mut Document, tables: &mut usize| {
        if !rows.is_empty() {
            *tables += 1;
            let table =
                Table::from_rows(TableOrigin::Flow { index: *tables }, std::mem::take(rows));
            doc.blocks.push(Block::Table(table));
        }
    };
    for line in text.lines() {
        // A row of empty cells (a table row whose zeros were all left blank)
        // is still a row; only a line with no separator at all is blank.
        if line.trim().is_empty() && (!line.contains('\t') || rows.is_empty()) {
            pending_blank = true;
            continue;
        }
        match split_cells(line) {
            Some(cells) => {
                if !cells.is_empty() {
                    rows.push(cells);
                }
            }
            None => {
                // A line without separators right after table lines, with no
                // blank line between, is a row that lost its tabs only if it
                // is short; a long line is the next paragraph.
                flush(&mut rows, &mut doc, &mut tables);
                doc.blocks
                    .push(Block::Paragraph(Paragraph::new(clean_cell(line))));
            }
        }
        pending_blank = false;
    }
    let _ = pending_blank;
    flush(&mut rows, &mut doc, &mut tables);
    doc
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tab_lines_form_one_table_across_blank_lines() {
        let doc = parse("标题\n\na\tb\n\nc\td\te\n结尾段落\n");
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
        );
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
}
