//! The `nianbao` command line. All conversion logic lives in the library;
//! this file parses arguments, drives the batch, shows progress and maps the
//! outcome to an exit code.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Parser, Subcommand};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use nianbao::output::{self, Journal, Record};
use nianbao::readers::Limits;
use nianbao::{inputs, pipeline};

/// Exit codes (also in the README).
const EXIT_SOME_FAILED: u8 = 1;
const EXIT_USAGE: u8 = 2;
const EXIT_FATAL: u8 = 3;

#[derive(Parser)]
#[command(
    name = "nianbao",
    version,
    about = "Convert 政府信息公开工作年度报告 into normalized JSON and flag tables that do not add up"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Convert files and folders (recursively) into DIR.
    Convert {
        /// Files or folders to convert.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Output folder for reports.jsonl, cells.csv, findings.csv, files.csv.
        #[arg(long, short)]
        out: PathBuf,
        /// Worker threads (default: one per core).
        #[arg(long, short)]
        jobs: Option<usize>,
        /// Never show a progress bar.
        #[arg(long)]
        quiet: bool,
        /// Continue an earlier run into the same DIR: convert only inputs not
        /// yet converted (judged by path, size and content hash) and append.
        #[arg(long)]
        resume: bool,
        /// Review decisions (reviews.csv from the audit page): adds a
        /// `review` column to findings.csv.
        #[arg(long)]
        reviews: Option<PathBuf>,
    },
    /// Write DIR/audit/index.html: the auditor's view of a convert output folder.
    Audit {
        /// A convert output folder.
        dir: PathBuf,
        /// Review decisions (reviews.csv exported by the page) to show.
        #[arg(long)]
        reviews: Option<PathBuf>,
    },
    /// Print the JSON Schema of one line of reports.jsonl.
    Schema,
}

fn main() -> ExitCode {
    // Panics inside a reader fail that file and are reported in files.csv;
    // the default hook would also spray them over the terminal.
    std::panic::set_hook(Box::new(|_| {}));
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { EXIT_USAGE } else { 0 });
        }
    };
    match run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("nianbao: {e:#}");
            ExitCode::from(EXIT_FATAL)
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<u8> {
    let (paths, out, jobs, quiet, resume, reviews) = match cli.command {
        Command::Convert {
            paths,
            out,
            jobs,
            quiet,
            resume,
            reviews,
        } => (paths, out, jobs, quiet, resume, reviews),
        Command::Audit { dir, reviews } => return audit(&dir, reviews.as_deref()),
        Command::Schema => {
            println!(
                "{}",
                serde_json::to_string_pretty(&nianbao::schema::report_schema())?
            );
            return Ok(0);
        }
    };
    for p in &paths {
        if std::fs::symlink_metadata(p).is_err() {
            eprintln!("nianbao: {}: no such file or folder", p.display());
            return Ok(EXIT_USAGE);
        }
    }
    let threads = jobs
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
        .max(1);
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build_global()
        .context("starting worker threads")?;

    let limits = Limits::default();
    let (mut journal, done) = Journal::open(&out, resume)?;
    let progress = progress_bar(quiet, count_files(&paths));
    let is_done = |source: &str, size: u64, hash: &str| {
        done.get(source)
            .is_some_and(|(s, h)| *s == size && h == hash)
    };
    let mut reused = 0;
    pipeline::run_batch(
        inputs::jobs(&paths, limits),
        &limits,
        threads * 16,
        &is_done,
        |result| {
            match result {
                Some(result) => {
                    // Archive members were not counted up front.
                    if result.source.contains('!') {
                        progress.inc_length(1);
                    }
                    progress.inc(1);
                    journal.append(&Record::from_result(&result))
                }
                None => {
                    progress.inc(1);
                    reused += 1;
                    Ok(())
                }
            }
        },
    )?;
    drop(journal);
    progress.finish_and_clear();
    let mut summary = output::finalize(&out, resume)?;
    summary.reused = reused;
    eprint!("{}", summary.render(&out));
    if let Some(file) = reviews {
        let decisions = nianbao::audit::reviews::read(&file)?;
        let orphans = nianbao::audit::reviews::annotate_findings(&out, &decisions)?;
        eprintln!(
            "reviews: {} decisions, {} for findings that no longer exist, {} lines refused",
            decisions.by_fingerprint.len(),
            orphans.len(),
            decisions.refused.len()
        );
    }
    Ok(if summary.failed.is_empty() {
        0
    } else {
        EXIT_SOME_FAILED
    })
}

fn audit(dir: &std::path::Path, reviews: Option<&std::path::Path>) -> anyhow::Result<u8> {
    match nianbao::audit::run(dir, reviews) {
        Ok(summary) => {
            eprint!("{}", summary.render());
            Ok(0)
        }
        Err(e @ nianbao::audit::AuditError::NotAConvertFolder { .. }) => {
            eprintln!("nianbao: {e}");
            Ok(EXIT_USAGE)
        }
        Err(e) => Err(e.into()),
    }
}

/// Files on disk under the arguments (archive members are added as they
/// are met): walking names is cheap next to converting.
fn count_files(paths: &[PathBuf]) -> u64 {
    paths
        .iter()
        .flat_map(|p| walkdir::WalkDir::new(p).follow_links(true))
        .filter(|e| {
            e.as_ref()
                .is_ok_and(|e| e.file_type().is_file() && !is_archive(e.path()))
        })
        .count() as u64
}

fn is_archive(path: &std::path::Path) -> bool {
    let name = path.to_string_lossy().to_ascii_lowercase();
    [".zip", ".tar.gz", ".tgz", ".tar"]
        .iter()
        .any(|e| name.ends_with(e))
}

/// Hidden when stderr is not a terminal (logs, CI) or with --quiet.
fn progress_bar(quiet: bool, total: u64) -> ProgressBar {
    if quiet || !std::io::stderr().is_terminal() {
        return ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::hidden());
    }
    let bar = ProgressBar::new(total);
    bar.set_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} files  {per_sec}  eta {eta}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    bar
}
