//! `convert --manifest FILE`: the inputs listed in a file, one path per
//! line, instead of walked from the command line.
//!
//! Schedulers and data catalogues already hold the list of an archive's
//! files (a `find` run once on the shared storage, a database query), and
//! walking millions of files on a network file system once per task is slow.
//! The manifest is read lazily, so a list of a million paths is never held
//! whole. A line is walked like a command-line argument (a folder on a line
//! is walked recursively). A line that cannot be used never stops the run:
//! a path that does not exist gets its `failed` row from the walk like any
//! unreadable file, a line holding a NUL byte (no path can) gets a `failed`
//! row naming the line, and a read error ends the list with one `failed`
//! row naming the line it stopped at.

use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};

use super::{Content, Input, Job};
use crate::readers::{ErrorKind, ReadError};
use crate::source::SourceId;

/// The inputs listed in `path` (blank lines ignored, a trailing `\r`
/// dropped; the bytes are taken as they are, so a GBK-named file of an old
/// archive is found). Relative paths are taken from the working folder.
pub fn read(path: &Path) -> std::io::Result<impl Iterator<Item = Input>> {
    let name = path.display().to_string();
    let mut lines = BufReader::new(File::open(path)?).split(b'\n');
    let (mut number, mut ended) = (0usize, false);
    Ok(std::iter::from_fn(move || loop {
        if ended {
            return None;
        }
        number += 1;
        let failed = |reason: String| {
            let source = SourceId::file(format!("{name}:{number}"));
            let error = ReadError::new(ErrorKind::Unreadable, reason);
            Input::Failed(Job::new(source, Content::Fail(error)))
        };
        match lines.next()? {
            Ok(mut line) => {
                if line.last() == Some(&b'\r') {
                    line.pop();
                }
                if line.iter().all(u8::is_ascii_whitespace) {
                    continue;
                }
                if line.contains(&0) {
                    return Some(failed(
                        "manifest line cannot be a path: it holds a NUL byte".into(),
                    ));
                }
                return Some(Input::Path(path_from_bytes(line)));
            }
            Err(e) => {
                ended = true;
                return Some(failed(format!(
                    "manifest cannot be read from this line: {e}"
                )));
            }
        }
    }))
}

/// How many paths `path` lists (for the progress bar; 0 if unreadable).
pub fn count(path: &Path) -> u64 {
    let Ok(file) = File::open(path) else { return 0 };
    BufReader::new(file)
        .split(b'\n')
        .map_while(Result::ok)
        .filter(|l| !l.iter().all(u8::is_ascii_whitespace))
        .count() as u64
}

fn path_from_bytes(bytes: Vec<u8>) -> PathBuf {
    use std::os::unix::ffi::OsStringExt;
    PathBuf::from(std::ffi::OsString::from_vec(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn listed(text: &[u8]) -> Vec<String> {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("list.txt");
        std::fs::write(&file, text).unwrap();
        read(&file)
            .unwrap()
            .map(|input| match input {
                Input::Path(p) => p.display().to_string(),
                Input::Failed(job) => {
                    let Content::Fail(e) = job.content else {
                        panic!("a failed line fails")
                    };
                    let line = job.source.to_string();
                    let line = line.rsplit(':').next().unwrap().to_string();
                    format!("line {line}: {e}")
                }
            })
            .collect()
    }

    #[test]
    fn lines_are_paths_blank_lines_are_not() {
        assert_eq!(
            listed(b"a/b.html\r\n\n  \nc d.txt\n/abs/e.docx"),
            ["a/b.html", "c d.txt", "/abs/e.docx"]
        );
    }

    #[test]
    fn a_line_with_a_nul_byte_is_a_failed_row_and_the_rest_is_read() {
        let got = listed(b"a.html\nb\0c.html\nd.html\n");
        assert_eq!(got[0], "a.html");
        assert!(
            got[1].starts_with("line 2: ") && got[1].contains("NUL"),
            "{got:?}"
        );
        assert_eq!(got[2], "d.html");
    }

    #[test]
    fn names_that_are_not_utf8_are_kept_as_bytes() {
        use std::os::unix::ffi::OsStrExt;
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("list.txt");
        std::fs::write(&file, b"\xb9\xe3\xd1\xf4.txt\n").unwrap();
        let Some(Input::Path(p)) = read(&file).unwrap().next() else {
            panic!("one path")
        };
        assert_eq!(p.as_os_str().as_bytes(), b"\xb9\xe3\xd1\xf4.txt");
        assert_eq!(count(&file), 1);
    }
}
