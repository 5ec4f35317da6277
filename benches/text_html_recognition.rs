//! The text and HTML readers beside their floors, and recognition plus
//! checks on an already parsed document.
//!
//! Floors: for HTML, the same bytes decoded (charset detection included) and
//! run through html5ever's tokenizer with a sink that only counts tokens; for
//! text, decoded and split into lines and cells.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};

use nianbao::readers::{read_as, Format, Limits};

#[path = "common/floors.rs"]
mod floors;
use floors::{html_floor, text_floor};

const COUNTY: &[u8] = include_bytes!("../samples/html/xx-county-2023-utf8.html");
const TOWN_GBK: &[u8] = include_bytes!("../samples/html/xx-town-2022-gbk.html");
const SEED: &[u8] = include_bytes!("../samples/txt/guangyang-2022.txt");

fn readers(c: &mut Criterion) {
    let limits = Limits::default();
    for (name, bytes) in [("html_county_utf8", COUNTY), ("html_town_gbk", TOWN_GBK)] {
        let mut g = c.benchmark_group(name);
        g.throughput(Throughput::Bytes(bytes.len() as u64));
        g.bench_function("floor_decode_tokenize", |b| {
            b.iter(|| html_floor(std::hint::black_box(bytes)))
        });
        g.bench_function("reader", |b| {
            b.iter(|| read_as(Format::Html, std::hint::black_box(bytes), &limits).unwrap())
        });
        g.finish();
    }
    let mut g = c.benchmark_group("text_seed");
    g.throughput(Throughput::Bytes(SEED.len() as u64));
    g.bench_function("floor_decode_split", |b| {
        b.iter(|| text_floor(std::hint::black_box(SEED)))
    });
    g.bench_function("reader", |b| {
        b.iter(|| read_as(Format::Txt, std::hint::black_box(SEED), &limits).unwrap())
    });
    g.finish();
}

fn recognition(c: &mut Criterion) {
    let limits = Limits::default();
    let mut g = c.benchmark_group("recognize_and_check");
    for (name, bytes, format) in [
        ("html_county", COUNTY, Format::Html),
        ("text_seed", SEED, Format::Txt),
    ] {
        let (_, doc) = nianbao::readers::read_document(bytes, &limits).unwrap();
        g.bench_function(name, |b| {
            b.iter(|| {
                let mut report =
                    nianbao::recognize::recognize(std::hint::black_box(&doc), "bench", format);
                nianbao::checks::run(&mut report);
                report
            })
        });
    }
    g.finish();
}

criterion_group!(benches, readers, recognition);
criterion_main!(benches);
