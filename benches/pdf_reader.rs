//! PDF reader speed on LibreOffice exports of the official-layout reports
//! (5 and 4 pages): (a) nianbao's reader (`read_document`: pre-flight
//! limits, extraction, lattice/stream grids, page joining), (b) the floor:
//! `pdf_oxide` opening the file and extracting every page's characters and
//! paths, building nothing. Divide by the page count for per-page time.
//!
//! `cargo bench --bench pdf_reader`

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use nianbao::readers::{read_document, Limits};
use pdf_oxide::PdfDocument;

const SAMPLES: [&str; 2] = [
    "official-layout-python-docx.pdf",
    "official-layout-libreoffice.pdf",
];

fn load(name: &str) -> Vec<u8> {
    std::fs::read(format!("{}/samples/pdf/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

/// Open + characters + paths of every page: what any reader must pay.
fn floor(bytes: &[u8]) -> usize {
    let doc = PdfDocument::from_bytes(bytes.to_vec()).unwrap();
    let mut n = 0;
    for i in 0..doc.page_count().unwrap() {
        n += doc.extract_chars(i).unwrap().len();
        n += doc.extract_paths(i).unwrap().len();
    }
    n
}

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("pdf_reader");
    for name in SAMPLES {
        let bytes = load(name);
        let pages = PdfDocument::from_bytes(bytes.clone())
            .unwrap()
            .page_count()
            .unwrap();
        eprintln!("{name}: {pages} pages");
        group.bench_function(format!("nianbao/{name}"), |b| {
            b.iter(|| read_document(black_box(&bytes), &Limits::default()).unwrap())
        });
        group.bench_function(format!("floor_chars_paths/{name}"), |b| {
            b.iter(|| floor(black_box(&bytes)))
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
