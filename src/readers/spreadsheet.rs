//! Spreadsheet reader (calamine). Placeholder until the spreadsheet issue lands.
use super::{Format, Limits, ReadError};
use crate::document::Document;

pub fn read(_bytes: &[u8], _format: Format, _limits: &Limits) -> Result<Document, ReadError> {
    Err(ReadError::Unsupported("spreadsheet reader not built yet".into()))
}
