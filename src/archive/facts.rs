//! Compact per-report facts: what the cross-report rules need of a report,
//! extracted from its JSON line in the journal (never from in-memory batch
//! state, so the stage runs the same after `--resume`, over archives built in
//! several runs, and after a merge of shard outputs).
//!
//! Facts are spilled to disk while the journal is read; memory holds only a
//! fixed-size entry per report (see `mod.rs`).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::identity::{self, NameParts};
use super::{stale_year, text_reuse};

/// One table cell, as the rules compare it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FactCell {
    pub table: String,
    pub row: String,
    pub column: String,
    pub value: Option<f64>,
    pub raw: String,
    pub location: serde_json::Value,
}

/// The sampled n-gram sketch of one section (see `text_reuse`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct SectionSketch {
    pub section: String,
    /// Every n-gram of the normalized text (before sampling).
    pub ngrams: u32,
    /// Sampled n-gram hashes, sorted, distinct.
    pub sample: Vec<u32>,
}

/// A sentence naming the previous year where the report year belongs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct StaleHit {
    pub section: String,
    pub named: i32,
    pub sentence: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct Facts {
    pub source: String,
    pub format: String,
    pub agency: Option<String>,
    pub year: Option<i32>,
    pub template: String,
    pub admin_level: String,
    pub cells: Vec<FactCell>,
    pub text_chars: u32,
    pub sketches: Vec<SectionSketch>,
    pub stale: Vec<StaleHit>,
}

#[derive(Deserialize)]
struct CellView {
    value: Option<f64>,
    raw: String,
    location: serde_json::Value,
}

type TableView = BTreeMap<String, BTreeMap<String, CellView>>;

/// The part of a report line the facts need (other fields are ignored).
#[derive(Deserialize)]
struct ReportView {
    source: String,
    format: String,
    agency: Option<String>,
    year: Option<i32>,
    template: String,
    admin_level: String,
    sections: BTreeMap<String, Option<String>>,
    tables: BTreeMap<String, Option<TableView>>,
}

impl Facts {
    /// Facts of one `reports.jsonl` line.
    pub(crate) fn from_json(line: &str) -> Result<Facts, serde_json::Error> {
        let v: ReportView = serde_json::from_str(line)?;
        let mut cells = Vec::new();
        for (table, rows) in &v.tables {
            for (row, columns) in rows.iter().flatten() {
                for (column, c) in columns {
                    cells.push(FactCell {
                        table: table.clone(),
                        row: row.clone(),
                        column: column.clone(),
                        value: c.value,
                        raw: c.raw.clone(),
                        location: c.location.clone(),
                    });
                }
            }
        }
        let mut sketches = Vec::new();
        let mut stale = Vec::new();
        let mut text_chars = 0u32;
        for (section, text) in &v.sections {
            let Some(text) = text else { continue };
            text_chars = text_chars.saturating_add(text.chars().count() as u32);
            let (ngrams, sample) = text_reuse::sketch(text);
            sketches.push(SectionSketch {
                section: section.clone(),
                ngrams,
                sample,
            });
            if let Some(year) = v.year {
                stale.extend(
                    stale_year::hits(text, year)
                        .into_iter()
                        .map(|(named, s)| StaleHit {
                            section: section.clone(),
                            named,
                            sentence: s,
                        }),
                );
            }
        }
        Ok(Facts {
            source: v.source,
            format: v.format,
            agency: v.agency,
            year: v.year,
            template: v.template,
            admin_level: v.admin_level,
            cells,
            text_chars,
            sketches,
            stale,
        })
    }

    pub(crate) fn cell(&self, table: &str, row: &str, column: &str) -> Option<&FactCell> {
        self.cells
            .iter()
            .find(|c| c.table == table && c.row == row && c.column == column)
    }

    /// Cells holding a number: how complete this copy's reading is.
    pub(crate) fn filled(&self) -> usize {
        self.cells.iter().filter(|c| c.value.is_some()).count()
    }

    /// The identity before archive-wide resolution; `None` without agency.
    pub(crate) fn identity(&self) -> Option<NameParts> {
        self.agency
            .as_deref()
            .map(|a| identity::raw_identity(a, &self.source))
    }
}
