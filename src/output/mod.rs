//! The output folder: `reports.jsonl`, `cells.csv`, `findings.csv`,
//! `files.csv`, and `run.json` (the manifest, written last).
//!
//! Results go first to an append-only journal ([`journal`]), one write per
//! record, so a killed run loses nothing it finished and `--resume` can
//! continue it. What needs no cross-report result (the archive stage's
//! facts, the database's rows but findings, `cells.csv`, `files.csv`, and
//! the bodies of `reports.jsonl` and `findings.csv`) is filled in a first
//! pass ([`Prefill`]) that `convert` runs as results are written, from
//! memory, in the order of this run's inputs; [`finalize_prefilled`] then
//! runs the archive stage, finishes the rest into temporary files, and
//! [`folder::OutputFolder::commit`] switches the whole set into place.
//! `merge` runs the same two passes from the journal ([`finalize`]).
//! Writers added later belong in [`Prefill`] or [`finalize_prefilled`] and
//! stage their files in the same set.

mod finalize;
pub mod folder;
pub mod journal;
pub mod merge;
pub mod part;
mod prefill;
mod records;
mod streams;
mod summary;

use std::path::PathBuf;

pub use finalize::{finalize, finalize_prefilled, finalize_with, FinalizeOptions};
pub use folder::{Mode, OutputFolder};
pub use journal::{Journal, Prior, Priors, RecordReader, JOURNAL};
pub use prefill::{light, Prefill};
pub use records::{
    cell_records, csv_lines, finding_records, neutralise, Record, RECORD_VERSION, TOOL_VERSION,
};
pub use summary::Summary;

pub const REPORTS: &str = "reports.jsonl";
pub const CELLS: &str = "cells.csv";
pub const FINDINGS: &str = "findings.csv";
pub const FILES: &str = "files.csv";
/// The manifest of a complete output set, written last.
pub const MANIFEST: &str = "run.json";

pub const CELLS_HEADER: [&str; 10] = [
    "source", "agency", "year", "template", "table", "row", "column", "value", "raw", "location",
];
/// The last three columns are for auditors: the principal cell's source
/// location, the other cells involved (`row.column@location; …`) and the
/// row's label as the source writes it. `convert --reviews` appends `review`.
pub const FINDINGS_HEADER: [&str; 16] = [
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
    "reading",
    "location",
    "other_cells",
    "row_label",
];
pub const FILES_HEADER: [&str; 5] = ["source", "format", "status", "reason", "error"];

#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    #[error(transparent)]
    Archive(#[from] crate::archive::ArchiveError),
    #[error("cannot write to {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(
        "{0} is a symbolic link: refusing to write through it (remove it, or choose another --out)"
    )]
    Link(PathBuf),
    #[error("another nianbao run is writing into {dir} ({holder}): wait for it to finish, or choose another --out")]
    Locked { dir: PathBuf, holder: String },
    #[error("{dir} holds the results of an earlier run ({found}): add --resume to continue it, or --overwrite to replace it")]
    EarlierRun { dir: PathBuf, found: String },
    #[error("{path} line {line} cannot be read ({reason}): the journal is damaged; use --overwrite to start again")]
    Journal {
        path: PathBuf,
        line: usize,
        reason: String,
    },
    #[error("interrupted")]
    Interrupted,
    #[error(transparent)]
    Sqlite(#[from] crate::sqlite::SqliteError),
}
