//! The rules that are not arithmetic: every cell's text fits its column
//! (`value.domain`), the narrative's count of requests matches table 三
//! (`narrative.requests`), and the tables follow the year's format
//! (`template.year`).

use regex::Regex;
use std::sync::OnceLock;

use super::{cell_ref, finding_reading, Checker, DOMAIN, NARRATIVE, TEMPLATE_YEAR};
use crate::report::{Finding, FindingReading, Quantity, Severity};
use crate::templates::{self, TableKey, TemplateId, ValueKind};
use crate::values::{fold_width_cow, parse_cell, CellText, Number};

impl Checker<'_> {
    pub(super) fn domain(&mut self) -> Option<()> {
        let template = templates::by_id(self.report.template)?;
        let mut assessed = false;
        for key in TableKey::ALL {
            let (Some(table), Some(spec)) = (self.report.tables.get(key), template.table(key))
            else {
                continue;
            };
            assessed = true;
            for row in &table.rows {
                for (column, cell) in &row.cells {
                    if !cell.reading.is_certain() {
                        // A split of glued digits: whole numbers >= 0 by
                        // construction; its raw is the whole glued text.
                        continue;
                    }
                    let kind = spec
                        .column(column.as_str())
                        .map_or(ValueKind::Count, |c| c.kind);
                    let Some((severity, problem)) = domain_problem(kind, &cell.raw) else {
                        continue;
                    };
                    self.push(Finding {
                        rule: DOMAIN,
                        severity,
                        table: Some(key),
                        row: Some(row.key),
                        column: Some(*column),
                        expected: Some(Quantity::Text(expected_domain(kind).into())),
                        actual: Some(Quantity::Text(cell.raw.clone())),
                        cells: vec![cell_ref(row.key, *column, cell)],
                        message: format!(
                            "{}.{}.{} at {}: {problem}: \"{}\"",
                            key.as_str(),
                            row.key,
                            column,
                            cell.location,
                            cell.raw
                        ),
                        fingerprint: String::new(),
                        reading: finding_reading(!cell.reading.is_certain()),
                    });
                }
            }
        }
        assessed.then_some(())
    }

    /// The count the narrative states against the table's cell the template
    /// names for it (`TableSpec::narrative`).
    pub(super) fn narrative(&mut self) -> Option<()> {
        let template = templates::by_id(self.report.template)?;
        let (spec, at) = template
            .tables
            .iter()
            .find_map(|t| t.narrative.as_ref().map(|n| (t, n)))?;
        let table = self.report.tables.get(spec.key)?;
        let cell = table.cell(at.row.as_str(), at.column.as_str())?;
        // A blank total is read as 0, like every rule reads blanks; text
        // there is a value.domain finding and leaves nothing to compare.
        let written = match (cell.value, parse_cell(&cell.raw)) {
            (Some(v), _) => v,
            (None, CellText::Blank | CellText::Placeholder) => Number::Int(0),
            (None, _) => return None,
        };
        let sections = &self.report.sections;
        let text = [&sections.overview, &sections.requests]
            .into_iter()
            .flatten()
            .map(String::as_str)
            .collect::<Vec<_>>()
            .join("\n");
        let (stated, sentence) = stated_request_count(&text)?;
        if (stated as f64 - written.as_f64()).abs() < 1e-9 {
            return Some(());
        }
        self.push(Finding {
            rule: NARRATIVE,
            severity: Severity::Warning,
            table: Some(spec.key),
            row: Some(at.row),
            column: Some(at.column),
            // The table is the reference; the narrative is what disagrees.
            expected: Some(Quantity::Number(written)),
            actual: Some(Quantity::Number(Number::Int(stated))),
            cells: vec![cell_ref(at.row, at.column, cell)],
            message: format!(
                "the text states {stated} requests received (\"{sentence}\"), table 三 {}.{} at {} is {written}",
                at.row, at.column, cell.location
            ),
            fingerprint: String::new(),
            reading: finding_reading(!cell.reading.is_certain()),
        });
        Some(())
    }

    pub(super) fn template_year(&mut self) -> Option<()> {
        let year = self.report.year?;
        let found = self.report.template;
        if found == TemplateId::Unknown {
            return None;
        }
        let expected = templates::in_force(year).id;
        if expected == found {
            return Some(());
        }
        self.push(Finding {
            rule: TEMPLATE_YEAR,
            severity: Severity::Warning,
            table: None,
            row: None,
            column: None,
            expected: Some(Quantity::Text(expected.as_str().into())),
            actual: Some(Quantity::Text(found.as_str().into())),
            cells: Vec::new(),
            message: format!(
                "a {year} report is expected on the {} format, but its tables follow the {} format",
                expected.as_str(),
                found.as_str()
            ),
            fingerprint: String::new(),
            reading: FindingReading::Certain,
        });
        Some(())
    }
}

fn expected_domain(kind: ValueKind) -> &'static str {
    match kind {
        ValueKind::Count => "a whole number >= 0",
        ValueKind::SignedCount => "a whole number",
        ValueKind::Amount { .. } => "an amount >= 0 with at most 4 decimals",
    }
}

/// What is wrong with a cell's text for its column kind, if anything.
pub fn domain_problem(kind: ValueKind, raw: &str) -> Option<(Severity, &'static str)> {
    match (parse_cell(raw), kind) {
        (CellText::Blank | CellText::Placeholder, _) => None,
        (CellText::Text, _) => Some((Severity::Error, "text where a number belongs")),
        (
            CellText::Number {
                value: Number::Decimal(_),
                ..
            },
            ValueKind::Count | ValueKind::SignedCount,
        ) => Some((Severity::Error, "a count that is not a whole number")),
        (CellText::Number { value, .. }, ValueKind::Count | ValueKind::Amount { .. })
            if value.as_f64() < 0.0 =>
        {
            Some((Severity::Error, "a negative value"))
        }
        (CellText::Number { decimals, .. }, ValueKind::Amount { max_decimals })
            if decimals > max_decimals =>
        {
            Some((
                Severity::Warning,
                "more decimals than the label allows (保留4位小数)",
            ))
        }
        _ => None,
    }
}

/// The number of requests received that a careful reader takes from the
/// narrative, with the sentence it came from. Prefers an explicit "本年新收N件";
/// "受理X件（含上年结转Y件）" means X−Y new requests; "未收到…申请" means 0.
/// Counts of 行政复议/诉讼 in the same sentence are not requests.
pub fn stated_request_count(text: &str) -> Option<(i64, String)> {
    static RES: OnceLock<[Regex; 3]> = OnceLock::new();
    let [explicit, received, none] = RES.get_or_init(|| {
        [
            Regex::new(r"(?:其中)?本年(?:度)?新收(?:到)?(?:政府信息公开)?(?:申请)?(?:共)?(\d+)\s*(?:件|个|条|次)").expect("regex"),
            Regex::new(r"(?:共|累计|全年)?(?:收到|受理|接到|接收|办理)[^。；;，,]{0,24}?申请(?:共|总计|合计)?\s*(\d+)\s*(?:件|个|条|次)(?:\s*[（(]\s*(?:其中)?含上年(?:度)?结转\s*(\d+)\s*件\s*[)）])?").expect("regex"),
            Regex::new(r"(?:未|没有|无)(?:收到|受理|接到|接收)[^。；;]{0,30}?申请").expect("regex"),
        ]
    });
    // Each pattern needs a literal ("新收", or "申请" for the other two): only
    // the sentences holding it are folded and matched. They are found from
    // the literal's occurrences (one substring search over the whole text)
    // rather than by splitting every sentence and searching each: on the
    // county page that was ~150,000 of this check's ~240,000 instructions.
    // Folding maps char to char and keeps the separators separators (；
    // folds to ;), so the sentences are those of the folded text.
    let having = |literal: &'static str| sentences_with(text, literal).map(fold_width_cow);
    for sentence in having("新收") {
        if !explicit.is_match(&sentence) {
            continue;
        }
        if let Some(c) = explicit.captures(&sentence) {
            return Some((c[1].parse().ok()?, sentence.trim().to_string()));
        }
    }
    for sentence in having("申请") {
        let sentence = sentence.as_ref();
        // `is_match` runs the fast automaton; captures only where it hits.
        if !received.is_match(sentence) && !none.is_match(sentence) {
            continue;
        }
        for c in received.captures_iter(sentence) {
            let matched = c.get(0).map_or("", |m| m.as_str());
            if matched.contains("复议")
                || matched.contains("诉讼")
                || !matched.contains("公开") && !sentence.contains("信息公开")
            {
                continue;
            }
            let total: i64 = c[1].parse().ok()?;
            let carried: i64 = c.get(2).and_then(|m| m.as_str().parse().ok()).unwrap_or(0);
            return Some((total - carried, sentence.trim().to_string()));
        }
        if let Some(m) = none.find(sentence) {
            if !m.as_str().contains("复议") && !m.as_str().contains("诉讼") {
                return Some((0, sentence.trim().to_string()));
            }
        }
    }
    None
}

/// What ends a sentence for [`stated_request_count`].
const SENTENCE_ENDS: [char; 4] = ['。', '\n', '；', ';'];

/// The sentences of `text` (split at [`SENTENCE_ENDS`]) that contain
/// `literal`, in order, each once: the pieces `text.split(SENTENCE_ENDS)`
/// yields that contain it. `literal` holds no sentence end.
fn sentences_with<'t>(text: &'t str, literal: &'t str) -> impl Iterator<Item = &'t str> + 't {
    let mut done = 0;
    text.match_indices(literal).filter_map(move |(at, _)| {
        if at < done {
            return None;
        }
        let start = text[..at]
            .char_indices()
            .rev()
            .find(|&(_, c)| SENTENCE_ENDS.contains(&c))
            .map_or(0, |(i, c)| i + c.len_utf8());
        let end = text[at..]
            .find(SENTENCE_ENDS)
            .map_or(text.len(), |i| at + i);
        done = end;
        Some(&text[start..end])
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences_with_a_literal_are_the_split_pieces_holding_it() {
        let texts = [
            "2022年，共收到申请3件；其中本年新收2件。答复申请3件\n无申请;新收1件申请",
            "申请",
            "。；\n申请申请。申请",
            "无关的文字。",
            "",
        ];
        for text in texts {
            for literal in ["申请", "新收"] {
                let split: Vec<&str> = text
                    .split(SENTENCE_ENDS)
                    .filter(|s| s.contains(literal))
                    .collect();
                let found: Vec<&str> = sentences_with(text, literal).collect();
                assert_eq!(found, split, "{text:?} / {literal}");
            }
        }
    }

    #[test]
    fn narrative_counts_as_a_careful_reader_would() {
        assert_eq!(
            stated_request_count(
                "2022年，未收到要求广阳镇政府信息公开内容的申请，未发生行政复议案件。"
            )
            .map(|x| x.0),
            Some(0)
        );
        assert_eq!(
            stated_request_count("全年共收到政府信息公开申请12件，均按时答复。").map(|x| x.0),
            Some(12)
        );
        assert_eq!(
            stated_request_count("共受理政府信息公开申请30件（含上年结转5件）。").map(|x| x.0),
            Some(25)
        );
        assert_eq!(
            stated_request_count("共收到申请20件，其中本年新收18件。").map(|x| x.0),
            Some(18)
        );
        assert_eq!(
            stated_request_count("收到行政复议申请2件。").map(|x| x.0),
            None
        );
        assert_eq!(
            stated_request_count("本年度共收到政府信息公开申请１２件。").map(|x| x.0),
            Some(12)
        );
    }

    #[test]
    fn domain_by_column_kind() {
        assert!(domain_problem(ValueKind::Count, "十二").is_some());
        assert!(domain_problem(ValueKind::Count, "-1").is_some());
        assert!(domain_problem(ValueKind::Count, "1.5").is_some());
        assert!(domain_problem(ValueKind::Count, "—").is_none());
        assert!(domain_problem(ValueKind::Count, "").is_none());
        assert!(domain_problem(ValueKind::SignedCount, "-3").is_none());
        let fee = ValueKind::Amount { max_decimals: 4 };
        assert_eq!(
            domain_problem(fee, "0.12345").map(|x| x.0),
            Some(Severity::Warning)
        );
        assert!(domain_problem(fee, "0.1234").is_none());
    }
}
