//! The DOCX reader on arbitrary bytes (mostly mutated ZIP containers when
//! seeded with .docx files), with the default limits.
#![no_main]
use libfuzzer_sys::fuzz_target;
use nianbao::readers::{docx, Limits};

fuzz_target!(|data: &[u8]| {
    let _ = docx::read(data, &Limits::default());
});
