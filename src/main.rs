//! The `nianbao` command line. All conversion logic lives in the library;
//! this file parses arguments, drives the batch, shows progress and maps the
//! outcome to an exit code.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Parser, Subcommand};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use nianbao::output::OutputWriter;
use nianbao::pipeline;
use nianbao::readers::Limits;

/// Exit codes (also in the README).
const EXIT_SOME_FAILED: u8 = 1;
const EXIT_USAGE: u8 = 2;
const EXIT_FATAL: u8 = 3;

#[derive(Parser)]
#[command(name = "nianbao", version, about = "Convert 政府信息公开工作年度报告 into normalized JSON and flag tables that do not add up")]
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
    let (paths, out, jobs, quiet) = match cli.command {
        Command::Convert { paths, out, jobs, quiet } => (paths, out, jobs, quiet),
        Command::Schema => {
            println!("{}", serde_json::to_string_pretty(&nianbao::schema::report_schema())?);
            return Ok(0);
        }
    };
    for p in &paths {
        if !p.exists() {
            eprintln!("nianbao: {}: no such file or folder", p.display());
            return Ok(EXIT_USAGE);
        }
    }
    let threads = jobs.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    rayon::ThreadPoolBuilder::new().num_threads(threads).build_global().context("starting worker threads")?;

    let inputs = pipeline::collect_inputs(&paths);
    let total = inputs.files.len() + inputs.problems.len();
    let progress = progress_bar(total as u64, quiet);
    let mut writer = OutputWriter::create(&out)?;
    for problem in &inputs.problems {
        writer.write(problem)?;
        progress.inc(1);
    }
    let limits = Limits::default();
    let mut write_error = None;
    pipeline::run_batch(&inputs.files, &limits, threads * 32, |result| {
        progress.inc(1);
        writer.write(&result).map_err(|e| {
            let message = e.to_string();
            write_error = Some(e);
            std::io::Error::other(message)
        })
    })
    .or_else(|e| match write_error.take() {
        Some(err) => Err(anyhow::Error::new(err)),
        None => Err(anyhow::Error::new(e)),
    })?;
    progress.finish_and_clear();
    let summary = writer.finish()?;
    eprint!("{}", summary.render(&out));
    Ok(if summary.failed.is_empty() { 0 } else { EXIT_SOME_FAILED })
}

fn progress_bar(total: u64, quiet: bool) -> ProgressBar {
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
