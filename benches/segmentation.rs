//! The glued-digit search (`recognize::segment`) and the scraped-text
//! reader on what a crawler writes.
//!
//! - one row's candidates: the example, an ambiguous row, and the
//!   worst run the length check lets through (49 digits: the row budget);
//! - a whole scraped report (`samples/real`, one-line body), read and
//!   recognized;
//! - a one-line body of repeated glued rows at 1 MB and 4 MB: the time per
//!   byte must stay flat (linear in the length).

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};

use nianbao::internals::{candidates, Run, Work};
use nianbao::pipeline::convert_bytes;
use nianbao::readers::Limits;

const ONELINE: &[u8] =
    include_bytes!("../samples/real/scraped-oneline-qinghe-ziranziyuan-2022.txt");

fn rows(c: &mut Criterion) {
    let mut g = c.benchmark_group("segment_row");
    for (name, text) in [
        ("issue_example", "15130000154".to_string()),
        ("ambiguous", "110000011".to_string()),
        ("worst_49_digits", "1".repeat(49)),
    ] {
        let run = Run::parse(&text).expect("a run");
        g.bench_function(name, |b| {
            b.iter(|| {
                let mut w = Work::default();
                candidates(&run, &[7], true, &mut w)
            })
        });
    }
    g.finish();
}

fn reports(c: &mut Criterion) {
    c.bench_function("scraped_oneline_report", |b| {
        b.iter(|| convert_bytes(ONELINE, "oneline.txt", &Limits::default()).expect("converts"))
    });
    let mut g = c.benchmark_group("oneline_body");
    g.sample_size(10);
    let row = "（一）予以公开802000082（二）部分公开100000010";
    for mb in [1usize, 4] {
        let body = format!(
            "清河县2022年政府信息公开工作年度报告{}",
            row.repeat(mb * 1_000_000 / row.len())
        );
        g.throughput(Throughput::Bytes(body.len() as u64));
        g.bench_with_input(
            BenchmarkId::from_parameter(format!("{mb}MB")),
            &body,
            |b, body| b.iter(|| convert_bytes(body.as_bytes(), "big.txt", &Limits::default())),
        );
    }
    g.finish();
}

criterion_group!(benches, rows, reports);
criterion_main!(benches);
