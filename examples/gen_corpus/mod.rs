//! A township-archive corpus generator: synthetic 政府信息公开工作年度报告 in
//! realistic formats and proportions, with a truth file listing the
//! inconsistencies injected into about a third of them.
//!
//! Determinism: everything is drawn from a hand-written SplitMix64 stream
//! ([`rng::Rng`]); the plan (agencies, years, numbers, injections) is made
//! sequentially, rendering runs in parallel with one stream per report, and
//! files and truth lines are written in report order. ZIP packages are
//! repacked with fixed timestamps. Same arguments → byte-identical output.
//!
//! Output: `DIR/{province}/{city}/{agency}-{year}.{ext}` and `DIR/truth.jsonl`,
//! one line per report:
//!
//! ```json
//! {"file": "河南省/广阳市/广阳镇-2022.html", "agency": "广阳镇", "year": 2022,
//!  "format": "html", "template": "2021", "admin_level": "township",
//!  "province": "河南省", "city": "广阳市", "narrative_requests": 0,
//!  "injected": [{"rule": "requests.row_sum", "table": "requests",
//!                "row": "granted", "column": "total", "expected": 12,
//!                "actual": 14, "severity": "error"}, ...],
//!  "causes": [...], "variations": [...]}
//! ```
//!
//! `injected` lists every finding a correct checker must emit for the report
//! (all consequences of every injection; empty for a consistent report). See
//! [`inject`] for the conventions of `row`, `column`, `expected`, `actual` and
//! `severity` per rule. `causes` says what was changed, `narrative_requests`
//! is the count the narrative states as a careful reader reads it (null when
//! it states none), `variations` names the non-default layout and formatting
//! choices (encoding, zero placeholders, label variants…).
//!
//! Structure: [`layout`] holds the template's keys and labels (2021 only; a
//! 2019 layout would add its row lists there and a `Template::T2019` arm in
//! [`grid`]), [`model`] the numbers, [`inject`] the injections and findings,
//! [`narrative`] the text, [`grid`] the merged-cell tables every renderer
//! draws from, and `render_*` the four formats.

#![allow(dead_code)]
// Index loops over the template's parallel key arrays read clearer than zips.
#![allow(
    clippy::needless_range_loop,
    clippy::write_with_newline,
    clippy::large_enum_variant
)]

pub mod archive;
pub mod grid;
pub mod hard;
pub mod inject;
pub mod layout;
pub mod model;
pub mod names;
pub mod narrative;
pub mod png;
pub mod render_docx;
pub mod render_html;
pub mod render_text;
pub mod render_xlsx;
pub mod rng;
pub mod style;

use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::Serialize;

use layout::Template;
use model::*;
use names::NameSource;
use rng::Rng;
use style::{Style, Zero};

#[derive(Clone, Debug)]
pub struct Config {
    pub reports: usize,
    pub out: PathBuf,
    pub seed: u64,
    pub inconsistent_share: f64,
}

/// Format shares: HTML 45%, DOCX 30%, XLSX 15%, text 10%.
const FORMAT_WEIGHTS: [f64; 4] = [45.0, 30.0, 15.0, 10.0];

/// Makes the whole plan: agencies, years, numbers, styles, injections.
pub fn plan(cfg: &Config) -> Vec<Report> {
    let (mut reports, series) = plan_series(cfg);
    for (first, len) in series {
        for i in first..first + len.saturating_sub(1) {
            let (a, b) = reports.split_at_mut(i + 1);
            inject::cross_year(&mut a[i], &mut b[0]);
        }
    }
    reports
}

/// The reports and their series (first index, length), before any
/// cross-year truth is computed.
pub fn plan_series(cfg: &Config) -> (Vec<Report>, Vec<(usize, usize)>) {
    let mut master = Rng::derive(cfg.seed, 1, 0);
    let mut names = NameSource::new();
    let mut reports: Vec<Report> = Vec::with_capacity(cfg.reports);
    let mut series: Vec<(usize, usize)> = Vec::new();
    while reports.len() < cfg.reports {
        let cluster = names.city_cluster(&mut master);
        for ag in cluster {
            if reports.len() >= cfg.reports {
                break;
            }
            let len = 1 + master.below(4) as u32;
            let start = 2021 + master.below((4 - len + 1) as u64) as u32;
            let len = (len as usize).min(cfg.reports - reports.len());
            let first = reports.len();
            let mut carry = Carry::default();
            for k in 0..len {
                let year = start + k as u32;
                let index = reports.len();
                let mut rr = Rng::derive(cfg.seed, 2, index as u64);
                let format = match rr.weighted(&FORMAT_WEIGHTS) {
                    0 => Format::Html,
                    1 => Format::Docx,
                    2 => Format::Xlsx,
                    _ => Format::Text,
                };
                let style = Style::choose(&mut rr);
                let mut opts = Opts::choose(format, &mut rr);
                if let Opts::Text(t) = &mut opts {
                    // Runs of spaces cannot carry blank cells.
                    if matches!(style.zero, Zero::Blank | Zero::Ideo) {
                        t.spaces = false;
                    }
                }
                let (active, req, rev) = gen_tables(&mut rr, ag.level, &mut carry);
                let narr = choose_narr(&mut rr, &req);
                let file = format!(
                    "{}/{}/{}-{}.{}",
                    ag.province,
                    ag.city,
                    ag.name,
                    year,
                    format.ext()
                );
                let mut r = Report {
                    index,
                    agency: ag.clone(),
                    year,
                    template: Template::T2021,
                    format,
                    file,
                    style,
                    opts,
                    active,
                    fee_written: None,
                    req_w: written_req(&req),
                    req,
                    rev_w: written_rev(&rev),
                    rev,
                    narr,
                    causes: Vec::new(),
                    findings: Vec::new(),
                    render_seed: rr.next_u64(),
                    archive: Default::default(),
                };
                if rr.chance(cfg.inconsistent_share) {
                    inject::inject(&mut rr, &mut r);
                }
                reports.push(r);
            }
            series.push((first, len));
        }
    }
    (reports, series)
}

/// Renders one report to the bytes of its file.
pub fn render(r: &Report) -> Vec<u8> {
    let mut rng = Rng::new(r.render_seed);
    match &r.opts {
        Opts::Html(o) => render_html::render(&mut rng, r, o),
        Opts::Docx(o) => render_docx::render(&mut rng, r, o),
        Opts::Xlsx(o) => render_xlsx::render(&mut rng, r, o),
        Opts::Text(o) => render_text::render(&mut rng, r, o),
    }
}

#[derive(Serialize)]
struct TruthLine<'a> {
    file: &'a str,
    agency: &'a str,
    year: u32,
    format: &'static str,
    template: &'static str,
    admin_level: &'static str,
    province: &'a str,
    city: &'a str,
    narrative_requests: Option<i64>,
    injected: &'a [inject::Finding],
    causes: &'a [inject::Cause],
    variations: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    archive: Option<&'a archive::ArchiveTruth>,
}

pub fn truth_line(r: &Report) -> String {
    let mut variations = r.style.variations();
    variations.extend(r.opts.variations());
    let t = TruthLine {
        file: &r.file,
        agency: r.archive.title_name.as_ref().unwrap_or(&r.agency.name),
        year: r.year,
        format: r.format.key(),
        template: r.template.key(),
        admin_level: r.agency.level.key(),
        province: &r.agency.province,
        city: &r.agency.city,
        narrative_requests: if r.has_narrative() {
            r.narr.careful()
        } else {
            None
        },
        injected: &r.findings,
        causes: &r.causes,
        variations,
        archive: r.archive.enabled.then_some(&r.archive),
    };
    serde_json::to_string(&t).expect("truth json")
}

/// Per-format counts and sizes of what was written.
#[derive(Debug, Default)]
pub struct Stats {
    /// (format, sizes in bytes)
    pub sizes: Vec<(&'static str, Vec<usize>)>,
    pub inconsistent: usize,
    pub findings: usize,
}

/// Generates the corpus into `cfg.out`.
pub fn run(cfg: &Config) -> std::io::Result<Stats> {
    write(cfg, plan(cfg))
}

/// Generates an archive-mode corpus (see [`archive`]) into `cfg.out`.
pub fn run_archive(cfg: &Config, opts: &archive::ArchiveOpts) -> std::io::Result<Stats> {
    write(cfg, archive::plan(cfg, opts))
}

fn write(cfg: &Config, reports: Vec<Report>) -> std::io::Result<Stats> {
    std::fs::create_dir_all(&cfg.out)?;
    let dirs: BTreeSet<PathBuf> = reports
        .iter()
        .filter_map(|r| Path::new(&r.file).parent().map(|p| cfg.out.join(p)))
        .collect();
    for d in &dirs {
        std::fs::create_dir_all(d)?;
    }
    let sizes: Vec<usize> = reports
        .par_iter()
        .map(|r| {
            let bytes = render(r);
            std::fs::write(cfg.out.join(&r.file), &bytes)?;
            Ok(bytes.len())
        })
        .collect::<std::io::Result<Vec<usize>>>()?;
    let mut truth = std::io::BufWriter::new(std::fs::File::create(cfg.out.join("truth.jsonl"))?);
    for r in &reports {
        truth.write_all(truth_line(r).as_bytes())?;
        truth.write_all(b"\n")?;
    }
    truth.flush()?;
    let mut stats = Stats::default();
    for f in ["html", "docx", "xlsx", "text"] {
        let v: Vec<usize> = reports
            .iter()
            .zip(&sizes)
            .filter(|(r, _)| r.format.key() == f)
            .map(|(_, s)| *s)
            .collect();
        stats.sizes.push((f, v));
    }
    stats.inconsistent = reports.iter().filter(|r| !r.findings.is_empty()).count();
    stats.findings = reports.iter().map(|r| r.findings.len()).sum();
    Ok(stats)
}
