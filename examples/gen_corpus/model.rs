//! The numeric model of one report, generated consistent by construction, and
//! the written values (which injections may change).

use super::layout::*;
use super::names::{Agency, Level};
use super::rng::Rng;
use super::style::Style;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Html,
    Docx,
    Xlsx,
    Text,
}

impl Format {
    pub fn key(self) -> &'static str {
        match self {
            Format::Html => "html",
            Format::Docx => "docx",
            Format::Xlsx => "xlsx",
            Format::Text => "text",
        }
    }
    pub fn ext(self) -> &'static str {
        match self {
            Format::Html => "html",
            Format::Docx => "docx",
            Format::Xlsx => "xlsx",
            Format::Text => "txt",
        }
    }
}

/// A written cell value: a number, or text where a number belongs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum W {
    N(i64),
    T(String),
}

impl W {
    /// The value the consistency rules use (text and blanks read as 0).
    pub fn num0(&self) -> i64 {
        match self {
            W::N(v) => *v,
            W::T(_) => 0,
        }
    }
}

/// Table 二 (2021). The fee is in units of 1/10000 万元.
#[derive(Clone, Debug, Default)]
pub struct Active {
    /// issued, repealed, in_force
    pub reg: [i64; 3],
    pub norm: [i64; 3],
    pub licensing: i64,
    pub penalty: i64,
    pub coercion: i64,
    pub fee: i64,
}

/// An injected fee value that breaks `value.domain`.
#[derive(Clone, Debug)]
pub enum FeeWritten {
    /// A negative amount (printed as e.g. "-12.5").
    Negative(String),
    /// More than 4 decimals (a warning).
    TooPrecise(String),
}

/// What the narrative says about the number of requests received.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Narr {
    /// The text states no count.
    Absent,
    /// 共收到政府信息公开申请N件 (and phrasing variants).
    Count(i64),
    /// 未收到…申请 (means 0).
    NotReceived,
    /// 共受理X件（含上年结转Y件）: a careful reader compares X−Y.
    WithCarry { stated: i64, carried: i64 },
}

impl Narr {
    /// The number a careful reader compares with requests.new.total.
    pub fn careful(&self) -> Option<i64> {
        match self {
            Narr::Absent => None,
            Narr::Count(n) => Some(*n),
            Narr::NotReceived => Some(0),
            Narr::WithCarry { stated, carried } => Some(stated - carried),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    /// GBK bytes with a meta tag declaring the given label.
    GbkMeta(&'static str),
    /// GBK bytes, no charset declared anywhere.
    GbkNoMeta,
}

#[derive(Clone, Debug)]
pub struct HtmlOpts {
    pub encoding: Encoding,
    pub layout_table: bool,
    pub th_headers: bool,
    pub spans: bool,
    pub link_table_before: bool,
    pub target_bytes: usize,
}

#[derive(Clone, Debug)]
pub struct DocxOpts {
    pub numbered_headings: bool,
    pub layout_table: bool,
    pub tracked_change: bool,
    pub split_runs: bool,
    pub target_bytes: usize,
}

#[derive(Clone, Debug)]
pub struct XlsxOpts {
    pub one_sheet: bool,
    pub title_row: bool,
    pub empty_first_col: bool,
    pub numbers_as_text: bool,
    pub formulas: bool,
    pub notes_row: bool,
    pub hidden_sheet: bool,
    pub narrative_sheet: bool,
}

#[derive(Clone, Debug)]
pub struct TextOpts {
    pub spaces: bool,
    pub pipes: bool,
}

#[derive(Clone, Debug)]
pub enum Opts {
    Html(HtmlOpts),
    Docx(DocxOpts),
    Xlsx(XlsxOpts),
    Text(TextOpts),
}

impl Opts {
    pub fn choose(format: Format, rng: &mut Rng) -> Opts {
        match format {
            Format::Html => {
                let encoding = match rng.weighted(&[68.0, 7.0, 5.0, 3.0, 17.0]) {
                    0 => Encoding::Utf8,
                    1 => Encoding::GbkMeta("gb2312"),
                    2 => Encoding::GbkMeta("GBK"),
                    3 => Encoding::GbkMeta("gb18030"),
                    _ => Encoding::GbkNoMeta,
                };
                // 30..150 KB, skewed toward the small end (u² scaling).
                let u = rng.unit();
                let target = 30_000 + (120_000.0 * u * u) as usize;
                Opts::Html(HtmlOpts {
                    encoding,
                    layout_table: rng.chance(0.2),
                    th_headers: rng.chance(0.15),
                    spans: rng.chance(0.3),
                    link_table_before: rng.chance(0.25),
                    target_bytes: target,
                })
            }
            Format::Docx => {
                let u = rng.unit();
                Opts::Docx(DocxOpts {
                    numbered_headings: rng.chance(0.25),
                    layout_table: rng.chance(0.05),
                    tracked_change: rng.chance(0.06),
                    split_runs: rng.chance(0.4),
                    target_bytes: 20_500 + (37_000.0 * u * u) as usize,
                })
            }
            Format::Xlsx => {
                let mut o = XlsxOpts {
                    one_sheet: rng.chance(0.4),
                    title_row: rng.chance(0.6),
                    empty_first_col: rng.chance(0.1),
                    numbers_as_text: rng.chance(0.15),
                    formulas: rng.chance(0.25),
                    notes_row: rng.chance(0.2),
                    hidden_sheet: rng.chance(0.08),
                    narrative_sheet: rng.chance(0.5),
                };
                // The title (agency and year) is always somewhere in the workbook.
                if !o.narrative_sheet {
                    o.title_row = true;
                }
                Opts::Xlsx(o)
            }
            Format::Text => Opts::Text(TextOpts {
                spaces: rng.chance(0.1),
                pipes: rng.chance(0.05),
            }),
        }
    }

    pub fn variations(&self) -> Vec<String> {
        let mut v = Vec::new();
        let mut f = |c: bool, s: &str| {
            if c {
                v.push(s.to_string())
            }
        };
        match self {
            Opts::Html(o) => {
                match o.encoding {
                    Encoding::Utf8 => {}
                    Encoding::GbkMeta(l) => v.push(format!("encoding:gbk(meta {l})")),
                    Encoding::GbkNoMeta => v.push("encoding:gbk(no meta)".into()),
                }
                let mut f = |c: bool, s: &str| {
                    if c {
                        v.push(s.to_string())
                    }
                };
                f(o.layout_table, "one_cell_layout_table");
                f(o.th_headers, "th_header_cells");
                f(o.spans, "text_split_over_spans");
                f(o.link_table_before, "link_table_before_report");
            }
            Opts::Docx(o) => {
                f(o.numbered_headings, "numbered_headings");
                f(o.layout_table, "one_cell_layout_table");
                f(o.tracked_change, "tracked_change_in_cell");
                f(o.split_runs, "text_split_over_runs");
            }
            Opts::Xlsx(o) => {
                f(o.one_sheet, "all_tables_on_one_sheet");
                f(o.title_row, "title_row");
                f(o.empty_first_col, "empty_first_column");
                f(o.numbers_as_text, "numbers_as_text");
                f(o.formulas, "total_formulas");
                f(o.notes_row, "notes_row");
                f(o.hidden_sheet, "hidden_sheet_old_data");
                f(o.narrative_sheet, "narrative_sheet");
            }
            Opts::Text(o) => {
                f(o.spaces, "spaces_instead_of_tabs");
                f(o.pipes, "pipe_rows");
            }
        }
        v
    }
}

/// One report: truth, written values, style, injections.
#[derive(Clone, Debug)]
pub struct Report {
    pub index: usize,
    pub agency: Agency,
    pub year: u32,
    pub template: Template,
    pub format: Format,
    pub file: String,
    pub style: Style,
    pub opts: Opts,
    pub active: Active,
    pub fee_written: Option<FeeWritten>,
    pub req: [[i64; 7]; 25],
    pub req_w: Vec<Vec<W>>,
    pub rev: [[i64; 5]; 3],
    pub rev_w: Vec<Vec<W>>,
    pub narr: Narr,
    pub causes: Vec<super::inject::Cause>,
    pub findings: Vec<super::inject::Finding>,
    /// Seed of the stream used for cosmetic choices while rendering.
    pub render_seed: u64,
    /// Archive mode: shared text, stale years, name variants, cross-report truth.
    pub archive: super::archive::ArchiveTruth,
}

impl Report {
    pub fn has_narrative(&self) -> bool {
        !matches!(&self.opts, Opts::Xlsx(o) if !o.narrative_sheet)
    }
}

/// What carries from one year of an agency to the next.
#[derive(Clone, Debug, Default)]
pub struct Carry {
    pub carried_forward: Option<[i64; 7]>,
    pub reg_in_force: Option<i64>,
    pub norm_in_force: Option<i64>,
}

fn spread(rng: &mut Rng, n: i64, weights: &[f64], out: &mut [i64]) {
    for _ in 0..n {
        out[rng.weighted(weights)] += 1;
    }
}

fn binomial(rng: &mut Rng, n: i64, p: f64) -> i64 {
    (0..n).filter(|_| rng.chance(p)).count() as i64
}

/// Draws one year's tables for an agency, consistent by construction and
/// consistent with the previous year through `carry`.
pub fn gen_tables(
    rng: &mut Rng,
    level: Level,
    carry: &mut Carry,
) -> (Active, [[i64; 7]; 25], [[i64; 5]; 3]) {
    // ---- Table 三 ----
    let n_new: i64 = match level {
        Level::Township => match rng.weighted(&[65.0, 25.0, 10.0]) {
            0 => 0,
            1 => rng.range(1, 3),
            _ => rng.range(4, 15),
        },
        Level::County => {
            if rng.chance(0.08) {
                0
            } else {
                rng.skewed(2, 150, 2)
            }
        }
        Level::City => {
            if rng.chance(0.08) {
                rng.range(1000, 3000)
            } else {
                rng.skewed(20, 900, 2)
            }
        }
        Level::Department => {
            if rng.chance(0.25) {
                0
            } else {
                rng.skewed(1, 200, 3)
            }
        }
    };
    let natural = 60.0 + rng.unit() * 35.0;
    let col_w = [natural, 7.0, 0.5, 1.0, 2.0, 4.5];
    let mut req = [[0i64; 7]; 25];
    let mut new = [0i64; 6];
    spread(rng, n_new, &col_w, &mut new);
    let mut co = [0i64; 6];
    match carry.carried_forward {
        Some(prev) => co.copy_from_slice(&prev[..6]),
        None => {
            if n_new > 0 && level != Level::Township && rng.chance(0.5) {
                for c in 0..6 {
                    co[c] = binomial(rng, new[c], 0.06);
                }
            }
        }
    }
    let p_cf = match level {
        Level::Township => 0.02,
        _ => 0.05,
    };
    let result_w: [f64; 21] = match level {
        Level::Township => [
            55.0, 3.0, 0.1, 0.3, 0.1, 1.0, 1.0, 1.0, 0.3, 1.0, 25.0, 2.0, 1.0, 4.0, 1.0, 0.1, 0.1,
            0.2, 1.5, 0.0, 2.0,
        ],
        _ => [
            38.0, 6.0, 0.3, 1.0, 0.5, 2.0, 2.0, 2.5, 1.0, 3.0, 22.0, 4.0, 2.0, 5.0, 3.0, 0.5, 0.7,
            1.0, 3.0, 0.1, 3.5,
        ],
    };
    for c in 0..6 {
        let avail = new[c] + co[c];
        let cf = binomial(rng, avail, p_cf);
        let res = avail - cf;
        let mut rows = [0i64; 21];
        spread(rng, res, &result_w, &mut rows);
        req[ROW_NEW][c] = new[c];
        req[ROW_CO][c] = co[c];
        for (i, v) in rows.iter().enumerate() {
            req[2 + i][c] = *v;
        }
        req[ROW_RT][c] = res;
        req[ROW_CF][c] = cf;
    }
    for row in req.iter_mut() {
        row[TOTAL] = row[..6].iter().sum();
    }
    carry.carried_forward = Some(req[ROW_CF]);

    // ---- Table 四 ----
    let mut rev = [[0i64; 5]; 3];
    let (maxes, p_any): ([i64; 3], f64) = match level {
        Level::Township => ([2, 1, 1], 0.07),
        Level::County => ([8, 5, 3], 0.7),
        Level::City => ([30, 15, 10], 0.95),
        Level::Department => ([8, 4, 3], 0.45),
    };
    if rng.chance(p_any) {
        for g in 0..3 {
            let n = rng.skewed(0, maxes[g], 2);
            let mut parts = [0i64; 4];
            spread(rng, n, &[60.0, 10.0, 15.0, 15.0], &mut parts);
            rev[g][..4].copy_from_slice(&parts);
            rev[g][4] = n;
        }
    }

    // ---- Table 二 ----
    let mut a = Active::default();
    if level == Level::City {
        let prev = carry.reg_in_force.unwrap_or_else(|| rng.range(10, 80));
        let issued = rng.skewed(0, 4, 2);
        let repealed = rng.skewed(0, 2, 2).min(prev + issued);
        a.reg = [issued, repealed, prev + issued - repealed];
        carry.reg_in_force = Some(a.reg[2]);
    }
    let (init, iss_max) = match level {
        Level::Township => ((0, 12), 3),
        Level::County => ((20, 150), 20),
        Level::City => ((80, 500), 40),
        Level::Department => ((5, 60), 8),
    };
    let prev = carry
        .norm_in_force
        .unwrap_or_else(|| rng.range(init.0, init.1));
    let issued = rng.skewed(0, iss_max, 2);
    let repealed = rng.skewed(0, (iss_max / 2).max(1), 2).min(prev + issued);
    a.norm = [issued, repealed, prev + issued - repealed];
    carry.norm_in_force = Some(a.norm[2]);
    let mut z = |p0: f64, lo: i64, hi: i64, k: u32| {
        if rng.chance(p0) {
            0
        } else {
            rng.skewed(lo, hi, k)
        }
    };
    match level {
        Level::Township => {
            a.licensing = z(0.6, 1, 600, 2);
            a.penalty = z(0.7, 1, 60, 2);
            a.coercion = z(0.9, 1, 5, 1);
            a.fee = z(0.85, 1, 50_0000, 3);
        }
        Level::County => {
            a.licensing = z(0.0, 200, 30_000, 3);
            a.penalty = z(0.0, 50, 3_000, 2);
            a.coercion = z(0.1, 1, 200, 3);
            a.fee = z(0.3, 1, 5000_0000, 3);
        }
        Level::City => {
            a.licensing = z(0.0, 2_000, 150_000, 3);
            a.penalty = z(0.0, 300, 15_000, 2);
            a.coercion = z(0.05, 1, 1_500, 3);
            a.fee = z(0.0, 1000_0000, 20_0000_0000, 3);
        }
        Level::Department => {
            a.licensing = z(0.4, 10, 20_000, 3);
            a.penalty = z(0.4, 1, 2_000, 3);
            a.coercion = z(0.6, 1, 300, 3);
            a.fee = z(0.4, 1, 3000_0000, 3);
        }
    }
    if rng.chance(0.5) {
        a.fee = (a.fee / 100) * 100;
    }
    (a, req, rev)
}

pub fn written_req(req: &[[i64; 7]; 25]) -> Vec<Vec<W>> {
    req.iter()
        .map(|r| r.iter().map(|v| W::N(*v)).collect())
        .collect()
}

pub fn written_rev(rev: &[[i64; 5]; 3]) -> Vec<Vec<W>> {
    rev.iter()
        .map(|r| r.iter().map(|v| W::N(*v)).collect())
        .collect()
}

/// How the narrative states the request count (drawn from the true value).
pub fn choose_narr(rng: &mut Rng, req: &[[i64; 7]; 25]) -> Narr {
    let n = req[ROW_NEW][TOTAL];
    let co = req[ROW_CO][TOTAL];
    if rng.chance(0.1) {
        return Narr::Absent;
    }
    if n == 0 {
        if rng.chance(0.8) {
            Narr::NotReceived
        } else {
            Narr::Count(0)
        }
    } else if co > 0 && rng.chance(0.08) {
        Narr::WithCarry {
            stated: n + co,
            carried: co,
        }
    } else {
        Narr::Count(n)
    }
}
