//! docs/TEMPLATE.md, the template contract in prose, names exactly the keys
//! the template data declares: a key added to the data without a line in
//! the contract, or a key the contract promises that the data lost, fails.

use std::collections::BTreeSet;

use nianbao::templates::{self, TableKey, TemplateId};

/// The backticked words of each `## Table …` section, by heading.
fn doc_sections() -> Vec<(String, BTreeSet<String>)> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/TEMPLATE.md");
    let text = std::fs::read_to_string(path).expect("docs/TEMPLATE.md");
    let mut out: Vec<(String, BTreeSet<String>)> = Vec::new();
    for line in text.lines() {
        if let Some(heading) = line.strip_prefix("## ") {
            out.push((heading.to_string(), BTreeSet::new()));
            continue;
        }
        let Some((heading, words)) = out.last_mut() else {
            continue;
        };
        if !heading.starts_with("Table ") {
            continue;
        }
        for (i, part) in line.split('`').enumerate() {
            if i % 2 == 1 {
                words.insert(part.to_string());
            }
        }
    }
    out.retain(|(h, _)| h.starts_with("Table "));
    out
}

/// Every row (extra rows too) and column key of `table` in `ids`.
fn data_keys(ids: &[TemplateId], table: TableKey) -> BTreeSet<String> {
    let mut keys = BTreeSet::new();
    for &id in ids {
        let spec = templates::by_id(id).unwrap().table(table).unwrap();
        keys.extend(spec.all_rows().map(|r| r.key.to_string()));
        keys.extend(spec.columns.iter().map(|c| c.key.to_string()));
    }
    keys
}

#[test]
fn docs_list_exactly_the_template_keys() {
    let both = [TemplateId::Y2021, TemplateId::Y2019];
    let expected = [
        (
            "active_disclosure`, 2021",
            vec![TemplateId::Y2021],
            TableKey::ActiveDisclosure,
        ),
        (
            "active_disclosure`, 2019",
            vec![TemplateId::Y2019],
            TableKey::ActiveDisclosure,
        ),
        ("requests`", both.to_vec(), TableKey::Requests),
        (
            "review_litigation`",
            both.to_vec(),
            TableKey::ReviewLitigation,
        ),
    ];
    let sections = doc_sections();
    assert_eq!(
        sections.len(),
        expected.len(),
        "{:?}",
        sections.iter().map(|s| &s.0).collect::<Vec<_>>()
    );
    for (marker, ids, table) in expected {
        let (heading, mut words) = sections
            .iter()
            .find(|(h, _)| h.contains(marker))
            .cloned()
            .unwrap_or_else(|| panic!("no section for {marker}"));
        words.remove(table.as_str());
        assert_eq!(words, data_keys(&ids, table), "{heading}");
    }
}

#[test]
fn docs_list_every_rule_and_section() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/TEMPLATE.md");
    let text = std::fs::read_to_string(path).unwrap();
    for rule in nianbao::codes::RuleId::all().filter(|r| r.as_str() != "coverage") {
        assert!(
            text.contains(&format!("| `{rule}` |")),
            "docs/TEMPLATE.md lacks rule {rule}"
        );
    }
    for (section, _) in templates::SECTIONS {
        assert!(
            text.contains(&format!("| `{section}` |")),
            "docs/TEMPLATE.md lacks section {section}"
        );
    }
}
