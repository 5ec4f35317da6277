//! Writers for the output folder: `reports.jsonl`, `cells.csv`,
//! `findings.csv` and `files.csv`.
//!
//! Results go first to an append-only journal, flushed per file, so a killed
//! run loses nothing it finished and `--resume` can continue it. The four
//! output files are then built from the journal, each under a temporary name
//! renamed into place only when complete, so a killed run never leaves a file
//! that looks complete but is not.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::pipeline::{FileResult, Outcome, Status};
use crate::report::{Report, Severity};

pub const REPORTS: &str = "reports.jsonl";
pub const CELLS: &str = "cells.csv";
pub const FINDINGS: &str = "findings.csv";
pub const FILES: &str = "files.csv";

pub const CELLS_HEADER: [&str; 10] = [
    "source", "agency", "year", "template", "table", "row", "column", "value", "raw", "location",
];
pub const FINDINGS_HEADER: [&str; 12] = [
    "source",
    "agency",
    "year",
    "rule",
    "severity",
    "table",
    "row",
    "column",
    "expected",
    "actual",
    "message",
    "fingerprint",
];
pub const FILES_HEADER: [&str; 5] = ["source", "format", "status", "reason", "error"];

#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    #[error("cannot write to {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot write CSV to {path}: {source}")]
    Csv { path: PathBuf, source: csv::Error },
}

/// Counts for the end-of-run summary.
#[derive(Debug, Default, Clone)]
pub struct Summary {
    pub seen: usize,
    pub converted: usize,
    pub skipped: usize,
    pub failed: Vec<(String, String)>,
    pub with_findings: usize,
    pub errors: usize,
    pub incomplete: usize,
    pub warnings: usize,
    /// Files already converted by an earlier run (`--resume`), not redone.
    pub reused: usize,
}

impl Summary {
    fn record(&mut self, record: &Record) {
        self.seen += 1;
        match record.status {
            Status::Converted => {
                self.converted += 1;
                let [e, i, w] = record.severities;
                if e + i + w > 0 {
                    self.with_findings += 1;
                }
                self.errors += e;
                self.incomplete += i;
                self.warnings += w;
            }
            Status::Failed => self
                .failed
                .push((record.source.clone(), record.reason.clone())),
            Status::Skipped => self.skipped += 1,
        }
    }

    /// The one-screen summary printed at the end of a run.
    pub fn render(&self, out_dir: &Path) -> String {
        let mut s = format!(
            "{} files seen: {} converted, {} failed, {} skipped\n",
            self.seen,
            self.converted,
            self.failed.len(),
            self.skipped
        );
        if self.reused > 0 {
            s += &format!(
                "({} of them unchanged since an earlier run, not converted again)\n",
                self.reused
            );
        }
        s += &format!(
            "{} reports with findings: {} error, {} incomplete, {} warning\n",
            self.with_findings, self.errors, self.incomplete, self.warnings
        );
        const SHOWN: usize = 10;
        for (source, reason) in self.failed.iter().take(SHOWN) {
            s += &format!("  failed: {source}: {reason}\n");
        }
        if self.failed.len() > SHOWN {
            s += &format!(
                "  … and {} more failed files, listed in files.csv\n",
                self.failed.len() - SHOWN
            );
        }
        s += &format!("output: {}\n", out_dir.display());
        s
    }
}

/// One input's result, rendered to every output's lines. The journal holds
/// one record per line; the output files are built from it.
#[derive(Debug, Serialize, Deserialize)]
pub struct Record {
    pub source: String,
    pub size: Option<u64>,
    pub hash: Option<String>,
    pub format: String,
    pub status: Status,
    pub reason: String,
    /// The failure's kind (`ErrorKind::as_str`), empty unless failed.
    #[serde(default)]
    pub error: String,
    /// The report's JSON line.
    pub report: Option<String>,
    /// `cells.csv` lines of this input, already CSV-encoded.
    pub cells: String,
    /// `findings.csv` lines of this input, already CSV-encoded.
    pub findings: String,
    /// Findings by severity: error, incomplete, warning.
    pub severities: [usize; 3],
}

impl Record {
    pub fn from_result(result: &FileResult) -> Self {
        let (size, hash) = result
            .fingerprint
            .as_ref()
            .map_or((None, None), |f| (Some(f.size), Some(f.hash.clone())));
        let mut record = Record {
            source: result.source.clone(),
            size,
            hash,
            format: String::new(),
            status: result.status(),
            reason: String::new(),
            error: String::new(),
            report: None,
            cells: String::new(),
            findings: String::new(),
            severities: [0; 3],
        };
        match &result.outcome {
            Outcome::Converted(report) => {
                record.format = report.format.as_str().to_string();
                record.report = Some(
                    serde_json::to_string(report).expect("reports serialize: all keys are strings"),
                );
                record.cells = csv_lines(cell_records(report));
                record.findings = csv_lines(finding_records(report));
                for f in &report.findings {
                    let i = match f.severity {
                        Severity::Error => 0,
                        Severity::Incomplete => 1,
                        Severity::Warning => 2,
                    };
                    record.severities[i] += 1;
                }
            }
            Outcome::Failed {
                format,
                error,
                reason,
            } => {
                record.format = format.map_or("", |f| f.as_str()).to_string();
                record.error = error.as_str().to_string();
                record.reason = reason.clone();
            }
            Outcome::Skipped { reason } => record.reason = reason.clone(),
        }
        record
    }
}

/// The append-only journal of a run (`DIR/.nianbao-journal.jsonl`). Each
/// result is appended and flushed as soon as it is written, so a killed run
/// keeps everything it finished; a torn last line is ignored on resume.
pub struct Journal {
    path: PathBuf,
    file: BufWriter<File>,
}

pub const JOURNAL: &str = ".nianbao-journal.jsonl";

/// What an earlier run converted: source -> (size, hash).
pub type Done = std::collections::HashMap<String, (u64, String)>;

impl Journal {
    /// Opens the journal in `dir`: fresh, or (with `resume`) continuing the
    /// existing one, returning what it already holds.
    pub fn open(dir: &Path, resume: bool) -> Result<(Journal, Done), OutputError> {
        std::fs::create_dir_all(dir).map_err(|source| OutputError::Io {
            path: dir.to_path_buf(),
            source,
        })?;
        let path = dir.join(JOURNAL);
        let io = |source| OutputError::Io {
            path: path.clone(),
            source,
        };
        let mut done = Done::new();
        if resume && path.exists() {
            let valid = read_journal(&path, |r| {
                if let (Some(size), Some(hash)) = (r.size, r.hash) {
                    done.insert(r.source, (size, hash));
                }
            })
            .map_err(io)?;
            // Cut a torn last line so appends start on a fresh line.
            let file = std::fs::OpenOptions::new()
                .write(true)
                .open(&path)
                .map_err(io)?;
            file.set_len(valid).map_err(io)?;
        } else {
            File::create(&path).map_err(io)?;
        }
        let file = std::fs::OpenOptions::new()
            .append(true)
            .open(&path)
            .map_err(io)?;
        Ok((
            Journal {
                path: path.clone(),
                file: BufWriter::new(file),
            },
            done,
        ))
    }

    pub fn append(&mut self, record: &Record) -> Result<(), OutputError> {
        let line = serde_json::to_string(record).expect("records serialize");
        let io = |source| OutputError::Io {
            path: self.path.clone(),
            source,
        };
        self.file.write_all(line.as_bytes()).map_err(io)?;
        self.file
            .write_all(b"\n")
            .map_err(|source| OutputError::Io {
                path: self.path.clone(),
                source,
            })?;
        self.file.flush().map_err(|source| OutputError::Io {
            path: self.path.clone(),
            source,
        })
    }
}

/// Calls `each` for every complete record; returns the byte length of the
/// valid prefix (a torn or unparsable line ends it).
fn read_journal(path: &Path, mut each: impl FnMut(Record)) -> std::io::Result<u64> {
    use std::io::BufRead;
    let mut reader = std::io::BufReader::new(File::open(path)?);
    let mut valid = 0u64;
    let mut line = String::new();
    loop {
        line.clear();
        let n = reader.read_line(&mut line)?;
        if n == 0 || !line.ends_with('\n') {
            break;
        }
        match serde_json::from_str::<Record>(&line) {
            Ok(record) => each(record),
            Err(_) => break,
        }
        valid += n as u64;
    }
    Ok(valid)
}

fn partial(dir: &Path, name: &str) -> PathBuf {
    dir.join(format!(".{name}.partial"))
}

/// Builds the four output files from the journal, each under a temporary
/// name renamed into place when complete. When a source appears more than
/// once (it changed between runs), its last record wins.
///
/// `dedupe` is needed only after `--resume`; a fresh journal holds each
/// source once, and skipping the extra pass halves the work.
pub fn finalize(dir: &Path, dedupe: bool) -> Result<Summary, OutputError> {
    let journal = dir.join(JOURNAL);
    let jio = |source| OutputError::Io {
        path: journal.clone(),
        source,
    };
    let mut last: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    if dedupe {
        #[derive(Deserialize)]
        struct SourceOnly {
            source: String,
        }
        let file = std::io::BufReader::new(File::open(&journal).map_err(jio)?);
        for (index, line) in std::io::BufRead::lines(file).enumerate() {
            let Ok(line) = line else { break };
            let Ok(r) = serde_json::from_str::<SourceOnly>(&line) else {
                break;
            };
            last.insert(r.source, index);
        }
    }

    let open = |name: &str| -> Result<BufWriter<File>, OutputError> {
        let path = partial(dir, name);
        File::create(&path)
            .map(BufWriter::new)
            .map_err(|source| OutputError::Io { path, source })
    };
    let csv_err = |name: &str| {
        let path = dir.join(name);
        move |source| OutputError::Csv { path, source }
    };
    let io = |name: &str| {
        let path = dir.join(name);
        move |source| OutputError::Io { path, source }
    };
    let mut reports = open(REPORTS)?;
    let mut cells = open(CELLS)?;
    let mut findings = open(FINDINGS)?;
    let mut files = csv::Writer::from_writer(open(FILES)?);
    cells
        .write_all(csv_lines(vec![CELLS_HEADER.map(String::from)]).as_bytes())
        .map_err(io(CELLS))?;
    findings
        .write_all(csv_lines(vec![FINDINGS_HEADER.map(String::from)]).as_bytes())
        .map_err(io(FINDINGS))?;
    files.write_record(FILES_HEADER).map_err(csv_err(FILES))?;

    let mut summary = Summary::default();
    let mut error: Option<OutputError> = None;
    let mut index = 0;
    read_journal(&journal, |r| {
        let keep = !dedupe || last.get(&r.source) == Some(&index);
        index += 1;
        if !keep || error.is_some() {
            return;
        }
        summary.record(&r);
        let result = (|| -> Result<(), OutputError> {
            if let Some(line) = &r.report {
                let rio = |source| OutputError::Io {
                    path: dir.join(REPORTS),
                    source,
                };
                reports.write_all(line.as_bytes()).map_err(rio)?;
                reports.write_all(b"\n").map_err(|source| OutputError::Io {
                    path: dir.join(REPORTS),
                    source,
                })?;
            }
            cells.write_all(r.cells.as_bytes()).map_err(io(CELLS))?;
            findings
                .write_all(r.findings.as_bytes())
                .map_err(io(FINDINGS))?;
            files
                .write_record([&r.source, &r.format, r.status.as_str(), &r.reason, &r.error])
                .map_err(csv_err(FILES))?;
            Ok(())
        })();
        if let Err(e) = result {
            error = Some(e);
        }
    })
    .map_err(jio)?;
    if let Some(e) = error {
        return Err(e);
    }
    reports.flush().map_err(io(REPORTS))?;
    cells.flush().map_err(io(CELLS))?;
    findings.flush().map_err(io(FINDINGS))?;
    files.flush().map_err(io(FILES))?;
    drop((reports, cells, findings, files));
    for name in [REPORTS, CELLS, FINDINGS, FILES] {
        std::fs::rename(partial(dir, name), dir.join(name)).map_err(io(name))?;
    }
    Ok(summary)
}

/// CSV-encodes records into lines (the same quoting the writers use).
fn csv_lines<const N: usize>(records: Vec<[String; N]>) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    for r in &records {
        w.write_record(r).expect("writing to memory cannot fail");
    }
    String::from_utf8(w.into_inner().expect("in-memory writer"))
        .expect("CSV of UTF-8 strings is UTF-8")
}

fn year_text(report: &Report) -> String {
    report.year.map(|y| y.to_string()).unwrap_or_default()
}

/// One CSV record per table cell.
pub fn cell_records(report: &Report) -> Vec<[String; 10]> {
    let mut out = Vec::new();
    for key in crate::templates::TableKey::ALL {
        let Some(table) = report.tables.get(key) else {
            continue;
        };
        for row in &table.rows {
            for (column, cell) in &row.cells {
                out.push([
                    report.source.clone(),
                    report.agency.clone().unwrap_or_default(),
                    year_text(report),
                    report.template.as_str().to_string(),
                    key.as_str().to_string(),
                    row.key.to_string(),
                    column.to_string(),
                    cell.value.map(|v| v.to_string()).unwrap_or_default(),
                    cell.raw.clone(),
                    cell.location.to_string(),
                ]);
            }
        }
    }
    out
}

/// One CSV record per finding.
pub fn finding_records(report: &Report) -> Vec<[String; 12]> {
    report
        .findings
        .iter()
        .map(|f| {
            [
                report.source.clone(),
                report.agency.clone().unwrap_or_default(),
                year_text(report),
                f.rule.to_string(),
                f.severity.as_str().to_string(),
                f.table.map(|t| t.as_str().to_string()).unwrap_or_default(),
                f.row.clone().unwrap_or_default(),
                f.column.clone().unwrap_or_default(),
                f.expected
                    .as_ref()
                    .map(|q| q.to_string())
                    .unwrap_or_default(),
                f.actual.as_ref().map(|q| q.to_string()).unwrap_or_default(),
                f.message.clone(),
                f.fingerprint.clone(),
            ]
        })
        .collect()
}
