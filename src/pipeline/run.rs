//! The `convert` command as a library call: lock the output folder, walk,
//! convert into the journal, build the outputs. `main.rs` only parses
//! arguments and prints.

use std::collections::HashSet;
use std::path::PathBuf;

use super::{run_batch_with, Batch, Fingerprint, JobResult};
use crate::inputs::shard::Tracked;
use crate::inputs::{Selection, Shard, SourceId, Walk};
use crate::output::{
    self, journal, FinalizeOptions, Journal, Mode, OutputError, OutputFolder, Priors, Record,
    Summary,
};
use crate::readers::Limits;

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
        render,
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
            match result {
                Rendered::Fresh { line, .. } => {
                    order.push(journal.append_line(&line)?);
                    recorded += 1;
                }
                Rendered::Reused(s) => {
                    order.push(priors[&s.to_string()].offset);
                    reused += 1;
                }
                Rendered::Interrupted => {}
            }
            Ok(())
        },
    )?;
    drop(journal);
    if interrupted || super::interrupted() {
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
    let fin = FinalizeOptions {
        excel_bom: opts.excel_bom,
        compact: opts.mode == Mode::Resume,
        sqlite: opts.sqlite,
    };
    let mut summary = match output::finalize_with(&folder, &order, fin, opts.archive.clone()) {
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

/// A job's result as the writer needs it: a fresh result is already its
/// journal line, encoded on the worker that converted it.
enum Rendered {
    Fresh { source: SourceId, line: Vec<u8> },
    Reused(SourceId),
    Interrupted,
}

fn render(result: JobResult) -> Rendered {
    match result {
        JobResult::Fresh(r) => Rendered::Fresh {
            line: journal::encode(&Record::from_result(&r)),
            source: r.source,
        },
        JobResult::Reused(s) => Rendered::Reused(s),
        JobResult::Interrupted => Rendered::Interrupted,
    }
}
