//! Container code shared across formats (as calamine shares its `cfb.rs`):
//! the bounded ZIP every OOXML/ODF reader opens, and the XML part helper.
//! Each limit lives here once, so a new reader cannot forget one.

pub(crate) mod xml;
pub(crate) mod zip;
