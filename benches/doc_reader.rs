//! Word 97-2003 `.doc` reader speed on typical reports (the official-layout
//! samples LibreOffice saved as .doc): (a) nianbao's reader (detection
//! included, through `read_document`), (b) the floor: the `cfb` crate opens
//! the compound file and reads the `WordDocument` and `1Table` streams whole,
//! parsing nothing, (c) the DOCX reader on the same report's DOCX, for scale.
//!
//! `cargo bench --bench doc_reader`

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use nianbao::readers::{read_as, read_document, Format, Limits};
use std::io::{Cursor, Read};

const SAMPLES: [&str; 2] = ["official-layout-python-docx", "official-layout-libreoffice"];

fn load(path: &str) -> Vec<u8> {
    std::fs::read(format!("{}/samples/{path}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

/// Open the container and read the two streams the reader needs.
fn floor_cfb_streams(bytes: &[u8]) -> usize {
    let mut file = cfb::CompoundFile::open(Cursor::new(bytes)).unwrap();
    let mut total = 0;
    for name in ["/WordDocument", "/1Table"] {
        let mut data = Vec::new();
        file.open_stream(name)
            .unwrap()
            .read_to_end(&mut data)
            .unwrap();
        total += data.len();
    }
    total
}

fn bench(c: &mut Criterion) {
    let limits = Limits::default();
    for name in SAMPLES {
        let doc = load(&format!("doc/{name}.doc"));
        let docx_bytes = load(&format!("docx/{name}.docx"));
        let short = name.trim_start_matches("official-layout-");
        let mut group = c.benchmark_group(format!("doc/{short}"));
        group.bench_function("nianbao_reader", |b| {
            b.iter(|| read_document(black_box(&doc), &limits).unwrap())
        });
        group.bench_function("floor_cfb_crate_read_streams", |b| {
            b.iter(|| floor_cfb_streams(black_box(&doc)))
        });
        group.bench_function("docx_reader_same_report", |b| {
            b.iter(|| read_as(Format::Docx, black_box(&docx_bytes), &limits).unwrap())
        });
        group.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
