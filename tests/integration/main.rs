//! The one integration test binary (as ripgrep keeps its tests): each module
//! below is one area, over `samples/` and generated fixtures; `common` holds
//! the shared helpers. One binary links the crate and the dev-dependencies
//! once instead of once per file.

#[allow(dead_code)]
mod common;
/// The corpus generator (`examples/gen_corpus`), shared by the corpus tests
/// (its `mod.rs` allows the parts they do not use).
#[path = "../../examples/gen_corpus/mod.rs"]
mod gen_corpus;

mod archive;
mod audit_page;
mod cli;
mod corpus_generator;
mod corpus_hard;
mod corpus_scoring;
mod doc_reader;
mod docx_reader;
mod fuzz_regressions;
mod hostile_inputs;
mod html_reader;
mod html_samples;
mod pdf_reader;
mod python_package;
mod real_inputs;
mod recognition_variants;
mod robust_archives;
mod robust_cli;
mod robustness;
mod schema;
mod seed_report;
mod shard_merge;
mod snapshots;
mod spreadsheet_reader;
mod sqlite;
mod template_doc;
mod years;
