//! The report's tables as abstract merged-cell grids (HTML-style: each row
//! lists its origin cells left to right, skipping positions covered by a
//! rowspan from above). Every renderer draws from these, so HTML rowspan,
//! DOCX vMerge/gridSpan and XLSX merged ranges share one layout.

use super::layout::*;
use super::model::{FeeWritten, Report, W};
use super::style::{ReviewLayout, Style};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A caption or header cell.
    Head,
    /// A row label.
    Label,
    /// A value.
    Value,
}

#[derive(Clone, Debug)]
pub struct GCell {
    pub text: String,
    pub rs: usize,
    pub cs: usize,
    pub kind: Kind,
    /// The numeric value when the cell prints a number (for XLSX).
    pub num: Option<f64>,
    /// For a total cell: the grid columns [from, to] of its parts in this row
    /// (an XLSX renderer may write it as a SUM formula with this cached value).
    pub sum_cols: Option<(usize, usize)>,
}

impl GCell {
    pub fn head(text: impl Into<String>, rs: usize, cs: usize) -> GCell {
        GCell {
            text: text.into(),
            rs,
            cs,
            kind: Kind::Head,
            num: None,
            sum_cols: None,
        }
    }
    pub fn label(text: impl Into<String>, rs: usize, cs: usize) -> GCell {
        GCell {
            text: text.into(),
            rs,
            cs,
            kind: Kind::Label,
            num: None,
            sum_cols: None,
        }
    }
}

#[derive(Clone, Debug)]
pub struct Grid {
    pub ncols: usize,
    pub rows: Vec<Vec<GCell>>,
    /// Number of header rows at the top (repeated on page breaks in DOCX).
    pub header_rows: usize,
}

/// What occupies one grid position.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Slot {
    /// The origin of cell `rows[r][i]`.
    Origin(usize),
    /// Covered by a colspan of the cell to the left (same row).
    ColCover,
    /// Covered by the rowspan of the origin at (row, col), which starts above.
    RowCover(usize, usize),
    Empty,
}

impl Grid {
    /// The full occupancy matrix.
    pub fn slots(&self) -> Vec<Vec<Slot>> {
        let n = self.rows.len();
        let mut m = vec![vec![Slot::Empty; self.ncols]; n];
        for r in 0..n {
            let mut c = 0;
            for (i, cell) in self.rows[r].iter().enumerate() {
                while c < self.ncols && m[r][c] != Slot::Empty {
                    c += 1;
                }
                if c >= self.ncols {
                    break;
                }
                for dr in 0..cell.rs {
                    for dc in 0..cell.cs {
                        if r + dr < n && c + dc < self.ncols {
                            m[r + dr][c + dc] = if dr == 0 && dc == 0 {
                                Slot::Origin(i)
                            } else if dr == 0 {
                                Slot::ColCover
                            } else {
                                Slot::RowCover(r, c)
                            };
                        }
                    }
                }
                c += cell.cs;
            }
        }
        m
    }
}

#[derive(Clone, Debug)]
pub enum Block {
    Table(Grid),
    /// A line between tables (a page number such as "— 3 —").
    Line(String),
}

fn value(style: &Style, w: &W) -> GCell {
    let (text, num) = match w {
        W::N(v) => {
            let t = style.count(*v);
            let num = if t.trim_matches(|c: char| c.is_whitespace()).is_empty()
                || (*v == 0 && style.zero_is_blank())
            {
                None
            } else {
                Some(*v as f64)
            };
            (t, num)
        }
        W::T(t) => (t.clone(), None),
    };
    GCell {
        text,
        rs: 1,
        cs: 1,
        kind: Kind::Value,
        num,
        sum_cols: None,
    }
}

fn num_cell(style: &Style, v: i64, cs: usize) -> GCell {
    let mut c = value(style, &W::N(v));
    c.cs = cs;
    c
}

fn fee_cell(r: &Report, cs: usize) -> GCell {
    let (text, num) = match &r.fee_written {
        Some(FeeWritten::Negative(t)) | Some(FeeWritten::TooPrecise(t)) => {
            (r.style.digits(t), t.parse::<f64>().ok())
        }
        None => {
            let t = r.style.fee(r.active.fee);
            let num = if r.active.fee == 0 && r.style.zero_is_blank() {
                None
            } else {
                Some(r.active.fee as f64 / 10000.0)
            };
            (t, num)
        }
    };
    GCell {
        text,
        rs: 1,
        cs,
        kind: Kind::Value,
        num,
        sum_cols: None,
    }
}

/// Table 二: one 4-column table, or four small ones.
pub fn active_blocks(r: &Report) -> Vec<Block> {
    let st = &r.style;
    let cap = |item: &str| GCell::head(format!("第二十条第{}项", st.paren(item)), 1, 4);
    let a = &r.active;
    let mut parts: Vec<Vec<Vec<GCell>>> = Vec::new();
    parts.push(vec![
        vec![cap("一")],
        vec![
            GCell::head("信息内容", 1, 1),
            GCell::head("本年制发件数", 1, 1),
            GCell::head("本年废止件数", 1, 1),
            GCell::head("现行有效件数", 1, 1),
        ],
        vec![
            GCell::label("规章", 1, 1),
            num_cell(st, a.reg[0], 1),
            num_cell(st, a.reg[1], 1),
            num_cell(st, a.reg[2], 1),
        ],
        vec![
            GCell::label(st.normative_label(), 1, 1),
            num_cell(st, a.norm[0], 1),
            num_cell(st, a.norm[1], 1),
            num_cell(st, a.norm[2], 1),
        ],
    ]);
    parts.push(vec![
        vec![cap("五")],
        vec![
            GCell::head("信息内容", 1, 1),
            GCell::head("本年处理决定数量", 1, 3),
        ],
        vec![GCell::label("行政许可", 1, 1), num_cell(st, a.licensing, 3)],
    ]);
    parts.push(vec![
        vec![cap("六")],
        vec![
            GCell::head("信息内容", 1, 1),
            GCell::head("本年处理决定数量", 1, 3),
        ],
        vec![GCell::label("行政处罚", 1, 1), num_cell(st, a.penalty, 3)],
        vec![GCell::label("行政强制", 1, 1), num_cell(st, a.coercion, 3)],
    ]);
    let fee_label = if st.fee_4dp || r.index.is_multiple_of(3) {
        format!("本年收费金额{}", st.paren("单位：万元，保留4位小数"))
    } else {
        format!("本年收费金额{}", st.paren("单位：万元"))
    };
    parts.push(vec![
        vec![cap("八")],
        vec![GCell::head("信息内容", 1, 1), GCell::head(fee_label, 1, 3)],
        vec![GCell::label("行政事业性收费", 1, 1), fee_cell(r, 3)],
    ]);
    if st.active_split {
        parts
            .into_iter()
            .map(|rows| {
                Block::Table(Grid {
                    ncols: 4,
                    rows,
                    header_rows: 0,
                })
            })
            .collect()
    } else {
        vec![Block::Table(Grid {
            ncols: 4,
            rows: parts.concat(),
            header_rows: 0,
        })]
    }
}

const CORNER: &str = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）";

fn requests_header(st: &Style, ncols: usize) -> Vec<Vec<GCell>> {
    let nv = ncols - 3;
    let corner = if st.fw_brackets {
        CORNER.to_string()
    } else {
        CORNER.replace('（', "(").replace('）', ")")
    };
    let mut r2: Vec<GCell> = (1..6).map(|c| GCell::head(st.col_label(c), 1, 1)).collect();
    if st.org_subtotal {
        r2.push(GCell::head("小计", 1, 1));
    }
    vec![
        vec![GCell::head(corner, 3, 3), GCell::head("申请人情况", 1, nv)],
        vec![
            GCell::head(st.col_label(0), 2, 1),
            GCell::head("法人或其他组织", 1, if st.org_subtotal { 6 } else { 5 }),
            GCell::head(st.col_label(6), 2, 1),
        ],
        r2,
    ]
}

/// The value cells of one table 三 row (grid columns 3..).
fn requests_values(r: &Report, row: usize) -> Vec<GCell> {
    let st = &r.style;
    let mut out: Vec<GCell> = (0..6).map(|c| value(st, &r.req_w[row][c])).collect();
    if st.org_subtotal {
        let sub: i64 = (1..6).map(|c| r.req_w[row][c].num0()).sum();
        out.push(value(st, &W::N(sub)));
    }
    let mut t = value(st, &r.req_w[row][TOTAL]);
    t.sum_cols = Some((3, 8));
    out.push(t);
    out
}

/// Table 三 in the official merged layout. `split_at` starts a second part at
/// that row index (the label cells restart there).
fn requests_rows(r: &Report, from: usize, to: usize) -> Vec<Vec<GCell>> {
    let st = &r.style;
    let rows = &REQ_ROWS_2021;
    let mut out = Vec::new();
    for i in from..to {
        let row = &rows[i];
        let mut cells = Vec::new();
        match row.kind {
            RowKind::New | RowKind::CarriedOver | RowKind::CarriedForward => {
                cells.push(GCell::label(st.top_label(row), 1, 3));
            }
            RowKind::Result | RowKind::ResultsTotal => {
                // 三、本年度办理结果: merged down the result rows of this part.
                let first_result = i == 2 || i == from;
                if first_result {
                    let end = to.min(ROW_RT + 1);
                    cells.push(GCell::label("三、本年度办理结果", end - i, 1));
                }
                if row.sub == 0 {
                    cells.push(GCell::label(st.group_label(row.group), 1, 2));
                } else {
                    let group_start = row.sub == 1 || i == from;
                    if group_start {
                        let n = rows[i..to]
                            .iter()
                            .take_while(|x| x.group == row.group)
                            .count();
                        cells.push(GCell::label(st.group_label(row.group), n, 1));
                    }
                    cells.push(GCell::label(st.sub_label(row), 1, 1));
                }
            }
        }
        cells.extend(requests_values(r, i));
        out.push(cells);
    }
    out
}

/// Table 三, possibly split in two or with its header repeated midway.
pub fn requests_blocks(r: &Report) -> Vec<Block> {
    let st = &r.style;
    let ncols = if st.org_subtotal { 11 } else { 10 };
    let split = 15; // before （五）不予处理
    if st.requests_split {
        let mut a = requests_header(st, ncols);
        a.extend(requests_rows(r, 0, split));
        let mut b = if r.index.is_multiple_of(2) {
            requests_header(st, ncols)
        } else {
            Vec::new()
        };
        let hb = b.len();
        b.extend(requests_rows(r, split, 25));
        let page = match r.index % 3 {
            0 => "— 3 —".to_string(),
            1 => "-4-".to_string(),
            _ => "第 3 页".to_string(),
        };
        vec![
            Block::Table(Grid {
                ncols,
                rows: a,
                header_rows: 3,
            }),
            Block::Line(page),
            Block::Table(Grid {
                ncols,
                rows: b,
                header_rows: hb,
            }),
        ]
    } else if st.header_repeat {
        let mut a = requests_header(st, ncols);
        a.extend(requests_rows(r, 0, split));
        a.extend(requests_header(st, ncols));
        a.extend(requests_rows(r, split, 25));
        vec![Block::Table(Grid {
            ncols,
            rows: a,
            header_rows: 3,
        })]
    } else {
        let mut a = requests_header(st, ncols);
        a.extend(requests_rows(r, 0, 25));
        vec![Block::Table(Grid {
            ncols,
            rows: a,
            header_rows: 3,
        })]
    }
}

/// Table 四 in the official layout, fused header, or transposed.
pub fn review_blocks(r: &Report) -> Vec<Block> {
    let st = &r.style;
    let vals: Vec<GCell> = (0..3)
        .flat_map(|g| (0..5).map(move |c| (g, c)))
        .map(|(g, c)| {
            let mut v = value(st, &r.rev_w[g][c]);
            if c == 4 {
                v.sum_cols = Some((g * 5, g * 5 + 3));
            }
            v
        })
        .collect();
    let col_label = |c: usize| {
        if c == 4 && st.total_heji {
            "合计"
        } else {
            REVIEW_COLS[c].1
        }
    };
    let grid = match st.review_layout {
        ReviewLayout::Official => {
            let mut r1: Vec<GCell> = (0..5).map(|c| GCell::head(col_label(c), 2, 1)).collect();
            r1.push(GCell::head("未经复议直接起诉", 1, 5));
            r1.push(GCell::head("复议后起诉", 1, 5));
            let r2: Vec<GCell> = (0..10)
                .map(|i| GCell::head(col_label(i % 5), 1, 1))
                .collect();
            Grid {
                ncols: 15,
                rows: vec![
                    vec![
                        GCell::head("行政复议", 1, 5),
                        GCell::head("行政诉讼", 1, 10),
                    ],
                    r1,
                    r2,
                    vals,
                ],
                header_rows: 3,
            }
        }
        ReviewLayout::Fused => {
            let heads: Vec<GCell> = (0..15)
                .map(|i| {
                    let (g, c) = (i / 5, i % 5);
                    let t = match g {
                        0 => format!("行政复议-{}", col_label(c)),
                        1 => format!("行政诉讼-未经复议直接起诉-{}", col_label(c)),
                        _ => format!("行政诉讼-复议后起诉-{}", col_label(c)),
                    };
                    GCell::head(t, 1, 1)
                })
                .collect();
            Grid {
                ncols: 15,
                rows: vec![heads, vals],
                header_rows: 1,
            }
        }
        ReviewLayout::Transposed => {
            let mut rows = vec![vec![GCell::head("项目", 1, 2), GCell::head("数量", 1, 1)]];
            for (i, mut v) in vals.into_iter().enumerate() {
                let (g, c) = (i / 5, i % 5);
                v.sum_cols = None;
                let mut row = Vec::new();
                if c == 0 {
                    let t = match g {
                        0 => "行政复议".to_string(),
                        1 => "行政诉讼（未经复议直接起诉）".to_string(),
                        _ => "行政诉讼（复议后起诉）".to_string(),
                    };
                    row.push(GCell::label(t, 5, 1));
                }
                row.push(GCell::label(col_label(c), 1, 1));
                row.push(v);
                rows.push(row);
            }
            Grid {
                ncols: 3,
                rows,
                header_rows: 1,
            }
        }
    };
    vec![Block::Table(grid)]
}
