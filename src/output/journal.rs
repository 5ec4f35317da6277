//! The append-only journal of a run (`DIR/.nianbao-journal.jsonl`): one
//! [`Record`] per line, each written with a single `write` (records of
//! reports are often over 8 KiB; a buffered writer split them in two, and a
//! kill between the two left a torn line in the middle of the file once the
//! next run appended to it), so a killed run keeps everything it finished.
//!
//! Reading it back (`--resume`) is strict: a torn or unreadable *last* line
//! is what a kill leaves and is cut; a bad line before the last is damage,
//! and an error naming the line (continuing would reconvert or lose every
//! record after it without a word). A journal written by another record
//! version or another nianbao version is not mixed in: everything is
//! converted again, and the run says so.

use std::collections::HashMap;
use std::fs::File;
use std::io::{BufRead, BufReader, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde_json::value::RawValue;

use super::records::{Record, RECORD_VERSION, TOOL_VERSION};
use super::OutputError;

pub const JOURNAL: &str = ".nianbao-journal.jsonl";

/// What an earlier run recorded for one source with known bytes.
#[derive(Debug, Clone)]
pub struct Prior {
    pub size: u64,
    pub hash: String,
    /// Where its record starts in the journal.
    pub offset: u64,
}

/// The earlier run's results, by source (the last record of each wins).
pub type Priors = HashMap<String, Prior>;

pub struct Journal {
    path: PathBuf,
    file: File,
    len: u64,
}

/// The journal's view of a line: only what resuming needs.
#[derive(Deserialize)]
struct Head {
    v: Option<u32>,
    tool: Option<String>,
    source: String,
    size: Option<u64>,
    hash: Option<String>,
}

/// What opening for `--resume` found.
pub struct Resumed {
    pub journal: Journal,
    pub priors: Priors,
    /// Set when the journal was of another version and was started afresh.
    pub stale: Option<String>,
}

impl Journal {
    /// A fresh, empty journal in `dir` (created without following links).
    pub fn create(dir: &Path) -> Result<Journal, OutputError> {
        let path = dir.join(JOURNAL);
        let file = super::folder::open_no_follow(&path, true)?;
        Ok(Journal { path, file, len: 0 })
    }

    /// Continues the journal in `dir`, returning what it already holds.
    pub fn resume(dir: &Path) -> Result<Resumed, OutputError> {
        let path = dir.join(JOURNAL);
        if path.symlink_metadata().is_err() {
            let journal = Journal::create(dir)?;
            return Ok(Resumed {
                journal,
                priors: Priors::new(),
                stale: None,
            });
        }
        let mut file = super::folder::open_no_follow(&path, false)?;
        let scan = scan(&mut file, &path)?;
        if let Some(stale) = scan.stale {
            let journal = Journal::create(dir)?;
            return Ok(Resumed {
                journal,
                priors: Priors::new(),
                stale: Some(stale),
            });
        }
        let io = |source| OutputError::Io {
            path: path.clone(),
            source,
        };
        file.set_len(scan.valid).map_err(io)?;
        file.seek(SeekFrom::End(0)).map_err(io)?;
        let journal = Journal {
            path: path.clone(),
            file,
            len: scan.valid,
        };
        Ok(Resumed {
            journal,
            priors: scan.priors,
            stale: None,
        })
    }

    /// Appends one record in one write; returns the offset it starts at.
    pub fn append(&mut self, record: &Record) -> Result<u64, OutputError> {
        self.append_line(&encode(record))
    }

    /// Appends a line made by [`encode`] in one write; returns the offset
    /// it starts at. The batch encodes on the converting thread, so the
    /// writer only writes.
    pub fn append_line(&mut self, line: &[u8]) -> Result<u64, OutputError> {
        debug_assert!(line.ends_with(b"\n"));
        let offset = self.len;
        self.file
            .write_all(line)
            .map_err(|source| OutputError::Io {
                path: self.path.clone(),
                source,
            })?;
        self.len += line.len() as u64;
        Ok(offset)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }
}

/// One record as one line, handed to `w` in a single `write_all` of one
/// buffer (one `write` call on a file).
pub fn write_record(w: &mut impl Write, record: &Record) -> std::io::Result<usize> {
    let line = encode(record);
    w.write_all(&line)?;
    Ok(line.len())
}

/// One record as its journal line, newline included.
pub fn encode(record: &Record) -> Vec<u8> {
    let mut line = serde_json::to_vec(record).expect("records serialize");
    line.push(b'\n');
    line
}

struct Scan {
    priors: Priors,
    valid: u64,
    stale: Option<String>,
}

fn scan(file: &mut File, path: &Path) -> Result<Scan, OutputError> {
    let io = |source| OutputError::Io {
        path: path.to_path_buf(),
        source,
    };
    let mut reader = BufReader::new(&mut *file);
    let mut priors = Priors::new();
    let (mut valid, mut number) = (0u64, 0usize);
    let mut line = Vec::new();
    let mut pending_error: Option<(usize, String)> = None;
    loop {
        line.clear();
        let n = reader.read_until(b'\n', &mut line).map_err(io)?;
        if n == 0 {
            break;
        }
        number += 1;
        if let Some((bad, reason)) = pending_error.take() {
            return Err(OutputError::Journal {
                path: path.to_path_buf(),
                line: bad,
                reason,
            });
        }
        if line.last() != Some(&b'\n') {
            break; // torn last line: a kill mid-write
        }
        let head = match serde_json::from_slice::<Head>(&line) {
            Ok(head) => head,
            Err(e) => {
                pending_error = Some((number, e.to_string()));
                continue;
            }
        };
        if head.v != Some(RECORD_VERSION) || head.tool.as_deref() != Some(TOOL_VERSION) {
            let stale = format!(
                "the journal in {} was written by another version (record format {}, nianbao {}); \
                 this is record format {RECORD_VERSION}, nianbao {TOOL_VERSION}: converting everything again",
                path.parent().unwrap_or(path).display(),
                head.v.map_or("1".into(), |v| v.to_string()),
                head.tool.as_deref().unwrap_or("0.1.0 or older"),
            );
            return Ok(Scan {
                priors: Priors::new(),
                valid: 0,
                stale: Some(stale),
            });
        }
        if let (Some(size), Some(hash)) = (head.size, head.hash) {
            priors.insert(
                head.source,
                Prior {
                    size,
                    hash,
                    offset: valid,
                },
            );
        } else {
            priors.remove(&head.source);
        }
        valid += n as u64;
    }
    Ok(Scan {
        priors,
        valid,
        stale: None,
    })
}

/// Reads records at given offsets (in any order) from a journal file.
pub struct RecordReader {
    path: PathBuf,
    reader: BufReader<File>,
    pos: u64,
    line: Vec<u8>,
}

impl RecordReader {
    pub fn open(path: &Path) -> Result<Self, OutputError> {
        let file = super::folder::open_no_follow(path, false)?;
        Ok(RecordReader {
            path: path.to_path_buf(),
            reader: BufReader::new(file),
            pos: 0,
            line: Vec::new(),
        })
    }

    /// The record starting at `offset`.
    pub fn at(&mut self, offset: u64) -> Result<Record, OutputError> {
        self.read_line(offset)?;
        self.parse(offset)
    }

    /// Only the report of the record at `offset` (the other fields are
    /// skipped, not decoded): the archive stage's pass needs no more.
    pub fn report_at(&mut self, offset: u64) -> Result<Option<Box<RawValue>>, OutputError> {
        #[derive(Deserialize)]
        struct OnlyReport {
            report: Option<Box<RawValue>>,
        }
        self.read_line(offset)?;
        Ok(self.parse::<OnlyReport>(offset)?.report)
    }

    fn parse<'a, T: Deserialize<'a>>(&'a self, offset: u64) -> Result<T, OutputError> {
        serde_json::from_slice(&self.line).map_err(|e| OutputError::Journal {
            path: self.path.clone(),
            line: 0,
            reason: format!("record at byte {offset}: {e}"),
        })
    }

    fn read_line(&mut self, offset: u64) -> Result<(), OutputError> {
        let io = |source| OutputError::Io {
            path: self.path.clone(),
            source,
        };
        if offset != self.pos {
            self.reader.seek(SeekFrom::Start(offset)).map_err(io)?;
        }
        self.line.clear();
        let n = (&mut self.reader)
            .take(u64::MAX)
            .read_until(b'\n', &mut self.line)
            .map_err(io)?;
        self.pos = offset + n as u64;
        Ok(())
    }

    /// The record after the last one read (the first, at the start); `None`
    /// at the end of the journal (`merge` reads a part's journal in order).
    pub fn next_record(&mut self) -> Result<Option<Record>, OutputError> {
        let at_end = self.reader.fill_buf().map_err(|source| OutputError::Io {
            path: self.path.clone(),
            source,
        })?;
        if at_end.is_empty() {
            return Ok(None);
        }
        self.at(self.pos).map(Some)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::value::RawValue;

    /// Counts `write` calls.
    struct Counting(usize, Vec<u8>);
    impl Write for Counting {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0 += 1;
            self.1.extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn a_large_record_is_one_write() {
        let record = Record {
            v: RECORD_VERSION,
            tool: TOOL_VERSION.into(),
            source: "big.html".into(),
            size: Some(1),
            hash: Some("0".into()),
            format: "html".into(),
            status: crate::pipeline::Status::Converted,
            reason: String::new(),
            error: String::new(),
            report: Some(RawValue::from_string(format!("\"{}\"", "x".repeat(100_000))).unwrap()),
            cells: String::new(),
            findings: "y".repeat(50_000),
            severities: [0; 3],
        };
        let mut w = Counting(0, Vec::new());
        write_record(&mut w, &record).unwrap();
        assert_eq!(w.0, 1);
        assert!(w.1.len() > 150_000 && w.1.ends_with(b"\n"));
    }
}
