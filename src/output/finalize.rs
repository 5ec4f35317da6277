//! Building the output set from the journal, once the first pass
//! ([`Prefill`]: the archive stage's facts, the database's rows but
//! findings) is done: `convert` fills it as results come, [`finalize_with`]
//! from the journal.
//!
//! Outputs list exactly this run's inputs, in this run's input order: the
//! caller passes the journal offset of each input's record (a fresh record,
//! or an earlier run's for an input unchanged since). Building in journal
//! order instead moved a re-recorded skipped file's row on `--resume`, and
//! kept inputs deleted since the last run.

use std::io::{BufWriter, Write};

use serde_json::json;

use super::folder::{partial, OutputFolder};
use super::journal::{write_record, RecordReader, JOURNAL};
use super::prefill::Prefill;
use super::records::{csv_lines, RECORD_VERSION, TOOL_VERSION};
use super::{
    OutputError, Summary, CELLS, CELLS_HEADER, FILES, FILES_HEADER, FINDINGS, FINDINGS_HEADER,
    REPORTS,
};

#[derive(Debug, Clone, Copy, Default)]
pub struct FinalizeOptions {
    /// Start each CSV with the UTF-8 byte-order mark Excel on Chinese
    /// Windows needs to read UTF-8 (`--excel`).
    pub excel_bom: bool,
    /// Rewrite the journal to hold exactly this run's records, in order
    /// (after `--resume`; a fresh journal already does).
    pub compact: bool,
    /// Also build `nianbao.sqlite` (`crate::sqlite`) in the same pass, and
    /// switch it into place with the other outputs.
    pub sqlite: bool,
}

/// A staged output file: buffered, with its size and hash for `run.json`.
struct Staged {
    name: &'static str,
    out: BufWriter<std::fs::File>,
    hash: xxhash_rust::xxh3::Xxh3,
    bytes: u64,
}

impl Staged {
    fn new(folder: &OutputFolder, name: &'static str) -> Result<Self, OutputError> {
        Ok(Staged {
            name,
            out: BufWriter::new(folder.stage(name)?),
            hash: xxhash_rust::xxh3::Xxh3::new(),
            bytes: 0,
        })
    }

    fn write(&mut self, folder: &OutputFolder, data: &[u8]) -> Result<(), OutputError> {
        self.hash.update(data);
        self.bytes += data.len() as u64;
        self.out.write_all(data).map_err(|source| OutputError::Io {
            path: partial(folder.dir(), self.name),
            source,
        })
    }

    fn finish(mut self, folder: &OutputFolder) -> Result<serde_json::Value, OutputError> {
        self.out.flush().map_err(|source| OutputError::Io {
            path: partial(folder.dir(), self.name),
            source,
        })?;
        Ok(json!({
            "name": self.name,
            "bytes": self.bytes,
            "xxh3": format!("{:016x}", self.hash.digest()),
        }))
    }
}

/// Builds `reports.jsonl`, `cells.csv`, `findings.csv` and `files.csv` from
/// the records at `order` and switches them into place with `run.json`.
pub fn finalize(
    folder: &OutputFolder,
    order: &[u64],
    opts: FinalizeOptions,
) -> Result<Summary, OutputError> {
    finalize_with(folder, order, opts, crate::archive::Config::default())
}

/// [`finalize`] with the archive stage's settings (aliases, threshold): the
/// first pass ([`Prefill`]) from the journal's records, then the rest.
pub fn finalize_with(
    folder: &OutputFolder,
    order: &[u64],
    opts: FinalizeOptions,
    archive_cfg: crate::archive::Config,
) -> Result<Summary, OutputError> {
    let mut records = RecordReader::open(&folder.dir().join(JOURNAL))?;
    let mut prefill = Prefill::new(folder.dir(), archive_cfg, opts.sqlite)?;
    for (i, &offset) in order.iter().enumerate() {
        prefill.add_journal(i, records.at(offset)?)?;
    }
    drop(records);
    finalize_prefilled(folder, order, opts, prefill)
}

/// Runs the archive stage over a filled [`Prefill`] (its records are those
/// at `order`, in that order), builds every output from the records at
/// `order` with the stage's annotations, and switches them into place with
/// `run.json`. The database's second pass and its index build run on its
/// own thread meanwhile.
pub fn finalize_prefilled(
    folder: &OutputFolder,
    order: &[u64],
    opts: FinalizeOptions,
    prefill: Prefill,
) -> Result<Summary, OutputError> {
    let dir = folder.dir();
    let Prefill {
        builder,
        mut database,
    } = prefill;
    if database.is_none() {
        crate::sqlite::remove_stale(dir)?;
    }
    let mut records = RecordReader::open(&dir.join(JOURNAL))?;
    let mut archive = builder.run()?;
    let mut reports = Staged::new(folder, REPORTS)?;
    let mut cells = Staged::new(folder, CELLS)?;
    let mut findings = Staged::new(folder, FINDINGS)?;
    let mut files = Staged::new(folder, FILES)?;
    let bom: &[u8] = if opts.excel_bom { b"\xEF\xBB\xBF" } else { b"" };
    for (csv, header) in [
        (&mut cells, csv_lines(vec![CELLS_HEADER.map(String::from)])),
        (
            &mut findings,
            csv_lines(vec![FINDINGS_HEADER.map(String::from)]),
        ),
        (&mut files, csv_lines(vec![FILES_HEADER.map(String::from)])),
    ] {
        csv.write(folder, bom)?;
        csv.write(folder, header.as_bytes())?;
    }
    let mut journal = match opts.compact {
        true => Some(BufWriter::new(folder.stage(JOURNAL)?)),
        false => None,
    };
    let mut summary = Summary::default();
    for (i, &offset) in order.iter().enumerate() {
        if crate::pipeline::interrupted() {
            return Err(OutputError::Interrupted);
        }
        let r = records.at(offset)?;
        summary.record(&r);
        let note = archive.annotation(i)?;
        let mut spliced = None;
        if let Some(line) = r.report_line() {
            spliced = note.as_ref().map(|n| n.splice(line));
            reports.write(folder, spliced.as_deref().unwrap_or(line).as_bytes())?;
            reports.write(folder, b"\n")?;
        }
        cells.write(folder, r.cells.as_bytes())?;
        findings.write(folder, r.findings.as_bytes())?;
        if let Some(n) = &note {
            findings.write(folder, n.findings_csv.as_bytes())?;
        }
        files.write(folder, csv_lines(vec![r.files_row()]).as_bytes())?;
        if let Some(db) = &mut database {
            // The database holds the report as reports.jsonl does, with the
            // archive stage's findings spliced in.
            let line = spliced.or_else(|| r.report_line().map(str::to_string));
            db.add_findings(r.source.clone(), line)?;
        }
        if let Some(j) = &mut journal {
            write_record(j, &r).map_err(|source| OutputError::Io {
                path: partial(dir, JOURNAL),
                source,
            })?;
        }
    }
    summary.archive = Some(archive.finish(dir)?);
    let listed = [reports, cells, findings, files]
        .into_iter()
        .map(|s| s.finish(folder))
        .collect::<Result<Vec<_>, _>>()?;
    if let Some(mut j) = journal {
        j.flush().map_err(|source| OutputError::Io {
            path: partial(dir, JOURNAL),
            source,
        })?;
        drop(j);
        folder.replace_journal()?;
    }
    let manifest = json!({
        "tool": "nianbao",
        "version": TOOL_VERSION,
        "record_version": RECORD_VERSION,
        "report_schema": crate::schema::SCHEMA_ID,
        "inputs": summary.seen,
        "files": listed,
    });
    let mut manifest = serde_json::to_vec_pretty(&manifest).expect("JSON values serialize");
    manifest.push(b'\n');
    let mut outputs = vec![REPORTS, CELLS, FINDINGS, FILES];
    if let Some(db) = database {
        db.close()?;
        outputs.push(crate::sqlite::DATABASE);
    }
    folder.commit(&outputs, &manifest)?;
    Ok(summary)
}
