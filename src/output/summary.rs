//! The end-of-run summary printed on the terminal. Every name and reason in
//! it passes through [`terminal_safe`]: a member named with ANSI escapes
//! must not clear the screen or forge lines.

use std::path::Path;

use super::Record;
use crate::pipeline::Status;
use crate::source::terminal_safe;

/// Failed files listed by name (the rest are counted; all are in files.csv).
const SHOWN: usize = 10;

/// Counts for the end-of-run summary.
#[derive(Debug, Default, Clone)]
pub struct Summary {
    pub seen: usize,
    pub converted: usize,
    pub skipped: usize,
    pub failed: usize,
    /// The first failed files, with their reasons.
    pub failed_shown: Vec<(String, String)>,
    pub with_findings: usize,
    pub errors: usize,
    pub incomplete: usize,
    pub warnings: usize,
    /// Files already converted by an earlier run (`--resume`), not redone.
    pub reused: usize,
    /// The cross-report stage (`src/archive`).
    pub archive: Option<crate::archive::ArchiveSummary>,
}

impl Summary {
    pub fn record(&mut self, record: &Record) {
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
            Status::Failed => {
                self.failed += 1;
                if self.failed_shown.len() < SHOWN {
                    self.failed_shown
                        .push((record.source.clone(), record.reason.clone()));
                }
            }
            Status::Skipped => self.skipped += 1,
        }
    }

    /// The one-screen summary printed at the end of a run.
    pub fn render(&self, out_dir: &Path) -> String {
        let mut s = format!(
            "{} files seen: {} converted, {} failed, {} skipped\n",
            self.seen, self.converted, self.failed, self.skipped
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
        for (source, reason) in &self.failed_shown {
            s += &format!(
                "  failed: {}: {}\n",
                terminal_safe(source),
                terminal_safe(reason)
            );
        }
        if self.failed > self.failed_shown.len() {
            s += &format!(
                "  … and {} more failed files, listed in files.csv\n",
                self.failed - self.failed_shown.len()
            );
        }
        if let Some(a) = &self.archive {
            // Escaped line by line: the line breaks are the summary's own.
            for line in a.render().lines() {
                s += &terminal_safe(line);
                s.push('\n');
            }
        }
        s += &format!(
            "output: {}\n",
            terminal_safe(&out_dir.display().to_string())
        );
        s
    }
}
