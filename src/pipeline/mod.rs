//! The batch: converting each input in isolation (a panic or an error fails
//! that file only) and feeding results to the writers in the sorted input
//! order, whatever the thread count.
//!
//! The batch itself is a bounded ordered pipeline ([`batch`]): no window
//! barrier, results written in input order as they come.
//!
//! Memory: at most `window` jobs are in flight, and at most
//! `Limits::max_inflated_bytes` of input bytes, counting files on disk by
//! their size as well as archive members (32 files of 60 MB at 2 threads
//! held 2.18 GB when only members were counted). Files are read counting
//! bytes, never trusting the reported size (a `/proc` file reports 0 and a
//! device reads forever).

mod batch;
mod panic;
mod run;

use std::io::Read;
use std::path::Path;

use serde::Serialize;

pub use batch::{run_batch, run_batch_with, Batch};
pub use panic::{install_panic_hook, interrupted, request_interrupt};
pub use run::{run_convert, ConvertOptions, RunError, RunOutcome};

use crate::inputs::{Content, Job, SourceId};
use crate::readers::{self, ErrorKind, Format, Limits, ReadError};
use crate::report::Report;
use crate::{checks, recognize};

/// What happened to one input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Converted,
    Failed,
    Skipped,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Converted => "converted",
            Status::Failed => "failed",
            Status::Skipped => "skipped",
        }
    }
}

/// The result for one input file, in the order inputs were listed.
#[derive(Debug)]
pub enum Outcome {
    Converted(Box<Report>),
    Failed {
        /// The format detected before the failure, if detection got there.
        format: Option<Format>,
        /// What kind of failure (`files.csv`'s `error` column).
        error: ErrorKind,
        reason: String,
    },
    Skipped {
        reason: String,
    },
}

impl Outcome {
    /// The failed outcome for a read error: its format, kind and message.
    pub fn failed(err: &ReadError) -> Self {
        Outcome::Failed {
            format: err.format(),
            error: err.kind(),
            reason: err.to_string(),
        }
    }
}

/// Size and content hash of an input, to tell on `--resume` whether it
/// changed since it was converted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fingerprint {
    pub size: u64,
    pub hash: String,
}

impl Fingerprint {
    pub fn of(bytes: &[u8]) -> Self {
        Fingerprint {
            size: bytes.len() as u64,
            hash: format!("{:016x}", xxhash_rust::xxh3::xxh3_64(bytes)),
        }
    }
}

#[derive(Debug)]
pub struct FileResult {
    pub source: SourceId,
    pub outcome: Outcome,
    /// Present when the bytes were read.
    pub fingerprint: Option<Fingerprint>,
}

impl FileResult {
    pub fn new(source: SourceId, outcome: Outcome, fingerprint: Option<Fingerprint>) -> Self {
        FileResult {
            source,
            outcome,
            fingerprint,
        }
    }

    pub fn status(&self) -> Status {
        match self.outcome {
            Outcome::Converted(_) => Status::Converted,
            Outcome::Failed { .. } => Status::Failed,
            Outcome::Skipped { .. } => Status::Skipped,
        }
    }
}

/// Converts one file's bytes: read, recognize, check. Never panics: a panic
/// in the readers is caught by `read_document`, one in recognition or the
/// checks here, and either becomes a failed result for this file only (the
/// panic hook stays silent for both, see [`panic`]). The error carries the
/// detected format when detection got that far.
pub fn convert_bytes(bytes: &[u8], source: &str, limits: &Limits) -> Result<Report, ReadError> {
    let converted = panic::quietly(|| -> Result<Report, ReadError> {
        let (format, doc) = readers::read_document(bytes, limits)?;
        let run = || {
            let mut report = recognize::recognize(&doc, source, format);
            checks::run(&mut report);
            report
        };
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(run)).map_err(|payload| {
            ReadError::panic(format!(
                "recognition: {}",
                readers::panic_message(payload.as_ref())
            ))
            .in_format(format)
        })
    });
    converted
        .unwrap_or_else(|payload| Err(ReadError::panic(readers::panic_message(payload.as_ref()))))
}

/// Whether an earlier run (`--resume`) already converted a source with
/// these bytes (size and hash).
pub type Done<'a> = dyn Fn(&SourceId, &Fingerprint) -> bool + Sync + 'a;

/// What became of one job.
#[derive(Debug)]
pub enum JobResult {
    /// Converted, failed or skipped in this run.
    Fresh(FileResult),
    /// Unchanged since an earlier run that converted it: not redone.
    Reused(SourceId),
    /// Not started: the run was interrupted.
    Interrupted,
}

/// Converts one job.
pub fn convert_job(job: Job, limits: &Limits, done: &Done<'_>) -> JobResult {
    if interrupted() {
        return JobResult::Interrupted;
    }
    let Job { source, content } = job;
    let failed = |source, err: ReadError| {
        JobResult::Fresh(FileResult::new(source, Outcome::failed(&err), None))
    };
    let bytes = match content {
        Content::Skip(reason) => {
            return JobResult::Fresh(FileResult::new(source, Outcome::Skipped { reason }, None))
        }
        Content::Fail(reason) => return failed(source, reason),
        Content::Bytes(bytes) => bytes,
        Content::Path { path, .. } => match read_limited(&path, limits.max_file_bytes) {
            Ok(bytes) => bytes,
            Err(reason) => return failed(source, reason),
        },
    };
    let fingerprint = Fingerprint::of(&bytes);
    if done(&source, &fingerprint) {
        return JobResult::Reused(source);
    }
    let outcome = match convert_bytes(&bytes, &source.to_string(), limits) {
        Ok(report) if !looks_like_a_report(&report) => Outcome::Skipped {
            reason: NOT_A_REPORT.into(),
        },
        Ok(report) => Outcome::Converted(Box::new(report)),
        Err(err) => Outcome::failed(&err),
    };
    JobResult::Fresh(FileResult::new(source, outcome, Some(fingerprint)))
}

/// The reason given for a document that holds no report at all.
pub const NOT_A_REPORT: &str =
    "not an annual report: no title, no section and no template table (an error or login page?)";

/// A document with no title, no section heading and no template table (a
/// crawler's 404 page saved as `report.docx`, a login page) is not a report;
/// a report whose tables are missing still has its title or sections.
fn looks_like_a_report(report: &Report) -> bool {
    let s = &report.sections;
    let any_section = [
        &s.overview,
        &s.active_disclosure,
        &s.requests,
        &s.review_litigation,
        &s.problems,
        &s.other,
    ]
    .iter()
    .any(|x| x.is_some());
    report.title.is_some()
        || any_section
        || report.template != crate::templates::TemplateId::Unknown
}

/// Reads a regular file, counting bytes while reading (the reported size can
/// lie). Opened non-blocking and checked after opening, so a FIFO swapped in
/// after the walk cannot block a worker.
fn read_limited(path: &Path, max: u64) -> Result<Vec<u8>, ReadError> {
    use std::os::unix::fs::OpenOptionsExt;
    let unreadable = |e: std::io::Error| {
        ReadError::new(ErrorKind::Unreadable, format!("cannot be read: {e}")).caused_by(e)
    };
    let file = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)
        .map_err(unreadable)?;
    let meta = file.metadata().map_err(unreadable)?;
    if !meta.is_file() {
        return Err(ReadError::new(
            ErrorKind::Unreadable,
            "not a regular file: not read",
        ));
    }
    if meta.len() > max {
        return Err(ReadError::over_limit(format!(
            "file is {} bytes, the limit is {max} bytes",
            meta.len()
        )));
    }
    let mut bytes = Vec::new();
    file.take(max + 1)
        .read_to_end(&mut bytes)
        .map_err(unreadable)?;
    if bytes.len() as u64 > max {
        return Err(ReadError::over_limit(format!(
            "file reads past {max} bytes (its reported size was {}), the limit is {max} bytes",
            meta.len()
        )));
    }
    Ok(bytes)
}

/// Every sample under `samples/` that converts, with its source name, in
/// file-name order: for unit tests that hold two ways of doing one thing
/// equal on real inputs.
#[cfg(test)]
pub(crate) fn sample_reports() -> Vec<(String, crate::report::Report)> {
    let samples = concat!(env!("CARGO_MANIFEST_DIR"), "/samples");
    let mut out = Vec::new();
    for entry in walkdir::WalkDir::new(samples).sort_by_file_name() {
        let entry = entry.expect("samples/ is readable");
        if !entry.file_type().is_file() {
            continue;
        }
        let bytes = std::fs::read(entry.path()).expect("a sample is readable");
        let source = entry.path().display().to_string();
        if let Ok(report) = convert_bytes(&bytes, &source, &Default::default()) {
            out.push((source, report));
        }
    }
    out
}

/// Makes `cell` the hardest to carry through a report's JSON unchanged: a
/// decimal that is not short in binary (0.1 + 0.2), a glued-digit reading
/// and a PDF location with its box.
#[cfg(test)]
pub(crate) fn make_hard_to_round_trip(cell: &mut crate::report::Cell) {
    cell.value = Some(crate::values::Number::Decimal(0.1 + 0.2));
    cell.reading = crate::report::Reading::GluedDigits;
    cell.location = crate::document::SourceLocation::Pdf {
        table: 1,
        row: 2,
        col: 3,
        page: 4,
        bbox: [0.1, 10.35, 20.75, 30.95],
    };
}
