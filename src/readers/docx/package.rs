//! The package around the body: where the document, numbering and styles
//! parts are (relationships), and the list definitions loaded lazily from
//! them when the first numbered paragraph needs them.

use quick_xml::events::Event;

use super::body::ParaState;
use super::numbering::Numbering;
use super::styles::Styles;
use super::{with_part, FORMAT};
use crate::readers::container::xml::{attr, XmlPart};
use crate::readers::container::zip::Zip;
use crate::readers::{Limits, ReadError};

/// The main document part: `word/document.xml` (what detection requires), or
/// wherever `_rels/.rels` points when a producer named it otherwise.
pub(super) fn locate_document(archive: &mut Zip<'_>, limits: &Limits) -> Result<String, ReadError> {
    const DEFAULT: &str = "word/document.xml";
    if archive.has(DEFAULT) {
        return Ok(DEFAULT.into());
    }
    if archive.has("_rels/.rels") {
        let rels = with_part(archive, "_rels/.rels", limits, read_rels)?;
        if let Some((_, target)) = rels.iter().find(|(ty, _)| ty.ends_with("/officeDocument")) {
            let candidate = resolve_target("", target);
            if archive.has(&candidate) {
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
    archive: &mut Zip<'_>,
    document: &str,
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
    if archive.has(&rels_name) {
        let rels = with_part(archive, &rels_name, limits, read_rels)?;
        for (ty, target) in rels {
            let slot = if ty.ends_with("/numbering") {
                &mut numbering
            } else if ty.ends_with("/styles") {
                &mut styles
            } else {
                continue;
            };
            let name = resolve_target(dir, &target);
            if slot.is_none() && archive.has(&name) {
                *slot = Some(name);
            }
        }
    }
    let default = |name: &str, archive: &Zip<'_>| archive.has(name).then(|| name.to_string());
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
pub(super) fn resolve_target(base_dir: &str, target: &str) -> String {
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

/// Where numbering.xml and styles.xml come from when they are first needed.
pub(super) struct PartSource<'z> {
    pub(super) archive: Zip<'z>,
    pub(super) limits: Limits,
    pub(super) document: String,
    /// (numbering, styles) once looked up.
    pub(super) parts: Option<(Option<String>, Option<String>)>,
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
                &self.limits,
            )?);
        }
        let (numbering, style_part) = self.parts.clone().expect("located");
        match if styles { style_part } else { numbering } {
            Some(name) => with_part(&mut self.archive, &name, &self.limits, f),
            None => Ok(()),
        }
    }
}

/// Numbering definitions, counters and style numbering, loaded on demand.
pub(super) struct Lists<'z> {
    pub(super) source: Option<PartSource<'z>>,
    pub(super) numbering: Option<Numbering>,
    pub(super) styles: Option<Styles>,
}

impl Lists<'_> {
    pub(super) fn numbering(&mut self) -> Result<&mut Numbering, ReadError> {
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

    pub(super) fn styles(&mut self) -> Result<&Styles, ReadError> {
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
    pub(super) fn label(&mut self, p: &ParaState) -> Result<Option<String>, ReadError> {
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
