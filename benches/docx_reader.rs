//! DOCX reader speed on typical reports (the official-layout samples):
//! (a) nianbao's reader, (b) the floor: unzip `word/document.xml` and
//! tokenize it with quick-xml, counting events and building nothing (streamed
//! like the reader does, and read-to-memory then sliced), (c) docx-rs
//! `read_docx`.
//!
//! `cargo bench --bench docx_reader`

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use nianbao::readers::{read_as, Format, Limits};
use quick_xml::events::Event;
use std::io::{BufReader, Cursor, Read};

const SAMPLES: [&str; 2] = [
    "official-layout-python-docx.docx",
    "official-layout-libreoffice.docx",
];

fn load(name: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/samples/docx/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

/// Unzip + streaming tokenize, the same I/O shape as the reader.
fn floor_streamed(bytes: &[u8]) -> usize {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let file = archive.by_name("word/document.xml").unwrap();
    let mut reader = quick_xml::Reader::from_reader(BufReader::with_capacity(64 * 1024, file));
    let mut buf = Vec::with_capacity(4096);
    let mut events = 0;
    loop {
        buf.clear();
        match reader.read_event_into(&mut buf).unwrap() {
            Event::Eof => break,
            _ => events += 1,
        }
    }
    events
}

/// Unzip to memory, then tokenize the slice (no copying into a buffer).
fn floor_in_memory(bytes: &[u8]) -> usize {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut file = archive.by_name("word/document.xml").unwrap();
    let mut xml = Vec::with_capacity(file.size() as usize);
    file.read_to_end(&mut xml).unwrap();
    let mut reader = quick_xml::Reader::from_reader(xml.as_slice());
    let mut events = 0;
    loop {
        match reader.read_event().unwrap() {
            Event::Eof => break,
            _ => events += 1,
        }
    }
    events
}

fn bench(c: &mut Criterion) {
    let limits = Limits::default();
    for name in SAMPLES {
        let bytes = load(name);
        let short = name
            .trim_start_matches("official-layout-")
            .trim_end_matches(".docx");
        let mut group = c.benchmark_group(format!("docx/{short}"));
        group.bench_function("nianbao_reader", |b| {
            b.iter(|| read_as(Format::Docx, black_box(&bytes), &limits).unwrap())
        });
        group.bench_function("floor_unzip_tokenize_streamed", |b| {
            b.iter(|| floor_streamed(black_box(&bytes)))
        });
        group.bench_function("floor_unzip_tokenize_in_memory", |b| {
            b.iter(|| floor_in_memory(black_box(&bytes)))
        });
        group.bench_function("docx_rs_read_docx", |b| {
            b.iter(|| docx_rs::read_docx(black_box(&bytes)).unwrap())
        });
        group.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
