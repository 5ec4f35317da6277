//! The database on a thread of its own, fed in order as results come.
//!
//! Why: inserting rows is a sixth of a run's CPU, and it used to run after
//! conversion, on one thread, while the workers sat idle. Now `convert`
//! hands each written result (its record and the report the worker
//! converted) to this thread, which inserts while the workers convert; the
//! second pass (findings, after the archive stage) and the index build run
//! here too, beside the writing of the other outputs.
//!
//! The queue is bounded ([`QUEUE`] messages), so memory stays flat however
//! far the thread falls behind. Dropping a [`Feeder`] without
//! [`Feeder::close`] (an interrupted run, an error elsewhere) stops the
//! thread without building indexes; the partial file is the caller's to
//! remove (`OutputFolder::remove_partials`).

use std::panic::resume_unwind;
use std::sync::mpsc::{sync_channel, Receiver, SyncSender};
use std::thread::JoinHandle;

use super::{Database, SqliteError};
use crate::output::Record;
use crate::report::Report;

/// Messages in flight at most: a few megabytes of reports.
pub const QUEUE: usize = 32;

enum Message {
    Record(Box<Record>, Option<Box<Report>>),
    Findings(Option<Vec<u8>>),
    Index,
    Abandon,
}

/// A [`Database`] being built on its own thread.
pub struct Feeder {
    queue: Option<SyncSender<Message>>,
    thread: Option<JoinHandle<Result<(), SqliteError>>>,
}

impl Feeder {
    /// Moves `db` to a new thread that takes the rows sent to it.
    pub fn start(db: Database) -> Feeder {
        let (queue, rows) = sync_channel(QUEUE);
        let thread = std::thread::Builder::new()
            .name("nianbao-sqlite".into())
            .spawn(move || feed(db, rows))
            .expect("cannot start the database thread");
        Feeder {
            queue: Some(queue),
            thread: Some(thread),
        }
    }

    /// [`Database::add_record`] on the thread.
    pub fn add_record(
        &mut self,
        record: Record,
        report: Option<Box<Report>>,
    ) -> Result<(), SqliteError> {
        self.send(Message::Record(Box::new(record), report))
    }

    /// [`Database::index`] on the thread: the first pass is over.
    pub fn index(&mut self) -> Result<(), SqliteError> {
        self.send(Message::Index)
    }

    /// [`Database::add_findings`] on the thread.
    pub fn add_findings(&mut self, line: Option<Vec<u8>>) -> Result<(), SqliteError> {
        self.send(Message::Findings(line))
    }

    /// Waits for every row sent, then closes the database on the thread
    /// ([`Database::close`]: indexes, views, commit).
    pub fn close(mut self) -> Result<(), SqliteError> {
        self.queue.take();
        self.join()
    }

    fn send(&mut self, message: Message) -> Result<(), SqliteError> {
        let Some(queue) = &self.queue else {
            return Err(SqliteError::Stopped);
        };
        if queue.send(message).is_ok() {
            return Ok(());
        }
        // The thread stopped on an error: that error is the answer.
        self.queue = None;
        match self.join() {
            Ok(()) => Err(SqliteError::Stopped),
            Err(e) => Err(e),
        }
    }

    fn join(&mut self) -> Result<(), SqliteError> {
        match self.thread.take().map(JoinHandle::join) {
            None => Ok(()),
            Some(Ok(result)) => result,
            Some(Err(payload)) => resume_unwind(payload),
        }
    }
}

impl Drop for Feeder {
    fn drop(&mut self) {
        if let Some(queue) = self.queue.take() {
            let _ = queue.send(Message::Abandon);
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn feed(mut db: Database, rows: Receiver<Message>) -> Result<(), SqliteError> {
    for message in rows {
        match message {
            Message::Record(record, report) => db.add_record(&record, report.as_deref())?,
            Message::Findings(line) => {
                let source = || super::rows::source_of(line.as_deref().unwrap_or_default());
                db.add_findings(source, line.as_deref())?
            }
            Message::Index => db.index()?,
            Message::Abandon => return Ok(()),
        }
    }
    db.close()
}
