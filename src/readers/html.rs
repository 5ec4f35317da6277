//! HTML reader (scraper). Placeholder.
use super::{Limits, ReadError};
use crate::document::Document;

pub fn read(_bytes: &[u8], _limits: &Limits) -> Result<Document, ReadError> {
    Err(ReadError::Unsupported("HTML reader not built yet".into()))
}
