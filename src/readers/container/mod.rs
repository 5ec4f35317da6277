//! Container code shared across formats (as calamine shares its `cfb.rs`):
//! the bounded ZIP every OOXML/ODF reader opens, the OLE compound-file
//! walker of the legacy `.doc`/`.xls` readers, and the XML part helper.
//! Each limit lives here once, so a new reader cannot forget one.

pub(crate) mod cfb;
pub(crate) mod xml;
pub(crate) mod zip;
