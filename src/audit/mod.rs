//! The auditor's view: `nianbao audit DIR` turns a convert output folder
//! into `DIR/audit/index.html`, a page that opens from the file system (no
//! server, no network) and shows every report, every finding on its
//! report's tables with the cells involved highlighted, and a review
//! workflow whose decisions are exported as `reviews.csv`.
//!
//! Why it is built this way:
//! - Browsers refuse `fetch` on `file://`, so the data is written as script
//!   files (`data/*.js`) that the page adds one by one; each calls a loader
//!   function with its part.
//! - The index must stay usable at 100,000 reports: index rows are compact
//!   arrays in chunks of [`INDEX_CHUNK`] (a generated 100,000-report archive
//!   makes about 25 MB of index, loaded chunk by chunk while the first rows
//!   already show), and the list draws only the rows in view. A report's
//!   tables are in detail chunks of [`DETAIL_CHUNK`], loaded when opened.
//! - The page's CSS and JS are hand-written files under `assets/`, compiled
//!   in with `include_str!`: no CDN, no framework, nothing to download.
//! - Lines of `reports.jsonl` that do not parse are listed on the page and in
//!   the summary, never fatal: one torn line must not hide 99,999 reports.

mod data;
mod region;
pub mod reviews;

use std::collections::{HashMap, HashSet};
use std::io::BufRead;
use std::path::{Path, PathBuf};

use serde_json::{json, Value};

use crate::output::{FILES, FINDINGS, REPORTS};

/// Index rows per `data/index-N.js` (about 250 bytes each).
pub const INDEX_CHUNK: usize = 5000;
/// Reports per `data/reports-N.js`: one chunk is what opening a report costs
/// (a report with its three tables is 10–30 KB of JSON).
pub const DETAIL_CHUNK: usize = 50;
/// The optional coverage matrix written by the cross-report rules.
pub const COVERAGE: &str = "coverage.csv";

const PAGE: &str = include_str!("assets/index.html");
const CSS: &str = include_str!("assets/audit.css");
const JS: &str = include_str!("assets/audit.js");

#[derive(Debug, thiserror::Error)]
pub enum AuditError {
    #[error("{dir} is not a convert output folder: {missing} is missing (run `nianbao convert … --out {dir}` first)")]
    NotAConvertFolder { dir: PathBuf, missing: &'static str },
    #[error("cannot read {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot write {path}: {source}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot read {path}: {source}")]
    Csv { path: PathBuf, source: csv::Error },
    #[error(transparent)]
    Reviews(#[from] reviews::ReviewError),
}

/// What `nianbao audit` wrote, for its one-screen summary.
#[derive(Debug, Default)]
pub struct AuditSummary {
    pub page: PathBuf,
    pub reports: usize,
    pub findings: usize,
    /// Findings in findings.csv that belong to no report line (cross-report
    /// rules), shown in their own list.
    pub other_findings: usize,
    /// Lines of reports.jsonl that did not parse, with the reason.
    pub bad_lines: Vec<String>,
    pub reviews: usize,
    /// Decisions whose finding no longer exists: listed on the page.
    pub orphan_reviews: usize,
    pub refused_reviews: Vec<String>,
    pub coverage: bool,
}

impl AuditSummary {
    pub fn render(&self) -> String {
        let mut s = format!(
            "{} reports, {} findings ({} not tied to one report)\n",
            self.reports, self.findings, self.other_findings
        );
        if self.coverage {
            s += "coverage matrix: from coverage.csv\n";
        }
        for line in self.bad_lines.iter().take(10) {
            s += &format!("  unreadable: {line}\n");
        }
        if self.reviews > 0 || !self.refused_reviews.is_empty() {
            s += &format!(
                "{} review decisions read, {} of them for findings that no longer exist\n",
                self.reviews, self.orphan_reviews
            );
        }
        for r in &self.refused_reviews {
            s += &format!("  review refused: {r}\n");
        }
        s += &format!("open: {}\n", self.page.display());
        s
    }
}

/// Writes `DIR/audit/` from the convert output in `dir`.
pub fn run(dir: &Path, reviews_file: Option<&Path>) -> Result<AuditSummary, AuditError> {
    for name in [REPORTS, FINDINGS, FILES] {
        if !dir.join(name).is_file() {
            return Err(AuditError::NotAConvertFolder {
                dir: dir.to_path_buf(),
                missing: name,
            });
        }
    }
    let reviews = match reviews_file {
        Some(p) => reviews::read(p)?,
        None => reviews::Reviews::default(),
    };
    let partial = dir.join(".audit.partial");
    if partial.exists() {
        std::fs::remove_dir_all(&partial).map_err(write_err(&partial))?;
    }
    let data_dir = partial.join("data");
    std::fs::create_dir_all(&data_dir).map_err(write_err(&data_dir))?;

    let mut summary = AuditSummary::default();
    let seen = write_reports(dir, &data_dir, &mut summary)?;
    let others = other_findings(dir, &seen)?;
    summary.other_findings = others.len();
    summary.findings += others.len();
    let files = unconverted_files(dir)?;
    let coverage = read_coverage(dir)?;
    summary.coverage = coverage.is_some();
    summary.reviews = reviews.by_fingerprint.len();
    summary.orphan_reviews = reviews
        .by_fingerprint
        .keys()
        .filter(|fp| {
            !seen.fingerprints.contains(*fp) && !others.iter().any(|o| o["fingerprint"] == **fp)
        })
        .count();
    summary.refused_reviews = reviews.refused.clone();
    let meta = json!({
        "reports": summary.reports,
        "indexChunks": summary.reports.div_ceil(INDEX_CHUNK),
        "indexChunk": INDEX_CHUNK,
        "detailChunk": DETAIL_CHUNK,
        "rules": seen.rules,
        "templates": template_labels(),
        "badLines": summary.bad_lines,
        "files": files,
        "otherFindings": others,
        "coverage": coverage,
        "reviews": reviews.by_fingerprint.values().collect::<Vec<_>>(),
        "refusedReviews": reviews.refused,
    });
    write_script(
        &data_dir.join("meta.js"),
        &format!("nbData(\"meta\", 0, {meta});\n"),
    )?;
    let page = PAGE.replace("/*CSS*/", CSS).replace("/*JS*/", JS);
    write_script(&partial.join("index.html"), &page)?;

    let out = dir.join("audit");
    if out.exists() {
        std::fs::remove_dir_all(&out).map_err(write_err(&out))?;
    }
    std::fs::rename(&partial, &out).map_err(write_err(&out))?;
    summary.page = out.join("index.html");
    Ok(summary)
}

fn write_err(path: &Path) -> impl FnOnce(std::io::Error) -> AuditError {
    let path = path.to_path_buf();
    move |source| AuditError::Write { path, source }
}

fn write_script(path: &Path, text: &str) -> Result<(), AuditError> {
    std::fs::write(path, text).map_err(write_err(path))
}

/// What the report lines held, for telling other findings and reviews apart.
#[derive(Default)]
struct Seen {
    fingerprints: HashSet<String>,
    ids: HashMap<String, usize>,
    rules: Vec<String>,
}

/// A `data/NAME-N.js` file written as its items arrive.
struct Chunks {
    dir: PathBuf,
    name: &'static str,
    size: usize,
    items: Vec<String>,
    written: usize,
}

impl Chunks {
    fn new(dir: &Path, name: &'static str, size: usize) -> Self {
        Chunks {
            dir: dir.to_path_buf(),
            name,
            size,
            items: Vec::new(),
            written: 0,
        }
    }

    fn push(&mut self, item: &Value) -> Result<(), AuditError> {
        self.items.push(item.to_string());
        if self.items.len() == self.size {
            self.flush()?;
        }
        Ok(())
    }

    fn flush(&mut self) -> Result<(), AuditError> {
        if self.items.is_empty() {
            return Ok(());
        }
        let path = self.dir.join(format!("{}-{}.js", self.name, self.written));
        let text = format!(
            "nbData(\"{}\", {}, [\n{}\n]);\n",
            self.name,
            self.written,
            self.items.join(",\n")
        );
        write_script(&path, &text)?;
        self.items.clear();
        self.written += 1;
        Ok(())
    }
}

fn write_reports(dir: &Path, data: &Path, summary: &mut AuditSummary) -> Result<Seen, AuditError> {
    let path = dir.join(REPORTS);
    let read_err = |source| AuditError::Read {
        path: path.clone(),
        source,
    };
    let file = std::io::BufReader::new(std::fs::File::open(&path).map_err(read_err)?);
    let mut index = Chunks::new(data, "index", INDEX_CHUNK);
    let mut details = Chunks::new(data, "reports", DETAIL_CHUNK);
    let mut seen = Seen::default();
    let cwd = std::env::current_dir().ok();
    for (n, line) in file.lines().enumerate() {
        let line = line.map_err(|source| AuditError::Read {
            path: path.clone(),
            source,
        })?;
        if line.trim().is_empty() {
            continue;
        }
        let report: Value = match serde_json::from_str(&line) {
            Ok(v @ Value::Object(_)) => v,
            Ok(_) => {
                summary
                    .bad_lines
                    .push(format!("{REPORTS} line {}: not a JSON object", n + 1));
                continue;
            }
            Err(e) => {
                summary
                    .bad_lines
                    .push(format!("{REPORTS} line {}: {e}", n + 1));
                continue;
            }
        };
        let id = summary.reports;
        let source = report.get("source").and_then(Value::as_str).unwrap_or("");
        let href = source_href(source, dir, cwd.as_deref());
        seen.ids.insert(source.to_string(), id);
        let (row, detail) = data::report_entry(id, &report, &mut seen.rules, href);
        summary.findings += row.fingerprints.len();
        seen.fingerprints.extend(row.fingerprints);
        index.push(&row.row)?;
        details.push(&detail)?;
        summary.reports += 1;
    }
    index.flush()?;
    details.flush()?;
    Ok(seen)
}

/// A `file://` link to the source (for an archive member: the archive),
/// when the file is still where convert read it. Relative sources are tried
/// from the current folder, then from the output folder's parent.
fn source_href(source: &str, dir: &Path, cwd: Option<&Path>) -> Option<String> {
    let file = source.split('!').next().unwrap_or(source);
    let candidates = [
        cwd.map(|c| c.join(file)),
        dir.parent().map(|p| p.join(file)),
    ];
    let found = candidates
        .into_iter()
        .flatten()
        .find(|p| p.is_file())
        .and_then(|p| p.canonicalize().ok())?;
    let mut url = String::from("file://");
    for b in found.to_string_lossy().bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'/' | b'-' | b'_' | b'.' | b'~' => {
                url.push(b as char)
            }
            _ => url += &format!("%{b:02X}"),
        }
    }
    Some(url)
}

/// CSV rows as objects keyed by the header, for columns this module does not
/// know yet (e.g. a cross-report rule's extra columns).
fn csv_objects(
    path: &Path,
    mut keep: impl FnMut(&Value) -> bool,
) -> Result<Vec<Value>, AuditError> {
    let err = |source| AuditError::Csv {
        path: path.to_path_buf(),
        source,
    };
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_path(path)
        .map_err(err)?;
    let header = reader.headers().map_err(err)?.clone();
    let mut out = Vec::new();
    for record in reader.records() {
        let Ok(record) = record else { continue };
        let obj: serde_json::Map<String, Value> = header
            .iter()
            .zip(record.iter())
            .map(|(h, v)| (h.trim().to_string(), json!(v)))
            .collect();
        let obj = Value::Object(obj);
        if keep(&obj) {
            out.push(obj);
        }
    }
    Ok(out)
}

/// findings.csv rows whose fingerprint is on no report line.
fn other_findings(dir: &Path, seen: &Seen) -> Result<Vec<Value>, AuditError> {
    let mut rows = csv_objects(&dir.join(FINDINGS), |o| {
        let fp = o.get("fingerprint").and_then(Value::as_str).unwrap_or("");
        !seen.fingerprints.contains(fp)
    })?;
    for row in &mut rows {
        let source = row.get("source").and_then(Value::as_str).unwrap_or("");
        let id = seen.ids.get(source).copied();
        row["report"] = json!(id);
    }
    Ok(rows)
}

fn unconverted_files(dir: &Path) -> Result<Vec<Value>, AuditError> {
    csv_objects(&dir.join(FILES), |o| {
        o.get("status").and_then(Value::as_str) == Some("failed")
    })
}

fn read_coverage(dir: &Path) -> Result<Option<Vec<Value>>, AuditError> {
    let path = dir.join(COVERAGE);
    if !path.is_file() {
        return Ok(None);
    }
    csv_objects(&path, |_| true).map(Some)
}

/// Chinese labels of every canonical row and column, per template, so the
/// page can redraw the tables as the template prints them.
fn template_labels() -> Value {
    let mut out = serde_json::Map::new();
    for t in crate::templates::all() {
        let mut tables = serde_json::Map::new();
        for table in t.tables {
            let label = |aliases: &[&str]| aliases.first().copied().unwrap_or("").to_string();
            let rows: Vec<Value> = table
                .rows
                .iter()
                .map(|r| {
                    let group = r
                        .group
                        .and_then(|g| table.groups.iter().find(|x| x.key == g));
                    json!([
                        r.key,
                        label(r.aliases),
                        group.map(|g| label(g.aliases)),
                        r.columns
                    ])
                })
                .collect();
            let cols: Vec<Value> = table
                .columns
                .iter()
                .map(|c| json!([c.key, label(c.aliases)]))
                .collect();
            tables.insert(
                table.key.as_str().into(),
                json!({"rows": rows, "columns": cols}),
            );
        }
        out.insert(t.id.as_str().into(), Value::Object(tables));
    }
    Value::Object(out)
}
