//! Memory and time of the archive stage alone at scale, on synthesized
//! reports (converting a million files takes days on a 2-core machine).
//!
//! ```text
//! cargo run --release --example archive_scale -- TEMPLATE.jsonl N DIR
//! /usr/bin/time -v target/release/examples/archive_scale TEMPLATE.jsonl 1000000 /tmp/scale
//! ```
//!
//! TEMPLATE.jsonl: a `reports.jsonl` (its first line is used). Report i is
//! that line with the agency, year and source changed: agency `i / 3`
//! (three years each, one in seven missing a year), so every rule runs on
//! realistic cells and text. The stage is fed exactly as `finalize` feeds it
//! and every annotation is read back, as `finalize` does.

use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [template, n, dir] = &args[..] else {
        eprintln!("usage: archive_scale TEMPLATE.jsonl N DIR");
        std::process::exit(2);
    };
    let n: usize = n.parse().expect("N");
    let dir = std::path::Path::new(dir);
    std::fs::create_dir_all(dir).expect("dir");
    let text = std::fs::read_to_string(template).expect("template");
    let mut v: serde_json::Value =
        serde_json::from_str(text.lines().next().expect("a line")).expect("JSON");
    for k in [
        "agency_key",
        "duplicate_of",
        "archive_checks",
        "archive_findings",
    ] {
        v.as_object_mut().expect("object").remove(k);
    }
    v["source"] = "@@S@@".into();
    v["agency"] = "@@A@@".into();
    v["year"] = 1.into();
    let line = serde_json::to_string(&v).expect("JSON");
    let t0 = Instant::now();
    let mut b = nianbao::archive::Builder::new(dir, Default::default()).expect("builder");
    let provinces = ["河南省", "河北省", "四川省", "广东省", "浙江省"];
    for i in 0..n {
        let body = i / 3;
        let year = 2021 + (i % 3) as i32;
        if body % 7 == 0 && year == 2022 {
            continue;
        }
        let agency = format!("第{body}镇");
        let source = format!(
            "{}/第{}市/{agency}-{year}.html",
            provinces[body % 5],
            body / 40
        );
        let l = line
            .replace("@@S@@", &source)
            .replace("@@A@@", &agency)
            .replace("\"year\":1,", &format!("\"year\":{year},"));
        b.add(i, &l).expect("add");
    }
    let t1 = Instant::now();
    let mut out = b.run().expect("run");
    let t2 = Instant::now();
    let mut annotated = 0usize;
    let mut bytes = 0usize;
    for i in 0..n {
        if let Some(a) = out.annotation(i).expect("annotation") {
            annotated += 1;
            bytes += a.fields.len() + a.findings_csv.len();
        }
    }
    let summary = out.finish(dir).expect("finish");
    eprintln!(
        "{n} reports: facts {:.1}s, rules {:.1}s, read back {:.1}s; {annotated} annotated ({:.0} bytes each)",
        (t1 - t0).as_secs_f64(),
        (t2 - t1).as_secs_f64(),
        t2.elapsed().as_secs_f64(),
        bytes as f64 / annotated.max(1) as f64
    );
    eprint!("{}", summary.render());
}
