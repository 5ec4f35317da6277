//! Append-only spill files: what does not need to stay in memory between
//! reading the journal and checking a key's series.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::PathBuf;

use super::ArchiveError;

pub(crate) struct Spill {
    path: PathBuf,
    writer: Option<BufWriter<File>>,
    reader: Option<File>,
    len: u64,
}

impl Spill {
    pub(crate) fn create(path: PathBuf) -> Result<Spill, ArchiveError> {
        let file = File::create(&path).map_err(|source| ArchiveError::Io {
            path: path.clone(),
            source,
        })?;
        Ok(Spill {
            path,
            writer: Some(BufWriter::with_capacity(1 << 16, file)),
            reader: None,
            len: 0,
        })
    }

    fn io(&self) -> impl Fn(std::io::Error) -> ArchiveError + '_ {
        |source| ArchiveError::Io {
            path: self.path.clone(),
            source,
        }
    }

    /// Appends `bytes`, returning their offset.
    pub(crate) fn push(&mut self, bytes: &[u8]) -> Result<u64, ArchiveError> {
        let at = self.len;
        let w = self
            .writer
            .as_mut()
            .expect("spill written before it is read");
        if let Err(source) = w.write_all(bytes) {
            return Err(ArchiveError::Io {
                path: self.path.clone(),
                source,
            });
        }
        self.len += bytes.len() as u64;
        Ok(at)
    }

    /// Reads `len` bytes at `offset` (ends the writing phase).
    pub(crate) fn read(&mut self, offset: u64, len: usize) -> Result<Vec<u8>, ArchiveError> {
        self.finish_writing()?;
        self.read_at(offset, len)
    }

    /// Ends the writing phase: the spill can be read from several threads
    /// ([`Spill::read_at`]).
    pub(crate) fn finish_writing(&mut self) -> Result<(), ArchiveError> {
        if let Some(mut w) = self.writer.take() {
            w.flush().map_err(self.io())?;
        }
        if self.reader.is_none() {
            self.reader = Some(File::open(&self.path).map_err(self.io())?);
        }
        Ok(())
    }

    /// Reads `len` bytes at `offset`, after [`Spill::finish_writing`].
    pub(crate) fn read_at(&self, offset: u64, len: usize) -> Result<Vec<u8>, ArchiveError> {
        use std::os::unix::fs::FileExt;
        let mut buf = vec![0; len];
        let r = self.reader.as_ref().expect("read after finish_writing");
        r.read_exact_at(&mut buf, offset).map_err(self.io())?;
        Ok(buf)
    }

    /// The facts spilled at `offset` ([`Spill::read_at`], parsed).
    pub(crate) fn read_facts(
        &self,
        offset: u64,
        len: usize,
    ) -> Result<super::facts::Facts, ArchiveError> {
        let bytes = self.read_at(offset, len)?;
        super::codec::decode(&bytes).map_err(|e| ArchiveError::Io {
            path: self.path.clone(),
            source: std::io::Error::new(std::io::ErrorKind::InvalidData, e),
        })
    }
}

impl Drop for Spill {
    fn drop(&mut self) {
        self.writer.take();
        self.reader.take();
        let _ = std::fs::remove_file(&self.path);
    }
}
