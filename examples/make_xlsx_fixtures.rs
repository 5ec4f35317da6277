//! Writes the rust_xlsxwriter samples of `samples/xlsx/` (run once; the files
//! are committed, so tests and CI never need the writer):
//!
//! ```text
//! cargo run --example make_xlsx_fixtures -- samples/xlsx
//! ```
//!
//! - `qingsong-edu-2023-sheets.xlsx`: one sheet per table with the official
//!   merged cells, a merged title row, and a hidden sheet of old data;
//! - `lanshan-gov-2023-formulas-xlsxwriter.xlsx`: totals as SUM formulas whose
//!   cached values are rust_xlsxwriter's default 0;
//! - `inconsistent.xlsx`: sample 1 with one hard-coded total that disagrees
//!   with its parts (see `samples/xlsx/EXPECTED.md`).
//!
//! The openpyxl samples come from `samples/xlsx/make_openpyxl.py`, the `.xls`
//! and `.ods` from LibreOffice (see `samples/xlsx/README.md`).

use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Formula, Workbook, Worksheet, XlsxError};
use std::path::PathBuf;

#[derive(Clone)]
enum Content {
    Str(String),
    Num(f64),
    /// A formula; rust_xlsxwriter stores 0 as its cached value.
    Formula(String),
}

/// Cells and merged regions of one table, at sheet coordinates.
#[derive(Default)]
struct Layout {
    cells: Vec<(u32, u16, Content)>,
    merges: Vec<(u32, u16, u32, u16)>,
}

impl Layout {
    fn s(&mut self, r: u32, c: u16, text: &str) {
        self.cells.push((r, c, Content::Str(text.to_string())));
    }
    fn n(&mut self, r: u32, c: u16, x: f64) {
        self.cells.push((r, c, Content::Num(x)));
    }
    fn f(&mut self, r: u32, c: u16, formula: &str) {
        self.cells
            .push((r, c, Content::Formula(formula.to_string())));
    }
    fn merge(&mut self, r0: u32, c0: u16, r1: u32, c1: u16) {
        self.merges.push((r0, c0, r1, c1));
    }
}

/// Column letters for formulas (0 -> A).
fn col(c: u16) -> String {
    let mut c = c as u32;
    let mut out = Vec::new();
    loop {
        out.push(b'A' + (c % 26) as u8);
        if c < 26 {
            break;
        }
        c = c / 26 - 1;
    }
    out.reverse();
    String::from_utf8(out).unwrap()
}

/// One 第二十条 block of table 二: caption, header labels, (row label, values).
type Block2<'a> = (&'a str, &'a [&'a str], Vec<(&'a str, Vec<f64>)>);

/// Table 二 (4 columns) with its top-left at (r, c).
fn table2(l: &mut Layout, r: u32, c: u16, v: &Values) {
    let blocks: [Block2; 4] = [
        (
            "第二十条第（一）项",
            &["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
            vec![
                ("规章", v.regulations.to_vec()),
                ("行政规范性文件", v.normative.to_vec()),
            ],
        ),
        (
            "第二十条第（五）项",
            &["信息内容", "本年处理决定数量"],
            vec![("行政许可", vec![v.licensing])],
        ),
        (
            "第二十条第（六）项",
            &["信息内容", "本年处理决定数量"],
            vec![
                ("行政处罚", vec![v.penalty]),
                ("行政强制", vec![v.coercion]),
            ],
        ),
        (
            "第二十条第（八）项",
            &["信息内容", "本年收费金额（单位：万元）"],
            vec![("行政事业性收费", vec![v.fees])],
        ),
    ];
    let mut row = r;
    for (caption, header, rows) in blocks {
        l.s(row, c, caption);
        l.merge(row, c, row, c + 3);
        row += 1;
        for (i, h) in header.iter().enumerate() {
            l.s(row, c + i as u16, h);
        }
        if header.len() == 2 {
            l.merge(row, c + 1, row, c + 3);
        }
        row += 1;
        for (label, values) in rows {
            l.s(row, c, label);
            for (i, x) in values.iter().enumerate() {
                l.n(row, c + 1 + i as u16, *x);
            }
            if values.len() == 1 {
                l.merge(row, c + 1, row, c + 3);
            }
            row += 1;
        }
    }
}

const TABLE3_NOTE: &str = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）";
const APPLICANTS: [&str; 5] = [
    "商业企业",
    "科研机构",
    "社会公益组织",
    "法律服务机构",
    "其他",
];

/// The 25 rows of table 三: (label column 1, label column 2, label column 3).
/// Empty strings are covered by merges.
fn table3_rows() -> Vec<[&'static str; 3]> {
    vec![
        ["一、本年新收政府信息公开申请数量", "", ""],
        ["二、上年结转政府信息公开申请数量", "", ""],
        ["三、本年度办理结果", "（一）予以公开", ""],
        [
            "",
            "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
            "",
        ],
        ["", "（三）不予公开", "1.属于国家秘密"],
        ["", "", "2.其他法律行政法规禁止公开"],
        ["", "", "3.危及“三安全一稳定”"],
        ["", "", "4.保护第三方合法权益"],
        ["", "", "5.属于三类内部事务信息"],
        ["", "", "6.属于四类过程性信息"],
        ["", "", "7.属于行政执法案卷"],
        ["", "", "8.属于行政查询事项"],
        ["", "（四）无法提供", "1.本机关不掌握相关政府信息"],
        ["", "", "2.没有现成信息需要另行制作"],
        ["", "", "3.补正后申请内容仍不明确"],
        ["", "（五）不予处理", "1.信访举报投诉类申请"],
        ["", "", "2.重复申请"],
        ["", "", "3.要求提供公开出版物"],
        ["", "", "4.无正当理由大量反复申请"],
        ["", "", "5.要求行政机关确认或重新出具已获取信息"],
        [
            "",
            "（六）其他处理",
            "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        ],
        [
            "",
            "",
            "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        ],
        ["", "", "3.其他"],
        ["", "（七）总计", ""],
        ["四、结转下年度继续办理", "", ""],
    ]
}

/// How totals are written.
#[derive(Clone, Copy, PartialEq)]
enum Totals {
    Numbers,
    Formulas,
}

/// Table 三 (10 columns) with its top-left at (r, c); `values[i]` are the six
/// applicant columns of data row i.
fn table3(
    l: &mut Layout,
    r: u32,
    c: u16,
    values: &[[f64; 6]; 25],
    totals: Totals,
    tamper: Option<(usize, f64)>,
) {
    // Header: 3 rows.
    l.s(r, c, TABLE3_NOTE);
    l.merge(r, c, r + 2, c + 2);
    l.s(r, c + 3, "申请人情况");
    l.merge(r, c + 3, r, c + 9);
    l.s(r + 1, c + 3, "自然人");
    l.merge(r + 1, c + 3, r + 2, c + 3);
    l.s(r + 1, c + 4, "法人或其他组织");
    l.merge(r + 1, c + 4, r + 1, c + 8);
    l.s(r + 1, c + 9, "总计");
    l.merge(r + 1, c + 9, r + 2, c + 9);
    for (i, a) in APPLICANTS.iter().enumerate() {
        l.s(r + 2, c + 4 + i as u16, a);
    }
    // Label columns and their merges.
    let first = r + 3;
    for (i, labels) in table3_rows().iter().enumerate() {
        let row = first + i as u32;
        for (j, text) in labels.iter().enumerate() {
            if !text.is_empty() {
                l.s(row, c + j as u16, text);
            }
        }
    }
    l.merge(first, c, first, c + 2); // 一、
    l.merge(first + 1, c, first + 1, c + 2); // 二、
    l.merge(first + 2, c, first + 23, c); // 三、本年度办理结果
    l.merge(first + 2, c + 1, first + 2, c + 2); // （一）
    l.merge(first + 3, c + 1, first + 3, c + 2); // （二）
    l.merge(first + 4, c + 1, first + 11, c + 1); // （三）
    l.merge(first + 12, c + 1, first + 14, c + 1); // （四）
    l.merge(first + 15, c + 1, first + 19, c + 1); // （五）
    l.merge(first + 20, c + 1, first + 22, c + 1); // （六）
    l.merge(first + 23, c + 1, first + 23, c + 2); // （七）
    l.merge(first + 24, c, first + 24, c + 2); // 四、
                                               // Values.
    for (i, vals) in values.iter().enumerate() {
        let row = first + i as u32;
        for (j, x) in vals.iter().enumerate() {
            let cc = c + 3 + j as u16;
            if i == 23 && totals == Totals::Formulas {
                l.f(
                    row,
                    cc,
                    &format!("=SUM({0}{1}:{0}{2})", col(cc), first + 3, first + 23),
                );
            } else {
                l.n(row, cc, *x);
            }
        }
        let tc = c + 9;
        match totals {
            Totals::Formulas => {
                l.f(
                    row,
                    tc,
                    &format!("=SUM({}{}:{}{})", col(c + 3), row + 1, col(c + 8), row + 1),
                );
            }
            Totals::Numbers => {
                let sum: f64 = vals.iter().sum();
                let written = match tamper {
                    Some((ti, x)) if ti == i => x,
                    _ => sum,
                };
                l.n(row, tc, written);
            }
        }
    }
}

/// Table 四 (15 columns) with its top-left at (r, c).
fn table4(l: &mut Layout, r: u32, c: u16, values: &[f64; 15], totals: Totals) {
    let results = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"];
    l.s(r, c, "行政复议");
    l.merge(r, c, r, c + 4);
    l.s(r, c + 5, "行政诉讼");
    l.merge(r, c + 5, r, c + 14);
    for (i, t) in results.iter().enumerate() {
        l.s(r + 1, c + i as u16, t);
        l.merge(r + 1, c + i as u16, r + 2, c + i as u16);
    }
    l.s(r + 1, c + 5, "未经复议直接起诉");
    l.merge(r + 1, c + 5, r + 1, c + 9);
    l.s(r + 1, c + 10, "复议后起诉");
    l.merge(r + 1, c + 10, r + 1, c + 14);
    for g in 0..2u16 {
        for (i, t) in results.iter().enumerate() {
            l.s(r + 2, c + 5 + g * 5 + i as u16, t);
        }
    }
    for (i, x) in values.iter().enumerate() {
        let cc = c + i as u16;
        if i % 5 == 4 && totals == Totals::Formulas {
            let f = format!(
                "={a}{n}+{b}{n}+{c2}{n}+{d}{n}",
                a = col(cc - 4),
                b = col(cc - 3),
                c2 = col(cc - 2),
                d = col(cc - 1),
                n = r + 4
            );
            l.f(r + 3, cc, &f);
        } else {
            l.n(r + 3, cc, *x);
        }
    }
}

struct Values {
    regulations: [f64; 3],
    normative: [f64; 3],
    licensing: f64,
    penalty: f64,
    coercion: f64,
    fees: f64,
    requests: [[f64; 6]; 25],
    review: [f64; 15],
}

/// The invented numbers of 青松县教育局 2023 (consistent: every rule holds).
fn qingsong_2023() -> Values {
    let z = [0.0; 6];
    let mut results: Vec<[f64; 6]> = vec![
        [21., 3., 0., 1., 0., 1.], // （一）予以公开
        [4., 1., 0., 0., 0., 0.],  // （二）部分公开
        z,
        [1., 0., 0., 0., 0., 0.],
        z,
        [2., 0., 0., 0., 0., 0.],
        [1., 0., 0., 0., 0., 0.],
        [3., 1., 0., 0., 0., 0.],
        z,
        [2., 0., 0., 0., 0., 0.],
        [9., 1., 0., 0., 1., 0.],
        [2., 0., 0., 0., 0., 0.],
        [1., 0., 0., 0., 0., 0.],
        [3., 0., 0., 0., 0., 0.],
        [2., 0., 0., 0., 0., 0.],
        z,
        z,
        [1., 0., 0., 0., 0., 0.],
        [1., 0., 0., 0., 0., 0.],
        z,
        z,
    ];
    let mut total = [0.0; 6];
    for row in &results {
        for i in 0..6 {
            total[i] += row[i];
        }
    }
    let carried_over = [2., 0., 0., 0., 0., 0.];
    let carried_forward = [3., 0., 0., 0., 0., 0.];
    let mut new = [0.0; 6];
    for i in 0..6 {
        new[i] = total[i] + carried_forward[i] - carried_over[i];
    }
    let mut requests = vec![new, carried_over];
    requests.append(&mut results);
    requests.push(total);
    requests.push(carried_forward);
    Values {
        regulations: [0., 0., 3.],
        normative: [2., 1., 15.],
        licensing: 1268.,
        penalty: 37.,
        coercion: 5.,
        fees: 12.5,
        requests: requests.try_into().expect("25 rows"),
        review: [1., 1., 0., 0., 2., 0., 1., 0., 1., 2., 1., 0., 0., 0., 1.],
    }
}

fn write_layout(ws: &mut Worksheet, l: &Layout, border: &Format) -> Result<(), XlsxError> {
    for &(r0, c0, r1, c1) in &l.merges {
        let text = l
            .cells
            .iter()
            .find(|(r, c, _)| (*r, *c) == (r0, c0))
            .and_then(|(_, _, content)| {
                if let Content::Str(s) = content {
                    Some(s.as_str())
                } else {
                    None
                }
            })
            .unwrap_or("");
        ws.merge_range(r0, c0, r1, c1, text, border)?;
    }
    for (r, c, content) in &l.cells {
        match content {
            Content::Str(s) => ws.write_string_with_format(*r, *c, s, border)?,
            Content::Num(x) => ws.write_number_with_format(*r, *c, *x, border)?,
            Content::Formula(f) => ws.write_formula_with_format(*r, *c, Formula::new(f), border)?,
        };
    }
    Ok(())
}

fn sample_sheets(path: PathBuf, tamper: Option<(usize, f64)>) -> Result<(), XlsxError> {
    let v = qingsong_2023();
    let border = Format::new()
        .set_border(FormatBorder::Thin)
        .set_align(FormatAlign::Center)
        .set_text_wrap();
    let mut wb = Workbook::new();

    let ws = wb.add_worksheet().set_name("表二 主动公开")?;
    let mut l = Layout::default();
    l.s(0, 0, "青松县教育局2023年政府信息公开工作年度报告统计表");
    l.merge(0, 0, 0, 3);
    table2(&mut l, 1, 0, &v);
    write_layout(ws, &l, &border)?;
    ws.set_column_width(0, 24)?;

    let ws = wb.add_worksheet().set_name("表三 依申请公开")?;
    let mut l = Layout::default();
    table3(&mut l, 0, 0, &v.requests, Totals::Numbers, tamper);
    write_layout(ws, &l, &border)?;

    let ws = wb.add_worksheet().set_name("表四 复议诉讼")?;
    let mut l = Layout::default();
    table4(&mut l, 0, 0, &v.review, Totals::Numbers);
    write_layout(ws, &l, &border)?;

    if tamper.is_none() {
        // Old data the office kept around, hidden: not part of this report.
        let ws = wb.add_worksheet().set_name("2022年旧表")?;
        let mut l = Layout::default();
        l.s(0, 0, "青松县教育局2022年政府信息公开工作年度报告统计表");
        l.merge(0, 0, 0, 3);
        let mut old = qingsong_2023();
        old.licensing = 999.;
        old.penalty = 88.;
        table2(&mut l, 1, 0, &old);
        write_layout(ws, &l, &border)?;
        ws.set_hidden(true);
    }
    wb.save(path)
}

fn sample_formulas(path: PathBuf) -> Result<(), XlsxError> {
    let v = qingsong_2023();
    let border = Format::new().set_border(FormatBorder::Thin);
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet().set_name("表三")?;
    let mut l = Layout::default();
    l.s(0, 0, "蓝山县人民政府办公室2023年政府信息公开工作年度报告");
    table3(&mut l, 2, 0, &v.requests, Totals::Formulas, None);
    write_layout(ws, &l, &border)?;
    let ws = wb.add_worksheet().set_name("表四")?;
    let mut l = Layout::default();
    table4(&mut l, 0, 0, &v.review, Totals::Formulas);
    write_layout(ws, &l, &border)?;
    wb.save(path)
}

fn main() -> Result<(), XlsxError> {
    let dir = PathBuf::from(
        std::env::args()
            .nth(1)
            .unwrap_or_else(|| "samples/xlsx".into()),
    );
    std::fs::create_dir_all(&dir).expect("output directory");
    sample_sheets(dir.join("qingsong-edu-2023-sheets.xlsx"), None)?;
    sample_formulas(dir.join("lanshan-gov-2023-formulas-xlsxwriter.xlsx"))?;
    // Row 0 of table 三 (一、本年新收): 总计 written as 64, the parts sum to 63.
    sample_sheets(dir.join("inconsistent.xlsx"), Some((0, 64.0)))?;
    println!("wrote samples to {}", dir.display());
    Ok(())
}
