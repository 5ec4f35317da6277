//! Why a file could not be read, as a typed kind (what `files.csv`'s `error`
//! column holds and what tests and callers match on) plus a message in words
//! a researcher can act on. Errors are classified where they arise, by the
//! variant of the error that caused them, never by parsing a message later.

use super::Format;

/// The machine-readable class of a read failure. Its `as_str` spelling is
/// the `error` column of `files.csv` (a contract: spellings never change).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ErrorKind {
    /// The file has no bytes.
    Empty,
    /// Password-protected or encrypted (OOXML EncryptedPackage, encrypted .doc).
    Encrypted,
    /// A legacy format nianbao recognises but does not read.
    LegacyFormat,
    /// Not a document format nianbao reads (binary data, XLSB, RTF, ...).
    Unsupported,
    /// A known format whose bytes are damaged or truncated.
    Corrupt,
    /// Refused by one of the `Limits` (size, entries, depth, grid ...).
    OverLimit,
    /// A reader (or a dependency inside it) panicked; the batch went on.
    ReaderPanic,
    /// The input could not be read at all (permissions, an I/O error, a
    /// symbolic link loop, a damaged archive around it).
    Unreadable,
    /// A PDF whose pages carry no characters: a scan (OCR is out of scope).
    NoTextLayer,
}

impl ErrorKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::Empty => "empty",
            ErrorKind::Encrypted => "encrypted",
            ErrorKind::LegacyFormat => "legacy_format",
            ErrorKind::Unsupported => "unsupported",
            ErrorKind::Corrupt => "corrupt",
            ErrorKind::OverLimit => "over_limit",
            ErrorKind::ReaderPanic => "reader_panic",
            ErrorKind::Unreadable => "unreadable",
            ErrorKind::NoTextLayer => "no_text_layer",
        }
    }
}

/// A read failure: its kind, the format detected before it failed (if
/// detection got that far), the message, and the underlying error if any.
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct ReadError {
    kind: ErrorKind,
    format: Option<Format>,
    message: String,
    #[source]
    source: Option<Box<dyn std::error::Error + Send + Sync>>,
}

impl ReadError {
    /// An error of `kind` whose message is exactly `message`.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        let message = message.into();
        ReadError {
            kind,
            format: None,
            message,
            source: None,
        }
    }

    pub fn empty() -> Self {
        Self::new(ErrorKind::Empty, "empty file")
    }

    pub fn encrypted() -> Self {
        Self::new(
            ErrorKind::Encrypted,
            "encrypted or password-protected Office file: cannot be read",
        )
    }

    /// A legacy format that is recognised but not read (`what` names it and
    /// says what to do, e.g. "RTF document: not supported; save as .docx").
    pub fn legacy(what: impl std::fmt::Display) -> Self {
        Self::new(ErrorKind::LegacyFormat, what.to_string())
    }

    /// A PDF with no characters on any page; `what` says what it has instead.
    pub fn no_text_layer(what: impl std::fmt::Display) -> Self {
        Self::new(ErrorKind::NoTextLayer, format!("no text layer: {what}"))
    }

    pub fn unsupported(what: impl std::fmt::Display) -> Self {
        Self::new(
            ErrorKind::Unsupported,
            format!("unsupported format: {what}"),
        )
    }

    /// A damaged file of a known format (`format` as users name it: "DOCX").
    pub fn corrupt(format: &str, reason: impl std::fmt::Display) -> Self {
        Self::new(
            ErrorKind::Corrupt,
            format!("corrupt {format} file: {reason}"),
        )
    }

    /// Refused by a limit; `what` says which and by how much.
    pub fn over_limit(what: impl std::fmt::Display) -> Self {
        Self::new(ErrorKind::OverLimit, format!("over the limit: {what}"))
    }

    pub fn panic(what: impl std::fmt::Display) -> Self {
        Self::new(ErrorKind::ReaderPanic, format!("reader panicked: {what}"))
    }

    /// Keeps the error that caused this one (for `Error::source`).
    pub fn caused_by(mut self, source: impl std::error::Error + Send + Sync + 'static) -> Self {
        self.source = Some(Box::new(source));
        self
    }

    /// Records the format detected before the failure (kept if already set).
    pub fn in_format(mut self, format: Format) -> Self {
        self.format.get_or_insert(format);
        self
    }

    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// The detected format, when detection succeeded before the failure.
    pub fn format(&self) -> Option<Format> {
        self.format
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_keep_their_wording_and_kinds_their_spelling() {
        let e = ReadError::corrupt("DOCX", "word/document.xml is missing");
        assert_eq!(
            e.to_string(),
            "corrupt DOCX file: word/document.xml is missing"
        );
        assert_eq!(e.kind().as_str(), "corrupt");
        assert_eq!(ReadError::over_limit("x").to_string(), "over the limit: x");
        assert_eq!(ReadError::empty().kind(), ErrorKind::Empty);
        let e = ReadError::encrypted()
            .in_format(Format::Docx)
            .in_format(Format::Xlsx);
        assert_eq!(
            e.format(),
            Some(Format::Docx),
            "the first detected format stays"
        );
    }

    #[test]
    fn the_cause_is_kept_as_source() {
        use std::error::Error;
        let io = std::io::Error::other("disk");
        let e = ReadError::corrupt("ZIP", "entry unreadable").caused_by(io);
        assert_eq!(e.source().map(|s| s.to_string()).as_deref(), Some("disk"));
    }
}
