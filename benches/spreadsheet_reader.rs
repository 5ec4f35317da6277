//! The spreadsheet reader against its floor.
//!
//! - `reader/xlsx`: `spreadsheet::read` on sample 1 (three sheets, official
//!   merges, a hidden sheet), the whole path: ZIP size check, calamine, merges,
//!   blocks, grids.
//! - `floor/unzip+tokenize`: the least any XLSX reader must do on that file:
//!   open the ZIP, inflate the worksheets and the shared strings, and run
//!   quick-xml over them, counting events.
//! - `reader/xls`, `reader/ods`: the LibreOffice conversions, for reference.
//!
//! `cargo bench --bench spreadsheet_reader`

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use nianbao::readers::{read_as, Format, Limits};
use std::io::{Cursor, Read};

fn sample(name: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/samples/xlsx/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

/// Inflates every worksheet and the shared strings and tokenizes them.
fn floor(bytes: &[u8]) -> usize {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut events = 0;
    let mut data = Vec::new();
    let mut buf = Vec::new();
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).unwrap();
        let name = entry.name();
        if !(name.starts_with("xl/worksheets/sheet") || name == "xl/sharedStrings.xml") {
            continue;
        }
        data.clear();
        entry.read_to_end(&mut data).unwrap();
        let mut xml = quick_xml::Reader::from_reader(data.as_slice());
        loop {
            buf.clear();
            match xml.read_event_into(&mut buf).unwrap() {
                quick_xml::events::Event::Eof => break,
                _ => events += 1,
            }
        }
    }
    events
}

fn bench(c: &mut Criterion) {
    let limits = Limits::default();
    let xlsx = sample("qingsong-edu-2023-sheets.xlsx");
    let xls = sample("qingsong-edu-2023-sheets.xls");
    let ods = sample("qingsong-edu-2023-sheets.ods");
    let mut g = c.benchmark_group("spreadsheet");
    g.bench_function("reader/xlsx", |b| {
        b.iter(|| read_as(Format::Xlsx, black_box(&xlsx), &limits).unwrap())
    });
    g.bench_function("floor/unzip+tokenize", |b| {
        b.iter(|| floor(black_box(&xlsx)))
    });
    g.bench_function("reader/xls", |b| {
        b.iter(|| read_as(Format::Xls, black_box(&xls), &limits).unwrap())
    });
    g.bench_function("reader/ods", |b| {
        b.iter(|| read_as(Format::Ods, black_box(&ods), &limits).unwrap())
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
