//! Review decisions: `reviews.csv` as the audit page exports it
//! (`fingerprint,decision,note,time`), read back by `nianbao audit --reviews`
//! and `nianbao convert --reviews`.
//!
//! Decisions are keyed by the finding's fingerprint, which is stable across
//! runs (agency, year, rule, table, row, column), so a re-run keeps them. A
//! line that cannot be used (unknown decision, malformed fingerprint) is
//! refused with its line number and the file's other lines are still used:
//! one bad line of a hand-edited file must not lose a day's review.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Serialize;

/// The header the page writes and this module reads.
pub const REVIEWS_HEADER: [&str; 4] = ["fingerprint", "decision", "note", "time"];

#[derive(Debug, thiserror::Error)]
pub enum ReviewError {
    #[error("cannot read reviews file {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("reviews file {path}: {reason}")]
    Format { path: PathBuf, reason: String },
    #[error("cannot rewrite {path}: {source}")]
    Csv { path: PathBuf, source: csv::Error },
}

/// An auditor's decision on one finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Decision {
    Confirmed,
    Dismissed,
}

impl Decision {
    pub fn as_str(self) -> &'static str {
        match self {
            Decision::Confirmed => "confirmed",
            Decision::Dismissed => "dismissed",
        }
    }

    fn parse(s: &str) -> Option<Decision> {
        match s.trim().to_ascii_lowercase().as_str() {
            "confirmed" => Some(Decision::Confirmed),
            "dismissed" => Some(Decision::Dismissed),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Review {
    pub fingerprint: String,
    pub decision: Decision,
    pub note: String,
    pub time: String,
}

impl Review {
    /// The `review` column of findings.csv: `confirmed` or `dismissed: note`.
    pub fn column(&self) -> String {
        if self.note.is_empty() {
            self.decision.as_str().to_string()
        } else {
            format!("{}: {}", self.decision.as_str(), self.note)
        }
    }
}

/// The usable decisions (the latest by time wins when a fingerprint repeats)
/// and one message per refused line.
#[derive(Debug, Default)]
pub struct Reviews {
    pub by_fingerprint: BTreeMap<String, Review>,
    pub refused: Vec<String>,
}

pub fn read(path: &Path) -> Result<Reviews, ReviewError> {
    let text = std::fs::read(path).map_err(|source| ReviewError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    parse(&text).map_err(|reason| ReviewError::Format {
        path: path.to_path_buf(),
        reason,
    })
}

/// Parses a reviews file. Only a missing header refuses the whole file.
pub fn parse(bytes: &[u8]) -> Result<Reviews, String> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(bytes);
    let header = reader
        .headers()
        .map_err(|e| format!("unreadable header: {e}"))?
        .clone();
    let col = |name: &str| header.iter().position(|h| h.trim() == name);
    let (Some(fp), Some(dec)) = (col("fingerprint"), col("decision")) else {
        return Err(format!(
            "the header must name the columns {} (found: {})",
            REVIEWS_HEADER.join(","),
            header.iter().collect::<Vec<_>>().join(",")
        ));
    };
    let (note, time) = (col("note"), col("time"));
    let mut out = Reviews::default();
    for (i, record) in reader.records().enumerate() {
        let line = i + 2;
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                out.refused.push(format!("line {line}: {e}"));
                continue;
            }
        };
        let field = |c: Option<usize>| c.and_then(|c| record.get(c)).unwrap_or("").trim();
        let fingerprint = field(Some(fp)).to_ascii_lowercase();
        if fingerprint.len() != 16 || !fingerprint.bytes().all(|b| b.is_ascii_hexdigit()) {
            out.refused.push(format!(
                "line {line}: fingerprint {fingerprint:?} is not 16 hex digits"
            ));
            continue;
        }
        let Some(decision) = Decision::parse(field(Some(dec))) else {
            out.refused.push(format!(
                "line {line}: decision {:?} is neither confirmed nor dismissed",
                field(Some(dec))
            ));
            continue;
        };
        let review = Review {
            fingerprint: fingerprint.clone(),
            decision,
            note: field(note).to_string(),
            time: field(time).to_string(),
        };
        match out.by_fingerprint.get(&fingerprint) {
            Some(old) if old.time > review.time => {}
            _ => {
                out.by_fingerprint.insert(fingerprint, review);
            }
        }
    }
    Ok(out)
}

/// Adds a `review` column at the end of `DIR/findings.csv` (written under a
/// temporary name, then renamed). Returns the decisions whose finding is no
/// longer in the file.
pub fn annotate_findings(dir: &Path, reviews: &Reviews) -> Result<Vec<Review>, ReviewError> {
    let path = dir.join(crate::output::FINDINGS);
    let partial = dir.join(".findings.csv.review.partial");
    let csv_err = |source| ReviewError::Csv {
        path: path.clone(),
        source,
    };
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_path(&path)
        .map_err(csv_err)?;
    let mut writer = csv::Writer::from_path(&partial).map_err(csv_err)?;
    let mut header = reader.headers().map_err(csv_err)?.clone();
    let fp = header.iter().position(|h| h == "fingerprint");
    header.push_field("review");
    writer.write_record(&header).map_err(csv_err)?;
    let mut seen = std::collections::HashSet::new();
    for record in reader.records() {
        let mut record = record.map_err(csv_err)?;
        let review = fp
            .and_then(|c| record.get(c))
            .and_then(|f| {
                seen.insert(f.to_string());
                reviews.by_fingerprint.get(f)
            })
            .map(Review::column)
            .unwrap_or_default();
        record.push_field(&review);
        writer.write_record(&record).map_err(csv_err)?;
    }
    writer.flush().map_err(|source| ReviewError::Io {
        path: partial.clone(),
        source,
    })?;
    drop(writer);
    std::fs::rename(&partial, &path).map_err(|source| ReviewError::Io {
        path: path.clone(),
        source,
    })?;
    Ok(reviews
        .by_fingerprint
        .values()
        .filter(|r| !seen.contains(&r.fingerprint))
        .cloned()
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_lines_are_refused_one_by_one_and_the_latest_decision_wins() {
        let text = "fingerprint,decision,note,time\n\
            45aa4c938e353c78,confirmed,\"sum, checked\",2026-12-01T10:00:00Z\n\
            45AA4C938E353C78,dismissed,scanned copy,2026-12-01T11:00:00Z\n\
            nothex,confirmed,,\n\
            0123456789abcdef,maybe,,\n";
        let r = parse(text.as_bytes()).unwrap();
        assert_eq!(r.by_fingerprint.len(), 1);
        let d = &r.by_fingerprint["45aa4c938e353c78"];
        assert_eq!(d.decision, Decision::Dismissed);
        assert_eq!(d.column(), "dismissed: scanned copy");
        assert_eq!(r.refused.len(), 2, "{:?}", r.refused);
        assert!(r.refused[0].starts_with("line 4:"), "{:?}", r.refused);
        assert!(r.refused[1].contains("maybe"), "{:?}", r.refused);
    }

    #[test]
    fn a_file_without_the_header_is_refused_naming_the_columns() {
        let e = parse(b"a,b\n1,2\n").unwrap_err();
        assert!(e.contains("fingerprint,decision,note,time"), "{e}");
    }
}
