//! What an invocation covers: files and folders walked recursively, and
//! `.zip` / `.tar.gz` / `.tar` archives read in place (never unpacked to disk).
//!
//! Inputs are produced lazily, in sorted order, as [`Job`]s: a file on disk
//! is read by the worker that converts it; an archive member is read here,
//! sequentially, because archives are streams (tar.gz) or cheap to read in
//! order (zip). Either way only the jobs of the current batch window are in
//! memory at once.
//!
//! Every input gets exactly one job, so every input gets a row in
//! `files.csv`: unreadable entries, links inside archives, devices and FIFOs,
//! empty archives and nianbao's own output folders are accounted for with a
//! reason rather than dropped. What is not an input at all (hidden folders
//! unless `--hidden`, paths `--glob`/`--exclude` leave out) gets no row.

pub mod manifest;
pub mod shard;
mod tar;
mod walk;
mod zip;

use std::io::Read;
use std::path::{Path, PathBuf};

use crate::readers::{ErrorKind, Limits, ReadError};
pub use crate::source::SourceId;

pub use shard::Shard;
pub use walk::{count_files, Walk};

/// One top-level input: a path to walk (a command-line argument or a
/// manifest line), or a manifest line that could not be used, already
/// accounted for as a failed job.
#[derive(Debug)]
pub enum Input {
    Path(PathBuf),
    Failed(Job),
}

/// One input to convert, or to account for.
#[derive(Debug)]
pub struct Job {
    pub source: SourceId,
    pub content: Content,
}

#[derive(Debug)]
pub enum Content {
    /// A file on disk, read when converted; `size` as the file system
    /// reports it (used only to bound the bytes in flight: reading counts).
    Path { path: PathBuf, size: u64 },
    /// An archive member, already read.
    Bytes(Vec<u8>),
    /// Accounted for but not converted (not a report, a nested archive).
    Skip(String),
    /// Could not be read at all (unreadable, a link loop, a corrupt archive).
    Fail(ReadError),
}

/// The typed error for a reason this module wrote: its kind follows from
/// the wording every reason here starts with.
pub(crate) fn fail(reason: String) -> Content {
    let kind = if reason.starts_with("over the limit") {
        ErrorKind::OverLimit
    } else if reason.starts_with("encrypted") {
        ErrorKind::Encrypted
    } else if reason.starts_with("unsupported") {
        ErrorKind::Unsupported
    } else if ["corrupt", "damaged", "cut short"]
        .iter()
        .any(|p| reason.starts_with(p))
    {
        ErrorKind::Corrupt
    } else {
        ErrorKind::Unreadable
    };
    Content::Fail(ReadError::new(kind, reason))
}

impl Job {
    fn new(source: SourceId, content: Content) -> Self {
        Job { source, content }
    }
}

/// What to walk and what to leave out.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    /// Walk hidden folders and read hidden files (`--hidden`).
    pub hidden: bool,
    /// Only paths matching one of these (`--glob`), relative to the argument;
    /// archive members by their name. Explicit file arguments always count.
    pub include: Option<globset::GlobSet>,
    /// Never paths matching one of these (`--exclude`).
    pub exclude: Option<globset::GlobSet>,
    /// Folders never read as input (the output folder), by identity.
    pub avoid: Vec<PathBuf>,
}

impl Selection {
    /// Whether a file at `rel` (relative to its argument) is an input.
    fn selects(&self, rel: &Path, is_archive: bool) -> bool {
        if self.exclude.as_ref().is_some_and(|g| g.is_match(rel)) {
            return false;
        }
        is_archive || self.include.as_ref().is_none_or(|g| g.is_match(rel))
    }
}

/// Builds a glob set from `--glob`/`--exclude` patterns.
pub fn glob_set(patterns: &[String]) -> Result<Option<globset::GlobSet>, globset::Error> {
    if patterns.is_empty() {
        return Ok(None);
    }
    let mut b = globset::GlobSetBuilder::new();
    for p in patterns {
        b.add(
            globset::GlobBuilder::new(p)
                .literal_separator(false)
                .build()?,
        );
    }
    b.build().map(Some)
}

/// Extensions that are never reports: such files are listed as skipped, so
/// every file is accounted for.
const NOT_REPORTS: &[&str] = &[
    "jpg", "jpeg", "png", "gif", "bmp", "webp", "svg", "ico", "css", "js", "json", "jsonl", "mp4",
    "mp3", "exe", "dll", "so", "7z", "rar", "py", "sh", "rs", "toml", "lock", "yml", "yaml",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ArchiveKind {
    Zip,
    TarGz,
    Tar,
}

pub(crate) fn archive_kind(path: &Path) -> Option<ArchiveKind> {
    let name = path.file_name()?.to_string_lossy().to_ascii_lowercase();
    if name.ends_with(".zip") {
        Some(ArchiveKind::Zip)
    } else if name.ends_with(".tar.gz") || name.ends_with(".tgz") {
        Some(ArchiveKind::TarGz)
    } else if name.ends_with(".tar") {
        Some(ArchiveKind::Tar)
    } else {
        None
    }
}

/// Why a file is skipped without being read, if it is.
pub fn skip_reason(name: &str, hidden: bool) -> Option<String> {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    if base.starts_with('.') && !hidden {
        return Some("hidden file".into());
    }
    let ext = base.rsplit_once('.')?.1.to_ascii_lowercase();
    NOT_REPORTS
        .contains(&ext.as_str())
        .then(|| format!("not a report format (.{ext})"))
}

/// All jobs for `args`, in sorted order, produced lazily (default selection).
pub fn jobs(args: &[PathBuf], limits: Limits) -> Walk {
    Walk::new(args, Selection::default(), limits)
}

/// Reads at most `limit` bytes; more is an error (zip bombs, huge members,
/// `/dev/zero`), with the message `over` gives. `inflated` counts every byte
/// read, also when the member is refused.
pub(crate) fn read_capped(
    reader: impl Read,
    limit: u64,
    inflated: &mut u64,
    over: impl FnOnce() -> String,
) -> Result<Vec<u8>, String> {
    let mut bytes = Vec::new();
    let read = reader.take(limit.saturating_add(1)).read_to_end(&mut bytes);
    *inflated += bytes.len() as u64;
    read.map_err(|e| format!("cannot be read: {e}"))?;
    if bytes.len() as u64 > limit {
        return Err(over());
    }
    Ok(bytes)
}

fn member_over(limit: u64) -> String {
    format!("over the limit: member inflates past {limit} bytes")
}

/// The job for one archive member's name and (lazily read) bytes.
/// `name` is the member's normalized name; `None` when the selection
/// leaves the member out.
fn member_job(
    source: SourceId,
    name: &str,
    sel: &Selection,
    read: impl FnOnce() -> Result<Vec<u8>, String>,
) -> Option<Job> {
    if !sel.selects(Path::new(name), false) {
        return None;
    }
    if let Some(reason) = skip_reason(name, sel.hidden) {
        return Some(Job::new(source, Content::Skip(reason)));
    }
    let lower = name.to_ascii_lowercase();
    if [".zip", ".tar.gz", ".tgz", ".tar", ".rar", ".7z"]
        .iter()
        .any(|e| lower.ends_with(e))
    {
        let reason = "nested archive: not opened (unpack it first)".to_string();
        return Some(Job::new(source, Content::Skip(reason)));
    }
    Some(match read() {
        Ok(bytes) => Job::new(source, Content::Bytes(bytes)),
        Err(reason) => Job::new(source, fail(reason)),
    })
}

/// Opens an archive on disk as a stream of member jobs.
fn open_archive(
    path: &Path,
    kind: ArchiveKind,
    source: SourceId,
    sel: Selection,
    limits: Limits,
) -> Box<dyn Iterator<Item = Job>> {
    let members: Result<Box<dyn Iterator<Item = Job>>, String> = match kind {
        ArchiveKind::Zip => zip::members(path, &source, sel, limits),
        ArchiveKind::TarGz | ArchiveKind::Tar => {
            tar::members(path, kind == ArchiveKind::TarGz, &source, sel, limits)
        }
    };
    let members = match members {
        Ok(m) => m,
        Err(reason) => return Box::new(std::iter::once(Job::new(source, fail(reason)))),
    };
    // An archive with no member at all still gets its row.
    let mut members = members.peekable();
    if members.peek().is_none() {
        let reason = "empty archive: it holds no files".to_string();
        return Box::new(std::iter::once(Job::new(source, Content::Skip(reason))));
    }
    Box::new(members)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skips() {
        assert!(skip_reason("x/.DS_Store", false).is_some());
        assert!(skip_reason("x/.DS_Store", true).is_none());
        assert!(skip_reason("logo.PNG", false).is_some());
        assert!(skip_reason("report.docx", false).is_none());
        assert!(skip_reason("README", false).is_none());
    }

    #[test]
    fn globs_select_and_exclude() {
        let sel = Selection {
            include: glob_set(&["*.html".into()]).unwrap(),
            exclude: glob_set(&["drafts/**".into()]).unwrap(),
            ..Selection::default()
        };
        assert!(sel.selects(Path::new("a/b.html"), false));
        assert!(!sel.selects(Path::new("a/b.txt"), false));
        assert!(sel.selects(Path::new("a/b.zip"), true));
        assert!(!sel.selects(Path::new("drafts/b.html"), false));
    }
}
