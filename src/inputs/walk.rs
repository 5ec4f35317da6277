//! Walking the arguments: folders recursively, sorted by name, following
//! links with loop detection; every entry met becomes one job (or none, when
//! the selection leaves it out).
//!
//! Entries that are not regular files (FIFOs, devices, sockets) are skipped
//! without being opened: opening a FIFO blocks forever, and `/dev/zero` reads
//! forever. A folder holding a nianbao journal or lock (the output folder of
//! this or another run) is never read as input: the next run would convert
//! its own `cells.csv` as a text report.

use std::os::unix::fs::{FileTypeExt, MetadataExt};
use std::path::{Path, PathBuf};

use super::{archive_kind, fail, open_archive, skip_reason, Content, Input, Job, Selection, Shard};
use crate::readers::Limits;
use crate::source::{display_path, normalize_arg, SourceId};

/// Names that mark a folder as nianbao's output.
const OUTPUT_MARKERS: &[&str] = &[crate::output::JOURNAL, crate::output::folder::LOCK];

/// The lazy, sorted stream of jobs for a list of arguments.
pub struct Walk {
    args: Box<dyn Iterator<Item = Input>>,
    current: Option<(PathBuf, walkdir::IntoIter)>,
    members: Option<Box<dyn Iterator<Item = Job>>>,
    sel: Selection,
    avoid: Vec<(u64, u64)>,
    limits: Limits,
    /// Only this shard's inputs become jobs (`--shard`).
    shard: Option<Shard>,
    /// Entries met so far (walked or not a job, in any shard): the position
    /// of the current top-level input in the whole walk.
    entries: u64,
}

impl Walk {
    pub fn new(args: &[PathBuf], sel: Selection, limits: Limits) -> Self {
        let args: Vec<Input> = args.iter().cloned().map(Input::Path).collect();
        Walk::of_inputs(args.into_iter(), sel, limits)
    }

    /// The walk of inputs given lazily (a manifest's lines).
    pub fn of_inputs(
        inputs: impl Iterator<Item = Input> + 'static,
        sel: Selection,
        limits: Limits,
    ) -> Self {
        let avoid = sel
            .avoid
            .iter()
            .filter_map(|p| std::fs::metadata(p).ok())
            .map(|m| (m.dev(), m.ino()))
            .collect();
        let args = inputs.map(|input| match input {
            Input::Path(p) => Input::Path(normalize_arg(&p)),
            failed => failed,
        });
        Walk {
            args: Box::new(args),
            current: None,
            members: None,
            sel,
            avoid,
            limits,
            shard: None,
            entries: 0,
        }
    }

    /// Keeps only `shard`'s inputs. The walk itself is unchanged (every
    /// shard meets every entry, so positions agree); an archive another
    /// shard owns is never opened.
    pub fn sharded(mut self, shard: Option<Shard>) -> Self {
        self.shard = shard;
        self
    }

    /// The position, in the whole walk, of the input the last job came
    /// from; an archive's members share their archive's.
    pub fn position(&self) -> u64 {
        self.entries.saturating_sub(1)
    }

    fn owns(&self, source: &SourceId) -> bool {
        self.shard.is_none_or(|s| s.owns(source.path()))
    }

    fn is_output_folder(&self, dir: &Path) -> bool {
        let avoided =
            std::fs::metadata(dir).is_ok_and(|m| self.avoid.contains(&(m.dev(), m.ino())));
        avoided
            || OUTPUT_MARKERS
                .iter()
                .any(|m| dir.join(m).symlink_metadata().is_ok())
    }

    /// The job for one walked entry, if it is an input.
    fn entry_job(&mut self, arg: &Path, entry: walkdir::DirEntry) -> Option<Job> {
        let path = entry.path();
        let rel = path.strip_prefix(arg).unwrap_or(path);
        let source = SourceId::file(display_path(arg, path));
        let explicit = entry.depth() == 0;
        let ft = entry.file_type();
        if ft.is_dir() {
            if self.is_output_folder(path) {
                self.skip_dir();
                let reason = "nianbao output folder: never read as input".to_string();
                return self
                    .owns(&source)
                    .then(|| Job::new(source, Content::Skip(reason)));
            }
            let hidden = entry.file_name().as_encoded_bytes().starts_with(b".");
            if hidden && !explicit && !self.sel.hidden {
                self.skip_dir();
            }
            return None;
        }
        if !self.owns(&source) {
            return None;
        }
        let kind = archive_kind(path);
        if !explicit && !self.sel.selects(rel, kind.is_some()) {
            return None;
        }
        if !ft.is_file() {
            return Some(Job::new(source, Content::Skip(not_regular(&ft))));
        }
        if let Some(reason) = skip_reason(&source.to_string(), self.sel.hidden || explicit) {
            return Some(Job::new(source, Content::Skip(reason)));
        }
        let size = entry.metadata().map_or(0, |m| m.len());
        match kind {
            None => Some(Job::new(
                source,
                Content::Path {
                    path: entry.into_path(),
                    size,
                },
            )),
            Some(kind) => {
                let mut members = open_archive(path, kind, source, self.sel.clone(), self.limits);
                let first = members.next();
                self.members = Some(members);
                first
            }
        }
    }

    fn skip_dir(&mut self) {
        if let Some((_, it)) = &mut self.current {
            it.skip_current_dir();
        }
    }
}

fn not_regular(ft: &std::fs::FileType) -> String {
    let what = if ft.is_fifo() {
        "a FIFO"
    } else if ft.is_char_device() || ft.is_block_device() {
        "a device"
    } else if ft.is_socket() {
        "a socket"
    } else {
        "not a file"
    };
    format!("not a regular file ({what}): not read")
}

fn walk_error(arg: &Path, err: &walkdir::Error) -> Job {
    let source = SourceId::file(display_path(arg, err.path().unwrap_or(arg)));
    let reason = if err.loop_ancestor().is_some() {
        "symbolic link loop: not followed".to_string()
    } else {
        format!(
            "cannot be read: {}",
            err.io_error()
                .map_or_else(|| err.to_string(), ToString::to_string)
        )
    };
    Job::new(source, fail(reason))
}

impl Iterator for Walk {
    type Item = Job;

    fn next(&mut self) -> Option<Job> {
        loop {
            if let Some(members) = &mut self.members {
                match members.next() {
                    Some(job) => return Some(job),
                    None => self.members = None,
                }
            }
            if self.current.is_none() {
                let arg = match self.args.next()? {
                    Input::Path(arg) => arg,
                    Input::Failed(job) => {
                        self.entries += 1;
                        match self.owns(&job.source) {
                            true => return Some(job),
                            false => continue,
                        }
                    }
                };
                let it = walkdir::WalkDir::new(&arg)
                    .follow_links(true)
                    .sort_by(|a, b| a.file_name().cmp(b.file_name()))
                    .into_iter();
                self.current = Some((arg, it));
            }
            let (arg, it) = self.current.as_mut().expect("set above");
            let arg = arg.clone();
            let next = it.next();
            self.entries += u64::from(next.is_some());
            match next {
                None => self.current = None,
                Some(Err(err)) => {
                    let job = walk_error(&arg, &err);
                    if self.owns(&job.source) {
                        return Some(job);
                    }
                }
                Some(Ok(entry)) => {
                    if let Some(job) = self.entry_job(&arg, entry) {
                        return Some(job);
                    }
                }
            }
        }
    }
}

/// Files on disk under the arguments, for the progress bar (archive members
/// are added as they are met): walking names is cheap next to converting.
pub fn count_files(args: &[PathBuf], sel: &Selection) -> u64 {
    let mut n = 0;
    for arg in args {
        let mut it = walkdir::WalkDir::new(arg).follow_links(true).into_iter();
        while let Some(entry) = it.next() {
            let Ok(e) = entry else { continue };
            let hidden = e.depth() > 0 && e.file_name().as_encoded_bytes().starts_with(b".");
            if e.file_type().is_dir() && hidden && !sel.hidden {
                it.skip_current_dir();
            } else if !e.file_type().is_dir() && archive_kind(e.path()).is_none() {
                n += 1;
            }
        }
    }
    n
}
