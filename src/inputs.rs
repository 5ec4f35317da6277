//! What an invocation covers: files and folders walked recursively, and
//! `.zip` / `.tar.gz` archives read in place (never unpacked to disk).
//!
//! Inputs are produced lazily, in sorted order, as [`Job`]s: a file on disk
//! is read by the worker that converts it; an archive member is read here,
//! sequentially, because archives are streams (tar.gz) or cheap to read in
//! order (zip). Either way only the jobs of the current batch window are in
//! memory at once.

use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

use crate::readers::{ErrorKind, Limits, ReadError};

/// One input to convert, or to account for.
#[derive(Debug)]
pub struct Job {
    /// The name written to the output: the path as found under the argument;
    /// for archive members `archive.zip!member/path.html`.
    pub source: String,
    pub content: Content,
}

#[derive(Debug)]
pub enum Content {
    /// A file on disk, read when converted.
    Path(PathBuf),
    /// An archive member, already read.
    Bytes(Vec<u8>),
    /// Accounted for but not converted (not a report, a nested archive).
    Skip(String),
    /// Could not be read at all (unreadable, a link loop, a corrupt archive).
    Fail(ReadError),
}

/// Extensions that are never reports: such files are listed as skipped, so
/// every file is accounted for.
const NOT_REPORTS: &[&str] = &[
    "jpg", "jpeg", "png", "gif", "bmp", "webp", "svg", "ico", "css", "js", "json", "jsonl", "mp4",
    "mp3", "exe", "dll", "so", "7z", "rar", "py", "sh", "rs", "toml", "lock", "yml", "yaml", "md",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ArchiveKind {
    Zip,
    TarGz,
    Tar,
}

fn archive_kind(path: &Path) -> Option<ArchiveKind> {
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
pub fn skip_reason(name: &str) -> Option<String> {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    if base.starts_with('.') {
        return Some("hidden file".into());
    }
    let ext = base.rsplit_once('.')?.1.to_ascii_lowercase();
    NOT_REPORTS
        .contains(&ext.as_str())
        .then(|| format!("not a report format (.{ext})"))
}

/// All jobs for `args`, in sorted order, produced lazily.
pub fn jobs(args: &[PathBuf], limits: Limits) -> impl Iterator<Item = Job> + '_ {
    args.iter().flat_map(move |arg| {
        walkdir::WalkDir::new(arg)
            .follow_links(true)
            .sort_by_file_name()
            .into_iter()
            .flat_map(move |entry| {
                let jobs: Box<dyn Iterator<Item = Job>> = match entry {
                    Ok(e) if e.file_type().is_file() => file_jobs(e.into_path(), limits),
                    Ok(_) => Box::new(std::iter::empty()),
                    Err(err) => Box::new(std::iter::once(walk_error(arg, &err))),
                };
                jobs
            })
    })
}

fn walk_error(arg: &Path, err: &walkdir::Error) -> Job {
    let source = err.path().unwrap_or(arg).to_string_lossy().into_owned();
    let reason = if err.loop_ancestor().is_some() {
        "symbolic link loop: not followed".to_string()
    } else {
        format!(
            "cannot be read: {}",
            err.io_error()
                .map_or_else(|| err.to_string(), ToString::to_string)
        )
    };
    let reason = ReadError::new(ErrorKind::Unreadable, reason);
    Job {
        source,
        content: Content::Fail(reason),
    }
}

fn file_jobs(path: PathBuf, limits: Limits) -> Box<dyn Iterator<Item = Job>> {
    let source = path.to_string_lossy().into_owned();
    if let Some(reason) = skip_reason(&source) {
        return Box::new(std::iter::once(Job {
            source,
            content: Content::Skip(reason),
        }));
    }
    match archive_kind(&path) {
        None => Box::new(std::iter::once(Job {
            source,
            content: Content::Path(path),
        })),
        Some(kind) => match open_archive(&path, kind, &source, limits) {
            Ok(members) => members,
            Err(reason) => Box::new(std::iter::once(Job {
                source,
                content: Content::Fail(ReadError::new(ErrorKind::Unreadable, reason)),
            })),
        },
    }
}

fn open_archive(
    path: &Path,
    kind: ArchiveKind,
    source: &str,
    limits: Limits,
) -> Result<Box<dyn Iterator<Item = Job>>, String> {
    let file = File::open(path).map_err(|e| format!("cannot be read: {e}"))?;
    Ok(match kind {
        ArchiveKind::Zip => Box::new(ZipMembers::new(file, source, limits)?),
        ArchiveKind::TarGz => Box::new(TarMembers::new(
            Box::new(flate2::read::GzDecoder::new(file)),
            source,
            limits,
        )),
        ArchiveKind::Tar => Box::new(TarMembers::new(Box::new(file), source, limits)),
    })
}

/// Member names are only ever used as labels, never as paths to write to, so
/// zip-slip ("../../etc/passwd") cannot escape anything; they are still
/// normalized so the label is honest and stable.
fn member_label(archive: &str, name: &str) -> String {
    let clean: Vec<&str> = name
        .split(['/', '\\'])
        .filter(|p| !p.is_empty() && *p != "." && *p != "..")
        .collect();
    format!("{archive}!{}", clean.join("/"))
}

/// Reads at most `limit` bytes; more is an error (zip bombs, huge members),
/// with the message `over` gives. `inflated` counts every byte read, also
/// when the member is refused: a bomb's refused members cost inflating too.
fn read_capped(
    reader: impl Read,
    limit: u64,
    inflated: &mut u64,
    over: impl FnOnce() -> ReadError,
) -> Result<Vec<u8>, ReadError> {
    let mut bytes = Vec::new();
    let read = reader.take(limit + 1).read_to_end(&mut bytes);
    *inflated += bytes.len() as u64;
    read.map_err(|e| {
        ReadError::new(
            ErrorKind::Unreadable,
            format!("cannot be read from the archive: {e}"),
        )
    })?;
    if bytes.len() as u64 > limit {
        return Err(over());
    }
    Ok(bytes)
}

fn member_over(limit: u64) -> ReadError {
    ReadError::over_limit(format!("member inflates past {limit} bytes"))
}

/// The job for one archive member's name and (lazily read) bytes.
fn member_job(label: String, name: &str, read: impl FnOnce() -> Result<Vec<u8>, ReadError>) -> Job {
    if let Some(reason) = skip_reason(name) {
        return Job {
            source: label,
            content: Content::Skip(reason),
        };
    }
    let lower = name.to_ascii_lowercase();
    if [".zip", ".tar.gz", ".tgz", ".tar", ".rar", ".7z"]
        .iter()
        .any(|e| lower.ends_with(e))
    {
        return Job {
            source: label,
            content: Content::Skip("nested archive: not opened (unpack it first)".into()),
        };
    }
    match read() {
        Ok(bytes) => Job {
            source: label,
            content: Content::Bytes(bytes),
        },
        Err(reason) => Job {
            source: label,
            content: Content::Fail(reason),
        },
    }
}

struct ZipMembers {
    archive: zip::ZipArchive<File>,
    names: std::vec::IntoIter<(usize, String)>,
    source: String,
    limits: Limits,
    inflated: u64,
}

impl ZipMembers {
    fn new(file: File, source: &str, limits: Limits) -> Result<Self, String> {
        let archive =
            zip::ZipArchive::new(file).map_err(|e| format!("corrupt ZIP archive: {e}"))?;
        let mut names: Vec<(usize, String)> = (0..archive.len())
            .filter_map(|i| archive.name_for_index(i).map(|n| (i, n.to_string())))
            .filter(|(_, n)| !n.ends_with('/'))
            .collect();
        names.sort_by(|a, b| a.1.cmp(&b.1));
        Ok(ZipMembers {
            archive,
            names: names.into_iter(),
            source: source.to_string(),
            limits,
            inflated: 0,
        })
    }
}

impl Iterator for ZipMembers {
    type Item = Job;

    fn next(&mut self) -> Option<Job> {
        let (index, name) = self.names.next()?;
        let label = member_label(&self.source, &name);
        // Every member is capped at the file limit, and all members together
        // at the inflated-size limit, counting the bytes of refused members:
        // a small archive of many bomb members costs at most that much work.
        let (per_member, total) = (self.limits.max_file_bytes, self.limits.max_inflated_bytes);
        let budget = total.saturating_sub(self.inflated);
        let over_total = move || {
            ReadError::over_limit(format!(
                "the archive's members inflate past {total} bytes in all (the limit per archive)"
            ))
        };
        let (archive, inflated) = (&mut self.archive, &mut self.inflated);
        Some(member_job(label, &name, || {
            if budget == 0 {
                return Err(over_total());
            }
            let member = archive.by_index(index).map_err(|e| {
                ReadError::new(ErrorKind::Corrupt, format!("corrupt ZIP member: {e}"))
            })?;
            if budget < per_member {
                read_capped(member, budget, inflated, over_total)
            } else {
                read_capped(member, per_member, inflated, || member_over(per_member))
            }
        }))
    }
}

/// Tar entries borrow their archive, so a tar stream is read on its own
/// thread, which hands members over a small bounded channel: one member in
/// flight, memory flat, and no self-referential struct.
struct TarMembers {
    receiver: std::sync::mpsc::IntoIter<Job>,
}

impl TarMembers {
    fn new(reader: Box<dyn Read + Send>, source: &str, limits: Limits) -> Self {
        let (sender, receiver) = std::sync::mpsc::sync_channel(4);
        let source = source.to_string();
        std::thread::spawn(move || {
            let mut archive = tar::Archive::new(reader);
            let fail = |reason: String| Job {
                source: source.clone(),
                content: Content::Fail(ReadError::new(ErrorKind::Corrupt, reason)),
            };
            let entries = match archive.entries() {
                Ok(entries) => entries,
                Err(e) => {
                    let _ = sender.send(fail(format!("corrupt tar archive: {e}")));
                    return;
                }
            };
            for entry in entries {
                let job = match entry {
                    Ok(entry) if !entry.header().entry_type().is_file() => continue,
                    Ok(entry) => {
                        let name = entry
                            .path()
                            .map(|p| p.to_string_lossy().into_owned())
                            .unwrap_or_default();
                        let label = member_label(&source, &name);
                        member_job(label, &name, || {
                            read_capped(entry, limits.max_file_bytes, &mut 0, || {
                                member_over(limits.max_file_bytes)
                            })
                        })
                    }
                    Err(e) => fail(format!("corrupt tar archive: {e}")),
                };
                let stop = matches!(job.content, Content::Fail(_)) && job.source == source;
                if sender.send(job).is_err() || stop {
                    return;
                }
            }
        });
        TarMembers {
            receiver: receiver.into_iter(),
        }
    }
}

impl Iterator for TarMembers {
    type Item = Job;

    fn next(&mut self) -> Option<Job> {
        self.receiver.next()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn member_labels_cannot_climb() {
        assert_eq!(
            member_label("a.zip", "../../etc/passwd"),
            "a.zip!etc/passwd"
        );
        assert_eq!(member_label("a.zip", "dir\\x.html"), "a.zip!dir/x.html");
    }

    #[test]
    fn skips() {
        assert!(skip_reason("x/.DS_Store").is_some());
        assert!(skip_reason("logo.PNG").is_some());
        assert!(skip_reason("report.docx").is_none());
        assert!(skip_reason("README").is_none());
    }
}
