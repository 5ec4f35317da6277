//! Township-archive corpus generator (issue 6).
//!
//! ```text
//! cargo run --release --example gen_corpus -- --reports 10000 --out DIR [--seed 42] [--inconsistent-share 0.33] [--archive | --hard]
//! ```
//!
//! `--hard` writes the same reports as real archives hold them (scraped
//! page texts with glued digits, fragments, Markdown exports, cover
//! letters: `gen_corpus/hard.rs`).
//!
//! Writes `DIR/{province}/{city}/{agency}-{year}.{ext}` (HTML ~45%, DOCX ~30%,
//! XLSX ~15%, text ~10%) and `DIR/truth.jsonl`. Same arguments → byte-identical
//! files. The generator itself lives in `examples/gen_corpus/` (see its
//! `mod.rs` for the truth format). `--archive` adds what cross-report audits
//! look for (gaps, carry and stock breaks, copied text, stale years, name
//! variants, duplicates) with its truth: see `gen_corpus/archive.rs`.

#[path = "gen_corpus/mod.rs"]
mod gen_corpus;

use std::path::PathBuf;
use std::time::Instant;

fn usage() -> ! {
    eprintln!("usage: gen_corpus --reports N --out DIR [--seed 42] [--inconsistent-share 0.33] [--archive]");
    std::process::exit(2)
}

fn main() {
    let mut reports: Option<usize> = None;
    let mut out: Option<PathBuf> = None;
    let mut seed: u64 = 42;
    let mut share: f64 = 0.33;
    let mut archive = false;
    let mut hard = false;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut val = || args.next().unwrap_or_else(|| usage());
        match a.as_str() {
            "--reports" => reports = Some(val().parse().unwrap_or_else(|_| usage())),
            "--out" => out = Some(PathBuf::from(val())),
            "--seed" => seed = val().parse().unwrap_or_else(|_| usage()),
            "--inconsistent-share" => share = val().parse().unwrap_or_else(|_| usage()),
            "--archive" => archive = true,
            "--hard" => hard = true,
            "-h" | "--help" => usage(),
            _ => {
                eprintln!("unknown argument: {a}");
                usage()
            }
        }
    }
    let (Some(reports), Some(out)) = (reports, out) else {
        usage()
    };
    if !(0.0..=1.0).contains(&share) {
        eprintln!("--inconsistent-share must be within 0..=1");
        std::process::exit(2);
    }
    let cfg = gen_corpus::Config {
        reports,
        out: out.clone(),
        seed,
        inconsistent_share: share,
    };
    let t0 = Instant::now();
    if hard {
        match gen_corpus::hard::run(&cfg) {
            Ok(r) => eprintln!("{} hard reports in {:?}", r.len(), t0.elapsed()),
            Err(e) => {
                eprintln!("error: {e}");
                std::process::exit(1);
            }
        }
        return;
    }
    let result = if archive {
        gen_corpus::run_archive(&cfg, &Default::default())
    } else {
        gen_corpus::run(&cfg)
    };
    let stats = match result {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(1);
        }
    };
    let total: usize = stats.sizes.iter().map(|(_, v)| v.len()).sum();
    eprintln!(
        "wrote {total} reports to {} in {:.1}s ({} inconsistent, {} findings in truth.jsonl)",
        out.display(),
        t0.elapsed().as_secs_f64(),
        stats.inconsistent,
        stats.findings
    );
    for (f, v) in &stats.sizes {
        if v.is_empty() {
            continue;
        }
        let mut s = v.clone();
        s.sort_unstable();
        let pct = |p: usize| s[(s.len() - 1) * p / 100];
        let sum: usize = s.iter().sum();
        eprintln!(
            "  {f:5} {:6} files ({:4.1}%)  min {:>7}  p10 {:>7}  median {:>7}  p90 {:>7}  max {:>7}  total {:.1} MB",
            s.len(),
            100.0 * s.len() as f64 / total as f64,
            s[0],
            pct(10),
            pct(50),
            pct(90),
            s[s.len() - 1],
            sum as f64 / 1e6
        );
    }
}
