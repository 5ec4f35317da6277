//! The batch: converting each input in isolation (a panic or an error fails
//! that file only) and feeding results to the writers in the sorted input
//! order, whatever the thread count.

use std::path::Path;

use rayon::prelude::*;
use serde::Serialize;

use crate::inputs::{Content, Job};
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
    pub source: String,
    pub outcome: Outcome,
    /// Present when the bytes were read.
    pub fingerprint: Option<Fingerprint>,
}

impl FileResult {
    pub fn new(source: String, outcome: Outcome, fingerprint: Option<Fingerprint>) -> Self {
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
/// checks here, and either becomes a failed result for this file only. The
/// error carries the detected format when detection got that far.
pub fn convert_bytes(bytes: &[u8], source: &str, limits: &Limits) -> Result<Report, ReadError> {
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
}

/// Converts one job. `done` says whether a source with these bytes was
/// already converted by an earlier run (`--resume`); such jobs give `None`.
pub fn convert_job(
    job: Job,
    limits: &Limits,
    done: &(dyn Fn(&str, u64, &str) -> bool + Sync),
) -> Option<FileResult> {
    let Job { source, content } = job;
    let bytes = match content {
        Content::Skip(reason) => {
            return Some(FileResult::new(source, Outcome::Skipped { reason }, None))
        }
        Content::Fail(err) => return Some(FileResult::new(source, Outcome::failed(&err), None)),
        Content::Bytes(bytes) => bytes,
        Content::Path(path) => match read_limited(&path, limits.max_file_bytes) {
            Ok(bytes) => bytes,
            Err(err) => return Some(FileResult::new(source, Outcome::failed(&err), None)),
        },
    };
    let fingerprint = Fingerprint::of(&bytes);
    if done(&source, fingerprint.size, &fingerprint.hash) {
        return None;
    }
    let outcome = match convert_bytes(&bytes, &source, limits) {
        Ok(report) => Outcome::Converted(Box::new(report)),
        Err(err) => Outcome::failed(&err),
    };
    Some(FileResult::new(source, outcome, Some(fingerprint)))
}

/// Reads a file, refusing one over the size limit before reading it.
fn read_limited(path: &Path, max: u64) -> Result<Vec<u8>, ReadError> {
    let unreadable = |e: std::io::Error| {
        ReadError::new(ErrorKind::Unreadable, format!("cannot be read: {e}")).caused_by(e)
    };
    let meta = std::fs::metadata(path).map_err(unreadable)?;
    if meta.len() > max {
        return Err(ReadError::over_limit(format!(
            "file is {} bytes, the limit is {max} bytes",
            meta.len()
        )));
    }
    std::fs::read(path).map_err(unreadable)
}

/// Converts `jobs` on the current rayon pool, handing results to `sink` in
/// input order. At most `window` jobs are in flight (read, converting, or
/// waiting to be written), so memory stays flat however large the archive;
/// archive members arrive already read, so a window also stops taking jobs
/// once the members it holds reach `Limits::max_inflated_bytes` (otherwise a
/// small tar.gz of large members would hold `window` times the file limit).
pub fn run_batch<E>(
    jobs: impl Iterator<Item = Job>,
    limits: &Limits,
    window: usize,
    done: &(dyn Fn(&str, u64, &str) -> bool + Sync),
    mut sink: impl FnMut(Option<FileResult>) -> Result<(), E>,
) -> Result<(), E> {
    let mut jobs = jobs.peekable();
    while jobs.peek().is_some() {
        let mut chunk: Vec<Job> = Vec::new();
        let mut held = 0u64;
        while chunk.len() < window.max(1) && held < limits.max_inflated_bytes {
            let Some(job) = jobs.next() else { break };
            if let Content::Bytes(bytes) = &job.content {
                held += bytes.len() as u64;
            }
            chunk.push(job);
        }
        let results: Vec<Option<FileResult>> = chunk
            .into_par_iter()
            .map(|job| convert_job(job, limits, done))
            .collect();
        for result in results {
            sink(result)?;
        }
    }
    Ok(())
}
