//! Styles: only which paragraph styles carry list numbering.

use std::borrow::Cow;
use std::collections::HashMap;

use quick_xml::events::Event;

use super::numbering::MAX_NUMBERING_DEFS;
use super::MAX_STYLE_CHAIN;
use crate::readers::container::xml::{attr, attr_num, XmlPart};
use crate::readers::ReadError;

#[derive(Debug, Default)]
pub(super) struct Styles {
    /// styleId -> (basedOn, numId, ilvl) of paragraph styles.
    styles: HashMap<String, StyleDef>,
}

#[derive(Debug, Default)]
pub(super) struct StyleDef {
    based_on: Option<String>,
    num_id: Option<u32>,
    ilvl: Option<u8>,
}

impl Styles {
    pub(super) fn parse(&mut self, part: &mut XmlPart<'_>) -> Result<(), ReadError> {
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
    pub(super) fn numbering(&self, style: &str) -> Option<(u32, Option<u8>)> {
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
