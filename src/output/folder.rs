//! The output folder: one run at a time, never a mix of two runs' results,
//! never a write through a planted link.
//!
//! * A lock (`DIR/.nianbao-lock`, an advisory `flock` held for the whole
//!   run, released by the OS however the process ends) stops a second run
//!   into the same folder at once, naming the first (two concurrent runs
//!   both exited 0 and lost most reports).
//! * A folder holding an earlier run's outputs is refused unless `--resume`
//!   or `--overwrite` is given; `--overwrite` removes them before anything
//!   new is written.
//! * Every file nianbao creates is opened with `O_NOFOLLOW` (and temporary
//!   files `O_EXCL`), and a folder with any symbolic link in it is refused: a
//!   pre-planted `.files.csv.partial -> ~/.bashrc` made the old writer
//!   overwrite the link's target.
//! * The output set switches as a whole ([`OutputFolder::commit`]): new
//!   files are written under temporary names; then the manifest `run.json`
//!   is removed, the old outputs are removed, the new ones renamed into
//!   place, and a new `run.json` (listing every output with its size and
//!   hash) written last. Whatever the kill point, a folder with a `run.json`
//!   holds exactly the set it lists, and old and new outputs never coexist.

use std::fs::File;
use std::io::{Read, Write};
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

use super::{OutputError, CELLS, FILES, FINDINGS, JOURNAL, MANIFEST, REPORTS};

pub const LOCK: &str = ".nianbao-lock";

/// How to treat an output folder that already holds a run's results.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Refuse a folder with an earlier run's outputs.
    Fresh,
    /// Continue the earlier run (`--resume`).
    Resume,
    /// Remove the earlier run's outputs first (`--overwrite`).
    Overwrite,
}

/// Names of an earlier run's files (outputs other writers add join them
/// through [`OutputFolder::commit`]'s list, written into `run.json`).
const RUN_FILES: &[&str] = &[REPORTS, CELLS, FINDINGS, FILES, MANIFEST, JOURNAL];

/// Opens `path` for writing without following a link: `create_new` makes a
/// temporary file that must not exist yet; otherwise the file is created or
/// opened in place (journal, lock).
pub fn open_no_follow(path: &Path, truncate: bool) -> Result<File, OutputError> {
    let mut o = std::fs::OpenOptions::new();
    o.read(true).write(true).create(true).custom_flags(libc::O_NOFOLLOW);
    if truncate {
        o.truncate(true);
    }
    o.open(path).map_err(|source| link_or_io(path, source))
}

fn create_new(path: &Path) -> Result<File, OutputError> {
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .custom_flags(libc::O_NOFOLLOW)
        .open(path)
        .map_err(|source| link_or_io(path, source))
}

fn link_or_io(path: &Path, source: std::io::Error) -> OutputError {
    if path.symlink_metadata().is_ok_and(|m| m.file_type().is_symlink()) {
        OutputError::Link(path.to_path_buf())
    } else {
        OutputError::Io { path: path.to_path_buf(), source }
    }
}

/// The partial (temporary) name of an output.
pub fn partial(dir: &Path, name: &str) -> PathBuf {
    dir.join(format!(".{name}.partial"))
}

/// A locked output folder.
pub struct OutputFolder {
    dir: PathBuf,
    _lock: File,
}

impl OutputFolder {
    pub fn open(dir: &Path, mode: Mode) -> Result<OutputFolder, OutputError> {
        let io = |source| OutputError::Io { path: dir.to_path_buf(), source };
        std::fs::create_dir_all(dir).map_err(io)?;
        refuse_links(dir)?;
        let lock = lock(dir)?;
        let folder = OutputFolder { dir: dir.to_path_buf(), _lock: lock };
        let earlier: Vec<&str> = RUN_FILES
            .iter()
            .copied()
            .filter(|n| dir.join(n).symlink_metadata().is_ok())
            .collect();
        match mode {
            Mode::Fresh if !earlier.is_empty() => {
                return Err(OutputError::EarlierRun { dir: dir.to_path_buf(), found: earlier[0].into() })
            }
            Mode::Overwrite => {
                for name in earlier {
                    remove(&dir.join(name))?;
                }
            }
            _ => {}
        }
        folder.remove_partials()?;
        Ok(folder)
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Temporary files a killed run left behind.
    pub fn remove_partials(&self) -> Result<(), OutputError> {
        let entries = std::fs::read_dir(&self.dir)
            .map_err(|source| OutputError::Io { path: self.dir.clone(), source })?;
        for e in entries.flatten() {
            let name = e.file_name();
            let name = name.to_string_lossy();
            if name.starts_with('.') && name.ends_with(".partial") {
                remove(&e.path())?;
            }
        }
        Ok(())
    }

    /// A new temporary file for output `name`.
    pub fn stage(&self, name: &str) -> Result<File, OutputError> {
        let path = partial(&self.dir, name);
        remove(&path)?;
        create_new(&path)
    }

    /// Switches the staged outputs `names` into place as one set (see the
    /// module documentation), then writes `manifest` as `run.json`.
    pub fn commit(&self, names: &[&str], manifest: &[u8]) -> Result<(), OutputError> {
        remove(&self.dir.join(MANIFEST))?;
        for name in names {
            remove(&self.dir.join(name))?;
        }
        for name in names {
            let to = self.dir.join(name);
            std::fs::rename(partial(&self.dir, name), &to)
                .map_err(|source| OutputError::Io { path: to, source })?;
        }
        let mut file = self.stage(MANIFEST)?;
        file.write_all(manifest)
            .map_err(|source| OutputError::Io { path: partial(&self.dir, MANIFEST), source })?;
        drop(file);
        let to = self.dir.join(MANIFEST);
        std::fs::rename(partial(&self.dir, MANIFEST), &to)
            .map_err(|source| OutputError::Io { path: to, source })
    }

    /// Replaces the journal by a staged (compacted) one, atomically.
    pub fn replace_journal(&self) -> Result<(), OutputError> {
        let to = self.dir.join(JOURNAL);
        std::fs::rename(partial(&self.dir, JOURNAL), &to)
            .map_err(|source| OutputError::Io { path: to, source })
    }
}

fn remove(path: &Path) -> Result<(), OutputError> {
    match std::fs::remove_file(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
            Err(OutputError::Io { path: path.to_path_buf(), source: e })
        }
        _ => Ok(()),
    }
}

/// Refuses a folder holding any symbolic link.
fn refuse_links(dir: &Path) -> Result<(), OutputError> {
    let entries =
        std::fs::read_dir(dir).map_err(|source| OutputError::Io { path: dir.to_path_buf(), source })?;
    for e in entries.flatten() {
        if e.file_type().is_ok_and(|t| t.is_symlink()) {
            return Err(OutputError::Link(e.path()));
        }
    }
    Ok(())
}

/// Takes the folder's lock, or names the run that holds it.
fn lock(dir: &Path) -> Result<File, OutputError> {
    let path = dir.join(LOCK);
    let mut file = open_no_follow(&path, false)?;
    match file.try_lock() {
        Ok(()) => {}
        Err(std::fs::TryLockError::WouldBlock) => {
            let mut holder = String::new();
            let _ = file.read_to_string(&mut holder);
            let holder = holder.trim().chars().take(200).collect::<String>();
            return Err(OutputError::Locked { dir: dir.to_path_buf(), holder });
        }
        Err(std::fs::TryLockError::Error(source)) => return Err(OutputError::Io { path, source }),
    }
    let io = |source| OutputError::Io { path: path.clone(), source };
    file.set_len(0).map_err(io)?;
    let started = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    write!(file, "pid {} (started at unix time {started})", std::process::id()).map_err(io)?;
    Ok(file)
}
