//! What a sharded run leaves beside its outputs for `merge`
//! ([`super::merge`]): a marker naming its shard and its inputs, and the
//! position of each output row's input in the whole walk.
//!
//! The marker lets `merge` refuse parts that do not belong together (other
//! inputs, another shard count, a shard missing or given twice): a merged
//! result that silently lacks a twentieth of an archive looks complete. The
//! positions are kept in a file of their own, one decimal number per line
//! in the order of the part's records, rather than in the journal records:
//! they are rewritten by every run into the folder (a `--resume` after
//! files were added shifts them), while a reused record is not.

use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::OutputError;
use crate::inputs::Shard;

/// The marker of a sharded run's output folder.
pub const MARKER: &str = ".nianbao-shard.json";
/// The positions of its records' inputs.
pub const POSITIONS: &str = ".nianbao-positions";

/// What a sharded run writes to [`MARKER`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Marker {
    pub shard: Shard,
    /// The arguments (paths, or `manifest:FILE`) as given.
    pub inputs: Vec<String>,
    /// The nianbao version that wrote the part.
    pub tool: String,
}

impl Marker {
    pub fn new(shard: Shard, inputs: Vec<String>) -> Self {
        Marker {
            shard,
            inputs,
            tool: super::TOOL_VERSION.to_string(),
        }
    }

    /// The marker in `dir`, `None` when the folder is not a sharded part.
    pub fn read(dir: &Path) -> Result<Option<Marker>, OutputError> {
        let path = dir.join(MARKER);
        let io = |source| OutputError::Io {
            path: path.clone(),
            source,
        };
        match std::fs::read(&path) {
            Ok(bytes) => serde_json::from_slice(&bytes)
                .map(Some)
                .map_err(|e| io(std::io::Error::new(std::io::ErrorKind::InvalidData, e))),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(io(e)),
        }
    }
}

/// Removes what an earlier sharded run left in `dir`: a folder reused for
/// a plain run (or another shard) must not merge as the old shard.
pub fn unmark(dir: &Path) -> Result<(), OutputError> {
    for name in [MARKER, POSITIONS] {
        match std::fs::remove_file(dir.join(name)) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                return Err(OutputError::Io {
                    path: dir.join(name),
                    source: e,
                })
            }
            _ => {}
        }
    }
    Ok(())
}

/// Writes the marker and the positions of a sharded run's records (in the
/// order its outputs list them).
pub fn mark(dir: &Path, marker: &Marker, positions: &[u64]) -> Result<(), OutputError> {
    let path = dir.join(POSITIONS);
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| OutputError::Io { path, source }
    };
    let file = super::folder::open_no_follow(&path, true)?;
    let mut w = BufWriter::new(file);
    for p in positions {
        writeln!(w, "{p}").map_err(io(&path))?;
    }
    w.flush().map_err(io(&path))?;
    let json = serde_json::to_vec(marker).expect("markers serialize");
    let marker_path = dir.join(MARKER);
    let mut file = super::folder::open_no_follow(&marker_path, true)?;
    file.write_all(&json)
        .and_then(|()| file.write_all(b"\n"))
        .map_err(io(&marker_path))
}

/// The positions file of a part, read one line at a time.
pub struct PositionReader {
    path: PathBuf,
    lines: std::io::Split<BufReader<std::fs::File>>,
    line: usize,
}

impl PositionReader {
    pub fn open(dir: &Path) -> Result<Self, OutputError> {
        let path = dir.join(POSITIONS);
        let file = std::fs::File::open(&path).map_err(|source| OutputError::Io {
            path: path.clone(),
            source,
        })?;
        Ok(PositionReader {
            path,
            lines: BufReader::new(file).split(b'\n'),
            line: 0,
        })
    }

    /// The next position; `None` at the end of the file.
    pub fn next_position(&mut self) -> Result<Option<u64>, OutputError> {
        self.line += 1;
        let Some(line) = self.lines.next() else {
            return Ok(None);
        };
        let line = line.map_err(|source| OutputError::Io {
            path: self.path.clone(),
            source,
        })?;
        let text = String::from_utf8_lossy(&line);
        text.trim()
            .parse()
            .map(Some)
            .map_err(|e| OutputError::Journal {
                path: self.path.clone(),
                line: self.line,
                reason: format!("not a position: {e}"),
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_marked_folder_reads_back_and_unmarking_clears_it() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(Marker::read(dir.path()).unwrap(), None);
        let marker = Marker::new(Shard { index: 1, count: 3 }, vec!["in".into()]);
        mark(dir.path(), &marker, &[0, 4, 4, 9]).unwrap();
        assert_eq!(Marker::read(dir.path()).unwrap(), Some(marker));
        let mut r = PositionReader::open(dir.path()).unwrap();
        let mut got = Vec::new();
        while let Some(p) = r.next_position().unwrap() {
            got.push(p);
        }
        assert_eq!(got, [0, 4, 4, 9]);
        unmark(dir.path()).unwrap();
        assert_eq!(Marker::read(dir.path()).unwrap(), None);
        assert!(!dir.path().join(POSITIONS).exists());
    }
}
