//! What the page shows of one report, taken from its `reports.jsonl` line.
//!
//! Lines are read as JSON values, not as `Report`: the page must show fields
//! that other parts of nianbao add later (reading certainty, PDF boxes,
//! cross-report rules) without this module knowing them, and an older or
//! newer output folder must still open.

use serde_json::{json, Map, Value};

use crate::values::fold_width;

/// Characters of source text shown on each side of a narrative finding's
/// sentence: enough to see the sentence's context, short enough to read.
const QUOTE_CONTEXT: usize = 60;

/// One row of the index (kept compact: 100,000 of them are loaded at once).
pub(crate) struct IndexRow {
    pub row: Value,
    pub fingerprints: Vec<String>,
}

/// Builds the index row and the detail object of one report.
pub(crate) fn report_entry(
    id: usize,
    report: &Value,
    rules: &mut Vec<String>,
    href: Option<String>,
) -> (IndexRow, Value) {
    let s = |k: &str| report.get(k).and_then(Value::as_str).unwrap_or("");
    let agency = report.get("agency").and_then(Value::as_str);
    let source = s("source");
    let findings = report
        .get("findings")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let mut counts = [0u32; 3];
    let mut compact = Vec::new();
    let mut fingerprints = Vec::new();
    for f in &findings {
        let fs = |k: &str| f.get(k).and_then(Value::as_str).unwrap_or("");
        let sev = match fs("severity") {
            "error" => 0,
            "incomplete" => 1,
            _ => 2,
        };
        counts[sev] += 1;
        let rule = rule_index(rules, fs("rule"));
        compact.push(json!([rule, sev, fs("table"), fs("fingerprint")]));
        fingerprints.push(fs("fingerprint").to_string());
    }
    let regions = super::region::region_words(agency, source);
    let row = json!([
        id,
        agency.unwrap_or(""),
        s("admin_level"),
        report.get("year").cloned().unwrap_or(Value::Null),
        s("template"),
        s("format"),
        counts,
        compact,
        regions,
        source,
    ]);
    (
        IndexRow { row, fingerprints },
        detail(id, report, findings, href),
    )
}

fn rule_index(rules: &mut Vec<String>, rule: &str) -> usize {
    match rules.iter().position(|r| r == rule) {
        Some(i) => i,
        None => {
            rules.push(rule.to_string());
            rules.len() - 1
        }
    }
}

/// The report as the page draws it: everything but the section texts, which
/// are long and shown only as quotes around narrative findings.
fn detail(id: usize, report: &Value, findings: Vec<Value>, href: Option<String>) -> Value {
    let narrative = narrative_text(report);
    let findings: Vec<Value> = findings
        .into_iter()
        .map(|mut f| {
            let sentence = f
                .get("message")
                .and_then(Value::as_str)
                .and_then(quoted_sentence);
            if let (Some(sentence), Some(obj)) = (sentence, f.as_object_mut()) {
                if let Some(q) = verbatim_quote(&narrative, &sentence) {
                    obj.insert("quote".into(), json!(q));
                }
            }
            f
        })
        .collect();
    let mut out = Map::new();
    out.insert("id".into(), json!(id));
    if let Some(obj) = report.as_object() {
        for (k, v) in obj {
            if k != "sections" && k != "findings" {
                out.insert(k.clone(), v.clone());
            }
        }
        if let Some(Value::Object(sections)) = obj.get("sections") {
            let found: Vec<&String> = sections
                .iter()
                .filter(|(_, v)| v.is_string())
                .map(|(k, _)| k)
                .collect();
            out.insert("sections_found".into(), json!(found));
        }
    }
    out.insert("findings".into(), Value::Array(findings));
    out.insert("href".into(), json!(href));
    Value::Object(out)
}

/// The sections a narrative rule reads (all of them, in order).
fn narrative_text(report: &Value) -> String {
    let Some(Value::Object(sections)) = report.get("sections") else {
        return String::new();
    };
    sections
        .values()
        .filter_map(Value::as_str)
        .collect::<Vec<_>>()
        .join("\n")
}

/// The sentence a narrative finding quotes in its message: `("…")`.
fn quoted_sentence(message: &str) -> Option<String> {
    let start = message.find("(\"")? + 2;
    let end = start + message[start..].find("\")")?;
    Some(message[start..end].to_string()).filter(|s| !s.is_empty())
}

/// The source text around `sentence` as written (full-width digits and
/// ideographic spaces kept): the message quotes the width-folded sentence,
/// which a search in the source would not find. `fold_width` maps one char
/// to one char, so positions in the folded text are positions in the source.
pub(crate) fn verbatim_quote(text: &str, sentence: &str) -> Option<Value> {
    let chars: Vec<char> = text.chars().collect();
    let folded: Vec<char> = fold_width(text).chars().collect();
    let needle: Vec<char> = sentence.chars().collect();
    if needle.is_empty() || folded.len() != chars.len() {
        return None;
    }
    let at = folded.windows(needle.len()).position(|w| w == needle)?;
    let end = at + needle.len();
    let before_start = at.saturating_sub(QUOTE_CONTEXT);
    let after_end = (end + QUOTE_CONTEXT).min(chars.len());
    let s = |a: usize, b: usize| chars[a..b].iter().collect::<String>();
    Some(json!({
        "before": s(before_start, at),
        "text": s(at, end),
        "after": s(end, after_end),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_quote_is_the_source_text_not_the_folded_sentence() {
        let text = "概况。\n本年新收政府信息公开申请１２件，办结１２件。其他。";
        let folded = fold_width(text);
        let sentence = folded.split('。').nth(1).unwrap().trim();
        let message = format!("the text states 12 requests received (\"{sentence}\"), table");
        let q = verbatim_quote(text, &quoted_sentence(&message).unwrap()).unwrap();
        assert_eq!(q["text"], "本年新收政府信息公开申请１２件，办结１２件");
        assert_eq!(q["before"], "概况。\n");
        assert_eq!(q["after"], "。其他。");
    }

    #[test]
    fn index_row_counts_severities_and_keeps_unknown_fields_in_the_detail() {
        let report = json!({
            "source": "in/河北省/廊坊市/x.txt", "agency": "广阳区", "year": 2022,
            "template": "2021", "format": "txt", "admin_level": "county",
            "sections": {"overview": "a", "requests": null},
            "findings": [
                {"rule": "requests.row_sum", "severity": "error", "table": "requests", "fingerprint": "00000000000000aa", "message": "m", "certainty": "inferred"},
                {"rule": "template.year", "severity": "warning", "table": null, "fingerprint": "00000000000000bb", "message": "m"}
            ]
        });
        let mut rules = vec!["template.year".to_string()];
        let (row, detail) = report_entry(7, &report, &mut rules, None);
        assert_eq!(row.row[6], json!([1, 0, 1]));
        assert_eq!(row.row[7][0], json!([1, 0, "requests", "00000000000000aa"]));
        assert_eq!(row.row[7][1][0], json!(0));
        assert_eq!(row.row[8], json!(["河北省", "廊坊市", "广阳区"]));
        assert_eq!(rules, ["template.year", "requests.row_sum"]);
        assert_eq!(detail["findings"][0]["certainty"], "inferred");
        assert_eq!(detail["sections_found"], json!(["overview"]));
        assert!(detail.get("sections").is_none());
    }
}
