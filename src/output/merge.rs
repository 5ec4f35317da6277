//! `nianbao merge PART... --out DIR`: combines the output folders of
//! several runs into the files one run over all their inputs writes.
//!
//! The parts' journal records are written, in a single run's order, into
//! DIR's journal, and every output is built from it by [`finalize_with`],
//! the code a single run ends with. So `reports.jsonl`, the CSV files,
//! `nianbao.sqlite`, the archive stage's outputs (its checks run over all
//! the parts' reports together) and the summary come out as a one-machine
//! run writes them. The order is what makes them byte-identical:
//!
//! - parts of one sharded invocation ([`part::MARKER`]) are interleaved by
//!   the position of each record's input in the whole walk
//!   ([`part::POSITIONS`]), a streaming k-way merge: memory holds one
//!   record per part, whatever the archive's size;
//! - parts of plain runs are concatenated in the order given, as one run
//!   over their arguments in that order lists them (a source met twice is
//!   kept once, the first time, as the single run does).
//!
//! The parts are checked first: an incomplete part (no `run.json`), one of
//! another nianbao version, a missing shard, a shard given twice, or parts
//! of different invocations refuse the merge, naming the part.

use std::cmp::Reverse;
use std::collections::{BTreeSet, BinaryHeap, HashSet};
use std::path::{Path, PathBuf};

use super::part::{self, Marker, PositionReader};
use super::{
    finalize_with, FinalizeOptions, Journal, Mode, OutputError, OutputFolder, Record, RecordReader,
    Summary, JOURNAL, MANIFEST, RECORD_VERSION, TOOL_VERSION,
};

#[derive(Debug, thiserror::Error)]
pub enum MergeError {
    #[error("{0}: not a complete nianbao output folder (no {MANIFEST}: the run did not finish; run it again with --resume)")]
    NotAPart(PathBuf),
    #[error("{part}: written by {found}, this is nianbao {TOOL_VERSION} (record format {RECORD_VERSION}): convert it again with this version")]
    OtherVersion { part: PathBuf, found: String },
    #[error("{0}: the merge output folder is also one of the parts")]
    OutIsPart(PathBuf),
    #[error("{part}: a plain run's folder among sharded parts (or the other way round); merge the parts of one --shard invocation, or only plain runs")]
    Mixed { part: PathBuf },
    #[error("{part}: its shard {shard} was given twice")]
    DuplicateShard { part: PathBuf, shard: String },
    #[error("{part}: from another invocation ({found}) than {first} ({expected})")]
    OtherInvocation {
        part: PathBuf,
        first: PathBuf,
        found: String,
        expected: String,
    },
    #[error("shards missing: {missing} of {count} (every shard of the invocation is needed)")]
    MissingShards { missing: String, count: u64 },
    #[error("{part}: its positions do not match its records ({reason}): convert that shard again")]
    Damaged { part: PathBuf, reason: String },
    #[error(transparent)]
    Output(#[from] OutputError),
}

impl MergeError {
    /// Whether the parts given are wrong (a usage error), rather than the
    /// disk failing or a part being damaged.
    pub fn is_usage(&self) -> bool {
        !matches!(
            self,
            MergeError::Output(OutputError::Io { .. }) | MergeError::Damaged { .. }
        )
    }
}

#[derive(Debug, Clone)]
pub struct MergeOptions {
    pub parts: Vec<PathBuf>,
    pub out: PathBuf,
    /// `Fresh` refuses an `out` holding a run; `Overwrite` replaces it.
    pub mode: Mode,
    /// As the single run would be given (`--excel`, `--no-sqlite`).
    pub finalize: FinalizeOptions,
    /// As the single run would be given (`--aliases`, `--reuse-threshold`).
    pub archive: crate::archive::Config,
}

/// Merges the parts into `opts.out`; returns the summary a single run over
/// their inputs prints.
pub fn merge(opts: &MergeOptions) -> Result<Summary, MergeError> {
    let sharded = check_parts(&opts.parts, &opts.out)?;
    let folder = OutputFolder::open(&opts.out, opts.mode)?;
    part::unmark(folder.dir())?;
    let mut journal = Journal::create(folder.dir())?;
    let mut order = Vec::new();
    let mut seen = HashSet::new();
    let mut add = |record: Record| -> Result<(), MergeError> {
        if seen.insert(xxhash_rust::xxh3::xxh3_128(record.source.as_bytes())) {
            order.push(journal.append(&record)?);
        }
        Ok(())
    };
    if sharded {
        interleave(&opts.parts, &mut add)?;
    } else {
        for dir in &opts.parts {
            let mut records = RecordReader::open(&dir.join(JOURNAL))?;
            while let Some(record) = records.next_record()? {
                add(record)?;
            }
        }
    }
    drop(journal);
    let fin = FinalizeOptions {
        compact: false,
        ..opts.finalize
    };
    Ok(finalize_with(&folder, &order, fin, opts.archive.clone())?)
}

/// Checks that the parts can be merged; returns whether they are shards.
fn check_parts(parts: &[PathBuf], out: &Path) -> Result<bool, MergeError> {
    let out_real = out.canonicalize().ok();
    let mut markers = Vec::new();
    for dir in parts {
        if out_real.is_some() && dir.canonicalize().ok() == out_real {
            return Err(MergeError::OutIsPart(dir.clone()));
        }
        check_version(dir)?;
        markers.push(Marker::read(dir)?);
    }
    let Some(Some(first)) = markers.first() else {
        return match markers.iter().position(Option::is_some) {
            Some(i) => Err(MergeError::Mixed {
                part: parts[i].clone(),
            }),
            None => Ok(false),
        };
    };
    let describe = |m: &Marker| format!("{} shards of {}", m.shard.count, m.inputs.join(" "));
    let mut seen = BTreeSet::new();
    for (dir, marker) in parts.iter().zip(&markers) {
        let Some(marker) = marker else {
            return Err(MergeError::Mixed { part: dir.clone() });
        };
        if marker.inputs != first.inputs || marker.shard.count != first.shard.count {
            return Err(MergeError::OtherInvocation {
                part: dir.clone(),
                first: parts[0].clone(),
                found: describe(marker),
                expected: describe(first),
            });
        }
        if !seen.insert(marker.shard.index) {
            return Err(MergeError::DuplicateShard {
                part: dir.clone(),
                shard: marker.shard.to_string(),
            });
        }
    }
    let count = first.shard.count;
    let missing: Vec<String> = (0..count)
        .filter(|i| !seen.contains(i))
        .map(|i| format!("{i}/{count}"))
        .collect();
    if !missing.is_empty() {
        return Err(MergeError::MissingShards {
            missing: missing.join(", "),
            count,
        });
    }
    Ok(true)
}

/// A part is a complete run (its `run.json` written last) of this version.
fn check_version(dir: &Path) -> Result<(), MergeError> {
    let Ok(bytes) = std::fs::read(dir.join(MANIFEST)) else {
        return Err(MergeError::NotAPart(dir.to_path_buf()));
    };
    let manifest: serde_json::Value = serde_json::from_slice(&bytes).unwrap_or_default();
    let version = manifest["version"].as_str().unwrap_or("?");
    let record = manifest["record_version"].as_u64().unwrap_or(0);
    if version != TOOL_VERSION || record != u64::from(RECORD_VERSION) {
        return Err(MergeError::OtherVersion {
            part: dir.to_path_buf(),
            found: format!("nianbao {version} (record format {record})"),
        });
    }
    Ok(())
}

/// One sharded part's records, each with its input's position.
struct PartStream {
    dir: PathBuf,
    records: RecordReader,
    positions: PositionReader,
    last: u64,
}

impl PartStream {
    fn open(dir: &Path) -> Result<Self, MergeError> {
        Ok(PartStream {
            dir: dir.to_path_buf(),
            records: RecordReader::open(&dir.join(JOURNAL))?,
            positions: PositionReader::open(dir)?,
            last: 0,
        })
    }

    fn next(&mut self) -> Result<Option<(u64, Record)>, MergeError> {
        let damaged = |reason: &str| MergeError::Damaged {
            part: self.dir.clone(),
            reason: reason.into(),
        };
        match (self.positions.next_position()?, self.records.next_record()?) {
            (None, None) => Ok(None),
            (Some(p), Some(_)) if p < self.last => Err(damaged("positions out of order")),
            (Some(p), Some(r)) => {
                self.last = p;
                Ok(Some((p, r)))
            }
            (Some(_), None) => Err(damaged("more positions than records")),
            (None, Some(_)) => Err(damaged("more records than positions")),
        }
    }
}

/// The k-way merge of sharded parts by position. An input belongs to one
/// shard (an archive's members share its position and follow each other
/// in one part), so no two parts hold the same position.
fn interleave(
    parts: &[PathBuf],
    add: &mut impl FnMut(Record) -> Result<(), MergeError>,
) -> Result<(), MergeError> {
    let mut streams = parts
        .iter()
        .map(|p| PartStream::open(p))
        .collect::<Result<Vec<_>, _>>()?;
    let mut heads = BinaryHeap::new();
    let mut pending: Vec<Option<Record>> = Vec::new();
    for (i, stream) in streams.iter_mut().enumerate() {
        let head = stream.next()?;
        if let Some((position, _)) = &head {
            heads.push(Reverse((*position, i)));
        }
        pending.push(head.map(|(_, r)| r));
    }
    while let Some(Reverse((_, i))) = heads.pop() {
        if let Some(record) = pending[i].take() {
            add(record)?;
        }
        if let Some((position, record)) = streams[i].next()? {
            heads.push(Reverse((position, i)));
            pending[i] = Some(record);
        }
    }
    Ok(())
}
