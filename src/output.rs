//! Writers for the output folder: `reports.jsonl`, `cells.csv`,
//! `findings.csv` and `files.csv`.
//!
//! Each file is written under a temporary name and renamed into place only
//! when the batch finishes, so a killed run never leaves a file that looks
//! complete but is not.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use crate::pipeline::{FileResult, Outcome};
use crate::report::{Report, Severity};

pub const REPORTS: &str = "reports.jsonl";
pub const CELLS: &str = "cells.csv";
pub const FINDINGS: &str = "findings.csv";
pub const FILES: &str = "files.csv";

pub const CELLS_HEADER: [&str; 10] = ["source", "agency", "year", "template", "table", "row", "column", "value", "raw", "location"];
pub const FINDINGS_HEADER: [&str; 12] =
    ["source", "agency", "year", "rule", "severity", "table", "row", "column", "expected", "actual", "message", "fingerprint"];
pub const FILES_HEADER: [&str; 4] = ["source", "format", "status", "reason"];

#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    #[error("cannot write to {path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
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
}

impl Summary {
    fn record(&mut self, result: &FileResult) {
        self.seen += 1;
        match &result.outcome {
            Outcome::Converted(report) => {
                self.converted += 1;
                if !report.findings.is_empty() {
                    self.with_findings += 1;
                }
                for f in &report.findings {
                    match f.severity {
                        Severity::Error => self.errors += 1,
                        Severity::Incomplete => self.incomplete += 1,
                        Severity::Warning => self.warnings += 1,
                    }
                }
            }
            Outcome::Failed { reason, .. } => self.failed.push((result.source.clone(), reason.clone())),
            Outcome::Skipped { .. } => self.skipped += 1,
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
        s += &format!(
            "{} reports with findings: {} error, {} incomplete, {} warning\n",
            self.with_findings, self.errors, self.incomplete, self.warnings
        );
        const SHOWN: usize = 10;
        for (source, reason) in self.failed.iter().take(SHOWN) {
            s += &format!("  failed: {source}: {reason}\n");
        }
        if self.failed.len() > SHOWN {
            s += &format!("  … and {} more failed files, listed in files.csv\n", self.failed.len() - SHOWN);
        }
        s += &format!("output: {}\n", out_dir.display());
        s
    }
}

/// The four output files of one run.
pub struct OutputWriter {
    dir: PathBuf,
    reports: BufWriter<File>,
    cells: csv::Writer<BufWriter<File>>,
    findings: csv::Writer<BufWriter<File>>,
    files: csv::Writer<BufWriter<File>>,
    pub summary: Summary,
}

fn partial(dir: &Path, name: &str) -> PathBuf {
    dir.join(format!(".{name}.partial"))
}

impl OutputWriter {
    pub fn create(dir: &Path) -> Result<Self, OutputError> {
        std::fs::create_dir_all(dir).map_err(|source| OutputError::Io { path: dir.to_path_buf(), source })?;
        let open = |name: &str| -> Result<BufWriter<File>, OutputError> {
            let path = partial(dir, name);
            File::create(&path).map(BufWriter::new).map_err(|source| OutputError::Io { path, source })
        };
        let csv_with = |name: &str, header: &[&str]| -> Result<csv::Writer<BufWriter<File>>, OutputError> {
            let mut w = csv::Writer::from_writer(open(name)?);
            w.write_record(header).map_err(|source| OutputError::Csv { path: partial(dir, name), source })?;
            Ok(w)
        };
        Ok(OutputWriter {
            dir: dir.to_path_buf(),
            reports: open(REPORTS)?,
            cells: csv_with(CELLS, &CELLS_HEADER)?,
            findings: csv_with(FINDINGS, &FINDINGS_HEADER)?,
            files: csv_with(FILES, &FILES_HEADER)?,
            summary: Summary::default(),
        })
    }

    fn csv_err(&self, name: &str) -> impl Fn(csv::Error) -> OutputError + '_ {
        let path = self.dir.join(name);
        move |source| OutputError::Csv { path: path.clone(), source }
    }

    /// Writes one file's result to every output.
    pub fn write(&mut self, result: &FileResult) -> Result<(), OutputError> {
        self.summary.record(result);
        let (format, reason) = match &result.outcome {
            Outcome::Converted(report) => {
                self.write_report(report)?;
                (report.format.as_str(), String::new())
            }
            Outcome::Failed { format, reason } => (format.map_or("", |f| f.as_str()), reason.clone()),
            Outcome::Skipped { reason } => ("", reason.clone()),
        };
        let status = result.status();
        self.files
            .write_record([result.source.as_str(), format, status.as_str(), reason.as_str()])
            .map_err(self.csv_err(FILES))?;
        Ok(())
    }

    fn write_report(&mut self, report: &Report) -> Result<(), OutputError> {
        let line = serde_json::to_string(report).expect("reports serialize: all keys are strings");
        let io = |source| OutputError::Io { path: self.dir.join(REPORTS), source };
        self.reports.write_all(line.as_bytes()).map_err(io)?;
        self.reports.write_all(b"\n").map_err(|source| OutputError::Io { path: self.dir.join(REPORTS), source })?;
        for record in cell_records(report) {
            self.cells.write_record(&record).map_err(self.csv_err(CELLS))?;
        }
        for record in finding_records(report) {
            self.findings.write_record(&record).map_err(self.csv_err(FINDINGS))?;
        }
        Ok(())
    }

    /// Flushes everything and moves the files into place.
    pub fn finish(mut self) -> Result<Summary, OutputError> {
        let dir = self.dir.clone();
        let io = |name: &str| {
            let path = dir.join(name);
            move |source| OutputError::Io { path, source }
        };
        self.reports.flush().map_err(io(REPORTS))?;
        self.cells.flush().map_err(io(CELLS))?;
        self.findings.flush().map_err(io(FINDINGS))?;
        self.files.flush().map_err(io(FILES))?;
        for name in [REPORTS, CELLS, FINDINGS, FILES] {
            std::fs::rename(partial(&dir, name), dir.join(name)).map_err(io(name))?;
        }
        Ok(self.summary)
    }
}

fn year_text(report: &Report) -> String {
    report.year.map(|y| y.to_string()).unwrap_or_default()
}

/// One CSV record per table cell.
pub fn cell_records(report: &Report) -> Vec<[String; 10]> {
    let mut out = Vec::new();
    for key in crate::templates::TableKey::ALL {
        let Some(table) = report.tables.get(key) else { continue };
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
                f.expected.as_ref().map(|q| q.to_string()).unwrap_or_default(),
                f.actual.as_ref().map(|q| q.to_string()).unwrap_or_default(),
                f.message.clone(),
                f.fingerprint.clone(),
            ]
        })
        .collect()
}
