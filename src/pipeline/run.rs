//! The `convert` command as a library call: lock the output folder, walk,
//! convert into the journal (filling the outputs' first pass,
//! `output::Prefill`, as results are written), build the outputs.
//! `main.rs` only parses arguments and prints.

use std::collections::HashSet;
use std::path::PathBuf;

use super::{run_batch_with, Batch, Fingerprint, JobResult, Outcome};
use crate::archive::Prepared;
use crate::inputs::shard::Tracked;
use crate::inputs::{Selection, Shard, SourceId, Walk};
use crate::output::{
    self, journal, FinalizeOptions, Journal, Mode, OutputError, OutputFolder, Prefill, Priors,
    Record, RecordReader, Summary,
};
use crate::readers::Limits;
use crate::report::Report;

#[derive(Debug, Clone)]
pub struct ConvertOptions {
    pub paths: Vec<PathBuf>,
    pub out: PathBuf,
    pub mode: Mode,
    /// Worker threads of the current rayon pool (sizes the window).
    pub threads: usize,
    pub selection: Selection,
    pub limits: Limits,
    pub excel_bom: bool,
    /// Also write `nianbao.sqlite` (`--no-sqlite` turns it off).
    pub sqlite: bool,
    /// The archive stage's settings (aliases, text-reuse threshold).
    pub archive: crate::archive::Config,
    /// Convert only this shard of the inputs (`--shard`), marking the
    /// folder as a part for `merge` (`crate::output::part`).
    pub shard: Option<Shard>,
    /// Take the inputs from this file, one path per line (`--manifest`),
    /// instead of `paths`.
    pub manifest: Option<PathBuf>,
}

#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error(transparent)]
    Output(#[from] OutputError),
    #[error("cannot read the manifest {path}: {source}")]
    Manifest {
        path: PathBuf,
        source: std::io::Error,
    },
}

#[derive(Debug)]
pub struct RunOutcome {
    pub summary: Summary,
    /// Ctrl-C or SIGTERM stopped the run before its outputs were built.
    pub interrupted: bool,
    /// Set when `--resume` found a journal of another version.
    pub stale: Option<String>,
    /// Results of this run (not reused) recorded before it ended.
    pub recorded: usize,
}

/// Runs a whole conversion; `on_result` is called once per input (for a
/// progress bar).
pub fn run_convert(
    opts: &ConvertOptions,
    mut on_result: impl FnMut(&SourceId),
) -> Result<RunOutcome, RunError> {
    let folder = OutputFolder::open(&opts.out, opts.mode)?;
    output::part::unmark(folder.dir())?;
    let (mut journal, priors, stale) = match opts.mode {
        Mode::Resume => {
            let r = Journal::resume(folder.dir())?;
            (r.journal, r.priors, r.stale)
        }
        _ => (Journal::create(folder.dir())?, Priors::new(), None),
    };
    let mut selection = opts.selection.clone();
    selection.avoid.push(opts.out.clone());
    let mut paths: Vec<PathBuf> = Vec::new();
    for p in &opts.paths {
        let p = crate::source::normalize_arg(p);
        if !paths.contains(&p) {
            paths.push(p);
        }
    }
    let done = |source: &SourceId, f: &Fingerprint| {
        priors
            .get(&source.to_string())
            .is_some_and(|p| p.size == f.size && p.hash == f.hash)
    };
    let walk = match &opts.manifest {
        None => Walk::new(&paths, selection, opts.limits),
        Some(file) => match crate::inputs::manifest::read(file) {
            Ok(lines) => Walk::of_inputs(lines, selection, opts.limits),
            Err(source) => {
                let path = file.clone();
                return Err(RunError::Manifest { path, source });
            }
        },
    };
    // The first pass of the outputs fills as results are written; an
    // earlier run's records come from the journal (`--resume`).
    let fin = FinalizeOptions {
        excel_bom: opts.excel_bom,
        compact: opts.mode == Mode::Resume,
        sqlite: opts.sqlite,
    };
    let mut prefill = Prefill::new(&folder, opts.archive.clone(), fin)?;
    let mut earlier = match priors.is_empty() {
        true => None,
        false => Some(RecordReader::open(journal.path())?),
    };
    let (jobs, positions) = Tracked::new(walk.sharded(opts.shard));
    // Per output row, its input's position in the whole walk (`--shard`).
    let mut walked: Vec<u64> = Vec::new();
    let mut order: Vec<u64> = Vec::new();
    let mut seen: HashSet<u128> = HashSet::new();
    let (mut reused, mut recorded, mut interrupted) = (0, 0, false);
    let batch = Batch {
        workers: opts.threads.max(1),
        window: opts.threads.max(1) * 16,
    };
    run_batch_with(
        jobs,
        &opts.limits,
        batch,
        &done,
        |result| render(result, opts.sqlite),
        |result| -> Result<(), OutputError> {
            let position = positions.next().unwrap_or_default();
            let source = match &result {
                Rendered::Fresh { source, .. } | Rendered::Reused(source) => source,
                Rendered::Interrupted => {
                    interrupted = true;
                    return Ok(());
                }
            };
            // Overlapping arguments (`in` and `in/sub`) meet a file twice.
            if !seen.insert(xxhash_rust::xxh3::xxh3_128(source.to_string().as_bytes())) {
                return Ok(());
            }
            on_result(source);
            if opts.shard.is_some() {
                walked.push(position);
            }
            let index = order.len();
            match result {
                Rendered::Fresh {
                    line,
                    record,
                    report,
                    facts,
                    ..
                } => {
                    order.push(journal.append_line(&line)?);
                    recorded += 1;
                    prefill.add(index, *record, report, facts)?;
                }
                Rendered::Reused(s) => {
                    let offset = priors[&s.to_string()].offset;
                    order.push(offset);
                    reused += 1;
                    let earlier = earlier.as_mut().expect("reused records have a journal");
                    prefill.add_journal(index, earlier.at(offset)?)?;
                }
                Rendered::Interrupted => {}
            }
            Ok(())
        },
    )?;
    drop(journal);
    drop(earlier);
    if interrupted || super::interrupted() {
        // The database's partial file goes with the stage's spills.
        drop(prefill);
        folder.remove_partials()?;
        return Ok(RunOutcome {
            summary: Summary::default(),
            interrupted: true,
            stale,
            recorded,
        });
    }
    if let Some(shard) = opts.shard {
        let inputs = match &opts.manifest {
            Some(file) => vec![format!("manifest:{}", file.display())],
            None => paths.iter().map(|p| p.display().to_string()).collect(),
        };
        let marker = output::part::Marker::new(shard, inputs);
        output::part::mark(folder.dir(), &marker, &walked)?;
    }
    let mut summary = match output::finalize_prefilled(&folder, &order, fin, prefill) {
        Err(OutputError::Interrupted) => {
            folder.remove_partials()?;
            return Ok(RunOutcome {
                summary: Summary::default(),
                interrupted: true,
                stale,
                recorded,
            });
        }
        other => other?,
    };
    summary.reused = reused;
    Ok(RunOutcome {
        summary,
        interrupted: false,
        stale,
        recorded,
    })
}

/// A job's result as the writer needs it, made on the worker that
/// converted it: a fresh result is already its journal line, its record for
/// the database (without the line), its report (when the database is
/// built) and its facts for the archive stage.
enum Rendered {
    Fresh {
        source: SourceId,
        line: Vec<u8>,
        record: Box<Record>,
        report: Option<Box<Report>>,
        facts: Option<Prepared>,
    },
    Reused(SourceId),
    Interrupted,
}

fn render(result: JobResult, keep_report: bool) -> Rendered {
    match result {
        JobResult::Fresh(r) => {
            let record = Record::from_result(&r);
            let line = journal::encode(&record);
            let report = match r.outcome {
                Outcome::Converted(report) => Some(report),
                _ => None,
            };
            Rendered::Fresh {
                facts: report.as_deref().map(Prepared::of_report),
                report: report.filter(|_| keep_report),
                record: Box::new(record),
                line,
                source: r.source,
            }
        }
        JobResult::Reused(s) => Rendered::Reused(s),
        JobResult::Interrupted => Rendered::Interrupted,
    }
}
