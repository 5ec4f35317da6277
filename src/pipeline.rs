//! The batch: which files an invocation covers, converting each one in
//! isolation (a panic or an error fails that file only), and feeding results
//! to the writers in the sorted input order, whatever the thread count.

use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::Serialize;

use crate::readers::{self, Format, Limits, ReadError};
use crate::report::Report;
use crate::{checks, recognize};

/// One file to convert.
#[derive(Debug, Clone)]
pub struct InputFile {
    /// The name written to the output: the path as found under the argument.
    pub source: String,
    pub path: PathBuf,
}

/// What happened to one input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
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
    Failed { format: Option<Format>, reason: String },
    Skipped { reason: String },
}

#[derive(Debug)]
pub struct FileResult {
    pub source: String,
    pub outcome: Outcome,
}

impl FileResult {
    pub fn status(&self) -> Status {
        match self.outcome {
            Outcome::Converted(_) => Status::Converted,
            Outcome::Failed { .. } => Status::Failed,
            Outcome::Skipped { .. } => Status::Skipped,
        }
    }
}

/// What walking the arguments found: files to convert, and entries that
/// could not be walked (loops, unreadable folders), reported as failed.
#[derive(Debug, Default)]
pub struct Inputs {
    pub files: Vec<InputFile>,
    pub problems: Vec<FileResult>,
}

/// Extensions that are never reports; such files are listed as skipped so
/// that every file is accounted for.
const NOT_REPORTS: &[&str] = &[
    "jpg", "jpeg", "png", "gif", "bmp", "webp", "svg", "ico", "css", "js", "json", "xml", "mp4", "mp3", "exe", "dll", "so",
];

/// Walks every argument (files and folders, recursively, following links
/// with loop detection) in sorted order.
pub fn collect_inputs(args: &[PathBuf]) -> Inputs {
    let mut inputs = Inputs::default();
    for arg in args {
        let walker = walkdir::WalkDir::new(arg).follow_links(true).sort_by_file_name();
        for entry in walker {
            match entry {
                Ok(e) if e.file_type().is_file() => {
                    inputs.files.push(InputFile { source: e.path().to_string_lossy().into_owned(), path: e.into_path() })
                }
                Ok(_) => {}
                Err(err) => {
                    let source = err.path().unwrap_or(arg).to_string_lossy().into_owned();
                    let reason = if err.loop_ancestor().is_some() {
                        "symbolic link loop: not followed".to_string()
                    } else {
                        format!("cannot be read: {}", err.io_error().map_or_else(|| err.to_string(), |io| io.to_string()))
                    };
                    inputs.problems.push(FileResult { source, outcome: Outcome::Failed { format: None, reason } });
                }
            }
        }
    }
    inputs
}

/// Why a file is skipped without being read, if it is.
fn skip_reason(path: &Path) -> Option<String> {
    let name = path.file_name()?.to_string_lossy();
    if name.starts_with('.') {
        return Some("hidden file".into());
    }
    let ext = path.extension()?.to_string_lossy().to_ascii_lowercase();
    NOT_REPORTS.contains(&ext.as_str()).then(|| format!("not a report format (.{ext})"))
}

/// Converts one file's bytes: read, recognize, check. Never panics: a panic
/// anywhere inside becomes a failed result for this file only.
pub fn convert_bytes(bytes: &[u8], source: &str, limits: &Limits) -> Result<Report, (Option<Format>, ReadError)> {
    let run = || -> Result<Report, (Option<Format>, ReadError)> {
        let (format, doc) = readers::read_document(bytes, limits).map_err(|e| (None, e))?;
        let mut report = recognize::recognize(&doc, source, format);
        checks::run(&mut report);
        Ok(report)
    };
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(run)) {
        Ok(result) => result,
        Err(payload) => Err((None, ReadError::Panic(panic_message(&payload)))),
    }
}

fn panic_message(payload: &Box<dyn std::any::Any + Send>) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".into())
}

/// Converts one input file.
pub fn convert_file(input: &InputFile, limits: &Limits) -> FileResult {
    let source = input.source.clone();
    if let Some(reason) = skip_reason(&input.path) {
        return FileResult { source, outcome: Outcome::Skipped { reason } };
    }
    let outcome = match read_limited(&input.path, limits.max_file_bytes) {
        Err(reason) => Outcome::Failed { format: None, reason },
        Ok(bytes) => match convert_bytes(&bytes, &source, limits) {
            Ok(report) => Outcome::Converted(Box::new(report)),
            Err((format, err)) => Outcome::Failed { format, reason: err.to_string() },
        },
    };
    FileResult { source, outcome }
}

/// Reads a file, refusing one over the size limit before reading it.
fn read_limited(path: &Path, max: u64) -> Result<Vec<u8>, String> {
    let meta = std::fs::metadata(path).map_err(|e| format!("cannot be read: {e}"))?;
    if meta.len() > max {
        return Err(format!("over the limit: file is {} bytes, the limit is {max} bytes", meta.len()));
    }
    std::fs::read(path).map_err(|e| format!("cannot be read: {e}"))
}

/// Converts `inputs` on the current rayon pool, handing results to `sink` in
/// input order. At most `window` files are in flight, so memory stays flat
/// however large the archive.
pub fn run_batch(
    inputs: &[InputFile],
    limits: &Limits,
    window: usize,
    mut sink: impl FnMut(FileResult) -> std::io::Result<()>,
) -> std::io::Result<()> {
    for chunk in inputs.chunks(window.max(1)) {
        let results: Vec<FileResult> = chunk.par_iter().map(|input| convert_file(input, limits)).collect();
        for result in results {
            sink(result)?;
        }
    }
    Ok(())
}
