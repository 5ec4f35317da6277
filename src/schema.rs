//! The JSON Schema (2020-12) of one line of `reports.jsonl`.
//!
//! Generated from the template data, so a new template year appears in the
//! schema with no extra work; committed as `schemas/report.schema.json`. A
//! test fails when the committed file and this generator disagree, and
//! validates every sample's output against it, so the Rust types and the
//! schema cannot drift apart.

use serde_json::{json, Map, Value};

use crate::checks::RULES;
use crate::codes::DiagnosticCode;
use crate::templates::{self, RowSpec, TableSpec, TemplateSpec, ValueKind};

pub const SCHEMA_ID: &str = "https://nianbao.invalid/schemas/report.schema.json";

/// The whole schema.
pub fn report_schema() -> Value {
    let mut defs = Map::new();
    defs.insert("cell".into(), cell_schema());
    defs.insert("location".into(), location_schema());
    defs.insert("finding".into(), finding_schema());
    defs.insert("archive_finding".into(), archive_finding_schema());
    kind_cells(&mut defs);
    for template in templates::all() {
        defs.insert(
            format!("tables_{}", template.id.as_str()),
            tables_schema(template),
        );
        for table in template.tables {
            defs.insert(table_def_name(template, table), table_schema(table));
        }
    }
    let template_branches: Vec<Value> = templates::all()
        .iter()
        .map(|t| {
            json!({
                "if": {"properties": {"template": {"const": t.id.as_str()}}},
                "then": {"properties": {"tables": {"$ref": format!("#/$defs/tables_{}", t.id.as_str())}}}
            })
        })
        .chain(std::iter::once(json!({
            "if": {"properties": {"template": {"const": "unknown"}}},
            "then": {"properties": {"tables": {
                "type": "object",
                "properties": {
                    "active_disclosure": {"type": "null"},
                    "requests": {"type": "null"},
                    "review_litigation": {"type": "null"}
                }
            }}}
        })))
        .collect();
    let sections: Map<String, Value> = templates::SECTIONS
        .iter()
        .map(|(k, _)| (k.to_string(), json!({"type": ["string", "null"]})))
        .collect();
    let section_keys: Vec<&str> = templates::SECTIONS.iter().map(|(k, _)| *k).collect();
    let template_ids: Vec<&str> = templates::all()
        .iter()
        .map(|t| t.id.as_str())
        .chain(["unknown"])
        .collect();
    let diagnostic_codes: Vec<&str> = DiagnosticCode::ALL.iter().map(|c| c.as_str()).collect();
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "nianbao report",
        "description": "One 政府信息公开工作年度报告, normalized to the canonical keys of the national template. One line of reports.jsonl.",
        "type": "object",
        "additionalProperties": false,
        "required": ["source", "format", "title", "agency", "year", "template", "admin_level", "sections", "tables", "other_tables", "diagnostics", "checks", "findings"],
        "properties": {
            "source": {"type": "string", "description": "The input path as found under the given argument (archive members: archive!member)."},
            "format": {"enum": ["txt", "html", "docx", "doc", "xlsx", "xls", "ods", "pdf"]},
            "title": {"type": ["string", "null"]},
            "agency": {"type": ["string", "null"]},
            "year": {"type": ["integer", "null"]},
            "template": {"enum": template_ids},
            "admin_level": {"enum": ["township", "county", "city", "province", "department", "unknown"]},
            "sections": {"type": "object", "additionalProperties": false, "required": section_keys, "properties": sections},
            "tables": {
                "type": "object",
                "additionalProperties": false,
                "required": ["active_disclosure", "requests", "review_litigation"],
                "properties": {
                    "active_disclosure": true, "requests": true, "review_litigation": true
                }
            },
            "other_tables": {"type": "array", "items": {
                "type": "object", "additionalProperties": false, "required": ["location", "rows"],
                "properties": {
                    "location": {"$ref": "#/$defs/location"},
                    "rows": {"type": "array", "items": {"type": "array", "items": {"type": "string"}}}
                }
            }},
            "diagnostics": {"type": "array", "items": {
                "type": "object", "additionalProperties": false, "required": ["code", "message"],
                "properties": {"code": {"enum": diagnostic_codes}, "message": {"type": "string"}}
            }},
            "checks": {"type": "array", "items": check_schema()},
            "findings": {"type": "array", "items": {"$ref": "#/$defs/finding"}},
            "agency_key": {"type": ["string", "null"], "description": "Added by the archive stage: the agency key shared by every report of the same body (null without agency)."},
            "duplicate_of": {"type": ["string", "null"], "description": "Added by the archive stage: the primary copy's source when this report is another copy of the same key and year."},
            "archive_checks": {"type": "array", "description": "Added by the archive stage: each cross-report rule's status for this report.", "items": {
                "type": "object", "additionalProperties": false, "required": ["rule", "status", "reason"],
                "properties": {
                    "rule": {"enum": crate::archive::rule_ids()},
                    "status": {"enum": ["passed", "failed", "not_assessable"]},
                    "reason": {"type": ["string", "null"]}
                }
            }},
            "archive_findings": {"type": "array", "items": {"$ref": "#/$defs/archive_finding"}}
        },
        "allOf": template_branches,
        "$defs": defs
    })
}

fn table_def_name(template: &TemplateSpec, table: &TableSpec) -> String {
    format!("{}_{}", table.key.as_str(), template.id.as_str())
}

fn tables_schema(template: &TemplateSpec) -> Value {
    let props: Map<String, Value> = template
        .tables
        .iter()
        .map(|t| {
            let r = json!({"oneOf": [{"type": "null"}, {"$ref": format!("#/$defs/{}", table_def_name(template, t))}]});
            (t.key.as_str().to_string(), r)
        })
        .collect();
    json!({"type": "object", "additionalProperties": false, "properties": props})
}

/// A table: one property per canonical row, each an object with one property
/// per canonical column of that row. Rows and cells absent from the source
/// are absent here, never zero-filled.
fn table_schema(table: &TableSpec) -> Value {
    let mut rows: Map<String, Value> = table
        .rows
        .iter()
        .map(|row| (row.key.to_string(), row_schema(table, row)))
        .collect();
    // A row another year's format prints in this table (a 2021 report
    // printing （六）其他处理 as one row, as the 2019 format does) keeps
    // that format's key.
    for row in table.extra_rows {
        let mut schema = row_schema(table, row);
        schema["description"] = json!(format!(
            "{} printed as one row, as another year's format does",
            row.aliases.first().copied().unwrap_or(row.key.as_str())
        ));
        rows.insert(row.key.to_string(), schema);
    }
    json!({"type": "object", "additionalProperties": false, "properties": rows})
}

fn row_schema(table: &TableSpec, row: &RowSpec) -> Value {
    let cols: Map<String, Value> = row
        .columns
        .iter()
        .map(|c| {
            let kind = table.column(c).map_or(ValueKind::Count, |s| s.kind);
            (c.to_string(), cell_with_kind(kind))
        })
        .collect();
    json!({"type": "object", "additionalProperties": false, "properties": cols})
}

fn cell_with_kind(kind: ValueKind) -> Value {
    match kind {
        ValueKind::Count => json!({"$ref": "#/$defs/count_cell"}),
        ValueKind::SignedCount => json!({"$ref": "#/$defs/signed_cell"}),
        ValueKind::Amount { .. } => json!({"$ref": "#/$defs/amount_cell"}),
    }
}

/// Cells by column kind: the same shape, described for readers of the schema
/// (a count that breaks its domain is still a number, flagged by value.domain).
fn kind_cells(defs: &mut Map<String, Value>) {
    for (name, description) in [
        ("count_cell", "a count: a whole number >= 0 when valid"),
        ("signed_cell", "a signed whole number (本年增/减)"),
        ("amount_cell", "an amount (万元 or 元), up to 4 decimals"),
    ] {
        defs.insert(
            name.into(),
            json!({"$ref": "#/$defs/cell", "description": description}),
        );
    }
}

fn check_schema() -> Value {
    json!({
        "type": "object", "additionalProperties": false, "required": ["rule", "status"],
        "properties": {"rule": {"enum": RULES}, "status": {"enum": ["passed", "failed", "not_assessable", "blocked"]},
            "blocked": {"type": "array", "description": "rule instances not evaluated because an operand fails value.domain or could not be read", "items": {
                "type": "object", "additionalProperties": false, "required": ["row", "column", "by", "reason"],
                "properties": {"row": {"type": ["string", "null"]}, "column": {"type": ["string", "null"]}, "by": {"type": "string"}, "reason": {"enum": ["domain", "unread"]}}
            }}}
    })
}

fn cell_schema() -> Value {
    json!({
        "type": "object",
        "additionalProperties": false,
        "required": ["value", "raw", "location"],
        "properties": {
            "value": {"type": ["number", "null"], "description": "null for blank cells, placeholders (—, /, 无) and text"},
            "raw": {"type": "string"},
            "location": {"$ref": "#/$defs/location"}
        }
    })
}

fn location_schema() -> Value {
    let inferred = json!({"enum": ["glued_digits", "unresolved"], "description": "present only when the cell's boundaries were inferred (glued_digits: split by the template's identities) or could not be read (unresolved: value null, raw holds the glued text)"});
    json!({
        "oneOf": [
            {"type": "object", "additionalProperties": false, "required": ["table", "row", "col"],
             "properties": {"table": {"type": "integer", "minimum": 1}, "row": {"type": "integer", "minimum": 1}, "col": {"type": "integer", "minimum": 1}, "inferred": inferred}},
            {"type": "object", "additionalProperties": false, "required": ["sheet", "cell"],
             "properties": {"sheet": {"type": "string"}, "cell": {"type": "string", "pattern": "^[A-Z]+[0-9]+$"}, "inferred": inferred}},
            {"type": "object", "additionalProperties": false, "required": ["table", "row", "col", "page", "bbox"],
             "description": "PDF: grid position, 1-based page and the cell's bounding box [x0, y0, x1, y1] in PDF points (origin bottom left)",
             "properties": {"table": {"type": "integer", "minimum": 1}, "row": {"type": "integer", "minimum": 1}, "col": {"type": "integer", "minimum": 1},
                            "page": {"type": "integer", "minimum": 1},
                            "bbox": {"type": "array", "items": {"type": "number"}, "minItems": 4, "maxItems": 4}, "inferred": inferred}}
        ]
    })
}

/// A cross-report finding (`src/archive`): like a finding, with the other
/// report (`counterpart`) and cells from either report.
fn archive_finding_schema() -> Value {
    let quantity = json!({"type": ["number", "string", "null"]});
    json!({
        "type": "object",
        "additionalProperties": false,
        "required": ["rule", "severity", "table", "row", "column", "expected", "actual", "counterpart", "cells", "similarity", "evidence", "message", "fingerprint"],
        "properties": {
            "rule": {"enum": crate::archive::rule_ids()},
            "severity": {"enum": ["error", "incomplete", "warning"]},
            "table": {"enum": ["active_disclosure", "requests", "review_litigation", null]},
            "row": {"type": ["string", "null"]},
            "column": {"type": ["string", "null"]},
            "expected": quantity,
            "actual": quantity,
            "counterpart": {"type": ["string", "null"]},
            "cells": {"type": "array", "items": {
                "type": "object", "additionalProperties": false,
                "required": ["source", "table", "row", "column", "value", "raw", "location"],
                "properties": {
                    "source": {"type": "string"}, "table": {"type": "string"},
                    "row": {"type": "string"}, "column": {"type": "string"},
                    "value": {"type": ["number", "null"]}, "raw": {"type": "string"},
                    "location": {"$ref": "#/$defs/location"}
                }
            }},
            "similarity": {"type": "array", "items": {
                "type": "object", "additionalProperties": false, "required": ["section", "similarity"],
                "properties": {"section": {"type": "string"}, "similarity": {"type": "number", "minimum": 0, "maximum": 1}}
            }},
            "evidence": {"type": ["string", "null"]},
            "message": {"type": "string"},
            "fingerprint": {"type": "string", "pattern": "^[0-9a-f]{16}$"}
        }
    })
}

fn finding_schema() -> Value {
    let quantity = json!({"type": ["number", "string", "null"]});
    json!({
        "type": "object",
        "additionalProperties": false,
        "required": ["rule", "severity", "table", "row", "column", "expected", "actual", "cells", "message", "fingerprint", "reading"],
        "properties": {
            "rule": {"enum": RULES},
            "severity": {"enum": ["error", "incomplete", "warning"]},
            "table": {"enum": ["active_disclosure", "requests", "review_litigation", null]},
            "row": {"type": ["string", "null"]},
            "column": {"type": ["string", "null"]},
            "expected": quantity,
            "actual": quantity,
            "cells": {"type": "array", "items": {
                "type": "object", "additionalProperties": false,
                "required": ["row", "column", "value", "raw", "location"],
                "properties": {
                    "row": {"type": "string"}, "column": {"type": "string"},
                    "value": {"type": ["number", "null"]}, "raw": {"type": "string"},
                    "location": {"$ref": "#/$defs/location"},
                    "reading": {"enum": ["glued_digits", "unresolved"]}
                }
            }},
            "message": {"type": "string"},
            "fingerprint": {"type": "string", "pattern": "^[0-9a-f]{16}$"},
            "reading": {"enum": ["certain", "inferred"], "description": "inferred when a cell involved was split out of glued digits: a reading doubt, not necessarily a publication error"}
        }
    })
}
