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

#[test]
fn every_converted_sample_validates() {
    let validator = jsonschema::validator_for(&committed()).expect("valid schema");
    let mut checked = 0;
    for entry in walkdir::WalkDir::new(samples()).sort_by_file_name() {
        let entry = entry.unwrap();
        if !entry.file_type().is_file() {
            continue;
        }
        let bytes = std::fs::read(entry.path()).unwrap();
        let source = entry.path().to_string_lossy();
        let Ok(report) = nianbao::pipeline::convert_bytes(&bytes, &source, &Default::default())
        else {
            continue;
        };
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
