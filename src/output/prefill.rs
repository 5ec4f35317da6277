//! The first pass over a run's records, in order: the archive stage's facts,
//! the database's rows but findings (`crate::sqlite`'s first pass), and the
//! outputs that need nothing of the archive stage ([`super::streams`]).
//!
//! Why a pass of its own: neither needs the archive stage's results, so
//! `convert` runs it as results are written, from what the workers already
//! hold in memory (the facts prepared on the worker, the typed report),
//! while the other workers convert; nothing is parsed back from JSON and
//! the database fills on its own thread. `merge`, and `--resume` for an
//! earlier run's records, run the same pass from the journal's lines;
//! both ways give the same facts and the same rows, so a merge still writes
//! what one run writes, byte for byte. [`super::finalize_prefilled`] then
//! runs the archive stage and everything that depends on it.

use super::streams::Streams;
use super::{FinalizeOptions, OutputError, OutputFolder, Record};
use crate::archive::{Builder, Prepared};
use crate::report::Report;
use crate::sqlite::{Database, Feeder};

/// The stage and database of a run being built.
pub struct Prefill {
    pub(super) builder: Builder,
    /// `None` with `--no-sqlite`.
    pub(super) database: Option<Feeder>,
    pub(super) streams: Streams,
}

impl Prefill {
    /// An empty stage in `folder`, its outputs staged, and a database
    /// being built when `opts.sqlite`.
    pub fn new(
        folder: &OutputFolder,
        cfg: crate::archive::Config,
        opts: FinalizeOptions,
    ) -> Result<Prefill, OutputError> {
        let dir = folder.dir();
        let builder = Builder::new(dir, cfg)?;
        let database = match opts.sqlite {
            true => Some(Feeder::start(Database::create(dir)?)),
            false => None,
        };
        let streams = Streams::new(folder, opts)?;
        Ok(Prefill {
            builder,
            database,
            streams,
        })
    }

    /// Record `index` of the output, converted in this run: its whole
    /// record, its report and its prepared facts.
    pub fn add(
        &mut self,
        index: usize,
        record: Record,
        report: Option<Box<Report>>,
        facts: Option<Prepared>,
    ) -> Result<(), OutputError> {
        self.streams.add(&record)?;
        self.add_parsed(index, light(record), report, facts)
    }

    /// [`Prefill::add`] once the record is in the streams.
    fn add_parsed(
        &mut self,
        index: usize,
        record: Record,
        report: Option<Box<Report>>,
        facts: Option<Prepared>,
    ) -> Result<(), OutputError> {
        if let Some(facts) = facts {
            self.builder.add_prepared(index, facts)?;
        }
        if let Some(db) = &mut self.database {
            db.add_record(record, report)?;
        }
        Ok(())
    }

    /// Record `index` of the output, as the journal holds it.
    /// Its `cells.csv` lines are made again from the report (the journal
    /// does not keep them: [`Record::restore_cells`]).
    pub fn add_journal(&mut self, index: usize, mut record: Record) -> Result<(), OutputError> {
        let report = record.report_line().map(serde_json::from_str::<Report>);
        if let Some(Ok(report)) = &report {
            record.restore_cells(report);
        }
        self.streams.add(&record)?;
        match report {
            None => self.add_parsed(index, record, None, None),
            Some(Ok(report)) => {
                let facts = Prepared::of_report(&report);
                self.add_parsed(index, light(record), Some(Box::new(report)), Some(facts))
            }
            Some(Err(_)) => {
                // A line that is not a report (damage within one version):
                // no cells rows can be made of it; left out of the stage
                // unless its facts still read; the database cannot hold
                // it, and says so.
                let line = record.report_line().expect("a report line was parsed");
                self.builder.add(index, line)?;
                if self.database.is_none() {
                    return Ok(());
                }
                Err(crate::sqlite::parse_report(&record)
                    .err()
                    .unwrap_or(crate::sqlite::SqliteError::Stopped)
                    .into())
            }
        }
    }
}

/// The record without what the first pass does not read.
pub fn light(mut record: Record) -> Record {
    record.report = None;
    record.cells = String::new();
    record.findings = String::new();
    record
}
