//! The output files written as results arrive, not rebuilt from the
//! journal at the end.
//!
//! Why: building every output from the journal after conversion parsed
//! each record back from JSON (its CSV lines are JSON strings there) on one
//! thread while the workers sat idle. On 2,000 generated reports the main
//! thread's work after conversion, that pass and then the archive stage,
//! was 0.55 s of a 2.9 s run on 2 threads (perf: mostly `serde_json`
//! parsing and UTF-8 validation, of the 108 MB journal and of the facts),
//! the largest part of the run no second thread could share.
//!
//! Now each record, as it is written, goes straight to its outputs:
//! `cells.csv` and `files.csv` are final as they are written (nothing of
//! the archive stage goes into them); a report's line and its
//! `findings.csv` lines go to a body file each, with their length kept per
//! record, because the archive stage adds to every report line and to the
//! findings after each report. [`Bodies::next`] hands them back in order
//! for that last pass: a sequential read, no parse.

use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Write};
use std::path::PathBuf;

use serde_json::json;

use super::folder::{partial, OutputFolder};
use super::journal::{write_record, JOURNAL};
use super::records::csv_lines;
use super::{
    FinalizeOptions, OutputError, Record, Summary, CELLS, CELLS_HEADER, FILES, FILES_HEADER,
};

/// A staged output file: buffered, with its size and hash for `run.json`.
pub(super) struct Staged {
    name: &'static str,
    path: PathBuf,
    out: BufWriter<File>,
    hash: xxhash_rust::xxh3::Xxh3,
    bytes: u64,
}

impl Staged {
    pub(super) fn new(folder: &OutputFolder, name: &'static str) -> Result<Self, OutputError> {
        Ok(Staged {
            name,
            path: partial(folder.dir(), name),
            out: BufWriter::with_capacity(1 << 16, folder.stage(name)?),
            hash: xxhash_rust::xxh3::Xxh3::new(),
            bytes: 0,
        })
    }

    /// A CSV output: the byte-order mark if asked for, then its header.
    pub(super) fn csv<const N: usize>(
        folder: &OutputFolder,
        name: &'static str,
        header: [&str; N],
        bom: bool,
    ) -> Result<Self, OutputError> {
        let mut csv = Staged::new(folder, name)?;
        if bom {
            csv.write(b"\xEF\xBB\xBF")?;
        }
        csv.write(csv_lines(vec![header.map(String::from)]).as_bytes())?;
        Ok(csv)
    }

    pub(super) fn write(&mut self, data: &[u8]) -> Result<(), OutputError> {
        self.hash.update(data);
        self.bytes += data.len() as u64;
        self.out.write_all(data).map_err(|source| OutputError::Io {
            path: self.path.clone(),
            source,
        })
    }

    /// Flushes the file; its entry in `run.json`.
    pub(super) fn finish(mut self) -> Result<serde_json::Value, OutputError> {
        self.out.flush().map_err(|source| OutputError::Io {
            path: self.path.clone(),
            source,
        })?;
        Ok(json!({
            "name": self.name,
            "bytes": self.bytes,
            "xxh3": format!("{:016x}", self.hash.digest()),
        }))
    }
}

/// Outputs being written record by record, in output order.
pub(super) struct Streams {
    pub(super) cells: Staged,
    pub(super) files: Staged,
    reports: Body,
    findings: Body,
    /// The journal rewritten to hold exactly this run's records, in order
    /// (`--resume`; a fresh journal already does): written here, as the
    /// records pass, rather than read back from the journal a second time.
    journal: Option<(PathBuf, BufWriter<File>)>,
    pub(super) summary: Summary,
}

impl Streams {
    pub(super) fn new(
        folder: &OutputFolder,
        opts: FinalizeOptions,
    ) -> Result<Streams, OutputError> {
        let journal = match opts.compact {
            true => Some((
                partial(folder.dir(), JOURNAL),
                BufWriter::new(folder.stage(JOURNAL)?),
            )),
            false => None,
        };
        Ok(Streams {
            cells: Staged::csv(folder, CELLS, CELLS_HEADER, opts.excel_bom)?,
            files: Staged::csv(folder, FILES, FILES_HEADER, opts.excel_bom)?,
            reports: Body::new(folder, REPORTS_BODY)?,
            findings: Body::new(folder, FINDINGS_BODY)?,
            journal,
            summary: Summary::default(),
        })
    }

    /// The next record of the output (all of it: its report line and CSV
    /// lines are read here).
    pub(super) fn add(&mut self, record: &Record) -> Result<(), OutputError> {
        self.summary.record(record);
        self.cells.write(record.cells.as_bytes())?;
        self.files
            .write(csv_lines(vec![record.files_row()]).as_bytes())?;
        self.reports
            .add(record.report_line().unwrap_or_default().as_bytes())?;
        self.findings.add(record.findings.as_bytes())?;
        if let Some((path, journal)) = &mut self.journal {
            write_record(journal, record).map_err(|source| OutputError::Io {
                path: path.clone(),
                source,
            })?;
        }
        Ok(())
    }

    /// Switches the rewritten journal (if `compact`) into place.
    pub(super) fn replace_journal(&mut self, folder: &OutputFolder) -> Result<(), OutputError> {
        let Some((path, mut journal)) = self.journal.take() else {
            return Ok(());
        };
        journal
            .flush()
            .map_err(|source| OutputError::Io { path, source })?;
        drop(journal);
        folder.replace_journal()
    }

    /// Flushes the bodies and opens them for [`Bodies::next`].
    pub(super) fn bodies(&mut self) -> Result<Bodies, OutputError> {
        Ok(Bodies {
            reports: self.reports.reader()?,
            findings: self.findings.reader()?,
        })
    }
}

/// Staged names of the two bodies (removed with the other partial files).
const REPORTS_BODY: &str = "reports.body";
const FINDINGS_BODY: &str = "findings.body";

/// Per-record pieces of one output, concatenated, with their lengths.
struct Body {
    path: PathBuf,
    out: BufWriter<File>,
    /// Per record; `u32`: a record's lines come from one input, far below
    /// 4 GiB (`Limits`), and this is 4 bytes a record at a million records.
    lengths: Vec<u32>,
}

impl Body {
    fn new(folder: &OutputFolder, name: &str) -> Result<Body, OutputError> {
        Ok(Body {
            path: partial(folder.dir(), name),
            out: BufWriter::with_capacity(1 << 16, folder.stage(name)?),
            lengths: Vec::new(),
        })
    }

    fn add(&mut self, piece: &[u8]) -> Result<(), OutputError> {
        let io = |source| OutputError::Io {
            path: self.path.clone(),
            source,
        };
        let len = u32::try_from(piece.len())
            .map_err(|_| io(std::io::Error::other("one record's lines exceed 4 GiB")))?;
        self.out.write_all(piece).map_err(io)?;
        self.lengths.push(len);
        Ok(())
    }

    fn reader(&mut self) -> Result<BodyReader, OutputError> {
        let io = |source| OutputError::Io {
            path: self.path.clone(),
            source,
        };
        self.out.flush().map_err(io)?;
        let file = File::open(&self.path).map_err(io)?;
        Ok(BodyReader {
            path: self.path.clone(),
            input: BufReader::with_capacity(1 << 16, file),
            lengths: std::mem::take(&mut self.lengths).into_iter(),
            piece: Vec::new(),
        })
    }
}

struct BodyReader {
    path: PathBuf,
    input: BufReader<File>,
    lengths: std::vec::IntoIter<u32>,
    piece: Vec<u8>,
}

impl BodyReader {
    /// The next record's piece (empty when it has none, or past the end).
    /// Bytes, not checked again as UTF-8: they were written from strings,
    /// and whoever parses them (the database thread) checks as it parses.
    fn next(&mut self) -> Result<&[u8], OutputError> {
        let len = self.lengths.next().unwrap_or(0) as usize;
        self.piece.resize(len, 0);
        self.input
            .read_exact(&mut self.piece)
            .map_err(|source| OutputError::Io {
                path: self.path.clone(),
                source,
            })?;
        Ok(&self.piece)
    }
}

/// The bodies read back in output order, once conversion is done.
pub(super) struct Bodies {
    reports: BodyReader,
    findings: BodyReader,
}

impl Bodies {
    /// The next record's report line (`None` if it was not converted) and
    /// `findings.csv` lines.
    pub(super) fn next(&mut self) -> Result<(Option<&[u8]>, &[u8]), OutputError> {
        let line = self.reports.next()?;
        let findings = self.findings.next()?;
        Ok(((!line.is_empty()).then_some(line), findings))
    }

    /// Removes the body files, read to the end.
    pub(super) fn remove(self) -> Result<(), OutputError> {
        for path in [self.reports.path, self.findings.path] {
            drop(std::fs::remove_file(&path));
        }
        Ok(())
    }
}
