//! `.tar`, `.tar.gz` and `.tgz` inputs, read as a stream, one member at a
//! time, on a thread of their own (tar entries borrow their archive), which
//! hands jobs over a small bounded channel: memory stays flat.
//!
//! * gzip is read with a multi-member decoder: parallel gzip (`pigz`) and
//!   appending writers produce several gzip members, and `tar` reads them
//!   all (a single-member decoder silently dropped every member after the
//!   first);
//! * a member whose bytes end before its header's size fails ("cut short"),
//!   never converted from a partial file;
//! * every entry gets a row: regular and contiguous files are read, hard
//!   and symbolic links, devices and FIFOs are skipped with the reason;
//!   folders and tar's own metadata entries (pax, GNU long names) are not
//!   inputs.

use std::collections::HashMap;
use std::io::Read;
use std::path::Path;

use tar::EntryType;

use super::{fail as failed, member_job, member_over, read_capped, Content, Job, Selection};
use crate::readers::Limits;
use crate::source::SourceId;

pub(super) fn members(
    path: &Path,
    gzip: bool,
    archive: &SourceId,
    sel: Selection,
    limits: Limits,
) -> Result<Box<dyn Iterator<Item = Job>>, String> {
    let file = std::fs::File::open(path).map_err(|e| format!("cannot be read: {e}"))?;
    let reader: Box<dyn Read + Send> = if gzip {
        Box::new(flate2::read::MultiGzDecoder::new(std::io::BufReader::new(file)))
    } else {
        Box::new(file)
    };
    let (sender, receiver) = std::sync::mpsc::sync_channel(4);
    let archive = archive.clone();
    std::thread::spawn(move || {
        let _ = stream(reader, &archive, &sel, limits, |job| sender.send(job).is_ok());
    });
    Ok(Box::new(receiver.into_iter()))
}

/// Sends each member's job; stops when `send` says the reader went away or
/// the archive is unreadable past this point.
fn stream(
    reader: Box<dyn Read + Send>,
    archive: &SourceId,
    sel: &Selection,
    limits: Limits,
    mut send: impl FnMut(Job) -> bool,
) -> Option<()> {
    let mut tar = tar::Archive::new(reader);
    let fail = |reason: String| Job::new(archive.clone(), failed(reason));
    let entries = match tar.entries() {
        Ok(entries) => entries,
        Err(e) => {
            send(fail(format!("corrupt tar archive: {e}")));
            return None;
        }
    };
    let mut seen: HashMap<String, u32> = HashMap::new();
    for entry in entries {
        let mut entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                send(fail(format!("corrupt tar archive after the members listed: {e}")));
                return None;
            }
        };
        let kind = entry.header().entry_type();
        if kind.is_dir() || is_metadata(kind) {
            continue;
        }
        let raw = entry.path_bytes().into_owned();
        let key = SourceId::member_key(&raw);
        let n = seen.entry(key.clone()).or_insert(0);
        *n += 1;
        let source = archive.member(&raw, *n);
        let job = if let Some(reason) = not_read(&entry, kind) {
            Some(Job::new(source, Content::Skip(reason)))
        } else {
            let size = entry.size();
            member_job(source, &key, sel, || read_entry(&mut entry, size, limits))
        };
        if let Some(job) = job {
            if !send(job) {
                return None;
            }
        }
    }
    Some(())
}

fn is_metadata(kind: EntryType) -> bool {
    matches!(
        kind,
        EntryType::XGlobalHeader | EntryType::XHeader | EntryType::GNULongName | EntryType::GNULongLink
    )
}

/// Why an entry that is not a regular or contiguous file is not read.
fn not_read<R: Read>(entry: &tar::Entry<'_, R>, kind: EntryType) -> Option<String> {
    let target = || {
        entry
            .link_name_bytes()
            .map(|t| SourceId::member_key(&t))
            .unwrap_or_default()
    };
    match kind {
        EntryType::Regular | EntryType::Continuous => None,
        EntryType::Link => Some(format!("hard link in the archive (to {}): not followed", target())),
        EntryType::Symlink => Some(format!(
            "symbolic link in the archive (to {}): not followed",
            target()
        )),
        EntryType::Char | EntryType::Block => Some("device entry in the archive: not a file".into()),
        EntryType::Fifo => Some("FIFO entry in the archive: not a file".into()),
        EntryType::GNUSparse => Some("sparse file in the archive: not supported".into()),
        other => Some(format!(
            "tar entry of type {:?}: not a file",
            other.as_byte() as char
        )),
    }
}

/// Reads one member; fewer bytes than its header says means the archive was
/// cut inside it.
fn read_entry(entry: &mut impl Read, size: u64, limits: Limits) -> Result<Vec<u8>, String> {
    let cap = limits.max_file_bytes;
    let bytes = read_capped(entry, cap, &mut 0, || member_over(cap))?;
    if (bytes.len() as u64) < size {
        return Err(format!(
            "cut short: the archive ends inside this member ({} of {size} bytes)",
            bytes.len()
        ));
    }
    Ok(bytes)
}
