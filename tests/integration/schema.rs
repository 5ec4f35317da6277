//! The committed JSON Schema matches the generator, and every sample's
//! output validates against it.

use crate::common::*;

fn committed() -> serde_json::Value {
    let text = std::fs::read_to_string(samples().join("../schemas/report.schema.json"))
        .expect("schema file");
    serde_json::from_str(&text).expect("schema is JSON")
}

#[test]
fn committed_schema_is_up_to_date() {
    assert_eq!(
        committed(),
        nianbao::schema::report_schema(),
        "schemas/report.schema.json is stale: run `cargo run -- schema > schemas/report.schema.json`"
    );
}

/// Every sample that converts, with its source path.
fn converted_samples() -> Vec<(String, nianbao::report::Report)> {
    let mut out = Vec::new();
    for entry in walkdir::WalkDir::new(samples()).sort_by_file_name() {
        let entry = entry.unwrap();
        if !entry.file_type().is_file() {
            continue;
        }
        let bytes = std::fs::read(entry.path()).unwrap();
        let source = entry.path().to_string_lossy().into_owned();
        if let Ok(report) = nianbao::pipeline::convert_bytes(&bytes, &source, &Default::default()) {
            out.push((source, report));
        }
    }
    out
}

#[test]
fn every_converted_sample_validates() {
    let validator = jsonschema::validator_for(&committed()).expect("valid schema");
    let mut checked = 0;
    for (source, report) in converted_samples() {
        let json = serde_json::to_value(&report).unwrap();
        let errors: Vec<String> = validator
            .iter_errors(&json)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{source}: {errors:#?}");
        checked += 1;
    }
    assert!(checked >= 1, "no sample converted");
}

#[test]
fn schema_rejects_drift() {
    let validator = jsonschema::validator_for(&committed()).expect("valid schema");
    let report = convert("txt/guangyang-2022.txt");
    let mut json = serde_json::to_value(&report).unwrap();
    json["tables"]["requests"]["new"]["invented_column"] =
        json["tables"]["requests"]["new"]["total"].clone();
    assert!(
        !validator.is_valid(&json),
        "an unknown column must not validate"
    );
    let mut json = serde_json::to_value(&report).unwrap();
    json["template"] = "2019".into();
    assert!(
        !validator.is_valid(&json),
        "2021 tables must not validate as the 2019 shape"
    );
}

/// `Report` deserializes from its own `reports.jsonl` line and writes the
/// same bytes again, for every sample that converts: keys, rule ids and
/// diagnostic codes go through their registries, locations keep their
/// variant (a PDF cell stays a PDF cell), inferred readings survive.
#[test]
fn report_round_trips_through_its_json_line() {
    let mut checked = 0;
    let mut kinds = std::collections::BTreeSet::new();
    for (source, report) in converted_samples() {
        let line = serde_json::to_string(&report).unwrap();
        let back: nianbao::report::Report =
            serde_json::from_str(&line).unwrap_or_else(|e| panic!("{source}: {e}"));
        assert_eq!(serde_json::to_string(&back).unwrap(), line, "{source}");
        assert_eq!(back.findings, report.findings, "{source}");
        kinds.insert(report.format.as_str());
        checked += 1;
    }
    assert!(checked >= 40, "only {checked} samples converted");
    for kind in ["txt", "html", "docx", "xlsx", "pdf", "doc"] {
        assert!(
            kinds.contains(kind),
            "no {kind} sample round-tripped: {kinds:?}"
        );
    }
}

#[test]
fn a_report_naming_an_undeclared_key_does_not_deserialize() {
    let report = convert("txt/guangyang-2022.txt");
    let line = serde_json::to_string(&report).unwrap();
    let typo = line.replacen("\"carried_over\"", "\"carried_overr\"", 1);
    assert_ne!(typo, line);
    let err = serde_json::from_str::<nianbao::report::Report>(&typo).unwrap_err();
    assert!(err.to_string().contains("declared by no template"), "{err}");
}
