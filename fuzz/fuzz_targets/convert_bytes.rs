//! The whole pipeline on arbitrary bytes: detection, reader, recognition,
//! checks, and serialization of the report to JSON (what reports.jsonl gets).
//! `convert_bytes` catches panics, but libfuzzer-sys's panic hook aborts
//! first, so a panic anywhere is still reported as a crash.
#![no_main]
use libfuzzer_sys::fuzz_target;

#[path = "tolerate.rs"]
mod tolerate;
use nianbao::pipeline::convert_bytes;
use nianbao::readers::Limits;

fuzz_target!(|data: &[u8]| {
    tolerate::tolerate_caught_calamine_panics();
    if let Ok(report) = convert_bytes(data, "fuzz/某县2022年政府信息公开工作年度报告.html", &Limits::default()) {
        let json = serde_json::to_string(&report).expect("a report always serializes");
        assert!(!json.is_empty());
    }
});
