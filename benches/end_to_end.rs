//! End to end: converting a generated corpus of 2,000 mixed reports (HTML,
//! DOCX, XLSX, text in realistic proportions) through the same batch the CLI
//! runs, on 1 and on 2 threads. Output is written to a scratch folder through
//! the journal, as in a real run.

#[path = "../examples/gen_corpus/mod.rs"]
mod gen_corpus;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};

use nianbao::output::Mode;
use nianbao::pipeline::{self, ConvertOptions};
use nianbao::readers::Limits;

const REPORTS: usize = 2000;

fn convert(corpus: &std::path::Path, out: &std::path::Path) {
    let opts = ConvertOptions {
        paths: vec![corpus.to_path_buf()],
        out: out.to_path_buf(),
        mode: Mode::Overwrite,
        threads: rayon::current_num_threads(),
        selection: Default::default(),
        limits: Limits::default(),
        excel_bom: false,
        sqlite: true,
        archive: Default::default(),
        shard: None,
        manifest: None,
    };
    pipeline::run_convert(&opts, |_| {}).unwrap();
}

fn end_to_end(c: &mut Criterion) {
    let corpus = tempfile::tempdir().unwrap();
    let cfg = gen_corpus::Config {
        reports: REPORTS,
        out: corpus.path().to_path_buf(),
        seed: 42,
        inconsistent_share: 0.33,
    };
    gen_corpus::run(&cfg).unwrap();
    std::fs::remove_file(corpus.path().join("truth.jsonl")).unwrap();
    let out = tempfile::tempdir().unwrap();

    let mut g = c.benchmark_group("end_to_end_2000_reports");
    g.sample_size(10);
    g.throughput(Throughput::Elements(REPORTS as u64));
    for threads in [1, 2] {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        g.bench_function(format!("threads_{threads}"), |b| {
            b.iter(|| pool.install(|| convert(corpus.path(), out.path())))
        });
    }
    g.finish();
}

criterion_group!(benches, end_to_end);
criterion_main!(benches);
