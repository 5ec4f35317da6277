//! [`SourceId`]: which input a result belongs to, and the only code that
//! knows how a source is spelled in the outputs (`source` columns, the
//! journal, the terminal).
//!
//! A source is a path on disk, or a member of an archive on disk. Two
//! distinct inputs must never share a spelling (a shared spelling merges two
//! reports into one on `--resume`), and the same input must be spelled the
//! same way in every run (or `--resume` converts it twice). Hence:
//!
//! * paths are written relative to the argument they were found under, the
//!   argument lexically normalized (`./in/`, `in//` and `in` are one
//!   spelling; `..` is kept, since resolving it would need the file system);
//! * names that are not UTF-8 (GBK names from archives unpacked on Chinese
//!   Windows) are decoded as GB18030 where that is valid and the decoded name
//!   is not also a real sibling's name; otherwise each byte that is not
//!   UTF-8 is written `\xNN`;
//! * a literal `\` is written `\\` and a literal `!` is written `\!`, so the
//!   escapes above and the separator below cannot be forged by a file name
//!   (`a!b.html` is a file, `a.zip!b.html` a member);
//! * an archive member is `archive!member`; the second and later members of
//!   an archive with the same (normalized) name get `!N` after it
//!   (`a.zip!s.txt!2`), so every member has its own row.

use std::fmt;
use std::path::{Component, Path, PathBuf};

/// One input: a path on disk, or a member of the archive at that path.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SourceId {
    /// The path as written (already escaped), relative to its argument.
    path: String,
    member: Option<Member>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Member {
    /// Escaped, normalized member name.
    name: String,
    /// 1 for the first member of that name, 2.. for repeats.
    occurrence: u32,
}

impl SourceId {
    /// A file on disk; `shown` is the spelling from [`display_path`].
    pub fn file(shown: String) -> Self {
        SourceId {
            path: shown,
            member: None,
        }
    }

    /// A member of this (archive) source, named by its raw bytes.
    pub(crate) fn member(&self, raw_name: &[u8], occurrence: u32) -> Self {
        SourceId {
            path: self.path.clone(),
            member: Some(Member {
                name: member_name(raw_name),
                occurrence,
            }),
        }
    }

    /// The member's normalized name, for counting repeats.
    pub(crate) fn member_key(raw_name: &[u8]) -> String {
        member_name(raw_name)
    }

    /// True for an archive member.
    pub fn is_member(&self) -> bool {
        self.member.is_some()
    }

    /// The archive (or file) this source is in, as spelled.
    pub fn path(&self) -> &str {
        &self.path
    }
}

impl fmt::Display for SourceId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.path)?;
        if let Some(m) = &self.member {
            write!(f, "!{}", m.name)?;
            if m.occurrence > 1 {
                write!(f, "!{}", m.occurrence)?;
            }
        }
        Ok(())
    }
}

/// Lexical normalization of a command-line argument: `.` components and
/// repeated or trailing separators go; `..` stays.
pub fn normalize_arg(arg: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in arg.components() {
        match c {
            Component::CurDir => {}
            other => out.push(other.as_os_str()),
        }
    }
    if out.as_os_str().is_empty() {
        out.push(".");
    }
    out
}

/// The spelling of `path`, found while walking `arg` (already normalized):
/// `arg` joined with the path relative to it, each component decoded and
/// escaped as the module documentation says.
pub fn display_path(arg: &Path, path: &Path) -> String {
    let mut parts = Vec::new();
    match path.strip_prefix(arg) {
        Ok(rel) => {
            spell(Path::new(""), arg, &mut parts);
            spell(arg, rel, &mut parts);
        }
        Err(_) => spell(Path::new(""), path, &mut parts),
    }
    match parts.as_slice() {
        [only] if only.is_empty() => "/".into(),
        _ => parts.join("/"),
    }
}

/// Appends the spelling of each component of `p`, found under `base`.
fn spell(base: &Path, p: &Path, parts: &mut Vec<String>) {
    let mut dir = base.to_path_buf();
    for c in p.components() {
        match c {
            Component::RootDir => parts.push(String::new()),
            Component::CurDir => {}
            Component::ParentDir => parts.push("..".into()),
            other => {
                let raw = other.as_os_str().as_encoded_bytes();
                parts.push(component(raw, |name| dir.join(name).symlink_metadata().is_ok()));
            }
        }
        dir.push(c.as_os_str());
    }
}

/// One path component: UTF-8 as is; otherwise GB18030 when that decodes
/// cleanly and no sibling already has the decoded name; otherwise escaped.
fn component(raw: &[u8], sibling_exists: impl Fn(&str) -> bool) -> String {
    if let Ok(s) = std::str::from_utf8(raw) {
        return escape(s);
    }
    if let Some(decoded) = gb18030(raw) {
        if !sibling_exists(&decoded) {
            return escape(&decoded);
        }
    }
    escape_bytes(raw)
}

/// Strict GB18030 decoding: `None` when any byte sequence is invalid.
fn gb18030(raw: &[u8]) -> Option<String> {
    encoding_rs::GB18030
        .decode_without_bom_handling_and_without_replacement(raw)
        .map(|s| s.into_owned())
}

fn escape(s: &str) -> String {
    s.replace('\\', "\\\\").replace('!', "\\!")
}

/// Valid UTF-8 runs escaped as text, every other byte as `\xNN`.
fn escape_bytes(raw: &[u8]) -> String {
    let mut out = String::new();
    for chunk in raw.utf8_chunks() {
        out += &escape(chunk.valid());
        for b in chunk.invalid() {
            out += &format!("\\x{b:02X}");
        }
    }
    out
}

/// A member name, from its raw bytes: UTF-8 when valid (with or without the
/// ZIP UTF-8 flag, many archivers omit it), else GB18030 (what archivers on
/// Chinese Windows write; decoded before splitting, since a GBK trail byte
/// can be `\\`), else escaped bytes; then normalized to a relative label
/// (`.`, `..`, empty parts and leading `/` dropped, `\\` read as `/`).
/// Labels only: no path is ever built from a member name.
fn member_name(raw: &[u8]) -> String {
    let keep = |p: &&[u8]| !p.is_empty() && *p != b"." && *p != b"..";
    let text = std::str::from_utf8(raw)
        .ok()
        .map(str::to_string)
        .or_else(|| gb18030(raw));
    let parts: Vec<String> = match text {
        Some(text) => text
            .split(['/', '\\'])
            .map(str::as_bytes)
            .filter(keep)
            .map(|p| escape(std::str::from_utf8(p).unwrap_or_default()))
            .collect(),
        None => raw
            .split(|b| *b == b'/' || *b == b'\\')
            .filter(keep)
            .map(escape_bytes)
            .collect(),
    };
    parts.join("/")
}

/// Text safe to print on a terminal: control characters (C0, DEL, C1) and
/// the Unicode bidirectional overrides are written as `\u{..}` escapes, so a
/// name carrying ANSI sequences cannot clear the screen or forge lines.
pub fn terminal_safe(s: &str) -> std::borrow::Cow<'_, str> {
    let bad = |c: char| {
        c.is_control() || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
    };
    if !s.chars().any(bad) {
        return s.into();
    }
    s.chars()
        .map(|c| {
            if bad(c) {
                format!("\\u{{{:x}}}", c as u32)
            } else {
                c.to_string()
            }
        })
        .collect::<String>()
        .into()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;

    #[test]
    fn arguments_normalize_to_one_spelling() {
        for arg in ["./in", "in/", "in//", "./in/./"] {
            assert_eq!(normalize_arg(Path::new(arg)), PathBuf::from("in"), "{arg}");
        }
        assert_eq!(normalize_arg(Path::new("./")), PathBuf::from("."));
        assert_eq!(normalize_arg(Path::new("/a/./b/")), PathBuf::from("/a/b"));
    }

    #[test]
    fn paths_are_relative_to_the_argument() {
        let arg = Path::new("in");
        assert_eq!(display_path(arg, Path::new("in/x/y.txt")), "in/x/y.txt");
        assert_eq!(display_path(Path::new("/t/in"), Path::new("/t/in/a")), "/t/in/a");
        assert_eq!(display_path(Path::new("f.txt"), Path::new("f.txt")), "f.txt");
    }

    #[test]
    fn names_cannot_forge_separators_or_escapes() {
        let arg = Path::new("in");
        assert_eq!(display_path(arg, Path::new("in/a!b.html")), "in/a\\!b.html");
        assert_eq!(display_path(arg, Path::new("in/a\\xFF")), "in/a\\\\xFF");
        let raw = OsStr::from_bytes(b"in/a\xff");
        assert_eq!(display_path(arg, Path::new(raw)), "in/a\\xFF");
        let zip = SourceId::file("a.zip".into());
        assert_eq!(zip.member(b"s.txt", 2).to_string(), "a.zip!s.txt!2");
        assert_eq!(zip.member(b"x!1", 1).to_string(), "a.zip!x\\!1");
    }

    #[test]
    fn gbk_names_decode() {
        // 广阳镇 in GBK.
        let gbk = b"\xb9\xe3\xd1\xf4\xd5\xf2.txt";
        assert_eq!(component(gbk, |_| false), "广阳镇.txt");
        // A real sibling already has that name: the raw bytes stay escaped.
        assert_eq!(component(gbk, |_| true), "\\xB9\\xE3\\xD1\\xF4\\xD5\\xF2.txt");
        assert_eq!(member_name(gbk), "广阳镇.txt");
    }

    #[test]
    fn member_names_normalize_to_labels() {
        assert_eq!(member_name(b"../../etc/passwd"), "etc/passwd");
        assert_eq!(member_name(b"/abs/t.txt"), "abs/t.txt");
        assert_eq!(member_name(b"dir\\x.html"), "dir/x.html");
        assert_eq!(member_name(b"a/\xff\xfe/b"), "a/\\xFF\\xFE/b");
    }

    #[test]
    fn control_characters_are_escaped_for_terminals() {
        assert_eq!(terminal_safe("a\x1b[2Jb\n"), "a\\u{1b}[2Jb\\u{a}");
        assert_eq!(terminal_safe("广阳镇"), "广阳镇");
        assert_eq!(terminal_safe("x\u{202e}y"), "x\\u{202e}y");
    }
}
