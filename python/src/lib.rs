//! `import nianbao`: the converter as a Python extension (PyO3, abi3).
//!
//! Each function returns what the CLI writes, parsed by Python's `json`
//! from the text the CLI's own serializer makes (one serializer for both,
//! so a dict from here equals the CLI's line parsed, float for float):
//!
//! - `convert_file`/`convert_bytes` return one report as converted, checked
//!   on its own: the CLI's `reports.jsonl` line without the four members the
//!   archive stage adds once all reports are known (`agency_key`,
//!   `duplicate_of`, `archive_checks`, `archive_findings`);
//! - `archive_checks(reports)` runs that stage over a list of reports and
//!   returns those members for each, so `report | members` is the CLI's line.
//!
//! Conversion runs with the GIL released, so threads and process pools
//! (Dask workers) convert in parallel; only the final `json.loads` holds it.
//!
//! Errors are exceptions carrying the error kind: each failure is a
//! subclass of `nianbao.NianbaoError` with `.kind` (the spelling of
//! `files.csv`'s `error` column, or `"skipped"` for a file the CLI lists as
//! skipped) and the message the CLI writes as the reason; a path that does
//! not exist raises the usual `FileNotFoundError`.

use std::path::PathBuf;

use pyo3::create_exception;
use pyo3::exceptions::{PyException, PyValueError};
use pyo3::prelude::*;

use nianbao_core::inputs::{self, Content, Job, SourceId};
use nianbao_core::pipeline::{self, JobResult, Outcome};
use nianbao_core::readers::{ErrorKind, Limits};
use nianbao_core::source::{display_path, normalize_arg};

create_exception!(
    nianbao,
    NianbaoError,
    PyException,
    "A file could not be converted; `.kind` names why."
);
create_exception!(
    nianbao,
    EmptyFileError,
    NianbaoError,
    "The file is empty (kind 'empty')."
);
create_exception!(
    nianbao,
    UnsupportedFormatError,
    NianbaoError,
    "Not a format nianbao reads (kind 'unsupported'), or a legacy one it recognises (kind 'legacy_format')."
);
create_exception!(
    nianbao,
    EncryptedFileError,
    NianbaoError,
    "An encrypted or password-protected file (kind 'encrypted')."
);
create_exception!(
    nianbao,
    CorruptFileError,
    NianbaoError,
    "A damaged file of a known format: truncated, bad checksum, invalid structure (kind 'corrupt')."
);
create_exception!(
    nianbao,
    LimitExceededError,
    NianbaoError,
    "Over one of the limits that keep a hostile file from exhausting the machine (kind 'over_limit')."
);
create_exception!(
    nianbao,
    ReaderPanicError,
    NianbaoError,
    "A reader panicked on this file: a bug, please report the file (kind 'reader_panic')."
);
create_exception!(
    nianbao,
    UnreadableFileError,
    NianbaoError,
    "The file could not be read: not a regular file, an I/O error (kind 'unreadable')."
);
create_exception!(
    nianbao,
    NoTextLayerError,
    NianbaoError,
    "A PDF without a text layer: a scan (kind 'no_text_layer')."
);
create_exception!(
    nianbao,
    SkippedFileError,
    NianbaoError,
    "A file the CLI lists as skipped: not a report format by its name, or no report in it (kind 'skipped')."
);

/// The exception for a failure of `kind` (`None`: skipped), with `.kind`.
fn error(py: Python<'_>, kind: Option<ErrorKind>, message: String) -> PyErr {
    let exc = match kind {
        None => SkippedFileError::new_err(message),
        Some(ErrorKind::Empty) => EmptyFileError::new_err(message),
        Some(ErrorKind::LegacyFormat | ErrorKind::Unsupported) => {
            UnsupportedFormatError::new_err(message)
        }
        Some(ErrorKind::Encrypted) => EncryptedFileError::new_err(message),
        Some(ErrorKind::Corrupt) => CorruptFileError::new_err(message),
        Some(ErrorKind::OverLimit) => LimitExceededError::new_err(message),
        Some(ErrorKind::ReaderPanic) => ReaderPanicError::new_err(message),
        Some(ErrorKind::Unreadable) => UnreadableFileError::new_err(message),
        Some(ErrorKind::NoTextLayer) => NoTextLayerError::new_err(message),
        // A kind added later: still a NianbaoError with its `.kind`.
        Some(_) => NianbaoError::new_err(message),
    };
    let spelled = kind.map_or("skipped", ErrorKind::as_str);
    if let Err(e) = exc.value(py).setattr("kind", spelled) {
        return e;
    }
    exc
}

/// Parses JSON text with Python's own `json` module.
fn loads<'py>(py: Python<'py>, json: &str) -> PyResult<Bound<'py, PyAny>> {
    py.import("json")?.getattr("loads")?.call1((json,))
}

/// Converts one job as the CLI's batch does, the GIL released; returns the
/// report's JSON text or the exception.
fn convert(py: Python<'_>, job: Job) -> PyResult<Py<PyAny>> {
    let never_done = |_: &SourceId, _: &pipeline::Fingerprint| false;
    let result = py.detach(
        || match pipeline::convert_job(job, &Limits::default(), &never_done) {
            JobResult::Fresh(r) => match r.outcome {
                Outcome::Converted(report) => Ok(serde_json::to_string(&report)
                    .expect("reports serialize: all keys are strings")),
                Outcome::Failed { error, reason, .. } => Err((Some(error), reason)),
                Outcome::Skipped { reason } => Err((None, reason)),
            },
            JobResult::Reused(_) | JobResult::Interrupted => Err((None, "not converted".into())),
        },
    );
    match result {
        Ok(json) => Ok(loads(py, &json)?.unbind()),
        Err((kind, reason)) => Err(error(py, kind, reason)),
    }
}

/// convert_bytes(data, name) -> dict
///
/// Converts one file's bytes; `name` becomes the report's `source` (the CLI
/// writes the path as walked). Returns the report as converted and checked
/// on its own (see `archive_checks` for the cross-report members).
#[pyfunction]
#[pyo3(signature = (data, name))]
fn convert_bytes(py: Python<'_>, data: &[u8], name: &str) -> PyResult<Py<PyAny>> {
    let job = Job {
        source: SourceId::file(name.to_string()),
        content: Content::Bytes(data.to_vec()),
    };
    convert(py, job)
}

/// convert_file(path) -> dict
///
/// Reads and converts one file; `source` is the path spelled as the CLI
/// spells a file argument (`./a//b.html` is `a/b.html`). Files the CLI
/// skips by their name (images, scripts) raise SkippedFileError unread;
/// files over the size limit are refused before they are read.
#[pyfunction]
fn convert_file(py: Python<'_>, path: PathBuf) -> PyResult<Py<PyAny>> {
    let meta = std::fs::metadata(&path)?;
    let arg = normalize_arg(&path);
    let source = display_path(&arg, &arg);
    if let Some(reason) = inputs::skip_reason(&source, true) {
        return Err(error(py, None, reason));
    }
    let job = Job {
        source: SourceId::file(source),
        content: Content::Path {
            path,
            size: meta.len(),
        },
    };
    convert(py, job)
}

/// A report as JSON text: a dict is dumped by Python's `json`, a string
/// taken as it is.
fn report_line(dumps: &Bound<'_, PyAny>, item: &Bound<'_, PyAny>) -> PyResult<String> {
    match item.extract::<String>() {
        Ok(line) => Ok(line),
        Err(_) => dumps.call1((item,))?.extract(),
    }
}

fn os_error(e: impl std::fmt::Display) -> PyErr {
    pyo3::exceptions::PyOSError::new_err(e.to_string())
}

/// archive_checks(reports, aliases=None, reuse_threshold=0.5, coverage=None) -> list
///
/// Runs the archive stage (year-over-year carries, duplicates, copied text,
/// stale years, coverage) over `reports` (any iterable of dicts from
/// convert_*, or of their JSON text, read once: a generator streams) in the
/// order a run lists them, and returns for each report the dict of members
/// the CLI adds to its line (`agency_key`, `duplicate_of`, `archive_checks`,
/// `archive_findings`), or None for a report the stage cannot read. Only the
/// compact facts of each report are kept (spilled to a scratch folder).
/// `aliases` maps agency names to keys (the CLI's --aliases); `coverage` is
/// a path to write coverage.csv to.
#[pyfunction]
#[pyo3(signature = (reports, aliases=None, reuse_threshold=0.5, coverage=None))]
fn archive_checks(
    py: Python<'_>,
    reports: &Bound<'_, PyAny>,
    aliases: Option<std::collections::HashMap<String, String>>,
    reuse_threshold: f64,
    coverage: Option<PathBuf>,
) -> PyResult<Vec<Py<PyAny>>> {
    use nianbao_core::archive::{Aliases, Builder, Config, COVERAGE};
    if !(0.0..=1.0).contains(&reuse_threshold) {
        return Err(PyValueError::new_err(
            "reuse_threshold must be within 0..=1",
        ));
    }
    let pairs = aliases.iter().flatten();
    let cfg = Config {
        aliases: Aliases::from_pairs(pairs.map(|(name, key)| (name.as_str(), key.as_str()))),
        reuse_threshold,
    };
    let scratch = tempfile::tempdir()?;
    let mut builder = Builder::new(scratch.path(), cfg).map_err(os_error)?;
    let dumps = py.import("json")?.getattr("dumps")?;
    let mut count = 0;
    for item in reports.try_iter()? {
        let line = report_line(&dumps, &item?)?;
        py.detach(|| builder.add(count, &line)).map_err(os_error)?;
        count += 1;
    }
    let fields = py
        .detach(
            || -> Result<Vec<Option<String>>, nianbao_core::archive::ArchiveError> {
                let mut outputs = builder.run()?;
                let fields = (0..count)
                    .map(|i| Ok(outputs.annotation(i)?.map(|a| a.fields)))
                    .collect::<Result<Vec<_>, _>>()?;
                outputs.finish(scratch.path())?;
                Ok(fields)
            },
        )
        .map_err(os_error)?;
    if let Some(to) = coverage {
        std::fs::copy(scratch.path().join(COVERAGE), to)?;
    }
    fields
        .into_iter()
        .map(|f| match f {
            Some(members) => Ok(loads(py, &format!("{{{}}}", &members[1..]))?.unbind()),
            None => Ok(py.None()),
        })
        .collect()
}

/// facts(report) -> dict
///
/// The compact facts the archive rules read of one report (a dict from
/// convert_* or its JSON text): identity, year, template, every cell's
/// value and location, the sampled text sketch and stale-year sentences:
/// no section text, so what a distributed pipeline can keep of each report
/// to see what the archive-wide checks compare.
#[pyfunction]
fn facts(py: Python<'_>, report: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
    let line = report_line(&py.import("json")?.getattr("dumps")?, report)?;
    let json = py
        .detach(|| nianbao_core::archive::facts_json(&line))
        .map_err(|e| PyValueError::new_err(format!("not a report: {e}")))?;
    Ok(loads(py, &json)?.unbind())
}

/// skip_reason(name) -> str | None
///
/// Why the CLI lists a file of this name as skipped without reading it
/// (hidden files, images, scripts, ...), or None: walk with this to list
/// what the CLI lists.
#[pyfunction]
fn skip_reason(name: &str) -> Option<String> {
    inputs::skip_reason(name, false)
}

/// schema() -> dict
///
/// The JSON Schema (2020-12) of one `reports.jsonl` object.
#[pyfunction]
fn schema(py: Python<'_>) -> PyResult<Py<PyAny>> {
    let json = serde_json::to_string(&nianbao_core::schema::report_schema())
        .expect("the schema serializes");
    Ok(loads(py, &json)?.unbind())
}

#[pymodule]
#[pyo3(name = "nianbao")]
fn nianbao_module(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add_function(wrap_pyfunction!(convert_bytes, m)?)?;
    m.add_function(wrap_pyfunction!(convert_file, m)?)?;
    m.add_function(wrap_pyfunction!(archive_checks, m)?)?;
    m.add_function(wrap_pyfunction!(facts, m)?)?;
    m.add_function(wrap_pyfunction!(schema, m)?)?;
    m.add_function(wrap_pyfunction!(skip_reason, m)?)?;
    m.add("NianbaoError", py.get_type::<NianbaoError>())?;
    m.add("EmptyFileError", py.get_type::<EmptyFileError>())?;
    m.add(
        "UnsupportedFormatError",
        py.get_type::<UnsupportedFormatError>(),
    )?;
    m.add("EncryptedFileError", py.get_type::<EncryptedFileError>())?;
    m.add("CorruptFileError", py.get_type::<CorruptFileError>())?;
    m.add("LimitExceededError", py.get_type::<LimitExceededError>())?;
    m.add("ReaderPanicError", py.get_type::<ReaderPanicError>())?;
    m.add("UnreadableFileError", py.get_type::<UnreadableFileError>())?;
    m.add("NoTextLayerError", py.get_type::<NoTextLayerError>())?;
    m.add("SkippedFileError", py.get_type::<SkippedFileError>())?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
