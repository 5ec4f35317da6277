//! The one bounded ZIP container every ZIP-based reader (DOCX, XLSX, ODS)
//! opens. It is where the ZIP limits live, so no reader can forget one:
//!
//! - **Entry count, before the directory is parsed.** Opening a container
//!   builds an entry (a few hundred bytes) per directory record: a 50 MB file
//!   of a million tiny entries took 680 MB just to be sniffed. The count is
//!   read from every end record in the last 64 KiB and the largest wins (the
//!   ZIP library falls back to an earlier record when the last one does not
//!   parse, so a decoy record after the real one must not hide it).
//! - **Inflated bytes, counted, not declared.** A zip bomb may lie about its
//!   sizes: every part inflated through [`Zip::inflate`] draws on one shared
//!   allowance (`Limits::max_inflated_bytes`) and is stopped when it is spent.
//! - **Damage classified by cause.** A failed entry is re-inflated from its
//!   raw bytes to tell a bad CRC from a corrupt deflate stream, rather than
//!   by parsing the ZIP library's message.

use std::cell::Cell;
use std::io::{self, Cursor, Read};
use std::rc::Rc;

use crate::readers::{Limits, ReadError};

/// What is left of the inflated-bytes allowance, shared by all parts (and
/// all clones of the container) of one file.
#[derive(Clone, Debug)]
pub(crate) struct Budget {
    left: Rc<Cell<u64>>,
    limit: u64,
}

impl Budget {
    pub(crate) fn new(limit: u64) -> Self {
        Budget {
            left: Rc::new(Cell::new(limit)),
            limit,
        }
    }

    pub(crate) fn left(&self) -> u64 {
        self.left.get()
    }
}

/// The io error a [`Capped`] reader returns once the allowance is spent.
#[derive(Debug)]
struct OverLimit(u64);

impl std::fmt::Display for OverLimit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "inflated size over the limit of {} bytes", self.0)
    }
}

impl std::error::Error for OverLimit {}

/// Counts inflated bytes and fails once they exceed the allowance, whatever
/// size the ZIP headers declared.
struct Capped<R> {
    inner: R,
    budget: Budget,
}

impl<R: Read> Read for Capped<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)? as u64;
        let left = self.budget.left.get();
        if n > left {
            self.budget.left.set(0);
            return Err(io::Error::other(OverLimit(self.budget.limit)));
        }
        self.budget.left.set(left - n);
        Ok(n as usize)
    }
}

/// An opened ZIP container over a file's bytes. Cloning is cheap (the
/// directory is shared) and clones draw on the same [`Budget`].
#[derive(Clone)]
pub(crate) struct Zip<'a> {
    archive: zip::ZipArchive<Cursor<&'a [u8]>>,
    /// The format as users name it ("DOCX"), for messages.
    label: &'static str,
    budget: Budget,
}

impl<'a> Zip<'a> {
    /// Opens the container after checking the declared entry count.
    pub(crate) fn open(
        bytes: &'a [u8],
        limits: &Limits,
        label: &'static str,
    ) -> Result<Self, ReadError> {
        let too_many = |entries: u64| {
            ReadError::over_limit(format!(
                "ZIP container lists {entries} entries, the limit is {}",
                limits.max_zip_entries
            ))
        };
        if let Some(entries) = declared_entries(bytes) {
            if entries > limits.max_zip_entries as u64 {
                return Err(too_many(entries));
            }
        }
        let archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| match e {
            zip::result::ZipError::Io(_) | zip::result::ZipError::InvalidArchive(_) => {
                ReadError::corrupt(label, &e).caused_by(e)
            }
            other => zip_error(label, "ZIP container", other),
        })?;
        if archive.len() > limits.max_zip_entries {
            return Err(too_many(archive.len() as u64));
        }
        Ok(Zip {
            archive,
            label,
            budget: Budget::new(limits.max_inflated_bytes),
        })
    }

    pub(crate) fn has(&self, name: &str) -> bool {
        self.archive.index_for_name(name).is_some()
    }

    pub(crate) fn names(&self) -> impl Iterator<Item = &str> {
        self.archive.file_names()
    }

    /// The sum of the sizes the directory declares (a first, cheap refusal
    /// of bombs before a dependency that trusts them inflates anything).
    pub(crate) fn declared_total(&mut self) -> Result<u64, ReadError> {
        let mut total: u64 = 0;
        for i in 0..self.archive.len() {
            let entry = self
                .archive
                .by_index_raw(i)
                .map_err(|e| zip_error(self.label, "ZIP directory", e))?;
            total = total.saturating_add(entry.size());
        }
        Ok(total)
    }

    /// The size the directory declares for entry `name`.
    pub(crate) fn declared_size(&mut self, name: &str) -> Result<u64, ReadError> {
        let label = self.label;
        let index = self
            .archive
            .index_for_name(name)
            .ok_or_else(|| ReadError::corrupt(label, format!("{name} is missing")))?;
        let entry = self
            .archive
            .by_index_raw(index)
            .map_err(|e| zip_error(label, name, e))?;
        Ok(entry.size())
    }

    /// The inflated bytes of one entry, drawn from the shared allowance. The
    /// CRC is checked when the inflater reaches the end.
    pub(crate) fn inflate(&mut self, name: &str) -> Result<Vec<u8>, ReadError> {
        self.read_entry(name, None)
    }

    /// At most the first `n` inflated bytes of an entry.
    pub(crate) fn head(&mut self, name: &str, n: u64) -> Result<Vec<u8>, ReadError> {
        self.read_entry(name, Some(n))
    }

    fn read_entry(&mut self, name: &str, head: Option<u64>) -> Result<Vec<u8>, ReadError> {
        let label = self.label;
        let file = self
            .archive
            .by_name(name)
            .map_err(|e| zip_error(label, name, e))?;
        let declared = file.size();
        let left = self.budget.left();
        if head.is_none() && declared > left {
            return Err(ReadError::over_limit(format!(
                "{name}: inflated size over the limit ({declared} bytes declared, {left} bytes allowed)"
            )));
        }
        // Trust the declared size for the first allocation only; the cap,
        // not the header, bounds what is read.
        let reserve = head.map_or(declared, |n| n.min(declared));
        let mut out = Vec::new();
        out.try_reserve_exact(reserve as usize).map_err(|_| {
            ReadError::over_limit(format!("{name}: cannot allocate {reserve} bytes"))
        })?;
        let capped = Capped {
            inner: file,
            budget: self.budget.clone(),
        };
        let read = match head {
            Some(n) => capped.take(n).read_to_end(&mut out),
            None => { capped }.read_to_end(&mut out),
        };
        match read {
            Ok(_) => Ok(out),
            Err(e) => Err(self.entry_error(name, e)),
        }
    }

    /// Classifies a failed read of entry `name` by what caused it.
    fn entry_error(&mut self, name: &str, e: io::Error) -> ReadError {
        if let Some(over) = e.get_ref().and_then(|i| i.downcast_ref::<OverLimit>()) {
            return ReadError::over_limit(format!("{name}: {over}"));
        }
        let detail = e.to_string();
        let damage = if self.crc_mismatch(name) {
            format!("{name}: bad CRC checksum (damaged ZIP entry)")
        } else {
            format!("{name}: damaged ZIP entry: {detail}")
        };
        ReadError::corrupt(self.label, damage).caused_by(e)
    }

    /// Whether entry `name` inflates cleanly from its raw bytes but to data
    /// whose CRC-32 differs from the directory's. Bounded by the budget left.
    fn crc_mismatch(&mut self, name: &str) -> bool {
        let Some(index) = self.archive.index_for_name(name) else {
            return false;
        };
        let limit = self.budget.left().max(1);
        let Ok(raw) = self.archive.by_index_raw(index) else {
            return false;
        };
        let (want, method) = (raw.crc32(), raw.compression());
        let mut crc = flate2::Crc::new();
        let mut buf = vec![0u8; 64 * 1024];
        let mut inflated: Box<dyn Read> = match method {
            zip::CompressionMethod::Stored => Box::new(raw.take(limit)),
            zip::CompressionMethod::Deflated => {
                Box::new(flate2::read::DeflateDecoder::new(raw).take(limit))
            }
            _ => return false,
        };
        loop {
            match inflated.read(&mut buf) {
                Ok(0) => return crc.sum() != want,
                Ok(n) => crc.update(&buf[..n]),
                Err(_) => return false,
            }
        }
    }
}

/// Maps a ZIP library error on `part` to a read error of the right kind.
pub(crate) fn zip_error(label: &str, part: &str, e: zip::result::ZipError) -> ReadError {
    use zip::result::ZipError;
    match e {
        ZipError::UnsupportedArchive(msg) if msg == ZipError::PASSWORD_REQUIRED => {
            ReadError::encrypted()
        }
        ZipError::InvalidPassword => ReadError::encrypted(),
        ZipError::FileNotFound => ReadError::corrupt(label, format!("{part} is missing")),
        ZipError::Io(io) => {
            ReadError::corrupt(label, format!("{part}: damaged ZIP entry: {io}")).caused_by(io)
        }
        other => ReadError::corrupt(label, format!("{part}: {other}")).caused_by(other),
    }
}

/// The entry count a ZIP container's end-of-central-directory record (or its
/// ZIP64 record) declares, read without parsing the directory. Every end
/// record in the last 64 KiB counts and the largest wins (see the module
/// docs). `None` when there is no end record there.
pub(crate) fn declared_entries(bytes: &[u8]) -> Option<u64> {
    const EOCD: &[u8] = b"PK\x05\x06";
    let tail_start = bytes.len().saturating_sub(22 + 65_535);
    let mut most = None;
    let mut end = bytes.len();
    while let Some(found) = bytes[tail_start..end].windows(4).rposition(|w| w == EOCD) {
        let pos = tail_start + found;
        end = pos;
        let Some(eocd) = bytes.get(pos..pos + 22) else {
            continue;
        };
        let mut count = u64::from(u16::from_le_bytes([eocd[10], eocd[11]]));
        if count == 0xFFFF {
            count = zip64_entries(bytes, pos).unwrap_or(count);
        }
        most = most.max(Some(count));
    }
    most
}

/// The count in the ZIP64 end record that the locator right before the end
/// record at `eocd` points at.
fn zip64_entries(bytes: &[u8], eocd: usize) -> Option<u64> {
    let locator = bytes.get(eocd.checked_sub(20)?..eocd)?;
    if &locator[..4] != b"PK\x06\x07" {
        return None;
    }
    let offset = usize::try_from(u64::from_le_bytes(locator[8..16].try_into().ok()?)).ok()?;
    let record = bytes.get(offset..offset.checked_add(56)?)?;
    if &record[..4] != b"PK\x06\x06" {
        return None;
    }
    Some(u64::from_le_bytes(record[32..40].try_into().ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::readers::ErrorKind;
    use std::io::Write;

    fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        for (name, data) in entries {
            w.start_file(*name, zip::write::SimpleFileOptions::default())
                .unwrap();
            w.write_all(data).unwrap();
        }
        w.finish().unwrap().into_inner()
    }

    #[test]
    fn declared_entries_are_read_from_the_end_records() {
        let bytes = zip_of(&[("a", b""), ("b", b""), ("c", b"")]);
        assert_eq!(declared_entries(&bytes), Some(3));
        assert_eq!(declared_entries(b"PK\x03\x04 no end record"), None);
        // ZIP64: the 16-bit count says 0xFFFF and the ZIP64 record holds it.
        let mut z = Vec::new();
        z.extend_from_slice(b"PK\x06\x06");
        z.extend_from_slice(&44u64.to_le_bytes());
        z.extend_from_slice(&[45, 0, 45, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        z.extend_from_slice(&5_000_000u64.to_le_bytes());
        z.extend_from_slice(&5_000_000u64.to_le_bytes());
        z.extend_from_slice(&[0; 16]);
        z.extend_from_slice(b"PK\x06\x07\0\0\0\0");
        z.extend_from_slice(&0u64.to_le_bytes());
        z.extend_from_slice(&1u32.to_le_bytes());
        z.extend_from_slice(
            b"PK\x05\x06\0\0\0\0\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\0\0",
        );
        assert_eq!(declared_entries(&z), Some(5_000_000));
        // A decoy end record after the real one does not hide it.
        let mut decoy = bytes.clone();
        decoy.extend_from_slice(b"PK\x05\x06\0\0\0\0\x01\0\x01\0");
        decoy.extend_from_slice(&[0xff; 10]);
        assert_eq!(declared_entries(&decoy), Some(3));
    }

    #[test]
    fn the_budget_is_shared_by_every_part() {
        let data = vec![b'x'; 6000];
        let bytes = zip_of(&[("a", &data), ("b", &data)]);
        let limits = Limits {
            max_inflated_bytes: 10_000,
            ..Limits::default()
        };
        let mut zip = Zip::open(&bytes, &limits, "TEST").unwrap();
        assert_eq!(zip.inflate("a").unwrap().len(), 6000);
        let err = zip.clone().inflate("b").unwrap_err();
        assert_eq!(err.kind(), ErrorKind::OverLimit, "{err}");
        assert_eq!(
            zip.head("a", 10).unwrap(),
            vec![b'x'; 10],
            "a head fits what is left"
        );
        assert_eq!(zip.inflate("a").unwrap_err().kind(), ErrorKind::OverLimit);
    }

    #[test]
    fn a_bad_crc_is_told_from_other_damage() {
        let mut bytes = zip_of(&[("doc.xml", b"<w:document>hello</w:document>")]);
        // The CRC-32 of the local header sits at offset 14, the central
        // directory's 16 bytes into its record.
        let central = bytes.windows(4).position(|w| w == b"PK\x01\x02").unwrap();
        for at in [14, central + 16] {
            bytes[at] ^= 0xFF;
        }
        let mut zip = Zip::open(&bytes, &Limits::default(), "DOCX").unwrap();
        let err = zip.inflate("doc.xml").unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Corrupt);
        assert!(err.to_string().contains("bad CRC"), "{err}");
        let missing = zip.inflate("nope.xml").unwrap_err();
        assert_eq!(missing.kind(), ErrorKind::Corrupt);
    }

    #[test]
    fn too_many_entries_are_refused_before_opening() {
        let bytes = zip_of(&[("a", b""), ("b", b""), ("c", b"")]);
        let limits = Limits {
            max_zip_entries: 2,
            ..Limits::default()
        };
        let err = Zip::open(&bytes, &limits, "TEST").err().unwrap();
        assert_eq!(err.kind(), ErrorKind::OverLimit);
    }
}
