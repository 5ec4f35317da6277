//! One XML part being pulled through quick-xml with the limits every
//! OOXML reader needs: element depth capped (`Limits::max_depth`: the
//! readers keep a stack per level, so depth is memory), truncation reported
//! (quick-xml ends a cut document quietly), every failure a [`ReadError`]
//! naming the part. Events borrow the inflated bytes; nothing is copied.
//! Plus the attribute helpers the readers share.

use std::borrow::Cow;

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

use crate::readers::ReadError;

fn xml_error(label: &str, part: &str, e: quick_xml::Error, pos: u64) -> ReadError {
    ReadError::corrupt(label, format!("{part}: malformed XML near byte {pos}: {e}")).caused_by(e)
}

/// One XML part being parsed: tracks element depth, turns every failure into
/// a [`ReadError`] naming the part, and reports truncation at the end.
/// Events borrow the inflated bytes, nothing is copied.
pub(crate) struct XmlPart<'x> {
    label: &'static str,
    name: &'x str,
    reader: Reader<&'x [u8]>,
    depth: usize,
    max_depth: usize,
    done: bool,
}

impl<'x> XmlPart<'x> {
    /// `label` names the format in messages ("DOCX"), `name` the part.
    pub(crate) fn new(label: &'static str, name: &'x str, xml: &'x [u8], max_depth: usize) -> Self {
        let mut reader = Reader::from_reader(xml);
        let config = reader.config_mut();
        config.trim_text(false);
        config.expand_empty_elements = false;
        config.check_end_names = true;
        XmlPart {
            label,
            name,
            reader,
            depth: 0,
            max_depth,
            done: false,
        }
    }

    /// The next event; `Event::Eof` only after a complete document.
    #[inline(always)]
    pub(crate) fn next(&mut self) -> Result<Event<'x>, ReadError> {
        if self.done {
            return Ok(Event::Eof);
        }
        let ev = match self.reader.read_event() {
            Ok(ev) => ev,
            Err(e) => {
                return Err(xml_error(
                    self.label,
                    self.name,
                    e,
                    self.reader.error_position(),
                ))
            }
        };
        match &ev {
            Event::Start(_) => {
                self.depth += 1;
                if self.depth > self.max_depth {
                    return Err(ReadError::over_limit(format!(
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
                        self.label,
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
pub(crate) fn attr<'a>(e: &'a BytesStart<'_>, local: &[u8]) -> Option<Cow<'a, str>> {
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
pub(crate) fn local_name(name: &[u8]) -> &[u8] {
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
pub(crate) fn attr_raw<'a>(e: &'a BytesStart<'_>, local: &[u8]) -> Option<Cow<'a, [u8]>> {
    let mut attrs = e.attributes();
    attrs.with_checks(false);
    attrs
        .flatten()
        .find(|a| a.key.local_name().as_ref() == local)
        .map(|a| a.value)
}

/// A non-negative integer attribute; garbage reads as `None`, huge values
/// saturate (the grid clamps them).
pub(crate) fn attr_num(e: &BytesStart<'_>, local: &[u8]) -> Option<u64> {
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
pub(crate) fn attr_on(e: &BytesStart<'_>) -> bool {
    match attr_raw(e, b"val") {
        None => true,
        Some(v) => !matches!(v.as_ref(), b"0" | b"false" | b"off"),
    }
}
