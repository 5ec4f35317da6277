//! The stage itself: facts in (one report line at a time), a sort by key,
//! one series at a time through the rules, annotations out.

use std::collections::{BTreeSet, HashMap};
use std::ops::Range;
use std::path::{Path, PathBuf};

use super::facts::Facts;
use super::identity::{self, NameParts};
use super::spill::Spill;
use super::{
    check_series, fingerprint, ArchiveError, Config, Ctx, Outcomes, Series, COVERAGE,
    COVERAGE_HEADER,
};
use crate::report::{RuleStatus, Severity};
use rayon::prelude::*;

/// A chunk's series checked in parallel, each with its outcomes (or the
/// error reading its facts back).
type Checked = Vec<Result<(Series, Outcomes), ArchiveError>>;

/// Series checked in parallel before their results are written in order
/// (two chunks are in memory: one checked, one written). Peak RSS of
/// 10,000 generated reports, 2 threads: 64 series at once added 18 MB to
/// the stage, 16 added 9 MB; with 4 the run is as fast and 6 MB lighter
/// than with 16.
const SERIES_AT_ONCE: usize = 4;

const FACTS_SPILL: &str = ".nianbao-archive-facts.spill";
const NOTES_SPILL: &str = ".nianbao-archive-notes.spill";
const NO_YEAR: i32 = i32::MAX;
const NO_KEY: u32 = u32::MAX;

/// What memory keeps per report: 24 bytes.
#[derive(Clone, Copy)]
struct Entry {
    index: u32,
    ident: u32,
    year: i32,
    len: u32,
    offset: u64,
}

#[derive(Hash, PartialEq, Eq)]
enum Ident {
    Name(NameParts),
    Alias(String),
}

/// Counts for the summary line.
#[derive(Debug, Default, Clone)]
pub struct ArchiveSummary {
    pub keys: usize,
    pub keys_missing_years: usize,
    pub missing: usize,
    pub gaps: usize,
    pub copies: usize,
    pub disagreeing_copies: usize,
    /// error, incomplete, warning
    pub findings: [usize; 3],
    pub years: Option<(i32, i32)>,
}

impl ArchiveSummary {
    pub fn render(&self) -> String {
        let span = self
            .years
            .map(|(a, b)| format!(" over {a}–{b}"))
            .unwrap_or_default();
        format!(
            "archive: {} agencies{span}; {} lack a year ({} agency-years missing, {} inside their own span; see coverage.csv); {} duplicate copies ({} disagree); cross-report findings: {} error, {} incomplete, {} warning\n",
            self.keys,
            self.keys_missing_years,
            self.missing,
            self.gaps,
            self.copies,
            self.disagreeing_copies,
            self.findings[0],
            self.findings[1],
            self.findings[2]
        )
    }
}

/// One report's facts made ready for the stage (extracted, sketched,
/// serialized for the spill) on the thread that holds the report, so the
/// writer only appends them: during `convert` that is the worker that
/// converted it.
pub struct Prepared {
    agency: Option<String>,
    identity: Option<NameParts>,
    year: Option<i32>,
    bytes: Vec<u8>,
}

impl Prepared {
    /// The facts of a report in memory.
    pub fn of_report(report: &crate::report::Report) -> Prepared {
        Prepared::of(Facts::from_report(report))
    }

    fn of(facts: Facts) -> Prepared {
        Prepared {
            agency: facts.agency.clone(),
            identity: facts.identity(),
            year: facts.year,
            bytes: super::codec::encode(&facts),
        }
    }
}

/// Feeds report lines into the stage.
pub struct Builder {
    dir: PathBuf,
    cfg: Config,
    facts: Spill,
    entries: Vec<Entry>,
    idents: HashMap<Ident, u32>,
    years: BTreeSet<i32>,
    records: usize,
}

impl Builder {
    pub fn new(dir: &Path, cfg: Config) -> Result<Builder, ArchiveError> {
        Ok(Builder {
            dir: dir.to_path_buf(),
            cfg,
            facts: Spill::create(dir.join(FACTS_SPILL))?,
            entries: Vec::new(),
            idents: HashMap::new(),
            years: BTreeSet::new(),
            records: 0,
        })
    }

    /// Adds the report line of journal record `index`. A line that does not
    /// parse is left out of the stage (its report keeps its own checks).
    pub fn add(&mut self, index: usize, line: &str) -> Result<(), ArchiveError> {
        self.records = self.records.max(index + 1);
        match Facts::from_json(line) {
            Ok(facts) => self.add_prepared(index, Prepared::of(facts)),
            Err(_) => Ok(()),
        }
    }

    /// Adds the facts of record `index`, prepared where its report was.
    /// Records must come in index order (identities are numbered as met).
    pub fn add_prepared(&mut self, index: usize, p: Prepared) -> Result<(), ArchiveError> {
        self.records = self.records.max(index + 1);
        let ident = match p.agency.as_deref() {
            None => NO_KEY,
            Some(agency) => {
                let id = match self.cfg.aliases.get(agency) {
                    Some(key) => Ident::Alias(key.to_string()),
                    None => Ident::Name(p.identity.expect("agency is known")),
                };
                let next = self.idents.len() as u32;
                *self.idents.entry(id).or_insert(next)
            }
        };
        if let Some(y) = p.year {
            self.years.insert(y);
        }
        let offset = self.facts.push(&p.bytes)?;
        self.entries.push(Entry {
            index: index as u32,
            ident,
            year: p.year.unwrap_or(NO_YEAR),
            len: p.bytes.len() as u32,
            offset,
        });
        Ok(())
    }

    /// Resolves keys, checks every series and writes the annotations.
    pub fn run(mut self) -> Result<ArchiveOutputs, ArchiveError> {
        let (key_of, keys) = self.resolve();
        let key = |e: &Entry| {
            if e.ident == NO_KEY {
                NO_KEY
            } else {
                key_of[e.ident as usize]
            }
        };
        self.entries
            .sort_unstable_by_key(|e| (key(e), e.year, e.index));
        let mut out = ArchiveOutputs::new(&self.dir, self.records)?;
        out.summary.years = self
            .years
            .first()
            .zip(self.years.last())
            .map(|(a, b)| (*a, *b));
        let ctx = Ctx {
            reuse_threshold: self.cfg.reuse_threshold,
            archive_years: &self.years,
        };
        let entries = std::mem::take(&mut self.entries);
        let mut groups = Vec::new();
        let mut i = 0;
        while i < entries.len() {
            let k = key(&entries[i]);
            let mut j = i + 1;
            while k != NO_KEY && j < entries.len() && key(&entries[j]) == k {
                j += 1;
            }
            groups.push((k, i..j));
            i = j;
        }
        self.facts.finish_writing()?;
        let (facts, entries) = (&self.facts, &entries);
        let check = |chunk: &[(u32, Range<usize>)]| -> Checked {
            chunk
                .par_iter()
                .map(|(k, range)| {
                    let mut members = Vec::with_capacity(range.len());
                    for e in &entries[range.clone()] {
                        members.push(facts.read_facts(e.offset, e.len as usize)?);
                    }
                    let name = (*k != NO_KEY).then(|| keys[*k as usize].clone());
                    let series = Series::new(name, members);
                    let outcomes = check_series(&series, &ctx);
                    Ok((series, outcomes))
                })
                .collect()
        };
        let write = |out: &mut ArchiveOutputs, chunk: &[(u32, Range<usize>)], checked: Checked| {
            for ((_, range), result) in chunk.iter().zip(checked) {
                let (series, outcomes) = result?;
                let indices: Vec<u32> = entries[range.clone()].iter().map(|e| e.index).collect();
                out.write_series(series, outcomes, &indices)?;
            }
            Ok::<(), ArchiveError>(())
        };
        // One chunk is checked while the one before it is written (in
        // order, on one thread): writing had the other workers wait.
        let mut chunks = groups.chunks(SERIES_AT_ONCE);
        let mut pending = chunks.next().map(|c| (c, check(c)));
        while let Some((chunk, checked)) = pending.take() {
            let next = chunks.next();
            let (ahead, written) = rayon::join(
                || next.map(|c| (c, check(c))),
                || write(&mut out, chunk, checked),
            );
            written?;
            pending = ahead;
        }
        Ok(out)
    }

    /// Key id per identity, and the key texts (sorted, so coverage.csv is).
    ///
    /// The identities are moved out, not copied, and each key text is kept
    /// once: this is the stage's peak of memory, and the copies were most
    /// of it (heaptrack, 30,000 generated reports with 11,994 identities:
    /// 4.4 MB of name copies, 1.1 MB of key sets and maps, of a 26 MB heap).
    fn resolve(&mut self) -> (Vec<u32>, Vec<String>) {
        let mut by_id: Vec<(u32, Ident)> = std::mem::take(&mut self.idents)
            .into_iter()
            .map(|(ident, id)| (id, ident))
            .collect();
        by_id.sort_unstable_by_key(|(id, _)| *id);
        // Per identity in id order: its alias key, or None for a name.
        let mut aliases: Vec<Option<String>> = Vec::with_capacity(by_id.len());
        let mut names: Vec<NameParts> = Vec::new();
        for (_, ident) in by_id {
            match ident {
                Ident::Name(p) => {
                    names.push(p);
                    aliases.push(None);
                }
                Ident::Alias(k) => aliases.push(Some(k)),
            }
        }
        let mut resolved = identity::resolve(&names).into_iter();
        drop(names);
        let mut texts: Vec<String> = aliases
            .into_iter()
            .map(|alias| alias.unwrap_or_else(|| resolved.next().expect("one key per name")))
            .collect();
        let mut order: Vec<u32> = (0..texts.len() as u32).collect();
        order.sort_unstable_by(|&a, &b| texts[a as usize].cmp(&texts[b as usize]));
        let mut key_of = vec![0u32; texts.len()];
        let mut keys: Vec<String> = Vec::new();
        for i in order {
            let text = std::mem::take(&mut texts[i as usize]);
            if keys.last() != Some(&text) {
                keys.push(text);
            }
            key_of[i as usize] = (keys.len() - 1) as u32;
        }
        (key_of, keys)
    }
}

/// What the stage adds to one report: JSON members to splice into its line
/// and `findings.csv` lines.
#[derive(Debug, Clone, PartialEq)]
pub struct Annotation {
    /// `,"agency_key":…,"duplicate_of":…,"archive_checks":[…],"archive_findings":[…]`
    pub fields: String,
    pub findings_csv: String,
}

impl Annotation {
    /// The report line with the annotation's members added.
    pub fn splice(&self, line: &[u8]) -> Vec<u8> {
        let body = line.trim_ascii_end();
        match body.strip_suffix(b"}") {
            Some(open) => [open, self.fields.as_bytes(), b"}"].concat(),
            None => line.to_vec(),
        }
    }
}

/// The stage's results, read back by `finalize` per journal record.
pub struct ArchiveOutputs {
    notes: Spill,
    /// Per journal record: (offset, fields length, CSV length); none: len 0.
    offsets: Vec<(u64, u32, u32)>,
    coverage: csv::Writer<std::io::BufWriter<std::fs::File>>,
    coverage_partial: PathBuf,
    pub summary: ArchiveSummary,
}

impl ArchiveOutputs {
    fn new(dir: &Path, records: usize) -> Result<ArchiveOutputs, ArchiveError> {
        let coverage_partial = dir.join(format!(".{COVERAGE}.partial"));
        let csv_err = |source| ArchiveError::Csv {
            path: dir.join(COVERAGE),
            source,
        };
        let file = std::fs::File::create(&coverage_partial).map_err(|source| ArchiveError::Io {
            path: coverage_partial.clone(),
            source,
        })?;
        let mut coverage = csv::Writer::from_writer(std::io::BufWriter::new(file));
        coverage.write_record(COVERAGE_HEADER).map_err(csv_err)?;
        Ok(ArchiveOutputs {
            notes: Spill::create(dir.join(NOTES_SPILL))?,
            offsets: vec![(0, 0, 0); records],
            coverage,
            coverage_partial,
            summary: ArchiveSummary::default(),
        })
    }

    fn write_series(
        &mut self,
        mut s: Series,
        mut out: Outcomes,
        indices: &[u32],
    ) -> Result<(), ArchiveError> {
        if let Some(row) = out.coverage.take() {
            self.summary.keys += 1;
            let missing = row[4].split(';').filter(|x| !x.is_empty()).count();
            self.summary.missing += missing;
            self.summary.keys_missing_years += usize::from(missing > 0);
            self.summary.gaps += row[5].split(';').filter(|x| !x.is_empty()).count();
            self.coverage
                .write_record(&row)
                .map_err(|source| ArchiveError::Csv {
                    path: self.coverage_partial.clone(),
                    source,
                })?;
        }
        let key = s.key.clone();
        let primaries: Vec<Option<String>> = (0..s.members.len())
            .map(|m| {
                s.slot_of(m)
                    .filter(|slot| slot.primary != m)
                    .map(|slot| s.members[slot.primary].source.clone())
            })
            .collect();
        for ((m, &index), duplicate_of) in indices.iter().enumerate().zip(primaries) {
            if duplicate_of.is_some() {
                self.summary.copies += 1;
                let disagrees = out.checks[m]
                    .iter()
                    .any(|c| c.rule == super::duplicate::RULE && c.status == RuleStatus::Failed);
                self.summary.disagreeing_copies += usize::from(disagrees);
            }
            let findings = std::mem::take(&mut out.findings[m]);
            let member = std::mem::replace(&mut s.members[m], placeholder());
            let findings: Vec<_> = findings
                .into_iter()
                .map(|mut f| {
                    f.fingerprint =
                        fingerprint(key.as_deref().unwrap_or(&member.source), member.year, &f);
                    let slot = match f.severity {
                        Severity::Error => 0,
                        Severity::Incomplete => 1,
                        Severity::Warning => 2,
                    };
                    self.summary.findings[slot] += 1;
                    f
                })
                .collect();
            let fields = format!(
                ",\"agency_key\":{},\"duplicate_of\":{},\"archive_checks\":{},\"archive_findings\":{}",
                serde_json::to_string(&key).expect("string"),
                serde_json::to_string(&duplicate_of).expect("string"),
                serde_json::to_string(&out.checks[m]).expect("checks serialize"),
                serde_json::to_string(&findings).expect("findings serialize"),
            );
            let csv = finding_lines(&member, &findings);
            let offset = self.notes.push(fields.as_bytes())?;
            self.notes.push(csv.as_bytes())?;
            if let Some(slot) = self.offsets.get_mut(index as usize) {
                *slot = (offset, fields.len() as u32, csv.len() as u32);
            }
        }
        Ok(())
    }

    /// The annotation of journal record `index`, if the stage saw it.
    pub fn annotation(&mut self, index: usize) -> Result<Option<Annotation>, ArchiveError> {
        let Some(&(offset, f, c)) = self.offsets.get(index) else {
            return Ok(None);
        };
        if f == 0 {
            return Ok(None);
        }
        let bytes = self.notes.read(offset, (f + c) as usize)?;
        let text = String::from_utf8(bytes).expect("written from strings");
        let (fields, csv) = text.split_at(f as usize);
        Ok(Some(Annotation {
            fields: fields.to_string(),
            findings_csv: csv.to_string(),
        }))
    }

    /// Completes `coverage.csv` (renamed into place) and drops the spills.
    pub fn finish(mut self, dir: &Path) -> Result<ArchiveSummary, ArchiveError> {
        let path = dir.join(COVERAGE);
        self.coverage.flush().map_err(|source| ArchiveError::Io {
            path: path.clone(),
            source,
        })?;
        std::fs::rename(&self.coverage_partial, &path)
            .map_err(|source| ArchiveError::Io { path, source })?;
        Ok(self.summary)
    }
}

fn placeholder() -> Facts {
    Facts {
        source: String::new(),
        format: String::new(),
        agency: None,
        year: None,
        template: String::new(),
        admin_level: String::new(),
        cells: Vec::new(),
        text_chars: 0,
        sketches: Vec::new(),
        stale: Vec::new(),
    }
}

/// `findings.csv` lines (same columns as the single-report findings).
fn finding_lines(m: &Facts, findings: &[super::ArchiveFinding]) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let year = m.year.map(|y| y.to_string()).unwrap_or_default();
    for f in findings {
        let q = |q: &Option<crate::report::Quantity>| {
            q.as_ref().map(|q| q.to_string()).unwrap_or_default()
        };
        let message = match &f.counterpart {
            Some(c) if !f.message.contains(c.as_str()) => {
                format!("{} (other report: {c})", f.message)
            }
            _ => f.message.clone(),
        };
        w.write_record([
            m.source.as_str(),
            m.agency.as_deref().unwrap_or(""),
            &year,
            f.rule.as_str(),
            f.severity.as_str(),
            f.table.as_deref().unwrap_or(""),
            f.row.as_deref().unwrap_or(""),
            f.column.as_deref().unwrap_or(""),
            &q(&f.expected),
            &q(&f.actual),
            &message,
            &f.fingerprint,
            // Reading certainty, the principal cell's location, the other
            // cells and the row label are per-report notions; an archive
            // finding compares two reports and names both in its message.
            "",
            "",
            "",
            "",
        ])
        .expect("writing to memory cannot fail");
    }
    String::from_utf8(w.into_inner().expect("in-memory writer")).expect("UTF-8 in, UTF-8 out")
}
