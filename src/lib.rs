//! nianbao: converts Chinese government information-disclosure annual reports
//! (政府信息公开工作年度报告) into one normalized JSON schema and checks that
//! their tables add up.
//!
//! Data flows one way: [`readers`] (bytes -> [`document::Document`]) ->
//! [`recognize`] (Document -> [`report::Report`] with canonical keys) ->
//! [`checks`] (Report -> findings) -> [`output`] writers.

pub mod archive;
pub mod audit;
pub mod checks;
pub mod codes;
pub mod document;
pub mod inputs;
pub mod output;
pub mod pipeline;
pub mod readers;
pub mod recognize;
pub mod report;
pub mod schema;
pub mod show;
pub mod source;
pub mod sqlite;
pub mod templates;
pub mod values;

/// What the benches and fuzz targets need beyond the library's API (floors
/// to measure against). Not part of the API: it may change at any time.
#[doc(hidden)]
pub mod internals {
    pub use crate::readers::decode::decode;
    pub use crate::readers::html::sniff_charset;
    /// The glued-digit search, for its bench and its budget test.
    pub use crate::recognize::segment::{candidates, Candidates, Run, Work, ROW_BUDGET};
    /// Forgets this thread's label verdicts and normalized texts cached
    /// across reports, so a bench can measure recognition with a cold cache
    /// (a report of labels never seen).
    pub fn clear_label_cache() {
        clear_label_verdicts();
        crate::recognize::clear_label_texts();
    }
    #[doc(hidden)]
    pub use crate::recognize::tables::row_matcher::verdicts::clear as clear_label_verdicts;
}
