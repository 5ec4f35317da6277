//! The typed names the outputs carry: rule ids and diagnostic codes.
//!
//! Both serialize to the spellings the JSON, CSV and SQLite outputs have
//! always used (a contract with downstream users), and both come from one
//! registry each, which also feeds the JSON Schema's enums
//! (`schema::generate`). A rule id is declared once, in the file of the rule
//! (`checks::RULES`, `archive::RULES`); deserializing an id no rule declares
//! fails instead of inventing one.

use std::fmt;

use serde::de::{Deserializer, Error as _};
use serde::{Deserialize, Serialize, Serializer};

/// The id of a consistency rule (`requests.row_sum`, `cross_year.carry`).
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RuleId(&'static str);

impl RuleId {
    /// Declares a rule id; each rule's own file does this once.
    pub(crate) const fn declare(id: &'static str) -> Self {
        RuleId(id)
    }

    pub fn as_str(self) -> &'static str {
        self.0
    }

    /// Every rule nianbao evaluates: the per-report rules in report order,
    /// then the archive-wide ones.
    pub fn all() -> impl Iterator<Item = RuleId> {
        crate::checks::RULES
            .iter()
            .copied()
            .chain(crate::archive::rule_ids())
    }

    /// The declared rule with this spelling.
    pub fn lookup(spelling: &str) -> Option<RuleId> {
        RuleId::all().find(|r| r.0 == spelling)
    }
}

impl fmt::Debug for RuleId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "RuleId({:?})", self.0)
    }
}

impl fmt::Display for RuleId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

impl std::ops::Deref for RuleId {
    type Target = str;

    fn deref(&self) -> &str {
        self.0
    }
}

impl PartialEq<&str> for RuleId {
    fn eq(&self, other: &&str) -> bool {
        self.0 == *other
    }
}

impl Serialize for RuleId {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.0)
    }
}

impl<'de> Deserialize<'de> for RuleId {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let spelling = std::borrow::Cow::<'de, str>::deserialize(d)?;
        RuleId::lookup(&spelling)
            .ok_or_else(|| D::Error::custom(format!("no rule has the id {spelling:?}")))
    }
}

/// What a diagnostic is about: something recognition could not map, had to
/// guess, or a reader noted (docs/TEMPLATE.md, "Real-world variation").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum DiagnosticCode {
    /// No issuing agency found in the title or the body.
    NoAgency,
    /// No report year found.
    NoYear,
    /// No table matched either template: every table is kept as text.
    NoTemplate,
    /// The template's table is absent from the report.
    MissingTable,
    /// Template rows the table lacks (absent, never zero-filled).
    MissingRows,
    /// A row label matched a row already read.
    DuplicateRow,
    /// A row whose label matches no template row (kept in the message).
    UnmappedRow,
    /// Rows of another year's format inside this table.
    LayoutMix,
    /// A row with more or fewer values than the template's columns.
    ValueCount,
    /// Digits glued together, split by the identities or left unread.
    GluedDigits,
    /// What a reader noticed: a clipped grid, a formula without a value.
    ReaderNote,
}

impl DiagnosticCode {
    pub const ALL: [DiagnosticCode; 11] = [
        DiagnosticCode::NoAgency,
        DiagnosticCode::NoYear,
        DiagnosticCode::NoTemplate,
        DiagnosticCode::MissingTable,
        DiagnosticCode::MissingRows,
        DiagnosticCode::DuplicateRow,
        DiagnosticCode::UnmappedRow,
        DiagnosticCode::LayoutMix,
        DiagnosticCode::ValueCount,
        DiagnosticCode::GluedDigits,
        DiagnosticCode::ReaderNote,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            DiagnosticCode::NoAgency => "no_agency",
            DiagnosticCode::NoYear => "no_year",
            DiagnosticCode::NoTemplate => "no_template",
            DiagnosticCode::MissingTable => "missing_table",
            DiagnosticCode::MissingRows => "missing_rows",
            DiagnosticCode::DuplicateRow => "duplicate_row",
            DiagnosticCode::UnmappedRow => "unmapped_row",
            DiagnosticCode::LayoutMix => "layout_mix",
            DiagnosticCode::ValueCount => "value_count",
            DiagnosticCode::GluedDigits => "glued_digits",
            DiagnosticCode::ReaderNote => "reader_note",
        }
    }
}

impl PartialEq<&str> for DiagnosticCode {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl fmt::Display for DiagnosticCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diagnostic_codes_serialize_as_as_str_spells_them() {
        for code in DiagnosticCode::ALL {
            let json = serde_json::to_string(&code).unwrap();
            assert_eq!(json, format!("\"{}\"", code.as_str()));
            assert_eq!(serde_json::from_str::<DiagnosticCode>(&json).unwrap(), code);
        }
    }

    #[test]
    fn rule_ids_are_unique_and_round_trip() {
        let all: Vec<RuleId> = RuleId::all().collect();
        for (i, rule) in all.iter().enumerate() {
            assert!(!all[..i].contains(rule), "{rule} declared twice");
            let json = serde_json::to_string(rule).unwrap();
            assert_eq!(serde_json::from_str::<RuleId>(&json).unwrap(), *rule);
        }
        assert!(serde_json::from_str::<RuleId>("\"requests.row_summ\"").is_err());
    }
}
