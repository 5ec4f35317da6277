//! A bounded walker over OLE compound files (the container of legacy `.xls`,
//! `.doc` and WPS Writer files), shared by the XLS pre-flight scan and the
//! Word binary reader, as calamine shares one `cfb.rs` between its readers.
//!
//! It reads the header, the allocation table (FAT, listed in the header's
//! DIFAT and the DIFAT chain), the directory and the mini stream, and hands
//! out whole streams by name. Every step is checked against the hostile and
//! broken files met so far (all in `tests/integration/fuzz_regressions/`):
//!
//! - a sector chain that comes back to a sector it already took (one looping
//!   FAT entry made calamine grow a buffer until memory ran out) is refused:
//!   a chain longer than the table has entries must loop;
//! - a sector that starts past the end of the file (a truncated download)
//!   is refused, naming the sector; a last sector cut short is read as far as
//!   it goes (as calamine does), so callers compare the stream's declared
//!   size with what they got;
//! - a FAT or DIFAT sector cut in the middle of an entry is refused (calamine
//!   asserts on it);
//! - the special FAT ids DIFSECT/FATSECT listed as FAT sectors are skipped.
//!
//! Memory: no stream can be longer than the file (each sector is taken once),
//! so one file costs at most a few times its size.
//!
//! Errors come in two kinds: [`CfbError::Unfollowed`] (the container is not
//! what a compound file looks like: the XLS scan leaves the verdict to
//! calamine) and [`CfbError::Hazard`] (the container is truncated or
//! hostile in a way that would hurt a parser that trusts it).

const MAGIC: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
const ENDOFCHAIN: u32 = 0xFFFF_FFFE;
/// A directory entry's object type: a stream.
const STREAM: u8 = 2;
/// Bytes of one directory entry.
const ENTRY: usize = 128;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum CfbError {
    /// Not followed: no compound file, or one whose structure cannot be read.
    #[error("{0}")]
    Unfollowed(String),
    /// Truncated or hostile structure (a loop, a sector past the end).
    #[error("{0}")]
    Hazard(String),
}

fn unfollowed(what: &str) -> CfbError {
    CfbError::Unfollowed(format!("compound file: {what}"))
}

fn u16_at(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(
        b.get(at..at.checked_add(2)?)?.try_into().ok()?,
    ))
}

fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(
        b.get(at..at.checked_add(4)?)?.try_into().ok()?,
    ))
}

/// An opened compound file: its FAT and directory, streams read on demand.
#[derive(Debug)]
pub(crate) struct CompoundFile<'a> {
    bytes: &'a [u8],
    ssize: usize,
    mini_size: usize,
    cutoff: u64,
    fat: Vec<u32>,
    dir: Vec<u8>,
}

/// One stream listed in the directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct StreamEntry {
    pub(crate) name: String,
    start: u32,
    pub(crate) size: u64,
}

/// The stream a 128-byte directory entry describes (`None` for storages).
fn stream_entry(e: &[u8]) -> Option<StreamEntry> {
    if e[66] != STREAM {
        return None;
    }
    let len = (u16_at(e, 64).unwrap_or(0) as usize).min(64);
    let units: Vec<u16> = e[..len]
        .chunks_exact(2)
        .map(|c| u16::from_le_bytes([c[0], c[1]]))
        .collect();
    let name = String::from_utf16_lossy(&units)
        .trim_end_matches('\0')
        .to_string();
    Some(StreamEntry {
        name,
        start: u32_at(e, 116)?,
        size: u64::from(u32_at(e, 120)?),
    })
}

/// Whether `bytes` start like a compound file.
pub(crate) fn is_compound_file(bytes: &[u8]) -> bool {
    bytes.starts_with(&MAGIC)
}

impl<'a> CompoundFile<'a> {
    /// Reads the header, the FAT and the directory.
    pub(crate) fn open(b: &'a [u8]) -> Result<Self, CfbError> {
        if !is_compound_file(b) {
            return Err(unfollowed("no compound-file signature"));
        }
        let shift = u16_at(b, 0x1E).ok_or_else(|| unfollowed("header cut short"))?;
        let mini_shift = u16_at(b, 0x20).ok_or_else(|| unfollowed("header cut short"))?;
        if !(7..=16).contains(&shift) || mini_shift > shift {
            return Err(unfollowed("impossible sector size in the header"));
        }
        let mut cf = CompoundFile {
            bytes: b,
            ssize: 1 << shift,
            mini_size: 1 << mini_shift,
            cutoff: u64::from(u32_at(b, 0x38).ok_or_else(|| unfollowed("header cut short"))?),
            fat: Vec::new(),
            dir: Vec::new(),
        };
        cf.fat = cf.read_fat()?;
        let dir_start = u32_at(b, 0x30).ok_or_else(|| unfollowed("header cut short"))?;
        cf.dir = cf.follow(dir_start, &cf.fat, None, "directory")?;
        Ok(cf)
    }

    /// Sector `n` (the last one may be cut short by the end of the file).
    fn sector(&self, n: u32) -> Option<&'a [u8]> {
        let start = (n as usize).checked_add(1)?.checked_mul(self.ssize)?;
        let end = start.checked_add(self.ssize)?.min(self.bytes.len());
        self.bytes.get(start..end)
    }

    /// Refuses a sector that starts past the end of the file: calamine
    /// indexes its buffer from the sector's start to the end of what it read,
    /// and panics when that end comes first.
    fn past_end(&self, n: u32, what: &str) -> Result<(), CfbError> {
        let start = (u64::from(n) + 1) * self.ssize as u64;
        if start > self.bytes.len() as u64 {
            return Err(CfbError::Hazard(format!(
                "the {what} of the compound file points past the end of the file (sector {n} would start at byte {start}, the file has {}): truncated?",
                self.bytes.len()
            )));
        }
        Ok(())
    }

    /// DIFAT and FAT sectors are arrays of u32; one cut short in the middle
    /// of an entry is refused (calamine asserts on it).
    fn whole(&self, n: u32, what: &str) -> Result<(), CfbError> {
        self.past_end(n, what)?;
        let start = (u64::from(n) + 1) * self.ssize as u64;
        let have = (self.bytes.len() as u64 - start).min(self.ssize as u64);
        if !have.is_multiple_of(4) {
            return Err(CfbError::Hazard(format!(
                "the {what} of the compound file is cut short by the end of the file in the middle of an entry (sector {n} has {have} of its {} bytes): truncated?",
                self.ssize
            )));
        }
        Ok(())
    }

    /// The FAT: its sectors are listed in the header's DIFAT and the DIFAT
    /// chain.
    fn read_fat(&self) -> Result<Vec<u32>, CfbError> {
        let b = self.bytes;
        let mut fat_sectors = Vec::new();
        for i in 0..109 {
            let s = u32_at(b, 0x4C + 4 * i).ok_or_else(|| unfollowed("header cut short"))?;
            if s < ENDOFCHAIN {
                fat_sectors.push(s);
            }
        }
        let mut difat = u32_at(b, 0x44).ok_or_else(|| unfollowed("header cut short"))?;
        let per = self.ssize / 4 - 1;
        // Each DIFAT sector is in the file once: more steps than sectors loop.
        let mut steps = 0usize;
        while difat < ENDOFCHAIN && steps <= b.len() / self.ssize {
            steps += 1;
            if difat < 0xFFFF_FFFA {
                self.whole(difat, "DIFAT chain")?;
            }
            let sec = self
                .sector(difat)
                .ok_or_else(|| unfollowed("DIFAT sector out of range"))?;
            for i in 0..per {
                let s = u32_at(sec, 4 * i).ok_or_else(|| unfollowed("DIFAT sector cut short"))?;
                if s < ENDOFCHAIN {
                    fat_sectors.push(s);
                }
            }
            difat = u32_at(sec, 4 * per).ok_or_else(|| unfollowed("DIFAT sector cut short"))?;
        }
        let mut fat = Vec::with_capacity(fat_sectors.len().min(1 << 16) * self.ssize / 4);
        for s in fat_sectors {
            if s >= 0xFFFF_FFFC {
                continue; // DIFSECT, FATSECT: calamine skips them too
            }
            self.whole(s, "allocation table")?;
            let sec = self
                .sector(s)
                .ok_or_else(|| unfollowed("FAT sector out of range"))?;
            fat.extend(
                sec.chunks_exact(4)
                    .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]])),
            );
        }
        Ok(fat)
    }

    /// Follows a chain of sectors (or of mini sectors in `pool`), refusing
    /// one that comes back to a sector it already took.
    fn follow(
        &self,
        start: u32,
        table: &[u32],
        pool: Option<&[u8]>,
        what: &str,
    ) -> Result<Vec<u8>, CfbError> {
        let mut out = Vec::new();
        let mut seen = vec![false; table.len()];
        let mut s = start;
        while s < ENDOFCHAIN {
            if let Some(slot) = seen.get_mut(s as usize) {
                if *slot {
                    return Err(CfbError::Hazard(format!(
                        "the {what} sector chain of the compound file loops"
                    )));
                }
                *slot = true;
            }
            let piece = match pool {
                None => {
                    self.past_end(s, &format!("{what} sector chain"))?;
                    self.sector(s)
                }
                Some(pool) => {
                    let at = (s as usize).checked_mul(self.mini_size);
                    at.and_then(|at| pool.get(at..at.checked_add(self.mini_size)?))
                }
            }
            .ok_or_else(|| unfollowed(&format!("{what} sector out of range")))?;
            out.extend_from_slice(piece);
            s = *table
                .get(s as usize)
                .ok_or_else(|| unfollowed(&format!("{what} chain leaves the table")))?;
        }
        Ok(out)
    }

    /// Every stream the directory lists, in directory order.
    pub(crate) fn streams(&self) -> impl Iterator<Item = StreamEntry> + '_ {
        self.dir.chunks_exact(ENTRY).filter_map(stream_entry)
    }

    /// The streams directly in the root storage (not in sub-storages such
    /// as an embedded object's), walking the root's child tree; each entry
    /// is visited once, so a looping tree ends.
    pub(crate) fn root_streams(&self) -> Vec<StreamEntry> {
        let entries: Vec<&[u8]> = self.dir.chunks_exact(ENTRY).collect();
        let mut seen = vec![false; entries.len()];
        let mut out = Vec::new();
        let mut todo: Vec<u32> = entries
            .first()
            .and_then(|root| u32_at(root, 76))
            .into_iter()
            .collect();
        while let Some(id) = todo.pop() {
            let Some(e) = entries.get(id as usize) else {
                continue;
            };
            if std::mem::replace(&mut seen[id as usize], true) {
                continue;
            }
            todo.extend([u32_at(e, 68), u32_at(e, 72)].into_iter().flatten());
            out.extend(stream_entry(e));
        }
        out
    }

    /// The stream called `name` in the root storage (names compare without
    /// case, as the format says: some writers store "worddocument"). Streams
    /// of embedded objects (a Word file embedding another has a second
    /// `WordDocument` in its `ObjectPool`) are not found.
    pub(crate) fn find(&self, name: &str) -> Option<StreamEntry> {
        self.root_streams()
            .into_iter()
            .find(|s| s.name.eq_ignore_ascii_case(name))
    }

    /// The bytes of a stream, cut to its declared size. A stream cut short by
    /// the end of the file comes back shorter than `entry.size`.
    pub(crate) fn read(&self, entry: &StreamEntry) -> Result<Vec<u8>, CfbError> {
        let mut data = if entry.size < self.cutoff {
            // In the mini stream (the root entry's stream), mini sectors
            // chained by the mini FAT.
            let root = self
                .dir
                .get(..ENTRY)
                .ok_or_else(|| unfollowed("empty directory"))?;
            let root_start = u32_at(root, 116).ok_or_else(|| unfollowed("root entry cut short"))?;
            let mini_stream = self.follow(root_start, &self.fat, None, "mini stream")?;
            let mini_fat_start =
                u32_at(self.bytes, 0x3C).ok_or_else(|| unfollowed("header cut short"))?;
            let mini_fat_bytes = self.follow(mini_fat_start, &self.fat, None, "mini FAT")?;
            let mini_fat: Vec<u32> = mini_fat_bytes
                .chunks_exact(4)
                .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
                .collect();
            self.follow(entry.start, &mini_fat, Some(&mini_stream), &entry.name)?
        } else {
            self.follow(entry.start, &self.fat, None, &entry.name)?
        };
        data.truncate(usize::try_from(entry.size).unwrap_or(usize::MAX));
        Ok(data)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A compound file written by the `cfb` crate (an independent producer).
    fn written(streams: &[(&str, Vec<u8>)]) -> Vec<u8> {
        let mut comp = cfb::CompoundFile::create(std::io::Cursor::new(Vec::new())).unwrap();
        for (name, data) in streams {
            use std::io::Write;
            let mut s = comp.create_stream(format!("/{name}")).unwrap();
            s.write_all(data).unwrap();
        }
        comp.flush().unwrap();
        comp.into_inner().into_inner()
    }

    #[test]
    fn reads_big_and_mini_streams_written_by_the_cfb_crate() {
        let big: Vec<u8> = (0..20_000u32).map(|i| (i * 7 % 251) as u8).collect();
        let small = b"a mini stream".to_vec();
        let bytes = written(&[("WordDocument", big.clone()), ("1Table", small.clone())]);
        let cf = CompoundFile::open(&bytes).unwrap();
        let names: Vec<String> = cf.streams().map(|s| s.name).collect();
        assert!(names.contains(&"WordDocument".to_string()), "{names:?}");
        assert_eq!(cf.read(&cf.find("WordDocument").unwrap()).unwrap(), big);
        assert_eq!(cf.read(&cf.find("1Table").unwrap()).unwrap(), small);
        assert!(cf.find("0Table").is_none());
    }

    #[test]
    fn find_looks_in_the_root_storage_without_case() {
        let mut comp = cfb::CompoundFile::create(std::io::Cursor::new(Vec::new())).unwrap();
        {
            use std::io::Write;
            comp.create_storage("/ObjectPool").unwrap();
            comp.create_stream("/ObjectPool/WordDocument")
                .unwrap()
                .write_all(b"embedded")
                .unwrap();
            comp.create_stream("/worddocument")
                .unwrap()
                .write_all(b"the document")
                .unwrap();
        }
        comp.flush().unwrap();
        let bytes = comp.into_inner().into_inner();
        let cf = CompoundFile::open(&bytes).unwrap();
        assert_eq!(cf.streams().count(), 2);
        let found = cf.find("WordDocument").unwrap();
        assert_eq!(cf.read(&found).unwrap(), b"the document");
    }

    #[test]
    fn a_looping_chain_is_a_hazard_and_garbage_is_unfollowed() {
        let big = vec![1u8; 20_000];
        let mut bytes = written(&[("WordDocument", big)]);
        let cf = CompoundFile::open(&bytes).unwrap();
        let start = cf.find("WordDocument").unwrap().start;
        // Point the stream's first FAT entry at itself.
        let fat_sector = u32_at(&bytes, 0x4C).unwrap() as usize;
        let ssize = 1usize << u16_at(&bytes, 0x1E).unwrap();
        let at = (fat_sector + 1) * ssize + 4 * start as usize;
        bytes[at..at + 4].copy_from_slice(&start.to_le_bytes());
        let cf = CompoundFile::open(&bytes).unwrap();
        match cf.read(&cf.find("WordDocument").unwrap()) {
            Err(CfbError::Hazard(m)) => assert!(m.contains("loops"), "{m}"),
            other => panic!("{:?}", other.map(|d| d.len())),
        }
        assert!(matches!(
            CompoundFile::open(b"not a compound file"),
            Err(CfbError::Unfollowed(_))
        ));
    }
}
