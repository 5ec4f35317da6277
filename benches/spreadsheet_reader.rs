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

#[path = "common/floors.rs"]
mod floors;
use floors::xlsx_floor;

fn sample(name: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/samples/xlsx/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
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
        b.iter(|| xlsx_floor(black_box(&xlsx)))
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
