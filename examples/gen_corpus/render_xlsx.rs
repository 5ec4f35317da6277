//! XLSX written with rust_xlsxwriter: one sheet per table or all on one sheet,
//! merged regions in the official layout, a merged title row, an empty first
//! column, numbers as text, SUM formulas with cached values for totals, a
//! notes row, a hidden sheet of old data, and sometimes the narrative on a
//! first sheet (one paragraph per row).

use rust_xlsxwriter::*;

use super::grid::{self, Block, Grid, Kind, Slot};
use super::model::{Report, XlsxOpts};
use super::narrative;
use super::rng::Rng;

fn col_name(mut c: u16) -> String {
    let mut s = Vec::new();
    c += 1;
    while c > 0 {
        let rem = (c - 1) % 26;
        s.push(b'A' + rem as u8);
        c = (c - 1) / 26;
    }
    s.reverse();
    String::from_utf8(s).unwrap()
}

fn a1(row: u32, col: u16) -> String {
    format!("{}{}", col_name(col), row + 1)
}

struct Fmts {
    head: Format,
    label: Format,
    value: Format,
    title: Format,
    text: Format,
}

fn is_plain_number(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_digit() || c == '.' || c == '-')
}

/// Writes a grid at (row0, col0); returns the next free row.
fn write_grid(
    ws: &mut Worksheet,
    f: &Fmts,
    o: &XlsxOpts,
    g: &Grid,
    row0: u32,
    col0: u16,
) -> Result<u32, XlsxError> {
    let slots = g.slots();
    for (r, row) in slots.iter().enumerate() {
        for (c, slot) in row.iter().enumerate() {
            let Slot::Origin(i) = slot else { continue };
            let cell = &g.rows[r][*i];
            let (rr, cc) = (row0 + r as u32, col0 + c as u16);
            let fmt = match cell.kind {
                Kind::Head => &f.head,
                Kind::Label => &f.label,
                Kind::Value => &f.value,
            };
            if cell.rs > 1 || cell.cs > 1 {
                let text =
                    if cell.num.is_some() && !o.numbers_as_text && is_plain_number(&cell.text) {
                        ""
                    } else {
                        &cell.text
                    };
                ws.merge_range(
                    rr,
                    cc,
                    rr + cell.rs as u32 - 1,
                    cc + cell.cs as u16 - 1,
                    text,
                    fmt,
                )?;
                if text.is_empty() {
                    if let Some(v) = cell.num {
                        ws.write_number_with_format(rr, cc, v, fmt)?;
                    }
                }
                continue;
            }
            match (cell.num, cell.kind) {
                (Some(v), Kind::Value) if !o.numbers_as_text && is_plain_number(&cell.text) => {
                    if let (true, Some((from, to))) = (o.formulas, cell.sum_cols) {
                        let formula = Formula::new(format!(
                            "=SUM({}:{})",
                            a1(rr, col0 + from as u16),
                            a1(rr, col0 + to as u16)
                        ))
                        .set_result(cell.text.clone());
                        ws.write_formula_with_format(rr, cc, formula, fmt)?;
                    } else {
                        ws.write_number_with_format(rr, cc, v, fmt)?;
                    }
                }
                _ => {
                    if cell.text.is_empty() {
                        ws.write_blank(rr, cc, fmt)?;
                    } else {
                        ws.write_string_with_format(rr, cc, &cell.text, fmt)?;
                    }
                }
            }
        }
    }
    Ok(row0 + g.rows.len() as u32)
}

fn write_blocks(
    ws: &mut Worksheet,
    f: &Fmts,
    o: &XlsxOpts,
    blocks: &[Block],
    mut row: u32,
    col0: u16,
) -> Result<u32, XlsxError> {
    for b in blocks {
        match b {
            Block::Table(g) => {
                row = write_grid(ws, f, o, g, row, col0)? + 1;
            }
            Block::Line(l) => {
                ws.write_string(row, col0, l)?;
                row += 2;
            }
        }
    }
    Ok(row)
}

fn build(rng: &mut Rng, r: &Report, o: &XlsxOpts) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    let created = ExcelDateTime::from_ymd((r.year + 1) as u16, 1, 10)?.and_hms(9, 0, 0)?;
    wb.set_properties(
        &DocProperties::new()
            .set_creation_datetime(&created)
            .set_author("Administrator"),
    );
    let border = FormatBorder::Thin;
    let f = Fmts {
        head: Format::new()
            .set_border(border)
            .set_align(FormatAlign::Center)
            .set_align(FormatAlign::VerticalCenter)
            .set_text_wrap()
            .set_bold(),
        label: Format::new()
            .set_border(border)
            .set_align(FormatAlign::VerticalCenter)
            .set_text_wrap(),
        value: Format::new()
            .set_border(border)
            .set_align(FormatAlign::Center)
            .set_align(FormatAlign::VerticalCenter),
        title: Format::new()
            .set_bold()
            .set_font_size(16)
            .set_align(FormatAlign::Center),
        text: Format::new().set_text_wrap(),
    };
    let title = narrative::title(r);
    let col0: u16 = if o.empty_first_col { 1 } else { 0 };

    if o.narrative_sheet {
        let pad = rng.below(3000) as usize;
        let n = narrative::build(rng, r, pad);
        let ws = wb.add_worksheet();
        ws.set_name("报告正文")?;
        ws.set_column_width(0, 100)?;
        let mut row = 0u32;
        ws.write_string_with_format(row, 0, &title, &f.title)?;
        row += 2;
        let put = |ws: &mut Worksheet, s: &str, row: &mut u32| -> Result<(), XlsxError> {
            ws.write_string_with_format(*row, 0, s, &f.text)?;
            *row += 1;
            Ok(())
        };
        for i in 0..6 {
            if let Some(h) = narrative::section_heading(r, i) {
                put(ws, &h, &mut row)?;
            }
            match i {
                0 => {
                    for p in &n.intro {
                        put(ws, p, &mut row)?;
                    }
                    for (h, ps) in &n.topics {
                        if let Some(h) = h {
                            put(ws, h, &mut row)?;
                        }
                        for p in ps {
                            put(ws, p, &mut row)?;
                        }
                    }
                }
                1..=3 => put(ws, "（详见统计表）", &mut row)?,
                4 => {
                    for p in &n.problems {
                        put(ws, p, &mut row)?;
                    }
                }
                _ => {
                    for p in &n.other {
                        put(ws, p, &mut row)?;
                    }
                }
            }
        }
    }

    let tables = [
        (
            "主动公开",
            narrative::section_heading(r, 1),
            grid::active_blocks(r),
        ),
        (
            "依申请公开",
            narrative::section_heading(r, 2),
            grid::requests_blocks(r),
        ),
        (
            "复议诉讼",
            narrative::section_heading(r, 3),
            grid::review_blocks(r),
        ),
    ];
    let notes = format!(
        "注：本表数据统计期限为{}年1月1日至{}年12月31日。",
        r.year, r.year
    );
    if o.one_sheet {
        let ws = wb.add_worksheet();
        ws.set_name(if o.narrative_sheet {
            "统计表"
        } else {
            "Sheet1"
        })?;
        for c in 0..16 {
            ws.set_column_width(col0 + c, if c < 3 { 16 } else { 10 })?;
        }
        let mut row = 0u32;
        if o.title_row {
            ws.merge_range(0, col0, 0, col0 + 14, &title, &f.title)?;
            row = 2;
        }
        for (i, (_, heading, blocks)) in tables.iter().enumerate() {
            if let Some(h) = heading {
                ws.write_string(row, col0, h)?;
                row += 1;
            }
            row = write_blocks(ws, &f, o, blocks, row, col0)?;
            if i == 1 && o.notes_row {
                ws.write_string(row, col0, &notes)?;
                row += 2;
            }
        }
    } else {
        for (i, (name, heading, blocks)) in tables.iter().enumerate() {
            let ws = wb.add_worksheet();
            let sheet_name = if rng.chance(0.3) {
                format!("表{}", ["二", "三", "四"][i])
            } else {
                name.to_string()
            };
            ws.set_name(sheet_name)?;
            let ncols = blocks
                .iter()
                .map(|b| if let Block::Table(g) = b { g.ncols } else { 1 })
                .max()
                .unwrap_or(1) as u16;
            for c in 0..ncols {
                ws.set_column_width(col0 + c, if c < 3 { 16 } else { 10 })?;
            }
            let mut row = 0u32;
            if o.title_row {
                let t = match heading {
                    Some(h) => format!("{title}——{h}"),
                    None => title.clone(),
                };
                ws.merge_range(0, col0, 0, col0 + ncols - 1, &t, &f.title)?;
                row = 2;
            }
            row = write_blocks(ws, &f, o, blocks, row, col0)?;
            if i == 1 && o.notes_row {
                ws.write_string(row, col0, &notes)?;
            }
        }
    }
    if o.hidden_sheet {
        // Old data: table 三's first rows of an earlier year, hidden.
        let ws = wb.add_worksheet();
        ws.set_name("旧数据")?;
        ws.set_hidden(true);
        ws.write_string(
            0,
            0,
            format!("{}{}年数据（作废）", r.agency.name, r.year - 1),
        )?;
        for (i, label) in [
            "本年新收政府信息公开申请数量",
            "上年结转政府信息公开申请数量",
            "予以公开",
            "总计",
        ]
        .iter()
        .enumerate()
        {
            ws.write_string(1 + i as u32, 0, *label)?;
            for c in 0..7u16 {
                ws.write_number(1 + i as u32, 1 + c, rng.range(0, 40) as f64)?;
            }
        }
    }
    wb.save_to_buffer()
}

pub fn render(rng: &mut Rng, r: &Report, o: &XlsxOpts) -> Vec<u8> {
    // rust_xlsxwriter writes fixed ZIP timestamps (1980-01-01) and the
    // creation date set above, so its output is already deterministic.
    build(rng, r, o).expect("xlsx build")
}
