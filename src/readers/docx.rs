//! DOCX reader (zip + quick-xml). Placeholder until the DOCX issue lands.
use super::{Limits, ReadError};
use crate::document::Document;

pub fn read(_bytes: &[u8], _limits: &Limits) -> Result<Document, ReadError> {
    Err(ReadError::Unsupported("DOCX reader not built yet".into()))
}
