//! Finishing the output set once the first pass ([`Prefill`]: the archive
//! stage's facts, the database's rows but findings, `cells.csv`,
//! `files.csv` and the bodies of the rest) is done: `convert` fills it as
//! results come, [`finalize_with`] from the journal (`merge`).
//!
//! Outputs list exactly this run's inputs, in this run's input order: the
//! caller passes the journal offset of each input's record (a fresh record,
//! or an earlier run's for an input unchanged since). Building in journal
//! order instead moved a re-recorded skipped file's row on `--resume`, and
//! kept inputs deleted since the last run.

use serde_json::json;

use super::folder::OutputFolder;
use super::journal::{RecordReader, JOURNAL};
use super::prefill::Prefill;
use super::records::{RECORD_VERSION, TOOL_VERSION};
use super::streams::Staged;
use super::{OutputError, Summary, CELLS, FILES, FINDINGS, FINDINGS_HEADER, REPORTS};

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
    let mut prefill = Prefill::new(folder, archive_cfg, opts)?;
    for (i, &offset) in order.iter().enumerate() {
        prefill.add_journal(i, records.at(offset)?)?;
    }
    drop(records);
    finalize_prefilled(folder, order, opts, prefill)
}

/// Runs the archive stage over a filled [`Prefill`] (its records are those
/// at `order`, in that order), writes what depends on it (`reports.jsonl`,
/// `findings.csv`, the database's findings) from the bodies the first pass
/// kept, and switches every output into place with `run.json`. The
/// database's second pass and its index build run on its own thread
/// meanwhile.
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
        mut streams,
    } = prefill;
    match &mut database {
        // Indexed on its thread while the archive stage runs.
        Some(db) => db.index()?,
        None => crate::sqlite::remove_stale(dir)?,
    }
    let mut archive = builder.run()?;
    let mut bodies = streams.bodies()?;
    let mut reports = Staged::new(folder, REPORTS)?;
    let mut findings = Staged::csv(folder, FINDINGS, FINDINGS_HEADER, opts.excel_bom)?;
    for i in 0..order.len() {
        if crate::pipeline::interrupted() {
            return Err(OutputError::Interrupted);
        }
        let note = archive.annotation(i)?;
        let (line, csv) = bodies.next()?;
        let mut spliced = None;
        if let Some(line) = line {
            spliced = note.as_ref().map(|n| n.splice(line));
            reports.write(spliced.as_deref().unwrap_or(line))?;
            reports.write(b"\n")?;
        }
        findings.write(csv)?;
        if let Some(n) = &note {
            findings.write(n.findings_csv.as_bytes())?;
        }
        if let Some(db) = &mut database {
            // The database holds the report as reports.jsonl does, with the
            // archive stage's findings spliced in.
            db.add_findings(spliced.or_else(|| line.map(<[u8]>::to_vec)))?;
        }
    }
    bodies.remove()?;
    streams.replace_journal(folder)?;
    let mut summary = streams.summary;
    summary.archive = Some(archive.finish(dir)?);
    let listed = [reports, streams.cells, findings, streams.files]
        .into_iter()
        .map(Staged::finish)
        .collect::<Result<Vec<_>, _>>()?;
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
