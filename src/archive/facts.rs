//! Compact per-report facts: what the cross-report rules need of a report.
//!
//! Two ways in, with one result: [`Facts::from_report`] on the worker that
//! converted the report (so a run does not parse its own JSON back), and
//! [`Facts::from_json`] for a report line of the journal (an earlier run's
//! record under `--resume`, shards being merged). `from_report` reproduces
//! what reading the line gives, key order and number round trip included;
//! a test holds the two equal on every sample.
//!
//! Facts are spilled to disk while the journal is read; memory holds only a
//! fixed-size entry per report (see `mod.rs`).

use std::collections::BTreeMap;

use std::borrow::Cow;

use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

use super::identity::{self, NameParts};
use super::{stale_year, text_reuse};
use crate::report::Report;
use crate::values::Number;

/// One table cell, as the rules compare it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FactCell {
    /// The canonical keys, borrowed from the templates when they are one
    /// of theirs (always, for a report nianbao wrote): no three strings
    /// allocated per cell of every report, on the worker and again when
    /// the archive stage reads the spill back.
    pub table: Cow<'static, str>,
    pub row: Cow<'static, str>,
    pub column: Cow<'static, str>,
    pub value: Option<f64>,
    pub raw: String,
    pub location: LocationJson,
}

/// A cell's location as JSON text (keys sorted, as a `serde_json::Value`
/// writes them), written out as that JSON. Kept as text: no rule reads it,
/// it is only written out again in archive findings. As a `Value` it was a
/// tree of maps built for every cell of every report read back from the
/// spill, about a third of the archive stage's time; as a checked
/// `RawValue`, its parse was 40% of reading a cell back (perf, callgrind:
/// 2,000 and 300 generated reports). It is checked when written instead,
/// for the few cells an archive finding names.
#[derive(Debug, Clone, PartialEq)]
pub struct LocationJson(pub(crate) String);

impl Serialize for LocationJson {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        RawValue::from_string(self.0.clone())
            .map_err(serde::ser::Error::custom)?
            .serialize(s)
    }
}

/// A cell's location as `raw_location(&c.location_json())` gives it, with
/// the keys sorted; the two common cases (a certain flow or sheet cell)
/// written directly, without a `Value` in between: that way was 3% of a
/// whole run's instructions (callgrind, 300 generated reports).
/// `facts_from_a_report_equal_facts_from_its_line` holds the two equal.
fn location_of(c: &crate::report::Cell) -> LocationJson {
    use crate::document::SourceLocation;
    #[derive(Serialize)]
    struct Flow {
        col: usize,
        row: usize,
        table: usize,
    }
    #[derive(Serialize)]
    struct Sheet<'a> {
        cell: &'a str,
        sheet: &'a str,
    }
    let text = match (&c.location, c.reading.is_certain()) {
        (&SourceLocation::Flow { table, row, col }, true) => {
            serde_json::to_string(&Flow { col, row, table })
        }
        (SourceLocation::Sheet { sheet, cell }, true) => {
            serde_json::to_string(&Sheet { cell, sheet })
        }
        _ => return raw_location(&c.location_json()),
    };
    LocationJson(text.expect("locations serialize"))
}

/// A location `Value` as the JSON text `FactCell` keeps.
pub(crate) fn raw_location(location: &serde_json::Value) -> LocationJson {
    LocationJson(serde_json::to_string(location).expect("JSON values serialize"))
}

/// The sampled n-gram sketch of one section (see `text_reuse`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct SectionSketch {
    pub section: String,
    /// Every n-gram of the normalized text (before sampling).
    pub ngrams: u32,
    /// Sampled n-gram hashes, sorted, distinct.
    pub sample: Vec<u32>,
}

/// A sentence naming the previous year where the report year belongs.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct StaleHit {
    pub section: String,
    pub named: i32,
    pub sentence: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
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
                        table: Cow::Owned(table.clone()),
                        row: Cow::Owned(row.clone()),
                        column: Cow::Owned(column.clone()),
                        value: c.value,
                        raw: c.raw.clone(),
                        location: raw_location(&c.location),
                    });
                }
            }
        }
        let mut sketches = Vec::new();
        let mut stale = Vec::new();
        let mut text_chars = 0u32;
        for (section, text) in &v.sections {
            let Some(text) = text else { continue };
            add_section(
                section,
                text,
                v.year,
                &mut text_chars,
                &mut sketches,
                &mut stale,
            );
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

    /// Facts of a report in memory: equal to `from_json` of its line.
    pub(crate) fn from_report(r: &Report) -> Facts {
        let cells = r
            .keyed_cells()
            .into_iter()
            .map(|(table, row, column, c)| FactCell {
                table: Cow::Borrowed(table.as_str()),
                row: Cow::Borrowed(row),
                column: Cow::Borrowed(column),
                value: c.value.and_then(as_read_back),
                raw: c.raw.clone(),
                location: location_of(c),
            })
            .collect();
        let mut sketches = Vec::new();
        let mut stale = Vec::new();
        let mut text_chars = 0u32;
        for (section, text) in r.sections.by_key() {
            let Some(text) = text else { continue };
            add_section(
                section,
                text,
                r.year,
                &mut text_chars,
                &mut sketches,
                &mut stale,
            );
        }
        Facts {
            source: r.source.clone(),
            format: r.format.as_str().to_string(),
            agency: r.agency.clone(),
            year: r.year,
            template: r.template.as_str().to_string(),
            admin_level: r.admin_level.as_str().to_string(),
            cells,
            text_chars,
            sketches,
            stale,
        }
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

/// One section's share of the facts: its length, sketch and stale years.
fn add_section(
    section: &str,
    text: &str,
    year: Option<i32>,
    text_chars: &mut u32,
    sketches: &mut Vec<SectionSketch>,
    stale: &mut Vec<StaleHit>,
) {
    *text_chars = text_chars.saturating_add(text.chars().count() as u32);
    let (ngrams, sample) = text_reuse::sketch(text);
    sketches.push(SectionSketch {
        section: section.to_string(),
        ngrams,
        sample,
    });
    if let Some(year) = year {
        stale.extend(
            stale_year::hits(text, year)
                .into_iter()
                .map(|(named, s)| StaleHit {
                    section: section.to_string(),
                    named,
                    sentence: s,
                }),
        );
    }
}

/// A cell value as reading it from the line gives it: the number through
/// its JSON text (a decimal that is not finite is written as `null`).
fn as_read_back(n: Number) -> Option<f64> {
    match n {
        Number::Int(i) => Some(i as f64),
        Number::Decimal(d) if d.is_finite() => {
            let text = serde_json::to_string(&d).expect("finite numbers serialize");
            Some(serde_json::from_str(&text).expect("a JSON number reads back"))
        }
        Number::Decimal(_) => None,
    }
}
