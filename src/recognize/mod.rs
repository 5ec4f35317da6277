//! Template recognition: from a format-neutral [`Document`] to a [`Report`]
//! with canonical keys. Knows the template (through [`crate::templates`]) and
//! nothing of file formats.

mod glued;
mod label_texts;
pub(crate) use label_texts::clear as clear_label_texts;
mod labels;
pub mod metadata;
pub mod sections;
pub mod segment;
mod signature;
pub mod tables;

use crate::codes::DiagnosticCode;
use crate::document::{Block, Document, Table};
use crate::readers::Format;
use crate::report::{Diagnostic, GenericTable, Report, Tables};
use crate::templates::{self, TableKey, TemplateId, TemplateSpec};
use tables::{Accumulator, NormTable};

/// Recognizes the report in `doc`. `source` is the input's name, used for
/// metadata when the document itself has no title (spreadsheets).
pub fn recognize(doc: &Document, source: &str, format: Format) -> Report {
    // What the reader trimmed or guessed comes first: nothing is dropped
    // silently, not even by a limit.
    let mut diagnostics: Vec<Diagnostic> = doc
        .notes
        .iter()
        .map(|note| Diagnostic::new(DiagnosticCode::ReaderNote, note.clone()))
        .collect();
    let paragraphs: Vec<std::borrow::Cow<str>> = doc
        .blocks
        .iter()
        .filter_map(|b| match b {
            Block::Paragraph(p) => Some(p.display()),
            Block::Table(_) => None,
        })
        .collect();
    let title = metadata::find_title(paragraphs.iter().map(|p| p.as_ref()));
    let stem = file_stem(source);
    let agency = title
        .as_deref()
        .and_then(metadata::agency_in)
        .or_else(|| metadata::agency_in(&stem))
        .or_else(|| agency_from_stem(&stem));
    let year = title
        .as_deref()
        .and_then(metadata::year_in)
        .or_else(|| {
            paragraphs
                .iter()
                .take(200)
                .find_map(|p| metadata::period_year(p))
        })
        .or_else(|| metadata::year_in(&stem))
        .or_else(|| paragraphs.iter().find_map(|p| metadata::year_in(p)));
    if agency.is_none() {
        diagnostics.push(Diagnostic::new(
            DiagnosticCode::NoAgency,
            "the reporting agency was not found in the title or the file name",
        ));
    }
    if year.is_none() {
        diagnostics.push(Diagnostic::new(
            DiagnosticCode::NoYear,
            "the report year was not found in the title, the file name or the text",
        ));
    }
    let admin_level = agency
        .as_deref()
        .map_or(crate::report::AdminLevel::Unknown, metadata::admin_level);

    let source_tables: Vec<&Table> = doc
        .blocks
        .iter()
        .filter_map(|b| match b {
            Block::Table(t) => Some(t),
            Block::Paragraph(_) => None,
        })
        .collect();
    let (template, tables, other_tables, table_diags) = map_tables(&source_tables, year);
    diagnostics.extend(table_diags);

    Report {
        source: source.to_string(),
        format,
        title,
        agency,
        year,
        template,
        admin_level,
        sections: sections::extract(doc),
        tables,
        other_tables,
        diagnostics,
        checks: Vec::new(),
        findings: Vec::new(),
    }
}

fn file_stem(source: &str) -> String {
    let name = source.rsplit(['/', '\\', '!']).next().unwrap_or(source);
    name.rsplit_once('.')
        .map_or(name, |(stem, _)| stem)
        .to_string()
}

/// "广阳镇-2022" or "广阳镇_2022年报": the Chinese part before the year.
fn agency_from_stem(stem: &str) -> Option<String> {
    static RE: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    let re = RE.get_or_init(|| {
        regex::Regex::new(r"^(?P<a>[\p{Han}（）()]{2,}?)[-_ ]*20[0-9]{2}").expect("valid regex")
    });
    re.captures(stem).map(|c| c["a"].to_string())
}

type MappedTables = (TemplateId, Tables, Vec<GenericTable>, Vec<Diagnostic>);

/// Classifies the tables, picks the template and maps every table of a known
/// kind; the rest are kept as generic tables.
fn map_tables(source_tables: &[&Table], year: Option<i32>) -> MappedTables {
    let norm: Vec<NormTable> = source_tables.iter().map(|t| NormTable::new(t)).collect();
    let classified = tables::classify(norm);
    let mut diagnostics = Vec::new();
    let mut other_tables = Vec::new();
    for (table, kind) in classified.tables.iter().zip(&classified.kinds) {
        if kind.is_none() && table.table.rows() > 0 {
            other_tables.push(generic(table.table));
        }
    }
    if classified.kinds.iter().all(Option::is_none) {
        diagnostics.push(Diagnostic::new(
            DiagnosticCode::NoTemplate,
            if source_tables.is_empty() {
                "the document has no tables; no statistical table of the national template was found".to_string()
            } else {
                format!("none of the {} tables matches a table of the national template", source_tables.len())
            },
        ));
        return (
            TemplateId::Unknown,
            Tables::default(),
            other_tables,
            diagnostics,
        );
    }
    let template = choose_template(&classified, year);
    let mut out = Tables::default();
    for key in TableKey::ALL {
        let Some(spec) = template.table(key) else {
            continue;
        };
        let mut acc = Accumulator::default();
        let mut positions = None;
        let mut any = false;
        for (table, kind) in classified.tables.iter().zip(&classified.kinds) {
            if *kind == Some(key) {
                tables::map_table(table, spec, &mut positions, &mut acc);
                any = true;
            }
        }
        if any {
            let (keyed, diags) = acc.finish(spec);
            diagnostics.extend(diags);
            *out.slot(key) = Some(keyed);
        } else {
            diagnostics.push(Diagnostic::new(
                DiagnosticCode::MissingTable,
                format!("table {} not found", key.as_str()),
            ));
        }
    }
    (template.id, out, other_tables, diagnostics)
}

/// The template whose distinguishing labels the tables carry; the year
/// breaks ties (2019 and 2020 reports used the older format).
fn choose_template(classified: &tables::Classified, year: Option<i32>) -> &'static TemplateSpec {
    let hits = |t: &TemplateSpec| -> usize {
        classified
            .tables
            .iter()
            .zip(&classified.kinds)
            .filter_map(|(table, kind)| {
                kind.and_then(|k| t.table(k))
                    .map(|spec| tables::signature_hits(table, spec))
            })
            .sum()
    };
    let scored: Vec<(usize, &'static TemplateSpec)> =
        templates::all().iter().map(|&t| (hits(t), t)).collect();
    let best = scored.iter().map(|(h, _)| *h).max().unwrap_or(0);
    let tied: Vec<&'static TemplateSpec> = scored
        .iter()
        .filter(|(h, _)| *h == best)
        .map(|(_, t)| *t)
        .collect();
    // A tie goes to the format in force for the year, else the newest.
    let preferred = year.map(templates::in_force);
    preferred
        .filter(|p| tied.iter().any(|t| t.id == p.id))
        .unwrap_or(tied[0])
}

fn generic(table: &Table) -> GenericTable {
    GenericTable {
        location: table.location(0, 0),
        rows: (0..table.rows())
            .map(|r| table.row_texts(r).map(str::to_string).collect())
            .collect(),
    }
}
