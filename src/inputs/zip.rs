//! `.zip` inputs, read with our own central-directory parser and flate2.
//!
//! The `zip` crate (used for DOCX/XLSX containers) keys its entries by name,
//! so duplicate member names silently collapse into one, and it decodes
//! names without the UTF-8 flag as CP437 (mojibake for the GBK names that
//! archivers on Chinese Windows write). A bulk archive of reports needs every
//! entry, by its raw name, so this module reads the central directory
//! itself: streamed from disk, one small record per entry, at most
//! [`MAX_ENTRIES`] (2 million entries in a 114 MB file took 1.25 GB to list
//! through the `zip` crate; here 100,000 entries hold about 10 MB).
//!
//! Limits (a zip is a container of files, not one document): each member is
//! capped at the file limit, and all members together at
//! `max(Limits::max_inflated_bytes, RATIO x the archive's size)`. Honest
//! bulk archives compress reports 3-15x (a 43 MB zip of 5,000 reports
//! inflates to about 500 MB) and pass; a bomb (1000x) is stopped once it has
//! inflated that budget, every later member refused without inflating.

use std::collections::HashMap;
use std::fs::File;
use std::io::{BufReader, Read, Seek, SeekFrom};
use std::path::Path;

use super::{member_job, member_over, read_capped, Content, Job, Selection};
use crate::readers::Limits;
use crate::source::SourceId;

/// Most entries a `.zip` input may list (checked from the end record before
/// anything else is read).
pub const MAX_ENTRIES: u64 = 100_000;
/// All members together may inflate to this many times the archive's size
/// (or `Limits::max_inflated_bytes`, whichever is more).
pub const RATIO: u64 = 100;

#[derive(Debug)]
struct Entry {
    name: Vec<u8>,
    flags: u16,
    method: u16,
    crc: u32,
    compressed: u64,
    size: u64,
    offset: u64,
    symlink: bool,
}

pub(super) fn members(
    path: &Path,
    archive: &SourceId,
    sel: Selection,
    limits: Limits,
) -> Result<Box<dyn Iterator<Item = Job>>, String> {
    let mut file = File::open(path).map_err(|e| format!("cannot be read: {e}"))?;
    let len = file.metadata().map_err(|e| format!("cannot be read: {e}"))?.len();
    let mut entries = central_directory(&mut file, len)?;
    entries.retain(|e| !e.name.ends_with(b"/"));
    // Sorted by label, repeats in directory order; each gets its occurrence.
    let mut keyed: Vec<(String, Entry)> = entries
        .into_iter()
        .map(|e| (SourceId::member_key(&e.name), e))
        .collect();
    keyed.sort_by(|a, b| a.0.cmp(&b.0));
    let mut seen: HashMap<String, u32> = HashMap::new();
    let archive = archive.clone();
    let budget = limits.max_inflated_bytes.max(len.saturating_mul(RATIO));
    let mut inflated = 0u64;
    Ok(Box::new(keyed.into_iter().filter_map(move |(key, entry)| {
        let n = seen.entry(key.clone()).or_insert(0);
        *n += 1;
        let source = archive.member(&entry.name, *n);
        if entry.symlink {
            let reason = "symbolic link in the archive: not followed".to_string();
            return Some(Job::new(source, Content::Skip(reason)));
        }
        member_job(source, &key, &sel, || {
            if inflated >= budget {
                return Err(over_total(budget));
            }
            let cap = limits.max_file_bytes.min(budget - inflated);
            let over: Box<dyn FnOnce() -> String> = if cap < limits.max_file_bytes {
                Box::new(move || over_total(budget))
            } else {
                Box::new(move || member_over(cap))
            };
            read_member(&mut file, &entry, cap, &mut inflated, over)
        })
    })))
}

fn over_total(budget: u64) -> String {
    format!(
        "over the limit: the archive's members inflate past {budget} bytes in all \
         ({RATIO} times the archive's size, at least the inflated-size limit)"
    )
}

fn le16(b: &[u8], at: usize) -> u16 {
    u16::from_le_bytes([b[at], b[at + 1]])
}
fn le32(b: &[u8], at: usize) -> u32 {
    u32::from_le_bytes(b[at..at + 4].try_into().expect("4 bytes"))
}
fn le64(b: &[u8], at: usize) -> u64 {
    u64::from_le_bytes(b[at..at + 8].try_into().expect("8 bytes"))
}

fn corrupt(what: impl std::fmt::Display) -> String {
    format!("corrupt ZIP archive: {what}")
}

/// Where the central directory is and how many entries it lists.
struct End {
    entries: u64,
    cd_size: u64,
    cd_offset: u64,
}

fn end_record(file: &mut File, len: u64) -> Result<End, String> {
    let tail_len = len.min(22 + 65_535);
    let mut tail = vec![0; tail_len as usize];
    file.seek(SeekFrom::Start(len - tail_len))
        .and_then(|_| file.read_exact(&mut tail))
        .map_err(|e| format!("cannot be read: {e}"))?;
    let pos = (0..tail.len().saturating_sub(21))
        .rev()
        .find(|&i| &tail[i..i + 4] == b"PK\x05\x06")
        .ok_or_else(|| corrupt("no end of central directory record (not a zip or cut short)"))?;
    let e = &tail[pos..pos + 22];
    let mut end = End {
        entries: u64::from(le16(e, 10)),
        cd_size: u64::from(le32(e, 12)),
        cd_offset: u64::from(le32(e, 16)),
    };
    let needs64 = end.entries == 0xFFFF || end.cd_size == 0xFFFF_FFFF || end.cd_offset == 0xFFFF_FFFF;
    if needs64 && pos >= 20 && &tail[pos - 20..pos - 16] == b"PK\x06\x07" {
        let at = le64(&tail, pos - 12);
        let mut rec = [0u8; 56];
        file.seek(SeekFrom::Start(at))
            .and_then(|_| file.read_exact(&mut rec))
            .map_err(|_| corrupt("ZIP64 end record past the end of the file"))?;
        if &rec[..4] != b"PK\x06\x06" {
            return Err(corrupt("bad ZIP64 end record"));
        }
        end = End {
            entries: le64(&rec, 32),
            cd_size: le64(&rec, 40),
            cd_offset: le64(&rec, 48),
        };
    }
    if end.cd_offset.saturating_add(end.cd_size) > len {
        return Err(corrupt("central directory past the end of the file"));
    }
    Ok(end)
}

/// Every entry of the central directory, streamed, refusing more than
/// [`MAX_ENTRIES`] before reading any.
fn central_directory(file: &mut File, len: u64) -> Result<Vec<Entry>, String> {
    let end = end_record(file, len)?;
    if end.entries > MAX_ENTRIES {
        return Err(format!(
            "over the limit: the archive lists {} entries, the limit is {MAX_ENTRIES}",
            end.entries
        ));
    }
    file.seek(SeekFrom::Start(end.cd_offset))
        .map_err(|e| format!("cannot be read: {e}"))?;
    let mut r = BufReader::new((&mut *file).take(end.cd_size));
    let mut entries = Vec::with_capacity(end.entries as usize);
    for _ in 0..end.entries {
        entries.push(directory_entry(&mut r)?);
    }
    Ok(entries)
}

fn directory_entry(r: &mut impl Read) -> Result<Entry, String> {
    let mut h = [0u8; 46];
    r.read_exact(&mut h)
        .map_err(|_| corrupt("central directory cut short"))?;
    if &h[..4] != b"PK\x01\x02" {
        return Err(corrupt("bad central directory entry"));
    }
    let mut var = vec![0u8; le16(&h, 28) as usize + le16(&h, 30) as usize + le16(&h, 32) as usize];
    r.read_exact(&mut var)
        .map_err(|_| corrupt("central directory cut short"))?;
    let name_len = le16(&h, 28) as usize;
    let extra = &var[name_len..name_len + le16(&h, 30) as usize];
    let mut entry = Entry {
        name: var[..name_len].to_vec(),
        flags: le16(&h, 8),
        method: le16(&h, 10),
        crc: le32(&h, 16),
        compressed: u64::from(le32(&h, 20)),
        size: u64::from(le32(&h, 24)),
        offset: u64::from(le32(&h, 42)),
        symlink: h[5] == 3 && (le32(&h, 38) >> 16) & 0o170000 == 0o120000,
    };
    apply_extra(&mut entry, extra);
    Ok(entry)
}

/// ZIP64 sizes and offset (0x0001), and the Info-ZIP Unicode path (0x7075)
/// when its CRC matches the raw name.
fn apply_extra(entry: &mut Entry, mut extra: &[u8]) {
    while extra.len() >= 4 {
        let (id, n) = (le16(extra, 0), le16(extra, 2) as usize);
        let Some(data) = extra.get(4..4 + n) else { return };
        if id == 0x0001 {
            let mut at = 0;
            for field in [&mut entry.size, &mut entry.compressed, &mut entry.offset] {
                if *field == 0xFFFF_FFFF && at + 8 <= data.len() {
                    *field = le64(data, at);
                    at += 8;
                }
            }
        } else if id == 0x7075 && n > 5 && data[0] == 1 {
            let mut crc = flate2::Crc::new();
            crc.update(&entry.name);
            if crc.sum() == le32(data, 1) && std::str::from_utf8(&data[5..]).is_ok() {
                entry.name = data[5..].to_vec();
            }
        }
        extra = &extra[4 + n..];
    }
}

/// Inflates one member: at most `cap` bytes, the size and CRC checked
/// against the directory so a damaged or cut member fails with a reason.
fn read_member(
    file: &mut File,
    e: &Entry,
    cap: u64,
    inflated: &mut u64,
    over: Box<dyn FnOnce() -> String>,
) -> Result<Vec<u8>, String> {
    if e.flags & 1 != 0 {
        return Err("encrypted member: cannot be read without the password".into());
    }
    let mut local = [0u8; 30];
    file.seek(SeekFrom::Start(e.offset))
        .and_then(|_| file.read_exact(&mut local))
        .map_err(|_| "corrupt ZIP member: local header past the end of the file".to_string())?;
    if &local[..4] != b"PK\x03\x04" {
        return Err("corrupt ZIP member: bad local header".into());
    }
    let skip = u64::from(le16(&local, 26)) + u64::from(le16(&local, 28));
    file.seek(SeekFrom::Current(skip as i64))
        .map_err(|e| format!("cannot be read: {e}"))?;
    let raw = (&mut *file).take(e.compressed);
    let bytes = match e.method {
        0 => read_capped(raw, cap, inflated, over)?,
        8 => read_capped(flate2::read::DeflateDecoder::new(raw), cap, inflated, over)?,
        m => return Err(format!("unsupported ZIP compression method {m}")),
    };
    if bytes.len() as u64 != e.size {
        return Err(format!(
            "damaged ZIP member: {} bytes read, the archive says {} (cut short or forged)",
            bytes.len(),
            e.size
        ));
    }
    let mut crc = flate2::Crc::new();
    crc.update(&bytes);
    if crc.sum() != e.crc {
        return Err("damaged ZIP member: CRC mismatch".into());
    }
    Ok(bytes)
}
