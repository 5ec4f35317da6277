//! The facts spill's record format: length-prefixed fields, in the order of
//! [`Facts`]'s declaration.
//!
//! Why not JSON: the spill is written once per report on the worker and
//! read back once by the archive stage, and nothing but this run reads it
//! (it is deleted at the end). As JSON, writing it was 1.9% of a whole
//! run's CPU and reading it back most of the archive stage, the largest
//! step left after conversion on one thread (perf, 2,000 generated
//! reports). Every string here is written from a `String` and checked as
//! UTF-8 when read: a damaged spill is an error, never a panic.

use std::borrow::Cow;
use std::sync::OnceLock;

use rustc_hash::FxHashSet as HashSet;

use super::facts::{FactCell, Facts, LocationJson, SectionSketch, StaleHit};

/// Why a spilled record cannot be read back.
#[derive(Debug, thiserror::Error)]
pub(crate) enum CodecError {
    #[error("the record ends early")]
    Truncated,
    #[error("a text field is not UTF-8")]
    NotUtf8,
}

pub(crate) fn encode(f: &Facts) -> Vec<u8> {
    let mut w = Writer(Vec::with_capacity(64 * f.cells.len() + 256));
    for s in [&f.source, &f.format] {
        w.str(s);
    }
    w.opt_str(f.agency.as_deref());
    w.opt_i32(f.year);
    for s in [&f.template, &f.admin_level] {
        w.str(s);
    }
    w.u32(f.cells.len() as u32);
    for c in &f.cells {
        for s in [&c.table, &c.row, &c.column] {
            w.str(s);
        }
        match c.value {
            None => w.0.push(0),
            Some(v) => {
                w.0.push(1);
                w.0.extend_from_slice(&v.to_le_bytes());
            }
        }
        w.str(&c.raw);
        w.str(&c.location.0);
    }
    w.u32(f.text_chars);
    w.u32(f.sketches.len() as u32);
    for s in &f.sketches {
        w.str(&s.section);
        w.u32(s.ngrams);
        w.u32(s.sample.len() as u32);
        for &h in &s.sample {
            w.u32(h);
        }
    }
    w.u32(f.stale.len() as u32);
    for h in &f.stale {
        w.str(&h.section);
        w.0.extend_from_slice(&h.named.to_le_bytes());
        w.str(&h.sentence);
    }
    w.0
}

pub(crate) fn decode(bytes: &[u8]) -> Result<Facts, CodecError> {
    let mut r = Reader(bytes);
    let source = r.string()?;
    let format = r.string()?;
    let agency = r.opt_string()?;
    let year = r.opt_i32()?;
    let template = r.string()?;
    let admin_level = r.string()?;
    let cells = (0..r.count()?)
        .map(|_| cell(&mut r))
        .collect::<Result<_, _>>()?;
    let text_chars = r.u32()?;
    let sketches = (0..r.count()?)
        .map(|_| {
            let section = r.string()?;
            let ngrams = r.u32()?;
            let sample = (0..r.count()?).map(|_| r.u32()).collect::<Result<_, _>>()?;
            Ok(SectionSketch {
                section,
                ngrams,
                sample,
            })
        })
        .collect::<Result<_, CodecError>>()?;
    let stale = (0..r.count()?)
        .map(|_| {
            Ok(StaleHit {
                section: r.string()?,
                named: i32::from_le_bytes(r.array()?),
                sentence: r.string()?,
            })
        })
        .collect::<Result<_, CodecError>>()?;
    Ok(Facts {
        source,
        format,
        agency,
        year,
        template,
        admin_level,
        cells,
        text_chars,
        sketches,
        stale,
    })
}

fn cell(r: &mut Reader) -> Result<FactCell, CodecError> {
    let (table, row, column) = (r.key()?, r.key()?, r.key()?);
    let value = match r.take(1)?[0] {
        0 => None,
        _ => Some(f64::from_le_bytes(r.array()?)),
    };
    let raw = r.string()?;
    let location = LocationJson(r.string()?);
    Ok(FactCell {
        table,
        row,
        column,
        value,
        raw,
        location,
    })
}

struct Writer(Vec<u8>);

impl Writer {
    fn u32(&mut self, n: u32) {
        self.0.extend_from_slice(&n.to_le_bytes());
    }

    fn str(&mut self, s: &str) {
        self.u32(s.len() as u32);
        self.0.extend_from_slice(s.as_bytes());
    }

    fn opt_str(&mut self, s: Option<&str>) {
        match s {
            None => self.0.push(0),
            Some(s) => {
                self.0.push(1);
                self.str(s);
            }
        }
    }

    fn opt_i32(&mut self, n: Option<i32>) {
        match n {
            None => self.0.push(0),
            Some(n) => {
                self.0.push(1);
                self.0.extend_from_slice(&n.to_le_bytes());
            }
        }
    }
}

struct Reader<'a>(&'a [u8]);

impl Reader<'_> {
    fn take(&mut self, n: usize) -> Result<&[u8], CodecError> {
        if self.0.len() < n {
            return Err(CodecError::Truncated);
        }
        let (head, rest) = self.0.split_at(n);
        self.0 = rest;
        Ok(head)
    }

    fn array<const N: usize>(&mut self) -> Result<[u8; N], CodecError> {
        Ok(self.take(N)?.try_into().expect("took N bytes"))
    }

    fn u32(&mut self) -> Result<u32, CodecError> {
        Ok(u32::from_le_bytes(self.array()?))
    }

    /// A count of items that follow: at most one per remaining byte, so a
    /// damaged count cannot ask for a huge allocation.
    fn count(&mut self) -> Result<usize, CodecError> {
        let n = self.u32()? as usize;
        match n <= self.0.len() {
            true => Ok(n),
            false => Err(CodecError::Truncated),
        }
    }

    fn string(&mut self) -> Result<String, CodecError> {
        let n = self.u32()? as usize;
        let bytes = self.take(n)?;
        String::from_utf8(bytes.to_vec()).map_err(|_| CodecError::NotUtf8)
    }

    /// A table, row or column key: the templates' own spelling when it is
    /// one of theirs, without allocating.
    fn key(&mut self) -> Result<Cow<'static, str>, CodecError> {
        static KEYS: OnceLock<HashSet<&'static str>> = OnceLock::new();
        let keys = KEYS.get_or_init(|| crate::templates::key_spellings().collect());
        let n = self.u32()? as usize;
        let text = std::str::from_utf8(self.take(n)?).map_err(|_| CodecError::NotUtf8)?;
        Ok(match keys.get(text) {
            Some(key) => Cow::Borrowed(*key),
            None => Cow::Owned(text.to_string()),
        })
    }

    fn opt_string(&mut self) -> Result<Option<String>, CodecError> {
        match self.take(1)?[0] {
            0 => Ok(None),
            _ => self.string().map(Some),
        }
    }

    fn opt_i32(&mut self) -> Result<Option<i32>, CodecError> {
        match self.take(1)?[0] {
            0 => Ok(None),
            _ => Ok(Some(i32::from_le_bytes(self.array()?))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Facts {
        let loc = |s: &str| LocationJson(s.to_string());
        Facts {
            source: "in/广阳镇-2022.html".into(),
            format: "html".into(),
            agency: Some("广阳镇人民政府".into()),
            year: Some(2022),
            template: "2021".into(),
            admin_level: "township".into(),
            cells: vec![
                FactCell {
                    table: "requests".into(),
                    row: "new".into(),
                    column: "total".into(),
                    value: Some(12.5),
                    raw: "12.5".into(),
                    location: loc(r#"{"col":1,"row":3,"table":2}"#),
                },
                FactCell {
                    table: "requests".into(),
                    row: Cow::Owned("not_a_template_key".into()),
                    column: "total".into(),
                    value: None,
                    raw: String::new(),
                    location: loc(r#"{"inferred":"glued_digits","page":2}"#),
                },
            ],
            text_chars: 1234,
            sketches: vec![SectionSketch {
                section: "overview".into(),
                ngrams: 40,
                sample: vec![3, 17, 4_000_000_000],
            }],
            stale: vec![StaleHit {
                section: "overview".into(),
                named: 2021,
                sentence: "2021年，我镇……".into(),
            }],
        }
    }

    #[test]
    fn facts_read_back_as_written() {
        let f = sample();
        let back = decode(&encode(&f)).unwrap();
        assert_eq!(back, f);
        assert!(matches!(back.cells[0].table, Cow::Borrowed("requests")));
        assert!(matches!(&back.cells[1].row, Cow::Owned(r) if r == "not_a_template_key"));
        let mut bare = sample();
        bare.agency = None;
        bare.year = None;
        bare.cells.clear();
        bare.stale.clear();
        assert_eq!(decode(&encode(&bare)).unwrap(), bare);
    }

    #[test]
    fn a_cut_or_damaged_record_is_an_error_not_a_panic() {
        let bytes = encode(&sample());
        for end in 0..bytes.len() {
            assert!(decode(&bytes[..end]).is_err(), "cut at {end}");
        }
        let mut huge = bytes.clone();
        // The first field's length, made larger than the record.
        huge[..4].copy_from_slice(&u32::MAX.to_le_bytes());
        assert!(matches!(decode(&huge), Err(CodecError::Truncated)));
        let mut bad = bytes;
        bad[4] = 0xFF; // inside "in/…": no longer UTF-8
        assert!(matches!(decode(&bad), Err(CodecError::NotUtf8)));
    }
}
