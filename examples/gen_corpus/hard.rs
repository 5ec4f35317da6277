//! The hard profile: the same reports as [`super::plan`], rendered the way
//! real archives hold them (issue 12) rather than as clean documents.
//!
//! | kind | what it is modelled on |
//! | --- | --- |
//! | `glued_rows` | a crawler's page.txt: `url:`/`标题:` header, site navigation, each `<tr>` joined without separators (`一、本年新收…15130000154`) |
//! | `glued_oneline` | the same with the whole body on one line after the header, Word CSS and conditional comments leaking in |
//! | `space_values` | values separated by single spaces, stray spaces inside long labels |
//! | `fragment` | the HTML page's article body alone (no `<html>`/`<body>`), saved as `.txt` |
//! | `markdown` | a PDF/OCR export: pipe rows, a placeholder header (`数据1 | 数据2`) and a page footer (`— 3 —`) inside every table, `# ` title, `.md` |
//! | `cover_letter` | tab text published under a cover letter (`关于报送…年度报告的函`) |
//!
//! Truth stays the generator's: the injected findings of each report. Glued
//! digits are only rendered where every finding stays detectable by a
//! careful reader: for a report with injections, only when every written
//! value of tables 三 and 四 is a single digit (then each run has one
//! character per value and is pinned without arithmetic); consistent
//! reports are glued whatever their numbers (a careful reader may leave
//! some cells unread, which costs no finding). Glued renders write zeros as
//! `0` and no thousands separators or subtotal column: a crawler's text of
//! a blank cell is nothing, which no reader can recover.

use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::grid::{Block, Grid, Slot};
use super::model::{Format, Opts, Report, TextOpts, W};
use super::narrative;
use super::rng::Rng;
use super::style::Zero;
use super::Config;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    GluedRows,
    GluedOneLine,
    SpaceValues,
    Fragment,
    Markdown,
    CoverLetter,
}

impl Kind {
    pub fn key(self) -> &'static str {
        match self {
            Kind::GluedRows => "glued_rows",
            Kind::GluedOneLine => "glued_oneline",
            Kind::SpaceValues => "space_values",
            Kind::Fragment => "fragment",
            Kind::Markdown => "markdown",
            Kind::CoverLetter => "cover_letter",
        }
    }

    fn glued(self) -> bool {
        matches!(
            self,
            Kind::GluedRows | Kind::GluedOneLine | Kind::SpaceValues
        )
    }
}

/// Every written value of tables 三 and 四 is one digit.
fn single_digits(r: &Report) -> bool {
    r.req_w
        .iter()
        .chain(&r.rev_w)
        .flatten()
        .all(|w| matches!(w, W::N(v) if (0..=9).contains(v)))
}

/// The hard plan: each report with its kind, file renamed accordingly.
pub fn plan(cfg: &Config) -> Vec<(Report, Kind)> {
    let mut out = Vec::new();
    for mut r in super::plan(cfg) {
        let mut rng = Rng::derive(cfg.seed, 7, r.index as u64);
        let mut kind = match rng.weighted(&[22.0, 18.0, 12.0, 16.0, 18.0, 14.0]) {
            0 => Kind::GluedRows,
            1 => Kind::GluedOneLine,
            2 => Kind::SpaceValues,
            3 => Kind::Fragment,
            4 => Kind::Markdown,
            _ => Kind::CoverLetter,
        };
        if kind.glued() && !r.findings.is_empty() && !single_digits(&r) {
            kind = if rng.chance(0.5) {
                Kind::Markdown
            } else {
                Kind::CoverLetter
            };
        }
        if kind.glued() {
            r.style.zero = Zero::Digit;
            r.style.thousands = false;
            r.style.org_subtotal = false;
        }
        let ext = match kind {
            Kind::Markdown => "md",
            _ => "txt",
        };
        let stem = r
            .file
            .rsplit_once('.')
            .map_or(r.file.clone(), |(s, _)| s.to_string());
        r.file = format!("{stem}.{ext}");
        if kind == Kind::Fragment {
            r.format = Format::Html;
            r.opts = Opts::choose(Format::Html, &mut rng);
        } else {
            r.format = Format::Text;
            r.opts = Opts::Text(TextOpts {
                spaces: false,
                pipes: kind == Kind::Markdown,
            });
        }
        out.push((r, kind));
    }
    out
}

/// Renders one hard report.
pub fn render(r: &Report, kind: Kind) -> Vec<u8> {
    let mut rng = Rng::new(r.render_seed ^ 0x5eed);
    match kind {
        Kind::Fragment => fragment(&super::render(r)),
        Kind::Markdown => markdown(&mut rng, &super::render(r)),
        Kind::CoverLetter => {
            let mut out = format!(
                "关于报送{}{}年政府信息公开工作年度报告的函\n县政务公开办：\n现将我单位{}年政府信息公开工作年度报告报送你办，请审阅。\n{}\n\n",
                r.agency.name, r.year, r.year, r.agency.name
            )
            .into_bytes();
            out.extend(super::render(r));
            out
        }
        _ => scraped(&mut rng, r, kind),
    }
}

/// The article body of a full HTML page (the page is ASCII-tagged, so the
/// byte search is safe in any of its encodings).
fn fragment(page: &[u8]) -> Vec<u8> {
    let find = |needle: &[u8], from: usize| {
        page[from..]
            .windows(needle.len())
            .position(|w| w.eq_ignore_ascii_case(needle))
            .map(|p| p + from)
    };
    let start = find(b"<body", 0)
        .and_then(|b| find(b">", b))
        .map_or(0, |p| p + 1);
    let end = find(b"</body", start).unwrap_or(page.len());
    page[start..end].to_vec()
}

/// Pipe text with a placeholder header at each table's start and a page
/// footer every dozen rows; a `# ` before the title.
fn markdown(rng: &mut Rng, text: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(text);
    let mut out = String::new();
    let mut in_table = 0usize;
    let mut titled = false;
    let mut page = 2 + rng.below(5);
    for line in text.lines() {
        if line.starts_with('|') {
            if in_table == 0 {
                let n = line.matches('|').count().saturating_sub(1).max(1);
                let ph: Vec<String> = (1..=n).map(|i| format!("数据{i}")).collect();
                out.push_str(&format!("| {} |\n|{}\n", ph.join(" | "), "---|".repeat(n)));
            }
            in_table += 1;
            out.push_str(line);
            out.push('\n');
            if in_table.is_multiple_of(12) {
                out.push_str(&format!("\n— {page} —\n\n"));
                page += 1;
            }
            continue;
        }
        if !line.trim().is_empty() {
            in_table = 0;
        }
        if !titled && line.contains("年度报告") {
            out.push_str("# ");
            titled = true;
        }
        out.push_str(line);
        out.push('\n');
    }
    out.into_bytes()
}

/// A crawler's page.txt (see the module docs).
fn scraped(rng: &mut Rng, r: &Report, kind: Kind) -> Vec<u8> {
    let n = narrative::build(rng, r, 0);
    let mut lines: Vec<String> = Vec::new();
    lines.push("首页 > 政务公开 > 政府信息公开年报".into());
    lines.push(narrative::title(r));
    for i in 0..6 {
        if let Some(h) = narrative::section_heading(r, i) {
            lines.push(h);
        }
        match i {
            0 => {
                lines.extend(n.intro.iter().cloned());
                for (h, ps) in &n.topics {
                    lines.extend(h.iter().cloned());
                    lines.extend(ps.iter().cloned());
                }
            }
            1..=3 => {
                let blocks = match i {
                    1 => super::grid::active_blocks(r),
                    2 => super::grid::requests_blocks(r),
                    _ => super::grid::review_blocks(r),
                };
                for b in &blocks {
                    match b {
                        Block::Table(g) => lines.extend(glued_rows(rng, g, kind)),
                        Block::Line(l) => lines.push(l.clone()),
                    }
                }
            }
            4 => lines.extend(n.problems.iter().cloned()),
            _ => lines.extend(n.other.iter().cloned()),
        }
    }
    lines.push("分享到：微信 微博 【打印本页】【关闭窗口】".into());
    let header = format!(
        "url: http://www.example.gov.cn/zwgk/{}/t{}_{}.html\ntitle: {}-{}\n标题: {}\n发布时间: {}-01-2{} 10:00\n\n",
        r.year + 1,
        r.year + 1,
        r.index,
        narrative::title(r),
        r.agency.city,
        narrative::title(r),
        r.year + 1,
        rng.below(9)
    );
    let body = if kind == Kind::GluedOneLine {
        let css = "p.MsoNormal, li.MsoNormal{margin:0cm;font-size:10.5pt;font-family:宋体;}";
        format!(
            "{css}{}\n",
            lines
                .concat()
                .replace("一、", "<!--[if !supportLists]-->一、<!--[endif]-->")
        )
    } else {
        lines.join("\n") + "\n"
    };
    (header + &body).into_bytes()
}

/// Each grid row as a crawler joins it: origin cell texts concatenated
/// (`glued_*`), or joined by single spaces with a stray space in a long
/// label (`space_values`).
fn glued_rows(rng: &mut Rng, g: &Grid, kind: Kind) -> Vec<String> {
    let slots = g.slots();
    let mut out = Vec::new();
    for (ri, row) in slots.iter().enumerate() {
        let texts: Vec<String> = row
            .iter()
            .filter_map(|s| match s {
                Slot::Origin(i) => Some(g.rows[ri][*i].text.replace('\n', "")),
                _ => None,
            })
            .filter(|t| !t.is_empty())
            .collect();
        let line = if kind == Kind::SpaceValues {
            let mut t = texts;
            if let Some(first) = t.first_mut() {
                let chars: Vec<char> = first.chars().collect();
                if chars.len() > 8 && rng.chance(0.3) {
                    let at = 4 + rng.below((chars.len() - 6) as u64) as usize;
                    *first = chars[..at]
                        .iter()
                        .chain(&[' '])
                        .chain(&chars[at..])
                        .collect();
                }
            }
            t.join(" ")
        } else {
            texts.concat()
        };
        out.push(line);
    }
    out
}

/// Generates the hard corpus into `cfg.out` (files and `truth.jsonl`, one
/// line per report as [`super::truth_line`] writes it, plus `"hard": kind`).
pub fn run(cfg: &Config) -> std::io::Result<Vec<(Report, Kind)>> {
    let reports = plan(cfg);
    std::fs::create_dir_all(&cfg.out)?;
    let dirs: BTreeSet<PathBuf> = reports
        .iter()
        .filter_map(|(r, _)| Path::new(&r.file).parent().map(|p| cfg.out.join(p)))
        .collect();
    for d in &dirs {
        std::fs::create_dir_all(d)?;
    }
    reports
        .par_iter()
        .map(|(r, k)| std::fs::write(cfg.out.join(&r.file), render(r, *k)))
        .collect::<std::io::Result<Vec<()>>>()?;
    let mut truth = std::io::BufWriter::new(std::fs::File::create(cfg.out.join("truth.jsonl"))?);
    for (r, k) in &reports {
        let mut line: serde_json::Value =
            serde_json::from_str(&super::truth_line(r)).expect("truth json");
        line["hard"] = serde_json::Value::from(k.key());
        truth.write_all(line.to_string().as_bytes())?;
        truth.write_all(b"\n")?;
    }
    truth.flush()?;
    Ok(reports)
}
