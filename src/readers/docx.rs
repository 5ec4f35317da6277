//! DOCX reader: the `zip` crate plus one `quick-xml` pull-parser pass over
//! `word/document.xml` (no DOM). Each part is inflated into memory through
//! the inflated-bytes cap (its CRC checked at the end of the entry), then
//! tokenized with borrowed events: measured against inflating through a
//! `BufReader` and tokenizing from it, this saves a copy of every event and
//! about a third of the floor. Memory per file is bounded by the cap (a
//! lying size header can make the buffer's capacity grow to about twice
//! the bytes actually read).
//!
//! Why not docx-rs: it hangs on truncated XML, panics on damaged ZIP payloads,
//! keeps `gridSpan`/`vMerge` to itself and is several times slower. This reader
//! is total and bounded instead: every input ends in a [`Document`] or a
//! [`ReadError`], inflated bytes are capped at [`Limits::max_inflated_bytes`]
//! (the cap is enforced on the bytes actually inflated, not on what the ZIP
//! headers claim), ZIP entries at [`Limits::max_zip_entries`], element nesting
//! at [`Limits::max_depth`], table grids at [`MAX_COLS`] columns and
//! [`MAX_GRID_CELLS`] positions per file.
//!
//! What is read, as Word would print it:
//! - paragraph text over runs, hyperlinks, simple and complex fields (the
//!   displayed result, never the instruction), content controls, smart tags,
//!   text boxes (as paragraphs of their own, before the paragraph holding them);
//!   `w:tab`, `w:br`, `w:cr` as a space; whitespace runs collapsed and trimmed;
//! - tracked changes as if accepted: insertions and moves-to are read,
//!   deletions (`w:del`, `w:delText`, `w:moveFrom`), deleted table rows and
//!   the old properties of `*Change` elements are not; a deleted paragraph mark
//!   joins the paragraph with the next one; hidden runs (`w:vanish`) are skipped;
//! - automatic list numbering from `word/numbering.xml` (direct `w:numPr` or a
//!   paragraph style with numbering, `word/styles.xml`), rendered into
//!   [`Paragraph::list_label`];
//! - tables as dense grids (`w:gridCol`, `w:gridSpan`, `w:vMerge`, legacy
//!   `w:hMerge`, `w:gridBefore`/`w:gridAfter`); a table with tables in its
//!   cells is a layout table and is replaced by its content in reading order.
//!
//! Headers, footers, footnotes and comments are not part of the report body and
//! are not read.

use super::{Limits, ReadError};
use crate::document::{Block, Document, GridCell, Paragraph, Table, TableOrigin};
use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;
use std::borrow::Cow;
use std::cell::Cell;
use std::collections::HashMap;
use std::io::{self, Cursor, Read};
use std::rc::Rc;

const FORMAT: &str = "DOCX";

/// Widest grid built; wider declared spans are clamped.
pub const MAX_COLS: usize = 256;
/// Most grid positions (all tables of one file together). Merged cells copy
/// their text into every position they cover, so this also bounds the
/// amplification a hostile file can get out of `gridSpan`/`vMerge`.
pub const MAX_GRID_CELLS: usize = 4_000_000;
/// Deepest `w:basedOn` chain followed in styles.xml.
const MAX_STYLE_CHAIN: usize = 32;

/// Reads a DOCX file. Never panics on any input (a panic in a dependency is
/// caught and reported as [`ReadError::Panic`]).
pub fn read(bytes: &[u8], limits: &Limits) -> Result<Document, ReadError> {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| read_inner(bytes, limits))) {
        Ok(result) => result,
        Err(payload) => {
            let msg = payload
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".into());
            Err(ReadError::Panic(format!("DOCX reader: {msg}")))
        }
    }
}

fn read_inner(bytes: &[u8], limits: &Limits) -> Result<Document, ReadError> {
    if bytes.is_empty() {
        return Err(ReadError::Empty);
    }
    if !bytes.starts_with(b"PK") {
        // Not a ZIP container: say what it is instead (legacy .doc, an
        // encrypted Office file, an HTML page saved as .docx ...).
        return Err(match super::detect::detect_format(bytes) {
            Err(e) => e,
            Ok(format) => ReadError::Unsupported(format!(
                "{} content, not a DOCX (ZIP) container",
                format.as_str().to_uppercase()
            )),
        });
    }
    if let Some(entries) = declared_entry_count(bytes) {
        if entries > limits.max_zip_entries as u64 {
            return Err(too_many_entries(entries, limits));
        }
    }
    let mut archive =
        zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| zip_error("ZIP container", e))?;
    if archive.len() > limits.max_zip_entries {
        return Err(too_many_entries(archive.len() as u64, limits));
    }
    let budget = Budget {
        left: Rc::new(Cell::new(limits.max_inflated_bytes)),
        limit: limits.max_inflated_bytes,
    };
    let document = locate_document(&mut archive, &budget, limits)?;
    // numbering.xml and styles.xml (and the relationships that name them)
    // are read only when the first paragraph that needs them turns up:
    // python-docx's styles.xml alone is 8x the size of a typical report's
    // document.xml.
    let lists = Lists {
        source: Some(PartSource {
            archive: archive.clone(),
            budget: budget.clone(),
            limits: *limits,
            document: document.clone(),
            parts: None,
        }),
        numbering: None,
        styles: None,
    };
    let mut parser = BodyParser::new(lists, limits);
    with_part(&mut archive, &document, &budget, limits, |p| parser.run(p))?;
    parser.finish()
}

fn too_many_entries(entries: u64, limits: &Limits) -> ReadError {
    ReadError::TooLarge(format!(
        "ZIP container lists {entries} entries, the limit is {}",
        limits.max_zip_entries
    ))
}

/// The entry count the end-of-central-directory record declares, read before
/// the ZIP library parses (and allocates for) the whole directory.
fn declared_entry_count(bytes: &[u8]) -> Option<u64> {
    const EOCD: &[u8] = b"PK\x05\x06";
    let tail_start = bytes.len().saturating_sub(22 + 65_535);
    let tail = &bytes[tail_start..];
    let pos = tail.windows(4).rposition(|w| w == EOCD)?;
    let eocd = tail.get(pos..pos + 22)?;
    let count = u16::from_le_bytes([eocd[10], eocd[11]]) as u64;
    if count != 0xFFFF {
        return Some(count);
    }
    // ZIP64: the locator sits right before the EOCD record.
    let abs = tail_start + pos;
    let loc = bytes.get(abs.checked_sub(20)?..abs)?;
    if &loc[..4] != b"PK\x06\x07" {
        return Some(count);
    }
    let off = u64::from_le_bytes(loc[8..16].try_into().ok()?) as usize;
    let rec = bytes.get(off..off.checked_add(56)?)?;
    if &rec[..4] != b"PK\x06\x06" {
        return Some(count);
    }
    Some(u64::from_le_bytes(rec[32..40].try_into().ok()?))
}

// ---------------------------------------------------------------------------
// ZIP entries and limits
// ---------------------------------------------------------------------------

/// What is left of the inflated-bytes allowance, shared by all parts read.
#[derive(Clone)]
struct Budget {
    left: Rc<Cell<u64>>,
    limit: u64,
}

/// The io error a [`Capped`] reader returns once the allowance is spent.
#[derive(Debug)]
struct OverLimit(u64);

impl std::fmt::Display for OverLimit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "inflated size over the limit of {} bytes", self.0)
    }
}

impl std::error::Error for OverLimit {}

/// Counts inflated bytes and fails once they exceed the allowance, whatever
/// size the ZIP headers declared (a zip bomb may lie about it).
struct Capped<R> {
    inner: R,
    budget: Budget,
}

impl<R: Read> Read for Capped<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)? as u64;
        let left = self.budget.left.get();
        if n > left {
            self.budget.left.set(0);
            return Err(io::Error::other(OverLimit(self.budget.limit)));
        }
        self.budget.left.set(left - n);
        Ok(n as usize)
    }
}

type Archive<'a> = zip::ZipArchive<Cursor<&'a [u8]>>;

fn zip_error(part: &str, e: zip::result::ZipError) -> ReadError {
    use zip::result::ZipError;
    match e {
        ZipError::UnsupportedArchive(msg) if msg == ZipError::PASSWORD_REQUIRED => {
            ReadError::Encrypted
        }
        ZipError::InvalidPassword => ReadError::Encrypted,
        ZipError::Io(io) => io_error(part, &io),
        ZipError::FileNotFound => ReadError::corrupt(FORMAT, format!("{part} is missing")),
        other => ReadError::corrupt(FORMAT, format!("{part}: {other}")),
    }
}

fn io_error(part: &str, e: &io::Error) -> ReadError {
    if let Some(over) = e
        .get_ref()
        .and_then(|inner| inner.downcast_ref::<OverLimit>())
    {
        return ReadError::TooLarge(format!("{part}: {over}"));
    }
    let text = e.to_string();
    if text.contains("checksum") {
        ReadError::corrupt(
            FORMAT,
            format!("{part}: bad CRC checksum (damaged ZIP entry)"),
        )
    } else {
        ReadError::corrupt(FORMAT, format!("{part}: damaged ZIP entry: {text}"))
    }
}

fn xml_error(part: &str, e: quick_xml::Error, pos: u64) -> ReadError {
    match e {
        quick_xml::Error::Io(io) => io_error(part, &io),
        other => ReadError::corrupt(
            FORMAT,
            format!("{part}: malformed XML near byte {pos}: {other}"),
        ),
    }
}

/// Inflates one ZIP entry (through the cap) and hands its XML to `f`.
fn with_part<T>(
    archive: &mut Archive<'_>,
    name: &str,
    budget: &Budget,
    limits: &Limits,
    f: impl FnOnce(&mut XmlPart<'_>) -> Result<T, ReadError>,
) -> Result<T, ReadError> {
    let xml = inflate(archive, name, budget)?;
    let mut part = XmlPart::new(name, &xml, limits.max_depth);
    f(&mut part)
}

/// The inflated bytes of one entry. The CRC is checked when the inflater
/// reaches the end, before any XML is parsed.
fn inflate(archive: &mut Archive<'_>, name: &str, budget: &Budget) -> Result<Vec<u8>, ReadError> {
    let file = archive.by_name(name).map_err(|e| zip_error(name, e))?;
    let left = budget.left.get();
    if file.size() > left {
        return Err(ReadError::TooLarge(format!(
            "{name}: inflated size over the limit ({} bytes declared, {left} bytes allowed)",
            file.size(),
        )));
    }
    // Trust the declared size for the first allocation only; the cap, not
    // the header, bounds what is read.
    let mut xml = Vec::new();
    xml.try_reserve_exact(file.size() as usize).map_err(|_| {
        ReadError::TooLarge(format!("{name}: cannot allocate {} bytes", file.size()))
    })?;
    let mut capped = Capped {
        inner: file,
        budget: budget.clone(),
    };
    capped
        .read_to_end(&mut xml)
        .map_err(|e| io_error(name, &e))?;
    Ok(xml)
}

/// One XML part being parsed: tracks element depth, turns every failure into
/// a [`ReadError`] naming the part, and reports truncation at the end.
/// Events borrow the inflated bytes, nothing is copied.
struct XmlPart<'x> {
    name: &'x str,
    reader: Reader<&'x [u8]>,
    depth: usize,
    max_depth: usize,
    done: bool,
}

impl<'x> XmlPart<'x> {
    fn new(name: &'x str, xml: &'x [u8], max_depth: usize) -> Self {
        let mut reader = Reader::from_reader(xml);
        let config = reader.config_mut();
        config.trim_text(false);
        config.expand_empty_elements = false;
        config.check_end_names = true;
        XmlPart {
            name,
            reader,
            depth: 0,
            max_depth,
            done: false,
        }
    }

    /// The next event; `Event::Eof` only after a complete document.
    #[inline(always)]
    fn next(&mut self) -> Result<Event<'x>, ReadError> {
        if self.done {
            return Ok(Event::Eof);
        }
        let ev = match self.reader.read_event() {
            Ok(ev) => ev,
            Err(e) => return Err(xml_error(self.name, e, self.reader.error_position())),
        };
        match &ev {
            Event::Start(_) => {
                self.depth += 1;
                if self.depth > self.max_depth {
                    return Err(ReadError::TooLarge(format!(
                        "{}: XML nested deeper than {} levels",
                        self.name, self.max_depth
                    )));
                }
            }
            Event::End(_) => self.depth = self.depth.saturating_sub(1),
            Event::Eof => {
                self.done = true;
                if self.depth > 0 {
                    return Err(ReadError::corrupt(
                        FORMAT,
                        format!(
                            "{}: truncated XML ({} elements left open at the end)",
                            self.name, self.depth
                        ),
                    ));
                }
            }
            _ => {}
        }
        Ok(ev)
    }
}

/// The value of the attribute with this local name (any prefix), unescaped.
fn attr<'a>(e: &'a BytesStart<'_>, local: &[u8]) -> Option<Cow<'a, str>> {
    let mut attrs = e.attributes();
    attrs.with_checks(false);
    for a in attrs.flatten() {
        if a.key.local_name().as_ref() == local {
            return match a.unescape_value() {
                Ok(v) => Some(Cow::Owned(v.into_owned())),
                Err(_) => Some(Cow::Owned(String::from_utf8_lossy(&a.value).into_owned())),
            };
        }
    }
    None
}

/// The local part of a qualified name ("w:tcPr" -> "tcPr"); the common
/// one-letter prefixes are checked first (this runs for every element).
#[inline]
fn local_name(name: &[u8]) -> &[u8] {
    if name.len() > 2 && name[1] == b':' {
        return &name[2..];
    }
    match name.iter().rposition(|&b| b == b':') {
        Some(i) => &name[i + 1..],
        None => name,
    }
}

/// The raw (still escaped) bytes of an attribute: enough for numbers and
/// keywords, and no allocation.
fn attr_raw<'a>(e: &'a BytesStart<'_>, local: &[u8]) -> Option<Cow<'a, [u8]>> {
    let mut attrs = e.attributes();
    attrs.with_checks(false);
    attrs
        .flatten()
        .find(|a| a.key.local_name().as_ref() == local)
        .map(|a| a.value)
}

/// A non-negative integer attribute; garbage reads as `None`, huge values
/// saturate (the grid clamps them).
fn attr_num(e: &BytesStart<'_>, local: &[u8]) -> Option<u64> {
    let v = attr_raw(e, local)?;
    let v = v.trim_ascii();
    let digits = &v[..v
        .iter()
        .position(|b| !b.is_ascii_digit())
        .unwrap_or(v.len())];
    if digits.is_empty() {
        return None;
    }
    Some(
        digits
            .iter()
            .try_fold(0u64, |n, d| {
                n.checked_mul(10)?.checked_add((d - b'0') as u64)
            })
            .unwrap_or(u64::MAX),
    )
}

/// `w:val` of an on/off property: absent, "1", "true", "on" mean on.
fn attr_on(e: &BytesStart<'_>) -> bool {
    match attr_raw(e, b"val") {
        None => true,
        Some(v) => !matches!(v.as_ref(), b"0" | b"false" | b"off"),
    }
}

// ---------------------------------------------------------------------------
// Package relationships: where the document, numbering and styles parts are
// ---------------------------------------------------------------------------

/// The main document part: `word/document.xml` (what detection requires), or
/// wherever `_rels/.rels` points when a producer named it otherwise.
fn locate_document(
    archive: &mut Archive<'_>,
    budget: &Budget,
    limits: &Limits,
) -> Result<String, ReadError> {
    const DEFAULT: &str = "word/document.xml";
    if archive.index_for_name(DEFAULT).is_some() {
        return Ok(DEFAULT.into());
    }
    if archive.index_for_name("_rels/.rels").is_some() {
        let rels = with_part(archive, "_rels/.rels", budget, limits, read_rels)?;
        if let Some((_, target)) = rels.iter().find(|(ty, _)| ty.ends_with("/officeDocument")) {
            let candidate = resolve_target("", target);
            if archive.index_for_name(&candidate).is_some() {
                return Ok(candidate);
            }
        }
    }
    Err(ReadError::corrupt(
        FORMAT,
        "no word/document.xml: not a Word document",
    ))
}

/// The numbering and styles parts of a document, from its relationships,
/// else the usual names.
fn locate_list_parts(
    archive: &mut Archive<'_>,
    document: &str,
    budget: &Budget,
    limits: &Limits,
) -> Result<(Option<String>, Option<String>), ReadError> {
    let (dir, file) = match document.rfind('/') {
        Some(i) => (&document[..i], &document[i + 1..]),
        None => ("", document),
    };
    let rels_name = if dir.is_empty() {
        format!("_rels/{file}.rels")
    } else {
        format!("{dir}/_rels/{file}.rels")
    };
    let mut numbering = None;
    let mut styles = None;
    if archive.index_for_name(&rels_name).is_some() {
        let rels = with_part(archive, &rels_name, budget, limits, read_rels)?;
        for (ty, target) in rels {
            let slot = if ty.ends_with("/numbering") {
                &mut numbering
            } else if ty.ends_with("/styles") {
                &mut styles
            } else {
                continue;
            };
            let name = resolve_target(dir, &target);
            if slot.is_none() && archive.index_for_name(&name).is_some() {
                *slot = Some(name);
            }
        }
    }
    let default =
        |name: &str, archive: &Archive<'_>| archive.index_for_name(name).map(|_| name.to_string());
    let numbering = numbering.or_else(|| default("word/numbering.xml", archive));
    let styles = styles.or_else(|| default("word/styles.xml", archive));
    Ok((numbering, styles))
}

/// (Type, Target) of every internal relationship.
fn read_rels(part: &mut XmlPart<'_>) -> Result<Vec<(String, String)>, ReadError> {
    let mut out = Vec::new();
    loop {
        match part.next()? {
            Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == b"Relationship" => {
                if attr(&e, b"TargetMode").is_some_and(|m| m.eq_ignore_ascii_case("External")) {
                    continue;
                }
                if let (Some(ty), Some(target)) = (attr(&e, b"Type"), attr(&e, b"Target")) {
                    if out.len() < 10_000 {
                        out.push((ty.into_owned(), target.into_owned()));
                    }
                }
            }
            Event::Eof => return Ok(out),
            _ => {}
        }
    }
}

/// Resolves a relationship target against the directory of its source part.
fn resolve_target(base_dir: &str, target: &str) -> String {
    let mut segs: Vec<&str> = Vec::new();
    let target = target.replace('\\', "/");
    if !target.starts_with('/') {
        segs.extend(base_dir.split('/').filter(|s| !s.is_empty()));
    }
    for s in target.split('/') {
        match s {
            "" | "." => {}
            ".." => {
                segs.pop();
            }
            s => segs.push(s),
        }
    }
    segs.join("/")
}

// ---------------------------------------------------------------------------
// Numbering: numbering.xml definitions and Word's counters
// ---------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum NumFmt {
    Decimal,
    DecimalZero,
    DecimalFullWidth,
    UpperRoman,
    LowerRoman,
    UpperLetter,
    LowerLetter,
    ChineseCounting,
    ChineseLegalSimplified,
    IdeographLegalTraditional,
    IdeographDigital,
    IdeographTraditional,
    IdeographZodiac,
    EnclosedCircle,
    EnclosedFullstop,
    EnclosedParen,
    IdeographEnclosedCircle,
    Bullet,
    None,
}

impl NumFmt {
    /// `None` for values this reader does not know (kept from the fallback).
    pub(crate) fn parse(v: &str) -> Option<NumFmt> {
        Some(match v {
            "decimal" | "decimalHalfWidth" | "ordinal" | "cardinalText" | "ordinalText" => {
                NumFmt::Decimal
            }
            "decimalZero" => NumFmt::DecimalZero,
            "decimalFullWidth" | "decimalFullWidth2" => NumFmt::DecimalFullWidth,
            "upperRoman" => NumFmt::UpperRoman,
            "lowerRoman" => NumFmt::LowerRoman,
            "upperLetter" => NumFmt::UpperLetter,
            "lowerLetter" => NumFmt::LowerLetter,
            "chineseCounting"
            | "chineseCountingThousand"
            | "japaneseCounting"
            | "taiwaneseCounting"
            | "taiwaneseCountingThousand"
            | "koreanCounting" => NumFmt::ChineseCounting,
            "chineseLegalSimplified" => NumFmt::ChineseLegalSimplified,
            "ideographLegalTraditional" | "japaneseLegal" => NumFmt::IdeographLegalTraditional,
            "ideographDigital"
            | "taiwaneseDigital"
            | "japaneseDigitalTenThousand"
            | "koreanDigital" => NumFmt::IdeographDigital,
            "ideographTraditional" => NumFmt::IdeographTraditional,
            "ideographZodiac" => NumFmt::IdeographZodiac,
            "decimalEnclosedCircle" | "decimalEnclosedCircleChinese" => NumFmt::EnclosedCircle,
            "decimalEnclosedFullstop" => NumFmt::EnclosedFullstop,
            "decimalEnclosedParen" => NumFmt::EnclosedParen,
            "ideographEnclosedCircle" => NumFmt::IdeographEnclosedCircle,
            "bullet" => NumFmt::Bullet,
            "none" => NumFmt::None,
            _ => return None,
        })
    }
}

/// Renders a counter value in a number format, as Word prints it.
pub(crate) fn format_number(n: u32, fmt: NumFmt) -> String {
    const CN: [char; 10] = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];
    const LEGAL_S: [char; 10] = ['零', '壹', '贰', '叁', '肆', '伍', '陆', '柒', '捌', '玖'];
    const LEGAL_T: [char; 10] = ['零', '壹', '貳', '參', '肆', '伍', '陸', '柒', '捌', '玖'];
    let enclosed = |first: u32, max: u32| {
        if (1..=max).contains(&n) {
            char::from_u32(first + n - 1)
                .map(String::from)
                .unwrap_or_else(|| n.to_string())
        } else {
            n.to_string()
        }
    };
    match fmt {
        NumFmt::Decimal => n.to_string(),
        NumFmt::DecimalZero => format!("{n:02}"),
        NumFmt::DecimalFullWidth => n
            .to_string()
            .chars()
            .map(|c| char::from_u32(c as u32 - '0' as u32 + 0xFF10).unwrap_or(c))
            .collect(),
        NumFmt::UpperRoman => roman(n),
        NumFmt::LowerRoman => roman(n).to_lowercase(),
        NumFmt::UpperLetter => letters(n, b'A'),
        NumFmt::LowerLetter => letters(n, b'a'),
        NumFmt::ChineseCounting => chinese(n, &CN, ['十', '百', '千'], true),
        NumFmt::ChineseLegalSimplified => chinese(n, &LEGAL_S, ['拾', '佰', '仟'], false),
        NumFmt::IdeographLegalTraditional => chinese(n, &LEGAL_T, ['拾', '佰', '仟'], false),
        NumFmt::IdeographDigital => n
            .to_string()
            .chars()
            .map(|c| {
                if c == '0' {
                    '〇'
                } else {
                    CN[(c as u8 - b'0') as usize]
                }
            })
            .collect(),
        NumFmt::IdeographTraditional => cycle(
            n,
            &['甲', '乙', '丙', '丁', '戊', '己', '庚', '辛', '壬', '癸'],
        ),
        NumFmt::IdeographZodiac => cycle(
            n,
            &[
                '子', '丑', '寅', '卯', '辰', '巳', '午', '未', '申', '酉', '戌', '亥',
            ],
        ),
        NumFmt::EnclosedCircle => enclosed(0x2460, 20),
        NumFmt::EnclosedFullstop => enclosed(0x2488, 20),
        NumFmt::EnclosedParen => enclosed(0x2474, 20),
        NumFmt::IdeographEnclosedCircle => enclosed(0x3220, 10),
        NumFmt::Bullet | NumFmt::None => String::new(),
    }
}

fn cycle(n: u32, chars: &[char]) -> String {
    if n == 0 {
        return "0".into();
    }
    chars[((n - 1) as usize) % chars.len()].to_string()
}

fn roman(mut n: u32) -> String {
    if n == 0 || n >= 4000 {
        return n.to_string();
    }
    const TABLE: [(u32, &str); 13] = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut s = String::new();
    for (v, r) in TABLE {
        while n >= v {
            s.push_str(r);
            n -= v;
        }
    }
    s
}

/// Word's letter numbering: A..Z, then AA, BB, .. ZZ, then AAA ...
fn letters(n: u32, base: u8) -> String {
    if n == 0 {
        return "0".into();
    }
    let repeat = ((n - 1) / 26 + 1).min(100) as usize;
    let ch = (base + ((n - 1) % 26) as u8) as char;
    std::iter::repeat_n(ch, repeat).collect()
}

/// Chinese counting numerals up to 9999 (一, 十, 十一, 二十, 一百零一 ...);
/// larger values fall back to Arabic digits.
fn chinese(n: u32, digits: &[char; 10], units: [char; 3], bare_ten: bool) -> String {
    if n == 0 {
        return digits[0].to_string();
    }
    if n >= 10_000 {
        return n.to_string();
    }
    let parts = [(n / 1000) % 10, (n / 100) % 10, (n / 10) % 10, n % 10];
    let mut s = String::new();
    let mut pending_zero = false;
    for (i, &d) in parts.iter().enumerate() {
        if d == 0 {
            if !s.is_empty() {
                pending_zero = true;
            }
            continue;
        }
        if pending_zero {
            s.push(digits[0]);
            pending_zero = false;
        }
        let unit = 3 - i; // 3 thousands, 2 hundreds, 1 tens, 0 ones
        if !(bare_ten && unit == 1 && d == 1 && s.is_empty()) {
            s.push(digits[d as usize]);
        }
        if unit > 0 {
            s.push(units[unit - 1]);
        }
    }
    s
}

#[derive(Debug, Clone)]
struct Level {
    start: u32,
    fmt: NumFmt,
    text: Option<String>,
    /// `w:lvlRestart`: restart after a paragraph at a level below this one
    /// (1-based); 0 = never; `None` = after any higher level.
    restart: Option<u32>,
    is_lgl: bool,
    pstyle: Option<String>,
}

impl Default for Level {
    fn default() -> Self {
        Level {
            start: 1,
            fmt: NumFmt::Decimal,
            text: None,
            restart: None,
            is_lgl: false,
            pstyle: None,
        }
    }
}

#[derive(Debug, Default, Clone)]
struct AbstractNum {
    levels: [Option<Level>; 9],
    style_link: Option<String>,
    num_style_link: Option<String>,
}

#[derive(Debug, Default)]
struct Num {
    abstract_id: u32,
    start_overrides: [Option<u32>; 9],
    level_overrides: [Option<Level>; 9],
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum CounterKey {
    /// Lists that share an abstract definition continue one another in Word.
    Abstract(u32),
    /// A list instance that restarts its numbering has counters of its own.
    Num(u32),
}

#[derive(Debug, Default)]
struct Numbering {
    abstracts: HashMap<u32, AbstractNum>,
    nums: HashMap<u32, Num>,
    counters: HashMap<CounterKey, [Option<u32>; 9]>,
}

/// Caps on definitions kept from numbering.xml (it is read in full).
const MAX_NUMBERING_DEFS: usize = 100_000;

impl Numbering {
    fn is_empty(&self) -> bool {
        self.nums.is_empty()
    }

    fn parse(&mut self, part: &mut XmlPart<'_>) -> Result<(), ReadError> {
        // Where the parser is: the abstractNum or num being read, the level.
        enum Owner {
            None,
            Abstract(u32, AbstractNum),
            Num(u32, Num),
        }
        let mut owner = Owner::None;
        let mut level: Option<(usize, Level)> = None;
        let mut override_ilvl: Option<usize> = None;
        loop {
            let ev = part.next()?;
            let (e, empty) = match &ev {
                Event::Start(e) => (e, false),
                Event::Empty(e) => (e, true),
                Event::End(e) => {
                    let name = e.local_name();
                    match name.as_ref() {
                        b"lvl" => {
                            if let Some((ilvl, lvl)) = level.take() {
                                match (&mut owner, override_ilvl) {
                                    (Owner::Abstract(_, a), _) => a.levels[ilvl] = Some(lvl),
                                    (Owner::Num(_, n), Some(_)) => {
                                        n.level_overrides[ilvl] = Some(lvl)
                                    }
                                    _ => {}
                                }
                            }
                        }
                        b"lvlOverride" => override_ilvl = None,
                        b"abstractNum" | b"num" => match std::mem::replace(&mut owner, Owner::None)
                        {
                            Owner::Abstract(id, a) if self.abstracts.len() < MAX_NUMBERING_DEFS => {
                                self.abstracts.insert(id, a);
                            }
                            Owner::Num(id, n) if self.nums.len() < MAX_NUMBERING_DEFS => {
                                self.nums.insert(id, n);
                            }
                            _ => {}
                        },
                        _ => {}
                    }
                    continue;
                }
                Event::Eof => return Ok(()),
                _ => continue,
            };
            let name = e.local_name();
            match name.as_ref() {
                b"abstractNum" => {
                    if let Some(id) = attr_num(e, b"abstractNumId") {
                        if !empty {
                            owner = Owner::Abstract(
                                id.min(u32::MAX as u64) as u32,
                                AbstractNum::default(),
                            );
                        }
                    }
                }
                b"num" => {
                    if let Some(id) = attr_num(e, b"numId") {
                        if !empty {
                            owner = Owner::Num(id.min(u32::MAX as u64) as u32, Num::default());
                        }
                    }
                }
                b"abstractNumId" => {
                    if let (Owner::Num(_, n), Some(v)) = (&mut owner, attr_num(e, b"val")) {
                        n.abstract_id = v.min(u32::MAX as u64) as u32;
                    }
                }
                b"lvlOverride" => {
                    override_ilvl = attr_num(e, b"ilvl").map(|v| v.min(8) as usize);
                    if empty {
                        override_ilvl = None;
                    }
                }
                b"startOverride" => {
                    if let (Owner::Num(_, n), Some(i), Some(v)) =
                        (&mut owner, override_ilvl, attr_num(e, b"val"))
                    {
                        n.start_overrides[i] = Some(v.min(u32::MAX as u64) as u32);
                    }
                }
                b"lvl" => {
                    let ilvl = attr_num(e, b"ilvl").unwrap_or(0).min(8) as usize;
                    let ilvl = override_ilvl.unwrap_or(ilvl);
                    if !empty {
                        level = Some((ilvl, Level::default()));
                    }
                }
                b"styleLink" => {
                    if let (Owner::Abstract(_, a), Some(v)) = (&mut owner, attr(e, b"val")) {
                        a.style_link = Some(v.into_owned());
                    }
                }
                b"numStyleLink" => {
                    if let (Owner::Abstract(_, a), Some(v)) = (&mut owner, attr(e, b"val")) {
                        a.num_style_link = Some(v.into_owned());
                    }
                }
                _ => {
                    if let Some((_, lvl)) = level.as_mut() {
                        match name.as_ref() {
                            b"start" => {
                                lvl.start =
                                    attr_num(e, b"val").unwrap_or(1).min(u32::MAX as u64) as u32
                            }
                            b"numFmt" => {
                                if let Some(f) = attr(e, b"val").and_then(|v| NumFmt::parse(&v)) {
                                    lvl.fmt = f;
                                }
                            }
                            b"lvlText" => {
                                lvl.text = attr(e, b"val").map(|v| v.chars().take(64).collect())
                            }
                            b"lvlRestart" => {
                                lvl.restart = attr_num(e, b"val").map(|v| v.min(9) as u32)
                            }
                            b"isLgl" => lvl.is_lgl = attr_on(e),
                            b"pStyle" => lvl.pstyle = attr(e, b"val").map(Cow::into_owned),
                            _ => {}
                        }
                    }
                }
            }
        }
    }

    /// Resolves `w:numStyleLink` (an abstract definition that borrows the
    /// levels of the one with the matching `w:styleLink`, via a numbering
    /// style) and records which paragraph styles levels are tied to.
    fn link_styles(&mut self) {
        let by_link: HashMap<String, u32> = self
            .abstracts
            .iter()
            .filter_map(|(id, a)| a.style_link.clone().map(|l| (l, *id)))
            .collect();
        let mut borrowed = Vec::new();
        for (id, a) in &self.abstracts {
            if let Some(src) = a.num_style_link.as_ref().and_then(|l| by_link.get(l)) {
                if let Some(src_def) = self.abstracts.get(src) {
                    borrowed.push((*id, src_def.levels.clone()));
                }
            }
        }
        for (id, levels) in borrowed {
            if let Some(a) = self.abstracts.get_mut(&id) {
                a.levels = levels;
            }
        }
    }

    fn level(&self, num_id: u32, ilvl: usize) -> Option<&Level> {
        let num = self.nums.get(&num_id)?;
        if let Some(l) = &num.level_overrides[ilvl] {
            return Some(l);
        }
        self.abstracts.get(&num.abstract_id)?.levels[ilvl].as_ref()
    }

    fn start(&self, num_id: u32, ilvl: usize) -> u32 {
        let over = self.nums.get(&num_id).and_then(|n| n.start_overrides[ilvl]);
        over.or_else(|| self.level(num_id, ilvl).map(|l| l.start))
            .unwrap_or(1)
    }

    /// The level tied to a paragraph style in this list (`w:lvl/w:pStyle`).
    fn level_for_style(&self, num_id: u32, style: &str) -> Option<u8> {
        (0..9)
            .find(|&i| self.level(num_id, i).and_then(|l| l.pstyle.as_deref()) == Some(style))
            .map(|i| i as u8)
    }

    /// Advances the counters for one numbered paragraph and renders its label.
    fn next_label(&mut self, num_id: u32, ilvl: u8) -> Option<String> {
        let ilvl = (ilvl as usize).min(8);
        let num = self.nums.get(&num_id)?;
        let key = if num.start_overrides.iter().any(Option::is_some) {
            CounterKey::Num(num_id)
        } else {
            CounterKey::Abstract(num.abstract_id)
        };
        let lvl = self.level(num_id, ilvl)?.clone();
        let starts: [u32; 9] = std::array::from_fn(|i| self.start(num_id, i));
        let restarts: [Option<u32>; 9] =
            std::array::from_fn(|i| self.level(num_id, i).and_then(|l| l.restart));
        let counters = self.counters.entry(key).or_default();
        counters[ilvl] = Some(match counters[ilvl] {
            None => starts[ilvl],
            Some(v) => v.saturating_add(1),
        });
        for m in ilvl + 1..9 {
            let reset = match restarts[m] {
                None => true,
                Some(0) => false,
                Some(r) => (ilvl as u32) < r,
            };
            if reset {
                counters[m] = None;
            }
        }
        let values: [u32; 9] = std::array::from_fn(|i| counters[i].unwrap_or(starts[i]));
        let text = lvl.text.as_deref()?;
        let label = if lvl.fmt == NumFmt::Bullet {
            text.chars()
                .filter(|c| !('\u{E000}'..='\u{F8FF}').contains(c))
                .collect::<String>()
        } else {
            let mut out = String::new();
            let mut chars = text.chars().peekable();
            while let Some(c) = chars.next() {
                if c == '%' {
                    if let Some(d) = chars
                        .peek()
                        .and_then(|d| d.to_digit(10))
                        .filter(|d| (1..=9).contains(d))
                    {
                        chars.next();
                        let k = d as usize - 1;
                        let fmt = if lvl.is_lgl {
                            NumFmt::Decimal
                        } else {
                            self.level(num_id, k)
                                .map(|l| l.fmt)
                                .unwrap_or(NumFmt::Decimal)
                        };
                        out.push_str(&format_number(values[k], fmt));
                        continue;
                    }
                }
                out.push(c);
            }
            out
        };
        let label = label.trim().to_string();
        (!label.is_empty()).then_some(label)
    }
}

// ---------------------------------------------------------------------------
// Styles: only which paragraph styles carry list numbering
// ---------------------------------------------------------------------------

#[derive(Debug, Default)]
struct Styles {
    /// styleId -> (basedOn, numId, ilvl) of paragraph styles.
    styles: HashMap<String, StyleDef>,
}

#[derive(Debug, Default)]
struct StyleDef {
    based_on: Option<String>,
    num_id: Option<u32>,
    ilvl: Option<u8>,
}

impl Styles {
    fn parse(&mut self, part: &mut XmlPart<'_>) -> Result<(), ReadError> {
        let mut current: Option<(String, StyleDef)> = None;
        let mut in_ppr = false;
        loop {
            match part.next()? {
                Event::Start(e) | Event::Empty(e) => match e.local_name().as_ref() {
                    b"style" => {
                        let is_para = attr(&e, b"type").is_none_or(|t| t == "paragraph");
                        current = match attr(&e, b"styleId") {
                            Some(id) if is_para => Some((id.into_owned(), StyleDef::default())),
                            _ => None,
                        };
                    }
                    b"pPr" => in_ppr = true,
                    b"basedOn" => {
                        if let Some((_, def)) = current.as_mut() {
                            def.based_on = attr(&e, b"val").map(Cow::into_owned);
                        }
                    }
                    b"numId" if in_ppr => {
                        if let Some((_, def)) = current.as_mut() {
                            def.num_id =
                                attr_num(&e, b"val").map(|v| v.min(u32::MAX as u64) as u32);
                        }
                    }
                    b"ilvl" if in_ppr => {
                        if let Some((_, def)) = current.as_mut() {
                            def.ilvl = attr_num(&e, b"val").map(|v| v.min(8) as u8);
                        }
                    }
                    _ => {}
                },
                Event::End(e) => match e.local_name().as_ref() {
                    b"pPr" => in_ppr = false,
                    b"style" => {
                        if let Some((id, def)) = current.take() {
                            if self.styles.len() < MAX_NUMBERING_DEFS {
                                self.styles.insert(id, def);
                            }
                        }
                    }
                    _ => {}
                },
                Event::Eof => return Ok(()),
                _ => {}
            }
        }
    }

    /// (numId, ilvl) a paragraph style gives, following `w:basedOn`.
    fn numbering(&self, style: &str) -> Option<(u32, Option<u8>)> {
        let mut id = style;
        let mut ilvl = None;
        for _ in 0..MAX_STYLE_CHAIN {
            let def = self.styles.get(id)?;
            if ilvl.is_none() {
                ilvl = def.ilvl;
            }
            if let Some(num) = def.num_id {
                return Some((num, ilvl));
            }
            id = def.based_on.as_deref()?;
        }
        None
    }
}

// ---------------------------------------------------------------------------
// Lazily loaded list definitions
// ---------------------------------------------------------------------------

/// Where numbering.xml and styles.xml come from when they are first needed.
struct PartSource<'z> {
    archive: Archive<'z>,
    budget: Budget,
    limits: Limits,
    document: String,
    /// (numbering, styles) once looked up.
    parts: Option<(Option<String>, Option<String>)>,
}

impl PartSource<'_> {
    /// Parses the numbering (`styles == false`) or styles part, if any.
    fn load(
        &mut self,
        styles: bool,
        f: impl FnOnce(&mut XmlPart<'_>) -> Result<(), ReadError>,
    ) -> Result<(), ReadError> {
        if self.parts.is_none() {
            self.parts = Some(locate_list_parts(
                &mut self.archive,
                &self.document,
                &self.budget,
                &self.limits,
            )?);
        }
        let (numbering, style_part) = self.parts.clone().expect("located");
        match if styles { style_part } else { numbering } {
            Some(name) => with_part(&mut self.archive, &name, &self.budget, &self.limits, f),
            None => Ok(()),
        }
    }
}

/// Numbering definitions, counters and style numbering, loaded on demand.
struct Lists<'z> {
    source: Option<PartSource<'z>>,
    numbering: Option<Numbering>,
    styles: Option<Styles>,
}

impl Lists<'_> {
    fn numbering(&mut self) -> Result<&mut Numbering, ReadError> {
        if self.numbering.is_none() {
            let mut n = Numbering::default();
            if let Some(src) = self.source.as_mut() {
                src.load(false, |p| n.parse(p))?;
                n.link_styles();
            }
            self.numbering = Some(n);
        }
        Ok(self.numbering.as_mut().expect("loaded"))
    }

    fn styles(&mut self) -> Result<&Styles, ReadError> {
        if self.styles.is_none() {
            let mut s = Styles::default();
            if let Some(src) = self.source.as_mut() {
                src.load(true, |p| s.parse(p))?;
            }
            self.styles = Some(s);
        }
        Ok(self.styles.as_ref().expect("loaded"))
    }

    /// The list label of a paragraph, advancing Word's counters. A direct
    /// `w:numId` wins over the paragraph style's; numId 0 means no list.
    fn label(&mut self, p: &ParaState) -> Result<Option<String>, ReadError> {
        if p.num_id == Some(0) || (p.num_id.is_none() && p.style.is_none()) {
            return Ok(None);
        }
        if self.numbering()?.is_empty() {
            return Ok(None);
        }
        let (num_id, style_ilvl) = match (p.num_id, p.style.as_deref()) {
            (Some(n), _) => (n, None),
            (None, Some(style)) => match self.styles()?.numbering(style) {
                Some((n, ilvl)) => (n, ilvl),
                None => return Ok(None),
            },
            (None, None) => return Ok(None),
        };
        if num_id == 0 {
            return Ok(None);
        }
        let numbering = self.numbering()?;
        let ilvl = p
            .ilvl
            .or(style_ilvl)
            .or_else(|| {
                p.style
                    .as_deref()
                    .and_then(|s| numbering.level_for_style(num_id, s))
            })
            .unwrap_or(0);
        Ok(numbering.next_label(num_id, ilvl))
    }
}

// ---------------------------------------------------------------------------
// The document body
// ---------------------------------------------------------------------------

/// The elements whose nesting matters to the parser.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tag {
    P,
    PPr,
    PPrRPr,
    NumPr,
    R,
    RPr,
    T,
    Tbl,
    TblGrid,
    Tr,
    TrPr,
    Tc,
    TcPr,
    Other,
}

#[derive(Debug, Default)]
struct ParaState {
    /// Where this paragraph's text starts in `BodyParser::text`.
    start: usize,
    style: Option<String>,
    num_id: Option<u32>,
    ilvl: Option<u8>,
    mark_deleted: bool,
    run_hidden: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
enum Merge {
    #[default]
    None,
    Restart,
    Continue,
}

#[derive(Debug, Default)]
struct CellState {
    span: usize,
    vmerge: Merge,
    hmerge: Merge,
    /// The cell's content: `TableState::blocks[start..end]`.
    start: usize,
    end: usize,
}

#[derive(Debug, Default)]
struct RowState {
    before: usize,
    after: usize,
    deleted: bool,
    /// The row's cells: `TableState::cells[cell_start..cell_end]`; its
    /// content starts at `TableState::blocks[block_start]`.
    cell_start: usize,
    cell_end: usize,
    block_start: usize,
}

/// A table being read. Everything found inside it goes, in reading order,
/// into one `blocks` arena that cells index into: a layout table hands the
/// arena on as it is, a data table takes its cells' paragraphs out of it.
#[derive(Debug, Default)]
struct TableState {
    grid_cols: usize,
    rows: Vec<RowState>,
    cells: Vec<CellState>,
    blocks: Vec<Block>,
    row: Option<RowState>,
    cell: Option<CellState>,
    /// A table started inside one of this table's cells: layout table.
    nested: bool,
    /// Indices of blocks found in the table outside any cell (malformed).
    loose: Vec<usize>,
}

impl TableState {
    fn open_row(&mut self) -> RowState {
        RowState {
            cell_start: self.cells.len(),
            block_start: self.blocks.len(),
            ..RowState::default()
        }
    }
}

struct BodyParser<'z> {
    lists: Lists<'z>,
    stack: Vec<Tag>,
    /// > 0 while inside a subtree that is not read (deletions, old properties).
    skip: usize,
    paras: Vec<ParaState>,
    tables: Vec<TableState>,
    /// Open complex fields: true while in the instruction part.
    fields: Vec<bool>,
    instr_fields: usize,
    /// Text of paragraphs whose mark was deleted: joins the next paragraph.
    carry: String,
    /// Raw text of the open paragraphs, innermost last (see `ParaState::start`).
    text: String,
    blocks: Vec<Block>,
    cells_left: usize,
    text_left: u64,
}

impl<'z> BodyParser<'z> {
    fn new(lists: Lists<'z>, limits: &Limits) -> Self {
        BodyParser {
            lists,
            stack: Vec::with_capacity(32),
            skip: 0,
            paras: Vec::new(),
            tables: Vec::new(),
            fields: Vec::new(),
            instr_fields: 0,
            carry: String::new(),
            text: String::new(),
            blocks: Vec::new(),
            cells_left: MAX_GRID_CELLS,
            text_left: limits.max_inflated_bytes,
        }
    }

    fn run(&mut self, part: &mut XmlPart<'_>) -> Result<(), ReadError> {
        let mut seen_root = false;
        loop {
            match part.next()? {
                Event::Start(e) => {
                    seen_root = true;
                    if self.skip > 0 {
                        self.skip += 1;
                    } else {
                        let tag = self.open(&e)?;
                        match tag {
                            Some(tag) => self.stack.push(tag),
                            None => self.skip = 1,
                        }
                    }
                }
                Event::Empty(e) => {
                    seen_root = true;
                    if self.skip == 0 {
                        if let Some(tag) = self.open(&e)? {
                            self.close(tag)?;
                        }
                    }
                }
                Event::End(_) => {
                    if self.skip > 0 {
                        self.skip -= 1;
                    } else if let Some(tag) = self.stack.pop() {
                        self.close(tag)?;
                    }
                }
                Event::Text(t) if self.collecting() => self.push_bytes(&t),
                Event::CData(t) if self.collecting() => self.push_bytes(&t),
                Event::GeneralRef(r) if self.collecting() => {
                    let c = if r.is_char_ref() {
                        r.resolve_char_ref().ok().flatten()
                    } else {
                        let name: &[u8] = &r;
                        match name {
                            b"amp" => Some('&'),
                            b"lt" => Some('<'),
                            b"gt" => Some('>'),
                            b"quot" => Some('"'),
                            b"apos" => Some('\''),
                            _ => None,
                        }
                    };
                    if let Some(c) = c {
                        let mut tmp = [0u8; 4];
                        self.push_text(c.encode_utf8(&mut tmp));
                    }
                }
                Event::Eof => break,
                _ => {}
            }
        }
        if !seen_root {
            return Err(ReadError::corrupt(FORMAT, "word/document.xml is empty"));
        }
        Ok(())
    }

    fn parent(&self) -> Option<Tag> {
        self.stack.last().copied()
    }

    fn collecting(&self) -> bool {
        self.skip == 0
            && self.parent() == Some(Tag::T)
            && self.instr_fields == 0
            && self.paras.last().is_some_and(|p| !p.run_hidden)
    }

    fn push_text(&mut self, s: &str) {
        if !self.paras.is_empty() {
            self.text.push_str(s);
        }
    }

    fn push_bytes(&mut self, b: &[u8]) {
        match std::str::from_utf8(b) {
            Ok(s) => self.push_text(s),
            Err(_) => self.push_text(&String::from_utf8_lossy(b)),
        }
    }

    fn push_run_char(&mut self, c: char) {
        if self.instr_fields == 0 && self.paras.last().is_some_and(|p| !p.run_hidden) {
            self.text.push(c);
        }
    }

    /// Handles an opening tag; `None` means: skip its whole subtree.
    fn open(&mut self, e: &BytesStart<'_>) -> Result<Option<Tag>, ReadError> {
        let parent = self.parent();
        let name = local_name(e.name().into_inner());
        let tag = match name {
            b"p" => {
                self.paras.push(ParaState {
                    start: self.text.len(),
                    ..ParaState::default()
                });
                Tag::P
            }
            b"r" => {
                if let Some(p) = self.paras.last_mut() {
                    p.run_hidden = false;
                }
                Tag::R
            }
            b"t" if parent == Some(Tag::R) => Tag::T,
            b"tab" | b"ptab" | b"br" | b"cr" if parent == Some(Tag::R) => {
                self.push_run_char(' ');
                Tag::Other
            }
            b"noBreakHyphen" if parent == Some(Tag::R) => {
                self.push_run_char('-');
                Tag::Other
            }
            b"fldChar" if parent == Some(Tag::R) => {
                match attr_raw(e, b"fldCharType").as_deref() {
                    Some(b"begin") => {
                        self.fields.push(true);
                        self.instr_fields += 1;
                    }
                    Some(b"separate") => {
                        if let Some(f) = self.fields.last_mut() {
                            if *f {
                                *f = false;
                                self.instr_fields -= 1;
                            }
                        }
                    }
                    Some(b"end") => {
                        if let Some(f) = self.fields.pop() {
                            if f {
                                self.instr_fields -= 1;
                            }
                        }
                    }
                    _ => {}
                }
                Tag::Other
            }
            b"rPr" if parent == Some(Tag::R) => Tag::RPr,
            b"vanish" if parent == Some(Tag::RPr) => {
                let on = attr_on(e);
                if let Some(p) = self.paras.last_mut() {
                    p.run_hidden = on;
                }
                Tag::Other
            }
            b"pPr" if parent == Some(Tag::P) => Tag::PPr,
            b"rPr" if parent == Some(Tag::PPr) => Tag::PPrRPr,
            b"pStyle" if parent == Some(Tag::PPr) => {
                // The style matters only for list numbering: a document
                // without numbering definitions needs no style names.
                if !self.lists.numbering()?.is_empty() {
                    let v = attr(e, b"val").map(Cow::into_owned);
                    if let Some(p) = self.paras.last_mut() {
                        p.style = v;
                    }
                }
                Tag::Other
            }
            b"numPr" if parent == Some(Tag::PPr) => Tag::NumPr,
            b"numId" if parent == Some(Tag::NumPr) => {
                let v = attr_num(e, b"val").map(|v| v.min(u32::MAX as u64) as u32);
                if let Some(p) = self.paras.last_mut() {
                    p.num_id = v;
                }
                Tag::Other
            }
            b"ilvl" if parent == Some(Tag::NumPr) => {
                let v = attr_num(e, b"val").map(|v| v.min(8) as u8);
                if let Some(p) = self.paras.last_mut() {
                    p.ilvl = v;
                }
                Tag::Other
            }
            b"del" | b"moveFrom" => {
                match parent {
                    Some(Tag::PPrRPr) => {
                        if let Some(p) = self.paras.last_mut() {
                            p.mark_deleted = true;
                        }
                    }
                    Some(Tag::TrPr) => {
                        if let Some(row) = self.tables.last_mut().and_then(|t| t.row.as_mut()) {
                            row.deleted = true;
                        }
                    }
                    _ => {}
                }
                return Ok(None);
            }
            b"delText" | b"delInstrText" | b"instrText" | b"sdtPr" | b"sdtEndPr" | b"Fallback" => {
                return Ok(None)
            }
            b"tbl" => {
                self.flush_carry();
                if let Some(parent) = self.tables.last_mut() {
                    parent.nested = true;
                }
                self.tables.push(TableState::default());
                Tag::Tbl
            }
            b"tblGrid" if parent == Some(Tag::Tbl) => Tag::TblGrid,
            b"gridCol" if parent == Some(Tag::TblGrid) => {
                if let Some(t) = self.tables.last_mut() {
                    t.grid_cols = (t.grid_cols + 1).min(MAX_COLS);
                }
                Tag::Other
            }
            b"tr" if !self.tables.is_empty() => {
                self.end_cell();
                let t = self.tables.last_mut().expect("checked");
                Self::end_row(t);
                t.row = Some(t.open_row());
                Tag::Tr
            }
            b"trPr" if parent == Some(Tag::Tr) => Tag::TrPr,
            b"gridBefore" | b"gridAfter" if parent == Some(Tag::TrPr) => {
                let n = attr_num(e, b"val").unwrap_or(0).min(MAX_COLS as u64) as usize;
                if let Some(row) = self.tables.last_mut().and_then(|t| t.row.as_mut()) {
                    if name == b"gridBefore" {
                        row.before = n;
                    } else {
                        row.after = n;
                    }
                }
                Tag::Other
            }
            b"tc" if !self.tables.is_empty() => {
                self.end_cell();
                let t = self.tables.last_mut().expect("checked");
                if t.row.is_none() {
                    t.row = Some(t.open_row());
                }
                t.cell = Some(CellState {
                    span: 1,
                    start: t.blocks.len(),
                    ..CellState::default()
                });
                Tag::Tc
            }
            b"tcPr" if parent == Some(Tag::Tc) => Tag::TcPr,
            b"gridSpan" | b"vMerge" | b"hMerge" if parent == Some(Tag::TcPr) => {
                let span = if name == b"gridSpan" {
                    attr_num(e, b"val")
                } else {
                    None
                };
                let merge = match attr_raw(e, b"val").as_deref() {
                    Some(b"restart") => Merge::Restart,
                    _ => Merge::Continue,
                };
                if let Some(cell) = self.tables.last_mut().and_then(|t| t.cell.as_mut()) {
                    match name {
                        b"gridSpan" => {
                            cell.span = span.unwrap_or(1).clamp(1, MAX_COLS as u64) as usize
                        }
                        b"vMerge" => cell.vmerge = merge,
                        _ => cell.hmerge = merge,
                    }
                }
                Tag::Other
            }
            // Old properties of tracked changes (pPrChange, tblGridChange ...).
            _ if name.ends_with(b"Change") => return Ok(None),
            _ => Tag::Other,
        };
        Ok(Some(tag))
    }

    fn close(&mut self, tag: Tag) -> Result<(), ReadError> {
        match tag {
            Tag::P => self.end_paragraph()?,
            Tag::Tc => self.end_cell(),
            Tag::Tr => {
                self.end_cell();
                if let Some(t) = self.tables.last_mut() {
                    Self::end_row(t);
                }
            }
            Tag::Tbl => self.end_table()?,
            _ => {}
        }
        Ok(())
    }

    /// Appends a finished block where it belongs: the innermost open table,
    /// or the body.
    fn push_block(&mut self, block: Block) {
        match self.tables.last_mut() {
            Some(t) => {
                if t.cell.is_none() {
                    t.loose.push(t.blocks.len());
                }
                t.blocks.push(block);
            }
            None => self.blocks.push(block),
        }
    }

    fn flush_carry(&mut self) {
        if !self.carry.is_empty() {
            let text = collapse(&std::mem::take(&mut self.carry));
            if !text.is_empty() {
                self.push_block(Block::Paragraph(Paragraph::new(text)));
            }
        }
    }

    fn end_paragraph(&mut self) -> Result<(), ReadError> {
        let Some(p) = self.paras.pop() else {
            return Ok(());
        };
        // A field whose instruction never reached its separator does not
        // swallow the rest of the document.
        if self.instr_fields > 0 {
            self.fields.iter_mut().for_each(|f| *f = false);
            self.instr_fields = 0;
        }
        let start = p.start.min(self.text.len());
        if p.mark_deleted {
            self.carry.push_str(&self.text[start..]);
            self.text.truncate(start);
            return Ok(());
        }
        let label = self.lists.label(&p)?;
        let text = if self.carry.is_empty() {
            collapse(&self.text[start..])
        } else {
            self.carry.push_str(&self.text[start..]);
            let t = collapse(&self.carry);
            self.carry.clear();
            t
        };
        // Text of the enclosing paragraph (this one may sit in a text box
        // inside it) stays in the buffer.
        self.text.truncate(start);
        if text.is_empty() && label.is_none() {
            return Ok(());
        }
        self.push_block(Block::Paragraph(Paragraph {
            text,
            list_label: label,
        }));
        Ok(())
    }

    fn end_cell(&mut self) {
        if self.tables.last().is_some_and(|t| t.cell.is_some()) {
            self.flush_carry();
        }
        if let Some(t) = self.tables.last_mut() {
            if let Some(mut cell) = t.cell.take() {
                cell.end = t.blocks.len();
                if t.row.is_none() {
                    t.row = Some(t.open_row());
                }
                t.cells.push(cell);
            }
        }
    }

    /// Closes the open row; a tracked-deleted row and its content vanish.
    fn end_row(t: &mut TableState) {
        if let Some(mut row) = t.row.take() {
            if row.deleted {
                t.cells.truncate(row.cell_start);
                t.blocks.truncate(row.block_start);
                t.loose.retain(|&i| i < row.block_start);
            } else {
                row.cell_end = t.cells.len();
                t.rows.push(row);
            }
        }
    }

    fn end_table(&mut self) -> Result<(), ReadError> {
        self.end_cell();
        let Some(mut t) = self.tables.pop() else {
            return Ok(());
        };
        Self::end_row(&mut t);
        if t.nested {
            // Layout table: its content in reading order, without the frame.
            for block in std::mem::take(&mut t.blocks) {
                self.push_block(block);
            }
            return Ok(());
        }
        for i in std::mem::take(&mut t.loose) {
            if let Some(b) = t.blocks.get_mut(i) {
                let b = std::mem::replace(b, Block::Paragraph(Paragraph::default()));
                self.push_block(b);
            }
        }
        if let Some(table) = self.build_grid(t)? {
            self.push_block(Block::Table(table));
        }
        Ok(())
    }

    /// Places the cells of a data table on its grid.
    fn build_grid(&mut self, mut t: TableState) -> Result<Option<Table>, ReadError> {
        let grid_cols = t.grid_cols;
        let mut grid: Vec<Vec<GridCell>> = Vec::with_capacity(t.rows.len());
        // Which positions of the previous row a real cell covered.
        let mut prev_real: Vec<bool> = Vec::new();
        let mut real: Vec<bool> = Vec::new();
        let mut placed = 0;
        for row in &t.rows {
            let row_cells = &t.cells[row.cell_start..row.cell_end];
            let mut cells: Vec<GridCell> = Vec::with_capacity(grid_cols.max(row_cells.len()));
            real.clear();
            let before = row.before.min(MAX_COLS);
            cells.resize(before, GridCell::default());
            real.resize(before, false);
            for cell in row_cells {
                let col = cells.len();
                if col >= MAX_COLS {
                    break;
                }
                let room = if col < grid_cols {
                    grid_cols - col
                } else {
                    MAX_COLS - col
                };
                let span = cell.span.clamp(1, room.max(1));
                let (mut text, origin) =
                    if cell.hmerge == Merge::Continue && col > 0 && real[col - 1] {
                        (cells[col - 1].text.clone(), false)
                    } else if cell.vmerge == Merge::Continue
                        && prev_real.get(col).copied().unwrap_or(false)
                    {
                        (
                            grid.last()
                                .map(|r: &Vec<GridCell>| r[col].text.clone())
                                .unwrap_or_default(),
                            false,
                        )
                    } else {
                        (cell_text(&mut t.blocks[cell.start..cell.end]), true)
                    };
                self.charge(span, text.len() as u64 * span as u64)?;
                for i in 0..span {
                    let text = if i + 1 == span {
                        std::mem::take(&mut text)
                    } else {
                        text.clone()
                    };
                    cells.push(GridCell {
                        text,
                        is_origin: origin && i == 0,
                    });
                    real.push(true);
                }
            }
            let after = row.after.min(MAX_COLS - cells.len().min(MAX_COLS));
            cells.resize(cells.len() + after, GridCell::default());
            real.resize(cells.len(), false);
            self.charge(before + after, 0)?;
            placed += cells.len();
            std::mem::swap(&mut prev_real, &mut real);
            grid.push(cells);
        }
        if grid.is_empty() {
            return Ok(None);
        }
        let cols = grid.iter().map(Vec::len).max().unwrap_or(0);
        // Ragged rows are padded to the widest.
        self.charge(grid.len() * cols - placed, 0)?;
        Ok(Some(Table::from_grid(
            TableOrigin::Flow { index: 0 },
            cols,
            grid,
        )))
    }

    fn charge(&mut self, cells: usize, text: u64) -> Result<(), ReadError> {
        if cells > self.cells_left || text > self.text_left {
            return Err(ReadError::TooLarge(format!(
                "tables over {MAX_GRID_CELLS} grid positions or over the text limit once merged cells are expanded"
            )));
        }
        self.cells_left -= cells;
        self.text_left -= text;
        Ok(())
    }

    fn finish(mut self) -> Result<Document, ReadError> {
        // Close anything a (complete but odd) document left open.
        while let Some(tag) = self.stack.pop() {
            self.close(tag)?;
        }
        self.flush_carry();
        let mut index = 0;
        for block in &mut self.blocks {
            if let Block::Table(t) = block {
                index += 1;
                t.origin = TableOrigin::Flow { index };
            }
        }
        Ok(Document {
            blocks: self.blocks,
        })
    }
}

/// A data cell's text: its paragraphs (with their list labels) joined with a
/// space.
fn cell_text(blocks: &mut [Block]) -> String {
    if let [Block::Paragraph(p)] = blocks {
        if p.list_label.is_none() {
            return std::mem::take(&mut p.text);
        }
    }
    let mut out = String::new();
    for b in blocks.iter() {
        if let Block::Paragraph(p) = b {
            let parts = p
                .list_label
                .iter()
                .map(String::as_str)
                .chain(std::iter::once(p.text.as_str()));
            let empty = p.text.is_empty() && p.list_label.is_none();
            if !out.is_empty() && !empty {
                out.push(' ');
            }
            for part in parts {
                out.push_str(part);
            }
        }
    }
    out
}

/// Collapses every whitespace run (including U+3000 and NBSP) to one space
/// and trims: the same as splitting on `char::is_whitespace`, done on bytes
/// (the whitespace characters all start with a byte <= 0x20 or 0xC2, 0xE1,
/// 0xE2, 0xE3; CJK text is copied in runs).
pub(crate) fn collapse(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = String::with_capacity(s.len());
    let mut run = 0; // start of the pending run of non-space text
    let mut space = false;
    let mut i = 0;
    while i < b.len() {
        let w = whitespace_len(b, i);
        if w == 0 {
            i += 1;
            continue;
        }
        if run < i {
            if space && !out.is_empty() {
                out.push(' ');
            }
            out.push_str(&s[run..i]);
        }
        space = true;
        i += w;
        run = i;
    }
    if run < b.len() {
        if space && !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&s[run..]);
    }
    out
}

/// Byte length of the whitespace character starting at `b[i]` (as
/// `char::is_whitespace` defines it), or 0.
#[inline]
fn whitespace_len(b: &[u8], i: usize) -> usize {
    match b[i] {
        b' ' | b'\t' | b'\n' | 0x0B | 0x0C | b'\r' => 1,
        0xC2 => matches!(b.get(i + 1), Some(0x85 | 0xA0)) as usize * 2,
        0xE1 => (b.get(i + 1..i + 3) == Some(&[0x9A, 0x80])) as usize * 3,
        0xE2 => match (b.get(i + 1), b.get(i + 2)) {
            (Some(0x80), Some(0x80..=0x8A | 0xA8 | 0xA9 | 0xAF)) | (Some(0x81), Some(0x9F)) => 3,
            _ => 0,
        },
        0xE3 => (b.get(i + 1..i + 3) == Some(&[0x80, 0x80])) as usize * 3,
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_counting_matches_word() {
        let f = |n| format_number(n, NumFmt::ChineseCounting);
        assert_eq!(f(1), "一");
        assert_eq!(f(6), "六");
        assert_eq!(f(10), "十");
        assert_eq!(f(11), "十一");
        assert_eq!(f(20), "二十");
        assert_eq!(f(21), "二十一");
        assert_eq!(f(100), "一百");
        assert_eq!(f(101), "一百零一");
        assert_eq!(f(110), "一百一十");
        assert_eq!(f(1001), "一千零一");
        assert_eq!(format_number(12, NumFmt::ChineseLegalSimplified), "壹拾贰");
        assert_eq!(format_number(3, NumFmt::EnclosedParen), "⑶");
        assert_eq!(format_number(2, NumFmt::EnclosedCircle), "②");
        assert_eq!(format_number(28, NumFmt::UpperLetter), "BB");
        assert_eq!(format_number(14, NumFmt::LowerRoman), "xiv");
        assert_eq!(format_number(7, NumFmt::DecimalZero), "07");
        assert_eq!(format_number(12, NumFmt::DecimalFullWidth), "１２");
        assert_eq!(format_number(10, NumFmt::IdeographDigital), "一〇");
        assert_eq!(format_number(2, NumFmt::IdeographTraditional), "乙");
    }

    #[test]
    fn collapse_whitespace() {
        assert_eq!(
            collapse("\u{3000}\u{3000}一、 总体 \t情况\u{a0} "),
            "一、 总体 情况"
        );
        assert_eq!(collapse("   "), "");
        // Same as splitting on char::is_whitespace, for every whitespace char.
        let ws: Vec<char> = (0..=0x3000u32)
            .filter_map(char::from_u32)
            .filter(|c| c.is_whitespace())
            .collect();
        for &w in &ws {
            let s = format!("{w}一{w}{w}、 b{w}");
            let want = s.split_whitespace().collect::<Vec<_>>().join(" ");
            assert_eq!(collapse(&s), want, "U+{:04X}", w as u32);
        }
        for s in [
            "abc",
            " a",
            "a ",
            "a  b",
            "a\tb",
            "",
            "\u{3000}x\u{3000}",
            "x\u{a0}y",
            "\u{2028}",
        ] {
            assert_eq!(
                collapse(s),
                s.split_whitespace().collect::<Vec<_>>().join(" "),
                "{s:?}"
            );
        }
    }

    #[test]
    fn targets_resolve() {
        assert_eq!(resolve_target("", "word/document.xml"), "word/document.xml");
        assert_eq!(
            resolve_target("", "/word/document2.xml"),
            "word/document2.xml"
        );
        assert_eq!(
            resolve_target("word", "numbering.xml"),
            "word/numbering.xml"
        );
        assert_eq!(
            resolve_target("word", "../customXml/item1.xml"),
            "customXml/item1.xml"
        );
        assert_eq!(
            resolve_target("word", "/word/styles.xml"),
            "word/styles.xml"
        );
    }

    const W: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main""#;

    fn numbering_xml(fmt: &str, text: &str) -> String {
        format!(
            r#"<w:numbering {W}><w:abstractNum w:abstractNumId="3"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/><w:lvlText w:val="{text}"/></w:lvl><w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/></w:lvl></w:abstractNum><w:num w:numId="7"><w:abstractNumId w:val="3"/></w:num><w:num w:numId="8"><w:abstractNumId w:val="3"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="5"/></w:lvlOverride></w:num></w:numbering>"#
        )
    }

    fn parse_numbering(xml: &str) -> Numbering {
        let mut n = Numbering::default();
        let mut part = XmlPart::new("numbering.xml", xml.as_bytes(), 64);
        n.parse(&mut part).unwrap();
        n
    }

    #[test]
    fn numbering_counters_and_levels() {
        let mut n = parse_numbering(&numbering_xml("chineseCounting", "%1、"));
        assert_eq!(n.next_label(7, 0).as_deref(), Some("一、"));
        assert_eq!(n.next_label(7, 1).as_deref(), Some("（一）"));
        assert_eq!(n.next_label(7, 1).as_deref(), Some("（二）"));
        assert_eq!(n.next_label(7, 0).as_deref(), Some("二、"));
        // level 1 restarted after level 0
        assert_eq!(n.next_label(7, 1).as_deref(), Some("（一）"));
        // numId 8 restarts at 5 with its own counters
        assert_eq!(n.next_label(8, 0).as_deref(), Some("五、"));
        assert_eq!(n.next_label(8, 0).as_deref(), Some("六、"));
        // numId 7 continues
        assert_eq!(n.next_label(7, 0).as_deref(), Some("三、"));
        assert_eq!(n.next_label(99, 0), None);
    }

    fn body(xml_body: &str) -> Document {
        let xml = format!(
            r#"<?xml version="1.0"?><w:document {W}><w:body>{xml_body}</w:body></w:document>"#
        );
        let numbering = parse_numbering(&numbering_xml("chineseCounting", "%1、"));
        let lists = Lists {
            source: None,
            numbering: Some(numbering),
            styles: Some(Styles::default()),
        };
        let mut p = BodyParser::new(lists, &Limits::default());
        let mut part = XmlPart::new("word/document.xml", xml.as_bytes(), 64);
        p.run(&mut part).unwrap();
        p.finish().unwrap()
    }

    fn paras(doc: &Document) -> Vec<String> {
        doc.blocks
            .iter()
            .filter_map(|b| match b {
                Block::Paragraph(p) => Some(p.display_text()),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn runs_fields_tracked_changes() {
        let doc = body(concat!(
            r#"<w:p><w:r><w:t>广阳</w:t></w:r><w:hyperlink><w:r><w:t xml:space="preserve">镇 </w:t></w:r></w:hyperlink>"#,
            r#"<w:ins><w:r><w:t>2023</w:t></w:r></w:ins><w:del><w:r><w:delText>2022</w:delText></w:r></w:del>"#,
            r#"<w:r><w:t>年&amp;</w:t><w:tab/><w:t>报告</w:t></w:r></w:p>"#,
            r#"<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText>PAGE</w:instrText></w:r>"#,
            r#"<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>3</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>"#,
            r#"<w:fldSimple w:instr="NUMPAGES"><w:r><w:t>9</w:t></w:r></w:fldSimple></w:p>"#,
            r#"<w:sdt><w:sdtPr><w:alias w:val="x"/><w:placeholder><w:docPart w:val="y"/></w:placeholder></w:sdtPr><w:sdtContent><w:p><w:r><w:t>控件</w:t></w:r></w:p></w:sdtContent></w:sdt>"#,
            r#"<w:p><w:r><w:rPr><w:vanish/></w:rPr><w:t>隐藏</w:t></w:r><w:moveFrom><w:r><w:t>旧</w:t></w:r></w:moveFrom><w:moveTo><w:r><w:t>新</w:t></w:r></w:moveTo></w:p>"#,
            r#"<w:p><w:pPr><w:rPr><w:del w:id="1"/></w:rPr></w:pPr><w:r><w:t>前半</w:t></w:r></w:p><w:p><w:r><w:t>后半</w:t></w:r></w:p>"#,
        ));
        assert_eq!(
            paras(&doc),
            ["广阳镇 2023年& 报告", "39", "控件", "新", "前半后半"]
        );
    }

    #[test]
    fn list_labels_from_numpr() {
        let doc = body(concat!(
            r#"<w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="7"/></w:numPr></w:pPr><w:r><w:t>总体情况</w:t></w:r></w:p>"#,
            r#"<w:p><w:r><w:t>正文</w:t></w:r></w:p>"#,
            r#"<w:p><w:pPr><w:pPrChange><w:pPr><w:numPr><w:numId w:val="8"/></w:numPr></w:pPr></w:pPrChange><w:numPr><w:numId w:val="7"/></w:numPr></w:pPr><w:r><w:t>主动公开</w:t></w:r></w:p>"#,
            r#"<w:p><w:pPr><w:numPr><w:numId w:val="0"/></w:numPr></w:pPr><w:r><w:t>无编号</w:t></w:r></w:p>"#,
        ));
        let Block::Paragraph(p) = &doc.blocks[0] else {
            panic!()
        };
        assert_eq!(p.list_label.as_deref(), Some("一、"));
        assert_eq!(p.text, "总体情况");
        assert_eq!(
            paras(&doc),
            ["一、总体情况", "正文", "二、主动公开", "无编号"]
        );
    }

    fn tables(doc: &Document) -> Vec<&Table> {
        doc.blocks
            .iter()
            .filter_map(|b| match b {
                Block::Table(t) => Some(t),
                _ => None,
            })
            .collect()
    }

    fn tc(text: &str, props: &str) -> String {
        format!("<w:tc><w:tcPr>{props}</w:tcPr><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:tc>")
    }

    #[test]
    fn grid_spans_merges_and_gaps() {
        let grid = r#"<w:tblGrid><w:gridCol/><w:gridCol/><w:gridCol/><w:gridCol/></w:tblGrid>"#;
        let xml = format!(
            "<w:tbl>{grid}<w:tr>{}{}</w:tr><w:tr>{}{}{}</w:tr><w:tr><w:trPr><w:gridBefore w:val=\"1\"/><w:gridAfter w:val=\"1\"/></w:trPr>{}{}</w:tr><w:tr><w:trPr><w:del w:id=\"3\"/></w:trPr>{}</w:tr></w:tbl>",
            tc("A", r#"<w:vMerge w:val="restart"/>"#),
            tc("B", r#"<w:gridSpan w:val="1000000"/>"#),
            tc("", "<w:vMerge/>"),
            tc("C", ""),
            tc("D", r#"<w:gridSpan w:val="2"/>"#),
            tc("E", "<w:vMerge/>"),
            tc("F", ""),
            tc("deleted row", ""),
        );
        let doc = body(&xml);
        let t = tables(&doc)[0];
        assert_eq!((t.rows(), t.cols()), (3, 4));
        assert_eq!(t.row_texts(0).collect::<Vec<_>>(), ["A", "B", "B", "B"]);
        assert_eq!(t.row_texts(1).collect::<Vec<_>>(), ["A", "C", "D", "D"]);
        assert!(!t.cell(1, 0).is_origin && t.cell(0, 0).is_origin && !t.cell(0, 2).is_origin);
        // vMerge continue at col 1: the cell above is C (an origin), so E reads C
        assert_eq!(t.row_texts(2).collect::<Vec<_>>(), ["", "C", "F", ""]);
        assert!(!t.cell(2, 0).is_origin && !t.cell(2, 1).is_origin && t.cell(2, 2).is_origin);
        assert_eq!(t.origin, TableOrigin::Flow { index: 1 });
    }

    #[test]
    fn layout_table_is_flattened() {
        let inner = format!("<w:tbl><w:tr>{}{}</w:tr></w:tbl>", tc("x", ""), tc("y", ""));
        let xml = format!(
            "<w:tbl><w:tr><w:tc><w:p><w:r><w:t>标题</w:t></w:r></w:p>{inner}<w:p><w:r><w:t>结尾</w:t></w:r></w:p></w:tc></w:tr></w:tbl><w:tbl><w:tr>{}</w:tr></w:tbl>",
            tc("z", "")
        );
        let doc = body(&xml);
        assert_eq!(doc.blocks.len(), 4);
        assert_eq!(paras(&doc), ["标题", "结尾"]);
        let ts = tables(&doc);
        assert_eq!(ts[0].row_texts(0).collect::<Vec<_>>(), ["x", "y"]);
        assert_eq!(ts[0].origin, TableOrigin::Flow { index: 1 });
        assert_eq!(ts[1].origin, TableOrigin::Flow { index: 2 });
    }

    #[test]
    fn stray_paragraphs_in_a_table_come_before_it() {
        let xml = format!(
            "<w:tbl><w:p><w:r><w:t>stray</w:t></w:r></w:p><w:tr>{}</w:tr><w:tr><w:trPr><w:del/></w:trPr>{}</w:tr></w:tbl>",
            tc("a", ""),
            tc("gone", "")
        );
        let doc = body(&xml);
        assert_eq!(paras(&doc), ["stray"]);
        let t = tables(&doc)[0];
        assert_eq!((t.rows(), t.cols()), (1, 1));
        assert_eq!(t.cell(0, 0).text, "a");
    }

    #[test]
    fn truncated_and_too_deep_fail() {
        let limits = Limits::default();
        let lists = || Lists {
            source: None,
            numbering: None,
            styles: None,
        };
        let mut p = BodyParser::new(lists(), &limits);
        let xml = format!("<w:document {W}><w:body><w:p><w:r><w:t>abc</w:t>");
        let mut part = XmlPart::new("word/document.xml", xml.as_bytes(), 64);
        let err = p.run(&mut part).unwrap_err();
        assert!(err.to_string().contains("truncated"), "{err}");

        let deep = "<a>".repeat(100);
        let mut part = XmlPart::new("word/document.xml", deep.as_bytes(), 64);
        let mut p = BodyParser::new(lists(), &limits);
        assert!(matches!(p.run(&mut part), Err(ReadError::TooLarge(_))));
    }
}
