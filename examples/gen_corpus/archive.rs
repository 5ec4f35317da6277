//! Archive mode (issue 14): what auditors look for across reports, injected
//! with its truth. On top of the normal plan:
//!
//! - gaps: a middle year of some series is not written (coverage);
//! - carry breaks that no single report shows: `carried_over` of year N+1
//!   shifted with `new` (or with `carried_forward`) so its own balance holds;
//! - stock breaks: `in_force` of 行政规范性文件 changed;
//! - copied text: year N+1 reuses year N's narrative (same stream, this
//!   year's numbers); stale years: the opening paragraph names last year;
//! - name variants in the title (广阳镇人民政府, 河南省广阳市广阳镇);
//! - duplicates: the same report again in another format or re-uploaded,
//!   identical or with some cells changed.
//!
//! Truth is written per report under `archive` in truth.jsonl: the series
//! (province/city/name), the carry and in_force findings against the
//! previous written year (on the written values, attached to the later
//! year), `text_reuse_of`, `stale_year`, `duplicate_of` and the cells a
//! duplicate changes (`disagree`). Coverage is derived from the series and
//! years written.

use serde::Serialize;
use serde_json::{json, Value};

use super::inject::{self, req_blank};
use super::layout::*;
use super::model::*;
use super::names::Level;
use super::rng::Rng;
use super::Config;

#[derive(Clone, Debug)]
pub struct ArchiveOpts {
    pub gap_share: f64,
    pub carry_share: f64,
    pub in_force_share: f64,
    pub copy_share: f64,
    pub stale_share: f64,
    pub name_share: f64,
    pub duplicate_share: f64,
    pub disagree_share: f64,
}

impl Default for ArchiveOpts {
    fn default() -> Self {
        ArchiveOpts {
            gap_share: 0.35,
            carry_share: 0.1,
            in_force_share: 0.2,
            copy_share: 0.25,
            stale_share: 0.08,
            name_share: 0.12,
            duplicate_share: 0.1,
            disagree_share: 0.5,
        }
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct CrossFinding {
    pub row: String,
    pub column: String,
    pub expected: Value,
    pub actual: Value,
    pub severity: &'static str,
    pub counterpart: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct CellKey {
    pub table: &'static str,
    pub row: String,
    pub column: String,
}

/// The archive-mode plan of one report and its cross-report truth.
#[derive(Clone, Debug, Default, Serialize)]
pub struct ArchiveTruth {
    #[serde(skip)]
    pub enabled: bool,
    #[serde(skip)]
    pub text_seed: Option<u64>,
    #[serde(skip)]
    pub text_pad: usize,
    #[serde(skip)]
    pub title_name: Option<String>,
    pub series: String,
    pub carry: Vec<CrossFinding>,
    pub in_force: Vec<CrossFinding>,
    pub text_reuse_of: Option<String>,
    pub stale_year: bool,
    pub duplicate_of: Option<String>,
    pub disagree: Vec<CellKey>,
}

fn name_variant(rng: &mut Rng, r: &Report) -> String {
    let a = &r.agency;
    if rng.chance(0.5) && a.level != Level::Department {
        let suffix = if a.name.ends_with("街道") {
            "办事处"
        } else {
            "人民政府"
        };
        format!("{}{suffix}", a.name)
    } else if a.level == Level::City || a.name.starts_with(&a.city) {
        format!("{}{}", a.province, a.name)
    } else {
        format!("{}{}{}", a.province, a.city, a.name)
    }
}

/// Moves `d` requests of one column from `new` into `carried_over` (or adds
/// `d` to both `carried_over` and `carried_forward`): the report still
/// balances, only the previous year's carried_forward disagrees.
fn carry_shift(rng: &mut Rng, r: &mut Report) -> bool {
    let d = rng.range(1, 3);
    let col = rng.below(6) as usize;
    let rows_ok = |rows: [usize; 2], r: &Report| {
        rows.iter().all(|&row| {
            matches!(r.req_w[row][col], W::N(_)) && matches!(r.req_w[row][TOTAL], W::N(_))
        })
    };
    let other = if r.req_w[ROW_NEW][col].num0() >= d && rows_ok([ROW_CO, ROW_NEW], r) {
        (ROW_NEW, -d)
    } else if rows_ok([ROW_CO, ROW_CF], r) {
        (ROW_CF, d)
    } else {
        return false;
    };
    for (row, by) in [(ROW_CO, d), other] {
        for c in [col, TOTAL] {
            r.req_w[row][c] = W::N(r.req_w[row][c].num0() + by);
        }
    }
    true
}

fn cross_truth(p: &Report, c: &Report) -> (Vec<CrossFinding>, Vec<CrossFinding>) {
    let mut carry = Vec::new();
    for col in 0..7 {
        let cf = p.req_w[ROW_CF][col].num0();
        let co = c.req_w[ROW_CO][col].num0();
        if cf != co {
            let blank = req_blank(p, ROW_CF, col) || req_blank(c, ROW_CO, col);
            carry.push(CrossFinding {
                row: "carried_over".into(),
                column: REQ_COLS[col].0.into(),
                expected: json!(cf),
                actual: json!(co),
                severity: if blank { "incomplete" } else { "error" },
                counterpart: p.file.clone(),
            });
        }
    }
    let mut stock = Vec::new();
    for (row, a, b) in [
        ("regulations", p.active.reg, c.active.reg),
        ("normative_documents", p.active.norm, c.active.norm),
    ] {
        let expected = a[2] + b[0] - b[1];
        if expected != b[2] {
            stock.push(CrossFinding {
                row: row.into(),
                column: "in_force".into(),
                expected: json!(expected),
                actual: json!(b[2]),
                severity: "warning",
                counterpart: p.file.clone(),
            });
        }
    }
    (carry, stock)
}

/// The archive-mode plan: the normal plan, then gaps, cross-year breaks,
/// copied text, stale years, name variants and duplicates.
pub fn plan(cfg: &Config, o: &ArchiveOpts) -> Vec<Report> {
    let (mut reports, series) = super::plan_series(cfg);
    let mut rng = Rng::derive(cfg.seed, 14, 0);
    let mut keep = vec![true; reports.len()];
    for &(first, len) in &series {
        for r in &mut reports[first..first + len] {
            r.archive.enabled = true;
            r.archive.series = format!("{}/{}/{}", r.agency.province, r.agency.city, r.agency.name);
        }
        if len >= 3 && rng.chance(o.gap_share) {
            keep[first + 1 + rng.below(len as u64 - 2) as usize] = false;
        }
    }
    for &(first, len) in &series {
        let written: Vec<usize> = (first..first + len).filter(|&i| keep[i]).collect();
        for w in written.windows(2) {
            let (p, c) = (w[0], w[1]);
            if reports[c].year != reports[p].year + 1 {
                continue;
            }
            let (a, b) = reports.split_at_mut(c);
            let (prev, cur) = (&mut a[p], &mut b[0]);
            if rng.chance(o.carry_share) && carry_shift(&mut rng, cur) {
                cur.findings = inject::evaluate(cur);
            }
            if rng.chance(o.in_force_share) {
                let d = rng.range(1, 5);
                cur.active.norm[2] = if cur.active.norm[2] >= d && rng.chance(0.5) {
                    cur.active.norm[2] - d
                } else {
                    cur.active.norm[2] + d
                };
            }
            if prev.has_narrative() && cur.has_narrative() && rng.chance(o.copy_share) {
                if prev.archive.text_seed.is_none() {
                    prev.archive.text_seed = Some(rng.next_u64());
                    prev.archive.text_pad = rng.below(5000) as usize;
                }
                cur.archive.text_seed = prev.archive.text_seed;
                cur.archive.text_pad = prev.archive.text_pad;
                cur.archive.text_reuse_of = Some(prev.file.clone());
                // Text before the first heading is in no section: keep the
                // copied text where a reader finds it.
                cur.style.renumbered = false;
                prev.style.renumbered = false;
            }
        }
    }
    for r in reports.iter_mut() {
        if r.has_narrative() && rng.chance(o.stale_share) {
            r.archive.stale_year = true;
            // The opening must sit under its 总体情况 heading to be read.
            r.style.renumbered = false;
        }
        if rng.chance(o.name_share) {
            r.archive.title_name = Some(name_variant(&mut rng, r));
        }
    }
    for &(first, len) in &series {
        let written: Vec<usize> = (first..first + len).filter(|&i| keep[i]).collect();
        for w in written.windows(2) {
            let (p, c) = (w[0], w[1]);
            if reports[c].year == reports[p].year + 1 {
                let (carry, stock) = cross_truth(&reports[p], &reports[c]);
                reports[c].archive.carry = carry;
                reports[c].archive.in_force = stock;
            }
        }
    }
    let mut out: Vec<Report> = reports
        .into_iter()
        .zip(keep)
        .filter_map(|(r, k)| k.then_some(r))
        .collect();
    let originals = out.len();
    for i in 0..originals {
        if rng.chance(o.duplicate_share) {
            let dup = duplicate(&mut rng, &mut out[i], o, originals + i);
            out.push(dup);
        }
    }
    out
}

/// Another copy of `r`: another format (or a re-upload), the same text,
/// maybe a name variant in the title, maybe some cells changed.
fn duplicate(rng: &mut Rng, r: &mut Report, o: &ArchiveOpts, index: usize) -> Report {
    if r.archive.text_seed.is_none() {
        r.archive.text_seed = Some(rng.next_u64());
        r.archive.text_pad = rng.below(5000) as usize;
    }
    let mut d = r.clone();
    d.index = index;
    d.render_seed = rng.next_u64();
    let formats = [Format::Html, Format::Docx, Format::Xlsx, Format::Text];
    d.format = if !r.has_narrative() {
        Format::Xlsx
    } else {
        *rng.pick(&formats)
    };
    d.opts = Opts::choose(d.format, rng);
    match &mut d.opts {
        Opts::Xlsx(x) => {
            x.narrative_sheet = r.has_narrative();
            x.title_row = true;
        }
        Opts::Text(t) if d.style.zero_is_blank() => t.spaces = false,
        _ => {}
    }
    let stem = r.file.rsplit_once('.').map_or(r.file.as_str(), |(s, _)| s);
    d.file = if d.format == r.format {
        format!("{stem}(2).{}", d.format.ext())
    } else {
        format!("{stem}.{}", d.format.ext())
    };
    d.archive.title_name = if rng.chance(0.5) {
        Some(name_variant(rng, r))
    } else {
        r.archive.title_name.clone()
    };
    d.archive.duplicate_of = Some(r.file.clone());
    if rng.chance(o.disagree_share) {
        for _ in 0..rng.range(1, 2) {
            let row = RESULT_ROWS.start + rng.below(RESULT_ROWS.len() as u64) as usize;
            let col = rng.below(6) as usize;
            if !matches!(d.req_w[row][col], W::N(_)) || !matches!(d.req_w[row][TOTAL], W::N(_)) {
                continue;
            }
            if d.archive
                .disagree
                .iter()
                .any(|c| c.row == REQ_ROWS_2021[row].key)
            {
                continue;
            }
            let by = rng.range(1, 4);
            for c in [col, TOTAL] {
                d.req_w[row][c] = W::N(d.req_w[row][c].num0() + by);
                d.archive.disagree.push(CellKey {
                    table: "requests",
                    row: REQ_ROWS_2021[row].key.to_string(),
                    column: REQ_COLS[c].0.to_string(),
                });
            }
        }
        d.findings = inject::evaluate(&d);
    }
    d
}
