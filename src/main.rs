//! The `nianbao` command line. All conversion logic lives in the library;
//! this file parses arguments, drives the batch, shows progress and maps the
//! outcome to an exit code.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{CommandFactory, Parser, Subcommand};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use nianbao::inputs;
use nianbao::output::Mode;
use nianbao::pipeline::{self, ConvertOptions};
use nianbao::readers::Limits;
use nianbao::source::terminal_safe;

/// Exit codes (also in the README).
const EXIT_SOME_FAILED: u8 = 1;
const EXIT_USAGE: u8 = 2;
const EXIT_FATAL: u8 = 3;
const EXIT_INTERRUPTED: u8 = 130;

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
    Convert(Convert),
    /// Combine the output folders of sharded (`--shard`) or separate runs
    /// into DIR, as one run over all their inputs writes it.
    Merge(Merge),
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
    /// Print one file's report (tables and findings) without an output folder.
    Show {
        file: PathBuf,
        /// Print the report's JSON line (as in reports.jsonl) instead.
        #[arg(long)]
        json: bool,
    },
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    Completions { shell: clap_complete::Shell },
    /// Print the man page (roff).
    Man,
}

#[derive(clap::Args)]
struct Convert {
    /// Files or folders to convert.
    #[arg(required_unless_present = "manifest", conflicts_with = "manifest")]
    paths: Vec<PathBuf>,
    /// Read the inputs from FILE, one path per line, instead of PATHS.
    #[arg(long, value_name = "FILE")]
    manifest: Option<PathBuf>,
    /// Convert only shard I of N (I from 0), by a stable hash of each input's
    /// path; `/N` reads I from SLURM_ARRAY_TASK_ID or JOB_COMPLETION_INDEX.
    /// Put the parts together with `nianbao merge`.
    #[arg(long, value_name = "I/N")]
    shard: Option<String>,
    /// Output folder for reports.jsonl, cells.csv, findings.csv, files.csv, run.json.
    #[arg(long, short)]
    out: PathBuf,
    /// Worker threads (0 or absent: one per core; at most 4 per core).
    #[arg(long, short)]
    jobs: Option<usize>,
    /// Never show a progress bar.
    #[arg(long)]
    quiet: bool,
    /// Continue an earlier run into the same DIR: convert only inputs not yet
    /// converted (judged by source, size and content hash).
    #[arg(long, conflicts_with = "overwrite")]
    resume: bool,
    /// Replace an earlier run's outputs in DIR (removed before anything new is written).
    #[arg(long)]
    overwrite: bool,
    /// Also walk hidden folders and read hidden files.
    #[arg(long)]
    hidden: bool,
    /// Only inputs whose path (relative to its argument) or member name matches (repeatable).
    #[arg(long, value_name = "GLOB")]
    glob: Vec<String>,
    /// Leave out inputs whose path or member name matches (repeatable).
    #[arg(long, value_name = "GLOB")]
    exclude: Vec<String>,
    #[command(flatten)]
    build: Build,
    /// Review decisions (reviews.csv from the audit page): adds a `review`
    /// column to findings.csv.
    #[arg(long)]
    reviews: Option<PathBuf>,
}

/// How the outputs are built from the results (`convert` and `merge`).
#[derive(clap::Args)]
struct Build {
    /// Start each CSV with a UTF-8 byte-order mark (for Excel on Chinese Windows).
    #[arg(long)]
    excel: bool,
    /// Do not write DIR/nianbao.sqlite (the typed database).
    #[arg(long)]
    no_sqlite: bool,
    /// CSV `name,key`: agency names and the archive key to use for them.
    #[arg(long, value_name = "FILE")]
    aliases: Option<PathBuf>,
    /// Share of the previous year's text above which a report is flagged as
    /// reusing it (cross_year.text_reuse).
    #[arg(long, default_value_t = 0.5)]
    reuse_threshold: f64,
}

#[derive(clap::Args)]
struct Merge {
    /// Output folders of `convert` runs: every shard of one `--shard`
    /// invocation (in any order), or plain runs (in the order given).
    #[arg(required = true)]
    parts: Vec<PathBuf>,
    /// Output folder of the merged result.
    #[arg(long, short)]
    out: PathBuf,
    /// Replace an earlier run's outputs in DIR.
    #[arg(long)]
    overwrite: bool,
    /// The same options the single run would be given.
    #[command(flatten)]
    build: Build,
}

fn archive_config(
    aliases: Option<&std::path::Path>,
    reuse_threshold: f64,
) -> anyhow::Result<nianbao::archive::Config> {
    anyhow::ensure!(
        (0.0..=1.0).contains(&reuse_threshold),
        "--reuse-threshold must be within 0..=1"
    );
    Ok(nianbao::archive::Config {
        aliases: aliases
            .map(nianbao::archive::Aliases::load)
            .transpose()?
            .unwrap_or_default(),
        reuse_threshold,
    })
}

fn main() -> ExitCode {
    pipeline::install_panic_hook();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { EXIT_USAGE } else { 0 });
        }
    };
    let mut stdout = Vec::new();
    let code = match cli.command {
        Command::Convert(c) => convert(c),
        Command::Merge(m) => merge(m),
        Command::Audit { dir, reviews } => audit(&dir, reviews.as_deref()),
        Command::Schema => {
            let schema = serde_json::to_string_pretty(&nianbao::schema::report_schema());
            let _ = writeln!(stdout, "{}", schema.unwrap_or_default());
            0
        }
        Command::Show { file, json } => match nianbao::show::show(&file, json, &mut stdout) {
            Ok(()) => 0,
            Err(e) => {
                eprintln!("nianbao: {e}");
                EXIT_SOME_FAILED
            }
        },
        Command::Completions { shell } => {
            clap_complete::generate(shell, &mut Cli::command(), "nianbao", &mut stdout);
            0
        }
        Command::Man => match clap_mangen::Man::new(Cli::command()).render(&mut stdout) {
            Ok(()) => 0,
            Err(_) => EXIT_FATAL,
        },
    };
    ExitCode::from(flush_stdout(&stdout).unwrap_or(code))
}

/// Writes what a command printed. A closed pipe ends quietly (as ripgrep
/// does); any other write error (a full disk, `/dev/full`) is reported with
/// exit 3.
fn flush_stdout(bytes: &[u8]) -> Option<u8> {
    let mut out = std::io::stdout().lock();
    match out.write_all(bytes).and_then(|()| out.flush()) {
        Ok(()) => None,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Some(0),
        Err(e) => {
            eprintln!("nianbao: cannot write to stdout: {e}");
            Some(EXIT_FATAL)
        }
    }
}

fn convert(c: Convert) -> u8 {
    // First, so that a SIGTERM or Ctrl-C has as short a window as possible
    // in which it kills the process outright (before anything is written,
    // but also before the stale temporary files of a killed run are swept).
    let _ = ctrlc::set_handler(pipeline::request_interrupt);
    for p in &c.paths {
        if std::fs::symlink_metadata(p).is_err() {
            let shown = terminal_safe(&p.display().to_string()).into_owned();
            eprintln!("nianbao: {shown}: no such file or folder");
            return EXIT_USAGE;
        }
    }
    // The output folder is never read, so as an argument it would read nothing.
    let out_real = std::fs::canonicalize(&c.out).ok();
    if c.paths
        .iter()
        .any(|p| out_real.is_some() && std::fs::canonicalize(p).ok() == out_real)
    {
        eprintln!(
            "nianbao: the output folder is also an input (it is never read): choose another --out"
        );
        return EXIT_USAGE;
    }
    let selection = match (inputs::glob_set(&c.glob), inputs::glob_set(&c.exclude)) {
        (Ok(include), Ok(exclude)) => inputs::Selection {
            hidden: c.hidden,
            include,
            exclude,
            avoid: vec![],
        },
        (Err(e), _) | (_, Err(e)) => {
            eprintln!("nianbao: bad glob: {e}");
            return EXIT_USAGE;
        }
    };
    let threads = threads(c.jobs);
    if rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build_global()
        .is_err()
    {
        eprintln!("nianbao: cannot start {threads} worker threads");
        return EXIT_FATAL;
    }
    let mode = match (c.resume, c.overwrite) {
        (true, _) => Mode::Resume,
        (_, true) => Mode::Overwrite,
        _ => Mode::Fresh,
    };
    let shard = match c.shard.as_deref().map(|s| inputs::Shard::parse(s, env_var)) {
        None => None,
        Some(Ok(shard)) => Some(shard),
        Some(Err(e)) => {
            eprintln!("nianbao: {e}");
            return EXIT_USAGE;
        }
    };
    let archive = match archive_config(c.build.aliases.as_deref(), c.build.reuse_threshold) {
        Ok(cfg) => cfg,
        Err(e) => {
            eprintln!("nianbao: {e}");
            return EXIT_USAGE;
        }
    };
    let total = match &c.manifest {
        Some(file) => inputs::manifest::count(file),
        None => inputs::count_files(&c.paths, &selection),
    };
    let progress = progress_bar(c.quiet, total);
    let opts = ConvertOptions {
        paths: c.paths,
        out: c.out.clone(),
        mode,
        threads,
        selection,
        limits: Limits::default(),
        excel_bom: c.build.excel,
        sqlite: !c.build.no_sqlite,
        archive,
        shard,
        manifest: c.manifest,
    };
    let outcome = pipeline::run_convert(&opts, |source| {
        // Archive members were not counted up front.
        if source.is_member() {
            progress.inc_length(1);
        }
        progress.inc(1);
    });
    progress.finish_and_clear();
    let out = terminal_safe(&c.out.display().to_string()).into_owned();
    match outcome {
        Err(e) => {
            eprintln!("nianbao: {}", terminal_safe(&e.to_string()));
            match e {
                pipeline::RunError::Output(nianbao::output::OutputError::EarlierRun { .. })
                | pipeline::RunError::Manifest { .. } => EXIT_USAGE,
                _ => EXIT_FATAL,
            }
        }
        Ok(o) if o.interrupted => {
            eprintln!(
                "nianbao: interrupted; {} files recorded. Run the same command with --resume to continue into {out}",
                o.recorded
            );
            EXIT_INTERRUPTED
        }
        Ok(o) => {
            if let Some(stale) = &o.stale {
                eprintln!("nianbao: {}", terminal_safe(stale));
            }
            eprint!("{}", o.summary.render(&c.out));
            if let Some(file) = &c.reviews {
                if let Err(e) = apply_reviews(&c.out, file) {
                    eprintln!("nianbao: {e}");
                    return EXIT_FATAL;
                }
            }
            if o.summary.failed == 0 {
                0
            } else {
                EXIT_SOME_FAILED
            }
        }
    }
}

fn env_var(name: &str) -> Option<String> {
    std::env::var(name).ok()
}

fn merge(m: Merge) -> u8 {
    use nianbao::output::merge::{merge, MergeOptions};
    let archive = match archive_config(m.build.aliases.as_deref(), m.build.reuse_threshold) {
        Ok(cfg) => cfg,
        Err(e) => {
            eprintln!("nianbao: {e}");
            return EXIT_USAGE;
        }
    };
    let opts = MergeOptions {
        parts: m.parts,
        out: m.out.clone(),
        mode: if m.overwrite {
            Mode::Overwrite
        } else {
            Mode::Fresh
        },
        finalize: nianbao::output::FinalizeOptions {
            excel_bom: m.build.excel,
            compact: false,
            sqlite: !m.build.no_sqlite,
        },
        archive,
    };
    match merge(&opts) {
        Ok(summary) => {
            eprint!("{}", summary.render(&m.out));
            if summary.failed == 0 {
                0
            } else {
                EXIT_SOME_FAILED
            }
        }
        Err(e) => {
            eprintln!("nianbao: {}", terminal_safe(&e.to_string()));
            if e.is_usage() {
                EXIT_USAGE
            } else {
                EXIT_FATAL
            }
        }
    }
}

/// `convert --reviews`: the decisions become findings.csv's `review` column.
fn apply_reviews(
    out: &std::path::Path,
    file: &std::path::Path,
) -> Result<(), nianbao::audit::reviews::ReviewError> {
    let decisions = nianbao::audit::reviews::read(file)?;
    let orphans = nianbao::audit::reviews::annotate_findings(out, &decisions)?;
    eprintln!(
        "reviews: {} decisions, {} for findings that no longer exist, {} lines refused",
        decisions.by_fingerprint.len(),
        orphans.len(),
        decisions.refused.len()
    );
    Ok(())
}

fn audit(dir: &std::path::Path, reviews: Option<&std::path::Path>) -> u8 {
    match nianbao::audit::run(dir, reviews) {
        Ok(summary) => {
            eprint!("{}", summary.render());
            0
        }
        Err(e @ nianbao::audit::AuditError::NotAConvertFolder { .. }) => {
            eprintln!("nianbao: {e}");
            EXIT_USAGE
        }
        Err(e) => {
            eprintln!("nianbao: {e}");
            EXIT_FATAL
        }
    }
}

/// `--jobs`: 0 or absent means one per core; more than 4 per core is clamped
/// (`--jobs 100000` started 10,000 threads and never converted).
fn threads(jobs: Option<usize>) -> usize {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    match jobs {
        None | Some(0) => cores,
        Some(n) if n > 4 * cores => {
            eprintln!(
                "nianbao: --jobs {n} is more than 4 per core; using {}",
                4 * cores
            );
            4 * cores
        }
        Some(n) => n,
    }
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
