//! `nianbao show FILE`: one report's tables and findings on the terminal
//! (or its JSON line with `--json`), for a quick look without an output
//! folder. Everything printed passes through [`terminal_safe`].

use std::io::Write;
use std::path::Path;

use crate::pipeline::convert_bytes;
use crate::readers::Limits;
use crate::report::Report;
use crate::source::{display_path, normalize_arg, terminal_safe};

#[derive(Debug, thiserror::Error)]
pub enum ShowError {
    #[error("{path}: {reason}")]
    Input { path: String, reason: String },
    #[error("cannot write to stdout: {0}")]
    Write(#[from] std::io::Error),
}

/// Converts `path` and writes the report to `out`.
pub fn show(path: &Path, json: bool, out: &mut impl Write) -> Result<(), ShowError> {
    let arg = normalize_arg(path);
    let source = display_path(&arg, &arg);
    let limits = Limits::default();
    let input = |reason: String| ShowError::Input {
        path: terminal_safe(&source).into_owned(),
        reason,
    };
    let meta = std::fs::metadata(&arg).map_err(|e| input(format!("cannot be read: {e}")))?;
    if !meta.is_file() {
        return Err(input("not a regular file".into()));
    }
    let mut bytes = Vec::new();
    std::io::Read::read_to_end(
        &mut std::io::Read::take(
            std::fs::File::open(&arg).map_err(|e| input(format!("cannot be read: {e}")))?,
            limits.max_file_bytes + 1,
        ),
        &mut bytes,
    )
    .map_err(|e| input(format!("cannot be read: {e}")))?;
    if bytes.len() as u64 > limits.max_file_bytes {
        return Err(input(format!("over the limit: more than {} bytes", limits.max_file_bytes)));
    }
    let report = convert_bytes(&bytes, &source, &limits).map_err(|e| input(e.to_string()))?;
    if json {
        let line = serde_json::to_string(&report).expect("reports serialize");
        writeln!(out, "{line}")?;
        return Ok(());
    }
    write_text(&report, out)?;
    Ok(())
}

fn write_text(report: &Report, out: &mut impl Write) -> std::io::Result<()> {
    let t = |s: &str| terminal_safe(s).into_owned();
    writeln!(out, "source:   {}", t(&report.source))?;
    writeln!(out, "title:    {}", t(report.title.as_deref().unwrap_or("-")))?;
    writeln!(out, "agency:   {}", t(report.agency.as_deref().unwrap_or("-")))?;
    let year = report.year.map_or("-".to_string(), |y| y.to_string());
    writeln!(out, "year:     {year}    template: {}", report.template.as_str())?;
    for key in crate::templates::TableKey::ALL {
        let Some(table) = report.tables.get(key) else {
            writeln!(out, "\n[{}] missing", key.as_str())?;
            continue;
        };
        writeln!(out, "\n[{}]", key.as_str())?;
        for row in &table.rows {
            let cells: Vec<String> = row
                .cells
                .iter()
                .map(|(col, c)| {
                    let v = c.value.map_or_else(|| t(&c.raw), |v| v.to_string());
                    format!("{col}={v}")
                })
                .collect();
            writeln!(out, "  {}: {}", row.key, cells.join("  "))?;
        }
    }
    writeln!(out, "\nfindings: {}", report.findings.len())?;
    for f in &report.findings {
        writeln!(out, "  {} {}: {}", f.severity.as_str(), f.rule, t(&f.message))?;
    }
    for d in &report.diagnostics {
        writeln!(out, "  diagnostic {}: {}", d.code, t(&d.message))?;
    }
    Ok(())
}
