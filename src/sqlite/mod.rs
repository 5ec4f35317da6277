//! `nianbao.sqlite`: the run's results as a typed SQLite database, for
//! dashboards and notebooks (Datasette, Metabase, DuckDB, pandas).
//!
//! The CSV files cannot carry types: imported into SQLite they are text,
//! so `max(value)` compared strings ('97' > '118'), `expected`/`actual` mixed
//! numbers with sentences, and `template` read as a number from CSV but a
//! string from JSON. Here values are INTEGER or REAL, expected/actual have
//! a numeric and a text column, `template` is TEXT, and no column is named
//! after a SQL keyword. See `schema.rs` for the tables and views.
//!
//! The database is built in two passes (`rows`), on a thread of its own
//! ([`Feeder`]): during `convert` the first pass takes each result as it is
//! written, from the report the worker converted; `output::finalize` runs
//! the second once the archive stage is done (and `merge` both, from the
//! journal). All in one transaction with cached prepared statements, into
//! `.nianbao.sqlite.partial`, renamed to `nianbao.sqlite` only once it
//! is complete and closed: a killed run leaves the previous database (or
//! none), never a half-written one. Durability settings are off while it is
//! built (no rollback journal, no fsync): a crash mid-build loses only the
//! partial file, which the next run deletes and rebuilds.

mod extra;
mod feed;
mod rows;
mod schema;

use std::path::{Path, PathBuf};

use rusqlite::{params, Connection};

use crate::output::Record;
use crate::report::Report;

pub use feed::Feeder;
pub use rows::agency_key;
pub use schema::SCHEMA_VERSION;

pub const DATABASE: &str = "nianbao.sqlite";

#[derive(Debug, thiserror::Error)]
pub enum SqliteError {
    #[error("cannot write the database {path}: {source}")]
    Sql {
        path: PathBuf,
        source: rusqlite::Error,
    },
    #[error("cannot write the database {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot read {path} into the database: {source}")]
    Csv { path: PathBuf, source: csv::Error },
    #[error("cannot write the database: {0}")]
    Journal(String),
    /// The database thread ([`Feeder`]) stopped before the rows were in.
    #[error("cannot write the database: its thread stopped")]
    Stopped,
    /// A statement failed; the path is added by [`Database`].
    #[error(transparent)]
    Statement(#[from] rusqlite::Error),
}

/// The database being built: create it, `add_record` every kept record in
/// order, then (after the archive stage) `add_findings` for each in the
/// same order, then `finish` to index, close and rename it into place
/// (or `close` to leave it for the output folder's switch).
pub struct Database {
    conn: Connection,
    dir: PathBuf,
    partial: PathBuf,
    /// The file id of the next record of each pass.
    next_id: i64,
    next_findings_id: i64,
    /// [`schema::INDEXES`] built ([`Database::index`]).
    indexed: bool,
}

fn partial_path(dir: &Path) -> PathBuf {
    dir.join(format!(".{DATABASE}.partial"))
}

impl Database {
    /// Starts `DIR/.nianbao.sqlite.partial` (replacing one a killed run left).
    pub fn create(dir: &Path) -> Result<Database, SqliteError> {
        let partial = partial_path(dir);
        remove_if_present(&partial)?;
        let sql = |source| SqliteError::Sql {
            path: partial.clone(),
            source,
        };
        let conn = Connection::open(&partial).map_err(sql)?;
        conn.execute_batch(
            "PRAGMA journal_mode = OFF;
             PRAGMA synchronous = OFF;
             PRAGMA foreign_keys = OFF;
             BEGIN;",
        )
        .map_err(sql)?;
        conn.execute_batch(schema::TABLES).map_err(sql)?;
        schema::fill_dimensions(&conn).map_err(sql)?;
        Ok(Database {
            conn,
            dir: dir.to_path_buf(),
            partial,
            next_id: 1,
            next_findings_id: 1,
            indexed: false,
        })
    }

    /// The first pass for the next record (see `rows`): its file row and,
    /// when converted, its report's rows but its findings.
    pub fn add_record(
        &mut self,
        record: &Record,
        report: Option<&Report>,
    ) -> Result<(), SqliteError> {
        let id = self.next_id;
        self.next_id += 1;
        rows::insert_record(&self.conn, id, record, report).map_err(|source| SqliteError::Sql {
            path: self.partial.clone(),
            source,
        })
    }

    /// The second pass for the next record, once the archive stage has run:
    /// the findings of its report line as `reports.jsonl` has it (`None`
    /// for an input that was not converted).
    pub fn add_findings(
        &mut self,
        source: impl FnOnce() -> String,
        line: Option<&[u8]>,
    ) -> Result<(), SqliteError> {
        let id = self.next_findings_id;
        self.next_findings_id += 1;
        let Some(line) = line else { return Ok(()) };
        rows::insert_findings(&self.conn, id, source, line).map_err(|e| self.insert_error(e))
    }

    /// Builds the indexes once the first pass is over ([`close`] does, if
    /// this was not called). Why before the findings: the first pass's
    /// rows are all in, and on `convert`'s database thread this sort of
    /// every cell row runs while the archive stage runs on the workers,
    /// instead of after both (0.1 s of the 0.45 s after conversion on
    /// 2,000 reports). The findings then go into indexed tables: a few
    /// rows per report.
    ///
    /// [`close`]: Database::close
    pub fn index(&mut self) -> Result<(), SqliteError> {
        if !self.indexed {
            self.indexed = true;
            let partial = &self.partial;
            self.conn
                .execute_batch(schema::INDEXES)
                .map_err(|source| SqliteError::Sql {
                    path: partial.clone(),
                    source,
                })?;
        }
        Ok(())
    }

    /// Both passes for one record on its own (a database of records with
    /// no archive stage between them).
    pub fn add(&mut self, record: &Record) -> Result<(), SqliteError> {
        let report = parse_report(record)?;
        self.add_record(record, report.as_ref())?;
        self.add_findings(
            || record.source.clone(),
            record.report_line().map(str::as_bytes),
        )
    }

    fn insert_error(&self, e: rows::InsertError) -> SqliteError {
        match e {
            rows::InsertError::Sql(source) => SqliteError::Sql {
                path: self.partial.clone(),
                source,
            },
            json @ rows::InsertError::Json { .. } => SqliteError::Journal(json.to_string()),
        }
    }

    /// [`Database::close`], then renames the file to `DIR/nianbao.sqlite`.
    pub fn finish(self) -> Result<(), SqliteError> {
        let (dir, partial) = (self.dir.clone(), self.partial.clone());
        self.close()?;
        let target = dir.join(DATABASE);
        std::fs::rename(&partial, &target).map_err(|source| SqliteError::Io {
            path: target,
            source,
        })
    }

    /// Loads the extra tables, builds indexes and views, commits and closes
    /// the file, leaving it at its partial name for the output folder's
    /// atomic switch (`output::OutputFolder::commit`) to rename.
    pub fn close(mut self) -> Result<(), SqliteError> {
        self.index()?;
        let Database {
            conn, dir, partial, ..
        } = self;
        let sql = |source| SqliteError::Sql {
            path: partial.clone(),
            source,
        };
        extra::load(&conn, &dir).map_err(|e| match e {
            SqliteError::Statement(source) => sql(source),
            other => other,
        })?;
        let mut meta = conn
            .prepare("INSERT INTO meta (name, content) VALUES (?1, ?2)")
            .map_err(sql)?;
        for (name, content) in [
            ("schema_version", SCHEMA_VERSION.to_string()),
            (
                "generator",
                format!("nianbao {}", env!("CARGO_PKG_VERSION")),
            ),
        ] {
            meta.execute(params![name, content]).map_err(sql)?;
        }
        drop(meta);
        conn.execute_batch(&schema::views()).map_err(sql)?;
        conn.execute_batch("COMMIT;").map_err(sql)?;
        conn.close().map_err(|(_, source)| sql(source))?;
        Ok(())
    }
}

/// The report of a journal record, read back from its line.
pub fn parse_report(record: &Record) -> Result<Option<Report>, SqliteError> {
    let Some(line) = record.report_line() else {
        return Ok(None);
    };
    serde_json::from_str(line).map(Some).map_err(|e| {
        SqliteError::Journal(format!(
            "journal record of {} is not a report: {e}",
            record.source
        ))
    })
}

/// With `--no-sqlite`: removes a database an earlier run left in `dir`, so
/// the folder never holds a database that disagrees with its CSV files.
pub fn remove_stale(dir: &Path) -> Result<(), SqliteError> {
    remove_if_present(&dir.join(DATABASE))?;
    remove_if_present(&partial_path(dir))
}

fn remove_if_present(path: &Path) -> Result<(), SqliteError> {
    match std::fs::remove_file(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(SqliteError::Io {
            path: path.to_path_buf(),
            source: e,
        }),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests;

/// Keys and rule ids are stored as TEXT, spelled as in the JSON.
macro_rules! text_to_sql {
    ($($t:ty),*) => {$(
        impl rusqlite::ToSql for $t {
            fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
                Ok(rusqlite::types::ToSqlOutput::from(self.as_str()))
            }
        }
    )*};
}
text_to_sql!(
    crate::templates::RowKey,
    crate::templates::ColumnKey,
    crate::codes::RuleId,
    crate::codes::DiagnosticCode
);
